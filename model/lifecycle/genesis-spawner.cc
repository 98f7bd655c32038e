/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-spawner.h"

#include "parent-topology.h"
#include "profile-database.h"
#include "profile-reader.h"
#include "profile-verifier.h"

#include "ns3/cellular-ip-routing.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/genesis-distributed.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-maestro.h"
#include "ns3/genesis-metabus.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/routelet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisSpawner");
NS_OBJECT_ENSURE_REGISTERED(GenesisSpawner);

// ------------------------------------------------------------------ routing helper

GenesisFactoryRoutingHelper::GenesisFactoryRoutingHelper(const ObjectFactory& factory)
    : m_factory(factory)
{
}

GenesisFactoryRoutingHelper*
GenesisFactoryRoutingHelper::Copy() const
{
    return new GenesisFactoryRoutingHelper(*this);
}

Ptr<Ipv4RoutingProtocol>
GenesisFactoryRoutingHelper::Create(Ptr<Node> node) const
{
    Ptr<Ipv4RoutingProtocol> p = m_factory.Create<Ipv4RoutingProtocol>();
    node->AggregateObject(p);
    return p;
}

// ------------------------------------------------------------------ spawner

TypeId
GenesisSpawner::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisSpawner")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisSpawner>()
            .AddAttribute("SpawnMode",
                          "Packets: the spawn's control messages are UDP packets between the "
                          "life-cycle server and the constructors of the routelet hosts "
                          "(GenesisLifecycleServer), so a spawn takes simulated time; Instant: "
                          "every phase runs at the scheduled instant (large experiments).",
                          EnumValue(GenesisSpawner::PACKETS),
                          MakeEnumAccessor(&GenesisSpawner::m_mode),
                          MakeEnumChecker(GenesisSpawner::PACKETS,
                                          "Packets",
                                          GenesisSpawner::INSTANT,
                                          "Instant"))
            .AddTraceSource("SpawnPhase",
                            "A spawn reached a phase: network, phase (verify, reserve, "
                            "construct, bind, metabus, commit, abort), time",
                            MakeTraceSourceAccessor(&GenesisSpawner::m_phaseTrace),
                            "ns3::GenesisSpawner::SpawnPhaseTracedCallback")
            .AddTraceSource("SpawnLatency",
                            "A spawn committed: network, time from its request to the commit "
                            "(zero in Instant mode)",
                            MakeTraceSourceAccessor(&GenesisSpawner::m_latencyTrace),
                            "ns3::GenesisSpawner::SpawnLatencyTracedCallback")
            .AddTraceSource("TimelineEvent",
                            "A timeline event ran: network, action, description, ok",
                            MakeTraceSourceAccessor(&GenesisSpawner::m_timelineTrace),
                            "ns3::GenesisSpawner::TimelineEventTracedCallback")
            .AddTraceSource("SpawnFailed",
                            "A spawn from a profile was refused: network name, every diagnostic",
                            MakeTraceSourceAccessor(&GenesisSpawner::m_failedTrace),
                            "ns3::GenesisSpawner::SpawnFailedTracedCallback");
    return tid;
}

GenesisSpawner::GenesisSpawner()
    : m_mode(PACKETS)
{
}

GenesisSpawner::~GenesisSpawner()
{
}

void
GenesisSpawner::DoDispose()
{
    m_db = nullptr;
    m_root = nullptr;
    m_server = nullptr;
    m_pending.clear();
    m_links.clear();
    m_routeletsByName.clear();
    m_hostForwarders.clear();
    Object::DoDispose();
}

GenesisSpawner::SpawnMode
GenesisSpawner::GetSpawnMode() const
{
    return m_mode;
}

void
GenesisSpawner::SetLifecycleServer(Ptr<GenesisLifecycleServer> server)
{
    m_server = server;
}

Ptr<GenesisLifecycleServer>
GenesisSpawner::GetLifecycleServer() const
{
    return m_server;
}

