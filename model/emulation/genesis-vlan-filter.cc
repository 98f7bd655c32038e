/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-vlan-filter.h"

#include "genesis-vlan-tag.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/queue-item.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVlanFilter");
NS_OBJECT_ENSURE_REGISTERED(GenesisVlanFilter);

TypeId
GenesisVlanFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisVlanFilter")
                            .SetParent<PacketFilter>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisVlanFilter>();
    return tid;
}

GenesisVlanFilter::GenesisVlanFilter()
{
    NS_LOG_FUNCTION(this);
}

GenesisVlanFilter::~GenesisVlanFilter()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisVlanFilter::AddVlan(uint16_t vlanId, uint32_t networkId)
{
    NS_LOG_FUNCTION(this << vlanId << networkId);
    if (vlanId == 0 || vlanId >= 4095)
    {
        std::ostringstream os;
        os << "GenesisVlanFilter: VLAN id " << vlanId << " for network " << networkId
           << " is reserved or out of range; use an id from 1 to 4094";
        throw GenesisError(os.str());
    }
    if (networkId > 0x7fffffffu)
    {
        std::ostringstream os;
        os << "GenesisVlanFilter: network id " << networkId
           << " does not fit a packet filter result";
        throw GenesisError(os.str());
    }
    auto it = m_vlans.find(vlanId);
    if (it != m_vlans.end() && it->second != networkId)
    {
        std::ostringstream os;
        os << "GenesisVlanFilter: VLAN " << vlanId << " is already mapped to network " << it->second
           << "; remove it before mapping it to network " << networkId;
        throw GenesisError(os.str());
    }
    m_vlans[vlanId] = networkId;
}

uint32_t
GenesisVlanFilter::RemoveVlans(uint32_t networkId)
{
    NS_LOG_FUNCTION(this << networkId);
    uint32_t n = 0;
    for (auto it = m_vlans.begin(); it != m_vlans.end();)
    {
        if (it->second == networkId)
        {
            it = m_vlans.erase(it);
            ++n;
        }
        else
        {
            ++it;
        }
    }
    return n;
}

uint32_t
GenesisVlanFilter::GetNVlans() const
{
    return static_cast<uint32_t>(m_vlans.size());
}

int64_t
GenesisVlanFilter::Lookup(uint16_t vlanId) const
{
    auto it = m_vlans.find(vlanId);
    return it == m_vlans.end() ? -1 : static_cast<int64_t>(it->second);
}

bool
GenesisVlanFilter::CheckProtocol(Ptr<QueueDiscItem> /* item */) const
{
    return !m_vlans.empty();
}

int32_t
GenesisVlanFilter::DoClassify(Ptr<QueueDiscItem> item) const
{
    GenesisVlanTag tag;
    if (!item->GetPacket()->PeekPacketTag(tag))
    {
        return PF_NO_MATCH;
    }
    auto it = m_vlans.find(tag.GetVlanId());
    return it == m_vlans.end() ? PF_NO_MATCH : static_cast<int32_t>(it->second);
}

} // namespace ns3
