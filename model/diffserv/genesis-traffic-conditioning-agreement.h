/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_TRAFFIC_CONDITIONING_AGREEMENT_H
#define GENESIS_TRAFFIC_CONDITIONING_AGREEMENT_H

#include "genesis-multi-field-classifier.h"
#include "genesis-policer.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/packet-filter.h"

#include <string>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief A traffic conditioning agreement (TCA, RFC 2475 §2.3.3): which
 * packets (Match, a GenesisMfRule), the traffic profile they are metered
 * against (Meter with Cir/Cbs/Ebs or Cir/Pir/Cbs/Pbs, or Cir/Pir/Window for
 * TSW), and per colour a codepoint and an action.
 *
 * A TCA is declarative: Validate() checks it and says what to fix;
 * CreatePolicer() builds the policer that enforces it. Which parameters each
 * meter uses:
 *
 * | Meter       | uses                  |
 * |-------------|-----------------------|
 * | TokenBucket | Cir, Cbs              |
 * | SrTcm       | Cir, Cbs, Ebs         |
 * | TrTcm       | Cir, Cbs, Pir, Pbs    |
 * | Tsw2cm      | Cir, Window           |
 * | Tsw3cm      | Cir, Pir, Window      |
 *
 * An agreement is a PacketFilter so that a profile can place it on a port as
 * a module of its own (category processor): a GenesisPhbQueueDisc on the same
 * port takes every agreement among its packet filters into its conditioner
 * (GenesisPhbQueueDisc::AdoptAgreements). As a filter it classifies nothing
 * (DoClassify gives PF_NO_MATCH): it is a conditioning specification.
 */
class GenesisTrafficConditioningAgreement : public PacketFilter
{
  public:
    /// The meter of the agreement
    enum MeterType
    {
        TOKEN_BUCKET = 0, //!< GenesisTokenBucketMeter
        SRTCM = 1,        //!< GenesisSrTcmMeter (RFC 2697)
        TRTCM = 2,        //!< GenesisTrTcmMeter (RFC 2698)
        TSW2CM = 3,       //!< GenesisTsw2cmMeter (RFC 2859)
        TSW3CM = 4        //!< GenesisTsw3cmMeter (RFC 2859)
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisTrafficConditioningAgreement();
    ~GenesisTrafficConditioningAgreement() override;

    /**
     * \brief Check every parameter of the agreement.
     * \throws GenesisError naming the TCA, the attribute and the fix
     *         (CIR > PIR, a zero burst, a zero rate, an unknown codepoint name,
     *         Remark without a codepoint, a bad Match rule)
     */
    void Validate() const;
    /**
     * \brief Build the policer (with its meter) that enforces the agreement.
     * \return the policer
     * \throws GenesisError if Validate() fails
     */
    Ptr<GenesisPolicer> CreatePolicer() const;
    /// \return the match rule (parsed) \throws GenesisError if bad
    GenesisMfRule GetRule() const;
    /// \return the TCA's name for messages ("TCA 'gold'")
    std::string Describe() const;

    /**
     * \brief The check the spawner runs on a profile's agreement module
     * before anything is built (GenesisSpawner::RegisterModuleCheck): the
     * agreement made by \p factory must pass Validate().
     * \param factory a factory of this TypeId with the profile's attributes
     * \throws GenesisError as Validate()
     */
    static void CheckFactory(const ObjectFactory& factory);

  private:
    bool CheckProtocol(Ptr<QueueDiscItem> item) const override;
    int32_t DoClassify(Ptr<QueueDiscItem> item) const override;

    std::string m_name;                 //!< name
    std::string m_match;                //!< match rule text
    MeterType m_meter;                  //!< meter type
    bool m_colorAware;                  //!< colour-aware metering
    DataRate m_cir;                     //!< committed rate
    uint32_t m_cbs;                     //!< committed burst (bytes)
    uint32_t m_ebs;                     //!< excess burst (bytes, srTCM)
    DataRate m_pir;                     //!< peak rate
    uint32_t m_pbs;                     //!< peak burst (bytes, trTCM)
    Time m_window;                      //!< TSW window
    std::string m_dscp[3];              //!< codepoint names per colour
    GenesisPolicer::Action m_action[3]; //!< action per colour

    /// \name attribute accessors of the per-colour arrays
    //@{
    void SetGreenDscp(std::string v);
    std::string GetGreenDscp() const;
    void SetYellowDscp(std::string v);
    std::string GetYellowDscp() const;
    void SetRedDscp(std::string v);
    std::string GetRedDscp() const;
    void SetGreenAction(GenesisPolicer::Action a);
    GenesisPolicer::Action GetGreenAction() const;
    void SetYellowAction(GenesisPolicer::Action a);
    GenesisPolicer::Action GetYellowAction() const;
    void SetRedAction(GenesisPolicer::Action a);
    GenesisPolicer::Action GetRedAction() const;
    //@}
};

} // namespace ns3

#endif /* GENESIS_TRAFFIC_CONDITIONING_AGREEMENT_H */
