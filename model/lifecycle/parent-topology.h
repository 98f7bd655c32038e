/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_PARENT_TOPOLOGY_H
#define GENESIS_PARENT_TOPOLOGY_H

#include "profile.h"

#include "ns3/arbitrator-queue-disc-class.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief A physical device as the parent network sees it (one direction of a link).
 */
struct GenesisParentDevice
{
    uint32_t nodeId{0};      //!< node of the device
    uint32_t deviceIndex{0}; //!< device index on the node (NetDevice::GetIfIndex)
    uint64_t linkRateBps{0}; //!< the parent's arbitrator LinkRate there
    uint64_t residualBps{0}; //!< the parent's unreserved guaranteed capacity there
};

/**
 * \ingroup genesis
 * \brief One physical hop of a parent adjacency.
 */
struct GenesisParentHop
{
    uint32_t fromNode{0};   //!< sending node
    uint32_t fromDevice{0}; //!< its device index
    uint32_t toNode{0};     //!< receiving node
    uint32_t toDevice{0};   //!< its device index
    Time delay;             //!< propagation delay of the channel
};

/**
 * \ingroup genesis
 * \brief A directed adjacency of the parent network (VirtualNetwork::Edge):
 * from the host of one parent routelet to the host of another.
 */
struct GenesisParentEdge
{
    uint32_t from{0};                   //!< sending host node id
    uint32_t to{0};                     //!< receiving host node id
    std::vector<GenesisParentHop> hops; //!< physical hops, in order
};

/**
 * \ingroup genesis
 * \brief The address plan and end hosts of another network of the tree
 * (a sibling of the network being verified).
 */
struct GenesisNetworkAddressing
{
    std::string name;                                     //!< network name
    Ipv4Address base;                                     //!< Ipv4Base
    Ipv4Mask mask;                                        //!< Ipv4Mask
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> ranges; //!< non-shim address ranges
    std::set<uint32_t> endHosts;                          //!< nodes attached as its end hosts
    bool spawned{false};                                  //!< running (else defined)
};

/**
 * \ingroup genesis
 * \brief The policy a network of the tree sets for what is spawned below it
 * (VirtualNetwork attributes MaxChildren, MaxDepth, MaxChildRate).
 */
struct GenesisNetworkPolicy
{
    std::string name;                 //!< network name
    uint32_t depth{0};                //!< its nesting depth
    uint32_t maxChildren{UINT32_MAX}; //!< most children at once (UINT32_MAX: no limit)
    uint32_t maxDepth{UINT32_MAX};    //!< levels allowed below it (UINT32_MAX: no limit)
    uint64_t maxChildRateBps{0};      //!< largest rate a child link may ask (0: no limit)
};

/**
 * \ingroup genesis
 * \brief A snapshot of the network a child is carved from.
 *
 * It holds everything the verifier needs to check a profile and complete its
 * paths without touching the simulation: the parent's name, depth, class,
 * address space and policy (and its ancestors' policies), the address plans
 * of its children, the names of every network of the tree, the hosts of its
 * routelets, its directed adjacencies with the physical hops and channel
 * delays, and on every sending device the parent's unreserved guaranteed
 * capacity. Made from a live network (FromNetwork) or from a profile
 * database file (FromDatabase); tests and tools may also fill it by hand and
 * call Finalize().
 *
 * The adjacency graph is a Boost.Graph adjacency_list built once by
 * Finalize(); the verifier runs its searches on it.
 */
class GenesisParentTopology
{
  public:
    GenesisParentTopology();
    ~GenesisParentTopology();
    GenesisParentTopology(const GenesisParentTopology& other);
    GenesisParentTopology& operator=(const GenesisParentTopology& other);
    GenesisParentTopology(GenesisParentTopology&& other) noexcept;
    GenesisParentTopology& operator=(GenesisParentTopology&& other) noexcept;

    /**
     * \brief Snapshot a live network.
     * \param parent the network a child will be spawned in (any state but TORN_DOWN)
     * \return the snapshot, finalized
     * \throws GenesisError for a null or torn-down network
     */
    static GenesisParentTopology FromNetwork(Ptr<VirtualNetwork> parent);

    /**
     * \brief Snapshot a network recorded in a profile database.
     * \param sqlitePath a file written by GenesisProfileDatabase
     * \param parentName the network to snapshot ("" = the root network)
     * \return the snapshot, finalized
     * \throws GenesisError naming the file and what is missing (no such
     *         file, not a profile database, an older schema, no such network)
     */
    static GenesisParentTopology FromDatabase(const std::string& sqlitePath,
                                              const std::string& parentName = "");

