/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GenesisRouteletRouting: the spawn's routes looked up in one table per
 * network (VirtualNetwork RoutingMode "shared") instead of N x E
 * Ipv4StaticRouting entries ("static"). The same child is spawned in both
 * modes, in separate simulations, and everything observable of the routing
 * is compared: the route tables the binding interface lists, RouteOutput and
 * RouteInput for every address of the child and some outside it, the paths
 * hop by hop (also checked against breadth-first distances of our own) —
 * after the spawn and after the same edits through VirtualRouteletState and
 * VirtualDatapathController.
 */
#include "genesis-test-common.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <map>
#include <random>
#include <sstream>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

/// A w x h grid of point-to-point routers (links right and down), Genesis installed.
struct Grid
{
    NodeContainer nodes;
    std::vector<std::pair<uint32_t, uint32_t>> links; //!< parent links (node indices)
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
};

void
BuildGrid(Grid& g, uint32_t w, uint32_t h)
{
    g.nodes.Create(w * h);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    InternetStackHelper stack;
    stack.Install(g.nodes);
    Ipv4AddressHelper addr("10.0.0.0", "255.255.255.252");
    for (uint32_t y = 0; y < h; ++y)
    {
        for (uint32_t x = 0; x < w; ++x)
        {
            uint32_t i = y * w + x;
            for (uint32_t j : {x + 1 < w ? i + 1 : i, y + 1 < h ? i + w : i})
            {
                if (j != i)
                {
                    addr.Assign(p2p.Install(g.nodes.Get(i), g.nodes.Get(j)));
                    addr.NewNetwork();
                    g.links.emplace_back(i, j);
                }
            }
        }
    }
    g.root = g.genesis.Install(g.nodes);
}

/// Which child to build on the grid.
enum Shape
{
    FULL_GRID,   //!< a routelet per node, a link per parent link
    RANDOM_TREE, //!< routelets on 20 of 25 nodes, a random tree plus 3 chords, 2 end hosts
};

Ptr<VirtualNetwork>
MakeChild(Grid& g, Shape shape, const std::string& mode)
{
    Ptr<VirtualNetwork> net = g.genesis.CreateNetwork(g.root, "c", "controlled", "1Mbps");
    net->SetAttribute("Ipv4Mask", Ipv4MaskValue("255.255.0.0"));
    EXPECT_TRUE(net->SetAttributeFailSafe("RoutingMode", StringValue(mode)));
    std::vector<Ptr<Routelet>> r;
    if (shape == FULL_GRID)
    {
        for (uint32_t i = 0; i < g.nodes.GetN(); ++i)
        {
            r.push_back(net->AddRoutelet(g.nodes.Get(i)));
        }
        for (const auto& l : g.links)
        {
            net->AddLink(r[l.first], r[l.second]);
        }
        return net;
    }
    std::mt19937 rng(7); // the same child in both modes
    std::vector<uint32_t> hosts(g.nodes.GetN());
    for (uint32_t i = 0; i < hosts.size(); ++i)
    {
        hosts[i] = i;
    }
    std::shuffle(hosts.begin(), hosts.end(), rng);
    for (uint32_t i = 0; i < 20; ++i)
    {
        r.push_back(net->AddRoutelet(g.nodes.Get(hosts[i])));
    }
    for (uint32_t i = 1; i < r.size(); ++i)
    {
        uint32_t j = std::uniform_int_distribution<uint32_t>(0, i - 1)(rng);
        // Random end order, so that routes lead towards either side.
        rng() % 2 ? net->AddLink(r[i], r[j]) : net->AddLink(r[j], r[i]);
    }
    for (int c = 0; c < 3; ++c)
    {
        uint32_t a = std::uniform_int_distribution<uint32_t>(0, 19)(rng);
        uint32_t b = (a + 1 + std::uniform_int_distribution<uint32_t>(0, 18)(rng)) % 20;
        net->AddLink(r[a], r[b]);
    }
    net->AddEndHost("h0", g.nodes.Get(hosts[20]), r[3]);
    net->AddEndHost("h1", g.nodes.Get(hosts[21]), r[11]);
    return net;
}

