/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-nesting: the root network, two children and one grandchild on a
 * 4-node parent network, all sending more than their share over the same
 * bottleneck. Prints each network's rate against its guaranteed share.
 *
 *   n0 ---- n1 ---- n2 ---- n3      10 Mbps, 2 ms point-to-point links
 *
 *   root   : its own UDP flood n0 -> n3 (best-effort: what is left)
 *   gold   : controlled, 4 Mbps per link, routelets on n0 and n3
 *     gold-1 : grandchild inside gold, controlled 2 Mbps of gold's 4 Mbps
 *   silver : constant, 2 Mbps peak (capped even when the link is idle)
 *
 * Every child link n0 - n3 is label-switched through n1 and n2. Rates are
 * measured where the networks compete: the ArbitratorQueueDisc on n0's
 * device towards n1 (IP bytes, as the arbitrator accounts them).
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisNestingExample");

namespace
{
std::map<uint32_t, uint64_t> g_rootBytes;  //!< bytes per class at the root arbitrator
std::map<uint32_t, uint64_t> g_innerBytes; //!< bytes per class in gold's arbitrator
Time g_start;                              //!< start of the measurement window

void
CountRoot(uint32_t id, Ptr<const QueueDiscItem> item)
{
    if (Simulator::Now() >= g_start)
    {
        g_rootBytes[id] += item->GetSize();
    }
}

void
CountInner(uint32_t id, Ptr<const QueueDiscItem> item)
{
    if (Simulator::Now() >= g_start)
    {
        g_innerBytes[id] += item->GetSize();
    }
}

/// A constant-rate UDP source on \p src towards \p dst (a sink on \p dstNode).
void
Flood(Ptr<Node> src, Ptr<Node> dstNode, Ipv4Address dst, DataRate rate, Time start, Time stop)
{
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(dst, 9));
    onoff.SetConstantRate(rate, 1000);
    ApplicationContainer apps = onoff.Install(src);
    apps.Start(start);
    apps.Stop(stop);
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink.Install(dstNode).Start(Seconds(0));
}

bool g_refused = false; //!< a spawn was refused

/// Reports a refused spawn.
void
Refused(Ptr<VirtualNetwork> net, const std::string& reason)
{
    std::cerr << Simulator::Now().As(Time::S) << " refused: " << reason << "\n";
    g_refused = true;
}

/// Runs when a network has spawned: its routelets now have nodes and addresses.
void
StartTraffic(DataRate offered, Time stop, Ptr<VirtualNetwork> net)
{
    Ptr<VirtualLink> link = net->GetLinks().front();
    Flood(link->GetEndA()->GetNode(),
          link->GetEndB()->GetNode(),
          Ipv4Address(link->GetSubnet().Get() + 2),
          offered,
          Seconds(0),
          stop - Simulator::Now());
}
} // namespace

