#include "cli.h"
#include "clioptions.h"

#include "clijson.h"
#include "diffcommand.h"
#include "exportcommand.h"
#include "servecommand.h"
#include "statscommand.h"
#include "ingest/importpipeline.h"
#include "layout/timescale.h"
#include "store/tracestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTextStream>

#include <cstdio>

namespace spanscope::cli {

namespace {


const QStringList &subcommands()
{
    static const QStringList names{QStringLiteral("import"), QStringLiteral("traces"), QStringLiteral("show"),
                                   QStringLiteral("diff"), QStringLiteral("serve"), QStringLiteral("export"),
                                   QStringLiteral("stats"), QStringLiteral("reprice"), QStringLiteral("help")};
    return names;
}

QString usage()
{
    return QStringLiteral(
        "Usage: spanscope [FILE...]                      open the explorer (importing FILEs)\n"
        "       spanscope import [--db PATH] [--format NAME] [--keep-secrets] FILE...\n"
        "       spanscope traces [--db PATH] [--json] [--limit N] [FILTERS]\n"
        "       spanscope show [--db PATH] [--json] TRACE_ID\n"
        "       spanscope diff [--db PATH] [--json] TRACE_A TRACE_B\n"
        "       spanscope export [--db PATH] [--format otlp-json|otlp-jsonl|csv] -o FILE\n"
        "                        (TRACE_ID... | --all | FILTERS)\n"
        "       spanscope render [--db PATH] TRACE_ID -o FILE.png|FILE.svg [--width W] [--dark]\n"
        "       spanscope stats [--db PATH] [--json] [FILTERS] [--by model|name|kind|user|service]\n"
        "                       [--bucket minute|hour|day] [--top N]\n"
        "       spanscope reprice [--db PATH] [--prices FILE]\n"
        "       spanscope serve [--db PATH] [--port N] [--bind ADDR] [--token T]\n"
        "                       [--portkey-gateway URL] [--portkey-token T]\n"
        "       spanscope --version | --help\n"
        "FILTERS: [--search TEXT] [--model M] [--status ok|error] [--since ISO-8601] [--until ISO-8601]\n"
        "         [--service S] [--user U] [--session S]\n"
        "\n"
        "The workspace is --db PATH, else $SPANSCOPE_DB, else %1.\n"
        "PATH may be a team store on PostgreSQL: postgresql://user@host[:port]/database[?schema=NAME]\n"
        "(password from the URL, $PGPASSWORD or ~/.pgpass; never stored by Spanscope).\n"
        "Exit status: 0 success, 1 failure (import errors, unknown trace), 2 usage error.\n")
        .arg(TraceStore::defaultPath());
}

int usageError(const QString &message)
{
    err() << "spanscope: " << message << "\n" << usage();
    err().flush();
    return 2;
}

void addDbOption(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file, or a postgresql:// URL (team store)."), QStringLiteral("PATH")});
}

// Parses `args` (subcommand first) into `p`; returns false (after printing) on a usage error.
bool parseArgs(QCommandLineParser &p, const QStringList &args, int *exitCode)
{
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    if (!p.parse(argv)) {
        *exitCode = usageError(p.errorText());
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        out().flush();
        *exitCode = 0;
        return false;
    }
    return true;
}

bool openStore(TraceStore &store, const QCommandLineParser &p)
{
    const QString path = workspacePath(p.value(QStringLiteral("db")));
    if (!store.open(path)) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return false;
    }
    return true;
}

QString formatCost(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    if (usd < 0.01)
        return QStringLiteral("$") + QString::number(usd, 'f', 6);
    return QStringLiteral("$") + QString::number(usd, 'f', 4);
}

QString isoTime(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC).toString(Qt::ISODateWithMs);
}

// ---------------------------------------------------------------------------------------------

