/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-node-processor.h"

#include "ns3/arbitrator-queue-disc-class.h"
#include "ns3/arbitrator-queue-disc.h"
#include "ns3/double.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-l4-protocol.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisNodeProcessor");
NS_OBJECT_ENSURE_REGISTERED(GenesisNodeProcessor);

TypeId
GenesisNodeProcessor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisNodeProcessor")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisNodeProcessor>()
            .AddAttribute("CyclesPerSecond",
                          "Speed of the node's processor (cycles per second).",
                          UintegerValue(1000000000),
                          MakeUintegerAccessor(&GenesisNodeProcessor::m_cyclesPerSecond),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("CyclesPerPacket",
                          "Cycles to forward one packet, whatever its size. With "
                          "CyclesPerSecond = R and CyclesPerByte = 0 the processor forwards "
                          "R / CyclesPerPacket packets per second.",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&GenesisNodeProcessor::m_cyclesPerPacket),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("CyclesPerByte",
                          "Cycles per byte of the packet (IPv4 header included).",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&GenesisNodeProcessor::m_cyclesPerByte),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("QueueLimit",
                          "Packets a network may have waiting for the processor; more are "
                          "dropped.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&GenesisNodeProcessor::m_queueLimit),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ShareRefresh",
                          "How often the networks' shares are re-read from the arbitrators.",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&GenesisNodeProcessor::m_shareRefresh),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Processed",
                            "A packet leaves the processor: its network, the packet and the "
                            "time it waited and was processed.",
                            MakeTraceSourceAccessor(&GenesisNodeProcessor::m_processedTrace),
                            "ns3::GenesisNodeProcessor::ProcessedTracedCallback")
            .AddTraceSource("Drop",
                            "A packet is dropped because its network's queue is full.",
                            MakeTraceSourceAccessor(&GenesisNodeProcessor::m_dropTrace),
                            "ns3::GenesisNodeProcessor::DropTracedCallback");
    return tid;
}

GenesisNodeProcessor::GenesisNodeProcessor()
    : m_cyclesPerSecond(1000000000),
      m_cyclesPerPacket(10000),
      m_cyclesPerByte(0.0),
      m_queueLimit(1000),
      m_genesisProtocol(253),
      m_refreshed(false),
      m_vtime(0.0),
      m_busy(false),
      m_currentNet(0),
      m_backlog(0)
{
}

void
GenesisNodeProcessor::DoDispose()
{
    m_event.Cancel();
    m_flows.clear();
    m_current = Job();
    m_node = nullptr;
    m_tc = nullptr;
    m_root = nullptr;
    Object::DoDispose();
}

