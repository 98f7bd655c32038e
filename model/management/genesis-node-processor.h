/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The computation resource of a Genesis router (paper §III-A-2): an optional
 * per-node processing model that makes forwarding cost simulated time and
 * shares the node's processor among the networks whose routelets run on it,
 * by their allocation.
 */
#ifndef GENESIS_NODE_PROCESSOR_H
#define GENESIS_NODE_PROCESSOR_H

#include "ns3/address.h"
#include "ns3/event-id.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{

class Node;
class TrafficControlLayer;
class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief A node's processor, shared among the networks whose routelets run on
 * the node (the allocation controller's computation resource, paper §III-A-2).
 *
 * Off by default: a node has no processor model until one is installed
 * (GenesisNodeProcessorHelper). Once installed, every IPv4 packet the node
 * receives on a non-loopback device waits for the processor before the
 * node's stack (and, for a child's packet, the Genesis demultiplexer and the
 * child's routelet) sees it. Processing one packet takes
 * (CyclesPerPacket + CyclesPerByte x size) / CyclesPerSecond of simulated time.
 *
 * A packet belongs to the innermost network it travels in: the last label of
 * its Genesis shim (IPv4 protocol 253 by default), else the deepest network
 * whose address range holds its source or destination, else the root.
 *
 * Sharing mirrors the links. Network n's share phi_n of the processor is its
 * share of the node's links: on every device, the fraction of the link that
 * the arbitrators give n's own class (nested arbitrators multiply), averaged
 * over the node's devices weighted by link rate. Children therefore get the
 * CPU they reserved on the node's links; the root keeps the rest. SetShare()
 * overrides a network's share. Shares are re-read from the arbitrators every
 * ShareRefresh, so spawns, teardowns and re-provisioning take effect within
 * that time.
 *
 * Scheduling is start-time fair queueing (Goyal, Vin and Cheng, SIGCOMM 1996)
 * over per-network FIFO queues: work-conserving, so an idle network's share
 * goes to the others, and every backlogged network gets at least its share.
 * A constant-class network is also capped at its share (it never borrows), as
 * on the links. Each network's queue holds at most QueueLimit packets; more
 * are dropped (trace Drop).
 */
class GenesisNodeProcessor : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisNodeProcessor();

    /**
     * \brief Put \p node's IPv4 input behind this processor and aggregate it.
     *
     * Call after the node's devices, its IPv4 stack and Genesis are installed.
     * Devices added later bypass the processor.
     *
     * \param node the node
     * \param root the root network of the Genesis tree the node belongs to
     *        (for shares and address ranges; may be null: all traffic is root's)
     */
    void Install(Ptr<Node> node, Ptr<VirtualNetwork> root);

    /**
     * \brief Fix the share of network \p networkId, overriding the links.
     * \param networkId the network
     * \param share fraction of the processor in (0, 1]
     */
    void SetShare(uint16_t networkId, double share);
    /// \brief Go back to the share read from the links for \p networkId.
    void ClearShare(uint16_t networkId);
    /// \return the share network \p networkId has now (0 when it has none on this node)
    double GetShare(uint16_t networkId);

    /// \return the time one packet of \p bytes bytes takes on the processor
    Time GetServiceTime(uint32_t bytes) const;

    /// \return packets processed for \p networkId so far
    uint64_t GetProcessedPackets(uint16_t networkId) const;
    /// \return packets dropped for \p networkId so far (queue full)
    uint64_t GetDroppedPackets(uint16_t networkId) const;
    /// \return total time the processor has been busy
    Time GetBusyTime() const;
    /// \return packets waiting now (all networks)
    uint32_t GetBacklog() const;

    /// TracedCallback signature for a processed packet.
    typedef void (*ProcessedTracedCallback)(uint16_t networkId,
                                            Ptr<const Packet> packet,
                                            Time wait);
    /// TracedCallback signature for a dropped packet.
    typedef void (*DropTracedCallback)(uint16_t networkId, Ptr<const Packet> packet);

  protected:
    void DoDispose() override;

  private:
    /// A received packet waiting for the processor.
    struct Job
    {
        Ptr<NetDevice> device;      //!< receiving device
        Ptr<const Packet> packet;   //!< the packet (with its IPv4 header)
        uint16_t protocol;          //!< EtherType
        Address from;               //!< link-layer source
        Address to;                 //!< link-layer destination
        NetDevice::PacketType type; //!< packet type
        Time arrival;               //!< when it arrived
        double start;               //!< SFQ start tag
        double finish;              //!< SFQ finish tag
        Time service;               //!< processing time
    };

    /// One network's queue on this processor.
    struct Flow
    {
        std::deque<Job> jobs;   //!< waiting packets, FIFO
        double lastFinish{0.0}; //!< finish tag of the last packet queued
        Time eligible;          //!< constant class: earliest next start
        uint64_t processed{0};  //!< packets processed
        uint64_t dropped{0};    //!< packets dropped
    };

    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);
    uint16_t Classify(Ptr<const Packet> packet) const;
    void RefreshShares();
    double ShareOf(uint16_t networkId);
    bool IsCapped(uint16_t networkId) const;
    void StartNext();
    void Finish();

    Ptr<Node> m_node;                        //!< the node
    Ptr<TrafficControlLayer> m_tc;           //!< where packets go once processed
    Ptr<VirtualNetwork> m_root;              //!< root of the Genesis tree (may be null)
    uint64_t m_cyclesPerSecond;              //!< processor speed
    uint64_t m_cyclesPerPacket;              //!< cost of a packet
    double m_cyclesPerByte;                  //!< cost of a byte
    uint32_t m_queueLimit;                   //!< per-network queue limit (packets)
    Time m_shareRefresh;                     //!< how often shares are re-read
    uint8_t m_genesisProtocol;               //!< IPv4 protocol number of the Genesis shim
    std::map<uint16_t, Flow> m_flows;        //!< per-network queues
    std::map<uint16_t, double> m_fixed;      //!< shares fixed with SetShare
    std::map<uint16_t, double> m_linkShares; //!< shares read from the links
    std::map<uint16_t, bool> m_capped;       //!< constant-class networks

    /// An address range of a running network.
    struct Range
    {
        uint32_t prefix;    //!< network address (host bits zero)
        uint32_t mask;      //!< mask
        uint32_t depth;     //!< nesting depth of the network
        uint16_t networkId; //!< the network
    };

    std::vector<Range> m_ranges; //!< every address range in the tree
    Time m_lastRefresh;          //!< last RefreshShares
    bool m_refreshed;            //!< shares have been read once
    double m_vtime;              //!< SFQ virtual time
    bool m_busy;                 //!< a packet is being processed
    Job m_current;               //!< the packet being processed
    uint16_t m_currentNet;       //!< its network
    EventId m_event;             //!< end of service or wake-up
    Time m_busyTime;             //!< accumulated busy time
    uint32_t m_backlog;          //!< packets waiting

    TracedCallback<uint16_t, Ptr<const Packet>, Time> m_processedTrace; //!< packet processed
    TracedCallback<uint16_t, Ptr<const Packet>> m_dropTrace;            //!< packet dropped
};

} // namespace ns3

#endif /* GENESIS_NODE_PROCESSOR_H */
