/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_DATABASE_MERGE_H
#define GENESIS_DATABASE_MERGE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Merge of a distributed run's per-rank profile databases, and
 * collection of many runs' databases into one results database.
 *
 * **MergeRanks**: under MPI every rank writes its own GenesisProfileDatabase
 * (GenesisProfileDatabase::RankPath, RecordRank). The merge checks that the
 * inputs are ranks 0 .. n-1 of one run, each exactly once, of the same schema
 * version, and that the *replicated* tables (everything but link_stats and
 * statistics) agree row by row, apart from the columns that legitimately
 * differ between ranks:
 *  - the life-cycle stamps written when a rank commits a spawn or teardown
 *    (networks.created_at_ns, spawned_at_ns, torn_down_at_ns,
 *    reservations.reserved_at_ns, released_at_ns, changes.time_ns,
 *    refusals.time_ns): the merged value is the minimum over the ranks;
 *  - routelet node ids (routelets.routelet_node_id, vlinks.end_a_node,
 *    vlinks.end_b_node): the merged value is the one of the rank that owns
 *    the host node (nodes.system_id of routelets.host_node_id,
 *    vlinks.end_a_host, vlinks.end_b_host);
 *  - meta.mpi_rank (removed from the merged file; meta.merged_ranks is added).
 * The rank-local tables (link_stats, statistics) are the union of the ranks'
 * rows in time order (statistics.stat_id renumbered). The output has the
 * normal schema, so everything that reads a run database reads it.
 *
 * **CollectRuns**: copies each run's database into one results database: a
 * `runs` table (run id, database path, parameters as JSON text, seed, run
 * number, exit status, command, captured output) and every table of the run
 * databases with a leading `run_id` column.
 *
 * Both write a temporary file next to the output and rename it over the
 * output only on success: a failure (a GenesisError naming the file, the
 * table and the row) leaves no output file and no half-written one.
 */
class GenesisDatabaseMerge
{
  public:
    /// One run of a sweep, as the manifest of utils/genesis-sweep.py lists it.
    struct RunInfo
    {
        int64_t runId{0};             //!< run id (1, 2, ...; unique)
        std::string database;         //!< the run's database file
        std::string parameters{"{}"}; //!< the run's parameters, a JSON object
        int64_t seed{-1};             //!< ns-3 RngSeed; < 0: unknown (NULL)
        int64_t run{-1};              //!< ns-3 RngRun; < 0: unknown (NULL)
        int64_t exitStatus{0};        //!< exit status; < 0: unknown (NULL)
        std::string command;          //!< the command line
        std::string output;           //!< file holding the run's stdout/stderr; "" none
    };

    /**
     * \brief Merge the per-rank databases \p inputs into \p output.
     * \param inputs the files of ranks 0 .. n-1, in any order
     * \param output the merged database (replaced on success)
     * \throws GenesisError naming the file, table and row of the first problem
     */
    static void MergeRanks(const std::vector<std::string>& inputs, const std::string& output);

    /**
     * \brief Collect the databases of \p runs into the results database \p output.
     *
     * Runs with a non-zero exit status get their `runs` row but no table rows
     * (their database may be partial or missing).
     * \throws GenesisError naming the run and file of the first problem
     */
    static void CollectRuns(const std::vector<RunInfo>& runs, const std::string& output);

    /**
     * \brief Read a sweep manifest (tab-separated, written by utils/genesis-sweep.py).
     *
     * First line: the header "run_id database seed run exit_status parameters
     * command output"; one line per run. Relative paths are relative to the
     * manifest's directory. Empty seed/run/exit_status fields are unknown.
     * \throws GenesisError naming the file, line and field
     */
    static std::vector<RunInfo> ReadManifest(const std::string& path);

    /// \return the tables every rank writes identically (besides the documented columns)
    static const std::vector<std::string>& ReplicatedTables();
    /// \return the tables each rank writes with its own rows (merged as a union)
    static const std::vector<std::string>& RankLocalTables();
};

} // namespace ns3

#endif /* GENESIS_DATABASE_MERGE_H */
