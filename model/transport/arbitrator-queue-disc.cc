/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "arbitrator-queue-disc.h"

#include "genesis-error.h"
#include "genesis-label-filter.h"

#include "ns3/data-rate.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/object-factory.h"
#include "ns3/object-vector.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisArbitratorQueueDisc");
NS_OBJECT_ENSURE_REGISTERED(ArbitratorQueueDisc);

// ---------------------------------------------------------------------------
// The one place where the arbitrator reaches into QueueDisc's private part.
//
// QueueDisc::AddQueueDiscClass wires a child's "Enqueue"/"Dequeue" traces to
// the private QueueDisc::PacketEnqueued / PacketDequeued, which keep the
// parent's packet/byte counters and statistics. ns-3.37 cannot remove a class
// again, so the arbitrator keeps its own classes and must be able to both
// connect and disconnect exactly those two callbacks. The C++ standard
// ([temp.explicit], C++17 17.7.2/12: "the usual access checking rules do not
// apply to names used to specify explicit instantiations") lets an explicit
// instantiation name a private member; the instantiated template hands the
// member pointer out through a friend function. Nothing else is accessed, and
// the members are only used exactly as AddQueueDiscClass uses them.
// ---------------------------------------------------------------------------
namespace
{
/// Tag naming QueueDisc::PacketEnqueued
struct QdPacketEnqueuedTag
{
    /// member pointer type
    using type = void (QueueDisc::*)(Ptr<const QueueDiscItem>);
    /// \return the member pointer (defined by the explicit instantiation below)
    friend type GetMember(QdPacketEnqueuedTag);
};

/// Tag naming QueueDisc::PacketDequeued
struct QdPacketDequeuedTag
{
    /// member pointer type
    using type = void (QueueDisc::*)(Ptr<const QueueDiscItem>);
    /// \return the member pointer (defined by the explicit instantiation below)
    friend type GetMember(QdPacketDequeuedTag);
};

/// Defines GetMember(Tag) to return member pointer M
template <typename Tag, typename Tag::type M>
struct MemberAccess
{
    /// \return M
    friend typename Tag::type GetMember(Tag)
    {
        return M;
    }
};

template struct MemberAccess<QdPacketEnqueuedTag, &QueueDisc::PacketEnqueued>;
template struct MemberAccess<QdPacketDequeuedTag, &QueueDisc::PacketDequeued>;

/// Tolerance on token comparisons (bytes), absorbs floating-point rounding
constexpr double TOKEN_EPSILON = 1e-6;
} // namespace

TypeId
ArbitratorQueueDisc::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ArbitratorQueueDisc")
            .SetParent<QueueDisc>()
            .SetGroupName("Genesis")
            .AddConstructor<ArbitratorQueueDisc>()
            .AddAttribute("Classes",
                          "The classes of the arbitrator (one per network), in insertion "
                          "order; e.g. .../Classes/*/Rate re-provisions a class.",
                          ObjectVectorValue(),
                          MakeObjectVectorAccessor(&ArbitratorQueueDisc::GetClass,
                                                   &ArbitratorQueueDisc::GetNClasses),
                          MakeObjectVectorChecker<ArbitratorQueueDiscClass>())
            .AddAttribute("LinkRate",
                          "Capacity this arbitrator divides: the device rate for a root "
                          "arbitrator, the guaranteed rate of its network when nested. 0 is "
                          "allowed only when every class is BestEffort. Lowering it below the "
                          "guaranteed rates is refused.",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&ArbitratorQueueDisc::SetLinkRate,
                                               &ArbitratorQueueDisc::GetLinkRate),
                          MakeDataRateChecker())
            .AddAttribute("Depth",
                          "Nesting depth of the network this arbitrator belongs to (0: root "
                          "network); it classifies on shim label Depth. Set automatically "
                          "when the arbitrator is added as a class child.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&ArbitratorQueueDisc::m_depth),
                          MakeUintegerChecker<uint32_t>(0, 14))
            .AddAttribute("OwnNetworkId",
                          "Network id of this arbitrator's own traffic (unmatched and unknown "
                          "ids go there). Set before initialization.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&ArbitratorQueueDisc::m_ownNetworkId),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Protocol",
                          "IPv4 protocol / IPv6 next header of Genesis packets, for the "
                          "default label filter.",
                          UintegerValue(253),
                          MakeUintegerAccessor(&ArbitratorQueueDisc::m_protocol),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("OwnQueueDiscType",
                          "TypeId name of the child disc of the own-network class created at "
                          "initialization when none was added (a BestEffort class, Share 1).",
                          StringValue("ns3::FqCoDelQueueDisc"),
                          MakeStringAccessor(&ArbitratorQueueDisc::m_ownQueueDiscType),
                          MakeStringChecker())
            .AddAttribute("BlockedRetry",
                          "How long to wait before peeking again a non-arbitrator child disc "
                          "that holds packets but returned none (a non-work-conserving child).",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&ArbitratorQueueDisc::m_blockedRetry),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddTraceSource("ClassEnqueue",
                            "A packet entered the class of a network",
                            MakeTraceSourceAccessor(&ArbitratorQueueDisc::m_traceClassEnqueue),
                            "ns3::ArbitratorQueueDisc::ClassItemTracedCallback")
            .AddTraceSource("ClassDequeue",
                            "A packet left the class of a network",
                            MakeTraceSourceAccessor(&ArbitratorQueueDisc::m_traceClassDequeue),
                            "ns3::ArbitratorQueueDisc::ClassItemTracedCallback")
            .AddTraceSource("ClassDrop",
                            "A packet of a network was dropped (by its child disc, or torn "
                            "down), with the reason",
                            MakeTraceSourceAccessor(&ArbitratorQueueDisc::m_traceClassDrop),
                            "ns3::ArbitratorQueueDisc::ClassDropTracedCallback")
            .AddTraceSource("ClassBacklog",
                            "Bytes queued in the class of a network, after each enqueue and "
                            "dequeue",
                            MakeTraceSourceAccessor(&ArbitratorQueueDisc::m_traceClassBacklog),
                            "ns3::ArbitratorQueueDisc::ClassBacklogTracedCallback")
            .AddTraceSource("Misclassified",
                            "A packet was classified to a network id with no class here and "
                            "went to the own-network class",
                            MakeTraceSourceAccessor(&ArbitratorQueueDisc::m_traceMisclassified),
                            "ns3::ArbitratorQueueDisc::MisclassifiedTracedCallback")
            .AddTraceSource("VirtualTime",
                            "WF2Q+ system virtual time (bytes)",
                            MakeTraceSourceAccessor(&ArbitratorQueueDisc::m_vtime),
                            "ns3::TracedValueCallback::Double");
    return tid;
}

