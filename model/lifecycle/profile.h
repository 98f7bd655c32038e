/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_PROFILE_H
#define GENESIS_PROFILE_H

#include "ns3/arbitrator-queue-disc-class.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 * \brief A place in a profiling script: file, line and column, all 1-based
 * (0 means unknown).
 */
struct GenesisLocation
{
    std::string file;   //!< file name as given to the reader
    uint32_t line{0};   //!< line, 1-based
    uint32_t column{0}; //!< column, 1-based

    /// \return "file:line:column" (or "file" when the line is unknown)
    std::string ToString() const;
};

/**
 * \ingroup genesis
 * \brief One attribute of a transport module or scheduler, as written.
 */
struct GenesisAttributeSpec
{
    std::string name;         //!< attribute name of the TypeId
    std::string value;        //!< value as text (ns-3 string form)
    GenesisLocation location; //!< where the attribute's key is
};

/**
 * \ingroup genesis
 * \brief A TypeId name with attributes: what an ObjectFactory needs.
 */
struct GenesisObjectSpec
{
    std::string typeId;                           //!< e.g. "ns3::FqCoDelQueueDisc"
    std::vector<GenesisAttributeSpec> attributes; //!< in the order written
    GenesisLocation location;                     //!< where the "type" value is
};

/**
 * \ingroup genesis
 * \brief A routelet of the profiled network and where it lives.
 */
struct GenesisRouteletSpec
{
    /// How the host of the routelet is named.
    enum HostKind
    {
        NODE_ID,        //!< "node: 3": the physical node with that id
        NODE_NAME,      //!< "node: core1": a node named with ns3::Names
        PARENT_ROUTELET //!< "parent_routelet: r1": the node of the parent's routelet r1
    };

    std::string name;           //!< unique routelet name in the profile
    HostKind hostKind{NODE_ID}; //!< how the host is given
    uint32_t nodeId{0};         //!< node id (NODE_ID)
    std::string hostName;       //!< Names name (NODE_NAME) or parent routelet name
    GenesisLocation location;   //!< where the routelet's entry starts
};

/**
 * \ingroup genesis
 * \brief A parent host a virtual link must pass ("via"): node id or name.
 */
struct GenesisHostRef
{
    bool byId{true};          //!< true: nodeId; false: name (Names or parent routelet)
    uint32_t nodeId{0};       //!< node id
    std::string name;         //!< name
    GenesisLocation location; //!< where it is written
};

/**
 * \ingroup genesis
 * \brief A virtual link between two routelets of the profiled network.
 */
struct GenesisLinkSpec
{
    std::string name;     //!< unique link name (default "<a>-<b>")
    std::string a;        //!< routelet name of end A
    std::string b;        //!< routelet name of end B
    bool hasClass{false}; //!< a class is given (else the network's)
    ArbitratorQueueDiscClass::CapacityClass capacityClass{
        ArbitratorQueueDiscClass::CONTROLLED}; //!< class
    bool hasRate{false};                       //!< a rate is given (else the network's Rate)
    DataRate rate;                             //!< rate
    bool hasDelay{false};                      //!< a delay is given
    Time delay; //!< extra delay the link must not exceed / add (verifier's choice)
    std::vector<GenesisHostRef> via; //!< strategic parent hosts, in order (may be partial)
    GenesisLocation location;        //!< where the link's entry starts
    GenesisLocation aLocation;       //!< where end A is written
    GenesisLocation bLocation;       //!< where end B is written
};

/**
 * \ingroup genesis
 * \brief An end host attached to the network when it is spawned.
 */
struct GenesisEndHostSpec
{
    std::string name;         //!< unique host name in the profile
    GenesisHostRef node;      //!< the ns-3 node of the host
    std::string routelet;     //!< routelet it attaches to
    bool hasAddress{false};   //!< an address is given
    Ipv4Address address;      //!< its address in the network's address space
    GenesisLocation location; //!< where the entry starts
};

