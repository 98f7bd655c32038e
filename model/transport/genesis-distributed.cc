/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-distributed.h"

#include "genesis-error.h"

#include "ns3/node.h"
#include "ns3/simulator-impl.h"
#include "ns3/simulator.h"

namespace ns3
{

std::string
GenesisDistributed::GetImplementationName()
{
    Ptr<SimulatorImpl> impl = Simulator::GetImplementation();
    return impl ? impl->GetInstanceTypeId().GetName() : std::string();
}

bool
GenesisDistributed::IsDistributed()
{
    std::string name = GetImplementationName();
    return name == "ns3::DistributedSimulatorImpl" || name == "ns3::NullMessageSimulatorImpl";
}

uint32_t
GenesisDistributed::GetRank()
{
    return Simulator::GetSystemId();
}

bool
GenesisDistributed::IsLocal(Ptr<Node> node)
{
    return node && node->GetSystemId() == Simulator::GetSystemId();
}

void
GenesisDistributed::RefuseIfDistributed(const std::string& what, const std::string& hint)
{
    if (IsDistributed())
    {
        throw GenesisError(what + " cannot run under ns-3's distributed simulator (" +
                           GetImplementationName() + ", rank " + std::to_string(GetRank()) +
                           "): " + hint);
    }
}

} // namespace ns3