ArbitratorQueueDisc::ArbitratorQueueDisc()
    : QueueDisc(QueueDiscSizePolicy::NO_LIMITS),
      m_linkRate(0),
      m_depth(0),
      m_ownNetworkId(0),
      m_protocol(253),
      m_blockedRetry(MilliSeconds(1)),
      m_own(nullptr),
      m_single(nullptr),
      m_guaranteedBps(0),
      m_invWeightSum(0.0),
      m_nextOrder(0),
      m_vtime(0.0),
      m_draining(false),
      m_parent(nullptr),
      m_parentClass(nullptr),
      m_misclassified(0)
{
    NS_LOG_FUNCTION(this);
}

ArbitratorQueueDisc::~ArbitratorQueueDisc()
{
    NS_LOG_FUNCTION(this);
    m_eligible.clear();
    m_ineligible.clear();
    m_blocked.clear();
}

void
ArbitratorQueueDisc::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_wakeEvent.Cancel();
    m_eligible.clear();
    m_ineligible.clear();
    m_blocked.clear();
    for (auto& c : m_classes)
    {
        Ptr<QueueDisc> child = c->GetQueueDisc();
        if (child)
        {
            AttachChild(PeekPointer(c), false);
        }
        if (c->m_nested != nullptr)
        {
            c->m_nested->m_parent = nullptr;
            c->m_nested->m_parentClass = nullptr;
        }
        c->m_owner = nullptr;
        c->m_state = ArbitratorQueueDiscClass::IDLE;
        if (child)
        {
            child->Dispose();
        }
        c->Dispose();
    }
    m_classes.clear();
    m_byId.clear();
    m_beClasses.clear();
    m_own = nullptr;
    m_single = nullptr;
    m_autoFilter = nullptr;
    m_parent = nullptr;
    m_parentClass = nullptr;
    QueueDisc::DoDispose();
}

std::string
ArbitratorQueueDisc::Describe() const
{
    std::ostringstream oss;
    oss << "ArbitratorQueueDisc";
    if (GetReferenceCount() > 0)
    {
        std::string name = Names::FindName(Ptr<Object>(const_cast<ArbitratorQueueDisc*>(this)));
        if (!name.empty())
        {
            oss << " '" << name << "'";
        }
    }
    oss << " (depth " << m_depth << ", own network " << m_ownNetworkId << ")";
    return oss.str();
}

// ------------------------------------------------------------------ validation

void
ArbitratorQueueDisc::Validate(uint32_t networkId,
                              CapacityClass cc,
                              DataRate rate,
                              double share,
                              const ArbitratorQueueDiscClass* replacing) const
{
    std::ostringstream oss;
    oss << Describe() << ": network " << networkId << ": ";
    if (cc != ArbitratorQueueDiscClass::CONSTANT && cc != ArbitratorQueueDiscClass::CONTROLLED &&
        cc != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        oss << "unknown capacity class " << static_cast<int>(cc)
            << "; use CONSTANT, CONTROLLED or BEST_EFFORT";
        throw GenesisError(oss.str());
    }
    if (cc == ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        if (!(share > 0.0) || !std::isfinite(share))
        {
            oss << "best-effort share " << share << " must be a positive number; give the network "
                << "a share above 0";
            throw GenesisError(oss.str());
        }
        return;
    }
    if (rate.GetBitRate() == 0)
    {
        oss << ArbitratorQueueDiscClass::CapacityClassName(cc) << " rate " << rate
            << " must be positive; give the network a rate above 0bps";
        throw GenesisError(oss.str());
    }
    uint64_t others = m_guaranteedBps;
    if (replacing != nullptr && replacing->m_capacityClass != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        others -= replacing->m_rate.GetBitRate();
    }
    uint64_t total = others + rate.GetBitRate();
    if (total > m_linkRate.GetBitRate())
    {
        oss << ArbitratorQueueDiscClass::CapacityClassName(cc) << " rate " << rate.GetBitRate()
            << "bps plus " << others << "bps already guaranteed to other networks is " << total
            << "bps, above the LinkRate of " << m_linkRate.GetBitRate()
            << "bps; lower the rate to at most "
            << (m_linkRate.GetBitRate() > others ? m_linkRate.GetBitRate() - others : 0)
            << "bps or raise LinkRate";
        throw GenesisError(oss.str());
    }
}

// ------------------------------------------------------------------ class management