/// The port addresses of every routelet (address -> routelet index).
std::map<uint32_t, uint32_t>
Owners(Ptr<VirtualNetwork> net)
{
    std::map<uint32_t, uint32_t> owner;
    const auto& rs = net->GetRoutelets();
    for (uint32_t i = 0; i < rs.size(); ++i)
    {
        Ptr<Ipv4> ipv4 = rs[i]->GetNode()->GetObject<Ipv4>();
        for (uint32_t itf = 1; itf < ipv4->GetNInterfaces(); ++itf)
        {
            owner[ipv4->GetAddress(itf, 0).GetLocal().Get()] = i;
        }
    }
    return owner;
}

/// Addresses to look up: every routelet and end-host address, and some that are no one's.
std::vector<Ipv4Address>
Targets(Ptr<VirtualNetwork> net)
{
    std::vector<Ipv4Address> t;
    for (const auto& kv : Owners(net))
    {
        t.emplace_back(kv.first);
    }
    for (const auto& h : net->GetEndHosts())
    {
        t.push_back(h.address);
    }
    t.emplace_back("172.16.200.1"); // in the space, no link there
    t.emplace_back("172.16.0.0");   // a subnet's own address
    t.emplace_back("8.8.8.8");      // outside the space
    t.emplace_back("127.0.0.1");
    return t;
}

/// Everything the routing of \p net shows, as text (comparable across simulations).
struct Snapshot
{
    std::vector<std::string> tables;  //!< VirtualRouteletState::GetRoutes per routelet
    std::vector<std::string> outputs; //!< RouteOutput per (routelet, target)
    std::vector<std::string> inputs;  //!< RouteInput per (routelet, target)
    std::vector<std::string> paths;   //!< routelet path per (routelet, target)

    bool operator==(const Snapshot& o) const
    {
        return tables == o.tables && outputs == o.outputs && inputs == o.inputs && paths == o.paths;
    }
};

std::string
Describe(Ptr<Ipv4Route> rt, Socket::SocketErrno err)
{
    std::ostringstream os;
    if (!rt)
    {
        os << "none(" << err << ")";
        return os.str();
    }
    os << rt->GetDestination() << " gw " << rt->GetGateway() << " src " << rt->GetSource()
       << " dev " << rt->GetOutputDevice()->GetIfIndex();
    return os.str();
}

Ptr<Ipv4Route>
Output(Ptr<Node> node, Ipv4Address dest, Socket::SocketErrno* err)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4Header h;
    h.SetDestination(dest);
    *err = Socket::ERROR_NOTERROR;
    return ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), h, nullptr, *err);
}

std::string
Input(Ptr<Node> node, Ipv4Address dest)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4Header h;
    h.SetDestination(dest);
    h.SetSource(Ipv4Address("172.31.255.254"));
    std::ostringstream os;
    Ipv4RoutingProtocol::UnicastForwardCallback ucb(
        [&os](Ptr<Ipv4Route> rt, Ptr<const Packet>, const Ipv4Header&) {
            os << "forward " << Describe(rt, Socket::ERROR_NOTERROR);
        });
    Ipv4RoutingProtocol::MulticastForwardCallback mcb(
        [&os](Ptr<Ipv4MulticastRoute>, Ptr<const Packet>, const Ipv4Header&) {
            os << "multicast";
        });
    Ipv4RoutingProtocol::LocalDeliverCallback lcb(
        [&os](Ptr<const Packet>, const Ipv4Header&, uint32_t itf) { os << "local " << itf; });
    Ipv4RoutingProtocol::ErrorCallback ecb([&os](Ptr<const Packet>,
                                                 const Ipv4Header&,
                                                 Socket::SocketErrno e) { os << "error " << e; });
    // Arrives on the routelet's last port.
    Ptr<NetDevice> idev = ipv4->GetNetDevice(ipv4->GetNInterfaces() - 1);
    bool handled =
        ipv4->GetRoutingProtocol()->RouteInput(Create<Packet>(), h, idev, ucb, mcb, lcb, ecb);
    os << (handled ? "" : "unhandled");
    return os.str();
}

