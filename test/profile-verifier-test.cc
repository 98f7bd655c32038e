/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The verifier (compiler of profiles): every error class at its line:column,
 * path completion constrained by residual capacity and delay, the plan
 * against what VirtualNetwork::Spawn really reserves, the database snapshot
 * against the live one, and the genesis-profile CLI's exit codes. Real ns-3
 * networks, real YAML files, real SQLite files.
 */
#include "genesis-test-common.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

/**
 * A diamond of routers, 10 Mbps links:
 *
 *        n1            short branch: 0-1-3 (2 hops)
 *      /    \
 *    n0      n3
 *      \    /
 *     n2 - n4          long branch: 0-2-4-3 (3 hops)
 *
 * plus end-host nodes n5 and n6 (no links, no routelet). n1 is named
 * "core1" and n6 "viewer" with ns3::Names.
 */
struct Diamond
{
    NodeContainer nodes;
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
    std::map<std::pair<uint32_t, uint32_t>, NetDeviceContainer> links;

    /// Device of node \p a on its link to \p b.
    Ptr<NetDevice> Dev(uint32_t a, uint32_t b) const
    {
        auto it = links.find({std::min(a, b), std::max(a, b)});
        return a < b ? it->second.Get(0) : it->second.Get(1);
    }
};

void
BuildDiamond(Diamond& d, const std::string& shortDelay = "2ms")
{
    d.nodes.Create(7);
    InternetStackHelper stack;
    stack.Install(d.nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    std::vector<std::pair<uint32_t, uint32_t>> pairs{{0, 1}, {1, 3}, {0, 2}, {2, 4}, {3, 4}};
    for (const auto& p : pairs)
    {
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay",
                                StringValue(p.first == 0 && p.second == 1 ? shortDelay : "2ms"));
        d.links[p] = p2p.Install(d.nodes.Get(p.first), d.nodes.Get(p.second));
        addr.Assign(d.links[p]);
        addr.NewNetwork();
    }
    Names::Add("core1", d.nodes.Get(1));
    Names::Add("viewer", d.nodes.Get(6));
    NodeContainer routers;
    for (uint32_t i = 0; i < 5; ++i)
    {
        routers.Add(d.nodes.Get(i));
    }
    d.root = d.genesis.Install(routers);
}

class GenesisVerifier : public GenesisSimTest
{
  protected:
    void SetUp() override
    {
        GenesisSimTest::SetUp();
        char tmpl[] = "/tmp/genesis-verifier-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
    }

    void TearDown() override
    {
        Names::Clear();
        GenesisSimTest::TearDown();
        std::string cmd = "rm -rf '" + m_dir + "'";
        EXPECT_EQ(std::system(cmd.c_str()), 0);
    }

    /// Write \p text to a file of the temporary directory; \return its path.
    std::string Write(const std::string& name, const std::string& text)
    {
        std::string path = m_dir + "/" + name;
        std::ofstream(path) << text;
        return path;
    }

    /// Read a profile that must have no reader error.
    GenesisProfile Read(const std::string& path)
    {
        GenesisProfileReadResult r = GenesisProfileReader::ReadFile(path);
        EXPECT_TRUE(r.Ok()) << r.Format();
        return r.profile;
    }

    std::string m_dir;
};

/// A profile with routelets on \p a and \p b and one link of \p rate ("" = none written).
std::string
TwoEnds(const std::string& name,
        uint32_t a,
        uint32_t b,
        const std::string& cls,
        const std::string& rate,
        const std::string& extraLink = "",
        const std::string& space = "172.20.0.0/16")
{
    std::ostringstream os;
    os << "schema_version: 1\n"
       << "name: " << name << "\n"
       << "parent: root\n"
       << "address_space: " << space << "\n"
       << "capacity:\n"
       << "  class: " << cls << "\n"
       << "  rate: " << rate << "\n"
       << "topology:\n"
       << "  routelets:\n"
       << "    - name: ra\n"
       << "      node: " << a << "\n"
       << "    - name: rb\n"
       << "      node: " << b << "\n"
       << "  links:\n"
       << "    - name: l1\n"
       << "      ends: [ra, rb]\n"
       << extraLink;
    return os.str();
}

/// Does any diagnostic at \p where (":line:col") contain \p text?
::testing::AssertionResult
Has(const GenesisVerifyResult& r, const std::string& where, const std::string& text)
{
    for (const auto& d : r.diagnostics)
    {
        std::string s = d.location.ToString();
        if (s.size() >= where.size() &&
            s.compare(s.size() - where.size(), where.size(), where) == 0 &&
            d.message.find(text) != std::string::npos)
        {
            return ::testing::AssertionSuccess();
        }
    }
    return ::testing::AssertionFailure()
           << "no diagnostic at " << where << " containing '" << text << "' in:\n"
           << r.Format();
}

