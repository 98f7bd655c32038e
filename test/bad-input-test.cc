/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Bad input to the transport environment's C++ API: every error names the
 * object and the value, and leaves everything as it was.
 */
#include "genesis-test-common.h"

#include "ns3/simple-net-device-helper.h"

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisBadInput : public GenesisSimTest
{
};

/// Run \p f, expect a GenesisError whose message contains every one of \p parts.
template <typename F>
void
ExpectError(F f, std::initializer_list<std::string> parts)
{
    try
    {
        f();
        ADD_FAILURE() << "no GenesisError thrown";
    }
    catch (const GenesisError& e)
    {
        std::string what = e.what();
        for (const auto& p : parts)
        {
            EXPECT_NE(what.find(p), std::string::npos) << "'" << p << "' missing in: " << what;
        }
    }
}

} // namespace

TEST_F(GenesisBadInput, ZeroRateNamesNetworkAndValue)
{
    Chain c;
    BuildChain(c, 2);
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "video", "controlled", DataRate(0)); },
                {"video", "0bps", "positive"});
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "voice", "constant", "0Mbps"); },
                {"voice", "0bps"});
    EXPECT_FALSE(c.root->FindNetwork("video"));
    EXPECT_TRUE(c.root->GetChildren().empty());
}

TEST_F(GenesisBadInput, NegativeOrMalformedRateNamesTheText)
{
    Chain c;
    BuildChain(c, 2);
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "video", "controlled", "-5Mbps"); },
                {"video", "-5Mbps", "negative"});
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "video", "controlled", "fast"); },
                {"video", "'fast'"});
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "video", "controlled", "5 parsecs"); },
                {"video", "5 parsecs"});
    EXPECT_TRUE(c.root->GetChildren().empty());
}

TEST_F(GenesisBadInput, UnknownCapacityClassListsTheValidOnes)
{
    Chain c;
    BuildChain(c, 2);
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "video", "gold", "1Mbps"); },
                {"video", "'gold'", "constant, controlled or best-effort"});
    EXPECT_TRUE(c.root->GetChildren().empty());
}

TEST_F(GenesisBadInput, GuaranteedRatesAboveLinkCapacityAreRefusedAtomically)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "6Mbps", 0, 2);
    a->Spawn();
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "constant", "5Mbps", 0, 2, "172.17.0.0");
    uint32_t nodes = NodeList::GetNNodes();
    uint64_t residual = c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate();
    std::size_t entries = c.nodes.Get(1)->GetObject<GenesisL4Protocol>()->GetNEntries();
    ExpectError([&] { b->Spawn(); }, {"'b'", "5Mbps", "4Mbps", "node 0 device"});
    EXPECT_EQ(b->GetState(), VirtualNetwork::DEFINED);
    EXPECT_EQ(NodeList::GetNNodes(), nodes);
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate(), residual);
    EXPECT_EQ(c.nodes.Get(1)->GetObject<GenesisL4Protocol>()->GetNEntries(), entries);
    for (auto d : {c.Fwd(0), c.Back(0), c.Fwd(1), c.Back(1)})
    {
        EXPECT_FALSE(c.root->GetArbitrator(d)->HasNetworkClass(b->GetId()));
    }
    // A rate that fits is admitted afterwards.
    b->SetLinkRate(b->GetLinks().front(), DataRate("4Mbps"));
    b->Spawn();
    EXPECT_EQ(b->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(GenesisBadInput, GrandchildAboveItsParentsSliceIsRefused)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 1);
    a->Spawn();
    Ptr<VirtualNetwork> g = TwoEndChild(c, a, "g", "controlled", "3Mbps", 0, 1, "172.17.0.0");
    std::size_t classes = a->GetArbitrator(c.Fwd(0))->GetNClasses();
    ExpectError([&] { g->Spawn(); }, {"'g'", "3Mbps", "parent network 'a'", "2Mbps"});
    EXPECT_EQ(a->GetArbitrator(c.Fwd(0))->GetNClasses(), classes);
    EXPECT_FALSE(a->GetArbitrator(c.Fwd(0))->HasNetworkClass(g->GetId()));
}

TEST_F(GenesisBadInput, LinkToANodeThatDoesNotExist)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = c.genesis.CreateNetwork(c.root, "a", "controlled", "1Mbps");
    ExpectError([&] { a->AddRoutelet(99); }, {"'a'", "no node 99", "ids 0.."});
    EXPECT_TRUE(a->GetRoutelets().empty());
}

