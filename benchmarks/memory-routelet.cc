/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * memory-routelet: heap bytes per child routelet against a plain ns-3 node
 * with the same stack, measured in one process with glibc's mallinfo2()
 * (in-use heap bytes: uordblks + hblkhd) before and after each batch.
 *
 * Batches, each of --n objects, after a small warm-up of every kind (so that
 * TypeIds, attribute checkers and other one-time state are not counted):
 *
 *   plain        CreateObject<Node>; InternetStackHelper with IPv6 off and
 *                static routing (the stack Genesis installs on a routelet);
 *                one PointToPointNetDevice per node (nodes paired, so half a
 *                channel each); one IPv4 address (Ipv4AddressHelper, which also
 *                installs ns-3's default FqCoDel root queue disc). Measured
 *                step by step, so the per-object costs are printed too.
 *   plain-full   the same with InternetStackHelper's defaults (IPv4 + IPv6,
 *                global routing), for reference.
 *   routelet     n/2 child networks of the root, each with routelets on two
 *                adjacent hosts of a chain of n/2 + 1 Genesis routers and one
 *                1-hop virtual link: every routelet is a Node with the IPv4
 *                stack above, one RouteletPort and one address. "All-in"
 *                includes the routelet's share (1/2) of its network, virtual
 *                link, label-switching entries and the network's arbitrator
 *                classes on the two physical devices it uses.
 *   routelet-nostack  the same with InstallInternetStack=false: the
 *                difference to "routelet" is the stack's share.
 *   chain-child  one child network with a routelet on each of n/2 + 1
 *                adjacent hosts and a virtual link between neighbours, in
 *                RoutingMode shared (GenesisRouteletRouting, one next-port
 *                table per network) and static (an Ipv4StaticRouting route
 *                per routelet and remote link): in a large child the spawn's
 *                routes grow with N per routelet, which the 2-routelet
 *                networks above do not show.
 *
 * After every batch the simulator runs for 1 ms so that nodes, devices and
 * queue discs are initialised, as they would be in a simulation; the hosts of
 * the routelet batches are built (and measured) before the routelets.
 *
 *   ./ns3 build && ./build/memory-routelet --n=2000
 */

#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
/// In-use heap bytes: small chunks in arenas plus mmap'ed large blocks.
uint64_t
HeapInUse()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return static_cast<uint64_t>(mi.uordblks) + static_cast<uint64_t>(mi.hblkhd);
#elif defined(__GLIBC__)
    struct mallinfo mi = mallinfo(); // 32-bit fields: wrong beyond 2 GiB
    return static_cast<uint64_t>(static_cast<unsigned int>(mi.uordblks)) +
           static_cast<uint64_t>(static_cast<unsigned int>(mi.hblkhd));
#else
#error "memory-routelet needs glibc's mallinfo2() or mallinfo()"
#endif
}

/// Let scheduled initialisation happen (Node::Initialize etc.).
void
Settle()
{
    Simulator::Stop(MilliSeconds(1));
    Simulator::Run();
}

struct Row
{
    std::string what;
    int64_t bytes; //!< may be negative: running the simulator frees its event queue
    uint32_t count;
};

std::vector<Row> g_rows; //!< every measurement, for the table and the CSV

double
Record(const std::string& what, uint64_t before, uint64_t after, uint32_t count)
{
    int64_t d = static_cast<int64_t>(after) - static_cast<int64_t>(before);
    g_rows.push_back({what, d, count});
    return double(d) / count;
}

/// Plain nodes, measured step by step. \return bytes per node, all in
double
PlainBatch(uint32_t n, bool sameStack, const std::string& tag, uint32_t subnetBase)
{
    uint64_t m0 = HeapInUse();
    NodeContainer nodes;
    nodes.Create(n);
    uint64_t m1 = HeapInUse();
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    if (sameStack)
    {
        stack.SetIpv6StackInstall(false);
        stack.SetRoutingHelper(staticRouting);
    }
    stack.Install(nodes);
    uint64_t m2 = HeapInUse();
    PointToPointHelper p2p;
    std::vector<NetDeviceContainer> devs;
    for (uint32_t i = 0; i + 1 < n; i += 2)
    {
        devs.push_back(p2p.Install(nodes.Get(i), nodes.Get(i + 1)));
    }
    uint64_t m3 = HeapInUse();
    Ipv4AddressHelper addr(Ipv4Address(subnetBase), "255.255.255.252");
    for (auto& d : devs)
    {
        addr.Assign(d);
        addr.NewNetwork();
    }
    uint64_t m4 = HeapInUse();
    Settle();
    uint64_t m5 = HeapInUse();
    if (!tag.empty())
    {
        Record(tag + ": Node object", m0, m1, n);
        Record(tag + ": + internet stack", m1, m2, n);
        Record(tag + ": + point-to-point device (1/2 channel)", m2, m3, n);
        Record(tag + ": + IPv4 address (incl. FqCoDel root disc)", m3, m4, n);
        Record(tag + ": + initialisation (1 ms run)", m4, m5, n);
        return Record(tag + ": all in", m0, m5, n);
    }
    return 0;
}

