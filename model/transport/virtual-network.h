/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_NETWORK_H
#define VIRTUAL_NETWORK_H

#include "arbitrator-queue-disc-class.h"
#include "genesis-l4-protocol.h"
#include "virtual-link.h"

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-routing-helper.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class ArbitratorQueueDisc;
class GenesisRouteletTable;
class QueueDisc;
class Routelet;

/**
 * \ingroup genesis
 *
 * \brief A virtual network: the root (physical) network or a child spawned on
 * a slice of its parent's links and routers (paper §II, §V-B).
 *
 * Life cycle: a child is *defined* with CreateChild(), AddRoutelet() and
 * AddLink(), then Spawn() builds it transactionally: it resolves each virtual
 * link onto a path of parent links, admits the capacity it needs on every
 * parent link it crosses (constant and controlled classes must fit in the
 * parent's unreserved guaranteed capacity there), and only then creates the
 * network's arbitrator classes, routelet nodes, ports, label-switching entries,
 * addresses and routes. A Spawn() that throws leaves everything as it was.
 * Teardown() removes children first, drops queued packets with a traced
 * reason, returns every reservation and disposes of the routelets.
 *
 * Network ids are the labels of the Genesis shim; they are allocated in
 * creation order by the root, so the same program gives the same ids.
 */
class VirtualNetwork : public Object
{
  public:
    /// Life-cycle state.
    enum State
    {
        DEFINED,  //!< described, not running
        SPAWNED,  //!< running
        TORN_DOWN //!< removed; cannot be spawned again
    };

    /// How the spawn routes the routelets (without a routing helper of the user's).
    enum RoutingMode
    {
        SHARED_ROUTES, //!< GenesisRouteletRouting over one table per network
        STATIC_ROUTES  //!< Ipv4StaticRouting, one route per (routelet, remote subnet)
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualNetwork();
    ~VirtualNetwork() override;

    /// \return the network id (0 for the root; the shim label of this network otherwise)
    uint16_t GetId() const;
    /// \return the network name
    std::string GetName() const;
    /// \return the parent network (null for the root)
    Ptr<VirtualNetwork> GetParent() const;
    /// \return the root network
    Ptr<VirtualNetwork> GetRoot() const;
    /// \return the nesting depth (0 for the root)
    uint32_t GetDepth() const;
    /// \return the label stack of this network (empty for the root)
    const std::vector<uint16_t>& GetLabels() const;
    /// \return the life-cycle state
    State GetState() const;
    /// \return the capacity class of this network in its parent
    ArbitratorQueueDiscClass::CapacityClass GetCapacityClass() const;
    /// \return the default rate of the network's links
    DataRate GetRate() const;
    /// \return the children of this network
    const std::vector<Ptr<VirtualNetwork>>& GetChildren() const;
    /// \return the routelets of this network, in the order they were added
    const std::vector<Ptr<Routelet>>& GetRoutelets() const;
    /// \return the links of this network, in the order they were added
    const std::vector<Ptr<VirtualLink>>& GetLinks() const;
    /// \return the routelet of this network on \p host, or null
    Ptr<Routelet> GetRoutelet(Ptr<Node> host) const;
    /// \return the first address of the network's address space (Ipv4Base)
    Ipv4Address GetAddressBase() const;
    /// \return the mask of the network's address space (Ipv4Mask)
    Ipv4Mask GetAddressMask() const;
    /// \return the non-shim address ranges declared with AddAddressRange
    const std::vector<std::pair<Ipv4Address, Ipv4Mask>>& GetAddressRanges() const;
    /// \return MaxChildren: most children of this network running at once
    uint32_t GetMaxChildren() const;
    /// \return MaxDepth: nesting levels allowed below this network
    uint32_t GetMaxDepth() const;
    /// \return MaxChildRate: largest per-link rate a child may ask (0: unlimited)
    DataRate GetMaxChildRate() const;
    /// \return the number of children in state SPAWNED
    uint32_t GetNRunningChildren() const;
    /**
     * \brief Check the policy of every ancestor against this (defined) network.
     *
     * MaxChildren of the parent (running children), MaxDepth of every ancestor
     * (levels below it), MaxChildRate of the parent (every link's rate).
     * \return every violation, one message each (empty: admitted by policy)
     */
    std::vector<std::string> CheckPolicy() const;

