/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ArbitratorQueueDisc bad input: every refused call throws GenesisError whose
 * message names the arbitrator, the network and the value, and changes nothing.
 */
#include "arbitrator-test-common.h"

#include "ns3/genesis-error.h"

#include <cmath>
#include <functional>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{
using CC = ArbitratorQueueDiscClass;

/// Runs \p f, expects a GenesisError, returns its message.
std::string
ErrorOf(const std::function<void()>& f)
{
    try
    {
        f();
    }
    catch (const GenesisError& e)
    {
        return e.what();
    }
    catch (...)
    {
        return "<other exception>";
    }
    return "<no exception>";
}

/// A named, 10 Mbps arbitrator with an explicit own FIFO class.
Ptr<ArbitratorQueueDisc>
MakeArb(const std::string& name)
{
    Ptr<ArbitratorQueueDisc> q = CreateObject<ArbitratorQueueDisc>();
    q->SetLinkRate(DataRate("10Mbps"));
    Names::Add(name, q);
    q->AddNetworkClass(0, CC::BEST_EFFORT, DataRate(0), 1.0, Fifo());
    return q;
}

class ArbitratorErrors : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        Config::Reset();
    }

    void TearDown() override
    {
        Names::Clear();
        Simulator::Destroy();
    }
};
} // namespace

TEST_F(ArbitratorErrors, DuplicateNetworkId)
{
    auto q = MakeArb("r1");
    q->AddNetworkClass(7, CC::CONTROLLED, DataRate("1Mbps"), 1.0, Fifo());
    std::string m =
        ErrorOf([&] { q->AddNetworkClass(7, CC::CONTROLLED, DataRate("1Mbps"), 1.0, Fifo()); });
    EXPECT_NE(m.find("'r1'"), std::string::npos) << m;
    EXPECT_NE(m.find("network 7"), std::string::npos) << m;
    EXPECT_NE(m.find("already exists"), std::string::npos) << m;
    EXPECT_EQ(q->GetNClasses(), 2u);
    EXPECT_EQ(q->GetGuaranteedRate(), DataRate("1Mbps"));
}

TEST_F(ArbitratorErrors, ZeroRateForGuaranteedClasses)
{
    auto q = MakeArb("r2");
    std::string m =
        ErrorOf([&] { q->AddNetworkClass(3, CC::CONTROLLED, DataRate(0), 1.0, Fifo()); });
    EXPECT_NE(m.find("'r2'"), std::string::npos) << m;
    EXPECT_NE(m.find("network 3"), std::string::npos) << m;
    EXPECT_NE(m.find("controlled rate 0bps"), std::string::npos) << m;
    m = ErrorOf([&] { q->AddNetworkClass(4, CC::CONSTANT, DataRate(0), 1.0, Fifo()); });
    EXPECT_NE(m.find("constant rate 0bps"), std::string::npos) << m;
    EXPECT_FALSE(q->HasNetworkClass(3));
    EXPECT_FALSE(q->HasNetworkClass(4));
}

TEST_F(ArbitratorErrors, NonPositiveBestEffortShare)
{
    auto q = MakeArb("r3");
    for (double share : {0.0, -2.5, std::nan("")})
    {
        std::string m =
            ErrorOf([&] { q->AddNetworkClass(5, CC::BEST_EFFORT, DataRate(0), share, Fifo()); });
        EXPECT_NE(m.find("network 5"), std::string::npos) << m;
        EXPECT_NE(m.find("share"), std::string::npos) << m;
        EXPECT_NE(m.find(share == share ? (share == 0.0 ? "share 0" : "share -2.5") : "nan"),
                  std::string::npos)
            << m;
    }
    EXPECT_EQ(q->GetNClasses(), 1u);
}

TEST_F(ArbitratorErrors, GuaranteedRatesAboveLinkRateNameBothNumbers)
{
    auto q = MakeArb("r4");
    q->AddNetworkClass(1, CC::CONTROLLED, DataRate("6Mbps"), 1.0, Fifo());
    std::string m =
        ErrorOf([&] { q->AddNetworkClass(2, CC::CONSTANT, DataRate("5Mbps"), 1.0, Fifo()); });
    EXPECT_NE(m.find("network 2"), std::string::npos) << m;
    EXPECT_NE(m.find("5000000bps"), std::string::npos) << m;
    EXPECT_NE(m.find("6000000bps"), std::string::npos) << m;
    EXPECT_NE(m.find("11000000bps"), std::string::npos) << m;
    EXPECT_NE(m.find("LinkRate of 10000000bps"), std::string::npos) << m;
    EXPECT_FALSE(q->HasNetworkClass(2));
    EXPECT_EQ(q->GetGuaranteedRate(), DataRate("6Mbps"));
    EXPECT_EQ(q->GetResidualRate(), DataRate("4Mbps"));
}