void
GenesisSpawner::Start(const std::string& path, Ptr<VirtualNetwork> parent)
{
    if (m_mode == INSTANT)
    {
        try
        {
            SpawnFile(path, parent);
        }
        catch (const GenesisError&)
        {
            // SpawnProfile has rolled back, logged and traced the refusal.
        }
        return;
    }
    Time requested = Simulator::Now();
    GenesisProfile profile;
    std::string text;
    try
    {
        profile = GenesisProfileReader::ReadFileOrThrow(path);
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    catch (const GenesisError& e)
    {
        Fail(nullptr, path, e.what());
        return;
    }
    if (parent)
    {
        m_root = parent->GetRoot();
    }
    NotifyPhase(profile.name, "verify");
    Ptr<VirtualNetwork> net;
    try
    {
        if (!m_server)
        {
            throw GenesisError("spawn of '" + profile.name +
                               "' in SpawnMode Packets needs a life-cycle server; use "
                               "GenesisHelper (SetLifecycleServer) or SpawnMode Instant");
        }
        if (m_pending.count(profile.name))
        {
            throw GenesisError("a spawn of '" + profile.name + "' is already in progress");
        }
        for (const auto& e : profile.timeline)
        {
            if (e.at < Simulator::Now())
            {
                std::ostringstream os;
                os << e.location.ToString() << ": timeline event at " << e.atText
                   << " is in the past (the network spawns at " << Simulator::Now().As(Time::S)
                   << "); timeline times count from the simulation start";
                throw GenesisError(os.str());
            }
        }
        GenesisSpawnPlan plan = Verify(profile, parent);
        net = Define(profile, plan, parent);
        m_texts[profile.name] = text;
        NotifyPhase(profile.name, "reserve");
        net->SpawnReserve();
        PendingSpawn& ps = m_pending[profile.name];
        ps.net = net;
        ps.profile = profile;
        ps.plan = plan;
        ps.requested = requested;
        NotifyPhase(profile.name, "construct");
        m_server->Begin(net,
                        net->GetConstructHosts(),
                        MakeCallback(&GenesisSpawner::ConstructDone, this).Bind(profile.name));
    }
    catch (const GenesisError& e)
    {
        m_pending.erase(profile.name);
        Fail(net, profile.name, e.what());
    }
}

void
GenesisSpawner::ConstructDone(std::string name, uint32_t txn, bool ok, std::string reason)
{
    auto it = m_pending.find(name);
    if (it == m_pending.end())
    {
        return;
    }
    PendingSpawn ps = it->second;
    m_pending.erase(it);
    NS_LOG_INFO(Simulator::Now().As(Time::S)
                << " spawn of '" << name << "': construct transaction " << txn
                << (ok ? " acknowledged by every host" : " failed: " + reason));
    if (!ok)
    {
        Fail(ps.net, name, reason);
        return;
    }
    try
    {
        // Under ns-3's distributed simulator a rank's constructors build the
        // routelets of the hosts it simulates; the other hosts' routelets
        // are built here, as the inert replicas every rank keeps of the
        // whole topology (a no-op in a sequential run: every host answered).
        for (uint32_t h : ps.net->GetConstructHosts())
        {
            ps.net->SpawnConstruct(h);
        }
        NotifyPhase(name, "bind");
        ps.net->SpawnBind();
        Finish(ps.net, ps.profile, ps.plan);
        m_latencyTrace(name, Simulator::Now() - ps.requested);
    }
    catch (const GenesisError& e)
    {
        Fail(ps.net, name, e.what());
    }
}

void
GenesisSpawner::SetDatabase(Ptr<GenesisProfileDatabase> db)
{
    m_db = db;
}

const GenesisProfile*
GenesisSpawner::GetProfile(const std::string& network) const
{
    auto it = m_profiles.find(network);
    return it == m_profiles.end() ? nullptr : &it->second;
}

Ptr<VirtualLink>
GenesisSpawner::GetLink(const std::string& network, const std::string& link) const
{
    auto it = m_links.find(network);
    if (it == m_links.end())
    {
        return nullptr;
    }
    auto l = it->second.find(link);
    return l == it->second.end() ? nullptr : l->second;
}

void
GenesisSpawner::NotifyPhase(const std::string& network, const std::string& phase)
{
    NS_LOG_INFO(Simulator::Now().As(Time::S) << " spawn of '" << network << "': " << phase);
    m_phaseTrace(network, phase, Simulator::Now());
}

ObjectFactory
GenesisSpawner::MakeFactory(const GenesisObjectSpec& spec, const std::string& what)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(spec.typeId, &tid))
    {
        throw GenesisError(spec.location.ToString() + ": " + what + ": unknown TypeId '" +
                           spec.typeId + "'");
    }
    ObjectFactory f;
    f.SetTypeId(tid);
    for (const auto& a : spec.attributes)
    {
        std::string problem;
        std::string hint;
        if (!GenesisProfileReader::CheckAttribute(tid, a.name, a.value, &problem, &hint))
        {
            throw GenesisError(a.location.ToString() + ": " + what + ": " + problem +
                               (hint.empty() ? "" : " (hint: " + hint + ")"));
        }
        TypeId::AttributeInformation info;
        tid.LookupAttributeByName(a.name, &info);
        if (DynamicCast<const StringValue>(info.checker->Create()))
        {
            // StringValue's parser aborts on text with spaces (it reads one word)
            f.Set(a.name, StringValue(a.value));
            continue;
        }
        Ptr<AttributeValue> v = info.checker->Create();
        v->DeserializeFromString(a.value, info.checker);
        f.Set(a.name, *v);
    }
    return f;
}

