/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Control messages as packets: a spawn in Packets mode sends CONSTRUCT
 * requests over the root network's IPv4 to the constructors of the routelet
 * hosts and commits when every ACK is in; latency, phase order, loss with and
 * without retransmission, simultaneous spawns and grandchildren.
 */
#include "genesis-test-common.h"

#include <fstream>
#include <string>
#include <vector>

namespace ns3
{
namespace genesis_test
{
namespace
{

std::string
WriteProfile(const std::string& name, const std::string& text)
{
    std::string path = ::testing::TempDir() + "/cp-" + name;
    std::ofstream out(path);
    out << text;
    return path;
}

/// A profile with routelets on nodes 0 and 3 joined by one link.
std::string
Profile(const std::string& name,
        const std::string& space,
        const std::string& rate,
        const std::string& parent = "root")
{
    return "schema_version: 1\nname: " + name + "\nparent: " + parent +
           "\naddress_space: " + space + "\ncapacity: {class: controlled, rate: " + rate +
           "}\ntopology:\n  routelets: [{name: a, node: 0}, {name: b, node: 3}]\n"
           "  links: [{name: ab, ends: [a, b]}]\n";
}

struct Phase
{
    std::string network;
    std::string phase;
    Time at;
};

class ControlPlaneTest : public GenesisSimTest
{
  protected:
    void Packets(Chain& c)
    {
        c.genesis.GetSpawner()->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::PACKETS));
    }

    void Record(Chain& c)
    {
        c.genesis.GetSpawner()->TraceConnectWithoutContext("SpawnPhase",
                                                           MakeCallback(+[](std::vector<Phase>* v,
                                                                            const std::string& n,
                                                                            const std::string& p,
                                                                            Time t) {
                                                               v->push_back({n, p, t});
                                                           }).Bind(&m_phases));
        c.genesis.GetSpawner()->TraceConnectWithoutContext(
            "SpawnLatency",
            MakeCallback(+[](std::vector<std::pair<std::string, Time>>* v,
                             const std::string& n,
                             Time t) {
                v->push_back({n, t});
            }).Bind(&m_latency));
        c.genesis.GetSpawner()->TraceConnectWithoutContext(
            "SpawnFailed",
            MakeCallback(+[](std::vector<std::pair<std::string, std::string>>* v,
                             const std::string& n,
                             const std::string& r) {
                v->push_back({n, r});
            }).Bind(&m_failed));
    }

    /// One hop of a control message: propagation + transmission of its 46 bytes
    /// (16 control + 8 UDP + 20 IPv4 + 2 PPP) at the link's rate.
    static Time Hop(Chain& c, uint32_t link)
    {
        DataRateValue rate;
        c.Fwd(link)->GetAttribute("DataRate", rate);
        TimeValue delay;
        c.Fwd(link)->GetChannel()->GetAttribute("Delay", delay);
        return delay.Get() + rate.Get().CalculateBytesTxTime(16 + 8 + 20 + 2);
    }

