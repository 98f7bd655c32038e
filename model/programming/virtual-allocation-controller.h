/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTUAL_ALLOCATION_CONTROLLER_H
#define VIRTUAL_ALLOCATION_CONTROLLER_H

#include "ns3/data-rate.h"
#include "ns3/net-device.h"
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
 * \brief Binding interface (§IV): the allocation controller of a network —
 * what it reserved on every physical device it uses, what of that is still
 * free for its own children, and re-provisioning of its links.
 */
class VirtualAllocationController : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualAllocationController();
    ~VirtualAllocationController() override;

    /// The network's share of one physical device.
    struct Reservation
    {
        uint32_t nodeId{0};      //!< node of the device
        uint32_t deviceIndex{0}; //!< device index on the node
        DataRate reserved;       //!< guaranteed capacity the network holds there
        DataRate residual;       //!< of the network's arbitrator there: capacity not yet
                                 //!< reserved by the network's own children
        DataRate parentResidual; //!< the parent's unreserved capacity there (root: 0)
    };

    /// \return the reservations, ordered by (node, device)
    std::vector<Reservation> GetReservations() const;
    /**
     * \param dev a physical device
     * \return the network's reservation there
     * \throws GenesisError when the network does not use the device
     */
    Reservation GetReservation(Ptr<NetDevice> dev) const;
    /// \return the reserved rate of a link of this network \throws GenesisError
    DataRate GetLinkRate(const std::string& link) const;
    /**
     * \brief Re-provision a link of this network (VirtualNetwork::SetLinkRate).
     * \param link link name on this bus
     * \param rate the new rate
     * \throws GenesisError when refused (admission on a parent device, below the
     *         children's reservations, unknown link); nothing changes then
     */
    void SetLinkRate(const std::string& link, DataRate rate);
    /// \copydoc SetLinkRate(const std::string&,DataRate)
    void SetLinkRate(const std::string& link, const std::string& rate);

    /// TracedCallback signature: link, new rate.
    typedef void (*ReprovisionedTracedCallback)(const std::string& link, DataRate rate);
    /// TracedCallback signature: link, reason.
    typedef void (*RefusedTracedCallback)(const std::string& link, const std::string& reason);

    /// \cond internal
    void Bind(Ptr<GenesisMetabus> bus);
    /// \endcond

  protected:
    void DoDispose() override;

  private:
    Ptr<VirtualNetwork> Network(const std::string& what) const;
    std::vector<Ptr<NetDevice>> Devices() const;

    Ptr<GenesisMetabus> m_bus; //!< the bus

    TracedCallback<const std::string&, DataRate> m_reprovisionedTrace;     //!< done
    TracedCallback<const std::string&, const std::string&> m_refusedTrace; //!< refused
};

} // namespace ns3

#endif /* VIRTUAL_ALLOCATION_CONTROLLER_H */
