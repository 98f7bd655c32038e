/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DiffServ meters against their RFCs: colours of hand-worked packet sequences
 * (token counts written next to each packet), both modes; TSW estimator
 * against RFC 2859's formula and its marking probabilities statistically.
 */
#include "diffserv-test-common.h"

#include <cmath>
#include <vector>

using namespace ns3;

namespace
{
using C = GenesisMeter::Color;
constexpr C G = GenesisMeter::GREEN;
constexpr C Y = GenesisMeter::YELLOW;
constexpr C R = GenesisMeter::RED;

/// One packet of a worked sequence
struct Step
{
    double t;      //!< arrival (s)
    uint32_t size; //!< bytes
    C pre;         //!< colour carried
    C expected;    //!< colour worked out by hand from the RFC
};

void
RunSteps(Ptr<GenesisMeter> m, const std::vector<Step>& steps)
{
    m->Validate();
    for (std::size_t i = 0; i < steps.size(); ++i)
    {
        const Step& s = steps[i];
        EXPECT_EQ(m->Meter(s.size, Seconds(s.t), s.pre), s.expected)
            << "packet " << i << " (" << s.size << " B at " << s.t << " s)";
    }
}
} // namespace

// CIR 8000 bit/s = 1000 B/s, CBS 1500, EBS 1000 (RFC 2697).
TEST(DiffServMeter, SrTcmColorBlindHandWorked)
{
    auto m = CreateObjectWithAttributes<GenesisSrTcmMeter>("Cir",
                                                           DataRateValue(DataRate(8000)),
                                                           "Cbs",
                                                           UintegerValue(1500),
                                                           "Ebs",
                                                           UintegerValue(1000));
    RunSteps(m,
             {
                 {0.0, 1000, G, G}, // Tc 1500 >= 1000: green, Tc 500, Te 1000
                 {0.0, 1000, G, Y}, // Tc 500 < 1000, Te 1000 >= 1000: yellow, Te 0
                 {0.0, 600, G, R},  // Tc 500, Te 0: red, no tokens taken
                 {0.5, 1000, G, G}, // +500 B: Tc 1000: green, Tc 0
                 {2.0, 1200, G, G}, // +1500 B: Tc 1500 (full, no overflow): green, Tc 300
                 {4.0, 1500, G, G}, // +2000 B: Tc 1500, overflow 800 -> Te 800: green, Tc 0
                 {4.0, 900, G, R},  // Tc 0, Te 800 < 900: red
                 {4.0, 800, G, Y},  // Te 800 >= 800: yellow, Te 0
                 {4.0, 1, G, R},    // nothing left
                 // pre-colours are ignored in colour-blind mode
                 {5.0, 1000, R, G}, // +1000: Tc 1000: green
             });
    EXPECT_EQ(m->GetPackets(G), 5u);
    EXPECT_EQ(m->GetPackets(Y), 2u);
    EXPECT_EQ(m->GetPackets(R), 3u);
}

TEST(DiffServMeter, SrTcmColorAwareHandWorked)
{
    auto m = CreateObjectWithAttributes<GenesisSrTcmMeter>("Cir",
                                                           DataRateValue(DataRate(8000)),
                                                           "Cbs",
                                                           UintegerValue(1500),
                                                           "Ebs",
                                                           UintegerValue(1000),
                                                           "ColorAware",
                                                           BooleanValue(true));
    RunSteps(
        m,
        {
            {0.0, 1000, Y, Y}, // yellow cannot be green; Te 1000 >= 1000: yellow, Te 0, Tc 1500
            {0.0, 1000, G, G}, // Tc 1500: green, Tc 500
            {0.0, 500, R, R},  // red stays red, Tc untouched
            {0.0, 500, G, G},  // Tc 500: green, Tc 0
            {0.0, 100, G, R},  // Tc 0, Te 0: red
            {1.0, 400, Y, R},  // +1000 -> Tc 1000, Te 0: yellow needs Te: red
            {1.0, 400, G, G},  // Tc 1000: green, Tc 600
            {3.0,
             700,
             Y,
             Y}, // +2000: Tc 1500 (room 900), Te 1000 (of 1100 overflow): yellow, Te 300
        });
}

