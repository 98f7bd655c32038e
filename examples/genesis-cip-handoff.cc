/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Cellular IP handoff validation: sweeps the distance (in hops, each of
 * --delay) between the base stations and the crossover node and prints the
 * packets a downlink CBR flow loses in a hard and in a semisoft handoff,
 * beside the hard-handoff theory rate x (2 k d + 2 t_air).
 *
 *   genesis-cip-handoff [--maxHops=4] [--delay=5ms] [--interval=1ms]
 *                       [--semisoftDelay=20ms] [--airTime=0.5ms]
 *
 * The figures of doc/cellular-ip-section.rst come from the default run.
 */
#include "../test/cellular-ip-test-common.h"

#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::cip_test;

namespace
{

struct Result
{
    uint32_t lost = 0;
    Time duration;
};

Result
Run(uint32_t hops, Time delay, Time interval, Time semisoftDelay, bool semisoft)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    CipParams p;
    p.hops = hops;
    p.linkDelay = delay;
    p.mobiles = {{12, 5, 0}};
    p.timers.semisoftDelay = semisoftDelay;
    CipNet n;
    BuildCipNet(n, p);
    CbrFlow f;
    StartCbr(f, n.ch, n.mobiles.Get(0), n.mhAddr[0], interval, Seconds(1), Seconds(4));
    Result r;
    n.agents[0]->TraceConnectWithoutContext(
        "Handoff",
        MakeCallback(+[](Result* r, Ipv4Address, Ipv4Address, const std::string&, Time d) {
            r->duration = d;
        }).Bind(&r));
    Ptr<GenesisCellularIpMobileHost> mh = n.agents[0];
    Ipv4Address bs2 = n.bs2Air;
    Simulator::Schedule(Seconds(2.5), [mh, bs2, semisoft] {
        mh->SetAttribute("AutoHandoff", BooleanValue(false));
        mh->HandoffTo(bs2,
                      semisoft ? GenesisCellularIpMobileHost::SEMISOFT
                               : GenesisCellularIpMobileHost::HARD);
    });
    Simulator::Stop(Seconds(4.5));
    Simulator::Run();
    uint32_t window = static_cast<uint32_t>(Seconds(2.8).GetDouble() / interval.GetDouble());
    r.lost = f.LostBetween(0, window - 1);
    Simulator::Destroy();
    return r;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t maxHops = 4;
    Time delay = MilliSeconds(5);
    Time interval = MilliSeconds(1);
    Time semisoftDelay = MilliSeconds(20);
    Time airTime = MicroSeconds(500);
    CommandLine cmd(__FILE__);
    cmd.AddValue("maxHops", "sweep the crossover distance from 1 to this many hops", maxHops);
    cmd.AddValue("delay", "delay of every tree link", delay);
    cmd.AddValue("interval", "CBR packet interval (downlink, 200 bytes)", interval);
    cmd.AddValue("semisoftDelay", "SemisoftDelay at the crossover node", semisoftDelay);
    cmd.AddValue("airTime", "nominal one-way air time used by the theory column", airTime);
    cmd.Parse(argc, argv);
    if (maxHops < 1 || maxHops > 20 || interval <= Time(0) || delay < Time(0))
    {
        std::cerr << "genesis-cip-handoff: need 1 <= maxHops <= 20, interval > 0, delay >= 0\n";
        return 1;
    }
    double rate = 1.0 / interval.GetSeconds();
    std::cout << "Cellular IP handoff loss, downlink CBR " << rate << " packets/s, link delay "
              << delay.As(Time::MS) << ", semisoft delay " << semisoftDelay.As(Time::MS) << "\n";
    std::cout << std::setw(5) << "hops" << std::setw(14) << "theory(hard)" << std::setw(10)
              << "hard" << std::setw(16) << "hard-duration" << std::setw(10) << "semisoft"
              << "\n";
    for (uint32_t k = 1; k <= maxHops; ++k)
    {
        double theory = rate * (2 * k * delay.GetSeconds() + 2 * airTime.GetSeconds());
        Result hard = Run(k, delay, interval, semisoftDelay, false);
        Result soft = Run(k, delay, interval, semisoftDelay, true);
        std::cout << std::setw(5) << k << std::setw(14) << std::fixed << std::setprecision(1)
                  << theory << std::setw(10) << hard.lost << std::setw(16)
                  << hard.duration.As(Time::MS) << std::setw(10) << soft.lost << "\n";
    }
    return 0;
}