void
GenesisNodeProcessor::Install(Ptr<Node> node, Ptr<VirtualNetwork> root)
{
    NS_LOG_FUNCTION(this << node << root);
    if (m_node)
    {
        throw GenesisError("GenesisNodeProcessor: already installed on node " +
                           std::to_string(m_node->GetId()));
    }
    if (node->GetObject<GenesisNodeProcessor>())
    {
        throw GenesisError("GenesisNodeProcessor: node " + std::to_string(node->GetId()) +
                           " already has a processor");
    }
    Ptr<TrafficControlLayer> tc = node->GetObject<TrafficControlLayer>();
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    if (!tc || !ipv4)
    {
        throw GenesisError("GenesisNodeProcessor: node " + std::to_string(node->GetId()) +
                           " has no IPv4 stack (install the internet stack first)");
    }
    if (Ptr<GenesisL4Protocol> l4 = node->GetObject<GenesisL4Protocol>())
    {
        m_genesisProtocol = static_cast<uint8_t>(l4->GetProtocolNumber());
    }
    // Ipv4L3Protocol::AddInterface registers TrafficControlLayer::Receive with
    // the node for IPv4 and ARP (and Ipv6L3Protocol for IPv6) on each device.
    // Node offers no way to replace one (device, protocol) entry, so remove
    // every TrafficControlLayer entry and register them again, with IPv4
    // through this processor.
    Node::ProtocolHandler tcReceive = MakeCallback(&TrafficControlLayer::Receive, tc);
    for (uint32_t i = 0; i < 3 * node->GetNDevices() + 3; ++i)
    {
        node->UnregisterProtocolHandler(tcReceive);
    }
    const bool hasIpv6 = static_cast<bool>(node->GetObject<Ipv6L3Protocol>());
    for (uint32_t i = 0; i < node->GetNDevices(); ++i)
    {
        Ptr<NetDevice> dev = node->GetDevice(i);
        if (DynamicCast<LoopbackNetDevice>(dev))
        {
            continue; // the loopback goes straight to Ipv4L3Protocol::Receive
        }
        if (ipv4->GetInterfaceForDevice(dev) >= 0)
        {
            node->RegisterProtocolHandler(MakeCallback(&GenesisNodeProcessor::Receive, this),
                                          Ipv4L3Protocol::PROT_NUMBER,
                                          dev);
            node->RegisterProtocolHandler(tcReceive, 0x0806, dev); // ARP
        }
        if (hasIpv6 && node->GetObject<Ipv6L3Protocol>()->GetInterfaceForDevice(dev) >= 0)
        {
            node->RegisterProtocolHandler(tcReceive, Ipv6L3Protocol::PROT_NUMBER, dev);
        }
    }
    m_node = node;
    m_tc = tc;
    m_root = root;
    node->AggregateObject(this);
}

Time
GenesisNodeProcessor::GetServiceTime(uint32_t bytes) const
{
    const double cycles =
        static_cast<double>(m_cyclesPerPacket) + m_cyclesPerByte * static_cast<double>(bytes);
    return Seconds(cycles / static_cast<double>(m_cyclesPerSecond));
}

void
GenesisNodeProcessor::SetShare(uint16_t networkId, double share)
{
    if (!(share > 0.0 && share <= 1.0))
    {
        throw GenesisError("GenesisNodeProcessor: share " + std::to_string(share) + " of network " +
                           std::to_string(networkId) + " is not in (0, 1]");
    }
    m_fixed[networkId] = share;
}

void
GenesisNodeProcessor::ClearShare(uint16_t networkId)
{
    m_fixed.erase(networkId);
}

double
GenesisNodeProcessor::GetShare(uint16_t networkId)
{
    if (!m_refreshed || Simulator::Now() - m_lastRefresh >= m_shareRefresh)
    {
        RefreshShares();
    }
    auto f = m_fixed.find(networkId);
    if (f != m_fixed.end())
    {
        return f->second;
    }
    auto l = m_linkShares.find(networkId);
    return l == m_linkShares.end() ? 0.0 : l->second;
}

double
GenesisNodeProcessor::ShareOf(uint16_t networkId)
{
    double s = GetShare(networkId);
    // A network with no share on this node (traffic of a network that has no
    // class here, e.g. misrouted) still progresses, at the smallest weight.
    return s > 0.0 ? s : 1e-6;
}

bool
GenesisNodeProcessor::IsCapped(uint16_t networkId) const
{
    auto it = m_capped.find(networkId);
    return it != m_capped.end() && it->second;
}

