/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "profile-reader.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/genesis-error.h"
#include "ns3/genesis-helper.h"
#include "ns3/integer.h"
#include "ns3/log.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisProfileReader");

std::string
GenesisDiagnostic::ToString() const
{
    std::string s =
        location.ToString() + ": " + (severity == ERROR ? "error" : "warning") + ": " + message;
    if (!hint.empty())
    {
        s += " (hint: " + hint + ")";
    }
    return s;
}

bool
GenesisProfileReadResult::Ok() const
{
    return GetNErrors() == 0;
}

std::size_t
GenesisProfileReadResult::GetNErrors() const
{
    return std::count_if(diagnostics.begin(), diagnostics.end(), [](const GenesisDiagnostic& d) {
        return d.severity == GenesisDiagnostic::ERROR;
    });
}

std::size_t
GenesisProfileReadResult::GetNWarnings() const
{
    return diagnostics.size() - GetNErrors();
}

std::string
GenesisProfileReadResult::Format() const
{
    std::string s;
    for (const auto& d : diagnostics)
    {
        s += d.ToString() + "\n";
    }
    return s;
}

std::size_t
GenesisProfileReader::EditDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
    {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i)
    {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
        {
            std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

namespace
{

/// Closest candidate to \p word within a small edit distance, or "".
std::string
Closest(const std::string& word, const std::vector<std::string>& candidates)
{
    std::string best;
    std::size_t bestD = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates)
    {
        std::size_t d = GenesisProfileReader::EditDistance(word, c);
        if (d < bestD)
        {
            bestD = d;
            best = c;
        }
    }
    return best;
}

std::string
DidYouMean(const std::string& word, const std::vector<std::string>& candidates)
{
    std::string c = Closest(word, candidates);
    return c.empty() ? "" : "did you mean '" + c + "'?";
}

std::string
Join(const std::vector<std::string>& v, const std::string& sep = ", ")
{
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i)
    {
        s += (i ? sep : "") + v[i];
    }
    return s;
}

bool
ParseUint64(const std::string& s, uint64_t* v)
{
    if (s.empty() || s.size() > 20)
    {
        return false;
    }
    uint64_t r = 0;
    for (char c : s)
    {
        if (!std::isdigit(static_cast<unsigned char>(c)))
        {
            return false;
        }
        uint64_t d = static_cast<uint64_t>(c - '0');
        if (r > (UINT64_MAX - d) / 10)
        {
            return false;
        }
        r = r * 10 + d;
    }
    *v = r;
    return true;
}

bool
ParseInt64(const std::string& s, int64_t* v)
{
    bool neg = !s.empty() && s[0] == '-';
    std::string digits = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
    uint64_t u;
    if (!ParseUint64(digits, &u) || u > static_cast<uint64_t>(INT64_MAX))
    {
        return false;
    }
    *v = neg ? -static_cast<int64_t>(u) : static_cast<int64_t>(u);
    return true;
}

bool
ParseDouble(const std::string& s, double* v)
{
    static const std::regex re("[+-]?[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?");
    if (!std::regex_match(s, re))
    {
        return false;
    }
    *v = std::strtod(s.c_str(), nullptr);
    return std::isfinite(*v);
}

bool
ParseIpv4(const std::string& s, Ipv4Address* a)
{
    static const std::regex re("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    std::smatch m;
    if (!std::regex_match(s, m, re))
    {
        return false;
    }
    uint32_t v = 0;
    for (int i = 1; i <= 4; ++i)
    {
        int octet = std::stoi(m[i].str());
        if (octet > 255)
        {
            return false;
        }
        v = (v << 8) | static_cast<uint32_t>(octet);
    }
    *a = Ipv4Address(v);
    return true;
}

/// "a.b.c.d/len" → prefix, length; false when malformed.
bool
ParsePrefix(const std::string& s, Ipv4Address* a, uint32_t* len)
{
    std::size_t slash = s.find('/');
    uint64_t l;
    if (slash == std::string::npos || !ParseIpv4(s.substr(0, slash), a) ||
        !ParseUint64(s.substr(slash + 1), &l) || l > 32)
    {
        return false;
    }
    *len = static_cast<uint32_t>(l);
    return true;
}

Ipv4Mask
MaskOf(uint32_t len)
{
    return Ipv4Mask(len == 0 ? 0u : ~0u << (32 - len));
}

bool
ValidName(const std::string& s)
{
    static const std::regex re("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    return std::regex_match(s, re);
}

const char* const CLASS_NAMES[] = {"constant", "controlled", "best-effort"};

bool
ParseClass(const std::string& s, ArbitratorQueueDiscClass::CapacityClass* c)
{
    for (int i = 0; i < 3; ++i)
    {
        if (s == CLASS_NAMES[i])
        {
            *c = static_cast<ArbitratorQueueDiscClass::CapacityClass>(i);
            return true;
        }
    }
    return false;
}

/// The reader's working state for one document.
class Reader
{
  public:
    Reader(const std::string& file, GenesisProfileReadResult& out)
        : m_file(file),
          m_out(out),
          m_p(out.profile)
    {
        m_p.file = file;
    }

    void ReadDocument(const YAML::Node& root);

    GenesisLocation Loc(const YAML::Node& n) const
    {
        GenesisLocation l;
        l.file = m_file;
        YAML::Mark m = n.Mark();
        if (m.line >= 0 && m.column >= 0)
        {
            l.line = static_cast<uint32_t>(m.line) + 1;
            l.column = static_cast<uint32_t>(m.column) + 1;
        }
        return l;
    }

    void Report(const GenesisLocation& l,
                GenesisDiagnostic::Severity sev,
                const std::string& msg,
                const std::string& hint)
    {
        GenesisDiagnostic d;
        d.location = l;
        d.severity = sev;
        d.message = msg;
        d.hint = hint;
        m_out.diagnostics.push_back(d);
    }

    void Error(const GenesisLocation& l, const std::string& msg, const std::string& hint = "")
    {
        Report(l, GenesisDiagnostic::ERROR, msg, hint);
    }

    void Warning(const GenesisLocation& l, const std::string& msg, const std::string& hint = "")
    {
        Report(l, GenesisDiagnostic::WARNING, msg, hint);
    }

  private:
    /// A key of a map and its value.
    struct Entry
    {
        YAML::Node key;   //!< the key node
        YAML::Node value; //!< the value node
    };

    typedef std::map<std::string, Entry> Entries;

    static std::string KindOf(const YAML::Node& n)
    {
        switch (n.Type())
        {
        case YAML::NodeType::Map:
            return "a map";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Scalar:
            return "'" + n.Scalar() + "'";
        default:
            return "empty";
        }
    }

    bool ExpectMap(const YAML::Node& n, const std::string& what)
    {
        if (n.IsMap())
        {
            return true;
        }
        Error(Loc(n),
              what + " must be a map of keys, not " + KindOf(n),
              "write 'key: value' lines indented below it");
        return false;
    }

    bool ExpectSeq(const YAML::Node& n, const std::string& what)
    {
        if (n.IsSequence())
        {
            return true;
        }
        Error(Loc(n),
              what + " must be a list, not " + KindOf(n),
              "write one '- item' per line, or [a, b]");
        return false;
    }

    bool ExpectScalar(const YAML::Node& n, const std::string& what)
    {
        if (n.IsScalar())
        {
            return true;
        }
        Error(Loc(n), what + " must be a single value, not " + KindOf(n));
        return false;
    }

    /// Check the keys of a map: unknown, duplicate, missing required.
    Entries Keys(const YAML::Node& map,
                 const std::string& what,
                 const std::vector<std::string>& allowed,
                 const std::vector<std::string>& required)
    {
        Entries e;
        for (auto it = map.begin(); it != map.end(); ++it)
        {
            YAML::Node k = it->first; // a copy: it-> yields a temporary
            YAML::Node val = it->second;
            if (!k.IsScalar())
            {
                Error(Loc(k), "a key of " + what + " must be a name, not " + KindOf(k));
                continue;
            }
            std::string name = k.Scalar();
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            {
                std::string hint = DidYouMean(name, allowed);
                if (hint.empty())
                {
                    hint = "known keys: " + Join(allowed);
                }
                Error(Loc(k), "unknown key '" + name + "' in " + what, hint);
                continue;
            }
            if (e.count(name))
            {
                auto first = Loc(e[name].key);
                Error(Loc(k),
                      "duplicate key '" + name + "' in " + what,
                      "first given at line " + std::to_string(first.line) + "; keep one");
                continue;
            }
            e[name] = Entry{k, val};
        }
        for (const auto& r : required)
        {
            if (!e.count(r))
            {
                Error(Loc(map), what + " has no '" + r + "'", "add '" + r + ": ...'");
            }
        }
        return e;
    }

    bool GetString(const YAML::Node& n, const std::string& what, std::string* s)
    {
        if (!ExpectScalar(n, what))
        {
            return false;
        }
        *s = n.Scalar();
        return true;
    }

    bool GetName(const YAML::Node& n, const std::string& what, std::string* s)
    {
        if (!GetString(n, what, s))
        {
            return false;
        }
        if (!ValidName(*s))
        {
            Error(Loc(n),
                  what + " '" + *s + "' is not a valid name",
                  "use letters, digits, '_', '.' and '-', starting with a letter, digit or '_'");
            return false;
        }
        return true;
    }

    bool GetUint(const YAML::Node& n, const std::string& what, uint32_t* v)
    {
        std::string s;
        if (!GetString(n, what, &s))
        {
            return false;
        }
        uint64_t u;
        if (!ParseUint64(s, &u) || u > UINT32_MAX)
        {
            Error(Loc(n),
                  what + " '" + s + "' is not a whole number in [0, 4294967295]",
                  "write digits only, e.g. 3");
            return false;
        }
        *v = static_cast<uint32_t>(u);
        return true;
    }

    bool GetRate(const YAML::Node& n, const std::string& what, DataRate* r)
    {
        std::string s;
        if (!GetString(n, what, &s))
        {
            return false;
        }
        if (s.find_first_of(" \t") != std::string::npos)
        {
            Error(Loc(n),
                  what + " '" + s + "' contains a space",
                  "write the number and the unit together, e.g. 4Mbps");
            return false;
        }
        try
        {
            *r = GenesisHelper::ParseRate(s, what);
            return true;
        }
        catch (const GenesisError& e)
        {
            Error(Loc(n),
                  what + " '" + s + "' is not a rate",
                  "write a number and a unit (bps, kbps, Mbps, Gbps, ...), e.g. 4Mbps");
            return false;
        }
    }

    bool GetTime(const YAML::Node& n, const std::string& what, Time* t, std::string* text)
    {
        std::string s;
        if (!GetString(n, what, &s))
        {
            return false;
        }
        *text = s;
        if (!GenesisProfileReader::ParseTime(s, t))
        {
            Error(Loc(n),
                  what + " '" + s + "' is not a time",
                  "write a number and an ns-3 time unit (s, ms, us, ns, min, h), e.g. 2s");
            return false;
        }
        return true;
    }

    bool GetClass(const YAML::Node& n,
                  const std::string& what,
                  ArbitratorQueueDiscClass::CapacityClass* c)
    {
        std::string s;
        if (!GetString(n, what, &s))
        {
            return false;
        }
        if (!ParseClass(s, c))
        {
            std::string hint = DidYouMean(s, {"constant", "controlled", "best-effort"});
            Error(Loc(n),
                  what + " '" + s + "' is not a capacity class",
                  hint.empty() ? "use constant, controlled or best-effort" : hint);
            return false;
        }
        return true;
    }

    bool GetHostRef(const YAML::Node& n, const std::string& what, GenesisHostRef* h)
    {
        std::string s;
        if (!GetString(n, what, &s))
        {
            return false;
        }
        h->location = Loc(n);
        uint64_t id;
        if (ParseUint64(s, &id))
        {
            if (id > UINT32_MAX)
            {
                Error(Loc(n), what + " " + s + " is not a node id", "node ids are 32-bit");
                return false;
            }
            h->byId = true;
            h->nodeId = static_cast<uint32_t>(id);
            return true;
        }
        if (s.empty() || s.find_first_of(" \t") != std::string::npos)
        {
            Error(Loc(n),
                  what + " '" + s + "' is neither a node id nor a name",
                  "write a node id (e.g. 3) or a name given with ns3::Names::Add");
            return false;
        }
        h->byId = false;
        h->name = s;
        return true;
    }

    void ReadObject(const YAML::Node& n,
                    const std::string& what,
                    const std::vector<std::string>& bases,
                    GenesisObjectSpec* o);
    void ReadObjectEntries(const YAML::Node& typeNode,
                           const YAML::Node& attrs,
                           const std::string& what,
                           const std::vector<std::string>& bases,
                           GenesisObjectSpec* o,
                           bool hasType);
    void ReadCapacity(const YAML::Node& n);
    void ReadTopology(const YAML::Node& n);
    void ReadRoutelet(const YAML::Node& n);
    void ReadLink(const YAML::Node& n);
    void ReadHost(const YAML::Node& n);
    void ReadMembership(const YAML::Node& n);
    void ReadModule(const YAML::Node& n);
    void ReadInherit(const YAML::Node& n);
    void ReadPolicy(const YAML::Node& n);
    void ReadEvent(const YAML::Node& n);
    void ReadBid(const YAML::Node& n);
    bool ReadBidFields(const YAML::Node& n, const std::string& what, double* price, DataRate* qty);
    void ReadManagement(const YAML::Node& n);
    void ReadManagedObject(const YAML::Node& n,
                           const std::string& what,
                           const std::string& base,
                           bool exactAllowed,
                           GenesisObjectSpec* spec);
    void CrossCheck();

    std::string m_file;
    GenesisProfileReadResult& m_out;
    GenesisProfile& m_p;
};

void
Reader::ReadDocument(const YAML::Node& root)
{
    m_p.location = Loc(root);
    if (!root.IsMap())
    {
        Error(Loc(root),
              "a profile must be a map of keys, not " + KindOf(root),
              "start with 'schema_version: 1' and 'name: ...'");
        return;
    }
    // The version first: a file of another schema is not read any further.
    for (auto it = root.begin(); it != root.end(); ++it)
    {
        YAML::Node k = it->first;
        YAML::Node v = it->second;
        uint64_t version;
        if (k.IsScalar() && k.Scalar() == "schema_version" && v.IsScalar() &&
            ParseUint64(v.Scalar(), &version) && version != GenesisProfileReader::SCHEMA_VERSION)
        {
            Error(Loc(v),
                  "unknown schema_version " + v.Scalar(),
                  "this reader understands schema_version 1; the rest of the file was not read");
            return;
        }
    }
    Entries e = Keys(root,
                     "the profile",
                     {"schema_version",
                      "name",
                      "parent",
                      "address_space",
                      "capacity",
                      "scheduler",
                      "topology",
                      "membership",
                      "modules",
                      "inherit",
                      "policy",
                      "bid",
                      "management",
                      "timeline"},
                     {"schema_version", "name"});
    if (e.count("schema_version"))
    {
        const YAML::Node& v = e["schema_version"].value;
        uint32_t version = 0;
        if (GetUint(v, "schema_version", &version))
        {
            m_p.schemaVersion = version; // 1: any other number was refused above
        }
    }
    if (e.count("name"))
    {
        GetName(e["name"].value, "name", &m_p.name);
    }
    if (e.count("parent"))
    {
        GetName(e["parent"].value, "parent", &m_p.parent);
    }
    if (e.count("address_space"))
    {
        const YAML::Node& v = e["address_space"].value;
        std::string s;
        if (GetString(v, "address_space", &s))
        {
            Ipv4Address a;
            uint32_t len;
            if (!ParsePrefix(s, &a, &len))
            {
                Error(Loc(v),
                      "address_space '" + s + "' is not an IPv4 prefix",
                      "write address/length, e.g. 10.2.0.0/16");
            }
            else if (a.CombineMask(MaskOf(len)) != a)
            {
                std::ostringstream fixed;
                fixed << a.CombineMask(MaskOf(len)) << "/" << len;
                Error(Loc(v),
                      "address_space '" + s + "' has host bits set",
                      "write " + fixed.str());
            }
            else
            {
                m_p.hasAddressSpace = true;
                m_p.addressBase = a;
                m_p.addressPrefixLength = len;
                m_p.addressMask = MaskOf(len);
            }
        }
    }
    if (e.count("capacity"))
    {
        ReadCapacity(e["capacity"].value);
    }
    if (e.count("scheduler"))
    {
        m_p.hasScheduler = true;
        ReadObject(e["scheduler"].value,
                   "scheduler",
                   GenesisModuleSpec::CategoryBases(GenesisModuleSpec::SCHEDULER),
                   &m_p.scheduler);
    }
    if (e.count("topology"))
    {
        ReadTopology(e["topology"].value);
    }
    if (e.count("membership"))
    {
        ReadMembership(e["membership"].value);
    }
    if (e.count("modules") && ExpectSeq(e["modules"].value, "modules"))
    {
        for (const auto& m : e["modules"].value)
        {
            ReadModule(m);
        }
    }
    if (e.count("inherit"))
    {
        ReadInherit(e["inherit"].value);
    }
    if (e.count("policy"))
    {
        ReadPolicy(e["policy"].value);
    }
    if (e.count("bid"))
    {
        ReadBid(e["bid"].value);
    }
    if (e.count("management"))
    {
        ReadManagement(e["management"].value);
        if (m_p.hasManagement && m_p.Inherits(GenesisProfile::INHERIT_MANAGEMENT))
        {
            Error(Loc(e["management"].key),
                  "the profile both inherits 'management' and gives its own",
                  "remove 'management' from inherit, or remove the management section");
        }
    }
    if (e.count("timeline") && ExpectSeq(e["timeline"].value, "timeline"))
    {
        for (const auto& ev : e["timeline"].value)
        {
            ReadEvent(ev);
        }
    }
    CrossCheck();
}

void
Reader::ReadObject(const YAML::Node& n,
                   const std::string& what,
                   const std::vector<std::string>& bases,
                   GenesisObjectSpec* o)
{
    YAML::Node typeNode;
    YAML::Node attrs;
    bool hasType = false;
    if (n.IsScalar())
    {
        typeNode = n; // shorthand: just the TypeId name
        hasType = true;
    }
    else if (n.IsNull())
    {
        Error(Loc(n), what + " is empty", "give a TypeId name, or 'type:' and 'attributes:'");
        return;
    }
    else
    {
        if (!ExpectMap(n, what))
        {
            return;
        }
        Entries e = Keys(n, what, {"type", "attributes"}, {"type"});
        if (e.count("type"))
        {
            typeNode = e["type"].value;
            hasType = true;
        }
        if (e.count("attributes"))
        {
            attrs = e["attributes"].value;
        }
    }
    ReadObjectEntries(typeNode, attrs, what, bases, o, hasType);
}

void
Reader::ReadObjectEntries(const YAML::Node& typeNode,
                          const YAML::Node& attrs,
                          const std::string& what,
                          const std::vector<std::string>& bases,
                          GenesisObjectSpec* o,
                          bool hasType)
{
    bool typeOk = false;
    TypeId tid;
    if (hasType && GetString(typeNode, what + " type", &o->typeId))
    {
        o->location = Loc(typeNode);
        std::vector<std::string> candidates;
        for (uint32_t i = 0; i < TypeId::GetRegisteredN(); ++i)
        {
            TypeId t = TypeId::GetRegistered(i);
            for (const auto& b : bases)
            {
                TypeId bt;
                if (TypeId::LookupByNameFailSafe(b, &bt) && t.IsChildOf(bt) && t.HasConstructor())
                {
                    candidates.push_back(t.GetName());
                    break;
                }
            }
        }
        if (!TypeId::LookupByNameFailSafe(o->typeId, &tid))
        {
            std::string hint = DidYouMean(o->typeId, candidates);
            Error(Loc(typeNode),
                  what + ": unknown TypeId '" + o->typeId + "'",
                  hint.empty()
                      ? "give a registered TypeId name derived from " + Join(bases, " or ") +
                            ", e.g. " + (candidates.empty() ? bases[0] : candidates[0])
                      : hint);
        }
        else
        {
            bool derived = false;
            for (const auto& b : bases)
            {
                TypeId bt;
                derived = derived || (TypeId::LookupByNameFailSafe(b, &bt) && tid.IsChildOf(bt));
            }
            if (!derived)
            {
                Error(Loc(typeNode),
                      what + ": '" + o->typeId + "' is not a " + Join(bases, " or "),
                      "a " + what + " must derive from " + Join(bases, " or "));
            }
            else if (!tid.HasConstructor())
            {
                Error(Loc(typeNode),
                      what + ": '" + o->typeId + "' cannot be created (abstract)",
                      "name a concrete subclass");
            }
            else
            {
                typeOk = true;
            }
        }
    }
    if (attrs.IsDefined() && !attrs.IsNull() && ExpectMap(attrs, what + " attributes"))
    {
        std::set<std::string> seen;
        for (auto it = attrs.begin(); it != attrs.end(); ++it)
        {
            GenesisAttributeSpec a;
            YAML::Node key = it->first;
            YAML::Node val = it->second;
            a.location = Loc(key);
            if (!GetString(key, what + " attribute name", &a.name) ||
                !GetString(val, what + " attribute '" + a.name + "'", &a.value))
            {
                continue;
            }
            if (!seen.insert(a.name).second)
            {
                Error(a.location, what + ": attribute '" + a.name + "' given twice", "keep one");
                continue;
            }
            if (typeOk)
            {
                std::string problem;
                std::string hint;
                if (!GenesisProfileReader::CheckAttribute(tid, a.name, a.value, &problem, &hint))
                {
                    // an unknown name is reported at the key, a bad value at the value
                    TypeId::AttributeInformation info;
                    bool known = tid.LookupAttributeByName(a.name, &info);
                    Error(known ? Loc(val) : a.location, what + ": " + problem, hint);
                    continue;
                }
            }
            o->attributes.push_back(a);
        }
    }
}

void
Reader::ReadCapacity(const YAML::Node& n)
{
    if (!ExpectMap(n, "capacity"))
    {
        return;
    }
    Entries e = Keys(n, "capacity", {"class", "rate", "share", "burst"}, {});
    if (e.count("class"))
    {
        GetClass(e["class"].value, "capacity class", &m_p.capacityClass);
    }
    if (e.count("rate"))
    {
        GetRate(e["rate"].value, "capacity rate", &m_p.rate);
        if (m_p.capacityClass == ArbitratorQueueDiscClass::BEST_EFFORT)
        {
            Warning(Loc(e["rate"].key),
                    "a rate is ignored for a best-effort network",
                    "give 'share' instead, or another class");
        }
    }
    if (e.count("share"))
    {
        std::string s;
        const YAML::Node& v = e["share"].value;
        if (GetString(v, "capacity share", &s))
        {
            double d;
            if (!ParseDouble(s, &d) || d <= 0)
            {
                Error(Loc(v),
                      "capacity share '" + s + "' is not a positive number",
                      "write e.g. 1 or 0.5");
            }
            else
            {
                m_p.share = d;
            }
        }
    }
    if (e.count("burst"))
    {
        GetUint(e["burst"].value, "capacity burst", &m_p.burst);
    }
}

void
Reader::ReadTopology(const YAML::Node& n)
{
    if (!ExpectMap(n, "topology"))
    {
        return;
    }
    Entries e = Keys(n, "topology", {"complete_paths", "routelets", "links", "hosts"}, {});
    if (e.count("complete_paths"))
    {
        std::string s;
        const YAML::Node& v = e["complete_paths"].value;
        if (GetString(v, "complete_paths", &s))
        {
            if (s == "true" || s == "yes")
            {
                m_p.completePaths = true;
            }
            else if (s == "false" || s == "no")
            {
                m_p.completePaths = false;
            }
            else
            {
                Error(Loc(v), "complete_paths '" + s + "' is not true or false");
            }
        }
    }
    if (e.count("routelets") && ExpectSeq(e["routelets"].value, "routelets"))
    {
        for (const auto& r : e["routelets"].value)
        {
            ReadRoutelet(r);
        }
    }
    if (e.count("links") && ExpectSeq(e["links"].value, "links"))
    {
        for (const auto& l : e["links"].value)
        {
            ReadLink(l);
        }
    }
    if (e.count("hosts") && ExpectSeq(e["hosts"].value, "hosts"))
    {
        for (const auto& h : e["hosts"].value)
        {
            ReadHost(h);
        }
    }
}

void
Reader::ReadRoutelet(const YAML::Node& n)
{
    if (!ExpectMap(n, "a routelet"))
    {
        return;
    }
    Entries e = Keys(n, "a routelet", {"name", "node", "parent_routelet"}, {"name"});
    GenesisRouteletSpec r;
    r.location = Loc(n);
    bool ok = e.count("name") && GetName(e["name"].value, "routelet name", &r.name);
    if (e.count("node") && e.count("parent_routelet"))
    {
        Error(Loc(e["parent_routelet"].key),
              "routelet '" + r.name + "' has both 'node' and 'parent_routelet'",
              "keep one: the routelet's host");
        ok = false;
    }
    else if (e.count("node"))
    {
        GenesisHostRef h;
        ok = GetHostRef(e["node"].value, "routelet node", &h) && ok;
        r.hostKind = h.byId ? GenesisRouteletSpec::NODE_ID : GenesisRouteletSpec::NODE_NAME;
        r.nodeId = h.nodeId;
        r.hostName = h.name;
    }
    else if (e.count("parent_routelet"))
    {
        r.hostKind = GenesisRouteletSpec::PARENT_ROUTELET;
        ok = GetName(e["parent_routelet"].value, "parent_routelet", &r.hostName) && ok;
    }
    else
    {
        Error(Loc(n),
              "routelet '" + r.name + "' has no host",
              "add 'node: <id or name>' or 'parent_routelet: <parent routelet name>'");
        ok = false;
    }
    if (ok)
    {
        m_p.routelets.push_back(r);
    }
    else if (!r.name.empty())
    {
        m_p.routelets.push_back(r); // keep the name known so links to it are not reported too
    }
}

void
Reader::ReadLink(const YAML::Node& n)
{
    if (!ExpectMap(n, "a link"))
    {
        return;
    }
    Entries e = Keys(n, "a link", {"name", "ends", "class", "rate", "delay", "via"}, {"ends"});
    GenesisLinkSpec l;
    l.location = Loc(n);
    bool ok = true;
    if (e.count("ends"))
    {
        const YAML::Node& v = e["ends"].value;
        if (!ExpectSeq(v, "link ends"))
        {
            ok = false;
        }
        else if (v.size() != 2)
        {
            Error(Loc(v),
                  "a link has two ends, not " + std::to_string(v.size()),
                  "write ends: [a, b]");
            ok = false;
        }
        else
        {
            ok = GetName(v[0], "link end", &l.a) && ok;
            ok = GetName(v[1], "link end", &l.b) && ok;
            l.aLocation = Loc(v[0]);
            l.bLocation = Loc(v[1]);
        }
    }
    if (e.count("name"))
    {
        ok = GetName(e["name"].value, "link name", &l.name) && ok;
    }
    else if (!l.a.empty() && !l.b.empty())
    {
        l.name = l.a + "-" + l.b;
    }
    if (e.count("class"))
    {
        l.hasClass = GetClass(e["class"].value, "link class", &l.capacityClass);
    }
    if (e.count("rate"))
    {
        l.hasRate = GetRate(e["rate"].value, "link rate", &l.rate);
    }
    if (e.count("delay"))
    {
        std::string text;
        l.hasDelay = GetTime(e["delay"].value, "link delay", &l.delay, &text);
        if (l.hasDelay && l.delay.IsStrictlyNegative())
        {
            Error(Loc(e["delay"].value), "link delay '" + text + "' is negative");
            l.hasDelay = false;
        }
    }
    if (e.count("via") && ExpectSeq(e["via"].value, "link via"))
    {
        for (const auto& h : e["via"].value)
        {
            GenesisHostRef ref;
            if (GetHostRef(h, "link via", &ref))
            {
                l.via.push_back(ref);
            }
        }
    }
    if (ok && !l.name.empty())
    {
        m_p.links.push_back(l);
    }
}

void
Reader::ReadHost(const YAML::Node& n)
{
    if (!ExpectMap(n, "a host"))
    {
        return;
    }
    Entries e =
        Keys(n, "a host", {"name", "node", "routelet", "address"}, {"name", "node", "routelet"});
    GenesisEndHostSpec h;
    h.location = Loc(n);
    bool ok = e.count("name") && GetName(e["name"].value, "host name", &h.name);
    ok = e.count("node") && GetHostRef(e["node"].value, "host node", &h.node) && ok;
    ok = e.count("routelet") && GetName(e["routelet"].value, "host routelet", &h.routelet) && ok;
    if (e.count("address"))
    {
        const YAML::Node& v = e["address"].value;
        std::string s;
        if (GetString(v, "host address", &s))
        {
            if (!ParseIpv4(s, &h.address))
            {
                Error(Loc(v),
                      "host address '" + s + "' is not an IPv4 address",
                      "write e.g. 10.2.0.5");
                ok = false;
            }
            else
            {
                h.hasAddress = true;
                if (m_p.hasAddressSpace && !m_p.addressMask.IsMatch(h.address, m_p.addressBase))
                {
                    std::ostringstream os;
                    os << m_p.addressBase << "/" << m_p.addressPrefixLength;
                    Error(Loc(v),
                          "host address " + s + " is outside the address space " + os.str(),
                          "give an address inside " + os.str());
                }
            }
        }
    }
    if (ok)
    {
        m_p.hosts.push_back(h);
    }
}

void
Reader::ReadMembership(const YAML::Node& n)
{
    if (!ExpectSeq(n, "membership"))
    {
        return;
    }
    for (const auto& m : n)
    {
        std::string s;
        if (!GetString(m, "a member", &s))
        {
            continue;
        }
        GenesisMemberSpec member;
        member.location = Loc(m);
        uint64_t id;
        uint32_t len;
        if (ParseUint64(s, &id) && id <= UINT32_MAX)
        {
            member.kind = GenesisMemberSpec::NODE_ID;
            member.nodeId = static_cast<uint32_t>(id);
        }
        else if (s.find('/') != std::string::npos)
        {
            if (!ParsePrefix(s, &member.prefix, &len))
            {
                Error(Loc(m),
                      "member '" + s + "' is not an IPv4 prefix",
                      "write address/length, e.g. 10.2.1.0/24");
                continue;
            }
            member.kind = GenesisMemberSpec::PREFIX;
            member.mask = MaskOf(len);
        }
        else if (ValidName(s))
        {
            member.kind = GenesisMemberSpec::NODE_NAME;
            member.name = s;
        }
        else
        {
            Error(Loc(m),
                  "member '" + s + "' is not a node id, name or prefix",
                  "write a node id (3), a node or host name (mobile1) or a prefix (10.2.1.0/24)");
            continue;
        }
        m_p.membership.push_back(member);
    }
}

void
Reader::ReadModule(const YAML::Node& n)
{
    if (!ExpectMap(n, "a module"))
    {
        return;
    }
    Entries e = Keys(n,
                     "a module",
                     {"category", "type", "attributes", "on", "routelet", "link"},
                     {"category", "type"});
    GenesisModuleSpec m;
    m.location = Loc(n);
    bool ok = true;
    bool categoryOk = false;
    if (e.count("category"))
    {
        std::string s;
        const YAML::Node& v = e["category"].value;
        if (GetString(v, "module category", &s))
        {
            std::vector<std::string> names;
            for (int c = GenesisModuleSpec::ENCAPSULATOR; c <= GenesisModuleSpec::SCHEDULER; ++c)
            {
                names.emplace_back(
                    GenesisModuleSpec::CategoryName(static_cast<GenesisModuleSpec::Category>(c)));
                if (s == names.back())
                {
                    m.category = static_cast<GenesisModuleSpec::Category>(c);
                    categoryOk = true;
                }
            }
            if (!categoryOk)
            {
                std::string hint = DidYouMean(s, names);
                Error(Loc(v),
                      "unknown module category '" + s + "'",
                      hint.empty() ? "use one of " + Join(names) : hint);
            }
        }
    }
    ok = categoryOk;
    // default binding: forwarders on the engine, everything else on ports
    m.on = m.category == GenesisModuleSpec::FORWARDER ? GenesisModuleSpec::ENGINE
                                                      : GenesisModuleSpec::PORT;
    if (e.count("on"))
    {
        std::string s;
        const YAML::Node& v = e["on"].value;
        if (GetString(v, "module 'on'", &s))
        {
            if (s == "port")
            {
                m.on = GenesisModuleSpec::PORT;
            }
            else if (s == "engine")
            {
                m.on = GenesisModuleSpec::ENGINE;
            }
            else
            {
                Error(Loc(v), "module 'on' must be port or engine, not '" + s + "'");
                ok = false;
            }
        }
        if (categoryOk && ok)
        {
            bool portOnly = m.category == GenesisModuleSpec::SCHEDULER ||
                            m.category == GenesisModuleSpec::ENCAPSULATOR;
            bool engineOnly = m.category == GenesisModuleSpec::FORWARDER;
            if ((portOnly && m.on == GenesisModuleSpec::ENGINE) ||
                (engineOnly && m.on == GenesisModuleSpec::PORT))
            {
                Error(Loc(v),
                      std::string("a ") + GenesisModuleSpec::CategoryName(m.category) +
                          " cannot be on the " + s,
                      engineOnly ? "forwarders belong to the engine"
                                 : "schedulers and encapsulators belong to ports");
                ok = false;
            }
        }
    }
    if (e.count("routelet"))
    {
        ok = GetName(e["routelet"].value, "module routelet", &m.routelet) && ok;
    }
    if (e.count("link"))
    {
        ok = GetName(e["link"].value, "module link", &m.link) && ok;
        if (m.on == GenesisModuleSpec::ENGINE)
        {
            Error(Loc(e["link"].key),
                  "a module on the engine has no link",
                  "remove 'link' or bind the module to a port");
            ok = false;
        }
    }
    if (e.count("type") && categoryOk)
    {
        std::string what =
            std::string("module (") + GenesisModuleSpec::CategoryName(m.category) + ")";
        std::size_t before = m_out.GetNErrors();
        ReadObjectEntries(e["type"].value,
                          e.count("attributes") ? e["attributes"].value : YAML::Node(),
                          what,
                          GenesisModuleSpec::CategoryBases(m.category),
                          &m.object,
                          true);
        ok = ok && m_out.GetNErrors() == before;
    }
    if (ok)
    {
        m_p.modules.push_back(m);
    }
}

void
Reader::ReadInherit(const YAML::Node& n)
{
    if (!ExpectSeq(n, "inherit"))
    {
        return;
    }
    const std::vector<std::string> names = {"modules", "policy", "scheduler", "management"};
    for (const auto& i : n)
    {
        std::string s;
        if (!GetString(i, "an inherit entry", &s))
        {
            continue;
        }
        auto it = std::find(names.begin(), names.end(), s);
        if (it == names.end())
        {
            std::string hint = DidYouMean(s, names);
            Error(Loc(i),
                  "cannot inherit '" + s + "'",
                  hint.empty() ? "a network may inherit " + Join(names) : hint);
            continue;
        }
        auto what = static_cast<GenesisProfile::Inheritable>(it - names.begin());
        if (m_p.Inherits(what))
        {
            Warning(Loc(i), "'" + s + "' is inherited twice", "list it once");
            continue;
        }
        m_p.inherit.push_back(what);
    }
}

void
Reader::ReadPolicy(const YAML::Node& n)
{
    if (!ExpectMap(n, "policy"))
    {
        return;
    }
    m_p.policy.location = Loc(n);
    Entries e = Keys(n, "policy", {"max_depth", "max_children", "max_rate"}, {});
    if (e.count("max_depth"))
    {
        m_p.policy.hasMaxDepth =
            GetUint(e["max_depth"].value, "policy max_depth", &m_p.policy.maxDepth);
    }
    if (e.count("max_children"))
    {
        m_p.policy.hasMaxChildren =
            GetUint(e["max_children"].value, "policy max_children", &m_p.policy.maxChildren);
    }
    if (e.count("max_rate"))
    {
        m_p.policy.hasMaxRate =
            GetRate(e["max_rate"].value, "policy max_rate", &m_p.policy.maxRate);
    }
}

bool
Reader::ReadBidFields(const YAML::Node& n, const std::string& what, double* price, DataRate* qty)
{
    Entries f = Keys(n, what, {"price", "quantity"}, {"price", "quantity"});
    bool ok = f.count("price") && f.count("quantity");
    if (f.count("price"))
    {
        std::string s;
        const YAML::Node& v = f["price"].value;
        if (GetString(v, what + " price", &s))
        {
            double d;
            if (!ParseDouble(s, &d) || !std::isfinite(d) || d < 0)
            {
                Error(Loc(v),
                      what + " price '" + s + "' is not a number >= 0",
                      "write the price per Mbit/s per provisioning interval, e.g. 2.0");
                ok = false;
            }
            else
            {
                *price = d;
            }
        }
        else
        {
            ok = false;
        }
    }
    if (f.count("quantity"))
    {
        ok = GetRate(f["quantity"].value, what + " quantity", qty) && ok;
    }
    return ok;
}

void
Reader::ReadBid(const YAML::Node& n)
{
    if (!ExpectMap(n, "bid"))
    {
        return;
    }
    m_p.bid.location = Loc(n);
    m_p.hasBid = ReadBidFields(n, "bid", &m_p.bid.price, &m_p.bid.quantity);
    if (m_p.hasBid && m_p.capacityClass == ArbitratorQueueDiscClass::CONSTANT)
    {
        Error(Loc(n),
              "a constant network cannot bid: its rate is guaranteed and never auctioned",
              "make the network controlled or best-effort, or remove the bid");
        m_p.hasBid = false;
    }
}

void
Reader::ReadManagedObject(const YAML::Node& n,
                          const std::string& what,
                          const std::string& base,
                          bool exactAllowed,
                          GenesisObjectSpec* spec)
{
    // ReadObject accepts strict subclasses of its bases; the base itself is
    // accepted here when it is concrete.
    std::string type;
    if (n.IsScalar())
    {
        type = n.Scalar();
    }
    else if (n.IsMap() && n["type"] && n["type"].IsScalar())
    {
        type = n["type"].Scalar();
    }
    ReadObject(n, what, {exactAllowed && type == base ? "ns3::Object" : base}, spec);
}

void
Reader::ReadManagement(const YAML::Node& n)
{
    if (!ExpectMap(n, "management"))
    {
        return;
    }
    m_p.hasManagement = true;
    m_p.management.location = Loc(n);
    Entries e = Keys(n, "management", {"maestro", "auctioneer", "monitor"}, {});
    if (e.count("maestro"))
    {
        m_p.management.hasMaestro = true;
        ReadManagedObject(e["maestro"].value,
                          "management maestro",
                          "ns3::GenesisMaestro",
                          true,
                          &m_p.management.maestro);
    }
    if (e.count("auctioneer"))
    {
        m_p.management.hasAuctioneer = true;
        ReadManagedObject(e["auctioneer"].value,
                          "management auctioneer",
                          "ns3::GenesisAuctioneer",
                          false,
                          &m_p.management.auctioneer);
    }
    if (e.count("monitor"))
    {
        m_p.management.hasMonitor = true;
        ReadManagedObject(e["monitor"].value,
                          "management monitor",
                          "ns3::GenesisMonitor",
                          true,
                          &m_p.management.monitor);
    }
}

void
Reader::ReadEvent(const YAML::Node& n)
{
    if (!ExpectMap(n, "a timeline event"))
    {
        return;
    }
    const std::vector<std::string> actions =
        {"spawn", "set", "reprovision", "teardown", "replace", "bid"};
    Entries e = Keys(n,
                     "a timeline event",
                     {"at", "spawn", "set", "reprovision", "teardown", "replace", "bid"},
                     {"at"});
    GenesisTimelineEvent ev;
    ev.location = Loc(n);
    bool ok = e.count("at") && GetTime(e["at"].value, "event time 'at'", &ev.at, &ev.atText);
    if (ok && ev.at.IsStrictlyNegative())
    {
        Error(Loc(e["at"].value),
              "event time '" + ev.atText + "' is negative",
              "simulation time starts at 0s");
        ok = false;
    }
    std::vector<std::string> given;
    for (const auto& a : actions)
    {
        if (e.count(a))
        {
            given.push_back(a);
        }
    }
    if (given.size() != 1)
    {
        Error(Loc(n),
              given.empty() ? "a timeline event has no action"
                            : "a timeline event has several actions: " + Join(given),
              "give exactly one of spawn, set, reprovision, teardown, replace, bid");
        return;
    }
    const std::string& a = given[0];
    const YAML::Node& v = e[a].value;
    if (a == "teardown" && v.IsNull())
    {
        ev.action = GenesisTimelineEvent::TEARDOWN; // "teardown:" alone: this network
    }
    else if (!ExpectMap(v, a))
    {
        return;
    }
    else if (a == "spawn")
    {
        ev.action = GenesisTimelineEvent::SPAWN;
        Entries f = Keys(v, "spawn", {"profile"}, {"profile"});
        ok =
            f.count("profile") && GetString(f["profile"].value, "spawn profile", &ev.profile) && ok;
        if (!ev.profile.empty())
        {
            std::size_t slash = m_file.find_last_of('/');
            ev.profilePath = (ev.profile[0] == '/' || slash == std::string::npos)
                                 ? ev.profile
                                 : m_file.substr(0, slash + 1) + ev.profile;
        }
    }
    else if (a == "set")
    {
        ev.action = GenesisTimelineEvent::SET;
        Entries f = Keys(v, "set", {"path", "value"}, {"path", "value"});
        if (f.count("path") && GetString(f["path"].value, "set path", &ev.path))
        {
            if (ev.path.empty() || ev.path[0] != '/')
            {
                Error(Loc(f["path"].value),
                      "set path '" + ev.path + "' is not a Config path",
                      "Config paths start with '/', e.g. /NetworkList/1/Rate");
                ok = false;
            }
        }
        else
        {
            ok = false;
        }
        ok = f.count("value") && GetString(f["value"].value, "set value", &ev.value) && ok;
    }
    else if (a == "reprovision")
    {
        ev.action = GenesisTimelineEvent::REPROVISION;
        Entries f = Keys(v, "reprovision", {"link", "network", "rate"}, {"rate"});
        if (f.count("link") && f.count("network"))
        {
            Error(Loc(f["network"].key),
                  "reprovision names both a link and a network",
                  "keep one: a link of this network, or a network (its default rate)");
            ok = false;
        }
        if (f.count("link"))
        {
            ok = GetName(f["link"].value, "reprovision link", &ev.link) && ok;
        }
        if (f.count("network"))
        {
            ok = GetName(f["network"].value, "reprovision network", &ev.network) && ok;
        }
        ok = f.count("rate") && GetRate(f["rate"].value, "reprovision rate", &ev.rate) && ok;
    }
    else if (a == "replace")
    {
        ev.action = GenesisTimelineEvent::REPLACE;
        Entries f = Keys(v,
                         "replace",
                         {"category", "type", "attributes", "routelet", "link", "queued"},
                         {"category", "type"});
        GenesisModuleSpec& m = ev.module;
        m.location = Loc(v);
        bool categoryOk = false;
        if (f.count("category"))
        {
            std::string c;
            if (GetString(f["category"].value, "replace category", &c))
            {
                if (c == "scheduler" || c == "processor")
                {
                    m.category = c == "scheduler" ? GenesisModuleSpec::SCHEDULER
                                                  : GenesisModuleSpec::PROCESSOR;
                    m.on = GenesisModuleSpec::PORT;
                    categoryOk = true;
                }
                else
                {
                    Error(Loc(f["category"].value),
                          "replace category '" + c + "' cannot be replaced at run time",
                          "use scheduler (the network's scheduler on its parent links) or "
                          "processor (the queue disc of routelet ports)");
                }
            }
        }
        ok = categoryOk && ok;
        if (f.count("routelet"))
        {
            ok = GetName(f["routelet"].value, "replace routelet", &m.routelet) && ok;
        }
        if (f.count("link"))
        {
            ok = GetName(f["link"].value, "replace link", &m.link) && ok;
        }
        if (categoryOk && m.category == GenesisModuleSpec::SCHEDULER &&
            (f.count("routelet") || f.count("link")))
        {
            Error(Loc(f.count("routelet") ? f["routelet"].key : f["link"].key),
                  "a replaced scheduler is the network's scheduler on every parent link",
                  "remove routelet/link, or replace a processor (a port's queue disc)");
            ok = false;
        }
        if (f.count("queued"))
        {
            std::string q;
            if (GetString(f["queued"].value, "replace queued", &q))
            {
                if (q == "keep" || q == "drop")
                {
                    ev.keepQueued = q == "keep";
                }
                else
                {
                    Error(Loc(f["queued"].value),
                          "replace queued must be keep or drop, not '" + q + "'",
                          "keep moves the queued packets into the new module; drop drops them");
                    ok = false;
                }
            }
            else
            {
                ok = false;
            }
        }
        if (f.count("type"))
        {
            std::size_t before = m_out.GetNErrors();
            ReadObjectEntries(f["type"].value,
                              f.count("attributes") ? f["attributes"].value : YAML::Node(),
                              "replace",
                              {"ns3::QueueDisc"},
                              &m.object,
                              true);
            ok = ok && m_out.GetNErrors() == before;
        }
    }
    else if (a == "bid")
    {
        ev.action = GenesisTimelineEvent::BID;
        ok = ReadBidFields(v, "timeline bid", &ev.price, &ev.rate) && ok;
        if (m_p.capacityClass == ArbitratorQueueDiscClass::CONSTANT)
        {
            Error(Loc(n),
                  "a constant network cannot bid: its rate is guaranteed and never auctioned",
                  "make the network controlled or best-effort, or remove the bid");
            ok = false;
        }
    }
    else
    {
        ev.action = GenesisTimelineEvent::TEARDOWN;
        Entries f = Keys(v, "teardown", {"network"}, {});
        if (f.count("network"))
        {
            ok = GetName(f["network"].value, "teardown network", &ev.network) && ok;
        }
    }
    if (ok)
    {
        m_p.timeline.push_back(ev);
    }
}

void
Reader::CrossCheck()
{
    auto where = [](const GenesisLocation& l) {
        return "first defined at line " + std::to_string(l.line);
    };
    std::vector<std::string> routeletNames;
    std::map<std::string, GenesisLocation> seen;
    for (const auto& r : m_p.routelets)
    {
        if (seen.count(r.name))
        {
            Error(r.location,
                  "duplicate routelet name '" + r.name + "'",
                  where(seen[r.name]) + "; routelet names are unique in a profile");
        }
        else
        {
            seen[r.name] = r.location;
            routeletNames.push_back(r.name);
        }
    }
    auto checkRoutelet =
        [&](const std::string& name, const GenesisLocation& l, const std::string& what) {
            if (!name.empty() && !seen.count(name))
            {
                std::string hint = DidYouMean(name, routeletNames);
                Error(l,
                      what + " names unknown routelet '" + name + "'",
                      hint.empty() ? "declare it under topology: routelets:" : hint);
                return false;
            }
            return true;
        };
    std::map<std::string, GenesisLocation> links;
    std::vector<std::string> linkNames;
    for (const auto& l : m_p.links)
    {
        checkRoutelet(l.a, l.aLocation, "link '" + l.name + "'");
        checkRoutelet(l.b, l.bLocation, "link '" + l.name + "'");
        if (l.a == l.b)
        {
            Error(l.bLocation,
                  "link '" + l.name + "' joins routelet '" + l.a + "' to itself",
                  "a link joins two different routelets");
        }
        if (links.count(l.name))
        {
            Error(l.location,
                  "duplicate link name '" + l.name + "'",
                  where(links[l.name]) + "; give each link a distinct 'name'");
        }
        else
        {
            links[l.name] = l.location;
            linkNames.push_back(l.name);
        }
    }
    std::map<std::string, GenesisLocation> hosts;
    for (const auto& h : m_p.hosts)
    {
        checkRoutelet(h.routelet, h.location, "host '" + h.name + "'");
        if (hosts.count(h.name))
        {
            Error(h.location, "duplicate host name '" + h.name + "'", where(hosts[h.name]));
        }
        else
        {
            hosts[h.name] = h.location;
        }
    }
    auto checkLink =
        [&](const std::string& name, const GenesisLocation& l, const std::string& what) {
            if (!name.empty() && !links.count(name))
            {
                std::string hint = DidYouMean(name, linkNames);
                Error(l,
                      what + " names unknown link '" + name + "'",
                      hint.empty() ? "declare it under topology: links:" : hint);
            }
        };
    for (const auto& m : m_p.modules)
    {
        checkRoutelet(m.routelet, m.location, "a module");
        checkLink(m.link, m.location, "a module");
    }
    Time last = Seconds(0);
    for (const auto& ev : m_p.timeline)
    {
        if (ev.action == GenesisTimelineEvent::REPROVISION)
        {
            checkLink(ev.link, ev.location, "reprovision");
        }
        if (ev.action == GenesisTimelineEvent::REPLACE)
        {
            checkRoutelet(ev.module.routelet, ev.location, "replace");
            checkLink(ev.module.link, ev.location, "replace");
        }
        if (ev.at < last)
        {
            Warning(ev.location,
                    "event at " + ev.atText + " comes after a later event",
                    "events run in time order, not file order; sort the timeline");
        }
        last = std::max(last, ev.at);
    }
}

} // namespace

bool
GenesisProfileReader::ParseTime(const std::string& text, Time* t)
{
    static const std::regex re(
        "([+-]?[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?)(s|ms|us|ns|ps|fs|min|h|d|y)?");
    std::smatch m;
    if (!std::regex_match(text, m, re))
    {
        return false;
    }
    double v = std::strtod(m[1].str().c_str(), nullptr);
    static const std::map<std::string, Time::Unit> units = {{"", Time::S},
                                                            {"s", Time::S},
                                                            {"ms", Time::MS},
                                                            {"us", Time::US},
                                                            {"ns", Time::NS},
                                                            {"ps", Time::PS},
                                                            {"fs", Time::FS},
                                                            {"min", Time::MIN},
                                                            {"h", Time::H},
                                                            {"d", Time::D},
                                                            {"y", Time::Y}};
    // keep the value within what a 64-bit nanosecond count can hold
    static const std::map<std::string, double> seconds = {{"", 1},
                                                          {"s", 1},
                                                          {"ms", 1e-3},
                                                          {"us", 1e-6},
                                                          {"ns", 1e-9},
                                                          {"ps", 1e-12},
                                                          {"fs", 1e-15},
                                                          {"min", 60},
                                                          {"h", 3600},
                                                          {"d", 86400},
                                                          {"y", 31536000}};
    std::string unit = m[4].str();
    if (!std::isfinite(v) || std::fabs(v * seconds.at(unit)) > 9.2e9)
    {
        return false;
    }
    *t = Time::FromDouble(v, units.at(unit));
    return true;
}

bool
GenesisProfileReader::CheckAttribute(TypeId tid,
                                     const std::string& name,
                                     const std::string& value,
                                     std::string* problem,
                                     std::string* hint)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name, &info))
    {
        std::vector<std::string> names;
        for (TypeId t = tid;; t = t.GetParent())
        {
            for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
            {
                names.push_back(t.GetAttribute(i).name);
            }
            if (t == t.GetParent())
            {
                break;
            }
        }
        *problem = tid.GetName() + " has no attribute '" + name + "'";
        *hint = DidYouMean(name, names);
        if (hint->empty())
        {
            *hint = "its attributes are: " + Join(names);
        }
        return false;
    }
    std::string type = info.checker->GetValueTypeName();
    if (type.rfind("ns3::", 0) != 0)
    {
        type = "ns3::" + type; // ns-3 3.37 gives some names without the namespace
    }
    std::string info1 = info.checker->GetUnderlyingTypeInformation();
    auto bad = [&](const std::string& what, const std::string& h) {
        *problem = "attribute '" + name + "' of " + tid.GetName() + ": '" + value + "' " + what;
        *hint = h;
        return false;
    };
    if (!(info.flags & TypeId::ATTR_CONSTRUCT))
    {
        return bad("cannot be given: the attribute cannot be set when the object is created",
                   "remove it");
    }
    // ns-3's string parsers for most value types abort on malformed text, so
    // the text is parsed here and only a ready-made value is shown to the checker.
    Ptr<AttributeValue> v;
    if (type == "ns3::StringValue")
    {
        v = Create<StringValue>(value);
    }
    else if (type == "ns3::UintegerValue")
    {
        uint64_t u;
        if (!ParseUint64(value, &u))
        {
            return bad("is not a whole number", "write digits only (" + info1 + ")");
        }
        v = Create<UintegerValue>(u);
    }
    else if (type == "ns3::IntegerValue")
    {
        int64_t i;
        if (!ParseInt64(value, &i))
        {
            return bad("is not an integer", "write e.g. -3 (" + info1 + ")");
        }
        v = Create<IntegerValue>(i);
    }
    else if (type == "ns3::DoubleValue")
    {
        double d;
        if (!ParseDouble(value, &d))
        {
            return bad("is not a number", "write e.g. 0.5 (" + info1 + ")");
        }
        v = Create<DoubleValue>(d);
    }
    else if (type == "ns3::BooleanValue")
    {
        if (value == "true" || value == "1" || value == "t")
        {
            v = Create<BooleanValue>(true);
        }
        else if (value == "false" || value == "0" || value == "f")
        {
            v = Create<BooleanValue>(false);
        }
        else
        {
            return bad("is not a boolean", "write true or false");
        }
    }
    else if (type == "ns3::TimeValue")
    {
        Time t;
        if (!ParseTime(value, &t))
        {
            return bad("is not a time", "write a number and an ns-3 time unit, e.g. 100ms");
        }
        v = Create<TimeValue>(t);
    }
    else if (type == "ns3::DataRateValue")
    {
        if (value.find_first_of(" \t") != std::string::npos)
        {
            return bad("is not a rate", "write the number and the unit together, e.g. 4Mbps");
        }
        try
        {
            v = Create<DataRateValue>(GenesisHelper::ParseRate(value, name));
        }
        catch (const GenesisError&)
        {
            return bad("is not a rate", "write a number and a unit, e.g. 4Mbps");
        }
    }
    else if (type == "ns3::QueueSizeValue")
    {
        static const std::regex re("([0-9]{1,10})(p|B)");
        std::smatch m;
        uint64_t n;
        if (!std::regex_match(value, m, re) || !ParseUint64(m[1].str(), &n) || n > UINT32_MAX)
        {
            return bad("is not a queue size", "write packets as e.g. 100p or bytes as e.g. 15000B");
        }
        v = Create<QueueSizeValue>(
            QueueSize(m[2].str() == "p" ? QueueSizeUnit::PACKETS : QueueSizeUnit::BYTES,
                      static_cast<uint32_t>(n)));
    }
    else if (type == "ns3::TypeIdValue")
    {
        TypeId t;
        if (!TypeId::LookupByNameFailSafe(value, &t))
        {
            return bad("is not a known TypeId",
                       "give a registered TypeId name, e.g. ns3::FifoQueueDisc");
        }
        v = Create<TypeIdValue>(t);
    }
    else if (type == "ns3::EnumValue")
    {
        // EnumValue's string parser reports a bad name without aborting.
        v = info.checker->Create();
        if (value.empty() || !v->DeserializeFromString(value, info.checker))
        {
            return bad("is not one of its values", "use one of: " + info1);
        }
    }
    else
    {
        return bad("cannot be checked: a profile cannot set attributes of type " + type + " yet",
                   "set it from C++ after the spawn, or with a timeline 'set'");
    }
    if (!info.checker->Check(*v))
    {
        return bad("is out of range", info1.empty() ? "" : "allowed: " + info1);
    }
    return true;
}

