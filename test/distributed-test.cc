/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Distributed mode, the parts a sequential run can exercise: which nodes a
 * rank simulates, and the life-cycle server's behaviour on a rank that does
 * not simulate the server's node (it registers the replicated spawn, sends
 * nothing, and ends it when the deciding rank's OUTCOME arrives — as a
 * packet, at a constructor). The MPI runs themselves (1, 2, 3 ranks with
 * identical results) are utils/check-distributed.sh, run by the in-tree check.
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
    std::string path = ::testing::TempDir() + "/dist-" + name;
    std::ofstream out(path);
    out << text;
    return path;
}

/// A child with routelets on nodes 1 and 3 joined by one link.
std::string
Profile(const std::string& name, const std::string& space, const std::string& rate)
{
    return "schema_version: 1\nname: " + name + "\nparent: root\naddress_space: " + space +
           "\ncapacity: {class: controlled, rate: " + rate +
           "}\ntopology:\n  routelets: [{name: a, node: 1}, {name: b, node: 3}]\n"
           "  links: [{name: ab, ends: [a, b]}]\n";
}

class DistributedTest : public GenesisSimTest
{
  protected:
    /// n0 - n1 - n2 - n3, n0 on "rank 1" (system id 1), the rest on rank 0
    /// (this sequential run's rank); the life-cycle server on n0.
    void Build()
    {
        m_c.nodes.Add(CreateObject<Node>(1));
        m_c.nodes.Create(3);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("2ms"));
        InternetStackHelper stack;
        stack.Install(m_c.nodes);
        Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
        for (uint32_t i = 0; i + 1 < m_c.nodes.GetN(); ++i)
        {
            m_c.links.push_back(p2p.Install(m_c.nodes.Get(i), m_c.nodes.Get(i + 1)));
            addr.Assign(m_c.links.back());
            addr.NewNetwork();
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        m_c.root = m_c.genesis.Install(m_c.nodes);
        m_c.genesis.GetSpawner()->SetAttribute("SpawnMode", EnumValue(GenesisSpawner::PACKETS));
        m_c.genesis.SetLifecycleServer(m_c.nodes.Get(0));
        m_server = m_c.genesis.InstallControlPlane();
        m_server->TraceConnectWithoutContext(
            "ControlTx",
            MakeCallback(+[](uint32_t* n, const GenesisControlHeader&, Ipv4Address) {
                ++*n;
            }).Bind(&m_sent));
        m_c.genesis.GetSpawner()->TraceConnectWithoutContext(
            "SpawnFailed",
            MakeCallback(+[](std::vector<std::string>* v,
                             const std::string& n,
                             const std::string& r) {
                v->push_back(n + ": " + r);
            }).Bind(&m_failed));
    }

    Chain m_c;
    Ptr<GenesisLifecycleServer> m_server;
    uint32_t m_sent = 0;
    std::vector<std::string> m_failed;
};

TEST(GenesisDistributed, SequentialRunSimulatesEveryNodeOfRankZeroOnly)
{
    Ptr<Node> here = CreateObject<Node>(0);
    Ptr<Node> there = CreateObject<Node>(2);
    EXPECT_FALSE(GenesisDistributed::IsDistributed());
    EXPECT_EQ(GenesisDistributed::GetRank(), 0U);
    EXPECT_EQ(GenesisDistributed::GetImplementationName(), "ns3::DefaultSimulatorImpl");
    EXPECT_TRUE(GenesisDistributed::IsLocal(here));
    EXPECT_FALSE(GenesisDistributed::IsLocal(there));
    EXPECT_FALSE(GenesisDistributed::IsLocal(nullptr));
    EXPECT_NO_THROW(GenesisDistributed::RefuseIfDistributed("x", "y"));
    Simulator::Destroy();
}

