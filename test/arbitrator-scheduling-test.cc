/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ArbitratorQueueDisc scheduling behaviour on a real ns-3 setup (two nodes,
 * 10 Mbps point-to-point, InternetStack, UDP CBR sources, the arbitrator as
 * the root disc of the sending device).
 *
 * Bounds used (Bennett & Zhang, "Hierarchical packet fair queueing
 * algorithms", IEEE/ACM ToN 5(5), 1997): for a class i continuously
 * backlogged over a window, WF2Q+ keeps its service within
 *   W_GPS,i - L_max  <=  W_i  <=  W_GPS,i + L_i,max
 * of the fluid GPS service W_GPS,i = phi_i * W (phi_i = w_i / sum of the
 * weights of the backlogged classes, W the bytes served in the window). Over
 * a window the two end errors add, and counting whole packets at the window
 * edges adds one packet at each end: |W_i - phi_i W| <= 2 L_max + 2 L_i,max,
 * i.e. 4 packets when all packets have the same size (per nesting level for
 * hierarchical shares). Delay of a (sigma, rho) class with rate r_i >= rho:
 * D_i <= sigma / r_i + L_max / C.
 */
#include "arbitrator-test-common.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{
constexpr double L = Scenario::IP_SIZE; //!< every packet in these tests

/// WF2Q+ window tolerance in bytes for \p levels nesting levels (see file header)
double
Wf2qTolerance(int levels = 1)
{
    return levels * 2.0 * (L + L) + 2.0 * L;
}
} // namespace

// 1. All classes backlogged: shares within the WF2Q+ bound.
TEST(ArbitratorScheduling, BackloggedSharesWithinWf2qBound)
{
    Scenario s;
    // own class 0: best-effort, weight = 10 - 2 - 3 = 5 Mbps
    s.root->AddNetworkClass(1,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("2Mbps"),
                            1.0,
                            Fifo());
    s.root->AddNetworkClass(2,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("3Mbps"),
                            1.0,
                            Fifo());
    s.filter->Map(5001, 1);
    s.filter->Map(5002, 2);
    for (uint16_t port : {5000, 5001, 5002})
    {
        s.Source(port, DataRate("8Mbps"), 0.0, 2.0);
    }
    DequeueCounter win(0.5, 2.0);
    win.Attach(s.root);
    Simulator::Stop(Seconds(2.1));
    Simulator::Run();

    ASSERT_GT(win.total, 1000 * L); // ~1.5 s at 10 Mbps
    const double tol = Wf2qTolerance();
    EXPECT_NEAR(win.bytes[0], 0.5 * win.total, tol);
    EXPECT_NEAR(win.bytes[1], 0.2 * win.total, tol);
    EXPECT_NEAR(win.bytes[2], 0.3 * win.total, tol);
    // the link stays busy: work conserving (C * T * L / (L + 2) bytes, minus one packet per edge)
    EXPECT_GE(win.total, 10e6 / 8 * 1.5 * L / Scenario::WIRE_SIZE - 2 * L);
    EXPECT_EQ(s.root->GetStats().nTotalDroppedPacketsAfterDequeue, 0u);
}

// 2. A constant class is capped at its peak even on an otherwise idle link.
TEST(ArbitratorScheduling, ConstantClassCappedAtPeakOnIdleLink)
{
    Scenario s;
    const double rate = 2e6;
    const uint32_t burst = 1600;
    s.root->AddNetworkClass(1, ArbitratorQueueDiscClass::CONSTANT, DataRate(rate), 1.0, Fifo());
    s.filter->Map(5001, 1);
    s.Source(5001, DataRate("8Mbps"), 0.0, 2.0);
    DequeueCounter win(0.5, 2.0);
    win.Attach(s.root);
    uint64_t rx0 = 0;
    Simulator::Schedule(Seconds(0.5), [&]() { rx0 = s.Rx(5001); });
    uint64_t rx1 = 0;
    Simulator::Schedule(Seconds(2.0), [&]() { rx1 = s.Rx(5001); });
    Simulator::Stop(Seconds(2.1));
    Simulator::Run();

    const double T = 1.5;
    // token bucket: served bytes in any window <= Burst + rate * T
    EXPECT_LE(win.bytes[1], rate / 8 * T + burst);
    // backlogged all along: >= 99 % of the peak
    EXPECT_GE(win.bytes[1], 0.99 * rate / 8 * T);
    // and it really crossed the link at that rate (payload bytes at the receiver)
    EXPECT_NEAR(double(rx1 - rx0), rate / 8 * T * Scenario::PAYLOAD / L, 2 * L);
}

