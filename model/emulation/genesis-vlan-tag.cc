/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-vlan-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(GenesisVlanTag);

TypeId
GenesisVlanTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisVlanTag")
                            .SetParent<Tag>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisVlanTag>();
    return tid;
}

TypeId
GenesisVlanTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

GenesisVlanTag::GenesisVlanTag()
    : m_tci(0)
{
}

GenesisVlanTag::GenesisVlanTag(uint16_t vlanId, uint8_t priority)
    : m_tci(static_cast<uint16_t>(((priority & 0x7) << 13) | (vlanId & 0x0fff)))
{
}

uint16_t
GenesisVlanTag::GetVlanId() const
{
    return m_tci & 0x0fff;
}

uint8_t
GenesisVlanTag::GetPriority() const
{
    return static_cast<uint8_t>(m_tci >> 13);
}

uint16_t
GenesisVlanTag::GetTci() const
{
    return m_tci;
}

void
GenesisVlanTag::SetTci(uint16_t tci)
{
    m_tci = tci;
}

uint32_t
GenesisVlanTag::GetSerializedSize() const
{
    return 2;
}

void
GenesisVlanTag::Serialize(TagBuffer i) const
{
    i.WriteU16(m_tci);
}

void
GenesisVlanTag::Deserialize(TagBuffer i)
{
    m_tci = i.ReadU16();
}

void
GenesisVlanTag::Print(std::ostream& os) const
{
    os << "vlan=" << GetVlanId() << " pcp=" << +GetPriority();
}

} // namespace ns3
