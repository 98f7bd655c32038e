/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_DSCP_MARKER_H
#define GENESIS_DSCP_MARKER_H

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/queue-item.h"
#include "ns3/traced-callback.h"

#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief DSCP marker (RFC 2475 §2.3.3.2): rewrites the DS field of IPv4
 * packets (TOS bits 7..2) and of IPv6 packets (traffic class bits 7..2); the
 * two ECN bits are kept.
 *
 * Two ways in, for the two places a Genesis port sees packets:
 *  * a Ptr<Packet> that starts with its IP header (a routelet port, an
 *    application, a trace): RemoveHeader, change, AddHeader. The IPv4 header
 *    checksum is recomputed when ns-3 checksums are on (Node::ChecksumEnabled)
 *    or when the packet carried a non-zero checksum;
 *  * a queue disc item, whose header ns-3 keeps apart from the packet and
 *    exposes read-only (Ipv4QueueDiscItem::GetHeader is const): MarkItem
 *    builds a new Ipv4QueueDiscItem / Ipv6QueueDiscItem around the same
 *    packet with the changed header, carrying over address, protocol, tx
 *    queue index and time stamp. The checksum is computed when the header is
 *    serialised (Ipv4Interface enables it when checksums are on).
 *
 * As a module, the marker marks every packet with attribute Dscp.
 */
class GenesisDscpMarker : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisDscpMarker();
    ~GenesisDscpMarker() override;

    /**
     * \brief Mark a packet that starts with an IPv4 or IPv6 header with attribute Dscp.
     * \param packet the packet
     * \return true if the packet is IP and now carries the codepoint
     */
    bool Mark(Ptr<Packet> packet);
    /**
     * \brief Mark a queue disc item with attribute Dscp.
     * \param item the item
     * \return the item to use from now on (a new one if the header changed)
     */
    Ptr<QueueDiscItem> MarkItem(Ptr<QueueDiscItem> item);
    /// \return the codepoint this marker writes
    uint8_t GetDscp() const;
    /// \param dscp the codepoint to write (0..63) \throws GenesisError if above 63
    void SetDscp(uint8_t dscp);

    /**
     * \brief Rewrite the DSCP of a packet that starts with an IPv4 header.
     * \param packet the packet
     * \param dscp new codepoint (0..63)
     * \return false if the packet does not start with a valid IPv4 header
     */
    static bool SetIpv4Dscp(Ptr<Packet> packet, uint8_t dscp);
    /**
     * \brief Rewrite the DSCP of a packet that starts with an IPv6 header.
     * \param packet the packet
     * \param dscp new codepoint (0..63)
     * \return false if the packet does not start with an IPv6 header
     */
    static bool SetIpv6Dscp(Ptr<Packet> packet, uint8_t dscp);
    /**
     * \brief Rewrite the DSCP of a packet that starts with an IPv4 or IPv6 header.
     * \param packet the packet
     * \param dscp new codepoint
     * \return false if it is neither
     */
    static bool SetDscp(Ptr<Packet> packet, uint8_t dscp);
    /**
     * \brief Read the DSCP of a packet that starts with an IP header (no copy).
     * \param packet the packet
     * \return the codepoint, or -1 if the packet is not IPv4/IPv6
     */
    static int32_t GetDscp(Ptr<const Packet> packet);
    /**
     * \brief The item with a new DSCP.
     * \param item an Ipv4QueueDiscItem or Ipv6QueueDiscItem (others are returned as they are)
     * \param dscp new codepoint
     * \return \p item if unchanged or not IP, else a new item with the new header
     */
    static Ptr<QueueDiscItem> SetItemDscp(Ptr<QueueDiscItem> item, uint8_t dscp);
    /**
     * \brief Read the DSCP of an IP queue disc item.
     * \param item the item
     * \return the codepoint, or -1 if not IP
     */
    static int32_t GetItemDscp(Ptr<const QueueDiscItem> item);

    /// TracedCallback signature: old codepoint, new codepoint
    typedef void (*MarkedTracedCallback)(uint8_t oldDscp, uint8_t newDscp);

  private:
    /// \param text codepoint name \throws GenesisError if unknown
    void SetDscpName(std::string text);
    /// \return the codepoint name
    std::string GetDscpName() const;

    uint8_t m_dscp;                                 //!< codepoint written
    uint64_t m_marked;                              //!< packets marked
    TracedCallback<uint8_t, uint8_t> m_traceMarked; //!< each marked packet
};

} // namespace ns3

#endif /* GENESIS_DSCP_MARKER_H */