// 3. A controlled class borrows idle capacity: alone, it gets the whole link.
TEST(ArbitratorScheduling, ControlledClassBorrowsIdleCapacity)
{
    Scenario s;
    s.root->AddNetworkClass(1,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("2Mbps"),
                            1.0,
                            Fifo());
    s.filter->Map(5001, 1);
    s.Source(5001, DataRate("12Mbps"), 0.0, 2.0);
    DequeueCounter win(0.5, 2.0);
    win.Attach(s.root);
    Simulator::Stop(Seconds(2.1));
    Simulator::Run();

    const double linkBytes = 10e6 / 8 * 1.5 * L / Scenario::WIRE_SIZE;
    EXPECT_GE(win.bytes[1], linkBytes - 2 * L);
    EXPECT_GT(win.bytes[1], 4.5 * 2e6 / 8 * 1.5); // far above its 2 Mbps guarantee
}

// 4. Best-effort is squeezed only by guaranteed classes, and gets more when they idle.
TEST(ArbitratorScheduling, BestEffortSqueezedOnlyByGuaranteedClasses)
{
    Scenario s;
    s.root->AddNetworkClass(1,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("3Mbps"),
                            1.0,
                            Fifo());
    s.root->AddNetworkClass(2, ArbitratorQueueDiscClass::CONSTANT, DataRate("2Mbps"), 1.0, Fifo());
    EXPECT_EQ(s.root->GetResidualRate(), DataRate("5Mbps"));
    s.filter->Map(5001, 1);
    s.filter->Map(5002, 2);
    s.Source(5000, DataRate("12Mbps"), 0.0, 3.5); // best-effort own class
    s.Source(5001, DataRate("8Mbps"), 0.0, 1.5);
    s.Source(5002, DataRate("8Mbps"), 0.0, 1.5);
    DequeueCounter busy(0.5, 1.5);
    busy.Attach(s.root);
    DequeueCounter idle(2.5, 3.5);
    idle.Attach(s.root);
    Simulator::Stop(Seconds(3.6));
    Simulator::Run();

    const double tol = Wf2qTolerance();
    // guaranteed classes backlogged: best-effort gets C - 5 Mbps = half of the service
    EXPECT_NEAR(busy.bytes[0], 0.5 * busy.total, tol);
    EXPECT_GE(busy.bytes[1], 0.3 * busy.total - tol);
    EXPECT_LE(busy.bytes[2], 2e6 / 8 * 1.0 + 1600);
    // guaranteed classes idle (their 200-packet backlogs drained by 2.4 s): best-effort takes
    // the whole link
    EXPECT_GE(idle.bytes[0], 10e6 / 8 * 1.0 * L / Scenario::WIRE_SIZE - 2 * L);
}