Snapshot
Take(Ptr<VirtualNetwork> net, Ptr<GenesisMetabus> bus)
{
    Snapshot s;
    const auto& rs = net->GetRoutelets();
    std::map<uint32_t, uint32_t> owner = Owners(net);
    std::vector<Ipv4Address> targets = Targets(net);
    for (uint32_t i = 0; i < rs.size(); ++i)
    {
        std::ostringstream os;
        for (const auto& r : bus->GetRouteletState(rs[i])->GetRoutes())
        {
            os << r.destination << "/" << r.mask.GetPrefixLength() << " gw " << r.gateway << " if "
               << r.interface << " port " << r.port << " m " << r.metric << "; ";
        }
        s.tables.push_back(os.str());
        for (Ipv4Address t : targets)
        {
            Socket::SocketErrno err;
            s.outputs.push_back(Describe(Output(rs[i]->GetNode(), t, &err), err));
            s.inputs.push_back(Input(rs[i]->GetNode(), t));
            // Follow the gateways from routelet to routelet.
            std::ostringstream path;
            uint32_t cur = i;
            for (uint32_t hop = 0; hop <= rs.size() + 1; ++hop)
            {
                path << cur;
                Ptr<Ipv4> ipv4 = rs[cur]->GetNode()->GetObject<Ipv4>();
                if (ipv4->GetInterfaceForAddress(t) >= 0)
                {
                    path << " local";
                    break;
                }
                Ptr<Ipv4Route> rt = Output(rs[cur]->GetNode(), t, &err);
                if (!rt)
                {
                    path << " none";
                    break;
                }
                Ipv4Address next =
                    rt->GetGateway() == Ipv4Address::GetZero() ? t : rt->GetGateway();
                auto o = owner.find(next.Get());
                if (o == owner.end())
                {
                    path << " -> " << next; // an end host or no one
                    break;
                }
                path << " > ";
                cur = o->second;
            }
            s.paths.push_back(path.str());
        }
    }
    return s;
}

/// The routes' edits a routing program might make, the same in both modes.
void
Edit(Ptr<VirtualNetwork> net, Ptr<GenesisMetabus> bus, std::vector<uint32_t>* counts)
{
    const auto& rs = net->GetRoutelets();
    // Routelet 0: re-route one remote subnet through another port.
    Ptr<VirtualRouteletState> s0 = bus->GetRouteletState(rs[0]);
    for (const auto& r : s0->GetRoutes())
    {
        if (r.gateway != Ipv4Address::GetAny() && r.mask == Ipv4Mask("/30"))
        {
            counts->push_back(s0->RemoveRoute(r.destination, r.mask));
            uint32_t other = (static_cast<uint32_t>(r.port) + 1) % s0->GetNPorts();
            s0->AddRoute(r.destination, r.mask, other);
            break;
        }
    }
    // Routelet 1: a second route to a routed subnet, same prefix and metric
    // (the later one wins), and an identical duplicate (refused).
    Ptr<VirtualRouteletState> s1 = bus->GetRouteletState(rs[1]);
    std::vector<VirtualRouteletState::Route> routes = s1->GetRoutes();
    for (const auto& r : routes)
    {
        if (r.gateway != Ipv4Address::GetAny() && r.mask == Ipv4Mask("/30"))
        {
            s1->AddRoute(r.destination,
                         r.mask,
                         (static_cast<uint32_t>(r.port) + 1) % s1->GetNPorts());
            s1->AddRoute(r.destination, r.mask, static_cast<uint32_t>(r.port));
        }
    }
    // Routelet 2: a covering /16 with a metric (loses to every /30) and a host route.
    Ptr<VirtualRouteletState> s2 = bus->GetRouteletState(rs[2]);
    s2->AddRoute(Ipv4Address("172.16.0.0"), Ipv4Mask("/16"), 0, 5);
    s2->AddRoute(Ipv4Address("172.16.0.6"), Ipv4Mask("/32"), 0);
    // Routelet 4: remove its connected route and a route nobody has.
    Ptr<VirtualRouteletState> s4 = bus->GetRouteletState(rs[4]);
    counts->push_back(
        s4->RemoveRoute(s4->GetPortAddress(0).CombineMask(Ipv4Mask("/30")), Ipv4Mask("/30")));
    counts->push_back(s4->RemoveRoute(Ipv4Address("10.9.9.0"), Ipv4Mask("/24")));
}

