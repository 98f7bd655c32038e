/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-report.h"

#include "genesis-graphviz.h"

#include "ns3/boolean.h"
#include "ns3/genesis-error.h"
#include "ns3/log.h"
#include "ns3/profile-database.h"
#include "ns3/sqlite-database.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iomanip>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisReport");
NS_OBJECT_ENSURE_REGISTERED(GenesisReport);

namespace
{

/// Okabe-Ito colours (readable by colour-blind readers), then greys.
const char* const PALETTE[] =
    {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"};
constexpr std::size_t N_PALETTE = sizeof(PALETTE) / sizeof(PALETTE[0]);

/// A number for people: up to \p digits significant digits, no trailing zeros.
std::string
Num(double v, int digits = 4)
{
    if (std::fabs(v) < 1e-12)
    {
        return "0";
    }
    std::ostringstream os;
    os << std::setprecision(digits) << v;
    return os.str();
}

/// A tick label: as many decimals as the step needs; k, M, G when the step is large.
std::string
TickLabel(double v, double step)
{
    for (const auto& [scale, suffix] :
         {std::make_pair(1e9, "G"), std::make_pair(1e6, "M"), std::make_pair(1e3, "k")})
    {
        if (step >= scale / 10)
        {
            int decimals =
                std::max(0, -static_cast<int>(std::floor(std::log10(step / scale) + 1e-9)));
            std::ostringstream os;
            os << std::fixed << std::setprecision(std::min(decimals, 3)) << v / scale << suffix;
            return std::fabs(v) < step * 1e-6 ? std::string("0") : os.str();
        }
    }
    int decimals =
        step > 0 ? std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9))) : 0;
    if (std::fabs(v) < step * 1e-6)
    {
        v = 0;
    }
    std::ostringstream os;
    os << std::fixed << std::setprecision(std::min(decimals, 9)) << v;
    return os.str();
}

std::string
Rate(int64_t bps)
{
    return GenesisFormatRate(bps < 0 ? 0 : static_cast<uint64_t>(bps));
}

/// Coordinates with two decimals (compact, exact enough for the screen).
std::string
C(double v)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << v;
    return os.str();
}

const char* const CSS = R"CSS(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1100px;
       padding: 16px 28px 40px; color: #1a1a1a; background: #ffffff; line-height: 1.4; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #0072B2; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.sub { color: #555; margin: 0 0 12px; }
p.none { color: #666; font-style: italic; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #ccd3dc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.torn_down td { color: #777; }
tr.refused td, td.refused { color: #b00020; }
.figure { margin: 8px 0 16px; }
.figure svg { max-width: 100%; height: auto; }
.grid { display: flex; flex-wrap: wrap; gap: 14px; }
.grid .figure { flex: 0 0 auto; }
svg.genesis-plot text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; font-size: 14px; }
dl.summary dt { font-weight: bold; }
dl.summary dd { margin: 0; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
footer { margin-top: 36px; color: #777; font-size: 12px; }
)CSS";

/// Table rows as text, from any query.
struct Rows
{
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<bool>> nulls;
};

Rows
Query(SqliteDatabase& db, const std::string& sql)
{
    Rows r;
    SqliteStatement s = db.Prepare(sql);
    for (int c = 0; c < s.GetColumnCount(); ++c)
    {
        r.columns.push_back(s.GetColumnName(c));
    }
    while (s.Step())
    {
        std::vector<std::string> row;
        std::vector<bool> nulls;
        for (int c = 0; c < s.GetColumnCount(); ++c)
        {
            row.push_back(s.GetText(c));
            nulls.push_back(s.IsNull(c));
        }
        r.rows.push_back(row);
        r.nulls.push_back(nulls);
    }
    return r;
}

} // namespace

// ------------------------------------------------------------------ object

TypeId
GenesisReport::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GenesisReport")
            .SetParent<Object>()
            .SetGroupName("Genesis")
            .AddConstructor<GenesisReport>()
            .AddAttribute("Title",
                          "Title of the report; empty: 'Genesis run report: <file name>'.",
                          StringValue(""),
                          MakeStringAccessor(&GenesisReport::m_title),
                          MakeStringChecker())
            .AddAttribute("UseDot",
                          "Lay out the tree and the topologies with Graphviz dot when it is "
                          "installed; false (or dot missing): the report draws the tree itself "
                          "and lists the topologies as tables.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GenesisReport::m_useDot),
                          MakeBooleanChecker())
            .AddAttribute("PlotWidth",
                          "Width of every plot in pixels, legend included.",
                          UintegerValue(500),
                          MakeUintegerAccessor(&GenesisReport::m_plotWidth),
                          MakeUintegerChecker<uint32_t>(240, 4000))
            .AddAttribute("PlotHeight",
                          "Height of every plot in pixels.",
                          UintegerValue(280),
                          MakeUintegerAccessor(&GenesisReport::m_plotHeight),
                          MakeUintegerChecker<uint32_t>(120, 4000));
    return tid;
}

GenesisReport::GenesisReport()
    : m_useDot(true),
      m_plotWidth(500),
      m_plotHeight(280),
      m_schemaVersion(0)
{
    NS_LOG_FUNCTION(this);
}

GenesisReport::~GenesisReport()
{
    NS_LOG_FUNCTION(this);
}

void
GenesisReport::DoDispose()
{
    Close();
    Object::DoDispose();
}

void
GenesisReport::Open(const std::string& path)
{
    NS_LOG_FUNCTION(this << path);
    Close();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
    {
        throw GenesisError("genesis-report: cannot open '" + path + "': " + std::strerror(errno) +
                           "; give the .sqlite file a Genesis run wrote (the --db option of the "
                           "examples, e.g. genesis-spawn.sqlite)");
    }
    if (!S_ISREG(st.st_mode))
    {
        throw GenesisError("genesis-report: '" + path +
                           "' is not a regular file; give the .sqlite file of a Genesis run");
    }
    // SQLite's magic header, read before SQLite touches the file.
    {
        std::ifstream in(path, std::ios::binary);
        char magic[16] = {};
        in.read(magic, sizeof(magic));
        if (in.gcount() != 16 || std::memcmp(magic, "SQLite format 3", 16) != 0)
        {
            throw GenesisError("genesis-report: '" + path +
                               "' is not an SQLite database (no SQLite header); give the .sqlite "
                               "file a Genesis run wrote (--db of the examples)");
        }
    }
    auto db = std::make_unique<SqliteDatabase>(path);
    m_db = std::move(db);
    m_path = path;
    try
    {
        if (!HasTable("meta") || !HasTable("networks"))
        {
            throw GenesisError("genesis-report: '" + path +
                               "' is an SQLite database but not a Genesis run database (no meta "
                               "and networks tables); give the file written by "
                               "GenesisProfileDatabase (--db of the examples)");
        }
        std::string v = m_db->QueryText("SELECT value FROM meta WHERE key = 'schema_version'");
        char* end = nullptr;
        long long version = std::strtoll(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || version < 1)
        {
            throw GenesisError("genesis-report: '" + path +
                               "' has no valid meta.schema_version ('" + v +
                               "'); it is not a Genesis run database");
        }
        if (version > GenesisProfileDatabase::SCHEMA_VERSION)
        {
            throw GenesisError("genesis-report: '" + path + "' has schema version " +
                               std::to_string(version) +
                               ", newer than this genesis-report understands (versions 1 to " +
                               std::to_string(GenesisProfileDatabase::SCHEMA_VERSION) +
                               "); use the genesis-report built with the Genesis that wrote it");
        }
        m_schemaVersion = version;
        for (const char* t : {"routelets", "vlinks", "devices"})
        {
            if (!HasTable(t))
            {
                throw GenesisError("genesis-report: '" + path + "' lacks the table " + t +
                                   " every Genesis run database has; the file is damaged or "
                                   "not from Genesis");
            }
        }
    }
    catch (const GenesisError&)
    {
        Close();
        throw;
    }
}

