/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-metabus.h"

#include "genesis-config-directory.h"
#include "virtual-allocation-controller.h"
#include "virtual-composition-controller.h"
#include "virtual-datapath-controller.h"
#include "virtual-routelet-state.h"
#include "virtual-spawning-controller.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/routelet-port.h"
#include "ns3/routelet.h"
#include "ns3/simulator.h"
#include "ns3/spawn-plan.h"
#include "ns3/virtual-link.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisMetabus");
NS_OBJECT_ENSURE_REGISTERED(GenesisMetabus);

namespace
{
/// The network an object of the transport environment belongs to, or null.
Ptr<VirtualNetwork>
OwnerOf(Ptr<Object> o)
{
    if (auto r = DynamicCast<Routelet>(o))
    {
        return r->GetNetwork();
    }
    if (auto l = DynamicCast<VirtualLink>(o))
    {
        return l->GetNetwork();
    }
    if (auto n = DynamicCast<VirtualNetwork>(o))
    {
        return n;
    }
    if (auto p = DynamicCast<RouteletPort>(o))
    {
        Ptr<VirtualLink> l = p->GetVirtualLink();
        return l ? l->GetNetwork() : nullptr;
    }
    return nullptr;
}
} // namespace

TypeId
GenesisMetabus::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisMetabus")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisMetabus>()
            .AddAttribute("SignalDelay",
                          "Time from Publish to the delivery of a signal to each subscriber "
                          "(a separate event in the subscriber's node context in any case).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&GenesisMetabus::m_signalDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("Network",
                          "The virtual network of this bus.",
                          PointerValue(),
                          MakePointerAccessor(&GenesisMetabus::m_network),
                          MakePointerChecker<VirtualNetwork>())
            .AddAttribute("Routelets",
                          "The network's routelets by name (Config: .../Routelets/<name>/...).",
                          PointerValue(),
                          MakePointerAccessor(&GenesisMetabus::m_routeletDir),
                          MakePointerChecker<GenesisConfigDirectory>())
            .AddAttribute("Links",
                          "The network's links by name (Config: .../Links/<name>/...).",
                          PointerValue(),
                          MakePointerAccessor(&GenesisMetabus::m_linkDir),
                          MakePointerChecker<GenesisConfigDirectory>())
            .AddTraceSource("Registered",
                            "An object was registered: name, object",
                            MakeTraceSourceAccessor(&GenesisMetabus::m_registeredTrace),
                            "ns3::GenesisMetabus::RegistryTracedCallback")
            .AddTraceSource("Unregistered",
                            "A name was removed: name, object",
                            MakeTraceSourceAccessor(&GenesisMetabus::m_unregisteredTrace),
                            "ns3::GenesisMetabus::RegistryTracedCallback")
            .AddTraceSource("Published",
                            "A signal delivery was scheduled: signal, payload, from, to",
                            MakeTraceSourceAccessor(&GenesisMetabus::m_publishedTrace),
                            "ns3::GenesisMetabus::SignalTracedCallback")
            .AddTraceSource("Delivered",
                            "A signal was delivered (subscriber's context): signal, payload, "
                            "from, to",
                            MakeTraceSourceAccessor(&GenesisMetabus::m_deliveredTrace),
                            "ns3::GenesisMetabus::SignalTracedCallback")
            .AddTraceSource("Refused",
                            "A lookup or operation was refused (scope rule or bad input): "
                            "what, reason",
                            MakeTraceSourceAccessor(&GenesisMetabus::m_refusedTrace),
                            "ns3::GenesisMetabus::RefusedTracedCallback")
            .AddTraceSource("Shutdown",
                            "The bus was shut down (teardown or end of simulation)",
                            MakeTraceSourceAccessor(&GenesisMetabus::m_shutdownTrace),
                            "ns3::GenesisMetabus::ShutdownTracedCallback");
    return tid;
}

GenesisMetabus::GenesisMetabus()
    : m_active(false),
      m_transportRegistered(false),
      m_signalDelay(Seconds(0)),
      m_nextSubscription(1)
{
    NS_LOG_FUNCTION(this);
}

