/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-maestro.h"

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/genesis-distributed.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-metabus.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/profile-database.h"
#include "ns3/simulator.h"
#include "ns3/virtual-network.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisMaestro");
NS_OBJECT_ENSURE_REGISTERED(GenesisMaestro);

namespace
{
/// Copy every settable attribute of \p o into a factory of its type.
ObjectFactory
FactoryOf(Ptr<const Object> o)
{
    TypeId tid = o->GetInstanceTypeId();
    ObjectFactory f;
    f.SetTypeId(tid);
    for (TypeId t = tid;; t = t.GetParent())
    {
        for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            TypeId::AttributeInformation info = t.GetAttribute(i);
            if (!(info.flags & TypeId::ATTR_GET) || !(info.flags & TypeId::ATTR_SET) ||
                !(info.flags & TypeId::ATTR_CONSTRUCT) || !info.checker)
            {
                continue;
            }
            if (info.checker->GetValueTypeName() == "ns3::PointerValue")
            {
                continue; // shared objects are copied by their owners
            }
            Ptr<AttributeValue> v = info.checker->Create();
            o->GetAttribute(info.name, *v);
            f.Set(info.name, *v);
        }
        if (t == t.GetParent())
        {
            break;
        }
    }
    return f;
}
} // namespace

TypeId
GenesisMaestro::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisMaestro")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisMaestro>()
            .AddAttribute("ProvisioningInterval",
                          "Time between two provisioning rounds (monitor readings, auction, "
                          "re-provisioning)",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&GenesisMaestro::m_interval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MinimumRate",
                          "Smallest guaranteed rate a controlled bidder keeps on a device (a "
                          "guaranteed class cannot have 0bps)",
                          DataRateValue(DataRate("1kbps")),
                          MakeDataRateAccessor(&GenesisMaestro::m_minimumRate),
                          MakeDataRateChecker())
            .AddAttribute("OwnRate",
                          "Capacity of every device kept out of the auction for the network's "
                          "own traffic",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&GenesisMaestro::m_ownRate),
                          MakeDataRateChecker())
            .AddAttribute(
                "Auctioneer",
                "The auction mechanism (default: a GenesisPspAuctioneer)",
                PointerValue(),
                MakePointerAccessor(&GenesisMaestro::SetAuctioneer, &GenesisMaestro::GetAuctioneer),
                MakePointerChecker<GenesisAuctioneer>())
            .AddTraceSource("Allocation",
                            "A child's allocation on a device changed: child id, node id, "
                            "device index, old and new bit/s",
                            MakeTraceSourceAccessor(&GenesisMaestro::m_allocationTrace),
                            "ns3::GenesisMaestro::AllocationTracedCallback")
            .AddTraceSource("Round",
                            "A provisioning round ended: its number (0 first)",
                            MakeTraceSourceAccessor(&GenesisMaestro::m_roundTrace),
                            "ns3::GenesisMaestro::RoundTracedCallback");
    return tid;
}

GenesisMaestro::GenesisMaestro()
    : m_interval(Seconds(1)),
      m_minimumRate(1000),
      m_ownRate(0),
      m_rounds(0)
{
    m_auctioneer = CreateObject<GenesisPspAuctioneer>();
    m_monitorFactory.SetTypeId("ns3::GenesisMonitor");
}

GenesisMaestro::~GenesisMaestro() = default;

void
GenesisMaestro::DoDispose()
{
    m_event.Cancel();
    for (auto& kv : m_delegates)
    {
        kv.second->Dispose();
    }
    m_delegates.clear();
    m_auctioneer = nullptr;
    m_db = nullptr;
    m_network = nullptr;
    Object::DoDispose();
}

