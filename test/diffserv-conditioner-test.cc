/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DiffServ classification, marking, policing and traffic conditioning: rules
 * on real IPv4/UDP packets, DSCP rewriting (IPv4 with its checksum, IPv6,
 * queue disc items), policing counted exactly, bad agreements refused with
 * their messages, and the DSCP rewritten on a real point-to-point wire.
 */
#include "diffserv-test-common.h"
#include "genesis-test-common.h"

#include <map>

using namespace ns3;
using namespace ns3::genesis_test;

/// Fresh seeds and defaults; Simulator::Destroy after each test
class DiffServWire : public GenesisSimTest
{
};

namespace
{
/// \return true if \p what contains \p part (for EXPECT_PRED2)
bool
Contains(const std::string& what, const std::string& part)
{
    return what.find(part) != std::string::npos;
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

TEST(DiffServClassifier, FirstMatchWinsOnFiveTupleDscpAndRanges)
{
    auto c = CreateObject<GenesisMultiFieldClassifier>();
    c->AddRule("src=10.1.0.0/16 proto=udp dport=5000-5010", 7);
    c->AddRule("dst=10.2.0.5-10.2.0.9 sport=80", 3);
    c->AddRule("dscp=EF|AF41", 1);
    c->AddRule("proto=tcp", 2);
    auto classify = [&c](PktSpec s) { return c->ClassifyPacket(MakeIpv4Packet(s)); };

    PktSpec s;
    s.src = "10.1.200.3";
    s.dport = 5005;
    s.dscp = 46;
    EXPECT_EQ(classify(s), 7) << "rule 0 matches first even though rule 2 matches too";
    s.dport = 5011;
    EXPECT_EQ(classify(s), 1) << "port out of range: falls to the DSCP rule";
    s.dscp = 0;
    EXPECT_EQ(classify(s), +PacketFilter::PF_NO_MATCH);
    s.src = "10.3.0.1";
    s.dst = "10.2.0.9";
    s.sport = 80;
    EXPECT_EQ(classify(s), 3) << "upper end of the address range is inside";
    s.dst = "10.2.0.10";
    EXPECT_EQ(classify(s), +PacketFilter::PF_NO_MATCH);
    s.proto = 6;
    EXPECT_EQ(classify(s), 2);

    // the same packet through the PacketFilter interface of a queue disc
    PktSpec u;
    u.src = "10.1.0.1";
    u.dport = 5000;
    EXPECT_EQ(c->Classify(MakeItem(u)), 7);
    u.dscp = 34; // AF41
    u.dport = 1;
    EXPECT_EQ(c->Classify(MakeItem(u)), 1);
    // and from a header plus payload
    EXPECT_EQ(c->ClassifyHeader(MakeIpv4Header(u), MakeL4(u)), 1);
}

TEST(DiffServClassifier, NonFirstFragmentsHaveNoPorts)
{
    auto c = CreateObject<GenesisMultiFieldClassifier>();
    c->AddRule("dport=2000", 0);
    c->AddRule("proto=udp", 1);
    PktSpec s;
    Ptr<Packet> l4 = MakeL4(s);
    Ipv4Header h = MakeIpv4Header(s);
    EXPECT_EQ(c->ClassifyHeader(h, l4), 0);
    h.SetFragmentOffset(1480);
    EXPECT_EQ(c->ClassifyHeader(h, l4), 1) << "a later fragment carries no UDP header";
}

TEST(DiffServClassifier, RulesAttributeAndBadRules)
{
    auto c = CreateObject<GenesisMultiFieldClassifier>();
    c->SetAttribute("Rules", StringValue("dscp=EF ; proto=udp dport=9"));
    EXPECT_EQ(c->GetNRules(), 2u);
    PktSpec s;
    s.dport = 9;
    EXPECT_EQ(c->ClassifyPacket(MakeIpv4Packet(s)), 1);

    EXPECT_PRED2(Contains,
                 ErrorOf([&] { c->AddRule("src=10.0.0.0/33", 0); }),
                 "bad field 'src=10.0.0.0/33'");
    EXPECT_PRED2(Contains, ErrorOf([&] { c->AddRule("dport=9-2", 0); }), "5000-5010");
    EXPECT_PRED2(Contains, ErrorOf([&] { c->AddRule("dscp=AF51", 0); }), "AF11..AF43");
    EXPECT_PRED2(Contains, ErrorOf([&] { c->AddRule("color=red", 0); }), "unknown key 'color'");
    EXPECT_PRED2(Contains,
                 ErrorOf([&] { c->SetAttribute("Rules", StringValue("proto=udp; proto=xyz")); }),
                 "proto=xyz");
    EXPECT_EQ(c->GetNRules(), 2u) << "a refused Rules text leaves the old rules";
}

TEST(DiffServMarker, RewritesIpv4DscpKeepsEcnAndChecksum)
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    PktSpec s;
    Ipv4Header h = MakeIpv4Header(s);
    h.SetEcn(Ipv4Header::ECN_ECT1);
    h.EnableChecksum();
    Ptr<Packet> p = MakeL4(s);
    p->AddHeader(h);
    const uint32_t size = p->GetSize();
    EXPECT_EQ(GenesisDscpMarker::GetDscp(p), 0);

    auto marker = CreateObject<GenesisDscpMarker>();
    marker->SetAttribute("Dscp", StringValue("AF31"));
    uint32_t traced = 0;
    marker->TraceConnectWithoutContext(
        "Marked",
        MakeBoundCallback(
            +[](uint32_t* n, uint8_t o, uint8_t d) { *n += (o == 0 && d == 26); },
            &traced));
    ASSERT_TRUE(marker->Mark(p));
    EXPECT_EQ(traced, 1u);
    EXPECT_EQ(p->GetSize(), size);
    Ipv4Header back = ReadIpv4(p);
    EXPECT_EQ(back.GetDscp(), Ipv4Header::DSCP_AF31);
    EXPECT_EQ(back.GetEcn(), Ipv4Header::ECN_ECT1);
    EXPECT_TRUE(back.IsChecksumOk()) << "checksum recomputed over the new TOS byte";
    EXPECT_EQ(back.GetSource(), Ipv4Address("10.0.0.1"));
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));

    EXPECT_PRED2(Contains,
                 ErrorOf([&] { marker->SetAttribute("Dscp", StringValue("GOLD")); }),
                 "unknown DiffServ codepoint 'GOLD'");
    EXPECT_FALSE(GenesisDscpMarker::SetDscp(Create<Packet>(40), 46)) << "not an IP packet";
}

