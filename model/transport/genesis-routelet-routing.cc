/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-routelet-routing.h"

#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <iomanip>
#include <list>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisRouteletRouting");
NS_OBJECT_ENSURE_REGISTERED(GenesisRouteletRouting);

namespace
{
/*
 * The static part of the combined table is Ipv4StaticRouting's own list, a
 * private member in ns-3.37 (GetRoute(k) walks the list from its head, O(k)).
 * The explicit-instantiation access rule ([temp.explicit]: access checking
 * does not apply to names in explicit instantiations) gives its address, as
 * virtual-network.cc does for the same member.
 */
template <typename Tag, typename Tag::type M>
struct PrivateMember
{
    friend typename Tag::type Get(Tag)
    {
        return M;
    }
};

struct StaticRoutesTag
{
    typedef std::list<std::pair<Ipv4RoutingTableEntry*, uint32_t>> Ipv4StaticRouting::*type;
    friend type Get(StaticRoutesTag);
};

template struct PrivateMember<StaticRoutesTag, &Ipv4StaticRouting::m_networkRoutes>;

const std::list<std::pair<Ipv4RoutingTableEntry*, uint32_t>>&
StaticRoutes(const Ipv4StaticRouting* rt)
{
    return rt->*Get(StaticRoutesTag());
}

const Ipv4Mask SLASH30("255.255.255.252");

/// The rule of Ipv4StaticRouting::LookupStatic, one candidate at a time.
struct Best
{
    uint16_t longestMask{0};
    uint32_t shortestMetric{0xffffffff};
    bool found{false};
    Ipv4Address dest;
    Ipv4Address gateway;
    uint32_t interface {
        0
    };

    /// \return true when the search stops (a /32 was taken)
    bool Consider(Ipv4Address address,
                  Ptr<NetDevice> oif,
                  const Ptr<Ipv4>& ipv4,
                  Ipv4Address network,
                  Ipv4Mask mask,
                  uint32_t metric,
                  Ipv4Address gw,
                  uint32_t itf)
    {
        if (!mask.IsMatch(address, network))
        {
            return false;
        }
        if (oif && oif != ipv4->GetNetDevice(itf))
        {
            return false;
        }
        uint16_t masklen = mask.GetPrefixLength();
        if (masklen < longestMask)
        {
            return false;
        }
        if (masklen > longestMask)
        {
            shortestMetric = 0xffffffff;
        }
        longestMask = masklen;
        if (metric > shortestMetric)
        {
            return false;
        }
        shortestMetric = metric;
        found = true;
        dest = network;
        gateway = gw;
        interface = itf;
        return masklen == 32;
    }
};
} // namespace

// ------------------------------------------------------------------ table

GenesisRouteletTable::GenesisRouteletTable(uint32_t nRoutelets,
                                           std::vector<Destination> destinations)
    : m_n(nRoutelets),
      m_dests(std::move(destinations)),
      m_next(static_cast<std::size_t>(nRoutelets) * nRoutelets, NO_PORT)
{
    std::vector<std::pair<uint32_t, uint32_t>> index;
    index.reserve(m_dests.size());
    for (uint32_t k = 0; k < m_dests.size(); ++k)
    {
        index.emplace_back(m_dests[k].subnet, k);
    }
    std::sort(index.begin(), index.end());
    m_indexSubnet.reserve(index.size());
    m_indexK.reserve(index.size());
    for (const auto& e : index)
    {
        m_indexSubnet.push_back(e.first);
        m_indexK.push_back(e.second);
    }
}

uint32_t
GenesisRouteletTable::GetNRoutelets() const
{
    return m_n;
}

uint32_t
GenesisRouteletTable::GetNDestinations() const
{
    return static_cast<uint32_t>(m_dests.size());
}

const GenesisRouteletTable::Destination&
GenesisRouteletTable::GetDestination(uint32_t k) const
{
    return m_dests[k];
}

uint16_t
GenesisRouteletTable::GetNextPort(uint32_t s, uint32_t t) const
{
    return m_next[static_cast<std::size_t>(s) * m_n + t];
}

