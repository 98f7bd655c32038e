/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Inheritance and autonomy of resource management (paper §V-C-3): a child
 * gets a maestro like its parent's unless its profile replaces it; a child's
 * auction among its own children runs on the child's slice only.
 */
#include "genesis-test-common.h"

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{
class ManagementInheritance : public GenesisSimTest
{
};

const char* CHILD_BIDS = R"(schema_version: 1
name: bidder
address_space: 172.30.0.0/16
capacity: {class: controlled, rate: 2Mbps}
topology:
  routelets:
    - {name: r0, node: 0}
    - {name: r1, node: 1}
  links:
    - {name: l, ends: [r0, r1]}
bid: {price: 1.5, quantity: 4Mbps}
timeline:
  - {at: 0.75s, bid: {price: 2.5, quantity: 5Mbps}}
)";

const char* CHILD_OWN = R"(schema_version: 1
name: own
address_space: 172.31.0.0/16
capacity: {class: controlled, rate: 2Mbps}
topology:
  routelets:
    - {name: r0, node: 0}
    - {name: r1, node: 1}
  links:
    - {name: l, ends: [r0, r1]}
management:
  maestro:
    type: ns3::GenesisMaestro
    attributes: {ProvisioningInterval: 2s}
  auctioneer: ns3::GenesisPspAuctioneer
)";
} // namespace

// A maestro installed in C++ hands its type, attributes, auctioneer and
// monitor factory down to a child (Inherit), registered on the child's metabus.
TEST_F(ManagementInheritance, ChildInheritsTheParentsMaestroAuctioneerAndMonitors)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> child = TwoEndChild(c, c.root, "child", "controlled", "4Mbps", 0, 1);
    child->Spawn();
    GenesisMetabus::Install(child);
    Ptr<GenesisMaestro> root = GenesisMaestro::Install(c.root);
    root->SetAttribute("ProvisioningInterval", TimeValue(MilliSeconds(250)));
    root->SetAttribute("OwnRate", DataRateValue(DataRate("1Mbps")));
    root->GetAuctioneer()->SetAttribute("ReservePrice", DoubleValue(0.25));
    ObjectFactory mf("ns3::GenesisMonitor");
    mf.Set("PolicingAction", StringValue("mark-dscp"));
    mf.Set("PolicingDscp", UintegerValue(10));
    root->SetMonitorFactory(mf);

    Ptr<GenesisMaestro> m = root->Inherit(child);
    EXPECT_EQ(GenesisMaestro::Get(child), m);
    EXPECT_EQ(m->GetNetwork(), child);
    EXPECT_EQ(GenesisMetabus::Get(child)->Lookup<GenesisMaestro>("maestro"), m);
    TimeValue t;
    m->GetAttribute("ProvisioningInterval", t);
    EXPECT_EQ(t.Get(), MilliSeconds(250));
    DataRateValue own;
    m->GetAttribute("OwnRate", own);
    EXPECT_EQ(own.Get(), DataRate("1Mbps"));
    ASSERT_TRUE(DynamicCast<GenesisPspAuctioneer>(m->GetAuctioneer()));
    EXPECT_NE(m->GetAuctioneer(), root->GetAuctioneer()); // its own instance
    EXPECT_DOUBLE_EQ(DynamicCast<GenesisPspAuctioneer>(m->GetAuctioneer())->GetReservePrice(),
                     0.25);
    Ptr<GenesisMonitor> mon = m->GetMonitorFactory().Create<GenesisMonitor>();
    EXPECT_EQ(mon->GetPolicingAction(), GenesisMonitor::MARK_DSCP);
    // the child cannot bid in its own maestro, nor a stranger in the root's
    EXPECT_THROW(m->SetBid(child, 1.0, DataRate("1Mbps")), GenesisError);
    EXPECT_THROW(GenesisMaestro::Install(child), GenesisError);
}

