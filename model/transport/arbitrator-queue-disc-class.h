/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One class of the output-port arbitrator: the slice of a parent link given to
 * one child virtual network (or to the parent's own traffic).
 */
#ifndef GENESIS_ARBITRATOR_QUEUE_DISC_CLASS_H
#define GENESIS_ARBITRATOR_QUEUE_DISC_CLASS_H

#include "ns3/data-rate.h"
#include "ns3/queue-disc.h"

#include <boost/intrusive/set_hook.hpp>
#include <cstdint>

namespace ns3
{

class ArbitratorQueueDisc;

/**
 * \ingroup genesis
 *
 * \brief A capacity class of an ArbitratorQueueDisc: one child network's share
 * of the link, holding the child network's own output scheduler as its queue
 * disc (or a nested ArbitratorQueueDisc when the child network has children).
 *
 * Attributes NetworkId, CapacityClass, Rate, Share and Burst describe the
 * allocation. Once the class is attached to an arbitrator, setting Rate,
 * Share or CapacityClass (by SetAttribute or Config::Set) goes through
 * ArbitratorQueueDisc::Reprovision: the change is admission-checked, the
 * weights are recomputed and queued packets are kept. A refused change throws
 * GenesisError out of SetAttribute / Config::Set and leaves everything as it
 * was. NetworkId cannot change while attached.
 *
 * The members below the public API are the WF2Q+ scheduling state; only
 * ArbitratorQueueDisc touches them.
 */
class ArbitratorQueueDiscClass : public QueueDiscClass
{
  public:
    /// Capacity classes of the Genesis Kernel paper (§V-A-4).
    enum CapacityClass
    {
        CONSTANT = 0,   //!< guaranteed peak rate, capped at it even on an idle link
        CONTROLLED = 1, //!< guaranteed average rate, may borrow idle capacity
        BEST_EFFORT = 2 //!< a share of the capacity left over, no guarantee
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ArbitratorQueueDiscClass();
    ~ArbitratorQueueDiscClass() override;

    /// \return the id of the network this class serves
    uint32_t GetNetworkId() const;
    /// \return the capacity class
    CapacityClass GetCapacityClass() const;
    /// \return the guaranteed (CONTROLLED) or peak (CONSTANT) rate; unused for BEST_EFFORT
    DataRate GetRate() const;
    /// \return the best-effort share (relative weight among best-effort classes)
    double GetShare() const;
    /// \return the token bucket depth of a CONSTANT class, in bytes
    uint32_t GetBurst() const;
    /// \return the WF2Q+ weight currently in force (bit/s, or share units if LinkRate is 0)
    double GetWeight() const;
    /// \return true while the class belongs to an arbitrator
    bool IsAttached() const;
    /// \return printable name of a capacity class ("constant", ...)
    static const char* CapacityClassName(CapacityClass cc);

  protected:
    void DoDispose() override;

  private:
    friend class ArbitratorQueueDisc;

    // attribute setters: go through the owner when attached
    void SetNetworkIdAttr(uint32_t id);
    void SetCapacityClassAttr(CapacityClass cc);
    void SetRateAttr(DataRate rate);
    void SetShareAttr(double share);
    void SetBurstAttr(uint32_t burst);

    // child queue disc drop/mark notifications, forwarded to the owner
    void ChildDropBeforeEnqueue(Ptr<const QueueDiscItem> item, const char* reason);
    void ChildDropAfterDequeue(Ptr<const QueueDiscItem> item, const char* reason);
    void ChildMark(Ptr<const QueueDiscItem> item, const char* reason);

    /// Scheduling state of a class inside its arbitrator
    enum State : uint8_t
    {
        IDLE,       //!< child empty (or not scheduled: fast path)
        INELIGIBLE, //!< backlogged, S > V: in the tree ordered by S
        ELIGIBLE,   //!< backlogged, S <= V: in the tree ordered by F
        BLOCKED     //!< backlogged but not servable before m_wake: tokens or nested wait
    };

    // allocation (attributes)
    uint32_t m_networkId;          //!< network id (classification result)
    CapacityClass m_capacityClass; //!< capacity class
    DataRate m_rate;               //!< guaranteed / peak rate
    double m_share;                //!< best-effort share
    uint32_t m_burst;              //!< token bucket depth (bytes), CONSTANT only

    // wiring
    ArbitratorQueueDisc* m_owner;  //!< arbitrator holding this class (non-owning), or null
    QueueDisc* m_disc;             //!< raw view of the child disc (owned by QueueDiscClass)
    ArbitratorQueueDisc* m_nested; //!< the child disc as an arbitrator, or null

    // WF2Q+ state
    boost::intrusive::set_member_hook<> m_hook; //!< link in one of the owner's trees
    State m_state;                              //!< scheduling state
    uint64_t m_order;                           //!< tie-break key (insertion order in the owner)
    double m_weight;                            //!< weight (bit/s)
    double m_invWeight;  //!< sum of all weights / m_weight (normalised 1/phi)
    double m_start;      //!< virtual start time of the head packet
    double m_finish;     //!< virtual finish time of the head packet
    uint32_t m_headLen;  //!< size of the head packet (0: not peeked)
    int64_t m_wake;      //!< BLOCKED until this time (ns)
    double m_tokens;     //!< token bucket fill (bytes), CONSTANT only
    int64_t m_tokenTime; //!< last token refill (ns)
};

} // namespace ns3

#endif /* GENESIS_ARBITRATOR_QUEUE_DISC_CLASS_H */
