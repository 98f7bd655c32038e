/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-tsw-meter.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServTswMeter");
NS_OBJECT_ENSURE_REGISTERED(GenesisTswMeter);
NS_OBJECT_ENSURE_REGISTERED(GenesisTsw2cmMeter);
NS_OBJECT_ENSURE_REGISTERED(GenesisTsw3cmMeter);

TypeId
GenesisTswMeter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisTswMeter")
                            .SetParent<GenesisMeter>()
                            .SetGroupName("Genesis")
                            .AddAttribute("Cir",
                                          "Committed target rate (CTR of RFC 2859).",
                                          DataRateValue(DataRate("1Mbps")),
                                          MakeDataRateAccessor(&GenesisTswMeter::m_ctr),
                                          MakeDataRateChecker())
                            .AddAttribute("Window",
                                          "Averaging window win_length of the rate estimator.",
                                          TimeValue(Seconds(1)),
                                          MakeTimeAccessor(&GenesisTswMeter::m_window),
                                          MakeTimeChecker());
    return tid;
}

GenesisTswMeter::GenesisTswMeter()
    : m_window(Seconds(1)),
      m_avg(0),
      m_tFront(0),
      m_started(false),
      m_rng(CreateObject<UniformRandomVariable>())
{
}

GenesisTswMeter::~GenesisTswMeter()
{
}

void
GenesisTswMeter::Validate() const
{
    if (m_ctr.GetBitRate() == 0)
    {
        throw GenesisError(Name() + " meter: attribute Cir (CTR) is 0bps; give a positive "
                                    "committed target rate (e.g. Cir=1Mbps)");
    }
    if (!m_window.IsStrictlyPositive())
    {
        throw GenesisError(Name() + " meter: attribute Window is not positive; RFC 2859 "
                                    "suggests about the flow's RTT or more (e.g. Window=1s)");
    }
}

void
GenesisTswMeter::Reset()
{
    m_avg = m_ctr.GetBitRate() / 8.0;
    m_tFront = 0;
    m_started = true;
}

int64_t
GenesisTswMeter::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

double
GenesisTswMeter::GetAverageRate() const
{
    return m_started ? m_avg : m_ctr.GetBitRate() / 8.0;
}

void
GenesisTswMeter::Estimate(uint32_t bytes, int64_t nowNs)
{
    if (!m_started)
    {
        Reset();
    }
    const double now = nowNs * 1e-9;
    const double win = m_window.GetSeconds();
    const double bytesInWin = m_avg * win;
    const double newBytes = bytesInWin + bytes;
    m_avg = newBytes / (now - m_tFront + win);
    m_tFront = now;
}

double
GenesisTswMeter::Draw()
{
    return m_rng->GetValue(0.0, 1.0);
}

// ------------------------------------------------------------------ TSW2CM

TypeId
GenesisTsw2cmMeter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisTsw2cmMeter")
                            .SetParent<GenesisTswMeter>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisTsw2cmMeter>();
    return tid;
}

std::string
GenesisTsw2cmMeter::Name() const
{
    return "TSW2CM";
}

GenesisMeter::Color
GenesisTsw2cmMeter::DoMeter(uint32_t bytes, int64_t nowNs, Color preColor)
{
    Estimate(bytes, nowNs);
    const double ctr = m_ctr.GetBitRate() / 8.0;
    Color c = GREEN;
    if (m_avg > ctr)
    {
        const double p0 = (m_avg - ctr) / m_avg;
        c = Draw() < p0 ? RED : GREEN;
    }
    return std::max(c, preColor == YELLOW ? RED : preColor);
}

// ------------------------------------------------------------------ TSW3CM

TypeId
GenesisTsw3cmMeter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisTsw3cmMeter")
                            .SetParent<GenesisTswMeter>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisTsw3cmMeter>()
                            .AddAttribute("Pir",
                                          "Peak target rate (PTR of RFC 2859, >= Cir).",
                                          DataRateValue(DataRate("2Mbps")),
                                          MakeDataRateAccessor(&GenesisTsw3cmMeter::m_ptr),
                                          MakeDataRateChecker());
    return tid;
}

std::string
GenesisTsw3cmMeter::Name() const
{
    return "TSW3CM";
}

void
GenesisTsw3cmMeter::Validate() const
{
    GenesisTswMeter::Validate();
    if (m_ptr.GetBitRate() < m_ctr.GetBitRate())
    {
        throw GenesisError("TSW3CM meter: attribute Pir (PTR " +
                           GenesisFormatRate(m_ptr.GetBitRate()) + ") is below Cir (CTR " +
                           GenesisFormatRate(m_ctr.GetBitRate()) +
                           "); RFC 2859 requires PTR >= CTR: raise Pir or lower Cir");
    }
}

GenesisMeter::Color
GenesisTsw3cmMeter::DoMeter(uint32_t bytes, int64_t nowNs, Color preColor)
{
    Estimate(bytes, nowNs);
    const double ctr = m_ctr.GetBitRate() / 8.0;
    const double ptr = m_ptr.GetBitRate() / 8.0;
    Color c = GREEN;
    if (m_avg > ptr)
    {
        const double p1 = (m_avg - ptr) / m_avg;
        const double p2 = (ptr - ctr) / m_avg;
        const double u = Draw();
        c = u < p1 ? RED : (u < p1 + p2 ? YELLOW : GREEN);
    }
    else if (m_avg > ctr)
    {
        const double p1 = (m_avg - ctr) / m_avg;
        c = Draw() < p1 ? YELLOW : GREEN;
    }
    return std::max(c, preColor);
}

} // namespace ns3
