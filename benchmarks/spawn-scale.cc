/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * spawn-scale: how the spawn of one large child network grows with its size,
 * against building the same number of plain ns-3 nodes.
 *
 * For each parent size N (--sizes) and topology (--topologies):
 *
 *   chain       n0 - n1 - ... - n(N-1)                       N-1 parent links
 *   grid        a ceil(sqrt N)-wide 2-D grid, row-major,     ~2N parent links
 *               right and down neighbours
 *   grid-tree   the grid, but the child has links only along a BFS spanning
 *               tree of it (Boost.Graph), rooted at n0:        N-1 links
 *
 * the parent is N point-to-point routers (1 Gbps, 1 ms, IPv4, one /30 per
 * link) made Genesis routers with GenesisHelper::Install. One controlled
 * child ("scale", 1 Mbps per link, address space 172.16.0.0/12) gets a
 * routelet on every node and a virtual link along every parent link (every
 * tree link for grid-tree), each mapped onto that single parent link.
 * Measured:
 *
 *   define   CreateNetwork + AddRoutelet x N + AddLink x links
 *   spawn    VirtualNetwork::Spawn() (instant: the whole transaction at once;
 *            with the attribute SpawnMode, when VirtualNetwork has it, set to
 *            its instant value)
 *   extra    RSS after the spawn minus RSS before the definition (VmRSS of
 *            /proc/self/status), and the peak above it (VmHWM, reset just
 *            before with /proc/self/clear_refs)
 *
 * Baseline in the same run: plain ns-3 building what the child consists of
 * — N Nodes with the IPv4 stack Genesis gives a routelet (no IPv6, static
 * routing), one point-to-point link per child link (two devices) and one
 * /30 per link (Ipv4AddressHelper) — timed and measured the same way; and,
 * for reference, the same with ns-3's global routing populated
 * (Ipv4GlobalRoutingHelper::PopulateRoutingTables), since the spawn also
 * installs routes between all routelets.
 *
 * Every repetition runs in a fork()ed child process, so each starts from the
 * same state and its RSS is its own; the table gives the median of --reps.
 * The plain runs first build a 4-node Genesis chain (not measured), so that
 * ns-3's one-time state (TypeIds, attribute checkers, singletons) is there
 * in both, as the Genesis runs have it from building their parent.
 * A repetition that exceeds --timeout seconds is killed, and larger sizes of
 * that topology are skipped (the growth curve up to there is still printed).
 *
 * --routing selects the child's RoutingMode: shared (the default: one
 * GenesisRouteletRouting table per network) or static (one Ipv4StaticRouting
 * route per routelet and remote subnet, the routing before the shared table).
 * Beside the wall time of the spawn the table gives its CPU time (the
 * process's CPU clock), which a loaded machine inflates much less.
 *
 *   ./ns3 build spawn-scale && ./build/spawn-scale --sizes=10,100,300,1000 --reps=3
 *
 * Target (issue 3): N = 1000 spawns in <= 2 s wall and <= 100 MiB extra.
 */

#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

typedef std::chrono::steady_clock Clock;

std::string g_routing = "shared"; //!< the child's RoutingMode (--routing)

/// CPU seconds this process has used.
double
CpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/// Seconds since \p t0.
double
Since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A field of /proc/self/status in KiB (VmRSS, VmHWM), or 0.
long
StatusKiB(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    std::size_t n = std::strlen(field);
    while (std::getline(in, line))
    {
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
        {
            return std::atol(line.c_str() + n + 1);
        }
    }
    return 0;
}

/// Reset VmHWM to the current RSS (Linux >= 4.0).
void
ResetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

/// A parent topology: N nodes and undirected edges.
struct Topology
{
    uint32_t n{0};                                    //!< nodes
    std::vector<std::pair<uint32_t, uint32_t>> edges; //!< parent links
    std::vector<std::pair<uint32_t, uint32_t>> child; //!< child links (subset of edges)
};

/// BFS spanning tree of \p edges from node 0 (Boost.Graph).
std::vector<std::pair<uint32_t, uint32_t>>
SpanningTree(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& edges)
{
    typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> Graph;
    Graph g(n);
    for (const auto& e : edges)
    {
        boost::add_edge(e.first, e.second, g);
    }
    std::vector<std::size_t> pred(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        pred[i] = i;
    }
    boost::breadth_first_search(
        g,
        0,
        boost::visitor(boost::make_bfs_visitor(
            boost::record_predecessors(pred.data(), boost::on_tree_edge()))));
    std::vector<std::pair<uint32_t, uint32_t>> tree;
    for (uint32_t v = 1; v < n; ++v)
    {
        if (pred[v] != v)
        {
            tree.emplace_back(static_cast<uint32_t>(pred[v]), v);
        }
    }
    return tree;
}

/// \return the topology \p kind of \p n nodes
Topology
MakeTopology(const std::string& kind, uint32_t n)
{
    Topology t;
    t.n = n;
    if (kind == "chain")
    {
        for (uint32_t i = 0; i + 1 < n; ++i)
        {
            t.edges.emplace_back(i, i + 1);
        }
    }
    else // grid, grid-tree
    {
        uint32_t w = static_cast<uint32_t>(std::ceil(std::sqrt(double(n))));
        for (uint32_t i = 0; i < n; ++i)
        {
            if ((i + 1) % w != 0 && i + 1 < n)
            {
                t.edges.emplace_back(i, i + 1);
            }
            if (i + w < n)
            {
                t.edges.emplace_back(i, i + w);
            }
        }
    }
    t.child = kind == "grid-tree" ? SpanningTree(n, t.edges) : t.edges;
    return t;
}

/// What one repetition measured (plain data: it crosses a pipe).
struct Sample
{
    int ok{0};             //!< 1 when the repetition completed
    double defineS{0};     //!< seconds to define the child (Genesis) or 0
    double buildS{0};      //!< seconds to spawn (Genesis) / build (plain)
    double cpuS{0};        //!< CPU seconds of the spawn (Genesis)
    double routesS{0};     //!< plain+routes only: PopulateRoutingTables
    long extraKiB{0};      //!< RSS after - RSS before
    long peakKiB{0};       //!< VmHWM after (reset before) - RSS before
    uint32_t routelets{0}; //!< routelets (Genesis) / nodes (plain) built
    uint32_t links{0};     //!< child links / plain links built
    char error[240]{};     //!< error text when !ok
};

/// The parent network of \p t: point-to-point routers made Genesis routers.
Ptr<VirtualNetwork>
BuildParent(const Topology& t, GenesisHelper& genesis, NodeContainer& nodes)
{
    nodes.Create(t.n);
    InternetStackHelper stack;
    stack.Install(nodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    Ipv4AddressHelper addr("10.0.0.0", "255.255.255.252");
    for (const auto& e : t.edges)
    {
        addr.Assign(p2p.Install(nodes.Get(e.first), nodes.Get(e.second)));
        addr.NewNetwork();
    }
    return genesis.Install(nodes);
}

/// One Genesis repetition (runs in a forked child).
Sample
RunGenesis(const Topology& t)
{
    Sample s;
    GenesisHelper genesis;
    NodeContainer nodes;
    Ptr<VirtualNetwork> root = BuildParent(t, genesis, nodes);

    long rss0 = StatusKiB("VmRSS");
    ResetPeak();
    auto t0 = Clock::now();
    Ptr<VirtualNetwork> child = genesis.CreateNetwork(root, "scale", "controlled", "1Mbps");
    child->SetAttribute("Ipv4Base", Ipv4AddressValue("172.16.0.0"));
    child->SetAttribute("Ipv4Mask", Ipv4MaskValue("255.240.0.0"));
    if (!child->SetAttributeFailSafe("RoutingMode", StringValue(g_routing)))
    {
        throw GenesisError("RoutingMode does not accept \"" + g_routing + "\"");
    }
    // Instant spawning, when the spawner offers a choice.
    struct TypeId::AttributeInformation info;
    if (VirtualNetwork::GetTypeId().LookupAttributeByName("SpawnMode", &info))
    {
        if (!child->SetAttributeFailSafe("SpawnMode", StringValue("Instant")))
        {
            throw GenesisError("SpawnMode does not accept \"Instant\"");
        }
    }
    std::vector<Ptr<Routelet>> r;
    r.reserve(t.n);
    for (uint32_t i = 0; i < t.n; ++i)
    {
        r.push_back(child->AddRoutelet(nodes.Get(i)));
    }
    for (const auto& e : t.child)
    {
        child->AddLink(r[e.first], r[e.second]);
    }
    s.defineS = Since(t0);
    auto t1 = Clock::now();
    double c1 = CpuNow();
    child->Spawn();
    s.cpuS = CpuNow() - c1;
    s.buildS = Since(t1);
    s.extraKiB = StatusKiB("VmRSS") - rss0;
    s.peakKiB = StatusKiB("VmHWM") - rss0;
    s.routelets = static_cast<uint32_t>(child->GetRoutelets().size());
    s.links = static_cast<uint32_t>(child->GetLinks().size());
    s.ok = child->GetState() == VirtualNetwork::SPAWNED;
    return s;
}

/// One plain ns-3 repetition of what the child consists of (forked child).
Sample
RunPlain(const Topology& t, bool routes)
{
    // Warm-up, not measured: the Genesis runs build their parent first, which
    // registers the TypeIds and fills ns-3's one-time state; do the same here.
    {
        Topology w = MakeTopology("chain", 4);
        GenesisHelper genesis;
        NodeContainer nodes;
        BuildParent(w, genesis, nodes);
    }
    Sample s;
    long rss0 = StatusKiB("VmRSS");
    ResetPeak();
    auto t0 = Clock::now();
    NodeContainer nodes;
    nodes.Create(t.n);
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    Ipv4StaticRoutingHelper staticRouting;
    Ipv4GlobalRoutingHelper globalRouting;
    Ipv4ListRoutingHelper list;
    list.Add(staticRouting, 0);
    list.Add(globalRouting, -10);
    if (routes)
    {
        stack.SetRoutingHelper(list);
    }
    else
    {
        stack.SetRoutingHelper(staticRouting);
    }
    stack.Install(nodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Mbps"));
    Ipv4AddressHelper addr("172.16.0.0", "255.255.255.252");
    for (const auto& e : t.child)
    {
        addr.Assign(p2p.Install(nodes.Get(e.first), nodes.Get(e.second)));
        addr.NewNetwork();
    }
    s.buildS = Since(t0);
    if (routes)
    {
        auto t1 = Clock::now();
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        s.routesS = Since(t1);
    }
    s.extraKiB = StatusKiB("VmRSS") - rss0;
    s.peakKiB = StatusKiB("VmHWM") - rss0;
    s.routelets = t.n;
    s.links = static_cast<uint32_t>(t.child.size());
    s.ok = 1;
    return s;
}

/// Run \p fn in a forked child with a time limit; its Sample comes back through a pipe.
template <typename F>
Sample
Forked(F fn, unsigned timeout)
{
    Sample s;
    int fd[2];
    if (pipe(fd) != 0)
    {
        std::snprintf(s.error, sizeof(s.error), "pipe: %s", std::strerror(errno));
        return s;
    }
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = fork();
    if (pid < 0)
    {
        std::snprintf(s.error, sizeof(s.error), "fork: %s", std::strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return s;
    }
    if (pid == 0)
    {
        close(fd[0]);
        alarm(timeout);
        Sample r;
        try
        {
            r = fn();
        }
        catch (const std::exception& e)
        {
            r.ok = 0;
            std::snprintf(r.error, sizeof(r.error), "%s", e.what());
        }
        ssize_t w = write(fd[1], &r, sizeof(r));
        _exit(w == ssize_t(sizeof(r)) ? 0 : 1);
    }
    close(fd[1]);
    Sample r;
    ssize_t got = read(fd[0], &r, sizeof(r));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got == ssize_t(sizeof(r)))
    {
        return r;
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    {
        std::snprintf(s.error, sizeof(s.error), "timeout (> %u s)", timeout);
    }
    else if (WIFSIGNALED(status))
    {
        std::snprintf(s.error, sizeof(s.error), "killed by signal %d", WTERMSIG(status));
    }
    else
    {
        std::snprintf(s.error, sizeof(s.error), "exited %d without a result", WEXITSTATUS(status));
    }
    return s;
}

/// \return the median of \p v (v not empty)
double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/// Medians of one configuration.
struct Row
{
    std::string topology; //!< topology name
    uint32_t n{0};        //!< parent nodes
    uint32_t links{0};    //!< child links
    uint32_t reps{0};     //!< completed repetitions
    double define{0};     //!< s
    double spawn{0};      //!< s
    double spawnMin{0};   //!< s
    double spawnMax{0};   //!< s
    double cpu{0};        //!< s, CPU time of the spawn
    double extraMiB{0};   //!< MiB
    double peakMiB{0};    //!< MiB
    double plain{0};      //!< s, plain build
    double plainMiB{0};   //!< MiB, plain build
    double routes{0};     //!< s, plain build + global routing (build + populate)
    double routesMiB{0};  //!< MiB, plain build + global routing
    std::string error;    //!< why a repetition failed, if one did
};

std::vector<std::string>
Split(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (!item.empty())
        {
            out.push_back(item);
        }
    }
    return out;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string sizes = "10,100,300,1000";
    std::string topologies = "chain,grid,grid-tree";
    uint32_t reps = 3;
    uint32_t timeout = 300;
    bool baseline = true;
    std::string csvFile;
    CommandLine cmd(__FILE__);
    cmd.AddValue("sizes", "Parent sizes N, comma-separated", sizes);
    cmd.AddValue("topologies", "Topologies: chain, grid, grid-tree (comma-separated)", topologies);
    cmd.AddValue("reps", "Repetitions per configuration (median reported)", reps);
    cmd.AddValue("timeout", "Seconds one repetition may take before it is killed", timeout);
    cmd.AddValue("baseline", "Also measure the plain ns-3 baselines", baseline);
    cmd.AddValue("csv", "Also write the table as CSV to this file", csvFile);
    cmd.AddValue("routing",
                 "The child's RoutingMode: shared (one table per network) or static "
                 "(Ipv4StaticRouting routes)",
                 g_routing);
    cmd.Parse(argc, argv);
    if (g_routing != "shared" && g_routing != "static")
    {
        std::cerr << "spawn-scale: --routing: unknown '" << g_routing
                  << "'; use shared or static\n";
        return 2;
    }
    reps = std::max<uint32_t>(reps, 1);

    std::vector<uint32_t> ns;
    for (const auto& s : Split(sizes))
    {
        char* end = nullptr;
        unsigned long v = std::strtoul(s.c_str(), &end, 10);
        if (*end != '\0' || v < 2 || v > 100000)
        {
            std::cerr << "spawn-scale: --sizes: '" << s << "' is not a size in [2, 100000]\n";
            return 2;
        }
        ns.push_back(static_cast<uint32_t>(v));
    }
    std::vector<std::string> kinds = Split(topologies);
    for (const auto& k : kinds)
    {
        if (k != "chain" && k != "grid" && k != "grid-tree")
        {
            std::cerr << "spawn-scale: --topologies: unknown '" << k
                      << "'; use chain, grid, grid-tree\n";
            return 2;
        }
    }

    std::cout << "spawn-scale: one controlled child with a routelet on every parent node, " << reps
              << " rep(s) each, medians; forked process per rep; routing " << g_routing << "\n"
              << std::flush;
    std::vector<Row> rows;
    for (const auto& kind : kinds)
    {
        bool skip = false;
        for (uint32_t n : ns)
        {
            Row row;
            row.topology = kind;
            row.n = n;
            Topology t = MakeTopology(kind, n);
            row.links = static_cast<uint32_t>(t.child.size());
            if (skip)
            {
                row.error = "skipped (a smaller size timed out)";
                rows.push_back(row);
                continue;
            }
            std::vector<double> def;
            std::vector<double> spawn;
            std::vector<double> cpu;
            std::vector<double> extra;
            std::vector<double> peak;
            std::vector<double> plain;
            std::vector<double> plainMem;
            std::vector<double> routes;
            std::vector<double> routesMem;
            for (uint32_t rep = 0; rep < reps; ++rep)
            {
                Sample g = Forked([&t]() { return RunGenesis(t); }, timeout);
                if (!g.ok)
                {
                    row.error = g.error[0] ? g.error : "spawn did not complete";
                    skip = std::string(g.error).find("timeout") == 0;
                    break;
                }
                def.push_back(g.defineS);
                spawn.push_back(g.buildS);
                cpu.push_back(g.cpuS);
                extra.push_back(g.extraKiB / 1024.0);
                peak.push_back(g.peakKiB / 1024.0);
                if (baseline)
                {
                    Sample p = Forked([&t]() { return RunPlain(t, false); }, timeout);
                    Sample q = Forked([&t]() { return RunPlain(t, true); }, timeout);
                    plain.push_back(p.buildS);
                    plainMem.push_back(p.extraKiB / 1024.0);
                    routes.push_back(q.buildS + q.routesS);
                    routesMem.push_back(q.extraKiB / 1024.0);
                }
                std::cerr << "  " << kind << " N=" << n << " rep " << rep + 1 << ": spawn "
                          << std::fixed << std::setprecision(3) << g.buildS << " s (cpu " << g.cpuS
                          << " s), +" << std::setprecision(1) << g.extraKiB / 1024.0 << " MiB\n";
            }
            row.reps = static_cast<uint32_t>(spawn.size());
            if (!spawn.empty())
            {
                row.define = Median(def);
                row.spawn = Median(spawn);
                row.spawnMin = *std::min_element(spawn.begin(), spawn.end());
                row.spawnMax = *std::max_element(spawn.begin(), spawn.end());
                row.cpu = Median(cpu);
                row.extraMiB = Median(extra);
                row.peakMiB = Median(peak);
            }
            if (!plain.empty())
            {
                row.plain = Median(plain);
                row.plainMiB = Median(plainMem);
                row.routes = Median(routes);
                row.routesMiB = Median(routesMem);
            }
            rows.push_back(row);
        }
    }

    std::cout << "\n"
              << std::left << std::setw(10) << "topology" << std::right << std::setw(6) << "N"
              << std::setw(7) << "links" << std::setw(10) << "define s" << std::setw(10)
              << "spawn s" << std::setw(8) << "cpu s" << std::setw(9) << "+MiB" << std::setw(9)
              << "peak" << std::setw(10) << "plain s" << std::setw(9) << "+MiB" << std::setw(10)
              << "+routes s" << std::setw(9) << "+MiB" << std::setw(9) << "spawn/" << std::setw(8)
              << "growth"
              << "\n"
              << std::setw(114) << "plain" << std::setw(8) << "exp."
              << "\n";
    const Row* prev = nullptr;
    for (const auto& r : rows)
    {
        std::cout << std::left << std::setw(10) << r.topology << std::right << std::setw(6) << r.n
                  << std::setw(7) << r.links;
        if (r.reps == 0)
        {
            std::cout << "  " << r.error << "\n";
            prev = nullptr;
            continue;
        }
        std::cout << std::fixed << std::setprecision(3) << std::setw(10) << r.define
                  << std::setw(10) << r.spawn << std::setw(8) << r.cpu << std::setprecision(1)
                  << std::setw(9) << r.extraMiB << std::setw(9) << r.peakMiB;
        if (r.plain > 0)
        {
            std::cout << std::setprecision(3) << std::setw(10) << r.plain << std::setprecision(1)
                      << std::setw(9) << r.plainMiB << std::setprecision(3) << std::setw(10)
                      << r.routes << std::setprecision(1) << std::setw(9) << r.routesMiB
                      << std::setw(9) << r.spawn / r.plain;
        }
        else
        {
            std::cout << std::setw(55) << "";
        }
        // Growth exponent of the spawn time against the previous size: t ~ N^k.
        if (prev && prev->topology == r.topology && prev->spawn > 0 && r.spawn > 0)
        {
            std::cout << std::setprecision(2) << std::setw(8)
                      << std::log(r.spawn / prev->spawn) / std::log(double(r.n) / prev->n);
        }
        if (!r.error.empty())
        {
            std::cout << "  (" << r.error << ")";
        }
        std::cout << "\n";
        prev = &r;
    }
    for (const auto& r : rows)
    {
        if (r.n == 1000 && r.reps > 0)
        {
            std::cout << std::setprecision(3) << "target N=1000 (" << r.topology << "): spawn "
                      << r.spawn << " s (cpu " << r.cpu
                      << " s) <= 2 s: " << (r.spawn <= 2.0 ? "met" : "MISSED")
                      << std::setprecision(1) << "; extra " << r.extraMiB
                      << " MiB <= 100 MiB: " << (r.extraMiB <= 100.0 ? "met" : "MISSED") << "\n";
        }
    }
    if (!csvFile.empty())
    {
        std::ofstream csv(csvFile);
        csv << "topology,n,links,reps,define_s,spawn_s,spawn_min_s,spawn_max_s,spawn_cpu_s,"
               "extra_mib,"
               "peak_mib,plain_s,plain_mib,plain_routes_s,plain_routes_mib,error\n";
        for (const auto& r : rows)
        {
            csv << r.topology << "," << r.n << "," << r.links << "," << r.reps << "," << r.define
                << "," << r.spawn << "," << r.spawnMin << "," << r.spawnMax << "," << r.cpu << ","
                << r.extraMiB << "," << r.peakMiB << "," << r.plain << "," << r.plainMiB << ","
                << r.routes << "," << r.routesMiB << ",\"" << r.error << "\"\n";
        }
    }
    return 0;
}