Ptr<GenesisMaestro>
GenesisMaestro::Install(Ptr<VirtualNetwork> net, const ObjectFactory& factory)
{
    if (!net || net->GetState() == VirtualNetwork::TORN_DOWN)
    {
        throw GenesisError("GenesisMaestro::Install: the network is null or torn down");
    }
    if (Get(net))
    {
        throw GenesisError("virtual network '" + net->GetName() + "' has a maestro already");
    }
    GenesisDistributed::RefuseIfDistributed(
        "GenesisMaestro::Install on '" + net->GetName() + "'",
        "a maestro's rounds need every device's counters at once; run resource management in a "
        "sequential run");
    if (!factory.GetTypeId().IsChildOf(GenesisMaestro::GetTypeId()) &&
        factory.GetTypeId() != GenesisMaestro::GetTypeId())
    {
        throw GenesisError("GenesisMaestro::Install: " + factory.GetTypeId().GetName() +
                           " is not a GenesisMaestro");
    }
    Ptr<GenesisMaestro> m = factory.Create<GenesisMaestro>();
    m->Attach(net);
    return m;
}

Ptr<GenesisMaestro>
GenesisMaestro::Get(Ptr<VirtualNetwork> net)
{
    return net ? net->GetObject<GenesisMaestro>() : nullptr;
}

void
GenesisMaestro::Attach(Ptr<VirtualNetwork> net)
{
    NS_LOG_FUNCTION(this << net->GetName());
    m_network = net;
    net->AggregateObject(this);
    Ptr<GenesisMetabus> bus = GenesisMetabus::Get(net);
    if (bus && !bus->IsRegistered("maestro"))
    {
        bus->Register("maestro", this);
    }
    m_event.Cancel();
    m_event = Simulator::ScheduleNow(&GenesisMaestro::RunInterval, this);
}

Ptr<VirtualNetwork>
GenesisMaestro::GetNetwork() const
{
    return m_network;
}

Ptr<GenesisMaestro>
GenesisMaestro::Inherit(Ptr<VirtualNetwork> child) const
{
    ObjectFactory f = FactoryOf(this);
    Ptr<GenesisMaestro> m = f.Create<GenesisMaestro>();
    if (m_auctioneer)
    {
        m->SetAuctioneer(FactoryOf(m_auctioneer).Create<GenesisAuctioneer>());
    }
    m->SetMonitorFactory(m_monitorFactory);
    m->SetDatabase(m_db);
    m->Attach(child);
    return m;
}

void
GenesisMaestro::SetAuctioneer(Ptr<GenesisAuctioneer> a)
{
    m_auctioneer = a ? a : Ptr<GenesisAuctioneer>(CreateObject<GenesisPspAuctioneer>());
}

Ptr<GenesisAuctioneer>
GenesisMaestro::GetAuctioneer() const
{
    return m_auctioneer;
}

void
GenesisMaestro::SetMonitorFactory(const ObjectFactory& f)
{
    m_monitorFactory = f;
}

ObjectFactory
GenesisMaestro::GetMonitorFactory() const
{
    return m_monitorFactory;
}

void
GenesisMaestro::SetDatabase(Ptr<GenesisProfileDatabase> db)
{
    m_db = db;
}

Ptr<GenesisProfileDatabase>
GenesisMaestro::GetDatabase() const
{
    return m_db;
}

void
GenesisMaestro::SetBid(Ptr<VirtualNetwork> child, double price, DataRate quantity)
{
    if (!m_network || !child || child->GetParent() != m_network)
    {
        throw GenesisError("maestro of '" + (m_network ? m_network->GetName() : std::string("?")) +
                           "': a bid must come from one of its children" +
                           (child ? ", not from '" + child->GetName() + "'" : std::string()));
    }
    if (child->GetCapacityClass() == ArbitratorQueueDiscClass::CONSTANT)
    {
        throw GenesisError("virtual network '" + child->GetName() +
                           "' is a constant class: its rate is guaranteed and never auctioned; "
                           "make it controlled or best-effort to bid");
    }
    if (!std::isfinite(price) || price < 0)
    {
        std::ostringstream os;
        os << "virtual network '" << child->GetName() << "': bid price " << price
           << " must be a finite number >= 0";
        throw GenesisError(os.str());
    }
    GenesisBid b;
    b.bidder = child->GetId();
    b.price = price;
    b.quantityBps = quantity.GetBitRate();
    m_bids[child->GetId()] = b;
}

