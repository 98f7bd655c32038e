/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "genesis-database-merge.h"

#include "profile-database.h"
#include "sqlite-database.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisDatabaseMerge");

namespace
{

/// A column whose merged value is the minimum over the ranks (a life-cycle stamp).
struct MinColumn
{
    const char* table;  //!< table
    const char* column; //!< column
};

/// Stamps written when a rank commits a spawn, teardown or refusal: each rank
/// commits when it learns of it, so they differ between ranks.
const MinColumn MIN_COLUMNS[] = {
    {"networks", "created_at_ns"},
    {"networks", "spawned_at_ns"},
    {"networks", "torn_down_at_ns"},
    {"reservations", "reserved_at_ns"},
    {"reservations", "released_at_ns"},
    {"changes", "time_ns"},
    {"refusals", "time_ns"},
};

/// A column whose merged value is the one of the rank owning a host node.
struct OwnerColumn
{
    const char* table;      //!< table
    const char* column;     //!< the routelet node id
    const char* hostColumn; //!< the host node whose nodes.system_id owns it
};

const OwnerColumn OWNER_COLUMNS[] = {
    {"routelets", "routelet_node_id", "host_node_id"},
    {"vlinks", "end_a_node", "end_a_host"},
    {"vlinks", "end_b_node", "end_b_host"},
};

/// \return \p id quoted as an SQL identifier
std::string
Ident(const std::string& id)
{
    std::string out = "\"";
    for (char c : id)
    {
        out += c;
        if (c == '"')
        {
            out += '"';
        }
    }
    return out + "\"";
}

bool
FileExists(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void
RemoveDatabaseFiles(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    {
        std::remove((path + suffix).c_str());
    }
}

/// \return a temporary file name in the directory of \p output
std::string
TempPathFor(const std::string& output)
{
    return output + ".tmp-" + std::to_string(::getpid());
}

/// \return 'name' for messages
std::string
Q(const std::string& s)
{
    return "'" + s + "'";
}

/// The columns of a table: names in order, and the primary-key columns in key order.
struct TableInfo
{
    std::vector<std::string> columns; //!< all columns
    std::vector<std::string> types;   //!< declared types
    std::vector<std::string> keys;    //!< primary-key columns
};

TableInfo
GetTableInfo(SqliteDatabase& db, const std::string& schema, const std::string& table)
{
    TableInfo info;
    std::vector<std::pair<int64_t, std::string>> keys;
    SqliteStatement s = db.Prepare("PRAGMA " + schema + ".table_info(" + Ident(table) + ")");
    while (s.Step())
    {
        info.columns.push_back(s.GetText(1));
        info.types.push_back(s.GetText(2));
        if (s.GetInt64(5) > 0)
        {
            keys.emplace_back(s.GetInt64(5), s.GetText(1));
        }
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys)
    {
        info.keys.push_back(k.second);
    }
    return info;
}

/// One input file, attached as schema "r" while it is read.
struct Input
{
    std::string path;                                        //!< file
    int64_t version{0};                                      //!< meta.schema_version
    int64_t rank{-1};                                        //!< meta.mpi_rank
    int64_t size{-1};                                        //!< meta.mpi_size
    std::vector<std::pair<std::string, std::string>> tables; //!< (name, CREATE sql), in order
    std::vector<std::string> indexes;                        //!< CREATE INDEX sql
};

/// Detach schema "r" after a failure (rolling back first); never throws.
void
Detach(SqliteDatabase& db)
{
    try
    {
        if (db.InTransaction())
        {
            db.Exec("ROLLBACK");
        }
        db.Exec("DETACH DATABASE r");
    }
    catch (const GenesisError&)
    {
        // the caller's error is the one to report
    }
}

/// Attach \p path as schema \p alias; throws a clear error for a missing or non-SQLite file.
void
AttachFile(SqliteDatabase& db, const std::string& path, const std::string& alias)
{
    if (!FileExists(path))
    {
        throw GenesisError(Q(path) + ": no such file");
    }
    try
    {
        SqliteStatement a = db.Prepare("ATTACH DATABASE ? AS " + alias);
        a.Bind(1, path).Run();
    }
    catch (const GenesisError& e)
    {
        throw GenesisError(Q(path) + ": cannot open it as an SQLite database (" + e.what() + ")");
    }
    try
    {
        db.QueryInt64("SELECT count(*) FROM " + alias + ".sqlite_master");
    }
    catch (const GenesisError& e)
    {
        Detach(db);
        throw GenesisError(Q(path) + ": not an SQLite database (" + e.what() + ")");
    }
}

/// \return the integer in meta row \p key of schema \p alias, or -1 when absent
int64_t
MetaInt(SqliteDatabase& db,
        const std::string& alias,
        const std::string& path,
        const std::string& key,
        bool required,
        const std::string& hint)
{
    SqliteStatement q = db.Prepare("SELECT value FROM " + alias + ".meta WHERE key = ?");
    q.Bind(1, key);
    if (!q.Step())
    {
        if (required)
        {
            throw GenesisError(Q(path) + ": table meta has no row " + Q(key) + "; " + hint);
        }
        return -1;
    }
    std::string v = q.GetText(0);
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno != 0 || n < 0)
    {
        throw GenesisError(Q(path) + ": table meta, row " + Q(key) + ": value " + Q(v) +
                           " is not a non-negative integer; " + hint);
    }
    return n;
}

/// Read what the merge needs to know about \p path (attached and detached again).
Input
ReadInput(SqliteDatabase& db, const std::string& path, bool needRank)
{
    Input in;
    in.path = path;
    AttachFile(db, path, "r");
    try
    {
        if (db.QueryInt64("SELECT count(*) FROM r.sqlite_master WHERE type = 'table' AND "
                          "name = 'meta'") == 0)
        {
            throw GenesisError(Q(path) + ": has no table meta; it is not a Genesis run database "
                                         "(GenesisProfileDatabase writes one)");
        }
        in.version =
            MetaInt(db, "r", path, "schema_version", true, "it is not a Genesis run database");
        if (needRank)
        {
            const std::string hint =
                "it is not one rank's database of a distributed run "
                "(GenesisProfileDatabase::RecordRank writes mpi_rank and mpi_size)";
            in.rank = MetaInt(db, "r", path, "mpi_rank", true, hint);
            in.size = MetaInt(db, "r", path, "mpi_size", true, hint);
        }
        SqliteStatement t = db.Prepare("SELECT type, name, sql FROM r.sqlite_master WHERE sql IS "
                                       "NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid");
        while (t.Step())
        {
            if (t.GetText(0) == "table")
            {
                in.tables.emplace_back(t.GetText(1), t.GetText(2));
            }
            else if (t.GetText(0) == "index")
            {
                in.indexes.push_back(t.GetText(2));
            }
        }
    }
    catch (...)
    {
        Detach(db);
        throw;
    }
    db.Exec("DETACH DATABASE r");
    return in;
}

/// \return "a IS b AND ..." over \p keys
std::string
KeyMatch(const std::vector<std::string>& keys, const std::string& a, const std::string& b)
{
    std::string s;
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        s += (i ? " AND " : "") + a + "." + Ident(keys[i]) + " IS " + b + "." + Ident(keys[i]);
    }
    return s;
}

