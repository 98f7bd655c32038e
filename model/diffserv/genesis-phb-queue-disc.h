/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The DiffServ child network's output scheduler: per-hop behaviours EF, AF1x
 * to AF4x and default, as one ns-3 queue disc.
 */
#ifndef GENESIS_PHB_QUEUE_DISC_H
#define GENESIS_PHB_QUEUE_DISC_H

#include "genesis-meter.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/queue-disc.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <array>
#include <deque>
#include <list>
#include <string>

namespace ns3
{

class GenesisTrafficConditioner;

/**
 * \ingroup genesis
 *
 * \brief Counters of one PHB class or one codepoint of a GenesisPhbQueueDisc.
 */
struct GenesisPhbStats
{
    uint64_t enqueuedPackets{0}; //!< packets accepted
    uint64_t enqueuedBytes{0};   //!< bytes accepted
    uint64_t dequeuedPackets{0}; //!< packets sent on
    uint64_t dequeuedBytes{0};   //!< bytes sent on
    uint64_t earlyDrops{0};      //!< AF random early drops (avg between the thresholds)
    uint64_t forcedDrops{0};     //!< AF forced drops (avg at or above the max threshold)
    uint64_t limitDrops{0};      //!< queue limit drops (AF, BE)
    uint64_t rateDrops{0};       //!< EF drops: the EF queue overflowed behind the rate limit
    uint64_t policedDrops{0};    //!< dropped by the Conditioner before classification

    /// \return every drop
    uint64_t Drops() const
    {
        return earlyDrops + forcedDrops + limitDrops + rateDrops + policedDrops;
    }
};

/**
 * \ingroup genesis
 *
 * \brief Per-hop behaviour queue disc of a DiffServ network (RFC 2474, 2597,
 * 3246): the output scheduler of a DiffServ routelet port, as a root disc on
 * a device or as the child disc of the DiffServ network's class in an
 * ArbitratorQueueDisc.
 *
 * Six classes, each a FIFO internal queue:
 *  * **EF** (RFC 3246): strict priority over all others, limited by a token
 *    bucket (EfRate, EfBurst) so EF cannot starve them: the EF head is sent
 *    only when the bucket holds its size. That is non-work-conserving: when
 *    only EF is backlogged and out of tokens the disc returns nothing; as a
 *    root disc it schedules QueueDisc::Run for the instant the tokens suffice
 *    (as TbfQueueDisc does). A nested disc cannot transmit; its parent pulls
 *    it again (an ArbitratorQueueDisc re-peeks a child that has packets but
 *    gives none after its BlockedRetry; GetNextWakeTime() says when the EF
 *    head becomes sendable). EF overflow (EfMaxSize) is a "rate" drop.
 *  * **AF1..AF4** (RFC 2597): one FIFO per class (no reordering), three drop
 *    precedences with their own thresholds (AfMinTh1/AfMaxTh1/AfMaxP1 for
 *    AFx1 ... AfMinTh3/AfMaxTh3/AfMaxP3 for AFx3, in packets). Average queue:
 *    EWMA avg = (1 - QueueWeight) * avg + QueueWeight * q at every arrival,
 *    where q is the class's packet count (AfMode WRED) or, for precedence p,
 *    the count of packets of precedence <= p (AfMode RioCoupled: RIO-C). A
 *    packet of precedence p is dropped with probability
 *    AfMaxPp * (avg - AfMinThp) / (AfMaxThp - AfMinThp) when
 *    AfMinThp <= avg < AfMaxThp ("early"), always when avg >= AfMaxThp
 *    ("forced"), and when the class holds AfMaxSize packets ("limit"). The
 *    probability is used as it is (no count-based spacing as in Floyd's RED),
 *    so the drop fraction at a steady avg equals the formula.
 *  * **BE**: the default PHB, a FIFO of BeMaxSize packets.
 *
 * Classification by DSCP through a 64-entry codepoint map: EF and VA to EF,
 * AFxy to class AFx precedence y, every other codepoint to BE (RFC 2474 §4:
 * unknown codepoints get the default PHB); CodepointMap overrides entries.
 * The DSCP is read from the IP header; for Genesis-encapsulated packets
 * (IPv4 protocol GenesisProtocol, as the arbitrator sees a child's packets)
 * from the child's own IPv4 header behind the shim.
 *
 * Inter-class scheduling among AF1..AF4 and BE (Scheduler): WRR, a byte-based
 * weighted round robin (deficit round robin, quantum = weight * Quantum
 * bytes), or WFQ, self-clocked fair queueing (finish tags
 * F = max(F, V) + L / weight, serve the smallest F, V = F of the packet in
 * service). Weights: Af1Weight .. Af4Weight, BeWeight.
 *
 * Optionally a GenesisTrafficConditioner (attribute Conditioner) conditions
 * each packet before classification, making the disc an edge port's output:
 * the conditioner's drops count as "policed" drops.
 *
 * Counters per class and per codepoint (GetClassStats, GetCodepointStats) and
 * trace sources PhbEnqueue, PhbDequeue, PhbDrop (with the reason).
 */
class GenesisPhbQueueDisc : public QueueDisc
{
  public:
    /// The PHB classes (index of the internal queue)
    enum PhbClass : uint32_t
    {
        EF = 0,  //!< expedited forwarding
        AF1 = 1, //!< assured forwarding class 1
        AF2 = 2, //!< assured forwarding class 2
        AF3 = 3, //!< assured forwarding class 3
        AF4 = 4, //!< assured forwarding class 4
        BE = 5   //!< default PHB
    };

