/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-multi-field-classifier.h"

#include "genesis-dscp.h"

#include "ns3/genesis-error.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/string.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServClassifier");
NS_OBJECT_ENSURE_REGISTERED(GenesisMultiFieldClassifier);

namespace
{
constexpr uint16_t IPV4_ETHERTYPE = 0x0800; //!< EtherType of IPv4 items
constexpr uint16_t IPV6_ETHERTYPE = 0x86DD; //!< EtherType of IPv6 items
constexpr uint8_t TCP = 6;                  //!< IPv4 protocol number of TCP
constexpr uint8_t UDP = 17;                 //!< IPv4 protocol number of UDP

std::string
Lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

[[noreturn]] void
Bad(const std::string& rule, const std::string& field, const std::string& hint)
{
    throw GenesisError("multi-field classifier rule '" + rule + "': bad field '" + field + "'; " +
                       hint);
}

/// Parse a dotted quad; false if not one
bool
ParseAddress(const std::string& s, uint32_t& out)
{
    unsigned a[4];
    char tail;
    if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4)
    {
        return false;
    }
    out = 0;
    for (unsigned v : a)
    {
        if (v > 255)
        {
            return false;
        }
        out = (out << 8) | v;
    }
    return true;
}

/// Parse a decimal number in [0, max]; false otherwise
bool
ParseNumber(const std::string& s, uint32_t max, uint32_t& out)
{
    if (s.empty() || s.size() > 10 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        return false;
    }
    uint64_t v = std::stoull(s);
    if (v > max)
    {
        return false;
    }
    out = static_cast<uint32_t>(v);
    return true;
}

void
ParseAddressRange(const std::string& rule,
                  const std::string& field,
                  const std::string& v,
                  uint32_t& lo,
                  uint32_t& hi)
{
    const char* hint = "give an address (10.0.0.1), a prefix (10.0.0.0/24), a range "
                       "(10.0.0.1-10.0.0.9) or any";
    if (v == "any")
    {
        lo = 0;
        hi = 0xffffffff;
        return;
    }
    auto slash = v.find('/');
    auto dash = v.find('-');
    if (slash != std::string::npos)
    {
        uint32_t a;
        uint32_t len;
        if (!ParseAddress(v.substr(0, slash), a) || !ParseNumber(v.substr(slash + 1), 32, len))
        {
            Bad(rule, field, hint);
        }
        uint32_t mask = len == 0 ? 0 : 0xffffffffU << (32 - len);
        lo = a & mask;
        hi = lo | ~mask;
        return;
    }
    if (dash != std::string::npos)
    {
        if (!ParseAddress(v.substr(0, dash), lo) || !ParseAddress(v.substr(dash + 1), hi) ||
            lo > hi)
        {
            Bad(rule, field, hint);
        }
        return;
    }
    if (!ParseAddress(v, lo))
    {
        Bad(rule, field, hint);
    }
    hi = lo;
}

using Ipv6Bytes = std::array<uint8_t, 16>; //!< an IPv6 address, network byte order

/// Parse an IPv6 address (inet_pton: no ns-3 parser that may abort); false if not one
bool
ParseAddress6(const std::string& s, Ipv6Bytes& out)
{
    return !s.empty() && s.size() < INET6_ADDRSTRLEN &&
           inet_pton(AF_INET6, s.c_str(), out.data()) == 1;
}

/// Parse an IPv6 address, prefix (a::/len) or range (a-b) into [lo, hi]
void
ParseAddressRange6(const std::string& rule,
                   const std::string& field,
                   const std::string& v,
                   Ipv6Bytes& lo,
                   Ipv6Bytes& hi)
{
    const char* hint = "give an IPv6 address (2001:db8::1), a prefix (2001:db8::/32), a range "
                       "(2001:db8::1-2001:db8::9) or any";
    auto slash = v.find('/');
    auto dash = v.find('-');
    if (slash != std::string::npos)
    {
        uint32_t len;
        if (!ParseAddress6(v.substr(0, slash), lo) || !ParseNumber(v.substr(slash + 1), 128, len))
        {
            Bad(rule, field, hint);
        }
        for (uint32_t i = 0; i < 16; ++i)
        {
            const uint32_t bits = len > 8 * i ? std::min<uint32_t>(8, len - 8 * i) : 0;
            const auto mask = static_cast<uint8_t>(bits == 0 ? 0 : 0xff << (8 - bits));
            lo[i] &= mask;
            hi[i] = lo[i] | static_cast<uint8_t>(~mask);
        }
        return;
    }
    if (dash != std::string::npos)
    {
        if (!ParseAddress6(v.substr(0, dash), lo) || !ParseAddress6(v.substr(dash + 1), hi) ||
            lo > hi)
        {
            Bad(rule, field, hint);
        }
        return;
    }
    if (!ParseAddress6(v, lo))
    {
        Bad(rule, field, hint);
    }
    hi = lo;
}

