#include "sqliteapi.h"

#include <QSqlDriver>
#include <QStringEncoder>
#include <QVariant>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace spanscope::sqlite {

namespace {

// The parts of sqlite3.h used here (SQLite's C ABI is stable).
constexpr int SQLITE_ROW = 100;
constexpr int SQLITE_DONE = 101;
constexpr int SQLITE_OK = 0;
constexpr int SQLITE_NULL = 5;
using Destructor = void (*)(void *);
const Destructor SQLITE_TRANSIENT = reinterpret_cast<Destructor>(-1);
const Destructor SQLITE_STATIC = nullptr;

struct Api {
    int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **) = nullptr;
    int (*finalize)(sqlite3_stmt *) = nullptr;
    int (*step)(sqlite3_stmt *) = nullptr;
    int (*reset)(sqlite3_stmt *) = nullptr;
    int (*bind_text)(sqlite3_stmt *, int, const char *, int, Destructor) = nullptr;
    int (*bind_int64)(sqlite3_stmt *, int, long long) = nullptr;
    int (*bind_double)(sqlite3_stmt *, int, double) = nullptr;
    long long (*column_int64)(sqlite3_stmt *, int) = nullptr;
    double (*column_double)(sqlite3_stmt *, int) = nullptr;
    const unsigned char *(*column_text)(sqlite3_stmt *, int) = nullptr;
    int (*column_bytes)(sqlite3_stmt *, int) = nullptr;
    int (*column_type)(sqlite3_stmt *, int) = nullptr;
    const char *(*errmsg)(sqlite3 *) = nullptr;
    int (*bind_blob)(sqlite3_stmt *, int, const void *, int, Destructor) = nullptr;
    int (*bind_null)(sqlite3_stmt *, int) = nullptr;
    int (*clear_bindings)(sqlite3_stmt *) = nullptr;
    int (*changes)(sqlite3 *) = nullptr;
    int (*extended_errcode)(sqlite3 *) = nullptr;
    int (*get_autocommit)(sqlite3 *) = nullptr;
    bool ok = false;
};

const Api &api()
{
    static Api a;
    static std::once_flag once;
    std::call_once(once, [] {
        // Only a library that is already loaded (by the QSQLITE plugin): never a second SQLite.
        void *lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_NOLOAD);
        if (!lib)
            return;
        auto get = [&](auto &fn, const char *name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            return fn != nullptr;
        };
        a.ok = get(a.prepare_v2, "sqlite3_prepare_v2") && get(a.finalize, "sqlite3_finalize") && get(a.step, "sqlite3_step")
            && get(a.reset, "sqlite3_reset") && get(a.bind_text, "sqlite3_bind_text") && get(a.bind_int64, "sqlite3_bind_int64")
            && get(a.bind_double, "sqlite3_bind_double") && get(a.column_int64, "sqlite3_column_int64")
            && get(a.column_double, "sqlite3_column_double") && get(a.column_text, "sqlite3_column_text")
            && get(a.column_bytes, "sqlite3_column_bytes") && get(a.column_type, "sqlite3_column_type")
            && get(a.errmsg, "sqlite3_errmsg") && get(a.bind_blob, "sqlite3_bind_blob")
            && get(a.bind_null, "sqlite3_bind_null") && get(a.clear_bindings, "sqlite3_clear_bindings")
            && get(a.changes, "sqlite3_changes")
            && get(a.extended_errcode, "sqlite3_extended_errcode") && get(a.get_autocommit, "sqlite3_get_autocommit");
    });
    return a;
}