    /// Number of PHB classes
    static constexpr uint32_t N_CLASSES = 6;

    /// Inter-class scheduler of AF1..AF4 and BE
    enum Scheduler
    {
        WRR = 0, //!< byte-based weighted round robin (DRR)
        WFQ = 1  //!< self-clocked fair queueing
    };

    /// How the AF average queue is kept
    enum AfMode
    {
        WRED = 0,       //!< one average of the whole class queue
        RIO_COUPLED = 1 //!< precedence p averages the packets of precedence <= p (RIO-C)
    };

    static constexpr const char* EARLY_DROP = "Early drop";   //!< AF early drop
    static constexpr const char* FORCED_DROP = "Forced drop"; //!< AF forced drop
    static constexpr const char* LIMIT_DROP = "Queue limit";  //!< AF/BE queue full
    static constexpr const char* RATE_DROP = "EF rate limit"; //!< EF queue full
    static constexpr const char* POLICED_DROP = "Policed";    //!< dropped by the conditioner

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisPhbQueueDisc();
    ~GenesisPhbQueueDisc() override;

    /**
     * \brief Map a codepoint to a class and a drop precedence.
     * \param dscp codepoint (0..63)
     * \param cls class
     * \param precedence 1..3 for AF (ignored otherwise)
     * \throws GenesisError on a codepoint above 63 or a precedence outside 1..3
     */
    void MapCodepoint(uint8_t dscp, PhbClass cls, uint32_t precedence = 1);
    /// \param dscp codepoint \return its class
    PhbClass GetClassOf(uint8_t dscp) const;
    /// \param dscp codepoint \return its drop precedence (1..3)
    uint32_t GetPrecedenceOf(uint8_t dscp) const;
    /**
     * \brief The codepoint an item carries, as the disc reads it.
     * \param item the item
     * \return the codepoint (0 for non-IP items)
     */
    uint8_t ReadDscp(Ptr<const QueueDiscItem> item) const;

    /// \param cls class \return its counters
    const GenesisPhbStats& GetClassStats(PhbClass cls) const;
    /// \param dscp codepoint \return its counters
    const GenesisPhbStats& GetCodepointStats(uint8_t dscp) const;
    /// \param cls class \return packets queued in it
    uint32_t GetClassPackets(PhbClass cls) const;
    /**
     * \param cls an AF class
     * \param precedence 1..3
     * \return the average queue (packets) used for that precedence's drops
     */
    double GetAverageQueue(PhbClass cls, uint32_t precedence) const;
    /// \return tokens in the EF bucket (bytes), as of the last update
    double GetEfTokens() const;
    /**
     * \return when the EF head becomes sendable if EF is the only backlogged
     *         class and out of tokens; Time::Max() otherwise
     */
    Time GetNextWakeTime() const;
    /// \param cls class \return its name ("EF", "AF1", ..., "BE")
    static const char* ClassName(PhbClass cls);

    /**
     * \brief Take the traffic conditioning agreements among the disc's packet
     * filters (a profile's agreement modules on the same port) into its
     * conditioner, in the order added; a conditioner is created if
     * Conditioner is unset. Runs at CheckConfig and, for filters added
     * later (the spawner adds filters after the port's disc), at the next
     * enqueue.
     * \return agreements adopted by this call
     * \throws GenesisError for a bad agreement, or a packet filter that is
     *         not an agreement (the disc classifies by codepoint)
     */
    uint32_t AdoptAgreements();
    /// \return the conditioner (null if none)
    Ptr<GenesisTrafficConditioner> GetConditioner() const;