/// \return "quote(a.k1), quote(a.k2)" over \p keys
std::string
KeyQuotes(const std::vector<std::string>& keys, const std::string& a)
{
    std::string s;
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        s += (i ? ", " : "") + std::string("quote(") + a + "." + Ident(keys[i]) + ")";
    }
    return s;
}

/// \return "k1=v1, k2=v2" from the first keys.size() columns of \p row
std::string
KeyText(const std::vector<std::string>& keys, SqliteStatement& row)
{
    std::string s;
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        s += (i ? ", " : "") + keys[i] + "=" + row.GetText(static_cast<int>(i));
    }
    return s;
}

bool
IsMinColumn(const std::string& table, const std::string& column)
{
    for (const auto& m : MIN_COLUMNS)
    {
        if (table == m.table && column == m.column)
        {
            return true;
        }
    }
    return false;
}

bool
IsOwnerColumn(const std::string& table, const std::string& column)
{
    for (const auto& o : OWNER_COLUMNS)
    {
        if (table == o.table && column == o.column)
        {
            return true;
        }
    }
    return false;
}

/// Rows excluded from the comparison (they differ between ranks by design).
std::string
RowFilter(const std::string& table, const std::string& alias)
{
    if (table == "meta")
    {
        return alias + ".key <> 'mpi_rank'";
    }
    return "1";
}

