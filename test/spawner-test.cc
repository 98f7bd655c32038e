/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Spawning from profiles: policy enforced at admission, the spawner building a
 * child exactly per its profile, module composition, inheritance and rollback.
 */
#include "genesis-test-common.h"

#include <fstream>
#include <string>

namespace ns3
{
namespace genesis_test
{
namespace
{

class PolicyTest : public GenesisSimTest
{
};

TEST_F(PolicyTest, MaxChildrenRefusesTheSpawnBeyondIt)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxChildren", UintegerValue(1));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "1Mbps", 0, 2);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "1Mbps", 0, 2, "172.17.0.0");
    a->Spawn();
    try
    {
        b->Spawn();
        FAIL() << "a second running child was admitted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("MaxChildren"), std::string::npos) << e.what();
    }
    EXPECT_EQ(b->GetState(), VirtualNetwork::DEFINED);
    EXPECT_TRUE(c.root->GetArbitrator(c.Fwd(0))->HasNetworkClass(a->GetId()));
    EXPECT_FALSE(c.root->GetArbitrator(c.Fwd(0))->HasNetworkClass(b->GetId()));
    a->Teardown();
    b->Spawn(); // the slot is free again
    EXPECT_EQ(b->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(PolicyTest, MaxDepthOfEveryAncestorCounts)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxDepth", UintegerValue(1));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->Spawn();
    Ptr<VirtualNetwork> g = TwoEndChild(c, a, "g", "controlled", "1Mbps", 0, 2, "172.18.0.0");
    try
    {
        g->Spawn();
        FAIL() << "a grandchild was admitted under MaxDepth 1 of the root";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("MaxDepth"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'root'"), std::string::npos) << e.what();
    }
    EXPECT_EQ(g->GetState(), VirtualNetwork::DEFINED);
    c.root->SetAttribute("MaxDepth", UintegerValue(2));
    g->Spawn();
    EXPECT_EQ(g->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(PolicyTest, MaxChildRateCapsEveryLink)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxChildRate", DataRateValue(DataRate("2Mbps")));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    DataRate before = c.root->GetArbitrator(c.Fwd(0))->GetResidualRate();
    EXPECT_THROW(a->Spawn(), GenesisError);
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate(), before);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "2Mbps", 0, 2, "172.17.0.0");
    b->Spawn();
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate(),
              before.GetBitRate() - 2000000);
}

TEST_F(PolicyTest, AllViolationsAreReportedTogether)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxChildren", UintegerValue(0));
    c.root->SetAttribute("MaxDepth", UintegerValue(0));
    c.root->SetAttribute("MaxChildRate", DataRateValue(DataRate("1Mbps")));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    EXPECT_EQ(a->CheckPolicy().size(), 3U);
}

} // namespace
} // namespace genesis_test
} // namespace ns3

