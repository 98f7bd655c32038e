/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The batching receive path of GenesisEmuNetDevice over a socketpair: a
 * burst of frames that arrive together reaches the node completely, in
 * order, through FdNetDevice's per-frame processing (packet types, VLAN
 * stripping, the receive traces once per frame), in few simulator events;
 * and ns-3's own reader (RxBatchSize 1) delivers exactly the same.
 */
#include "emu-test-common.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <map>

using namespace ns3;
using namespace ns3::genesis_emu_test;

namespace
{

class GenesisEmuBatch : public RealtimeTest
{
};

constexpr uint16_t TEST_ETHERTYPE = 0x88b5; //!< IEEE local experimental EtherType
constexpr uint16_t TEST_VLAN = 100;

/// What frame \p i of the burst is: to the port, broadcast, to another host, VLAN-tagged.
enum Kind
{
    HOST,
    BROADCAST,
    OTHERHOST,
    TAGGED
};

Kind
KindOf(uint32_t i)
{
    switch (i % 10)
    {
    case 3:
        return BROADCAST;
    case 7:
        return OTHERHOST;
    case 5:
        return TAGGED;
    default:
        return HOST;
    }
}

/// Frame \p i: Ethernet header, (802.1Q header,) 4-byte sequence number, padding.
std::vector<uint8_t>
BurstFrame(Mac48Address port, uint32_t i, uint32_t payload)
{
    std::vector<uint8_t> f(14);
    Kind k = KindOf(i);
    if (k == BROADCAST)
    {
        Mac48Address::GetBroadcast().CopyTo(f.data());
    }
    else if (k == OTHERHOST)
    {
        uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x77};
        std::copy(other, other + 6, f.begin());
    }
    else
    {
        port.CopyTo(f.data());
    }
    uint8_t from[6] = {0x02, 0, 0, 0, 0, 0x42};
    std::copy(from, from + 6, f.begin() + 6);
    if (k == TAGGED)
    {
        f[12] = 0x81;
        f[13] = 0x00;
        f.push_back(static_cast<uint8_t>(TEST_VLAN >> 8));
        f.push_back(static_cast<uint8_t>(TEST_VLAN & 0xff));
        f.push_back(TEST_ETHERTYPE >> 8);
        f.push_back(TEST_ETHERTYPE & 0xff);
    }
    else
    {
        f[12] = TEST_ETHERTYPE >> 8;
        f[13] = TEST_ETHERTYPE & 0xff;
    }
    f.push_back(static_cast<uint8_t>(i >> 24));
    f.push_back(static_cast<uint8_t>(i >> 16));
    f.push_back(static_cast<uint8_t>(i >> 8));
    f.push_back(static_cast<uint8_t>(i));
    f.resize(f.size() + payload, 0xab);
    return f;
}

