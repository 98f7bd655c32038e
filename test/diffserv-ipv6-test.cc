/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DiffServ on IPv6: the multi-field classifier on IPv6 5-tuples (real
 * Ipv6Header, Ipv6QueueDiscItem and packets starting with the header),
 * rules of one family never matching the other, bad IPv6 rules refused with
 * their messages; the traffic conditioner metering and re-marking IPv6
 * traffic class (items and packets; ECN bits and flow label kept).
 */
#include "diffserv-test-common.h"
#include "genesis-test-common.h"

#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/udp-header.h"

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

/// PacketFilter::PF_NO_MATCH by value (gtest takes its arguments by reference)
constexpr int32_t NO_MATCH = PacketFilter::PF_NO_MATCH;

/// An IPv6 packet of \p ipBytes bytes: header, UDP or TCP (ports) and payload
struct V6Spec
{
    std::string src{"2001:db8:1::5"};
    std::string dst{"2001:db8:9::1"};
    uint8_t nextHeader{17};
    uint16_t sport{4000};
    uint16_t dport{5005};
    uint8_t dscp{0};
    uint8_t ecn{0};
    uint32_t flowLabel{0};
    uint32_t ipBytes{200};
};

Ipv6Header
MakeHeader(const V6Spec& s)
{
    Ipv6Header h;
    h.SetSource(Ipv6Address(s.src.c_str()));
    h.SetDestination(Ipv6Address(s.dst.c_str()));
    h.SetNextHeader(s.nextHeader);
    h.SetPayloadLength(static_cast<uint16_t>(s.ipBytes - 40));
    h.SetTrafficClass(static_cast<uint8_t>((s.dscp << 2) | s.ecn));
    h.SetFlowLabel(s.flowLabel);
    h.SetHopLimit(64);
    return h;
}

/// The packet after the IPv6 header (the first 4 bytes are the ports)
Ptr<Packet>
MakePayload(const V6Spec& s)
{
    Ptr<Packet> p = Create<Packet>(s.ipBytes - 40 - 8);
    UdpHeader u; // 8 bytes; for TCP only the first 4 (the ports) are read
    u.SetSourcePort(s.sport);
    u.SetDestinationPort(s.dport);
    p->AddHeader(u);
    return p;
}

Ptr<Ipv6QueueDiscItem>
MakeItem6(const V6Spec& s)
{
    return Create<Ipv6QueueDiscItem>(MakePayload(s), Address(), 0x86DD, MakeHeader(s));
}

Ptr<Packet>
MakePacket6(const V6Spec& s)
{
    Ptr<Packet> p = MakePayload(s);
    p->AddHeader(MakeHeader(s));
    return p;
}

/// The message of the GenesisError \p f throws ("" if none)
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

} // namespace

TEST(DiffServIpv6, ClassifierMatchesIpv6FiveTuples)
{
    auto mf = CreateObject<GenesisMultiFieldClassifier>();
    mf->AddRule("src=2001:db8:1::/48 proto=udp dport=5000-5010", 0);
    mf->AddRule("dst=2001:db8:9::1-2001:db8:9::ff proto=tcp", 1);
    mf->AddRule("src=10.1.0.0/16", 2); // IPv4 only
    mf->AddRule("dscp=EF", 3);         // no address: both families
    V6Spec s;
    EXPECT_EQ(mf->Classify(MakeItem6(s)), 0);
    EXPECT_EQ(mf->ClassifyPacket(MakePacket6(s)), 0) << "a packet starting with its header";
    EXPECT_EQ(mf->ClassifyHeader(MakeHeader(s), MakePayload(s)), 0);
    s.dport = 6000; // outside the port range; nothing else matches
    EXPECT_EQ(mf->Classify(MakeItem6(s)), NO_MATCH);
    s.src = "2001:db8:2::5"; // outside /48
    s.dport = 5005;
    EXPECT_EQ(mf->Classify(MakeItem6(s)), NO_MATCH);
    s.nextHeader = 6; // TCP to an address inside rule 1's range
    s.dst = "2001:db8:9::80";
    EXPECT_EQ(mf->Classify(MakeItem6(s)), 1);
    s.dst = "2001:db8:9::100"; // just above the range
    EXPECT_EQ(mf->Classify(MakeItem6(s)), NO_MATCH);
    s.dscp = 46;
    EXPECT_EQ(mf->Classify(MakeItem6(s)), 3) << "the DSCP of the traffic class";

    // A rule with IPv4 addresses never matches IPv6 (an IPv6 key's IPv4
    // fields are zero, inside 0.0.0.0/1), a rule with IPv6 addresses never IPv4.
    auto any4 = CreateObject<GenesisMultiFieldClassifier>();
    any4->AddRule("src=0.0.0.0/1", 0);
    V6Spec z;
    z.src = "::";
    EXPECT_EQ(any4->Classify(MakeItem6(z)), NO_MATCH);
    PktSpec v4;
    v4.src = "10.1.0.5";
    v4.dport = 5005;
    EXPECT_EQ(mf->Classify(MakeItem(v4)), 2);
    auto only6 = CreateObject<GenesisMultiFieldClassifier>();
    only6->AddRule("src=::/0", 0);
    EXPECT_EQ(only6->Classify(MakeItem(v4)), NO_MATCH);
    EXPECT_EQ(only6->Classify(MakeItem6(z)), 0);
}

