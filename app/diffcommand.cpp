#include "diffcommand.h"
#include "clioptions.h"

#include "cli.h"
#include "compare/spandiff.h"
#include "compare/tracecomparison.h"
#include "layout/timescale.h"
#include "store/tracestore.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cmath>

namespace spanscope::cli {

namespace {


int usageError(const QString &message)
{
    err() << "spanscope: diff: " << message << "\n"
          << "Usage: spanscope diff [--db PATH] [--json] TRACE_A TRACE_B\n";
    err().flush();
    return 2;
}

QJsonValue tokensOrNull(qint64 n)
{
    return n >= 0 ? QJsonValue(n) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QString signedDuration(qint64 ns)
{
    if (ns == 0)
        return QStringLiteral("±0");
    return (ns > 0 ? QStringLiteral("+") : QStringLiteral("-")) + formatDuration(std::abs(ns));
}

QString signedNumber(qint64 n)
{
    return n > 0 ? QStringLiteral("+") + QString::number(n) : n == 0 ? QStringLiteral("±0") : QString::number(n);
}

QString signedCost(double usd)
{
    if (std::abs(usd) < 1e-12)
        return QStringLiteral("±$0");
    const QString sign = usd > 0 ? QStringLiteral("+") : QStringLiteral("-");
    const double a = std::abs(usd);
    return sign + QStringLiteral("$") + QString::number(a, 'f', a < 0.01 ? 6 : 4);
}

QString cost(const TraceSummary &t)
{
    return t.pricedSpanCount > 0 ? QStringLiteral("$") + QString::number(t.costUsd, 'f', t.costUsd < 0.01 ? 6 : 4)
                                 : QStringLiteral("-");
}

// The word diff in git's notation with long unchanged stretches cut to their ends, on one line.
QString compactWordDiff(const TextDiff &diff, int context = 40)
{
    QString s;
    for (qsizetype i = 0; i < diff.size(); ++i) {
        const TextDiffSegment &seg = diff.at(i);
        QString text = seg.text;
        text.replace(QLatin1Char('\n'), QStringLiteral("⏎"));
        if (seg.kind == TextDiffSegment::Equal) {
            const bool first = i == 0, last = i == diff.size() - 1;
            // Cut only what is worth cutting: a few characters saved are not worth an ellipsis.
            if (first && text.size() > context + 20)
                text = QStringLiteral("…") + text.right(context);
            else if (last && text.size() > context + 20)
                text = text.left(context) + QStringLiteral("…");
            else if (text.size() > 2 * context + 20)
                text = text.left(context) + QStringLiteral("…") + text.right(context);
            s += text;
        } else if (seg.kind == TextDiffSegment::Removed) {
            s += QStringLiteral("[-") + text + QStringLiteral("-]");
        } else {
            s += QStringLiteral("{+") + text + QStringLiteral("+}");
        }
    }
    return s;
}

QString changeKindName(JsonChange::Kind kind)
{
    switch (kind) {
    case JsonChange::Added: return QStringLiteral("added");
    case JsonChange::Removed: return QStringLiteral("removed");
    case JsonChange::Changed: return QStringLiteral("changed");
    }
    return {};
}

QJsonObject spanToJson(const Trace &t, int i, qint64 durationNs)
{
    const Span &s = t.span(i);
    return QJsonObject{
        {QStringLiteral("spanId"), s.spanId},
        {QStringLiteral("name"), s.name},
        {QStringLiteral("kind"), spanKindName(s.kind)},
        {QStringLiteral("model"), textOrNull(s.model())},
        {QStringLiteral("status"), statusName(s.status)},
        {QStringLiteral("startTimeUnixNano"), QString::number(s.startNs)},
        {QStringLiteral("durationNs"), durationNs},
        {QStringLiteral("inputTokens"), tokensOrNull(s.tokens.input)},
        {QStringLiteral("outputTokens"), tokensOrNull(s.tokens.output)},
        {QStringLiteral("costUsd"), s.cost.isKnown() ? QJsonValue(s.cost.totalUsd) : QJsonValue(QJsonValue::Null)},
    };
}

qint64 shownDuration(const Trace &t, int i)
{
    const Span &s = t.span(i);
    return s.hasEnded() ? s.durationNs() : std::max<qint64>(t.endNs() - s.startNs, 0);
}

QJsonObject fieldDiffToJson(const FieldDiff &f)
{
    QJsonObject o{{QStringLiteral("field"), f.field}};
    if (f.mode == FieldDiff::Mode::Text) {
        o.insert(QStringLiteral("mode"), QStringLiteral("text"));
        o.insert(QStringLiteral("wordDiff"), textDiffToString(f.words));
        return o;
    }
    o.insert(QStringLiteral("mode"), QStringLiteral("json"));
    QJsonArray keys;
    for (const JsonChange &c : f.keys) {
        QJsonObject k{{QStringLiteral("path"), c.path}, {QStringLiteral("change"), changeKindName(c.kind)}};
        if (c.kind != JsonChange::Added)
            k.insert(QStringLiteral("a"), c.before);
        if (c.kind != JsonChange::Removed)
            k.insert(QStringLiteral("b"), c.after);
        if (c.kind == JsonChange::Changed && c.before.isString() && c.after.isString())
            k.insert(QStringLiteral("wordDiff"), textDiffToString(diffWords(c.before.toString(), c.after.toString())));
        keys.append(k);
    }
    o.insert(QStringLiteral("keys"), keys);
    return o;
}

const FieldDiff *fieldFor(const SpanPairDiff &d, SpanChange change)
{
    switch (change) {
    case SpanChange::Input: return &d.input;
    case SpanChange::Output: return &d.output;
    case SpanChange::Messages: return &d.messages;
    case SpanChange::Parameters: return &d.parameters;
    default: return nullptr;
    }
}

constexpr SpanChange kContentChanges[] = {SpanChange::Input, SpanChange::Output, SpanChange::Messages, SpanChange::Parameters};

QJsonArray changesToJson(const CompareRow &row, const Trace &a, const Trace &b)
{
    QJsonArray changes;
    if (!row.isPair())
        return changes;
    const Span &x = a.span(row.a);
    const Span &y = b.span(row.b);
    auto pair = [&](const QString &field, const QJsonValue &va, const QJsonValue &vb) {
        changes.append(QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("a"), va}, {QStringLiteral("b"), vb}});
    };
    if (row.changes.testFlag(SpanChange::Name))
        pair(QStringLiteral("name"), x.name, y.name);
    if (row.changes.testFlag(SpanChange::Model))
        pair(QStringLiteral("model"), textOrNull(x.model()), textOrNull(y.model()));
    if (row.changes.testFlag(SpanChange::Status))
        pair(QStringLiteral("status"), statusName(x.status), statusName(y.status));
    if (row.changes.testFlag(SpanChange::Duration)) {
        changes.append(QJsonObject{{QStringLiteral("field"), QStringLiteral("duration")},
                                   {QStringLiteral("a"), shownDuration(a, row.a)},
                                   {QStringLiteral("b"), shownDuration(b, row.b)},
                                   {QStringLiteral("delta"), row.deltaDurationNs}});
    }
    if (row.changes.testFlag(SpanChange::Tokens)) {
        changes.append(QJsonObject{
            {QStringLiteral("field"), QStringLiteral("tokens")},
            {QStringLiteral("a"), QJsonObject{{QStringLiteral("input"), tokensOrNull(x.tokens.input)}, {QStringLiteral("output"), tokensOrNull(x.tokens.output)}}},
            {QStringLiteral("b"), QJsonObject{{QStringLiteral("input"), tokensOrNull(y.tokens.input)}, {QStringLiteral("output"), tokensOrNull(y.tokens.output)}}},
            {QStringLiteral("deltaInput"), row.deltaInputTokens},
            {QStringLiteral("deltaOutput"), row.deltaOutputTokens}});
    }
    if (row.changes.testFlag(SpanChange::Cost)) {
        changes.append(QJsonObject{{QStringLiteral("field"), QStringLiteral("cost")},
                                   {QStringLiteral("a"), x.cost.isKnown() ? QJsonValue(x.cost.totalUsd) : QJsonValue(QJsonValue::Null)},
                                   {QStringLiteral("b"), y.cost.isKnown() ? QJsonValue(y.cost.totalUsd) : QJsonValue(QJsonValue::Null)},
                                   {QStringLiteral("delta"), row.deltaCostUsd}});
    }
    if (row.changes & (SpanChange::Input | SpanChange::Output | SpanChange::Messages | SpanChange::Parameters)) {
        const SpanPairDiff d = diffSpanDetails(&x, &y);
        for (SpanChange c : kContentChanges) {
            if (row.changes.testFlag(c))
                changes.append(fieldDiffToJson(*fieldFor(d, c)));
        }
    }
    if (row.changes.testFlag(SpanChange::Order))
        changes.append(QJsonObject{{QStringLiteral("field"), QStringLiteral("order")}});
    return changes;
}

QJsonObject traceToSummaryJson(const TraceSummary &t)
{
    return QJsonObject{
        {QStringLiteral("traceId"), t.traceId},
        {QStringLiteral("name"), t.name},
        {QStringLiteral("startTimeUnixNano"), QString::number(t.startNs)},
        {QStringLiteral("durationNs"), t.durationNs()},
        {QStringLiteral("spanCount"), t.spanCount},
        {QStringLiteral("errorCount"), t.errorCount},
        {QStringLiteral("inputTokens"), t.inputTokens},
        {QStringLiteral("outputTokens"), t.outputTokens},
        {QStringLiteral("costUsd"), t.pricedSpanCount > 0 ? QJsonValue(t.costUsd) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("models"), QJsonArray::fromStringList(t.models)},
    };
}

const Span &rowSpan(const CompareRow &row, const Trace &a, const Trace &b)
{
    return row.b >= 0 ? b.span(row.b) : a.span(row.a);
}

QJsonArray contributorsToJson(const QList<CompareContributor> &list, const TraceComparison &c, const Trace &a, const Trace &b)
{
    QJsonArray out;
    for (const CompareContributor &k : list) {
        const CompareRow &row = c.row(k.row);
        const Span &s = rowSpan(row, a, b);
        out.append(QJsonObject{{QStringLiteral("row"), k.row},
                               {QStringLiteral("status"), compareStatusName(row.status)},
                               {QStringLiteral("name"), s.name},
                               {QStringLiteral("kind"), spanKindName(s.kind)},
                               {QStringLiteral("deltaSelfNs"), k.deltaSelfNs},
                               {QStringLiteral("deltaCostUsd"), k.deltaCostUsd}});
    }
    return out;
}

QJsonObject comparisonToJson(const TraceComparison &c, const Trace &a, const Trace &b)
{
    const CompareSummary &s = c.summary();
    QJsonArray rows;
    for (const CompareRow &row : c.rows()) {
        rows.append(QJsonObject{
            {QStringLiteral("status"), compareStatusName(row.status)},
            {QStringLiteral("depth"), row.depth},
            {QStringLiteral("parentRow"), row.parentRow},
            {QStringLiteral("a"), row.a >= 0 ? QJsonValue(spanToJson(a, row.a, shownDuration(a, row.a))) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("b"), row.b >= 0 ? QJsonValue(spanToJson(b, row.b, shownDuration(b, row.b))) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("deltaDurationNs"), row.deltaDurationNs},
            {QStringLiteral("deltaSelfNs"), row.deltaSelfNs},
            {QStringLiteral("deltaInputTokens"), row.deltaInputTokens},
            {QStringLiteral("deltaOutputTokens"), row.deltaOutputTokens},
            {QStringLiteral("deltaCostUsd"), row.deltaCostUsd},
            {QStringLiteral("changed"), QJsonArray::fromStringList(spanChangeNames(row.changes))},
            {QStringLiteral("changes"), changesToJson(row, a, b)},
        });
    }
    const QJsonObject summary{
        {QStringLiteral("deltaDurationNs"), s.deltaDurationNs},
        {QStringLiteral("deltaInputTokens"), s.deltaInputTokens},
        {QStringLiteral("deltaOutputTokens"), s.deltaOutputTokens},
        {QStringLiteral("deltaCostUsd"), s.deltaCostUsd},
        {QStringLiteral("deltaErrors"), s.deltaErrors},
        {QStringLiteral("added"), s.added},
        {QStringLiteral("removed"), s.removed},
        {QStringLiteral("changed"), s.changed},
        {QStringLiteral("same"), s.same},
        {QStringLiteral("topLatency"), contributorsToJson(s.topLatency, c, a, b)},
        {QStringLiteral("topCost"), contributorsToJson(s.topCost, c, a, b)},
    };
    return QJsonObject{{QStringLiteral("a"), traceToSummaryJson(s.a)},
                       {QStringLiteral("b"), traceToSummaryJson(s.b)},
                       {QStringLiteral("summary"), summary},
                       {QStringLiteral("rows"), rows}};
}

void printText(const TraceComparison &c, const Trace &a, const Trace &b)
{
    const CompareSummary &s = c.summary();
    auto traceLine = [](const char *label, const TraceSummary &t) {
        out() << label << "  " << t.traceId << "  " << t.name << "  " << formatDuration(t.durationNs()) << "  "
              << t.spanCount << " spans  " << t.errorCount << " errors  tokens " << t.inputTokens << " in / "
              << t.outputTokens << " out  cost " << cost(t) << "\n";
    };
    traceLine("A", s.a);
    traceLine("B", s.b);
    QString pct;
    if (s.a.durationNs() > 0)
        pct = QStringLiteral(" (%1%2%)").arg(s.deltaDurationNs >= 0 ? QStringLiteral("+") : QString())
                  .arg(100.0 * double(s.deltaDurationNs) / double(s.a.durationNs()), 0, 'f', 1);
    out() << "\nlatency " << signedDuration(s.deltaDurationNs) << pct << "  tokens " << signedNumber(s.deltaInputTokens)
          << " in / " << signedNumber(s.deltaOutputTokens) << " out  cost " << signedCost(s.deltaCostUsd) << "  errors "
          << signedNumber(s.deltaErrors) << "\n";
    out() << "spans: " << s.added << " added, " << s.removed << " removed, " << s.changed << " changed, " << s.same
          << " same\n";
    auto contributors = [&](const char *label, const QList<CompareContributor> &list, bool latency) {
        if (list.isEmpty())
            return;
        QStringList parts;
        for (const CompareContributor &k : list) {
            const CompareRow &row = c.row(k.row);
            parts << rowSpan(row, a, b).name + QStringLiteral(" (") + compareStatusName(row.status) + QStringLiteral(") ")
                    + (latency ? signedDuration(k.deltaSelfNs) : signedCost(k.deltaCostUsd));
        }
        out() << label << parts.join(QStringLiteral(", ")) << "\n";
    };
    contributors("most latency: ", s.topLatency, true);
    contributors("most cost: ", s.topCost, false);
    out() << "\n";

    for (const CompareRow &row : c.rows()) {
        const Span &s0 = rowSpan(row, a, b);
        const char *mark = row.status == CompareStatus::Same ? "  " : row.status == CompareStatus::Changed ? "~ "
                         : row.status == CompareStatus::Added  ? "+ " : "- ";
        QStringList cols;
        QString name = row.a >= 0 ? a.span(row.a).name : s0.name;
        if (row.changes.testFlag(SpanChange::Name))
            name += QStringLiteral(" -> ") + b.span(row.b).name;
        cols << QString(row.depth * 2, QLatin1Char(' ')) + name;
        cols << QLatin1Char('[') + spanKindName(s0.kind) + QLatin1Char(']');
        if (row.isPair()) {
            const Span &x = a.span(row.a);
            const Span &y = b.span(row.b);
            if (row.changes.testFlag(SpanChange::Model))
                cols << x.model() + QStringLiteral(" -> ") + y.model();
            else if (!y.model().isEmpty())
                cols << y.model();
            cols << formatDuration(shownDuration(a, row.a)) + QStringLiteral(" -> ") + formatDuration(shownDuration(b, row.b))
                        + QStringLiteral(" (") + signedDuration(row.deltaDurationNs) + QLatin1Char(')');
            if (row.deltaInputTokens || row.deltaOutputTokens)
                cols << QStringLiteral("tokens %1 in / %2 out").arg(signedNumber(row.deltaInputTokens), signedNumber(row.deltaOutputTokens));
            if (row.changes.testFlag(SpanChange::Cost))
                cols << QStringLiteral("cost ") + signedCost(row.deltaCostUsd);
            if (row.changes.testFlag(SpanChange::Status))
                cols << statusName(x.status) + QStringLiteral(" -> ") + statusName(y.status);
            QStringList other;
            for (SpanChange ch : {SpanChange::Input, SpanChange::Output, SpanChange::Messages, SpanChange::Parameters, SpanChange::Order}) {
                if (row.changes.testFlag(ch))
                    other << spanChangeNames(ch);
            }
            if (!other.isEmpty())
                cols << QStringLiteral("changed: ") + other.join(QStringLiteral(", "));
        } else {
            if (!s0.model().isEmpty())
                cols << s0.model();
            cols << formatDuration(row.a >= 0 ? shownDuration(a, row.a) : shownDuration(b, row.b));
            if (!s0.tokens.isEmpty())
                cols << QStringLiteral("%1 in / %2 out tok").arg(std::max<qint64>(s0.tokens.input, 0)).arg(std::max<qint64>(s0.tokens.output, 0));
            if (s0.isError())
                cols << QStringLiteral("error");
        }
        out() << mark << cols.join(QStringLiteral("  ")) << "\n";

        // What changed in the content, one line per text or key change.
        if (row.isPair() && (row.changes & (SpanChange::Input | SpanChange::Output | SpanChange::Messages | SpanChange::Parameters))) {
            const SpanPairDiff d = diffSpanDetails(&a.span(row.a), &b.span(row.b));
            const QString indent(row.depth * 2 + 6, QLatin1Char(' '));
            for (SpanChange ch : kContentChanges) {
                if (!row.changes.testFlag(ch))
                    continue;
                const FieldDiff &f = *fieldFor(d, ch);
                if (f.mode == FieldDiff::Mode::Text) {
                    out() << indent << f.field << ": " << compactWordDiff(f.words) << "\n";
                    continue;
                }
                for (const JsonChange &k : f.keys) {
                    const QString path = k.path.isEmpty() ? f.field : k.path.startsWith(f.field) ? k.path : f.field + QLatin1Char('.') + k.path;
                    out() << indent << path << ": ";
                    if (k.kind == JsonChange::Added)
                        out() << "{+" << compactJson(k.after) << "+}";
                    else if (k.kind == JsonChange::Removed)
                        out() << "[-" << compactJson(k.before) << "-]";
                    else if (k.before.isString() && k.after.isString())
                        out() << compactWordDiff(diffWords(k.before.toString(), k.after.toString()));
                    else
                        out() << compactJson(k.before) << " -> " << compactJson(k.after);
                    out() << "\n";
                }
            }
        }
    }
}

} // namespace

