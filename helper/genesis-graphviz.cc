/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-graphviz.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/channel.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/nstime.h"
#include "ns3/profile-database.h"
#include "ns3/routelet.h"
#include "ns3/sqlite-database.h"
#include "ns3/virtual-link.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// GCC 12 reports a false -Wmaybe-uninitialized inside Boost.Graph's edge
// iterator (an empty boost::optional) when write_graphviz walks a directed
// adjacency_list; the location is in the Boost headers, so silence it there.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#pragma GCC diagnostic pop

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisGraphviz");

namespace
{

/// One vertex of a picture.
struct VertexProps
{
    std::string id;    //!< DOT node id
    std::string label; //!< label ("\n" separates lines)
    std::string attrs; //!< extra attributes, "key=value, ..." (already escaped)
};

/// One edge of a picture.
struct EdgeProps
{
    std::string label; //!< label
    std::string attrs; //!< extra attributes
};

typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps, EdgeProps>
    TreeGraph;
typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexProps, EdgeProps>
    TopoGraph;

/// A label as DOT text: backslashes dropped from names, quotes escaped by Boost.
std::string
Quote(const std::string& s)
{
    return "\"" + [&s]() {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i)
        {
            if (s[i] == '"')
            {
                out += "\\\"";
            }
            else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n')
            {
                out += "\\n"; // our own line breaks
                ++i;
            }
            else if (s[i] != '\\' && s[i] != '\n')
            {
                out += s[i];
            }
        }
        return out;
    }() + "\"";
}

template <typename Graph>
struct VertexWriter
{
    const Graph& g; //!< graph

    void operator()(std::ostream& out,
                    typename boost::graph_traits<Graph>::vertex_descriptor v) const
    {
        out << "[label=" << Quote(g[v].label) << (g[v].attrs.empty() ? "" : ", ") << g[v].attrs
            << "]";
    }
};

template <typename Graph>
struct EdgeWriter
{
    const Graph& g; //!< graph

    void operator()(std::ostream& out, typename boost::graph_traits<Graph>::edge_descriptor e) const
    {
        out << "[label=" << Quote(g[e].label) << (g[e].attrs.empty() ? "" : ", ") << g[e].attrs
            << "]";
    }
};

struct GraphWriter
{
    std::string text; //!< graph-level statements

    void operator()(std::ostream& out) const
    {
        out << text;
    }
};

/// A network as the tree shows it.
struct NetRow
{
    int64_t id;
    int64_t parent; //!< -1 for the root
    std::string name;
    std::string cls; //!< "" for the root
    int64_t rateBps;
    std::string state;
};

/// A routelet or end host of a topology.
struct TopoVertex
{
    int64_t host; //!< host node id
    std::string name;
    bool endHost;
};

/// A link of a topology.
struct TopoEdge
{
    int64_t a;
    int64_t b;
    int64_t rateBps;
    int64_t delayNs;
    bool access; //!< an end host's access link
};

/// A network's topology as the picture shows it.
struct TopoModel
{
    std::string title;
    std::vector<TopoVertex> vertices;
    std::vector<TopoEdge> edges;
};

std::string
FormatDelay(int64_t ns)
{
    std::ostringstream os;
    if (ns >= 1000000 || ns == 0)
    {
        os << ns / 1e6 << "ms";
    }
    else
    {
        os << ns / 1e3 << "us";
    }
    return os.str();
}

