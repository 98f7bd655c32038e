/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cellular-ip-cache.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisCellularIpCache");
NS_OBJECT_ENSURE_REGISTERED(GenesisCellularIpCache);

TypeId
GenesisCellularIpCache::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisCellularIpCache")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisCellularIpCache>()
            .AddAttribute("Timeout",
                          "How long a mapping lives after its last refresh (route-timeout or "
                          "paging-timeout).",
                          TimeValue(Seconds(3)),
                          MakeTimeAccessor(&GenesisCellularIpCache::m_timeout),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Add",
                            "A mapping was added: host, interface, semisoft.",
                            MakeTraceSourceAccessor(&GenesisCellularIpCache::m_addTrace),
                            "ns3::GenesisCellularIpCache::AddTracedCallback")
            .AddTraceSource("Refresh",
                            "A mapping was refreshed: host, interface.",
                            MakeTraceSourceAccessor(&GenesisCellularIpCache::m_refreshTrace),
                            "ns3::GenesisCellularIpCache::MappingTracedCallback")
            .AddTraceSource("Expire",
                            "A mapping expired: host, interface.",
                            MakeTraceSourceAccessor(&GenesisCellularIpCache::m_expireTrace),
                            "ns3::GenesisCellularIpCache::MappingTracedCallback")
            .AddTraceSource("Replace",
                            "A mapping was removed by a handoff: host, old interface.",
                            MakeTraceSourceAccessor(&GenesisCellularIpCache::m_replaceTrace),
                            "ns3::GenesisCellularIpCache::MappingTracedCallback");
    return tid;
}

GenesisCellularIpCache::GenesisCellularIpCache()
    : m_timeout(Seconds(3))
{
}

void
GenesisCellularIpCache::DoDispose()
{
    Clear();
    Object::DoDispose();
}

void
GenesisCellularIpCache::Clear()
{
    for (auto& kv : m_entries)
    {
        kv.second.check.Cancel();
    }
    m_entries.clear();
}

void
GenesisCellularIpCache::SetTimeout(Time timeout)
{
    m_timeout = timeout;
}

Time
GenesisCellularIpCache::GetTimeout() const
{
    return m_timeout;
}

bool
GenesisCellularIpCache::Update(Ipv4Address mobile,
                               uint32_t interface,
                               Ipv4Address neighbour,
                               bool semisoft)
{
    Time expires = Simulator::Now() + m_timeout;
    Entry& e = m_entries[mobile];
    auto it = e.mappings.begin();
    for (; it != e.mappings.end(); ++it)
    {
        if (it->interface == interface)
        {
            break;
        }
    }
    bool added = false;
    if (it != e.mappings.end())
    {
        it->expires = expires;
        it->neighbour = neighbour;
        m_refreshTrace(mobile, interface);
        if (!semisoft && it->semisoft)
        {
            // The host has switched to the new path: the semisoft mapping
            // becomes the only one.
            Mapping keep = *it;
            keep.semisoft = false;
            for (const auto& m : e.mappings)
            {
                if (m.interface != interface)
                {
                    m_replaceTrace(mobile, m.interface);
                }
            }
            e.mappings.assign(1, keep);
        }
    }
    else if (semisoft && !e.mappings.empty())
    {
        e.mappings.push_back(Mapping{interface, neighbour, expires, true});
        m_addTrace(mobile, interface, true);
        added = true;
    }
    else
    {
        for (const auto& m : e.mappings)
        {
            m_replaceTrace(mobile, m.interface);
        }
        e.mappings.assign(1, Mapping{interface, neighbour, expires, false});
        m_addTrace(mobile, interface, false);
        added = true;
    }
    ScheduleCheck(mobile, e);
    return added;
}

void
GenesisCellularIpCache::ScheduleCheck(Ipv4Address mobile, Entry& e)
{
    if (e.check.IsRunning() || e.mappings.empty())
    {
        return;
    }
    Time first = e.mappings.front().expires;
    for (const auto& m : e.mappings)
    {
        first = std::min(first, m.expires);
    }
    e.check = Simulator::Schedule(first - Simulator::Now(),
                                  &GenesisCellularIpCache::Expire,
                                  this,
                                  mobile);
}

void
GenesisCellularIpCache::Expire(Ipv4Address mobile)
{
    auto found = m_entries.find(mobile);
    if (found == m_entries.end())
    {
        return;
    }
    Entry& e = found->second;
    Time now = Simulator::Now();
    std::vector<Mapping> keep;
    for (const auto& m : e.mappings)
    {
        if (m.expires <= now)
        {
            NS_LOG_LOGIC("mapping " << mobile << " -> if " << m.interface << " expired");
            m_expireTrace(mobile, m.interface);
        }
        else
        {
            keep.push_back(m);
        }
    }
    if (keep.empty())
    {
        m_entries.erase(found);
        return;
    }
    if (keep.size() == 1)
    {
        keep.front().semisoft = false; // the other path is gone: no more delay
    }
    e.mappings = keep;
    ScheduleCheck(mobile, e);
}

std::vector<GenesisCellularIpCache::Mapping>
GenesisCellularIpCache::Lookup(Ipv4Address mobile) const
{
    auto found = m_entries.find(mobile);
    if (found == m_entries.end())
    {
        return {};
    }
    std::vector<Mapping> live;
    Time now = Simulator::Now();
    for (const auto& m : found->second.mappings)
    {
        if (m.expires > now)
        {
            live.push_back(m);
        }
    }
    return live;
}

uint32_t
GenesisCellularIpCache::GetSize() const
{
    return m_entries.size();
}

void
GenesisCellularIpCache::Purge(Ipv4Address mobile)
{
    auto found = m_entries.find(mobile);
    if (found != m_entries.end())
    {
        found->second.check.Cancel();
        m_entries.erase(found);
    }
}

} // namespace ns3
