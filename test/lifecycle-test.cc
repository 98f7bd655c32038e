/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Transport environment life cycle: equivalence with plain ns-3, teardown,
 * determinism, nesting through networks, and bad input.
 */
#include "genesis-test-common.h"

#include "ns3/flow-monitor-module.h"

#include <sstream>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisLifeCycle : public GenesisSimTest
{
};

/// FlowMonitor results of a TCP + UDP workload on a 4-node chain, as text.
std::string
RunWorkload(bool genesis)
{
    Chain c;
    BuildChain(c, 4, "5Mbps", "3ms", genesis);
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(c.Addr(3), 5000));
    bulk.SetAttribute("MaxBytes", UintegerValue(2000000));
    ApplicationContainer src = bulk.Install(c.nodes.Get(0));
    src.Start(Seconds(0.1));
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 5000));
    sink.Install(c.nodes.Get(3)).Start(Seconds(0));
    UdpFlow(c.nodes.Get(1),
            c.nodes.Get(3),
            c.Addr(3),
            9,
            DataRate("3Mbps"),
            700,
            Seconds(0.5),
            Seconds(3));
    FlowMonitorHelper fmh;
    Ptr<FlowMonitor> fm = fmh.InstallAll();
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    fm->CheckForLostPackets();
    std::ostringstream os;
    for (const auto& kv : fm->GetFlowStats())
    {
        const auto& s = kv.second;
        os << kv.first << " tx " << s.txPackets << "/" << s.txBytes << " rx " << s.rxPackets << "/"
           << s.rxBytes << " lost " << s.lostPackets << " delay " << s.delaySum.GetNanoSeconds()
           << " jitter " << s.jitterSum.GetNanoSeconds() << " last "
           << s.timeLastRxPacket.GetNanoSeconds() << "\n";
    }
    Simulator::Destroy();
    return os.str();
}

} // namespace

// Genesis installed with no children schedules exactly like plain ns-3 with
// the same root queue disc (FqCoDel) and device queue: FlowMonitor results
// agree to the nanosecond.
TEST_F(GenesisLifeCycle, NoChildrenGivesSameFlowMonitorResultsAsPlainNs3)
{
    std::string plain = RunWorkload(false);
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    std::string withGenesis = RunWorkload(true);
    ASSERT_FALSE(plain.empty());
    EXPECT_NE(plain.find("lost 0"), std::string::npos);
    EXPECT_EQ(plain, withGenesis);
}

namespace
{
struct DropLog
{
    std::map<std::string, uint32_t> reasons;
};

void
LogDrop(DropLog* log, uint32_t, Ptr<const QueueDiscItem>, const char* reason)
{
    log->reasons[reason]++;
}
} // namespace