std::string
RankText(const Input& in)
{
    return "rank " + std::to_string(in.rank) + " (" + Q(in.path) + ")";
}

/**
 * Compare replicated table \p table of main (rank 0's rows, \p base) with the
 * attached rank \p other ("r"); throw at the first disagreement.
 */
void
CompareReplicated(SqliteDatabase& db,
                  const std::string& table,
                  const Input& base,
                  const Input& other)
{
    TableInfo info = GetTableInfo(db, "main", table);
    std::vector<std::string> keys = info.keys;
    if (keys.empty())
    {
        keys = info.columns; // no primary key: a row is its values
    }
    const std::string t = Ident(table);
    const std::string where = "replicated table " + Q(table) + " disagrees between " +
                              RankText(base) + " and " + RankText(other) + ": ";
    const std::string hint = "; every rank must run the same program with the same arguments "
                             "and seed (only the documented columns may differ)";
    // Rows of one rank missing in the other.
    for (int dir = 0; dir < 2; ++dir)
    {
        const std::string from = dir == 0 ? "main" : "r";
        const std::string in = dir == 0 ? "r" : "main";
        SqliteStatement q =
            db.Prepare("SELECT " + KeyQuotes(keys, "a") + " FROM " + from + "." + t + " a WHERE " +
                       RowFilter(table, "a") + " AND NOT EXISTS (SELECT 1 FROM " + in + "." + t +
                       " b WHERE " + KeyMatch(keys, "a", "b") + ") LIMIT 1");
        if (q.Step())
        {
            throw GenesisError(where + "the row " + KeyText(keys, q) + " of " +
                               RankText(dir == 0 ? base : other) + " is missing in " +
                               RankText(dir == 0 ? other : base) + hint);
        }
    }
    // Values of the rows both have.
    for (const auto& c : info.columns)
    {
        if (std::find(keys.begin(), keys.end(), c) != keys.end() || IsOwnerColumn(table, c))
        {
            continue;
        }
        const std::string col = Ident(c);
        const std::string differs = IsMinColumn(table, c)
                                        ? "(a." + col + " IS NULL) <> (b." + col + " IS NULL)"
                                        : "a." + col + " IS NOT b." + col;
        SqliteStatement q =
            db.Prepare("SELECT " + KeyQuotes(keys, "a") + ", quote(a." + col + "), quote(b." + col +
                       ") FROM main." + t + " a JOIN r." + t + " b ON " + KeyMatch(keys, "a", "b") +
                       " WHERE " + RowFilter(table, "a") + " AND " + differs + " LIMIT 1");
        if (q.Step())
        {
            const int n = static_cast<int>(keys.size());
            throw GenesisError(where + "at " + KeyText(keys, q) + ", column " + c + " is " +
                               q.GetText(n) + " in rank " + std::to_string(base.rank) + " and " +
                               q.GetText(n + 1) + " in rank " + std::to_string(other.rank) + hint);
        }
    }
}

/// Copy the attached rank's rows of rank-local \p table into the staging table.
void
StageRankLocal(SqliteDatabase& db, const std::string& table, int64_t rank)
{
    db.Exec("INSERT INTO temp." + Ident("merge_" + table) + " SELECT " + std::to_string(rank) +
            ", rowid, * FROM r." + Ident(table));
}

