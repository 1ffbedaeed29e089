#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <memory>
#include <vector>

// SQLite's C API on a Qt SQL (QSQLITE) connection, for the few hot loops where Qt SQL's cost per
// value (a QVariant, a QString and a virtual call or two per column) is most of the time: loading
// a 100,000-span trace read 2.3 million values through QSqlQuery::value() in about a second.
//
// It is still SQLite through Qt's driver: the sqlite3* comes from QSqlDriver::handle() and the
// functions from the libsqlite3 the driver plugin already loaded (looked up at run time, so the
// build needs no SQLite headers or link flags). When anything is missing — another driver build,
// a statically linked SQLite — available() is false and callers keep their Qt SQL path.

struct sqlite3;
struct sqlite3_stmt;

namespace spanscope::sqlite {

bool available(const QSqlDatabase &db);
// True when no transaction is open on `db`'s connection (sqlite3_get_autocommit); false when
// one is, or when it cannot be told.
bool inAutocommit(const QSqlDatabase &db);

// A prepared statement on `db`'s connection (finalized by the destructor). Use on the thread that
// owns the connection, like the QSqlDatabase itself.
class Statement
{
public:
    Statement(const QSqlDatabase &db, const char *sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    QString error() const;

    // Parameters are 1-based, as in SQLite. UTF-8 text is bound without a copy; the statement
    // holds a shared copy of `utf8` until reset(). A null or empty array binds ''.
    bool bindText(int index, const QByteArray &utf8);
    // UTF-16 text converted to UTF-8 in memory the statement keeps until reset() (which unbinds
    // it), bound without a further copy; a null string binds as ''.
    bool bindText(int index, QStringView text);
    // Bound without a copy; the statement holds a shared copy of `data` until reset(). An empty
    // array binds NULL.
    bool bindBlob(int index, const QByteArray &data);
    bool bindInt64(int index, qint64 value);
    bool bindDouble(int index, double value);
    bool reset();
    // Rows changed by the last step (sqlite3_changes) and the connection's last error code
    // (extended, as Qt's QSQLITE reports it in QSqlError::nativeErrorCode()).
    int changes() const;
    int errorCode() const;

    // True while a row is available; false at the end or on an error (see failed()).
    bool step();
    bool failed() const { return m_failed; }

    // Columns are 0-based. Text is UTF-8, valid until the next step() or reset().
    qint64 int64(int column) const;
    double real(int column) const;
    const char *text(int column, int *length) const;
    bool isNull(int column) const;

private:
    // Blocks of memory handed out in order and reused after clear(); a block is never moved, so
    // what was handed out stays valid until clear().
    class Arena
    {
    public:
        char *take(qsizetype size);
        void giveBack(qsizetype unused);  // the tail of the last take() that was not used
        void clear();

    private:
        struct Block {
            std::unique_ptr<char[]> data;
            qsizetype size = 0;
        };
        std::vector<Block> m_blocks;
        size_t m_block = 0;
        qsizetype m_used = 0;
    };

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_failed = false;
    Arena m_arena;
    std::vector<QByteArray> m_blobs;
};

} // namespace spanscope::sqlite
