/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-helper.h"

#include "ns3/channel.h"
#include "ns3/config.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-l4-protocol.h"
#include "ns3/genesis-lifecycle-server.h"
#include "ns3/genesis-spawner.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/pcap-file-wrapper.h"
#include "ns3/pointer.h"
#include "ns3/profile-reader.h"
#include "ns3/queue-size.h"
#include "ns3/routelet-port.h"
#include "ns3/routelet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisHelper");

GenesisHelper::GenesisHelper()
    : m_rootQueueDisc("ns3::FqCoDelQueueDisc"),
      m_defaultRate(0),
      m_deviceQueueSize("1p")
{
}

void
GenesisHelper::SetDeviceQueueSize(const std::string& size)
{
    if (!size.empty())
    {
        QueueSizeValue v;
        if (!v.DeserializeFromString(size, MakeQueueSizeChecker()))
        {
            throw GenesisError("GenesisHelper::SetDeviceQueueSize: '" + size +
                               "' is not a queue size; write e.g. \"1p\" or \"3000B\"");
        }
    }
    m_deviceQueueSize = size;
}

DataRate
GenesisHelper::ParseRate(const std::string& text, const std::string& what)
{
    std::size_t first = text.find_first_not_of(" \t");
    std::string t = first == std::string::npos ? "" : text.substr(first);
    if (t.empty())
    {
        throw GenesisError(what + ": empty rate; write e.g. \"4Mbps\"");
    }
    if (t[0] == '-')
    {
        throw GenesisError(what + ": rate '" + text + "' is negative; rates must be positive");
    }
    if (!std::isdigit(static_cast<unsigned char>(t[0])) && t[0] != '.')
    {
        throw GenesisError(what + ": rate '" + text +
                           "' is not a number with a unit; write e.g. \"4Mbps\"");
    }
    // ns-3's own DataRate parser aborts on malformed text, so parse here:
    // a decimal number, then one of ns-3's units.
    char* end = nullptr;
    double value = std::strtod(t.c_str(), &end);
    std::string unit(end);
    unit.erase(0, unit.find_first_not_of(" \t"));
    unit.erase(unit.find_last_not_of(" \t") + 1);
    static const std::map<std::string, double> units = {{"bps", 1},
                                                        {"b/s", 1},
                                                        {"Bps", 8},
                                                        {"B/s", 8},
                                                        {"kbps", 1e3},
                                                        {"kb/s", 1e3},
                                                        {"Kbps", 1e3},
                                                        {"Kb/s", 1e3},
                                                        {"kBps", 8e3},
                                                        {"kB/s", 8e3},
                                                        {"KBps", 8e3},
                                                        {"KB/s", 8e3},
                                                        {"Kib/s", 1024.0},
                                                        {"KiB/s", 8192.0},
                                                        {"Mbps", 1e6},
                                                        {"Mb/s", 1e6},
                                                        {"MBps", 8e6},
                                                        {"MB/s", 8e6},
                                                        {"Mib/s", 1048576.0},
                                                        {"MiB/s", 8388608.0},
                                                        {"Gbps", 1e9},
                                                        {"Gb/s", 1e9},
                                                        {"GBps", 8e9},
                                                        {"GB/s", 8e9},
                                                        {"Gib/s", 1073741824.0},
                                                        {"GiB/s", 8589934592.0}};
    auto u = units.find(unit);
    if (end == t.c_str() || u == units.end() || !(value >= 0) || value * u->second > 1.8e19)
    {
        throw GenesisError(what + ": rate '" + text +
                           "' is not understood; write a number and a unit (bps, kbps, Mbps, "
                           "Gbps, or b/s, kb/s, ...), e.g. \"4Mbps\"");
    }
    return DataRate(static_cast<uint64_t>(std::llround(value * u->second)));
}

