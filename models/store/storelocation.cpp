#include "storelocation.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

namespace spanscope {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("spanscope::TraceStore", text);
}
} // namespace

bool StoreLocation::isPostgresUrl(const QString &workspace)
{
    return workspace.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
        || workspace.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

StoreLocation StoreLocation::parse(const QString &workspace, QString *error)
{
    StoreLocation loc;
    if (!isPostgresUrl(workspace)) {
        loc.path = workspace;
        return loc;
    }
    loc.backend = Backend::Postgres;
    const QUrl url(workspace.trimmed(), QUrl::StrictMode);
    auto fail = [&](const QString &reason) {
        if (error)
            *error = reason;
        loc.database.clear();
        return loc;
    };
    if (!url.isValid() || url.scheme().isEmpty())
        // Not echoed: the text may hold a password.
        return fail(tr("the PostgreSQL URL is malformed"));
    loc.user = url.userName(QUrl::FullyDecoded);
    loc.password = url.password(QUrl::FullyDecoded);
    loc.host = url.host(QUrl::FullyDecoded);
    loc.port = url.port(-1);
    loc.database = url.path(QUrl::FullyDecoded);
    if (loc.database.startsWith(QLatin1Char('/')))
        loc.database.remove(0, 1);
    if (loc.database.isEmpty() || loc.database.contains(QLatin1Char('/')))
        return fail(tr("the PostgreSQL URL names no database (postgresql://user@host[:port]/database)"));
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("schema")) {
            loc.schema = value;
        } else if (key == QLatin1String("password") || key == QLatin1String("passfile")
                   || key.contains(QLatin1Char(' ')) || key.contains(QLatin1Char(';')) || key.isEmpty()) {
            return fail(tr("the PostgreSQL URL option “%1” is not supported").arg(key));
        } else {
            loc.options << key + QLatin1Char('=') + value;
        }
    }
    if (error)
        error->clear();
    return loc;
}

QString StoreLocation::displayName() const
{
    return url(false);
}

QString StoreLocation::url(bool withPassword) const
{
    if (backend == Backend::Sqlite)
        return path;
    QUrl u;
    u.setScheme(QStringLiteral("postgresql"));
    u.setHost(host.isEmpty() ? QString() : host);
    if (!user.isEmpty())
        u.setUserName(user);
    if (withPassword && !password.isEmpty())
        u.setPassword(password);
    if (port > 0)
        u.setPort(port);
    u.setPath(QLatin1Char('/') + database);
    QUrlQuery q;
    if (!schema.isEmpty())
        q.addQueryItem(QStringLiteral("schema"), schema);
    for (const QString &o : options) {
        const qsizetype eq = o.indexOf(QLatin1Char('='));
        q.addQueryItem(o.left(eq), o.mid(eq + 1));
    }
    if (!q.isEmpty())
        u.setQuery(q);
    QString s = u.toString(QUrl::FullyEncoded);
    // QUrl writes "postgresql:/db" without an authority; libpq's form keeps the "//".
    if (!s.startsWith(QLatin1String("postgresql://")))
        s.replace(0, int(qstrlen("postgresql:")), QStringLiteral("postgresql://"));
    return s;
}

} // namespace spanscope
