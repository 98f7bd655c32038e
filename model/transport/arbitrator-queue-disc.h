/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The output-port arbitrator of the Genesis Kernel (§V-C-4): a hierarchical
 * WF2Q+ queue disc with one capacity class per child network.
 */
#ifndef GENESIS_ARBITRATOR_QUEUE_DISC_H
#define GENESIS_ARBITRATOR_QUEUE_DISC_H

#include "arbitrator-queue-disc-class.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/queue-disc.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <boost/intrusive/set.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class GenesisLabelFilter;

/**
 * \ingroup genesis
 *
 * \brief Hierarchical WF2Q+ arbitrator: divides a link (or the slice of a link
 * given to a network) among child networks by capacity class.
 *
 * Scheduler: WF2Q+ (J. C. R. Bennett and H. Zhang, "Hierarchical packet fair
 * queueing algorithms", IEEE/ACM Trans. Networking 5(5), 1997). Each class i
 * has a weight w_i (bit/s) and share phi_i = w_i / W, W = sum of all weights.
 * On arrival to an idle class S_i = max(F_i, V), after each departure
 * S_i = F_i, and F_i = S_i + L_i / w_i. The system virtual time is
 * V = max(V + L / W, min S over backlogged classes) (the normalised form of
 * the paper scaled by 1/W, as in dummynet's WF2Q+, so that a weight change
 * touches only the classes whose weight changed); the packet served is the one
 * with the smallest F among the eligible classes (S_i <= V). Two intrusive
 * red-black trees (ineligible by S, eligible by F) make every packet
 * O(log n) with no allocation. Hierarchy is obtained by nesting arbitrators
 * (a class whose child disc is another ArbitratorQueueDisc).
 *
 * Weights: CONSTANT and CONTROLLED classes weigh their Rate; BEST_EFFORT
 * classes share LinkRate - sum(guaranteed) in proportion to their Share (with
 * a floor of 1e-6 of LinkRate so they never weigh zero). A CONSTANT class is
 * also capped by a token bucket (Rate, Burst): its head packet is not
 * eligible until the bucket holds its size, so it never exceeds its peak rate
 * even on an idle link. The root arbitrator schedules QueueDisc::Run on
 * itself when such a class becomes servable (nested arbitrators cannot
 * transmit; their parent pulls GetNextWakeTime()).
 *
 * Head-of-line sizes come from the child's Peek(). ns-3's default
 * QueueDisc::DoPeek dequeues the packet and holds it in the child (as Linux
 * HFSC's qdisc_peek_len does), so an AQM child sees the dequeue a little early.
 * A nested arbitrator on the fast path (one class, no token bucket; e.g. a
 * child network's scheduler in its parent's class) is looked through: its
 * parent peeks its class's disc, without dequeuing.
 *
 * Classification: the packet filters (by default one GenesisLabelFilter on
 * label index Depth) return a network id; an id without a class, or no
 * match, goes to the own-network class (OwnNetworkId). Unknown ids are
 * counted and traced (Misclassified).
 *
 * ns-3.37 offers no way to remove a class from a QueueDisc, so the arbitrator
 * keeps its own class storage and wires each child disc the way
 * QueueDisc::AddQueueDiscClass does (see the .cc: the only access to two
 * private QueueDisc members). GetNQueueDiscClasses() therefore returns 0; use
 * GetNClasses() / GetNetworkClass().
 */
class ArbitratorQueueDisc : public QueueDisc
{
  public:
    /// Capacity class (alias of ArbitratorQueueDiscClass::CapacityClass)
    using CapacityClass = ArbitratorQueueDiscClass::CapacityClass;

    /// Drop reason of packets still queued when their network is torn down
    static constexpr const char* NETWORK_TORN_DOWN = "Network torn down";
    /// Drop reason of packets queued in a scheduler that was replaced with DROP.
    static constexpr const char* SCHEDULER_REPLACED = "Scheduler replaced";

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ArbitratorQueueDisc();
    ~ArbitratorQueueDisc() override;