bool
GenesisReport::IsOpen() const
{
    return m_db != nullptr;
}

void
GenesisReport::Close()
{
    if (m_db)
    {
        m_db->Close();
        m_db.reset();
    }
}

SqliteDatabase&
GenesisReport::GetDatabase()
{
    if (!m_db)
    {
        throw GenesisError("GenesisReport: no database is open; call Open(path) first");
    }
    return *m_db;
}

bool
GenesisReport::HasTable(const std::string& name)
{
    SqliteStatement s =
        GetDatabase().Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    s.Bind(1, name);
    return s.Step();
}

bool
GenesisReport::HasColumn(const std::string& table, const std::string& column)
{
    SqliteStatement s = GetDatabase().Prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    s.Bind(1, table).Bind(2, column);
    return s.Step();
}

// ------------------------------------------------------------------ plots

std::string
GenesisReport::Escape(const std::string& text)
{
    std::string out;
    for (char c : text)
    {
        switch (c)
        {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::vector<double>
GenesisReport::NiceTicks(double lo, double hi, uint32_t maxTicks)
{
    maxTicks = std::max<uint32_t>(maxTicks, 2);
    if (!std::isfinite(lo) || !std::isfinite(hi))
    {
        return {0, 1};
    }
    if (hi < lo)
    {
        std::swap(lo, hi);
    }
    if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi)))
    {
        // One value: a range around it.
        double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.5 : 1.0;
        lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
        hi = hi + pad;
    }
    double raw = (hi - lo) / (maxTicks - 1);
    double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag * 10;
    for (double m : {1.0, 2.0, 5.0, 10.0})
    {
        double s = m * mag;
        double first = std::floor(lo / s + 1e-9) * s;
        double last = std::ceil(hi / s - 1e-9) * s;
        if (std::llround((last - first) / s) + 1 <= static_cast<long long>(maxTicks))
        {
            step = s;
            break;
        }
    }
    double first = std::floor(lo / step + 1e-9) * step;
    double last = std::ceil(hi / step - 1e-9) * step;
    std::vector<double> ticks;
    long long n = std::llround((last - first) / step);
    for (long long i = 0; i <= n; ++i)
    {
        double t = first + i * step;
        ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
    }
    return ticks;
}