int
main(int argc, char* argv[])
{
    double simTime = 10.0;
    double warmup = 2.0;
    std::string linkRate = "10Mbps";
    std::string goldRate = "4Mbps";
    std::string gold1Rate = "2Mbps";
    std::string silverRate = "2Mbps";
    std::string offered = "8Mbps";
    std::string csvFile;

    CommandLine cmd(__FILE__);
    cmd.AddValue("simTime", "Simulated time in seconds", simTime);
    cmd.AddValue("warmup", "Seconds excluded from the measurement", warmup);
    cmd.AddValue("linkRate", "Rate of the parent's point-to-point links", linkRate);
    cmd.AddValue("goldRate", "Guaranteed (controlled) rate of child 'gold'", goldRate);
    cmd.AddValue("gold1Rate", "Guaranteed (controlled) rate of grandchild 'gold-1'", gold1Rate);
    cmd.AddValue("silverRate", "Peak (constant) rate of child 'silver'", silverRate);
    cmd.AddValue("offered", "Rate every network offers (UDP, 1000-byte payloads)", offered);
    cmd.AddValue("csv", "Write the table as CSV to this file", csvFile);
    cmd.Parse(argc, argv);

    // Rates from the command line are parsed by Genesis: ns-3's own DataRate
    // parser aborts on malformed text.
    DataRate linkR;
    DataRate goldR;
    DataRate gold1R;
    DataRate silverR;
    DataRate offer;
    try
    {
        linkR = GenesisHelper::ParseRate(linkRate, "--linkRate");
        goldR = GenesisHelper::ParseRate(goldRate, "--goldRate");
        gold1R = GenesisHelper::ParseRate(gold1Rate, "--gold1Rate");
        silverR = GenesisHelper::ParseRate(silverRate, "--silverRate");
        offer = GenesisHelper::ParseRate(offered, "--offered");
        if (warmup < 0 || simTime <= warmup + 1)
        {
            throw GenesisError("--simTime must exceed --warmup by more than 1 s (got simTime " +
                               std::to_string(simTime) + ", warmup " + std::to_string(warmup) +
                               ")");
        }
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-nesting: " << e.what() << "\n";
        return 1;
    }

    NodeContainer nodes;
    nodes.Create(4);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(linkR));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    for (uint32_t i = 0; i + 1 < nodes.GetN(); ++i)
    {
        NetDeviceContainer d = p2p.Install(nodes.Get(i), nodes.Get(i + 1));
        addr.Assign(d);
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);

    Ptr<VirtualNetwork> gold = genesis.CreateNetwork(root, "gold", "controlled", goldR);
    gold->AddLink(gold->AddRoutelet(nodes.Get(0)), gold->AddRoutelet(nodes.Get(3)));
    Ptr<VirtualNetwork> silver = genesis.CreateNetwork(root, "silver", "constant", silverR);
    silver->SetAttribute("Ipv4Base", Ipv4AddressValue("172.17.0.0"));
    silver->AddLink(silver->AddRoutelet(nodes.Get(0)), silver->AddRoutelet(nodes.Get(3)));
    Ptr<VirtualNetwork> gold1 = genesis.CreateNetwork(gold, "gold-1", "controlled", gold1R);
    gold1->SetAttribute("Ipv4Base", Ipv4AddressValue("172.18.0.0"));
    gold1->AddLink(gold1->AddRoutelet(nodes.Get(0)), gold1->AddRoutelet(nodes.Get(3)));

    Time stop = Seconds(simTime);
    genesis.Spawn(Seconds(0.5), gold);
    genesis.Spawn(Seconds(0.5), silver);
    genesis.Spawn(Seconds(0.6), gold1);
    for (auto net : {gold, silver, gold1})
    {
        net->TraceConnectWithoutContext("Spawned", MakeBoundCallback(&StartTraffic, offer, stop));
        net->TraceConnectWithoutContext("SpawnFailed", MakeCallback(&Refused));
    }
    // The root network's own traffic.
    Flood(nodes.Get(0),
          nodes.Get(3),
          nodes.Get(3)->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal(),
          offer,
          Seconds(1.0),
          stop);

    // Measure at n0's device towards n1.
    Ptr<NetDevice> bottleneck = nodes.Get(0)->GetDevice(1);
    Ptr<ArbitratorQueueDisc> rootArb = root->GetArbitrator(bottleneck);
    rootArb->TraceConnectWithoutContext("ClassDequeue", MakeCallback(&CountRoot));
    Simulator::Schedule(Seconds(0.7), [gold, bottleneck]() {
        if (gold->GetState() == VirtualNetwork::SPAWNED)
        {
            gold->GetArbitrator(bottleneck)
                ->TraceConnectWithoutContext("ClassDequeue", MakeCallback(&CountInner));
        }
    });
    g_start = Seconds(warmup);

    Simulator::Stop(stop);
    Simulator::Run();

    if (g_refused)
    {
        std::cerr << "genesis-nesting: a network was refused admission (see above); the "
                     "guaranteed rates must fit in --linkRate\n";
        Simulator::Destroy();
        return 1;
    }
    double window = simTime - warmup;
    double link = linkR.GetBitRate();
    double gR = goldR.GetBitRate();
    double g1R = gold1R.GetBitRate();
    double sR = silverR.GetBitRate();

    struct Row
    {
        std::string name;
        std::string cls;
        double guaranteed;
        double expected;
        double measured;
    };

    // With every class backlogged, WF2Q+ gives each class its weight: the
    // guaranteed rate for constant/controlled, and what is left for the
    // best-effort own classes (root: link - gold - silver; gold: gold - gold-1).
    std::vector<Row> rows = {
        {"root (own)", "best-effort", 0, link - gR - sR, g_rootBytes[0] * 8.0 / window},
        {"gold", "controlled", gR, gR, g_rootBytes[gold->GetId()] * 8.0 / window},
        {"  gold (own)", "best-effort", 0, gR - g1R, g_innerBytes[gold->GetId()] * 8.0 / window},
        {"  gold-1", "controlled", g1R, g1R, g_innerBytes[gold1->GetId()] * 8.0 / window},
        {"silver", "constant", sR, sR, g_rootBytes[silver->GetId()] * 8.0 / window},
    };
    std::cout << "genesis-nesting: " << linkRate << " bottleneck n0->n1, every network offers "
              << offered << ", measured over " << window << " s\n\n";
    std::cout << std::left << std::setw(14) << "network" << std::setw(13) << "class" << std::right
              << std::setw(12) << "guaranteed" << std::setw(12) << "expected" << std::setw(12)
              << "measured" << std::setw(9) << "error"
              << "\n";
    std::ofstream csv;
    if (!csvFile.empty())
    {
        csv.open(csvFile);
        csv << "network,class,guaranteed_bps,expected_bps,measured_bps,error\n";
    }
    bool ok = true;
    for (const auto& r : rows)
    {
        double err = r.expected > 0 ? (r.measured - r.expected) / r.expected : 0;
        ok = ok && std::abs(err) < 0.02;
        std::cout << std::left << std::setw(14) << r.name << std::setw(13) << r.cls << std::right
                  << std::fixed << std::setprecision(3) << std::setw(10) << r.guaranteed / 1e6
                  << "M" << std::setw(11) << r.expected / 1e6 << "M" << std::setw(11)
                  << r.measured / 1e6 << "M" << std::setw(8) << std::setprecision(2) << err * 100
                  << "%\n";
        if (csv.is_open())
        {
            csv << r.name << "," << r.cls << "," << r.guaranteed << "," << r.expected << ","
                << r.measured << "," << err << "\n";
        }
    }
    std::cout << "\nEvery network within 2% of its WF2Q+ share: " << (ok ? "yes" : "NO") << "\n";
    Simulator::Destroy();
    return ok ? 0 : 1;
}
