/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_TRAFFIC_CONDITIONER_H
#define GENESIS_TRAFFIC_CONDITIONER_H

#include "genesis-multi-field-classifier.h"
#include "genesis-policer.h"
#include "genesis-traffic-conditioning-agreement.h"

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/queue-item.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief DiffServ traffic conditioner of an edge routelet's input port (RFC
 * 2475 §2.3.3; the paper's §III-A-1): classifier -> meter -> marker/policer,
 * one traffic conditioning agreement per class of traffic.
 *
 * AddTca() validates an agreement (GenesisError on bad parameters, at
 * configuration time), appends its Match rule to the conditioner's
 * GenesisMultiFieldClassifier and builds its GenesisPolicer. Per packet, the
 * first agreement whose rule matches meters and marks or drops it; packets
 * no agreement matches pass, re-marked to UnmatchedDscp if that is set
 * (RFC 2474 §5: a DS domain may re-mark what it has no agreement for to the
 * default PHB).
 *
 * Entry points (choose where the packet is): ConditionPacket() on a packet
 * that starts with its IPv4 header (an input port; the DSCP and checksum
 * are rewritten in the packet), ConditionItem() on an IPv4 queue disc item
 * (an output port's queue disc, e.g. GenesisPhbQueueDisc's Conditioner).
 */
class GenesisTrafficConditioner : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisTrafficConditioner();
    ~GenesisTrafficConditioner() override;

    /**
     * \brief Add an agreement (matched after those added before).
     * \param tca the agreement
     * \return its index
     * \throws GenesisError if the agreement is invalid; nothing is added then
     */
    uint32_t AddTca(Ptr<GenesisTrafficConditioningAgreement> tca);
    /// \return number of agreements
    uint32_t GetNTcas() const;
    /// \param i index \return the policer enforcing agreement i
    Ptr<GenesisPolicer> GetPolicer(uint32_t i) const;
    /// \return the classifier (rule i -> agreement i)
    Ptr<GenesisMultiFieldClassifier> GetClassifier() const;

    /**
     * \brief Condition a packet that starts with its IPv4 header.
     * \param packet the packet (re-marked in place)
     * \return false if it must be dropped
     */
    bool ConditionPacket(Ptr<Packet> packet);
    /**
     * \brief Condition an IPv4 queue disc item.
     * \param item the item
     * \return the item to go on with (a new one if re-marked), or null if dropped
     */
    Ptr<QueueDiscItem> ConditionItem(Ptr<QueueDiscItem> item);

    /// \return packets no agreement matched
    uint64_t GetUnmatched() const;
    /// \return packets dropped by all policers
    uint64_t GetDropped() const;

    /**
     * \brief Fix the random streams of every meter.
     * \param stream first stream
     * \return streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// TracedCallback signature: agreement index (-1: none), colour, old and new codepoint
    typedef void (*ConditionedTracedCallback)(int32_t tca,
                                              GenesisMeter::Color color,
                                              uint8_t oldDscp,
                                              uint8_t newDscp);
    /// TracedCallback signature: agreement index, colour, the dropped packet
    typedef void (*DropTracedCallback)(int32_t tca,
                                       GenesisMeter::Color color,
                                       Ptr<const Packet> packet);

  protected:
    void DoDispose() override;

  private:
    /// \param text codepoint name or "" \throws GenesisError if unknown
    void SetUnmatchedDscp(std::string text);
    /// \return codepoint name or ""
    std::string GetUnmatchedDscp() const;
    /**
     * \brief The decision for a packet.
     * \param key its fields \param bytes its size \param[out] tca agreement or -1
     * \param[out] color colour \param[out] newDscp codepoint to leave with
     * \return false if dropped
     */
    bool Decide(const GenesisMfKey& key,
                uint32_t bytes,
                int32_t& tca,
                GenesisMeter::Color& color,
                uint8_t& newDscp);

    Ptr<GenesisMultiFieldClassifier> m_classifier;                //!< rule i -> agreement i
    std::vector<Ptr<GenesisTrafficConditioningAgreement>> m_tcas; //!< agreements
    std::vector<Ptr<GenesisPolicer>> m_policers;                  //!< their policers
    int16_t m_unmatchedDscp; //!< codepoint for unmatched packets, -1 = keep
    uint64_t m_unmatched;    //!< packets no agreement matched
    uint64_t m_dropped;      //!< packets dropped
    TracedCallback<int32_t, GenesisMeter::Color, uint8_t, uint8_t> m_traceConditioned; //!< all
    TracedCallback<int32_t, GenesisMeter::Color, Ptr<const Packet>> m_traceDrop;       //!< drops
};

} // namespace ns3

#endif /* GENESIS_TRAFFIC_CONDITIONER_H */