TEST(DiffServMarker, RewritesIpv6TrafficClass)
{
    Ipv6Header h;
    h.SetSource(Ipv6Address("2001:db8::1"));
    h.SetDestination(Ipv6Address("2001:db8::2"));
    h.SetNextHeader(17);
    h.SetPayloadLength(20);
    h.SetTrafficClass(0x03); // ECN CE, DSCP 0
    h.SetFlowLabel(0x12345);
    Ptr<Packet> p = Create<Packet>(20);
    p->AddHeader(h);
    ASSERT_TRUE(GenesisDscpMarker::SetDscp(p, 46));
    EXPECT_EQ(GenesisDscpMarker::GetDscp(p), 46);
    Ipv6Header back;
    p->RemoveHeader(back);
    EXPECT_EQ(back.GetTrafficClass(), (46 << 2) | 0x03);
    EXPECT_EQ(back.GetFlowLabel(), 0x12345u);
}

TEST(DiffServMarker, QueueDiscItemGetsANewHeader)
{
    PktSpec s;
    s.dscp = 10;
    Ptr<Ipv4QueueDiscItem> item = MakeItem(s);
    item->SetTxQueueIndex(3);
    Ptr<QueueDiscItem> out = GenesisDscpMarker::SetItemDscp(item, 46);
    auto v4 = DynamicCast<Ipv4QueueDiscItem>(out);
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->GetHeader().GetDscp(), Ipv4Header::DSCP_EF);
    EXPECT_EQ(item->GetHeader().GetDscp(), Ipv4Header::DSCP_AF11) << "the original is untouched";
    EXPECT_EQ(out->GetPacket(), item->GetPacket()) << "same packet, no copy";
    EXPECT_EQ(out->GetTxQueueIndex(), 3);
    EXPECT_EQ(out->GetSize(), item->GetSize());
    EXPECT_EQ(GenesisDscpMarker::SetItemDscp(out, 46), out) << "unchanged: same item";
}

