/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-routelet-state.h"

#include "genesis-metabus.h"

#include "ns3/genesis-error.h"
#include "ns3/genesis-routelet-routing.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/routelet-port.h"
#include "ns3/routelet.h"
#include "ns3/virtual-link.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualRouteletState");
NS_OBJECT_ENSURE_REGISTERED(VirtualRouteletState);

TypeId
VirtualRouteletState::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualRouteletState")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<VirtualRouteletState>()
            .AddTraceSource("RouteAdded",
                            "A route was added through this interface",
                            MakeTraceSourceAccessor(&VirtualRouteletState::m_routeAddedTrace),
                            "ns3::VirtualRouteletState::RouteTracedCallback")
            .AddTraceSource("RouteRemoved",
                            "A route was removed through this interface",
                            MakeTraceSourceAccessor(&VirtualRouteletState::m_routeRemovedTrace),
                            "ns3::VirtualRouteletState::RouteTracedCallback");
    return tid;
}

VirtualRouteletState::VirtualRouteletState()
{
    NS_LOG_FUNCTION(this);
}

VirtualRouteletState::~VirtualRouteletState()
{
    NS_LOG_FUNCTION(this);
}

void
VirtualRouteletState::DoDispose()
{
    m_bus = nullptr;
    m_routelet = nullptr;
    Object::DoDispose();
}

void
VirtualRouteletState::Bind(Ptr<GenesisMetabus> bus, const std::string& name, Ptr<Routelet> r)
{
    m_bus = bus;
    m_name = name;
    m_routelet = r;
}

void
VirtualRouteletState::CheckBound() const
{
    if (!m_bus || !m_bus->IsActive() || !m_routelet)
    {
        throw GenesisError("VirtualRouteletState of routelet '" + m_name +
                           "': the metabus is shut down (network torn down)");
    }
}

std::string
VirtualRouteletState::GetName() const
{
    return m_name;
}

std::string
VirtualRouteletState::GetNetworkName() const
{
    return m_bus ? m_bus->GetNetworkName() : "";
}

Ptr<Routelet>
VirtualRouteletState::GetRoutelet() const
{
    return m_routelet;
}

Ptr<Node>
VirtualRouteletState::GetNode() const
{
    return m_routelet ? m_routelet->GetNode() : nullptr;
}

uint32_t
VirtualRouteletState::GetHostId() const
{
    CheckBound();
    return m_routelet->GetHost()->GetId();
}

uint32_t
VirtualRouteletState::GetNPorts() const
{
    CheckBound();
    return static_cast<uint32_t>(m_routelet->GetPorts().size());
}

void
VirtualRouteletState::CheckPort(uint32_t i) const
{
    CheckBound();
    if (i >= m_routelet->GetPorts().size())
    {
        throw GenesisError("routelet '" + m_name + "' of network '" + GetNetworkName() +
                           "' has no port " + std::to_string(i) + " (it has " +
                           std::to_string(m_routelet->GetPorts().size()) + ")");
    }
}

Ptr<RouteletPort>
VirtualRouteletState::GetPort(uint32_t i) const
{
    CheckPort(i);
    return m_routelet->GetPorts()[i];
}

namespace
{
Ipv4Address
AddressOf(Ptr<RouteletPort> port)
{
    Ptr<Node> node = port->GetNode();
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (!ipv4)
    {
        return Ipv4Address::GetAny();
    }
    int32_t ifIndex = ipv4->GetInterfaceForDevice(port);
    if (ifIndex < 0 || ipv4->GetNAddresses(ifIndex) == 0)
    {
        return Ipv4Address::GetAny();
    }
    return ipv4->GetAddress(ifIndex, 0).GetLocal();
}
} // namespace

Ipv4Address
VirtualRouteletState::GetPortAddress(uint32_t i) const
{
    return AddressOf(GetPort(i));
}

std::string
VirtualRouteletState::GetPortLink(uint32_t i) const
{
    return m_bus->GetLinkName(GetPort(i)->GetVirtualLink());
}

std::string
VirtualRouteletState::GetNeighbour(uint32_t i) const
{
    Ptr<VirtualLink> l = GetPort(i)->GetVirtualLink();
    Ptr<Routelet> other = l->GetEndA() == m_routelet ? l->GetEndB() : l->GetEndA();
    return m_bus->GetRouteletName(other);
}

Ipv4Address
VirtualRouteletState::GetNeighbourAddress(uint32_t i) const
{
    Ptr<RouteletPort> port = GetPort(i);
    Ptr<VirtualLink> l = port->GetVirtualLink();
    Ptr<RouteletPort> peer = l->GetPortA() == port ? l->GetPortB() : l->GetPortA();
    return AddressOf(peer);
}

int32_t
VirtualRouteletState::FindPortTo(const std::string& neighbour) const
{
    for (uint32_t i = 0; i < GetNPorts(); ++i)
    {
        if (GetNeighbour(i) == neighbour)
        {
            return static_cast<int32_t>(i);
        }
    }
    return -1;
}