namespace ns3
{
namespace genesis_test
{
namespace
{

/// Write \p text to a profile file in the temporary directory and return its path.
std::string
WriteProfile(const std::string& name, const std::string& text)
{
    std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream out(path);
    out << text;
    return path;
}

class SpawnerTest : public GenesisSimTest
{
};

const char* TWO_END = R"(schema_version: 1
name: video
parent: root
address_space: 172.20.0.0/16
capacity:
  class: controlled
  rate: 2Mbps
scheduler:
  type: ns3::FqCoDelQueueDisc
  attributes:
    Flows: 256
topology:
  routelets:
    - name: head
      node: 0
    - name: edge
      node: 3
  links:
    - name: trunk
      ends: [head, edge]
      rate: 3Mbps
)";

TEST_F(SpawnerTest, ProfileBecomesTheObjectsItDescribes)
{
    Chain c;
    BuildChain(c, 4);
    Ptr<GenesisSpawner> sp = CreateObject<GenesisSpawner>();
    DataRate before = c.root->GetArbitrator(c.Fwd(1))->GetResidualRate();
    Ptr<VirtualNetwork> net = sp->SpawnFile(WriteProfile("two-end.yaml", TWO_END), c.root);
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_EQ(net->GetName(), "video");
    EXPECT_EQ(net->GetAddressBase(), Ipv4Address("172.20.0.0"));
    ASSERT_EQ(net->GetRoutelets().size(), 2U);
    EXPECT_EQ(net->GetRoutelets()[0]->GetHost()->GetId(), 0U);
    EXPECT_EQ(net->GetRoutelets()[1]->GetHost()->GetId(), 3U);
    ASSERT_EQ(net->GetLinks().size(), 1U);
    Ptr<VirtualLink> l = net->GetLinks()[0];
    EXPECT_EQ(l->GetRate(), DataRate("3Mbps"));
    ASSERT_EQ(l->GetHostPath().size(), 4U);
    for (uint32_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(l->GetHostPath()[i]->GetId(), i);
    }
    EXPECT_EQ(sp->GetLink("video", "trunk"), l);
    // Reservation on every device of the path, both directions.
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(net->GetReservedRate(c.Fwd(i)), DataRate("3Mbps"));
        EXPECT_EQ(net->GetReservedRate(c.Back(i)), DataRate("3Mbps"));
    }
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(1))->GetResidualRate().GetBitRate(),
              before.GetBitRate() - 3000000);
    // The scheduler with its attribute is the network's own queue disc there.
    Ptr<QueueDisc> own =
        net->GetArbitrator(c.Fwd(1))->GetNetworkClass(net->GetId())->GetQueueDisc();
    EXPECT_EQ(own->GetInstanceTypeId().GetName(), "ns3::FqCoDelQueueDisc");
    UintegerValue flows;
    own->GetAttribute("Flows", flows);
    EXPECT_EQ(flows.Get(), 256U);
    // Traffic crosses it.
    Ptr<PacketSink> sink = UdpFlow(net->GetRoutelets()[0]->GetNode(),
                                   net->GetRoutelets()[1]->GetNode(),
                                   EndB(net),
                                   9,
                                   DataRate("1Mbps"),
                                   500,
                                   Seconds(0.1),
                                   Seconds(1.102)); // OnOff sends its first packet one interval in
    Simulator::Stop(Seconds(1.5));
    Simulator::Run();
    EXPECT_EQ(sink->GetTotalRx(), 250U * 500U); // 1 Mbit/s of 500-byte packets for 1 s
}

TEST_F(SpawnerTest, ForwarderModuleIsTheRouteletsRoutingProtocol)
{
    Chain c;
    BuildChain(c, 4);
    std::string text = std::string(TWO_END) + R"(modules:
  - category: forwarder
    type: ns3::Rip
    attributes:
      SplitHorizon: NoSplitHorizon
)";
    Ptr<GenesisSpawner> sp = CreateObject<GenesisSpawner>();
    Ptr<VirtualNetwork> net = sp->SpawnFile(WriteProfile("rip.yaml", text), c.root);
    for (const auto& r : net->GetRoutelets())
    {
        Ptr<Ipv4RoutingProtocol> p = r->GetNode()->GetObject<Ipv4>()->GetRoutingProtocol();
        ASSERT_TRUE(p);
        EXPECT_EQ(p->GetInstanceTypeId().GetName(), "ns3::Rip");
        EnumValue v;
        p->GetAttribute("SplitHorizon", v);
        EXPECT_EQ(v.Get(), Rip::NO_SPLIT_HORIZON);
    }
    Simulator::Stop(Seconds(0.5)); // RIP starts (and can be disposed of) once initialized
    Simulator::Run();
}

TEST_F(SpawnerTest, ProcessorQueueDiscShapesThePortItIsOn)
{
    Chain c;
    BuildChain(c, 4);
    std::string text = std::string(TWO_END) + R"(modules:
  - category: processor
    routelet: head
    link: trunk
    type: ns3::TbfQueueDisc
    attributes:
      Rate: 1Mbps
      Burst: 3000
)";
    Ptr<GenesisSpawner> sp = CreateObject<GenesisSpawner>();
    Ptr<VirtualNetwork> net = sp->SpawnFile(WriteProfile("tbf.yaml", text), c.root);
    Ptr<Node> head = net->GetRoutelets()[0]->GetNode();
    Ptr<QueueDisc> qd = head->GetObject<TrafficControlLayer>()->GetRootQueueDiscOnDevice(
        net->GetLinks()[0]->GetPortA());
    ASSERT_TRUE(qd);
    EXPECT_EQ(qd->GetInstanceTypeId().GetName(), "ns3::TbfQueueDisc");
    // 2 Mbit/s offered for 2 s through a 1 Mbit/s shaper on a 3 Mbit/s link.
    Ptr<PacketSink> sink = UdpFlow(head,
                                   net->GetRoutelets()[1]->GetNode(),
                                   EndB(net),
                                   9,
                                   DataRate("2Mbps"),
                                   500,
                                   Seconds(0.1),
                                   Seconds(2.1));
    Simulator::Stop(Seconds(2.5));
    Simulator::Run();
    // The shaper stays backlogged from 0.1 s to the end at 2.5 s (2 Mbit/s offered for 2 s
    // exceeds what it passes): IP packets of 528 bytes (500 + UDP 8 + IP 20) leave at
    // 1 Mbit/s plus the first bucket of 3000 bytes, so the payload received is
    // 500/528 of (1 Mbit/s * 2.4 s / 8 + 3000) bytes.
    double expected = 500.0 / 528.0 * (1e6 * 2.4 / 8 + 3000);
    EXPECT_NEAR(sink->GetTotalRx(), expected, 0.02 * expected);
}

