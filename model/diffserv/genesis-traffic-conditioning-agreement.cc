/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-traffic-conditioning-agreement.h"

#include "genesis-dscp.h"
#include "genesis-srtcm-meter.h"
#include "genesis-token-bucket-meter.h"
#include "genesis-trtcm-meter.h"
#include "genesis-tsw-meter.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-spawner.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServTca");
NS_OBJECT_ENSURE_REGISTERED(GenesisTrafficConditioningAgreement);

using Tca = GenesisTrafficConditioningAgreement;

namespace
{
/// Registers the agreement's check with the spawner at load time.
struct TcaSpawnCheck
{
    TcaSpawnCheck()
    {
        GenesisSpawner::RegisterModuleCheck("ns3::GenesisTrafficConditioningAgreement",
                                            &GenesisTrafficConditioningAgreement::CheckFactory);
    }
} g_tcaSpawnCheck; //!< the registration
} // namespace

TypeId
GenesisTrafficConditioningAgreement::GetTypeId()
{
    // One checker per attribute: ns-3 keys construction-time attribute values
    // (ObjectFactory, CreateObjectWithAttributes) by checker, so a checker
    // shared by the three actions would give all three the last value set.
    auto actions = []() {
        return MakeEnumChecker(GenesisPolicer::FORWARD,
                               "Forward",
                               GenesisPolicer::REMARK,
                               "Remark",
                               GenesisPolicer::DROP,
                               "Drop");
    };
    static TypeId tid =
        TypeId("ns3::GenesisTrafficConditioningAgreement")
            .SetParent<PacketFilter>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisTrafficConditioningAgreement>()
            .AddAttribute("Name",
                          "Name of the agreement, for messages and traces.",
                          StringValue("tca"),
                          MakeStringAccessor(&Tca::m_name),
                          MakeStringChecker())
            .AddAttribute("Match",
                          "Which packets the agreement covers: a multi-field rule "
                          "(e.g. \"src=10.1.0.0/24 proto=udp dport=5000-5010\"), or any.",
                          StringValue("any"),
                          MakeStringAccessor(&Tca::m_match),
                          MakeStringChecker())
            .AddAttribute("Meter",
                          "Meter: TokenBucket, SrTcm (RFC 2697), TrTcm (RFC 2698), Tsw2cm or "
                          "Tsw3cm (RFC 2859).",
                          EnumValue(SRTCM),
                          MakeEnumAccessor(&Tca::m_meter),
                          MakeEnumChecker(TOKEN_BUCKET,
                                          "TokenBucket",
                                          SRTCM,
                                          "SrTcm",
                                          TRTCM,
                                          "TrTcm",
                                          TSW2CM,
                                          "Tsw2cm",
                                          TSW3CM,
                                          "Tsw3cm"))
            .AddAttribute("ColorAware",
                          "Colour-aware metering: a packet carrying YellowDscp is yellow, "
                          "RedDscp red.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&Tca::m_colorAware),
                          MakeBooleanChecker())
            .AddAttribute("Cir",
                          "Committed information (target) rate.",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&Tca::m_cir),
                          MakeDataRateChecker())
            .AddAttribute("Cbs",
                          "Committed burst size in bytes (TokenBucket, SrTcm, TrTcm).",
                          UintegerValue(3000),
                          MakeUintegerAccessor(&Tca::m_cbs),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Ebs",
                          "Excess burst size in bytes (SrTcm).",
                          UintegerValue(6000),
                          MakeUintegerAccessor(&Tca::m_ebs),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Pir",
                          "Peak information (target) rate, >= Cir (TrTcm, Tsw3cm).",
                          DataRateValue(DataRate("2Mbps")),
                          MakeDataRateAccessor(&Tca::m_pir),
                          MakeDataRateChecker())
            .AddAttribute("Pbs",
                          "Peak burst size in bytes (TrTcm).",
                          UintegerValue(6000),
                          MakeUintegerAccessor(&Tca::m_pbs),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Window",
                          "Averaging window of the TSW rate estimator (Tsw2cm, Tsw3cm).",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&Tca::m_window),
                          MakeTimeChecker())
            .AddAttribute("GreenDscp",
                          "Codepoint of green packets. Empty: none.",
                          StringValue("AF11"),
                          MakeStringAccessor(&Tca::SetGreenDscp, &Tca::GetGreenDscp),
                          MakeStringChecker())
            .AddAttribute("YellowDscp",
                          "Codepoint of yellow packets. Empty: none.",
                          StringValue("AF12"),
                          MakeStringAccessor(&Tca::SetYellowDscp, &Tca::GetYellowDscp),
                          MakeStringChecker())
            .AddAttribute("RedDscp",
                          "Codepoint of red packets. Empty: none.",
                          StringValue("AF13"),
                          MakeStringAccessor(&Tca::SetRedDscp, &Tca::GetRedDscp),
                          MakeStringChecker())
            .AddAttribute("GreenAction",
                          "Forward, Remark (to GreenDscp) or Drop.",
                          EnumValue(GenesisPolicer::REMARK),
                          MakeEnumAccessor(&Tca::SetGreenAction, &Tca::GetGreenAction),
                          actions())
            .AddAttribute("YellowAction",
                          "Forward, Remark (to YellowDscp) or Drop.",
                          EnumValue(GenesisPolicer::REMARK),
                          MakeEnumAccessor(&Tca::SetYellowAction, &Tca::GetYellowAction),
                          actions())
            .AddAttribute("RedAction",
                          "Forward, Remark (to RedDscp) or Drop.",
                          EnumValue(GenesisPolicer::DROP),
                          MakeEnumAccessor(&Tca::SetRedAction, &Tca::GetRedAction),
                          actions());
    return tid;
}