TEST(DiffServIpv6, PrefixBoundaries)
{
    GenesisMfRule r = GenesisMfRule::FromString("src=2001:db8:0:80::/57");
    EXPECT_EQ(r.family, 6);
    GenesisMfKey k;
    k.ipv6 = true;
    auto set = [&k](const char* a) { Ipv6Address(a).GetBytes(k.src6.data()); };
    set("2001:db8:0:80::");
    EXPECT_TRUE(r.Matches(k)) << "lowest address of the prefix";
    set("2001:db8:0:ff:ffff:ffff:ffff:ffff");
    EXPECT_TRUE(r.Matches(k)) << "highest address of the prefix";
    set("2001:db8:0:7f:ffff:ffff:ffff:ffff");
    EXPECT_FALSE(r.Matches(k)) << "just below";
    set("2001:db8:0:100::");
    EXPECT_FALSE(r.Matches(k)) << "just above";
    GenesisMfRule host = GenesisMfRule::FromString("dst=2001:db8::7/128");
    Ipv6Address("2001:db8::7").GetBytes(k.dst6.data());
    set("::1");
    EXPECT_TRUE(host.Matches(k)) << "the source is any when only dst is given";
    Ipv6Address("2001:db8::8").GetBytes(k.dst6.data());
    EXPECT_FALSE(host.Matches(k));
}

TEST(DiffServIpv6, BadIpv6RulesRefused)
{
    EXPECT_NE(ErrorOf([] {
                  GenesisMfRule::FromString("src=2001:db8::/129");
              }).find("bad field 'src=2001:db8::/129'; give an IPv6 address"),
              std::string::npos);
    EXPECT_NE(ErrorOf([] {
                  GenesisMfRule::FromString("dst=2001:db8::g");
              }).find("bad field 'dst=2001:db8::g'"),
              std::string::npos);
    EXPECT_NE(ErrorOf([] {
                  GenesisMfRule::FromString("src=2001:db8::9-2001:db8::1");
              }).find("a range (2001:db8::1-2001:db8::9)"),
              std::string::npos);
    EXPECT_NE(ErrorOf([] {
                  GenesisMfRule::FromString("src=10.0.0.1 dst=2001:db8::1");
              }).find("src and dst must be of the same address family"),
              std::string::npos);
}

// srTCM CBS 3000, EBS 2000, ten 1000-byte IPv6 packets at t = 0: as for IPv4,
// RFC 2697 gives 3 green (AF11), 2 yellow (AF12), 5 red (dropped).
TEST(DiffServIpv6, ConditionerMetersAndRemarksIpv6Items)
{
    auto tca = CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>(
        "Name",
        StringValue("gold6"),
        "Match",
        StringValue("src=2001:db8:1::/48 proto=udp"),
        "Meter",
        StringValue("SrTcm"),
        "Cir",
        StringValue("1Mbps"),
        "Cbs",
        UintegerValue(3000),
        "Ebs",
        UintegerValue(2000));
    auto cond = CreateObject<GenesisTrafficConditioner>();
    cond->AddTca(tca);
    V6Spec s;
    s.ipBytes = 1000;
    s.ecn = 1;
    s.flowLabel = 0xabcde;
    std::vector<int> dscps;
    for (int i = 0; i < 10; ++i)
    {
        Ptr<Ipv6QueueDiscItem> in = MakeItem6(s);
        Ptr<QueueDiscItem> out = cond->ConditionItem(in);
        if (!out)
        {
            dscps.push_back(-1);
            continue;
        }
        auto v6 = DynamicCast<Ipv6QueueDiscItem>(out);
        ASSERT_TRUE(v6) << "still an IPv6 item";
        EXPECT_EQ(v6->GetHeader().GetTrafficClass() & 3, 1) << "ECN kept";
        EXPECT_EQ(v6->GetHeader().GetFlowLabel(), 0xabcdeu) << "flow label kept";
        EXPECT_EQ(v6->GetHeader().GetSource(), Ipv6Address("2001:db8:1::5"));
        dscps.push_back(v6->GetHeader().GetTrafficClass() >> 2);
    }
    const std::vector<int> expected = {10, 10, 10, 12, 12, -1, -1, -1, -1, -1};
    EXPECT_EQ(dscps, expected);
    EXPECT_EQ(cond->GetDropped(), 5u);
    EXPECT_EQ(cond->GetUnmatched(), 0u);
    // Another prefix is not covered by the agreement: passes unchanged.
    s.src = "2001:db8:2::5";
    Ptr<Ipv6QueueDiscItem> other = MakeItem6(s);
    EXPECT_EQ(cond->ConditionItem(other), other);
    EXPECT_EQ(cond->GetUnmatched(), 1u);
}

TEST(DiffServIpv6, ConditionerRemarksIpv6Packets)
{
    auto tca = CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>(
        "Name",
        StringValue("voice6"),
        "Match",
        StringValue("dst=2001:db8:9::1 proto=udp dport=5005"),
        "Meter",
        StringValue("TokenBucket"),
        "Cir",
        StringValue("100kbps"),
        "Cbs",
        UintegerValue(400),
        "GreenDscp",
        StringValue("EF"),
        "RedDscp",
        StringValue("BE"),
        "RedAction",
        StringValue("Remark"));
    auto cond = CreateObject<GenesisTrafficConditioner>();
    cond->AddTca(tca);
    V6Spec s;
    s.flowLabel = 7;
    // Two 200-byte packets fill the 400-byte bucket (EF), the third is red (BE).
    std::vector<int> got;
    for (int i = 0; i < 3; ++i)
    {
        Ptr<Packet> p = MakePacket6(s);
        ASSERT_TRUE(cond->ConditionPacket(p));
        Ipv6Header h;
        p->PeekHeader(h);
        EXPECT_EQ(h.GetFlowLabel(), 7u);
        EXPECT_EQ(p->GetSize(), 200u);
        got.push_back(h.GetTrafficClass() >> 2);
    }
    EXPECT_EQ(got, (std::vector<int>{46, 46, 0}));
}
