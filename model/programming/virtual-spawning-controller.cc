/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-spawning-controller.h"

#include "genesis-metabus.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/routelet.h"
#include "ns3/virtual-network.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualSpawningController");
NS_OBJECT_ENSURE_REGISTERED(VirtualSpawningController);

TypeId
VirtualSpawningController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualSpawningController")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<VirtualSpawningController>()
            .AddTraceSource("ChildSpawned",
                            "A child was spawned through this controller",
                            MakeTraceSourceAccessor(&VirtualSpawningController::m_spawnedTrace),
                            "ns3::VirtualSpawningController::ChildTracedCallback")
            .AddTraceSource("ChildTornDown",
                            "A child was torn down through this controller",
                            MakeTraceSourceAccessor(&VirtualSpawningController::m_tornDownTrace),
                            "ns3::VirtualSpawningController::ChildTracedCallback")
            .AddTraceSource("Refused",
                            "An operation was refused: child, reason",
                            MakeTraceSourceAccessor(&VirtualSpawningController::m_refusedTrace),
                            "ns3::VirtualSpawningController::RefusedTracedCallback");
    return tid;
}

VirtualSpawningController::VirtualSpawningController()
{
    NS_LOG_FUNCTION(this);
}

VirtualSpawningController::~VirtualSpawningController()
{
    NS_LOG_FUNCTION(this);
}

void
VirtualSpawningController::Bind(Ptr<GenesisMetabus> bus)
{
    m_bus = bus;
}

void
VirtualSpawningController::DoDispose()
{
    m_bus = nullptr;
    Object::DoDispose();
}

Ptr<VirtualNetwork>
VirtualSpawningController::Network(const std::string& what) const
{
    if (!m_bus || !m_bus->IsActive())
    {
        throw GenesisError("VirtualSpawningController: cannot " + what +
                           ": the metabus is shut down (network torn down)");
    }
    return m_bus->GetNetwork();
}

Ptr<VirtualNetwork>
VirtualSpawningController::Child(const std::string& name, const std::string& what) const
{
    Ptr<VirtualNetwork> net = Network(what);
    for (const auto& c : net->GetChildren())
    {
        if (c->GetName() == name)
        {
            return c;
        }
    }
    std::string reason = "'" + name + "' is not a child of network '" + net->GetName() + "'";
    Ptr<VirtualNetwork> other = net->FindNetwork(name);
    if (other)
    {
        reason += other == net ? " (it is the network itself)"
                               : " (it belongs to network '" +
                                     (other->GetParent() ? other->GetParent()->GetName() : "") +
                                     "'; a network spawns and tears down only its own children)";
    }
    m_refusedTrace(name, reason);
    throw GenesisError("VirtualSpawningController of network '" + net->GetName() + "': cannot " +
                       what + ": " + reason);
}

std::vector<std::string>
VirtualSpawningController::GetChildren() const
{
    std::vector<std::string> names;
    for (const auto& c : Network("list children")->GetChildren())
    {
        names.push_back(c->GetName());
    }
    return names;
}

Ptr<VirtualNetwork>
VirtualSpawningController::CreateChild(const std::string& name,
                                       const std::string& capacityClass,
                                       DataRate rate)
{
    Ptr<VirtualNetwork> net = Network("create a child");
    if (capacityClass != "constant" && capacityClass != "controlled" &&
        capacityClass != "best-effort")
    {
        throw GenesisError("VirtualSpawningController of network '" + net->GetName() +
                           "': unknown capacity class '" + capacityClass + "' for child '" + name +
                           "'; use constant, controlled or best-effort");
    }
    Ptr<VirtualNetwork> child = net->CreateChild(name);
    child->SetCapacityClassByName(capacityClass);
    child->SetAttribute("Rate", DataRateValue(rate));
    return child;
}

void
VirtualSpawningController::AddRoutelet(const std::string& child, const std::string& parentRoutelet)
{
    Ptr<VirtualNetwork> c = Child(child, "add a routelet");
    Ptr<Routelet> host = m_bus->GetRoutelet(parentRoutelet);
    c->AddRoutelet(host->GetHost());
}

void
VirtualSpawningController::AddLink(const std::string& child,
                                   const std::string& a,
                                   const std::string& b,
                                   DataRate rate)
{
    Ptr<VirtualNetwork> c = Child(child, "add a link");
    Ptr<Routelet> ra = c->GetRoutelet(m_bus->GetRoutelet(a)->GetHost());
    Ptr<Routelet> rb = c->GetRoutelet(m_bus->GetRoutelet(b)->GetHost());
    if (!ra || !rb)
    {
        throw GenesisError("VirtualSpawningController of network '" + m_bus->GetNetworkName() +
                           "': child '" + child + "' has no routelet on '" + (ra ? b : a) +
                           "'; AddRoutelet first");
    }
    c->AddLink(ra, rb, rate);
}

Ptr<GenesisMetabus>
VirtualSpawningController::Spawn(const std::string& child)
{
    Ptr<VirtualNetwork> c = Child(child, "spawn it");
    try
    {
        c->Spawn();
    }
    catch (const GenesisError& e)
    {
        m_refusedTrace(child, e.what());
        throw;
    }
    Ptr<GenesisMetabus> bus = GenesisMetabus::Install(c);
    m_spawnedTrace(child);
    return bus;
}

void
VirtualSpawningController::Teardown(const std::string& child)
{
    Ptr<VirtualNetwork> c = Child(child, "tear it down");
    c->Teardown();
    m_tornDownTrace(child);
}

} // namespace ns3
