/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Pictures and the run report: Graphviz DOT of the network tree and of each
 * network's topology (from the live tree and from the run database), the
 * self-contained HTML report of a real run, its plots, its errors on bad
 * databases, older databases without the optional tables, and a rendering in
 * headless Chromium checked from the screenshot's pixels and the DOM.
 */
#include "genesis-test-common.h"

#include "ns3/genesis-graphviz.h"
#include "ns3/genesis-report.h"
#include "ns3/genesis-spawner.h"
#include "ns3/profile-database.h"
#include "ns3/sqlite-database.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{
namespace genesis_test
{
namespace
{

std::string
Tmp(const std::string& name)
{
    return ::testing::TempDir() + "/" + name;
}

std::string
WriteFile(const std::string& name, const std::string& text)
{
    std::string path = Tmp(name);
    std::ofstream(path) << text;
    return path;
}

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

std::size_t
Count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + what.size()))
    {
        ++n;
    }
    return n;
}

/// Video: controlled 3 Mbit/s from n0 to n3 (three 2 ms hops), end hosts n4 and n5.
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

/// Data: constant 2 Mbit/s between n1 and n2.
const char* DATA = R"(schema_version: 1
name: data
address_space: 172.21.0.0/16
capacity: {class: constant, rate: 2Mbps}
topology:
  routelets: [{name: a, node: 1}, {name: b, node: 2}]
  links: [{name: ab, ends: [a, b]}]
)";

/// Bulk: 8 Mbit/s where video holds 3 of 10: refused by admission.
const char* BULK = R"(schema_version: 1
name: bulk
address_space: 172.22.0.0/16
capacity: {class: controlled, rate: 8Mbps}
topology:
  routelets: [{name: x, node: 0}, {name: y, node: 1}]
  links: [{name: xy, ends: [x, y]}]
)";

/**
 * A real run recorded in a database: a chain n0 - n1 - n2 - n3 of 10 Mbit/s,
 * 2 ms links, hosts n4 (on n0) and n5 (on n3). video spawns at 1 s and
 * carries a 2 Mbit/s UDP flow from n4 to n5 from 1.5 s; data spawns at 2 s;
 * bulk is refused at 3 s; video's trunk is re-provisioned from 3 to 4 Mbit/s
 * at 4 s; data is torn down at 5 s; the run stops at 6 s. Every 0.5 s the
 * bytes received by video's sink are recorded as statistics.
 */
struct ReportRun
{
    NodeContainer nodes;
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
    Ptr<GenesisProfileDatabase> db;
    Ptr<PacketSink> sink;
    std::string path;
    std::string liveTree; //!< TreeDot of the live tree at 4.5 s
    std::string dbTree;   //!< TreeDot of the database at 4.5 s
    /// Per 0.5 s interval ending at t: (t in ns, bytes received in the interval).
    std::vector<std::pair<int64_t, uint64_t>> intervals;

    explicit ReportRun(const std::string& dbPath)
        : path(dbPath)
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
        Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
        spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
        spawner->SetDatabase(db);
        genesis.Spawn(Seconds(1), WriteFile("report-video.yaml", VIDEO));
        genesis.Spawn(Seconds(2), WriteFile("report-data.yaml", DATA));
        genesis.Spawn(Seconds(3), WriteFile("report-bulk.yaml", BULK));
        Ptr<VirtualNetwork> r = root;
        Simulator::Schedule(Seconds(4), [r]() {
            Ptr<VirtualNetwork> v = r->FindNetwork("video");
            v->SetLinkRate(v->GetLinks().front(), DataRate("4Mbps"));
        });
        Simulator::Schedule(Seconds(5), [r]() { r->FindNetwork("data")->Teardown(); });
        // Both pictures of the tree while video and data run.
        Simulator::Schedule(Seconds(4.5), [this]() {
            liveTree = GenesisGraphviz::TreeDot(root);
            dbTree = GenesisGraphviz::TreeDot(db->GetConnection());
        });

        OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address("172.20.2.1"), 9));
        onoff.SetConstantRate(DataRate("2Mbps"), 1000);
        ApplicationContainer a = onoff.Install(nodes.Get(4));
        a.Start(Seconds(1.5));
        a.Stop(Seconds(5.5));
        PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), 9));
        sink = DynamicCast<PacketSink>(sinkHelper.Install(nodes.Get(5)).Get(0));
        for (int i = 1; i <= 12; ++i)
        {
            Simulator::Schedule(Seconds(0.5 * i), &ReportRun::Sample, this);
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();
    }

    void Sample()
    {
        uint64_t total = sink->GetTotalRx();
        uint64_t before = 0;
        for (const auto& iv : intervals)
        {
            before += iv.second;
        }
        intervals.emplace_back(Simulator::Now().GetNanoSeconds(), total - before);
        Ptr<VirtualNetwork> v = root->FindNetwork("video");
        if (v && v->GetState() == VirtualNetwork::SPAWNED)
        {
            db->RecordStatistic(v->GetId(), "rx-bytes", static_cast<double>(total));
            db->RecordStatistic(v->GetId(), "throughput-mbps", (total - before) * 8.0 / 0.5 / 1e6);
        }
    }
};

