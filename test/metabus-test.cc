/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The metabus (paper §IV): per-network registry and its scope rule, signals,
 * and every binding interface doing something observable on real networks.
 */
#include "genesis-test-common.h"

#include <tuple>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisMetabusTest : public GenesisSimTest
{
};

/// \return the message of the GenesisError \p f throws, or "" when it throws none
template <class F>
std::string
ErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const GenesisError& e)
    {
        return e.what();
    }
    return "";
}

/// A child of \p parent over routelets on nodes \p hosts, links between consecutive ones.
Ptr<VirtualNetwork>
PathChild(Chain& c,
          Ptr<VirtualNetwork> parent,
          const std::string& name,
          const std::string& rate,
          std::vector<uint32_t> hosts,
          const std::string& base)
{
    Ptr<VirtualNetwork> net = c.genesis.CreateNetwork(parent, name, "controlled", rate);
    net->SetAttribute("Ipv4Base", Ipv4AddressValue(base.c_str()));
    std::vector<Ptr<Routelet>> rs;
    for (uint32_t h : hosts)
    {
        rs.push_back(net->AddRoutelet(c.nodes.Get(h)));
    }
    for (std::size_t i = 0; i + 1 < rs.size(); ++i)
    {
        net->AddLink(rs[i], rs[i + 1]);
    }
    return net;
}

} // namespace

TEST_F(GenesisMetabusTest, RegistryNamesTheNetworksOwnObjects)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->Spawn();
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(a);
    EXPECT_EQ(bus, GenesisMetabus::Install(a)); // idempotent
    EXPECT_EQ(bus, GenesisMetabus::Get(a));
    EXPECT_EQ(GenesisMetabus::Get(c.root), nullptr);

    EXPECT_EQ(bus->GetRouteletNames(), (std::vector<std::string>{"r0", "r2"}));
    EXPECT_EQ(bus->GetLinkNames(), (std::vector<std::string>{"r0-r2"}));
    EXPECT_EQ(bus->GetRoutelet("r0"), a->GetRoutelets()[0]);
    EXPECT_EQ(bus->GetRoutelet("a:r2"), a->GetRoutelets()[1]); // qualified with its own network
    EXPECT_EQ(bus->GetLink("r0-r2"), a->GetLinks()[0]);
    EXPECT_EQ(bus->Lookup<RouteletPort>("r2/port0"), a->GetRoutelets()[1]->GetPorts()[0]);
    // The network's arbitrator on each of the 4 devices its link crosses.
    std::size_t arbs = 0;
    for (const auto& n : bus->GetNames())
    {
        if (n.rfind("arbitrator/", 0) == 0)
        {
            EXPECT_NE(bus->Lookup<ArbitratorQueueDisc>(n), nullptr);
            ++arbs;
        }
    }
    EXPECT_EQ(arbs, 4U);
    EXPECT_EQ(bus->Lookup<ArbitratorQueueDisc>("arbitrator/1/2"), a->GetArbitrator(c.Fwd(1)));

    Ptr<Object> prog = CreateObject<Object>();
    bus->Register("routing-program", prog);
    EXPECT_EQ(bus->Lookup("routing-program"), prog);
    EXPECT_NE(ErrorOf([&] {
                  bus->Register("routing-program", CreateObject<Object>());
              }).find("already registered"),
              std::string::npos);
    bus->Unregister("routing-program");
    EXPECT_FALSE(bus->IsRegistered("routing-program"));
    std::string e = ErrorOf([&] { bus->Lookup("nobody"); });
    EXPECT_EQ(e.rfind("metabus of network 'a': lookup of 'nobody' refused: no object", 0), 0U) << e;
    EXPECT_NE(ErrorOf([&] { bus->Lookup<VirtualLink>("r0"); }).find("not a ns3::VirtualLink"),
              std::string::npos);
}

