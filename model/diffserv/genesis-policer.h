/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_POLICER_H
#define GENESIS_POLICER_H

#include "genesis-meter.h"

#include "ns3/packet.h"
#include "ns3/queue-item.h"
#include "ns3/traced-callback.h"

#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief DiffServ policer / marker (RFC 2475 §2.3.3.2-4): meters each packet
 * and, per colour, forwards it unchanged, re-marks it with the colour's DSCP,
 * or drops it.
 *
 * In colour-aware mode the colour a packet carries comes from its DSCP: the
 * YellowDscp codepoint is yellow, the RedDscp codepoint red, anything else
 * green (as RFC 2697/2698 suggest for AF: AFx1/AFx2/AFx3).
 *
 * Entry points: PolicePacket() on a packet that starts with its IP header
 * (the DSCP is rewritten in the packet), PoliceItem() on a queue disc item
 * (returns the re-marked item), and Decide() on bare numbers. Validate()
 * checks the configuration; every entry point validates on first use.
 */
class GenesisPolicer : public Object
{
  public:
    /// What to do with a packet of a colour
    enum Action
    {
        FORWARD = 0, //!< pass it unchanged
        REMARK = 1,  //!< write the colour's DSCP
        DROP = 2     //!< drop it
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisPolicer();
    ~GenesisPolicer() override;

    /// \param meter the meter (its ColorAware attribute selects the mode)
    void SetMeter(Ptr<GenesisMeter> meter);
    /// \return the meter
    Ptr<GenesisMeter> GetMeter() const;
    /// \param c colour \param a action \param dscp codepoint for REMARK (0..63)
    void SetColorAction(GenesisMeter::Color c, Action a, uint8_t dscp);
    /// \param c colour \return the action for it
    Action GetAction(GenesisMeter::Color c) const;
    /// \param c colour \return the codepoint REMARK writes for it (-1: none set)
    int32_t GetColorDscp(GenesisMeter::Color c) const;
    /// \param name name used in messages (e.g. the TCA's)
    void SetName(const std::string& name);

    /**
     * \brief Check the configuration.
     * \throws GenesisError (no meter, REMARK without a codepoint, bad meter parameters)
     */
    void Validate() const;

    /**
     * \brief Meter a packet and choose its fate.
     * \param bytes packet size (IP header included)
     * \param dscp the codepoint it carries
     * \param now arrival time
     * \param[out] newDscp the codepoint it leaves with (== dscp unless REMARK)
     * \return its colour; GetAction(colour) says what happens
     */
    GenesisMeter::Color Decide(uint32_t bytes, uint8_t dscp, Time now, uint8_t& newDscp);

    /**
     * \brief Police a packet that starts with its IPv4/IPv6 header.
     * \param packet the packet (re-marked in place)
     * \return false if it must be dropped (or is not IP: then it passes, true)
     */
    bool PolicePacket(Ptr<Packet> packet);
    /**
     * \brief Police a queue disc item.
     * \param item the item
     * \return the item to go on with (a new item when re-marked), or null if dropped
     */
    Ptr<QueueDiscItem> PoliceItem(Ptr<QueueDiscItem> item);

    /// \param c colour \return packets of that colour
    uint64_t GetPackets(GenesisMeter::Color c) const;
    /// \return packets dropped
    uint64_t GetDropped() const;
    /// \return packets whose codepoint changed
    uint64_t GetRemarked() const;

    /**
     * \brief Fix the random streams of the meter.
     * \param stream first stream
     * \return streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// TracedCallback signature: size, colour, action, old and new codepoint
    typedef void (*PolicedTracedCallback)(uint32_t bytes,
                                          GenesisMeter::Color color,
                                          Action action,
                                          uint8_t oldDscp,
                                          uint8_t newDscp);

  protected:
    void DoDispose() override;

  private:
    /// \param a action for green packets
    void SetGreenAction(Action a);
    /// \return action for green packets
    Action GetGreenAction() const;
    /// \param text codepoint name of green packets ("" for none)
    void SetGreenDscp(std::string text);
    /// \return codepoint name of green packets
    std::string GetGreenDscp() const;
    /// \param a action for yellow packets
    void SetYellowAction(Action a);
    /// \return action for yellow packets
    Action GetYellowAction() const;
    /// \param text codepoint name of yellow packets ("" for none)
    void SetYellowDscp(std::string text);
    /// \return codepoint name of yellow packets
    std::string GetYellowDscp() const;
    /// \param a action for red packets
    void SetRedAction(Action a);
    /// \return action for red packets
    Action GetRedAction() const;
    /// \param text codepoint name of red packets ("" for none)
    void SetRedDscp(std::string text);
    /// \return codepoint name of red packets
    std::string GetRedDscp() const;
    /// Check once, before the first packet
    void EnsureValid();
    /// \param text codepoint name or "" \param c colour
    void SetDscpName(GenesisMeter::Color c, const std::string& text);
    /// \param c colour \return codepoint name or ""
    std::string GetDscpName(GenesisMeter::Color c) const;
    /// \param dscp carried codepoint \return the colour it means (colour-aware mode)
    GenesisMeter::Color PreColor(uint8_t dscp) const;

    Ptr<GenesisMeter> m_meter; //!< the meter
    Action m_action[3];        //!< action per colour
    int16_t m_dscp[3];         //!< codepoint per colour, -1 if none
    std::string m_name;        //!< for messages
    bool m_valid;              //!< Validate() passed
    uint64_t m_packets[3];     //!< packets per colour
    uint64_t m_dropped;        //!< packets dropped
    uint64_t m_remarked;       //!< packets re-marked
    TracedCallback<uint32_t, GenesisMeter::Color, Action, uint8_t, uint8_t>
        m_tracePoliced; //!< every packet
};

} // namespace ns3

#endif /* GENESIS_POLICER_H */
