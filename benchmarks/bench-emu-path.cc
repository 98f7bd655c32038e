/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Per-frame processing cost of the emulated router without any I/O: what ns-3
 * and Genesis spend on one forwarded frame, plain ns-3 IPv4 forwarding beside
 * the Genesis router of genesis-emu, in one process, on the default
 * (non-real-time) simulator. No threads, no file descriptors, no syscalls.
 *
 *   injected frame --> port1 --[router: IPv4 forwarding (+ Genesis)]--> port2
 *                      10.77.1.1/24                                   10.77.2.1/24
 *                                                                        |
 *                                                       SimpleChannel    |
 *                                                                        v
 *                                                      sink device (counts frames)
 *
 * The router Node has an InternetStackHelper stack and two SimpleNetDevice
 * ports (DataRate 100 Gbit/s, so transmission never limits; TxQueue 4096
 * packets, see below), each on its own SimpleChannel; port 2's channel also
 * holds a sink SimpleNetDevice on a Node without any stack whose receive
 * callback counts frames and bytes. The router's ARP cache holds a permanent
 * entry for the sink (10.77.2.2), so no ARP exchange takes place. IPv4
 * checksums are on (ChecksumEnabled), as genesis-emu sets them: the router
 * verifies the header checksum of every frame and computes a new one.
 *
 * Every frame is one simulator event at the current time, scheduled with the
 * router's context as FdNetDevice's reader does. The event does what
 * FdNetDevice::ForwardUp does with the bytes read from the socket
 * (Create<Packet>(buffer, length), remove the EthernetHeader) and hands the
 * packet to port 1 (SimpleNetDevice::Receive, as its channel would). The
 * bytes are one Ethernet II frame built once with ns-3's EthernetHeader,
 * Ipv4Header (valid checksum, TTL 64) and UdpHeader (checksum 0), from
 * 10.77.1.2 to 10.77.2.2, sizes as in utils/emu-bench.sh:
 *   "64":   IPv4 packet 46 B (20 IPv4 + 8 UDP + 18 payload), 60 B frame
 *           (a 64 B frame on the wire with its 4 B FCS);
 *   "1500": IPv4 packet 1500 B (the MTU), 1514 B frame (1518 B with FCS).
 *
 * Modes (one benchmark each, the same frame stream):
 *   ChannelOnly       the frame event hands the packet straight to port 2
 *                     (NetDevice::Send to the sink): packet creation from the
 *                     bytes, the egress device, the channel and the sink
 *                     counter, without IPv4. Subtract it from the others to
 *                     get the router's own cost.
 *   Plain             plain ns-3 IPv4 forwarding, no queue disc on the ports
 *                     (genesis-emu --plain).
 *   PlainFifo         Plain with one ns-3 FifoQueueDisc (1000 packets) as
 *                     each port's root queue disc: the cost of one plain
 *                     queue disc level, beside Genesis's nested ones.
 *   GenesisNoChild    GenesisHelper::Install(router) and
 *                     GenesisEmuHelper::CreateEdge(root, ports), no child
 *                     network: every frame goes through port 2's root
 *                     ArbitratorQueueDisc into the root's own class.
 *   Genesis           as genesis-emu: the above, SpawnMode INSTANT and
 *                     examples/profiles/emu-gold.yaml spawned (address space
 *                     10.77.1.0/24): every frame is classified into gold's
 *                     class of port 2's arbitrator (controlled, 30 Mbit/s,
 *                     borrowing) and its own child arbitrator.
 *   Paired            a Plain and a Genesis router in one simulator, a
 *                     batch through each per iteration, each timed with the
 *                     thread's CPU clock: plain_ns_per_frame,
 *                     genesis_ns_per_frame and their ratio, which holds
 *                     within a few percent where separate runs wander.
 * The Genesis modes also run, per frame, what the edge's ingress filter
 * (GenesisEmuEdge::Admit) does on a GenesisEmuNetDevice port: it is only
 * installed on GenesisEmuNetDevice ports, so the frame event calls the same
 * public functions (copy of the first 20 bytes, NetworkOfAddress of the
 * destination, ClassifySource when that is a child's).
 *
 * SimpleNetDevice has no flow control (no NetDeviceQueueInterface): a queue
 * disc hands it every packet at once and the device queues them. The
 * frames of a batch arrive at one instant, so the device queue must hold a
 * batch; GenesisHelper's default device queue of 1 packet would drop them,
 * hence GenesisHelper::SetDeviceQueueSize("4096p") and the same TxQueue size
 * in the other modes. The arbitrator therefore holds at most one packet.
 *
 * One iteration injects 256 frames and runs the simulator until they are
 * all at the sink; items_processed counts frames, ns_per_frame is CPU time
 * per frame and events_per_frame the simulator events per frame. A
 * benchmark whose sink did not get every injected frame (or every byte)
 * stops with an error.
 *
 * Reproduce the figures in doc/emulation-section.rst with:
 *   nice -n 10 ./build/bench-emu-path --benchmark_repetitions=5 \
 *       --benchmark_report_aggregates_only=true
 * and the instructions per frame (one measured batch of 256 frames) with:
 *   valgrind --tool=callgrind --toggle-collect='*RunMeasuredBatch*' \
 *       ./build/bench-emu-path --benchmark_filter='BM_Genesis/1500$' \
 *       --benchmark_min_time=0.01
 */
#include "ns3/core-module.h"
#include "ns3/ethernet-header.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/simple-channel.h"
#include "ns3/simple-net-device-helper.h"
#include "ns3/simple-net-device.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Frames injected per iteration.
constexpr uint32_t kBatch = 256;
/// Paired: batches through one router before switching to the other.
constexpr uint32_t kPairedBatches = 1;

/// What the router does with a frame.
enum class Mode
{
    CHANNEL_ONLY,     //!< no router: straight into the egress port
    PLAIN,            //!< plain ns-3 IPv4 forwarding
    PLAIN_FIFO,       //!< plain ns-3 with a FifoQueueDisc on each port
    GENESIS_NO_CHILD, //!< Genesis installed, no child network
    GENESIS,          //!< Genesis with the gold child spawned (genesis-emu)
};

/// The router, its ports, the sink and the frame.
struct Bed
{
    Ptr<Node> router;           //!< the router
    Ptr<Node> sinkNode;         //!< the sink's node (no stack)
    Ptr<SimpleNetDevice> port1; //!< ingress port
    Ptr<SimpleNetDevice> port2; //!< egress port
    Ptr<SimpleNetDevice> sink;  //!< the sink device on port 2's channel
    Ptr<GenesisEmuEdge> edge;   //!< Genesis modes
    std::vector<uint8_t> frame; //!< the Ethernet II frame's bytes
    uint32_t ipSize{0};         //!< IPv4 packet size
    bool admit{false};          //!< run the edge's ingress filter per frame
    bool direct{false};         //!< ChannelOnly: straight to port 2
    uint64_t sinkFrames{0};     //!< frames at the sink
    uint64_t sinkBytes{0};      //!< their bytes
    uint64_t admitted{0};       //!< frames the ingress filter let through
    std::string error;          //!< set when the set-up failed

    /// The sink's receive callback.
    bool OnSink(Ptr<NetDevice>, Ptr<const Packet> p, uint16_t, const Address&)
    {
        ++sinkFrames;
        sinkBytes += p->GetSize();
        return true;
    }

    /// GenesisEmuEdge::Admit through its public functions: the first 20
    /// bytes, the destination's network, the source's when that is a child's.
    bool Admit(Ptr<const Packet> p)
    {
        uint8_t h[20];
        if (p->CopyData(h, 20) < 20)
        {
            return true;
        }
        uint32_t dst =
            (uint32_t(h[16]) << 24) | (uint32_t(h[17]) << 16) | (uint32_t(h[18]) << 8) | h[19];
        uint16_t dstNet = edge->NetworkOfAddress(Ipv4Address(dst));
        if (dstNet == 0)
        {
            return true;
        }
        uint16_t srcNet = edge->ClassifySource(p);
        return srcNet == 0 || srcNet == dstNet;
    }

    /// One frame, as FdNetDevice::ForwardUp receives it from the socket.
    void Inject()
    {
        Ptr<Packet> p = Create<Packet>(frame.data(), static_cast<uint32_t>(frame.size()));
        EthernetHeader eth(false);
        p->RemoveHeader(eth);
        if (direct)
        {
            port2->Send(p, sink->GetAddress(), eth.GetLengthType());
            return;
        }
        if (admit)
        {
            if (!Admit(p))
            {
                return;
            }
            ++admitted;
        }
        port1->Receive(p, eth.GetLengthType(), eth.GetDestination(), eth.GetSource());
    }

    /// Schedule one batch of frames now and run until the simulator is idle.
    void RunBatch()
    {
        for (uint32_t i = 0; i < kBatch; ++i)
        {
            Simulator::ScheduleWithContext(router->GetId(), Time(0), &Bed::Inject, this);
        }
        Simulator::Run();
    }

    /// RunBatch in the measured loop (a separate symbol for profilers:
    /// valgrind --tool=callgrind --toggle-collect='*RunMeasuredBatch*').
    __attribute__((noinline)) void RunMeasuredBatch()
    {
        RunBatch();
    }
};

/// The Ethernet II frame of an IPv4/UDP packet of \p ipSize bytes.
std::vector<uint8_t>
MakeFrame(uint32_t ipSize, Mac48Address to, Mac48Address from)
{
    Ptr<Packet> p = Create<Packet>(ipSize - 28);
    UdpHeader udp;
    udp.SetSourcePort(40000);
    udp.SetDestinationPort(5201);
    p->AddHeader(udp); // checksum 0: "no checksum" in IPv4
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("10.77.1.2"));
    ip.SetDestination(Ipv4Address("10.77.2.2"));
    ip.SetProtocol(UdpL4Protocol::PROT_NUMBER);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(64);
    ip.SetIdentification(1);
    ip.EnableChecksum();
    p->AddHeader(ip);
    EthernetHeader eth(false);
    eth.SetDestination(to);
    eth.SetSource(from);
    eth.SetLengthType(Ipv4L3Protocol::PROT_NUMBER);
    p->AddHeader(eth);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), p->GetSize());
    return bytes;
}