std::string
GenesisReport::RenderPlot(const GenesisPlot& plot)
{
    const double W = plot.width;
    const double H = plot.height;
    // Legend to the right of the plot area, long enough for the names.
    std::size_t longest = 0;
    for (const auto& s : plot.series)
    {
        longest = std::max(longest, s.name.size());
    }
    const double legendW = plot.series.empty() ? 0 : std::min(260.0, 40.0 + 6.6 * longest);
    const double left = 64;
    const double right = W - legendW - 14;
    const double top = plot.title.empty() ? 14 : 32;
    const double bottom = H - 44;

    double xlo = std::numeric_limits<double>::infinity();
    double xhi = -xlo;
    double ylo = xlo;
    double yhi = -xlo;
    for (const auto& s : plot.series)
    {
        for (const auto& p : s.points)
        {
            if (!std::isfinite(p.first) || !std::isfinite(p.second))
            {
                continue;
            }
            xlo = std::min(xlo, p.first);
            xhi = std::max(xhi, p.first);
            ylo = std::min(ylo, p.second);
            yhi = std::max(yhi, p.second);
        }
    }
    bool empty = !std::isfinite(xlo);
    if (empty)
    {
        xlo = 0;
        xhi = 1;
        ylo = 0;
        yhi = 1;
    }
    if (plot.xMax > plot.xMin)
    {
        xlo = plot.xMin;
        xhi = plot.xMax;
    }
    if (plot.yFromZero)
    {
        ylo = std::min(0.0, ylo);
    }
    std::vector<double> xt = NiceTicks(xlo, xhi, std::max<uint32_t>(3, (right - left) / 55));
    std::vector<double> yt = NiceTicks(ylo, yhi, std::max<uint32_t>(3, (bottom - top) / 40));
    const double x0 = xt.front();
    const double x1 = xt.back();
    const double y0 = yt.front();
    const double y1 = yt.back();
    auto X = [&](double x) { return left + (x - x0) / (x1 - x0) * (right - left); };
    auto Y = [&](double y) { return bottom - (y - y0) / (y1 - y0) * (bottom - top); };

    std::ostringstream os;
    os << "<svg class=\"genesis-plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W
       << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << " " << H
       << "\" role=\"img\" aria-label=\"" << Escape(plot.title) << "\">\n";
    os << "<rect x=\"0\" y=\"0\" width=\"" << W << "\" height=\"" << H << "\" fill=\"#ffffff\"/>\n";
    if (!plot.title.empty())
    {
        os << "<text x=\"" << C((left + right) / 2) << "\" y=\"18\" text-anchor=\"middle\" "
           << "font-size=\"13\" font-weight=\"bold\">" << Escape(plot.title) << "</text>\n";
    }
    // Grid and ticks.
    os << "<g class=\"grid\" stroke=\"#e3e6ea\" stroke-width=\"1\">\n";
    for (double t : yt)
    {
        os << "<line x1=\"" << C(left) << "\" y1=\"" << C(Y(t)) << "\" x2=\"" << C(right)
           << "\" y2=\"" << C(Y(t)) << "\"/>\n";
    }
    for (double t : xt)
    {
        os << "<line x1=\"" << C(X(t)) << "\" y1=\"" << C(top) << "\" x2=\"" << C(X(t))
           << "\" y2=\"" << C(bottom) << "\"/>\n";
    }
    os << "</g>\n<g class=\"axes\" stroke=\"#222222\" stroke-width=\"1\" font-size=\"11\">\n";
    os << "<line x1=\"" << C(left) << "\" y1=\"" << C(bottom) << "\" x2=\"" << C(right)
       << "\" y2=\"" << C(bottom) << "\"/>\n";
    os << "<line x1=\"" << C(left) << "\" y1=\"" << C(top) << "\" x2=\"" << C(left) << "\" y2=\""
       << C(bottom) << "\"/>\n";
    const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1;
    const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
    for (double t : xt)
    {
        os << "<line x1=\"" << C(X(t)) << "\" y1=\"" << C(bottom) << "\" x2=\"" << C(X(t))
           << "\" y2=\"" << C(bottom + 5) << "\"/>\n";
        os << "<text class=\"xtick\" x=\"" << C(X(t)) << "\" y=\"" << C(bottom + 18)
           << "\" text-anchor=\"middle\" stroke=\"none\" fill=\"#222222\">" << TickLabel(t, xstep)
           << "</text>\n";
    }
    for (double t : yt)
    {
        os << "<line x1=\"" << C(left - 5) << "\" y1=\"" << C(Y(t)) << "\" x2=\"" << C(left)
           << "\" y2=\"" << C(Y(t)) << "\"/>\n";
        os << "<text class=\"ytick\" x=\"" << C(left - 8) << "\" y=\"" << C(Y(t) + 4)
           << "\" text-anchor=\"end\" stroke=\"none\" fill=\"#222222\">" << TickLabel(t, ystep)
           << "</text>\n";
    }
    os << "</g>\n";
    os << "<text x=\"" << C((left + right) / 2) << "\" y=\"" << C(H - 8)
       << "\" text-anchor=\"middle\" font-size=\"12\">" << Escape(plot.xLabel) << "</text>\n";
    os << "<text x=\"14\" y=\"" << C((top + bottom) / 2) << "\" text-anchor=\"middle\" "
       << "font-size=\"12\" transform=\"rotate(-90 14 " << C((top + bottom) / 2) << ")\">"
       << Escape(plot.yLabel) << "</text>\n";
    if (empty)
    {
        os << "<text x=\"" << C((left + right) / 2) << "\" y=\"" << C((top + bottom) / 2)
           << "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#666666\">no data</text>\n";
    }
    // Lines, clipped to the plot area.
    // Named after its geometry: plots of the same shape share one clip
    // rectangle, and the same data always gives the same text.
    const std::string clip = "genesis-clip-" + std::to_string(std::lround(left)) + "-" +
                             std::to_string(std::lround(top)) + "-" +
                             std::to_string(std::lround(right)) + "-" +
                             std::to_string(std::lround(bottom));
    os << "<clipPath id=\"" << clip << "\"><rect x=\"" << C(left - 3) << "\" y=\"" << C(top - 3)
       << "\" width=\"" << C(right - left + 6) << "\" height=\"" << C(bottom - top + 6)
       << "\"/></clipPath>\n<g clip-path=\"url(#" << clip << ")\">\n";
    for (std::size_t i = 0; i < plot.series.size(); ++i)
    {
        const auto& s = plot.series[i];
        std::string color = s.color.empty() ? PALETTE[i % N_PALETTE] : s.color;
        std::ostringstream pts;
        bool firstPoint = true;
        double prevY = 0;
        for (const auto& p : s.points)
        {
            if (!std::isfinite(p.first) || !std::isfinite(p.second))
            {
                continue;
            }
            if (s.step && !firstPoint)
            {
                pts << C(X(p.first)) << "," << C(Y(prevY)) << " ";
            }
            pts << C(X(p.first)) << "," << C(Y(p.second)) << " ";
            prevY = p.second;
            firstPoint = false;
        }
        if (s.step && !firstPoint)
        {
            pts << C(right) << "," << C(Y(prevY)); // holds until the end of the axis
        }
        os << "<polyline class=\"series\" data-name=\"" << Escape(s.name) << "\" fill=\"none\" "
           << "stroke=\"" << color << "\" stroke-width=\"" << (s.dashed ? "1.6" : "2")
           << "\" stroke-linejoin=\"round\"" << (s.dashed ? " stroke-dasharray=\"6 4\"" : "")
           << " points=\"" << pts.str() << "\"/>\n";
        if (s.markers)
        {
            for (const auto& p : s.points)
            {
                if (std::isfinite(p.first) && std::isfinite(p.second))
                {
                    os << "<circle cx=\"" << C(X(p.first)) << "\" cy=\"" << C(Y(p.second))
                       << "\" r=\"3\" fill=\"" << color << "\"/>\n";
                }
            }
        }
    }
    os << "</g>\n";
    // Legend.
    if (!plot.series.empty())
    {
        const double lx = right + 18;
        double ly = top + 6;
        os << "<g class=\"legend\" font-size=\"11\">\n";
        for (std::size_t i = 0; i < plot.series.size(); ++i)
        {
            const auto& s = plot.series[i];
            std::string color = s.color.empty() ? PALETTE[i % N_PALETTE] : s.color;
            os << "<line x1=\"" << C(lx) << "\" y1=\"" << C(ly) << "\" x2=\"" << C(lx + 22)
               << "\" y2=\"" << C(ly) << "\" stroke=\"" << color << "\" stroke-width=\"2\""
               << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << "/>\n";
            os << "<text x=\"" << C(lx + 28) << "\" y=\"" << C(ly + 4) << "\">" << Escape(s.name)
               << "</text>\n";
            ly += 16;
            if (ly > H - 10)
            {
                break; // more lines than room: the table below the plot has them all
            }
        }
        os << "</g>\n";
    }
    os << "</svg>\n";
    return os.str();
}

// ------------------------------------------------------------------ report

std::string
GenesisReport::NetName(int64_t id)
{
    SqliteStatement s = GetDatabase().Prepare("SELECT name FROM networks WHERE network_id = ?");
    s.Bind(1, id);
    return s.Step() ? s.GetText(0) : "network " + std::to_string(id);
}

std::string
GenesisReport::NetColor(int64_t id)
{
    return PALETTE[static_cast<std::size_t>(id < 0 ? 0 : id) % N_PALETTE];
}

double
GenesisReport::EndSeconds()
{
    SqliteDatabase& db = GetDatabase();
    int64_t end = db.QueryInt64("SELECT max(coalesce(max(created_at_ns), 0), "
                                "coalesce(max(spawned_at_ns), 0), coalesce(max(torn_down_at_ns), "
                                "0)) FROM networks");
    auto more = [&](const std::string& table, const std::string& column) {
        if (HasTable(table))
        {
            end = std::max(end,
                           db.QueryInt64("SELECT coalesce(max(" + column + "), 0) FROM " + table));
        }
    };
    more("statistics", "time_ns");
    more("refusals", "time_ns");
    more("link_stats", "time_ns");
    more("allocation_changes", "time_ns");
    more("bids", "time_ns");
    more("changes", "time_ns");
    return end / 1e9;
}