/// The module checks by TypeId name (a function-local static: registrations
/// run during static initialisation of other files).
static std::vector<std::pair<std::string, GenesisSpawner::ModuleCheck>>&
ModuleChecks()
{
    static std::vector<std::pair<std::string, GenesisSpawner::ModuleCheck>> checks;
    return checks;
}

void
GenesisSpawner::RegisterModuleCheck(const std::string& typeId, ModuleCheck check)
{
    ModuleChecks().emplace_back(typeId, std::move(check));
}

void
GenesisSpawner::RunModuleChecks(const ObjectFactory& f,
                                const GenesisLocation& location,
                                const std::string& what)
{
    for (const auto& c : ModuleChecks())
    {
        TypeId base;
        if (!TypeId::LookupByNameFailSafe(c.first, &base) ||
            (f.GetTypeId() != base && !f.GetTypeId().IsChildOf(base))) // IsChildOf excludes itself
        {
            continue;
        }
        try
        {
            c.second(f);
        }
        catch (const GenesisError& e)
        {
            throw GenesisError(location.ToString() + ": " + what + ": " + e.what());
        }
    }
}

std::vector<std::string>
GenesisSpawner::CheckModules(const GenesisProfile& profile)
{
    std::vector<std::string> problems;
    auto check = [&problems](const GenesisObjectSpec& spec,
                             const GenesisLocation& location,
                             const std::string& what) {
        try
        {
            RunModuleChecks(MakeFactory(spec, what), location, what);
        }
        catch (const GenesisError& e)
        {
            problems.emplace_back(e.what());
        }
    };
    if (profile.hasScheduler)
    {
        check(profile.scheduler, profile.scheduler.location, "scheduler");
    }
    for (const auto& m : profile.modules)
    {
        check(m.object,
              m.location,
              std::string(GenesisModuleSpec::CategoryName(m.category)) + " '" + m.object.typeId +
                  "'");
    }
    return problems;
}

void
GenesisSpawner::ApplyInheritance(GenesisProfile& profile, Ptr<VirtualNetwork> parent) const
{
    const GenesisProfile* pp = GetProfile(parent->GetName());
    if (profile.Inherits(GenesisProfile::INHERIT_SCHEDULER) && !profile.hasScheduler)
    {
        if (pp && pp->hasScheduler)
        {
            profile.scheduler = pp->scheduler;
            profile.hasScheduler = true;
        }
        else if (parent->GetParent())
        {
            // A network defined in code: its scheduler TypeId (attributes are not readable back).
            StringValue s;
            parent->GetAttribute("Scheduler", s);
            profile.scheduler = GenesisObjectSpec();
            profile.scheduler.typeId = s.Get();
            profile.hasScheduler = true;
        }
    }
    if (profile.Inherits(GenesisProfile::INHERIT_MODULES) && pp)
    {
        for (int c = GenesisModuleSpec::ENCAPSULATOR; c <= GenesisModuleSpec::SCHEDULER; ++c)
        {
            bool own = false;
            for (const auto& m : profile.modules)
            {
                own = own || m.category == c;
            }
            if (own)
            {
                continue;
            }
            for (const auto& m : pp->modules)
            {
                if (m.category == c && m.routelet.empty() && m.link.empty())
                {
                    profile.modules.push_back(m);
                }
            }
        }
    }
    if (profile.Inherits(GenesisProfile::INHERIT_POLICY))
    {
        GenesisPolicySpec& p = profile.policy;
        if (!p.hasMaxDepth && parent->GetMaxDepth() != std::numeric_limits<uint32_t>::max())
        {
            p.hasMaxDepth = true;
            p.maxDepth = parent->GetMaxDepth() > 0 ? parent->GetMaxDepth() - 1 : 0;
        }
        if (!p.hasMaxChildren && parent->GetMaxChildren() != std::numeric_limits<uint32_t>::max())
        {
            p.hasMaxChildren = true;
            p.maxChildren = parent->GetMaxChildren();
        }
        if (!p.hasMaxRate && parent->GetMaxChildRate().GetBitRate() > 0)
        {
            p.hasMaxRate = true;
            p.maxRate = parent->GetMaxChildRate();
        }
    }
}

