/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "profile.h"

#include <algorithm>

namespace ns3
{

std::string
GenesisLocation::ToString() const
{
    if (line == 0)
    {
        return file;
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char*
GenesisModuleSpec::CategoryName(Category c)
{
    switch (c)
    {
    case ENCAPSULATOR:
        return "encapsulator";
    case FORWARDER:
        return "forwarder";
    case CLASSIFIER:
        return "classifier";
    case PROCESSOR:
        return "processor";
    case SCHEDULER:
        return "scheduler";
    }
    return "?";
}

std::vector<std::string>
GenesisModuleSpec::CategoryBases(Category c)
{
    switch (c)
    {
    case ENCAPSULATOR:
        // a port device that encapsulates (VirtualNetDevice) or an L4 protocol (the shim)
        return {"ns3::NetDevice", "ns3::IpL4Protocol"};
    case FORWARDER:
        return {"ns3::Ipv4RoutingProtocol"};
    case CLASSIFIER:
        return {"ns3::PacketFilter"};
    case PROCESSOR:
        // meters, markers, policers, shapers, filters, monitors
        return {"ns3::QueueDisc", "ns3::PacketFilter"};
    case SCHEDULER:
        return {"ns3::QueueDisc"};
    }
    return {};
}

GenesisProfile::GenesisProfile()
{
    scheduler.typeId = "ns3::FifoQueueDisc";
}

const GenesisRouteletSpec*
GenesisProfile::FindRoutelet(const std::string& n) const
{
    for (const auto& r : routelets)
    {
        if (r.name == n)
        {
            return &r;
        }
    }
    return nullptr;
}

const GenesisLinkSpec*
GenesisProfile::FindLink(const std::string& n) const
{
    for (const auto& l : links)
    {
        if (l.name == n)
        {
            return &l;
        }
    }
    return nullptr;
}

bool
GenesisProfile::Inherits(Inheritable what) const
{
    return std::find(inherit.begin(), inherit.end(), what) != inherit.end();
}

} // namespace ns3