/// A child of the root on the short branch, reserving \p rate there (spawned).
Ptr<VirtualNetwork>
Sibling(Diamond& d, const std::string& rate, const std::string& base = "172.30.0.0")
{
    Ptr<VirtualNetwork> s = d.genesis.CreateNetwork(d.root, "sibling", "controlled", rate);
    s->SetAttribute("Ipv4Base", Ipv4AddressValue(base.c_str()));
    Ptr<Routelet> r0 = s->AddRoutelet(d.nodes.Get(0));
    Ptr<Routelet> r1 = s->AddRoutelet(d.nodes.Get(1));
    s->AddLink(r0, r1);
    s->Spawn();
    return s;
}

/// Build the plan's network by hand (AddLink via = the plan's host path) and spawn it.
Ptr<VirtualNetwork>
SpawnPlan(Diamond& d, const GenesisProfile& p, const GenesisSpawnPlan& plan)
{
    Ptr<VirtualNetwork> net =
        d.genesis.CreateNetwork(d.root,
                                p.name,
                                GenesisProfileDatabase::ClassName(p.capacityClass),
                                p.rate);
    std::map<std::string, Ptr<Routelet>> rl;
    for (const auto& r : plan.routelets)
    {
        rl[r.name] = net->AddRoutelet(r.hostNodeId);
    }
    for (const auto& l : plan.links)
    {
        std::vector<Ptr<Node>> via;
        for (uint32_t n : l.hostPath)
        {
            via.push_back(NodeList::GetNode(n));
        }
        net->AddLink(rl[l.a], rl[l.b], l.rate, via);
    }
    net->Spawn();
    return net;
}

// ---------------------------------------------------------------- path completion