void
GenesisMaestro::ClearBid(Ptr<VirtualNetwork> child)
{
    if (child)
    {
        m_bids.erase(child->GetId());
    }
}

bool
GenesisMaestro::HasBid(uint16_t childId) const
{
    return m_bids.count(childId) != 0;
}

GenesisBid
GenesisMaestro::GetBid(uint16_t childId) const
{
    auto it = m_bids.find(childId);
    return it == m_bids.end() ? GenesisBid() : it->second;
}

uint64_t
GenesisMaestro::GetNRounds() const
{
    return m_rounds;
}

const std::map<uint16_t, GenesisMaestro::BidderOutcome>&
GenesisMaestro::GetLastOutcome() const
{
    return m_outcome;
}

uint64_t
GenesisMaestro::GetAuctionedCapacity(Ptr<NetDevice> dev) const
{
    auto it = m_capacity.find({dev->GetNode()->GetId(), dev->GetIfIndex()});
    return it == m_capacity.end() ? 0 : it->second;
}

const std::vector<GenesisMonitor::Reading>&
GenesisMaestro::GetLastReadings() const
{
    return m_readings;
}

Ptr<GenesisDelegate>
GenesisMaestro::GetDelegate(Ptr<Node> node) const
{
    auto it = m_delegates.find(node->GetId());
    return it == m_delegates.end() ? nullptr : it->second;
}

Ptr<GenesisDelegate>
GenesisMaestro::DelegateFor(Ptr<Node> node)
{
    Ptr<GenesisDelegate> d = GetDelegate(node);
    if (!d)
    {
        d = CreateObject<GenesisDelegate>();
        d->Setup(m_network, node);
        m_delegates[node->GetId()] = d;
    }
    return d;
}

Ptr<GenesisMonitor>
GenesisMaestro::GetMonitor(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev) const
{
    Ptr<GenesisDelegate> d = GetDelegate(dev->GetNode());
    return d ? d->GetMonitor(child->GetId(), dev) : nullptr;
}

void
GenesisMaestro::Stop()
{
    m_event.Cancel();
}

void
GenesisMaestro::Reprovision(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev, DataRate rate)
{
    if (!child || child->GetParent() != m_network)
    {
        throw GenesisError("maestro of '" + m_network->GetName() +
                           "': Reprovision of a network that is not its child");
    }
    Ptr<GenesisDelegate> d = DelegateFor(dev->GetNode());
    uint64_t old = d->GetAllocation(child, dev);
    d->Apply(child, dev, rate.GetBitRate());
    m_allocationTrace(child->GetId(),
                      dev->GetNode()->GetId(),
                      dev->GetIfIndex(),
                      old,
                      rate.GetBitRate());
    Record({},
           {std::make_tuple(child->GetId(),
                            dev->GetNode()->GetId(),
                            dev->GetIfIndex(),
                            old,
                            rate.GetBitRate())},
           "api");
}

