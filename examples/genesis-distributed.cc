/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-distributed: one Genesis simulation across MPI ranks.
 *
 * A parent network of campuses joined in a backbone ring. Each campus is a
 * tree: a gateway router, --aggs aggregation routers, --edges edge routers
 * per aggregation router and --hosts hosts per edge router:
 *
 *   c0-gw ======== c1-gw ======== c2-gw ======== c3-gw ==(back to c0-gw)
 *    |  \           backbone: --backboneRate, --backboneDelay (the MPI lookahead)
 *   c0-a0 c0-a1
 *    |  \
 *   c0-e0-0 c0-e0-1              campus links: --campusRate, --campusDelay
 *    |   \
 *   c0-h0-0-0 c0-h0-0-1 ...
 *
 * Campus c runs on rank c % ranks, so every backbone link crosses ranks (a
 * PointToPointRemoteChannel) when there are two ranks or more.
 *
 * Traffic: every host sends a UDP flow of --hostRate to the host at the same
 * place in the next campus (the root network's own traffic). Child networks
 * are spawned mid-run from the profiles in --profiles (Packets mode by
 * default: the spawner's CONSTRUCT messages reach the constructors on other
 * ranks as packets over the backbone):
 *
 *   t=1.0s  video   (controlled 20 Mbit/s)  c0-e0-0 <-> c1-e0-0, hosts
 *   t=1.2s  control (constant 2 Mbit/s)     c1-e1-0 <-> c2-e0-1, hosts
 *   t=1.4s  data    (controlled 10 Mbit/s)  c2-e1-1 <-> c3-e1-1, hosts; torn down at 6 s
 *   t=2.0s  video-hd, inside video (controlled 5 Mbit/s), from video's timeline
 *
 * and each child's hosts (the grandchild's routelets) send more than the
 * child's share from t=3 s.
 *
 * Output: each rank writes the flows whose receiver it simulates to --flows
 * (one line per flow: network, receiver, sender, packets, bytes, summed
 * one-way delay in ns), and its database to --db; with several ranks the
 * files are named <name>.rank<r>-of-<n>.<ext>. The sorted union of the
 * ranks' flow lines has the same packets and bytes for 1, 2 and 3 ranks, and
 * the same delays up to the order of simultaneous events
 * (utils/check-distributed.sh checks it); `genesis-db-merge` merges the
 * ranks' databases.
 *
 * Run (in an ns-3 tree built with --enable-mpi, see doc/distributed-section.rst):
 *   ./ns3 run genesis-distributed --command-template="mpirun --allow-run-as-root -np 2 %s"
 */

#include "ns3/genesis-distributed.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-helper.h"
#include "ns3/genesis-spawner.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/profile-database.h"
#include "ns3/profile-reader.h"
#include "ns3/routelet.h"

#ifdef NS3_MPI
#include "ns3/mpi-interface.h"
#endif

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisDistributedExample");

namespace
{

/// What a receiver saw of one flow.
struct FlowStats
{
    uint64_t packets = 0; //!< packets received
    uint64_t bytes = 0;   //!< payload bytes received
    int64_t delayNs = 0;  //!< summed one-way delay
};

/// (network, receiver, sender) -> stats
std::map<std::string, FlowStats> g_flows;
/// network name -> bytes received on this rank
std::map<std::string, uint64_t> g_rxBytes;

void
OnRx(std::string key,
     std::string network,
     Ptr<const Packet> p,
     const Address& from,
     const Address& to,
     const SeqTsSizeHeader& h)
{
    std::ostringstream k;
    k << key << " " << InetSocketAddress::ConvertFrom(from).GetIpv4();
    FlowStats& f = g_flows[k.str()];
    f.packets++;
    f.bytes += p->GetSize();
    f.delayNs += (Simulator::Now() - h.GetTs()).GetNanoSeconds();
    g_rxBytes[network] += p->GetSize();
}

/// The network a port's flows belong to.
const std::map<uint16_t, std::string> kPortNetwork = {{9000, "root"},
                                                      {9001, "video"},
                                                      {9002, "control"},
                                                      {9003, "data"},
                                                      {9004, "video-hd"}};

/// A UDP sink on \p node (when this rank simulates it) for port \p port.
void
Sink(Ptr<Node> node, uint16_t port)
{
    if (!GenesisDistributed::IsLocal(node))
    {
        return;
    }
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    sink.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
    ApplicationContainer apps = sink.Install(node);
    const std::string& network = kPortNetwork.at(port);
    std::string key = network + " " + Names::FindName(node) + ":" + std::to_string(port);
    apps.Get(0)->TraceConnectWithoutContext("RxWithSeqTsSize",
                                            MakeBoundCallback(&OnRx, key, network));
}

/// A constant-rate UDP source on \p src (when this rank simulates it).
void
Source(Ptr<Node> src,
       Ipv4Address dst,
       uint16_t port,
       DataRate rate,
       uint32_t size,
       Time start,
       Time stop)
{
    if (!GenesisDistributed::IsLocal(src))
    {
        return;
    }
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(dst, port));
    onoff.SetConstantRate(rate, size);
    onoff.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
    ApplicationContainer apps = onoff.Install(src);
    apps.Start(start);
    apps.Stop(stop);
}

