/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-profile-db: a run recorded in the profile database (SQLite).
 *
 *   n0 ---- n1 ---- n2 ---- n3      10 Mbps, 2 ms point-to-point links
 *
 *   t=1s  spawn  video  controlled 3 Mbps, n0 - n3
 *   t=2s  spawn  voice  constant   2 Mbps, n1 - n3
 *   t=3s  spawn  bulk   controlled 8 Mbps, n0 - n2   (refused: only 7 Mbps left on n0-n1)
 *   t=4s  a statistic for voice
 *   t=5s  teardown video
 *
 * The database file (--db, default genesis.sqlite) can be queried afterwards:
 *   sqlite3 genesis.sqlite "SELECT * FROM refusals"
 * doc/genesis.rst ("Profile database") shows the queries and their output.
 */

#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisProfileDbExample");

namespace
{
Ptr<VirtualNetwork>
Child(GenesisHelper& genesis,
      NodeContainer& nodes,
      const std::string& name,
      const std::string& cls,
      const std::string& rate,
      uint32_t a,
      uint32_t b,
      const std::string& base)
{
    Ptr<VirtualNetwork> net = genesis.CreateNetwork(genesis.GetRootNetwork(), name, cls, rate);
    net->SetAttribute("Ipv4Base", Ipv4AddressValue(base.c_str()));
    Ptr<Routelet> ra = net->AddRoutelet(nodes.Get(a));
    Ptr<Routelet> rb = net->AddRoutelet(nodes.Get(b));
    net->AddLink(ra, rb);
    return net;
}

void
Report(std::string what, Ptr<VirtualNetwork> net)
{
    std::cout << Simulator::Now().As(Time::S) << "  " << what << " " << net->GetName() << "\n";
}

void
ReportRefusal(Ptr<VirtualNetwork> net, const std::string& reason)
{
    std::cout << Simulator::Now().As(Time::S) << "  refused " << net->GetName() << ": " << reason
              << "\n";
}
} // namespace

int
main(int argc, char* argv[])
{
    std::string dbPath = "genesis.sqlite";
    CommandLine cmd(__FILE__);
    cmd.AddValue("db", "Path of the profile database file (replaced if it exists)", dbPath);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(4);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    for (uint32_t i = 0; i + 1 < nodes.GetN(); ++i)
    {
        addr.Assign(p2p.Install(nodes.Get(i), nodes.Get(i + 1)));
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);
    Ptr<VirtualNetwork> video =
        Child(genesis, nodes, "video", "controlled", "3Mbps", 0, 3, "172.16.0.0");
    Ptr<VirtualNetwork> voice =
        Child(genesis, nodes, "voice", "constant", "2Mbps", 1, 3, "172.17.0.0");
    Ptr<VirtualNetwork> bulk =
        Child(genesis, nodes, "bulk", "controlled", "8Mbps", 0, 2, "172.18.0.0");
    for (auto n : {video, voice, bulk})
    {
        n->TraceConnectWithoutContext("Spawned",
                                      MakeBoundCallback(&Report, std::string("spawned")));
        n->TraceConnectWithoutContext("TornDown",
                                      MakeBoundCallback(&Report, std::string("tore down")));
        n->TraceConnectWithoutContext("SpawnFailed", MakeCallback(&ReportRefusal));
    }

    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    db->SetAttribute("Path", StringValue(dbPath));
    try
    {
        db->Open();
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-profile-db: " << e.what() << "\n";
        Simulator::Destroy();
        return 1;
    }
    db->Attach(root);

    genesis.Spawn(Seconds(1), video);
    genesis.Spawn(Seconds(2), voice);
    genesis.Spawn(Seconds(3), bulk);
    genesis.Teardown(Seconds(5), video);
    Simulator::Schedule(Seconds(4),
                        [db, voice]() { db->RecordStatistic(voice->GetId(), "rx-bytes", 250000); });
    Simulator::Stop(Seconds(6));
    Simulator::Run();
    db->Dispose();
    Simulator::Destroy();
    std::cout << "database written to " << dbPath << "; try: sqlite3 " << dbPath
              << " \"SELECT name, state FROM networks\"\n";
    return 0;
}
