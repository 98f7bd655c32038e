/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-delegate.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/virtual-network.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDelegate");
NS_OBJECT_ENSURE_REGISTERED(GenesisDelegate);

TypeId
GenesisDelegate::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisDelegate")
                            .SetParent<Object>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisDelegate>();
    return tid;
}

GenesisDelegate::GenesisDelegate() = default;
GenesisDelegate::~GenesisDelegate() = default;

void
GenesisDelegate::DoDispose()
{
    for (auto& kv : m_monitors)
    {
        kv.second->Dispose();
    }
    m_monitors.clear();
    m_network = nullptr;
    m_node = nullptr;
    Object::DoDispose();
}

void
GenesisDelegate::Setup(Ptr<VirtualNetwork> network, Ptr<Node> node)
{
    m_network = network;
    m_node = node;
}

Ptr<Node>
GenesisDelegate::GetNode() const
{
    return m_node;
}

Ptr<GenesisMonitor>
GenesisDelegate::AddMonitor(Ptr<VirtualNetwork> child,
                            Ptr<NetDevice> dev,
                            const ObjectFactory& factory)
{
    Key k(dev->GetIfIndex(), child->GetId());
    auto it = m_monitors.find(k);
    if (it != m_monitors.end())
    {
        return it->second;
    }
    Ptr<GenesisMonitor> m = factory.Create<GenesisMonitor>();
    m->Setup(m_network, child, dev);
    m->SetAllocation(DataRate(GetAllocation(child, dev)));
    m_monitors[k] = m;
    return m;
}

Ptr<GenesisMonitor>
GenesisDelegate::GetMonitor(uint16_t childId, Ptr<NetDevice> dev) const
{
    auto it = m_monitors.find(Key(dev->GetIfIndex(), childId));
    return it == m_monitors.end() ? nullptr : it->second;
}

void
GenesisDelegate::RemoveChild(uint16_t childId)
{
    for (auto it = m_monitors.begin(); it != m_monitors.end();)
    {
        if (it->first.second == childId)
        {
            it->second->Dispose();
            it = m_monitors.erase(it);
        }
        else
        {
            ++it;
        }
    }
}

uint64_t
GenesisDelegate::GetAllocation(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev) const
{
    if (child->GetCapacityClass() != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        return child->GetReservedRate(dev).GetBitRate();
    }
    Ptr<ArbitratorQueueDisc> arb = m_network->GetArbitrator(dev);
    Ptr<ArbitratorQueueDiscClass> c = arb ? arb->GetNetworkClass(child->GetId()) : nullptr;
    return c ? static_cast<uint64_t>(std::llround(c->GetShare() * 1e6)) : 0;
}

void
GenesisDelegate::Apply(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev, uint64_t bps)
{
    NS_LOG_FUNCTION(this << child->GetName() << dev << bps);
    if (child->GetCapacityClass() != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        child->SetSliceRate(dev, DataRate(bps));
    }
    else
    {
        Ptr<ArbitratorQueueDisc> arb = m_network->GetArbitrator(dev);
        if (!arb || !arb->HasNetworkClass(child->GetId()))
        {
            throw GenesisError("delegate: network '" + child->GetName() + "' has no class in '" +
                               m_network->GetName() + "' on device " +
                               std::to_string(dev->GetIfIndex()) + " of node " +
                               std::to_string(m_node->GetId()));
        }
        // a best-effort weight is relative: bit/s / 1e6, never zero
        arb->SetNetworkShare(child->GetId(), std::max(1e-6, bps / 1e6));
    }
    Ptr<GenesisMonitor> m = GetMonitor(child->GetId(), dev);
    if (m)
    {
        m->SetAllocation(DataRate(bps));
    }
}

std::vector<GenesisMonitor::Reading>
GenesisDelegate::Report()
{
    std::vector<GenesisMonitor::Reading> out;
    for (auto& kv : m_monitors)
    {
        out.push_back(kv.second->CloseInterval());
    }
    return out;
}

} // namespace ns3