void
OnSpawnFailed(std::string* error, const std::string& name, const std::string& why)
{
    *error = "spawn of '" + name + "' refused: " + why;
}

void
OnAttachFailed(std::string* error, Ptr<VirtualNetwork>, const std::string& why)
{
    *error = why;
}

/// Build the test bed for \p mode; on failure bed.error says why.
void
Build(Bed& bed, Mode mode, uint32_t ipSize, GenesisHelper& genesis)
{
    const std::string queue = "4096p";
    bed.router = CreateObject<Node>();
    if (mode == Mode::GENESIS || mode == Mode::GENESIS_NO_CHILD)
    {
        Names::Add("router", bed.router); // the node emu-gold.yaml names
    }
    InternetStackHelper().Install(bed.router);
    bed.sinkNode = CreateObject<Node>();

    SimpleNetDeviceHelper simple;
    simple.SetDeviceAttribute("DataRate", DataRateValue(DataRate(100000000000ULL)));
    simple.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue(queue));
    Ptr<SimpleChannel> ch1 = CreateObject<SimpleChannel>();
    Ptr<SimpleChannel> ch2 = CreateObject<SimpleChannel>();
    bed.port1 = DynamicCast<SimpleNetDevice>(simple.Install(bed.router, ch1).Get(0));
    bed.port2 = DynamicCast<SimpleNetDevice>(simple.Install(bed.router, ch2).Get(0));
    bed.sink = DynamicCast<SimpleNetDevice>(simple.Install(bed.sinkNode, ch2).Get(0));
    bed.sink->SetReceiveCallback(MakeCallback(&Bed::OnSink, &bed));

    Ptr<Ipv4> ipv4 = bed.router->GetObject<Ipv4>();
    const char* addrs[] = {"10.77.1.1", "10.77.2.1"};
    Ptr<SimpleNetDevice> ports[] = {bed.port1, bed.port2};
    int32_t egressIf = -1;
    for (int i = 0; i < 2; ++i)
    {
        int32_t ifIndex = ipv4->AddInterface(ports[i]);
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(Ipv4Address(addrs[i]), Ipv4Mask("/24")));
        ipv4->SetUp(ifIndex);
        egressIf = ifIndex;
    }
    // The sink answers no ARP request: a permanent entry instead.
    Ptr<Ipv4L3Protocol> l3 = bed.router->GetObject<Ipv4L3Protocol>();
    ArpCache::Entry* e = l3->GetInterface(egressIf)->GetArpCache()->Add(Ipv4Address("10.77.2.2"));
    e->SetMacAddress(bed.sink->GetAddress());
    e->MarkPermanent();

    Mac48Address sender = Mac48Address::Allocate();
    bed.ipSize = ipSize;
    bed.frame = MakeFrame(ipSize, Mac48Address::ConvertFrom(bed.port1->GetAddress()), sender);
    bed.direct = mode == Mode::CHANNEL_ONLY;

    if (mode == Mode::PLAIN || mode == Mode::CHANNEL_ONLY || mode == Mode::PLAIN_FIFO)
    {
        // genesis-emu --plain: no queue disc between IPv4 and the ports;
        // PlainFifo: one FifoQueueDisc level, beside Genesis's nested ones.
        Ptr<TrafficControlLayer> tc = bed.router->GetObject<TrafficControlLayer>();
        for (auto& d : ports)
        {
            if (tc->GetRootQueueDiscOnDevice(d))
            {
                tc->DeleteRootQueueDiscOnDevice(d);
            }
            if (mode == Mode::PLAIN_FIFO)
            {
                tc->SetRootQueueDiscOnDevice(d, CreateObject<FifoQueueDisc>());
            }
        }
        return;
    }

    genesis.SetDeviceQueueSize(queue);
    Ptr<VirtualNetwork> root = genesis.Install(bed.router);
    genesis.GetSpawner()->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
    NetDeviceContainer portDevs;
    portDevs.Add(bed.port1);
    portDevs.Add(bed.port2);
    bed.edge = GenesisEmuHelper::CreateEdge(root, portDevs);
    bed.edge->TraceConnectWithoutContext("AttachFailed",
                                         MakeBoundCallback(&OnAttachFailed, &bed.error));
    genesis.GetSpawner()->TraceConnectWithoutContext("SpawnFailed",
                                                     MakeBoundCallback(&OnSpawnFailed, &bed.error));
    bed.admit = true;
    if (mode == Mode::GENESIS)
    {
        genesis.Spawn(Simulator::Now(), "examples/profiles/emu-gold.yaml");
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    if (!bed.error.empty())
    {
        return;
    }
    if (mode == Mode::GENESIS)
    {
        Ptr<VirtualNetwork> gold = root->FindNetwork("gold");
        if (!gold || gold->GetState() != VirtualNetwork::SPAWNED ||
            !bed.edge->IsAttached(gold->GetId()))
        {
            bed.error = "gold did not spawn or got no slice of the ports";
        }
        else if (bed.edge->NetworkOfAddress(Ipv4Address("10.77.1.2")) != gold->GetId())
        {
            bed.error = "the sender's address is not in gold's range";
        }
    }
}