Ptr<VirtualNetwork>
GenesisHelper::CreateNetwork(Ptr<VirtualNetwork> parent,
                             const std::string& name,
                             const std::string& capacityClass,
                             const std::string& rate)
{
    return CreateNetwork(parent,
                         name,
                         capacityClass,
                         ParseRate(rate, "virtual network '" + name + "'"));
}

void
GenesisHelper::SetRootNetworkQueueDisc(const std::string& type)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(type, &tid) ||
        !tid.IsChildOf(TypeId::LookupByName("ns3::QueueDisc")))
    {
        throw GenesisError("GenesisHelper::SetRootNetworkQueueDisc: '" + type +
                           "' is not a known QueueDisc TypeId; use e.g. ns3::FqCoDelQueueDisc");
    }
    m_rootQueueDisc = type;
}

void
GenesisHelper::SetArbitratorAttribute(const std::string& name, const AttributeValue& value)
{
    TypeId::AttributeInformation info;
    if (!ArbitratorQueueDisc::GetTypeId().LookupAttributeByName(name, &info))
    {
        throw GenesisError("GenesisHelper::SetArbitratorAttribute: ns3::ArbitratorQueueDisc has "
                           "no attribute '" +
                           name + "'");
    }
    Ptr<AttributeValue> v = info.checker->CreateValidValue(value);
    if (!v)
    {
        throw GenesisError("GenesisHelper::SetArbitratorAttribute: bad value for '" + name + "'");
    }
    m_arbAttrs.emplace_back(name, v);
}

void
GenesisHelper::SetDefaultLinkRate(DataRate rate)
{
    m_defaultRate = rate;
}

Ptr<VirtualNetwork>
GenesisHelper::Install(Ptr<Node> node)
{
    return Install(NodeContainer(node));
}

Ptr<VirtualNetwork>
GenesisHelper::Install(NodeContainer nodes)
{
    NS_LOG_FUNCTION(this);

    // Validate everything first: nothing changes when a node is unfit.
    struct Target
    {
        Ptr<Node> node;
        Ptr<NetDevice> dev;
        DataRate rate;
    };

    std::vector<Target> targets;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<Node> n = *it;
        if (!n->GetObject<Ipv4>() || !n->GetObject<TrafficControlLayer>())
        {
            std::ostringstream os;
            os << "GenesisHelper::Install: node " << n->GetId()
               << " has no IPv4 stack; install one with InternetStackHelper first";
            throw GenesisError(os.str());
        }
        bool any = false;
        for (uint32_t i = 0; i < n->GetNDevices(); ++i)
        {
            Ptr<NetDevice> d = n->GetDevice(i);
            if (DynamicCast<LoopbackNetDevice>(d))
            {
                continue;
            }
            DataRateValue rv;
            DataRate rate = m_defaultRate;
            TypeId::AttributeInformation rateInfo;
            if (d->GetInstanceTypeId().LookupAttributeByName("DataRate", &rateInfo))
            {
                d->GetAttribute("DataRate", rv);
                rate = rv.Get();
            }
            else if (d->GetChannel() &&
                     d->GetChannel()->GetInstanceTypeId().LookupAttributeByName("DataRate",
                                                                                &rateInfo))
            {
                d->GetChannel()->GetAttribute("DataRate", rv); // CSMA: the rate is the channel's
                rate = rv.Get();
            }
            if (rate.GetBitRate() == 0)
            {
                rate = m_defaultRate;
            }
            if (rate.GetBitRate() == 0)
            {
                std::ostringstream os;
                os << "GenesisHelper::Install: node " << n->GetId() << " device " << i << " ("
                   << d->GetInstanceTypeId().GetName()
                   << ") has no usable DataRate (on the device or its channel); call "
                      "SetDefaultLinkRate with its capacity";
                throw GenesisError(os.str());
            }
            targets.push_back(Target{n, d, rate});
            any = true;
        }
        if (!any)
        {
            targets.push_back(Target{n, nullptr, DataRate(0)});
        }
    }

    if (!m_root)
    {
        m_root = CreateObject<VirtualNetwork>();
        m_root->InitRoot("root");
        // The network tree holds cycles (parent <-> child, network <->
        // routelet): dispose of it with the simulation.
        // Config paths /NetworkList/<id>/... reach every network of the tree.
        Config::RegisterRootNamespaceObject(m_root);
        Simulator::ScheduleDestroy(&Config::UnregisterRootNamespaceObject, Ptr<Object>(m_root));
        Simulator::ScheduleDestroy(&VirtualNetwork::Dispose, m_root);
    }
    for (const auto& t : targets)
    {
        GenesisL4Protocol::Install(t.node);
        Ptr<ArbitratorQueueDisc> arb;
        if (t.dev && !m_deviceQueueSize.empty())
        {
            TypeId::AttributeInformation qInfo;
            if (t.dev->GetInstanceTypeId().LookupAttributeByName("TxQueue", &qInfo))
            {
                PointerValue qv;
                t.dev->GetAttribute("TxQueue", qv);
                Ptr<Object> q = qv.Get<Object>();
                if (q)
                {
                    q->SetAttributeFailSafe("MaxSize", StringValue(m_deviceQueueSize));
                }
            }
        }
        if (t.dev)
        {
            Ptr<TrafficControlLayer> tc = t.node->GetObject<TrafficControlLayer>();
            if (tc->GetRootQueueDiscOnDevice(t.dev))
            {
                tc->DeleteRootQueueDiscOnDevice(t.dev);
            }
            arb = CreateObject<ArbitratorQueueDisc>();
            for (const auto& a : m_arbAttrs)
            {
                arb->SetAttribute(a.first, *a.second);
            }
            arb->SetAttribute("Depth", UintegerValue(0));
            arb->SetAttribute("OwnNetworkId", UintegerValue(0));
            arb->SetAttribute("LinkRate", DataRateValue(t.rate));
            arb->SetAttribute("OwnQueueDiscType", StringValue(m_rootQueueDisc));
            tc->SetRootQueueDiscOnDevice(t.dev, arb);
            m_arbitrators.Add(arb);
        }
        m_root->AddRootNode(t.node, t.dev, arb, t.rate);
    }
    return m_root;
}

