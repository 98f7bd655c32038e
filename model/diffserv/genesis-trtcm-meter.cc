/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-trtcm-meter.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServTrTcmMeter");
NS_OBJECT_ENSURE_REGISTERED(GenesisTrTcmMeter);

TypeId
GenesisTrTcmMeter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisTrTcmMeter")
                            .SetParent<GenesisMeter>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisTrTcmMeter>()
                            .AddAttribute("Cir",
                                          "Committed information rate.",
                                          DataRateValue(DataRate("1Mbps")),
                                          MakeDataRateAccessor(&GenesisTrTcmMeter::m_cir),
                                          MakeDataRateChecker())
                            .AddAttribute("Cbs",
                                          "Committed burst size (bytes).",
                                          UintegerValue(3000),
                                          MakeUintegerAccessor(&GenesisTrTcmMeter::m_cbs),
                                          MakeUintegerChecker<uint32_t>())
                            .AddAttribute("Pir",
                                          "Peak information rate (>= Cir).",
                                          DataRateValue(DataRate("2Mbps")),
                                          MakeDataRateAccessor(&GenesisTrTcmMeter::m_pir),
                                          MakeDataRateChecker())
                            .AddAttribute("Pbs",
                                          "Peak burst size (bytes).",
                                          UintegerValue(6000),
                                          MakeUintegerAccessor(&GenesisTrTcmMeter::m_pbs),
                                          MakeUintegerChecker<uint32_t>());
    return tid;
}

GenesisTrTcmMeter::GenesisTrTcmMeter()
    : m_cbs(3000),
      m_pbs(6000),
      m_lastNs(-1)
{
}

GenesisTrTcmMeter::~GenesisTrTcmMeter()
{
}

void
GenesisTrTcmMeter::Validate() const
{
    if (m_cir.GetBitRate() == 0)
    {
        throw GenesisError("trTCM meter: attribute Cir is 0bps; give a positive committed rate "
                           "(e.g. Cir=1Mbps)");
    }
    if (m_pir.GetBitRate() < m_cir.GetBitRate())
    {
        throw GenesisError("trTCM meter: attribute Pir (" + GenesisFormatRate(m_pir.GetBitRate()) +
                           ") is below Cir (" + GenesisFormatRate(m_cir.GetBitRate()) +
                           "); RFC 2698 requires PIR >= CIR: raise Pir or lower Cir");
    }
    if (m_cbs == 0 || m_cbs > GenesisTokenBucket::MAX_DEPTH)
    {
        throw GenesisError("trTCM meter: attribute Cbs is " + std::to_string(m_cbs) +
                           " bytes; set it between the largest packet (e.g. 1500) and 1e9");
    }
    if (m_pbs == 0 || m_pbs > GenesisTokenBucket::MAX_DEPTH)
    {
        throw GenesisError("trTCM meter: attribute Pbs is " + std::to_string(m_pbs) +
                           " bytes; set it between the largest packet (e.g. 1500) and 1e9");
    }
}

void
GenesisTrTcmMeter::Reset()
{
    m_c.Configure(m_cir.GetBitRate(), m_cbs);
    m_p.Configure(m_pir.GetBitRate(), m_pbs);
    m_lastNs = 0;
}

double
GenesisTrTcmMeter::GetCommittedTokens() const
{
    return m_c.GetBytes();
}

double
GenesisTrTcmMeter::GetPeakTokens() const
{
    return m_p.GetBytes();
}

GenesisMeter::Color
GenesisTrTcmMeter::DoMeter(uint32_t bytes, int64_t nowNs, Color preColor)
{
    if (m_lastNs < 0 || m_c.GetRate() != m_cir.GetBitRate() || m_c.GetDepth() != m_cbs ||
        m_p.GetRate() != m_pir.GetBitRate() || m_p.GetDepth() != m_pbs)
    {
        Reset();
    }
    m_c.Fill(nowNs - m_lastNs);
    m_p.Fill(nowNs - m_lastNs);
    m_lastNs = std::max(m_lastNs, nowNs);
    if (preColor == RED || !m_p.Has(bytes))
    {
        return RED;
    }
    if (preColor == YELLOW || !m_c.Has(bytes))
    {
        m_p.Take(bytes);
        return YELLOW;
    }
    m_p.Take(bytes);
    m_c.Take(bytes);
    return GREEN;
}

} // namespace ns3
