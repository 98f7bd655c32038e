/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CELLULAR_IP_ROUTING_H
#define GENESIS_CELLULAR_IP_ROUTING_H

#include "cellular-ip-cache.h"
#include "cellular-ip-header.h"

#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/socket.h"
#include "ns3/timer.h"
#include "ns3/traced-callback.h"

#include <map>
#include <set>
#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The timers of a Cellular IP network, checked together.
 *
 * GenesisCellularIpRouting and GenesisCellularIpMobileHost carry copies of
 * these as Attributes; CellularIpHelper keeps them equal on every node.
 */
struct GenesisCellularIpTimers
{
    Time routeUpdateTime{Seconds(3)};     //!< active MH: max time between route-updates
    Time routeTimeout{Seconds(9)};        //!< route-cache mapping lifetime
    Time pagingUpdateTime{Seconds(30)};   //!< idle MH: time between paging-updates
    Time pagingTimeout{Seconds(90)};      //!< paging-cache mapping lifetime
    Time activeStateTimeout{Seconds(6)};  //!< MH goes idle this long after its last data packet
    Time semisoftDelay{MilliSeconds(20)}; //!< delay of the new path at the crossover node
    Time beaconInterval{Seconds(1)};      //!< gateway beacon period
    Time airBeaconInterval{MilliSeconds(100)}; //!< base-station beacon period on the air

    /**
     * Check the timers for consistency.
     * \param where who is asking (named in the message)
     * \throw GenesisError naming the attributes and the fix
     */
    void Check(const std::string& where) const;
};

/**
 * \ingroup genesis
 *
 * \brief The Cellular IP forwarder of a routelet: gateway, interior node or
 * base station of a Cellular IP access network.
 *
 * An Ipv4RoutingProtocol inserted into the node's Ipv4ListRouting above the
 * parent's routing. It handles the packets whose source or destination lies
 * in the Cellular IP address range (Network/Mask) and declines every other
 * packet, so the parent's routing handles those:
 *  - uplink (source in the range, arriving on a Cellular IP interface other
 *    than the uplink): refresh the route cache (data and route-update
 *    packets) and the paging cache (every packet), then forward on the
 *    uplink interface learned from the gateway beacons; the gateway hands
 *    the packet to the parent's routing;
 *  - downlink (destination in the range): route cache, then paging cache,
 *    then broadcast paging on every downlink interface if this node keeps no
 *    paging cache (a node that keeps one and has no mapping drops the
 *    packet: the host is not below it). During a semisoft handoff the
 *    crossover node sends a copy on both paths, the new one delayed by
 *    SemisoftDelay.
 *
 * The gateway floods beacons down the tree every BeaconInterval; each node
 * takes the interface a beacon arrived on as its uplink. A base station
 * repeats the beacon on its air interface every AirBeaconInterval (the base
 * station beacon mobile hosts measure).
 */
class GenesisCellularIpRouting : public Ipv4RoutingProtocol
{
  public:
    /// Role of the node in the access network.
    enum Role
    {
        GATEWAY,      //!< joins the access network to the parent IP network
        NODE,         //!< interior Cellular IP node
        BASE_STATION, //!< a node with an air interface
    };

    /// \return the TypeId
    static TypeId GetTypeId();
    GenesisCellularIpRouting();
    ~GenesisCellularIpRouting() override;

    // Ipv4RoutingProtocol
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

    /// \param interface an IPv4 interface index that is a link of the access network's tree
    void AddCellularIpInterface(uint32_t interface);
    /// \param interface the base station's air interface (also a Cellular IP interface)
    void SetAirInterface(uint32_t interface);
    /// \return the node's role
    Role GetRole() const;
    /**
     * \brief Admission of hosts at a base station (membership of the child).
     *
     * A base station drops, with PacketLost reason "not-member", every
     * packet arriving on its air interface whose source \p admit refuses:
     * the host gets no service, not even route-cache entries.
     * \param admit returns true for an admitted host address (null: all)
     */
    void SetAdmission(Callback<bool, Ipv4Address> admit);
    /**
     * \brief Stop the forwarder (the child network was torn down).
     *
     * Beacons stop, sockets close, caches are flushed and every packet is
     * declined from now on, so the parent's routing handles the node's
     * traffic again. Ipv4ListRouting cannot remove a protocol: the stopped
     * forwarder stays in the list, inert.
     */
    void Stop();
    /// \return true after Stop()
    bool IsStopped() const;
    /// \return the air device (base stations) or null
    Ptr<NetDevice> GetAirDevice() const;
    /// \param role the node's role
    void SetRole(Role role);
    /// \return the timers as configured
    GenesisCellularIpTimers GetTimers() const;
    /// \param t the timers (checked; GenesisError if inconsistent)
    void SetTimers(const GenesisCellularIpTimers& t);
    /// \return whether \p a lies in the Cellular IP range
    bool InRange(Ipv4Address a) const;

