/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Cellular IP: soft-state caches, uplink/downlink routing, hard and
 * semisoft handoff against theory, paging, control cost of idle hosts,
 * timer checks, low-priority discard. Real ns-3 stacks, point-to-point
 * tree links and an 802.11a ad hoc air interface.
 */
#include "cellular-ip-test-common.h"

#include "ns3/traffic-control-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::cip_test;

namespace
{

struct Fixture : public ::testing::Test
{
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

using CellularIpCache = Fixture;
using CellularIpRouting = Fixture;
using CellularIpHandoff = Fixture;
using CellularIpPaging = Fixture;
using CellularIpConfig = Fixture;

} // namespace

// A mapping lives exactly Timeout after its last refresh, and a refresh
// before that moves the expiry.
TEST_F(CellularIpCache, RefreshAndExpiryAreExact)
{
    Ptr<GenesisCellularIpCache> cache = CreateObject<GenesisCellularIpCache>();
    cache->SetTimeout(Seconds(9));
    Ipv4Address mh("10.50.1.10");
    std::vector<Time> expired;
    cache->TraceConnectWithoutContext(
        "Expire",
        MakeCallback(+[](std::vector<Time>* v, Ipv4Address, uint32_t) {
            v->push_back(Simulator::Now());
        }).Bind(&expired));
    Simulator::Schedule(Seconds(1), [&] { cache->Update(mh, 2, Ipv4Address(), false); });
    Simulator::Schedule(Seconds(4), [&] { cache->Update(mh, 2, Ipv4Address(), false); });
    Simulator::Schedule(Seconds(12.999), [&] { EXPECT_EQ(cache->Lookup(mh).size(), 1u); });
    Simulator::Schedule(Seconds(13), [&] { EXPECT_TRUE(cache->Lookup(mh).empty()); });
    // A second host refreshed never: expires 9 s after its only update.
    Simulator::Schedule(Seconds(20),
                        [&] { cache->Update(Ipv4Address("10.50.1.11"), 1, Ipv4Address(), false); });
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    ASSERT_EQ(expired.size(), 2u);
    EXPECT_EQ(expired[0], Seconds(4) + Seconds(9));
    EXPECT_EQ(expired[1], Seconds(20) + Seconds(9));
    EXPECT_EQ(cache->GetSize(), 0u);
}

// Semisoft: the crossover holds both mappings, the new one marked; the
// regular update on the new path completes the handoff.
TEST_F(CellularIpCache, SemisoftKeepsBothPathsUntilTheRegularUpdate)
{
    Ptr<GenesisCellularIpCache> cache = CreateObject<GenesisCellularIpCache>();
    Ipv4Address mh("10.50.1.10");
    cache->Update(mh, 1, Ipv4Address(), false);
    cache->Update(mh, 2, Ipv4Address(), true);
    auto m = cache->Lookup(mh);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_FALSE(m[0].semisoft);
    EXPECT_TRUE(m[1].semisoft);
    cache->Update(mh, 1, Ipv4Address(), false); // data still on the old path
    EXPECT_EQ(cache->Lookup(mh).size(), 2u);
    cache->Update(mh, 2, Ipv4Address(), false); // the host switched
    m = cache->Lookup(mh);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].interface, 2u);
    EXPECT_FALSE(m[0].semisoft);
    cache->Update(mh, 3, Ipv4Address(), false); // hard handoff replaces
    m = cache->Lookup(mh);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].interface, 3u);
}

