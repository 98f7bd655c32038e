/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Per-packet cost of the DiffServ transport modules beside ns-3's
 * FifoQueueDisc, in the same binary on the same packets:
 *
 *  * BM_Fifo: FifoQueueDisc, dequeue one packet and enqueue it again;
 *  * BM_Phb: GenesisPhbQueueDisc (WRR or WFQ) on the same loop, packets of
 *    AF11, AF21, AF31 and BE (all classes backlogged, AF queues below their
 *    thresholds so nothing is dropped);
 *  * BM_PhbConditioned: the same with a GenesisTrafficConditioner in the disc
 *    (4 agreements, srTCM, classify + meter + re-mark of every packet: the
 *    item is rebuilt with the new header; AFx3 thresholds raised so that no
 *    packet is dropped);
 *  * BM_ConditionItem: classify + meter + mark of an Ipv4QueueDiscItem alone;
 *  * BM_ConditionPacket: classify + meter + mark of a Ptr<Packet> that starts
 *    with its IPv4 header (a copy per iteration, as an input port holds a
 *    packet shared with a trace or a pcap: RemoveHeader/AddHeader then copy
 *    the buffer once).
 *
 * Discs are driven directly, without a device. Reproduce the figures in
 * doc/diffserv-section.rst with:
 *   ./build/bench-diffserv --benchmark_repetitions=5 \
 *       --benchmark_report_aggregates_only=true
 */
#include "ns3/core-module.h"
#include "ns3/fifo-queue-disc.h"
#include "ns3/genesis-phb-queue-disc.h"
#include "ns3/genesis-traffic-conditioner.h"
#include "ns3/internet-module.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/mac48-address.h"

#include <benchmark/benchmark.h>
#include <vector>

using namespace ns3;

namespace
{
const uint8_t CODEPOINTS[] = {10, 18, 26, 0}; //!< AF11, AF21, AF31, BE

/// An IPv4/UDP packet of 1000 bytes (header included) with codepoint \p dscp, port 5000 + k
Ipv4Header
MakeIpHeader(uint8_t dscp, uint32_t k)
{
    Ipv4Header ip;
    ip.SetProtocol(17);
    ip.SetSource(Ipv4Address("10.0.0.1"));
    ip.SetDestination(Ipv4Address(0x0a000100 + (k % 4)));
    ip.SetDscp(static_cast<Ipv4Header::DscpType>(dscp));
    ip.SetPayloadSize(980);
    return ip;
}

Ptr<Packet>
Payload(uint32_t k)
{
    Ptr<Packet> p = Create<Packet>(972);
    UdpHeader udp;
    udp.SetSourcePort(1000);
    udp.SetDestinationPort(static_cast<uint16_t>(5000 + k % 4));
    p->AddHeader(udp);
    return p;
}

std::vector<Ptr<QueueDiscItem>>
MakeStream(uint32_t n)
{
    std::vector<Ptr<QueueDiscItem>> items;
    for (uint32_t k = 0; k < n; ++k)
    {
        items.push_back(Create<Ipv4QueueDiscItem>(Payload(k),
                                                  Mac48Address("00:00:00:00:00:01"),
                                                  0x0800,
                                                  MakeIpHeader(CODEPOINTS[k % 4], k)));
    }
    return items;
}

/// 4 agreements (dst 10.0.1.0 .. 10.0.1.3), srTCM, every colour re-marked
Ptr<GenesisTrafficConditioner>
MakeConditioner()
{
    auto cond = CreateObject<GenesisTrafficConditioner>();
    for (int i = 0; i < 4; ++i)
    {
        auto tca = CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>(
            "Match",
            StringValue("dst=10.0.1." + std::to_string(i) + " proto=udp dport=5000-5003"),
            "Meter",
            StringValue("SrTcm"),
            "Cir",
            StringValue("1Mbps"),
            "GreenDscp",
            StringValue("AF" + std::to_string(i + 1) + "1"),
            "YellowDscp",
            StringValue("AF" + std::to_string(i + 1) + "2"),
            "RedDscp",
            StringValue("AF" + std::to_string(i + 1) + "3"),
            "RedAction",
            StringValue("Remark"));
        cond->AddTca(tca);
    }
    return cond;
}

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
    if (q->GetStats().nTotalDroppedPackets != 0)
    {
        state.SkipWithError("the loop dropped packets");
    }
    state.SetItemsProcessed(state.iterations());
    q->Dispose();
}
} // namespace

static void
BM_Fifo(benchmark::State& state)
{
    Drive(state,
          CreateObjectWithAttributes<FifoQueueDisc>("MaxSize", StringValue("1000p")),
          MakeStream(64));
}

/// state.range(0): 0 = WRR, 1 = WFQ
static void
BM_Phb(benchmark::State& state)
{
    auto q = CreateObjectWithAttributes<GenesisPhbQueueDisc>(
        "Scheduler",
        StringValue(state.range(0) ? "Wfq" : "Wrr"));
    Drive(state, q, MakeStream(64));
}

static void
BM_PhbConditioned(benchmark::State& state)
{
    // after the buckets empty (time stands still) every packet is red: AFx3,
    // whose thresholds are raised above the 16 packets per class queued here
    auto q = CreateObjectWithAttributes<GenesisPhbQueueDisc>("Conditioner",
                                                             PointerValue(MakeConditioner()),
                                                             "AfMinTh3",
                                                             DoubleValue(100),
                                                             "AfMaxTh3",
                                                             DoubleValue(200));
    Drive(state, q, MakeStream(64));
}

static void
BM_ConditionItem(benchmark::State& state)
{
    auto cond = MakeConditioner();
    auto items = MakeStream(64);
    std::size_t k = 0;
    for (auto _ : state)
    {
        Ptr<QueueDiscItem> out = cond->ConditionItem(items[k]);
        benchmark::DoNotOptimize(out);
        k = (k + 1) % items.size();
    }
    state.SetItemsProcessed(state.iterations());
}

static void
BM_ConditionPacket(benchmark::State& state)
{
    auto cond = MakeConditioner();
    std::vector<Ptr<Packet>> packets;
    for (uint32_t k = 0; k < 64; ++k)
    {
        Ptr<Packet> p = Payload(k);
        p->AddHeader(MakeIpHeader(CODEPOINTS[k % 4], k));
        packets.push_back(p);
    }
    std::size_t k = 0;
    for (auto _ : state)
    {
        Ptr<Packet> p = packets[k]->Copy();
        bool pass = cond->ConditionPacket(p);
        benchmark::DoNotOptimize(pass);
        k = (k + 1) % packets.size();
    }
    state.SetItemsProcessed(state.iterations());
}

/// The copy alone, to subtract from BM_ConditionPacket
static void
BM_PacketCopy(benchmark::State& state)
{
    Ptr<Packet> p = Payload(0);
    p->AddHeader(MakeIpHeader(0, 0));
    for (auto _ : state)
    {
        Ptr<Packet> c = p->Copy();
        benchmark::DoNotOptimize(c);
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Fifo);
BENCHMARK(BM_Phb)->Arg(0)->Arg(1);
BENCHMARK(BM_PhbConditioned);
BENCHMARK(BM_ConditionItem);
BENCHMARK(BM_ConditionPacket);
BENCHMARK(BM_PacketCopy);

int
main(int argc, char** argv)
{
    // As in bench-arbitrator: until Simulator::Run() starts, ns-3 records every
    // Time built (a std::set insert); a running simulation never pays that.
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
