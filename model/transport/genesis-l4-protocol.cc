/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-l4-protocol.h"

#include "genesis-shim-header.h"
#include "routelet-port.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisL4Protocol");
NS_OBJECT_ENSURE_REGISTERED(GenesisL4Protocol);

TypeId
GenesisL4Protocol::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisL4Protocol")
            .SetParent<IpL4Protocol>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisL4Protocol>()
            .AddAttribute("Protocol",
                          "IP protocol number of the Genesis encapsulation (RFC 3692: 253 or "
                          "254 for experiments). Set it before the protocol is installed.",
                          UintegerValue(DEFAULT_PROTOCOL),
                          MakeUintegerAccessor(&GenesisL4Protocol::m_protocol),
                          MakeUintegerChecker<uint8_t>(1, 254))
            .AddTraceSource("Transit",
                            "A Genesis packet was label-switched on to the next hop",
                            MakeTraceSourceAccessor(&GenesisL4Protocol::m_transitTrace),
                            "ns3::GenesisL4Protocol::PacketTracedCallback")
            .AddTraceSource("Deliver",
                            "A Genesis packet was delivered to a routelet port on this node",
                            MakeTraceSourceAccessor(&GenesisL4Protocol::m_deliverTrace),
                            "ns3::GenesisL4Protocol::PacketTracedCallback")
            .AddTraceSource("Drop",
                            "A Genesis packet was dropped by the demultiplexor (with reason)",
                            MakeTraceSourceAccessor(&GenesisL4Protocol::m_dropTrace),
                            "ns3::GenesisL4Protocol::DropTracedCallback");
    return tid;
}

GenesisL4Protocol::GenesisL4Protocol()
    : m_protocol(DEFAULT_PROTOCOL)
{
    NS_LOG_FUNCTION(this);
}

GenesisL4Protocol::~GenesisL4Protocol()
{
    NS_LOG_FUNCTION(this);
}

Ptr<GenesisL4Protocol>
GenesisL4Protocol::Install(Ptr<Node> node)
{
    Ptr<GenesisL4Protocol> l4 = node->GetObject<GenesisL4Protocol>();
    if (l4)
    {
        return l4;
    }
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    if (!ipv4)
    {
        return nullptr;
    }
    l4 = CreateObject<GenesisL4Protocol>();
    node->AggregateObject(l4);
    return l4;
}

void
GenesisL4Protocol::SetNode(Ptr<Node> node)
{
    m_node = node;
}

Ptr<Node>
GenesisL4Protocol::GetNode() const
{
    return m_node;
}

void
GenesisL4Protocol::NotifyNewAggregate()
{
    NS_LOG_FUNCTION(this);
    if (!m_node)
    {
        Ptr<Node> node = GetObject<Node>();
        if (node)
        {
            Ptr<Ipv4L3Protocol> ipv4 = GetObject<Ipv4L3Protocol>();
            if (ipv4)
            {
                m_node = node;
                ipv4->Insert(this);
                SetDownTarget(MakeCallback(&Ipv4L3Protocol::Send, ipv4));
            }
        }
    }
    IpL4Protocol::NotifyNewAggregate();
}

void
GenesisL4Protocol::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_entries.clear();
    m_node = nullptr;
    m_downTarget = DownTargetCallback();
    m_downTarget6 = DownTargetCallback6();
    IpL4Protocol::DoDispose();
}

int
GenesisL4Protocol::GetProtocolNumber() const
{
    return m_protocol;
}

void
GenesisL4Protocol::AddTransit(uint32_t vlinkId,
                              bool reverse,
                              const std::vector<uint16_t>& labels,
                              Hop hop)
{
    NS_LOG_FUNCTION(this << vlinkId << reverse);
    Entry& e = m_entries[Key(vlinkId, reverse)];
    e.labels = labels;
    e.port = nullptr;
    e.hop = hop;
}