/// Spawn the child in \p mode and snapshot it after the spawn and after each edit.
std::vector<Snapshot>
RunMode(Shape shape, const std::string& mode, std::vector<uint32_t>* counts)
{
    std::vector<Snapshot> out;
    {
        Grid g;
        BuildGrid(g, shape == FULL_GRID ? 6 : 5, 5);
        Ptr<VirtualNetwork> net = MakeChild(g, shape, mode);
        net->Spawn();
        EXPECT_EQ(net->GetState(), VirtualNetwork::SPAWNED);
        EXPECT_EQ(bool(net->GetRouteTable()), mode == "shared");
        Ptr<GenesisMetabus> bus = GenesisMetabus::Install(net);
        out.push_back(Take(net, bus));
        Edit(net, bus, counts);
        out.push_back(Take(net, bus));
        // A port down withdraws every route through it, up brings them back.
        Ptr<VirtualDatapathController> dp = bus->GetDatapathController(net->GetRoutelets()[5]);
        dp->SetPortEnabled(0, false);
        out.push_back(Take(net, bus));
        dp->SetPortEnabled(0, true);
        out.push_back(Take(net, bus));
    }
    Simulator::Destroy();
    return out;
}

/// Hop distances between the routelets of \p net (Boost.Graph BFS).
std::vector<std::vector<uint32_t>>
Distances(Ptr<VirtualNetwork> net)
{
    typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> G;
    const auto& rs = net->GetRoutelets();
    std::map<Ptr<Routelet>, std::size_t> index;
    for (std::size_t i = 0; i < rs.size(); ++i)
    {
        index[rs[i]] = i;
    }
    G g(rs.size());
    for (const auto& l : net->GetLinks())
    {
        boost::add_edge(index[l->GetEndA()], index[l->GetEndB()], g);
    }
    std::vector<std::vector<uint32_t>> d(rs.size(), std::vector<uint32_t>(rs.size(), 0));
    for (std::size_t s = 0; s < rs.size(); ++s)
    {
        boost::breadth_first_search(
            g,
            s,
            boost::visitor(boost::make_bfs_visitor(
                boost::record_distances(d[s].data(), boost::on_tree_edge()))));
    }
    return d;
}

class GenesisRouteletRoutingTest : public GenesisSimTest
{
  protected:
    void CompareModes(Shape shape)
    {
        std::vector<uint32_t> countsStatic;
        std::vector<uint32_t> countsShared;
        std::vector<Snapshot> st = RunMode(shape, "static", &countsStatic);
        std::vector<Snapshot> sh = RunMode(shape, "shared", &countsShared);
        ASSERT_EQ(st.size(), 4u);
        ASSERT_EQ(sh.size(), 4u);
        EXPECT_EQ(countsShared, countsStatic);
        EXPECT_EQ(countsStatic, (std::vector<uint32_t>{1, 1, 0}));
        const char* stage[] = {"after the spawn", "after the edits", "port down", "port up"};
        for (int k = 0; k < 4; ++k)
        {
            ASSERT_EQ(sh[k].tables.size(), st[k].tables.size());
            for (std::size_t i = 0; i < st[k].tables.size(); ++i)
            {
                EXPECT_EQ(sh[k].tables[i], st[k].tables[i]) << stage[k] << ", routelet " << i;
            }
            ASSERT_EQ(sh[k].outputs.size(), st[k].outputs.size());
            for (std::size_t i = 0; i < st[k].outputs.size(); ++i)
            {
                EXPECT_EQ(sh[k].outputs[i], st[k].outputs[i]) << stage[k] << ", lookup " << i;
                EXPECT_EQ(sh[k].inputs[i], st[k].inputs[i]) << stage[k] << ", input " << i;
                EXPECT_EQ(sh[k].paths[i], st[k].paths[i]) << stage[k] << ", path " << i;
            }
        }
        // The edits changed something, the port down too, and up restored the routing.
        EXPECT_FALSE(st[1] == st[0]);
        EXPECT_FALSE(st[2] == st[1]);
        EXPECT_EQ(st[3].outputs, st[1].outputs);
    }
};

} // namespace

// A 6 x 5 grid child (49 links): both modes give the same tables, lookups and
// paths hop by hop, after the spawn and after the same edits.
TEST_F(GenesisRouteletRoutingTest, SharedTableGivesTheStaticRoutesOnAGrid)
{
    CompareModes(FULL_GRID);
}

