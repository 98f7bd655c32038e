/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_ADDRESS_RANGE_FILTER_H
#define GENESIS_ADDRESS_RANGE_FILTER_H

#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/packet-filter.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Classifies plain IPv4 / IPv6 packets (from hosts that do not speak
 * the Genesis shim) into networks by source or destination prefix.
 *
 * Each range maps a prefix to a network id; a packet matches a range when its
 * source or destination address (as selected) lies in the prefix. The longest
 * matching prefix wins (the destination is tried before the source at equal
 * length); no match is PF_NO_MATCH. Cost is linear in the number of ranges of
 * the packet's address family.
 */
class GenesisAddressRangeFilter : public PacketFilter
{
  public:
    /// Which address of the packet a range applies to
    enum Match
    {
        MATCH_SOURCE = 1,      //!< source address only
        MATCH_DESTINATION = 2, //!< destination address only
        MATCH_EITHER = 3       //!< source or destination
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisAddressRangeFilter();
    ~GenesisAddressRangeFilter() override;

    /**
     * \brief Map an IPv4 prefix to a network.
     * \param prefix network address
     * \param mask prefix mask (must be contiguous)
     * \param networkId network id (at most 2^31 - 1)
     * \param match which address to test
     * \throws GenesisError on a non-contiguous mask, an id above 2^31 - 1, or a
     *         prefix already mapped (same prefix, length and match) to another id
     */
    void AddRange(Ipv4Address prefix,
                  Ipv4Mask mask,
                  uint32_t networkId,
                  Match match = MATCH_EITHER);
    /**
     * \brief Map an IPv6 prefix to a network.
     * \param prefix network address
     * \param prefixLength prefix length
     * \param networkId network id (at most 2^31 - 1)
     * \param match which address to test
     * \throws GenesisError as the IPv4 variant
     */
    void AddRange(Ipv6Address prefix,
                  Ipv6Prefix prefixLength,
                  uint32_t networkId,
                  Match match = MATCH_EITHER);
    /// \param networkId id \return number of ranges removed
    uint32_t RemoveRanges(uint32_t networkId);
    /**
     * \brief Remove one exact IPv4 mapping (any match mode).
     * \param prefix network address
     * \param mask prefix mask
     * \param networkId network id it maps to
     * \return true if a mapping was removed
     */
    bool RemoveRange(Ipv4Address prefix, Ipv4Mask mask, uint32_t networkId);
    /// \return number of ranges (both families)
    uint32_t GetNRanges() const;

  private:
    bool CheckProtocol(Ptr<QueueDiscItem> item) const override;
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;

    /// an IPv4 range
    struct Range4
    {
        uint32_t prefix; //!< masked network address
        uint32_t mask;   //!< mask
        uint8_t length;  //!< prefix length
        uint8_t match;   //!< Match
        uint32_t netId;  //!< network id
    };

    /// an IPv6 range
    struct Range6
    {
        Ipv6Address prefix; //!< masked network address
        Ipv6Prefix mask;    //!< prefix
        uint8_t length;     //!< prefix length
        uint8_t match;      //!< Match
        uint32_t netId;     //!< network id
    };

    std::vector<Range4> m_v4; //!< IPv4 ranges, longest prefix first
    std::vector<Range6> m_v6; //!< IPv6 ranges, longest prefix first
};

} // namespace ns3

#endif /* GENESIS_ADDRESS_RANGE_FILTER_H */