std::string
RenderTree(const std::vector<NetRow>& rows)
{
    TreeGraph g;
    std::map<int64_t, TreeGraph::vertex_descriptor> byId;
    for (const auto& r : rows)
    {
        auto v = boost::add_vertex(g);
        byId[r.id] = v;
        g[v].id = "net" + std::to_string(r.id);
        std::string second =
            r.parent < 0 ? std::string("root (physical network)")
                         : r.cls + " " + GenesisFormatRate(static_cast<uint64_t>(r.rateBps));
        g[v].label = r.name + "\\n" + second + "\\n" + r.state;
        if (r.state == "torn_down")
        {
            g[v].attrs = "style=\"rounded,dashed\", color=\"#888888\", fontcolor=\"#888888\"";
        }
        else if (r.state == "defined")
        {
            g[v].attrs = "style=\"rounded,dotted\"";
        }
        else if (r.parent < 0)
        {
            g[v].attrs = "fillcolor=\"#dde5f0\"";
        }
    }
    for (const auto& r : rows)
    {
        auto p = byId.find(r.parent);
        if (p != byId.end())
        {
            boost::add_edge(p->second, byId[r.id], g);
        }
    }
    std::ostringstream os;
    GraphWriter gw{"graph [rankdir=TB, fontname=\"Helvetica\", label=\"Genesis networks: "
                   "inheritance tree\", labelloc=t];\nnode [shape=box, style=\"rounded,filled\", "
                   "fillcolor=\"#f4f7fb\", fontname=\"Helvetica\", fontsize=11];\nedge "
                   "[color=\"#555555\"];\n"};
    boost::write_graphviz(os,
                          g,
                          VertexWriter<TreeGraph>{g},
                          EdgeWriter<TreeGraph>{g},
                          gw,
                          boost::get(&VertexProps::id, g));
    // Boost writes an empty label for every tree edge; drop it for a cleaner file.
    std::string text = os.str();
    for (std::size_t at; (at = text.find("[label=\"\"]")) != std::string::npos;)
    {
        text.erase(at, 10);
    }
    return text;
}

std::string
RenderTopology(const TopoModel& m)
{
    TopoGraph g;
    std::map<int64_t, TopoGraph::vertex_descriptor> byHost;
    std::map<int64_t, TopoGraph::vertex_descriptor> endByHost;
    for (const auto& tv : m.vertices)
    {
        auto v = boost::add_vertex(g);
        if (tv.endHost)
        {
            g[v].id = "host_" + GenesisGraphviz::FileNamePart(tv.name);
            g[v].label = tv.name + "\\nend host n" + std::to_string(tv.host);
            g[v].attrs = "shape=box, style=filled, fillcolor=\"#fff4e0\"";
            endByHost[tv.host] = v;
        }
        else
        {
            g[v].id = "n" + std::to_string(tv.host);
            g[v].label = (tv.name.empty() ? std::string() : tv.name + "\\n") + "on n" +
                         std::to_string(tv.host);
            byHost[tv.host] = v;
        }
    }
    for (const auto& te : m.edges)
    {
        auto a = byHost.find(te.a);
        auto b = te.access ? endByHost.find(te.b) : byHost.find(te.b);
        if (a == byHost.end() || b == (te.access ? endByHost.end() : byHost.end()))
        {
            continue;
        }
        auto e = boost::add_edge(a->second, b->second, g).first;
        g[e].label =
            GenesisFormatRate(static_cast<uint64_t>(te.rateBps)) + ", " + FormatDelay(te.delayNs);
        if (te.access)
        {
            g[e].attrs = "style=dashed";
        }
    }
    std::ostringstream os;
    GraphWriter gw{"graph [fontname=\"Helvetica\", label=" + Quote(m.title) +
                   ", labelloc=t, overlap=false];\nnode [shape=ellipse, style=filled, "
                   "fillcolor=\"#eef5ee\", fontname=\"Helvetica\", fontsize=11];\nedge "
                   "[fontname=\"Helvetica\", fontsize=9, color=\"#444444\"];\n"};
    boost::write_graphviz(os,
                          g,
                          VertexWriter<TopoGraph>{g},
                          EdgeWriter<TopoGraph>{g},
                          gw,
                          boost::get(&VertexProps::id, g));
    return os.str();
}

/// Channel propagation delay of a device (its channel's "Delay" attribute, else 0).
int64_t
DelayNs(Ptr<NetDevice> dev)
{
    Ptr<Channel> ch = dev ? dev->GetChannel() : nullptr;
    TimeValue v;
    if (ch && ch->GetAttributeFailSafe("Delay", v))
    {
        return v.Get().GetNanoSeconds();
    }
    return 0;
}

