/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CELLULAR_IP_MOBILE_HOST_H
#define GENESIS_CELLULAR_IP_MOBILE_HOST_H

#include "cellular-ip-header.h"

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/traced-callback.h"
#include "ns3/virtual-net-device.h"

#include <array>
#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The Cellular IP agent of a mobile host.
 *
 * The host's IP stack sits on a VirtualNetDevice (its "air port") that the
 * agent maps onto the host's radio device (an 802.11 ad hoc WifiNetDevice in
 * the examples, any NetDevice works). The agent
 *  - measures base-station beacons (received power from the radio's
 *    PhyRxBegin trace when the device is a WifiNetDevice) and, with
 *    AutoHandoff, moves to a base station that is Hysteresis dB stronger than
 *    the current one, or to the strongest when the current one falls silent
 *    for BeaconTimeout;
 *  - sends every uplink packet to the current base station and accepts
 *    unicast frames only from it (the radio listens to one base station;
 *    frames from others are lost, reason "not-listening");
 *  - runs the idle/active state machine: active while data flows (sent or
 *    received) and for ActiveStateTimeout after the last data packet, then
 *    idle; an idle host that receives a (paged) packet becomes active and
 *    sends a route-update at once;
 *  - sends route-updates when active (only if no uplink packet refreshed the
 *    caches within RouteUpdateTime) and paging-updates when idle (every
 *    PagingUpdateTime);
 *  - hard handoff: switch to the new base station and send a route-update
 *    through it; semisoft handoff: send a semisoft route-update through the
 *    new base station while still listening to the old one, switch
 *    SemisoftSwitchTime later and send a regular route-update.
 */
class GenesisCellularIpMobileHost : public Application
{
  public:
    /// Idle/active state.
    enum State
    {
        IDLE,
        ACTIVE,
    };

    /// Handoff type.
    enum HandoffType
    {
        HARD,
        SEMISOFT,
    };

    /// \return the TypeId
    static TypeId GetTypeId();
    GenesisCellularIpMobileHost();

    /**
     * Bind the agent to the host's devices.
     * \param air the radio device (no IPv4 interface on it)
     * \param port the VirtualNetDevice carrying the host's IPv4 interface
     * \param address the host's Cellular IP address
     */
    void Setup(Ptr<NetDevice> air, Ptr<VirtualNetDevice> port, Ipv4Address address);

    /**
     * Hand off to a base station now (tests and scripted scenarios; with
     * AutoHandoff the agent does this itself).
     * \param bs the base station's air address (as heard in its beacons)
     * \param type hard or semisoft (semisoft needs an active host; an idle
     *        host always moves with a paging-update)
     * \return false if that base station has not been heard
     */
    bool HandoffTo(Ipv4Address bs, HandoffType type);

    /// \return the state
    State GetState() const;
    /// \return the current base station's air address (0.0.0.0 if none)
    Ipv4Address GetCurrentBaseStation() const;
    /// \return the host's address
    Ipv4Address GetAddress() const;
    /// \return the radio device (null before Setup)
    Ptr<NetDevice> GetRadio() const;
    /// \return route-updates sent
    uint32_t GetRouteUpdatesSent() const;
    /// \return paging-updates sent
    uint32_t GetPagingUpdatesSent() const;
    /// \return smoothed received beacon power of \p bs in dBm (-inf if unknown)
    double GetSignal(Ipv4Address bs) const;

