/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-network.h"

#include "arbitrator-queue-disc.h"
#include "genesis-address-range-filter.h"
#include "genesis-error.h"
#include "genesis-label-filter.h"
#include "genesis-routelet-routing.h"
#include "genesis-shim-header.h"
#include "routelet-port.h"
#include "routelet.h"

#include "ns3/application.h"
#include "ns3/boolean.h"
#include "ns3/channel.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/node-list.h"
#include "ns3/object-map.h"
#include "ns3/object-vector.h"
#include "ns3/packet-filter.h"
#include "ns3/string.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <limits>
#include <list>
#include <sstream>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualNetwork");
NS_OBJECT_ENSURE_REGISTERED(VirtualNetwork);

namespace
{
/*
 * Teardown must stop the applications of a routelet node before disposing of
 * it: Application::DoDispose cancels only the start and stop events, so an
 * application's own pending events (a client's next send) would run on a
 * disposed object. Application::StopApplication is private in ns-3.37; the
 * explicit-instantiation access rule ([temp.explicit]: access checking does
 * not apply to names in explicit instantiations) gives its address, and the
 * call dispatches virtually like ns-3's own stop event.
 */
template <typename Tag, typename Tag::type M>
struct PrivateMember
{
    friend typename Tag::type Get(Tag)
    {
        return M;
    }
};

struct StopApplicationTag
{
    typedef void (Application::*type)();
    friend type Get(StopApplicationTag);
};

template struct PrivateMember<StopApplicationTag, &Application::StopApplication>;

/*
 * The spawn installs thousands of routes per routelet, each to a subnet no
 * earlier route of the spawn has. Ipv4StaticRouting::AddNetworkRouteTo scans
 * the whole table for a duplicate first (LookupRoute), which makes R routes
 * cost O(R^2); the same access rule gives the table itself, so such a route
 * is appended exactly as AddNetworkRouteTo appends it, without the scan.
 */
struct NetworkRoutesTag
{
    typedef std::list<std::pair<Ipv4RoutingTableEntry*, uint32_t>> Ipv4StaticRouting::*type;
    friend type Get(NetworkRoutesTag);
};

template struct PrivateMember<NetworkRoutesTag, &Ipv4StaticRouting::m_networkRoutes>;

/// What Ipv4StaticRouting::AddNetworkRouteTo appends when it finds no duplicate.
void
AppendNetworkRoute(Ptr<Ipv4StaticRouting> rt,
                   Ipv4Address network,
                   Ipv4Mask mask,
                   Ipv4Address nextHop,
                   uint32_t interface)
{
    (PeekPointer(rt)->*Get(NetworkRoutesTag()))
        .emplace_back(
            new Ipv4RoutingTableEntry(
                Ipv4RoutingTableEntry::CreateNetworkRouteTo(network, mask, nextHop, interface)),
            0);
}

void
StopApplications(Ptr<Node> node)
{
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        Ptr<Application> app = node->GetApplication(i);
        (PeekPointer(app)->*Get(StopApplicationTag()))();
    }
}

/// Name of a node for messages: its id and, if set, its Names entry.
std::string
NodeName(Ptr<Node> n)
{
    std::ostringstream os;
    os << "node " << n->GetId();
    return os.str();
}

std::string
DevName(Ptr<NetDevice> d)
{
    std::ostringstream os;
    os << "node " << d->GetNode()->GetId() << " device " << d->GetIfIndex();
    return os.str();
}
} // namespace

TypeId
VirtualNetwork::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualNetwork")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<VirtualNetwork>()
            .AddAttribute("CapacityClass",
                          "Capacity class of the network on every parent link it uses: "
                          "constant (guaranteed peak rate, capped), controlled (guaranteed "
                          "average rate, may borrow idle capacity) or best-effort (share of what "
                          "is left). Fixed once spawned.",
                          EnumValue(ArbitratorQueueDiscClass::CONTROLLED),
                          MakeEnumAccessor(&VirtualNetwork::m_class),
                          MakeEnumChecker(ArbitratorQueueDiscClass::CONSTANT,
                                          "constant",
                                          ArbitratorQueueDiscClass::CONTROLLED,
                                          "controlled",
                                          ArbitratorQueueDiscClass::BEST_EFFORT,
                                          "best-effort"))
            .AddAttribute("Rate",
                          "Default capacity reserved for each virtual link of the network on "
                          "every parent link it crosses (peak rate for constant, average rate "
                          "for controlled; ignored for best-effort).",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&VirtualNetwork::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("Share",
                          "Weight of a best-effort network among the best-effort classes of "
                          "its parent.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&VirtualNetwork::m_share),
                          MakeDoubleChecker<double>())
            .AddAttribute("Burst",
                          "Token-bucket depth of a constant-class network, in bytes.",
                          UintegerValue(1600),
                          MakeUintegerAccessor(&VirtualNetwork::m_burst),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Scheduler",
                          "TypeId name of the network's own output scheduler (a QueueDisc) "
                          "on every parent link it uses.",
                          StringValue("ns3::FifoQueueDisc"),
                          MakeStringAccessor(&VirtualNetwork::m_scheduler),
                          MakeStringChecker())
            .AddAttribute("Ipv4Base",
                          "First address of the network's IPv4 address space; each virtual "
                          "link gets the next /30 of it.",
                          Ipv4AddressValue("172.16.0.0"),
                          MakeIpv4AddressAccessor(&VirtualNetwork::m_ipv4Base),
                          MakeIpv4AddressChecker())
            .AddAttribute("Ipv4Mask",
                          "Mask of the network's IPv4 address space.",
                          Ipv4MaskValue("255.255.0.0"),
                          MakeIpv4MaskAccessor(&VirtualNetwork::m_ipv4Mask),
                          MakeIpv4MaskChecker())
            .AddAttribute("InstallInternetStack",
                          "Install an IPv4 stack with static routing on every routelet node.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&VirtualNetwork::m_installStack),
                          MakeBooleanChecker())
            .AddAttribute("RoutingMode",
                          "How the spawn routes the routelets when no routing helper is set: "
                          "shared (a GenesisRouteletRouting on every routelet, looking the "
                          "spawn's routes up in one next-port table per network, 2 bytes per "
                          "pair of routelets) or static (ns-3's Ipv4StaticRouting with one "
                          "route per routelet and remote subnet, about 80 bytes each). Both "
                          "give the same routes. Fixed once spawned.",
                          EnumValue(VirtualNetwork::SHARED_ROUTES),
                          MakeEnumAccessor(&VirtualNetwork::m_routingMode),
                          MakeEnumChecker(VirtualNetwork::SHARED_ROUTES,
                                          "shared",
                                          VirtualNetwork::STATIC_ROUTES,
                                          "static"))
            .AddAttribute("MaxChildren",
                          "Policy: the most children of this network that may run at once; a "
                          "spawn beyond it is refused (4294967295: unlimited).",
                          UintegerValue(std::numeric_limits<uint32_t>::max()),
                          MakeUintegerAccessor(&VirtualNetwork::m_maxChildren),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MaxDepth",
                          "Policy: nesting levels allowed below this network (1: children but "
                          "no grandchildren; 0: no children; 4294967295: unlimited). Checked "
                          "for every ancestor of a spawning network.",
                          UintegerValue(std::numeric_limits<uint32_t>::max()),
                          MakeUintegerAccessor(&VirtualNetwork::m_maxDepth),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MaxChildRate",
                          "Policy: the largest rate a child of this network may ask for any "
                          "of its links (0bps: unlimited).",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&VirtualNetwork::m_maxChildRate),
                          MakeDataRateChecker())
            .AddAttribute("NetworkList",
                          "Every network of the tree by id (on the root: the Config path "
                          "/NetworkList/<id>/... reaches any network).",
                          ObjectMapValue(),
                          MakeObjectMapAccessor(&VirtualNetwork::m_registry),
                          MakeObjectMapChecker<VirtualNetwork>())
            .AddAttribute("Children",
                          "The child networks.",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&VirtualNetwork::m_children),
                          MakeObjectVectorChecker<VirtualNetwork>())
            .AddAttribute("Routelets",
                          "The routelets, in the order they were added.",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&VirtualNetwork::m_routelets),
                          MakeObjectVectorChecker<Routelet>())
            .AddAttribute("Links",
                          "The virtual links, in the order they were added.",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&VirtualNetwork::m_links),
                          MakeObjectVectorChecker<VirtualLink>())
            .AddAttribute("Arbitrators",
                          "This network's ArbitratorQueueDisc on every physical device it "
                          "uses (for the root: the root discs).",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&VirtualNetwork::GetArbitratorAt,
                                                   &VirtualNetwork::GetNSlices),
                          MakeObjectVectorChecker<ArbitratorQueueDisc>())
            .AddTraceSource("Spawned",
                            "The network was spawned",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_spawnedTrace),
                            "ns3::VirtualNetwork::NetworkTracedCallback")
            .AddTraceSource("TornDown",
                            "The network was torn down",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_tornDownTrace),
                            "ns3::VirtualNetwork::NetworkTracedCallback")
            .AddTraceSource("SpawnFailed",
                            "A scheduled spawn was refused (admission or validation); the "
                            "network stays DEFINED",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_spawnFailedTrace),
                            "ns3::VirtualNetwork::SpawnFailedTracedCallback")
            .AddTraceSource("ChildCreated",
                            "A child network was defined (CreateChild); fired on the parent",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_childCreatedTrace),
                            "ns3::VirtualNetwork::NetworkTracedCallback")
            .AddTraceSource("Reprovisioned",
                            "A link's rate changed (SetLinkRate): network, link, new rate",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_reprovisionedTrace),
                            "ns3::VirtualNetwork::ReprovisionedTracedCallback")
            .AddTraceSource("MembershipDrop",
                            "A packet of a host outside the network's membership was dropped at "
                            "the edge (its access port): packet, reason",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_membershipDropTrace),
                            "ns3::VirtualNetwork::MembershipDropTracedCallback")
            .AddTraceSource("Changed",
                            "A run-time change of the running network (architecting): "
                            "network, kind, target, old value, new value",
                            MakeTraceSourceAccessor(&VirtualNetwork::m_changedTrace),
                            "ns3::VirtualNetwork::ChangedTracedCallback");
    return tid;
}

VirtualNetwork::VirtualNetwork()
    : m_id(0),
      m_depth(0),
      m_state(DEFINED),
      m_class(ArbitratorQueueDiscClass::CONTROLLED),
      m_share(1.0),
      m_burst(1600),
      m_installStack(true),
      m_routingMode(SHARED_ROUTES),
      m_hasSchedulerFactory(false),
      m_hasMembership(false),
      m_maxChildren(std::numeric_limits<uint32_t>::max()),
      m_maxDepth(std::numeric_limits<uint32_t>::max()),
      m_maxChildRate(0),
      m_nextNetworkId(1),
      m_nextLinkId(1)
{
    NS_LOG_FUNCTION(this);
}

VirtualNetwork::~VirtualNetwork()
{
    NS_LOG_FUNCTION(this);
}