/// The grandchild has no end hosts: its routelets send to each other once it runs.
void
StartRouteletFlow(Ptr<GenesisSpawner> spawner, DataRate rate, uint32_t size, Time stop)
{
    Ptr<VirtualLink> link = spawner->GetLink("video-hd", "ab");
    if (!link)
    {
        std::cerr << "rank " << GenesisDistributed::GetRank() << ": video-hd is not running at "
                  << Simulator::Now().As(Time::S) << "\n";
        return;
    }
    Ptr<Node> a = link->GetEndA()->GetNode();
    Ptr<Node> b = link->GetEndB()->GetNode();
    Names::Add("video-hd-b", b);
    Sink(b, 9004);
    Source(a,
           Ipv4Address(link->GetSubnet().Get() + 2),
           9004,
           rate,
           size,
           Seconds(0),
           stop - Simulator::Now());
}

void
OnFailed(const std::string& network, const std::string& reason)
{
    std::cerr << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds() << " rank "
              << GenesisDistributed::GetRank() << ": spawn of '" << network
              << "' refused: " << reason << "\n";
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t campuses = 4;
    uint32_t aggs = 2;
    uint32_t edges = 2;
    uint32_t hosts = 2;
    std::string backboneRate = "1Gbps";
    std::string backboneDelay = "5ms";
    std::string campusRate = "100Mbps";
    std::string campusDelay = "1ms";
    std::string hostRate = "1Mbps";
    uint32_t packetSize = 512;
    double simTime = 8.0;
    bool nullmsg = false;
    std::string spawnMode = "packets";
    std::string profiles = "examples/profiles";
    std::string flowsPath = "genesis-distributed-flows.txt";
    std::string dbPath = "genesis-distributed.sqlite";

    CommandLine cmd(__FILE__);
    cmd.AddValue("campuses", "Campuses in the backbone ring (at least 4)", campuses);
    cmd.AddValue("aggs", "Aggregation routers per campus (at least 2)", aggs);
    cmd.AddValue("edges", "Edge routers per aggregation router (at least 2)", edges);
    cmd.AddValue("hosts", "Hosts per edge router (at least 1)", hosts);
    cmd.AddValue("backboneRate", "Rate of the backbone links", backboneRate);
    cmd.AddValue("backboneDelay",
                 "Delay of the backbone links (the MPI lookahead), e.g. 5ms",
                 backboneDelay);
    cmd.AddValue("campusRate", "Rate of the links inside a campus", campusRate);
    cmd.AddValue("campusDelay", "Delay of the links inside a campus, e.g. 1ms", campusDelay);
    cmd.AddValue("hostRate", "Rate every host sends to its peer in the next campus", hostRate);
    cmd.AddValue("packetSize", "UDP payload bytes", packetSize);
    cmd.AddValue("simTime", "Simulated seconds (at least 7)", simTime);
    cmd.AddValue("nullmsg",
                 "Use ns-3's NullMessageSimulatorImpl instead of DistributedSimulatorImpl",
                 nullmsg);
    cmd.AddValue("spawnMode", "packets (CONSTRUCT messages as packets) or instant", spawnMode);
    cmd.AddValue("profiles", "Directory of the distributed-*.yaml profiles", profiles);
    cmd.AddValue("flows", "Per-flow results file ('none': do not write)", flowsPath);
    cmd.AddValue("db", "Run database file ('none': do not write)", dbPath);
    cmd.Parse(argc, argv);

    uint32_t rank = 0;
    uint32_t size = 1;
#ifdef NS3_MPI
    GlobalValue::Bind(
        "SimulatorImplementationType",
        StringValue(nullmsg ? "ns3::NullMessageSimulatorImpl" : "ns3::DistributedSimulatorImpl"));
    MpiInterface::Enable(&argc, &argv);
    rank = MpiInterface::GetSystemId();
    size = MpiInterface::GetSize();
#else
    if (nullmsg)
    {
        std::cerr << "genesis-distributed: --nullmsg needs ns-3 built with MPI (--enable-mpi); "
                     "this build runs sequentially\n";
        return 1;
    }
#endif
    auto fail = [&](const std::string& what) {
        std::cerr << "genesis-distributed (rank " << rank << "): " << what << "\n";
#ifdef NS3_MPI
        MpiInterface::Disable();
#endif
        return 1;
    };

    DataRate bbRate;
    DataRate campRate;
    DataRate hRate;
    Time bbDelay;
    Time campDelay;
    try
    {
        bbRate = GenesisHelper::ParseRate(backboneRate, "--backboneRate");
        campRate = GenesisHelper::ParseRate(campusRate, "--campusRate");
        hRate = GenesisHelper::ParseRate(hostRate, "--hostRate");
        for (auto td :
             {std::make_pair(&backboneDelay, &bbDelay), std::make_pair(&campusDelay, &campDelay)})
        {
            if (!GenesisProfileReader::ParseTime(*td.first, td.second) || td.second->IsNegative())
            {
                throw GenesisError("'" + *td.first +
                                   "' is not a delay (write e.g. 5ms, 100us or 0.002s)");
            }
        }
        if (campuses < 4 || aggs < 2 || edges < 2 || hosts < 1)
        {
            throw GenesisError("the profiles need --campuses >= 4, --aggs >= 2, --edges >= 2 and "
                               "--hosts >= 1 (got " +
                               std::to_string(campuses) + ", " + std::to_string(aggs) + ", " +
                               std::to_string(edges) + ", " + std::to_string(hosts) + ")");
        }
        if (bbDelay.IsZero())
        {
            throw GenesisError("--backboneDelay must be above 0: it is the MPI lookahead");
        }
        if (simTime < 7)
        {
            throw GenesisError("--simTime must be at least 7 (the last spawn event is at 6 s)");
        }
        if (spawnMode != "packets" && spawnMode != "instant")
        {
            throw GenesisError("--spawnMode must be 'packets' or 'instant' (got '" + spawnMode +
                               "')");
        }
    }
    catch (const GenesisError& e)
    {
        return fail(e.what());
    }

    // ------------------------------------------------------------ topology
    auto wall0 = std::chrono::steady_clock::now();
    PointToPointHelper campusLink;
    campusLink.SetDeviceAttribute("DataRate", DataRateValue(campRate));
    campusLink.SetChannelAttribute("Delay", TimeValue(campDelay));
    PointToPointHelper backbone;
    backbone.SetDeviceAttribute("DataRate", DataRateValue(bbRate));
    backbone.SetChannelAttribute("Delay", TimeValue(bbDelay));

    NodeContainer all;
    std::vector<Ptr<Node>> gateways;
    std::vector<std::vector<Ptr<Node>>> campusHosts(campuses);
    auto make = [&](uint32_t campus, const std::string& name) {
        Ptr<Node> n = CreateObject<Node>(campus % size);
        Names::Add(name, n);
        all.Add(n);
        return n;
    };
    std::vector<std::pair<Ptr<Node>, Ptr<Node>>> campusLinks;
    for (uint32_t c = 0; c < campuses; ++c)
    {
        std::string cn = "c" + std::to_string(c);
        Ptr<Node> gw = make(c, cn + "-gw");
        gateways.push_back(gw);
        for (uint32_t a = 0; a < aggs; ++a)
        {
            Ptr<Node> agg = make(c, cn + "-a" + std::to_string(a));
            campusLinks.emplace_back(gw, agg);
            for (uint32_t e = 0; e < edges; ++e)
            {
                std::string en = std::to_string(a) + "-" + std::to_string(e);
                Ptr<Node> edge = make(c, cn + "-e" + en);
                campusLinks.emplace_back(agg, edge);
                for (uint32_t h = 0; h < hosts; ++h)
                {
                    Ptr<Node> host = make(c, cn + "-h" + en + "-" + std::to_string(h));
                    campusLinks.emplace_back(edge, host);
                    campusHosts[c].push_back(host);
                }
            }
        }
    }
    InternetStackHelper stack;
    stack.Install(all);
    Ipv4AddressHelper addr("10.0.0.0", "255.255.255.252");
    for (const auto& l : campusLinks)
    {
        addr.Assign(campusLink.Install(l.first, l.second));
        addr.NewNetwork();
    }
    for (uint32_t c = 0; c < campuses; ++c)
    {
        addr.Assign(backbone.Install(gateways[c], gateways[(c + 1) % campuses]));
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(all);

    Ptr<GenesisProfileDatabase> db;
    if (dbPath != "none")
    {
        db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(GenesisProfileDatabase::RankPath(dbPath, rank, size)));
        try
        {
            db->Open();
            // Which rank wrote the file: genesis-db-merge needs it, also for one rank.
            db->RecordRank(rank, size);
        }
        catch (const GenesisError& e)
        {
            return fail(e.what());
        }
        db->Attach(root);
    }
    Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
    spawner->SetAttribute(
        "SpawnMode",
        EnumValue(spawnMode == "packets" ? GenesisSpawner::PACKETS : GenesisSpawner::INSTANT));
    if (db)
    {
        spawner->SetDatabase(db);
    }
    spawner->TraceConnectWithoutContext("SpawnFailed", MakeCallback(&OnFailed));
    genesis.SetLifecycleServer(gateways[0]);

    // ------------------------------------------------------------ traffic
    Time stop = Seconds(simTime - 0.5);
    for (uint32_t c = 0; c < campuses; ++c)
    {
        const auto& from = campusHosts[c];
        const auto& to = campusHosts[(c + 1) % campuses];
        for (std::size_t i = 0; i < from.size(); ++i)
        {
            Sink(to[i], 9000);
            Ipv4Address dst = to[i]->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
            // Starts spread over 100 ms in steps of 7 us: no two flows in step.
            Time start = Seconds(0.5) + MicroSeconds(7 * (c * from.size() + i) % 100000);
            Source(from[i], dst, 9000, hRate, packetSize, start, stop);
        }
    }

    // The children's hosts (addresses from the profiles).
    struct ChildFlow
    {
        std::string src;
        std::string dst;
        std::string dstAddress;
        uint16_t port;
        const char* rate;
        double start;
        double stop;
    };

    const ChildFlow childFlows[] = {
        {"c0-h0-0-0", "c1-h0-0-0", "172.20.2.1", 9001, "25Mbps", 3.0, simTime - 0.5},
        {"c1-h1-0-0", "c2-h0-1-0", "172.22.2.1", 9002, "3Mbps", 3.0, simTime - 0.5},
        {"c2-h1-1-0", "c3-h1-1-0", "172.21.2.1", 9003, "12Mbps", 3.0, 5.9},
    };
    for (const auto& f : childFlows)
    {
        Ptr<Node> src = Names::Find<Node>(f.src);
        Ptr<Node> dst = Names::Find<Node>(f.dst);
        Sink(dst, f.port);
        Source(src,
               Ipv4Address(f.dstAddress.c_str()),
               f.port,
               GenesisHelper::ParseRate(f.rate, "child flow rate"),
               packetSize,
               Seconds(f.start),
               Seconds(f.stop));
    }
    Simulator::Schedule(Seconds(2.5),
                        &StartRouteletFlow,
                        spawner,
                        GenesisHelper::ParseRate("6Mbps", "video-hd flow rate"),
                        packetSize,
                        stop);

    try
    {
        genesis.Spawn(Seconds(1.0), profiles + "/distributed-video.yaml");
        genesis.Spawn(Seconds(1.2), profiles + "/distributed-control.yaml");
        genesis.Spawn(Seconds(1.4), profiles + "/distributed-data.yaml");
    }
    catch (const GenesisError& e)
    {
        return fail(e.what());
    }

    auto wall1 = std::chrono::steady_clock::now();
    Simulator::Stop(Seconds(simTime));
    Simulator::Run();
    auto wall2 = std::chrono::steady_clock::now();

    // ------------------------------------------------------------ results
    uint64_t packets = 0;
    if (flowsPath != "none")
    {
        std::ofstream out(GenesisProfileDatabase::RankPath(flowsPath, rank, size));
        if (!out)
        {
            return fail("cannot write --flows file " +
                        GenesisProfileDatabase::RankPath(flowsPath, rank, size));
        }
        for (const auto& f : g_flows)
        {
            out << f.first << " " << f.second.packets << " " << f.second.bytes << " "
                << f.second.delayNs << "\n";
        }
    }
    for (const auto& f : g_flows)
    {
        packets += f.second.packets;
    }
    if (db)
    {
        for (const auto& nb : g_rxBytes)
        {
            Ptr<VirtualNetwork> net = root->FindNetwork(nb.first);
            if (net)
            {
                db->RecordStatistic(net->GetId(), "rx-bytes", static_cast<double>(nb.second));
            }
        }
    }
    double setup = std::chrono::duration<double>(wall1 - wall0).count();
    double run = std::chrono::duration<double>(wall2 - wall1).count();
    std::cout << "genesis-distributed: rank " << rank << " of " << size << ", "
              << GenesisDistributed::GetImplementationName() << ", " << all.GetN()
              << " parent nodes (" << NodeList::GetNNodes() << " with routelets), "
              << g_flows.size() << " flows received here, " << packets << " packets\n";
    for (const auto& nb : g_rxBytes)
    {
        std::cout << "  rank " << rank << "  " << std::left << std::setw(9) << nb.first
                  << std::right << std::fixed << std::setprecision(3) << std::setw(10)
                  << nb.second * 8.0 / 1e6 << " Mbit received\n";
    }
    std::cout << "  rank " << rank << "  wall time: setup " << std::setprecision(2) << setup
              << " s, run " << run << " s\n";
    if (db)
    {
        db->Dispose();
    }
    Simulator::Destroy();
#ifdef NS3_MPI
    MpiInterface::Disable();
#endif
    return 0;
}
