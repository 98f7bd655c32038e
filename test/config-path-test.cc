/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Network-scoped Config paths: /Genesis/Networks/<network>/Routelets/<routelet>/...
 * with Config::Set, Config::Connect and Config::LookupMatches on real spawned
 * networks; wildcards; paths gone after teardown and after Simulator::Destroy.
 */
#include "genesis-test-common.h"

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisConfigPathTest : public GenesisSimTest
{
};

std::size_t
Matches(const std::string& path)
{
    return Config::LookupMatches(path).GetN();
}

void
CountContext(std::map<std::string, uint64_t>* counts, std::string context, Ptr<const Packet>)
{
    (*counts)[context]++;
}

} // namespace

TEST_F(GenesisConfigPathTest, SetAndConnectReachRouteletsOfASpawnedNetwork)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->Spawn();
    GenesisMetabus::Install(a);

    Config::Set("/Genesis/Networks/a/Routelets/r0/Ports/0/Mtu", UintegerValue(1000));
    EXPECT_EQ(a->GetRoutelets()[0]->GetPorts()[0]->GetMtu(), 1000U);
    EXPECT_NE(a->GetRoutelets()[1]->GetPorts()[0]->GetMtu(), 1000U);
    // The network itself, and a routelet's node through its aggregate.
    Config::Set("/Genesis/Networks/a/Network/Share", DoubleValue(3.5));
    DoubleValue share;
    a->GetAttribute("Share", share);
    EXPECT_DOUBLE_EQ(share.Get(), 3.5);
    Config::MatchContainer devs =
        Config::LookupMatches("/Genesis/Networks/a/Routelets/r2/$ns3::Node/DeviceList/*");
    ASSERT_EQ(devs.GetN(), 2U); // loopback and the port
    EXPECT_EQ(devs.Get(1), a->GetRoutelets()[1]->GetPorts()[0]);
    EXPECT_EQ(devs.GetMatchedPath(1), "/Genesis/Networks/a/Routelets/r2/$ns3::Node/DeviceList/1/");
    // The same devices through the routelet's "Node" attribute, and its
    // physical host through "Host".
    Config::MatchContainer viaNode =
        Config::LookupMatches("/Genesis/Networks/a/Routelets/r2/Node/DeviceList/*");
    ASSERT_EQ(viaNode.GetN(), 2U);
    EXPECT_EQ(viaNode.Get(1), a->GetRoutelets()[1]->GetPorts()[0]);
    Config::MatchContainer host = Config::LookupMatches("/Genesis/Networks/a/Routelets/r2/Host");
    ASSERT_EQ(host.GetN(), 1U);
    EXPECT_EQ(host.Get(0), a->GetRoutelets()[1]->GetHost());
    EXPECT_NE(host.Get(0), Ptr<Object>(a->GetRoutelets()[1]->GetNode()));

    std::map<std::string, uint64_t> rx;
    Config::Connect("/Genesis/Networks/a/Routelets/*/Ports/*/MacRx",
                    MakeBoundCallback(&CountContext, &rx));
    Ptr<PacketSink> sink = UdpFlow(a->GetRoutelets()[0]->GetNode(),
                                   a->GetRoutelets()[1]->GetNode(),
                                   EndB(a),
                                   9,
                                   DataRate("100kbps"),
                                   500,
                                   Seconds(1),
                                   Seconds(3));
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    ASSERT_EQ(rx.size(), 1U);
    EXPECT_EQ(rx.begin()->first, "/Genesis/Networks/a/Routelets/r2/Ports/0/MacRx");
    EXPECT_EQ(rx.begin()->second * 500, sink->GetTotalRx());
    EXPECT_EQ(rx.begin()->second, 49U); // one per 40 ms from 1.04 s to 2.96 s
}

