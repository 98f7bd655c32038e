/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_EMU_NET_DEVICE_H
#define GENESIS_EMU_NET_DEVICE_H

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/fd-net-device.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>

namespace ns3
{

class RealtimeSimulatorImpl;

/**
 * \ingroup genesis
 *
 * \brief An emulated Genesis port: an FdNetDevice (a real NIC through a packet
 * socket, or any file descriptor) that transmits at a configured rate and
 * understands IEEE 802.1Q VLAN tags.
 *
 * **Pacing.** An FdNetDevice writes every packet to its file descriptor at
 * once and has no transmit queue, so a queue disc above it never holds a
 * packet and the ArbitratorQueueDisc cannot arbitrate. This device keeps a
 * transmit clock at DataRate: after each frame the clock advances by the
 * frame's transmission time, and when the clock runs more than PacingBurst
 * bytes ahead of the simulator clock the device stops its transmit queue
 * (NetDeviceQueue::Stop, the flow control of ns-3's traffic-control layer)
 * until it has drained to half that. The queue disc — the arbitrator — then
 * holds the backlog and decides which network's packet goes next, as on a
 * PointToPointNetDevice. A DataRate of 0 disables pacing (and then
 * GenesisHelper::Install needs SetDefaultLinkRate). Under the real-time
 * simulator the transmit clock is compared with the wall clock
 * (RealtimeSimulatorImpl::RealtimeNow), not with the simulator clock: the
 * frames of one received batch are all processed at the batch's simulator
 * time, but they leave over the real time their processing takes.
 *
 * **VLANs.** A received 802.1Q frame (EtherType 0x8100) loses its VLAN header
 * before the node sees it; the VLAN id travels with the packet in a
 * GenesisVlanTag, on which GenesisVlanFilter classifies. On transmission the
 * tag is removed and, when VlanEgress is true, the 802.1Q header is written
 * back with the same tag control information.
 *
 * **Batched reception.** ns-3's FdNetDevice reads one frame per read() in its
 * reader thread and hands each frame to the real-time simulator with its own
 * ScheduleWithContext (a lock and a wake-up of the simulator thread per
 * frame). With RxBatchSize > 1 (e.g. 64) the device's reader thread
 * drains up to RxBatchSize frames per wake-up with one recvmmsg() (read()
 * on descriptors that are not sockets) and hands the simulator ONE event for
 * all the frames that arrived since the last one was delivered. That event
 * passes the frames, in arrival order, to FdNetDevice's own per-frame
 * processing (Ethernet/LLC decoding, packet types, the MacRx, MacPromiscRx,
 * Sniffer, PromiscSniffer and PhyRxDrop traces, the receive callbacks), so a
 * frame is processed exactly as ns-3 processes it, only the hand-off between
 * the threads is batched. RxBatch traces every delivery with its frame count.
 * When RxQueueSize frames wait for the simulator, the reader stops reading
 * (the kernel's socket buffer holds or drops what comes) instead of
 * FdNetDevice's drop-and-sleep for 100 ms (which caps ns-3's reader at
 * RxQueueSize frames per 100 ms under overload). RxBatchSize = 1 keeps ns-3's
 * own reader (FdNetDeviceFdReader) unchanged; the default, 64, is the
 * batching reader (doc/emulation-section.rst, Benchmark).
 */
class GenesisEmuNetDevice : public FdNetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisEmuNetDevice();
    ~GenesisEmuNetDevice() override;

    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    void SetNode(Ptr<Node> node) override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;

    /**
     * \brief A check run on every frame that arrives, after the VLAN header is
     * stripped: false drops the frame (traced on IngressDrop).
     * Arguments: the packet (L3, GenesisVlanTag attached when tagged), the EtherType.
     */
    typedef Callback<bool, Ptr<const Packet>, uint16_t> IngressFilter;
    /// \param filter the check (a null callback admits everything)
    void SetIngressFilter(IngressFilter filter);

    /// \return the transmission rate (0: not paced)
    DataRate GetDataRate() const;
    /// \return frames written to the file descriptor
    uint64_t GetTxFrames() const;
    /// \return bytes written to the file descriptor (Ethernet frames without FCS)
    uint64_t GetTxBytes() const;
    /// \return how often the transmit queue was stopped to pace
    uint64_t GetNPacingStops() const;
    /// \return the frames read per reader wake-up at most (1: ns-3's own reader)
    uint32_t GetRxBatchSize() const;
    /// \return the batches the batching reader delivered to the simulator
    uint64_t GetNRxBatches() const;
    /// \return the frames the batching reader delivered to the simulator
    uint64_t GetNRxBatchFrames() const;
    /// \return how often the batching reader waited because RxQueueSize frames were queued
    uint64_t GetNRxQueueFull() const;

