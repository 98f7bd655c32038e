/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * scenario-chain: what Genesis costs on a real scenario, against plain ns-3,
 * in one process.
 *
 *   n0 -- n1 -- ... -- n10       10 point-to-point hops, 100 Mbps, 1 ms
 *
 * The same work under four setups: UdpClient on n0 sends --packets UDP
 * packets of --size bytes, one every --interval, to a UdpServer on n10; every
 * packet crosses all 10 hops. The offered load is well below the link rate
 * in every setup (including the Genesis headers), so nothing is lost and
 * every setup forwards packets x 10 hops.
 *
 *   plain      plain ns-3: global routing, default FqCoDel root queue disc
 *   root-only  the same, plus genesis.Install(nodes): every root queue disc is
 *              an ArbitratorQueueDisc holding FqCoDel; traffic in the root
 *   one-child  a child network (controlled) with routelets on n0 and n10 and
 *              one 10-hop virtual link, label-switched by n1..n9; traffic
 *              between the two child routelets
 *   three      child, grandchild and great-grandchild, each with routelets on
 *              n0 and n10; traffic between the great-grandchild's routelets
 *
 * Device transmit queues are 1 packet in every setup (GenesisHelper's
 * default; set on the plain chain too), so Genesis is the only difference.
 *
 * Repetitions are interleaved (rep r runs the four setups in an order rotated
 * by r), each a fresh simulation ended by Simulator::Destroy. Reported per
 * setup: median wall time of Simulator::Run (steady_clock), median total
 * (build + run + destroy), events executed (Simulator::GetEventCount()),
 * events per second of Run, and the ratios to plain ns-3.
 *
 * Child networks use VirtualNetwork's default own scheduler (FifoQueueDisc)
 * while the root network's class holds ns-3's default FqCoDel, as plain ns-3
 * does; --childScheduler=ns3::FqCoDelQueueDisc gives the children FqCoDel too.
 *
 * "Per nesting level" is the factor each level of nesting multiplies the run
 * time by:  level 1 = one-child / root-only;  levels 2-3 = (three / one-child)^(1/2);
 * overall = (three / root-only)^(1/3).
 *
 *   ./ns3 build && ./build/scenario-chain --packets=100000 --reps=5
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
enum Setup
{
    PLAIN = 0,
    ROOT_ONLY,
    ONE_CHILD,
    THREE_LEVELS,
    N_SETUPS
};

const char* SETUP_NAMES[N_SETUPS] = {"plain", "root-only", "one-child", "three-levels"};

/// The result of one simulation.
struct Sample
{
    double build = 0;       //!< seconds: topology, stacks, Genesis, applications
    double run = 0;         //!< seconds: Simulator::Run (wall clock)
    double cpu = 0;         //!< seconds: Simulator::Run (CPU time of this thread)
    double destroy = 0;     //!< seconds: Simulator::Destroy
    uint64_t events = 0;    //!< events executed by Simulator::Run
    uint64_t rx = 0;        //!< packets received by the server
    uint64_t lost = 0;      //!< packets the server saw missing
    uint32_t wireBytes = 0; //!< size of one packet on the first hop (PPP frame)

    double Total() const
    {
        return build + run + destroy;
    }
};

/// Parameters shared by every run.
struct Params
{
    uint32_t packets = 100000;
    uint32_t size = 500;
    Time interval = MicroSeconds(100);
    std::string linkRate = "100Mbps";
    std::string delay = "1ms";
    uint32_t hops = 10;
    std::string childScheduler; //!< Scheduler attribute of child networks ("" = default)
};

uint32_t g_wireBytes = 0; //!< size of the last frame seen on n0's device

void
SeeFrame(Ptr<const Packet> p)
{
    g_wireBytes = p->GetSize();
}

/// CPU time of the calling thread: immune to other processes sharing the machine.
double
ThreadCpu()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

