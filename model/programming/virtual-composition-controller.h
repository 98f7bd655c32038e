/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_COMPOSITION_CONTROLLER_H
#define VIRTUAL_COMPOSITION_CONTROLLER_H

#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class GenesisMetabus;
class Routelet;

/**
 * \ingroup genesis
 *
 * \brief Binding interface (§IV): the composition controller of one
 * routelet — lists its transport modules, changes their attributes and
 * replaces its forwarder.
 *
 * Modules, by name:
 * - "forwarder": the routelet node's IPv4 routing protocol;
 * - "port<i>": its ports (RouteletPort devices);
 * - "arbitrator@<node>/<device>": the network's ArbitratorQueueDisc on each
 *   device of the routelet's physical host that the network uses;
 * - "scheduler@<node>/<device>": the network's own output scheduler there
 *   (the queue disc of the arbitrator's own class).
 *
 * Attribute values are given as text and checked before anything is set
 * (unknown attribute, read-only attribute or bad value: a GenesisError, never
 * an abort); replacement TypeIds are checked with LookupByNameFailSafe.
 */
class VirtualCompositionController : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualCompositionController();
    ~VirtualCompositionController() override;

    /// A transport module of the routelet.
    struct Module
    {
        std::string name;     //!< module name (see the class description)
        std::string category; //!< forwarder, port, arbitrator or scheduler
        std::string typeId;   //!< its TypeId name
        Ptr<Object> object;   //!< the module
    };

    /// \return the routelet's modules
    std::vector<Module> GetModules() const;
    /// \return the module called \p name \throws GenesisError when there is none
    Module GetModule(const std::string& name) const;
    /**
     * \brief Set an attribute of a module.
     * \param module module name
     * \param attribute attribute name
     * \param value value as text
     * \throws GenesisError for an unknown module or attribute, a read-only
     *         attribute or a bad value (nothing changes then)
     */
    void SetModuleAttribute(const std::string& module,
                            const std::string& attribute,
                            const std::string& value);
    /**
     * \brief Replace the routelet's forwarder (IPv4 routing protocol).
     * \param typeId an Ipv4RoutingProtocol TypeId name
     * \param attributes attribute values as text
     * \throws GenesisError for an unknown TypeId, one that is no
     *         Ipv4RoutingProtocol, a bad attribute, or a routelet without IPv4
     */
    void ReplaceForwarder(const std::string& typeId,
                          const std::map<std::string, std::string>& attributes = {});

    /// TracedCallback signature: module, what changed (attribute=value or new TypeId).
    typedef void (*ComposedTracedCallback)(const std::string& module, const std::string& change);

    /// \cond internal
    void Bind(Ptr<GenesisMetabus> bus, const std::string& name, Ptr<Routelet> routelet);
    /// \endcond

  protected:
    void DoDispose() override;

  private:
    void CheckBound() const;

    Ptr<GenesisMetabus> m_bus; //!< the bus
    std::string m_name;        //!< routelet name
    Ptr<Routelet> m_routelet;  //!< routelet

    TracedCallback<const std::string&, const std::string&> m_composedTrace; //!< changes
};

} // namespace ns3

#endif /* VIRTUAL_COMPOSITION_CONTROLLER_H */