/// Parse an address field of either family into \p r, setting its family
void
ParseAddressField(const std::string& rule,
                  const std::string& field,
                  const std::string& v,
                  bool source,
                  GenesisMfRule& r)
{
    if (v == "any")
    {
        return;
    }
    const uint8_t family = v.find(':') != std::string::npos ? 6 : 4;
    if (r.family != 0 && r.family != family)
    {
        Bad(rule, field, "src and dst must be of the same address family (IPv4 or IPv6)");
    }
    r.family = family;
    if (family == 6)
    {
        ParseAddressRange6(rule,
                           field,
                           v,
                           source ? r.src6Lo : r.dst6Lo,
                           source ? r.src6Hi : r.dst6Hi);
        Ipv6Bytes& otherLo = source ? r.dst6Lo : r.src6Lo;
        Ipv6Bytes& otherHi = source ? r.dst6Hi : r.src6Hi;
        if (otherLo == Ipv6Bytes{} && otherHi == Ipv6Bytes{})
        {
            otherHi.fill(0xff); // the other side: any
        }
    }
    else if (source)
    {
        ParseAddressRange(rule, field, v, r.srcLo, r.srcHi);
    }
    else
    {
        ParseAddressRange(rule, field, v, r.dstLo, r.dstHi);
    }
}

void
ParsePortRange(const std::string& rule,
               const std::string& field,
               const std::string& v,
               uint16_t& lo,
               uint16_t& hi)
{
    const char* hint = "give a port (5000), a range (5000-5010) or any";
    if (v == "any")
    {
        lo = 0;
        hi = 65535;
        return;
    }
    auto dash = v.find('-');
    uint32_t a;
    uint32_t b;
    if (dash == std::string::npos)
    {
        if (!ParseNumber(v, 65535, a))
        {
            Bad(rule, field, hint);
        }
        b = a;
    }
    else if (!ParseNumber(v.substr(0, dash), 65535, a) ||
             !ParseNumber(v.substr(dash + 1), 65535, b) || a > b)
    {
        Bad(rule, field, hint);
    }
    lo = static_cast<uint16_t>(a);
    hi = static_cast<uint16_t>(b);
}
} // namespace

// ------------------------------------------------------------------ rule

bool
GenesisMfRule::Matches(const GenesisMfKey& k) const
{
    if (family == 4 && (k.ipv6 || k.src < srcLo || k.src > srcHi || k.dst < dstLo || k.dst > dstHi))
    {
        return false;
    }
    if (family == 6 &&
        (!k.ipv6 || k.src6 < src6Lo || k.src6 > src6Hi || k.dst6 < dst6Lo || k.dst6 > dst6Hi))
    {
        return false;
    }
    if (protocol >= 0 && k.protocol != protocol)
    {
        return false;
    }
    if (((dscpSet >> k.dscp) & 1) == 0)
    {
        return false;
    }
    const bool anyPorts =
        srcPortLo == 0 && srcPortHi == 65535 && dstPortLo == 0 && dstPortHi == 65535;
    if (anyPorts)
    {
        return true;
    }
    return k.hasPorts && k.srcPort >= srcPortLo && k.srcPort <= srcPortHi &&
           k.dstPort >= dstPortLo && k.dstPort <= dstPortHi;
}

