/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "arbitrator-queue-disc-class.h"

#include "arbitrator-queue-disc.h"
#include "genesis-error.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisArbitratorQueueDiscClass");
NS_OBJECT_ENSURE_REGISTERED(ArbitratorQueueDiscClass);

TypeId
ArbitratorQueueDiscClass::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ArbitratorQueueDiscClass")
            .SetParent<QueueDiscClass>()
            .SetGroupName("Genesis")
            .AddConstructor<ArbitratorQueueDiscClass>()
            .AddAttribute("NetworkId",
                          "Id of the network served by this class (fixed while attached).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&ArbitratorQueueDiscClass::SetNetworkIdAttr,
                                               &ArbitratorQueueDiscClass::GetNetworkId),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("CapacityClass",
                          "Capacity class; a change is admission-checked by the arbitrator.",
                          EnumValue(BEST_EFFORT),
                          MakeEnumAccessor(&ArbitratorQueueDiscClass::SetCapacityClassAttr,
                                           &ArbitratorQueueDiscClass::GetCapacityClass),
                          MakeEnumChecker(CONSTANT,
                                          "Constant",
                                          CONTROLLED,
                                          "Controlled",
                                          BEST_EFFORT,
                                          "BestEffort"))
            .AddAttribute("Rate",
                          "Peak (Constant) or guaranteed average (Controlled) rate; a change "
                          "is admission-checked by the arbitrator.",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&ArbitratorQueueDiscClass::SetRateAttr,
                                               &ArbitratorQueueDiscClass::GetRate),
                          MakeDataRateChecker())
            .AddAttribute("Share",
                          "Weight of a BestEffort class among the best-effort classes of its "
                          "arbitrator (> 0).",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&ArbitratorQueueDiscClass::SetShareAttr,
                                             &ArbitratorQueueDiscClass::GetShare),
                          MakeDoubleChecker<double>())
            .AddAttribute("Burst",
                          "Token bucket depth of a Constant class, in bytes: the most it may "
                          "send back-to-back above its peak rate. Should be at least one "
                          "packet (MTU plus headers).",
                          UintegerValue(1600),
                          MakeUintegerAccessor(&ArbitratorQueueDiscClass::SetBurstAttr,
                                               &ArbitratorQueueDiscClass::GetBurst),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

ArbitratorQueueDiscClass::ArbitratorQueueDiscClass()
    : m_networkId(0),
      m_capacityClass(BEST_EFFORT),
      m_rate(DataRate("1Mbps")),
      m_share(1.0),
      m_burst(1600),
      m_owner(nullptr),
      m_disc(nullptr),
      m_nested(nullptr),
      m_state(IDLE),
      m_order(0),
      m_weight(1.0),
      m_invWeight(1.0),
      m_start(0.0),
      m_finish(0.0),
      m_headLen(0),
      m_wake(0),
      m_tokens(0.0),
      m_tokenTime(0)
{
    NS_LOG_FUNCTION(this);
}

ArbitratorQueueDiscClass::~ArbitratorQueueDiscClass()
{
    NS_LOG_FUNCTION(this);
}

void
ArbitratorQueueDiscClass::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_owner = nullptr;
    m_disc = nullptr;
    m_nested = nullptr;
    QueueDiscClass::DoDispose();
}

uint32_t
ArbitratorQueueDiscClass::GetNetworkId() const
{
    return m_networkId;
}

ArbitratorQueueDiscClass::CapacityClass
ArbitratorQueueDiscClass::GetCapacityClass() const
{
    return m_capacityClass;
}

DataRate
ArbitratorQueueDiscClass::GetRate() const
{
    return m_rate;
}

double
ArbitratorQueueDiscClass::GetShare() const
{
    return m_share;
}

uint32_t
ArbitratorQueueDiscClass::GetBurst() const
{
    return m_burst;
}

double
ArbitratorQueueDiscClass::GetWeight() const
{
    return m_weight;
}

bool
ArbitratorQueueDiscClass::IsAttached() const
{
    return m_owner != nullptr;
}

const char*
ArbitratorQueueDiscClass::CapacityClassName(CapacityClass cc)
{
    switch (cc)
    {
    case CONSTANT:
        return "constant";
    case CONTROLLED:
        return "controlled";
    case BEST_EFFORT:
        return "best-effort";
    }
    return "unknown";
}

void
ArbitratorQueueDiscClass::SetNetworkIdAttr(uint32_t id)
{
    if (m_owner != nullptr && id != m_networkId)
    {
        std::ostringstream oss;
        oss << m_owner->Describe() << ": network " << m_networkId << ": NetworkId cannot change to "
            << id << " while the class is attached; remove the class and add a new one";
        throw GenesisError(oss.str());
    }
    m_networkId = id;
}

void
ArbitratorQueueDiscClass::SetCapacityClassAttr(CapacityClass cc)
{
    if (m_owner != nullptr)
    {
        m_owner->Reprovision(m_networkId, cc, m_rate, m_share);
        return;
    }
    m_capacityClass = cc;
}

void
ArbitratorQueueDiscClass::SetRateAttr(DataRate rate)
{
    if (m_owner != nullptr)
    {
        m_owner->Reprovision(m_networkId, m_capacityClass, rate, m_share);
        return;
    }
    m_rate = rate;
}

void
ArbitratorQueueDiscClass::SetShareAttr(double share)
{
    if (m_owner != nullptr)
    {
        m_owner->Reprovision(m_networkId, m_capacityClass, m_rate, share);
        return;
    }
    m_share = share;
}

void
ArbitratorQueueDiscClass::SetBurstAttr(uint32_t burst)
{
    m_burst = burst;
    if (m_tokens > burst)
    {
        m_tokens = burst;
    }
    if (m_owner != nullptr)
    {
        m_owner->ClassChanged(this);
    }
}

void
ArbitratorQueueDiscClass::ChildDropBeforeEnqueue(Ptr<const QueueDiscItem> item, const char* reason)
{
    if (m_owner != nullptr)
    {
        m_owner->ChildDropBeforeEnqueue(this, item, reason);
    }
}

void
ArbitratorQueueDiscClass::ChildDropAfterDequeue(Ptr<const QueueDiscItem> item, const char* reason)
{
    if (m_owner != nullptr)
    {
        m_owner->ChildDropAfterDequeue(this, item, reason);
    }
}

void
ArbitratorQueueDiscClass::ChildMark(Ptr<const QueueDiscItem> item, const char* reason)
{
    if (m_owner != nullptr)
    {
        m_owner->ChildMark(this, item, reason);
    }
}

} // namespace ns3