uint32_t
SeqOf(Ptr<const Packet> p)
{
    uint8_t b[4] = {0, 0, 0, 0};
    p->CopyData(b, 4);
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

/// What the node and the traces saw of one burst.
struct Seen
{
    std::vector<uint32_t> host;                    //!< non-promiscuous handler, in order
    std::vector<std::pair<uint32_t, int>> promisc; //!< promiscuous handler: seq, packet type
    std::vector<uint32_t> tagged;                  //!< seqs that carried the GenesisVlanTag
    uint32_t macRx{0};                             //!< MacRx trace calls
    uint32_t macPromiscRx{0};                      //!< MacPromiscRx trace calls
    uint32_t promiscSniffer{0};                    //!< PromiscSniffer trace calls
    uint32_t vlanRx{0};                            //!< VlanRx trace calls
    std::vector<uint32_t> batches;                 //!< RxBatch trace: frames per batch
    std::vector<uint32_t> sizes;                   //!< promiscuous handler: packet sizes
    bool protocolsOk{true};                        //!< every frame up as TEST_ETHERTYPE
};

void
OnHost(Seen* s,
       Ptr<NetDevice>,
       Ptr<const Packet> p,
       uint16_t proto,
       const Address&,
       const Address&,
       NetDevice::PacketType)
{
    s->protocolsOk = s->protocolsOk && proto == TEST_ETHERTYPE;
    s->host.push_back(SeqOf(p));
    GenesisVlanTag tag;
    if (p->PeekPacketTag(tag))
    {
        s->tagged.push_back(tag.GetVlanId() == TEST_VLAN ? SeqOf(p) : 0xffffffff);
    }
}

void
OnPromisc(Seen* s,
          Ptr<NetDevice>,
          Ptr<const Packet> p,
          uint16_t proto,
          const Address&,
          const Address&,
          NetDevice::PacketType type)
{
    s->protocolsOk = s->protocolsOk && proto == TEST_ETHERTYPE;
    s->promisc.emplace_back(SeqOf(p), static_cast<int>(type));
    s->sizes.push_back(p->GetSize());
}

void
Count(uint32_t* n, Ptr<const Packet>)
{
    ++*n;
}

void
CountVlan(uint32_t* n, Ptr<const Packet>, uint16_t)
{
    ++*n;
}

void
KeepBatch(std::vector<uint32_t>* v, uint32_t n)
{
    v->push_back(n);
}

/// One port over a socketpair with RxBatchSize \p batch; \p n frames written
/// back to back into its far end in one simulator event.
Seen
RunBurst(uint32_t batch, uint32_t n, uint32_t payload)
{
    Seen s;
    Ptr<Node> node = CreateObject<Node>();
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    GenesisEmuHelper emu;
    emu.SetPortAttribute("RxBatchSize", UintegerValue(batch));
    Ptr<GenesisEmuNetDevice> port = emu.InstallPortOnFd(node, sv[0]);
    node->RegisterProtocolHandler(MakeBoundCallback(&OnHost, &s), TEST_ETHERTYPE, port, false);
    node->RegisterProtocolHandler(MakeBoundCallback(&OnPromisc, &s), TEST_ETHERTYPE, port, true);
    port->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&Count, &s.macRx));
    port->TraceConnectWithoutContext("MacPromiscRx", MakeBoundCallback(&Count, &s.macPromiscRx));
    port->TraceConnectWithoutContext("PromiscSniffer",
                                     MakeBoundCallback(&Count, &s.promiscSniffer));
    port->TraceConnectWithoutContext("VlanRx", MakeBoundCallback(&CountVlan, &s.vlanRx));
    port->TraceConnectWithoutContext("RxBatch", MakeBoundCallback(&KeepBatch, &s.batches));
    Mac48Address mac = Mac48Address::ConvertFrom(port->GetAddress());
    int far = sv[1];
    Simulator::Schedule(Seconds(0.1), [far, mac, n, payload]() {
        for (uint32_t i = 0; i < n; ++i)
        {
            auto f = BurstFrame(mac, i, payload);
            // Blocks while the port's socket holds its maximum of datagrams.
            ssize_t w;
            do
            {
                w = write(far, f.data(), f.size());
            } while (w < 0 && errno == EINTR);
            EXPECT_EQ(w, static_cast<ssize_t>(f.size())) << "frame " << i;
        }
    });
    Simulator::Stop(Seconds(0.6));
    Simulator::Run();
    EXPECT_EQ(port->GetRxBatchSize(), batch);
    Simulator::Destroy();
    close(far);
    return s;
}

} // namespace

// 400 frames written back to back (host, broadcast, other-host and 802.1Q
// frames interleaved) reach the node through the batching reader: every
// frame, in order, with its packet type, the VLAN header stripped into a
// GenesisVlanTag, the receive traces once per frame, in far fewer simulator
// deliveries than frames; ns-3's own reader (RxBatchSize 1) delivers the
// same frames in the same order and fires the same traces, without batches.
TEST_F(GenesisEmuBatch, BurstIsDeliveredCompletelyInOrderWithPerFrameTraces)
{
    const uint32_t n = 400;
    std::vector<uint32_t> all;
    std::vector<uint32_t> forUs; // host, broadcast and tagged frames
    std::vector<uint32_t> tagged;
    std::vector<std::pair<uint32_t, int>> types;
    for (uint32_t i = 0; i < n; ++i)
    {
        Kind k = KindOf(i);
        all.push_back(i);
        if (k != OTHERHOST)
        {
            forUs.push_back(i);
        }
        if (k == TAGGED)
        {
            tagged.push_back(i);
        }
        int type = k == BROADCAST   ? NetDevice::NS3_PACKET_BROADCAST
                   : k == OTHERHOST ? NetDevice::NS3_PACKET_OTHERHOST
                                    : NetDevice::NS3_PACKET_HOST;
        types.emplace_back(i, type);
    }

    Seen batched = RunBurst(64, n, 100);
    EXPECT_TRUE(batched.protocolsOk);
    EXPECT_EQ(batched.host, forUs);
    EXPECT_EQ(batched.promisc, types);
    EXPECT_EQ(batched.tagged, tagged);
    EXPECT_EQ(batched.macRx, forUs.size());
    EXPECT_EQ(batched.macPromiscRx, n);
    EXPECT_EQ(batched.promiscSniffer, n);
    EXPECT_EQ(batched.vlanRx, 2 * tagged.size()); // stripped for both callbacks
    uint32_t delivered = 0;
    uint32_t largest = 0;
    for (uint32_t b : batched.batches)
    {
        EXPECT_GE(b, 1u);
        EXPECT_LE(b, 1000u); // RxQueueSize
        delivered += b;
        largest = std::max(largest, b);
    }
    EXPECT_EQ(delivered, n);
    std::cout << "[          ] " << n << " frames in " << batched.batches.size()
              << " deliveries, the largest " << largest << std::endl;
    // The simulator is busy writing while the reader reads: what is read
    // meanwhile waits for one delivery; afterwards recvmmsg takes up to 64.
    EXPECT_GT(largest, 1u);
    EXPECT_LE(batched.batches.size(), n / 8) << "hardly batched";

    Seen plain = RunBurst(1, n, 100);
    EXPECT_TRUE(plain.protocolsOk);
    EXPECT_EQ(plain.host, batched.host);
    EXPECT_EQ(plain.promisc, batched.promisc);
    EXPECT_EQ(plain.tagged, batched.tagged);
    EXPECT_EQ(plain.macRx, batched.macRx);
    EXPECT_EQ(plain.macPromiscRx, batched.macPromiscRx);
    EXPECT_EQ(plain.promiscSniffer, batched.promiscSniffer);
    EXPECT_EQ(plain.vlanRx, batched.vlanRx);
    EXPECT_TRUE(plain.batches.empty()) << "RxBatchSize 1 is ns-3's own reader";
}

