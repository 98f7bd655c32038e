/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cellular-ip-routing.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/genesis-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisCellularIpRouting");
NS_OBJECT_ENSURE_REGISTERED(GenesisCellularIpRouting);

namespace
{
std::string
Fmt(Time t)
{
    std::ostringstream os;
    os << t.As(Time::S);
    return os.str();
}
} // namespace

void
GenesisCellularIpTimers::Check(const std::string& where) const
{
    std::ostringstream err;
    auto positive = [&err](const char* name, Time t) {
        if (t <= Time(0))
        {
            err << "\n  " << name << " = " << Fmt(t) << " must be positive";
        }
    };
    positive("RouteUpdateTime", routeUpdateTime);
    positive("RouteTimeout", routeTimeout);
    positive("PagingUpdateTime", pagingUpdateTime);
    positive("PagingTimeout", pagingTimeout);
    positive("ActiveStateTimeout", activeStateTimeout);
    positive("BeaconInterval", beaconInterval);
    positive("AirBeaconInterval", airBeaconInterval);
    if (semisoftDelay < Time(0))
    {
        err << "\n  SemisoftDelay = " << Fmt(semisoftDelay) << " must not be negative";
    }
    if (routeTimeout <= routeUpdateTime)
    {
        err << "\n  RouteTimeout (" << Fmt(routeTimeout)
            << ") must be longer than RouteUpdateTime (" << Fmt(routeUpdateTime)
            << "): route-cache mappings of an active host would expire between its "
               "route-updates; make RouteTimeout a few times RouteUpdateTime (the default is 3x)";
    }
    if (pagingTimeout <= pagingUpdateTime)
    {
        err << "\n  PagingTimeout (" << Fmt(pagingTimeout)
            << ") must be longer than PagingUpdateTime (" << Fmt(pagingUpdateTime)
            << "): paging-cache mappings of an idle host would expire between its "
               "paging-updates; make PagingTimeout a few times PagingUpdateTime (the default "
               "is 3x)";
    }
    if (pagingUpdateTime < routeUpdateTime)
    {
        err << "\n  PagingUpdateTime (" << Fmt(pagingUpdateTime)
            << ") is shorter than RouteUpdateTime (" << Fmt(routeUpdateTime)
            << "): idle hosts would signal more often than active ones; make PagingUpdateTime "
               "at least RouteUpdateTime";
    }
    if (!err.str().empty())
    {
        throw GenesisError(where + ": inconsistent Cellular IP timers:" + err.str());
    }
}