void
VirtualNetwork::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_parent = nullptr;
    for (auto& c : m_children)
    {
        c->Dispose();
    }
    m_children.clear();
    for (auto& kv : m_registry)
    {
        kv.second->Dispose(); // torn-down or detached networks still registered
    }
    for (auto& r : m_routelets)
    {
        r->Dispose();
    }
    m_routelets.clear();
    m_routeletByHost.clear();
    for (auto& l : m_links)
    {
        l->Dispose();
    }
    m_links.clear();
    m_slices.clear();
    m_registry.clear();
    Object::DoDispose();
}

// ------------------------------------------------------------------ accessors

uint16_t
VirtualNetwork::GetId() const
{
    return m_id;
}

std::string
VirtualNetwork::GetName() const
{
    return m_name;
}

Ptr<VirtualNetwork>
VirtualNetwork::GetParent() const
{
    return m_parent;
}

Ptr<VirtualNetwork>
VirtualNetwork::GetRoot() const
{
    Ptr<VirtualNetwork> n = const_cast<VirtualNetwork*>(this);
    while (n->m_parent)
    {
        n = n->m_parent;
    }
    return n;
}

uint32_t
VirtualNetwork::GetDepth() const
{
    return m_depth;
}

const std::vector<uint16_t>&
VirtualNetwork::GetLabels() const
{
    return m_labels;
}

VirtualNetwork::State
VirtualNetwork::GetState() const
{
    return m_state;
}

ArbitratorQueueDiscClass::CapacityClass
VirtualNetwork::GetCapacityClass() const
{
    return m_class;
}

DataRate
VirtualNetwork::GetRate() const
{
    return m_rate;
}

const std::vector<Ptr<VirtualNetwork>>&
VirtualNetwork::GetChildren() const
{
    return m_children;
}

const std::vector<Ptr<Routelet>>&
VirtualNetwork::GetRoutelets() const
{
    return m_routelets;
}

const std::vector<Ptr<VirtualLink>>&
VirtualNetwork::GetLinks() const
{
    return m_links;
}

Ptr<Routelet>
VirtualNetwork::GetRoutelet(Ptr<Node> host) const
{
    // Indexed by host node id: GetEdges, AddRoutelet and the spawn ask for
    // every node, a linear search made that O(N^2) per call.
    if (!host)
    {
        return nullptr;
    }
    auto it = m_routeletByHost.find(host->GetId());
    return it != m_routeletByHost.end() && it->second->GetHost() == host ? it->second : nullptr;
}

Ipv4Address
VirtualNetwork::GetAddressBase() const
{
    return m_ipv4Base;
}

Ipv4Mask
VirtualNetwork::GetAddressMask() const
{
    return m_ipv4Mask;
}

const std::vector<std::pair<Ipv4Address, Ipv4Mask>>&
VirtualNetwork::GetAddressRanges() const
{
    return m_ranges;
}

uint32_t
VirtualNetwork::GetMaxChildren() const
{
    return m_maxChildren;
}

uint32_t
VirtualNetwork::GetMaxDepth() const
{
    return m_maxDepth;
}

DataRate
VirtualNetwork::GetMaxChildRate() const
{
    return m_maxChildRate;
}

uint32_t
VirtualNetwork::GetNRunningChildren() const
{
    uint32_t n = 0;
    for (const auto& c : m_children)
    {
        n += c->m_state == SPAWNED ? 1 : 0;
    }
    return n;
}

std::vector<std::string>
VirtualNetwork::CheckPolicy() const
{
    std::vector<std::string> problems;
    if (!m_parent)
    {
        return problems;
    }
    uint32_t running = m_parent->GetNRunningChildren();
    if (running >= m_parent->m_maxChildren)
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': policy of parent '" << m_parent->m_name
           << "' allows at most " << m_parent->m_maxChildren << " running children (MaxChildren)"
           << " and " << running << " are running; tear one down or raise MaxChildren";
        problems.push_back(os.str());
    }
    for (Ptr<VirtualNetwork> a = m_parent; a; a = a->m_parent)
    {
        uint32_t below = m_depth - a->m_depth;
        if (below > a->m_maxDepth)
        {
            std::ostringstream os;
            os << "virtual network '" << m_name << "': policy of '" << a->m_name << "' allows "
               << a->m_maxDepth << " nesting level" << (a->m_maxDepth == 1 ? "" : "s")
               << " below it (MaxDepth) but this network would be " << below
               << " levels below; spawn it higher in the tree or raise MaxDepth";
            problems.push_back(os.str());
        }
    }
    uint64_t cap = m_parent->m_maxChildRate.GetBitRate();
    if (cap > 0)
    {
        for (const auto& l : m_links)
        {
            if (l->GetRate().GetBitRate() > cap)
            {
                std::ostringstream os;
                os << "virtual network '" << m_name << "': link "
                   << NodeName(l->GetEndA()->GetHost()) << " - "
                   << NodeName(l->GetEndB()->GetHost()) << " asks "
                   << GenesisFormatRate(l->GetRate().GetBitRate()) << " but the policy of parent '"
                   << m_parent->m_name << "' allows a child at most " << GenesisFormatRate(cap)
                   << " per link (MaxChildRate); lower the rate";
                problems.push_back(os.str());
            }
        }
    }
    return problems;
}

VirtualNetwork::DevKey
VirtualNetwork::Key(Ptr<NetDevice> dev)
{
    return DevKey(dev->GetNode()->GetId(), dev->GetIfIndex());
}

Ptr<ArbitratorQueueDisc>
VirtualNetwork::GetArbitrator(Ptr<NetDevice> dev) const
{
    auto it = m_slices.find(Key(dev));
    return it == m_slices.end() ? nullptr : it->second.arb;
}

DataRate
VirtualNetwork::GetReservedRate(Ptr<NetDevice> dev) const
{
    auto it = m_slices.find(Key(dev));
    return it == m_slices.end() ? DataRate(0) : it->second.reserved;
}

std::size_t
VirtualNetwork::GetNSlices() const
{
    return m_slices.size();
}

Ptr<ArbitratorQueueDisc>
VirtualNetwork::GetArbitratorAt(std::size_t i) const
{
    auto it = m_slices.begin();
    std::advance(it, std::min(i, m_slices.size()));
    return it == m_slices.end() ? nullptr : it->second.arb;
}

Ptr<NetDevice>
VirtualNetwork::GetSliceDevice(std::size_t i) const
{
    auto it = m_slices.begin();
    std::advance(it, std::min(i, m_slices.size()));
    return it == m_slices.end() ? nullptr : it->second.dev;
}

void
VirtualNetwork::SetSliceRate(Ptr<NetDevice> dev, DataRate rate)
{
    NS_LOG_FUNCTION(this << dev << rate);
    if (m_state != SPAWNED || !m_parent)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': SetSliceRate needs a spawned child network");
    }
    if (!IsGuaranteed())
    {
        throw GenesisError("virtual network '" + m_name +
                           "' is best-effort: it reserves no rate; change its share in the "
                           "parent's arbitrator instead");
    }
    auto it = dev ? m_slices.find(Key(dev)) : m_slices.end();
    if (it == m_slices.end())
    {
        throw GenesisError("virtual network '" + m_name + "' holds no slice of " +
                           (dev ? DevName(dev) : std::string("a null device")));
    }
    Slice& s = it->second;
    uint64_t nb = rate.GetBitRate();
    uint64_t old = s.reserved.GetBitRate();
    if (nb == 0)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': rate 0bps is not allowed for a guaranteed class on " +
                           DevName(s.dev));
    }
    if (nb > old && nb - old > s.parent->GetResidualRate().GetBitRate())
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': raising its slice of " << DevName(s.dev)
           << " to " << GenesisFormatRate(nb) << " needs " << GenesisFormatRate(nb - old)
           << " more but parent '" << m_parent->m_name << "' has only "
           << GenesisFormatRate(s.parent->GetResidualRate().GetBitRate()) << " unreserved there";
        throw GenesisError(os.str());
    }
    if (nb < s.arb->GetGuaranteedRate().GetBitRate())
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': cutting its slice of " << DevName(s.dev)
           << " to " << GenesisFormatRate(nb) << " is below the "
           << GenesisFormatRate(s.arb->GetGuaranteedRate().GetBitRate())
           << " its own children reserved there";
        throw GenesisError(os.str());
    }
    s.parent->SetNetworkRate(m_id, rate);
    s.arb->SetAttribute("LinkRate", DataRateValue(rate));
    s.reserved = rate;
}

bool
VirtualNetwork::IsGuaranteed() const
{
    return m_class != ArbitratorQueueDiscClass::BEST_EFFORT;
}

Ptr<VirtualNetwork>
VirtualNetwork::FindNetwork(const std::string& name) const
{
    Ptr<VirtualNetwork> root = GetRoot();
    if (root->m_name == name)
    {
        return root;
    }
    for (const auto& kv : root->m_registry)
    {
        if (kv.second->m_name == name)
        {
            return kv.second;
        }
    }
    return nullptr;
}

Ptr<VirtualNetwork>
VirtualNetwork::FindNetwork(uint16_t id) const
{
    Ptr<VirtualNetwork> root = GetRoot();
    if (id == 0)
    {
        return root;
    }
    auto it = root->m_registry.find(id);
    return it == root->m_registry.end() ? nullptr : it->second;
}

// ------------------------------------------------------------------ root

void
VirtualNetwork::InitRoot(const std::string& name)
{
    m_name = name;
    m_id = 0;
    m_depth = 0;
    m_state = SPAWNED;
    m_parent = nullptr;
}

void
VirtualNetwork::AddRootNode(Ptr<Node> node,
                            Ptr<NetDevice> dev,
                            Ptr<ArbitratorQueueDisc> arb,
                            DataRate rate)
{
    if (!GetRoutelet(node))
    {
        Ptr<Routelet> r = CreateObject<Routelet>();
        r->Setup(this, node, node);
        node->AggregateObject(r);
        m_routelets.push_back(r);
        m_routeletByHost.emplace(node->GetId(), r);
    }
    if (dev)
    {
        Slice s;
        s.dev = dev;
        s.arb = arb;
        s.reserved = rate;
        m_slices[Key(dev)] = s;
    }
}

// ------------------------------------------------------------------ definition

void
VirtualNetwork::CheckDefined(const std::string& what) const
{
    if (m_state != DEFINED)
    {
        throw GenesisError(
            "virtual network '" + m_name + "': cannot " + what +
            (m_state == SPAWNED ? " after it was spawned" : " after it was torn down") +
            "; define the network completely before spawning it");
    }
}

void
VirtualNetwork::Register(Ptr<VirtualNetwork> n)
{
    GetRoot()->m_registry[n->m_id] = n;
}

uint32_t
VirtualNetwork::AllocateLinkId()
{
    Ptr<VirtualNetwork> root = GetRoot();
    return root->m_nextLinkId++;
}

