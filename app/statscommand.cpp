#include "statscommand.h"
#include "clioptions.h"

#include "cli.h"
#include "clijson.h"
#include "layout/timescale.h"
#include "pricing/pricetable.h"
#include "store/storelocation.h"
#include "store/workspacestats.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

#include <cmath>

namespace spanscope::cli {

namespace {


const char StatsUsage[] =
    "Usage: spanscope stats [--db PATH] [--json] [--search TEXT] [--model M] [--status ok|error]\n"
    "                       [--since ISO-8601] [--until ISO-8601] [--service S] [--user U] [--session S]\n"
    "                       [--by model|name|kind|user|service] [--bucket minute|hour|day] [--top N]\n";
const char RepriceUsage[] = "Usage: spanscope reprice [--db PATH] [--prices FILE]\n";

int usageError(const char *usage, const QString &command, const QString &message)
{
    err() << "spanscope: " << command << ": " << message << "\n" << usage;
    err().flush();
    return 2;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue costOrNull(double usd, qint64 priced)
{
    return priced > 0 ? QJsonValue(usd) : QJsonValue(QJsonValue::Null);
}

QString isoUtc(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC).toString(Qt::ISODate);
}

QString bucketName(qint64 bucketNs)
{
    if (bucketNs == WorkspaceStats::Minute)
        return QStringLiteral("minute");
    if (bucketNs == WorkspaceStats::Hour)
        return QStringLiteral("hour");
    if (bucketNs == WorkspaceStats::Day)
        return QStringLiteral("day");
    if (bucketNs % WorkspaceStats::Day == 0)
        return QStringLiteral("%1 days").arg(bucketNs / WorkspaceStats::Day);
    return QStringLiteral("%1 s").arg(bucketNs / 1'000'000'000LL);
}

QJsonObject latencyJson(const Distribution &d)
{
    if (d.isEmpty())
        return QJsonObject{{QStringLiteral("count"), 0}};
    auto ns = [](double v) { return QJsonValue(qint64(std::llround(v))); };
    return QJsonObject{{QStringLiteral("count"), d.count}, {QStringLiteral("minNs"), ns(d.min)},
                       {QStringLiteral("p50Ns"), ns(d.p50)},  {QStringLiteral("p90Ns"), ns(d.p90)},
                       {QStringLiteral("p99Ns"), ns(d.p99)},  {QStringLiteral("maxNs"), ns(d.max)},
                       {QStringLiteral("meanNs"), d.mean}};
}

QJsonObject costDistributionJson(const Distribution &d)
{
    if (d.isEmpty())
        return QJsonObject{{QStringLiteral("count"), 0}};
    return QJsonObject{{QStringLiteral("count"), d.count}, {QStringLiteral("minUsd"), d.min}, {QStringLiteral("p50Usd"), d.p50},
                       {QStringLiteral("p90Usd"), d.p90},  {QStringLiteral("p99Usd"), d.p99}, {QStringLiteral("maxUsd"), d.max},
                       {QStringLiteral("meanUsd"), d.mean}};
}

QJsonObject reportToJson(const StatsReport &r, const QJsonObject &filters)
{
    const StatsTotals &t = r.totals;
    QJsonObject totals{
        {QStringLiteral("traces"), t.traces},
        {QStringLiteral("errorTraces"), t.errorTraces},
        {QStringLiteral("errorRate"), t.traces > 0 ? double(t.errorTraces) / double(t.traces) : 0.0},
        {QStringLiteral("spans"), t.spans},
        {QStringLiteral("errorSpans"), t.errorSpans},
        {QStringLiteral("llmCalls"), t.llmCalls},
        {QStringLiteral("inputTokens"), t.inputTokens},
        {QStringLiteral("outputTokens"), t.outputTokens},
        {QStringLiteral("cachedInputTokens"), t.cachedTokens},
        {QStringLiteral("costUsd"), costOrNull(t.costUsd, t.pricedSpans)},
        {QStringLiteral("computedCostUsd"), t.computedCostUsd},
        {QStringLiteral("pricedSpans"), t.pricedSpans},
        {QStringLiteral("unpricedSpans"), t.unpricedSpans},
        {QStringLiteral("unpricedModels"), QJsonArray::fromStringList(t.unpricedModels)},
        {QStringLiteral("firstStartTimeUnixNano"), t.traces > 0 ? QJsonValue(QString::number(t.firstStartNs)) : QJsonValue()},
        {QStringLiteral("lastStartTimeUnixNano"), t.traces > 0 ? QJsonValue(QString::number(t.lastStartNs)) : QJsonValue()},
    };
    QJsonArray buckets;
    qsizetype m = 0;
    for (const TimeBucket &b : r.buckets) {
        QJsonArray models;
        while (m < r.modelBuckets.size() && r.modelBuckets[m].startNs < b.startNs)
            ++m;
        for (; m < r.modelBuckets.size() && r.modelBuckets[m].startNs == b.startNs; ++m) {
            const ModelBucket &mb = r.modelBuckets[m];
            models.append(QJsonObject{{QStringLiteral("model"), orNull(mb.model)},
                                      {QStringLiteral("spans"), mb.spans},
                                      {QStringLiteral("costUsd"), costOrNull(mb.costUsd, mb.pricedSpans)},
                                      {QStringLiteral("unpricedSpans"), mb.unpricedSpans},
                                      {QStringLiteral("inputTokens"), mb.inputTokens},
                                      {QStringLiteral("outputTokens"), mb.outputTokens}});
        }
        buckets.append(QJsonObject{
            {QStringLiteral("startTimeUnixNano"), QString::number(b.startNs)},
            {QStringLiteral("start"), isoUtc(b.startNs)},
            {QStringLiteral("traces"), b.traces},
            {QStringLiteral("errorTraces"), b.errorTraces},
            {QStringLiteral("errorRate"), b.errorRate()},
            {QStringLiteral("spans"), b.spans},
            {QStringLiteral("llmCalls"), b.llmCalls},
            {QStringLiteral("inputTokens"), b.inputTokens},
            {QStringLiteral("outputTokens"), b.outputTokens},
            {QStringLiteral("cachedInputTokens"), b.cachedTokens},
            {QStringLiteral("costUsd"), costOrNull(b.costUsd, b.pricedSpans)},
            {QStringLiteral("unpricedSpans"), b.unpricedSpans},
            {QStringLiteral("models"), models},
        });
    }
    QJsonObject o{
        {QStringLiteral("filters"), filters},
        {QStringLiteral("totals"), totals},
        {QStringLiteral("latency"), QJsonObject{{QStringLiteral("traces"), latencyJson(r.traceLatency)}}},
        {QStringLiteral("costPerTrace"), costDistributionJson(r.traceCost)},
        {QStringLiteral("bucket"), r.bucketNs > 0 ? QJsonValue(bucketName(r.bucketNs)) : QJsonValue()},
        {QStringLiteral("bucketNs"), r.bucketNs > 0 ? QJsonValue(r.bucketNs) : QJsonValue()},
        {QStringLiteral("buckets"), buckets},
    };
    if (r.request.groupBy != StatsDimension::None) {
        QJsonArray groups;
        for (const StatsGroup &g : r.groups) {
            groups.append(QJsonObject{
                {QStringLiteral("key"), orNull(g.key)},
                {QStringLiteral("count"), g.count},
                {QStringLiteral("errors"), g.errors},
                {QStringLiteral("inputTokens"), g.inputTokens},
                {QStringLiteral("outputTokens"), g.outputTokens},
                {QStringLiteral("cachedInputTokens"), g.cachedTokens},
                {QStringLiteral("costUsd"), costOrNull(g.costUsd, g.pricedCount)},
                {QStringLiteral("computedCostUsd"), g.computedCostUsd},
                {QStringLiteral("pricedSpans"), g.pricedCount},
                {QStringLiteral("unpricedSpans"), g.unpricedCount},
                {QStringLiteral("latency"), latencyJson(g.latency)},
            });
        }
        o.insert(QStringLiteral("by"), WorkspaceStats::dimensionName(r.request.groupBy));
        o.insert(QStringLiteral("groups"), groups);
    }
    return o;
}

QString money(double usd, qint64 priced)
{
    if (priced <= 0)
        return QStringLiteral("-");
    if (usd == 0)
        return QStringLiteral("$0");
    return QStringLiteral("$") + QString::number(usd, 'f', std::abs(usd) < 0.01 ? 6 : 4);
}

QString latencyText(const Distribution &d)
{
    if (d.isEmpty())
        return QStringLiteral("-");
    return QStringLiteral("p50 %1  p90 %2  p99 %3")
        .arg(formatDuration(qint64(d.p50)), formatDuration(qint64(d.p90)), formatDuration(qint64(d.p99)));
}

void printText(const StatsReport &r, bool withBuckets)
{
    const StatsTotals &t = r.totals;
    QTextStream &o = out();
    if (t.traces == 0) {
        o << "No traces match.\n";
        return;
    }
    o << "traces   " << t.traces << " (" << t.errorTraces << " with errors, "
      << QString::number(100.0 * double(t.errorTraces) / double(t.traces), 'f', 1) << " %)  spans " << t.spans
      << "  LLM calls " << t.llmCalls << "\n";
    o << "tokens   " << t.inputTokens << " in (" << t.cachedTokens << " cached)  " << t.outputTokens << " out\n";
    o << "cost     " << money(t.costUsd, t.pricedSpans);
    if (t.computedCostUsd > 0)
        o << " (" << money(t.computedCostUsd, 1) << " computed from prices)";
    if (t.unpricedSpans > 0)
        o << "  price missing for " << t.unpricedSpans << " spans: " << t.unpricedModels.join(QStringLiteral(", "));
    o << "\n";
    o << "latency  " << latencyText(r.traceLatency) << "  (traces, end to end)\n";
    if (!r.traceCost.isEmpty())
        o << "cost/trace  p50 " << money(r.traceCost.p50, 1) << "  p90 " << money(r.traceCost.p90, 1) << "  p99 "
          << money(r.traceCost.p99, 1) << "\n";

    if (withBuckets && !r.buckets.isEmpty()) {
        o << "\n"
          << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                 .arg(QStringLiteral("BUCKET (UTC, ") + bucketName(r.bucketNs) + QLatin1Char(')'), -22)
                 .arg(QStringLiteral("TRACES"), 7)
                 .arg(QStringLiteral("ERRORS"), 7)
                 .arg(QStringLiteral("TOKENS IN"), 12)
                 .arg(QStringLiteral("TOKENS OUT"), 11)
                 .arg(QStringLiteral("COST"), 12)
                 .arg(QStringLiteral("NO PRICE"));
        for (const TimeBucket &b : r.buckets) {
            o << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(QDateTime::fromMSecsSinceEpoch(b.startNs / 1'000'000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm")), -22)
                     .arg(b.traces, 7)
                     .arg(b.errorTraces, 7)
                     .arg(b.inputTokens, 12)
                     .arg(b.outputTokens, 11)
                     .arg(money(b.costUsd, b.pricedSpans), 12)
                     .arg(b.unpricedSpans > 0 ? QString::number(b.unpricedSpans) : QString());
        }
    }
    if (r.request.groupBy != StatsDimension::None) {
        const QString dim = WorkspaceStats::dimensionName(r.request.groupBy).toUpper();
        o << "\n"
          << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                 .arg(dim, -30)
                 .arg(QStringLiteral("COUNT"), 8)
                 .arg(QStringLiteral("ERRORS"), 7)
                 .arg(QStringLiteral("TOKENS IN/OUT"), 21)
                 .arg(QStringLiteral("COST"), 12)
                 .arg(QStringLiteral("LATENCY"), -40)
                 .arg(QStringLiteral("NO PRICE"));
        for (const StatsGroup &g : r.groups) {
            o << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(g.key.isEmpty() ? QStringLiteral("(none)") : g.key, -30)
                     .arg(g.count, 8)
                     .arg(g.errors, 7)
                     .arg(QStringLiteral("%1/%2").arg(g.inputTokens).arg(g.outputTokens), 21)
                     .arg(money(g.costUsd, g.pricedCount), 12)
                     .arg(latencyText(g.latency), -40)
                     .arg(g.unpricedCount > 0 ? QString::number(g.unpricedCount) : QString());
        }
    }
}

} // namespace

int runStats(const QStringList &args)
{
    const QString cmd = QStringLiteral("stats");
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output (see README).")});
    addTraceFilterOptions(p);
    p.addOption({QStringLiteral("by"), QStringLiteral("One row per model, span name, kind, user or service."),
                 QStringLiteral("model|name|kind|user|service")});
    p.addOption({QStringLiteral("bucket"), QStringLiteral("Time buckets of trace starts (default: by the range)."),
                 QStringLiteral("minute|hour|day")});
    p.addOption({QStringLiteral("top"), QStringLiteral("With --by: at most N rows, highest cost first."), QStringLiteral("N")});
    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    if (!p.parse(argv))
        return usageError(StatsUsage, cmd, p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << StatsUsage << "\n" << p.helpText();
        out().flush();
        return 0;
    }
    if (p.positionalArguments().size() > 1)
        return usageError(StatsUsage, cmd, QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().at(1)));

    StatsRequest req;
    TraceQuery &q = req.filter;
    QString filterError;
    if (!readTraceFilter(p, &q, &filterError))
        return usageError(StatsUsage, cmd, filterError);
    if (p.isSet(QStringLiteral("by"))) {
        const auto d = WorkspaceStats::dimensionFromName(p.value(QStringLiteral("by")));
        if (!d)
            return usageError(StatsUsage, cmd, QStringLiteral("--by must be model, name, kind, user or service"));
        req.groupBy = *d;
    }
    const bool explicitBucket = p.isSet(QStringLiteral("bucket"));
    if (explicitBucket) {
        const QString b = p.value(QStringLiteral("bucket"));
        req.bucketNs = b == QLatin1String("minute") ? WorkspaceStats::Minute
            : b == QLatin1String("hour")            ? WorkspaceStats::Hour
            : b == QLatin1String("day")             ? WorkspaceStats::Day
                                                    : 0;
        if (req.bucketNs == 0)
            return usageError(StatsUsage, cmd, QStringLiteral("--bucket must be minute, hour or day"));
    }
    int top = -1;
    if (p.isSet(QStringLiteral("top"))) {
        bool ok = false;
        top = p.value(QStringLiteral("top")).toInt(&ok);
        if (!ok || top < 1)
            return usageError(StatsUsage, cmd, QStringLiteral("--top needs a positive number"));
    }
    req.nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    req.utcOffsetSeconds = 0;
    // Everything the dashboard shows except its top-N lists (--by gives whole breakdowns).
    req.parts = StatsRequest::Totals | StatsRequest::Timeline | StatsRequest::TraceLatency | StatsRequest::TraceCost
        | StatsRequest::Groups;

    TraceStore store;
    const QString path = workspacePath(p.value(QStringLiteral("db")));
    // A team store (postgresql://…) exists on its server: read-only as for an existing file.
    const bool exists = QFileInfo::exists(path) || StoreLocation::isPostgresUrl(path);
    if (!store.open(path, exists ? TraceStore::OpenMode::ReadOnly : TraceStore::OpenMode::ReadWrite)) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return 1;
    }
    StatsReport r = WorkspaceStats::compute(store, req);
    if (!r.error.isEmpty()) {
        err() << "spanscope: " << r.error << "\n";
        err().flush();
        return 1;
    }
    if (top > 0 && r.groups.size() > top)
        r.groups.resize(top);
    if (p.isSet(QStringLiteral("json"))) {
        const QJsonObject filters{
            {QStringLiteral("search"), orNull(q.search)},
            {QStringLiteral("model"), orNull(q.model)},
            {QStringLiteral("service"), orNull(q.service)},
            {QStringLiteral("user"), orNull(q.userId)},
            {QStringLiteral("session"), orNull(q.sessionId)},
            {QStringLiteral("status"), orNull(p.value(QStringLiteral("status")))},
            {QStringLiteral("sinceUnixNano"), q.sinceNs ? QJsonValue(QString::number(q.sinceNs)) : QJsonValue()},
            {QStringLiteral("untilUnixNano"), q.untilNs ? QJsonValue(QString::number(q.untilNs)) : QJsonValue()},
        };
        out() << QString::fromUtf8(QJsonDocument(reportToJson(r, filters)).toJson(QJsonDocument::Indented));
    } else {
        printText(r, explicitBucket);
    }
    out().flush();
    return 0;
}

int runReprice(const QStringList &args)
{
    const QString cmd = QStringLiteral("reprice");
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("prices"), QStringLiteral("Your prices (overrides JSON, see README) on top of the built-in ones."),
                 QStringLiteral("FILE")});
    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    if (!p.parse(argv))
        return usageError(RepriceUsage, cmd, p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << RepriceUsage << "\n" << p.helpText();
        out().flush();
        return 0;
    }
    if (p.positionalArguments().size() > 1)
        return usageError(RepriceUsage, cmd, QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().at(1)));
    std::shared_ptr<const PriceTable> prices = PriceTable::builtin();
    if (p.isSet(QStringLiteral("prices"))) {
        QString error;
        prices = PriceTable::withOverrides(p.value(QStringLiteral("prices")), &error);
        if (!prices) {
            err() << "spanscope: " << error << "\n";
            err().flush();
            return 1;
        }
    }
    TraceStore store;
    const QString path = workspacePath(p.value(QStringLiteral("db")));
    if (!QFileInfo::exists(path) && !StoreLocation::isPostgresUrl(path)) {
        err() << "spanscope: no workspace " << path << "\n";
        err().flush();
        return 1;
    }
    if (!store.open(path)) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    qint64 looked = 0;
    const qint64 changed = store.recomputeCosts([&](Span &s) { applyComputedCost(s, *prices); },
                                                [&](qint64 done, qint64) {
                                                    looked = done;
                                                    return true;
                                                });
    if (changed < 0) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return 1;
    }
    StatsRequest req;
    req.parts = StatsRequest::Totals;
    const StatsReport r = WorkspaceStats::compute(store, req);
    out() << "re-priced " << changed << " of " << looked << " spans without a reported cost in "
          << QString::number(timer.elapsed() / 1000.0, 'f', 2) << " s\n";
    if (r.totals.unpricedSpans > 0)
        out() << "price missing for " << r.totals.unpricedSpans << " spans: " << r.totals.unpricedModels.join(QStringLiteral(", "))
              << "\n";
    out().flush();
    return 0;
}

} // namespace spanscope::cli