GenesisSpawnPlan
GenesisSpawner::Verify(GenesisProfile& profile, Ptr<VirtualNetwork> parent) const
{
    if (!parent)
    {
        throw GenesisError(profile.file + ": no parent network to spawn '" + profile.name + "' in");
    }
    ApplyInheritance(profile, parent);
    // Resource management computes each round from every device's counters
    // at once, which no rank of a distributed run has (each sees its own
    // nodes): refused there rather than diverging between ranks.
    if (profile.hasManagement)
    {
        GenesisDistributed::RefuseIfDistributed(
            profile.management.location.ToString() + ": error: the management section of '" +
                profile.name + "'",
            "run resource management in a sequential run, or remove the section");
    }
    if (profile.hasBid)
    {
        GenesisDistributed::RefuseIfDistributed(
            profile.bid.location.ToString() + ": error: the bid of '" + profile.name + "'",
            "auctions need one view of every device; run them in a sequential run");
    }
    if (profile.hasBid && !GenesisMaestro::Get(parent))
    {
        throw GenesisError(profile.bid.location.ToString() + ": error: '" + profile.name +
                           "' bids in the auction of '" + parent->GetName() +
                           "', which has no maestro (hint: install one with "
                           "GenesisMaestro::Install, or give the parent a management section)");
    }
    if (profile.hasManagement)
    {
        // unknown types and attributes: refused before anything is reserved
        if (profile.management.hasMaestro)
        {
            MakeFactory(profile.management.maestro, "management maestro");
        }
        if (profile.management.hasAuctioneer)
        {
            MakeFactory(profile.management.auctioneer, "management auctioneer");
        }
        if (profile.management.hasMonitor)
        {
            MakeFactory(profile.management.monitor, "management monitor");
        }
    }
    // The live network does not know the names its profile gave its routelets
    // (for "parent_routelet") nor its children's end hosts (for exclusive
    // membership): teach the snapshot from the profiles this spawner spawned.
    GenesisParentTopology topology = GenesisParentTopology::FromNetwork(parent);
    auto own = m_profiles.find(parent->GetName());
    if (own != m_profiles.end())
    {
        topology.AddProfile(own->second);
    }
    for (const auto& sibling : parent->GetChildren())
    {
        auto sp = m_profiles.find(sibling->GetName());
        if (sibling->GetName() != profile.name && sp != m_profiles.end() &&
            sibling->GetState() == VirtualNetwork::SPAWNED)
        {
            topology.AddProfile(sp->second);
        }
    }
    topology.Finalize();
    GenesisVerifyResult vr = GenesisProfileVerifier::Verify(profile, topology);
    if (!vr.Ok())
    {
        throw GenesisError(vr.Format());
    }
    return vr.plan;
}