/**
 * STAND-IN monitor and auction rows: this scenario runs no maestro, so its
 * link_stats and bids tables (schema 3) are empty; they are filled here from
 * \p run's real numbers — video's received bytes per interval and its real
 * reservation on n0's device towards n1 before and after the re-provisioning
 * at 4 s. The allocation_changes and changes rows are the run's own (written
 * by the database when the trunk is re-provisioned, networks spawn and are
 * torn down). ReportOfAMarketRunPlotsItsMonitorsAndAuctions checks the
 * report of a real maestro's rows (a genesis-market run).
 */
void
AddStandInManagementTables(ReportRun& run)
{
    SqliteDatabase db(run.path);
    db.Exec(R"SQL(
CREATE TABLE IF NOT EXISTS link_stats(network_id INTEGER, node_id INTEGER, device_index INTEGER,
  time_ns INTEGER, interval_ns INTEGER, tx_bytes INTEGER, tx_packets INTEGER, drops INTEGER,
  policed INTEGER, rate_bps REAL, allocated_bps INTEGER, mean_delay_ns REAL NULL);
CREATE TABLE IF NOT EXISTS allocation_changes(change_id INTEGER PRIMARY KEY, time_ns INTEGER,
  network_id INTEGER, node_id INTEGER, device_index INTEGER, old_bps INTEGER, new_bps INTEGER,
  cause TEXT);
CREATE TABLE IF NOT EXISTS bids(bid_id INTEGER PRIMARY KEY, time_ns INTEGER, auction_network_id INTEGER,
  bidder_network_id INTEGER, price REAL, quantity_bps INTEGER, allocated_bps INTEGER,
  payment REAL);
CREATE TABLE IF NOT EXISTS changes(change_id INTEGER PRIMARY KEY, time_ns INTEGER, network_id INTEGER,
  kind TEXT, target TEXT, old_value TEXT, new_value TEXT);
)SQL");
    const int64_t video = db.QueryInt64("SELECT network_id FROM networks WHERE name = 'video'");
    const int64_t data = db.QueryInt64("SELECT network_id FROM networks WHERE name = 'data'");
    // The real reservation of video on n0/1, from the database (4 Mbit/s at the end).
    const int64_t finalBps = db.QueryInt64(
        "SELECT rate_bps FROM reservations WHERE network_id = " + std::to_string(video) +
        " AND node_id = 0 AND device_index = 1");
    SqliteStatement ls =
        db.Prepare("INSERT INTO link_stats(network_id, node_id, device_index, time_ns, "
                   "interval_ns, tx_bytes, tx_packets, drops, policed, rate_bps, allocated_bps, "
                   "mean_delay_ns) VALUES (?, 0, 1, ?, 500000000, ?, ?, 0, 0, ?, ?, ?)");
    for (const auto& [t, bytes] : run.intervals)
    {
        if (t <= 1000000000)
        {
            continue; // video spawns at 1 s
        }
        int64_t alloc = t <= 4000000000 ? 3000000 : finalBps;
        ls.Bind(1, video)
            .Bind(2, t)
            .Bind(3, static_cast<int64_t>(bytes))
            .Bind(4, static_cast<int64_t>(bytes / 1028)) // 1000-byte payload + UDP/IP headers
            .Bind(5, bytes * 8.0 / 0.5)
            .Bind(6, alloc);
        // Delay on three 2 ms hops plus serialisation of 1028 bytes at 10 Mbit/s on each.
        bytes ? ls.Bind(7, 3 * (2e6 + 1028 * 8 / 10e6 * 1e9)) : ls.BindNull(7);
        ls.Run();
        ls.Reset();
    }
    SqliteStatement b = db.Prepare("INSERT INTO bids(time_ns, auction_network_id, "
                                   "bidder_network_id, price, quantity_bps, allocated_bps, "
                                   "payment) VALUES (?, 0, ?, ?, ?, ?, ?)");
    for (int64_t t : {2000000000LL, 4000000000LL})
    {
        int64_t v = t < 4000000000LL ? 3000000 : finalBps;
        b.Bind(1, t).Bind(2, video).Bind(3, 1.0).Bind(4, v).Bind(5, v).Bind(6, v / 1e6);
        b.Run();
        b.Reset();
        b.Bind(1, t)
            .Bind(2, data)
            .Bind(3, 0.5)
            .Bind(4, int64_t(2000000))
            .Bind(5, int64_t(2000000))
            .Bind(6, 1.0);
        b.Run();
        b.Reset();
    }
}