/**
 * \brief Find the first byte that cannot be in a YAML 1.2 stream: not UTF-8,
 * or a control character other than tab, line feed and carriage return.
 *
 * YAML allows only printable Unicode, and yaml-cpp 0.7 is not robust against
 * malformed input (the fuzzer found inputs, one with invalid UTF-8, on which
 * LoadAll ran for more than 10 s; see doc/fuzzing-section.rst).
 * \param text the document
 * \param line set to the 1-based line of the byte
 * \param column set to the 1-based column (in characters) of the byte
 * \param what set to a description of the byte
 * \return true when such a byte was found
 */
static bool
FindNonYamlByte(const std::string& text, uint32_t* line, uint32_t* column, std::string* what)
{
    uint32_t l = 1;
    uint32_t c = 1;
    std::size_t i = 0;
    while (i < text.size())
    {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        if (b == '\n')
        {
            ++l;
            c = 1;
            ++i;
            continue;
        }
        if (b < 0x80)
        {
            if ((b < 0x20 && b != '\t' && b != '\r') || b == 0x7f)
            {
                std::ostringstream os;
                os << "control character 0x" << std::hex << std::setw(2) << std::setfill('0')
                   << static_cast<unsigned>(b);
                *line = l;
                *column = c;
                *what = os.str();
                return true;
            }
            len = 1;
        }
        else if (b >= 0xc2 && b <= 0xdf)
        {
            len = 2;
        }
        else if (b >= 0xe0 && b <= 0xef)
        {
            len = 3;
        }
        else if (b >= 0xf0 && b <= 0xf4)
        {
            len = 4;
        }
        bool ok = len > 0 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k)
        {
            ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        }
        if (ok && len == 3)
        {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            ok = !(b == 0xe0 && b1 < 0xa0) && !(b == 0xed && b1 >= 0xa0); // overlong, surrogate
        }
        if (ok && len == 4)
        {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            ok = !(b == 0xf0 && b1 < 0x90) && !(b == 0xf4 && b1 >= 0x90); // overlong, > U+10FFFF
        }
        if (!ok)
        {
            std::ostringstream os;
            os << "byte 0x" << std::hex << std::setw(2) << std::setfill('0')
               << static_cast<unsigned>(b) << " that is not valid UTF-8";
            *line = l;
            *column = c;
            *what = os.str();
            return true;
        }
        i += len;
        ++c;
    }
    return false;
}

