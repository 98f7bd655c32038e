/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-auctioneer.h"

#include "ns3/double.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"

#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisAuctioneer");
NS_OBJECT_ENSURE_REGISTERED(GenesisAuctioneer);
NS_OBJECT_ENSURE_REGISTERED(GenesisPspAuctioneer);

TypeId
GenesisAuctioneer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisAuctioneer").SetParent<Object>().SetGroupName("Genesis");
    return tid;
}

GenesisAuctioneer::GenesisAuctioneer() = default;
GenesisAuctioneer::~GenesisAuctioneer() = default;

void
GenesisAuctioneer::CheckBids(const std::vector<GenesisBid>& bids)
{
    std::set<uint32_t> seen;
    for (const auto& b : bids)
    {
        if (!std::isfinite(b.price) || b.price < 0)
        {
            std::ostringstream os;
            os << "auction: bidder " << b.bidder << " bids the price " << b.price
               << "; give a finite price >= 0 (currency units per Mbit/s)";
            throw GenesisError(os.str());
        }
        if (!seen.insert(b.bidder).second)
        {
            std::ostringstream os;
            os << "auction: bidder " << b.bidder << " bids twice; give one bid per bidder";
            throw GenesisError(os.str());
        }
    }
}

TypeId
GenesisPspAuctioneer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisPspAuctioneer")
            .SetParent<GenesisAuctioneer>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisPspAuctioneer>()
            .AddAttribute("ReservePrice",
                          "The seller's reserve price (currency units per Mbit/s per interval): "
                          "capacity goes to a bidder before the seller keeps it only at a higher "
                          "price, and a bidder pays at least this price for it",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&GenesisPspAuctioneer::SetReservePrice,
                                             &GenesisPspAuctioneer::GetReservePrice),
                          MakeDoubleChecker<double>(0.0));
    return tid;
}

GenesisPspAuctioneer::GenesisPspAuctioneer()
    : m_reservePrice(0.0)
{
}

GenesisPspAuctioneer::~GenesisPspAuctioneer() = default;

void
GenesisPspAuctioneer::SetReservePrice(double price)
{
    if (!std::isfinite(price) || price < 0)
    {
        throw GenesisError("GenesisPspAuctioneer: ReservePrice must be a finite number >= 0");
    }
    m_reservePrice = price;
}

double
GenesisPspAuctioneer::GetReservePrice() const
{
    return m_reservePrice;
}

std::string
GenesisPspAuctioneer::GetMechanismName() const
{
    return "psp";
}

std::vector<double>
GenesisPspAuctioneer::Allocate(double q, const std::vector<GenesisBid>& bids, std::size_t skip)
{
    const std::size_t n = bids.size();
    std::vector<double> a(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
    {
        if (i == skip || bids[i].quantityBps == 0)
        {
            continue;
        }
        double above = 0;
        double tie = 0;
        for (std::size_t k = 0; k < n; ++k)
        {
            if (k == skip)
            {
                continue;
            }
            if (bids[k].price > bids[i].price)
            {
                above += static_cast<double>(bids[k].quantityBps);
            }
            else if (bids[k].price == bids[i].price)
            {
                tie += static_cast<double>(bids[k].quantityBps);
            }
        }
        double left = std::max(0.0, q - above);
        double qi = static_cast<double>(bids[i].quantityBps);
        a[i] = std::min(qi, qi / tie * left);
    }
    return a;
}

std::vector<GenesisAuctionResult>
GenesisPspAuctioneer::Run(uint64_t capacityBps, const std::vector<GenesisBid>& bids) const
{
    NS_LOG_FUNCTION(this << capacityBps << bids.size());
    CheckBids(bids);
    // The seller takes part with (Q, reserve): index n of the extended bid list.
    std::vector<GenesisBid> all(bids);
    GenesisBid seller;
    seller.bidder = std::numeric_limits<uint32_t>::max();
    seller.price = m_reservePrice;
    seller.quantityBps = capacityBps;
    all.push_back(seller);
    const double q = static_cast<double>(capacityBps);
    const std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<double> a = Allocate(q, all, none);

    std::vector<GenesisAuctionResult> out;
    out.reserve(bids.size());
    uint64_t total = 0;
    for (std::size_t i = 0; i < bids.size(); ++i)
    {
        GenesisAuctionResult r;
        r.bidder = bids[i].bidder;
        r.price = bids[i].price;
        r.quantityBps = bids[i].quantityBps;
        r.allocated = a[i];
        r.allocatedBps = static_cast<uint64_t>(std::floor(a[i] + 1e-6));
        if (r.allocatedBps > r.quantityBps)
        {
            r.allocatedBps = r.quantityBps;
        }
        total += r.allocatedBps;
        if (a[i] > 0)
        {
            std::vector<double> without = Allocate(q, all, i);
            double c = 0;
            for (std::size_t j = 0; j < all.size(); ++j)
            {
                if (j != i)
                {
                    c += all[j].price * (without[j] - a[j]) / 1e6;
                }
            }
            r.payment = std::max(0.0, c);
        }
        out.push_back(r);
    }
    // Rounding never lets the total exceed the capacity.
    for (std::size_t i = out.size(); total > capacityBps && i-- > 0;)
    {
        uint64_t cut = std::min(out[i].allocatedBps, total - capacityBps);
        out[i].allocatedBps -= cut;
        total -= cut;
    }
    return out;
}

} // namespace ns3
