#pragma once
// Shared by the reliability tests: generated OTLP inputs, the CLI as a child process, and the
// consistency check of a workspace after a crash (integrity, rollups against the spans).

#include "store/tracestore.h"
#include "trace/trace.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <atomic>
#include <cmath>

namespace spanscope::test {

inline QString hexId(const QString &seed, int bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).left(bytes).toHex());
}

// One OTLP/JSON span; every third child is an LLM call with tokens (priced), every 17th an error.
inline QJsonObject otlpSpan(const QString &traceId, int index, qint64 baseNs)
{
    const QString root = hexId(traceId + QStringLiteral("/0"), 8);
    const qint64 start = baseNs + index * 1000000LL;
    QJsonObject s{{QStringLiteral("traceId"), traceId},
                  {QStringLiteral("spanId"), index == 0 ? root : hexId(traceId + QLatin1Char('/') + QString::number(index), 8)},
                  {QStringLiteral("name"), index == 0 ? QStringLiteral("agent.run") : QStringLiteral("step %1").arg(index)},
                  {QStringLiteral("startTimeUnixNano"), QString::number(start)},
                  {QStringLiteral("endTimeUnixNano"), QString::number(start + 700000 + (index % 5) * 100000)}};
    if (index > 0)
        s.insert(QStringLiteral("parentSpanId"), root);
    const auto attr = [](const QString &k, const QJsonObject &v) { return QJsonObject{{QStringLiteral("key"), k}, {QStringLiteral("value"), v}}; };
    if (index % 3 == 1) {
        s.insert(QStringLiteral("attributes"), QJsonArray{
            attr(QStringLiteral("gen_ai.operation.name"), {{QStringLiteral("stringValue"), QStringLiteral("chat")}}),
            attr(QStringLiteral("gen_ai.request.model"), {{QStringLiteral("stringValue"), index % 2 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("gpt-4o")}}),
            attr(QStringLiteral("gen_ai.usage.input_tokens"), {{QStringLiteral("intValue"), QString::number(100 + index)}}),
            attr(QStringLiteral("gen_ai.usage.output_tokens"), {{QStringLiteral("intValue"), QString::number(10 + index % 7)}}),
            attr(QStringLiteral("gen_ai.session.id"), {{QStringLiteral("stringValue"), QString(QStringLiteral("session-") + traceId.left(4))}}),
        });
    }
    if (index % 17 == 5)
        s.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("code"), 2}, {QStringLiteral("message"), QStringLiteral("tool failed")}});
    return s;
}

inline QByteArray otlpDocument(const QJsonArray &spans, const QString &service = QStringLiteral("reliability"))
{
    const QJsonObject doc{{QStringLiteral("resourceSpans"), QJsonArray{QJsonObject{
        {QStringLiteral("resource"), QJsonObject{{QStringLiteral("attributes"), QJsonArray{QJsonObject{
            {QStringLiteral("key"), QStringLiteral("service.name")},
            {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), service}}}}}}}},
        {QStringLiteral("scopeSpans"), QJsonArray{QJsonObject{{QStringLiteral("scope"), QJsonObject{{QStringLiteral("name"), QStringLiteral("t")}}},
                                                              {QStringLiteral("spans"), spans}}}}}}}};
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// OTLP JSON lines with `traces` traces of `spansPerTrace` spans, span j of every trace before span
// j + 1 of any: every trace grows across the whole file, so every commit of an import that stops
// anywhere leaves partly stored traces whose rollups must still add up.
inline qint64 writeInterleavedJsonl(const QString &path, int traces, int spansPerTrace, int spansPerLine = 200)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return -1;
    QJsonArray line;
    qint64 total = 0;
    for (int j = 0; j < spansPerTrace; ++j) {
        for (int t = 0; t < traces; ++t) {
            line.append(otlpSpan(hexId(QStringLiteral("trace-%1").arg(t), 16), j, 1795600000000000000LL + t * 1000000000LL));
            ++total;
            if (line.size() == spansPerLine) {
                f.write(otlpDocument(line) + '\n');
                line = QJsonArray();
            }
        }
    }
    if (!line.isEmpty())
        f.write(otlpDocument(line) + '\n');
    return total;
}

struct CliResult {
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
};

