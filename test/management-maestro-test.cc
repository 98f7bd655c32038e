/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Maestro, delegates and monitors on real ns-3 stacks: re-provisioning by
 * auction takes effect within one provisioning interval, constant classes are
 * never auctioned, monitors police (drop, mark) a child above its
 * allocation, per-interval rows reach the run database, a child inherits its
 * parent's resource management and runs its own auction on its own share.
 */
#include "genesis-test-common.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"

#include <cstdio>
#include <sqlite3.h>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class ManagementMaestro : public GenesisSimTest
{
};

/// Flood every child end A -> end B at \p rate from \p start.
void
Flood(Ptr<VirtualNetwork> n, const char* rate, double start, double stop, uint16_t port = 9)
{
    UdpFlow(n->GetRoutelets()[0]->GetNode(),
            n->GetRoutelets()[1]->GetNode(),
            EndB(n),
            port,
            DataRate(rate),
            1000,
            Seconds(start),
            Seconds(stop));
}

/// Reading of \p child on \p dev at round end \p t (seconds), from the maestro's trace log.
struct ReadingLog
{
    std::vector<GenesisMonitor::Reading> all;

    const GenesisMonitor::Reading* At(uint16_t id, double t) const
    {
        for (const auto& r : all)
        {
            if (r.networkId == id && r.timeNs == static_cast<int64_t>(t * 1e9))
            {
                return &r;
            }
        }
        return nullptr;
    }
};

void
CollectReadings(ReadingLog* log, Ptr<GenesisMaestro> m, uint64_t)
{
    for (const auto& r : m->GetLastReadings())
    {
        log->all.push_back(r);
    }
}

} // namespace

// Two controlled children and the root flood a 10 Mbps link; the root keeps
// 2 Mbps (OwnRate) and auctions the rest every second. a bids more than b
// until b raises its bid at 2.5 s; from the round at 3 s on, each child's
// measured rate is its new allocation (the arbitrator serves backlogged
// guaranteed classes at their rates, WF2Q+), within one interval.
TEST_F(ManagementMaestro, ReprovisioningByAuctionTakesEffectWithinOneInterval)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 1);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "2Mbps", 0, 1, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    Ptr<GenesisMaestro> m = GenesisMaestro::Install(c.root);
    m->SetAttribute("OwnRate", DataRateValue(DataRate("2Mbps")));
    m->SetBid(a, 2.0, DataRate("6Mbps"));
    m->SetBid(b, 1.0, DataRate("6Mbps"));
    Simulator::Schedule(Seconds(2.5), [&]() { m->SetBid(b, 3.0, DataRate("6Mbps")); });
    Flood(a, "9Mbps", 0.1, 5);
    Flood(b, "9Mbps", 0.1, 5);
    UdpFlow(c.nodes.Get(0),
            c.nodes.Get(1),
            c.Addr(1),
            10,
            DataRate("9Mbps"),
            1000,
            Seconds(0.1),
            Seconds(5));
    ReadingLog log;
    m->TraceConnectWithoutContext("Round", MakeBoundCallback(&CollectReadings, &log, m));
    Simulator::Stop(Seconds(4.01));
    Simulator::Run();

    // Theory: each keeps a 1 kbps floor and bids for the rest of its 6 Mbps;
    // Q = 10 - 2 (own) - 2 x 1 kbps; highest price first: 6 Mbps, and 2 Mbps left.
    const double hiA = 6e6, loB = 2e6;
    const double loA = 2e6, hiB = 6e6;
    Ptr<NetDevice> dev = c.Fwd(0);
    ASSERT_EQ(m->GetNRounds(), 5u); // 0, 1, 2, 3, 4 s
    EXPECT_EQ(a->GetReservedRate(dev).GetBitRate(), static_cast<uint64_t>(loA));
    EXPECT_EQ(b->GetReservedRate(dev).GetBitRate(), static_cast<uint64_t>(hiB));
    EXPECT_EQ(c.root->GetArbitrator(dev)->GetNetworkClass(b->GetId())->GetRate().GetBitRate(),
              static_cast<uint64_t>(hiB));
    // interval [1, 2] s: a high, b low; interval [3, 4] s: swapped
    const auto* a2 = log.At(a->GetId(), 2);
    const auto* b2 = log.At(b->GetId(), 2);
    const auto* a4 = log.At(a->GetId(), 4);
    const auto* b4 = log.At(b->GetId(), 4);
    ASSERT_TRUE(a2 && b2 && a4 && b4);
    EXPECT_NEAR(a2->rateBps / hiA, 1.0, 0.01) << a2->rateBps;
    EXPECT_NEAR(b2->rateBps / loB, 1.0, 0.01) << b2->rateBps;
    EXPECT_NEAR(a4->rateBps / loA, 1.0, 0.01) << a4->rateBps;
    EXPECT_NEAR(b4->rateBps / hiB, 1.0, 0.01) << b4->rateBps;
    EXPECT_EQ(a4->allocatedBps, static_cast<uint64_t>(loA));
    // the bids of the last round: b pays what a loses, a pays what the seller loses (0),
    // in each of the two auctions (the link's devices on n0 and on n1)
    const auto& out = m->GetLastOutcome();
    EXPECT_NEAR(out.at(b->GetId()).payment, 2 * 2.0 * (hiA - loA) / 1e6, 1e-6);
    EXPECT_NEAR(out.at(a->GetId()).payment, 0.0, 1e-9);
}