// srTCM CBS 3000, EBS 2000, ten 1000-byte packets at t = 0: the RFC gives
// 3 green (Tc 3000 -> 0), 2 yellow (Te 2000 -> 0), 5 red. Yellow re-marked to
// AF12, red dropped, green re-marked to AF11.
TEST(DiffServConditioner, PolicingCountedExactly)
{
    auto tca = CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>(
        "Name",
        StringValue("gold"),
        "Match",
        StringValue("proto=udp dport=2000"),
        "Meter",
        StringValue("SrTcm"),
        "Cir",
        StringValue("1Mbps"),
        "Cbs",
        UintegerValue(3000),
        "Ebs",
        UintegerValue(2000));
    auto cond = CreateObject<GenesisTrafficConditioner>();
    cond->SetAttribute("UnmatchedDscp", StringValue("BE"));
    EXPECT_EQ(cond->AddTca(tca), 0u);
    std::map<int, int> dropsPerColour;
    cond->TraceConnectWithoutContext(
        "Drop",
        MakeBoundCallback(
            +[](std::map<int, int>* m, int32_t, GenesisMeter::Color c, Ptr<const Packet>) {
                ++(*m)[c];
            },
            &dropsPerColour));

    std::map<int, int> dscpOut;
    PktSpec s;
    s.payload = 1000 - 28;
    s.dscp = 46; // the customer asks for EF; the agreement decides
    for (int i = 0; i < 10; ++i)
    {
        Ptr<Packet> p = MakeIpv4Packet(s);
        ASSERT_EQ(p->GetSize(), 1000u);
        if (cond->ConditionPacket(p))
        {
            ++dscpOut[ReadIpv4(p).GetDscp()];
        }
    }
    EXPECT_EQ(dscpOut[10], 3) << "green -> AF11";
    EXPECT_EQ(dscpOut[12], 2) << "yellow -> AF12";
    EXPECT_EQ(dscpOut.size(), 2u);
    EXPECT_EQ(dropsPerColour[GenesisMeter::RED], 5);
    EXPECT_EQ(cond->GetDropped(), 5u);
    Ptr<GenesisPolicer> pol = cond->GetPolicer(0);
    EXPECT_EQ(pol->GetRemarked(), 5u);
    EXPECT_EQ(pol->GetDropped(), 5u);

    // a packet no agreement covers is re-marked to BE and passes
    PktSpec other;
    other.dport = 53;
    other.dscp = 46;
    Ptr<Packet> p = MakeIpv4Packet(other);
    EXPECT_TRUE(cond->ConditionPacket(p));
    EXPECT_EQ(ReadIpv4(p).GetDscp(), 0);
    EXPECT_EQ(cond->GetUnmatched(), 1u);
}

