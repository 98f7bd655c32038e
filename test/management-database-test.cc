/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The run database rows of resource management (link_stats,
 * allocation_changes, bids), checked against what the maestro and its
 * monitors report during the same run.
 */
#include "genesis-test-common.h"

#include <cstdio>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{
class ManagementDatabase : public GenesisSimTest
{
};

struct Change
{
    uint16_t id;
    uint64_t oldBps;
    uint64_t newBps;
};

void
OnAllocation(std::vector<Change>* log, uint16_t id, uint32_t, uint32_t, uint64_t o, uint64_t n)
{
    log->push_back({id, o, n});
}

void
OnRound(std::vector<GenesisMonitor::Reading>* log, Ptr<GenesisMaestro> m, uint64_t)
{
    for (const auto& r : m->GetLastReadings())
    {
        log->push_back(r);
    }
}
} // namespace

TEST_F(ManagementDatabase, EveryRoundWritesStatsChangesAndBids)
{
    const std::string path = "/tmp/genesis-management-db-test.sqlite";
    Chain c;
    BuildChain(c, 2);
    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    db->SetAttribute("Path", StringValue(path));
    db->Open();
    db->Attach(c.root);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 1);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "2Mbps", 0, 1, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    Ptr<GenesisMaestro> m = GenesisMaestro::Install(c.root);
    m->SetAttribute("ProvisioningInterval", TimeValue(MilliSeconds(500)));
    m->SetDatabase(db);
    m->SetBid(a, 2.0, DataRate("3Mbps"));
    m->SetBid(b, 1.0, DataRate("9Mbps"));
    Simulator::Schedule(Seconds(1.2), [&]() { m->SetBid(a, 0.5, DataRate("3Mbps")); });
    UdpFlow(a->GetRoutelets()[0]->GetNode(),
            a->GetRoutelets()[1]->GetNode(),
            EndB(a),
            9,
            DataRate("4Mbps"),
            1000,
            Seconds(0.1),
            Seconds(2));
    std::vector<Change> changes;
    std::vector<GenesisMonitor::Reading> readings;
    m->TraceConnectWithoutContext("Allocation", MakeBoundCallback(&OnAllocation, &changes));
    m->TraceConnectWithoutContext("Round", MakeBoundCallback(&OnRound, &readings, m));
    Simulator::Stop(Seconds(2.01));
    Simulator::Run();
    // re-provisioning by link rate is recorded too: b's link 2 -> 1 Mbps takes
    // 1 Mbps from each of its 9 Mbps slices
    b->SetLinkRate(b->GetLinks().front(), DataRate("1Mbps"));
    // a's slices hold 1 Mbps: a link rate cut of 1.5 Mbps is refused, nothing changes
    EXPECT_THROW(a->SetLinkRate(a->GetLinks().front(), DataRate("500kbps")), GenesisError);
    EXPECT_EQ(a->GetReservedRate(c.Fwd(0)).GetBitRate(), 1000000u);
    db->Close();

    SqliteDatabase q(path);
    EXPECT_EQ(q.QueryText("SELECT value FROM meta WHERE key = 'schema_version'"),
              std::to_string(GenesisProfileDatabase::SCHEMA_VERSION));
    // rounds at 0, 0.5, 1, 1.5, 2 s: readings from the second on, one per
    // child per device (the link's devices on n0 and on n1)
    ASSERT_EQ(m->GetNRounds(), 5u);
    ASSERT_EQ(readings.size(), 16u);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM link_stats"), 16);
    for (const auto& r : readings)
    {
        std::string where = " FROM link_stats WHERE network_id = " + std::to_string(r.networkId) +
                            " AND time_ns = " + std::to_string(r.timeNs) +
                            " AND node_id = " + std::to_string(r.nodeId) +
                            " AND device_index = " + std::to_string(r.deviceIndex);
        ASSERT_EQ(q.QueryInt64("SELECT COUNT(*)" + where), 1);
        EXPECT_EQ(q.QueryInt64("SELECT tx_bytes" + where), static_cast<int64_t>(r.txBytes));
        EXPECT_EQ(q.QueryInt64("SELECT tx_packets" + where), static_cast<int64_t>(r.txPackets));
        EXPECT_EQ(q.QueryInt64("SELECT interval_ns" + where), 500000000);
        EXPECT_EQ(q.QueryInt64("SELECT allocated_bps" + where),
                  static_cast<int64_t>(r.allocatedBps));
        EXPECT_EQ(q.QueryInt64("SELECT (mean_delay_ns IS NULL)" + where), r.txPackets == 0 ? 1 : 0);
    }
    // a sent 4 Mbps of payload from 0.1 s: it was served (it is below the link)
    EXPECT_GT(q.QueryInt64("SELECT SUM(tx_bytes) FROM link_stats WHERE network_id = " +
                           std::to_string(a->GetId()) + " AND time_ns = 1000000000"),
              4e6 / 8 * 0.5 * 0.99);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM link_stats WHERE network_id = " +
                           std::to_string(b->GetId()) + " AND tx_bytes = 0"),
              8);
    // allocation changes: as traced, cause 'auction'
    ASSERT_EQ(static_cast<int64_t>(changes.size()),
              q.QueryInt64("SELECT COUNT(*) FROM allocation_changes WHERE cause = 'auction'"));
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM allocation_changes WHERE cause = 'reprovision' "
                           "AND old_bps = 9000000 AND new_bps = 8000000 AND network_id = " +
                           std::to_string(b->GetId())),
              2);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM allocation_changes"),
              static_cast<int64_t>(changes.size()) + 2);
    // reservations follow the allocations
    EXPECT_EQ(q.QueryInt64("SELECT rate_bps FROM reservations WHERE node_id = 0 AND network_id = " +
                           std::to_string(a->GetId())),
              1000000);
    EXPECT_EQ(q.QueryInt64("SELECT rate_bps FROM reservations WHERE node_id = 0 AND network_id = " +
                           std::to_string(b->GetId())),
              8000000);
    // round 0: a 2 -> 3 Mbps, b 2 -> 10 - 3 = 7 Mbps; at 1.5 s b first: 9 Mbps, a 1 Mbps
    ASSERT_EQ(changes.size(), 8u); // on both devices
    EXPECT_EQ(q.QueryInt64("SELECT new_bps FROM allocation_changes WHERE network_id = " +
                           std::to_string(a->GetId()) + " ORDER BY change_id LIMIT 1"),
              3000000);
    EXPECT_EQ(q.QueryInt64("SELECT old_bps FROM allocation_changes WHERE network_id = " +
                           std::to_string(a->GetId()) + " ORDER BY change_id LIMIT 1"),
              2000000);
    EXPECT_EQ(q.QueryInt64("SELECT new_bps FROM allocation_changes WHERE network_id = " +
                           std::to_string(b->GetId()) +
                           " AND cause = 'auction' ORDER BY change_id DESC LIMIT 1"),
              9000000);
    EXPECT_EQ(
        q.QueryInt64("SELECT time_ns FROM allocation_changes WHERE cause = 'auction' ORDER BY "
                     "change_id DESC LIMIT 1"),
        1500000000);
    // bids: one row per bidder per round
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM bids"), 10);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(DISTINCT auction_network_id) FROM bids"), 1);
    EXPECT_EQ(q.QueryInt64("SELECT allocated_bps FROM bids WHERE bidder_network_id = " +
                           std::to_string(a->GetId()) + " AND time_ns = 2000000000"),
              10000000 - 9000000);
    std::remove(path.c_str());
}
