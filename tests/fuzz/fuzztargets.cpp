#include "fuzztargets.h"

#include "formats/importer.h"
#include "formats/portkeylog.h"
#include "ingest/importpipeline.h"
#include "live/portkeymapping.h"
#include "live/sseparser.h"
#include "pricing/pricetable.h"
#include "semconv/messageparser.h"
#include "semconv/semconv.h"
#include "store/detailcodec.h"
#include "trace/trace.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstring>
#include <memory>

namespace spanscope::fuzz {

namespace {

QString str(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

std::shared_ptr<const PriceTable> prices()
{
    static const std::shared_ptr<const PriceTable> table = PriceTable::builtin();
    return table;
}

// Values that compare unequal to themselves (NaN) make operator== useless for idempotence checks.
bool hasNaN(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
        return std::isnan(v.toDouble());
    case QMetaType::QVariantList:
        for (const QVariant &e : v.toList()) {
            if (hasNaN(e))
                return true;
        }
        return false;
    case QMetaType::QVariantMap:
        for (const QVariant &e : v.toMap()) {
            if (hasNaN(e))
                return true;
        }
        return false;
    default:
        return false;
    }
}

bool spanHasNaN(const Span &s)
{
    if (std::isnan(s.cost.totalUsd) || std::isnan(s.cost.inputUsd) || std::isnan(s.cost.outputUsd))
        return true;
    for (const QVariant &v : s.parameters) {
        if (hasNaN(v))
            return true;
    }
    for (const QVariant &v : s.metadata) {
        if (hasNaN(v))
            return true;
    }
    for (const RetrievalDocument &d : s.documents) {
        if (d.score && std::isnan(*d.score))
            return true;
        for (const QVariant &v : d.metadata) {
            if (hasNaN(v))
                return true;
        }
    }
    return false;
}

// What the app does with every parsed span (ingest's enrichSpans), then the checks that hold for
// any input: normalize() is idempotent, a second pricing changes nothing, and the spans of each
// trace build a tree that holds all of them.
QString enrichAndCheck(SpanList &spans)
{
    enrichSpans(spans, *prices());
    for (const Span &s : std::as_const(spans)) {
        if (spanHasNaN(s))
            continue;
        Span again = s;
        semconv::normalize(again);
        applyComputedCost(again, *prices());
        if (!(again == s))
            return QStringLiteral("normalize()/applyComputedCost() are not idempotent for span %1/%2").arg(s.traceId, s.spanId);
    }
    QHash<QString, SpanList> byTrace;
    for (const Span &s : std::as_const(spans))
        byTrace[s.traceId].push_back(s);
    for (auto it = byTrace.begin(); it != byTrace.end(); ++it) {
        QSet<QString> ids;
        for (const Span &s : std::as_const(it.value()))
            ids.insert(s.spanId);
        summarize(it.value());
        const Trace trace(std::move(it.value()));
        // A later copy of a span id replaces an earlier one, as in the store.
        if (trace.size() != ids.size())
            return QStringLiteral("trace %1: the tree holds %2 of %3 distinct spans").arg(it.key()).arg(trace.size()).arg(ids.size());
        int visited = 0;
        for (int i = 0; i < trace.size(); ++i) {
            if (trace.parentIndex(i) >= i)
                return QStringLiteral("trace %1: span %2 comes before its parent").arg(it.key()).arg(i);
            visited += int(trace.children(i).size());
        }
        if (visited + int(trace.roots().size()) != trace.size())
            return QStringLiteral("trace %1: children and roots do not cover the spans").arg(it.key());
        dumpTree(trace);
    }
    return {};
}

// An import ends in spans and/or issues that say what went wrong; never in silence.
QString checkImport(const ImportResult &result, const SpanList &spans, const QString &name)
{
    if (result.stats.spans != spans.size())
        return QStringLiteral("stats.spans = %1 but %2 spans were delivered").arg(result.stats.spans).arg(spans.size());
    if (result.stats.errors > 0 && result.issues.isEmpty())
        return QStringLiteral("%1 errors counted but no issue reported").arg(result.stats.errors);
    for (const ImportIssue &issue : result.issues) {
        if (issue.reason.trimmed().isEmpty())
            return QStringLiteral("an issue without a reason");
        if (issue.file != name)
            return QStringLiteral("an issue names \"%1\" instead of the input").arg(issue.file);
    }
    for (const Span &s : spans) {
        if (s.traceId.isEmpty() || s.spanId.isEmpty())
            return QStringLiteral("a span without a trace or span id was delivered (\"%1\"/\"%2\", name \"%3\")")
                .arg(s.traceId, s.spanId, s.name.left(80));
    }
    return {};
}

QString runImport(QByteArrayView input, const QString &format)
{
    const QString name = QStringLiteral("fuzz-input");
    ImportOptions options;
    options.forcedFormat = format;
    options.batchSize = 64;
    // A gzip bomb stops here instead of exhausting memory (the receiver's cap is the same idea).
    options.maxInputBytes = 64LL << 20;
    SpanList spans;
    const ImportResult result = importBytes(QByteArray::fromRawData(input.data(), input.size()), name,
                                            [&spans](SpanList &&batch) { spans.append(std::move(batch)); }, options);
    QString problem = checkImport(result, spans, name);
    if (problem.isEmpty())
        problem = enrichAndCheck(spans);
    return problem;
}

template<const char *Format>
QString importTarget(QByteArrayView input)
{
    return runImport(input, QString::fromLatin1(Format));
}

// "otlp-json-replay": OTLP/JSON (a document or JSON lines) imported through simdjson's replay
// (formats/jsonreplay.h) and through nlohmann's parser alone must give the same spans, counts and
// messages, offsets included.
QString otlpJsonReplayTarget(QByteArrayView input)
{
    const QByteArray data = QByteArray::fromRawData(input.data(), input.size());
    auto run = [&](bool replay, SpanList &spans) {
        ImportOptions options;
        options.replayJson = replay;
        options.maxInputBytes = 64LL << 20;
        return importBytes(data, QStringLiteral("fuzz-input"), [&spans](SpanList &&batch) { spans.append(std::move(batch)); },
                           options);
    };
    SpanList replayed, parsed;
    const ImportResult a = run(true, replayed);
    const ImportResult b = run(false, parsed);
    if (a.format != b.format)
        return QStringLiteral("format %1 with the replay, %2 without").arg(a.format, b.format);
    if (a.stats.spans != b.stats.spans || a.stats.skippedSpans != b.stats.skippedSpans || a.stats.errors != b.stats.errors
        || a.stats.warnings != b.stats.warnings)
        return QStringLiteral("counts differ: %1/%2/%3/%4 spans/skipped/errors/warnings with the replay, %5/%6/%7/%8 without")
            .arg(a.stats.spans).arg(a.stats.skippedSpans).arg(a.stats.errors).arg(a.stats.warnings)
            .arg(b.stats.spans).arg(b.stats.skippedSpans).arg(b.stats.errors).arg(b.stats.warnings);
    if (a.issues.size() != b.issues.size())
        return QStringLiteral("%1 messages with the replay, %2 without").arg(a.issues.size()).arg(b.issues.size());
    for (qsizetype i = 0; i < a.issues.size(); ++i) {
        const ImportIssue &x = a.issues[i];
        const ImportIssue &y = b.issues[i];
        if (x.severity != y.severity || x.offset != y.offset || x.line != y.line || x.reason != y.reason)
            return QStringLiteral("message %1 differs: \"%2\" with the replay, \"%3\" without").arg(i).arg(x.toString(), y.toString());
    }
    if (replayed.size() != parsed.size())
        return QStringLiteral("%1 spans with the replay, %2 without").arg(replayed.size()).arg(parsed.size());
    // (NaN values compare unequal to themselves: spans holding one are left out.)
    auto holdsNaN = [](const Span &s) {
        if (spanHasNaN(s))
            return true;
        for (const Attributes *list : {&s.attributes, &s.resourceAttributes, &s.scopeAttributes}) {
            for (const Attribute &a : *list) {
                if (hasNaN(a.value))
                    return true;
            }
        }
        for (const SpanEvent &e : s.events) {
            for (const Attribute &a : e.attributes) {
                if (hasNaN(a.value))
                    return true;
            }
        }
        return false;
    };
    for (qsizetype i = 0; i < replayed.size(); ++i) {
        if (!holdsNaN(parsed[i]) && !(replayed[i] == parsed[i]))
            return QStringLiteral("span %1 (\"%2\") differs").arg(i).arg(parsed[i].name);
    }
    return {};
}

// "semconv": one span described by text lines, normalized and priced.
QString semconvTarget(QByteArrayView input)
{
    SpanList spans{spanFromText(input)};
    return enrichAndCheck(spans);
}

// "otlp-request": the receiver's body path. Three header lines (Content-Type, Content-Encoding,
// path) then the body, decided the way OtlpReceiver::handleRequest decides, decoded the way
// decodeAndSubmit decodes (small cap, so "too large" is reached too).
QString otlpRequestTarget(QByteArrayView input)
{
    QList<QByteArrayView> head;
    qsizetype at = 0;
    while (head.size() < 3) {
        const qsizetype nl = input.indexOf('\n', at);
        if (nl < 0)
            return {};
        head.push_back(input.sliced(at, nl - at));
        at = nl + 1;
    }
    const QByteArray body = QByteArray::fromRawData(input.data() + at, input.size() - at);
    const QByteArray contentType = head[0].toByteArray().split(';').first().trimmed().toLower();
    const QByteArray encoding = head[1].toByteArray().trimmed().toLower();
    const bool hook = head[2].trimmed() == "/v1/portkey/log";
    const bool json = contentType == "application/json";
    const bool proto = contentType == "application/x-protobuf" || contentType == "application/protobuf";
    if ((!json && !proto) || (hook && !json))
        return {};   // 415
    if (!encoding.isEmpty() && encoding != "identity" && encoding != "gzip")
        return {};   // 415
    SpanList spans;
    if (hook) {
        QString error;
        spans = portkeyHookPostToSpans(body, 1795600000000000000LL, &error);
        if (spans.isEmpty() && error.isEmpty())
            return QStringLiteral("a refused hook post without a reason");
        return enrichAndCheck(spans);
    }
    ImportOptions options;
    options.maxInputBytes = 1 << 20;
    options.batchSize = 1 << 20;
    const QString name = QStringLiteral("POST /v1/traces from fuzz");
    const ImportResult result = importOtlpRequest(body, json ? OtlpEncoding::Json : OtlpEncoding::Protobuf, name,
                                                  [&spans](SpanList &&batch) { spans.append(std::move(batch)); }, options);
    QString problem = checkImport(result, spans, name);
    if (!problem.isEmpty())
        return problem;
    if (result.tooLarge)
        return {};   // 413
    const bool onlyDroppedSpans = result.stats.skippedSpans > 0 && result.stats.errors <= result.stats.skippedSpans;
    if (result.stats.errors > 0 && !onlyDroppedSpans)
        return {};   // 400
    return enrichAndCheck(spans);
}

bool sameEvents(const QList<SseEvent> &a, const QList<SseEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id || a[i].hasId != b[i].hasId)
            return false;
    }
    return true;
}