TypeId
GenesisCellularIpRouting::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisCellularIpRouting")
            .SetParent<Ipv4RoutingProtocol>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisCellularIpRouting>()
            .AddAttribute("Role",
                          "The node's role in the Cellular IP access network.",
                          EnumValue(GenesisCellularIpRouting::NODE),
                          MakeEnumAccessor(&GenesisCellularIpRouting::m_role),
                          MakeEnumChecker(GenesisCellularIpRouting::GATEWAY,
                                          "Gateway",
                                          GenesisCellularIpRouting::NODE,
                                          "Node",
                                          GenesisCellularIpRouting::BASE_STATION,
                                          "BaseStation"))
            .AddAttribute("Network",
                          "The Cellular IP address range (mobile hosts' addresses).",
                          Ipv4AddressValue("10.50.0.0"),
                          MakeIpv4AddressAccessor(&GenesisCellularIpRouting::m_network),
                          MakeIpv4AddressChecker())
            .AddAttribute("Mask",
                          "The mask of the Cellular IP address range.",
                          Ipv4MaskValue("255.255.0.0"),
                          MakeIpv4MaskAccessor(&GenesisCellularIpRouting::m_mask),
                          MakeIpv4MaskChecker())
            .AddAttribute("ControlPort",
                          "UDP port of Cellular IP control packets (beacons, route- and "
                          "paging-updates).",
                          UintegerValue(5454),
                          MakeUintegerAccessor(&GenesisCellularIpRouting::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ControlTos",
                          "IPv4 TOS byte of control packets (CS6 by default, so the "
                          "low-priority discard module never drops them first).",
                          UintegerValue(0xc0),
                          MakeUintegerAccessor(&GenesisCellularIpRouting::m_controlTos),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("PagingCache",
                          "Whether this node keeps a paging cache. A node without one "
                          "broadcasts downlink packets for unknown hosts on every downlink "
                          "interface (broadcast paging).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisCellularIpRouting::m_keepPagingCache),
                          MakeBooleanChecker())
            .AddAttribute("RouteUpdateTime",
                          "Maximal time between route-updates of an active host (the timeout "
                          "checks use it).",
                          TimeValue(Seconds(3)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_routeUpdateTime),
                          MakeTimeChecker())
            .AddAttribute("RouteTimeout",
                          "Lifetime of a route-cache mapping after its last refresh.",
                          TimeValue(Seconds(9)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_routeTimeout),
                          MakeTimeChecker())
            .AddAttribute("PagingUpdateTime",
                          "Time between paging-updates of an idle host.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_pagingUpdateTime),
                          MakeTimeChecker())
            .AddAttribute("PagingTimeout",
                          "Lifetime of a paging-cache mapping after its last refresh.",
                          TimeValue(Seconds(90)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_pagingTimeout),
                          MakeTimeChecker())
            .AddAttribute("ActiveStateTimeout",
                          "Time after its last data packet when a host returns to idle (checked "
                          "with the other timers).",
                          TimeValue(Seconds(6)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_activeStateTimeout),
                          MakeTimeChecker())
            .AddAttribute("SemisoftDelay",
                          "Delay of packets on the new path at the crossover node during a "
                          "semisoft handoff.",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_semisoftDelay),
                          MakeTimeChecker())
            .AddAttribute("BeaconInterval",
                          "Period of the gateway's beacons.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_beaconInterval),
                          MakeTimeChecker())
            .AddAttribute("AirBeaconInterval",
                          "Period of a base station's beacons on its air interface.",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&GenesisCellularIpRouting::m_airBeaconInterval),
                          MakeTimeChecker())
            .AddTraceSource("ControlTx",
                            "A control packet was sent: header, interface.",
                            MakeTraceSourceAccessor(&GenesisCellularIpRouting::m_controlTxTrace),
                            "ns3::GenesisCellularIpRouting::ControlTracedCallback")
            .AddTraceSource("ControlRx",
                            "A control packet was received or snooped: header, interface.",
                            MakeTraceSourceAccessor(&GenesisCellularIpRouting::m_controlRxTrace),
                            "ns3::GenesisCellularIpRouting::ControlTracedCallback")
            .AddTraceSource("PacketLost",
                            "A packet of the Cellular IP range was dropped: packet, IP header, "
                            "reason (no-uplink, no-mapping).",
                            MakeTraceSourceAccessor(&GenesisCellularIpRouting::m_lostTrace),
                            "ns3::GenesisCellularIpRouting::LostTracedCallback")
            .AddTraceSource("Paging",
                            "A downlink packet for a host without route-cache mapping was "
                            "forwarded by paging: host, how (paging-cache or broadcast).",
                            MakeTraceSourceAccessor(&GenesisCellularIpRouting::m_pagingTrace),
                            "ns3::GenesisCellularIpRouting::PagingTracedCallback");
    return tid;
}

GenesisCellularIpRouting::GenesisCellularIpRouting()
    : m_role(NODE),
      m_port(5454),
      m_controlTos(0xc0),
      m_keepPagingCache(true),
      m_airInterface(-1),
      m_uplink(-1),
      m_hops(0),
      m_beaconSeq(0),
      m_beaconSeen(false),
      m_stopped(false)
{
    m_routeCache = CreateObject<GenesisCellularIpCache>();
    m_pagingCache = CreateObject<GenesisCellularIpCache>();
}

GenesisCellularIpRouting::~GenesisCellularIpRouting() = default;

GenesisCellularIpTimers
GenesisCellularIpRouting::GetTimers() const
{
    GenesisCellularIpTimers t;
    t.routeUpdateTime = m_routeUpdateTime;
    t.routeTimeout = m_routeTimeout;
    t.pagingUpdateTime = m_pagingUpdateTime;
    t.pagingTimeout = m_pagingTimeout;
    t.activeStateTimeout = m_activeStateTimeout;
    t.semisoftDelay = m_semisoftDelay;
    t.beaconInterval = m_beaconInterval;
    t.airBeaconInterval = m_airBeaconInterval;
    return t;
}

