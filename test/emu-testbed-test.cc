/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Genesis emulation on real interfaces, as root, in a test bed of network
 * namespaces and veth pairs (utils/emu-testbed.sh): the genesis-emu example
 * runs in the router namespace as a child process (its own real-time
 * simulator) and real hosts ping and iperf3 through it. Traffic goes only to
 * the test bed's own namespaces; the test bed is removed even when a test
 * fails. Without root these tests are skipped (the socketpair tests cover the
 * same data path).
 */
#include "ns3/genesis-module.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace
{

/// Run a shell command; return its exit status.
int
Sh(const std::string& cmd)
{
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// Run a shell command; return its standard output.
std::string
ShOut(const std::string& cmd)
{
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (!f)
    {
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    {
        out.append(buf, n);
    }
    pclose(f);
    return out;
}

/// Directory of this executable (the build directory, where genesis-emu is).
std::string
BuildDir()
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
    {
        return "build";
    }
    std::string exe(buf, n);
    return exe.substr(0, exe.rfind('/'));
}

class GenesisEmuTestbed : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (getuid() != 0)
        {
            GTEST_SKIP() << "needs root (network namespaces); the socketpair tests cover the "
                            "data path";
        }
        m_name = "gt" + std::to_string(getpid());
        m_router = -1;
        ASSERT_EQ(Sh("utils/emu-testbed.sh up --name " + m_name + " >/dev/null"), 0)
            << "cannot build the test bed";
        m_up = true;
    }

    void TearDown() override
    {
        StopRouter();
        if (m_up)
        {
            Sh("utils/emu-testbed.sh down --name " + m_name);
            m_up = false;
        }
        EXPECT_EQ(ShOut("ip netns list | grep -c '^" + m_name + "-' || true"), "0\n");
    }

    /// Start genesis-emu in the router namespace and wait for "ready".
    void StartRouter(const std::string& args)
    {
        std::string exe = BuildDir() + "/genesis-emu";
        ASSERT_EQ(access(exe.c_str(), X_OK), 0) << exe << " missing: build genesis-emu";
        m_log = "/tmp/" + m_name + "-router.log";
        int out[2];
        ASSERT_EQ(pipe(out), 0);
        m_router = fork();
        if (m_router == 0)
        {
            dup2(out[1], STDOUT_FILENO);
            int err = open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(err, STDERR_FILENO);
            close(out[0]);
            std::string ns = m_name + "-r";
            std::string a = "--duration=30";
            execlp("ip",
                   "ip",
                   "netns",
                   "exec",
                   ns.c_str(),
                   exe.c_str(),
                   "--ports=p1,p2,p3",
                   args.c_str(),
                   a.c_str(),
                   (char*)nullptr);
            _exit(127);
        }
        close(out[1]);
        m_out = out[0];
        std::string seen;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
        while (seen.find("genesis-emu: ready") == std::string::npos &&
               std::chrono::steady_clock::now() < deadline)
        {
            struct pollfd pfd
            {
                m_out, POLLIN, 0
            };

            if (poll(&pfd, 1, 100) > 0)
            {
                char buf[512];
                ssize_t n = read(m_out, buf, sizeof(buf));
                if (n <= 0)
                {
                    break;
                }
                seen.append(buf, n);
            }
        }
        std::ifstream log(m_log);
        std::string err((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
        ASSERT_NE(seen.find("genesis-emu: ready"), std::string::npos)
            << "genesis-emu did not start: " << seen << err;
    }

    void StopRouter()
    {
        if (m_router > 0)
        {
            kill(m_router, SIGTERM);
            int status;
            for (int i = 0; i < 30 && waitpid(m_router, &status, WNOHANG) == 0; ++i)
            {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (waitpid(m_router, &status, WNOHANG) == 0)
            {
                kill(m_router, SIGKILL);
                waitpid(m_router, &status, 0);
            }
            m_router = -1;
            close(m_out);
        }
    }

    std::string Ns(const std::string& host) const
    {
        return "ip netns exec " + m_name + "-" + host + " ";
    }

    uint64_t RxPackets(const std::string& host) const
    {
        std::string s = ShOut(Ns(host) + "cat /sys/class/net/eth0/statistics/rx_packets");
        return std::strtoull(s.c_str(), nullptr, 10);
    }

    std::string m_name;
    std::string m_log;
    bool m_up{false};
    pid_t m_router{-1};
    int m_out{-1};
};

/**
 * Mean received rate of an iperf3 server's JSON report over its one-second
 * intervals except the first and the last (the two clients start and stop a
 * little apart; in between both send). -1 when there are fewer than three.
 */
double
SteadyRate(const std::string& json)
{
    std::vector<double> rates;
    const std::string key = "\n\t\t\t\"sum\":"; // an interval's sum (iperf3 3.x layout)
    for (auto p = json.find(key); p != std::string::npos; p = json.find(key, p + 1))
    {
        auto b = json.find("\"bits_per_second\":", p);
        if (b == std::string::npos)
        {
            break;
        }
        rates.push_back(std::strtod(json.c_str() + json.find(':', b) + 1, nullptr));
    }
    if (rates.size() < 3)
    {
        return -1;
    }
    double sum = 0;
    for (std::size_t i = 1; i + 1 < rates.size(); ++i)
    {
        sum += rates[i];
    }
    return sum / (rates.size() - 2);
}

} // namespace

// Real pings from host h1 to host h3 cross the emulated Genesis router (the
// router namespace has no address and no kernel forwarding: only ns-3
// answers), and the router's own address answers too.
TEST_F(GenesisEmuTestbed, PingCrossesTheEmulatedGenesisRouter)
{
    ASSERT_NE(Sh(Ns("r") + "sysctl -n net.ipv4.ip_forward | grep -q 1"), 0);
    StartRouter("--profiles=examples/profiles/emu-gold.yaml,examples/profiles/emu-bronze.yaml");
    EXPECT_EQ(Sh(Ns("h1") + "ping -c 3 -i 0.2 -W 2 -q 10.77.1.1 >/dev/null"), 0);
    EXPECT_EQ(Sh(Ns("h1") + "ping -c 5 -i 0.2 -W 2 -q 10.77.3.2 >/dev/null"), 0);
    EXPECT_EQ(Sh(Ns("h3") + "ping -c 3 -i 0.2 -W 2 -q 10.77.2.2 >/dev/null"), 0);
}

// iperf3 UDP floods from h1 (gold, controlled 30 Mbit/s) and h2 (bronze,
// controlled 10 Mbit/s) into h3 through a 40 Mbit/s port: 3:1 within 10%.
TEST_F(GenesisEmuTestbed, IperfFromTwoNetworksSplitsABottleneckThreeToOne)
{
    StartRouter("--rates=1Gbps,1Gbps,40Mbps");
    std::string srv1 = "/tmp/" + m_name + "-s1.json";
    std::string srv2 = "/tmp/" + m_name + "-s2.json";
    ASSERT_EQ(Sh(Ns("h3") + "iperf3 -s -1 -D -J -p 5201 --logfile " + srv1), 0);
    ASSERT_EQ(Sh(Ns("h3") + "iperf3 -s -1 -D -J -p 5202 --logfile " + srv2), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // ARP and routes warm up before the measurement.
    Sh(Ns("h1") + "ping -c 1 -W 2 -q 10.77.3.2 >/dev/null");
    Sh(Ns("h2") + "ping -c 1 -W 2 -q 10.77.3.2 >/dev/null");
    std::string client = " iperf3 -u -b 60M -l 1400 -t 5 -c 10.77.3.2 ";
    int rc = Sh("(" + Ns("h1") + client + "-p 5201 >/dev/null & " + Ns("h2") + client +
                "-p 5202 >/dev/null & wait)");
    EXPECT_EQ(rc, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::ifstream f1(srv1);
    std::ifstream f2(srv2);
    std::string j1((std::istreambuf_iterator<char>(f1)), std::istreambuf_iterator<char>());
    std::string j2((std::istreambuf_iterator<char>(f2)), std::istreambuf_iterator<char>());
    std::remove(srv1.c_str());
    std::remove(srv2.c_str());
    double gold = SteadyRate(j1);
    double bronze = SteadyRate(j2);
    ASSERT_GT(gold, 0) << j1;
    ASSERT_GT(bronze, 0) << j2;
    EXPECT_NEAR(gold / bronze, 3.0, 0.3) << "gold " << gold << " bronze " << bronze;
    // Together they fill the port: 40 Mbit/s of frames, 1400/1442 of it UDP payload.
    EXPECT_GE(gold + bronze, 0.9 * 40e6 * 1400 / 1442) << gold + bronze;
    EXPECT_LE(gold + bronze, 1.05 * 40e6 * 1400 / 1442) << gold + bronze;
}

// Gold's host sends to bronze's host: nothing arrives there (the port drops
// it), while the root's host h3 still reaches bronze's host.
TEST_F(GenesisEmuTestbed, ChildTrafficNeverReachesTheOtherNetworksHost)
{
    StartRouter("--profiles=examples/profiles/emu-gold.yaml,examples/profiles/emu-bronze.yaml");
    // Warm up ARP on h2's side through a permitted path, then count.
    ASSERT_EQ(Sh(Ns("h3") + "ping -c 2 -i 0.2 -W 2 -q 10.77.2.2 >/dev/null"), 0);
    uint64_t before = RxPackets("h2");
    EXPECT_NE(Sh(Ns("h1") + "ping -c 20 -i 0.05 -W 1 -q 10.77.2.2 >/dev/null"), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    uint64_t after = RxPackets("h2");
    EXPECT_EQ(after, before) << "gold's packets reached bronze's host";
    // Gold still reaches the root's host.
    EXPECT_EQ(Sh(Ns("h1") + "ping -c 2 -i 0.2 -W 2 -q 10.77.3.2 >/dev/null"), 0);
}