TEST_F(SpawnerTest, InheritancePrecedenceOwnThenParentThenDefault)
{
    Chain c;
    BuildChain(c, 4);
    Ptr<GenesisSpawner> sp = CreateObject<GenesisSpawner>();
    std::string parentText = R"(schema_version: 1
name: p
address_space: 172.20.0.0/16
capacity: {class: controlled, rate: 4Mbps}
scheduler: {type: ns3::PfifoFastQueueDisc}
policy: {max_depth: 3, max_rate: 1Mbps}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 3}]
  links: [{name: ab, ends: [a, b]}]
)";
    Ptr<VirtualNetwork> p = sp->SpawnFile(WriteProfile("p.yaml", parentText), c.root);
    auto child = [&](const std::string& name,
                     const std::string& inherit,
                     const std::string& extra,
                     const std::string& space) {
        std::string t = "schema_version: 1\nname: " + name + "\naddress_space: " + space +
                        "\ncapacity: {class: controlled, rate: 1Mbps}\n" + inherit + extra +
                        "topology:\n  routelets: [{name: a, node: 0}, {name: b, node: 3}]\n"
                        "  links: [{name: ab, ends: [a, b]}]\n";
        return sp->SpawnFile(WriteProfile(name + ".yaml", t), p);
    };
    auto ownDisc = [&](Ptr<VirtualNetwork> n) {
        return n->GetArbitrator(c.Fwd(0))
            ->GetNetworkClass(n->GetId())
            ->GetQueueDisc()
            ->GetInstanceTypeId()
            .GetName();
    };
    Ptr<VirtualNetwork> inherits =
        child("c1", "inherit: [scheduler, policy]\n", "", "172.20.4.0/24");
    Ptr<VirtualNetwork> own = child("c2",
                                    "inherit: [scheduler, policy]\n",
                                    "scheduler: ns3::FqCoDelQueueDisc\npolicy: {max_depth: 7}\n",
                                    "172.20.5.0/24");
    Ptr<VirtualNetwork> none = child("c3", "", "", "172.20.6.0/24");
    EXPECT_EQ(ownDisc(inherits), "ns3::PfifoFastQueueDisc"); // parent's
    EXPECT_EQ(ownDisc(own), "ns3::FqCoDelQueueDisc");        // own profile wins
    EXPECT_EQ(ownDisc(none), "ns3::FifoQueueDisc");          // default
    EXPECT_EQ(inherits->GetMaxDepth(), 2U);                  // parent's 3, one level down
    EXPECT_EQ(inherits->GetMaxChildRate(), DataRate("1Mbps"));
    EXPECT_EQ(own->GetMaxDepth(), 7U);
    EXPECT_EQ(none->GetMaxDepth(), std::numeric_limits<uint32_t>::max());
}

/// Every root arbitrator's residual rate and class count.
std::vector<std::pair<uint64_t, std::size_t>>
Capacity(Chain& c)
{
    std::vector<std::pair<uint64_t, std::size_t>> v;
    QueueDiscContainer arbs = c.genesis.GetRootArbitrators();
    for (auto it = arbs.Begin(); it != arbs.End(); ++it)
    {
        Ptr<ArbitratorQueueDisc> a = DynamicCast<ArbitratorQueueDisc>(*it);
        v.emplace_back(a->GetResidualRate().GetBitRate(), a->GetNClasses());
    }
    return v;
}

