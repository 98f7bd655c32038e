/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-emu-net-device.h"

#include "genesis-vlan-tag.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisEmuNetDevice");
NS_OBJECT_ENSURE_REGISTERED(GenesisEmuNetDevice);

namespace
{
constexpr uint16_t ETHERTYPE_VLAN = 0x8100; //!< IEEE 802.1Q
constexpr uint32_t ETHERNET_HEADER = 14;    //!< destination, source, EtherType
constexpr uint32_t VLAN_HEADER = 4;         //!< TCI, inner EtherType
constexpr uint32_t FRAME_SLACK = 22; //!< FdNetDevice's read buffer: MTU + Ethernet + LLC/SNAP

/**
 * \brief Transmission time of \p bytes at \p bps, in integer nanoseconds
 * rounded to the nearest (per frame: no floating point; bytes * 8e9 stays
 * below 2^64 for anything under 2 GB).
 * \param bytes the bytes
 * \param bps the rate in bit/s (not 0)
 * \return the time
 */
Time
TxTime(uint64_t bytes, uint64_t bps)
{
    return NanoSeconds(static_cast<int64_t>((bytes * 8 * 1000000000ULL + bps / 2) / bps));
}
} // namespace

/**
 * \ingroup genesis
 *
 * \brief The batching reader of a GenesisEmuNetDevice: FdReader's thread
 * (select() on the descriptor and on its stop pipe) with a DoRead that drains
 * up to RxBatchSize frames with one recvmmsg() and queues them on the device,
 * which schedules one simulator event for them.
 */
class GenesisEmuBatchReader : public FdReader
{
  public:
    /**
     * \param device the device (it stops this reader before it goes away)
     * \param batch frames per recvmmsg() at most
     * \param bufferSize bytes per frame buffer
     */
    GenesisEmuBatchReader(GenesisEmuNetDevice* device, uint32_t batch, uint32_t bufferSize)
        : m_device(device),
          m_size(bufferSize),
          m_useRead(false),
          m_bufs(batch, nullptr),
          m_iov(batch),
          m_msgs(batch)
    {
        // The vectors point at each other once; a call re-points only the
        // buffers the device took over (recvmmsg() writes msg_len and the
        // flags, nothing DoRead relies on).
        for (uint32_t i = 0; i < batch; ++i)
        {
            std::memset(&m_msgs[i], 0, sizeof(m_msgs[i]));
            m_iov[i].iov_base = nullptr;
            m_iov[i].iov_len = m_size;
            m_msgs[i].msg_hdr.msg_iov = &m_iov[i];
            m_msgs[i].msg_hdr.msg_iovlen = 1;
        }
    }

    ~GenesisEmuBatchReader() override
    {
        for (uint8_t* b : m_bufs)
        {
            std::free(b);
        }
    }

  private:
    FdReader::Data DoRead() override
    {
        if (m_device->RxQueueFull())
        {
            // The simulator was behind: the kernel's socket buffer held (or
            // dropped) what came meanwhile; select() again.
            return FdReader::Data(nullptr, -1);
        }
        unsigned n = m_useRead ? 1 : static_cast<unsigned>(m_msgs.size());
        for (unsigned i = 0; i < n; ++i)
        {
            if (!m_bufs[i])
            {
                m_bufs[i] = static_cast<uint8_t*>(std::malloc(m_size));
                if (!m_bufs[i])
                {
                    return FdReader::Data(nullptr, -1);
                }
                m_iov[i].iov_base = m_bufs[i];
            }
        }
        int got = 0;
        if (!m_useRead)
        {
            got = recvmmsg(m_fd, m_msgs.data(), n, MSG_DONTWAIT, nullptr);
            if (got < 0 && errno == ENOTSOCK)
            {
                m_useRead = true; // a tap or another non-socket descriptor
            }
        }
        if (m_useRead)
        {
            ssize_t len = read(m_fd, m_bufs[0], m_size);
            got = len < 0 ? -1 : 1;
            m_msgs[0].msg_len = len < 0 ? 0 : static_cast<unsigned>(len);
        }
        if (got < 0)
        {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            {
                return FdReader::Data(nullptr, -1); // nothing after all: select again
            }
            return FdReader::Data(nullptr, 0); // as FdNetDevice's reader: stop reading
        }
        if (got == 0 || m_msgs[0].msg_len == 0)
        {
            return FdReader::Data(nullptr, 0); // end of file (the peer closed)
        }
        std::deque<std::pair<uint8_t*, ssize_t>> frames;
        for (int i = 0; i < got; ++i)
        {
            if (m_msgs[i].msg_len == 0)
            {
                continue; // an empty datagram carries no frame
            }
            frames.emplace_back(m_bufs[i], static_cast<ssize_t>(m_msgs[i].msg_len));
            m_bufs[i] = nullptr; // the device frees it
        }
        m_device->EnqueueBatch(frames);
        return FdReader::Data(nullptr, -1); // delivered here, not by FdReader's callback
    }