    /**
     * \brief Define a child network.
     * \param name unique name among all networks of the simulation
     * \return the child, in state DEFINED
     * \throws GenesisError on an empty or duplicate name, too deep nesting,
     *         or a parent that is torn down
     */
    Ptr<VirtualNetwork> CreateChild(const std::string& name);

    /**
     * \brief Set the capacity class by name.
     * \param name "constant", "controlled" or "best-effort"
     * \throws GenesisError for an unknown class name
     */
    void SetCapacityClassByName(const std::string& name);

    /**
     * \brief Place a routelet of this (defined) network on a physical node.
     * \param host a node on which the parent network has a routelet
     * \return the routelet
     * \throws GenesisError when the node has no parent routelet, already has
     *         a routelet of this network, or the network is not DEFINED
     */
    Ptr<Routelet> AddRoutelet(Ptr<Node> host);
    /**
     * \brief Place a routelet on the node with id \p nodeId.
     * \throws GenesisError also when no such node exists
     */
    Ptr<Routelet> AddRoutelet(uint32_t nodeId);

    /**
     * \brief Connect two routelets of this network by a virtual link.
     * \param a end A
     * \param b end B
     * \param rate capacity reserved on every parent link crossed (0: the
     *        network's Rate attribute)
     * \param via parent hosts the link must pass, in order (empty: shortest path)
     * \return the link
     * \throws GenesisError on foreign or equal routelets, a negative rate or
     *         a non-DEFINED network
     */
    Ptr<VirtualLink> AddLink(Ptr<Routelet> a,
                             Ptr<Routelet> b,
                             DataRate rate = DataRate(0),
                             std::vector<Ptr<Node>> via = {});

    /**
     * \brief The IPv4 routing of the network's routelets.
     *
     * By default routelets get a GenesisRouteletRouting (an Ipv4StaticRouting
     * that also looks up the network's shared route table; RoutingMode static:
     * plain Ipv4StaticRouting) and Spawn() installs shortest-path routes of
     * the child topology. With a helper given here
     * (e.g. RipHelper, OlsrHelper, or an Ipv4ListRoutingHelper) the routelets
     * run that protocol instead and no static routes are installed.
     * \param helper the routing helper (copied)
     * \throws GenesisError when the network is not DEFINED
     */
    void SetRoutingHelper(const Ipv4RoutingHelper& helper);

    /**
     * \brief Admit IPv4 traffic of hosts that do not speak the Genesis shim.
     *
     * Packets whose source or destination lies in the range are scheduled in
     * this network's capacity class (through every ancestor's class) on every
     * physical device where the network holds a slice: the paper's way of
     * virtualising a child on its address space (the Cellular IP case). The
     * range must not overlap a sibling's declared range exactly.
     * \param prefix network address
     * \param mask contiguous mask
     * \throws GenesisError for a non-contiguous mask or a non-DEFINED network
     */
    void AddAddressRange(Ipv4Address prefix, Ipv4Mask mask);

    /**
     * \brief The network's own output scheduler, with attributes.
     *
     * Overrides the Scheduler attribute: on every parent device the network
     * uses, its arbitrator's own class holds a queue disc made by this factory.
     * \param factory a factory of a QueueDisc TypeId
     * \throws GenesisError when the TypeId is not a QueueDisc or the network is not DEFINED
     */
    void SetSchedulerFactory(const ObjectFactory& factory);
    /// \return the factory of the network's own scheduler
    ObjectFactory GetSchedulerFactory() const;

    /**
     * \brief A scheduler module scoped to some ports: on the parent devices the
     * matching ports send on (the first hop of their direction), the network's
     * own queue disc is made by \p factory instead of the network's scheduler.
     * When several ports with different modules send on one device, the most
     * specific module wins (routelet and link > link > routelet > network),
     * the later one among equals.
     * \param routelet the routelet (null: every routelet)
     * \param link the link (null: every link)
     * \param factory a QueueDisc factory
     */
    void AddPortScheduler(Ptr<Routelet> routelet,
                          Ptr<VirtualLink> link,
                          const ObjectFactory& factory);

