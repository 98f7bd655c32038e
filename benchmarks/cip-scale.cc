/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * cip-scale: wall time per simulated second of a Cellular IP child with many
 * mobile hosts (issue 4's benchmark: 100 mobiles and 20 base stations), and
 * how it grows with the number of mobiles.
 *
 *   cip-scale [--bs=20] [--mobiles=25,50,100] [--duration=5] [--reps=3]
 *             [--interval=100ms] [--speed=5]
 *
 * The parent: a correspondent host, a gateway, one interior router per four
 * base stations, base stations 50 m apart in a line on one 802.11a ad hoc
 * channel. The Cellular IP child is spawned from a profile generated for
 * --bs base stations (the same schema as examples/profiles/cellularip.yaml),
 * in Instant mode at t = 0.5 s. Every mobile moves along the line at
 * --speed (random start and direction, turning at the ends) and receives a
 * 200-byte downlink CBR packet every --interval from the correspondent host.
 *
 * Measured per configuration and repetition (fresh simulation each time):
 * wall time of Simulator::Run over --duration simulated seconds after the
 * spawn, events executed, handoffs; printed as medians with the spread.
 * The baseline column runs the same nodes, Wi-Fi channel, mobility and
 * packet count with no Cellular IP (each mobile receives its packets from
 * its nearest base station by plain ns-3 static routing and does not hand
 * off), so the ratio is the cost of Cellular IP itself.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/wifi-module.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

struct Result
{
    double wall = 0;       //!< seconds of wall time in Run()
    uint64_t events = 0;   //!< events executed
    uint32_t handoffs = 0; //!< handoffs (Cellular IP only)
    uint64_t received = 0; //!< downlink packets received
};

uint32_t g_handoffs = 0;

void
OnHandoff(Ipv4Address, Ipv4Address, const std::string&, Time)
{
    ++g_handoffs;
}

std::string
Profile(uint32_t bs)
{
    std::ostringstream p;
    p << "schema_version: 1\nname: cip\nparent: root\naddress_space: 10.50.0.0/16\n"
      << "capacity: {class: controlled, rate: 10Mbps}\ntopology:\n  routelets:\n"
      << "    - {name: gateway, node: gw}\n";
    uint32_t interior = (bs + 3) / 4;
    for (uint32_t r = 0; r < interior; ++r)
    {
        p << "    - {name: r" << r << ", node: r" << r << "}\n";
    }
    for (uint32_t b = 0; b < bs; ++b)
    {
        p << "    - {name: bs" << b << ", node: bs" << b << "}\n";
    }
    p << "  links:\n";
    for (uint32_t r = 0; r < interior; ++r)
    {
        p << "    - {name: g" << r << ", ends: [gateway, r" << r << "]}\n";
    }
    for (uint32_t b = 0; b < bs; ++b)
    {
        p << "    - {name: l" << b << ", ends: [r" << b / 4 << ", bs" << b << "]}\n";
    }
    p << "modules:\n"
      << "  - {category: forwarder, type: ns3::GenesisCellularIpRouting, attributes: {Role: "
         "Node}}\n"
      << "  - {category: forwarder, routelet: gateway, type: ns3::GenesisCellularIpRouting, "
         "attributes: {Role: Gateway}}\n";
    for (uint32_t b = 0; b < bs; ++b)
    {
        p << "  - {category: forwarder, routelet: bs" << b
          << ", type: ns3::GenesisCellularIpRouting, attributes: {Role: BaseStation}}\n";
    }
    return p.str();
}

Result
Run(uint32_t nBs,
    uint32_t nMobiles,
    double duration,
    Time interval,
    double speed,
    bool cip,
    uint32_t rep)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(rep + 1);
    g_handoffs = 0;
    const double spacing = 50;
    uint32_t interior = (nBs + 3) / 4;
    Ptr<Node> ch = CreateObject<Node>();
    Ptr<Node> gw = CreateObject<Node>();
    Names::Add("gw", gw);
    NodeContainer rs;
    rs.Create(interior);
    NodeContainer bss;
    bss.Create(nBs);
    for (uint32_t r = 0; r < interior; ++r)
    {
        Names::Add("r" + std::to_string(r), rs.Get(r));
    }
    for (uint32_t b = 0; b < nBs; ++b)
    {
        Names::Add("bs" + std::to_string(b), bss.Get(b));
    }
    NodeContainer parent(NodeContainer(ch, gw), rs, bss);
    InternetStackHelper stack;
    stack.Install(parent);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    Ipv4AddressHelper addr("10.0.0.0", "255.255.255.252");
    auto link = [&](Ptr<Node> a, Ptr<Node> b) {
        addr.Assign(p2p.Install(a, b));
        addr.NewNetwork();
    };
    link(ch, gw);
    for (uint32_t r = 0; r < interior; ++r)
    {
        link(gw, rs.Get(r));
    }
    for (uint32_t b = 0; b < nBs; ++b)
    {
        link(rs.Get(b / 4), bss.Get(b));
    }
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(parent);

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
    Ipv4AddressHelper airAddr("10.51.0.0", "255.255.0.0");
    Ipv4InterfaceContainer bsAirIf = airAddr.Assign(bsAir);
    MobilityHelper fixed;
    Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator>();
    for (uint32_t b = 0; b < nBs; ++b)
    {
        pos->Add(Vector(b * spacing, 0, 0));
    }
    fixed.SetPositionAllocator(pos);
    fixed.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    fixed.Install(bss);
    MobilityHelper moving;
    moving.SetMobilityModel("ns3::ConstantVelocityMobilityModel");
    moving.Install(mobiles);
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(7);
    double span = (nBs - 1) * spacing;
    for (uint32_t i = 0; i < nMobiles; ++i)
    {
        Ptr<ConstantVelocityMobilityModel> mm =
            mobiles.Get(i)->GetObject<ConstantVelocityMobilityModel>();
        mm->SetPosition(Vector(u->GetValue(0, span), u->GetValue(-10, 10), 0));
        mm->SetVelocity(Vector(u->GetValue() < 0.5 ? speed : -speed, 0, 0));
    }
    double t0 = 0.5;
    double end = t0 + 0.5 + duration;
    for (double t = 1; t < end; t += 1)
    {
        Simulator::Schedule(Seconds(t), [mobiles, span]() {
            for (uint32_t i = 0; i < mobiles.GetN(); ++i)
            {
                Ptr<ConstantVelocityMobilityModel> mm =
                    mobiles.Get(i)->GetObject<ConstantVelocityMobilityModel>();
                Vector p = mm->GetPosition();
                Vector v = mm->GetVelocity();
                if ((p.x < 0 && v.x < 0) || (p.x > span && v.x > 0))
                {
                    mm->SetVelocity(Vector(-v.x, v.y, v.z));
                }
            }
        });
    }

    Ipv4StaticRoutingHelper staticRouting;
    InternetStackHelper mobileStack;
    mobileStack.SetRoutingHelper(staticRouting);
    mobileStack.Install(mobiles);
    std::vector<Ipv4Address> dst(nMobiles);
    Ptr<Node> sender = ch;
    if (cip)
    {
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
        spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
        std::string text = Profile(nBs);
        GenesisProfile profile = GenesisProfileReader::ReadStringOrThrow(text, "cip-scale.yaml");
        Simulator::Schedule(Seconds(t0), [spawner, profile, root, text]() {
            spawner->SpawnProfile(profile, root, text);
        });
        CellularIpHelper h;
        for (uint32_t i = 0; i < nMobiles; ++i)
        {
            dst[i] = Ipv4Address(Ipv4Address("10.50.1.0").Get() + 10 + i);
            Ptr<GenesisCellularIpMobileHost> a =
                h.InstallMobileHost(mobiles.Get(i), mhAir.Get(i), dst[i]);
            a->TraceConnectWithoutContext("Handoff", MakeCallback(&OnHandoff));
        }
    }
    else
    {
        // Baseline: the same radios and packets without Cellular IP: each
        // mobile gets an address on its radio and its nearest base station
        // (at t = 0) sends it the CBR flow directly.
        Ipv4AddressHelper mhAddr("10.52.0.0", "255.255.0.0");
        Ipv4InterfaceContainer mhIf = mhAddr.Assign(mhAir);
        for (uint32_t i = 0; i < nMobiles; ++i)
        {
            dst[i] = mhIf.GetAddress(i);
        }
        for (uint32_t b = 0; b < nBs; ++b)
        {
            Ptr<Ipv4StaticRouting> sr =
                staticRouting.GetStaticRouting(bss.Get(b)->GetObject<Ipv4>());
            sr->AddNetworkRouteTo(
                Ipv4Address("10.52.0.0"),
                Ipv4Mask("255.255.0.0"),
                bss.Get(b)->GetObject<Ipv4>()->GetInterfaceForDevice(bsAir.Get(b)));
        }
    }
    std::vector<Ptr<UdpServer>> servers;
    for (uint32_t i = 0; i < nMobiles; ++i)
    {
        UdpServerHelper server(9000);
        servers.push_back(DynamicCast<UdpServer>(server.Install(mobiles.Get(i)).Get(0)));
        Ptr<Node> from = sender;
        if (!cip)
        {
            double x = mobiles.Get(i)->GetObject<MobilityModel>()->GetPosition().x;
            uint32_t b =
                std::min<uint32_t>(nBs - 1,
                                   static_cast<uint32_t>(std::max(0.0, x / spacing + 0.5)));
            from = bss.Get(b);
        }
        UdpClientHelper client(dst[i], 9000);
        client.SetAttribute("Interval", TimeValue(interval));
        client.SetAttribute("PacketSize", UintegerValue(200));
        client.SetAttribute("MaxPackets", UintegerValue(0xffffffff));
        ApplicationContainer c = client.Install(from);
        c.Start(Seconds(t0 + 0.5) + interval * (double(i) / nMobiles));
        c.Stop(Seconds(end));
    }

    // Warm-up to the spawn and the first route-updates, then the measured part.
    Simulator::Stop(Seconds(t0 + 0.5));
    Simulator::Run();
    uint64_t events0 = Simulator::GetEventCount();
    Simulator::Stop(Seconds(duration));
    auto w0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto w1 = std::chrono::steady_clock::now();
    Result r;
    r.wall = std::chrono::duration<double>(w1 - w0).count();
    r.events = Simulator::GetEventCount() - events0;
    r.handoffs = g_handoffs;
    for (auto& s : servers)
    {
        r.received += s->GetReceived();
    }
    Simulator::Destroy();
    Names::Clear();
    return r;
}

