/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The profile database: real SQLite files in a temporary directory, read back
 * with SQL (and with the sqlite3 shell) and compared with the objects.
 */
#include "genesis-test-common.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisProfileDb : public GenesisSimTest
{
  protected:
    void SetUp() override
    {
        GenesisSimTest::SetUp();
        char tmpl[] = "/tmp/genesis-db-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
    }

    void TearDown() override
    {
        GenesisSimTest::TearDown();
        std::string cmd = "rm -rf '" + m_dir + "'";
        EXPECT_EQ(std::system(cmd.c_str()), 0);
    }

    std::string File(const std::string& name) const
    {
        return m_dir + "/" + name;
    }

    Ptr<GenesisProfileDatabase> MakeDb(const std::string& name)
    {
        Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(File(name)));
        db->Open();
        return db;
    }

    std::string m_dir;
};

/// All rows of \p sql, columns joined by '|', rows by '\n'.
std::string
Rows(SqliteDatabase& db, const std::string& sql)
{
    SqliteStatement s = db.Prepare(sql);
    std::ostringstream os;
    while (s.Step())
    {
        for (int c = 0; c < s.GetColumnCount(); ++c)
        {
            os << (c ? "|" : "") << (s.IsNull(c) ? "NULL" : s.GetText(c));
        }
        os << "\n";
    }
    return os.str();
}

bool
FileExists(const std::string& path)
{
    return std::ifstream(path).good();
}

} // namespace

// Open() creates every table and writes the schema version into meta.
TEST_F(GenesisProfileDb, SchemaIsCreatedAndVersioned)
{
    Ptr<GenesisProfileDatabase> db = MakeDb("schema.sqlite");
    SqliteDatabase& c = db->GetConnection();
    EXPECT_EQ(c.QueryText("SELECT value FROM meta WHERE key = 'schema_version'"),
              std::to_string(GenesisProfileDatabase::SCHEMA_VERSION));
    EXPECT_EQ(Rows(c, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
              "allocation_changes\nallocations\nbids\nchanges\ndevices\nedges\nlink_stats\nmeta\n"
              "modules\nnetworks\nnode_names\nnodes\nrefusals\nreservations\nroutelets\n"
              "statistics\nvlinks\n");
    EXPECT_EQ(c.QueryInt64("PRAGMA foreign_keys"), 1);
}

// The journal really is a write-ahead log: a second connection sees
// journal_mode wal, and the -wal file exists while the writer is open.
TEST_F(GenesisProfileDb, WalModeIsOn)
{
    Ptr<GenesisProfileDatabase> db = MakeDb("wal.sqlite");
    EXPECT_EQ(db->GetConnection().QueryText("PRAGMA journal_mode"), "wal");
    EXPECT_TRUE(FileExists(File("wal.sqlite-wal")));
    SqliteDatabase other(File("wal.sqlite"));
    EXPECT_EQ(other.QueryText("PRAGMA journal_mode"), "wal");
}

// A spawned child's rows (network, routelets, link with its path,
// reservations, allocations of the child and of the root) equal what the
// objects report.
TEST_F(GenesisProfileDb, SpawnedNetworkRowsMatchTheObjects)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<GenesisProfileDatabase> db = MakeDb("spawn.sqlite");
    db->Attach(c.root);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "video", "controlled", "3Mbps", 0, 2);
    db->Watch(net);
    Simulator::Schedule(Seconds(1.5), &VirtualNetwork::Spawn, net);
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    SqliteDatabase& q = db->GetConnection();
    const std::string id = std::to_string(net->GetId());

    EXPECT_EQ(Rows(q,
                   "SELECT name, parent_id, depth, class, rate_bps, state, spawned_at_ns, "
                   "torn_down_at_ns FROM networks WHERE network_id = " +
                       id),
              "video|0|1|controlled|3000000|spawned|1500000000|NULL\n");
    EXPECT_NE(q.QueryText("SELECT profile_text FROM networks WHERE network_id = " + id)
                  .find("class: controlled"),
              std::string::npos);

    std::ostringstream routelets;
    for (const auto& r : net->GetRoutelets())
    {
        routelets << r->GetHost()->GetId() << "|" << r->GetNode()->GetId() << "\n";
    }
    EXPECT_EQ(Rows(q,
                   "SELECT host_node_id, routelet_node_id FROM routelets WHERE network_id = " + id +
                       " ORDER BY position"),
              routelets.str());

    Ptr<VirtualLink> link = net->GetLinks().front();
    std::ostringstream subnet;
    subnet << link->GetSubnet();
    EXPECT_EQ(Rows(q,
                   "SELECT link_id, end_a_host, end_b_host, rate_bps, subnet, host_path, "
                   "device_path FROM vlinks WHERE network_id = " +
                       id),
              std::to_string(link->GetId()) + "|0|2|3000000|" + subnet.str() +
                  "|0 1 2|0/1>1/1 1/2>2/1\n");

    // Every device the child holds: reservation and both allocations match the getters.
    std::vector<Ptr<NetDevice>> devs = {c.Fwd(0), c.Back(0), c.Fwd(1), c.Back(1)};
    std::ostringstream res;
    std::ostringstream alloc;
    std::set<std::pair<uint32_t, uint32_t>> keys;
    for (auto d : devs)
    {
        keys.insert({d->GetNode()->GetId(), d->GetIfIndex()});
    }
    for (const auto& k : keys)
    {
        Ptr<NetDevice> d = NodeList::GetNode(k.first)->GetDevice(k.second);
        ASSERT_TRUE(net->GetArbitrator(d));
        res << k.first << "|" << k.second << "|controlled|" << net->GetReservedRate(d).GetBitRate()
            << "|1500000000|NULL\n";
        for (Ptr<VirtualNetwork> n : {c.root, net})
        {
            Ptr<ArbitratorQueueDisc> a = n->GetArbitrator(d);
            alloc << n->GetId() << "|" << k.first << "|" << k.second << "|"
                  << a->GetLinkRate().GetBitRate() << "|" << a->GetGuaranteedRate().GetBitRate()
                  << "|" << a->GetResidualRate().GetBitRate() << "\n";
        }
    }
    EXPECT_EQ(Rows(q,
                   "SELECT node_id, device_index, class, rate_bps, reserved_at_ns, "
                   "released_at_ns FROM reservations WHERE network_id = " +
                       id + " ORDER BY 1, 2"),
              res.str());
    EXPECT_EQ(Rows(q,
                   "SELECT network_id, node_id, device_index, link_rate_bps, guaranteed_bps, "
                   "residual_bps FROM allocations ORDER BY node_id, device_index, network_id"),
              alloc.str());
    EXPECT_EQ(net->GetNSlices(), keys.size());
    // The root's guaranteed capacity rose by exactly the child's reservation.
    EXPECT_EQ(q.QueryInt64("SELECT guaranteed_bps FROM allocations WHERE network_id = 0 AND "
                           "node_id = 1 AND device_index = 2"),
              3000000);
}

