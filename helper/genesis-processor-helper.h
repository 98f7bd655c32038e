/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_PROCESSOR_HELPER_H
#define GENESIS_PROCESSOR_HELPER_H

#include "ns3/genesis-node-processor.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>
#include <vector>

namespace ns3
{

class VirtualNetwork;

/**
 * \ingroup genesis
 * \brief Turns on the per-node computation model (GenesisNodeProcessor).
 *
 * \code
 *   GenesisNodeProcessorHelper cpu;
 *   cpu.SetAttribute("CyclesPerSecond", UintegerValue(1e9));
 *   cpu.SetAttribute("CyclesPerPacket", UintegerValue(20000)); // 50 kpps
 *   cpu.Install(routers, root); // after GenesisHelper::Install
 * \endcode
 */
class GenesisNodeProcessorHelper
{
  public:
    GenesisNodeProcessorHelper();

    /**
     * \brief Set an attribute of the processors to be installed.
     * \param name attribute name
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Install a processor on every node of \p nodes.
     *
     * Call after GenesisHelper::Install. On error (a node without IPv4, a node
     * that already has a processor) nothing is installed and GenesisError is
     * thrown.
     *
     * \param nodes the nodes
     * \param root the root network the nodes belong to
     * \return the processors, in the order of \p nodes
     */
    std::vector<Ptr<GenesisNodeProcessor>> Install(NodeContainer nodes,
                                                   Ptr<VirtualNetwork> root) const;

  private:
    ObjectFactory m_factory; //!< makes the processors
};

} // namespace ns3

#endif /* GENESIS_PROCESSOR_HELPER_H */
