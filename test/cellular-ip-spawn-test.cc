/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The Cellular IP child spawned from a profile (issue 4): the spawner puts
 * ns3::GenesisCellularIpRouting on the routelets' host nodes with the Role
 * each profile entry gives, the parent learns the address space, members
 * get service and others none, the child's traffic keeps its reservation
 * beside a flooding sibling, teardown stops everything, and bad profiles are
 * refused with their file:line:col, leaving nothing behind.
 *
 * Parent (all real ns-3: stacks, point-to-point, 802.11a ad hoc, Wi-Fi PHY):
 *
 *   ch --- gw ==2 Mbit/s== bs1      ))) m0 (member), m1 (not a member)
 *          |  \             |
 *        alice `---- bs2   bob
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/wifi-module.h"

#include <gtest/gtest.h>
#include <set>
#include <string>

using namespace ns3;

namespace
{

const char* kProfile = R"(schema_version: 1
name: cip
parent: root
address_space: 10.50.0.0/16
capacity: {class: controlled, rate: 1Mbps}
topology:
  routelets:
    - {name: gateway, node: gw}
    - {name: bs1, node: bs1}
    - {name: bs2, node: bs2}
  links:
    - {name: l1, ends: [gateway, bs1]}
    - {name: l2, ends: [gateway, bs2]}
membership:
  - 10.50.1.0/24
modules:
  - {category: forwarder, type: ns3::GenesisCellularIpRouting, attributes: {Role: BaseStation}}
  - {category: forwarder, routelet: gateway, type: ns3::GenesisCellularIpRouting, attributes: {Role: Gateway}}
)";

const char* kSibling = R"(schema_version: 1
name: sibling
parent: root
address_space: 172.20.0.0/16
capacity: {class: controlled, rate: 1Mbps}
topology:
  routelets:
    - {name: a, node: gw}
    - {name: b, node: bs1}
  links:
    - {name: ab, ends: [a, b]}
  hosts:
    - {name: alice, node: alice, routelet: a, address: 172.20.1.1}
    - {name: bob, node: bob, routelet: b, address: 172.20.2.1}
)";

/// Unique sequence numbers received by a UdpServer, with their arrival times.
struct Sink
{
    std::set<uint32_t> seqs; //!< received
    std::vector<Time> at;    //!< arrival times

    void Rx(Ptr<const Packet> p)
    {
        SeqTsHeader h;
        p->Copy()->RemoveHeader(h);
        seqs.insert(h.GetSeq());
        at.push_back(Simulator::Now());
    }

    uint32_t Between(Time a, Time b) const
    {
        uint32_t n = 0;
        for (Time t : at)
        {
            n += t >= a && t < b;
        }
        return n;
    }
};

/// \return true when \p node's static routing has a route for 10.50.0.0/16
bool
HasRangeRoute(Ptr<Node> node)
{
    Ipv4StaticRoutingHelper srh;
    Ptr<Ipv4StaticRouting> sr = srh.GetStaticRouting(node->GetObject<Ipv4>());
    for (uint32_t i = 0; sr && i < sr->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry e = sr->GetRoute(i);
        if (e.GetDestNetwork() == Ipv4Address("10.50.0.0") &&
            e.GetDestNetworkMask() == Ipv4Mask("255.255.0.0"))
        {
            return true;
        }
    }
    return false;
}

class CellularIpSpawnTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const char* names[] = {"gw", "bs1", "bs2", "ch", "alice", "bob"};
        for (const char* n : names)
        {
            Ptr<Node> node = CreateObject<Node>();
            Names::Add(n, node);
            parent.Add(node);
        }
        InternetStackHelper stack;
        stack.Install(parent);
        PointToPointHelper p2p;
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
        Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
        auto link = [&](const char* a, const char* b, const char* rate) {
            p2p.SetDeviceAttribute("DataRate", StringValue(rate));
            addr.Assign(p2p.Install(Names::Find<Node>(a), Names::Find<Node>(b)));
            addr.NewNetwork();
        };
        link("gw", "bs1", "2Mbps");
        link("gw", "bs2", "100Mbps");
        link("ch", "gw", "100Mbps");
        link("alice", "gw", "100Mbps");
        link("bob", "bs1", "100Mbps");
        root = genesis.Install(parent);

        NodeContainer bss(Names::Find<Node>("bs1"), Names::Find<Node>("bs2"));
        mobiles.Create(2);
        YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
        YansWifiPhyHelper phy;
        phy.SetChannel(channel.Create());
        WifiHelper wifi;
        wifi.SetStandard(WIFI_STANDARD_80211a);
        wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                     "DataMode",
                                     StringValue("OfdmRate6Mbps"),
                                     "ControlMode",
                                     StringValue("OfdmRate6Mbps"));
        WifiMacHelper mac;
        mac.SetType("ns3::AdhocWifiMac");
        NetDeviceContainer bsAir = wifi.Install(phy, mac, bss);
        NetDeviceContainer mhAir = wifi.Install(phy, mac, mobiles);
        Ipv4AddressHelper airAddr("10.51.0.0", "255.255.255.0");
        airAddr.Assign(bsAir);
        MobilityHelper mob;
        Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator>();
        pos->Add(Vector(0, 0, 0));
        pos->Add(Vector(80, 0, 0));
        pos->Add(Vector(5, 5, 0));  // m0, near bs1
        pos->Add(Vector(5, -5, 0)); // m1, near bs1
        mob.SetPositionAllocator(pos);
        mob.SetMobilityModel("ns3::ConstantPositionMobilityModel");
        mob.Install(bss);
        mob.Install(mobiles);
        Ipv4StaticRoutingHelper staticRouting;
        InternetStackHelper mobileStack;
        mobileStack.SetRoutingHelper(staticRouting);
        mobileStack.Install(mobiles);
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();

        spawner = genesis.GetSpawner();
        spawner->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
        CellularIpHelper cip;
        m0 = cip.InstallMobileHost(mobiles.Get(0), mhAir.Get(0), Ipv4Address("10.50.1.10"));
        m1 = cip.InstallMobileHost(mobiles.Get(1), mhAir.Get(1), Ipv4Address("10.50.2.10"));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    /// Spawn \p text at \p at; failures are recorded in m_error.
    void SpawnAt(Time at, std::string text, std::string file = "cip-test.yaml")
    {
        Simulator::Schedule(at, [this, text, file]() {
            GenesisProfileReadResult r = GenesisProfileReader::ReadString(text, file);
            ASSERT_TRUE(r.Ok()) << r.Format();
            try
            {
                spawner->SpawnProfile(r.profile, root, text);
            }
            catch (const GenesisError& e)
            {
                error = e.what();
            }
        });
    }

    /// A CBR flow \p from -> \p to (UdpClient/UdpServer) in [start, stop).
    void Cbr(Sink& sink,
             Ptr<Node> from,
             Ptr<Node> to,
             Ipv4Address toAddr,
             uint16_t port,
             Time interval,
             uint32_t size,
             Time start,
             Time stop)
    {
        UdpServerHelper server(port);
        ApplicationContainer s = server.Install(to);
        s.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&Sink::Rx, &sink));
        UdpClientHelper client(toAddr, port);
        client.SetAttribute("Interval", TimeValue(interval));
        client.SetAttribute("PacketSize", UintegerValue(size));
        client.SetAttribute("MaxPackets", UintegerValue(0xffffffff));
        ApplicationContainer c = client.Install(from);
        c.Start(start);
        c.Stop(stop);
    }

    static Ipv4Address AddressOf(const char* name)
    {
        return Names::Find<Node>(name)->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
    }

    NodeContainer parent;
    NodeContainer mobiles;
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
    Ptr<GenesisSpawner> spawner;
    Ptr<GenesisCellularIpMobileHost> m0;
    Ptr<GenesisCellularIpMobileHost> m1;
    std::string error;
};

} // namespace

TEST_F(CellularIpSpawnTest, ProfileInstallsForwardersWithTheirRoles)
{
    SpawnAt(Seconds(1), kProfile);
    Simulator::Stop(Seconds(1.5));
    Simulator::Run();
    ASSERT_EQ(error, "");
    Ptr<GenesisCellularIpRouting> gw = CellularIpHelper::GetRouting(Names::Find<Node>("gw"));
    Ptr<GenesisCellularIpRouting> bs1 = CellularIpHelper::GetRouting(Names::Find<Node>("bs1"));
    Ptr<GenesisCellularIpRouting> bs2 = CellularIpHelper::GetRouting(Names::Find<Node>("bs2"));
    ASSERT_TRUE(gw && bs1 && bs2);
    EXPECT_EQ(gw->GetRole(), GenesisCellularIpRouting::GATEWAY);
    EXPECT_EQ(bs1->GetRole(), GenesisCellularIpRouting::BASE_STATION);
    EXPECT_EQ(bs2->GetRole(), GenesisCellularIpRouting::BASE_STATION);
    EXPECT_TRUE(bs1->GetAirDevice());
    EXPECT_FALSE(CellularIpHelper::GetRouting(Names::Find<Node>("ch")));
    // Beacons went down the tree: both base stations know the gateway.
    EXPECT_EQ(bs1->GetGatewayId(), gw->GetGatewayId());
    EXPECT_GE(bs1->GetUplinkInterface(), 0);
    // The parent learnt the address space: ch and alice have a route for it
    // (more specific than their default route), the Cellular IP nodes none.
    EXPECT_TRUE(HasRangeRoute(Names::Find<Node>("ch")));
    EXPECT_TRUE(HasRangeRoute(Names::Find<Node>("alice")));
    EXPECT_FALSE(HasRangeRoute(Names::Find<Node>("gw")));
    EXPECT_FALSE(HasRangeRoute(Names::Find<Node>("bs1")));
}

TEST_F(CellularIpSpawnTest, MembersGetServiceOthersNone)
{
    SpawnAt(Seconds(1), kProfile);
    Ptr<Node> ch = Names::Find<Node>("ch");
    Sink down0, down1, up0, up1;
    Cbr(down0,
        ch,
        mobiles.Get(0),
        Ipv4Address("10.50.1.10"),
        9000,
        MilliSeconds(20),
        200,
        Seconds(0.5),
        Seconds(4));
    Cbr(down1,
        ch,
        mobiles.Get(1),
        Ipv4Address("10.50.2.10"),
        9001,
        MilliSeconds(20),
        200,
        Seconds(0.5),
        Seconds(4));
    Cbr(up0,
        mobiles.Get(0),
        ch,
        AddressOf("ch"),
        9002,
        MilliSeconds(20),
        200,
        Seconds(0.5),
        Seconds(4));
    Cbr(up1,
        mobiles.Get(1),
        ch,
        AddressOf("ch"),
        9003,
        MilliSeconds(20),
        200,
        Seconds(0.5),
        Seconds(4));
    uint32_t notMember = 0;
    Simulator::Schedule(Seconds(1.01), [&notMember]() {
        CellularIpHelper::GetRouting(Names::Find<Node>("bs1"))
            ->TraceConnectWithoutContext("PacketLost",
                                         MakeCallback(+[](uint32_t* n,
                                                          Ptr<const Packet>,
                                                          const Ipv4Header&,
                                                          const std::string& reason) {
                                             *n += reason == "not-member";
                                         }).Bind(&notMember));
    });
    Simulator::Stop(Seconds(4.5));
    Simulator::Run();
    ASSERT_EQ(error, "");
    // Before the spawn the parent had no route to the range: nothing arrived.
    EXPECT_EQ(down0.Between(Seconds(0), Seconds(1)), 0u);
    EXPECT_EQ(up0.Between(Seconds(0), Seconds(1)), 0u);
    // After it (and the first route-update, within one air beacon interval),
    // the member's flows arrive: 50 packets/s for 2.5 s.
    EXPECT_GE(down0.Between(Seconds(1.5), Seconds(4)), 120u);
    EXPECT_GE(up0.Between(Seconds(1.5), Seconds(4)), 120u);
    // The non-member gets nothing at all, and its packets die at the base station.
    EXPECT_EQ(down1.at.size(), 0u);
    EXPECT_EQ(up1.at.size(), 0u);
    EXPECT_GT(notMember, 100u);
}

TEST_F(CellularIpSpawnTest, ChildKeepsItsReservationBesideAFloodingSibling)
{
    // gw -> bs1 is 2 Mbit/s; the Cellular IP child and the sibling reserve
    // 1 Mbit/s each on it. The child offers 0.8 Mbit/s (1000 B every 10 ms)
    // to m0 through bs1, the sibling floods 3 Mbit/s from alice to bob.
    SpawnAt(Seconds(1), kProfile);
    SpawnAt(Seconds(1), kSibling, "sibling.yaml");
    Sink cip;
    Cbr(cip,
        Names::Find<Node>("ch"),
        mobiles.Get(0),
        Ipv4Address("10.50.1.10"),
        9000,
        MilliSeconds(10),
        972,
        Seconds(1.5),
        Seconds(5)); // 972 + 28 = 1000 B IP packets
    OnOffHelper flood("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address("172.20.2.1"), 9200));
    flood.SetConstantRate(DataRate("3Mbps"), 1000);
    ApplicationContainer f = flood.Install(Names::Find<Node>("alice"));
    f.Start(Seconds(1.5));
    f.Stop(Seconds(5));
    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 9200));
    Ptr<PacketSink> bob =
        DynamicCast<PacketSink>(sinkHelper.Install(Names::Find<Node>("bob")).Get(0));
    uint64_t bobAt2 = 0;
    uint64_t bobAt5 = 0;
    Simulator::Schedule(Seconds(2), [&]() { bobAt2 = bob->GetTotalRx(); });
    Simulator::Schedule(Seconds(5), [&]() { bobAt5 = bob->GetTotalRx(); });
    Simulator::Stop(Seconds(5.5));
    Simulator::Run();
    ASSERT_EQ(error, "");
    // The child's 100 packets/s all arrive (its 0.8 Mbit/s is under its 1 Mbit/s).
    uint32_t got = cip.Between(Seconds(2), Seconds(5));
    EXPECT_GE(got, 291u); // 300 sent in [2, 5) minus at most 3 %
    // The sibling gets the rest of the 2 Mbit/s: at least its reservation,
    // at most what the child leaves (2 - 0.8 Mbit/s at the IP layer).
    double siblingMbps = (bobAt5 - bobAt2) * 8.0 / 3.0 / 1e6; // UDP payload, 1000 B
    EXPECT_GE(siblingMbps, 0.95);
    EXPECT_LE(siblingMbps, 1.2 * 1000 / 1028 + 0.02);
}

TEST_F(CellularIpSpawnTest, TeardownStopsForwardersAndWithdrawsTheRange)
{
    SpawnAt(Seconds(1), kProfile);
    Ptr<Node> ch = Names::Find<Node>("ch");
    Sink down0;
    Cbr(down0,
        ch,
        mobiles.Get(0),
        Ipv4Address("10.50.1.10"),
        9000,
        MilliSeconds(20),
        200,
        Seconds(1.2),
        Seconds(4));
    Simulator::Schedule(Seconds(2.5), [this]() {
        Ptr<VirtualNetwork> n = root->FindNetwork("cip");
        ASSERT_TRUE(n);
        n->Teardown();
    });
    bool routeBefore = false;
    bool routeAfter = true;
    Simulator::Schedule(Seconds(2.4), [&routeBefore, ch]() { routeBefore = HasRangeRoute(ch); });
    Simulator::Schedule(Seconds(2.6), [&routeAfter, ch]() { routeAfter = HasRangeRoute(ch); });
    Simulator::Stop(Seconds(4.5));
    Simulator::Run();
    ASSERT_EQ(error, "");
    EXPECT_GE(down0.Between(Seconds(1.5), Seconds(2.5)), 45u);
    EXPECT_EQ(down0.Between(Seconds(2.6), Seconds(4.5)), 0u);
    EXPECT_TRUE(routeBefore);
    EXPECT_FALSE(routeAfter);
    for (const char* n : {"gw", "bs1", "bs2"})
    {
        EXPECT_FALSE(CellularIpHelper::GetRouting(Names::Find<Node>(n))) << n;
    }
    // A new Cellular IP child can be spawned on the same nodes afterwards.
    EXPECT_NO_THROW({
        GenesisProfileReadResult r = GenesisProfileReader::ReadString(kProfile, "again.yaml");
        ASSERT_TRUE(r.Ok());
        Simulator::Stop(Seconds(0.1));
        spawner->SpawnProfile(r.profile, root, kProfile);
    });
    EXPECT_TRUE(CellularIpHelper::GetRouting(Names::Find<Node>("gw")));
}

namespace
{

/// A bad variant of the profile and what its error must say.
struct BadCase
{
    std::string from;     //!< text replaced
    std::string to;       //!< by this
    std::string location; //!< "cip-test.yaml:L:C" expected in the error
    std::string says;     //!< expected in the error
};

} // namespace

TEST_F(CellularIpSpawnTest, BadProfilesAreRefusedWithTheirLocationAndLeaveNothing)
{
    const std::vector<BadCase> cases = {
        {"attributes: {Role: Gateway}}",
         "attributes: {Role: Node}}",
         "cip-test.yaml:17:5",
         "exactly one routelet with Role Gateway, not 0"},
        {"    - {name: bs2, node: bs2}\n",
         "    - {name: bs2, node: ch}\n",
         "cip-test.yaml:17:5",
         "needs an air interface"},
        {"attributes: {Role: BaseStation}}",
         "attributes: {Role: BaseStation, RouteTimeout: 1s}}",
         "cip-test.yaml:17:5",
         "RouteTimeout"},
        {"    - {name: l2, ends: [gateway, bs2]}\n",
         "    - {name: l2, ends: [bs1, bs2]}\n",
         "cip-test.yaml:17:5",
         "crosses 1 parent node"},
        {"address_space: 10.50.0.0/16\n", "", "cip-test.yaml:16:5", "address_space"},
    };
    for (const auto& c : cases)
    {
        std::string text = kProfile;
        std::size_t at = text.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        text.replace(at, c.from.size(), c.to);
        GenesisProfileReadResult r = GenesisProfileReader::ReadString(text, "cip-test.yaml");
        ASSERT_TRUE(r.Ok()) << r.Format();
        std::string message;
        try
        {
            spawner->SpawnProfile(r.profile, root, text);
        }
        catch (const GenesisError& e)
        {
            message = e.what();
        }
        EXPECT_NE(message.find(c.says), std::string::npos) << message;
        EXPECT_NE(message.find(c.location), std::string::npos) << message;
        // Nothing is left: no network, no forwarder, no route to the range.
        EXPECT_FALSE(root->FindNetwork("cip")) << c.says;
        for (const char* n : {"gw", "bs1", "bs2", "ch"})
        {
            EXPECT_FALSE(CellularIpHelper::GetRouting(Names::Find<Node>(n))) << c.says << " " << n;
        }
        EXPECT_FALSE(HasRangeRoute(Names::Find<Node>("ch"))) << c.says;
    }
    // And the good profile still spawns afterwards.
    GenesisProfileReadResult r = GenesisProfileReader::ReadString(kProfile, "cip-test.yaml");
    ASSERT_TRUE(r.Ok());
    EXPECT_NO_THROW(spawner->SpawnProfile(r.profile, root, kProfile));
}
