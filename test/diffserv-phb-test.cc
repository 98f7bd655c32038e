/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GenesisPhbQueueDisc: WRED/RIO drop curves against RFC 2597's linear
 * formula, RIO-C coupling, WRR/WFQ shares within their textbook bounds, EF
 * priority and rate limit, the EF delay bound under a best-effort flood (and
 * a FIFO baseline that breaks it), the self-wake as a root disc, and the disc
 * as the child of an ArbitratorQueueDisc class.
 */
#include "arbitrator-test-common.h"
#include "diffserv-test-common.h"
#include "genesis-test-common.h"

#include <cmath>
#include <map>

using namespace ns3;
using namespace ns3::genesis_test;

/// Fresh seeds and defaults; Simulator::Destroy after each test
class DiffServPhb : public GenesisSimTest
{
};

namespace
{
constexpr uint8_t AF11 = 10;
constexpr uint8_t AF13 = 14;
constexpr uint8_t AF21 = 18;
constexpr uint8_t EF = 46;

/// A disc driven directly (no device), initialised
Ptr<GenesisPhbQueueDisc>
MakeDisc(std::map<std::string, std::string> attrs = {})
{
    auto q = CreateObject<GenesisPhbQueueDisc>();
    for (const auto& [k, v] : attrs)
    {
        q->SetAttribute(k, StringValue(v));
    }
    q->Initialize();
    return q;
}

/// Counts drops per reason through the PhbDrop trace
struct DropCounter
{
    std::map<std::string, uint64_t> byReason;

    void Hit(uint32_t, uint8_t, Ptr<const QueueDiscItem>, const char* reason)
    {
        ++byReason[reason];
    }
};

/**
 * Hold AF1 at exactly \p backlog packets and offer \p n packets of codepoint
 * \p dscp, each dequeued again (the head leaves) when accepted, so every
 * arrival sees the same queue. With QueueWeight 1 the average is that queue.
 * \return the fraction dropped
 */
double
DropFraction(Ptr<GenesisPhbQueueDisc> q, uint32_t backlog, uint8_t dscp, uint32_t n)
{
    while (q->GetClassPackets(GenesisPhbQueueDisc::AF1) > backlog)
    {
        q->Dequeue();
    }
    for (int guard = 0; q->GetClassPackets(GenesisPhbQueueDisc::AF1) < backlog && guard < 100000;
         ++guard)
    {
        q->Enqueue(MakeItemOfSize(dscp, 500));
    }
    EXPECT_EQ(q->GetClassPackets(GenesisPhbQueueDisc::AF1), backlog);
    uint32_t drops = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (q->Enqueue(MakeItemOfSize(dscp, 500)))
        {
            q->Dequeue();
        }
        else
        {
            ++drops;
        }
    }
    return static_cast<double>(drops) / n;
}
} // namespace

// RFC 2597 with RED per precedence: p = maxP (avg - min) / (max - min) between
// the thresholds, 0 below, 1 at or above max. N = 4000 offers per point; the
// empirical fraction is binomial: allow 5 standard deviations
// (sqrt(p (1 - p) / N)), a false failure once in ~3.5 million runs.
TEST_F(DiffServPhb, WredDropCurveMatchesRfcFormula)
{
    auto q = MakeDisc({{"QueueWeight", "1"},
                       {"AfMinTh1", "10"},
                       {"AfMaxTh1", "30"},
                       {"AfMaxP1", "0.5"},
                       {"AfMinTh3", "4"},
                       {"AfMaxTh3", "12"},
                       {"AfMaxP3", "0.8"},
                       {"AfMaxSize", "100"}});
    q->AssignStreams(11);
    DropCounter dc;
    q->TraceConnectWithoutContext("PhbDrop", MakeCallback(&DropCounter::Hit, &dc));
    const uint32_t n = 4000;

    struct Point
    {
        uint32_t avg;
        uint8_t dscp;
        double min, max, maxP;
    };

    const Point points[] = {{5, AF11, 10, 30, 0.5},
                            {10, AF11, 10, 30, 0.5},
                            {15, AF11, 10, 30, 0.5},
                            {20, AF11, 10, 30, 0.5},
                            {29, AF11, 10, 30, 0.5},
                            {30, AF11, 10, 30, 0.5},
                            {3, AF13, 4, 12, 0.8},
                            {6, AF13, 4, 12, 0.8},
                            {10, AF13, 4, 12, 0.8},
                            {12, AF13, 4, 12, 0.8}};
    for (const Point& pt : points)
    {
        const double a = pt.avg;
        const double expected =
            a < pt.min ? 0.0 : (a >= pt.max ? 1.0 : pt.maxP * (a - pt.min) / (pt.max - pt.min));
        const double f = DropFraction(q, pt.avg, pt.dscp, n);
        const double tol = 5 * std::sqrt(expected * (1 - expected) / n);
        EXPECT_NEAR(f, expected, tol + 1e-12)
            << "avg " << pt.avg << " codepoint " << +pt.dscp << " (expected " << expected << ")";
    }
    // the reasons: forced at/above max, early between
    const auto& s = q->GetClassStats(GenesisPhbQueueDisc::AF1);
    EXPECT_EQ(dc.byReason[GenesisPhbQueueDisc::FORCED_DROP], s.forcedDrops);
    EXPECT_EQ(dc.byReason[GenesisPhbQueueDisc::EARLY_DROP], s.earlyDrops);
    EXPECT_GE(s.forcedDrops, 2 * n) << "avg 30 (AF11) and 12 (AF13) drop every offer";
    EXPECT_EQ(s.forcedDrops + s.earlyDrops + s.limitDrops, q->GetStats().nTotalDroppedPackets);
    EXPECT_EQ(q->GetCodepointStats(AF11).Drops() + q->GetCodepointStats(AF13).Drops(), s.Drops());
}

