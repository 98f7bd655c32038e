/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ROUTELET_H
#define ROUTELET_H

#include "ns3/node.h"
#include "ns3/object.h"

#include <vector>

namespace ns3
{

class VirtualNetwork;
class RouteletPort;

/**
 * \ingroup genesis
 *
 * \brief A routelet (paper §III-A): a virtual router of one virtual network
 * on one physical box.
 *
 * The routelet object is aggregated to the ns-3 Node that carries the
 * routelet's devices (ports) and protocol stack. The root network's routelet
 * is the physical node itself (GetNode() == GetHost()); a child routelet is a
 * Node of its own on the same physical box (same system id) as its parent
 * routelet, so ns-3 stacks, routing protocols, applications and tracing work
 * on it unchanged.
 */
class Routelet : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    Routelet();
    ~Routelet() override;

    /**
     * \brief Set what the routelet belongs to.
     * \param network its virtual network
     * \param host the physical node it runs on
     * \param node the node that carries its ports and stack (== host for the root)
     */
    void Setup(Ptr<VirtualNetwork> network, Ptr<Node> host, Ptr<Node> node);

    /// \return the virtual network of this routelet
    Ptr<VirtualNetwork> GetNetwork() const;
    /// \return the physical node this routelet runs on
    Ptr<Node> GetHost() const;
    /// \return the node that carries the routelet (its ports and stack); null before spawning
    Ptr<Node> GetNode() const;
    /// \param node the routelet node (set by the spawner)
    void SetNode(Ptr<Node> node);
    /// \param port a port added to the routelet
    void AddPort(Ptr<RouteletPort> port);
    /// \return the ports of the routelet
    const std::vector<Ptr<RouteletPort>>& GetPorts() const;
    /// Forget ports and node (teardown).
    void Clear();

  protected:
    void DoDispose() override;

  private:
    Ptr<VirtualNetwork> m_network;          //!< network
    Ptr<Node> m_host;                       //!< physical host
    Ptr<Node> m_node;                       //!< routelet node
    std::vector<Ptr<RouteletPort>> m_ports; //!< ports
};

} // namespace ns3

#endif /* ROUTELET_H */