Ptr<VirtualNetwork>
VirtualNetwork::CreateChild(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    if (name.empty())
    {
        throw GenesisError("virtual network '" + m_name +
                           "': a child network needs a non-empty name");
    }
    if (m_state == TORN_DOWN)
    {
        throw GenesisError("virtual network '" + m_name + "' is torn down: it cannot have child '" +
                           name + "'");
    }
    if (FindNetwork(name))
    {
        throw GenesisError("virtual network name '" + name +
                           "' is already used; give every network a unique name");
    }
    // Depth d has d labels; the shim carries at most MAX_DEPTH, and the
    // arbitrator of the deepest network must still classify one level below.
    if (m_depth + 1 > GenesisShimHeader::MAX_DEPTH - 1U)
    {
        std::ostringstream os;
        os << "virtual network '" << name << "': nesting depth " << m_depth + 1
           << " exceeds the maximum of " << GenesisShimHeader::MAX_DEPTH - 1;
        throw GenesisError(os.str());
    }
    Ptr<VirtualNetwork> root = GetRoot();
    if (root->m_nextNetworkId == 0)
    {
        throw GenesisError("virtual network '" + name +
                           "': all 65535 network ids of this simulation are used");
    }
    Ptr<VirtualNetwork> child = CreateObject<VirtualNetwork>();
    child->m_name = name;
    child->m_id = root->m_nextNetworkId++;
    child->m_parent = this;
    child->m_depth = m_depth + 1;
    child->m_labels = m_labels;
    child->m_labels.push_back(child->m_id);
    child->m_state = DEFINED;
    m_children.push_back(child);
    Register(child);
    m_childCreatedTrace(child);
    return child;
}

void
VirtualNetwork::SetCapacityClassByName(const std::string& name)
{
    if (name == "constant")
    {
        m_class = ArbitratorQueueDiscClass::CONSTANT;
    }
    else if (name == "controlled")
    {
        m_class = ArbitratorQueueDiscClass::CONTROLLED;
    }
    else if (name == "best-effort")
    {
        m_class = ArbitratorQueueDiscClass::BEST_EFFORT;
    }
    else
    {
        throw GenesisError("virtual network '" + m_name + "': unknown capacity class '" + name +
                           "'; use constant, controlled or best-effort");
    }
}

Ptr<Routelet>
VirtualNetwork::AddRoutelet(uint32_t nodeId)
{
    if (nodeId >= NodeList::GetNNodes())
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': no node " << nodeId
           << " in this simulation (it has " << NodeList::GetNNodes() << " nodes, ids 0.."
           << (NodeList::GetNNodes() ? NodeList::GetNNodes() - 1 : 0) << ")";
        throw GenesisError(os.str());
    }
    return AddRoutelet(NodeList::GetNode(nodeId));
}

Ptr<Routelet>
VirtualNetwork::AddRoutelet(Ptr<Node> host)
{
    NS_LOG_FUNCTION(this << host);
    CheckDefined("add a routelet");
    if (!host)
    {
        throw GenesisError("virtual network '" + m_name + "': routelet host is a null node");
    }
    if (!m_parent)
    {
        throw GenesisError("virtual network '" + m_name +
                           "' is the root: its routelets are the nodes given to "
                           "GenesisHelper::Install");
    }
    if (!m_parent->GetRoutelet(host))
    {
        throw GenesisError("virtual network '" + m_name + "': " + NodeName(host) +
                           " has no routelet of parent network '" + m_parent->m_name +
                           "'; a child routelet must run on a node of its parent");
    }
    if (GetRoutelet(host))
    {
        throw GenesisError("virtual network '" + m_name + "' already has a routelet on " +
                           NodeName(host));
    }
    Ptr<Routelet> r = CreateObject<Routelet>();
    r->Setup(this, host, nullptr);
    m_routelets.push_back(r);
    m_routeletByHost.emplace(host->GetId(), r);
    return r;
}

Ptr<VirtualLink>
VirtualNetwork::AddLink(Ptr<Routelet> a, Ptr<Routelet> b, DataRate rate, std::vector<Ptr<Node>> via)
{
    NS_LOG_FUNCTION(this);
    CheckDefined("add a link");
    if (!a || !b)
    {
        throw GenesisError("virtual network '" + m_name + "': a link end is a null routelet");
    }
    for (auto r : {a, b})
    {
        if (r->GetNetwork() != this)
        {
            std::string other = r->GetNetwork() ? r->GetNetwork()->GetName() : "?";
            throw GenesisError("virtual network '" + m_name + "': link end on " +
                               NodeName(r->GetHost()) + " is a routelet of network '" + other +
                               "', not of this network");
        }
    }
    if (a == b)
    {
        throw GenesisError("virtual network '" + m_name + "': a link must join two different " +
                           "routelets, both ends are on " + NodeName(a->GetHost()));
    }
    for (const auto& n : via)
    {
        if (!n || !m_parent->GetRoutelet(n))
        {
            throw GenesisError("virtual network '" + m_name + "': link via " +
                               (n ? NodeName(n) : std::string("a null node")) +
                               ", which has no routelet of parent network '" + m_parent->m_name +
                               "'");
        }
    }
    Ptr<VirtualLink> l = CreateObject<VirtualLink>();
    l->Setup(0, this, a, b, rate.GetBitRate() ? rate : m_rate, std::move(via));
    m_links.push_back(l);
    return l;
}

void
VirtualNetwork::SetRoutingHelper(const Ipv4RoutingHelper& helper)
{
    CheckDefined("change its routing");
    m_routing.reset(helper.Copy());
}

void
VirtualNetwork::AddAddressRange(Ipv4Address prefix, Ipv4Mask mask)
{
    if (!m_parent)
    {
        throw GenesisError("virtual network '" + m_name +
                           "' is the root: its traffic is what no child claims");
    }
    CheckDefined("add an address range");
    uint32_t len = mask.GetPrefixLength();
    uint32_t contiguous = len == 0 ? 0 : (0xffffffffu << (32 - len));
    if (mask.Get() != contiguous)
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': address range " << prefix << " mask " << mask
           << " is not a prefix mask; use e.g. /" << len;
        throw GenesisError(os.str());
    }
    m_ranges.emplace_back(prefix.CombineMask(mask), mask);
}

namespace
{
/// The address-range filter of an arbitrator, created (after a label filter) if missing.
Ptr<GenesisAddressRangeFilter>
RangeFilterOf(Ptr<ArbitratorQueueDisc> arb)
{
    bool hasLabel = false;
    for (std::size_t i = 0; i < arb->GetNPacketFilters(); ++i)
    {
        Ptr<PacketFilter> f = arb->GetPacketFilter(i);
        if (auto r = DynamicCast<GenesisAddressRangeFilter>(f))
        {
            return r;
        }
        hasLabel = hasLabel || DynamicCast<GenesisLabelFilter>(f);
    }
    if (!hasLabel)
    {
        // Shim packets are classified by label first; the arbitrator adds its
        // own label filter only when it has no filter at all.
        Ptr<GenesisLabelFilter> lf = CreateObject<GenesisLabelFilter>();
        lf->SetLevel(arb->GetDepth());
        UintegerValue proto;
        arb->GetAttribute("Protocol", proto);
        lf->SetProtocol(static_cast<uint8_t>(proto.Get()));
        arb->AddPacketFilter(lf);
    }
    Ptr<GenesisAddressRangeFilter> r = CreateObject<GenesisAddressRangeFilter>();
    arb->AddPacketFilter(r);
    return r;
}
} // namespace

void
VirtualNetwork::InstallRanges()
{
    if (m_ranges.empty())
    {
        return;
    }
    // ancestors[k] is the network at depth k on our branch (0 = root).
    std::vector<Ptr<VirtualNetwork>> ancestors(m_depth);
    Ptr<VirtualNetwork> n = m_parent;
    for (uint32_t k = m_depth; k-- > 0;)
    {
        ancestors[k] = n;
        n = n->m_parent;
    }
    try
    {
        for (const auto& kv : m_slices)
        {
            for (uint32_t k = 0; k < m_depth; ++k)
            {
                Ptr<ArbitratorQueueDisc> arb = ancestors[k]->GetArbitrator(kv.second.dev);
                Ptr<GenesisAddressRangeFilter> f = RangeFilterOf(arb);
                for (const auto& r : m_ranges)
                {
                    f->AddRange(r.first,
                                r.second,
                                m_labels[k],
                                GenesisAddressRangeFilter::MATCH_EITHER);
                    m_rangeEntries.push_back(RangeEntry{arb, r.first, r.second, m_labels[k]});
                }
            }
        }
    }
    catch (const GenesisError& e)
    {
        RemoveRangeEntries();
        throw GenesisError("virtual network '" + m_name + "': address range refused: " + e.what());
    }
}

void
VirtualNetwork::RemoveRangeEntries()
{
    for (const auto& e : m_rangeEntries)
    {
        RangeFilterOf(e.arb)->RemoveRange(e.prefix, e.mask, e.label);
    }
    m_rangeEntries.clear();
}

// ------------------------------------------------------------------ topology

std::vector<VirtualNetwork::Edge>
VirtualNetwork::GetEdges() const
{
    std::vector<Edge> edges;
    if (!m_parent)
    {
        // The root: physical adjacency between Genesis nodes, found through channels.
        for (const auto& r : m_routelets)
        {
            Ptr<Node> n = r->GetHost();
            Ptr<Ipv4> ipv4 = n->GetObject<Ipv4>();
            for (uint32_t i = 0; i < n->GetNDevices(); ++i)
            {
                Ptr<NetDevice> d = n->GetDevice(i);
                Ptr<Channel> ch = d->GetChannel();
                if (!ch || !ipv4 || ipv4->GetInterfaceForDevice(d) < 0)
                {
                    continue;
                }
                int32_t ifa = ipv4->GetInterfaceForDevice(d);
                if (ipv4->GetNAddresses(ifa) == 0)
                {
                    continue;
                }
                for (std::size_t k = 0; k < ch->GetNDevices(); ++k)
                {
                    Ptr<NetDevice> d2 = ch->GetDevice(k);
                    if (d2 == d || !GetRoutelet(d2->GetNode()))
                    {
                        continue;
                    }
                    Ptr<Ipv4> ipv4b = d2->GetNode()->GetObject<Ipv4>();
                    int32_t ifb = ipv4b ? ipv4b->GetInterfaceForDevice(d2) : -1;
                    if (ifb < 0 || ipv4b->GetNAddresses(ifb) == 0)
                    {
                        continue;
                    }
                    VirtualLink::PhysicalHop h;
                    h.from = n;
                    h.fromDev = d;
                    h.fromAddr = ipv4->GetAddress(ifa, 0).GetLocal();
                    h.to = d2->GetNode();
                    h.toDev = d2;
                    h.toAddr = ipv4b->GetAddress(ifb, 0).GetLocal();
                    edges.push_back(Edge{n, d2->GetNode(), {h}});
                }
            }
        }
        return edges;
    }
    for (const auto& l : m_links)
    {
        if (l->GetPhysicalPath().empty())
        {
            continue;
        }
        Edge fwd{l->GetEndA()->GetHost(), l->GetEndB()->GetHost(), l->GetPhysicalPath()};
        Edge rev{l->GetEndB()->GetHost(), l->GetEndA()->GetHost(), {}};
        for (auto it = l->GetPhysicalPath().rbegin(); it != l->GetPhysicalPath().rend(); ++it)
        {
            rev.hops.push_back(Reverse(*it));
        }
        edges.push_back(fwd);
        edges.push_back(rev);
    }
    return edges;
}

