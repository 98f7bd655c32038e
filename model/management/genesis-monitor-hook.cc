/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-monitor-hook.h"

#include "genesis-monitor.h"

#include "ns3/genesis-error.h"
#include "ns3/genesis-l4-protocol.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisMonitorHook");
NS_OBJECT_ENSURE_REGISTERED(GenesisMonitorHook);

TypeId
GenesisMonitorHook::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisMonitorHook")
                            .SetParent<Object>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisMonitorHook>();
    return tid;
}

GenesisMonitorHook::GenesisMonitorHook() = default;
GenesisMonitorHook::~GenesisMonitorHook() = default;

void
GenesisMonitorHook::DoDispose()
{
    m_monitors.clear();
    m_next = Callback<void, Ptr<Packet>, Ipv4Address, Ipv4Address, uint8_t, Ptr<Ipv4Route>>();
    Object::DoDispose();
}

Ptr<GenesisMonitorHook>
GenesisMonitorHook::Get(Ptr<Node> node)
{
    Ptr<GenesisMonitorHook> h = node->GetObject<GenesisMonitorHook>();
    if (h)
    {
        return h;
    }
    Ptr<GenesisL4Protocol> l4 = node->GetObject<GenesisL4Protocol>();
    if (!l4)
    {
        throw GenesisError("monitor: node " + std::to_string(node->GetId()) +
                           " has no GenesisL4Protocol; install Genesis on it first");
    }
    h = CreateObject<GenesisMonitorHook>();
    h->m_next = l4->GetDownTarget();
    l4->SetDownTarget(MakeCallback(&GenesisMonitorHook::Send, h));
    node->AggregateObject(h);
    return h;
}

void
GenesisMonitorHook::Add(Ptr<GenesisMonitor> m)
{
    if (std::find(m_monitors.begin(), m_monitors.end(), PeekPointer(m)) == m_monitors.end())
    {
        m_monitors.push_back(PeekPointer(m));
    }
}

void
GenesisMonitorHook::Remove(Ptr<GenesisMonitor> m)
{
    m_monitors.erase(std::remove(m_monitors.begin(), m_monitors.end(), PeekPointer(m)),
                     m_monitors.end());
}

void
GenesisMonitorHook::Send(Ptr<Packet> packet,
                         Ipv4Address src,
                         Ipv4Address dst,
                         uint8_t protocol,
                         Ptr<Ipv4Route> route)
{
    if (!m_monitors.empty() && route)
    {
        Ptr<NetDevice> dev = route->GetOutputDevice();
        for (GenesisMonitor* m : m_monitors)
        {
            if (m->GetDevice() == dev &&
                GenesisShimHeader::PeekLabel(packet, m->GetLabelLevel()) == m->GetNetworkId() &&
                !m->Police(packet))
            {
                return;
            }
        }
    }
    if (!m_next.IsNull())
    {
        m_next(packet, src, dst, protocol, route);
    }
}

} // namespace ns3
