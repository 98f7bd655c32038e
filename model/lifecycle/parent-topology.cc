/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "parent-topology.h"

#include "profile-database.h"
#include "profile-reader.h"
#include "sqlite-database.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/channel.h"
#include "ns3/data-rate.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/node-list.h"
#include "ns3/routelet.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisParentTopology");

namespace
{

typedef std::vector<std::pair<Ipv4Address, Ipv4Mask>> RangeList;

// VirtualNetwork's address ranges, when it offers a public getter
// (GetAddressRanges); otherwise none are known.
template <typename T>
auto
RangesOf(const T& n, int) -> decltype(n.GetAddressRanges(), RangeList())
{
    const auto& r = n.GetAddressRanges();
    return RangeList(r.begin(), r.end());
}

template <typename T>
RangeList
RangesOf(const T&, long)
{
    return RangeList();
}

/// Channel propagation delay of a device (its channel's "Delay" attribute, else 0).
Time
ChannelDelay(Ptr<NetDevice> dev)
{
    Ptr<Channel> ch = dev ? dev->GetChannel() : nullptr;
    TimeValue v;
    if (ch && ch->GetAttributeFailSafe("Delay", v))
    {
        return v.Get();
    }
    return Time(0);
}

GenesisNetworkPolicy
PolicyOf(Ptr<VirtualNetwork> n)
{
    GenesisNetworkPolicy p;
    p.name = n->GetName();
    p.depth = n->GetDepth();
    UintegerValue u;
    if (n->GetAttributeFailSafe("MaxChildren", u))
    {
        p.maxChildren = static_cast<uint32_t>(std::min<uint64_t>(u.Get(), UINT32_MAX));
    }
    if (n->GetAttributeFailSafe("MaxDepth", u))
    {
        p.maxDepth = static_cast<uint32_t>(std::min<uint64_t>(u.Get(), UINT32_MAX));
    }
    DataRateValue r;
    if (n->GetAttributeFailSafe("MaxChildRate", r))
    {
        p.maxChildRateBps = r.Get().GetBitRate();
    }
    return p;
}

void
CollectNames(Ptr<VirtualNetwork> n, std::set<std::string>& names)
{
    if (n->GetState() != VirtualNetwork::TORN_DOWN)
    {
        names.insert(n->GetName());
    }
    for (const auto& c : n->GetChildren())
    {
        CollectNames(c, names);
    }
}

/// "n/d>n/d n/d>n/d" -> hops (delays filled in later)
bool
ParseHops(const std::string& text, std::vector<GenesisParentHop>& hops)
{
    std::istringstream is(text);
    std::string item;
    while (is >> item)
    {
        GenesisParentHop h;
        char s1 = 0;
        char gt = 0;
        char s2 = 0;
        std::istringstream it(item);
        if (!(it >> h.fromNode >> s1 >> h.fromDevice >> gt >> h.toNode >> s2 >> h.toDevice) ||
            s1 != '/' || gt != '>' || s2 != '/')
        {
            return false;
        }
        hops.push_back(h);
    }
    return true;
}

Ipv4Mask
MaskOf(int64_t len)
{
    len = std::max<int64_t>(0, std::min<int64_t>(32, len));
    return Ipv4Mask(len == 0 ? 0U : (0xffffffffU << (32 - len)));
}

bool
ParsePrefix(const std::string& text, Ipv4Address* addr, Ipv4Mask* mask)
{
    auto slash = text.find('/');
    if (slash == std::string::npos)
    {
        return false;
    }
    std::string a = text.substr(0, slash);
    int len = -1;
    try
    {
        len = std::stoi(text.substr(slash + 1));
    }
    catch (...)
    {
        return false;
    }
    if (len < 0 || len > 32 || a.empty())
    {
        return false;
    }
    *addr = Ipv4Address(a.c_str());
    *mask = Ipv4Mask(len == 0 ? 0U : (0xffffffffU << (32 - len)));
    return true;
}

} // namespace

// ------------------------------------------------------------------ special members

