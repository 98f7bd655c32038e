/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-emu: a Genesis router on real network interfaces. Real hosts send
 * real traffic through a simulated Genesis router (root arbitrator, child
 * networks with their capacity classes) in real time.
 *
 *   host h1 --- p1 --+                       +-- p3 --- host h3
 *   host h2 --- p2 --+-- Genesis router -----+
 *                        (this program, GenesisEmuNetDevice ports over
 *                         AF_PACKET sockets, RealtimeSimulatorImpl)
 *
 * Every port gets an IPv4 address (--addresses; default 10.77.<i>.1/24 for
 * the i-th port, the addresses of utils/emu-testbed.sh) and the router
 * forwards between them. The profiles (--profiles) spawn child networks of
 * the root at t=0; each gets a slice of every port (GenesisEmuEdge): its
 * capacity class and rate on every port's arbitrator, with its address space
 * (and, with --vlans, 802.1Q VLAN ids) classifying real packets into it.
 * Each port transmits at its configured rate (--rate, or --rates per port),
 * so a port where traffic converges is a bottleneck the arbitrator divides.
 * Every second one line gives each network's rate out of the ports.
 *
 * On the test bed (as root):
 *   utils/emu-testbed.sh up
 *   ip netns exec gemu-r build/genesis-emu --ports=p1,p2,p3 --rates=1Gbps,1Gbps,40Mbps
 *   ip netns exec gemu-h3 iperf3 -s &
 *   ip netns exec gemu-h1 iperf3 -c 10.77.3.2 -u -b 50M
 *   utils/emu-testbed.sh down
 *
 * --plain forwards with plain ns-3 instead (FdNetDevice ports, no Genesis),
 * for comparison (utils/emu-bench.sh). --rx-batch sets how many frames the
 * ports' reader hands the simulator per event (1: ns-3's own reader).
 */

#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/traffic-control-module.h"

#include <arpa/inet.h>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GenesisEmuExample");

namespace
{

volatile std::sig_atomic_t g_stop = 0; //!< set by SIGINT / SIGTERM

void
OnSignal(int)
{
    g_stop = 1;
}

/// Parse "a.b.c.d/len"; false on error.
bool
ParsePrefix(const std::string& text, Ipv4Address& addr, Ipv4Mask& mask)
{
    auto slash = text.find('/');
    if (slash == std::string::npos)
    {
        return false;
    }
    struct in_addr a;
    if (inet_pton(AF_INET, text.substr(0, slash).c_str(), &a) != 1)
    {
        return false;
    }
    std::string len = text.substr(slash + 1);
    if (len.empty() || len.size() > 2 || len.find_first_not_of("0123456789") != std::string::npos)
    {
        return false;
    }
    int l = std::stoi(len);
    if (l < 1 || l > 30)
    {
        return false;
    }
    addr = Ipv4Address(ntohl(a.s_addr));
    mask = Ipv4Mask(l == 0 ? 0u : (0xffffffffu << (32 - l)));
    return true;
}

/// The rate line.
struct Monitor
{
    Ptr<GenesisEmuEdge> edge;          //!< Genesis mode
    Ptr<VirtualNetwork> root;          //!< Genesis mode
    NetDeviceContainer ports;          //!< the ports
    std::map<uint16_t, uint64_t> last; //!< bytes at the last line, per network id
    uint64_t lastPlain{0};             //!< plain mode: bytes at the last line
    std::ofstream csv;                 //!< --csv
    Time interval;                     //!< line interval

