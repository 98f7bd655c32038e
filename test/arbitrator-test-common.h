/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared fixtures of the ArbitratorQueueDisc tests: a two-node point-to-point
 * scenario with the arbitrator as the root disc of node 0's device, a
 * test-only packet filter classifying by UDP destination port, and a FIFO
 * child disc that counts its live instances.
 */
#ifndef GENESIS_ARBITRATOR_TEST_COMMON_H
#define GENESIS_ARBITRATOR_TEST_COMMON_H

#include "ns3/applications-module.h"
#include "ns3/arbitrator-queue-disc.h"
#include "ns3/core-module.h"
#include "ns3/fifo-queue-disc.h"
#include "ns3/internet-module.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <map>

namespace ns3
{
namespace genesis_test
{

/// Test-only classifier: UDP destination port -> network id.
class PortFilter : public PacketFilter
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::GenesisTestPortFilter")
                                .SetParent<PacketFilter>()
                                .SetGroupName("Genesis")
                                .AddConstructor<PortFilter>();
        return tid;
    }

    void Map(uint16_t port, int32_t netId)
    {
        m_map[port] = netId;
    }

  private:
    bool CheckProtocol(Ptr<QueueDiscItem> item) const override
    {
        return DynamicCast<Ipv4QueueDiscItem>(item) != nullptr;
    }

    int32_t DoClassify(Ptr<QueueDiscItem> item) const override
    {
        UdpHeader udp;
        if (item->GetPacket()->PeekHeader(udp) < 8)
        {
            return PF_NO_MATCH;
        }
        auto it = m_map.find(udp.GetDestinationPort());
        return it == m_map.end() ? PF_NO_MATCH : it->second;
    }

    std::map<uint16_t, int32_t> m_map;
};

/// FIFO child disc counting live instances (to prove teardown frees it).
class CountingFifo : public FifoQueueDisc
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::GenesisTestCountingFifo")
                                .SetParent<FifoQueueDisc>()
                                .SetGroupName("Genesis")
                                .AddConstructor<CountingFifo>();
        return tid;
    }

    CountingFifo()
    {
        ++Live();
    }

    ~CountingFifo() override
    {
        --Live();
    }

    static int& Live()
    {
        static int live = 0;
        return live;
    }
};

/// A FIFO child disc of the given size in packets.
inline Ptr<QueueDisc>
Fifo(uint32_t packets = 200)
{
    return CreateObjectWithAttributes<FifoQueueDisc>(
        "MaxSize",
        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, packets)));
}

/// Two nodes, one point-to-point link, the arbitrator as root disc of node 0's device.
struct Scenario
{
    static constexpr uint32_t PAYLOAD = 1000;          //!< UDP payload bytes
    static constexpr uint32_t IP_SIZE = PAYLOAD + 28;  //!< size seen by the queue disc
    static constexpr uint32_t WIRE_SIZE = IP_SIZE + 2; //!< plus the PPP header

    NodeContainer nodes;
    NetDeviceContainer devs;
    Ipv4InterfaceContainer ifs;
    Ptr<ArbitratorQueueDisc> root;
    Ptr<PortFilter> filter;
    DataRate link;
    std::map<uint16_t, Ptr<PacketSink>> sinks;

    explicit Scenario(DataRate linkRate = DataRate("10Mbps"), bool addOwnFifo = true)
        : link(linkRate)
    {
        Config::Reset();
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(link));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        // one-packet device queue: the arbitrator, not the device FIFO, decides the order
        p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1p"));
        devs = p2p.Install(nodes);
        InternetStackHelper stack;
        stack.Install(nodes);
        root = CreateObject<ArbitratorQueueDisc>();
        root->SetLinkRate(link);
        filter = CreateObject<PortFilter>();
        root->AddPacketFilter(filter);
        if (addOwnFifo)
        {
            root->AddNetworkClass(0,
                                  ArbitratorQueueDiscClass::BEST_EFFORT,
                                  DataRate(0),
                                  1.0,
                                  Fifo());
        }
        nodes.Get(0)->GetObject<TrafficControlLayer>()->SetRootQueueDiscOnDevice(devs.Get(0), root);
        Ipv4AddressHelper addr;
        addr.SetBase("10.1.1.0", "255.255.255.0");
        ifs = addr.Assign(devs);
    }

    ~Scenario()
    {
        Simulator::Destroy();
    }

    /// UDP CBR source on node 0 to port \p port at \p rate during [start, stop).
    Ptr<Application> Source(uint16_t port, DataRate rate, double start, double stop)
    {
        OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(ifs.GetAddress(1), port));
        onoff.SetConstantRate(rate, PAYLOAD);
        ApplicationContainer a = onoff.Install(nodes.Get(0));
        a.Start(Seconds(start));
        a.Stop(Seconds(stop));
        if (sinks.count(port) == 0)
        {
            PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                        InetSocketAddress(Ipv4Address::GetAny(), port));
            ApplicationContainer s = sinkHelper.Install(nodes.Get(1));
            s.Start(Seconds(0));
            sinks[port] = DynamicCast<PacketSink>(s.Get(0));
        }
        return a.Get(0);
    }

    /// Bytes received on \p port so far.
    uint64_t Rx(uint16_t port)
    {
        return sinks.at(port)->GetTotalRx();
    }
};

/// Counts ClassDequeue bytes per network inside a time window.
struct DequeueCounter
{
    double from;
    double to;
    std::map<uint32_t, uint64_t> bytes;
    uint64_t total = 0;

    DequeueCounter(double f, double t)
        : from(f),
          to(t)
    {
    }

    void Attach(Ptr<ArbitratorQueueDisc> q)
    {
        q->TraceConnectWithoutContext("ClassDequeue",
                                      MakeCallback(&DequeueCounter::OnDequeue, this));
    }

    void OnDequeue(uint32_t netId, Ptr<const QueueDiscItem> item)
    {
        double now = Simulator::Now().GetSeconds();
        if (now >= from && now < to)
        {
            bytes[netId] += item->GetSize();
            total += item->GetSize();
        }
    }
};

} // namespace genesis_test
} // namespace ns3

#endif /* GENESIS_ARBITRATOR_TEST_COMMON_H */