VirtualLink::PhysicalHop
VirtualNetwork::Reverse(const VirtualLink::PhysicalHop& h)
{
    VirtualLink::PhysicalHop r;
    r.from = h.to;
    r.fromDev = h.toDev;
    r.fromAddr = h.toAddr;
    r.to = h.from;
    r.toDev = h.fromDev;
    r.toAddr = h.fromAddr;
    return r;
}

Ptr<Ipv4Route>
VirtualNetwork::MakeRoute(const VirtualLink::PhysicalHop& h)
{
    Ptr<Ipv4Route> route = Create<Ipv4Route>();
    route->SetDestination(h.toAddr);
    route->SetGateway(h.toAddr);
    route->SetSource(h.fromAddr);
    route->SetOutputDevice(h.fromDev);
    return route;
}

// ------------------------------------------------------------------ spawn

namespace
{
/**
 * The parent's adjacency, built once per spawn: a Boost graph of the parent's
 * routelet hosts for breadth-first search, and the shortest edge of every
 * directed host pair, so that resolving a link costs one search per waypoint
 * pair and no scan of the edge list.
 */
struct ParentGraph
{
    typedef boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS> Graph;

    std::vector<VirtualNetwork::Edge> edges;                         //!< the parent's edges
    std::unordered_map<uint32_t, std::size_t> index;                 //!< node id -> vertex
    std::vector<Ptr<Node>> nodes;                                    //!< vertex -> node
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> best; //!< (u, v) -> edge
    std::unique_ptr<Graph> g;                                        //!< graph

    std::size_t Vertex(Ptr<Node> n)
    {
        auto it = index.find(n->GetId());
        if (it != index.end())
        {
            return it->second;
        }
        index[n->GetId()] = nodes.size();
        nodes.push_back(n);
        return nodes.size() - 1;
    }

    explicit ParentGraph(Ptr<VirtualNetwork> parent)
    {
        edges = parent->GetEdges();
        for (const auto& r : parent->GetRoutelets())
        {
            Vertex(r->GetHost());
        }
        for (std::size_t i = 0; i < edges.size(); ++i)
        {
            std::size_t u = Vertex(edges[i].from);
            std::size_t v = Vertex(edges[i].to);
            auto key = std::make_pair(u, v);
            auto it = best.find(key);
            if (it == best.end())
            {
                best[key] = i;
            }
            else if (edges[i].hops.size() < edges[it->second].hops.size())
            {
                it->second = i;
            }
        }
        g = std::make_unique<Graph>(nodes.size());
        for (const auto& kv : best)
        {
            boost::add_edge(kv.first.first, kv.first.second, *g);
        }
    }

    /// Shortest path s -> t in vertices (empty when unreachable).
    std::vector<std::size_t> Path(std::size_t s, std::size_t t) const
    {
        if (s == t)
        {
            return {s};
        }
        if (best.count(std::make_pair(s, t)))
        {
            return {s, t}; // adjacent: the search would find this one-edge path
        }
        std::vector<std::size_t> pred(boost::num_vertices(*g));
        for (std::size_t i = 0; i < pred.size(); ++i)
        {
            pred[i] = i;
        }
        boost::breadth_first_search(
            *g,
            s,
            boost::visitor(boost::make_bfs_visitor(
                boost::record_predecessors(pred.data(), boost::on_tree_edge()))));
        if (pred[t] == t)
        {
            return {};
        }
        std::vector<std::size_t> path;
        for (std::size_t v = t; v != s; v = pred[v])
        {
            path.push_back(v);
        }
        path.push_back(s);
        std::reverse(path.begin(), path.end());
        return path;
    }
};
} // namespace

/// State of a spawn between SpawnReserve and SpawnCommit / SpawnAbort.
struct VirtualNetwork::Pending
{
    std::vector<Ptr<VirtualLink>> links;                         //!< links, then access links
    std::vector<std::vector<Ptr<Node>>> hostPaths;               //!< per link
    std::vector<std::vector<VirtualLink::PhysicalHop>> hopLists; //!< per link
    std::set<uint32_t> constructed;                              //!< host ids built
    bool bound{false};                                           //!< SpawnBind done
};

std::vector<Ptr<VirtualLink>>
VirtualNetwork::AllLinks() const
{
    std::vector<Ptr<VirtualLink>> all = m_links;
    for (const auto& h : m_endHosts)
    {
        all.push_back(h.link);
    }
    return all;
}

void
VirtualNetwork::SetSchedulerFactory(const ObjectFactory& factory)
{
    CheckDefined("change its scheduler");
    TypeId tid = factory.GetTypeId();
    if (!tid.IsChildOf(TypeId::LookupByName("ns3::QueueDisc")))
    {
        throw GenesisError("virtual network '" + m_name + "': scheduler '" + tid.GetName() +
                           "' is not a QueueDisc; use e.g. ns3::FifoQueueDisc");
    }
    m_schedulerFactory = factory;
    m_hasSchedulerFactory = true;
    m_scheduler = tid.GetName();
}

ObjectFactory
VirtualNetwork::GetSchedulerFactory() const
{
    if (m_hasSchedulerFactory)
    {
        return m_schedulerFactory;
    }
    ObjectFactory f;
    TypeId tid;
    if (TypeId::LookupByNameFailSafe(m_scheduler, &tid))
    {
        f.SetTypeId(tid);
    }
    return f;
}

void
VirtualNetwork::AddPortScheduler(Ptr<Routelet> routelet,
                                 Ptr<VirtualLink> link,
                                 const ObjectFactory& factory)
{
    CheckDefined("add a scheduler module");
    if (!factory.GetTypeId().IsChildOf(TypeId::LookupByName("ns3::QueueDisc")))
    {
        throw GenesisError("virtual network '" + m_name + "': scheduler module '" +
                           factory.GetTypeId().GetName() + "' is not a QueueDisc");
    }
    m_portSchedulers.push_back(PortModule{routelet, link, factory});
}

void
VirtualNetwork::AddPortModule(Ptr<Routelet> routelet,
                              Ptr<VirtualLink> link,
                              const ObjectFactory& factory)
{
    CheckDefined("add a port module");
    TypeId tid = factory.GetTypeId();
    if (!tid.IsChildOf(TypeId::LookupByName("ns3::QueueDisc")) &&
        !tid.IsChildOf(TypeId::LookupByName("ns3::PacketFilter")))
    {
        throw GenesisError("virtual network '" + m_name + "': port module '" + tid.GetName() +
                           "' is neither a QueueDisc nor a PacketFilter, so it has no place on a "
                           "port");
    }
    m_portModules.push_back(PortModule{routelet, link, factory});
}

void
VirtualNetwork::AddEndHost(const std::string& name,
                           Ptr<Node> node,
                           Ptr<Routelet> routelet,
                           Ipv4Address address,
                           DataRate rate)
{
    CheckDefined("attach an end host");
    if (!node || !routelet || routelet->GetNetwork() != this)
    {
        throw GenesisError("virtual network '" + m_name + "': end host '" + name +
                           "' needs a node and a routelet of this network");
    }
    for (const auto& h : m_endHosts)
    {
        if (h.name == name)
        {
            throw GenesisError("virtual network '" + m_name + "': end host '" + name +
                               "' is attached twice; give every host a unique name");
        }
    }
    EndHost h;
    h.name = name;
    h.node = node;
    h.routelet = routelet;
    h.address = address;
    h.hostEnd = CreateObject<Routelet>();
    h.hostEnd->Setup(this, node, node);
    h.link = CreateObject<VirtualLink>();
    h.link->Setup(0, this, routelet, h.hostEnd, rate.GetBitRate() ? rate : m_rate, {});
    m_endHosts.push_back(h);
}

const std::vector<VirtualNetwork::EndHost>&
VirtualNetwork::GetEndHosts() const
{
    return m_endHosts;
}

void
VirtualNetwork::AddMember(Ptr<Node> node)
{
    m_hasMembership = true;
    m_memberNodes.insert(node->GetId());
}

void
VirtualNetwork::AddMemberPrefix(Ipv4Address prefix, Ipv4Mask mask)
{
    m_hasMembership = true;
    m_memberPrefixes.emplace_back(prefix.CombineMask(mask), mask);
}

bool
VirtualNetwork::HasMembership() const
{
    return m_hasMembership;
}

bool
VirtualNetwork::IsMember(Ptr<Node> node, Ipv4Address source) const
{
    if (!m_hasMembership || (node && m_memberNodes.count(node->GetId())))
    {
        return true;
    }
    for (const auto& p : m_memberPrefixes)
    {
        if (p.second.IsMatch(source, p.first))
        {
            return true;
        }
    }
    return false;
}

bool
VirtualNetwork::AdmitFromHost(std::size_t host, Ptr<const Packet> packet)
{
    if (host >= m_endHosts.size())
    {
        return false;
    }
    const EndHost& h = m_endHosts[host];
    Ipv4Header ip;
    Ipv4Address src;
    if (packet->PeekHeader(ip) > 0)
    {
        src = ip.GetSource();
    }
    if (IsMember(h.node, src))
    {
        return true;
    }
    std::ostringstream os;
    os << "end host '" << h.name << "' (node " << h.node->GetId() << ", source " << src
       << ") is not a member of virtual network '" << m_name << "'";
    NS_LOG_INFO(os.str());
    m_membershipDropTrace(packet, os.str());
    return false;
}

