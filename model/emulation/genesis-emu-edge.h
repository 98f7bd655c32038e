/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_EMU_EDGE_H
#define GENESIS_EMU_EDGE_H

#include "ns3/net-device-container.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class ArbitratorQueueDisc;
class GenesisAddressRangeFilter;
class GenesisVlanFilter;
class QueueDiscItem;
class VirtualNetwork;

/**
 * \ingroup genesis
 *
 * \brief Where real traffic enters the Genesis tree: the emulated ports of a
 * Genesis router and the child networks that real hosts reach through them.
 *
 * Real hosts do not speak the Genesis shim, and a port towards them has no
 * Genesis node at its far end, so no virtual link of a child crosses it. The
 * edge gives every watched child network a slice of every emulated port
 * instead: when the child spawns, the port's root ArbitratorQueueDisc gets a
 * class for it with the child's capacity class, rate (its Rate attribute),
 * share and burst — admitted against the port's unreserved capacity like any
 * slice — holding the child's own scheduler; the child's address ranges
 * (VirtualNetwork::AddAddressRange; without any, its address space: a
 * profile's address_space, see MapAddressSpace) and the VLAN ids given with
 * SetVlan() are mapped to that class (GenesisAddressRangeFilter, GenesisVlanFilter). On
 * teardown the classes and mappings go (queued packets are dropped with the
 * arbitrator's traced reason). Children of the root only.
 *
 * Isolation (attribute Isolation, on by default): a packet that arrives on
 * an emulated port from one child network (by VLAN id, else by source
 * address) and is addressed into another child network's range is dropped at
 * the port (IsolationDrop): siblings never reach each other's hosts through
 * the router, while each still reaches the parent's (root's) hosts.
 *
 * A child whose slice is refused (not enough unreserved capacity on a port, a
 * VLAN id taken) keeps running elsewhere; the refusal is fired on
 * AttachFailed and the child gets no slice on any port.
 */
class GenesisEmuEdge : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisEmuEdge();
    ~GenesisEmuEdge() override;

    /**
     * \brief Add emulated ports (devices with a root ArbitratorQueueDisc, i.e.
     * after GenesisHelper::Install).
     * \param ports the devices
     * \throws GenesisError for a device without a root arbitrator
     */
    void AddPorts(NetDeviceContainer ports);
    /// \return the ports
    NetDeviceContainer GetPorts() const;

    /**
     * \brief Classify frames tagged with 802.1Q VLAN \p vlanId into the network
     * named \p network (takes effect when it spawns; now if it runs).
     * \param network a network name
     * \param vlanId 1..4094
     * \throws GenesisError for a reserved id or an id given to another network
     */
    void SetVlan(const std::string& network, uint16_t vlanId);

    /**
     * \brief Give every child of \p root a slice of the ports when it spawns
     * (and the children running now, at once).
     * \param root the root network (GenesisHelper::Install's result)
     */
    void Watch(Ptr<VirtualNetwork> root);

    /**
     * \brief Give a running child of the root a slice of every port now.
     * \param network the network
     * \throws GenesisError when it is not a running child of the root, or a
     *         port cannot admit it; nothing changes then
     */
    void Attach(Ptr<VirtualNetwork> network);
    /// \brief Remove the network's slices (no-op when it has none). \param network the network
    void Detach(Ptr<VirtualNetwork> network);
    /// \param networkId id \return true when the network has a slice of the ports
    bool IsAttached(uint16_t networkId) const;

    /**
     * \param networkId a network id (0: the root's own traffic)
     * \return IP bytes the ports' arbitrators have dequeued for it so far
     */
    uint64_t GetTxBytes(uint16_t networkId) const;

    /**
     * \param packet an IPv4 packet (GenesisVlanTag attached when it came tagged)
     * \return the id of the child network it belongs to by VLAN or source
     *         address, or 0 when none
     */
    uint16_t ClassifySource(Ptr<const Packet> packet) const;
    /// \param addr an address \return the child network whose range holds it (longest prefix), or 0
    uint16_t NetworkOfAddress(Ipv4Address addr) const;
    /// \return packets dropped by isolation so far
    uint64_t GetNIsolationDrops() const;

    /// TracedCallback signature for isolation drops: packet, source network, destination network.
    typedef void (*IsolationDropTracedCallback)(Ptr<const Packet>, uint16_t, uint16_t);
    /// TracedCallback signature for refused slices: network, reason.
    typedef void (*AttachFailedTracedCallback)(Ptr<VirtualNetwork>, const std::string&);

  protected:
    void DoDispose() override;

  private:
    /// Filters of one port's root arbitrator, created on first use.
    struct Port
    {
        Ptr<NetDevice> dev;                    //!< the device
        Ptr<ArbitratorQueueDisc> arb;          //!< its root arbitrator
        Ptr<GenesisVlanFilter> vlans;          //!< VLAN filter (null until needed)
        Ptr<GenesisAddressRangeFilter> ranges; //!< range filter (null until needed)
    };

    void EnsureFilters(Port& port);
    void OnChildCreated(Ptr<VirtualNetwork> child);
    void OnSpawned(Ptr<VirtualNetwork> network);
    void OnTornDown(Ptr<VirtualNetwork> network);
    void OnDequeue(uint32_t networkId, Ptr<const QueueDiscItem> item);
    bool Admit(Ptr<const Packet> packet, uint16_t protocol);

    /// An address range of an attached network.
    struct Range
    {
        uint32_t prefix;  //!< masked prefix
        uint32_t mask;    //!< mask
        uint16_t network; //!< network id
    };

    bool m_isolation;                       //!< drop traffic between sibling networks
    bool m_mapAddressSpace;                 //!< no range declared: map the address space
    std::vector<Range> m_ranges;            //!< ranges of attached networks, longest first
    std::map<uint16_t, uint16_t> m_vlanNet; //!< VLAN id -> attached network id
    uint64_t m_isolationDrops;              //!< packets dropped by isolation
    TracedCallback<Ptr<const Packet>, uint16_t, uint16_t> m_isolationDrop; //!< drops

    std::vector<Port> m_ports;                                 //!< the ports
    std::map<std::string, std::vector<uint16_t>> m_vlanByName; //!< network name -> VLAN ids
    std::map<uint16_t, std::vector<uint16_t>> m_attached;      //!< attached id -> its VLAN ids
    std::map<uint16_t, uint64_t> m_txBytes;                    //!< dequeued bytes per network id
    Ptr<VirtualNetwork> m_root;                                //!< watched root
    TracedCallback<Ptr<VirtualNetwork>, const std::string&> m_attachFailed; //!< refusals
    TracedCallback<Ptr<VirtualNetwork>> m_attachedTrace;                    //!< slices made
};

} // namespace ns3

#endif /* GENESIS_EMU_EDGE_H */
