/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The DiffServ child network spawned from examples/profiles/diffserv.yaml
 * beside its sibling (examples/profiles/diffserv-sibling.yaml), the scenario
 * of examples/genesis-diffserv.cc on a shorter run: the EF delay bound under
 * a best-effort flood, both networks held to their guarantees where they
 * compete, AF re-marking at the edge visible in the per-codepoint counters
 * (and carried unchanged to the next hop), and agreements with bad
 * parameters refused at spawn time with the profile's file:line:col.
 */
#include "genesis-test-common.h"

#include "ns3/flow-monitor-module.h"
#include "ns3/genesis-dscp.h"
#include "ns3/genesis-phb-queue-disc.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/genesis-spawner.h"
#include "ns3/genesis-traffic-conditioner.h"
#include "ns3/genesis-traffic-conditioning-agreement.h"
#include "ns3/point-to-point-module.h"

#include <cmath>
#include <fstream>
#include <map>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

/// \param rel a path from the top of the module \return it, found from here
std::string
ModulePath(const std::string& rel)
{
    return GENESIS_SOURCE_DIR "/" + rel;
}

/// Voice parameters, as in the example's defaults
constexpr uint32_t VOICE_FLOWS = 4;
constexpr uint32_t VOICE_PAYLOAD = 160;
constexpr double VOICE_RATE = 64e3;
constexpr double LINK_RATE = 10e6;

/// The example's parent network, children and traffic, run to the end.
struct DiffServScenario
{
    NodeContainer nodes;
    Ptr<VirtualNetwork> root;
    Ptr<VirtualNetwork> diffserv;
    Ptr<VirtualNetwork> sibling;
    Ptr<NetDevice> bottleneck; //!< n0 towards n1
    FlowMonitorHelper fmh;
    Ptr<FlowMonitor> monitor;
    std::map<uint32_t, uint64_t> classBytes; //!< per network id, in the window
    Time windowStart{Seconds(2.5)};
    Time start{Seconds(1.5)};
    Time stop{Seconds(5.5)};
    Ptr<GenesisPhbQueueDisc> edge;          //!< the ingress port's disc (conditioner)
    Ptr<GenesisPhbQueueDisc> bottleneckPhb; //!< DiffServ's scheduler on n0 -> n1
    std::vector<std::string> failures;      //!< SpawnFailed reasons

    void Count(uint32_t id, Ptr<const QueueDiscItem> item)
    {
        Time now = Simulator::Now();
        if (now >= windowStart && now < stop)
        {
            classBytes[id] += item->GetSize();
        }
    }

    void Failed(const std::string& net, const std::string& reason)
    {
        failures.push_back(net + ": " + reason);
    }