void
CollectTree(Ptr<VirtualNetwork> net, std::vector<NetRow>& rows)
{
    NetRow r;
    r.id = net->GetId();
    r.parent = net->GetParent() ? net->GetParent()->GetId() : -1;
    r.name = net->GetName();
    r.cls = net->GetParent() ? GenesisProfileDatabase::ClassName(net->GetCapacityClass()) : "";
    r.rateBps = net->GetParent() ? static_cast<int64_t>(net->GetRate().GetBitRate()) : 0;
    r.state = GenesisProfileDatabase::StateName(net->GetState());
    rows.push_back(r);
    for (const auto& c : net->GetChildren())
    {
        CollectTree(c, rows);
    }
}

std::string
NetTitle(const std::string& name, const std::string& cls, int64_t rateBps, bool root)
{
    return "network " + name +
           (root ? std::string(" (root: the physical network)")
                 : " (" + cls + " " + GenesisFormatRate(static_cast<uint64_t>(rateBps)) + ")");
}

/// The topology model of a live network.
TopoModel
LiveTopology(Ptr<VirtualNetwork> net)
{
    TopoModel m;
    bool root = !net->GetParent();
    m.title = NetTitle(net->GetName(),
                       root ? "" : GenesisProfileDatabase::ClassName(net->GetCapacityClass()),
                       root ? 0 : static_cast<int64_t>(net->GetRate().GetBitRate()),
                       root);
    for (const auto& rl : net->GetRoutelets())
    {
        if (rl->GetHost())
        {
            m.vertices.push_back({rl->GetHost()->GetId(), Names::FindName(rl), false});
        }
    }
    if (root)
    {
        std::set<std::pair<int64_t, int64_t>> seen;
        for (const auto& e : net->GetEdges())
        {
            int64_t a = e.from->GetId();
            int64_t b = e.to->GetId();
            if (e.hops.empty() || !seen.insert({std::min(a, b), std::max(a, b)}).second)
            {
                continue;
            }
            Ptr<ArbitratorQueueDisc> arb = net->GetArbitrator(e.hops.front().fromDev);
            int64_t rate = arb ? static_cast<int64_t>(arb->GetLinkRate().GetBitRate()) : 0;
            m.edges.push_back({a, b, rate, DelayNs(e.hops.front().fromDev), false});
        }
        return m;
    }
    std::vector<Ptr<VirtualLink>> links = net->GetLinks();
    std::sort(links.begin(), links.end(), [](Ptr<VirtualLink> x, Ptr<VirtualLink> y) {
        return x->GetId() < y->GetId();
    });
    for (const auto& l : links)
    {
        if (!l->GetEndA() || !l->GetEndB() || !l->GetEndA()->GetHost() || !l->GetEndB()->GetHost())
        {
            continue; // rolled back or torn down
        }
        int64_t delay = 0;
        for (const auto& h : l->GetPhysicalPath())
        {
            delay += DelayNs(h.fromDev);
        }
        m.edges.push_back({l->GetEndA()->GetHost()->GetId(),
                           l->GetEndB()->GetHost()->GetId(),
                           static_cast<int64_t>(l->GetRate().GetBitRate()),
                           delay,
                           false});
    }
    for (const auto& h : net->GetEndHosts())
    {
        if (!h.node || !h.routelet || !h.routelet->GetHost())
        {
            continue;
        }
        m.vertices.push_back({h.node->GetId(), h.name, true});
        int64_t delay = 0;
        if (h.link)
        {
            for (const auto& hop : h.link->GetPhysicalPath())
            {
                delay += DelayNs(hop.fromDev);
            }
        }
        m.edges.push_back({h.routelet->GetHost()->GetId(),
                           h.node->GetId(),
                           h.link ? static_cast<int64_t>(h.link->GetRate().GetBitRate()) : 0,
                           delay,
                           true});
    }
    return m;
}