// Uplink to the correspondent and downlink back over gateway - interior -
// two base stations; caches point down the right interfaces.
TEST_F(CellularIpRouting, UplinkAndDownlinkOverTree)
{
    CipParams p;
    p.hops = 2;
    p.mobiles = {{5, 3, 0}, {35, 3, 0}};
    CipNet n;
    BuildCipNet(n, p);
    UdpEchoServerHelper echo(7);
    echo.Install(n.ch).Start(Seconds(0));
    std::vector<uint32_t> replies(2, 0);
    for (uint32_t i = 0; i < 2; ++i)
    {
        UdpEchoClientHelper c(n.chAddr, 7);
        c.SetAttribute("MaxPackets", UintegerValue(20));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(50)));
        ApplicationContainer a = c.Install(n.mobiles.Get(i));
        a.Start(Seconds(1));
        a.Get(0)->TraceConnectWithoutContext(
            "Rx",
            MakeCallback(+[](uint32_t* c, Ptr<const Packet>) { ++*c; }).Bind(&replies[i]));
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(replies[0], 20u);
    EXPECT_EQ(replies[1], 20u);
    EXPECT_EQ(n.agents[0]->GetCurrentBaseStation(), n.bs1Air);
    EXPECT_EQ(n.agents[1]->GetCurrentBaseStation(), n.bs2Air);
    // The interior node of branch 1 maps host 0 downwards (towards BS1), not
    // onto its uplink, and knows nothing of host 1.
    Ptr<GenesisCellularIpRouting> mid1 = n.interior[0];
    auto m0 = mid1->GetRouteCache()->Lookup(n.mhAddr[0]);
    ASSERT_EQ(m0.size(), 1u);
    EXPECT_NE(static_cast<int32_t>(m0[0].interface), mid1->GetUplinkInterface());
    EXPECT_TRUE(mid1->GetRouteCache()->Lookup(n.mhAddr[1]).empty());
    EXPECT_EQ(n.gwR->GetRouteCache()->GetSize(), 2u);
    EXPECT_EQ(mid1->GetGatewayId(), n.gwR->GetGatewayId());
}

namespace
{

/// One handoff run: downlink CBR of 1 packet/ms, handoff BS1 -> BS2 at 2.5 s.
struct HandoffRun
{
    uint32_t lost;       //!< packets lost
    uint32_t sentWindow; //!< packets considered
    Time duration;       //!< handoff trace duration
    std::string type;    //!< handoff trace type
};

HandoffRun
RunHandoff(uint32_t hops, GenesisCellularIpMobileHost::HandoffType type, Time semisoftDelay)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    CipParams p;
    p.hops = hops;
    p.mobiles = {{12, 5, 0}};
    p.timers.semisoftDelay = semisoftDelay;
    CipNet n;
    BuildCipNet(n, p);
    CbrFlow f;
    StartCbr(f, n.ch, n.mobiles.Get(0), n.mhAddr[0], MilliSeconds(1), Seconds(1), Seconds(4));
    HandoffRun r{0, 0, Time(0), ""};
    n.agents[0]->TraceConnectWithoutContext(
        "Handoff",
        MakeCallback(+[](HandoffRun* r, Ipv4Address, Ipv4Address, const std::string& t, Time d) {
            r->type = t;
            r->duration = d;
        }).Bind(&r));
    Ptr<GenesisCellularIpMobileHost> mh = n.agents[0];
    Ipv4Address bs2 = n.bs2Air;
    Simulator::Schedule(Seconds(2.5), [mh, bs2, type] {
        mh->SetAttribute("AutoHandoff", BooleanValue(false));
        mh->HandoffTo(bs2, type);
    });
    Simulator::Stop(Seconds(4.5));
    Simulator::Run();
    r.sentWindow = 2800; // packets sent 1 s .. 3.8 s
    r.lost = f.LostBetween(0, r.sentWindow - 1);
    EXPECT_EQ(mh->GetCurrentBaseStation(), n.bs2Air);
    Simulator::Destroy();
    return r;
}

} // namespace

// Hard handoff loses the packets sent down the old path from the moment
// they could no longer reach the host until the route-update reaches the
// crossover (the gateway): rate x (in flight on the old branch + air +
// route-update travel on the new branch) = rate x (2 k d + 2 t_air).
TEST_F(CellularIpHandoff, HardHandoffLossMatchesTheory)
{
    const double rate = 1000;   // packets/s
    const double d = 0.005;     // link delay
    const double tAir = 0.0005; // nominal one-way air time of a small frame at 6 Mb/s
    for (uint32_t k : {1u, 3u})
    {
        HandoffRun r = RunHandoff(k, GenesisCellularIpMobileHost::HARD, MilliSeconds(20));
        double expected = rate * (2 * k * d + 2 * tAir);
        EXPECT_NEAR(r.lost, expected, 3.0) << "crossover " << k << " hops from the base stations";
        EXPECT_EQ(r.type, "hard");
        EXPECT_GT(r.duration, Time(0));
    }
}