// "sse": the gateway subscriber's stream parser. Fed whole and fed in pieces (sizes derived from
// the input, so runs are reproducible) it must give the same events; `log` events then go through
// the Portkey mapping the subscriber uses.
QString sseTarget(QByteArrayView input)
{
    const QByteArray bytes = input.toByteArray();
    for (const qsizetype maxLine : {qsizetype(16) << 20, qsizetype(48)}) {
        SseParser whole(maxLine);
        const QList<SseEvent> expected = whole.feed(bytes);
        SseParser pieces(maxLine);
        QList<SseEvent> got;
        quint32 seed = bytes.isEmpty() ? 1u : quint8(bytes.back()) + 1u;
        for (qsizetype at = 0; at < bytes.size();) {
            seed = seed * 1103515245u + 12345u;
            const qsizetype n = std::min<qsizetype>(bytes.size() - at, 1 + (seed >> 16) % 9);
            got += pieces.feed(bytes.mid(at, n));
            at += n;
        }
        if (!sameEvents(expected, got))
            return QStringLiteral("SSE events differ when the stream arrives in pieces (max line %1)").arg(maxLine);
        if (whole.retryMs() != pieces.retryMs() || whole.droppedLines() != pieces.droppedLines())
            return QStringLiteral("SSE retry/dropped lines differ when the stream arrives in pieces");
        if (maxLine > 48) {
            for (const SseEvent &e : expected) {
                if (e.event != "log")
                    continue;
                SpanList spans;
                QString error;
                if (!portkeyLogToSpans(QByteArrayView(e.data), spans, &error)) {
                    if (error.isEmpty())
                        return QStringLiteral("a refused log event without a reason");
                    continue;
                }
                if (QString problem = enrichAndCheck(spans); !problem.isEmpty())
                    return problem;
            }
        }
        // After a reset the parser starts clean.
        whole.reset();
        if (!whole.feed(QByteArrayLiteral("data: x\n\n")).size())
            return QStringLiteral("the parser does not recover after reset()");
    }
    return {};
}