Ptr<ArbitratorQueueDiscClass>
ArbitratorQueueDisc::AddNetworkClass(uint32_t networkId,
                                     CapacityClass cc,
                                     DataRate rate,
                                     double share,
                                     Ptr<QueueDisc> child)
{
    NS_LOG_FUNCTION(this << networkId << cc << rate << share << child);
    auto fail = [&](const std::string& what) {
        std::ostringstream oss;
        oss << Describe() << ": network " << networkId << ": " << what;
        throw GenesisError(oss.str());
    };
    if (m_byId.count(networkId) != 0)
    {
        fail("a class for this network already exists; use Reprovision to change it or "
             "RemoveNetworkClass first");
    }
    if (!child)
    {
        fail("the child queue disc is null; give the network its own scheduler (a QueueDisc)");
    }
    if (PeekPointer(child) == this)
    {
        fail("the child queue disc is this arbitrator itself (nesting cycle); give the network "
             "its own queue disc");
    }
    Ptr<ArbitratorQueueDisc> childArb = DynamicCast<ArbitratorQueueDisc>(child);
    if (childArb)
    {
        for (const ArbitratorQueueDisc* p = this; p != nullptr; p = p->m_parent)
        {
            if (p == PeekPointer(childArb))
            {
                fail("the child " + childArb->Describe() +
                     " is an ancestor of this arbitrator (nesting cycle); nest only new "
                     "arbitrators");
            }
        }
        if (childArb->m_parent != nullptr)
        {
            fail("the child " + childArb->Describe() + " is already a class child of " +
                 childArb->m_parent->Describe() + "; remove it there first");
        }
    }
    if (child->GetSendCallback())
    {
        fail("the child queue disc is already the root queue disc of a device; give the network "
             "a new queue disc");
    }
    if (child->GetWakeMode() == QueueDisc::WAKE_CHILD)
    {
        fail("the child queue disc (" + child->GetInstanceTypeId().GetName() +
             ") can only be a root queue disc; use another type");
    }
    for (const auto& c : m_classes)
    {
        if (c->m_disc == PeekPointer(child))
        {
            std::ostringstream oss;
            oss << "the child queue disc already serves network " << c->m_networkId
                << " here; give each network its own queue disc";
            fail(oss.str());
        }
    }
    Validate(networkId, cc, rate, share, nullptr);

    // Everything checked: initialize the child if we run already (may throw; nothing changed yet)
    if (childArb)
    {
        uint32_t oldDepth = childArb->m_depth;
        childArb->m_depth = m_depth + 1;
        if (childArb->m_autoFilter)
        {
            childArb->m_autoFilter->SetLevel(m_depth + 1);
        }
        if (IsInitialized())
        {
            try
            {
                child->SetNetDeviceQueueInterface(GetNetDeviceQueueInterface());
                child->Initialize();
            }
            catch (...)
            {
                childArb->m_depth = oldDepth;
                throw;
            }
        }
    }
    else if (IsInitialized())
    {
        child->SetNetDeviceQueueInterface(GetNetDeviceQueueInterface());
        child->Initialize();
    }

    Ptr<ArbitratorQueueDiscClass> c = CreateObject<ArbitratorQueueDiscClass>();
    c->m_networkId = networkId;
    c->m_capacityClass = cc;
    c->m_rate = rate;
    c->m_share = share;
    c->SetQueueDisc(child);
    c->m_disc = PeekPointer(child);
    c->m_nested = PeekPointer(childArb);
    c->m_order = m_nextOrder++;
    c->m_tokens = c->m_burst;
    c->m_tokenTime = Simulator::Now().GetNanoSeconds();
    c->m_owner = this;
    if (cc != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        c->m_weight = static_cast<double>(rate.GetBitRate());
        c->m_invWeight = 1.0 / c->m_weight;
    }
    AttachChild(PeekPointer(c), true);
    if (childArb)
    {
        childArb->m_parent = this;
        childArb->m_parentClass = PeekPointer(c);
    }
    m_classes.push_back(c);
    m_byId.emplace(networkId, PeekPointer(c));
    if (cc != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        m_guaranteedBps += rate.GetBitRate();
    }
    else
    {
        m_beClasses.push_back(PeekPointer(c));
    }
    if (networkId == m_ownNetworkId)
    {
        m_own = PeekPointer(c);
    }
    RecomputeWeights();
    UpdateFastPath();
    if (!m_single && c->m_state == ArbitratorQueueDiscClass::IDLE && c->m_disc->GetNPackets() > 0)
    {
        Activate(PeekPointer(c));
    }
    Kick();
    NS_LOG_INFO(Describe() << ": added network " << networkId << " ("
                           << ArbitratorQueueDiscClass::CapacityClassName(cc) << ", " << rate
                           << ", share " << share << ")");
    return c;
}

void
ArbitratorQueueDisc::AttachChild(ArbitratorQueueDiscClass* c, bool connect)
{
    // Same wiring as QueueDisc::AddQueueDiscClass, except that drops and marks go
    // through the class (to fire ClassDrop with the network id) before reaching
    // DropBeforeEnqueue / DropAfterDequeue / Mark with the child prefix.
    QueueDisc* self = this;
    auto enq = MakeCallback(GetMember(QdPacketEnqueuedTag{}), self);
    auto deq = MakeCallback(GetMember(QdPacketDequeuedTag{}), self);
    auto dbe = MakeCallback(&ArbitratorQueueDiscClass::ChildDropBeforeEnqueue, c);
    auto dad = MakeCallback(&ArbitratorQueueDiscClass::ChildDropAfterDequeue, c);
    auto mark = MakeCallback(&ArbitratorQueueDiscClass::ChildMark, c);
    Ptr<QueueDisc> d = c->GetQueueDisc();
    if (connect)
    {
        d->TraceConnectWithoutContext("Enqueue", enq);
        d->TraceConnectWithoutContext("Dequeue", deq);
        d->TraceConnectWithoutContext("DropBeforeEnqueue", dbe);
        d->TraceConnectWithoutContext("DropAfterDequeue", dad);
        d->TraceConnectWithoutContext("Mark", mark);
    }
    else
    {
        d->TraceDisconnectWithoutContext("Enqueue", enq);
        d->TraceDisconnectWithoutContext("Dequeue", deq);
        d->TraceDisconnectWithoutContext("DropBeforeEnqueue", dbe);
        d->TraceDisconnectWithoutContext("DropAfterDequeue", dad);
        d->TraceDisconnectWithoutContext("Mark", mark);
    }
}