void
VirtualNetwork::CheckSpawnable() const
{
    if (!m_parent)
    {
        throw GenesisError("virtual network '" + m_name + "' is the root: it is always running");
    }
    CheckDefined("spawn");
    if (m_pending)
    {
        throw GenesisError("virtual network '" + m_name + "' is being spawned already");
    }
    if (m_parent->m_state != SPAWNED)
    {
        throw GenesisError("virtual network '" + m_name + "': parent network '" + m_parent->m_name +
                           "' is not running; spawn the parent first");
    }
    if (m_routelets.empty())
    {
        throw GenesisError("virtual network '" + m_name +
                           "' has no routelets; add at least one with AddRoutelet");
    }
    if (IsGuaranteed())
    {
        for (const auto& l : AllLinks())
        {
            if (l->GetRate().GetBitRate() == 0)
            {
                throw GenesisError(
                    "virtual network '" + m_name + "': link " + NodeName(l->GetEndA()->GetHost()) +
                    " - " + NodeName(l->GetEndB()->GetHost()) + " has rate 0bps; a " +
                    (m_class == ArbitratorQueueDiscClass::CONSTANT ? "constant" : "controlled") +
                    " network needs a positive rate on every link");
            }
        }
        if (!m_parent->IsGuaranteed() && m_parent->m_parent)
        {
            throw GenesisError("virtual network '" + m_name + "' asks for guaranteed capacity " +
                               "but its parent '" + m_parent->m_name +
                               "' is best-effort and has none to give; make the child "
                               "best-effort or the parent constant/controlled");
        }
    }
    std::vector<std::string> policy = CheckPolicy();
    if (!policy.empty())
    {
        std::string all;
        for (const auto& p : policy)
        {
            all += (all.empty() ? "" : "\n") + p;
        }
        throw GenesisError(all);
    }
    if (m_share <= 0 && !IsGuaranteed())
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': best-effort share " << m_share
           << " must be positive";
        throw GenesisError(os.str());
    }
    TypeId schedulerTid;
    if (!m_hasSchedulerFactory && (!TypeId::LookupByNameFailSafe(m_scheduler, &schedulerTid) ||
                                   !schedulerTid.IsChildOf(TypeId::LookupByName("ns3::QueueDisc"))))
    {
        throw GenesisError("virtual network '" + m_name + "': Scheduler '" + m_scheduler +
                           "' is not a known QueueDisc TypeId; use e.g. ns3::FifoQueueDisc");
    }
    uint32_t prefix = m_ipv4Mask.GetPrefixLength();
    uint64_t nSubnets = prefix > 30 ? 0 : (uint64_t(1) << (30 - prefix));
    uint64_t needed = m_links.size() + m_endHosts.size();
    if (m_installStack && needed > nSubnets)
    {
        std::ostringstream os;
        os << "virtual network '" << m_name << "': " << m_links.size() << " links and "
           << m_endHosts.size() << " end hosts need " << needed << " /30 subnets but address space "
           << m_ipv4Base << "/" << prefix << " holds " << nSubnets << "; widen Ipv4Mask";
        throw GenesisError(os.str());
    }
    for (const auto& h : m_endHosts)
    {
        if (h.node == h.routelet->GetHost())
        {
            throw GenesisError("virtual network '" + m_name + "': end host '" + h.name +
                               "' is on the node of its routelet (" + NodeName(h.node) +
                               "); attach it to a routelet on another node");
        }
        if (!m_parent->GetRoutelet(h.node))
        {
            throw GenesisError("virtual network '" + m_name + "': end host '" + h.name + "' (" +
                               NodeName(h.node) + ") has no routelet of parent network '" +
                               m_parent->m_name +
                               "', so no access link can reach it; install Genesis on it or "
                               "attach it through an address range");
        }
        if (h.address != Ipv4Address::GetAny())
        {
            uint32_t a = h.address.Get();
            if (!m_ipv4Mask.IsMatch(h.address, m_ipv4Base))
            {
                std::ostringstream os;
                os << "virtual network '" << m_name << "': end host '" << h.name << "' address "
                   << h.address << " is outside the address space " << m_ipv4Base << "/" << prefix;
                throw GenesisError(os.str());
            }
            if ((a & 3) == 0 || (a & 3) == 3)
            {
                std::ostringstream os;
                os << "virtual network '" << m_name << "': end host '" << h.name << "' address "
                   << h.address << " is the network or broadcast address of its /30 access "
                   << "subnet; use an address ending in .1 or .2 of a /30";
                throw GenesisError(os.str());
            }
            uint32_t linksEnd = m_ipv4Base.CombineMask(m_ipv4Mask).Get() +
                                4 * static_cast<uint32_t>(m_links.size());
            if (m_installStack && a >= m_ipv4Base.CombineMask(m_ipv4Mask).Get() && a < linksEnd)
            {
                std::ostringstream os;
                os << "virtual network '" << m_name << "': end host '" << h.name << "' address "
                   << h.address << " collides with the link subnets (the first " << m_links.size()
                   << " /30s of the address space)";
                throw GenesisError(os.str());
            }
        }
    }
}

Ptr<QueueDisc>
VirtualNetwork::MakeScheduler(const DevKey& key,
                              const std::vector<std::vector<VirtualLink::PhysicalHop>>& hops,
                              const std::vector<Ptr<VirtualLink>>& links) const
{
    ObjectFactory chosen = GetSchedulerFactory();
    int bestScore = -1;
    for (const auto& m : m_portSchedulers)
    {
        int score = (m.link ? 2 : 0) + (m.routelet ? 1 : 0);
        if (score < bestScore)
        {
            continue;
        }
        bool matches = false;
        for (std::size_t i = 0; i < links.size() && !matches; ++i)
        {
            if (hops[i].empty() || (m.link && m.link != links[i]))
            {
                continue;
            }
            // End A sends on the first hop's device, end B on the last hop's reverse.
            if ((!m.routelet || m.routelet == links[i]->GetEndA()) &&
                Key(hops[i].front().fromDev) == key)
            {
                matches = true;
            }
            if ((!m.routelet || m.routelet == links[i]->GetEndB()) &&
                Key(hops[i].back().toDev) == key)
            {
                matches = true;
            }
        }
        if (matches)
        {
            bestScore = score;
            chosen = m.factory;
        }
    }
    return chosen.Create<QueueDisc>();
}

void
VirtualNetwork::SpawnReserve()
{
    NS_LOG_FUNCTION(this << m_name);
    CheckSpawnable();
    auto pending = std::make_unique<Pending>();
    pending->links = AllLinks();

    // 1. Resolve every link onto parent links (no state changes yet), over an
    // adjacency built once.
    ParentGraph pg(m_parent);
    for (const auto& l : pending->links)
    {
        std::vector<Ptr<Node>> waypoints{l->GetEndA()->GetHost()};
        waypoints.insert(waypoints.end(), l->GetVia().begin(), l->GetVia().end());
        waypoints.push_back(l->GetEndB()->GetHost());
        std::vector<Ptr<Node>> path{waypoints.front()};
        std::vector<VirtualLink::PhysicalHop> hops;
        for (std::size_t w = 0; w + 1 < waypoints.size(); ++w)
        {
            std::vector<std::size_t> seg =
                pg.Path(pg.Vertex(waypoints[w]), pg.Vertex(waypoints[w + 1]));
            if (seg.empty())
            {
                std::ostringstream os;
                os << "virtual network '" << m_name << "': no path of parent network '"
                   << m_parent->m_name << "' links from " << NodeName(waypoints[w]) << " to "
                   << NodeName(waypoints[w + 1]) << " for the link "
                   << NodeName(l->GetEndA()->GetHost()) << " - "
                   << NodeName(l->GetEndB()->GetHost())
                   << "; connect the nodes in the parent or route the link via other nodes";
                throw GenesisError(os.str());
            }
            for (std::size_t k = 0; k + 1 < seg.size(); ++k)
            {
                const Edge& e = pg.edges[pg.best.at(std::make_pair(seg[k], seg[k + 1]))];
                hops.insert(hops.end(), e.hops.begin(), e.hops.end());
                path.push_back(pg.nodes[seg[k + 1]]);
            }
        }
        if (hops.empty())
        {
            throw GenesisError("virtual network '" + m_name + "': the link " +
                               NodeName(l->GetEndA()->GetHost()) + " - " +
                               NodeName(l->GetEndB()->GetHost()) +
                               " crosses no parent link; its ends must be on different nodes");
        }
        pending->hostPaths.push_back(std::move(path));
        pending->hopLists.push_back(std::move(hops));
    }

    // 2. Plan the reservations on every physical device, both directions.
    struct Plan
    {
        Ptr<NetDevice> dev;
        Ptr<ArbitratorQueueDisc> parentArb;
        uint64_t bps{0};
    };

    std::map<DevKey, Plan> plan;
    for (std::size_t i = 0; i < pending->links.size(); ++i)
    {
        uint64_t bps = IsGuaranteed() ? pending->links[i]->GetRate().GetBitRate() : 0;
        for (const auto& h : pending->hopLists[i])
        {
            for (Ptr<NetDevice> d : {h.fromDev, h.toDev})
            {
                Plan& p = plan[Key(d)];
                p.dev = d;
                p.bps += bps;
            }
        }
    }
    for (auto& kv : plan)
    {
        Plan& p = kv.second;
        p.parentArb = m_parent->GetArbitrator(p.dev);
        if (!p.parentArb)
        {
            throw GenesisError("virtual network '" + m_name + "': parent network '" +
                               m_parent->m_name + "' has no arbitrator on " + DevName(p.dev) +
                               " (was GenesisHelper::Install called on that node?)");
        }
        if (IsGuaranteed() && p.bps > p.parentArb->GetResidualRate().GetBitRate())
        {
            std::ostringstream os;
            os << "virtual network '" << m_name << "' needs " << GenesisFormatRate(p.bps)
               << " of guaranteed capacity on " << DevName(p.dev) << " but parent network '"
               << m_parent->m_name << "' has only "
               << GenesisFormatRate(p.parentArb->GetResidualRate().GetBitRate())
               << " unreserved there; lower the link rates or free capacity";
            throw GenesisError(os.str());
        }
    }

    // 3. Commit the reservations: one arbitrator class per device, rolled back on failure.
    try
    {
        for (auto& kv : plan)
        {
            Plan& p = kv.second;
            Ptr<ArbitratorQueueDisc> arb = CreateObject<ArbitratorQueueDisc>();
            arb->SetAttribute("Depth", UintegerValue(m_depth));
            arb->SetAttribute("OwnNetworkId", UintegerValue(m_id));
            arb->SetAttribute("LinkRate", DataRateValue(DataRate(p.bps)));
            UintegerValue proto;
            p.parentArb->GetAttribute("Protocol", proto);
            arb->SetAttribute("Protocol", proto);
            // The network's own scheduler (with its attributes) is the own class.
            Ptr<QueueDisc> own = MakeScheduler(kv.first, pending->hopLists, pending->links);
            arb->SetAttribute("OwnQueueDiscType", StringValue(own->GetInstanceTypeId().GetName()));
            arb->AddNetworkClass(m_id,
                                 ArbitratorQueueDiscClass::BEST_EFFORT,
                                 DataRate(0),
                                 1.0,
                                 own);
            Ptr<ArbitratorQueueDiscClass> cls =
                p.parentArb->AddNetworkClass(m_id, m_class, DataRate(p.bps), m_share, arb);
            if (m_class == ArbitratorQueueDiscClass::CONSTANT)
            {
                cls->SetAttribute("Burst", UintegerValue(m_burst));
            }
            Slice s;
            s.dev = p.dev;
            s.arb = arb;
            s.parent = p.parentArb;
            s.reserved = DataRate(p.bps);
            m_slices[kv.first] = s;
        }
        InstallRanges();
    }
    catch (const GenesisError&)
    {
        for (auto& kv : m_slices)
        {
            kv.second.parent->RemoveNetworkClass(m_id);
        }
        m_slices.clear();
        throw;
    }
    for (std::size_t i = 0; i < pending->links.size(); ++i)
    {
        pending->links[i]->SetPath(pending->hostPaths[i], pending->hopLists[i]);
    }
    m_pending = std::move(pending);
}

std::vector<uint32_t>
VirtualNetwork::GetConstructHosts() const
{
    std::vector<uint32_t> hosts;
    std::set<uint32_t> seen;
    for (const auto& r : m_routelets)
    {
        if (seen.insert(r->GetHost()->GetId()).second)
        {
            hosts.push_back(r->GetHost()->GetId());
        }
    }
    return hosts;
}