int cmdImport(const QStringList &args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({QStringLiteral("format"), QStringLiteral("Force an input format (%1).").arg(importFormatNames().join(QStringLiteral(", "))),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("keep-secrets"), QStringLiteral("Keep API keys and credentials (they are redacted by default).")});
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Trace files to import."), QStringLiteral("FILE..."));
    int code = 0;
    if (!parseArgs(p, args, &code))
        return code;
    QStringList files = p.positionalArguments();
    files.removeFirst();  // the subcommand
    if (files.isEmpty())
        return usageError(QStringLiteral("import: no files given"));
    const QString format = p.value(QStringLiteral("format"));
    if (!format.isEmpty() && !importFormatNames().contains(format))
        return usageError(QStringLiteral("import: unknown format \"%1\" (known: %2)")
                              .arg(format, importFormatNames().join(QStringLiteral(", "))));

    TraceStore store;
    if (!openStore(store, p))
        return 1;
    ImportPipelineOptions options;
    options.forcedFormat = format;
    options.keepSecrets = p.isSet(QStringLiteral("keep-secrets"));
    const QList<FileImportReport> reports = importFiles(store, files, options);
    bool failed = false;
    for (const FileImportReport &r : reports) {
        for (const ImportIssue &issue : r.result.issues)
            err() << issue.toString() << "\n";
        if (!r.storeError.isEmpty())
            err() << r.result.file << ": " << r.storeError << "\n";
        err().flush();
        const double mb = r.result.stats.bytes / 1e6;
        out() << r.result.file << ": " << r.storedSpans << " spans imported";
        if (r.result.stats.skippedSpans > 0)
            out() << ", " << r.result.stats.skippedSpans << " skipped";
        if (r.result.stats.errors > 0)
            out() << ", " << r.result.stats.errors << (r.result.stats.errors == 1 ? " error" : " errors");
        if (r.result.stats.warnings > 0)
            out() << ", " << r.result.stats.warnings << (r.result.stats.warnings == 1 ? " warning" : " warnings");
        if (!r.result.format.isEmpty())
            out() << " [" << r.result.format << "]";
        out() << QStringLiteral(" in %1 s (%2 MB/s)\n")
                     .arg(r.seconds, 0, 'f', 2)
                     .arg(r.seconds > 0 ? mb / r.seconds : 0.0, 0, 'f', 1);
        failed = failed || !r.ok();
    }
    const WorkspaceCounts c = store.counts();
    out() << "workspace " << store.path() << ": " << c.traces << " traces, " << c.spans << " spans\n";
    out().flush();
    return failed ? 1 : 0;
}

int cmdTraces(const QStringList &args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output (see README).")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most N traces (default 50)."), QStringLiteral("N"), QStringLiteral("50")});
    addTraceFilterOptions(p);
    int code = 0;
    if (!parseArgs(p, args, &code))
        return code;
    if (p.positionalArguments().size() > 1)
        return usageError(QStringLiteral("traces: unexpected argument \"%1\"").arg(p.positionalArguments().at(1)));

    TraceQuery q;
    bool okLimit = false;
    q.limit = p.value(QStringLiteral("limit")).toInt(&okLimit);
    if (!okLimit || q.limit < 0)
        return usageError(QStringLiteral("traces: --limit needs a non-negative number"));
    QString filterError;
    if (!readTraceFilter(p, &q, &filterError))
        return usageError(QStringLiteral("traces: ") + filterError);

    TraceStore store;
    if (!openStore(store, p))
        return 1;
    const QList<TraceSummary> traces = store.listTraces(q);
    if (!store.lastError().isEmpty() && traces.isEmpty()) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return 1;
    }
    if (p.isSet(QStringLiteral("json"))) {
        out() << QString::fromUtf8(QJsonDocument(tracesToJson(traces)).toJson(QJsonDocument::Indented));
        out().flush();
        return 0;
    }
    if (traces.isEmpty()) {
        out() << "No traces" << (store.counts().traces == 0 ? " in this workspace (import some with: spanscope import FILE)" : " match")
              << ".\n";
        out().flush();
        return 0;
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                 .arg(QStringLiteral("TRACE ID"), -32)
                 .arg(QStringLiteral("START (UTC)"), -23)
                 .arg(QStringLiteral("DURATION"), 9)
                 .arg(QStringLiteral("SPANS"), 6)
                 .arg(QStringLiteral("ERR"), 4)
                 .arg(QStringLiteral("TOKENS IN/OUT"), 15)
                 .arg(QStringLiteral("COST"), 10)
                 .arg(QStringLiteral("NAME  [MODELS]"));
    for (const TraceSummary &t : traces) {
        QString name = t.name;
        if (!t.models.isEmpty())
            name += QStringLiteral("  [") + t.models.join(QStringLiteral(", ")) + QLatin1Char(']');
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                     .arg(t.traceId, -32)
                     .arg(isoTime(t.startNs), -23)
                     .arg(formatDuration(t.durationNs()), 9)
                     .arg(t.spanCount, 6)
                     .arg(t.errorCount, 4)
                     .arg(QStringLiteral("%1/%2").arg(t.inputTokens).arg(t.outputTokens), 15)
                     .arg(t.pricedSpanCount > 0 ? formatCost(t.costUsd) : QStringLiteral("-"), 10)
                     .arg(name);
    }
    out().flush();
    return 0;
}

