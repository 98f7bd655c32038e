/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_TSW_METER_H
#define GENESIS_TSW_METER_H

#include "genesis-meter.h"

#include "ns3/data-rate.h"
#include "ns3/random-variable-stream.h"

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Time Sliding Window meters (RFC 2859): the rate estimator shared by
 * TSW2CM and TSW3CM.
 *
 * Initially avg_rate = CTR (attribute Cir) and t_front = 0. For each packet of
 * B bytes arriving at time now (RFC 2859 §2.2):
 *   bytes_in_win = avg_rate * win_length; avg_rate = (bytes_in_win + B) /
 *   (now - t_front + win_length); t_front = now
 * (rates in bytes/s, times in s, double precision). The marking is
 * probabilistic; the uniform draws come from an ns-3 UniformRandomVariable
 * (one draw per packet whose estimated rate is above CTR; AssignStreams fixes
 * it). Colour-aware mode never promotes: the result is the worse of the
 * carried and the computed colour.
 */
class GenesisTswMeter : public GenesisMeter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisTswMeter();
    ~GenesisTswMeter() override;

    void Validate() const override;
    void Reset() override;
    int64_t AssignStreams(int64_t stream) override;
    /// \return the current rate estimate in bytes/s
    double GetAverageRate() const;

  protected:
    /// \brief Update the estimator with one packet. \param bytes size \param nowNs time
    void Estimate(uint32_t bytes, int64_t nowNs);
    /// \return a uniform draw in [0, 1)
    double Draw();
    /// \return the meter's name for messages
    virtual std::string Name() const = 0;

    DataRate m_ctr;                   //!< committed target rate
    Time m_window;                    //!< averaging window (win_length)
    double m_avg;                     //!< avg_rate, bytes/s
    double m_tFront;                  //!< t_front, s
    bool m_started;                   //!< estimator initialised
    Ptr<UniformRandomVariable> m_rng; //!< marking draws
};

/**
 * \ingroup genesis
 *
 * \brief TSW two-colour marker's meter (RFC 2859 §2.3, CTR only): green if
 * avg_rate <= CTR; otherwise red with probability P0 = (avg_rate - CTR) /
 * avg_rate, green otherwise.
 */
class GenesisTsw2cmMeter : public GenesisTswMeter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

  private:
    Color DoMeter(uint32_t bytes, int64_t nowNs, Color preColor) override;
    std::string Name() const override;
};

/**
 * \ingroup genesis
 *
 * \brief TSW three-colour marker's meter (RFC 2859 §2.3, CTR and PTR): green
 * if avg_rate <= CTR; if CTR < avg_rate <= PTR yellow with probability
 * (avg_rate - CTR) / avg_rate, else green; if avg_rate > PTR red with
 * probability P1 = (avg_rate - PTR) / avg_rate, yellow with probability
 * P2 = (PTR - CTR) / avg_rate, green otherwise.
 */
class GenesisTsw3cmMeter : public GenesisTswMeter
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    void Validate() const override;

  private:
    Color DoMeter(uint32_t bytes, int64_t nowNs, Color preColor) override;
    std::string Name() const override;

    DataRate m_ptr; //!< peak target rate
};

} // namespace ns3

#endif /* GENESIS_TSW_METER_H */
