/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-address-range-filter.h"

#include "genesis-error.h"

#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisAddressRangeFilter");
NS_OBJECT_ENSURE_REGISTERED(GenesisAddressRangeFilter);

namespace
{
constexpr uint16_t IPV4_ETHERTYPE = 0x0800; //!< EtherType of IPv4 items
constexpr uint16_t IPV6_ETHERTYPE = 0x86DD; //!< EtherType of IPv6 items
constexpr uint32_t MAX_NET_ID = 0x7fffffff; //!< PacketFilter results are int32_t

void
CheckMatch(int match, uint32_t networkId)
{
    if (match < 1 || match > 3)
    {
        std::ostringstream oss;
        oss << "GenesisAddressRangeFilter: match selector " << match << " for network " << networkId
            << " is not MATCH_SOURCE, MATCH_DESTINATION or MATCH_EITHER";
        throw GenesisError(oss.str());
    }
    if (networkId > MAX_NET_ID)
    {
        std::ostringstream oss;
        oss << "GenesisAddressRangeFilter: network id " << networkId
            << " does not fit a packet filter result; use an id up to " << MAX_NET_ID;
        throw GenesisError(oss.str());
    }
}
} // namespace

TypeId
GenesisAddressRangeFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisAddressRangeFilter")
                            .SetParent<PacketFilter>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisAddressRangeFilter>();
    return tid;
}

GenesisAddressRangeFilter::GenesisAddressRangeFilter()
{
    NS_LOG_FUNCTION(this);
}

GenesisAddressRangeFilter::~GenesisAddressRangeFilter()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisAddressRangeFilter::AddRange(Ipv4Address prefix,
                                    Ipv4Mask mask,
                                    uint32_t networkId,
                                    Match match)
{
    NS_LOG_FUNCTION(this << prefix << mask << networkId << match);
    CheckMatch(match, networkId);
    uint32_t m = mask.Get();
    uint8_t length = static_cast<uint8_t>(mask.GetPrefixLength());
    uint32_t contiguous = length == 0 ? 0 : (0xffffffffu << (32 - length));
    if (m != contiguous)
    {
        std::ostringstream oss;
        oss << "GenesisAddressRangeFilter: mask " << mask << " for network " << networkId
            << " is not contiguous; use a prefix mask such as /" << +length;
        throw GenesisError(oss.str());
    }
    Range4 r{prefix.Get() & m, m, length, static_cast<uint8_t>(match), networkId};
    for (const auto& o : m_v4)
    {
        if (o.prefix == r.prefix && o.length == r.length && o.match == r.match &&
            o.netId != networkId)
        {
            std::ostringstream oss;
            oss << "GenesisAddressRangeFilter: range " << Ipv4Address(r.prefix) << "/" << +length
                << " is already mapped to network " << o.netId
                << "; remove it before mapping it to network " << networkId;
            throw GenesisError(oss.str());
        }
    }
    auto pos = std::find_if(m_v4.begin(), m_v4.end(), [&](const Range4& o) {
        return o.length < r.length;
    });
    m_v4.insert(pos, r);
}

void
GenesisAddressRangeFilter::AddRange(Ipv6Address prefix,
                                    Ipv6Prefix prefixLength,
                                    uint32_t networkId,
                                    Match match)
{
    NS_LOG_FUNCTION(this << prefix << prefixLength << networkId << match);
    CheckMatch(match, networkId);
    uint8_t length = prefixLength.GetPrefixLength();
    Range6 r{prefix.CombinePrefix(prefixLength),
             prefixLength,
             length,
             static_cast<uint8_t>(match),
             networkId};
    for (const auto& o : m_v6)
    {
        if (o.prefix == r.prefix && o.length == r.length && o.match == r.match &&
            o.netId != networkId)
        {
            std::ostringstream oss;
            oss << "GenesisAddressRangeFilter: range " << r.prefix << "/" << +length
                << " is already mapped to network " << o.netId
                << "; remove it before mapping it to network " << networkId;
            throw GenesisError(oss.str());
        }
    }
    auto pos = std::find_if(m_v6.begin(), m_v6.end(), [&](const Range6& o) {
        return o.length < r.length;
    });
    m_v6.insert(pos, r);
}

bool
GenesisAddressRangeFilter::RemoveRange(Ipv4Address prefix, Ipv4Mask mask, uint32_t networkId)
{
    NS_LOG_FUNCTION(this << prefix << mask << networkId);
    const uint32_t m = mask.Get();
    auto it = std::find_if(m_v4.begin(), m_v4.end(), [&](const Range4& r) {
        return r.mask == m && r.prefix == (prefix.Get() & m) && r.netId == networkId;
    });
    if (it == m_v4.end())
    {
        return false;
    }
    m_v4.erase(it);
    return true;
}

uint32_t
GenesisAddressRangeFilter::RemoveRanges(uint32_t networkId)
{
    NS_LOG_FUNCTION(this << networkId);
    std::size_t before = m_v4.size() + m_v6.size();
    m_v4.erase(std::remove_if(m_v4.begin(),
                              m_v4.end(),
                              [networkId](const Range4& r) { return r.netId == networkId; }),
               m_v4.end());
    m_v6.erase(std::remove_if(m_v6.begin(),
                              m_v6.end(),
                              [networkId](const Range6& r) { return r.netId == networkId; }),
               m_v6.end());
    return static_cast<uint32_t>(before - m_v4.size() - m_v6.size());
}

uint32_t
GenesisAddressRangeFilter::GetNRanges() const
{
    return static_cast<uint32_t>(m_v4.size() + m_v6.size());
}

bool
GenesisAddressRangeFilter::CheckProtocol(Ptr<QueueDiscItem> item) const
{
    return (item->GetProtocol() == IPV4_ETHERTYPE && !m_v4.empty()) ||
           (item->GetProtocol() == IPV6_ETHERTYPE && !m_v6.empty());
}

int32_t
GenesisAddressRangeFilter::DoClassify(Ptr<QueueDiscItem> item) const
{
    const QueueDiscItem* raw = PeekPointer(item);
    if (item->GetProtocol() == IPV4_ETHERTYPE)
    {
        auto v4 = dynamic_cast<const Ipv4QueueDiscItem*>(raw);
        if (v4 == nullptr)
        {
            return PF_NO_MATCH;
        }
        uint32_t src = v4->GetHeader().GetSource().Get();
        uint32_t dst = v4->GetHeader().GetDestination().Get();
        for (const auto& r : m_v4)
        {
            if (((r.match & MATCH_DESTINATION) && (dst & r.mask) == r.prefix) ||
                ((r.match & MATCH_SOURCE) && (src & r.mask) == r.prefix))
            {
                return static_cast<int32_t>(r.netId);
            }
        }
        return PF_NO_MATCH;
    }
    auto v6 = dynamic_cast<const Ipv6QueueDiscItem*>(raw);
    if (v6 == nullptr)
    {
        return PF_NO_MATCH;
    }
    Ipv6Address src = v6->GetHeader().GetSource();
    Ipv6Address dst = v6->GetHeader().GetDestination();
    for (const auto& r : m_v6)
    {
        if (((r.match & MATCH_DESTINATION) && dst.CombinePrefix(r.mask) == r.prefix) ||
            ((r.match & MATCH_SOURCE) && src.CombinePrefix(r.mask) == r.prefix))
        {
            return static_cast<int32_t>(r.netId);
        }
    }
    return PF_NO_MATCH;
}

} // namespace ns3