// CIR 1000 B/s, CBS 1000; PIR 2000 B/s, PBS 2000 (RFC 2698).
TEST(DiffServMeter, TrTcmColorBlindHandWorked)
{
    auto m = CreateObjectWithAttributes<GenesisTrTcmMeter>("Cir",
                                                           DataRateValue(DataRate(8000)),
                                                           "Cbs",
                                                           UintegerValue(1000),
                                                           "Pir",
                                                           DataRateValue(DataRate(16000)),
                                                           "Pbs",
                                                           UintegerValue(2000));
    RunSteps(m,
             {
                 {0.0, 800, G, G},  // Tp 2000, Tc 1000: green, Tp 1200, Tc 200
                 {0.0, 800, G, Y},  // Tp 1200 >= 800, Tc 200 < 800: yellow, Tp 400
                 {0.0, 500, G, R},  // Tp 400 < 500: red
                 {0.25, 450, G, G}, // Tc 450, Tp 900: green, Tc 0, Tp 450
                 {0.5, 900, G, Y},  // Tc 250, Tp 950: yellow, Tp 50
                 {0.5, 100, G, R},  // Tp 50: red
                 {10.0, 1000, R, G} // both full again; pre ignored: green
             });
}

TEST(DiffServMeter, TrTcmColorAwareHandWorked)
{
    auto m = CreateObjectWithAttributes<GenesisTrTcmMeter>("Cir",
                                                           DataRateValue(DataRate(8000)),
                                                           "Cbs",
                                                           UintegerValue(1000),
                                                           "Pir",
                                                           DataRateValue(DataRate(16000)),
                                                           "Pbs",
                                                           UintegerValue(2000),
                                                           "ColorAware",
                                                           BooleanValue(true));
    RunSteps(m,
             {
                 {0.0, 500, Y, Y},  // Tp 2000 >= 500, pre yellow: yellow, Tp 1500, Tc 1000
                 {0.0, 500, R, R},  // pre red: red, nothing taken
                 {0.0, 1000, G, G}, // Tp 1500, Tc 1000: green, Tp 500, Tc 0
                 {0.0, 600, G, R},  // Tp 500 < 600: red
                 {0.0, 400, G, Y},  // Tp 500, Tc 0 < 400: yellow, Tp 100
                 {0.5, 500, G, G},  // Tc 500, Tp 1100: green, Tc 0, Tp 600
             });
}

// Rate 1000 B/s, depth 1500.
TEST(DiffServMeter, TokenBucketBothModesHandWorked)
{
    auto blind = CreateObjectWithAttributes<GenesisTokenBucketMeter>("Cir",
                                                                     DataRateValue(DataRate(8000)),
                                                                     "Cbs",
                                                                     UintegerValue(1500));
    RunSteps(blind,
             {
                 {0.0, 1000, G, G}, // 1500 -> 500
                 {0.0, 1000, G, R}, // 500 < 1000
                 {0.5, 1000, R, G}, // 1000: green (pre ignored), 0
                 {0.5, 1, G, R},
                 {10.0, 1500, G, G}, // full again (capped at 1500)
                 {10.0, 1, G, R},
             });
    auto aware = CreateObjectWithAttributes<GenesisTokenBucketMeter>("Cir",
                                                                     DataRateValue(DataRate(8000)),
                                                                     "Cbs",
                                                                     UintegerValue(1500),
                                                                     "ColorAware",
                                                                     BooleanValue(true));
    RunSteps(aware,
             {
                 {0.0, 1000, Y, R}, // arrives out of profile: red, no tokens taken
                 {0.0, 1500, G, G}, // bucket still full
                 {0.0, 1, G, R},
             });
}

