/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_DATAPATH_CONTROLLER_H
#define VIRTUAL_DATAPATH_CONTROLLER_H

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{

class GenesisMetabus;
class Routelet;
class RouteletPort;

/**
 * \ingroup genesis
 *
 * \brief Binding interface (§IV): the data path of one routelet — per-port
 * packet and byte counters, drops, traces, and enabling or disabling a port.
 *
 * Counters start when the controller is created; the metabus creates it
 * when the network is spawned (or at Install() for a running network).
 * "Out" counts what the routelet's stack handed to the port (its MacTx
 * trace), "in" what the port delivered up (MacRx), drops what the routelet's
 * IPv4 layer dropped on the port's interface (its Drop trace).
 *
 * Disabling a port takes its IPv4 interface down, with ns-3's semantics:
 * packets arriving on it are dropped (DROP_INTERFACE_DOWN, counted here) and
 * the routing protocol withdraws routes through it. Enabling it brings the
 * interface up and re-installs the static routes through it that disabling
 * withdrew.
 */
class VirtualDatapathController : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualDatapathController();
    ~VirtualDatapathController() override;

    /// Counters of one port.
    struct PortCounters
    {
        uint64_t txPackets{0}; //!< packets out
        uint64_t txBytes{0};   //!< bytes out (IPv4 packets, without Genesis encapsulation)
        uint64_t rxPackets{0}; //!< packets in
        uint64_t rxBytes{0};   //!< bytes in
        uint64_t drops{0};     //!< packets dropped by the routelet's IPv4 layer on the port
    };

    /// \return the routelet's name
    std::string GetName() const;
    /// \return the number of ports
    uint32_t GetNPorts() const;
    /// \param i port index \return its counters \throws GenesisError for a bad index
    PortCounters GetCounters(uint32_t i) const;
    /// \return the sum over all ports
    PortCounters GetTotals() const;
    /// Reset every counter to zero.
    void ResetCounters();
    /**
     * \brief Enable or disable a port.
     * \param i port index
     * \param enabled the new state
     * \throws GenesisError for a bad index or a routelet without IPv4 stack
     */
    void SetPortEnabled(uint32_t i, bool enabled);
    /// \param i port index \return true when the port's interface is up
    bool IsPortEnabled(uint32_t i) const;

    /// TracedCallback signature: port index, packet.
    typedef void (*PortPacketTracedCallback)(uint32_t port, Ptr<const Packet> packet);
    /// TracedCallback signature: port index, new state.
    typedef void (*PortStateTracedCallback)(uint32_t port, bool enabled);

    /// \cond internal
    void Bind(Ptr<GenesisMetabus> bus, const std::string& name, Ptr<Routelet> routelet);
    /// \endcond

  protected:
    void DoDispose() override;

  private:
    void PortTx(std::string context, Ptr<const Packet> packet);
    void PortRx(std::string context, Ptr<const Packet> packet);
    void IpDrop(const Ipv4Header& header,
                Ptr<const Packet> packet,
                Ipv4L3Protocol::DropReason reason,
                Ptr<Ipv4> ipv4,
                uint32_t interface);
    void CheckPort(uint32_t i) const;
    int32_t InterfaceOf(uint32_t i) const;
    void Disconnect();

    Ptr<GenesisMetabus> m_bus;              //!< the bus
    std::string m_name;                     //!< routelet name
    Ptr<Routelet> m_routelet;               //!< routelet
    std::vector<Ptr<RouteletPort>> m_ports; //!< ports being counted
    Ptr<Ipv4L3Protocol> m_ipv4;             //!< the routelet's IPv4 layer (may be null)
    std::vector<PortCounters> m_counters;   //!< per port
    std::vector<std::vector<Ipv4RoutingTableEntry>> m_withdrawn; //!< static routes per port
    std::vector<std::vector<uint32_t>> m_withdrawnMetric;        //!< their metrics

    TracedCallback<uint32_t, Ptr<const Packet>> m_txTrace;   //!< out
    TracedCallback<uint32_t, Ptr<const Packet>> m_rxTrace;   //!< in
    TracedCallback<uint32_t, Ptr<const Packet>> m_dropTrace; //!< dropped
    TracedCallback<uint32_t, bool> m_stateTrace;             //!< enabled/disabled
};

} // namespace ns3

#endif /* VIRTUAL_DATAPATH_CONTROLLER_H */