// Teardown while packets are queued: they are dropped with a traced reason,
// every reservation returns to exactly its value before the spawn, every
// label-switching entry is removed, and the network's objects are released
// (only the test's own references remain). The simulation goes on and a new
// network can take the capacity.
TEST_F(GenesisLifeCycle, TeardownReleasesEverythingAndRestoresCapacityExactly)
{
    Chain c;
    BuildChain(c, 3);
    std::vector<Ptr<NetDevice>> devs = {c.Fwd(0), c.Back(0), c.Fwd(1), c.Back(1)};
    std::vector<uint64_t> before;
    for (auto d : devs)
    {
        before.push_back(c.root->GetArbitrator(d)->GetResidualRate().GetBitRate());
    }
    uint32_t nodesBefore = NodeList::GetNNodes();

    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "child", "controlled", "3Mbps", 0, 2);
    Ptr<VirtualNetwork> grand = c.genesis.CreateNetwork(net, "grand", "controlled", "1Mbps");
    grand->SetAttribute("Ipv4Base", Ipv4AddressValue("172.20.0.0"));
    Ptr<Routelet> g0 = grand->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> g2 = grand->AddRoutelet(c.nodes.Get(2));
    grand->AddLink(g0, g2);
    net->Spawn();
    grand->Spawn();
    for (std::size_t i = 0; i < devs.size(); ++i)
    {
        EXPECT_EQ(c.root->GetArbitrator(devs[i])->GetResidualRate().GetBitRate(),
                  before[i] - 3000000);
    }
    EXPECT_EQ(c.nodes.Get(1)->GetObject<GenesisL4Protocol>()->GetNEntries(), 4u);

    // Overload the child so that packets are queued when it goes.
    UdpFlow(net->GetRoutelets()[0]->GetNode(),
            net->GetRoutelets()[1]->GetNode(),
            EndB(net),
            9,
            DataRate("20Mbps"),
            1000,
            Seconds(0.1),
            Seconds(10));
    UdpFlow(grand->GetRoutelets()[0]->GetNode(),
            grand->GetRoutelets()[1]->GetNode(),
            EndB(grand),
            9,
            DataRate("20Mbps"),
            1000,
            Seconds(0.1),
            Seconds(10));
    UdpFlow(c.nodes.Get(0),
            c.nodes.Get(2),
            c.Addr(2),
            10,
            DataRate("20Mbps"),
            1000,
            Seconds(0.1),
            Seconds(10));
    DropLog drops;
    c.root->GetArbitrator(c.Fwd(0))->TraceConnectWithoutContext(
        "ClassDrop",
        MakeBoundCallback(&LogDrop, &drops));

    // Hold references to check that teardown releases them.
    std::vector<Ptr<Object>> held;
    std::vector<Ptr<Node>> routeletNodes;
    for (auto n : {net, grand})
    {
        for (auto r : n->GetRoutelets())
        {
            routeletNodes.push_back(r->GetNode());
            for (auto p : r->GetPorts())
            {
                held.push_back(p);
            }
        }
        for (auto d : devs)
        {
            held.push_back(n->GetArbitrator(d));
        }
    }
    uint64_t rootRxAfter = 0;
    Ptr<PacketSink> rootSink = DynamicCast<PacketSink>(c.nodes.Get(2)->GetApplication(0));
    Simulator::Schedule(Seconds(2), &VirtualNetwork::Teardown, net);
    Simulator::Schedule(Seconds(2.5), [&]() { rootRxAfter = rootSink->GetTotalRx(); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    EXPECT_EQ(net->GetState(), VirtualNetwork::TORN_DOWN);
    EXPECT_EQ(grand->GetState(), VirtualNetwork::TORN_DOWN);
    EXPECT_GT(drops.reasons[ArbitratorQueueDisc::NETWORK_TORN_DOWN], 0u);
    for (std::size_t i = 0; i < devs.size(); ++i)
    {
        EXPECT_EQ(c.root->GetArbitrator(devs[i])->GetResidualRate().GetBitRate(), before[i]);
        EXPECT_FALSE(c.root->GetArbitrator(devs[i])->HasNetworkClass(net->GetId()));
    }
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(c.nodes.Get(i)->GetObject<GenesisL4Protocol>()->GetNEntries(), 0u);
    }
    for (const auto& o : held)
    {
        ASSERT_TRUE(o);
        EXPECT_EQ(o->GetReferenceCount(), 1u) << o->GetInstanceTypeId().GetName();
    }
    for (const auto& n : routeletNodes)
    {
        EXPECT_EQ(n->GetNDevices(), 0u) << "routelet node " << n->GetId() << " still has devices";
        EXPECT_EQ(n->GetNApplications(), 0u);
    }
    EXPECT_TRUE(c.root->GetChildren().empty());
    EXPECT_FALSE(c.root->FindNetwork("child"));
    EXPECT_GT(rootSink->GetTotalRx(), rootRxAfter) << "root traffic must go on";
    // ns-3 cannot remove a Node from NodeList: the disposed routelet nodes stay there.
    EXPECT_EQ(NodeList::GetNNodes(), nodesBefore + 4);
}