GenesisMetabus::~GenesisMetabus()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisMetabus::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Shutdown();
    Object::DoDispose();
}

// ------------------------------------------------------------------ installation

Ptr<GenesisMetabus>
GenesisMetabus::Install(Ptr<VirtualNetwork> net)
{
    if (!net)
    {
        throw GenesisError("GenesisMetabus::Install: the network is null");
    }
    if (Ptr<GenesisMetabus> bus = Get(net))
    {
        return bus;
    }
    Ptr<GenesisMetabus> bus = CreateObject<GenesisMetabus>();
    bus->Setup(net, nullptr);
    return bus;
}

Ptr<GenesisMetabus>
GenesisMetabus::Install(Ptr<VirtualNetwork> net, const GenesisSpawnPlan& plan)
{
    if (!net)
    {
        throw GenesisError("GenesisMetabus::Install: the network is null");
    }
    if (Ptr<GenesisMetabus> bus = Get(net))
    {
        return bus;
    }
    Ptr<GenesisMetabus> bus = CreateObject<GenesisMetabus>();
    bus->Setup(net, &plan);
    return bus;
}

Ptr<GenesisMetabus>
GenesisMetabus::Get(Ptr<VirtualNetwork> net)
{
    return net ? net->GetObject<GenesisMetabus>() : nullptr;
}

