/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "profile-verifier.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisProfileVerifier");

// ------------------------------------------------------------------ result

bool
GenesisVerifyResult::Ok() const
{
    return GetNErrors() == 0;
}

std::size_t
GenesisVerifyResult::GetNErrors() const
{
    return std::count_if(diagnostics.begin(), diagnostics.end(), [](const GenesisDiagnostic& d) {
        return d.severity == GenesisDiagnostic::ERROR;
    });
}

std::size_t
GenesisVerifyResult::GetNWarnings() const
{
    return diagnostics.size() - GetNErrors();
}

std::string
GenesisVerifyResult::Format() const
{
    std::string s;
    for (const auto& d : diagnostics)
    {
        s += d.ToString() + "\n";
    }
    return s;
}

namespace
{

typedef GenesisParentTopology::Graph TGraph;
constexpr uint32_t NO_NODE = std::numeric_limits<uint32_t>::max();

std::string
NodeText(uint32_t id)
{
    return "node " + std::to_string(id);
}

std::string
DevText(const std::pair<uint32_t, uint32_t>& d)
{
    return "node " + std::to_string(d.first) + " device " + std::to_string(d.second);
}

std::string
TimeText(int64_t ns)
{
    std::ostringstream os;
    if (ns % 1000000 == 0)
    {
        os << ns / 1000000 << "ms";
    }
    else if (ns % 1000 == 0)
    {
        os << ns / 1000 << "us";
    }
    else
    {
        os << ns << "ns";
    }
    return os.str();
}

std::string
PrefixText(Ipv4Address a, Ipv4Mask m)
{
    std::ostringstream os;
    os << a << "/" << m.GetPrefixLength();
    return os.str();
}

std::string
AddrText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

bool
Contains(Ipv4Address outer, Ipv4Mask outerMask, Ipv4Address inner, Ipv4Mask innerMask)
{
    return outerMask.GetPrefixLength() <= innerMask.GetPrefixLength() &&
           inner.CombineMask(outerMask) == outer.CombineMask(outerMask);
}

bool
Overlap(Ipv4Address a, Ipv4Mask am, Ipv4Address b, Ipv4Mask bm)
{
    return Contains(a, am, b, bm) || Contains(b, bm, a, am);
}

bool
Guaranteed(ArbitratorQueueDiscClass::CapacityClass c)
{
    return c != ArbitratorQueueDiscClass::BEST_EFFORT;
}

const char*
ClassText(ArbitratorQueueDiscClass::CapacityClass c)
{
    switch (c)
    {
    case ArbitratorQueueDiscClass::CONSTANT:
        return "constant";
    case ArbitratorQueueDiscClass::CONTROLLED:
        return "controlled";
    default:
        return "best-effort";
    }
}

/// The closest of \p names to \p what, as a "did you mean" hint (or "").
template <typename Map>
std::string
Suggest(const std::string& what, const Map& names, const std::string& kind)
{
    std::string best;
    std::size_t bestD = std::numeric_limits<std::size_t>::max();
    for (const auto& kv : names)
    {
        std::size_t d = GenesisProfileReader::EditDistance(what, kv.first);
        if (d < bestD)
        {
            bestD = d;
            best = kv.first;
        }
    }
    if (!best.empty() && bestD <= std::max<std::size_t>(2, what.size() / 3))
    {
        return "did you mean '" + best + "'?";
    }
    if (names.empty())
    {
        return "no " + kind + " has a name";
    }
    std::string list;
    std::size_t n = 0;
    for (const auto& kv : names)
    {
        if (n++ == 8)
        {
            list += ", ...";
            break;
        }
        list += (list.empty() ? "" : ", ") + kv.first;
    }
    return "known " + kind + " names: " + list;
}

/// Locations of top-level keys, found in the profile file (the model keeps none for them).
class KeyLocator
{
  public:
    explicit KeyLocator(const GenesisProfile& p)
        : m_file(p.file),
          m_fallback(p.location)
    {
        std::ifstream f(p.file);
        if (!f)
        {
            return;
        }
        try
        {
            m_root = YAML::LoadFile(p.file);
            m_ok = m_root.IsMap();
        }
        catch (const std::exception&)
        {
            m_ok = false;
        }
    }

    /// \return the location of the value of top-level \p key (or a sub-key), else the document
    GenesisLocation Get(const std::string& key, const std::string& sub = "") const
    {
        if (!m_ok)
        {
            return m_fallback;
        }
        try
        {
            const YAML::Node& root = m_root;
            YAML::Node n = root[key];
            if (n && !sub.empty() && n.IsMap())
            {
                const YAML::Node& cn = n;
                YAML::Node s = cn[sub];
                if (s)
                {
                    n = s;
                }
            }
            if (!n)
            {
                return m_fallback;
            }
            GenesisLocation l;
            l.file = m_file;
            YAML::Mark m = n.Mark();
            if (m.line < 0 || m.column < 0)
            {
                return m_fallback;
            }
            l.line = static_cast<uint32_t>(m.line) + 1;
            l.column = static_cast<uint32_t>(m.column) + 1;
            return l;
        }
        catch (const std::exception&)
        {
            return m_fallback;
        }
    }

  private:
    std::string m_file;
    GenesisLocation m_fallback;
    YAML::Node m_root;
    bool m_ok{false};
};

/// Edge filter of a path search: devices with an arbitrator and enough capacity left.
struct EdgeFilter
{
    const TGraph* g{nullptr};
    const std::vector<uint64_t>* avail{nullptr}; // null: capacity is not checked
    uint64_t need{0};
    bool allowUnmanaged{false};

