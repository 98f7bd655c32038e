/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_ROUTELET_STATE_H
#define VIRTUAL_ROUTELET_STATE_H

#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{

class GenesisMetabus;
class Routelet;
class RouteletPort;
class Ipv4StaticRouting;

/**
 * \ingroup genesis
 *
 * \brief Binding interface (§IV): the state of one routelet — its ports,
 * their addresses and neighbours — and its routing table.
 *
 * Obtained from the routelet's network's metabus
 * (GenesisMetabus::GetRouteletState). Routing programs use it to read, add
 * and remove routes of the routelet's ns-3 Ipv4StaticRouting (the static
 * part of a list routing works as well). A spawned routelet's routing is a
 * GenesisRouteletRouting: its routes are its own static routes and its
 * network's shared spawn routes, listed, removed and overridden here as if
 * they were one static table. Ports are numbered as in
 * Routelet::GetPorts(); a route "via port i" sends to the neighbour's address
 * on that port's link.
 */
class VirtualRouteletState : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualRouteletState();
    ~VirtualRouteletState() override;

    /// One route of the routelet's static routing table.
    struct Route
    {
        Ipv4Address destination; //!< destination network (or host)
        Ipv4Mask mask;           //!< its mask (/32 for a host route)
        Ipv4Address gateway;     //!< next hop (0.0.0.0: directly connected)
        uint32_t interface;      //!< IPv4 interface index
        int32_t port;            //!< port index, or -1 when the interface is no port
        uint32_t metric;         //!< metric
    };

    /// \return the routelet's name on its bus
    std::string GetName() const;
    /// \return the name of the routelet's network
    std::string GetNetworkName() const;
    /// \return the routelet
    Ptr<Routelet> GetRoutelet() const;
    /// \return the node carrying the routelet (null before spawning)
    Ptr<Node> GetNode() const;
    /// \return the id of the physical node hosting the routelet
    uint32_t GetHostId() const;

    /// \return the number of ports
    uint32_t GetNPorts() const;
    /// \param i port index \return the port \throws GenesisError for a bad index
    Ptr<RouteletPort> GetPort(uint32_t i) const;
    /// \param i port index \return the port's IPv4 address (0.0.0.0 without a stack)
    Ipv4Address GetPortAddress(uint32_t i) const;
    /// \param i port index \return the name of the link of the port
    std::string GetPortLink(uint32_t i) const;
    /// \param i port index \return the name of the routelet at the other end of the port's link
    std::string GetNeighbour(uint32_t i) const;
    /// \param i port index \return the neighbour's address on the link
    Ipv4Address GetNeighbourAddress(uint32_t i) const;
    /// \param neighbour a routelet name \return the index of the first port leading to it, or -1
    int32_t FindPortTo(const std::string& neighbour) const;

    /// \return the routes of the routelet's static routing, in table order
    std::vector<Route> GetRoutes() const;
    /**
     * \brief Add a route through a port, next hop the neighbour on that port's link.
     * \param destination network address
     * \param mask network mask
     * \param port port index
     * \param metric metric
     * \throws GenesisError for a bad port, a routelet without static routing
     */
    void AddRoute(Ipv4Address destination, Ipv4Mask mask, uint32_t port, uint32_t metric = 0);
    /**
     * \brief Remove every static route to exactly \p destination / \p mask.
     * \return the number of routes removed
     * \throws GenesisError for a routelet without static routing
     */
    uint32_t RemoveRoute(Ipv4Address destination, Ipv4Mask mask);

    /// TracedCallback signature: destination, mask, gateway, interface.
    typedef void (*RouteTracedCallback)(Ipv4Address destination,
                                        Ipv4Mask mask,
                                        Ipv4Address gateway,
                                        uint32_t interface);

    /// \cond internal
    void Bind(Ptr<GenesisMetabus> bus, const std::string& name, Ptr<Routelet> routelet);
    /// \endcond

  protected:
    void DoDispose() override;

  private:
    Ptr<Ipv4StaticRouting> GetStaticRouting(const std::string& what) const;
    void CheckPort(uint32_t i) const;
    void CheckBound() const;

    Ptr<GenesisMetabus> m_bus; //!< the bus (null once disposed)
    std::string m_name;        //!< routelet name
    Ptr<Routelet> m_routelet;  //!< routelet

    TracedCallback<Ipv4Address, Ipv4Mask, Ipv4Address, uint32_t> m_routeAddedTrace;   //!< added
    TracedCallback<Ipv4Address, Ipv4Mask, Ipv4Address, uint32_t> m_routeRemovedTrace; //!< removed
};

} // namespace ns3

#endif /* VIRTUAL_ROUTELET_STATE_H */