void
GenesisCellularIpRouting::SetTimers(const GenesisCellularIpTimers& t)
{
    t.Check("GenesisCellularIpRouting");
    m_routeUpdateTime = t.routeUpdateTime;
    m_routeTimeout = t.routeTimeout;
    m_pagingUpdateTime = t.pagingUpdateTime;
    m_pagingTimeout = t.pagingTimeout;
    m_activeStateTimeout = t.activeStateTimeout;
    m_semisoftDelay = t.semisoftDelay;
    m_beaconInterval = t.beaconInterval;
    m_airBeaconInterval = t.airBeaconInterval;
    m_routeCache->SetTimeout(m_routeTimeout);
    m_pagingCache->SetTimeout(m_pagingTimeout);
}

void
GenesisCellularIpRouting::DoInitialize()
{
    std::ostringstream where;
    where << "GenesisCellularIpRouting on node "
          << (m_ipv4 ? m_ipv4->GetObject<Node>()->GetId() : 0);
    GetTimers().Check(where.str());
    m_routeCache->SetTimeout(m_routeTimeout);
    m_pagingCache->SetTimeout(m_pagingTimeout);
    OpenSockets();
    if (m_role == GATEWAY)
    {
        m_gatewayId = GetInterfaceAddress(m_cipInterfaces.empty() ? 1 : *m_cipInterfaces.begin());
        m_beaconSeen = true;
        m_beaconEvent = Simulator::ScheduleNow(&GenesisCellularIpRouting::SendGatewayBeacon, this);
    }
    if (m_airInterface >= 0)
    {
        // A random phase, so that base stations sharing a channel do not
        // beacon at the same instant and collide every time.
        Ptr<UniformRandomVariable> phase = CreateObject<UniformRandomVariable>();
        m_airBeaconEvent =
            Simulator::Schedule(Seconds(phase->GetValue(0, m_airBeaconInterval.GetSeconds())),
                                &GenesisCellularIpRouting::SendAirBeacon,
                                this);
    }
    Ipv4RoutingProtocol::DoInitialize();
}