    void Run()
    {
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1000));
        nodes.Create(10);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(LINK_RATE)));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
        const std::pair<uint32_t, uint32_t> links[] =
            {{0, 1}, {1, 2}, {2, 3}, {4, 0}, {5, 0}, {6, 0}, {3, 7}, {8, 0}, {3, 9}};
        for (const auto& l : links)
        {
            addr.Assign(p2p.Install(nodes.Get(l.first), nodes.Get(l.second)));
            addr.NewNetwork();
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        GenesisHelper genesis;
        root = genesis.Install(nodes);
        Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
        spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
        spawner->TraceConnectWithoutContext("SpawnFailed",
                                            MakeCallback(&DiffServScenario::Failed, this));
        genesis.Spawn(Seconds(1), ModulePath("examples/profiles/diffserv.yaml"));
        genesis.Spawn(Seconds(1), ModulePath("examples/profiles/diffserv-sibling.yaml"));

        const Ipv4Address sink("172.30.9.1");
        auto udp = [&](uint32_t src,
                       uint32_t dst,
                       Ipv4Address to,
                       uint16_t port,
                       DataRate rate,
                       uint32_t size,
                       uint8_t tos,
                       Time offset) {
            InetSocketAddress remote(to, port);
            remote.SetTos(tos);
            OnOffHelper onoff("ns3::UdpSocketFactory", remote);
            onoff.SetConstantRate(rate, size);
            ApplicationContainer a = onoff.Install(nodes.Get(src));
            a.Start(start + offset);
            a.Stop(stop);
            PacketSinkHelper ps("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), port));
            ps.Install(nodes.Get(dst)).Start(Seconds(0));
        };
        for (uint32_t i = 0; i < VOICE_FLOWS; ++i)
        {
            udp(4,
                7,
                sink,
                5000 + i,
                DataRate(VOICE_RATE),
                VOICE_PAYLOAD,
                0xb8,
                MicroSeconds(1000 * i));
        }
        udp(6, 7, sink, 7000, DataRate("8Mbps"), 1000, 0, Seconds(0));
        udp(8, 9, Ipv4Address("172.31.9.1"), 8000, DataRate("6Mbps"), 1000, 0, Seconds(0));
        for (uint16_t port : {6001, 6002})
        {
            BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(sink, port));
            bulk.SetAttribute("SendSize", UintegerValue(1000));
            ApplicationContainer a = bulk.Install(nodes.Get(5));
            a.Start(start);
            a.Stop(stop);
            PacketSinkHelper ps("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), port));
            ps.Install(nodes.Get(7)).Start(Seconds(0));
        }
        fmh.SetMonitorAttribute("DelayBinWidth", DoubleValue(0.0001));
        NodeContainer hosts;
        for (uint32_t i = 4; i < 10; ++i)
        {
            hosts.Add(nodes.Get(i));
        }
        monitor = fmh.Install(hosts);
        bottleneck = nodes.Get(0)->GetDevice(1);
        root->GetArbitrator(bottleneck)
            ->TraceConnectWithoutContext("ClassDequeue",
                                         MakeCallback(&DiffServScenario::Count, this));
        Simulator::Stop(Seconds(6));
        Simulator::Run();

        diffserv = root->FindNetwork("diffserv");
        sibling = root->FindNetwork("sibling");
        if (!diffserv || !sibling)
        {
            return;
        }
        Ptr<VirtualLink> in = spawner->GetLink("diffserv", "edge-in");
        Ptr<TrafficControlLayer> tc = in->GetEndA()->GetNode()->GetObject<TrafficControlLayer>();
        edge = DynamicCast<GenesisPhbQueueDisc>(tc->GetRootQueueDiscOnDevice(in->GetPortA()));
        bottleneckPhb = DynamicCast<GenesisPhbQueueDisc>(diffserv->GetArbitrator(bottleneck)
                                                             ->GetNetworkClass(diffserv->GetId())
                                                             ->GetQueueDisc());
    }

    /// Totals of the flows whose destination port is in [lo, hi]
    FlowMonitor::FlowStats Flows(uint16_t lo, uint16_t hi, double* maxDelay)
    {
        FlowMonitor::FlowStats t{};
        *maxDelay = 0;
        auto classifier = DynamicCast<Ipv4FlowClassifier>(fmh.GetClassifier());
        monitor->CheckForLostPackets();
        for (const auto& kv : monitor->GetFlowStats())
        {
            uint16_t port = classifier->FindFlow(kv.first).destinationPort;
            if (port < lo || port > hi)
            {
                continue;
            }
            t.txPackets += kv.second.txPackets;
            t.rxPackets += kv.second.rxPackets;
            t.rxBytes += kv.second.rxBytes;
            Histogram h = kv.second.delayHistogram; // its getters are not const
            for (uint32_t b = h.GetNBins(); b-- > 0;)
            {
                if (h.GetBinCount(b) > 0)
                {
                    *maxDelay = std::max(*maxDelay, h.GetBinEnd(b));
                    break;
                }
            }
        }
        return t;
    }
};