void
ArbitratorQueueDisc::RemoveNetworkClass(uint32_t networkId)
{
    NS_LOG_FUNCTION(this << networkId);
    auto it = m_byId.find(networkId);
    if (it == m_byId.end())
    {
        std::ostringstream oss;
        oss << Describe() << ": network " << networkId
            << ": no class for this network; nothing to remove (known networks:";
        for (const auto& c : m_classes)
        {
            oss << " " << c->m_networkId;
        }
        oss << ")";
        throw GenesisError(oss.str());
    }
    if (it->second == m_own)
    {
        std::ostringstream oss;
        oss << Describe() << ": network " << networkId
            << ": the own-network class cannot be removed; dispose of the arbitrator instead";
        throw GenesisError(oss.str());
    }
    Ptr<ArbitratorQueueDiscClass> c = it->second; // keep alive during teardown
    Ptr<QueueDisc> child = c->GetQueueDisc();
    Unlink(PeekPointer(c));
    c->m_headLen = 0;

    // Drop everything queued in the subtree, token buckets and nested waits ignored.
    if (c->m_nested != nullptr)
    {
        c->m_nested->SetDraining(true);
    }
    uint32_t dropped = 0;
    while (child->GetNPackets() > 0)
    {
        Ptr<QueueDiscItem> item = child->Dequeue();
        if (!item)
        {
            NS_LOG_WARN(Describe() << ": network " << networkId << ": child disc keeps "
                                   << child->GetNPackets()
                                   << " packets it will not dequeue; they are lost uncounted");
            break;
        }
        DropAfterDequeue(item, NETWORK_TORN_DOWN);
        m_traceClassDrop(networkId, item, NETWORK_TORN_DOWN);
        ++dropped;
    }

    AttachChild(PeekPointer(c), false);
    if (c->m_nested != nullptr)
    {
        c->m_nested->m_parent = nullptr;
        c->m_nested->m_parentClass = nullptr;
    }
    m_byId.erase(it);
    m_classes.erase(std::find(m_classes.begin(), m_classes.end(), c));
    if (c->m_capacityClass != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        m_guaranteedBps -= c->m_rate.GetBitRate();
    }
    else
    {
        m_beClasses.erase(std::find(m_beClasses.begin(), m_beClasses.end(), PeekPointer(c)));
    }
    c->m_owner = nullptr;
    child->Dispose();
    c->Dispose();
    child = nullptr;
    m_traceClassBacklog(networkId, 0);
    RecomputeWeights();
    UpdateFastPath();
    Kick();
    NS_LOG_INFO(Describe() << ": removed network " << networkId << ", dropped " << dropped
                           << " packets");
}

uint32_t
ArbitratorQueueDisc::ReplaceNetworkQueueDisc(uint32_t networkId,
                                             Ptr<QueueDisc> disc,
                                             bool keepQueued)
{
    NS_LOG_FUNCTION(this << networkId << disc << keepQueued);
    auto fail = [&](const std::string& what) {
        std::ostringstream oss;
        oss << Describe() << ": network " << networkId << ": " << what;
        throw GenesisError(oss.str());
    };
    auto it = m_byId.find(networkId);
    if (it == m_byId.end())
    {
        fail("no class for this network; nothing to replace");
    }
    Ptr<ArbitratorQueueDiscClass> old = it->second; // keep alive during the swap
    if (old->m_nested != nullptr)
    {
        fail("the class holds the network's nested arbitrator (the network has children); "
             "replace the own class of " +
             old->m_nested->Describe() + " instead");
    }
    if (!disc)
    {
        fail("the new scheduler is null; give a QueueDisc");
    }
    if (DynamicCast<ArbitratorQueueDisc>(disc))
    {
        fail("the new scheduler is an arbitrator; nesting follows spawning, give a plain "
             "QueueDisc");
    }
    if (disc->GetSendCallback())
    {
        fail("the new scheduler is already the root queue disc of a device; give a new one");
    }
    if (disc->GetWakeMode() == QueueDisc::WAKE_CHILD)
    {
        fail("the new scheduler (" + disc->GetInstanceTypeId().GetName() +
             ") can only be a root queue disc; use another type");
    }
    for (const auto& c : m_classes)
    {
        if (c->m_disc == PeekPointer(disc))
        {
            fail("the new scheduler already serves a network here; give a new QueueDisc");
        }
    }
    if (IsInitialized())
    {
        // may throw (the disc's own configuration check): nothing changed yet
        disc->SetNetDeviceQueueInterface(GetNetDeviceQueueInterface());
        disc->Initialize();
    }

    // Take the old scheduler out of the schedule and empty it; the dequeues
    // reach this arbitrator (and its ancestors) through the still-connected
    // traces, so the packet counts stay right.
    Unlink(PeekPointer(old));
    old->m_headLen = 0;
    Ptr<QueueDisc> oldDisc = old->GetQueueDisc();
    std::vector<Ptr<QueueDiscItem>> queued;
    while (oldDisc->GetNPackets() > 0)
    {
        Ptr<QueueDiscItem> item = oldDisc->Dequeue();
        if (!item)
        {
            NS_LOG_WARN(Describe() << ": network " << networkId << ": the old scheduler keeps "
                                   << oldDisc->GetNPackets() << " packets it will not dequeue");
            break;
        }
        queued.push_back(item);
    }
    AttachChild(PeekPointer(old), false);

    // A new class object (QueueDiscClass holds its disc for life) with the old
    // one's allocation and scheduling state, in the old one's place.
    Ptr<ArbitratorQueueDiscClass> c = CreateObject<ArbitratorQueueDiscClass>();
    c->m_networkId = old->m_networkId;
    c->m_capacityClass = old->m_capacityClass;
    c->m_rate = old->m_rate;
    c->m_share = old->m_share;
    c->m_burst = old->m_burst;
    c->SetQueueDisc(disc);
    c->m_disc = PeekPointer(disc);
    c->m_nested = nullptr;
    c->m_order = old->m_order;
    c->m_weight = old->m_weight;
    c->m_invWeight = old->m_invWeight;
    c->m_start = old->m_start;
    c->m_finish = old->m_finish;
    c->m_tokens = old->m_tokens;
    c->m_tokenTime = old->m_tokenTime;
    c->m_owner = this;
    AttachChild(PeekPointer(c), true);
    *std::find(m_classes.begin(), m_classes.end(), old) = c;
    it->second = PeekPointer(c);
    auto be = std::find(m_beClasses.begin(), m_beClasses.end(), PeekPointer(old));
    if (be != m_beClasses.end())
    {
        *be = PeekPointer(c);
    }
    if (m_own == PeekPointer(old))
    {
        m_own = PeekPointer(c);
    }
    if (m_single == PeekPointer(old))
    {
        m_single = PeekPointer(c);
    }
    old->m_owner = nullptr;
    oldDisc->Dispose();
    old->Dispose();
    oldDisc = nullptr;

    uint32_t dropped = 0;
    for (const auto& item : queued)
    {
        if (!keepQueued)
        {
            DropAfterDequeue(item, SCHEDULER_REPLACED);
            m_traceClassDrop(networkId, item, SCHEDULER_REPLACED);
            ++dropped;
        }
        else if (!c->m_disc->Enqueue(item))
        {
            ++dropped; // the new scheduler's drop reached us through ChildDropBeforeEnqueue
        }
    }
    if (m_single == nullptr && c->m_disc->GetNPackets() > 0)
    {
        Activate(PeekPointer(c));
    }
    m_traceClassBacklog(networkId, c->m_disc->GetNBytes());
    Kick();
    NS_LOG_INFO(Describe() << ": network " << networkId << ": scheduler replaced by "
                           << disc->GetInstanceTypeId().GetName() << ", " << queued.size()
                           << " queued packets, " << dropped << " dropped");
    return dropped;
}