    GenesisEmuNetDevice* m_device;      //!< the device
    uint32_t m_size;                    //!< bytes per buffer
    bool m_useRead;                     //!< recvmmsg() said ENOTSOCK
    std::vector<uint8_t*> m_bufs;       //!< one buffer per message (null: handed over)
    std::vector<struct iovec> m_iov;    //!< one per message
    std::vector<struct mmsghdr> m_msgs; //!< the recvmmsg() vector
};

TypeId
GenesisEmuNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisEmuNetDevice")
            .SetParent<FdNetDevice>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisEmuNetDevice>()
            .AddAttribute("DataRate",
                          "Rate at which the port transmits (Ethernet frames without FCS); "
                          "the arbitrator divides this capacity among the networks. 0 "
                          "disables pacing (frames are written as fast as they come).",
                          DataRateValue(DataRate("1Gbps")),
                          MakeDataRateAccessor(&GenesisEmuNetDevice::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("PacingBurst",
                          "Bytes the transmit clock may run ahead of the simulator clock "
                          "before the transmit queue is stopped; it absorbs the real-time "
                          "scheduler's lateness (the queue wakes when half of it is left).",
                          UintegerValue(16000),
                          MakeUintegerAccessor(&GenesisEmuNetDevice::m_burst),
                          MakeUintegerChecker<uint32_t>(1514))
            .AddAttribute("VlanEgress",
                          "Write the 802.1Q header of a packet that arrived VLAN-tagged "
                          "back when it leaves (false: it leaves untagged).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisEmuNetDevice::m_vlanEgress),
                          MakeBooleanChecker())
            .AddAttribute("RxBatchSize",
                          "Frames the reader thread takes per wake-up at most (one "
                          "recvmmsg()); all frames read since the last delivery reach the "
                          "simulator in one event. 1: ns-3's own FdNetDevice reader (one "
                          "read() and one simulator event per frame). Read when the device "
                          "starts. ns-3's reader drops a frame and sleeps 100 ms whenever "
                          "RxQueueSize frames wait for the simulator, so under overload it "
                          "passes at most RxQueueSize frames per 100 ms; the batching reader "
                          "leaves the excess in the kernel's socket buffer instead (see the "
                          "Benchmark of the emulation chapter).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&GenesisEmuNetDevice::m_rxBatch),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute("RxBufferSize",
                          "Bytes of kernel receive buffer the port's socket asks for "
                          "(SO_RCVBUFFORCE with CAP_NET_ADMIN, else SO_RCVBUF, which "
                          "net.core.rmem_max caps). Frames wait there while the simulator is "
                          "busy or descheduled, as in a NIC's descriptor ring; the kernel's "
                          "default (net.core.rmem_default, often 208 KiB) holds about 90 "
                          "1500-byte frames. 0 keeps the default. Applied when "
                          "GenesisEmuHelper installs the port.",
                          UintegerValue(4 << 20),
                          MakeUintegerAccessor(&GenesisEmuNetDevice::m_rxBufferSize),
                          MakeUintegerChecker<uint32_t>(0, 1u << 30))
            .AddTraceSource("RxBatch",
                            "The batching reader delivered frames to the simulator in one "
                            "event: their number (each then passes FdNetDevice's receive "
                            "processing and traces)",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_rxBatchTrace),
                            "ns3::GenesisEmuNetDevice::RxBatchTracedCallback")
            .AddTraceSource("VlanRx",
                            "An 802.1Q frame arrived: the packet without its VLAN header, "
                            "the VLAN id",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_vlanRxTrace),
                            "ns3::GenesisEmuNetDevice::VlanTracedCallback")
            .AddTraceSource("IngressDrop",
                            "A frame that arrived was refused by the ingress filter "
                            "(e.g. GenesisEmuEdge isolation between sibling networks)",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_ingressDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("VlanTx",
                            "A packet left with an 802.1Q header: the packet, the VLAN id",
                            MakeTraceSourceAccessor(&GenesisEmuNetDevice::m_vlanTxTrace),
                            "ns3::GenesisEmuNetDevice::VlanTracedCallback");
    return tid;
}

