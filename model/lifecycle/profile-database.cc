/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "profile-database.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/channel.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/node-list.h"
#include "ns3/packet-filter.h"
#include "ns3/queue-disc.h"
#include "ns3/routelet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-link.h"

#include <cstdio>
#include <set>
#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisProfileDatabase");
NS_OBJECT_ENSURE_REGISTERED(GenesisProfileDatabase);

namespace
{

/// The schema (version GenesisProfileDatabase::SCHEMA_VERSION); see doc/database-section.rst.
const char* const SCHEMA = R"SQL(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE nodes (
  node_id   INTEGER PRIMARY KEY,
  n_devices INTEGER NOT NULL,
  system_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE devices (
  node_id           INTEGER NOT NULL REFERENCES nodes(node_id),
  device_index      INTEGER NOT NULL,
  type              TEXT NOT NULL,
  peer_node_id      INTEGER,
  peer_device_index INTEGER,
  link_rate_bps     INTEGER NOT NULL CHECK (link_rate_bps >= 0),
  delay_ns          INTEGER NOT NULL DEFAULT 0 CHECK (delay_ns >= 0),
  PRIMARY KEY (node_id, device_index)
);
CREATE TABLE node_names (
  node_id INTEGER PRIMARY KEY,
  name    TEXT NOT NULL
);
CREATE TABLE networks (
  network_id      INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  parent_id       INTEGER REFERENCES networks(network_id),
  depth           INTEGER NOT NULL,
  class           TEXT CHECK (class IN ('constant', 'controlled', 'best-effort')),
  rate_bps        INTEGER NOT NULL CHECK (rate_bps >= 0),
  state           TEXT NOT NULL CHECK (state IN ('defined', 'spawned', 'torn_down')),
  profile_text    TEXT NOT NULL DEFAULT '',
  ipv4_base       TEXT NOT NULL DEFAULT '0.0.0.0',
  ipv4_prefix     INTEGER NOT NULL DEFAULT 0 CHECK (ipv4_prefix BETWEEN 0 AND 32),
  address_ranges  TEXT NOT NULL DEFAULT '',
  max_children    INTEGER NOT NULL DEFAULT 4294967295,
  max_depth       INTEGER NOT NULL DEFAULT 4294967295,
  max_child_rate_bps INTEGER NOT NULL DEFAULT 0 CHECK (max_child_rate_bps >= 0),
  created_at_ns   INTEGER NOT NULL,
  spawned_at_ns   INTEGER,
  torn_down_at_ns INTEGER
);
CREATE TABLE routelets (
  network_id       INTEGER NOT NULL REFERENCES networks(network_id),
  host_node_id     INTEGER NOT NULL REFERENCES nodes(node_id),
  routelet_node_id INTEGER,
  position         INTEGER NOT NULL,
  name             TEXT,
  PRIMARY KEY (network_id, host_node_id)
);
CREATE TABLE edges (
  network_id INTEGER NOT NULL REFERENCES networks(network_id),
  position   INTEGER NOT NULL,
  from_node  INTEGER NOT NULL,
  to_node    INTEGER NOT NULL,
  hops       TEXT NOT NULL,
  PRIMARY KEY (network_id, position)
);
CREATE TABLE vlinks (
  link_id     INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES networks(network_id),
  end_a_host  INTEGER NOT NULL REFERENCES nodes(node_id),
  end_b_host  INTEGER NOT NULL REFERENCES nodes(node_id),
  end_a_node  INTEGER,
  end_b_node  INTEGER,
  rate_bps    INTEGER NOT NULL CHECK (rate_bps >= 0),
  subnet      TEXT NOT NULL,
  via         TEXT NOT NULL,
  host_path   TEXT NOT NULL,
  device_path TEXT NOT NULL
);
CREATE TABLE reservations (
  network_id     INTEGER NOT NULL REFERENCES networks(network_id),
  node_id        INTEGER NOT NULL,
  device_index   INTEGER NOT NULL,
  class          TEXT NOT NULL,
  rate_bps       INTEGER NOT NULL CHECK (rate_bps >= 0),
  reserved_at_ns INTEGER NOT NULL,
  released_at_ns INTEGER,
  PRIMARY KEY (network_id, node_id, device_index),
  FOREIGN KEY (node_id, device_index) REFERENCES devices(node_id, device_index)
);
CREATE TABLE allocations (
  network_id     INTEGER NOT NULL REFERENCES networks(network_id),
  node_id        INTEGER NOT NULL,
  device_index   INTEGER NOT NULL,
  link_rate_bps  INTEGER NOT NULL CHECK (link_rate_bps >= 0),
  guaranteed_bps INTEGER NOT NULL CHECK (guaranteed_bps >= 0),
  residual_bps   INTEGER NOT NULL CHECK (residual_bps >= 0),
  PRIMARY KEY (network_id, node_id, device_index),
  FOREIGN KEY (node_id, device_index) REFERENCES devices(node_id, device_index)
);
CREATE TABLE modules (
  type_id         TEXT PRIMARY KEY,
  category        TEXT NOT NULL,
  parent_type_id  TEXT NOT NULL,
  group_name      TEXT NOT NULL,
  has_constructor INTEGER NOT NULL,
  attributes      TEXT NOT NULL
);
CREATE TABLE refusals (
  refusal_id   INTEGER PRIMARY KEY,
  time_ns      INTEGER NOT NULL,
  network_id   INTEGER REFERENCES networks(network_id),
  network_name TEXT NOT NULL,
  reason       TEXT NOT NULL
);
CREATE TABLE statistics (
  stat_id    INTEGER PRIMARY KEY,
  network_id INTEGER NOT NULL REFERENCES networks(network_id),
  time_ns    INTEGER NOT NULL,
  key        TEXT NOT NULL,
  value      REAL NOT NULL
);
CREATE TABLE changes (
  change_id  INTEGER PRIMARY KEY,
  time_ns    INTEGER NOT NULL,
  network_id INTEGER NOT NULL REFERENCES networks(network_id),
  kind       TEXT NOT NULL,
  target     TEXT NOT NULL,
  old_value  TEXT NOT NULL,
  new_value  TEXT NOT NULL
);
CREATE TABLE link_stats (
  network_id    INTEGER NOT NULL,
  node_id       INTEGER NOT NULL,
  device_index  INTEGER NOT NULL,
  time_ns       INTEGER NOT NULL,
  interval_ns   INTEGER NOT NULL,
  tx_bytes      INTEGER NOT NULL,
  tx_packets    INTEGER NOT NULL,
  drops         INTEGER NOT NULL,
  policed       INTEGER NOT NULL,
  rate_bps      REAL NOT NULL,
  allocated_bps INTEGER NOT NULL,
  mean_delay_ns REAL
);
CREATE INDEX link_stats_by_network ON link_stats(network_id, time_ns);
CREATE TABLE allocation_changes (
  change_id    INTEGER PRIMARY KEY,
  time_ns      INTEGER NOT NULL,
  network_id   INTEGER NOT NULL,
  node_id      INTEGER NOT NULL,
  device_index INTEGER NOT NULL,
  old_bps      INTEGER NOT NULL,
  new_bps      INTEGER NOT NULL,
  cause        TEXT NOT NULL CHECK (cause IN ('auction', 'reprovision', 'timeline', 'api'))
);
CREATE TABLE bids (
  bid_id             INTEGER PRIMARY KEY,
  time_ns            INTEGER NOT NULL,
  auction_network_id INTEGER NOT NULL,
  bidder_network_id  INTEGER NOT NULL,
  price              REAL NOT NULL,
  quantity_bps       INTEGER NOT NULL,
  allocated_bps      INTEGER NOT NULL,
  payment            REAL NOT NULL
);
)SQL";

