/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cellular-ip-helper.h"

#include "ns3/arp-cache.h"
#include "ns3/enum.h"
#include "ns3/genesis-error.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisCellularIpHelper");

namespace
{
Time*
TimerField(GenesisCellularIpTimers& t, const std::string& name)
{
    if (name == "RouteUpdateTime")
        return &t.routeUpdateTime;
    if (name == "RouteTimeout")
        return &t.routeTimeout;
    if (name == "PagingUpdateTime")
        return &t.pagingUpdateTime;
    if (name == "PagingTimeout")
        return &t.pagingTimeout;
    if (name == "ActiveStateTimeout")
        return &t.activeStateTimeout;
    if (name == "SemisoftDelay")
        return &t.semisoftDelay;
    if (name == "BeaconInterval")
        return &t.beaconInterval;
    if (name == "AirBeaconInterval")
        return &t.airBeaconInterval;
    return nullptr;
}

std::string
NodeName(Ptr<Node> node)
{
    std::ostringstream os;
    os << "node " << node->GetId();
    return os.str();
}
} // namespace

CellularIpHelper::CellularIpHelper()
    : m_network("10.50.0.0"),
      m_mask("255.255.0.0"),
      m_priority(100)
{
    m_routing.SetTypeId(GenesisCellularIpRouting::GetTypeId());
    m_mobile.SetTypeId(GenesisCellularIpMobileHost::GetTypeId());
}

void
CellularIpHelper::SetRange(Ipv4Address network, Ipv4Mask mask)
{
    m_network = network.CombineMask(mask);
    m_mask = mask;
}

void
CellularIpHelper::SetTimers(const GenesisCellularIpTimers& t)
{
    t.Check("CellularIpHelper::SetTimers");
    m_timers = t;
}

GenesisCellularIpTimers
CellularIpHelper::GetTimers() const
{
    return m_timers;
}

void
CellularIpHelper::SetRoutingAttribute(const std::string& name, const AttributeValue& value)
{
    if (Time* field = TimerField(m_timers, name))
    {
        const auto* tv = dynamic_cast<const TimeValue*>(&value);
        if (!tv)
        {
            throw GenesisError("CellularIpHelper: timer attribute '" + name +
                               "' needs a TimeValue (e.g. TimeValue(Seconds(3)))");
        }
        *field = tv->Get();
        return;
    }
    m_routing.Set(name, value);
}

void
CellularIpHelper::SetMobileAttribute(const std::string& name, const AttributeValue& value)
{
    if (Time* field = TimerField(m_timers, name))
    {
        const auto* tv = dynamic_cast<const TimeValue*>(&value);
        if (!tv)
        {
            throw GenesisError("CellularIpHelper: timer attribute '" + name +
                               "' needs a TimeValue (e.g. TimeValue(Seconds(3)))");
        }
        *field = tv->Get();
        return;
    }
    m_mobile.Set(name, value);
}

void
CellularIpHelper::SetRoutingPriority(int16_t priority)
{
    m_priority = priority;
}

Ptr<GenesisCellularIpRouting>
CellularIpHelper::GetRouting(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4)
    {
        return nullptr;
    }
    Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol());
    if (!list)
    {
        return DynamicCast<GenesisCellularIpRouting>(ipv4->GetRoutingProtocol());
    }
    for (uint32_t i = 0; i < list->GetNRoutingProtocols(); ++i)
    {
        int16_t prio;
        Ptr<GenesisCellularIpRouting> r =
            DynamicCast<GenesisCellularIpRouting>(list->GetRoutingProtocol(i, prio));
        if (r && !r->IsStopped())
        {
            return r;
        }
    }
    return nullptr;
}

Ptr<GenesisCellularIpRouting>
CellularIpHelper::InstallRouter(Ptr<Node> node,
                                NetDeviceContainer tree,
                                GenesisCellularIpRouting::Role role,
                                Ptr<NetDevice> air)
{
    std::string who = "CellularIpHelper (" + NodeName(node) + ")";
    m_timers.Check(who);
    Ptr<GenesisCellularIpRouting> cip = m_routing.Create<GenesisCellularIpRouting>();
    cip->SetRole(role);
    cip->SetTimers(m_timers);
    return InstallForwarder(node, cip, tree, air);
}