GenesisEmuNetDevice::GenesisEmuNetDevice()
    : m_rate(DataRate("1Gbps")),
      m_burst(16000),
      m_vlanEgress(true),
      m_nextFree(Seconds(0)),
      m_txFrames(0),
      m_txBytes(0),
      m_pacingStops(0),
      m_rxBatch(64),
      m_rxBufferSize(4 << 20),
      m_rxBufferBytes(0),
      m_rxContext(0),
      m_rxLimit(1000),
      m_rxEventPending(false),
      m_rxBatches(0),
      m_rxBatchFrames(0),
      m_rxQueueFull(0),
      m_realtime(nullptr)
{
    NS_LOG_FUNCTION(this);
}

GenesisEmuNetDevice::~GenesisEmuNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisEmuNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_resumeEvent.Cancel();
    m_txq = nullptr;
    m_ingress = MakeNullCallback<bool, Ptr<const Packet>, uint16_t>();
    m_upRx = MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_upPromisc = MakeNullCallback<bool,
                                   Ptr<NetDevice>,
                                   Ptr<const Packet>,
                                   uint16_t,
                                   const Address&,
                                   const Address&,
                                   PacketType>();
    FdNetDevice::DoDispose();
}

void
GenesisEmuNetDevice::SetNode(Ptr<Node> node)
{
    FdNetDevice::SetNode(node);
    m_rxContext = node->GetId();
    // The traffic-control layer looks for this interface when it scans the
    // node's devices (at initialisation): with it, a queue disc above the
    // port stops dequeuing while the port's transmit queue is stopped.
    Ptr<NetDeviceQueueInterface> ndqi = GetObject<NetDeviceQueueInterface>();
    if (!ndqi)
    {
        ndqi = CreateObject<NetDeviceQueueInterface>();
        AggregateObject(ndqi);
    }
    m_txq = ndqi->GetTxQueue(0);
}

DataRate
GenesisEmuNetDevice::GetDataRate() const
{
    return m_rate;
}

uint64_t
GenesisEmuNetDevice::GetTxFrames() const
{
    return m_txFrames;
}

uint64_t
GenesisEmuNetDevice::GetTxBytes() const
{
    return m_txBytes;
}

uint64_t
GenesisEmuNetDevice::GetNPacingStops() const
{
    return m_pacingStops;
}

uint32_t
GenesisEmuNetDevice::GetRxBatchSize() const
{
    return m_rxBatch;
}

uint64_t
GenesisEmuNetDevice::GetNRxBatches() const
{
    return m_rxBatches;
}

uint64_t
GenesisEmuNetDevice::GetNRxBatchFrames() const
{
    return m_rxBatchFrames;
}

uint64_t
GenesisEmuNetDevice::GetNRxQueueFull() const
{
    return m_rxQueueFull.load();
}

uint32_t
GenesisEmuNetDevice::ApplyRxBufferSize(int fd)
{
    NS_LOG_FUNCTION(this << fd);
    m_rxBufferBytes = 0;
    if (m_rxBufferSize == 0)
    {
        return 0;
    }
    int size = static_cast<int>(m_rxBufferSize);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
    {
        if (errno == ENOTSOCK)
        {
            return 0; // a tap or a pipe: nothing to size
        }
        // Without CAP_NET_ADMIN: as much as net.core.rmem_max allows.
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    }
    int got = 0;
    socklen_t len = sizeof(got);
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0 && got > 0)
    {
        m_rxBufferBytes = static_cast<uint32_t>(got);
    }
    return m_rxBufferBytes;
}

uint32_t
GenesisEmuNetDevice::GetRxBufferBytes() const
{
    return m_rxBufferBytes;
}