// A constant child is never auctioned: bids from it are refused, and however
// much the controlled bidders ask, its rate stays; the guaranteed total never
// exceeds the link.
TEST_F(ManagementMaestro, ConstantClassIsNeverAuctionedAway)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> k = TwoEndChild(c, c.root, "k", "constant", "3Mbps", 0, 1);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "1Mbps", 0, 1, "172.17.0.0");
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "1Mbps", 0, 1, "172.18.0.0");
    k->Spawn();
    a->Spawn();
    b->Spawn();
    Ptr<GenesisMaestro> m = GenesisMaestro::Install(c.root);
    EXPECT_THROW(m->SetBid(k, 100.0, DataRate("10Mbps")), GenesisError);
    m->SetBid(a, 5.0, DataRate("20Mbps"));
    m->SetBid(b, 4.0, DataRate("20Mbps"));
    Flood(k, "5Mbps", 0.1, 2.5);
    Flood(a, "9Mbps", 0.1, 2.5);
    Ptr<NetDevice> dev = c.Fwd(0);
    uint64_t worst = 0;
    m->TraceConnectWithoutContext(
        "Round",
        MakeBoundCallback(
            +[](uint64_t* worst, Ptr<ArbitratorQueueDisc> arb, uint64_t) {
                *worst = std::max<uint64_t>(*worst, arb->GetGuaranteedRate().GetBitRate());
            },
            &worst,
            c.root->GetArbitrator(dev)));
    Simulator::Stop(Seconds(2.5));
    Simulator::Run();
    EXPECT_EQ(k->GetReservedRate(dev).GetBitRate(), 3000000u);
    EXPECT_EQ(c.root->GetArbitrator(dev)->GetNetworkClass(k->GetId())->GetRate().GetBitRate(),
              3000000u);
    // a takes everything the auction sells (10 - 3 - 2 floors) plus its floor, b keeps its floor
    EXPECT_EQ(a->GetReservedRate(dev).GetBitRate(), 10000000u - 3000000u - 1000u);
    EXPECT_EQ(b->GetReservedRate(dev).GetBitRate(), 1000u);
    EXPECT_LE(worst, 10000000u);
    EXPECT_GT(m->GetMonitor(k, dev)->GetAllocation().GetBitRate(), 0u);
}