Ptr<VirtualNetwork>
GenesisHelper::GetRootNetwork() const
{
    return m_root;
}

QueueDiscContainer
GenesisHelper::GetRootArbitrators() const
{
    return m_arbitrators;
}

Ptr<VirtualNetwork>
GenesisHelper::CreateNetwork(Ptr<VirtualNetwork> parent,
                             const std::string& name,
                             const std::string& capacityClass,
                             DataRate rate)
{
    if (!parent)
    {
        throw GenesisError("GenesisHelper::CreateNetwork('" + name +
                           "'): the parent is null; pass GetRootNetwork() or another network");
    }
    // Validate before creating anything.
    if (capacityClass != "constant" && capacityClass != "controlled" &&
        capacityClass != "best-effort")
    {
        throw GenesisError("virtual network '" + name + "': unknown capacity class '" +
                           capacityClass + "'; use constant, controlled or best-effort");
    }
    if (capacityClass != "best-effort" && rate.GetBitRate() == 0)
    {
        throw GenesisError("virtual network '" + name + "': " + capacityClass +
                           " rate 0bps must be positive; give the network a rate above 0");
    }
    Ptr<VirtualNetwork> n = parent->CreateChild(name);
    n->SetCapacityClassByName(capacityClass);
    n->SetAttribute("Rate", DataRateValue(rate));
    return n;
}

namespace
{
/// Refuse a scheduling time before now (ns-3 would run it at once, or assert).
void
CheckNotPast(const char* what, Time at)
{
    if (at < Simulator::Now())
    {
        throw GenesisError(std::string("GenesisHelper::") + what + ": time " +
                           std::to_string(at.GetSeconds()) + " s is in the past (now " +
                           std::to_string(Simulator::Now().GetSeconds()) + " s)");
    }
}
} // namespace

