/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_MULTI_FIELD_CLASSIFIER_H
#define GENESIS_MULTI_FIELD_CLASSIFIER_H

#include "ns3/ipv4-header.h"
#include "ns3/ipv6-header.h"
#include "ns3/packet-filter.h"
#include "ns3/packet.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The fields a multi-field classifier looks at (host byte order).
 */
struct GenesisMfKey
{
    bool ipv6{false};               //!< an IPv6 packet (src6/dst6 hold its addresses)
    uint32_t src{0};                //!< IPv4 source address
    uint32_t dst{0};                //!< IPv4 destination address
    std::array<uint8_t, 16> src6{}; //!< IPv6 source address (network byte order)
    std::array<uint8_t, 16> dst6{}; //!< IPv6 destination address (network byte order)
    uint8_t protocol{0};            //!< IPv4 protocol / IPv6 next header
    uint8_t dscp{0};                //!< DS codepoint
    bool hasPorts{false};           //!< ports present (TCP/UDP, first fragment)
    uint16_t srcPort{0};            //!< source port
    uint16_t dstPort{0};            //!< destination port
};

/**
 * \ingroup genesis
 *
 * \brief One rule of the multi-field classifier: every field is a range (or
 * a set, for the DSCP); a wildcard is the full range.
 *
 * Text form (FromString), fields separated by spaces, all optional:
 * `src=10.1.0.0/16 dst=10.2.0.5-10.2.0.9 proto=udp sport=any dport=5000-5010
 * dscp=AF11|AF12|EF`. Addresses: an address, a prefix a.b.c.d/len or a range
 * lo-hi, IPv4 or IPv6 (`src=2001:db8::/32`, `dst=2001:db8::1-2001:db8::9`);
 * a rule with IPv4 addresses matches only IPv4 packets, one with IPv6
 * addresses only IPv6 packets, one without addresses both. Protocol (the
 * IPv4 protocol or the IPv6 next header): tcp, udp, icmp or 0..255. Ports: n or lo-hi (a rule with
 * a port range other than any matches only TCP/UDP first fragments). `any` (or an empty text)
 * matches everything.
 */
struct GenesisMfRule
{
    uint32_t srcLo{0};          //!< lowest source address
    uint32_t srcHi{0xffffffff}; //!< highest source address
    uint32_t dstLo{0};          //!< lowest destination address
    uint32_t dstHi{0xffffffff}; //!< highest destination address
    /// address family the addresses constrain: 0 any (no address given), 4, 6
    uint8_t family{0};
    /// \name IPv6 address ranges (used when family is 6; network byte order)
    //@{
    std::array<uint8_t, 16> src6Lo{}; //!< lowest IPv6 source address
    std::array<uint8_t, 16> src6Hi{}; //!< highest IPv6 source address
    std::array<uint8_t, 16> dst6Lo{}; //!< lowest IPv6 destination address
    std::array<uint8_t, 16> dst6Hi{}; //!< highest IPv6 destination address
    //@}
    int16_t protocol{-1};           //!< protocol, -1 = any
    uint16_t srcPortLo{0};          //!< lowest source port
    uint16_t srcPortHi{65535};      //!< highest source port
    uint16_t dstPortLo{0};          //!< lowest destination port
    uint16_t dstPortHi{65535};      //!< highest destination port
    uint64_t dscpSet{~uint64_t(0)}; //!< bit d set: codepoint d matches

    /// \param k the key \return true if every field matches
    bool Matches(const GenesisMfKey& k) const;
    /**
     * \brief Parse the text form.
     * \param text the rule
     * \return the rule
     * \throws GenesisError naming the bad field and the accepted forms
     */
    static GenesisMfRule FromString(const std::string& text);
};

/**
 * \ingroup genesis
 *
 * \brief Multi-field (MF) classifier of DiffServ (RFC 2475 §2.3.1): 5-tuple,
 * DSCP and address ranges; the first rule that matches wins.
 *
 * Usable three ways: as an ns-3 PacketFilter of a queue disc (DoClassify on
 * an Ipv4QueueDiscItem returns the result of the first matching rule, or
 * PF_NO_MATCH), on a Ptr<Packet> that starts with its IPv4 header
 * (ClassifyPacket: reads the first bytes, no copy of the packet), or on a
 * header plus payload (ClassifyHeader). IPv4 and IPv6 (Ipv4QueueDiscItem,
 * Ipv6QueueDiscItem, packets starting with either header). IPv6 extension
 * headers are not walked: the protocol is the fixed header's next header,
 * and ports are read only when it is TCP or UDP.
 *
 * Rules come from AddRule() or from the Rules attribute (rules separated by
 * ';', results 0, 1, ... in order).
 */
class GenesisMultiFieldClassifier : public PacketFilter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisMultiFieldClassifier();
    ~GenesisMultiFieldClassifier() override;

    /**
     * \brief Append a rule.
     * \param rule the rule
     * \param result what a match returns (>= 0)
     * \throws GenesisError if result is negative
     */
    void AddRule(const GenesisMfRule& rule, int32_t result);
    /**
     * \brief Append a rule in text form (see GenesisMfRule).
     * \param text the rule
     * \param result what a match returns (>= 0)
     * \throws GenesisError on a bad rule
     */
    void AddRule(const std::string& text, int32_t result);
    /// \brief Remove all rules.
    void Clear();
    /// \return number of rules
    std::size_t GetNRules() const;

    using PacketFilter::Classify; // Classify(Ptr<QueueDiscItem>) of a queue disc's filters

    /// \param key fields \return result of the first matching rule, or PF_NO_MATCH
    int32_t Classify(const GenesisMfKey& key) const;
    /// \param packet a packet starting with its IPv4 header \return result or PF_NO_MATCH
    int32_t ClassifyPacket(Ptr<const Packet> packet) const;
    /**
     * \param header the IPv4 header
     * \param payload the packet after the header (for the ports)
     * \return result or PF_NO_MATCH
     */
    int32_t ClassifyHeader(const Ipv4Header& header, Ptr<const Packet> payload) const;
    /**
     * \param header the IPv6 header
     * \param payload the packet after the header (for the ports)
     * \return result or PF_NO_MATCH
     */
    int32_t ClassifyHeader(const Ipv6Header& header, Ptr<const Packet> payload) const;

    /**
     * \brief Read the key of a packet that starts with an IPv4 or IPv6 header.
     * \param packet the packet
     * \param[out] key the fields
     * \return false if the packet starts with neither
     */
    static bool KeyFromPacket(Ptr<const Packet> packet, GenesisMfKey& key);
    /**
     * \brief Read the key of an IPv4 header and its payload.
     * \param header the header
     * \param payload what follows it
     * \param[out] key the fields
     */
    static void KeyFromHeader(const Ipv4Header& header,
                              Ptr<const Packet> payload,
                              GenesisMfKey& key);
    /**
     * \brief Read the key of an IPv6 header and its payload.
     * \param header the header
     * \param payload what follows it
     * \param[out] key the fields
     */
    static void KeyFromHeader(const Ipv6Header& header,
                              Ptr<const Packet> payload,
                              GenesisMfKey& key);

  private:
    bool CheckProtocol(Ptr<QueueDiscItem> item) const override;
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;

    /// \param text rules separated by ';' \throws GenesisError on a bad rule
    void SetRules(std::string text);
    /// \return the Rules attribute text
    std::string GetRules() const;

    std::vector<std::pair<GenesisMfRule, int32_t>> m_rules; //!< rules in order, with results
    std::string m_rulesText;                                //!< Rules attribute
};

} // namespace ns3

#endif /* GENESIS_MULTI_FIELD_CLASSIFIER_H */
