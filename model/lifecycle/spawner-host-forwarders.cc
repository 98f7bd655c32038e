/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GenesisSpawner: forwarders that run on the host nodes of a child
 * virtualised on its address space (the Cellular IP child of the paper's
 * example, §V-B-4).
 */
#include "genesis-spawner.h"

#include "ns3/cellular-ip-helper.h"
#include "ns3/cellular-ip-routing.h"
#include "ns3/channel.h"
#include "ns3/genesis-distributed.h"
#include "ns3/genesis-error.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/node-list.h"
#include "ns3/routelet.h"
#include "ns3/wifi-net-device.h"

#include <map>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisSpawnerHostForwarders");

class GenesisHostAdmission;

/// The host forwarders of one network: planned at definition, installed at commit.
struct GenesisHostForwarders
{
    /// One forwarder on one host node.
    struct Router
    {
        std::string routelet;    //!< routelet name
        Ptr<Node> node;          //!< host node
        NetDeviceContainer tree; //!< parent devices of the child's links at this node
        Ptr<NetDevice> air;      //!< air device (base stations)
        ObjectFactory factory;   //!< the forwarder as the profile describes it
    };

    Ipv4Address network;                                             //!< the address space
    Ipv4Mask mask;                                                   //!< its mask
    std::vector<Router> routers;                                     //!< one per routelet
    Ptr<Node> gateway;                                               //!< the gateway's host
    std::vector<std::pair<Ptr<Node>, Ipv4RoutingTableEntry>> routes; //!< range routes added
    std::vector<Ptr<GenesisCellularIpRouting>> installed;            //!< running forwarders
    Ptr<GenesisHostAdmission> admission; //!< membership at base stations
};

namespace
{

/// \return the device of \p a whose channel reaches \p b (null if none)
Ptr<NetDevice>
DeviceTowards(Ptr<Node> a, Ptr<Node> b)
{
    for (uint32_t i = 0; i < a->GetNDevices(); ++i)
    {
        Ptr<NetDevice> d = a->GetDevice(i);
        Ptr<Channel> ch = d->GetChannel();
        if (!ch)
        {
            continue;
        }
        for (std::size_t j = 0; j < ch->GetNDevices(); ++j)
        {
            Ptr<NetDevice> peer = ch->GetDevice(j);
            if (peer != d && peer->GetNode() == b)
            {
                return d;
            }
        }
    }
    return nullptr;
}

/// \return the node's first Wi-Fi device with an IPv4 interface (null if none)
Ptr<NetDevice>
AirDevice(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    for (uint32_t i = 0; ipv4 && i < node->GetNDevices(); ++i)
    {
        Ptr<NetDevice> d = node->GetDevice(i);
        if (DynamicCast<WifiNetDevice>(d) && ipv4->GetInterfaceForDevice(d) >= 0)
        {
            return d;
        }
    }
    return nullptr;
}

std::string
RoleName(GenesisCellularIpRouting::Role r)
{
    switch (r)
    {
    case GenesisCellularIpRouting::GATEWAY:
        return "Gateway";
    case GenesisCellularIpRouting::BASE_STATION:
        return "BaseStation";
    default:
        return "Node";
    }
}

} // namespace

/// Membership at the base stations: a prefix, or a member node's Cellular IP host.
class GenesisHostAdmission : public SimpleRefCount<GenesisHostAdmission>
{
  public:
    /// \param net the network whose membership applies
    explicit GenesisHostAdmission(Ptr<VirtualNetwork> net)
        : m_net(net)
    {
    }

    /// \param source a packet's source \return true when the host is a member
    bool Admit(Ipv4Address source)
    {
        auto it = m_memo.find(source);
        if (it != m_memo.end())
        {
            return it->second;
        }
        // The host's node, through its Cellular IP agent (a mobile host
        // keeps its address): node members are admitted by node.
        Ptr<Node> host;
        for (uint32_t n = 0; n < NodeList::GetNNodes() && !host; ++n)
        {
            Ptr<Node> node = NodeList::GetNode(n);
            for (uint32_t a = 0; a < node->GetNApplications(); ++a)
            {
                Ptr<GenesisCellularIpMobileHost> mh =
                    DynamicCast<GenesisCellularIpMobileHost>(node->GetApplication(a));
                if (mh && mh->GetAddress() == source)
                {
                    host = node;
                    break;
                }
            }
        }
        bool ok = m_net && m_net->IsMember(host, source);
        m_memo[source] = ok;
        return ok;
    }

    /// Forget the network (teardown)
    void Clear()
    {
        m_net = nullptr;
        m_memo.clear();
    }

  private:
    Ptr<VirtualNetwork> m_net;          //!< the network
    std::map<Ipv4Address, bool> m_memo; //!< decisions by source address
};

