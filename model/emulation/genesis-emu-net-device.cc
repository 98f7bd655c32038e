/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-emu-net-device.h"

#include "genesis-vlan-tag.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisEmuNetDevice");
NS_OBJECT_ENSURE_REGISTERED(GenesisEmuNetDevice);

namespace
{
constexpr uint16_t ETHERTYPE_VLAN = 0x8100; //!< IEEE 802.1Q
constexpr uint32_t ETHERNET_HEADER = 14;    //!< destination, source, EtherType
constexpr uint32_t VLAN_HEADER = 4;         //!< TCI, inner EtherType
} // namespace

TypeId
GenesisEmuNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisEmuNetDevice")
            .SetParent<FdNetDevice>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisEmuNetDevice>()
            .AddAttribute("DataRate",
                          "Rate at which the port transmits (Ethernet frames without FCS); "
                          "the arbitrator divides this capacity among the networks. 0 "
                          "disables pacing (frames are written as fast as they come).",
                          DataRateValue(DataRate("1Gbps")),
                          MakeDataRateAccessor(&GenesisEmuNetDevice::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("PacingBurst",
                          "Bytes the transmit clock may run ahead of the simulator clock "
                          "before the transmit queue is stopped; it absorbs the real-time "
                          "scheduler's lateness (the queue wakes when half of it is left).",
                          UintegerValue(16000),
                          MakeUintegerAccessor(&GenesisEmuNetDevice::m_burst),
                          MakeUintegerChecker<uint32_t>(1514))
            .AddAttribute("VlanEgress",
                          "Write the 802.1Q header of a packet that arrived VLAN-tagged "
                          "back when it leaves (false: it leaves untagged).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisEmuNetDevice::m_vlanEgress),
                          MakeBooleanChecker())
            .AddTraceSource("VlanRx",
                            "An 802.1Q frame arrived: the packet without its VLAN header, "
                            "the VLAN id",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_vlanRxTrace),
                            "ns3::GenesisEmuNetDevice::VlanTracedCallback")
            .AddTraceSource("IngressDrop",
                            "A frame that arrived was refused by the ingress filter "
                            "(e.g. GenesisEmuEdge isolation between sibling networks)",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_ingressDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("VlanTx",
                            "A packet left with an 802.1Q header: the packet, the VLAN id",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_vlanTxTrace),
                            "ns3::GenesisEmuNetDevice::VlanTracedCallback");
    return tid;
}

GenesisEmuNetDevice::GenesisEmuNetDevice()
    : m_rate(DataRate("1Gbps")),
      m_burst(16000),
      m_vlanEgress(true),
      m_nextFree(Seconds(0)),
      m_txFrames(0),
      m_txBytes(0),
      m_pacingStops(0)
{
    NS_LOG_FUNCTION(this);
}

GenesisEmuNetDevice::~GenesisEmuNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisEmuNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_resumeEvent.Cancel();
    m_txq = nullptr;
    m_ingress = MakeNullCallback<bool, Ptr<const Packet>, uint16_t>();
    m_upRx = MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_upPromisc = MakeNullCallback<bool,
                                   Ptr<NetDevice>,
                                   Ptr<const Packet>,
                                   uint16_t,
                                   const Address&,
                                   const Address&,
                                   PacketType>();
    FdNetDevice::DoDispose();
}

void
GenesisEmuNetDevice::SetNode(Ptr<Node> node)
{
    FdNetDevice::SetNode(node);
    // The traffic-control layer looks for this interface when it scans the
    // node's devices (at initialisation): with it, a queue disc above the
    // port stops dequeuing while the port's transmit queue is stopped.
    Ptr<NetDeviceQueueInterface> ndqi = GetObject<NetDeviceQueueInterface>();
    if (!ndqi)
    {
        ndqi = CreateObject<NetDeviceQueueInterface>();
        AggregateObject(ndqi);
    }
    m_txq = ndqi->GetTxQueue(0);
}

DataRate
GenesisEmuNetDevice::GetDataRate() const
{
    return m_rate;
}

uint64_t
GenesisEmuNetDevice::GetTxFrames() const
{
    return m_txFrames;
}

uint64_t
GenesisEmuNetDevice::GetTxBytes() const
{
    return m_txBytes;
}

uint64_t
GenesisEmuNetDevice::GetNPacingStops() const
{
    return m_pacingStops;
}