// Semisoft handoff with a semisoft delay covering the path difference (0
// here: symmetric branches) loses (almost) nothing on the same scenario.
TEST_F(CellularIpHandoff, SemisoftHandoffLosesAlmostNothing)
{
    for (uint32_t k : {1u, 3u})
    {
        HandoffRun r = RunHandoff(k, GenesisCellularIpMobileHost::SEMISOFT, MilliSeconds(20));
        EXPECT_LE(r.lost, 1u) << "crossover " << k << " hops from the base stations";
        EXPECT_EQ(r.type, "semisoft");
    }
}

// A host moving across the cells hands off by signal strength once, and
// the flow continues through the new base station.
TEST_F(CellularIpHandoff, SignalStrengthHandoffWhileMoving)
{
    CipParams p;
    p.bsDistance = 80;
    p.mobiles = {{10, 5, 0}};
    CipNet n;
    BuildCipNet(n, p);
    Ptr<MobilityModel> mm = n.mobiles.Get(0)->GetObject<MobilityModel>();
    Simulator::Schedule(Seconds(1), [mm] {
        DynamicCast<ConstantVelocityMobilityModel>(mm)->SetVelocity(
            Vector(12, 0, 0)); // 10 m -> 70 m in 5 s
    });
    Simulator::Schedule(Seconds(6), [mm] {
        DynamicCast<ConstantVelocityMobilityModel>(mm)->SetVelocity(Vector(0, 0, 0));
    });
    CbrFlow f;
    StartCbr(f, n.ch, n.mobiles.Get(0), n.mhAddr[0], MilliSeconds(10), Seconds(1), Seconds(7));
    std::vector<std::pair<Ipv4Address, Ipv4Address>> handoffs;
    n.agents[0]->TraceConnectWithoutContext(
        "Handoff",
        MakeCallback(+[](std::vector<std::pair<Ipv4Address, Ipv4Address>>* v,
                         Ipv4Address o,
                         Ipv4Address nw,
                         const std::string&,
                         Time) {
            v->emplace_back(o, nw);
        }).Bind(&handoffs));
    Simulator::Stop(Seconds(7.5));
    Simulator::Run();
    ASSERT_EQ(handoffs.size(), 1u);
    EXPECT_EQ(handoffs[0].first, n.bs1Air);
    EXPECT_EQ(handoffs[0].second, n.bs2Air);
    // The last half second is delivered through BS2 in full.
    EXPECT_EQ(f.LostBetween(550, 599), 0u);
    std::ostringstream lost;
    for (uint32_t s = 0; s < 600; ++s)
    {
        if (!f.received.count(s))
        {
            lost << s << " ";
        }
    }
    EXPECT_LE(f.LostBetween(0, 599), 3u) << "lost: " << lost.str();
}