// Through profiles: a profile without a management section inherits the
// parent's maestro and bids from its bid: section, then from its timeline; a
// profile with one gets its own; a bid to a parent without a maestro is refused
// before anything is reserved, naming the place in the file.
TEST_F(ManagementInheritance, ProfilesInheritOrReplaceManagementAndBid)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<GenesisSpawner> spawner = c.genesis.GetSpawner();
    spawner->SetAttribute("SpawnMode", StringValue("Instant"));

    // no maestro in the root yet: the bid is refused
    GenesisProfile p = GenesisProfileReader::ReadStringOrThrow(CHILD_BIDS, "bids.yaml");
    try
    {
        spawner->SpawnProfile(p, c.root, CHILD_BIDS);
        ADD_FAILURE() << "a bid without a maestro was accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("bids.yaml:11:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("no maestro"), std::string::npos) << e.what();
    }
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetGuaranteedRate().GetBitRate(), 0u);

    Ptr<GenesisMaestro> root = GenesisMaestro::Install(c.root);
    root->SetAttribute("ProvisioningInterval", TimeValue(MilliSeconds(500)));
    Ptr<VirtualNetwork> bidder;
    Ptr<VirtualNetwork> own;
    Simulator::Schedule(MilliSeconds(100), [&]() {
        bidder =
            spawner->SpawnProfile(GenesisProfileReader::ReadStringOrThrow(CHILD_BIDS, "bids.yaml"),
                                  c.root,
                                  CHILD_BIDS);
        own = spawner->SpawnProfile(GenesisProfileReader::ReadStringOrThrow(CHILD_OWN, "own.yaml"),
                                    c.root,
                                    CHILD_OWN);
    });
    double priceAt600 = 0;
    Simulator::Schedule(MilliSeconds(600),
                        [&]() { priceAt600 = root->GetBid(bidder->GetId()).price; });
    Simulator::Stop(Seconds(1.01));
    Simulator::Run();

    Ptr<GenesisMaestro> inherited = GenesisMaestro::Get(bidder);
    ASSERT_TRUE(inherited);
    TimeValue t;
    inherited->GetAttribute("ProvisioningInterval", t);
    EXPECT_EQ(t.Get(), MilliSeconds(500));
    Ptr<GenesisMaestro> replaced = GenesisMaestro::Get(own);
    ASSERT_TRUE(replaced);
    replaced->GetAttribute("ProvisioningInterval", t);
    EXPECT_EQ(t.Get(), Seconds(2));
    EXPECT_DOUBLE_EQ(priceAt600, 1.5);
    EXPECT_DOUBLE_EQ(root->GetBid(bidder->GetId()).price, 2.5);
    EXPECT_EQ(root->GetBid(bidder->GetId()).quantityBps, 5000000u);
    EXPECT_FALSE(root->HasBid(own->GetId()));
    // the round at 1 s gave the bidder its 5 Mbps: 10 Mbps, nobody else bids
    EXPECT_EQ(bidder->GetReservedRate(c.Fwd(0)).GetBitRate(), 5000000u);
    EXPECT_EQ(own->GetReservedRate(c.Fwd(0)).GetBitRate(), 2000000u);
}

TEST_F(ManagementInheritance, ReaderReportsBadBidAndManagementWithLocations)
{
    auto read = [](const std::string& extra) {
        std::string text = std::string(R"(schema_version: 1
name: x
capacity: {class: controlled, rate: 2Mbps}
)") + extra;
        return GenesisProfileReader::ReadString(text, "x.yaml").Format();
    };
    std::string m = read("bid: {price: -1, quantity: 2Mbps}\n");
    EXPECT_NE(m.find("x.yaml:4:14: error: bid price '-1' is not a number >= 0"), std::string::npos)
        << m;
    m = read("bid: {price: 1, quantity: fast}\n");
    EXPECT_NE(m.find("x.yaml:4:27: error: bid quantity 'fast' is not a rate"), std::string::npos)
        << m;
    m = read("bid: {price: 1}\n");
    EXPECT_NE(m.find("x.yaml:4:6: error: bid has no 'quantity'"), std::string::npos) << m;
    m = read("management:\n  maestro: ns3::GenesisMaestroo\n");
    EXPECT_NE(m.find("x.yaml:5:12: error: management maestro: unknown TypeId "
                     "'ns3::GenesisMaestroo'"),
              std::string::npos)
        << m;
    m = read("management:\n  auctioneer: ns3::FifoQueueDisc\n");
    EXPECT_NE(m.find("is not a ns3::GenesisAuctioneer"), std::string::npos) << m;
    m = read("management:\n  monitor: {type: ns3::GenesisMonitor, attributes: {PolicingAction: "
             "burn}}\n");
    EXPECT_NE(m.find("x.yaml:5:"), std::string::npos) << m;
    EXPECT_NE(m.find("PolicingAction"), std::string::npos) << m;
    m = read("inherit: [management]\nmanagement: {maestro: ns3::GenesisMaestro}\n");
    EXPECT_NE(m.find("both inherits 'management' and gives its own"), std::string::npos) << m;
    m = read("timeline:\n  - {at: 1s, bid: {price: 2, quantity: 1Mbps}}\n");
    EXPECT_EQ(m, "");
    std::string k = GenesisProfileReader::ReadString(R"(schema_version: 1
name: k
capacity: {class: constant, rate: 2Mbps}
bid: {price: 1, quantity: 2Mbps}
)",
                                                     "k.yaml")
                        .Format();
    EXPECT_NE(k.find("k.yaml:4:6: error: a constant network cannot bid"), std::string::npos) << k;
}