void
ArbitratorQueueDisc::Reprovision(uint32_t networkId, CapacityClass cc, DataRate rate, double share)
{
    NS_LOG_FUNCTION(this << networkId << cc << rate << share);
    auto it = m_byId.find(networkId);
    if (it == m_byId.end())
    {
        std::ostringstream oss;
        oss << Describe() << ": network " << networkId
            << ": no class for this network; add it with AddNetworkClass first";
        throw GenesisError(oss.str());
    }
    ArbitratorQueueDiscClass* c = it->second;
    Validate(networkId, cc, rate, share, c);
    if (c->m_capacityClass != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        m_guaranteedBps -= c->m_rate.GetBitRate();
    }
    else
    {
        m_beClasses.erase(std::find(m_beClasses.begin(), m_beClasses.end(), c));
    }
    if (cc == ArbitratorQueueDiscClass::CONSTANT &&
        c->m_capacityClass != ArbitratorQueueDiscClass::CONSTANT)
    {
        c->m_tokens = c->m_burst;
        c->m_tokenTime = Simulator::Now().GetNanoSeconds();
    }
    c->m_capacityClass = cc;
    c->m_rate = rate;
    c->m_share = share;
    if (cc != ArbitratorQueueDiscClass::BEST_EFFORT)
    {
        m_guaranteedBps += rate.GetBitRate();
        c->m_weight = static_cast<double>(rate.GetBitRate());
        c->m_invWeight = 1.0 / c->m_weight;
    }
    else
    {
        m_beClasses.push_back(c);
    }
    RecomputeWeights();
    ClassChanged(c);
}

void
ArbitratorQueueDisc::SetNetworkRate(uint32_t networkId, DataRate rate)
{
    Ptr<ArbitratorQueueDiscClass> c = GetNetworkClass(networkId);
    Reprovision(networkId,
                c ? c->m_capacityClass : ArbitratorQueueDiscClass::BEST_EFFORT,
                rate,
                c ? c->m_share : 1.0);
}

void
ArbitratorQueueDisc::SetNetworkShare(uint32_t networkId, double share)
{
    Ptr<ArbitratorQueueDiscClass> c = GetNetworkClass(networkId);
    Reprovision(networkId,
                c ? c->m_capacityClass : ArbitratorQueueDiscClass::BEST_EFFORT,
                c ? c->m_rate : DataRate(0),
                share);
}

void
ArbitratorQueueDisc::SetCapacityClass(uint32_t networkId, CapacityClass cc)
{
    Ptr<ArbitratorQueueDiscClass> c = GetNetworkClass(networkId);
    Reprovision(networkId, cc, c ? c->m_rate : DataRate(0), c ? c->m_share : 1.0);
}

void
ArbitratorQueueDisc::ClassChanged(ArbitratorQueueDiscClass* c)
{
    UpdateFastPath();
    if (!m_single && c->m_state != ArbitratorQueueDiscClass::IDLE)
    {
        Unlink(c);
        if (c->m_headLen > 0)
        {
            c->m_finish = c->m_start + c->m_headLen * c->m_invWeight;
            Place(c);
        }
        else
        {
            Activate(c);
        }
    }
    Kick();
}

void
ArbitratorQueueDisc::SetLinkRate(DataRate rate)
{
    if (rate.GetBitRate() < m_guaranteedBps)
    {
        std::ostringstream oss;
        oss << Describe() << ": LinkRate " << rate.GetBitRate() << "bps is below the "
            << m_guaranteedBps << "bps guaranteed to its networks; lower their rates first";
        throw GenesisError(oss.str());
    }
    m_linkRate = rate;
    if (!m_classes.empty())
    {
        RecomputeWeights();
    }
}

DataRate
ArbitratorQueueDisc::GetLinkRate() const
{
    return m_linkRate;
}

void
ArbitratorQueueDisc::RecomputeWeights()
{
    // Guaranteed classes weigh their rate (set when the rate is set); best-effort
    // classes share the pool left over. O(number of best-effort classes).
    const double link = static_cast<double>(m_linkRate.GetBitRate());
    const double residual = link - static_cast<double>(m_guaranteedBps);
    const double pool = link > 0.0 ? std::max(residual, std::max(1e-6 * link, 1.0)) : 1.0;
    double shares = 0.0;
    for (const ArbitratorQueueDiscClass* c : m_beClasses)
    {
        shares += c->m_share;
    }
    for (ArbitratorQueueDiscClass* c : m_beClasses)
    {
        c->m_weight = pool * c->m_share / shares;
        c->m_invWeight = 1.0 / c->m_weight;
    }
    const double total = static_cast<double>(m_guaranteedBps) + (m_beClasses.empty() ? 0.0 : pool);
    m_invWeightSum = total > 0.0 ? 1.0 / total : 0.0;
}

void
ArbitratorQueueDisc::UpdateFastPath()
{
    ArbitratorQueueDiscClass* single = nullptr;
    if (m_classes.size() == 1 &&
        m_classes[0]->m_capacityClass != ArbitratorQueueDiscClass::CONSTANT)
    {
        single = PeekPointer(m_classes[0]);
    }
    if (single == m_single)
    {
        return;
    }
    if (single != nullptr)
    {
        for (const auto& c : m_classes)
        {
            Unlink(PeekPointer(c));
            c->m_headLen = 0;
        }
        m_single = single;
        return;
    }
    m_single = nullptr;
    for (const auto& c : m_classes)
    {
        if (c->m_state == ArbitratorQueueDiscClass::IDLE && c->m_disc->GetNPackets() > 0)
        {
            c->m_headLen = 0;
            Activate(PeekPointer(c));
        }
    }
}