namespace
{
struct PoliceRun
{
    double rxBps{0};
    uint64_t policedDropped{0};
    uint64_t policedMarked{0};
    uint64_t rxCs1{0};
    uint64_t rxCe{0};
    uint64_t rxPackets{0};
    uint64_t monitorPoliced{0};
};

PoliceRun
RunPolicing(const std::string& action, uint8_t tos = 0)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 1);
    a->Spawn();
    ObjectFactory mf("ns3::GenesisMonitor");
    mf.Set("PolicingAction", StringValue(action));
    Ptr<GenesisMaestro> m = CreateObject<GenesisMaestro>();
    m->SetMonitorFactory(mf);
    m->Attach(c.root);
    // a alone on an idle 10 Mbps link: a controlled class would borrow it all
    InetSocketAddress to(EndB(a), 9);
    to.SetTos(tos); // the sender's ECN field (ECT(0) = 2)
    OnOffHelper onoff("ns3::UdpSocketFactory", to);
    onoff.SetConstantRate(DataRate("6Mbps"), 1000);
    ApplicationContainer app = onoff.Install(a->GetRoutelets()[0]->GetNode());
    app.Start(Seconds(0.1));
    app.Stop(Seconds(3));
    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 9));
    Ptr<PacketSink> sink =
        DynamicCast<PacketSink>(sinkHelper.Install(a->GetRoutelets()[1]->GetNode()).Get(0));
    PoliceRun r;
    Simulator::Schedule(Seconds(0.5), [&]() {
        Ptr<GenesisMonitor> mon = m->GetMonitor(a, c.Fwd(0));
        mon->TraceConnectWithoutContext("Policed",
                                        MakeBoundCallback(
                                            +[](PoliceRun* r, Ptr<const Packet>, bool dropped) {
                                                ++(dropped ? r->policedDropped : r->policedMarked);
                                            },
                                            &r));
    });
    // DSCP of what the child's far routelet receives (inner IPv4 header)
    Ptr<Ipv4L3Protocol> ip = a->GetRoutelets()[1]->GetNode()->GetObject<Ipv4L3Protocol>();
    ip->TraceConnectWithoutContext(
        "Rx",
        MakeBoundCallback(
            +[](PoliceRun* r, Ptr<const Packet> p, Ptr<Ipv4> ipv4, uint32_t iface) {
                Ipv4Header h;
                if (p->PeekHeader(h) && h.GetProtocol() == 17)
                {
                    ++r->rxPackets;
                    if (h.GetDscp() == Ipv4Header::DSCP_CS1)
                    {
                        ++r->rxCs1;
                    }
                    if (h.GetEcn() == Ipv4Header::ECN_CE)
                    {
                        ++r->rxCe;
                    }
                }
            },
            &r));
    uint64_t atOne = 0;
    Simulator::Schedule(Seconds(1), [&]() { atOne = sink->GetTotalRx(); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    r.rxBps = (sink->GetTotalRx() - atOne) * 8.0 / 2.0;
    r.monitorPoliced = m->GetMonitor(a, c.Fwd(0))->GetTotalPoliced();
    Simulator::Destroy();
    return r;
}
} // namespace

// Policing: a controlled 2 Mbps child sends 6 Mbps on an idle link (payload). Measure
// only: it borrows and gets its 6 Mbps. Drop: what it gets is its allocation
// (token bucket 2 Mbps, 15000 bytes) in wire bytes, 1028 of each 1000-byte
// payload plus the 10-byte shim and the outer IPv4 header, so 2 Mbps * 1000 / 1058 of payload. Mark
// (DSCP): nothing is lost, and the policed packets arrive as CS1. Mark (ECN):
// ECT packets arrive with CE, Not-ECT packets are dropped.
TEST_F(ManagementMaestro, MonitorPolicesAChildAboveItsAllocation)
{
    PoliceRun none = RunPolicing("none");
    EXPECT_NEAR(none.rxBps / 6e6, 1.0, 0.01);
    EXPECT_EQ(none.monitorPoliced, 0u);

    PoliceRun drop = RunPolicing("drop");
    const double payloadShare = 1000.0 / (1000 + 8 + 20 + 10 + 20); // UDP, inner IP, shim, outer IP
    EXPECT_NEAR(drop.rxBps / (2e6 * payloadShare), 1.0, 0.02) << drop.rxBps;
    EXPECT_GT(drop.policedDropped, 0u);
    EXPECT_EQ(drop.policedMarked, 0u);

    PoliceRun mark = RunPolicing("mark-dscp");
    EXPECT_NEAR(mark.rxBps / 6e6, 1.0, 0.01);
    EXPECT_EQ(mark.policedDropped, 0u);
    EXPECT_GT(mark.policedMarked, 100u);
    // every packet marked after 0.5 s arrived with CS1 (a few are in flight at the end)
    EXPECT_GE(mark.rxCs1, mark.policedMarked - 10);
    EXPECT_LE(mark.rxCs1, mark.monitorPoliced);
    EXPECT_EQ(mark.rxCe, 0u);

    // ECN: ECT(0) packets above the allocation arrive with CE, none is lost;
    // Not-ECT packets cannot carry CE and are dropped as with "drop"
    PoliceRun ecn = RunPolicing("mark-ecn", 2);
    EXPECT_NEAR(ecn.rxBps / 6e6, 1.0, 0.01);
    EXPECT_EQ(ecn.policedDropped, 0u);
    EXPECT_GT(ecn.policedMarked, 100u);
    EXPECT_GE(ecn.rxCe, ecn.policedMarked - 10);
    EXPECT_LE(ecn.rxCe, ecn.monitorPoliced);
    EXPECT_EQ(ecn.rxCs1, 0u);
    PoliceRun notEct = RunPolicing("mark-ecn", 0);
    EXPECT_NEAR(notEct.rxBps / (2e6 * payloadShare), 1.0, 0.02) << notEct.rxBps;
    EXPECT_EQ(notEct.policedMarked, 0u);
    EXPECT_EQ(notEct.rxCe, 0u);
    // about two thirds of the packets are above the allocation
    EXPECT_NEAR(static_cast<double>(mark.monitorPoliced) / mark.rxPackets,
                1.0 - 2e6 / (6e6 * 1058.0 / 1000.0),
                0.05);
}

