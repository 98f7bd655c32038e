/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The profiling-script reader (schema version 1): good profiles become the
 * exact model; broken ones give every problem, each at its line and column;
 * no input makes it abort or crash.
 */
#include "ns3/core-module.h"
#include "ns3/genesis-module.h"
#include "ns3/internet-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <tuple>

using namespace ns3;

namespace
{

std::string
SourceDir()
{
    return GENESIS_SOURCE_DIR "/test";
}

std::string
Example(const std::string& name)
{
    return SourceDir() + "/../examples/profiles/" + name;
}

std::string
Sample(const std::string& name)
{
    return SourceDir() + "/profiles/" + name;
}

std::string
Slurp(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

/// An expected diagnostic: line, column, severity, a part of the message.
typedef std::tuple<uint32_t, uint32_t, GenesisDiagnostic::Severity, std::string> Expected;
const auto E = GenesisDiagnostic::ERROR;
const auto W = GenesisDiagnostic::WARNING;

void
ExpectDiagnostics(const GenesisProfileReadResult& r, const std::vector<Expected>& expected)
{
    ASSERT_EQ(r.diagnostics.size(), expected.size()) << r.Format();
    for (std::size_t i = 0; i < expected.size(); ++i)
    {
        const auto& d = r.diagnostics[i];
        EXPECT_EQ(d.location.line, std::get<0>(expected[i])) << d.ToString();
        EXPECT_EQ(d.location.column, std::get<1>(expected[i])) << d.ToString();
        EXPECT_EQ(d.severity, std::get<2>(expected[i])) << d.ToString();
        EXPECT_NE(d.message.find(std::get<3>(expected[i])), std::string::npos)
            << "'" << std::get<3>(expected[i]) << "' missing in: " << d.ToString();
    }
}

TEST(GenesisProfileReader, ExamplesReadWithoutDiagnostics)
{
    for (const char* name : {"video.yaml", "video-hd.yaml", "cellularip.yaml"})
    {
        GenesisProfileReadResult r = GenesisProfileReader::ReadFile(Example(name));
        EXPECT_TRUE(r.Ok()) << name << "\n" << r.Format();
        EXPECT_TRUE(r.diagnostics.empty()) << name << "\n" << r.Format();
    }
}

TEST(GenesisProfileReader, VideoProfileBecomesTheExactModel)
{
    GenesisProfile p = GenesisProfileReader::ReadFileOrThrow(Example("video.yaml"));
    EXPECT_EQ(p.schemaVersion, 1u);
    EXPECT_EQ(p.name, "video");
    EXPECT_EQ(p.parent, "root");
    EXPECT_TRUE(p.hasAddressSpace);
    EXPECT_EQ(p.addressBase, Ipv4Address("172.20.0.0"));
    EXPECT_EQ(p.addressMask, Ipv4Mask("255.255.0.0"));
    EXPECT_EQ(p.addressPrefixLength, 16u);
    EXPECT_EQ(p.capacityClass, ArbitratorQueueDiscClass::CONTROLLED);
    EXPECT_EQ(p.rate, DataRate("4Mbps"));
    EXPECT_EQ(p.share, 1.0);
    EXPECT_EQ(p.burst, 1600u);
    EXPECT_TRUE(p.hasScheduler);
    EXPECT_EQ(p.scheduler.typeId, "ns3::FqCoDelQueueDisc");
    ASSERT_EQ(p.scheduler.attributes.size(), 2u);
    EXPECT_EQ(p.scheduler.attributes[0].name, "Flows");
    EXPECT_EQ(p.scheduler.attributes[0].value, "256");
    EXPECT_EQ(p.scheduler.attributes[1].name, "MaxSize");
    EXPECT_EQ(p.scheduler.attributes[1].value, "2048p");
    EXPECT_EQ(p.scheduler.location.line, 14u);
    EXPECT_EQ(p.scheduler.location.column, 9u);
    EXPECT_TRUE(p.completePaths);

    ASSERT_EQ(p.routelets.size(), 2u);
    EXPECT_EQ(p.routelets[0].name, "head");
    EXPECT_EQ(p.routelets[0].hostKind, GenesisRouteletSpec::NODE_ID);
    EXPECT_EQ(p.routelets[0].nodeId, 0u);
    EXPECT_EQ(p.routelets[1].name, "edge");
    EXPECT_EQ(p.routelets[1].nodeId, 3u);
    EXPECT_EQ(p.routelets[1].location.line, 24u);
    EXPECT_EQ(p.routelets[1].location.column, 7u);

    ASSERT_EQ(p.links.size(), 1u);
    const GenesisLinkSpec& l = p.links[0];
    EXPECT_EQ(l.name, "trunk");
    EXPECT_EQ(l.a, "head");
    EXPECT_EQ(l.b, "edge");
    EXPECT_FALSE(l.hasClass);
    EXPECT_TRUE(l.hasRate);
    EXPECT_EQ(l.rate, DataRate("6Mbps"));
    EXPECT_TRUE(l.hasDelay);
    EXPECT_EQ(l.delay, MilliSeconds(20));
    ASSERT_EQ(l.via.size(), 1u);
    EXPECT_TRUE(l.via[0].byId);
    EXPECT_EQ(l.via[0].nodeId, 1u);
    EXPECT_EQ(p.FindLink("trunk"), &p.links[0]);
    EXPECT_EQ(p.FindRoutelet("edge"), &p.routelets[1]);
    EXPECT_EQ(p.FindRoutelet("nope"), nullptr);

    ASSERT_EQ(p.hosts.size(), 2u);
    EXPECT_EQ(p.hosts[1].name, "viewer");
    EXPECT_EQ(p.hosts[1].node.nodeId, 5u);
    EXPECT_EQ(p.hosts[1].routelet, "edge");
    EXPECT_TRUE(p.hosts[1].hasAddress);
    EXPECT_EQ(p.hosts[1].address, Ipv4Address("172.20.2.1"));

    ASSERT_EQ(p.membership.size(), 3u);
    EXPECT_EQ(p.membership[0].kind, GenesisMemberSpec::NODE_NAME);
    EXPECT_EQ(p.membership[0].name, "server");
    EXPECT_EQ(p.membership[2].kind, GenesisMemberSpec::PREFIX);
    EXPECT_EQ(p.membership[2].prefix, Ipv4Address("172.20.2.0"));
    EXPECT_EQ(p.membership[2].mask, Ipv4Mask("255.255.255.0"));

    ASSERT_EQ(p.modules.size(), 2u);
    EXPECT_EQ(p.modules[0].category, GenesisModuleSpec::FORWARDER);
    EXPECT_EQ(p.modules[0].on, GenesisModuleSpec::ENGINE);
    EXPECT_EQ(p.modules[0].object.typeId, "ns3::Ipv4StaticRouting");
    EXPECT_EQ(p.modules[1].category, GenesisModuleSpec::PROCESSOR);
    EXPECT_EQ(p.modules[1].on, GenesisModuleSpec::PORT);
    EXPECT_EQ(p.modules[1].routelet, "head");
    EXPECT_EQ(p.modules[1].link, "trunk");
    EXPECT_EQ(p.modules[1].object.typeId, "ns3::TbfQueueDisc");
    ASSERT_EQ(p.modules[1].object.attributes.size(), 2u);
    EXPECT_EQ(p.modules[1].object.attributes[0].value, "6Mbps");

    ASSERT_EQ(p.inherit.size(), 1u);
    EXPECT_TRUE(p.Inherits(GenesisProfile::INHERIT_POLICY));
    EXPECT_FALSE(p.Inherits(GenesisProfile::INHERIT_MODULES));
    EXPECT_TRUE(p.policy.hasMaxDepth);
    EXPECT_EQ(p.policy.maxDepth, 2u);
    EXPECT_EQ(p.policy.maxChildren, 4u);
    EXPECT_EQ(p.policy.maxRate, DataRate("3Mbps"));

    ASSERT_EQ(p.timeline.size(), 4u);
    EXPECT_EQ(p.timeline[0].action, GenesisTimelineEvent::SPAWN);
    EXPECT_EQ(p.timeline[0].at, Seconds(5));
    EXPECT_EQ(p.timeline[0].profile, "video-hd.yaml");
    EXPECT_EQ(p.timeline[0].profilePath, Example("video-hd.yaml"));
    EXPECT_EQ(p.timeline[1].action, GenesisTimelineEvent::REPROVISION);
    EXPECT_EQ(p.timeline[1].link, "trunk");
    EXPECT_EQ(p.timeline[1].rate, DataRate("8Mbps"));
    EXPECT_EQ(p.timeline[2].action, GenesisTimelineEvent::SET);
    EXPECT_EQ(p.timeline[2].path, "/NetworkList/1/Share");
    EXPECT_EQ(p.timeline[2].value, "2");
    EXPECT_EQ(p.timeline[3].action, GenesisTimelineEvent::TEARDOWN);
    EXPECT_EQ(p.timeline[3].network, "");
    EXPECT_EQ(p.timeline[3].at, Seconds(60));
}

TEST(GenesisProfileReader, NestedProfileBecomesTheExactModel)
{
    GenesisProfile p = GenesisProfileReader::ReadFileOrThrow(Example("video-hd.yaml"));
    EXPECT_EQ(p.name, "video-hd");
    EXPECT_EQ(p.parent, "video");
    EXPECT_EQ(p.addressPrefixLength, 24u);
    EXPECT_EQ(p.capacityClass, ArbitratorQueueDiscClass::CONSTANT);
    EXPECT_EQ(p.rate, DataRate("2Mbps"));
    EXPECT_EQ(p.burst, 3000u);
    EXPECT_EQ(p.scheduler.typeId, "ns3::PfifoFastQueueDisc");
    EXPECT_TRUE(p.scheduler.attributes.empty());
    ASSERT_EQ(p.routelets.size(), 2u);
    EXPECT_EQ(p.routelets[0].hostKind, GenesisRouteletSpec::PARENT_ROUTELET);
    EXPECT_EQ(p.routelets[0].hostName, "head");
    ASSERT_EQ(p.links.size(), 1u);
    EXPECT_EQ(p.links[0].name, "hd-head-hd-edge"); // the default name
    EXPECT_FALSE(p.links[0].hasRate);
    EXPECT_TRUE(p.Inherits(GenesisProfile::INHERIT_MODULES));
    EXPECT_TRUE(p.Inherits(GenesisProfile::INHERIT_SCHEDULER));
    ASSERT_EQ(p.timeline.size(), 1u);
    EXPECT_EQ(p.timeline[0].action, GenesisTimelineEvent::TEARDOWN);
    EXPECT_EQ(p.timeline[0].network, "video-hd");
}

TEST(GenesisProfileReader, CellularIpProfileBecomesTheExactModel)
{
    GenesisProfile p = GenesisProfileReader::ReadFileOrThrow(Sample("cellularip-access.yaml"));
    EXPECT_EQ(p.capacityClass, ArbitratorQueueDiscClass::BEST_EFFORT);
    EXPECT_EQ(p.share, 2.0);
    EXPECT_EQ(p.rate, DataRate("1Mbps")); // the default
    ASSERT_EQ(p.routelets.size(), 3u);
    EXPECT_EQ(p.routelets[0].hostKind, GenesisRouteletSpec::NODE_NAME);
    EXPECT_EQ(p.routelets[0].hostName, "gw");
    ASSERT_EQ(p.links.size(), 2u);
    EXPECT_EQ(p.links[1].name, "up2");
    ASSERT_EQ(p.hosts.size(), 2u);
    EXPECT_EQ(p.hosts[0].address, Ipv4Address("10.50.1.10"));
    ASSERT_EQ(p.membership.size(), 2u);
    EXPECT_EQ(p.membership[0].kind, GenesisMemberSpec::PREFIX);
    EXPECT_EQ(p.membership[1].kind, GenesisMemberSpec::NODE_NAME);
    ASSERT_EQ(p.modules.size(), 2u);
    EXPECT_EQ(p.modules[1].category, GenesisModuleSpec::SCHEDULER);
    EXPECT_EQ(p.modules[1].routelet, "gateway");
    EXPECT_EQ(p.modules[1].link, "");
    EXPECT_TRUE(p.policy.hasMaxChildren);
    EXPECT_EQ(p.policy.maxChildren, 0u);
    EXPECT_FALSE(p.policy.hasMaxDepth);
}

TEST(GenesisProfileReader, SchemaErrorsAreAllReportedWithHints)
{
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(Sample("bad-keys.yaml"));
    ExpectDiagnostics(r,
                      {Expected{2, 1, E, "the profile has no 'name'"},
                       Expected{3, 1, E, "unknown key 'nmae'"},
                       Expected{5, 10, E, "'controled' is not a capacity class"},
                       Expected{6, 9, E, "capacity rate must be a single value"},
                       Expected{11, 7, E, "routelet 'b' has no host"},
                       Expected{12, 7, E, "unknown key 'nod'"},
                       Expected{13, 10, E, "links must be a list"},
                       Expected{14, 1, E, "unknown key 'polcy'"}});
    ASSERT_EQ(r.diagnostics.size(), 8u);
    EXPECT_EQ(r.diagnostics[1].hint, "did you mean 'name'?");
    EXPECT_EQ(r.diagnostics[2].hint, "did you mean 'controlled'?");
    EXPECT_EQ(r.diagnostics[5].hint, "did you mean 'node'?");
    EXPECT_EQ(r.diagnostics[7].hint, "did you mean 'policy'?");
    EXPECT_EQ(r.diagnostics[1].ToString(),
              Sample("bad-keys.yaml") +
                  ":3:1: error: unknown key 'nmae' in the profile (hint: did you mean 'name'?)");
}

TEST(GenesisProfileReader, ModuleErrorsCheckTypeIdsBaseClassesAndAttributes)
{
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(Sample("bad-modules.yaml"));
    ExpectDiagnostics(r,
                      {Expected{4, 9, E, "unknown TypeId 'ns3::FqCoDelQueueDisk'"},
                       Expected{7, 11, E, "'ns3::Ipv4StaticRouting' is not a ns3::QueueDisc"},
                       Expected{11, 14, E, "'lots' is not a whole number"},
                       Expected{12, 13, E, "'fast' is not a rate"},
                       Expected{13, 12, E, "'99999999999' is out of range"},
                       Expected{14, 7, E, "ns3::TbfQueueDisc has no attribute 'Buckets'"},
                       Expected{17, 9, E, "a forwarder cannot be on the port"},
                       Expected{18, 15, E, "unknown module category 'classifer'"}});
    ASSERT_EQ(r.diagnostics.size(), 8u);
    EXPECT_EQ(r.diagnostics[0].hint, "did you mean 'ns3::FqCoDelQueueDisc'?");
    EXPECT_EQ(r.diagnostics[7].hint, "did you mean 'classifier'?");
    EXPECT_EQ(r.GetNErrors(), 8u);
}

TEST(GenesisProfileReader, TopologyAndTimelineErrorsAreAllReported)
{
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(Sample("bad-topology.yaml"));
    ExpectDiagnostics(r,
                      {Expected{8, 7, E, "duplicate routelet name 'a'"},
                       Expected{10, 28, E, "unknown routelet 'bb'"},
                       Expected{11, 7, E, "duplicate link name 'l1'"},
                       Expected{11, 38, E, "'5 Mbps' contains a space"},
                       Expected{11, 53, E, "'3 parsecs' is not a time"},
                       Expected{13, 7, E, "host 'h1' names unknown routelet 'c'"},
                       Expected{13, 49, E, "outside the address space 10.1.0.0/16"},
                       Expected{15, 5, E, "unknown link 'l2'"},
                       Expected{17, 5, W, "comes after a later event"},
                       Expected{19, 9, E, "'-1s' is negative"},
                       Expected{20, 17, E, "is not a Config path"}});
    EXPECT_EQ(r.GetNErrors(), 10u);
    EXPECT_EQ(r.GetNWarnings(), 1u);
    EXPECT_EQ(r.diagnostics[1].hint, "did you mean 'b'?");
    EXPECT_EQ(r.diagnostics[7].hint, "did you mean 'l1'?");
    EXPECT_NE(r.diagnostics[8].ToString().find(":17:5: warning: "), std::string::npos);
}

TEST(GenesisProfileReader, UnknownSchemaVersionStopsReading)
{
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(Sample("bad-version.yaml"));
    ExpectDiagnostics(r, {Expected{1, 17, E, "unknown schema_version 2"}});
}

TEST(GenesisProfileReader, YamlSyntaxErrorHasItsLocation)
{
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(Sample("bad-syntax.yaml"));
    ExpectDiagnostics(r, {Expected{5, 8, E, "YAML syntax error"}});

    r = GenesisProfileReader::ReadString("schema_version: 1\nname: \"open\n", "s.yaml");
    ASSERT_EQ(r.diagnostics.size(), 1u) << r.Format();
    EXPECT_EQ(r.diagnostics[0].location.file, "s.yaml");
    EXPECT_EQ(r.diagnostics[0].location.line, 2u);
}

TEST(GenesisProfileReader, CommentsAreAllowedEverywhere)
{
    GenesisProfileReadResult r =
        GenesisProfileReader::ReadString("# a profile\n"
                                         "schema_version: 1 # the version\n"
                                         "name: c   # its name\n"
                                         "# between keys\n"
                                         "capacity: # a map follows\n"
                                         "  # inside\n"
                                         "  rate: 2Mbps # trailing\n"
                                         "inherit: [policy] # a list\n",
                                         "c.yaml");
    EXPECT_TRUE(r.diagnostics.empty()) << r.Format();
    EXPECT_EQ(r.profile.rate, DataRate("2Mbps"));
}

TEST(GenesisProfileReader, OrThrowJoinsEveryDiagnostic)
{
    try
    {
        GenesisProfileReader::ReadFileOrThrow(Sample("bad-keys.yaml"));
        ADD_FAILURE() << "no GenesisError";
    }
    catch (const GenesisError& e)
    {
        std::string what = e.what();
        EXPECT_NE(what.find("8 error(s)"), std::string::npos) << what;
        EXPECT_NE(what.find("bad-keys.yaml:3:1: error: unknown key 'nmae'"), std::string::npos);
        EXPECT_NE(what.find("bad-keys.yaml:14:1: error: unknown key 'polcy'"), std::string::npos);
    }
    EXPECT_NO_THROW(GenesisProfileReader::ReadStringOrThrow("schema_version: 1\nname: x\n"));
}

TEST(GenesisProfileReader, MissingFileIsOneDiagnostic)
{
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile("/nonexistent/p.yaml");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].ToString().rfind("/nonexistent/p.yaml: error: cannot open", 0), 0u)
        << r.diagnostics[0].ToString();
}

