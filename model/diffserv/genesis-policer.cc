/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-policer.h"

#include "genesis-dscp-marker.h"
#include "genesis-dscp.h"

#include "ns3/enum.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServPolicer");
NS_OBJECT_ENSURE_REGISTERED(GenesisPolicer);

TypeId
GenesisPolicer::GetTypeId()
{
    // One checker per attribute: ns-3 keys construction-time attribute values
    // (ObjectFactory, CreateObjectWithAttributes) by checker, so a checker
    // shared by the three actions would give all three the last value set.
    auto actions = []() {
        return MakeEnumChecker(FORWARD, "Forward", REMARK, "Remark", DROP, "Drop");
    };
    static TypeId tid =
        TypeId("ns3::GenesisPolicer")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisPolicer>()
            .AddAttribute("Meter",
                          "The meter (GenesisTokenBucketMeter, GenesisSrTcmMeter, ...).",
                          PointerValue(),
                          MakePointerAccessor(&GenesisPolicer::SetMeter, &GenesisPolicer::GetMeter),
                          MakePointerChecker<GenesisMeter>())
            .AddAttribute(
                "GreenAction",
                "What happens to green packets: Forward, Remark (to GreenDscp) or Drop.",
                EnumValue(REMARK),
                MakeEnumAccessor(&GenesisPolicer::SetGreenAction, &GenesisPolicer::GetGreenAction),
                actions())
            .AddAttribute("YellowAction",
                          "What happens to yellow packets: Forward, Remark (to YellowDscp) or "
                          "Drop.",
                          EnumValue(REMARK),
                          MakeEnumAccessor(&GenesisPolicer::SetYellowAction,
                                           &GenesisPolicer::GetYellowAction),
                          actions())
            .AddAttribute(
                "RedAction",
                "What happens to red packets: Forward, Remark (to RedDscp) or Drop.",
                EnumValue(DROP),
                MakeEnumAccessor(&GenesisPolicer::SetRedAction, &GenesisPolicer::GetRedAction),
                actions())
            .AddAttribute(
                "GreenDscp",
                "Codepoint of green packets (Remark), and in colour-aware mode none of "
                "the other two means green. Empty: none.",
                StringValue("AF11"),
                MakeStringAccessor(&GenesisPolicer::SetGreenDscp, &GenesisPolicer::GetGreenDscp),
                MakeStringChecker())
            .AddAttribute(
                "YellowDscp",
                "Codepoint of yellow packets (Remark; colour-aware: carried means yellow). "
                "Empty: none.",
                StringValue("AF12"),
                MakeStringAccessor(&GenesisPolicer::SetYellowDscp, &GenesisPolicer::GetYellowDscp),
                MakeStringChecker())
            .AddAttribute(
                "RedDscp",
                "Codepoint of red packets (Remark; colour-aware: carried means red). Empty: "
                "none.",
                StringValue("AF13"),
                MakeStringAccessor(&GenesisPolicer::SetRedDscp, &GenesisPolicer::GetRedDscp),
                MakeStringChecker())
            .AddTraceSource("Policed",
                            "Every packet: size, colour, action, old and new codepoint.",
                            MakeTraceSourceAccessor(&GenesisPolicer::m_tracePoliced),
                            "ns3::GenesisPolicer::PolicedTracedCallback");
    return tid;
}

GenesisPolicer::GenesisPolicer()
    : m_action{REMARK, REMARK, DROP},
      m_dscp{10, 12, 14},
      m_name("policer"),
      m_valid(false),
      m_packets{0, 0, 0},
      m_dropped(0),
      m_remarked(0)
{
}

GenesisPolicer::~GenesisPolicer()
{
}

void
GenesisPolicer::DoDispose()
{
    m_meter = nullptr;
    Object::DoDispose();
}

void
GenesisPolicer::SetMeter(Ptr<GenesisMeter> meter)
{
    m_meter = meter;
    m_valid = false;
}

Ptr<GenesisMeter>
GenesisPolicer::GetMeter() const
{
    return m_meter;
}

void
GenesisPolicer::SetColorAction(GenesisMeter::Color c, Action a, uint8_t dscp)
{
    if (dscp > 63)
    {
        throw GenesisError(m_name + ": codepoint " + std::to_string(dscp) +
                           " is above 63; a DSCP has six bits");
    }
    m_action[c] = a;
    m_dscp[c] = dscp;
    m_valid = false;
}

GenesisPolicer::Action
GenesisPolicer::GetAction(GenesisMeter::Color c) const
{
    return m_action[c];
}

int32_t
GenesisPolicer::GetColorDscp(GenesisMeter::Color c) const
{
    return m_dscp[c];
}

void
GenesisPolicer::SetName(const std::string& name)
{
    m_name = name;
}

void
GenesisPolicer::SetGreenAction(Action a)
{
    m_action[GenesisMeter::GREEN] = a;
    m_valid = false;
}

GenesisPolicer::Action
GenesisPolicer::GetGreenAction() const
{
    return m_action[GenesisMeter::GREEN];
}

void
GenesisPolicer::SetGreenDscp(std::string text)
{
    SetDscpName(GenesisMeter::GREEN, text);
}

std::string
GenesisPolicer::GetGreenDscp() const
{
    return GetDscpName(GenesisMeter::GREEN);
}

void
GenesisPolicer::SetYellowAction(Action a)
{
    m_action[GenesisMeter::YELLOW] = a;
    m_valid = false;
}

