/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_ROUTELET_ROUTING_H
#define GENESIS_ROUTELET_ROUTING_H

#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The routes a spawn computes for a whole child network, shared by all
 * its routelets.
 *
 * A spawn routes every link subnet (and end-host access subnet) of the child
 * to every routelet not attached to it, over the first link of a breadth-first
 * path towards the subnet's end A. Instead of N x E Ipv4StaticRouting entries
 * (about 80 bytes each), the network keeps one table: the destinations (/30
 * subnets with their end routelets, sorted by subnet for lookup) and a dense
 * N x N matrix of next ports (2 bytes each: the index, in Routelet::GetPorts()
 * of the source routelet, of the port on the first link towards a routelet).
 * One BFS per routelet fills it, O(N (N + E)) time and 2 N^2 + 12 E bytes.
 */
class GenesisRouteletTable : public SimpleRefCount<GenesisRouteletTable>
{
  public:
    /// No next port: unreachable, or the routelet itself.
    static constexpr uint16_t NO_PORT = 0xffff;

    /// A destination: a /30 subnet and the routelets it is attached to.
    struct Destination
    {
        uint32_t subnet; //!< the /30 subnet address (host order)
        uint32_t endA;   //!< routelet index of end A (the routes lead towards it)
        uint32_t endB;   //!< routelet index of end B (== endA for an access subnet)
    };

    /**
     * \param nRoutelets number of routelets
     * \param destinations the destinations, in the order the routes were installed
     */
    GenesisRouteletTable(uint32_t nRoutelets, std::vector<Destination> destinations);

    /// \return the number of routelets
    uint32_t GetNRoutelets() const;
    /// \return the number of destinations
    uint32_t GetNDestinations() const;
    /// \param k destination index \return the destination
    const Destination& GetDestination(uint32_t k) const;
    /**
     * \param s source routelet index
     * \param t target routelet index
     * \return the index of the port of \p s on the first link towards \p t, or NO_PORT
     */
    uint16_t GetNextPort(uint32_t s, uint32_t t) const;
    /// \param s source \param t target \param port port index (set by the spawn)
    void SetNextPort(uint32_t s, uint32_t t, uint16_t port);
    /**
     * \param s source routelet index
     * \param k destination index
     * \return the port \p s routes destination \p k through, or NO_PORT when it has
     *         no such route (attached to the subnet, or unreachable)
     */
    uint16_t GetRoutePort(uint32_t s, uint32_t k) const;
    /**
     * \param address an IPv4 address
     * \return the destination indices whose /30 contains \p address, ascending
     */
    std::pair<const uint32_t*, const uint32_t*> Find(Ipv4Address address) const;
    /// \return the heap bytes the table holds (matrix, destinations, index)
    std::size_t GetMemoryBytes() const;

  private:
    uint32_t m_n;                        //!< routelets
    std::vector<Destination> m_dests;    //!< destinations, in route order
    std::vector<uint32_t> m_indexSubnet; //!< destination subnets, sorted
    std::vector<uint32_t> m_indexK;      //!< their indices, same order
    std::vector<uint16_t> m_next;        //!< N x N next ports, row = source
};

/**
 * \ingroup genesis
 *
 * \brief The routing of a child routelet: ns-3's static routing plus the
 * routes of its network's shared table (GenesisRouteletTable).
 *
 * It is an Ipv4StaticRouting: connected routes and every route added to it
 * (Ipv4StaticRoutingHelper, VirtualRouteletState::AddRoute) live in its own
 * static table as always. The spawn's routes are not copied into that table;
 * they are looked up in the shared table, as if they stood in the static
 * table right after the routes the routelet had when the spawn installed them
 * (its connected and loopback routes). Lookups follow
 * Ipv4StaticRouting::LookupStatic exactly over that combined table: longest
 * prefix, then lowest metric, the later route among equals, the first /32.
 *
 * Per routelet it keeps only what differs: the spawn routes it withdrew
 * (RemoveRoutes, or an interface going down, which in ns-3 removes every
 * static route through the interface) and, per port, the interface and
 * gateway. GetRoutes() lists the combined table for the binding interface.
 *
 * Remove routes with RemoveRoutes() (VirtualRouteletState::RemoveRoute does):
 * it keeps count of the static routes ranked before the shared ones.
 * Ipv4StaticRouting::RemoveRoute(index), which is not virtual, does not; used
 * on one of those first routes (loopback, connected), it moves the next
 * static route before the shared ones, which matters only for a tie of
 * prefix length and metric with a shared route.
 */
