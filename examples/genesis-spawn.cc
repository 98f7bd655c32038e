/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-spawn: child networks spawned from profiling scripts and driven by
 * their executable timelines, recorded in a profile database.
 *
 *   server n4        n6 src                 n5 viewer   n7 dst
 *            \      /                               \   /
 *             n0 -- n1 -- n2 -- n3 ------------------ n3
 *
 * Routers n0 - n1 - n2 - n3 in a chain; hosts n4 and n6 hang off n0, n5 and
 * n7 off n3; every link 10 Mbit/s, 2 ms. Global routing, then Genesis.
 *
 *   t=2s  video (controlled 6 Mbit/s, profiles/spawn-video.yaml) and data
 *         (constant 2 Mbit/s, profiles/spawn-data.yaml) spawn;
 *   t=4s  video's timeline spawns the grandchild video-hd (2 Mbit/s of video's 6);
 *   t=5s  video's timeline asks for video-4k (5 Mbit/s): refused, over-allocation;
 *   t=6s  video's timeline sets the Rate of its trunk shaper (TbfQueueDisc)
 *         from 3 to 5 Mbit/s: the viewer's throughput follows;
 *   t=8s  data's timeline tears data down.
 *
 * UDP flows run between the end hosts of each child; the summary compares the
 * throughput with the reserved rate. Every spawn, refusal, teardown and
 * reservation is in the SQLite file given by --db, with each child's received
 * rate every 0.5 s (statistics "rx-payload-mbps"); `genesis-report <db>` makes
 * an HTML report of it, and --dot=prefix writes the network pictures.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-graphviz.h"
#include "ns3/genesis-helper.h"
#include "ns3/genesis-spawner.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/profile-database.h"

#include <cctype>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisSpawnExample");

namespace
{

/// Phases of the spawn in progress, per network.
std::map<std::string, std::string> g_phases;

void
Row(const std::string& network, const std::string& event, const std::string& outcome)
{
    std::cout << std::fixed << std::setprecision(3) << std::setw(7) << Simulator::Now().GetSeconds()
              << "s  " << std::left << std::setw(9) << network << std::setw(22) << event << outcome
              << std::right << "\n";
}

void
OnPhase(const std::string& network, const std::string& phase, Time)
{
    std::string& p = g_phases[network];
    p += (p.empty() ? "" : ",") + phase;
    if (phase == "commit")
    {
        Row(network, "spawn", "spawned [" + p + "]");
        g_phases.erase(network);
    }
    else if (phase == "abort")
    {
        Row(network, "spawn", "aborted [" + p + "]");
        g_phases.erase(network);
    }
}

void
OnFailed(const std::string& network, const std::string& reason)
{
    g_phases.erase(network);
    std::string r = reason;
    while (!r.empty() && std::isspace(static_cast<unsigned char>(r.back())))
    {
        r.pop_back();
    }
    Row(network, "spawn refused", r);
}

void
OnTimeline(const std::string& network,
           const std::string& action,
           const std::string& description,
           bool ok)
{
    std::string d = description;
    while (!d.empty() && std::isspace(static_cast<unsigned char>(d.back())))
    {
        d.pop_back();
    }
    Row(network, "timeline " + action, std::string(ok ? "ok: " : "FAILED: ") + d);
}

/// Bytes received by each sink at each sampling instant.
struct Sample
{
    double t;
    uint64_t video;
    uint64_t data;
};

std::string
Mbps(uint64_t bytes, double seconds)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << bytes * 8.0 / seconds / 1e6 << " Mbit/s";
    return os.str();
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string dbPath = "genesis-spawn.sqlite";
    std::string profiles = "examples/profiles";
    std::string dotPrefix = "none";
    CommandLine cmd(__FILE__);
    cmd.Usage("Spawn child networks from profiling scripts, run their timelines (a grandchild, "
              "a refused over-allocation, an attribute change, a teardown) and record "
              "everything in a profile database.");
    cmd.AddValue("db", "Path of the profile database file (replaced if it exists)", dbPath);
    cmd.AddValue("profiles", "Directory holding the spawn-*.yaml profiles", profiles);
    cmd.AddValue("dot",
                 "At the end, write the network tree and each running network's topology as "
                 "<prefix>tree.dot and <prefix>net-<name>.dot (plus .svg when Graphviz dot is "
                 "installed); 'none': do not",
                 dotPrefix);
    cmd.Parse(argc, argv);

    // n0..n3 routers, n4..n7 hosts.
    NodeContainer nodes;
    nodes.Create(8);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    const std::pair<uint32_t, uint32_t> links[] =
        {{0, 1}, {1, 2}, {2, 3}, {0, 4}, {3, 5}, {0, 6}, {3, 7}};
    for (const auto& l : links)
    {
        addr.Assign(p2p.Install(nodes.Get(l.first), nodes.Get(l.second)));
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);

    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    db->SetAttribute("Path", StringValue(dbPath));
    try
    {
        db->Open();
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-spawn: " << e.what() << "\n";
        Simulator::Destroy();
        return 1;
    }
    db->Attach(root);

    Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
    // Every phase at the scheduled instant: the times above are exact.
    spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
    spawner->SetDatabase(db);
    spawner->TraceConnectWithoutContext("SpawnPhase", MakeCallback(&OnPhase));
    spawner->TraceConnectWithoutContext("SpawnFailed", MakeCallback(&OnFailed));
    spawner->TraceConnectWithoutContext("TimelineEvent", MakeCallback(&OnTimeline));