// A random tree with chords and two end hosts on a 5 x 5 parent: the same.
TEST_F(GenesisRouteletRoutingTest, SharedTableGivesTheStaticRoutesOnARandomTree)
{
    CompareModes(RANDOM_TREE);
}

// Every path the shared table gives reaches the address's owner along a
// shortest path of the child: at most dist(s, end A) + 1 hops (our own BFS).
TEST_F(GenesisRouteletRoutingTest, SharedPathsAreShortest)
{
    Grid g;
    BuildGrid(g, 5, 5);
    Ptr<VirtualNetwork> net = MakeChild(g, RANDOM_TREE, "shared");
    net->Spawn();
    auto dist = Distances(net);
    std::map<uint32_t, uint32_t> owner = Owners(net);
    const auto& rs = net->GetRoutelets();
    std::map<Ptr<Routelet>, uint32_t> index;
    for (uint32_t i = 0; i < rs.size(); ++i)
    {
        index[rs[i]] = i;
    }
    uint32_t checked = 0;
    for (const auto& l : net->GetLinks())
    {
        uint32_t a = index[l->GetEndA()];
        for (uint32_t host : {1U, 2U})
        {
            Ipv4Address t(l->GetSubnet().Get() + host);
            uint32_t target = owner.at(t.Get());
            for (uint32_t s = 0; s < rs.size(); ++s)
            {
                uint32_t cur = s;
                uint32_t hops = 0;
                while (cur != target && hops <= rs.size())
                {
                    Socket::SocketErrno err;
                    Ptr<Ipv4Route> rt = Output(rs[cur]->GetNode(), t, &err);
                    ASSERT_TRUE(rt) << "no route from " << cur << " to " << t;
                    Ipv4Address next =
                        rt->GetGateway() == Ipv4Address::GetZero() ? t : rt->GetGateway();
                    cur = owner.at(next.Get());
                    ++hops;
                }
                EXPECT_EQ(cur, target);
                EXPECT_LE(hops, dist[s][a] + (target == a ? 0 : 1)) << s << " -> " << t;
                EXPECT_GE(hops, dist[s][target]);
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, 2u * 22u * 20u);
}

// Route edits through the binding interface take effect on the routelet
// that makes them and on no other; a port that goes down withdraws its
// routes, and they come back when it goes up.
TEST_F(GenesisRouteletRoutingTest, EditsThroughTheBindingInterfaceTakeEffect)
{
    Grid g;
    BuildGrid(g, 4, 4);
    Ptr<VirtualNetwork> net = MakeChild(g, FULL_GRID, "shared");
    net->Spawn();
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(net);
    const auto& rs = net->GetRoutelets();
    // Routelet 5 (x 1, y 1) has four ports. The far corner's link 14-15.
    Ptr<VirtualRouteletState> s5 = bus->GetRouteletState(rs[5]);
    ASSERT_EQ(s5->GetNPorts(), 4u);
    Ptr<VirtualLink> far;
    for (const auto& l : net->GetLinks())
    {
        if (l->GetEndA() == rs[14] && l->GetEndB() == rs[15])
        {
            far = l;
        }
    }
    ASSERT_TRUE(far);
    Ipv4Address subnet = far->GetSubnet();
    Ipv4Address target(subnet.Get() + 2);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> before = Output(rs[5]->GetNode(), target, &err);
    Ptr<Ipv4Route> otherBefore = Output(rs[6]->GetNode(), target, &err);
    ASSERT_TRUE(before && otherBefore);

    std::vector<Ipv4Address> removedTrace;
    s5->TraceConnectWithoutContext("RouteRemoved",
                                   MakeCallback(+[](std::vector<Ipv4Address>* v,
                                                    Ipv4Address d,
                                                    Ipv4Mask,
                                                    Ipv4Address,
                                                    uint32_t) {
                                       v->push_back(d);
                                   }).Bind(&removedTrace));
    EXPECT_EQ(s5->RemoveRoute(subnet, Ipv4Mask("/30")), 1u);
    EXPECT_EQ(removedTrace, std::vector<Ipv4Address>{subnet});
    EXPECT_FALSE(Output(rs[5]->GetNode(), target, &err));
    EXPECT_EQ(err, Socket::ERROR_NOROUTETOHOST);
    EXPECT_EQ(s5->RemoveRoute(subnet, Ipv4Mask("/30")), 0u);
    // Routelet 6 shares the table and still has its route.
    Ptr<Ipv4Route> other = Output(rs[6]->GetNode(), target, &err);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->GetGateway(), otherBefore->GetGateway());

    // A new route through a port that is not the one the spawn chose.
    uint32_t port = 0;
    while (s5->GetNeighbourAddress(port) == before->GetGateway())
    {
        ++port;
    }
    s5->AddRoute(subnet, Ipv4Mask("/30"), port);
    Ptr<Ipv4Route> after = Output(rs[5]->GetNode(), target, &err);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->GetGateway(), s5->GetNeighbourAddress(port));
    EXPECT_EQ(after->GetOutputDevice(), s5->GetPort(port));
    std::size_t toSubnet = 0;
    for (const auto& r : s5->GetRoutes())
    {
        toSubnet += r.destination == subnet ? 1 : 0;
    }
    EXPECT_EQ(toSubnet, 1u);

    // Port down: every route through it is gone (RouteOutput finds none for
    // the subnets it led to); port up: the same routes again.
    Ptr<VirtualDatapathController> dp = bus->GetDatapathController(rs[5]);
    auto via = [&](uint32_t p) {
        std::vector<std::string> v;
        for (const auto& r : s5->GetRoutes())
        {
            if (r.port == static_cast<int32_t>(p) && r.gateway != Ipv4Address::GetAny())
            {
                std::ostringstream os;
                os << r.destination << " " << r.gateway;
                v.push_back(os.str());
            }
        }
        std::sort(v.begin(), v.end());
        return v;
    };
    std::vector<std::string> through0 = via(0);
    ASSERT_FALSE(through0.empty());
    Ipv4Address led(Ipv4Address(through0[0].substr(0, through0[0].find(' ')).c_str()).Get() + 1);
    ASSERT_TRUE(Output(rs[5]->GetNode(), led, &err));
    dp->SetPortEnabled(0, false);
    EXPECT_TRUE(via(0).empty());
    EXPECT_FALSE(Output(rs[5]->GetNode(), led, &err));
    dp->SetPortEnabled(0, true);
    EXPECT_EQ(via(0), through0);
    EXPECT_TRUE(Output(rs[5]->GetNode(), led, &err));
}

