/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Spawning from profiles with a profile database attached: the rows match the
 * objects (profile -> database -> objects -> database), a refused spawn
 * leaves nothing but its refusal, and a process killed in the middle of a
 * spawn leaves a consistent file holding the state before that spawn.
 */
#include "genesis-test-common.h"

#include "ns3/genesis-spawner.h"
#include "ns3/profile-database.h"
#include "ns3/sqlite-database.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sqlite3.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{
namespace genesis_test
{
namespace
{

std::string
WriteFile(const std::string& name, const std::string& text)
{
    std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << text;
    return path;
}

/// A child of the root from node 0 to node 3 with end hosts on nodes 4 and 5.
const char* VIDEO = R"(schema_version: 1
name: video
address_space: 172.20.0.0/16
capacity: {class: controlled, rate: 3Mbps}
topology:
  routelets:
    - {name: head, node: 0}
    - {name: edge, node: 3}
  links:
    - {name: trunk, ends: [head, edge]}
  hosts:
    - {name: server, node: 4, routelet: head, address: 172.20.1.1}
    - {name: viewer, node: 5, routelet: edge, address: 172.20.2.1}
)";

/// A second child, constant class, routelets on nodes 1 and 2.
const char* DATA = R"(schema_version: 1
name: data
address_space: 172.21.0.0/16
capacity: {class: constant, rate: 2Mbps}
topology:
  routelets: [{name: a, node: 1}, {name: b, node: 2}]
  links: [{name: ab, ends: [a, b]}]
)";

/**
 * The network of these tests: a chain n0 - n1 - n2 - n3 of 10 Mbit/s links
 * and hosts n4 (on n0) and n5 (on n3), all Genesis routers, with a database.
 */
struct DbNet
{
    NodeContainer nodes;
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
    Ptr<GenesisProfileDatabase> db;
    Ptr<GenesisSpawner> spawner;

    explicit DbNet(const std::string& dbPath)
    {
        nodes.Create(6);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
        const uint32_t ends[][2] = {{0, 1}, {1, 2}, {2, 3}, {0, 4}, {3, 5}};
        for (const auto& e : ends)
        {
            addr.Assign(p2p.Install(nodes.Get(e[0]), nodes.Get(e[1])));
            addr.NewNetwork();
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        root = genesis.Install(nodes);
        db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(dbPath));
        db->Open();
        db->Attach(root);
        spawner = genesis.GetSpawner();
        spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
        spawner->SetDatabase(db);
    }
};

/// Rows of each table of a SqliteDatabase::Dump, as "table" -> row lines.
std::map<std::string, std::multiset<std::string>>
ParseDump(const std::string& dump)
{
    std::map<std::string, std::multiset<std::string>> tables;
    std::istringstream in(dump);
    std::string line;
    std::string table;
    std::vector<std::pair<std::string, std::string>> rows;
    while (std::getline(in, line))
    {
        if (line.rfind("TABLE ", 0) == 0)
        {
            table = line.substr(6, line.find('(') - 6);
            tables[table];
        }
        else if (!rows.empty() &&
                 std::count(rows.back().second.begin(), rows.back().second.end(), '\'') % 2)
        {
            // The previous row has an open quote: a text value with line breaks
            // (quote() doubles the quotes inside a value, so the parity holds).
            rows.back().second += "\n" + line;
        }
        else if (!line.empty())
        {
            rows.emplace_back(table, line);
        }
    }
    for (const auto& [t, row] : rows)
    {
        tables[t].insert(row);
    }
    return tables;
}

/// Rows in \p after and not in \p before, and the other way round, per table.
std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>>
DiffDumps(const std::string& before, const std::string& after)
{
    auto b = ParseDump(before);
    auto a = ParseDump(after);
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> d;
    for (auto& [table, rows] : a)
    {
        for (const auto& r : rows)
        {
            auto it = b[table].find(r);
            if (it == b[table].end())
            {
                d[table].first.push_back(r);
            }
            else
            {
                b[table].erase(it);
            }
        }
    }
    for (auto& [table, rows] : b)
    {
        for (const auto& r : rows)
        {
            d[table].second.push_back(r);
        }
    }
    return d;
}

