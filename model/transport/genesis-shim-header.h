/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The Genesis shim: the header every child-network packet carries between two
 * adjacent parent routelets, right after the hop-by-hop IPv4 header
 * (protocol number 253 by default, RFC 3692).
 */
#ifndef GENESIS_SHIM_HEADER_H
#define GENESIS_SHIM_HEADER_H

#include "ns3/header.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup genesis
 *
 * \brief Genesis encapsulation shim: a label stack of network ids (one per
 * nesting level below the root network) and the virtual link id.
 *
 * Wire format (network byte order), 8 + 2 * depth bytes:
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-------+-------+---------------+-------------------------------+
   |Version| Flags |     Depth     |      Inner protocol           |
   +-------+-------+---------------+-------------------------------+
   |                      Virtual link id                          |
   +---------------------------------------------------------------+
   |  Network id (level 1)         |  Network id (level 2) ...     |
   +---------------------------------------------------------------+
   \endverbatim
 *
 * Label i (0-based) is the id of the network at nesting level i + 1: label 0
 * names a child of the root network, label 1 a grandchild, and so on. The
 * arbitrator at nesting depth d classifies on label d. Flag bit 0 gives the
 * direction on the virtual link (0: from end A to end B, 1: from B to A).
 * The inner protocol is the EtherType of the child's packet (0x0800 for IPv4).
 */
class GenesisShimHeader : public Header
{
  public:
    static constexpr uint8_t VERSION = 1;     //!< Shim version carried on the wire
    static constexpr uint8_t MAX_DEPTH = 15;  //!< Maximum nesting depth (labels)
    static constexpr uint32_t FIXED_SIZE = 8; //!< Bytes before the label stack

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    GenesisShimHeader();

    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// \param labels the network id stack, outermost (level 1) first
    void SetLabels(const std::vector<uint16_t>& labels);
    /// \return the network id stack, outermost (level 1) first
    const std::vector<uint16_t>& GetLabels() const;
    /// \return the number of labels
    uint8_t GetDepth() const;
    /// \param vlinkId the virtual link id
    void SetVirtualLinkId(uint32_t vlinkId);
    /// \return the virtual link id
    uint32_t GetVirtualLinkId() const;
    /// \param reverse true when travelling from end B to end A
    void SetReverse(bool reverse);
    /// \return true when travelling from end B to end A
    bool IsReverse() const;
    /// \param proto EtherType of the encapsulated packet
    void SetInnerProtocol(uint16_t proto);
    /// \return EtherType of the encapsulated packet
    uint16_t GetInnerProtocol() const;
    /// \return true when the last Deserialize found a well-formed shim
    bool IsValid() const;

    /**
     * \brief Read label \p level of a serialized shim without copying the packet.
     *
     * Used by the arbitrator's packet filter on every enqueue: it peeks only
     * the fixed part and one label.
     *
     * \param packet packet that starts with a Genesis shim
     * \param level label index (0 = first child level)
     * \return the label, or -1 when the packet carries no valid shim or has
     *         fewer than level + 1 labels
     */
    static int32_t PeekLabel(Ptr<const Packet> packet, uint8_t level);

  private:
    uint8_t m_flags;                //!< Flags (bit 0: reverse direction)
    uint16_t m_innerProtocol;       //!< EtherType of the payload
    uint32_t m_vlinkId;             //!< Virtual link id
    std::vector<uint16_t> m_labels; //!< Network id stack
    bool m_valid;                   //!< Result of the last Deserialize
};

} // namespace ns3

#endif /* GENESIS_SHIM_HEADER_H */