    /**
     * \brief Add a class for a child network.
     *
     * \param networkId network id (the classification result for its packets)
     * \param cc capacity class
     * \param rate peak (CONSTANT) or guaranteed (CONTROLLED) rate; ignored for BEST_EFFORT
     * \param share best-effort share (> 0); ignored for CONSTANT and CONTROLLED
     * \param child the child network's scheduler (another arbitrator when nested)
     * \return the new class
     * \throws GenesisError on a duplicate id, a zero rate, a non-positive share,
     *         guaranteed rates above LinkRate, a null child, a nesting cycle or a
     *         child already attached elsewhere; nothing changes then.
     */
    Ptr<ArbitratorQueueDiscClass> AddNetworkClass(uint32_t networkId,
                                                  CapacityClass cc,
                                                  DataRate rate,
                                                  double share,
                                                  Ptr<QueueDisc> child);

    /**
     * \brief Tear down a child network's class: every packet queued in it (whole
     * subtree) is dropped with reason NETWORK_TORN_DOWN, the child disc is
     * disconnected and disposed, and the capacity returns to the pool exactly.
     * \param networkId the network id
     * \throws GenesisError for an unknown id or the own-network class
     */
    void RemoveNetworkClass(uint32_t networkId);

    /**
     * \brief Replace the scheduler (child queue disc) of a network's class at run
     * time (paper §V-C-2, architecting).
     *
     * The class keeps its allocation and its WF2Q+ and token-bucket state. The
     * packets queued in the old scheduler are dequeued from it in its order;
     * with \p keepQueued they are enqueued into the new one (which may drop
     * some by its own rules, traced as its drops), otherwise they are dropped
     * with reason SCHEDULER_REPLACED (ClassDrop and DropAfterDequeue). The old
     * scheduler is disposed. A class that holds a nested arbitrator (a network
     * with children) is not replaced: replace the network's own class inside
     * the nested arbitrator instead.
     *
     * \param networkId the network id
     * \param disc the new scheduler (a new QueueDisc, not an arbitrator)
     * \param keepQueued true to move the queued packets into \p disc
     * \return the number of queued packets that were dropped (by the replacement
     *         or, with \p keepQueued, refused by the new scheduler)
     * \throws GenesisError for an unknown id, a null or unusable \p disc, or a
     *         class holding a nested arbitrator; nothing changes then
     */
    uint32_t ReplaceNetworkQueueDisc(uint32_t networkId, Ptr<QueueDisc> disc, bool keepQueued);

    /**
     * \brief Change a class's allocation; queued packets are kept.
     * \param networkId the network id
     * \param cc new capacity class
     * \param rate new rate (CONSTANT / CONTROLLED)
     * \param share new share (BEST_EFFORT)
     * \throws GenesisError if refused; nothing changes then
     */
    void Reprovision(uint32_t networkId, CapacityClass cc, DataRate rate, double share);
    /// \brief Reprovision only the rate. \param networkId id \param rate new rate
    void SetNetworkRate(uint32_t networkId, DataRate rate);
    /// \brief Reprovision only the share. \param networkId id \param share new share
    void SetNetworkShare(uint32_t networkId, double share);
    /// \brief Reprovision only the capacity class. \param networkId id \param cc new class
    void SetCapacityClass(uint32_t networkId, CapacityClass cc);

    /// \return sum of the CONSTANT and CONTROLLED rates
    DataRate GetGuaranteedRate() const;
    /// \return LinkRate - GetGuaranteedRate()
    DataRate GetResidualRate() const;
    /// \param networkId id \return true if the network has a class here
    bool HasNetworkClass(uint32_t networkId) const;
    /// \param networkId id \return its class, or null
    Ptr<ArbitratorQueueDiscClass> GetNetworkClass(uint32_t networkId) const;
    /// \param networkId id \return bytes queued in its class (0 if unknown)
    uint32_t GetClassBacklogBytes(uint32_t networkId) const;
    /// \return number of classes (own class included)
    std::size_t GetNClasses() const;
    /// \param i index in insertion order \return the class
    Ptr<ArbitratorQueueDiscClass> GetClass(std::size_t i) const;
    /// \return number of packets classified to an id that has no class
    uint64_t GetNMisclassified() const;