Ptr<VirtualNetwork>
GenesisSpawner::Define(const GenesisProfile& profile,
                       const GenesisSpawnPlan& plan,
                       Ptr<VirtualNetwork> parent)
{
    Ptr<VirtualNetwork> net = parent->CreateChild(profile.name);
    try
    {
        net->SetAttribute("CapacityClass", EnumValue(profile.capacityClass));
        net->SetAttribute("Rate", DataRateValue(profile.rate));
        net->SetAttribute("Share", DoubleValue(profile.share));
        net->SetAttribute("Burst", UintegerValue(profile.burst));
        if (profile.hasAddressSpace)
        {
            net->SetAttribute("Ipv4Base", Ipv4AddressValue(profile.addressBase));
            net->SetAttribute("Ipv4Mask", Ipv4MaskValue(profile.addressMask));
        }
        if (profile.hasScheduler)
        {
            ObjectFactory sf = MakeFactory(profile.scheduler, "scheduler");
            RunModuleChecks(sf, profile.scheduler.location, "scheduler");
            net->SetSchedulerFactory(sf);
        }
        if (profile.policy.hasMaxDepth)
        {
            net->SetAttribute("MaxDepth", UintegerValue(profile.policy.maxDepth));
        }
        if (profile.policy.hasMaxChildren)
        {
            net->SetAttribute("MaxChildren", UintegerValue(profile.policy.maxChildren));
        }
        if (profile.policy.hasMaxRate)
        {
            net->SetAttribute("MaxChildRate", DataRateValue(profile.policy.maxRate));
        }
        std::map<std::string, Ptr<Routelet>> routelets;
        for (const auto& r : plan.routelets)
        {
            routelets[r.name] = net->AddRoutelet(r.hostNodeId);
        }
        std::map<std::string, Ptr<VirtualLink>> links;
        for (const auto& l : plan.links)
        {
            std::vector<Ptr<Node>> via;
            for (uint32_t id : l.hostPath)
            {
                via.push_back(NodeList::GetNode(id));
            }
            links[l.name] = net->AddLink(routelets.at(l.a), routelets.at(l.b), l.rate, via);
        }
        m_links[profile.name] = links;
        m_routeletsByName[profile.name] = routelets;
        std::map<std::string, Ptr<Node>> hostNodes;
        for (const auto& h : plan.hosts)
        {
            Ptr<Node> node = NodeList::GetNode(h.nodeId);
            hostNodes[h.name] = node;
            net->AddEndHost(h.name, node, routelets.at(h.routelet), h.address);
        }
        for (const auto& m : profile.membership)
        {
            switch (m.kind)
            {
            case GenesisMemberSpec::NODE_ID:
                net->AddMember(NodeList::GetNode(m.nodeId));
                break;
            case GenesisMemberSpec::NODE_NAME: {
                Ptr<Node> n =
                    hostNodes.count(m.name) ? hostNodes[m.name] : Names::Find<Node>(m.name);
                if (!n)
                {
                    throw GenesisError(m.location.ToString() + ": member '" + m.name +
                                       "' is neither an end host of the profile nor a node name");
                }
                net->AddMember(n);
                break;
            }
            case GenesisMemberSpec::PREFIX:
                net->AddMemberPrefix(m.prefix, m.mask);
                break;
            }
        }
        std::vector<const GenesisModuleSpec*> hostForwarders;
        for (const auto& m : profile.modules)
        {
            std::string what = std::string(GenesisModuleSpec::CategoryName(m.category)) + " '" +
                               m.object.typeId + "'";
            ObjectFactory f = MakeFactory(m.object, what);
            RunModuleChecks(f, m.location, what);
            Ptr<Routelet> r = m.routelet.empty() ? nullptr : routelets.at(m.routelet);
            Ptr<VirtualLink> l = m.link.empty() ? nullptr : links.at(m.link);
            TypeId tid = f.GetTypeId();
            switch (m.category)
            {
            case GenesisModuleSpec::FORWARDER:
                if (tid.IsChildOf(GenesisCellularIpRouting::GetTypeId()) ||
                    tid == GenesisCellularIpRouting::GetTypeId())
                {
                    hostForwarders.push_back(&m); // planned below, installed at commit
                    break;
                }
                if (tid.GetName() == "ns3::Ipv4StaticRouting" && m.object.attributes.empty())
                {
                    break; // the default: static routes of the child topology
                }
                if (r || l)
                {
                    throw GenesisError(m.location.ToString() + ": " + what +
                                       ": a forwarder runs on every routelet of the network; "
                                       "remove routelet/link");
                }
                net->SetRoutingHelper(GenesisFactoryRoutingHelper(f));
                break;
            case GenesisModuleSpec::SCHEDULER:
                net->AddPortScheduler(r, l, f);
                break;
            case GenesisModuleSpec::PROCESSOR:
            case GenesisModuleSpec::CLASSIFIER:
                net->AddPortModule(r, l, f);
                break;
            case GenesisModuleSpec::ENCAPSULATOR:
                throw GenesisError(m.location.ToString() + ": " + what +
                                   ": the Genesis shim is the only encapsulation of child "
                                   "networks; remove the encapsulator module");
            }
        }
        if (!hostForwarders.empty())
        {
            m_hostForwarders[profile.name] = PlanHostForwarders(profile, plan, hostForwarders);
            // The hosts do not speak the shim: their packets join the
            // network's class on the parent's devices by address range.
            net->AddAddressRange(profile.addressBase, profile.addressMask);
        }
    }
    catch (const GenesisError&)
    {
        m_links.erase(profile.name);
        m_routeletsByName.erase(profile.name);
        m_hostForwarders.erase(profile.name);
        net->Teardown(); // forget the definition
        throw;
    }
    return net;
}