// Colour-aware trTCM: the carried AF12/AF13 are yellow/red and are never promoted.
TEST(DiffServConditioner, ColorAwareKeepsPrecedence)
{
    auto tca =
        CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>("Meter",
                                                                        StringValue("TrTcm"),
                                                                        "ColorAware",
                                                                        BooleanValue(true),
                                                                        "Cir",
                                                                        StringValue("1Mbps"),
                                                                        "Cbs",
                                                                        UintegerValue(10000),
                                                                        "Pir",
                                                                        StringValue("2Mbps"),
                                                                        "Pbs",
                                                                        UintegerValue(10000),
                                                                        "RedAction",
                                                                        StringValue("Remark"));
    auto cond = CreateObject<GenesisTrafficConditioner>();
    cond->AddTca(tca);
    const uint8_t in[] = {10, 12, 14, 10};
    const uint8_t out[] = {10, 12, 14, 10}; // plenty of tokens: each keeps its colour
    for (int i = 0; i < 4; ++i)
    {
        PktSpec s;
        s.dscp = in[i];
        Ptr<Packet> p = MakeIpv4Packet(s);
        ASSERT_TRUE(cond->ConditionPacket(p));
        EXPECT_EQ(ReadIpv4(p).GetDscp(), out[i]) << "packet " << i;
    }
}

TEST(DiffServConditioner, BadAgreementsRejectedWithTheFix)
{
    auto cond = CreateObject<GenesisTrafficConditioner>();
    auto make = [](std::string meter) {
        return CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>(
            "Name",
            StringValue("silver"),
            "Meter",
            StringValue(meter));
    };
    auto t = make("TrTcm");
    t->SetAttribute("Cir", StringValue("5Mbps"));
    t->SetAttribute("Pir", StringValue("2Mbps"));
    std::string msg = ErrorOf([&] { cond->AddTca(t); });
    EXPECT_PRED2(Contains, msg, "TCA 'silver': attribute Cir (5Mbps) is above Pir (2Mbps)");
    EXPECT_PRED2(Contains, msg, "set Pir >= Cir");

    t = make("SrTcm");
    t->SetAttribute("Ebs", UintegerValue(0));
    msg = ErrorOf([&] { cond->AddTca(t); });
    EXPECT_PRED2(Contains, msg, "attribute Ebs is 0 bytes");
    EXPECT_PRED2(Contains, msg, "set Ebs between the largest packet size");

    t = make("TokenBucket");
    t->SetAttribute("Cbs", UintegerValue(0));
    EXPECT_PRED2(Contains, ErrorOf([&] { cond->AddTca(t); }), "attribute Cbs is 0 bytes");

    t = make("SrTcm");
    t->SetAttribute("YellowDscp", StringValue("AF52"));
    msg = ErrorOf([&] { cond->AddTca(t); });
    EXPECT_PRED2(Contains, msg, "attribute YellowDscp: unknown DiffServ codepoint 'AF52'");
    EXPECT_PRED2(Contains, msg, "AF11..AF43");

    t = make("SrTcm");
    t->SetAttribute("GreenDscp", StringValue(""));
    EXPECT_PRED2(Contains,
                 ErrorOf([&] { cond->AddTca(t); }),
                 "GreenAction is Remark but GreenDscp is empty");

    t = make("SrTcm");
    t->SetAttribute("Cir", StringValue("0bps"));
    EXPECT_PRED2(Contains, ErrorOf([&] { cond->AddTca(t); }), "attribute Cir is 0bps");

    t = make("Tsw3cm");
    t->SetAttribute("Pir", StringValue("100kbps"));
    EXPECT_PRED2(Contains, ErrorOf([&] { cond->AddTca(t); }), "is above Pir (100kbps)");

    t = make("SrTcm");
    t->SetAttribute("Match", StringValue("dst=10.0.0.300"));
    EXPECT_PRED2(Contains,
                 ErrorOf([&] { cond->AddTca(t); }),
                 "TCA 'silver': attribute Match: multi-field classifier rule");

    EXPECT_EQ(cond->GetNTcas(), 0u) << "nothing was added by a refused agreement";
    EXPECT_EQ(cond->GetClassifier()->GetNRules(), 0u);
    EXPECT_NO_THROW(cond->AddTca(make("Tsw2cm")));
}