    /**
     * \brief Give the port's socket RxBufferSize bytes of kernel receive
     * buffer (GenesisEmuHelper calls it when it installs the port).
     * \param fd the port's descriptor (one that is not a socket is left alone)
     * \return the receive buffer the socket has afterwards, in bytes as
     * getsockopt(SO_RCVBUF) reports it (the kernel doubles a request for its
     * bookkeeping); 0 when RxBufferSize is 0 or \p fd is not a socket
     */
    uint32_t ApplyRxBufferSize(int fd);
    /// \return the receive buffer ApplyRxBufferSize left on the socket (0: none set)
    uint32_t GetRxBufferBytes() const;

    /// TracedCallback signature for VLAN-tagged frames: packet (VLAN header removed), VLAN id.
    typedef void (*VlanTracedCallback)(Ptr<const Packet> packet, uint16_t vlanId);
    /// TracedCallback signature for a batch delivered to the simulator: its frames.
    typedef void (*RxBatchTracedCallback)(uint32_t frames);

  protected:
    void DoDispose() override;

  private:
    friend class GenesisEmuBatchReader;

    /// The batching reader when RxBatchSize > 1, else FdNetDevice's own.
    Ptr<FdReader> DoCreateFdReader() override;
    /// Free the frames the batching reader queued (the device stopped).
    void DoFinishStoppingDevice() override;
    /**
     * \brief Reader thread: queue frames for the simulator; schedule one
     * delivery unless one is pending.
     * \param frames malloc()ed buffers and their lengths, in arrival order (taken over)
     */
    void EnqueueBatch(std::deque<std::pair<uint8_t*, ssize_t>>& frames);
    /**
     * \brief Reader thread: when RxQueueSize frames wait for the simulator,
     * wait until it takes them (at most a few milliseconds).
     * \return true when the queue was full
     */
    bool RxQueueFull();
    /// Simulator thread: pass every queued frame to FdNetDevice's processing.
    void DeliverBatch();
    /// Interpose on frames going up: strip an 802.1Q header into a GenesisVlanTag.
    bool ReceiveUp(Ptr<NetDevice> dev, Ptr<const Packet> p, uint16_t proto, const Address& from);
    /// \copydoc ReceiveUp
    bool PromiscReceiveUp(Ptr<NetDevice> dev,
                          Ptr<const Packet> p,
                          uint16_t proto,
                          const Address& from,
                          const Address& to,
                          PacketType type);
    /// Strip the VLAN header of \p p when \p proto is 802.1Q. \return false for a runt
    bool StripVlan(Ptr<const Packet>& p, uint16_t& proto);
    /// Advance the transmit clock by \p frameBytes; stop the queue when too far ahead.
    void Pace(uint32_t frameBytes);
    /// Wake the transmit queue (end of a pacing pause).
    void Resume();

    DataRate m_rate;                               //!< transmission rate (0: not paced)
    uint32_t m_burst;                              //!< bytes the transmit clock may run ahead
    bool m_vlanEgress;                             //!< write the 802.1Q header back on transmission
    Time m_nextFree;                               //!< transmit clock: when the last frame has left
    EventId m_resumeEvent;                         //!< pending Resume
    Ptr<NetDeviceQueue> m_txq;                     //!< the device's transmit queue (flow control)
    NetDevice::ReceiveCallback m_upRx;             //!< the node's receive callback
    NetDevice::PromiscReceiveCallback m_upPromisc; //!< the node's promiscuous callback
    uint64_t m_txFrames;                           //!< frames written
    uint64_t m_txBytes;                            //!< bytes written
    uint64_t m_pacingStops;                        //!< queue stops
    uint32_t m_rxBatch;                            //!< RxBatchSize
    uint32_t m_rxBufferSize;                       //!< RxBufferSize
    uint32_t m_rxBufferBytes;                      //!< what the socket got
    uint32_t m_rxContext;                          //!< the node id (events of the reader)
    uint32_t m_rxLimit;                            //!< RxQueueSize, read at start
    std::mutex m_rxMutex; //!< guards m_rxFrames, m_rxEventPending, m_rxLimit
    std::deque<std::pair<uint8_t*, ssize_t>> m_rxFrames; //!< read, not yet delivered
    std::condition_variable m_rxRoom;                    //!< the simulator took the queued frames
    bool m_rxEventPending;                               //!< a DeliverBatch is scheduled
    uint64_t m_rxBatches;                                //!< deliveries
    uint64_t m_rxBatchFrames;                            //!< frames delivered in batches
    std::atomic<uint64_t> m_rxQueueFull;                 //!< reader waits on a full queue
    TracedCallback<uint32_t> m_rxBatchTrace;             //!< a batch delivered
    RealtimeSimulatorImpl* m_realtime; //!< the real-time simulator while started (pacing clock)
    IngressFilter m_ingress;           //!< ingress check
    TracedCallback<Ptr<const Packet>> m_ingressDropTrace;      //!< refused on ingress
    TracedCallback<Ptr<const Packet>, uint16_t> m_vlanRxTrace; //!< tagged frame received
    TracedCallback<Ptr<const Packet>, uint16_t> m_vlanTxTrace; //!< tagged frame sent
};

} // namespace ns3

#endif /* GENESIS_EMU_NET_DEVICE_H */