void
VirtualNetwork::SpawnConstruct(uint32_t hostNodeId)
{
    NS_LOG_FUNCTION(this << hostNodeId);
    if (!m_pending)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': construct before the reservation (call SpawnReserve first)");
    }
    if (m_pending->constructed.insert(hostNodeId).second)
    {
        BuildRoutelets(hostNodeId);
    }
}

void
VirtualNetwork::SpawnBind()
{
    NS_LOG_FUNCTION(this);
    if (!m_pending)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': bind before the reservation (call SpawnReserve first)");
    }
    for (uint32_t h : GetConstructHosts())
    {
        if (!m_pending->constructed.count(h))
        {
            std::ostringstream os;
            os << "virtual network '" << m_name << "': the routelets on node " << h
               << " were not constructed; cannot bind the links";
            throw GenesisError(os.str());
        }
    }
    m_pending->bound = true; // from here Unbuild must look at links and ports
    BuildLinks();
    BuildEndHosts();
    ApplyPortModules();
    PopulateRoutes();
}

void
VirtualNetwork::SpawnCommit()
{
    NS_LOG_FUNCTION(this);
    if (!m_pending || !m_pending->bound)
    {
        throw GenesisError("virtual network '" + m_name + "': commit before the links are bound");
    }
    m_pending.reset();
    m_state = SPAWNED;
    NS_LOG_INFO("spawned virtual network '"
                << m_name << "' id " << m_id << " with " << m_routelets.size() << " routelets, "
                << m_links.size() << " links, " << m_endHosts.size() << " end hosts");
    m_spawnedTrace(this);
}

void
VirtualNetwork::SpawnAbort()
{
    NS_LOG_FUNCTION(this);
    if (!m_pending)
    {
        return;
    }
    Unbuild();
    m_pending.reset();
}

bool
VirtualNetwork::IsSpawning() const
{
    return m_pending != nullptr;
}

void
VirtualNetwork::Spawn()
{
    NS_LOG_FUNCTION(this << m_name);
    SpawnReserve();
    try
    {
        for (uint32_t h : GetConstructHosts())
        {
            SpawnConstruct(h);
        }
        SpawnBind();
    }
    catch (...)
    {
        SpawnAbort();
        throw;
    }
    SpawnCommit();
}

void
VirtualNetwork::Unbuild()
{
    for (const auto& l : AllLinks())
    {
        for (const auto& h : l->GetPhysicalPath())
        {
            for (Ptr<Node> n : {h.from, h.to})
            {
                Ptr<GenesisL4Protocol> l4 = n->GetObject<GenesisL4Protocol>();
                if (l4 && l->GetId() != 0)
                {
                    l4->RemoveEntry(l->GetId(), false);
                    l4->RemoveEntry(l->GetId(), true);
                }
            }
        }
        l->Clear();
    }
    for (auto& h : m_endHosts)
    {
        Ptr<RouteletPort> port = h.hostEnd->GetPorts().empty() ? nullptr : h.hostEnd->GetPorts()[0];
        if (h.ifIndex >= 0)
        {
            Ptr<Ipv4> ipv4 = h.node->GetObject<Ipv4>();
            ipv4->SetDown(h.ifIndex);
            while (ipv4->GetNAddresses(h.ifIndex) > 0)
            {
                ipv4->RemoveAddress(h.ifIndex, 0);
            }
            h.ifIndex = -1;
        }
        if (port)
        {
            port->Unbind(); // the device stays on the host node, silent
        }
        h.hostEnd->Clear();
    }
    RemoveRangeEntries();
    for (auto& kv : m_slices)
    {
        kv.second.parent->RemoveNetworkClass(m_id);
    }
    m_slices.clear();
    m_routeTable = nullptr; // the routelets' routing lets go of it when their nodes are disposed
    for (const auto& r : m_routelets)
    {
        Ptr<Node> node = r->GetNode();
        r->Clear();
        if (node)
        {
            StopApplications(node);
            node->Dispose();
        }
    }
}

void
VirtualNetwork::BuildRoutelets(uint32_t hostNodeId)
{
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    Ipv4StaticRoutingHelper staticRouting;
    GenesisRouteletRoutingHelper sharedRouting;
    if (m_routing)
    {
        stack.SetRoutingHelper(*m_routing);
    }
    else if (m_routingMode == SHARED_ROUTES)
    {
        stack.SetRoutingHelper(sharedRouting);
    }
    else
    {
        stack.SetRoutingHelper(staticRouting);
    }
    // A child has at most one routelet per host (AddRoutelet refuses a second).
    auto it = m_routeletByHost.find(hostNodeId);
    if (it != m_routeletByHost.end() && !it->second->GetNode())
    {
        Ptr<Routelet> r = it->second;
        Ptr<Node> node = CreateObject<Node>(r->GetHost()->GetSystemId());
        r->SetNode(node);
        node->AggregateObject(r);
        if (m_installStack)
        {
            stack.Install(node);
        }
    }
}

void
VirtualNetwork::BuildLinks()
{
    uint32_t shimBytes = GenesisShimHeader::FIXED_SIZE + 2 * static_cast<uint32_t>(m_labels.size());
    std::vector<Ptr<VirtualLink>> all = AllLinks();
    for (std::size_t i = 0; i < all.size(); ++i)
    {
        Ptr<VirtualLink> l = all[i];
        bool access = i >= m_links.size();
        l->Setup(AllocateLinkId(), this, l->GetEndA(), l->GetEndB(), l->GetRate(), l->GetVia());
        const auto& hops = l->GetPhysicalPath();
        std::vector<VirtualLink::PhysicalHop> rev;
        for (auto it = hops.rbegin(); it != hops.rend(); ++it)
        {
            rev.push_back(Reverse(*it));
        }
        // Ports at both ends.
        Ptr<RouteletPort> ports[2];
        Ptr<Routelet> ends[2] = {l->GetEndA(), l->GetEndB()};
        for (int e = 0; e < 2; ++e)
        {
            const auto& first = e == 0 ? hops.front() : rev.front();
            Ptr<RouteletPort> port = CreateObject<RouteletPort>();
            port->SetAddress(Mac48Address::Allocate());
            uint32_t mtu = first.fromDev->GetMtu();
            port->SetMtu(mtu > 20 + shimBytes + 68 ? mtu - 20 - shimBytes : 68);
            ends[e]->GetNode()->AddDevice(port);
            Ptr<GenesisL4Protocol> l4 = ends[e]->GetHost()->GetObject<GenesisL4Protocol>();
            port->Bind(l, e == 1, m_labels, l4, GenesisL4Protocol::Hop{MakeRoute(first)});
            ends[e]->AddPort(port);
            ports[e] = port;
        }
        l->SetPorts(ports[0], ports[1]);
        // Label-switching entries: forward direction (reverse flag false) and back.
        for (int dir = 0; dir < 2; ++dir)
        {
            const auto& hs = dir == 0 ? hops : rev;
            for (std::size_t k = 1; k < hs.size(); ++k)
            {
                hs[k].from->GetObject<GenesisL4Protocol>()->AddTransit(
                    l->GetId(),
                    dir == 1,
                    m_labels,
                    GenesisL4Protocol::Hop{MakeRoute(hs[k])});
            }
            hs.back().to->GetObject<GenesisL4Protocol>()->AddDelivery(l->GetId(),
                                                                      dir == 1,
                                                                      m_labels,
                                                                      ports[dir == 0 ? 1 : 0]);
        }
        // Addresses: the i-th /30 of the network's space (an end host with its
        // own address: that address's /30, the routelet takes the other one).
        if (m_installStack)
        {
            Ipv4Address subnet(m_ipv4Base.CombineMask(m_ipv4Mask).Get() +
                               4 * static_cast<uint32_t>(i));
            uint32_t hostA = 1;
            uint32_t hostB = 2;
            if (access)
            {
                EndHost& h = m_endHosts[i - m_links.size()];
                if (h.address != Ipv4Address::GetAny())
                {
                    subnet = Ipv4Address(h.address.Get() & ~3U);
                    hostB = h.address.Get() & 3U;
                    hostA = hostB == 1 ? 2 : 1;
                }
                h.address = Ipv4Address(subnet.Get() + hostB);
            }
            l->SetSubnet(subnet);
            for (int e = 0; e < 2; ++e)
            {
                Ptr<Ipv4> ipv4 = ends[e]->GetNode()->GetObject<Ipv4>();
                int32_t ifIndex = ipv4->AddInterface(ports[e]);
                ipv4->AddAddress(
                    ifIndex,
                    Ipv4InterfaceAddress(Ipv4Address(subnet.Get() + (e ? hostB : hostA)),
                                         Ipv4Mask("255.255.255.252")));
                ipv4->SetUp(ifIndex);
                if (access && e == 1)
                {
                    m_endHosts[i - m_links.size()].ifIndex = ifIndex;
                }
            }
        }
    }
}

void
VirtualNetwork::BuildEndHosts()
{
    for (std::size_t k = 0; k < m_endHosts.size(); ++k)
    {
        EndHost& h = m_endHosts[k];
        Ptr<RouteletPort> port = h.link->GetPortB();
        // Membership is enforced where the host's packets enter the network:
        // its access port refuses what a non-member sends.
        if (m_hasMembership)
        {
            Ptr<VirtualNetwork> self = this;
            port->SetAdmission(
                [self, k](Ptr<const Packet> p) { return self->AdmitFromHost(k, p); });
        }
        if (!m_installStack || h.ifIndex < 0)
        {
            continue;
        }
        // The host reaches the whole address space through its routelet.
        Ptr<Ipv4> ipv4 = h.node->GetObject<Ipv4>();
        Ipv4StaticRoutingHelper helper;
        Ptr<Ipv4StaticRouting> rt = helper.GetStaticRouting(ipv4);
        if (!rt)
        {
            throw GenesisError("virtual network '" + m_name + "': end host '" + h.name +
                               "' has no static routing in its IPv4 routing; it cannot be "
                               "given a route to the network");
        }
        Ipv4Address gw(h.link->GetSubnet().Get() + ((h.address.Get() & 3U) == 1 ? 2 : 1));
        rt->AddNetworkRouteTo(m_ipv4Base.CombineMask(m_ipv4Mask), m_ipv4Mask, gw, h.ifIndex);
    }
}