    bool operator()(const TGraph::BoostGraph::edge_descriptor& e) const
    {
        const TGraph::EdgeInfo& info = g->edgeInfo[g->graph[e].index];
        for (std::size_t s : info.slots)
        {
            if (s == TGraph::NO_SLOT)
            {
                if (!allowUnmanaged)
                {
                    return false;
                }
                continue;
            }
            if (avail && (*avail)[s] < need)
            {
                return false;
            }
        }
        return true;
    }
};

/// A path over the graph: vertices and the graph-edge ids (edgeInfo indexes) between them.
struct GPath
{
    std::vector<std::size_t> vertices;
    std::vector<std::size_t> edges;
    int64_t delayNs{0};
};

/// BFS over the graph filtered by \p filter through every waypoint; false when a segment fails.
bool
FewestHops(const TGraph& g,
           const std::vector<std::size_t>& waypoints,
           const EdgeFilter& filter,
           GPath* out,
           std::size_t* failedSegment)
{
    typedef boost::filtered_graph<TGraph::BoostGraph, EdgeFilter> FG;
    FG fg(g.graph, filter);
    std::size_t n = boost::num_vertices(g.graph);
    out->vertices.assign(1, waypoints.front());
    out->edges.clear();
    out->delayNs = 0;
    std::vector<std::size_t> pred(n);
    for (std::size_t w = 0; w + 1 < waypoints.size(); ++w)
    {
        std::size_t s = waypoints[w];
        std::size_t t = waypoints[w + 1];
        if (s == t)
        {
            continue;
        }
        std::iota(pred.begin(), pred.end(), 0);
        boost::breadth_first_search(
            fg,
            s,
            boost::visitor(boost::make_bfs_visitor(
                boost::record_predecessors(pred.data(), boost::on_tree_edge()))));
        if (pred[t] == t)
        {
            *failedSegment = w;
            return false;
        }
        std::vector<std::size_t> seg;
        for (std::size_t v = t; v != s; v = pred[v])
        {
            seg.push_back(v);
        }
        for (auto it = seg.rbegin(); it != seg.rend(); ++it)
        {
            auto e = boost::edge(out->vertices.back(), *it, g.graph);
            std::size_t idx = g.graph[e.first].index;
            out->edges.push_back(idx);
            out->delayNs += g.edgeInfo[idx].delayNs;
            out->vertices.push_back(*it);
        }
    }
    return true;
}

/**
 * Fewest hops within a delay bound, through the waypoints: a hop-layered
 * Bellman-Ford over (segment, vertex) states keeping the least delay per
 * state and layer; the first layer that reaches the last waypoint within the
 * bound gives the path. \p leastDelay gets the least delay found at all.
 */
bool
FewestHopsWithinDelay(const TGraph& g,
                      const std::vector<std::size_t>& waypoints,
                      const EdgeFilter& filter,
                      int64_t boundNs,
                      GPath* out,
                      int64_t* leastDelay)
{
    const std::size_t n = boost::num_vertices(g.graph);
    const std::size_t stages = waypoints.size() - 1;
    const int64_t INF = std::numeric_limits<int64_t>::max();
    auto id = [n](std::size_t stage, std::size_t v) { return stage * n + v; };
    const std::size_t nStates = stages * n;
    const std::size_t target = id(stages - 1, waypoints.back());

    struct Pred
    {
        std::size_t state;
        std::size_t edge; // NO_SLOT: a stage advance (no hop)
    };

    std::vector<std::vector<Pred>> preds; // per layer
    std::vector<int64_t> cur(nStates, INF);
    std::vector<Pred> p0(nStates, Pred{TGraph::NO_SLOT, TGraph::NO_SLOT});
    cur[id(0, waypoints[0])] = 0;
    auto advance = [&](std::vector<int64_t>& d, std::vector<Pred>& p) {
        for (std::size_t s = 0; s + 1 < stages; ++s)
        {
            std::size_t from = id(s, waypoints[s + 1]);
            std::size_t to = id(s + 1, waypoints[s + 1]);
            if (d[from] < d[to])
            {
                d[to] = d[from];
                p[to] = Pred{from, TGraph::NO_SLOT};
            }
        }
    };
    advance(cur, p0);
    preds.push_back(p0);
    *leastDelay = cur[target];
    std::size_t found = cur[target] <= boundNs ? 0 : TGraph::NO_SLOT;
    std::vector<std::vector<int64_t>> layers{cur};
    for (std::size_t h = 1; found == TGraph::NO_SLOT && h <= nStates; ++h)
    {
        std::vector<int64_t> next(nStates, INF);
        std::vector<Pred> p(nStates, Pred{TGraph::NO_SLOT, TGraph::NO_SLOT});
        bool any = false;
        for (std::size_t s = 0; s < stages; ++s)
        {
            for (std::size_t u = 0; u < n; ++u)
            {
                int64_t du = cur[id(s, u)];
                if (du == INF)
                {
                    continue;
                }
                for (auto [ei, eend] = boost::out_edges(u, g.graph); ei != eend; ++ei)
                {
                    if (!filter(*ei))
                    {
                        continue;
                    }
                    std::size_t idx = g.graph[*ei].index;
                    std::size_t v = boost::target(*ei, g.graph);
                    int64_t dv = du + g.edgeInfo[idx].delayNs;
                    if (dv < next[id(s, v)])
                    {
                        next[id(s, v)] = dv;
                        p[id(s, v)] = Pred{id(s, u), idx};
                        any = true;
                    }
                }
            }
        }
        if (!any)
        {
            break;
        }
        advance(next, p);
        preds.push_back(p);
        layers.push_back(next);
        cur.swap(next);
        *leastDelay = std::min(*leastDelay, cur[target]);
        if (cur[target] <= boundNs)
        {
            found = h;
        }
    }
    if (found == TGraph::NO_SLOT)
    {
        return false;
    }
    // Walk back through the layers.
    std::vector<std::size_t> verts;
    std::vector<std::size_t> edges;
    std::size_t state = target;
    std::size_t layer = found;
    verts.push_back(state % n);
    while (true)
    {
        Pred pr = preds[layer][state];
        if (pr.state == TGraph::NO_SLOT)
        {
            break;
        }
        if (pr.edge == TGraph::NO_SLOT)
        {
            state = pr.state; // stage advance, same vertex, same layer
            continue;
        }
        edges.push_back(pr.edge);
        state = pr.state;
        --layer;
        verts.push_back(state % n);
    }
    out->vertices.assign(verts.rbegin(), verts.rend());
    out->edges.assign(edges.rbegin(), edges.rend());
    out->delayNs = layers[found][target];
    return true;
}

/// The checks, run once per Verify call.
class Checker
{
  public:
    Checker(const GenesisProfile& p, const GenesisParentTopology* t, GenesisVerifyResult& r)
        : m_p(p),
          m_t(t),
          m_r(r),
          m_keys(p)
    {
    }

