/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-monitor.h"

#include "genesis-monitor-hook.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/enum.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-l4-protocol.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisMonitor");
NS_OBJECT_ENSURE_REGISTERED(GenesisMonitor);

namespace
{
/// Bytes of the outer IPv4 header the arbitrator counts and the down target does not.
constexpr uint32_t OUTER_IPV4 = 20;
} // namespace

TypeId
GenesisMonitor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisMonitor")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisMonitor>()
            .AddAttribute("PolicingAction",
                          "What the policer does to a packet of the child above its allocation: "
                          "none (measure only), drop, mark-ecn (inner IPv4 ECN CE; Not-ECT "
                          "packets are dropped) or mark-dscp (inner IPv4 DSCP PolicingDscp)",
                          EnumValue(GenesisMonitor::NONE),
                          MakeEnumAccessor(&GenesisMonitor::m_action),
                          MakeEnumChecker(GenesisMonitor::NONE,
                                          "none",
                                          GenesisMonitor::DROP,
                                          "drop",
                                          GenesisMonitor::MARK_ECN,
                                          "mark-ecn",
                                          GenesisMonitor::MARK_DSCP,
                                          "mark-dscp"))
            .AddAttribute("PolicingDscp",
                          "DSCP written by mark-dscp (default 8: CS1, lower effort)",
                          UintegerValue(8),
                          MakeUintegerAccessor(&GenesisMonitor::m_dscp),
                          MakeUintegerChecker<uint8_t>(0, 63))
            .AddAttribute("PolicingBurst",
                          "Depth of the policer's token bucket, in bytes",
                          UintegerValue(15000),
                          MakeUintegerAccessor(&GenesisMonitor::m_burst),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("Allocation",
                          "The allocation the policer enforces (set by the maestro)",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&GenesisMonitor::SetAllocation,
                                               &GenesisMonitor::GetAllocation),
                          MakeDataRateChecker())
            .AddTraceSource("Rate",
                            "End of a provisioning interval: measured rate, allocation (bit/s)",
                            MakeTraceSourceAccessor(&GenesisMonitor::m_rateTrace),
                            "ns3::GenesisMonitor::RateTracedCallback")
            .AddTraceSource("Policed",
                            "A packet above the allocation was dropped (true) or marked (false)",
                            MakeTraceSourceAccessor(&GenesisMonitor::m_policedTrace),
                            "ns3::GenesisMonitor::PolicedTracedCallback");
    return tid;
}

GenesisMonitor::GenesisMonitor()
    : m_action(NONE),
      m_dscp(8),
      m_burst(15000),
      m_networkId(0),
      m_level(0),
      m_tokens(0),
      m_txBytes(0),
      m_txPackets(0),
      m_drops(0),
      m_policed(0),
      m_totalPoliced(0),
      m_delaySumNs(0)
{
}

GenesisMonitor::~GenesisMonitor() = default;

void
GenesisMonitor::DoDispose()
{
    if (m_hook)
    {
        m_hook->Remove(this);
        m_hook = nullptr;
    }
    if (m_arb)
    {
        m_arb->TraceDisconnectWithoutContext("ClassDequeue",
                                             MakeCallback(&GenesisMonitor::OnDequeue, this));
        m_arb->TraceDisconnectWithoutContext("ClassDrop",
                                             MakeCallback(&GenesisMonitor::OnDrop, this));
        m_arb = nullptr;
    }
    m_dev = nullptr;
    Object::DoDispose();
}

void
GenesisMonitor::Setup(Ptr<VirtualNetwork> owner, Ptr<VirtualNetwork> child, Ptr<NetDevice> dev)
{
    NS_LOG_FUNCTION(this << owner << child << dev);
    Ptr<ArbitratorQueueDisc> arb = owner->GetArbitrator(dev);
    if (!arb || !arb->HasNetworkClass(child->GetId()))
    {
        throw GenesisError("monitor: network '" + child->GetName() + "' has no class in '" +
                           owner->GetName() + "' on device " + std::to_string(dev->GetIfIndex()) +
                           " of node " + std::to_string(dev->GetNode()->GetId()));
    }
    m_arb = arb;
    m_dev = dev;
    m_networkId = child->GetId();
    m_level = static_cast<uint8_t>(owner->GetDepth());
    m_start = Simulator::Now();
    m_tokenTime = m_start;
    m_tokens = m_burst;
    m_arb->TraceConnectWithoutContext("ClassDequeue",
                                      MakeCallback(&GenesisMonitor::OnDequeue, this));
    m_arb->TraceConnectWithoutContext("ClassDrop", MakeCallback(&GenesisMonitor::OnDrop, this));
    if (m_action != NONE)
    {
        m_hook = GenesisMonitorHook::Get(dev->GetNode());
        m_hook->Add(this);
    }
}

