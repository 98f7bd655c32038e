/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The address-range classifier: traffic of hosts that do not speak the
 * Genesis shim is scheduled in the class of the network that owns its
 * address range.
 */
#include "genesis-test-common.h"

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

class GenesisAddressRange : public GenesisSimTest
{
};

/// A plain host attached to chain node 0 by its own link (no Genesis on it).
struct Host
{
    Ptr<Node> node;
    Ipv4Address addr;
};

Host
AttachHost(Chain& c, const char* subnet)
{
    Host h;
    h.node = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(h.node);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer d = p2p.Install(h.node, c.nodes.Get(0));
    Ipv4AddressHelper a(subnet, "255.255.255.0");
    Ipv4InterfaceContainer ifs = a.Assign(d);
    h.addr = ifs.GetAddress(0);
    return h;
}

/// Throughput (bit/s) of a host's 8 Mbps flood to node 2, with or without the range.
double
HostRate(bool declareRange, double* rootRate)
{
    Chain c;
    BuildChain(c, 3);
    Host h = AttachHost(c, "172.30.0.0");
    Ipv4GlobalRoutingHelper::RecomputeRoutingTables();
    Ptr<VirtualNetwork> cip = TwoEndChild(c, c.root, "cip", "constant", "2Mbps", 0, 2);
    if (declareRange)
    {
        cip->AddAddressRange(Ipv4Address("172.30.0.0"), Ipv4Mask("/24"));
    }
    cip->Spawn();
    Ptr<PacketSink> hostSink = UdpFlow(h.node,
                                       c.nodes.Get(2),
                                       c.Addr(2),
                                       9,
                                       DataRate("8Mbps"),
                                       1000,
                                       Seconds(0.5),
                                       Seconds(5));
    Ptr<PacketSink> rootSink = UdpFlow(c.nodes.Get(0),
                                       c.nodes.Get(2),
                                       c.Addr(2),
                                       10,
                                       DataRate("8Mbps"),
                                       1000,
                                       Seconds(0.5),
                                       Seconds(5));
    uint64_t hostAt1 = 0;
    uint64_t rootAt1 = 0;
    Simulator::Schedule(Seconds(1), [&]() {
        hostAt1 = hostSink->GetTotalRx();
        rootAt1 = rootSink->GetTotalRx();
    });
    uint64_t hostAt5 = 0;
    uint64_t rootAt5 = 0;
    Simulator::Schedule(Seconds(5), [&]() {
        hostAt5 = hostSink->GetTotalRx();
        rootAt5 = rootSink->GetTotalRx();
    });
    Simulator::Stop(Seconds(5.5));
    Simulator::Run();
    *rootRate = (rootAt5 - rootAt1) * 8.0 / 4.0;
    return (hostAt5 - hostAt1) * 8.0 / 4.0;
}

} // namespace

// A host in network 'cip''s address range floods at 8 Mbps through a
// Genesis router: its packets are scheduled in cip's constant class, capped
// at cip's 2 Mbps peak (in IP bytes: 2 Mbps x 1000/1028 of UDP payload);
// without the range the same host shares the root's own class instead.
TEST_F(GenesisAddressRange, NonShimHostTrafficIsScheduledInItsNetworksClass)
{
    double rootWith = 0;
    double hostWith = HostRate(true, &rootWith);
    Simulator::Destroy();
    double rootWithout = 0;
    double hostWithout = HostRate(false, &rootWithout);

    const double payloadShare = 1000.0 / 1028.0; // UDP payload per IP byte
    const double capped = 2e6 * payloadShare;
    EXPECT_LE(hostWith, capped * 1.005 + 1600 * 8 / 4.0) << hostWith;
    EXPECT_GE(hostWith, capped * 0.99) << hostWith;
    // The root's own flood takes the rest of the 10 Mbps link.
    EXPECT_GE(rootWith, (10e6 * 1024.0 / 1030.0 - 2e6) * payloadShare * 0.98) << rootWith;
    // Without the range both floods share the root class: the host gets far more than 2 Mbps.
    EXPECT_GT(hostWithout, 3.5e6) << hostWithout;
}

TEST_F(GenesisAddressRange, OverlappingSiblingRangeIsRefusedAndRolledBack)
{
    Chain c;
    BuildChain(c, 3);
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->AddAddressRange(Ipv4Address("172.30.0.0"), Ipv4Mask("/24"));
    a->Spawn();
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "2Mbps", 0, 2, "172.17.0.0");
    b->AddAddressRange(Ipv4Address("172.30.0.0"), Ipv4Mask("/24"));
    uint64_t residual = c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate();
    try
    {
        b->Spawn();
        ADD_FAILURE() << "overlapping range admitted";
    }
    catch (const GenesisError& e)
    {
        std::string what = e.what();
        EXPECT_NE(what.find("'b'"), std::string::npos) << what;
        EXPECT_NE(what.find("172.30.0.0/24"), std::string::npos) << what;
    }
    EXPECT_EQ(b->GetState(), VirtualNetwork::DEFINED);
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate(), residual);
    EXPECT_FALSE(c.root->GetArbitrator(c.Fwd(0))->HasNetworkClass(b->GetId()));
    // a's own mapping survived b's rollback; after a's teardown b fits.
    a->Teardown();
    b->Spawn();
    EXPECT_EQ(b->GetState(), VirtualNetwork::SPAWNED);
    ASSERT_THROW(b->AddAddressRange(Ipv4Address("10.0.0.0"), Ipv4Mask("/8")), GenesisError);
}

TEST_F(GenesisAddressRange, NonPrefixMaskIsRefused)
{
    Chain c;
    BuildChain(c, 2);
    Ptr<VirtualNetwork> a = c.genesis.CreateNetwork(c.root, "a", "controlled", "1Mbps");
    try
    {
        a->AddAddressRange(Ipv4Address("172.30.0.0"), Ipv4Mask("255.0.255.0"));
        ADD_FAILURE() << "non-contiguous mask accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("'a'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("255.0.255.0"), std::string::npos);
    }
}
