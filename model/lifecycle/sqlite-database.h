/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SQLITE_DATABASE_H
#define SQLITE_DATABASE_H

#include <cstdint>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace ns3
{

class SqliteDatabase;

/**
 * \ingroup genesis
 *
 * \brief A prepared SQLite statement (RAII over sqlite3_stmt).
 *
 * Non-copyable, movable. Every failure throws GenesisError naming the
 * database file, the SQL text and SQLite's message. Bind indices start at 1,
 * column indices at 0, as in the C API.
 */
class SqliteStatement
{
  public:
    /**
     * \brief Prepare \p sql on \p db.
     * \throws GenesisError when SQLite refuses the text
     */
    SqliteStatement(SqliteDatabase& db, const std::string& sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    /// Move: \p other is left empty
    SqliteStatement(SqliteStatement&& other) noexcept;
    /// Move assignment: finalizes the current statement first
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;

    /// \brief Bind an integer to parameter \p i (1-based). \return *this
    SqliteStatement& Bind(int i, int64_t v);
    /// \brief Bind a real. \return *this
    SqliteStatement& Bind(int i, double v);
    /// \brief Bind a text (copied). \return *this
    SqliteStatement& Bind(int i, const std::string& v);
    /// \brief Bind a text (copied). \return *this
    SqliteStatement& Bind(int i, const char* v);
    /// \brief Bind NULL. \return *this
    SqliteStatement& BindNull(int i);
    /// \brief Bind an integer to the named parameter (":name", "@name" or "$name"). \return *this
    SqliteStatement& Bind(const std::string& name, int64_t v);
    /// \brief Bind a real to a named parameter. \return *this
    SqliteStatement& Bind(const std::string& name, double v);
    /// \brief Bind a text to a named parameter. \return *this
    SqliteStatement& Bind(const std::string& name, const std::string& v);
    /// \brief Bind NULL to a named parameter. \return *this
    SqliteStatement& BindNull(const std::string& name);

    /**
     * \brief Run one step.
     * \return true when a row is available, false when the statement is done
     * \throws GenesisError on any other result (constraint violation, busy, ...)
     */
    bool Step();
    /// \brief Step to completion, ignoring rows (for INSERT/UPDATE/DELETE).
    void Run();
    /// \brief Reset for another execution; bindings are cleared too.
    void Reset();

    /// \return the number of result columns
    int GetColumnCount() const;
    /// \return the name of column \p c
    std::string GetColumnName(int c) const;
    /// \return true if column \p c of the current row is NULL
    bool IsNull(int c) const;
    /// \return column \p c as an integer
    int64_t GetInt64(int c) const;
    /// \return column \p c as a real
    double GetDouble(int c) const;
    /// \return column \p c as text ("" for NULL)
    std::string GetText(int c) const;
    /// \return the SQL text
    std::string GetSql() const;

  private:
    int ParameterIndex(const std::string& name) const;
    void Check(int rc, const std::string& what) const;

    SqliteDatabase* m_db; //!< owning connection
    sqlite3_stmt* m_stmt; //!< the statement, or null after a move
};

/**
 * \ingroup genesis
 *
 * \brief One SQLite connection (RAII over sqlite3*).
 *
 * Open() sets journal_mode=WAL, foreign_keys=ON, synchronous=NORMAL and a busy
 * timeout. The destructor closes the connection; the last connection to
 * close checkpoints the WAL into the database file.
 */
class SqliteDatabase
{
  public:
    SqliteDatabase();
    /// \brief Open \p path now. \throws GenesisError
    explicit SqliteDatabase(const std::string& path, int busyTimeoutMs = 5000);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    /**
     * \brief Open (creating if needed) the database file.
     * \param path file name
     * \param busyTimeoutMs how long to wait for another connection's lock
     * \throws GenesisError when the file cannot be opened or WAL cannot be set
     */
    void Open(const std::string& path, int busyTimeoutMs = 5000);
    /// \brief Close the connection (no-op when closed). \throws GenesisError if statements are
    /// alive
    void Close();
    /// \return true when open
    bool IsOpen() const;
    /// \return the file name
    std::string GetPath() const;

    /// \brief Run one or more SQL statements without results. \throws GenesisError
    void Exec(const std::string& sql);
    /// \brief Prepare a statement. \throws GenesisError
    SqliteStatement Prepare(const std::string& sql);
    /// \return the first column of the first row of \p sql as text ("" when no row)
    std::string QueryText(const std::string& sql);
    /// \return the first column of the first row of \p sql as an integer (0 when no row)
    int64_t QueryInt64(const std::string& sql);
    /// \return the rowid of the last INSERT on this connection
    int64_t GetLastInsertRowId() const;
    /// \return true inside an explicit transaction
    bool InTransaction() const;

    /**
     * \brief A deterministic text dump of every table.
     *
     * Tables in name order (sqlite_* internal tables excluded), each as
     * "TABLE name(col,...)" followed by its rows ordered by every column, one
     * line per row, values quoted as SQLite's quote() does. Two databases
     * with the same content give the same text.
     */
    std::string Dump();

    /// \return the raw handle (for the statement class)
    sqlite3* GetHandle() const;
    /**
     * \brief Throw a GenesisError naming the file, \p sql and SQLite's message.
     * \param sql the statement text involved
     * \param what what was being done
     */
    [[noreturn]] void Fail(const std::string& sql, const std::string& what) const;

  private:
    sqlite3* m_db;      //!< handle, null when closed
    std::string m_path; //!< file name
};

/**
 * \ingroup genesis
 *
 * \brief A write transaction: BEGIN IMMEDIATE now, ROLLBACK in the destructor
 * unless Commit() was called.
 *
 * IMMEDIATE takes the write lock at once, so a second writer waits (busy
 * timeout) at the BEGIN rather than failing half-way through.
 */
class SqliteTransaction
{
  public:
    /// \brief Begin. \throws GenesisError
    explicit SqliteTransaction(SqliteDatabase& db);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    /// \brief Commit. \throws GenesisError (the destructor then rolls back)
    void Commit();
    /// \brief Roll back now (no-op after Commit or a previous Rollback).
    void Rollback();

  private:
    SqliteDatabase& m_db; //!< connection
    bool m_done;          //!< committed or rolled back
};

} // namespace ns3

#endif /* SQLITE_DATABASE_H */