/// Find a constructible attribute of the given value type on any registered TypeId.
bool
FindAttributeOfType(const std::string& valueType, TypeId* tid, TypeId::AttributeInformation* info)
{
    for (uint32_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId t = TypeId::GetRegistered(i);
        for (std::size_t j = 0; j < t.GetAttributeN(); ++j)
        {
            TypeId::AttributeInformation a = t.GetAttribute(j);
            std::string type = a.checker->GetValueTypeName();
            if ((type == valueType || "ns3::" + type == valueType) &&
                (a.flags & TypeId::ATTR_CONSTRUCT))
            {
                *tid = t;
                *info = a;
                return true;
            }
        }
    }
    return false;
}

// ns-3's own parsers abort on most of these; the reader must refuse them
// without aborting the process.
TEST(GenesisProfileReader, BadAttributeValuesOfEveryTypeAreRefusedWithoutAbort)
{
    const std::map<std::string, std::pair<std::string, std::vector<std::string>>> cases = {
        {"ns3::UintegerValue", {"", {"abc", "1 2", "-1", "1.5", "99999999999999999999999", ""}}},
        {"ns3::IntegerValue", {"", {"x", "1e3", "--1", " 2", ""}}},
        {"ns3::DoubleValue", {"", {"x", "1.2.3", "nan", "inf", "1 ", ""}}},
        {"ns3::BooleanValue", {"", {"maybe", "", "TRUE!"}}},
        {"ns3::TimeValue", {"", {"5 parsecs", "5parsecs", "s", "1e999s", ""}}},
        {"ns3::DataRateValue", {"", {"fast", "4 Mbps", "-1Mbps", "4Mbpss", ""}}},
        {"ns3::QueueSizeValue", {"", {"big", "10 p", "10", "10.5p", "-1p", ""}}},
        {"ns3::TypeIdValue", {"", {"ns3::NoSuchType", ""}}},
        {"ns3::EnumValue", {"", {"no-such-value", ""}}},
    };
    for (const auto& c : cases)
    {
        TypeId tid;
        TypeId::AttributeInformation info;
        ASSERT_TRUE(FindAttributeOfType(c.first, &tid, &info)) << c.first;
        for (const auto& v : c.second.second)
        {
            std::string problem;
            std::string hint;
            EXPECT_FALSE(GenesisProfileReader::CheckAttribute(tid, info.name, v, &problem, &hint))
                << c.first << " " << tid.GetName() << "::" << info.name << " = '" << v << "'";
            EXPECT_FALSE(problem.empty());
        }
    }
    // and good values pass
    std::string problem;
    std::string hint;
    TypeId tbf = TypeId::LookupByName("ns3::TbfQueueDisc");
    EXPECT_TRUE(GenesisProfileReader::CheckAttribute(tbf, "Burst", "12000", &problem, &hint));
    EXPECT_TRUE(GenesisProfileReader::CheckAttribute(tbf, "Rate", "2.5Mbps", &problem, &hint));
    EXPECT_TRUE(GenesisProfileReader::CheckAttribute(tbf, "MaxSize", "100p", &problem, &hint));
    EXPECT_TRUE(GenesisProfileReader::CheckAttribute(tbf, "MaxSize", "15000B", &problem, &hint));
    TypeId en;
    TypeId::AttributeInformation info;
    ASSERT_TRUE(FindAttributeOfType("ns3::EnumValue", &en, &info));
    std::string names = info.checker->GetUnderlyingTypeInformation();
    std::string first = names.substr(0, names.find('|'));
    EXPECT_TRUE(GenesisProfileReader::CheckAttribute(en, info.name, first, &problem, &hint))
        << en.GetName() << "::" << info.name << " = " << first << ": " << problem;
}