// Token arithmetic is exact: a bucket at 8 Gbit/s (1 B/ns) gains exactly one
// byte per nanosecond, with no drift after many tiny steps.
TEST(DiffServMeter, TokenArithmeticIsExact)
{
    GenesisTokenBucket b;
    b.Configure(8000000000ULL, 1000);
    b.Take(1000);
    for (int i = 0; i < 999; ++i)
    {
        EXPECT_EQ(b.Fill(1), 0u);
    }
    EXPECT_FALSE(b.Has(1000));
    EXPECT_TRUE(b.Has(999));
    EXPECT_EQ(b.TimeToHave(1000), 1);
    b.Fill(1);
    EXPECT_TRUE(b.Has(1000));
    // an odd rate: 3 bit/s fills 3/8 B per second; 8 s give exactly 3 bytes
    GenesisTokenBucket odd;
    odd.Configure(3, 10);
    odd.Take(10);
    for (int i = 0; i < 8; ++i)
    {
        odd.Fill(1000000000);
    }
    EXPECT_TRUE(odd.Has(3));
    EXPECT_FALSE(odd.Has(4));
    // an overflow is reported exactly
    GenesisTokenBucket o;
    o.Configure(8, 2); // 1 B/s
    o.Take(2);
    EXPECT_EQ(o.Fill(5000000000LL), 3 * GenesisTokenBucket::UNITS_PER_BYTE);
}

// RFC 2859 §2.2: avg_rate = (avg_rate * W + B) / (now - t_front + W).
TEST(DiffServMeter, TswEstimatorFollowsRfc2859)
{
    auto m = CreateObjectWithAttributes<GenesisTsw2cmMeter>("Cir",
                                                            DataRateValue(DataRate("80kbps")),
                                                            "Window",
                                                            TimeValue(MilliSeconds(200)));
    double avg = 10000; // CTR in B/s
    double front = 0;
    const double w = 0.2;
    const double times[] = {0.01, 0.02, 0.025, 0.5, 0.5, 0.51, 3.0};
    const uint32_t sizes[] = {500, 1500, 40, 1000, 1000, 200, 1500};
    for (int i = 0; i < 7; ++i)
    {
        m->Meter(sizes[i], Seconds(times[i]));
        avg = (avg * w + sizes[i]) / (times[i] - front + w);
        front = times[i];
        EXPECT_NEAR(m->GetAverageRate(), avg, 1e-9 * avg) << "packet " << i;
    }
}

namespace
{
/// Fractions of colours of a constant-rate stream (after the estimator converged)
std::array<double, 3>
TswFractions(Ptr<GenesisMeter> m, double rateBps, uint32_t size, uint32_t n, C pre = G)
{
    m->AssignStreams(7);
    const double gap = size * 8.0 / rateBps;
    std::array<double, 3> count{0, 0, 0};
    for (uint32_t i = 0; i < 3000 + n; ++i)
    {
        C c = m->Meter(size, Seconds(i * gap), pre);
        if (i >= 3000)
        {
            ++count[c];
        }
    }
    for (auto& x : count)
    {
        x /= n;
    }
    return count;
}

/// 5 sigma of a binomial fraction
double
Tol(double p, uint32_t n)
{
    return 5 * std::sqrt(p * (1 - p) / n) + 1e-12;
}
} // namespace

// Window 100 ms, 1000 B packets: the estimator converges to the stream rate
// (fixed point avg = B / gap; error x W/(W+gap) per packet, < 1e-9 after 3000).
TEST(DiffServMeter, Tsw2cmMarkingProbabilities)
{
    const uint32_t n = 20000;
    auto below = CreateObjectWithAttributes<GenesisTsw2cmMeter>("Cir",
                                                                DataRateValue(DataRate("2Mbps")),
                                                                "Window",
                                                                TimeValue(MilliSeconds(100)));
    auto f = TswFractions(below, 1.5e6, 1000, n);
    EXPECT_EQ(f[G], 1.0) << "below CTR every packet is green";

    auto above = CreateObjectWithAttributes<GenesisTsw2cmMeter>("Cir",
                                                                DataRateValue(DataRate("1.5Mbps")),
                                                                "Window",
                                                                TimeValue(MilliSeconds(100)));
    f = TswFractions(above, 2e6, 1000, n);
    const double p0 = (2e6 - 1.5e6) / 2e6; // RFC 2859: P0 = (avg - CTR) / avg
    EXPECT_NEAR(f[R], p0, Tol(p0, n));
    EXPECT_EQ(f[Y], 0.0);

    // colour-aware: a red packet is never promoted
    auto aware = CreateObjectWithAttributes<GenesisTsw2cmMeter>("Cir",
                                                                DataRateValue(DataRate("2Mbps")),
                                                                "ColorAware",
                                                                BooleanValue(true));
    f = TswFractions(aware, 1e6, 1000, 1000, R);
    EXPECT_EQ(f[R], 1.0);
}

