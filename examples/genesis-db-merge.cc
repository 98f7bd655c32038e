/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-db-merge: merge the per-rank profile databases of a distributed
 * (MPI) run into one database of the normal schema, or collect the databases
 * of many runs (a parameter sweep) into one results database.
 *
 *   genesis-db-merge --out=run.sqlite run.rank0-of-2.sqlite run.rank1-of-2.sqlite
 *   genesis-db-merge --out=run.sqlite --size=2        (the inputs by RankPath)
 *   genesis-db-merge --runs=results.sqlite a.sqlite b.sqlite c.sqlite
 *   genesis-db-merge --runs=results.sqlite --manifest=sweep/manifest.tsv
 *
 * Exit status: 0 done, 1 the inputs were refused (the message names the file,
 * table and row; no output file is written), 2 a usage error.
 * See doc/distributed-section.rst.
 */

#include "ns3/core-module.h"
#include "ns3/genesis-database-merge.h"
#include "ns3/genesis-error.h"
#include "ns3/profile-database.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string out = "none";
    std::string runs = "none";
    std::string manifest = "none";
    uint32_t size = 0;
    CommandLine cmd(__FILE__);
    cmd.Usage("Merge the per-rank databases of a distributed run into one database "
              "(--out=FILE INPUT...; or --out=FILE --size=N to take the files "
              "GenesisProfileDatabase::RankPath names), or collect the databases of many runs "
              "into one results database with a 'runs' table and a leading run_id column in "
              "every table (--runs=FILE INPUT...; or --runs=FILE --manifest=MANIFEST as written "
              "by utils/genesis-sweep.py). The output is replaced only on success.");
    cmd.AddValue("out",
                 "Merged database of a distributed run (replaced); 'none': not merging",
                 out);
    cmd.AddValue("size",
                 "Number of ranks: read <out>.rank<k>-of-<size>.<ext> for k = 0 .. size-1 "
                 "when no inputs are given; 0: the inputs are given",
                 size);
    cmd.AddValue("runs",
                 "Results database collecting many runs (replaced); 'none': not collecting",
                 runs);
    cmd.AddValue("manifest",
                 "Tab-separated sweep manifest (utils/genesis-sweep.py) naming the runs, their "
                 "parameters, seeds and exit statuses; 'none': the inputs are the run databases "
                 "(run ids 1, 2, ... in order)",
                 manifest);
    cmd.Parse(argc, argv);

    std::vector<std::string> inputs;
    for (std::size_t i = 0; i < cmd.GetNExtraNonOptions(); ++i)
    {
        inputs.push_back(cmd.GetExtraNonOption(i));
    }
    const bool merging = out != "none";
    const bool collecting = runs != "none";
    if (merging == collecting)
    {
        std::cerr << "genesis-db-merge: give either --out (merge the ranks of one run) or --runs "
                     "(collect runs); see --help\n";
        return 2;
    }
    try
    {
        if (merging)
        {
            if (manifest != "none")
            {
                std::cerr << "genesis-db-merge: --manifest goes with --runs; see --help\n";
                return 2;
            }
            if (size > 0 && inputs.empty())
            {
                for (uint32_t k = 0; k < size; ++k)
                {
                    inputs.push_back(GenesisProfileDatabase::RankPath(out, k, size));
                }
            }
            if (inputs.empty())
            {
                std::cerr << "genesis-db-merge: give the rank databases, or --size=N; see --help\n";
                return 2;
            }
            GenesisDatabaseMerge::MergeRanks(inputs, out);
            std::cout << "merged " << inputs.size() << " rank databases into " << out << "\n";
            return 0;
        }
        std::vector<GenesisDatabaseMerge::RunInfo> list;
        if (manifest != "none")
        {
            if (!inputs.empty())
            {
                std::cerr << "genesis-db-merge: give the runs either by --manifest or as "
                             "arguments, not both\n";
                return 2;
            }
            list = GenesisDatabaseMerge::ReadManifest(manifest);
        }
        else
        {
            for (std::size_t i = 0; i < inputs.size(); ++i)
            {
                GenesisDatabaseMerge::RunInfo r;
                r.runId = static_cast<int64_t>(i + 1);
                r.database = inputs[i];
                r.exitStatus = -1; // unknown
                list.push_back(r);
            }
        }
        if (list.empty())
        {
            std::cerr << "genesis-db-merge: no runs to collect; see --help\n";
            return 2;
        }
        GenesisDatabaseMerge::CollectRuns(list, runs);
        std::size_t failed = 0;
        for (const auto& r : list)
        {
            failed += r.exitStatus > 0 ? 1 : 0;
        }
        std::cout << "collected " << list.size() - failed << " of " << list.size() << " runs into "
                  << runs;
        if (failed)
        {
            std::cout << " (" << failed << " failed: only their runs row)";
        }
        std::cout << "\n";
        return 0;
    }
    catch (const GenesisError& e)
    {
        std::cerr << "genesis-db-merge: " << e.what() << "\n";
        return 1;
    }
}
