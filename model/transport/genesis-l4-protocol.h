/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_L4_PROTOCOL_H
#define GENESIS_L4_PROTOCOL_H

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{

class Node;
class Packet;
class RouteletPort;
class GenesisShimHeader;

/**
 * \ingroup genesis
 *
 * \brief The Genesis VN demultiplexor of a physical node (paper §III-B).
 *
 * An IpL4Protocol registered with the node's IPv4 stack for the Genesis
 * protocol number (253, RFC 3692 experimental, by default). Every child-network
 * packet crosses a physical link as an IPv4 packet addressed from this node's
 * address on the link to the next Genesis node's address on the link,
 * carrying a GenesisShimHeader and then the child's packet.
 *
 * The protocol keeps one label-switching entry per (virtual link, direction)
 * that touches this node: either "forward to the next hop" (transit through a
 * parent routelet on a multi-hop virtual link) or "deliver to this routelet
 * port". Lookups are O(1). A packet whose labels do not match the port's
 * network is dropped and traced: no packet of one network ever reaches a port
 * of another.
 */
class GenesisL4Protocol : public IpL4Protocol
{
  public:
    /// Default protocol number: 253, "use for experimentation and testing" (RFC 3692).
    static constexpr uint8_t DEFAULT_PROTOCOL = 253;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisL4Protocol();
    ~GenesisL4Protocol() override;

    /// \param node the node this protocol runs on
    void SetNode(Ptr<Node> node);
    /// \return the node this protocol runs on
    Ptr<Node> GetNode() const;

    /**
     * \brief Find or create the protocol on a node and insert it into its IPv4 stack.
     * \param node a node with an IPv4 stack
     * \return the node's GenesisL4Protocol
     */
    static Ptr<GenesisL4Protocol> Install(Ptr<Node> node);

    int GetProtocolNumber() const override;
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv6Header& header,
                     Ptr<Ipv6Interface> incomingInterface) override;
    void SetDownTarget(DownTargetCallback cb) override;
    void SetDownTarget6(DownTargetCallback6 cb) override;
    DownTargetCallback GetDownTarget() const override;
    DownTargetCallback6 GetDownTarget6() const override;

    /// One physical hop of a virtual link as seen from the sending node.
    struct Hop
    {
        Ptr<Ipv4Route> route; //!< output device, source and gateway (next routelet)
    };

    /**
     * \brief Install a transit entry: packets of (vlink, direction) arriving
     * here are sent on to the next hop unchanged.
     * \param vlinkId virtual link id
     * \param reverse direction on the link
     * \param labels the network label stack the packets must carry
     * \param hop the next hop
     */
    void AddTransit(uint32_t vlinkId, bool reverse, const std::vector<uint16_t>& labels, Hop hop);
    /**
     * \brief Install a local-delivery entry: packets of (vlink, direction)
     * arriving here are handed to \p port.
     */
    void AddDelivery(uint32_t vlinkId,
                     bool reverse,
                     const std::vector<uint16_t>& labels,
                     Ptr<RouteletPort> port);
    /// Remove the entry of (vlink, direction), if any.
    void RemoveEntry(uint32_t vlinkId, bool reverse);
    /// \return number of label-switching entries on this node
    std::size_t GetNEntries() const;

    /**
     * \brief Send a packet that already carries its shim on a hop.
     * \param packet the packet (shim first)
     * \param hop the hop
     */
    void SendOnHop(Ptr<Packet> packet, const Hop& hop);
    /// SendOnHop taking the hop by value, for scheduling in the host's context.
    void SendOnHopCopy(Ptr<Packet> packet, Hop hop);

    /// TracedCallback signature for forwarded/delivered packets: packet, vlink id.
    typedef void (*PacketTracedCallback)(Ptr<const Packet>, uint32_t);
    /// TracedCallback signature for drops: packet, vlink id, reason.
    typedef void (*DropTracedCallback)(Ptr<const Packet>, uint32_t, const std::string&);

    static constexpr const char* DROP_NO_ENTRY = "No label-switching entry"; //!< drop reason
    static constexpr const char* DROP_LABEL_MISMATCH =
        "Label stack does not match the port's network";                        //!< drop reason
    static constexpr const char* DROP_MALFORMED = "Malformed Genesis shim";     //!< drop reason
    static constexpr const char* DROP_IPV6 = "IPv6 parent links not supported"; //!< drop reason

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    /// A label-switching entry.
    struct Entry
    {
        std::vector<uint16_t> labels; //!< label stack packets must carry
        Ptr<RouteletPort> port;       //!< local delivery port, or null for transit
        Hop hop;                      //!< next hop when transit
    };

    static uint64_t Key(uint32_t vlinkId, bool reverse)
    {
        return (static_cast<uint64_t>(vlinkId) << 1) | (reverse ? 1U : 0U);
    }

    Ptr<Node> m_node;                              //!< the node
    uint8_t m_protocol;                            //!< IP protocol number
    DownTargetCallback m_downTarget;               //!< IPv4 send
    DownTargetCallback6 m_downTarget6;             //!< IPv6 send (unused)
    std::unordered_map<uint64_t, Entry> m_entries; //!< label-switching table

    TracedCallback<Ptr<const Packet>, uint32_t> m_transitTrace; //!< packet forwarded
    TracedCallback<Ptr<const Packet>, uint32_t> m_deliverTrace; //!< packet delivered
    TracedCallback<Ptr<const Packet>, uint32_t, const std::string&> m_dropTrace; //!< drops
};

} // namespace ns3

#endif /* GENESIS_L4_PROTOCOL_H */