namespace
{

/// An HTML table from a query result; columns ending in _bps are shown as rates, _ns as seconds.
std::string
HtmlTable(const Rows& r, const std::string& rowClassColumn = "")
{
    std::ostringstream os;
    os << "<table>\n<tr>";
    int classCol = -1;
    for (std::size_t c = 0; c < r.columns.size(); ++c)
    {
        if (r.columns[c] == rowClassColumn)
        {
            classCol = static_cast<int>(c);
        }
        std::string h = r.columns[c];
        if (h.size() > 4 && h.substr(h.size() - 4) == "_bps")
        {
            h = h.substr(0, h.size() - 4);
        }
        else if (h.size() > 3 && h.substr(h.size() - 3) == "_ns")
        {
            h = h.substr(0, h.size() - 3) + " (s)";
        }
        os << "<th>" << GenesisReport::Escape(h) << "</th>";
    }
    os << "</tr>\n";
    for (std::size_t i = 0; i < r.rows.size(); ++i)
    {
        os << "<tr"
           << (classCol >= 0 ? " class=\"" + GenesisReport::Escape(r.rows[i][classCol]) + "\""
                             : std::string())
           << ">";
        for (std::size_t c = 0; c < r.columns.size(); ++c)
        {
            const std::string& col = r.columns[c];
            const std::string& v = r.rows[i][c];
            bool isNull = r.nulls[i][c];
            bool bps = col.size() > 4 && col.substr(col.size() - 4) == "_bps";
            bool ns = col.size() > 3 && col.substr(col.size() - 3) == "_ns";
            if (isNull)
            {
                os << "<td></td>";
            }
            else if (bps)
            {
                os << "<td class=\"num\">" << Rate(std::llround(std::atof(v.c_str()))) << "</td>";
            }
            else if (ns)
            {
                std::ostringstream s;
                s << std::fixed << std::setprecision(3) << std::atof(v.c_str()) / 1e9;
                os << "<td class=\"num\">" << s.str() << "</td>";
            }
            else
            {
                os << "<td>" << GenesisReport::Escape(v) << "</td>";
            }
        }
        os << "</tr>\n";
    }
    os << "</table>\n";
    return os.str();
}

std::string
Figure(const std::string& svg)
{
    return "<div class=\"figure\">\n" + svg + "</div>\n";
}

} // namespace

std::string
GenesisReport::Summary()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<dl class=\"summary\">\n";
    os << "<dt>database</dt><dd><code>" << Escape(m_path) << "</code></dd>\n";
    os << "<dt>schema version</dt><dd>" << m_schemaVersion << "</dd>\n";
    std::string gen = db.QueryText("SELECT value FROM meta WHERE key = 'generator'");
    if (!gen.empty())
    {
        os << "<dt>written by</dt><dd>" << Escape(gen) << "</dd>\n";
    }
    os << "<dt>last recorded event</dt><dd>" << Num(EndSeconds(), 6)
       << " s of simulated time</dd>\n";
    os << "<dt>physical network</dt><dd>"
       << db.QueryInt64("SELECT count(*) FROM routelets WHERE "
                        "network_id = 0")
       << " Genesis nodes, " << db.QueryInt64("SELECT count(*) FROM devices")
       << " managed devices</dd>\n";
    os << "<dt>child networks</dt><dd>"
       << db.QueryInt64("SELECT count(*) FROM networks WHERE parent_id IS NOT NULL") << " ("
       << db.QueryInt64("SELECT count(*) FROM networks WHERE state = 'spawned' AND parent_id IS "
                        "NOT NULL")
       << " running at the end, "
       << db.QueryInt64("SELECT count(*) FROM networks WHERE state = 'torn_down'")
       << " torn down)</dd>\n";
    if (HasTable("refusals"))
    {
        os << "<dt>refused spawns</dt><dd>" << db.QueryInt64("SELECT count(*) FROM refusals")
           << "</dd>\n";
    }
    std::vector<std::string> present;
    std::vector<std::string> absent;
    for (const char* t :
         {"statistics", "link_stats", "allocation_changes", "bids", "changes", "refusals"})
    {
        (HasTable(t) ? present : absent).push_back(t);
    }
    os << "<dt>optional tables</dt><dd>";
    for (std::size_t i = 0; i < present.size(); ++i)
    {
        os << (i ? ", " : "") << "<code>" << present[i] << "</code>";
    }
    if (!absent.empty())
    {
        os << (present.empty() ? "" : "; ") << "absent: ";
        for (std::size_t i = 0; i < absent.size(); ++i)
        {
            os << (i ? ", " : "") << "<code>" << absent[i] << "</code>";
        }
    }
    os << "</dd>\n</dl>\n";
    // The networks.
    std::string spawned = HasColumn("networks", "spawned_at_ns") ? "spawned_at_ns" : "NULL";
    Rows r = Query(db,
                   "SELECT n.network_id AS id, n.name, p.name AS parent, n.depth, n.class, "
                   "CASE WHEN n.parent_id IS NULL THEN NULL ELSE n.rate_bps END AS rate_bps, "
                   "n.state, n." +
                       spawned +
                       " AS spawned_at_ns, n.torn_down_at_ns FROM networks n LEFT JOIN networks "
                       "p ON p.network_id = n.parent_id ORDER BY n.network_id");
    os << "<h3>Networks</h3>\n" << HtmlTable(r, "state");
    return os.str();
}

std::string
GenesisReport::InlineSvg(const std::string& dot)
{
    std::string svg = GenesisGraphviz::ToSvg(dot);
    std::size_t at = svg.find("<svg");
    return at == std::string::npos ? std::string() : svg.substr(at);
}

std::string
GenesisReport::FallbackTreeSvg()
{
    // A tidy tree: leaves on consecutive slots in depth-first order, parents
    // centred over their children, one row per depth.
    struct N
    {
        int64_t id;
        int64_t parent;
        std::string name;
        std::string cls;
        int64_t rate;
        std::string state;
        double x{0};
        int depth{0};
    };

    std::vector<N> nodes;
    SqliteStatement s = GetDatabase().Prepare(
        "SELECT network_id, parent_id, name, class, rate_bps, state FROM networks ORDER BY 1");
    while (s.Step())
    {
        nodes.push_back(N{s.GetInt64(0),
                          s.IsNull(1) ? -1 : s.GetInt64(1),
                          s.GetText(2),
                          s.GetText(3),
                          s.GetInt64(4),
                          s.GetText(5)});
    }
    double nextSlot = 0;
    int maxDepth = 0;
    std::function<double(std::size_t, int)> place = [&](std::size_t i, int depth) {
        nodes[i].depth = depth;
        maxDepth = std::max(maxDepth, depth);
        std::vector<double> xs;
        for (std::size_t j = 0; j < nodes.size(); ++j)
        {
            if (nodes[j].parent == nodes[i].id)
            {
                xs.push_back(place(j, depth + 1));
            }
        }
        nodes[i].x = xs.empty() ? nextSlot++ : (xs.front() + xs.back()) / 2;
        return nodes[i].x;
    };
    for (std::size_t i = 0; i < nodes.size(); ++i)
    {
        if (nodes[i].parent < 0)
        {
            place(i, 0);
        }
    }
    const double boxW = 150;
    const double boxH = 50;
    const double slotW = 170;
    const double rowH = 86;
    const double W = std::max(1.0, nextSlot) * slotW + 20;
    const double H = (maxDepth + 1) * rowH + 10;
    auto cx = [&](const N& n) { return 10 + n.x * slotW + slotW / 2; };
    auto cy = [&](const N& n) { return 10 + n.depth * rowH + boxH / 2; };
    std::ostringstream os;
    os << "<svg class=\"genesis-tree\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W
       << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << " " << H << "\">\n";
    for (const auto& n : nodes)
    {
        for (const auto& p : nodes)
        {
            if (p.id == n.parent)
            {
                os << "<line x1=\"" << C(cx(p)) << "\" y1=\"" << C(cy(p) + boxH / 2) << "\" x2=\""
                   << C(cx(n)) << "\" y2=\"" << C(cy(n) - boxH / 2)
                   << "\" stroke=\"#555555\" stroke-width=\"1.2\"/>\n";
            }
        }
    }
    for (const auto& n : nodes)
    {
        bool torn = n.state == "torn_down";
        bool defined = n.state == "defined";
        os << "<g class=\"net\"><rect x=\"" << C(cx(n) - boxW / 2) << "\" y=\""
           << C(cy(n) - boxH / 2) << "\" width=\"" << boxW << "\" height=\"" << boxH
           << "\" rx=\"7\" fill=\"" << (n.parent < 0 ? "#dde5f0" : "#f4f7fb") << "\" stroke=\""
           << (torn ? "#888888" : "#333333") << "\""
           << (torn      ? " stroke-dasharray=\"5 3\""
               : defined ? " stroke-dasharray=\"2 2\""
                         : "")
           << "/>\n";
        std::string second =
            n.parent < 0 ? std::string("root (physical)") : n.cls + " " + Rate(n.rate);
        const char* fill = torn ? "#888888" : "#1a1a1a";
        os << "<text x=\"" << C(cx(n)) << "\" y=\"" << C(cy(n) - 8)
           << "\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"" << fill
           << "\">" << Escape(n.name) << "</text>\n";
        os << "<text x=\"" << C(cx(n)) << "\" y=\"" << C(cy(n) + 7)
           << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" << fill << "\">"
           << Escape(second) << "</text>\n";
        os << "<text x=\"" << C(cx(n)) << "\" y=\"" << C(cy(n) + 20)
           << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" << fill << "\">"
           << Escape(n.state) << "</text></g>\n";
    }
    os << "</svg>\n";
    return os.str();
}