    void Run()
    {
        m_r.plan.network = m_p.name;
        m_r.plan.parent = m_t ? m_t->name : m_p.parent;
        if (m_t)
        {
            CheckNetwork();
        }
        ResolveRoutelets();
        CheckConnectivity();
        CheckAddresses();
        ResolveLinks();
        CheckHosts();
        CheckMembership();
        CheckTimeline();
        std::stable_sort(m_r.diagnostics.begin(),
                         m_r.diagnostics.end(),
                         [](const GenesisDiagnostic& a, const GenesisDiagnostic& b) {
                             return std::make_pair(a.location.line, a.location.column) <
                                    std::make_pair(b.location.line, b.location.column);
                         });
    }

  private:
    void Report(const GenesisLocation& l,
                GenesisDiagnostic::Severity sev,
                const std::string& msg,
                const std::string& hint)
    {
        GenesisDiagnostic d;
        d.location = l;
        d.severity = sev;
        d.message = msg;
        d.hint = hint;
        m_r.diagnostics.push_back(d);
    }

    void Error(const GenesisLocation& l, const std::string& msg, const std::string& hint = "")
    {
        Report(l, GenesisDiagnostic::ERROR, msg, hint);
    }

    void Warning(const GenesisLocation& l, const std::string& msg, const std::string& hint = "")
    {
        Report(l, GenesisDiagnostic::WARNING, msg, hint);
    }

    std::string Parent() const
    {
        return "parent network '" + m_t->name + "'";
    }

    uint32_t ChildDepth() const
    {
        return m_t->depth + 1;
    }

    // ---------------------------------------------------------------- network

    void CheckNetwork()
    {
        const GenesisParentTopology& t = *m_t;
        if (!m_p.parent.empty() && m_p.parent != t.name)
        {
            Error(m_keys.Get("parent"),
                  "the profile names parent '" + m_p.parent + "' but is verified against " +
                      Parent(),
                  "spawn it in '" + m_p.parent + "', or change 'parent' to '" + t.name + "'");
        }
        if (t.networkNames.count(m_p.name))
        {
            Error(m_keys.Get("name"),
                  "a network named '" + m_p.name + "' already exists in the tree",
                  "give every network a unique name");
        }
        if (!t.running)
        {
            Error(m_keys.Get("parent"),
                  Parent() + " is not running",
                  "spawn '" + t.name + "' before its children");
        }
        if (ChildDepth() > t.maxShimDepth)
        {
            Error(m_keys.Get("parent"),
                  "nesting depth " + std::to_string(ChildDepth()) +
                      " exceeds the Genesis shim's maximum of " + std::to_string(t.maxShimDepth),
                  "spawn the network higher in the tree");
        }
        for (const auto& q : t.policies)
        {
            if (q.maxDepth != std::numeric_limits<uint32_t>::max() &&
                ChildDepth() - q.depth > q.maxDepth)
            {
                Error(m_keys.Get("parent"),
                      "policy of network '" + q.name + "' allows " + std::to_string(q.maxDepth) +
                          " level(s) of networks below it, this network would be level " +
                          std::to_string(ChildDepth() - q.depth),
                      "spawn it higher in the tree, or raise MaxDepth of '" + q.name + "'");
            }
        }
        const GenesisNetworkPolicy* own = t.GetPolicy();
        if (own && own->maxChildren != std::numeric_limits<uint32_t>::max() &&
            t.runningChildren >= own->maxChildren)
        {
            Error(m_keys.Get("parent"),
                  Parent() + " already runs " + std::to_string(t.runningChildren) +
                      " children, its policy allows " + std::to_string(own->maxChildren),
                  "tear a child of '" + t.name + "' down first, or raise its MaxChildren");
        }
        if (Guaranteed(m_p.capacityClass) && !t.isRoot && !Guaranteed(t.capacityClass))
        {
            Error(m_keys.Get("capacity", "class"),
                  std::string("class ") + ClassText(m_p.capacityClass) +
                      " asks for guaranteed capacity, but " + Parent() +
                      " is best-effort and has none to give",
                  "make this network best-effort, or its parent constant/controlled");
        }
    }

    // ---------------------------------------------------------------- routelets