void
GenesisCellularIpRouting::DoDispose()
{
    m_beaconEvent.Cancel();
    m_airBeaconEvent.Cancel();
    if (m_rxSocket)
    {
        m_rxSocket->Close();
        m_rxSocket = nullptr;
    }
    for (auto& kv : m_txSockets)
    {
        kv.second->Close();
    }
    m_txSockets.clear();
    m_routeCache->Dispose();
    m_pagingCache->Dispose();
    m_ipv4 = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

void
GenesisCellularIpRouting::OpenSockets()
{
    if (!m_ipv4 || m_rxSocket)
    {
        return;
    }
    Ptr<Node> node = m_ipv4->GetObject<Node>();
    m_rxSocket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_rxSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_rxSocket->SetRecvPktInfo(true);
    m_rxSocket->SetAllowBroadcast(true);
    m_rxSocket->SetRecvCallback(MakeCallback(&GenesisCellularIpRouting::HandleControl, this));
    for (uint32_t i : m_cipInterfaces)
    {
        Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        s->Bind();
        s->BindToNetDevice(m_ipv4->GetNetDevice(i));
        s->SetAllowBroadcast(true);
        s->SetIpTos(m_controlTos);
        m_txSockets[i] = s;
    }
}

void
GenesisCellularIpRouting::AddCellularIpInterface(uint32_t interface)
{
    m_cipInterfaces.insert(interface);
}

void
GenesisCellularIpRouting::SetAirInterface(uint32_t interface)
{
    m_airInterface = interface;
    m_cipInterfaces.insert(interface);
    if (m_role == NODE)
    {
        m_role = BASE_STATION;
    }
}

void
GenesisCellularIpRouting::SetAdmission(Callback<bool, Ipv4Address> admit)
{
    m_admit = admit;
}

void
GenesisCellularIpRouting::Stop()
{
    NS_LOG_FUNCTION(this);
    m_stopped = true;
    m_beaconEvent.Cancel();
    m_airBeaconEvent.Cancel();
    if (m_rxSocket)
    {
        m_rxSocket->Close();
        m_rxSocket = nullptr;
    }
    for (auto& kv : m_txSockets)
    {
        kv.second->Close();
    }
    m_txSockets.clear();
    m_routeCache->Clear();
    m_pagingCache->Clear();
    m_admit.Nullify();
}

bool
GenesisCellularIpRouting::IsStopped() const
{
    return m_stopped;
}

Ptr<NetDevice>
GenesisCellularIpRouting::GetAirDevice() const
{
    if (!m_ipv4 || m_airInterface < 0)
    {
        return nullptr;
    }
    return m_ipv4->GetNetDevice(static_cast<uint32_t>(m_airInterface));
}

GenesisCellularIpRouting::Role
GenesisCellularIpRouting::GetRole() const
{
    return m_role;
}

void
GenesisCellularIpRouting::SetRole(Role role)
{
    m_role = role;
}

bool
GenesisCellularIpRouting::InRange(Ipv4Address a) const
{
    return m_mask.IsMatch(a, m_network) && !a.IsBroadcast() &&
           a != m_network.GetSubnetDirectedBroadcast(m_mask);
}

Ptr<GenesisCellularIpCache>
GenesisCellularIpRouting::GetRouteCache() const
{
    return m_routeCache;
}

Ptr<GenesisCellularIpCache>
GenesisCellularIpRouting::GetPagingCache() const
{
    return m_keepPagingCache ? m_pagingCache : nullptr;
}

int32_t
GenesisCellularIpRouting::GetUplinkInterface() const
{
    return m_uplink;
}

Ipv4Address
GenesisCellularIpRouting::GetGatewayId() const
{
    return m_gatewayId;
}

Ipv4Address
GenesisCellularIpRouting::GetInterfaceAddress(uint32_t interface) const
{
    if (!m_ipv4 || interface >= m_ipv4->GetNInterfaces() || m_ipv4->GetNAddresses(interface) == 0)
    {
        return Ipv4Address();
    }
    return m_ipv4->GetAddress(interface, 0).GetLocal();
}

void
GenesisCellularIpRouting::SendControl(const GenesisCellularIpHeader& h, uint32_t interface)
{
    auto found = m_txSockets.find(interface);
    if (found == m_txSockets.end())
    {
        return;
    }
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    NS_LOG_LOGIC("node " << m_ipv4->GetObject<Node>()->GetId() << " sends " << h << " on if "
                         << interface);
    found->second->SendTo(p, 0, InetSocketAddress(Ipv4Address::GetBroadcast(), m_port));
    m_controlTxTrace(h, interface);
}

void
GenesisCellularIpRouting::SendGatewayBeacon()
{
    GenesisCellularIpHeader h;
    h.SetType(GenesisCellularIpHeader::BEACON);
    h.SetGateway(m_gatewayId);
    h.SetSequence(++m_beaconSeq);
    h.SetHops(0);
    for (uint32_t i : m_cipInterfaces)
    {
        if (static_cast<int32_t>(i) != m_airInterface)
        {
            SendControl(h, i);
        }
    }
    m_beaconEvent =
        Simulator::Schedule(m_beaconInterval, &GenesisCellularIpRouting::SendGatewayBeacon, this);
}

void
GenesisCellularIpRouting::SendAirBeacon()
{
    if (m_beaconSeen)
    {
        GenesisCellularIpHeader h;
        h.SetType(GenesisCellularIpHeader::BEACON);
        h.SetGateway(m_gatewayId);
        h.SetSequence(m_beaconSeq);
        h.SetHops(m_hops);
        SendControl(h, m_airInterface);
    }
    m_airBeaconEvent =
        Simulator::Schedule(m_airBeaconInterval, &GenesisCellularIpRouting::SendAirBeacon, this);
}

void
GenesisCellularIpRouting::HandleControl(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        Ipv4PacketInfoTag info;
        if (!p->RemovePacketTag(info))
        {
            NS_LOG_LOGIC("control packet without Ipv4PacketInfoTag");
            continue;
        }
        uint32_t iif = info.GetRecvIf();
        // The tag carries the device's ifIndex; map it to the IPv4 interface.
        Ptr<Node> node = m_ipv4->GetObject<Node>();
        int32_t ipIf = m_ipv4->GetInterfaceForDevice(node->GetDevice(iif));
        if (ipIf < 0 || p->GetSize() < 16)
        {
            continue;
        }
        GenesisCellularIpHeader h;
        p->RemoveHeader(h);
        NS_LOG_LOGIC("node " << node->GetId() << " receives " << h << " on if " << ipIf);
        Ipv4Address src = InetSocketAddress::ConvertFrom(from).GetIpv4();
        uint32_t i = static_cast<uint32_t>(ipIf);
        if (m_cipInterfaces.count(i) == 0)
        {
            continue;
        }
        if (h.GetType() == GenesisCellularIpHeader::BEACON)
        {
            if (m_role == GATEWAY || static_cast<int32_t>(i) == m_airInterface)
            {
                continue; // our own flood coming back, or another base station's air beacon
            }
            m_controlRxTrace(h, i);
            bool fresh =
                !m_beaconSeen || h.GetGateway() != m_gatewayId || h.GetSequence() > m_beaconSeq;
            if (!fresh)
            {
                continue;
            }
            m_beaconSeen = true;
            m_gatewayId = h.GetGateway();
            m_beaconSeq = h.GetSequence();
            m_uplink = i;
            m_uplinkNeighbour = src;
            m_hops = h.GetHops() + 1;
            GenesisCellularIpHeader fwd = h;
            fwd.SetHops(m_hops);
            for (uint32_t j : m_cipInterfaces)
            {
                if (j != i && static_cast<int32_t>(j) != m_airInterface)
                {
                    SendControl(fwd, j);
                }
            }
        }
        else if (h.GetType() == GenesisCellularIpHeader::ROUTE_UPDATE ||
                 h.GetType() == GenesisCellularIpHeader::PAGING_UPDATE)
        {
            // Delivered locally: this node is the gateway the update is addressed to.
            m_controlRxTrace(h, i);
            if (static_cast<int32_t>(i) != m_uplink && InRange(src))
            {
                LearnControl(h, i, src);
            }
        }
    }
}