GenesisMfRule
GenesisMfRule::FromString(const std::string& text)
{
    GenesisMfRule r;
    std::istringstream is(text);
    std::string tok;
    while (is >> tok)
    {
        std::string t = Lower(tok);
        if (t == "any")
        {
            continue;
        }
        auto eq = t.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == t.size())
        {
            Bad(text,
                tok,
                "write fields as key=value with keys src, dst, proto, sport, dport, "
                "dscp");
        }
        std::string key = t.substr(0, eq);
        std::string v = t.substr(eq + 1);
        if (key == "src" || key == "dst")
        {
            ParseAddressField(text, tok, v, key == "src", r);
        }
        else if (key == "proto")
        {
            uint32_t p;
            if (v == "any")
            {
                r.protocol = -1;
            }
            else if (v == "tcp")
            {
                r.protocol = TCP;
            }
            else if (v == "udp")
            {
                r.protocol = UDP;
            }
            else if (v == "icmp")
            {
                r.protocol = 1;
            }
            else if (ParseNumber(v, 255, p))
            {
                r.protocol = static_cast<int16_t>(p);
            }
            else
            {
                Bad(text, tok, "give tcp, udp, icmp, a number 0..255 or any");
            }
        }
        else if (key == "sport")
        {
            ParsePortRange(text, tok, v, r.srcPortLo, r.srcPortHi);
        }
        else if (key == "dport")
        {
            ParsePortRange(text, tok, v, r.dstPortLo, r.dstPortHi);
        }
        else if (key == "dscp")
        {
            if (v == "any")
            {
                r.dscpSet = ~uint64_t(0);
                continue;
            }
            r.dscpSet = 0;
            std::istringstream vs(v);
            std::string name;
            while (std::getline(vs, name, '|'))
            {
                uint8_t d;
                if (!GenesisDscp::Parse(name, d))
                {
                    Bad(text,
                        tok,
                        std::string("codepoints separated by | from ") + GenesisDscp::ACCEPTED);
                }
                r.dscpSet |= uint64_t(1) << d;
            }
            if (r.dscpSet == 0)
            {
                Bad(text,
                    tok,
                    std::string("give at least one codepoint: ") + GenesisDscp::ACCEPTED);
            }
        }
        else
        {
            Bad(text,
                tok,
                "unknown key '" + key + "'; keys are src, dst, proto, sport, dport, dscp");
        }
    }
    return r;
}

// ------------------------------------------------------------------ classifier

TypeId
GenesisMultiFieldClassifier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisMultiFieldClassifier")
            .SetParent<PacketFilter>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisMultiFieldClassifier>()
            .AddAttribute("Rules",
                          "Rules separated by ';' (see GenesisMfRule: e.g. \"src=10.0.0.0/24 "
                          "proto=udp dport=5000; dscp=EF\"); rule i returns i. Setting it "
                          "replaces every rule.",
                          StringValue(""),
                          MakeStringAccessor(&GenesisMultiFieldClassifier::SetRules,
                                             &GenesisMultiFieldClassifier::GetRules),
                          MakeStringChecker());
    return tid;
}

GenesisMultiFieldClassifier::GenesisMultiFieldClassifier()
{
}

GenesisMultiFieldClassifier::~GenesisMultiFieldClassifier()
{
}

void
GenesisMultiFieldClassifier::AddRule(const GenesisMfRule& rule, int32_t result)
{
    if (result < 0)
    {
        throw GenesisError("multi-field classifier: rule result " + std::to_string(result) +
                           " is negative; results are class numbers 0, 1, ...");
    }
    m_rules.emplace_back(rule, result);
}

void
GenesisMultiFieldClassifier::AddRule(const std::string& text, int32_t result)
{
    AddRule(GenesisMfRule::FromString(text), result);
}

void
GenesisMultiFieldClassifier::Clear()
{
    m_rules.clear();
    m_rulesText.clear();
}

std::size_t
GenesisMultiFieldClassifier::GetNRules() const
{
    return m_rules.size();
}

void
GenesisMultiFieldClassifier::SetRules(std::string text)
{
    std::vector<std::pair<GenesisMfRule, int32_t>> rules;
    std::istringstream is(text);
    std::string one;
    while (std::getline(is, one, ';'))
    {
        if (one.find_first_not_of(" \t\n") == std::string::npos)
        {
            continue;
        }
        rules.emplace_back(GenesisMfRule::FromString(one), static_cast<int32_t>(rules.size()));
    }
    m_rules = std::move(rules); // only once every rule parsed
    m_rulesText = text;
}

std::string
GenesisMultiFieldClassifier::GetRules() const
{
    return m_rulesText;
}

int32_t
GenesisMultiFieldClassifier::Classify(const GenesisMfKey& key) const
{
    for (const auto& [rule, result] : m_rules)
    {
        if (rule.Matches(key))
        {
            return result;
        }
    }
    return PF_NO_MATCH;
}