int cmdShow(const QStringList &args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output (see README).")});
    p.addPositionalArgument(QStringLiteral("TRACE_ID"), QStringLiteral("Trace id (or a unique prefix)."));
    int code = 0;
    if (!parseArgs(p, args, &code))
        return code;
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 2)
        return usageError(QStringLiteral("show: give exactly one TRACE_ID"));

    TraceStore store;
    if (!openStore(store, p))
        return 1;
    const QString id = store.resolveTraceId(pos.at(1));
    if (id.isEmpty()) {
        err() << "spanscope: no trace " << pos.at(1) << " in " << store.path() << "\n";
        err().flush();
        return 1;
    }
    const Trace trace = store.loadTrace(id, true);
    if (p.isSet(QStringLiteral("json"))) {
        out() << QString::fromUtf8(QJsonDocument(traceToJson(trace)).toJson(QJsonDocument::Indented));
        out().flush();
        return 0;
    }
    const std::optional<TraceSummary> t = store.traceSummary(id);
    if (t) {
        out() << "trace " << t->traceId << "  " << t->name << "\n"
              << "  " << isoTime(t->startNs) << "  " << formatDuration(t->durationNs()) << "  " << t->spanCount
              << " spans  " << t->errorCount << " errors  tokens " << t->inputTokens << " in / " << t->outputTokens
              << " out  cost " << (t->pricedSpanCount > 0 ? formatCost(t->costUsd) : QStringLiteral("-"));
        if (t->computedCostUsd > 0)
            out() << " (" << formatCost(t->computedCostUsd) << " computed from prices)";
        if (!t->unpricedModels.isEmpty())
            out() << "  no price for: " << t->unpricedModels.join(QStringLiteral(", "));
        out() << "\n\n";
    }
    for (int i = 0; i < trace.size(); ++i) {
        const Span &s = trace.span(i);
        QStringList cols;
        cols << QString(trace.depth(i) * 2, QLatin1Char(' ')) + s.name + (trace.isOrphan(i) ? QStringLiteral(" (parent missing)") : QString());
        cols << QLatin1Char('[') + spanKindName(s.kind) + QLatin1Char(']');
        if (!s.model().isEmpty())
            cols << s.model();
        cols << (s.hasEnded() ? formatDuration(s.durationNs()) : QStringLiteral("running"));
        if (!s.tokens.isEmpty())
            cols << QStringLiteral("%1 in / %2 out tok").arg(std::max<qint64>(s.tokens.input, 0)).arg(std::max<qint64>(s.tokens.output, 0));
        if (s.cost.isKnown())
            cols << formatCost(s.cost.totalUsd) + QStringLiteral(" (") + costSourceName(s.cost.source) + QLatin1Char(')');
        if (s.status != StatusCode::Unset)
            cols << statusName(s.status) + (s.statusMessage.isEmpty() ? QString() : QStringLiteral(": ") + s.statusMessage);
        out() << cols.join(QStringLiteral("  ")) << "\n";
    }
    out().flush();
    return 0;
}

} // namespace

QString workspacePath(const QString &dbOption)
{
    if (!dbOption.isEmpty())
        return dbOption;
    const QString env = QProcessEnvironment::systemEnvironment().value(QStringLiteral("SPANSCOPE_DB"));
    if (!env.isEmpty())
        return env;
    return TraceStore::defaultPath();
}

bool isCliInvocation(const QStringList &args)
{
    if (args.isEmpty())
        return false;
    const QString &first = args.first();
    return subcommands().contains(first) || first == QLatin1String("--help") || first == QLatin1String("-h")
        || first == QLatin1String("--version") || first == QLatin1String("-v");
}

int run(const QStringList &args)
{
    if (args.isEmpty())
        return usageError(QStringLiteral("no command"));
    const QString cmd = args.first();
    if (cmd == QLatin1String("--version") || cmd == QLatin1String("-v")) {
        out() << "spanscope " << SPANSCOPE_VERSION << "\n";
        out().flush();
        return 0;
    }
    if (cmd == QLatin1String("--help") || cmd == QLatin1String("-h") || cmd == QLatin1String("help")) {
        out() << usage();
        out().flush();
        return 0;
    }
    if (cmd == QLatin1String("import"))
        return cmdImport(args);
    if (cmd == QLatin1String("traces"))
        return cmdTraces(args);
    if (cmd == QLatin1String("show"))
        return cmdShow(args);
    if (cmd == QLatin1String("diff"))
        return runDiff(args);
    if (cmd == QLatin1String("serve"))
        return runServe(args);
    if (cmd == QLatin1String("export"))
        return runExport(args);
    if (cmd == QLatin1String("stats"))
        return runStats(args);
    if (cmd == QLatin1String("reprice"))
        return runReprice(args);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(cmd));
}

} // namespace spanscope::cli
