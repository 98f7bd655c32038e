/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cellular-ip-mobile-host.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisCellularIpMobileHost");
NS_OBJECT_ENSURE_REGISTERED(GenesisCellularIpMobileHost);

namespace
{
constexpr uint16_t IPV4_PROTOCOL = 0x0800;
} // namespace

TypeId
GenesisCellularIpMobileHost::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisCellularIpMobileHost")
            .SetParent<Application>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisCellularIpMobileHost>()
            .AddAttribute("ControlPort",
                          "UDP port of Cellular IP control packets.",
                          UintegerValue(5454),
                          MakeUintegerAccessor(&GenesisCellularIpMobileHost::m_port_),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ControlTos",
                          "IPv4 TOS byte of control packets.",
                          UintegerValue(0xc0),
                          MakeUintegerAccessor(&GenesisCellularIpMobileHost::m_controlTos),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("RouteUpdateTime",
                          "An active host sends a route-update when it has sent nothing up "
                          "for this long.",
                          TimeValue(Seconds(3)),
                          MakeTimeAccessor(&GenesisCellularIpMobileHost::m_routeUpdateTime),
                          MakeTimeChecker())
            .AddAttribute("PagingUpdateTime",
                          "An idle host sends a paging-update this often.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&GenesisCellularIpMobileHost::m_pagingUpdateTime),
                          MakeTimeChecker())
            .AddAttribute("ActiveStateTimeout",
                          "The host becomes idle this long after its last data packet.",
                          TimeValue(Seconds(6)),
                          MakeTimeAccessor(&GenesisCellularIpMobileHost::m_activeStateTimeout),
                          MakeTimeChecker())
            .AddAttribute("SemisoftSwitchTime",
                          "Semisoft handoff: time between the semisoft route-update through "
                          "the new base station and the switch of the radio to it.",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&GenesisCellularIpMobileHost::m_semisoftSwitchTime),
                          MakeTimeChecker())
            .AddAttribute("BeaconTimeout",
                          "The current base station is considered lost when no beacon of it "
                          "was heard for this long.",
                          TimeValue(MilliSeconds(350)),
                          MakeTimeAccessor(&GenesisCellularIpMobileHost::m_beaconTimeout),
                          MakeTimeChecker())
            .AddAttribute("HandoffType",
                          "The handoff the agent performs by itself.",
                          EnumValue(GenesisCellularIpMobileHost::SEMISOFT),
                          MakeEnumAccessor(&GenesisCellularIpMobileHost::m_handoffType),
                          MakeEnumChecker(GenesisCellularIpMobileHost::HARD,
                                          "Hard",
                                          GenesisCellularIpMobileHost::SEMISOFT,
                                          "Semisoft"))
            .AddAttribute("AutoHandoff",
                          "Whether the agent picks its base station by beacon power.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisCellularIpMobileHost::m_autoHandoff),
                          MakeBooleanChecker())
            .AddAttribute("Hysteresis",
                          "A base station must be this many dB stronger than the current one "
                          "to trigger a handoff.",
                          DoubleValue(3.0),
                          MakeDoubleAccessor(&GenesisCellularIpMobileHost::m_hysteresis),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("SignalSmoothing",
                          "Weight of a new beacon power sample in the moving average "
                          "(1: no smoothing).",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&GenesisCellularIpMobileHost::m_smoothing),
                          MakeDoubleChecker<double>(0.01, 1.0))
            .AddTraceSource("Handoff",
                            "A handoff: old BS, new BS, type (hard/semisoft), duration from the "
                            "radio switch to the first packet through the new BS (negative if "
                            "none arrived before the next handoff or the stop).",
                            MakeTraceSourceAccessor(&GenesisCellularIpMobileHost::m_handoffTrace),
                            "ns3::GenesisCellularIpMobileHost::HandoffTracedCallback")
            .AddTraceSource("State",
                            "Idle/active state change: old, new.",
                            MakeTraceSourceAccessor(&GenesisCellularIpMobileHost::m_stateTrace),
                            "ns3::GenesisCellularIpMobileHost::StateTracedCallback")
            .AddTraceSource("ControlTx",
                            "A route-update or paging-update was sent.",
                            MakeTraceSourceAccessor(&GenesisCellularIpMobileHost::m_controlTxTrace),
                            "ns3::GenesisCellularIpMobileHost::ControlTracedCallback")
            .AddTraceSource("PacketLost",
                            "A packet was lost at the host: packet, reason (not-listening, "
                            "semisoft-new-path, no-base-station).",
                            MakeTraceSourceAccessor(&GenesisCellularIpMobileHost::m_lostTrace),
                            "ns3::GenesisCellularIpMobileHost::LostTracedCallback")
            .AddTraceSource("Paged",
                            "An idle host was reached by a downlink packet and became active.",
                            MakeTraceSourceAccessor(&GenesisCellularIpMobileHost::m_pagedTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

GenesisCellularIpMobileHost::GenesisCellularIpMobileHost()
    : m_port_(5454),
      m_controlTos(0xc0),
      m_handoffType(SEMISOFT),
      m_autoHandoff(true),
      m_hysteresis(3.0),
      m_smoothing(0.5),
      m_state(IDLE),
      m_handoffPending(false),
      m_routeUpdates(0),
      m_pagingUpdates(0),
      m_ipId(0),
      m_rxPowerNext(0),
      m_running(false)
{
    m_rxPower.fill({std::numeric_limits<uint64_t>::max(), 0.0});
}

void
GenesisCellularIpMobileHost::DoDispose()
{
    m_updateEvent.Cancel();
    m_activeEvent.Cancel();
    m_semisoftEvent.Cancel();
    m_air = nullptr;
    m_port = nullptr;
    Application::DoDispose();
}

void
GenesisCellularIpMobileHost::Setup(Ptr<NetDevice> air,
                                   Ptr<VirtualNetDevice> port,
                                   Ipv4Address address)
{
    m_air = air;
    m_port = port;
    m_address = address;
    Ptr<Node> node = air->GetNode();
    node->RegisterProtocolHandler(MakeCallback(&GenesisCellularIpMobileHost::ReceiveFromAir, this),
                                  0,
                                  air,
                                  true); // promiscuous: the only way to learn the packet type
    port->SetSendCallback(MakeCallback(&GenesisCellularIpMobileHost::SendFromPort, this));
    std::ostringstream path;
    path << "/NodeList/" << node->GetId() << "/DeviceList/" << air->GetIfIndex()
         << "/$ns3::WifiNetDevice/Phy/PhyRxBegin";
    Config::ConnectWithoutContextFailSafe(
        path.str(),
        MakeCallback(&GenesisCellularIpMobileHost::PhyRxBegin, this));
}

void
GenesisCellularIpMobileHost::StartApplication()
{
    m_running = true;
    m_lastUplink = Simulator::Now();
    m_updateEvent = Simulator::Schedule(m_state == ACTIVE ? m_routeUpdateTime : m_pagingUpdateTime,
                                        &GenesisCellularIpMobileHost::UpdateTimer,
                                        this);
}

void
GenesisCellularIpMobileHost::StopApplication()
{
    m_running = false;
    m_updateEvent.Cancel();
    m_activeEvent.Cancel();
    m_semisoftEvent.Cancel();
    if (m_handoffPending)
    {
        ReportHandoff(Time(-1));
    }
}

void
GenesisCellularIpMobileHost::PhyRxBegin(Ptr<const Packet> p,
                                        std::map<std::pair<uint32_t, uint32_t>, double> powers)
{
    double w = 0;
    for (const auto& kv : powers)
    {
        w += kv.second;
    }
    m_rxPower[m_rxPowerNext++ % m_rxPower.size()] = {p->GetUid(), w};
}

void
GenesisCellularIpMobileHost::ReceiveFromAir(Ptr<NetDevice> device,
                                            Ptr<const Packet> packet,
                                            uint16_t protocol,
                                            const Address& from,
                                            const Address& to,
                                            NetDevice::PacketType type)
{
    if (protocol != IPV4_PROTOCOL || !m_port)
    {
        return; // the host's port needs no ARP (see CellularIpHelper)
    }
    Mac48Address mac = Mac48Address::ConvertFrom(from);
    NS_LOG_LOGIC("host " << m_address << " frame from " << mac << " type " << type << " size "
                         << packet->GetSize());
    if (type == NetDevice::PACKET_BROADCAST || type == NetDevice::PACKET_MULTICAST)
    {
        Ptr<Packet> copy = packet->Copy();
        Ipv4Header ip;
        UdpHeader udp;
        GenesisCellularIpHeader h;
        if (copy->GetSize() >= 20 + 8 + 16 && copy->RemoveHeader(ip) && ip.GetProtocol() == 17 &&
            copy->RemoveHeader(udp) && udp.GetDestinationPort() == m_port_)
        {
            copy->RemoveHeader(h);
            if (h.GetType() == GenesisCellularIpHeader::BEACON)
            {
                // Power of this frame from the PHY; NaN when the radio reports
                // none (not a WifiNetDevice): the sample is then ignored.
                double dbm = std::numeric_limits<double>::quiet_NaN();
                for (const auto& e : m_rxPower)
                {
                    if (e.first == packet->GetUid() && e.second > 0)
                    {
                        dbm = 10.0 * std::log10(e.second * 1000.0);
                    }
                }
                HandleBeacon(h, ip.GetSource(), mac, dbm);
            }
        }
        return; // beacons are for the agent; no other broadcast reaches the host
    }
    if (type != NetDevice::PACKET_HOST)
    {
        return;
    }
    auto cur = m_bs.find(m_current);
    if (cur == m_bs.end() || cur->second.mac != mac)
    {
        auto target = m_bs.find(m_semisoftTarget);
        bool semisoftPath = target != m_bs.end() && target->second.mac == mac;
        m_lostTrace(packet, semisoftPath ? "semisoft-new-path" : "not-listening");
        return;
    }
    if (m_handoffPending)
    {
        ReportHandoff(Simulator::Now() - m_switchTime);
    }
    bool wasIdle = m_state == IDLE;
    NoteData();
    m_port->Receive(packet->Copy(), protocol, from, m_port->GetAddress(), NetDevice::PACKET_HOST);
    if (wasIdle)
    {
        m_pagedTrace(packet);
        SendControl(GenesisCellularIpHeader::ROUTE_UPDATE, false, m_current);
    }
}

bool
GenesisCellularIpMobileHost::SendFromPort(Ptr<Packet> packet,
                                          const Address& source,
                                          const Address& dest,
                                          uint16_t protocol)
{
    auto cur = m_bs.find(m_current);
    if (cur == m_bs.end())
    {
        m_lostTrace(packet, "no-base-station");
        return false;
    }
    NoteData();
    m_lastUplink = Simulator::Now();
    return m_air->Send(packet, cur->second.mac, protocol);
}

void
GenesisCellularIpMobileHost::HandleBeacon(const GenesisCellularIpHeader& h,
                                          Ipv4Address bs,
                                          Mac48Address mac,
                                          double dbm)
{
    auto it = m_bs.find(bs);
    if (it == m_bs.end())
    {
        m_bs[bs] =
            BaseStation{mac, std::isnan(dbm) ? -200.0 : dbm, Simulator::Now(), h.GetGateway()};
    }
    else
    {
        if (!std::isnan(dbm))
        {
            it->second.dbm = m_smoothing * dbm + (1 - m_smoothing) * it->second.dbm;
        }
        it->second.lastHeard = Simulator::Now();
        it->second.gateway = h.GetGateway();
        it->second.mac = mac;
    }
    m_gateway = h.GetGateway();
    if (m_running)
    {
        EvaluateHandoff();
    }
}

void
GenesisCellularIpMobileHost::EvaluateHandoff()
{
    Time now = Simulator::Now();
    Ipv4Address best;
    double bestDbm = -std::numeric_limits<double>::infinity();
    for (const auto& kv : m_bs)
    {
        if (now - kv.second.lastHeard <= m_beaconTimeout && kv.second.dbm > bestDbm)
        {
            best = kv.first;
            bestDbm = kv.second.dbm;
        }
    }
    if (best == Ipv4Address())
    {
        return;
    }
    auto cur = m_bs.find(m_current);
    if (cur == m_bs.end())
    {
        // First attachment: announce ourselves.
        m_current = best;
        SendControl(m_state == ACTIVE ? GenesisCellularIpHeader::ROUTE_UPDATE
                                      : GenesisCellularIpHeader::PAGING_UPDATE,
                    false,
                    m_current);
        return;
    }
    if (!m_autoHandoff || m_semisoftEvent.IsRunning() || best == m_current)
    {
        return;
    }
    if (now - cur->second.lastHeard > m_beaconTimeout)
    {
        HandoffTo(best, HARD); // the old base station is gone: nothing to be soft about
    }
    else if (bestDbm > cur->second.dbm + m_hysteresis)
    {
        HandoffTo(best, m_handoffType);
    }
}

bool
GenesisCellularIpMobileHost::HandoffTo(Ipv4Address bs, HandoffType type)
{
    if (m_bs.find(bs) == m_bs.end() || bs == m_current || m_semisoftEvent.IsRunning())
    {
        return false;
    }
    Ipv4Address old = m_current;
    if (m_handoffPending)
    {
        ReportHandoff(Time(-1));
    }
    if (type == SEMISOFT && m_state == ACTIVE && m_bs.count(old) != 0)
    {
        m_semisoftTarget = bs;
        SendControl(GenesisCellularIpHeader::ROUTE_UPDATE, true, bs);
        m_semisoftEvent = Simulator::Schedule(m_semisoftSwitchTime,
                                              &GenesisCellularIpMobileHost::CompleteSemisoft,
                                              this);
        return true;
    }
    m_current = bs;
    m_handoffPending = true;
    m_handoffOld = old;
    m_handoffNew = bs;
    m_handoffKind = "hard";
    m_switchTime = Simulator::Now();
    SendControl(m_state == ACTIVE ? GenesisCellularIpHeader::ROUTE_UPDATE
                                  : GenesisCellularIpHeader::PAGING_UPDATE,
                false,
                bs);
    return true;
}

void
GenesisCellularIpMobileHost::CompleteSemisoft()
{
    Ipv4Address old = m_current;
    m_current = m_semisoftTarget;
    m_semisoftTarget = Ipv4Address();
    m_handoffPending = true;
    m_handoffOld = old;
    m_handoffNew = m_current;
    m_handoffKind = "semisoft";
    m_switchTime = Simulator::Now();
    SendControl(GenesisCellularIpHeader::ROUTE_UPDATE, false, m_current);
}

void
GenesisCellularIpMobileHost::ReportHandoff(Time duration)
{
    m_handoffPending = false;
    m_handoffTrace(m_handoffOld, m_handoffNew, m_handoffKind, duration);
}

void
GenesisCellularIpMobileHost::SendControl(GenesisCellularIpHeader::Type type,
                                         bool semisoft,
                                         Ipv4Address bs)
{
    auto it = m_bs.find(bs);
    if (it == m_bs.end() || m_gateway == Ipv4Address())
    {
        return;
    }
    GenesisCellularIpHeader h;
    h.SetType(type);
    h.SetSemisoft(semisoft);
    h.SetMobile(m_address);
    h.SetGateway(m_gateway);
    h.SetSequence(type == GenesisCellularIpHeader::ROUTE_UPDATE ? ++m_routeUpdates
                                                                : ++m_pagingUpdates);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    UdpHeader udp;
    udp.SetSourcePort(m_port_);
    udp.SetDestinationPort(m_port_);
    if (Node::ChecksumEnabled())
    {
        udp.EnableChecksums();
        udp.InitializeChecksum(m_address, m_gateway, 17);
    }
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(m_address);
    ip.SetDestination(m_gateway);
    ip.SetProtocol(17);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(64);
    ip.SetTos(m_controlTos);
    ip.SetIdentification(m_ipId++);
    if (Node::ChecksumEnabled())
    {
        ip.EnableChecksum();
    }
    p->AddHeader(ip);
    m_lastUplink = Simulator::Now();
    m_controlTxTrace(h);
    m_air->Send(p, it->second.mac, IPV4_PROTOCOL);
}

void
GenesisCellularIpMobileHost::NoteData()
{
    m_lastData = Simulator::Now();
    if (m_state == IDLE)
    {
        SetState(ACTIVE);
    }
    if (!m_activeEvent.IsRunning())
    {
        m_activeEvent = Simulator::Schedule(m_activeStateTimeout,
                                            &GenesisCellularIpMobileHost::ActiveTimer,
                                            this);
    }
}

void
GenesisCellularIpMobileHost::ActiveTimer()
{
    Time idleFor = Simulator::Now() - m_lastData;
    if (idleFor >= m_activeStateTimeout)
    {
        SetState(IDLE);
        return;
    }
    m_activeEvent = Simulator::Schedule(m_activeStateTimeout - idleFor,
                                        &GenesisCellularIpMobileHost::ActiveTimer,
                                        this);
}

void
GenesisCellularIpMobileHost::SetState(State s)
{
    if (s == m_state)
    {
        return;
    }
    State old = m_state;
    m_state = s;
    m_stateTrace(old, s);
    if (m_running)
    {
        m_updateEvent.Cancel();
        Time period = s == ACTIVE ? m_routeUpdateTime : m_pagingUpdateTime;
        Time next = m_lastUplink + period - Simulator::Now();
        m_updateEvent = Simulator::Schedule(std::max(next, Time(0)),
                                            &GenesisCellularIpMobileHost::UpdateTimer,
                                            this);
    }
}

void
GenesisCellularIpMobileHost::UpdateTimer()
{
    Time period = m_state == ACTIVE ? m_routeUpdateTime : m_pagingUpdateTime;
    if (Simulator::Now() - m_lastUplink >= period && m_bs.count(m_current) != 0)
    {
        SendControl(m_state == ACTIVE ? GenesisCellularIpHeader::ROUTE_UPDATE
                                      : GenesisCellularIpHeader::PAGING_UPDATE,
                    false,
                    m_current);
    }
    Time next = m_lastUplink + period - Simulator::Now();
    m_updateEvent = Simulator::Schedule(next > Time(0) ? next : period,
                                        &GenesisCellularIpMobileHost::UpdateTimer,
                                        this);
}

GenesisCellularIpMobileHost::State
GenesisCellularIpMobileHost::GetState() const
{
    return m_state;
}

Ipv4Address
GenesisCellularIpMobileHost::GetCurrentBaseStation() const
{
    return m_current;
}

Ptr<NetDevice>
GenesisCellularIpMobileHost::GetRadio() const
{
    return m_air;
}

Ipv4Address
GenesisCellularIpMobileHost::GetAddress() const
{
    return m_address;
}

uint32_t
GenesisCellularIpMobileHost::GetRouteUpdatesSent() const
{
    return m_routeUpdates;
}

uint32_t
GenesisCellularIpMobileHost::GetPagingUpdatesSent() const
{
    return m_pagingUpdates;
}

double
GenesisCellularIpMobileHost::GetSignal(Ipv4Address bs) const
{
    auto it = m_bs.find(bs);
    return it == m_bs.end() ? -std::numeric_limits<double>::infinity() : it->second.dbm;
}

} // namespace ns3