// The physical topology: one row per node, one per managed device with its
// peer across the channel and the root arbitrator's LinkRate as capacity.
TEST_F(GenesisProfileDb, TopologyRecordsEveryDeviceWithPeerAndCapacity)
{
    Chain c;
    BuildChain(c, 3, "7Mbps");
    Ptr<GenesisProfileDatabase> db = MakeDb("topo.sqlite");
    db->RecordTopology(c.root);
    EXPECT_EQ(Rows(db->GetConnection(),
                   "SELECT node_id, device_index, type, peer_node_id, peer_device_index, "
                   "link_rate_bps FROM devices ORDER BY 1, 2"),
              "0|1|ns3::PointToPointNetDevice|1|1|7000000\n"
              "1|1|ns3::PointToPointNetDevice|0|1|7000000\n"
              "1|2|ns3::PointToPointNetDevice|2|1|7000000\n"
              "2|1|ns3::PointToPointNetDevice|1|2|7000000\n");
    EXPECT_EQ(Rows(db->GetConnection(), "SELECT node_id FROM nodes ORDER BY 1"), "0\n1\n2\n");
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetLinkRate().GetBitRate(), 7000000u);
}

// Teardown: state and time recorded, reservations released, the child's
// allocations gone and the root's allocation rows exactly as before the spawn.
TEST_F(GenesisProfileDb, TeardownRestoresAllocationRowsExactly)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "video", "constant", "2Mbps", 0, 2);
    Ptr<GenesisProfileDatabase> db = MakeDb("teardown.sqlite");
    db->Attach(c.root); // after the definition: Attach watches it
    SqliteDatabase& q = db->GetConnection();
    const std::string rootAlloc = "SELECT * FROM allocations WHERE network_id = 0 ORDER BY 2, 3";
    std::string before = Rows(q, rootAlloc);
    c.genesis.Spawn(Seconds(1), net);
    c.genesis.Teardown(Seconds(2), net);
    Simulator::Schedule(Seconds(1.5), [&]() { EXPECT_NE(Rows(q, rootAlloc), before); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    const std::string id = std::to_string(net->GetId());
    EXPECT_EQ(Rows(q,
                   "SELECT state, spawned_at_ns, torn_down_at_ns FROM networks "
                   "WHERE network_id = " +
                       id),
              "torn_down|1000000000|2000000000\n");
    EXPECT_EQ(Rows(q, rootAlloc), before);
    EXPECT_EQ(q.QueryInt64("SELECT count(*) FROM allocations WHERE network_id = " + id), 0);
    EXPECT_EQ(q.QueryInt64("SELECT count(*) FROM reservations WHERE network_id = " + id +
                           " AND released_at_ns = 2000000000"),
              4);
    EXPECT_EQ(q.QueryInt64("SELECT count(*) FROM reservations WHERE released_at_ns IS NULL"), 0);
    // And the rows agree with the arbitrators.
    EXPECT_EQ(
        q.QueryInt64("SELECT residual_bps FROM allocations WHERE network_id = 0 AND "
                     "node_id = 0 AND device_index = 1"),
        static_cast<int64_t>(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate()));
}

// A transaction that fails half-way (a constraint violation after rows were
// written) leaves the database dump identical to before; so does recording
// the same spawn twice, which fails on the routelets primary key after the
// network row was already updated.
TEST_F(GenesisProfileDb, FailedTransactionLeavesDumpIdentical)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<GenesisProfileDatabase> db = MakeDb("rollback.sqlite");
    db->RecordTopology(c.root);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "video", "controlled", "3Mbps", 0, 2);
    net->Spawn();
    db->RecordSpawn(net);
    SqliteDatabase& q = db->GetConnection();
    const std::string before = db->Dump();

    {
        auto attempt = [&]() {
            SqliteTransaction tx(q);
            q.Exec("UPDATE allocations SET residual_bps = 1");
            q.Exec("INSERT INTO statistics(network_id, time_ns, key, value) VALUES (0, 0, 'x', 1)");
            q.Exec("INSERT INTO networks(network_id, name, depth, class, rate_bps, state, "
                   "created_at_ns) VALUES (99, 'video', 1, 'constant', 0, 'defined', 0)");
            tx.Commit();
        };
        EXPECT_THROW(attempt(), GenesisError);
    }
    EXPECT_EQ(db->Dump(), before);

    Simulator::Schedule(Seconds(1), [&]() {
        try
        {
            db->RecordSpawn(net);
            ADD_FAILURE() << "recording a spawn twice must fail";
        }
        catch (const GenesisError& e)
        {
            EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed: routelets"),
                      std::string::npos)
                << e.what();
            EXPECT_NE(std::string(e.what()).find("rollback.sqlite"), std::string::npos);
        }
    });
    Simulator::Run();
    EXPECT_EQ(db->Dump(), before);
    EXPECT_FALSE(q.InTransaction());
}

