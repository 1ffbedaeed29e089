// spanscope-bench: Spanscope at scale, in one command.
//
//   spanscope-bench [--quick] [--out FILE.md] [--cache DIR] [--only import,list,open,live,dashboard]
//
// Prints a Markdown report: the machine, then
//   import   MB/s and spans/s of OTLP JSON lines, JSON and protobuf into a committed workspace
//            (importFiles in a child process: bulk load, indexes rebuilt, committed; full-text
//            indexing timed apart), the child's peak RSS (VmHWM), and on the same file nlohmann's
//            SAX parser with a counting handler and node's JSON.parse as ratios;
//   list     trace list page, filters, sorts and full-text search on a 1,000,000-span workspace;
//   open     store load + Trace + TraceView::setTrace for traces of 10k, 100k and 1M spans, and the
//            waterfall's paint time per frame (offscreen, median of many frames) at several zooms;
//   live     OTLP/HTTP ingest over loopback with concurrent senders (runs bench_live);
//   dashboard  the stats queries, when the store offers them.
// Generated inputs and workspaces are cached under --cache (default: a `cache` folder next to the
// binary) keyed by the generator's arguments, so a rerun only measures. --quick uses small sizes
// (well under a minute); ctest runs it as the `bench_smoke` test.
//
// Not a unit test: absolute numbers depend on the machine and its load; compare ratios measured in
// the same run.

#include "ingest/importpipeline.h"
#include "store/tracestore.h"
#if __has_include("store/workspacestats.h") && !defined(SPANSCOPE_BENCH_NO_STATS)
#include "store/workspacestats.h"
#endif
#include "trace/trace.h"
#include "widgets/traceview.h"
#include "widgets/waterfallview.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/io/coded_stream.h>

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStyleFactory>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTreeView>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

using namespace spanscope;

