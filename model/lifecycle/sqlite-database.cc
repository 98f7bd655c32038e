/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sqlite-database.h"

#include "ns3/genesis-error.h"
#include "ns3/log.h"

#include <sqlite3.h>
#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GenesisSqliteDatabase");

// ---------------------------------------------------------------- statement

SqliteStatement::SqliteStatement(SqliteDatabase& db, const std::string& sql)
    : m_db(&db),
      m_stmt(nullptr)
{
    if (!db.IsOpen())
    {
        throw GenesisError("SQLite: cannot prepare \"" + sql + "\": the database is not open");
    }
    if (sqlite3_prepare_v2(db.GetHandle(), sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
    {
        db.Fail(sql, "prepare");
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(other.m_db),
      m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

SqliteStatement&
SqliteStatement::operator=(SqliteStatement&& other) noexcept
{
    if (this != &other)
    {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

void
SqliteStatement::Check(int rc, const std::string& what) const
{
    if (rc != SQLITE_OK)
    {
        m_db->Fail(GetSql(), what);
    }
}

int
SqliteStatement::ParameterIndex(const std::string& name) const
{
    int i = sqlite3_bind_parameter_index(m_stmt, name.c_str());
    if (i == 0)
    {
        throw GenesisError("SQLite database '" + m_db->GetPath() + "': no parameter '" + name +
                           "' in \"" + GetSql() + "\"");
    }
    return i;
}

SqliteStatement&
SqliteStatement::Bind(int i, int64_t v)
{
    Check(sqlite3_bind_int64(m_stmt, i, v), "bind parameter " + std::to_string(i));
    return *this;
}

SqliteStatement&
SqliteStatement::Bind(int i, double v)
{
    Check(sqlite3_bind_double(m_stmt, i, v), "bind parameter " + std::to_string(i));
    return *this;
}

SqliteStatement&
SqliteStatement::Bind(int i, const std::string& v)
{
    Check(sqlite3_bind_text(m_stmt, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT),
          "bind parameter " + std::to_string(i));
    return *this;
}

SqliteStatement&
SqliteStatement::Bind(int i, const char* v)
{
    return Bind(i, std::string(v));
}

SqliteStatement&
SqliteStatement::BindNull(int i)
{
    Check(sqlite3_bind_null(m_stmt, i), "bind parameter " + std::to_string(i));
    return *this;
}

SqliteStatement&
SqliteStatement::Bind(const std::string& name, int64_t v)
{
    return Bind(ParameterIndex(name), v);
}

SqliteStatement&
SqliteStatement::Bind(const std::string& name, double v)
{
    return Bind(ParameterIndex(name), v);
}

SqliteStatement&
SqliteStatement::Bind(const std::string& name, const std::string& v)
{
    return Bind(ParameterIndex(name), v);
}

SqliteStatement&
SqliteStatement::BindNull(const std::string& name)
{
    return BindNull(ParameterIndex(name));
}

bool
SqliteStatement::Step()
{
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
    {
        return true;
    }
    if (rc == SQLITE_DONE)
    {
        return false;
    }
    m_db->Fail(GetSql(), "step");
}

void
SqliteStatement::Run()
{
    while (Step())
    {
    }
}

void
SqliteStatement::Reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int
SqliteStatement::GetColumnCount() const
{
    return sqlite3_column_count(m_stmt);
}

std::string
SqliteStatement::GetColumnName(int c) const
{
    const char* n = sqlite3_column_name(m_stmt, c);
    return n ? n : "";
}

bool
SqliteStatement::IsNull(int c) const
{
    return sqlite3_column_type(m_stmt, c) == SQLITE_NULL;
}

int64_t
SqliteStatement::GetInt64(int c) const
{
    return sqlite3_column_int64(m_stmt, c);
}

double
SqliteStatement::GetDouble(int c) const
{
    return sqlite3_column_double(m_stmt, c);
}

std::string
SqliteStatement::GetText(int c) const
{
    const unsigned char* t = sqlite3_column_text(m_stmt, c);
    if (!t)
    {
        return "";
    }
    return std::string(reinterpret_cast<const char*>(t),
                       static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, c)));
}

std::string
SqliteStatement::GetSql() const
{
    const char* s = m_stmt ? sqlite3_sql(m_stmt) : nullptr;
    return s ? s : "";
}

// ---------------------------------------------------------------- database

SqliteDatabase::SqliteDatabase()
    : m_db(nullptr)
{
}

SqliteDatabase::SqliteDatabase(const std::string& path, int busyTimeoutMs)
    : m_db(nullptr)
{
    Open(path, busyTimeoutMs);
}

SqliteDatabase::~SqliteDatabase()
{
    // sqlite3_close_v2 defers the close while statements are alive instead of failing.
    sqlite3_close_v2(m_db);
}

void
SqliteDatabase::Fail(const std::string& sql, const std::string& what) const
{
    std::string msg = m_db ? sqlite3_errmsg(m_db) : "not open";
    throw GenesisError("SQLite database '" + m_path + "': " + what + " of \"" + sql +
                       "\" failed: " + msg);
}

void
SqliteDatabase::Open(const std::string& path, int busyTimeoutMs)
{
    NS_LOG_FUNCTION(this << path);
    Close();
    m_path = path;
    int rc =
        sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK)
    {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw GenesisError("SQLite database '" + path + "': cannot open: " + msg +
                           "; check that the directory exists and is writable");
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    std::string mode = QueryText("PRAGMA journal_mode=WAL");
    if (mode != "wal")
    {
        throw GenesisError("SQLite database '" + path + "': journal_mode is '" + mode +
                           "', WAL could not be set (a file system without shared memory?)");
    }
    Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
}

void
SqliteDatabase::Close()
{
    if (m_db)
    {
        NS_LOG_FUNCTION(this << m_path);
        if (sqlite3_close(m_db) != SQLITE_OK)
        {
            Fail("", "close (statements still alive)");
        }
        m_db = nullptr;
    }
}

bool
SqliteDatabase::IsOpen() const
{
    return m_db != nullptr;
}

std::string
SqliteDatabase::GetPath() const
{
    return m_path;
}

sqlite3*
SqliteDatabase::GetHandle() const
{
    return m_db;
}

void
SqliteDatabase::Exec(const std::string& sql)
{
    if (!m_db)
    {
        throw GenesisError("SQLite: cannot run \"" + sql + "\": the database is not open");
    }
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK)
    {
        std::string msg = err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        throw GenesisError("SQLite database '" + m_path + "': exec of \"" + sql +
                           "\" failed: " + msg);
    }
}

SqliteStatement
SqliteDatabase::Prepare(const std::string& sql)
{
    return SqliteStatement(*this, sql);
}

std::string
SqliteDatabase::QueryText(const std::string& sql)
{
    SqliteStatement s(*this, sql);
    return s.Step() ? s.GetText(0) : "";
}

int64_t
SqliteDatabase::QueryInt64(const std::string& sql)
{
    SqliteStatement s(*this, sql);
    return s.Step() ? s.GetInt64(0) : 0;
}

int64_t
SqliteDatabase::GetLastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

bool
SqliteDatabase::InTransaction() const
{
    return m_db && !sqlite3_get_autocommit(m_db);
}

namespace
{
/// \return \p name as an SQL identifier
std::string
QuoteId(const std::string& name)
{
    std::string out = "\"";
    for (char ch : name)
    {
        out += ch;
        if (ch == '"')
        {
            out += '"';
        }
    }
    return out + "\"";
}
} // namespace

std::string
SqliteDatabase::Dump()
{
    std::ostringstream os;
    std::vector<std::string> tables;
    {
        SqliteStatement s(*this,
                          "SELECT type, name, sql FROM sqlite_master "
                          "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
        while (s.Step())
        {
            os << "SCHEMA " << s.GetText(0) << " " << s.GetText(1) << ": " << s.GetText(2) << "\n";
            if (s.GetText(0) == "table")
            {
                tables.push_back(s.GetText(1));
            }
        }
    }
    for (const auto& t : tables)
    {
        std::vector<std::string> cols;
        {
            SqliteStatement info(*this, "PRAGMA table_info(" + QuoteId(t) + ")");
            while (info.Step())
            {
                cols.push_back(info.GetText(1));
            }
        }
        std::string select;
        std::string order;
        os << "TABLE " << t << "(";
        for (std::size_t i = 0; i < cols.size(); ++i)
        {
            os << (i ? "," : "") << cols[i];
            select += (i ? "," : "") + std::string("quote(") + QuoteId(cols[i]) + ")";
            order += (i ? "," : "") + QuoteId(cols[i]);
        }
        os << ")\n";
        SqliteStatement rows(*this,
                             "SELECT " + select + " FROM " + QuoteId(t) + " ORDER BY " + order);
        while (rows.Step())
        {
            for (int c = 0; c < rows.GetColumnCount(); ++c)
            {
                os << (c ? "|" : "  ") << rows.GetText(c);
            }
            os << "\n";
        }
    }
    return os.str();
}

// ---------------------------------------------------------------- transaction

SqliteTransaction::SqliteTransaction(SqliteDatabase& db)
    : m_db(db),
      m_done(false)
{
    m_db.Exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction()
{
    if (!m_done)
    {
        try
        {
            Rollback();
        }
        catch (const std::exception& e)
        {
            NS_LOG_ERROR("rollback failed: " << e.what());
        }
    }
}

void
SqliteTransaction::Commit()
{
    m_db.Exec("COMMIT");
    m_done = true;
}

void
SqliteTransaction::Rollback()
{
    if (!m_done)
    {
        m_done = true;
        // A failed statement may already have ended the transaction (e.g. SQLITE_FULL).
        if (m_db.InTransaction())
        {
            m_db.Exec("ROLLBACK");
        }
    }
}

} // namespace ns3
