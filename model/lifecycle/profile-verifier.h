/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_PROFILE_VERIFIER_H
#define GENESIS_PROFILE_VERIFIER_H

#include "parent-topology.h"
#include "profile-reader.h"
#include "profile.h"
#include "spawn-plan.h"

#include "ns3/ptr.h"

#include <string>
#include <vector>

namespace ns3
{

class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief What GenesisProfileVerifier returns: every problem and the resolved plan.
 */
struct GenesisVerifyResult
{
    std::vector<GenesisDiagnostic> diagnostics; //!< every problem, each with file:line:col + hint
    GenesisSpawnPlan plan; //!< the resolved plan (complete only when Ok() and a parent was given)

    /// \return true when no diagnostic is an error
    bool Ok() const;
    /// \return the number of errors
    std::size_t GetNErrors() const;
    /// \return the number of warnings
    std::size_t GetNWarnings() const;
    /// \return every diagnostic's ToString(), one per line (like GenesisProfileReadResult)
    std::string Format() const;
};

/**
 * \ingroup genesis
 * \brief The compiler of profiles (paper §V-A): checks a profile against the
 * network it will be spawned in and resolves the spawn plan.
 *
 * It reports every problem, each at the place of the profile it concerns,
 * with a hint: unknown hosts (node ids, ns3::Names names, parent routelets,
 * nodes without a parent routelet), two routelets on one host, a
 * disconnected child topology, an address space outside the parent's or
 * overlapping a sibling's, end-host addresses used twice, capacity above the residual in its class
 * on a parent device, delay bounds no path meets, nesting depth and policy violations, a name
 * already used in the tree, a wrong "parent", membership conflicts and
 * timeline events that cannot work (see doc/verifier-section.rst for the
 * exact rules).
 *
 * Path completion: for each link the path between consecutive waypoints
 * (A's host, via..., B's host) is the path of fewest parent adjacencies
 * among those whose devices all still have the link's rate unreserved
 * (constant and controlled links; minus what earlier links of the same
 * profile took), ties broken towards lower node ids; when a link has a
 * delay bound and that path exceeds it, the path of fewest adjacencies
 * within the bound is taken. Best-effort links ignore residual capacity.
 */
class GenesisProfileVerifier
{
  public:
    /**
     * \brief Verify against a live parent network (the one the child will be spawned in).
     * \param profile the profile (as read by GenesisProfileReader)
     * \param parent the parent network
     * \return the diagnostics and the plan
     */
    static GenesisVerifyResult Verify(const GenesisProfile& profile, Ptr<VirtualNetwork> parent);

    /**
     * \brief Verify against a snapshot (from a live network or a profile database).
     * \param profile the profile
     * \param parent the snapshot (finalized)
     * \return the diagnostics and the plan
     */
    static GenesisVerifyResult Verify(const GenesisProfile& profile,
                                      const GenesisParentTopology& parent);

    /**
     * \brief Check what needs no parent: connectivity of the child topology,
     * two routelets on one host, membership names, address sanity and the
     * timeline. The plan holds the routelets and hosts, no paths.
     * \param profile the profile
     * \return the diagnostics and the partial plan
     */
    static GenesisVerifyResult Verify(const GenesisProfile& profile);

    /**
     * \brief Read a profile file and verify it: the reader's diagnostics,
     * then (when the reader found no error) the verifier's.
     * \param path the profile file
     * \param parent the snapshot, or null for the checks that need no parent
     * \return every diagnostic and the plan
     */
    static GenesisVerifyResult VerifyFile(const std::string& path,
                                          const GenesisParentTopology* parent);

    /**
     * \brief A human-readable plan: routelets -> nodes, each link's path
     * with its delay, the reservation on every device (bps, residual before and after).
     * \param plan the plan
     * \return the text, one item per line
     */
    static std::string FormatPlan(const GenesisSpawnPlan& plan);
};

} // namespace ns3

#endif /* GENESIS_PROFILE_VERIFIER_H */