sqlite3 *handleOf(const QSqlDatabase &db)
{
    if (!db.isValid() || !db.isOpen() || !db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || std::strcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

} // namespace

bool available(const QSqlDatabase &db)
{
    // The plugin is loaded once a connection is open, so look the functions up only then.
    return handleOf(db) != nullptr && api().ok;
}

bool inAutocommit(const QSqlDatabase &db)
{
    sqlite3 *handle = handleOf(db);
    return handle && api().ok && api().get_autocommit(handle) != 0;
}

Statement::Statement(const QSqlDatabase &db, const char *sql)
{
    m_db = handleOf(db);
    if (!m_db || !api().ok)
        return;
    if (api().prepare_v2(m_db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
        api().finalize(m_stmt);
        m_stmt = nullptr;
    }
}

Statement::~Statement()
{
    if (m_stmt)
        api().finalize(m_stmt);
}

QString Statement::error() const
{
    return m_db && api().ok ? QString::fromUtf8(api().errmsg(m_db)) : QString();
}

bool Statement::bindText(int index, const QByteArray &utf8)
{
    if (utf8.isEmpty())
        return api().bind_text(m_stmt, index, "", 0, SQLITE_STATIC) == SQLITE_OK;
    // As bindBlob(): a shared copy keeps the bytes alive until reset(), bound without a copy.
    m_blobs.push_back(utf8);
    return api().bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC) == SQLITE_OK;
}

bool Statement::bindText(int index, QStringView text)
{
    // Converted into the statement's arena (UTF-8 needs at most three bytes per UTF-16 code unit)
    // and bound without a copy: SQLite would otherwise allocate and copy every value once more.
    char *out = m_arena.take(text.size() * 3);
    QStringEncoder encoder(QStringEncoder::Utf8);
    const char *end = encoder.appendToBuffer(out, text);
    m_arena.giveBack(out + text.size() * 3 - end);
    return api().bind_text(m_stmt, index, out, int(end - out), SQLITE_STATIC) == SQLITE_OK;
}

bool Statement::bindBlob(int index, const QByteArray &data)
{
    if (data.isEmpty())
        return api().bind_null(m_stmt, index) == SQLITE_OK;
    // A shared copy keeps the bytes alive (and unchanged) until reset(): bound without a copy.
    m_blobs.push_back(data);
    return api().bind_blob(m_stmt, index, data.constData(), int(data.size()), SQLITE_STATIC) == SQLITE_OK;
}

char *Statement::Arena::take(qsizetype size)
{
    if (m_block < m_blocks.size() && m_used + size > m_blocks[m_block].size) {
        ++m_block;
        m_used = 0;
    }
    while (m_block < m_blocks.size() && m_blocks[m_block].size < size)
        ++m_block;  // a block too small for this value (values bound after it go to the next)
    if (m_block == m_blocks.size()) {
        const qsizetype blockSize = std::max<qsizetype>(size, 256 * 1024);
        m_blocks.push_back({std::make_unique<char[]>(size_t(blockSize)), blockSize});
        m_used = 0;
    }
    char *p = m_blocks[m_block].data.get() + m_used;
    m_used += size;
    return p;
}

void Statement::Arena::giveBack(qsizetype unused)
{
    m_used -= unused;
}

void Statement::Arena::clear()
{
    m_block = 0;
    m_used = 0;
}

int Statement::changes() const
{
    return api().changes(m_db);
}

int Statement::errorCode() const
{
    return m_db && api().ok ? api().extended_errcode(m_db) : 0;
}

bool Statement::bindInt64(int index, qint64 value)
{
    return api().bind_int64(m_stmt, index, value) == SQLITE_OK;
}

bool Statement::bindDouble(int index, double value)
{
    return api().bind_double(m_stmt, index, value) == SQLITE_OK;
}

bool Statement::reset()
{
    m_failed = false;
    const bool ok = api().reset(m_stmt) == SQLITE_OK;
    // What bindText() and bindBlob() bound lives until here: unbind it before reusing the space.
    api().clear_bindings(m_stmt);
    m_arena.clear();
    m_blobs.clear();
    return ok;
}

bool Statement::step()
{
    const int rc = api().step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    m_failed = rc != SQLITE_DONE;
    return false;
}

qint64 Statement::int64(int column) const
{
    return api().column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return api().column_double(m_stmt, column);
}

const char *Statement::text(int column, int *length) const
{
    const unsigned char *p = api().column_text(m_stmt, column);
    *length = api().column_bytes(m_stmt, column);
    return reinterpret_cast<const char *>(p);
}

bool Statement::isNull(int column) const
{
    return api().column_type(m_stmt, column) == SQLITE_NULL;
}

} // namespace spanscope::sqlite