    /// TracedCallback: old BS, new BS, type ("hard"/"semisoft"), duration.
    typedef void (*HandoffTracedCallback)(Ipv4Address oldBs,
                                          Ipv4Address newBs,
                                          const std::string& type,
                                          Time duration);
    /// TracedCallback: old state, new state.
    typedef void (*StateTracedCallback)(State oldState, State newState);
    /// TracedCallback: control header sent.
    typedef void (*ControlTracedCallback)(const GenesisCellularIpHeader& header);
    /// TracedCallback: packet, reason.
    typedef void (*LostTracedCallback)(Ptr<const Packet> p, const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Frames from the radio.
    void ReceiveFromAir(Ptr<NetDevice> device,
                        Ptr<const Packet> packet,
                        uint16_t protocol,
                        const Address& from,
                        const Address& to,
                        NetDevice::PacketType type);
    /// Frames from the IP stack (air port send callback).
    bool SendFromPort(Ptr<Packet> packet,
                      const Address& source,
                      const Address& dest,
                      uint16_t protocol);
    /// Received power of a frame starting on the radio.
    void PhyRxBegin(Ptr<const Packet> p, std::map<std::pair<uint32_t, uint32_t>, double> powers);
    /// A beacon from \p bs (MAC \p mac) with \p h.
    void HandleBeacon(const GenesisCellularIpHeader& h,
                      Ipv4Address bs,
                      Mac48Address mac,
                      double dbm);
    /// Evaluate the handoff rule.
    void EvaluateHandoff();
    /// Send a control packet of \p type through base station \p bs.
    void SendControl(GenesisCellularIpHeader::Type type, bool semisoft, Ipv4Address bs);
    /// Complete a semisoft handoff (switch the radio).
    void CompleteSemisoft();
    /// Note uplink or downlink data.
    void NoteData();
    /// Change state.
    void SetState(State s);
    /// Route-update / paging-update timer.
    void UpdateTimer();
    /// Active-state timer.
    void ActiveTimer();
    /// Report a pending handoff with its duration.
    void ReportHandoff(Time duration);

    /// What the agent knows of a base station.
    struct BaseStation
    {
        Mac48Address mac;    //!< its air MAC
        double dbm;          //!< smoothed beacon power
        Time lastHeard;      //!< last beacon
        Ipv4Address gateway; //!< gateway id in its beacon
    };

    Ptr<NetDevice> m_air;                                  //!< radio
    Ptr<VirtualNetDevice> m_port;                          //!< air port (IP interface)
    Ipv4Address m_address;                                 //!< host address
    uint16_t m_port_;                                      //!< control port
    uint8_t m_controlTos;                                  //!< control TOS
    Time m_routeUpdateTime;                                //!< attribute
    Time m_pagingUpdateTime;                               //!< attribute
    Time m_activeStateTimeout;                             //!< attribute
    Time m_semisoftSwitchTime;                             //!< attribute
    Time m_beaconTimeout;                                  //!< attribute
    HandoffType m_handoffType;                             //!< attribute
    bool m_autoHandoff;                                    //!< attribute
    double m_hysteresis;                                   //!< attribute (dB)
    double m_smoothing;                                    //!< attribute (weight of a new sample)
    State m_state;                                         //!< idle/active
    std::map<Ipv4Address, BaseStation> m_bs;               //!< heard base stations
    Ipv4Address m_current;                                 //!< current base station
    Ipv4Address m_semisoftTarget;                          //!< target of a semisoft handoff
    Ipv4Address m_gateway;                                 //!< gateway id
    Time m_lastUplink;                                     //!< last packet sent up
    Time m_lastData;                                       //!< last data packet (either way)
    EventId m_updateEvent;                                 //!< next route/paging update check
    EventId m_activeEvent;                                 //!< next active-state check
    EventId m_semisoftEvent;                               //!< semisoft completion
    bool m_handoffPending;                                 //!< a handoff awaits its first packet
    Ipv4Address m_handoffOld;                              //!< pending handoff: old BS
    Ipv4Address m_handoffNew;                              //!< pending handoff: new BS
    std::string m_handoffKind;                             //!< pending handoff: type
    Time m_switchTime;                                     //!< pending handoff: radio switch time
    uint32_t m_routeUpdates;                               //!< counter
    uint32_t m_pagingUpdates;                              //!< counter
    uint16_t m_ipId;                                       //!< IP identification of control packets
    std::array<std::pair<uint64_t, double>, 64> m_rxPower; //!< recent frame powers by uid (W)
    uint32_t m_rxPowerNext;                                //!< ring index
    bool m_running;                                        //!< started

    TracedCallback<Ipv4Address, Ipv4Address, const std::string&, Time> m_handoffTrace; //!< handoff
    TracedCallback<State, State> m_stateTrace;                         //!< state change
    TracedCallback<const GenesisCellularIpHeader&> m_controlTxTrace;   //!< control sent
    TracedCallback<Ptr<const Packet>, const std::string&> m_lostTrace; //!< loss
    TracedCallback<Ptr<const Packet>> m_pagedTrace;                    //!< paged while idle
};

} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_MOBILE_HOST_H */
