/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-emu-edge.h"

#include "genesis-emu-net-device.h"
#include "genesis-vlan-filter.h"
#include "genesis-vlan-tag.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/genesis-address-range-filter.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-label-filter.h"
#include "ns3/log.h"
#include "ns3/queue-item.h"
#include "ns3/string.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisEmuEdge");
NS_OBJECT_ENSURE_REGISTERED(GenesisEmuEdge);

namespace
{
/// A big-endian 32-bit word (an IPv4 address in a header).
uint32_t
ReadU32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
} // namespace

TypeId
GenesisEmuEdge::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisEmuEdge")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisEmuEdge>()
            .AddAttribute("Isolation",
                          "Drop packets that arrive from one child network and are addressed "
                          "into another child network's range.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisEmuEdge::m_isolation),
                          MakeBooleanChecker())
            .AddAttribute("MapAddressSpace",
                          "A network that declares no address range of its own "
                          "(VirtualNetwork::AddAddressRange) is recognised by its address "
                          "space (Ipv4Base/Ipv4Mask, a profile's address_space).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisEmuEdge::m_mapAddressSpace),
                          MakeBooleanChecker())
            .AddTraceSource("IsolationDrop",
                            "A packet from one child network addressed into another was "
                            "dropped at the port: packet, source network id, destination "
                            "network id",
                            MakeTraceSourceAccessor(&GenesisEmuEdge::m_isolationDrop),
                            "ns3::GenesisEmuEdge::IsolationDropTracedCallback")
            .AddTraceSource("AttachFailed",
                            "A child network could not get a slice of the emulated ports: "
                            "network, reason",
                            MakeTraceSourceAccessor(&GenesisEmuEdge::m_attachFailed),
                            "ns3::GenesisEmuEdge::AttachFailedTracedCallback")
            .AddTraceSource("Attached",
                            "A child network got a slice of every emulated port",
                            MakeTraceSourceAccessor(&GenesisEmuEdge::m_attachedTrace),
                            "ns3::VirtualNetwork::NetworkTracedCallback");
    return tid;
}

GenesisEmuEdge::GenesisEmuEdge()
    : m_isolation(true),
      m_mapAddressSpace(true),
      m_isolationDrops(0)
{
    NS_LOG_FUNCTION(this);
}

GenesisEmuEdge::~GenesisEmuEdge()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisEmuEdge::DoDispose()
{
    m_ports.clear();
    m_root = nullptr;
    Object::DoDispose();
}

void
GenesisEmuEdge::AddPorts(NetDeviceContainer ports)
{
    NS_LOG_FUNCTION(this);
    std::vector<Port> add;
    for (auto it = ports.Begin(); it != ports.End(); ++it)
    {
        Ptr<NetDevice> d = *it;
        Ptr<TrafficControlLayer> tc =
            d->GetNode() ? d->GetNode()->GetObject<TrafficControlLayer>() : nullptr;
        Ptr<ArbitratorQueueDisc> arb =
            tc ? DynamicCast<ArbitratorQueueDisc>(tc->GetRootQueueDiscOnDevice(d)) : nullptr;
        if (!arb || arb->GetDepth() != 0)
        {
            std::ostringstream os;
            os << "GenesisEmuEdge: device " << d->GetIfIndex() << " of node "
               << (d->GetNode() ? static_cast<int64_t>(d->GetNode()->GetId()) : -1)
               << " has no root ArbitratorQueueDisc; call GenesisHelper::Install on its node "
                  "before adding it as an emulated port";
            throw GenesisError(os.str());
        }
        add.push_back(Port{d, arb, nullptr, nullptr});
    }
    for (auto& p : add)
    {
        p.arb->TraceConnectWithoutContext("ClassDequeue",
                                          MakeCallback(&GenesisEmuEdge::OnDequeue, this));
        if (auto emu = DynamicCast<GenesisEmuNetDevice>(p.dev))
        {
            emu->SetIngressFilter(MakeCallback(&GenesisEmuEdge::Admit, this));
        }
        m_ports.push_back(p);
    }
}