// An idle host is found through the paging caches (or by broadcast paging
// where nodes keep none), wakes up and sends a route-update.
TEST_F(CellularIpPaging, PagingReachesIdleHost)
{
    for (bool pagingCache : {true, false})
    {
        RngSeedManager::SetSeed(1);
        CipParams p;
        p.hops = 2;
        p.pagingCache = pagingCache;
        p.mobiles = {{35, 3, 0}};
        CipNet n;
        BuildCipNet(n, p);
        CbrFlow f;
        StartCbr(f, n.ch, n.mobiles.Get(0), n.mhAddr[0], Seconds(10), Seconds(2), Seconds(3));
        uint32_t paged = 0;
        std::vector<std::string> how;
        n.agents[0]->TraceConnectWithoutContext(
            "Paged",
            MakeCallback(+[](uint32_t* c, Ptr<const Packet>) { ++*c; }).Bind(&paged));
        n.gwR->TraceConnectWithoutContext(
            "Paging",
            MakeCallback(+[](std::vector<std::string>* v, Ipv4Address, const std::string& h) {
                v->push_back(h);
            }).Bind(&how));
        GenesisCellularIpMobileHost::State before = GenesisCellularIpMobileHost::ACTIVE;
        Ptr<GenesisCellularIpMobileHost> mh = n.agents[0];
        Simulator::Schedule(Seconds(1.9), [&before, mh] { before = mh->GetState(); });
        Simulator::Stop(Seconds(2.5));
        Simulator::Run();
        EXPECT_EQ(before, GenesisCellularIpMobileHost::IDLE);
        EXPECT_EQ(f.received.size(), 1u) << "paging cache " << pagingCache;
        EXPECT_EQ(paged, 1u);
        EXPECT_EQ(mh->GetState(), GenesisCellularIpMobileHost::ACTIVE);
        EXPECT_EQ(mh->GetRouteUpdatesSent(), 1u); // sent on waking
        ASSERT_EQ(how.size(), 1u);
        EXPECT_EQ(how[0], pagingCache ? "paging-cache" : "broadcast");
        // After the route-update the gateway holds a route-cache mapping.
        EXPECT_EQ(n.gwR->GetRouteCache()->Lookup(n.mhAddr[0]).size(), 1u);
        Simulator::Destroy();
    }
}

// Idle hosts cost far fewer control packets than active ones: over 60 s an
// active host (receiving, sending nothing up) sends a route-update every
// RouteUpdateTime, an idle one a paging-update every PagingUpdateTime.
TEST_F(CellularIpPaging, IdleHostsSendFewerControlPackets)
{
    CipParams p;
    p.mobiles = {{5, 3, 0}, {6, -3, 0}};
    CipNet n;
    BuildCipNet(n, p);
    CbrFlow f;
    StartCbr(f, n.ch, n.mobiles.Get(0), n.mhAddr[0], MilliSeconds(100), Seconds(1), Seconds(61));
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    GenesisCellularIpTimers t;
    uint32_t active = n.agents[0]->GetRouteUpdatesSent() + n.agents[0]->GetPagingUpdatesSent();
    uint32_t idle = n.agents[1]->GetRouteUpdatesSent() + n.agents[1]->GetPagingUpdatesSent();
    // Theory: 60 s / 3 s = 20 route-updates (+1 on waking, +1 paging-update
    // on attaching); 61 s / 30 s = 2 paging-updates + 1 on attaching.
    EXPECT_NEAR(active, 60.0 / t.routeUpdateTime.GetSeconds() + 2, 1.0);
    EXPECT_NEAR(idle, 61.0 / t.pagingUpdateTime.GetSeconds() + 1, 1.0);
    EXPECT_GE(active, 5 * idle);
    EXPECT_EQ(n.agents[1]->GetState(), GenesisCellularIpMobileHost::IDLE);
}

// Once the host stops, the base station's route-cache mapping expires
// exactly RouteTimeout after the last packet that refreshed it.
TEST_F(CellularIpPaging, RouteCacheExpiresRouteTimeoutAfterLastRefresh)
{
    CipParams p;
    p.mobiles = {{5, 3, 0}};
    CipNet n;
    BuildCipNet(n, p);
    CbrFlow f;
    StartCbr(f, n.ch, n.mobiles.Get(0), n.mhAddr[0], MilliSeconds(100), Seconds(1), Seconds(2));
    Time lastRefresh;
    Time expired;
    Ptr<GenesisCellularIpCache> rc = n.bs1R->GetRouteCache();
    rc->TraceConnectWithoutContext("Refresh", MakeCallback(+[](Time* t, Ipv4Address, uint32_t) {
                                                  *t = Simulator::Now();
                                              }).Bind(&lastRefresh));
    rc->TraceConnectWithoutContext("Add", MakeCallback(+[](Time* t, Ipv4Address, uint32_t, bool) {
                                              *t = Simulator::Now();
                                          }).Bind(&lastRefresh));
    rc->TraceConnectWithoutContext("Expire", MakeCallback(+[](Time* t, Ipv4Address, uint32_t) {
                                                 *t = Simulator::Now();
                                             }).Bind(&expired));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    GenesisCellularIpTimers t;
    ASSERT_GT(expired, Time(0));
    EXPECT_EQ(expired - lastRefresh, t.routeTimeout);
    // The host went idle ActiveStateTimeout after its last data packet and
    // then sent route-updates no more: the last refresh is before that.
    EXPECT_LT(lastRefresh, Seconds(2) + t.activeStateTimeout + MilliSeconds(10));
    EXPECT_EQ(n.agents[0]->GetState(), GenesisCellularIpMobileHost::IDLE);
}