void
GenesisRouteletTable::SetNextPort(uint32_t s, uint32_t t, uint16_t port)
{
    m_next[static_cast<std::size_t>(s) * m_n + t] = port;
}

uint16_t
GenesisRouteletTable::GetRoutePort(uint32_t s, uint32_t k) const
{
    const Destination& d = m_dests[k];
    if (d.endA == s || d.endB == s)
    {
        return NO_PORT; // directly connected
    }
    return GetNextPort(s, d.endA);
}

std::pair<const uint32_t*, const uint32_t*>
GenesisRouteletTable::Find(Ipv4Address address) const
{
    uint32_t subnet = address.Get() & ~3U;
    auto range = std::equal_range(m_indexSubnet.begin(), m_indexSubnet.end(), subnet);
    const uint32_t* base = m_indexK.data();
    return {base + (range.first - m_indexSubnet.begin()),
            base + (range.second - m_indexSubnet.begin())};
}

std::size_t
GenesisRouteletTable::GetMemoryBytes() const
{
    return m_next.capacity() * sizeof(uint16_t) + m_dests.capacity() * sizeof(Destination) +
           (m_indexSubnet.capacity() + m_indexK.capacity()) * sizeof(uint32_t);
}

// ------------------------------------------------------------------ routing

TypeId
GenesisRouteletRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisRouteletRouting")
                            .SetParent<Ipv4StaticRouting>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisRouteletRouting>();
    return tid;
}

GenesisRouteletRouting::GenesisRouteletRouting()
    : m_index(0),
      m_nPre(0)
{
    NS_LOG_FUNCTION(this);
}

GenesisRouteletRouting::~GenesisRouteletRouting()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisRouteletRouting::DoDispose()
{
    m_table = nullptr;
    m_ports.clear();
    m_withdrawn.clear();
    m_ipv4 = nullptr;
    Ipv4StaticRouting::DoDispose();
}

void
GenesisRouteletRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
    Ipv4StaticRouting::SetIpv4(ipv4);
}

void
GenesisRouteletRouting::SetTable(Ptr<const GenesisRouteletTable> table,
                                 uint32_t index,
                                 std::vector<PortHop> ports)
{
    NS_LOG_FUNCTION(this << index);
    m_table = table;
    m_index = index;
    m_ports = std::move(ports);
    m_withdrawn.clear();
    // The spawn's routes rank after what the routelet has now (loopback and
    // connected routes), as the spawn appended them after those.
    m_nPre = GetNRoutes();
}

Ptr<const GenesisRouteletTable>
GenesisRouteletRouting::GetTable() const
{
    return m_table;
}

uint32_t
GenesisRouteletRouting::GetTableIndex() const
{
    return m_index;
}

std::size_t
GenesisRouteletRouting::GetNWithdrawn() const
{
    return m_withdrawn.size();
}

std::size_t
GenesisRouteletRouting::PreCount() const
{
    return std::min(m_nPre, StaticRoutes(this).size());
}

bool
GenesisRouteletRouting::IsDuplicate(uint32_t k, const Ipv4RoutingTableEntry& entry) const
{
    // A subnet given twice (two end hosts on one /30) with the same next hop
    // is one route, as the static table's duplicate check makes it.
    auto range = m_table->Find(entry.GetDest());
    for (const uint32_t* j = range.first; j != range.second && *j < k; ++j)
    {
        Ipv4RoutingTableEntry e;
        if (SharedRoute(*j, &e) && e.GetGateway() == entry.GetGateway() &&
            e.GetInterface() == entry.GetInterface())
        {
            return true;
        }
    }
    return false;
}

bool
GenesisRouteletRouting::SharedRoute(uint32_t k, Ipv4RoutingTableEntry* entry) const
{
    if (m_withdrawn.count(k))
    {
        return false;
    }
    uint16_t port = m_table->GetRoutePort(m_index, k);
    if (port == GenesisRouteletTable::NO_PORT || port >= m_ports.size())
    {
        return false;
    }
    *entry =
        Ipv4RoutingTableEntry::CreateNetworkRouteTo(Ipv4Address(m_table->GetDestination(k).subnet),
                                                    SLASH30,
                                                    m_ports[port].gateway,
                                                    m_ports[port].interface);
    return true;
}