// Twenty spawn/teardown cycles leave the reservations and tables exactly as
// they were, and the network ids and link ids never collide.
TEST_F(GenesisLifeCycle, RepeatedSpawnAndTeardownLeaveNoResidue)
{
    Chain c;
    BuildChain(c, 3);
    uint64_t before = c.root->GetArbitrator(c.Fwd(1))->GetResidualRate().GetBitRate();
    std::size_t classesBefore = c.root->GetArbitrator(c.Fwd(1))->GetNClasses();
    std::set<uint16_t> ids;
    for (int k = 0; k < 20; ++k)
    {
        Ptr<VirtualNetwork> n =
            TwoEndChild(c, c.root, "n" + std::to_string(k), "constant", "9Mbps", 0, 2);
        n->Spawn();
        EXPECT_EQ(c.root->GetArbitrator(c.Fwd(1))->GetResidualRate().GetBitRate(),
                  before - 9000000);
        ids.insert(n->GetId());
        n->Teardown();
        EXPECT_EQ(c.root->GetArbitrator(c.Fwd(1))->GetResidualRate().GetBitRate(), before);
        EXPECT_EQ(c.nodes.Get(1)->GetObject<GenesisL4Protocol>()->GetNEntries(), 0u);
        EXPECT_EQ(c.root->GetArbitrator(c.Fwd(1))->GetNClasses(), classesBefore);
    }
    EXPECT_EQ(ids.size(), 20u);
}

namespace
{
/// Digest of every dequeue at n0's root arbitrator: time, class, size, uid.
uint64_t
RunDigest(uint32_t run)
{
    RngSeedManager::SetSeed(7);
    RngSeedManager::SetRun(run);
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "best-effort", "1Mbps", 0, 2, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    // Random on/off sources: the digest depends on the random streams.
    // Streams are fixed explicitly: ns-3 numbers automatic streams from a
    // process-wide counter, so only fixed streams repeat inside one process.
    int64_t stream = 100;
    auto src = [&](Ptr<Node> s, Ptr<Node> d, Ipv4Address addr, uint16_t port) {
        OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(addr, port));
        onoff.SetAttribute("DataRate", StringValue("6Mbps"));
        onoff.SetAttribute("PacketSize", UintegerValue(800));
        onoff.SetAttribute("OnTime", StringValue("ns3::ExponentialRandomVariable[Mean=0.05]"));
        onoff.SetAttribute("OffTime", StringValue("ns3::ExponentialRandomVariable[Mean=0.05]"));
        ApplicationContainer app = onoff.Install(s);
        stream += onoff.AssignStreams(NodeContainer(s), stream);
        app.Start(Seconds(0.1));
        PacketSinkHelper sink("ns3::UdpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), port));
        sink.Install(d);
    };
    src(a->GetRoutelets()[0]->GetNode(), a->GetRoutelets()[1]->GetNode(), EndB(a), 9);
    src(b->GetRoutelets()[0]->GetNode(), b->GetRoutelets()[1]->GetNode(), EndB(b), 9);
    src(c.nodes.Get(0), c.nodes.Get(2), c.Addr(2), 10);
    uint64_t digest = 1469598103934665603ULL; // FNV-1a
    auto mix = [&digest](uint64_t v) {
        for (int i = 0; i < 8; ++i)
        {
            digest = (digest ^ ((v >> (8 * i)) & 0xff)) * 1099511628211ULL;
        }
    };
    std::function<void(uint32_t, Ptr<const QueueDiscItem>)> f =
        [&mix](uint32_t id, Ptr<const QueueDiscItem> item) {
            mix(Simulator::Now().GetNanoSeconds());
            mix(id);
            mix(item->GetSize());
        };
    Callback<void, uint32_t, Ptr<const QueueDiscItem>> cb(f);
    c.root->GetArbitrator(c.Fwd(0))->TraceConnectWithoutContext("ClassDequeue", cb);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Simulator::Destroy();
    return digest;
}
} // namespace

TEST_F(GenesisLifeCycle, SameSeedAndRunGiveIdenticalTraceDigest)
{
    uint64_t first = RunDigest(1);
    uint64_t again = RunDigest(1);
    uint64_t other = RunDigest(2);
    EXPECT_EQ(first, again);
    EXPECT_NE(first, other) << "the digest must depend on the random run";
}