int runDiff(const QStringList &args)
{
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable output (see README).")});
    p.addPositionalArgument(QStringLiteral("TRACE_A"), QStringLiteral("The baseline trace id (or a unique prefix)."));
    p.addPositionalArgument(QStringLiteral("TRACE_B"), QStringLiteral("The trace to compare with it."));
    QStringList argv = args;
    argv.prepend(QStringLiteral("spanscope"));
    if (!p.parse(argv))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        out().flush();
        return 0;
    }
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 3)
        return usageError(QStringLiteral("give exactly two trace ids"));

    TraceStore store;
    if (!store.open(workspacePath(p.value(QStringLiteral("db"))))) {
        err() << "spanscope: " << store.lastError() << "\n";
        err().flush();
        return 1;
    }
    QString ids[2];
    for (int i = 0; i < 2; ++i) {
        ids[i] = store.resolveTraceId(pos.at(i + 1));
        if (ids[i].isEmpty()) {
            err() << "spanscope: no trace " << pos.at(i + 1) << " in " << store.path() << "\n";
            err().flush();
            return 1;
        }
    }
    const Trace a = store.loadTrace(ids[0], true);
    const Trace b = store.loadTrace(ids[1], true);
    const TraceComparison c = TraceComparison::compare(a, b);
    if (p.isSet(QStringLiteral("json")))
        out() << QString::fromUtf8(QJsonDocument(comparisonToJson(c, a, b)).toJson(QJsonDocument::Indented));
    else
        printText(c, a, b);
    out().flush();
    return 0;
}

} // namespace spanscope::cli