void
GenesisMaestro::Record(
    const std::vector<GenesisMonitor::Reading>& readings,
    const std::vector<std::tuple<uint16_t, uint32_t, uint32_t, uint64_t, uint64_t>>& changes,
    const std::string& cause)
{
    if (!m_db || !m_db->IsOpen())
    {
        return;
    }
    const int64_t now = Simulator::Now().GetNanoSeconds();
    std::vector<GenesisProfileDatabase::LinkStatsRow> stats;
    for (const auto& r : readings)
    {
        GenesisProfileDatabase::LinkStatsRow row;
        row.networkId = r.networkId;
        row.nodeId = r.nodeId;
        row.deviceIndex = r.deviceIndex;
        row.timeNs = r.timeNs;
        row.intervalNs = r.intervalNs;
        row.txBytes = r.txBytes;
        row.txPackets = r.txPackets;
        row.drops = r.drops;
        row.policed = r.policed;
        row.rateBps = r.rateBps;
        row.allocatedBps = r.allocatedBps;
        row.meanDelayNs = r.meanDelayNs;
        stats.push_back(row);
    }
    std::vector<GenesisProfileDatabase::AllocationChangeRow> rows;
    for (const auto& c : changes)
    {
        GenesisProfileDatabase::AllocationChangeRow row;
        row.timeNs = now;
        row.networkId = std::get<0>(c);
        row.nodeId = std::get<1>(c);
        row.deviceIndex = std::get<2>(c);
        row.oldBps = std::get<3>(c);
        row.newBps = std::get<4>(c);
        row.cause = cause;
        rows.push_back(row);
    }
    std::vector<GenesisProfileDatabase::BidRow> bids;
    if (cause == "auction")
    {
        for (const auto& kv : m_outcome)
        {
            GenesisProfileDatabase::BidRow b;
            b.timeNs = now;
            b.auctionNetworkId = m_network->GetId();
            b.bidderNetworkId = kv.first;
            b.price = kv.second.price;
            b.quantityBps = kv.second.quantityBps;
            b.allocatedBps = kv.second.allocatedBps;
            b.payment = kv.second.payment;
            bids.push_back(b);
        }
    }
    m_db->RecordManagementRound(stats, rows, bids);
}