class SpawnDbTest : public GenesisSimTest
{
  protected:
    std::string DbPath(const std::string& name) const
    {
        return ::testing::TempDir() + "/" + name;
    }
};

TEST_F(SpawnDbTest, RowsMatchTheObjectsSpawnedFromTheProfileAndTheTeardown)
{
    DbNet n(DbPath("spawn-db-roundtrip.sqlite"));
    std::string profilePath = WriteFile("spawn-db-video.yaml", VIDEO);
    Ptr<VirtualNetwork> net = n.spawner->SpawnFile(profilePath, n.root);
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    SqliteDatabase& q = n.db->GetConnection();
    const std::string id = std::to_string(net->GetId());

    // networks: one row as the profile says, under the root.
    EXPECT_EQ(q.QueryText("SELECT state FROM networks WHERE name = 'video'"), "spawned");
    EXPECT_EQ(q.QueryInt64("SELECT network_id FROM networks WHERE name = 'video'"), net->GetId());
    EXPECT_EQ(q.QueryInt64("SELECT parent_id FROM networks WHERE name = 'video'"), n.root->GetId());
    EXPECT_EQ(q.QueryText("SELECT class FROM networks WHERE name = 'video'"), "controlled");
    EXPECT_EQ(q.QueryInt64("SELECT rate_bps FROM networks WHERE name = 'video'"), 3000000);
    EXPECT_EQ(q.QueryText("SELECT ipv4_base FROM networks WHERE name = 'video'"), "172.20.0.0");
    EXPECT_EQ(q.QueryInt64("SELECT ipv4_prefix FROM networks WHERE name = 'video'"), 16);
    // The stored profile is the text the network was spawned from.
    EXPECT_EQ(q.QueryText("SELECT profile_text FROM networks WHERE name = 'video'"), VIDEO);

    // routelets: one row per routelet object, same host and routelet node.
    ASSERT_EQ(q.QueryInt64("SELECT COUNT(*) FROM routelets WHERE network_id = " + id),
              static_cast<int64_t>(net->GetRoutelets().size()));
    for (std::size_t i = 0; i < net->GetRoutelets().size(); ++i)
    {
        Ptr<Routelet> r = net->GetRoutelets()[i];
        const std::string where =
            " FROM routelets WHERE network_id = " + id + " AND position = " + std::to_string(i);
        EXPECT_EQ(q.QueryInt64("SELECT host_node_id" + where), r->GetHost()->GetId()) << i;
        EXPECT_EQ(q.QueryInt64("SELECT routelet_node_id" + where), r->GetNode()->GetId()) << i;
    }
    // vlinks: one row per link object (the trunk; access links of end hosts
    // are no VirtualLinks), same ends, rate and host path.
    ASSERT_EQ(q.QueryInt64("SELECT COUNT(*) FROM vlinks WHERE network_id = " + id),
              static_cast<int64_t>(net->GetLinks().size()));
    EXPECT_EQ(net->GetLinks().size(), 1U);
    for (const auto& l : net->GetLinks())
    {
        const std::string where = " FROM vlinks WHERE link_id = " + std::to_string(l->GetId());
        EXPECT_EQ(q.QueryInt64("SELECT network_id" + where), net->GetId());
        EXPECT_EQ(q.QueryInt64("SELECT end_a_host" + where), l->GetEndA()->GetHost()->GetId());
        EXPECT_EQ(q.QueryInt64("SELECT end_b_host" + where), l->GetEndB()->GetHost()->GetId());
        EXPECT_EQ(q.QueryInt64("SELECT rate_bps" + where),
                  static_cast<int64_t>(l->GetRate().GetBitRate()));
        std::string hosts;
        for (const auto& h : l->GetHostPath())
        {
            hosts += (hosts.empty() ? "" : " ") + std::to_string(h->GetId());
        }
        std::string stored = q.QueryText("SELECT host_path" + where);
        for (char& ch : stored)
        {
            ch = (ch == ',') ? ' ' : ch;
        }
        EXPECT_EQ(stored, hosts);
    }
    // The trunk crosses n0 - n1 - n2 - n3.
    EXPECT_EQ(net->GetLinks()[0]->GetHostPath().size(), 4U);

    // reservations: a row exactly for each device the network holds a slice
    // of, with the rate reserved there.
    int64_t held = 0;
    for (uint32_t i = 0; i < n.nodes.GetN(); ++i)
    {
        Ptr<Node> node = n.nodes.Get(i);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<NetDevice> dev = node->GetDevice(d);
            const std::string where = " FROM reservations WHERE network_id = " + id +
                                      " AND node_id = " + std::to_string(i) +
                                      " AND device_index = " + std::to_string(d);
            if (net->GetArbitrator(dev))
            {
                ++held;
                EXPECT_EQ(q.QueryInt64("SELECT rate_bps" + where),
                          static_cast<int64_t>(net->GetReservedRate(dev).GetBitRate()))
                    << i << "/" << d;
                EXPECT_EQ(q.QueryInt64("SELECT COUNT(*)" + where + " AND released_at_ns IS NULL"),
                          1)
                    << i << "/" << d;
            }
            else
            {
                EXPECT_EQ(q.QueryInt64("SELECT COUNT(*)" + where), 0) << i << "/" << d;
            }
        }
    }
    // Trunk: 3 devices each way; access links: n4->n0, n0->n4, n3->n5, n5->n3.
    EXPECT_EQ(held, 10);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM reservations WHERE network_id = " + id), held);
    // The root's allocation on n0 -> n1 lost exactly the child's reservation.
    EXPECT_EQ(
        q.QueryInt64("SELECT residual_bps FROM allocations WHERE network_id = " +
                     std::to_string(n.root->GetId()) + " AND node_id = 0 AND device_index = 1"),
        static_cast<int64_t>(
            n.root->GetArbitrator(n.nodes.Get(0)->GetDevice(1))->GetResidualRate().GetBitRate()));

    // Teardown is recorded: state, time, every reservation released.
    Simulator::Schedule(Seconds(1), [net]() { net->Teardown(); });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(q.QueryText("SELECT state FROM networks WHERE name = 'video'"), "torn_down");
    EXPECT_EQ(q.QueryInt64("SELECT torn_down_at_ns FROM networks WHERE name = 'video'"),
              1000000000);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM reservations WHERE network_id = " + id +
                           " AND released_at_ns = 1000000000"),
              held);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM allocations WHERE network_id = " + id), 0);
    EXPECT_EQ(q.QueryText("PRAGMA foreign_key_check"), "");
}

