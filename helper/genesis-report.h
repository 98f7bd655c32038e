/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GENESIS_REPORT_H
#define GENESIS_REPORT_H

#include "ns3/object.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class SqliteDatabase;

/**
 * \ingroup genesis
 *
 * \brief One line of a GenesisPlot.
 */
struct GenesisPlotSeries
{
    std::string name;                              //!< legend text
    std::vector<std::pair<double, double>> points; //!< (x, y), in x order
    std::string color;                             //!< CSS colour; empty: from the palette
    bool dashed{false};                            //!< dashed line
    bool step{false};    //!< a step function (value holds until the next x)
    bool markers{false}; //!< a marker at each point
};

/**
 * \ingroup genesis
 *
 * \brief A line plot drawn as SVG by GenesisReport::RenderPlot: axes with
 * 1-2-5 ticks, axis labels, a light grid and a legend, like a paper figure.
 */
struct GenesisPlot
{
    std::string title;                     //!< above the plot
    std::string xLabel;                    //!< x axis label (with unit)
    std::string yLabel;                    //!< y axis label (with unit)
    std::vector<GenesisPlotSeries> series; //!< the lines
    uint32_t width{720};                   //!< pixels, legend included
    uint32_t height{280};                  //!< pixels
    bool yFromZero{true};                  //!< y axis starts at 0 (rates, counts)
    double xMin{0};                        //!< x axis range (when xMax > xMin)
    double xMax{0};                        //!< x axis range; xMax <= xMin: from the data
};

/**
 * \ingroup genesis
 *
 * \brief The run report: a self-contained HTML page (one file: inline SVG and
 * CSS, no external resources, no JavaScript) describing a Genesis run from its
 * database (the SQLite file of GenesisProfileDatabase).
 *
 * Sections: a summary; the inheritance tree of networks (laid out by Graphviz
 * `dot` when installed and UseDot is true, else drawn by the report itself);
 * the topology of every network; the spawn/teardown timeline (a chart and a
 * table of every life-cycle event, refusal, allocation change and run-time
 * change); per-network statistics plotted over time (table statistics);
 * per-link monitor data when the run had monitors (table link_stats:
 * throughput against the allocation, mean delay, drops and policed packets);
 * allocations, reservations and their changes (tables allocations,
 * reservations, allocation_changes); auction bids (table bids); run-time
 * changes (table changes). Optional tables that are absent (older runs, runs
 * without monitors or auctions) are reported as such.
 *
 * \code
 *   Ptr<GenesisReport> r = CreateObject<GenesisReport>();
 *   r->Open("genesis-spawn.sqlite");   // throws GenesisError with a hint
 *   r->Write("report.html");
 * \endcode
 */
class GenesisReport : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GenesisReport();
    ~GenesisReport() override;

    /**
     * \brief Open a run database for reading.
     * \param path the .sqlite file
     * \throws GenesisError for a missing file, a file that is not SQLite, an
     *         SQLite file that is not a Genesis run database, or a schema
     *         version newer than GenesisProfileDatabase::SCHEMA_VERSION
     */
    void Open(const std::string& path);
    /// \return true when a database is open
    bool IsOpen() const;
    /// \brief Close the database (no-op when closed).
    void Close();
    /// \return the open database (throws when closed)
    SqliteDatabase& GetDatabase();

    /// \return the report as one HTML document. \throws GenesisError when no database is open
    std::string Render();
    /// \brief Render() into \p path. \throws GenesisError when the file cannot be written
    void Write(const std::string& path);

    /// \return true when the open database has table \p name
    bool HasTable(const std::string& name);

    /**
     * \brief Axis ticks on a 1-2-5 grid covering [lo, hi].
     * \param lo smallest value
     * \param hi largest value
     * \param maxTicks at most this many ticks (at least 2)
     * \return ticks in increasing order; the first <= lo and the last >= hi
     */
    static std::vector<double> NiceTicks(double lo, double hi, uint32_t maxTicks = 6);
    /// \return \p plot as an SVG element (class "genesis-plot")
    static std::string RenderPlot(const GenesisPlot& plot);
    /// \return \p text with &, <, >, " escaped for HTML and SVG
    static std::string Escape(const std::string& text);

  protected:
    void DoDispose() override;

  private:
    std::string Summary();
    std::string TreeSection();
    std::string TopologySection();
    std::string TimelineSection();
    std::string StatisticsSection();
    std::string MonitorSection();
    std::string AllocationSection();
    std::string BidsSection();
    std::string ChangesSection();
    std::string FallbackTreeSvg();
    std::string InlineSvg(const std::string& dot);
    bool HasColumn(const std::string& table, const std::string& column);
    double EndSeconds();
    std::string NetName(int64_t id);
    std::string NetColor(int64_t id);

    std::string m_title;                  //!< attribute Title
    bool m_useDot;                        //!< attribute UseDot
    uint32_t m_plotWidth;                 //!< attribute PlotWidth
    uint32_t m_plotHeight;                //!< attribute PlotHeight
    std::string m_path;                   //!< the open file
    int64_t m_schemaVersion;              //!< meta.schema_version of the open file
    std::unique_ptr<SqliteDatabase> m_db; //!< the connection, null when closed
};

} // namespace ns3

#endif /* GENESIS_REPORT_H */