GenesisTrafficConditioningAgreement::GenesisTrafficConditioningAgreement()
    : m_name("tca"),
      m_match("any"),
      m_meter(SRTCM),
      m_colorAware(false),
      m_cbs(3000),
      m_ebs(6000),
      m_pbs(6000),
      m_window(Seconds(1)),
      m_dscp{"AF11", "AF12", "AF13"},
      m_action{GenesisPolicer::REMARK, GenesisPolicer::REMARK, GenesisPolicer::DROP}
{
}

GenesisTrafficConditioningAgreement::~GenesisTrafficConditioningAgreement()
{
}

std::string
GenesisTrafficConditioningAgreement::Describe() const
{
    return "TCA '" + m_name + "'";
}

GenesisMfRule
GenesisTrafficConditioningAgreement::GetRule() const
{
    try
    {
        return GenesisMfRule::FromString(m_match);
    }
    catch (const GenesisError& e)
    {
        throw GenesisError(Describe() + ": attribute Match: " + e.what());
    }
}

void
GenesisTrafficConditioningAgreement::Validate() const
{
    CreatePolicer();
}

void
GenesisTrafficConditioningAgreement::CheckFactory(const ObjectFactory& factory)
{
    factory.Create<GenesisTrafficConditioningAgreement>()->Validate();
}

bool
GenesisTrafficConditioningAgreement::CheckProtocol(Ptr<QueueDiscItem> item) const
{
    return DynamicCast<Ipv4QueueDiscItem>(item) || DynamicCast<Ipv6QueueDiscItem>(item);
}

int32_t
GenesisTrafficConditioningAgreement::DoClassify(Ptr<QueueDiscItem> /* item */) const
{
    return PacketFilter::PF_NO_MATCH; // a specification, not a classifier
}