void
GenesisCellularIpRouting::LearnControl(const GenesisCellularIpHeader& h,
                                       uint32_t iif,
                                       Ipv4Address from)
{
    Ipv4Address mh = h.GetMobile() == Ipv4Address() ? from : h.GetMobile();
    if (h.GetType() == GenesisCellularIpHeader::ROUTE_UPDATE)
    {
        m_routeCache->Update(mh, iif, Ipv4Address(), h.IsSemisoft());
    }
    if (m_keepPagingCache)
    {
        m_pagingCache->Update(mh, iif, Ipv4Address(), false);
    }
}

bool
GenesisCellularIpRouting::PeekControl(Ptr<const Packet> p,
                                      const Ipv4Header& header,
                                      GenesisCellularIpHeader& out) const
{
    if (header.GetProtocol() != 17 || p->GetSize() < 8 + 16)
    {
        return false;
    }
    UdpHeader udp;
    p->PeekHeader(udp);
    if (udp.GetDestinationPort() != m_port)
    {
        return false;
    }
    Ptr<Packet> copy = p->Copy();
    copy->RemoveHeader(udp);
    copy->RemoveHeader(out);
    return out.GetType() != 0;
}

Ptr<Ipv4Route>
GenesisCellularIpRouting::MakeRoute(Ipv4Address dst,
                                    Ipv4Address gw,
                                    uint32_t interface,
                                    Ipv4Address src) const
{
    Ptr<Ipv4Route> r = Create<Ipv4Route>();
    r->SetDestination(dst);
    r->SetGateway(gw);
    r->SetOutputDevice(m_ipv4->GetNetDevice(interface));
    r->SetSource(src == Ipv4Address() ? GetInterfaceAddress(interface) : src);
    return r;
}