// Without competition the link takes the short branch.
TEST_F(GenesisVerifier, PathIsFewestHopsWhenCapacityAllows)
{
    Diamond d;
    BuildDiamond(d);
    GenesisProfile p = Read(Write("a.yaml", TwoEnds("video", 0, 3, "controlled", "5Mbps")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    ASSERT_TRUE(r.Ok()) << r.Format();
    ASSERT_EQ(r.plan.links.size(), 1U);
    EXPECT_EQ(r.plan.links[0].hostPath, (std::vector<uint32_t>{0, 1, 3}));
    EXPECT_EQ(r.plan.links[0].propagationDelay, MilliSeconds(4));
}

// A sibling holds 8 of the 10 Mbps on 0-1: a 5 Mbps link must take the long
// branch, and its reservations are 5 Mbps on each of the 6 devices of it.
TEST_F(GenesisVerifier, PathAvoidsDevicesWithoutResidual)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "8Mbps");
    ASSERT_EQ(d.root->GetArbitrator(d.Dev(0, 1))->GetResidualRate().GetBitRate(), 2000000U);
    GenesisProfile p = Read(Write("a.yaml", TwoEnds("video", 0, 3, "controlled", "5Mbps")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    ASSERT_TRUE(r.Ok()) << r.Format();
    ASSERT_EQ(r.plan.links.size(), 1U);
    EXPECT_EQ(r.plan.links[0].hostPath, (std::vector<uint32_t>{0, 2, 4, 3}));
    EXPECT_EQ(r.plan.links[0].propagationDelay, MilliSeconds(6));
    ASSERT_EQ(r.plan.reservations.size(), 6U); // 3 hops, both directions
    uint64_t sum = 0;
    for (const auto& res : r.plan.reservations)
    {
        EXPECT_EQ(res.bps, 5000000U);
        Ptr<NetDevice> dev = NodeList::GetNode(res.nodeId)->GetDevice(res.deviceIndex);
        EXPECT_EQ(res.residualBps, d.root->GetArbitrator(dev)->GetResidualRate().GetBitRate());
        EXPECT_EQ(res.residualBps, 10000000U); // the long branch is free
        sum += res.bps;
    }
    EXPECT_EQ(sum, 6U * 5000000U);
    EXPECT_TRUE(std::is_sorted(r.plan.reservations.begin(),
                               r.plan.reservations.end(),
                               [](const auto& a, const auto& b) {
                                   return std::make_pair(a.nodeId, a.deviceIndex) <
                                          std::make_pair(b.nodeId, b.deviceIndex);
                               }));
}

// Best-effort links ignore residual capacity: the short branch, no bps reserved.
TEST_F(GenesisVerifier, BestEffortIgnoresResidual)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "10Mbps"); // nothing left on 0-1
    GenesisProfile p = Read(Write("a.yaml", TwoEnds("video", 0, 3, "best-effort", "5Mbps")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    ASSERT_TRUE(r.Ok()) << r.Format();
    EXPECT_EQ(r.plan.links[0].hostPath, (std::vector<uint32_t>{0, 1, 3}));
    ASSERT_EQ(r.plan.reservations.size(), 4U);
    for (const auto& res : r.plan.reservations)
    {
        EXPECT_EQ(res.bps, 0U);
    }
}

// Links of one profile compete: the first 6 Mbps link takes 0-1-3, the second
// finds 4 Mbps there and takes the long branch.
TEST_F(GenesisVerifier, EarlierLinksOfTheProfileCount)
{
    Diamond d;
    BuildDiamond(d);
    GenesisProfile p = Read(Write(
        "a.yaml",
        TwoEnds("video", 0, 3, "controlled", "6Mbps", "    - name: l2\n      ends: [ra, rb]\n")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    ASSERT_TRUE(r.Ok()) << r.Format();
    ASSERT_EQ(r.plan.links.size(), 2U);
    EXPECT_EQ(r.plan.links[0].hostPath, (std::vector<uint32_t>{0, 1, 3}));
    EXPECT_EQ(r.plan.links[1].hostPath, (std::vector<uint32_t>{0, 2, 4, 3}));
    ASSERT_EQ(r.plan.reservations.size(), 10U);
    uint64_t sum = 0;
    for (const auto& res : r.plan.reservations)
    {
        sum += res.bps;
    }
    EXPECT_EQ(sum, (4U + 6U) * 6000000U);
}

// The plan is what Spawn reserves: build the network with via = hostPath and
// compare the reservation on every device, and the number of devices.
TEST_F(GenesisVerifier, PlanEqualsWhatSpawnReserves)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "8Mbps");
    GenesisProfile p = Read(Write("a.yaml",
                                  TwoEnds("video",
                                          0,
                                          3,
                                          "controlled",
                                          "1Mbps",
                                          "      rate: 2Mbps\n    - name: l2\n      ends: [ra, "
                                          "rb]\n      rate: 1500kbps\n")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    ASSERT_TRUE(r.Ok()) << r.Format();
    // 2 Mbps fits on 0-1 (2 left), 1.5 Mbps then does not: long branch.
    EXPECT_EQ(r.plan.links[0].hostPath, (std::vector<uint32_t>{0, 1, 3}));
    EXPECT_EQ(r.plan.links[1].hostPath, (std::vector<uint32_t>{0, 2, 4, 3}));
    Ptr<VirtualNetwork> net = SpawnPlan(d, p, r.plan);
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
    EXPECT_EQ(net->GetNSlices(), r.plan.reservations.size());
    for (const auto& res : r.plan.reservations)
    {
        Ptr<NetDevice> dev = NodeList::GetNode(res.nodeId)->GetDevice(res.deviceIndex);
        EXPECT_EQ(net->GetReservedRate(dev).GetBitRate(), res.bps)
            << "node " << res.nodeId << " device " << res.deviceIndex;
        EXPECT_EQ(d.root->GetArbitrator(dev)->GetResidualRate().GetBitRate(),
                  res.residualBps - res.bps);
    }
    for (std::size_t i = 0; i < net->GetLinks().size(); ++i)
    {
        std::vector<uint32_t> got;
        for (const auto& n : net->GetLinks()[i]->GetHostPath())
        {
            got.push_back(n->GetId());
        }
        EXPECT_EQ(got, r.plan.links[i].hostPath);
    }
}

// A delay bound the fewest-hop path misses: the verifier takes the longer,
// faster branch; a bound no path meets is an error with the least delay.
TEST_F(GenesisVerifier, DelayBoundChoosesOrRejects)
{
    Diamond d;
    BuildDiamond(d, "10ms"); // 0-1 is slow: 0-1-3 takes 12 ms, 0-2-4-3 takes 6 ms
    GenesisProfile p =
        Read(Write("a.yaml", TwoEnds("video", 0, 3, "controlled", "1Mbps", "      delay: 8ms\n")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    ASSERT_TRUE(r.Ok()) << r.Format();
    EXPECT_EQ(r.plan.links[0].hostPath, (std::vector<uint32_t>{0, 2, 4, 3}));
    EXPECT_EQ(r.plan.links[0].propagationDelay, MilliSeconds(6));

    GenesisProfile tight =
        Read(Write("b.yaml", TwoEnds("video", 0, 3, "controlled", "1Mbps", "      delay: 5ms\n")));
    r = GenesisProfileVerifier::Verify(tight, d.root);
    EXPECT_FALSE(r.Ok());
    EXPECT_TRUE(Has(r, "b.yaml:15:7", "within its delay bound 5ms"));
    EXPECT_TRUE(Has(r, "b.yaml:15:7", "least propagation delay possible with its capacity is 6ms"));
}

// ---------------------------------------------------------------- errors

// Admission: more than the residual on every path names the devices.
TEST_F(GenesisVerifier, CapacityAboveResidualIsRefused)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "8Mbps");
    GenesisProfile p = Read(Write("a.yaml", TwoEnds("video", 0, 1, "controlled", "12Mbps")));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    EXPECT_EQ(r.GetNErrors(), 1U) << r.Format();
    EXPECT_TRUE(Has(r, "a.yaml:15:7", "needs 12Mbps of controlled capacity"));
    std::ostringstream dev;
    dev << "node 0 device " << d.Dev(0, 1)->GetIfIndex() << " has only 2Mbps unreserved";
    EXPECT_TRUE(Has(r, "a.yaml:15:7", dev.str()));
}

// Unknown hosts of every kind, each at its own line.
TEST_F(GenesisVerifier, UnknownHostsAreReported)
{
    Diamond d;
    BuildDiamond(d);
    std::string path = Write("hosts.yaml",
                             "schema_version: 1\n" // 1
                             "name: video\n"       // 2
                             "address_space: 172.20.0.0/16\n"
                             "topology:\n"                 // 4
                             "  routelets:\n"              // 5
                             "    - name: a\n"             // 6
                             "      node: 99\n"            // 7
                             "    - name: b\n"             // 8
                             "      node: cor1\n"          // 9
                             "    - name: c\n"             // 10
                             "      parent_routelet: r9\n" // 11
                             "    - name: e\n"             // 12
                             "      node: 5\n"             // 13
                             "    - name: f\n"             // 14
                             "      node: core1\n"         // 15
                             "    - name: g\n"             // 16
                             "      node: 3\n"             // 17
                             "  links:\n"                  // 18
                             "    - ends: [f, g]\n"        // 19
                             "      via: [6]\n"            // 20
                             "  hosts:\n"                  // 21
                             "    - name: h1\n"            // 22
                             "      node: 42\n"            // 23
                             "      routelet: f\n");
    GenesisProfile p = Read(path);
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    EXPECT_TRUE(Has(r, "hosts.yaml:6:7", "no node 99 in the simulation (it has 7 nodes"));
    EXPECT_TRUE(Has(r, "hosts.yaml:8:7", "no node is named 'cor1'"));
    EXPECT_TRUE(Has(r, "hosts.yaml:10:7", "has no routelet named 'r9'"));
    EXPECT_TRUE(Has(r, "hosts.yaml:12:7", "node 5 has no routelet of parent network"));
    EXPECT_TRUE(Has(r, "hosts.yaml:20:13", "node 6 has no routelet of parent network"));
    EXPECT_TRUE(Has(r, "hosts.yaml:23:13", "host 'h1': no node 42"));
    for (const auto& diag : r.diagnostics)
    {
        if (diag.message.find("cor1") != std::string::npos)
        {
            EXPECT_EQ(diag.hint, "did you mean 'core1'?");
        }
    }
}

// Two routelets on one host; a disconnected topology names its parts. Both
// are found without a parent too.
TEST_F(GenesisVerifier, SameHostAndDisconnectedTopology)
{
    Diamond d;
    BuildDiamond(d);
    std::string path = Write("topo.yaml",
                             "schema_version: 1\n"
                             "name: video\n"
                             "topology:\n"
                             "  routelets:\n"
                             "    - {name: a, node: 0}\n" // 5
                             "    - {name: b, node: 1}\n" // 6
                             "    - {name: c, node: 1}\n" // 7
                             "    - {name: x, node: 3}\n" // 8
                             "    - {name: y, node: 4}\n" // 9
                             "  links:\n"
                             "    - ends: [a, b]\n"
                             "    - ends: [x, y]\n");
    GenesisProfile p = Read(path);
    for (const GenesisVerifyResult& r :
         {GenesisProfileVerifier::Verify(p, d.root), GenesisProfileVerifier::Verify(p)})
    {
        EXPECT_TRUE(Has(r, "topo.yaml:7:7", "routelets 'b' and 'c' are both on node 1"));
        EXPECT_TRUE(Has(r, "topo.yaml:7:7", "disconnected: 3 parts {a, b}, {c} and {x, y}"));
    }
}

// Address space outside the (non-root) parent's, overlapping a sibling's;
// host addresses outside the space, used twice or taken by a link.
TEST_F(GenesisVerifier, AddressProblems)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "1Mbps", "172.20.0.0"); // sibling space 172.20.0.0/16 (default mask)
    std::string path = Write("addr.yaml",
                             "schema_version: 1\n"
                             "name: video\n"
                             "address_space: 172.20.128.0/17\n" // 3
                             "topology:\n"
                             "  routelets:\n"
                             "    - {name: a, node: 0}\n"
                             "    - {name: b, node: 3}\n"
                             "  links:\n"
                             "    - ends: [a, b]\n"
                             "  hosts:\n"
                             "    - {name: h2, node: 6, routelet: b, address: 172.20.200.1}\n" // 11
                             "    - {name: h3, node: 6, routelet: b, address: 172.20.200.1}\n" // 12
                             "    - {name: h4, node: 5, routelet: a, address: 172.20.128.2}\n");
    GenesisProfile p = Read(path);
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, d.root);
    EXPECT_TRUE(Has(r, "addr.yaml:3:16", "overlaps 172.20.0.0/16 of sibling network 'sibling'"));
    EXPECT_TRUE(Has(r, "addr.yaml:12:7", "address 172.20.200.1 is also host 'h2''s"));
    EXPECT_TRUE(Has(r, "addr.yaml:13:7", "is an end of link 'a-b'"));
    EXPECT_EQ(r.GetNErrors(), 3U) << r.Format();

    // Nested: a child of "sibling" must stay inside 172.20.0.0/16.
    Ptr<VirtualNetwork> sib = d.root->FindNetwork("sibling");
    std::string nested = Write("nested.yaml",
                               "schema_version: 1\n"
                               "name: deep\n"
                               "parent: sibling\n"
                               "address_space: 10.9.0.0/24\n"
                               "topology:\n"
                               "  routelets:\n"
                               "    - {name: a, node: 0}\n"
                               "    - {name: b, node: 1}\n"
                               "  links:\n"
                               "    - ends: [a, b]\n");
    r = GenesisProfileVerifier::Verify(Read(nested), sib);
    EXPECT_TRUE(Has(r, "nested.yaml:4:16", "10.9.0.0/24 is outside parent network 'sibling''s"));
    EXPECT_EQ(r.GetNErrors(), 1U) << r.Format();
}

// Name already used, a 'parent' that is another network, and the policy of
// the parent and of its ancestors (read from a snapshot).
TEST_F(GenesisVerifier, NameParentAndPolicy)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "1Mbps");
    std::string path = Write("pol.yaml",
                             "schema_version: 1\n"
                             "name: sibling\n" // 2
                             "parent: other\n" // 3
                             "capacity:\n"
                             "  rate: 5Mbps\n"
                             "topology:\n"
                             "  routelets:\n"
                             "    - {name: a, node: 2}\n"
                             "    - {name: b, node: 4}\n"
                             "  links:\n"
                             "    - ends: [a, b]\n"); // 11
    GenesisProfile p = Read(path);
    GenesisParentTopology t = GenesisParentTopology::FromNetwork(d.root);
    ASSERT_EQ(t.runningChildren, 1U);
    t.policies.back().maxChildren = 1;
    t.policies.back().maxChildRateBps = 3000000;
    t.policies.back().maxDepth = 0;
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, t);
    EXPECT_TRUE(Has(r, "pol.yaml:2:7", "a network named 'sibling' already exists"));
    EXPECT_TRUE(Has(r, "pol.yaml:3:9", "names parent 'other' but is verified against"));
    EXPECT_TRUE(Has(r, "pol.yaml:3:9", "already runs 1 children, its policy allows 1"));
    EXPECT_TRUE(Has(r, "pol.yaml:3:9", "allows 0 level(s) of networks below it"));
    EXPECT_TRUE(Has(r, "pol.yaml:11:7", "asks for 5Mbps, the policy of parent network"));
    EXPECT_EQ(r.GetNErrors(), 5U) << r.Format();

    // The shim's depth limit.
    GenesisParentTopology deep = GenesisParentTopology::FromNetwork(d.root);
    deep.depth = deep.maxShimDepth;
    r = GenesisProfileVerifier::Verify(p, deep);
    EXPECT_TRUE(Has(r, "pol.yaml:3:9", "exceeds the Genesis shim's maximum of 14"));
}