void
GenesisMetabus::Setup(Ptr<VirtualNetwork> net, const GenesisSpawnPlan* plan)
{
    NS_LOG_FUNCTION(this << net->GetName());
    const std::string name = net->GetName();
    if (net->GetState() == VirtualNetwork::TORN_DOWN)
    {
        throw GenesisError("virtual network '" + name + "' is torn down: it cannot get a metabus");
    }
    std::string bad = GenesisConfigDirectory::CheckSegment(name);
    if (!bad.empty())
    {
        throw GenesisError("virtual network '" + name +
                           "': its name cannot be a Config path segment (" + bad +
                           "); rename the network, e.g. with letters, digits, '-' and '_'");
    }
    Ptr<GenesisConfigDirectory> networks = GenesisConfigDirectory::GetNetworks();
    if (networks->Find(name))
    {
        throw GenesisError("virtual network '" + name +
                           "': another live network of this simulation already has a metabus "
                           "under that name (/Genesis/Networks/" +
                           name + "); give every network a unique name");
    }

    // Names of routelets and links: the plan's, else r<hostNodeId> and <a>-<b>.
    std::vector<std::string> rnames;
    std::map<uint32_t, std::string> byHost;
    if (plan)
    {
        for (const auto& pr : plan->routelets)
        {
            byHost[pr.hostNodeId] = pr.name;
        }
    }
    for (const auto& r : net->GetRoutelets())
    {
        uint32_t host = r->GetHost()->GetId();
        auto it = byHost.find(host);
        rnames.push_back(it != byHost.end() ? it->second : "r" + std::to_string(host));
    }
    std::map<Routelet*, std::string> rname;
    for (std::size_t i = 0; i < rnames.size(); ++i)
    {
        rname[PeekPointer(net->GetRoutelets()[i])] = rnames[i];
    }
    std::vector<std::string> lnames;
    std::vector<bool> planUsed(plan ? plan->links.size() : 0, false);
    for (const auto& l : net->GetLinks())
    {
        const std::string& a = rname[PeekPointer(l->GetEndA())];
        const std::string& b = rname[PeekPointer(l->GetEndB())];
        std::string ln;
        for (std::size_t k = 0; plan && k < plan->links.size(); ++k)
        {
            const auto& pl = plan->links[k];
            if (!planUsed[k] && ((pl.a == a && pl.b == b) || (pl.a == b && pl.b == a)))
            {
                planUsed[k] = true;
                ln = pl.name;
                break;
            }
        }
        if (ln.empty())
        {
            ln = a + "-" + b;
        }
        std::string unique = ln;
        for (int k = 2; std::find(lnames.begin(), lnames.end(), unique) != lnames.end(); ++k)
        {
            unique = ln + "#" + std::to_string(k);
        }
        lnames.push_back(unique);
    }

    // Build everything aside, then commit (nothing is left behind on a throw).
    Ptr<GenesisConfigDirectory> rdir =
        CreateObject<GenesisConfigDirectory>(GenesisConfigDirectory::ROUTELETS);
    Ptr<GenesisConfigDirectory> ldir =
        CreateObject<GenesisConfigDirectory>(GenesisConfigDirectory::LINKS);
    std::map<std::string, Ptr<Object>> registry;
    for (std::size_t i = 0; i < rnames.size(); ++i)
    {
        if (registry.count(rnames[i]))
        {
            throw GenesisError("virtual network '" + name + "': two routelets named '" + rnames[i] +
                               "'");
        }
        if (rnames[i].find(':') != std::string::npos)
        {
            throw GenesisError("virtual network '" + name + "': routelet name '" + rnames[i] +
                               "' contains ':', which qualifies names on a metabus");
        }
        rdir->Add(rnames[i], net->GetRoutelets()[i]);
        registry[rnames[i]] = net->GetRoutelets()[i];
    }
    for (std::size_t i = 0; i < lnames.size(); ++i)
    {
        if (registry.count(lnames[i]))
        {
            throw GenesisError("virtual network '" + name + "': link name '" + lnames[i] +
                               "' is already the name of a routelet");
        }
        ldir->Add(lnames[i], net->GetLinks()[i]);
        registry[lnames[i]] = net->GetLinks()[i];
    }

    m_network = net;
    m_networkName = name;
    m_routeletNames = rnames;
    m_linkNames = lnames;
    for (std::size_t i = 0; i < rnames.size(); ++i)
    {
        m_routeletName[PeekPointer(net->GetRoutelets()[i])] = rnames[i];
    }
    for (std::size_t i = 0; i < lnames.size(); ++i)
    {
        m_linkName[PeekPointer(net->GetLinks()[i])] = lnames[i];
    }
    m_registry = registry;
    m_routeletDir = rdir;
    m_linkDir = ldir;
    m_active = true;
    net->AggregateObject(this);
    networks->Add(name, this);
    net->TraceConnectWithoutContext("Spawned", MakeCallback(&GenesisMetabus::OnSpawned, this));
    net->TraceConnectWithoutContext("TornDown", MakeCallback(&GenesisMetabus::OnTornDown, this));
    Simulator::ScheduleDestroy(&GenesisMetabus::Shutdown, Ptr<GenesisMetabus>(this));
    if (net->GetState() == VirtualNetwork::SPAWNED)
    {
        RegisterTransport();
    }
    for (const auto& kv : m_registry)
    {
        m_registeredTrace(kv.first, kv.second);
    }
    NS_LOG_INFO("metabus of '" << name << "': " << rnames.size() << " routelets, " << lnames.size()
                               << " links");
}

void
GenesisMetabus::RegisterTransport()
{
    if (m_transportRegistered || !m_network)
    {
        return;
    }
    m_transportRegistered = true;
    const auto& routelets = m_network->GetRoutelets();
    for (std::size_t i = 0; i < routelets.size(); ++i)
    {
        const auto& ports = routelets[i]->GetPorts();
        for (std::size_t k = 0; k < ports.size(); ++k)
        {
            std::string n = m_routeletNames[i] + "/port" + std::to_string(k);
            m_registry[n] = ports[k];
            m_registeredTrace(n, ports[k]);
        }
    }
    // The network's arbitrator on every physical device it uses.
    std::vector<Ptr<NetDevice>> devs;
    for (const auto& r : routelets)
    {
        Ptr<Node> h = r->GetHost();
        for (uint32_t d = 0; h && d < h->GetNDevices(); ++d)
        {
            devs.push_back(h->GetDevice(d));
        }
    }
    for (const auto& l : m_network->GetLinks())
    {
        for (const auto& hop : l->GetPhysicalPath())
        {
            devs.push_back(hop.fromDev);
            devs.push_back(hop.toDev);
        }
    }
    for (const auto& d : devs)
    {
        Ptr<ArbitratorQueueDisc> arb = m_network->GetArbitrator(d);
        if (!arb)
        {
            continue;
        }
        std::string n = "arbitrator/" + std::to_string(d->GetNode()->GetId()) + "/" +
                        std::to_string(d->GetIfIndex());
        if (!m_registry.count(n))
        {
            m_registry[n] = arb;
            m_registeredTrace(n, arb);
        }
    }
    // Datapath controllers count from the spawn on.
    for (const auto& n : m_routeletNames)
    {
        GetDatapathController(n);
    }
}

