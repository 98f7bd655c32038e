/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-dscp-marker.h"

#include "genesis-dscp.h"

#include "ns3/genesis-error.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/string.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServMarker");
NS_OBJECT_ENSURE_REGISTERED(GenesisDscpMarker);

namespace
{
constexpr uint16_t IPV4_ETHERTYPE = 0x0800; //!< EtherType of IPv4 items
constexpr uint16_t IPV6_ETHERTYPE = 0x86DD; //!< EtherType of IPv6 items

/// \return the IP version in the first byte of \p packet (0 if empty)
uint8_t
IpVersion(Ptr<const Packet> packet, uint8_t* buf, uint32_t n)
{
    if (packet->GetSize() < n)
    {
        return 0;
    }
    packet->CopyData(buf, n);
    return buf[0] >> 4;
}
} // namespace

TypeId
GenesisDscpMarker::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisDscpMarker")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisDscpMarker>()
            .AddAttribute("Dscp",
                          "Codepoint written into every packet: a name (EF, AF11..AF43, "
                          "CS0..CS7, BE, VA) or a number 0..63.",
                          StringValue("BE"),
                          MakeStringAccessor(&GenesisDscpMarker::SetDscpName,
                                             &GenesisDscpMarker::GetDscpName),
                          MakeStringChecker())
            .AddTraceSource("Marked",
                            "A packet was marked: old and new codepoint.",
                            MakeTraceSourceAccessor(&GenesisDscpMarker::m_traceMarked),
                            "ns3::GenesisDscpMarker::MarkedTracedCallback");
    return tid;
}

GenesisDscpMarker::GenesisDscpMarker()
    : m_dscp(0),
      m_marked(0)
{
}

GenesisDscpMarker::~GenesisDscpMarker()
{
}

void
GenesisDscpMarker::SetDscpName(std::string text)
{
    m_dscp = GenesisDscp::ParseOrThrow(text, "GenesisDscpMarker: attribute Dscp");
}

std::string
GenesisDscpMarker::GetDscpName() const
{
    return GenesisDscp::Name(m_dscp);
}

uint8_t
GenesisDscpMarker::GetDscp() const
{
    return m_dscp;
}

void
GenesisDscpMarker::SetDscp(uint8_t dscp)
{
    if (dscp > 63)
    {
        throw GenesisError("GenesisDscpMarker: codepoint " + std::to_string(dscp) +
                           " is above 63; a DSCP has six bits");
    }
    m_dscp = dscp;
}

bool
GenesisDscpMarker::Mark(Ptr<Packet> packet)
{
    int32_t old = GetDscp(packet);
    if (old < 0 || !SetDscp(packet, m_dscp))
    {
        return false;
    }
    ++m_marked;
    m_traceMarked(static_cast<uint8_t>(old), m_dscp);
    return true;
}

Ptr<QueueDiscItem>
GenesisDscpMarker::MarkItem(Ptr<QueueDiscItem> item)
{
    int32_t old = GetItemDscp(item);
    if (old < 0)
    {
        return item;
    }
    ++m_marked;
    m_traceMarked(static_cast<uint8_t>(old), m_dscp);
    return SetItemDscp(item, m_dscp);
}

bool
GenesisDscpMarker::SetIpv4Dscp(Ptr<Packet> packet, uint8_t dscp)
{
    uint8_t b[12];
    if (IpVersion(packet, b, sizeof(b)) != 4)
    {
        return false;
    }
    if ((b[1] >> 2) == dscp)
    {
        return true; // nothing to do: no copy
    }
    const bool hadChecksum = b[10] != 0 || b[11] != 0;
    Ipv4Header h;
    packet->RemoveHeader(h);
    h.SetDscp(static_cast<Ipv4Header::DscpType>(dscp));
    if (hadChecksum || Node::ChecksumEnabled())
    {
        h.EnableChecksum();
    }
    packet->AddHeader(h);
    return true;
}

bool
GenesisDscpMarker::SetIpv6Dscp(Ptr<Packet> packet, uint8_t dscp)
{
    uint8_t b[2];
    if (IpVersion(packet, b, sizeof(b)) != 6)
    {
        return false;
    }
    Ipv6Header h;
    packet->RemoveHeader(h);
    h.SetDscp(static_cast<Ipv6Header::DscpType>(dscp));
    packet->AddHeader(h);
    return true;
}

bool
GenesisDscpMarker::SetDscp(Ptr<Packet> packet, uint8_t dscp)
{
    uint8_t b[1];
    switch (IpVersion(packet, b, 1))
    {
    case 4:
        return SetIpv4Dscp(packet, dscp);
    case 6:
        return SetIpv6Dscp(packet, dscp);
    default:
        return false;
    }
}

int32_t
GenesisDscpMarker::GetDscp(Ptr<const Packet> packet)
{
    uint8_t b[2];
    switch (IpVersion(packet, b, 2))
    {
    case 4:
        return b[1] >> 2;
    case 6:
        return ((b[0] & 0x0f) << 2) | (b[1] >> 6);
    default:
        return -1;
    }
}

Ptr<QueueDiscItem>
GenesisDscpMarker::SetItemDscp(Ptr<QueueDiscItem> item, uint8_t dscp)
{
    Ptr<QueueDiscItem> out;
    if (item->GetProtocol() == IPV4_ETHERTYPE)
    {
        auto v4 = DynamicCast<Ipv4QueueDiscItem>(item);
        if (!v4 || v4->GetHeader().GetDscp() == dscp)
        {
            return item;
        }
        Ipv4Header h = v4->GetHeader();
        h.SetDscp(static_cast<Ipv4Header::DscpType>(dscp));
        out = Create<Ipv4QueueDiscItem>(item->GetPacket(),
                                        item->GetAddress(),
                                        item->GetProtocol(),
                                        h);
    }
    else if (item->GetProtocol() == IPV6_ETHERTYPE)
    {
        auto v6 = DynamicCast<Ipv6QueueDiscItem>(item);
        if (!v6 || v6->GetHeader().GetDscp() == dscp)
        {
            return item;
        }
        Ipv6Header h = v6->GetHeader();
        h.SetDscp(static_cast<Ipv6Header::DscpType>(dscp));
        out = Create<Ipv6QueueDiscItem>(item->GetPacket(),
                                        item->GetAddress(),
                                        item->GetProtocol(),
                                        h);
    }
    else
    {
        return item;
    }
    out->SetTxQueueIndex(item->GetTxQueueIndex());
    out->SetTimeStamp(item->GetTimeStamp());
    return out;
}

int32_t
GenesisDscpMarker::GetItemDscp(Ptr<const QueueDiscItem> item)
{
    uint8_t tos = 0;
    if (!item->GetUint8Value(QueueItem::IP_DSFIELD, tos))
    {
        return -1;
    }
    return tos >> 2;
}

} // namespace ns3