namespace
{
/**
 * \brief A yaml-cpp event handler that only watches where each document
 * starts and whether it holds more than a null root: the events of a parse
 * that builds no nodes.
 */
class YamlDocumentProbe : public YAML::EventHandler
{
  public:
    YAML::Mark m_start;    //!< where the current document starts (its first token)
    bool m_onlyNull{true}; //!< the current document produced nothing but one null node

    void OnDocumentStart(const YAML::Mark& mark) override
    {
        m_start = mark;
        m_onlyNull = true;
    }

    void OnDocumentEnd() override
    {
    }

    void OnNull(const YAML::Mark& /* mark */, YAML::anchor_t /* anchor */) override
    {
    }

    void OnAlias(const YAML::Mark& /* mark */, YAML::anchor_t /* anchor */) override
    {
        m_onlyNull = false;
    }

    void OnScalar(const YAML::Mark& /* mark */,
                  const std::string& /* tag */,
                  YAML::anchor_t /* anchor */,
                  const std::string& /* value */) override
    {
        m_onlyNull = false;
    }

    void OnSequenceStart(const YAML::Mark& /* mark */,
                         const std::string& /* tag */,
                         YAML::anchor_t /* anchor */,
                         YAML::EmitterStyle::value /* style */) override
    {
        m_onlyNull = false;
    }