/// The EF bound of the example (see examples/genesis-diffserv.cc): per hop,
/// propagation + (L + sigma_h) / r + 3 (L + 2) / C + own transmission, the
/// EF burst growing by rho D_h from hop to hop.
double
EfBound(double r)
{
    const double outer = 20 + GenesisShimHeader::FIXED_SIZE + 4;
    const double lEf = VOICE_PAYLOAD + 8 + 20 + outer;
    const double lMax = 1500;
    const double rho = VOICE_FLOWS * VOICE_RATE * lEf / VOICE_PAYLOAD;
    double sigma = VOICE_FLOWS * lEf * 8;
    double bound = 0;
    for (int h = 0; h < 5; ++h)
    {
        double d = 1e-3 + (lMax * 8 + sigma) / r + 3 * (lMax + 2) * 8 / LINK_RATE +
                   (lEf + 2) * 8 / LINK_RATE;
        bound += d;
        sigma += rho * d;
    }
    return bound;
}

/// What the tests check, copied out of one run of the scenario
struct DiffServResults
{
    std::vector<std::string> failures;                 //!< spawn refusals
    bool spawned{false};                               //!< both networks spawned
    FlowMonitor::FlowStats ef{};                       //!< voice flows
    FlowMonitor::FlowStats be{};                       //!< the flood
    double efMax{0};                                   //!< largest EF delay (s)
    double beMax{0};                                   //!< largest BE delay (s)
    double bound{0};                                   //!< EF bound (s)
    double dsRate{0};                                  //!< diffserv on n0 -> n1 (bit/s)
    double sibRate{0};                                 //!< sibling on n0 -> n1 (bit/s)
    uint32_t nTcas{0};                                 //!< agreements adopted by the edge disc
    std::map<std::string, GenesisPhbStats> edge;       //!< edge disc, per codepoint
    std::map<std::string, GenesisPhbStats> bottleneck; //!< scheduler on n0 -> n1
};

const char* const CODEPOINTS[] = {"EF", "AF11", "AF12", "AF13", "AF21", "AF22", "AF23", "BE"};

/// The scenario runs once for the three tests that read it (a few seconds).
const DiffServResults&
Results()
{
    static bool done = false;
    static DiffServResults r;
    if (done)
    {
        return r;
    }
    done = true;
    DiffServScenario s;
    s.Run();
    r.failures = s.failures;
    r.spawned = s.diffserv && s.sibling && s.edge && s.bottleneckPhb;
    if (!r.spawned)
    {
        return r;
    }
    r.ef = s.Flows(5000, 5099, &r.efMax);
    r.be = s.Flows(7000, 7000, &r.beMax);
    r.bound = EfBound(s.diffserv->GetRate().GetBitRate());
    const double window = (s.stop - s.windowStart).GetSeconds();
    r.dsRate = s.classBytes[s.diffserv->GetId()] * 8.0 / window;
    r.sibRate = s.classBytes[s.sibling->GetId()] * 8.0 / window;
    r.nTcas = s.edge->GetConditioner() ? s.edge->GetConditioner()->GetNTcas() : 0;
    for (const char* name : CODEPOINTS)
    {
        const uint8_t d = GenesisDscp::ParseOrThrow(name, "test");
        r.edge[name] = s.edge->GetCodepointStats(d);
        r.bottleneck[name] = s.bottleneckPhb->GetCodepointStats(d);
    }
    return r;
}

} // namespace

/// Fresh seeds and defaults; Simulator::Destroy after each test
class DiffServExample : public GenesisSimTest
{
};

TEST_F(DiffServExample, EfDelayWithinBoundWhileBestEffortFlooded)
{
    const DiffServResults& r = Results();
    ASSERT_TRUE(r.failures.empty()) << r.failures.front();
    ASSERT_TRUE(r.spawned);
    // 4 flows x 64 kbit/s of 160-byte payloads for 4 s: 50 packets/s each.
    EXPECT_NEAR(static_cast<double>(r.ef.txPackets), VOICE_FLOWS * 50 * 4.0, VOICE_FLOWS * 1.0);
    // EF is within its agreement (301 kbit/s of IP < 400 kbit/s, 4 x 188 B < 1000 B)
    // and has priority: nothing of it is lost.
    EXPECT_EQ(r.ef.rxPackets, r.ef.txPackets);
    EXPECT_GT(r.efMax, 0);
    EXPECT_LE(r.efMax, r.bound);
    // Best effort is flooded: 8 Mbit/s offered into a 6 Mbit/s network that
    // also carries AF: it loses packets and waits far longer than EF's bound.
    EXPECT_GT(r.be.txPackets - r.be.rxPackets, r.be.txPackets / 10);
    EXPECT_GT(r.beMax, r.bound);
}

