/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Correctness of the spawn's scaling changes (routelets indexed by host,
 * adjacent link ends resolved without a search, the spawn's routes in one
 * shared table per network, or appended to Ipv4StaticRouting without its
 * duplicate scan in RoutingMode static): the routes a spawn
 * installs are checked against breadth-first distances computed here with
 * Boost.Graph, and real packets cross a grid child corner to corner.
 */
#include "genesis-test-common.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <map>
#include <set>
#include <tuple>

using namespace ns3;
using namespace ns3::genesis_test;

namespace
{

/// A w x h grid of point-to-point routers (links right and down), Genesis installed.
struct Grid
{
    uint32_t w{0};
    uint32_t h{0};
    NodeContainer nodes;
    std::vector<std::pair<uint32_t, uint32_t>> links; //!< parent links (node indices)
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
};

void
BuildGrid(Grid& g, uint32_t w, uint32_t h)
{
    g.w = w;
    g.h = h;
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
                if (j == i)
                {
                    continue;
                }
                addr.Assign(p2p.Install(g.nodes.Get(i), g.nodes.Get(j)));
                addr.NewNetwork();
                g.links.emplace_back(i, j);
            }
        }
    }
    g.root = g.genesis.Install(g.nodes);
}

/// A child with a routelet on every grid node and a link along every parent link.
Ptr<VirtualNetwork>
FullChild(Grid& g, const std::string& routing = "shared")
{
    Ptr<VirtualNetwork> net = g.genesis.CreateNetwork(g.root, "full", "controlled", "1Mbps");
    net->SetAttribute("Ipv4Mask", Ipv4MaskValue("255.255.0.0"));
    EXPECT_TRUE(net->SetAttributeFailSafe("RoutingMode", StringValue(routing)));
    std::vector<Ptr<Routelet>> r;
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

/// Hop distances from every routelet to every routelet of \p net (Boost BFS).
std::vector<std::vector<uint32_t>>
Distances(Ptr<VirtualNetwork> net, std::map<Ptr<Routelet>, std::size_t>& index)
{
    typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> G;
    const auto& rs = net->GetRoutelets();
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

class GenesisSpawnScale : public GenesisSimTest
{
};

uint32_t g_replies = 0;

void
CountReply(Ptr<const Packet>)
{
    ++g_replies;
}

} // namespace

// Every routelet gets exactly one /30 route per link it is not on, no
// duplicates, and each leads one hop closer to that link: the neighbour
// behind the gateway is at BFS distance d-1 from the link's end A where this
// routelet is at distance d (the spawn routes towards end A). In both routing
// modes: the routes of the shared table (listed with the routelet's own by
// GenesisRouteletRouting::GetRoutes) and the static routes.
class GenesisSpawnScaleModes : public GenesisSpawnScale,
                               public ::testing::WithParamInterface<std::string>
{
};

TEST_P(GenesisSpawnScaleModes, RoutesAreOnePerRemoteLinkAndFollowShortestPaths)
{
    Grid g;
    BuildGrid(g, 5, 4);
    Ptr<VirtualNetwork> net = FullChild(g, GetParam());
    net->Spawn();
    ASSERT_EQ(net->GetState(), VirtualNetwork::SPAWNED);

    std::map<Ptr<Routelet>, std::size_t> idx;
    auto dist = Distances(net, idx);
    // link subnet -> its ends (routelet indices); gateway address -> routelet index
    std::map<uint32_t, std::pair<std::size_t, std::size_t>> linkEnds;
    std::map<uint32_t, std::size_t> addrOwner;
    for (const auto& l : net->GetLinks())
    {
        uint32_t s = l->GetSubnet().Get();
        linkEnds[s] = {idx[l->GetEndA()], idx[l->GetEndB()]};
        addrOwner[s + 1] = idx[l->GetEndA()];
        addrOwner[s + 2] = idx[l->GetEndB()];
    }
    ASSERT_EQ(linkEnds.size(), g.links.size()) << "every link has its own /30";

    Ipv4StaticRoutingHelper helper;
    for (const auto& r : net->GetRoutelets())
    {
        std::size_t self = idx[r];
        Ptr<Ipv4> ipv4 = r->GetNode()->GetObject<Ipv4>();
        Ptr<Ipv4StaticRouting> rt = helper.GetStaticRouting(ipv4);
        ASSERT_TRUE(rt);
        std::set<uint32_t> routed;
        std::set<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>> seen;
        for (const auto& route : GenesisRouteletRouting::GetRoutes(rt))
        {
            const Ipv4RoutingTableEntry& e = route.entry;
            auto key = std::make_tuple(e.GetDestNetwork().Get(),
                                       e.GetDestNetworkMask().Get(),
                                       e.GetGateway().Get(),
                                       e.GetInterface());
            EXPECT_TRUE(seen.insert(key).second) << "duplicate route " << e;
            if (!e.IsGateway())
            {
                continue; // connected and loopback routes
            }
            EXPECT_EQ(e.GetDestNetworkMask(), Ipv4Mask("255.255.255.252"));
            EXPECT_EQ(route.metric, 0u);
            EXPECT_EQ(route.shared, GetParam() == "shared");
            auto le = linkEnds.find(e.GetDestNetwork().Get());
            ASSERT_NE(le, linkEnds.end()) << "route to a subnet that is no link: " << e;
            EXPECT_NE(le->second.first, self);
            EXPECT_NE(le->second.second, self);
            routed.insert(le->first);
            // The gateway is the far end of a link of this routelet, on that link's interface.
            auto gw = addrOwner.find(e.GetGateway().Get());
            ASSERT_NE(gw, addrOwner.end()) << e;
            std::size_t next = gw->second;
            EXPECT_EQ(dist[self][next], 1u) << "gateway is not a neighbour";
            Ipv4InterfaceAddress ifa = ipv4->GetAddress(e.GetInterface(), 0);
            EXPECT_TRUE(ifa.GetMask().IsMatch(ifa.GetLocal(), e.GetGateway()))
                << "gateway outside the interface's subnet";
            // Routes lead along a shortest path towards the link's end A.
            std::size_t endA = le->second.first;
            EXPECT_EQ(dist[next][endA] + 1, dist[self][endA])
                << "route to " << e.GetDestNetwork() << " at routelet " << self
                << " does not shorten the path";
        }
        std::size_t degree = 0;
        for (const auto& l : net->GetLinks())
        {
            degree += l->GetEndA() == r || l->GetEndB() == r ? 1 : 0;
        }
        EXPECT_EQ(routed.size(), g.links.size() - degree) << "routelet " << self;
    }
}

INSTANTIATE_TEST_SUITE_P(RoutingMode,
                         GenesisSpawnScaleModes,
                         ::testing::Values("shared", "static"));

// Two spawns of the same child in the same simulation setup give the same
// tables, route for route and in the same order (determinism).
TEST_F(GenesisSpawnScale, RouteTablesAreDeterministic)
{
    auto tables = []() {
        Grid g;
        BuildGrid(g, 4, 3);
        Ptr<VirtualNetwork> net = FullChild(g);
        net->Spawn();
        std::vector<std::string> out;
        Ipv4StaticRoutingHelper helper;
        for (const auto& r : net->GetRoutelets())
        {
            Ptr<Ipv4StaticRouting> rt = helper.GetStaticRouting(r->GetNode()->GetObject<Ipv4>());
            std::ostringstream os;
            for (const auto& route : GenesisRouteletRouting::GetRoutes(rt))
            {
                os << route.entry << " m" << route.metric << ";";
            }
            out.push_back(os.str());
        }
        Simulator::Destroy();
        return out;
    };
    std::vector<std::string> first = tables();
    std::vector<std::string> second = tables();
    ASSERT_EQ(first.size(), 12u);
    EXPECT_EQ(first, second);
}

// UdpEcho from the routelet on one corner of a 6 x 5 grid to an address on
// the link at the opposite corner: every request and reply is forwarded by
// the spawn's routes through the routelets between (9 routelet hops).
TEST_F(GenesisSpawnScale, EchoCrossesGridChildCornerToCorner)
{
    Grid g;
    BuildGrid(g, 6, 5);
    Ptr<VirtualNetwork> net = FullChild(g);
    net->Spawn();
    Ptr<Routelet> from = net->GetRoutelet(g.nodes.Get(0));
    Ptr<Routelet> to = net->GetRoutelet(g.nodes.Get(g.nodes.GetN() - 1));
    ASSERT_TRUE(from && to);
    Ptr<VirtualLink> last;
    for (const auto& l : net->GetLinks())
    {
        if (l->GetEndB() == to)
        {
            last = l;
        }
    }
    ASSERT_TRUE(last);
    UdpEchoServerHelper server(9);
    server.Install(to->GetNode()).Start(Seconds(0));
    UdpEchoClientHelper client(Ipv4Address(last->GetSubnet().Get() + 2), 9);
    client.SetAttribute("MaxPackets", UintegerValue(4));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(50)));
    client.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer ca = client.Install(from->GetNode());
    ca.Start(Seconds(1));
    g_replies = 0;
    ca.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&CountReply));
    // Every routelet on a shortest path forwards: count IPv4 forwards in the child.
    uint32_t forwarded = 0;
    for (const auto& r : net->GetRoutelets())
    {
        r->GetNode()->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            MakeBoundCallback(
                +[](uint32_t* n, const Ipv4Header&, Ptr<const Packet>, uint32_t) { ++*n; },
                &forwarded));
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(g_replies, 4u);
    // (5 + 4) - 1 = 8 intermediate routelets each way, 4 requests and 4 replies.
    EXPECT_EQ(forwarded, 8u * 2 * 4);
}