TEST_F(GenesisMetabusTest, LookupAcrossNetworksIsRefusedUnlessAnAncestorGranted)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "1Mbps", 0, 2, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    Ptr<VirtualNetwork> g = TwoEndChild(c, a, "g", "controlled", "1Mbps", 0, 2, "172.18.0.0");
    g->Spawn();
    Ptr<GenesisMetabus> busA = GenesisMetabus::Install(a);
    Ptr<GenesisMetabus> busB = GenesisMetabus::Install(b);
    Ptr<GenesisMetabus> busG = GenesisMetabus::Install(g);
    std::vector<std::tuple<std::string, std::string, std::string>> refused;
    busB->TraceConnectWithoutContext(
        "Refused",
        MakeCallback(+[](std::vector<std::tuple<std::string, std::string, std::string>>* v,
                         const std::string& what,
                         const std::string& why) {
            v->emplace_back("b", what, why);
        }).Bind(&refused));

    // Sibling: both have a routelet called r0, each bus gives its own.
    EXPECT_EQ(busB->GetRoutelet("r0"), b->GetRoutelets()[0]);
    EXPECT_NE(busB->GetRoutelet("r0"), busA->GetRoutelet("r0"));
    EXPECT_EQ(ErrorOf([&] { busB->Lookup("a:r0"); }),
              "metabus of network 'b': lookup of 'a:r0' refused: 'a' is a sibling network; a "
              "lookup across networks is refused (a network reaches only its own objects and "
              "those an ancestor granted it with GenesisMetabus::Grant)");
    EXPECT_EQ(refused.size(), 1U);
    EXPECT_NE(ErrorOf([&] {
                  busB->GetRouteletState(a->GetRoutelets()[0]);
              }).find("the routelet belongs to network 'a'; a lookup across networks is refused"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { busB->GetNameOf(a->GetLinks()[0]); }).find("network 'a'"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] {
                  busB->Register("stolen", a->GetRoutelets()[0]);
              }).find("belongs to network 'a'"),
              std::string::npos);
    // Child to parent, and parent to child: refused alike.
    EXPECT_NE(ErrorOf([&] { busG->Lookup("a:r0"); }).find("'a' is the parent network"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { busA->Lookup("g:r0"); }).find("'g' is a child network"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { busG->GetRouteletState(a->GetRoutelets()[0]); }).find("network 'a'"),
              std::string::npos);

    // A grant opens exactly one name, downwards only.
    busA->Grant(g, "r0-r2");
    EXPECT_EQ(busG->Lookup("a:r0-r2"), a->GetLinks()[0]);
    EXPECT_NE(ErrorOf([&] { busG->Lookup("a:r0"); }).find("refused"), std::string::npos);
    EXPECT_FALSE(busB->IsRegistered("a:r0-r2"));
    EXPECT_NE(ErrorOf([&] { busA->Grant(b, "r0"); }).find("only to descendants"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { busG->Grant(a, "r0"); }).find("only to descendants"),
              std::string::npos);
    // A granted object is still not this bus's to program.
    EXPECT_NE(ErrorOf([&] { busG->GetLinkName(a->GetLinks()[0]); }).find("network 'a'"),
              std::string::npos);
}

namespace
{
struct Delivery
{
    double t;
    uint32_t context;
    std::string who;
    std::string signal;
    uint32_t size;
    std::string from;
};

void
Record(std::vector<Delivery>* v,
       std::string who,
       std::string signal,
       Ptr<Packet> payload,
       std::string from)
{
    v->push_back(Delivery{Simulator::Now().GetSeconds(),
                          Simulator::GetContext(),
                          who,
                          signal,
                          payload->GetSize(),
                          from});
}
} // namespace

