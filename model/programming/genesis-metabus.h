/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_METABUS_H
#define GENESIS_METABUS_H

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class VirtualNetwork;
class Routelet;
class RouteletPort;
class VirtualLink;
class GenesisConfigDirectory;
class VirtualRouteletState;
class VirtualSpawningController;
class VirtualCompositionController;
class VirtualAllocationController;
class VirtualDatapathController;
struct GenesisSpawnPlan;

/**
 * \ingroup genesis
 *
 * \brief The metabus of one virtual network (paper §IV): a scoped registry of
 * the network's objects, its signalling channel, and the door to its binding
 * interface base.
 *
 * One bus per network, aggregated to the VirtualNetwork (Get() finds it).
 * The spawner creates it with Install() as a phase of the spawn transaction
 * and the teardown shuts it down (the bus also follows the network's
 * "TornDown" trace and Simulator::Destroy, so it never outlives either).
 *
 * **Registry.** Names are local to the bus: routelets ("r<hostNodeId>" by
 * default, or the names of the profile), their ports ("<routelet>/port<i>"),
 * links ("<a>-<b>" by default, or the profile's), the network's arbitrators
 * ("arbitrator/<node>/<device>") and whatever the network's programs
 * Register(). A name may be qualified with its network, "<network>:<name>".
 *
 * **Scope rule.** A bus hands out only objects of its own network. A lookup
 * qualified with another network's name, or an object of another network
 * passed to the bus or to one of its binding interfaces, is refused with a
 * GenesisError — whether the other network is a sibling, a parent, a child or
 * an unrelated network. The only way across is a *grant*: a network may
 * Grant() one of its registered objects to one of its descendants, which then
 * finds it on its own bus under "<granting network>:<name>". A child never
 * reaches its parent's objects otherwise, and nothing is ever granted upwards
 * or sideways.
 *
 * **Signals.** Publish() delivers a named signal with a packet payload to every
 * subscriber of that signal on this bus only, each in its own node's context
 * (Simulator::ScheduleWithContext, after SignalDelay), in subscription order.
 * No subscriber code runs in the publisher's event: delivery is an event of
 * the subscriber's node, as the MPI engine requires.
 *
 * **Config.** While the bus is active, the network is reachable at
 * /Genesis/Networks/<network>/ (this bus), with /Routelets/<name>/ (the
 * Routelet objects), /Links/<name>/ (the VirtualLink objects) and /Network/
 * (the VirtualNetwork). Shutdown() removes them: the paths stop matching.
 */