uint16_t
GenesisMonitor::GetNetworkId() const
{
    return m_networkId;
}

Ptr<NetDevice>
GenesisMonitor::GetDevice() const
{
    return m_dev;
}

uint8_t
GenesisMonitor::GetLabelLevel() const
{
    return m_level;
}

void
GenesisMonitor::SetAllocation(DataRate rate)
{
    // refill at the old rate up to now, then change the rate
    Time now = Simulator::Now();
    if (now > m_tokenTime)
    {
        m_tokens = std::min<double>(m_burst,
                                    m_tokens + m_allocation.GetBitRate() *
                                                   (now - m_tokenTime).GetSeconds() / 8.0);
        m_tokenTime = now;
    }
    m_allocation = rate;
}

DataRate
GenesisMonitor::GetAllocation() const
{
    return m_allocation;
}

GenesisMonitor::PolicingAction
GenesisMonitor::GetPolicingAction() const
{
    return m_action;
}

uint64_t
GenesisMonitor::GetTotalPoliced() const
{
    return m_totalPoliced;
}

void
GenesisMonitor::OnDequeue(uint32_t networkId, Ptr<const QueueDiscItem> item)
{
    if (networkId != m_networkId)
    {
        return;
    }
    m_txBytes += item->GetSize();
    ++m_txPackets;
    m_delaySumNs += static_cast<double>((Simulator::Now() - item->GetTimeStamp()).GetNanoSeconds());
}

void
GenesisMonitor::OnDrop(uint32_t networkId,
                       Ptr<const QueueDiscItem> /* item */,
                       const char* /* reason */)
{
    if (networkId == m_networkId)
    {
        ++m_drops;
    }
}

GenesisMonitor::Reading
GenesisMonitor::CloseInterval()
{
    Reading r;
    Time now = Simulator::Now();
    r.networkId = m_networkId;
    r.nodeId = m_dev ? m_dev->GetNode()->GetId() : 0;
    r.deviceIndex = m_dev ? m_dev->GetIfIndex() : 0;
    r.timeNs = now.GetNanoSeconds();
    r.intervalNs = (now - m_start).GetNanoSeconds();
    r.txBytes = m_txBytes;
    r.txPackets = m_txPackets;
    r.drops = m_drops;
    r.policed = m_policed;
    r.rateBps = r.intervalNs > 0 ? m_txBytes * 8.0 * 1e9 / r.intervalNs : 0.0;
    r.allocatedBps = m_allocation.GetBitRate();
    r.meanDelayNs = m_txPackets > 0 ? m_delaySumNs / m_txPackets : -1.0;
    m_start = now;
    m_txBytes = 0;
    m_txPackets = 0;
    m_drops = 0;
    m_policed = 0;
    m_delaySumNs = 0;
    m_rateTrace(r.rateBps, r.allocatedBps);
    return r;
}

bool
GenesisMonitor::Police(Ptr<Packet> packet)
{
    if (m_action == NONE)
    {
        return true;
    }
    Time now = Simulator::Now();
    m_tokens = std::min<double>(m_burst,
                                m_tokens + m_allocation.GetBitRate() *
                                               (now - m_tokenTime).GetSeconds() / 8.0);
    m_tokenTime = now;
    double size = packet->GetSize() + OUTER_IPV4;
    if (m_tokens >= size)
    {
        m_tokens -= size;
        return true;
    }
    ++m_policed;
    ++m_totalPoliced;
    bool keep = false;
    if (m_action == MARK_ECN || m_action == MARK_DSCP)
    {
        keep = Mark(packet, m_action == MARK_ECN);
    }
    m_policedTrace(packet, !keep);
    return keep;
}

bool
GenesisMonitor::Mark(Ptr<Packet> packet, bool ecn)
{
    GenesisShimHeader shim;
    packet->RemoveHeader(shim);
    if (!shim.IsValid() || shim.GetInnerProtocol() != 0x0800)
    {
        packet->AddHeader(shim);
        return false; // nothing to mark: treat as drop
    }
    Ipv4Header ip;
    packet->RemoveHeader(ip);
    bool keep = true;
    if (ecn)
    {
        if (ip.GetEcn() == Ipv4Header::ECN_NotECT)
        {
            keep = false;
        }
        else
        {
            ip.SetEcn(Ipv4Header::ECN_CE);
        }
    }
    else
    {
        ip.SetDscp(static_cast<Ipv4Header::DscpType>(m_dscp));
    }
    if (Node::ChecksumEnabled())
    {
        ip.EnableChecksum();
    }
    packet->AddHeader(ip);
    packet->AddHeader(shim);
    return keep;
}

} // namespace ns3