std::string
GenesisReport::TreeSection()
{
    std::ostringstream os;
    os << "<h2 id=\"tree\">Network tree</h2>\n";
    os << "<p class=\"sub\">Every network with its parent: capacity class, default link rate, "
          "state at the end of the run (dashed: torn down; dotted: defined, never "
          "spawned).</p>\n";
    if (m_useDot && GenesisGraphviz::HaveDot())
    {
        os << Figure(InlineSvg(GenesisGraphviz::TreeDot(GetDatabase())));
        os << "<p class=\"sub\">Laid out by Graphviz <code>dot</code>.</p>\n";
    }
    else
    {
        os << Figure(FallbackTreeSvg());
        os << "<p class=\"sub\">Drawn by genesis-report ("
           << (m_useDot ? "Graphviz <code>dot</code> is not installed: Debian package graphviz"
                        : "UseDot is false")
           << ").</p>\n";
    }
    return os.str();
}

std::string
GenesisReport::TopologySection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"topology\">Topologies</h2>\n";
    os << "<p class=\"sub\">Routelets on their host nodes and virtual links with their rate and "
          "delay (sum of the channel delays along the physical path); for the root, the "
          "physical links. End hosts are not recorded in the database.</p>\n";
    bool dot = m_useDot && GenesisGraphviz::HaveDot();
    std::vector<std::pair<int64_t, std::string>> nets;
    {
        SqliteStatement s = db.Prepare("SELECT network_id, name FROM networks WHERE network_id "
                                       "IN (SELECT network_id FROM routelets) ORDER BY 1");
        while (s.Step())
        {
            nets.emplace_back(s.GetInt64(0), s.GetText(1));
        }
    }
    if (nets.empty())
    {
        os << "<p class=\"none\">No routelets recorded.</p>\n";
        return os.str();
    }
    if (dot)
    {
        os << "<div class=\"grid\">\n";
        for (const auto& [id, name] : nets)
        {
            os << Figure(InlineSvg(GenesisGraphviz::TopologyDot(db, id)));
        }
        os << "</div>\n";
        return os.str();
    }
    for (const auto& [id, name] : nets)
    {
        os << "<h3>" << Escape(name) << "</h3>\n";
        std::string rname = HasColumn("routelets", "name") ? "name" : "NULL AS name";
        os << HtmlTable(Query(db,
                              "SELECT host_node_id, routelet_node_id, " + rname +
                                  " FROM routelets WHERE network_id = " + std::to_string(id) +
                                  " ORDER BY position"));
        if (id != 0)
        {
            os << HtmlTable(Query(db,
                                  "SELECT link_id, end_a_host, end_b_host, rate_bps, host_path "
                                  "FROM vlinks WHERE network_id = " +
                                      std::to_string(id) + " ORDER BY link_id"));
        }
    }
    return os.str();
}