void
GenesisL4Protocol::AddDelivery(uint32_t vlinkId,
                               bool reverse,
                               const std::vector<uint16_t>& labels,
                               Ptr<RouteletPort> port)
{
    NS_LOG_FUNCTION(this << vlinkId << reverse << port);
    Entry& e = m_entries[Key(vlinkId, reverse)];
    e.labels = labels;
    e.port = port;
    e.hop = Hop();
}

void
GenesisL4Protocol::RemoveEntry(uint32_t vlinkId, bool reverse)
{
    NS_LOG_FUNCTION(this << vlinkId << reverse);
    m_entries.erase(Key(vlinkId, reverse));
}

std::size_t
GenesisL4Protocol::GetNEntries() const
{
    return m_entries.size();
}

void
GenesisL4Protocol::SendOnHop(Ptr<Packet> packet, const Hop& hop)
{
    NS_LOG_FUNCTION(this << packet);
    m_downTarget(packet, hop.route->GetSource(), hop.route->GetGateway(), m_protocol, hop.route);
}

void
GenesisL4Protocol::SendOnHopCopy(Ptr<Packet> packet, Hop hop)
{
    if (m_node)
    {
        SendOnHop(packet, hop);
    }
}

IpL4Protocol::RxStatus
GenesisL4Protocol::Receive(Ptr<Packet> p,
                           const Ipv4Header& header,
                           Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    GenesisShimHeader shim;
    if (p->GetSize() < GenesisShimHeader::FIXED_SIZE)
    {
        m_dropTrace(p, 0, DROP_MALFORMED);
        return RX_ENDPOINT_UNREACH;
    }
    p->PeekHeader(shim);
    if (!shim.IsValid() || p->GetSize() < shim.GetSerializedSize())
    {
        m_dropTrace(p, shim.GetVirtualLinkId(), DROP_MALFORMED);
        return RX_ENDPOINT_UNREACH;
    }
    auto it = m_entries.find(Key(shim.GetVirtualLinkId(), shim.IsReverse()));
    if (it == m_entries.end())
    {
        NS_LOG_LOGIC("no entry for vlink " << shim.GetVirtualLinkId());
        m_dropTrace(p, shim.GetVirtualLinkId(), DROP_NO_ENTRY);
        return RX_ENDPOINT_UNREACH;
    }
    const Entry& e = it->second;
    if (e.labels != shim.GetLabels())
    {
        m_dropTrace(p, shim.GetVirtualLinkId(), DROP_LABEL_MISMATCH);
        return RX_ENDPOINT_UNREACH;
    }
    if (!e.port)
    {
        // Transit: the packet keeps its shim and is addressed to the next routelet.
        m_transitTrace(p, shim.GetVirtualLinkId());
        SendOnHop(p, e.hop);
        return RX_OK;
    }
    p->RemoveHeader(shim);
    m_deliverTrace(p, shim.GetVirtualLinkId());
    // The routelet node receives in its own context.
    Ptr<Node> to = e.port->GetNode();
    if (to && to->GetId() != Simulator::GetContext())
    {
        Simulator::ScheduleWithContext(to->GetId(),
                                       Time(0),
                                       &RouteletPort::DeliverUp,
                                       e.port,
                                       p,
                                       shim.GetInnerProtocol());
    }
    else
    {
        e.port->DeliverUp(p, shim.GetInnerProtocol());
    }
    return RX_OK;
}

IpL4Protocol::RxStatus
GenesisL4Protocol::Receive(Ptr<Packet> p,
                           const Ipv6Header& header,
                           Ptr<Ipv6Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p);
    m_dropTrace(p, 0, DROP_IPV6);
    return RX_ENDPOINT_UNREACH;
}

void
GenesisL4Protocol::SetDownTarget(DownTargetCallback cb)
{
    m_downTarget = cb;
}

void
GenesisL4Protocol::SetDownTarget6(DownTargetCallback6 cb)
{
    m_downTarget6 = cb;
}

IpL4Protocol::DownTargetCallback
GenesisL4Protocol::GetDownTarget() const
{
    return m_downTarget;
}

IpL4Protocol::DownTargetCallback6
GenesisL4Protocol::GetDownTarget6() const
{
    return m_downTarget6;
}

} // namespace ns3