TEST(GenesisProfileReader, TimesAreParsedWithoutNs3Parser)
{
    Time t;
    EXPECT_TRUE(GenesisProfileReader::ParseTime("2s", &t));
    EXPECT_EQ(t, Seconds(2));
    EXPECT_TRUE(GenesisProfileReader::ParseTime("1.5min", &t));
    EXPECT_EQ(t, Seconds(90));
    EXPECT_TRUE(GenesisProfileReader::ParseTime("250us", &t));
    EXPECT_EQ(t, MicroSeconds(250));
    EXPECT_TRUE(GenesisProfileReader::ParseTime("3", &t)); // seconds, as ns-3
    EXPECT_EQ(t, Seconds(3));
    EXPECT_TRUE(GenesisProfileReader::ParseTime("-1s", &t));
    EXPECT_EQ(t, Seconds(-1));
    for (const char* bad : {"", "s", "2 s", "2sec", "1e400s", "1.2.3s", "two"})
    {
        EXPECT_FALSE(GenesisProfileReader::ParseTime(bad, &t)) << bad;
    }
}

/// Inputs that must give diagnostics, not crashes.
TEST(GenesisProfileReader, MangledInputsNeverCrash)
{
    std::vector<std::string> inputs = {
        "",
        "---",
        "--- \n--- \n",
        "[",
        "{{{{",
        "\t\t",
        "- 1\n- 2\n",
        "just text",
        "schema_version: 1\nname: x\n---\nname: y\n",
        "schema_version: [1]\nname: {a: b}\n",
        "schema_version: 1\nname: x\ncapacity: 3\ntopology: [1]\nmodules: {}\ntimeline: 7\n",
        "schema_version: 1\nname: x\nscheduler: {type: ns3::FqCoDelQueueDisc, attributes: "
        "{Flows: -1, MaxSize: 10 p, Interval: 1 parsec, Nope: 2, Flows: 3}}\n",
        "schema_version: 1\nname: x\nscheduler: {type: [a], attributes: [1]}\n",
        "schema_version: 1\nname: x\nscheduler:\n",
        "schema_version: 1\nname: x\nmodules: [{category: scheduler, type: ns3::QueueDisc}]\n",
        "schema_version: 1\nname: x\ntimeline: [{at: 1s}, {at: 2s, spawn: {}, set: {}}, "
        "{at: x, teardown: 3}, {}]\n",
        "schema_version: 1\nname: x\ntopology: {links: [{ends: [a]}, {ends: a}, {}]}\n",
        "schema_version: 99999999999999999999999999\n",
        "? [complex, key]\n: value\n",
        "&a [*a]\n",
        "schema_version: 1\nname: x\ninherit: [modules, modules, genes]\n",
        "schema_version: 1\nname: \"\\x00\"\n",
        std::string(200, '[') + std::string(200, ']'),
        std::string("schema_version: 1\nname: ") + std::string(1, '\0') + "\n",
    };
    for (const auto& in : inputs)
    {
        GenesisProfileReadResult r;
        ASSERT_NO_THROW(r = GenesisProfileReader::ReadString(in, "m.yaml")) << in;
        EXPECT_FALSE(r.Ok()) << "accepted: " << in;
        for (const auto& d : r.diagnostics)
        {
            EXPECT_FALSE(d.message.empty());
            EXPECT_EQ(d.location.file, "m.yaml");
        }
    }
}