// "detailcodec": a workspace's detail blob, as a damaged or hostile file would hold it. The first
// byte picks plain, zlib- or Zstandard-compressed CBOR.
QString detailCodecTarget(QByteArrayView input)
{
    if (input.isEmpty())
        return {};
    Span span;
    span.input.value = QStringLiteral("the input");
    span.output.value = QStringLiteral("the output");
    static constexpr DetailCodec::Format formats[] = {DetailCodec::Cbor, DetailCodec::CompressedCbor, DetailCodec::ZstdCbor};
    const int format = formats[quint8(input.front()) % 3];
    if (!DetailCodec::decode(input.sliced(1).toByteArray(), format, span))
        return {};
    DetailCodec::Format f;
    const QByteArray again = DetailCodec::encode(span, &f);
    Span back;
    back.input = span.input;
    back.output = span.output;
    if (!DetailCodec::decode(again, f, back))
        return QStringLiteral("a decoded detail document does not decode after encoding it again");
    return {};
}

// "messages-json": chat-message JSON text read through LightJson (the fast path) and through
// nlohmann's DOM must give the same verdict and the same messages. A first byte 0 makes the rest
// raw UTF-16 code units (so unpaired surrogates are reached); otherwise the input is UTF-8.
QString messagesJsonTarget(QByteArrayView input)
{
    using namespace semconv::detail;
    QString text;
    if (!input.isEmpty() && input.front() == 0) {
        const QByteArrayView units = input.sliced(1);
        text.resize(units.size() / 2);
        std::memcpy(text.data(), units.data(), size_t(text.size()) * 2);
    } else {
        text = QString::fromUtf8(input);
    }
    const QString role = QStringLiteral("user");
    Messages fast;
    const std::optional<bool> fastFound = appendMessagesFromText(text, role, fast);
    const std::optional<Json> dom = parseJson(text);
    if (fastFound.has_value() != dom.has_value())
        return QStringLiteral("LightJson and nlohmann disagree on whether the text is JSON (fast path: %1)")
            .arg(fastFound ? QStringLiteral("valid") : QStringLiteral("invalid"));
    if (!dom)
        return {};
    Messages reference;
    const bool found = appendMessages(*dom, role, reference);
    if (found != *fastFound || fast != reference)
        return QStringLiteral("the fast path read %1 messages, nlohmann's DOM %2 (or they differ)").arg(fast.size()).arg(reference.size());
    return {};
}

