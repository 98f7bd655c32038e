/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PROFILE_DATABASE_H
#define PROFILE_DATABASE_H

#include "sqlite-database.h"

#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/virtual-network.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief The profile database of the Genesis Kernel (paper §V-A-5): an SQLite
 * file recording the parent topology, every network's life cycle, its
 * routelets, virtual links, reservations and the residual capacity of every
 * arbitrator, a catalogue of transport modules, refusals and statistics.
 *
 * The file (attribute Path) is a real SQLite database in WAL mode; a user can
 * query it with the sqlite3 shell during or after the run. Every recorded
 * spawn and teardown is one transaction: readers see all of it or none of
 * it, and a process killed in the middle leaves the previous state. All
 * timestamps are simulated times in nanoseconds, so the same program gives
 * the same content. Schema: see doc/database-section.rst.
 */
class GenesisProfileDatabase : public Object
{
  public:
    /// Version written to meta.schema_version. Readers (GenesisParentTopology,
    /// GenesisReport, genesis-db-merge) check it. Version 4 added nodes.system_id
    /// and the meta rows mpi_rank and mpi_size.
    static constexpr int SCHEMA_VERSION = 4;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisProfileDatabase();
    ~GenesisProfileDatabase() override;

    /**
     * \brief Create the database file at Path, replacing a previous file (and
     * its -wal/-shm companions), create the schema and catalogue the modules.
     * \throws GenesisError when the file cannot be created
     */
    void Open();
    /// \brief Close the file (checkpoints the WAL). No-op when closed.
    void Close();
    /// \return true when open
    bool IsOpen() const;
    /// \return the underlying connection (for queries; throws if closed)
    SqliteDatabase& GetConnection();

    /**
     * \brief Record (replace) the module catalogue: every registered TypeId
     * that is a QueueDisc, QueueDiscClass or PacketFilter, or belongs to the
     * group "Genesis", with its category and attribute initial values.
     * Called by Open().
     */
    void CatalogueModules();

    /**
     * \brief Record the physical topology and the root network (one transaction).
     *
     * Nodes with a root routelet, their devices with the peer across the
     * channel and the capacity (the root arbitrator's LinkRate), the root
     * network row and its allocations.
     * \throws GenesisError for a non-root network or a closed database
     */
    void RecordTopology(Ptr<VirtualNetwork> root);

    /**
     * \brief Record a spawn (one transaction): the network row (state
     * spawned), its routelets, links with their paths, its reservation on
     * every device, its allocations and the updated allocations of its parent.
     * Ancestors not recorded yet are recorded first.
     * \param net a SPAWNED network
     * \param profileText the profile the network was made from; empty: the
     *        text given by SetProfileText(), else a canonical description
     * \throws GenesisError (nothing is written then)
     */
    void RecordSpawn(Ptr<VirtualNetwork> net, const std::string& profileText = "");

    /**
     * \brief Record a teardown (one transaction): state torn_down and
     * torn_down_at, reservations released, the network's allocations removed
     * and its parent's allocations updated on the devices it held.
     * \throws GenesisError (nothing is written then)
     */
    void RecordTeardown(Ptr<VirtualNetwork> net);

    /**
     * \brief Record a re-provisioning (one transaction): the link's new rate,
     * the network's reservation on every device the link crosses and the
     * allocations of the network and of its parent there. Connected to the
     * network's "Reprovisioned" trace by Watch(). No-op for a network that is
     * not spawned.
     * \param net the network
     * \param link its link, after VirtualNetwork::SetLinkRate
     * \throws GenesisError (nothing is written then)
     */
    void RecordReprovision(Ptr<VirtualNetwork> net, Ptr<VirtualLink> link);

    /**
     * \brief Record a refused spawn (the network row in state defined and a refusal).
     * \param net the network
     * \param reason the error message
     */
    void RecordRefusal(Ptr<VirtualNetwork> net, const std::string& reason);
    /// \brief Record a refusal of a network known only by name.
    void RecordRefusal(const std::string& name, const std::string& reason);

    /**
     * \brief Record a statistic of a network at the current simulated time.
     * \param networkId network id (must be recorded already)
     * \param key name, e.g. "rx-bytes"
     * \param value value
     */
    void RecordStatistic(uint16_t networkId, const std::string& key, double value);

    /**
     * \brief Record a run-time change of a network (architecting, paper §V-C-2)
     * at the current simulated time: a spawn, a teardown, a re-provisioning, an
     * attribute set, a module replaced. Watched networks record theirs through
     * their Changed trace source.
     * \param net the network
     * \param kind what kind of change
     * \param target what changed
     * \param oldValue value before ("" when not known)
     * \param newValue value after
     */
    void RecordChange(Ptr<VirtualNetwork> net,
                      const std::string& kind,
                      const std::string& target,
                      const std::string& oldValue,
                      const std::string& newValue);

    /// One row of link_stats: one monitor, one provisioning interval.
    struct LinkStatsRow
    {
        uint16_t networkId{0};    //!< the monitored child
        uint32_t nodeId{0};       //!< node
        uint32_t deviceIndex{0};  //!< device index
        int64_t timeNs{0};        //!< end of the interval
        int64_t intervalNs{0};    //!< length
        uint64_t txBytes{0};      //!< bytes sent
        uint64_t txPackets{0};    //!< packets sent
        uint64_t drops{0};        //!< queue drops
        uint64_t policed{0};      //!< packets dropped or marked by the policer
        double rateBps{0};        //!< measured rate
        uint64_t allocatedBps{0}; //!< allocation
        double meanDelayNs{-1};   //!< mean sojourn time; < 0: unknown (NULL)
    };

