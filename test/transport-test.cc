/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Transport environment: child networks carried over label-switched virtual
 * links, their encapsulation on the wire, and isolation between siblings.
 */
#include "genesis-test-common.h"

#include "ns3/flow-monitor-module.h"
#include "ns3/pcap-file.h"

#include <cstdio>
#include <sstream>
#include <unistd.h>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisTransport : public GenesisSimTest
{
};

uint32_t g_echoReplies = 0;

void
CountEcho(Ptr<const Packet>)
{
    ++g_echoReplies;
}

} // namespace

// UdpEcho between two child routelets three physical hops apart: the child's
// ordinary ns-3 stack and applications run unchanged over the virtual link,
// and the two middle routers label-switch every packet.
TEST_F(GenesisTransport, ChildRunsUnmodifiedUdpEchoOverLabelSwitchedPath)
{
    Chain c;
    BuildChain(c, 4);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "child", "controlled", "2Mbps", 0, 3);
    net->Spawn();
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);

    Ptr<Node> a = net->GetRoutelets()[0]->GetNode();
    Ptr<Node> b = net->GetRoutelets()[1]->GetNode();
    EXPECT_NE(a, c.nodes.Get(0)) << "a child routelet is a node of its own";
    EXPECT_EQ(a->GetSystemId(), c.nodes.Get(0)->GetSystemId());

    UdpEchoServerHelper server(9);
    server.Install(b).Start(Seconds(0));
    UdpEchoClientHelper client(EndB(net), 9);
    client.SetAttribute("MaxPackets", UintegerValue(5));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(100)));
    ApplicationContainer ca = client.Install(a);
    ca.Start(Seconds(1));
    g_echoReplies = 0;
    ca.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&CountEcho));

    uint32_t transit[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < 4; ++i)
    {
        c.nodes.Get(i)->GetObject<GenesisL4Protocol>()->TraceConnectWithoutContext(
            "Transit",
            MakeBoundCallback(
                +[](uint32_t* n, Ptr<const Packet>, uint32_t) { ++*n; },
                &transit[i]));
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    EXPECT_EQ(g_echoReplies, 5u);
    // 5 requests and 5 replies cross each middle router.
    EXPECT_EQ(transit[1], 10u);
    EXPECT_EQ(transit[2], 10u);
    EXPECT_EQ(transit[0], 0u);
    EXPECT_EQ(transit[3], 0u);
}

// The encapsulation is real bytes on the wire: each child packet crosses a
// physical link as PPP(2) + IPv4(20) + shim(8 + 2 per label) + child packet.
TEST_F(GenesisTransport, EncapsulationBytesCountOnTheWire)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "child", "controlled", "2Mbps", 0, 1);
    Ptr<VirtualNetwork> grand = c.genesis.CreateNetwork(net, "grand", "controlled", "1Mbps");
    grand->SetAttribute("Ipv4Base", Ipv4AddressValue("172.20.0.0"));
    Ptr<Routelet> g0 = grand->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> g1 = grand->AddRoutelet(c.nodes.Get(1));
    grand->AddLink(g0, g1);
    net->Spawn();
    grand->Spawn();

    std::vector<uint32_t> wire;
    c.Fwd(0)->TraceConnectWithoutContext(
        "PhyTxBegin",
        MakeBoundCallback(
            +[](std::vector<uint32_t>* w, Ptr<const Packet> p) { w->push_back(p->GetSize()); },
            &wire));
    // One 100-byte UDP payload in the child, one in the grandchild.
    UdpFlow(net->GetRoutelets()[0]->GetNode(),
            net->GetRoutelets()[1]->GetNode(),
            EndB(net),
            9,
            DataRate("8kbps"),
            100,
            Seconds(1),
            Seconds(1.15)); // OnOff's first packet leaves one interval (0.1 s) after start
    UdpFlow(grand->GetRoutelets()[0]->GetNode(),
            grand->GetRoutelets()[1]->GetNode(),
            EndB(grand),
            9,
            DataRate("8kbps"),
            100,
            Seconds(2),
            Seconds(2.15));
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    ASSERT_EQ(wire.size(), 2u);
    const uint32_t child = 100 + 8 + 20; // UDP payload + UDP + child IPv4
    EXPECT_EQ(wire[0], 2u + 20 + (8 + 2) + child);
    EXPECT_EQ(wire[1], 2u + 20 + (8 + 4) + child);
}

