/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The monitor of the Genesis Kernel's resource management (paper §V-C-4):
 * measures and polices one child network on one parent device.
 */
#ifndef GENESIS_MONITOR_H
#define GENESIS_MONITOR_H

#include "ns3/data-rate.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/queue-item.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class ArbitratorQueueDisc;
class GenesisMonitorHook;
class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief Monitor of one virtual link end: one child network's use of one
 * device of its parent (the network that owns the monitor).
 *
 * Measurement: the bytes and packets the parent's arbitrator on the device
 * sends for the child (its ClassDequeue trace), the child's queue drops there
 * (ClassDrop), and the mean sojourn time in the arbitrator (dequeue time minus
 * the item's enqueue time stamp). CloseInterval() returns the readings of the
 * interval that ends now and starts the next one; the maestro calls it once
 * per provisioning interval and fires the Rate trace.
 *
 * Policing: a token bucket of rate Allocation and depth PolicingBurst checks
 * every Genesis packet of the child that leaves the node on the device (its
 * own and its descendants' packets, sent from a routelet port or label
 * switched through this node), before the packet reaches the arbitrator. A
 * packet that does not conform is treated as PolicingAction says:
 * "none" (measure only, the default: a controlled class may borrow idle
 * capacity), "drop", "mark-ecn" (the child's inner IPv4 header gets ECN CE;
 * a Not-ECT packet cannot carry CE and is dropped, as RFC 3168 §5 routers do)
 * or "mark-dscp" (the inner IPv4 header gets PolicingDscp, by default CS1,
 * the lower-effort class). Sizes count the outer IPv4 header, as the
 * arbitrator does. Traffic of hosts that do not speak the shim (address
 * ranges) is measured but not policed.
 */
class GenesisMonitor : public Object
{
  public:
    /// What the policer does to a packet above the allocation.
    enum PolicingAction
    {
        NONE,      //!< measure only
        DROP,      //!< drop
        MARK_ECN,  //!< set ECN CE in the inner IPv4 header (drop Not-ECT)
        MARK_DSCP, //!< set the DSCP of the inner IPv4 header to PolicingDscp
    };

    /// The readings of one interval.
    struct Reading
    {
        uint16_t networkId{0};    //!< the monitored child
        uint32_t nodeId{0};       //!< node of the device
        uint32_t deviceIndex{0};  //!< device index on the node
        int64_t timeNs{0};        //!< end of the interval
        int64_t intervalNs{0};    //!< length of the interval
        uint64_t txBytes{0};      //!< bytes sent
        uint64_t txPackets{0};    //!< packets sent
        uint64_t drops{0};        //!< queue drops of the child there
        uint64_t policed{0};      //!< packets dropped or marked by the policer
        double rateBps{0};        //!< txBytes * 8 / interval
        uint64_t allocatedBps{0}; //!< allocation in force at the end of the interval
        double meanDelayNs{-1};   //!< mean sojourn time; < 0 when nothing was sent
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisMonitor();
    ~GenesisMonitor() override;

    /**
     * \brief Start monitoring \p child on \p dev in the arbitrator of \p owner.
     * \param owner the parent network (holds the arbitrator with the child's class)
     * \param child the monitored child network
     * \param dev the physical device
     * \throws GenesisError when the owner has no arbitrator on dev or the child no class there
     */
    void Setup(Ptr<VirtualNetwork> owner, Ptr<VirtualNetwork> child, Ptr<NetDevice> dev);

    /// \return the monitored child's id
    uint16_t GetNetworkId() const;
    /// \return the device
    Ptr<NetDevice> GetDevice() const;
    /// \param rate the allocation the policer enforces and the readings report
    void SetAllocation(DataRate rate);
    /// \return the allocation
    DataRate GetAllocation() const;
    /// \return the policing action
    PolicingAction GetPolicingAction() const;

    /**
     * \brief End the current interval now and start the next one.
     * \return the readings of the interval; fires Rate
     */
    Reading CloseInterval();

    /// \return packets policed since Setup
    uint64_t GetTotalPoliced() const;

    /**
     * \brief The policer (called by the node's GenesisMonitorHook for every
     * packet of the child leaving on the device).
     * \param packet the packet (shim first; may be changed when marked)
     * \return true to send it, false to drop it
     */
    bool Police(Ptr<Packet> packet);

    /// \return the label index that names the child in the shim (its parent's depth)
    uint8_t GetLabelLevel() const;

    /// TracedCallback signature for Rate: measured bit/s, allocated bit/s.
    typedef void (*RateTracedCallback)(double measuredBps, uint64_t allocatedBps);
    /// TracedCallback signature for Policed: the packet, true when dropped (false: marked).
    typedef void (*PolicedTracedCallback)(Ptr<const Packet> packet, bool dropped);

  protected:
    void DoDispose() override;

  private:
    void OnDequeue(uint32_t networkId, Ptr<const QueueDiscItem> item);
    void OnDrop(uint32_t networkId, Ptr<const QueueDiscItem> item, const char* reason);
    bool Mark(Ptr<Packet> packet, bool ecn);

    PolicingAction m_action;                                //!< policing action
    uint8_t m_dscp;                                         //!< DSCP of mark-dscp
    uint32_t m_burst;                                       //!< bucket depth (bytes)
    DataRate m_allocation;                                  //!< allocation
    uint16_t m_networkId;                                   //!< the child
    uint8_t m_level;                                        //!< label index of the child
    Ptr<NetDevice> m_dev;                                   //!< device
    Ptr<ArbitratorQueueDisc> m_arb;                         //!< owner's arbitrator on the device
    Ptr<GenesisMonitorHook> m_hook;                         //!< the node's policing hook
    double m_tokens;                                        //!< bucket fill (bytes)
    Time m_tokenTime;                                       //!< last refill
    Time m_start;                                           //!< start of the current interval
    uint64_t m_txBytes;                                     //!< current interval
    uint64_t m_txPackets;                                   //!< current interval
    uint64_t m_drops;                                       //!< current interval
    uint64_t m_policed;                                     //!< current interval
    uint64_t m_totalPoliced;                                //!< since Setup
    double m_delaySumNs;                                    //!< current interval
    TracedCallback<double, uint64_t> m_rateTrace;           //!< Rate
    TracedCallback<Ptr<const Packet>, bool> m_policedTrace; //!< Policed
};

} // namespace ns3

#endif /* GENESIS_MONITOR_H */