class ReportTest : public GenesisSimTest
{
};

/// The points of the polyline with data-name \p name in \p svg.
std::vector<std::pair<double, double>>
PolylinePoints(const std::string& svg, const std::string& name)
{
    std::vector<std::pair<double, double>> pts;
    std::size_t at = svg.find("data-name=\"" + name + "\"");
    if (at == std::string::npos)
    {
        return pts;
    }
    std::size_t p = svg.find("points=\"", at) + 8;
    std::istringstream in(svg.substr(p, svg.find('"', p) - p));
    std::string xy;
    while (in >> xy)
    {
        pts.emplace_back(std::stod(xy.substr(0, xy.find(','))),
                         std::stod(xy.substr(xy.find(',') + 1)));
    }
    return pts;
}

// ---------------------------------------------------------------- Graphviz

TEST_F(ReportTest, TreeDotFromTheLiveTreeEqualsTheTreeDotFromTheDatabase)
{
    ReportRun run(Tmp("report-tree.sqlite"));
    // While video and data run (4.5 s) the two pictures are the same text.
    EXPECT_EQ(run.liveTree, run.dbTree);
    EXPECT_EQ(Count(run.liveTree, "->"), 2u); // one edge per child
    Ptr<VirtualNetwork> video = run.root->FindNetwork("video");
    EXPECT_NE(run.liveTree.find("net0->net" + std::to_string(video->GetId())), std::string::npos)
        << run.liveTree;
    EXPECT_NE(run.liveTree.find("video\\ncontrolled 3Mbps\\nspawned"), std::string::npos);
    EXPECT_NE(run.liveTree.find("data\\nconstant 2Mbps\\nspawned"), std::string::npos);
    // At the end the live tree has lost data (torn down); the database keeps
    // it, drawn dashed. bulk was refused by the verifier before it existed.
    std::string live = GenesisGraphviz::TreeDot(run.root);
    std::string fromDb = GenesisGraphviz::TreeDot(run.db->GetConnection());
    EXPECT_EQ(Count(live, "->"), 1u);
    EXPECT_EQ(Count(fromDb, "->"), 2u);
    std::size_t at = fromDb.find("data\\nconstant 2Mbps\\ntorn_down\", style=\"rounded,dashed\"");
    EXPECT_NE(at, std::string::npos) << fromDb;
    EXPECT_EQ(fromDb.find("bulk"), std::string::npos);
}

TEST_F(ReportTest, TopologyDotShowsRouteletsLinksWithRateAndPathDelayAndEndHosts)
{
    ReportRun run(Tmp("report-topo.sqlite"));
    Ptr<VirtualNetwork> video = run.root->FindNetwork("video");
    std::string live = GenesisGraphviz::TopologyDot(video);
    std::string fromDb = GenesisGraphviz::TopologyDot(run.db->GetConnection(), video->GetId());
    // The trunk n0 - n3 crosses three 2 ms links; re-provisioned to 4 Mbit/s at 4 s.
    EXPECT_NE(live.find("n0--n3 [label=\"4Mbps, 6ms\"]"), std::string::npos) << live;
    EXPECT_NE(fromDb.find("n0--n3 [label=\"4Mbps, 6ms\"]"), std::string::npos) << fromDb;
    EXPECT_NE(live.find("n0[label=\"on n0\"]"), std::string::npos) << live;
    EXPECT_NE(live.find("n3[label=\"on n3\"]"), std::string::npos) << live;
    // End hosts: in the live picture only (the database has no end-host table).
    EXPECT_NE(live.find("host_server"), std::string::npos);
    EXPECT_NE(live.find("n3--host_viewer"), std::string::npos) << live;
    EXPECT_EQ(fromDb.find("host_"), std::string::npos);
    // The root: the five physical links once each, 10 Mbit/s, 2 ms.
    std::string phys = GenesisGraphviz::TopologyDot(run.root);
    EXPECT_EQ(Count(phys, "[label=\"10Mbps, 2ms\"]"), 5u) << phys;
    EXPECT_EQ(phys, GenesisGraphviz::TopologyDot(run.db->GetConnection(), 0));
    EXPECT_THROW(GenesisGraphviz::TopologyDot(run.db->GetConnection(), 999), GenesisError);
}

