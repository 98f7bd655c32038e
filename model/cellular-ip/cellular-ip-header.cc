/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cellular-ip-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisCellularIpHeader");
NS_OBJECT_ENSURE_REGISTERED(GenesisCellularIpHeader);

GenesisCellularIpHeader::GenesisCellularIpHeader()
    : m_type(BEACON),
      m_flags(0),
      m_hops(0),
      m_seq(0)
{
}

TypeId
GenesisCellularIpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisCellularIpHeader")
                            .SetParent<Header>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisCellularIpHeader>();
    return tid;
}

TypeId
GenesisCellularIpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
GenesisCellularIpHeader::Print(std::ostream& os) const
{
    static const char* names[] = {"?", "beacon", "route-update", "paging-update"};
    os << (m_type <= PAGING_UPDATE ? names[m_type] : "?") << (IsSemisoft() ? " semisoft" : "")
       << " mh=" << m_mobile << " gw=" << m_gateway << " seq=" << m_seq
       << " hops=" << unsigned(m_hops);
}

uint32_t
GenesisCellularIpHeader::GetSerializedSize() const
{
    return 16;
}

void
GenesisCellularIpHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(m_type);
    start.WriteU8(m_flags);
    start.WriteU8(m_hops);
    start.WriteU8(0);
    start.WriteHtonU32(m_mobile.Get());
    start.WriteHtonU32(m_gateway.Get());
    start.WriteHtonU32(m_seq);
}

uint32_t
GenesisCellularIpHeader::Deserialize(Buffer::Iterator start)
{
    m_type = start.ReadU8();
    m_flags = start.ReadU8();
    m_hops = start.ReadU8();
    start.ReadU8();
    m_mobile = Ipv4Address(start.ReadNtohU32());
    m_gateway = Ipv4Address(start.ReadNtohU32());
    m_seq = start.ReadNtohU32();
    if (m_type < BEACON || m_type > PAGING_UPDATE)
    {
        m_type = static_cast<Type>(0);
    }
    return 16;
}

void
GenesisCellularIpHeader::SetType(Type t)
{
    m_type = t;
}

GenesisCellularIpHeader::Type
GenesisCellularIpHeader::GetType() const
{
    return static_cast<Type>(m_type);
}

void
GenesisCellularIpHeader::SetSemisoft(bool s)
{
    m_flags = s ? (m_flags | SEMISOFT) : (m_flags & ~SEMISOFT);
}

bool
GenesisCellularIpHeader::IsSemisoft() const
{
    return (m_flags & SEMISOFT) != 0;
}

void
GenesisCellularIpHeader::SetHops(uint8_t h)
{
    m_hops = h;
}

uint8_t
GenesisCellularIpHeader::GetHops() const
{
    return m_hops;
}

void
GenesisCellularIpHeader::SetMobile(Ipv4Address a)
{
    m_mobile = a;
}

Ipv4Address
GenesisCellularIpHeader::GetMobile() const
{
    return m_mobile;
}

void
GenesisCellularIpHeader::SetGateway(Ipv4Address a)
{
    m_gateway = a;
}

Ipv4Address
GenesisCellularIpHeader::GetGateway() const
{
    return m_gateway;
}

void
GenesisCellularIpHeader::SetSequence(uint32_t s)
{
    m_seq = s;
}

uint32_t
GenesisCellularIpHeader::GetSequence() const
{
    return m_seq;
}

} // namespace ns3