void
MergeInto(SqliteDatabase& out, const std::vector<std::string>& paths)
{
    if (paths.empty())
    {
        throw GenesisError("give the databases of ranks 0 .. n-1 of one run");
    }
    std::vector<Input> inputs;
    for (const auto& p : paths)
    {
        inputs.push_back(ReadInput(out, p, true));
    }
    // Schema versions, sizes, ranks.
    for (const auto& in : inputs)
    {
        if (in.version != inputs[0].version)
        {
            throw GenesisError("schema versions differ: " + Q(inputs[0].path) + " has version " +
                               std::to_string(inputs[0].version) + " but " + Q(in.path) +
                               " has version " + std::to_string(in.version) +
                               "; merge the databases of one run, written by one build");
        }
    }
    if (inputs[0].version != GenesisProfileDatabase::SCHEMA_VERSION)
    {
        throw GenesisError(Q(inputs[0].path) + ": schema version " +
                           std::to_string(inputs[0].version) + "; this build merges version " +
                           std::to_string(GenesisProfileDatabase::SCHEMA_VERSION) +
                           " (older files record no nodes.system_id); run again with this build");
    }
    for (const auto& in : inputs)
    {
        if (in.size != inputs[0].size)
        {
            throw GenesisError("mixed run sizes: " + Q(inputs[0].path) + " is rank " +
                               std::to_string(inputs[0].rank) + " of " +
                               std::to_string(inputs[0].size) + " but " + Q(in.path) + " is rank " +
                               std::to_string(in.rank) + " of " + std::to_string(in.size) +
                               "; give the files of one run (GenesisProfileDatabase::RankPath)");
        }
        if (in.rank >= in.size)
        {
            throw GenesisError(Q(in.path) + ": table meta says rank " + std::to_string(in.rank) +
                               " of " + std::to_string(in.size) + ", which is no rank");
        }
    }
    const int64_t size = inputs[0].size;
    std::map<int64_t, const Input*> byRank;
    for (const auto& in : inputs)
    {
        auto ins = byRank.emplace(in.rank, &in);
        if (!ins.second)
        {
            throw GenesisError("duplicate rank: " + Q(ins.first->second->path) + " and " +
                               Q(in.path) + " are both rank " + std::to_string(in.rank) + " of " +
                               std::to_string(size) + "; give each rank's file once");
        }
    }
    for (int64_t k = 0; k < size; ++k)
    {
        if (!byRank.count(k))
        {
            std::string given;
            for (const auto& r : byRank)
            {
                given += (given.empty() ? "" : ", ") + std::to_string(r.first);
            }
            throw GenesisError("rank " + std::to_string(k) + " of " + std::to_string(size) +
                               " is missing (given: rank " + given +
                               "); give the file of every rank of the run, e.g. " +
                               GenesisProfileDatabase::RankPath("run.sqlite",
                                                                static_cast<uint32_t>(k),
                                                                static_cast<uint32_t>(size)));
        }
    }
    std::vector<const Input*> ranks;
    for (const auto& r : byRank)
    {
        ranks.push_back(r.second);
    }
    const Input& first = *ranks[0];
    // Tables: the same definitions in every rank, each known to the merge.
    const auto& replicated = GenesisDatabaseMerge::ReplicatedTables();
    const auto& local = GenesisDatabaseMerge::RankLocalTables();
    for (const auto& t : first.tables)
    {
        if (std::find(replicated.begin(), replicated.end(), t.first) == replicated.end() &&
            std::find(local.begin(), local.end(), t.first) == local.end())
        {
            throw GenesisError(Q(first.path) + ": table " + Q(t.first) +
                               " is neither a replicated nor a rank-local table of the Genesis "
                               "run database; drop it before merging or merge it by hand");
        }
    }
    for (const Input* in : ranks)
    {
        for (const auto& t : first.tables)
        {
            auto it = std::find_if(in->tables.begin(), in->tables.end(), [&t](const auto& x) {
                return x.first == t.first;
            });
            if (it == in->tables.end())
            {
                throw GenesisError(Q(in->path) + " has no table " + Q(t.first) + ", which " +
                                   Q(first.path) + " has; merge the databases of one run");
            }
            if (it->second != t.second)
            {
                throw GenesisError("table " + Q(t.first) + " is defined differently in " +
                                   Q(in->path) + " and " + Q(first.path) +
                                   "; merge the databases of one run, written by one build");
            }
        }
        if (in->tables.size() != first.tables.size())
        {
            for (const auto& t : in->tables)
            {
                if (std::find_if(first.tables.begin(), first.tables.end(), [&t](const auto& x) {
                        return x.first == t.first;
                    }) == first.tables.end())
                {
                    throw GenesisError(Q(in->path) + " has a table " + Q(t.first) + ", which " +
                                       Q(first.path) + " has not; merge the databases of one run");
                }
            }
        }
    }
    // The output's schema is rank 0's: the normal schema.
    out.Exec("PRAGMA foreign_keys=OFF");
    {
        SqliteTransaction tx(out);
        for (const auto& t : first.tables)
        {
            out.Exec(t.second);
        }
        for (const auto& i : first.indexes)
        {
            out.Exec(i);
        }
        for (const auto& t : local)
        {
            if (std::find_if(first.tables.begin(), first.tables.end(), [&t](const auto& x) {
                    return x.first == t;
                }) == first.tables.end())
            {
                continue;
            }
            // staging: rank, the rank's rowid, then the table's columns
            out.Exec("CREATE TEMP TABLE " + Ident("merge_" + t) +
                     " AS SELECT 0 AS merge_rank, 0 AS merge_rowid, * FROM main." + Ident(t) +
                     " WHERE 0");
        }
        tx.Commit();
    }
    auto has = [&first](const std::string& t) {
        return std::find_if(first.tables.begin(), first.tables.end(), [&t](const auto& x) {
                   return x.first == t;
               }) != first.tables.end();
    };
    for (const Input* in : ranks)
    {
        AttachFile(out, in->path, "r");
        try
        {
            SqliteTransaction tx(out);
            if (in == &first)
            {
                for (const auto& t : replicated)
                {
                    if (has(t))
                    {
                        out.Exec("INSERT INTO main." + Ident(t) + " SELECT * FROM r." + Ident(t));
                    }
                }
                SqliteStatement bad =
                    out.Prepare("SELECT node_id, system_id FROM main.nodes WHERE system_id < 0 OR "
                                "system_id >= ? ORDER BY node_id LIMIT 1");
                bad.Bind(1, size);
                if (bad.Step())
                {
                    throw GenesisError(Q(in->path) + ": table nodes, node_id=" + bad.GetText(0) +
                                       ": system_id " + bad.GetText(1) +
                                       " is no rank of a run of " + std::to_string(size) +
                                       " ranks");
                }
            }
            else
            {
                for (const auto& t : replicated)
                {
                    if (has(t))
                    {
                        CompareReplicated(out, t, first, *in);
                    }
                }
                // Life-cycle stamps: the earliest rank.
                for (const auto& m : MIN_COLUMNS)
                {
                    if (!has(m.table))
                    {
                        continue;
                    }
                    TableInfo info = GetTableInfo(out, "main", m.table);
                    const std::string t = Ident(m.table);
                    const std::string c = Ident(m.column);
                    out.Exec("UPDATE main." + t + " SET " + c + " = min(" + c + ", (SELECT b." + c +
                             " FROM r." + t + " b WHERE " + KeyMatch(info.keys, "b", t) +
                             ")) WHERE " + c + " IS NOT NULL");
                }
            }
            // Routelet node ids: the rank that owns the host node.
            if (in != &first)
            {
                for (const auto& o : OWNER_COLUMNS)
                {
                    if (!has(o.table))
                    {
                        continue;
                    }
                    TableInfo info = GetTableInfo(out, "main", o.table);
                    const std::string t = Ident(o.table);
                    const std::string c = Ident(o.column);
                    out.Exec("UPDATE main." + t + " SET " + c + " = (SELECT b." + c + " FROM r." +
                             t + " b WHERE " + KeyMatch(info.keys, "b", t) +
                             ") WHERE (SELECT n.system_id FROM main.nodes n WHERE n.node_id = " +
                             t + "." + Ident(o.hostColumn) + ") = " + std::to_string(in->rank));
                }
            }
            for (const auto& t : local)
            {
                if (has(t))
                {
                    StageRankLocal(out, t, in->rank);
                }
            }
            tx.Commit();
        }
        catch (...)
        {
            Detach(out);
            throw;
        }
        out.Exec("DETACH DATABASE r");
    }
    // Rank-local rows: the union, in time order; integer primary keys renumbered.
    SqliteTransaction tx(out);
    for (const auto& t : local)
    {
        if (!has(t))
        {
            continue;
        }
        TableInfo info = GetTableInfo(out, "main", t);
        std::vector<std::string> cols;
        for (std::size_t i = 0; i < info.columns.size(); ++i)
        {
            // an INTEGER PRIMARY KEY is the rowid: renumbered by the insert
            bool rowidKey = info.keys.size() == 1 && info.keys[0] == info.columns[i] &&
                            info.types[i] == "INTEGER";
            if (!rowidKey)
            {
                cols.push_back(Ident(info.columns[i]));
            }
        }
        std::string list;
        for (std::size_t i = 0; i < cols.size(); ++i)
        {
            list += (i ? ", " : "") + cols[i];
        }
        bool timed =
            std::find(info.columns.begin(), info.columns.end(), "time_ns") != info.columns.end();
        out.Exec("INSERT INTO main." + Ident(t) + " (" + list + ") SELECT " + list + " FROM temp." +
                 Ident("merge_" + t) + " ORDER BY " + (timed ? "time_ns, " : "") +
                 "merge_rank, merge_rowid");
        out.Exec("DROP TABLE temp." + Ident("merge_" + t));
    }
    out.Exec("DELETE FROM main.meta WHERE key = 'mpi_rank'");
    SqliteStatement m =
        out.Prepare("INSERT OR REPLACE INTO main.meta(key, value) VALUES ('merged_ranks', ?)");
    m.Bind(1, std::to_string(size)).Run();
    tx.Commit();
    SqliteStatement fk = out.Prepare("PRAGMA main.foreign_key_check");
    if (fk.Step())
    {
        throw GenesisError("the merged database breaks a foreign key: table " + Q(fk.GetText(0)) +
                           ", rowid " + fk.GetText(1) + " refers to a missing row of " +
                           Q(fk.GetText(2)) + "; the ranks' databases are inconsistent");
    }
}