TEST_F(DistributedTest, ServerOnAnotherRankSendsNothingAndCommitsOnItsOutcome)
{
    Build();
    std::string path = WriteProfile("commit.yaml", Profile("c1", "172.20.0.0/24", "2Mbps"));
    m_c.genesis.Spawn(Seconds(1), path);
    Ptr<VirtualNetwork> net;
    bool appliedUnknown = true;
    bool applied = false;
    Simulator::Schedule(Seconds(2), [&]() {
        net = m_c.root->FindNetwork("c1");
        // Replicated: defined and reserved here, waiting for the deciding rank.
        ASSERT_TRUE(net);
        EXPECT_TRUE(net->IsSpawning());
        EXPECT_EQ(net->GetState(), VirtualNetwork::DEFINED);
        EXPECT_EQ(net->GetReservedRate(m_c.Fwd(1)).GetBitRate(), 2000000U);
        appliedUnknown = m_server->ApplyOutcome(99, true);
        applied = m_server->ApplyOutcome(1, true);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(m_sent, 0U) << "only the rank that simulates the server's node sends CONSTRUCT";
    EXPECT_FALSE(appliedUnknown);
    EXPECT_TRUE(applied);
    ASSERT_TRUE(net);
    EXPECT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    for (Ptr<Routelet> r : net->GetRoutelets())
    {
        EXPECT_TRUE(r->GetNode()) << "routelet on node " << r->GetHost()->GetId();
    }
    EXPECT_TRUE(m_failed.empty());
}

TEST_F(DistributedTest, FailedOutcomeRollsTheReplicatedSpawnBack)
{
    Build();
    std::string path = WriteProfile("abort.yaml", Profile("c2", "172.21.0.0/24", "3Mbps"));
    m_c.genesis.Spawn(Seconds(1), path);
    Simulator::Schedule(Seconds(2), [&]() { m_server->ApplyOutcome(1, false); });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Ptr<VirtualNetwork> net = m_c.root->FindNetwork("c2");
    EXPECT_TRUE(!net || net->GetState() != VirtualNetwork::SPAWNED);
    ASSERT_EQ(m_failed.size(), 1U);
    EXPECT_NE(m_failed[0].find("rank 1"), std::string::npos) << m_failed[0];
    // Nothing stays reserved on the parent.
    EXPECT_EQ(m_c.root->GetArbitrator(m_c.Fwd(1))->GetNClasses(), 1U);
}

TEST_F(DistributedTest, ConstructorAppliesAnOutcomePacketAndAcknowledgesIt)
{
    Build();
    std::string path = WriteProfile("pkt.yaml", Profile("c3", "172.22.0.0/24", "1Mbps"));
    m_c.genesis.Spawn(Seconds(1), path);
    // Stand-in for the deciding rank's server: a UDP socket sends the OUTCOME
    // (status OK) to n3's constructor over the chain. From n1: ns-3's global
    // routing computes routes for this rank's nodes only, so n0 (rank 1) has
    // none here.
    Ptr<Socket> s = Socket::CreateSocket(m_c.nodes.Get(1), UdpSocketFactory::GetTypeId());
    s->Bind();
    std::vector<GenesisControlHeader> answers;
    s->SetRecvCallback(MakeCallback(+[](std::vector<GenesisControlHeader>* v, Ptr<Socket> sock) {
                           Ptr<Packet> p;
                           while ((p = sock->Recv()))
                           {
                               GenesisControlHeader h;
                               p->RemoveHeader(h);
                               v->push_back(h);
                           }
                       }).Bind(&answers));
    Simulator::Schedule(Seconds(2), [&]() {
        GenesisControlHeader h;
        h.SetType(GenesisControlHeader::OUTCOME);
        h.SetStatus(GenesisControlHeader::OK);
        h.SetTransaction(1);
        h.SetHost(3);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        s->SendTo(p, 0, InetSocketAddress(m_c.Addr(3), 9253));
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Ptr<VirtualNetwork> net = m_c.root->FindNetwork("c3");
    ASSERT_TRUE(net);
    EXPECT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    ASSERT_EQ(answers.size(), 1U);
    EXPECT_EQ(answers[0].GetType(), GenesisControlHeader::OUTCOME_ACK);
    EXPECT_EQ(answers[0].GetTransaction(), 1U);
    EXPECT_EQ(answers[0].GetHost(), 3U);
}

} // namespace
} // namespace genesis_test
} // namespace ns3