    void ResolveRoutelets()
    {
        m_host.assign(m_p.routelets.size(), NO_NODE);
        std::map<uint32_t, std::size_t> byHost;
        std::map<std::string, std::size_t> byName; // NODE_NAME / PARENT_ROUTELET text
        for (std::size_t i = 0; i < m_p.routelets.size(); ++i)
        {
            const GenesisRouteletSpec& r = m_p.routelets[i];
            uint32_t host = NO_NODE;
            switch (r.hostKind)
            {
            case GenesisRouteletSpec::NODE_ID:
                host = ResolveNodeId(r.nodeId, r.location, "routelet '" + r.name + "'", true);
                if (!m_t)
                {
                    host = r.nodeId;
                }
                break;
            case GenesisRouteletSpec::NODE_NAME:
                if (m_t)
                {
                    host = ResolveNodeName(r.hostName, r.location, "routelet '" + r.name + "'");
                    if (host != NO_NODE && !m_t->HasRoutelet(host))
                    {
                        NoParentRoutelet(host, r.location, "routelet '" + r.name + "'");
                        host = NO_NODE;
                    }
                }
                break;
            case GenesisRouteletSpec::PARENT_ROUTELET:
                if (m_t)
                {
                    auto it = m_t->routeletNames.find(r.hostName);
                    if (it == m_t->routeletNames.end())
                    {
                        Error(r.location,
                              "routelet '" + r.name + "': " + Parent() +
                                  " has no routelet named '" + r.hostName + "'",
                              m_t->routeletNames.empty()
                                  ? std::string("the parent's routelet names come from its "
                                                "profile; place the routelet with 'node:' instead")
                                  : Suggest(r.hostName, m_t->routeletNames, "parent routelet"));
                    }
                    else
                    {
                        host = it->second;
                    }
                }
                break;
            }
            if (!m_t)
            {
                // Without a parent, hosts are compared as written.
                std::string key = r.hostKind == GenesisRouteletSpec::NODE_ID
                                      ? "node " + std::to_string(r.nodeId)
                                      : std::to_string(r.hostKind) + ":" + r.hostName;
                auto it = byName.find(key);
                if (it != byName.end())
                {
                    TwoOnOneHost(i,
                                 it->second,
                                 r.hostKind == GenesisRouteletSpec::NODE_ID
                                     ? NodeText(r.nodeId)
                                     : "'" + r.hostName + "'");
                }
                else
                {
                    byName.emplace(key, i);
                }
            }
            else if (host != NO_NODE)
            {
                auto it = byHost.find(host);
                if (it != byHost.end())
                {
                    TwoOnOneHost(i, it->second, NodeText(host));
                }
                else
                {
                    byHost.emplace(host, i);
                }
            }
            m_host[i] = host;
            GenesisPlannedRoutelet pr;
            pr.name = r.name;
            pr.hostNodeId = host == NO_NODE ? 0 : host;
            m_r.plan.routelets.push_back(pr);
        }
    }

    void TwoOnOneHost(std::size_t i, std::size_t first, const std::string& host)
    {
        const GenesisRouteletSpec& r = m_p.routelets[i];
        Error(r.location,
              "routelets '" + m_p.routelets[first].name + "' and '" + r.name + "' are both on " +
                  host,
              "a network has at most one routelet per host (line " +
                  std::to_string(m_p.routelets[first].location.line) + "); merge them or move one");
    }

    /// Check a node id of the simulation (and, if \p needRoutelet, a parent routelet on it).
    uint32_t ResolveNodeId(uint32_t id,
                           const GenesisLocation& l,
                           const std::string& what,
                           bool needRoutelet)
    {
        if (!m_t)
        {
            return NO_NODE;
        }
        if (id >= m_t->nNodes)
        {
            Error(l,
                  what + ": no node " + std::to_string(id) + " in the simulation (it has " +
                      std::to_string(m_t->nNodes) + " nodes" +
                      (m_t->nNodes ? ", ids 0.." + std::to_string(m_t->nNodes - 1) : "") + ")",
                  "use the id of an existing node (Node::GetId)");
            return NO_NODE;
        }
        if (needRoutelet && !m_t->HasRoutelet(id))
        {
            NoParentRoutelet(id, l, what);
            return NO_NODE;
        }
        return id;
    }

    void NoParentRoutelet(uint32_t id, const GenesisLocation& l, const std::string& what)
    {
        std::string hosts;
        for (std::size_t k = 0; k < m_t->routeletHosts.size() && k < 12; ++k)
        {
            hosts += (k ? " " : "") + std::to_string(m_t->routeletHosts[k]);
        }
        if (m_t->routeletHosts.size() > 12)
        {
            hosts += " ...";
        }
        Error(l,
              what + ": " + NodeText(id) + " has no routelet of " + Parent(),
              "a child's routelets and paths run on nodes of its parent; " + Parent() +
                  " has routelets on nodes " + (hosts.empty() ? std::string("(none)") : hosts));
    }

    uint32_t ResolveNodeName(const std::string& name,
                             const GenesisLocation& l,
                             const std::string& what)
    {
        auto it = m_t->nodeNames.find(name);
        if (it == m_t->nodeNames.end())
        {
            Error(l,
                  what + ": no node is named '" + name + "' (ns3::Names)",
                  Suggest(name, m_t->nodeNames, "node"));
            return NO_NODE;
        }
        return it->second;
    }

    // ---------------------------------------------------------------- connectivity