Ptr<FdReader>
GenesisEmuNetDevice::DoCreateFdReader()
{
    NS_LOG_FUNCTION(this);
    // Called when the device starts, under the simulator that runs it.
    m_realtime = PeekPointer(DynamicCast<RealtimeSimulatorImpl>(Simulator::GetImplementation()));
    if (m_rxBatch <= 1)
    {
        // What FdNetDevice::DoCreateFdReader makes (private there). Built
        // through a plain pointer: no Ptr of the derived type is released here.
        auto reader = new FdNetDeviceFdReader();
        reader->SetBufferSize(GetMtu() + FRAME_SLACK);
        return Ptr<FdReader>(reader, false);
    }
    UintegerValue limit;
    GetAttribute("RxQueueSize", limit);
    {
        std::unique_lock lock{m_rxMutex};
        m_rxLimit = static_cast<uint32_t>(limit.Get());
    }
    return Ptr<FdReader>(new GenesisEmuBatchReader(this, m_rxBatch, GetMtu() + FRAME_SLACK), false);
}

bool
GenesisEmuNetDevice::RxQueueFull()
{
    std::unique_lock lock{m_rxMutex};
    if (m_rxFrames.size() < m_rxLimit)
    {
        return false;
    }
    ++m_rxQueueFull;
    // DeliverBatch wakes us; the timeout bounds how long FdReader::Stop waits.
    m_rxRoom.wait_for(lock, std::chrono::milliseconds(5), [this]() {
        return m_rxFrames.size() < m_rxLimit;
    });
    return true;
}

void
GenesisEmuNetDevice::EnqueueBatch(std::deque<std::pair<uint8_t*, ssize_t>>& frames)
{
    bool schedule = false;
    {
        std::unique_lock lock{m_rxMutex};
        for (auto& f : frames)
        {
            m_rxFrames.push_back(f);
        }
        frames.clear();
        if (!m_rxEventPending && !m_rxFrames.empty())
        {
            m_rxEventPending = true;
            schedule = true;
        }
    }
    if (schedule)
    {
        Simulator::ScheduleWithContext(m_rxContext,
                                       Time(0),
                                       MakeEvent(&GenesisEmuNetDevice::DeliverBatch, this));
    }
}

void
GenesisEmuNetDevice::DeliverBatch()
{
    NS_LOG_FUNCTION(this);
    std::deque<std::pair<uint8_t*, ssize_t>> frames;
    {
        std::unique_lock lock{m_rxMutex};
        frames.swap(m_rxFrames);
        m_rxEventPending = false;
    }
    m_rxRoom.notify_one();
    if (frames.empty())
    {
        return; // the device stopped meanwhile
    }
    // FdNetDevice::ReceiveCallback queues each frame for its ForwardUp (one
    // event each, scheduled from this thread: no wake-up) but drops and
    // sleeps when RxQueueSize frames wait there: hand it at most that many,
    // the rest follow once these are processed.
    std::size_t room;
    {
        std::unique_lock lock{m_pendingReadMutex};
        room = m_pendingQueue.size() < m_rxLimit ? m_rxLimit - m_pendingQueue.size() : 0;
    }
    uint32_t n = 0;
    while (!frames.empty() && n < room)
    {
        auto f = frames.front();
        frames.pop_front();
        ReceiveCallback(f.first, f.second);
        ++n;
    }
    if (n > 0)
    {
        m_rxBatches++;
        m_rxBatchFrames += n;
        m_rxBatchTrace(n);
    }
    if (!frames.empty())
    {
        bool schedule = false;
        {
            std::unique_lock lock{m_rxMutex};
            while (!frames.empty())
            {
                m_rxFrames.push_front(frames.back());
                frames.pop_back();
            }
            if (!m_rxEventPending)
            {
                m_rxEventPending = true;
                schedule = true;
            }
        }
        if (schedule)
        {
            // After the ForwardUp events just scheduled (same time, later).
            Simulator::ScheduleNow(&GenesisEmuNetDevice::DeliverBatch, this);
        }
    }
}

void
GenesisEmuNetDevice::DoFinishStoppingDevice()
{
    NS_LOG_FUNCTION(this);
    std::unique_lock lock{m_rxMutex};
    for (auto& f : m_rxFrames)
    {
        std::free(f.first);
    }
    m_rxFrames.clear();
    m_rxEventPending = false;
    m_realtime = nullptr;
}