/// Every prefix of the good files (cut at each line) reads without crashing:
/// either cleanly or with diagnostics.
TEST(GenesisProfileReader, TruncatedGoodFilesNeverCrash)
{
    std::size_t nRead = 0;
    for (const char* name : {"video.yaml", "video-hd.yaml", "cellularip.yaml"})
    {
        std::string text = Slurp(Example(name));
        ASSERT_FALSE(text.empty());
        for (std::size_t pos = 0; pos != std::string::npos; pos = text.find('\n', pos + 1))
        {
            for (std::size_t cut : {pos, pos + 4})
            {
                std::string prefix = text.substr(0, std::min(cut, text.size()));
                GenesisProfileReadResult r;
                ASSERT_NO_THROW(r = GenesisProfileReader::ReadString(prefix, name)) << prefix;
                EXPECT_TRUE(r.Ok() || !r.diagnostics.empty());
                if (!r.Ok())
                {
                    EXPECT_GT(r.GetNErrors(), 0u);
                }
                ++nRead;
            }
        }
    }
    EXPECT_GT(nRead, 150u);
}

} // namespace

TEST(GenesisProfileReaderBytes, InvalidUtf8AndControlCharactersAreReportedWhereTheyAre)
{
    // yaml-cpp 0.7 ran for minutes on invalid UTF-8 the fuzzer produced: the
    // reader reports such bytes itself, at their place, before parsing.
    GenesisProfileReadResult r =
        GenesisProfileReader::ReadString("schema_version: 1\nname: ab\x9e\n", "bytes.yaml");
    ASSERT_FALSE(r.Ok());
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_EQ(r.diagnostics[0].location.line, 2U);
    EXPECT_EQ(r.diagnostics[0].location.column, 9U);
    EXPECT_NE(r.diagnostics[0].message.find("byte 0x9e that is not valid UTF-8"), std::string::npos)
        << r.diagnostics[0].message;

    r = GenesisProfileReader::ReadString("schema_version: 1\n\x01name: a\n", "bytes.yaml");
    ASSERT_FALSE(r.Ok());
    EXPECT_EQ(r.diagnostics[0].location.line, 2U);
    EXPECT_EQ(r.diagnostics[0].location.column, 1U);
    EXPECT_NE(r.diagnostics[0].message.find("control character 0x01"), std::string::npos);

    // Valid multi-byte UTF-8 (in a comment) and tabs in a comment pass this check.
    r = GenesisProfileReader::ReadString("# r\xc3\xa9seau\t\xe2\x82\xac\nschema_version: 1\n",
                                         "bytes.yaml");
    for (const auto& d : r.diagnostics)
    {
        EXPECT_EQ(d.message.find("UTF-8"), std::string::npos) << d.message;
        EXPECT_EQ(d.message.find("control character"), std::string::npos) << d.message;
    }
}

