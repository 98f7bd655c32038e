/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CELLULAR_IP_HEADER_H
#define GENESIS_CELLULAR_IP_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The Cellular IP control header: gateway/base-station beacons,
 * route-update, paging-update and semisoft route-update packets.
 *
 * Carried in UDP (GenesisCellularIpRouting::ControlPort, 5454 by default)
 * inside ordinary IPv4 packets whose source is the mobile host (route and
 * paging updates, so that every node on the uplink path learns the mapping
 * from the IP header as the draft prescribes) or the node that floods the
 * beacon. Wire format, 16 bytes, network byte order:
 *
 * \verbatim
   0        8        16       24       32
   | type   | flags  | hops   | rsvd   |
   | mobile host address (or 0)        |
   | gateway id (gateway's address)    |
   | sequence number                   |
   \endverbatim
 */
class GenesisCellularIpHeader : public Header
{
  public:
    /// Packet types.
    enum Type : uint8_t
    {
        BEACON = 1,        //!< gateway beacon, flooded down the tree and on the air
        ROUTE_UPDATE = 2,  //!< active MH refreshes route and paging caches
        PAGING_UPDATE = 3, //!< idle MH refreshes paging caches only
    };

    /// Flag bits.
    enum Flags : uint8_t
    {
        SEMISOFT = 0x01, //!< route-update of a semisoft handoff (the S bit)
    };

    GenesisCellularIpHeader();

    /// \return the TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// \param t the packet type
    void SetType(Type t);
    /// \return the packet type (0 if the packet carried an unknown type)
    Type GetType() const;
    /// \param s true for the semisoft S bit
    void SetSemisoft(bool s);
    /// \return whether the S bit is set
    bool IsSemisoft() const;
    /// \param h hops from the gateway (beacons)
    void SetHops(uint8_t h);
    /// \return hops from the gateway
    uint8_t GetHops() const;
    /// \param a the mobile host's address
    void SetMobile(Ipv4Address a);
    /// \return the mobile host's address
    Ipv4Address GetMobile() const;
    /// \param a the gateway id
    void SetGateway(Ipv4Address a);
    /// \return the gateway id
    Ipv4Address GetGateway() const;
    /// \param s the sequence number
    void SetSequence(uint32_t s);
    /// \return the sequence number
    uint32_t GetSequence() const;

  private:
    uint8_t m_type;        //!< packet type
    uint8_t m_flags;       //!< flag bits
    uint8_t m_hops;        //!< hops from the gateway
    Ipv4Address m_mobile;  //!< mobile host
    Ipv4Address m_gateway; //!< gateway id
    uint32_t m_seq;        //!< sequence number
};

} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_HEADER_H */
