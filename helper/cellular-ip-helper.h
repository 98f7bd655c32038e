/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CELLULAR_IP_HELPER_H
#define GENESIS_CELLULAR_IP_HELPER_H

#include "ns3/cellular-ip-mobile-host.h"
#include "ns3/cellular-ip-routing.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Installs the Cellular IP roles on plain ns-3 nodes.
 *
 * Nodes need an IPv4 stack (InternetStackHelper) and addresses on their tree
 * links and base-station air interfaces before Install*. The Cellular IP
 * forwarder is added to the node's Ipv4ListRouting at RoutingPriority, above
 * the parent's routing (static: 0, global: -10). A mobile host's radio
 * device must have no IPv4 interface: the helper gives the host a
 * VirtualNetDevice air port carrying its Cellular IP address.
 *
 * Every installation checks the timers (GenesisError naming the attributes
 * and the fix) and keeps the timers of routers and hosts equal.
 *
 * Link layer: a base station learns a host's MAC address when it
 * associates (802.11 association carries it); the helper models this with
 * permanent ARP entries for every host in every base station's air
 * interface, so no ARP exchange sits in the handoff path. Installations
 * find each other through NodeList: hosts installed by one helper are
 * known to base stations installed by another (e.g. by the spawner).
 */
class CellularIpHelper
{
  public:
    CellularIpHelper();

    /// \param network the Cellular IP range \param mask its mask
    void SetRange(Ipv4Address network, Ipv4Mask mask);
    /// \param t the timers (checked now; GenesisError if inconsistent)
    void SetTimers(const GenesisCellularIpTimers& t);
    /// \return the timers
    GenesisCellularIpTimers GetTimers() const;
    /// \param name attribute of GenesisCellularIpRouting \param value its value
    void SetRoutingAttribute(const std::string& name, const AttributeValue& value);
    /// \param name attribute of GenesisCellularIpMobileHost \param value its value
    void SetMobileAttribute(const std::string& name, const AttributeValue& value);
    /// \param priority the forwarder's priority in Ipv4ListRouting (default 100)
    void SetRoutingPriority(int16_t priority);

    /**
     * \param node the gateway
     * \param tree its devices towards the access network
     * \return the forwarder
     */
    Ptr<GenesisCellularIpRouting> InstallGateway(Ptr<Node> node, NetDeviceContainer tree);
    /// \param node an interior node \param tree all its tree devices \return the forwarder
    Ptr<GenesisCellularIpRouting> InstallNode(Ptr<Node> node, NetDeviceContainer tree);
    /**
     * \param node the base station
     * \param tree its tree devices (towards the gateway and further nodes)
     * \param air its air interface (with an IPv4 address)
     * \return the forwarder
     */
    Ptr<GenesisCellularIpRouting> InstallBaseStation(Ptr<Node> node,
                                                     NetDeviceContainer tree,
                                                     Ptr<NetDevice> air);
    /**
     * \param node the mobile host (IPv4 stack, no address on \p air)
     * \param air its radio device
     * \param address its Cellular IP address (inside the range)
     * \return the agent (an Application, started at 0 s)
     */
    Ptr<GenesisCellularIpMobileHost> InstallMobileHost(Ptr<Node> node,
                                                       Ptr<NetDevice> air,
                                                       Ipv4Address address);

    /**
     * \brief Install a forwarder made elsewhere (e.g. from a profile's factory).
     *
     * Its Role, timers and other attributes are kept (the timers are
     * checked); Network and Mask are set from SetRange. Every check runs
     * before the node is changed: on GenesisError nothing was installed.
     * \param node the node
     * \param cip the forwarder
     * \param tree its tree devices
     * \param air the air device (base stations), else null
     * \return \p cip
     */
    Ptr<GenesisCellularIpRouting> InstallForwarder(Ptr<Node> node,
                                                   Ptr<GenesisCellularIpRouting> cip,
                                                   NetDeviceContainer tree,
                                                   Ptr<NetDevice> air);

    /// \return the running (not stopped) forwarder of \p node (null if none)
    static Ptr<GenesisCellularIpRouting> GetRouting(Ptr<Node> node);

  private:
    /// Common part of the router installations.
    Ptr<GenesisCellularIpRouting> InstallRouter(Ptr<Node> node,
                                                NetDeviceContainer tree,
                                                GenesisCellularIpRouting::Role role,
                                                Ptr<NetDevice> air);
    /// Add a permanent ARP entry for \p host (MAC \p mac) on \p bsAir.
    static void AddArp(Ptr<NetDevice> bsAir, Ipv4Address host, Address mac);

    Ipv4Address m_network;            //!< range
    Ipv4Mask m_mask;                  //!< range mask
    GenesisCellularIpTimers m_timers; //!< timers
    ObjectFactory m_routing;          //!< forwarder factory
    ObjectFactory m_mobile;           //!< agent factory
    int16_t m_priority;               //!< list-routing priority
};

} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_HELPER_H */