/// Objects a child routelet consists of, alone (breakdown for the team).
void
ObjectBatch(uint32_t n)
{
    std::vector<Ptr<Object>> keep;
    keep.reserve(3 * n);
    uint64_t m0 = HeapInUse();
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<RouteletPort> port = CreateObject<RouteletPort>();
        port->SetAddress(Mac48Address::Allocate());
        keep.push_back(port);
    }
    uint64_t m1 = HeapInUse();
    for (uint32_t i = 0; i < n; ++i)
    {
        // A network's slice of one device, as VirtualNetwork::Spawn makes it:
        // an arbitrator whose own class holds the network's scheduler.
        Ptr<ArbitratorQueueDisc> arb = CreateObject<ArbitratorQueueDisc>();
        arb->SetAttribute("Depth", UintegerValue(1));
        arb->SetAttribute("OwnNetworkId", UintegerValue(1));
        arb->SetAttribute("LinkRate", DataRateValue(DataRate("10kbps")));
        arb->SetAttribute("OwnQueueDiscType", StringValue("ns3::FifoQueueDisc"));
        arb->Initialize();
        keep.push_back(arb);
    }
    uint64_t m2 = HeapInUse();
    for (uint32_t i = 0; i < n; ++i)
    {
        keep.push_back(CreateObject<VirtualNetwork>());
    }
    uint64_t m3 = HeapInUse();
    if (n > 16)
    {
        Record("object: RouteletPort", m0, m1, n);
        Record("object: ArbitratorQueueDisc slice (FIFO own class, initialised)", m1, m2, n);
        Record("object: VirtualNetwork (empty)", m2, m3, n);
    }
    for (auto& o : keep)
    {
        o->Dispose();
    }
}

/// A chain of \p hosts Genesis routers. \return the root network
Ptr<VirtualNetwork>
Hosts(GenesisHelper& genesis, NodeContainer& hosts, uint32_t n, uint32_t subnetBase)
{
    hosts.Create(n);
    InternetStackHelper stack;
    stack.Install(hosts);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    Ipv4AddressHelper addr(Ipv4Address(subnetBase), "255.255.255.252");
    for (uint32_t i = 0; i + 1 < n; ++i)
    {
        addr.Assign(p2p.Install(hosts.Get(i), hosts.Get(i + 1)));
        addr.NewNetwork();
    }
    return genesis.Install(hosts);
}

/// Child networks on adjacent hosts. \return bytes per routelet, all in
double
RouteletBatch(GenesisHelper& genesis,
              Ptr<VirtualNetwork> root,
              NodeContainer& hosts,
              uint32_t networks,
              bool withStack,
              const std::string& tag,
              uint32_t& serial)
{
    uint64_t m0 = HeapInUse();
    std::vector<Ptr<VirtualNetwork>> nets;
    for (uint32_t i = 0; i < networks; ++i)
    {
        Ptr<VirtualNetwork> net =
            genesis.CreateNetwork(root, "n" + std::to_string(serial++), "controlled", "10kbps");
        if (!withStack)
        {
            net->SetAttribute("InstallInternetStack", BooleanValue(false));
        }
        Ptr<Routelet> a = net->AddRoutelet(hosts.Get(i));
        Ptr<Routelet> b = net->AddRoutelet(hosts.Get(i + 1));
        net->AddLink(a, b);
        nets.push_back(net);
    }
    uint64_t m1 = HeapInUse();
    for (auto& net : nets)
    {
        net->Spawn();
    }
    uint64_t m2 = HeapInUse();
    Settle();
    uint64_t m3 = HeapInUse();
    if (tag.empty())
    {
        return 0;
    }
    uint32_t n = 2 * networks;
    Record(tag + ": defined (network, link, Routelet objects)", m0, m1, n);
    Record(tag + ": + spawned (node, stack, port, entries, classes)", m1, m2, n);
    Record(tag + ": + initialisation (1 ms run)", m2, m3, n);
    return Record(tag + ": all in", m0, m3, n);
}