class GenesisRouteletRouting : public Ipv4StaticRouting
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisRouteletRouting();
    ~GenesisRouteletRouting() override;

    /// Where a port sends: its IPv4 interface and the neighbour's address.
    struct PortHop
    {
        uint32_t interface;  //!< IPv4 interface of the port
        Ipv4Address gateway; //!< the neighbour's address on the port's link
    };

    /**
     * \brief Use the shared table (called by the spawn, after the ports have
     * their addresses).
     * \param table the network's table
     * \param index this routelet's index in it
     * \param ports per port index of the routelet: interface and gateway
     */
    void SetTable(Ptr<const GenesisRouteletTable> table,
                  uint32_t index,
                  std::vector<PortHop> ports);
    /// \return the shared table (null when none is set)
    Ptr<const GenesisRouteletTable> GetTable() const;
    /// \return this routelet's index in the table
    uint32_t GetTableIndex() const;
    /// \return the number of spawn routes this routelet has withdrawn
    std::size_t GetNWithdrawn() const;

    /// A route of the combined table.
    struct Route
    {
        Ipv4RoutingTableEntry entry; //!< the route
        uint32_t metric;             //!< its metric
        bool shared;                 //!< from the shared table (a spawn route)
    };

    /// \return the combined table, in lookup order
    std::vector<Route> GetRoutes() const;
    /**
     * \brief Remove every route (static or spawn) to exactly \p network / \p mask.
     * \return the removed routes, last in table order first (the order
     *         Ipv4StaticRouting::RemoveRoute by descending index removes them)
     */
    std::vector<Route> RemoveRoutes(Ipv4Address network, Ipv4Mask mask);

    /**
     * \brief The routes of any static routing: the combined table of a
     * GenesisRouteletRouting, the plain table of an Ipv4StaticRouting.
     * \param rt the routing (may be null: empty)
     * \return the routes, in lookup order
     */
    static std::vector<Route> GetRoutes(Ptr<Ipv4StaticRouting> rt);

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
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoDispose() override;

  private:
    /// Ipv4StaticRouting::LookupStatic over the combined table.
    Ptr<Ipv4Route> Lookup(Ipv4Address dest, Ptr<NetDevice> oif) const;
    /// \return the number of static routes before the shared ones (clamped)
    std::size_t PreCount() const;
    /// \return true when an earlier destination gives the same route as \p k
    bool IsDuplicate(uint32_t k, const Ipv4RoutingTableEntry& entry) const;
    /// Visit the spawn routes to destination \p k (none when withdrawn or absent).
    bool SharedRoute(uint32_t k, Ipv4RoutingTableEntry* entry) const;

    Ptr<Ipv4> m_ipv4;                        //!< the IPv4 stack
    Ptr<const GenesisRouteletTable> m_table; //!< shared table (null: plain static routing)
    uint32_t m_index;                        //!< this routelet's index in it
    std::vector<PortHop> m_ports;            //!< per port: interface and gateway
    std::set<uint32_t> m_withdrawn;          //!< destinations whose spawn route was removed
    std::size_t m_nPre;                      //!< static routes ranked before the shared ones
};

/**
 * \ingroup genesis
 *
 * \brief Gives routelets a GenesisRouteletRouting (used by the spawn through
 * InternetStackHelper).
 */
class GenesisRouteletRoutingHelper : public Ipv4RoutingHelper
{
  public:
    GenesisRouteletRoutingHelper* Copy() const override;
    Ptr<Ipv4RoutingProtocol> Create(Ptr<Node> node) const override;
};

} // namespace ns3

#endif /* GENESIS_ROUTELET_ROUTING_H */
