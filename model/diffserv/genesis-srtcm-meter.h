/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_SRTCM_METER_H
#define GENESIS_SRTCM_METER_H

#include "genesis-meter.h"

#include "ns3/data-rate.h"

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Single Rate Three Color Marker's meter (RFC 2697).
 *
 * Two buckets C (depth Cbs) and E (depth Ebs), both initially full, fed at
 * Cir: tokens go to C while it is below Cbs, otherwise to E while it is below
 * Ebs. A packet of B bytes, colour-blind: green if Tc >= B (Tc -= B), else
 * yellow if Te >= B (Te -= B), else red. Colour-aware: green if it arrives
 * green and Tc >= B (Tc -= B), else yellow if it arrives green or yellow and
 * Te >= B (Te -= B), else red. Tokens are exact (GenesisTokenBucket).
 */
class GenesisSrTcmMeter : public GenesisMeter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisSrTcmMeter();
    ~GenesisSrTcmMeter() override;

    void Validate() const override;
    void Reset() override;
    /// \return Tc in bytes, as of the last packet
    double GetCommittedTokens() const;
    /// \return Te in bytes, as of the last packet
    double GetExcessTokens() const;

  private:
    Color DoMeter(uint32_t bytes, int64_t nowNs, Color preColor) override;

    DataRate m_cir;         //!< committed information rate
    uint32_t m_cbs;         //!< committed burst size (bytes)
    uint32_t m_ebs;         //!< excess burst size (bytes)
    GenesisTokenBucket m_c; //!< committed bucket
    GenesisTokenBucket m_e; //!< excess bucket
    int64_t m_lastNs;       //!< time of the last update; -1 before the first packet
};

} // namespace ns3

#endif /* GENESIS_SRTCM_METER_H */