double
Elapsed(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

/// A child of \p parent with routelets on the two ends of the chain and one link.
Ptr<VirtualNetwork>
EndToEndChild(GenesisHelper& genesis,
              Ptr<VirtualNetwork> parent,
              NodeContainer& nodes,
              const std::string& name,
              const std::string& rate,
              const std::string& base,
              const std::string& scheduler)
{
    Ptr<VirtualNetwork> net = genesis.CreateNetwork(parent, name, "controlled", rate);
    net->SetAttribute("Ipv4Base", Ipv4AddressValue(base.c_str()));
    if (!scheduler.empty())
    {
        net->SetAttribute("Scheduler", StringValue(scheduler));
    }
    Ptr<Routelet> a = net->AddRoutelet(nodes.Get(0)); // in this order: end A, end B
    Ptr<Routelet> b = net->AddRoutelet(nodes.Get(nodes.GetN() - 1));
    net->AddLink(a, b);
    net->Spawn();
    return net;
}

Sample
RunOnce(Setup setup, const Params& prm)
{
    using Clock = std::chrono::steady_clock;
    Sample s;
    auto t0 = Clock::now();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    NodeContainer nodes;
    nodes.Create(prm.hops + 1);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(prm.linkRate));
    p2p.SetChannelAttribute("Delay", StringValue(prm.delay));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    NetDeviceContainer first;
    for (uint32_t i = 0; i < prm.hops; ++i)
    {
        NetDeviceContainer d = p2p.Install(nodes.Get(i), nodes.Get(i + 1));
        addr.Assign(d);
        addr.NewNetwork();
        if (i == 0)
        {
            first = d;
        }
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    GenesisHelper genesis;
    Ptr<Node> src = nodes.Get(0);
    Ptr<Node> dst = nodes.Get(prm.hops);
    Ptr<Ipv4> dstIp = dst->GetObject<Ipv4>();
    Ipv4Address dstAddr = dstIp->GetAddress(1, 0).GetLocal();
    if (setup != PLAIN)
    {
        Ptr<VirtualNetwork> root = genesis.Install(nodes);
        if (setup >= ONE_CHILD)
        {
            Ptr<VirtualNetwork> net = EndToEndChild(genesis,
                                                    root,
                                                    nodes,
                                                    "child",
                                                    "80Mbps",
                                                    "172.16.0.0",
                                                    prm.childScheduler);
            if (setup == THREE_LEVELS)
            {
                net = EndToEndChild(genesis,
                                    net,
                                    nodes,
                                    "grandchild",
                                    "70Mbps",
                                    "172.17.0.0",
                                    prm.childScheduler);
                net = EndToEndChild(genesis,
                                    net,
                                    nodes,
                                    "great-grandchild",
                                    "60Mbps",
                                    "172.18.0.0",
                                    prm.childScheduler);
            }
            Ptr<VirtualLink> link = net->GetLinks().front();
            src = link->GetEndA()->GetNode();
            dst = link->GetEndB()->GetNode();
            dstAddr = Ipv4Address(link->GetSubnet().Get() + 2);
        }
    }

    UdpServerHelper server(9);
    ApplicationContainer sa = server.Install(dst);
    sa.Start(Seconds(0));
    UdpClientHelper client(dstAddr, 9);
    client.SetAttribute("MaxPackets", UintegerValue(prm.packets));
    client.SetAttribute("Interval", TimeValue(prm.interval));
    client.SetAttribute("PacketSize", UintegerValue(prm.size));
    ApplicationContainer ca = client.Install(src);
    ca.Start(Seconds(0.1));
    Time end = Seconds(0.1) + prm.interval * prm.packets + Seconds(1);
    ca.Stop(end);
    g_wireBytes = 0;
    first.Get(0)->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&SeeFrame));
    Simulator::Stop(end);

    double c1 = ThreadCpu();
    auto t1 = Clock::now();
    Simulator::Run();
    auto t2 = Clock::now();
    s.cpu = ThreadCpu() - c1;
    s.events = Simulator::GetEventCount();
    Ptr<UdpServer> srv = DynamicCast<UdpServer>(sa.Get(0));
    s.rx = srv->GetReceived();
    s.lost = srv->GetLost();
    s.wireBytes = g_wireBytes;
    Simulator::Destroy();
    auto t3 = Clock::now();
    s.build = Elapsed(t0, t1);
    s.run = Elapsed(t1, t2);
    s.destroy = Elapsed(t2, t3);
    return s;
}

double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
} // namespace