TEST_F(SpawnDbTest, VerifierRefusalAddsOnlyTheRefusalRow)
{
    DbNet n(DbPath("spawn-db-refused.sqlite"));
    n.spawner->SpawnFile(WriteFile("spawn-db-video2.yaml", VIDEO), n.root);
    std::string before = n.db->Dump();
    // 9 Mbit/s more on n0 -> n1, which has 7 left: the verifier refuses it.
    std::string big = std::string(DATA);
    big.replace(big.find("2Mbps"), 5, "9Mbps");
    big.replace(big.find("node: 1"), 7, "node: 0");
    EXPECT_THROW(n.spawner->SpawnFile(WriteFile("spawn-db-big.yaml", big), n.root), GenesisError);
    auto diff = DiffDumps(before, n.db->Dump());
    for (const auto& [table, d] : diff)
    {
        EXPECT_TRUE(d.second.empty()) << "rows removed from " << table << ": " << d.second[0];
        if (table != "refusals")
        {
            EXPECT_TRUE(d.first.empty()) << "rows added to " << table << ": " << d.first[0];
        }
    }
    ASSERT_EQ(diff["refusals"].first.size(), 1U) << "the refusal is not recorded";
    EXPECT_NE(diff["refusals"].first[0].find("'data'"), std::string::npos)
        << diff["refusals"].first[0];
    EXPECT_NE(diff["refusals"].first[0].find("unreserved"), std::string::npos)
        << diff["refusals"].first[0];
}

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST_F(SpawnDbTest, BindPhaseFailureAddsOnlyTheRefusal)
{
    // Two queue discs on one port: found in the bind phase, after the
    // reservation and the construction of the routelets.
    std::string late = std::string(DATA) + R"(modules:
  - {category: processor, routelet: a, type: ns3::TbfQueueDisc}
  - {category: processor, link: ab, type: ns3::RedQueueDisc}
)";
    std::string video = WriteFile("spawn-db-video3.yaml", VIDEO);
    std::string latePath = WriteFile("spawn-db-late.yaml", late);
    std::string beforePath = DbPath("spawn-db-late-before.txt");
    std::string afterPath = DbPath("spawn-db-late-after.txt");
    std::string phasesPath = DbPath("spawn-db-late-phases.txt");
    std::remove(afterPath.c_str());
    // In a forked process, so that a crash in the rollback fails this test
    // instead of ending the test program.
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0)
    {
        try
        {
            DbNet n(DbPath("spawn-db-late.sqlite"));
            n.spawner->SpawnFile(video, n.root);
            std::ofstream(beforePath) << n.db->Dump();
            std::vector<std::string> phases;
            n.spawner->TraceConnectWithoutContext("SpawnPhase",
                                                  MakeCallback(+[](std::vector<std::string>* v,
                                                                   const std::string&,
                                                                   const std::string& p,
                                                                   Time) {
                                                      v->push_back(p);
                                                  }).Bind(&phases));
            bool threw = false;
            try
            {
                n.spawner->SpawnFile(latePath, n.root);
            }
            catch (const GenesisError&)
            {
                threw = true;
            }
            {
                std::ofstream out(phasesPath); // closed before _exit, which flushes nothing
                for (const auto& p : phases)
                {
                    out << p << "\n";
                }
            }
            std::ofstream(afterPath) << n.db->Dump();
            _exit(threw ? 0 : 4);
        }
        catch (...)
        {
            _exit(2);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status))
        << "the spawner process died of signal " << WTERMSIG(status)
        << " while rolling back a bind-phase failure with a database attached";
    ASSERT_EQ(WEXITSTATUS(status), 0) << "4: the spawn was not refused; 2: setup failed";
    std::string phases = ReadFile(phasesPath);
    EXPECT_NE(phases.find("bind\nabort\n"), std::string::npos) << phases;
    auto diff = DiffDumps(ReadFile(beforePath), ReadFile(afterPath));
    for (const auto& [table, d] : diff)
    {
        EXPECT_TRUE(d.second.empty()) << "rows removed from " << table << ": " << d.second[0];
        if (table == "refusals")
        {
            continue;
        }
        if (table == "networks")
        {
            // The refusal names its network: a row in state defined, nothing else.
            ASSERT_EQ(d.first.size(), 1U);
            EXPECT_NE(d.first[0].find("'data'"), std::string::npos) << d.first[0];
            EXPECT_EQ(d.first[0].find("'spawned'"), std::string::npos) << d.first[0];
            continue;
        }
        EXPECT_TRUE(d.first.empty()) << "rows added to " << table << ": " << d.first[0];
    }
    ASSERT_EQ(diff["refusals"].first.size(), 1U);
    EXPECT_NE(diff["refusals"].first[0].find("two queue-disc modules"), std::string::npos)
        << diff["refusals"].first[0];
}