// Membership: an attached host not covered, a member name that is nothing,
// a member node that does not exist, a host a sibling attaches.
TEST_F(GenesisVerifier, MembershipConflicts)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "1Mbps");
    std::string path = Write("mem.yaml",
                             "schema_version: 1\n"
                             "name: video\n"
                             "address_space: 172.20.0.0/16\n"
                             "topology:\n"
                             "  routelets:\n"
                             "    - {name: a, node: 0}\n"
                             "    - {name: b, node: 3}\n"
                             "  links:\n"
                             "    - ends: [a, b]\n"
                             "  hosts:\n"
                             "    - {name: h1, node: 5, routelet: a, address: 172.20.9.1}\n" // 11
                             "    - {name: h2, node: viewer, routelet: b}\n"                 // 12
                             "membership: [h2, ghost, 77, 172.21.0.0/24]\n");                // 13
    GenesisProfile p = Read(path);
    GenesisParentTopology t = GenesisParentTopology::FromNetwork(d.root);
    GenesisProfile sib;
    sib.name = "sibling";
    GenesisEndHostSpec sh;
    sh.name = "theirs";
    sh.node.byId = true;
    sh.node.nodeId = 6;
    sib.hosts.push_back(sh);
    ASSERT_TRUE(t.AddProfile(sib));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, t);
    EXPECT_TRUE(Has(r, "mem.yaml:11:7", "host 'h1' is attached but not a member"));
    EXPECT_TRUE(Has(r, "mem.yaml:12:24", "node 6 is an end host of sibling network 'sibling'"));
    EXPECT_TRUE(Has(r, "mem.yaml:13:18", "member 'ghost' is neither a host"));
    EXPECT_TRUE(Has(r, "mem.yaml:13:25", "member node 77 does not exist"));
    EXPECT_TRUE(Has(r, "mem.yaml:13:29", "lies outside the network's address space"));
    EXPECT_EQ(r.GetNErrors(), 4U) << r.Format();
    EXPECT_EQ(r.GetNWarnings(), 1U) << r.Format();
}

