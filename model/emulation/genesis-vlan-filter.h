/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_VLAN_FILTER_H
#define GENESIS_VLAN_FILTER_H

#include "ns3/packet-filter.h"

#include <cstdint>
#include <unordered_map>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Classifies packets into networks by the 802.1Q VLAN id they arrived
 * with (the GenesisVlanTag an emulated port attaches).
 *
 * A packet without the tag, or with a VLAN id not mapped, is PF_NO_MATCH.
 * Cost: one packet-tag lookup and one hash lookup.
 */
class GenesisVlanFilter : public PacketFilter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisVlanFilter();
    ~GenesisVlanFilter() override;

    /**
     * \brief Map a VLAN id to a network.
     * \param vlanId VLAN id, 1..4094
     * \param networkId network id (at most 2^31 - 1)
     * \throws GenesisError for a reserved VLAN id (0, 4095), an id above 4095,
     *         or a VLAN id already mapped to another network
     */
    void AddVlan(uint16_t vlanId, uint32_t networkId);
    /// \param networkId id \return number of VLAN ids unmapped
    uint32_t RemoveVlans(uint32_t networkId);
    /// \return number of mapped VLAN ids
    uint32_t GetNVlans() const;
    /// \param vlanId VLAN id \return its network id, or -1 when unmapped
    int64_t Lookup(uint16_t vlanId) const;

  private:
    bool CheckProtocol(Ptr<QueueDiscItem> item) const override;
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;

    std::unordered_map<uint16_t, uint32_t> m_vlans; //!< VLAN id -> network id
};

} // namespace ns3

#endif /* GENESIS_VLAN_FILTER_H */