TEST_F(GenesisMetabusTest, SignalsReachOnlyThisNetworksSubscribersInTheirNodeContextInOrder)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = PathChild(c, c.root, "a", "1Mbps", {0, 1, 2}, "172.16.0.0");
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "1Mbps", 0, 2, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    Ptr<GenesisMetabus> busA = GenesisMetabus::Install(a);
    Ptr<GenesisMetabus> busB = GenesisMetabus::Install(b);
    busA->SetAttribute("SignalDelay", TimeValue(MilliSeconds(5)));
    std::vector<Delivery> got;
    using CB = GenesisMetabus::SignalCallback;
    busA->Subscribe("hello", "r2", CB(MakeBoundCallback(&Record, &got, std::string("a.r2"))));
    busA->Subscribe("hello", "r0", CB(MakeBoundCallback(&Record, &got, std::string("a.r0"))));
    busA->Subscribe("other", "r1", CB(MakeBoundCallback(&Record, &got, std::string("a.r1"))));
    uint64_t gone =
        busA->Subscribe("hello", "r1", CB(MakeBoundCallback(&Record, &got, std::string("gone"))));
    busB->Subscribe("hello", "r0", CB(MakeBoundCallback(&Record, &got, std::string("b.r0"))));

    std::size_t scheduled = 0;
    Simulator::Schedule(Seconds(1), [&] {
        scheduled += busA->Publish("hello", Create<Packet>(10), "r1");
        scheduled += busA->Publish("hello", Create<Packet>(20), "r1");
        busA->Unsubscribe(gone); // already scheduled deliveries to it are dropped
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();

    EXPECT_EQ(scheduled, 6U); // r2, r0, gone for each of the two publications
    uint32_t n0 = busA->GetRoutelet("r0")->GetNode()->GetId();
    uint32_t n2 = busA->GetRoutelet("r2")->GetNode()->GetId();
    ASSERT_EQ(got.size(), 4U);
    std::vector<std::tuple<std::string, uint32_t, uint32_t>> seen;
    for (const auto& d : got)
    {
        EXPECT_DOUBLE_EQ(d.t, 1.005);
        EXPECT_EQ(d.signal, "hello");
        EXPECT_EQ(d.from, "r1");
        seen.emplace_back(d.who, d.context, d.size);
    }
    // Subscription order within a publication, publications in order.
    EXPECT_EQ(seen,
              (std::vector<std::tuple<std::string, uint32_t, uint32_t>>{{"a.r2", n2, 10},
                                                                        {"a.r0", n0, 10},
                                                                        {"a.r2", n2, 20},
                                                                        {"a.r0", n0, 20}}));
    EXPECT_NE(n0, c.nodes.Get(0)->GetId()); // the routelet's node, not its host
    EXPECT_NE(ErrorOf([&] { busA->Publish("hello", nullptr, "nobody"); }).find("'nobody'"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] {
                  busB->Subscribe("hello", a->GetRoutelets()[0], CB());
              }).find("belongs to network 'a'"),
              std::string::npos);
}

