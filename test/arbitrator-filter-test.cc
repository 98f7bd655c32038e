/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GenesisLabelFilter and GenesisAddressRangeFilter on real queue disc items,
 * and the arbitrator's default label classification.
 */
#include "arbitrator-test-common.h"

#include "ns3/genesis-address-range-filter.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-label-filter.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/ipv6-queue-disc-item.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{
/// PacketFilter::PF_NO_MATCH by value (the static member has no out-of-class definition)
const int32_t NO_MATCH = PacketFilter::PF_NO_MATCH;

/// An IPv4 queue disc item carrying a shim with \p labels, IP protocol \p proto.
Ptr<QueueDiscItem>
ShimItem4(std::vector<uint16_t> labels,
          uint8_t proto = 253,
          Ipv4Address src = "10.0.0.1",
          Ipv4Address dst = "10.0.0.2")
{
    Ptr<Packet> p = Create<Packet>(100);
    GenesisShimHeader shim;
    shim.SetLabels(labels);
    p->AddHeader(shim);
    Ipv4Header ip;
    ip.SetProtocol(proto);
    ip.SetSource(src);
    ip.SetDestination(dst);
    ip.SetPayloadSize(p->GetSize());
    return Create<Ipv4QueueDiscItem>(p, Mac48Address("00:00:00:00:00:01"), 0x0800, ip);
}

/// An IPv6 queue disc item carrying a shim with \p labels, next header \p nh.
Ptr<QueueDiscItem>
ShimItem6(std::vector<uint16_t> labels,
          uint8_t nh = 253,
          Ipv6Address src = "2001:db8::1",
          Ipv6Address dst = "2001:db8:1::2")
{
    Ptr<Packet> p = Create<Packet>(100);
    GenesisShimHeader shim;
    shim.SetLabels(labels);
    p->AddHeader(shim);
    Ipv6Header ip;
    ip.SetNextHeader(nh);
    ip.SetSource(src);
    ip.SetDestination(dst);
    ip.SetPayloadLength(p->GetSize());
    return Create<Ipv6QueueDiscItem>(p, Mac48Address("00:00:00:00:00:01"), 0x86DD, ip);
}

class ArbitratorFilters : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        Config::Reset();
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};
} // namespace

TEST_F(ArbitratorFilters, LabelFilterReadsTheLabelOfItsLevel)
{
    Ptr<GenesisLabelFilter> f = CreateObject<GenesisLabelFilter>();
    EXPECT_EQ(f->Classify(ShimItem4({7, 9})), 7);
    f->SetAttribute("Level", UintegerValue(1));
    EXPECT_EQ(f->Classify(ShimItem4({7, 9})), 9);
    EXPECT_EQ(f->Classify(ShimItem6({7, 9})), 9);
    f->SetAttribute("Level", UintegerValue(2));
    EXPECT_EQ(f->Classify(ShimItem4({7, 9})), NO_MATCH); // too few labels
    f->SetAttribute("Level", UintegerValue(0));
    EXPECT_EQ(f->Classify(ShimItem4({7}, 17)), NO_MATCH); // not Genesis
    EXPECT_EQ(f->Classify(ShimItem6({7}, 17)), NO_MATCH);
    f->SetAttribute("Protocol", UintegerValue(17));
    EXPECT_EQ(f->Classify(ShimItem4({7}, 17)), 7); // protocol is an attribute
}

TEST_F(ArbitratorFilters, LabelFilterRejectsLevelBeyondShimDepth)
{
    Ptr<GenesisLabelFilter> f = CreateObject<GenesisLabelFilter>();
    try
    {
        f->SetLevel(GenesisShimHeader::MAX_DEPTH);
        FAIL() << "no error";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("Level 15"), std::string::npos) << e.what();
    }
    EXPECT_EQ(f->GetLevel(), 0u);
}

