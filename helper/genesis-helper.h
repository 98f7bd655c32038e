/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_HELPER_H
#define GENESIS_HELPER_H

#include "ns3/arbitrator-queue-disc.h"
#include "ns3/attribute.h"
#include "ns3/data-rate.h"
#include "ns3/genesis-lifecycle-server.h"
#include "ns3/genesis-spawner.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/queue-disc-container.h"
#include "ns3/trace-helper.h"
#include "ns3/virtual-network.h"

#include <set>
#include <string>

namespace ns3
{

class GenesisProfileDatabase;

/**
 * \ingroup genesis
 *
 * \brief Makes ns-3 nodes Genesis routers and spawns child networks on them.
 *
 * \code
 *   GenesisHelper genesis;
 *   Ptr<VirtualNetwork> root = genesis.Install(routers);   // after addresses are assigned
 *   Ptr<VirtualNetwork> video = genesis.CreateNetwork(root, "video", "controlled",
 *                                                     DataRate("4Mbps"));
 *   auto r0 = video->AddRoutelet(routers.Get(0));
 *   auto r3 = video->AddRoutelet(routers.Get(3));
 *   video->AddLink(r0, r3);
 *   genesis.Spawn(Seconds(1), video);
 *   genesis.Teardown(Seconds(9), video);
 * \endcode
 *
 * Install() gives every node the Genesis demultiplexor (GenesisL4Protocol)
 * and replaces the root queue disc of every device with an
 * ArbitratorQueueDisc whose own class — the root network's traffic — holds
 * the queue disc set with SetRootNetworkQueueDisc() (ns-3's default
 * FqCoDelQueueDisc unless changed), so a Genesis router with no children
 * schedules exactly like plain ns-3.
 *
 * Pcap traces of child routelet ports (raw IPv4, DLT_RAW) are enabled per
 * network with EnablePcapNetwork(); they start when the network spawns.
 */
class GenesisHelper
{
  public:
    GenesisHelper();

    /**
     * \brief The queue disc of the root network's own class on every device.
     * \param type a QueueDisc TypeId name, e.g. "ns3::FqCoDelQueueDisc"
     * \throws GenesisError for an unknown TypeId name
     */
    void SetRootNetworkQueueDisc(const std::string& type);
    /**
     * \brief Set an attribute of every root ArbitratorQueueDisc.
     * \throws GenesisError for an unknown attribute or a bad value
     */
    void SetArbitratorAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Capacity assumed for devices without a "DataRate" attribute (Wi-Fi, ...).
     * \param rate the rate; 0 makes Install() refuse such devices
     */
    void SetDefaultLinkRate(DataRate rate);

    /**
     * \brief Size of every device's own transmit queue below the arbitrator.
     *
     * A NetDevice's own queue (100 packets for PointToPointNetDevice) is a
     * FIFO shared by all networks after the arbitrator: a deep one would add
     * up to its depth in delay to every network whatever its class, which is
     * what Linux avoids with byte queue limits. Install() sets the "TxQueue"
     * MaxSize of devices that have one to this value (default "1p": the link
     * never idles, and the arbitrator decides the order of everything else).
     * An empty string leaves device queues as they are.
     * \param size a QueueSize string such as "1p", or ""
     * \throws GenesisError for a malformed size
     */
    void SetDeviceQueueSize(const std::string& size);

    /**
     * \brief Parse a rate given as text, as profiles and command lines do.
     * \param text e.g. "4Mbps", "500kb/s"
     * \param what the object and field, used in the error message
     * \return the rate
     * \throws GenesisError for a negative, malformed or unitless rate
     */
    static DataRate ParseRate(const std::string& text, const std::string& what);

    /**
     * \brief Make the nodes Genesis routers (root routelets).
     *
     * Call it after the IPv4 stack is installed, before Simulator::Run.
     * Nodes may be added in several calls; they join the same root network.
     * \param nodes the nodes
     * \return the root network
     * \throws GenesisError for a node without IPv4 stack or a device whose
     *         rate is unknown; nothing is changed then
     */
    Ptr<VirtualNetwork> Install(NodeContainer nodes);
    /// \copydoc Install(NodeContainer)
    Ptr<VirtualNetwork> Install(Ptr<Node> node);
    /// \return the root network (null before Install)
    Ptr<VirtualNetwork> GetRootNetwork() const;
    /// \return the root arbitrators installed so far
    QueueDiscContainer GetRootArbitrators() const;

