/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_DISTRIBUTED_H
#define GENESIS_DISTRIBUTED_H

#include "ns3/ptr.h"

#include <cstdint>
#include <string>

namespace ns3
{

class Node;

/**
 * \ingroup genesis
 *
 * \brief What Genesis needs to know about ns-3's distributed (MPI) engine.
 *
 * Under ns-3's MPI simulator implementations (ns3::DistributedSimulatorImpl,
 * ns3::NullMessageSimulatorImpl) every rank builds the same topology and runs
 * the same configuration; a node belongs to the rank equal to its system id,
 * and only that rank simulates it. Genesis keeps its bookkeeping (networks,
 * reservations, routelets) replicated on every rank and runs applications
 * and timers only where their node is local.
 *
 * These functions read the running simulator only (Simulator::GetSystemId
 * and the implementation's TypeId), so the Genesis library needs no MPI: the
 * same code runs in a sequential build (everything is local to rank 0).
 */
class GenesisDistributed
{
  public:
    /// \return true when the simulator is one of ns-3's MPI implementations
    static bool IsDistributed();
    /// \return this process's rank (Simulator::GetSystemId(); 0 when sequential)
    static uint32_t GetRank();
    /// \return the simulator implementation's TypeId name
    static std::string GetImplementationName();
    /**
     * \param node a node
     * \return true when \p node is simulated by this rank (its system id is
     *         this rank; always true in a sequential run)
     */
    static bool IsLocal(Ptr<Node> node);
    /**
     * \brief Refuse something that cannot run distributed.
     * \param what the feature, e.g. "the profile's management section at x.yaml:3:1"
     * \param hint how to do without it
     * \throws GenesisError when the simulator is distributed
     */
    static void RefuseIfDistributed(const std::string& what, const std::string& hint);
};

} // namespace ns3

#endif /* GENESIS_DISTRIBUTED_H */
