/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Architecting on the fly (paper §V-C-2): a running child's scheduler and
 * port modules are replaced under load with the queued packets kept or
 * dropped (counted exactly), from the C++ API and from a profile timeline,
 * and every change lands in the run database's changes table.
 */
#include "genesis-test-common.h"

#include "ns3/genesis-error.h"
#include "ns3/genesis-spawner.h"
#include "ns3/profile-database.h"
#include "ns3/profile-reader.h"
#include "ns3/sqlite-database.h"

#include <fstream>

namespace ns3
{
namespace genesis_test
{
namespace
{

class ArchitectingTest : public GenesisSimTest
{
};

/// Drops of one network reported by an arbitrator, by reason.
struct ClassDrops
{
    std::map<std::string, uint32_t> byReason;

    void Drop(uint32_t, Ptr<const QueueDiscItem>, const char* reason)
    {
        ++byReason[reason];
    }
};

/**
 * A constant-class child (2 Mbit/s) from n0 to n2 offered 4 Mbit/s, so a
 * queue builds in its scheduler (a FIFO of 400 packets) on n0's device; at
 * 2 s the scheduler is replaced by FQ-CoDel holding up to 1000 packets.
 */
struct Overloaded
{
    Chain c;
    Ptr<VirtualNetwork> child;
    Ptr<ArbitratorQueueDisc> arb; //!< the child's arbitrator on n0's device
    Ptr<PacketSink> sink;
    uint32_t queuedBefore{0};
    uint32_t queuedAfter{0};
    uint32_t dropped{0};
    uint64_t rxBefore{0};
    std::string typeAfter;
    ClassDrops drops;

    Overloaded()
    {
        BuildChain(c, 3, "10Mbps", "1ms");
        child = TwoEndChild(c, c.root, "child", "constant", "2Mbps", 0, 2);
        ObjectFactory fifo;
        fifo.SetTypeId("ns3::FifoQueueDisc");
        fifo.Set("MaxSize", StringValue("400p"));
        child->SetSchedulerFactory(fifo);
        child->Spawn();
        arb = child->GetArbitrator(c.Fwd(0));
        arb->TraceConnectWithoutContext("ClassDrop", MakeCallback(&ClassDrops::Drop, &drops));
        sink = UdpFlow(child->GetRoutelets()[0]->GetNode(),
                       child->GetRoutelets()[1]->GetNode(),
                       EndB(child),
                       9,
                       DataRate("4Mbps"),
                       500,
                       Seconds(1),
                       Seconds(4));
    }