/**
 * \ingroup genesis
 * \brief One member of the network: who may attach (node or address prefix).
 */
struct GenesisMemberSpec
{
    /// Kind of member.
    enum Kind
    {
        NODE_ID,   //!< a node id
        NODE_NAME, //!< a Names name or end-host name
        PREFIX     //!< an IPv4 prefix "a.b.c.d/len"
    };

    Kind kind{NODE_ID};       //!< kind
    uint32_t nodeId{0};       //!< NODE_ID
    std::string name;         //!< NODE_NAME
    Ipv4Address prefix;       //!< PREFIX
    Ipv4Mask mask;            //!< PREFIX
    GenesisLocation location; //!< where
};

/**
 * \ingroup genesis
 * \brief A transport module of the network (paper §III-A-1).
 */
struct GenesisModuleSpec
{
    /// Module categories.
    enum Category
    {
        ENCAPSULATOR,
        FORWARDER,
        CLASSIFIER,
        PROCESSOR,
        SCHEDULER
    };

    /// Where the module binds.
    enum Attachment
    {
        PORT,  //!< on routelet ports
        ENGINE //!< on the routelet's forwarding engine
    };

    Category category{SCHEDULER}; //!< category
    Attachment on{PORT};          //!< port or engine
    std::string routelet;         //!< routelet name ("" = every routelet)
    std::string link;             //!< PORT only: the port on this link ("" = every port)
    GenesisObjectSpec object;     //!< TypeId and attributes
    GenesisLocation location;     //!< where the entry starts

    /// \return "encapsulator", "forwarder", ...
    static const char* CategoryName(Category c);
    /// \return the TypeId names one of which a module of category \p c must derive from
    static std::vector<std::string> CategoryBases(Category c);
};

/**
 * \ingroup genesis
 * \brief Limits a network sets for what it may spawn (its policy).
 */
struct GenesisPolicySpec
{
    bool hasMaxDepth{false};    //!< max_depth given
    uint32_t maxDepth{0};       //!< deepest nesting below this network
    bool hasMaxChildren{false}; //!< max_children given
    uint32_t maxChildren{0};    //!< most children at once
    bool hasMaxRate{false};     //!< max_rate given
    DataRate maxRate;           //!< largest rate a child may ask per link
    GenesisLocation location;   //!< where the policy is
};

/**
 * \ingroup genesis
 * \brief A bid in the parent's capacity auction (resource management, §V-C-4).
 */
struct GenesisBidSpec
{
    double price{0};          //!< unit price, currency units per Mbit/s per interval
    DataRate quantity;        //!< capacity asked on every parent device the network uses
    GenesisLocation location; //!< where the bid is
};

/**
 * \ingroup genesis
 * \brief The network's own resource management: maestro, auctioneer, monitors.
 * Absent: inherited from the parent's maestro (when the parent has one).
 */
struct GenesisManagementSpec
{
    bool hasMaestro{false};       //!< maestro given
    GenesisObjectSpec maestro;    //!< a GenesisMaestro TypeId with attributes
    bool hasAuctioneer{false};    //!< auctioneer given
    GenesisObjectSpec auctioneer; //!< a GenesisAuctioneer TypeId with attributes
    bool hasMonitor{false};       //!< monitor given
    GenesisObjectSpec monitor;    //!< a GenesisMonitor TypeId with attributes
    GenesisLocation location;     //!< where the section is
};

/**
 * \ingroup genesis
 * \brief One event of the executable timeline.
 */
struct GenesisTimelineEvent
{
    /// What happens.
    enum Action
    {
        SPAWN,       //!< spawn a child from a profile
        SET,         //!< Config::Set a path to a value
        REPROVISION, //!< change the rate of a link or of the network
        TEARDOWN,    //!< tear a network down
        REPLACE,     //!< replace a transport module of this network while it runs
        BID          //!< change the network's bid in its parent's auction
    };