bool
GenesisEmuNetDevice::SendFrom(Ptr<Packet> packet,
                              const Address& source,
                              const Address& dest,
                              uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    GenesisVlanTag tag;
    if (packet->RemovePacketTag(tag) && m_vlanEgress)
    {
        uint8_t vlan[VLAN_HEADER] = {static_cast<uint8_t>(tag.GetTci() >> 8),
                                     static_cast<uint8_t>(tag.GetTci() & 0xff),
                                     static_cast<uint8_t>(protocolNumber >> 8),
                                     static_cast<uint8_t>(protocolNumber & 0xff)};
        Ptr<Packet> tagged = Create<Packet>(vlan, VLAN_HEADER);
        tagged->AddAtEnd(packet);
        m_vlanTxTrace(packet, tag.GetVlanId());
        packet = tagged;
        protocolNumber = ETHERTYPE_VLAN;
    }
    uint32_t frameBytes = packet->GetSize() + ETHERNET_HEADER;
    bool ok = FdNetDevice::SendFrom(packet, source, dest, protocolNumber);
    if (ok)
    {
        ++m_txFrames;
        m_txBytes += frameBytes;
    }
    Pace(frameBytes);
    return ok;
}

void
GenesisEmuNetDevice::Pace(uint32_t frameBytes)
{
    const uint64_t bps = m_rate.GetBitRate();
    if (bps == 0 || !m_txq)
    {
        return;
    }
    Time now = Simulator::Now();
    // The wall clock: the frames of a received batch are processed at one
    // simulator time but leave over the real time their processing takes.
    Time real = m_realtime ? m_realtime->RealtimeNow() : now;
    if (real < now)
    {
        real = now;
    }
    Time start = m_nextFree > real ? m_nextFree : real;
    m_nextFree = start + TxTime(frameBytes, bps);
    Time ahead = m_nextFree - real;
    Time burst = TxTime(m_burst, bps);
    if (ahead > burst && !m_txq->IsStopped())
    {
        m_txq->Stop();
        ++m_pacingStops;
        // Wake when half the burst is left, by the same clock: the event's
        // time is an absolute time, reached when the wall clock gets there.
        Time wake = m_nextFree - burst / 2;
        m_resumeEvent = Simulator::Schedule(wake - now, &GenesisEmuNetDevice::Resume, this);
    }
}

void
GenesisEmuNetDevice::SetIngressFilter(IngressFilter filter)
{
    m_ingress = filter;
}

void
GenesisEmuNetDevice::Resume()
{
    NS_LOG_FUNCTION(this);
    if (m_txq)
    {
        m_txq->Wake();
    }
}

void
GenesisEmuNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_upRx = cb;
    FdNetDevice::SetReceiveCallback(MakeCallback(&GenesisEmuNetDevice::ReceiveUp, this));
}

void
GenesisEmuNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_upPromisc = cb;
    FdNetDevice::SetPromiscReceiveCallback(
        MakeCallback(&GenesisEmuNetDevice::PromiscReceiveUp, this));
}

bool
GenesisEmuNetDevice::StripVlan(Ptr<const Packet>& p, uint16_t& proto)
{
    if (proto != ETHERTYPE_VLAN)
    {
        return true;
    }
    if (p->GetSize() < VLAN_HEADER)
    {
        return false;
    }
    uint8_t vlan[VLAN_HEADER];
    p->CopyData(vlan, VLAN_HEADER);
    GenesisVlanTag tag;
    tag.SetTci(static_cast<uint16_t>((vlan[0] << 8) | vlan[1]));
    proto = static_cast<uint16_t>((vlan[2] << 8) | vlan[3]);
    Ptr<Packet> inner = p->CreateFragment(VLAN_HEADER, p->GetSize() - VLAN_HEADER);
    inner->AddPacketTag(tag);
    m_vlanRxTrace(inner, tag.GetVlanId());
    p = inner;
    return true;
}

bool
GenesisEmuNetDevice::ReceiveUp(Ptr<NetDevice> dev,
                               Ptr<const Packet> p,
                               uint16_t proto,
                               const Address& from)
{
    if (!StripVlan(p, proto) || m_upRx.IsNull())
    {
        return false;
    }
    if (!m_ingress.IsNull() && !m_ingress(p, proto))
    {
        m_ingressDropTrace(p);
        return true;
    }
    return m_upRx(dev, p, proto, from);
}

bool
GenesisEmuNetDevice::PromiscReceiveUp(Ptr<NetDevice> dev,
                                      Ptr<const Packet> p,
                                      uint16_t proto,
                                      const Address& from,
                                      const Address& to,
                                      PacketType type)
{
    if (!StripVlan(p, proto) || m_upPromisc.IsNull())
    {
        return false;
    }
    if (!m_ingress.IsNull() && !m_ingress(p, proto))
    {
        return true;
    }
    return m_upPromisc(dev, p, proto, from, to, type);
}

} // namespace ns3