    void CheckConnectivity()
    {
        std::size_t n = m_p.routelets.size();
        if (n < 2)
        {
            return;
        }
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < n; ++i)
        {
            index.emplace(m_p.routelets[i].name, i);
        }
        std::vector<std::size_t> parent(n);
        std::iota(parent.begin(), parent.end(), 0);
        std::function<std::size_t(std::size_t)> find = [&](std::size_t x) {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        };
        for (const auto& l : m_p.links)
        {
            auto a = index.find(l.a);
            auto b = index.find(l.b);
            if (a == index.end() || b == index.end())
            {
                continue; // the reader reported it
            }
            std::size_t ra = find(a->second);
            std::size_t rb = find(b->second);
            if (ra != rb)
            {
                parent[std::max(ra, rb)] = std::min(ra, rb);
            }
        }
        std::map<std::size_t, std::vector<std::size_t>> parts; // root -> members, by first member
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < n; ++i)
        {
            std::size_t r = find(i);
            if (!parts.count(r))
            {
                order.push_back(r);
            }
            parts[r].push_back(i);
        }
        if (parts.size() < 2)
        {
            return;
        }
        std::string list;
        for (std::size_t k = 0; k < order.size(); ++k)
        {
            list += k ? (k + 1 == order.size() ? " and " : ", ") : "";
            list += "{";
            const auto& members = parts[order[k]];
            for (std::size_t m = 0; m < members.size(); ++m)
            {
                if (m == 6)
                {
                    list += ", ... (" + std::to_string(members.size()) + ")";
                    break;
                }
                list += (m ? ", " : "") + m_p.routelets[members[m]].name;
            }
            list += "}";
        }
        const auto& second = m_p.routelets[parts[order[1]].front()];
        Error(second.location,
              "the network's topology is disconnected: " + std::to_string(parts.size()) +
                  " parts " + list,
              "add links joining '" + m_p.routelets[parts[order[0]].front()].name + "' and '" +
                  second.name + "'");
    }

    // ---------------------------------------------------------------- addresses

    void CheckAddresses()
    {
        if (!m_p.hasAddressSpace)
        {
            return;
        }
        GenesisLocation at = m_keys.Get("address_space");
        std::string space = PrefixText(m_p.addressBase, m_p.addressMask);
        uint32_t prefix = m_p.addressMask.GetPrefixLength();
        uint64_t nSubnets = prefix > 30 ? 0 : (uint64_t(1) << (30 - prefix));
        if (m_p.links.size() > nSubnets)
        {
            Error(at,
                  "address space " + space + " holds " + std::to_string(nSubnets) +
                      " /30 link subnets, the network has " + std::to_string(m_p.links.size()) +
                      " links",
                  "widen the address space (a shorter prefix)");
        }
        if (!m_t)
        {
            return;
        }
        if (!m_t->isRoot &&
            !Contains(m_t->ipv4Base, m_t->ipv4Mask, m_p.addressBase, m_p.addressMask))
        {
            Error(at,
                  "address space " + space + " is outside " + Parent() + "'s " +
                      PrefixText(m_t->ipv4Base, m_t->ipv4Mask),
                  "a child's addresses are carved from its parent's: choose a prefix inside " +
                      PrefixText(m_t->ipv4Base, m_t->ipv4Mask));
        }
        for (const auto& c : m_t->children)
        {
            if (c.name == m_p.name)
            {
                continue;
            }
            std::vector<std::pair<Ipv4Address, Ipv4Mask>> spaces{{c.base, c.mask}};
            spaces.insert(spaces.end(), c.ranges.begin(), c.ranges.end());
            for (const auto& s : spaces)
            {
                if (Overlap(m_p.addressBase, m_p.addressMask, s.first, s.second))
                {
                    Error(at,
                          "address space " + space + " overlaps " + PrefixText(s.first, s.second) +
                              " of sibling network '" + c.name + "'",
                          "siblings need disjoint address spaces; choose another prefix");
                    break;
                }
            }
        }
    }

    // ---------------------------------------------------------------- links and paths

    /// Resolve a via host to a node id with a parent routelet (NO_NODE if not).
    uint32_t ResolveVia(const GenesisHostRef& v, const std::string& what)
    {
        if (v.byId)
        {
            return ResolveNodeId(v.nodeId, v.location, what, true);
        }
        auto rn = m_t->routeletNames.find(v.name);
        if (rn != m_t->routeletNames.end())
        {
            return rn->second;
        }
        auto nn = m_t->nodeNames.find(v.name);
        if (nn == m_t->nodeNames.end())
        {
            std::map<std::string, int> all;
            for (const auto& kv : m_t->nodeNames)
            {
                all.emplace(kv.first, 0);
            }
            for (const auto& kv : m_t->routeletNames)
            {
                all.emplace(kv.first, 0);
            }
            Error(v.location,
                  what + ": no node or parent routelet is named '" + v.name + "'",
                  Suggest(v.name, all, "node"));
            return NO_NODE;
        }
        if (!m_t->HasRoutelet(nn->second))
        {
            NoParentRoutelet(nn->second, v.location, what);
            return NO_NODE;
        }
        return nn->second;
    }

    void ResolveLinks()
    {
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < m_p.routelets.size(); ++i)
        {
            index.emplace(m_p.routelets[i].name, i);
        }
        const TGraph* g = m_t ? &m_t->GetGraph() : nullptr;
        if (g)
        {
            m_used.assign(g->slotResidual.size(), 0);
            m_touched.assign(g->slotResidual.size(), false);
        }
        const GenesisNetworkPolicy* own = m_t ? m_t->GetPolicy() : nullptr;
        for (const auto& l : m_p.links)
        {
            std::string what = "link '" + l.name + "'";
            auto cls = l.hasClass ? l.capacityClass : m_p.capacityClass;
            uint64_t rate = (l.hasRate ? l.rate : m_p.rate).GetBitRate();
            if (l.hasClass && l.capacityClass != m_p.capacityClass)
            {
                Warning(l.location,
                        what + " asks for class " + ClassText(l.capacityClass) +
                            " but the network is " + ClassText(m_p.capacityClass) +
                            "; a network has one class in its parent",
                        "the link is spawned in the network's class");
                cls = m_p.capacityClass;
            }
            if (Guaranteed(cls) && rate == 0)
            {
                Error(l.location,
                      what + ": a " + ClassText(cls) + " link needs a rate above 0bps",
                      "give the link (or the network) a positive rate");
            }
            if (own && own->maxChildRateBps && Guaranteed(cls) && rate > own->maxChildRateBps)
            {
                Error(l.location,
                      what + " asks for " + GenesisFormatRate(rate) + ", the policy of " +
                          Parent() + " allows at most " + GenesisFormatRate(own->maxChildRateBps) +
                          " per child link",
                      "lower the rate to " + GenesisFormatRate(own->maxChildRateBps) +
                          " or less, or raise MaxChildRate of '" + m_t->name + "'");
            }
            auto a = index.find(l.a);
            auto b = index.find(l.b);
            if (a == index.end() || b == index.end() || !m_t)
            {
                continue;
            }
            std::vector<uint32_t> waypoints{m_host[a->second]};
            bool ok = waypoints.front() != NO_NODE;
            for (const auto& v : l.via)
            {
                uint32_t n = ResolveVia(v, what + " via");
                ok = ok && n != NO_NODE;
                waypoints.push_back(n);
            }
            waypoints.push_back(m_host[b->second]);
            ok = ok && waypoints.back() != NO_NODE;
            if (!ok || waypoints.front() == waypoints.back())
            {
                continue; // reported already (unknown hosts, or both ends on one host)
            }
            PlanLink(l, cls, rate, waypoints);
        }
        if (!g)
        {
            return;
        }
        for (std::size_t s = 0; s < m_touched.size(); ++s)
        {
            if (!m_touched[s])
            {
                continue;
            }
            GenesisPlannedReservation res;
            res.nodeId = g->slotDevice[s].first;
            res.deviceIndex = g->slotDevice[s].second;
            res.bps = m_used[s];
            res.residualBps = g->slotResidual[s];
            m_r.plan.reservations.push_back(res); // slots are in (node, device) order
        }
    }

    std::string WaypointText(const std::vector<uint32_t>& w) const
    {
        std::string s = NodeText(w.front()) + " to " + NodeText(w.back());
        if (w.size() > 2)
        {
            s += " via";
            for (std::size_t k = 1; k + 1 < w.size(); ++k)
            {
                s += " " + std::to_string(w[k]);
            }
        }
        return s;
    }

    void PlanLink(const GenesisLinkSpec& l,
                  ArbitratorQueueDiscClass::CapacityClass cls,
                  uint64_t rate,
                  const std::vector<uint32_t>& hosts)
    {
        const TGraph& g = m_t->GetGraph();
        std::string what = "link '" + l.name + "'";
        std::vector<std::size_t> waypoints;
        for (uint32_t h : hosts)
        {
            waypoints.push_back(g.nodeVertex.at(h));
        }
        bool guaranteed = Guaranteed(cls);
        uint64_t bps = guaranteed ? rate : 0;
        std::vector<uint64_t> avail(g.slotResidual.size());
        for (std::size_t s = 0; s < avail.size(); ++s)
        {
            avail[s] = g.slotResidual[s] > m_used[s] ? g.slotResidual[s] - m_used[s] : 0;
        }
        EdgeFilter filter{&g, guaranteed ? &avail : nullptr, bps, false};
        GPath path;
        std::size_t failed = 0;
        if (!FewestHops(g, waypoints, filter, &path, &failed))
        {
            ExplainNoPath(l, hosts, waypoints, bps, avail);
            return;
        }
        if (l.hasDelay && path.delayNs > l.delay.GetNanoSeconds())
        {
            int64_t least = 0;
            GPath within;
            if (!FewestHopsWithinDelay(g,
                                       waypoints,
                                       filter,
                                       l.delay.GetNanoSeconds(),
                                       &within,
                                       &least))
            {
                Error(l.location,
                      what + ": no path of " + Parent() + " from " + WaypointText(hosts) +
                          " within its delay bound " + TimeText(l.delay.GetNanoSeconds()) +
                          (least == std::numeric_limits<int64_t>::max()
                               ? std::string()
                               : "; the least propagation delay possible" +
                                     std::string(guaranteed ? " with its capacity" : "") + " is " +
                                     TimeText(least)),
                      "raise 'delay', or route the link via other nodes");
                return;
            }
            path = within;
        }
        // Admission on the summed need per device (a path may cross a device twice).
        std::map<std::size_t, uint64_t> need;
        for (std::size_t e : path.edges)
        {
            for (std::size_t s : g.edgeInfo[e].slots)
            {
                need[s] += bps;
            }
        }
        bool admitted = true;
        for (const auto& kv : need)
        {
            if (guaranteed && kv.second > avail[kv.first])
            {
                admitted = false;
                Error(l.location,
                      what + " needs " + GenesisFormatRate(kv.second) + " of " + ClassText(cls) +
                          " capacity on " + DevText(g.slotDevice[kv.first]) + " but " + Parent() +
                          " has only " + GenesisFormatRate(avail[kv.first]) +
                          " unreserved there (residual " +
                          GenesisFormatRate(g.slotResidual[kv.first]) + ")",
                      "lower the rate or route the link via other nodes");
            }
        }
        if (!admitted)
        {
            return;
        }
        for (const auto& kv : need)
        {
            m_used[kv.first] += kv.second;
            m_touched[kv.first] = true;
        }
        GenesisPlannedLink pl;
        pl.name = l.name;
        pl.a = l.a;
        pl.b = l.b;
        pl.capacityClass = cls;
        pl.rate = DataRate(rate);
        for (std::size_t v : path.vertices)
        {
            pl.hostPath.push_back(g.vertexNode[v]);
        }
        pl.propagationDelay = NanoSeconds(path.delayNs);
        m_r.plan.links.push_back(pl);
    }

    /// Why the capacity-constrained search found nothing: no path at all, or which devices lack.
    void ExplainNoPath(const GenesisLinkSpec& l,
                       const std::vector<uint32_t>& hosts,
                       const std::vector<std::size_t>& waypoints,
                       uint64_t bps,
                       const std::vector<uint64_t>& avail)
    {
        const TGraph& g = m_t->GetGraph();
        std::string what = "link '" + l.name + "'";
        GPath any;
        std::size_t failed = 0;
        EdgeFilter all{&g, nullptr, 0, true};
        if (!FewestHops(g, waypoints, all, &any, &failed))
        {
            GenesisLocation at = failed < l.via.size() ? l.via[failed].location : l.location;
            if (failed > 0 && failed - 1 < l.via.size())
            {
                at = l.via[failed - 1].location;
            }
            Error(at,
                  what + ": no path of " + Parent() + " links from " + NodeText(hosts[failed]) +
                      " to " + NodeText(hosts[failed + 1]),
                  "connect the nodes in the parent, or place the routelets on connected nodes");
            return;
        }
        // A path exists: name what is missing on the shortest one.
        std::string missing;
        std::set<std::size_t> seen;
        for (std::size_t e : any.edges)
        {
            for (std::size_t s : g.edgeInfo[e].slots)
            {
                if (s == TGraph::NO_SLOT)
                {
                    const auto& pe = m_t->edges[g.edgeInfo[e].edge];
                    Error(l.location,
                          what + ": " + Parent() + " has no arbitrator on the devices between " +
                              NodeText(pe.from) + " and " + NodeText(pe.to),
                          "was GenesisHelper::Install called on those nodes?");
                    return;
                }
                if (avail[s] < bps && seen.insert(s).second)
                {
                    missing += (missing.empty() ? "" : ", ") + DevText(g.slotDevice[s]) +
                               " has only " + GenesisFormatRate(avail[s]) + " unreserved";
                    if (m_used[s])
                    {
                        missing += " (" + GenesisFormatRate(m_used[s]) + " taken by earlier links)";
                    }
                }
            }
        }
        Error(l.location,
              what + " needs " + GenesisFormatRate(bps) + " of " +
                  ClassText(l.hasClass ? l.capacityClass : m_p.capacityClass) +
                  " capacity on every parent device it crosses, but no path from " +
                  WaypointText(hosts) + " has it: " + missing,
              "lower the rate, free capacity in '" + m_t->name +
                  "', or route the link via other nodes");
    }

    // ---------------------------------------------------------------- hosts

    void CheckHosts()
    {
        std::map<uint32_t, std::size_t> addrs;
        std::map<uint32_t, std::string> linkAddrs;
        if (m_p.hasAddressSpace)
        {
            for (std::size_t i = 0; i < m_p.links.size() && i < 65536; ++i)
            {
                uint32_t subnet = m_p.addressBase.CombineMask(m_p.addressMask).Get() + 4 * i;
                linkAddrs[subnet + 1] = m_p.links[i].name;
                linkAddrs[subnet + 2] = m_p.links[i].name;
            }
        }
        for (std::size_t i = 0; i < m_p.hosts.size(); ++i)
        {
            const GenesisEndHostSpec& h = m_p.hosts[i];
            std::string what = "host '" + h.name + "'";
            GenesisPlannedHost ph;
            ph.name = h.name;
            ph.routelet = h.routelet;
            ph.address = h.hasAddress ? h.address : Ipv4Address("0.0.0.0");
            uint32_t node = h.node.byId ? h.node.nodeId : NO_NODE;
            if (m_t)
            {
                node = h.node.byId ? ResolveNodeId(h.node.nodeId, h.node.location, what, false)
                                   : ResolveNodeName(h.node.name, h.node.location, what);
            }
            ph.nodeId = node == NO_NODE ? 0 : node;
            m_hostNode.push_back(node);
            if (m_t && node != NO_NODE)
            {
                for (const auto& c : m_t->children)
                {
                    if (c.name != m_p.name && c.endHosts.count(node))
                    {
                        Error(h.node.location,
                              what + ": " + NodeText(node) +
                                  " is an end host of sibling network '" + c.name + "'",
                              "an end host belongs to one network of a parent at a time; detach "
                              "it from '" +
                                  c.name + "' or choose another node");
                    }
                }
            }
            if (h.hasAddress)
            {
                // Outside the address space: the reader reports it.
                auto dup = addrs.find(h.address.Get());
                if (dup != addrs.end())
                {
                    Error(h.location,
                          what + ": address " + AddrText(h.address) + " is also host '" +
                              m_p.hosts[dup->second].name + "''s",
                          "give every host its own address");
                }
                else
                {
                    addrs.emplace(h.address.Get(), i);
                }
                auto la = linkAddrs.find(h.address.Get());
                if (la != linkAddrs.end())
                {
                    Error(h.location,
                          what + ": address " + AddrText(h.address) + " is an end of link '" +
                              la->second + "' (links take the first /30s of the space)",
                          "choose an address above the link subnets");
                }
            }
            m_r.plan.hosts.push_back(ph);
        }
    }

    // ---------------------------------------------------------------- membership

    void CheckMembership()
    {
        std::set<std::string> hostNames;
        for (const auto& h : m_p.hosts)
        {
            hostNames.insert(h.name);
        }
        for (const auto& m : m_p.membership)
        {
            if (m.kind == GenesisMemberSpec::NODE_NAME && !hostNames.count(m.name))
            {
                if (!m_t)
                {
                    Warning(m.location,
                            "member '" + m.name +
                                "' is no host of this profile; whether a node has that name is "
                                "checked against the parent",
                            "verify with --db to check node names");
                }
                else if (!m_t->nodeNames.count(m.name))
                {
                    std::map<std::string, int> all;
                    for (const auto& n : hostNames)
                    {
                        all.emplace(n, 0);
                    }
                    for (const auto& kv : m_t->nodeNames)
                    {
                        all.emplace(kv.first, 0);
                    }
                    Error(m.location,
                          "member '" + m.name +
                              "' is neither a host of this profile nor a node "
                              "name",
                          Suggest(m.name, all, "host or node"));
                }
            }
            else if (m.kind == GenesisMemberSpec::NODE_ID && m_t && m.nodeId >= m_t->nNodes)
            {
                Error(m.location,
                      "member node " + std::to_string(m.nodeId) +
                          " does not exist (the simulation has " + std::to_string(m_t->nNodes) +
                          " nodes)",
                      "use the id of an existing node");
            }
            else if (m.kind == GenesisMemberSpec::PREFIX && m_p.hasAddressSpace &&
                     !Overlap(m_p.addressBase, m_p.addressMask, m.prefix, m.mask))
            {
                Warning(m.location,
                        "member prefix " + PrefixText(m.prefix, m.mask) +
                            " lies outside the network's address space " +
                            PrefixText(m_p.addressBase, m_p.addressMask),
                        "no address of the network can match it");
            }
        }
        if (m_p.membership.empty())
        {
            return; // anyone may attach
        }
        for (std::size_t i = 0; i < m_p.hosts.size(); ++i)
        {
            const GenesisEndHostSpec& h = m_p.hosts[i];
            uint32_t node = i < m_hostNode.size() ? m_hostNode[i] : NO_NODE;
            bool covered = false;
            for (const auto& m : m_p.membership)
            {
                switch (m.kind)
                {
                case GenesisMemberSpec::NODE_ID:
                    covered = covered || (node != NO_NODE && node == m.nodeId) ||
                              (!m_t && h.node.byId && h.node.nodeId == m.nodeId);
                    break;
                case GenesisMemberSpec::NODE_NAME:
                    covered = covered || m.name == h.name ||
                              (!h.node.byId && h.node.name == m.name) ||
                              (m_t && node != NO_NODE && m_t->nodeNames.count(m.name) &&
                               m_t->nodeNames.at(m.name) == node);
                    break;
                case GenesisMemberSpec::PREFIX:
                    covered = covered || (h.hasAddress &&
                                          Contains(m.prefix, m.mask, h.address, Ipv4Mask("/32")));
                    break;
                }
            }
            if (!covered)
            {
                Error(h.location,
                      "host '" + h.name + "' is attached but not a member of the network",
                      "add '" + h.name + "' (its name, node or address) to 'membership'");
            }
        }
    }

    // ---------------------------------------------------------------- timeline

    void CheckTimeline()
    {
        for (const auto& e : m_p.timeline)
        {
            // An unknown link in a reprovision: the reader reports it.
            if (e.action == GenesisTimelineEvent::SPAWN)
            {
                std::string path = e.profilePath.empty() ? e.profile : e.profilePath;
                std::ifstream f(path);
                if (!f)
                {
                    Error(e.location,
                          "spawn at " + e.atText + ": profile '" + e.profile +
                              "' cannot be read (looked for " + path + ")",
                          "paths are relative to the directory of this profile");
                }
            }
        }
    }

    const GenesisProfile& m_p;
    const GenesisParentTopology* m_t;
    GenesisVerifyResult& m_r;
    KeyLocator m_keys;
    std::vector<uint32_t> m_host;     //!< per profile routelet: host node (NO_NODE: unknown)
    std::vector<uint32_t> m_hostNode; //!< per end host: node (NO_NODE: unknown)
    std::vector<uint64_t> m_used;     //!< per device slot: bps taken by this plan
    std::vector<bool> m_touched;      //!< per device slot: crossed by a link of this plan
};

} // namespace

