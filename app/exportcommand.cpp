#include "exportcommand.h"
#include "clioptions.h"

#include "cli.h"
#include "clijson.h"
#include "export/exporter.h"
#include "store/tracestore.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace spanscope::cli {

namespace {


QString usageText()
{
    return QStringLiteral("Usage: spanscope export [--db PATH] [--format otlp-json|otlp-jsonl|csv] -o FILE\n"
                          "                        (TRACE_ID... | --all | FILTERS)\n"
                          "FILTERS: ") + traceFilterUsage() + QLatin1Char('\n');
}

int usageError(const QString &message)
{
    err() << "spanscope: export: " << message << "\n" << usageText();
    err().flush();
    return 2;
}

} // namespace

int runExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("format"), QStringLiteral("Output format: %1 (default: from the file's extension).")
                                               .arg(exportFormatNames().join(QStringLiteral(", "))),
                 QStringLiteral("NAME")});
    p.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The file to write (- for standard output)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("all"), QStringLiteral("Every trace of the workspace.")});
    addTraceFilterOptions(p);
    p.addPositionalArgument(QStringLiteral("TRACE_ID"), QStringLiteral("Trace ids (or unique prefixes)."), QStringLiteral("[TRACE_ID...]"));

    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    if (!p.parse(argv))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << usageText() << "\n" << p.helpText();
        out().flush();
        return 0;
    }
    QStringList ids = p.positionalArguments();
    ids.removeFirst();   // the subcommand

    const QString path = p.value(QStringLiteral("o"));
    if (path.isEmpty())
        return usageError(QStringLiteral("give the file to write with -o FILE (- for standard output)"));
    std::optional<ExportFormat> format;
    if (p.isSet(QStringLiteral("format"))) {
        format = exportFormatFromName(p.value(QStringLiteral("format")));
        if (!format)
            return usageError(QStringLiteral("unknown format \"%1\" (known: %2)")
                                  .arg(p.value(QStringLiteral("format")), exportFormatNames().join(QStringLiteral(", "))));
    } else {
        format = exportFormatForPath(path);
        if (!format)
            return usageError(QStringLiteral("say which format to write with --format (%1)").arg(exportFormatNames().join(QStringLiteral(", "))));
    }

    const bool all = p.isSet(QStringLiteral("all"));
    const bool filtered = hasTraceFilter(p);
    if (int(!ids.isEmpty()) + int(all) + int(filtered) != 1)
        return usageError(QStringLiteral("choose the traces: TRACE_ID..., --all, or filters (--search, --model, --status, --since, …)"));

    TraceQuery query;
    query.limit = 0;   // no limit
    if (filtered) {
        QString filterError;
        if (!readTraceFilter(p, &query, &filterError))
            return usageError(filterError);
    }

    TraceStore store;
    const QString db = workspacePath(p.value(QStringLiteral("db")));
    if (!store.open(db, TraceStore::OpenMode::ReadOnly) && !store.open(db)) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return 1;
    }

    QStringList traceIds;
    if (!ids.isEmpty()) {
        QStringList unknown;
        for (const QString &prefix : std::as_const(ids)) {
            const QString id = store.resolveTraceId(prefix);
            if (id.isEmpty())
                unknown << prefix;
            else if (!traceIds.contains(id))
                traceIds << id;
        }
        if (!unknown.isEmpty()) {
            err() << "spanscope: no trace " << unknown.join(QStringLiteral(", ")) << " in " << store.path() << " (nothing written)\n";
            err().flush();
            return 1;
        }
    } else {
        const QList<TraceSummary> traces = store.listTraces(query);
        if (traces.isEmpty() && !store.lastError().isEmpty()) {
            err() << "spanscope: " << store.lastError() << "\n";
            err().flush();
            return 1;
        }
        // Oldest first: the order a reader of the file expects.
        for (auto it = traces.crbegin(); it != traces.crend(); ++it)
            traceIds << it->traceId;
    }

    const ExportResult r = exportTraces(store, traceIds, *format, path);
    if (!r.ok()) {
        err() << "spanscope: " << r.error << "\n";
        err().flush();
        return 1;
    }
    // With -o - the data owns standard output; the summary goes to standard error.
    QTextStream &summary = path == u"-" ? err() : out();
    summary << "exported " << r.traces << (r.traces == 1 ? " trace" : " traces") << " (" << r.spans
            << (r.spans == 1 ? " span" : " spans") << ") as " << exportFormatName(*format) << " to " << path << "\n";
    summary.flush();
    return 0;
}

} // namespace spanscope::cli