// Timeline: a spawn of a missing file (relative to the profile's directory).
TEST_F(GenesisVerifier, TimelineProblems)
{
    std::string path = Write("tl.yaml",
                             TwoEnds("video", 0, 3, "controlled", "1Mbps") +
                                 "timeline:\n"
                                 "  - at: 1s\n" // 18
                                 "    spawn: {profile: missing.yaml}\n"
                                 "  - at: 2s\n" // 20
                                 "    spawn: {profile: a.yaml}\n"
                                 "  - at: 3s\n"
                                 "    reprovision: {link: l1, rate: 2Mbps}\n");
    Write("a.yaml", TwoEnds("child", 0, 3, "controlled", "1Mbps"));
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(Read(path));
    EXPECT_TRUE(Has(r, "tl.yaml:18:5", "profile 'missing.yaml' cannot be read"));
    EXPECT_EQ(r.GetNErrors(), 1U) << r.Format(); // a.yaml exists, l1 is a link
}

// One file with many problems: all reported, in line order.
TEST_F(GenesisVerifier, CollectsEveryProblemOfAFile)
{
    Diamond d;
    BuildDiamond(d);
    Sibling(d, "8Mbps");
    GenesisParentTopology t = GenesisParentTopology::FromNetwork(d.root);
    GenesisVerifyResult r =
        GenesisProfileVerifier::VerifyFile("test/profiles/verify-many-errors.yaml", &t);
    EXPECT_EQ(r.GetNErrors(), 6U) << r.Format();
    EXPECT_TRUE(Has(r, "verify-many-errors.yaml:3:9", "names parent 'nowhere'"));
    EXPECT_TRUE(Has(r, "verify-many-errors.yaml:4:16", "overlaps 172.30.0.0/16 of sibling"));
    EXPECT_TRUE(Has(r, "verify-many-errors.yaml:12:7", "no node 12 in the simulation"));
    EXPECT_TRUE(Has(r, "verify-many-errors.yaml:17:7", "needs 11Mbps of controlled capacity"));
    EXPECT_TRUE(Has(r, "verify-many-errors.yaml:22:7", "not a member"));
    EXPECT_TRUE(
        Has(r, "verify-many-errors.yaml:28:5", "profile 'missing-child.yaml' cannot be read"));
    for (std::size_t i = 1; i < r.diagnostics.size(); ++i)
    {
        EXPECT_LE(r.diagnostics[i - 1].location.line, r.diagnostics[i].location.line);
    }
    // The reader's diagnostics come first, and a reader error stops the verifier.
    GenesisVerifyResult bad = GenesisProfileVerifier::VerifyFile("test/profiles/bad-keys.yaml", &t);
    GenesisProfileReadResult read = GenesisProfileReader::ReadFile("test/profiles/bad-keys.yaml");
    ASSERT_FALSE(read.Ok());
    EXPECT_EQ(bad.Format(), read.Format());
}

