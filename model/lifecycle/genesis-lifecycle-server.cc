/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-lifecycle-server.h"

#include "ns3/genesis-distributed.h"
#include "ns3/genesis-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisLifecycleServer");
NS_OBJECT_ENSURE_REGISTERED(GenesisLifecycleServer);
NS_OBJECT_ENSURE_REGISTERED(GenesisConstructor);

namespace
{
/// \return the first non-loopback IPv4 address of \p node, or 0.0.0.0 when it has none
Ipv4Address
ControlAddress(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
    if (!ipv4)
    {
        return Ipv4Address::GetAny();
    }
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
        {
            Ipv4Address l = ipv4->GetAddress(i, a).GetLocal();
            if (!l.IsLocalhost() && l != Ipv4Address::GetAny())
            {
                return l;
            }
        }
    }
    return Ipv4Address::GetAny();
}
} // namespace

// ------------------------------------------------------------------ server

TypeId
GenesisLifecycleServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisLifecycleServer")
            .SetParent<Application>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisLifecycleServer>()
            .AddAttribute("Port",
                          "UDP port of the constructors (GenesisConstructor::Port)",
                          UintegerValue(9253),
                          MakeUintegerAccessor(&GenesisLifecycleServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ConstructTimeout",
                          "Time to wait for every host's answer before retransmitting the "
                          "CONSTRUCT requests still unanswered (or failing the spawn)",
                          TimeValue(MilliSeconds(200)),
                          MakeTimeAccessor(&GenesisLifecycleServer::m_timeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("MaxRetransmissions",
                          "Retransmissions of an unanswered CONSTRUCT request before the "
                          "spawn fails (0: none)",
                          UintegerValue(3),
                          MakeUintegerAccessor(&GenesisLifecycleServer::m_maxRetx),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("ControlTx",
                            "A control message was sent: header, destination",
                            MakeTraceSourceAccessor(&GenesisLifecycleServer::m_txTrace),
                            "ns3::GenesisLifecycleServer::ControlTracedCallback")
            .AddTraceSource("ControlRx",
                            "A control message was received: header, source",
                            MakeTraceSourceAccessor(&GenesisLifecycleServer::m_rxTrace),
                            "ns3::GenesisLifecycleServer::ControlTracedCallback");
    return tid;
}

GenesisLifecycleServer::GenesisLifecycleServer()
    : m_port(9253),
      m_maxRetx(3),
      m_nextTxn(1),
      m_seq(1)
{
}

GenesisLifecycleServer::~GenesisLifecycleServer()
{
}

void
GenesisLifecycleServer::DoDispose()
{
    for (auto& t : m_txns)
    {
        t.second.timer.Cancel();
    }
    m_txns.clear();
    for (auto& o : m_outcomes)
    {
        o.second.timer.Cancel();
    }
    m_outcomes.clear();
    if (m_socket)
    {
        m_socket->Close();
        m_socket = nullptr;
    }
    Application::DoDispose();
}

uint16_t
GenesisLifecycleServer::GetPort() const
{
    return m_port;
}

void
GenesisLifecycleServer::Setup()
{
    if (m_socket)
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(); // an ephemeral port: the constructors answer to the source
    m_socket->SetRecvCallback(MakeCallback(&GenesisLifecycleServer::Receive, this));
}

void
GenesisLifecycleServer::StartApplication()
{
    Setup();
}

void
GenesisLifecycleServer::StopApplication()
{
}

Ptr<VirtualNetwork>
GenesisLifecycleServer::FindTransaction(uint32_t txn) const
{
    auto it = m_txns.find(txn);
    return it == m_txns.end() ? nullptr : it->second.net;
}

uint32_t
GenesisLifecycleServer::Begin(Ptr<VirtualNetwork> net,
                              const std::vector<uint32_t>& hosts,
                              DoneCallback done)
{
    Setup();
    uint32_t txn = m_nextTxn++;
    Transaction& t = m_txns[txn];
    t.net = net;
    t.done = done;
    t.hosts = hosts;
    for (uint32_t h : hosts)
    {
        Ptr<Node> node = h < NodeList::GetNNodes() ? NodeList::GetNode(h) : nullptr;
        // The server's own node is reached over the loopback: a request to one
        // of its own interface addresses would go out on that link and back.
        Ipv4Address a = node == GetNode() ? Ipv4Address::GetLoopback() : ControlAddress(node);
        if (a == Ipv4Address::GetAny())
        {
            std::ostringstream os;
            os << "control plane: node " << h
               << " has no IPv4 address to reach its constructor; give every Genesis node an "
                  "address or use SpawnMode Instant";
            // Report after the caller has the transaction id, as for any other end.
            Simulator::ScheduleNow(&GenesisLifecycleServer::End, this, txn, false, os.str());
            return txn;
        }
        t.pending.insert(h);
        t.addr[h] = a;
    }
    if (t.pending.empty())
    {
        Simulator::ScheduleNow(&GenesisLifecycleServer::End, this, txn, true, std::string());
        return txn;
    }
    if (!GenesisDistributed::IsLocal(GetNode()))
    {
        // Distributed run, and another rank simulates the server's node: that
        // rank sends the requests and decides; its OUTCOME ends the
        // transaction here (ApplyOutcome). Until then the constructors of
        // this rank's hosts answer its requests.
        return txn;
    }
    for (uint32_t h : t.pending)
    {
        Send(txn, h);
    }
    t.timer = Simulator::Schedule(m_timeout, &GenesisLifecycleServer::Timeout, this, txn);
    return txn;
}

void
GenesisLifecycleServer::Send(uint32_t txn, uint32_t host)
{
    Transaction& t = m_txns[txn];
    GenesisControlHeader h;
    h.SetType(GenesisControlHeader::CONSTRUCT);
    h.SetNetworkId(t.net->GetId());
    h.SetTransaction(txn);
    h.SetSequence(m_seq++);
    h.SetHost(host);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    NS_LOG_INFO(Simulator::Now().As(Time::S) << " send " << h << " to " << t.addr[host]);
    m_txTrace(h, t.addr[host]);
    m_socket->SendTo(p, 0, InetSocketAddress(t.addr[host], m_port));
}

void
GenesisLifecycleServer::Timeout(uint32_t txn)
{
    auto it = m_txns.find(txn);
    if (it == m_txns.end())
    {
        return;
    }
    Transaction& t = it->second;
    if (t.retransmissions < m_maxRetx)
    {
        ++t.retransmissions;
        NS_LOG_INFO(Simulator::Now().As(Time::S)
                    << " txn " << txn << ": retransmission " << t.retransmissions);
        for (uint32_t h : t.pending)
        {
            Send(txn, h);
        }
        t.timer = Simulator::Schedule(m_timeout, &GenesisLifecycleServer::Timeout, this, txn);
        return;
    }
    std::ostringstream os;
    os << "control plane: no answer to CONSTRUCT from node(s)";
    for (uint32_t h : t.pending)
    {
        os << " " << h;
    }
    os << " within " << m_timeout.As(Time::MS) << " after " << t.retransmissions
       << " retransmission(s); check the root network's routes to them, or raise "
          "ConstructTimeout/MaxRetransmissions";
    End(txn, false, os.str());
}

void
GenesisLifecycleServer::Receive(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        if (p->GetSize() < 16)
        {
            continue;
        }
        GenesisControlHeader h;
        p->RemoveHeader(h);
        Ipv4Address src = InetSocketAddress::ConvertFrom(from).GetIpv4();
        m_rxTrace(h, src);
        NS_LOG_INFO(Simulator::Now().As(Time::S) << " recv " << h << " from " << src);
        if (h.GetType() == GenesisControlHeader::OUTCOME_ACK)
        {
            auto o = m_outcomes.find(h.GetTransaction());
            if (o != m_outcomes.end())
            {
                o->second.addr.erase(h.GetHost());
                if (o->second.addr.empty())
                {
                    o->second.timer.Cancel();
                    m_outcomes.erase(o);
                }
            }
            continue;
        }
        auto it = m_txns.find(h.GetTransaction());
        if (it == m_txns.end())
        {
            continue; // a late answer of a finished transaction
        }
        Transaction& t = it->second;
        if (h.GetType() == GenesisControlHeader::ACK)
        {
            t.pending.erase(h.GetHost());
            if (t.pending.empty())
            {
                End(h.GetTransaction(), true, "");
            }
        }
        else if (h.GetType() == GenesisControlHeader::NACK)
        {
            std::ostringstream os;
            os << "control plane: node " << h.GetHost()
               << " refused to construct: " << GenesisControlHeader::StatusName(h.GetStatus());
            End(h.GetTransaction(), false, os.str());
        }
    }
}

void
GenesisLifecycleServer::End(uint32_t txn, bool ok, const std::string& reason)
{
    auto it = m_txns.find(txn);
    if (it == m_txns.end())
    {
        return;
    }
    it->second.timer.Cancel();
    DoneCallback done = it->second.done;
    uint16_t netId = it->second.net ? it->second.net->GetId() : 0;
    std::vector<uint32_t> hosts = it->second.hosts;
    m_txns.erase(it);
    if (GenesisDistributed::IsDistributed() && GenesisDistributed::IsLocal(GetNode()))
    {
        SendOutcomes(txn, netId, hosts, ok);
    }
    if (!done.IsNull())
    {
        done(txn, ok, reason);
    }
}

bool
GenesisLifecycleServer::ApplyOutcome(uint32_t txn, bool ok)
{
    if (!m_txns.count(txn))
    {
        return false;
    }
    std::ostringstream os;
    if (!ok)
    {
        os << "control plane: the spawn failed on rank "
           << (GetNode() ? GetNode()->GetSystemId() : 0)
           << ", which simulates the life-cycle server (its database names the reason)";
    }
    End(txn, ok, os.str());
    return true;
}

void
GenesisLifecycleServer::SendOutcomes(uint32_t txn,
                                     uint16_t netId,
                                     const std::vector<uint32_t>& hosts,
                                     bool ok)
{
    // One constructor on every other rank: a host of the transaction there
    // when it has one, else the rank's first node with a constructor.
    std::map<uint32_t, uint32_t> target; // rank -> node id
    for (uint32_t h : hosts)
    {
        Ptr<Node> n = h < NodeList::GetNNodes() ? NodeList::GetNode(h) : nullptr;
        if (n && !GenesisDistributed::IsLocal(n) && !target.count(n->GetSystemId()))
        {
            target[n->GetSystemId()] = h;
        }
    }
    for (uint32_t i = 0; i < NodeList::GetNNodes(); ++i)
    {
        Ptr<Node> n = NodeList::GetNode(i);
        if (GenesisDistributed::IsLocal(n) || target.count(n->GetSystemId()))
        {
            continue;
        }
        for (uint32_t a = 0; a < n->GetNApplications(); ++a)
        {
            if (DynamicCast<GenesisConstructor>(n->GetApplication(a)))
            {
                target[n->GetSystemId()] = i;
                break;
            }
        }
    }
    if (target.empty())
    {
        return;
    }
    Outcome& o = m_outcomes[txn];
    o.net = netId;
    o.ok = ok;
    for (const auto& rt : target)
    {
        Ipv4Address a = ControlAddress(NodeList::GetNode(rt.second));
        if (a == Ipv4Address::GetAny())
        {
            NS_LOG_WARN("txn " << txn << ": node " << rt.second << " (rank " << rt.first
                               << ") has no IPv4 address: its rank cannot learn the outcome");
            continue;
        }
        o.addr[rt.second] = a;
    }
    for (const auto& na : o.addr)
    {
        SendOutcome(txn, na.first);
    }
    if (o.addr.empty())
    {
        m_outcomes.erase(txn);
        return;
    }
    o.timer = Simulator::Schedule(m_timeout, &GenesisLifecycleServer::OutcomeTimeout, this, txn);
}

void
GenesisLifecycleServer::SendOutcome(uint32_t txn, uint32_t node)
{
    Outcome& o = m_outcomes[txn];
    GenesisControlHeader h;
    h.SetType(GenesisControlHeader::OUTCOME);
    h.SetStatus(o.ok ? GenesisControlHeader::OK : GenesisControlHeader::CONSTRUCT_FAILED);
    h.SetNetworkId(o.net);
    h.SetTransaction(txn);
    h.SetSequence(m_seq++);
    h.SetHost(node);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    m_txTrace(h, o.addr[node]);
    m_socket->SendTo(p, 0, InetSocketAddress(o.addr[node], m_port));
}

void
GenesisLifecycleServer::OutcomeTimeout(uint32_t txn)
{
    auto it = m_outcomes.find(txn);
    if (it == m_outcomes.end())
    {
        return;
    }
    Outcome& o = it->second;
    if (o.retransmissions < m_maxRetx)
    {
        ++o.retransmissions;
        for (const auto& na : o.addr)
        {
            SendOutcome(txn, na.first);
        }
        o.timer =
            Simulator::Schedule(m_timeout, &GenesisLifecycleServer::OutcomeTimeout, this, txn);
        return;
    }
    std::ostringstream os;
    for (const auto& na : o.addr)
    {
        os << " " << na.first;
    }
    NS_LOG_WARN("txn " << txn << ": no OUTCOME_ACK from node(s)" << os.str() << " after "
                       << o.retransmissions
                       << " retransmission(s); their ranks keep the spawn pending");
    m_outcomes.erase(it);
}

// ------------------------------------------------------------------ constructor

TypeId
GenesisConstructor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisConstructor")
            .SetParent<Application>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisConstructor>()
            .AddAttribute("Port",
                          "UDP port the constructor listens on",
                          UintegerValue(9253),
                          MakeUintegerAccessor(&GenesisConstructor::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddTraceSource("Construct",
                            "A CONSTRUCT request was served: network, node id, ok, reason",
                            MakeTraceSourceAccessor(&GenesisConstructor::m_constructTrace),
                            "ns3::GenesisConstructor::ConstructTracedCallback");
    return tid;
}

GenesisConstructor::GenesisConstructor()
    : m_port(9253)
{
}

GenesisConstructor::~GenesisConstructor()
{
}

void
GenesisConstructor::DoDispose()
{
    if (m_socket)
    {
        m_socket->Close();
        m_socket = nullptr;
    }
    m_server = nullptr;
    Application::DoDispose();
}

void
GenesisConstructor::SetServer(Ptr<GenesisLifecycleServer> server)
{
    m_server = server;
}

void
GenesisConstructor::Setup()
{
    if (m_socket)
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        throw GenesisError("GenesisConstructor on node " + std::to_string(GetNode()->GetId()) +
                           ": UDP port " + std::to_string(m_port) +
                           " is taken; choose another with the Port attribute");
    }
    m_socket->SetRecvCallback(MakeCallback(&GenesisConstructor::Receive, this));
}

void
GenesisConstructor::StartApplication()
{
    Setup();
}

void
GenesisConstructor::StopApplication()
{
}

void
GenesisConstructor::Receive(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        if (p->GetSize() < 16)
        {
            continue;
        }
        GenesisControlHeader req;
        p->RemoveHeader(req);
        if (req.GetType() == GenesisControlHeader::OUTCOME)
        {
            // The server's rank decided a spawn this rank replicates.
            if (m_server)
            {
                m_server->ApplyOutcome(req.GetTransaction(),
                                       req.GetStatus() == GenesisControlHeader::OK);
            }
            GenesisControlHeader ans = req;
            ans.SetType(GenesisControlHeader::OUTCOME_ACK);
            ans.SetHost(GetNode()->GetId());
            Ptr<Packet> r = Create<Packet>();
            r->AddHeader(ans);
            m_socket->SendTo(r, 0, from);
            continue;
        }
        if (req.GetType() != GenesisControlHeader::CONSTRUCT)
        {
            continue;
        }
        GenesisControlHeader ans = req;
        ans.SetType(GenesisControlHeader::ACK);
        ans.SetStatus(GenesisControlHeader::OK);
        uint32_t me = GetNode()->GetId();
        Ptr<VirtualNetwork> net =
            m_server ? m_server->FindTransaction(req.GetTransaction()) : nullptr;
        std::string name = net ? net->GetName() : "";
        if (req.GetHost() != me)
        {
            ans.SetType(GenesisControlHeader::NACK);
            ans.SetStatus(GenesisControlHeader::WRONG_HOST);
        }
        else if (!net || !net->IsSpawning())
        {
            ans.SetType(GenesisControlHeader::NACK);
            ans.SetStatus(GenesisControlHeader::UNKNOWN_TRANSACTION);
        }
        else if (!m_done.count(req.GetTransaction()))
        {
            try
            {
                net->SpawnConstruct(me);
                m_done.insert(req.GetTransaction());
                m_constructTrace(name, me, true, "");
            }
            catch (const GenesisError& e)
            {
                NS_LOG_WARN(Simulator::Now().As(Time::S) << " node " << me << ": construct of '"
                                                         << name << "' failed: " << e.what());
                m_constructTrace(name, me, false, e.what());
                ans.SetType(GenesisControlHeader::NACK);
                ans.SetStatus(GenesisControlHeader::CONSTRUCT_FAILED);
            }
        }
        Ptr<Packet> r = Create<Packet>();
        r->AddHeader(ans);
        m_socket->SendTo(r, 0, from);
    }
}

} // namespace ns3