GenesisParentTopology::GenesisParentTopology()
    : ipv4Base("172.16.0.0"),
      ipv4Mask("255.255.0.0"),
      maxShimDepth(GenesisShimHeader::MAX_DEPTH - 1U)
{
}

GenesisParentTopology::~GenesisParentTopology() = default;

GenesisParentTopology::GenesisParentTopology(const GenesisParentTopology& other)
{
    *this = other;
}

GenesisParentTopology&
GenesisParentTopology::operator=(const GenesisParentTopology& other)
{
    if (this == &other)
    {
        return *this;
    }
    name = other.name;
    networkId = other.networkId;
    depth = other.depth;
    isRoot = other.isRoot;
    running = other.running;
    capacityClass = other.capacityClass;
    ipv4Base = other.ipv4Base;
    ipv4Mask = other.ipv4Mask;
    maxShimDepth = other.maxShimDepth;
    nNodes = other.nNodes;
    runningChildren = other.runningChildren;
    children = other.children;
    networkNames = other.networkNames;
    policies = other.policies;
    routeletHosts = other.routeletHosts;
    nodeNames = other.nodeNames;
    routeletNames = other.routeletNames;
    edges = other.edges;
    devices = other.devices;
    // Rebuilt rather than copied: the graph is a function of the fields (and
    // copying a Boost adjacency_list trips GCC's -Wmaybe-uninitialized).
    m_graph.reset();
    if (other.m_graph)
    {
        Finalize();
    }
    return *this;
}

GenesisParentTopology::GenesisParentTopology(GenesisParentTopology&& other) noexcept = default;
GenesisParentTopology& GenesisParentTopology::operator=(GenesisParentTopology&& other) noexcept =
    default;

// ------------------------------------------------------------------ graph

void
GenesisParentTopology::Finalize()
{
    auto g = std::make_unique<Graph>();
    // Vertices: the routelet hosts, in ascending node id (BFS visits lower ids first).
    std::vector<uint32_t> hosts = routeletHosts;
    for (const auto& e : edges)
    {
        hosts.push_back(e.from);
        hosts.push_back(e.to);
    }
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    g->vertexNode = hosts;
    for (std::size_t v = 0; v < hosts.size(); ++v)
    {
        g->nodeVertex[hosts[v]] = v;
    }
    // Device slots.
    for (const auto& kv : devices)
    {
        g->deviceSlot[kv.first] = g->slotDevice.size();
        g->slotDevice.push_back(kv.first);
        g->slotResidual.push_back(kv.second.residualBps);
    }
    // For each ordered host pair, the edge VirtualNetwork::Spawn takes for it:
    // the first of the fewest physical hops, in GetEdges order.
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> best;
    for (std::size_t i = 0; i < edges.size(); ++i)
    {
        const auto& e = edges[i];
        if (e.from == e.to || e.hops.empty())
        {
            continue;
        }
        auto key = std::make_pair(g->nodeVertex[e.from], g->nodeVertex[e.to]);
        auto it = best.find(key);
        if (it == best.end() || e.hops.size() < edges[it->second].hops.size())
        {
            best[key] = i;
        }
    }
    for (std::size_t v = 0; v < hosts.size(); ++v)
    {
        boost::add_vertex(g->graph);
    }
    // std::map iterates by (from vertex, to vertex): out-edges sorted by target id.
    for (const auto& kv : best)
    {
        std::size_t idx = g->edgeInfo.size();
        Graph::EdgeInfo info;
        info.edge = kv.second;
        int64_t delay = 0;
        for (const auto& h : edges[kv.second].hops)
        {
            delay += h.delay.GetNanoSeconds();
            for (auto dk :
                 {std::make_pair(h.fromNode, h.fromDevice), std::make_pair(h.toNode, h.toDevice)})
            {
                auto s = g->deviceSlot.find(dk);
                info.slots.push_back(s == g->deviceSlot.end() ? Graph::NO_SLOT : s->second);
            }
        }
        info.delayNs = delay;
        g->edgeInfo.push_back(info);
        boost::add_edge(kv.first.first, kv.first.second, Graph::EdgeProp{idx}, g->graph);
    }
    m_graph = std::move(g);
}