// Two siblings with the SAME address space on the same hosts: each sink sees
// only its own network's packets (told apart by size), and the demultiplexor
// refuses a forged packet carrying one network's link id with the other's label.
TEST_F(GenesisTransport, NoPacketOfOneNetworkReachesAnotherNetworksPort)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "3Mbps", 0, 2);
    a->Spawn();
    b->Spawn();
    ASSERT_EQ(EndB(a), EndB(b)) << "the test needs overlapping child address spaces";

    Ptr<PacketSink> sinkA = UdpFlow(a->GetRoutelets()[0]->GetNode(),
                                    a->GetRoutelets()[1]->GetNode(),
                                    EndB(a),
                                    9,
                                    DataRate("1Mbps"),
                                    500,
                                    Seconds(1),
                                    Seconds(2));
    Ptr<PacketSink> sinkB = UdpFlow(b->GetRoutelets()[0]->GetNode(),
                                    b->GetRoutelets()[1]->GetNode(),
                                    EndB(b),
                                    9,
                                    DataRate("1Mbps"),
                                    700,
                                    Seconds(1),
                                    Seconds(2));
    std::map<uint32_t, uint32_t> sizesA;
    std::map<uint32_t, uint32_t> sizesB;
    auto count = +[](std::map<uint32_t, uint32_t>* m, Ptr<const Packet> p, const Address&) {
        (*m)[p->GetSize()]++;
    };
    sinkA->TraceConnectWithoutContext("Rx", MakeBoundCallback(count, &sizesA));
    sinkB->TraceConnectWithoutContext("Rx", MakeBoundCallback(count, &sizesB));

    uint32_t sentA = 0;
    uint32_t sentB = 0;
    auto countTx = +[](uint32_t* n, Ptr<const Packet>) { ++*n; };
    a->GetRoutelets()[0]->GetNode()->GetApplication(0)->TraceConnectWithoutContext(
        "Tx",
        MakeBoundCallback(countTx, &sentA));
    b->GetRoutelets()[0]->GetNode()->GetApplication(0)->TraceConnectWithoutContext(
        "Tx",
        MakeBoundCallback(countTx, &sentB));

    // A forged packet: a's virtual link id and direction, b's label.
    std::vector<std::string> reasons;
    for (uint32_t i = 0; i < 3; ++i)
    {
        c.nodes.Get(i)->GetObject<GenesisL4Protocol>()->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(
                +[](std::vector<std::string>* r,
                    Ptr<const Packet>,
                    uint32_t,
                    const std::string& why) { r->push_back(why); },
                &reasons));
    }
    Simulator::Schedule(Seconds(2.5), [&]() {
        Ptr<Packet> p = Create<Packet>(300);
        GenesisShimHeader shim;
        shim.SetLabels(b->GetLabels());
        shim.SetVirtualLinkId(a->GetLinks().front()->GetId());
        shim.SetReverse(false);
        p->AddHeader(shim);
        Ptr<Ipv4Route> r = Create<Ipv4Route>();
        r->SetSource(c.Addr(0));
        r->SetGateway(c.Addr(1));
        r->SetDestination(c.Addr(1));
        r->SetOutputDevice(c.Fwd(0));
        // n1 holds a transit entry for a's link and must refuse b's label.
        c.nodes.Get(0)->GetObject<GenesisL4Protocol>()->SendOnHop(p, GenesisL4Protocol::Hop{r});
    });
    uint64_t rxBefore = 0;
    Simulator::Schedule(Seconds(2.4), [&]() {
        rxBefore = a->GetLinks().front()->GetPortB()->GetRxPackets() +
                   b->GetLinks().front()->GetPortB()->GetRxPackets();
    });
    uint64_t rxAfter = 0;
    Simulator::Schedule(Seconds(2.9), [&]() {
        rxAfter = a->GetLinks().front()->GetPortB()->GetRxPackets() +
                  b->GetLinks().front()->GetPortB()->GetRxPackets();
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    ASSERT_EQ(sizesA.size(), 1u);
    ASSERT_EQ(sizesB.size(), 1u);
    EXPECT_EQ(sizesA.begin()->first, 500u);
    EXPECT_EQ(sizesB.begin()->first, 700u);
    EXPECT_GE(sentA, 249u);                   // 1 Mbps of 500-byte packets for 1 s
    EXPECT_GE(sentB, 178u);                   // 1 Mbps of 700-byte packets for 1 s
    EXPECT_EQ(sizesA.begin()->second, sentA); // nothing lost, nothing foreign
    EXPECT_EQ(sizesB.begin()->second, sentB);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0], GenesisL4Protocol::DROP_LABEL_MISMATCH);
    EXPECT_EQ(rxAfter, rxBefore);
}