    std::vector<Phase> m_phases;
    std::vector<std::pair<std::string, Time>> m_latency;
    std::vector<std::pair<std::string, std::string>> m_failed;
};

TEST_F(ControlPlaneTest, LatencyIsTheRequestAndAckPathsAndPhasesAreInOrder)
{
    Chain c;
    BuildChain(c, 4, "10Mbps", "2ms");
    Packets(c);
    Record(c);
    c.genesis.Spawn(Seconds(1), WriteProfile("lat.yaml", Profile("lat", "172.20.0.0/24", "2Mbps")));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    Ptr<VirtualNetwork> net = c.root->FindNetwork("lat");
    ASSERT_TRUE(net);
    EXPECT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    // The server sits on node 0: node 0's request is local (loopback, no delay);
    // node 3's goes over 3 hops and its ACK back over 3.
    Time expected = 2 * (Hop(c, 0) + Hop(c, 1) + Hop(c, 2));
    ASSERT_EQ(m_latency.size(), 1u);
    EXPECT_EQ(m_latency[0].first, "lat");
    EXPECT_EQ(m_latency[0].second, expected);
    std::vector<std::string> names;
    for (const auto& p : m_phases)
    {
        names.push_back(p.phase);
    }
    EXPECT_EQ(
        names,
        (std::vector<std::string>{"verify", "reserve", "construct", "bind", "metabus", "commit"}));
    ASSERT_EQ(m_phases.size(), 6u);
    for (std::size_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(m_phases[i].at, Seconds(1)) << m_phases[i].phase;
    }
    for (std::size_t i = 3; i < 6; ++i)
    {
        EXPECT_EQ(m_phases[i].at, Seconds(1) + expected) << m_phases[i].phase;
    }
    EXPECT_TRUE(m_failed.empty());
}

TEST_F(ControlPlaneTest, ControlMessagesAreTheRootsOwnTraffic)
{
    Chain c;
    BuildChain(c, 4);
    Packets(c);
    c.genesis.Spawn(Seconds(1), WriteProfile("own.yaml", Profile("own", "172.20.0.0/24", "2Mbps")));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    Ptr<VirtualNetwork> net = c.root->FindNetwork("own");
    ASSERT_TRUE(net);
    // Node 3 -> node 2 carried exactly one packet, the ACK, while the child's
    // class existed: it went into the root's own class (id 0), not the child's.
    Ptr<ArbitratorQueueDisc> arb = c.root->GetArbitrator(c.Back(2));
    ASSERT_TRUE(arb->HasNetworkClass(net->GetId()));
    EXPECT_EQ(arb->GetNetworkClass(0)->GetQueueDisc()->GetStats().nTotalReceivedPackets, 1u);
    EXPECT_EQ(arb->GetNetworkClass(net->GetId())->GetQueueDisc()->GetStats().nTotalReceivedPackets,
              0u);
    Ptr<ArbitratorQueueDisc> fwd = c.root->GetArbitrator(c.Fwd(0));
    EXPECT_EQ(fwd->GetNetworkClass(0)->GetQueueDisc()->GetStats().nTotalReceivedPackets, 1u);
}

/// Residual rates and class counts of every root arbitrator.
std::vector<std::pair<uint64_t, std::size_t>>
Snapshot(Chain& c)
{
    std::vector<std::pair<uint64_t, std::size_t>> s;
    for (std::size_t i = 0; i < c.links.size(); ++i)
    {
        for (Ptr<NetDevice> d : {c.Fwd(i), c.Back(i)})
        {
            Ptr<ArbitratorQueueDisc> a = c.root->GetArbitrator(d);
            s.emplace_back(a->GetResidualRate().GetBitRate(), a->GetNClasses());
        }
    }
    return s;
}

TEST_F(ControlPlaneTest, LostRequestWithoutRetransmissionRollsBack)
{
    Chain c;
    BuildChain(c, 4);
    Config::SetDefault("ns3::GenesisLifecycleServer::MaxRetransmissions", UintegerValue(0));
    Config::SetDefault("ns3::GenesisLifecycleServer::ConstructTimeout",
                       TimeValue(MilliSeconds(50)));
    Packets(c);
    Record(c);
    Ptr<ReceiveListErrorModel> em = CreateObject<ReceiveListErrorModel>();
    em->SetList({0}); // the first packet node 3 receives: the CONSTRUCT request
    c.Back(2)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    // The arbitrators create their own class when initialized: compare from then.
    std::vector<std::pair<uint64_t, std::size_t>> before;
    Simulator::Schedule(Seconds(0.5), [&]() { before = Snapshot(c); });
    c.genesis.Spawn(Seconds(1),
                    WriteProfile("lost.yaml", Profile("lost", "172.20.0.0/24", "2Mbps")));
    std::vector<std::pair<uint64_t, std::size_t>> during;
    Simulator::Schedule(Seconds(1) + MilliSeconds(10), [&]() { during = Snapshot(c); });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_NE(during, before) << "the reservation was not held while waiting";
    EXPECT_EQ(Snapshot(c), before);
    EXPECT_FALSE(c.root->FindNetwork("lost"));
    ASSERT_EQ(m_failed.size(), 1u);
    EXPECT_EQ(m_failed[0].first, "lost");
    EXPECT_NE(m_failed[0].second.find("no answer to CONSTRUCT from node(s) 3"), std::string::npos)
        << m_failed[0].second;
    EXPECT_TRUE(m_latency.empty());
    ASSERT_FALSE(m_phases.empty());
    EXPECT_EQ(m_phases.back().phase, "abort");
    EXPECT_EQ(m_phases.back().at, Seconds(1) + MilliSeconds(50));
}

TEST_F(ControlPlaneTest, LostRequestIsRetransmittedAfterTheTimeout)
{
    Chain c;
    BuildChain(c, 4);
    Config::SetDefault("ns3::GenesisLifecycleServer::MaxRetransmissions", UintegerValue(1));
    Config::SetDefault("ns3::GenesisLifecycleServer::ConstructTimeout",
                       TimeValue(MilliSeconds(50)));
    Packets(c);
    Record(c);
    Ptr<ReceiveListErrorModel> em = CreateObject<ReceiveListErrorModel>();
    em->SetList({0});
    c.Back(2)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    c.genesis.Spawn(Seconds(1),
                    WriteProfile("retx.yaml", Profile("retx", "172.20.0.0/24", "2Mbps")));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    Ptr<VirtualNetwork> net = c.root->FindNetwork("retx");
    ASSERT_TRUE(net);
    EXPECT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_TRUE(m_failed.empty());
    ASSERT_EQ(m_latency.size(), 1u);
    EXPECT_EQ(m_latency[0].second, MilliSeconds(50) + 2 * (Hop(c, 0) + Hop(c, 1) + Hop(c, 2)));
}

TEST_F(ControlPlaneTest, SimultaneousSpawnsNeverOverAllocate)
{
    Chain c;
    BuildChain(c, 4); // 10 Mbit/s links
    Packets(c);
    Record(c);
    c.genesis.Spawn(Seconds(1), WriteProfile("sa.yaml", Profile("sa", "172.20.0.0/24", "6Mbps")));
    c.genesis.Spawn(Seconds(1), WriteProfile("sb.yaml", Profile("sb", "172.21.0.0/24", "6Mbps")));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_TRUE(c.root->FindNetwork("sa"));
    EXPECT_EQ(c.root->FindNetwork("sa")->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_FALSE(c.root->FindNetwork("sb"));
    ASSERT_EQ(m_failed.size(), 1u);
    EXPECT_EQ(m_failed[0].first, "sb");
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(c.root->GetArbitrator(c.Fwd(i))->GetResidualRate(), DataRate("4Mbps"));
    }
}

TEST_F(ControlPlaneTest, GrandchildIsAdmittedAgainstTheChildsAllocation)
{
    Chain c;
    BuildChain(c, 4);
    Packets(c);
    Record(c);
    c.genesis.Spawn(Seconds(1), WriteProfile("p.yaml", Profile("p", "172.20.0.0/16", "6Mbps")));
    // 4 + 4 > 6 of the child's link although the root has 4 Mbit/s left.
    c.genesis.Spawn(Seconds(2),
                    WriteProfile("g1.yaml", Profile("g1", "172.20.1.0/24", "4Mbps", "p")));
    c.genesis.Spawn(Seconds(2),
                    WriteProfile("g2.yaml", Profile("g2", "172.20.2.0/24", "4Mbps", "p")));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Ptr<VirtualNetwork> p = c.root->FindNetwork("p");
    ASSERT_TRUE(p);
    ASSERT_TRUE(c.root->FindNetwork("g1"));
    EXPECT_EQ(c.root->FindNetwork("g1")->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_EQ(c.root->FindNetwork("g1")->GetParent(), p);
    EXPECT_FALSE(c.root->FindNetwork("g2"));
    ASSERT_EQ(m_failed.size(), 1u);
    EXPECT_EQ(m_failed[0].first, "g2");
    EXPECT_EQ(m_latency.size(), 2u);
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate(), DataRate("4Mbps"));
}

TEST_F(ControlPlaneTest, InstantModeTakesNoTime)
{
    Chain c;
    BuildChain(c, 4);
    c.genesis.GetSpawner()->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::INSTANT));
    Record(c);
    c.genesis.Spawn(Seconds(1), WriteProfile("in.yaml", Profile("in", "172.20.0.0/24", "2Mbps")));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    ASSERT_EQ(m_latency.size(), 1u);
    EXPECT_EQ(m_latency[0].second, Time(0));
    for (const auto& p : m_phases)
    {
        EXPECT_EQ(p.at, Seconds(1)) << p.phase;
    }
}

} // namespace
} // namespace genesis_test
} // namespace ns3