void
GenesisMetabus::OnSpawned(Ptr<VirtualNetwork> /* net */)
{
    if (m_active)
    {
        RegisterTransport();
    }
}

void
GenesisMetabus::OnTornDown(Ptr<VirtualNetwork> /* net */)
{
    Shutdown();
}

void
GenesisMetabus::Shutdown()
{
    if (!m_active)
    {
        return;
    }
    NS_LOG_FUNCTION(this << m_networkName);
    m_active = false;
    Ptr<GenesisConfigDirectory> networks = GenesisConfigDirectory::PeekNetworks();
    if (networks && networks->Find(m_networkName) == this)
    {
        networks->Remove(m_networkName);
    }
    // The Spawned/TornDown sinks stay connected (Shutdown may run inside the
    // TornDown trace, whose sink list must not change while it is called);
    // they do nothing once the bus is inactive, and the bus lives as long as
    // the network it is aggregated to.
    m_subscriptions.clear();
    for (auto& kv : m_interfaces)
    {
        for (Ptr<Object> o : {Ptr<Object>(kv.second.state),
                              Ptr<Object>(kv.second.datapath),
                              Ptr<Object>(kv.second.composition)})
        {
            if (o)
            {
                o->Dispose();
            }
        }
    }
    m_interfaces.clear();
    if (m_spawning)
    {
        m_spawning->Dispose();
        m_spawning = nullptr;
    }
    if (m_allocation)
    {
        m_allocation->Dispose();
        m_allocation = nullptr;
    }
    m_registry.clear();
    m_granted.clear();
    m_routeletName.clear();
    m_linkName.clear();
    if (m_routeletDir)
    {
        m_routeletDir->Clear();
    }
    if (m_linkDir)
    {
        m_linkDir->Clear();
    }
    m_routeletDir = nullptr;
    m_linkDir = nullptr;
    m_network = nullptr; // aggregated to it: no cycle left
    m_shutdownTrace(this);
}

bool
GenesisMetabus::IsActive() const
{
    return m_active;
}

Ptr<VirtualNetwork>
GenesisMetabus::GetNetwork() const
{
    return m_network;
}

std::string
GenesisMetabus::GetNetworkName() const
{
    return m_networkName;
}

void
GenesisMetabus::CheckActive(const std::string& what) const
{
    if (!m_active)
    {
        Refuse(what,
               "the bus is shut down (its network was torn down or the simulation destroyed)");
    }
}

void
GenesisMetabus::Refuse(const std::string& what, const std::string& reason) const
{
    m_refusedTrace(what, reason);
    throw GenesisError("metabus of network '" + m_networkName + "': " + what +
                       " refused: " + reason);
}

// ------------------------------------------------------------------ registry

void
GenesisMetabus::Register(const std::string& name, Ptr<Object> object)
{
    CheckActive("registering '" + name + "'");
    if (name.empty() || name.find(':') != std::string::npos)
    {
        Refuse("registering '" + name + "'",
               "a local name must be non-empty and without ':' (':' qualifies a name with its "
               "network)");
    }
    if (!object)
    {
        Refuse("registering '" + name + "'", "the object is null");
    }
    if (m_registry.count(name))
    {
        Refuse("registering '" + name + "'", "the name is already registered on this bus");
    }
    for (const auto& kv : m_registry)
    {
        if (kv.second == object)
        {
            Refuse("registering '" + name + "'",
                   "the object is already registered as '" + kv.first + "'");
        }
    }
    Ptr<VirtualNetwork> owner = OwnerOf(object);
    if (owner && owner != m_network)
    {
        Refuse("registering '" + name + "'",
               "the object belongs to network '" + owner->GetName() +
                   "'; a bus holds only its own network's objects");
    }
    m_registry[name] = object;
    m_registeredTrace(name, object);
}