// 5. Shares multiply through three nesting levels: 10 Mbps x 0.6 x 0.5 x 0.5 = 1.5 Mbps.
TEST(ArbitratorScheduling, SharesMultiplyThroughThreeNestingLevels)
{
    Scenario s;
    Ptr<ArbitratorQueueDisc> a = CreateObject<ArbitratorQueueDisc>();
    a->SetLinkRate(DataRate("6Mbps"));
    Ptr<PortFilter> fa = CreateObject<PortFilter>();
    a->AddPacketFilter(fa);
    Ptr<ArbitratorQueueDisc> b = CreateObject<ArbitratorQueueDisc>();
    b->SetLinkRate(DataRate("3Mbps"));
    Ptr<PortFilter> fb = CreateObject<PortFilter>();
    b->AddPacketFilter(fb);
    Ptr<ArbitratorQueueDisc> c = CreateObject<ArbitratorQueueDisc>();
    c->SetLinkRate(DataRate("1.5Mbps"));
    Ptr<PortFilter> fc = CreateObject<PortFilter>();
    c->AddPacketFilter(fc);

    // root: 1 -> a (6 of 10), 2 (4 of 10)
    s.root->AddNetworkClass(1, ArbitratorQueueDiscClass::CONTROLLED, DataRate("6Mbps"), 1.0, a);
    s.root->AddNetworkClass(2,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("4Mbps"),
                            1.0,
                            Fifo());
    // a: 11 -> b (3 of 6), 12 (3 of 6)
    a->AddNetworkClass(11, ArbitratorQueueDiscClass::CONTROLLED, DataRate("3Mbps"), 1.0, b);
    a->AddNetworkClass(12, ArbitratorQueueDiscClass::CONTROLLED, DataRate("3Mbps"), 1.0, Fifo());
    // b: 21 -> c (1.5 of 3), 22 (1.5 of 3)
    b->AddNetworkClass(21, ArbitratorQueueDiscClass::CONTROLLED, DataRate("1.5Mbps"), 1.0, c);
    b->AddNetworkClass(22, ArbitratorQueueDiscClass::CONTROLLED, DataRate("1.5Mbps"), 1.0, Fifo());
    // c: 31, 32 (0.75 of 1.5 each)
    c->AddNetworkClass(31, ArbitratorQueueDiscClass::CONTROLLED, DataRate("0.75Mbps"), 1.0, Fifo());
    c->AddNetworkClass(32, ArbitratorQueueDiscClass::CONTROLLED, DataRate("0.75Mbps"), 1.0, Fifo());
    EXPECT_EQ(a->GetDepth(), 1u);
    EXPECT_EQ(b->GetDepth(), 2u);
    EXPECT_EQ(c->GetDepth(), 3u);
    EXPECT_EQ(PeekPointer(c->GetParentArbitrator()), PeekPointer(b));

    // port 6xyz: classified at every level
    struct Leaf
    {
        uint16_t port;
        int32_t l0, l1, l2, l3;
        double share;
    };

    const Leaf leaves[] = {{6002, 2, -1, -1, -1, 0.4},
                           {6012, 1, 12, -1, -1, 0.3},
                           {6022, 1, 11, 22, -1, 0.15},
                           {6031, 1, 11, 21, 31, 0.075},
                           {6032, 1, 11, 21, 32, 0.075}};
    for (const Leaf& l : leaves)
    {
        s.filter->Map(l.port, l.l0);
        if (l.l1 >= 0)
        {
            fa->Map(l.port, l.l1);
        }
        if (l.l2 >= 0)
        {
            fb->Map(l.port, l.l2);
        }
        if (l.l3 >= 0)
        {
            fc->Map(l.port, l.l3);
        }
        s.Source(l.port, DataRate("6Mbps"), 0.0, 2.0);
    }
    std::map<uint16_t, uint64_t> rx0;
    std::map<uint16_t, uint64_t> rx1;
    Simulator::Schedule(Seconds(0.5), [&]() {
        for (const Leaf& l : leaves)
        {
            rx0[l.port] = s.Rx(l.port);
        }
    });
    Simulator::Schedule(Seconds(2.0), [&]() {
        for (const Leaf& l : leaves)
        {
            rx1[l.port] = s.Rx(l.port);
        }
    });
    Simulator::Stop(Seconds(2.1));
    Simulator::Run();

    uint64_t total = 0;
    for (const Leaf& l : leaves)
    {
        total += rx1[l.port] - rx0[l.port];
    }
    ASSERT_GT(total, 1000u * Scenario::PAYLOAD);
    for (const Leaf& l : leaves)
    {
        int levels = (l.l1 < 0) ? 1 : (l.l2 < 0) ? 2 : (l.l3 < 0) ? 3 : 4;
        SCOPED_TRACE("port " + std::to_string(l.port));
        EXPECT_NEAR(double(rx1[l.port] - rx0[l.port]),
                    l.share * total,
                    Wf2qTolerance(levels) * Scenario::PAYLOAD / L);
    }
    // 10 Mbps x 0.6 x 0.5 x 0.5 = 1.5 Mbps for the whole depth-3 network c
    double cBits = 8.0 * (rx1[6031] - rx0[6031] + rx1[6032] - rx0[6032]) / 1.5;
    EXPECT_NEAR(cBits, 1.5e6 * Scenario::PAYLOAD / Scenario::WIRE_SIZE, 0.02 * 1.5e6);
}