TEST_F(ReportTest, DotLaysOutThePicturesAndWriteAllWritesEveryFile)
{
    ASSERT_TRUE(GenesisGraphviz::HaveDot())
        << "Graphviz dot is missing: install the Debian package graphviz";
    ReportRun run(Tmp("report-dot.sqlite"));
    std::string svg = GenesisGraphviz::ToSvg(GenesisGraphviz::TreeDot(run.db->GetConnection()));
    for (const char* name : {"root", "video", "data"})
    {
        EXPECT_NE(svg.find(std::string(">") + name + "</text>"), std::string::npos) << name;
    }
    std::string prefix = Tmp("report-pics-");
    std::vector<std::string> files = GenesisGraphviz::WriteAll(run.root, prefix);
    // tree + root + video (data torn down, bulk refused), each .dot and .svg
    std::set<std::string> expected;
    for (const char* f : {"tree", "net-root", "net-video"})
    {
        expected.insert(prefix + f + ".dot");
        expected.insert(prefix + f + ".svg");
    }
    EXPECT_EQ(std::set<std::string>(files.begin(), files.end()), expected);
    for (const auto& f : files)
    {
        struct stat st;
        ASSERT_EQ(::stat(f.c_str(), &st), 0) << f;
        EXPECT_GT(st.st_size, 100) << f;
    }
    EXPECT_THROW(GenesisGraphviz::ToSvg("digraph { this is not dot"), GenesisError);
}

TEST_F(ReportTest, WithoutDotOnThePathSvgFailsNamingTheGraphvizPackage)
{
    std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", "/nonexistent", 1);
    bool have = GenesisGraphviz::HaveDot();
    std::string msg;
    try
    {
        GenesisGraphviz::ToSvg("digraph { a -> b }");
    }
    catch (const GenesisError& e)
    {
        msg = e.what();
    }
    setenv("PATH", saved.c_str(), 1);
    EXPECT_FALSE(have);
    EXPECT_NE(msg.find("graphviz"), std::string::npos) << msg;
}

// ---------------------------------------------------------------- plots

TEST_F(ReportTest, NiceTicksCoverTheRangeOnAOneTwoFiveGrid)
{
    EXPECT_EQ(GenesisReport::NiceTicks(0, 7.3, 6), (std::vector<double>{0, 2, 4, 6, 8}));
    EXPECT_EQ(GenesisReport::NiceTicks(0, 10, 6), (std::vector<double>{0, 2, 4, 6, 8, 10}));
    std::vector<double> t = GenesisReport::NiceTicks(0.013, 0.048, 5);
    ASSERT_GE(t.size(), 2u);
    EXPECT_LE(t.front(), 0.013);
    EXPECT_GE(t.back(), 0.048);
    EXPECT_LE(t.size(), 5u);
    double step = t[1] - t[0];
    double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
    EXPECT_TRUE(std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 ||
                std::fabs(mantissa - 5) < 1e-9)
        << step;
    // One value: a range around it, not a zero-width axis.
    std::vector<double> one = GenesisReport::NiceTicks(3, 3, 6);
    EXPECT_LT(one.front(), 3);
    EXPECT_GT(one.back(), 3);
}

TEST_F(ReportTest, PlotMapsDataOntoTheAxesAndLabelsThem)
{
    GenesisPlot p;
    p.title = "t";
    p.xLabel = "time (s)";
    p.yLabel = "rate (Mbit/s)";
    p.width = 600;
    p.height = 300;
    p.series.push_back({"a", {{0, 0}, {5, 4}, {10, 8}}, "", false, false, false});
    std::string svg = GenesisReport::RenderPlot(p);
    auto pts = PolylinePoints(svg, "a");
    ASSERT_EQ(pts.size(), 3u);
    // Linear: the middle point is halfway between the ends on both axes.
    EXPECT_NEAR(pts[1].first, (pts[0].first + pts[2].first) / 2, 0.02);
    EXPECT_NEAR(pts[1].second, (pts[0].second + pts[2].second) / 2, 0.02);
    // y grows upwards; ticks 0..8 and 0..10 end exactly at the data: the
    // last point is the top-right corner of the axes.
    EXPECT_LT(pts[2].second, pts[0].second);
    EXPECT_NE(svg.find(">time (s)</text>"), std::string::npos);
    EXPECT_NE(svg.find(">rate (Mbit/s)</text>"), std::string::npos);
    EXPECT_NE(svg.find("class=\"xtick\""), std::string::npos);
    EXPECT_NE(svg.find(">10</text>"), std::string::npos);
    EXPECT_NE(svg.find(">8</text>"), std::string::npos);
    EXPECT_NE(svg.find("<g class=\"legend\""), std::string::npos);
    // Text is escaped.
    p.title = "a<b & \"c\"";
    EXPECT_NE(GenesisReport::RenderPlot(p).find("a&lt;b &amp; &quot;c&quot;"), std::string::npos);
}

// ---------------------------------------------------------------- the report