/// IPv4 packet size of utils/emu-bench.sh's frame size \p size: "64" is a
/// 64 B frame on the wire (64 - 14 Ethernet - 4 FCS = 46 B), "1500" an
/// MTU-sized IPv4 packet (a 1518 B frame).
uint32_t
IpSizeOf(int64_t size)
{
    return size >= 1500 ? 1500 : static_cast<uint32_t>(size) - 18;
}

/// Empty when the sink got every frame injected into \p bed (\p injected
/// after \p frames0 of the warm-up) with its bytes, else what went wrong.
std::string
CheckSink(const Bed& bed, uint64_t frames0, uint64_t injected)
{
    if (frames0 != kBatch || bed.sinkFrames - frames0 != injected ||
        bed.sinkBytes != bed.sinkFrames * uint64_t(bed.ipSize))
    {
        return "sink got " + std::to_string(bed.sinkFrames) + " frames, " +
               std::to_string(bed.sinkBytes) + " bytes of " + std::to_string(injected + kBatch) +
               " frames injected";
    }
    if (bed.admit && bed.admitted != injected + kBatch)
    {
        return "the ingress filter refused frames";
    }
    return "";
}

/// CPU time of this thread, in nanoseconds.
int64_t
ThreadCpuNs()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void
Drive(benchmark::State& state, Mode mode)
{
    const uint32_t ipSize = IpSizeOf(state.range(0));
    try
    {
        Bed bed;
        GenesisHelper genesis;
        Build(bed, mode, ipSize, genesis);
        if (!bed.error.empty())
        {
            state.SkipWithError(bed.error.c_str());
        }
        else
        {
            bed.RunBatch(); // warm up: caches, first-use allocations
            uint64_t frames0 = bed.sinkFrames;
            uint64_t events0 = Simulator::GetEventCount();
            for (auto _ : state)
            {
                bed.RunMeasuredBatch();
            }
            const uint64_t injected = uint64_t(state.iterations()) * kBatch;
            const std::string why = CheckSink(bed, frames0, injected);
            if (!why.empty())
            {
                state.SkipWithError(why.c_str());
            }
            else
            {
                state.SetItemsProcessed(static_cast<int64_t>(injected));
                state.SetBytesProcessed(static_cast<int64_t>(injected * ipSize));
                state.counters["ns_per_frame"] =
                    benchmark::Counter(double(injected) * 1e-9,
                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
                state.counters["events_per_frame"] =
                    double(Simulator::GetEventCount() - events0) / double(injected);
            }
        }
    }
    catch (const GenesisError& e)
    {
        state.SkipWithError(e.what());
    }
    Simulator::Destroy();
    Names::Clear();
}

/**
 * Plain and Genesis in one simulator, batch after batch: each iteration
 * forwards one batch through a plain router and one through a Genesis
 * router (the Genesis mode's), timing each with this thread's CPU clock.
 * Both see the same disturbance from the rest of the machine, so their
 * ratio holds where the separate benchmarks' times wander.
 */
void
BM_Paired(benchmark::State& state)
{
    const uint32_t ipSize = IpSizeOf(state.range(0));
    try
    {
        Bed plain;
        Bed gen;
        GenesisHelper genesis;
        Build(plain, Mode::PLAIN, ipSize, genesis);
        Build(gen, Mode::GENESIS, ipSize, genesis);
        const std::string& error = !plain.error.empty() ? plain.error : gen.error;
        if (!error.empty())
        {
            state.SkipWithError(error.c_str());
        }
        else
        {
            plain.RunBatch();
            gen.RunBatch();
            const uint64_t p0 = plain.sinkFrames;
            const uint64_t g0 = gen.sinkFrames;
            int64_t plainNs = 0;
            int64_t genNs = 0;
            for (auto _ : state)
            {
                int64_t t0 = ThreadCpuNs();
                for (uint32_t i = 0; i < kPairedBatches; ++i)
                {
                    plain.RunBatch();
                }
                int64_t t1 = ThreadCpuNs();
                for (uint32_t i = 0; i < kPairedBatches; ++i)
                {
                    gen.RunBatch();
                }
                int64_t t2 = ThreadCpuNs();
                plainNs += t1 - t0;
                genNs += t2 - t1;
            }
            const uint64_t injected = uint64_t(state.iterations()) * kBatch * kPairedBatches;
            std::string why = CheckSink(plain, p0, injected);
            if (why.empty())
            {
                why = CheckSink(gen, g0, injected);
            }
            if (!why.empty())
            {
                state.SkipWithError(why.c_str());
            }
            else
            {
                state.SetItemsProcessed(static_cast<int64_t>(2 * injected));
                state.counters["plain_ns_per_frame"] = double(plainNs) / double(injected);
                state.counters["genesis_ns_per_frame"] = double(genNs) / double(injected);
                state.counters["genesis_over_plain"] = double(genNs) / double(plainNs);
            }
        }
    }
    catch (const GenesisError& e)
    {
        state.SkipWithError(e.what());
    }
    Simulator::Destroy();
    Names::Clear();
}

void
BM_ChannelOnly(benchmark::State& state)
{
    Drive(state, Mode::CHANNEL_ONLY);
}

void
BM_Plain(benchmark::State& state)
{
    Drive(state, Mode::PLAIN);
}

void
BM_PlainFifo(benchmark::State& state)
{
    Drive(state, Mode::PLAIN_FIFO);
}

void
BM_GenesisNoChild(benchmark::State& state)
{
    Drive(state, Mode::GENESIS_NO_CHILD);
}

void
BM_Genesis(benchmark::State& state)
{
    Drive(state, Mode::GENESIS);
}

} // namespace

