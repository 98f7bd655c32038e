/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CELLULAR_IP_LOW_PRIORITY_DISCARD_H
#define GENESIS_CELLULAR_IP_LOW_PRIORITY_DISCARD_H

#include "ns3/queue-disc.h"

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Low-priority packet discard: a FIFO output port that, under
 * congestion, discards low-priority packets first.
 *
 * The paper's Cellular IP child puts this module on its output ports
 * (§V-B-4, "a low priority packet discards transport module to respond to
 * congestion"); on a base station's air interface it is the base station's
 * priority packet drop. A packet is high priority when the precedence bits
 * of its IPv4 TOS (TOS >> 5) are at least HighPrecedence (Cellular IP
 * control packets carry CS6, precedence 6). Once the queue holds
 * LowPriorityThreshold of MaxSize, arriving low-priority packets are
 * dropped ("Low-priority discard"); high-priority packets are dropped only
 * when the queue is full ("Queue full"). Non-IPv4 items count as high
 * priority (ARP must not starve).
 */
class GenesisLowPriorityDiscardQueueDisc : public QueueDisc
{
  public:
    /// \return the TypeId
    static TypeId GetTypeId();
    GenesisLowPriorityDiscardQueueDisc();
    ~GenesisLowPriorityDiscardQueueDisc() override;

    static constexpr const char* LOW_PRIORITY_DROP = "Low-priority discard"; //!< drop reason
    static constexpr const char* LIMIT_EXCEEDED_DROP = "Queue full";         //!< drop reason

    /// \param item a queued packet \return whether it is high priority
    bool IsHighPriority(Ptr<const QueueDiscItem> item) const;

  private:
    bool DoEnqueue(Ptr<QueueDiscItem> item) override;
    Ptr<QueueDiscItem> DoDequeue() override;
    bool CheckConfig() override;
    void InitializeParams() override;

    double m_threshold;       //!< fraction of MaxSize where low-priority discard starts
    uint8_t m_highPrecedence; //!< minimal precedence of a high-priority packet
};

} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_LOW_PRIORITY_DISCARD_H */