std::vector<GenesisRouteletRouting::Route>
GenesisRouteletRouting::GetRoutes() const
{
    std::vector<Route> out;
    const auto& routes = StaticRoutes(this);
    std::size_t pre = m_table ? PreCount() : routes.size();
    std::size_t i = 0;
    for (auto it = routes.begin(); it != routes.end(); ++it, ++i)
    {
        if (i == pre)
        {
            break;
        }
        out.push_back(Route{*it->first, it->second, false});
    }
    if (m_table)
    {
        for (uint32_t k = 0; k < m_table->GetNDestinations(); ++k)
        {
            Ipv4RoutingTableEntry e;
            if (SharedRoute(k, &e) && !IsDuplicate(k, e))
            {
                out.push_back(Route{e, 0, true});
            }
        }
        i = 0;
        for (auto it = routes.begin(); it != routes.end(); ++it, ++i)
        {
            if (i >= pre)
            {
                out.push_back(Route{*it->first, it->second, false});
            }
        }
    }
    return out;
}

std::vector<GenesisRouteletRouting::Route>
GenesisRouteletRouting::GetRoutes(Ptr<Ipv4StaticRouting> rt)
{
    std::vector<Route> out;
    if (!rt)
    {
        return out;
    }
    if (Ptr<GenesisRouteletRouting> g = DynamicCast<GenesisRouteletRouting>(rt))
    {
        return g->GetRoutes();
    }
    for (const auto& r : StaticRoutes(PeekPointer(rt)))
    {
        out.push_back(Route{*r.first, r.second, false});
    }
    return out;
}

std::vector<GenesisRouteletRouting::Route>
GenesisRouteletRouting::RemoveRoutes(Ipv4Address network, Ipv4Mask mask)
{
    NS_LOG_FUNCTION(this << network << mask);
    Ipv4Address net = network.CombineMask(mask);
    std::vector<Route> removed;
    std::size_t pre = m_table ? PreCount() : StaticRoutes(this).size();
    // Static routes after the shared ones, last first.
    for (uint32_t k = GetNRoutes(); k-- > pre;)
    {
        Ipv4RoutingTableEntry e = GetRoute(k);
        if (e.GetDest() == net && e.GetDestNetworkMask() == mask)
        {
            removed.push_back(Route{e, GetMetric(k), false});
            RemoveRoute(k);
        }
    }
    if (m_table && mask == SLASH30)
    {
        auto range = m_table->Find(net);
        for (const uint32_t* k = range.second; k-- != range.first;)
        {
            Ipv4RoutingTableEntry e;
            if (SharedRoute(*k, &e))
            {
                if (!IsDuplicate(*k, e))
                {
                    removed.push_back(Route{e, 0, true});
                }
                m_withdrawn.insert(*k);
            }
        }
    }
    for (uint32_t k = static_cast<uint32_t>(pre); k-- > 0;)
    {
        Ipv4RoutingTableEntry e = GetRoute(k);
        if (e.GetDest() == net && e.GetDestNetworkMask() == mask)
        {
            removed.push_back(Route{e, GetMetric(k), false});
            RemoveRoute(k);
            if (m_nPre > 0)
            {
                --m_nPre;
            }
        }
    }
    return removed;
}

void
GenesisRouteletRouting::NotifyInterfaceDown(uint32_t interface)
{
    NS_LOG_FUNCTION(this << interface);
    if (m_table)
    {
        // ns-3 removes every static route through the interface: the
        // routelet's own (counting those ranked before the shared ones) and
        // so also its spawn routes through it.
        std::size_t pre = PreCount();
        std::size_t i = 0;
        std::size_t gone = 0;
        for (const auto& r : StaticRoutes(this))
        {
            if (i++ >= pre)
            {
                break;
            }
            gone += r.first->GetInterface() == interface ? 1 : 0;
        }
        m_nPre = pre - gone;
        for (uint32_t k = 0; k < m_table->GetNDestinations(); ++k)
        {
            uint16_t port = m_table->GetRoutePort(m_index, k);
            if (port < m_ports.size() && m_ports[port].interface == interface)
            {
                m_withdrawn.insert(k);
            }
        }
    }
    Ipv4StaticRouting::NotifyInterfaceDown(interface);
}

