/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Database tools of distributed runs and sweeps (issue 8): the merge of a
 * run's per-rank profile databases, the collection of many runs into one
 * results database, and the sweep driver utils/genesis-sweep.py.
 *
 * The rank databases are real SQLite files written by real
 * GenesisProfileDatabase instances over one real Genesis run: one database
 * per rank attached to the same simulation stands in for the ranks of an MPI
 * run. Rank 1's database records every life-cycle event when it happens
 * (Attach); the others record the same events later, through the same public
 * Record* calls, as a rank that learns of a packet-mode spawn late does. Each
 * rank records its own statistics and link_stats rows. Routelet nodes are
 * numbered alike in one process; the divergent numbering of MPI ranks is
 * written into the files with SQL (the rule under test is which rank's value
 * the merge keeps).
 */
#include "genesis-test-common.h"

#include "ns3/genesis-database-merge.h"
#include "ns3/genesis-report.h"
#include "ns3/parent-topology.h"

#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

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
Exists(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

/// \return the names in \p dir
std::set<std::string>
Listing(const std::string& dir)
{
    std::set<std::string> out;
    DIR* d = opendir(dir.c_str());
    if (!d)
    {
        return out;
    }
    while (dirent* e = readdir(d))
    {
        std::string n = e->d_name;
        if (n != "." && n != "..")
        {
            out.insert(n);
        }
    }
    closedir(d);
    return out;
}

/// \return the directory of the running test binary (programs are built beside it)
std::string
BuildDir()
{
    char self[4096] = {};
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
    {
        return ".";
    }
    std::string dir(self, static_cast<std::size_t>(n));
    return dir.substr(0, dir.rfind('/'));
}

/// Run \p cmd with /bin/sh; \return its exit status (-1 when it did not exit)
int
Shell(const std::string& cmd)
{
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// The per-rank databases of one run, and what the objects said during it.
struct RankRun
{
    std::vector<std::string> paths;           //!< rank k's file at index k
    std::map<std::string, std::string> truth; //!< "network/host" -> routelet node id
    std::map<std::string, int64_t> spawnedAt; //!< per rank: spawned_at_ns of video
    int64_t earliestSpawn{0};                 //!< the earliest rank's spawn of video
    std::vector<int64_t> localStats;          //!< statistics rows per rank
    std::vector<int64_t> localLinkStats;      //!< link_stats rows per rank
    uint16_t videoId{0};                      //!< network ids
    uint16_t dataId{0};                       //!< network ids
};

class GenesisDbTools : public GenesisSimTest
{
  protected:
    void SetUp() override
    {
        GenesisSimTest::SetUp();
        char tmpl[] = "/tmp/genesis-dbtools-test-XXXXXX";
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

    /// Copy \p from to \p to (closed database files).
    void Copy(const std::string& from, const std::string& to)
    {
        ASSERT_EQ(Shell("cp '" + from + "' '" + to + "'"), 0);
    }

    /**
     * One real run recorded by \p size rank databases named by RankPath from
     * \p name. Routers n0 - n1 - n2 - n3, 10 Mbit/s; node k belongs to rank
     * k * size / 4. video (controlled 3 Mbit/s, n0 to n3) spawns at 1 s and is
     * torn down at 3 s; data (constant 2 Mbit/s, n1 to n3) spawns at 2 s.
     * Rank 1 records each event when it happens; rank 0 records it 0.2 s
     * later and rank 2 0.1 s later. Each rank records its own statistics and
     * one link_stats row of a device of its own node.
     */
    RankRun Run(uint32_t size, const std::string& name)
    {
        RankRun out;
        Chain c;
        for (uint32_t k = 0; k < 4; ++k)
        {
            c.nodes.Create(1, k * size / 4);
        }
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        InternetStackHelper stack;
        stack.Install(c.nodes);
        Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
        for (uint32_t i = 0; i + 1 < 4; ++i)
        {
            c.links.push_back(p2p.Install(c.nodes.Get(i), c.nodes.Get(i + 1)));
            addr.Assign(c.links.back());
            addr.NewNetwork();
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        c.root = c.genesis.Install(c.nodes);
        Ptr<VirtualNetwork> video = TwoEndChild(c, c.root, "video", "controlled", "3Mbps", 0, 3);
        Ptr<VirtualNetwork> data =
            TwoEndChild(c, c.root, "data", "constant", "2Mbps", 1, 3, "172.17.0.0");
        out.videoId = video->GetId();
        out.dataId = data->GetId();

        std::vector<Ptr<GenesisProfileDatabase>> dbs;
        const double lateBy[] = {0.2, 0.0, 0.1};
        for (uint32_t k = 0; k < size; ++k)
        {
            out.paths.push_back(GenesisProfileDatabase::RankPath(File(name), k, size));
            Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
            db->SetAttribute("Path", StringValue(out.paths.back()));
            db->Open();
            db->RecordRank(k, size);
            dbs.push_back(db);
            if (k == 1)
            {
                db->Attach(c.root); // records each event when it happens
                continue;
            }
            db->RecordTopology(c.root);
            // The same records a late rank makes, through the same calls.
            const Time late = Seconds(lateBy[k]);
            auto spawned = [db](Ptr<VirtualNetwork> n) {
                db->RecordSpawn(n);
                db->RecordChange(n,
                                 "spawn",
                                 "/Genesis/Networks/" + n->GetName(),
                                 "",
                                 GenesisProfileDatabase::ClassName(n->GetCapacityClass()) + " " +
                                     GenesisFormatRate(n->GetRate().GetBitRate()));
            };
            auto tornDown = [db](Ptr<VirtualNetwork> n) {
                db->RecordTeardown(n);
                db->RecordChange(n, "teardown", "/Genesis/Networks/" + n->GetName(), "", "");
            };
            Simulator::Schedule(Seconds(1) + late, [spawned, video]() { spawned(video); });
            Simulator::Schedule(Seconds(2) + late, [spawned, data]() { spawned(data); });
            Simulator::Schedule(Seconds(3) + late, [tornDown, video]() { tornDown(video); });
        }
        Simulator::Schedule(Seconds(1), &VirtualNetwork::Spawn, video);
        Simulator::Schedule(Seconds(2), &VirtualNetwork::Spawn, data);
        Simulator::Schedule(Seconds(3), &VirtualNetwork::Teardown, video);
        // Rank-local rows: what each rank measured.
        for (uint32_t k = 0; k < size; ++k)
        {
            Ptr<GenesisProfileDatabase> db = dbs[k];
            const uint32_t n = k + 2; // rank k records k + 2 statistics
            for (uint32_t i = 0; i < n; ++i)
            {
                Simulator::Schedule(Seconds(1.5 + 0.25 * i), [db, video, k, i]() {
                    db->RecordStatistic(video->GetId(), "rx-bytes", 1000.0 * (k + 1) + i);
                });
            }
            out.localStats.push_back(n);
            // A node of this rank: the first with system id k.
            uint32_t node = 0;
            while (c.nodes.Get(node)->GetSystemId() != k)
            {
                ++node;
            }
            Simulator::Schedule(Seconds(2.5), [db, node, k, &out, data]() {
                GenesisProfileDatabase::LinkStatsRow r;
                r.networkId = data->GetId();
                r.nodeId = node;
                r.deviceIndex = 1;
                r.timeNs = Simulator::Now().GetNanoSeconds();
                r.intervalNs = 500000000;
                r.txBytes = 100000 * (k + 1);
                r.rateBps = r.txBytes * 8 / 0.5;
                db->RecordManagementRound({r}, {}, {});
            });
            out.localLinkStats.push_back(1);
        }
        // The routelet node ids the objects report (video's are disposed at teardown).
        Simulator::Schedule(Seconds(2.5), [&out, video, data]() {
            for (Ptr<VirtualNetwork> n : {video, data})
            {
                for (const auto& r : n->GetRoutelets())
                {
                    out.truth[std::to_string(n->GetId()) + "/" +
                              std::to_string(r->GetHost()->GetId())] =
                        std::to_string(r->GetNode()->GetId());
                }
            }
        });
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        EXPECT_EQ(video->GetState(), VirtualNetwork::TORN_DOWN);
        EXPECT_EQ(data->GetState(), VirtualNetwork::SPAWNED);
        for (auto& db : dbs)
        {
            db->Dispose();
        }
        // Divergent routelet numbering: on each rank the routelets of hosts it
        // does not own get other ids (as MPI ranks may number them).
        for (uint32_t k = 0; k < size; ++k)
        {
            SqliteDatabase f(out.paths[k]);
            const std::string off = std::to_string(1000 * (k + 1));
            const std::string notMine = " <> " + std::to_string(k);
            f.Exec("UPDATE routelets SET routelet_node_id = routelet_node_id + " + off +
                   " WHERE network_id <> 0 AND (SELECT system_id FROM nodes WHERE node_id = "
                   "host_node_id)" +
                   notMine);
            f.Exec("UPDATE vlinks SET end_a_node = end_a_node + " + off +
                   " WHERE (SELECT system_id FROM nodes WHERE node_id = end_a_host)" + notMine);
            f.Exec("UPDATE vlinks SET end_b_node = end_b_node + " + off +
                   " WHERE (SELECT system_id FROM nodes WHERE node_id = end_b_host)" + notMine);
            out.spawnedAt[std::to_string(k)] =
                f.QueryInt64("SELECT spawned_at_ns FROM networks WHERE name = 'video'");
        }
        out.earliestSpawn = 1000000000; // rank 1's, at the spawn itself
        Simulator::Destroy();
        return out;
    }

    /// Expect MergeRanks(\p inputs) to fail with a message holding every \p parts, and no output.
    void ExpectRefused(const std::vector<std::string>& inputs,
                       const std::vector<std::string>& parts)
    {
        const std::string out = File("merged.sqlite");
        const std::set<std::string> before = Listing(m_dir);
        try
        {
            GenesisDatabaseMerge::MergeRanks(inputs, out);
            ADD_FAILURE() << "the merge was not refused";
        }
        catch (const GenesisError& e)
        {
            for (const auto& p : parts)
            {
                EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
                    << "'" << p << "' not in: " << e.what();
            }
        }
        EXPECT_FALSE(Exists(out));
        EXPECT_EQ(Listing(m_dir), before) << "the failed merge left files behind";
    }

    std::string m_dir;
};

// ----------------------------------------------------------------- RankPath

TEST(GenesisRankPath, TagGoesBeforeTheExtensionOfTheFileName)
{
    EXPECT_EQ(GenesisProfileDatabase::RankPath("run.sqlite", 0, 2), "run.rank0-of-2.sqlite");
    EXPECT_EQ(GenesisProfileDatabase::RankPath("out/run.sqlite", 2, 3),
              "out/run.rank2-of-3.sqlite");
    EXPECT_EQ(GenesisProfileDatabase::RankPath("run.sqlite", 0, 1), "run.sqlite");
    EXPECT_EQ(GenesisProfileDatabase::RankPath("a.d/run", 1, 2), "a.d/run.rank1-of-2");
    EXPECT_EQ(GenesisProfileDatabase::RankPath("x.y.db", 1, 4), "x.y.rank1-of-4.db");
    EXPECT_THROW(GenesisProfileDatabase::RankPath("run.sqlite", 2, 2), GenesisError);
    EXPECT_THROW(GenesisProfileDatabase::RankPath("run.sqlite", 0, 0), GenesisError);
}

// RecordRank writes meta rows; the topology records every node's system id.
TEST_F(GenesisDbTools, RankAndSystemIdsAreRecorded)
{
    RankRun r = Run(2, "ids.sqlite");
    for (uint32_t k = 0; k < 2; ++k)
    {
        SqliteDatabase f(r.paths[k]);
        EXPECT_EQ(f.QueryText("SELECT value FROM meta WHERE key = 'mpi_rank'"), std::to_string(k));
        EXPECT_EQ(f.QueryText("SELECT value FROM meta WHERE key = 'mpi_size'"), "2");
        EXPECT_EQ(Rows(f, "SELECT node_id, system_id FROM nodes ORDER BY node_id"),
                  "0|0\n1|0\n2|1\n3|1\n");
    }
}

// ----------------------------------------------------------------- merge

// Two and three ranks: one copy of every replicated row, the union of the
// rank-local rows (statistics renumbered, in time order), the earliest
// rank's life-cycle stamps and each routelet's node id from its host's rank.
TEST_F(GenesisDbTools, MergeOfTwoAndThreeRanks)
{
    for (uint32_t size : {2u, 3u})
    {
        SCOPED_TRACE("ranks: " + std::to_string(size));
        RankRun r = Run(size, "run" + std::to_string(size) + ".sqlite");
        const std::string out = File("merged" + std::to_string(size) + ".sqlite");
        // inputs in any order
        std::vector<std::string> inputs(r.paths.rbegin(), r.paths.rend());
        ASSERT_NO_THROW(GenesisDatabaseMerge::MergeRanks(inputs, out));
        SqliteDatabase m(out);
        SqliteDatabase r1(r.paths[1]);

        // Replicated tables: one copy, identical to the prompt rank's.
        for (const char* t : {"nodes", "devices", "edges", "allocations", "modules", "node_names"})
        {
            std::string all = std::string("SELECT * FROM ") + t + " ORDER BY 1, 2";
            EXPECT_EQ(Rows(m, all), Rows(r1, all)) << t;
        }
        EXPECT_EQ(Rows(m, "SELECT name, state, rate_bps FROM networks ORDER BY network_id"),
                  "root|spawned|0\nvideo|torn_down|3000000\ndata|spawned|2000000\n");
        EXPECT_EQ(m.QueryInt64("SELECT count(*) FROM changes"),
                  r1.QueryInt64("SELECT count(*) FROM changes"));
        EXPECT_EQ(m.QueryInt64("SELECT count(*) FROM reservations"),
                  r1.QueryInt64("SELECT count(*) FROM reservations"));

        // Life-cycle stamps: the minimum over the ranks (rank 1 was first).
        for (uint32_t k = 0; k < size; ++k)
        {
            if (k != 1)
            {
                EXPECT_GT(r.spawnedAt[std::to_string(k)], r.earliestSpawn) << "rank " << k;
            }
        }
        EXPECT_EQ(Rows(m,
                       "SELECT created_at_ns, spawned_at_ns, torn_down_at_ns FROM networks WHERE "
                       "name = 'video'"),
                  "1000000000|1000000000|3000000000\n");
        EXPECT_EQ(Rows(m,
                       "SELECT DISTINCT reserved_at_ns, released_at_ns FROM reservations WHERE "
                       "network_id = " +
                           std::to_string(r.videoId)),
                  "1000000000|3000000000\n");
        EXPECT_EQ(Rows(m, "SELECT kind, time_ns FROM changes ORDER BY change_id"),
                  "spawn|1000000000\nspawn|2000000000\nteardown|3000000000\n");

        // Routelet node ids: the owner rank's, which are the objects' ids.
        std::map<std::string, std::string> merged;
        SqliteStatement q = m.Prepare(
            "SELECT network_id, host_node_id, routelet_node_id FROM routelets WHERE network_id "
            "<> 0");
        while (q.Step())
        {
            merged[q.GetText(0) + "/" + q.GetText(1)] = q.GetText(2);
        }
        EXPECT_EQ(merged, r.truth);
        // ... and not what a non-owner rank wrote (the rule has something to choose).
        SqliteDatabase r0(r.paths[0]);
        EXPECT_NE(r0.QueryText("SELECT routelet_node_id FROM routelets WHERE network_id = " +
                               std::to_string(r.dataId) + " AND host_node_id = 3"),
                  r.truth[std::to_string(r.dataId) + "/3"]);
        SqliteStatement l = m.Prepare("SELECT network_id, end_a_host, end_a_node, end_b_host, "
                                      "end_b_node FROM vlinks ORDER BY link_id");
        int links = 0;
        while (l.Step())
        {
            ++links;
            const std::string net = l.GetText(0);
            EXPECT_EQ(l.GetText(2), r.truth[net + "/" + l.GetText(1)]);
            EXPECT_EQ(l.GetText(4), r.truth[net + "/" + l.GetText(3)]);
        }
        EXPECT_EQ(links, 2);

        // Rank-local tables: the union, statistics renumbered 1..n in time order.
        int64_t stats = 0;
        int64_t linkStats = 0;
        std::multiset<std::string> expected;
        for (uint32_t k = 0; k < size; ++k)
        {
            stats += r.localStats[k];
            linkStats += r.localLinkStats[k];
            SqliteDatabase f(r.paths[k]);
            SqliteStatement s = f.Prepare("SELECT network_id, time_ns, key, value FROM statistics");
            while (s.Step())
            {
                expected.insert(s.GetText(0) + "|" + s.GetText(1) + "|" + s.GetText(2) + "|" +
                                s.GetText(3));
            }
        }
        EXPECT_EQ(m.QueryInt64("SELECT count(*) FROM statistics"), stats);
        EXPECT_EQ(m.QueryInt64("SELECT count(*) FROM link_stats"), linkStats);
        std::multiset<std::string> got;
        SqliteStatement s = m.Prepare("SELECT network_id, time_ns, key, value FROM statistics");
        while (s.Step())
        {
            got.insert(s.GetText(0) + "|" + s.GetText(1) + "|" + s.GetText(2) + "|" + s.GetText(3));
        }
        EXPECT_EQ(got, expected);
        EXPECT_EQ(m.QueryInt64("SELECT min(stat_id) = 1 AND max(stat_id) = count(*) FROM "
                               "statistics"),
                  1);
        EXPECT_EQ(m.QueryInt64("SELECT count(*) FROM statistics a JOIN statistics b ON "
                               "b.stat_id = a.stat_id + 1 WHERE b.time_ns < a.time_ns"),
                  0);
        EXPECT_EQ(Rows(m, "SELECT DISTINCT node_id FROM link_stats ORDER BY 1"),
                  size == 2 ? "0\n2\n" : "0\n2\n3\n");

        // Meta: merged, no rank of its own; readable as any run database.
        EXPECT_EQ(m.QueryText("SELECT value FROM meta WHERE key = 'merged_ranks'"),
                  std::to_string(size));
        EXPECT_EQ(m.QueryInt64("SELECT count(*) FROM meta WHERE key = 'mpi_rank'"), 0);
        EXPECT_EQ(m.QueryText("PRAGMA integrity_check"), "ok");
        Ptr<GenesisReport> report = CreateObject<GenesisReport>();
        report->SetAttribute("UseDot", BooleanValue(false));
        ASSERT_NO_THROW(report->Open(out));
        EXPECT_NE(report->Render().find("video"), std::string::npos);
        report->Dispose();
        EXPECT_NO_THROW(GenesisParentTopology::FromDatabase(out));
    }
}

// A merge of the same inputs twice gives the same file content.
TEST_F(GenesisDbTools, MergeIsDeterministic)
{
    RankRun r = Run(3, "det.sqlite");
    GenesisDatabaseMerge::MergeRanks(r.paths, File("a.sqlite"));
    GenesisDatabaseMerge::MergeRanks({r.paths[2], r.paths[0], r.paths[1]}, File("b.sqlite"));
    SqliteDatabase a(File("a.sqlite"));
    SqliteDatabase b(File("b.sqlite"));
    EXPECT_EQ(a.Dump(), b.Dump());
}

TEST_F(GenesisDbTools, MissingRankIsRefused)
{
    RankRun r = Run(3, "miss.sqlite");
    ExpectRefused({r.paths[0], r.paths[1]}, {"rank 2 of 3 is missing", "given: rank 0, 1"});
}

TEST_F(GenesisDbTools, DuplicateRankIsRefused)
{
    RankRun r = Run(2, "dup.sqlite");
    Copy(r.paths[0], File("copy.sqlite"));
    ExpectRefused({r.paths[0], File("copy.sqlite"), r.paths[1]},
                  {"duplicate rank", r.paths[0], File("copy.sqlite"), "both rank 0 of 2"});
}

TEST_F(GenesisDbTools, MixedSizesAreRefused)
{
    RankRun two = Run(2, "two.sqlite");
    Config::Reset();
    RankRun three = Run(3, "three.sqlite");
    ExpectRefused({two.paths[0], three.paths[1], three.paths[2]},
                  {"mixed run sizes", two.paths[0], "rank 0 of 2", three.paths[1], "rank 1 of 3"});
}

TEST_F(GenesisDbTools, SchemaMismatchIsRefused)
{
    RankRun r = Run(2, "schema.sqlite");
    {
        SqliteDatabase f(r.paths[1]);
        f.Exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    }
    ExpectRefused(r.paths,
                  {"schema versions differ", r.paths[0], "version 4", r.paths[1], "version 3"});
    // Every input of an older version: this build merges only its own.
    {
        SqliteDatabase f(r.paths[0]);
        f.Exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    }
    ExpectRefused(r.paths, {"schema version 3; this build merges version 4"});
}

// A replicated row that differs names the table, the key, the column and both values.
TEST_F(GenesisDbTools, ReplicatedDisagreementIsRefused)
{
    RankRun r = Run(2, "dis.sqlite");
    {
        SqliteDatabase f(r.paths[1]);
        f.Exec("UPDATE networks SET rate_bps = 4000000 WHERE name = 'data'");
    }
    ExpectRefused(r.paths,
                  {"replicated table 'networks'",
                   "network_id=" + std::to_string(r.dataId),
                   "column rate_bps is 2000000 in rank 0 and 4000000 in rank 1",
                   r.paths[0],
                   r.paths[1]});
    // A row one rank lacks.
    {
        SqliteDatabase f(r.paths[1]);
        f.Exec("UPDATE networks SET rate_bps = 2000000 WHERE name = 'data'");
        f.Exec("DELETE FROM changes WHERE change_id = (SELECT max(change_id) FROM changes)");
    }
    ExpectRefused(r.paths, {"replicated table 'changes'", "change_id=3", "is missing in rank 1"});
}

// Files that are not rank databases of a run.
TEST_F(GenesisDbTools, InputsThatAreNoRankDatabasesAreRefused)
{
    RankRun r = Run(2, "bad.sqlite");
    ExpectRefused({r.paths[0], File("nowhere.sqlite")}, {File("nowhere.sqlite"), "no such file"});
    {
        std::ofstream(File("text.sqlite")) << "not a database, just text that is long enough to "
                                              "fill the first hundred bytes of an SQLite header "
                                              "......................................\n";
    }
    ExpectRefused({r.paths[0], File("text.sqlite")}, {File("text.sqlite"), "SQLite database"});
    {
        Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(File("single.sqlite")));
        db->Open();
        db->Dispose();
    }
    ExpectRefused({r.paths[0], File("single.sqlite")},
                  {File("single.sqlite"), "no row 'mpi_rank'", "RecordRank"});
}

// ----------------------------------------------------------------- the program

TEST_F(GenesisDbTools, MergeProgramExitCodes)
{
    const std::string prog = BuildDir() + "/genesis-db-merge";
    ASSERT_TRUE(Exists(prog)) << prog << " must be built next to genesis-test";
    RankRun r = Run(2, "cli.sqlite");
    // --size=2 reads the files RankPath names from --out.
    EXPECT_EQ(Shell("'" + prog + "' --out='" + File("cli.sqlite") + "' --size=2 >/dev/null"), 0);
    SqliteDatabase m(File("cli.sqlite"));
    EXPECT_EQ(m.QueryText("SELECT value FROM meta WHERE key = 'merged_ranks'"), "2");
    EXPECT_EQ(
        Shell("'" + prog + "' --out='" + File("x.sqlite") + "' '" + r.paths[0] + "' 2>/dev/null"),
        1);
    EXPECT_FALSE(Exists(File("x.sqlite")));
    // --runs collects run databases given as arguments (run ids in order).
    EXPECT_EQ(Shell("'" + prog + "' --runs='" + File("runs.sqlite") + "' '" + File("cli.sqlite") +
                    "' '" + r.paths[0] + "' >/dev/null"),
              0);
    SqliteDatabase runs(File("runs.sqlite"));
    EXPECT_EQ(Rows(runs, "SELECT run_id, collected FROM runs ORDER BY 1"), "1|1\n2|1\n");
    EXPECT_EQ(Rows(runs, "SELECT run_id, value FROM meta WHERE key = 'mpi_rank' ORDER BY 1"),
              "2|0\n");
    EXPECT_EQ(Shell("'" + prog + "' 2>/dev/null"), 2);
    EXPECT_EQ(Shell("'" + prog + "' --out=a --runs=b x 2>/dev/null"), 2);
}

// ----------------------------------------------------------------- results collection

// Three runs (one failed) collected into one results database: a runs row
// each, every table with a leading run_id, the failed run without rows.
TEST_F(GenesisDbTools, CollectionOfThreeRuns)
{
    std::vector<GenesisDatabaseMerge::RunInfo> runs;
    for (int i = 1; i <= 3; ++i)
    {
        GenesisDatabaseMerge::RunInfo info;
        info.runId = i;
        info.database = File("run" + std::to_string(i) + ".sqlite");
        info.parameters =
            "{\"rate\": \"" + std::to_string(i) + "Mbps\", \"n\": " + std::to_string(i) + "}";
        info.seed = i;
        info.run = 1;
        info.exitStatus = i == 3 ? 1 : 0;
        info.command = "genesis-x --rate=" + std::to_string(i) + "Mbps";
        info.output = File("run" + std::to_string(i) + ".log");
        std::ofstream(info.output) << "output of run " << i << "\n";
        runs.push_back(info);
        if (i == 3)
        {
            continue; // failed: no database
        }
        Chain c;
        BuildChain(c, 3);
        Ptr<VirtualNetwork> net =
            TwoEndChild(c, c.root, "video", "controlled", std::to_string(i) + "Mbps", 0, 2);
        Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(info.database));
        db->Open();
        db->Attach(c.root);
        Simulator::Schedule(Seconds(1), &VirtualNetwork::Spawn, net);
        Simulator::Schedule(Seconds(2), [db, net, i]() {
            db->RecordStatistic(net->GetId(), "rx-mbps", 0.9 * i);
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        db->Dispose();
        Simulator::Destroy();
    }
    const std::string out = File("results.sqlite");
    ASSERT_NO_THROW(GenesisDatabaseMerge::CollectRuns(runs, out));
    SqliteDatabase r(out);
    EXPECT_EQ(Rows(r,
                   "SELECT run_id, json_extract(parameters, '$.rate'), seed, run, exit_status, "
                   "collected, output FROM runs ORDER BY run_id"),
              "1|1Mbps|1|1|0|1|output of run 1\n\n2|2Mbps|2|1|0|1|output of run 2\n\n"
              "3|3Mbps|3|1|1|0|output of run 3\n\n");
    EXPECT_EQ(Rows(r, "SELECT run_id, key, value FROM statistics ORDER BY run_id"),
              "1|rx-mbps|0.9\n2|rx-mbps|1.8\n");
    EXPECT_EQ(Rows(r, "SELECT run_id, rate_bps FROM networks WHERE name = 'video' ORDER BY 1"),
              "1|1000000\n2|2000000\n");
    // Every table of a run database, with its rows, under the run's id.
    for (int i = 1; i <= 2; ++i)
    {
        SqliteDatabase src(runs[i - 1].database);
        for (const char* t : {"meta", "nodes", "devices", "allocations", "modules", "changes"})
        {
            EXPECT_EQ(r.QueryInt64(std::string("SELECT count(*) FROM ") + t +
                                   " WHERE run_id = " + std::to_string(i)),
                      src.QueryInt64(std::string("SELECT count(*) FROM ") + t))
                << t;
        }
    }
    EXPECT_EQ(r.QueryInt64("SELECT count(*) FROM meta WHERE run_id = 3"), 0);

    // Bad inputs: no output file.
    const std::string bad = File("bad.sqlite");
    runs[2].exitStatus = 0; // claims success, but has no database
    EXPECT_THROW(GenesisDatabaseMerge::CollectRuns(runs, bad), GenesisError);
    runs[2].exitStatus = 1;
    runs[1].parameters = "{rate: 2Mbps}";
    try
    {
        GenesisDatabaseMerge::CollectRuns(runs, bad);
        ADD_FAILURE() << "bad parameters were accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("run 2: parameters"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(Exists(bad));
}

TEST_F(GenesisDbTools, ManifestErrorsNameTheLineAndField)
{
    const std::string m = File("manifest.tsv");
    std::ofstream(m) << "run_id\tdatabase\tseed\trun\texit_status\tparameters\tcommand\toutput\n"
                     << "1\truns/a.sqlite\t1\t1\t0\t{}\tx\truns/a.log\n"
                     << "2\truns/b.sqlite\tseven\t1\t0\t{}\tx\truns/b.log\n";
    try
    {
        GenesisDatabaseMerge::ReadManifest(m);
        ADD_FAILURE() << "a bad seed was accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find(m + ":3: field seed: 'seven'"), std::string::npos)
            << e.what();
    }
    std::ofstream(m) << "run_id\tdatabase\tseed\trun\texit_status\tparameters\tcommand\toutput\n"
                     << "1\truns/a.sqlite\t1\t\t\t{\"a\": 1}\tx\truns/a.log\n";
    auto runs = GenesisDatabaseMerge::ReadManifest(m);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].database, m_dir + "/runs/a.sqlite"); // relative to the manifest
    EXPECT_EQ(runs[0].run, -1);
    EXPECT_EQ(runs[0].exitStatus, -1);
    EXPECT_EQ(runs[0].parameters, "{\"a\": 1}");
}

// ----------------------------------------------------------------- sweep driver

// utils/genesis-sweep.py expands a 2 x 2 grid x 2 seeds into 8 runs of
// genesis-diffserv, runs them with GNU parallel -j2 and collects them: the
// results database has the 8 runs in order, each run's own database, and
// the two seeds of every grid point give different results.
TEST_F(GenesisDbTools, SweepDriverRunsAGridWithGnuParallel)
{
    ASSERT_EQ(Shell("command -v python3 >/dev/null"), 0) << "python3 is missing (./ns3 installs "
                                                            "the packages of "
                                                            "utils/debian-packages.txt)";
    ASSERT_EQ(Shell("python3 -c 'import yaml' 2>/dev/null"), 0) << "python3-yaml is missing";
    ASSERT_EQ(Shell("command -v parallel >/dev/null"), 0) << "GNU parallel is missing (Debian "
                                                             "package parallel)";
    for (const char* p : {"genesis-diffserv", "genesis-db-merge"})
    {
        ASSERT_TRUE(Exists(BuildDir() + "/" + p)) << p << " must be built next to genesis-test";
    }
    const std::string out = File("sweep");
    // The dry run lists the 8 command lines, seeds innermost.
    const std::string list = File("dry.txt");
    ASSERT_EQ(Shell("python3 utils/genesis-sweep.py test/profiles/dbtools-sweep.yaml --out '" +
                    out + "' --build-dir '" + BuildDir() + "' --dry-run > '" + list + "'"),
              0);
    std::ifstream dry(list);
    std::vector<std::string> lines;
    for (std::string l; std::getline(dry, l);)
    {
        lines.push_back(l);
    }
    ASSERT_EQ(lines.size(), 8u);
    EXPECT_NE(lines[0].find("--voiceFlows=2 --floodRate=6Mbps --RngSeed=1 --RngRun=1 --db="),
              std::string::npos)
        << lines[0];
    EXPECT_NE(lines[7].find("--voiceFlows=4 --floodRate=8Mbps --RngSeed=2 --RngRun=1 --db="),
              std::string::npos)
        << lines[7];
    EXPECT_FALSE(Exists(out)) << "a dry run writes nothing";

    ASSERT_EQ(Shell("python3 utils/genesis-sweep.py test/profiles/dbtools-sweep.yaml --out '" +
                    out + "' --build-dir '" + BuildDir() + "' --jobs 2 > '" + File("sweep.log") +
                    "' 2>&1"),
              0)
        << "see " << File("sweep.log");
    EXPECT_TRUE(Exists(out + "/joblog")) << "not run by GNU parallel";
    SqliteDatabase r(out + "/results.sqlite");
    EXPECT_EQ(r.QueryInt64("SELECT count(*) FROM runs WHERE exit_status = 0 AND collected = 1"), 8);
    EXPECT_EQ(Rows(r,
                   "SELECT run_id, json_extract(parameters, '$.voiceFlows'), "
                   "json_extract(parameters, '$.floodRate'), seed, run FROM runs ORDER BY run_id"),
              "1|2|6Mbps|1|1\n2|2|6Mbps|2|1\n3|2|8Mbps|1|1\n4|2|8Mbps|2|1\n"
              "5|4|6Mbps|1|1\n6|4|6Mbps|2|1\n7|4|8Mbps|1|1\n8|4|8Mbps|2|1\n");
    // Each run's own database: its networks, under its run id.
    EXPECT_EQ(Rows(r,
                   "SELECT count(DISTINCT run_id) FROM networks WHERE name IN ('diffserv', "
                   "'sibling') AND state = 'spawned'"),
              "8\n");
    // The parameters reached the program: the voice flows it reports.
    SqliteStatement q = r.Prepare("SELECT run_id, json_extract(parameters, '$.voiceFlows'), "
                                  "output FROM runs ORDER BY run_id");
    std::vector<std::string> results;
    while (q.Step())
    {
        std::string text = q.GetText(2);
        std::size_t ef = text.find("EF voice");
        ASSERT_NE(ef, std::string::npos) << "run " << q.GetText(0) << ": " << text;
        std::istringstream row(text.substr(ef + 8));
        int flows = 0;
        row >> flows;
        EXPECT_EQ(flows, q.GetInt64(1)) << "run " << q.GetText(0);
        // the per-class table: throughput, delays, losses
        std::size_t end = text.find("\n\n", ef);
        results.push_back(text.substr(ef, end - ef));
    }
    ASSERT_EQ(results.size(), 8u);
    for (std::size_t i = 0; i < 8; i += 2)
    {
        EXPECT_NE(results[i], results[i + 1])
            << "seeds 1 and 2 of runs " << i + 1 << " and " << i + 2 << " gave the same results";
    }
}

// Bad sweep files: the message names file:line:column and the field.
TEST_F(GenesisDbTools, SweepFileErrorsNameLineAndField)
{
    ASSERT_EQ(Shell("python3 -c 'import yaml' 2>/dev/null"), 0) << "python3-yaml is missing";
    const std::string f = File("bad.yaml");
    std::ofstream(f) << "program: genesis-diffserv\ndatabase: db\ngrid:\n  voiceFlows: 2\n";
    const std::string err = File("err.txt");
    EXPECT_EQ(Shell("python3 utils/genesis-sweep.py '" + f + "' --dry-run 2> '" + err + "'"), 2);
    std::ifstream e(err);
    std::string text((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(f + ":4:15: field 'grid.voiceFlows': give a non-empty list"),
              std::string::npos)
        << text;
    std::ofstream(f) << "program: genesis-diffserv\ndatabase: db\nseeds: [1, 0]\n";
    EXPECT_EQ(Shell("python3 utils/genesis-sweep.py '" + f + "' --dry-run 2> '" + err + "'"), 2);
    std::ifstream e2(err);
    text.assign((std::istreambuf_iterator<char>(e2)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(f + ":3:12: field 'seeds': '0' is not an integer >= 1"), std::string::npos)
        << text;
}

// --slurm writes a job array whose task i runs line i of the commands file.
TEST_F(GenesisDbTools, SlurmScriptRunsOneCommandLinePerArrayTask)
{
    ASSERT_EQ(Shell("python3 -c 'import yaml' 2>/dev/null"), 0) << "python3-yaml is missing";
    const std::string out = File("slurm");
    ASSERT_EQ(Shell("python3 utils/genesis-sweep.py test/profiles/dbtools-sweep.yaml --out '" +
                    out + "' --build-dir '" + BuildDir() + "' --slurm >/dev/null"),
              0);
    std::ifstream s(out + "/slurm-array.sh");
    std::string script((std::istreambuf_iterator<char>(s)), std::istreambuf_iterator<char>());
    EXPECT_NE(script.find("#SBATCH --array=1-8\n"), std::string::npos) << script;
    EXPECT_TRUE(Exists(out + "/collect.sh"));
    // Task 3 of the array, run here with bash, runs exactly run 3.
    ASSERT_EQ(Shell("cd '" + out + "' && SLURM_ARRAY_TASK_ID=3 bash slurm-array.sh"), 0);
    EXPECT_TRUE(Exists(out + "/runs/run-0003.sqlite"));
    EXPECT_FALSE(Exists(out + "/runs/run-0002.sqlite"));
    std::ifstream st(out + "/status/run-0003");
    int status = -1;
    st >> status;
    EXPECT_EQ(status, 0);
    // Collecting before every task ran is refused with the run that is missing.
    EXPECT_EQ(Shell("sh '" + out + "/collect.sh' 2>/dev/null"), 3);
    EXPECT_FALSE(Exists(out + "/results.sqlite"));
}

} // namespace