void
GenesisHelper::Spawn(Time at, Ptr<VirtualNetwork> network)
{
    CheckNotPast("Spawn", at);
    if (!network || network->GetState() != VirtualNetwork::DEFINED)
    {
        throw GenesisError(std::string("GenesisHelper::Spawn: network '") +
                           (network ? network->GetName() : std::string("(null)")) +
                           "' is not in state DEFINED");
    }
    Simulator::Schedule(at - Simulator::Now(), &GenesisHelper::DoSpawn, network);
}

void
GenesisHelper::Teardown(Time at, Ptr<VirtualNetwork> network)
{
    if (!network)
    {
        throw GenesisError("GenesisHelper::Teardown: the network is null");
    }
    if (!network->GetParent())
    {
        throw GenesisError("GenesisHelper::Teardown: the root network cannot be torn down");
    }
    CheckNotPast("Teardown", at);
    Simulator::Schedule(at - Simulator::Now(), &GenesisHelper::DoTeardown, network);
}

void
GenesisHelper::DoSpawn(Ptr<VirtualNetwork> network)
{
    try
    {
        network->Spawn();
    }
    catch (const GenesisError& e)
    {
        NS_LOG_WARN(Simulator::Now().As(Time::S) << " spawn refused: " << e.what());
        network->NotifySpawnFailed(e.what());
    }
}

Ptr<GenesisSpawner>
GenesisHelper::GetSpawner()
{
    if (!m_spawner)
    {
        m_spawner = CreateObject<GenesisSpawner>();
    }
    return m_spawner;
}

void
GenesisHelper::SetLifecycleServer(Ptr<Node> node)
{
    if (!node)
    {
        throw GenesisError("GenesisHelper::SetLifecycleServer: null node");
    }
    if (m_server && m_server->GetNode() != node)
    {
        throw GenesisError("GenesisHelper::SetLifecycleServer: the control plane is already "
                           "installed on node " +
                           std::to_string(m_server->GetNode()->GetId()) +
                           "; choose the server before the first spawn in Packets mode");
    }
    m_serverNode = node;
}

Ptr<GenesisLifecycleServer>
GenesisHelper::InstallControlPlane()
{
    if (!m_root)
    {
        throw GenesisError("GenesisHelper::InstallControlPlane: no root network yet; call "
                           "Install first");
    }
    std::vector<Ptr<Node>> nodes;
    for (const auto& r : m_root->GetRoutelets())
    {
        nodes.push_back(r->GetNode());
    }
    uint16_t port = 0;
    for (Ptr<Node> n : nodes)
    {
        if (m_constructorNodes.count(n->GetId()))
        {
            continue;
        }
        Ptr<GenesisConstructor> c = CreateObject<GenesisConstructor>();
        n->AddApplication(c);
        c->Setup();
        m_constructorNodes.insert(n->GetId());
        UintegerValue v;
        c->GetAttribute("Port", v);
        port = v.Get();
    }
    if (!m_server)
    {
        Ptr<Node> node = m_serverNode ? m_serverNode : (nodes.empty() ? nullptr : nodes.front());
        if (!node)
        {
            throw GenesisError("GenesisHelper::InstallControlPlane: the root network has no node");
        }
        m_server = CreateObject<GenesisLifecycleServer>();
        if (port != 0)
        {
            m_server->SetAttribute("Port", UintegerValue(port));
        }
        node->AddApplication(m_server);
        m_server->Setup();
        GetSpawner()->SetLifecycleServer(m_server);
    }
    for (Ptr<Node> n : nodes)
    {
        for (uint32_t i = 0; i < n->GetNApplications(); ++i)
        {
            Ptr<GenesisConstructor> c = DynamicCast<GenesisConstructor>(n->GetApplication(i));
            if (c)
            {
                c->SetServer(m_server);
            }
        }
    }
    return m_server;
}

