/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * profile-fuzzer: a libFuzzer target for the profiling-script reader and the
 * verifier.
 *
 * Every input is taken as the text of a profiling script and given to
 * GenesisProfileReader::ReadString; a script read without errors is then
 * verified against a small real parent network built once at start-up
 * (GenesisProfileVerifier::Verify, when the verifier is part of the tree).
 *
 * The contract under test: bad input yields diagnostics (or, for the *OrThrow
 * variants, a GenesisError), never a crash, an abort (ns-3's fatal errors
 * included), a hang, a leak, a sanitizer report or any other exception.
 * Anything else that escapes is reported and aborts, so libFuzzer saves the
 * input as a crash.
 *
 * Parent network (real ns-3: stacks, point-to-point devices, addresses,
 * GenesisHelper::Install on the routers):
 *
 *        n4 (host)                      n5 (host)
 *         |                              |
 *        n0 ---- n1 ---- n2 ---- n3 -----+        routers n0..n3, Genesis
 *         \_____________/                          n0 - n2 a second path
 *
 * Node 0 is also named "gw" (ns3::Names), as the Cellular IP example
 * profile refers to it.
 *
 *   utils/run-fuzz.sh 60        # build and fuzz for 60 s
 *   build-fuzz/profile-fuzzer crash-...   # replay one input
 */

#include "ns3/core-module.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-helper.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/profile-reader.h"

// GENESIS_FUZZ_VERIFIER is set by fuzz/CMakeLists.txt: 1 when the verifier's
// implementation is in the tree.
#if GENESIS_FUZZ_VERIFIER
#include "ns3/profile-verifier.h"
#endif

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

using namespace ns3;

namespace
{

/// The parent network, built once and never changed by the inputs.
struct Parent
{
    NodeContainer routers;    //!< n0..n3, Genesis routers
    NodeContainer hosts;      //!< n4, n5, plain IPv4 hosts
    GenesisHelper genesis;    //!< installed on the routers
    Ptr<VirtualNetwork> root; //!< the root network
};

Parent* g_parent = nullptr;

void
BuildParent()
{
    g_parent = new Parent;
    Parent& p = *g_parent;
    p.routers.Create(4);
    p.hosts.Create(2);
    Names::Add("gw", p.routers.Get(0));
    InternetStackHelper stack;
    stack.Install(p.routers);
    stack.Install(p.hosts);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    auto join = [&](Ptr<Node> a, Ptr<Node> b) {
        addr.Assign(p2p.Install(a, b));
        addr.NewNetwork();
    };
    for (uint32_t i = 0; i + 1 < p.routers.GetN(); ++i)
    {
        join(p.routers.Get(i), p.routers.Get(i + 1));
    }
    join(p.routers.Get(0), p.routers.Get(2));
    join(p.hosts.Get(0), p.routers.Get(0));
    join(p.hosts.Get(1), p.routers.Get(3));
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    p.root = p.genesis.Install(p.routers);
}

/// Report an escaped exception and abort, so that libFuzzer keeps the input.
[[noreturn]] void
Finding(const char* stage, const char* what)
{
    std::fprintf(stderr,
                 "profile-fuzzer: FINDING: %s let an exception other than GenesisError "
                 "escape: %s\n",
                 stage,
                 what);
    std::abort();
}

} // namespace

extern "C" int
LLVMFuzzerInitialize(int* /* argc */, char*** /* argv */)
{
    BuildParent();
    return 0;
}

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const char* stage = "GenesisProfileReader::ReadString";
    try
    {
        GenesisProfileReadResult r = GenesisProfileReader::ReadString(text, "fuzz.yaml");
        // Formatting every diagnostic is part of the reader's output too.
        volatile std::size_t sink = r.Format().size() + r.GetNErrors() + r.GetNWarnings();
        (void)sink;
        if (!r.Ok())
        {
            return 0;
        }
#if GENESIS_FUZZ_VERIFIER
        // Against the live parent, then the checks that need no parent.
        stage = "GenesisProfileVerifier::Verify(profile, parent)";
        GenesisVerifyResult v = GenesisProfileVerifier::Verify(r.profile, g_parent->root);
        sink = v.Format().size() + v.GetNErrors() + v.GetNWarnings();
        if (v.Ok())
        {
            stage = "GenesisProfileVerifier::FormatPlan";
            sink = GenesisProfileVerifier::FormatPlan(v.plan).size();
        }
        stage = "GenesisProfileVerifier::Verify(profile)";
        sink = GenesisProfileVerifier::Verify(r.profile).Format().size();
        (void)sink;
#endif
    }
    catch (const GenesisError&)
    {
        // documented failure: fine
    }
    catch (const std::exception& e)
    {
        Finding(stage, e.what());
    }
    catch (...)
    {
        Finding(stage, "(not a std::exception)");
    }
    return 0;
}