inline CliResult runCli(const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(QStringLiteral(SPANSCOPE_BINARY), args);
    CliResult r;
    if (!p.waitForStarted(10000)) {
        r.err = "did not start";
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "timed out";
        r.crashed = true;
        return r;
    }
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

inline bool sameCost(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

// A plain SQLite connection (no Spanscope code in between) for checking what is on disk.
class RawConnection
{
public:
    explicit RawConnection(const QString &path, bool readOnly = false)
        : m_name(QStringLiteral("reliability-raw-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        if (readOnly)
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        m_ok = db.open();
    }
    ~RawConnection()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    QVariant value(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        return q.exec(sql) && q.next() ? q.value(0) : QVariant();
    }
    QStringList column(const QString &sql) const
    {
        QStringList out;
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (q.exec(sql)) {
            while (q.next())
                out << q.value(0).toString();
        }
        return out;
    }

private:
    static inline std::atomic<int> s_counter{0};
    QString m_name;
    bool m_ok = false;
};

// After a crash: the file passes SQLite's integrity check, every trace row agrees with its spans
// (summarize() over the stored spans) and no span lacks its trace row. Returns the span count.
inline qint64 verifyConsistentWorkspace(const QString &path, QString *problem)
{
    const auto fail = [&](const QString &what) {
        *problem = what;
        return qint64(-1);
    };
    {
        RawConnection raw(path);
        if (!raw.ok())
            return fail(QStringLiteral("cannot open %1 with plain SQLite").arg(path));
        const QString integrity = raw.column(QStringLiteral("PRAGMA integrity_check")).join(QLatin1Char('\n'));
        if (integrity != QLatin1String("ok"))
            return fail(QStringLiteral("integrity_check: ") + integrity.left(2000));
        const QVariant orphans = raw.value(QStringLiteral("SELECT count(*) FROM (SELECT DISTINCT trace_id FROM spans) s "
                                                          "WHERE s.trace_id NOT IN (SELECT trace_id FROM traces)"));
        if (orphans.toLongLong() != 0)
            return fail(QStringLiteral("%1 traces have spans but no trace row").arg(orphans.toLongLong()));
        const QVariant empty = raw.value(QStringLiteral("SELECT count(*) FROM traces t WHERE NOT EXISTS "
                                                        "(SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id)"));
        if (empty.toLongLong() != 0)
            return fail(QStringLiteral("%1 trace rows have no spans").arg(empty.toLongLong()));
        const qint64 counted = raw.value(QStringLiteral("SELECT ifnull(sum(span_count), 0) FROM traces")).toLongLong();
        const qint64 spans = raw.value(QStringLiteral("SELECT count(*) FROM spans")).toLongLong();
        if (counted != spans)
            return fail(QStringLiteral("trace rows count %1 spans, the spans table holds %2").arg(counted).arg(spans));
        const qint64 details = raw.value(QStringLiteral("SELECT count(*) FROM span_details")).toLongLong();
        if (details != spans)
            return fail(QStringLiteral("%1 spans but %2 detail rows").arg(spans).arg(details));
    }
    TraceStore store;
    if (!store.open(path))   // for writing: repairs what a killed bulk import left (indexes)
        return fail(store.lastError());
    TraceQuery all;
    all.limit = 0;
    qint64 total = 0;
    for (const TraceSummary &stored : store.listTraces(all)) {
        const TraceSummary expected = summarize(store.loadSpans(stored.traceId, false));
        total += expected.spanCount;
        const auto differs = [&](const char *field, const QString &a, const QString &b) {
            *problem = QStringLiteral("trace %1: %2 is %3 in the trace row but %4 over its spans")
                           .arg(stored.traceId, QString::fromLatin1(field), a, b);
            return true;
        };
        if ((stored.spanCount != expected.spanCount
             && differs("spanCount", QString::number(stored.spanCount), QString::number(expected.spanCount)))
            || (stored.errorCount != expected.errorCount
                && differs("errorCount", QString::number(stored.errorCount), QString::number(expected.errorCount)))
            || (stored.llmCount != expected.llmCount
                && differs("llmCount", QString::number(stored.llmCount), QString::number(expected.llmCount)))
            || (stored.startNs != expected.startNs && differs("startNs", QString::number(stored.startNs), QString::number(expected.startNs)))
            || (stored.endNs != expected.endNs && differs("endNs", QString::number(stored.endNs), QString::number(expected.endNs)))
            || (stored.inputTokens != expected.inputTokens
                && differs("inputTokens", QString::number(stored.inputTokens), QString::number(expected.inputTokens)))
            || (stored.outputTokens != expected.outputTokens
                && differs("outputTokens", QString::number(stored.outputTokens), QString::number(expected.outputTokens)))
            || (!sameCost(stored.costUsd, expected.costUsd)
                && differs("costUsd", QString::number(stored.costUsd, 'g', 17), QString::number(expected.costUsd, 'g', 17)))
            || (stored.models != expected.models && differs("models", stored.models.join(u','), expected.models.join(u',')))
            || (stored.name != expected.name && differs("name", stored.name, expected.name))
            || (stored.sessionId != expected.sessionId && differs("sessionId", stored.sessionId, expected.sessionId)))
            return -1;
    }
    store.close();
    RawConnection raw(path);
    if (raw.value(QStringLiteral("SELECT bulk_pid FROM meta WHERE id = 1")).toLongLong() != 0
        || raw.column(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ix_%'")).size() < 9)
        return fail(QStringLiteral("reopening for writing did not end the killed bulk import (indexes, bulk_pid)"));
    return total;
}

} // namespace spanscope::test
