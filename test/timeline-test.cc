/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The executable timeline of a profile: events run at their times, each is
 * traced with its outcome, and bad events are refused without a crash.
 */
#include "genesis-test-common.h"

#include <fstream>

namespace ns3
{
namespace genesis_test
{
namespace
{

struct Event
{
    double t;
    std::string network;
    std::string action;
    std::string description;
    bool ok;
};

void
Record(std::vector<Event>* v,
       const std::string& n,
       const std::string& a,
       const std::string& d,
       bool ok)
{
    v->push_back(Event{Simulator::Now().GetSeconds(), n, a, d, ok});
}

std::string
Write(const std::string& name, const std::string& text)
{
    std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << text;
    return path;
}

class TimelineTest : public GenesisSimTest
{
};

TEST_F(TimelineTest, EventsRunAtTheirTimesWithTheirEffects)
{
    Chain c;
    BuildChain(c, 4);
    Write("tl-child.yaml", R"(schema_version: 1
name: kid
address_space: 172.20.128.0/24
capacity: {class: controlled, rate: 1Mbps}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 3}]
  links: [{name: ab, ends: [a, b]}]
)");
    std::string path = Write("tl.yaml", R"(schema_version: 1
name: tl
address_space: 172.20.0.0/16
capacity: {class: controlled, rate: 4Mbps}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 3}]
  links: [{name: ab, ends: [a, b]}]
timeline:
  - at: 2s
    spawn: {profile: tl-child.yaml}
  - at: 3s
    reprovision: {link: ab, rate: 5Mbps}
  - at: 4s
    set: {path: "/NetworkList/1/Share", value: "3"}
  - at: 4.5s
    set: {path: "/NetworkList/1/NoSuchAttribute", value: "3"}
  - at: 4.6s
    set: {path: "/NetworkList/1/Rate", value: "fast"}
  - at: 5s
    teardown: {network: kid}
  - at: 6s
    teardown: {}
)");
    std::vector<Event> events;
    c.genesis.GetSpawner()->TraceConnectWithoutContext("TimelineEvent",
                                                       MakeBoundCallback(&Record, &events));
    EXPECT_EQ(c.genesis.Spawn(Seconds(1), path), "tl");
    DataRate residual0;
    Simulator::Schedule(Seconds(2.5), [&]() {
        ASSERT_TRUE(c.root->FindNetwork("kid"));
        EXPECT_EQ(c.root->FindNetwork("kid")->GetState(), VirtualNetwork::SPAWNED);
        EXPECT_EQ(c.root->FindNetwork("kid")->GetParent()->GetName(), "tl");
    });
    Simulator::Schedule(Seconds(3.5), [&]() {
        EXPECT_EQ(c.root->FindNetwork("tl")->GetReservedRate(c.Fwd(1)), DataRate("5Mbps"));
    });
    Simulator::Stop(Seconds(7));
    Simulator::Run();
    ASSERT_EQ(events.size(), 7U);
    std::vector<double> times{2, 3, 4, 4.5, 4.6, 5, 6};
    std::vector<std::string>
        actions{"spawn", "reprovision", "set", "set", "set", "teardown", "teardown"};
    std::vector<bool> oks{true, true, true, false, false, true, true};
    for (std::size_t i = 0; i < events.size(); ++i)
    {
        EXPECT_DOUBLE_EQ(events[i].t, times[i]) << i;
        EXPECT_EQ(events[i].action, actions[i]) << i;
        EXPECT_EQ(events[i].ok, oks[i]) << i << ": " << events[i].description;
        EXPECT_EQ(events[i].network, "tl");
    }
    EXPECT_NE(events[3].description.find("NoSuchAttribute"), std::string::npos)
        << events[3].description;
    EXPECT_FALSE(c.root->FindNetwork("tl"));
    EXPECT_FALSE(c.root->FindNetwork("kid"));
    EXPECT_EQ(c.root->GetArbitrator(c.Fwd(1))->GetGuaranteedRate(), DataRate(0));
}

TEST_F(TimelineTest, SetChangesTheAttribute)
{
    Chain c;
    BuildChain(c, 4);
    std::string path = Write("tl-set.yaml", R"(schema_version: 1
name: s
capacity: {class: best-effort, share: 1}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 3}]
  links: [{name: ab, ends: [a, b]}]
timeline:
  - at: 2s
    set: {path: "/NetworkList/1/Share", value: "2.5"}
)");
    c.genesis.Spawn(Seconds(1), path);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    DoubleValue share;
    c.root->FindNetwork("s")->GetAttribute("Share", share);
    EXPECT_DOUBLE_EQ(share.Get(), 2.5);
}

TEST_F(TimelineTest, AnEventInThePastRefusesTheSpawn)
{
    Chain c;
    BuildChain(c, 4);
    std::string path = Write("tl-past.yaml", R"(schema_version: 1
name: late
capacity: {class: controlled, rate: 1Mbps}
topology:
  routelets: [{name: a, node: 0}, {name: b, node: 3}]
  links: [{name: ab, ends: [a, b]}]
timeline:
  - at: 1s
    teardown: {}
)");
    std::string reason;
    c.genesis.GetSpawner()->TraceConnectWithoutContext(
        "SpawnFailed",
        MakeCallback(+[](std::string* r, const std::string&, const std::string& why) {
            *r = why;
        }).Bind(&reason));
    c.genesis.Spawn(Seconds(2), path);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_FALSE(c.root->FindNetwork("late"));
    EXPECT_NE(reason.find("in the past"), std::string::npos) << reason;
    EXPECT_NE(reason.find("tl-past.yaml:"), std::string::npos) << reason;
}

} // namespace
} // namespace genesis_test
} // namespace ns3