namespace {

// ---- small helpers ---------------------------------------------------------------------------

double msSince(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }

template<typename F>
double timeMs(F &&f)
{
    QElapsedTimer t;
    t.start();
    f();
    return msSince(t);
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template<typename F>
double medianMs(int runs, F &&f)
{
    std::vector<double> v;
    for (int i = 0; i < runs; ++i)
        v.push_back(timeMs(f));
    return median(v);
}

qint64 statusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(strlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

QString fmt(double v, int decimals = 1) { return QString::number(v, 'f', decimals); }
QString thousands(double v)
{
    QString s = QString::number(qint64(v + 0.5));
    for (int i = s.size() - 3; i > 0 && s.at(i - 1) != QLatin1Char('-'); i -= 3)
        s.insert(i, QLatin1Char(','));
    return s;
}
QString mark(bool ok) { return ok ? QStringLiteral("yes") : QStringLiteral("**no**"); }

QString readFirstLine(const QString &path, const QByteArray &prefix)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (prefix.isEmpty() || line.startsWith(prefix))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    }
    return {};
}

QString runText(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(10000))
        return {};
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

// ---- report ----------------------------------------------------------------------------------

class Report
{
public:
    void line(const QString &s = {})
    {
        m_text += s + QLatin1Char('\n');
        std::fputs((s + QLatin1Char('\n')).toUtf8().constData(), stdout);
        std::fflush(stdout);
    }
    void table(const QStringList &header) { row(header); row(QStringList(header.size(), QStringLiteral("---"))); }
    void row(const QStringList &cells) { line(QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |")); }
    void note(const QString &s) { std::fprintf(stderr, "spanscope-bench: %s\n", s.toUtf8().constData()); }
    void failed(const QString &s)
    {
        m_failures << s;
        line(QStringLiteral("FAILED: ") + s);
    }
    const QString &text() const { return m_text; }
    const QStringList &failures() const { return m_failures; }

private:
    QString m_text;
    QStringList m_failures;
};

// ---- configuration ---------------------------------------------------------------------------

struct Sizes {
    // Import: the lead's reference file shape (4000 × 60 spans, 2.5 KB of messages per LLM call).
    int importTraces = 4000, importSpans = 60, importPayload = 2500;
    // Imports of each file, the median reported: one run on a shared VM varies by ±10%.
    int importRuns = 3;
    // Trace list: 1,000,000 spans.
    int listTraces = 20000, listSpans = 50, listPayload = 400;
    QList<int> openSpans = {10000, 100000, 1000000};
    int openPayload = 200;
    int liveSeconds = 10, liveSenders = 8, liveSpansPerRequest = 100, liveInFlight = 4;
};

Sizes quickSizes()
{
    Sizes s;
    s.importTraces = 100;
    s.importRuns = 1;
    s.listTraces = 400;
    s.openSpans = {1000, 10000};
    s.liveSeconds = 1;
    s.liveSenders = 4;
    return s;
}

struct Config {
    bool quick = false;
    QString out;
    QString cache;
    QStringList only;
    QString binDir;
    bool wants(const char *section) const { return only.isEmpty() || only.contains(QLatin1String(section)); }
};

// ---- inputs: generated once, cached by their arguments ------------------------------------------

QString genKey(int traces, int spans, int payload, const QString &format, int seed)
{
    const QString ext = format == QLatin1String("otlp-proto") ? QStringLiteral("binpb")
        : format == QLatin1String("otlp-json")                ? QStringLiteral("json")
                                                              : QStringLiteral("jsonl");
    return QStringLiteral("gen-t%1-s%2-p%3-seed%4.%5").arg(traces).arg(spans).arg(payload).arg(seed).arg(ext);
}

// The generated file (kept in the cache), or empty on failure.
QString ensureInput(const Config &cfg, Report &rep, int traces, int spans, int payload, const QString &format, int seed = 42)
{
    const QString path = QDir(cfg.cache).filePath(genKey(traces, spans, payload, format, seed));
    const QString done = path + QStringLiteral(".ok");
    if (QFileInfo::exists(path) && QFileInfo::exists(done))
        return path;
    rep.note(QStringLiteral("generating %1").arg(QFileInfo(path).fileName()));
    QProcess gen;
    gen.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    gen.start(QDir(cfg.binDir).filePath(QStringLiteral("spanscope-gen")),
              {QStringLiteral("--traces"), QString::number(traces), QStringLiteral("--spans"), QString::number(spans),
               QStringLiteral("--payload"), QString::number(payload), QStringLiteral("--format"), format,
               QStringLiteral("--seed"), QString::number(seed), QStringLiteral("-o"), path});
    if (!gen.waitForFinished(-1) || gen.exitCode() != 0) {
        rep.failed(QStringLiteral("spanscope-gen failed for %1").arg(path));
        return {};
    }
    QFile marker(done);
    marker.open(QIODevice::WriteOnly);
    return path;
}

// ---- import in a child process ------------------------------------------------------------------

struct ImportRun {
    bool ok = false;
    qint64 spans = 0;
    double commitSeconds = 0;   // parse + enrich + store, indexes rebuilt, committed
    double ftsSeconds = 0;      // full-text index brought up to date afterwards
    qint64 peakKb = 0;          // VmHWM of the importing process (through the full-text step)
    qint64 peakCommitKb = 0;    // VmHWM when the spans were committed
    double cpuSeconds = 0;      // user + system time of all threads until committed
    QString error;
};

// The child: `spanscope-bench --child-import WORKSPACE FILE`.
int childImport(const QString &db, const QString &file)
{
    TraceStore store;
    if (!store.open(db)) {
        std::fprintf(stderr, "%s\n", store.lastError().toUtf8().constData());
        return 1;
    }
    ImportPipelineOptions o;
    o.indexFullTextNow = false;  // timed apart below
    QElapsedTimer t;
    t.start();
    const QList<FileImportReport> reports = importFiles(store, {file}, o);
    const double commit = t.nsecsElapsed() / 1e9;
    const qint64 hwmCommit = statusKb("VmHWM:");
    // CPU seconds of every thread up to the commit: the machine's load does not change these.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    qint64 spans = 0;
    for (const FileImportReport &r : reports) {
        spans += r.storedSpans;
        if (!r.ok()) {
            std::fprintf(stderr, "%s: %s (%d errors)\n", file.toUtf8().constData(), r.storeError.toUtf8().constData(),
                         r.result.stats.errors);
            return 1;
        }
    }
    t.restart();
    if (store.indexFullText() < 0) {
        std::fprintf(stderr, "%s\n", store.lastError().toUtf8().constData());
        return 1;
    }
    const double fts = t.nsecsElapsed() / 1e9;
    store.close();
    std::printf("RESULT %lld %.6f %.6f %lld %lld %.6f\n", (long long)spans, commit, fts, (long long)statusKb("VmHWM:"),
                (long long)hwmCommit, cpu);
    return 0;
}

ImportRun importInChild(const Config &cfg, const QString &db, const QString &file)
{
    ImportRun r;
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child-import"), db, file});
    if (!p.waitForFinished(-1) || p.exitCode() != 0) {
        r.error = QString::fromUtf8(p.readAllStandardError()).trimmed();
        return r;
    }
    const QStringList f = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(QLatin1Char(' '));
    if (f.size() != 7 || f[0] != QLatin1String("RESULT")) {
        r.error = QStringLiteral("unexpected output from the import child");
        return r;
    }
    r.spans = f[1].toLongLong();
    r.commitSeconds = f[2].toDouble();
    r.ftsSeconds = f[3].toDouble();
    r.peakKb = f[4].toLongLong();
    r.peakCommitKb = f[5].toLongLong();
    r.cpuSeconds = f[6].toDouble();
    r.ok = true;
    Q_UNUSED(cfg);
    return r;
}

// A workspace built once from a generated file (import + full text), cached by its arguments.
QString ensureWorkspace(const Config &cfg, Report &rep, const QString &name, const QStringList &inputs)
{
    // Keyed by the schema too: a workspace of an older schema is refused by a read-only open.
    const QString db = QDir(cfg.cache).filePath(name + QStringLiteral("-schema%1.sqlite").arg(TraceStore::currentSchemaVersion()));
    const QString done = db + QStringLiteral(".ok");
    if (QFileInfo::exists(db) && QFileInfo::exists(done))
        return db;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(db + suffix);
    for (const QString &input : inputs) {
        rep.note(QStringLiteral("building %1 from %2").arg(QFileInfo(db).fileName(), QFileInfo(input).fileName()));
        const ImportRun r = importInChild(cfg, db, input);
        if (!r.ok) {
            rep.failed(QStringLiteral("building %1: %2").arg(db, r.error));
            return {};
        }
        rep.note(QStringLiteral("  %1 spans in %2 s (+ %3 s full text)").arg(r.spans).arg(fmt(r.commitSeconds)).arg(fmt(r.ftsSeconds)));
    }
    QFile marker(done);
    marker.open(QIODevice::WriteOnly);
    return db;
}

// ---- parse-only baselines ------------------------------------------------------------------------

// nlohmann SAX with a handler that only counts: the floor any JSON importer built on it pays.
struct CountingHandler {
    qint64 events = 0;
    bool null() { ++events; return true; }
    bool boolean(bool) { ++events; return true; }
    bool number_integer(std::int64_t) { ++events; return true; }
    bool number_unsigned(std::uint64_t) { ++events; return true; }
    bool number_float(double, const std::string &) { ++events; return true; }
    bool string(std::string &) { ++events; return true; }
    bool binary(nlohmann::json::binary_t &) { ++events; return true; }
    bool start_object(std::size_t) { ++events; return true; }
    bool key(std::string &) { ++events; return true; }
    bool end_object() { ++events; return true; }
    bool start_array(std::size_t) { ++events; return true; }
    bool end_array() { ++events; return true; }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return false; }
};

// Seconds to parse the file (read into memory first, not timed), or < 0 on failure.
double parseOnlySeconds(const QString &path, const QString &format)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray data = f.readAll();
    QElapsedTimer t;
    t.start();
    if (format == QLatin1String("otlp-proto")) {
        // Length-delimited ExportTraceServiceRequests, as spanscope-gen writes them.
        google::protobuf::io::CodedInputStream in(reinterpret_cast<const quint8 *>(data.constData()), int(std::min<qsizetype>(data.size(), INT_MAX)));
        in.SetTotalBytesLimit(INT_MAX);
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
        std::uint64_t size = 0;
        while (in.ReadVarint64(&size)) {
            const auto limit = in.PushLimit(int(size));
            if (!req.ParseFromCodedStream(&in))
                return -1;
            in.PopLimit(limit);
        }
        return t.nsecsElapsed() / 1e9;
    }
    CountingHandler h;
    const char *p = data.constData();
    const char *end = p + data.size();
    if (format == QLatin1String("otlp-jsonl")) {
        while (p < end) {
            const char *nl = static_cast<const char *>(memchr(p, '\n', size_t(end - p)));
            const char *lineEnd = nl ? nl : end;
            if (lineEnd > p && !nlohmann::json::sax_parse(p, lineEnd, &h))
                return -1;
            p = lineEnd + 1;
        }
    } else if (!nlohmann::json::sax_parse(p, end, &h)) {
        return -1;
    }
    return t.nsecsElapsed() / 1e9;
}

// node's JSON.parse of the file (per line for JSON lines): what a web viewer does before it draws.
// Returns parse seconds (< 0 when node is missing or failed) and node's RSS.
struct NodeRun {
    double seconds = -1;
    qint64 rssMb = 0;
    QString why;
};

NodeRun nodeParse(const QString &path, bool lines)
{
    NodeRun r;
    static const char script[] = R"JS(
const fs = require('fs');
const [file, mode] = process.argv.slice(1);
const s = fs.readFileSync(file, 'utf8');
const t0 = process.hrtime.bigint();
let docs = 0;
if (mode === 'lines') {
  for (let i = 0; i < s.length;) {
    let j = s.indexOf('\n', i);
    if (j < 0) j = s.length;
    if (j > i) { JSON.parse(s.substring(i, j)); ++docs; }
    i = j + 1;
  }
} else { JSON.parse(s); docs = 1; }
const t1 = process.hrtime.bigint();
console.log('NODE ' + (Number(t1 - t0) / 1e9) + ' ' + Math.round(process.memoryUsage().rss / 1048576) + ' ' + docs);
)JS";
    QProcess p;
    p.start(QStringLiteral("node"), {QStringLiteral("--max-old-space-size=16384"), QStringLiteral("-e"), QString::fromUtf8(script),
                                     path, lines ? QStringLiteral("lines") : QStringLiteral("doc")});
    if (!p.waitForStarted(10000)) {
        r.why = QStringLiteral("node not found");
        return r;
    }
    p.waitForFinished(-1);
    const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    if (p.exitCode() != 0 || !out.startsWith(QLatin1String("NODE "))) {
        const QString err = QString::fromUtf8(p.readAllStandardError());
        r.why = err.contains(QLatin1String("ERR_STRING_TOO_LONG")) || err.contains(QLatin1String("Invalid string length"))
            ? QStringLiteral("file over node's string limit (~512 MB)")
            : QStringLiteral("node failed");
        return r;
    }
    const QStringList f = out.split(QLatin1Char(' '));
    r.seconds = f.value(1).toDouble();
    r.rssMb = f.value(2).toLongLong();
    return r;
}