Ptr<GenesisCellularIpRouting>
CellularIpHelper::InstallForwarder(Ptr<Node> node,
                                   Ptr<GenesisCellularIpRouting> cip,
                                   NetDeviceContainer tree,
                                   Ptr<NetDevice> air)
{
    std::string who = "CellularIpHelper (" + NodeName(node) + ")";
    cip->GetTimers().Check(who);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4)
    {
        throw GenesisError(who + ": the node has no IPv4 stack; install one with "
                                 "InternetStackHelper first");
    }
    Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(ipv4->GetRoutingProtocol());
    if (!list)
    {
        throw GenesisError(who + ": the node's routing is not an Ipv4ListRouting; the Cellular "
                                 "IP forwarder is added to the list above the parent's routing "
                                 "(InternetStackHelper's default)");
    }
    if (GetRouting(node))
    {
        throw GenesisError(who + ": a Cellular IP forwarder is already installed on this node");
    }
    if (cip->GetRole() == GenesisCellularIpRouting::GATEWAY && tree.GetN() == 0)
    {
        throw GenesisError(who + ": a gateway needs at least one device towards the access "
                                 "network");
    }
    if (cip->GetRole() == GenesisCellularIpRouting::BASE_STATION && !air)
    {
        throw GenesisError(who + ": a base station needs an air device");
    }
    std::vector<int32_t> interfaces;
    for (uint32_t i = 0; i < tree.GetN(); ++i)
    {
        int32_t idx = ipv4->GetInterfaceForDevice(tree.Get(i));
        if (idx < 0)
        {
            throw GenesisError(who + ": tree device " + std::to_string(i) +
                               " has no IPv4 interface; assign addresses (Ipv4AddressHelper) "
                               "before installing Cellular IP");
        }
        interfaces.push_back(idx);
    }
    int32_t airIdx = -1;
    if (air)
    {
        airIdx = ipv4->GetInterfaceForDevice(air);
        if (airIdx < 0)
        {
            throw GenesisError(who + ": the air device has no IPv4 interface; give the base "
                                     "station an address on it first");
        }
    }
    // Every check passed: nothing above changed the node.
    cip->SetAttribute("Network", Ipv4AddressValue(m_network));
    cip->SetAttribute("Mask", Ipv4MaskValue(m_mask));
    for (int32_t idx : interfaces)
    {
        cip->AddCellularIpInterface(static_cast<uint32_t>(idx));
    }
    if (airIdx >= 0)
    {
        cip->SetAirInterface(static_cast<uint32_t>(airIdx));
    }
    list->AddRoutingProtocol(cip, m_priority);
    // Aggregated so that the node initialises it (starts beacons, opens sockets),
    // as ns-3's AODV and OLSR helpers do. A node aggregates one object per
    // type: a forwarder replacing a stopped one (a child spawned again after
    // a teardown) is initialised below instead.
    if (!node->GetObject<GenesisCellularIpRouting>())
    {
        node->AggregateObject(cip);
    }
    if (Simulator::Now() > Time(0))
    {
        cip->Initialize(); // installed on a running network (a spawn)
    }
    if (air)
    {
        // Association: the new base station knows every host of the range
        // already installed (by any helper).
        for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
        {
            Ptr<Node> other = NodeList::GetNode(n);
            for (uint32_t a = 0; a < other->GetNApplications(); ++a)
            {
                Ptr<GenesisCellularIpMobileHost> mh =
                    DynamicCast<GenesisCellularIpMobileHost>(other->GetApplication(a));
                if (mh && mh->GetRadio() && cip->InRange(mh->GetAddress()))
                {
                    AddArp(air, mh->GetAddress(), mh->GetRadio()->GetAddress());
                }
            }
        }
    }
    return cip;
}

Ptr<GenesisCellularIpRouting>
CellularIpHelper::InstallGateway(Ptr<Node> node, NetDeviceContainer tree)
{
    return InstallRouter(node, tree, GenesisCellularIpRouting::GATEWAY, nullptr);
}