    try
    {
        genesis.Spawn(Seconds(2), profiles + "/spawn-video.yaml");
        genesis.Spawn(Seconds(2), profiles + "/spawn-data.yaml");
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-spawn: " << e.what() << "\n";
        Simulator::Destroy();
        return 1;
    }

    // Traffic between the end hosts of each child: video offers 5 Mbit/s
    // (its shaper passes 3, then 5 from t=6s), data offers 3 Mbit/s on a
    // constant 2 Mbit/s network.
    auto flow = [&](uint32_t src, uint32_t dst, const char* to, const char* rate) {
        OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address(to), 9));
        onoff.SetConstantRate(DataRate(rate), 1000);
        ApplicationContainer a = onoff.Install(nodes.Get(src));
        a.Start(Seconds(2.5));
        a.Stop(Seconds(8.5));
        PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
        ApplicationContainer s = sink.Install(nodes.Get(dst));
        s.Start(Seconds(0));
        return DynamicCast<PacketSink>(s.Get(0));
    };
    Ptr<PacketSink> videoSink = flow(4, 5, "172.20.2.1", "5Mbps");
    Ptr<PacketSink> dataSink = flow(6, 7, "172.21.2.1", "3Mbps");

    std::vector<Sample> samples;
    for (double t : {3.0, 6.0, 8.0, 9.0})
    {
        Simulator::Schedule(Seconds(t), [&samples, videoSink, dataSink, t]() {
            samples.push_back(Sample{t, videoSink->GetTotalRx(), dataSink->GetTotalRx()});
        });
    }
    // Every 0.5 s, each running child's received payload rate goes to the
    // database's statistics (what genesis-report plots).
    auto lastRx = std::make_shared<std::map<std::string, uint64_t>>();
    for (int i = 6; i <= 18; ++i)
    {
        Simulator::Schedule(Seconds(0.5 * i), [=]() {
            for (const auto& [name, sink] :
                 {std::make_pair("video", videoSink), std::make_pair("data", dataSink)})
            {
                Ptr<VirtualNetwork> n = root->FindNetwork(name);
                uint64_t rx = sink->GetTotalRx();
                if (n && n->GetState() == VirtualNetwork::SPAWNED)
                {
                    db->RecordStatistic(n->GetId(),
                                        "rx-payload-mbps",
                                        (rx - (*lastRx)[name]) * 8.0 / 0.5 / 1e6);
                }
                (*lastRx)[name] = rx;
            }
        });
    }
    // Reserved rates on n0's device towards n1, while every network runs.
    Ptr<NetDevice> n0n1 = nodes.Get(0)->GetDevice(1);
    std::map<std::string, DataRate> reserved;
    Simulator::Schedule(Seconds(4.5), [&]() {
        for (const char* name : {"video", "video-hd", "data"})
        {
            Ptr<VirtualNetwork> n = root->FindNetwork(name);
            reserved[name] = n ? n->GetReservedRate(n0n1) : DataRate(0);
        }
    });

    std::cout << "   time  network  event                 outcome\n";
    Simulator::Stop(Seconds(9));
    Simulator::Run();

    std::cout << "\nsummary (UDP payload at the sinks; reserved on n0->n1 at 4.5s)\n";
    std::cout << "  video    reserved " << reserved["video"].GetBitRate() / 1e6
              << " Mbit/s, shaper 3 -> 5 Mbit/s at 6s: "
              << Mbps(samples[1].video - samples[0].video, 3) << " in [3s,6s), "
              << Mbps(samples[2].video - samples[1].video, 2) << " in [6s,8s)\n";
    std::cout << "  video-hd reserved " << reserved["video-hd"].GetBitRate() / 1e6
              << " Mbit/s inside video (no traffic)\n";
    std::cout << "  data     reserved " << reserved["data"].GetBitRate() / 1e6
              << " Mbit/s (constant), 3 Mbit/s offered: "
              << Mbps(samples[1].data - samples[0].data, 3) << " in [3s,6s), "
              << Mbps(samples[3].data - samples[2].data, 1) << " in [8s,9s) after teardown\n";
    std::cout << "  running at the end:";
    for (const auto& c : root->GetChildren())
    {
        std::cout << " " << c->GetName() << " (" << c->GetChildren().size() << " children)";
    }
    std::cout << "\n";

    if (dotPrefix != "none")
    {
        try
        {
            for (const auto& f : GenesisGraphviz::WriteAll(root, dotPrefix))
            {
                std::cout << "picture written to " << f << "\n";
            }
        }
        catch (const GenesisError& e)
        {
            std::cerr << "genesis-spawn: " << e.what() << "\n";
        }
    }

    db->Dispose();
    Simulator::Destroy();
    std::cout << "database written to " << dbPath << "; try: sqlite3 " << dbPath
              << " \"SELECT name, state FROM networks\"\n";
    return 0;
}
