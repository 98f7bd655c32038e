/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-allocation-controller.h"

#include "genesis-metabus.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-helper.h"
#include "ns3/log.h"
#include "ns3/routelet.h"
#include "ns3/virtual-link.h"
#include "ns3/virtual-network.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualAllocationController");
NS_OBJECT_ENSURE_REGISTERED(VirtualAllocationController);

TypeId
VirtualAllocationController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualAllocationController")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<VirtualAllocationController>()
            .AddTraceSource(
                "Reprovisioned",
                "A link was re-provisioned through this controller: link, rate",
                MakeTraceSourceAccessor(&VirtualAllocationController::m_reprovisionedTrace),
                "ns3::VirtualAllocationController::ReprovisionedTracedCallback")
            .AddTraceSource("Refused",
                            "A re-provisioning was refused: link, reason",
                            MakeTraceSourceAccessor(&VirtualAllocationController::m_refusedTrace),
                            "ns3::VirtualAllocationController::RefusedTracedCallback");
    return tid;
}

VirtualAllocationController::VirtualAllocationController()
{
    NS_LOG_FUNCTION(this);
}

VirtualAllocationController::~VirtualAllocationController()
{
    NS_LOG_FUNCTION(this);
}

void
VirtualAllocationController::Bind(Ptr<GenesisMetabus> bus)
{
    m_bus = bus;
}

void
VirtualAllocationController::DoDispose()
{
    m_bus = nullptr;
    Object::DoDispose();
}

Ptr<VirtualNetwork>
VirtualAllocationController::Network(const std::string& what) const
{
    if (!m_bus || !m_bus->IsActive())
    {
        throw GenesisError("VirtualAllocationController: cannot " + what +
                           ": the metabus is shut down (network torn down)");
    }
    return m_bus->GetNetwork();
}

std::vector<Ptr<NetDevice>>
VirtualAllocationController::Devices() const
{
    Ptr<VirtualNetwork> net = Network("list reservations");
    std::vector<Ptr<NetDevice>> devs;
    auto add = [&devs, &net](Ptr<NetDevice> d) {
        if (d && net->GetArbitrator(d) && std::find(devs.begin(), devs.end(), d) == devs.end())
        {
            devs.push_back(d);
        }
    };
    for (const auto& r : net->GetRoutelets())
    {
        Ptr<Node> h = r->GetHost();
        for (uint32_t d = 0; h && d < h->GetNDevices(); ++d)
        {
            add(h->GetDevice(d));
        }
    }
    for (const auto& l : net->GetLinks())
    {
        for (const auto& hop : l->GetPhysicalPath())
        {
            add(hop.fromDev);
            add(hop.toDev);
        }
    }
    std::sort(devs.begin(), devs.end(), [](Ptr<NetDevice> x, Ptr<NetDevice> y) {
        return std::make_pair(x->GetNode()->GetId(), x->GetIfIndex()) <
               std::make_pair(y->GetNode()->GetId(), y->GetIfIndex());
    });
    return devs;
}

VirtualAllocationController::Reservation
VirtualAllocationController::GetReservation(Ptr<NetDevice> dev) const
{
    Ptr<VirtualNetwork> net = Network("read a reservation");
    Ptr<ArbitratorQueueDisc> arb = dev ? net->GetArbitrator(dev) : nullptr;
    if (!arb)
    {
        throw GenesisError("VirtualAllocationController of network '" + net->GetName() +
                           "': the network holds nothing on " +
                           (dev ? "node " + std::to_string(dev->GetNode()->GetId()) + " device " +
                                      std::to_string(dev->GetIfIndex())
                                : std::string("a null device")));
    }
    Reservation r;
    r.nodeId = dev->GetNode()->GetId();
    r.deviceIndex = dev->GetIfIndex();
    r.reserved = net->GetReservedRate(dev);
    r.residual = arb->GetResidualRate();
    Ptr<VirtualNetwork> parent = net->GetParent();
    Ptr<ArbitratorQueueDisc> parb = parent ? parent->GetArbitrator(dev) : nullptr;
    r.parentResidual = parb ? parb->GetResidualRate() : DataRate(0);
    return r;
}

std::vector<VirtualAllocationController::Reservation>
VirtualAllocationController::GetReservations() const
{
    std::vector<Reservation> out;
    for (const auto& d : Devices())
    {
        out.push_back(GetReservation(d));
    }
    return out;
}

DataRate
VirtualAllocationController::GetLinkRate(const std::string& link) const
{
    Network("read a link rate");
    return m_bus->GetLink(link)->GetRate();
}

void
VirtualAllocationController::SetLinkRate(const std::string& link, DataRate rate)
{
    Ptr<VirtualNetwork> net = Network("re-provision '" + link + "'");
    try
    {
        net->SetLinkRate(m_bus->GetLink(link), rate);
    }
    catch (const GenesisError& e)
    {
        m_refusedTrace(link, e.what());
        throw;
    }
    m_reprovisionedTrace(link, rate);
}

void
VirtualAllocationController::SetLinkRate(const std::string& link, const std::string& rate)
{
    Ptr<VirtualNetwork> net = Network("re-provision '" + link + "'");
    SetLinkRate(link,
                GenesisHelper::ParseRate(rate,
                                         "virtual network '" + net->GetName() + "' link '" + link +
                                             "' rate"));
}

} // namespace ns3
