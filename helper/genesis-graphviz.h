/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_GRAPHVIZ_H
#define GENESIS_GRAPHVIZ_H

#include "ns3/virtual-network.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class SqliteDatabase;

/**
 * \ingroup genesis
 *
 * \brief Graphviz pictures of a Genesis run: the inheritance tree of the
 * networks and the topology of each network, as DOT text, and as SVG when the
 * Graphviz `dot` program (Debian package graphviz) is installed.
 *
 * Both pictures are made from a live VirtualNetwork tree or from a run
 * database (the SQLite file of GenesisProfileDatabase); the two give the
 * same DOT text for the same state, except that end hosts are only known to
 * the live tree (the database has no end-host table). The DOT text is
 * written by Boost.Graph's write_graphviz.
 *
 * * Tree: one node per network (name, capacity class, default link rate,
 *   state), an edge from each parent to each child. Torn-down networks are
 *   drawn dashed and grey, defined (never spawned or refused) ones dotted.
 * * Topology of a network: one node per routelet, labelled with its name (if
 *   any) and its host node ("n3"); one edge per virtual link labelled with
 *   its rate and its delay (the sum of the channel delays along its physical
 *   path). For the root network the routelets are the physical nodes and the
 *   edges the physical links (rate: the root arbitrator's LinkRate). End
 *   hosts of a child (live tree only) are boxes joined by their access links.
 */
class GenesisGraphviz
{
  public:
    /// \return the DOT text of the inheritance tree below \p root (any network of the tree)
    static std::string TreeDot(Ptr<VirtualNetwork> root);
    /// \return the DOT text of the topology of \p net
    static std::string TopologyDot(Ptr<VirtualNetwork> net);
    /**
     * \return the DOT text of the inheritance tree recorded in \p db
     * \throws GenesisError when \p db is no Genesis run database
     */
    static std::string TreeDot(SqliteDatabase& db);
    /**
     * \return the DOT text of the topology of network \p networkId recorded in \p db
     * \throws GenesisError when the network is not recorded
     */
    static std::string TopologyDot(SqliteDatabase& db, int64_t networkId);

    /**
     * \brief Write the tree of \p root to \p path (DOT).
     * \throws GenesisError when the file cannot be written
     */
    static void WriteTree(Ptr<VirtualNetwork> root, const std::string& path);
    /**
     * \brief Write the topology of \p net to \p path (DOT).
     * \throws GenesisError when the file cannot be written
     */
    static void WriteTopology(Ptr<VirtualNetwork> net, const std::string& path);
    /**
     * \brief Write every picture of the live tree of \p root: `<prefix>tree.dot`
     * and `<prefix>net-<name>.dot` for each network, and the `.svg` beside
     * each when `dot` is installed and \p svg is true.
     * \return the files written
     * \throws GenesisError when a file cannot be written or dot fails
     */
    static std::vector<std::string> WriteAll(Ptr<VirtualNetwork> root,
                                             const std::string& prefix,
                                             bool svg = true);
    /// \copydoc WriteAll(Ptr<VirtualNetwork>,const std::string&,bool)
    static std::vector<std::string> WriteAll(SqliteDatabase& db,
                                             const std::string& prefix,
                                             bool svg = true);

    /// \return true when the Graphviz `dot` program is on the PATH
    static bool HaveDot();
    /**
     * \brief Lay out \p dot with Graphviz `dot -Tsvg`.
     * \return the SVG document
     * \throws GenesisError naming the Debian package graphviz when dot is not
     *         installed, or with dot's message when it refuses the text
     */
    static std::string ToSvg(const std::string& dot);
    /**
     * \brief Convert the DOT file \p dotPath to the SVG file \p svgPath.
     * \throws GenesisError as ToSvg, or when a file cannot be read or written
     */
    static void WriteSvg(const std::string& dotPath, const std::string& svgPath);

    /// \return \p name as a DOT-safe file name part (letters, digits, '-', '_', '.'; others '_')
    static std::string FileNamePart(const std::string& name);
};

} // namespace ns3

#endif /* GENESIS_GRAPHVIZ_H */