    /**
     * \brief A processor or classifier module on the matching ports.
     *
     * A QueueDisc (shaper, policer, AQM) becomes the root queue disc of the
     * port on its routelet node: it sees the child's IPv4 packets the routelet
     * sends on that port, before encapsulation. A PacketFilter is added to that
     * port queue disc when there is one, else to the network's own scheduler on
     * the parent device the port sends on (it classifies there).
     * \param routelet the routelet (null: every routelet)
     * \param link the link (null: every link)
     * \param factory a factory of a QueueDisc or PacketFilter TypeId
     */
    void AddPortModule(Ptr<Routelet> routelet, Ptr<VirtualLink> link, const ObjectFactory& factory);

    /// An end host attached to a routelet by a label-switched access link.
    struct EndHost
    {
        std::string name;       //!< name
        Ptr<Node> node;         //!< the host's own node (keeps its own stack)
        Ptr<Routelet> routelet; //!< routelet it attaches to
        Ipv4Address address;    //!< its address (0.0.0.0 until allocated)
        Ptr<VirtualLink> link;  //!< the access link (end A: routelet, end B: host)
        Ptr<Routelet> hostEnd;  //!< the host's end of the access link
        int32_t ifIndex{-1};    //!< IPv4 interface of the access port on the host
    };

    /**
     * \brief Attach an end host when the network spawns.
     *
     * The host node (a node of the parent network, not the routelet's own
     * node) gets an access port on its own IPv4 stack, with \p address in the
     * network's address space and a route to the whole space through the
     * routelet. The access link is admitted and reserved like any link.
     * \param name a name
     * \param node the host node
     * \param routelet the routelet it attaches to
     * \param address its address (0.0.0.0: allocate one)
     * \param rate the access link's rate (0: the network's Rate)
     * \throws GenesisError on a non-DEFINED network, a foreign routelet or a duplicate name
     */
    void AddEndHost(const std::string& name,
                    Ptr<Node> node,
                    Ptr<Routelet> routelet,
                    Ipv4Address address = Ipv4Address::GetAny(),
                    DataRate rate = DataRate(0));
    /// \return the end hosts
    const std::vector<EndHost>& GetEndHosts() const;

    /// \brief Add a member node (membership; an empty membership admits everyone).
    void AddMember(Ptr<Node> node);
    /// \brief Admit traffic whose IPv4 source lies in the prefix.
    void AddMemberPrefix(Ipv4Address prefix, Ipv4Mask mask);
    /// \return true when a membership is declared
    bool HasMembership() const;
    /**
     * \param node the sending node
     * \param source the packet's IPv4 source
     * \return true when the node or the source is a member (or no membership is declared)
     */
    bool IsMember(Ptr<Node> node, Ipv4Address source) const;

    /**
     * \name Spawn phases
     * Spawn() runs them in order; a spawner running them over time (control
     * messages as packets) calls them itself. Any phase that throws has
     * changed nothing of its own; SpawnAbort() undoes the earlier ones.
     * @{
     */
    /// Checks, policy, path resolution, admission and reservation on every parent device.
    void SpawnReserve();
    /// \return the distinct node ids that host this network's routelets, in routelet order
    std::vector<uint32_t> GetConstructHosts() const;
    /// Build the routelets hosted on node \p hostNodeId (nodes, stacks, forwarder).
    void SpawnConstruct(uint32_t hostNodeId);
    /// Bind links (ports, label switching, addresses), end hosts, port modules and routes.
    void SpawnBind();
    /// Mark the network running and fire "Spawned".
    void SpawnCommit();
    /// Undo every phase done so far; the network is DEFINED again, as before SpawnReserve.
    void SpawnAbort();
    /// \return true between SpawnReserve() and SpawnCommit()/SpawnAbort()
    bool IsSpawning() const;
    /** @} */

    /**
     * \brief Build the network now (transactional).
     * \throws GenesisError when the network cannot be admitted or built;
     *         nothing has changed then
     */
    void Spawn();

    /**
     * \brief Tear the network and all its descendants down now.
     */
    void Teardown();

    /**
     * \brief Change the rate of a link of a running network (re-provisioning).
     * The reservation on every parent link it crosses changes; queued packets
     * are kept.
     * \throws GenesisError when the new rate is not admitted (nothing changes)
     */
    void SetLinkRate(Ptr<VirtualLink> link, DataRate rate);