NetDeviceContainer
GenesisEmuEdge::GetPorts() const
{
    NetDeviceContainer c;
    for (const auto& p : m_ports)
    {
        c.Add(p.dev);
    }
    return c;
}

void
GenesisEmuEdge::SetVlan(const std::string& network, uint16_t vlanId)
{
    NS_LOG_FUNCTION(this << network << vlanId);
    if (vlanId == 0 || vlanId >= 4095)
    {
        std::ostringstream os;
        os << "GenesisEmuEdge: VLAN id " << vlanId << " for network '" << network
           << "' is reserved or out of range; use an id from 1 to 4094";
        throw GenesisError(os.str());
    }
    for (const auto& kv : m_vlanByName)
    {
        if (kv.first != network &&
            std::find(kv.second.begin(), kv.second.end(), vlanId) != kv.second.end())
        {
            std::ostringstream os;
            os << "GenesisEmuEdge: VLAN " << vlanId << " is already given to network '" << kv.first
               << "'; give network '" << network << "' another VLAN id";
            throw GenesisError(os.str());
        }
    }
    m_vlanByName[network].push_back(vlanId);
    if (m_root)
    {
        Ptr<VirtualNetwork> n = m_root->FindNetwork(network);
        if (n && IsAttached(n->GetId()))
        {
            // Running already: map the id now.
            for (auto& p : m_ports)
            {
                EnsureFilters(p);
                p.vlans->AddVlan(vlanId, n->GetId());
            }
            m_attached[n->GetId()].push_back(vlanId);
            m_vlanNet[vlanId] = n->GetId();
        }
    }
}

void
GenesisEmuEdge::Watch(Ptr<VirtualNetwork> root)
{
    NS_LOG_FUNCTION(this << root);
    m_root = root;
    root->TraceConnectWithoutContext("ChildCreated",
                                     MakeCallback(&GenesisEmuEdge::OnChildCreated, this));
    for (const auto& c : root->GetChildren())
    {
        OnChildCreated(c);
        if (c->GetState() == VirtualNetwork::SPAWNED)
        {
            OnSpawned(c);
        }
    }
}

void
GenesisEmuEdge::OnChildCreated(Ptr<VirtualNetwork> child)
{
    child->TraceConnectWithoutContext("Spawned", MakeCallback(&GenesisEmuEdge::OnSpawned, this));
    child->TraceConnectWithoutContext("TornDown", MakeCallback(&GenesisEmuEdge::OnTornDown, this));
}

void
GenesisEmuEdge::OnSpawned(Ptr<VirtualNetwork> network)
{
    try
    {
        Attach(network);
    }
    catch (const GenesisError& e)
    {
        NS_LOG_WARN(e.what());
        m_attachFailed(network, e.what());
    }
}

void
GenesisEmuEdge::OnTornDown(Ptr<VirtualNetwork> network)
{
    Detach(network);
}

void
GenesisEmuEdge::EnsureFilters(Port& port)
{
    if (port.vlans)
    {
        return;
    }
    // Shim packets are classified by label first: when the arbitrator has no
    // filter yet (before its initialisation), give it its label filter now,
    // as it would have added it itself.
    bool hasLabel = false;
    for (std::size_t i = 0; i < port.arb->GetNPacketFilters(); ++i)
    {
        Ptr<PacketFilter> f = port.arb->GetPacketFilter(i);
        hasLabel = hasLabel || DynamicCast<GenesisLabelFilter>(f);
        if (auto r = DynamicCast<GenesisAddressRangeFilter>(f))
        {
            port.ranges = r;
        }
    }
    if (!hasLabel)
    {
        Ptr<GenesisLabelFilter> lf = CreateObject<GenesisLabelFilter>();
        lf->SetLevel(0);
        UintegerValue proto;
        port.arb->GetAttribute("Protocol", proto);
        lf->SetProtocol(static_cast<uint8_t>(proto.Get()));
        port.arb->AddPacketFilter(lf);
    }
    // VLAN before address: a frame's VLAN names its network even when its
    // addresses lie in another network's range.
    port.vlans = CreateObject<GenesisVlanFilter>();
    port.arb->AddPacketFilter(port.vlans);
    if (!port.ranges)
    {
        port.ranges = CreateObject<GenesisAddressRangeFilter>();
        port.arb->AddPacketFilter(port.ranges);
    }
}