void
GenesisSpawner::Fail(Ptr<VirtualNetwork> net, const std::string& name, const std::string& reason)
{
    NotifyPhase(name, "abort");
    if (net)
    {
        Ptr<GenesisMetabus> bus = GenesisMetabus::Get(net);
        if (bus)
        {
            bus->Shutdown();
        }
        net->SpawnAbort();
        net->NotifySpawnFailed(reason);
        if (net->GetState() == VirtualNetwork::DEFINED)
        {
            net->Teardown(); // forget the definition: a refused spawn leaves no network
        }
    }
    else if (m_db && m_db->IsOpen())
    {
        // Refused before the network was defined (verifier): no trace of the
        // network records it, so record it here.
        try
        {
            m_db->RecordRefusal(name, reason);
        }
        catch (const GenesisError& e)
        {
            NS_LOG_WARN("refusal of '" << name << "' not recorded: " << e.what());
        }
    }
    m_links.erase(name);
    m_routeletsByName.erase(name);
    m_profiles.erase(name);
    m_hostForwarders.erase(name);
    NS_LOG_WARN(Simulator::Now().As(Time::S) << " spawn of '" << name << "' refused: " << reason);
    m_failedTrace(name, reason);
}

void
GenesisSpawner::Finish(Ptr<VirtualNetwork> net,
                       const GenesisProfile& profile,
                       const GenesisSpawnPlan& plan)
{
    NotifyPhase(profile.name, "metabus");
    GenesisMetabus::Install(net, plan);
    NotifyPhase(profile.name, "commit");
    m_profiles[profile.name] = profile;
    if (m_db)
    {
        // Before SpawnCommit: its Spawned trace is what records the spawn.
        auto t = m_texts.find(profile.name);
        if (t != m_texts.end())
        {
            m_db->SetProfileText(profile.name, t->second);
        }
    }
    net->SpawnCommit();
    ApplyManagement(net, profile);
    auto hf = m_hostForwarders.find(profile.name);
    if (hf != m_hostForwarders.end())
    {
        // Checked when the network was defined: installing cannot fail.
        InstallHostForwarders(net, *hf->second);
    }
    ScheduleTimeline(profile, net);
}

void
GenesisSpawner::ApplyManagement(Ptr<VirtualNetwork> net, const GenesisProfile& profile)
{
    Ptr<GenesisMaestro> pm = GenesisMaestro::Get(net->GetParent());
    if (profile.hasManagement)
    {
        ObjectFactory mf("ns3::GenesisMaestro");
        if (profile.management.hasMaestro)
        {
            mf = MakeFactory(profile.management.maestro, "management maestro");
        }
        Ptr<GenesisMaestro> m = mf.Create<GenesisMaestro>();
        if (profile.management.hasAuctioneer)
        {
            m->SetAuctioneer(MakeFactory(profile.management.auctioneer, "management auctioneer")
                                 .Create<GenesisAuctioneer>());
        }
        if (profile.management.hasMonitor)
        {
            m->SetMonitorFactory(MakeFactory(profile.management.monitor, "management monitor"));
        }
        m->SetDatabase(pm ? pm->GetDatabase() : m_db);
        m->Attach(net);
    }
    else if (pm && !GenesisMaestro::Get(net))
    {
        pm->Inherit(net); // resource management is inherited unless replaced (§V-C-3)
    }
    if (profile.hasBid && pm)
    {
        pm->SetBid(net, profile.bid.price, profile.bid.quantity);
    }
}

Ptr<VirtualNetwork>
GenesisSpawner::SpawnFile(const std::string& path, Ptr<VirtualNetwork> parent)
{
    GenesisProfile profile = GenesisProfileReader::ReadFileOrThrow(path);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return SpawnProfile(profile, parent, text.str());
}