int64_t
NowNs()
{
    return Simulator::Now().GetNanoSeconds();
}

int64_t
Bps(DataRate r)
{
    return static_cast<int64_t>(r.GetBitRate());
}

/// \return \p s as a JSON string literal
std::string
JsonString(const std::string& s)
{
    std::string out = "\"";
    for (char ch : s)
    {
        switch (ch)
        {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(ch) < 0x20)
            {
                char buf[8];
                std::snprintf(buf, sizeof(buf), "\\u%04x", ch);
                out += buf;
            }
            else
            {
                out += ch;
            }
        }
    }
    return out + "\"";
}

/// \return "a b c" from node ids
std::string
NodeIds(const std::vector<Ptr<Node>>& nodes)
{
    std::ostringstream os;
    for (std::size_t i = 0; i < nodes.size(); ++i)
    {
        os << (i ? " " : "") << nodes[i]->GetId();
    }
    return os.str();
}

/// VirtualNetwork's address ranges, when it offers a public getter (GetAddressRanges).
template <typename T>
auto
RangesText(const T& n, int) -> decltype(n.GetAddressRanges(), std::string())
{
    std::ostringstream os;
    bool first = true;
    for (const auto& r : n.GetAddressRanges())
    {
        os << (first ? "" : " ") << r.first << "/" << r.second.GetPrefixLength();
        first = false;
    }
    return os.str();
}

template <typename T>
std::string
RangesText(const T&, long)
{
    return "";
}

/// Channel propagation delay of a device (its channel's "Delay" attribute, else 0).
int64_t
DelayNs(Ptr<NetDevice> dev)
{
    Ptr<Channel> ch = dev->GetChannel();
    TimeValue v;
    if (ch && ch->GetAttributeFailSafe("Delay", v))
    {
        return v.Get().GetNanoSeconds();
    }
    return 0;
}

/// \return the physical device of \p key, or null
Ptr<NetDevice>
DeviceOf(int64_t nodeId, int64_t devIndex)
{
    if (nodeId < 0 || static_cast<uint32_t>(nodeId) >= NodeList::GetNNodes())
    {
        return nullptr;
    }
    Ptr<Node> n = NodeList::GetNode(static_cast<uint32_t>(nodeId));
    if (devIndex < 0 || static_cast<uint32_t>(devIndex) >= n->GetNDevices())
    {
        return nullptr;
    }
    return n->GetDevice(static_cast<uint32_t>(devIndex));
}

} // namespace

TypeId
GenesisProfileDatabase::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisProfileDatabase")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisProfileDatabase>()
            .AddAttribute("Path",
                          "File name of the SQLite profile database. Open() replaces an "
                          "existing file of that name.",
                          StringValue("genesis.sqlite"),
                          MakeStringAccessor(&GenesisProfileDatabase::m_path),
                          MakeStringChecker());
    return tid;
}

GenesisProfileDatabase::GenesisProfileDatabase()
{
    NS_LOG_FUNCTION(this);
}

GenesisProfileDatabase::~GenesisProfileDatabase()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisProfileDatabase::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (const auto& net : m_watched)
    {
        net->TraceDisconnectWithoutContext("Spawned",
                                           MakeCallback(&GenesisProfileDatabase::OnSpawned, this));
        net->TraceDisconnectWithoutContext("TornDown",
                                           MakeCallback(&GenesisProfileDatabase::OnTornDown, this));
        net->TraceDisconnectWithoutContext(
            "SpawnFailed",
            MakeCallback(&GenesisProfileDatabase::OnSpawnFailed, this));
        net->TraceDisconnectWithoutContext("ChildCreated",
                                           MakeCallback(&GenesisProfileDatabase::Watch, this));
        net->TraceDisconnectWithoutContext(
            "Reprovisioned",
            MakeCallback(&GenesisProfileDatabase::OnReprovisioned, this));
    }
    m_watched.clear();
    m_root = nullptr;
    Close();
    Object::DoDispose();
}

std::string
GenesisProfileDatabase::StateName(VirtualNetwork::State s)
{
    switch (s)
    {
    case VirtualNetwork::DEFINED:
        return "defined";
    case VirtualNetwork::SPAWNED:
        return "spawned";
    case VirtualNetwork::TORN_DOWN:
        return "torn_down";
    }
    return "defined";
}

std::string
GenesisProfileDatabase::ClassName(ArbitratorQueueDiscClass::CapacityClass cc)
{
    switch (cc)
    {
    case ArbitratorQueueDiscClass::CONSTANT:
        return "constant";
    case ArbitratorQueueDiscClass::CONTROLLED:
        return "controlled";
    case ArbitratorQueueDiscClass::BEST_EFFORT:
        return "best-effort";
    }
    return "best-effort";
}

void
GenesisProfileDatabase::CheckOpen(const std::string& what) const
{
    if (!m_db)
    {
        throw GenesisError("GenesisProfileDatabase '" + m_path + "': cannot " + what +
                           ": the database is not open; call Open() first");
    }
}