// A spawn refused at its scheduled time writes only the refusal (and the
// network as defined); no capacity row changes, and the arbitrators are unchanged.
TEST_F(GenesisProfileDb, RefusedSpawnChangesNoCapacityRow)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> big = TwoEndChild(c, c.root, "big", "controlled", "50Mbps", 0, 2);
    Ptr<GenesisProfileDatabase> db = MakeDb("refusal.sqlite");
    db->Attach(c.root);
    SqliteDatabase& q = db->GetConnection();
    const std::string capacity = "SELECT * FROM allocations ORDER BY 1, 2, 3";
    std::string before = Rows(q, capacity);
    uint64_t residual = c.root->GetArbitrator(c.Fwd(1))->GetResidualRate().GetBitRate();
    c.genesis.Spawn(Seconds(1), big);
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(Rows(q, capacity), before);
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(1))->GetResidualRate().GetBitRate(), residual);
    EXPECT_EQ(Rows(q, "SELECT time_ns, network_id, network_name FROM refusals"),
              "1000000000|" + std::to_string(big->GetId()) + "|big\n");
    EXPECT_FALSE(q.QueryText("SELECT reason FROM refusals").empty());
    EXPECT_EQ(Rows(q, "SELECT state, spawned_at_ns FROM networks WHERE name = 'big'"),
              "defined|NULL\n");
    EXPECT_EQ(q.QueryInt64("SELECT count(*) FROM reservations"), 0);
}