TEST_F(GenesisMetabusTest, RouteAddedThroughRouteletStateMovesTheTraffic)
{
    // Triangle r0, r1, r2 over a chain 0-1-2: links r0-r1, r1-r2 and r0-r2.
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = PathChild(c, c.root, "a", "1Mbps", {0, 1, 2}, "172.16.0.0");
    a->AddLink(a->GetRoutelets()[0], a->GetRoutelets()[2]);
    a->Spawn();
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(a);
    Ptr<VirtualRouteletState> s0 = bus->GetRouteletState("r0");
    int32_t toR1 = s0->FindPortTo("r1");
    int32_t toR2 = s0->FindPortTo("r2");
    ASSERT_GE(toR1, 0);
    ASSERT_GE(toR2, 0);
    // r2's address on link r1-r2 (the second /30): r0 reaches it through r1 by default.
    Ptr<VirtualRouteletState> s2 = bus->GetRouteletState("r2");
    Ipv4Address target = s2->GetPortAddress(static_cast<uint32_t>(s2->FindPortTo("r1")));
    Ipv4Address subnet = target.CombineMask(Ipv4Mask("/30"));
    bool viaR1 = false;
    for (const auto& r : s0->GetRoutes())
    {
        if (r.destination == subnet)
        {
            viaR1 = r.port == toR1 && r.gateway == s0->GetNeighbourAddress(toR1);
        }
    }
    EXPECT_TRUE(viaR1);

    Ptr<PacketSink> sink = UdpFlow(bus->GetRoutelet("r0")->GetNode(),
                                   bus->GetRoutelet("r2")->GetNode(),
                                   target,
                                   9,
                                   DataRate("100kbps"),
                                   500,
                                   Seconds(1),
                                   Seconds(5));
    Ptr<VirtualDatapathController> dp = bus->GetDatapathController("r0");
    uint64_t r1Before = 0;
    uint64_t r2Before = 0;
    uint64_t sinkBefore = 0;
    Simulator::Schedule(Seconds(3), [&] {
        r1Before = dp->GetCounters(toR1).txPackets;
        r2Before = dp->GetCounters(toR2).txPackets;
        sinkBefore = sink->GetTotalRx();
        EXPECT_EQ(s0->RemoveRoute(subnet, Ipv4Mask("/30")), 1U);
        s0->AddRoute(subnet, Ipv4Mask("/30"), toR2);
    });
    Simulator::Stop(Seconds(6));
    Simulator::Run();

    // 100 kbit/s of 500-byte packets: one every 40 ms, the first one interval
    // after the start (OnOffApplication), the last before the stop: 1.04 s ..
    // 4.96 s, 99 packets; 49 before the route change at 3 s (scheduled first,
    // it runs before the packet of 3.00 s), 50 from then on.
    EXPECT_EQ(r1Before, 49U);
    EXPECT_EQ(r2Before, 0U);
    EXPECT_EQ(dp->GetCounters(toR1).txPackets, r1Before);
    EXPECT_EQ(dp->GetCounters(toR2).txPackets, 50U);
    EXPECT_EQ(sinkBefore, 49U * 500U);
    EXPECT_EQ(sink->GetTotalRx(), 99U * 500U); // still arrives, over the direct link
    // r1 forwarded only the first part.
    Ptr<VirtualDatapathController> dp1 = bus->GetDatapathController("r1");
    EXPECT_EQ(dp1->GetTotals().txPackets, 49U);
}

TEST_F(GenesisMetabusTest, DatapathCountersMatchThePacketSinkAndDisabledPortsDrop)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->Spawn();
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(a);
    Ptr<PacketSink> sink = UdpFlow(bus->GetRoutelet("r0")->GetNode(),
                                   bus->GetRoutelet("r2")->GetNode(),
                                   EndB(a),
                                   9,
                                   DataRate("200kbps"),
                                   1000,
                                   Seconds(1),
                                   Seconds(4));
    uint64_t sinkPackets = 0;
    sink->TraceConnectWithoutContext(
        "Rx",
        MakeCallback(+[](uint64_t* n, Ptr<const Packet>, const Address&) {
            ++*n;
        }).Bind(&sinkPackets));
    Ptr<VirtualDatapathController> dp0 = bus->GetDatapathController("r0");
    Ptr<VirtualDatapathController> dp2 = bus->GetDatapathController("r2");
    uint64_t sinkAtDisable = 0;
    Simulator::Schedule(Seconds(2), [&] {
        sinkAtDisable = sink->GetTotalRx();
        dp2->SetPortEnabled(0, false);
        EXPECT_FALSE(dp2->IsPortEnabled(0));
    });
    Simulator::Schedule(Seconds(3), [&] { dp2->SetPortEnabled(0, true); });
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    auto rx = dp2->GetCounters(0);
    auto tx = dp0->GetCounters(0);
    // Everything r2's port delivered up, and only that, reached the sink.
    EXPECT_EQ(rx.rxPackets - rx.drops, sinkPackets);
    EXPECT_EQ(sink->GetTotalRx(), sinkPackets * 1000);
    EXPECT_EQ(rx.rxBytes, rx.rxPackets * (1000 + 28)); // IPv4 + UDP headers
    EXPECT_EQ(tx.txPackets, rx.rxPackets);             // nothing lost on the way
    EXPECT_EQ(tx.txBytes, rx.rxBytes);
    // One packet every 40 ms from 1.04 s to 3.96 s (74 packets); 24 before the
    // port goes down at 2 s, the 25 of [2 s, 3 s) dropped at r2 (none at r0),
    // the 25 of [3 s, 4 s) delivered again.
    EXPECT_EQ(tx.txPackets, 74U);
    EXPECT_EQ(rx.drops, 25U);
    EXPECT_EQ(tx.drops, 0U);
    EXPECT_EQ(sinkPackets, 74U - 25U);
    EXPECT_EQ(sinkAtDisable, 24U * 1000);
    EXPECT_TRUE(dp2->IsPortEnabled(0));
}