namespace
{

/// The 1-based line and column just after \p prefix (where text appended to it starts).
std::pair<uint32_t, uint32_t>
EndOf(const std::string& prefix)
{
    const auto lines = static_cast<uint32_t>(std::count(prefix.begin(), prefix.end(), '\n'));
    const std::size_t lastNl = prefix.rfind('\n');
    const std::size_t col =
        lastNl == std::string::npos ? prefix.size() : prefix.size() - lastNl - 1;
    return {lines + 1, static_cast<uint32_t>(col) + 1};
}

/// \return true when some diagnostic of \p r is a YAML syntax error
bool
HasSyntaxError(const GenesisProfileReadResult& r)
{
    for (const auto& d : r.diagnostics)
    {
        if (d.message.find("YAML syntax error") != std::string::npos)
        {
            return true;
        }
    }
    return false;
}

} // namespace

TEST(GenesisProfileReaderStrayComma, FuzzRegressionIsReportedAtItsComma)
{
    // yaml-cpp 0.7's LoadAll never returned on this input the fuzzer found (a
    // document starting with a ',' outside brackets is parsed as a null that
    // does not consume the ',', for ever); the reader reports the ','.
    const std::string path = SourceDir() + "/../fuzz/regressions/yaml-cpp-leading-comma-loop.yaml";
    ASSERT_FALSE(Slurp(path).empty()) << path;
    GenesisProfileReadResult r = GenesisProfileReader::ReadFile(path);
    ExpectDiagnostics(r, {Expected{1, 1, E, "YAML syntax error: a ',' outside brackets"}});
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_EQ(r.diagnostics[0].location.file, path);
    EXPECT_NE(r.diagnostics[0].hint.find("[a, b]"), std::string::npos) << r.Format();
}