Ptr<GenesisCellularIpRouting>
CellularIpHelper::InstallNode(Ptr<Node> node, NetDeviceContainer tree)
{
    return InstallRouter(node, tree, GenesisCellularIpRouting::NODE, nullptr);
}

Ptr<GenesisCellularIpRouting>
CellularIpHelper::InstallBaseStation(Ptr<Node> node, NetDeviceContainer tree, Ptr<NetDevice> air)
{
    return InstallRouter(node, tree, GenesisCellularIpRouting::BASE_STATION, air);
}

Ptr<GenesisCellularIpMobileHost>
CellularIpHelper::InstallMobileHost(Ptr<Node> node, Ptr<NetDevice> air, Ipv4Address address)
{
    std::string who = "CellularIpHelper (mobile host, " + NodeName(node) + ")";
    m_timers.Check(who);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4)
    {
        throw GenesisError(who + ": the node has no IPv4 stack; install one with "
                                 "InternetStackHelper first");
    }
    if (!air || air->GetNode() != node)
    {
        throw GenesisError(who + ": the air device must be a device of this node");
    }
    if (ipv4->GetInterfaceForDevice(air) >= 0)
    {
        throw GenesisError(who + ": the air device already has an IPv4 interface; leave it "
                                 "unaddressed, the helper puts the host's address on its air "
                                 "port");
    }
    if (!m_mask.IsMatch(address, m_network))
    {
        std::ostringstream os;
        os << who << ": address " << address << " is outside the Cellular IP range " << m_network
           << "/" << m_mask.GetPrefixLength() << "; give the host an address inside it";
        throw GenesisError(os.str());
    }
    Ptr<VirtualNetDevice> port = CreateObject<VirtualNetDevice>();
    port->SetAddress(air->GetAddress());
    port->SetNeedsArp(false);
    port->SetSupportsSendFrom(false);
    port->SetMtu(air->GetMtu());
    node->AddDevice(port);
    int32_t idx = ipv4->AddInterface(port);
    ipv4->AddAddress(idx, Ipv4InterfaceAddress(address, m_mask));
    ipv4->SetUp(idx);
    Ipv4StaticRoutingHelper srh;
    Ptr<Ipv4StaticRouting> sr = srh.GetStaticRouting(ipv4);
    if (sr)
    {
        sr->AddNetworkRouteTo(Ipv4Address("0.0.0.0"), Ipv4Mask("0.0.0.0"), idx);
    }
    Ptr<GenesisCellularIpMobileHost> agent = m_mobile.Create<GenesisCellularIpMobileHost>();
    agent->SetAttribute("RouteUpdateTime", TimeValue(m_timers.routeUpdateTime));
    agent->SetAttribute("PagingUpdateTime", TimeValue(m_timers.pagingUpdateTime));
    agent->SetAttribute("ActiveStateTimeout", TimeValue(m_timers.activeStateTimeout));
    agent->Setup(air, port, address);
    node->AddApplication(agent);
    if (Simulator::Now() > Time(0))
    {
        agent->Initialize();
    }
    // Association: every running base station of the range learns the host
    // (installed by any helper, e.g. by the spawner for a spawned child).
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<GenesisCellularIpRouting> bs = GetRouting(NodeList::GetNode(n));
        if (bs && !bs->IsStopped() && bs->GetRole() == GenesisCellularIpRouting::BASE_STATION &&
            bs->GetAirDevice() && bs->InRange(address))
        {
            AddArp(bs->GetAirDevice(), address, air->GetAddress());
        }
    }
    return agent;
}

void
CellularIpHelper::AddArp(Ptr<NetDevice> bsAir, Ipv4Address host, Address mac)
{
    Ptr<Ipv4L3Protocol> l3 = bsAir->GetNode()->GetObject<Ipv4L3Protocol>();
    int32_t idx = l3->GetInterfaceForDevice(bsAir);
    if (idx < 0)
    {
        return;
    }
    Ptr<ArpCache> cache = l3->GetInterface(idx)->GetArpCache();
    if (!cache)
    {
        return;
    }
    ArpCache::Entry* e = cache->Lookup(host);
    if (!e)
    {
        e = cache->Add(host);
    }
    e->SetMacAddress(mac);
    e->MarkPermanent();
}

} // namespace ns3
