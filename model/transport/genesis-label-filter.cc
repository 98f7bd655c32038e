/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-label-filter.h"

#include "genesis-error.h"
#include "genesis-shim-header.h"

#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisLabelFilter");
NS_OBJECT_ENSURE_REGISTERED(GenesisLabelFilter);

namespace
{
constexpr uint16_t IPV4_ETHERTYPE = 0x0800; //!< EtherType of IPv4 items
constexpr uint16_t IPV6_ETHERTYPE = 0x86DD; //!< EtherType of IPv6 items
} // namespace

TypeId
GenesisLabelFilter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisLabelFilter")
            .SetParent<PacketFilter>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisLabelFilter>()
            .AddAttribute(
                "Level",
                "Index of the shim label to classify on (0 = child of the root network).",
                UintegerValue(0),
                MakeUintegerAccessor(&GenesisLabelFilter::SetLevel, &GenesisLabelFilter::GetLevel),
                MakeUintegerChecker<uint32_t>())
            .AddAttribute("Protocol",
                          "IPv4 protocol / IPv6 next header of Genesis packets (RFC 3692).",
                          UintegerValue(253),
                          MakeUintegerAccessor(&GenesisLabelFilter::SetProtocol,
                                               &GenesisLabelFilter::GetProtocol),
                          MakeUintegerChecker<uint8_t>());
    return tid;
}

GenesisLabelFilter::GenesisLabelFilter()
    : m_level(0),
      m_protocol(253)
{
    NS_LOG_FUNCTION(this);
}

GenesisLabelFilter::~GenesisLabelFilter()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisLabelFilter::SetLevel(uint32_t level)
{
    if (level >= GenesisShimHeader::MAX_DEPTH)
    {
        std::ostringstream oss;
        oss << "GenesisLabelFilter: Level " << level << " is beyond the shim's "
            << +GenesisShimHeader::MAX_DEPTH << " labels; use a Level from 0 to "
            << GenesisShimHeader::MAX_DEPTH - 1;
        throw GenesisError(oss.str());
    }
    m_level = static_cast<uint8_t>(level);
}

uint32_t
GenesisLabelFilter::GetLevel() const
{
    return m_level;
}

void
GenesisLabelFilter::SetProtocol(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
GenesisLabelFilter::GetProtocol() const
{
    return m_protocol;
}

bool
GenesisLabelFilter::CheckProtocol(Ptr<QueueDiscItem> item) const
{
    // EtherType only; the IP protocol number is checked in DoClassify with the header at hand.
    return item->GetProtocol() == IPV4_ETHERTYPE || item->GetProtocol() == IPV6_ETHERTYPE;
}

int32_t
GenesisLabelFilter::DoClassify(Ptr<QueueDiscItem> item) const
{
    const QueueDiscItem* raw = PeekPointer(item);
    if (item->GetProtocol() == IPV4_ETHERTYPE)
    {
        auto v4 = dynamic_cast<const Ipv4QueueDiscItem*>(raw);
        if (v4 == nullptr || v4->GetHeader().GetProtocol() != m_protocol)
        {
            return PF_NO_MATCH;
        }
    }
    else
    {
        auto v6 = dynamic_cast<const Ipv6QueueDiscItem*>(raw);
        if (v6 == nullptr || v6->GetHeader().GetNextHeader() != m_protocol)
        {
            return PF_NO_MATCH;
        }
    }
    int32_t label = GenesisShimHeader::PeekLabel(item->GetPacket(), m_level);
    return label < 0 ? PF_NO_MATCH : label;
}

} // namespace ns3