    /**
     * \brief Learn from a profile of the tree: the routelet names of the
     * parent's profile (for "parent_routelet"), or a sibling's end hosts
     * (for membership conflicts).
     * \param profile a profile whose name is the parent's or a sibling's
     * \return true when it was used
     */
    bool AddProfile(const GenesisProfile& profile);

    /// \brief (Re)build the graph and the indexes; call after editing the fields.
    void Finalize();

    // ---- what the snapshot holds (public data; call Finalize() after editing)

    std::string name;      //!< parent network name
    uint16_t networkId{0}; //!< its id (0: root)
    uint32_t depth{0};     //!< its nesting depth (0: root)
    bool isRoot{true};     //!< true when it is the root (owns the physical links)
    bool running{true};    //!< SPAWNED (children need a running parent)
    ArbitratorQueueDiscClass::CapacityClass capacityClass{
        ArbitratorQueueDiscClass::CONTROLLED}; //!< its class in its own parent
    Ipv4Address ipv4Base;                      //!< its address space
    Ipv4Mask ipv4Mask;                         //!< its address space mask
    uint32_t maxShimDepth{14};                 //!< deepest network the shim carries (MAX_DEPTH - 1)
    uint32_t nNodes{0};                        //!< nodes in the simulation (ids 0..nNodes-1)
    uint32_t runningChildren{0};               //!< children in state SPAWNED
    std::vector<GenesisNetworkAddressing> children; //!< its children (siblings of a new child)
    std::set<std::string> networkNames;             //!< every network of the tree (not torn down)
    std::vector<GenesisNetworkPolicy> policies;     //!< its policy and its ancestors', root first
    std::vector<uint32_t> routeletHosts;            //!< node ids of its routelets' hosts, in order
    std::map<std::string, uint32_t> nodeNames;      //!< ns3::Names name -> node id (all nodes)
    std::map<std::string, uint32_t> routeletNames;  //!< parent routelet name -> host node id
    std::vector<GenesisParentEdge> edges;           //!< directed adjacencies (GetEdges order)
    std::map<std::pair<uint32_t, uint32_t>, GenesisParentDevice> devices; //!< by (node, device)

    // ---- lookups (valid after Finalize)

    /// \return true when \p nodeId hosts a routelet of the parent
    bool HasRoutelet(uint32_t nodeId) const;
    /// \return the device, or null when the parent has no arbitrator there
    const GenesisParentDevice* FindDevice(uint32_t nodeId, uint32_t deviceIndex) const;
    /// \return the policy of this network (the last of policies), or null
    const GenesisNetworkPolicy* GetPolicy() const;

    /**
     * \brief The adjacency graph of the snapshot, as the verifier searches it.
     *
     * Vertices are the parent's routelet hosts in ascending node id; for
     * every ordered pair of hosts there is at most one edge, the adjacency
     * VirtualNetwork::Spawn takes between them (the first with the fewest
     * physical hops), and out-edges are in ascending target id, so that a
     * breadth-first search breaks ties towards lower node ids.
     */
    struct Graph
    {
        static constexpr std::size_t NO_SLOT = static_cast<std::size_t>(-1); //!< no arbitrator

        /// Edge bundle: index into edgeInfo.
        struct EdgeProp
        {
            std::size_t index{0}; //!< index into edgeInfo
        };

        /// What an edge of the graph stands for.
        struct EdgeInfo
        {
            std::size_t edge{0};            //!< index into GenesisParentTopology::edges
            std::vector<std::size_t> slots; //!< device slots it reserves (both directions)
            int64_t delayNs{0};             //!< sum of the hops' channel delays
        };

        /// The Boost graph type.
        typedef boost::
            adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, EdgeProp>
                BoostGraph;

        BoostGraph graph;                                                //!< the graph
        std::vector<uint32_t> vertexNode;                                //!< vertex -> node id
        std::map<uint32_t, std::size_t> nodeVertex;                      //!< node id -> vertex
        std::vector<EdgeInfo> edgeInfo;                                  //!< per graph edge
        std::map<std::pair<uint32_t, uint32_t>, std::size_t> deviceSlot; //!< device -> slot
        std::vector<std::pair<uint32_t, uint32_t>> slotDevice;           //!< slot -> device
        std::vector<uint64_t> slotResidual;                              //!< slot -> residual bps
    };

    /// \return the graph (built by Finalize(), or now if it was not called)
    const Graph& GetGraph() const;

  private:
    std::unique_ptr<Graph> m_graph; //!< built by Finalize()
};

} // namespace ns3

#endif /* GENESIS_PARENT_TOPOLOGY_H */