namespace
{
/// Bytes per network id dequeued by an arbitrator after \p from.
struct ClassMeter
{
    Time from;
    std::map<uint32_t, uint64_t> bytes;
    Time maxSojourn[2]; // for network ids watched
    uint32_t watched[2] = {0, 0};
};

void
MeterDequeue(ClassMeter* m, uint32_t id, Ptr<const QueueDiscItem> item)
{
    if (Simulator::Now() < m->from)
    {
        return;
    }
    m->bytes[id] += item->GetSize();
    for (int k = 0; k < 2; ++k)
    {
        if (id == m->watched[k])
        {
            m->maxSojourn[k] = std::max(m->maxSojourn[k], Simulator::Now() - item->GetTimeStamp());
        }
    }
}
} // namespace

// A child sending 10x its allocation: the sibling keeps >= 99% of its
// guaranteed rate (the delay bound is the next test).
TEST_F(GenesisTransport, FloodingSiblingLowersNoSiblingsGuaranteedThroughput)
{
    Chain c;
    BuildChain(c, 3);
    // Root traffic too, so the link is contended by three classes.
    Ptr<VirtualNetwork> quiet = TwoEndChild(c, c.root, "quiet", "controlled", "3Mbps", 0, 2);
    Ptr<VirtualNetwork> noisy =
        TwoEndChild(c, c.root, "noisy", "controlled", "3Mbps", 0, 2, "172.17.0.0");
    quiet->Spawn();
    noisy->Spawn();

    // "backlogged" sibling: offers 2x its allocation; measured at the arbitrator.
    UdpFlow(quiet->GetRoutelets()[0]->GetNode(),
            quiet->GetRoutelets()[1]->GetNode(),
            EndB(quiet),
            9,
            DataRate("6Mbps"),
            1000,
            Seconds(0.5),
            Seconds(6));
    UdpFlow(noisy->GetRoutelets()[0]->GetNode(),
            noisy->GetRoutelets()[1]->GetNode(),
            EndB(noisy),
            9,
            DataRate("30Mbps"),
            1000,
            Seconds(0.5),
            Seconds(6));
    UdpFlow(c.nodes.Get(0),
            c.nodes.Get(2),
            c.Addr(2),
            10,
            DataRate("8Mbps"),
            1000,
            Seconds(0.5),
            Seconds(6));

    ClassMeter m;
    m.from = Seconds(2);
    c.root->GetArbitrator(c.Fwd(0))->TraceConnectWithoutContext(
        "ClassDequeue",
        MakeBoundCallback(&MeterDequeue, &m));
    Simulator::Stop(Seconds(6));
    Simulator::Run();

    const double window = 4.0;
    const double quietBps = m.bytes[quiet->GetId()] * 8.0 / window;
    const double noisyBps = m.bytes[noisy->GetId()] * 8.0 / window;
    EXPECT_GE(quietBps, 0.99 * 3e6) << "quiet got " << quietBps;
    // The flooder gets its own guarantee (and borrows nothing: the root's
    // best-effort class is backlogged and takes the rest).
    EXPECT_GE(noisyBps, 0.99 * 3e6);
    EXPECT_LE(noisyBps, 1.01 * 3e6);
}