// Full-size frames (MTU 1500) pass the batching reader whole: each frame's
// buffer is MTU + 22 bytes, as FdNetDevice's reader's.
TEST_F(GenesisEmuBatch, FullSizeFramesPassWhole)
{
    const uint32_t n = 100;
    Seen s = RunBurst(32, n, 1500 - 4);
    std::vector<uint32_t> forUs;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (KindOf(i) != OTHERHOST)
        {
            forUs.push_back(i);
        }
    }
    EXPECT_EQ(s.host, forUs);
    EXPECT_EQ(s.promisc.size(), n);
    // Sequence number and payload, without Ethernet and 802.1Q headers.
    EXPECT_EQ(s.sizes, std::vector<uint32_t>(n, 1500));
}

// RxBatchSize is checked: 0 is refused with the attribute's name.
TEST_F(GenesisEmuBatch, ZeroBatchSizeIsRefused)
{
    GenesisEmuHelper emu;
    EXPECT_THROW(emu.SetPortAttribute("RxBatchSize", UintegerValue(0)), GenesisError);
    EXPECT_NO_THROW(emu.SetPortAttribute("RxBatchSize", UintegerValue(1)));
}

namespace
{
/// getsockopt(SO_RCVBUF) of \p fd.
int
ReceiveBuffer(int fd)
{
    int got = -1;
    socklen_t len = sizeof(got);
    EXPECT_EQ(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len), 0);
    return got;
}
} // namespace

// RxBufferSize sizes the port's socket as it is installed: the kernel reports
// twice the request (its bookkeeping). With CAP_NET_ADMIN (root) the request
// is granted whole; without it net.core.rmem_max caps it.
TEST_F(GenesisEmuBatch, RxBufferSizeSizesTheSocket)
{
    const uint32_t want = 1u << 20;
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    Ptr<Node> node = CreateObject<Node>();
    GenesisEmuHelper emu;
    emu.SetPortAttribute("RxBufferSize", UintegerValue(want));
    Ptr<GenesisEmuNetDevice> port = emu.InstallPortOnFd(node, sv[0]);
    uint32_t expected = 2 * want;
    if (geteuid() != 0)
    {
        std::ifstream f("/proc/sys/net/core/rmem_max");
        uint32_t max = 0;
        f >> max;
        expected = 2 * std::min(want, max);
    }
    EXPECT_EQ(port->GetRxBufferBytes(), expected);
    EXPECT_EQ(ReceiveBuffer(sv[0]), static_cast<int>(expected));
    close(sv[1]); // the port's own descriptor is the device's

    // 0 keeps the kernel's default.
    int tv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, tv), 0);
    const int before = ReceiveBuffer(tv[0]);
    GenesisEmuHelper keep;
    keep.SetPortAttribute("RxBufferSize", UintegerValue(0));
    Ptr<GenesisEmuNetDevice> unsized = keep.InstallPortOnFd(node, tv[0]);
    EXPECT_EQ(unsized->GetRxBufferBytes(), 0u);
    EXPECT_EQ(ReceiveBuffer(tv[0]), before);
    close(tv[1]);

    // A descriptor that is not a socket (a tap, a pipe) is left alone.
    int pv[2];
    ASSERT_EQ(pipe(pv), 0);
    EXPECT_EQ(port->ApplyRxBufferSize(pv[0]), 0u);
    EXPECT_EQ(port->GetRxBufferBytes(), 0u);
    close(pv[0]);
    close(pv[1]);
    Simulator::Destroy();
}
