/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The per-node computation model (GenesisNodeProcessor): forwarding costs
 * simulated time, the processor's capacity bounds the forwarding rate, and the
 * networks on a node share its processor by their allocation (start-time fair
 * queueing), constant-class networks capped at their share. Expected values
 * come from the model's definition: service time = cycles / speed, SFQ shares
 * proportional to the weights of backlogged networks.
 */
#include "genesis-test-common.h"

#include "ns3/genesis-error.h"

namespace ns3
{
namespace genesis_test
{
namespace
{

class NodeProcessorTest : public GenesisSimTest
{
};

/// Receive times of the packets a sink gets.
struct Arrivals
{
    std::vector<Time> times;

    void Rx(Ptr<const Packet>, const Address&)
    {
        times.push_back(Simulator::Now());
    }
};

/// One-way delay of single packets across n0 - n1 - n2, with or without a processor on n1.
Time
OneWayDelay(bool withProcessor, uint64_t cyclesPerPacket, double cyclesPerByte)
{
    Chain c;
    BuildChain(c, 3, "100Mbps", "1ms");
    if (withProcessor)
    {
        GenesisNodeProcessorHelper cpu;
        cpu.SetAttribute("CyclesPerSecond", UintegerValue(1000000000));
        cpu.SetAttribute("CyclesPerPacket", UintegerValue(cyclesPerPacket));
        cpu.SetAttribute("CyclesPerByte", DoubleValue(cyclesPerByte));
        cpu.Install(NodeContainer(c.nodes.Get(1)), c.root);
    }
    Arrivals arrivals;
    UdpClientHelper client(c.Addr(2), 9);
    client.SetAttribute("MaxPackets", UintegerValue(3));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(100)));
    client.SetAttribute("PacketSize", UintegerValue(972)); // 1000 bytes of IPv4
    ApplicationContainer a = client.Install(c.nodes.Get(0));
    a.Start(Seconds(1));
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer s = sink.Install(c.nodes.Get(2));
    s.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&Arrivals::Rx, &arrivals));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    Simulator::Destroy();
    EXPECT_EQ(arrivals.times.size(), 3u);
    return arrivals.times.empty() ? Time(0) : arrivals.times.back() - Seconds(1.2);
}

TEST_F(NodeProcessorTest, ForwardingCostsTheServiceTime)
{
    // 100 000 cycles at 1 GHz = 100 us per packet; plus 10 cycles per byte of a
    // 1000-byte IPv4 packet = 10 us.
    Time plain = OneWayDelay(false, 0, 0.0);
    Time slow = OneWayDelay(true, 100000, 0.0);
    Time bytes = OneWayDelay(true, 100000, 10.0);
    EXPECT_EQ((slow - plain).GetNanoSeconds(), 100000);
    EXPECT_EQ((bytes - plain).GetNanoSeconds(), 110000);
}

/// A node n1 between n0 and n2 forwarding \p offered packets per second of root traffic.
TEST_F(NodeProcessorTest, CapacityBoundsTheForwardingRate)
{
    Chain c;
    BuildChain(c, 3, "100Mbps", "1ms");
    GenesisNodeProcessorHelper cpu;
    cpu.SetAttribute("CyclesPerPacket", UintegerValue(500000)); // 2000 packets/s
    cpu.SetAttribute("QueueLimit", UintegerValue(50));
    Ptr<GenesisNodeProcessor> p = cpu.Install(NodeContainer(c.nodes.Get(1)), c.root).at(0);
    // 5000 packets/s of 500 bytes offered for 2 s.
    Ptr<PacketSink> sink = UdpFlow(c.nodes.Get(0),
                                   c.nodes.Get(2),
                                   c.Addr(2),
                                   9,
                                   DataRate("20Mbps"),
                                   500,
                                   Seconds(1),
                                   Seconds(3));
    Simulator::Stop(Seconds(3.5));
    Simulator::Run();
    const uint64_t processed = p->GetProcessedPackets(c.root->GetId());
    // Busy from the first arrival to the end of the offer (2 s at 2000
    // packets/s), then it drains the full queue (50 packets, 25 ms).
    EXPECT_NEAR(static_cast<double>(processed), 4000.0 + 50.0, 5.0);
    EXPECT_NEAR(static_cast<double>(sink->GetTotalRx()) / 500.0,
                static_cast<double>(processed),
                1.0);
    // 10 000 offered: what was not processed was dropped.
    EXPECT_NEAR(static_cast<double>(p->GetDroppedPackets(c.root->GetId())),
                10000.0 - static_cast<double>(processed),
                2.0);
    EXPECT_NEAR(p->GetBusyTime().GetSeconds(), static_cast<double>(processed) / 2000.0, 1e-6);
}