// Routelets are found by host node: every parent node has its root routelet,
// a child finds exactly its own, a node outside Genesis has none, and a second
// routelet on one host is still refused.
TEST_F(GenesisSpawnScale, RouteletIndexByHost)
{
    Grid g;
    BuildGrid(g, 3, 3);
    Ptr<Node> outside = CreateObject<Node>();
    for (uint32_t i = 0; i < g.nodes.GetN(); ++i)
    {
        Ptr<Routelet> r = g.root->GetRoutelet(g.nodes.Get(i));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->GetHost(), g.nodes.Get(i));
    }
    EXPECT_FALSE(g.root->GetRoutelet(outside));
    EXPECT_FALSE(g.root->GetRoutelet(nullptr));
    Ptr<VirtualNetwork> net = g.genesis.CreateNetwork(g.root, "some", "controlled", "1Mbps");
    Ptr<Routelet> r4 = net->AddRoutelet(g.nodes.Get(4));
    Ptr<Routelet> r8 = net->AddRoutelet(8U);
    EXPECT_EQ(net->GetRoutelet(g.nodes.Get(4)), r4);
    EXPECT_EQ(net->GetRoutelet(g.nodes.Get(8)), r8);
    EXPECT_FALSE(net->GetRoutelet(g.nodes.Get(0)));
    EXPECT_THROW(net->AddRoutelet(g.nodes.Get(4)), GenesisError);
    EXPECT_THROW(net->AddRoutelet(outside), GenesisError);
}