    void OnSequenceEnd() override
    {
    }

    void OnMapStart(const YAML::Mark& /* mark */,
                    const std::string& /* tag */,
                    YAML::anchor_t /* anchor */,
                    YAML::EmitterStyle::value /* style */) override
    {
        m_onlyNull = false;
    }

    void OnMapEnd() override
    {
    }
};
} // namespace

/**
 * \brief Find a token on which yaml-cpp's LoadAll would never return.
 *
 * yaml-cpp 0.7's document parser (SingleDocParser::HandleNode) turns a token
 * that cannot start a node into a null node without consuming it, and
 * Parser::HandleNextDocument then starts the next document at that same
 * token: LoadAll loops for ever, one null document more per turn (yaml-cpp
 * issue 1040). Of the tokens the scanner emits outside flow collections,
 * only the flow entry ',' does this ('[', '{' start collections, ']' and '}'
 * are refused by the scanner, block tokens are consumed by their
 * collections). This runs the same parser with a handler that builds
 * nothing and stops as soon as a document starts where the previous one
 * started after producing only a null: the exact condition of the endless
 * loop, found after one repetition. Every other document consumes at least
 * one token, so this pass is linear in the input.
 * \param text the document
 * \param line set to the 1-based line of the token
 * \param column set to the 1-based column of the token
 * \param pos set to the byte offset of the token
 * \return true when LoadAll would not return on \p text
 * \throws YAML::Exception on the syntax errors LoadAll would throw
 */
