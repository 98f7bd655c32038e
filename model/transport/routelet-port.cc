/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "routelet-port.h"

#include "genesis-shim-header.h"
#include "virtual-link.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisRouteletPort");
NS_OBJECT_ENSURE_REGISTERED(RouteletPort);

TypeId
RouteletPort::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RouteletPort")
                            .SetParent<VirtualNetDevice>()
                            .SetGroupName("Genesis")
                            .AddConstructor<RouteletPort>();
    return tid;
}

RouteletPort::RouteletPort()
    : m_reverse(false),
      m_vlinkId(0),
      m_txPackets(0),
      m_rxPackets(0),
      m_admissionDrops(0)
{
    NS_LOG_FUNCTION(this);
    SetNeedsArp(false);
    SetIsPointToPoint(true);
    SetSupportsSendFrom(false);
    SetSendCallback(MakeCallback(&RouteletPort::SendToHost, this));
}

RouteletPort::~RouteletPort()
{
    NS_LOG_FUNCTION(this);
}

void
RouteletPort::Bind(Ptr<VirtualLink> link,
                   bool reverse,
                   const std::vector<uint16_t>& labels,
                   Ptr<GenesisL4Protocol> hostL4,
                   GenesisL4Protocol::Hop firstHop)
{
    NS_LOG_FUNCTION(this << link << reverse);
    m_link = link;
    m_vlinkId = link->GetId();
    m_reverse = reverse;
    m_labels = labels;
    m_hostL4 = hostL4;
    m_firstHop = firstHop;
}

Ptr<VirtualLink>
RouteletPort::GetVirtualLink() const
{
    return m_link;
}

const std::vector<uint16_t>&
RouteletPort::GetLabels() const
{
    return m_labels;
}

uint64_t
RouteletPort::GetTxPackets() const
{
    return m_txPackets;
}

uint64_t
RouteletPort::GetRxPackets() const
{
    return m_rxPackets;
}

bool
RouteletPort::SendToHost(Ptr<Packet> packet,
                         const Address& source,
                         const Address& dest,
                         uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << protocolNumber);
    if (!m_hostL4)
    {
        return false; // unbound or torn down
    }
    if (m_admission && !m_admission(packet))
    {
        ++m_admissionDrops;
        return false; // refused at the edge; the check traced the reason
    }
    GenesisShimHeader shim;
    shim.SetLabels(m_labels);
    shim.SetVirtualLinkId(m_vlinkId);
    shim.SetReverse(m_reverse);
    shim.SetInnerProtocol(protocolNumber);
    packet->AddHeader(shim);
    ++m_txPackets;
    // The host's stack runs in the host's context (ns-3 checks the context of
    // every node that receives; the MPI engine relies on it).
    const uint32_t host = m_hostL4->GetNode()->GetId();
    if (Simulator::GetContext() == host)
    {
        m_hostL4->SendOnHop(packet, m_firstHop);
    }
    else
    {
        Simulator::ScheduleWithContext(host,
                                       Time(0),
                                       &GenesisL4Protocol::SendOnHopCopy,
                                       m_hostL4,
                                       packet,
                                       m_firstHop);
    }
    return true;
}

bool
RouteletPort::IsMulticast() const
{
    return true;
}

void
RouteletPort::DeliverUp(Ptr<Packet> packet, uint16_t protocol)
{
    NS_LOG_FUNCTION(this << packet << protocol);
    if (!m_link || !GetNode())
    {
        return; // torn down while the packet was on its way
    }
    ++m_rxPackets;
    Receive(packet, protocol, GetAddress(), GetAddress(), NetDevice::PACKET_HOST);
}

void
RouteletPort::SetAdmission(std::function<bool(Ptr<const Packet>)> check)
{
    m_admission = std::move(check);
}

uint64_t
RouteletPort::GetAdmissionDrops() const
{
    return m_admissionDrops;
}

void
RouteletPort::Unbind()
{
    NS_LOG_FUNCTION(this);
    m_link = nullptr;
    m_hostL4 = nullptr;
    m_firstHop = GenesisL4Protocol::Hop();
    m_admission = nullptr;
}

void
RouteletPort::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_admission = nullptr;
    m_link = nullptr;
    m_hostL4 = nullptr;
    m_firstHop = GenesisL4Protocol::Hop();
    VirtualNetDevice::DoDispose();
}

} // namespace ns3
