/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-composition-controller.h"

#include "genesis-metabus.h"

#include "ns3/arbitrator-queue-disc-class.h"
#include "ns3/arbitrator-queue-disc.h"
#include "ns3/genesis-error.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/profile-reader.h"
#include "ns3/routelet-port.h"
#include "ns3/routelet.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-network.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualCompositionController");
NS_OBJECT_ENSURE_REGISTERED(VirtualCompositionController);

TypeId
VirtualCompositionController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualCompositionController")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<VirtualCompositionController>()
            .AddTraceSource("Composed",
                            "A module was changed: module, change",
                            MakeTraceSourceAccessor(&VirtualCompositionController::m_composedTrace),
                            "ns3::VirtualCompositionController::ComposedTracedCallback");
    return tid;
}

VirtualCompositionController::VirtualCompositionController()
{
    NS_LOG_FUNCTION(this);
}

VirtualCompositionController::~VirtualCompositionController()
{
    NS_LOG_FUNCTION(this);
}

void
VirtualCompositionController::Bind(Ptr<GenesisMetabus> bus,
                                   const std::string& name,
                                   Ptr<Routelet> routelet)
{
    m_bus = bus;
    m_name = name;
    m_routelet = routelet;
}

void
VirtualCompositionController::DoDispose()
{
    m_bus = nullptr;
    m_routelet = nullptr;
    Object::DoDispose();
}

void
VirtualCompositionController::CheckBound() const
{
    if (!m_bus || !m_bus->IsActive() || !m_routelet)
    {
        throw GenesisError("VirtualCompositionController of routelet '" + m_name +
                           "': the metabus is shut down (network torn down)");
    }
}

std::vector<VirtualCompositionController::Module>
VirtualCompositionController::GetModules() const
{
    CheckBound();
    std::vector<Module> modules;
    Ptr<Node> node = m_routelet->GetNode();
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (ipv4 && ipv4->GetRoutingProtocol())
    {
        Ptr<Ipv4RoutingProtocol> rp = ipv4->GetRoutingProtocol();
        modules.push_back({"forwarder", "forwarder", rp->GetInstanceTypeId().GetName(), rp});
    }
    const auto& ports = m_routelet->GetPorts();
    for (std::size_t i = 0; i < ports.size(); ++i)
    {
        modules.push_back({"port" + std::to_string(i),
                           "port",
                           ports[i]->GetInstanceTypeId().GetName(),
                           ports[i]});
    }
    Ptr<VirtualNetwork> net = m_bus->GetNetwork();
    Ptr<Node> host = m_routelet->GetHost();
    for (uint32_t d = 0; host && d < host->GetNDevices(); ++d)
    {
        Ptr<ArbitratorQueueDisc> arb = net->GetArbitrator(host->GetDevice(d));
        if (!arb)
        {
            continue;
        }
        std::string where = "@" + std::to_string(host->GetId()) + "/" + std::to_string(d);
        modules.push_back(
            {"arbitrator" + where, "arbitrator", arb->GetInstanceTypeId().GetName(), arb});
        UintegerValue own;
        arb->GetAttribute("OwnNetworkId", own);
        Ptr<ArbitratorQueueDiscClass> cls = arb->GetNetworkClass(static_cast<uint32_t>(own.Get()));
        Ptr<QueueDisc> qd = cls ? cls->GetQueueDisc() : nullptr;
        if (qd)
        {
            modules.push_back(
                {"scheduler" + where, "scheduler", qd->GetInstanceTypeId().GetName(), qd});
        }
    }
    return modules;
}

VirtualCompositionController::Module
VirtualCompositionController::GetModule(const std::string& name) const
{
    std::vector<Module> modules = GetModules();
    std::string known;
    for (const auto& m : modules)
    {
        if (m.name == name)
        {
            return m;
        }
        known += (known.empty() ? "" : ", ") + m.name;
    }
    throw GenesisError("routelet '" + m_name + "' of network '" + m_bus->GetNetworkName() +
                       "' has no module '" + name + "'; it has: " + known);
}

void
VirtualCompositionController::SetModuleAttribute(const std::string& module,
                                                 const std::string& attribute,
                                                 const std::string& value)
{
    Module m = GetModule(module);
    TypeId tid = m.object->GetInstanceTypeId();
    std::string problem;
    std::string hint;
    if (!GenesisProfileReader::CheckAttribute(tid, attribute, value, &problem, &hint))
    {
        throw GenesisError("routelet '" + m_name + "' module '" + module + "' (" + m.typeId +
                           "): " + problem + (hint.empty() ? "" : "; " + hint));
    }
    TypeId::AttributeInformation info;
    tid.LookupAttributeByName(attribute, &info);
    if (!(info.flags & TypeId::ATTR_SET) || !info.accessor->HasSetter())
    {
        throw GenesisError("routelet '" + m_name + "' module '" + module + "' (" + m.typeId +
                           "): attribute '" + attribute + "' cannot be changed at run time");
    }
    if (!m.object->SetAttributeFailSafe(attribute, StringValue(value)))
    {
        throw GenesisError("routelet '" + m_name + "' module '" + module + "' (" + m.typeId +
                           "): value '" + value + "' refused for attribute '" + attribute + "'");
    }
    m_composedTrace(module, attribute + "=" + value);
}

void
VirtualCompositionController::ReplaceForwarder(const std::string& typeId,
                                               const std::map<std::string, std::string>& attributes)
{
    CheckBound();
    Ptr<Node> node = m_routelet->GetNode();
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (!ipv4)
    {
        throw GenesisError("routelet '" + m_name + "' has no IPv4 stack: no forwarder to replace");
    }
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(typeId, &tid))
    {
        throw GenesisError("routelet '" + m_name + "': forwarder '" + typeId +
                           "' is not a registered TypeId (is its library linked? e.g. "
                           "ns3::Ipv4StaticRouting)");
    }
    if (!tid.IsChildOf(Ipv4RoutingProtocol::GetTypeId()) || !tid.HasConstructor())
    {
        throw GenesisError("routelet '" + m_name + "': forwarder '" + typeId +
                           "' is not a constructible Ipv4RoutingProtocol");
    }
    ObjectFactory factory;
    factory.SetTypeId(tid);
    for (const auto& kv : attributes)
    {
        std::string problem;
        std::string hint;
        if (!GenesisProfileReader::CheckAttribute(tid, kv.first, kv.second, &problem, &hint))
        {
            throw GenesisError("routelet '" + m_name + "': forwarder '" + typeId + "': " + problem +
                               (hint.empty() ? "" : "; " + hint));
        }
        factory.Set(kv.first, StringValue(kv.second));
    }
    Ptr<Ipv4RoutingProtocol> rp = factory.Create<Ipv4RoutingProtocol>();
    ipv4->SetRoutingProtocol(rp);
    rp->Initialize();
    NS_LOG_INFO("routelet " << m_name << ": forwarder replaced by " << typeId);
    m_composedTrace("forwarder", typeId);
}

} // namespace ns3
