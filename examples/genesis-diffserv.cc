/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-diffserv: the paper's DiffServ child network (§III-A, Fig. 1)
 * spawned from its profile beside a sibling network on the same parent links.
 *
 *   voice n4 --+                                     +-- n7 sink (diffserv)
 *   bulk  n5 --+                                     |
 *   flood n6 --+-- n0 ---- n1 ---- n2 ---- n3 -------+
 *   src   n8 --+   (every link 10 Mbit/s, 1 ms)      +-- n9 dst  (sibling)
 *
 * At t=1s two children of the root spawn from profiles:
 *   diffserv (examples/profiles/diffserv.yaml): controlled, 6 Mbit/s; edge
 *     routelet 'ingress' on n0 conditions its hosts' packets per traffic
 *     conditioning agreement (voice: EF policed to 400 kbit/s; gold: AF1 by
 *     trTCM 1/2 Mbit/s; silver: AF2 by srTCM 500 kbit/s); core routelets on
 *     n1 and n2 classify by DSCP only; its scheduler on every parent device
 *     is GenesisPhbQueueDisc (EF strict priority, AF/BE by WFQ);
 *   sibling (examples/profiles/diffserv-sibling.yaml): controlled, 4 Mbit/s,
 *     a FIFO network from n8 to n9.
 * Traffic from t=1.5s: voice-like EF flows (small UDP packets at a constant
 * rate, marked EF by the sender), two TCP bulk transfers (gold, silver), a
 * best-effort UDP flood, and a sibling flood above its share.
 *
 * Printed: per-class throughput, delay, jitter and losses (FlowMonitor on
 * the end hosts); the EF delay bound worked out from the schedulers beside
 * the largest EF delay measured; the rates of both networks where they
 * compete (the arbitrator on n0's device towards n1) against their
 * guarantees; the per-codepoint counters of the DiffServ scheduler there.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/flow-monitor-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisDiffServExample");

namespace
{

std::map<uint32_t, uint64_t> g_classBytes; //!< IP bytes per network at the bottleneck
Time g_measureStart;                       //!< start of the rate window
Time g_measureStop;                        //!< end of the rate window

/// ClassDequeue of the root arbitrator on the bottleneck device.
void
CountClass(uint32_t id, Ptr<const QueueDiscItem> item)
{
    Time now = Simulator::Now();
    if (now >= g_measureStart && now < g_measureStop)
    {
        g_classBytes[id] += item->GetSize();
    }
}

bool g_refused = false; //!< a spawn was refused

/// Reports a refused spawn.
void
OnFailed(const std::string& network, const std::string& reason)
{
    std::cerr << Simulator::Now().As(Time::S) << " spawn of '" << network << "' refused:\n"
              << reason << "\n";
    g_refused = true;
}

/// Reports a committed spawn.
void
OnPhase(const std::string& network, const std::string& phase, Time)
{
    if (phase == "commit")
    {
        std::cout << Simulator::Now().As(Time::S) << " spawned '" << network << "'\n";
    }
}

/// Per-class totals of the flows FlowMonitor saw.
struct ClassTotals
{
    uint32_t flows{0};         //!< flows
    uint64_t txPackets{0};     //!< packets sent
    uint64_t rxPackets{0};     //!< packets received
    uint64_t rxBytes{0};       //!< bytes received (IP)
    double delaySum{0};        //!< seconds
    double jitterSum{0};       //!< seconds
    uint64_t jitterSamples{0}; //!< packets contributing to jitterSum
    double maxDelay{0};        //!< upper edge of the highest non-empty delay bin (s)
};

/// Class name of a flow by its destination port.
std::string
ClassOf(uint16_t port)
{
    if (port >= 5000 && port < 5100)
    {
        return "EF voice";
    }
    switch (port)
    {
    case 6001:
        return "AF1 gold";
    case 6002:
        return "AF2 silver";
    case 7000:
        return "BE flood";
    case 8000:
        return "sibling";
    default:
        return "";
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    double duration = 10.0;
    double warmup = 3.0;
    uint32_t voiceFlows = 4;
    std::string voiceRate = "64kbps";
    uint32_t voicePayload = 160;
    std::string floodRate = "8Mbps";
    std::string siblingRate = "6Mbps";
    std::string linkRate = "10Mbps";
    std::string profiles = "examples/profiles";
    std::string dbPath;
    bool pcap = false;

    CommandLine cmd(__FILE__);
    cmd.Usage("A DiffServ child network spawned from examples/profiles/diffserv.yaml beside a "
              "sibling on the same parent links: EF voice, AF TCP under two agreements and a "
              "best-effort flood. Prints per-class throughput, delay, jitter and losses, the EF "
              "delay bound against the largest EF delay, and both networks' rates against "
              "their guarantees.");
    cmd.AddValue("duration",
                 "Simulated seconds (traffic from 1.5 s to duration - 0.5 s)",
                 duration);
    cmd.AddValue("warmup", "Start of the rate measurement window (s)", warmup);
    cmd.AddValue("voiceFlows", "Number of EF voice flows", voiceFlows);
    cmd.AddValue("voiceRate", "Payload rate of each voice flow", voiceRate);
    cmd.AddValue("voicePayload", "UDP payload of a voice packet (bytes)", voicePayload);
    cmd.AddValue("floodRate", "Rate of the best-effort UDP flood (1000-byte payloads)", floodRate);
    cmd.AddValue("siblingRate",
                 "Rate the sibling network offers (UDP, 1000-byte payloads)",
                 siblingRate);
    cmd.AddValue("linkRate", "Rate of every parent link", linkRate);
    cmd.AddValue("profiles", "Directory holding diffserv.yaml and diffserv-sibling.yaml", profiles);
    cmd.AddValue("db", "Write the run's profile database (SQLite) to this path", dbPath);
    cmd.AddValue("pcap", "Write pcap traces of the parent links (genesis-diffserv-*.pcap)", pcap);
    cmd.Parse(argc, argv);

    DataRate voiceR;
    DataRate floodR;
    DataRate siblingR;
    DataRate linkR;
    try
    {
        voiceR = GenesisHelper::ParseRate(voiceRate, "--voiceRate");
        floodR = GenesisHelper::ParseRate(floodRate, "--floodRate");
        siblingR = GenesisHelper::ParseRate(siblingRate, "--siblingRate");
        linkR = GenesisHelper::ParseRate(linkRate, "--linkRate");
        if (duration < 3 || warmup < 1.5 || warmup > duration - 1.5)
        {
            throw GenesisError("--duration must be at least 3 s and --warmup between 1.5 s and "
                               "duration - 1.5 s");
        }
        if (voiceFlows == 0 || voiceFlows > 100 || voicePayload < 12 || voicePayload > 1400 ||
            voiceR.GetBitRate() == 0)
        {
            throw GenesisError("--voiceFlows must be 1..100, --voicePayload 12..1400 bytes and "
                               "--voiceRate positive");
        }
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-diffserv: " << e.what() << "\n";
        return 1;
    }
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1000));

    // n0..n3 routers, n4 voice, n5 bulk, n6 flood, n7 sink, n8 sibling src, n9 sibling dst.
    NodeContainer nodes;
    nodes.Create(10);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(linkR));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    const std::pair<uint32_t, uint32_t> links[] =
        {{0, 1}, {1, 2}, {2, 3}, {4, 0}, {5, 0}, {6, 0}, {3, 7}, {8, 0}, {3, 9}};
    for (const auto& l : links)
    {
        addr.Assign(p2p.Install(nodes.Get(l.first), nodes.Get(l.second)));
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    if (pcap)
    {
        p2p.EnablePcapAll("genesis-diffserv");
    }

    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);
    Ptr<GenesisProfileDatabase> db;
    if (!dbPath.empty())
    {
        db = CreateObject<GenesisProfileDatabase>();
        db->SetAttribute("Path", StringValue(dbPath));
        try
        {
            db->Open();
        }
        catch (const GenesisError& e)
        {
            std::cerr << "genesis-diffserv: " << e.what() << "\n";
            Simulator::Destroy();
            return 1;
        }
        db->Attach(root);
    }
    Ptr<GenesisSpawner> spawner = genesis.GetSpawner();
    spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
    if (db)
    {
        spawner->SetDatabase(db);
    }
    spawner->TraceConnectWithoutContext("SpawnFailed", MakeCallback(&OnFailed));
    spawner->TraceConnectWithoutContext("SpawnPhase", MakeCallback(&OnPhase));
    try
    {
        genesis.Spawn(Seconds(1), profiles + "/diffserv.yaml");
        genesis.Spawn(Seconds(1), profiles + "/diffserv-sibling.yaml");
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-diffserv: " << e.what() << "\n";
        Simulator::Destroy();
        return 1;
    }

    // Traffic: addresses are the profiles' host addresses.
    const Time start = Seconds(1.5);
    const Time stop = Seconds(duration - 0.5);
    const Ipv4Address sink("172.30.9.1");
    auto udp = [&](uint32_t src,
                   uint32_t dstNode,
                   Ipv4Address dst,
                   uint16_t port,
                   DataRate rate,
                   uint32_t size,
                   uint8_t tos,
                   Time offset) {
        InetSocketAddress remote(dst, port);
        remote.SetTos(tos);
        OnOffHelper onoff("ns3::UdpSocketFactory", remote);
        onoff.SetConstantRate(rate, size);
        ApplicationContainer a = onoff.Install(nodes.Get(src));
        a.Start(start + offset);
        a.Stop(stop);
        PacketSinkHelper ps("ns3::UdpSocketFactory",
                            InetSocketAddress(Ipv4Address::GetAny(), port));
        ps.Install(nodes.Get(dstNode)).Start(Seconds(0));
    };
    for (uint32_t i = 0; i < voiceFlows; ++i)
    {
        // EF (46) in the DS field: TOS 0xb8; flows a little apart in phase.
        udp(4, 7, sink, 5000 + i, voiceR, voicePayload, 0xb8, MicroSeconds(1000 * i));
    }
    udp(6, 7, sink, 7000, floodR, 1000, 0, Seconds(0));
    udp(8, 9, Ipv4Address("172.31.9.1"), 8000, siblingR, 1000, 0, Seconds(0));
    for (uint16_t port : {6001, 6002})
    {
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(sink, port));
        bulk.SetAttribute("SendSize", UintegerValue(1000));
        ApplicationContainer a = bulk.Install(nodes.Get(5));
        a.Start(start);
        a.Stop(stop);
        PacketSinkHelper ps("ns3::TcpSocketFactory",
                            InetSocketAddress(Ipv4Address::GetAny(), port));
        ps.Install(nodes.Get(7)).Start(Seconds(0));
    }

    FlowMonitorHelper fmh;
    fmh.SetMonitorAttribute("DelayBinWidth", DoubleValue(0.0001));
    fmh.SetMonitorAttribute("JitterBinWidth", DoubleValue(0.0001));
    NodeContainer hosts;
    for (uint32_t i = 4; i < 10; ++i)
    {
        hosts.Add(nodes.Get(i));
    }
    Ptr<FlowMonitor> monitor = fmh.Install(hosts);

    // Where the networks compete: the arbitrator on n0's device towards n1.
    Ptr<NetDevice> bottleneck = nodes.Get(0)->GetDevice(1);
    root->GetArbitrator(bottleneck)
        ->TraceConnectWithoutContext("ClassDequeue", MakeCallback(&CountClass));
    g_measureStart = Seconds(warmup);
    g_measureStop = stop;

    Simulator::Stop(Seconds(duration));
    Simulator::Run();

    Ptr<VirtualNetwork> diffserv = root->FindNetwork("diffserv");
    Ptr<VirtualNetwork> sibling = root->FindNetwork("sibling");
    if (g_refused || !diffserv || !sibling)
    {
        std::cerr << "genesis-diffserv: a network was not spawned (see above)\n";
        Simulator::Destroy();
        return 1;
    }

    // ---------------------------------------------------------------- per class
    monitor->CheckForLostPackets();
    auto classifier = DynamicCast<Ipv4FlowClassifier>(fmh.GetClassifier());
    std::map<std::string, ClassTotals> totals;
    for (const auto& kv : monitor->GetFlowStats())
    {
        Ipv4FlowClassifier::FiveTuple t = classifier->FindFlow(kv.first);
        std::string cls = ClassOf(t.destinationPort);
        if (cls.empty())
        {
            continue; // TCP acknowledgements
        }
        const FlowMonitor::FlowStats& s = kv.second;
        ClassTotals& c = totals[cls];
        ++c.flows;
        c.txPackets += s.txPackets;
        c.rxPackets += s.rxPackets;
        c.rxBytes += s.rxBytes;
        c.delaySum += s.delaySum.GetSeconds();
        c.jitterSum += s.jitterSum.GetSeconds();
        c.jitterSamples += s.rxPackets > 1 ? s.rxPackets - 1 : 0;
        Histogram h = s.delayHistogram; // its getters are not const
        for (uint32_t b = h.GetNBins(); b-- > 0;)
        {
            if (h.GetBinCount(b) > 0)
            {
                c.maxDelay = std::max(c.maxDelay, h.GetBinEnd(b));
                break;
            }
        }
    }
    const double traffic = (stop - start).GetSeconds();
    std::cout << "\nper class, end host to end host (FlowMonitor; traffic " << start.GetSeconds()
              << "-" << stop.GetSeconds() << " s)\n";
    std::cout << std::left << std::setw(12) << "class" << std::right << std::setw(6) << "flows"
              << std::setw(14) << "throughput" << std::setw(12) << "mean delay" << std::setw(12)
              << "max delay" << std::setw(10) << "jitter" << std::setw(10) << "lost"
              << "\n";
    for (const char* name : {"EF voice", "AF1 gold", "AF2 silver", "BE flood", "sibling"})
    {
        const ClassTotals& c = totals[name];
        std::cout << std::left << std::setw(12) << name << std::right << std::setw(6) << c.flows
                  << std::fixed << std::setprecision(3) << std::setw(9)
                  << c.rxBytes * 8.0 / traffic / 1e6 << " Mb/s" << std::setw(9)
                  << (c.rxPackets ? c.delaySum / c.rxPackets * 1e3 : 0) << " ms" << std::setw(9)
                  << c.maxDelay * 1e3 << " ms" << std::setw(7)
                  << (c.jitterSamples ? c.jitterSum / c.jitterSamples * 1e3 : 0) << " ms"
                  << std::setw(10) << c.txPackets - c.rxPackets << "\n";
    }

    // ---------------------------------------------------------------- EF bound
    // Each parent device the voice packets cross holds the DiffServ network's
    // PHB disc as the child of its class (guaranteed rate r) in an H-WF2Q+
    // arbitrator. An EF packet waits at most for: one non-EF packet the PHB
    // disc already handed over (L), the EF backlog ahead of it and itself
    // (sigma_h), served at r; one packet of another class in service, one in
    // the device queue (1 packet) and one on the wire (3 (L+2) / C with the
    // 2-byte PPP header); its own transmission and the propagation delay.
    // The EF backlog grows by the EF rate times each hop's delay:
    // sigma_{h+1} = sigma_h + rho D_h. sigma_1: every voice source at once.
    const uint32_t outer = 20 + GenesisShimHeader::FIXED_SIZE + 4; // outer IPv4 + shim, 2 labels
    const double lEf = voicePayload + 8 + 20 + outer;              // EF packet on a parent link
    const double lMax = 1500;                                      // parent MTU
    const double c = linkR.GetBitRate();
    const double r = diffserv->GetRate().GetBitRate();
    const double rho = voiceFlows * voiceR.GetBitRate() * lEf / voicePayload; // bit/s
    const double prop = 1e-3;
    const int hops = 5; // n4-n0, n0-n1, n1-n2, n2-n3, n3-n7
    double sigma = voiceFlows * lEf * 8;
    double bound = 0;
    for (int h = 0; h < hops; ++h)
    {
        double d = prop + (lMax * 8 + sigma) / r + 3 * (lMax + 2) * 8 / c + (lEf + 2) * 8 / c;
        bound += d;
        sigma += rho * d;
    }
    const ClassTotals& ef = totals["EF voice"];
    std::cout << "\nEF delay bound (strict priority inside a " << r / 1e6 << " Mbit/s WF2Q+ class, "
              << hops << " hops): " << std::setprecision(3) << bound * 1e3
              << " ms; largest EF delay measured: <= " << ef.maxDelay * 1e3
              << " ms (0.1 ms bins) while best effort loses "
              << totals["BE flood"].txPackets - totals["BE flood"].rxPackets << " packets: "
              << (ef.rxPackets > 0 && ef.maxDelay <= bound ? "bound holds" : "BOUND VIOLATED")
              << "\n";

    // ---------------------------------------------------------------- shares
    const double window = (g_measureStop - g_measureStart).GetSeconds();
    std::cout << "\nrates where the networks compete (arbitrator on n0 -> n1, IP bytes, "
              << g_measureStart.GetSeconds() << "-" << g_measureStop.GetSeconds() << " s)\n";
    bool sharesOk = true;
    for (Ptr<VirtualNetwork> n : {diffserv, sibling})
    {
        double expected = n->GetRate().GetBitRate();
        double measured = g_classBytes[n->GetId()] * 8.0 / window;
        double err = (measured - expected) / expected;
        sharesOk = sharesOk && std::abs(err) < 0.02;
        std::cout << "  " << std::left << std::setw(9) << n->GetName() << std::right
                  << " guaranteed " << std::setprecision(3) << expected / 1e6
                  << " Mbit/s, measured " << measured / 1e6 << " Mbit/s (" << std::showpos
                  << std::setprecision(2) << err * 100 << std::noshowpos << "%)\n";
    }
    std::cout << "  both within 2% of their guarantees: " << (sharesOk ? "yes" : "NO") << "\n";

    // ---------------------------------------------------------------- codepoints
    // The edge's disc (ingress port towards c1: the agreements) and the
    // network's scheduler where it competes (n0 -> n1: the own class of the
    // DiffServ network's arbitrator, inside its class of the root arbitrator).
    Ptr<VirtualLink> edgeIn = spawner->GetLink("diffserv", "edge-in");
    Ptr<GenesisPhbQueueDisc> edge = DynamicCast<GenesisPhbQueueDisc>(
        edgeIn->GetEndA()->GetNode()->GetObject<TrafficControlLayer>()->GetRootQueueDiscOnDevice(
            edgeIn->GetPortA()));
    Ptr<GenesisPhbQueueDisc> core = DynamicCast<GenesisPhbQueueDisc>(
        diffserv->GetArbitrator(bottleneck)->GetNetworkClass(diffserv->GetId())->GetQueueDisc());
    if (edge && core)
    {
        std::cout << "\nper codepoint (packets, whole run): marked at the edge (ingress -> c1), "
                     "then at the DiffServ scheduler on n0 -> n1\n"
                  << "  codepoint    edge out  policed   n0->n1 in   sent  early  forced  limit\n";
        for (const char* name : {"EF", "AF11", "AF12", "AF13", "AF21", "AF22", "AF23", "BE"})
        {
            uint8_t d = GenesisDscp::ParseOrThrow(name, "codepoint");
            const GenesisPhbStats& e = edge->GetCodepointStats(d);
            const GenesisPhbStats& n = core->GetCodepointStats(d);
            std::cout << "  " << std::left << std::setw(9) << name << std::right << std::setw(12)
                      << e.dequeuedPackets << std::setw(9) << e.policedDrops << std::setw(12)
                      << n.enqueuedPackets + n.Drops() << std::setw(7) << n.dequeuedPackets
                      << std::setw(7) << n.earlyDrops << std::setw(8) << n.forcedDrops
                      << std::setw(7) << n.limitDrops << "\n";
        }
        Ptr<GenesisTrafficConditioner> cond = edge->GetConditioner();
        std::cout << "  edge agreements: " << (cond ? cond->GetNTcas() : 0)
                  << ", packets no agreement matched: " << (cond ? cond->GetUnmatched() : 0)
                  << ", dropped by policers: " << (cond ? cond->GetDropped() : 0) << "\n";
    }

    if (db)
    {
        db->Dispose();
        std::cout << "\ndatabase written to " << dbPath << "\n";
    }
    Simulator::Destroy();
    return 0;
}