// Link resolution: a link between adjacent nodes maps onto the one parent
// link between them; a link between opposite grid corners onto a shortest
// path of the parent (w - 1 + h - 1 hops), consecutive and ending at its ends.
TEST_F(GenesisSpawnScale, LinksResolveOntoShortestParentPaths)
{
    Grid g;
    BuildGrid(g, 4, 3);
    Ptr<VirtualNetwork> net = g.genesis.CreateNetwork(g.root, "two", "controlled", "1Mbps");
    Ptr<Routelet> a = net->AddRoutelet(g.nodes.Get(0));
    Ptr<Routelet> b = net->AddRoutelet(g.nodes.Get(1));
    Ptr<Routelet> z = net->AddRoutelet(g.nodes.Get(11));
    Ptr<VirtualLink> near = net->AddLink(a, b);
    Ptr<VirtualLink> far = net->AddLink(a, z);
    net->Spawn();
    ASSERT_EQ(near->GetPhysicalPath().size(), 1u);
    EXPECT_EQ(near->GetPhysicalPath()[0].from, g.nodes.Get(0));
    EXPECT_EQ(near->GetPhysicalPath()[0].to, g.nodes.Get(1));
    EXPECT_EQ(near->GetPhysicalPath()[0].fromDev->GetChannel(),
              near->GetPhysicalPath()[0].toDev->GetChannel());
    const auto& hops = far->GetPhysicalPath();
    ASSERT_EQ(hops.size(), 3u + 2u);
    EXPECT_EQ(hops.front().from, g.nodes.Get(0));
    EXPECT_EQ(hops.back().to, g.nodes.Get(11));
    for (std::size_t k = 0; k < hops.size(); ++k)
    {
        EXPECT_EQ(hops[k].fromDev->GetChannel(), hops[k].toDev->GetChannel());
        if (k + 1 < hops.size())
        {
            EXPECT_EQ(hops[k].to, hops[k + 1].from);
        }
    }
}