void
GenesisMetabus::Unregister(const std::string& name)
{
    CheckActive("unregistering '" + name + "'");
    auto it = m_registry.find(name);
    if (it == m_registry.end())
    {
        Refuse("unregistering '" + name + "'", "no such name on this bus");
    }
    Ptr<Object> o = it->second;
    m_registry.erase(it);
    m_unregisteredTrace(name, o);
}

bool
GenesisMetabus::IsRegistered(const std::string& name) const
{
    if (!m_active)
    {
        return false;
    }
    std::string::size_type colon = name.find(':');
    if (colon == std::string::npos)
    {
        return m_registry.count(name) > 0;
    }
    if (name.substr(0, colon) == m_networkName)
    {
        return m_registry.count(name.substr(colon + 1)) > 0;
    }
    return m_granted.count(name) > 0;
}

Ptr<Object>
GenesisMetabus::Lookup(const std::string& name) const
{
    CheckActive("lookup of '" + name + "'");
    std::string::size_type colon = name.find(':');
    std::string local = name;
    if (colon != std::string::npos)
    {
        std::string net = name.substr(0, colon);
        if (net != m_networkName)
        {
            auto g = m_granted.find(name);
            if (g != m_granted.end())
            {
                return g->second;
            }
            Ptr<VirtualNetwork> other = m_network ? m_network->FindNetwork(net) : nullptr;
            std::string relation = "another network";
            if (other && m_network)
            {
                if (other == m_network->GetParent())
                {
                    relation = "the parent network";
                }
                else if (other->GetParent() == m_network)
                {
                    relation = "a child network";
                }
                else if (other->GetParent() && other->GetParent() == m_network->GetParent())
                {
                    relation = "a sibling network";
                }
            }
            Refuse("lookup of '" + name + "'",
                   "'" + net + "' is " + relation +
                       "; a lookup across networks is refused (a network reaches only its own "
                       "objects and those an ancestor granted it with GenesisMetabus::Grant)");
        }
        local = name.substr(colon + 1);
    }
    auto it = m_registry.find(local);
    if (it == m_registry.end())
    {
        Refuse("lookup of '" + name + "'",
               "no object of that name on this bus (it has " + std::to_string(m_registry.size()) +
                   " names; see GetNames())");
    }
    return it->second;
}

std::vector<std::string>
GenesisMetabus::GetNames() const
{
    std::vector<std::string> names;
    for (const auto& kv : m_registry)
    {
        names.push_back(kv.first);
    }
    return names;
}

std::string
GenesisMetabus::GetNameOf(Ptr<Object> object) const
{
    CheckActive("name lookup");
    for (const auto& kv : m_registry)
    {
        if (kv.second == object)
        {
            return kv.first;
        }
    }
    Ptr<VirtualNetwork> owner = OwnerOf(object);
    if (owner && owner != m_network)
    {
        Refuse("name lookup of an object of network '" + owner->GetName() + "'",
               "a lookup across networks is refused");
    }
    Refuse("name lookup", "the object is not registered on this bus");
}

void
GenesisMetabus::Grant(Ptr<VirtualNetwork> descendant, const std::string& name)
{
    CheckActive("granting '" + name + "'");
    bool isDescendant = false;
    for (Ptr<VirtualNetwork> n = descendant ? descendant->GetParent() : nullptr; n;
         n = n->GetParent())
    {
        if (n == m_network)
        {
            isDescendant = true;
            break;
        }
    }
    std::string to = descendant ? descendant->GetName() : std::string("(null)");
    if (!isDescendant)
    {
        Refuse("granting '" + name + "' to network '" + to + "'",
               "grants go only to descendants of the granting network");
    }
    Ptr<GenesisMetabus> bus = Get(descendant);
    if (!bus || !bus->IsActive())
    {
        Refuse("granting '" + name + "' to network '" + to + "'",
               "that network has no active metabus (install it first)");
    }
    auto it = m_registry.find(name);
    if (it == m_registry.end())
    {
        Refuse("granting '" + name + "' to network '" + to + "'", "no such name on this bus");
    }
    bus->m_granted[m_networkName + ":" + name] = it->second;
}