    void Run(VirtualNetwork::QueuedPackets mode)
    {
        Simulator::Schedule(Seconds(2), [this, mode]() {
            queuedBefore = arb->GetNetworkClass(child->GetId())->GetQueueDisc()->GetNPackets();
            ObjectFactory fq;
            fq.SetTypeId("ns3::FqCoDelQueueDisc");
            fq.Set("MaxSize", StringValue("1000p"));
            dropped = child->ReplaceScheduler(fq, mode);
            Ptr<QueueDisc> now = arb->GetNetworkClass(child->GetId())->GetQueueDisc();
            queuedAfter = now->GetNPackets();
            typeAfter = now->GetInstanceTypeId().GetName();
        });
        Simulator::Schedule(Seconds(3), [this]() { rxBefore = sink->GetTotalRx(); });
        Simulator::Stop(Seconds(4));
        Simulator::Run();
    }
};

TEST_F(ArchitectingTest, ReplacedSchedulerKeepsTheQueuedPacketsAndTheAllocation)
{
    Overloaded o;
    o.Run(VirtualNetwork::KEEP_QUEUED);
    EXPECT_EQ(o.typeAfter, "ns3::FqCoDelQueueDisc");
    ASSERT_GT(o.queuedBefore, 50u) << "the test needs a queue at the replacement";
    EXPECT_EQ(o.queuedAfter, o.queuedBefore) << "every queued packet moved to the new scheduler";
    EXPECT_EQ(o.dropped, 0u);
    EXPECT_EQ(o.drops.byReason.count(ArbitratorQueueDisc::SCHEDULER_REPLACED), 0u);
    // The allocation is unchanged: 3 s to 4 s after the swap, the constant
    // class still sends at its 2 Mbit/s on the wire (payload share 500/548 of
    // each 20 + 8 + 12 + 8-byte-encapsulated IPv4 packet).
    const double rate = static_cast<double>(o.sink->GetTotalRx() - o.rxBefore) * 8.0;
    EXPECT_GT(rate, 1.6e6);
    EXPECT_LT(rate, 2.0e6);
    EXPECT_EQ(o.child->GetSchedulerFactory().GetTypeId().GetName(), "ns3::FqCoDelQueueDisc");
}

TEST_F(ArchitectingTest, ReplacedSchedulerDropsTheQueuedPacketsExactly)
{
    Overloaded o;
    uint64_t rootDropsBefore = 0;
    Ptr<QueueDisc> root =
        o.c.nodes.Get(0)->GetObject<TrafficControlLayer>()->GetRootQueueDiscOnDevice(o.c.Fwd(0));
    Simulator::Schedule(Seconds(2) - NanoSeconds(1),
                        [&]() { rootDropsBefore = root->GetStats().nTotalDroppedPackets; });
    o.Run(VirtualNetwork::DROP_QUEUED);
    ASSERT_GT(o.queuedBefore, 50u);
    EXPECT_EQ(o.dropped, o.queuedBefore);
    EXPECT_EQ(o.queuedAfter, 0u);
    EXPECT_EQ(o.drops.byReason[ArbitratorQueueDisc::SCHEDULER_REPLACED], o.queuedBefore);
    EXPECT_GE(root->GetStats().nTotalDroppedPackets - rootDropsBefore, o.queuedBefore)
        << "the drops reach the device's root queue disc";
}

TEST_F(ArchitectingTest, BadReplacementChangesNothing)
{
    Overloaded o;
    ObjectFactory notADisc;
    notADisc.SetTypeId("ns3::Ipv4StaticRouting");
    EXPECT_THROW(o.child->ReplaceScheduler(notADisc, VirtualNetwork::KEEP_QUEUED), GenesisError);
    ObjectFactory arbitrator;
    arbitrator.SetTypeId("ns3::ArbitratorQueueDisc");
    EXPECT_THROW(o.child->ReplaceScheduler(arbitrator, VirtualNetwork::KEEP_QUEUED), GenesisError);
    ObjectFactory fifo;
    fifo.SetTypeId("ns3::FifoQueueDisc");
    EXPECT_THROW(o.c.root->ReplaceScheduler(fifo, VirtualNetwork::KEEP_QUEUED), GenesisError)
        << "the root network has no parent links to replace a scheduler on";
    Ptr<VirtualNetwork> defined =
        TwoEndChild(o.c, o.c.root, "defined", "controlled", "1Mbps", 0, 1, "172.30.0.0");
    EXPECT_THROW(defined->ReplaceScheduler(fifo, VirtualNetwork::KEEP_QUEUED), GenesisError)
        << "a network that does not run has no scheduler to replace";
    EXPECT_EQ(
        o.arb->GetNetworkClass(o.child->GetId())->GetQueueDisc()->GetInstanceTypeId().GetName(),
        "ns3::FifoQueueDisc");
}

TEST_F(ArchitectingTest, PortQueueDiscIsReplacedUnderLoad)
{
    Overloaded o;
    Ptr<RouteletPort> port = o.child->GetLinks().front()->GetPortA();
    Ptr<TrafficControlLayer> tc =
        o.child->GetRoutelets()[0]->GetNode()->GetObject<TrafficControlLayer>();
    std::string before;
    std::string after;
    uint64_t rx2 = 0;
    uint64_t rx4 = 0;
    // Early, while the child's queue on n0 is still short (it drains within
    // 0.5 s once the shaper feeds it less than its allocation).
    Simulator::Schedule(Seconds(1.2), [&]() {
        Ptr<QueueDisc> old = tc->GetRootQueueDiscOnDevice(port);
        before = old ? old->GetInstanceTypeId().GetName() : "none";
        ObjectFactory tbf;
        tbf.SetTypeId("ns3::TbfQueueDisc");
        tbf.Set("Rate", DataRateValue(DataRate("1Mbps")));
        tbf.Set("Burst", UintegerValue(3000));
        o.child->ReplacePortQueueDisc(o.child->GetRoutelets()[0],
                                      nullptr,
                                      tbf,
                                      VirtualNetwork::KEEP_QUEUED);
        after = tc->GetRootQueueDiscOnDevice(port)->GetInstanceTypeId().GetName();
    });
    Simulator::Schedule(Seconds(2), [&]() { rx2 = o.sink->GetTotalRx(); });
    Simulator::Schedule(Seconds(4), [&]() { rx4 = o.sink->GetTotalRx(); });
    Simulator::Stop(Seconds(4.5));
    Simulator::Run();
    EXPECT_EQ(before, "none") << "the routelet's port had no queue disc of its own";
    EXPECT_EQ(after, "ns3::TbfQueueDisc");
    // The new shaper (1 Mbit/s of IPv4 bytes, 528 per packet) now limits the
    // child below its 2 Mbit/s allocation: 500 / 528 of 1 Mbit/s of payload.
    const double rate = static_cast<double>(rx4 - rx2) * 8.0 / 2.0;
    EXPECT_NEAR(rate, 1e6 * 500.0 / 528.0, 0.03e6);
}

/// A child on the chain n0 - n1 - n2 whose timeline changes it while it runs.
const char* TIMELINE = R"(schema_version: 1
name: arch
address_space: 172.22.0.0/16
capacity: {class: constant, rate: 2Mbps}
scheduler: {type: ns3::FifoQueueDisc, attributes: {MaxSize: 400p}}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 2}]
  links: [{name: ab, ends: [a, b]}]
timeline:
  - at: 2s
    replace: {category: scheduler, type: ns3::FqCoDelQueueDisc, attributes: {MaxSize: 1000p}, queued: drop}
  - at: 2.5s
    replace: {category: processor, routelet: a, link: ab, type: ns3::TbfQueueDisc, attributes: {Rate: 1Mbps, Burst: 3000}}
  - at: 3s
    set: {path: "/Genesis/Networks/arch/Network/Share", value: "2"}
)";