bool
GenesisEmuNetDevice::SendFrom(Ptr<Packet> packet,
                              const Address& source,
                              const Address& dest,
                              uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    GenesisVlanTag tag;
    if (packet->RemovePacketTag(tag) && m_vlanEgress)
    {
        uint8_t vlan[VLAN_HEADER] = {static_cast<uint8_t>(tag.GetTci() >> 8),
                                     static_cast<uint8_t>(tag.GetTci() & 0xff),
                                     static_cast<uint8_t>(protocolNumber >> 8),
                                     static_cast<uint8_t>(protocolNumber & 0xff)};
        Ptr<Packet> tagged = Create<Packet>(vlan, VLAN_HEADER);
        tagged->AddAtEnd(packet);
        m_vlanTxTrace(packet, tag.GetVlanId());
        packet = tagged;
        protocolNumber = ETHERTYPE_VLAN;
    }
    uint32_t frameBytes = packet->GetSize() + ETHERNET_HEADER;
    bool ok = FdNetDevice::SendFrom(packet, source, dest, protocolNumber);
    if (ok)
    {
        ++m_txFrames;
        m_txBytes += frameBytes;
    }
    Pace(frameBytes);
    return ok;
}

void
GenesisEmuNetDevice::Pace(uint32_t frameBytes)
{
    if (m_rate.GetBitRate() == 0 || !m_txq)
    {
        return;
    }
    Time now = Simulator::Now();
    Time start = m_nextFree > now ? m_nextFree : now;
    m_nextFree = start + m_rate.CalculateBytesTxTime(frameBytes);
    Time ahead = m_nextFree - now;
    Time burst = m_rate.CalculateBytesTxTime(m_burst);
    if (ahead > burst && !m_txq->IsStopped())
    {
        m_txq->Stop();
        ++m_pacingStops;
        m_resumeEvent = Simulator::Schedule(ahead - burst / 2, &GenesisEmuNetDevice::Resume, this);
    }
}

void
GenesisEmuNetDevice::SetIngressFilter(IngressFilter filter)
{
    m_ingress = filter;
}

void
GenesisEmuNetDevice::Resume()
{
    NS_LOG_FUNCTION(this);
    if (m_txq)
    {
        m_txq->Wake();
    }
}

void
GenesisEmuNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_upRx = cb;
    FdNetDevice::SetReceiveCallback(MakeCallback(&GenesisEmuNetDevice::ReceiveUp, this));
}

void
GenesisEmuNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_upPromisc = cb;
    FdNetDevice::SetPromiscReceiveCallback(
        MakeCallback(&GenesisEmuNetDevice::PromiscReceiveUp, this));
}

bool
GenesisEmuNetDevice::StripVlan(Ptr<const Packet>& p, uint16_t& proto)
{
    if (proto != ETHERTYPE_VLAN)
    {
        return true;
    }
    if (p->GetSize() < VLAN_HEADER)
    {
        return false;
    }
    uint8_t vlan[VLAN_HEADER];
    p->CopyData(vlan, VLAN_HEADER);
    GenesisVlanTag tag;
    tag.SetTci(static_cast<uint16_t>((vlan[0] << 8) | vlan[1]));
    proto = static_cast<uint16_t>((vlan[2] << 8) | vlan[3]);
    Ptr<Packet> inner = p->CreateFragment(VLAN_HEADER, p->GetSize() - VLAN_HEADER);
    inner->AddPacketTag(tag);
    m_vlanRxTrace(inner, tag.GetVlanId());
    p = inner;
    return true;
}

bool
GenesisEmuNetDevice::ReceiveUp(Ptr<NetDevice> dev,
                               Ptr<const Packet> p,
                               uint16_t proto,
                               const Address& from)
{
    if (!StripVlan(p, proto) || m_upRx.IsNull())
    {
        return false;
    }
    if (!m_ingress.IsNull() && !m_ingress(p, proto))
    {
        m_ingressDropTrace(p);
        return true;
    }
    return m_upRx(dev, p, proto, from);
}

bool
GenesisEmuNetDevice::PromiscReceiveUp(Ptr<NetDevice> dev,
                                      Ptr<const Packet> p,
                                      uint16_t proto,
                                      const Address& from,
                                      const Address& to,
                                      PacketType type)
{
    if (!StripVlan(p, proto) || m_upPromisc.IsNull())
    {
        return false;
    }
    if (!m_ingress.IsNull() && !m_ingress(p, proto))
    {
        return true;
    }
    return m_upPromisc(dev, p, proto, from, to, type);
}

} // namespace ns3