    /// \param rate the capacity this arbitrator divides \throws GenesisError if below guaranteed
    void SetLinkRate(DataRate rate);
    /// \return the capacity this arbitrator divides
    DataRate GetLinkRate() const;
    /// \return nesting depth of the network this arbitrator belongs to
    uint32_t GetDepth() const;
    /// \return the parent arbitrator when nested, or null
    Ptr<ArbitratorQueueDisc> GetParentArbitrator() const;
    /// \return the current WF2Q+ system virtual time (bytes per bit/s of weight)
    double GetVirtualTime() const;
    /**
     * \return the earliest time a backlogged but currently unservable class
     *         (token-bucket or nested wait) becomes servable; Time::Max() if none
     */
    Time GetNextWakeTime() const;
    /// \return a short description naming this arbitrator, for messages
    std::string Describe() const;

    /// TracedCallback signature for per-class enqueue/dequeue
    typedef void (*ClassItemTracedCallback)(uint32_t networkId, Ptr<const QueueDiscItem> item);
    /// TracedCallback signature for per-class drops
    typedef void (*ClassDropTracedCallback)(uint32_t networkId,
                                            Ptr<const QueueDiscItem> item,
                                            const char* reason);
    /// TracedCallback signature for per-class backlog
    typedef void (*ClassBacklogTracedCallback)(uint32_t networkId, uint32_t bytes);
    /// TracedCallback signature for misclassified packets
    typedef void (*MisclassifiedTracedCallback)(int32_t result, Ptr<const QueueDiscItem> item);

  protected:
    void DoDispose() override;

  private:
    friend class ArbitratorQueueDiscClass;

    bool DoEnqueue(Ptr<QueueDiscItem> item) override;
    Ptr<QueueDiscItem> DoDequeue() override;
    /**
     * \brief The head packet of a class's disc.
     *
     * When the class's disc is an arbitrator on the fast path (one class, no
     * token bucket; e.g. a child network's scheduler in its parent's class),
     * its next packet is its own class's head: peek that (recursively)
     * instead of calling Peek() on the arbitrator, whose QueueDisc default
     * dequeues the packet and holds it.
     * \param c the class
     * \return the packet the class's next dequeue returns, or null
     */
    Ptr<const QueueDiscItem> PeekClass(ArbitratorQueueDiscClass* c) const;
    bool CheckConfig() override;
    void InitializeParams() override;

    /// Key extractors / comparators of the three trees
    struct ByStart
    {
        bool operator()(const ArbitratorQueueDiscClass& a, const ArbitratorQueueDiscClass& b) const
        {
            return a.m_start < b.m_start || (a.m_start == b.m_start && a.m_order < b.m_order);
        }
    };

    struct ByFinish
    {
        bool operator()(const ArbitratorQueueDiscClass& a, const ArbitratorQueueDiscClass& b) const
        {
            return a.m_finish < b.m_finish || (a.m_finish == b.m_finish && a.m_order < b.m_order);
        }
    };

    struct ByWake
    {
        bool operator()(const ArbitratorQueueDiscClass& a, const ArbitratorQueueDiscClass& b) const
        {
            return a.m_wake < b.m_wake || (a.m_wake == b.m_wake && a.m_order < b.m_order);
        }
    };

    /// Hook option shared by the three trees (a class is in at most one)
    using HookOption = boost::intrusive::member_hook<ArbitratorQueueDiscClass,
                                                     boost::intrusive::set_member_hook<>,
                                                     &ArbitratorQueueDiscClass::m_hook>;
    template <class Cmp>
    using Tree = boost::intrusive::set<ArbitratorQueueDiscClass,
                                       HookOption,
                                       boost::intrusive::compare<Cmp>,
                                       boost::intrusive::constant_time_size<false>>;

    // validation and bookkeeping
    void Validate(uint32_t networkId,
                  CapacityClass cc,
                  DataRate rate,
                  double share,
                  const ArbitratorQueueDiscClass* replacing) const;
    void RecomputeWeights();
    void UpdateFastPath();
    void AttachChild(ArbitratorQueueDiscClass* c, bool connect);
    void ClassChanged(ArbitratorQueueDiscClass* c);
    void Kick();
    void ChildKick(ArbitratorQueueDiscClass* c);
    void SetDraining(bool draining);
    void CreateOwnClass();