// ------------------------------------------------------------------ verifier

GenesisVerifyResult
GenesisProfileVerifier::Verify(const GenesisProfile& profile, Ptr<VirtualNetwork> parent)
{
    return Verify(profile, GenesisParentTopology::FromNetwork(parent));
}

GenesisVerifyResult
GenesisProfileVerifier::Verify(const GenesisProfile& profile, const GenesisParentTopology& parent)
{
    NS_LOG_FUNCTION(profile.name << parent.name);
    GenesisVerifyResult r;
    Checker(profile, &parent, r).Run();
    return r;
}

GenesisVerifyResult
GenesisProfileVerifier::Verify(const GenesisProfile& profile)
{
    NS_LOG_FUNCTION(profile.name);
    GenesisVerifyResult r;
    Checker(profile, nullptr, r).Run();
    return r;
}

GenesisVerifyResult
GenesisProfileVerifier::VerifyFile(const std::string& path, const GenesisParentTopology* parent)
{
    GenesisProfileReadResult read = GenesisProfileReader::ReadFile(path);
    GenesisVerifyResult r;
    if (read.Ok())
    {
        r = parent ? Verify(read.profile, *parent) : Verify(read.profile);
    }
    r.diagnostics.insert(r.diagnostics.begin(), read.diagnostics.begin(), read.diagnostics.end());
    return r;
}

