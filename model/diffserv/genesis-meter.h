/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Base class of the DiffServ meters (RFC 2475 §2.3.3.1) of Genesis, and the
 * exact integer token bucket they share.
 */
#ifndef GENESIS_METER_H
#define GENESIS_METER_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief A token bucket whose arithmetic is exact.
 *
 * Tokens are kept as integers in units of 1/8e9 byte: one bit/s of rate adds
 * exactly one unit per nanosecond, so after t ns a bucket of rate r bit/s has
 * gained exactly r*t/8e9 bytes with no rounding at all. RFC 2697/2698 add
 * whole bytes CIR times per second; the continuous form differs from that by
 * less than one byte at any instant and is what the RFCs' "updated at the
 * arrival time" implementations compute. Comparisons with a packet size are
 * exact (size * 8e9 units). The depth is limited to MAX_DEPTH bytes.
 */
class GenesisTokenBucket
{
  public:
    /// Units per byte: 8 bits times 1e9 ns
    static constexpr uint64_t UNITS_PER_BYTE = 8000000000ULL;
    /// Largest depth in bytes (keeps units within 64 bits)
    static constexpr uint64_t MAX_DEPTH = 1000000000ULL;

    GenesisTokenBucket();

    /**
     * \brief Set rate and depth, and fill the bucket.
     * \param rateBps token rate in bit/s
     * \param depthBytes bucket depth in bytes (<= MAX_DEPTH)
     */
    void Configure(uint64_t rateBps, uint64_t depthBytes);
    /**
     * \brief Add the tokens of \p elapsedNs nanoseconds.
     * \param elapsedNs time since the last fill (negative counts as 0)
     * \return the units that did not fit (overflow), saturated at 2^64-1
     */
    uint64_t Fill(int64_t elapsedNs);
    /**
     * \brief Add \p units tokens (an overflow from another bucket).
     * \param units tokens in 1/8e9 byte
     */
    void AddUnits(uint64_t units);
    /// \param bytes size \return true if the bucket holds at least \p bytes
    bool Has(uint32_t bytes) const;
    /// \param bytes size to remove (the caller checked Has())
    void Take(uint32_t bytes);
    /// \return the tokens in bytes (fractional)
    double GetBytes() const;
    /// \return the tokens in units of 1/8e9 byte
    uint64_t GetUnits() const;
    /// \return the depth in bytes
    uint64_t GetDepth() const;
    /// \return the rate in bit/s
    uint64_t GetRate() const;
    /// \return nanoseconds until the bucket holds \p bytes (0 if it does now; -1 if never)
    int64_t TimeToHave(uint32_t bytes) const;

  private:
    uint64_t m_rate;   //!< bit/s = units per ns
    uint64_t m_depth;  //!< depth in units
    uint64_t m_tokens; //!< tokens in units
};

/**
 * \ingroup genesis
 *
 * \brief Base of the DiffServ meters: colours packets green, yellow or red.
 *
 * A meter measures a traffic stream against a profile and returns a colour
 * per packet (RFC 2475 §2.3.3.1). In colour-blind mode the colour depends
 * only on the stream; in colour-aware mode (attribute ColorAware) the colour
 * the packet already carries (preColor, usually from its DSCP) is taken into
 * account as each RFC prescribes, and a packet is never promoted.
 *
 * Meters update their state at the arrival time given to Meter(); times must
 * not decrease.
 */
class GenesisMeter : public Object
{
  public:
    /// Packet colours
    enum Color : uint8_t
    {
        GREEN = 0,  //!< conforming
        YELLOW = 1, //!< exceeding the committed profile (three-colour meters)
        RED = 2     //!< violating
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisMeter();
    ~GenesisMeter() override;

    /**
     * \brief Meter one packet.
     * \param bytes packet size (the RFCs meter the IP packet: header included)
     * \param now arrival time
     * \param preColor colour the packet carries (used in colour-aware mode only)
     * \return the colour
     */
    Color Meter(uint32_t bytes, Time now, Color preColor = GREEN);
    /**
     * \brief Meter one packet arriving now (Simulator::Now()).
     * \param bytes packet size
     * \param preColor colour the packet carries
     * \return the colour
     */
    Color MeterNow(uint32_t bytes, Color preColor = GREEN);

    /// \param aware true for colour-aware mode
    void SetColorAware(bool aware);
    /// \return true in colour-aware mode
    bool IsColorAware() const;

    /**
     * \brief Check the parameters.
     * \throws GenesisError naming the attribute and the fix
     */
    virtual void Validate() const;

    /// \brief Back to the initial state (buckets full, estimators at their start value).
    virtual void Reset();

    /**
     * \brief Assign fixed random variable streams (TSW meters draw random numbers).
     * \param stream first stream index
     * \return number of streams used
     */
    virtual int64_t AssignStreams(int64_t stream);

    /// \param c colour \return number of packets given colour \p c
    uint64_t GetPackets(Color c) const;
    /// \param c colour \return number of bytes given colour \p c
    uint64_t GetBytes(Color c) const;

    /// \param c a colour \return "green", "yellow" or "red"
    static const char* ColorName(Color c);

    /// TracedCallback signature: size, colour carried, colour given
    typedef void (*MeteredTracedCallback)(uint32_t bytes, Color preColor, Color color);

  protected:
    /**
     * \brief The meter's algorithm.
     * \param bytes packet size
     * \param nowNs arrival time in ns (never decreasing)
     * \param preColor colour carried; GREEN in colour-blind mode
     * \return the colour
     */
    virtual Color DoMeter(uint32_t bytes, int64_t nowNs, Color preColor) = 0;

    bool m_colorAware; //!< colour-aware mode

  private:
    uint64_t m_packets[3];                                 //!< packets per colour
    uint64_t m_bytes[3];                                   //!< bytes per colour
    TracedCallback<uint32_t, Color, Color> m_traceMetered; //!< every metered packet
};

} // namespace ns3

#endif /* GENESIS_METER_H */
