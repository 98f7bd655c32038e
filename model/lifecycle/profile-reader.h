/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_PROFILE_READER_H
#define GENESIS_PROFILE_READER_H

#include "profile.h"

#include "ns3/type-id.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup genesis
 * \brief One problem found in a profiling script, reported like a compiler.
 */
struct GenesisDiagnostic
{
    /// How bad it is.
    enum Severity
    {
        WARNING, //!< the profile is usable, but probably not what was meant
        ERROR    //!< the profile must not be used
    };

    GenesisLocation location; //!< where
    Severity severity{ERROR}; //!< how bad
    std::string message;      //!< what is wrong
    std::string hint;         //!< how to fix it (may be empty)

    /// \return "file:line:column: error: message (hint: hint)"
    std::string ToString() const;
};

/**
 * \ingroup genesis
 * \brief What GenesisProfileReader returns: the model and every problem found.
 */
struct GenesisProfileReadResult
{
    GenesisProfile profile;                     //!< the model (partial when there are errors)
    std::vector<GenesisDiagnostic> diagnostics; //!< every problem, in file order

    /// \return true when no diagnostic is an error
    bool Ok() const;
    /// \return the number of errors
    std::size_t GetNErrors() const;
    /// \return the number of warnings
    std::size_t GetNWarnings() const;
    /// \return every diagnostic's ToString(), one per line
    std::string Format() const;
};

/**
 * \ingroup genesis
 * \brief Reads a profiling script (YAML, schema version 1) into a
 * GenesisProfile, checking everything that needs no parent network.
 *
 * The reader never stops at the first problem and never aborts: it reports
 * YAML syntax errors, unknown keys (with a "did you mean" hint), missing
 * keys, wrong types, bad names, rates, times and prefixes, an unknown schema
 * version, duplicate routelet, link and host names, links and hosts naming
 * unknown routelets, TypeIds unknown or of the wrong base class, unknown
 * attributes and attribute values the attribute's checker rejects, and
 * timeline events in the past or out of order (a warning). Checks that need
 * the parent topology, the address plan of the siblings or admission are
 * the verifier's.
 */
class GenesisProfileReader
{
  public:
    /// The schema version this reader understands.
    static constexpr uint32_t SCHEMA_VERSION = 1;

    /**
     * \brief Read a profile from a file.
     * \param path file name; relative spawn paths are resolved against its directory
     * \return the model and the diagnostics (a diagnostic when the file cannot be read)
     */
    static GenesisProfileReadResult ReadFile(const std::string& path);

    /**
     * \brief Read a profile from text.
     * \param text the YAML text
     * \param fileName name used in locations and to resolve relative spawn paths
     * \return the model and the diagnostics
     */
    static GenesisProfileReadResult ReadString(const std::string& text,
                                               const std::string& fileName = "<string>");

    /**
     * \brief Read a profile from a file, throwing when it has errors.
     * \param path file name
     * \return the model (warnings are dropped)
     * \throws GenesisError carrying every diagnostic, one per line
     */
    static GenesisProfile ReadFileOrThrow(const std::string& path);

    /// \copydoc ReadFileOrThrow
    static GenesisProfile ReadStringOrThrow(const std::string& text,
                                            const std::string& fileName = "<string>");

    /**
     * \brief Check an attribute value of a TypeId without ever aborting.
     * \param tid the TypeId
     * \param name attribute name
     * \param value value text
     * \param[out] problem what is wrong, when false is returned
     * \param[out] hint how to fix it
     * \return true when ObjectFactory may be given this value safely
     */
    static bool CheckAttribute(TypeId tid,
                               const std::string& name,
                               const std::string& value,
                               std::string* problem,
                               std::string* hint);

    /**
     * \brief Parse an ns-3 time ("2s", "100ms", "1.5min") without aborting.
     * \param text the text
     * \param[out] t the time
     * \return false when the text is not a number followed by an ns-3 time unit
     */
    static bool ParseTime(const std::string& text, Time* t);

    /// \return the Levenshtein distance between \p a and \p b
    static std::size_t EditDistance(const std::string& a, const std::string& b);
};

} // namespace ns3

#endif /* GENESIS_PROFILE_READER_H */