void
ArbitratorQueueDisc::Kick()
{
    if (m_parent != nullptr)
    {
        m_parent->ChildKick(m_parentClass);
    }
    else if (GetNPackets() > 0 && IsInitialized())
    {
        ScheduleRun(Simulator::Now().GetNanoSeconds());
    }
}

void
ArbitratorQueueDisc::ChildKick(ArbitratorQueueDiscClass* c)
{
    if (c != nullptr && !m_single && c->m_state == ArbitratorQueueDiscClass::BLOCKED &&
        c->m_headLen == 0)
    {
        Unlink(c);
        Activate(c);
    }
    Kick();
}

void
ArbitratorQueueDisc::SetDraining(bool draining)
{
    m_draining = draining;
    for (const auto& c : m_classes)
    {
        if (c->m_nested != nullptr)
        {
            c->m_nested->SetDraining(draining);
        }
    }
}

void
ArbitratorQueueDisc::CreateOwnClass()
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(m_ownQueueDiscType, &tid))
    {
        std::ostringstream oss;
        oss << Describe() << ": OwnQueueDiscType '" << m_ownQueueDiscType
            << "' is not a registered TypeId; use a queue disc type such as "
               "ns3::FqCoDelQueueDisc (is its library linked?)";
        throw GenesisError(oss.str());
    }
    if (!tid.IsChildOf(QueueDisc::GetTypeId()))
    {
        std::ostringstream oss;
        oss << Describe() << ": OwnQueueDiscType '" << m_ownQueueDiscType
            << "' is not a QueueDisc; use a queue disc type such as ns3::FqCoDelQueueDisc";
        throw GenesisError(oss.str());
    }
    ObjectFactory factory;
    factory.SetTypeId(tid);
    Ptr<QueueDisc> qd = factory.Create<QueueDisc>();
    AddNetworkClass(m_ownNetworkId, ArbitratorQueueDiscClass::BEST_EFFORT, DataRate(0), 1.0, qd);
}

// ------------------------------------------------------------------ accessors

DataRate
ArbitratorQueueDisc::GetGuaranteedRate() const
{
    return DataRate(m_guaranteedBps);
}

DataRate
ArbitratorQueueDisc::GetResidualRate() const
{
    return DataRate(m_linkRate.GetBitRate() - m_guaranteedBps);
}

bool
ArbitratorQueueDisc::HasNetworkClass(uint32_t networkId) const
{
    return m_byId.count(networkId) != 0;
}

Ptr<ArbitratorQueueDiscClass>
ArbitratorQueueDisc::GetNetworkClass(uint32_t networkId) const
{
    auto it = m_byId.find(networkId);
    return it == m_byId.end() ? nullptr : Ptr<ArbitratorQueueDiscClass>(it->second);
}

uint32_t
ArbitratorQueueDisc::GetClassBacklogBytes(uint32_t networkId) const
{
    auto it = m_byId.find(networkId);
    return it == m_byId.end() ? 0 : it->second->m_disc->GetNBytes();
}

std::size_t
ArbitratorQueueDisc::GetNClasses() const
{
    return m_classes.size();
}

Ptr<ArbitratorQueueDiscClass>
ArbitratorQueueDisc::GetClass(std::size_t i) const
{
    if (i >= m_classes.size())
    {
        std::ostringstream oss;
        oss << Describe() << ": class index " << i << " out of range; there are "
            << m_classes.size() << " classes";
        throw GenesisError(oss.str());
    }
    return m_classes[i];
}

uint64_t
ArbitratorQueueDisc::GetNMisclassified() const
{
    return m_misclassified;
}

uint32_t
ArbitratorQueueDisc::GetDepth() const
{
    return m_depth;
}

Ptr<ArbitratorQueueDisc>
ArbitratorQueueDisc::GetParentArbitrator() const
{
    return m_parent;
}

double
ArbitratorQueueDisc::GetVirtualTime() const
{
    return m_vtime;
}

Time
ArbitratorQueueDisc::GetNextWakeTime() const
{
    if (m_single != nullptr)
    {
        if (m_single->m_nested != nullptr)
        {
            return m_single->m_nested->GetNextWakeTime();
        }
        return m_single->m_disc->GetNPackets() > 0 ? Simulator::Now() + m_blockedRetry
                                                   : Time::Max();
    }
    if (m_blocked.empty())
    {
        return Time::Max();
    }
    return NanoSeconds(m_blocked.begin()->m_wake);
}

// ------------------------------------------------------------------ QueueDisc contract

bool
ArbitratorQueueDisc::CheckConfig()
{
    NS_LOG_FUNCTION(this);
    if (GetNQueueDiscClasses() > 0)
    {
        throw GenesisError(Describe() + ": classes added with AddQueueDiscClass cannot be "
                                        "scheduled; add them with AddNetworkClass");
    }
    if (GetNInternalQueues() > 0)
    {
        throw GenesisError(Describe() + ": an arbitrator has no internal queues; remove them");
    }
    if (m_own == nullptr)
    {
        CreateOwnClass();
    }
    if (GetNPacketFilters() == 0)
    {
        m_autoFilter = CreateObject<GenesisLabelFilter>();
        m_autoFilter->SetLevel(m_depth);
        m_autoFilter->SetProtocol(m_protocol);
        AddPacketFilter(m_autoFilter);
    }
    // Child discs learn the device through the root's queue interface: some
    // need it to configure themselves (FqCoDel takes its quantum from the
    // device MTU and, without it, loops forever in Debian's assert-less build).
    for (const auto& c : m_classes)
    {
        c->m_disc->SetNetDeviceQueueInterface(GetNetDeviceQueueInterface());
        c->m_disc->Initialize();
    }
    return true;
}