// ---- sections ------------------------------------------------------------------------------------

void machine(Report &rep)
{
    QString cpu = readFirstLine(QStringLiteral("/proc/cpuinfo"), "model name");
    const QString mem = readFirstLine(QStringLiteral("/proc/meminfo"), "MemTotal");
    QString sqlite;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-version"));
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT sqlite_version()")) && q.next())
                sqlite = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-version"));
    const QString load = readFirstLine(QStringLiteral("/proc/loadavg"), {});
    rep.line(QStringLiteral("## Machine"));
    rep.line();
    rep.table({QStringLiteral("what"), QStringLiteral("value")});
    rep.row({QStringLiteral("CPU"), cpu});
    rep.row({QStringLiteral("cores"), QString::number(QThread::idealThreadCount())});
    rep.row({QStringLiteral("RAM"), QStringLiteral("%1 GiB").arg(fmt(mem.split(QLatin1Char(' ')).first().toDouble() / 1048576.0))});
    rep.row({QStringLiteral("kernel"), QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion()});
    rep.row({QStringLiteral("OS"), QSysInfo::prettyProductName()});
    rep.row({QStringLiteral("compiler"), QStringLiteral("gcc " __VERSION__)});
    rep.row({QStringLiteral("Qt"), QString::fromLatin1(qVersion())});
    rep.row({QStringLiteral("SQLite"), sqlite});
    rep.row({QStringLiteral("node"), runText(QStringLiteral("node"), {QStringLiteral("--version")})});
    rep.row({QStringLiteral("load average at start"), load.section(QLatin1Char(' '), 0, 2)});
    rep.row({QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)});
    rep.line();
}