    /// \return the route cache
    Ptr<GenesisCellularIpCache> GetRouteCache() const;
    /// \return the paging cache (null if the node keeps none)
    Ptr<GenesisCellularIpCache> GetPagingCache() const;
    /// \return the uplink interface (-1 before the first beacon; gateway: -1)
    int32_t GetUplinkInterface() const;
    /// \return the gateway id learned from beacons (the gateway: its own)
    Ipv4Address GetGatewayId() const;
    /// \return the node's address on \p interface
    Ipv4Address GetInterfaceAddress(uint32_t interface) const;

    /// TracedCallback signature of control packets: header, interface.
    typedef void (*ControlTracedCallback)(const GenesisCellularIpHeader& header,
                                          uint32_t interface);
    /// TracedCallback signature of losses: packet, IP header, reason.
    typedef void (*LostTracedCallback)(Ptr<const Packet> p,
                                       const Ipv4Header& header,
                                       const std::string& reason);
    /// TracedCallback signature of paging: host, how ("paging-cache" or "broadcast").
    typedef void (*PagingTracedCallback)(Ipv4Address mobile, const std::string& how);

  protected:
    void DoInitialize() override;
    void DoDispose() override;

  private:
    /// Send a gateway beacon down every tree interface.
    void SendGatewayBeacon();
    /// Send a base station beacon on the air.
    void SendAirBeacon();
    /// Send \p h on \p interface as a limited broadcast.
    void SendControl(const GenesisCellularIpHeader& h, uint32_t interface);
    /// Receive on the control socket.
    void HandleControl(Ptr<Socket> socket);
    /// Learn caches from a control packet of a host arriving on \p iif.
    void LearnControl(const GenesisCellularIpHeader& h, uint32_t iif, Ipv4Address from);
    /// Forward a downlink packet. \return true (the packet is handled)
    bool ForwardDown(Ptr<const Packet> p,
                     const Ipv4Header& header,
                     uint32_t iif,
                     const UnicastForwardCallback& ucb);
    /// Peek a Cellular IP control header in a UDP packet. \return true if found
    bool PeekControl(Ptr<const Packet> p,
                     const Ipv4Header& header,
                     GenesisCellularIpHeader& out) const;
    /// \return a route to \p dst (gateway \p gw) on \p interface from \p src
    Ptr<Ipv4Route> MakeRoute(Ipv4Address dst,
                             Ipv4Address gw,
                             uint32_t interface,
                             Ipv4Address src) const;
    /// Create the control sockets.
    void OpenSockets();

    Ptr<Ipv4> m_ipv4;                            //!< the node's IPv4
    Role m_role;                                 //!< role
    Ipv4Address m_network;                       //!< Cellular IP range
    Ipv4Mask m_mask;                             //!< Cellular IP range mask
    uint16_t m_port;                             //!< control UDP port
    uint8_t m_controlTos;                        //!< TOS of control packets
    bool m_keepPagingCache;                      //!< whether this node has a paging cache
    Time m_routeUpdateTime;                      //!< timer (see GenesisCellularIpTimers)
    Time m_routeTimeout;                         //!< timer
    Time m_pagingUpdateTime;                     //!< timer
    Time m_pagingTimeout;                        //!< timer
    Time m_activeStateTimeout;                   //!< timer
    Time m_semisoftDelay;                        //!< timer
    Time m_beaconInterval;                       //!< timer
    Time m_airBeaconInterval;                    //!< timer
    std::set<uint32_t> m_cipInterfaces;          //!< tree interfaces (incl. air)
    int32_t m_airInterface;                      //!< the air interface or -1
    int32_t m_uplink;                            //!< uplink interface or -1
    Ipv4Address m_uplinkNeighbour;               //!< beacon source on the uplink
    Ipv4Address m_gatewayId;                     //!< gateway id
    uint8_t m_hops;                              //!< hops from the gateway
    uint32_t m_beaconSeq;                        //!< last beacon sequence seen/sent
    bool m_beaconSeen;                           //!< any beacon seen
    Ptr<GenesisCellularIpCache> m_routeCache;    //!< route cache
    Ptr<GenesisCellularIpCache> m_pagingCache;   //!< paging cache
    Ptr<Socket> m_rxSocket;                      //!< control receive socket
    std::map<uint32_t, Ptr<Socket>> m_txSockets; //!< per-interface send sockets
    Callback<bool, Ipv4Address> m_admit;         //!< membership at a base station
    bool m_stopped;                              //!< Stop() was called
    EventId m_beaconEvent;                       //!< next gateway beacon
    EventId m_airBeaconEvent;                    //!< next air beacon

    TracedCallback<const GenesisCellularIpHeader&, uint32_t> m_controlTxTrace; //!< control sent
    TracedCallback<const GenesisCellularIpHeader&, uint32_t> m_controlRxTrace; //!< control received
    TracedCallback<Ptr<const Packet>, const Ipv4Header&, const std::string&> m_lostTrace; //!< loss
    TracedCallback<Ipv4Address, const std::string&> m_pagingTrace; //!< paging of a host
};

} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_ROUTING_H */