// Shares multiply through three nesting levels of networks: 10 Mbps link,
// child 60% (6 Mbps), grandchild 50% of that (3 Mbps), great-grandchild 50%
// of that (1.5 Mbps); every level's own class is backlogged too.
TEST_F(GenesisLifeCycle, SharesMultiplyThroughThreeNestingLevelsOfNetworks)
{
    Chain c;
    BuildChain(c, 2);
    std::vector<Ptr<VirtualNetwork>> level;
    level.push_back(TwoEndChild(c, c.root, "l1", "controlled", "6Mbps", 0, 1, "172.21.0.0"));
    level.push_back(TwoEndChild(c, level[0], "l2", "controlled", "3Mbps", 0, 1, "172.22.0.0"));
    level.push_back(TwoEndChild(c, level[1], "l3", "controlled", "1.5Mbps", 0, 1, "172.23.0.0"));
    for (auto n : level)
    {
        n->Spawn();
        UdpFlow(n->GetRoutelets()[0]->GetNode(),
                n->GetRoutelets()[1]->GetNode(),
                EndB(n),
                9,
                DataRate("12Mbps"),
                1000,
                Seconds(0.2),
                Seconds(4));
    }
    UdpFlow(c.nodes.Get(0),
            c.nodes.Get(1),
            c.Addr(1),
            10,
            DataRate("12Mbps"),
            1000,
            Seconds(0.2),
            Seconds(4));
    // Bytes of each network's own traffic, counted where it leaves its own
    // arbitrator towards the device (own class id = the network's id).
    std::map<uint32_t, uint64_t> bytes;
    auto count = [&bytes](uint32_t id, Ptr<const QueueDiscItem> item) {
        if (Simulator::Now() >= Seconds(1))
        {
            bytes[id] += item->GetSize();
        }
    };
    std::function<void(uint32_t, Ptr<const QueueDiscItem>)> f = count;
    Callback<void, uint32_t, Ptr<const QueueDiscItem>> cb(f);
    c.root->GetArbitrator(c.Fwd(0))->TraceConnectWithoutContext("ClassDequeue", cb);
    std::map<uint32_t, uint64_t> inner[3];
    for (int k = 0; k < 3; ++k)
    {
        std::function<void(uint32_t, Ptr<const QueueDiscItem>)> g =
            [&inner, k](uint32_t id, Ptr<const QueueDiscItem> item) {
                if (Simulator::Now() >= Seconds(1))
                {
                    inner[k][id] += item->GetSize();
                }
            };
        level[k]->GetArbitrator(c.Fwd(0))->TraceConnectWithoutContext(
            "ClassDequeue",
            Callback<void, uint32_t, Ptr<const QueueDiscItem>>(g));
    }
    Simulator::Stop(Seconds(4));
    Simulator::Run();

    const double T = 3.0;
    // Effective capacity in IP bytes: the link also carries a 2-byte PPP header.
    auto rate = [T](uint64_t b) { return b * 8.0 / T; };
    const double C = 10e6;
    // WF2Q+ per-level bound on service lag: a few packets over the window.
    const double tol = 4 * 1064 * 8 / T + 0.003 * C;
    EXPECT_NEAR(rate(bytes[0]), 0.4 * C, tol);                     // root own
    EXPECT_NEAR(rate(bytes[level[0]->GetId()]), 0.6 * C, tol);     // l1 subtree
    EXPECT_NEAR(rate(inner[0][level[0]->GetId()]), 0.3 * C, tol);  // l1 own
    EXPECT_NEAR(rate(inner[0][level[1]->GetId()]), 0.3 * C, tol);  // l2 subtree
    EXPECT_NEAR(rate(inner[1][level[1]->GetId()]), 0.15 * C, tol); // l2 own
    EXPECT_NEAR(rate(inner[1][level[2]->GetId()]), 0.15 * C, tol); // l3 subtree
    EXPECT_NEAR(rate(inner[2][level[2]->GetId()]), 0.15 * C, tol); // l3 own (all of it)
}

