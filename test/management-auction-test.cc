/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The progressive second-price auction (GenesisPspAuctioneer) against its
 * theory (Lazar and Semret 1999): capacity, monotonicity, second-price
 * payments, reserve price, and truthful bidding as a dominant strategy for
 * bidders with linear valuations up to a demand (PSP is then VCG).
 */
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"

#include <gtest/gtest.h>
#include <random>

namespace ns3
{
namespace
{

std::vector<GenesisBid>
RandomBids(std::mt19937& rng, std::size_t n, uint32_t firstId = 1)
{
    std::uniform_int_distribution<int> q(0, 40); // 0..10 Mbps in 250 kbps steps
    std::uniform_int_distribution<int> p(0, 20); // prices 0..5 in steps of 0.25 (ties happen)
    std::vector<GenesisBid> bids;
    for (std::size_t i = 0; i < n; ++i)
    {
        GenesisBid b;
        b.bidder = firstId + static_cast<uint32_t>(i);
        b.quantityBps = static_cast<uint64_t>(q(rng)) * 250000;
        b.price = p(rng) * 0.25;
        bids.push_back(b);
    }
    return bids;
}

TEST(ManagementAuction, AllocationsNeverExceedCapacityNorDemand)
{
    Ptr<GenesisPspAuctioneer> psp = CreateObject<GenesisPspAuctioneer>();
    std::mt19937 rng(7);
    for (int trial = 0; trial < 500; ++trial)
    {
        uint64_t cap = static_cast<uint64_t>(std::uniform_int_distribution<int>(0, 200)(rng)) *
                       100000; // 0..20 Mbps
        std::vector<GenesisBid> bids = RandomBids(rng, 1 + trial % 7);
        std::vector<GenesisAuctionResult> r = psp->Run(cap, bids);
        ASSERT_EQ(r.size(), bids.size());
        uint64_t total = 0;
        uint64_t demand = 0;
        for (std::size_t i = 0; i < r.size(); ++i)
        {
            EXPECT_LE(r[i].allocatedBps, bids[i].quantityBps);
            EXPECT_GE(r[i].payment, 0.0);
            // a second price: never more than the bid price for what it gets
            EXPECT_LE(r[i].payment, bids[i].price * r[i].allocated / 1e6 + 1e-9);
            total += r[i].allocatedBps;
            if (bids[i].price > 0)
            {
                demand += bids[i].quantityBps; // price 0 ties with the seller's reserve
            }
        }
        EXPECT_LE(total, cap);
        // no capacity is withheld while someone offers more than the reserve price (0)
        EXPECT_GE(total + r.size(), std::min(cap, demand)) << "trial " << trial;
    }
}

TEST(ManagementAuction, HigherPriceOrQuantityNeverGetsLess)
{
    Ptr<GenesisPspAuctioneer> psp = CreateObject<GenesisPspAuctioneer>();
    std::mt19937 rng(11);
    for (int trial = 0; trial < 200; ++trial)
    {
        std::vector<GenesisBid> bids = RandomBids(rng, 4);
        const uint64_t cap = 12000000;
        double last = -1;
        for (int step = 0; step <= 24; ++step)
        {
            bids[0].price = step * 0.25; // crosses every other price, ties included
            double a = psp->Run(cap, bids)[0].allocated;
            EXPECT_GE(a, last - 1e-6) << "trial " << trial << " price " << bids[0].price;
            last = a;
        }
        last = -1;
        for (int step = 0; step <= 40; ++step)
        {
            bids[0].quantityBps = static_cast<uint64_t>(step) * 250000;
            double a = psp->Run(cap, bids)[0].allocated;
            EXPECT_GE(a, last - 1e-6);
            last = a;
        }
    }
}

TEST(ManagementAuction, ExclusionCompensationOfAWorkedExample)
{
    // Q = 10 Mbps; A (6 Mbps, 3), B (6 Mbps, 2), C (4 Mbps, 1).
    // Highest prices first: A 6, B 4, C 0.
    // A pays what B and C lose: B 2 Mbps * 2 + C 4 Mbps * 1 = 8.
    // B pays what C loses: 4 Mbps * 1 = 4. C pays nothing.
    Ptr<GenesisPspAuctioneer> psp = CreateObject<GenesisPspAuctioneer>();
    std::vector<GenesisBid> bids = {{1, 3.0, 6000000}, {2, 2.0, 6000000}, {3, 1.0, 4000000}};
    std::vector<GenesisAuctionResult> r = psp->Run(10000000, bids);
    EXPECT_EQ(r[0].allocatedBps, 6000000u);
    EXPECT_EQ(r[1].allocatedBps, 4000000u);
    EXPECT_EQ(r[2].allocatedBps, 0u);
    EXPECT_NEAR(r[0].payment, 8.0, 1e-9);
    EXPECT_NEAR(r[1].payment, 4.0, 1e-9);
    EXPECT_NEAR(r[2].payment, 0.0, 1e-12);

    // Ties share in proportion to their quantities: 2 and 6 Mbps at one price on 4 Mbps.
    std::vector<GenesisBid> tie = {{1, 1.0, 2000000}, {2, 1.0, 6000000}};
    r = psp->Run(4000000, tie);
    EXPECT_EQ(r[0].allocatedBps, 1000000u);
    EXPECT_EQ(r[1].allocatedBps, 3000000u);
}

TEST(ManagementAuction, ReservePriceKeepsCapacityAndSetsTheLeastPayment)
{
    Ptr<GenesisPspAuctioneer> psp = CreateObject<GenesisPspAuctioneer>();
    psp->SetAttribute("ReservePrice", DoubleValue(1.5));
    std::vector<GenesisBid> bids = {{1, 2.0, 3000000}, {2, 1.0, 3000000}};
    std::vector<GenesisAuctionResult> r = psp->Run(10000000, bids);
    EXPECT_EQ(r[0].allocatedBps, 3000000u);
    EXPECT_EQ(r[1].allocatedBps, 0u); // below the reserve: the seller keeps it
    // the seller loses 3 Mbps valued at 1.5
    EXPECT_NEAR(r[0].payment, 3 * 1.5, 1e-9);
    EXPECT_FALSE(psp->SetAttributeFailSafe("ReservePrice", DoubleValue(-1)));
    std::vector<GenesisBid> bad = {{1, -1.0, 1000}};
    EXPECT_THROW(psp->Run(1000, bad), GenesisError);
    std::vector<GenesisBid> twice = {{1, 1.0, 1000}, {1, 2.0, 1000}};
    EXPECT_THROW(psp->Run(1000, twice), GenesisError);
}

// Incentive compatibility: a bidder valuing capacity at v per Mbit/s up to a
// demand d (utility v min(a, d) - payment) never gains by bidding anything
// other than (d, v): with such valuations PSP's allocation maximises the
// declared welfare and its payment is the VCG payment. Checked over a grid of
// unilateral deviations against random opponents.
TEST(ManagementAuction, TruthfulBiddingIsDominantForLinearValuations)
{
    Ptr<GenesisPspAuctioneer> psp = CreateObject<GenesisPspAuctioneer>();
    std::mt19937 rng(3);
    const uint64_t cap = 10000000;
    int improvements = 0;
    for (int trial = 0; trial < 60; ++trial)
    {
        std::vector<GenesisBid> bids = RandomBids(rng, 4, 2);
        const double v = 0.25 * std::uniform_int_distribution<int>(1, 19)(rng) + 0.1;
        const uint64_t d = 250000ULL * std::uniform_int_distribution<int>(1, 40)(rng);
        auto utility = [&](double price, uint64_t qty) {
            std::vector<GenesisBid> all = bids;
            all.insert(all.begin(), GenesisBid{1, price, qty});
            GenesisAuctionResult r = psp->Run(cap, all)[0];
            return v * std::min<double>(r.allocated, d) / 1e6 - r.payment;
        };
        const double truthful = utility(v, d);
        EXPECT_GE(truthful, -1e-9); // individually rational
        for (int pi = 0; pi <= 24; ++pi)
        {
            for (int qi = 0; qi <= 48; qi += 2)
            {
                double u = utility(pi * 0.25, 250000ULL * qi);
                if (u > truthful + 1e-9)
                {
                    ++improvements;
                    ADD_FAILURE() << "trial " << trial << ": bidding (" << qi * 0.25 << " Mbps, "
                                  << pi * 0.25 << ") gives " << u << " > truthful " << truthful;
                }
            }
        }
    }
    EXPECT_EQ(improvements, 0);
}

} // namespace
} // namespace ns3