constexpr char kOtlpJson[] = "otlp-json";
constexpr char kOtlpJsonl[] = "otlp-jsonl";
constexpr char kOtlpProto[] = "otlp-proto";
constexpr char kJaeger[] = "jaeger";
constexpr char kZipkin[] = "zipkin";
constexpr char kLangfuse[] = "langfuse";
constexpr char kLangsmith[] = "langsmith";
constexpr char kPortkeyLogs[] = "portkey-logs";
constexpr char kPortkeySse[] = "portkey-sse";
constexpr char kPortkeyHooks[] = "portkey-hooks";
constexpr char kAuto[] = "";

QString unescape(QByteArrayView field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        const char c = field[i];
        if (c == '\\' && i + 1 < field.size()) {
            const char n = field[++i];
            out += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == '0' ? '\0' : n;
        } else {
            out += c;
        }
    }
    return QString::fromUtf8(out);
}

QByteArray escape(const QString &text)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\0': out += "\\0"; break;
        case '\\': out += "\\\\"; break;
        default: out += c;
        }
    }
    return out;
}

QVariant typedValue(QByteArrayView type, const QString &value)
{
    const char t = type.isEmpty() ? 's' : type.front();
    switch (t) {
    case 'i':
        return value.toLongLong();
    case 'd':
        return value.toDouble();
    case 'b':
        return value == QLatin1String("true") || value == QLatin1String("1");
    case 'y':
        return value.toUtf8();
    case 'j': {
        const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8());
        if (doc.isArray())
            return doc.array().toVariantList();
        if (doc.isObject())
            return doc.object().toVariantMap();
        return value;
    }
    default:
        return value;
    }
}