void importSection(const Config &cfg, const Sizes &sz, Report &rep)
{
    rep.line(QStringLiteral("## Import (file → committed workspace)"));
    rep.line();
    rep.line(QStringLiteral("`spanscope-gen --traces %1 --spans %2 --payload %3 --seed 42` in each format; `importFiles` in a child "
                            "process into a new workspace (bulk load, indexes rebuilt, committed), %4 and the median reported "
                            "(import s: median (fastest–slowest); the other columns are the median run's). Full-text indexing is timed "
                            "apart (it may run in the background). CPU s = user + system time of the child's threads until committed (what the "
                            "load of other processes does not change; on 2 cores the best wall time is about half of it). Peak RSS = "
                            "the child's VmHWM. SAX = nlohmann SAX with a counting "
                            "handler (protobuf: `ParseFromCodedStream`), node = `JSON.parse` (per line for JSON lines), both on the "
                            "same file, file read not timed.")
                 .arg(sz.importTraces)
                 .arg(sz.importSpans)
                 .arg(sz.importPayload)
                 .arg(sz.importRuns == 1 ? QStringLiteral("one run each") : QStringLiteral("%1 runs each").arg(sz.importRuns)));
    rep.line();
    rep.table({QStringLiteral("format"), QStringLiteral("file MB"), QStringLiteral("spans"), QStringLiteral("import s"),
               QStringLiteral("**MB/s**"), QStringLiteral("spans/s"), QStringLiteral("CPU s (MB per CPU-s)"), QStringLiteral("full text s"), QStringLiteral("peak RSS MB"),
               QStringLiteral("SAX/parse-only MB/s"), QStringLiteral("import ÷ SAX"), QStringLiteral("node MB/s"),
               QStringLiteral("import ÷ node")});
    QTemporaryDir tmp(QDir(cfg.cache).filePath(QStringLiteral("import-XXXXXX")));
    for (const QString &format : {QStringLiteral("otlp-jsonl"), QStringLiteral("otlp-json"), QStringLiteral("otlp-proto")}) {
        const QString file = ensureInput(cfg, rep, sz.importTraces, sz.importSpans, sz.importPayload, format);
        if (file.isEmpty())
            continue;
        const double mb = QFileInfo(file).size() / 1e6;
        const QString db = tmp.filePath(format + QStringLiteral(".sqlite"));
        QList<ImportRun> runs;
        QString error;
        for (int i = 0; i < sz.importRuns && error.isEmpty(); ++i) {
            ::sync();  // the previous run's workspace written back first, not during this run
            ImportRun run = importInChild(cfg, db, file);
            for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(db + suffix);
            if (run.ok)
                runs << run;
            else
                error = run.error;
        }
        if (!error.isEmpty()) {
            rep.failed(QStringLiteral("import of %1: %2").arg(file, error));
            continue;
        }
        std::sort(runs.begin(), runs.end(), [](const ImportRun &a, const ImportRun &b) { return a.commitSeconds < b.commitSeconds; });
        const ImportRun r = runs.at(runs.size() / 2);  // the median run (its CPU time, RSS, full text)
        QString importSeconds = fmt(r.commitSeconds, 2);
        if (runs.size() > 1)
            importSeconds += QStringLiteral(" (%1–%2)").arg(fmt(runs.first().commitSeconds, 2), fmt(runs.last().commitSeconds, 2));
        const double parse = parseOnlySeconds(file, format);
        const double importMbs = mb / r.commitSeconds;
        const double parseMbs = parse > 0 ? mb / parse : 0;
        QString nodeMbs = QStringLiteral("–"), nodeRatio = QStringLiteral("–");
        if (format != QLatin1String("otlp-proto")) {
            const NodeRun n = nodeParse(file, format == QLatin1String("otlp-jsonl"));
            if (n.seconds > 0) {
                nodeMbs = fmt(mb / n.seconds) + QStringLiteral(" (RSS %1 MB)").arg(n.rssMb);
                nodeRatio = fmt(n.seconds / r.commitSeconds, 2) + QStringLiteral("×");
            } else {
                nodeMbs = n.why;
            }
        }
        rep.row({format, fmt(mb), thousands(double(r.spans)), importSeconds, QStringLiteral("**%1**").arg(fmt(importMbs)),
                 thousands(r.spans / r.commitSeconds), QStringLiteral("%1 (%2)").arg(fmt(r.cpuSeconds, 1), fmt(mb / r.cpuSeconds, 1)),
                 fmt(r.ftsSeconds, 2),
                 QStringLiteral("%1 (commit %2)").arg(r.peakKb / 1024).arg(r.peakCommitKb / 1024), fmt(parseMbs),
                 parseMbs > 0 ? fmt(importMbs / parseMbs, 2) + QStringLiteral("×") : QStringLiteral("–"), nodeMbs, nodeRatio});
    }
    rep.line();
}