TEST_F(ArchitectingTest, TimelineChangesAreRecordedInTheDatabase)
{
    Chain c;
    BuildChain(c, 3, "10Mbps", "1ms");
    std::string dbPath = ::testing::TempDir() + "/architecting.sqlite";
    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    db->SetAttribute("Path", StringValue(dbPath));
    db->Open();
    db->Attach(c.root);
    Ptr<GenesisSpawner> spawner = c.genesis.GetSpawner();
    spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
    spawner->SetDatabase(db);
    std::string profile = ::testing::TempDir() + "/architecting.yaml";
    std::ofstream(profile) << TIMELINE;
    std::vector<std::string> events;
    spawner->TraceConnectWithoutContext("TimelineEvent",
                                        MakeCallback(+[](std::vector<std::string>* out,
                                                         const std::string&,
                                                         const std::string& action,
                                                         const std::string& description,
                                                         bool ok) {
                                            out->push_back(action + (ok ? " ok: " : " FAILED: ") +
                                                           description);
                                        }).Bind(&events));
    c.genesis.Spawn(Seconds(1), profile);
    // Traffic so that the scheduler has packets queued at 2 s.
    Simulator::Schedule(Seconds(1.1), [&]() {
        Ptr<VirtualNetwork> arch = c.root->FindNetwork("arch");
        UdpFlow(arch->GetRoutelets()[0]->GetNode(),
                arch->GetRoutelets()[1]->GetNode(),
                EndB(arch),
                9,
                DataRate("4Mbps"),
                500,
                Seconds(1.2),
                Seconds(3.5));
    });
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    for (const auto& e : events)
    {
        EXPECT_NE(e.find(" ok: "), std::string::npos) << e;
    }
    ASSERT_EQ(events.size(), 3u);
    EXPECT_NE(events[0].find("queued packets dropped"), std::string::npos) << events[0];
    db->Close();

    SqliteDatabase check(dbPath);
    SqliteStatement q = check.Prepare(
        "SELECT c.kind, c.target, c.old_value, c.new_value FROM changes c JOIN networks n "
        "USING (network_id) WHERE n.name = 'arch' ORDER BY c.change_id");
    std::vector<std::vector<std::string>> rows;
    while (q.Step())
    {
        rows.push_back({q.GetText(0), q.GetText(1), q.GetText(2), q.GetText(3)});
    }
    ASSERT_EQ(rows.size(), 4u) << "spawn, two replacements and one set";
    EXPECT_EQ(rows[0][0], "spawn");
    EXPECT_EQ(rows[0][3], "constant 2Mbps");
    EXPECT_EQ(rows[1][0], "replace-scheduler");
    EXPECT_NE(rows[1][2].find("ns3::FifoQueueDisc"), std::string::npos) << rows[1][2];
    EXPECT_NE(rows[1][3].find("ns3::FqCoDelQueueDisc"), std::string::npos) << rows[1][3];
    EXPECT_NE(rows[1][3].find("dropped"), std::string::npos);
    EXPECT_EQ(rows[2][0], "replace-port-module");
    EXPECT_NE(rows[2][3].find("ns3::TbfQueueDisc"), std::string::npos) << rows[2][3];
    EXPECT_EQ(rows[3][0], "set");
    EXPECT_NE(rows[3][1].find("/Share"), std::string::npos) << rows[3][1];
    EXPECT_EQ(rows[3][3], "2");
}