void
ArbitratorQueueDisc::InitializeParams()
{
    NS_LOG_FUNCTION(this);
}

bool
ArbitratorQueueDisc::DoEnqueue(Ptr<QueueDiscItem> item)
{
    NS_LOG_FUNCTION(this << item);
    ArbitratorQueueDiscClass* c = m_single;
    if (c == nullptr)
    {
        c = m_own;
        int32_t ret = Classify(item);
        if (ret != PacketFilter::PF_NO_MATCH)
        {
            auto it = m_byId.find(static_cast<uint32_t>(ret));
            if (it != m_byId.end())
            {
                c = it->second;
            }
            else
            {
                ++m_misclassified;
                m_traceMisclassified(ret, item);
            }
        }
    }
    if (!c->m_disc->Enqueue(item))
    {
        return false; // the child's drop reached us through ChildDropBeforeEnqueue
    }
    m_traceClassEnqueue(c->m_networkId, item);
    if (m_single == nullptr)
    {
        if (c->m_state == ArbitratorQueueDiscClass::IDLE)
        {
            Activate(c);
        }
        else if (c->m_state == ArbitratorQueueDiscClass::BLOCKED && c->m_headLen == 0)
        {
            // a child that had nothing to give may have something now
            Unlink(c);
            Activate(c);
        }
    }
    m_traceClassBacklog(c->m_networkId, c->m_disc->GetNBytes());
    return true;
}

Ptr<QueueDiscItem>
ArbitratorQueueDisc::DoDequeue()
{
    NS_LOG_FUNCTION(this);
    if (m_draining)
    {
        return DequeueDraining();
    }
    if (m_single != nullptr)
    {
        ArbitratorQueueDiscClass* c = m_single;
        Ptr<QueueDiscItem> item = c->m_disc->Dequeue();
        if (item)
        {
            m_traceClassDequeue(c->m_networkId, item);
            m_traceClassBacklog(c->m_networkId, c->m_disc->GetNBytes());
        }
        else if (m_parent == nullptr && c->m_disc->GetNPackets() > 0)
        {
            ScheduleRun(GetNextWakeTime().GetNanoSeconds());
        }
        return item;
    }

    const int64_t now = Simulator::Now().GetNanoSeconds();
    ReleaseBlocked(now);
    while (!m_eligible.empty() || !m_ineligible.empty())
    {
        if (m_eligible.empty())
        {
            double minStart = m_ineligible.begin()->m_start;
            if (minStart > m_vtime)
            {
                m_vtime = minStart;
            }
        }
        while (!m_ineligible.empty() && m_ineligible.begin()->m_start <= m_vtime)
        {
            ArbitratorQueueDiscClass& e = *m_ineligible.begin();
            m_ineligible.erase(m_ineligible.begin());
            e.m_state = ArbitratorQueueDiscClass::ELIGIBLE;
            m_eligible.insert(e);
        }
        ArbitratorQueueDiscClass* c = &*m_eligible.begin();
        m_eligible.erase(m_eligible.begin());
        c->m_state = ArbitratorQueueDiscClass::IDLE;

        Ptr<QueueDiscItem> item = c->m_disc->Dequeue();
        if (!item)
        {
            // the child lost its head (e.g. a nested class was torn down): look again
            c->m_headLen = 0;
            Activate(c);
            continue;
        }
        const uint32_t len = item->GetSize();
        m_vtime = m_vtime + len * m_invWeightSum;
        if (c->m_capacityClass == ArbitratorQueueDiscClass::CONSTANT)
        {
            RefillTokens(c, now);
            c->m_tokens -= len;
        }
        c->m_start = c->m_finish;
        c->m_headLen = 0;
        Ptr<const QueueDiscItem> head = PeekClass(c);
        if (head)
        {
            c->m_headLen = head->GetSize();
            c->m_finish = c->m_start + c->m_headLen * c->m_invWeight;
            Place(c);
        }
        else if (c->m_disc->GetNPackets() > 0)
        {
            BlockEmptyHead(c);
        }
        m_traceClassDequeue(c->m_networkId, item);
        m_traceClassBacklog(c->m_networkId, c->m_disc->GetNBytes());
        return item;
    }
    // Nothing servable now. A root must wake itself: the device will not.
    if (m_parent == nullptr && !m_blocked.empty())
    {
        ScheduleRun(m_blocked.begin()->m_wake);
    }
    return nullptr;
}

Ptr<QueueDiscItem>
ArbitratorQueueDisc::DequeueDraining()
{
    for (const auto& c : m_classes)
    {
        if (c->m_disc->GetNPackets() > 0)
        {
            Ptr<QueueDiscItem> item = c->m_disc->Dequeue();
            if (item)
            {
                c->m_headLen = 0;
                return item;
            }
        }
    }
    return nullptr;
}

// ------------------------------------------------------------------ WF2Q+ helpers

Ptr<const QueueDiscItem>
ArbitratorQueueDisc::PeekClass(ArbitratorQueueDiscClass* c) const
{
    const ArbitratorQueueDisc* n = c->m_nested;
    // On the fast path the nested arbitrator's DoDequeue returns its class's
    // head, so that is its next packet -- unless QueueDisc's default DoPeek
    // already holds one (peeked before it went on the fast path): then its
    // count exceeds its class's by that packet, and its own Peek returns it.
    if (n != nullptr && n->m_single != nullptr && !n->m_draining &&
        n->GetNPackets() == n->m_single->m_disc->GetNPackets())
    {
        return n->PeekClass(n->m_single);
    }
    return c->m_disc->Peek();
}

void
ArbitratorQueueDisc::Activate(ArbitratorQueueDiscClass* c)
{
    Ptr<const QueueDiscItem> head = PeekClass(c);
    if (!head)
    {
        c->m_headLen = 0;
        if (c->m_disc->GetNPackets() > 0)
        {
            BlockEmptyHead(c);
        }
        else
        {
            c->m_state = ArbitratorQueueDiscClass::IDLE;
        }
        return;
    }
    c->m_headLen = head->GetSize();
    c->m_start = std::max(c->m_finish, m_vtime.Get());
    c->m_finish = c->m_start + c->m_headLen * c->m_invWeight;
    Place(c);
}

