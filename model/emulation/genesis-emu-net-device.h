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

#include <cstdint>

namespace ns3
{

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
 * GenesisHelper::Install needs SetDefaultLinkRate).
 *
 * **VLANs.** A received 802.1Q frame (EtherType 0x8100) loses its VLAN header
 * before the node sees it; the VLAN id travels with the packet in a
 * GenesisVlanTag, on which GenesisVlanFilter classifies. On transmission the
 * tag is removed and, when VlanEgress is true, the 802.1Q header is written
 * back with the same tag control information.
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

    /// TracedCallback signature for VLAN-tagged frames: packet (VLAN header removed), VLAN id.
    typedef void (*VlanTracedCallback)(Ptr<const Packet> packet, uint16_t vlanId);

  protected:
    void DoDispose() override;

  private:
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
    IngressFilter m_ingress;                       //!< ingress check
    TracedCallback<Ptr<const Packet>> m_ingressDropTrace;      //!< refused on ingress
    TracedCallback<Ptr<const Packet>, uint16_t> m_vlanRxTrace; //!< tagged frame received
    TracedCallback<Ptr<const Packet>, uint16_t> m_vlanTxTrace; //!< tagged frame sent
};

} // namespace ns3

#endif /* GENESIS_EMU_NET_DEVICE_H */