std::string
GenesisReport::TimelineSection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"timeline\">Spawn and teardown timeline</h2>\n";
    const double end = std::max(EndSeconds(), 1e-9);

    struct Bar
    {
        int64_t id;
        std::string name;
        std::string cls;
        double from; //!< -1: never spawned
        double to;   //!< -1: running at the end
        int depth;
    };

    std::vector<Bar> bars;
    {
        SqliteStatement s = db.Prepare("SELECT network_id, name, coalesce(class, 'root'), "
                                       "spawned_at_ns, torn_down_at_ns, depth FROM networks "
                                       "ORDER BY network_id");
        while (s.Step())
        {
            bars.push_back(Bar{s.GetInt64(0),
                               s.GetText(1),
                               s.GetText(2),
                               s.IsNull(3) ? -1 : s.GetInt64(3) / 1e9,
                               s.IsNull(4) ? -1 : s.GetInt64(4) / 1e9,
                               static_cast<int>(s.GetInt64(5))});
        }
    }
    // Marks: refusals (by network name), allocation changes and run-time changes (by id).
    std::multimap<std::string, double> refused;
    if (HasTable("refusals"))
    {
        SqliteStatement s = db.Prepare("SELECT network_name, time_ns FROM refusals");
        std::set<std::string> known;
        for (const auto& b : bars)
        {
            known.insert(b.name);
        }
        while (s.Step())
        {
            refused.emplace(s.GetText(0), s.GetInt64(1) / 1e9);
            // A spawn refused before its network existed: a row of its own.
            if (known.insert(s.GetText(0)).second)
            {
                bars.push_back(Bar{-1, s.GetText(0), "refused", -1, -1, 1});
            }
        }
    }
    std::multimap<int64_t, double> changed;
    for (const char* t : {"allocation_changes", "changes"})
    {
        if (HasTable(t))
        {
            SqliteStatement s =
                db.Prepare(std::string("SELECT network_id, time_ns FROM ") + t + " ORDER BY 2");
            while (s.Step())
            {
                changed.emplace(s.GetInt64(0), s.GetInt64(1) / 1e9);
            }
        }
    }
    const double W = 2 * m_plotWidth + 14; // as wide as two plots side by side
    const double left = 150;
    const double right = W - 20;
    const double rowH = 24;
    const double top = 10;
    const double H = top + rowH * bars.size() + 50;
    std::vector<double> xt = NiceTicks(0, end, std::max<uint32_t>(3, (right - left) / 70));
    const double x1 = xt.back();
    auto X = [&](double x) { return left + x / x1 * (right - left); };
    os << "<div class=\"figure\"><svg class=\"genesis-timeline\" "
          "xmlns=\"http://www.w3.org/2000/svg\" width=\""
       << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << " " << H << "\">\n";
    os << "<rect x=\"0\" y=\"0\" width=\"" << W << "\" height=\"" << H << "\" fill=\"#ffffff\"/>\n";
    const double bottom = top + rowH * bars.size();
    for (double t : xt)
    {
        os << "<line x1=\"" << C(X(t)) << "\" y1=\"" << C(top) << "\" x2=\"" << C(X(t))
           << "\" y2=\"" << C(bottom) << "\" stroke=\"#e3e6ea\"/>\n";
        os << "<line x1=\"" << C(X(t)) << "\" y1=\"" << C(bottom) << "\" x2=\"" << C(X(t))
           << "\" y2=\"" << C(bottom + 5) << "\" stroke=\"#222222\"/>\n";
        os << "<text x=\"" << C(X(t)) << "\" y=\"" << C(bottom + 18)
           << "\" text-anchor=\"middle\" font-size=\"11\">"
           << TickLabel(t, xt.size() > 1 ? xt[1] - xt[0] : 1) << "</text>\n";
    }
    os << "<line x1=\"" << C(left) << "\" y1=\"" << C(bottom) << "\" x2=\"" << C(right)
       << "\" y2=\"" << C(bottom) << "\" stroke=\"#222222\"/>\n";
    os << "<text x=\"" << C((left + right) / 2) << "\" y=\"" << C(H - 8)
       << "\" text-anchor=\"middle\" font-size=\"12\">simulated time (s)</text>\n";
    for (std::size_t i = 0; i < bars.size(); ++i)
    {
        const Bar& b = bars[i];
        double y = top + rowH * i;
        os << "<text x=\"" << C(left - 8 - 0.0) << "\" y=\"" << C(y + rowH / 2 + 4)
           << "\" text-anchor=\"end\" font-size=\"12\">" << std::string(2 * b.depth, ' ')
           << Escape(b.name) << "</text>\n";
        if (b.from >= 0)
        {
            double to = b.to >= 0 ? b.to : end;
            os << "<rect class=\"bar\" x=\"" << C(X(b.from)) << "\" y=\"" << C(y + 5)
               << "\" width=\"" << C(std::max(2.0, X(to) - X(b.from))) << "\" height=\""
               << C(rowH - 10) << "\" fill=\"" << NetColor(b.id) << "\" fill-opacity=\""
               << (b.to >= 0 ? "0.45" : "0.85") << "\"><title>" << Escape(b.name) << " ("
               << Escape(b.cls) << "): " << Num(b.from) << " s to "
               << (b.to >= 0 ? Num(b.to) + " s" : std::string("the end")) << "</title></rect>\n";
        }
        auto range = refused.equal_range(b.name);
        for (auto it = range.first; it != range.second; ++it)
        {
            double x = X(it->second);
            double cyy = y + rowH / 2;
            os << "<path d=\"M" << C(x - 5) << " " << C(cyy - 5) << " L" << C(x + 5) << " "
               << C(cyy + 5) << " M" << C(x - 5) << " " << C(cyy + 5) << " L" << C(x + 5) << " "
               << C(cyy - 5) << "\" stroke=\"#b00020\" stroke-width=\"2.2\"><title>refused at "
               << Num(it->second) << " s</title></path>\n";
        }
        auto ch = changed.equal_range(b.id);
        for (auto it = ch.first; it != ch.second; ++it)
        {
            double x = X(it->second);
            double cyy = y + rowH / 2;
            os << "<path d=\"M" << C(x) << " " << C(cyy - 5) << " L" << C(x + 4) << " " << C(cyy)
               << " L" << C(x) << " " << C(cyy + 5) << " L" << C(x - 4) << " " << C(cyy)
               << " Z\" fill=\"#222222\"><title>change at " << Num(it->second)
               << " s</title></path>\n";
        }
    }
    os << "</svg></div>\n";
    os << "<p class=\"sub\">Bars: a network running (pale: later torn down); red crosses: refused "
          "spawns; black diamonds: allocation changes and run-time changes.</p>\n";

    // The events, in time order.
    std::string sql = "SELECT spawned_at_ns AS time_ns, name AS network, 'spawned' AS event, "
                      "coalesce(class || ' ' || rate_bps, '') AS detail FROM networks WHERE "
                      "spawned_at_ns IS NOT NULL AND parent_id IS NOT NULL "
                      "UNION ALL SELECT torn_down_at_ns, name, 'torn down', '' FROM networks "
                      "WHERE torn_down_at_ns IS NOT NULL";
    if (HasTable("refusals"))
    {
        sql += " UNION ALL SELECT time_ns, network_name, 'refused', reason FROM refusals";
    }
    if (HasTable("changes"))
    {
        sql += " UNION ALL SELECT c.time_ns, coalesce(n.name, c.network_id), 'change: ' || "
               "c.kind, c.target || CASE WHEN c.old_value IS NULL AND c.new_value IS NULL THEN '' "
               "ELSE ': ' || coalesce(c.old_value, '') || ' -> ' || coalesce(c.new_value, '') "
               "END FROM changes c LEFT JOIN networks n ON n.network_id = "
               "c.network_id";
    }
    if (HasTable("allocation_changes"))
    {
        sql += " UNION ALL SELECT a.time_ns, coalesce(n.name, a.network_id), 'allocation', "
               "'n' || a.node_id || '/' || a.device_index || ': ' || a.old_bps || ' -> ' || "
               "a.new_bps || ' bit/s (' || a.cause || ')' FROM allocation_changes a LEFT JOIN "
               "networks n ON n.network_id = a.network_id";
    }
    sql += " ORDER BY 1, 2, 3";
    Rows r = Query(db, sql);
    // Rates in "detail" of spawns: "controlled 6000000" -> "controlled 6Mbps".
    for (auto& row : r.rows)
    {
        if (row[2] == "spawned")
        {
            std::size_t sp = row[3].rfind(' ');
            if (sp != std::string::npos)
            {
                row[3] =
                    row[3].substr(0, sp) + " " + Rate(std::atoll(row[3].substr(sp + 1).c_str()));
            }
        }
        else if (row[2] == "refused")
        {
            row[2] = "refused"; // the row class marks it red
        }
    }
    std::ostringstream table;
    table << "<table class=\"events\">\n<tr><th>time (s)</th><th>network</th><th>event</th>"
             "<th>detail</th></tr>\n";
    for (const auto& row : r.rows)
    {
        table << "<tr" << (row[2] == "refused" ? " class=\"refused\"" : "") << "><td class=\"num\">"
              << std::fixed << std::setprecision(3) << std::atof(row[0].c_str()) / 1e9
              << "</td><td>" << Escape(row[1]) << "</td><td>" << Escape(row[2]) << "</td><td>"
              << Escape(row[3]) << "</td></tr>\n";
    }
    table << "</table>\n";
    os << table.str();
    return os.str();
}