// EWMA: avg = (1 - w) avg + w q at each arrival, q the queue before it.
TEST_F(DiffServPhb, AfAverageIsTheEwma)
{
    auto q = MakeDisc({{"QueueWeight", "0.1"}, {"AfMinTh1", "1000"}, {"AfMaxTh1", "2000"}});
    double avg = 0;
    for (int i = 0; i < 50; ++i)
    {
        avg = 0.9 * avg + 0.1 * i;
        ASSERT_TRUE(q->Enqueue(MakeItemOfSize(AF11, 200)));
        EXPECT_NEAR(q->GetAverageQueue(GenesisPhbQueueDisc::AF1, 1), avg, 1e-9);
    }
}

// RIO-C: green (AFx1) averages only the green packets, red (AFx3) all. With 15
// red packets queued and AFx1 thresholds 6/12, a green arrival sees avg 0 under
// RIO-C (accepted) but 15 >= 12 under WRED (forced drop).
TEST_F(DiffServPhb, RioCoupledAveragesPerPrecedence)
{
    for (std::string mode : {"RioCoupled", "Wred"})
    {
        auto q = MakeDisc({{"AfMode", mode},
                           {"QueueWeight", "1"},
                           {"AfMinTh1", "6"},
                           {"AfMaxTh1", "12"},
                           {"AfMinTh3", "20"},
                           {"AfMaxTh3", "30"}});
        for (int i = 0; i < 15; ++i)
        {
            ASSERT_TRUE(q->Enqueue(MakeItemOfSize(AF13, 300))) << "red below its min threshold";
        }
        const bool accepted = q->Enqueue(MakeItemOfSize(AF11, 300));
        EXPECT_EQ(accepted, mode == "RioCoupled") << mode;
        EXPECT_DOUBLE_EQ(q->GetAverageQueue(GenesisPhbQueueDisc::AF1, 1),
                         mode == "RioCoupled" ? 0.0 : 15.0);
        EXPECT_DOUBLE_EQ(q->GetAverageQueue(GenesisPhbQueueDisc::AF1, 3), 15.0);
    }
}

namespace
{
/**
 * Keep AF1 (500 B), AF2 (1000 B) and BE (1500 B) backlogged, serve \p rounds
 * packets, return the bytes per class.
 */
std::map<uint32_t, double>
ServeBacklogged(Ptr<GenesisPhbQueueDisc> q, uint32_t packets)
{
    const std::pair<uint8_t, uint32_t> flows[] = {{AF11, 500}, {AF21, 1000}, {0, 1500}};
    for (int k = 0; k < 20; ++k)
    {
        for (auto [d, size] : flows)
        {
            q->Enqueue(MakeItemOfSize(d, size));
        }
    }
    std::map<uint32_t, double> bytes;
    for (uint32_t i = 0; i < packets; ++i)
    {
        Ptr<QueueDiscItem> item = q->Dequeue();
        const uint8_t d = q->ReadDscp(item);
        bytes[q->GetClassOf(d)] += item->GetSize();
        q->Enqueue(MakeItemOfSize(d, item->GetSize())); // stays backlogged
    }
    return bytes;
}
} // namespace