TEST_F(GenesisMetabusTest, AllocationControllerReprovisionsAndRefusesOverAllocation)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->Spawn();
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(a);
    Ptr<VirtualAllocationController> alloc = bus->GetAllocationController();
    auto before = alloc->GetReservations();
    ASSERT_EQ(before.size(), 4U); // n0 dev1, n1 dev1, n1 dev2, n2 dev1
    for (const auto& r : before)
    {
        EXPECT_EQ(r.reserved, DataRate("2Mbps"));
        EXPECT_EQ(r.parentResidual, DataRate("8Mbps"));
        EXPECT_EQ(r.residual, DataRate("2Mbps")); // no children of its own yet
    }
    std::vector<std::string> done;
    alloc->TraceConnectWithoutContext(
        "Reprovisioned",
        MakeCallback(+[](std::vector<std::string>* v, const std::string& l, DataRate r) {
            v->push_back(l + "=" + std::to_string(r.GetBitRate()));
        }).Bind(&done));
    alloc->SetLinkRate("r0-r2", "3Mbps");
    EXPECT_EQ(done, (std::vector<std::string>{"r0-r2=3000000"}));
    EXPECT_EQ(alloc->GetLinkRate("r0-r2"), DataRate("3Mbps"));
    for (const auto& r : alloc->GetReservations())
    {
        EXPECT_EQ(r.reserved, DataRate("3Mbps"));
        EXPECT_EQ(r.parentResidual, DataRate("7Mbps"));
    }
    EXPECT_EQ(a->GetReservedRate(c.Fwd(0)), DataRate("3Mbps"));
    std::string e = ErrorOf([&] { alloc->SetLinkRate("r0-r2", DataRate("11Mbps")); });
    EXPECT_NE(e.find("unreserved"), std::string::npos) << e;
    EXPECT_EQ(a->GetReservedRate(c.Fwd(0)), DataRate("3Mbps")); // unchanged
    EXPECT_NE(ErrorOf([&] { alloc->SetLinkRate("r0-r2", "fast"); }).find("fast"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { alloc->SetLinkRate("r9-r9", DataRate("1Mbps")); }).find("'r9-r9'"),
              std::string::npos);
}

TEST_F(GenesisMetabusTest, SpawningControllerManagesOnlyItsOwnChildren)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "4Mbps", 0, 2);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "1Mbps", 0, 2, "172.17.0.0");
    a->Spawn();
    b->Spawn();
    Ptr<GenesisMetabus> busA = GenesisMetabus::Install(a);
    Ptr<VirtualSpawningController> sc = busA->GetSpawningController();
    Ptr<VirtualNetwork> g = sc->CreateChild("g", "controlled", DataRate("1Mbps"));
    g->SetAttribute("Ipv4Base", Ipv4AddressValue("172.18.0.0"));
    sc->AddRoutelet("g", "r0");
    sc->AddRoutelet("g", "r2");
    sc->AddLink("g", "r0", "r2");
    Ptr<GenesisMetabus> busG = sc->Spawn("g");
    EXPECT_EQ(g->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_EQ(busG, GenesisMetabus::Get(g));
    EXPECT_EQ(sc->GetChildren(), (std::vector<std::string>{"g"}));
    // Nested admission: g's 1Mbps comes out of a's 4Mbps.
    EXPECT_EQ(busA->GetAllocationController()->GetReservation(c.Fwd(0)).residual,
              DataRate("3Mbps"));

    EXPECT_NE(ErrorOf([&] {
                  sc->Teardown("b");
              }).find("'b' is not a child of network 'a' (it belongs to network 'root'"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { sc->Teardown("a"); }).find("it is the network itself"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { busG->GetSpawningController()->Teardown("g"); }).find("not a child"),
              std::string::npos);
    EXPECT_EQ(b->GetState(), VirtualNetwork::SPAWNED);

    sc->Teardown("g");
    EXPECT_EQ(g->GetState(), VirtualNetwork::TORN_DOWN);
    EXPECT_FALSE(busG->IsActive());
    EXPECT_NE(ErrorOf([&] { busG->Lookup("r0"); }).find("shut down"), std::string::npos);
    EXPECT_EQ(busA->GetAllocationController()->GetReservation(c.Fwd(0)).residual,
              DataRate("4Mbps"));
}