TEST_F(GenesisConfigPathTest, WildcardsEnumerateNetworksRouteletsAndLinks)
{
    Chain c;
    BuildChain(c, 4);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 3);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "2Mbps", 1, 2, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    EXPECT_EQ(Matches("/Genesis/Networks/*"), 0U); // nothing before a metabus exists
    GenesisMetabus::Install(c.root);
    GenesisMetabus::Install(a);
    GenesisMetabus::Install(b);

    EXPECT_EQ(Matches("/Genesis/Networks/*"), 3U);
    EXPECT_EQ(Config::LookupMatches("/Genesis/Networks/b").Get(0), GenesisMetabus::Get(b));
    EXPECT_EQ(Matches("/Genesis/Networks/*/Routelets/*"), 4U + 2U + 2U);
    EXPECT_EQ(Matches("/Genesis/Networks/root/Routelets/*"), 4U);
    EXPECT_EQ(Matches("/Genesis/Networks/*/Routelets/r1"), 2U); // root's and b's
    EXPECT_EQ(Matches("/Genesis/Networks/a/Routelets/r1"), 0U);
    EXPECT_EQ(Matches("/Genesis/Networks/*/Links/*"), 2U);
    EXPECT_EQ(Config::LookupMatches("/Genesis/Networks/a/Links/r0-r3").Get(0),
              a->GetLinks().front());
    EXPECT_EQ(Matches("/Genesis/Networks/*/Routelets/*/Ports/*"), 4U);
    EXPECT_EQ(Matches("/Genesis/Networks/nobody/Routelets/*"), 0U);
    // The root's routelets are the physical nodes: their devices are there.
    EXPECT_EQ(Config::LookupMatches("/Genesis/Networks/root/Routelets/r2/$ns3::Node").Get(0),
              c.nodes.Get(2));

    // Config::Set through a wildcard changes exactly the matched ports.
    Config::Set("/Genesis/Networks/b/Routelets/*/Ports/*/Mtu", UintegerValue(900));
    EXPECT_EQ(b->GetRoutelets()[0]->GetPorts()[0]->GetMtu(), 900U);
    EXPECT_EQ(b->GetRoutelets()[1]->GetPorts()[0]->GetMtu(), 900U);
    EXPECT_NE(a->GetRoutelets()[0]->GetPorts()[0]->GetMtu(), 900U);
}

TEST_F(GenesisConfigPathTest, PathsStopMatchingAfterTeardownAndDestroy)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    Ptr<VirtualNetwork> g = TwoEndChild(c, a, "g", "controlled", "1Mbps", 0, 2, "172.18.0.0");
    c.genesis.Spawn(Seconds(1), a);
    c.genesis.Spawn(Seconds(1.5), g);
    c.genesis.Teardown(Seconds(3), a);
    // The bus is created when each network spawns, as the spawner does.
    auto install = [](Ptr<VirtualNetwork> n) { GenesisMetabus::Install(n); };
    a->TraceConnectWithoutContext("Spawned", MakeCallback(+install));
    g->TraceConnectWithoutContext("Spawned", MakeCallback(+install));

    std::map<std::string, uint64_t> tx;
    std::size_t during = 0;
    std::size_t duringG = 0;
    Simulator::Schedule(Seconds(2), [&] {
        during = Matches("/Genesis/Networks/a/Routelets/*");
        duringG = Matches("/Genesis/Networks/g/Routelets/*/Ports/*");
        Config::Connect("/Genesis/Networks/*/Routelets/*/Ports/*/MacTx",
                        MakeBoundCallback(&CountContext, &tx));
    });
    std::size_t after = 1;
    std::size_t afterAll = 1;
    std::size_t afterG = 1;
    Simulator::Schedule(Seconds(3.5), [&] {
        after = Matches("/Genesis/Networks/a/Routelets/*");
        afterG = Matches("/Genesis/Networks/g");
        afterAll = Matches("/Genesis/Networks/*");
        // Setting a vanished path is a no-op, not a crash.
        Config::Set("/Genesis/Networks/a/Routelets/*/Ports/*/Mtu", UintegerValue(700));
    });
    Simulator::Stop(Seconds(4));
    Simulator::Run();

    EXPECT_EQ(during, 2U);
    EXPECT_EQ(duringG, 2U);
    EXPECT_EQ(after, 0U);
    EXPECT_EQ(afterG, 0U); // the descendants go with it
    EXPECT_EQ(afterAll, 0U);
    EXPECT_EQ(GenesisMetabus::Get(a)->IsActive(), false);

    // The name is free again for a new network of this simulation.
    Ptr<VirtualNetwork> a2 = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a2->Spawn();
    GenesisMetabus::Install(a2);
    EXPECT_EQ(Config::LookupMatches("/Genesis/Networks/a/Routelets/r0").Get(0),
              a2->GetRoutelets()[0]);

    Simulator::Destroy();
    EXPECT_EQ(Matches("/Genesis/Networks/*"), 0U);
    EXPECT_EQ(Matches("/Genesis/Networks/a/Routelets/*"), 0U);
    EXPECT_FALSE(GenesisMetabus::Get(a2)->IsActive());
}

TEST_F(GenesisConfigPathTest, NamesThatCannotBePathSegmentsAreRefused)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> bad = TwoEndChild(c, c.root, "my net", "controlled", "1Mbps", 0, 2);
    bad->Spawn();
    try
    {
        GenesisMetabus::Install(bad);
        FAIL() << "installed a metabus for 'my net'";
    }
    catch (const GenesisError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "virtual network 'my net': its name cannot be a Config path segment (it "
                  "contains ' ', which Config paths cannot carry); rename the network, e.g. with "
                  "letters, digits, '-' and '_'");
    }
    EXPECT_EQ(GenesisMetabus::Get(bad), nullptr); // nothing left behind
    EXPECT_EQ(Matches("/Genesis/Networks/*"), 0U);
}