std::vector<std::string>
GenesisMetabus::GetRouteletNames() const
{
    return m_routeletNames;
}

std::vector<std::string>
GenesisMetabus::GetLinkNames() const
{
    return m_linkNames;
}

Ptr<Routelet>
GenesisMetabus::GetRoutelet(const std::string& name) const
{
    CheckActive("routelet lookup of '" + name + "'");
    Ptr<Routelet> r = DynamicCast<Routelet>(Lookup(name));
    if (!r)
    {
        Refuse("routelet lookup of '" + name + "'", "it is not a routelet");
    }
    if (r->GetNetwork() != m_network)
    {
        Refuse("routelet lookup of '" + name + "'",
               "it is a routelet of another network; binding interfaces act only on the "
               "bus's own network");
    }
    return r;
}

Ptr<VirtualLink>
GenesisMetabus::GetLink(const std::string& name) const
{
    CheckActive("link lookup of '" + name + "'");
    Ptr<VirtualLink> l = DynamicCast<VirtualLink>(Lookup(name));
    if (!l)
    {
        Refuse("link lookup of '" + name + "'", "it is not a virtual link");
    }
    if (l->GetNetwork() != m_network)
    {
        Refuse("link lookup of '" + name + "'", "it is a link of another network");
    }
    return l;
}

std::string
GenesisMetabus::CheckRouteletOfThisNetwork(Ptr<Routelet> r, const std::string& what) const
{
    CheckActive(what);
    if (!r)
    {
        Refuse(what, "the routelet is null");
    }
    auto it = m_routeletName.find(PeekPointer(r));
    if (it == m_routeletName.end())
    {
        Ptr<VirtualNetwork> owner = r->GetNetwork();
        Refuse(what,
               "the routelet belongs to network '" + (owner ? owner->GetName() : "?") +
                   "'; a lookup across networks is refused");
    }
    return it->second;
}

std::string
GenesisMetabus::GetRouteletName(Ptr<Routelet> routelet) const
{
    return CheckRouteletOfThisNetwork(routelet, "routelet name lookup");
}

std::string
GenesisMetabus::GetLinkName(Ptr<VirtualLink> link) const
{
    CheckActive("link name lookup");
    auto it = link ? m_linkName.find(PeekPointer(link)) : m_linkName.end();
    if (it == m_linkName.end())
    {
        Refuse("link name lookup",
               link && link->GetNetwork()
                   ? "the link belongs to network '" + link->GetNetwork()->GetName() +
                         "'; a lookup across networks is refused"
                   : std::string("the link is not a link of this network"));
    }
    return it->second;
}

// ------------------------------------------------------------------ binding interface base

GenesisMetabus::RouteletInterfaces&
GenesisMetabus::InterfacesOf(const std::string& routelet)
{
    GetRoutelet(routelet); // scope check
    return m_interfaces[routelet];
}

Ptr<VirtualRouteletState>
GenesisMetabus::GetRouteletState(const std::string& routelet)
{
    RouteletInterfaces& i = InterfacesOf(routelet);
    if (!i.state)
    {
        i.state = CreateObject<VirtualRouteletState>();
        i.state->Bind(this, routelet, GetRoutelet(routelet));
    }
    return i.state;
}

Ptr<VirtualRouteletState>
GenesisMetabus::GetRouteletState(Ptr<Routelet> routelet)
{
    return GetRouteletState(CheckRouteletOfThisNetwork(routelet, "VirtualRouteletState"));
}

Ptr<VirtualDatapathController>
GenesisMetabus::GetDatapathController(const std::string& routelet)
{
    RouteletInterfaces& i = InterfacesOf(routelet);
    if (!i.datapath)
    {
        i.datapath = CreateObject<VirtualDatapathController>();
        i.datapath->Bind(this, routelet, GetRoutelet(routelet));
    }
    return i.datapath;
}