std::shared_ptr<GenesisHostForwarders>
GenesisSpawner::PlanHostForwarders(const GenesisProfile& profile,
                                   const GenesisSpawnPlan& plan,
                                   const std::vector<const GenesisModuleSpec*>& modules) const
{
    // Cellular IP forwarders run timers on their nodes and its base stations
    // share one Wi-Fi channel, which ns-3 cannot split across MPI ranks.
    GenesisDistributed::RefuseIfDistributed(modules.front()->object.location.ToString() +
                                                ": error: the " + modules.front()->object.typeId +
                                                " forwarders of '" + profile.name + "'",
                                            "spawn Cellular IP children in a sequential run");
    auto hf = std::make_shared<GenesisHostForwarders>();
    const GenesisModuleSpec* all = nullptr;
    std::map<std::string, const GenesisModuleSpec*> own;
    std::string typeName = modules.front()->object.typeId;
    for (const GenesisModuleSpec* m : modules)
    {
        if (m->object.typeId != typeName)
        {
            throw GenesisError(m->location.ToString() + ": forwarder '" + m->object.typeId +
                               "': every routelet of a network runs the same forwarder, here '" +
                               typeName +
                               "'; use one type (per-routelet entries only change "
                               "its attributes, e.g. Role)");
        }
        if (!m->link.empty())
        {
            throw GenesisError(m->location.ToString() + ": forwarder '" + m->object.typeId +
                               "': a forwarder runs on a routelet, not on a link; remove 'link'");
        }
        if (m->routelet.empty())
        {
            if (all)
            {
                throw GenesisError(m->location.ToString() +
                                   ": a second network-wide forwarder; "
                                   "give one entry without 'routelet' and per-routelet entries");
            }
            all = m;
        }
        else if (!own.emplace(m->routelet, m).second)
        {
            throw GenesisError(m->location.ToString() + ": a second forwarder for routelet '" +
                               m->routelet + "'; keep one");
        }
    }
    const GenesisLocation& where = modules.front()->location;
    if (!profile.hasAddressSpace)
    {
        throw GenesisError(where.ToString() + ": forwarder '" + typeName +
                           "' forwards the hosts of the network's address space; give the "
                           "profile an 'address_space' (e.g. 10.50.0.0/16)");
    }
    hf->network = profile.addressBase.CombineMask(profile.addressMask);
    hf->mask = profile.addressMask;

    // The parent devices of the child's links at each routelet's host.
    std::map<std::string, NetDeviceContainer> tree;
    for (const auto& l : plan.links)
    {
        if (l.hostPath.size() != 2)
        {
            std::ostringstream os;
            os << where.ToString() << ": forwarder '" << typeName << "' forwards hop by hop on "
               << "the parent's nodes, but link '" << l.name << "' (" << l.a << " - " << l.b
               << ") crosses " << (l.hostPath.size() < 2 ? 0 : l.hostPath.size() - 2)
               << " parent node(s) that are not routelets of the network; add a routelet on "
               << "each node of the path, or join routelets on adjacent nodes";
            throw GenesisError(os.str());
        }
        Ptr<Node> a = NodeList::GetNode(l.hostPath[0]);
        Ptr<Node> b = NodeList::GetNode(l.hostPath[1]);
        Ptr<NetDevice> da = DeviceTowards(a, b);
        Ptr<NetDevice> db = DeviceTowards(b, a);
        if (!da || !db)
        {
            throw GenesisError(where.ToString() + ": link '" + l.name +
                               "': no parent device joins the hosts of " + l.a + " and " + l.b);
        }
        tree[l.a].Add(da);
        tree[l.b].Add(db);
    }
    uint32_t gateways = 0;
    for (const auto& r : plan.routelets)
    {
        const GenesisModuleSpec* spec = own.count(r.name) ? own[r.name] : all;
        if (!spec)
        {
            throw GenesisError(where.ToString() + ": routelet '" + r.name + "' has no '" +
                               typeName +
                               "' forwarder; add a network-wide entry (no 'routelet')"
                               " or one for it");
        }
        GenesisHostForwarders::Router router;
        router.routelet = r.name;
        router.node = NodeList::GetNode(r.hostNodeId);
        router.tree = tree[r.name];
        router.factory = MakeFactory(spec->object, "forwarder '" + typeName + "'");
        // Made once here so that Role and timers are checked before anything changes.
        Ptr<GenesisCellularIpRouting> probe = router.factory.Create<GenesisCellularIpRouting>();
        std::string at = spec->location.ToString() + ": routelet '" + r.name + "' (node " +
                         std::to_string(r.hostNodeId) + ", Role " + RoleName(probe->GetRole()) +
                         ")";
        probe->GetTimers().Check(at);
        if (!router.node->GetObject<Ipv4>())
        {
            throw GenesisError(at + ": the host node has no IPv4 stack");
        }
        if (CellularIpHelper::GetRouting(router.node))
        {
            throw GenesisError(at + ": a Cellular IP forwarder already runs on the host node "
                                    "(another network's); one per node");
        }
        switch (probe->GetRole())
        {
        case GenesisCellularIpRouting::GATEWAY:
            ++gateways;
            hf->gateway = router.node;
            if (router.tree.GetN() == 0)
            {
                throw GenesisError(at + ": the gateway has no link of the network");
            }
            break;
        case GenesisCellularIpRouting::BASE_STATION:
            router.air = AirDevice(router.node);
            if (!router.air)
            {
                throw GenesisError(at + ": a base station needs an air interface, but the host "
                                        "node has no Wi-Fi device with an IPv4 address; give it "
                                        "one or make the routelet a Node");
            }
            break;
        case GenesisCellularIpRouting::NODE:
            break;
        }
        probe->Dispose();
        hf->routers.push_back(router);
    }
    if (gateways != 1)
    {
        throw GenesisError(where.ToString() + ": a '" + typeName +
                           "' network has exactly one "
                           "routelet with Role Gateway, not " +
                           std::to_string(gateways) +
                           "; add a per-routelet forwarder entry with 'attributes: {Role: "
                           "Gateway}'");
    }
    return hf;
}