const GenesisParentTopology::Graph&
GenesisParentTopology::GetGraph() const
{
    if (!m_graph)
    {
        const_cast<GenesisParentTopology*>(this)->Finalize();
    }
    return *m_graph;
}

bool
GenesisParentTopology::HasRoutelet(uint32_t nodeId) const
{
    return std::find(routeletHosts.begin(), routeletHosts.end(), nodeId) != routeletHosts.end();
}

const GenesisParentDevice*
GenesisParentTopology::FindDevice(uint32_t nodeId, uint32_t deviceIndex) const
{
    auto it = devices.find(std::make_pair(nodeId, deviceIndex));
    return it == devices.end() ? nullptr : &it->second;
}

const GenesisNetworkPolicy*
GenesisParentTopology::GetPolicy() const
{
    return policies.empty() ? nullptr : &policies.back();
}

// ------------------------------------------------------------------ profiles

bool
GenesisParentTopology::AddProfile(const GenesisProfile& profile)
{
    if (profile.name == name)
    {
        // Routelet names of the parent: node ids and Names resolve directly; a
        // parent_routelet (the grandparent's name) by position, since the
        // spawner creates routelets in profile order.
        bool byPosition = profile.routelets.size() == routeletHosts.size();
        for (std::size_t i = 0; i < profile.routelets.size(); ++i)
        {
            const auto& r = profile.routelets[i];
            if (r.hostKind == GenesisRouteletSpec::NODE_ID)
            {
                routeletNames[r.name] = r.nodeId;
            }
            else if (r.hostKind == GenesisRouteletSpec::NODE_NAME && nodeNames.count(r.hostName))
            {
                routeletNames[r.name] = nodeNames.at(r.hostName);
            }
            else if (byPosition)
            {
                routeletNames[r.name] = routeletHosts[i];
            }
        }
        return true;
    }
    for (auto& c : children)
    {
        if (c.name != profile.name)
        {
            continue;
        }
        for (const auto& h : profile.hosts)
        {
            if (h.node.byId)
            {
                c.endHosts.insert(h.node.nodeId);
            }
            else if (nodeNames.count(h.node.name))
            {
                c.endHosts.insert(nodeNames.at(h.node.name));
            }
        }
        return true;
    }
    return false;
}

// ------------------------------------------------------------------ live network

