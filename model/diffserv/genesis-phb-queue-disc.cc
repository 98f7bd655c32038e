/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-phb-queue-disc.h"

#include "genesis-dscp.h"
#include "genesis-traffic-conditioner.h"
#include "genesis-traffic-conditioning-agreement.h"

#include "ns3/double.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/enum.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-shim-header.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDiffServPhbQueueDisc");
NS_OBJECT_ENSURE_REGISTERED(GenesisPhbQueueDisc);

namespace
{
constexpr uint16_t IPV4_ETHERTYPE = 0x0800; //!< EtherType of IPv4 items
constexpr uint16_t IPV6_ETHERTYPE = 0x86DD; //!< EtherType of IPv6 items

/// DSCP of the IP header at the start of \p b (n bytes), or -1
int32_t
DscpAt(const uint8_t* b, uint32_t n)
{
    if (n < 2)
    {
        return -1;
    }
    switch (b[0] >> 4)
    {
    case 4:
        return b[1] >> 2;
    case 6:
        return ((b[0] & 0x0f) << 2) | (b[1] >> 6);
    default:
        return -1;
    }
}
} // namespace

TypeId
GenesisPhbQueueDisc::GetTypeId()
{
    using P = GenesisPhbQueueDisc;
    static TypeId tid =
        TypeId("ns3::GenesisPhbQueueDisc")
            .SetParent<QueueDisc>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisPhbQueueDisc>()
            .AddAttribute("EfRate",
                          "Rate limit of EF (RFC 3246): EF has strict priority up to this rate.",
                          DataRateValue(DataRate("1Mbps")),
                          MakeDataRateAccessor(&P::m_efRate),
                          MakeDataRateChecker())
            .AddAttribute("EfBurst",
                          "Depth of the EF token bucket in bytes (at least the largest EF packet).",
                          UintegerValue(3000),
                          MakeUintegerAccessor(&P::m_efBurst),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("EfMaxSize",
                          "EF queue limit in packets (overflow: an 'EF rate limit' drop).",
                          UintegerValue(50),
                          MakeUintegerAccessor(&P::m_efLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("AfMaxSize",
                          "Queue limit of each AF class in packets.",
                          UintegerValue(200),
                          MakeUintegerAccessor(&P::m_afLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("BeMaxSize",
                          "Queue limit of the default (BE) class in packets.",
                          UintegerValue(500),
                          MakeUintegerAccessor(&P::m_beLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("QueueWeight",
                          "EWMA weight of the AF average queue (1: the instantaneous queue).",
                          DoubleValue(0.002),
                          MakeDoubleAccessor(&P::m_qw),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMinTh1",
                          "Min threshold of AFx1 (packets).",
                          DoubleValue(40),
                          MakeDoubleAccessor(&P::m_minTh1),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMaxTh1",
                          "Max threshold of AFx1 (packets).",
                          DoubleValue(80),
                          MakeDoubleAccessor(&P::m_maxTh1),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMaxP1",
                          "Drop probability of AFx1 at its max threshold.",
                          DoubleValue(0.02),
                          MakeDoubleAccessor(&P::m_maxP1),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMinTh2",
                          "Min threshold of AFx2 (packets).",
                          DoubleValue(25),
                          MakeDoubleAccessor(&P::m_minTh2),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMaxTh2",
                          "Max threshold of AFx2 (packets).",
                          DoubleValue(50),
                          MakeDoubleAccessor(&P::m_maxTh2),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMaxP2",
                          "Drop probability of AFx2 at its max threshold.",
                          DoubleValue(0.05),
                          MakeDoubleAccessor(&P::m_maxP2),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMinTh3",
                          "Min threshold of AFx3 (packets).",
                          DoubleValue(10),
                          MakeDoubleAccessor(&P::m_minTh3),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMaxTh3",
                          "Max threshold of AFx3 (packets).",
                          DoubleValue(25),
                          MakeDoubleAccessor(&P::m_maxTh3),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMaxP3",
                          "Drop probability of AFx3 at its max threshold.",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&P::m_maxP3),
                          MakeDoubleChecker<double>())
            .AddAttribute("AfMode",
                          "AF average queue: Wred (one average per class) or RioCoupled "
                          "(precedence p averages the packets of precedence <= p).",
                          EnumValue(WRED),
                          MakeEnumAccessor(&P::m_afMode),
                          MakeEnumChecker(WRED, "Wred", RIO_COUPLED, "RioCoupled"))
            .AddAttribute("Scheduler",
                          "Scheduler among AF1..AF4 and BE: Wrr (byte-based weighted round "
                          "robin) or Wfq (self-clocked fair queueing).",
                          EnumValue(WRR),
                          MakeEnumAccessor(&P::m_scheduler),
                          MakeEnumChecker(WRR, "Wrr", WFQ, "Wfq"))
            .AddAttribute("Quantum",
                          "Wrr: bytes per round per unit of weight.",
                          UintegerValue(1500),
                          MakeUintegerAccessor(&P::m_quantum),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Af1Weight",
                          "Weight of AF1.",
                          DoubleValue(4),
                          MakeDoubleAccessor(&P::m_af1Weight),
                          MakeDoubleChecker<double>())
            .AddAttribute("Af2Weight",
                          "Weight of AF2.",
                          DoubleValue(3),
                          MakeDoubleAccessor(&P::m_af2Weight),
                          MakeDoubleChecker<double>())
            .AddAttribute("Af3Weight",
                          "Weight of AF3.",
                          DoubleValue(2),
                          MakeDoubleAccessor(&P::m_af3Weight),
                          MakeDoubleChecker<double>())
            .AddAttribute("Af4Weight",
                          "Weight of AF4.",
                          DoubleValue(2),
                          MakeDoubleAccessor(&P::m_af4Weight),
                          MakeDoubleChecker<double>())
            .AddAttribute("BeWeight",
                          "Weight of the default (BE) class.",
                          DoubleValue(1),
                          MakeDoubleAccessor(&P::m_beWeight),
                          MakeDoubleChecker<double>())
            .AddAttribute("CodepointMap",
                          "Overrides of the codepoint -> PHB map, e.g. \"CS5=EF CS1=AF13 "
                          "CS6=AF41\" (targets EF, AFxy, AFx, BE). Setting it starts from the "
                          "default map.",
                          StringValue(""),
                          MakeStringAccessor(&P::SetCodepointMap, &P::GetCodepointMap),
                          MakeStringChecker())
            .AddAttribute("GenesisProtocol",
                          "IPv4 protocol / IPv6 next header of Genesis-encapsulated packets, "
                          "whose DSCP is read from the child's header behind the shim.",
                          UintegerValue(253),
                          MakeUintegerAccessor(&P::m_genesisProtocol),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("Conditioner",
                          "Optional traffic conditioner applied to each packet before "
                          "classification (an edge port).",
                          PointerValue(),
                          MakePointerAccessor(&P::m_conditioner),
                          MakePointerChecker<GenesisTrafficConditioner>())
            .AddTraceSource("PhbEnqueue",
                            "A packet entered a class: class, codepoint, item.",
                            MakeTraceSourceAccessor(&P::m_traceEnqueue),
                            "ns3::GenesisPhbQueueDisc::PhbItemTracedCallback")
            .AddTraceSource("PhbDequeue",
                            "A packet left a class: class, codepoint, item.",
                            MakeTraceSourceAccessor(&P::m_traceDequeue),
                            "ns3::GenesisPhbQueueDisc::PhbItemTracedCallback")
            .AddTraceSource("PhbDrop",
                            "A packet was dropped: class, codepoint, item, reason (Early drop, "
                            "Forced drop, Queue limit, EF rate limit, Policed).",
                            MakeTraceSourceAccessor(&P::m_traceDrop),
                            "ns3::GenesisPhbQueueDisc::PhbDropTracedCallback");
    return tid;
}

GenesisPhbQueueDisc::GenesisPhbQueueDisc()
    : QueueDisc(QueueDiscSizePolicy::NO_LIMITS),
      m_efRate(DataRate("1Mbps")),
      m_efBurst(3000),
      m_efLimit(50),
      m_afLimit(200),
      m_beLimit(500),
      m_qw(0.002),
      m_minTh1(40),
      m_maxTh1(80),
      m_maxP1(0.02),
      m_minTh2(25),
      m_maxTh2(50),
      m_maxP2(0.05),
      m_minTh3(10),
      m_maxTh3(25),
      m_maxP3(0.1),
      m_af1Weight(4),
      m_af2Weight(3),
      m_af3Weight(2),
      m_af4Weight(2),
      m_beWeight(1),
      m_afMode(WRED),
      m_scheduler(WRR),
      m_quantum(1500),
      m_genesisProtocol(253),
      m_efLastNs(0),
      m_vtime(0),
      m_rng(CreateObject<UniformRandomVariable>())
{
    SetCodepointMap("");
}

GenesisPhbQueueDisc::~GenesisPhbQueueDisc()
{
}

void
GenesisPhbQueueDisc::DoDispose()
{
    m_wakeEvent.Cancel();
    m_conditioner = nullptr;
    m_rng = nullptr;
    QueueDisc::DoDispose();
}

const char*
GenesisPhbQueueDisc::ClassName(PhbClass cls)
{
    static const char* names[] = {"EF", "AF1", "AF2", "AF3", "AF4", "BE"};
    return cls < N_CLASSES ? names[cls] : "?";
}

// ------------------------------------------------------------------ codepoint map

void
GenesisPhbQueueDisc::MapCodepoint(uint8_t dscp, PhbClass cls, uint32_t precedence)
{
    if (dscp > 63 || cls >= N_CLASSES || precedence < 1 || precedence > 3)
    {
        throw GenesisError("GenesisPhbQueueDisc: cannot map codepoint " + std::to_string(dscp) +
                           " to class " + std::to_string(cls) + " precedence " +
                           std::to_string(precedence) +
                           "; codepoints are 0..63, classes EF..BE, precedences 1..3");
    }
    m_mapClass[dscp] = static_cast<uint8_t>(cls);
    m_mapPrec[dscp] = static_cast<uint8_t>(cls >= AF1 && cls <= AF4 ? precedence - 1 : 0);
}

GenesisPhbQueueDisc::PhbClass
GenesisPhbQueueDisc::GetClassOf(uint8_t dscp) const
{
    return static_cast<PhbClass>(m_mapClass[dscp & 63]);
}

uint32_t
GenesisPhbQueueDisc::GetPrecedenceOf(uint8_t dscp) const
{
    return m_mapPrec[dscp & 63] + 1u;
}

void
GenesisPhbQueueDisc::SetCodepointMap(std::string text)
{
    std::array<uint8_t, 64> cls;
    std::array<uint8_t, 64> prec;
    cls.fill(BE);
    prec.fill(0);
    cls[46] = EF; // EF
    cls[44] = EF; // VOICE-ADMIT (RFC 5865) gets EF treatment
    for (uint8_t x = 1; x <= 4; ++x)
    {
        for (uint8_t y = 1; y <= 3; ++y)
        {
            cls[8 * x + 2 * y] = x; // AFxy (RFC 2597)
            prec[8 * x + 2 * y] = y - 1;
        }
    }
    std::string t = text;
    std::replace(t.begin(), t.end(), ',', ' ');
    std::istringstream is(t);
    std::string entry;
    while (is >> entry)
    {
        const std::string hint = "write entries CODEPOINT=PHB separated by spaces, e.g. "
                                 "\"CS5=EF CS1=AF13\"; PHB is EF, BE, AFx or AFxy";
        auto eq = entry.find('=');
        if (eq == std::string::npos)
        {
            throw GenesisError("GenesisPhbQueueDisc: attribute CodepointMap: entry '" + entry +
                               "' has no '='; " + hint);
        }
        uint8_t d = GenesisDscp::ParseOrThrow(entry.substr(0, eq),
                                              "GenesisPhbQueueDisc: attribute CodepointMap");
        std::string phb = entry.substr(eq + 1);
        std::transform(phb.begin(), phb.end(), phb.begin(), [](unsigned char c) {
            return std::toupper(c);
        });
        if (phb == "EF")
        {
            cls[d] = EF;
            prec[d] = 0;
        }
        else if (phb == "BE" || phb == "DF" || phb == "DEFAULT")
        {
            cls[d] = BE;
            prec[d] = 0;
        }
        else if ((phb.size() == 3 || phb.size() == 4) && phb[0] == 'A' && phb[1] == 'F' &&
                 phb[2] >= '1' && phb[2] <= '4' &&
                 (phb.size() == 3 || (phb[3] >= '1' && phb[3] <= '3')))
        {
            cls[d] = static_cast<uint8_t>(phb[2] - '0');
            prec[d] = static_cast<uint8_t>(phb.size() == 4 ? phb[3] - '1' : 0);
        }
        else
        {
            throw GenesisError("GenesisPhbQueueDisc: attribute CodepointMap: unknown PHB '" +
                               entry.substr(eq + 1) + "' in '" + entry + "'; " + hint);
        }
    }
    m_mapClass = cls;
    m_mapPrec = prec;
    m_mapText = text;
}

std::string
GenesisPhbQueueDisc::GetCodepointMap() const
{
    return m_mapText;
}

uint8_t
GenesisPhbQueueDisc::ReadDscp(Ptr<const QueueDiscItem> item) const
{
    const QueueDiscItem* raw = PeekPointer(item);
    uint8_t outer = 0;
    bool genesis = false;
    if (item->GetProtocol() == IPV4_ETHERTYPE)
    {
        auto v4 = dynamic_cast<const Ipv4QueueDiscItem*>(raw);
        if (v4 == nullptr)
        {
            return 0;
        }
        outer = v4->GetHeader().GetDscp();
        genesis = v4->GetHeader().GetProtocol() == m_genesisProtocol;
    }
    else if (item->GetProtocol() == IPV6_ETHERTYPE)
    {
        auto v6 = dynamic_cast<const Ipv6QueueDiscItem*>(raw);
        if (v6 == nullptr)
        {
            return 0;
        }
        outer = v6->GetHeader().GetDscp();
        genesis = v6->GetHeader().GetNextHeader() == m_genesisProtocol;
    }
    else
    {
        return 0;
    }
    if (!genesis)
    {
        return outer;
    }
    // A child network's packet: its own IP header follows the Genesis shim.
    Ptr<Packet> p = item->GetPacket();
    GenesisShimHeader shim;
    const uint32_t shimSize = p->PeekHeader(shim);
    if (shimSize == 0 || !shim.IsValid())
    {
        return outer;
    }
    uint8_t buf[96];
    const uint32_t n = p->CopyData(buf, std::min<uint32_t>(sizeof(buf), p->GetSize()));
    if (n <= shimSize)
    {
        return outer;
    }
    int32_t inner = DscpAt(buf + shimSize, n - shimSize);
    return inner < 0 ? outer : static_cast<uint8_t>(inner);
}

// ------------------------------------------------------------------ configuration

bool
GenesisPhbQueueDisc::CheckConfig()
{
    NS_LOG_FUNCTION(this);
    const std::string me = "GenesisPhbQueueDisc: ";
    if (GetNQueueDiscClasses() > 0)
    {
        throw GenesisError(me + "it has no child queue discs; remove the classes added with "
                                "AddQueueDiscClass");
    }
    AdoptAgreements();
    if (GetNInternalQueues() > 0)
    {
        throw GenesisError(me + "it creates its own six queues; do not add internal queues "
                                "(set EfMaxSize, AfMaxSize, BeMaxSize instead)");
    }
    if (m_efRate.GetBitRate() == 0)
    {
        throw GenesisError(me + "attribute EfRate is 0bps; EF needs a positive rate limit "
                                "(e.g. EfRate=1Mbps)");
    }
    if (m_efBurst == 0 || m_efBurst > GenesisTokenBucket::MAX_DEPTH)
    {
        throw GenesisError(me + "attribute EfBurst is " + std::to_string(m_efBurst) +
                           " bytes; set it between the largest EF packet (e.g. 1500) and 1e9");
    }
    if (m_efLimit == 0 || m_afLimit == 0 || m_beLimit == 0)
    {
        throw GenesisError(me + "EfMaxSize, AfMaxSize and BeMaxSize must be at least 1 packet");
    }
    if (!(m_qw > 0 && m_qw <= 1))
    {
        throw GenesisError(me + "attribute QueueWeight is " + std::to_string(m_qw) +
                           "; the EWMA weight must be in (0, 1] (e.g. 0.002)");
    }
    m_minTh = {m_minTh1, m_minTh2, m_minTh3};
    m_maxTh = {m_maxTh1, m_maxTh2, m_maxTh3};
    m_maxP = {m_maxP1, m_maxP2, m_maxP3};
    for (int p = 0; p < 3; ++p)
    {
        const std::string n = std::to_string(p + 1);
        if (!(m_minTh[p] >= 0 && m_minTh[p] < m_maxTh[p]))
        {
            throw GenesisError(me + "AfMinTh" + n + " (" + std::to_string(m_minTh[p]) +
                               ") must be >= 0 and below AfMaxTh" + n + " (" +
                               std::to_string(m_maxTh[p]) + "); raise AfMaxTh" + n);
        }
        if (!(m_maxP[p] > 0 && m_maxP[p] <= 1))
        {
            throw GenesisError(me + "AfMaxP" + n + " is " + std::to_string(m_maxP[p]) +
                               "; a probability must be in (0, 1]");
        }
    }
    const double weights[] = {m_af1Weight, m_af2Weight, m_af3Weight, m_af4Weight, m_beWeight};
    static const char* wname[] = {"Af1Weight", "Af2Weight", "Af3Weight", "Af4Weight", "BeWeight"};
    for (int i = 0; i < 5; ++i)
    {
        if (!(weights[i] > 0) || !std::isfinite(weights[i]))
        {
            throw GenesisError(me + "attribute " + wname[i] + " is " + std::to_string(weights[i]) +
                               "; weights must be positive");
        }
        m_classes[i + 1].weight = weights[i];
    }
    if (m_scheduler == WRR && m_quantum == 0)
    {
        throw GenesisError(me + "attribute Quantum is 0; give Wrr at least one byte per round "
                                "(e.g. Quantum=1500)");
    }
    m_classes[EF].limit = m_efLimit;
    for (uint32_t c = AF1; c <= AF4; ++c)
    {
        m_classes[c].limit = m_afLimit;
    }
    m_classes[BE].limit = m_beLimit;
    for (uint32_t c = 0; c < N_CLASSES; ++c)
    {
        // The disc enforces the limits itself (with its own drop reasons), so the
        // internal queues never overflow.
        Ptr<InternalQueue> q = CreateObjectWithAttributes<DropTailQueue<QueueDiscItem>>(
            "MaxSize",
            QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, m_classes[c].limit)));
        AddInternalQueue(q);
    }
    return true;
}

void
GenesisPhbQueueDisc::InitializeParams()
{
    NS_LOG_FUNCTION(this);
    m_efBucket.Configure(m_efRate.GetBitRate(), m_efBurst);
    m_efLastNs = Simulator::Now().GetNanoSeconds();
    m_vtime = 0;
}

int64_t
GenesisPhbQueueDisc::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    int64_t used = 1;
    if (m_conditioner)
    {
        used += m_conditioner->AssignStreams(stream + used);
    }
    return used;
}

// ------------------------------------------------------------------ enqueue

void
GenesisPhbQueueDisc::Drop(Ptr<QueueDiscItem> item, uint32_t cls, uint8_t dscp, const char* reason)
{
    GenesisPhbStats& cs = m_classes[cls].stats;
    GenesisPhbStats& ds = m_dscpStats[dscp];
    uint64_t GenesisPhbStats::*counter = &GenesisPhbStats::limitDrops;
    if (reason == EARLY_DROP)
    {
        counter = &GenesisPhbStats::earlyDrops;
    }
    else if (reason == FORCED_DROP)
    {
        counter = &GenesisPhbStats::forcedDrops;
    }
    else if (reason == RATE_DROP)
    {
        counter = &GenesisPhbStats::rateDrops;
    }
    else if (reason == POLICED_DROP)
    {
        counter = &GenesisPhbStats::policedDrops;
    }
    ++(cs.*counter);
    ++(ds.*counter);
    NS_LOG_LOGIC(ClassName(static_cast<PhbClass>(cls))
                 << " " << GenesisDscp::Name(dscp) << ": " << reason);
    m_traceDrop(cls, dscp, item, reason);
    DropBeforeEnqueue(item, reason);
}

const char*
GenesisPhbQueueDisc::AfAdmit(uint32_t cls, uint32_t prec)
{
    ClassState& s = m_classes[cls];
    // EWMA at every arrival, over the queue as it is before this packet
    if (m_afMode == WRED)
    {
        const double q = static_cast<double>(s.dscps.size());
        const double a = (1 - m_qw) * s.avg[0] + m_qw * q;
        s.avg = {a, a, a};
    }
    else
    {
        uint32_t q = 0;
        for (int p = 0; p < 3; ++p)
        {
            q += s.nPrec[p];
            s.avg[p] = (1 - m_qw) * s.avg[p] + m_qw * q;
        }
    }
    if (s.dscps.size() >= s.limit)
    {
        return LIMIT_DROP;
    }
    const double a = s.avg[prec];
    if (a < m_minTh[prec])
    {
        return nullptr;
    }
    if (a >= m_maxTh[prec])
    {
        return FORCED_DROP;
    }
    const double pb = m_maxP[prec] * (a - m_minTh[prec]) / (m_maxTh[prec] - m_minTh[prec]);
    return m_rng->GetValue(0.0, 1.0) < pb ? EARLY_DROP : nullptr;
}

uint32_t
GenesisPhbQueueDisc::AdoptAgreements()
{
    uint32_t adopted = 0;
    while (m_nFiltersSeen < GetNPacketFilters())
    {
        Ptr<PacketFilter> f = GetPacketFilter(m_nFiltersSeen++);
        auto tca = DynamicCast<GenesisTrafficConditioningAgreement>(f);
        if (!tca)
        {
            throw GenesisError("GenesisPhbQueueDisc: packet filter '" +
                               f->GetInstanceTypeId().GetName() +
                               "' has no place here: the disc classifies by DSCP (CodepointMap); "
                               "give it GenesisTrafficConditioningAgreement filters (or a "
                               "GenesisTrafficConditioner in Conditioner) to classify by other "
                               "fields and mark");
        }
        if (!m_conditioner)
        {
            m_conditioner = CreateObject<GenesisTrafficConditioner>();
        }
        m_conditioner->AddTca(tca);
        ++adopted;
    }
    return adopted;
}

Ptr<GenesisTrafficConditioner>
GenesisPhbQueueDisc::GetConditioner() const
{
    return m_conditioner;
}

bool
GenesisPhbQueueDisc::DoEnqueue(Ptr<QueueDiscItem> item)
{
    NS_LOG_FUNCTION(this << item);
    if (m_nFiltersSeen < GetNPacketFilters())
    {
        try
        {
            AdoptAgreements();
        }
        catch (const GenesisError& e)
        {
            // Filters added after CheckConfig (a spawned port): the spawner
            // has checked the agreements; a foreign filter is ignored.
            NS_LOG_WARN(e.what());
        }
    }
    if (m_conditioner)
    {
        Ptr<QueueDiscItem> conditioned = m_conditioner->ConditionItem(item);
        if (!conditioned)
        {
            const uint8_t d = ReadDscp(item);
            Drop(item, GetClassOf(d), d, POLICED_DROP);
            return false;
        }
        if (conditioned != item)
        {
            conditioned->SetTimeStamp(Simulator::Now());
            item = conditioned;
        }
    }
    const uint8_t dscp = ReadDscp(item);
    const uint32_t cls = m_mapClass[dscp];
    const uint32_t prec = m_mapPrec[dscp];
    ClassState& s = m_classes[cls];
    const char* reason = nullptr;
    if (cls == EF)
    {
        if (s.dscps.size() >= s.limit || item->GetSize() > m_efBurst)
        {
            reason = RATE_DROP; // behind the rate limit, or too big to ever conform
        }
    }
    else if (cls == BE)
    {
        if (s.dscps.size() >= s.limit)
        {
            reason = LIMIT_DROP;
        }
    }
    else
    {
        reason = AfAdmit(cls, prec);
    }
    if (reason != nullptr)
    {
        Drop(item, cls, dscp, reason);
        return false;
    }
    const bool wasEmpty = s.dscps.empty();
    if (!GetInternalQueue(cls)->Enqueue(item))
    {
        return false; // not reached: the limits above are the queue's; reported by QueueDisc
    }
    s.dscps.push_back(static_cast<uint8_t>(dscp | (prec << 6)));
    ++s.nPrec[prec];
    const uint32_t size = item->GetSize();
    ++s.stats.enqueuedPackets;
    s.stats.enqueuedBytes += size;
    ++m_dscpStats[dscp].enqueuedPackets;
    m_dscpStats[dscp].enqueuedBytes += size;
    if (cls != EF && wasEmpty)
    {
        if (m_scheduler == WRR)
        {
            if (!s.active)
            {
                s.active = true;
                s.deficit = static_cast<int64_t>(std::llround(s.weight * m_quantum));
                m_wrrActive.push_back(cls);
            }
        }
        else
        {
            s.finish = std::max(s.finish, m_vtime) + size / s.weight;
        }
    }
    m_traceEnqueue(cls, dscp, item);
    return true;
}

// ------------------------------------------------------------------ dequeue

void
GenesisPhbQueueDisc::RefillEf()
{
    const int64_t now = Simulator::Now().GetNanoSeconds();
    m_efBucket.Fill(now - m_efLastNs);
    m_efLastNs = std::max(m_efLastNs, now);
}

Ptr<QueueDiscItem>
GenesisPhbQueueDisc::TakeHead(uint32_t cls)
{
    ClassState& s = m_classes[cls];
    Ptr<QueueDiscItem> item = GetInternalQueue(cls)->Dequeue();
    const uint8_t packed = s.dscps.front();
    s.dscps.pop_front();
    const uint8_t dscp = packed & 63;
    --s.nPrec[packed >> 6];
    const uint32_t size = item->GetSize();
    ++s.stats.dequeuedPackets;
    s.stats.dequeuedBytes += size;
    ++m_dscpStats[dscp].dequeuedPackets;
    m_dscpStats[dscp].dequeuedBytes += size;
    m_traceDequeue(cls, dscp, item);
    return item;
}

int32_t
GenesisPhbQueueDisc::PickWrr()
{
    while (!m_wrrActive.empty())
    {
        const uint32_t c = m_wrrActive.front();
        ClassState& s = m_classes[c];
        if (s.deficit <= 0)
        {
            s.deficit += static_cast<int64_t>(std::llround(s.weight * m_quantum));
            m_wrrActive.splice(m_wrrActive.end(), m_wrrActive, m_wrrActive.begin());
            continue;
        }
        return static_cast<int32_t>(c);
    }
    return -1;
}

int32_t
GenesisPhbQueueDisc::PickWfq()
{
    int32_t best = -1;
    for (uint32_t c = AF1; c <= BE; ++c)
    {
        if (!m_classes[c].dscps.empty() &&
            (best < 0 || m_classes[c].finish < m_classes[best].finish))
        {
            best = static_cast<int32_t>(c);
        }
    }
    return best;
}

Ptr<QueueDiscItem>
GenesisPhbQueueDisc::DoDequeue()
{
    NS_LOG_FUNCTION(this);
    RefillEf();
    ClassState& ef = m_classes[EF];
    if (!ef.dscps.empty())
    {
        const uint32_t size = GetInternalQueue(EF)->Peek()->GetSize();
        if (m_efBucket.Has(size))
        {
            m_efBucket.Take(size);
            return TakeHead(EF);
        }
    }
    if (m_scheduler == WRR)
    {
        const int32_t c = PickWrr();
        if (c >= 0)
        {
            ClassState& s = m_classes[c];
            Ptr<QueueDiscItem> item = TakeHead(c);
            s.deficit -= item->GetSize();
            if (s.dscps.empty())
            {
                m_wrrActive.pop_front(); // PickWrr returned the front
                s.active = false;
                s.deficit = 0;
            }
            return item;
        }
    }
    else
    {
        const int32_t c = PickWfq();
        if (c >= 0)
        {
            ClassState& s = m_classes[c];
            Ptr<QueueDiscItem> item = TakeHead(c);
            m_vtime = s.finish;
            if (!s.dscps.empty())
            {
                s.finish += GetInternalQueue(c)->Peek()->GetSize() / s.weight;
            }
            return item;
        }
    }
    if (!ef.dscps.empty())
    {
        ScheduleEfWake();
    }
    return nullptr;
}

Time
GenesisPhbQueueDisc::GetNextWakeTime() const
{
    const ClassState& ef = m_classes[EF];
    if (ef.dscps.empty())
    {
        return Time::Max();
    }
    for (uint32_t c = AF1; c <= BE; ++c)
    {
        if (!m_classes[c].dscps.empty())
        {
            return Time::Max(); // servable now
        }
    }
    GenesisTokenBucket b = m_efBucket;
    const int64_t now = Simulator::Now().GetNanoSeconds();
    b.Fill(now - m_efLastNs);
    const int64_t wait = b.TimeToHave(GetInternalQueue(EF)->Peek()->GetSize());
    return wait < 0 ? Time::Max() : NanoSeconds(now + wait);
}

void
GenesisPhbQueueDisc::ScheduleEfWake()
{
    if (!GetSendCallback())
    {
        return; // nested: only the root transmits; the parent pulls us again
    }
    const Time when = GetNextWakeTime();
    if (when == Time::Max())
    {
        return;
    }
    if (m_wakeEvent.IsRunning() && m_wakeEvent.GetTs() <= static_cast<uint64_t>(when.GetTimeStep()))
    {
        return;
    }
    m_wakeEvent.Cancel();
    m_wakeEvent = Simulator::Schedule(when - Simulator::Now(), &QueueDisc::Run, this);
}

// ------------------------------------------------------------------ statistics

const GenesisPhbStats&
GenesisPhbQueueDisc::GetClassStats(PhbClass cls) const
{
    return m_classes[cls < N_CLASSES ? cls : BE].stats;
}

const GenesisPhbStats&
GenesisPhbQueueDisc::GetCodepointStats(uint8_t dscp) const
{
    return m_dscpStats[dscp & 63];
}

uint32_t
GenesisPhbQueueDisc::GetClassPackets(PhbClass cls) const
{
    return cls < N_CLASSES ? static_cast<uint32_t>(m_classes[cls].dscps.size()) : 0;
}

double
GenesisPhbQueueDisc::GetAverageQueue(PhbClass cls, uint32_t precedence) const
{
    if (cls < AF1 || cls > AF4 || precedence < 1 || precedence > 3)
    {
        return 0;
    }
    return m_classes[cls].avg[precedence - 1];
}

double
GenesisPhbQueueDisc::GetEfTokens() const
{
    return m_efBucket.GetBytes();
}

} // namespace ns3