void
GenesisSpawner::InstallHostForwarders(Ptr<VirtualNetwork> net, GenesisHostForwarders& hf)
{
    NS_LOG_FUNCTION(this << net->GetName());
    CellularIpHelper helper;
    helper.SetRange(hf.network, hf.mask);
    hf.admission = Create<GenesisHostAdmission>(net);
    for (auto& r : hf.routers)
    {
        Ptr<GenesisCellularIpRouting> cip = r.factory.Create<GenesisCellularIpRouting>();
        helper.InstallForwarder(r.node, cip, r.tree, r.air);
        if (cip->GetRole() == GenesisCellularIpRouting::BASE_STATION && net->HasMembership())
        {
            cip->SetAdmission(
                MakeCallback(&GenesisHostAdmission::Admit, PeekPointer(hf.admission)));
        }
        hf.installed.push_back(cip);
    }
    // The parent learns where the address space is: every other node of
    // the root network gets a static route for the range along its current
    // route to the gateway (the gateway "advertises" the range; ns-3's
    // global routing cannot be recomputed once Genesis ports exist).
    std::set<Ptr<Node>> inside;
    for (const auto& r : hf.routers)
    {
        inside.insert(r.node);
    }
    Ptr<Ipv4> gwIp = hf.gateway->GetObject<Ipv4>();
    Ipv4Address gwAddr;
    for (uint32_t i = 1; i < gwIp->GetNInterfaces() && gwAddr == Ipv4Address(); ++i)
    {
        if (gwIp->GetNAddresses(i) > 0)
        {
            gwAddr = gwIp->GetAddress(i, 0).GetLocal();
        }
    }
    Ipv4StaticRoutingHelper srh;
    for (const auto& r : net->GetRoot()->GetRoutelets())
    {
        Ptr<Node> node = r->GetHost();
        Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
        if (!ipv4 || inside.count(node) || !ipv4->GetRoutingProtocol())
        {
            continue;
        }
        Ptr<Ipv4StaticRouting> sr = srh.GetStaticRouting(ipv4);
        if (!sr)
        {
            continue;
        }
        Ipv4Header h;
        h.SetDestination(gwAddr);
        Socket::SocketErrno err;
        Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
        if (!route || !route->GetOutputDevice())
        {
            continue; // the gateway is unreachable from here
        }
        Ipv4Address next = route->GetGateway() == Ipv4Address() ? gwAddr : route->GetGateway();
        int32_t oif = ipv4->GetInterfaceForDevice(route->GetOutputDevice());
        if (oif < 0)
        {
            continue;
        }
        sr->AddNetworkRouteTo(hf.network, hf.mask, next, static_cast<uint32_t>(oif));
        hf.routes.emplace_back(
            node,
            Ipv4RoutingTableEntry::CreateNetworkRouteTo(hf.network,
                                                        hf.mask,
                                                        next,
                                                        static_cast<uint32_t>(oif)));
    }
    net->TraceConnectWithoutContext("TornDown",
                                    MakeCallback(&GenesisSpawner::RemoveHostForwarders, this));
}

void
GenesisSpawner::RemoveHostForwarders(Ptr<VirtualNetwork> net)
{
    auto it = m_hostForwarders.find(net->GetName());
    if (it == m_hostForwarders.end())
    {
        return;
    }
    GenesisHostForwarders& hf = *it->second;
    for (auto& cip : hf.installed)
    {
        cip->Stop();
    }
    if (hf.admission)
    {
        hf.admission->Clear();
    }
    Ipv4StaticRoutingHelper srh;
    for (const auto& nr : hf.routes)
    {
        Ptr<Ipv4StaticRouting> sr = srh.GetStaticRouting(nr.first->GetObject<Ipv4>());
        for (uint32_t i = 0; sr && i < sr->GetNRoutes(); ++i)
        {
            Ipv4RoutingTableEntry e = sr->GetRoute(i);
            if (e.GetDestNetwork() == nr.second.GetDestNetwork() &&
                e.GetDestNetworkMask() == nr.second.GetDestNetworkMask() &&
                e.GetGateway() == nr.second.GetGateway() &&
                e.GetInterface() == nr.second.GetInterface())
            {
                sr->RemoveRoute(i);
                break;
            }
        }
    }
    m_hostForwarders.erase(it);
}

} // namespace ns3