    /**
     * \brief Fix the random stream of the AF drops (and of the conditioner's meters).
     * \param stream first stream
     * \return streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// TracedCallback signature of enqueue/dequeue: class, codepoint, item
    typedef void (*PhbItemTracedCallback)(uint32_t cls,
                                          uint8_t dscp,
                                          Ptr<const QueueDiscItem> item);
    /// TracedCallback signature of drops: class, codepoint, item, reason
    typedef void (*PhbDropTracedCallback)(uint32_t cls,
                                          uint8_t dscp,
                                          Ptr<const QueueDiscItem> item,
                                          const char* reason);

  protected:
    void DoDispose() override;

  private:
    bool DoEnqueue(Ptr<QueueDiscItem> item) override;
    Ptr<QueueDiscItem> DoDequeue() override;
    bool CheckConfig() override;
    void InitializeParams() override;

    /// Per-class state
    struct ClassState
    {
        double weight{1};          //!< scheduling weight
        uint32_t limit{0};         //!< packet limit
        std::deque<uint8_t> dscps; //!< codepoint | precedence << 6 of each queued packet
        std::array<uint32_t, 3> nPrec{{0, 0, 0}}; //!< queued packets per precedence
        std::array<double, 3> avg{{0, 0, 0}};     //!< EWMA per precedence (WRED: all equal)
        int64_t deficit{0};                       //!< WRR deficit (bytes)
        bool active{false};                       //!< in the WRR active list
        double finish{0};                         //!< WFQ finish tag of the head
        GenesisPhbStats stats;                    //!< counters
    };

    /// Drop before enqueue with counters and traces
    void Drop(Ptr<QueueDiscItem> item, uint32_t cls, uint8_t dscp, const char* reason);
    /// AF admission: update the average, decide; returns the drop reason or null
    const char* AfAdmit(uint32_t cls, uint32_t prec);
    /// Refill the EF bucket to now
    void RefillEf();
    /// Choose among AF1..AF4, BE (-1 if all empty)
    int32_t PickWrr();
    /// Choose among AF1..AF4, BE (-1 if all empty)
    int32_t PickWfq();
    /// Take the head of class \p cls and do the bookkeeping
    Ptr<QueueDiscItem> TakeHead(uint32_t cls);
    /// Root disc: Run when the EF head becomes sendable
    void ScheduleEfWake();
    /// \param text "NAME=PHB ..." entries \throws GenesisError on a bad entry
    void SetCodepointMap(std::string text);
    /// \return the CodepointMap attribute
    std::string GetCodepointMap() const;

    // attributes
    DataRate m_efRate;                            //!< EF rate limit
    uint32_t m_efBurst;                           //!< EF bucket depth (bytes)
    uint32_t m_efLimit;                           //!< EF queue limit (packets)
    uint32_t m_afLimit;                           //!< AF queue limit per class (packets)
    uint32_t m_beLimit;                           //!< BE queue limit (packets)
    double m_qw;                                  //!< EWMA weight
    double m_minTh1;                              //!< AFx1 min threshold (packets)
    double m_maxTh1;                              //!< AFx1 max threshold (packets)
    double m_maxP1;                               //!< AFx1 max drop probability
    double m_minTh2;                              //!< AFx2 min threshold (packets)
    double m_maxTh2;                              //!< AFx2 max threshold (packets)
    double m_maxP2;                               //!< AFx2 max drop probability
    double m_minTh3;                              //!< AFx3 min threshold (packets)
    double m_maxTh3;                              //!< AFx3 max threshold (packets)
    double m_maxP3;                               //!< AFx3 max drop probability
    double m_af1Weight;                           //!< AF1 scheduling weight
    double m_af2Weight;                           //!< AF2 scheduling weight
    double m_af3Weight;                           //!< AF3 scheduling weight
    double m_af4Weight;                           //!< AF4 scheduling weight
    double m_beWeight;                            //!< BE scheduling weight
    AfMode m_afMode;                              //!< WRED or RIO-C
    Scheduler m_scheduler;                        //!< WRR or WFQ
    uint32_t m_quantum;                           //!< WRR quantum per unit of weight (bytes)
    uint8_t m_genesisProtocol;                    //!< IPv4 protocol of Genesis-encapsulated packets
    Ptr<GenesisTrafficConditioner> m_conditioner; //!< optional edge conditioner
    std::size_t m_nFiltersSeen{0};                //!< packet filters adopted or refused
    std::string m_mapText;                        //!< CodepointMap attribute

    // state
    std::array<double, 3> m_minTh;               //!< AF min thresholds per precedence
    std::array<double, 3> m_maxTh;               //!< AF max thresholds per precedence
    std::array<double, 3> m_maxP;                //!< AF max probabilities per precedence
    std::array<ClassState, N_CLASSES> m_classes; //!< per class
    std::array<uint8_t, 64> m_mapClass;          //!< codepoint -> class
    std::array<uint8_t, 64> m_mapPrec;           //!< codepoint -> precedence 0..2
    std::array<GenesisPhbStats, 64> m_dscpStats; //!< per codepoint
    GenesisTokenBucket m_efBucket;               //!< EF rate limiter
    int64_t m_efLastNs;                          //!< last EF refill
    std::list<uint32_t> m_wrrActive;             //!< WRR active classes, round-robin order
    double m_vtime;                              //!< WFQ virtual time
    EventId m_wakeEvent;                         //!< pending self-Run (root only)
    Ptr<UniformRandomVariable> m_rng;            //!< AF early drops

    // traces
    TracedCallback<uint32_t, uint8_t, Ptr<const QueueDiscItem>> m_traceEnqueue; //!< accepted
    TracedCallback<uint32_t, uint8_t, Ptr<const QueueDiscItem>> m_traceDequeue; //!< sent on
    TracedCallback<uint32_t, uint8_t, Ptr<const QueueDiscItem>, const char*> m_traceDrop; //!< drops
};

} // namespace ns3

#endif /* GENESIS_PHB_QUEUE_DISC_H */