// 6. Run-time rate change keeps every queued packet and takes effect.
TEST(ArbitratorScheduling, RuntimeRateChangeKeepsQueuedPackets)
{
    Scenario s;
    Ptr<ArbitratorQueueDiscClass> ca = s.root->AddNetworkClass(1,
                                                               ArbitratorQueueDiscClass::CONTROLLED,
                                                               DataRate("5Mbps"),
                                                               1.0,
                                                               Fifo(100000));
    s.root->AddNetworkClass(2,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("5Mbps"),
                            1.0,
                            Fifo(100000));
    s.filter->Map(5001, 1);
    s.filter->Map(5002, 2);
    uint64_t sent = 0;
    for (uint16_t port : {5001, 5002})
    {
        Ptr<Application> app = s.Source(port, DataRate("10Mbps"), 0.0, 1.0);
        app->TraceConnectWithoutContext("Tx", MakeCallback(+[](uint64_t* n, Ptr<const Packet>) {
                                                  ++*n;
                                              }).Bind(&sent));
    }
    uint32_t before1 = 0;
    uint32_t after1 = 0;
    uint32_t beforeAll = 0;
    uint32_t afterAll = 0;
    Simulator::Schedule(Seconds(0.5), [&]() {
        before1 = s.root->GetClassBacklogBytes(1);
        beforeAll = s.root->GetNPackets();
        s.root->SetNetworkRate(2, DataRate("2Mbps"));               // API path
        ca->SetAttribute("Rate", DataRateValue(DataRate("8Mbps"))); // attribute path
        after1 = s.root->GetClassBacklogBytes(1);
        afterAll = s.root->GetNPackets();
    });
    DequeueCounter win(0.6, 1.0);
    win.Attach(s.root);
    Simulator::Stop(Seconds(3.0));
    Simulator::Run();

    EXPECT_GT(before1, 100 * L); // there was a real backlog to keep
    EXPECT_EQ(before1, after1);
    EXPECT_EQ(beforeAll, afterAll);
    EXPECT_EQ(ca->GetRate(), DataRate("8Mbps"));
    EXPECT_EQ(s.root->GetGuaranteedRate(), DataRate("10Mbps"));
    // no drop, no loss: every packet sent arrived
    EXPECT_EQ(s.root->GetStats().nTotalDroppedPackets, 0u);
    uint64_t received = (s.Rx(5001) + s.Rx(5002)) / Scenario::PAYLOAD;
    EXPECT_EQ(received, sent);
    // and the new weights are in force: 8 : 2
    EXPECT_NEAR(win.bytes[1], 0.8 * win.total, Wf2qTolerance());
}

// 7. Removal drops the queued packets once, with the traced reason, restores the
//    capacity exactly and destroys the child disc.
TEST(ArbitratorScheduling, RemovalDropsQueuedOnceRestoresCapacityAndFreesChild)
{
    Scenario s;
    CountingFifo::Live() = 0;
    s.root->AddNetworkClass(6,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("1Mbps"),
                            1.0,
                            Fifo());
    const DataRate guaranteed0 = s.root->GetGuaranteedRate();
    const DataRate residual0 = s.root->GetResidualRate();
    {
        Ptr<CountingFifo> child =
            CreateObjectWithAttributes<CountingFifo>("MaxSize", QueueSizeValue(QueueSize("1000p")));
        s.root->AddNetworkClass(5,
                                ArbitratorQueueDiscClass::CONTROLLED,
                                DataRate("4Mbps"),
                                1.0,
                                child);
    }
    // a third, idle class keeps the arbitrator classifying after the removal (a single-class
    // arbitrator takes its fast path and does not classify)
    EXPECT_EQ(CountingFifo::Live(), 1);
    EXPECT_EQ(s.root->GetResidualRate(), DataRate("5Mbps"));
    s.filter->Map(5005, 5);
    s.Source(5000, DataRate("8Mbps"), 0.0, 1.5);
    s.Source(5005, DataRate("8Mbps"), 0.0, 1.5);

    uint32_t traced = 0;
    s.root->TraceConnectWithoutContext(
        "ClassDrop",
        MakeCallback(+[](uint32_t* n, uint32_t id, Ptr<const QueueDiscItem>, const char* why) {
            if (id == 5 && std::string(why) == ArbitratorQueueDisc::NETWORK_TORN_DOWN)
            {
                ++*n;
            }
        }).Bind(&traced));
    uint32_t queued = 0;
    uint32_t rootBefore = 0;
    uint32_t rootAfter = 0;
    int liveAfter = -1;
    Simulator::Schedule(Seconds(1.0), [&]() {
        queued = s.root->GetNetworkClass(5)->GetQueueDisc()->GetNPackets();
        rootBefore = s.root->GetNPackets();
        s.root->RemoveNetworkClass(5);
        rootAfter = s.root->GetNPackets();
        liveAfter = CountingFifo::Live();
    });
    Simulator::Stop(Seconds(1.6));
    Simulator::Run();

    const QueueDisc::Stats& st = s.root->GetStats();
    EXPECT_GT(queued, 10u);
    EXPECT_EQ(traced, queued);
    EXPECT_EQ(st.nDroppedPacketsAfterDequeue.at(ArbitratorQueueDisc::NETWORK_TORN_DOWN), queued);
    EXPECT_EQ(st.nTotalDroppedPacketsAfterDequeue, queued); // counted once, nothing else
    EXPECT_EQ(rootAfter, rootBefore - queued);
    EXPECT_EQ(s.root->GetGuaranteedRate(), guaranteed0);
    EXPECT_EQ(s.root->GetResidualRate(), residual0);
    EXPECT_FALSE(s.root->HasNetworkClass(5));
    EXPECT_EQ(liveAfter, 0); // the child disc was destroyed by the removal itself
    // later packets of the removed network are misclassified into the own class, not lost
    EXPECT_GT(s.root->GetNMisclassified(), 0u);
}

