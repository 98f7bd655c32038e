/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The delegate of the Genesis Kernel's resource management (paper §V-C-4):
 * a maestro's local proxy on one routelet.
 */
#ifndef GENESIS_DELEGATE_H
#define GENESIS_DELEGATE_H

#include "genesis-monitor.h"

#include "ns3/data-rate.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"

#include <map>
#include <utility>
#include <vector>

namespace ns3
{

class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief The maestro's proxy on one routelet (one physical node) of its
 * network: it owns the monitors of the node's devices, applies the maestro's
 * allocations to the local arbitrator (a guaranteed child's slice through
 * VirtualNetwork::SetSliceRate, a best-effort child's share through the
 * arbitrator) and reports its monitors' readings.
 */
class GenesisDelegate : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisDelegate();
    ~GenesisDelegate() override;

    /**
     * \param network the network whose maestro this delegate serves
     * \param node the physical node of its routelet
     */
    void Setup(Ptr<VirtualNetwork> network, Ptr<Node> node);
    /// \return the node
    Ptr<Node> GetNode() const;

    /**
     * \brief Monitor \p child on \p dev (once).
     * \param child a child of the network with a class on dev
     * \param dev a device of this node
     * \param factory the monitor factory
     * \return the monitor
     */
    Ptr<GenesisMonitor> AddMonitor(Ptr<VirtualNetwork> child,
                                   Ptr<NetDevice> dev,
                                   const ObjectFactory& factory);
    /// \return the monitor of \p childId on \p dev, or null
    Ptr<GenesisMonitor> GetMonitor(uint16_t childId, Ptr<NetDevice> dev) const;
    /// \brief Dispose of the monitors of a child that is gone. \param childId the child
    void RemoveChild(uint16_t childId);

    /**
     * \brief Apply an allocation on a device of this node.
     * \param child the child
     * \param dev the device
     * \param bps the new allocation: the guaranteed rate of a constant or
     *        controlled child, the weight (as bit/s) of a best-effort child
     * \throws GenesisError when refused (nothing changes then)
     */
    void Apply(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev, uint64_t bps);
    /// \return the allocation in force for a child on a device (reserved rate or share as bit/s)
    uint64_t GetAllocation(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev) const;

    /**
     * \brief Close the interval of every monitor.
     * \return the readings, ordered by (device index, child id)
     */
    std::vector<GenesisMonitor::Reading> Report();

  protected:
    void DoDispose() override;

  private:
    typedef std::pair<uint32_t, uint16_t> Key;     //!< (device index, child id)
    Ptr<VirtualNetwork> m_network;                 //!< the network
    Ptr<Node> m_node;                              //!< the node
    std::map<Key, Ptr<GenesisMonitor>> m_monitors; //!< monitors
};

} // namespace ns3

#endif /* GENESIS_DELEGATE_H */
