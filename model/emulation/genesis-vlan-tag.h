/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_VLAN_TAG_H
#define GENESIS_VLAN_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The IEEE 802.1Q tag a frame carried when it entered an emulated port.
 *
 * GenesisEmuNetDevice removes the 802.1Q header of a tagged frame before
 * handing the packet to the node (so IPv4 sees an ordinary packet) and keeps
 * the tag's VLAN id and priority in this packet tag. GenesisVlanFilter
 * classifies on it; the egress GenesisEmuNetDevice removes it and, by
 * default, writes the 802.1Q header back. Node-local: it serialises fully and
 * carries no pointers, but must not travel beyond the router.
 */
class GenesisVlanTag : public Tag
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    GenesisVlanTag();
    /**
     * \param vlanId the VLAN id (12 bits)
     * \param priority the priority code point (3 bits)
     */
    GenesisVlanTag(uint16_t vlanId, uint8_t priority);

    /// \return the VLAN id (0..4095)
    uint16_t GetVlanId() const;
    /// \return the priority code point (0..7)
    uint8_t GetPriority() const;
    /// \return the 802.1Q tag control information (PCP, DEI 0, VID)
    uint16_t GetTci() const;
    /// \param tci tag control information read from a frame
    void SetTci(uint16_t tci);

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

  private:
    uint16_t m_tci; //!< tag control information (DEI kept as received)
};

} // namespace ns3

#endif /* GENESIS_VLAN_TAG_H */