// A conforming sibling's queueing delay at the shared link stays within the
// WF2Q+ bound  D <= sigma/r + Lmax/C  (Bennett & Zhang 1997), plus one Lmax/C
// for the non-preemptive one-packet device queue, while a sibling floods at 10x.
TEST_F(GenesisTransport, QueueingDelayOfConformingSiblingStaysWithinWf2qBound)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> quiet = TwoEndChild(c, c.root, "quiet", "controlled", "2Mbps", 0, 2);
    Ptr<VirtualNetwork> noisy =
        TwoEndChild(c, c.root, "noisy", "controlled", "2Mbps", 0, 2, "172.17.0.0");
    quiet->Spawn();
    noisy->Spawn();
    // Quiet conforms: CBR at 90% of its rate in wire bytes (sigma = one packet).
    const uint32_t payload = 1000;
    const uint32_t ipBytes = payload + 8 + 20 + 20 + 10; // UDP, child IP, outer IP, shim
    UdpFlow(quiet->GetRoutelets()[0]->GetNode(),
            quiet->GetRoutelets()[1]->GetNode(),
            EndB(quiet),
            9,
            DataRate(static_cast<uint64_t>(0.9 * 2e6 * payload / ipBytes)),
            payload,
            Seconds(0.5),
            Seconds(5));
    UdpFlow(noisy->GetRoutelets()[0]->GetNode(),
            noisy->GetRoutelets()[1]->GetNode(),
            EndB(noisy),
            9,
            DataRate("20Mbps"),
            payload,
            Seconds(0.5),
            Seconds(5));
    UdpFlow(c.nodes.Get(0),
            c.nodes.Get(2),
            c.Addr(2),
            10,
            DataRate("20Mbps"),
            payload,
            Seconds(0.5),
            Seconds(5));

    ClassMeter m;
    m.from = Seconds(1);
    m.watched[0] = quiet->GetId();
    m.watched[1] = noisy->GetId();
    c.root->GetArbitrator(c.Fwd(0))->TraceConnectWithoutContext(
        "ClassDequeue",
        MakeBoundCallback(&MeterDequeue, &m));
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    const double lmax = 1058 * 8.0; // bits, largest packet in the arbitrator
    const double bound = lmax / 2e6 + lmax / 10e6 + lmax / 10e6;
    EXPECT_GT(m.bytes[quiet->GetId()], 0u);
    EXPECT_LE(m.maxSojourn[0].GetSeconds(), bound)
        << "max queueing delay " << m.maxSojourn[0].GetSeconds() * 1e3 << " ms, bound "
        << bound * 1e3 << " ms";
    // The flooder itself queues far beyond the bound: the bound is not trivially met.
    EXPECT_GT(m.maxSojourn[1].GetSeconds(), 5 * bound);
}