    /**
     * \brief Define a child network.
     * \param parent the parent network
     * \param name unique name
     * \param capacityClass "constant", "controlled" or "best-effort"
     * \param rate default rate of its links (ignored for best-effort)
     * \return the network, in state DEFINED
     * \throws GenesisError on bad input
     */
    Ptr<VirtualNetwork> CreateNetwork(Ptr<VirtualNetwork> parent,
                                      const std::string& name,
                                      const std::string& capacityClass,
                                      DataRate rate);

    /**
     * \brief Define a child network with its rate given as text.
     * \copydetails CreateNetwork(Ptr<VirtualNetwork>,const std::string&,const
     * std::string&,DataRate)
     */
    Ptr<VirtualNetwork> CreateNetwork(Ptr<VirtualNetwork> parent,
                                      const std::string& name,
                                      const std::string& capacityClass,
                                      const std::string& rate);

    /**
     * \brief Spawn a defined network at simulated time \p at.
     *
     * Checks what can be checked now (state) and throws; the admission test
     * runs at \p at. A network refused then stays DEFINED, the failure is
     * logged (GenesisHelper, NS_LOG_WARN) and fired on the network's
     * "SpawnFailed" trace source, and the simulation goes on.
     */
    void Spawn(Time at, Ptr<VirtualNetwork> network);
    /**
     * \brief Spawn a child from a profiling script at simulated time \p at.
     *
     * The file is read now: a file that cannot be read, or has errors, throws
     * now with the reader's diagnostics (file:line:col). Verification against
     * the parent (the network the profile's "parent" names, else the root) and
     * admission run at \p at, against the parent's state then; a refusal is
     * logged (NS_LOG_WARN), fired on the spawner's "SpawnFailed" trace source
     * (and the child's, when it was defined) and the simulation goes on.
     * \param at when
     * \param profilePath the profile file
     * \return the child's name: FindNetwork(name) on the root resolves it once spawned
     * \throws GenesisError for an unreadable or invalid file, a time in the past or no root
     */
    std::string Spawn(Time at, const std::string& profilePath);
    /**
     * \brief Spawn a profile at \p at under an explicit parent network.
     * \copydetails Spawn(Time,const std::string&)
     * \param parent the parent network
     */
    std::string Spawn(Time at, const std::string& profilePath, Ptr<VirtualNetwork> parent);
    /// \return the spawner that spawns profiles (created on first use)
    Ptr<GenesisSpawner> GetSpawner();

    /**
     * \brief The node of the life-cycle server (spawns in Packets mode).
     *
     * Default: the root network's first node. Call it before the first
     * profile Spawn() in Packets mode.
     * \param node a Genesis node with an IPv4 address
     */
    void SetLifecycleServer(Ptr<Node> node);
    /**
     * \brief Install the control plane now: a GenesisConstructor on every
     * root node and the GenesisLifecycleServer on the server's node, wired to
     * the spawner. Spawn(Time, path) does it when the spawner's SpawnMode is
     * Packets; calling it again adds constructors to nodes installed since.
     * \return the server
     * \throws GenesisError when there is no root yet
     */
    Ptr<GenesisLifecycleServer> InstallControlPlane();

    /// Tear a network down at simulated time \p at.
    void Teardown(Time at, Ptr<VirtualNetwork> network);

    /**
     * \brief Write pcap files of every port of \p network's routelets once it spawns.
     * \param prefix file name prefix; files are prefix-<network>-<node>-<port>.pcap
     * \param network the network
     */
    void EnablePcapNetwork(const std::string& prefix, Ptr<VirtualNetwork> network);

  private:
    static void DoSpawn(Ptr<VirtualNetwork> network);
    static void DoSpawnProfile(Ptr<GenesisSpawner> spawner,
                               std::string path,
                               std::string parentName,
                               Ptr<VirtualNetwork> parent,
                               Ptr<VirtualNetwork> root);
    static void DoTeardown(Ptr<VirtualNetwork> network);
    static void HookPcap(std::string prefix, Ptr<VirtualNetwork> network);

    Ptr<VirtualNetwork> m_root;                                          //!< root network
    std::string m_rootQueueDisc;                                         //!< own-class disc type
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_arbAttrs; //!< arbitrator attrs
    DataRate m_defaultRate;                                              //!< fallback link rate
    std::string m_deviceQueueSize;                                       //!< device TxQueue size
    QueueDiscContainer m_arbitrators;                                    //!< installed roots
    Ptr<GenesisSpawner> m_spawner;                                       //!< profile spawner
    Ptr<Node> m_serverNode;                                              //!< life-cycle server node
    Ptr<GenesisLifecycleServer> m_server;                                //!< life-cycle server
    std::set<uint32_t> m_constructorNodes; //!< nodes with a constructor
};

} // namespace ns3

#endif /* GENESIS_HELPER_H */