// A best-effort bidder's allocation is its weight among the best-effort
// classes: with a controlled bidder holding 6 Mbps, the 4 Mbps left are split
// between the best-effort child (weight 4, from its 4 Mbps allocation) and the
// root's own class (weight 1): 3.2 and 0.8 Mbps, all three flooding.
TEST_F(ManagementMaestro, BestEffortBidderGetsItsAllocationAsAWeight)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> be = TwoEndChild(c, c.root, "be", "best-effort", "1Mbps", 0, 1);
    Ptr<VirtualNetwork> ctl =
        TwoEndChild(c, c.root, "ctl", "controlled", "1Mbps", 0, 1, "172.17.0.0");
    be->Spawn();
    ctl->Spawn();
    Ptr<GenesisMaestro> m = GenesisMaestro::Install(c.root);
    m->SetBid(be, 3.0, DataRate("4Mbps"));
    m->SetBid(ctl, 1.0, DataRate("10Mbps"));
    Flood(be, "9Mbps", 0.1, 2.1);
    Flood(ctl, "9Mbps", 0.1, 2.1);
    UdpFlow(c.nodes.Get(0),
            c.nodes.Get(1),
            c.Addr(1),
            10,
            DataRate("9Mbps"),
            1000,
            Seconds(0.1),
            Seconds(2.1));
    ReadingLog log;
    m->TraceConnectWithoutContext("Round", MakeBoundCallback(&CollectReadings, &log, m));
    Simulator::Stop(Seconds(2.01));
    Simulator::Run();
    Ptr<NetDevice> dev = c.Fwd(0);
    Ptr<ArbitratorQueueDisc> arb = c.root->GetArbitrator(dev);
    // Q = 10 Mbps - 1 kbps (ctl's floor); be first (3.0): 4 Mbps; ctl the rest
    EXPECT_DOUBLE_EQ(arb->GetNetworkClass(be->GetId())->GetShare(), 4.0);
    EXPECT_EQ(ctl->GetReservedRate(dev).GetBitRate(), 6000000u);
    EXPECT_EQ(m->GetDelegate(c.nodes.Get(0))->GetAllocation(be, dev), 4000000u);
    const auto* b2 = log.At(be->GetId(), 2);
    const auto* c2 = log.At(ctl->GetId(), 2);
    ASSERT_TRUE(b2 && c2);
    EXPECT_NEAR(c2->rateBps / 6e6, 1.0, 0.01) << c2->rateBps;
    EXPECT_NEAR(b2->rateBps / (4e6 * 4.0 / 5.0), 1.0, 0.02) << b2->rateBps;
    EXPECT_EQ(b2->allocatedBps, 4000000u);
}
