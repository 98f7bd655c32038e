/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "cellular-ip-low-priority-discard.h"

#include "ns3/double.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisLowPriorityDiscardQueueDisc");
NS_OBJECT_ENSURE_REGISTERED(GenesisLowPriorityDiscardQueueDisc);

TypeId
GenesisLowPriorityDiscardQueueDisc::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisLowPriorityDiscardQueueDisc")
            .SetParent<QueueDisc>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisLowPriorityDiscardQueueDisc>()
            .AddAttribute("MaxSize",
                          "The capacity of the port.",
                          QueueSizeValue(QueueSize("100p")),
                          MakeQueueSizeAccessor(&QueueDisc::SetMaxSize, &QueueDisc::GetMaxSize),
                          MakeQueueSizeChecker())
            .AddAttribute("LowPriorityThreshold",
                          "Fraction of MaxSize above which low-priority packets are discarded.",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&GenesisLowPriorityDiscardQueueDisc::m_threshold),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute(
                "HighPrecedence",
                "Minimal IPv4 precedence (TOS >> 5) of a high-priority packet.",
                UintegerValue(1),
                MakeUintegerAccessor(&GenesisLowPriorityDiscardQueueDisc::m_highPrecedence),
                MakeUintegerChecker<uint8_t>(0, 7));
    return tid;
}

GenesisLowPriorityDiscardQueueDisc::GenesisLowPriorityDiscardQueueDisc()
    : QueueDisc(QueueDiscSizePolicy::SINGLE_INTERNAL_QUEUE),
      m_threshold(0.5),
      m_highPrecedence(1)
{
}

GenesisLowPriorityDiscardQueueDisc::~GenesisLowPriorityDiscardQueueDisc() = default;

bool
GenesisLowPriorityDiscardQueueDisc::IsHighPriority(Ptr<const QueueDiscItem> item) const
{
    Ptr<const Ipv4QueueDiscItem> ip = DynamicCast<const Ipv4QueueDiscItem>(item);
    if (!ip)
    {
        return true;
    }
    return (ip->GetHeader().GetTos() >> 5) >= m_highPrecedence;
}

bool
GenesisLowPriorityDiscardQueueDisc::DoEnqueue(Ptr<QueueDiscItem> item)
{
    QueueSize max = GetMaxSize();
    if (GetCurrentSize() + item > max)
    {
        DropBeforeEnqueue(item, LIMIT_EXCEEDED_DROP);
        return false;
    }
    // Same unit as MaxSize: packets or bytes.
    double fill = double(GetCurrentSize().GetValue()) / max.GetValue();
    if (fill >= m_threshold && !IsHighPriority(item))
    {
        DropBeforeEnqueue(item, LOW_PRIORITY_DROP);
        return false;
    }
    return GetInternalQueue(0)->Enqueue(item);
}

Ptr<QueueDiscItem>
GenesisLowPriorityDiscardQueueDisc::DoDequeue()
{
    return GetInternalQueue(0)->Dequeue();
}

bool
GenesisLowPriorityDiscardQueueDisc::CheckConfig()
{
    if (GetNQueueDiscClasses() > 0 || GetNPacketFilters() > 0)
    {
        NS_LOG_ERROR("GenesisLowPriorityDiscardQueueDisc takes no classes and no filters");
        return false;
    }
    if (GetNInternalQueues() == 0)
    {
        AddInternalQueue(
            CreateObjectWithAttributes<DropTailQueue<QueueDiscItem>>("MaxSize",
                                                                     QueueSizeValue(GetMaxSize())));
    }
    return GetNInternalQueues() == 1;
}

void
GenesisLowPriorityDiscardQueueDisc::InitializeParams()
{
}

} // namespace ns3