void
GenesisRouteletRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    NS_LOG_FUNCTION(this << interface << address.GetLocal());
    if (m_table && m_ipv4 && m_ipv4->IsUp(interface))
    {
        Ipv4Address net = address.GetLocal().CombineMask(address.GetMask());
        std::size_t pre = PreCount();
        std::size_t i = 0;
        std::size_t gone = 0;
        for (const auto& r : StaticRoutes(this))
        {
            if (i++ >= pre)
            {
                break;
            }
            const Ipv4RoutingTableEntry* e = r.first;
            gone += e->GetInterface() == interface && e->IsNetwork() &&
                            e->GetDestNetwork() == net &&
                            e->GetDestNetworkMask() == address.GetMask()
                        ? 1
                        : 0;
        }
        m_nPre = pre - gone;
    }
    Ipv4StaticRouting::NotifyRemoveAddress(interface, address);
}

Ptr<Ipv4Route>
GenesisRouteletRouting::Lookup(Ipv4Address dest, Ptr<NetDevice> oif) const
{
    if (dest.IsLocalMulticast())
    {
        // As Ipv4StaticRouting::LookupStatic: out of the given interface.
        if (!oif)
        {
            return nullptr;
        }
        Ptr<Ipv4Route> rtentry = Create<Ipv4Route>();
        rtentry->SetDestination(dest);
        rtentry->SetGateway(Ipv4Address::GetZero());
        rtentry->SetOutputDevice(oif);
        rtentry->SetSource(m_ipv4->GetAddress(m_ipv4->GetInterfaceForDevice(oif), 0).GetLocal());
        return rtentry;
    }
    Best best;
    const auto& routes = StaticRoutes(this);
    std::size_t pre = PreCount();
    std::size_t i = 0;
    bool stop = false;
    auto it = routes.begin();
    for (; it != routes.end() && i < pre && !stop; ++it, ++i)
    {
        const Ipv4RoutingTableEntry* e = it->first;
        stop = best.Consider(dest,
                             oif,
                             m_ipv4,
                             e->GetDestNetwork(),
                             e->GetDestNetworkMask(),
                             it->second,
                             e->GetGateway(),
                             e->GetInterface());
    }
    if (!stop)
    {
        auto range = m_table->Find(dest);
        for (const uint32_t* k = range.first; k != range.second; ++k)
        {
            Ipv4RoutingTableEntry e;
            if (SharedRoute(*k, &e))
            {
                best.Consider(dest,
                              oif,
                              m_ipv4,
                              e.GetDestNetwork(),
                              SLASH30,
                              0,
                              e.GetGateway(),
                              e.GetInterface());
            }
        }
    }
    for (; it != routes.end() && !stop; ++it)
    {
        const Ipv4RoutingTableEntry* e = it->first;
        stop = best.Consider(dest,
                             oif,
                             m_ipv4,
                             e->GetDestNetwork(),
                             e->GetDestNetworkMask(),
                             it->second,
                             e->GetGateway(),
                             e->GetInterface());
    }
    if (!best.found)
    {
        NS_LOG_LOGIC("No matching route to " << dest << " found");
        return nullptr;
    }
    Ptr<Ipv4Route> rtentry = Create<Ipv4Route>();
    rtentry->SetDestination(best.dest);
    rtentry->SetSource(m_ipv4->SourceAddressSelection(best.interface, best.dest));
    rtentry->SetGateway(best.gateway);
    rtentry->SetOutputDevice(m_ipv4->GetNetDevice(best.interface));
    return rtentry;
}