std::string
GenesisHelper::Spawn(Time at, const std::string& profilePath)
{
    return Spawn(at, profilePath, nullptr);
}

std::string
GenesisHelper::Spawn(Time at, const std::string& profilePath, Ptr<VirtualNetwork> parent)
{
    CheckNotPast("Spawn", at);
    if (!m_root)
    {
        throw GenesisError("GenesisHelper::Spawn('" + profilePath +
                           "'): no root network yet; call Install first");
    }
    // Read now: an unreadable or broken file is the caller's mistake, reported at once.
    GenesisProfile profile = GenesisProfileReader::ReadFileOrThrow(profilePath);
    if (GetSpawner()->GetSpawnMode() == GenesisSpawner::PACKETS)
    {
        InstallControlPlane();
    }
    Simulator::Schedule(at - Simulator::Now(),
                        &GenesisHelper::DoSpawnProfile,
                        GetSpawner(),
                        profilePath,
                        profile.parent,
                        parent,
                        m_root);
    return profile.name;
}

void
GenesisHelper::DoSpawnProfile(Ptr<GenesisSpawner> spawner,
                              std::string path,
                              std::string parentName,
                              Ptr<VirtualNetwork> parent,
                              Ptr<VirtualNetwork> root)
{
    if (!parent)
    {
        parent = parentName.empty() ? root : root->FindNetwork(parentName);
    }
    try
    {
        if (!parent || parent->GetState() != VirtualNetwork::SPAWNED)
        {
            throw GenesisError(path + ": parent network '" + parentName + "' is not running at " +
                               std::to_string(Simulator::Now().GetSeconds()) +
                               " s; spawn it first or correct \"parent\"");
        }
        spawner->Start(path, parent); // never throws: refusals are traced
    }
    catch (const GenesisError& e)
    {
        // SpawnFile has traced and logged the refusal; a missing parent is traced here.
        if (!parent || parent->GetState() != VirtualNetwork::SPAWNED)
        {
            spawner->Fail(nullptr, path, e.what());
        }
    }
}

void
GenesisHelper::DoTeardown(Ptr<VirtualNetwork> network)
{
    network->Teardown();
}

void
GenesisHelper::EnablePcapNetwork(const std::string& prefix, Ptr<VirtualNetwork> network)
{
    if (network->GetState() == VirtualNetwork::SPAWNED)
    {
        HookPcap(prefix, network);
        return;
    }
    network->TraceConnectWithoutContext("Spawned",
                                        MakeBoundCallback(&GenesisHelper::HookPcap, prefix));
}

namespace
{
void
PcapSniff(Ptr<PcapFileWrapper> file, Ptr<const Packet> p)
{
    file->Write(Simulator::Now(), p);
}
} // namespace

void
GenesisHelper::HookPcap(std::string prefix, Ptr<VirtualNetwork> network)
{
    PcapHelper pcap;
    for (const auto& r : network->GetRoutelets())
    {
        for (const auto& port : r->GetPorts())
        {
            std::ostringstream fn;
            fn << prefix << "-" << network->GetName() << "-" << r->GetNode()->GetId() << "-"
               << port->GetIfIndex() << ".pcap";
            Ptr<PcapFileWrapper> file =
                pcap.CreateFile(fn.str(), std::ios::out, PcapHelper::DLT_RAW);
            // VirtualNetDevice fires MacTx on transmission and PromiscSniffer
            // on reception; both see the child's IPv4 packet.
            port->TraceConnectWithoutContext("MacTx", MakeBoundCallback(&PcapSniff, file));
            port->TraceConnectWithoutContext("PromiscSniffer", MakeBoundCallback(&PcapSniff, file));
            // Complete files when the simulation is destroyed, even while the
            // network (and so the port holding the callback) is still referenced.
            Simulator::ScheduleDestroy(&PcapFileWrapper::Close, file);
        }
    }
}

} // namespace ns3