/// Throws unless \p db holds the tables of a Genesis run database.
void
CheckGenesisDatabase(SqliteDatabase& db)
{
    if (db.QueryInt64("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                      "('meta', 'networks', 'routelets', 'vlinks', 'devices')") != 5)
    {
        throw GenesisError("'" + db.GetPath() +
                           "' is not a Genesis run database (tables meta, networks, routelets, "
                           "vlinks, devices missing); give the file written by "
                           "GenesisProfileDatabase (--db of the examples)");
    }
}

/// \return true when \p table of \p db has \p column (older schemas lack some)
bool
HasColumn(SqliteDatabase& db, const std::string& table, const std::string& column)
{
    SqliteStatement s = db.Prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    s.Bind(1, table).Bind(2, column);
    return s.Step();
}

std::vector<NetRow>
DbTree(SqliteDatabase& db)
{
    CheckGenesisDatabase(db);
    std::vector<NetRow> rows;
    SqliteStatement s = db.Prepare("SELECT network_id, name, parent_id, class, rate_bps, state "
                                   "FROM networks ORDER BY network_id");
    while (s.Step())
    {
        rows.push_back({s.GetInt64(0),
                        s.IsNull(2) ? -1 : s.GetInt64(2),
                        s.GetText(1),
                        s.GetText(3),
                        s.GetInt64(4),
                        s.GetText(5)});
    }
    // The live tree lists parents before children (depth first); so does this.
    std::vector<NetRow> ordered;
    std::function<void(int64_t)> visit = [&](int64_t parent) {
        for (const auto& r : rows)
        {
            if (r.parent == parent)
            {
                ordered.push_back(r);
                visit(r.id);
            }
        }
    };
    visit(-1);
    return ordered;
}

TopoModel
DbTopology(SqliteDatabase& db, int64_t networkId)
{
    CheckGenesisDatabase(db);
    TopoModel m;
    SqliteStatement n =
        db.Prepare("SELECT name, class, rate_bps, parent_id FROM networks WHERE network_id = ?");
    n.Bind(1, networkId);
    if (!n.Step())
    {
        throw GenesisError("'" + db.GetPath() + "' records no network with id " +
                           std::to_string(networkId) + "; see: sqlite3 " + db.GetPath() +
                           " \"SELECT network_id, name FROM networks\"");
    }
    bool root = n.IsNull(3);
    m.title = NetTitle(n.GetText(0), n.GetText(1), n.GetInt64(2), root);
    SqliteStatement r = db.Prepare(std::string("SELECT host_node_id, ") +
                                   (HasColumn(db, "routelets", "name") ? "name" : "NULL") +
                                   " FROM routelets WHERE network_id = ? ORDER BY position");
    r.Bind(1, networkId);
    while (r.Step())
    {
        m.vertices.push_back({r.GetInt64(0), r.GetText(1), false});
    }
    std::map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>> devs; // rate, delay
    {
        SqliteStatement d =
            db.Prepare(std::string("SELECT node_id, device_index, link_rate_bps, ") +
                       (HasColumn(db, "devices", "delay_ns") ? "delay_ns" : "0") + " FROM devices");
        while (d.Step())
        {
            devs[{d.GetInt64(0), d.GetInt64(1)}] = {d.GetInt64(2), d.GetInt64(3)};
        }
    }
    // "0/1>1/1 1/2>2/1" -> the sending devices of each hop.
    auto hops = [](const std::string& path) {
        std::vector<std::pair<int64_t, int64_t>> out;
        std::istringstream in(path);
        std::string hop;
        while (in >> hop)
        {
            long long node = 0;
            long long dev = 0;
            if (std::sscanf(hop.c_str(), "%lld/%lld>", &node, &dev) == 2)
            {
                out.emplace_back(node, dev);
            }
        }
        return out;
    };
    if (root)
    {
        bool haveEdges = db.QueryInt64("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND name = 'edges'") == 1;
        std::set<std::pair<int64_t, int64_t>> seen;
        if (haveEdges)
        {
            SqliteStatement e = db.Prepare("SELECT from_node, to_node, hops FROM edges WHERE "
                                           "network_id = ? ORDER BY position");
            e.Bind(1, networkId);
            while (e.Step())
            {
                int64_t a = e.GetInt64(0);
                int64_t b = e.GetInt64(1);
                auto h = hops(e.GetText(2));
                if (h.empty() || !seen.insert({std::min(a, b), std::max(a, b)}).second)
                {
                    continue;
                }
                auto d = devs[h.front()];
                m.edges.push_back({a, b, d.first, d.second, false});
            }
        }
        else
        {
            // Schema 1: the devices table alone (point-to-point peers).
            SqliteStatement d = db.Prepare("SELECT node_id, peer_node_id, link_rate_bps FROM "
                                           "devices WHERE peer_node_id IS NOT NULL ORDER BY 1, 2");
            while (d.Step())
            {
                int64_t a = d.GetInt64(0);
                int64_t b = d.GetInt64(1);
                if (seen.insert({std::min(a, b), std::max(a, b)}).second)
                {
                    m.edges.push_back({a, b, d.GetInt64(2), 0, false});
                }
            }
        }
        return m;
    }
    SqliteStatement l = db.Prepare("SELECT end_a_host, end_b_host, rate_bps, device_path FROM "
                                   "vlinks WHERE network_id = ? ORDER BY link_id");
    l.Bind(1, networkId);
    while (l.Step())
    {
        int64_t delay = 0;
        for (const auto& h : hops(l.GetText(3)))
        {
            delay += devs[h].second;
        }
        m.edges.push_back({l.GetInt64(0), l.GetInt64(1), l.GetInt64(2), delay, false});
    }
    return m;
}

void
WriteText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out)
    {
        throw GenesisError("cannot write '" + path + "': " + std::strerror(errno) +
                           "; check that the directory exists and is writable");
    }
}

