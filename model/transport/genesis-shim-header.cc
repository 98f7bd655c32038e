/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-shim-header.h"

#include "ns3/log.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisShimHeader");
NS_OBJECT_ENSURE_REGISTERED(GenesisShimHeader);

TypeId
GenesisShimHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisShimHeader")
                            .SetParent<Header>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisShimHeader>();
    return tid;
}

TypeId
GenesisShimHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

GenesisShimHeader::GenesisShimHeader()
    : m_flags(0),
      m_innerProtocol(0x0800),
      m_vlinkId(0),
      m_valid(true)
{
}

void
GenesisShimHeader::Print(std::ostream& os) const
{
    os << "vlink=" << m_vlinkId << (IsReverse() ? " B->A" : " A->B") << " labels=[";
    for (std::size_t i = 0; i < m_labels.size(); ++i)
    {
        os << (i ? "," : "") << m_labels[i];
    }
    os << "] proto=0x" << std::hex << m_innerProtocol << std::dec;
}

uint32_t
GenesisShimHeader::GetSerializedSize() const
{
    return FIXED_SIZE + 2 * static_cast<uint32_t>(m_labels.size());
}

void
GenesisShimHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(static_cast<uint8_t>((VERSION << 4) | (m_flags & 0x0f)));
    i.WriteU8(static_cast<uint8_t>(m_labels.size()));
    i.WriteHtonU16(m_innerProtocol);
    i.WriteHtonU32(m_vlinkId);
    for (uint16_t label : m_labels)
    {
        i.WriteHtonU16(label);
    }
}

uint32_t
GenesisShimHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    uint8_t vf = i.ReadU8();
    uint8_t depth = i.ReadU8();
    m_innerProtocol = i.ReadNtohU16();
    m_vlinkId = i.ReadNtohU32();
    m_flags = vf & 0x0f;
    m_valid = ((vf >> 4) == VERSION) && depth <= MAX_DEPTH;
    if (!m_valid)
    {
        depth = 0;
    }
    m_labels.resize(depth);
    for (uint8_t k = 0; k < depth; ++k)
    {
        m_labels[k] = i.ReadNtohU16();
    }
    return i.GetDistanceFrom(start);
}

void
GenesisShimHeader::SetLabels(const std::vector<uint16_t>& labels)
{
    NS_ABORT_MSG_IF(labels.size() > MAX_DEPTH,
                    "GenesisShimHeader: " << labels.size() << " labels exceed the maximum depth "
                                          << +MAX_DEPTH);
    m_labels = labels;
}

const std::vector<uint16_t>&
GenesisShimHeader::GetLabels() const
{
    return m_labels;
}

uint8_t
GenesisShimHeader::GetDepth() const
{
    return static_cast<uint8_t>(m_labels.size());
}

void
GenesisShimHeader::SetVirtualLinkId(uint32_t vlinkId)
{
    m_vlinkId = vlinkId;
}

uint32_t
GenesisShimHeader::GetVirtualLinkId() const
{
    return m_vlinkId;
}

void
GenesisShimHeader::SetReverse(bool reverse)
{
    m_flags = reverse ? (m_flags | 0x1) : (m_flags & ~0x1);
}

bool
GenesisShimHeader::IsReverse() const
{
    return (m_flags & 0x1) != 0;
}

void
GenesisShimHeader::SetInnerProtocol(uint16_t proto)
{
    m_innerProtocol = proto;
}

uint16_t
GenesisShimHeader::GetInnerProtocol() const
{
    return m_innerProtocol;
}

bool
GenesisShimHeader::IsValid() const
{
    return m_valid;
}

int32_t
GenesisShimHeader::PeekLabel(Ptr<const Packet> packet, uint8_t level)
{
    if (level >= MAX_DEPTH)
    {
        return -1; // no shim carries that many labels (and buf holds at most MAX_DEPTH)
    }
    uint8_t buf[FIXED_SIZE + 2 * MAX_DEPTH];
    uint32_t want = FIXED_SIZE + 2 * (static_cast<uint32_t>(level) + 1);
    if (packet->GetSize() < want)
    {
        return -1;
    }
    packet->CopyData(buf, want);
    if ((buf[0] >> 4) != VERSION || buf[1] <= level || buf[1] > MAX_DEPTH)
    {
        return -1;
    }
    uint32_t off = FIXED_SIZE + 2 * level;
    return (static_cast<int32_t>(buf[off]) << 8) | buf[off + 1];
}

} // namespace ns3