bool
GenesisEmuEdge::IsAttached(uint16_t networkId) const
{
    return m_attached.count(networkId) > 0;
}

void
GenesisEmuEdge::Attach(Ptr<VirtualNetwork> network)
{
    NS_LOG_FUNCTION(this << network);
    const std::string who = "GenesisEmuEdge: network '" + network->GetName() + "'";
    if (network->GetDepth() != 1 || network->GetState() != VirtualNetwork::SPAWNED)
    {
        throw GenesisError(who + " must be a running child of the root to get a slice of the "
                                 "emulated ports");
    }
    const uint16_t id = network->GetId();
    if (IsAttached(id))
    {
        return;
    }
    const auto cc = network->GetCapacityClass();
    const bool guaranteed = cc != ArbitratorQueueDiscClass::BEST_EFFORT;
    const DataRate rate = guaranteed ? network->GetRate() : DataRate(0);
    DoubleValue share;
    network->GetAttribute("Share", share);
    UintegerValue burst;
    network->GetAttribute("Burst", burst);
    std::vector<uint16_t> vlans;
    auto v = m_vlanByName.find(network->GetName());
    if (v != m_vlanByName.end())
    {
        vlans = v->second;
    }

    std::vector<std::pair<Ipv4Address, Ipv4Mask>> ranges = network->GetAddressRanges();
    if (ranges.empty() && m_mapAddressSpace)
    {
        ranges.emplace_back(network->GetAddressBase(), network->GetAddressMask());
    }

    // Admission on every port first: nothing changes when one refuses.
    for (const auto& p : m_ports)
    {
        if (guaranteed && rate.GetBitRate() > p.arb->GetResidualRate().GetBitRate())
        {
            std::ostringstream os;
            os << who << " needs " << GenesisFormatRate(rate.GetBitRate())
               << " of guaranteed capacity on emulated port " << p.dev->GetIfIndex() << " of node "
               << p.dev->GetNode()->GetId() << " but only "
               << GenesisFormatRate(p.arb->GetResidualRate().GetBitRate())
               << " is unreserved there; lower the network's rate or raise the port's DataRate";
            throw GenesisError(os.str());
        }
    }
    std::vector<Port*> done;
    try
    {
        for (auto& p : m_ports)
        {
            Ptr<ArbitratorQueueDisc> arb = CreateObject<ArbitratorQueueDisc>();
            arb->SetAttribute("Depth", UintegerValue(1));
            arb->SetAttribute("OwnNetworkId", UintegerValue(id));
            arb->SetAttribute("LinkRate", DataRateValue(rate));
            UintegerValue proto;
            p.arb->GetAttribute("Protocol", proto);
            arb->SetAttribute("Protocol", proto);
            ObjectFactory f = network->GetSchedulerFactory();
            TypeId tid = f.GetTypeId();
            if (!tid.IsChildOf(QueueDisc::GetTypeId()))
            {
                throw GenesisError(who + ": its scheduler is not a QueueDisc TypeId");
            }
            Ptr<QueueDisc> own = f.Create<QueueDisc>();
            arb->SetAttribute("OwnQueueDiscType", StringValue(tid.GetName()));
            arb->AddNetworkClass(id, ArbitratorQueueDiscClass::BEST_EFFORT, DataRate(0), 1.0, own);
            Ptr<ArbitratorQueueDiscClass> cls =
                p.arb->AddNetworkClass(id, cc, rate, share.Get(), arb);
            done.push_back(&p);
            if (cc == ArbitratorQueueDiscClass::CONSTANT)
            {
                cls->SetAttribute("Burst", UintegerValue(burst.Get()));
            }
            EnsureFilters(p);
            for (uint16_t vid : vlans)
            {
                p.vlans->AddVlan(vid, id);
            }
            for (const auto& r : ranges)
            {
                p.ranges->AddRange(r.first, r.second, id, GenesisAddressRangeFilter::MATCH_EITHER);
            }
        }
    }
    catch (const GenesisError& e)
    {
        for (Port* p : done)
        {
            p->arb->RemoveNetworkClass(id);
            if (p->vlans)
            {
                p->vlans->RemoveVlans(id);
            }
            if (p->ranges)
            {
                p->ranges->RemoveRanges(id);
            }
        }
        throw GenesisError(who + ": slice of the emulated ports refused: " + e.what());
    }
    m_attached[id] = vlans;
    for (uint16_t vid : vlans)
    {
        m_vlanNet[vid] = id;
    }
    for (const auto& r : ranges)
    {
        Range rr{r.first.Get() & r.second.Get(), r.second.Get(), id};
        auto pos = std::find_if(m_ranges.begin(), m_ranges.end(), [&](const Range& o) {
            return o.mask < rr.mask;
        });
        m_ranges.insert(pos, rr);
    }
    m_attachedTrace(network);
}

