/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DiffServ codepoint names (RFC 2474, 2597, 3246, 5865) for the Genesis
 * DiffServ transport modules.
 */
#ifndef GENESIS_DSCP_H
#define GENESIS_DSCP_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Names of DiffServ codepoints, parsed and printed.
 *
 * Accepted names (case-insensitive): "BE", "DF" or "DEFAULT" (0), "CS0" ..
 * "CS7", "AF11" .. "AF43", "EF" (46), "VA" (44, RFC 5865), or a decimal
 * number 0..63.
 */
class GenesisDscp
{
  public:
    /**
     * \brief Parse a codepoint name.
     * \param text the name or number
     * \param[out] dscp the codepoint (0..63)
     * \return true on success; \p dscp is untouched otherwise
     */
    static bool Parse(const std::string& text, uint8_t& dscp);

    /**
     * \brief Parse a codepoint name or throw.
     * \param text the name or number
     * \param what who asks, for the message (e.g. "TCA 'gold': attribute GreenDscp")
     * \return the codepoint
     * \throws GenesisError naming \p what, the text and the accepted names
     */
    static uint8_t ParseOrThrow(const std::string& text, const std::string& what);

    /**
     * \param dscp a codepoint (0..63)
     * \return its usual name ("EF", "AF21", "CS3", "BE") or its number
     */
    static std::string Name(uint8_t dscp);

    /// The accepted names, for error hints
    static const char* ACCEPTED;
};

} // namespace ns3

#endif /* GENESIS_DSCP_H */