void
GenesisProfileDatabase::Open()
{
    NS_LOG_FUNCTION(this << m_path);
    Close();
    if (m_path.empty())
    {
        throw GenesisError("GenesisProfileDatabase: Path is empty; give a file name");
    }
    // One run, one file: a previous database (and its WAL) is replaced.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    {
        std::remove((m_path + suffix).c_str());
    }
    auto db = std::make_unique<SqliteDatabase>(m_path);
    {
        SqliteTransaction tx(*db);
        db->Exec(SCHEMA);
        SqliteStatement meta = db->Prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
        meta.Bind(1, "schema_version").Bind(2, std::to_string(SCHEMA_VERSION)).Run();
        meta.Reset();
        meta.Bind(1, "generator").Bind(2, "ns-3 Genesis (GenesisProfileDatabase)").Run();
        meta.Reset();
        meta.Bind(1, "time_unit").Bind(2, "ns of simulated time").Run();
        tx.Commit();
    }
    m_db = std::move(db);
    CatalogueModules();
}

void
GenesisProfileDatabase::Close()
{
    if (m_db)
    {
        NS_LOG_FUNCTION(this << m_path);
        m_db->Close();
        m_db.reset();
    }
}

bool
GenesisProfileDatabase::IsOpen() const
{
    return m_db != nullptr;
}

SqliteDatabase&
GenesisProfileDatabase::GetConnection()
{
    CheckOpen("query");
    return *m_db;
}

std::string
GenesisProfileDatabase::Dump()
{
    CheckOpen("dump");
    return m_db->Dump();
}

void
GenesisProfileDatabase::CatalogueModules()
{
    NS_LOG_FUNCTION(this);
    CheckOpen("catalogue modules");
    const TypeId qdisc = QueueDisc::GetTypeId();
    const TypeId qclass = QueueDiscClass::GetTypeId();
    const TypeId filter = PacketFilter::GetTypeId();
    SqliteTransaction tx(*m_db);
    m_db->Exec("DELETE FROM modules");
    SqliteStatement ins = m_db->Prepare(
        "INSERT INTO modules(type_id, category, parent_type_id, group_name, has_constructor, "
        "attributes) VALUES (?, ?, ?, ?, ?, ?)");
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId t = TypeId::GetRegistered(i);
        std::string category;
        if (t.IsChildOf(qdisc))
        {
            category = "queue-disc";
        }
        else if (t.IsChildOf(qclass))
        {
            category = "queue-disc-class";
        }
        else if (t.IsChildOf(filter))
        {
            category = "packet-filter";
        }
        else if (t.GetGroupName() == "Genesis")
        {
            category = "genesis";
        }
        else
        {
            continue;
        }
        std::ostringstream attrs;
        attrs << "{";
        for (std::size_t a = 0; a < t.GetAttributeN(); ++a)
        {
            TypeId::AttributeInformation info = t.GetAttribute(a);
            std::string initial;
            if (info.initialValue && info.checker)
            {
                initial = info.initialValue->SerializeToString(info.checker);
            }
            attrs << (a ? ", " : "") << JsonString(info.name) << ": " << JsonString(initial);
        }
        attrs << "}";
        ins.Bind(1, t.GetName())
            .Bind(2, category)
            .Bind(3, t.GetParent() == t ? std::string() : t.GetParent().GetName())
            .Bind(4, t.GetGroupName())
            .Bind(5, static_cast<int64_t>(t.HasConstructor()))
            .Bind(6, attrs.str());
        ins.Run();
        ins.Reset();
    }
    tx.Commit();
}

// ------------------------------------------------------------------ MPI ranks

std::string
GenesisProfileDatabase::RankPath(const std::string& path, uint32_t rank, uint32_t size)
{
    if (size == 0 || rank >= size)
    {
        throw GenesisError("GenesisProfileDatabase::RankPath: rank " + std::to_string(rank) +
                           " of " + std::to_string(size) +
                           " is not a rank of the run; give 0 <= rank < size");
    }
    if (size == 1)
    {
        return path;
    }
    const std::string tag = ".rank" + std::to_string(rank) + "-of-" + std::to_string(size);
    // The extension is the last '.' of the file name (not of a directory), if any.
    std::size_t slash = path.find_last_of('/');
    std::size_t dot = path.find_last_of('.');
    std::size_t nameStart = slash == std::string::npos ? 0 : slash + 1;
    if (dot == std::string::npos || dot <= nameStart)
    {
        return path + tag; // no extension (or a hidden file such as ".db")
    }
    return path.substr(0, dot) + tag + path.substr(dot);
}

void
GenesisProfileDatabase::RecordRank(uint32_t rank, uint32_t size)
{
    NS_LOG_FUNCTION(this << rank << size);
    CheckOpen("record the MPI rank");
    if (size == 0 || rank >= size)
    {
        throw GenesisError("GenesisProfileDatabase '" + m_path + "': rank " + std::to_string(rank) +
                           " of " + std::to_string(size) +
                           " is not a rank of the run; give 0 <= rank < size");
    }
    SqliteTransaction tx(*m_db);
    SqliteStatement s = m_db->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    s.Bind(1, "mpi_rank").Bind(2, std::to_string(rank)).Run();
    s.Reset();
    s.Bind(1, "mpi_size").Bind(2, std::to_string(size)).Run();
    tx.Commit();
}

// ------------------------------------------------------------------ topology

void
GenesisProfileDatabase::RecordTopology(Ptr<VirtualNetwork> root)
{
    NS_LOG_FUNCTION(this << root);
    CheckOpen("record the topology");
    if (!root || root->GetParent())
    {
        throw GenesisError("GenesisProfileDatabase::RecordTopology: give the root network");
    }
    SqliteTransaction tx(*m_db);
    EnsureAncestors(root);
    tx.Commit();
}