// Argument: the frame size as utils/emu-bench.sh names it (see Drive).
// Besides mean, median and stddev, the minimum over the repetitions: the
// work per frame is deterministic and other processes on the machine only
// ever add to its CPU time, so the minimum is the least disturbed figure.
#define GENESIS_EMU_PATH_BENCH(fn)                                                                 \
    BENCHMARK(fn)->Arg(64)->Arg(1500)->ComputeStatistics("min", [](const std::vector<double>& v) { \
        return *std::min_element(v.begin(), v.end());                                              \
    })

GENESIS_EMU_PATH_BENCH(BM_ChannelOnly);
GENESIS_EMU_PATH_BENCH(BM_Plain);
GENESIS_EMU_PATH_BENCH(BM_PlainFifo);
GENESIS_EMU_PATH_BENCH(BM_GenesisNoChild);
GENESIS_EMU_PATH_BENCH(BM_Genesis);
GENESIS_EMU_PATH_BENCH(BM_Paired);

int
main(int argc, char** argv)
{
    // As GenesisEmuHelper::EnableRealtime: real IPv4 header checksums.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    // Until Simulator::Run() starts, ns-3 records every Time object built;
    // a running simulation never pays that: start and stop the simulator once.
    Simulator::Run();
    Simulator::Destroy();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
    {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
