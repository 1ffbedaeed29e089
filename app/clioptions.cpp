#include "clioptions.h"

#include "clijson.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>

namespace spanscope::cli {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

namespace {
const char *const kTextOptions[][3] = {
    {"search", "Traces matching a full-text search over names, inputs and outputs.", "TEXT"},
    {"model", "Traces that used this model.", "M"},
    {"service", "Traces with a span of this service.", "S"},
    {"user", "Traces of this user.", "U"},
    {"session", "Traces of this session.", "S"},
};
} // namespace

QString traceFilterUsage()
{
    return QStringLiteral("[--search TEXT] [--model M] [--status ok|error] [--since ISO-8601] [--until ISO-8601]\n"
                          "[--service S] [--user U] [--session S]");
}

void addTraceFilterOptions(QCommandLineParser &p)
{
    for (const auto &o : kTextOptions)
        p.addOption({QString::fromLatin1(o[0]), QString::fromLatin1(o[1]), QString::fromLatin1(o[2])});
    p.addOption({QStringLiteral("status"), QStringLiteral("ok (no error span) or error (at least one)."), QStringLiteral("ok|error")});
    p.addOption({QStringLiteral("since"), QStringLiteral("Traces that started at or after this time."), QStringLiteral("ISO-8601")});
    p.addOption({QStringLiteral("until"), QStringLiteral("Traces that started before this time."), QStringLiteral("ISO-8601")});
}

bool hasTraceFilter(const QCommandLineParser &p)
{
    for (const auto &o : kTextOptions) {
        if (p.isSet(QString::fromLatin1(o[0])))
            return true;
    }
    for (const char *name : {"status", "since", "until"}) {
        if (p.isSet(QString::fromLatin1(name)))
            return true;
    }
    return false;
}

bool readTraceFilter(const QCommandLineParser &p, TraceQuery *q, QString *error)
{
    q->search = p.value(QStringLiteral("search"));
    q->model = p.value(QStringLiteral("model"));
    q->service = p.value(QStringLiteral("service"));
    q->userId = p.value(QStringLiteral("user"));
    q->sessionId = p.value(QStringLiteral("session"));
    const QString status = p.value(QStringLiteral("status"));
    if (status == QLatin1String("ok")) {
        q->status = TraceQuery::Status::Ok;
    } else if (status == QLatin1String("error")) {
        q->status = TraceQuery::Status::Error;
    } else if (!status.isEmpty()) {
        *error = QStringLiteral("--status must be ok or error");
        return false;
    }
    for (const char *name : {"since", "until"}) {
        const QString option = QLatin1String(name);
        if (!p.isSet(option))
            continue;
        const QDateTime t = parseIsoTime(p.value(option));
        if (!t.isValid()) {
            *error = QStringLiteral("--%1 needs an ISO-8601 time such as 2026-11-25 or 2026-11-25T10:00:00Z").arg(option);
            return false;
        }
        (option == QLatin1String("since") ? q->sinceNs : q->untilNs) = t.toMSecsSinceEpoch() * 1'000'000;
    }
    return true;
}

} // namespace spanscope::cli
