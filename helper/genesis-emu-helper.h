/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_EMU_HELPER_H
#define GENESIS_EMU_HELPER_H

#include "ns3/attribute.h"
#include "ns3/emu-fd-net-device-helper.h"
#include "ns3/genesis-emu-edge.h"
#include "ns3/genesis-emu-net-device.h"
#include "ns3/net-device-container.h"
#include "ns3/node.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief Makes real network interfaces ports of a Genesis router
 * (GenesisEmuNetDevice over an AF_PACKET socket), built on ns-3's
 * EmuFdNetDeviceHelper.
 *
 * \code
 *   GenesisEmuHelper::EnableRealtime();          // first thing in main()
 *   Ptr<Node> router = CreateObject<Node>();
 *   InternetStackHelper().Install(router);
 *   GenesisEmuHelper emu;
 *   emu.SetPortAttribute("DataRate", DataRateValue(DataRate("100Mbps")));
 *   NetDeviceContainer ports = emu.InstallPorts(router, {"vethA", "vethB"});
 *   // ... IPv4 addresses on the ports ...
 *   GenesisHelper genesis;
 *   Ptr<VirtualNetwork> root = genesis.Install(router);
 *   Ptr<GenesisEmuEdge> edge = emu.CreateEdge(root, ports);
 *   genesis.Spawn(Seconds(0), "examples/profiles/emu-gold.yaml");
 * \endcode
 *
 * Debian's EmuFdNetDeviceHelper execs a raw-socket creator at a path of the
 * machine that built the package; this helper opens the packet socket in
 * the process instead (CreateFileDescriptor), which needs root or the
 * CAP_NET_RAW capability. Before opening it, it checks that the interface
 * exists and is up; the socket puts the interface in promiscuous mode for as
 * long as it is open (PACKET_MR_PROMISC) and ignores the frames it sends
 * itself (PACKET_IGNORE_OUTGOING). Every failure throws a GenesisError naming
 * the interface and the command that fixes it. The port takes the
 * interface's MAC address and MTU.
 */
class GenesisEmuHelper : public EmuFdNetDeviceHelper
{
  public:
    GenesisEmuHelper();
    ~GenesisEmuHelper() override;

    /**
     * \brief Real time and real checksums: select ns3::RealtimeSimulatorImpl
     * (SimulatorImplementationType) and ChecksumEnabled.
     *
     * Real hosts drop IPv4 packets with a zero header checksum, and packets
     * must leave when their time comes. Call it first in main(), before any
     * packet, node or simulator call. The real-time simulator keeps up in
     * BestEffort mode (RealtimeSimulatorImpl::SynchronizationMode) and
     * reports its lateness there.
     */
    static void EnableRealtime();

    /**
     * \brief Set an attribute of every port made from now on
     * (GenesisEmuNetDevice: DataRate, PacingBurst, VlanEgress, RxQueueSize, ...).
     * \param name attribute name
     * \param value value
     * \throws GenesisError for an unknown attribute or a bad value
     */
    void SetPortAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Check that an interface can carry an emulated port: it exists and is up.
     * \param ifname interface name
     * \throws GenesisError naming the interface and the fix otherwise
     */
    static void CheckInterface(const std::string& ifname);

    /**
     * \brief Open an AF_PACKET socket bound to \p ifname, in promiscuous mode.
     * \param ifname interface name
     * \return the socket
     * \throws GenesisError without privileges, for a missing or down interface
     */
    static int OpenPacketSocket(const std::string& ifname);

    /**
     * \brief One port per interface, in order, on \p node.
     *
     * Every interface is checked and opened before any port is added: on an
     * error the node is unchanged and the sockets opened so far are closed.
     * \param node the router node
     * \param ifnames interface names
     * \return the ports (GenesisEmuNetDevice)
     * \throws GenesisError as OpenPacketSocket, or for an empty or repeated name
     */
    NetDeviceContainer InstallPorts(Ptr<Node> node, const std::vector<std::string>& ifnames);

    /**
     * \brief One port over an already open file descriptor (a socketpair end,
     * a tap, ...): the same data path without a NIC or privileges.
     * \param node the node
     * \param fd the descriptor (the port closes it when it stops)
     * \return the port
     */
    Ptr<GenesisEmuNetDevice> InstallPortOnFd(Ptr<Node> node, int fd);

    /**
     * \brief Make the edge that gives the root's children slices of \p ports.
     * \param root the root network (after GenesisHelper::Install on the ports' node)
     * \param ports the emulated ports
     * \return the edge (it watches \p root)
     */
    static Ptr<GenesisEmuEdge> CreateEdge(Ptr<VirtualNetwork> root, NetDeviceContainer ports);

    /**
     * \brief Split "a,b,c" into names.
     * \param list comma-separated list
     * \return the non-empty items
     */
    static std::vector<std::string> SplitList(const std::string& list);

  protected:
    Ptr<NetDevice> InstallPriv(Ptr<Node> node) const override;
    void SetFileDescriptor(Ptr<FdNetDevice> device) const override;
    int CreateFileDescriptor() const override;
};

} // namespace ns3

#endif /* GENESIS_EMU_HELPER_H */