TEST(DiffServMeter, Tsw3cmMarkingProbabilities)
{
    const uint32_t n = 20000;
    auto mid = CreateObjectWithAttributes<GenesisTsw3cmMeter>("Cir",
                                                              DataRateValue(DataRate("1Mbps")),
                                                              "Pir",
                                                              DataRateValue(DataRate("3Mbps")),
                                                              "Window",
                                                              TimeValue(MilliSeconds(100)));
    auto f = TswFractions(mid, 2e6, 1000, n);
    const double p1 = (2e6 - 1e6) / 2e6; // CTR < avg <= PTR: yellow with (avg - CTR) / avg
    EXPECT_NEAR(f[Y], p1, Tol(p1, n));
    EXPECT_EQ(f[R], 0.0);

    auto high = CreateObjectWithAttributes<GenesisTsw3cmMeter>("Cir",
                                                               DataRateValue(DataRate("1Mbps")),
                                                               "Pir",
                                                               DataRateValue(DataRate("2Mbps")),
                                                               "Window",
                                                               TimeValue(MilliSeconds(100)));
    f = TswFractions(high, 4e6, 1000, n);
    const double pr = (4e6 - 2e6) / 4e6; // avg > PTR: red with (avg - PTR) / avg
    const double py = (2e6 - 1e6) / 4e6; // yellow with (PTR - CTR) / avg
    EXPECT_NEAR(f[R], pr, Tol(pr, n));
    EXPECT_NEAR(f[Y], py, Tol(py, n));

    // colour-aware: yellow packets below CTR stay yellow, never green
    auto aware = CreateObjectWithAttributes<GenesisTsw3cmMeter>("Cir",
                                                                DataRateValue(DataRate("2Mbps")),
                                                                "Pir",
                                                                DataRateValue(DataRate("3Mbps")),
                                                                "ColorAware",
                                                                BooleanValue(true));
    f = TswFractions(aware, 1e6, 1000, 1000, Y);
    EXPECT_EQ(f[Y], 1.0);
}

TEST(DiffServMeter, TswSameStreamSameColours)
{
    auto run = []() {
        auto m = CreateObjectWithAttributes<GenesisTsw3cmMeter>("Cir",
                                                                DataRateValue(DataRate("1Mbps")),
                                                                "Pir",
                                                                DataRateValue(DataRate("2Mbps")));
        m->AssignStreams(3);
        std::vector<int> colours;
        for (int i = 0; i < 500; ++i)
        {
            colours.push_back(m->Meter(1000, MicroSeconds(2000 * i)));
        }
        return colours;
    };
    EXPECT_EQ(run(), run());
}

TEST(DiffServMeter, BadMeterParametersRejected)
{
    auto tr = CreateObjectWithAttributes<GenesisTrTcmMeter>("Cir",
                                                            DataRateValue(DataRate("2Mbps")),
                                                            "Pir",
                                                            DataRateValue(DataRate("1Mbps")));
    try
    {
        tr->Validate();
        FAIL() << "PIR below CIR accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("Pir (1Mbps) is below Cir (2Mbps)"), std::string::npos)
            << e.what();
    }
    auto sr = CreateObjectWithAttributes<GenesisSrTcmMeter>("Cbs", UintegerValue(0));
    try
    {
        sr->Validate();
        FAIL() << "zero CBS accepted";
    }
    catch (const GenesisError& e)
    {
        EXPECT_NE(std::string(e.what()).find("attribute Cbs is 0 bytes"), std::string::npos)
            << e.what();
    }
    auto tsw = CreateObjectWithAttributes<GenesisTsw2cmMeter>("Window", TimeValue(Seconds(0)));
    EXPECT_THROW(tsw->Validate(), GenesisError);
}