/// One child over a chain of hosts, in RoutingMode \p mode. \return bytes per routelet, all in
double
ChainChildBatch(GenesisHelper& genesis,
                Ptr<VirtualNetwork> root,
                NodeContainer& hosts,
                const std::string& mode,
                uint32_t& serial,
                std::size_t* tableBytes)
{
    uint64_t m0 = HeapInUse();
    Ptr<VirtualNetwork> net =
        genesis.CreateNetwork(root, "n" + std::to_string(serial++), "controlled", "10kbps");
    net->SetAttribute("Ipv4Base", Ipv4AddressValue("172.16.0.0"));
    net->SetAttribute("Ipv4Mask", Ipv4MaskValue("255.240.0.0"));
    net->SetAttribute("RoutingMode", StringValue(mode));
    std::vector<Ptr<Routelet>> r;
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        r.push_back(net->AddRoutelet(hosts.Get(i)));
    }
    for (uint32_t i = 0; i + 1 < hosts.GetN(); ++i)
    {
        net->AddLink(r[i], r[i + 1]);
    }
    uint64_t m1 = HeapInUse();
    net->Spawn();
    uint64_t m2 = HeapInUse();
    Settle();
    uint64_t m3 = HeapInUse();
    uint32_t n = hosts.GetN();
    *tableBytes = net->GetRouteTable() ? net->GetRouteTable()->GetMemoryBytes() : 0;
    std::string tag = "chain-child " + mode;
    Record(tag + ": defined", m0, m1, n);
    Record(tag + ": + spawned", m1, m2, n);
    Record(tag + ": + initialisation (1 ms run)", m2, m3, n);
    return Record(tag + ": all in", m0, m3, n);
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 2000;
    std::string csvFile;
    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "Objects per batch (even; n/2 child networks of 2 routelets)", n);
    cmd.AddValue("csv", "Write the measurements as CSV to this file", csvFile);
    cmd.Parse(argc, argv);
    n = n < 4 ? 4 : n - n % 2;
    uint32_t nets = n / 2;

    // Warm-up: one small batch of every kind, not counted.
    GenesisHelper genesis;
    NodeContainer hosts;
    uint32_t serial = 0;
    PlainBatch(8, true, "", 0x0a000000);
    PlainBatch(8, false, "", 0x0a100000);
    ObjectBatch(8);
    // Hosts for warm-up and all routelet batches: 3 * (nets + 1) + 4 routers.
    uint64_t h0 = HeapInUse();
    Ptr<VirtualNetwork> root = Hosts(genesis, hosts, 2 * nets + 6, 0x0b000000);
    Settle();
    uint64_t h1 = HeapInUse();
    NodeContainer warm;
    for (uint32_t i = 0; i < 4; ++i)
    {
        warm.Add(hosts.Get(2 * nets + 2 + i));
    }
    RouteletBatch(genesis, root, warm, 2, true, "", serial);
    RouteletBatch(genesis, root, warm, 2, false, "", serial);

    // Measured batches.
    ObjectBatch(n);
    double plain = PlainBatch(n, true, "plain", 0x0c000000);
    double plainFull = PlainBatch(n, false, "plain-full", 0x0d000000);
    NodeContainer chainA;
    NodeContainer chainB;
    for (uint32_t i = 0; i <= nets; ++i)
    {
        chainA.Add(hosts.Get(i));
    }
    for (uint32_t i = nets + 1; i <= 2 * nets + 1; ++i)
    {
        chainB.Add(hosts.Get(i));
    }
    double routelet = RouteletBatch(genesis, root, chainA, nets, true, "routelet", serial);
    double noStack = RouteletBatch(genesis, root, chainB, nets, false, "routelet-nostack", serial);
    std::size_t sharedTable = 0;
    std::size_t staticTable = 0;
    double chainShared = ChainChildBatch(genesis, root, chainA, "shared", serial, &sharedTable);
    double chainStatic = ChainChildBatch(genesis, root, chainB, "static", serial, &staticTable);
    double hostBytes = Record("host: Genesis router (full stack, 2 p2p devices, arbitrators)",
                              h0,
                              h1,
                              2 * nets + 6);

    std::cout << "memory-routelet: heap bytes per object (mallinfo2 uordblks + hblkhd), " << n
              << " per batch\n\n";
    for (const auto& r : g_rows)
    {
        std::cout << std::left << std::setw(66) << r.what << std::right << std::setw(10)
                  << std::fixed << std::setprecision(0) << double(r.bytes) / r.count << " B  ("
                  << r.count << " objects)\n";
    }
    double ratio = routelet / plain;
    std::cout << std::setprecision(0) << "\nplain ns-3 node, same stack + 1 p2p device:  " << plain
              << " B\n"
              << "plain ns-3 node, default stack (IPv4+IPv6):  " << plainFull << " B\n"
              << "child routelet, all in:                      " << routelet << " B\n"
              << "child routelet without stack:                " << noStack << " B\n"
              << "  -> stack share of a routelet:              " << routelet - noStack << " B\n"
              << "Genesis router host (for scale):             " << hostBytes << " B\n"
              << "chain child of " << nets + 1 << " routelets, per routelet:\n"
              << "  RoutingMode shared:                        " << chainShared << " B (table "
              << double(sharedTable) / (nets + 1) << " B of it)\n"
              << "  RoutingMode static:                        " << chainStatic << " B\n"
              << "  -> static routes cost per routelet:        " << chainStatic - chainShared
              << " B (" << (chainStatic - chainShared) / std::max<uint32_t>(nets - 1, 1)
              << " B per route)\n"
              << std::setprecision(2) << "routelet / plain node (same stack): " << ratio
              << "   target <= 1.5: " << (ratio <= 1.5 ? "met" : "MISSED") << "\n";
    if (!csvFile.empty())
    {
        std::ofstream csv(csvFile);
        csv << "what,bytes_total,count,bytes_per_object\n";
        for (const auto& r : g_rows)
        {
            csv << "\"" << r.what << "\"," << r.bytes << "," << r.count << ","
                << double(r.bytes) / r.count << "\n";
        }
        csv << "\"ratio routelet/plain\",,," << ratio << "\n";
    }
    Simulator::Destroy();
    return 0;
}
