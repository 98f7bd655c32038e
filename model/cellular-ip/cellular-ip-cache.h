/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CELLULAR_IP_CACHE_H
#define GENESIS_CELLULAR_IP_CACHE_H

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief A Cellular IP soft-state cache: the route cache or the paging cache
 * of one node.
 *
 * Maps a mobile host's address to the interface (and neighbour) its uplink
 * packets arrived on. Every mapping expires Timeout after its last refresh
 * unless refreshed again (soft state, draft-valko-cellularip §2.1/§2.2). A
 * host normally has one mapping; during a semisoft handoff the crossover node
 * holds two, the new one marked semisoft (its packets are delayed by the
 * routing's SemisoftDelay).
 *
 * Update rules (the interface a packet arrived on is i):
 *  - a mapping on i exists: it is refreshed; if the update is regular and the
 *    mapping was semisoft, the handoff is complete: the mapping becomes
 *    regular and the other mappings are removed (reason "handoff");
 *  - no mapping on i, regular update: hard handoff or first contact; i
 *    replaces every other mapping;
 *  - no mapping on i, semisoft update: i is added beside the existing mapping
 *    and marked semisoft (this node is the crossover node), or added as a
 *    regular mapping if there is none.
 */
class GenesisCellularIpCache : public Object
{
  public:
    /// One mapping.
    struct Mapping
    {
        uint32_t interface;    //!< the IPv4 interface index packets go down
        Ipv4Address neighbour; //!< the downstream neighbour (0.0.0.0: send to the host)
        Time expires;          //!< the time the mapping expires unless refreshed
        bool semisoft;         //!< the new path of a semisoft handoff (delayed)
    };

    /// \return the TypeId
    static TypeId GetTypeId();
    GenesisCellularIpCache();

    /// \param timeout how long a mapping lives after its last refresh
    void SetTimeout(Time timeout);
    /// \return the timeout
    Time GetTimeout() const;

    /**
     * Learn from an uplink packet of \p mobile that arrived on \p interface.
     * \param mobile the mobile host
     * \param interface the interface the packet arrived on
     * \param neighbour the neighbour it came from (0.0.0.0 when unknown)
     * \param semisoft whether the packet was a semisoft route-update
     * \return true if the cache changed its forwarding (a mapping was added)
     */
    bool Update(Ipv4Address mobile, uint32_t interface, Ipv4Address neighbour, bool semisoft);

    /// \param mobile the host \return its live mappings (empty if none)
    std::vector<Mapping> Lookup(Ipv4Address mobile) const;
    /// \return the number of hosts with at least one mapping
    uint32_t GetSize() const;
    /// \param mobile the host; removes all its mappings (no trace)
    void Purge(Ipv4Address mobile);
    /// Remove every mapping (no trace), cancelling the expiry checks.
    void Clear();

    /// TracedCallback signature: host, interface.
    typedef void (*MappingTracedCallback)(Ipv4Address mobile, uint32_t interface);
    /// TracedCallback signature: host, interface, semisoft.
    typedef void (*AddTracedCallback)(Ipv4Address mobile, uint32_t interface, bool semisoft);

  protected:
    void DoDispose() override;

  private:
    /// All mappings of one host and its expiry check.
    struct Entry
    {
        std::vector<Mapping> mappings; //!< one, or two during a semisoft handoff
        EventId check;                 //!< the next expiry check
    };

    /// Expire the due mappings of \p mobile and schedule the next check.
    void Expire(Ipv4Address mobile);
    /// Make sure a check is pending for \p mobile.
    void ScheduleCheck(Ipv4Address mobile, Entry& e);

    Time m_timeout;                                         //!< mapping lifetime
    std::map<Ipv4Address, Entry> m_entries;                 //!< host → mappings
    TracedCallback<Ipv4Address, uint32_t, bool> m_addTrace; //!< mapping added
    TracedCallback<Ipv4Address, uint32_t> m_refreshTrace;   //!< mapping refreshed
    TracedCallback<Ipv4Address, uint32_t> m_expireTrace;    //!< mapping expired
    TracedCallback<Ipv4Address, uint32_t> m_replaceTrace;   //!< mapping replaced (handoff)
};

} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_CACHE_H */