void
GenesisNodeProcessor::RefreshShares()
{
    m_lastRefresh = Simulator::Now();
    m_refreshed = true;
    m_linkShares.clear();
    m_capped.clear();
    m_ranges.clear();
    const uint16_t rootId = m_root ? m_root->GetId() : 0;
    double totalRate = 0.0;
    std::map<uint16_t, double> weighted;
    // The fraction of the link each leaf class gets: its weight over the sum of
    // the weights in its arbitrator, times the fraction of the enclosing class.
    std::function<void(Ptr<ArbitratorQueueDisc>, double, double)> walk =
        [&](Ptr<ArbitratorQueueDisc> arb, double fraction, double rate) {
            double sum = 0.0;
            for (std::size_t i = 0; i < arb->GetNClasses(); ++i)
            {
                sum += arb->GetClass(i)->GetWeight();
            }
            for (std::size_t i = 0; i < arb->GetNClasses(); ++i)
            {
                Ptr<ArbitratorQueueDiscClass> c = arb->GetClass(i);
                double f = sum > 0.0 ? fraction * c->GetWeight() / sum : 0.0;
                if (c->GetCapacityClass() == ArbitratorQueueDiscClass::CONSTANT)
                {
                    m_capped[static_cast<uint16_t>(c->GetNetworkId())] = true;
                }
                Ptr<ArbitratorQueueDisc> nested =
                    DynamicCast<ArbitratorQueueDisc>(c->GetQueueDisc());
                if (nested)
                {
                    walk(nested, f, rate);
                }
                else
                {
                    weighted[static_cast<uint16_t>(c->GetNetworkId())] += f * rate;
                }
            }
        };
    for (uint32_t i = 0; m_node && i < m_node->GetNDevices(); ++i)
    {
        Ptr<NetDevice> dev = m_node->GetDevice(i);
        if (DynamicCast<LoopbackNetDevice>(dev))
        {
            continue;
        }
        Ptr<ArbitratorQueueDisc> arb =
            DynamicCast<ArbitratorQueueDisc>(m_tc->GetRootQueueDiscOnDevice(dev));
        if (!arb)
        {
            continue;
        }
        const double rate = static_cast<double>(arb->GetLinkRate().GetBitRate());
        totalRate += rate;
        walk(arb, 1.0, rate);
    }
    if (totalRate > 0.0)
    {
        for (const auto& [id, w] : weighted)
        {
            m_linkShares[id] = w / totalRate;
        }
    }
    else
    {
        m_linkShares[rootId] = 1.0; // no Genesis device: all of it is the root's
    }
    // A constant-class network's own leaf carries its id; the root never is capped.
    m_capped.erase(rootId);
    if (m_root)
    {
        std::function<void(Ptr<VirtualNetwork>)> ranges = [&](Ptr<VirtualNetwork> n) {
            for (const auto& r : n->GetAddressRanges())
            {
                m_ranges.push_back(
                    {r.first.Get() & r.second.Get(), r.second.Get(), n->GetDepth(), n->GetId()});
            }
            for (const auto& c : n->GetChildren())
            {
                if (c->GetState() == VirtualNetwork::SPAWNED)
                {
                    ranges(c);
                }
            }
        };
        ranges(m_root);
    }
}

uint16_t
GenesisNodeProcessor::Classify(Ptr<const Packet> packet) const
{
    const uint16_t rootId = m_root ? m_root->GetId() : 0;
    Ipv4Header ip;
    if (packet->PeekHeader(ip) == 0)
    {
        return rootId;
    }
    if (ip.GetProtocol() == m_genesisProtocol && packet->GetSize() > ip.GetSerializedSize())
    {
        Ptr<Packet> inner = packet->CreateFragment(ip.GetSerializedSize(),
                                                   packet->GetSize() - ip.GetSerializedSize());
        GenesisShimHeader shim;
        inner->PeekHeader(shim);
        if (shim.IsValid() && !shim.GetLabels().empty())
        {
            return shim.GetLabels().back();
        }
    }
    const uint32_t src = ip.GetSource().Get();
    const uint32_t dst = ip.GetDestination().Get();
    uint32_t bestDepth = 0;
    uint16_t best = rootId;
    for (const auto& r : m_ranges)
    {
        if (((src & r.mask) == r.prefix || (dst & r.mask) == r.prefix) && r.depth > bestDepth)
        {
            bestDepth = r.depth;
            best = r.networkId;
        }
    }
    return best;
}