TEST_F(ArbitratorErrors, NullChildAndSelfAsChild)
{
    auto q = MakeArb("r5");
    std::string m =
        ErrorOf([&] { q->AddNetworkClass(1, CC::CONTROLLED, DataRate("1Mbps"), 1.0, nullptr); });
    EXPECT_NE(m.find("network 1"), std::string::npos) << m;
    EXPECT_NE(m.find("null"), std::string::npos) << m;
    m = ErrorOf([&] { q->AddNetworkClass(1, CC::CONTROLLED, DataRate("1Mbps"), 1.0, q); });
    EXPECT_NE(m.find("nesting cycle"), std::string::npos) << m;
    EXPECT_EQ(q->GetNClasses(), 1u);
}

TEST_F(ArbitratorErrors, NestingCycleThroughAncestor)
{
    auto root = MakeArb("root");
    auto mid = MakeArb("mid");
    auto leaf = MakeArb("leaf");
    mid->SetLinkRate(DataRate("5Mbps"));
    root->AddNetworkClass(1, CC::CONTROLLED, DataRate("5Mbps"), 1.0, mid);
    mid->AddNetworkClass(2, CC::CONTROLLED, DataRate("2Mbps"), 1.0, leaf);
    std::string m =
        ErrorOf([&] { leaf->AddNetworkClass(3, CC::BEST_EFFORT, DataRate(0), 1.0, root); });
    EXPECT_NE(m.find("'leaf'"), std::string::npos) << m;
    EXPECT_NE(m.find("'root'"), std::string::npos) << m;
    EXPECT_NE(m.find("ancestor"), std::string::npos) << m;
    EXPECT_NE(m.find("nesting cycle"), std::string::npos) << m;
    EXPECT_FALSE(leaf->HasNetworkClass(3));
    EXPECT_EQ(root->GetParentArbitrator(), nullptr);
}

TEST_F(ArbitratorErrors, ChildAlreadyAttachedElsewhere)
{
    auto a = MakeArb("a");
    auto b = MakeArb("b");
    auto child = MakeArb("child");
    a->AddNetworkClass(1, CC::CONTROLLED, DataRate("1Mbps"), 1.0, child);
    std::string m =
        ErrorOf([&] { b->AddNetworkClass(1, CC::CONTROLLED, DataRate("1Mbps"), 1.0, child); });
    EXPECT_NE(m.find("'child'"), std::string::npos) << m;
    EXPECT_NE(m.find("already a class child of ArbitratorQueueDisc 'a'"), std::string::npos) << m;
    // the same (non-arbitrator) disc twice in one arbitrator
    Ptr<QueueDisc> fifo = Fifo();
    a->AddNetworkClass(2, CC::BEST_EFFORT, DataRate(0), 1.0, fifo);
    m = ErrorOf([&] { a->AddNetworkClass(3, CC::BEST_EFFORT, DataRate(0), 1.0, fifo); });
    EXPECT_NE(m.find("already serves network 2"), std::string::npos) << m;
    EXPECT_FALSE(b->HasNetworkClass(1));
    EXPECT_FALSE(a->HasNetworkClass(3));
}

TEST_F(ArbitratorErrors, UnknownCapacityClass)
{
    auto q = MakeArb("r6");
    std::string m = ErrorOf([&] {
        q->AddNetworkClass(1, static_cast<CC::CapacityClass>(7), DataRate("1Mbps"), 1.0, Fifo());
    });
    EXPECT_NE(m.find("unknown capacity class 7"), std::string::npos) << m;
}

TEST_F(ArbitratorErrors, RemoveUnknownOrOwnClass)
{
    auto q = MakeArb("r7");
    q->AddNetworkClass(4, CC::CONTROLLED, DataRate("1Mbps"), 1.0, Fifo());
    std::string m = ErrorOf([&] { q->RemoveNetworkClass(99); });
    EXPECT_NE(m.find("'r7'"), std::string::npos) << m;
    EXPECT_NE(m.find("network 99"), std::string::npos) << m;
    EXPECT_NE(m.find("known networks: 0 4"), std::string::npos) << m;
    m = ErrorOf([&] { q->RemoveNetworkClass(0); });
    EXPECT_NE(m.find("own-network class cannot be removed"), std::string::npos) << m;
    EXPECT_EQ(q->GetNClasses(), 2u);
}