void listSection(const Config &cfg, const Sizes &sz, Report &rep)
{
    const qint64 total = qint64(sz.listTraces) * sz.listSpans;
    rep.line(QStringLiteral("## Trace list on a %1-span workspace").arg(thousands(double(total))));
    rep.line();
    const QString input = ensureInput(cfg, rep, sz.listTraces, sz.listSpans, sz.listPayload, QStringLiteral("otlp-jsonl"));
    if (input.isEmpty())
        return;
    const QString db = ensureWorkspace(cfg, rep, QFileInfo(input).completeBaseName(), {input});
    if (db.isEmpty())
        return;
    TraceStore store;
    if (!store.open(db, TraceStore::OpenMode::ReadOnly)) {
        rep.failed(store.lastError());
        return;
    }
    const WorkspaceCounts counts = store.counts();
    rep.line(QStringLiteral("`spanscope-gen --traces %1 --spans %2 --payload %3` imported once and cached: %4 traces, %5 spans, "
                            "workspace %6 MB. What the trace list does per view: count + one page of 100 (median of 5 after "
                            "one warm-up; first = the warm-up run). Each full-text run is a new search (another text runs "
                            "in between, untimed), except the \"same search\" row: the next page of the search before it.")
                 .arg(sz.listTraces)
                 .arg(sz.listSpans)
                 .arg(sz.listPayload)
                 .arg(thousands(double(counts.traces)))
                 .arg(thousands(double(counts.spans)))
                 .arg(fmt(QFileInfo(db).size() / 1e6, 0)));
    rep.line();
    rep.table({QStringLiteral("query"), QStringLiteral("matches"), QStringLiteral("first ms"), QStringLiteral("**median ms**"),
               QStringLiteral("target")});
    auto measure = [&](const QString &label, TraceQuery q, double target) {
        qint64 matches = 0;
        auto once = [&] {
            matches = store.countTraces(q);
            const QList<TraceSummary> page = store.listTraces(q);
            if (page.isEmpty() && matches > 0)
                rep.failed(QStringLiteral("%1: empty page").arg(label));
        };
        // Each run of a search is a new search: the store keeps the matches of its last search
        // for the next query with the same text, so another text runs (untimed) in between.
        // "same search" rows measure that next query on purpose.
        auto fresh = [&] {
            if (!q.search.isEmpty() && !label.contains(QLatin1String("same search"))) {
                TraceQuery other;
                other.search = QStringLiteral("zzzyxnotthere");
                (void)store.countTraces(other);
            }
        };
        fresh();
        const double first = timeMs(once);
        std::vector<double> runs;
        for (int i = 0; i < 5; ++i) {
            fresh();
            runs.push_back(timeMs(once));
        }
        const double med = median(runs);
        rep.row({label, thousands(double(matches)), fmt(first, 1), QStringLiteral("**%1**").arg(fmt(med, 1)),
                 QStringLiteral("< %1 ms: %2").arg(target).arg(mark(med < target))});
    };
    TraceQuery q;
    measure(QStringLiteral("first page (newest first)"), q, 100);
    q.offset = counts.traces / 2;
    measure(QStringLiteral("page in the middle (offset %1)").arg(q.offset), q, 100);
    q = {};
    using Sort = TraceQuery::Sort;
    const std::pair<const char *, Sort> sorts[] = {{"duration", Sort::Duration}, {"cost", Sort::Cost}, {"name", Sort::Name},
                                                   {"spans", Sort::Spans},       {"errors", Sort::Errors}, {"input tokens", Sort::InputTokens},
                                                   {"models", Sort::Models},     {"service", Sort::Service}, {"session", Sort::Session}};
    for (const auto &[name, sort] : sorts) {
        q = {};
        q.sort = sort;
        measure(QStringLiteral("sort by %1").arg(QLatin1String(name)), q, 100);
    }
    q = {};
    q.model = QStringLiteral("gpt-4o");
    measure(QStringLiteral("filter model = gpt-4o"), q, 100);
    q = {};
    q.status = TraceQuery::Status::Error;
    measure(QStringLiteral("filter status = error"), q, 100);
    q = {};
    q.minDurationNs = 30'000'000'000LL;
    measure(QStringLiteral("filter duration ≥ 30 s"), q, 100);
    q = {};
    q.minCostUsd = 0.05;
    q.sort = Sort::Cost;
    measure(QStringLiteral("filter cost ≥ $0.05, by cost"), q, 100);
    q = {};
    q.service = QStringLiteral("bench-agent");
    measure(QStringLiteral("filter service (every trace)"), q, 100);
    q = {};
    q.sessionId = QStringLiteral("sess-%1").arg(sz.listTraces / 8);
    measure(QStringLiteral("filter session"), q, 100);
    q = {};
    q.model = QStringLiteral("claude-3-5-sonnet-20241022");
    q.status = TraceQuery::Status::Error;
    q.sort = Sort::Duration;
    measure(QStringLiteral("model + error, by duration"), q, 100);
    // The indexed text is span names, inputs and outputs (not chat messages): tool names,
    // arguments and results in the generated traces.
    q = {};
    q.search = QStringLiteral("lookup");
    measure(QStringLiteral("full text: lookup (in most traces)"), q, 200);
    q.offset = 100;
    measure(QStringLiteral("full text: lookup, next page (same search)"), q, 200);
    q.offset = 0;
    q.search = QStringLiteral("weather");
    measure(QStringLiteral("full text: weather"), q, 200);
    q.search = QStringLiteral("\"send email\"");
    measure(QStringLiteral("full text: \"send email\" (phrase)"), q, 200);
    q.search = QStringLiteral("zzzyxnotthere");
    measure(QStringLiteral("full text: no match"), q, 200);
    q.search = QStringLiteral("weather");
    q.model = QStringLiteral("gpt-4o");
    measure(QStringLiteral("full text + model filter"), q, 200);
    {
        int hits = 0;
        const double first = timeMs([&] { hits = int(store.search(QStringLiteral("weather"), 100).size()); });
        const double med = medianMs(5, [&] { hits = int(store.search(QStringLiteral("weather"), 100).size()); });
        rep.row({QStringLiteral("span search: weather, first 100 hits"), QString::number(hits), fmt(first, 1),
                 QStringLiteral("**%1**").arg(fmt(med, 1)), QStringLiteral("< 200 ms: %1").arg(mark(med < 200))});
    }
    rep.line();
}