// DRR (Shreedhar & Varghese 1996): over any run in which a class stays
// backlogged its bytes differ from weight/sum(weights) * total by less than
// one quantum plus one maximum packet.
TEST_F(DiffServPhb, WrrSharesFollowWeights)
{
    auto q = MakeDisc({{"Scheduler", "Wrr"},
                       {"Af1Weight", "4"},
                       {"Af2Weight", "2"},
                       {"BeWeight", "1"},
                       {"Quantum", "1000"},
                       {"AfMaxSize", "1000"},
                       {"AfMinTh1", "900"},
                       {"AfMaxTh1", "950"}});
    auto bytes = ServeBacklogged(q, 6000);
    double total = 0;
    for (auto& [c, b] : bytes)
    {
        total += b;
    }
    const std::map<uint32_t, double> w = {{1, 4}, {2, 2}, {5, 1}};
    for (auto& [c, wi] : w)
    {
        const double ideal = total * wi / 7.0;
        EXPECT_LE(std::abs(bytes[c] - ideal), wi * 1000 + 1500)
            << "class " << c << ": " << bytes[c] << " vs " << ideal;
    }
}

// SCFQ (Golestani 1994): for two backlogged classes, |bytes_i / w_i -
// bytes_j / w_j| <= Lmax_i / w_i + Lmax_j / w_j at any time.
TEST_F(DiffServPhb, WfqSharesFollowWeights)
{
    auto q = MakeDisc({{"Scheduler", "Wfq"},
                       {"Af1Weight", "4"},
                       {"Af2Weight", "2"},
                       {"BeWeight", "1"},
                       {"AfMaxSize", "1000"},
                       {"AfMinTh1", "900"},
                       {"AfMaxTh1", "950"}});
    auto bytes = ServeBacklogged(q, 6000);
    const double n1 = bytes[1] / 4;
    const double n2 = bytes[2] / 2;
    const double n5 = bytes[5] / 1;
    EXPECT_LE(std::abs(n1 - n2), 500 / 4.0 + 1000 / 2.0);
    EXPECT_LE(std::abs(n1 - n5), 500 / 4.0 + 1500 / 1.0);
    EXPECT_LE(std::abs(n2 - n5), 1000 / 2.0 + 1500 / 1.0);
    EXPECT_GT(bytes[1], 0);
}

// EF has strict priority while its bucket (EfRate 8 Mbit/s = 1 B/us, EfBurst
// 3000 B) holds the head: three 1000 B EF packets first, then BE, and with only
// EF left out of tokens the disc gives nothing and names the instant the next
// EF packet conforms (1000 B at 1 B/us: 1 ms later).
TEST_F(DiffServPhb, EfStrictPriorityUpToItsRate)
{
    auto q = MakeDisc({{"EfRate", "8Mbps"}, {"EfBurst", "3000"}});
    std::vector<uint32_t> order;
    Time wake;
    Simulator::Schedule(Seconds(1), [&]() {
        for (int i = 0; i < 5; ++i)
        {
            q->Enqueue(MakeItemOfSize(0, 1000));
            q->Enqueue(MakeItemOfSize(EF, 1000));
        }
        while (Ptr<QueueDiscItem> item = q->Dequeue())
        {
            order.push_back(q->GetClassOf(q->ReadDscp(item)));
        }
        wake = q->GetNextWakeTime();
    });
    Simulator::Schedule(Seconds(1) + MicroSeconds(999),
                        [&]() { EXPECT_FALSE(q->Dequeue()) << "999 B of tokens: not yet"; });
    Simulator::Schedule(Seconds(1) + MicroSeconds(1000), [&]() {
        Ptr<QueueDiscItem> item = q->Dequeue();
        ASSERT_TRUE(item);
        order.push_back(q->GetClassOf(q->ReadDscp(item)));
    });
    Simulator::Run();
    const std::vector<uint32_t> expected = {0, 0, 0, 5, 5, 5, 5, 5, 0};
    EXPECT_EQ(order, expected);
    EXPECT_EQ(wake, Seconds(1) + MicroSeconds(1000));
    EXPECT_EQ(q->GetClassPackets(GenesisPhbQueueDisc::EF), 1u);
}