Ptr<VirtualNetwork>
GenesisSpawner::SpawnProfile(const GenesisProfile& original,
                             Ptr<VirtualNetwork> parent,
                             const std::string& text)
{
    GenesisProfile profile = original;
    if (parent)
    {
        m_root = parent->GetRoot();
    }
    NotifyPhase(profile.name, "verify");
    Ptr<VirtualNetwork> net;
    try
    {
        for (const auto& e : profile.timeline)
        {
            if (e.at < Simulator::Now())
            {
                std::ostringstream os;
                os << e.location.ToString() << ": timeline event at " << e.atText
                   << " is in the past (the network spawns at " << Simulator::Now().As(Time::S)
                   << "); timeline times count from the simulation start";
                throw GenesisError(os.str());
            }
        }
        GenesisSpawnPlan plan = Verify(profile, parent);
        net = Define(profile, plan, parent);
        m_texts[profile.name] = text;
        NotifyPhase(profile.name, "reserve");
        net->SpawnReserve();
        for (uint32_t h : net->GetConstructHosts())
        {
            NotifyPhase(profile.name, "construct");
            net->SpawnConstruct(h);
        }
        NotifyPhase(profile.name, "bind");
        net->SpawnBind();
        Finish(net, profile, plan);
        m_latencyTrace(profile.name, Time(0));
    }
    catch (const GenesisError& e)
    {
        Fail(net, profile.name, e.what());
        throw;
    }
    return net;
}

void
GenesisSpawner::ScheduleTimeline(const GenesisProfile& profile, Ptr<VirtualNetwork> net)
{
    for (const auto& e : profile.timeline)
    {
        Simulator::Schedule(e.at - Simulator::Now(),
                            &GenesisSpawner::RunEvent,
                            Ptr<GenesisSpawner>(this),
                            net->GetName(),
                            e);
    }
}

