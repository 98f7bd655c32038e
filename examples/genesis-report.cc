/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-report: a self-contained HTML report of a Genesis run, from the
 * run's SQLite database (the --db file of genesis-spawn, genesis-cellularip,
 * genesis-profile-db ...), and the DOT/SVG pictures of its networks.
 *
 *   genesis-report genesis-spawn.sqlite --out=report.html
 *   genesis-report genesis-spawn.sqlite --dot=pictures/spawn-   # also tree.dot, net-*.dot (+ .svg)
 *
 * Exit status: 0 on success, 1 on a bad database or an unwritable output.
 */

#include "ns3/genesis-report.h"

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-graphviz.h"
#include "ns3/sqlite-database.h"
#include "ns3/string.h"

#include <iostream>
#include <string>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string db;
    std::string out = "report.html";
    std::string dot = "none";
    std::string title = "none";
    bool useDot = true;
    CommandLine cmd(__FILE__);
    cmd.Usage("Write a self-contained HTML report (network tree, timeline, monitor plots, "
              "allocations, bids, run-time changes, topologies) of a Genesis run database.\n"
              "Usage: genesis-report <run.sqlite> [--out=report.html] [--dot=prefix]");
    cmd.AddNonOption("database", "The run's SQLite database (the --db file of an example)", db);
    cmd.AddValue("out", "HTML file to write ('none': no HTML)", out);
    cmd.AddValue("dot",
                 "Also write the pictures as Graphviz files <prefix>tree.dot and "
                 "<prefix>net-<name>.dot (plus .svg when dot is installed); 'none': do not",
                 dot);
    cmd.AddValue("useDot",
                 "Lay out the tree and topologies with Graphviz dot when installed (false: "
                 "the report draws the tree itself)",
                 useDot);
    cmd.AddValue("title", "Title of the report ('none': from the file name)", title);
    cmd.Parse(argc, argv);

    if (db.empty())
    {
        std::cerr << "genesis-report: give the run database, e.g. genesis-report "
                     "genesis-spawn.sqlite --out=report.html (--help lists the options)\n";
        return 1;
    }
    try
    {
        Ptr<GenesisReport> report = CreateObject<GenesisReport>();
        report->SetAttribute("UseDot", BooleanValue(useDot));
        if (title != "none")
        {
            report->SetAttribute("Title", StringValue(title));
        }
        report->Open(db);
        if (!useDot || !GenesisGraphviz::HaveDot())
        {
            std::cerr << "genesis-report: "
                      << (useDot ? "Graphviz dot is not installed (Debian package graphviz); " : "")
                      << "the tree is drawn by the report itself and topologies are tables\n";
        }
        if (out != "none")
        {
            report->Write(out);
            std::cout << "report written to " << out << "\n";
        }
        if (dot != "none")
        {
            for (const auto& f : GenesisGraphviz::WriteAll(report->GetDatabase(), dot, useDot))
            {
                std::cout << "picture written to " << f << "\n";
            }
        }
        report->Dispose();
    }
    catch (const GenesisError& e)
    {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