TEST_F(DiffServPhb, CodepointMapAndUnknownCodepoints)
{
    auto q = MakeDisc({{"CodepointMap", "CS5=EF CS1=AF13, 7=AF2"}});
    EXPECT_EQ(q->GetClassOf(40), GenesisPhbQueueDisc::EF);
    EXPECT_EQ(q->GetClassOf(8), GenesisPhbQueueDisc::AF1);
    EXPECT_EQ(q->GetPrecedenceOf(8), 3u);
    EXPECT_EQ(q->GetClassOf(7), GenesisPhbQueueDisc::AF2);
    EXPECT_EQ(q->GetClassOf(34), GenesisPhbQueueDisc::AF4); // AF41 by default
    EXPECT_EQ(q->GetPrecedenceOf(36), 2u);                  // AF42
    EXPECT_EQ(q->GetClassOf(44), GenesisPhbQueueDisc::EF);  // VA
    for (uint8_t d : {1, 3, 9, 33, 63, 48})
    {
        EXPECT_EQ(q->GetClassOf(d), GenesisPhbQueueDisc::BE) << "RFC 2474: unknown -> default";
    }
    auto bad = CreateObject<GenesisPhbQueueDisc>();
    try
    {
        bad->SetAttribute("CodepointMap", StringValue("CS5=AF5"));
        FAIL() << "accepted AF5";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("unknown PHB 'AF5'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(bad->SetAttribute("CodepointMap", StringValue("XX=EF")), GenesisError);
}

// As the arbitrator sees a child's packet: outer IPv4 protocol 253 (DSCP 0),
// a Genesis shim, then the child's own IPv4 header carrying EF.
TEST_F(DiffServPhb, ReadsTheChildHeaderBehindTheShim)
{
    auto q = MakeDisc();
    PktSpec inner;
    inner.dscp = EF;
    Ptr<Packet> p = MakeIpv4Packet(inner);
    GenesisShimHeader shim;
    shim.SetLabels({1, 2});
    shim.SetInnerProtocol(0x0800);
    p->AddHeader(shim);
    Ipv4Header outer;
    outer.SetProtocol(253);
    outer.SetPayloadSize(p->GetSize());
    auto item = Create<Ipv4QueueDiscItem>(p, Mac48Address("00:00:00:00:00:01"), 0x0800, outer);
    EXPECT_EQ(q->ReadDscp(item), EF);
    ASSERT_TRUE(q->Enqueue(item));
    EXPECT_EQ(q->GetClassPackets(GenesisPhbQueueDisc::EF), 1u);
}

TEST_F(DiffServPhb, BadPhbConfigurationRejected)
{
    auto q = CreateObject<GenesisPhbQueueDisc>();
    q->SetAttribute("AfMinTh2", DoubleValue(60));
    q->SetAttribute("AfMaxTh2", DoubleValue(50));
    try
    {
        q->Initialize();
        FAIL() << "min above max accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(
            std::string(e.what()).find("AfMinTh2 (60.000000) must be >= 0 and below AfMaxTh2"),
            std::string::npos)
            << e.what();
    }
    auto r = CreateObject<GenesisPhbQueueDisc>();
    r->SetAttribute("EfRate", StringValue("0bps"));
    EXPECT_THROW(r->Initialize(), GenesisError);
}

namespace
{
/// One-way delays of the packets of a PacketSink with SeqTsSize headers
struct DelayLog
{
    std::vector<double> delays;

    void Rx(Ptr<const Packet>, const Address&, const Address&, const SeqTsSizeHeader& h)
    {
        delays.push_back((Simulator::Now() - h.GetTs()).GetSeconds());
    }

    double Max() const
    {
        return delays.empty() ? 0 : *std::max_element(delays.begin(), delays.end());
    }
};

/// An OnOff UDP flow with a codepoint, sending SeqTsSize headers, and its sink
Ptr<PacketSink>
MarkedFlow(Ptr<Node> src,
           Ptr<Node> dst,
           Ipv4Address to,
           uint16_t port,
           uint8_t dscp,
           std::string rate,
           uint32_t size,
           double start,
           double stop)
{
    InetSocketAddress remote(to, port);
    remote.SetTos(dscp << 2);
    OnOffHelper onoff("ns3::UdpSocketFactory", remote);
    onoff.SetConstantRate(DataRate(rate), size);
    onoff.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
    ApplicationContainer a = onoff.Install(src);
    a.Start(Seconds(start));
    a.Stop(Seconds(stop));
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    sink.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
    ApplicationContainer s = sink.Install(dst);
    return DynamicCast<PacketSink>(s.Get(0));
}

/// A 10 Mbit/s, 1 ms link; the device queue holds one packet (as in ns-3's TC examples)
struct Link
{
    NodeContainer nodes;
    NetDeviceContainer devs;
    Ipv4InterfaceContainer ifs;

    Link()
    {
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
        devs = p2p.Install(nodes);
        InternetStackHelper stack;
        stack.Install(nodes);
    }

    void Address()
    {
        Ipv4AddressHelper addr("10.1.1.0", "255.255.255.0");
        ifs = addr.Assign(devs);
    }
};

/**
 * EF (1 Mbit/s of 200 B payloads, 240 B IP packets) beside a 20 Mbit/s
 * best-effort flood of 1500 B IP packets on a 10 Mbit/s link, through the
 * root disc \p disc. \return the EF sink's delays
 */
DelayLog
EfUnderFlood(const std::string& disc, uint32_t* efReceived)
{
    Link l;
    TrafficControlHelper tch;
    if (disc == "phb")
    {
        tch.SetRootQueueDisc("ns3::GenesisPhbQueueDisc",
                             "EfRate",
                             StringValue("2Mbps"),
                             "EfBurst",
                             UintegerValue(3000));
    }
    else
    {
        tch.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize", StringValue("1000p"));
    }
    tch.Install(l.devs.Get(0));
    l.Address();
    auto ef = MarkedFlow(l.nodes.Get(0),
                         l.nodes.Get(1),
                         l.ifs.GetAddress(1),
                         5000,
                         EF,
                         "1Mbps",
                         212,
                         1.0,
                         3.0);
    MarkedFlow(l.nodes.Get(0),
               l.nodes.Get(1),
               l.ifs.GetAddress(1),
               6000,
               0,
               "20Mbps",
               1472,
               1.0,
               3.0);
    DelayLog log;
    ef->TraceConnectWithoutContext("RxWithSeqTsSize", MakeCallback(&DelayLog::Rx, &log));
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    *efReceived = static_cast<uint32_t>(log.delays.size());
    Simulator::Destroy();
    return log;
}
} // namespace

// EF bound (RFC 3246 strict priority): an EF packet waits at most for the
// packet in transmission and the one in the device's 1-packet queue (2 x 1502
// wire bytes) plus the EF burst ahead of it (EfBurst 3000 B), then its own
// transmission (242 wire bytes) and the 1 ms propagation:
// 1 ms + (2 * 1502 + 3000 + 242) * 8 / 10 Mbit/s = 5.997 ms. A FIFO mixes EF
// into the 1000-packet BE backlog: about a second.
TEST_F(DiffServPhb, EfDelayBoundHoldsUnderBestEffortFlood)
{
    const double bound = 1e-3 + (2 * 1502 + 3000 + 242) * 8 / 10e6;
    uint32_t phbRx = 0;
    uint32_t fifoRx = 0;
    DelayLog phb = EfUnderFlood("phb", &phbRx);
    DelayLog fifo = EfUnderFlood("fifo", &fifoRx);
    // OnOff paces its 212 B payloads at 1 Mbit/s: one every 1.696 ms for 2 s
    const double sent = 2.0 / (212 * 8 / 1e6);
    EXPECT_NEAR(phbRx, sent, 2) << "no EF packet lost behind the flood";
    EXPECT_LE(phb.Max(), bound) << "max EF delay " << phb.Max() * 1e3 << " ms";
    EXPECT_GT(fifo.Max(), 10 * bound) << "FIFO baseline: " << fifo.Max() * 1e3 << " ms";
}

// Only EF, at 4 Mbit/s into EfRate 2 Mbit/s: the disc must wake itself when
// tokens return (the device is idle then and will not ask). Delivered rate =
// EfRate; everything queued drains after the source stops.
TEST_F(DiffServPhb, EfRateLimitWakesTheRootDisc)
{
    Link l;
    TrafficControlHelper tch;
    tch.SetRootQueueDisc("ns3::GenesisPhbQueueDisc",
                         "EfRate",
                         StringValue("2Mbps"),
                         "EfBurst",
                         UintegerValue(1500),
                         "EfMaxSize",
                         UintegerValue(10000));
    QueueDiscContainer qd = tch.Install(l.devs.Get(0));
    l.Address();
    auto sink = MarkedFlow(l.nodes.Get(0),
                           l.nodes.Get(1),
                           l.ifs.GetAddress(1),
                           5000,
                           EF,
                           "4Mbps",
                           972,
                           1.0,
                           2.0);
    uint64_t bytesAt1_5 = 0;
    uint64_t bytesAt2_5 = 0;
    Simulator::Schedule(Seconds(1.5), [&]() { bytesAt1_5 = sink->GetTotalRx(); });
    Simulator::Schedule(Seconds(2.5), [&]() { bytesAt2_5 = sink->GetTotalRx(); });
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    // 1000 B IP packets; sink counts 972 B payloads. 2 Mbit/s = 250 packets/s.
    const double pps = (bytesAt2_5 - bytesAt1_5) / 972.0;
    EXPECT_NEAR(pps, 250, 2) << "EF leaves at EfRate";
    auto phb = DynamicCast<GenesisPhbQueueDisc>(qd.Get(0));
    const auto& s = phb->GetClassStats(GenesisPhbQueueDisc::EF);
    // OnOff paces 972 B payloads at 4 Mbit/s: one every 1.944 ms for 1 s
    EXPECT_NEAR(s.enqueuedPackets, 1.0 / (972 * 8 / 4e6), 1.5);
    EXPECT_EQ(s.Drops(), 0u);
    EXPECT_EQ(s.dequeuedPackets, s.enqueuedPackets) << "drained without any packet arriving";
    EXPECT_EQ(sink->GetTotalRx(), s.enqueuedPackets * 972);
}

// The DiffServ network as a class of the parent's arbitrator: its PHB disc is
// the class's child disc (it cannot transmit; the arbitrator pulls it). The
// class is CONTROLLED at 6 Mbit/s on a 10 Mbit/s link, beside another class at
// 4 Mbit/s; both flooded. Inside, EF (4 Mbit/s offered, EfRate 1 Mbit/s) gets
// its rate, AF1:BE share the rest 3:1 (WRR).
TEST_F(DiffServPhb, PhbDiscAsChildOfArbitratorClass)
{
    Link l;
    TrafficControlHelper tch;
    tch.SetRootQueueDisc("ns3::ArbitratorQueueDisc", "LinkRate", StringValue("10Mbps"));
    QueueDiscContainer qd = tch.Install(l.devs.Get(0));
    l.Address();
    auto arb = DynamicCast<ArbitratorQueueDisc>(qd.Get(0));
    auto filter = CreateObject<PortFilter>();
    for (uint16_t port : {5000, 5001, 5002})
    {
        filter->Map(port, 1);
    }
    filter->Map(7000, 2);
    arb->AddPacketFilter(filter);
    auto phb = CreateObjectWithAttributes<GenesisPhbQueueDisc>("EfRate",
                                                               StringValue("1Mbps"),
                                                               "EfBurst",
                                                               UintegerValue(3000),
                                                               "Af1Weight",
                                                               DoubleValue(3),
                                                               "BeWeight",
                                                               DoubleValue(1));
    arb->AddNetworkClass(1, ArbitratorQueueDiscClass::CONTROLLED, DataRate("6Mbps"), 0, phb);
    arb->AddNetworkClass(2,
                         ArbitratorQueueDiscClass::CONTROLLED,
                         DataRate("4Mbps"),
                         0,
                         CreateObjectWithAttributes<FifoQueueDisc>("MaxSize", StringValue("200p")));
    Ptr<Node> a = l.nodes.Get(0);
    Ptr<Node> b = l.nodes.Get(1);
    Ipv4Address to = l.ifs.GetAddress(1);
    auto ef = MarkedFlow(a, b, to, 5000, EF, "4Mbps", 972, 1.0, 4.0);
    auto af = MarkedFlow(a, b, to, 5001, AF11, "8Mbps", 972, 1.0, 4.0); // AF11
    auto be = MarkedFlow(a, b, to, 5002, 0, "8Mbps", 972, 1.0, 4.0);
    auto other = MarkedFlow(a, b, to, 7000, 0, "8Mbps", 972, 1.0, 4.0);
    std::map<std::string, uint64_t> at2;
    std::map<std::string, uint64_t> at4;
    auto snap = [&](std::map<std::string, uint64_t>& m) {
        m["ef"] = ef->GetTotalRx();
        m["af"] = af->GetTotalRx();
        m["be"] = be->GetTotalRx();
        m["other"] = other->GetTotalRx();
    };
    Simulator::Schedule(Seconds(2), [&]() { snap(at2); });
    Simulator::Schedule(Seconds(4), [&]() { snap(at4); });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    auto mbps = [&](const std::string& k) { return (at4[k] - at2[k]) / 972.0 * 1000 * 8 / 2e6; };
    // IP packets of 1000 B: rates below are of IP bytes
    EXPECT_NEAR(mbps("other"), 4.0, 0.1) << "the sibling keeps its share";
    EXPECT_NEAR(mbps("ef") + mbps("af") + mbps("be"), 6.0, 0.1) << "the DiffServ class its own";
    EXPECT_NEAR(mbps("ef"), 1.0, 0.05) << "EF at its rate limit, inside the class";
    EXPECT_NEAR(mbps("af") / mbps("be"), 3.0, 0.15) << "WRR 3:1 on the rest";
    // drops are counted once: the arbitrator's total equals the PHB disc's
    const auto& st = phb->GetStats();
    EXPECT_GT(st.nTotalDroppedPackets, 0u);
    uint64_t phbDrops = 0;
    for (uint32_t c = 0; c < GenesisPhbQueueDisc::N_CLASSES; ++c)
    {
        phbDrops += phb->GetClassStats(static_cast<GenesisPhbQueueDisc::PhbClass>(c)).Drops();
    }
    EXPECT_EQ(phbDrops, st.nTotalDroppedPackets);
}

// Nested, with only EF backlogged and out of tokens, the disc gives nothing
// and the arbitrator must come back: all EF packets are delivered, at EfRate.
TEST_F(DiffServPhb, PhbDiscNestedEfOnlyIsPulledAgain)
{
    Link l;
    TrafficControlHelper tch;
    tch.SetRootQueueDisc("ns3::ArbitratorQueueDisc", "LinkRate", StringValue("10Mbps"));
    QueueDiscContainer qd = tch.Install(l.devs.Get(0));
    l.Address();
    auto arb = DynamicCast<ArbitratorQueueDisc>(qd.Get(0));
    auto filter = CreateObject<PortFilter>();
    filter->Map(5000, 1);
    arb->AddPacketFilter(filter);
    auto phb = CreateObjectWithAttributes<GenesisPhbQueueDisc>("EfRate",
                                                               StringValue("2Mbps"),
                                                               "EfBurst",
                                                               UintegerValue(3000),
                                                               "EfMaxSize",
                                                               UintegerValue(10000));
    arb->AddNetworkClass(1, ArbitratorQueueDiscClass::CONTROLLED, DataRate("8Mbps"), 0, phb);
    auto sink = MarkedFlow(l.nodes.Get(0),
                           l.nodes.Get(1),
                           l.ifs.GetAddress(1),
                           5000,
                           EF,
                           "4Mbps",
                           972,
                           1.0,
                           2.0);
    uint64_t at1_5 = 0;
    uint64_t at2_5 = 0;
    Simulator::Schedule(Seconds(1.5), [&]() { at1_5 = sink->GetTotalRx(); });
    Simulator::Schedule(Seconds(2.5), [&]() { at2_5 = sink->GetTotalRx(); });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    EXPECT_NEAR((at2_5 - at1_5) / 972.0, 250, 5) << "EF at 2 Mbit/s through the arbitrator";
    const auto& s = phb->GetClassStats(GenesisPhbQueueDisc::EF);
    EXPECT_EQ(s.Drops(), 0u);
    EXPECT_GT(s.enqueuedPackets, 500u);
    EXPECT_EQ(sink->GetTotalRx(), s.enqueuedPackets * 972) << "every EF packet delivered";
    EXPECT_EQ(phb->GetNPackets(), 0u);
}

TEST_F(DiffServPhb, SameSeedSameDrops)
{
    auto run = []() {
        auto q = MakeDisc({{"QueueWeight", "1"}, {"AfMinTh1", "5"}, {"AfMaxTh1", "50"}});
        q->AssignStreams(5);
        std::vector<bool> accepted;
        for (int i = 0; i < 40; ++i)
        {
            accepted.push_back(q->Enqueue(MakeItemOfSize(AF11, 100)));
        }
        return accepted;
    };
    EXPECT_EQ(run(), run());
}