Ptr<Ipv4StaticRouting>
VirtualRouteletState::GetStaticRouting(const std::string& what) const
{
    CheckBound();
    Ptr<Node> node = m_routelet->GetNode();
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (!ipv4)
    {
        throw GenesisError("routelet '" + m_name + "' of network '" + GetNetworkName() +
                           "': cannot " + what +
                           ": it has no IPv4 stack (network not spawned, or "
                           "InstallInternetStack false)");
    }
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    if (!rt)
    {
        throw GenesisError("routelet '" + m_name + "' of network '" + GetNetworkName() +
                           "': cannot " + what + ": its routing protocol (" +
                           ipv4->GetRoutingProtocol()->GetInstanceTypeId().GetName() +
                           ") has no Ipv4StaticRouting; it owns its table");
    }
    return rt;
}

std::vector<VirtualRouteletState::Route>
VirtualRouteletState::GetRoutes() const
{
    Ptr<Ipv4StaticRouting> rt = GetStaticRouting("read routes");
    Ptr<Ipv4> ipv4 = m_routelet->GetNode()->GetObject<Ipv4>();
    std::vector<Route> routes;
    // The combined table: a GenesisRouteletRouting's own routes and its
    // network's shared spawn routes (or a plain Ipv4StaticRouting's table).
    for (const auto& g : GenesisRouteletRouting::GetRoutes(rt))
    {
        const Ipv4RoutingTableEntry& e = g.entry;
        Route r;
        r.destination = e.GetDest();
        r.mask = e.GetDestNetworkMask();
        r.gateway = e.GetGateway();
        r.interface = e.GetInterface();
        r.metric = g.metric;
        r.port = -1;
        Ptr<NetDevice> dev = ipv4->GetNetDevice(r.interface);
        const auto& ports = m_routelet->GetPorts();
        for (std::size_t i = 0; i < ports.size(); ++i)
        {
            if (ports[i] == dev)
            {
                r.port = static_cast<int32_t>(i);
            }
        }
        routes.push_back(r);
    }
    return routes;
}

void
VirtualRouteletState::AddRoute(Ipv4Address destination,
                               Ipv4Mask mask,
                               uint32_t port,
                               uint32_t metric)
{
    Ptr<Ipv4StaticRouting> rt = GetStaticRouting("add a route");
    CheckPort(port);
    Ptr<Ipv4> ipv4 = m_routelet->GetNode()->GetObject<Ipv4>();
    int32_t ifIndex = ipv4->GetInterfaceForDevice(m_routelet->GetPorts()[port]);
    if (ifIndex < 0)
    {
        throw GenesisError("routelet '" + m_name + "': port " + std::to_string(port) +
                           " has no IPv4 interface");
    }
    Ipv4Address gw = GetNeighbourAddress(port);
    if (Ptr<GenesisRouteletRouting> g = DynamicCast<GenesisRouteletRouting>(rt))
    {
        // Ipv4StaticRouting refuses a duplicate of a route in its table; the
        // shared spawn routes count as in the table.
        for (const auto& r : g->GetRoutes())
        {
            if (r.shared && r.metric == metric &&
                r.entry.GetDest() == destination.CombineMask(mask) &&
                r.entry.GetDestNetworkMask() == mask && r.entry.GetGateway() == gw &&
                r.entry.GetInterface() == static_cast<uint32_t>(ifIndex))
            {
                m_routeAddedTrace(destination.CombineMask(mask),
                                  mask,
                                  gw,
                                  static_cast<uint32_t>(ifIndex));
                return;
            }
        }
    }
    rt->AddNetworkRouteTo(destination.CombineMask(mask),
                          mask,
                          gw,
                          static_cast<uint32_t>(ifIndex),
                          metric);
    NS_LOG_INFO("routelet " << m_name << ": route " << destination << "/" << mask.GetPrefixLength()
                            << " via port " << port << " (" << gw << ")");
    m_routeAddedTrace(destination.CombineMask(mask), mask, gw, static_cast<uint32_t>(ifIndex));
}

uint32_t
VirtualRouteletState::RemoveRoute(Ipv4Address destination, Ipv4Mask mask)
{
    Ptr<Ipv4StaticRouting> rt = GetStaticRouting("remove a route");
    uint32_t removed = 0;
    if (Ptr<GenesisRouteletRouting> g = DynamicCast<GenesisRouteletRouting>(rt))
    {
        for (const auto& r : g->RemoveRoutes(destination, mask))
        {
            ++removed;
            m_routeRemovedTrace(r.entry.GetDest(),
                                mask,
                                r.entry.GetGateway(),
                                r.entry.GetInterface());
        }
        return removed;
    }
    for (uint32_t k = rt->GetNRoutes(); k-- > 0;)
    {
        Ipv4RoutingTableEntry e = rt->GetRoute(k);
        if (e.GetDest() == destination.CombineMask(mask) && e.GetDestNetworkMask() == mask)
        {
            rt->RemoveRoute(k);
            ++removed;
            m_routeRemovedTrace(e.GetDest(), mask, e.GetGateway(), e.GetInterface());
        }
    }
    return removed;
}

} // namespace ns3