// Inconsistent timers are refused with a message naming the attributes.
TEST_F(CellularIpConfig, BadTimersRejectedWithMessage)
{
    GenesisCellularIpTimers t;
    t.routeTimeout = Seconds(2); // not longer than RouteUpdateTime (3 s)
    CellularIpHelper h;
    try
    {
        h.SetTimers(t);
        FAIL() << "accepted RouteTimeout < RouteUpdateTime";
    }
    catch (const GenesisError& e)
    {
        std::string m = e.what();
        EXPECT_NE(m.find("RouteTimeout (+2s)"), std::string::npos) << m;
        EXPECT_NE(m.find("RouteUpdateTime (+3s)"), std::string::npos) << m;
        EXPECT_NE(m.find("make RouteTimeout"), std::string::npos) << m;
    }
    // Through an attribute, caught when installing.
    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper().Install(node);
    CellularIpHelper h2;
    h2.SetRoutingAttribute("PagingTimeout", TimeValue(Seconds(30)));
    try
    {
        h2.InstallNode(node, NetDeviceContainer());
        FAIL() << "accepted PagingTimeout == PagingUpdateTime";
    }
    catch (const GenesisError& e)
    {
        std::string m = e.what();
        EXPECT_NE(m.find("PagingTimeout (+30s)"), std::string::npos) << m;
        EXPECT_NE(m.find("node 0"), std::string::npos) << m;
    }
    EXPECT_FALSE(CellularIpHelper::GetRouting(node)); // nothing half-installed
    // A mobile host outside the range.
    CellularIpHelper h3;
    Ptr<Node> mh = CreateObject<Node>();
    InternetStackHelper().Install(mh);
    Ptr<SimpleNetDevice> dev = CreateObject<SimpleNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    mh->AddDevice(dev);
    try
    {
        h3.InstallMobileHost(mh, dev, Ipv4Address("192.168.0.1"));
        FAIL() << "accepted an address outside the range";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("outside the Cellular IP range 10.50.0.0/16"),
                  std::string::npos)
            << e.what();
    }
}

// The low-priority discard module drops low-priority packets above its
// threshold and keeps room for high-priority (control) packets.
TEST_F(CellularIpConfig, LowPriorityDiscardKeepsRoomForControl)
{
    Ptr<GenesisLowPriorityDiscardQueueDisc> q = CreateObject<GenesisLowPriorityDiscardQueueDisc>();
    q->SetMaxSize(QueueSize("10p"));
    q->Initialize();
    auto item = [](uint8_t tos) {
        Ipv4Header h;
        h.SetTos(tos);
        h.SetPayloadSize(100);
        return Create<Ipv4QueueDiscItem>(Create<Packet>(100),
                                         Mac48Address::GetBroadcast(),
                                         0x0800,
                                         h);
    };
    uint32_t low = 0;
    uint32_t high = 0;
    for (int i = 0; i < 10; ++i)
    {
        low += q->Enqueue(item(0x00));
    }
    for (int i = 0; i < 10; ++i)
    {
        high += q->Enqueue(item(0xc0));
    }
    EXPECT_EQ(low, 5u);  // threshold 0.5 x 10 packets
    EXPECT_EQ(high, 5u); // the rest of the queue
    QueueDisc::Stats s = q->GetStats();
    EXPECT_EQ(s.GetNDroppedPackets(GenesisLowPriorityDiscardQueueDisc::LOW_PRIORITY_DROP), 5u);
    EXPECT_EQ(s.GetNDroppedPackets(GenesisLowPriorityDiscardQueueDisc::LIMIT_EXCEEDED_DROP), 5u);
}
