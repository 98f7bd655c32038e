/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_TRTCM_METER_H
#define GENESIS_TRTCM_METER_H

#include "genesis-meter.h"

#include "ns3/data-rate.h"

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Two Rate Three Color Marker's meter (RFC 2698).
 *
 * Bucket P (rate Pir, depth Pbs) and bucket C (rate Cir, depth Cbs), both
 * initially full and filled independently. A packet of B bytes, colour-blind:
 * red if Tp < B; else yellow if Tc < B (Tp -= B); else green (Tp -= B,
 * Tc -= B). Colour-aware: red if it arrives red or Tp < B; else yellow if it
 * arrives yellow or Tc < B (Tp -= B); else green (both -= B). Tokens are exact
 * (GenesisTokenBucket). Validate() requires Pir >= Cir (RFC 2698 §1).
 */
class GenesisTrTcmMeter : public GenesisMeter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisTrTcmMeter();
    ~GenesisTrTcmMeter() override;

    void Validate() const override;
    void Reset() override;
    /// \return Tc in bytes, as of the last packet
    double GetCommittedTokens() const;
    /// \return Tp in bytes, as of the last packet
    double GetPeakTokens() const;

  private:
    Color DoMeter(uint32_t bytes, int64_t nowNs, Color preColor) override;

    DataRate m_cir;         //!< committed information rate
    uint32_t m_cbs;         //!< committed burst size (bytes)
    DataRate m_pir;         //!< peak information rate
    uint32_t m_pbs;         //!< peak burst size (bytes)
    GenesisTokenBucket m_c; //!< committed bucket
    GenesisTokenBucket m_p; //!< peak bucket
    int64_t m_lastNs;       //!< time of the last update; -1 before the first packet
};

} // namespace ns3

#endif /* GENESIS_TRTCM_METER_H */