bool
GenesisMultiFieldClassifier::KeyFromPacket(Ptr<const Packet> packet, GenesisMfKey& key)
{
    uint8_t b[64];
    const uint32_t n = packet->CopyData(b, sizeof(b));
    if (n >= 40 && (b[0] >> 4) == 6)
    {
        key.ipv6 = true;
        key.dscp = static_cast<uint8_t>((((b[0] & 0x0f) << 4) | (b[1] >> 4)) >> 2);
        key.protocol = b[6];
        std::copy(b + 8, b + 24, key.src6.begin());
        std::copy(b + 24, b + 40, key.dst6.begin());
        key.hasPorts = (key.protocol == TCP || key.protocol == UDP) && n >= 44;
        if (key.hasPorts)
        {
            key.srcPort = (b[40] << 8) | b[41];
            key.dstPort = (b[42] << 8) | b[43];
        }
        return true;
    }
    if (n < 20 || (b[0] >> 4) != 4)
    {
        return false;
    }
    key.ipv6 = false;
    const uint32_t ihl = (b[0] & 0x0f) * 4u;
    key.dscp = b[1] >> 2;
    key.protocol = b[9];
    key.src = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) | (uint32_t(b[14]) << 8) | b[15];
    key.dst = (uint32_t(b[16]) << 24) | (uint32_t(b[17]) << 16) | (uint32_t(b[18]) << 8) | b[19];
    const uint16_t fragOffset = ((b[6] & 0x1f) << 8) | b[7];
    key.hasPorts = (key.protocol == TCP || key.protocol == UDP) && fragOffset == 0 && ihl >= 20 &&
                   n >= ihl + 4;
    if (key.hasPorts)
    {
        key.srcPort = (b[ihl] << 8) | b[ihl + 1];
        key.dstPort = (b[ihl + 2] << 8) | b[ihl + 3];
    }
    return true;
}

void
GenesisMultiFieldClassifier::KeyFromHeader(const Ipv4Header& header,
                                           Ptr<const Packet> payload,
                                           GenesisMfKey& key)
{
    key.src = header.GetSource().Get();
    key.dst = header.GetDestination().Get();
    key.protocol = header.GetProtocol();
    key.dscp = header.GetDscp();
    key.hasPorts = false;
    if ((key.protocol == TCP || key.protocol == UDP) && header.GetFragmentOffset() == 0 &&
        payload && payload->GetSize() >= 4)
    {
        uint8_t b[4];
        payload->CopyData(b, 4);
        key.hasPorts = true;
        key.srcPort = (b[0] << 8) | b[1];
        key.dstPort = (b[2] << 8) | b[3];
    }
}

void
GenesisMultiFieldClassifier::KeyFromHeader(const Ipv6Header& header,
                                           Ptr<const Packet> payload,
                                           GenesisMfKey& key)
{
    key.ipv6 = true;
    header.GetSource().GetBytes(key.src6.data());
    header.GetDestination().GetBytes(key.dst6.data());
    key.protocol = header.GetNextHeader();
    key.dscp = static_cast<uint8_t>(header.GetDscp());
    key.hasPorts = false;
    if ((key.protocol == TCP || key.protocol == UDP) && payload && payload->GetSize() >= 4)
    {
        uint8_t b[4];
        payload->CopyData(b, 4);
        key.hasPorts = true;
        key.srcPort = (b[0] << 8) | b[1];
        key.dstPort = (b[2] << 8) | b[3];
    }
}

int32_t
GenesisMultiFieldClassifier::ClassifyPacket(Ptr<const Packet> packet) const
{
    GenesisMfKey key;
    if (!KeyFromPacket(packet, key))
    {
        return PF_NO_MATCH;
    }
    return Classify(key);
}

int32_t
GenesisMultiFieldClassifier::ClassifyHeader(const Ipv4Header& header,
                                            Ptr<const Packet> payload) const
{
    GenesisMfKey key;
    KeyFromHeader(header, payload, key);
    return Classify(key);
}

int32_t
GenesisMultiFieldClassifier::ClassifyHeader(const Ipv6Header& header,
                                            Ptr<const Packet> payload) const
{
    GenesisMfKey key;
    KeyFromHeader(header, payload, key);
    return Classify(key);
}

bool
GenesisMultiFieldClassifier::CheckProtocol(Ptr<QueueDiscItem> item) const
{
    return item->GetProtocol() == IPV4_ETHERTYPE || item->GetProtocol() == IPV6_ETHERTYPE;
}

int32_t
GenesisMultiFieldClassifier::DoClassify(Ptr<QueueDiscItem> item) const
{
    if (auto v4 = dynamic_cast<const Ipv4QueueDiscItem*>(PeekPointer(item)))
    {
        return ClassifyHeader(v4->GetHeader(), item->GetPacket());
    }
    if (auto v6 = dynamic_cast<const Ipv6QueueDiscItem*>(PeekPointer(item)))
    {
        return ClassifyHeader(v6->GetHeader(), item->GetPacket());
    }
    return PF_NO_MATCH;
}

} // namespace ns3