// Tearing a network down while its applications are mid-flight stops them:
// a UdpEcho client with sends still scheduled does not run on a disposed node.
TEST_F(GenesisLifeCycle, TeardownStopsTheNetworksApplications)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "apps", "controlled", "2Mbps", 0, 2);
    net->Spawn();
    UdpEchoServerHelper server(9);
    server.Install(net->GetRoutelets()[1]->GetNode()).Start(Seconds(0));
    UdpEchoClientHelper client(EndB(net), 9);
    client.SetAttribute("MaxPackets", UintegerValue(1000));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
    ApplicationContainer ca = client.Install(net->GetRoutelets()[0]->GetNode());
    ca.Start(Seconds(0.1));
    uint32_t replies = 0;
    ca.Get(0)->TraceConnectWithoutContext("Rx",
                                          MakeBoundCallback(
                                              +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
                                              &replies));
    c.genesis.Teardown(Seconds(0.5), net);
    // Late packets (in flight at teardown) and the client's next sends must be harmless.
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(net->GetState(), VirtualNetwork::TORN_DOWN);
    EXPECT_GT(replies, 30u);
    EXPECT_LT(replies, 41u); // 40 sends before teardown at most
}

// Networks, their arbitrators and the arbitrators' classes are reachable
// through Config paths by network id, for Connect and for Set.
TEST_F(GenesisLifeCycle, ConfigPathsReachNetworksArbitratorsAndClasses)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "4Mbps", 0, 2);
    Ptr<VirtualNetwork> g = TwoEndChild(c, a, "g", "best-effort", "1Mbps", 0, 2, "172.20.0.0");
    const std::string pa = "/NetworkList/" + std::to_string(a->GetId());
    const std::string pg = "/NetworkList/" + std::to_string(g->GetId());

    uint32_t spawned = 0;
    Config::ConnectWithoutContext(pg + "/Spawned",
                                  MakeBoundCallback(
                                      +[](uint32_t* n, Ptr<VirtualNetwork>) { ++*n; },
                                      &spawned));
    a->Spawn();
    g->Spawn();
    EXPECT_EQ(spawned, 1u);
    // a holds a slice on 4 devices: n0->n1, n1->n0, n1->n2, n2->n1.
    EXPECT_EQ(Config::LookupMatches(pa + "/Arbitrators/*").GetN(), 4u);
    EXPECT_EQ(Config::LookupMatches(pa + "/Children/*").GetN(), 1u);
    EXPECT_EQ(Config::LookupMatches(pa + "/Routelets/*/Ports/*").GetN(), 2u);
    EXPECT_EQ(Config::LookupMatches("/NetworkList/*").GetN(), 2u);

    uint64_t bytes = 0;
    Config::ConnectWithoutContext(
        pa + "/Arbitrators/*/ClassDequeue",
        MakeBoundCallback(
            +[](uint64_t* b, uint32_t, Ptr<const QueueDiscItem> item) { *b += item->GetSize(); },
            &bytes));
    UdpFlow(g->GetRoutelets()[0]->GetNode(),
            g->GetRoutelets()[1]->GetNode(),
            EndB(g),
            9,
            DataRate("1Mbps"),
            500,
            Seconds(0.1),
            Seconds(1));
    // Re-weight g's class inside a's arbitrators through the path.
    Ptr<ArbitratorQueueDisc> arb = a->GetArbitrator(c.Fwd(0));
    Simulator::Schedule(Seconds(0.5), [&]() {
        for (std::size_t j = 0; j < arb->GetNClasses(); ++j)
        {
            if (arb->GetClass(j)->GetNetworkId() == g->GetId())
            {
                Config::Set(pa + "/Arbitrators/*/Classes/" + std::to_string(j) + "/Share",
                            DoubleValue(3.0));
            }
        }
    });
    Simulator::Stop(Seconds(1.5));
    Simulator::Run();
    // g's packets crossed a's arbitrators on the two forward devices (2 hops).
    EXPECT_GT(bytes, 2u * 100 * 500);
    EXPECT_DOUBLE_EQ(arb->GetNetworkClass(g->GetId())->GetShare(), 3.0);
}