GenesisPolicer::Action
GenesisPolicer::GetYellowAction() const
{
    return m_action[GenesisMeter::YELLOW];
}

void
GenesisPolicer::SetYellowDscp(std::string text)
{
    SetDscpName(GenesisMeter::YELLOW, text);
}

std::string
GenesisPolicer::GetYellowDscp() const
{
    return GetDscpName(GenesisMeter::YELLOW);
}

void
GenesisPolicer::SetRedAction(Action a)
{
    m_action[GenesisMeter::RED] = a;
    m_valid = false;
}

GenesisPolicer::Action
GenesisPolicer::GetRedAction() const
{
    return m_action[GenesisMeter::RED];
}

void
GenesisPolicer::SetRedDscp(std::string text)
{
    SetDscpName(GenesisMeter::RED, text);
}

std::string
GenesisPolicer::GetRedDscp() const
{
    return GetDscpName(GenesisMeter::RED);
}

void
GenesisPolicer::SetDscpName(GenesisMeter::Color c, const std::string& text)
{
    static const char* attr[] = {"GreenDscp", "YellowDscp", "RedDscp"};
    if (text.find_first_not_of(" \t") == std::string::npos)
    {
        m_dscp[c] = -1;
    }
    else
    {
        m_dscp[c] = GenesisDscp::ParseOrThrow(text, m_name + ": attribute " + attr[c]);
    }
    m_valid = false;
}

std::string
GenesisPolicer::GetDscpName(GenesisMeter::Color c) const
{
    return m_dscp[c] < 0 ? std::string() : GenesisDscp::Name(static_cast<uint8_t>(m_dscp[c]));
}

void
GenesisPolicer::Validate() const
{
    static const char* actionAttr[] = {"GreenAction", "YellowAction", "RedAction"};
    static const char* dscpAttr[] = {"GreenDscp", "YellowDscp", "RedDscp"};
    if (!m_meter)
    {
        throw GenesisError(m_name + ": no meter; set attribute Meter (e.g. a GenesisSrTcmMeter)");
    }
    try
    {
        m_meter->Validate();
    }
    catch (const GenesisError& e)
    {
        throw GenesisError(m_name + ": " + e.what());
    }
    for (int c = 0; c < 3; ++c)
    {
        if (m_action[c] == REMARK && m_dscp[c] < 0)
        {
            throw GenesisError(m_name + ": " + actionAttr[c] + " is Remark but " + dscpAttr[c] +
                               " is empty; give " + dscpAttr[c] + " a codepoint or make " +
                               actionAttr[c] + " Forward or Drop");
        }
    }
}

void
GenesisPolicer::EnsureValid()
{
    if (!m_valid)
    {
        Validate();
        m_valid = true;
    }
}

GenesisMeter::Color
GenesisPolicer::PreColor(uint8_t dscp) const
{
    if (m_dscp[GenesisMeter::RED] == dscp)
    {
        return GenesisMeter::RED;
    }
    if (m_dscp[GenesisMeter::YELLOW] == dscp)
    {
        return GenesisMeter::YELLOW;
    }
    return GenesisMeter::GREEN;
}

GenesisMeter::Color
GenesisPolicer::Decide(uint32_t bytes, uint8_t dscp, Time now, uint8_t& newDscp)
{
    EnsureValid();
    const GenesisMeter::Color c = m_meter->Meter(bytes, now, PreColor(dscp));
    ++m_packets[c];
    newDscp = dscp;
    switch (m_action[c])
    {
    case REMARK:
        newDscp = static_cast<uint8_t>(m_dscp[c]);
        if (newDscp != dscp)
        {
            ++m_remarked;
        }
        break;
    case DROP:
        ++m_dropped;
        break;
    case FORWARD:
        break;
    }
    m_tracePoliced(bytes, c, m_action[c], dscp, newDscp);
    return c;
}

bool
GenesisPolicer::PolicePacket(Ptr<Packet> packet)
{
    int32_t dscp = GenesisDscpMarker::GetDscp(packet);
    if (dscp < 0)
    {
        return true;
    }
    uint8_t newDscp;
    GenesisMeter::Color c =
        Decide(packet->GetSize(), static_cast<uint8_t>(dscp), Simulator::Now(), newDscp);
    if (m_action[c] == DROP)
    {
        return false;
    }
    if (newDscp != dscp)
    {
        GenesisDscpMarker::SetDscp(packet, newDscp);
    }
    return true;
}

Ptr<QueueDiscItem>
GenesisPolicer::PoliceItem(Ptr<QueueDiscItem> item)
{
    int32_t dscp = GenesisDscpMarker::GetItemDscp(item);
    if (dscp < 0)
    {
        return item;
    }
    uint8_t newDscp;
    GenesisMeter::Color c =
        Decide(item->GetSize(), static_cast<uint8_t>(dscp), Simulator::Now(), newDscp);
    if (m_action[c] == DROP)
    {
        return nullptr;
    }
    return newDscp != dscp ? GenesisDscpMarker::SetItemDscp(item, newDscp) : item;
}

uint64_t
GenesisPolicer::GetPackets(GenesisMeter::Color c) const
{
    return m_packets[c];
}

uint64_t
GenesisPolicer::GetDropped() const
{
    return m_dropped;
}

uint64_t
GenesisPolicer::GetRemarked() const
{
    return m_remarked;
}

int64_t
GenesisPolicer::AssignStreams(int64_t stream)
{
    return m_meter ? m_meter->AssignStreams(stream) : 0;
}

} // namespace ns3
