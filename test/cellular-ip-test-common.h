/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Scaffolding of the Cellular IP tests and the handoff example: a
 * correspondent host, a gateway, two branches of k point-to-point hops down
 * to two base stations, 802.11a ad hoc air interfaces on one channel, mobile
 * hosts. Everything is real ns-3: stacks, devices, channels, applications.
 */
#ifndef GENESIS_CELLULAR_IP_TEST_COMMON_H
#define GENESIS_CELLULAR_IP_TEST_COMMON_H

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/wifi-module.h"

#include <set>
#include <vector>

namespace ns3
{
namespace cip_test
{

/// Parameters of the access network.
struct CipParams
{
    uint32_t hops = 1;                       //!< links from the gateway to each base station
    Time linkDelay = MilliSeconds(5);        //!< delay of every tree link
    std::string linkRate = "100Mbps";        //!< rate of every tree link
    double bsDistance = 40;                  //!< metres between the two base stations
    std::vector<Vector> mobiles{{20, 5, 0}}; //!< mobile host positions
    bool pagingCache = true;                 //!< nodes keep paging caches
    GenesisCellularIpTimers timers;          //!< timers
    std::string wifiRate = "OfdmRate6Mbps";  //!< air data mode
};

/// The built network.
struct CipNet
{
    Ptr<Node> ch;                                         //!< correspondent host
    Ptr<Node> gw;                                         //!< gateway
    std::vector<Ptr<Node>> branch1;                       //!< interior nodes to BS1
    std::vector<Ptr<Node>> branch2;                       //!< interior nodes to BS2
    Ptr<Node> bs1;                                        //!< base station 1
    Ptr<Node> bs2;                                        //!< base station 2
    NodeContainer mobiles;                                //!< mobile hosts
    Ipv4Address chAddr;                                   //!< CH address
    Ipv4Address bs1Air;                                   //!< BS1 air address
    Ipv4Address bs2Air;                                   //!< BS2 air address
    std::vector<Ptr<GenesisCellularIpMobileHost>> agents; //!< MH agents
    std::vector<Ipv4Address> mhAddr;                      //!< MH addresses
    Ptr<GenesisCellularIpRouting> gwR;                    //!< gateway forwarder
    Ptr<GenesisCellularIpRouting> bs1R;                   //!< BS1 forwarder
    Ptr<GenesisCellularIpRouting> bs2R;                   //!< BS2 forwarder
    std::vector<Ptr<GenesisCellularIpRouting>> interior;  //!< interior forwarders
    CellularIpHelper helper;                              //!< the helper used
};

/**
 * Build CH - GW, GW - ... - BS1 and GW - ... - BS2 (params.hops links each),
 * BS air interfaces and mobile hosts on one 802.11a ad hoc channel.
 */
inline void
BuildCipNet(CipNet& n, const CipParams& params)
{
    n.ch = CreateObject<Node>();
    n.gw = CreateObject<Node>();
    n.bs1 = CreateObject<Node>();
    n.bs2 = CreateObject<Node>();
    for (uint32_t i = 1; i < params.hops; ++i)
    {
        n.branch1.push_back(CreateObject<Node>());
        n.branch2.push_back(CreateObject<Node>());
    }
    n.mobiles.Create(params.mobiles.size());
    InternetStackHelper stack;
    stack.Install(n.ch);
    stack.Install(n.gw);
    stack.Install(n.bs1);
    stack.Install(n.bs2);
    for (auto& x : n.branch1)
    {
        stack.Install(x);
    }
    for (auto& x : n.branch2)
    {
        stack.Install(x);
    }
    stack.Install(n.mobiles);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(params.linkRate));
    p2p.SetChannelAttribute("Delay", TimeValue(params.linkDelay));
    Ipv4AddressHelper addr("10.1.0.0", "255.255.255.0");
    NetDeviceContainer chGw = p2p.Install(n.ch, n.gw);
    Ipv4InterfaceContainer chGwIf = addr.Assign(chGw);
    n.chAddr = chGwIf.GetAddress(0);
    addr.NewNetwork();

    // tree[node] = its tree devices
    std::map<Ptr<Node>, NetDeviceContainer> tree;
    auto chain = [&](std::vector<Ptr<Node>>& mids, Ptr<Node> bs) {
        Ptr<Node> prev = n.gw;
        std::vector<Ptr<Node>> seq = mids;
        seq.push_back(bs);
        for (auto& next : seq)
        {
            NetDeviceContainer d = p2p.Install(prev, next);
            addr.Assign(d);
            addr.NewNetwork();
            tree[prev].Add(d.Get(0));
            tree[next].Add(d.Get(1));
            prev = next;
        }
    };
    chain(n.branch1, n.bs1);
    chain(n.branch2, n.bs2);