Ptr<VirtualDatapathController>
GenesisMetabus::GetDatapathController(Ptr<Routelet> routelet)
{
    return GetDatapathController(CheckRouteletOfThisNetwork(routelet, "VirtualDatapathController"));
}

Ptr<VirtualCompositionController>
GenesisMetabus::GetCompositionController(const std::string& routelet)
{
    RouteletInterfaces& i = InterfacesOf(routelet);
    if (!i.composition)
    {
        i.composition = CreateObject<VirtualCompositionController>();
        i.composition->Bind(this, routelet, GetRoutelet(routelet));
    }
    return i.composition;
}

Ptr<VirtualCompositionController>
GenesisMetabus::GetCompositionController(Ptr<Routelet> routelet)
{
    return GetCompositionController(
        CheckRouteletOfThisNetwork(routelet, "VirtualCompositionController"));
}

Ptr<VirtualSpawningController>
GenesisMetabus::GetSpawningController()
{
    CheckActive("VirtualSpawningController");
    if (!m_spawning)
    {
        m_spawning = CreateObject<VirtualSpawningController>();
        m_spawning->Bind(this);
    }
    return m_spawning;
}

Ptr<VirtualAllocationController>
GenesisMetabus::GetAllocationController()
{
    CheckActive("VirtualAllocationController");
    if (!m_allocation)
    {
        m_allocation = CreateObject<VirtualAllocationController>();
        m_allocation->Bind(this);
    }
    return m_allocation;
}

// ------------------------------------------------------------------ signalling

uint64_t
GenesisMetabus::Subscribe(const std::string& signal, const std::string& routelet, SignalCallback cb)
{
    CheckActive("subscription to '" + signal + "'");
    if (signal.empty())
    {
        Refuse("subscription", "the signal name is empty");
    }
    Ptr<Routelet> r = GetRoutelet(routelet);
    Ptr<Node> node = r->GetNode();
    if (!node)
    {
        Refuse("subscription of '" + routelet + "' to '" + signal + "'",
               "the routelet has no node yet (the network is not spawned)");
    }
    uint64_t id = m_nextSubscription++;
    m_subscriptions[id] = Subscription{signal, routelet, node->GetId(), cb};
    return id;
}

uint64_t
GenesisMetabus::Subscribe(const std::string& signal, Ptr<Routelet> routelet, SignalCallback cb)
{
    return Subscribe(signal,
                     CheckRouteletOfThisNetwork(routelet, "subscription to '" + signal + "'"),
                     cb);
}

void
GenesisMetabus::Unsubscribe(uint64_t id)
{
    m_subscriptions.erase(id);
}

std::size_t
GenesisMetabus::GetNSubscriptions() const
{
    return m_subscriptions.size();
}

std::size_t
GenesisMetabus::Publish(const std::string& signal,
                        Ptr<const Packet> payload,
                        const std::string& from)
{
    CheckActive("publishing '" + signal + "'");
    if (!from.empty())
    {
        GetRoutelet(from); // the publisher must be a routelet of this network
    }
    Ptr<const Packet> p = payload ? payload : Create<const Packet>();
    std::size_t n = 0;
    for (const auto& kv : m_subscriptions)
    {
        if (kv.second.signal != signal)
        {
            continue;
        }
        m_publishedTrace(signal, p, from, kv.second.routelet);
        Simulator::ScheduleWithContext(kv.second.context,
                                       m_signalDelay,
                                       &GenesisMetabus::Deliver,
                                       Ptr<GenesisMetabus>(this),
                                       kv.first,
                                       signal,
                                       p->Copy(),
                                       from);
        ++n;
    }
    return n;
}

void
GenesisMetabus::Deliver(uint64_t id, std::string signal, Ptr<Packet> payload, std::string from)
{
    if (!m_active)
    {
        return; // shut down meanwhile
    }
    auto it = m_subscriptions.find(id);
    if (it == m_subscriptions.end())
    {
        return; // unsubscribed meanwhile
    }
    SignalCallback cb = it->second.cb;
    m_deliveredTrace(signal, payload, from, it->second.routelet);
    cb(signal, payload, from);
}

} // namespace ns3