/// Two controlled children through n1, both overloading its processor.
struct TwoChildren
{
    Chain c;
    Ptr<VirtualNetwork> a;
    Ptr<VirtualNetwork> b;
    Ptr<GenesisNodeProcessor> cpu;
    Ptr<PacketSink> sinkA;
    Ptr<PacketSink> sinkB;

    TwoChildren(const std::string& classA,
                const std::string& rateA,
                const std::string& rateB,
                DataRate offeredA,
                DataRate offeredB)
    {
        BuildChain(c, 3, "10Mbps", "1ms");
        a = TwoEndChild(c, c.root, "a", classA, rateA, 0, 2, "172.16.0.0");
        b = TwoEndChild(c, c.root, "b", "controlled", rateB, 0, 2, "172.17.0.0");
        a->Spawn();
        b->Spawn();
        GenesisNodeProcessorHelper helper;
        helper.SetAttribute("CyclesPerPacket", UintegerValue(2000000)); // 500 packets/s
        helper.SetAttribute("QueueLimit", UintegerValue(20));
        cpu = helper.Install(NodeContainer(c.nodes.Get(1)), c.root).at(0);
        sinkA = UdpFlow(a->GetRoutelets()[0]->GetNode(),
                        a->GetRoutelets()[1]->GetNode(),
                        EndB(a),
                        9,
                        offeredA,
                        1000,
                        Seconds(1),
                        Seconds(5));
        sinkB = UdpFlow(b->GetRoutelets()[0]->GetNode(),
                        b->GetRoutelets()[1]->GetNode(),
                        EndB(b),
                        9,
                        offeredB,
                        1000,
                        Seconds(1),
                        Seconds(5));
    }

    uint64_t a2{0}; //!< a's processed packets at 2 s
    uint64_t b2{0}; //!< b's processed packets at 2 s
    uint64_t a4{0}; //!< a's processed packets at 4 s
    uint64_t b4{0}; //!< b's processed packets at 4 s

    /// Run; the rates are measured from 2 s to 4 s, in the steady state.
    void Run()
    {
        Simulator::Schedule(Seconds(2), [this]() {
            a2 = cpu->GetProcessedPackets(a->GetId());
            b2 = cpu->GetProcessedPackets(b->GetId());
        });
        Simulator::Schedule(Seconds(4), [this]() {
            a4 = cpu->GetProcessedPackets(a->GetId());
            b4 = cpu->GetProcessedPackets(b->GetId());
        });
        Simulator::Stop(Seconds(5.5));
        Simulator::Run();
    }

    /// \return a's processed packets per second from 2 s to 4 s
    double RateA() const
    {
        return static_cast<double>(a4 - a2) / 2.0;
    }

    /// \return b's processed packets per second from 2 s to 4 s
    double RateB() const
    {
        return static_cast<double>(b4 - b2) / 2.0;
    }
};