void
GenesisMaestro::RunInterval()
{
    NS_LOG_FUNCTION(this);
    if (!m_network || m_network->GetState() == VirtualNetwork::TORN_DOWN)
    {
        return;
    }
    // 1. children now running; monitors of children gone are dropped
    std::vector<Ptr<VirtualNetwork>> children;
    std::map<uint16_t, bool> present;
    for (const auto& c : m_network->GetChildren())
    {
        if (c->GetState() == VirtualNetwork::SPAWNED)
        {
            children.push_back(c);
            present[c->GetId()] = true;
        }
    }
    for (const auto& kv : m_known)
    {
        if (!present.count(kv.first))
        {
            for (auto& d : m_delegates)
            {
                d.second->RemoveChild(kv.first);
            }
            m_bids.erase(kv.first);
        }
    }
    m_known = present;

    // 2. readings of the interval that ends now
    m_readings.clear();
    for (auto& d : m_delegates)
    {
        for (const auto& r : d.second->Report())
        {
            if (r.intervalNs > 0)
            {
                m_readings.push_back(r);
            }
        }
    }

    // 3. devices and who holds a class there (monitors for new children)
    struct Device
    {
        Ptr<NetDevice> dev;
        std::vector<Ptr<VirtualNetwork>> children;
    };

    std::map<std::pair<uint32_t, uint32_t>, Device> devices;
    for (const auto& c : children)
    {
        for (std::size_t i = 0; i < c->GetNSlices(); ++i)
        {
            Ptr<NetDevice> dev = c->GetSliceDevice(i);
            if (!dev || !m_network->GetArbitrator(dev))
            {
                continue;
            }
            Device& d = devices[{dev->GetNode()->GetId(), dev->GetIfIndex()}];
            d.dev = dev;
            d.children.push_back(c);
            DelegateFor(dev->GetNode())->AddMonitor(c, dev, m_monitorFactory);
        }
    }

    // 4. one auction per device
    struct Change
    {
        Ptr<VirtualNetwork> child;
        Ptr<NetDevice> dev;
        uint64_t oldBps;
        uint64_t newBps;
    };

    std::vector<Change> changes;
    m_outcome.clear();
    m_capacity.clear();
    for (auto& kv : devices)
    {
        Device& d = kv.second;
        Ptr<ArbitratorQueueDisc> arb = m_network->GetArbitrator(d.dev);
        Ptr<GenesisDelegate> del = DelegateFor(d.dev->GetNode());
        uint64_t capacity = arb->GetLinkRate().GetBitRate();
        uint64_t fixed = m_ownRate.GetBitRate();
        uint64_t floors = 0;
        std::vector<GenesisBid> bids;
        std::vector<uint64_t> floorOf;
        std::vector<Ptr<VirtualNetwork>> bidders;
        for (const auto& c : d.children)
        {
            bool guaranteed = c->GetCapacityClass() != ArbitratorQueueDiscClass::BEST_EFFORT;
            auto b = m_bids.find(c->GetId());
            if (c->GetCapacityClass() == ArbitratorQueueDiscClass::CONSTANT || b == m_bids.end())
            {
                fixed += guaranteed ? c->GetReservedRate(d.dev).GetBitRate() : 0;
                continue;
            }
            uint64_t floor = 0;
            if (guaranteed)
            {
                Ptr<ArbitratorQueueDisc> own = c->GetArbitrator(d.dev);
                floor = std::max<uint64_t>(m_minimumRate.GetBitRate(),
                                           own ? own->GetGuaranteedRate().GetBitRate() : 0);
            }
            floors += floor;
            floorOf.push_back(floor);
            // the quantity is the total asked: the floor is kept, the rest is auctioned
            GenesisBid extra = b->second;
            extra.quantityBps = extra.quantityBps > floor ? extra.quantityBps - floor : 0;
            bids.push_back(extra);
            bidders.push_back(c);
        }
        uint64_t q = capacity > fixed + floors ? capacity - fixed - floors : 0;
        m_capacity[kv.first] = q;
        if (bids.empty())
        {
            continue;
        }
        std::vector<GenesisAuctionResult> res = m_auctioneer->Run(q, bids);
        for (std::size_t i = 0; i < res.size(); ++i)
        {
            uint64_t nb = floorOf[i] + res[i].allocatedBps;
            uint64_t old = del->GetAllocation(bidders[i], d.dev);
            if (nb != old)
            {
                changes.push_back({bidders[i], d.dev, old, nb});
            }
            auto it = m_outcome.find(res[i].bidder);
            if (it == m_outcome.end())
            {
                BidderOutcome o;
                o.bidder = res[i].bidder;
                o.price = res[i].price;
                o.quantityBps = m_bids[res[i].bidder].quantityBps;
                o.allocatedBps = nb;
                o.payment = res[i].payment;
                m_outcome[res[i].bidder] = o;
            }
            else
            {
                it->second.allocatedBps = std::min(it->second.allocatedBps, nb);
                it->second.payment += res[i].payment;
            }
        }
    }

    // 5. apply: cuts first, then raises
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
        return (a.newBps < a.oldBps) > (b.newBps < b.oldBps);
    });
    std::vector<std::tuple<uint16_t, uint32_t, uint32_t, uint64_t, uint64_t>> applied;
    for (const auto& c : changes)
    {
        try
        {
            DelegateFor(c.dev->GetNode())->Apply(c.child, c.dev, c.newBps);
        }
        catch (const GenesisError& e)
        {
            NS_LOG_WARN("maestro of '" << m_network->GetName() << "': " << e.what());
            continue;
        }
        applied.emplace_back(c.child->GetId(),
                             c.dev->GetNode()->GetId(),
                             c.dev->GetIfIndex(),
                             c.oldBps,
                             c.newBps);
        m_allocationTrace(c.child->GetId(),
                          c.dev->GetNode()->GetId(),
                          c.dev->GetIfIndex(),
                          c.oldBps,
                          c.newBps);
    }

    // 6. the run database, one transaction
    Record(m_readings, applied, "auction");
    m_roundTrace(m_rounds);
    ++m_rounds;
    m_event = Simulator::Schedule(m_interval, &GenesisMaestro::RunInterval, this);
}

} // namespace ns3
