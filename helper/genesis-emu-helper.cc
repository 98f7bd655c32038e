/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-emu-helper.h"

#include "ns3/boolean.h"
#include "ns3/genesis-error.h"
#include "ns3/global-value.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/string.h"
#include "ns3/virtual-network.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <set>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisEmuHelper");

namespace
{
/// Closes a descriptor unless released.
struct FdGuard
{
    int fd;

    ~FdGuard()
    {
        if (fd >= 0)
        {
            close(fd);
        }
    }

    int Release()
    {
        int f = fd;
        fd = -1;
        return f;
    }
};

std::string
Quote(const std::string& ifname)
{
    return "interface '" + ifname + "'";
}

/// Interface flags, MTU and MAC address, read without privileges.
struct IfInfo
{
    short flags{0};
    int mtu{1500};
    uint8_t mac[6]{};
};

IfInfo
ReadInterface(const std::string& ifname)
{
    IfInfo info;
    FdGuard s{socket(AF_INET, SOCK_DGRAM, 0)};
    if (s.fd < 0)
    {
        throw GenesisError("GenesisEmuHelper: cannot open a socket to query " + Quote(ifname) +
                           ": " + std::strerror(errno));
    }
    struct ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (ioctl(s.fd, SIOCGIFFLAGS, &ifr) < 0)
    {
        throw GenesisError("GenesisEmuHelper: cannot read the flags of " + Quote(ifname) + ": " +
                           std::strerror(errno) + "; check it with: ip link show " + ifname);
    }
    info.flags = ifr.ifr_flags;
    if (ioctl(s.fd, SIOCGIFMTU, &ifr) == 0)
    {
        info.mtu = ifr.ifr_mtu;
    }
    if (ioctl(s.fd, SIOCGIFHWADDR, &ifr) == 0)
    {
        std::memcpy(info.mac, ifr.ifr_hwaddr.sa_data, 6);
    }
    return info;
}

/// Hand \p fd to \p device; a GenesisEmuNetDevice also sizes its receive buffer.
void
GiveDescriptor(Ptr<FdNetDevice> device, int fd)
{
    device->SetFileDescriptor(fd);
    if (Ptr<GenesisEmuNetDevice> port = DynamicCast<GenesisEmuNetDevice>(device))
    {
        port->ApplyRxBufferSize(fd);
    }
}

} // namespace

GenesisEmuHelper::GenesisEmuHelper()
{
    SetTypeId("ns3::GenesisEmuNetDevice");
}

GenesisEmuHelper::~GenesisEmuHelper()
{
}

void
GenesisEmuHelper::EnableRealtime()
{
    GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
}

void
GenesisEmuHelper::SetPortAttribute(const std::string& name, const AttributeValue& value)
{
    TypeId::AttributeInformation info;
    if (!GenesisEmuNetDevice::GetTypeId().LookupAttributeByName(name, &info))
    {
        throw GenesisError("GenesisEmuHelper: emulated ports have no attribute '" + name +
                           "'; see ns3::GenesisEmuNetDevice and ns3::FdNetDevice");
    }
    Ptr<AttributeValue> v = info.checker->CreateValidValue(value);
    if (!v)
    {
        throw GenesisError("GenesisEmuHelper: bad value for port attribute '" + name + "'");
    }
    SetAttribute(name, *v);
}

void
GenesisEmuHelper::CheckInterface(const std::string& ifname)
{
    if (ifname.empty() || ifname.size() >= IFNAMSIZ)
    {
        throw GenesisError("GenesisEmuHelper: interface name '" + ifname +
                           "' is empty or longer than " + std::to_string(IFNAMSIZ - 1) +
                           " characters; list the interfaces with: ip link show");
    }
    if (if_nametoindex(ifname.c_str()) == 0)
    {
        throw GenesisError("GenesisEmuHelper: no network " + Quote(ifname) +
                           " here (in this network namespace); list the interfaces with: ip "
                           "link show (utils/emu-testbed.sh up builds a test bed of veth pairs)");
    }
    IfInfo info = ReadInterface(ifname);
    if ((info.flags & IFF_UP) == 0)
    {
        throw GenesisError("GenesisEmuHelper: " + Quote(ifname) +
                           " is down; bring it up with: ip link set " + ifname + " up");
    }
}