std::string
GenesisReport::StatisticsSection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"statistics\">Per-network statistics</h2>\n";
    if (!HasTable("statistics") || db.QueryInt64("SELECT count(*) FROM statistics") == 0)
    {
        os << "<p class=\"none\">No statistics recorded (table <code>statistics</code> "
           << (HasTable("statistics") ? "is empty" : "is absent")
           << "; GenesisProfileDatabase::RecordStatistic writes it).</p>\n";
        return os.str();
    }
    os << "<p class=\"sub\">Rows of <code>statistics</code> (network, time, key, value), one plot "
          "per key, one line per network.</p>\n<div class=\"grid\">\n";
    std::vector<std::string> keys;
    {
        SqliteStatement s = db.Prepare("SELECT DISTINCT key FROM statistics ORDER BY key");
        while (s.Step())
        {
            keys.push_back(s.GetText(0));
        }
    }
    const double end = EndSeconds();
    for (const auto& key : keys)
    {
        GenesisPlot p;
        p.title = key;
        p.xLabel = "simulated time (s)";
        p.yLabel = key;
        p.width = m_plotWidth;
        p.height = m_plotHeight;
        p.xMin = 0;
        p.xMax = end;
        SqliteStatement s = db.Prepare("SELECT network_id, time_ns, value FROM statistics WHERE "
                                       "key = ? ORDER BY network_id, time_ns, stat_id");
        s.Bind(1, key);
        int64_t current = -1;
        while (s.Step())
        {
            if (p.series.empty() || s.GetInt64(0) != current)
            {
                current = s.GetInt64(0);
                GenesisPlotSeries ser;
                ser.name = NetName(current);
                ser.color = NetColor(current);
                ser.markers = true;
                p.series.push_back(ser);
            }
            p.series.back().points.emplace_back(s.GetInt64(1) / 1e9, s.GetDouble(2));
        }
        os << Figure(RenderPlot(p));
    }
    os << "</div>\n";
    return os.str();
}

std::string
GenesisReport::MonitorSection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"monitors\">Monitors: throughput, delay and drops per network</h2>\n";
    if (!HasTable("link_stats") || db.QueryInt64("SELECT count(*) FROM link_stats") == 0)
    {
        os << "<p class=\"none\">No monitor data (table <code>link_stats</code> "
           << (HasTable("link_stats") ? "is empty" : "is absent")
           << ": this run had no per-link monitors).</p>\n";
        return os.str();
    }
    os << "<p class=\"sub\">One line per monitored link (node/device) of each network, per "
          "interval: measured rate (solid) against the allocation (dashed), mean delay, and "
          "packets dropped (solid) and policed (dashed).</p>\n";
    bool hasDelay = HasColumn("link_stats", "mean_delay_ns");
    std::vector<int64_t> nets;
    {
        SqliteStatement s = db.Prepare("SELECT DISTINCT network_id FROM link_stats ORDER BY 1");
        while (s.Step())
        {
            nets.push_back(s.GetInt64(0));
        }
    }
    const double end = EndSeconds();
    for (int64_t net : nets)
    {
        os << "<h3>" << Escape(NetName(net)) << "</h3>\n<div class=\"grid\">\n";
        GenesisPlot thr;
        thr.title = NetName(net) + ": throughput";
        thr.yLabel = "rate (Mbit/s)";
        GenesisPlot delay;
        delay.title = NetName(net) + ": mean delay";
        delay.yLabel = "delay (ms)";
        GenesisPlot drops;
        drops.title = NetName(net) + ": drops and policed";
        drops.yLabel = "packets per interval";
        for (GenesisPlot* p : {&thr, &delay, &drops})
        {
            p->xLabel = "simulated time (s)";
            p->width = m_plotWidth;
            p->height = m_plotHeight;
            p->xMin = 0;
            p->xMax = end;
        }
        SqliteStatement s = db.Prepare(
            std::string("SELECT node_id, device_index, time_ns, rate_bps, allocated_bps, drops, "
                        "policed, ") +
            (hasDelay ? "mean_delay_ns" : "NULL") +
            " FROM link_stats WHERE network_id = ? ORDER BY node_id, device_index, time_ns");
        s.Bind(1, net);
        std::string current;
        std::size_t color = 0;
        bool anyDelay = false;
        while (s.Step())
        {
            std::string link =
                "n" + std::to_string(s.GetInt64(0)) + "/" + std::to_string(s.GetInt64(1));
            if (link != current)
            {
                current = link;
                std::string c = PALETTE[color++ % N_PALETTE];
                thr.series.push_back({link + " measured", {}, c, false, false, false});
                thr.series.push_back({link + " allocated", {}, c, true, true, false});
                delay.series.push_back({link, {}, c, false, false, true});
                drops.series.push_back({link + " dropped", {}, c, false, false, false});
                drops.series.push_back({link + " policed", {}, c, true, false, false});
            }
            double t = s.GetInt64(2) / 1e9;
            std::size_t n = thr.series.size();
            thr.series[n - 2].points.emplace_back(t, s.GetDouble(3) / 1e6);
            thr.series[n - 1].points.emplace_back(t, s.GetInt64(4) / 1e6);
            if (!s.IsNull(7))
            {
                delay.series.back().points.emplace_back(t, s.GetDouble(7) / 1e6);
                anyDelay = true;
            }
            drops.series[drops.series.size() - 2].points.emplace_back(t, s.GetInt64(5));
            drops.series.back().points.emplace_back(t, s.GetInt64(6));
        }
        os << Figure(RenderPlot(thr));
        if (anyDelay)
        {
            os << Figure(RenderPlot(delay));
        }
        os << Figure(RenderPlot(drops));
        os << "</div>\n";
        if (!anyDelay)
        {
            os << "<p class=\"none\">No delay measured for this network (mean_delay_ns is "
                  "NULL).</p>\n";
        }
    }
    return os.str();
}

