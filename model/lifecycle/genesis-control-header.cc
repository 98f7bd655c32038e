/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-control-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(GenesisControlHeader);

TypeId
GenesisControlHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisControlHeader")
                            .SetParent<Header>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisControlHeader>();
    return tid;
}

TypeId
GenesisControlHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

GenesisControlHeader::GenesisControlHeader()
    : m_type(CONSTRUCT),
      m_status(OK),
      m_net(0),
      m_txn(0),
      m_seq(0),
      m_host(0)
{
}

uint32_t
GenesisControlHeader::GetSerializedSize() const
{
    return 16;
}

void
GenesisControlHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(m_type);
    i.WriteU8(m_status);
    i.WriteHtonU16(m_net);
    i.WriteHtonU32(m_txn);
    i.WriteHtonU32(m_seq);
    i.WriteHtonU32(m_host);
}

uint32_t
GenesisControlHeader::Deserialize(Buffer::Iterator i)
{
    m_type = i.ReadU8();
    m_status = i.ReadU8();
    m_net = i.ReadNtohU16();
    m_txn = i.ReadNtohU32();
    m_seq = i.ReadNtohU32();
    m_host = i.ReadNtohU32();
    return 16;
}

const char*
GenesisControlHeader::StatusName(Status s)
{
    switch (s)
    {
    case OK:
        return "ok";
    case UNKNOWN_TRANSACTION:
        return "unknown transaction";
    case CONSTRUCT_FAILED:
        return "construct failed";
    case WRONG_HOST:
        return "wrong host";
    }
    return "unknown status";
}

void
GenesisControlHeader::Print(std::ostream& os) const
{
    const char* t = "UNKNOWN";
    switch (m_type)
    {
    case CONSTRUCT:
        t = "CONSTRUCT";
        break;
    case ACK:
        t = "ACK";
        break;
    case NACK:
        t = "NACK";
        break;
    case OUTCOME:
        t = "OUTCOME";
        break;
    case OUTCOME_ACK:
        t = "OUTCOME_ACK";
        break;
    }
    os << t << " net=" << m_net << " txn=" << m_txn << " seq=" << m_seq << " host=" << m_host
       << " status=" << StatusName(static_cast<Status>(m_status));
}

void
GenesisControlHeader::SetType(MessageType t)
{
    m_type = t;
}

GenesisControlHeader::MessageType
GenesisControlHeader::GetType() const
{
    return static_cast<MessageType>(m_type);
}

void
GenesisControlHeader::SetStatus(Status s)
{
    m_status = s;
}

GenesisControlHeader::Status
GenesisControlHeader::GetStatus() const
{
    return static_cast<Status>(m_status);
}

void
GenesisControlHeader::SetNetworkId(uint16_t id)
{
    m_net = id;
}

uint16_t
GenesisControlHeader::GetNetworkId() const
{
    return m_net;
}

void
GenesisControlHeader::SetTransaction(uint32_t id)
{
    m_txn = id;
}

uint32_t
GenesisControlHeader::GetTransaction() const
{
    return m_txn;
}

void
GenesisControlHeader::SetSequence(uint32_t seq)
{
    m_seq = seq;
}

uint32_t
GenesisControlHeader::GetSequence() const
{
    return m_seq;
}

void
GenesisControlHeader::SetHost(uint32_t id)
{
    m_host = id;
}

uint32_t
GenesisControlHeader::GetHost() const
{
    return m_host;
}

} // namespace ns3
