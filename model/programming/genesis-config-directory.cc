/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-config-directory.h"

#include "ns3/config.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisConfigDirectory");
NS_OBJECT_ENSURE_REGISTERED(GenesisConfigDirectory);

namespace
{

/// Read-only accessor of one entry: the object under that name in the directory, or null.
class EntryAccessor : public AttributeAccessor
{
  public:
    explicit EntryAccessor(const std::string& name)
        : m_name(name)
    {
    }

    bool Set(ObjectBase* /* object */, const AttributeValue& /* value */) const override
    {
        return false;
    }

    bool Get(const ObjectBase* object, AttributeValue& value) const override
    {
        const auto* dir = dynamic_cast<const GenesisConfigDirectory*>(object);
        auto* pointer = dynamic_cast<PointerValue*>(&value);
        if (dir == nullptr || pointer == nullptr)
        {
            return false;
        }
        pointer->SetObject(dir->Find(m_name));
        return true;
    }

    bool HasGetter() const override
    {
        return true;
    }

    bool HasSetter() const override
    {
        return false;
    }

  private:
    std::string m_name; //!< entry name
};

/// The root namespace object and the /Genesis/Networks directory of this simulation.
struct Namespace
{
    Ptr<GenesisConfigDirectory> root;     //!< registered with Config
    Ptr<GenesisConfigDirectory> networks; //!< /Genesis/Networks
};

Namespace g_namespace; //!< reset by Simulator::Destroy

} // namespace

TypeId
GenesisConfigDirectory::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GenesisConfigDirectory")
                            .SetParent<Object>()
                            .SetGroupName("Genesis")
                            .AddConstructor<GenesisConfigDirectory>();
    return tid;
}

TypeId
GenesisConfigDirectory::GetKindTypeId(Kind kind)
{
    // One TypeId per kind, so a wildcard at a level enumerates only names of that level.
    static TypeId kinds[] = {
        TypeId("ns3::GenesisConfigDirectory::Root")
            .SetParent<GenesisConfigDirectory>()
            .SetGroupName("Genesis"),
        TypeId("ns3::GenesisConfigDirectory::Genesis")
            .SetParent<GenesisConfigDirectory>()
            .SetGroupName("Genesis"),
        TypeId("ns3::GenesisConfigDirectory::Networks")
            .SetParent<GenesisConfigDirectory>()
            .SetGroupName("Genesis"),
        TypeId("ns3::GenesisConfigDirectory::Routelets")
            .SetParent<GenesisConfigDirectory>()
            .SetGroupName("Genesis"),
        TypeId("ns3::GenesisConfigDirectory::Links")
            .SetParent<GenesisConfigDirectory>()
            .SetGroupName("Genesis"),
    };
    return kinds[kind];
}

GenesisConfigDirectory::GenesisConfigDirectory(Kind kind)
    : m_kind(kind)
{
    NS_LOG_FUNCTION(this << kind);
}

GenesisConfigDirectory::~GenesisConfigDirectory()
{
    NS_LOG_FUNCTION(this);
}

TypeId
GenesisConfigDirectory::GetInstanceTypeId() const
{
    return GetKindTypeId(m_kind);
}

void
GenesisConfigDirectory::DoDispose()
{
    m_entries.clear();
    Object::DoDispose();
}

std::string
GenesisConfigDirectory::CheckSegment(const std::string& name)
{
    if (name.empty())
    {
        return "it is empty";
    }
    if (name == "*")
    {
        return "'*' is the Config wildcard";
    }
    if (name[0] == '$')
    {
        return "a leading '$' makes a Config path segment a GetObject<TypeId> call";
    }
    for (char c : name)
    {
        if (c == '/' || c == ' ' || c == '|' || c == '\t' || c == '\n')
        {
            return std::string("it contains '") + c + "', which Config paths cannot carry";
        }
    }
    return "";
}

void
GenesisConfigDirectory::Add(const std::string& name, Ptr<Object> object)
{
    NS_LOG_FUNCTION(this << name << object);
    std::string bad = CheckSegment(name);
    if (!bad.empty())
    {
        throw GenesisError("name '" + name + "' cannot be a Config path segment: " + bad +
                           "; use letters, digits, '-', '_' or '.'");
    }
    if (!object)
    {
        throw GenesisError("Config directory entry '" + name + "' is a null object");
    }
    if (m_entries.count(name))
    {
        throw GenesisError("Config directory entry '" + name + "' is already taken");
    }
    TypeId tid = GetInstanceTypeId();
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name, &info))
    {
        tid.AddAttribute(name,
                         "A Genesis object entered under this name (null when absent).",
                         TypeId::ATTR_GET,
                         PointerValue(),
                         Create<EntryAccessor>(name),
                         MakePointerChecker<Object>());
    }
    m_entries[name] = object;
}

void
GenesisConfigDirectory::Remove(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    m_entries.erase(name);
}

Ptr<Object>
GenesisConfigDirectory::Find(const std::string& name) const
{
    auto it = m_entries.find(name);
    return it == m_entries.end() ? nullptr : it->second;
}

std::vector<std::string>
GenesisConfigDirectory::GetNames() const
{
    std::vector<std::string> names;
    for (const auto& kv : m_entries)
    {
        names.push_back(kv.first);
    }
    return names;
}

void
GenesisConfigDirectory::Clear()
{
    m_entries.clear();
}

Ptr<GenesisConfigDirectory>
GenesisConfigDirectory::GetNetworks()
{
    if (!g_namespace.root)
    {
        Ptr<GenesisConfigDirectory> root = CreateObject<GenesisConfigDirectory>(ROOT);
        Ptr<GenesisConfigDirectory> genesis = CreateObject<GenesisConfigDirectory>(GENESIS);
        Ptr<GenesisConfigDirectory> networks = CreateObject<GenesisConfigDirectory>(NETWORKS);
        root->Add("Genesis", genesis);
        genesis->Add("Networks", networks);
        Config::RegisterRootNamespaceObject(root);
        Simulator::ScheduleDestroy(&GenesisConfigDirectory::DestroyNamespace);
        g_namespace.root = root;
        g_namespace.networks = networks;
    }
    return g_namespace.networks;
}

Ptr<GenesisConfigDirectory>
GenesisConfigDirectory::PeekNetworks()
{
    return g_namespace.networks;
}

void
GenesisConfigDirectory::DestroyNamespace()
{
    NS_LOG_FUNCTION_NOARGS();
    if (g_namespace.root)
    {
        Config::UnregisterRootNamespaceObject(g_namespace.root);
        g_namespace.root->Dispose();
        g_namespace.networks->Dispose();
        g_namespace.root = nullptr;
        g_namespace.networks = nullptr;
    }
}

} // namespace ns3