static bool
FindUnconsumedYamlToken(const std::string& text, uint32_t* line, uint32_t* column, std::size_t* pos)
{
    std::istringstream in(text);
    YAML::Parser parser(in);
    YamlDocumentProbe probe;
    bool havePrevious = false;
    int previousPos = -1;
    bool previousOnlyNull = false;
    while (parser.HandleNextDocument(probe))
    {
        if (havePrevious && previousOnlyNull && probe.m_start.pos == previousPos)
        {
            *line = static_cast<uint32_t>(std::max(probe.m_start.line, 0)) + 1;
            *column = static_cast<uint32_t>(std::max(probe.m_start.column, 0)) + 1;
            *pos = static_cast<std::size_t>(std::max(probe.m_start.pos, 0));
            return true;
        }
        havePrevious = true;
        previousPos = probe.m_start.pos;
        previousOnlyNull = probe.m_onlyNull;
    }
    return false;
}

GenesisProfileReadResult
GenesisProfileReader::ReadString(const std::string& text, const std::string& fileName)
{
    GenesisProfileReadResult result;
    Reader reader(fileName, result);
    GenesisLocation start;
    start.file = fileName;
    start.line = 1;
    start.column = 1;
    GenesisLocation bad;
    std::string badWhat;
    bad.file = fileName;
    if (FindNonYamlByte(text, &bad.line, &bad.column, &badWhat))
    {
        reader.Error(bad,
                     "the profile contains a " + badWhat,
                     "profiles are UTF-8 text: remove the character or re-save the file as UTF-8");
        return result;
    }
    std::vector<YAML::Node> docs;
    try
    {
        std::size_t pos = 0;
        if (FindUnconsumedYamlToken(text, &bad.line, &bad.column, &pos))
        {
            const char c = pos < text.size() ? text[pos] : ' ';
            if (c == ',')
            {
                reader.Error(bad,
                             "YAML syntax error: a ',' outside brackets",
                             "a ',' only separates the items of [a, b] or {key: value, ...}; "
                             "quote a value that starts with it (\", ...\")");
            }
            else
            {
                const bool printable = c > ' ' && c < 0x7f;
                reader.Error(bad,
                             std::string("YAML syntax error: ") +
                                 (printable ? std::string("'") + c + "'" : "this token") +
                                 " cannot start a value",
                             "remove it, or quote the value it starts");
            }
            return result;
        }
        docs = YAML::LoadAll(text);
    }
    catch (const YAML::Exception& e)
    {
        GenesisLocation l;
        l.file = fileName;
        l.line = e.mark.line >= 0 ? static_cast<uint32_t>(e.mark.line) + 1 : 0;
        l.column = e.mark.column >= 0 ? static_cast<uint32_t>(e.mark.column) + 1 : 0;
        reader.Error(l,
                     "YAML syntax error: " + e.msg,
                     "check the indentation (spaces, not tabs), quotes and brackets here");
        return result;
    }
    if (docs.empty() || docs[0].IsNull())
    {
        reader.Error(start,
                     "the profile is empty",
                     "start with 'schema_version: 1' and 'name: ...'");
        return result;
    }
    if (docs.size() > 1)
    {
        reader.Error(reader.Loc(docs[1]),
                     "a profile holds one YAML document, not " + std::to_string(docs.size()),
                     "remove the '---' separator, or split the file");
    }
    try
    {
        reader.ReadDocument(docs[0]);
    }
    catch (const YAML::Exception& e)
    {
        // not expected: the reader asks only what each node is; reported rather than thrown
        reader.Error(start,
                     std::string("internal reader error: ") + e.what(),
                     "please report this profile");
    }
    std::stable_sort(result.diagnostics.begin(),
                     result.diagnostics.end(),
                     [](const GenesisDiagnostic& a, const GenesisDiagnostic& b) {
                         return std::make_pair(a.location.line, a.location.column) <
                                std::make_pair(b.location.line, b.location.column);
                     });
    NS_LOG_INFO(fileName << ": " << result.GetNErrors() << " errors, " << result.GetNWarnings()
                         << " warnings");
    return result;
}

GenesisProfileReadResult
GenesisProfileReader::ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        GenesisProfileReadResult result;
        GenesisDiagnostic d;
        d.location.file = path;
        d.message = "cannot open the profile";
        d.hint = "check the path (relative paths are relative to the working directory)";
        result.diagnostics.push_back(d);
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ReadString(text.str(), path);
}

namespace
{
GenesisProfile
OrThrow(GenesisProfileReadResult r)
{
    if (!r.Ok())
    {
        std::string what = r.profile.file + ": " + std::to_string(r.GetNErrors()) +
                           " error(s) in the profile:\n" + r.Format();
        throw GenesisError(what);
    }
    return r.profile;
}
} // namespace

GenesisProfile
GenesisProfileReader::ReadFileOrThrow(const std::string& path)
{
    GenesisProfileReadResult r = ReadFile(path);
    r.profile.file = path;
    return OrThrow(r);
}

GenesisProfile
GenesisProfileReader::ReadStringOrThrow(const std::string& text, const std::string& fileName)
{
    return OrThrow(ReadString(text, fileName));
}

} // namespace ns3
