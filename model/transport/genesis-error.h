/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_ERROR_H
#define GENESIS_ERROR_H

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

} // namespace ns3

#endif /* GENESIS_ERROR_H */