void openSection(const Config &cfg, const Sizes &sz, Report &rep)
{
    rep.line(QStringLiteral("## Open a big trace and paint its waterfall"));
    rep.line();
    QStringList inputs;
    for (int n : sz.openSpans) {
        // A seed per size: the same seed would give the same trace id (one trace, not three).
        const QString f = ensureInput(cfg, rep, 1, n, sz.openPayload, QStringLiteral("otlp-json"), 7 + n);
        if (f.isEmpty())
            return;
        inputs << f;
    }
    QStringList sizes;
    for (int n : sz.openSpans)
        sizes << QString::number(n);
    const QString db = ensureWorkspace(cfg, rep, QStringLiteral("open-%1-p%2").arg(sizes.join(QLatin1Char('-'))).arg(sz.openPayload), inputs);
    if (db.isEmpty())
        return;
    TraceStore store;
    if (!store.open(db, TraceStore::OpenMode::ReadOnly)) {
        rep.failed(store.lastError());
        return;
    }
    TraceQuery all;
    all.limit = 0;
    all.sort = TraceQuery::Sort::Spans;
    all.descending = false;
    const QList<TraceSummary> traces = store.listTraces(all);
    rep.line(QStringLiteral("One workspace with one generated trace per size (`spanscope-gen --traces 1 --spans N --payload %1`). "
                            "Open = `loadSpans` (no details, in stored order) + `Trace` (together `TraceStore::loadTrace`) + `TraceView::setTrace` + tree layout + first full "
                            "paint, in a 1920×1080 offscreen window. Frame = `WaterfallView::paintRows` (rows, grid, labels; no "
                            "cache), median of 31 frames, at fit and zoomed 10×…10⁵× around the middle, scrolled half-way. "
                            "Open is the first open in the process; \"again\" loads the same trace three more times.")
                 .arg(sz.openPayload));
    rep.line();
    rep.table({QStringLiteral("spans"), QStringLiteral("load ms"), QStringLiteral("Trace ms"), QStringLiteral("setTrace ms"),
               QStringLiteral("layout + first paint ms"), QStringLiteral("**open ms**"), QStringLiteral("frame fit ms"),
               QStringLiteral("frame 10× / 100× / 1000× / 10⁵× ms"), QStringLiteral("**worst frame ms**"),
               QStringLiteral("all expanded, frame ms"), QStringLiteral("load + Trace again, median of 3, ms"),
               QStringLiteral("targets")});
    for (const TraceSummary &summary : traces) {
        SpanList spans;
        std::shared_ptr<const Trace> trace;
        const double load = timeMs([&] { spans = store.loadSpans(summary.traceId, false, TraceStore::SpanOrder::AsStored); });
        const double build = timeMs([&] { trace = std::make_shared<const Trace>(std::move(spans)); });
        auto view = std::make_unique<TraceView>();
        view->resize(1920, 1080);
        view->show();
        QCoreApplication::processEvents();
        QTreeView *tree = view->treeView();
        WaterfallView *fall = view->waterfallView();
        const double set = timeMs([&] { view->setTrace(trace, summary); });
        const double firstPaint = timeMs([&] {
            (void)tree->visualRect(view->treeView()->model()->index(0, 0));
            (void)view->grab();
        });
        const double open = load + build + set + firstPaint;
        const QSize size = fall->viewport()->size();
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        auto frame = [&] {
            return medianMs(31, [&] {
                QPainter p(&image);
                fall->paintRows(p, size);
            });
        };
        const double duration = double(fall->layout().durationNs());
        std::vector<double> frames;
        fall->verticalScrollBar()->setValue(fall->verticalScrollBar()->maximum() / 2);
        const double fit = frame();
        frames.push_back(fit);
        QStringList zoomed;
        for (const double zoom : {10.0, 100.0, 1000.0, 100000.0}) {
            const double w = duration / zoom;
            fall->zoomToRange(duration / 2 - w / 2, duration / 2 + w / 2);
            fall->verticalScrollBar()->setValue(fall->verticalScrollBar()->maximum() / 2);
            frames.push_back(frame());
            zoomed << fmt(frames.back(), 2);
        }
        fall->fitAll();
        view->expandAll();
        (void)tree->visualRect(view->treeView()->model()->index(0, 0));
        fall->verticalScrollBar()->setValue(fall->verticalScrollBar()->maximum() / 2);
        const double expanded = frame();
        frames.push_back(expanded);
        const double worst = *std::max_element(frames.begin(), frames.end());
        const int n = trace->size();
        view.reset();
        trace.reset();
        // The same trace opened again (load + Trace, each freed before the next): what switching
        // between big traces costs once the process has its memory. The first open above also
        // pays the kernel for fresh pages, which varies most between machines and runs.
        const double again = medianMs(3, [&] { (void)store.loadTrace(summary.traceId, false); });
        const double openTarget = 300.0 * std::max(1.0, n / 100000.0);
        const double frameTarget = n > 100000 ? 16 : 8;
        rep.row({thousands(n), fmt(load), fmt(build), fmt(set), fmt(firstPaint), QStringLiteral("**%1**").arg(fmt(open)), fmt(fit, 2),
                 zoomed.join(QStringLiteral(" / ")), QStringLiteral("**%1**").arg(fmt(worst, 2)), fmt(expanded, 2),
                 fmt(again),
                 QStringLiteral("open < %1 ms: %2; frame < %3 ms: %4")
                     .arg(openTarget)
                     .arg(n <= 100000 ? mark(open < openTarget) : QStringLiteral("(no target)"))
                     .arg(frameTarget)
                     .arg(mark(worst < frameTarget))});
    }
    rep.line();
}