TEST_F(ArchitectingTest, BadReplaceEventsAreReportedWithTheirPlace)
{
    const char* bad = R"(schema_version: 1
name: arch
address_space: 172.22.0.0/16
capacity: {class: controlled, rate: 2Mbps}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 2}]
  links: [{name: ab, ends: [a, b]}]
timeline:
  - at: 2s
    replace: {category: forwarder, type: ns3::Ipv4StaticRouting}
  - at: 3s
    replace: {category: scheduler, link: ab, type: ns3::FifoQueueDisc}
  - at: 4s
    replace: {category: processor, type: ns3::FifoQueueDisc, queued: later}
  - at: 5s
    replace: {category: processor, routelet: c, type: ns3::FifoQueueDisc}
  - at: 6s
    replace: {category: processor, type: ns3::FifoQueu}
)";
    std::string path = ::testing::TempDir() + "/bad-replace.yaml";
    std::ofstream(path) << bad;
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(path);
    std::string all = r.Format();
    EXPECT_EQ(r.GetNErrors(), 6u) << all;
    EXPECT_NE(all.find(":10:25: error: replace category 'forwarder' cannot be replaced"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find(":10:42: error: replace: 'ns3::Ipv4StaticRouting' is not a ns3::QueueDisc"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find(":12:36: error: a replaced scheduler is the network's scheduler"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find(":14:70: error: replace queued must be keep or drop"), std::string::npos)
        << all;
    EXPECT_NE(all.find(":15:5: error: replace names unknown routelet 'c'"), std::string::npos)
        << all;
    EXPECT_NE(all.find(":18:42: error: replace: unknown TypeId 'ns3::FifoQueu'"), std::string::npos)
        << all;
}

} // namespace
} // namespace genesis_test
} // namespace ns3
