/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Spawning from profiles: policy enforced at admission, the spawner building a
 * child exactly per its profile, module composition, inheritance and rollback.
 */
#include "genesis-test-common.h"

#include <fstream>
#include <string>

namespace ns3
{
namespace genesis_test
{
namespace
{

class PolicyTest : public GenesisSimTest
{
};

TEST_F(PolicyTest, MaxChildrenRefusesTheSpawnBeyondIt)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxChildren", UintegerValue(1));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "1Mbps", 0, 2);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "1Mbps", 0, 2, "172.17.0.0");
    a->Spawn();
    try
    {
        b->Spawn();
        FAIL() << "a second running child was admitted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("MaxChildren"), std::string::npos) << e.what();
    }
    EXPECT_EQ(b->GetState(), VirtualNetwork::DEFINED);
    EXPECT_TRUE(c.root->GetArbitrator(c.Fwd(0))->HasNetworkClass(a->GetId()));
    EXPECT_FALSE(c.root->GetArbitrator(c.Fwd(0))->HasNetworkClass(b->GetId()));
    a->Teardown();
    b->Spawn(); // the slot is free again
    EXPECT_EQ(b->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(PolicyTest, MaxDepthOfEveryAncestorCounts)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxDepth", UintegerValue(1));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "2Mbps", 0, 2);
    a->Spawn();
    Ptr<VirtualNetwork> g = TwoEndChild(c, a, "g", "controlled", "1Mbps", 0, 2, "172.18.0.0");
    try
    {
        g->Spawn();
        FAIL() << "a grandchild was admitted under MaxDepth 1 of the root";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("MaxDepth"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'root'"), std::string::npos) << e.what();
    }
    EXPECT_EQ(g->GetState(), VirtualNetwork::DEFINED);
    c.root->SetAttribute("MaxDepth", UintegerValue(2));
    g->Spawn();
    EXPECT_EQ(g->GetState(), VirtualNetwork::SPAWNED);
}

TEST_F(PolicyTest, MaxChildRateCapsEveryLink)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxChildRate", DataRateValue(DataRate("2Mbps")));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    DataRate before = c.root->GetArbitrator(c.Fwd(0))->GetResidualRate();
    EXPECT_THROW(a->Spawn(), GenesisError);
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate(), before);
    Ptr<VirtualNetwork> b = TwoEndChild(c, c.root, "b", "controlled", "2Mbps", 0, 2, "172.17.0.0");
    b->Spawn();
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(0))->GetResidualRate().GetBitRate(),
              before.GetBitRate() - 2000000);
}

TEST_F(PolicyTest, AllViolationsAreReportedTogether)
{
    Chain c;
    BuildChain(c, 3);
    c.root->SetAttribute("MaxChildren", UintegerValue(0));
    c.root->SetAttribute("MaxDepth", UintegerValue(0));
    c.root->SetAttribute("MaxChildRate", DataRateValue(DataRate("1Mbps")));
    Ptr<VirtualNetwork> a = TwoEndChild(c, c.root, "a", "controlled", "3Mbps", 0, 2);
    EXPECT_EQ(a->CheckPolicy().size(), 3U);
}

} // namespace
} // namespace genesis_test
} // namespace ns3