    // The parent routes the Cellular IP range to the gateway.
    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(n.ch->GetObject<Ipv4>())
        ->AddNetworkRouteTo(Ipv4Address("10.50.0.0"),
                            Ipv4Mask("255.255.0.0"),
                            chGwIf.GetAddress(1),
                            1);

    // Air: 802.11a ad hoc on one channel.
    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode",
                                 StringValue(params.wifiRate),
                                 "ControlMode",
                                 StringValue("OfdmRate6Mbps"));
    WifiMacHelper mac;
    mac.SetType("ns3::AdhocWifiMac");
    NodeContainer bss(n.bs1, n.bs2);
    NetDeviceContainer bsAir = wifi.Install(phy, mac, bss);
    NetDeviceContainer mhAir = wifi.Install(phy, mac, n.mobiles);
    Ipv4AddressHelper airAddr("10.51.0.0", "255.255.255.0");
    Ipv4InterfaceContainer bsAirIf = airAddr.Assign(bsAir);
    n.bs1Air = bsAirIf.GetAddress(0);
    n.bs2Air = bsAirIf.GetAddress(1);

    MobilityHelper mob;
    Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator>();
    pos->Add(Vector(0, 0, 0));
    pos->Add(Vector(params.bsDistance, 0, 0));
    mob.SetPositionAllocator(pos);
    mob.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mob.Install(bss);
    MobilityHelper mmob;
    mmob.SetMobilityModel("ns3::ConstantVelocityMobilityModel");
    mmob.Install(n.mobiles);
    for (uint32_t i = 0; i < n.mobiles.GetN(); ++i)
    {
        n.mobiles.Get(i)->GetObject<MobilityModel>()->SetPosition(params.mobiles[i]);
    }

    CellularIpHelper& h = n.helper;
    h.SetTimers(params.timers);
    h.SetRoutingAttribute("PagingCache", BooleanValue(params.pagingCache));
    n.gwR = h.InstallGateway(n.gw, tree[n.gw]);
    for (auto& x : n.branch1)
    {
        n.interior.push_back(h.InstallNode(x, tree[x]));
    }
    for (auto& x : n.branch2)
    {
        n.interior.push_back(h.InstallNode(x, tree[x]));
    }
    n.bs1R = h.InstallBaseStation(n.bs1, tree[n.bs1], bsAir.Get(0));
    n.bs2R = h.InstallBaseStation(n.bs2, tree[n.bs2], bsAir.Get(1));
    for (uint32_t i = 0; i < n.mobiles.GetN(); ++i)
    {
        Ipv4Address a(Ipv4Address("10.50.1.0").Get() + 10 + i);
        n.mhAddr.push_back(a);
        n.agents.push_back(h.InstallMobileHost(n.mobiles.Get(i), mhAir.Get(i), a));
    }
}

/// Downlink CBR from the CH to a host, with a sink that records unique sequence numbers.
struct CbrFlow
{
    Ptr<UdpClient> client;       //!< sender on the CH
    Ptr<UdpServer> server;       //!< receiver on the host
    std::set<uint32_t> received; //!< unique sequence numbers
    uint32_t duplicates = 0;     //!< duplicates received

    /// Record a received packet.
    void Rx(Ptr<const Packet> p)
    {
        SeqTsHeader h;
        p->Copy()->RemoveHeader(h);
        if (!received.insert(h.GetSeq()).second)
        {
            ++duplicates;
        }
    }

    /// \return packets with sequence numbers in [first, last] not received
    uint32_t LostBetween(uint32_t first, uint32_t last) const
    {
        uint32_t lost = 0;
        for (uint32_t s = first; s <= last; ++s)
        {
            lost += received.count(s) == 0;
        }
        return lost;
    }
};

/**
 * Start a CBR flow \p from -> \p to (port 9000) sending one \p size-byte
 * packet every \p interval between \p start and \p stop.
 */
inline void
StartCbr(CbrFlow& f,
         Ptr<Node> from,
         Ptr<Node> to,
         Ipv4Address toAddr,
         Time interval,
         Time start,
         Time stop,
         uint32_t size = 200,
         uint16_t port = 9000)
{
    UdpServerHelper server(port);
    ApplicationContainer s = server.Install(to);
    f.server = DynamicCast<UdpServer>(s.Get(0));
    f.server->TraceConnectWithoutContext("Rx", MakeCallback(&CbrFlow::Rx, &f));
    UdpClientHelper client(toAddr, port);
    client.SetAttribute("Interval", TimeValue(interval));
    client.SetAttribute("PacketSize", UintegerValue(size));
    client.SetAttribute("MaxPackets", UintegerValue(0xffffffff)); // 3.37: 0 sends one
    ApplicationContainer c = client.Install(from);
    c.Start(start);
    c.Stop(stop);
    f.client = DynamicCast<UdpClient>(c.Get(0));
}

} // namespace cip_test
} // namespace ns3

#endif /* GENESIS_CELLULAR_IP_TEST_COMMON_H */