void
GenesisProfileDatabase::EnsureAncestors(Ptr<VirtualNetwork> net)
{
    // Records `net` (and, first, its ancestors) if it has no row yet.
    SqliteStatement q = m_db->Prepare("SELECT 1 FROM networks WHERE network_id = ?");
    q.Bind(1, static_cast<int64_t>(net->GetId()));
    if (q.Step())
    {
        return;
    }
    if (net->GetParent())
    {
        EnsureAncestors(net->GetParent());
        if (net->GetState() == VirtualNetwork::SPAWNED)
        {
            // Spawned before anyone watched it: record it completely.
            UpsertNetwork(net, "spawned_at_ns");
            WriteSpawnDetails(net);
        }
        else
        {
            UpsertNetwork(net,
                          net->GetState() == VirtualNetwork::TORN_DOWN ? "torn_down_at_ns"
                                                                       : nullptr);
        }
        return;
    }

    // The root: nodes, devices, capacities, the root network and its allocations.
    UpsertNetwork(net, "spawned_at_ns");
    SqliteStatement insNode = m_db->Prepare(
        "INSERT OR IGNORE INTO nodes(node_id, n_devices, system_id) VALUES (?, ?, ?)");
    SqliteStatement insDev =
        m_db->Prepare("INSERT OR REPLACE INTO devices(node_id, device_index, type, peer_node_id, "
                      "peer_device_index, link_rate_bps, delay_ns) VALUES (?, ?, ?, ?, ?, ?, ?)");
    SqliteStatement insRl = m_db->Prepare("INSERT OR IGNORE INTO routelets(network_id, "
                                          "host_node_id, routelet_node_id, position, name) "
                                          "VALUES (0, ?, ?, ?, ?)");
    // Every node of the simulation with an ns3::Names name (end hosts too).
    m_db->Exec("INSERT OR REPLACE INTO meta(key, value) VALUES ('n_nodes', '" +
               std::to_string(NodeList::GetNNodes()) + "')");
    SqliteStatement insName =
        m_db->Prepare("INSERT OR REPLACE INTO node_names(node_id, name) VALUES (?, ?)");
    for (uint32_t i = 0; i < NodeList::GetNNodes(); ++i)
    {
        std::string n = Names::FindName(NodeList::GetNode(i));
        if (!n.empty())
        {
            insName.Bind(1, static_cast<int64_t>(i)).Bind(2, n);
            insName.Run();
            insName.Reset();
        }
    }
    int64_t pos = 0;
    for (const auto& rl : net->GetRoutelets())
    {
        Ptr<Node> host = rl->GetHost();
        // The MPI rank that owns the node (0 without MPI): the merge of a
        // distributed run's per-rank databases takes a routelet's node id from it.
        insNode.Bind(1, static_cast<int64_t>(host->GetId()))
            .Bind(2, static_cast<int64_t>(host->GetNDevices()))
            .Bind(3, static_cast<int64_t>(host->GetSystemId()));
        insNode.Run();
        insNode.Reset();
        insRl.Bind(1, static_cast<int64_t>(host->GetId()))
            .Bind(2, static_cast<int64_t>(host->GetId()))
            .Bind(3, pos++);
        std::string rn = Names::FindName(rl);
        rn.empty() ? insRl.BindNull(4) : insRl.Bind(4, rn);
        insRl.Run();
        insRl.Reset();
    }
    // Devices after all nodes, so that a peer is always a recorded node.
    for (const auto& rl : net->GetRoutelets())
    {
        Ptr<Node> host = rl->GetHost();
        for (uint32_t d = 0; d < host->GetNDevices(); ++d)
        {
            Ptr<NetDevice> dev = host->GetDevice(d);
            Ptr<ArbitratorQueueDisc> arb = net->GetArbitrator(dev);
            if (!arb)
            {
                continue; // loopback and devices Genesis does not manage
            }
            insDev.Bind(1, static_cast<int64_t>(host->GetId()))
                .Bind(2, static_cast<int64_t>(d))
                .Bind(3, dev->GetInstanceTypeId().GetName());
            Ptr<NetDevice> peer;
            Ptr<Channel> ch = dev->GetChannel();
            if (ch && ch->GetNDevices() == 2)
            {
                peer = ch->GetDevice(0) == dev ? ch->GetDevice(1) : ch->GetDevice(0);
            }
            if (peer)
            {
                insDev.Bind(4, static_cast<int64_t>(peer->GetNode()->GetId()))
                    .Bind(5, static_cast<int64_t>(peer->GetIfIndex()));
            }
            else
            {
                insDev.BindNull(4).BindNull(5); // shared or no channel
            }
            insDev.Bind(6, Bps(arb->GetLinkRate())).Bind(7, DelayNs(dev));
            insDev.Run();
            insDev.Reset();
            WriteAllocations(net, dev);
        }
    }
    WriteEdges(net);
}

void
GenesisProfileDatabase::WriteEdges(Ptr<VirtualNetwork> net)
{
    SqliteStatement del = m_db->Prepare("DELETE FROM edges WHERE network_id = ?");
    del.Bind(1, static_cast<int64_t>(net->GetId()));
    del.Run();
    SqliteStatement ins = m_db->Prepare(
        "INSERT INTO edges(network_id, position, from_node, to_node, hops) VALUES (?, ?, ?, ?, ?)");
    int64_t pos = 0;
    for (const auto& e : net->GetEdges())
    {
        std::ostringstream hops;
        bool first = true;
        for (const auto& h : e.hops)
        {
            hops << (first ? "" : " ") << h.from->GetId() << "/" << h.fromDev->GetIfIndex() << ">"
                 << h.to->GetId() << "/" << h.toDev->GetIfIndex();
            first = false;
        }
        ins.Bind(1, static_cast<int64_t>(net->GetId()))
            .Bind(2, pos++)
            .Bind(3, static_cast<int64_t>(e.from->GetId()))
            .Bind(4, static_cast<int64_t>(e.to->GetId()))
            .Bind(5, hops.str());
        ins.Run();
        ins.Reset();
    }
}