void
GenesisEmuEdge::Detach(Ptr<VirtualNetwork> network)
{
    NS_LOG_FUNCTION(this << network);
    const uint16_t id = network->GetId();
    if (!IsAttached(id))
    {
        return;
    }
    for (auto& p : m_ports)
    {
        if (p.arb->HasNetworkClass(id))
        {
            p.arb->RemoveNetworkClass(id);
        }
        if (p.vlans)
        {
            p.vlans->RemoveVlans(id);
        }
        if (p.ranges)
        {
            p.ranges->RemoveRanges(id);
        }
    }
    m_attached.erase(id);
    m_ranges.erase(std::remove_if(m_ranges.begin(),
                                  m_ranges.end(),
                                  [id](const Range& r) { return r.network == id; }),
                   m_ranges.end());
    for (auto it = m_vlanNet.begin(); it != m_vlanNet.end();)
    {
        it = it->second == id ? m_vlanNet.erase(it) : std::next(it);
    }
}

uint64_t
GenesisEmuEdge::GetTxBytes(uint16_t networkId) const
{
    auto it = m_txBytes.find(networkId);
    return it == m_txBytes.end() ? 0 : it->second;
}

void
GenesisEmuEdge::OnDequeue(uint32_t networkId, Ptr<const QueueDiscItem> item)
{
    m_txBytes[static_cast<uint16_t>(networkId)] += item->GetSize();
}

uint16_t
GenesisEmuEdge::NetworkOfAddress(Ipv4Address addr) const
{
    const uint32_t a = addr.Get();
    for (const auto& r : m_ranges)
    {
        if ((a & r.mask) == r.prefix)
        {
            return r.network;
        }
    }
    return 0;
}

uint16_t
GenesisEmuEdge::ClassifySource(Ptr<const Packet> packet) const
{
    GenesisVlanTag tag;
    if (!m_vlanNet.empty() && packet->PeekPacketTag(tag))
    {
        auto it = m_vlanNet.find(tag.GetVlanId());
        if (it != m_vlanNet.end())
        {
            return it->second;
        }
    }
    uint8_t h[20];
    if (packet->CopyData(h, 20) < 20)
    {
        return 0;
    }
    return NetworkOfAddress(Ipv4Address(ReadU32(h + 12)));
}

uint64_t
GenesisEmuEdge::GetNIsolationDrops() const
{
    return m_isolationDrops;
}

bool
GenesisEmuEdge::Admit(Ptr<const Packet> packet, uint16_t protocol)
{
    if (!m_isolation || protocol != 0x0800 || m_ranges.empty())
    {
        return true;
    }
    // The addresses straight from the bytes: no header object per packet.
    uint8_t h[20];
    if (packet->CopyData(h, 20) < 20)
    {
        return true;
    }
    uint16_t dst = NetworkOfAddress(Ipv4Address(ReadU32(h + 16)));
    if (dst == 0)
    {
        return true; // the parent's hosts, or the router itself
    }
    uint16_t src = ClassifySource(packet);
    if (src == 0 || src == dst)
    {
        return true;
    }
    ++m_isolationDrops;
    m_isolationDrop(packet, src, dst);
    return false;
}

} // namespace ns3