Ptr<GenesisPolicer>
GenesisTrafficConditioningAgreement::CreatePolicer() const
{
    static const char* colorName[] = {"Green", "Yellow", "Red"};
    const std::string me = Describe();
    GetRule(); // throws on a bad Match
    // Messages name the TCA's attributes, which is what the user wrote.
    if (m_cir.GetBitRate() == 0)
    {
        throw GenesisError(me + ": attribute Cir is 0bps; give the agreement a positive "
                                "committed rate (e.g. Cir=1Mbps)");
    }
    const bool usesPeak = m_meter == TRTCM || m_meter == TSW3CM;
    if (usesPeak && m_pir.GetBitRate() < m_cir.GetBitRate())
    {
        throw GenesisError(me + ": attribute Cir (" + GenesisFormatRate(m_cir.GetBitRate()) +
                           ") is above Pir (" + GenesisFormatRate(m_pir.GetBitRate()) +
                           "); the peak rate cannot be below the committed rate: set Pir >= Cir");
    }
    auto checkBurst = [&me](const char* attr, uint32_t v, bool zeroOk) {
        if ((!zeroOk && v == 0) || v > GenesisTokenBucket::MAX_DEPTH)
        {
            throw GenesisError(me + ": attribute " + attr + " is " + std::to_string(v) +
                               " bytes; a burst must hold at least one packet: set " + attr +
                               " between the largest packet size (e.g. 1500) and 1e9");
        }
    };
    if (m_meter == TOKEN_BUCKET || m_meter == SRTCM || m_meter == TRTCM)
    {
        checkBurst("Cbs", m_cbs, false);
    }
    if (m_meter == SRTCM)
    {
        checkBurst("Ebs", m_ebs, false);
    }
    if (m_meter == TRTCM)
    {
        checkBurst("Pbs", m_pbs, false);
    }
    if ((m_meter == TSW2CM || m_meter == TSW3CM) && !m_window.IsStrictlyPositive())
    {
        throw GenesisError(me + ": attribute Window is not positive; give the TSW estimator "
                                "a window (e.g. Window=1s)");
    }

    Ptr<GenesisMeter> meter;
    switch (m_meter)
    {
    case TOKEN_BUCKET:
        meter = CreateObjectWithAttributes<GenesisTokenBucketMeter>("Cir",
                                                                    DataRateValue(m_cir),
                                                                    "Cbs",
                                                                    UintegerValue(m_cbs));
        break;
    case SRTCM:
        meter = CreateObjectWithAttributes<GenesisSrTcmMeter>("Cir",
                                                              DataRateValue(m_cir),
                                                              "Cbs",
                                                              UintegerValue(m_cbs),
                                                              "Ebs",
                                                              UintegerValue(m_ebs));
        break;
    case TRTCM:
        meter = CreateObjectWithAttributes<GenesisTrTcmMeter>("Cir",
                                                              DataRateValue(m_cir),
                                                              "Cbs",
                                                              UintegerValue(m_cbs),
                                                              "Pir",
                                                              DataRateValue(m_pir),
                                                              "Pbs",
                                                              UintegerValue(m_pbs));
        break;
    case TSW2CM:
        meter = CreateObjectWithAttributes<GenesisTsw2cmMeter>("Cir",
                                                               DataRateValue(m_cir),
                                                               "Window",
                                                               TimeValue(m_window));
        break;
    case TSW3CM:
        meter = CreateObjectWithAttributes<GenesisTsw3cmMeter>("Cir",
                                                               DataRateValue(m_cir),
                                                               "Pir",
                                                               DataRateValue(m_pir),
                                                               "Window",
                                                               TimeValue(m_window));
        break;
    }
    meter->SetColorAware(m_colorAware);

    Ptr<GenesisPolicer> policer = CreateObject<GenesisPolicer>();
    policer->SetName(me);
    policer->SetMeter(meter);
    for (int c = 0; c < 3; ++c)
    {
        const auto color = static_cast<GenesisMeter::Color>(c);
        const std::string attr = std::string(colorName[c]) + "Dscp";
        const bool empty = m_dscp[c].find_first_not_of(" \t") == std::string::npos;
        if (empty && m_action[c] == GenesisPolicer::REMARK)
        {
            throw GenesisError(me + ": attribute " + colorName[c] + "Action is Remark but " + attr +
                               " is empty; give " + attr + " a codepoint (" +
                               GenesisDscp::ACCEPTED + ") or make the action Forward or Drop");
        }
        uint8_t d = empty ? 0 : GenesisDscp::ParseOrThrow(m_dscp[c], me + ": attribute " + attr);
        policer->SetColorAction(color, m_action[c], d);
        if (empty)
        {
            policer->SetAttribute(attr, StringValue(""));
        }
    }
    policer->Validate();
    return policer;
}

void
Tca::SetGreenDscp(std::string v)
{
    m_dscp[0] = v;
}

std::string
Tca::GetGreenDscp() const
{
    return m_dscp[0];
}

void
Tca::SetYellowDscp(std::string v)
{
    m_dscp[1] = v;
}

std::string
Tca::GetYellowDscp() const
{
    return m_dscp[1];
}

void
Tca::SetRedDscp(std::string v)
{
    m_dscp[2] = v;
}

std::string
Tca::GetRedDscp() const
{
    return m_dscp[2];
}

void
Tca::SetGreenAction(GenesisPolicer::Action a)
{
    m_action[0] = a;
}

GenesisPolicer::Action
Tca::GetGreenAction() const
{
    return m_action[0];
}

void
Tca::SetYellowAction(GenesisPolicer::Action a)
{
    m_action[1] = a;
}

GenesisPolicer::Action
Tca::GetYellowAction() const
{
    return m_action[1];
}

void
Tca::SetRedAction(GenesisPolicer::Action a)
{
    m_action[2] = a;
}

GenesisPolicer::Action
Tca::GetRedAction() const
{
    return m_action[2];
}

} // namespace ns3