/// How the forked child dies in the middle of spawning "data".
enum class KillAt
{
    CONSTRUCT_PHASE, //!< in the spawner's SpawnPhase trace, phase construct
    COMMIT_PHASE,    //!< in the spawner's SpawnPhase trace, phase commit (before SpawnCommit)
    DB_TRANSACTION,  //!< inside the database's spawn transaction, at its first routelets row
};

void
KillOnPhase(std::string phase, const std::string& network, const std::string& p, Time)
{
    if (network == "data" && p == phase)
    {
        raise(SIGKILL);
    }
}

void
KillOnRouteletRow(void*, int, const char*, const char* table, sqlite3_int64)
{
    if (std::string(table) == "routelets")
    {
        raise(SIGKILL);
    }
}

/**
 * Fork a process that spawns "video" (committed) and then "data", and dies
 * by SIGKILL at \p at in the middle of data's spawn.
 * \return the database file
 */
std::string
SpawnAndKill(const std::string& dbPath, KillAt at)
{
    std::string video = WriteFile("spawn-db-kill-video.yaml", VIDEO);
    std::string data = WriteFile("spawn-db-kill-data.yaml", DATA);
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0)
    {
        try
        {
            DbNet n(dbPath);
            n.spawner->SpawnFile(video, n.root);
            switch (at)
            {
            case KillAt::CONSTRUCT_PHASE:
                n.spawner->TraceConnectWithoutContext(
                    "SpawnPhase",
                    MakeBoundCallback(&KillOnPhase, std::string("construct")));
                break;
            case KillAt::COMMIT_PHASE:
                n.spawner->TraceConnectWithoutContext(
                    "SpawnPhase",
                    MakeBoundCallback(&KillOnPhase, std::string("commit")));
                break;
            case KillAt::DB_TRANSACTION:
                sqlite3_update_hook(n.db->GetConnection().GetHandle(), &KillOnRouteletRow, nullptr);
                break;
            }
            n.spawner->SpawnFile(data, n.root);
        }
        catch (...)
        {
            _exit(2);
        }
        _exit(3); // not killed: the test fails on the exit status
    }
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child was not killed mid-spawn; exit status " << WEXITSTATUS(status);
    return dbPath;
}