// ---------------------------------------------------------------- database

// A snapshot from a profile database plans exactly like the live network.
TEST_F(GenesisVerifier, DatabaseSnapshotPlansLikeTheLiveNetwork)
{
    Diamond d;
    BuildDiamond(d);
    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    std::string file = m_dir + "/parent.sqlite";
    db->SetAttribute("Path", StringValue(file));
    db->Open();
    db->Attach(d.root);
    Sibling(d, "8Mbps");
    GenesisProfile p = Read(Write("a.yaml",
                                  TwoEnds("video",
                                          0,
                                          3,
                                          "controlled",
                                          "1Mbps",
                                          "      rate: 2Mbps\n      delay: 30ms\n    - name: l2\n"
                                          "      ends: [ra, rb]\n      rate: 1500kbps\n")));
    GenesisParentTopology live = GenesisParentTopology::FromNetwork(d.root);
    GenesisParentTopology stored = GenesisParentTopology::FromDatabase(file, "root");
    EXPECT_EQ(stored.name, live.name);
    EXPECT_EQ(stored.routeletHosts, live.routeletHosts);
    EXPECT_EQ(stored.edges.size(), live.edges.size());
    EXPECT_EQ(stored.devices.size(), live.devices.size());
    EXPECT_EQ(stored.nodeNames, live.nodeNames);
    EXPECT_EQ(stored.nNodes, 7U); // the nodes when the topology was recorded
    EXPECT_EQ(stored.networkNames, live.networkNames);
    EXPECT_EQ(stored.runningChildren, live.runningChildren);
    GenesisVerifyResult a = GenesisProfileVerifier::Verify(p, live);
    GenesisVerifyResult b = GenesisProfileVerifier::Verify(p, stored);
    ASSERT_TRUE(a.Ok()) << a.Format();
    ASSERT_TRUE(b.Ok()) << b.Format();
    EXPECT_EQ(GenesisProfileVerifier::FormatPlan(a.plan),
              GenesisProfileVerifier::FormatPlan(b.plan));
    ASSERT_EQ(a.plan.reservations.size(), b.plan.reservations.size());
    for (std::size_t i = 0; i < a.plan.reservations.size(); ++i)
    {
        EXPECT_EQ(a.plan.reservations[i].bps, b.plan.reservations[i].bps);
        EXPECT_EQ(a.plan.reservations[i].residualBps, b.plan.reservations[i].residualBps);
    }
    EXPECT_EQ(a.plan.links[0].propagationDelay, b.plan.links[0].propagationDelay);
    // The default parent is the root; an unknown one is a clear error.
    EXPECT_EQ(GenesisParentTopology::FromDatabase(file).name, "root");
    try
    {
        GenesisParentTopology::FromDatabase(file, "nope");
        ADD_FAILURE() << "no error";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("no network 'nope' is recorded; recorded networks: "
                                             "root, sibling"),
                  std::string::npos)
            << e.what();
    }
    db->Dispose();
}