void
ArbitratorQueueDisc::Place(ArbitratorQueueDiscClass* c)
{
    if (c->m_capacityClass == ArbitratorQueueDiscClass::CONSTANT && !m_draining)
    {
        const int64_t now = Simulator::Now().GetNanoSeconds();
        RefillTokens(c, now);
        const double need = std::min<double>(c->m_headLen, c->m_burst);
        if (c->m_tokens + TOKEN_EPSILON < need)
        {
            const double bps = static_cast<double>(c->m_rate.GetBitRate());
            const double waitNs = std::ceil((need - c->m_tokens) * 8e9 / bps);
            Block(c, now + std::max<int64_t>(1, static_cast<int64_t>(waitNs)));
            return;
        }
    }
    if (c->m_start <= m_vtime)
    {
        c->m_state = ArbitratorQueueDiscClass::ELIGIBLE;
        m_eligible.insert(*c);
    }
    else
    {
        c->m_state = ArbitratorQueueDiscClass::INELIGIBLE;
        m_ineligible.insert(*c);
    }
}

void
ArbitratorQueueDisc::Unlink(ArbitratorQueueDiscClass* c)
{
    switch (c->m_state)
    {
    case ArbitratorQueueDiscClass::ELIGIBLE:
        m_eligible.erase(m_eligible.iterator_to(*c));
        break;
    case ArbitratorQueueDiscClass::INELIGIBLE:
        m_ineligible.erase(m_ineligible.iterator_to(*c));
        break;
    case ArbitratorQueueDiscClass::BLOCKED:
        m_blocked.erase(m_blocked.iterator_to(*c));
        break;
    case ArbitratorQueueDiscClass::IDLE:
        break;
    }
    c->m_state = ArbitratorQueueDiscClass::IDLE;
}

void
ArbitratorQueueDisc::Block(ArbitratorQueueDiscClass* c, int64_t wakeNs)
{
    c->m_wake = wakeNs;
    c->m_state = ArbitratorQueueDiscClass::BLOCKED;
    m_blocked.insert(*c);
}

void
ArbitratorQueueDisc::BlockEmptyHead(ArbitratorQueueDiscClass* c)
{
    const int64_t now = Simulator::Now().GetNanoSeconds();
    int64_t wake = now + m_blockedRetry.GetNanoSeconds();
    if (c->m_nested != nullptr)
    {
        Time t = c->m_nested->GetNextWakeTime();
        if (t != Time::Max())
        {
            wake = std::max(now + 1, t.GetNanoSeconds());
        }
    }
    c->m_headLen = 0;
    Block(c, wake);
}

void
ArbitratorQueueDisc::RefillTokens(ArbitratorQueueDiscClass* c, int64_t nowNs) const
{
    if (nowNs > c->m_tokenTime)
    {
        c->m_tokens = std::min<double>(c->m_burst,
                                       c->m_tokens + static_cast<double>(nowNs - c->m_tokenTime) *
                                                         c->m_rate.GetBitRate() / 8e9);
        c->m_tokenTime = nowNs;
    }
}

void
ArbitratorQueueDisc::ReleaseBlocked(int64_t nowNs)
{
    while (!m_blocked.empty() && m_blocked.begin()->m_wake <= nowNs)
    {
        ArbitratorQueueDiscClass* c = &*m_blocked.begin();
        m_blocked.erase(m_blocked.begin());
        c->m_state = ArbitratorQueueDiscClass::IDLE;
        if (c->m_headLen > 0)
        {
            // Token wait over. The class stayed backlogged while blocked, so
            // (as WF2Q+ does for any backlogged session) it keeps its tags
            // rather than restarting at V: resetting S = max(S, V) would make
            // it wait behind every other class after each token wait, and the
            // bucket would overflow meanwhile, leaving a constant class below
            // its peak rate. Tokens still cap it at Rate.
            Place(c);
        }
        else
        {
            Activate(c);
        }
    }
}

void
ArbitratorQueueDisc::ScheduleRun(int64_t wakeNs)
{
    if (m_parent != nullptr || !GetSendCallback())
    {
        return; // nested: the parent pulls GetNextWakeTime(); no device: nobody to send to
    }
    Time when = NanoSeconds(wakeNs);
    if (m_wakeEvent.IsRunning() && m_wakeEvent.GetTs() <= static_cast<uint64_t>(when.GetTimeStep()))
    {
        return; // an earlier (or equal) wake is already pending
    }
    m_wakeEvent.Cancel();
    Time delay = when - Simulator::Now();
    if (delay.IsNegative())
    {
        delay = Time(0);
    }
    m_wakeEvent = Simulator::Schedule(delay, &ArbitratorQueueDisc::WakeRun, this);
}

void
ArbitratorQueueDisc::WakeRun()
{
    NS_LOG_FUNCTION(this);
    Run();
}

// ------------------------------------------------------------------ child drops and marks

void
ArbitratorQueueDisc::ChildDropBeforeEnqueue(ArbitratorQueueDiscClass* c,
                                            Ptr<const QueueDiscItem> item,
                                            const char* reason)
{
    m_childDropMsg.assign(CHILD_QUEUE_DISC_DROP).append(reason);
    DropBeforeEnqueue(item, m_childDropMsg.c_str());
    m_traceClassDrop(c->m_networkId, item, reason);
}

void
ArbitratorQueueDisc::ChildDropAfterDequeue(ArbitratorQueueDiscClass* c,
                                           Ptr<const QueueDiscItem> item,
                                           const char* reason)
{
    m_childDropMsg.assign(CHILD_QUEUE_DISC_DROP).append(reason);
    DropAfterDequeue(item, m_childDropMsg.c_str());
    m_traceClassDrop(c->m_networkId, item, reason);
}

void
ArbitratorQueueDisc::ChildMark(ArbitratorQueueDiscClass* c,
                               Ptr<const QueueDiscItem> item,
                               const char* reason)
{
    m_childMarkMsg.assign(CHILD_QUEUE_DISC_MARK).append(reason);
    Mark(const_cast<QueueDiscItem*>(PeekPointer(item)), m_childMarkMsg.c_str());
}

} // namespace ns3