TEST_F(ReportTest, ReportOfARealRunHasEverySectionAndIsSelfContained)
{
    ReportRun run(Tmp("report-run.sqlite"));
    run.db->Close();
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    report->Open(run.path);
    std::string html = report->Render();
    // Self-contained: no scripts, no external resources.
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find(" src="), std::string::npos);
    EXPECT_EQ(html.find("href=\"http"), std::string::npos);
    EXPECT_EQ(html.find("url(http"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    // The tree (laid out by dot: its node titles), the timeline, the plots.
    EXPECT_NE(html.find("<h2 id=\"tree\">"), std::string::npos);
    EXPECT_NE(html.find("<svg class=\"genesis-timeline\""), std::string::npos);
    // rx-bytes, throughput-mbps, and the allocations the trunk's re-provisioning changed
    EXPECT_EQ(Count(html, "<svg class=\"genesis-plot\""), 3u);
    // Tables of the maestro, empty in this run (no maestro), are said to be empty.
    EXPECT_NE(html.find("No monitor data"), std::string::npos);
    EXPECT_NE(html.find("No auction data"), std::string::npos);
    // The run's own allocation changes and run-time changes are listed.
    EXPECT_EQ(html.find("No allocation changes"), std::string::npos);
    EXPECT_EQ(html.find("No run-time changes"), std::string::npos);
    EXPECT_NE(html.find("<td>reprovision</td>"), std::string::npos);
    EXPECT_NE(html.find("<td>spawn</td>"), std::string::npos);
    EXPECT_NE(html.find("<td>teardown</td>"), std::string::npos);
    // Events in time order: video spawned (1 s), data (2 s), bulk refused (3 s), data torn down (5
    // s).
    std::size_t a = html.find("<td>video</td><td>spawned</td>");
    std::size_t b = html.find("<td>data</td><td>spawned</td>");
    std::size_t c = html.find("<td>bulk</td><td>refused</td>");
    std::size_t d = html.find("<td>data</td><td>torn down</td>");
    ASSERT_NE(a, std::string::npos);
    ASSERT_NE(b, std::string::npos);
    ASSERT_NE(c, std::string::npos);
    ASSERT_NE(d, std::string::npos);
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    EXPECT_LT(c, d);
    // The statistics plot has one point per recorded row of video (samples
    // every 0.5 s while video runs: 1 s to 6 s).
    int64_t rows = report->GetDatabase().QueryInt64(
        "SELECT count(*) FROM statistics WHERE key = 'throughput-mbps'");
    EXPECT_EQ(rows, 11);
    auto pts = PolylinePoints(html.substr(html.find(">throughput-mbps</text>")), "video");
    EXPECT_EQ(static_cast<int64_t>(pts.size()), rows);
    // Deterministic: the same database gives the same report.
    EXPECT_EQ(html, report->Render());
}

TEST_F(ReportTest, ReportPlotsTheManagementTablesWhenPresent)
{
    ReportRun run(Tmp("report-mgmt.sqlite"));
    run.db->Close();
    AddStandInManagementTables(run);
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    report->Open(run.path);
    std::string html = report->Render();
    EXPECT_EQ(html.find("No monitor data"), std::string::npos);
    EXPECT_EQ(html.find("No auction data"), std::string::npos);
    EXPECT_NE(html.find("video: throughput"), std::string::npos);
    EXPECT_NE(html.find("video: mean delay"), std::string::npos);
    EXPECT_NE(html.find("video: drops and policed"), std::string::npos);
    // One plotted point per link_stats row; the allocation is a step function
    // (two points per change) that holds to the end of the axis.
    int64_t n = report->GetDatabase().QueryInt64("SELECT count(*) FROM link_stats");
    auto measured = PolylinePoints(html, "n0/1 measured");
    EXPECT_EQ(static_cast<int64_t>(measured.size()), n);
    auto allocated = PolylinePoints(html, "n0/1 allocated");
    ASSERT_EQ(static_cast<int64_t>(allocated.size()), 2 * n);
    // The y axis is linear: from the allocation's pixels at 3 and 4 Mbit/s
    // (first and last point of its step line),
    // every measured point reads back as the rate in its link_stats row.
    const double y3 = allocated.front().second;
    const double y4 = allocated.back().second;
    ASSERT_LT(y4, y3);
    const double finalMbps =
        report->GetDatabase().QueryInt64("SELECT max(allocated_bps) FROM link_stats") / 1e6;
    EXPECT_EQ(finalMbps, 4.0); // the re-provisioned trunk
    const double pxPerMbps = (y3 - y4) / (finalMbps - 3);
    std::vector<double> rates;
    {
        SqliteStatement q =
            report->GetDatabase().Prepare("SELECT rate_bps FROM link_stats ORDER BY time_ns");
        while (q.Step())
        {
            rates.push_back(q.GetDouble(0) / 1e6);
        }
    }
    ASSERT_EQ(rates.size(), measured.size());
    bool sawFlow = false;
    for (std::size_t i = 0; i < rates.size(); ++i)
    {
        EXPECT_NEAR(3 + (y3 - measured[i].second) / pxPerMbps, rates[i], 0.01) << i;
        sawFlow = sawFlow || std::fabs(rates[i] - 2.0) < 0.1; // the 2 Mbit/s flow
    }
    EXPECT_TRUE(sawFlow);
    // Allocation changes, bids and run-time changes are listed.
    EXPECT_NE(html.find("<td>reprovision</td>"), std::string::npos);
    EXPECT_NE(html.find("bid price per bidder"), std::string::npos);
    EXPECT_NE(html.find("<td>teardown</td>"), std::string::npos);
}

/// Runs the genesis-market example (built next to this test) into \p db; \return its exit status.
int
RunMarket(const std::string& db)
{
    char self[4096] = {};
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
    {
        return -1;
    }
    std::string dir(self, static_cast<std::size_t>(n));
    dir = dir.substr(0, dir.rfind('/'));
    std::string cmd = "'" + dir + "/genesis-market' --duration=12s --db='" + db +
                      "' --profiles=examples/profiles >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The report of a real market run (a maestro, its monitors and auctions):
// every monitored link of every network is plotted with one point per
// link_stats row, and the bids and allocation changes are listed.
TEST_F(ReportTest, ReportOfAMarketRunPlotsItsMonitorsAndAuctions)
{
    std::string path = Tmp("report-market.sqlite");
    ASSERT_EQ(RunMarket(path), 0) << "genesis-market must be built next to genesis-test";
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    report->Open(path);
    std::string html = report->Render();
    SqliteDatabase& db = report->GetDatabase();
    EXPECT_EQ(html.find("No monitor data"), std::string::npos);
    EXPECT_EQ(html.find("No auction data"), std::string::npos);
    EXPECT_EQ(html.find("No allocation changes"), std::string::npos);
    EXPECT_NE(html.find("bid price per bidder"), std::string::npos);
    EXPECT_NE(html.find("<td>auction</td>"), std::string::npos);
    for (const char* name : {"video", "data", "game"})
    {
        EXPECT_NE(html.find(std::string(name) + ": throughput"), std::string::npos) << name;
        // One point per interval on n0's device towards n1 (node 0, device 1).
        const int64_t rows = db.QueryInt64(
            "SELECT count(*) FROM link_stats JOIN networks USING (network_id) WHERE name = '" +
            std::string(name) + "' AND node_id = 0 AND device_index = 1");
        EXPECT_GT(rows, 0) << name;
        std::size_t section = html.find(std::string(name) + ": throughput");
        ASSERT_NE(section, std::string::npos);
        std::string plot = html.substr(section, html.find("</svg>", section) - section);
        EXPECT_EQ(static_cast<int64_t>(PolylinePoints(plot, "n0/1 measured").size()), rows) << name;
    }
}

TEST_F(ReportTest, ReportDrawsTheTreeItselfWithoutDot)
{
    ReportRun run(Tmp("report-nodot.sqlite"));
    run.db->Close();
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    report->SetAttribute("UseDot", BooleanValue(false));
    report->Open(run.path);
    std::string html = report->Render();
    std::size_t at = html.find("<svg class=\"genesis-tree\"");
    ASSERT_NE(at, std::string::npos);
    std::string tree = html.substr(at, html.find("</svg>", at) - at);
    for (const char* name : {"root", "video", "data"})
    {
        EXPECT_NE(tree.find(std::string(">") + name + "</text>"), std::string::npos) << name;
    }
    EXPECT_EQ(Count(tree, "<line"), 2u);                                 // one per child
    EXPECT_NE(tree.find("stroke-dasharray=\"5 3\""), std::string::npos); // data, torn down
    EXPECT_EQ(html.find("<!-- Generated by graphviz"), std::string::npos);
}

TEST_F(ReportTest, ReportReadsAnOlderDatabaseWithoutTheOptionalTables)
{
    ReportRun run(Tmp("report-old.sqlite"));
    run.db->Close();
    {
        // What schema 1 lacked, and the tables of later additions.
        SqliteDatabase db(run.path);
        db.Exec("DROP TABLE statistics; DROP TABLE refusals; DROP TABLE edges; DROP TABLE "
                "node_names; ALTER TABLE routelets DROP COLUMN name; ALTER TABLE devices DROP "
                "COLUMN delay_ns; UPDATE meta SET value = '1' WHERE key = 'schema_version';");
    }
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    report->Open(run.path);
    std::string html = report->Render();
    EXPECT_NE(html.find("No statistics recorded"), std::string::npos);
    EXPECT_NE(html.find("<td>video</td><td>spawned</td>"), std::string::npos);
    std::string root = GenesisGraphviz::TopologyDot(report->GetDatabase(), 0);
    EXPECT_EQ(Count(root, "[label=\"10Mbps, 0ms\"]"), 5u) << root; // no delays in schema 1
}

TEST_F(ReportTest, BadDatabasesGiveClearErrors)
{
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    auto message = [&](const std::string& path) {
        try
        {
            report->Open(path);
        }
        catch (const GenesisError& e)
        {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    std::string missing = Tmp("report-no-such-file.sqlite");
    std::remove(missing.c_str());
    std::string m = message(missing);
    EXPECT_NE(m.find(missing), std::string::npos) << m;
    EXPECT_NE(m.find("No such file"), std::string::npos) << m;
    struct stat st;
    EXPECT_NE(::stat(missing.c_str(), &st), 0) << "Open must not create the file";

    m = message(WriteFile("report-text.sqlite", "name: not a database\n"));
    EXPECT_NE(m.find("not an SQLite database"), std::string::npos) << m;

    std::string other = Tmp("report-other.sqlite");
    std::remove(other.c_str());
    {
        SqliteDatabase db(other);
        db.Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    }
    m = message(other);
    EXPECT_NE(m.find("not a Genesis run database"), std::string::npos) << m;

    ReportRun run(Tmp("report-newer.sqlite"));
    run.db->Close();
    {
        SqliteDatabase db(run.path);
        db.Exec("UPDATE meta SET value = '" +
                std::to_string(GenesisProfileDatabase::SCHEMA_VERSION + 1) +
                "' WHERE key = 'schema_version'");
    }
    m = message(run.path);
    EXPECT_NE(m.find("newer"), std::string::npos) << m;
    EXPECT_FALSE(report->IsOpen());
    EXPECT_THROW(report->Render(), GenesisError);
}

// ---------------------------------------------------------------- Chromium

/// Pixels of an 8-bit RGB or RGBA, non-interlaced PNG.
struct Png
{
    uint32_t width{0};
    uint32_t height{0};
    uint32_t channels{0};
    std::vector<uint8_t> pixels; //!< rows of width * channels bytes
    std::string error;
};

uint32_t
Be32(const std::string& s, std::size_t at)
{
    return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
           (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

Png
DecodePng(const std::string& file)
{
    Png png;
    if (file.size() < 33 || file.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0)
    {
        png.error = "not a PNG";
        return png;
    }
    std::string idat;
    uint8_t depth = 0;
    uint8_t colorType = 0;
    uint8_t interlace = 0;
    for (std::size_t at = 8; at + 8 <= file.size();)
    {
        uint32_t len = Be32(file, at);
        std::string type = file.substr(at + 4, 4);
        if (type == "IHDR")
        {
            png.width = Be32(file, at + 8);
            png.height = Be32(file, at + 12);
            depth = file[at + 16];
            colorType = file[at + 17];
            interlace = file[at + 20];
        }
        else if (type == "IDAT")
        {
            idat += file.substr(at + 8, len);
        }
        at += 12 + len;
    }
    if (depth != 8 || (colorType != 2 && colorType != 6) || interlace != 0)
    {
        png.error = "unsupported PNG (depth " + std::to_string(depth) + ", colour type " +
                    std::to_string(colorType) + ")";
        return png;
    }
    png.channels = colorType == 6 ? 4 : 3;
    const std::size_t stride = png.width * png.channels;
    std::vector<uint8_t> raw((stride + 1) * png.height);
    // zlib's uncompress() through dlopen: genesis-test does not link zlib.
    typedef int (*Uncompress)(unsigned char*, unsigned long*, const unsigned char*, unsigned long);
    void* zlib = dlopen("libz.so.1", RTLD_NOW);
    Uncompress uncompress =
        zlib ? reinterpret_cast<Uncompress>(dlsym(zlib, "uncompress")) : nullptr;
    if (!uncompress)
    {
        png.error = "zlib (libz.so.1, Debian package zlib1g) is not loadable";
        return png;
    }
    unsigned long rawLen = raw.size();
    int rc = uncompress(raw.data(),
                        &rawLen,
                        reinterpret_cast<const unsigned char*>(idat.data()),
                        idat.size());
    dlclose(zlib);
    if (rc != 0 || rawLen != raw.size())
    {
        png.error = "zlib could not inflate the image data";
        return png;
    }
    png.pixels.assign(stride * png.height, 0);
    const std::size_t bpp = png.channels;
    for (uint32_t y = 0; y < png.height; ++y)
    {
        uint8_t filter = raw[y * (stride + 1)];
        const uint8_t* in = &raw[y * (stride + 1) + 1];
        uint8_t* out = &png.pixels[y * stride];
        const uint8_t* up = y ? &png.pixels[(y - 1) * stride] : nullptr;
        for (std::size_t x = 0; x < stride; ++x)
        {
            int a = x >= bpp ? out[x - bpp] : 0;
            int b = up ? up[x] : 0;
            int c = (up && x >= bpp) ? up[x - bpp] : 0;
            int pred = 0;
            switch (filter)
            {
            case 0:
                pred = 0;
                break;
            case 1:
                pred = a;
                break;
            case 2:
                pred = b;
                break;
            case 3:
                pred = (a + b) / 2;
                break;
            case 4: {
                int p = a + b - c;
                int pa = std::abs(p - a);
                int pb = std::abs(p - b);
                int pc = std::abs(p - c);
                pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
                break;
            }
            default:
                png.error = "bad PNG filter " + std::to_string(filter);
                return png;
            }
            out[x] = static_cast<uint8_t>(in[x] + pred);
        }
    }
    return png;
}

TEST_F(ReportTest, ReportRendersInHeadlessChromium)
{
    const char* candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    std::string chromium;
    for (const char* c : candidates)
    {
        if (::access(c, X_OK) == 0)
        {
            chromium = c;
            break;
        }
    }
    ASSERT_FALSE(chromium.empty())
        << "headless Chromium is needed to check the report renders: install the Debian "
           "package chromium (apt-get install chromium; listed in utils/debian-packages.txt)";

    ReportRun run(Tmp("report-chromium.sqlite"));
    run.db->Close();
    AddStandInManagementTables(run);
    Ptr<GenesisReport> report = CreateObject<GenesisReport>();
    report->Open(run.path);
    const std::string html = Tmp("report-chromium.html");
    report->Write(html);

    const uint32_t W = 1100;
    const uint32_t H = 2400; // down to the monitor plots
    const std::string png = Tmp("report-chromium.png");
    const std::string dom = Tmp("report-chromium-dom.html");
    const std::string profile = Tmp("report-chromium-profile");
    std::remove(png.c_str());
    // --no-sandbox: Chromium refuses to run as root otherwise; a private
    // profile directory keeps parallel runs apart.
    const std::string common = "timeout 60 " + chromium +
                               " --headless --no-sandbox --disable-gpu --hide-scrollbars "
                               "--no-first-run --user-data-dir='" +
                               profile + "' ";
    std::string shot = common + "--window-size=" + std::to_string(W) + "," + std::to_string(H) +
                       " --screenshot='" + png + "' 'file://" + html + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(shot.c_str()), 0) << shot;
    std::string dump = common + "--dump-dom 'file://" + html + "' >'" + dom + "' 2>/dev/null";
    ASSERT_EQ(std::system(dump.c_str()), 0) << dump;

    [[maybe_unused]] int rm = std::system(("rm -rf '" + profile + "'").c_str()); // scratch profile

    Png image = DecodePng(ReadFile(png));
    ASSERT_TRUE(image.error.empty()) << image.error;
    EXPECT_EQ(image.width, W);
    EXPECT_EQ(image.height, H);
    // Not blank: many colours, and a good share of the page is not white.
    std::set<uint32_t> colours;
    std::size_t notWhite = 0;
    const std::size_t n = std::size_t(image.width) * image.height;
    for (std::size_t i = 0; i < n; ++i)
    {
        const uint8_t* p = &image.pixels[i * image.channels];
        colours.insert((uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2]);
        notWhite += (p[0] < 240 || p[1] < 240 || p[2] < 240) ? 1 : 0;
    }
    EXPECT_GT(colours.size(), 50u);
    EXPECT_GT(notWhite, n / 50) << "fewer than 2% non-white pixels: the page looks blank";
    // The palette's blue of the first series/network is on the screen.
    bool blue = false;
    for (std::size_t i = 0; i < n && !blue; ++i)
    {
        const uint8_t* p = &image.pixels[i * image.channels];
        blue = p[0] < 30 && p[1] > 90 && p[1] < 140 && p[2] > 150 && p[2] < 200;
    }
    EXPECT_TRUE(blue) << "no pixel of the plots' blue (#0072B2)";

    // The DOM Chromium built holds the plots and the tree.
    std::string d = ReadFile(dom);
    EXPECT_GE(Count(d, "class=\"genesis-plot\""), 5u);
    EXPECT_NE(d.find("class=\"genesis-timeline\""), std::string::npos);
    EXPECT_NE(d.find("<polyline"), std::string::npos);
    EXPECT_NE(d.find("Network tree"), std::string::npos);
}

} // namespace
} // namespace genesis_test
} // namespace ns3
