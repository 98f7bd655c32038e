/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-cellularip: the paper's illustrated example (§V-B-4, Fig. 1 and 7).
 * A wireline parent IP network spawns a Cellular IP child that extends it
 * with wireless access and fast local handoff; the Cellular IP child spawns
 * a campus network of its own; a video sibling shares the parent's links.
 *
 *                 alice    bob  library
 *                   |        |   /
 *   ch ----------- gw ===== hub ------ r1 ---- bs1, bs2    ))) mobiles )))
 *                               \       `---- lab
 *                                r2 ---- bs3, bs4
 *
 *   ch       correspondent host (downlink UDP CBR to every active mobile,
 *            a TCP bulk flow to mobile 0; uplink CBR from mobile 1)
 *   gw       the Cellular IP gateway; gw=hub is the parent link the
 *            Cellular IP child shares with the video sibling (--bottleneck,
 *            default 10 Mbit/s)
 *   bs1..4   base stations 50 m apart on one 802.11a ad hoc channel
 *   mobiles  --mobiles hosts moving along the base stations at --speed;
 *            the last --idle of them send nothing and are paged at --pageAt
 *
 *   t=1s  the Cellular IP child spawns from examples/profiles/cellularip.yaml
 *         (controlled 4 Mbit/s) and the video sibling from
 *         examples/profiles/cellularip-video.yaml (controlled 4 Mbit/s,
 *         alice -> bob, flooded with --videoRate);
 *   t=8s  the Cellular IP child's timeline spawns campus (1 Mbit/s of its 4,
 *         library -> lab).
 *
 * The summary: handoffs by type with packets lost per handoff, paging,
 * cache sizes, per-network throughput and delay (FlowMonitor), spawn
 * latency. --db writes the run database; --pcap, --ascii and --flowmon write
 * traces.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/flow-monitor-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/wifi-module.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisCellularIpExample");

namespace
{

/// One mobile host and what happened to it.
struct Mobile
{
    Ptr<Node> node;                              //!< the host
    Ipv4Address address;                         //!< its Cellular IP address
    Ptr<GenesisCellularIpMobileHost> agent;      //!< its agent
    bool idle = false;                           //!< sends nothing (paged)
    std::set<uint32_t> received;                 //!< downlink CBR sequence numbers
    std::vector<std::pair<Time, bool>> handoffs; //!< time, semisoft
    uint32_t paged = 0;                          //!< times paged
    Time pageSent;                               //!< paging probe sent
    Time pageDelivered;                          //!< paging probe received (0: never)
};

std::vector<Mobile> g_mobiles;
std::map<std::string, uint32_t> g_handoffs; // type -> count
std::map<std::string, uint32_t> g_lost;     // reason -> packets (routers and hosts)
uint32_t g_pagingEvents = 0;                // routers: paging-cache / broadcast uses
uint32_t g_controlTx = 0;                   // route- and paging-updates sent by hosts
std::map<std::string, Time> g_spawnLatency; // network -> request to commit
std::map<std::string, double> g_spawnedAt;  // network -> time
std::vector<std::string> g_refusals;        // refused spawns

void
OnHandoff(uint32_t i, Ipv4Address, Ipv4Address, const std::string& type, Time)
{
    g_handoffs[type]++;
    g_mobiles[i].handoffs.emplace_back(Simulator::Now(), type == "semisoft");
}

void
OnPaged(uint32_t i, Ptr<const Packet>)
{
    g_mobiles[i].paged++;
}

void
OnDownlink(uint32_t i, Ptr<const Packet> p)
{
    SeqTsHeader h;
    p->Copy()->RemoveHeader(h);
    g_mobiles[i].received.insert(h.GetSeq());
}

void
OnProbe(uint32_t i, Ptr<const Packet>, const Address&)
{
    if (g_mobiles[i].pageDelivered.IsZero())
    {
        g_mobiles[i].pageDelivered = Simulator::Now();
    }
}

void
OnRouterLost(Ptr<const Packet>, const Ipv4Header&, const std::string& reason)
{
    g_lost["router: " + reason]++;
}

void
OnHostLost(Ptr<const Packet>, const std::string& reason)
{
    g_lost["host: " + reason]++;
}

void
OnPaging(Ipv4Address, const std::string&)
{
    ++g_pagingEvents;
}

void
OnControlTx(const GenesisCellularIpHeader&)
{
    ++g_controlTx;
}

void
OnLatency(const std::string& network, Time latency)
{
    g_spawnLatency[network] = latency;
}

void
OnPhase(const std::string& network, const std::string& phase, Time)
{
    if (phase == "commit")
    {
        g_spawnedAt[network] = Simulator::Now().GetSeconds();
        std::cout << std::fixed << std::setprecision(3) << std::setw(7)
                  << Simulator::Now().GetSeconds() << "s  " << network << " spawned\n";
    }
}

void
OnFailed(const std::string& network, const std::string& reason)
{
    g_refusals.push_back(network + ": " + reason);
    std::cout << std::fixed << std::setprecision(3) << std::setw(7) << Simulator::Now().GetSeconds()
              << "s  " << network << " REFUSED: " << reason << "\n";
}

/// The network a flow belongs to, by address.
std::string
NetworkOf(Ipv4Address src, Ipv4Address dst)
{
    auto in = [](Ipv4Address a, const char* net, const char* mask) {
        return Ipv4Mask(mask).IsMatch(a, Ipv4Address(net));
    };
    if (in(src, "10.50.128.0", "255.255.128.0") || in(dst, "10.50.128.0", "255.255.128.0"))
    {
        return "campus";
    }
    if (in(src, "10.50.0.0", "255.255.0.0") || in(dst, "10.50.0.0", "255.255.0.0"))
    {
        return "cellularip";
    }
    if (in(src, "172.20.0.0", "255.255.0.0") || in(dst, "172.20.0.0", "255.255.0.0"))
    {
        return "video";
    }
    return "root";
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t nMobiles = 4;
    uint32_t nIdle = 1;
    double speed = 5;
    double duration = 30;
    std::string handoff = "mixed";
    std::string bottleneck = "10Mbps";
    std::string videoRate = "6Mbps";
    Time cbrInterval = MilliSeconds(20);
    double pageAt = 20;
    std::string dbPath = "genesis-cellularip.sqlite";
    std::string profiles = "examples/profiles";
    bool pcap = false;
    bool ascii = false;
    std::string flowmon;
    bool tcp = true;

    CommandLine cmd(__FILE__);
    cmd.Usage("The Genesis Kernel's illustrated example: a wireline parent spawns a Cellular IP "
              "child (wireless access, hard and semisoft handoff, paging) over its routers; "
              "the child spawns a campus network; a video sibling shares the parent links.");
    cmd.AddValue("mobiles", "Number of mobile hosts", nMobiles);
    cmd.AddValue("idle",
                 "How many of the mobiles (the last ones) send nothing and get paged",
                 nIdle);
    cmd.AddValue("speed", "Speed of the mobiles along the base stations, m/s", speed);
    cmd.AddValue("duration", "Simulated time, s", duration);
    cmd.AddValue("handoff",
                 "Handoff type of the mobiles: hard, semisoft or mixed (alternating)",
                 handoff);
    cmd.AddValue("bottleneck", "Rate of the shared parent link gw-hub", bottleneck);
    cmd.AddValue("videoRate",
                 "Rate the video sibling offers (its reservation is 4 Mbit/s)",
                 videoRate);
    cmd.AddValue("cbrInterval",
                 "Interval of the downlink and uplink CBR flows (200 B packets)",
                 cbrInterval);
    cmd.AddValue("tcp", "Run the TCP bulk flow to mobile 0", tcp);
    cmd.AddValue("pageAt", "When the idle mobiles are sent a packet (paging), s", pageAt);
    cmd.AddValue("db", "Path of the run database (replaced; 'none': no database)", dbPath);
    cmd.AddValue("profiles", "Directory holding cellularip*.yaml", profiles);
    cmd.AddValue("pcap", "Write pcap traces of the parent links and the air interfaces", pcap);
    cmd.AddValue("ascii",
                 "Write ASCII traces of the parent links and the air interfaces "
                 "(genesis-cellularip.tr, genesis-cellularip-air.tr)",
                 ascii);
    cmd.AddValue("flowmon", "Write FlowMonitor XML to this file", flowmon);
    cmd.Parse(argc, argv);

    DataRate bottleneckRate;
    DataRate videoOffered;
    try
    {
        bottleneckRate = GenesisHelper::ParseRate(bottleneck, "--bottleneck");
        videoOffered = GenesisHelper::ParseRate(videoRate, "--videoRate");
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-cellularip: " << e.what() << "\n";
        return 1;
    }
    if (nMobiles < 1 || nMobiles > 250 || nIdle > nMobiles || speed < 0 || duration < 10 ||
        cbrInterval <= Time(0) ||
        (handoff != "hard" && handoff != "semisoft" && handoff != "mixed") || pageAt < 2 ||
        pageAt >= duration)
    {
        std::cerr << "genesis-cellularip: need 1 <= --mobiles <= 250, --idle <= --mobiles, "
                     "--speed >= 0, --duration >= 10, --cbrInterval > 0, --handoff "
                     "hard|semisoft|mixed, 2 <= --pageAt < --duration\n";
        return 1;
    }

    for (const char* f : {"cellularip.yaml", "cellularip-video.yaml", "cellularip-campus.yaml"})
    {
        if (!std::ifstream(profiles + "/" + f).good())
        {
            std::cerr << "genesis-cellularip: cannot read " << profiles << "/" << f
                      << "; run it from the top of the Genesis tree (where ./ns3 is) or give "
                         "--profiles=<genesis>/examples/profiles\n";
            return 1;
        }
    }

    // ---- The parent: wireline routers, hosts, base-station radios ----
    NodeContainer routers; // gw hub r1 r2 bs1 bs2 bs3 bs4
    routers.Create(8);
    const char* routerNames[] = {"gw", "hub", "r1", "r2", "bs1", "bs2", "bs3", "bs4"};
    for (uint32_t i = 0; i < 8; ++i)
    {
        Names::Add(routerNames[i], routers.Get(i));
    }
    NodeContainer hosts; // ch alice bob library lab
    hosts.Create(5);
    const char* hostNames[] = {"ch", "alice", "bob", "library", "lab"};
    for (uint32_t i = 0; i < 5; ++i)
    {
        Names::Add(hostNames[i], hosts.Get(i));
    }
    Ptr<Node> gw = routers.Get(0);
    Ptr<Node> hub = routers.Get(1);
    Ptr<Node> ch = hosts.Get(0);
    NodeContainer parent(routers, hosts);
    InternetStackHelper stack;
    stack.Install(parent);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    auto link = [&](Ptr<Node> a, Ptr<Node> b, const std::string& rate) {
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        NetDeviceContainer d = p2p.Install(a, b);
        addr.Assign(d);
        addr.NewNetwork();
        return d;
    };
    std::ostringstream bn;
    bn << bottleneckRate.GetBitRate() << "bps";
    link(gw, hub, bn.str());
    link(ch, gw, "100Mbps");
    link(hosts.Get(1), gw, "100Mbps");             // alice
    link(hosts.Get(2), hub, "100Mbps");            // bob
    link(hosts.Get(3), hub, "100Mbps");            // library
    link(hosts.Get(4), routers.Get(2), "100Mbps"); // lab on r1
    link(hub, routers.Get(2), "20Mbps");
    link(hub, routers.Get(3), "20Mbps");
    link(routers.Get(2), routers.Get(4), "20Mbps");
    link(routers.Get(2), routers.Get(5), "20Mbps");
    link(routers.Get(3), routers.Get(6), "20Mbps");
    link(routers.Get(3), routers.Get(7), "20Mbps");

    // ---- Genesis: the parent is the root network ----
    // Its wireline devices are sliced; the air interfaces, added below, are
    // not (a base station's priority drop governs them).
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(parent);
    // Air: 802.11a ad hoc, one channel, base stations 50 m apart.
    NodeContainer bss(routers.Get(4), routers.Get(5), routers.Get(6), routers.Get(7));
    NodeContainer mobiles;
    mobiles.Create(nMobiles);
    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode",
                                 StringValue("OfdmRate6Mbps"),
                                 "ControlMode",
                                 StringValue("OfdmRate6Mbps"));
    WifiMacHelper mac;
    mac.SetType("ns3::AdhocWifiMac");
    NetDeviceContainer bsAir = wifi.Install(phy, mac, bss);
    NetDeviceContainer mhAir = wifi.Install(phy, mac, mobiles);
    Ipv4AddressHelper airAddr("10.51.0.0", "255.255.255.0");
    airAddr.Assign(bsAir);
    const double spacing = 50;
    MobilityHelper fixed;
    Ptr<ListPositionAllocator> bsPos = CreateObject<ListPositionAllocator>();
    for (uint32_t i = 0; i < 4; ++i)
    {
        bsPos->Add(Vector(i * spacing, 0, 0));
    }
    fixed.SetPositionAllocator(bsPos);
    fixed.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    fixed.Install(bss);
    MobilityHelper moving;
    moving.SetMobilityModel("ns3::ConstantVelocityMobilityModel");
    moving.Install(mobiles);

    // Mobile hosts: plain IPv4 stacks with static routing only (their air
    // port has no channel, which global routing cannot describe).
    Ipv4StaticRoutingHelper staticRouting;
    InternetStackHelper mobileStack;
    mobileStack.SetRoutingHelper(staticRouting);
    mobileStack.Install(mobiles);

    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

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
            std::cerr << "genesis-cellularip: " << e.what() << "\n";
            Simulator::Destroy();
            return 1;
        }
        db->Attach(root);
    }
    Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
    if (db)
    {
        spawner->SetDatabase(db);
    }
    spawner->TraceConnectWithoutContext("SpawnLatency", MakeCallback(&OnLatency));
    spawner->TraceConnectWithoutContext("SpawnPhase", MakeCallback(&OnPhase));
    spawner->TraceConnectWithoutContext("SpawnFailed", MakeCallback(&OnFailed));
    try
    {
        genesis.Spawn(Seconds(1), profiles + "/cellularip.yaml");
        genesis.Spawn(Seconds(1), profiles + "/cellularip-video.yaml");
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-cellularip: " << e.what() << "\n";
        Simulator::Destroy();
        return 1;
    }

    // ---- Mobile hosts: agents, addresses, movement ----
    CellularIpHelper cip;
    cip.SetRange(Ipv4Address("10.50.0.0"), Ipv4Mask("255.255.0.0"));
    g_mobiles.resize(nMobiles);
    const double span = 3 * spacing;
    for (uint32_t i = 0; i < nMobiles; ++i)
    {
        Mobile& m = g_mobiles[i];
        m.node = mobiles.Get(i);
        m.address = Ipv4Address(Ipv4Address("10.50.1.0").Get() + 10 + i);
        m.idle = i >= nMobiles - nIdle;
        bool semisoft = handoff == "semisoft" || (handoff == "mixed" && i % 2 == 1);
        cip.SetMobileAttribute("HandoffType",
                               EnumValue(semisoft ? GenesisCellularIpMobileHost::SEMISOFT
                                                  : GenesisCellularIpMobileHost::HARD));
        m.agent = cip.InstallMobileHost(m.node, mhAir.Get(i), m.address);
        // Half go east from the first cell, half west from the last, spread
        // over the first cell so that they do not hand off together.
        bool east = i % 2 == 0;
        double offset = (i / 2) * spacing / std::max<uint32_t>(1, (nMobiles + 1) / 2);
        Ptr<ConstantVelocityMobilityModel> mm = m.node->GetObject<ConstantVelocityMobilityModel>();
        mm->SetPosition(Vector(east ? offset : span - offset, 5, 0));
        mm->SetVelocity(Vector(east ? speed : -speed, 0, 0));
        m.agent->TraceConnectWithoutContext("Handoff", MakeBoundCallback(&OnHandoff, i));
        m.agent->TraceConnectWithoutContext("Paged", MakeBoundCallback(&OnPaged, i));
        m.agent->TraceConnectWithoutContext("PacketLost", MakeCallback(&OnHostLost));
        m.agent->TraceConnectWithoutContext("ControlTx", MakeCallback(&OnControlTx));
    }
    // Speed 0 keeps everyone still; turn around at the ends otherwise.
    if (speed > 0)
    {
        for (double t = span / speed; t < duration; t += span / speed)
        {
            Simulator::Schedule(Seconds(t), [mobiles]() {
                for (uint32_t i = 0; i < mobiles.GetN(); ++i)
                {
                    Ptr<ConstantVelocityMobilityModel> mm =
                        mobiles.Get(i)->GetObject<ConstantVelocityMobilityModel>();
                    Vector v = mm->GetVelocity();
                    mm->SetVelocity(Vector(-v.x, v.y, v.z));
                }
            });
        }
    }
    // Router traces, once the child exists.
    Simulator::Schedule(Seconds(1.5), []() {
        for (const char* n : {"gw", "hub", "r1", "r2", "bs1", "bs2", "bs3", "bs4"})
        {
            Ptr<GenesisCellularIpRouting> r = CellularIpHelper::GetRouting(Names::Find<Node>(n));
            if (r)
            {
                r->TraceConnectWithoutContext("PacketLost", MakeCallback(&OnRouterLost));
                r->TraceConnectWithoutContext("Paging", MakeCallback(&OnPaging));
            }
        }
    });
    // Cache sizes: the largest route and paging caches seen, sampled every second.
    std::map<std::string, std::pair<uint32_t, uint32_t>> cacheMax;
    for (double t = 2; t < duration; t += 1)
    {
        Simulator::Schedule(Seconds(t), [&cacheMax]() {
            for (const char* n : {"gw", "hub", "r1", "r2", "bs1", "bs2", "bs3", "bs4"})
            {
                Ptr<GenesisCellularIpRouting> r =
                    CellularIpHelper::GetRouting(Names::Find<Node>(n));
                if (r)
                {
                    auto& c = cacheMax[n];
                    c.first = std::max(c.first, r->GetRouteCache()->GetSize());
                    c.second = std::max(c.second, r->GetPagingCache()->GetSize());
                }
            }
        });
    }

    // ---- Traffic ----
    const double start = 2;
    const double stop = duration - 1;
    uint16_t port = 9000;
    std::vector<Ptr<UdpClient>> downlinks(nMobiles);
    for (uint32_t i = 0; i < nMobiles; ++i)
    {
        Mobile& m = g_mobiles[i];
        if (m.idle)
        {
            // One packet at pageAt (and two retries) to an idle host: paging.
            UdpEchoClientHelper probe(m.address, 7000);
            probe.SetAttribute("MaxPackets", UintegerValue(1));
            probe.SetAttribute("PacketSize", UintegerValue(100));
            ApplicationContainer a = probe.Install(ch);
            a.Start(Seconds(pageAt));
            a.Stop(Seconds(duration));
            PacketSinkHelper sink("ns3::UdpSocketFactory",
                                  InetSocketAddress(Ipv4Address::GetAny(), 7000));
            ApplicationContainer s = sink.Install(m.node);
            DynamicCast<PacketSink>(s.Get(0))->TraceConnectWithoutContext(
                "Rx",
                MakeBoundCallback(&OnProbe, i));
            m.pageSent = Seconds(pageAt);
            continue;
        }
        UdpServerHelper server(port);
        ApplicationContainer s = server.Install(m.node);
        s.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&OnDownlink, i));
        UdpClientHelper client(m.address, port);
        client.SetAttribute("Interval", TimeValue(cbrInterval));
        client.SetAttribute("PacketSize", UintegerValue(200));
        client.SetAttribute("MaxPackets", UintegerValue(0xffffffff));
        ApplicationContainer c = client.Install(ch);
        c.Start(Seconds(start));
        c.Stop(Seconds(stop));
        downlinks[i] = DynamicCast<UdpClient>(c.Get(0));
    }
    Ptr<PacketSink> tcpSink;
    if (tcp && !g_mobiles[0].idle)
    {
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(g_mobiles[0].address, 5000));
        bulk.SetAttribute("SendSize", UintegerValue(1000));
        ApplicationContainer b = bulk.Install(ch);
        b.Start(Seconds(start));
        b.Stop(Seconds(stop));
        PacketSinkHelper sink("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 5000));
        tcpSink = DynamicCast<PacketSink>(sink.Install(g_mobiles[0].node).Get(0));
    }
    if (nMobiles > 1 && !g_mobiles[1].idle)
    {
        Ipv4Address chAddress = ch->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
        UdpClientHelper up(chAddress, 9100);
        up.SetAttribute("Interval", TimeValue(cbrInterval));
        up.SetAttribute("PacketSize", UintegerValue(200));
        up.SetAttribute("MaxPackets", UintegerValue(0xffffffff));
        ApplicationContainer c = up.Install(g_mobiles[1].node);
        c.Start(Seconds(start));
        c.Stop(Seconds(stop));
        UdpServerHelper upServer(9100);
        upServer.Install(ch);
    }
    // The video sibling floods its reservation; campus carries a small flow.
    auto onoff = [&](Ptr<Node> from, Ptr<Node> to, const char* dst, DataRate rate, double t0) {
        OnOffHelper o("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address(dst), 9200));
        o.SetConstantRate(rate, 1000);
        ApplicationContainer a = o.Install(from);
        a.Start(Seconds(t0));
        a.Stop(Seconds(stop));
        PacketSinkHelper sink("ns3::UdpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 9200));
        sink.Install(to);
    };
    onoff(hosts.Get(1), hosts.Get(2), "172.20.2.1", videoOffered, start);
    onoff(hosts.Get(3), hosts.Get(4), "10.50.201.1", DataRate("800kbps"), 9);

    // ---- Observation ----
    FlowMonitorHelper fmHelper;
    NodeContainer observed(hosts, mobiles);
    Ptr<FlowMonitor> monitor = fmHelper.Install(observed);
    if (pcap)
    {
        p2p.EnablePcapAll("genesis-cellularip");
        phy.EnablePcap("genesis-cellularip-air", bsAir);
    }
    if (ascii)
    {
        AsciiTraceHelper traces;
        p2p.EnableAsciiAll(traces.CreateFileStream("genesis-cellularip.tr"));
        phy.EnableAscii(traces.CreateFileStream("genesis-cellularip-air.tr"), bsAir);
    }

    // Each network's reserved rate on its links, while every network runs.
    std::map<std::string, double> reserved; // network -> Mbit/s
    Simulator::Schedule(Seconds(std::min(duration - 0.5, 9.0)), [&reserved, root]() {
        for (const char* name : {"cellularip", "video", "campus"})
        {
            Ptr<VirtualNetwork> n = root->FindNetwork(name);
            DataRateValue rate;
            if (n)
            {
                n->GetAttribute("Rate", rate);
            }
            reserved[name] = n ? rate.Get().GetBitRate() / 1e6 : 0.0;
        }
    });

    Simulator::Stop(Seconds(duration));
    Simulator::Run();

    // ---- Summary ----
    std::cout << "\nHandoffs (" << nMobiles << " mobiles at " << speed << " m/s over 4 cells, "
              << handoff << ")\n";
    double interval = cbrInterval.GetSeconds();
    std::map<std::string, std::pair<uint32_t, uint32_t>> lossByType; // type -> handoffs, lost
    uint32_t otherLoss = 0;
    for (uint32_t i = 0; i < nMobiles; ++i)
    {
        Mobile& m = g_mobiles[i];
        if (m.idle || !downlinks[i])
        {
            continue;
        }
        uint32_t sent = downlinks[i]->GetTotalTx() / 200; // 3.37: GetTotalTx counts bytes
        for (const auto& h : m.handoffs)
        {
            lossByType[h.second ? "semisoft" : "hard"].first++;
        }
        for (uint32_t s = 0; s < sent; ++s)
        {
            if (m.received.count(s))
            {
                continue;
            }
            double tx = start + s * interval;
            // A loss belongs to a handoff that completes within 0.5 s after the send.
            bool attributed = false;
            for (const auto& h : m.handoffs)
            {
                double th = h.first.GetSeconds();
                if (tx <= th + 0.05 && tx >= th - 0.5)
                {
                    lossByType[h.second ? "semisoft" : "hard"].second++;
                    attributed = true;
                    break;
                }
            }
            otherLoss += !attributed;
        }
    }
    for (const auto& kv : lossByType)
    {
        std::cout << "  " << std::setw(9) << kv.first << ": " << kv.second.first << " handoffs, "
                  << kv.second.second
                  << " downlink CBR packets lost from 0.5 s before to 50 ms after them ("
                  << std::fixed << std::setprecision(2)
                  << (kv.second.first ? double(kv.second.second) / kv.second.first : 0.0)
                  << " per handoff)\n";
    }
    std::cout << "  other downlink CBR losses (outside handoffs): " << otherLoss << "\n";
    for (const auto& kv : g_lost)
    {
        std::cout << "  dropped, " << kv.first << ": " << kv.second << "\n";
    }

    std::cout << "\nPaging (idle hosts probed at " << pageAt << " s)\n";
    std::cout << "  router paging events: " << g_pagingEvents
              << "; route/paging-updates sent by hosts: " << g_controlTx << "\n";
    for (uint32_t i = 0; i < nMobiles; ++i)
    {
        Mobile& m = g_mobiles[i];
        if (!m.idle)
        {
            continue;
        }
        std::cout << "  mobile " << i << " (" << m.address << "): paged " << m.paged
                  << " time(s), probe "
                  << (m.pageDelivered.IsZero()
                          ? std::string("NOT delivered")
                          : "delivered after " +
                                std::to_string((m.pageDelivered - m.pageSent).GetMilliSeconds()) +
                                " ms")
                  << ", " << m.agent->GetPagingUpdatesSent() << " paging-updates vs "
                  << m.agent->GetRouteUpdatesSent() << " route-updates\n";
    }

    std::cout << "\nLargest caches seen (route / paging entries)\n ";
    for (const char* n : {"gw", "hub", "r1", "r2", "bs1", "bs2", "bs3", "bs4"})
    {
        std::cout << " " << n << " " << cacheMax[n].first << "/" << cacheMax[n].second;
    }
    std::cout << "\n";

    std::cout << "\nPer network (FlowMonitor at the end hosts, " << start << "-" << stop
              << " s; Mbit/s reserved on each of its links, and received)\n";
    std::map<std::string, std::pair<uint64_t, uint64_t>> netBytes; // rx bytes, rx packets
    std::map<std::string, Time> netDelay;
    std::map<std::string, uint64_t> netLost;
    Ptr<Ipv4FlowClassifier> cls = DynamicCast<Ipv4FlowClassifier>(fmHelper.GetClassifier());
    for (const auto& kv : monitor->GetFlowStats())
    {
        Ipv4FlowClassifier::FiveTuple t = cls->FindFlow(kv.first);
        std::string net = NetworkOf(t.sourceAddress, t.destinationAddress);
        netBytes[net].first += kv.second.rxBytes;
        netBytes[net].second += kv.second.rxPackets;
        netDelay[net] += kv.second.delaySum;
        netLost[net] += kv.second.txPackets - std::min(kv.second.txPackets, kv.second.rxPackets);
    }
    double window = stop - start;
    for (const auto& kv : netBytes)
    {
        if (kv.first == "root")
        {
            continue; // only the life-cycle control messages: no user traffic
        }
        auto r = reserved.find(kv.first);
        std::cout << "  " << std::setw(10) << kv.first << ": reserved " << std::fixed
                  << std::setprecision(1) << (r == reserved.end() ? 0.0 : r->second) << ", "
                  << std::fixed << std::setprecision(2) << kv.second.first * 8.0 / window / 1e6
                  << " Mbit/s received, mean delay "
                  << (kv.second.second ? netDelay[kv.first].GetSeconds() * 1e3 / kv.second.second
                                       : 0.0)
                  << " ms, " << netLost[kv.first] << " packets lost\n";
    }
    if (tcpSink)
    {
        std::cout << "  TCP bulk to mobile 0: " << std::fixed << std::setprecision(2)
                  << tcpSink->GetTotalRx() * 8.0 / window / 1e6 << " Mbit/s\n";
    }

    std::cout << "\nSpawns (control messages as packets: request -> commit)\n";
    for (const auto& kv : g_spawnedAt)
    {
        std::cout << "  " << std::setw(10) << kv.first << " spawned at " << std::fixed
                  << std::setprecision(3) << kv.second << " s";
        auto l = g_spawnLatency.find(kv.first);
        if (l != g_spawnLatency.end() && l->second.IsZero())
        {
            std::cout << " (a timeline spawn: instant)";
        }
        else if (l != g_spawnLatency.end())
        {
            std::cout << ", latency " << l->second.GetMicroSeconds() / 1000.0 << " ms";
        }
        std::cout << "\n";
    }
    for (const auto& r : g_refusals)
    {
        std::cout << "  refused: " << r << "\n";
    }
    if (!flowmon.empty())
    {
        monitor->SerializeToXmlFile(flowmon, true, true);
        std::cout << "FlowMonitor written to " << flowmon << "\n";
    }
    if (db)
    {
        db->Dispose();
        std::cout << "database written to " << dbPath << "; try: sqlite3 " << dbPath
                  << " \"SELECT name, state FROM networks\"\n";
    }
    Simulator::Destroy();
    return 0;
}
