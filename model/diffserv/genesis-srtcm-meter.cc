/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-srtcm-meter.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServSrTcmMeter");
NS_OBJECT_ENSURE_REGISTERED(GenesisSrTcmMeter);

TypeId
GenesisSrTcmMeter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisSrTcmMeter")
            .SetParent<GenesisMeter>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisSrTcmMeter>()
            .AddAttribute("Cir",
                          "Committed information rate.",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&GenesisSrTcmMeter::m_cir),
                          MakeDataRateChecker())
            .AddAttribute("Cbs",
                          "Committed burst size (bytes).",
                          UintegerValue(3000),
                          MakeUintegerAccessor(&GenesisSrTcmMeter::m_cbs),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Ebs",
                          "Excess burst size (bytes); 0 makes the meter two-colour.",
                          UintegerValue(6000),
                          MakeUintegerAccessor(&GenesisSrTcmMeter::m_ebs),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

GenesisSrTcmMeter::GenesisSrTcmMeter()
    : m_cbs(3000),
      m_ebs(6000),
      m_lastNs(-1)
{
}

GenesisSrTcmMeter::~GenesisSrTcmMeter()
{
}

void
GenesisSrTcmMeter::Validate() const
{
    if (m_cir.GetBitRate() == 0)
    {
        throw GenesisError("srTCM meter: attribute Cir is 0bps; give a positive committed rate "
                           "(e.g. Cir=1Mbps)");
    }
    if (m_cbs == 0 || m_cbs > GenesisTokenBucket::MAX_DEPTH)
    {
        throw GenesisError("srTCM meter: attribute Cbs is " + std::to_string(m_cbs) +
                           " bytes; RFC 2697 wants it at least the largest packet: set Cbs "
                           "between 1500 and 1e9");
    }
    if (m_ebs > GenesisTokenBucket::MAX_DEPTH)
    {
        throw GenesisError("srTCM meter: attribute Ebs is " + std::to_string(m_ebs) +
                           " bytes; set it at most 1e9");
    }
}

void
GenesisSrTcmMeter::Reset()
{
    m_c.Configure(m_cir.GetBitRate(), m_cbs);
    m_e.Configure(m_cir.GetBitRate(), m_ebs);
    m_lastNs = 0;
}

double
GenesisSrTcmMeter::GetCommittedTokens() const
{
    return m_c.GetBytes();
}

double
GenesisSrTcmMeter::GetExcessTokens() const
{
    return m_e.GetBytes();
}

GenesisMeter::Color
GenesisSrTcmMeter::DoMeter(uint32_t bytes, int64_t nowNs, Color preColor)
{
    if (m_lastNs < 0 || m_c.GetRate() != m_cir.GetBitRate() || m_c.GetDepth() != m_cbs ||
        m_e.GetDepth() != m_ebs)
    {
        Reset();
    }
    // C fills first; what C cannot hold goes to E (RFC 2697 §3)
    m_e.AddUnits(m_c.Fill(nowNs - m_lastNs));
    m_lastNs = std::max(m_lastNs, nowNs);
    if (preColor == GREEN && m_c.Has(bytes))
    {
        m_c.Take(bytes);
        return GREEN;
    }
    if (preColor != RED && m_e.Has(bytes))
    {
        m_e.Take(bytes);
        return YELLOW;
    }
    return RED;
}

} // namespace ns3