    /// What happens to the packets queued in a module replaced at run time.
    enum QueuedPackets
    {
        KEEP_QUEUED, //!< moved into the new module, in the old one's order
        DROP_QUEUED  //!< dropped (counted and traced as drops)
    };

    /**
     * \brief Replace the network's own scheduler on every parent device it uses,
     * while it runs (architecting, paper §V-C-2).
     *
     * Each device's new scheduler is made by \p factory; the network keeps its
     * allocation. Queued packets are kept or dropped (\p queued; see
     * ArbitratorQueueDisc::ReplaceNetworkQueueDisc). Packet filters of the old
     * scheduler (e.g. DiffServ agreements) move to the new one when it has the
     * same type (an attribute change), and are left behind otherwise. Per-port
     * scheduler modules of the profile are replaced too. Fires Changed.
     *
     * \param factory makes the new scheduler (a QueueDisc, not an arbitrator)
     * \param queued what happens to queued packets
     * \return the number of queued packets dropped
     * \throws GenesisError when the network is not running or the type is not a
     *         QueueDisc; nothing changes then
     */
    uint32_t ReplaceScheduler(const ObjectFactory& factory, QueuedPackets queued);

    /**
     * \brief Replace the queue disc of routelet ports (a processor module), while
     * the network runs.
     *
     * Ports that have no queue disc get one. Queued packets are kept (moved
     * into the new disc and transmission restarted) or dropped. Packet filters
     * move as for ReplaceScheduler. Fires Changed.
     *
     * \param routelet the routelet whose ports change (null: every routelet)
     * \param link the link whose ports change (null: every link)
     * \param factory makes the new queue discs
     * \param queued what happens to queued packets
     * \return the number of queued packets dropped
     * \throws GenesisError when the network is not running, the type is not a
     *         QueueDisc, or no port matches; nothing changes then
     */
    uint32_t ReplacePortQueueDisc(Ptr<Routelet> routelet,
                                  Ptr<VirtualLink> link,
                                  const ObjectFactory& factory,
                                  QueuedPackets queued);

    /**
     * \brief Report a run-time change of this network (fires Changed, which the
     * run database records). Used by the timeline for attribute changes.
     * \param kind what kind of change ("set", "replace-scheduler", ...)
     * \param target what changed (a Config path, a module)
     * \param oldValue the value before
     * \param newValue the value after
     */
    void NotifyChanged(const std::string& kind,
                       const std::string& target,
                       const std::string& oldValue,
                       const std::string& newValue);

    /**
     * \brief This network's arbitrator on a physical device.
     * \param dev a physical device
     * \return the arbitrator, or null when the network does not use the device
     */
    Ptr<ArbitratorQueueDisc> GetArbitrator(Ptr<NetDevice> dev) const;
    /// \return the guaranteed capacity this network reserved in its parent on \p dev
    DataRate GetReservedRate(Ptr<NetDevice> dev) const;
    /// \return the number of physical devices on which the network has a class
    std::size_t GetNSlices() const;
    /**
     * \param i index in [0, GetNSlices())
     * \return this network's arbitrator on its i-th device (ordered by node id, device index)
     */
    Ptr<ArbitratorQueueDisc> GetArbitratorAt(std::size_t i) const;
    /**
     * \param i index in [0, GetNSlices())
     * \return the physical device of the i-th slice (same order as GetArbitratorAt), or null
     */
    Ptr<NetDevice> GetSliceDevice(std::size_t i) const;

    /**
     * \brief Re-provision this network's guaranteed capacity on one parent
     * device (the maestro's path, paper §V-C-4): the class rate in the
     * parent's arbitrator and this network's arbitrator LinkRate there become
     * \p rate; queued packets are kept. Link rates are not changed (a slice
     * may differ from the sum of the link rates crossing it afterwards).
     * \param dev a device on which the network holds a slice
     * \param rate the new guaranteed rate (> 0)
     * \throws GenesisError for a network that is not SPAWNED or not guaranteed,
     *         a device without a slice, a zero rate, a raise above the parent's
     *         unreserved capacity there or a cut below what this network's own
     *         children reserved there; nothing changes then
     */
    void SetSliceRate(Ptr<NetDevice> dev, DataRate rate);

