/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared scaffolding of the emulation tests: a Genesis router whose ports are
 * GenesisEmuNetDevices over socketpairs (no NIC, no privileges), with hosts
 * on plain FdNetDevices at the other ends, run by the real-time simulator.
 */
#ifndef GENESIS_EMU_TEST_COMMON_H
#define GENESIS_EMU_TEST_COMMON_H

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/fd-net-device-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/traffic-control-module.h"

#include <gtest/gtest.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace ns3
{
namespace genesis_emu_test
{

/**
 * Runs each test under ns3::RealtimeSimulatorImpl and restores the default
 * simulator afterwards (the test process runs other simulations).
 */
class RealtimeTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        Simulator::Destroy();
        GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::DefaultSimulatorImpl"));
        Names::Clear();
    }
};

/// Give \p dev an IPv4 address without installing a queue disc.
inline uint32_t
AddInterface(Ptr<Node> node, Ptr<NetDevice> dev, const std::string& addr)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    int32_t i = ipv4->AddInterface(dev);
    ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(addr.c_str()), Ipv4Mask("/24")));
    ipv4->SetUp(i);
    return static_cast<uint32_t>(i);
}

/**
 * Router with one emulated port per entry of \p rates (port i: 10.77.<i+1>.1/24);
 * at the far end of port i a host 10.77.<i+1>.2 on a plain FdNetDevice, or —
 * when raw[i] is true — a raw socket end kept for the test (rawFds[i]).
 */
struct Bed
{
    Ptr<Node> router;
    NodeContainer hosts; //!< hosts[i] null-free only where !raw[i]
    NetDeviceContainer ports;
    std::vector<int> rawFds;
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;
    Ptr<GenesisEmuEdge> edge;

    Ptr<Node> Host(uint32_t i) const
    {
        return hosts.Get(i);
    }

    Ptr<GenesisEmuNetDevice> Port(uint32_t i) const
    {
        return DynamicCast<GenesisEmuNetDevice>(ports.Get(i));
    }

    ~Bed()
    {
        for (int fd : rawFds)
        {
            if (fd >= 0)
            {
                close(fd);
            }
        }
    }
};

inline void
BuildBed(Bed& b, const std::vector<std::string>& rates, std::vector<bool> raw = {})
{
    raw.resize(rates.size(), false);
    b.router = CreateObject<Node>();
    Names::Clear(); // a test may build several beds
    Names::Add("router", b.router);
    InternetStackHelper stack;
    stack.Install(b.router);
    GenesisEmuHelper emu;
    FdNetDeviceHelper plain;
    for (std::size_t i = 0; i < rates.size(); ++i)
    {
        int sv[2];
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
        emu.SetPortAttribute("DataRate", StringValue(rates[i]));
        Ptr<GenesisEmuNetDevice> port = emu.InstallPortOnFd(b.router, sv[0]);
        b.ports.Add(port);
        std::string net = "10.77." + std::to_string(i + 1) + ".";
        AddInterface(b.router, port, net + "1");
        Ptr<Node> h = CreateObject<Node>();
        b.hosts.Add(h);
        if (raw[i])
        {
            b.rawFds.push_back(sv[1]);
            continue;
        }
        b.rawFds.push_back(-1);
        stack.Install(h);
        Ptr<FdNetDevice> d = DynamicCast<FdNetDevice>(plain.Install(h).Get(0));
        d->SetFileDescriptor(sv[1]);
        uint32_t ifIndex = AddInterface(h, d, net + "2");
        Ipv4StaticRoutingHelper srh;
        srh.GetStaticRouting(h->GetObject<Ipv4>())
            ->SetDefaultRoute(Ipv4Address((net + "1").c_str()), ifIndex);
    }
    b.root = b.genesis.Install(b.router);
    b.edge = GenesisEmuHelper::CreateEdge(b.root, b.ports);
}

/// A child of the root on the router, classified by \p range (a /24), spawned at once.
inline Ptr<VirtualNetwork>
EdgeChild(Bed& b,
          const std::string& name,
          const std::string& cls,
          const std::string& rate,
          const std::string& range)
{
    Ptr<VirtualNetwork> n = b.genesis.CreateNetwork(b.root, name, cls, rate);
    n->AddRoutelet(b.router);
    n->AddAddressRange(Ipv4Address(range.c_str()), Ipv4Mask("/24"));
    n->Spawn();
    return n;
}

/// A constant-rate UDP flow; returns the sink.
inline Ptr<PacketSink>
Flood(Ptr<Node> from,
      Ptr<Node> to,
      Ipv4Address toAddr,
      uint16_t port,
      const std::string& rate,
      uint32_t size,
      Time start,
      Time stop)
{
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer s = sink.Install(to);
    s.Start(Seconds(0));
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(toAddr, port));
    onoff.SetConstantRate(DataRate(rate), size);
    ApplicationContainer a = onoff.Install(from);
    a.Start(start);
    a.Stop(stop);
    return DynamicCast<PacketSink>(s.Get(0));
}

} // namespace genesis_emu_test
} // namespace ns3

#endif /* GENESIS_EMU_TEST_COMMON_H */