class GenesisMetabus : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisMetabus();
    ~GenesisMetabus() override;

    /**
     * \brief Create the metabus of \p net (idempotent).
     *
     * Routelets are named "r<hostNodeId>", links "<a>-<b>" (a numeric suffix
     * "#2", "#3" … separates parallel links).
     * \param net a network that is not torn down
     * \return its bus (the existing one when called again)
     * \throws GenesisError for a null or torn-down network, a network name that
     *         cannot be a Config path segment, or a name already used by
     *         another live network's bus in this simulation
     */
    static Ptr<GenesisMetabus> Install(Ptr<VirtualNetwork> net);
    /**
     * \brief Create the metabus of \p net naming routelets and links as the
     * verified profile does (routelets by host node id, links by their ends).
     * \param net the network
     * \param plan the plan the network was built from
     * \return its bus
     * \throws GenesisError as Install(Ptr<VirtualNetwork>)
     */
    static Ptr<GenesisMetabus> Install(Ptr<VirtualNetwork> net, const GenesisSpawnPlan& plan);
    /**
     * \param net a network
     * \return its bus, or null when none was installed
     */
    static Ptr<GenesisMetabus> Get(Ptr<VirtualNetwork> net);

    /**
     * \brief Shut the bus down: drop subscriptions and pending signals, empty
     * the registry, forget the binding interfaces and remove the network's
     * Config paths. Idempotent; called by the network's teardown.
     */
    void Shutdown();
    /// \return true until Shutdown()
    bool IsActive() const;

    /// \return the network of this bus (null after Shutdown())
    Ptr<VirtualNetwork> GetNetwork() const;
    /// \return the name of the network of this bus
    std::string GetNetworkName() const;

    // ------------------------------------------------------------ registry

    /**
     * \brief Register an object of this network under a local name.
     * \param name non-empty, without ':'
     * \param object the object
     * \throws GenesisError on an empty or duplicate name, a null object, an
     *         object already registered under another name, an object that
     *         belongs to another network (a Routelet, RouteletPort or
     *         VirtualLink of another network), or an inactive bus
     */
    void Register(const std::string& name, Ptr<Object> object);
    /**
     * \brief Remove a name.
     * \throws GenesisError when the name is not registered here
     */
    void Unregister(const std::string& name);
    /// \return true when \p name (local or qualified) resolves on this bus
    bool IsRegistered(const std::string& name) const;
    /**
     * \brief Look a name up.
     * \param name local ("r3") or qualified ("video:r3") name
     * \return the object
     * \throws GenesisError when the name is unknown here, or qualified with
     *         another network that did not grant it (cross-network lookup)
     */
    Ptr<Object> Lookup(const std::string& name) const;
    /**
     * \brief Look a name up and check its type.
     * \throws GenesisError as Lookup(), and when the object is not a T
     */
    template <class T>
    Ptr<T> Lookup(const std::string& name) const;
    /// \return every local name, sorted (granted names are not included)
    std::vector<std::string> GetNames() const;
    /**
     * \param object an object
     * \return its local name on this bus
     * \throws GenesisError when it is not registered here (in particular
     *         when it belongs to another network)
     */
    std::string GetNameOf(Ptr<Object> object) const;

    /**
     * \brief Make one of this network's registered objects visible on the bus
     * of a descendant network, as "<this network>:<name>".
     * \param descendant a child, grandchild … of this network, with a bus
     * \param name a local name of this bus
     * \throws GenesisError for a network that is not a descendant, a
     *         descendant without a bus, or an unknown name
     */
    void Grant(Ptr<VirtualNetwork> descendant, const std::string& name);

    /// \return the names of the network's routelets, in the network's order
    std::vector<std::string> GetRouteletNames() const;
    /// \return the names of the network's links, in the network's order
    std::vector<std::string> GetLinkNames() const;
    /// \throws GenesisError when \p name is not a routelet of this network
    Ptr<Routelet> GetRoutelet(const std::string& name) const;
    /// \throws GenesisError when \p name is not a link of this network
    Ptr<VirtualLink> GetLink(const std::string& name) const;
    /// \throws GenesisError when \p routelet is not a routelet of this network
    std::string GetRouteletName(Ptr<Routelet> routelet) const;
    /// \throws GenesisError when \p link is not a link of this network
    std::string GetLinkName(Ptr<VirtualLink> link) const;

    // ------------------------------------------------------------ binding interface base

    /// \return the VirtualRouteletState of a routelet of this network \throws GenesisError
    Ptr<VirtualRouteletState> GetRouteletState(const std::string& routelet);
    /// \copydoc GetRouteletState(const std::string&)
    Ptr<VirtualRouteletState> GetRouteletState(Ptr<Routelet> routelet);
    /// \return the VirtualDatapathController of a routelet \throws GenesisError
    Ptr<VirtualDatapathController> GetDatapathController(const std::string& routelet);
    /// \copydoc GetDatapathController(const std::string&)
    Ptr<VirtualDatapathController> GetDatapathController(Ptr<Routelet> routelet);
    /// \return the VirtualCompositionController of a routelet \throws GenesisError
    Ptr<VirtualCompositionController> GetCompositionController(const std::string& routelet);
    /// \copydoc GetCompositionController(const std::string&)
    Ptr<VirtualCompositionController> GetCompositionController(Ptr<Routelet> routelet);
    /// \return the network's VirtualSpawningController \throws GenesisError when inactive
    Ptr<VirtualSpawningController> GetSpawningController();
    /// \return the network's VirtualAllocationController \throws GenesisError when inactive
    Ptr<VirtualAllocationController> GetAllocationController();

    // ------------------------------------------------------------ signalling

    /**
     * Subscriber callback: signal name, payload (the subscriber's own copy),
     * name of the publishing routelet ("" when published by the network).
     */
    typedef Callback<void, std::string, Ptr<Packet>, std::string> SignalCallback;

    /**
     * \brief Subscribe a routelet of this network to a signal.
     * \param signal signal name (non-empty)
     * \param routelet name of the subscribing routelet; the callback runs in
     *        the context of its node
     * \param cb the callback
     * \return a subscription id for Unsubscribe()
     * \throws GenesisError for an empty signal name, a routelet that is not of
     *         this network or has no node, or an inactive bus
     */
    uint64_t Subscribe(const std::string& signal, const std::string& routelet, SignalCallback cb);
    /// \copydoc Subscribe(const std::string&,const std::string&,SignalCallback)
    uint64_t Subscribe(const std::string& signal, Ptr<Routelet> routelet, SignalCallback cb);
    /**
     * \brief Cancel a subscription; signals already scheduled for it are not delivered.
     * \param id a subscription id of this bus (unknown ids are ignored)
     */
    void Unsubscribe(uint64_t id);
    /**
     * \brief Publish a signal to this network's subscribers.
     * \param signal signal name
     * \param payload payload (each subscriber gets its own copy; null: empty)
     * \param from name of the publishing routelet of this network ("" for the network)
     * \return the number of deliveries scheduled
     * \throws GenesisError for a publisher that is not a routelet of this
     *         network, or an inactive bus
     */
    std::size_t Publish(const std::string& signal,
                        Ptr<const Packet> payload,
                        const std::string& from = "");
    /// \return the number of subscriptions
    std::size_t GetNSubscriptions() const;

    /// TracedCallback signature: name, object.
    typedef void (*RegistryTracedCallback)(const std::string& name, Ptr<Object> object);
    /// TracedCallback signature: signal, payload, publisher, subscriber routelet.
    typedef void (*SignalTracedCallback)(const std::string& signal,
                                         Ptr<const Packet> payload,
                                         const std::string& from,
                                         const std::string& to);
    /// TracedCallback signature: the bus that shut down.
    typedef void (*ShutdownTracedCallback)(Ptr<GenesisMetabus> bus);
    /// TracedCallback signature: what was refused, and why.
    typedef void (*RefusedTracedCallback)(const std::string& what, const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    friend class VirtualRouteletState;
    friend class VirtualSpawningController;
    friend class VirtualCompositionController;
    friend class VirtualAllocationController;
    friend class VirtualDatapathController;

    /// A subscription.
    struct Subscription
    {
        std::string signal;   //!< signal name
        std::string routelet; //!< subscriber routelet name
        uint32_t context;     //!< node id the callback runs on
        SignalCallback cb;    //!< callback
    };

    /// Per-routelet binding interfaces, created on first use.
    struct RouteletInterfaces
    {
        Ptr<VirtualRouteletState> state;               //!< state
        Ptr<VirtualDatapathController> datapath;       //!< datapath
        Ptr<VirtualCompositionController> composition; //!< composition
    };

    void Setup(Ptr<VirtualNetwork> net, const GenesisSpawnPlan* plan);
    void RegisterTransport();
    void OnSpawned(Ptr<VirtualNetwork> net);
    void OnTornDown(Ptr<VirtualNetwork> net);
    void Deliver(uint64_t id, std::string signal, Ptr<Packet> payload, std::string from);
    void CheckActive(const std::string& what) const;
    [[noreturn]] void Refuse(const std::string& what, const std::string& reason) const;
    /// \throws GenesisError when \p r is not a routelet of this network
    std::string CheckRouteletOfThisNetwork(Ptr<Routelet> r, const std::string& what) const;
    RouteletInterfaces& InterfacesOf(const std::string& routelet);

    Ptr<VirtualNetwork> m_network;                          //!< the network (null after Shutdown)
    std::string m_networkName;                              //!< its name (kept for messages)
    bool m_active;                                          //!< not shut down
    bool m_transportRegistered;                             //!< ports/arbitrators registered
    Time m_signalDelay;                                     //!< delay of signal delivery
    std::map<std::string, Ptr<Object>> m_registry;          //!< local names
    std::map<std::string, Ptr<Object>> m_granted;           //!< qualified granted names
    std::vector<std::string> m_routeletNames;               //!< routelet names in network order
    std::vector<std::string> m_linkNames;                   //!< link names in network order
    std::map<Routelet*, std::string> m_routeletName;        //!< routelet -> name
    std::map<VirtualLink*, std::string> m_linkName;         //!< link -> name
    std::map<std::string, RouteletInterfaces> m_interfaces; //!< per routelet
    Ptr<VirtualSpawningController> m_spawning;              //!< spawning controller
    Ptr<VirtualAllocationController> m_allocation;          //!< allocation controller
    uint64_t m_nextSubscription;                            //!< next subscription id
    std::map<uint64_t, Subscription> m_subscriptions;       //!< by id (= subscription order)
    Ptr<GenesisConfigDirectory> m_routeletDir;              //!< Config: /Routelets/<name>
    Ptr<GenesisConfigDirectory> m_linkDir;                  //!< Config: /Links/<name>

    TracedCallback<const std::string&, Ptr<Object>> m_registeredTrace;   //!< Register
    TracedCallback<const std::string&, Ptr<Object>> m_unregisteredTrace; //!< Unregister
    TracedCallback<const std::string&, Ptr<const Packet>, const std::string&, const std::string&>
        m_publishedTrace; //!< per scheduled delivery
    TracedCallback<const std::string&, Ptr<const Packet>, const std::string&, const std::string&>
        m_deliveredTrace;                                                  //!< per delivery
    TracedCallback<const std::string&, const std::string&> m_refusedTrace; //!< refusals
    TracedCallback<Ptr<GenesisMetabus>> m_shutdownTrace;                   //!< Shutdown
};

template <class T>
Ptr<T>
GenesisMetabus::Lookup(const std::string& name) const
{
    Ptr<Object> o = Lookup(name);
    Ptr<T> t = DynamicCast<T>(o);
    if (!t)
    {
        Refuse("lookup of '" + name + "'",
               "it is a " + o->GetInstanceTypeId().GetName() + ", not a " +
                   T::GetTypeId().GetName());
    }
    return t;
}

} // namespace ns3

#endif /* GENESIS_METABUS_H */