TEST_F(GenesisMetabusTest, CompositionControllerListsAndRecomposesModules)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = PathChild(c, c.root, "a", "1Mbps", {0, 1, 2}, "172.16.0.0");
    a->Spawn();
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(a);
    Ptr<VirtualCompositionController> cc = bus->GetCompositionController("r0");
    std::vector<std::string> names;
    for (const auto& m : cc->GetModules())
    {
        names.push_back(m.name + "=" + m.typeId);
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"forwarder=ns3::GenesisRouteletRouting",
                                        "port0=ns3::RouteletPort",
                                        "arbitrator@0/1=ns3::ArbitratorQueueDisc",
                                        "scheduler@0/1=ns3::FifoQueueDisc"}));
    cc->SetModuleAttribute("scheduler@0/1", "MaxSize", "7p");
    QueueSizeValue qs;
    cc->GetModule("scheduler@0/1").object->GetAttribute("MaxSize", qs);
    EXPECT_EQ(qs.Get(), QueueSize("7p"));
    EXPECT_NE(
        ErrorOf([&] { cc->SetModuleAttribute("scheduler@0/1", "MaxSise", "7p"); }).find("MaxSise"),
        std::string::npos);
    EXPECT_NE(ErrorOf([&] { cc->SetModuleAttribute("port0", "Mtu", "lots"); }).find("lots"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] { cc->GetModule("engine"); }).find("it has: forwarder, port0"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] {
                  cc->ReplaceForwarder("ns3::NoSuchRouting");
              }).find("not a registered TypeId"),
              std::string::npos);
    EXPECT_NE(ErrorOf([&] {
                  cc->ReplaceForwarder("ns3::FifoQueueDisc");
              }).find("not a constructible Ipv4RoutingProtocol"),
              std::string::npos);

    // A fresh static forwarder knows only the connected subnet: r0 loses its
    // route to link r1-r2, and traffic to r2 there no longer arrives.
    Ptr<VirtualRouteletState> s0 = bus->GetRouteletState("r0");
    auto gatewayRoutes = [&s0]() {
        std::size_t n = 0;
        for (const auto& r : s0->GetRoutes())
        {
            n += r.gateway != Ipv4Address::GetAny();
        }
        return n;
    };
    std::size_t routesBefore = gatewayRoutes();
    std::size_t allBefore = s0->GetRoutes().size();
    Ptr<VirtualRouteletState> s2 = bus->GetRouteletState("r2");
    Ptr<PacketSink> sink = UdpFlow(bus->GetRoutelet("r0")->GetNode(),
                                   bus->GetRoutelet("r2")->GetNode(),
                                   s2->GetPortAddress(0),
                                   9,
                                   DataRate("100kbps"),
                                   500,
                                   Seconds(1),
                                   Seconds(4));
    uint64_t atReplace = 0;
    Simulator::Schedule(Seconds(2), [&] {
        atReplace = sink->GetTotalRx();
        cc->ReplaceForwarder("ns3::Ipv4StaticRouting");
    });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    EXPECT_EQ(atReplace, 24U * 500U); // 1.04 s .. 1.96 s
    EXPECT_EQ(sink->GetTotalRx(), atReplace);
    EXPECT_EQ(routesBefore, 1U); // to the far link r1-r2, via r1
    EXPECT_EQ(gatewayRoutes(), 0U);
    EXPECT_EQ(s0->GetRoutes().size(), allBefore - 1); // loopback and connected remain
}