TEST(GenesisProfileReaderStrayComma, EveryNodeStartingWithACommaIsReportedWhereItIs)
{
    // Whatever precedes it (document markers, properties, a finished
    // document, a block scalar) and whatever follows it, a ',' where a YAML
    // node must start is one YAML syntax error at the ','. The same texts
    // with the ',' inside a flow sequence get no diagnostic about a ','.
    const std::vector<std::string> prefixes = {"",
                                               "  ",
                                               "---\n",
                                               "--- ",
                                               "&anchor ",
                                               "!!str ",
                                               "&a !!map ",
                                               "- a\n",
                                               "- a\n- b\n",
                                               "'quoted' ",
                                               "\"quoted\" ",
                                               "|\n  block text\n",
                                               "schema_version: 1\nname: x\n...\n",
                                               "schema_version: 1\nname: x\n---\n",
                                               "# a comment\n\n"};
    const std::vector<std::string> suffixes = {"",
                                               " a",
                                               ", a{sing key, wrong ?version: 1",
                                               ",",
                                               " [a, b]",
                                               " {a: b}",
                                               " x ?y: 1\nname: z",
                                               "\nschema_version: 1"};
    std::size_t n = 0;
    for (const auto& prefix : prefixes)
    {
        for (const auto& suffix : suffixes)
        {
            const std::string text = prefix + "," + suffix + "\n";
            const auto where = EndOf(prefix);
            GenesisProfileReadResult r = GenesisProfileReader::ReadString(text, "comma.yaml");
            ASSERT_EQ(r.diagnostics.size(), 1U) << text << "\n" << r.Format();
            const auto& d = r.diagnostics[0];
            EXPECT_EQ(d.location.file, "comma.yaml");
            EXPECT_EQ(d.location.line, where.first) << text << "\n" << d.ToString();
            EXPECT_EQ(d.location.column, where.second) << text << "\n" << d.ToString();
            EXPECT_NE(d.message.find("YAML syntax error"), std::string::npos) << text << "\n"
                                                                              << d.ToString();
            // yaml-cpp itself throws ("end of map not found", at the same
            // ',') when a ':' later on the line makes what precedes the ','
            // a mapping key; without a ':', it is the reader that stops
            // the endless loop.
            if (suffix.find(':') == std::string::npos)
            {
                EXPECT_NE(d.message.find("a ',' outside brackets"), std::string::npos)
                    << text << "\n"
                    << d.ToString();
                ++n;
            }

            // In brackets, the same ',' is a separator.
            const std::string inFlow = prefix + "[x," + suffix + "]\n";
            r = GenesisProfileReader::ReadString(inFlow, "comma.yaml");
            for (const auto& e : r.diagnostics)
            {
                EXPECT_EQ(e.message.find("','"), std::string::npos) << inFlow << "\n"
                                                                    << e.ToString();
            }
        }
    }
    const auto withoutColon =
        std::count_if(suffixes.begin(), suffixes.end(), [](const std::string& x) {
            return x.find(':') == std::string::npos;
        });
    EXPECT_EQ(n, prefixes.size() * static_cast<std::size_t>(withoutColon));

    // A ',' after a quoted scalar that ends a block sequence's document
    // (the shape of yaml-cpp issue 1040's follow-ups): reported at the ','.
    GenesisProfileReadResult r =
        GenesisProfileReader::ReadString("- macro: m\n  condition:\n    (a in (\n\"b\",\n"
                                         "    \"c\"\n    )\n",
                                         "seq.yaml");
    ExpectDiagnostics(r, {Expected{4, 4, E, "a ',' outside brackets"}});
}