Ptr<Ipv4Route>
GenesisRouteletRouting::RouteOutput(Ptr<Packet> p,
                                    const Ipv4Header& header,
                                    Ptr<NetDevice> oif,
                                    Socket::SocketErrno& sockerr)
{
    if (!m_table)
    {
        return Ipv4StaticRouting::RouteOutput(p, header, oif, sockerr);
    }
    Ptr<Ipv4Route> rtentry = Lookup(header.GetDestination(), oif);
    sockerr = rtentry ? Socket::ERROR_NOTERROR : Socket::ERROR_NOROUTETOHOST;
    return rtentry;
}

bool
GenesisRouteletRouting::RouteInput(Ptr<const Packet> p,
                                   const Ipv4Header& header,
                                   Ptr<const NetDevice> idev,
                                   UnicastForwardCallback ucb,
                                   MulticastForwardCallback mcb,
                                   LocalDeliverCallback lcb,
                                   ErrorCallback ecb)
{
    Ipv4Address dest = header.GetDestination();
    if (!m_table || dest.IsMulticast())
    {
        // Multicast is Ipv4StaticRouting's own business (its multicast table).
        return Ipv4StaticRouting::RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
    }
    uint32_t iif = m_ipv4->GetInterfaceForDevice(idev);
    if (m_ipv4->IsDestinationAddress(dest, iif))
    {
        if (!lcb.IsNull())
        {
            lcb(p, header, iif);
            return true;
        }
        return false;
    }
    if (!m_ipv4->IsForwarding(iif))
    {
        ecb(p, header, Socket::ERROR_NOROUTETOHOST);
        return true;
    }
    Ptr<Ipv4Route> rtentry = Lookup(dest, nullptr);
    if (rtentry)
    {
        ucb(rtentry, p, header);
        return true;
    }
    return false;
}

void
GenesisRouteletRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    if (!m_table)
    {
        Ipv4StaticRouting::PrintRoutingTable(stream, unit);
        return;
    }
    std::ostream* os = stream->GetStream();
    std::ios oldState(nullptr);
    oldState.copyfmt(*os);
    *os << std::resetiosflags(std::ios::adjustfield) << std::setiosflags(std::ios::left);
    *os << "Node: " << m_ipv4->GetObject<Node>()->GetId() << ", Time: " << Now().As(unit)
        << ", Local time: " << m_ipv4->GetObject<Node>()->GetLocalTime().As(unit)
        << ", GenesisRouteletRouting table (S: shared spawn route)" << std::endl;
    std::vector<Route> routes = GetRoutes();
    if (!routes.empty())
    {
        *os << "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface"
            << std::endl;
    }
    for (const auto& r : routes)
    {
        std::ostringstream dest;
        std::ostringstream gw;
        std::ostringstream mask;
        std::ostringstream flags;
        dest << r.entry.GetDest();
        gw << r.entry.GetGateway();
        mask << r.entry.GetDestNetworkMask();
        flags << "U" << (r.entry.IsHost() ? "HS" : (r.entry.IsGateway() ? "GS" : ""))
              << (r.shared ? "S" : "");
        *os << std::setw(16) << dest.str() << std::setw(16) << gw.str() << std::setw(16)
            << mask.str() << std::setw(6) << flags.str() << std::setw(7) << r.metric << "-"
            << "      "
            << "-"
            << "   ";
        std::string name = Names::FindName(m_ipv4->GetNetDevice(r.entry.GetInterface()));
        if (!name.empty())
        {
            *os << name;
        }
        else
        {
            *os << r.entry.GetInterface();
        }
        *os << std::endl;
    }
    *os << std::endl;
    (*os).copyfmt(oldState);
}

// ------------------------------------------------------------------ helper

GenesisRouteletRoutingHelper*
GenesisRouteletRoutingHelper::Copy() const
{
    return new GenesisRouteletRoutingHelper(*this);
}

Ptr<Ipv4RoutingProtocol>
GenesisRouteletRoutingHelper::Create(Ptr<Node> /* node */) const
{
    return CreateObject<GenesisRouteletRouting>();
}

} // namespace ns3