double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t nBs = 20;
    std::string mobilesList = "25,50,100";
    double duration = 5;
    uint32_t reps = 3;
    Time interval = MilliSeconds(100);
    double speed = 5;
    CommandLine cmd(__FILE__);
    cmd.Usage("Wall time per simulated second of a Cellular IP child with many mobiles, beside "
              "the same radios and packets without Cellular IP.");
    cmd.AddValue("bs", "Base stations (4 per interior router)", nBs);
    cmd.AddValue("mobiles", "Comma-separated numbers of mobile hosts", mobilesList);
    cmd.AddValue("duration", "Measured simulated seconds per run", duration);
    cmd.AddValue("reps", "Repetitions per configuration (run numbers 1..reps)", reps);
    cmd.AddValue("interval", "Downlink CBR interval per mobile (200-byte packets)", interval);
    cmd.AddValue("speed", "Speed of the mobiles, m/s", speed);
    cmd.Parse(argc, argv);
    std::vector<uint32_t> counts;
    std::stringstream ss(mobilesList);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        char* endp = nullptr;
        unsigned long v = std::strtoul(item.c_str(), &endp, 10);
        if (item.empty() || *endp != '\0' || v < 1 || v > 1000)
        {
            std::cerr << "cip-scale: --mobiles needs numbers 1..1000 separated by commas, not '"
                      << item << "'\n";
            return 1;
        }
        counts.push_back(static_cast<uint32_t>(v));
    }
    if (nBs < 2 || nBs > 200 || duration <= 0 || reps < 1 || interval <= Time(0))
    {
        std::cerr << "cip-scale: need 2 <= --bs <= 200, --duration > 0, --reps >= 1, "
                     "--interval > 0\n";
        return 1;
    }
    std::cout << "Cellular IP child, " << nBs << " base stations, downlink CBR 200 B every "
              << interval.As(Time::MS) << " per mobile, " << duration
              << " simulated s per run, median of " << reps << "\n";
    std::cout << std::setw(8) << "mobiles" << std::setw(14) << "cip s/sim-s" << std::setw(18)
              << "baseline s/sim-s" << std::setw(8) << "ratio" << std::setw(14) << "events/sim-s"
              << std::setw(10) << "handoffs" << std::setw(12) << "delivered"
              << "\n";
    for (uint32_t n : counts)
    {
        std::vector<double> wc, wb, ev;
        uint32_t handoffs = 0;
        double delivered = 0;
        for (uint32_t rep = 0; rep < reps; ++rep)
        {
            Result c = Run(nBs, n, duration, interval, speed, true, rep);
            Result b = Run(nBs, n, duration, interval, speed, false, rep);
            wc.push_back(c.wall / duration);
            wb.push_back(b.wall / duration);
            ev.push_back(c.events / duration);
            handoffs = c.handoffs;
            double sent = n * duration / interval.GetSeconds();
            delivered = c.received / std::max(1.0, sent);
        }
        double mc = Median(wc);
        double mb = Median(wb);
        std::cout << std::setw(8) << n << std::setw(14) << std::fixed << std::setprecision(3) << mc
                  << std::setw(18) << mb << std::setw(8) << std::setprecision(2)
                  << (mb > 0 ? mc / mb : 0) << std::setw(14) << std::setprecision(0) << Median(ev)
                  << std::setw(10) << handoffs << std::setw(11) << std::setprecision(1)
                  << delivered * 100 << "%\n";
    }
    return 0;
}
