/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The auctioneer of the Genesis Kernel's resource management (paper §V-C-4):
 * an auction for a parent's capacity among its children over slow timescales.
 */
#ifndef GENESIS_AUCTIONEER_H
#define GENESIS_AUCTIONEER_H

#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 * \brief One bid in an auction: a quantity of capacity and a unit price.
 *
 * The price is in currency units per Mbit/s of allocation per provisioning
 * interval; the payment of an allocation of a bit/s at price p is p * a / 1e6.
 */
struct GenesisBid
{
    uint32_t bidder{0};      //!< bidder id (the child network's id)
    double price{0};         //!< unit price, currency units per Mbit/s
    uint64_t quantityBps{0}; //!< quantity asked, bit/s
};

/**
 * \ingroup genesis
 * \brief The outcome of an auction for one bidder.
 */
struct GenesisAuctionResult
{
    uint32_t bidder{0};       //!< bidder id
    double price{0};          //!< its unit price
    uint64_t quantityBps{0};  //!< the quantity it asked
    uint64_t allocatedBps{0}; //!< what it got (rounded down to whole bit/s)
    double allocated{0};      //!< what it got, before rounding (bit/s)
    double payment{0};        //!< what it pays (currency units)
};

/**
 * \ingroup genesis
 * \brief Base class of auction mechanisms for a divisible resource (link
 * capacity): given the capacity and the bids, decide the allocations and the
 * payments. Stateless: the same bids always give the same outcome.
 */
class GenesisAuctioneer : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisAuctioneer();
    ~GenesisAuctioneer() override;

    /**
     * \brief Run one auction.
     * \param capacityBps the capacity for sale (bit/s)
     * \param bids the bids, at most one per bidder
     * \return one result per bid, in the order of \p bids; the allocations sum
     *         to at most \p capacityBps
     * \throws GenesisError on a negative or non-finite price or a bidder that bids twice
     */
    virtual std::vector<GenesisAuctionResult> Run(uint64_t capacityBps,
                                                  const std::vector<GenesisBid>& bids) const = 0;

    /// \return a short name of the mechanism ("psp", ...)
    virtual std::string GetMechanismName() const = 0;

  protected:
    /// \brief Check the bids as Run() documents. \param bids the bids
    static void CheckBids(const std::vector<GenesisBid>& bids);
};

/**
 * \ingroup genesis
 * \brief The progressive second-price (PSP) auction of Lazar and Semret.
 *
 * Each bidder i bids s_i = (q_i, p_i). With Q the capacity and
 * Qbar_i(y) = [Q - sum_{k: p_k > y} q_k]^+ the capacity left at price y by the
 * bidders who offer more, bidder i gets
 *
 *   a_i = min(q_i, q_i / (sum_{k: p_k = p_i} q_k) * Qbar_i(p_i))
 *
 * (highest prices first, ties share in proportion to their quantities), and
 * pays the exclusion compensation
 *
 *   c_i = sum_{j != i} p_j (a_j(s without i) - a_j(s)),
 *
 * the value the other bids lose because i takes part (a second price: never
 * more than p_i a_i). The seller takes part with the bid (Q, ReservePrice):
 * a bidder is served before the seller only at a price above the reserve, and
 * pays at least the reserve price for what it takes from the seller.
 *
 * Incentives: for bidders whose valuation is linear up to a demand
 * (theta_i(a) = v_i min(a, d_i)) the allocation maximises the declared
 * welfare and c_i is the Vickrey-Clarke-Groves payment, so bidding
 * (d_i, v_i) truthfully is a dominant strategy; for elastic (concave)
 * valuations the truthful epsilon-best reply leads to an epsilon-Nash
 * equilibrium that is efficient up to O(sqrt(epsilon)) (Lazar and Semret
 * 1999). Both are checked in test/management-auction-test.cc.
 */
class GenesisPspAuctioneer : public GenesisAuctioneer
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisPspAuctioneer();
    ~GenesisPspAuctioneer() override;

    std::vector<GenesisAuctionResult> Run(uint64_t capacityBps,
                                          const std::vector<GenesisBid>& bids) const override;
    std::string GetMechanismName() const override;

    /// \param price the seller's reserve price (currency units per Mbit/s, >= 0)
    void SetReservePrice(double price);
    /// \return the seller's reserve price
    double GetReservePrice() const;

  private:
    /// Allocations (bit/s, unrounded) of \p bids on capacity \p q, skipping index \p skip.
    static std::vector<double> Allocate(double q,
                                        const std::vector<GenesisBid>& bids,
                                        std::size_t skip);

    double m_reservePrice; //!< seller's reserve price
};

} // namespace ns3

#endif /* GENESIS_AUCTIONEER_H */
