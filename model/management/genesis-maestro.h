/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The maestro of the Genesis Kernel's resource management (paper §V-C-3/4).
 */
#ifndef GENESIS_MAESTRO_H
#define GENESIS_MAESTRO_H

#include "genesis-auctioneer.h"
#include "genesis-delegate.h"
#include "genesis-monitor.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class GenesisProfileDatabase;
class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief The maestro of a network: its global resource policy on the slow
 * (provisioning) timescale.
 *
 * Aggregated to its VirtualNetwork and registered on the network's metabus
 * as "maestro". Every ProvisioningInterval it runs one round:
 *
 * 1. its delegates (one per routelet node) close the interval of their
 *    monitors (one per child per device) and report rate, drops, policing
 *    and delay;
 * 2. on every device where children hold a class, the auctioneer sells the
 *    capacity left after the network's own reserve (OwnRate), the constant
 *    children (guaranteed classes are never auctioned), the controlled
 *    children that do not bid, and a floor per guaranteed bidder (MinimumRate,
 *    or what the bidder's own children reserved there, whichever is larger);
 * 3. each bidder's new allocation (floor + auctioned quantity) is applied by
 *    the delegate of the device's node: cuts first, then raises, so that the
 *    parent's admission never refuses a raise; a controlled child's
 *    allocation is its guaranteed rate, a best-effort child's is its weight
 *    among the best-effort classes;
 * 4. readings, allocation changes and bids go to the run database in one
 *    transaction.
 *
 * Admission of new children stays the spawner's (VirtualNetwork::SpawnReserve):
 * the maestro only moves capacity among the children already admitted.
 * Children bid through SetBid() (from C++, or from their profile's bid:
 * section and timeline through GenesisSpawner). A child inherits the maestro
 * of its parent (Inherit()) unless its profile replaces it, and its own
 * maestro auctions only the child's slice: a grandchild auction never needs
 * the parent.
 */
class GenesisMaestro : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisMaestro();
    ~GenesisMaestro() override;

    /**
     * \brief Give \p net a maestro made by \p factory and start it.
     * \param net a spawned network (or the root) without a maestro
     * \param factory a factory of GenesisMaestro (or a subclass)
     * \return the maestro
     * \throws GenesisError for a torn-down network, one that has a maestro
     *         already, or a factory of another type
     */
    static Ptr<GenesisMaestro> Install(
        Ptr<VirtualNetwork> net,
        const ObjectFactory& factory = ObjectFactory("ns3::GenesisMaestro"));
    /// \return the maestro of \p net, or null
    static Ptr<GenesisMaestro> Get(Ptr<VirtualNetwork> net);

    /**
     * \brief Manage \p net: aggregate to it, register on its metabus and
     * schedule the first round now.
     * \param net the network
     */
    void Attach(Ptr<VirtualNetwork> net);
    /// \return the managed network
    Ptr<VirtualNetwork> GetNetwork() const;

    /**
     * \brief A maestro for \p child like this one: same TypeId and attribute
     * values, an auctioneer of the same type and values, the same monitor
     * factory and database (inheritance of resource management, §V-C-3).
     * \param child a child network
     * \return the new maestro, attached to the child
     */
    Ptr<GenesisMaestro> Inherit(Ptr<VirtualNetwork> child) const;

    /// \param a the auction mechanism
    void SetAuctioneer(Ptr<GenesisAuctioneer> a);
    /// \return the auction mechanism
    Ptr<GenesisAuctioneer> GetAuctioneer() const;
    /// \param f factory of the monitors (GenesisMonitor or a subclass, with attributes)
    void SetMonitorFactory(const ObjectFactory& f);
    /// \return the monitor factory
    ObjectFactory GetMonitorFactory() const;
    /// \param db the run database (null: none)
    void SetDatabase(Ptr<GenesisProfileDatabase> db);
    /// \return the run database
    Ptr<GenesisProfileDatabase> GetDatabase() const;

    /**
     * \brief A child's bid, in force from the next round on.
     * \param child a child of the managed network
     * \param price unit price (currency units per Mbit/s per interval, >= 0)
     * \param quantity capacity asked on every device it uses
     * \throws GenesisError for a network that is not a child, a constant
     *         child (its rate is guaranteed, never auctioned) or a bad price
     */
    void SetBid(Ptr<VirtualNetwork> child, double price, DataRate quantity);
    /// \brief Withdraw a child's bid (it keeps its allocation). \param child the child
    void ClearBid(Ptr<VirtualNetwork> child);
    /// \return true when \p childId bids
    bool HasBid(uint16_t childId) const;
    /// \return the bid of \p childId (price 0, quantity 0 when none)
    GenesisBid GetBid(uint16_t childId) const;

    /**
     * \brief Re-provision one child on one device now, outside the auction
     * (recorded with cause 'api').
     * \throws GenesisError when refused
     */
    void Reprovision(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev, DataRate rate);

    /// \brief Run one provisioning round now (the periodic schedule calls it).
    void RunInterval();
    /// \brief Stop the periodic rounds.
    void Stop();
    /// \return the number of rounds run
    uint64_t GetNRounds() const;

    /// Per-bidder outcome of the last round (allocation: the smallest over its devices).
    struct BidderOutcome
    {
        uint16_t bidder{0};       //!< child id
        double price{0};          //!< price
        uint64_t quantityBps{0};  //!< quantity
        uint64_t allocatedBps{0}; //!< smallest allocation over its devices
        double payment{0};        //!< sum of its payments
    };

    /// \return the outcome of the last round, by bidder id
    const std::map<uint16_t, BidderOutcome>& GetLastOutcome() const;
    /// \return the capacity auctioned on \p dev in the last round (bit/s)
    uint64_t GetAuctionedCapacity(Ptr<NetDevice> dev) const;

    /// \return the delegate on \p node, or null
    Ptr<GenesisDelegate> GetDelegate(Ptr<Node> node) const;
    /// \return the monitor of \p child on \p dev, or null
    Ptr<GenesisMonitor> GetMonitor(Ptr<VirtualNetwork> child, Ptr<NetDevice> dev) const;
    /// \return the readings of the last round
    const std::vector<GenesisMonitor::Reading>& GetLastReadings() const;

    /// TracedCallback signature for Allocation: child, node, device index, old, new (bit/s).
    typedef void (*AllocationTracedCallback)(uint16_t, uint32_t, uint32_t, uint64_t, uint64_t);
    /// TracedCallback signature for Round: the round number.
    typedef void (*RoundTracedCallback)(uint64_t);

  protected:
    void DoDispose() override;

  private:
    Ptr<GenesisDelegate> DelegateFor(Ptr<Node> node);
    void Record(
        const std::vector<GenesisMonitor::Reading>& readings,
        const std::vector<std::tuple<uint16_t, uint32_t, uint32_t, uint64_t, uint64_t>>& changes,
        const std::string& cause);

    Time m_interval;                                              //!< ProvisioningInterval
    DataRate m_minimumRate;                                       //!< MinimumRate
    DataRate m_ownRate;                                           //!< OwnRate
    Ptr<GenesisAuctioneer> m_auctioneer;                          //!< mechanism
    ObjectFactory m_monitorFactory;                               //!< monitors
    Ptr<GenesisProfileDatabase> m_db;                             //!< run database
    Ptr<VirtualNetwork> m_network;                                //!< managed network
    std::map<uint16_t, GenesisBid> m_bids;                        //!< bids by child id
    std::map<uint32_t, Ptr<GenesisDelegate>> m_delegates;         //!< by node id
    std::map<uint16_t, bool> m_known;                             //!< children with monitors
    std::map<uint16_t, BidderOutcome> m_outcome;                  //!< last round
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> m_capacity; //!< last auctioned capacity
    std::vector<GenesisMonitor::Reading> m_readings;              //!< last readings
    EventId m_event;                                              //!< next round
    uint64_t m_rounds;                                            //!< rounds run
    TracedCallback<uint16_t, uint32_t, uint32_t, uint64_t, uint64_t> m_allocationTrace; //!< changes
    TracedCallback<uint64_t> m_roundTrace;                                              //!< rounds
};

} // namespace ns3

#endif /* GENESIS_MAESTRO_H */
