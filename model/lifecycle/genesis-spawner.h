/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_SPAWNER_H
#define GENESIS_SPAWNER_H

#include "genesis-lifecycle-server.h"
#include "profile.h"
#include "spawn-plan.h"

#include "ns3/ipv4-routing-helper.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "ns3/virtual-network.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class GenesisProfileDatabase;
struct GenesisHostForwarders;

/**
 * \ingroup genesis
 * \brief An Ipv4RoutingHelper that makes any Ipv4RoutingProtocol TypeId by
 * ObjectFactory (a profile's forwarder module): the protocol is aggregated to
 * the node as RipHelper and OlsrHelper do.
 */
class GenesisFactoryRoutingHelper : public Ipv4RoutingHelper
{
  public:
    /// \param factory a factory of an Ipv4RoutingProtocol TypeId
    explicit GenesisFactoryRoutingHelper(const ObjectFactory& factory);
    GenesisFactoryRoutingHelper* Copy() const override;
    Ptr<Ipv4RoutingProtocol> Create(Ptr<Node> node) const override;

  private:
    ObjectFactory m_factory; //!< the protocol
};

/**
 * \ingroup genesis
 * \brief Spawns child networks from profiling scripts (paper §V-B) and runs
 * their executable timelines.
 *
 * A spawn reads the profile (GenesisProfileReader), verifies it against the
 * parent as it is now (GenesisProfileVerifier), applies inheritance, defines
 * the child exactly per the verified plan (routelets on the plan's hosts,
 * links along the plan's complete paths, end hosts, membership, modules,
 * policy) and runs VirtualNetwork's spawn phases: reserve, construct the
 * routelets of each node, bind links, create the metabus, commit. Any failure
 * rolls back everything (reservations, objects, the metabus, the network's
 * definition), fires "SpawnFailed" with the full diagnostics and throws.
 *
 * Inheritance (`inherit: [modules, policy, scheduler]`): precedence is own
 * profile > inherited from the parent > defaults. *scheduler*: the parent's
 * own scheduler factory (TypeId and attributes) when the child's profile
 * gives none. *modules*: each category the child's profile leaves empty takes
 * the parent profile's unscoped modules of that category (routelet- or
 * link-scoped modules name the parent's routelets and are not inherited).
 * *policy*: each of max_depth, max_children, max_rate the child leaves out
 * takes the parent's value (max_depth one less, as it counts levels below).
 */
class GenesisSpawner : public Object
{
  public:
    /// How a spawn runs.
    enum SpawnMode
    {
        PACKETS, //!< control messages as packets (GenesisLifecycleServer); takes simulated time
        INSTANT  //!< every phase at the scheduled instant, no packets
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisSpawner();
    ~GenesisSpawner() override;

    /// \param db the profile database that records spawns, refusals and profile texts (may be null)
    void SetDatabase(Ptr<GenesisProfileDatabase> db);

    /**
     * \brief Read, verify and spawn a profile file now (instant mode).
     * \param path the profile file
     * \param parent the parent network
     * \return the running child
     * \throws GenesisError with every diagnostic when refused; nothing changed then
     */
    Ptr<VirtualNetwork> SpawnFile(const std::string& path, Ptr<VirtualNetwork> parent);

    /**
     * \brief Verify and spawn a profile now (instant mode).
     * \param profile the profile
     * \param parent the parent network
     * \param text the profile text (recorded by the database)
     * \return the running child
     * \throws GenesisError with every diagnostic when refused; nothing changed then
     */
    Ptr<VirtualNetwork> SpawnProfile(const GenesisProfile& profile,
                                     Ptr<VirtualNetwork> parent,
                                     const std::string& text = "");

    /**
     * \brief Define a child per a verified profile and plan, without spawning it.
     * \param profile the profile
     * \param plan its verified plan
     * \param parent the parent
     * \return the child in state DEFINED
     * \throws GenesisError (the child is removed again then)
     */
    Ptr<VirtualNetwork> Define(const GenesisProfile& profile,
                               const GenesisSpawnPlan& plan,
                               Ptr<VirtualNetwork> parent);

