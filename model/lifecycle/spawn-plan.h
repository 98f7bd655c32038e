/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_SPAWN_PLAN_H
#define GENESIS_SPAWN_PLAN_H

#include "ns3/arbitrator-queue-disc-class.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 * \brief A routelet of a verified profile, placed on a node of the parent.
 */
struct GenesisPlannedRoutelet
{
    std::string name;    //!< routelet name in the profile
    uint32_t hostNodeId; //!< id of the physical node that hosts it
};

/**
 * \ingroup genesis
 * \brief A virtual link of a verified profile, mapped onto a path of the parent.
 */
struct GenesisPlannedLink
{
    std::string name; //!< link name in the profile
    std::string a;    //!< routelet name of end A
    std::string b;    //!< routelet name of end B
    ArbitratorQueueDiscClass::CapacityClass capacityClass{
        ArbitratorQueueDiscClass::CONTROLLED}; //!< class of the link
    DataRate rate;                             //!< capacity reserved on every parent link crossed
    std::vector<uint32_t> hostPath; //!< node ids of the parent routelets crossed, A's host to B's
                                    //!< host inclusive (the complete path, ready for AddLink's via)
    Time propagationDelay;          //!< sum of the channel delays along the path
};

/**
 * \ingroup genesis
 * \brief Capacity a verified profile reserves on one physical device (one direction).
 */
struct GenesisPlannedReservation
{
    uint32_t nodeId{0};      //!< node of the sending device
    uint32_t deviceIndex{0}; //!< device index on that node
    uint64_t bps{0};         //!< guaranteed capacity the child reserves there
    uint64_t residualBps{0}; //!< parent's unreserved guaranteed capacity there before the spawn
};

/**
 * \ingroup genesis
 * \brief An end host of a verified profile.
 */
struct GenesisPlannedHost
{
    std::string name;     //!< host name in the profile
    uint32_t nodeId{0};   //!< its ns-3 node
    std::string routelet; //!< routelet it attaches to
    Ipv4Address address;  //!< its address in the child's space (0.0.0.0: allocate)
};

/**
 * \ingroup genesis
 * \brief What the verifier resolved for a profile: where every routelet goes,
 * the complete parent path of every link and the reservation on every
 * parent device. The spawner builds exactly this.
 */
struct GenesisSpawnPlan
{
    std::string network;                                 //!< child network name
    std::string parent;                                  //!< parent network name
    std::vector<GenesisPlannedRoutelet> routelets;       //!< in profile order
    std::vector<GenesisPlannedLink> links;               //!< in profile order
    std::vector<GenesisPlannedReservation> reservations; //!< sorted by (node, device)
    std::vector<GenesisPlannedHost> hosts;               //!< in profile order
};

} // namespace ns3

#endif /* GENESIS_SPAWN_PLAN_H */
