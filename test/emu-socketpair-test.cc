/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The emulation data path without NICs or privileges: a Genesis router whose
 * ports are GenesisEmuNetDevices over socketpairs (as ns-3's fd2fd-onoff
 * example connects FdNetDevices), real-time simulator, hosts on plain
 * FdNetDevices. Everything that crosses the router crosses file descriptors
 * as Ethernet frames.
 */
#include "emu-test-common.h"

#include <cerrno>
#include <fcntl.h>

using namespace ns3;
using namespace ns3::genesis_emu_test;

namespace
{

class GenesisEmuSocketpair : public RealtimeTest
{
};

/// UDP payload bytes per byte on the wire: 1000 / (1000 + 8 + 20 + 14).
constexpr double PAYLOAD_SHARE = 1000.0 / 1042.0;

struct Split
{
    double gold;
    double bronze;
};

/// Hosts 1 and 2 flood host 3 through an 8 Mbit/s port; rates over [1 s, 2.8 s].
Split
RunSplit(bool withChildren)
{
    Bed b;
    BuildBed(b, {"100Mbps", "100Mbps", "8Mbps"});
    if (withChildren)
    {
        EdgeChild(b, "gold", "controlled", "6Mbps", "10.77.1.0");
        EdgeChild(b, "bronze", "controlled", "2Mbps", "10.77.2.0");
    }
    Ipv4Address h3("10.77.3.2");
    Ptr<PacketSink> s1 =
        Flood(b.Host(0), b.Host(2), h3, 9, "12Mbps", 1000, Seconds(0.3), Seconds(2.9));
    Ptr<PacketSink> s2 =
        Flood(b.Host(1), b.Host(2), h3, 10, "12Mbps", 1000, Seconds(0.3), Seconds(2.9));
    uint64_t a1 = 0;
    uint64_t a2 = 0;
    uint64_t z1 = 0;
    uint64_t z2 = 0;
    Simulator::Schedule(Seconds(1.0), [&]() {
        a1 = s1->GetTotalRx();
        a2 = s2->GetTotalRx();
    });
    Simulator::Schedule(Seconds(2.8), [&]() {
        z1 = s1->GetTotalRx();
        z2 = s2->GetTotalRx();
    });
    Simulator::Stop(Seconds(3.0));
    Simulator::Run();
    EXPECT_GT(b.Port(2)->GetNPacingStops(), 0u) << "the bottleneck port never paced";
    return Split{(z1 - a1) * 8.0 / 1.8, (z2 - a2) * 8.0 / 1.8};
}

} // namespace

// Two hosts in two child networks (controlled 6 and 2 Mbit/s) flood a third
// host through an 8 Mbit/s emulated port: the port paces at 8 Mbit/s, the
// arbitrator holds the backlog and serves the networks 3:1. Without the
// children the same floods share the root's own class about equally.
TEST_F(GenesisEmuSocketpair, BottleneckPortIsSplitByCapacityClasses)
{
    Split with = RunSplit(true);
    const double capacity = 8e6 * PAYLOAD_SHARE;
    ASSERT_GT(with.bronze, 0);
    EXPECT_NEAR(with.gold / with.bronze, 3.0, 0.3) << with.gold << " " << with.bronze;
    EXPECT_GE(with.gold + with.bronze, 0.93 * capacity) << with.gold + with.bronze;
    EXPECT_LE(with.gold + with.bronze, 1.03 * capacity) << with.gold + with.bronze;

    Simulator::Destroy();
    Split without = RunSplit(false);
    ASSERT_GT(without.bronze, 0);
    EXPECT_NEAR(without.gold / without.bronze, 1.0, 0.2) << without.gold << " " << without.bronze;
    EXPECT_LE(without.gold + without.bronze, 1.03 * capacity);
}

// Gold's host cannot reach bronze's host through the router (isolation at
// the port), but both reach the root's host, and the root's host reaches both.
TEST_F(GenesisEmuSocketpair, SiblingTrafficNeverReachesTheOtherNetworksHost)
{
    Bed b;
    BuildBed(b, {"100Mbps", "100Mbps", "100Mbps"});
    EdgeChild(b, "gold", "controlled", "10Mbps", "10.77.1.0");
    EdgeChild(b, "bronze", "controlled", "10Mbps", "10.77.2.0");
    Time t0 = Seconds(0.2);
    Time t1 = Seconds(0.7);
    Ptr<PacketSink> goldToBronze =
        Flood(b.Host(0), b.Host(1), Ipv4Address("10.77.2.2"), 9, "1Mbps", 500, t0, t1);
    Ptr<PacketSink> bronzeToGold =
        Flood(b.Host(1), b.Host(0), Ipv4Address("10.77.1.2"), 9, "1Mbps", 500, t0, t1);
    Ptr<PacketSink> goldToRoot =
        Flood(b.Host(0), b.Host(2), Ipv4Address("10.77.3.2"), 10, "1Mbps", 500, t0, t1);
    Ptr<PacketSink> rootToBronze =
        Flood(b.Host(2), b.Host(1), Ipv4Address("10.77.2.2"), 11, "1Mbps", 500, t0, t1);
    Simulator::Stop(Seconds(0.9));
    Simulator::Run();
    EXPECT_EQ(goldToBronze->GetTotalRx(), 0u);
    EXPECT_EQ(bronzeToGold->GetTotalRx(), 0u);
    // 0.5 s at 1 Mbit/s of 500-byte payloads: 125 packets each.
    EXPECT_GE(goldToRoot->GetTotalRx(), 120u * 500);
    EXPECT_GE(rootToBronze->GetTotalRx(), 120u * 500);
    EXPECT_GE(b.edge->GetNIsolationDrops(), 240u);
}

