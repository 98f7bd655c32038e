/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-link.h"

#include "routelet-port.h"
#include "routelet.h"
#include "virtual-network.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualLink");
NS_OBJECT_ENSURE_REGISTERED(VirtualLink);

TypeId
VirtualLink::GetTypeId()
{
    static TypeId tid = TypeId("ns3::VirtualLink")
                            .SetParent<Object>()
                            .SetGroupName("Genesis")
                            .AddConstructor<VirtualLink>();
    return tid;
}

VirtualLink::VirtualLink()
    : m_id(0)
{
}

VirtualLink::~VirtualLink()
{
}

void
VirtualLink::Setup(uint32_t id,
                   Ptr<VirtualNetwork> network,
                   Ptr<Routelet> a,
                   Ptr<Routelet> b,
                   DataRate rate,
                   std::vector<Ptr<Node>> via)
{
    m_id = id;
    m_network = network;
    m_a = a;
    m_b = b;
    m_rate = rate;
    m_via = std::move(via);
}

void
VirtualLink::SetPath(std::vector<Ptr<Node>> hosts, std::vector<PhysicalHop> hops)
{
    m_hostPath = std::move(hosts);
    m_hops = std::move(hops);
}

void
VirtualLink::SetPorts(Ptr<RouteletPort> a, Ptr<RouteletPort> b)
{
    m_portA = a;
    m_portB = b;
}

void
VirtualLink::SetSubnet(Ipv4Address subnet)
{
    m_subnet = subnet;
}

void
VirtualLink::SetRate(DataRate rate)
{
    m_rate = rate;
}

void
VirtualLink::Clear()
{
    m_portA = nullptr;
    m_portB = nullptr;
    m_hostPath.clear();
    m_hops.clear();
}

uint32_t
VirtualLink::GetId() const
{
    return m_id;
}

Ptr<VirtualNetwork>
VirtualLink::GetNetwork() const
{
    return m_network;
}

Ptr<Routelet>
VirtualLink::GetEndA() const
{
    return m_a;
}

Ptr<Routelet>
VirtualLink::GetEndB() const
{
    return m_b;
}

Ptr<RouteletPort>
VirtualLink::GetPortA() const
{
    return m_portA;
}

Ptr<RouteletPort>
VirtualLink::GetPortB() const
{
    return m_portB;
}

DataRate
VirtualLink::GetRate() const
{
    return m_rate;
}

const std::vector<Ptr<Node>>&
VirtualLink::GetVia() const
{
    return m_via;
}

const std::vector<VirtualLink::PhysicalHop>&
VirtualLink::GetPhysicalPath() const
{
    return m_hops;
}

const std::vector<Ptr<Node>>&
VirtualLink::GetHostPath() const
{
    return m_hostPath;
}

Ipv4Address
VirtualLink::GetSubnet() const
{
    return m_subnet;
}

void
VirtualLink::DoDispose()
{
    m_network = nullptr;
    m_a = nullptr;
    m_b = nullptr;
    m_portA = nullptr;
    m_portB = nullptr;
    m_via.clear();
    m_hostPath.clear();
    m_hops.clear();
    Object::DoDispose();
}

} // namespace ns3