/// Run \p body on a fresh temporary database next to \p output, then rename it to \p output.
template <typename Body>
void
WriteAtomically(const std::string& output, Body body)
{
    if (output.empty())
    {
        throw GenesisError("give the output database file name");
    }
    const std::string tmp = TempPathFor(output);
    RemoveDatabaseFiles(tmp);
    try
    {
        SqliteDatabase db(tmp);
        body(db);
        db.Close();
    }
    catch (...)
    {
        RemoveDatabaseFiles(tmp);
        throw;
    }
    // A stale WAL of an older file of that name would be read with the new file.
    std::remove((output + "-wal").c_str());
    std::remove((output + "-shm").c_str());
    if (std::rename(tmp.c_str(), output.c_str()) != 0)
    {
        std::string err = std::strerror(errno);
        RemoveDatabaseFiles(tmp);
        throw GenesisError(Q(output) + ": cannot write it: " + err);
    }
}

/// \return the content of \p path, or false when it cannot be read
bool
ReadText(const std::string& path, std::string* text)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
    {
        return false;
    }
    std::ostringstream os;
    os << f.rdbuf();
    *text = os.str();
    return true;
}

void
CollectInto(SqliteDatabase& out, const std::vector<GenesisDatabaseMerge::RunInfo>& runs)
{
    if (runs.empty())
    {
        throw GenesisError("give at least one run database");
    }
    std::set<int64_t> ids;
    for (const auto& r : runs)
    {
        if (r.runId <= 0 || !ids.insert(r.runId).second)
        {
            throw GenesisError("run " + std::to_string(r.runId) + " (" + Q(r.database) +
                               "): run ids must be positive and unique");
        }
    }
    out.Exec("PRAGMA foreign_keys=OFF");
    out.Exec(R"SQL(
CREATE TABLE results_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE runs (
  run_id      INTEGER PRIMARY KEY,
  database    TEXT NOT NULL,
  parameters  TEXT NOT NULL CHECK (json_valid(parameters)),
  seed        INTEGER,
  run         INTEGER,
  exit_status INTEGER,
  collected   INTEGER NOT NULL,
  command     TEXT NOT NULL,
  output      TEXT
);
)SQL");
    std::map<std::string, std::vector<std::string>> created; // table -> columns
    int64_t version = -1;
    std::string versionFrom;
    for (const auto& r : runs)
    {
        const std::string what = "run " + std::to_string(r.runId);
        const bool collect = r.exitStatus <= 0; // succeeded, or not known to have failed
        {
            SqliteStatement valid = out.Prepare("SELECT json_valid(?)");
            valid.Bind(1, r.parameters);
            if (!valid.Step() || valid.GetInt64(0) != 1)
            {
                throw GenesisError(what + ": parameters " + Q(r.parameters) +
                                   " are not a JSON text; give a JSON object such as {\"rate\": "
                                   "\"5Mbps\"}");
            }
        }
        if (collect)
        {
            Input in;
            try
            {
                in = ReadInput(out, r.database, false);
            }
            catch (const GenesisError& e)
            {
                throw GenesisError(what + ": " + e.what());
            }
            if (version < 0)
            {
                version = in.version;
                versionFrom = r.database;
            }
            else if (in.version != version)
            {
                throw GenesisError(what + ": " + Q(r.database) + " has schema version " +
                                   std::to_string(in.version) + " but " + Q(versionFrom) +
                                   " has version " + std::to_string(version) +
                                   "; collect runs written by one build");
            }
            AttachFile(out, r.database, "r");
            try
            {
                SqliteTransaction tx(out);
                for (const auto& t : in.tables)
                {
                    if (t.first == "runs" || t.first == "results_meta")
                    {
                        throw GenesisError(what + ": " + Q(r.database) +
                                           " is a results database (it has a table " + Q(t.first) +
                                           "), not a run database");
                    }
                    TableInfo info = GetTableInfo(out, "r", t.first);
                    auto c = created.find(t.first);
                    if (c == created.end())
                    {
                        std::string def = "CREATE TABLE main." + Ident(t.first) +
                                          " (run_id INTEGER NOT NULL REFERENCES runs(run_id)";
                        for (std::size_t i = 0; i < info.columns.size(); ++i)
                        {
                            def += ", " + Ident(info.columns[i]) + " " + info.types[i];
                        }
                        out.Exec(def + ")");
                        out.Exec("CREATE INDEX main." + Ident(t.first + "_by_run") + " ON " +
                                 Ident(t.first) + "(run_id)");
                        created[t.first] = info.columns;
                    }
                    else if (c->second != info.columns)
                    {
                        throw GenesisError(what + ": table " + Q(t.first) + " of " + Q(r.database) +
                                           " has other columns than in the runs before; "
                                           "collect runs written by one build");
                    }
                    std::string list;
                    for (std::size_t i = 0; i < info.columns.size(); ++i)
                    {
                        list += (i ? ", " : "") + Ident(info.columns[i]);
                    }
                    SqliteStatement ins = out.Prepare(
                        "INSERT INTO main." + Ident(t.first) + " (run_id, " + list +
                        ") SELECT ?, " + list + " FROM r." + Ident(t.first) + " ORDER BY rowid");
                    ins.Bind(1, r.runId).Run();
                }
                tx.Commit();
            }
            catch (...)
            {
                Detach(out);
                throw;
            }
            out.Exec("DETACH DATABASE r");
        }
        SqliteStatement row =
            out.Prepare("INSERT INTO runs(run_id, database, parameters, seed, run, exit_status, "
                        "collected, command, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        row.Bind(1, r.runId).Bind(2, r.database).Bind(3, r.parameters);
        r.seed < 0 ? row.BindNull(4) : row.Bind(4, r.seed);
        r.run < 0 ? row.BindNull(5) : row.Bind(5, r.run);
        r.exitStatus < 0 ? row.BindNull(6) : row.Bind(6, r.exitStatus);
        row.Bind(7, static_cast<int64_t>(collect ? 1 : 0)).Bind(8, r.command);
        std::string text;
        if (!r.output.empty() && ReadText(r.output, &text))
        {
            row.Bind(9, text);
        }
        else
        {
            row.BindNull(9);
        }
        row.Run();
    }
    SqliteStatement meta = out.Prepare("INSERT INTO results_meta(key, value) VALUES (?, ?)");
    meta.Bind(1, "generator").Bind(2, "ns-3 Genesis (genesis-db-merge --runs)").Run();
    meta.Reset();
    meta.Bind(1, "run_schema_version").Bind(2, std::to_string(version)).Run();
    meta.Reset();
    meta.Bind(1, "n_runs").Bind(2, std::to_string(runs.size())).Run();
}

} // namespace

