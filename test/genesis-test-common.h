/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared scaffolding of the transport-environment tests: a chain of
 * point-to-point routers with Genesis installed, child networks joining its
 * ends, and traffic helpers. Everything here is real ns-3: stacks, devices,
 * channels, applications.
 */
#ifndef GENESIS_TEST_COMMON_H
#define GENESIS_TEST_COMMON_H

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <functional>
#include <gtest/gtest.h>
#include <string>

namespace ns3
{
namespace genesis_test
{

/// A chain n0 - n1 - ... of point-to-point links, IPv4, global routing.
struct Chain
{
    NodeContainer nodes;
    std::vector<NetDeviceContainer> links; //!< links[i] joins node i and i+1
    GenesisHelper genesis;
    Ptr<VirtualNetwork> root;

    /// \return node i's device towards node i+1
    Ptr<NetDevice> Fwd(uint32_t i) const
    {
        return links[i].Get(0);
    }

    /// \return node i+1's device towards node i
    Ptr<NetDevice> Back(uint32_t i) const
    {
        return links[i].Get(1);
    }

    /// \return the IPv4 address of node i on link i (or link i-1 for the last node)
    Ipv4Address Addr(uint32_t i) const
    {
        Ptr<NetDevice> d = i < links.size() ? Fwd(i) : Back(i - 1);
        Ptr<Ipv4> ipv4 = d->GetNode()->GetObject<Ipv4>();
        return ipv4->GetAddress(ipv4->GetInterfaceForDevice(d), 0).GetLocal();
    }
};

/**
 * Build a chain of \p n nodes.
 * \param installGenesis false to leave plain ns-3 (for equivalence runs)
 */
inline void
BuildChain(Chain& c,
           uint32_t n,
           const std::string& rate = "10Mbps",
           const std::string& delay = "2ms",
           bool installGenesis = true)
{
    c.nodes.Create(n);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("1p"));
    InternetStackHelper stack;
    stack.Install(c.nodes);
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    for (uint32_t i = 0; i + 1 < n; ++i)
    {
        c.links.push_back(p2p.Install(c.nodes.Get(i), c.nodes.Get(i + 1)));
        addr.Assign(c.links.back());
        addr.NewNetwork();
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    if (installGenesis)
    {
        c.root = c.genesis.Install(c.nodes);
    }
}

/// A child with routelets on hosts \p a and \p b and one link between them.
inline Ptr<VirtualNetwork>
TwoEndChild(Chain& c,
            Ptr<VirtualNetwork> parent,
            const std::string& name,
            const std::string& cls,
            const std::string& rate,
            uint32_t a,
            uint32_t b,
            const std::string& base = "172.16.0.0")
{
    Ptr<VirtualNetwork> net = c.genesis.CreateNetwork(parent, name, cls, rate);
    net->SetAttribute("Ipv4Base", Ipv4AddressValue(base.c_str()));
    Ptr<Routelet> ra = net->AddRoutelet(c.nodes.Get(a)); // in this order: routelets[0] is end A
    Ptr<Routelet> rb = net->AddRoutelet(c.nodes.Get(b));
    net->AddLink(ra, rb);
    return net;
}

/// Address of end B of the network's first link.
inline Ipv4Address
EndB(Ptr<VirtualNetwork> net)
{
    return Ipv4Address(net->GetLinks().front()->GetSubnet().Get() + 2);
}

/// A constant-rate UDP source and a sink.
inline Ptr<PacketSink>
UdpFlow(Ptr<Node> src,
        Ptr<Node> dst,
        Ipv4Address dstAddr,
        uint16_t port,
        DataRate rate,
        uint32_t size,
        Time start,
        Time stop)
{
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(dstAddr, port));
    onoff.SetConstantRate(rate, size);
    ApplicationContainer a = onoff.Install(src);
    a.Start(start);
    a.Stop(stop);
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer s = sink.Install(dst);
    s.Start(Seconds(0));
    return DynamicCast<PacketSink>(s.Get(0));
}

/// Base fixture: fresh seeds and defaults, Simulator::Destroy after each test.
class GenesisSimTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        Config::Reset();
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace genesis_test
} // namespace ns3

#endif /* GENESIS_TEST_COMMON_H */
