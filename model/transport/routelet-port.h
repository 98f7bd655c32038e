/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ROUTELET_PORT_H
#define ROUTELET_PORT_H

#include "genesis-l4-protocol.h"

#include "ns3/virtual-net-device.h"

#include <functional>
#include <string>
#include <vector>

namespace ns3
{

class VirtualLink;
class Routelet;

/**
 * \ingroup genesis
 *
 * \brief A routelet port: one end of a virtual link on a child routelet.
 *
 * A NetDevice (ns-3's VirtualNetDevice, so the MacTx/MacRx/Sniffer traces,
 * pcap through GenesisHelper and every ns-3 stack work unchanged) whose
 * transmission encapsulates the packet in the Genesis shim (label stack of
 * its network, virtual link id and direction) and hands it to the host's
 * GenesisL4Protocol, which sends it through the host's IPv4 stack to the
 * next parent routelet with an explicit route: ARP, the device's traffic
 * control and the ArbitratorQueueDisc apply as usual. The port itself never
 * queues. Its MTU is the parent device's MTU minus the IPv4 header and the
 * shim, so the child's own stack fragments when needed.
 */
class RouteletPort : public VirtualNetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RouteletPort();
    ~RouteletPort() override;

    /**
     * \brief Bind the port to its link end.
     * \param link the virtual link
     * \param reverse true when this port sends from end B to end A
     * \param labels label stack of the port's network
     * \param hostL4 the Genesis demultiplexor of the physical host
     * \param firstHop the first physical hop of the link in this direction
     */
    void Bind(Ptr<VirtualLink> link,
              bool reverse,
              const std::vector<uint16_t>& labels,
              Ptr<GenesisL4Protocol> hostL4,
              GenesisL4Protocol::Hop firstHop);

    /// \return the virtual link of this port
    Ptr<VirtualLink> GetVirtualLink() const;

    /// \return the label stack of the port's network
    const std::vector<uint16_t>& GetLabels() const;

    /// \return the number of packets handed to the host for transmission
    uint64_t GetTxPackets() const;
    /// \return the number of packets delivered up through this port
    uint64_t GetRxPackets() const;

    /**
     * A port is a point-to-point link: multicast (routing protocols such as
     * RIP and OLSR) simply reaches the peer.
     * \return true
     */
    bool IsMulticast() const override;

    /**
     * \brief Deliver a packet received from the host's demultiplexor.
     * \param packet the child's packet (shim removed)
     * \param protocol its EtherType
     */
    void DeliverUp(Ptr<Packet> packet, uint16_t protocol);

    /**
     * \brief Admission check of packets this port sends (an end host's access port).
     *
     * The function gets each packet (its IPv4 header first) before it is
     * encapsulated; returning false drops it here, at the network's edge.
     * \param check the check (empty: admit everything)
     */
    void SetAdmission(std::function<bool(Ptr<const Packet>)> check);
    /// \return the number of packets the admission check dropped
    uint64_t GetAdmissionDrops() const;

    /**
     * \brief Detach the port from its link and its host (teardown of an end
     * host's access port, which stays on the host node): it sends nothing more.
     */
    void Unbind();

  protected:
    void DoDispose() override;

  private:
    /// VirtualNetDevice send callback: encapsulate and hand to the host.
    bool SendToHost(Ptr<Packet> packet,
                    const Address& source,
                    const Address& dest,
                    uint16_t protocolNumber);

    Ptr<VirtualLink> m_link;                            //!< the virtual link
    bool m_reverse;                                     //!< direction of transmission on the link
    uint32_t m_vlinkId;                                 //!< cached link id
    std::vector<uint16_t> m_labels;                     //!< network label stack
    Ptr<GenesisL4Protocol> m_hostL4;                    //!< host demultiplexor
    GenesisL4Protocol::Hop m_firstHop;                  //!< first hop
    uint64_t m_txPackets;                               //!< packets sent
    uint64_t m_rxPackets;                               //!< packets received
    std::function<bool(Ptr<const Packet>)> m_admission; //!< edge admission (end hosts)
    uint64_t m_admissionDrops;                          //!< packets refused by m_admission
};

} // namespace ns3

#endif /* ROUTELET_PORT_H */