const std::vector<std::string>&
GenesisDatabaseMerge::ReplicatedTables()
{
    static const std::vector<std::string> tables = {"meta",
                                                    "nodes",
                                                    "devices",
                                                    "node_names",
                                                    "networks",
                                                    "routelets",
                                                    "edges",
                                                    "vlinks",
                                                    "reservations",
                                                    "allocations",
                                                    "modules",
                                                    "refusals",
                                                    "changes",
                                                    "allocation_changes",
                                                    "bids"};
    return tables;
}

const std::vector<std::string>&
GenesisDatabaseMerge::RankLocalTables()
{
    static const std::vector<std::string> tables = {"link_stats", "statistics"};
    return tables;
}

void
GenesisDatabaseMerge::MergeRanks(const std::vector<std::string>& inputs, const std::string& output)
{
    NS_LOG_FUNCTION(inputs.size() << output);
    for (const auto& in : inputs)
    {
        if (in == output)
        {
            throw GenesisError(Q(output) + " is both an input and the output; give another "
                                           "output file name");
        }
    }
    WriteAtomically(output, [&inputs](SqliteDatabase& db) { MergeInto(db, inputs); });
}

void
GenesisDatabaseMerge::CollectRuns(const std::vector<RunInfo>& runs, const std::string& output)
{
    NS_LOG_FUNCTION(runs.size() << output);
    for (const auto& r : runs)
    {
        if (r.database == output)
        {
            throw GenesisError(Q(output) + " is both a run database and the output; give another "
                                           "output file name");
        }
    }
    WriteAtomically(output, [&runs](SqliteDatabase& db) { CollectInto(db, runs); });
}