// 8. A class sending at its rate keeps a delay below the WF2Q+ bound while another floods.
TEST(ArbitratorScheduling, DelayBoundUnderTenfoldFlood)
{
    Scenario s;
    const double r = 1e6;
    const double C = 10e6;
    s.root->AddNetworkClass(1, ArbitratorQueueDiscClass::CONTROLLED, DataRate(r), 1.0, Fifo());
    s.root->AddNetworkClass(2,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("9Mbps"),
                            1.0,
                            Fifo());
    s.filter->Map(5001, 1);
    s.filter->Map(5002, 2);
    // class 1: CBR at 0.95 Mbps of payload = 0.977 Mbps at IP level <= r (sigma = one packet)
    s.Source(5001, DataRate("0.95Mbps"), 0.1, 2.0);
    s.Source(5002, DataRate("10Mbps"), 0.0, 2.0); // 10x class 1
    std::map<uint64_t, Time> enq;
    Time maxDelay;
    uint32_t n = 0;
    s.root->TraceConnectWithoutContext(
        "ClassEnqueue",
        MakeCallback(+[](std::map<uint64_t, Time>* m, uint32_t id, Ptr<const QueueDiscItem> i) {
            if (id == 1)
            {
                (*m)[i->GetPacket()->GetUid()] = Simulator::Now();
            }
        }).Bind(&enq));

    struct Ctx
    {
        std::map<uint64_t, Time>* enq;
        Time* maxDelay;
        uint32_t* n;
    } ctx{&enq, &maxDelay, &n};

    s.root->TraceConnectWithoutContext(
        "ClassDequeue",
        MakeCallback(+[](Ctx* c, uint32_t id, Ptr<const QueueDiscItem> i) {
            if (id == 1)
            {
                Time d = Simulator::Now() - c->enq->at(i->GetPacket()->GetUid());
                *c->maxDelay = std::max(*c->maxDelay, d);
                ++*c->n;
            }
        }).Bind(&ctx));
    Simulator::Stop(Seconds(2.1));
    Simulator::Run();

    const Time bound = Seconds(L * 8 / r + L * 8 / C); // sigma/r + L_max/C = 9.05 ms
    EXPECT_GT(n, 200u);
    EXPECT_LE(maxDelay, bound) << "max delay " << maxDelay.As(Time::MS) << " bound "
                               << bound.As(Time::MS);
    EXPECT_GT(s.root->GetStats().nTotalDroppedPackets, 0u); // the flood really overflowed
}

// 10. Same seed -> identical per-class bytes and dequeue sequence.
namespace
{
struct RunResult
{
    std::map<uint32_t, uint64_t> bytes;
    uint64_t digest = 1469598103934665603ull;
};

RunResult
DeterminismRun()
{
    Scenario s;
    s.root->AddNetworkClass(1,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("2Mbps"),
                            1.0,
                            Fifo());
    s.root->AddNetworkClass(2, ArbitratorQueueDiscClass::CONSTANT, DataRate("3Mbps"), 1.0, Fifo());
    s.filter->Map(5001, 1);
    s.filter->Map(5002, 2);
    Ptr<UniformRandomVariable> jitter = CreateObject<UniformRandomVariable>();
    jitter->SetStream(7); // automatic stream numbers keep counting across runs in one process
    for (uint16_t port : {5000, 5001, 5002})
    {
        s.Source(port, DataRate("6Mbps"), jitter->GetValue(0.0, 0.1), 0.8);
    }
    RunResult res;
    s.root->TraceConnectWithoutContext(
        "ClassDequeue",
        MakeCallback(+[](RunResult* r, uint32_t id, Ptr<const QueueDiscItem> i) {
            r->bytes[id] += i->GetSize();
            for (uint64_t v : {uint64_t(id),
                               uint64_t(i->GetSize()),
                               uint64_t(Simulator::Now().GetNanoSeconds())})
            {
                r->digest = (r->digest ^ v) * 1099511628211ull;
            }
        }).Bind(&res));
    Simulator::Stop(Seconds(1.0));
    Simulator::Run();
    return res;
}
} // namespace

TEST(ArbitratorScheduling, SameSeedSameDequeueSequence)
{
    RunResult a = DeterminismRun();
    RunResult b = DeterminismRun();
    EXPECT_GT(a.bytes[2], 0u);
    EXPECT_EQ(a.bytes, b.bytes);
    EXPECT_EQ(a.digest, b.digest);
}