void
VirtualNetwork::ApplyPortModules()
{
    TypeId queueDisc = TypeId::LookupByName("ns3::QueueDisc");
    // Queue discs first, so that filters find them.
    for (int pass = 0; pass < 2; ++pass)
    {
        for (const auto& m : m_portModules)
        {
            bool isDisc = m.factory.GetTypeId().IsChildOf(queueDisc);
            if (isDisc != (pass == 0))
            {
                continue;
            }
            for (const auto& l : m_links)
            {
                if (m.link && m.link != l)
                {
                    continue;
                }
                for (int e = 0; e < 2; ++e)
                {
                    Ptr<Routelet> r = e == 0 ? l->GetEndA() : l->GetEndB();
                    if (m.routelet && m.routelet != r)
                    {
                        continue;
                    }
                    Ptr<RouteletPort> port = e == 0 ? l->GetPortA() : l->GetPortB();
                    Ptr<TrafficControlLayer> tc = r->GetNode()->GetObject<TrafficControlLayer>();
                    if (!tc)
                    {
                        throw GenesisError("virtual network '" + m_name + "': port module '" +
                                           m.factory.GetTypeId().GetName() +
                                           "' needs the routelets' IPv4 stack "
                                           "(InstallInternetStack)");
                    }
                    Ptr<QueueDisc> root = tc->GetRootQueueDiscOnDevice(port);
                    if (isDisc)
                    {
                        if (root)
                        {
                            throw GenesisError(
                                "virtual network '" + m_name + "': port of " +
                                NodeName(r->GetHost()) + " on link " + std::to_string(l->GetId()) +
                                " gets two queue-disc modules ('" +
                                root->GetInstanceTypeId().GetName() + "' and '" +
                                m.factory.GetTypeId().GetName() +
                                "'); a port holds one, scope the modules to different ports");
                        }
                        Ptr<QueueDisc> qd = m.factory.Create<QueueDisc>();
                        tc->SetRootQueueDiscOnDevice(port, qd);
                        if (r->GetNode()->IsInitialized())
                        {
                            tc->ScanDevices();
                            qd->Initialize();
                        }
                        continue;
                    }
                    Ptr<PacketFilter> f = m.factory.Create<PacketFilter>();
                    if (root)
                    {
                        root->AddPacketFilter(f);
                        continue;
                    }
                    const auto& hops = l->GetPhysicalPath();
                    Ptr<NetDevice> dev = e == 0 ? hops.front().fromDev : hops.back().toDev;
                    Ptr<ArbitratorQueueDisc> arb = m_slices.at(Key(dev)).arb;
                    arb->GetNetworkClass(m_id)->GetQueueDisc()->AddPacketFilter(f);
                }
            }
        }
    }
}

void
VirtualNetwork::PopulateRoutes()
{
    if (!m_installStack || m_links.size() + m_endHosts.size() == 0 || m_routing)
    {
        return; // a routing protocol of the user's finds the routes itself
    }
    if (m_routingMode == SHARED_ROUTES)
    {
        PopulateSharedRoutes();
        return;
    }
    // BFS over the child topology from every routelet; a route to each link
    // (and access) subnet that is not directly connected, via the first link
    // of the path.
    std::size_t n = m_routelets.size();
    std::map<Ptr<Routelet>, std::size_t> idx;
    for (std::size_t i = 0; i < n; ++i)
    {
        idx[m_routelets[i]] = i;
    }
    // adjacency: (neighbour, link)
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> adj(n);
    for (std::size_t k = 0; k < m_links.size(); ++k)
    {
        std::size_t a = idx[m_links[k]->GetEndA()];
        std::size_t b = idx[m_links[k]->GetEndB()];
        adj[a].push_back({b, k});
        adj[b].push_back({a, k});
    }

    // Destinations: (subnet, routelet indices it is attached to).
    struct Dest
    {
        Ipv4Address subnet;
        std::size_t a;
        std::size_t b;
    };

    std::vector<Dest> dests;
    for (const auto& l : m_links)
    {
        dests.push_back(Dest{l->GetSubnet(), idx[l->GetEndA()], idx[l->GetEndB()]});
    }
    for (const auto& h : m_endHosts)
    {
        std::size_t r = idx[h.routelet];
        dests.push_back(Dest{h.link->GetSubnet(), r, r});
    }
    // A subnet met for the first time in dests cannot duplicate any route of
    // the table (the spawn's own routes go to other subnets, the connected
    // routes have no gateway): append it. A repeated subnet (two end hosts
    // given the same /30) goes through AddNetworkRouteTo's duplicate check,
    // as before.
    std::vector<bool> repeated(dests.size(), false);
    {
        std::set<uint32_t> subnets;
        for (std::size_t k = 0; k < dests.size(); ++k)
        {
            repeated[k] = !subnets.insert(dests[k].subnet.Get()).second;
        }
    }
    Ipv4StaticRoutingHelper helper;
    const Ipv4Mask slash30("255.255.255.252");
    for (std::size_t s = 0; s < n; ++s)
    {
        // first[v] = link index of the first hop from s towards v
        std::vector<long> first(n, -1);
        std::vector<bool> seen(n, false);
        std::vector<std::size_t> queue{s};
        seen[s] = true;
        for (std::size_t q = 0; q < queue.size(); ++q)
        {
            std::size_t u = queue[q];
            for (const auto& [v, k] : adj[u])
            {
                if (!seen[v])
                {
                    seen[v] = true;
                    first[v] = u == s ? static_cast<long>(k) : first[u];
                    queue.push_back(v);
                }
            }
        }
        Ptr<Node> node = m_routelets[s]->GetNode();
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        Ptr<Ipv4StaticRouting> rt = helper.GetStaticRouting(ipv4);
        for (std::size_t k = 0; k < dests.size(); ++k)
        {
            const Dest& d = dests[k];
            if (d.a == s || d.b == s)
            {
                continue; // directly connected
            }
            std::size_t target = seen[d.a] ? d.a : d.b;
            if (!seen[target] || first[target] < 0)
            {
                continue; // unreachable
            }
            Ptr<VirtualLink> fl = m_links[first[target]];
            bool weAreA = fl->GetEndA() == m_routelets[s];
            Ptr<RouteletPort> out = weAreA ? fl->GetPortA() : fl->GetPortB();
            Ipv4Address gw(fl->GetSubnet().Get() + (weAreA ? 2 : 1));
            uint32_t itf = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(out));
            if (repeated[k])
            {
                rt->AddNetworkRouteTo(d.subnet, slash30, gw, itf);
            }
            else
            {
                AppendNetworkRoute(rt, d.subnet, slash30, gw, itf);
            }
        }
    }
}

void
VirtualNetwork::PopulateSharedRoutes()
{
    // The same routes as the static mode below (PopulateRoutes), in one table:
    // destination k (a link or access /30) is routed by every routelet not on
    // it, through the first link of the BFS path (adjacency in link order)
    // towards its end A.
    uint32_t n = static_cast<uint32_t>(m_routelets.size());
    std::unordered_map<const Routelet*, uint32_t> idx;
    for (uint32_t i = 0; i < n; ++i)
    {
        idx[PeekPointer(m_routelets[i])] = i;
    }
    std::vector<GenesisRouteletTable::Destination> dests;
    dests.reserve(m_links.size() + m_endHosts.size());
    for (const auto& l : m_links)
    {
        dests.push_back({l->GetSubnet().Get(),
                         idx.at(PeekPointer(l->GetEndA())),
                         idx.at(PeekPointer(l->GetEndB()))});
    }
    for (const auto& h : m_endHosts)
    {
        uint32_t r = idx.at(PeekPointer(h.routelet));
        dests.push_back({h.link->GetSubnet().Get(), r, r});
    }
    // Per routelet: the port index of each of its links, and per port where it sends.
    std::unordered_map<const VirtualLink*, uint32_t> linkIdx;
    for (uint32_t k = 0; k < m_links.size(); ++k)
    {
        linkIdx[PeekPointer(m_links[k])] = k;
    }
    std::vector<uint16_t> portA(m_links.size(), GenesisRouteletTable::NO_PORT);
    std::vector<uint16_t> portB(m_links.size(), GenesisRouteletTable::NO_PORT);
    std::vector<std::vector<GenesisRouteletRouting::PortHop>> hops(n);
    for (uint32_t s = 0; s < n; ++s)
    {
        const auto& ports = m_routelets[s]->GetPorts();
        if (ports.size() >= GenesisRouteletTable::NO_PORT)
        {
            throw GenesisError("virtual network '" + m_name + "': a routelet has " +
                               std::to_string(ports.size()) +
                               " ports, more than the shared routing table indexes (65534); "
                               "set RoutingMode to static");
        }
        Ptr<Ipv4> ipv4 = m_routelets[s]->GetNode()->GetObject<Ipv4>();
        for (uint16_t p = 0; p < ports.size(); ++p)
        {
            Ptr<VirtualLink> l = ports[p]->GetVirtualLink();
            bool weAreA = l->GetPortA() == ports[p];
            int32_t itf = ipv4->GetInterfaceForDevice(ports[p]);
            hops[s].push_back(
                {static_cast<uint32_t>(itf), Ipv4Address(l->GetSubnet().Get() + (weAreA ? 2 : 1))});
            auto it = linkIdx.find(PeekPointer(l));
            if (it != linkIdx.end())
            {
                (weAreA ? portA : portB)[it->second] = p;
            }
        }
    }
    // adjacency: (neighbour, link), in link order as the static mode's BFS
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> adj(n);
    for (uint32_t k = 0; k < m_links.size(); ++k)
    {
        uint32_t a = dests[k].endA;
        uint32_t b = dests[k].endB;
        adj[a].push_back({b, k});
        adj[b].push_back({a, k});
    }
    Ptr<GenesisRouteletTable> table = Create<GenesisRouteletTable>(n, std::move(dests));
    std::vector<uint32_t> queue;
    queue.reserve(n);
    std::vector<uint16_t> first(n);
    std::vector<bool> seen(n);
    for (uint32_t s = 0; s < n; ++s)
    {
        std::fill(seen.begin(), seen.end(), false);
        queue.assign(1, s);
        seen[s] = true;
        for (std::size_t q = 0; q < queue.size(); ++q)
        {
            uint32_t u = queue[q];
            for (const auto& [v, k] : adj[u])
            {
                if (!seen[v])
                {
                    seen[v] = true;
                    first[v] = u == s
                                   ? (m_links[k]->GetEndA() == m_routelets[s] ? portA[k] : portB[k])
                                   : first[u];
                    table->SetNextPort(s, v, first[v]);
                    queue.push_back(v);
                }
            }
        }
    }
    for (uint32_t s = 0; s < n; ++s)
    {
        Ptr<Ipv4> ipv4 = m_routelets[s]->GetNode()->GetObject<Ipv4>();
        Ptr<GenesisRouteletRouting> rt =
            DynamicCast<GenesisRouteletRouting>(ipv4->GetRoutingProtocol());
        if (!rt)
        {
            throw GenesisError("virtual network '" + m_name +
                               "': a routelet's routing is not GenesisRouteletRouting (" +
                               ipv4->GetRoutingProtocol()->GetInstanceTypeId().GetName() +
                               "); cannot install the shared routes");
        }
        rt->SetTable(table, s, std::move(hops[s]));
    }
    m_routeTable = table;
    NS_LOG_INFO("network '" << m_name << "': shared route table of " << n << " routelets, "
                            << table->GetNDestinations() << " destinations, "
                            << table->GetMemoryBytes() << " bytes");
}

Ptr<const GenesisRouteletTable>
VirtualNetwork::GetRouteTable() const
{
    return m_routeTable;
}

// ------------------------------------------------------------------ run time

void
VirtualNetwork::NotifySpawnFailed(const std::string& reason)
{
    m_spawnFailedTrace(this, reason);
}