Ptr<Ipv4Route>
GenesisCellularIpRouting::RouteOutput(Ptr<Packet> p,
                                      const Ipv4Header& header,
                                      Ptr<NetDevice> oif,
                                      Socket::SocketErrno& sockerr)
{
    Ipv4Address dst = header.GetDestination();
    if (m_stopped || !InRange(dst))
    {
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    for (const auto& m : m_routeCache->Lookup(dst))
    {
        if (!oif || m_ipv4->GetNetDevice(m.interface) == oif)
        {
            sockerr = Socket::ERROR_NOTERROR;
            return MakeRoute(dst, dst, m.interface, Ipv4Address());
        }
    }
    sockerr = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

bool
GenesisCellularIpRouting::RouteInput(Ptr<const Packet> p,
                                     const Ipv4Header& header,
                                     Ptr<const NetDevice> idev,
                                     UnicastForwardCallback ucb,
                                     MulticastForwardCallback mcb,
                                     LocalDeliverCallback lcb,
                                     ErrorCallback ecb)
{
    Ipv4Address src = header.GetSource();
    Ipv4Address dst = header.GetDestination();
    bool srcIn = InRange(src);
    bool dstIn = InRange(dst);
    if (m_stopped || (!srcIn && !dstIn))
    {
        return false;
    }
    int32_t iifSigned = m_ipv4->GetInterfaceForDevice(idev);
    if (iifSigned < 0)
    {
        return false;
    }
    uint32_t iif = static_cast<uint32_t>(iifSigned);
    if (iifSigned == m_airInterface && srcIn && !m_admit.IsNull() && !m_admit(src))
    {
        m_lostTrace(p, header, "not-member");
        return true; // dropped: the host is not a member of the child network
    }
    bool fromBelow = m_cipInterfaces.count(iif) != 0 && iifSigned != m_uplink;

    GenesisCellularIpHeader control;
    bool isControl = srcIn && fromBelow && PeekControl(p, header, control);
    if (srcIn && fromBelow)
    {
        // Uplink: every packet of a host refreshes the paging cache; data and
        // route-updates refresh the route cache (draft §2.1, §2.2).
        if (isControl)
        {
            m_controlRxTrace(control, iif);
            LearnControl(control, iif, src);
        }
        else
        {
            m_routeCache->Update(src, iif, Ipv4Address(), false);
            if (m_keepPagingCache)
            {
                m_pagingCache->Update(src, iif, Ipv4Address(), false);
            }
        }
    }
    if (srcIn && fromBelow && m_role == GATEWAY && isControl)
    {
        return true; // control packets end at the gateway
    }
    // Every uplink packet travels to the gateway first (even host to host);
    // the gateway turns packets for the range down, others go to the parent.
    if (dstIn && !(srcIn && fromBelow && m_role != GATEWAY))
    {
        return ForwardDown(p, header, iif, ucb);
    }
    if (!(srcIn && fromBelow))
    {
        return false; // a host's packet arriving from above: not ours to route
    }
    if (m_role == GATEWAY)
    {
        return false; // the parent's routing takes it into the parent network
    }
    if (m_uplink < 0)
    {
        m_lostTrace(p, header, "no-uplink");
        return true;
    }
    ucb(MakeRoute(dst, m_uplinkNeighbour, m_uplink, src), p, header);
    return true;
}

bool
GenesisCellularIpRouting::ForwardDown(Ptr<const Packet> p,
                                      const Ipv4Header& header,
                                      uint32_t iif,
                                      const UnicastForwardCallback& ucb)
{
    Ipv4Address dst = header.GetDestination();
    std::vector<GenesisCellularIpCache::Mapping> maps = m_routeCache->Lookup(dst);
    if (maps.empty() && m_keepPagingCache)
    {
        maps = m_pagingCache->Lookup(dst);
        if (!maps.empty())
        {
            m_pagingTrace(dst, "paging-cache");
        }
    }
    if (maps.empty())
    {
        if (m_keepPagingCache)
        {
            m_lostTrace(p, header, "no-mapping");
            return true;
        }
        m_pagingTrace(dst, "broadcast");
        for (uint32_t j : m_cipInterfaces)
        {
            if (static_cast<int32_t>(j) != m_uplink && j != iif)
            {
                maps.push_back(GenesisCellularIpCache::Mapping{j, Ipv4Address(), Time(0), false});
            }
        }
        if (maps.empty())
        {
            m_lostTrace(p, header, "no-mapping");
            return true;
        }
    }
    for (const auto& m : maps)
    {
        Ptr<Ipv4Route> route = MakeRoute(dst, dst, m.interface, header.GetSource());
        if (m.semisoft && m_semisoftDelay > Time(0))
        {
            Simulator::Schedule(m_semisoftDelay,
                                [ucb, route, p, header]() { ucb(route, p, header); });
        }
        else
        {
            ucb(route, p, header);
        }
    }
    return true;
}

void
GenesisCellularIpRouting::NotifyInterfaceUp(uint32_t interface)
{
}

void
GenesisCellularIpRouting::NotifyInterfaceDown(uint32_t interface)
{
}

void
GenesisCellularIpRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
}

void
GenesisCellularIpRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
}

void
GenesisCellularIpRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
}

void
GenesisCellularIpRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "Cellular IP "
       << (m_role == GATEWAY ? "gateway"
           : m_role == NODE  ? "node"
                             : "base station")
       << " node " << m_ipv4->GetObject<Node>()->GetId() << ", range " << m_network << "/"
       << m_mask.GetPrefixLength() << ", uplink if " << m_uplink << ", gateway " << m_gatewayId
       << ", route cache " << m_routeCache->GetSize() << " hosts, paging cache "
       << (m_keepPagingCache ? m_pagingCache->GetSize() : 0) << " hosts\n";
}

} // namespace ns3