TEST_F(ArbitratorErrors, RefusedReprovisionChangesNothing)
{
    auto q = MakeArb("r8");
    Ptr<ArbitratorQueueDiscClass> c1 =
        q->AddNetworkClass(1, CC::CONTROLLED, DataRate("4Mbps"), 1.0, Fifo());
    q->AddNetworkClass(2, CC::CONSTANT, DataRate("4Mbps"), 1.0, Fifo());
    const double w1 = c1->GetWeight();
    // API path
    std::string m = ErrorOf([&] { q->SetNetworkRate(1, DataRate("7Mbps")); });
    EXPECT_NE(m.find("network 1"), std::string::npos) << m;
    EXPECT_NE(m.find("7000000bps"), std::string::npos) << m;
    EXPECT_EQ(c1->GetRate(), DataRate("4Mbps"));
    EXPECT_EQ(q->GetGuaranteedRate(), DataRate("8Mbps"));
    // attribute path: the setter asks the arbitrator, which refuses
    m = ErrorOf([&] { c1->SetAttribute("Rate", DataRateValue(DataRate("9Mbps"))); });
    EXPECT_NE(m.find("9000000bps"), std::string::npos) << m;
    EXPECT_EQ(c1->GetRate(), DataRate("4Mbps"));
    m = ErrorOf([&] { c1->SetAttribute("Rate", DataRateValue(DataRate(0))); });
    EXPECT_NE(m.find("controlled rate 0bps"), std::string::npos) << m;
    m = ErrorOf([&] { c1->SetAttribute("CapacityClass", EnumValue(CC::BEST_EFFORT)); });
    EXPECT_EQ(m, "<no exception>"); // allowed: share 1 is valid
    EXPECT_EQ(q->GetGuaranteedRate(), DataRate("4Mbps"));
    m = ErrorOf([&] { c1->SetAttribute("Share", DoubleValue(-1.0)); });
    EXPECT_NE(m.find("share -1"), std::string::npos) << m;
    EXPECT_EQ(c1->GetShare(), 1.0);
    m = ErrorOf([&] { c1->SetAttribute("NetworkId", UintegerValue(8)); });
    EXPECT_NE(m.find("NetworkId cannot change to 8"), std::string::npos) << m;
    m = ErrorOf([&] { q->SetNetworkRate(42, DataRate("1Mbps")); });
    EXPECT_NE(m.find("network 42"), std::string::npos) << m;
    // back to controlled 4 Mbps: the weight is exactly what it was
    q->Reprovision(1, CC::CONTROLLED, DataRate("4Mbps"), 1.0);
    EXPECT_DOUBLE_EQ(c1->GetWeight(), w1);
}

TEST_F(ArbitratorErrors, LinkRateBelowGuaranteed)
{
    auto q = MakeArb("r9");
    q->AddNetworkClass(1, CC::CONTROLLED, DataRate("4Mbps"), 1.0, Fifo());
    std::string m = ErrorOf([&] { q->SetAttribute("LinkRate", DataRateValue(DataRate("3Mbps"))); });
    EXPECT_NE(m.find("'r9'"), std::string::npos) << m;
    EXPECT_NE(m.find("LinkRate 3000000bps"), std::string::npos) << m;
    EXPECT_NE(m.find("4000000bps"), std::string::npos) << m;
    EXPECT_EQ(q->GetLinkRate(), DataRate("10Mbps"));
}

TEST_F(ArbitratorErrors, UnknownOwnQueueDiscTypeFailsCleanly)
{
    Ptr<ArbitratorQueueDisc> q = CreateObject<ArbitratorQueueDisc>();
    q->SetAttribute("OwnQueueDiscType", StringValue("ns3::NoSuchQueueDisc"));
    std::string m = ErrorOf([&] { q->Initialize(); });
    EXPECT_NE(m.find("'ns3::NoSuchQueueDisc'"), std::string::npos) << m;
    EXPECT_EQ(q->GetNClasses(), 0u);
    q->SetAttribute("OwnQueueDiscType", StringValue("ns3::UdpHeader"));
    m = ErrorOf([&] { q->Initialize(); });
    EXPECT_NE(m.find("is not a QueueDisc"), std::string::npos) << m;
    // a good type afterwards works: nothing half-built was left behind
    q->SetAttribute("OwnQueueDiscType", StringValue("ns3::FifoQueueDisc"));
    q->Initialize();
    ASSERT_EQ(q->GetNClasses(), 1u);
    EXPECT_EQ(q->GetClass(0)->GetQueueDisc()->GetInstanceTypeId().GetName(), "ns3::FifoQueueDisc");
}
