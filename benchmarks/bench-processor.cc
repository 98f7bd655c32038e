/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the per-node computation model (GenesisNodeProcessor) costs the
 * simulator, beside the same scenario without it, in the same binary:
 *
 *  * BM_ForwardPlain: a chain n0 - n1 - n2 of 1 Gbit/s point-to-point links
 *    with Genesis installed; n0 sends UDP packets of 500 bytes to n2 at
 *    100 000 packets/s for 0.5 s of simulated time (50 000 packets);
 *  * BM_ForwardProcessor: the same with a processor on n1, fast enough
 *    (1 000 000 packets/s) that it never drops, so both forward the same
 *    packets and only the model's work differs (one extra event per packet,
 *    classification and SFQ tags);
 *  * BM_ForwardPlainChildren / BM_ForwardProcessorChildren: the same without
 *    and with the processor, the packets sent by a child network's routelets
 *    (label-switched over the chain, shim classification on n1) while two
 *    other children hold shares on n1.
 *
 * items_per_second is forwarded packets per second of wall-clock time. Run:
 *   ./build/bench-processor --benchmark_repetitions=5 \
 *       --benchmark_report_aggregates_only=true
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <benchmark/benchmark.h>

using namespace ns3;

namespace
{

constexpr double SECONDS = 0.5;       //!< simulated time of traffic
constexpr double PACKET_RATE = 100e3; //!< offered packets per second
constexpr uint32_t SIZE = 500;        //!< UDP payload bytes

/// Builds the chain, runs it and returns the packets received.
uint64_t
RunOnce(bool processor, bool children)
{
    NodeContainer nodes;
    nodes.Create(3);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("100us"));
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    NetDeviceContainer l0 = p2p.Install(nodes.Get(0), nodes.Get(1));
    addr.Assign(l0);
    addr.NewNetwork();
    NetDeviceContainer l1 = p2p.Install(nodes.Get(1), nodes.Get(2));
    Ipv4InterfaceContainer i1 = addr.Assign(l1);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root = genesis.Install(nodes);

    Ptr<Node> src = nodes.Get(0);
    Ptr<Node> dst = nodes.Get(2);
    Ipv4Address dstAddr = i1.GetAddress(1);
    if (children)
    {
        const char* bases[] = {"172.16.0.0", "172.17.0.0", "172.18.0.0"};
        Ptr<VirtualNetwork> first;
        for (const char* base : bases)
        {
            std::string name = "c" + std::to_string(base[5] - '0');
            Ptr<VirtualNetwork> c = genesis.CreateNetwork(root, name, "controlled", "200Mbps");
            c->SetAttribute("Ipv4Base", Ipv4AddressValue(base));
            Ptr<Routelet> a = c->AddRoutelet(nodes.Get(0));
            Ptr<Routelet> b = c->AddRoutelet(nodes.Get(2));
            c->AddLink(a, b);
            c->Spawn();
            first = first ? first : c;
        }
        src = first->GetRoutelets()[0]->GetNode();
        dst = first->GetRoutelets()[1]->GetNode();
        dstAddr = Ipv4Address(first->GetLinks().front()->GetSubnet().Get() + 2);
    }
    if (processor)
    {
        GenesisNodeProcessorHelper cpu;
        cpu.SetAttribute("CyclesPerSecond", UintegerValue(1000000000));
        cpu.SetAttribute("CyclesPerPacket", UintegerValue(1000)); // 10^6 packets/s
        cpu.Install(NodeContainer(nodes.Get(1)), root);
    }
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(dstAddr, 9));
    onoff.SetConstantRate(DataRate(static_cast<uint64_t>(PACKET_RATE * SIZE * 8)), SIZE);
    ApplicationContainer a = onoff.Install(src);
    a.Start(Seconds(0.1));
    a.Stop(Seconds(0.1 + SECONDS));
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer s = sink.Install(dst);
    Simulator::Stop(Seconds(0.2 + SECONDS));
    Simulator::Run();
    uint64_t rx = DynamicCast<PacketSink>(s.Get(0))->GetTotalRx() / SIZE;
    Simulator::Destroy();
    return rx;
}

void
Forward(benchmark::State& state, bool processor, bool children)
{
    uint64_t packets = 0;
    for (auto _ : state)
    {
        packets += RunOnce(processor, children);
    }
    state.SetItemsProcessed(static_cast<int64_t>(packets));
    state.counters["received"] =
        benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kAvgIterations);
}

void
BM_ForwardPlain(benchmark::State& state)
{
    Forward(state, false, false);
}

void
BM_ForwardProcessor(benchmark::State& state)
{
    Forward(state, true, false);
}

void
BM_ForwardPlainChildren(benchmark::State& state)
{
    Forward(state, false, true);
}

void
BM_ForwardProcessorChildren(benchmark::State& state)
{
    Forward(state, true, true);
}

} // namespace

BENCHMARK(BM_ForwardPlain)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ForwardProcessor)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ForwardPlainChildren)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ForwardProcessorChildren)->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
