/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_LABEL_FILTER_H
#define GENESIS_LABEL_FILTER_H

#include "ns3/packet-filter.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Classifies Genesis-encapsulated packets by one label of the shim.
 *
 * Matches Ipv4QueueDiscItem / Ipv6QueueDiscItem whose IP protocol (next
 * header) is Protocol (default 253, RFC 3692) and whose payload starts with a
 * GenesisShimHeader carrying at least Level + 1 labels; returns label
 * number Level (a network id). Anything else is PF_NO_MATCH. The shim is read
 * with GenesisShimHeader::PeekLabel (no packet copy).
 */
class GenesisLabelFilter : public PacketFilter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisLabelFilter();
    ~GenesisLabelFilter() override;

    /// \param level label index to read \throws GenesisError if above the shim's maximum depth
    void SetLevel(uint32_t level);
    /// \return label index read
    uint32_t GetLevel() const;
    /// \param protocol IP protocol / IPv6 next header of Genesis packets
    void SetProtocol(uint8_t protocol);
    /// \return IP protocol / IPv6 next header of Genesis packets
    uint8_t GetProtocol() const;

  private:
    bool CheckProtocol(Ptr<QueueDiscItem> item) const override;
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;

    uint8_t m_level;    //!< label index
    uint8_t m_protocol; //!< IP protocol number of Genesis packets
};

} // namespace ns3

#endif /* GENESIS_LABEL_FILTER_H */