std::string
ReadText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw GenesisError("cannot read '" + path + "': " + std::strerror(errno));
    }
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

/// A temporary file name (created empty) under $TMPDIR or /tmp.
std::string
TempFile(const std::string& suffix)
{
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/genesis-dot-XXXXXX" + suffix;
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = mkstemps(buf.data(), static_cast<int>(suffix.size()));
    if (fd < 0)
    {
        throw GenesisError("cannot create a temporary file '" + tmpl +
                           "': " + std::strerror(errno) + "; set TMPDIR to a writable directory");
    }
    close(fd);
    return std::string(buf.data());
}

} // namespace

std::string
GenesisGraphviz::FileNamePart(const std::string& name)
{
    std::string out;
    for (char c : name)
    {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        out += ok ? c : '_';
    }
    return out.empty() ? "_" : out;
}

std::string
GenesisGraphviz::TreeDot(Ptr<VirtualNetwork> root)
{
    if (!root)
    {
        throw GenesisError("GenesisGraphviz::TreeDot: give a network (null given)");
    }
    std::vector<NetRow> rows;
    CollectTree(root->GetRoot(), rows);
    return RenderTree(rows);
}

std::string
GenesisGraphviz::TopologyDot(Ptr<VirtualNetwork> net)
{
    if (!net)
    {
        throw GenesisError("GenesisGraphviz::TopologyDot: give a network (null given)");
    }
    return RenderTopology(LiveTopology(net));
}

std::string
GenesisGraphviz::TreeDot(SqliteDatabase& db)
{
    return RenderTree(DbTree(db));
}

std::string
GenesisGraphviz::TopologyDot(SqliteDatabase& db, int64_t networkId)
{
    return RenderTopology(DbTopology(db, networkId));
}

void
GenesisGraphviz::WriteTree(Ptr<VirtualNetwork> root, const std::string& path)
{
    WriteText(path, TreeDot(root));
}

