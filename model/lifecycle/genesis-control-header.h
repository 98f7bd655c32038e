/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CONTROL_HEADER_H
#define GENESIS_CONTROL_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup genesis
 * \brief A spawn's control message between the life-cycle server and a
 * node's constructor (carried in UDP over the root network).
 *
 * Wire format (network byte order, 16 bytes):
 * type (1) | status (1) | network id (2) | transaction id (4) |
 * sequence (4) | host node id (4).
 */
class GenesisControlHeader : public Header
{
  public:
    /// Message types.
    enum MessageType : uint8_t
    {
        CONSTRUCT = 1,  //!< server -> constructor: construct the host's routelets
        ACK = 2,        //!< constructor -> server: done
        NACK = 3,       //!< constructor -> server: refused (status says why)
        OUTCOME = 4,    //!< server -> a constructor on another MPI rank: the spawn's
                        //!< outcome (status OK: commit, otherwise roll back)
        OUTCOME_ACK = 5 //!< constructor -> server: the outcome reached its rank
    };

    /// Status codes of an ACK/NACK.
    enum Status : uint8_t
    {
        OK = 0,              //!< done
        UNKNOWN_TRANSACTION, //!< no spawn with this transaction id is in progress
        CONSTRUCT_FAILED,    //!< SpawnConstruct threw
        WRONG_HOST           //!< the request named another node
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    GenesisControlHeader();

    /// \param t the type
    void SetType(MessageType t);
    /// \return the type
    MessageType GetType() const;
    /// \param s the status
    void SetStatus(Status s);
    /// \return the status
    Status GetStatus() const;
    /// \param id the child network id
    void SetNetworkId(uint16_t id);
    /// \return the child network id
    uint16_t GetNetworkId() const;
    /// \param id the transaction id
    void SetTransaction(uint32_t id);
    /// \return the transaction id
    uint32_t GetTransaction() const;
    /// \param seq the sequence number (one per transmission of a request)
    void SetSequence(uint32_t seq);
    /// \return the sequence number
    uint32_t GetSequence() const;
    /// \param id the host node id
    void SetHost(uint32_t id);
    /// \return the host node id
    uint32_t GetHost() const;

    /// \param s a status \return its name
    static const char* StatusName(Status s);

  private:
    uint8_t m_type;   //!< MessageType
    uint8_t m_status; //!< Status
    uint16_t m_net;   //!< network id
    uint32_t m_txn;   //!< transaction id
    uint32_t m_seq;   //!< sequence
    uint32_t m_host;  //!< host node id
};

} // namespace ns3

#endif /* GENESIS_CONTROL_HEADER_H */
