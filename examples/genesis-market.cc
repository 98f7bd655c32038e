/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-market: three child networks bid for a shared parent over time
 * (paper §V-C-4). The root network's maestro runs a progressive second-price
 * auction every provisioning interval and re-provisions the arbitrators:
 *
 *   n0 ===== n1 ===== n2      10 Mbit/s point-to-point links, 2 ms
 *
 * video (market-video.yaml) bids 2.0 for 5 Mbit/s from the start; data
 * (market-data.yaml) bids 1.0 for 6 Mbit/s and raises to 3.0 at 15 s; game
 * (market-game.yaml) arrives at 10 s with 1.5 for 3 Mbit/s and its own
 * maestro. Every child floods 8 Mbit/s from n0 to n2; the root keeps OwnRate
 * for its own 1 Mbit/s flow. Each interval prints every child's price,
 * allocation, measured rate on n0->n1 and payment; everything is recorded in
 * the run database (--db).
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>

using namespace ns3;

namespace
{

struct Market
{
    Ptr<VirtualNetwork> root;
    Ptr<GenesisMaestro> maestro;
    Ptr<NetDevice> bottleneck; //!< n0 -> n1
    bool header{false};
};

void
PrintRound(Market* m, uint64_t round)
{
    if (round == 0)
    {
        return; // no interval ended yet
    }
    if (!m->header)
    {
        std::cout << "The interval that ends at 'time' on n0->n1: the allocation in force and the "
                     "measured rate;\nthen the round's bid, new allocation and payment (all "
                     "devices).\n\n";
        std::cout << "   time  network  alloc  rate Mbit/s   price  new alloc  payment\n";
        m->header = true;
    }
    std::map<uint16_t, const GenesisMonitor::Reading*> reading;
    for (const auto& r : m->maestro->GetLastReadings())
    {
        if (r.nodeId == m->bottleneck->GetNode()->GetId() &&
            r.deviceIndex == m->bottleneck->GetIfIndex())
        {
            reading[r.networkId] = &r;
        }
    }
    const auto& outcome = m->maestro->GetLastOutcome();
    for (const auto& c : m->root->GetChildren())
    {
        auto o = outcome.find(c->GetId());
        auto r = reading.find(c->GetId());
        std::cout << std::fixed << std::setw(6) << std::setprecision(1)
                  << Simulator::Now().GetSeconds() << "s  " << std::left << std::setw(7)
                  << c->GetName() << std::right << std::setprecision(3) << std::setw(7)
                  << (r == reading.end() ? 0.0 : r->second->allocatedBps / 1e6) << std::setw(13)
                  << (r == reading.end() ? 0.0 : r->second->rateBps / 1e6) << std::setw(8)
                  << std::setprecision(2) << (o == outcome.end() ? 0.0 : o->second.price)
                  << std::setw(11) << std::setprecision(3)
                  << c->GetReservedRate(m->bottleneck).GetBitRate() / 1e6 << std::setw(9)
                  << std::setprecision(2) << (o == outcome.end() ? 0.0 : o->second.payment) << "\n";
    }
}

void
Flood(Ptr<VirtualNetwork> n, DataRate rate, Time stop)
{
    Ptr<VirtualLink> l = n->GetLinks().front();
    Ipv4Address dst(l->GetSubnet().Get() + 2); // end B of the link
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(dst, 9));
    onoff.SetConstantRate(rate, 1000);
    ApplicationContainer a = onoff.Install(n->GetRoutelets()[0]->GetNode());
    a.Start(Seconds(0));
    a.Stop(stop - Simulator::Now());
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink.Install(n->GetRoutelets()[1]->GetNode());
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string dbPath = "genesis-market.sqlite";
    std::string profiles = "examples/profiles";
    std::string intervalText = "1s";
    std::string durationText = "30s";
    std::string policing = "none";
    std::string offered = "8Mbps";
    std::string ownRate = "1Mbps";
    double reservePrice = 0.1;
    CommandLine cmd(__FILE__);
    cmd.Usage("Three child networks bid for a shared parent link in a progressive second-price "
              "auction run by the root's maestro every provisioning interval; prints the "
              "allocations and measured rates per interval and records them in a database.");
    cmd.AddValue("db", "Run database file (replaced if it exists; 'none' for no database)", dbPath);
    cmd.AddValue("profiles", "Directory holding the market-*.yaml profiles", profiles);
    cmd.AddValue("interval", "Provisioning interval of the root's maestro, e.g. 1s", intervalText);
    cmd.AddValue("duration",
                 "Simulated time, e.g. 30s (the game child arrives at 10s)",
                 durationText);
    cmd.AddValue("policing",
                 "What the root's monitors do above an allocation: none, drop, mark-ecn, "
                 "mark-dscp",
                 policing);
    cmd.AddValue("offered", "Rate every child offers, e.g. 8Mbps", offered);
    cmd.AddValue("own",
                 "Capacity the root keeps for its own traffic (OwnRate), e.g. 1Mbps",
                 ownRate);
    cmd.AddValue("reserve", "The root's reserve price (per Mbit/s per interval)", reservePrice);
    cmd.Parse(argc, argv);