    Time at;                 //!< when (simulation time)
    std::string atText;      //!< "at" as written
    Action action{SPAWN};    //!< what
    std::string profile;     //!< SPAWN: path as written (relative to this file)
    std::string profilePath; //!< SPAWN: path resolved against this file's directory
    std::string path;        //!< SET: Config path
    std::string value;       //!< SET: value
    std::string link;        //!< REPROVISION: link name ("" when network is used)
    std::string network;     //!< REPROVISION / TEARDOWN: network name ("" = this network)
    DataRate rate;           //!< REPROVISION: new rate; BID: quantity
    double price{0};         //!< BID: unit price
    /// REPLACE: the new module (category scheduler or processor; routelet and
    /// link scope a processor)
    GenesisModuleSpec module;
    bool keepQueued{true};    //!< REPLACE: keep (true) or drop the queued packets
    GenesisLocation location; //!< where the event starts
};

/**
 * \ingroup genesis
 * \brief A profiling script (paper §V-A), schema version 1, as plain data.
 *
 * Produced by GenesisProfileReader; consumed by a verifier and a spawner.
 * Every element keeps the GenesisLocation it came from, so that later checks
 * can report problems against the script.
 */
struct GenesisProfile
{
    /// What a network may inherit from its parent.
    enum Inheritable
    {
        INHERIT_MODULES,
        INHERIT_POLICY,
        INHERIT_SCHEDULER,
        INHERIT_MANAGEMENT
    };

    uint32_t schemaVersion{0};       //!< schema version (1)
    std::string file;                //!< the file it was read from
    std::string name;                //!< network name
    std::string parent;              //!< parent network name ("" = who spawns it)
    bool hasAddressSpace{false};     //!< address_space given
    Ipv4Address addressBase;         //!< address space prefix
    Ipv4Mask addressMask;            //!< address space mask
    uint32_t addressPrefixLength{0}; //!< prefix length
    ArbitratorQueueDiscClass::CapacityClass capacityClass{
        ArbitratorQueueDiscClass::CONTROLLED}; //!< class
    DataRate rate{DataRate("1Mbps")};          //!< default link rate
    double share{1.0};                         //!< best-effort weight
    uint32_t burst{1600};                      //!< constant-class bucket depth, bytes
    bool hasScheduler{false};                  //!< scheduler given
    GenesisObjectSpec scheduler; //!< own output scheduler (a QueueDisc), default ns3::FifoQueueDisc
    bool completePaths{true};    //!< the profiler completes links over the parent topology
    std::vector<GenesisRouteletSpec> routelets; //!< routelets
    std::vector<GenesisLinkSpec> links;         //!< links
    std::vector<GenesisEndHostSpec> hosts;      //!< attached end hosts
    std::vector<GenesisMemberSpec> membership;  //!< who may attach (empty: anyone)
    std::vector<GenesisModuleSpec> modules;     //!< transport modules
    std::vector<Inheritable> inherit;           //!< inherited from the parent
    GenesisPolicySpec policy;                   //!< policy
    bool hasBid{false};                         //!< a bid is given
    GenesisBidSpec bid;                         //!< bid in the parent's auction
    bool hasManagement{false};                  //!< a management section replaces the inherited one
    GenesisManagementSpec management;           //!< own resource management
    std::vector<GenesisTimelineEvent> timeline; //!< timeline, in file order
    GenesisLocation location;                   //!< the document

    GenesisProfile();

    /// \return the routelet named \p name, or null
    const GenesisRouteletSpec* FindRoutelet(const std::string& name) const;
    /// \return the link named \p name, or null
    const GenesisLinkSpec* FindLink(const std::string& name) const;
    /// \return true when \p what is in the inherit list
    bool Inherits(Inheritable what) const;
};

} // namespace ns3

#endif /* GENESIS_PROFILE_H */