TEST_F(ArbitratorFilters, ArbitratorClassifiesOnLabelOfItsDepthByDefault)
{
    Ptr<ArbitratorQueueDisc> q = CreateObject<ArbitratorQueueDisc>();
    q->SetAttribute("OwnQueueDiscType", StringValue("ns3::FifoQueueDisc"));
    q->SetLinkRate(DataRate("10Mbps"));
    Ptr<ArbitratorQueueDisc> nested = CreateObject<ArbitratorQueueDisc>();
    nested->SetAttribute("OwnQueueDiscType", StringValue("ns3::FifoQueueDisc"));
    nested->SetLinkRate(DataRate("2Mbps"));
    q->AddNetworkClass(7, ArbitratorQueueDiscClass::CONTROLLED, DataRate("2Mbps"), 1.0, nested);
    q->AddNetworkClass(9, ArbitratorQueueDiscClass::BEST_EFFORT, DataRate(0), 1.0, Fifo());
    nested->AddNetworkClass(3,
                            ArbitratorQueueDiscClass::CONTROLLED,
                            DataRate("1Mbps"),
                            1.0,
                            Fifo());
    q->Initialize();
    ASSERT_EQ(q->GetNClasses(), 3u); // own class created at initialization
    ASSERT_EQ(nested->GetNClasses(), 2u);

    std::vector<uint32_t> nestedIds;
    nested->TraceConnectWithoutContext(
        "ClassEnqueue",
        MakeCallback(+[](std::vector<uint32_t>* v, uint32_t id, Ptr<const QueueDiscItem>) {
            v->push_back(id);
        }).Bind(&nestedIds));
    EXPECT_TRUE(q->Enqueue(ShimItem4({7, 3})));  // -> 7 -> nested 3
    EXPECT_TRUE(q->Enqueue(ShimItem4({7, 5})));  // -> 7 -> nested own (5 unknown there)
    EXPECT_TRUE(q->Enqueue(ShimItem4({9})));     // -> 9
    EXPECT_TRUE(q->Enqueue(ShimItem4({42})));    // unknown at depth 0 -> own class
    EXPECT_TRUE(q->Enqueue(ShimItem4({9}, 17))); // not Genesis -> own class
    // (backlog bytes of nested classes are not asserted: the parent's Peek already moved the
    // nested head packet out of its class into the nested disc's peek slot)
    EXPECT_EQ(nestedIds, (std::vector<uint32_t>{3, 0}));
    EXPECT_EQ(nested->GetNPackets(), 2u);
    EXPECT_EQ(q->GetClassBacklogBytes(9), ShimItem4({9})->GetSize());
    EXPECT_EQ(q->GetNetworkClass(0)->GetQueueDisc()->GetNPackets(), 2u);
    EXPECT_EQ(q->GetNMisclassified(), 1u);
    EXPECT_EQ(nested->GetNMisclassified(), 1u);
    EXPECT_EQ(q->GetNPackets(), 5u);
    uint32_t out = 0;
    while (q->Dequeue())
    {
        ++out;
    }
    EXPECT_EQ(out, 5u);
    EXPECT_EQ(q->GetNPackets(), 0u);
    EXPECT_EQ(nested->GetNPackets(), 0u);
    q->Dispose();
}

TEST_F(ArbitratorFilters, AddressRangesLongestPrefixSourceOrDestination)
{
    Ptr<GenesisAddressRangeFilter> f = CreateObject<GenesisAddressRangeFilter>();
    EXPECT_EQ(f->Classify(ShimItem4({}, 17)), NO_MATCH); // no ranges
    f->AddRange(Ipv4Address("10.1.0.0"), Ipv4Mask("255.255.0.0"), 7);
    f->AddRange(Ipv4Address("10.1.2.0"), Ipv4Mask("255.255.255.0"), 8);
    f->AddRange(Ipv4Address("192.168.0.0"),
                Ipv4Mask("255.255.0.0"),
                9,
                GenesisAddressRangeFilter::MATCH_SOURCE);
    EXPECT_EQ(f->Classify(ShimItem4({}, 17, "10.1.2.5", "1.1.1.1")), 8); // longest prefix
    EXPECT_EQ(f->Classify(ShimItem4({}, 17, "1.1.1.1", "10.1.9.9")), 7); // destination
    EXPECT_EQ(f->Classify(ShimItem4({}, 17, "192.168.3.3", "1.1.1.1")), 9);
    EXPECT_EQ(f->Classify(ShimItem4({}, 17, "1.1.1.1", "192.168.3.3")),
              NO_MATCH); // source-only range
    EXPECT_EQ(f->Classify(ShimItem4({}, 17, "1.1.1.1", "2.2.2.2")), NO_MATCH);
    EXPECT_EQ(f->RemoveRanges(8), 1u);
    EXPECT_EQ(f->Classify(ShimItem4({}, 17, "10.1.2.5", "1.1.1.1")), 7);
    EXPECT_EQ(f->GetNRanges(), 2u);

    f->AddRange(Ipv6Address("2001:db8:1::"), Ipv6Prefix(48), 11);
    EXPECT_EQ(f->Classify(ShimItem6({}, 17)), 11);
    EXPECT_EQ(f->Classify(ShimItem6({}, 17, "2001:db8::1", "2001:db8:2::1")), NO_MATCH);
}

TEST_F(ArbitratorFilters, AddressRangeBadInputIsRefused)
{
    Ptr<GenesisAddressRangeFilter> f = CreateObject<GenesisAddressRangeFilter>();
    auto err = [&](auto fn) -> std::string {
        try
        {
            fn();
        }
        catch (const GenesisError& e)
        {
            return e.what();
        }
        return "<no exception>";
    };
    std::string m = err([&] { f->AddRange(Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.255.0"), 3); });
    EXPECT_NE(m.find("255.0.255.0"), std::string::npos) << m;
    EXPECT_NE(m.find("network 3"), std::string::npos) << m;
    m = err([&] { f->AddRange(Ipv4Address("10.0.0.0"), Ipv4Mask("/8"), 0x80000000u); });
    EXPECT_NE(m.find("2147483648"), std::string::npos) << m;
    f->AddRange(Ipv4Address("10.0.0.0"), Ipv4Mask("/8"), 3);
    m = err([&] { f->AddRange(Ipv4Address("10.0.0.0"), Ipv4Mask("/8"), 4); });
    EXPECT_NE(m.find("already mapped to network 3"), std::string::npos) << m;
    EXPECT_EQ(f->GetNRanges(), 1u);
}