    /// \return the network named \p name in the whole tree, or null
    Ptr<VirtualNetwork> FindNetwork(const std::string& name) const;
    /// \return the network with id \p id in the whole tree, or null
    Ptr<VirtualNetwork> FindNetwork(uint16_t id) const;

    /// A directed adjacency of this network, used to map child links onto it.
    struct Edge
    {
        Ptr<Node> from;                             //!< host of the sending routelet
        Ptr<Node> to;                               //!< host of the receiving routelet
        std::vector<VirtualLink::PhysicalHop> hops; //!< physical hops, in order
    };

    /// \return the directed adjacencies between this network's routelets
    std::vector<Edge> GetEdges() const;

    /**
     * \return the routes the spawn computed for all routelets, shared by their
     * GenesisRouteletRouting (RoutingMode shared); null before the spawn, after
     * the teardown, in static mode or with a routing helper of the user's
     */
    Ptr<const GenesisRouteletTable> GetRouteTable() const;

    /// \cond internal
    // Used by GenesisHelper to make the root network.
    void InitRoot(const std::string& name);
    void AddRootNode(Ptr<Node> node,
                     Ptr<NetDevice> dev,
                     Ptr<ArbitratorQueueDisc> arb,
                     DataRate rate);
    /// \endcond

    /**
     * \brief Report a spawn refused at its scheduled time (fires "SpawnFailed").
     * \param reason the error message
     */
    void NotifySpawnFailed(const std::string& reason);

    /// TracedCallback signature for life-cycle events.
    typedef void (*NetworkTracedCallback)(Ptr<VirtualNetwork>);
    /// TracedCallback signature for re-provisioning: network, link, new rate.
    typedef void (*ReprovisionedTracedCallback)(Ptr<VirtualNetwork>, Ptr<VirtualLink>, DataRate);
    /// TracedCallback signature for membership drops: packet, reason.
    typedef void (*MembershipDropTracedCallback)(Ptr<const Packet>, const std::string&);
    /// TracedCallback signature for refused spawns: network, reason.
    typedef void (*SpawnFailedTracedCallback)(Ptr<VirtualNetwork>, const std::string&);
    /// TracedCallback signature for run-time changes: network, kind, target, old, new.
    typedef void (*ChangedTracedCallback)(Ptr<VirtualNetwork>,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&);

  protected:
    void DoDispose() override;

  private:
    /// The network's share of one physical device.
    struct Slice
    {
        Ptr<NetDevice> dev;              //!< the device
        Ptr<ArbitratorQueueDisc> arb;    //!< this network's arbitrator there
        Ptr<ArbitratorQueueDisc> parent; //!< the parent's arbitrator holding it
        DataRate reserved;               //!< guaranteed capacity reserved there
    };

    typedef std::pair<uint32_t, uint32_t> DevKey; //!< (node id, device index)
    static DevKey Key(Ptr<NetDevice> dev);

    bool IsGuaranteed() const;
    void CheckDefined(const std::string& what) const;
    std::vector<Ptr<VirtualLink>> AllLinks() const;
    void CheckSpawnable() const;
    Ptr<QueueDisc> MakeScheduler(const DevKey& key,
                                 const std::vector<std::vector<VirtualLink::PhysicalHop>>& hops,
                                 const std::vector<Ptr<VirtualLink>>& links) const;
    void BuildEndHosts();
    void ApplyPortModules();
    void Unbuild();
    bool AdmitFromHost(std::size_t host, Ptr<const Packet> packet);
    static VirtualLink::PhysicalHop Reverse(const VirtualLink::PhysicalHop& h);
    static Ptr<Ipv4Route> MakeRoute(const VirtualLink::PhysicalHop& h);
    void BuildRoutelets(uint32_t hostNodeId);
    void BuildLinks();
    void PopulateRoutes();
    void PopulateSharedRoutes();
    void Register(Ptr<VirtualNetwork> n);
    uint32_t AllocateLinkId();