TEST_F(GenesisVerifier, DatabaseErrorsNameTheFile)
{
    std::string missing = m_dir + "/none.sqlite";
    std::string text = Write("text.sqlite", "not a database at all, just text");
    for (const auto& [path, what] :
         std::vector<std::pair<std::string, std::string>>{{missing, "cannot open the file"},
                                                          {text, "not an SQLite database file"}})
    {
        try
        {
            GenesisParentTopology::FromDatabase(path);
            ADD_FAILURE() << "no error for " << path;
        }
        catch (const GenesisError& e)
        {
            std::string msg = e.what();
            EXPECT_NE(msg.find("profile database '" + path + "'"), std::string::npos) << msg;
            EXPECT_NE(msg.find(what), std::string::npos) << msg;
        }
    }
    // An SQLite file that is not a profile database.
    std::string other = m_dir + "/other.sqlite";
    {
        SqliteDatabase db(other);
        db.Exec("CREATE TABLE t(x)");
    }
    try
    {
        GenesisParentTopology::FromDatabase(other);
        ADD_FAILURE() << "no error";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("has no 'meta' table"), std::string::npos) << e.what();
    }
}

// ---------------------------------------------------------------- scale

// A 1,000-node parent (a ring with chords) and a 1,000-routelet child, one
// link per neighbour pair: the plan takes well under a second.
TEST_F(GenesisVerifier, PlansAThousandRouteletsQuickly)
{
    const uint32_t N = 1000;
    GenesisParentTopology t;
    t.name = "root";
    t.nNodes = N;
    for (uint32_t i = 0; i < N; ++i)
    {
        t.routeletHosts.push_back(i);
    }
    auto addLink = [&t](uint32_t a, uint32_t b, uint32_t devA, uint32_t devB) {
        for (int dir = 0; dir < 2; ++dir)
        {
            GenesisParentEdge e;
            e.from = dir ? b : a;
            e.to = dir ? a : b;
            GenesisParentHop h{e.from, dir ? devB : devA, e.to, dir ? devA : devB, MilliSeconds(1)};
            e.hops.push_back(h);
            t.edges.push_back(e);
            GenesisParentDevice dev;
            dev.nodeId = h.fromNode;
            dev.deviceIndex = h.fromDevice;
            dev.linkRateBps = dev.residualBps = 1000000000;
            t.devices[{dev.nodeId, dev.deviceIndex}] = dev;
        }
    };
    for (uint32_t i = 0; i < N; ++i)
    {
        addLink(i, (i + 1) % N, 1, 2);          // ring
        addLink(i, (i + 37) % N, 3 + i % 2, 5); // chords (distinct devices per direction)
    }
    t.Finalize();
    std::ostringstream os;
    os << "schema_version: 1\nname: big\naddress_space: 10.0.0.0/8\ncapacity: {rate: 1Mbps}\n"
       << "topology:\n  routelets:\n";
    for (uint32_t i = 0; i < N; ++i)
    {
        os << "    - {name: r" << i << ", node: " << (i * 7) % N << "}\n";
    }
    os << "  links:\n";
    for (uint32_t i = 0; i + 1 < N; ++i)
    {
        os << "    - {ends: [r" << i << ", r" << i + 1 << "]}\n";
    }
    GenesisProfile p = Read(Write("big.yaml", os.str()));
    auto start = std::chrono::steady_clock::now();
    GenesisVerifyResult r = GenesisProfileVerifier::Verify(p, t);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(r.Ok()) << r.Format();
    EXPECT_EQ(r.plan.links.size(), N - 1);
    EXPECT_LT(s, 1.0);
    std::cout << "[ verifier ] 1000-node parent, 1000 routelets, 999 links: " << s * 1000
              << " ms\n";
    for (const auto& l : r.plan.links)
    {
        // Each step joins hosts 7 apart on the ring: 7 ring hops, or fewer with chords.
        ASSERT_GE(l.hostPath.size(), 2U);
        EXPECT_LE(l.hostPath.size(), 8U);
    }
}