int
GenesisEmuHelper::OpenPacketSocket(const std::string& ifname)
{
    CheckInterface(ifname);
    FdGuard s{socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))};
    if (s.fd < 0)
    {
        int err = errno;
        if (err == EPERM || err == EACCES)
        {
            throw GenesisError("GenesisEmuHelper: opening a packet socket on " + Quote(ifname) +
                               " needs root or the CAP_NET_RAW capability (" + std::strerror(err) +
                               "); run the program as root (sudo), or once: sudo setcap "
                               "cap_net_raw=ep <program>");
        }
        throw GenesisError("GenesisEmuHelper: cannot open a packet socket on " + Quote(ifname) +
                           ": " + std::strerror(err));
    }
    struct sockaddr_ll ll;
    std::memset(&ll, 0, sizeof(ll));
    ll.sll_family = AF_PACKET;
    ll.sll_ifindex = static_cast<int>(if_nametoindex(ifname.c_str()));
    ll.sll_protocol = htons(ETH_P_ALL);
    if (ll.sll_ifindex == 0 || bind(s.fd, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)) < 0)
    {
        throw GenesisError("GenesisEmuHelper: cannot bind a packet socket to " + Quote(ifname) +
                           ": " + std::strerror(errno));
    }
    // Promiscuous for as long as the socket is open: frames addressed to
    // hosts behind the router, and to the port's own MAC, reach us.
    struct packet_mreq mr;
    std::memset(&mr, 0, sizeof(mr));
    mr.mr_ifindex = ll.sll_ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(s.fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
    {
        throw GenesisError("GenesisEmuHelper: cannot put " + Quote(ifname) +
                           " in promiscuous mode (" + std::strerror(errno) +
                           "); run: ip link set " + ifname + " promisc on");
    }
#ifdef PACKET_IGNORE_OUTGOING
    // Frames we write are not read back as arrivals (Linux >= 4.20; older
    // kernels loop them back, and the port drops them as not addressed to it).
    int one = 1;
    setsockopt(s.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
#endif
    return s.Release();
}

int
GenesisEmuHelper::CreateFileDescriptor() const
{
    return OpenPacketSocket(m_deviceName);
}

void
GenesisEmuHelper::SetFileDescriptor(Ptr<FdNetDevice> device) const
{
    int fd = CreateFileDescriptor();
    GiveDescriptor(device, fd);
    IfInfo info = ReadInterface(m_deviceName);
    Mac48Address mac;
    mac.CopyFrom(info.mac);
    device->SetAddress(mac);
    device->SetMtu(static_cast<uint16_t>(info.mtu));
    device->SetIsBroadcast((info.flags & IFF_BROADCAST) != 0);
    device->SetIsMulticast((info.flags & IFF_MULTICAST) != 0);
}

Ptr<NetDevice>
GenesisEmuHelper::InstallPriv(Ptr<Node> node) const
{
    if (m_deviceName == "undefined")
    {
        throw GenesisError("GenesisEmuHelper: no interface name; call SetDeviceName or "
                           "InstallPorts(node, {\"eth1\", ...})");
    }
    // Everything that can fail runs before the node gets a device.
    int fd = CreateFileDescriptor();
    IfInfo info;
    try
    {
        info = ReadInterface(m_deviceName);
    }
    catch (const GenesisError&)
    {
        close(fd);
        throw;
    }
    Ptr<NetDevice> d = FdNetDeviceHelper::InstallPriv(node);
    Ptr<FdNetDevice> device = DynamicCast<FdNetDevice>(d);
    GiveDescriptor(device, fd);
    Mac48Address mac;
    mac.CopyFrom(info.mac);
    device->SetAddress(mac);
    device->SetMtu(static_cast<uint16_t>(info.mtu));
    device->SetIsBroadcast((info.flags & IFF_BROADCAST) != 0);
    device->SetIsMulticast((info.flags & IFF_MULTICAST) != 0);
    return device;
}

NetDeviceContainer
GenesisEmuHelper::InstallPorts(Ptr<Node> node, const std::vector<std::string>& ifnames)
{
    NS_LOG_FUNCTION(this << node);
    std::set<std::string> seen;
    for (const auto& n : ifnames)
    {
        if (!seen.insert(n).second)
        {
            throw GenesisError("GenesisEmuHelper: " + Quote(n) +
                               " is given twice; give each interface once");
        }
    }
    if (ifnames.empty())
    {
        throw GenesisError("GenesisEmuHelper: no interfaces given; name at least one, e.g. "
                           "--ports=vethA,vethB");
    }
    // Check and open every interface before touching the node.
    std::vector<int> fds;
    try
    {
        for (const auto& n : ifnames)
        {
            fds.push_back(OpenPacketSocket(n));
        }
    }
    catch (const GenesisError&)
    {
        for (int fd : fds)
        {
            close(fd);
        }
        throw;
    }
    for (int fd : fds)
    {
        close(fd);
    }
    NetDeviceContainer c;
    for (const auto& n : ifnames)
    {
        SetDeviceName(n);
        c.Add(InstallPriv(node));
    }
    return c;
}

Ptr<GenesisEmuNetDevice>
GenesisEmuHelper::InstallPortOnFd(Ptr<Node> node, int fd)
{
    Ptr<NetDevice> d = FdNetDeviceHelper::InstallPriv(node);
    Ptr<GenesisEmuNetDevice> dev = DynamicCast<GenesisEmuNetDevice>(d);
    GiveDescriptor(dev, fd);
    return dev;
}

Ptr<GenesisEmuEdge>
GenesisEmuHelper::CreateEdge(Ptr<VirtualNetwork> root, NetDeviceContainer ports)
{
    Ptr<GenesisEmuEdge> edge = CreateObject<GenesisEmuEdge>();
    edge->AddPorts(ports);
    edge->Watch(root);
    return edge;
}

std::vector<std::string>
GenesisEmuHelper::SplitList(const std::string& list)
{
    std::vector<std::string> out;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (!item.empty())
        {
            out.push_back(item);
        }
    }
    return out;
}

} // namespace ns3