QByteArray typedText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::ULongLong:
        return "i\t" + QByteArray::number(value.toLongLong());
    case QMetaType::Double:
        return "d\t" + QByteArray::number(value.toDouble(), 'g', 17);
    case QMetaType::Bool:
        return value.toBool() ? "b\ttrue" : "b\tfalse";
    case QMetaType::QByteArray:
        return "y\t" + escape(QString::fromUtf8(value.toByteArray()));
    case QMetaType::QVariantList:
    case QMetaType::QVariantMap:
        return "j\t" + escape(QString::fromUtf8(QJsonDocument::fromVariant(value).toJson(QJsonDocument::Compact)));
    default:
        return "s\t" + escape(value.toString());
    }
}

} // namespace

// The semconv target's span text: one record per line, fields separated by tabs, "\n", "\t",
// "\r", "\0" and "\\" escaped in fields.
//   n NAME | k KIND | o OTEL_KIND | s STATUS MESSAGE | m REQUEST_MODEL | i INPUT | O OUTPUT
//   t INPUT_TOKENS OUTPUT_TOKENS | $ REPORTED_COST_USD
//   a KEY TYPE VALUE (span attribute) | r … (resource) | c … (scope) | e NAME TIME_NS (new event)
//   E KEY TYPE VALUE (attribute of the last event)
// TYPE is s(tring), i(nt), d(ouble), b(ool), y (bytes) or j (JSON array/object -> list/map).
Span spanFromText(QByteArrayView text)
{
    Span s;
    s.traceId = QStringLiteral("0123456789abcdef0123456789abcdef");
    s.spanId = QStringLiteral("0123456789abcdef");
    s.startNs = 1795600000000000000LL;
    s.endNs = s.startNs + 1000000;
    for (QByteArrayView line : text.toByteArray().split('\n')) {
        if (line.isEmpty())
            continue;
        const QList<QByteArray> f = line.toByteArray().split('\t');
        const auto field = [&f](int i) { return i < f.size() ? unescape(f[i]) : QString(); };
        const char tag = f[0].isEmpty() ? '?' : f[0].front();
        const auto attribute = [&] { return Attribute{field(1), typedValue(f.size() > 2 ? QByteArrayView(f[2]) : QByteArrayView(), field(3))}; };
        switch (tag) {
        case 'n': s.name = field(1); break;
        case 'k': s.kind = spanKindFromName(field(1)); break;
        case 'o': s.otelKind = field(1).toInt(); break;
        case 's': s.status = statusFromName(field(1)); s.statusMessage = field(2); break;
        case 'm': s.requestModel = field(1); break;
        case 'i': s.input = {field(1), QString()}; break;
        case 'O': s.output = {field(1), QString()}; break;
        case 't': s.tokens.input = field(1).toLongLong(); s.tokens.output = field(2).toLongLong(); break;
        case '$': s.cost = {field(1).toDouble(), 0, 0, CostSource::Reported}; break;
        case 'a': s.attributes.push_back(attribute()); break;
        case 'r': s.resourceAttributes.push_back(attribute()); break;
        case 'c': s.scopeAttributes.push_back(attribute()); break;
        case 'e': s.events.push_back(SpanEvent{field(2).toLongLong(), field(1), {}}); break;
        case 'E':
            if (s.events.isEmpty())
                s.attributes.push_back(attribute());
            else
                s.events.last().attributes.push_back(attribute());
            break;
        default:
            // Anything else is an attribute key with an empty value: mutations stay meaningful.
            s.attributes.push_back(Attribute{unescape(line), QString()});
        }
    }
    return s;
}