std::string
GenesisProfileVerifier::FormatPlan(const GenesisSpawnPlan& plan)
{
    std::ostringstream os;
    os << "plan of network '" << plan.network << "' in '" << plan.parent << "'\n";
    os << "routelets:\n";
    for (const auto& r : plan.routelets)
    {
        os << "  " << r.name << " -> node " << r.hostNodeId << "\n";
    }
    os << "links:\n";
    for (const auto& l : plan.links)
    {
        os << "  " << l.name << " (" << l.a << " - " << l.b << ", " << ClassText(l.capacityClass)
           << " " << GenesisFormatRate(l.rate.GetBitRate()) << "): nodes";
        for (uint32_t n : l.hostPath)
        {
            os << " " << n;
        }
        os << ", delay " << TimeText(l.propagationDelay.GetNanoSeconds()) << "\n";
    }
    os << "reservations:\n";
    for (const auto& r : plan.reservations)
    {
        os << "  node " << r.nodeId << " device " << r.deviceIndex << ": "
           << GenesisFormatRate(r.bps) << " (residual " << GenesisFormatRate(r.residualBps)
           << " -> " << GenesisFormatRate(r.residualBps >= r.bps ? r.residualBps - r.bps : 0)
           << ")\n";
    }
    if (!plan.hosts.empty())
    {
        os << "hosts:\n";
        for (const auto& h : plan.hosts)
        {
            os << "  " << h.name << " node " << h.nodeId << " -> " << h.routelet;
            if (h.address != Ipv4Address("0.0.0.0"))
            {
                os << " " << h.address;
            }
            os << "\n";
        }
    }
    return os.str();
}

} // namespace ns3