    std::string m_name;                              //!< name
    uint16_t m_id;                                   //!< network id / label
    Ptr<VirtualNetwork> m_parent;                    //!< parent
    uint32_t m_depth;                                //!< nesting depth
    std::vector<uint16_t> m_labels;                  //!< label stack
    State m_state;                                   //!< life-cycle state
    ArbitratorQueueDiscClass::CapacityClass m_class; //!< capacity class
    DataRate m_rate;                                 //!< default link rate
    double m_share;                                  //!< best-effort share
    uint32_t m_burst;                                //!< constant-class bucket depth
    std::string m_scheduler;                         //!< own output scheduler TypeId
    Ipv4Address m_ipv4Base;                          //!< address space
    Ipv4Mask m_ipv4Mask;                             //!< address space mask
    bool m_installStack;                             //!< install an IPv4 stack on routelets
    std::vector<Ptr<VirtualNetwork>> m_children;     //!< children
    std::vector<Ptr<Routelet>> m_routelets;          //!< routelets
    std::unordered_map<uint32_t, Ptr<Routelet>> m_routeletByHost; //!< host node id -> routelet
    std::vector<Ptr<VirtualLink>> m_links;                        //!< links
    std::map<DevKey, Slice> m_slices;                             //!< per-device shares
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> m_ranges;       //!< non-shim address ranges
    std::shared_ptr<Ipv4RoutingHelper> m_routing; //!< routing of the routelets (null: static)
    RoutingMode m_routingMode;                    //!< shared table or static routes
    Ptr<GenesisRouteletTable> m_routeTable;       //!< the spawn's routes (shared mode)
    ObjectFactory m_schedulerFactory;             //!< own scheduler (set: overrides m_scheduler)
    bool m_hasSchedulerFactory;                   //!< m_schedulerFactory was set

    /// A module scoped to ports.
    struct PortModule
    {
        Ptr<Routelet> routelet; //!< null: every routelet
        Ptr<VirtualLink> link;  //!< null: every link
        ObjectFactory factory;  //!< what to make
    };

    std::vector<PortModule> m_portSchedulers; //!< scheduler modules per port
    std::vector<PortModule> m_portModules;    //!< processors and classifiers per port
    std::vector<EndHost> m_endHosts;          //!< end hosts
    std::set<uint32_t> m_memberNodes;         //!< membership: node ids
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> m_memberPrefixes; //!< membership: prefixes
    bool m_hasMembership;                                           //!< a membership was declared

    struct Pending;                     //!< state of a spawn in progress
    std::unique_ptr<Pending> m_pending; //!< non-null between SpawnReserve and commit/abort
    TracedCallback<Ptr<const Packet>, const std::string&> m_membershipDropTrace; //!< edge drops
    uint32_t m_maxChildren;  //!< policy: running children at most
    uint32_t m_maxDepth;     //!< policy: levels below this network
    DataRate m_maxChildRate; //!< policy: per-link rate of a child (0: any)

    /// A range mapping installed in an ancestor's (or the root's) arbitrator.
    struct RangeEntry
    {
        Ptr<ArbitratorQueueDisc> arb; //!< where
        Ipv4Address prefix;           //!< range
        Ipv4Mask mask;                //!< range mask
        uint32_t label;               //!< class id it maps to there
    };

    std::vector<RangeEntry> m_rangeEntries; //!< installed range mappings
    void InstallRanges();
    void RemoveRangeEntries();

    // Registry, used in the root only.
    uint16_t m_nextNetworkId;                           //!< next network id
    uint32_t m_nextLinkId;                              //!< next link id
    std::map<uint16_t, Ptr<VirtualNetwork>> m_registry; //!< all networks by id

    TracedCallback<Ptr<VirtualNetwork>> m_spawnedTrace;                         //!< spawned
    TracedCallback<Ptr<VirtualNetwork>> m_tornDownTrace;                        //!< torn down
    TracedCallback<Ptr<VirtualNetwork>, const std::string&> m_spawnFailedTrace; //!< refused
    TracedCallback<Ptr<VirtualNetwork>> m_childCreatedTrace; //!< a child was defined
    TracedCallback<Ptr<VirtualNetwork>, Ptr<VirtualLink>, DataRate> m_reprovisionedTrace; //!< rate
    /// run-time changes: network, kind, target, old value, new value
    TracedCallback<Ptr<VirtualNetwork>,
                   const std::string&,
                   const std::string&,
                   const std::string&,
                   const std::string&>
        m_changedTrace;
};

} // namespace ns3

#endif /* VIRTUAL_NETWORK_H */