/// The file is intact and holds video spawned and nothing of data.
void
ExpectConsistentAfterKill(const std::string& path)
{
    SqliteDatabase q(path);
    EXPECT_EQ(q.QueryText("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(q.QueryText("PRAGMA foreign_key_check"), "");
    EXPECT_EQ(q.QueryText("SELECT state FROM networks WHERE name = 'video'"), "spawned");
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM networks WHERE name = 'data'"), 0);
    // No half-spawned network: every spawned child has its routelets, links
    // and reservations, and no detail row belongs to a network not spawned.
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM networks n WHERE n.state = 'spawned' AND "
                           "n.parent_id IS NOT NULL AND (NOT EXISTS (SELECT 1 FROM routelets r "
                           "WHERE r.network_id = n.network_id) OR NOT EXISTS (SELECT 1 FROM "
                           "vlinks l WHERE l.network_id = n.network_id) OR NOT EXISTS (SELECT 1 "
                           "FROM reservations s WHERE s.network_id = n.network_id))"),
              0);
    for (const char* table : {"routelets", "vlinks", "reservations", "edges"})
    {
        EXPECT_EQ(q.QueryInt64(std::string("SELECT COUNT(*) FROM ") + table +
                               " t WHERE NOT EXISTS (SELECT 1 FROM networks n WHERE "
                               "n.network_id = t.network_id AND n.state = 'spawned')"),
                  0)
            << table;
    }
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM routelets r JOIN networks n USING "
                           "(network_id) WHERE n.name = 'video'"),
              2);
    EXPECT_EQ(q.QueryInt64("SELECT COUNT(*) FROM vlinks l JOIN networks n USING "
                           "(network_id) WHERE n.name = 'video'"),
              1);
    // The root's residual on n0 -> n1 is the link less video's 3 Mbit/s.
    EXPECT_EQ(q.QueryInt64("SELECT a.residual_bps FROM allocations a JOIN networks n USING "
                           "(network_id) WHERE n.parent_id IS NULL AND a.node_id = 0 AND "
                           "a.device_index = 1"),
              7000000);
}

TEST_F(SpawnDbTest, KilledInTheConstructPhaseLeavesTheStateBefore)
{
    ExpectConsistentAfterKill(
        SpawnAndKill(DbPath("spawn-db-kill-construct.sqlite"), KillAt::CONSTRUCT_PHASE));
}

TEST_F(SpawnDbTest, KilledAtTheCommitPhaseLeavesTheStateBefore)
{
    ExpectConsistentAfterKill(
        SpawnAndKill(DbPath("spawn-db-kill-commit.sqlite"), KillAt::COMMIT_PHASE));
}

TEST_F(SpawnDbTest, KilledInsideTheDatabaseTransactionLeavesTheStateBefore)
{
    ExpectConsistentAfterKill(
        SpawnAndKill(DbPath("spawn-db-kill-tx.sqlite"), KillAt::DB_TRANSACTION));
}

} // namespace
} // namespace genesis_test
} // namespace ns3