// A real point-to-point link: node 0's root disc is a GenesisPhbQueueDisc with
// a conditioner (token bucket 3000 B at 80 kbit/s over a 40-packet burst of
// 1000-byte packets at t = 1 s: 3 green, 37 red; green -> AF21, red -> AF23).
// Node 1's device sees the frames on the wire (MacRx: PPP header included):
// parse each IPv4 header with its checksum verified.
TEST_F(DiffServWire, DscpRewrittenOnTheWire)
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    TrafficControlHelper tch;
    tch.SetRootQueueDisc("ns3::GenesisPhbQueueDisc");
    QueueDiscContainer qd = tch.Install(devs.Get(0));
    Ipv4AddressHelper addr("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addr.Assign(devs);

    auto tca = CreateObjectWithAttributes<GenesisTrafficConditioningAgreement>(
        "Match",
        StringValue("proto=udp dport=9"),
        "Meter",
        StringValue("TokenBucket"),
        "Cir",
        StringValue("80kbps"),
        "Cbs",
        UintegerValue(3000),
        "GreenDscp",
        StringValue("AF21"),
        "RedDscp",
        StringValue("AF23"),
        "RedAction",
        StringValue("Remark"));
    auto cond = CreateObject<GenesisTrafficConditioner>();
    cond->AddTca(tca);
    Ptr<QueueDisc> phb = qd.Get(0);
    phb->SetAttribute("Conditioner", PointerValue(cond));

    std::map<int, int> wire;
    int badChecksum = 0;
    devs.Get(1)->TraceConnectWithoutContext(
        "MacRx",
        MakeBoundCallback(
            +[](std::map<int, int>* w, int* bad, Ptr<const Packet> p) {
                Ptr<Packet> frame = p->Copy(); // the frame as it crossed the wire
                PppHeader ppp;
                frame->RemoveHeader(ppp);
                if (ppp.GetProtocol() != 0x0021) // PPP's number for IPv4
                {
                    return;
                }
                Ipv4Header h = ReadIpv4(frame);
                *bad += !h.IsChecksumOk();
                ++(*w)[h.GetDscp()];
            },
            &wire,
            &badChecksum));

    Ptr<Socket> sock = Socket::CreateSocket(nodes.Get(0), UdpSocketFactory::GetTypeId());
    sock->Connect(InetSocketAddress(ifs.GetAddress(1), 9));
    // one packet outside the agreement first, so that ARP has resolved by t = 1 s
    // (ns-3's ARP queue holds only 3 packets while it waits)
    Simulator::Schedule(Seconds(0.5), [sock, &ifs]() {
        sock->SendTo(Create<Packet>(100), 0, InetSocketAddress(ifs.GetAddress(1), 10));
    });
    Simulator::Schedule(Seconds(1), [sock]() {
        for (int i = 0; i < 40; ++i)
        {
            sock->Send(Create<Packet>(1000 - 28));
        }
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));

    EXPECT_EQ(wire[Ipv4Header::DSCP_AF21], 3);
    EXPECT_EQ(wire[Ipv4Header::DSCP_AF23], 37);
    EXPECT_EQ(wire[0], 1) << "the ARP warm-up packet, not covered by the agreement";
    EXPECT_EQ(badChecksum, 0);
    Ptr<GenesisPolicer> pol = cond->GetPolicer(0);
    EXPECT_EQ(pol->GetPackets(GenesisMeter::GREEN), 3u);
    EXPECT_EQ(pol->GetPackets(GenesisMeter::RED), 37u);
    // the PHB disc counted them by the rewritten codepoint
    auto disc = DynamicCast<GenesisPhbQueueDisc>(phb);
    EXPECT_EQ(disc->GetCodepointStats(Ipv4Header::DSCP_AF21).dequeuedPackets, 3u);
    EXPECT_EQ(disc->GetCodepointStats(Ipv4Header::DSCP_AF23).dequeuedPackets, 37u);
}