TEST_F(GenesisBadInput, RouteletOnANodeWithoutParentRouteletOrTwice)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "1Mbps", 0, 1);
    a->Spawn();
    Ptr<VirtualNetwork> g = c.genesis.CreateNetwork(a, "g", "controlled", "1Mbps");
    ExpectError([&] { g->AddRoutelet(c.nodes.Get(2)); }, {"'g'", "node 2", "parent network 'a'"});
    g->AddRoutelet(c.nodes.Get(0));
    ExpectError([&] { g->AddRoutelet(c.nodes.Get(0)); }, {"'g'", "already", "node 0"});
    EXPECT_EQ(g->GetRoutelets().size(), 1u);
}

TEST_F(GenesisBadInput, LinkBetweenRouteletsOfDifferentNetworksOrToItself)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = c.genesis.CreateNetwork(c.root, "a", "controlled", "1Mbps");
    Ptr<VirtualNetwork> b = c.genesis.CreateNetwork(c.root, "b", "controlled", "1Mbps");
    Ptr<Routelet> ra = a->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> rb = b->AddRoutelet(c.nodes.Get(1));
    ExpectError([&] { a->AddLink(ra, rb); }, {"'a'", "network 'b'"});
    ExpectError([&] { a->AddLink(ra, ra); }, {"'a'", "two different"});
    EXPECT_TRUE(a->GetLinks().empty());
}

TEST_F(GenesisBadInput, NoPathInTheParentNamesBothEnds)
{
    Chain c;
    BuildChain(c, 3);
    // Parent 'a' has routelets on 0, 1 and 2 but links only 0 - 1: no way to 2.
    Ptr<VirtualNetwork> a = c.genesis.CreateNetwork(c.root, "a", "controlled", "2Mbps");
    Ptr<Routelet> a0 = a->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> a1 = a->AddRoutelet(c.nodes.Get(1));
    a->AddRoutelet(c.nodes.Get(2));
    a->AddLink(a0, a1);
    a->Spawn();
    Ptr<VirtualNetwork> g = c.genesis.CreateNetwork(a, "g", "controlled", "1Mbps");
    g->SetAttribute("Ipv4Base", Ipv4AddressValue("172.17.0.0"));
    Ptr<Routelet> g0 = g->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> g2 = g->AddRoutelet(c.nodes.Get(2));
    g->AddLink(g0, g2);
    ExpectError([&] { g->Spawn(); }, {"'g'", "no path", "node 0", "node 2"});
    EXPECT_EQ(g->GetState(), VirtualNetwork::DEFINED);
}

TEST_F(GenesisBadInput, GuaranteedChildOfBestEffortParentIsRefused)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> be = TwoEndChild(c, c.root, "be", "best-effort", "1Mbps", 0, 1);
    be->Spawn();
    Ptr<VirtualNetwork> g = TwoEndChild(c, be, "g", "controlled", "1Mbps", 0, 1, "172.17.0.0");
    ExpectError([&] { g->Spawn(); }, {"'g'", "'be'", "best-effort"});
}

TEST_F(GenesisBadInput, DuplicateOrEmptyNamesAndUnknownScheduler)
{
    Chain c;
    BuildChain(c, 2);
    c.genesis.CreateNetwork(c.root, "a", "controlled", "1Mbps");
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "a", "controlled", "1Mbps"); },
                {"'a'", "already used"});
    ExpectError([&] { c.genesis.CreateNetwork(c.root, "", "controlled", "1Mbps"); },
                {"non-empty name"});
    Ptr<VirtualNetwork> s = TwoEndChild(c, c.root, "s", "controlled", "1Mbps", 0, 1);
    s->SetAttribute("Scheduler", StringValue("ns3::NoSuchQueueDisc"));
    ExpectError([&] { s->Spawn(); }, {"'s'", "ns3::NoSuchQueueDisc"});
    EXPECT_EQ(s->GetState(), VirtualNetwork::DEFINED);
}

TEST_F(GenesisBadInput, ReprovisioningAboveResidualChangesNothing)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 1);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "5Mbps", 0, 1, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    ExpectError([&] { a->SetLinkRate(a->GetLinks().front(), DataRate("6Mbps")); },
                {"'a'", "6Mbps", "3Mbps more", "2Mbps"});
    EXPECT_EQ(a->GetLinks().front()->GetRate(), DataRate("3Mbps"));
    EXPECT_EQ(a->GetReservedRate(c.Fwd(0)), DataRate("3Mbps"));
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate(), DataRate("2Mbps"));
    // Within the residual it works, and the class follows.
    a->SetLinkRate(a->GetLinks().front(), DataRate("5Mbps"));
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetNetworkClass(a->GetId())->GetRate(),
              DataRate("5Mbps"));
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate(), DataRate("0bps"));
}