TEST_F(NodeProcessorTest, SharesFollowTheLinkAllocation)
{
    // On both of n1's 10 Mbps devices a reserves 6 Mbps, b 2 Mbps, and the
    // root's own best-effort class keeps the 2 Mbps left: shares 0.6 / 0.2 / 0.2
    // (read once the arbitrators run and hold their own classes).
    TwoChildren t("controlled", "6Mbps", "2Mbps", DataRate("4Mbps"), DataRate("4Mbps"));
    t.Run();
    EXPECT_NEAR(t.cpu->GetShare(t.a->GetId()), 0.6, 1e-9);
    EXPECT_NEAR(t.cpu->GetShare(t.b->GetId()), 0.2, 1e-9);
    EXPECT_NEAR(t.cpu->GetShare(t.c.root->GetId()), 0.2, 1e-9);
    // 1000 packets/s offered (500 each) to a 500 packets/s processor: both are
    // backlogged, so SFQ serves them 3:1 -> 375 and 125 packets/s.
    EXPECT_NEAR(t.RateA(), 375.0, 375.0 * 0.02);
    EXPECT_NEAR(t.RateB(), 125.0, 125.0 * 0.02);
    EXPECT_GT(t.cpu->GetDroppedPackets(t.a->GetId()), 0u);
    EXPECT_GT(t.cpu->GetDroppedPackets(t.b->GetId()), 0u);
    // The sinks got what the processor forwarded (the links are not the bottleneck).
    EXPECT_NEAR(static_cast<double>(t.sinkA->GetTotalRx()) / 1000.0,
                static_cast<double>(t.cpu->GetProcessedPackets(t.a->GetId())),
                1.0);
    EXPECT_NEAR(static_cast<double>(t.sinkB->GetTotalRx()) / 1000.0,
                static_cast<double>(t.cpu->GetProcessedPackets(t.b->GetId())),
                1.0);
}

TEST_F(NodeProcessorTest, IdleShareIsLentToTheBusyNetwork)
{
    // a sends nothing: b (controlled, share 0.2) gets the whole processor.
    TwoChildren t("controlled", "6Mbps", "2Mbps", DataRate("1bps"), DataRate("6Mbps"));
    t.Run();
    EXPECT_NEAR(t.RateB(), 500.0, 500.0 * 0.01);
}

TEST_F(NodeProcessorTest, ConstantClassIsCappedAtItsShare)
{
    // a is constant-class with 2 Mbps of 10 (share 0.2): even with the processor
    // otherwise idle it gets 0.2 x 500 = 100 packets/s, not the ~230 packets/s
    // its 2 Mbit/s link allocation brings to the node.
    TwoChildren t("constant", "2Mbps", "2Mbps", DataRate("2.4Mbps"), DataRate("1bps"));
    t.Run();
    EXPECT_NEAR(t.cpu->GetShare(t.a->GetId()), 0.2, 1e-9);
    EXPECT_NEAR(t.RateA(), 100.0, 100.0 * 0.02);
}

TEST_F(NodeProcessorTest, SetShareOverridesTheLinks)
{
    TwoChildren t("controlled", "6Mbps", "2Mbps", DataRate("4Mbps"), DataRate("4Mbps"));
    t.cpu->SetShare(t.a->GetId(), 0.4);
    t.cpu->SetShare(t.b->GetId(), 0.4);
    t.Run();
    EXPECT_NEAR(t.RateA(), 250.0, 250.0 * 0.02);
    EXPECT_NEAR(t.RateB(), 250.0, 250.0 * 0.02);
}

TEST_F(NodeProcessorTest, BadInstallChangesNothing)
{
    NodeContainer nodes;
    nodes.Create(2);
    InternetStackHelper stack;
    stack.Install(nodes.Get(0)); // node 1 has no IPv4
    GenesisNodeProcessorHelper cpu;
    try
    {
        cpu.Install(nodes, nullptr);
        FAIL() << "a node without IPv4 must be refused";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("node 1 has no IPv4"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(nodes.Get(0)->GetObject<GenesisNodeProcessor>())
        << "a failed install leaves every node as it was";
    EXPECT_THROW(cpu.SetAttribute("Speed", UintegerValue(1)), GenesisError);
    Ptr<GenesisNodeProcessor> p = cpu.Install(NodeContainer(nodes.Get(0)), nullptr).at(0);
    EXPECT_THROW(p->SetShare(1, 0.0), GenesisError);
    EXPECT_THROW(p->SetShare(1, 1.5), GenesisError);
    EXPECT_THROW(cpu.Install(NodeContainer(nodes.Get(0)), nullptr), GenesisError);
}

} // namespace
} // namespace genesis_test
} // namespace ns3
