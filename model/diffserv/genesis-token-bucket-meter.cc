/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-token-bucket-meter.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServTokenBucketMeter");
NS_OBJECT_ENSURE_REGISTERED(GenesisTokenBucketMeter);

TypeId
GenesisTokenBucketMeter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisTokenBucketMeter")
            .SetParent<GenesisMeter>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisTokenBucketMeter>()
            .AddAttribute("Cir",
                          "Committed information rate (token rate).",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&GenesisTokenBucketMeter::m_cir),
                          MakeDataRateChecker())
            .AddAttribute("Cbs",
                          "Committed burst size: bucket depth in bytes (the bucket starts full).",
                          UintegerValue(3000),
                          MakeUintegerAccessor(&GenesisTokenBucketMeter::m_cbs),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

GenesisTokenBucketMeter::GenesisTokenBucketMeter()
    : m_cbs(3000),
      m_lastNs(-1)
{
}

GenesisTokenBucketMeter::~GenesisTokenBucketMeter()
{
}

void
GenesisTokenBucketMeter::Validate() const
{
    if (m_cir.GetBitRate() == 0)
    {
        throw GenesisError("token bucket meter: attribute Cir is 0bps; give a positive rate "
                           "(e.g. Cir=1Mbps)");
    }
    if (m_cbs == 0 || m_cbs > GenesisTokenBucket::MAX_DEPTH)
    {
        throw GenesisError("token bucket meter: attribute Cbs is " + std::to_string(m_cbs) +
                           " bytes; set it between the largest packet (e.g. 1500) and 1e9");
    }
}

void
GenesisTokenBucketMeter::Reset()
{
    m_bucket.Configure(m_cir.GetBitRate(), m_cbs);
    m_lastNs = 0;
}

double
GenesisTokenBucketMeter::GetTokens() const
{
    return m_bucket.GetBytes();
}

GenesisMeter::Color
GenesisTokenBucketMeter::DoMeter(uint32_t bytes, int64_t nowNs, Color preColor)
{
    if (m_lastNs < 0 || m_bucket.GetRate() != m_cir.GetBitRate() || m_bucket.GetDepth() != m_cbs)
    {
        Reset(); // first packet, or the attributes changed: a full bucket
    }
    m_bucket.Fill(nowNs - m_lastNs);
    m_lastNs = std::max(m_lastNs, nowNs);
    if (preColor == GREEN && m_bucket.Has(bytes))
    {
        m_bucket.Take(bytes);
        return GREEN;
    }
    return RED;
}

} // namespace ns3