// After the run the file is an ordinary SQLite database: the sqlite3 shell,
// a separate process, reads the networks and the residual capacity.
TEST_F(GenesisProfileDb, FileIsReadableWithTheSqlite3Shell)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "video", "controlled", "3Mbps", 0, 2);
    Ptr<GenesisProfileDatabase> db = MakeDb("cli.sqlite");
    db->Attach(c.root);
    c.genesis.Spawn(Seconds(1), net);
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    db->RecordStatistic(net->GetId(), "rx-bytes", 1234);
    db->Close();
    EXPECT_FALSE(FileExists(File("cli.sqlite-wal"))); // checkpointed on close

    std::string cmd = "sqlite3 '" + File("cli.sqlite") +
                      "' \"SELECT name || ':' || state FROM networks ORDER BY network_id; "
                      "SELECT residual_bps FROM allocations WHERE network_id = 0 AND node_id = 1 "
                      "AND device_index = 2; SELECT key, value FROM statistics;\" 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[256];
    while (fgets(buf, sizeof(buf), p))
    {
        out += buf;
    }
    EXPECT_EQ(pclose(p), 0) << out;
    EXPECT_EQ(out, "root:spawned\nvideo:spawned\n7000000\nrx-bytes|1234.0\n");
}

// A writer killed (SIGKILL) in the middle of a transaction leaves a database
// that opens, passes integrity_check and shows none of the killed
// transaction's rows; the rows it committed before are there.
TEST_F(GenesisProfileDb, KilledWriterLeavesConsistentDatabase)
{
    const std::string path = File("killed.sqlite");
    {
        Ptr<GenesisProfileDatabase> db = MakeDb("killed.sqlite");
        db->Close();
    }
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
    {
        close(ready[0]);
        try
        {
            SqliteDatabase w(path);
            w.Exec("INSERT INTO meta(key, value) VALUES ('committed', 'yes')");
            // A tiny page cache makes SQLite spill the uncommitted pages into the WAL file.
            w.Exec("PRAGMA cache_size = 5");
            w.Exec("BEGIN IMMEDIATE");
            for (int i = 0; i < 2000; ++i)
            {
                w.Exec("INSERT INTO meta(key, value) VALUES ('uncommitted-" + std::to_string(i) +
                       "', '" + std::string(200, 'x') + "')");
            }
            (void)!write(ready[1], "r", 1);
            pause(); // killed here, inside the transaction
        }
        catch (...)
        {
        }
        _exit(3);
    }
    close(ready[1]);
    char ch = 0;
    ASSERT_EQ(read(ready[0], &ch, 1), 1);
    close(ready[0]);
    struct stat wal;
    ASSERT_EQ(stat((path + "-wal").c_str(), &wal), 0);
    EXPECT_GT(wal.st_size, 200000); // uncommitted frames really are on disk
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);

    SqliteDatabase r(path);
    EXPECT_EQ(r.QueryText("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(r.QueryText("SELECT value FROM meta WHERE key = 'committed'"), "yes");
    EXPECT_EQ(r.QueryInt64("SELECT count(*) FROM meta WHERE key LIKE 'uncommitted-%'"), 0);
    EXPECT_EQ(r.QueryText("SELECT value FROM meta WHERE key = 'schema_version'"),
              std::to_string(GenesisProfileDatabase::SCHEMA_VERSION));
    // The database is writable again (no stale lock).
    r.Exec("INSERT INTO meta(key, value) VALUES ('after', 'ok')");
}

// The module catalogue lists queue discs (ns-3's and Genesis's) with their
// category, parent and attributes.
TEST_F(GenesisProfileDb, ModuleCatalogueListsQueueDiscsWithCategory)
{
    Ptr<GenesisProfileDatabase> db = MakeDb("modules.sqlite");
    SqliteDatabase& q = db->GetConnection();
    EXPECT_EQ(Rows(q,
                   "SELECT category, group_name FROM modules WHERE type_id = "
                   "'ns3::FifoQueueDisc'"),
              "queue-disc|TrafficControl\n");
    EXPECT_EQ(Rows(q,
                   "SELECT category, parent_type_id, group_name FROM modules WHERE type_id = "
                   "'ns3::ArbitratorQueueDisc'"),
              "queue-disc|ns3::QueueDisc|Genesis\n");
    EXPECT_EQ(q.QueryText("SELECT category FROM modules WHERE type_id = 'ns3::VirtualNetwork'"),
              "genesis");
    EXPECT_NE(q.QueryText("SELECT attributes FROM modules WHERE type_id = 'ns3::FifoQueueDisc'")
                  .find("\"MaxSize\": \"1000p\""),
              std::string::npos);
    EXPECT_EQ(q.QueryInt64("SELECT count(*) FROM modules WHERE type_id = 'ns3::Node'"), 0);
}

// Errors name the file, the SQL and SQLite's message.
TEST_F(GenesisProfileDb, ErrorsNameFileSqlAndReason)
{
    SqliteDatabase d(File("err.sqlite"));
    try
    {
        d.Exec("SELECT * FROM no_such_table");
        FAIL();
    }
    catch (const GenesisError& e)
    {
        std::string m = e.what();
        EXPECT_NE(m.find("err.sqlite"), std::string::npos) << m;
        EXPECT_NE(m.find("SELECT * FROM no_such_table"), std::string::npos) << m;
        EXPECT_NE(m.find("no such table"), std::string::npos) << m;
    }
    EXPECT_THROW(SqliteDatabase(File("no/such/dir/x.sqlite")), GenesisError);
    SqliteStatement s = d.Prepare("SELECT :a + ?2");
    EXPECT_THROW(s.Bind(":b", int64_t(1)), GenesisError);
    s.Bind(":a", int64_t(40)).Bind(2, int64_t(2));
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.GetInt64(0), 42);
    SqliteStatement moved = std::move(s);
    EXPECT_EQ(moved.GetSql(), "SELECT :a + ?2");
}