    // scheduling
    void Activate(ArbitratorQueueDiscClass* c);
    void Place(ArbitratorQueueDiscClass* c);
    void Unlink(ArbitratorQueueDiscClass* c);
    void Block(ArbitratorQueueDiscClass* c, int64_t wakeNs);
    void BlockEmptyHead(ArbitratorQueueDiscClass* c);
    void RefillTokens(ArbitratorQueueDiscClass* c, int64_t nowNs) const;
    void ReleaseBlocked(int64_t nowNs);
    void ScheduleRun(int64_t wakeNs);
    void WakeRun();
    Ptr<QueueDiscItem> DequeueDraining();

    // child drop/mark forwarding (called by ArbitratorQueueDiscClass)
    void ChildDropBeforeEnqueue(ArbitratorQueueDiscClass* c,
                                Ptr<const QueueDiscItem> item,
                                const char* reason);
    void ChildDropAfterDequeue(ArbitratorQueueDiscClass* c,
                               Ptr<const QueueDiscItem> item,
                               const char* reason);
    void ChildMark(ArbitratorQueueDiscClass* c, Ptr<const QueueDiscItem> item, const char* reason);

    // attributes
    DataRate m_linkRate;            //!< capacity divided among the classes
    uint32_t m_depth;               //!< nesting depth of the network this disc belongs to
    uint32_t m_ownNetworkId;        //!< id of the own-network class
    uint8_t m_protocol;             //!< IP protocol / next header of Genesis packets
    std::string m_ownQueueDiscType; //!< TypeId name of the default own-class child disc
    Time m_blockedRetry;            //!< re-peek interval for a child that returns nothing

    // classes
    std::vector<Ptr<ArbitratorQueueDiscClass>> m_classes;           //!< insertion order
    std::unordered_map<uint32_t, ArbitratorQueueDiscClass*> m_byId; //!< lookup by id
    ArbitratorQueueDiscClass* m_own;                                //!< own-network class
    ArbitratorQueueDiscClass* m_single; //!< the only class when the fast path is on, else null
    uint64_t m_guaranteedBps;           //!< sum of CONSTANT and CONTROLLED rates
    std::vector<ArbitratorQueueDiscClass*> m_beClasses; //!< the BEST_EFFORT classes
    double m_invWeightSum;                              //!< 1 / (sum of all class weights)
    uint64_t m_nextOrder;                               //!< next tie-break key
    Ptr<GenesisLabelFilter> m_autoFilter;               //!< filter added by CheckConfig, if any

    // WF2Q+ state
    Tree<ByStart> m_ineligible;  //!< backlogged classes with S > V
    Tree<ByFinish> m_eligible;   //!< backlogged classes with S <= V
    Tree<ByWake> m_blocked;      //!< backlogged classes waiting for tokens / a nested wake
    TracedValue<double> m_vtime; //!< system virtual time (bytes per bit/s of weight)
    bool m_draining;             //!< teardown in progress: serve anything, ignore tokens

    // tree
    ArbitratorQueueDisc* m_parent;           //!< parent arbitrator (non-owning) or null
    ArbitratorQueueDiscClass* m_parentClass; //!< our class in the parent, or null
    EventId m_wakeEvent;                     //!< pending self-Run (root only)
    uint64_t m_misclassified;                //!< packets with an id that has no class
    std::string m_childDropMsg;              //!< buffer for prefixed child drop reasons
    std::string m_childMarkMsg;              //!< buffer for prefixed child mark reasons

    // traces
    TracedCallback<uint32_t, Ptr<const QueueDiscItem>> m_traceClassEnqueue; //!< per-class enqueue
    TracedCallback<uint32_t, Ptr<const QueueDiscItem>> m_traceClassDequeue; //!< per-class dequeue
    TracedCallback<uint32_t, Ptr<const QueueDiscItem>, const char*> m_traceClassDrop; //!< drops
    TracedCallback<uint32_t, uint32_t> m_traceClassBacklog; //!< per-class backlog (bytes)
    TracedCallback<int32_t, Ptr<const QueueDiscItem>> m_traceMisclassified; //!< unknown ids
};

} // namespace ns3

#endif /* GENESIS_ARBITRATOR_QUEUE_DISC_H */
