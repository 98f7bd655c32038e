/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The policing point of the Genesis monitors on one physical node.
 */
#ifndef GENESIS_MONITOR_HOOK_H
#define GENESIS_MONITOR_HOOK_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <vector>

namespace ns3
{

class GenesisMonitor;

/**
 * \ingroup genesis
 * \brief The policing point of one physical node, aggregated to it: it sits
 * between the node's GenesisL4Protocol and IPv4 (the protocol's down target),
 * so it sees every Genesis packet the node sends, whichever network's
 * routelet or label-switching entry sends it, and hands it to the monitors
 * registered for its output device and label.
 */
class GenesisMonitorHook : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisMonitorHook();
    ~GenesisMonitorHook() override;

    /**
     * \param node a node with a GenesisL4Protocol
     * \return the node's hook (created and put in place on first use)
     * \throws GenesisError when the node has no GenesisL4Protocol
     */
    static Ptr<GenesisMonitorHook> Get(Ptr<Node> node);

    /// \brief Police packets of the monitor's child leaving on its device. \param m the monitor
    void Add(Ptr<GenesisMonitor> m);
    /// \brief Stop. \param m the monitor
    void Remove(Ptr<GenesisMonitor> m);

  protected:
    void DoDispose() override;

  private:
    void Send(Ptr<Packet> packet,
              Ipv4Address src,
              Ipv4Address dst,
              uint8_t protocol,
              Ptr<Ipv4Route> route);

    Callback<void, Ptr<Packet>, Ipv4Address, Ipv4Address, uint8_t, Ptr<Ipv4Route>>
        m_next;                              //!< IPv4's send
    std::vector<GenesisMonitor*> m_monitors; //!< registered (non-owning)
};

} // namespace ns3

#endif /* GENESIS_MONITOR_HOOK_H */
