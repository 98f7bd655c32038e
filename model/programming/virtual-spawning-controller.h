/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_SPAWNING_CONTROLLER_H
#define VIRTUAL_SPAWNING_CONTROLLER_H

#include "ns3/data-rate.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{

class GenesisMetabus;
class VirtualNetwork;

/**
 * \ingroup genesis
 *
 * \brief Binding interface (§IV): the spawning controller of a network —
 * define, spawn and tear down *its own* children.
 *
 * It delegates to VirtualNetwork (CreateChild, AddRoutelet, AddLink, Spawn,
 * Teardown) and gives every child it spawns its own metabus. Child routelets
 * are placed by the names of this network's routelets, so a program needs
 * nothing but its own bus. It refuses any network that is not a child of its
 * own (a sibling, its parent, itself or a grandchild): a network manages only
 * the children it spawned; their children are theirs.
 */
class VirtualSpawningController : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualSpawningController();
    ~VirtualSpawningController() override;

    /// \return the names of the network's children (defined or running)
    std::vector<std::string> GetChildren() const;
    /**
     * \brief Define a child.
     * \param name unique network name
     * \param capacityClass "constant", "controlled" or "best-effort"
     * \param rate default link rate of the child
     * \return the child (DEFINED)
     * \throws GenesisError on bad input (nothing is created then)
     */
    Ptr<VirtualNetwork> CreateChild(const std::string& name,
                                    const std::string& capacityClass,
                                    DataRate rate);
    /**
     * \brief Place a routelet of a child on one of this network's routelets.
     * \param child a child of this network
     * \param parentRoutelet name of a routelet of this network (on this bus)
     * \throws GenesisError for a foreign network or an unknown routelet
     */
    void AddRoutelet(const std::string& child, const std::string& parentRoutelet);
    /**
     * \brief Join two routelets of a child, named by the parent routelets hosting them.
     * \param child a child of this network
     * \param a parent routelet hosting end A
     * \param b parent routelet hosting end B
     * \param rate reserved rate (0: the child's default)
     * \throws GenesisError as VirtualNetwork::AddLink
     */
    void AddLink(const std::string& child,
                 const std::string& a,
                 const std::string& b,
                 DataRate rate = DataRate(0));
    /**
     * \brief Spawn a defined child now and install its metabus.
     * \return the child's bus
     * \throws GenesisError when refused (admission…); nothing changes then
     */
    Ptr<GenesisMetabus> Spawn(const std::string& child);
    /**
     * \brief Tear a child (and its descendants) down now.
     * \throws GenesisError for a network that is not a child of this network
     */
    void Teardown(const std::string& child);

    /// TracedCallback signature: child name.
    typedef void (*ChildTracedCallback)(const std::string& child);
    /// TracedCallback signature: child name, reason.
    typedef void (*RefusedTracedCallback)(const std::string& child, const std::string& reason);

    /// \cond internal
    void Bind(Ptr<GenesisMetabus> bus);
    /// \endcond

  protected:
    void DoDispose() override;

  private:
    Ptr<VirtualNetwork> Child(const std::string& name, const std::string& what) const;
    Ptr<VirtualNetwork> Network(const std::string& what) const;

    Ptr<GenesisMetabus> m_bus; //!< the bus

    TracedCallback<const std::string&> m_spawnedTrace;                     //!< child spawned
    TracedCallback<const std::string&> m_tornDownTrace;                    //!< child torn down
    TracedCallback<const std::string&, const std::string&> m_refusedTrace; //!< refused
};

} // namespace ns3

#endif /* VIRTUAL_SPAWNING_CONTROLLER_H */
