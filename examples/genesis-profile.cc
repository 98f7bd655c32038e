/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * genesis-profile: the compiler of profiling scripts.
 *
 *   genesis-profile check <profile.yaml> [--db=parent.sqlite] [--parent=name]
 *   genesis-profile plan  <profile.yaml>  --db=parent.sqlite  [--parent=name]
 *
 * "check" prints every problem like a compiler ("file:line:col: error: ..."
 * and an indented hint). Without --db it checks what needs no parent network
 * (the reader's checks, connectivity, hosts, membership, addresses, the
 * timeline); with --db it verifies the profile against the parent network
 * recorded in a profile database (default parent: the profile's "parent",
 * else the root), including admission and path completion. "plan" also
 * prints the resolved plan: where each routelet goes, each link's complete
 * path and delay, and the reservation on every parent device.
 *
 * Exit status: 0 the profile is fine (warnings allowed), 1 it has errors,
 * 2 the command line is wrong or the database cannot be used.
 */

#include "ns3/core-module.h"
#include "ns3/genesis-module.h"

#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const char* USAGE =
    "usage: genesis-profile check|plan <profile.yaml> [--db=parent.sqlite] [--parent=name]\n"
    "       genesis-profile --help\n";

int
UsageError(const std::string& what)
{
    std::cerr << "genesis-profile: " << what << "\n" << USAGE;
    return 2;
}

/// Print diagnostics like a compiler: the line, then the hint indented.
void
Print(const std::vector<GenesisDiagnostic>& diags)
{
    for (const auto& d : diags)
    {
        std::cerr << d.location.ToString() << ": "
                  << (d.severity == GenesisDiagnostic::ERROR ? "error" : "warning") << ": "
                  << d.message << "\n";
        if (!d.hint.empty())
        {
            std::cerr << "  hint: " << d.hint << "\n";
        }
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    // ns-3's CommandLine exits with 1 on an unknown option, which would read
    // as "the profile has errors": check the options first, and accept
    // "--db file" as well as "--db=file".
    std::vector<std::string> args{argv[0]};
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0)
        {
            args.push_back(a);
            continue;
        }
        std::string key =
            a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
        if (key == "db" || key == "parent")
        {
            if (a.find('=') == std::string::npos)
            {
                if (i + 1 >= argc)
                {
                    return UsageError("--" + key + " needs a value");
                }
                a += "=" + std::string(argv[++i]);
            }
            args.push_back(a);
        }
        else if (key == "help" || key == "version" || key.rfind("Print", 0) == 0)
        {
            args.push_back(a);
        }
        else
        {
            return UsageError("unknown option '" + a + "'");
        }
    }

    std::string command;
    std::string profilePath;
    std::string dbPath;
    std::string parentName;
    CommandLine cmd(__FILE__);
    cmd.Usage("Check a Genesis profiling script, like a compiler, and print its spawn plan.\n\n"
              "  genesis-profile check <profile.yaml> [--db=parent.sqlite] [--parent=name]\n"
              "  genesis-profile plan  <profile.yaml>  --db=parent.sqlite  [--parent=name]\n\n"
              "Without --db only what needs no parent network is checked. Exit status: 0 ok "
              "(warnings allowed), 1 errors in the profile, 2 bad command line or unusable "
              "database.");
    cmd.AddNonOption("command", "check or plan", command);
    cmd.AddNonOption("profile", "the profiling script (YAML)", profilePath);
    cmd.AddValue("db",
                 "profile database holding the parent network (GenesisProfileDatabase)",
                 dbPath);
    cmd.AddValue("parent",
                 "the parent network in the database (default: the profile's parent, else the "
                 "root)",
                 parentName);
    std::vector<char*> cargv;
    for (auto& a : args)
    {
        cargv.push_back(a.data());
    }
    cmd.Parse(static_cast<int>(cargv.size()), cargv.data());

    if (command.empty())
    {
        return UsageError("give a command: check or plan");
    }
    if (command != "check" && command != "plan")
    {
        return UsageError("unknown command '" + command + "'; use check or plan");
    }
    if (profilePath.empty())
    {
        return UsageError("give the profile file to " + command);
    }
    if (cmd.GetNExtraNonOptions() > 0)
    {
        return UsageError("unexpected argument '" + cmd.GetExtraNonOption(0) + "'");
    }
    if (command == "plan" && dbPath.empty())
    {
        return UsageError("plan needs the parent network: give --db=parent.sqlite");
    }

    GenesisProfileReadResult read = GenesisProfileReader::ReadFile(profilePath);
    GenesisVerifyResult result;
    if (read.Ok())
    {
        if (dbPath.empty())
        {
            result = GenesisProfileVerifier::Verify(read.profile);
        }
        else
        {
            std::string parent = parentName.empty() ? read.profile.parent : parentName;
            GenesisParentTopology topology;
            try
            {
                topology = GenesisParentTopology::FromDatabase(dbPath, parent);
            }
            catch (const GenesisError& e)
            {
                Print(read.diagnostics);
                std::cerr << "genesis-profile: " << e.what() << "\n";
                return 2;
            }
            result = GenesisProfileVerifier::Verify(read.profile, topology);
        }
    }
    result.diagnostics.insert(result.diagnostics.begin(),
                              read.diagnostics.begin(),
                              read.diagnostics.end());
    Print(result.diagnostics);
    std::size_t errors = result.GetNErrors();
    std::size_t warnings = result.GetNWarnings();
    if (read.Ok())
    {
        // Cross-attribute checks of the modules (e.g. a DiffServ agreement's
        // CIR above its PIR), which the spawner would refuse.
        for (const std::string& m : GenesisSpawner::CheckModules(read.profile))
        {
            std::cerr << m << "\n";
            ++errors;
        }
    }
    if (errors == 0 && command == "plan")
    {
        std::cout << GenesisProfileVerifier::FormatPlan(result.plan);
    }
    std::cerr << profilePath << ": " << errors << " error(s), " << warnings << " warning(s)"
              << (dbPath.empty() ? " (checked without a parent network)" : "") << "\n";
    return errors == 0 ? 0 : 1;
}