std::string
GenesisReport::AllocationSection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"allocations\">Allocations and their changes</h2>\n";
    if (HasTable("allocation_changes") &&
        db.QueryInt64("SELECT count(*) FROM allocation_changes") > 0)
    {
        GenesisPlot p;
        p.title = "allocated rate per network and link";
        p.xLabel = "simulated time (s)";
        p.yLabel = "allocation (Mbit/s)";
        p.width = m_plotWidth;
        p.height = m_plotHeight;
        p.xMin = 0;
        p.xMax = EndSeconds();
        SqliteStatement s = db.Prepare(
            "SELECT network_id, node_id, device_index, time_ns, old_bps, new_bps FROM "
            "allocation_changes ORDER BY network_id, node_id, device_index, time_ns, change_id");
        std::string current;
        while (s.Step())
        {
            std::string key = NetName(s.GetInt64(0)) + " n" + std::to_string(s.GetInt64(1)) + "/" +
                              std::to_string(s.GetInt64(2));
            if (key != current)
            {
                current = key;
                GenesisPlotSeries ser;
                ser.name = key;
                ser.step = true;
                ser.markers = true;
                // The value before the first change holds from 0.
                ser.points.emplace_back(0.0, s.GetInt64(4) / 1e6);
                p.series.push_back(ser);
            }
            p.series.back().points.emplace_back(s.GetInt64(3) / 1e9, s.GetInt64(5) / 1e6);
        }
        os << Figure(RenderPlot(p));
        os << "<h3>Allocation changes</h3>\n"
           << HtmlTable(Query(db,
                              "SELECT a.time_ns, coalesce(n.name, a.network_id) AS network, "
                              "a.node_id, a.device_index, a.old_bps, a.new_bps, a.cause FROM "
                              "allocation_changes a LEFT JOIN networks n ON n.network_id = "
                              "a.network_id ORDER BY a.time_ns, a.change_id"));
    }
    else
    {
        os << "<p class=\"none\">No allocation changes (table <code>allocation_changes</code> "
           << (HasTable("allocation_changes") ? "is empty" : "is absent")
           << "; it is written by the maestro when it re-provisions).</p>\n";
    }
    os << "<h3>Allocations at the end of the run</h3>\n";
    if (HasTable("allocations"))
    {
        os << HtmlTable(Query(db,
                              "SELECT coalesce(n.name, a.network_id) AS network, a.node_id, "
                              "a.device_index, a.link_rate_bps, a.guaranteed_bps, "
                              "a.residual_bps FROM allocations a LEFT JOIN networks n ON "
                              "n.network_id = a.network_id ORDER BY a.network_id, a.node_id, "
                              "a.device_index"));
    }
    if (HasTable("reservations"))
    {
        os << "<h3>Reservations (history)</h3>\n"
           << HtmlTable(Query(db,
                              "SELECT coalesce(n.name, r.network_id) AS network, r.node_id, "
                              "r.device_index, r.class, r.rate_bps, r.reserved_at_ns, "
                              "r.released_at_ns FROM reservations r LEFT JOIN networks n ON "
                              "n.network_id = r.network_id ORDER BY r.reserved_at_ns, "
                              "r.network_id, r.node_id, r.device_index"));
    }
    return os.str();
}

std::string
GenesisReport::BidsSection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"bids\">Auction bids</h2>\n";
    if (!HasTable("bids") || db.QueryInt64("SELECT count(*) FROM bids") == 0)
    {
        os << "<p class=\"none\">No auction data (table <code>bids</code> "
           << (HasTable("bids") ? "is empty" : "is absent") << ").</p>\n";
        return os.str();
    }
    os << "<div class=\"grid\">\n";
    GenesisPlot price;
    price.title = "bid price per bidder";
    price.yLabel = "price";
    GenesisPlot won;
    won.title = "capacity won per bidder";
    won.yLabel = "allocated (Mbit/s)";
    for (GenesisPlot* p : {&price, &won})
    {
        p->xLabel = "simulated time (s)";
        p->width = m_plotWidth;
        p->height = m_plotHeight;
        p->xMin = 0;
        p->xMax = EndSeconds();
    }
    SqliteStatement s = db.Prepare("SELECT auction_network_id, bidder_network_id, time_ns, "
                                   "price, allocated_bps FROM bids ORDER BY 1, 2, 3, bid_id");
    std::string current;
    while (s.Step())
    {
        std::string key = NetName(s.GetInt64(1)) + " in " + NetName(s.GetInt64(0));
        if (key != current)
        {
            current = key;
            std::string c = NetColor(s.GetInt64(1));
            price.series.push_back({key, {}, c, false, false, true});
            won.series.push_back({key, {}, c, false, true, true});
        }
        double t = s.GetInt64(2) / 1e9;
        price.series.back().points.emplace_back(t, s.GetDouble(3));
        won.series.back().points.emplace_back(t, s.GetInt64(4) / 1e6);
    }
    os << Figure(RenderPlot(price)) << Figure(RenderPlot(won)) << "</div>\n";
    os << HtmlTable(Query(db,
                          "SELECT b.time_ns, coalesce(a.name, b.auction_network_id) AS auction, "
                          "coalesce(n.name, b.bidder_network_id) AS bidder, b.price, "
                          "b.quantity_bps, b.allocated_bps, b.payment FROM bids b LEFT JOIN "
                          "networks a ON a.network_id = b.auction_network_id LEFT JOIN networks "
                          "n ON n.network_id = b.bidder_network_id ORDER BY b.time_ns, "
                          "b.bid_id"));
    return os.str();
}

std::string
GenesisReport::ChangesSection()
{
    SqliteDatabase& db = GetDatabase();
    std::ostringstream os;
    os << "<h2 id=\"changes\">Run-time changes (architecting)</h2>\n";
    if (!HasTable("changes") || db.QueryInt64("SELECT count(*) FROM changes") == 0)
    {
        os << "<p class=\"none\">No run-time changes recorded (table <code>changes</code> "
           << (HasTable("changes") ? "is empty" : "is absent") << ").</p>\n";
    }
    else
    {
        os << HtmlTable(Query(db,
                              "SELECT c.time_ns, coalesce(n.name, c.network_id) AS network, "
                              "c.kind, c.target, c.old_value, c.new_value FROM changes c LEFT "
                              "JOIN networks n ON n.network_id = c.network_id ORDER BY "
                              "c.time_ns, c.change_id"));
    }
    if (HasTable("refusals") && db.QueryInt64("SELECT count(*) FROM refusals") > 0)
    {
        os << "<h3>Refused spawns</h3>\n"
           << HtmlTable(Query(db,
                              "SELECT time_ns, network_name, reason FROM refusals ORDER BY "
                              "refusal_id"));
    }
    return os.str();
}

std::string
GenesisReport::Render()
{
    NS_LOG_FUNCTION(this);
    GetDatabase(); // throws when closed
    std::string base = m_path.substr(
        m_path.find_last_of('/') == std::string::npos ? 0 : m_path.find_last_of('/') + 1);
    std::string title = m_title.empty() ? "Genesis run report: " + base : m_title;
    std::ostringstream os;
    os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta name=\"generator\" content=\"genesis-report (ns-3 Genesis)\">\n<title>"
       << Escape(title) << "</title>\n<style>" << CSS << "</style>\n</head>\n<body>\n";
    os << "<h1>" << Escape(title) << "</h1>\n";
    os << "<p class=\"sub\">Genesis Kernel for ns-3: the networks of one run, from its profile "
          "database. Times are simulated seconds.</p>\n";
    os << Summary();
    os << TreeSection();
    os << TimelineSection();
    os << MonitorSection();
    os << StatisticsSection();
    os << AllocationSection();
    os << BidsSection();
    os << ChangesSection();
    os << TopologySection();
    os << "<footer>Generated by genesis-report from <code>" << Escape(m_path)
       << "</code>. One self-contained file: no scripts, no external resources.</footer>\n";
    os << "</body>\n</html>\n";
    return os.str();
}

void
GenesisReport::Write(const std::string& path)
{
    std::string html = Render();
    std::ofstream out(path, std::ios::binary);
    out << html;
    out.close();
    if (!out)
    {
        throw GenesisError("genesis-report: cannot write '" + path + "': " + std::strerror(errno) +
                           "; check that the directory exists and is writable");
    }
}

} // namespace ns3