// Child routelet ports can be traced like any ns-3 device: pcap files (raw
// IPv4) of a network's ports start when the network spawns and hold its packets.
TEST_F(GenesisTransport, PcapOfChildPortsRecordsTheChildsPackets)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> net = TwoEndChild(c, c.root, "traced", "controlled", "2Mbps", 0, 2);
    std::string prefix = "/tmp/genesis-test-pcap-" + std::to_string(::getpid());
    c.genesis.EnablePcapNetwork(prefix, net);
    c.genesis.Spawn(Seconds(0.5), net);
    Ptr<PacketSink> sink;
    Simulator::Schedule(Seconds(0.6), [&]() {
        sink = UdpFlow(net->GetRoutelets()[0]->GetNode(),
                       net->GetRoutelets()[1]->GetNode(),
                       EndB(net),
                       9,
                       DataRate("80kbps"),
                       100,
                       Seconds(0),
                       Seconds(0.95));
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    std::vector<std::string> files;
    for (int e = 0; e < 2; ++e)
    {
        Ptr<Routelet> r = net->GetRoutelets()[e];
        std::ostringstream fn;
        fn << prefix << "-traced-" << r->GetNode()->GetId() << "-"
           << r->GetPorts().front()->GetIfIndex() << ".pcap";
        files.push_back(fn.str());
    }
    const uint64_t received = sink->GetTotalRx() / 100;
    ASSERT_GT(received, 80u); // 100 packets/s for 0.95 s, none lost
    Simulator::Destroy();     // closes (flushes) the pcap files
    // End A's file holds what it sent, end B's what it received: 100 + 8 + 20 bytes each.
    for (const auto& fn : files)
    {
        PcapFile f;
        f.Open(fn, std::ios::in);
        ASSERT_FALSE(f.Fail()) << fn;
        EXPECT_EQ(f.GetDataLinkType(), PcapHelper::DLT_RAW);
        uint8_t buf[2048];
        uint32_t sec, usec, incl, orig, read;
        uint32_t n = 0;
        while (true)
        {
            f.Read(buf, sizeof(buf), sec, usec, incl, orig, read);
            if (f.Eof() || f.Fail())
            {
                break;
            }
            EXPECT_EQ(orig, 128u);
            EXPECT_EQ(buf[0] >> 4, 4) << "raw IPv4";
            ++n;
        }
        EXPECT_EQ(n, received) << fn;
        f.Close();
        std::remove(fn.c_str());
    }
}

// A child runs an unmodified ns-3 routing protocol (RIP) over its ports:
// three routelets in a line learn the far /30 and carry UdpEcho end to end.
TEST_F(GenesisTransport, ChildRunsRipOverItsPorts)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> net = c.genesis.CreateNetwork(c.root, "rip", "controlled", "1Mbps");
    RipHelper rip;
    net->SetRoutingHelper(rip);
    Ptr<Routelet> r0 = net->AddRoutelet(c.nodes.Get(0));
    Ptr<Routelet> r1 = net->AddRoutelet(c.nodes.Get(1));
    Ptr<Routelet> r2 = net->AddRoutelet(c.nodes.Get(2));
    net->AddLink(r0, r1);
    net->AddLink(r1, r2);
    net->Spawn();
    // Without routes the far subnet (link 1, 172.16.0.4/30) is unknown to r0
    // until RIP has spoken.
    Ipv4Address far(net->GetLinks()[1]->GetSubnet().Get() + 2);
    UdpEchoServerHelper server(9);
    server.Install(r2->GetNode()).Start(Seconds(0));
    UdpEchoClientHelper client(far, 9);
    client.SetAttribute("MaxPackets", UintegerValue(5));
    client.SetAttribute("Interval", TimeValue(Seconds(1)));
    ApplicationContainer ca = client.Install(r0->GetNode());
    ca.Start(Seconds(40)); // RIP's first unsolicited updates within 30 s
    g_echoReplies = 0;
    ca.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&CountEcho));
    Simulator::Stop(Seconds(50));
    Simulator::Run();
    EXPECT_EQ(g_echoReplies, 5u);
    Ptr<Ipv4> ipv4 = r0->GetNode()->GetObject<Ipv4>();
    Ptr<Ipv4Route> route;
    Ipv4Header h;
    h.SetDestination(far);
    Socket::SocketErrno err;
    route = ipv4->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
    ASSERT_TRUE(route);
    EXPECT_EQ(route->GetGateway(), Ipv4Address(net->GetLinks()[0]->GetSubnet().Get() + 2));
}

// PeekLabel never reads past its buffer: levels beyond what a shim can carry
// are "no label", whatever the packet holds.
TEST_F(GenesisTransport, PeekLabelRefusesLevelsNoShimCarries)
{
    Ptr<Packet> p = Create<Packet>(600);
    GenesisShimHeader shim;
    shim.SetLabels({7, 8, 9});
    p->AddHeader(shim);
    EXPECT_EQ(GenesisShimHeader::PeekLabel(p, 0), 7);
    EXPECT_EQ(GenesisShimHeader::PeekLabel(p, 2), 9);
    EXPECT_EQ(GenesisShimHeader::PeekLabel(p, 3), -1);
    EXPECT_EQ(GenesisShimHeader::PeekLabel(p, GenesisShimHeader::MAX_DEPTH), -1);
    EXPECT_EQ(GenesisShimHeader::PeekLabel(p, 200), -1);
}