TEST(GenesisProfileReaderStrayComma, FlowCollectionsProfilesUseStillRead)
{
    const std::string text = "schema_version: 1\n"
                             "name: flows\n"
                             "parent: root\n"
                             "address_space: 10.60.0.0/16\n"
                             "capacity: {class: controlled, rate: 2Mbps}\n"
                             "topology:\n"
                             "  routelets:\n"
                             "    - {name: gateway, node: 0}\n"
                             "    - {name: bs1, node: 1}\n"
                             "    - name: bs2\n"
                             "      node: 2\n"
                             "  links:\n"
                             "    - {name: up1, ends: [gateway, bs1]}\n"
                             "    - name: up2\n"
                             "      ends: [gateway, bs2]\n"
                             "      via: [3, 4]\n"
                             "  hosts:\n"
                             "    - {name: m1, node: 20, routelet: bs1, address: 10.60.1.10}\n"
                             "membership: [m1, 10.60.0.0/16]\n"
                             "inherit: [policy]\n";
    GenesisProfileReadResult r = GenesisProfileReader::ReadString(text, "flows.yaml");
    EXPECT_TRUE(r.diagnostics.empty()) << r.Format();
    EXPECT_FALSE(HasSyntaxError(r));
    const GenesisProfile& p = r.profile;
    EXPECT_EQ(p.rate, DataRate("2Mbps"));
    ASSERT_EQ(p.routelets.size(), 3U);
    EXPECT_EQ(p.routelets[1].name, "bs1");
    ASSERT_EQ(p.links.size(), 2U);
    EXPECT_EQ(p.links[0].name, "up1");
    EXPECT_EQ(p.links[0].a, "gateway");
    EXPECT_EQ(p.links[0].b, "bs1");
    EXPECT_EQ(p.links[1].a, "gateway");
    EXPECT_EQ(p.links[1].b, "bs2");
    EXPECT_EQ(p.links[1].via.size(), 2U);
    ASSERT_EQ(p.hosts.size(), 1U);
    EXPECT_EQ(p.hosts[0].address, Ipv4Address("10.60.1.10"));
    ASSERT_EQ(p.membership.size(), 2U);

    // A ',' inside a plain value (not where a node starts) is text, as in YAML.
    r = GenesisProfileReader::ReadString("schema_version: 1\nname: a, b\n", "plain.yaml");
    EXPECT_FALSE(HasSyntaxError(r)) << r.Format();
}