int
main(int argc, char* argv[])
{
    Params prm;
    uint32_t reps = 5;
    bool warmup = true;
    std::string csvFile;
    std::string only;

    CommandLine cmd(__FILE__);
    cmd.AddValue("packets", "UDP packets sent end to end in every run", prm.packets);
    cmd.AddValue("size", "UDP payload bytes per packet", prm.size);
    cmd.AddValue("interval",
                 "Time between packets (must leave the links unsaturated)",
                 prm.interval);
    cmd.AddValue("hops", "Point-to-point hops in the chain", prm.hops);
    cmd.AddValue("childScheduler",
                 "Scheduler (QueueDisc TypeId) of the child networks' own class; empty: "
                 "VirtualNetwork's default (FifoQueueDisc). The root's own class is FqCoDel.",
                 prm.childScheduler);
    cmd.AddValue("reps", "Repetitions of every setup (interleaved)", reps);
    cmd.AddValue("warmup", "Run every setup once with packets/10 before measuring", warmup);
    cmd.AddValue("csv", "Write every run and the summary as CSV to this file", csvFile);
    cmd.AddValue("only",
                 "Run only this setup (plain, root-only, one-child, three-levels), e.g. "
                 "under a profiler; no summary",
                 only);
    cmd.Parse(argc, argv);
    if (!only.empty())
    {
        for (int k = 0; k < N_SETUPS; ++k)
        {
            if (only == SETUP_NAMES[k])
            {
                for (uint32_t r = 0; r < reps; ++r)
                {
                    Sample s = RunOnce(static_cast<Setup>(k), prm);
                    std::cout << only << " run " << s.run << " s (cpu " << s.cpu << " s)  events "
                              << s.events << "  rx " << s.rx << "\n";
                }
                return 0;
            }
        }
        std::cerr << "scenario-chain: unknown setup '" << only << "'\n";
        return 1;
    }
    if (reps == 0 || prm.packets == 0 || prm.hops == 0)
    {
        std::cerr << "scenario-chain: --reps, --packets and --hops must be positive\n";
        return 1;
    }

    std::ofstream csv;
    if (!csvFile.empty())
    {
        csv.open(csvFile);
        csv << "kind,setup,rep,run_wall_s,run_cpu_s,total_s,build_s,destroy_s,events,"
               "events_per_wall_s,rx,lost,wire_bytes\n";
    }

    if (warmup)
    {
        Params w = prm;
        w.packets = std::max<uint32_t>(1, prm.packets / 10);
        for (int k = 0; k < N_SETUPS; ++k)
        {
            RunOnce(static_cast<Setup>(k), w);
        }
    }

    std::vector<std::vector<Sample>> samples(N_SETUPS);
    std::cout << "scenario-chain: " << prm.hops << " hops of " << prm.linkRate << "/" << prm.delay
              << ", " << prm.packets << " UDP packets of " << prm.size << " B every "
              << prm.interval.GetMicroSeconds() << " us, " << reps << " interleaved reps\n\n";
    for (uint32_t r = 0; r < reps; ++r)
    {
        for (int k = 0; k < N_SETUPS; ++k)
        {
            auto setup = static_cast<Setup>((k + r) % N_SETUPS);
            Sample s = RunOnce(setup, prm);
            samples[setup].push_back(s);
            std::cout << "rep " << r << " " << std::left << std::setw(13) << SETUP_NAMES[setup]
                      << std::right << std::fixed << std::setprecision(3) << " run " << s.run
                      << " s (cpu " << s.cpu << " s)  total " << s.Total() << " s  events "
                      << s.events << "  rx " << s.rx << "  lost " << s.lost << "\n";
            if (csv.is_open())
            {
                csv << "run," << SETUP_NAMES[setup] << "," << r << "," << s.run << "," << s.cpu
                    << "," << s.Total() << "," << s.build << "," << s.destroy << "," << s.events
                    << "," << s.events / s.run << "," << s.rx << "," << s.lost << "," << s.wireBytes
                    << "\n";
            }
        }
    }

    // Summary: medians over the repetitions.
    double wall[N_SETUPS];
    double cpu[N_SETUPS];
    double tot[N_SETUPS];
    double eps[N_SETUPS];
    double epsCpu[N_SETUPS];
    bool sameDelivered = true;
    for (int k = 0; k < N_SETUPS; ++k)
    {
        std::vector<double> w;
        std::vector<double> c;
        std::vector<double> t;
        std::vector<double> e;
        std::vector<double> ec;
        for (const auto& s : samples[k])
        {
            w.push_back(s.run);
            c.push_back(s.cpu);
            t.push_back(s.Total());
            e.push_back(s.events / s.run);
            ec.push_back(s.events / s.cpu);
            sameDelivered = sameDelivered && s.rx == samples[PLAIN].front().rx && s.lost == 0 &&
                            s.rx == prm.packets;
        }
        wall[k] = Median(w);
        cpu[k] = Median(c);
        tot[k] = Median(t);
        eps[k] = Median(e);
        epsCpu[k] = Median(ec);
    }

    std::cout << "\nMedians of " << reps << " reps; 'x' = ratio to plain ns-3\n"
              << std::left << std::setw(14) << "setup" << std::right << std::setw(9) << "run[s]"
              << std::setw(7) << "x" << std::setw(9) << "cpu[s]" << std::setw(7) << "x"
              << std::setw(10) << "total[s]" << std::setw(7) << "x" << std::setw(10) << "events"
              << std::setw(7) << "x" << std::setw(9) << "kev/s" << std::setw(7) << "x"
              << std::setw(10) << "kev/cpu-s" << std::setw(7) << "x" << std::setw(9) << "received"
              << std::setw(7) << "frame"
              << "\n";
    for (int k = 0; k < N_SETUPS; ++k)
    {
        uint64_t ev = samples[k].front().events;
        uint64_t ev0 = samples[PLAIN].front().events;
        std::cout << std::left << std::setw(14) << SETUP_NAMES[k] << std::right << std::fixed
                  << std::setprecision(3) << std::setw(9) << wall[k] << std::setw(7)
                  << wall[k] / wall[PLAIN] << std::setw(9) << cpu[k] << std::setw(7)
                  << cpu[k] / cpu[PLAIN] << std::setw(10) << tot[k] << std::setw(7)
                  << tot[k] / tot[PLAIN] << std::setw(10) << ev << std::setw(7) << double(ev) / ev0
                  << std::setprecision(1) << std::setw(9) << eps[k] / 1e3 << std::setprecision(3)
                  << std::setw(7) << eps[k] / eps[PLAIN] << std::setprecision(1) << std::setw(10)
                  << epsCpu[k] / 1e3 << std::setprecision(3) << std::setw(7)
                  << epsCpu[k] / epsCpu[PLAIN] << std::setw(9) << samples[k].front().rx
                  << std::setw(7) << samples[k].front().wireBytes << "\n";
        if (csv.is_open())
        {
            csv << "median," << SETUP_NAMES[k] << ",," << wall[k] << "," << cpu[k] << "," << tot[k]
                << ",,," << ev << "," << eps[k] << "," << samples[k].front().rx << ",,"
                << samples[k].front().wireBytes << "\n";
        }
    }

    std::cout << "\nFactors (medians of Simulator::Run)            wall    cpu   target\n";
    auto factor =
        [&](const std::string& name, const std::string& key, double fw, double fc, double target) {
            std::cout << "  " << std::left << std::setw(45) << name << std::right
                      << std::setprecision(3) << std::setw(6) << fw << std::setw(7) << fc;
            if (target > 0)
            {
                std::cout << "   <= " << std::setprecision(2) << target << ": "
                          << (fw <= target && fc <= target
                                  ? "met"
                                  : (fw <= target || fc <= target ? "met on one clock" : "MISSED"));
            }
            std::cout << "\n";
            if (csv.is_open())
            {
                csv << "factor," << key << ",," << fw << "," << fc << "\n";
            }
        };
    factor("root-only / plain",
           "root_only_over_plain",
           wall[ROOT_ONLY] / wall[PLAIN],
           cpu[ROOT_ONLY] / cpu[PLAIN],
           1.10);
    factor("per level: level 1 = one-child / root-only",
           "level1",
           wall[ONE_CHILD] / wall[ROOT_ONLY],
           cpu[ONE_CHILD] / cpu[ROOT_ONLY],
           1.30);
    factor("per level: levels 2-3 = (three / one)^(1/2)",
           "levels2_3",
           std::sqrt(wall[THREE_LEVELS] / wall[ONE_CHILD]),
           std::sqrt(cpu[THREE_LEVELS] / cpu[ONE_CHILD]),
           1.30);
    factor("per level: overall = (three / root)^(1/3)",
           "overall_per_level",
           std::cbrt(wall[THREE_LEVELS] / wall[ROOT_ONLY]),
           std::cbrt(cpu[THREE_LEVELS] / cpu[ROOT_ONLY]),
           0);
    std::cout << "Every setup received all " << prm.packets
              << " packets, none lost: " << (sameDelivered ? "yes" : "NO") << "\n";
    return sameDelivered ? 0 : 2;
}
