/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-traffic-conditioner.h"

#include "genesis-dscp-marker.h"
#include "genesis-dscp.h"

#include "ns3/genesis-error.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServConditioner");
NS_OBJECT_ENSURE_REGISTERED(GenesisTrafficConditioner);

TypeId
GenesisTrafficConditioner::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisTrafficConditioner")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisTrafficConditioner>()
            .AddAttribute("UnmatchedDscp",
                          "Codepoint written into packets no agreement matches; empty: leave "
                          "them as they are.",
                          StringValue(""),
                          MakeStringAccessor(&GenesisTrafficConditioner::SetUnmatchedDscp,
                                             &GenesisTrafficConditioner::GetUnmatchedDscp),
                          MakeStringChecker())
            .AddTraceSource("Conditioned",
                            "Every IPv4 packet: agreement (-1: none), colour, old and new "
                            "codepoint.",
                            MakeTraceSourceAccessor(&GenesisTrafficConditioner::m_traceConditioned),
                            "ns3::GenesisTrafficConditioner::ConditionedTracedCallback")
            .AddTraceSource("Drop",
                            "A packet was dropped by its agreement's policer.",
                            MakeTraceSourceAccessor(&GenesisTrafficConditioner::m_traceDrop),
                            "ns3::GenesisTrafficConditioner::DropTracedCallback");
    return tid;
}

GenesisTrafficConditioner::GenesisTrafficConditioner()
    : m_classifier(CreateObject<GenesisMultiFieldClassifier>()),
      m_unmatchedDscp(-1),
      m_unmatched(0),
      m_dropped(0)
{
}

GenesisTrafficConditioner::~GenesisTrafficConditioner()
{
}

void
GenesisTrafficConditioner::DoDispose()
{
    m_classifier = nullptr;
    m_tcas.clear();
    m_policers.clear();
    Object::DoDispose();
}

void
GenesisTrafficConditioner::SetUnmatchedDscp(std::string text)
{
    if (text.find_first_not_of(" \t") == std::string::npos)
    {
        m_unmatchedDscp = -1;
        return;
    }
    m_unmatchedDscp =
        GenesisDscp::ParseOrThrow(text, "GenesisTrafficConditioner: attribute UnmatchedDscp");
}

std::string
GenesisTrafficConditioner::GetUnmatchedDscp() const
{
    return m_unmatchedDscp < 0 ? std::string()
                               : GenesisDscp::Name(static_cast<uint8_t>(m_unmatchedDscp));
}

uint32_t
GenesisTrafficConditioner::AddTca(Ptr<GenesisTrafficConditioningAgreement> tca)
{
    if (!tca)
    {
        throw GenesisError("GenesisTrafficConditioner: AddTca got a null agreement; create one "
                           "with CreateObject<GenesisTrafficConditioningAgreement>()");
    }
    Ptr<GenesisPolicer> policer = tca->CreatePolicer(); // validates; throws before any change
    GenesisMfRule rule = tca->GetRule();
    const auto index = static_cast<uint32_t>(m_tcas.size());
    m_classifier->AddRule(rule, static_cast<int32_t>(index));
    m_tcas.push_back(tca);
    m_policers.push_back(policer);
    NS_LOG_INFO("agreement " << index << ": " << tca->Describe());
    return index;
}

uint32_t
GenesisTrafficConditioner::GetNTcas() const
{
    return static_cast<uint32_t>(m_tcas.size());
}

Ptr<GenesisPolicer>
GenesisTrafficConditioner::GetPolicer(uint32_t i) const
{
    return i < m_policers.size() ? m_policers[i] : nullptr;
}

Ptr<GenesisMultiFieldClassifier>
GenesisTrafficConditioner::GetClassifier() const
{
    return m_classifier;
}

bool
GenesisTrafficConditioner::Decide(const GenesisMfKey& key,
                                  uint32_t bytes,
                                  int32_t& tca,
                                  GenesisMeter::Color& color,
                                  uint8_t& newDscp)
{
    tca = m_classifier->Classify(key);
    color = GenesisMeter::GREEN;
    newDscp = key.dscp;
    if (tca < 0)
    {
        ++m_unmatched;
        if (m_unmatchedDscp >= 0)
        {
            newDscp = static_cast<uint8_t>(m_unmatchedDscp);
        }
        m_traceConditioned(-1, color, key.dscp, newDscp);
        return true;
    }
    Ptr<GenesisPolicer> p = m_policers[tca];
    color = p->Decide(bytes, key.dscp, Simulator::Now(), newDscp);
    m_traceConditioned(tca, color, key.dscp, newDscp);
    if (p->GetAction(color) == GenesisPolicer::DROP)
    {
        ++m_dropped;
        return false;
    }
    return true;
}

bool
GenesisTrafficConditioner::ConditionPacket(Ptr<Packet> packet)
{
    GenesisMfKey key;
    if (!GenesisMultiFieldClassifier::KeyFromPacket(packet, key))
    {
        return true; // neither IPv4 nor IPv6: not ours to condition
    }
    int32_t tca;
    GenesisMeter::Color color;
    uint8_t newDscp;
    if (!Decide(key, packet->GetSize(), tca, color, newDscp))
    {
        m_traceDrop(tca, color, packet);
        return false;
    }
    if (newDscp != key.dscp)
    {
        if (key.ipv6)
        {
            GenesisDscpMarker::SetIpv6Dscp(packet, newDscp);
        }
        else
        {
            GenesisDscpMarker::SetIpv4Dscp(packet, newDscp);
        }
    }
    return true;
}

Ptr<QueueDiscItem>
GenesisTrafficConditioner::ConditionItem(Ptr<QueueDiscItem> item)
{
    GenesisMfKey key;
    if (auto v4 = DynamicCast<Ipv4QueueDiscItem>(item))
    {
        GenesisMultiFieldClassifier::KeyFromHeader(v4->GetHeader(), item->GetPacket(), key);
    }
    else if (auto v6 = DynamicCast<Ipv6QueueDiscItem>(item))
    {
        GenesisMultiFieldClassifier::KeyFromHeader(v6->GetHeader(), item->GetPacket(), key);
    }
    else
    {
        return item;
    }
    int32_t tca;
    GenesisMeter::Color color;
    uint8_t newDscp;
    if (!Decide(key, item->GetSize(), tca, color, newDscp))
    {
        m_traceDrop(tca, color, item->GetPacket());
        return nullptr;
    }
    return newDscp != key.dscp ? GenesisDscpMarker::SetItemDscp(item, newDscp) : item;
}

uint64_t
GenesisTrafficConditioner::GetUnmatched() const
{
    return m_unmatched;
}

uint64_t
GenesisTrafficConditioner::GetDropped() const
{
    return m_dropped;
}

int64_t
GenesisTrafficConditioner::AssignStreams(int64_t stream)
{
    int64_t used = 0;
    for (const auto& p : m_policers)
    {
        used += p->AssignStreams(stream + used);
    }
    return used;
}

} // namespace ns3
