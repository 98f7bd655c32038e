/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "virtual-datapath-controller.h"

#include "genesis-metabus.h"

#include "ns3/genesis-error.h"
#include "ns3/genesis-routelet-routing.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/routelet-port.h"
#include "ns3/routelet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisVirtualDatapathController");
NS_OBJECT_ENSURE_REGISTERED(VirtualDatapathController);

TypeId
VirtualDatapathController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualDatapathController")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<VirtualDatapathController>()
            .AddTraceSource("PortTx",
                            "A packet went out through a port: port index, packet",
                            MakeTraceSourceAccessor(&VirtualDatapathController::m_txTrace),
                            "ns3::VirtualDatapathController::PortPacketTracedCallback")
            .AddTraceSource("PortRx",
                            "A packet came in through a port: port index, packet",
                            MakeTraceSourceAccessor(&VirtualDatapathController::m_rxTrace),
                            "ns3::VirtualDatapathController::PortPacketTracedCallback")
            .AddTraceSource("PortDrop",
                            "The routelet's IPv4 layer dropped a packet on a port: port index, "
                            "packet",
                            MakeTraceSourceAccessor(&VirtualDatapathController::m_dropTrace),
                            "ns3::VirtualDatapathController::PortPacketTracedCallback")
            .AddTraceSource("PortState",
                            "A port was enabled or disabled: port index, enabled",
                            MakeTraceSourceAccessor(&VirtualDatapathController::m_stateTrace),
                            "ns3::VirtualDatapathController::PortStateTracedCallback");
    return tid;
}

VirtualDatapathController::VirtualDatapathController()
{
    NS_LOG_FUNCTION(this);
}

VirtualDatapathController::~VirtualDatapathController()
{
    NS_LOG_FUNCTION(this);
}

void
VirtualDatapathController::Bind(Ptr<GenesisMetabus> bus,
                                const std::string& name,
                                Ptr<Routelet> routelet)
{
    m_bus = bus;
    m_name = name;
    m_routelet = routelet;
    m_ports = routelet->GetPorts();
    m_counters.assign(m_ports.size(), PortCounters());
    m_withdrawn.assign(m_ports.size(), {});
    m_withdrawnMetric.assign(m_ports.size(), {});
    for (std::size_t i = 0; i < m_ports.size(); ++i)
    {
        std::string ctx = std::to_string(i);
        m_ports[i]->TraceConnect("MacTx",
                                 ctx,
                                 MakeCallback(&VirtualDatapathController::PortTx, this));
        m_ports[i]->TraceConnect("MacRx",
                                 ctx,
                                 MakeCallback(&VirtualDatapathController::PortRx, this));
    }
    Ptr<Node> node = routelet->GetNode();
    m_ipv4 = node ? node->GetObject<Ipv4L3Protocol>() : nullptr;
    if (m_ipv4)
    {
        m_ipv4->TraceConnectWithoutContext("Drop",
                                           MakeCallback(&VirtualDatapathController::IpDrop, this));
    }
}

void
VirtualDatapathController::Disconnect()
{
    for (std::size_t i = 0; i < m_ports.size(); ++i)
    {
        std::string ctx = std::to_string(i);
        m_ports[i]->TraceDisconnect("MacTx",
                                    ctx,
                                    MakeCallback(&VirtualDatapathController::PortTx, this));
        m_ports[i]->TraceDisconnect("MacRx",
                                    ctx,
                                    MakeCallback(&VirtualDatapathController::PortRx, this));
    }
    if (m_ipv4)
    {
        m_ipv4->TraceDisconnectWithoutContext(
            "Drop",
            MakeCallback(&VirtualDatapathController::IpDrop, this));
    }
    m_ports.clear();
    m_ipv4 = nullptr;
}

void
VirtualDatapathController::DoDispose()
{
    Disconnect();
    m_bus = nullptr;
    m_routelet = nullptr;
    Object::DoDispose();
}

void
VirtualDatapathController::PortTx(std::string context, Ptr<const Packet> packet)
{
    uint32_t i = static_cast<uint32_t>(std::stoul(context));
    m_counters[i].txPackets++;
    m_counters[i].txBytes += packet->GetSize();
    m_txTrace(i, packet);
}

void
VirtualDatapathController::PortRx(std::string context, Ptr<const Packet> packet)
{
    uint32_t i = static_cast<uint32_t>(std::stoul(context));
    m_counters[i].rxPackets++;
    m_counters[i].rxBytes += packet->GetSize();
    m_rxTrace(i, packet);
}