std::vector<GenesisDatabaseMerge::RunInfo>
GenesisDatabaseMerge::ReadManifest(const std::string& path)
{
    std::ifstream f(path);
    if (!f)
    {
        throw GenesisError(Q(path) + ": cannot read the manifest");
    }
    std::string dir;
    std::size_t slash = path.find_last_of('/');
    if (slash != std::string::npos)
    {
        dir = path.substr(0, slash + 1);
    }
    auto resolve = [&dir](const std::string& p) { return p.empty() || p[0] == '/' ? p : dir + p; };
    const std::vector<std::string> header =
        {"run_id", "database", "seed", "run", "exit_status", "parameters", "command", "output"};
    std::vector<RunInfo> runs;
    std::string line;
    int lineNo = 0;
    while (std::getline(f, line))
    {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        std::vector<std::string> fields;
        std::size_t start = 0;
        while (true)
        {
            std::size_t tab = line.find('\t', start);
            fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
            if (tab == std::string::npos)
            {
                break;
            }
            start = tab + 1;
        }
        const std::string at = path + ":" + std::to_string(lineNo) + ": ";
        if (lineNo == 1)
        {
            if (fields != header)
            {
                throw GenesisError(at + "the header must be the tab-separated fields run_id "
                                        "database seed run exit_status parameters command output");
            }
            continue;
        }
        if (line.empty())
        {
            continue;
        }
        if (fields.size() != header.size())
        {
            throw GenesisError(at + std::to_string(fields.size()) + " fields, expected " +
                               std::to_string(header.size()) + " separated by tabs");
        }
        auto integer = [&at, &header](const std::string& v, std::size_t i, bool optional) {
            if (v.empty() && optional)
            {
                return int64_t(-1);
            }
            char* end = nullptr;
            errno = 0;
            long long n = std::strtoll(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || errno != 0 || n < 0)
            {
                throw GenesisError(at + "field " + header[i] + ": " + Q(v) +
                                   " is not a non-negative integer");
            }
            return static_cast<int64_t>(n);
        };
        RunInfo r;
        r.runId = integer(fields[0], 0, false);
        if (fields[1].empty())
        {
            throw GenesisError(at + "field database is empty");
        }
        r.database = resolve(fields[1]);
        r.seed = integer(fields[2], 2, true);
        r.run = integer(fields[3], 3, true);
        r.exitStatus = integer(fields[4], 4, true);
        r.parameters = fields[5].empty() ? "{}" : fields[5];
        r.command = fields[6];
        r.output = resolve(fields[7]);
        runs.push_back(r);
    }
    if (lineNo == 0)
    {
        throw GenesisError(Q(path) + ": the manifest is empty");
    }
    return runs;
}

} // namespace ns3
