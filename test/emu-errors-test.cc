/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Emulated ports on interfaces that cannot carry them: clear errors naming
 * the interface and the fix, and nothing half-built. The privilege and
 * interface-down cases run in a child process (dropped to user "nobody", or
 * in a fresh network namespace whose loopback is down) that reports the
 * error text through a pipe.
 */
#include "emu-test-common.h"

#include <sched.h>
#include <sys/wait.h>

using namespace ns3;
using namespace ns3::genesis_emu_test;

namespace
{

/**
 * Run \p body in a child process; return what it wrote (the error text),
 * or "<no error>" / "<child failed>".
 */
std::string
InChild(const std::function<void()>& prepare, const std::function<void()>& body)
{
    int p[2];
    if (pipe(p) != 0)
    {
        return "<pipe failed>";
    }
    pid_t pid = fork();
    if (pid == 0)
    {
        close(p[0]);
        std::string out = "<no error>";
        try
        {
            prepare();
            body();
        }
        catch (const GenesisError& e)
        {
            out = e.what();
        }
        catch (const std::exception& e)
        {
            out = std::string("<other error> ") + e.what();
        }
        ssize_t w = write(p[1], out.data(), out.size());
        (void)w;
        close(p[1]);
        _exit(0);
    }
    close(p[1]);
    std::string got;
    char buf[512];
    ssize_t n;
    while ((n = read(p[0], buf, sizeof(buf))) > 0)
    {
        got.append(buf, n);
    }
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    {
        return "<child failed>";
    }
    return got;
}

bool
Contains(const std::string& s, const std::string& part)
{
    return s.find(part) != std::string::npos;
}

} // namespace

TEST(GenesisEmuErrors, MissingInterfaceIsNamedWithTheFix)
{
    try
    {
        GenesisEmuHelper::OpenPacketSocket("gemu-nosuch0");
        ADD_FAILURE() << "a missing interface was accepted";
    }
    catch (const GenesisError& e)
    {
        std::string what = e.what();
        EXPECT_TRUE(Contains(what, "'gemu-nosuch0'")) << what;
        EXPECT_TRUE(Contains(what, "ip link show")) << what;
    }
    try
    {
        GenesisEmuHelper::CheckInterface("an-interface-name-too-long");
        ADD_FAILURE() << "an over-long name was accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_TRUE(Contains(e.what(), "longer than 15")) << e.what();
    }
}

// A missing interface among several: the node gets no port at all.
TEST(GenesisEmuErrors, FailedInstallLeavesTheNodeUnchanged)
{
    Ptr<Node> n = CreateObject<Node>();
    GenesisEmuHelper emu;
    EXPECT_THROW(emu.InstallPorts(n, {"lo", "gemu-nosuch0"}), GenesisError);
    EXPECT_EQ(n->GetNDevices(), 0u);
    EXPECT_THROW(emu.InstallPorts(n, {"lo", "lo"}), GenesisError);
    EXPECT_THROW(emu.InstallPorts(n, {}), GenesisError);
    EXPECT_EQ(n->GetNDevices(), 0u);
    EXPECT_THROW(emu.SetPortAttribute("NoSuchAttribute", UintegerValue(1)), GenesisError);
    Simulator::Destroy();
}

// Without root or CAP_NET_RAW the packet socket is refused: the message says
// which interface and how to get the privilege. (As root, the child drops to
// "nobody", which loses every capability.)
TEST(GenesisEmuErrors, MissingPrivilegesAreExplained)
{
    std::string what = InChild(
        []() {
            if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            {
                throw std::runtime_error("cannot drop to nobody");
            }
        },
        []() { GenesisEmuHelper::OpenPacketSocket("lo"); });
    EXPECT_TRUE(Contains(what, "CAP_NET_RAW")) << what;
    EXPECT_TRUE(Contains(what, "'lo'")) << what;
    EXPECT_TRUE(Contains(what, "setcap")) << what;
}

// In a fresh network namespace the loopback interface exists but is down.
TEST(GenesisEmuErrors, InterfaceDownIsExplained)
{
    std::string what = InChild(
        []() {
            int flags = CLONE_NEWNET | (getuid() == 0 ? 0 : CLONE_NEWUSER);
            if (unshare(flags) != 0)
            {
                throw std::runtime_error(std::string("unshare: ") + std::strerror(errno));
            }
        },
        []() { GenesisEmuHelper::OpenPacketSocket("lo"); });
    if (Contains(what, "unshare"))
    {
        GTEST_SKIP() << "no network namespaces here: " << what;
    }
    EXPECT_TRUE(Contains(what, "'lo' is down")) << what;
    EXPECT_TRUE(Contains(what, "ip link set lo up")) << what;
}
