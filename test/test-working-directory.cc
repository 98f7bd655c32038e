/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The tests name their fixtures by paths from the top of the module
 * (test/profiles/..., examples/profiles/...). GENESIS_SOURCE_DIR, set by the
 * build to the module's absolute source directory, makes that hold wherever
 * genesis-test is started from (./ns3 test runs it from the top, ctest from
 * the build directory) and however __FILE__ is spelled (ccache with a base
 * directory makes it relative).
 */
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace
{

/// Changes to the module's top before any test runs.
struct EnterSourceDirectory
{
    EnterSourceDirectory()
    {
        if (chdir(GENESIS_SOURCE_DIR) != 0)
        {
            std::fprintf(stderr,
                         "genesis-test: cannot enter the module's source directory %s: %s\n",
                         GENESIS_SOURCE_DIR,
                         std::strerror(errno));
            std::exit(2);
        }
    }
};

const EnterSourceDirectory g_enterSourceDirectory;

} // namespace
