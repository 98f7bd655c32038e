/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-meter.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServMeter");
NS_OBJECT_ENSURE_REGISTERED(GenesisMeter);

// ------------------------------------------------------------------ token bucket

GenesisTokenBucket::GenesisTokenBucket()
    : m_rate(0),
      m_depth(0),
      m_tokens(0)
{
}

void
GenesisTokenBucket::Configure(uint64_t rateBps, uint64_t depthBytes)
{
    m_rate = rateBps;
    m_depth = std::min(depthBytes, MAX_DEPTH) * UNITS_PER_BYTE;
    m_tokens = m_depth;
}

uint64_t
GenesisTokenBucket::Fill(int64_t elapsedNs)
{
    if (elapsedNs <= 0 || m_rate == 0)
    {
        return 0;
    }
    unsigned __int128 add = static_cast<unsigned __int128>(elapsedNs) * m_rate;
    const uint64_t room = m_depth - m_tokens;
    if (add <= room)
    {
        m_tokens += static_cast<uint64_t>(add);
        return 0;
    }
    m_tokens = m_depth;
    unsigned __int128 over = add - room;
    const uint64_t maxU = std::numeric_limits<uint64_t>::max();
    return over > maxU ? maxU : static_cast<uint64_t>(over);
}

void
GenesisTokenBucket::AddUnits(uint64_t units)
{
    const uint64_t room = m_depth - m_tokens;
    m_tokens += std::min(units, room);
}

bool
GenesisTokenBucket::Has(uint32_t bytes) const
{
    return m_tokens >= static_cast<uint64_t>(bytes) * UNITS_PER_BYTE;
}

void
GenesisTokenBucket::Take(uint32_t bytes)
{
    const uint64_t u = static_cast<uint64_t>(bytes) * UNITS_PER_BYTE;
    m_tokens = u > m_tokens ? 0 : m_tokens - u;
}

double
GenesisTokenBucket::GetBytes() const
{
    return static_cast<double>(m_tokens) / UNITS_PER_BYTE;
}

uint64_t
GenesisTokenBucket::GetUnits() const
{
    return m_tokens;
}

uint64_t
GenesisTokenBucket::GetDepth() const
{
    return m_depth / UNITS_PER_BYTE;
}

uint64_t
GenesisTokenBucket::GetRate() const
{
    return m_rate;
}

int64_t
GenesisTokenBucket::TimeToHave(uint32_t bytes) const
{
    const uint64_t need = static_cast<uint64_t>(bytes) * UNITS_PER_BYTE;
    if (m_tokens >= need)
    {
        return 0;
    }
    if (m_rate == 0 || need > m_depth)
    {
        return -1;
    }
    const uint64_t missing = need - m_tokens;
    return static_cast<int64_t>((missing + m_rate - 1) / m_rate); // ceil: tokens suffice then
}

// ------------------------------------------------------------------ meter base

TypeId
GenesisMeter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisMeter")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddAttribute(
                "ColorAware",
                "Colour-aware mode: take the colour a packet carries into account "
                "(a packet is never promoted). False: colour-blind.",
                BooleanValue(false),
                MakeBooleanAccessor(&GenesisMeter::SetColorAware, &GenesisMeter::IsColorAware),
                MakeBooleanChecker())
            .AddTraceSource("Metered",
                            "A packet was metered: size, colour carried, colour given.",
                            MakeTraceSourceAccessor(&GenesisMeter::m_traceMetered),
                            "ns3::GenesisMeter::MeteredTracedCallback");
    return tid;
}

GenesisMeter::GenesisMeter()
    : m_colorAware(false),
      m_packets{0, 0, 0},
      m_bytes{0, 0, 0}
{
}

GenesisMeter::~GenesisMeter()
{
}

GenesisMeter::Color
GenesisMeter::Meter(uint32_t bytes, Time now, Color preColor)
{
    const Color pre = m_colorAware ? preColor : GREEN;
    const Color c = DoMeter(bytes, now.GetNanoSeconds(), pre);
    ++m_packets[c];
    m_bytes[c] += bytes;
    NS_LOG_LOGIC(bytes << " bytes at " << now.As(Time::NS) << " pre " << ColorName(pre) << " -> "
                       << ColorName(c));
    m_traceMetered(bytes, pre, c);
    return c;
}

GenesisMeter::Color
GenesisMeter::MeterNow(uint32_t bytes, Color preColor)
{
    return Meter(bytes, Simulator::Now(), preColor);
}

void
GenesisMeter::SetColorAware(bool aware)
{
    m_colorAware = aware;
}

bool
GenesisMeter::IsColorAware() const
{
    return m_colorAware;
}

void
GenesisMeter::Validate() const
{
}

void
GenesisMeter::Reset()
{
}

int64_t
GenesisMeter::AssignStreams(int64_t stream)
{
    return 0;
}

uint64_t
GenesisMeter::GetPackets(Color c) const
{
    return m_packets[c];
}

uint64_t
GenesisMeter::GetBytes(Color c) const
{
    return m_bytes[c];
}

const char*
GenesisMeter::ColorName(Color c)
{
    switch (c)
    {
    case GREEN:
        return "green";
    case YELLOW:
        return "yellow";
    case RED:
        return "red";
    }
    return "?";
}

} // namespace ns3
