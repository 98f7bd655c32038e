/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_LIFECYCLE_SERVER_H
#define GENESIS_LIFECYCLE_SERVER_H

#include "genesis-control-header.h"

#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/virtual-network.h"

#include <map>
#include <set>
#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 * \brief The life-cycle server: runs the construct phase of a spawn as
 * control messages (UDP over the root network) to the GenesisConstructor of
 * every routelet host, collecting their ACKs.
 *
 * Begin() sends a CONSTRUCT request (GenesisControlHeader) to each host's
 * constructor; the transaction completes when every host has acknowledged.
 * A NACK ends it at once; no answer within "ConstructTimeout" retransmits the
 * request to the hosts still silent, at most "MaxRetransmissions" times, and
 * then ends it as failed. Whoever called Begin() is told by its callback and
 * runs the remaining phases (bind, metabus, commit) or the rollback.
 *
 * The messages are the root network's own traffic: they leave through the
 * node's IPv4 stack and the arbitrator queues them in the root's own class.
 */
class GenesisLifecycleServer : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisLifecycleServer();
    ~GenesisLifecycleServer() override;

    /// Told at the end of a transaction: transaction id, success, reason of a failure.
    typedef Callback<void, uint32_t, bool, std::string> DoneCallback;

    /**
     * \brief Start the construct phase of \p net (already reserved).
     * \param net the network being spawned
     * \param hosts the node ids to construct on (VirtualNetwork::GetConstructHosts())
     * \param done called once, when every host has acknowledged or the phase failed
     * \return the transaction id
     */
    uint32_t Begin(Ptr<VirtualNetwork> net, const std::vector<uint32_t>& hosts, DoneCallback done);

    /// \param txn a transaction id \return its network while it is in progress, else null
    Ptr<VirtualNetwork> FindTransaction(uint32_t txn) const;

    /**
     * \brief Apply a transaction's outcome decided on another MPI rank.
     *
     * Under ns-3's distributed simulator every rank begins the same
     * transactions (the spawns are replicated), but only the rank that
     * simulates the server's node sends CONSTRUCT requests, collects the
     * answers and decides. It then sends an OUTCOME message to one
     * constructor on every other rank, which calls this: the transaction
     * ends here as it ended there (commit or roll back).
     * \param txn the transaction
     * \param ok true: every host acknowledged (commit)
     * \return false when no such transaction is in progress on this rank
     */
    bool ApplyOutcome(uint32_t txn, bool ok);

    /// Create and bind the socket now (idempotent; StartApplication calls it too).
    void Setup();

    /// \return the UDP port of the constructors
    uint16_t GetPort() const;

    /// Signature of ControlTx/ControlRx: the header, the peer address.
    typedef void (*ControlTracedCallback)(const GenesisControlHeader&, Ipv4Address);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// A construct phase in progress.
    struct Transaction
    {
        Ptr<VirtualNetwork> net;              //!< the network
        std::set<uint32_t> pending;           //!< hosts not yet acknowledged
        std::map<uint32_t, Ipv4Address> addr; //!< host -> constructor address
        uint32_t retransmissions = 0;         //!< done so far
        EventId timer;                        //!< timeout
        DoneCallback done;                    //!< caller
        std::vector<uint32_t> hosts;          //!< every host of the transaction
    };

    void Send(uint32_t txn, uint32_t host);
    void Timeout(uint32_t txn);
    void Receive(Ptr<Socket> socket);
    void End(uint32_t txn, bool ok, const std::string& reason);
    void SendOutcomes(uint32_t txn, uint16_t netId, const std::vector<uint32_t>& hosts, bool ok);
    void SendOutcome(uint32_t txn, uint32_t node);
    void OutcomeTimeout(uint32_t txn);

    /// An outcome being delivered to the other MPI ranks.
    struct Outcome
    {
        uint16_t net = 0;                     //!< network id
        bool ok = false;                      //!< commit or roll back
        std::map<uint32_t, Ipv4Address> addr; //!< unacknowledged constructor node -> address
        uint32_t retransmissions = 0;         //!< done so far
        EventId timer;                        //!< retransmission timer
    };

    uint16_t m_port;                        //!< constructors' port
    Time m_timeout;                         //!< ConstructTimeout
    uint32_t m_maxRetx;                     //!< MaxRetransmissions
    uint32_t m_nextTxn;                     //!< next transaction id
    uint32_t m_seq;                         //!< next sequence number
    Ptr<Socket> m_socket;                   //!< UDP socket
    std::map<uint32_t, Transaction> m_txns; //!< in progress
    std::map<uint32_t, Outcome> m_outcomes; //!< outcomes not yet acknowledged by every rank
    TracedCallback<const GenesisControlHeader&, Ipv4Address> m_txTrace; //!< sent
    TracedCallback<const GenesisControlHeader&, Ipv4Address> m_rxTrace; //!< received
};

/**
 * \ingroup genesis
 * \brief A node's constructor: on a CONSTRUCT request it builds the
 * routelets of the network being spawned on its own node
 * (VirtualNetwork::SpawnConstruct, in the node's context) and answers ACK, or
 * NACK with the reason. A retransmitted request is answered again without
 * constructing twice.
 */
class GenesisConstructor : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisConstructor();
    ~GenesisConstructor() override;

    /// \param server the life-cycle server whose transactions this constructor serves
    void SetServer(Ptr<GenesisLifecycleServer> server);

    /// Create and bind the socket now (idempotent; StartApplication calls it too).
    void Setup();

    /// Signature of Construct: network name, node id, ok, reason.
    typedef void (*ConstructTracedCallback)(const std::string&, uint32_t, bool, const std::string&);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Receive(Ptr<Socket> socket);

    uint16_t m_port;                      //!< Port attribute
    Ptr<Socket> m_socket;                 //!< UDP socket
    Ptr<GenesisLifecycleServer> m_server; //!< server
    std::set<uint32_t> m_done;            //!< transactions constructed here
    TracedCallback<const std::string&, uint32_t, bool, const std::string&>
        m_constructTrace; //!< done
};

} // namespace ns3

#endif /* GENESIS_LIFECYCLE_SERVER_H */