namespace
{
std::string
RunAndDump(const std::string& path)
{
    Chain c;
    BuildChain(c, 4);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 3);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "constant", "2Mbps", 1, 3, "172.17.0.0");
    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    db->SetAttribute("Path", StringValue(path));
    db->Open();
    db->Attach(c.root);
    c.genesis.Spawn(Seconds(1), a);
    c.genesis.Spawn(Seconds(2), b);
    c.genesis.Teardown(Seconds(3), a);
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    std::string dump = db->Dump();
    db->Dispose();
    Simulator::Destroy();
    return dump;
}
} // namespace

// The same program gives the same database content (simulated times only).
TEST_F(GenesisProfileDb, SameRunGivesSameContent)
{
    std::string first = RunAndDump(File("run1.sqlite"));
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    std::string second = RunAndDump(File("run2.sqlite"));
    EXPECT_NE(first.find("|'torn_down'|"), std::string::npos);
    EXPECT_EQ(first, second);
}

// A network defined during the run under a parent that stays quiet is
// recorded: Attach follows VirtualNetwork's ChildCreated trace.
TEST_F(GenesisProfileDb, NetworkDefinedDuringTheRunIsRecorded)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> parent = TwoEndChild(c, c.root, "parent", "controlled", "4Mbps", 0, 2);
    parent->Spawn();
    Ptr<GenesisProfileDatabase> db = MakeDb("late.sqlite");
    db->Attach(c.root);
    Ptr<VirtualNetwork> late;
    Simulator::Schedule(Seconds(1), [&]() {
        late = TwoEndChild(c, parent, "late", "controlled", "1Mbps", 0, 2, "172.21.0.0");
        late->Spawn();
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    SqliteDatabase& q = db->GetConnection();
    ASSERT_TRUE(late);
    EXPECT_EQ(
        Rows(q,
             "SELECT name, parent_id, state, spawned_at_ns FROM networks WHERE network_id = " +
                 std::to_string(late->GetId())),
        "late|" + std::to_string(parent->GetId()) + "|spawned|1000000000\n");
    EXPECT_EQ(q.QueryInt64("SELECT count(*) FROM reservations WHERE network_id = " +
                           std::to_string(late->GetId())),
              4);
}

namespace
{

// Re-provisioning (the Reprovisioned trace): the link's rate, the network's
// reservation on every device the link crosses and both allocations change
// in one transaction, and agree with the getters; other rows stay as they were.
TEST_F(GenesisProfileDb, ReprovisioningUpdatesLinkReservationsAndAllocations)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "video", "controlled", "3Mbps", 0, 2);
    Ptr<GenesisProfileDatabase> db = MakeDb("reprovision.sqlite");
    db->Attach(c.root);
    c.genesis.Spawn(Seconds(1), net);
    std::string before;
    SqliteDatabase& q = db->GetConnection();
    const std::string others = "SELECT * FROM networks ORDER BY 1";
    Simulator::Schedule(Seconds(1.5), [&]() {
        before = Rows(q, others);
        net->SetLinkRate(net->GetLinks().front(), DataRate("5Mbps"));
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_EQ(net->GetLinks().front()->GetRate().GetBitRate(), 5000000U);
    const std::string id = std::to_string(net->GetId());
    EXPECT_EQ(q.QueryInt64("SELECT rate_bps FROM vlinks WHERE network_id = " + id), 5000000);
    std::ostringstream res;
    std::ostringstream alloc;
    for (auto d : {c.Fwd(0), c.Back(0), c.Fwd(1), c.Back(1)})
    {
        EXPECT_EQ(net->GetReservedRate(d).GetBitRate(), 5000000U);
        res << d->GetNode()->GetId() << "|" << d->GetIfIndex() << "|"
            << net->GetReservedRate(d).GetBitRate() << "\n";
        for (Ptr<VirtualNetwork> n : {c.root, net})
        {
            Ptr<ArbitratorQueueDisc> a = n->GetArbitrator(d);
            alloc << n->GetId() << "|" << d->GetNode()->GetId() << "|" << d->GetIfIndex() << "|"
                  << a->GetLinkRate().GetBitRate() << "|" << a->GetGuaranteedRate().GetBitRate()
                  << "|" << a->GetResidualRate().GetBitRate() << "\n";
        }
    }
    EXPECT_EQ(Rows(q,
                   "SELECT node_id, device_index, rate_bps FROM reservations WHERE network_id = " +
                       id + " ORDER BY 1, 2"),
              res.str());
    EXPECT_EQ(Rows(q,
                   "SELECT network_id, node_id, device_index, link_rate_bps, guaranteed_bps, "
                   "residual_bps FROM allocations ORDER BY node_id, device_index, network_id"),
              alloc.str());
    // The root's residual on n0's device: 10 Mbps - 5 Mbps.
    EXPECT_EQ(q.QueryInt64("SELECT residual_bps FROM allocations WHERE network_id = 0 AND "
                           "node_id = 0 AND device_index = 1"),
              5000000);
    EXPECT_EQ(Rows(q, others), before);
}

// What a verifier needs of a parent: channel delay per device, the directed
// adjacencies with their hops, the address space and node names.
TEST_F(GenesisProfileDb, TopologyKeepsDelaysAdjacenciesAddressesAndNames)
{
    Chain c;
    BuildChain(c, 3, "10Mbps", "3ms");
    Names::Add("edge", c.nodes.Get(2));
    Ptr<VirtualNetwork> net =
        TwoEndChild(c, c.root, "video", "controlled", "3Mbps", 0, 2, "172.20.0.0");
    Ptr<GenesisProfileDatabase> db = MakeDb("parent.sqlite");
    db->Attach(c.root);
    c.genesis.Spawn(Seconds(1), net);
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    SqliteDatabase& q = db->GetConnection();
    EXPECT_EQ(Rows(q, "SELECT DISTINCT delay_ns FROM devices"), "3000000\n");
    EXPECT_EQ(Rows(q,
                   "SELECT position, from_node, to_node, hops FROM edges WHERE network_id = 0 "
                   "ORDER BY position"),
              "0|0|1|0/1>1/1\n1|1|0|1/1>0/1\n2|1|2|1/2>2/1\n3|2|1|2/1>1/2\n");
    EXPECT_EQ(Rows(q,
                   "SELECT from_node, to_node, hops FROM edges WHERE network_id = " +
                       std::to_string(net->GetId()) + " ORDER BY position"),
              "0|2|0/1>1/1 1/2>2/1\n2|0|2/1>1/2 1/1>0/1\n");
    EXPECT_EQ(Rows(q, "SELECT name, ipv4_base, ipv4_prefix FROM networks ORDER BY network_id"),
              "root|172.16.0.0|16\nvideo|172.20.0.0|16\n");
    EXPECT_EQ(Rows(q, "SELECT node_id, name FROM node_names"), "2|edge\n");
    EXPECT_EQ(q.QueryText("SELECT value FROM meta WHERE key = 'n_nodes'"), "3");
    Names::Clear();
}

} // namespace
