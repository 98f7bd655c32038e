/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "routelet.h"

#include "routelet-port.h"
#include "virtual-network.h"

#include "ns3/log.h"
#include "ns3/object-vector.h"
#include "ns3/pointer.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisRoutelet");
NS_OBJECT_ENSURE_REGISTERED(Routelet);

TypeId
Routelet::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Routelet")
                            .SetParent<Object>()
                            .SetGroupName("Genesis")
                            .AddConstructor<Routelet>()
                            .AddAttribute("Ports",
                                          "The routelet's ports (RouteletPort devices).",
                                          ObjectVectorValue(),
                                          MakeObjectVectorAccessor(&Routelet::m_ports),
                                          MakeObjectVectorChecker<RouteletPort>())
                            .AddAttribute("Node",
                                          "The node carrying the routelet's ports and stack "
                                          "(null before the network is spawned).",
                                          TypeId::ATTR_GET,
                                          PointerValue(),
                                          MakePointerAccessor(&Routelet::m_node),
                                          MakePointerChecker<Node>())
                            .AddAttribute("Host",
                                          "The physical node the routelet runs on.",
                                          TypeId::ATTR_GET,
                                          PointerValue(),
                                          MakePointerAccessor(&Routelet::m_host),
                                          MakePointerChecker<Node>());
    return tid;
}

Routelet::Routelet()
{
    NS_LOG_FUNCTION(this);
}

Routelet::~Routelet()
{
    NS_LOG_FUNCTION(this);
}

void
Routelet::Setup(Ptr<VirtualNetwork> network, Ptr<Node> host, Ptr<Node> node)
{
    m_network = network;
    m_host = host;
    m_node = node;
}

Ptr<VirtualNetwork>
Routelet::GetNetwork() const
{
    return m_network;
}

Ptr<Node>
Routelet::GetHost() const
{
    return m_host;
}

Ptr<Node>
Routelet::GetNode() const
{
    return m_node;
}

void
Routelet::SetNode(Ptr<Node> node)
{
    m_node = node;
}

void
Routelet::AddPort(Ptr<RouteletPort> port)
{
    m_ports.push_back(port);
}

const std::vector<Ptr<RouteletPort>>&
Routelet::GetPorts() const
{
    return m_ports;
}

void
Routelet::Clear()
{
    m_ports.clear();
    m_node = nullptr;
}

void
Routelet::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_network = nullptr;
    m_host = nullptr;
    m_node = nullptr;
    m_ports.clear();
    Object::DoDispose();
}

} // namespace ns3