// The table is shared, sized 2 bytes per pair of routelets plus the
// destinations, and the teardown frees it: the routelets' routing lets go of
// it with their nodes, the network with its state.
TEST_F(GenesisRouteletRoutingTest, OneTablePerNetworkFreedByTheTeardown)
{
    Grid g;
    BuildGrid(g, 5, 4);
    Ptr<VirtualNetwork> net = MakeChild(g, FULL_GRID, "shared");
    net->Spawn();
    Ptr<const GenesisRouteletTable> table = net->GetRouteTable();
    ASSERT_TRUE(table);
    uint32_t n = 20;
    EXPECT_EQ(table->GetNRoutelets(), n);
    EXPECT_EQ(table->GetNDestinations(), g.links.size());
    EXPECT_GE(table->GetMemoryBytes(), 2u * n * n);
    EXPECT_LE(table->GetMemoryBytes(), 2u * n * n + 20u * g.links.size());
    // Held by the network, every routelet's routing and us.
    EXPECT_EQ(table->GetReferenceCount(), 1u + n + 1u);
    for (const auto& r : net->GetRoutelets())
    {
        Ptr<GenesisRouteletRouting> rt = DynamicCast<GenesisRouteletRouting>(
            r->GetNode()->GetObject<Ipv4>()->GetRoutingProtocol());
        ASSERT_TRUE(rt);
        EXPECT_EQ(rt->GetTable(), table);
        // Its own static table holds only loopback and connected routes.
        EXPECT_EQ(rt->GetNRoutes(), 1u + r->GetPorts().size());
    }
    net->Teardown();
    EXPECT_FALSE(net->GetRouteTable());
    EXPECT_EQ(table->GetReferenceCount(), 1u);
}
