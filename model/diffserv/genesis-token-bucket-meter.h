/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_TOKEN_BUCKET_METER_H
#define GENESIS_TOKEN_BUCKET_METER_H

#include "genesis-meter.h"

#include "ns3/data-rate.h"

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Two-colour token bucket meter (RFC 2475 §2.3.3.1, RFC 2698 with a
 * single bucket): a packet of B bytes is green if the bucket (rate Cir, depth
 * Cbs, initially full) holds B tokens, which it then takes; red otherwise.
 * Colour-aware: a packet that arrives yellow or red is red and takes no
 * tokens.
 */
class GenesisTokenBucketMeter : public GenesisMeter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisTokenBucketMeter();
    ~GenesisTokenBucketMeter() override;

    void Validate() const override;
    void Reset() override;
    /// \return the tokens now in the bucket (bytes), as of the last packet
    double GetTokens() const;

  private:
    Color DoMeter(uint32_t bytes, int64_t nowNs, Color preColor) override;

    DataRate m_cir;              //!< token rate
    uint32_t m_cbs;              //!< depth (bytes)
    GenesisTokenBucket m_bucket; //!< the bucket
    int64_t m_lastNs;            //!< time of the last update
};

} // namespace ns3

#endif /* GENESIS_TOKEN_BUCKET_METER_H */
