/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_CONFIG_DIRECTORY_H
#define GENESIS_CONFIG_DIRECTORY_H

#include "ns3/object.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 *
 * \brief A level of the /Genesis Config namespace whose entries are named
 * objects that come and go: /Genesis/Networks/<network>,
 * .../Routelets/<routelet>, .../Links/<link>.
 *
 * Why not ns-3's Names: the Config resolver consults `Names::Find(root, item)`
 * at every path level, but ns-3.37's Names has no way to remove a name
 * (only Add, Rename and Clear of everything): a torn-down network would stay
 * reachable, and alive, for the rest of the process. The resolver also
 * matches an item against the attribute names of the object's TypeId (and `*`
 * against all of them), following Pointer attributes. So a directory is an
 * object whose kind TypeId gets one read-only Pointer attribute per name ever
 * entered at that kind of level; the attribute's accessor returns the object
 * currently entered under that name in *this* directory, or null. A null
 * pointer does not match, so Remove() makes the path stop matching at once and
 * the directory keeps no reference; `*` enumerates the entries present, and
 * the matched path names the entry ("/Genesis/Networks/video/...").
 *
 * The directories are reached from one Config root namespace object, created
 * with the first metabus of a simulation and unregistered by
 * Simulator::Destroy (as ns-3's NodeList is).
 */
class GenesisConfigDirectory : public Object
{
  public:
    /// The kind of a directory: decides its TypeId and so the names it may match.
    enum Kind
    {
        ROOT,      //!< the Config root namespace object ("Genesis")
        GENESIS,   //!< /Genesis ("Networks")
        NETWORKS,  //!< /Genesis/Networks/<network>
        ROUTELETS, //!< .../Routelets/<routelet>
        LINKS      //!< .../Links/<link>
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    /// \param kind the kind \return the TypeId of directories of that kind
    static TypeId GetKindTypeId(Kind kind);

    /// \param kind the kind of this directory
    explicit GenesisConfigDirectory(Kind kind = NETWORKS);
    ~GenesisConfigDirectory() override;

    TypeId GetInstanceTypeId() const override;

    /**
     * \brief Enter an object under a name.
     * \throws GenesisError for a name that cannot be a Config path segment,
     *         a duplicate name or a null object
     */
    void Add(const std::string& name, Ptr<Object> object);
    /// Remove a name (unknown names are ignored).
    void Remove(const std::string& name);
    /// \return the object entered under \p name, or null
    Ptr<Object> Find(const std::string& name) const;
    /// \return the names entered, sorted
    std::vector<std::string> GetNames() const;
    /// Remove every entry.
    void Clear();

    /**
     * \brief Check that a name can be one segment of a Config path.
     * \param name the name
     * \return "" when it can, otherwise what is wrong with it
     */
    static std::string CheckSegment(const std::string& name);

    /**
     * \brief The /Genesis/Networks directory of the running simulation.
     *
     * Created (and the /Genesis root registered with Config) on first use;
     * Simulator::Destroy unregisters and forgets it.
     * \return the directory
     */
    static Ptr<GenesisConfigDirectory> GetNetworks();
    /// \return the /Genesis/Networks directory if it exists, else null (never creates it)
    static Ptr<GenesisConfigDirectory> PeekNetworks();

  protected:
    void DoDispose() override;

  private:
    static void DestroyNamespace();

    Kind m_kind;                                  //!< kind
    std::map<std::string, Ptr<Object>> m_entries; //!< entries by name
};

} // namespace ns3

#endif /* GENESIS_CONFIG_DIRECTORY_H */