void
VirtualNetwork::NotifyChanged(const std::string& kind,
                              const std::string& target,
                              const std::string& oldValue,
                              const std::string& newValue)
{
    m_changedTrace(this, kind, target, oldValue, newValue);
}

namespace
{

/// \return a description of \p factory: its type and the attributes it sets
std::string
DescribeFactory(const ObjectFactory& factory)
{
    std::ostringstream os;
    os << factory; // "ns3::Type[Attr=value|...]"
    return os.str();
}

/// Moves the packet filters of \p from to \p to when both have the same type.
void
CarryFilters(Ptr<QueueDisc> from, Ptr<QueueDisc> to)
{
    if (!from || from->GetInstanceTypeId() != to->GetInstanceTypeId())
    {
        return;
    }
    for (std::size_t i = 0; i < from->GetNPacketFilters(); ++i)
    {
        to->AddPacketFilter(from->GetPacketFilter(i));
    }
}

} // namespace

uint32_t
VirtualNetwork::ReplaceScheduler(const ObjectFactory& factory, QueuedPackets queued)
{
    NS_LOG_FUNCTION(this << factory << queued);
    const TypeId tid = factory.GetTypeId();
    if (m_state != SPAWNED || !m_parent)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': only a running child network's scheduler can be replaced "
                           "(state " +
                           (m_state == SPAWNED ? std::string("spawned, but it is the root")
                                               : std::string("not spawned")) +
                           ")");
    }
    if (!tid.IsChildOf(TypeId::LookupByName("ns3::QueueDisc")) ||
        tid == ArbitratorQueueDisc::GetTypeId())
    {
        throw GenesisError("virtual network '" + m_name + "': scheduler '" + tid.GetName() +
                           "' is not a plain QueueDisc; use e.g. ns3::FqCoDelQueueDisc");
    }
    const std::string before = DescribeFactory(GetSchedulerFactory());
    uint32_t dropped = 0;
    for (auto& kv : m_slices)
    {
        Ptr<ArbitratorQueueDisc> arb = kv.second.arb;
        Ptr<QueueDisc> old = arb->GetNetworkClass(m_id)->GetQueueDisc();
        Ptr<QueueDisc> disc = factory.Create<QueueDisc>();
        CarryFilters(old, disc);
        dropped += arb->ReplaceNetworkQueueDisc(m_id, disc, queued == KEEP_QUEUED);
        arb->SetAttribute("OwnQueueDiscType", StringValue(tid.GetName()));
    }
    m_schedulerFactory = factory;
    m_hasSchedulerFactory = true;
    m_scheduler = tid.GetName();
    m_portSchedulers.clear();
    std::ostringstream now;
    now << DescribeFactory(factory) << " (queued packets "
        << (queued == KEEP_QUEUED ? "kept" : "dropped") << ", " << dropped << " dropped)";
    NotifyChanged("replace-scheduler",
                  "/Genesis/Networks/" + m_name + "/Scheduler",
                  before,
                  now.str());
    return dropped;
}

uint32_t
VirtualNetwork::ReplacePortQueueDisc(Ptr<Routelet> routelet,
                                     Ptr<VirtualLink> link,
                                     const ObjectFactory& factory,
                                     QueuedPackets queued)
{
    NS_LOG_FUNCTION(this << routelet << link << factory << queued);
    const TypeId tid = factory.GetTypeId();
    if (m_state != SPAWNED)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': port modules can be replaced only while the network runs");
    }
    if (!tid.IsChildOf(TypeId::LookupByName("ns3::QueueDisc")) ||
        tid == ArbitratorQueueDisc::GetTypeId())
    {
        throw GenesisError("virtual network '" + m_name + "': port module '" + tid.GetName() +
                           "' is not a plain QueueDisc; use e.g. ns3::TbfQueueDisc");
    }

    struct Target
    {
        Ptr<RouteletPort> port;
        Ptr<TrafficControlLayer> tc;
        std::string where;
    };

    std::vector<Target> targets;
    for (const auto& l : m_links)
    {
        if (link && link != l)
        {
            continue;
        }
        for (int e = 0; e < 2; ++e)
        {
            Ptr<Routelet> r = e == 0 ? l->GetEndA() : l->GetEndB();
            if (routelet && routelet != r)
            {
                continue;
            }
            Ptr<TrafficControlLayer> tc = r->GetNode()->GetObject<TrafficControlLayer>();
            if (!tc)
            {
                throw GenesisError("virtual network '" + m_name +
                                   "': port modules need the routelets' IPv4 stack");
            }
            targets.push_back({e == 0 ? l->GetPortA() : l->GetPortB(),
                               tc,
                               NodeName(r->GetHost()) + " link " + std::to_string(l->GetId())});
        }
    }
    if (targets.empty())
    {
        throw GenesisError("virtual network '" + m_name + "': no port of " +
                           (routelet ? "routelet on " + NodeName(routelet->GetHost())
                                     : std::string("any routelet")) +
                           (link ? " on link " + std::to_string(link->GetId()) : std::string()) +
                           " to replace a module on");
    }
    std::string before;
    uint32_t dropped = 0;
    for (const auto& t : targets)
    {
        Ptr<QueueDisc> old = t.tc->GetRootQueueDiscOnDevice(t.port);
        if (before.empty())
        {
            before = old ? old->GetInstanceTypeId().GetName() : "none";
        }
        Ptr<QueueDisc> disc = factory.Create<QueueDisc>();
        CarryFilters(old, disc);
        std::vector<Ptr<QueueDiscItem>> items;
        if (old)
        {
            while (old->GetNPackets() > 0)
            {
                Ptr<QueueDiscItem> item = old->Dequeue();
                if (!item)
                {
                    break;
                }
                items.push_back(item);
            }
            t.tc->DeleteRootQueueDiscOnDevice(t.port);
            old->Dispose();
        }
        t.tc->SetRootQueueDiscOnDevice(t.port, disc);
        t.tc->ScanDevices();
        disc->Initialize();
        for (const auto& item : items)
        {
            if (queued == DROP_QUEUED || !disc->Enqueue(item))
            {
                ++dropped;
            }
        }
        if (!items.empty())
        {
            disc->Run();
        }
    }
    std::ostringstream now;
    now << DescribeFactory(factory) << " on " << targets.size() << " port(s) (queued packets "
        << (queued == KEEP_QUEUED ? "kept" : "dropped") << ", " << dropped << " dropped)";
    NotifyChanged("replace-port-module",
                  "/Genesis/Networks/" + m_name +
                      (routelet ? "/Routelets/" + NodeName(routelet->GetHost()) : std::string()) +
                      (link ? "/Links/" + std::to_string(link->GetId()) : std::string()),
                  before,
                  now.str());
    return dropped;
}

void
VirtualNetwork::SetLinkRate(Ptr<VirtualLink> link, DataRate rate)
{
    NS_LOG_FUNCTION(this << rate);
    if (!link || link->GetNetwork() != this)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': SetLinkRate on a link of another "
                           "network");
    }
    if (m_state != SPAWNED)
    {
        link->SetRate(rate);
        m_reprovisionedTrace(this, link, rate);
        return;
    }
    if (IsGuaranteed() && rate.GetBitRate() == 0)
    {
        throw GenesisError("virtual network '" + m_name +
                           "': link rate 0bps is not allowed for "
                           "a guaranteed class");
    }
    if (!IsGuaranteed())
    {
        link->SetRate(rate);
        m_reprovisionedTrace(this, link, rate);
        return;
    }
    int64_t delta = static_cast<int64_t>(rate.GetBitRate()) -
                    static_cast<int64_t>(link->GetRate().GetBitRate());
    std::map<DevKey, int64_t> change;
    for (const auto& h : link->GetPhysicalPath())
    {
        change[Key(h.fromDev)] += delta;
        change[Key(h.toDev)] += delta;
    }
    for (const auto& kv : change)
    {
        const Slice& s = m_slices.at(kv.first);
        if (kv.second > 0 &&
            static_cast<uint64_t>(kv.second) > s.parent->GetResidualRate().GetBitRate())
        {
            std::ostringstream os;
            os << "virtual network '" << m_name << "': raising the link rate to "
               << GenesisFormatRate(rate.GetBitRate()) << " needs " << GenesisFormatRate(kv.second)
               << " more on " << DevName(s.dev) << " but parent '" << m_parent->m_name
               << "' has only " << GenesisFormatRate(s.parent->GetResidualRate().GetBitRate())
               << " unreserved there";
            throw GenesisError(os.str());
        }
        if (kv.second < 0 && static_cast<uint64_t>(-kv.second) >= s.reserved.GetBitRate())
        {
            // the slice was re-provisioned on its own (SetSliceRate, a maestro)
            std::ostringstream os;
            os << "virtual network '" << m_name << "': lowering the link rate to "
               << GenesisFormatRate(rate.GetBitRate()) << " takes " << GenesisFormatRate(-kv.second)
               << " from its slice of " << DevName(s.dev) << ", which holds only "
               << GenesisFormatRate(s.reserved.GetBitRate())
               << "; change the slice with SetSliceRate (or the maestro) instead";
            throw GenesisError(os.str());
        }
        uint64_t newBps = s.reserved.GetBitRate() + kv.second;
        if (newBps < s.arb->GetGuaranteedRate().GetBitRate())
        {
            std::ostringstream os;
            os << "virtual network '" << m_name << "': lowering the link rate to "
               << GenesisFormatRate(rate.GetBitRate()) << " leaves " << GenesisFormatRate(newBps)
               << " on " << DevName(s.dev) << ", below the "
               << GenesisFormatRate(s.arb->GetGuaranteedRate().GetBitRate())
               << " its own children reserved there";
            throw GenesisError(os.str());
        }
    }
    for (const auto& kv : change)
    {
        Slice& s = m_slices.at(kv.first);
        DataRate nr(s.reserved.GetBitRate() + kv.second);
        s.parent->SetNetworkRate(m_id, nr);
        s.arb->SetAttribute("LinkRate", DataRateValue(nr));
        s.reserved = nr;
    }
    link->SetRate(rate);
    m_reprovisionedTrace(this, link, rate);
}

void
VirtualNetwork::Teardown()
{
    NS_LOG_FUNCTION(this << m_name);
    if (!m_parent)
    {
        throw GenesisError("virtual network '" + m_name + "' is the root: it cannot be torn down");
    }
    if (m_state == TORN_DOWN)
    {
        return;
    }
    for (auto it = m_children.rbegin(); it != m_children.rend(); ++it)
    {
        (*it)->Teardown();
    }
    SpawnAbort(); // a spawn in progress is rolled back
    if (m_state == SPAWNED)
    {
        Unbuild();
    }
    m_state = TORN_DOWN;
    // Forget the children; the parent forgets us.
    m_children.clear();
    Ptr<VirtualNetwork> root = GetRoot();
    root->m_registry.erase(m_id);
    auto& siblings = m_parent->m_children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), Ptr<VirtualNetwork>(this)),
                   siblings.end());
    m_tornDownTrace(this);
    NS_LOG_INFO("tore down virtual network '" << m_name << "'");
}

} // namespace ns3
