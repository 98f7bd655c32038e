/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-processor-helper.h"

#include "ns3/genesis-error.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/node.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/virtual-network.h"

namespace ns3
{

GenesisNodeProcessorHelper::GenesisNodeProcessorHelper()
{
    m_factory.SetTypeId(GenesisNodeProcessor::GetTypeId());
}

void
GenesisNodeProcessorHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    struct TypeId::AttributeInformation info;
    if (!GenesisNodeProcessor::GetTypeId().LookupAttributeByName(name, &info))
    {
        throw GenesisError("GenesisNodeProcessorHelper: ns3::GenesisNodeProcessor has no "
                           "attribute '" +
                           name +
                           "' (it has CyclesPerSecond, CyclesPerPacket, CyclesPerByte, "
                           "QueueLimit, ShareRefresh)");
    }
    m_factory.Set(name, value);
}

std::vector<Ptr<GenesisNodeProcessor>>
GenesisNodeProcessorHelper::Install(NodeContainer nodes, Ptr<VirtualNetwork> root) const
{
    // Check everything first so that a failure leaves every node as it was.
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<Node> n = *it;
        if (!n->GetObject<Ipv4L3Protocol>() || !n->GetObject<TrafficControlLayer>())
        {
            throw GenesisError("GenesisNodeProcessorHelper: node " + std::to_string(n->GetId()) +
                               " has no IPv4 stack (install the internet stack first)");
        }
        if (n->GetObject<GenesisNodeProcessor>())
        {
            throw GenesisError("GenesisNodeProcessorHelper: node " + std::to_string(n->GetId()) +
                               " already has a processor");
        }
    }
    std::vector<Ptr<GenesisNodeProcessor>> out;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<GenesisNodeProcessor> p = m_factory.Create<GenesisNodeProcessor>();
        p->Install(*it, root);
        out.push_back(p);
    }
    return out;
}

} // namespace ns3