void liveSection(const Config &cfg, const Sizes &sz, Report &rep)
{
    rep.line(QStringLiteral("## Live OTLP/HTTP ingest over loopback"));
    rep.line();
    rep.line(QStringLiteral("`bench_live %1 %2 %3 %4`: a `LiveService` (the receiver and its workspace writer, as in `spanscope serve`) "
                            "in a child process on a fresh workspace; %2 concurrent senders × %4 requests in flight, %3 LLM spans "
                            "per request, %1 s per encoding. While spans queue up, the writer leaves full-text indexing "
                            "for when they stop coming: the search backlog column says how many spans were not yet "
                            "searchable when the load stopped, and how long the writer then took to index them.")
                 .arg(sz.liveSeconds)
                 .arg(sz.liveSenders)
                 .arg(sz.liveSpansPerRequest)
                 .arg(sz.liveInFlight));
    rep.line();
    // A copy next to this binary wins (to keep a frozen "before" build of the benchmark).
    QString program = QDir(cfg.binDir).filePath(QStringLiteral("bench_live"));
    if (!QFileInfo::exists(program))
        program = QStringLiteral(SPANSCOPE_BENCH_LIVE);
    if (!QFileInfo::exists(program)) {
        rep.failed(QStringLiteral("bench_live not built (%1)").arg(program));
        return;
    }
    QProcess p;
    p.start(program, {QString::number(sz.liveSeconds), QString::number(sz.liveSenders), QString::number(sz.liveSpansPerRequest),
                      QString::number(sz.liveInFlight)});
    p.waitForFinished(-1);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    static const QRegularExpression re(QStringLiteral(
        R"(^(OTLP/\S+)\s*: (\d+) spans/s sustained \((\d+) requests acknowledged in ([\d.]+) s\), ack latency p50 ([\d.]+) ms p99 ([\d.]+) ms, (\d+) overloaded, (\d+) failed, server RSS mean (\d+) MiB peak (\d+) MiB(?:, full-text backlog (\d+) spans indexed ([-\d.]+) s after the load)?)"),
        QRegularExpression::MultilineOption);
    rep.table({QStringLiteral("encoding"), QStringLiteral("**spans/s**"), QStringLiteral("ack p50 ms"), QStringLiteral("ack p99 ms"),
               QStringLiteral("overloaded (429/503)"), QStringLiteral("failed"), QStringLiteral("server RSS mean / peak MB"),
               QStringLiteral("search backlog at the end: spans, s to index"), QStringLiteral("≥ 50,000 spans/s")});
    int rows = 0;
    for (auto it = re.globalMatch(out); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const double rate = m.captured(2).toDouble();
        rep.row({m.captured(1), QStringLiteral("**%1**").arg(thousands(rate)), m.captured(5), m.captured(6), m.captured(7), m.captured(8),
                 m.captured(9) + QStringLiteral(" / ") + m.captured(10),
                 m.captured(11).isEmpty() ? QStringLiteral("–")
                 : m.captured(12).startsWith(QLatin1Char('-')) ? QStringLiteral("%1, not within 60 s").arg(thousands(m.captured(11).toDouble()))
                                                                : QStringLiteral("%1, %2").arg(thousands(m.captured(11).toDouble()), m.captured(12)),
                 mark(rate >= 50000)});
        ++rows;
    }
    if (rows == 0)
        rep.failed(QStringLiteral("bench_live printed no result:\n%1%2").arg(out, QString::fromUtf8(p.readAllStandardError())));
    rep.line();
}