void
GenesisSpawner::RunEvent(std::string network, GenesisTimelineEvent e)
{
    static const char* names[] = {"spawn", "set", "reprovision", "teardown", "replace", "bid"};
    std::string action = names[e.action];
    std::string description;
    bool ok = true;
    Ptr<VirtualNetwork> net = m_root ? m_root->FindNetwork(network) : nullptr;
    try
    {
        if (!net || net->GetState() != VirtualNetwork::SPAWNED)
        {
            throw GenesisError("network '" + network + "' is not running any more");
        }
        switch (e.action)
        {
        case GenesisTimelineEvent::SPAWN: {
            description = "spawn " + e.profile;
            Ptr<VirtualNetwork> child = SpawnFile(e.profilePath, net);
            description += " -> '" + child->GetName() + "'";
            break;
        }
        case GenesisTimelineEvent::SET: {
            description = "set " + e.path + " = " + e.value;
            std::size_t slash = e.path.rfind('/');
            if (slash == std::string::npos || slash + 1 == e.path.size())
            {
                throw GenesisError("path '" + e.path + "' does not end in an attribute name");
            }
            std::string attr = e.path.substr(slash + 1);
            Config::MatchContainer m = Config::LookupMatches(e.path.substr(0, slash));
            if (m.GetN() == 0)
            {
                throw GenesisError("path '" + e.path + "' matches no object");
            }
            for (std::size_t i = 0; i < m.GetN(); ++i)
            {
                std::string problem;
                std::string hint;
                if (!GenesisProfileReader::CheckAttribute(m.Get(i)->GetInstanceTypeId(),
                                                          attr,
                                                          e.value,
                                                          &problem,
                                                          &hint))
                {
                    throw GenesisError(problem + (hint.empty() ? "" : " (hint: " + hint + ")"));
                }
            }
            for (std::size_t i = 0; i < m.GetN(); ++i)
            {
                StringValue before;
                bool known = m.Get(i)->GetAttributeFailSafe(attr, before);
                if (!m.Get(i)->SetAttributeFailSafe(attr, StringValue(e.value)))
                {
                    throw GenesisError("attribute '" + attr + "' of " + m.GetMatchedPath(i) +
                                       " refused the value '" + e.value + "'");
                }
                StringValue after;
                m.Get(i)->GetAttributeFailSafe(attr, after);
                net->NotifyChanged("set",
                                   m.GetMatchedPath(i) + "/" + attr,
                                   known ? before.Get() : "",
                                   after.Get());
            }
            break;
        }
        case GenesisTimelineEvent::REPLACE: {
            const GenesisModuleSpec& m = e.module;
            std::string what = std::string(GenesisModuleSpec::CategoryName(m.category)) + " '" +
                               m.object.typeId + "'";
            description = "replace " + what + (e.keepQueued ? " (keep queued)" : " (drop queued)");
            ObjectFactory f = MakeFactory(m.object, what);
            RunModuleChecks(f, m.location, what);
            VirtualNetwork::QueuedPackets q =
                e.keepQueued ? VirtualNetwork::KEEP_QUEUED : VirtualNetwork::DROP_QUEUED;
            uint32_t dropped = 0;
            if (m.category == GenesisModuleSpec::SCHEDULER)
            {
                dropped = net->ReplaceScheduler(f, q);
            }
            else
            {
                Ptr<Routelet> r;
                if (!m.routelet.empty())
                {
                    auto byName = m_routeletsByName.find(network);
                    if (byName != m_routeletsByName.end() && byName->second.count(m.routelet))
                    {
                        r = byName->second.at(m.routelet);
                    }
                    if (!r)
                    {
                        throw GenesisError("network '" + network + "' has no routelet '" +
                                           m.routelet + "'");
                    }
                }
                Ptr<VirtualLink> l;
                if (!m.link.empty())
                {
                    l = GetLink(network, m.link);
                    if (!l)
                    {
                        throw GenesisError("network '" + network + "' has no link '" + m.link +
                                           "'");
                    }
                }
                dropped = net->ReplacePortQueueDisc(r, l, f, q);
            }
            description += ", " + std::to_string(dropped) + " queued packets dropped";
            break;
        }
        case GenesisTimelineEvent::REPROVISION: {
            Ptr<VirtualNetwork> target = e.network.empty() ? net : net->FindNetwork(e.network);
            if (!target)
            {
                throw GenesisError("no network '" + e.network + "'");
            }
            description = "reprovision " + target->GetName() +
                          (e.link.empty() ? "" : " link " + e.link) + " to " +
                          GenesisFormatRate(e.rate.GetBitRate());
            if (!e.link.empty())
            {
                Ptr<VirtualLink> l = GetLink(target->GetName(), e.link);
                if (!l)
                {
                    throw GenesisError("network '" + target->GetName() + "' has no link '" +
                                       e.link + "'");
                }
                target->SetLinkRate(l, e.rate);
            }
            else
            {
                for (const auto& l : target->GetLinks())
                {
                    target->SetLinkRate(l, e.rate);
                }
            }
            break;
        }
        case GenesisTimelineEvent::BID: {
            std::ostringstream os;
            os << "bid " << e.price << " for " << GenesisFormatRate(e.rate.GetBitRate());
            description = os.str();
            Ptr<GenesisMaestro> pm = GenesisMaestro::Get(net->GetParent());
            if (!pm)
            {
                throw GenesisError("parent network '" + net->GetParent()->GetName() +
                                   "' has no maestro to bid in");
            }
            pm->SetBid(net, e.price, e.rate);
            break;
        }
        case GenesisTimelineEvent::TEARDOWN: {
            Ptr<VirtualNetwork> target = e.network.empty() ? net : net->FindNetwork(e.network);
            bool below = false;
            for (Ptr<VirtualNetwork> a = target; a && !below; a = a->GetParent())
            {
                below = a == net;
            }
            if (!target || !below)
            {
                throw GenesisError("'" + e.network + "' is not '" + network +
                                   "' or one of its descendants");
            }
            description = "teardown " + target->GetName();
            Ptr<GenesisMetabus> bus = GenesisMetabus::Get(target);
            target->Teardown();
            if (bus && bus->IsActive())
            {
                bus->Shutdown();
            }
            break;
        }
        }
    }
    catch (const GenesisError& err)
    {
        ok = false;
        description += (description.empty() ? "" : ": ") + std::string(err.what());
        NS_LOG_WARN(Simulator::Now().As(Time::S)
                    << " timeline of '" << network << "' at " << e.location.ToString() << ": "
                    << action << " failed: " << err.what());
    }
    m_timelineTrace(network, action, description, ok);
}

} // namespace ns3
