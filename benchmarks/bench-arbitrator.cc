/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Per-packet cost of the ArbitratorQueueDisc (enqueue + dequeue, all classes
 * backlogged) at 1, 16, 256 and 4096 classes, beside ns-3's FifoQueueDisc and
 * PrioQueueDisc driven by the same packet stream in the same binary.
 *
 * Each iteration dequeues one packet from the root disc and enqueues it again
 * (so it returns to the class it came from and every class stays backlogged
 * with two packets). The arbitrator classifies each packet with its default
 * GenesisLabelFilter (shim label 0 = class id, IPv4 protocol 253); child discs
 * are FifoQueueDiscs. Discs are driven directly, without a device.
 *
 * Reproduce the figures in doc/arbitrator-section.rst with:
 *   ./build/bench-arbitrator --benchmark_repetitions=5 \
 *       --benchmark_report_aggregates_only=true
 */
#include "ns3/arbitrator-queue-disc.h"
#include "ns3/core-module.h"
#include "ns3/fifo-queue-disc.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/mac48-address.h"
#include "ns3/prio-queue-disc.h"
#include "ns3/socket.h"

#include <benchmark/benchmark.h>
#include <vector>

using namespace ns3;

namespace
{
/// Two packets per class, packet k carries shim label (k % classes) and priority k % 16.
std::vector<Ptr<QueueDiscItem>>
MakeStream(uint32_t classes, bool ownOnly)
{
    std::vector<Ptr<QueueDiscItem>> items;
    for (uint32_t k = 0; k < 2 * classes; ++k)
    {
        Ptr<Packet> p = Create<Packet>(1000);
        GenesisShimHeader shim;
        shim.SetLabels({static_cast<uint16_t>(ownOnly ? 0 : 1 + k % classes)});
        p->AddHeader(shim);
        SocketPriorityTag prio;
        prio.SetPriority(static_cast<uint8_t>(k % 16));
        p->AddPacketTag(prio);
        Ipv4Header ip;
        ip.SetProtocol(253);
        ip.SetSource(Ipv4Address("10.0.0.1"));
        ip.SetDestination(Ipv4Address("10.0.0.2"));
        ip.SetPayloadSize(p->GetSize());
        items.push_back(
            Create<Ipv4QueueDiscItem>(p, Mac48Address("00:00:00:00:00:01"), 0x0800, ip));
    }
    return items;
}

Ptr<QueueDisc>
MakeFifo(uint32_t packets)
{
    return CreateObjectWithAttributes<FifoQueueDisc>(
        "MaxSize",
        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, packets)));
}

/// The measured loop: dequeue one packet, enqueue it again.
void
Drive(benchmark::State& state, Ptr<QueueDisc> q, const std::vector<Ptr<QueueDiscItem>>& items)
{
    q->Initialize();
    for (const auto& item : items)
    {
        q->Enqueue(item);
    }
    if (q->GetNPackets() != items.size())
    {
        state.SkipWithError("prefill dropped packets");
        return;
    }
    for (auto _ : state)
    {
        Ptr<QueueDiscItem> item = q->Dequeue();
        benchmark::DoNotOptimize(item);
        q->Enqueue(item);
    }
    state.SetItemsProcessed(state.iterations());
    q->Dispose();
}
} // namespace

/// Arbitrator with state.range(0) backlogged classes (1: only its own class, fast path).
static void
BM_Arbitrator(benchmark::State& state)
{
    const uint32_t n = static_cast<uint32_t>(state.range(0));
    Ptr<ArbitratorQueueDisc> q = CreateObject<ArbitratorQueueDisc>();
    q->SetAttribute("OwnQueueDiscType", StringValue("ns3::FifoQueueDisc"));
    if (n == 1)
    {
        Drive(state, q, MakeStream(1, true));
        return;
    }
    q->SetLinkRate(DataRate(uint64_t(n) * 1000000));
    for (uint32_t i = 1; i <= n; ++i)
    {
        q->AddNetworkClass(i,
                           ArbitratorQueueDiscClass::CONTROLLED,
                           DataRate(1000000),
                           1.0,
                           MakeFifo(16));
    }
    Drive(state, q, MakeStream(n, false));
}

/// ns-3 FifoQueueDisc on the same stream (no classification, one queue).
static void
BM_Fifo(benchmark::State& state)
{
    const uint32_t n = static_cast<uint32_t>(state.range(0));
    Drive(state, MakeFifo(2 * n + 16), MakeStream(n, false));
}

/// ns-3 PrioQueueDisc (3 FIFO bands, SocketPriorityTag) on the same stream.
static void
BM_Prio(benchmark::State& state)
{
    const uint32_t n = static_cast<uint32_t>(state.range(0));
    Ptr<PrioQueueDisc> q = CreateObject<PrioQueueDisc>();
    for (int b = 0; b < 3; ++b)
    {
        Ptr<QueueDiscClass> c = CreateObject<QueueDiscClass>();
        c->SetQueueDisc(MakeFifo(2 * n + 16));
        q->AddQueueDiscClass(c);
    }
    Drive(state, q, MakeStream(n, false));
}

BENCHMARK(BM_Arbitrator)->Arg(1)->Arg(16)->Arg(256)->Arg(4096);
BENCHMARK(BM_Fifo)->Arg(16)->Arg(4096);
BENCHMARK(BM_Prio)->Arg(16)->Arg(4096);

int
main(int argc, char** argv)
{
    // Until Simulator::Run() starts, ns-3 records every Time object built (to
    // convert them if the resolution changes): a std::set insert per Time. A
    // running simulation never pays that, so start and stop the simulator once.
    Simulator::Run();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
    {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    Simulator::Destroy();
    return 0;
}
