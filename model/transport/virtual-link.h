/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_LINK_H
#define VIRTUAL_LINK_H

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/object.h"

#include <vector>

namespace ns3
{

class Routelet;
class RouteletPort;
class VirtualNetwork;

/**
 * \ingroup genesis
 *
 * \brief A virtual link between two routelets of one virtual network.
 *
 * It is mapped onto a path of its parent network's links (for a child of the
 * root: physical links); multi-hop links are label-switched by the
 * GenesisL4Protocol of every physical node on the path, so the packets follow
 * exactly the path on which admission reserved capacity.
 */
class VirtualLink : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualLink();
    ~VirtualLink() override;

    /// One physical hop of the link, in the A-to-B direction.
    struct PhysicalHop
    {
        Ptr<Node> from;         //!< sending host
        Ptr<NetDevice> fromDev; //!< its device
        Ipv4Address fromAddr;   //!< its address on the link
        Ptr<Node> to;           //!< receiving host
        Ptr<NetDevice> toDev;   //!< its device
        Ipv4Address toAddr;     //!< its address on the link
    };

    /// \return the link id (unique in the simulation; carried in the shim)
    uint32_t GetId() const;
    /// \return the network the link belongs to
    Ptr<VirtualNetwork> GetNetwork() const;
    /// \return end A
    Ptr<Routelet> GetEndA() const;
    /// \return end B
    Ptr<Routelet> GetEndB() const;
    /// \return the port at end A (null before spawning)
    Ptr<RouteletPort> GetPortA() const;
    /// \return the port at end B (null before spawning)
    Ptr<RouteletPort> GetPortB() const;
    /// \return the rate reserved for the link on every parent link it crosses
    DataRate GetRate() const;
    /// \return the hosts the link is required to pass, in order (empty: shortest path)
    const std::vector<Ptr<Node>>& GetVia() const;
    /// \return the physical hops A to B (empty before spawning)
    const std::vector<PhysicalHop>& GetPhysicalPath() const;
    /// \return the parent-network hosts the link crosses, A to B (empty before spawning)
    const std::vector<Ptr<Node>>& GetHostPath() const;
    /// \return the IPv4 subnet of the link inside its network
    Ipv4Address GetSubnet() const;

    // Used by VirtualNetwork when building and tearing down.
    /// \cond internal
    void Setup(uint32_t id,
               Ptr<VirtualNetwork> network,
               Ptr<Routelet> a,
               Ptr<Routelet> b,
               DataRate rate,
               std::vector<Ptr<Node>> via);
    void SetPath(std::vector<Ptr<Node>> hosts, std::vector<PhysicalHop> hops);
    void SetPorts(Ptr<RouteletPort> a, Ptr<RouteletPort> b);
    void SetSubnet(Ipv4Address subnet);
    void SetRate(DataRate rate);
    void Clear();
    /// \endcond

  protected:
    void DoDispose() override;

  private:
    uint32_t m_id;                     //!< id
    Ptr<VirtualNetwork> m_network;     //!< network
    Ptr<Routelet> m_a;                 //!< end A
    Ptr<Routelet> m_b;                 //!< end B
    Ptr<RouteletPort> m_portA;         //!< port A
    Ptr<RouteletPort> m_portB;         //!< port B
    DataRate m_rate;                   //!< reserved rate
    std::vector<Ptr<Node>> m_via;      //!< required hosts
    std::vector<Ptr<Node>> m_hostPath; //!< resolved hosts
    std::vector<PhysicalHop> m_hops;   //!< resolved physical hops
    Ipv4Address m_subnet;              //!< subnet
};

} // namespace ns3

#endif /* VIRTUAL_LINK_H */
