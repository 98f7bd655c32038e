/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared helpers of the DiffServ tests: real IPv4/UDP packets and IPv4 queue
 * disc items built with ns-3's own headers.
 */
#ifndef GENESIS_DIFFSERV_TEST_COMMON_H
#define GENESIS_DIFFSERV_TEST_COMMON_H

#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/traffic-control-module.h"

#include <gtest/gtest.h>
#include <string>

namespace ns3
{
namespace genesis_test
{

/// Fields of a test packet
struct PktSpec
{
    std::string src{"10.0.0.1"}; //!< source address
    std::string dst{"10.0.0.2"}; //!< destination address
    uint8_t proto{17};           //!< IPv4 protocol (UDP by default)
    uint16_t sport{1000};        //!< source port
    uint16_t dport{2000};        //!< destination port
    uint8_t dscp{0};             //!< codepoint
    uint32_t payload{100};       //!< bytes after the UDP header
};

/// The IPv4 header of \p s (payload = UDP header + payload)
inline Ipv4Header
MakeIpv4Header(const PktSpec& s)
{
    Ipv4Header ip;
    ip.SetSource(Ipv4Address(s.src.c_str()));
    ip.SetDestination(Ipv4Address(s.dst.c_str()));
    ip.SetProtocol(s.proto);
    ip.SetDscp(static_cast<Ipv4Header::DscpType>(s.dscp));
    ip.SetTtl(64);
    ip.SetPayloadSize(s.payload + 8);
    return ip;
}

/// The packet after the IPv4 header: a UDP header and \p s.payload bytes
inline Ptr<Packet>
MakeL4(const PktSpec& s)
{
    Ptr<Packet> p = Create<Packet>(s.payload);
    UdpHeader udp;
    udp.SetSourcePort(s.sport);
    udp.SetDestinationPort(s.dport);
    p->AddHeader(udp);
    return p;
}

/// A whole IPv4 packet (header included), as an input port sees it
inline Ptr<Packet>
MakeIpv4Packet(const PktSpec& s)
{
    Ptr<Packet> p = MakeL4(s);
    p->AddHeader(MakeIpv4Header(s));
    return p;
}

/// An IPv4 queue disc item, as a queue disc sees it
inline Ptr<Ipv4QueueDiscItem>
MakeItem(const PktSpec& s)
{
    return Create<Ipv4QueueDiscItem>(MakeL4(s),
                                     Mac48Address("00:00:00:00:00:01"),
                                     0x0800,
                                     MakeIpv4Header(s));
}

/// An IPv4 queue disc item with codepoint \p dscp whose IP packet is \p ipBytes long
inline Ptr<Ipv4QueueDiscItem>
MakeItemOfSize(uint8_t dscp, uint32_t ipBytes)
{
    PktSpec s;
    s.dscp = dscp;
    s.payload = ipBytes - 28;
    return MakeItem(s);
}

/// Read the IPv4 header at the start of a copy of \p p, checksum verified
inline Ipv4Header
ReadIpv4(Ptr<const Packet> p)
{
    Ipv4Header h;
    h.EnableChecksum();
    p->Copy()->RemoveHeader(h);
    return h;
}

} // namespace genesis_test
} // namespace ns3

#endif /* GENESIS_DIFFSERV_TEST_COMMON_H */