void
GenesisGraphviz::WriteTopology(Ptr<VirtualNetwork> net, const std::string& path)
{
    WriteText(path, TopologyDot(net));
}

namespace
{

void
WriteWithSvg(const std::string& path,
             const std::string& dot,
             bool svg,
             std::vector<std::string>& written)
{
    WriteText(path + ".dot", dot);
    written.push_back(path + ".dot");
    if (svg)
    {
        WriteText(path + ".svg", GenesisGraphviz::ToSvg(dot));
        written.push_back(path + ".svg");
    }
}

} // namespace

std::vector<std::string>
GenesisGraphviz::WriteAll(Ptr<VirtualNetwork> root, const std::string& prefix, bool svg)
{
    if (!root)
    {
        throw GenesisError("GenesisGraphviz::WriteAll: give a network (null given)");
    }
    svg = svg && HaveDot();
    std::vector<std::string> written;
    WriteWithSvg(prefix + "tree", TreeDot(root), svg, written);
    std::vector<NetRow> rows;
    CollectTree(root->GetRoot(), rows);
    for (const auto& r : rows)
    {
        if (r.state != "spawned")
        {
            continue; // a torn-down or refused network has no topology left
        }
        Ptr<VirtualNetwork> net = root->GetRoot()->FindNetwork(static_cast<uint16_t>(r.id));
        WriteWithSvg(prefix + "net-" + FileNamePart(r.name), TopologyDot(net), svg, written);
    }
    return written;
}

std::vector<std::string>
GenesisGraphviz::WriteAll(SqliteDatabase& db, const std::string& prefix, bool svg)
{
    svg = svg && HaveDot();
    std::vector<std::string> written;
    WriteWithSvg(prefix + "tree", TreeDot(db), svg, written);
    for (const auto& r : DbTree(db))
    {
        if (r.state != "spawned")
        {
            continue;
        }
        WriteWithSvg(prefix + "net-" + FileNamePart(r.name), TopologyDot(db, r.id), svg, written);
    }
    return written;
}

bool
GenesisGraphviz::HaveDot()
{
    const char* path = std::getenv("PATH");
    std::istringstream in(path ? path : "");
    std::string dir;
    while (std::getline(in, dir, ':'))
    {
        std::string f = (dir.empty() ? "." : dir) + "/dot";
        struct stat st;
        if (::stat(f.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(f.c_str(), X_OK) == 0)
        {
            return true;
        }
    }
    return false;
}

std::string
GenesisGraphviz::ToSvg(const std::string& dot)
{
    if (!HaveDot())
    {
        throw GenesisError("Graphviz 'dot' is not installed (not on PATH), so no SVG can be made; "
                           "install the Debian package graphviz (apt-get install graphviz), or "
                           "use the .dot file with another Graphviz viewer");
    }
    std::string in = TempFile(".dot");
    std::string out = TempFile(".svg");
    std::string err = TempFile(".err");
    WriteText(in, dot);
    // Temporary names from mkstemps: no characters the shell would interpret.
    std::string cmd = "dot -Tsvg '" + in + "' -o '" + out + "' 2>'" + err + "'";
    int rc = std::system(cmd.c_str());
    std::string svg = ReadText(out);
    std::string msg = ReadText(err);
    std::remove(in.c_str());
    std::remove(out.c_str());
    std::remove(err.c_str());
    if (rc != 0 || svg.find("<svg") == std::string::npos)
    {
        throw GenesisError("Graphviz 'dot -Tsvg' failed (status " + std::to_string(rc) +
                           "): " + msg);
    }
    return svg;
}

void
GenesisGraphviz::WriteSvg(const std::string& dotPath, const std::string& svgPath)
{
    std::string svg;
    try
    {
        svg = ToSvg(ReadText(dotPath));
    }
    catch (const GenesisError& e)
    {
        throw GenesisError(dotPath + ": " + e.what());
    }
    WriteText(svgPath, svg);
}

} // namespace ns3