// ---------------------------------------------------------------- CLI

/// Run the genesis-profile binary built next to this test; \return its exit status.
int
RunCli(const std::string& args)
{
    char self[4096] = {};
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
    {
        return -1;
    }
    std::string dir(self, static_cast<std::size_t>(n));
    dir = dir.substr(0, dir.rfind('/'));
    std::string cmd = "'" + dir + "/genesis-profile' " + args + " >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(GenesisVerifier, CliExitCodes)
{
    Diamond d;
    BuildDiamond(d);
    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    std::string file = m_dir + "/parent.sqlite";
    db->SetAttribute("Path", StringValue(file));
    db->Open();
    db->Attach(d.root);
    Sibling(d, "8Mbps");
    db->Dispose();
    std::string good = Write("good.yaml", TwoEnds("video", 0, 3, "controlled", "5Mbps"));
    std::string big = Write("big.yaml", TwoEnds("video", 0, 3, "controlled", "50Mbps"));
    EXPECT_EQ(RunCli("check " + good), 0);
    EXPECT_EQ(RunCli("check " + good + " --db=" + file), 0);
    EXPECT_EQ(RunCli("plan " + good + " --db " + file), 0);
    EXPECT_EQ(RunCli("check " + big), 0); // admission needs the parent
    EXPECT_EQ(RunCli("check " + big + " --db=" + file), 1);
    EXPECT_EQ(RunCli("check test/profiles/bad-keys.yaml"), 1);
    EXPECT_EQ(RunCli("check test/profiles/verify-many-errors.yaml"), 1);
    EXPECT_EQ(RunCli("check examples/profiles/video.yaml"), 0);
    EXPECT_EQ(RunCli("check"), 2);
    EXPECT_EQ(RunCli("frobnicate " + good), 2);
    EXPECT_EQ(RunCli("check " + good + " --bogus"), 2);
    EXPECT_EQ(RunCli("plan " + good), 2); // plan needs --db
    EXPECT_EQ(RunCli("check " + good + " --db=" + m_dir + "/none.sqlite"), 2);
    EXPECT_EQ(RunCli("--help"), 0);
}

} // namespace

namespace
{

// The live policy attributes and address ranges of VirtualNetwork reach the
// verifier, directly and through a profile database.
TEST_F(GenesisVerifier, LivePolicyAttributesAndAddressRanges)
{
    Diamond d;
    BuildDiamond(d);
    Ptr<GenesisProfileDatabase> db = CreateObject<GenesisProfileDatabase>();
    std::string file = m_dir + "/parent.sqlite";
    db->SetAttribute("Path", StringValue(file));
    db->Open();
    d.root->SetAttribute("MaxChildRate", DataRateValue(DataRate("3Mbps")));
    db->Attach(d.root);
    Ptr<VirtualNetwork> s = d.genesis.CreateNetwork(d.root, "sibling", "controlled", "1Mbps");
    s->SetAttribute("Ipv4Base", Ipv4AddressValue("172.30.0.0"));
    s->AddAddressRange(Ipv4Address("172.25.0.0"), Ipv4Mask("255.255.0.0"));
    s->AddLink(s->AddRoutelet(d.nodes.Get(0)), s->AddRoutelet(d.nodes.Get(1)));
    s->Spawn();
    GenesisProfile p =
        Read(Write("a.yaml", TwoEnds("video", 2, 4, "controlled", "5Mbps", "", "172.25.1.0/24")));
    GenesisVerifyResult live = GenesisProfileVerifier::Verify(p, d.root);
    GenesisVerifyResult stored =
        GenesisProfileVerifier::Verify(p, GenesisParentTopology::FromDatabase(file, "root"));
    for (const GenesisVerifyResult& r : {live, stored})
    {
        EXPECT_TRUE(Has(r, "a.yaml:4:16", "overlaps 172.25.0.0/16 of sibling network 'sibling'"));
        EXPECT_TRUE(
            Has(r, "a.yaml:15:7", "the policy of parent network 'root' allows at most 3Mbps"));
        EXPECT_EQ(r.GetNErrors(), 2U) << r.Format();
    }
    db->Dispose();
}

} // namespace