TEST_F(DiffServExample, NetworkHeldToItsShareWhileSiblingKeepsItsOwn)
{
    const DiffServResults& r = Results();
    ASSERT_TRUE(r.failures.empty()) << r.failures.front();
    ASSERT_TRUE(r.spawned);
    // Both networks offer more than their guarantees, and the guarantees fill
    // the link (6 + 4 = 10 Mbit/s): H-WF2Q+ gives each exactly its rate.
    EXPECT_NEAR(r.dsRate, 6e6, 0.02 * 6e6);
    EXPECT_NEAR(r.sibRate, 4e6, 0.02 * 4e6);
    EXPECT_NEAR(r.dsRate / r.sibRate, 1.5, 0.05);
}

TEST_F(DiffServExample, AfRemarkingVisibleInCodepointCounters)
{
    const DiffServResults& r = Results();
    ASSERT_TRUE(r.failures.empty()) << r.failures.front();
    ASSERT_TRUE(r.spawned);
    // The agreements of the profile are the edge disc's conditioner.
    EXPECT_EQ(r.nTcas, 4u);
    const auto& e = r.edge;
    const double sendTime = 6.0 - 1.5; // s: BulkSend start to Simulator::Stop
    // gold (trTCM, CIR 1 Mbit/s, CBS 3000 B): green (AF11) bytes can never
    // exceed CBS + CIR t, t the 4.5 s from the start of the transfers to the
    // end of the run (a stopped BulkSend's socket still sends its buffer);
    // TCP pushes above CIR, so yellow (AF12) and red (AF13) packets appear.
    EXPECT_GT(e.at("AF11").enqueuedPackets, 0u);
    EXPECT_LE(static_cast<double>(e.at("AF11").enqueuedBytes), 3000 + 1e6 / 8 * sendTime);
    EXPECT_GT(e.at("AF12").enqueuedPackets + e.at("AF13").enqueuedPackets, 0u);
    // silver (srTCM, CIR 500 kbit/s, CBS 3000 B): the same for AF21.
    EXPECT_GT(e.at("AF21").enqueuedPackets, 0u);
    EXPECT_LE(static_cast<double>(e.at("AF21").enqueuedBytes), 3000 + 0.5e6 / 8 * sendTime);
    EXPECT_GT(e.at("AF22").enqueuedPackets + e.at("AF23").enqueuedPackets, 0u);
    // Voice stays EF, the flood BE; nothing is policed (all within contract).
    EXPECT_GT(e.at("EF").enqueuedPackets, 0u);
    EXPECT_GT(e.at("BE").enqueuedPackets, 0u);
    // What the edge sent with each codepoint is what the DiffServ scheduler on
    // n0 -> n1 received (read behind the Genesis shim), enqueued or dropped.
    for (const char* name : CODEPOINTS)
    {
        EXPECT_EQ(e.at(name).policedDrops, 0u) << name;
        const GenesisPhbStats& in = r.bottleneck.at(name);
        EXPECT_EQ(e.at(name).dequeuedPackets, in.enqueuedPackets + in.Drops()) << name;
    }
}