void
GenesisProfileDatabase::WriteSpawnDetails(Ptr<VirtualNetwork> net)
{
    SqliteStatement r =
        m_db->Prepare("INSERT INTO routelets(network_id, host_node_id, routelet_node_id, "
                      "position, name) VALUES (?, ?, ?, ?, ?)");
    int64_t pos = 0;
    for (const auto& rl : net->GetRoutelets())
    {
        r.Bind(1, static_cast<int64_t>(net->GetId()))
            .Bind(2, static_cast<int64_t>(rl->GetHost()->GetId()));
        if (rl->GetNode())
        {
            r.Bind(3, static_cast<int64_t>(rl->GetNode()->GetId()));
        }
        else
        {
            r.BindNull(3);
        }
        r.Bind(4, pos++);
        std::string rn = Names::FindName(rl);
        rn.empty() ? r.BindNull(5) : r.Bind(5, rn);
        r.Run();
        r.Reset();
    }
    SqliteStatement l =
        m_db->Prepare("INSERT INTO vlinks(link_id, network_id, end_a_host, end_b_host, end_a_node, "
                      "end_b_node, rate_bps, subnet, via, host_path, device_path) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& link : net->GetLinks())
    {
        std::ostringstream subnet;
        subnet << link->GetSubnet();
        std::ostringstream devPath;
        bool first = true;
        for (const auto& h : link->GetPhysicalPath())
        {
            devPath << (first ? "" : " ") << h.from->GetId() << "/" << h.fromDev->GetIfIndex()
                    << ">" << h.to->GetId() << "/" << h.toDev->GetIfIndex();
            first = false;
        }
        Ptr<Node> na = link->GetEndA()->GetNode();
        Ptr<Node> nb = link->GetEndB()->GetNode();
        l.Bind(1, static_cast<int64_t>(link->GetId()))
            .Bind(2, static_cast<int64_t>(net->GetId()))
            .Bind(3, static_cast<int64_t>(link->GetEndA()->GetHost()->GetId()))
            .Bind(4, static_cast<int64_t>(link->GetEndB()->GetHost()->GetId()));
        na ? l.Bind(5, static_cast<int64_t>(na->GetId())) : l.BindNull(5);
        nb ? l.Bind(6, static_cast<int64_t>(nb->GetId())) : l.BindNull(6);
        l.Bind(7, Bps(link->GetRate()))
            .Bind(8, subnet.str())
            .Bind(9, NodeIds(link->GetVia()))
            .Bind(10, NodeIds(link->GetHostPath()))
            .Bind(11, devPath.str());
        l.Run();
        l.Reset();
    }
    SqliteStatement res = m_db->Prepare(
        "INSERT INTO reservations(network_id, node_id, device_index, class, rate_bps, "
        "reserved_at_ns) VALUES (?, ?, ?, ?, ?, ?)");
    SqliteStatement devs = m_db->Prepare("SELECT node_id, device_index FROM devices ORDER BY 1, 2");
    std::size_t found = 0;
    while (devs.Step())
    {
        Ptr<NetDevice> dev = DeviceOf(devs.GetInt64(0), devs.GetInt64(1));
        if (!dev || !net->GetArbitrator(dev))
        {
            continue;
        }
        ++found;
        res.Bind(1, static_cast<int64_t>(net->GetId()))
            .Bind(2, devs.GetInt64(0))
            .Bind(3, devs.GetInt64(1))
            .Bind(4, ClassName(net->GetCapacityClass()))
            .Bind(5, Bps(net->GetReservedRate(dev)))
            .Bind(6, NowNs());
        res.Run();
        res.Reset();
        WriteAllocations(net, dev);
        WriteAllocations(net->GetParent(), dev);
    }
    if (found != net->GetNSlices())
    {
        throw GenesisError("GenesisProfileDatabase '" + m_path + "': network '" + net->GetName() +
                           "' uses " + std::to_string(net->GetNSlices()) + " devices but only " +
                           std::to_string(found) +
                           " are in the recorded topology; Install() every node "
                           "before recording the topology");
    }
    WriteEdges(net);
}

void
GenesisProfileDatabase::UpsertNetwork(Ptr<VirtualNetwork> net, const char* stampColumn)
{
    std::string text;
    auto p = m_profiles.find(net->GetName());
    if (p != m_profiles.end())
    {
        text = p->second;
    }
    else if (net->GetParent() && net->GetState() != VirtualNetwork::TORN_DOWN)
    {
        text = DescribeProfile(net); // a torn-down network has lost its routelets and links
    }
    SqliteStatement s = m_db->Prepare(
        "INSERT INTO networks(network_id, name, parent_id, depth, class, rate_bps, state, "
        "profile_text, ipv4_base, ipv4_prefix, address_ranges, max_children, max_depth, "
        "max_child_rate_bps, created_at_ns, spawned_at_ns, torn_down_at_ns) "
        "VALUES (:id, :name, :parent, :depth, :class, :rate, :state, :text, :base, :prefix, "
        ":ranges, :maxch, :maxdepth, :maxrate, :now, :spawned, :torn) "
        "ON CONFLICT(network_id) DO UPDATE SET class = excluded.class, "
        "rate_bps = excluded.rate_bps, state = excluded.state, "
        "ipv4_base = excluded.ipv4_base, ipv4_prefix = excluded.ipv4_prefix, "
        "address_ranges = excluded.address_ranges, max_children = excluded.max_children, "
        "max_depth = excluded.max_depth, max_child_rate_bps = excluded.max_child_rate_bps, "
        "profile_text = CASE WHEN excluded.profile_text <> '' THEN excluded.profile_text "
        "ELSE profile_text END, "
        "spawned_at_ns = COALESCE(excluded.spawned_at_ns, spawned_at_ns), "
        "torn_down_at_ns = COALESCE(excluded.torn_down_at_ns, torn_down_at_ns)");
    s.Bind(":id", static_cast<int64_t>(net->GetId()))
        .Bind(":name", net->GetName())
        .Bind(":depth", static_cast<int64_t>(net->GetDepth()))

        .Bind(":rate", net->GetParent() ? Bps(net->GetRate()) : int64_t(0))
        .Bind(":state", StateName(net->GetState()))
        .Bind(":text", text)
        .Bind(":now", NowNs());
    Ipv4AddressValue base;
    Ipv4MaskValue mask;
    net->GetAttribute("Ipv4Base", base);
    net->GetAttribute("Ipv4Mask", mask);
    std::ostringstream baseText;
    baseText << base.Get();
    s.Bind(":base", baseText.str())
        .Bind(":prefix", static_cast<int64_t>(mask.Get().GetPrefixLength()))
        .Bind(":ranges", RangesText(*net, 0));
    // Policy (read fail-safe: the attributes are newer than this recorder).
    UintegerValue u;
    s.Bind(":maxch",
           net->GetAttributeFailSafe("MaxChildren", u) ? static_cast<int64_t>(u.Get())
                                                       : int64_t(UINT32_MAX));
    s.Bind(":maxdepth",
           net->GetAttributeFailSafe("MaxDepth", u) ? static_cast<int64_t>(u.Get())
                                                    : int64_t(UINT32_MAX));
    DataRateValue r;
    s.Bind(":maxrate", net->GetAttributeFailSafe("MaxChildRate", r) ? Bps(r.Get()) : int64_t(0));
    // The root has no capacity class: it owns the physical links.
    net->GetParent() ? s.Bind(":class", ClassName(net->GetCapacityClass())) : s.BindNull(":class");
    net->GetParent() ? s.Bind(":parent", static_cast<int64_t>(net->GetParent()->GetId()))
                     : s.BindNull(":parent");
    std::string stamp = stampColumn ? stampColumn : "";
    stamp == "spawned_at_ns" ? s.Bind(":spawned", NowNs()) : s.BindNull(":spawned");
    stamp == "torn_down_at_ns" ? s.Bind(":torn", NowNs()) : s.BindNull(":torn");
    s.Run();
}

void
GenesisProfileDatabase::WriteAllocations(Ptr<VirtualNetwork> net, Ptr<NetDevice> dev)
{
    Ptr<ArbitratorQueueDisc> arb = net->GetArbitrator(dev);
    if (!arb)
    {
        return;
    }
    SqliteStatement s = m_db->Prepare(
        "INSERT OR REPLACE INTO allocations(network_id, node_id, device_index, link_rate_bps, "
        "guaranteed_bps, residual_bps) VALUES (?, ?, ?, ?, ?, ?)");
    s.Bind(1, static_cast<int64_t>(net->GetId()))
        .Bind(2, static_cast<int64_t>(dev->GetNode()->GetId()))
        .Bind(3, static_cast<int64_t>(dev->GetIfIndex()))
        .Bind(4, Bps(arb->GetLinkRate()))
        .Bind(5, Bps(arb->GetGuaranteedRate()))
        .Bind(6, Bps(arb->GetResidualRate()));
    s.Run();
}

std::string
GenesisProfileDatabase::DescribeProfile(Ptr<VirtualNetwork> net) const
{
    // A canonical, YAML-like description, used when no profile text was given.
    std::ostringstream os;
    os << "name: " << net->GetName() << "\n";
    os << "parent: " << (net->GetParent() ? net->GetParent()->GetName() : "") << "\n";
    os << "class: " << ClassName(net->GetCapacityClass()) << "\n";
    os << "rate: " << GenesisFormatRate(net->GetRate().GetBitRate()) << "\n";
    os << "routelets: [";
    for (std::size_t i = 0; i < net->GetRoutelets().size(); ++i)
    {
        // A refused spawn has rolled its routelets back: they have no host any more.
        Ptr<Node> host = net->GetRoutelets()[i]->GetHost();
        os << (i ? ", " : "") << (host ? std::to_string(host->GetId()) : std::string("?"));
    }
    os << "]\nlinks:\n";
    for (const auto& l : net->GetLinks())
    {
        if (!l->GetEndA() || !l->GetEndB() || !l->GetEndA()->GetHost() || !l->GetEndB()->GetHost())
        {
            continue; // rolled back
        }
        os << "  - {a: " << l->GetEndA()->GetHost()->GetId()
           << ", b: " << l->GetEndB()->GetHost()->GetId()
           << ", rate: " << GenesisFormatRate(l->GetRate().GetBitRate()) << ", via: ["
           << NodeIds(l->GetVia()) << "]}\n";
    }
    return os.str();
}

// ------------------------------------------------------------------ life cycle

void
GenesisProfileDatabase::SetProfileText(const std::string& networkName, const std::string& text)
{
    m_profiles[networkName] = text;
}

void
GenesisProfileDatabase::RecordSpawn(Ptr<VirtualNetwork> net, const std::string& profileText)
{
    NS_LOG_FUNCTION(this << net);
    CheckOpen("record a spawn");
    if (!net || !net->GetParent() || net->GetState() != VirtualNetwork::SPAWNED)
    {
        throw GenesisError("GenesisProfileDatabase::RecordSpawn: give a spawned child network");
    }
    if (!profileText.empty())
    {
        m_profiles[net->GetName()] = profileText;
    }
    SqliteTransaction tx(*m_db);
    EnsureAncestors(net->GetParent());
    // The network row may exist (defined, refused before): it is updated. The
    // detail rows must not exist, so recording one spawn twice fails on their
    // primary keys and rolls the whole transaction back.
    UpsertNetwork(net, "spawned_at_ns");
    WriteSpawnDetails(net);
    tx.Commit();
}

void
GenesisProfileDatabase::RecordTeardown(Ptr<VirtualNetwork> net)
{
    NS_LOG_FUNCTION(this << net);
    CheckOpen("record a teardown");
    if (!net || !net->GetParent() || net->GetState() != VirtualNetwork::TORN_DOWN)
    {
        throw GenesisError(
            "GenesisProfileDatabase::RecordTeardown: give a torn-down child network");
    }
    SqliteTransaction tx(*m_db);
    EnsureAncestors(net->GetParent());
    UpsertNetwork(net, "torn_down_at_ns");
    const std::string id = std::to_string(net->GetId());
    // The devices it held: its open reservations (its own slices are gone by now).
    std::vector<std::pair<int64_t, int64_t>> devs;
    {
        SqliteStatement q = m_db->Prepare("SELECT node_id, device_index FROM reservations "
                                          "WHERE network_id = ? AND released_at_ns IS NULL "
                                          "ORDER BY 1, 2");
        q.Bind(1, static_cast<int64_t>(net->GetId()));
        while (q.Step())
        {
            devs.emplace_back(q.GetInt64(0), q.GetInt64(1));
        }
    }
    SqliteStatement rel = m_db->Prepare("UPDATE reservations SET released_at_ns = ? "
                                        "WHERE network_id = ? AND released_at_ns IS NULL");
    rel.Bind(1, NowNs()).Bind(2, static_cast<int64_t>(net->GetId()));
    rel.Run();
    m_db->Exec("DELETE FROM allocations WHERE network_id = " + id);
    for (const auto& d : devs)
    {
        Ptr<NetDevice> dev = DeviceOf(d.first, d.second);
        if (dev)
        {
            WriteAllocations(net->GetParent(), dev);
        }
    }
    tx.Commit();
}

void
GenesisProfileDatabase::RecordRefusal(Ptr<VirtualNetwork> net, const std::string& reason)
{
    NS_LOG_FUNCTION(this << net << reason);
    CheckOpen("record a refusal");
    SqliteTransaction tx(*m_db);
    EnsureAncestors(net);
    SqliteStatement s = m_db->Prepare("INSERT INTO refusals(time_ns, network_id, network_name, "
                                      "reason) VALUES (?, ?, ?, ?)");
    s.Bind(1, NowNs())
        .Bind(2, static_cast<int64_t>(net->GetId()))
        .Bind(3, net->GetName())
        .Bind(4, reason);
    s.Run();
    tx.Commit();
}

void
GenesisProfileDatabase::RecordRefusal(const std::string& name, const std::string& reason)
{
    NS_LOG_FUNCTION(this << name << reason);
    CheckOpen("record a refusal");
    SqliteTransaction tx(*m_db);
    SqliteStatement s =
        m_db->Prepare("INSERT INTO refusals(time_ns, network_id, network_name, reason) VALUES (?, "
                      "(SELECT network_id FROM networks WHERE name = ?), ?, ?)");
    s.Bind(1, NowNs()).Bind(2, name).Bind(3, name).Bind(4, reason);
    s.Run();
    tx.Commit();
}

void
GenesisProfileDatabase::RecordStatistic(uint16_t networkId, const std::string& key, double value)
{
    CheckOpen("record a statistic");
    SqliteStatement s = m_db->Prepare(
        "INSERT INTO statistics(network_id, time_ns, key, value) VALUES (?, ?, ?, ?)");
    s.Bind(1, static_cast<int64_t>(networkId)).Bind(2, NowNs()).Bind(3, key).Bind(4, value);
    s.Run();
}

void
GenesisProfileDatabase::RecordChange(Ptr<VirtualNetwork> net,
                                     const std::string& kind,
                                     const std::string& target,
                                     const std::string& oldValue,
                                     const std::string& newValue)
{
    CheckOpen("record a change");
    SqliteTransaction tx(*m_db);
    EnsureAncestors(net);
    SqliteStatement s = m_db->Prepare("INSERT INTO changes(time_ns, network_id, kind, target, "
                                      "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)");
    s.Bind(1, NowNs())
        .Bind(2, static_cast<int64_t>(net->GetId()))
        .Bind(3, kind)
        .Bind(4, target)
        .Bind(5, oldValue)
        .Bind(6, newValue);
    s.Run();
    tx.Commit();
}

void
GenesisProfileDatabase::RecordManagementRound(const std::vector<LinkStatsRow>& stats,
                                              const std::vector<AllocationChangeRow>& changes,
                                              const std::vector<BidRow>& bids)
{
    CheckOpen("record a management round");
    SqliteTransaction txn(*m_db);
    if (!stats.empty())
    {
        SqliteStatement s = m_db->Prepare(
            "INSERT INTO link_stats(network_id, node_id, device_index, time_ns, interval_ns, "
            "tx_bytes, tx_packets, drops, policed, rate_bps, allocated_bps, mean_delay_ns) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& r : stats)
        {
            s.Bind(1, static_cast<int64_t>(r.networkId))
                .Bind(2, static_cast<int64_t>(r.nodeId))
                .Bind(3, static_cast<int64_t>(r.deviceIndex))
                .Bind(4, r.timeNs)
                .Bind(5, r.intervalNs)
                .Bind(6, static_cast<int64_t>(r.txBytes))
                .Bind(7, static_cast<int64_t>(r.txPackets))
                .Bind(8, static_cast<int64_t>(r.drops))
                .Bind(9, static_cast<int64_t>(r.policed))
                .Bind(10, r.rateBps)
                .Bind(11, static_cast<int64_t>(r.allocatedBps));
            if (r.meanDelayNs < 0)
            {
                s.BindNull(12);
            }
            else
            {
                s.Bind(12, r.meanDelayNs);
            }
            s.Run();
            s.Reset();
        }
    }
    if (!changes.empty())
    {
        // a guaranteed child's reservation follows its allocation
        SqliteStatement r = m_db->Prepare(
            "UPDATE reservations SET rate_bps = ? WHERE network_id = ? AND node_id = ? AND "
            "device_index = ? AND released_at_ns IS NULL AND class <> 'best-effort'");
        for (const auto& c : changes)
        {
            r.Bind(1, static_cast<int64_t>(c.newBps))
                .Bind(2, static_cast<int64_t>(c.networkId))
                .Bind(3, static_cast<int64_t>(c.nodeId))
                .Bind(4, static_cast<int64_t>(c.deviceIndex));
            r.Run();
            r.Reset();
        }
        SqliteStatement s = m_db->Prepare(
            "INSERT INTO allocation_changes(time_ns, network_id, node_id, device_index, old_bps, "
            "new_bps, cause) VALUES (?, ?, ?, ?, ?, ?, ?)");
        for (const auto& c : changes)
        {
            s.Bind(1, c.timeNs)
                .Bind(2, static_cast<int64_t>(c.networkId))
                .Bind(3, static_cast<int64_t>(c.nodeId))
                .Bind(4, static_cast<int64_t>(c.deviceIndex))
                .Bind(5, static_cast<int64_t>(c.oldBps))
                .Bind(6, static_cast<int64_t>(c.newBps))
                .Bind(7, c.cause);
            s.Run();
            s.Reset();
        }
    }
    if (!bids.empty())
    {
        SqliteStatement s =
            m_db->Prepare("INSERT INTO bids(time_ns, auction_network_id, bidder_network_id, price, "
                          "quantity_bps, allocated_bps, payment) VALUES (?, ?, ?, ?, ?, ?, ?)");
        for (const auto& b : bids)
        {
            s.Bind(1, b.timeNs)
                .Bind(2, static_cast<int64_t>(b.auctionNetworkId))
                .Bind(3, static_cast<int64_t>(b.bidderNetworkId))
                .Bind(4, b.price)
                .Bind(5, static_cast<int64_t>(b.quantityBps))
                .Bind(6, static_cast<int64_t>(b.allocatedBps))
                .Bind(7, b.payment);
            s.Run();
            s.Reset();
        }
    }
    txn.Commit();
}

// ------------------------------------------------------------------ watching

void
GenesisProfileDatabase::Attach(Ptr<VirtualNetwork> root)
{
    NS_LOG_FUNCTION(this << root);
    RecordTopology(root);
    m_root = root;
    Scan(root);
    // Networks defined after Attach() but before Simulator::Run().
    Simulator::ScheduleNow(&GenesisProfileDatabase::Scan, Ptr<GenesisProfileDatabase>(this), root);
}

void
GenesisProfileDatabase::Scan(Ptr<VirtualNetwork> net)
{
    Watch(net);
    for (const auto& c : net->GetChildren())
    {
        Scan(c);
    }
}

void
GenesisProfileDatabase::Watch(Ptr<VirtualNetwork> net)
{
    if (!net || !m_watched.insert(net).second)
    {
        return;
    }
    NS_LOG_FUNCTION(this << net->GetName());
    net->TraceConnectWithoutContext("Spawned",
                                    MakeCallback(&GenesisProfileDatabase::OnSpawned, this));
    net->TraceConnectWithoutContext("TornDown",
                                    MakeCallback(&GenesisProfileDatabase::OnTornDown, this));
    net->TraceConnectWithoutContext("SpawnFailed",
                                    MakeCallback(&GenesisProfileDatabase::OnSpawnFailed, this));
    net->TraceConnectWithoutContext("Reprovisioned",
                                    MakeCallback(&GenesisProfileDatabase::OnReprovisioned, this));
    net->TraceConnectWithoutContext("Changed",
                                    MakeCallback(&GenesisProfileDatabase::OnChanged, this));
    // Children defined later are watched as soon as they exist.
    net->TraceConnectWithoutContext("ChildCreated",
                                    MakeCallback(&GenesisProfileDatabase::Watch, this));
}

// A trace sink must not throw into VirtualNetwork::Spawn/Teardown (the
// network is built by then); a database that missed a life-cycle event no
// longer describes the run, so the simulation stops with the reason.
void
GenesisProfileDatabase::OnSpawned(Ptr<VirtualNetwork> net)
{
    try
    {
        RecordSpawn(net);
        std::ostringstream what;
        what << ClassName(net->GetCapacityClass()) << " "
             << GenesisFormatRate(net->GetRate().GetBitRate());
        RecordChange(net, "spawn", "/Genesis/Networks/" + net->GetName(), "", what.str());
    }
    catch (const GenesisError& e)
    {
        NS_FATAL_ERROR("profile database: spawn of '" << net->GetName()
                                                      << "' not recorded: " << e.what());
    }
    if (m_root)
    {
        Scan(m_root);
    }
}

void
GenesisProfileDatabase::OnTornDown(Ptr<VirtualNetwork> net)
{
    try
    {
        // A spawn rolled back in its last phases also fires TornDown; only a
        // network that ran is a change.
        bool ran = false;
        {
            SqliteStatement q =
                m_db->Prepare("SELECT 1 FROM networks WHERE network_id = ? AND state = 'spawned'");
            q.Bind(1, static_cast<int64_t>(net->GetId()));
            ran = q.Step();
        }
        RecordTeardown(net);
        if (ran)
        {
            RecordChange(net, "teardown", "/Genesis/Networks/" + net->GetName(), "", "");
        }
    }
    catch (const GenesisError& e)
    {
        NS_FATAL_ERROR("profile database: teardown of '" << net->GetName()
                                                         << "' not recorded: " << e.what());
    }
}

void
GenesisProfileDatabase::OnSpawnFailed(Ptr<VirtualNetwork> net, const std::string& reason)
{
    try
    {
        RecordRefusal(net, reason);
    }
    catch (const GenesisError& e)
    {
        NS_FATAL_ERROR("profile database: refusal of '" << net->GetName()
                                                        << "' not recorded: " << e.what());
    }
    if (m_root)
    {
        Scan(m_root);
    }
}

void
GenesisProfileDatabase::RecordReprovision(Ptr<VirtualNetwork> net, Ptr<VirtualLink> link)
{
    NS_LOG_FUNCTION(this << net << link);
    CheckOpen("record a re-provisioning");
    if (!net || !link || link->GetNetwork() != net)
    {
        throw GenesisError("GenesisProfileDatabase::RecordReprovision: give a network and one "
                           "of its links");
    }
    if (net->GetState() != VirtualNetwork::SPAWNED)
    {
        return; // a defined network has no rows that depend on the rate yet
    }
    SqliteTransaction tx(*m_db);
    EnsureAncestors(net->GetParent());
    // The networks row does not change: a link rate is no network column, and
    // the stored profile text stays the one the network was made from.
    SqliteStatement l = m_db->Prepare("UPDATE vlinks SET rate_bps = ? WHERE link_id = ?");
    l.Bind(1, Bps(link->GetRate())).Bind(2, static_cast<int64_t>(link->GetId()));
    l.Run();
    if (m_db->QueryInt64("SELECT changes()") != 1)
    {
        throw GenesisError("GenesisProfileDatabase '" + m_path + "': link " +
                           std::to_string(link->GetId()) + " of network '" + net->GetName() +
                           "' is not recorded; record the spawn before re-provisioning");
    }
    SqliteStatement res = m_db->Prepare(
        "UPDATE reservations SET rate_bps = ? WHERE network_id = ? AND node_id = ? AND "
        "device_index = ? AND released_at_ns IS NULL");
    std::set<std::pair<uint32_t, uint32_t>> done;
    for (const auto& h : link->GetPhysicalPath())
    {
        for (Ptr<NetDevice> dev : {h.fromDev, h.toDev})
        {
            if (!done.insert({dev->GetNode()->GetId(), dev->GetIfIndex()}).second)
            {
                continue;
            }
            // the change, for allocation_changes (cause 'reprovision')
            SqliteStatement prev = m_db->Prepare(
                "SELECT rate_bps FROM reservations WHERE network_id = ? AND node_id = ? AND "
                "device_index = ? AND released_at_ns IS NULL");
            prev.Bind(1, static_cast<int64_t>(net->GetId()))
                .Bind(2, static_cast<int64_t>(dev->GetNode()->GetId()))
                .Bind(3, static_cast<int64_t>(dev->GetIfIndex()));
            if (prev.Step() && prev.GetInt64(0) != Bps(net->GetReservedRate(dev)))
            {
                SqliteStatement ch = m_db->Prepare(
                    "INSERT INTO allocation_changes(time_ns, network_id, node_id, device_index, "
                    "old_bps, new_bps, cause) VALUES (?, ?, ?, ?, ?, ?, 'reprovision')");
                ch.Bind(1, NowNs())
                    .Bind(2, static_cast<int64_t>(net->GetId()))
                    .Bind(3, static_cast<int64_t>(dev->GetNode()->GetId()))
                    .Bind(4, static_cast<int64_t>(dev->GetIfIndex()))
                    .Bind(5, prev.GetInt64(0))
                    .Bind(6, Bps(net->GetReservedRate(dev)));
                ch.Run();
            }
            res.Bind(1, Bps(net->GetReservedRate(dev)))
                .Bind(2, static_cast<int64_t>(net->GetId()))
                .Bind(3, static_cast<int64_t>(dev->GetNode()->GetId()))
                .Bind(4, static_cast<int64_t>(dev->GetIfIndex()));
            res.Run();
            res.Reset();
            WriteAllocations(net, dev);
            WriteAllocations(net->GetParent(), dev);
        }
    }
    tx.Commit();
}

void
GenesisProfileDatabase::OnReprovisioned(Ptr<VirtualNetwork> net,
                                        Ptr<VirtualLink> link,
                                        DataRate rate)
{
    try
    {
        RecordReprovision(net, link);
        RecordChange(net,
                     "reprovision",
                     "/Genesis/Networks/" + net->GetName() + "/Links/" +
                         std::to_string(link->GetId()),
                     "",
                     GenesisFormatRate(rate.GetBitRate()));
    }
    catch (const GenesisError& e)
    {
        NS_FATAL_ERROR("profile database: re-provisioning of '" << net->GetName()
                                                                << "' not recorded: " << e.what());
    }
}

} // namespace ns3

namespace ns3
{

void
GenesisProfileDatabase::OnChanged(Ptr<VirtualNetwork> net,
                                  const std::string& kind,
                                  const std::string& target,
                                  const std::string& oldValue,
                                  const std::string& newValue)
{
    try
    {
        RecordChange(net, kind, target, oldValue, newValue);
    }
    catch (const GenesisError& e)
    {
        NS_FATAL_ERROR("profile database: change of '" << net->GetName()
                                                       << "' not recorded: " << e.what());
    }
}

} // namespace ns3