void dashboardSection(const Config &cfg, const Sizes &sz, Report &rep)
{
    rep.line(QStringLiteral("## Dashboard refresh"));
    rep.line();
#if __has_include("store/workspacestats.h") && !defined(SPANSCOPE_BENCH_NO_STATS)
    const QString input = ensureInput(cfg, rep, sz.listTraces, sz.listSpans, sz.listPayload, QStringLiteral("otlp-jsonl"));
    if (input.isEmpty())
        return;
    const QString db = ensureWorkspace(cfg, rep, QFileInfo(input).completeBaseName(), {input});
    if (db.isEmpty())
        return;
    TraceStore store;
    if (!store.open(db, TraceStore::OpenMode::ReadOnly)) {
        rep.failed(store.lastError());
        return;
    }
    rep.line(QStringLiteral("`WorkspaceStats::compute` (every part: totals, timeline, latency and cost distributions, top N) on "
                            "the %1-span workspace of the trace list section; first run and median of 3.")
                 .arg(thousands(double(qint64(sz.listTraces) * sz.listSpans))));
    rep.line();
    rep.table({QStringLiteral("request"), QStringLiteral("first ms"), QStringLiteral("**median ms**"), QStringLiteral("slowest parts (ms)"),
               QStringLiteral("< 1 s")});
    auto measure = [&](const QString &label, const StatsRequest &request) {
        StatsReport report;
        const double first = timeMs([&] { report = WorkspaceStats::compute(store, request); });
        if (!report.error.isEmpty()) {
            rep.failed(QStringLiteral("dashboard %1: %2").arg(label, report.error));
            return;
        }
        const double med = medianMs(3, [&] { report = WorkspaceStats::compute(store, request); });
        auto parts = report.timingsMs;
        std::sort(parts.begin(), parts.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        QStringList slow;
        for (qsizetype i = 0; i < std::min<qsizetype>(3, parts.size()); ++i)
            slow << QStringLiteral("%1 %2").arg(parts[i].first, fmt(parts[i].second, 0));
        rep.row({label, fmt(first, 0), QStringLiteral("**%1**").arg(fmt(med, 0)), slow.join(QStringLiteral(", ")), mark(med < 1000)});
    };
    StatsRequest all;
    measure(QStringLiteral("whole workspace"), all);
    StatsRequest byModel;
    byModel.filter.model = QStringLiteral("gpt-4o");
    byModel.groupBy = StatsDimension::Name;
    measure(QStringLiteral("model = gpt-4o, grouped by span name"), byModel);
#else
    Q_UNUSED(cfg);
    Q_UNUSED(sz);
    rep.line(QStringLiteral("Not measured: this build has no stats API (store/workspacestats.h)."));
#endif
    rep.line();
}

int usage()
{
    std::fprintf(stderr, "usage: spanscope-bench [--quick] [--out FILE.md] [--cache DIR] [--only import,list,open,live,dashboard]\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 4 && std::strcmp(argv[1], "--child-import") == 0) {
        QCoreApplication app(argc, argv);
        return childImport(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    Config cfg;
    cfg.binDir = QCoreApplication::applicationDirPath();
    cfg.cache = QDir(cfg.binDir).filePath(QStringLiteral("cache"));
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--quick"))
            cfg.quick = true;
        else if (a == QLatin1String("--out") && i + 1 < args.size())
            cfg.out = args.at(++i);
        else if (a == QLatin1String("--cache") && i + 1 < args.size())
            cfg.cache = args.at(++i);
        else if (a == QLatin1String("--only") && i + 1 < args.size())
            cfg.only = args.at(++i).split(QLatin1Char(','), Qt::SkipEmptyParts);
        else
            return usage();
    }
    if (cfg.quick)
        cfg.cache += QStringLiteral("/quick");
    if (!QDir().mkpath(cfg.cache)) {
        std::fprintf(stderr, "spanscope-bench: cannot create %s\n", cfg.cache.toUtf8().constData());
        return 1;
    }
    const Sizes sz = cfg.quick ? quickSizes() : Sizes();

    Report rep;
    QElapsedTimer total;
    total.start();
    rep.line(QStringLiteral("# Spanscope benchmark%1").arg(cfg.quick ? QStringLiteral(" (--quick: small sizes)") : QString()));
    rep.line();
    machine(rep);
    // Each section starts once the kernel has written back what the one before wrote (the import
    // leaves about a gigabyte of dirty pages, flushed by kernel threads on the same two cores).
    auto settle = [] { ::sync(); };
    if (cfg.wants("import"))
        importSection(cfg, sz, rep);
    if (cfg.wants("list")) {
        settle();
        listSection(cfg, sz, rep);
    }
    if (cfg.wants("open")) {
        settle();
        openSection(cfg, sz, rep);
    }
    if (cfg.wants("live")) {
        settle();
        liveSection(cfg, sz, rep);
    }
    if (cfg.wants("dashboard")) {
        settle();
        dashboardSection(cfg, sz, rep);
    }
    rep.line(QStringLiteral("Ran in %1 s.").arg(fmt(total.nsecsElapsed() / 1e9, 0)));

    if (!cfg.out.isEmpty()) {
        QFile f(cfg.out);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(rep.text().toUtf8()) < 0) {
            std::fprintf(stderr, "spanscope-bench: cannot write %s\n", cfg.out.toUtf8().constData());
            return 1;
        }
    }
    return rep.failures().isEmpty() ? 0 : 1;
}