    Time interval;
    Time duration;
    DataRate offeredRate;
    DataRate own;
    try
    {
        if (!GenesisProfileReader::ParseTime(intervalText, &interval) || interval < MilliSeconds(1))
        {
            throw GenesisError("--interval '" + intervalText +
                               "' is not a time of at least 1ms (e.g. 1s)");
        }
        if (!GenesisProfileReader::ParseTime(durationText, &duration) ||
            !duration.IsStrictlyPositive())
        {
            throw GenesisError("--duration '" + durationText +
                               "' is not a positive time (e.g. 30s)");
        }
        offeredRate = GenesisHelper::ParseRate(offered, "--offered");
        own = GenesisHelper::ParseRate(ownRate, "--own");
        if (policing != "none" && policing != "drop" && policing != "mark-ecn" &&
            policing != "mark-dscp")
        {
            throw GenesisError("--policing '" + policing +
                               "' is not one of none, drop, mark-ecn, mark-dscp");
        }
        if (reservePrice < 0)
        {
            throw GenesisError("--reserve must be >= 0");
        }
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-market: " << e.what() << "\n";
        return 1;
    }

    NodeContainer nodes;
    nodes.Create(3);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    NetDeviceContainer l01 = p2p.Install(nodes.Get(0), nodes.Get(1));
    addr.Assign(l01);
    addr.NewNetwork();
    Ipv4InterfaceContainer i12 = addr.Assign(p2p.Install(nodes.Get(1), nodes.Get(2)));
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);

    Ptr<GenesisProfileDatabase> db;
    if (dbPath != "none")
    {
        db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(dbPath));
        try
        {
            db->Open();
        }
        catch (const GenesisError& e)
        {
            std::cerr << "genesis-market: " << e.what() << "\n";
            Simulator::Destroy();
            return 1;
        }
        db->Attach(root);
    }

    Market market;
    market.root = root;
    market.bottleneck = l01.Get(0);
    market.maestro = CreateObject<GenesisMaestro>();
    market.maestro->SetAttribute("ProvisioningInterval", TimeValue(interval));
    market.maestro->SetAttribute("OwnRate", DataRateValue(own));
    market.maestro->GetAuctioneer()->SetAttribute("ReservePrice", DoubleValue(reservePrice));
    ObjectFactory monitors("ns3::GenesisMonitor");
    monitors.Set("PolicingAction", StringValue(policing));
    market.maestro->SetMonitorFactory(monitors);
    market.maestro->SetDatabase(db);
    market.maestro->Attach(root);
    market.maestro->TraceConnectWithoutContext("Round", MakeBoundCallback(&PrintRound, &market));

    Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
    spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
    spawner->SetDatabase(db);
    try
    {
        Flood(spawner->SpawnFile(profiles + "/market-video.yaml", root), offeredRate, duration);
        Flood(spawner->SpawnFile(profiles + "/market-data.yaml", root), offeredRate, duration);
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-market: " << e.what() << "\n(run it from the top of the module, "
                  << "or give --profiles=DIR)\n";
        Simulator::Destroy();
        return 1;
    }
    if (duration > Seconds(10))
    {
        Simulator::Schedule(Seconds(10), [&]() {
            try
            {
                Ptr<VirtualNetwork> game = spawner->SpawnFile(profiles + "/market-game.yaml", root);
                Flood(game, offeredRate, duration);
            }
            catch (const GenesisError& e)
            {
                std::cerr << "genesis-market: game: " << e.what() << "\n";
            }
        });
    }
    // the root's own traffic, n0 -> n2
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(i12.GetAddress(1), 10));
    onoff.SetConstantRate(DataRate("1Mbps"), 1000);
    ApplicationContainer a = onoff.Install(nodes.Get(0));
    a.Stop(duration);
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 10));
    sink.Install(nodes.Get(2));

    Simulator::Stop(duration + NanoSeconds(1)); // the round at the end runs
    Simulator::Run();

    std::cout << "\nrounds: " << market.maestro->GetNRounds() << " (interval "
              << interval.As(Time::S)
              << "), capacity auctioned on n0->n1 in the last round: " << std::setprecision(3)
              << market.maestro->GetAuctionedCapacity(market.bottleneck) / 1e6 << " Mbit/s\n";
    if (db)
    {
        db->Dispose();
        std::cout << "database written to " << dbPath << "; try: sqlite3 " << dbPath
                  << " 'SELECT time_ns/1e9, network_id, rate_bps/1e6, allocated_bps/1e6 FROM "
                     "link_stats WHERE node_id = 0'\n";
    }
    Simulator::Destroy();
    return 0;
}
