/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-dscp.h"

#include "ns3/genesis-error.h"

#include <algorithm>
#include <cctype>

namespace ns3
{

const char* GenesisDscp::ACCEPTED =
    "BE (or DF, DEFAULT), CS0..CS7, AF11..AF43, EF, VA, or a number 0..63";

bool
GenesisDscp::Parse(const std::string& text, uint8_t& dscp)
{
    std::string t;
    for (char c : text)
    {
        if (!std::isspace(static_cast<unsigned char>(c)))
        {
            t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        }
    }
    if (t.empty())
    {
        return false;
    }
    if (t == "BE" || t == "DF" || t == "DEFAULT")
    {
        dscp = 0;
        return true;
    }
    if (t == "EF")
    {
        dscp = 46;
        return true;
    }
    if (t == "VA")
    {
        dscp = 44;
        return true;
    }
    if (t.size() == 3 && t[0] == 'C' && t[1] == 'S' && t[2] >= '0' && t[2] <= '7')
    {
        dscp = static_cast<uint8_t>((t[2] - '0') << 3);
        return true;
    }
    if (t.size() == 4 && t[0] == 'A' && t[1] == 'F' && t[2] >= '1' && t[2] <= '4' && t[3] >= '1' &&
        t[3] <= '3')
    {
        // AFxy = 8x + 2y (RFC 2597 table)
        dscp = static_cast<uint8_t>(8 * (t[2] - '0') + 2 * (t[3] - '0'));
        return true;
    }
    if (t.size() <= 2 &&
        std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        int v = std::stoi(t);
        if (v <= 63)
        {
            dscp = static_cast<uint8_t>(v);
            return true;
        }
    }
    return false;
}

uint8_t
GenesisDscp::ParseOrThrow(const std::string& text, const std::string& what)
{
    uint8_t d = 0;
    if (!Parse(text, d))
    {
        throw GenesisError(what + ": unknown DiffServ codepoint '" + text + "'; use one of " +
                           ACCEPTED);
    }
    return d;
}

std::string
GenesisDscp::Name(uint8_t dscp)
{
    if (dscp == 0)
    {
        return "BE";
    }
    if (dscp == 46)
    {
        return "EF";
    }
    if (dscp == 44)
    {
        return "VA";
    }
    if ((dscp & 7) == 0 && dscp < 64)
    {
        return "CS" + std::to_string(dscp >> 3);
    }
    uint8_t x = dscp >> 3;
    uint8_t y = (dscp & 7) >> 1;
    if (x >= 1 && x <= 4 && (dscp & 1) == 0 && y >= 1 && y <= 3)
    {
        return "AF" + std::to_string(x) + std::to_string(y);
    }
    return std::to_string(dscp);
}

} // namespace ns3