TEST_F(DiffServExample, BadAgreementRefusedWithProfileLocation)
{
    NodeContainer nodes;
    nodes.Create(6);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    for (auto l : std::vector<std::pair<int, int>>{{0, 1}, {1, 2}, {2, 3}, {4, 0}, {3, 5}})
    {
        addr.Assign(p2p.Install(nodes.Get(l.first), nodes.Get(l.second)));
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);
    Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
    spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));

    const std::string dir =
        ModulePath("test/profiles/diffserv-good.yaml")
            .substr(0, ModulePath("test/profiles/diffserv-good.yaml").find_last_of('/') + 1);

    struct Case
    {
        std::string file;
        std::string expected;
    };

    const std::vector<Case> cases = {
        {"diffserv-bad-cir.yaml",
         "diffserv-bad-cir.yaml:21:5: processor 'ns3::GenesisTrafficConditioningAgreement': "
         "TCA 'gold': attribute Cir (5Mbps) is above Pir (2Mbps); the peak rate cannot be "
         "below the committed rate: set Pir >= Cir"},
        {"diffserv-zero-burst.yaml",
         "diffserv-zero-burst.yaml:31:5: processor 'ns3::GenesisTrafficConditioningAgreement': "
         "TCA 'silver': attribute Ebs is 0 bytes; a burst must hold at least one packet"},
    };
    for (const auto& c : cases)
    {
        // Each attribute is valid on its own: the reader accepts the file.
        EXPECT_TRUE(GenesisProfileReader::ReadFile(dir + c.file).Ok()) << c.file;
        std::string message;
        try
        {
            spawner->SpawnFile(dir + c.file, root);
        }
        catch (const GenesisError& e)
        {
            message = e.what();
        }
        EXPECT_NE(message.find(c.expected), std::string::npos) << message;
        // Refused before anything was built: no child, no reservation.
        EXPECT_EQ(root->FindNetwork("diffserv"), nullptr);
        EXPECT_EQ(root->GetChildren().size(), 0u);
    }
    // Tools without a parent network run the same checks on the profile.
    std::vector<std::string> problems = GenesisSpawner::CheckModules(
        GenesisProfileReader::ReadFileOrThrow(dir + "diffserv-bad-cir.yaml"));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find(cases[0].expected), std::string::npos) << problems[0];
    EXPECT_TRUE(GenesisSpawner::CheckModules(
                    GenesisProfileReader::ReadFileOrThrow(dir + "diffserv-good.yaml"))
                    .empty());
    // The same profile with sane parameters spawns.
    EXPECT_NO_THROW(spawner->SpawnFile(dir + "diffserv-good.yaml", root));
    EXPECT_NE(root->FindNetwork("diffserv"), nullptr);
}

// A profile builds its agreements with an ObjectFactory, which keys
// construction-time values by attribute checker: the three per-colour actions
// must keep their own values (they once shared one checker and all took the
// last one set, so a profile's voice agreement dropped its green packets).
TEST(DiffServExampleFactory, PerColourActionsKeptThroughObjectFactory)
{
    ObjectFactory f;
    f.SetTypeId("ns3::GenesisTrafficConditioningAgreement");
    f.Set("GreenAction", StringValue("Forward"));
    f.Set("YellowAction", StringValue("Remark"));
    f.Set("RedAction", StringValue("Drop"));
    Ptr<GenesisPolicer> p = f.Create<GenesisTrafficConditioningAgreement>()->CreatePolicer();
    EXPECT_EQ(p->GetAction(GenesisMeter::GREEN), GenesisPolicer::FORWARD);
    EXPECT_EQ(p->GetAction(GenesisMeter::YELLOW), GenesisPolicer::REMARK);
    EXPECT_EQ(p->GetAction(GenesisMeter::RED), GenesisPolicer::DROP);

    ObjectFactory g;
    g.SetTypeId("ns3::GenesisPolicer");
    g.Set("GreenAction", StringValue("Remark"));
    g.Set("YellowAction", StringValue("Drop"));
    g.Set("RedAction", StringValue("Forward"));
    Ptr<GenesisPolicer> q = g.Create<GenesisPolicer>();
    EXPECT_EQ(q->GetAction(GenesisMeter::GREEN), GenesisPolicer::REMARK);
    EXPECT_EQ(q->GetAction(GenesisMeter::YELLOW), GenesisPolicer::DROP);
    EXPECT_EQ(q->GetAction(GenesisMeter::RED), GenesisPolicer::FORWARD);
}