    void Tick()
    {
        std::ostringstream line;
        line << std::fixed << std::setprecision(2) << "t=" << std::setw(6)
             << Simulator::Now().GetSeconds() << "s";
        if (edge)
        {
            std::vector<std::pair<std::string, uint16_t>> nets{{"root", 0}};
            for (const auto& c : root->GetChildren())
            {
                if (c->GetState() == VirtualNetwork::SPAWNED)
                {
                    nets.emplace_back(c->GetName(), c->GetId());
                }
            }
            for (const auto& n : nets)
            {
                uint64_t b = edge->GetTxBytes(n.second);
                double mbps = (b - last[n.second]) * 8.0 / interval.GetSeconds() / 1e6;
                last[n.second] = b;
                line << "  " << n.first << " " << std::setw(8) << mbps << " Mb/s";
                if (csv.is_open())
                {
                    csv << Simulator::Now().GetSeconds() << "," << n.first << "," << mbps * 1e6
                        << "\n";
                }
            }
        }
        else
        {
            uint64_t b = 0;
            for (auto it = ports.Begin(); it != ports.End(); ++it)
            {
                b += DynamicCast<GenesisEmuNetDevice>(*it)
                         ? DynamicCast<GenesisEmuNetDevice>(*it)->GetTxBytes()
                         : 0;
            }
            double mbps = (b - lastPlain) * 8.0 / interval.GetSeconds() / 1e6;
            lastPlain = b;
            line << "  plain " << std::setw(8) << mbps << " Mb/s";
        }
        std::cout << line.str() << std::endl;
        if (g_stop)
        {
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(interval, &Monitor::Tick, this);
    }
};

void
OnAttachFailed(Ptr<VirtualNetwork> /* network */, const std::string& why)
{
    std::cerr << "genesis-emu: " << why << std::endl;
}

void
OnSpawnFailed(const std::string& name, const std::string& why)
{
    std::cerr << "genesis-emu: spawn of '" << name << "' refused: " << why << std::endl;
}

void
Ready()
{
    std::cout << "genesis-emu: ready" << std::endl;
}

int
Fail(const std::string& what)
{
    std::cerr << "genesis-emu: " << what << std::endl;
    return 1;
}

} // namespace

int
main(int argc, char* argv[])
{
    GenesisEmuHelper::EnableRealtime();

    std::string ports = "none";
    std::string addresses = "auto";
    std::string profiles = "examples/profiles/emu-gold.yaml,examples/profiles/emu-bronze.yaml";
    std::string rate = "1Gbps";
    std::string rates = "none";
    std::string vlans = "none";
    std::string csvPath = "none";
    double duration = 10;
    double interval = 1;
    uint32_t burst = 16000;
    uint32_t rxBatch = 0;
    bool plain = false;

    CommandLine cmd(__FILE__);
    cmd.Usage("A Genesis router on real network interfaces (needs root or CAP_NET_RAW). "
              "Run it in the router namespace of utils/emu-testbed.sh.");
    cmd.AddValue("ports",
                 "Interfaces to make router ports, comma-separated (e.g. p1,p2,p3)",
                 ports);
    cmd.AddValue("addresses",
                 "IPv4 address/prefix of each port, comma-separated; 'auto': 10.77.<i>.1/24",
                 addresses);
    cmd.AddValue("profiles",
                 "Profiles of child networks to spawn at t=0, comma-separated, or 'none'",
                 profiles);
    cmd.AddValue("rate", "Transmission rate of every port (GenesisEmuNetDevice DataRate)", rate);
    cmd.AddValue("rates",
                 "Rate of each port, comma-separated (overrides --rate), or 'none'",
                 rates);
    cmd.AddValue("vlans",
                 "802.1Q VLAN ids of networks: network=vid,... (e.g. gold=100,bronze=200), or "
                 "'none'",
                 vlans);
    cmd.AddValue("duration", "Seconds to run (0: until SIGINT/SIGTERM)", duration);
    cmd.AddValue("interval", "Seconds between rate lines", interval);
    cmd.AddValue("burst", "Pacing burst of the ports in bytes (PacingBurst)", burst);
    cmd.AddValue("rx-batch",
                 "Frames the ports' reader takes per wake-up and hands the simulator in one "
                 "event (RxBatchSize, e.g. 64); 1: ns-3's own FdNetDevice reader, one event per "
                 "frame; 0: the attribute's default (64)",
                 rxBatch);
    cmd.AddValue("plain", "Plain ns-3 forwarding over unpaced FdNetDevices, no Genesis", plain);
    cmd.AddValue("csv", "Write time,network,bit/s lines to this file, or 'none'", csvPath);
    cmd.Parse(argc, argv);

    try
    {
        std::vector<std::string> ifnames =
            GenesisEmuHelper::SplitList(ports == "none" ? "" : ports);
        if (ifnames.empty())
        {
            return Fail("no ports: give the interfaces with --ports=p1,p2 (see --help)");
        }
        if (duration < 0 || interval <= 0)
        {
            return Fail("--duration must be >= 0 and --interval > 0");
        }
        if (rxBatch > 1024)
        {
            return Fail("--rx-batch must be 0 (the default), 1 (ns-3's reader) to 1024 frames");
        }
        std::vector<std::string> addrList;
        if (addresses == "auto")
        {
            for (std::size_t i = 0; i < ifnames.size(); ++i)
            {
                addrList.push_back("10.77." + std::to_string(i + 1) + ".1/24");
            }
        }
        else
        {
            addrList = GenesisEmuHelper::SplitList(addresses);
        }
        if (addrList.size() != ifnames.size())
        {
            return Fail("--addresses has " + std::to_string(addrList.size()) + " entries for " +
                        std::to_string(ifnames.size()) + " ports; give one address/prefix each");
        }
        std::vector<DataRate> portRates;
        std::vector<std::string> rateList = rates == "none"
                                                ? std::vector<std::string>(ifnames.size(), rate)
                                                : GenesisEmuHelper::SplitList(rates);
        if (rateList.size() != ifnames.size())
        {
            return Fail("--rates has " + std::to_string(rateList.size()) + " entries for " +
                        std::to_string(ifnames.size()) + " ports");
        }
        for (const auto& r : rateList)
        {
            portRates.push_back(GenesisHelper::ParseRate(r, "--rates/--rate"));
        }

        Ptr<Node> router = CreateObject<Node>();
        Names::Add("router", router);
        InternetStackHelper stack;
        stack.Install(router);

        GenesisEmuHelper emu;
        if (plain)
        {
            emu.SetPortAttribute("DataRate", DataRateValue(DataRate(0)));
        }
        emu.SetPortAttribute("PacingBurst", UintegerValue(burst));
        if (rxBatch > 0)
        {
            emu.SetPortAttribute("RxBatchSize", UintegerValue(rxBatch));
        }
        // One call: the helper refuses an interface given twice and opens
        // every port before the node gets any; then each port its own rate.
        NetDeviceContainer devs = emu.InstallPorts(router, ifnames);
        for (std::size_t i = 0; i < devs.GetN() && !plain; ++i)
        {
            devs.Get(i)->SetAttribute("DataRate", DataRateValue(portRates[i]));
        }
        Ptr<Ipv4> ipv4 = router->GetObject<Ipv4>();
        for (std::size_t i = 0; i < devs.GetN(); ++i)
        {
            Ipv4Address a;
            Ipv4Mask m;
            if (!ParsePrefix(addrList[i], a, m))
            {
                return Fail("--addresses: '" + addrList[i] +
                            "' is not an IPv4 address/prefix such as 10.77.1.1/24");
            }
            int32_t ifIndex = ipv4->AddInterface(devs.Get(i));
            ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(a, m));
            ipv4->SetUp(ifIndex);
        }

        Monitor mon;
        mon.ports = devs;
        mon.interval = Seconds(interval);
        if (csvPath != "none")
        {
            mon.csv.open(csvPath);
            if (!mon.csv)
            {
                return Fail("cannot write --csv file '" + csvPath + "'");
            }
        }
        GenesisHelper genesis;
        if (!plain)
        {
            Ptr<VirtualNetwork> root = genesis.Install(router);
            genesis.GetSpawner()->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
            Ptr<GenesisEmuEdge> edge = GenesisEmuHelper::CreateEdge(root, devs);
            edge->TraceConnectWithoutContext("AttachFailed", MakeCallback(&OnAttachFailed));
            genesis.GetSpawner()->TraceConnectWithoutContext("SpawnFailed",
                                                             MakeCallback(&OnSpawnFailed));
            for (const auto& v : GenesisEmuHelper::SplitList(vlans == "none" ? "" : vlans))
            {
                auto eq = v.find('=');
                std::string vid = eq == std::string::npos ? "" : v.substr(eq + 1);
                if (eq == std::string::npos || eq == 0 || vid.empty() || vid.size() > 4 ||
                    vid.find_first_not_of("0123456789") != std::string::npos)
                {
                    return Fail("--vlans: '" + v + "' is not network=vlan-id (e.g. gold=100)");
                }
                edge->SetVlan(v.substr(0, eq), static_cast<uint16_t>(std::stoi(vid)));
            }
            for (const auto& p : GenesisEmuHelper::SplitList(profiles == "none" ? "" : profiles))
            {
                genesis.Spawn(Seconds(0), p);
            }
            mon.edge = edge;
            mon.root = root;
        }

        std::signal(SIGINT, OnSignal);
        std::signal(SIGTERM, OnSignal);
        Simulator::Schedule(MilliSeconds(10), &Ready);
        Simulator::Schedule(mon.interval, &Monitor::Tick, &mon);
        if (duration > 0)
        {
            Simulator::Stop(Seconds(duration) + MilliSeconds(1));
        }
        Simulator::Run();
        for (std::size_t i = 0; i < devs.GetN(); ++i)
        {
            Ptr<GenesisEmuNetDevice> d = DynamicCast<GenesisEmuNetDevice>(devs.Get(i));
            std::cout << "genesis-emu: port " << ifnames[i] << ": sent " << d->GetTxFrames()
                      << " frames, paused " << d->GetNPacingStops() << " times to pace, socket "
                      << "receive buffer " << d->GetRxBufferBytes() / 1024
                      << " KiB (as SO_RCVBUF reports it)";
            if (d->GetNRxBatches() > 0)
            {
                std::cout << ", read " << d->GetNRxBatchFrames() << " frames in "
                          << d->GetNRxBatches() << " deliveries ("
                          << d->GetNRxBatchFrames() / d->GetNRxBatches()
                          << " per delivery), reader waited on a full queue "
                          << d->GetNRxQueueFull() << " times";
            }
            std::cout << std::endl;
        }
        Simulator::Destroy();
    }
    catch (const GenesisError& e)
    {
        return Fail(e.what());
    }
    return 0;
}
