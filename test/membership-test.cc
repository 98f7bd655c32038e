/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * End hosts attached by access links, and membership enforced at the edge.
 */
#include "genesis-test-common.h"

namespace ns3
{
namespace genesis_test
{
namespace
{

class MembershipTest : public GenesisSimTest
{
};

void
Drop(std::vector<std::string>* reasons, Ptr<const Packet>, const std::string& reason)
{
    reasons->push_back(reason);
}

TEST_F(MembershipTest, MemberReachesTheOtherEndNonMemberIsDroppedAtTheEdge)
{
    Chain c;
    BuildChain(c, 5); // hosts on nodes 0 and 4, routelets on 1 and 3
    // The verifier refuses a profile that attaches a non-member, so a host
    // outside the membership is attached here through the API.
    Ptr<VirtualNetwork> net = c.genesis.CreateNetwork(c.root, "club", "controlled", "2Mbps");
    net->SetAttribute("Ipv4Base", Ipv4AddressValue("172.20.0.0"));
    Ptr<Routelet> ra = net->AddRoutelet(c.nodes.Get(1));
    Ptr<Routelet> rb = net->AddRoutelet(c.nodes.Get(3));
    net->AddLink(ra, rb);
    net->AddEndHost("in", c.nodes.Get(0), ra, Ipv4Address("172.20.1.1"));
    net->AddEndHost("out", c.nodes.Get(4), rb, Ipv4Address("172.20.2.1"));
    net->AddMember(c.nodes.Get(0));
    net->Spawn();
    ASSERT_EQ(net->GetEndHosts().size(), 2U);
    EXPECT_EQ(net->GetEndHosts()[0].address, Ipv4Address("172.20.1.1"));
    // The access links are reserved like any link: 2 Mbit/s on node 0's device.
    EXPECT_EQ(net->GetReservedRate(c.Fwd(0)), DataRate("2Mbps"));
    std::vector<std::string> reasons;
    net->TraceConnectWithoutContext("MembershipDrop", MakeBoundCallback(&Drop, &reasons));
    // in -> out: crosses access link, child link, access link.
    Ptr<PacketSink> atOut = UdpFlow(c.nodes.Get(0),
                                    c.nodes.Get(4),
                                    Ipv4Address("172.20.2.1"),
                                    9,
                                    DataRate("500kbps"),
                                    500,
                                    Seconds(0.1),
                                    Seconds(1.102));
    // out -> in: refused at out's access port.
    Ptr<PacketSink> atIn = UdpFlow(c.nodes.Get(4),
                                   c.nodes.Get(0),
                                   Ipv4Address("172.20.1.1"),
                                   10,
                                   DataRate("500kbps"),
                                   500,
                                   Seconds(0.1),
                                   Seconds(1.102));
    Simulator::Stop(Seconds(1.5));
    Simulator::Run();
    EXPECT_EQ(atOut->GetTotalRx(), 125U * 500U); // 500 kbit/s of 500-byte packets for 1 s
    EXPECT_EQ(atIn->GetTotalRx(), 0U);
    ASSERT_EQ(reasons.size(), 125U);
    EXPECT_NE(reasons[0].find("end host 'out'"), std::string::npos) << reasons[0];
    EXPECT_NE(reasons[0].find("not a member of virtual network 'club'"), std::string::npos);
    EXPECT_EQ(net->GetEndHosts()[1].link->GetPortB()->GetAdmissionDrops(), 125U);
}

} // namespace
} // namespace genesis_test
} // namespace ns3