QByteArray spanToText(const Span &s)
{
    QByteArray out;
    const auto line = [&out](char tag, const QByteArray &rest) {
        out += tag;
        out += '\t';
        out += rest;
        out += '\n';
    };
    line('n', escape(s.name));
    if (s.kind != SpanKind::Span)
        line('k', spanKindName(s.kind).toUtf8());
    if (s.otelKind)
        line('o', QByteArray::number(s.otelKind));
    if (s.status != StatusCode::Unset)
        line('s', statusName(s.status).toUtf8() + '\t' + escape(s.statusMessage));
    for (const Attribute &a : s.resourceAttributes)
        line('r', escape(a.key) + '\t' + typedText(a.value));
    for (const Attribute &a : s.scopeAttributes)
        line('c', escape(a.key) + '\t' + typedText(a.value));
    for (const Attribute &a : s.attributes)
        line('a', escape(a.key) + '\t' + typedText(a.value));
    for (const SpanEvent &e : s.events) {
        line('e', escape(e.name) + '\t' + QByteArray::number(e.timeNs));
        for (const Attribute &a : e.attributes)
            line('E', escape(a.key) + '\t' + typedText(a.value));
    }
    return out;
}

const QList<Target> &targets()
{
    static const QList<Target> all{
        {str("import-auto"), str("any input through format detection"), &importTarget<kAuto>},
        {str("import-otlp-json"), str("--format otlp-json"), &importTarget<kOtlpJson>},
        {str("import-otlp-jsonl"), str("--format otlp-jsonl"), &importTarget<kOtlpJsonl>},
        {str("import-otlp-proto"), str("--format otlp-proto"), &importTarget<kOtlpProto>},
        {str("import-jaeger"), str("--format jaeger"), &importTarget<kJaeger>},
        {str("import-zipkin"), str("--format zipkin"), &importTarget<kZipkin>},
        {str("import-langfuse"), str("--format langfuse"), &importTarget<kLangfuse>},
        {str("import-langsmith"), str("--format langsmith"), &importTarget<kLangsmith>},
        {str("import-portkey-logs"), str("--format portkey-logs"), &importTarget<kPortkeyLogs>},
        {str("import-portkey-sse"), str("--format portkey-sse"), &importTarget<kPortkeySse>},
        {str("import-portkey-hooks"), str("--format portkey-hooks"), &importTarget<kPortkeyHooks>},
        {str("semconv"), str("semconv::normalize + applyComputedCost on a span built from text"), &semconvTarget},
        {str("messages-json"), str("chat-message JSON through LightJson vs nlohmann's DOM"), &messagesJsonTarget},
        {str("otlp-json-replay"), str("OTLP/JSON through simdjson's replay vs nlohmann's parser"), &otlpJsonReplayTarget},
        {str("otlp-request"), str("the receiver's body decoding (content type, encoding, body)"), &otlpRequestTarget},
        {str("sse"), str("SseParser in pieces vs whole, then the Portkey log mapping"), &sseTarget},
        {str("detailcodec"), str("DetailCodec::decode of a workspace detail blob"), &detailCodecTarget},
    };
    return all;
}

const Target *findTarget(QStringView name)
{
    for (const Target &t : targets()) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

namespace {
void quietHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        fprintf(stderr, "qFatal: %s\n", qPrintable(message));
        abort();
    }
}
} // namespace

void initialize(int *argc, char ***argv, bool quiet)
{
    static int fallbackArgc = 1;
    static char name[] = "spanscope-fuzz";
    static char *fallbackArgv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc ? *argc : fallbackArgc, argv ? *argv : fallbackArgv);
    if (quiet)
        qInstallMessageHandler(quietHandler);
    prices();
}

} // namespace spanscope::fuzz
