#pragma once

#include <QString>
#include <QStringList>

namespace spanscope {

// Where a workspace lives: an SQLite file (a path) or a PostgreSQL database, the team store
// (`postgresql://[user[:password]@]host[:port]/database[?schema=NAME&sslmode=…]`, also `postgres://`).
// TraceStore::open() takes either form as its "path".
struct StoreLocation {
    enum class Backend { Sqlite, Postgres };
    Backend backend = Backend::Sqlite;

    QString path;        // SQLite: the file
    // PostgreSQL
    QString user;
    QString password;    // from the URL, or TraceStore::setPassword(); never part of url()
    QString host;        // empty: the local socket
    int port = -1;       // -1: libpq's default (5432)
    QString database;
    QString schema;      // ?schema=NAME: the store's tables live in that schema (created if needed)
    QStringList options; // other query items, passed to libpq as key=value (sslmode, connect_timeout…)

    bool isPostgres() const { return backend == Backend::Postgres; }

    // True for text starting with postgresql:// or postgres:// (case-insensitive).
    static bool isPostgresUrl(const QString &workspace);
    // An SQLite location for a path, or the parsed URL; on a malformed URL `*error` is set and the
    // result's backend is Postgres with an empty database.
    static StoreLocation parse(const QString &workspace, QString *error = nullptr);
    // The canonical URL without the password (what settings, titles and messages may show), or the
    // path of an SQLite file.
    QString displayName() const;
    // Same as displayName(), with the password when `withPassword`.
    QString url(bool withPassword = false) const;
};

} // namespace spanscope