GenesisParentTopology
GenesisParentTopology::FromNetwork(Ptr<VirtualNetwork> parent)
{
    if (!parent)
    {
        throw GenesisError("GenesisParentTopology::FromNetwork: the parent network is null");
    }
    if (parent->GetState() == VirtualNetwork::TORN_DOWN)
    {
        throw GenesisError("GenesisParentTopology::FromNetwork: network '" + parent->GetName() +
                           "' is torn down; a child needs a running parent");
    }
    GenesisParentTopology t;
    t.name = parent->GetName();
    t.networkId = parent->GetId();
    t.depth = parent->GetDepth();
    t.isRoot = !parent->GetParent();
    t.running = parent->GetState() == VirtualNetwork::SPAWNED;
    t.capacityClass = parent->GetCapacityClass();
    Ipv4AddressValue base;
    Ipv4MaskValue mask;
    parent->GetAttribute("Ipv4Base", base);
    parent->GetAttribute("Ipv4Mask", mask);
    t.ipv4Base = base.Get();
    t.ipv4Mask = mask.Get();
    t.nNodes = NodeList::GetNNodes();
    for (uint32_t i = 0; i < t.nNodes; ++i)
    {
        std::string n = Names::FindName(NodeList::GetNode(i));
        if (!n.empty())
        {
            t.nodeNames.emplace(n, i);
        }
    }
    for (const auto& c : parent->GetChildren())
    {
        if (c->GetState() == VirtualNetwork::TORN_DOWN)
        {
            continue;
        }
        GenesisNetworkAddressing a;
        a.name = c->GetName();
        c->GetAttribute("Ipv4Base", base);
        c->GetAttribute("Ipv4Mask", mask);
        a.base = base.Get();
        a.mask = mask.Get();
        a.ranges = RangesOf(*c, 0);
        a.spawned = c->GetState() == VirtualNetwork::SPAWNED;
        t.runningChildren += a.spawned ? 1 : 0;
        t.children.push_back(a);
    }
    CollectNames(parent->GetRoot(), t.networkNames);
    std::vector<Ptr<VirtualNetwork>> chain;
    for (Ptr<VirtualNetwork> n = parent; n; n = n->GetParent())
    {
        chain.push_back(n);
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    {
        t.policies.push_back(PolicyOf(*it));
    }
    for (const auto& r : parent->GetRoutelets())
    {
        uint32_t host = r->GetHost()->GetId();
        t.routeletHosts.push_back(host);
        std::string n = Names::FindName(r);
        if (n.empty() && r->GetNode() && r->GetNode() != r->GetHost())
        {
            n = Names::FindName(r->GetNode());
        }
        if (!n.empty())
        {
            t.routeletNames.emplace(n, host);
        }
    }
    for (const auto& e : parent->GetEdges())
    {
        GenesisParentEdge pe;
        pe.from = e.from->GetId();
        pe.to = e.to->GetId();
        for (const auto& h : e.hops)
        {
            GenesisParentHop ph;
            ph.fromNode = h.from->GetId();
            ph.fromDevice = h.fromDev->GetIfIndex();
            ph.toNode = h.to->GetId();
            ph.toDevice = h.toDev->GetIfIndex();
            ph.delay = ChannelDelay(h.fromDev);
            pe.hops.push_back(ph);
            for (Ptr<NetDevice> d : {h.fromDev, h.toDev})
            {
                auto key = std::make_pair(d->GetNode()->GetId(), d->GetIfIndex());
                if (t.devices.count(key))
                {
                    continue;
                }
                Ptr<ArbitratorQueueDisc> arb = parent->GetArbitrator(d);
                if (!arb)
                {
                    continue;
                }
                GenesisParentDevice pd;
                pd.nodeId = key.first;
                pd.deviceIndex = key.second;
                pd.linkRateBps = arb->GetLinkRate().GetBitRate();
                pd.residualBps = arb->GetResidualRate().GetBitRate();
                t.devices[key] = pd;
            }
        }
        t.edges.push_back(pe);
    }
    t.Finalize();
    return t;
}

// ------------------------------------------------------------------ database

GenesisParentTopology
GenesisParentTopology::FromDatabase(const std::string& sqlitePath, const std::string& parentName)
{
    const std::string where = "profile database '" + sqlitePath + "'";
    {
        std::ifstream probe(sqlitePath, std::ios::binary);
        if (!probe)
        {
            throw GenesisError(where +
                               ": cannot open the file; give the path of a database written "
                               "by GenesisProfileDatabase (its Path attribute)");
        }
        char header[16] = {};
        probe.read(header, sizeof(header));
        if (std::string(header, 15) != "SQLite format 3")
        {
            throw GenesisError(where + ": not an SQLite database file");
        }
    }
    GenesisParentTopology t;
    try
    {
        SqliteDatabase db(sqlitePath);
        if (db.QueryInt64("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                          "'meta'") == 0)
        {
            throw GenesisError(where + ": has no 'meta' table; it was not written by "
                                       "GenesisProfileDatabase");
        }
        std::string version =
            db.QueryText("SELECT coalesce((SELECT value FROM meta WHERE key = 'schema_version'), "
                         "'')");
        if (version != std::to_string(GenesisProfileDatabase::SCHEMA_VERSION))
        {
            throw GenesisError(where + ": schema version '" + version + "', this build reads " +
                               std::to_string(GenesisProfileDatabase::SCHEMA_VERSION) +
                               "; record the run again with this build");
        }
        // The network.
        SqliteStatement q =
            db.Prepare("SELECT network_id, name, depth, class, state, ipv4_base, ipv4_prefix, "
                       "max_children, max_depth, max_child_rate_bps, parent_id, profile_text "
                       "FROM networks WHERE " +
                       std::string(parentName.empty() ? "parent_id IS NULL" : "name = ?"));
        if (!parentName.empty())
        {
            q.Bind(1, parentName);
        }
        if (!q.Step())
        {
            std::string known = db.QueryText(
                "SELECT coalesce(group_concat(name, ', '), '') FROM (SELECT name FROM networks "
                "WHERE state <> 'torn_down' ORDER BY network_id)");
            throw GenesisError(where + ": no network '" +
                               (parentName.empty() ? std::string("(root)") : parentName) +
                               "' is recorded" +
                               (known.empty() ? std::string("; the database has no topology "
                                                            "(call RecordTopology or Attach)")
                                              : "; recorded networks: " + known));
        }
        int64_t id = q.GetInt64(0);
        t.networkId = static_cast<uint16_t>(id);
        t.name = q.GetText(1);
        t.depth = static_cast<uint32_t>(q.GetInt64(2));
        std::string cls = q.IsNull(3) ? "" : q.GetText(3);
        t.capacityClass = cls == "constant"      ? ArbitratorQueueDiscClass::CONSTANT
                          : cls == "best-effort" ? ArbitratorQueueDiscClass::BEST_EFFORT
                                                 : ArbitratorQueueDiscClass::CONTROLLED;
        std::string state = q.GetText(4);
        if (state == "torn_down")
        {
            throw GenesisError(where + ": network '" + t.name +
                               "' is torn down; a child needs a running parent");
        }
        t.running = state == "spawned";
        t.ipv4Base = Ipv4Address(q.GetText(5).c_str());
        t.ipv4Mask = MaskOf(q.GetInt64(6));
        t.isRoot = q.IsNull(10);
        std::string ownProfile = q.GetText(11);

        std::string n = db.QueryText("SELECT coalesce((SELECT value FROM meta WHERE key = "
                                     "'n_nodes'), '0')");
        t.nNodes = static_cast<uint32_t>(std::stoul(n));
        SqliteStatement names = db.Prepare("SELECT node_id, name FROM node_names ORDER BY 1");
        while (names.Step())
        {
            t.nodeNames.emplace(names.GetText(1), static_cast<uint32_t>(names.GetInt64(0)));
        }
        SqliteStatement all =
            db.Prepare("SELECT name FROM networks WHERE state <> 'torn_down' ORDER BY 1");
        while (all.Step())
        {
            t.networkNames.insert(all.GetText(0));
        }
        // Policies: the network and its ancestors, root first.
        SqliteStatement pol = db.Prepare("SELECT name, depth, max_children, max_depth, "
                                         "max_child_rate_bps, parent_id FROM networks WHERE "
                                         "network_id = ?");
        for (int64_t cur = id; cur >= 0;)
        {
            pol.Bind(1, cur);
            if (!pol.Step())
            {
                throw GenesisError(where + ": network id " + std::to_string(cur) +
                                   " (an ancestor of '" + t.name + "') is not recorded");
            }
            GenesisNetworkPolicy p;
            p.name = pol.GetText(0);
            p.depth = static_cast<uint32_t>(pol.GetInt64(1));
            p.maxChildren = static_cast<uint32_t>(pol.GetInt64(2));
            p.maxDepth = static_cast<uint32_t>(pol.GetInt64(3));
            p.maxChildRateBps = static_cast<uint64_t>(pol.GetInt64(4));
            t.policies.insert(t.policies.begin(), p);
            cur = pol.IsNull(5) ? -1 : pol.GetInt64(5);
            pol.Reset();
        }
        // Children (siblings of a new child).
        std::vector<std::string> childProfiles;
        SqliteStatement ch =
            db.Prepare("SELECT name, ipv4_base, ipv4_prefix, address_ranges, state, profile_text "
                       "FROM networks WHERE parent_id = ? AND state <> 'torn_down' ORDER BY "
                       "network_id");
        ch.Bind(1, id);
        while (ch.Step())
        {
            GenesisNetworkAddressing a;
            a.name = ch.GetText(0);
            a.base = Ipv4Address(ch.GetText(1).c_str());
            a.mask = MaskOf(ch.GetInt64(2));
            std::istringstream rs(ch.GetText(3));
            std::string item;
            while (rs >> item)
            {
                Ipv4Address p;
                Ipv4Mask m;
                if (ParsePrefix(item, &p, &m))
                {
                    a.ranges.emplace_back(p, m);
                }
            }
            a.spawned = ch.GetText(4) == "spawned";
            t.runningChildren += a.spawned ? 1 : 0;
            t.children.push_back(a);
            childProfiles.push_back(ch.GetText(5));
        }
        // Routelets.
        SqliteStatement rl = db.Prepare("SELECT host_node_id, coalesce(name, '') FROM routelets "
                                        "WHERE network_id = ? ORDER BY position");
        rl.Bind(1, id);
        while (rl.Step())
        {
            uint32_t host = static_cast<uint32_t>(rl.GetInt64(0));
            t.routeletHosts.push_back(host);
            if (!rl.GetText(1).empty())
            {
                t.routeletNames.emplace(rl.GetText(1), host);
            }
        }
        // Devices: the network's arbitrators, with the channel delay.
        std::map<std::pair<uint32_t, uint32_t>, Time> delays;
        SqliteStatement dv = db.Prepare("SELECT node_id, device_index, delay_ns FROM devices");
        while (dv.Step())
        {
            delays[std::make_pair(static_cast<uint32_t>(dv.GetInt64(0)),
                                  static_cast<uint32_t>(dv.GetInt64(1)))] =
                NanoSeconds(dv.GetInt64(2));
        }
        SqliteStatement al = db.Prepare("SELECT node_id, device_index, link_rate_bps, "
                                        "residual_bps FROM allocations WHERE network_id = ?");
        al.Bind(1, id);
        while (al.Step())
        {
            GenesisParentDevice d;
            d.nodeId = static_cast<uint32_t>(al.GetInt64(0));
            d.deviceIndex = static_cast<uint32_t>(al.GetInt64(1));
            d.linkRateBps = static_cast<uint64_t>(al.GetInt64(2));
            d.residualBps = static_cast<uint64_t>(al.GetInt64(3));
            t.devices[std::make_pair(d.nodeId, d.deviceIndex)] = d;
        }
        // Adjacencies.
        SqliteStatement ed = db.Prepare(
            "SELECT from_node, to_node, hops FROM edges WHERE network_id = ? ORDER BY position");
        ed.Bind(1, id);
        while (ed.Step())
        {
            GenesisParentEdge e;
            e.from = static_cast<uint32_t>(ed.GetInt64(0));
            e.to = static_cast<uint32_t>(ed.GetInt64(1));
            if (!ParseHops(ed.GetText(2), e.hops))
            {
                throw GenesisError(where + ": edge " + std::to_string(e.from) + " -> " +
                                   std::to_string(e.to) + " of network '" + t.name +
                                   "' has unreadable hops '" + ed.GetText(2) + "'");
            }
            for (auto& h : e.hops)
            {
                auto it = delays.find(std::make_pair(h.fromNode, h.fromDevice));
                h.delay = it == delays.end() ? Time(0) : it->second;
            }
            t.edges.push_back(e);
        }
        // Profiles stored with the networks: the parent's routelet names, the siblings' hosts.
        auto learn = [&t](const std::string& text) {
            if (text.find("schema_version") == std::string::npos)
            {
                return; // a canonical description, not a profiling script
            }
            GenesisProfileReadResult r = GenesisProfileReader::ReadString(text, "<database>");
            if (r.Ok())
            {
                t.AddProfile(r.profile);
            }
        };
        learn(ownProfile);
        for (const auto& p : childProfiles)
        {
            learn(p);
        }
    }
    catch (const GenesisError& e)
    {
        std::string what = e.what();
        if (what.find(where) != std::string::npos)
        {
            throw;
        }
        throw GenesisError(where + ": " + what +
                           " (is it a profile database of this Genesis version?)");
    }
    t.Finalize();
    return t;
}

} // namespace ns3