void
VirtualDatapathController::IpDrop(const Ipv4Header& /* header */,
                                  Ptr<const Packet> packet,
                                  Ipv4L3Protocol::DropReason /* reason */,
                                  Ptr<Ipv4> /* ipv4 */,
                                  uint32_t interface)
{
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (InterfaceOf(i) == static_cast<int32_t>(interface))
        {
            m_counters[i].drops++;
            m_dropTrace(i, packet);
            return;
        }
    }
}

std::string
VirtualDatapathController::GetName() const
{
    return m_name;
}

uint32_t
VirtualDatapathController::GetNPorts() const
{
    return static_cast<uint32_t>(m_ports.size());
}

void
VirtualDatapathController::CheckPort(uint32_t i) const
{
    if (!m_bus || !m_bus->IsActive())
    {
        throw GenesisError("VirtualDatapathController of routelet '" + m_name +
                           "': the metabus is shut down (network torn down)");
    }
    if (i >= m_ports.size())
    {
        throw GenesisError("routelet '" + m_name + "' of network '" + m_bus->GetNetworkName() +
                           "' has no port " + std::to_string(i) + " (it has " +
                           std::to_string(m_ports.size()) + ")");
    }
}

int32_t
VirtualDatapathController::InterfaceOf(uint32_t i) const
{
    return m_ipv4 ? m_ipv4->GetInterfaceForDevice(m_ports[i]) : -1;
}

VirtualDatapathController::PortCounters
VirtualDatapathController::GetCounters(uint32_t i) const
{
    CheckPort(i);
    return m_counters[i];
}

VirtualDatapathController::PortCounters
VirtualDatapathController::GetTotals() const
{
    PortCounters t;
    for (const auto& c : m_counters)
    {
        t.txPackets += c.txPackets;
        t.txBytes += c.txBytes;
        t.rxPackets += c.rxPackets;
        t.rxBytes += c.rxBytes;
        t.drops += c.drops;
    }
    return t;
}

void
VirtualDatapathController::ResetCounters()
{
    m_counters.assign(m_ports.size(), PortCounters());
}

bool
VirtualDatapathController::IsPortEnabled(uint32_t i) const
{
    CheckPort(i);
    int32_t itf = InterfaceOf(i);
    return itf >= 0 && m_ipv4->IsUp(itf);
}

void
VirtualDatapathController::SetPortEnabled(uint32_t i, bool enabled)
{
    CheckPort(i);
    int32_t itf = InterfaceOf(i);
    if (itf < 0)
    {
        throw GenesisError("routelet '" + m_name + "': port " + std::to_string(i) +
                           " has no IPv4 interface to enable or disable");
    }
    if (m_ipv4->IsUp(itf) == enabled)
    {
        return;
    }
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(m_ipv4);
    if (!enabled)
    {
        // Remember the static routes through the port (not the connected one) to restore them.
        m_withdrawn[i].clear();
        m_withdrawnMetric[i].clear();
        // With a GenesisRouteletRouting these include the network's shared
        // spawn routes through the port; SetDown withdraws them as ns-3 does
        // static routes, and they come back below as routes of the routelet.
        for (const auto& r : GenesisRouteletRouting::GetRoutes(rt))
        {
            if (r.entry.GetInterface() == static_cast<uint32_t>(itf) && r.entry.IsGateway())
            {
                m_withdrawn[i].push_back(r.entry);
                m_withdrawnMetric[i].push_back(r.metric);
            }
        }
        m_ipv4->SetDown(itf);
    }
    else
    {
        m_ipv4->SetUp(itf);
        for (std::size_t k = 0; rt && k < m_withdrawn[i].size(); ++k)
        {
            const Ipv4RoutingTableEntry& e = m_withdrawn[i][k];
            rt->AddNetworkRouteTo(e.GetDestNetwork(),
                                  e.GetDestNetworkMask(),
                                  e.GetGateway(),
                                  e.GetInterface(),
                                  m_withdrawnMetric[i][k]);
        }
        m_withdrawn[i].clear();
        m_withdrawnMetric[i].clear();
    }
    NS_LOG_INFO("routelet " << m_name << ": port " << i << (enabled ? " enabled" : " disabled"));
    m_stateTrace(i, enabled);
}

} // namespace ns3