TEST_F(SpawnerTest, LateFailureRollsEverythingBack)
{
    Chain c;
    BuildChain(c, 4);
    // Two queue discs on one port: found only when the ports exist (bind phase),
    // after the reservation and the construction of the routelets.
    std::string text = std::string(TWO_END) + R"(modules:
  - category: processor
    routelet: head
    type: ns3::TbfQueueDisc
  - category: processor
    link: trunk
    type: ns3::RedQueueDisc
)";
    Ptr<GenesisSpawner> sp = CreateObject<GenesisSpawner>();
    std::vector<std::string> phases;
    sp->TraceConnectWithoutContext("SpawnPhase",
                                   MakeCallback(+[](std::vector<std::string>* v,
                                                    const std::string&,
                                                    const std::string& p,
                                                    Time) {
                                       v->push_back(p);
                                   }).Bind(&phases));
    std::string failed;
    sp->TraceConnectWithoutContext(
        "SpawnFailed",
        MakeCallback(+[](std::string* out, const std::string&, const std::string& r) {
            *out = r;
        }).Bind(&failed));
    auto before = Capacity(c);
    std::size_t l4Entries = c.nodes.Get(1)->GetObject<GenesisL4Protocol>()->GetNEntries();
    EXPECT_THROW(sp->SpawnFile(WriteProfile("late.yaml", text), c.root), GenesisError);
    EXPECT_EQ(Capacity(c), before);
    EXPECT_EQ(c.nodes.Get(1)->GetObject<GenesisL4Protocol>()->GetNEntries(), l4Entries);
    EXPECT_FALSE(c.root->FindNetwork("video"));
    EXPECT_TRUE(c.root->GetChildren().empty());
    EXPECT_NE(failed.find("two queue-disc modules"), std::string::npos) << failed;
    std::vector<std::string> expected{"verify",
                                      "reserve",
                                      "construct",
                                      "construct",
                                      "bind",
                                      "abort"};
    EXPECT_EQ(phases, expected);
    // The same profile without the clash spawns afterwards: nothing was left behind.
    Ptr<VirtualNetwork> ok = sp->SpawnFile(WriteProfile("ok.yaml", TWO_END), c.root);
    EXPECT_EQ(ok->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(SpawnerTest, SimultaneousSpawnsNeverOverAllocate)
{
    Chain c;
    BuildChain(c, 4); // 10 Mbit/s links
    auto profile = [](const std::string& name, const std::string& space) {
        return "schema_version: 1\nname: " + name + "\naddress_space: " + space +
               "\ncapacity: {class: controlled, rate: 6Mbps}\n"
               "topology:\n  routelets: [{name: a, node: 0}, {name: b, node: 3}]\n"
               "  links: [{name: ab, ends: [a, b]}]\n";
    };
    std::string pa = WriteProfile("sa.yaml", profile("sa", "172.20.0.0/24"));
    std::string pb = WriteProfile("sb.yaml", profile("sb", "172.21.0.0/24"));
    EXPECT_EQ(c.genesis.Spawn(Seconds(1), pa), "sa");
    EXPECT_EQ(c.genesis.Spawn(Seconds(1), pb), "sb");
    std::vector<std::string> refused;
    c.genesis.GetSpawner()->TraceConnectWithoutContext(
        "SpawnFailed",
        MakeCallback(+[](std::vector<std::string>* v, const std::string& n, const std::string&) {
            v->push_back(n);
        }).Bind(&refused));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_TRUE(c.root->FindNetwork("sa"));
    EXPECT_EQ(c.root->FindNetwork("sa")->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_FALSE(c.root->FindNetwork("sb"));
    EXPECT_EQ(refused, std::vector<std::string>{"sb"});
    for (uint32_t i = 0; i < 3; ++i)
    {
        Ptr<ArbitratorQueueDisc> a = c.root->GetArbitrator(c.Fwd(i));
        EXPECT_LE(a->GetGuaranteedRate().GetBitRate(), a->GetLinkRate().GetBitRate());
        EXPECT_EQ(a->GetGuaranteedRate(), DataRate("6Mbps"));
    }
}

TEST_F(SpawnerTest, UnreadableFileThrowsAtOnceWithDiagnostics)
{
    Chain c;
    BuildChain(c, 2);
    std::string bad =
        WriteProfile("bad.yaml", "schema_version: 1\nname: x\ncapacity: {rate: fast}\n");
    try
    {
        c.genesis.Spawn(Seconds(1), bad);
        FAIL() << "a broken profile was accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("bad.yaml:3:"), std::string::npos) << e.what();
    }
    EXPECT_THROW(c.genesis.Spawn(Seconds(1), "/nonexistent/x.yaml"), GenesisError);
}

} // namespace
} // namespace genesis_test
} // namespace ns3