namespace
{

/// An Ethernet frame carrying VLAN \p vid, IPv4 from \p src to \p dst, UDP.
std::vector<uint8_t>
TaggedFrame(Mac48Address to, uint16_t vid, const char* src, const char* dst, uint32_t payload)
{
    Ptr<Packet> p = Create<Packet>(payload);
    UdpHeader udp;
    udp.SetSourcePort(5000);
    udp.SetDestinationPort(9);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(Ipv4Address(src));
    ip.SetDestination(Ipv4Address(dst));
    ip.SetProtocol(17);
    ip.SetTtl(64);
    ip.SetPayloadSize(p->GetSize());
    p->AddHeader(ip);
    std::vector<uint8_t> f(18 + p->GetSize());
    to.CopyTo(f.data());
    uint8_t from[6] = {0x02, 0, 0, 0, 0, 0x42};
    std::copy(from, from + 6, f.begin() + 6);
    f[12] = 0x81;
    f[13] = 0x00;
    f[14] = static_cast<uint8_t>((5 << 5) | (vid >> 8)); // priority 5
    f[15] = static_cast<uint8_t>(vid & 0xff);
    f[16] = 0x08;
    f[17] = 0x00;
    p->CopyData(f.data() + 18, p->GetSize());
    return f;
}

void
CountClass(std::map<uint32_t, uint32_t>* m, uint32_t id, Ptr<const QueueDiscItem> item)
{
    if (item->GetProtocol() == 0x0800) // IPv4 only, not the router's ARP
    {
        ++(*m)[id];
    }
}

void
KeepFrame(std::vector<std::vector<uint8_t>>* frames, Ptr<const Packet> p)
{
    std::vector<uint8_t> f(p->GetSize());
    p->CopyData(f.data(), f.size());
    frames->push_back(f);
}

} // namespace

// 802.1Q frames whose addresses belong to no network are classified by their
// VLAN id into the network that owns it, forwarded, and leave tagged again
// (same VLAN id and priority); untagged frames of the same addresses stay in
// the root's class and leave untagged.
TEST_F(GenesisEmuSocketpair, VlanIdClassifiesRealFramesIntoTheirNetwork)
{
    Bed b;
    BuildBed(b, {"100Mbps", "100Mbps", "100Mbps"}, {true, false, false});
    b.edge->SetVlan("gold", 100);
    Ptr<VirtualNetwork> gold = EdgeChild(b, "gold", "controlled", "10Mbps", "10.77.1.0");
    // What host 3 receives, Ethernet header included.
    std::vector<std::vector<uint8_t>> frames;
    for (uint32_t i = 0; i < b.Host(2)->GetNDevices(); ++i)
    {
        if (auto d = DynamicCast<FdNetDevice>(b.Host(2)->GetDevice(i)))
        {
            d->TraceConnectWithoutContext("Sniffer", MakeBoundCallback(&KeepFrame, &frames));
        }
    }

    std::map<uint32_t, uint32_t> classified; // network id -> packets at port 3
    Ptr<ArbitratorQueueDisc> arb = b.root->GetArbitrator(b.Port(2));
    ASSERT_TRUE(arb);
    arb->TraceConnectWithoutContext("ClassEnqueue", MakeBoundCallback(&CountClass, &classified));
    Mac48Address portMac = Mac48Address::ConvertFrom(b.Port(0)->GetAddress());
    auto send = [&](int nTagged, int nUntagged) {
        for (int i = 0; i < nTagged + nUntagged; ++i)
        {
            auto f = TaggedFrame(portMac, 100, "192.168.9.9", "10.77.3.2", 200);
            if (i >= nTagged)
            {
                f.erase(f.begin() + 12, f.begin() + 16); // untagged: no 802.1Q header
            }
            ASSERT_EQ(write(b.rawFds[0], f.data(), f.size()), static_cast<ssize_t>(f.size()));
        }
    };
    // One frame first: the router resolves host 3's address (ARP holds only
    // three packets meanwhile), then the rest.
    Simulator::Schedule(Seconds(0.1), [&]() { send(1, 0); });
    Simulator::Schedule(Seconds(0.2), [&]() { send(9, 5); });
    Simulator::Stop(Seconds(0.4));
    Simulator::Run();
    EXPECT_EQ(classified[gold->GetId()], 10u);
    EXPECT_EQ(classified[0], 5u);

    int tagged = 0;
    int untagged = 0;
    uint8_t routerMac[6];
    b.Port(2)->GetAddress().CopyTo(routerMac);
    for (const auto& buf : frames)
    {
        ASSERT_GE(buf.size(), 34u);
        if (!std::equal(routerMac, routerMac + 6, buf.begin() + 6))
        {
            continue; // sent by host 3 (the Sniffer trace sees both ways)
        }
        if (buf[12] == 0x81 && buf[13] == 0x00)
        {
            ++tagged;
            EXPECT_EQ(((buf[14] & 0x0f) << 8) | buf[15], 100);
            EXPECT_EQ(buf[14] >> 5, 5);
            EXPECT_EQ((buf[16] << 8) | buf[17], 0x0800);
        }
        else if (buf[12] == 0x08 && buf[13] == 0x00)
        {
            ++untagged;
        }
    }
    EXPECT_EQ(tagged, 10);
    EXPECT_EQ(untagged, 5);
}