    /**
     * \brief Verify a profile against \p parent and apply inheritance.
     * \param profile the profile (inheritance is applied to it)
     * \param parent the parent
     * \return the plan
     * \throws GenesisError with every diagnostic
     */
    GenesisSpawnPlan Verify(GenesisProfile& profile, Ptr<VirtualNetwork> parent) const;

    /**
     * \brief Schedule the timeline of a profile spawned as \p net.
     * \throws GenesisError when an event lies in the past
     */
    void ScheduleTimeline(const GenesisProfile& profile, Ptr<VirtualNetwork> net);

    /**
     * \brief Undo a failed spawn of \p net: abort its phases, shut its metabus,
     * forget its definition, fire SpawnFailed and record the refusal.
     */
    void Fail(Ptr<VirtualNetwork> net, const std::string& name, const std::string& reason);

    /// Fire SpawnPhase. \param network name \param phase phase name
    void NotifyPhase(const std::string& network, const std::string& phase);
    /// Finish a spawn: metabus, commit, record, timeline.
    void Finish(Ptr<VirtualNetwork> net,
                const GenesisProfile& profile,
                const GenesisSpawnPlan& plan);

    /// \return the profile a network was spawned from, or null
    const GenesisProfile* GetProfile(const std::string& network) const;

    /// \param network name \param link link name \return the link, or null
    Ptr<VirtualLink> GetLink(const std::string& network, const std::string& link) const;

    /// Signature of SpawnPhase: network, phase, time.
    typedef void (*SpawnPhaseTracedCallback)(const std::string&, const std::string&, Time);
    /// Signature of TimelineEvent: network, action, description, ok.
    typedef void (*TimelineEventTracedCallback)(const std::string&,
                                                const std::string&,
                                                const std::string&,
                                                bool);
    /// Signature of SpawnFailed: network name, diagnostics.
    typedef void (*SpawnFailedTracedCallback)(const std::string&, const std::string&);

    /// \return the mode
    SpawnMode GetSpawnMode() const;

    /**
     * \brief The life-cycle server that carries the construct phase of
     * spawns in Packets mode (GenesisHelper sets it).
     * \param server the server application (its node's constructors must serve it)
     */
    void SetLifecycleServer(Ptr<GenesisLifecycleServer> server);
    /// \return the life-cycle server, or null
    Ptr<GenesisLifecycleServer> GetLifecycleServer() const;

    /**
     * \brief Spawn a profile file now in the spawner's mode, never throwing.
     *
     * Instant: as SpawnFile(). Packets: read, verify, define and reserve now
     * (so simultaneous spawns never over-allocate), then the life-cycle
     * server sends CONSTRUCT to each routelet host's constructor; when all
     * have acknowledged, bind, metabus and commit run and "SpawnLatency"
     * fires. A refusal, a NACK or a timeout rolls everything back and fires
     * "SpawnFailed" with the reason.
     * \param path the profile file
     * \param parent the parent network
     */
    void Start(const std::string& path, Ptr<VirtualNetwork> parent);

    /// Signature of SpawnLatency: network name, time from the request to the commit.
    typedef void (*SpawnLatencyTracedCallback)(const std::string&, Time);

    /// A check of a module's factory; throws GenesisError saying what is wrong.
    typedef std::function<void(const ObjectFactory&)> ModuleCheck;
    /**
     * \brief Register a check that Define() runs on every profile module (and
     * scheduler) of TypeId \p typeId or derived from it, before anything is
     * built: for objects whose attributes are valid one by one but not
     * together (e.g. a traffic conditioning agreement with Cir above Pir).
     * A GenesisError from the check refuses the spawn with the module's
     * file:line:col.
     * \param typeId the TypeId name (resolved when a profile is spawned)
     * \param check the check
     */
    static void RegisterModuleCheck(const std::string& typeId, ModuleCheck check);
    /**
     * \brief Run the registered module checks on a profile's scheduler and
     * modules without spawning it (what Define() does before building): for
     * tools that check profiles without a parent network.
     * \param profile the profile (as read)
     * \return one message per failing object, each starting with its
     *         file:line:col (empty: every check passed)
     */
    static std::vector<std::string> CheckModules(const GenesisProfile& profile);

