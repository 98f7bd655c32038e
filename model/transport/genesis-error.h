/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_ERROR_H
#define GENESIS_ERROR_H

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The error every Genesis API throws on bad input.
 *
 * The message names the object, the offending value and how to fix it, e.g.
 * "virtual network 'video': controlled rate 0bps must be positive; give the
 * network a rate above 0". An operation that throws leaves every object as it
 * was before the call (no half-built network, no reserved capacity).
 */
class GenesisError : public std::runtime_error
{
  public:
    /// \param what the complete, human-readable message
    explicit GenesisError(const std::string& what)
        : std::runtime_error(what)
    {
    }
};

/**
 * \ingroup genesis
 * \brief Format a rate for people: "4Mbps", "2.5Mbps", "800kbps", "0bps".
 * \param bps the rate in bit/s
 * \return the text
 */
inline std::string
GenesisFormatRate(uint64_t bps)
{
    std::ostringstream os;
    if (bps >= 1000000000ULL && bps % 10000000ULL == 0)
    {
        os << bps / 1e9 << "Gbps";
    }
    else if (bps >= 1000000ULL && bps % 10000ULL == 0)
    {
        os << bps / 1e6 << "Mbps";
    }
    else if (bps >= 1000ULL && bps % 10ULL == 0)
    {
        os << bps / 1e3 << "kbps";
    }
    else
    {
        os << bps << "bps";
    }
    return os.str();
}

} // namespace ns3

#endif /* GENESIS_ERROR_H */