void
GenesisNodeProcessor::Receive(Ptr<NetDevice> device,
                              Ptr<const Packet> packet,
                              uint16_t protocol,
                              const Address& from,
                              const Address& to,
                              NetDevice::PacketType type)
{
    if (!m_refreshed || Simulator::Now() - m_lastRefresh >= m_shareRefresh)
    {
        RefreshShares();
    }
    const uint16_t net = Classify(packet);
    Flow& flow = m_flows[net];
    if (flow.jobs.size() >= m_queueLimit)
    {
        ++flow.dropped;
        m_dropTrace(net, packet);
        return;
    }
    Job job;
    job.device = device;
    job.packet = packet;
    job.protocol = protocol;
    job.from = from;
    job.to = to;
    job.type = type;
    job.arrival = Simulator::Now();
    job.service = GetServiceTime(packet->GetSize());
    // SFQ tags: start = max(virtual time, the flow's last finish tag),
    // finish = start + length / weight (length in seconds of processing).
    job.start = std::max(m_vtime, flow.lastFinish);
    job.finish = job.start + job.service.GetSeconds() / ShareOf(net);
    flow.lastFinish = job.finish;
    flow.jobs.push_back(job);
    ++m_backlog;
    if (!m_busy)
    {
        m_event.Cancel(); // a pending wake-up for a capped network
        StartNext();
    }
}

void
GenesisNodeProcessor::StartNext()
{
    const Time now = Simulator::Now();
    uint16_t best = 0;
    double bestStart = std::numeric_limits<double>::infinity();
    bool found = false;
    Time wake = Time::Max();
    for (auto& [id, flow] : m_flows)
    {
        if (flow.jobs.empty())
        {
            continue;
        }
        if (IsCapped(id) && flow.eligible > now)
        {
            wake = std::min(wake, flow.eligible);
            continue;
        }
        if (flow.jobs.front().start < bestStart)
        {
            bestStart = flow.jobs.front().start;
            best = id;
            found = true;
        }
    }
    if (!found)
    {
        if (wake != Time::Max())
        {
            m_event = Simulator::Schedule(wake - now, &GenesisNodeProcessor::StartNext, this);
        }
        else
        {
            // Idle: the virtual time moves to the largest finish tag, so a
            // network that comes back gets no credit for its idle time.
            for (const auto& [id, flow] : m_flows)
            {
                m_vtime = std::max(m_vtime, flow.lastFinish);
            }
        }
        return;
    }
    Flow& flow = m_flows[best];
    m_current = flow.jobs.front();
    flow.jobs.pop_front();
    --m_backlog;
    m_currentNet = best;
    m_vtime = m_current.start;
    m_busy = true;
    if (IsCapped(best))
    {
        // Capped at its share: the next packet may start once this one's
        // processing, stretched by 1 / share, is over.
        flow.eligible = now + Seconds(m_current.service.GetSeconds() / ShareOf(best));
    }
    m_event = Simulator::Schedule(m_current.service, &GenesisNodeProcessor::Finish, this);
}

void
GenesisNodeProcessor::Finish()
{
    m_busy = false;
    m_busyTime += m_current.service;
    Job job = m_current;
    m_current = Job();
    Flow& flow = m_flows[m_currentNet];
    ++flow.processed;
    m_processedTrace(m_currentNet, job.packet, Simulator::Now() - job.arrival);
    m_tc->Receive(job.device, job.packet, job.protocol, job.from, job.to, job.type);
    if (!m_busy)
    {
        StartNext();
    }
}

uint64_t
GenesisNodeProcessor::GetProcessedPackets(uint16_t networkId) const
{
    auto it = m_flows.find(networkId);
    return it == m_flows.end() ? 0 : it->second.processed;
}

uint64_t
GenesisNodeProcessor::GetDroppedPackets(uint16_t networkId) const
{
    auto it = m_flows.find(networkId);
    return it == m_flows.end() ? 0 : it->second.dropped;
}

Time
GenesisNodeProcessor::GetBusyTime() const
{
    return m_busyTime;
}

uint32_t
GenesisNodeProcessor::GetBacklog() const
{
    return m_backlog;
}

} // namespace ns3