  protected:
    void DoDispose() override;

  private:
    static ObjectFactory MakeFactory(const GenesisObjectSpec& spec, const std::string& what);
    /// Run the registered module checks on \p f (see RegisterModuleCheck).
    static void RunModuleChecks(const ObjectFactory& f,
                                const GenesisLocation& location,
                                const std::string& what);
    void ApplyInheritance(GenesisProfile& profile, Ptr<VirtualNetwork> parent) const;
    void ApplyManagement(Ptr<VirtualNetwork> net, const GenesisProfile& profile);
    void RunEvent(std::string network, GenesisTimelineEvent event);
    void ConstructDone(std::string name, uint32_t txn, bool ok, std::string reason);

    /// A spawn waiting for its constructors (Packets mode).
    struct PendingSpawn
    {
        Ptr<VirtualNetwork> net; //!< the network
        GenesisProfile profile;  //!< its profile (inheritance applied)
        GenesisSpawnPlan plan;   //!< its plan
        Time requested;          //!< when the spawn was requested
    };

    Ptr<GenesisLifecycleServer> m_server;                    //!< life-cycle server (Packets mode)
    std::map<std::string, PendingSpawn> m_pending;           //!< by network name
    TracedCallback<const std::string&, Time> m_latencyTrace; //!< request -> commit

    SpawnMode m_mode;                                 //!< SpawnMode attribute
    Ptr<VirtualNetwork> m_root;                       //!< root of the spawned networks
    Ptr<GenesisProfileDatabase> m_db;                 //!< database (may be null)
    std::map<std::string, GenesisProfile> m_profiles; //!< by network name
    std::map<std::string, std::map<std::string, Ptr<VirtualLink>>> m_links; //!< names -> links
    /// routelet names -> routelets, per network
    std::map<std::string, std::map<std::string, Ptr<Routelet>>> m_routeletsByName;

    /**
     * \brief Plan the forwarders that run on the host nodes (Cellular IP).
     *
     * A child virtualised on its address space (Cellular IP) forwards its
     * hosts' plain IPv4 packets on the parent's nodes: the forwarder
     * (ns3::GenesisCellularIpRouting) joins the host node's Ipv4ListRouting
     * above the parent's routing, on the parent devices of the child's
     * links. Checks everything (one gateway, adjacent link ends, an air
     * device per base station, no forwarder already running there).
     * \throws GenesisError naming the profile location and the fix
     */
    std::shared_ptr<GenesisHostForwarders> PlanHostForwarders(
        const GenesisProfile& profile,
        const GenesisSpawnPlan& plan,
        const std::vector<const GenesisModuleSpec*>& modules) const;
    /// Install the planned forwarders (the spawn commits); the range joins the parent's routing.
    void InstallHostForwarders(Ptr<VirtualNetwork> net, GenesisHostForwarders& hf);
    /// Stop the forwarders of a torn-down network and withdraw its range.
    void RemoveHostForwarders(Ptr<VirtualNetwork> net);
    std::map<std::string, std::shared_ptr<GenesisHostForwarders>>
        m_hostForwarders;                       //!< by network name
    std::map<std::string, std::string> m_texts; //!< profile texts by network
    TracedCallback<const std::string&, const std::string&, Time> m_phaseTrace; //!< phases
    TracedCallback<const std::string&, const std::string&, const std::string&, bool>
        m_timelineTrace;                                                  //!< timeline
    TracedCallback<const std::string&, const std::string&> m_failedTrace; //!< refusals
};

} // namespace ns3

#endif /* GENESIS_SPAWNER_H */