TEST_F(GenesisBadInput, InstallOnNodeWithoutStackOrUnknownDeviceRate)
{
    {
        // A device whose rate Genesis cannot learn (SimpleNetDevice, rate 0).
        NodeContainer m;
        m.Create(2);
        InternetStackHelper stack;
        stack.Install(m);
        SimpleNetDeviceHelper simple;
        NetDeviceContainer d = simple.Install(m);
        Ipv4AddressHelper("10.9.0.0", "255.255.255.0").Assign(d);
        GenesisHelper g;
        ExpectError([&] { g.Install(m); },
                    {"node", "device", "ns3::SimpleNetDevice", "SetDefaultLinkRate"});
        EXPECT_FALSE(g.GetRootNetwork());
        g.SetDefaultLinkRate(DataRate("5Mbps"));
        Ptr<VirtualNetwork> root = g.Install(m);
        EXPECT_EQ(root->GetArbitrator(d.Get(0))->GetLinkRate(), DataRate("5Mbps"));
    }
    NodeContainer n;
    n.Create(1);
    GenesisHelper g;
    ExpectError([&] { g.Install(n); }, {"node", "no IPv4 stack", "InternetStackHelper"});
    EXPECT_FALSE(g.GetRootNetwork());
    ExpectError([&] { g.SetRootNetworkQueueDisc("ns3::Nope"); }, {"ns3::Nope"});
    ExpectError([&] { g.SetDeviceQueueSize("lots"); }, {"'lots'"});
}

TEST_F(GenesisBadInput, RefusedScheduledSpawnIsTracedAndTheSimulationGoesOn)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> big = TwoEndChild(c, c.root, "big", "constant", "20Mbps", 0, 1);
    std::vector<std::string> failures;
    big->TraceConnectWithoutContext(
        "SpawnFailed",
        MakeBoundCallback(
            +[](std::vector<std::string>* f, Ptr<VirtualNetwork>, const std::string& why) {
                f->push_back(why);
            },
            &failures));
    c.genesis.Spawn(Seconds(1), big);
    Ptr<PacketSink> sink = UdpFlow(c.nodes.Get(0),
                                   c.nodes.Get(1),
                                   c.Addr(1),
                                   9,
                                   DataRate("1Mbps"),
                                   500,
                                   Seconds(0.5),
                                   Seconds(2));
    Simulator::Stop(Seconds(2.5));
    Simulator::Run();
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("20Mbps"), std::string::npos) << failures[0];
    EXPECT_EQ(big->GetState(), VirtualNetwork::DEFINED);
    EXPECT_GT(sink->GetTotalRx(), 1000u * 100);
}

TEST_F(GenesisBadInput, NestingDeeperThanTheShimCarriesIsRefused)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> n = c.root;
    for (uint32_t d = 1; d <= GenesisShimHeader::MAX_DEPTH - 1U; ++d)
    {
        n = c.genesis.CreateNetwork(n, "level" + std::to_string(d), "best-effort", "1Mbps");
    }
    EXPECT_EQ(n->GetDepth(), GenesisShimHeader::MAX_DEPTH - 1U);
    ExpectError([&] { c.genesis.CreateNetwork(n, "too-deep", "best-effort", "1Mbps"); },
                {"'too-deep'", "depth 15", "maximum of 14"});
}

TEST_F(GenesisBadInput, AddressSpaceTooSmallForTheLinksNamesBoth)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = c.genesis.CreateNetwork(c.root, "a", "controlled", "1Mbps");
    a->SetAttribute("Ipv4Mask", Ipv4MaskValue("/30")); // exactly one /30: one link fits
    Ptr<Routelet> r0 = a->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> r1 = a->AddRoutelet(c.nodes.Get(1));
    Ptr<Routelet> r2 = a->AddRoutelet(c.nodes.Get(2));
    a->AddLink(r0, r1);
    a->AddLink(r1, r2);
    ExpectError([&] { a->Spawn(); }, {"'a'", "2 links", "/30", "holds 1"});
    Ptr<VirtualNetwork> b = c.genesis.CreateNetwork(c.root, "b", "controlled", "1Mbps");
    b->SetAttribute("Ipv4Base", Ipv4AddressValue("172.17.0.0"));
    b->SetAttribute("Ipv4Mask", Ipv4MaskValue("/30"));
    Ptr<Routelet> b0 = b->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> b1 = b->AddRoutelet(c.nodes.Get(1));
    b->AddLink(b0, b1);
    b->Spawn();
    EXPECT_EQ(b->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(GenesisBadInput, SchedulingInThePastIsRefused)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "1Mbps", 0, 1);
    Simulator::Schedule(Seconds(1), [&]() {
        ExpectError([&] { c.genesis.Spawn(Seconds(0.5), a); }, {"in the past"});
        ExpectError([&] { c.genesis.Teardown(Seconds(0.5), a); }, {"in the past"});
    });
    Simulator::Run();
    EXPECT_EQ(a->GetState(), VirtualNetwork::DEFINED);
}