    /// One row of allocation_changes.
    struct AllocationChangeRow
    {
        int64_t timeNs{0};       //!< when
        uint16_t networkId{0};   //!< whose allocation
        uint32_t nodeId{0};      //!< node
        uint32_t deviceIndex{0}; //!< device index
        uint64_t oldBps{0};      //!< before
        uint64_t newBps{0};      //!< after
        std::string cause;       //!< 'auction', 'reprovision', 'timeline' or 'api'
    };

    /// One row of bids.
    struct BidRow
    {
        int64_t timeNs{0};            //!< when the auction ran
        uint16_t auctionNetworkId{0}; //!< the parent whose capacity is auctioned
        uint16_t bidderNetworkId{0};  //!< the bidder
        double price{0};              //!< unit price
        uint64_t quantityBps{0};      //!< quantity asked
        uint64_t allocatedBps{0};     //!< allocation (smallest over its devices)
        double payment{0};            //!< payment (sum over its devices)
    };

    /**
     * \brief Record one provisioning round of a maestro in one transaction:
     * link_stats, allocation_changes and bids rows.
     * \throws GenesisError (nothing is written then)
     */
    void RecordManagementRound(const std::vector<LinkStatsRow>& stats,
                               const std::vector<AllocationChangeRow>& changes,
                               const std::vector<BidRow>& bids);

    /// \brief The profile text to store when \p networkName is spawned.
    void SetProfileText(const std::string& networkName, const std::string& text);

    /**
     * \brief Record the topology of \p root and watch every network of its tree.
     *
     * Connects to the Spawned, TornDown and SpawnFailed traces of every
     * network present now; the tree is scanned again when any of them fires
     * and once more at the first event of the simulation, which catches
     * networks defined after Attach() but before Simulator::Run(). A network
     * defined during the run whose ancestors all stay quiet must be passed to
     * Watch(). Re-provisioning (the Reprovisioned trace) is recorded too.
     */
    void Attach(Ptr<VirtualNetwork> root);
    /// \brief Connect to the life-cycle traces of \p net (once; later calls are no-ops).
    void Watch(Ptr<VirtualNetwork> net);

    /**
     * \brief The file name of one rank's database in a distributed (MPI) run.
     *
     * "run.sqlite" becomes "run.rank0-of-2.sqlite" (the tag goes before the
     * extension of the file name, or at the end when it has none); with
     * \p size 1 the path is returned unchanged. genesis-db-merge merges the
     * files of ranks 0 .. size-1 into one database of the normal schema.
     * \param path the run's database path (e.g. the --db argument)
     * \param rank this process's rank (MpiInterface::GetSystemId())
     * \param size the number of ranks (MpiInterface::GetSize())
     * \return the rank's file name
     * \throws GenesisError when \p rank >= \p size
     */
    static std::string RankPath(const std::string& path, uint32_t rank, uint32_t size);

    /**
     * \brief Record in meta which rank of a distributed run wrote this file
     * (rows mpi_rank and mpi_size), which genesis-db-merge checks.
     * \param rank this process's rank
     * \param size the number of ranks
     * \throws GenesisError when closed or \p rank >= \p size
     */
    void RecordRank(uint32_t rank, uint32_t size);

    /// \return a deterministic text dump of the database (SqliteDatabase::Dump)
    std::string Dump();

    /// \return the state name stored for \p s ("defined", "spawned", "torn_down")
    static std::string StateName(VirtualNetwork::State s);
    /// \return the class name stored for \p cc ("constant", "controlled", "best-effort")
    static std::string ClassName(ArbitratorQueueDiscClass::CapacityClass cc);

  protected:
    void DoDispose() override;

  private:
    void CheckOpen(const std::string& what) const;
    void CreateSchema();
    void UpsertNetwork(Ptr<VirtualNetwork> net, const char* stampColumn);
    void EnsureAncestors(Ptr<VirtualNetwork> net);
    void WriteSpawnDetails(Ptr<VirtualNetwork> net);
    void WriteAllocations(Ptr<VirtualNetwork> net, Ptr<NetDevice> dev);
    void WriteEdges(Ptr<VirtualNetwork> net);
    void OnReprovisioned(Ptr<VirtualNetwork> net, Ptr<VirtualLink> link, DataRate rate);
    void OnChanged(Ptr<VirtualNetwork> net,
                   const std::string& kind,
                   const std::string& target,
                   const std::string& oldValue,
                   const std::string& newValue);
    std::string DescribeProfile(Ptr<VirtualNetwork> net) const;
    void Scan(Ptr<VirtualNetwork> net);
    void OnSpawned(Ptr<VirtualNetwork> net);
    void OnTornDown(Ptr<VirtualNetwork> net);
    void OnSpawnFailed(Ptr<VirtualNetwork> net, const std::string& reason);

    std::string m_path;                            //!< file name (attribute)
    std::unique_ptr<SqliteDatabase> m_db;          //!< connection, null when closed
    Ptr<VirtualNetwork> m_root;                    //!< attached root, or null
    std::set<Ptr<VirtualNetwork>> m_watched;       //!< networks whose traces are connected
    std::map<std::string, std::string> m_profiles; //!< profile text by network name
};

} // namespace ns3

#endif /* PROFILE_DATABASE_H */