// Autonomy: a child's maestro auctions the child's own slice among the
// grandchildren, whatever the parent does to that slice: at every round of
// the child, the grandchildren's guaranteed rates add up to the child's slice
// minus its own reserve, never more; the root never sees their bids.
TEST_F(ManagementInheritance, GrandchildAuctionRunsOnTheChildsShareOnly)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> child = TwoEndChild(c, c.root, "child", "controlled", "6Mbps", 0, 1);
    Ptr<VirtualNetwork> rival =
        TwoEndChild(c, c.root, "rival", "controlled", "1Mbps", 0, 1, "172.17.0.0");
    Ptr<VirtualNetwork> g1 = TwoEndChild(c, child, "g1", "controlled", "1Mbps", 0, 1, "172.18.0.0");
    Ptr<VirtualNetwork> g2 = TwoEndChild(c, child, "g2", "controlled", "1Mbps", 0, 1, "172.19.0.0");
    child->Spawn();
    rival->Spawn();
    g1->Spawn();
    g2->Spawn();
    Ptr<GenesisMaestro> root = GenesisMaestro::Install(c.root);
    root->SetAttribute("OwnRate", DataRateValue(DataRate("1Mbps")));
    root->SetAttribute("ProvisioningInterval", TimeValue(MilliSeconds(500)));
    Ptr<GenesisMaestro> cm = root->Inherit(child);
    root->SetBid(child, 1.0, DataRate("6Mbps"));
    cm->SetBid(g1, 2.0, DataRate("4Mbps"));
    cm->SetBid(g2, 1.0, DataRate("4Mbps"));
    EXPECT_THROW(root->SetBid(g1, 9.0, DataRate("9Mbps")), GenesisError);
    // the rival outbids the child from 1 s on
    Simulator::Schedule(Seconds(1.1), [&]() { root->SetBid(rival, 5.0, DataRate("8Mbps")); });
    Ptr<NetDevice> dev = c.Fwd(0);

    struct Check
    {
        Ptr<VirtualNetwork> child, g1, g2;
        Ptr<NetDevice> dev;
        int rounds{0};
        int bad{0};
        std::vector<uint64_t> childRates;
    } chk{child, g1, g2, dev};

    cm->TraceConnectWithoutContext(
        "Round",
        MakeBoundCallback(
            +[](Check* k, uint64_t) {
                uint64_t cr = k->child->GetReservedRate(k->dev).GetBitRate();
                uint64_t a = k->g1->GetReservedRate(k->dev).GetBitRate();
                uint64_t b = k->g2->GetReservedRate(k->dev).GetBitRate();
                ++k->rounds;
                k->childRates.push_back(cr);
                // PSP on Q = slice - 1 Mbps own - 2 floors: all of it is sold
                if (a + b != cr - 1000000 || a < b)
                {
                    ++k->bad;
                }
                if (k->child->GetArbitrator(k->dev)->GetGuaranteedRate().GetBitRate() > cr)
                {
                    ++k->bad;
                }
            },
            &chk));
    Simulator::Stop(Seconds(3.01));
    Simulator::Run();
    EXPECT_EQ(chk.rounds, 7);
    EXPECT_EQ(chk.bad, 0);
    EXPECT_FALSE(root->HasBid(g1->GetId()));
    // before the rival: the child holds its 6 Mbps (1 kbps of it is the floor of
    // 2 Mbps of grandchildren ... see doc); after: it shrinks
    ASSERT_GE(chk.childRates.size(), 4u);
    EXPECT_EQ(chk.childRates[0], 6000000u);
    EXPECT_LT(chk.childRates.back(), chk.childRates[0]);
    EXPECT_EQ(g1->GetReservedRate(dev).GetBitRate() + g2->GetReservedRate(dev).GetBitRate(),
              child->GetReservedRate(dev).GetBitRate() - 1000000);
}
