#include "tracewriter.h"

#include "formats/jsontext.h"
#include "semconv/semconv.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QLocale>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace spanscope {

// ---- names ---------------------------------------------------------------------------------

QString exportFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::OtlpJson: return QStringLiteral("otlp-json");
    case ExportFormat::OtlpJsonLines: return QStringLiteral("otlp-jsonl");
    case ExportFormat::Csv: return QStringLiteral("csv");
    }
    return {};
}

std::optional<ExportFormat> exportFormatFromName(QStringView name)
{
    for (ExportFormat f : {ExportFormat::OtlpJson, ExportFormat::OtlpJsonLines, ExportFormat::Csv}) {
        if (name.compare(exportFormatName(f), Qt::CaseInsensitive) == 0)
            return f;
    }
    return std::nullopt;
}

QStringList exportFormatNames()
{
    return {exportFormatName(ExportFormat::OtlpJson), exportFormatName(ExportFormat::OtlpJsonLines), exportFormatName(ExportFormat::Csv)};
}

std::optional<ExportFormat> exportFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"csv")
        return ExportFormat::Csv;
    if (suffix == u"jsonl" || suffix == u"ndjson")
        return ExportFormat::OtlpJsonLines;
    if (suffix == u"json")
        return ExportFormat::OtlpJson;
    return std::nullopt;
}

QStringList csvColumns()
{
    return {QStringLiteral("trace_id"),      QStringLiteral("span_id"),        QStringLiteral("parent_span_id"),
            QStringLiteral("name"),          QStringLiteral("kind"),           QStringLiteral("service"),
            QStringLiteral("start"),         QStringLiteral("duration_ms"),    QStringLiteral("status"),
            QStringLiteral("status_message"), QStringLiteral("model"),         QStringLiteral("provider"),
            QStringLiteral("input_tokens"),  QStringLiteral("output_tokens"),  QStringLiteral("total_tokens"),
            QStringLiteral("cost_usd"),      QStringLiteral("cost_source"),    QStringLiteral("session_id"),
            QStringLiteral("user_id"),       QStringLiteral("input"),          QStringLiteral("output")};
}

// ---- JSON text -----------------------------------------------------------------------------

namespace {

void appendJsonString(std::string &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    jsontext::appendString(out, std::string_view(utf8.constData(), size_t(utf8.size())));
}

void appendInt(std::string &out, qint64 v)
{
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Shortest text that reads back as the same double; JSON has no NaN/Infinity, OTLP/JSON spells
// them as strings.
void appendDouble(std::string &out, double d)
{
    if (std::isnan(d)) {
        out += "\"NaN\"";
        return;
    }
    if (std::isinf(d)) {
        out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        return;
    }
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
}

constexpr int kMaxValueDepth = 60;

void appendAnyValue(std::string &out, const QVariant &v, int depth);

void appendKeyValues(std::string &out, const QList<std::pair<QString, const QVariant *>> &items, int depth)
{
    out += '[';
    bool first = true;
    for (const auto &[key, value] : items) {
        if (!first)
            out += ',';
        first = false;
        out += "{\"key\":";
        appendJsonString(out, key);
        out += ",\"value\":";
        appendAnyValue(out, *value, depth + 1);
        out += '}';
    }
    out += ']';
}

void appendAnyValue(std::string &out, const QVariant &v, int depth)
{
    if (depth > kMaxValueDepth) {
        out += "{\"stringValue\":";
        appendJsonString(out, attributeValueToString(v));
        out += '}';
        return;
    }
    switch (v.typeId()) {
    case QMetaType::QString:
        out += "{\"stringValue\":";
        appendJsonString(out, v.toString());
        out += '}';
        return;
    case QMetaType::Bool:
        out += v.toBool() ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
        return;
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::UInt:
    case QMetaType::UShort:
        out += "{\"intValue\":\"";
        appendInt(out, v.toLongLong());
        out += "\"}";
        return;
    case QMetaType::ULongLong:
    case QMetaType::ULong:
        if (v.toULongLong() <= quint64(std::numeric_limits<qint64>::max())) {
            out += "{\"intValue\":\"";
            appendInt(out, qint64(v.toULongLong()));
            out += "\"}";
        } else {
            out += "{\"stringValue\":\"" + std::to_string(v.toULongLong()) + "\"}";
        }
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        out += "{\"doubleValue\":";
        appendDouble(out, v.toDouble());
        out += '}';
        return;
    case QMetaType::QByteArray:
        out += "{\"bytesValue\":\"";
        out += v.toByteArray().toBase64().toStdString();
        out += "\"}";
        return;
    case QMetaType::QVariantList:
    case QMetaType::QStringList: {
        const QVariantList list = v.toList();
        out += "{\"arrayValue\":{\"values\":[";
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i)
                out += ',';
            appendAnyValue(out, list[i], depth + 1);
        }
        out += "]}}";
        return;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap map = v.toMap();
        QList<std::pair<QString, const QVariant *>> items;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            items.push_back({it.key(), &it.value()});
        out += "{\"kvlistValue\":{\"values\":";
        appendKeyValues(out, items, depth);
        out += "}}";
        return;
    }
    default:
        if (!v.isValid()) {
            out += "{}";
            return;
        }
        out += "{\"stringValue\":";
        appendJsonString(out, v.toString());
        out += '}';
        return;
    }
}

void appendAttributes(std::string &out, const Attributes &attributes)
{
    QList<std::pair<QString, const QVariant *>> items;
    items.reserve(attributes.size());
    for (const Attribute &a : attributes)
        items.push_back({a.key, &a.value});
    appendKeyValues(out, items, 0);
}

void appendSpan(std::string &out, const Span &s)
{
    out += "{\"traceId\":";
    appendJsonString(out, s.traceId);
    out += ",\"spanId\":";
    appendJsonString(out, s.spanId);
    if (!s.parentSpanId.isEmpty()) {
        out += ",\"parentSpanId\":";
        appendJsonString(out, s.parentSpanId);
    }
    out += ",\"name\":";
    appendJsonString(out, s.name);
    out += ",\"kind\":";
    appendInt(out, s.otelKind);
    out += ",\"startTimeUnixNano\":\"";
    appendInt(out, s.startNs);
    out += "\",\"endTimeUnixNano\":\"";
    appendInt(out, s.endNs);
    out += "\",\"attributes\":";
    appendAttributes(out, exportAttributes(s));
    if (!s.events.isEmpty()) {
        out += ",\"events\":[";
        for (qsizetype i = 0; i < s.events.size(); ++i) {
            const SpanEvent &e = s.events[i];
            if (i)
                out += ',';
            out += "{\"timeUnixNano\":\"";
            appendInt(out, e.timeNs);
            out += "\",\"name\":";
            appendJsonString(out, e.name);
            out += ",\"attributes\":";
            appendAttributes(out, e.attributes);
            out += '}';
        }
        out += ']';
    }
    if (!s.links.isEmpty()) {
        out += ",\"links\":[";
        for (qsizetype i = 0; i < s.links.size(); ++i) {
            const SpanLink &l = s.links[i];
            if (i)
                out += ',';
            out += "{\"traceId\":";
            appendJsonString(out, l.traceId);
            out += ",\"spanId\":";
            appendJsonString(out, l.spanId);
            out += ",\"attributes\":";
            appendAttributes(out, l.attributes);
            out += '}';
        }
        out += ']';
    }
    out += ",\"status\":{\"code\":";
    appendInt(out, int(s.status));
    if (!s.statusMessage.isEmpty()) {
        out += ",\"message\":";
        appendJsonString(out, s.statusMessage);
    }
    out += "}}";
}

// The resource of a span as OTLP carries it: service.name is how the service travels.
Attributes resourceOf(const Span &s)
{
    Attributes r = s.resourceAttributes;
    if (!s.serviceName.isEmpty() && !attributeValue(r, u"service.name").isValid())
        r.push_front(Attribute{QStringLiteral("service.name"), s.serviceName});
    return r;
}

// One trace as resourceSpans entries ("{…},{…}"): spans grouped by resource, then by scope.
std::string resourceSpans(const SpanList &spans)
{
    struct ScopeGroup {
        std::string key;
        std::string scope;
        std::vector<const Span *> spans;
    };
    struct ResourceGroup {
        std::string key;
        std::vector<ScopeGroup> scopes;
    };
    std::vector<ResourceGroup> groups;
    for (const Span &s : spans) {
        std::string rkey;
        appendAttributes(rkey, resourceOf(s));
        std::string scope = "{";
        bool any = false;
        if (!s.scopeName.isEmpty()) {
            scope += "\"name\":";
            appendJsonString(scope, s.scopeName);
            any = true;
        }
        if (!s.scopeVersion.isEmpty()) {
            scope += any ? ",\"version\":" : "\"version\":";
            appendJsonString(scope, s.scopeVersion);
            any = true;
        }
        if (!s.scopeAttributes.isEmpty()) {
            scope += any ? ",\"attributes\":" : "\"attributes\":";
            appendAttributes(scope, s.scopeAttributes);
        }
        scope += '}';
        auto rg = std::find_if(groups.begin(), groups.end(), [&](const ResourceGroup &g) { return g.key == rkey; });
        if (rg == groups.end()) {
            groups.push_back(ResourceGroup{std::move(rkey), {}});
            rg = groups.end() - 1;
        }
        auto sg = std::find_if(rg->scopes.begin(), rg->scopes.end(), [&](const ScopeGroup &g) { return g.key == scope; });
        if (sg == rg->scopes.end()) {
            rg->scopes.push_back(ScopeGroup{scope, scope, {}});
            sg = rg->scopes.end() - 1;
        }
        sg->spans.push_back(&s);
    }
    std::string out;
    for (size_t g = 0; g < groups.size(); ++g) {
        if (g)
            out += ',';
        out += "{\"resource\":{\"attributes\":";
        out += groups[g].key;
        out += "},\"scopeSpans\":[";
        for (size_t k = 0; k < groups[g].scopes.size(); ++k) {
            const ScopeGroup &sg = groups[g].scopes[k];
            if (k)
                out += ',';
            out += "{\"scope\":";
            out += sg.scope;
            out += ",\"spans\":[";
            for (size_t i = 0; i < sg.spans.size(); ++i) {
                if (i)
                    out += ',';
                appendSpan(out, *sg.spans[i]);
            }
            out += "]}";
        }
        out += "]}";
    }
    return out;
}

class OtlpJsonWriter : public TraceWriter
{
public:
    OtlpJsonWriter(QIODevice *device, bool lines) : TraceWriter(device), m_lines(lines) {}

    bool writeTrace(const SpanList &spans) override
    {
        if (spans.isEmpty())
            return true;
        const std::string body = resourceSpans(spans);
        std::string out;
        if (m_lines) {
            out = "{\"resourceSpans\":[" + body + "]}\n";
        } else {
            out = m_first ? "{\"resourceSpans\":[\n" : ",\n";
            out += body;
        }
        m_first = false;
        return write(QByteArray::fromStdString(out));
    }

    bool finish() override
    {
        if (m_lines)
            return true;
        return write(m_first ? QByteArray("{\"resourceSpans\":[]}\n") : QByteArray("\n]}\n"));
    }

private:
    bool m_lines;
    bool m_first = true;
};

// A cell that a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading
// apostrophe, unless it is a plain number: span names, inputs and outputs come from whoever sent
// the trace (OWASP's advice for CSV injection).
QString defuseFormula(const QString &s)
{
    if (s.isEmpty())
        return s;
    const QChar c = s.front();
    if (c != u'=' && c != u'+' && c != u'-' && c != u'@' && c != u'\t' && c != u'\r')
        return s;
    bool number = false;
    s.toDouble(&number);
    return number ? s : QLatin1Char('\'') + s;
}

QString csvField(const QString &raw)
{
    const QString s = defuseFormula(raw);
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    QString quoted = s;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString isoTime(qint64 ns)
{
    if (ns <= 0)
        return {};
    const qint64 seconds = ns / 1000000000;
    const qint64 fraction = ns % 1000000000;
    QString out = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (fraction) {
        QString f = QStringLiteral("%1").arg(fraction, 9, 10, QLatin1Char('0'));
        while (f.endsWith(QLatin1Char('0')))
            f.chop(1);
        while (f.size() % 3)
            f += QLatin1Char('0');
        out += QLatin1Char('.') + f;
    }
    return out + QLatin1Char('Z');
}

QString messagesText(const Messages &messages)
{
    QStringList lines;
    for (const Message &m : messages) {
        QString line = m.role + QStringLiteral(": ") + m.content;
        for (const ToolCall &c : m.toolCalls)
            line += QStringLiteral(" [tool call %1(%2)]").arg(c.name, c.arguments);
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

QString count(qint64 n)
{
    return n >= 0 ? QString::number(n) : QString();
}

class CsvWriter : public TraceWriter
{
public:
    explicit CsvWriter(QIODevice *device) : TraceWriter(device) {}

    bool writeTrace(const SpanList &spans) override
    {
        if (!header())
            return false;
        QString out;
        for (const Span &s : spans) {
            QStringList row;
            row << s.traceId << s.spanId << s.parentSpanId << s.name << spanKindName(s.kind) << s.serviceName << isoTime(s.startNs)
                << (s.hasEnded() ? QString::number(double(s.durationNs()) / 1e6, 'f', 3) : QString()) << statusName(s.status)
                << s.statusMessage << s.model() << s.provider << count(s.tokens.input) << count(s.tokens.output)
                << count(s.tokens.effectiveTotal())
                << (s.cost.isKnown() ? QString::number(s.cost.totalUsd, 'g', QLocale::FloatingPointShortest) : QString())
                << costSourceName(s.cost.source) << s.sessionId << s.userId
                << (s.input.isEmpty() ? messagesText(s.inputMessages) : s.input.value)
                << (s.output.isEmpty() ? messagesText(s.outputMessages) : s.output.value);
            for (QString &f : row)
                f = csvField(f);
            out += row.join(QLatin1Char(',')) + QStringLiteral("\r\n");
        }
        return write(out.toUtf8());
    }

    bool finish() override { return header(); }

private:
    bool header()
    {
        if (m_headerDone)
            return true;
        m_headerDone = true;
        return write((csvColumns().join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8());
    }
    bool m_headerDone = false;
};

// ---- reproducible attributes ---------------------------------------------------------------

void appendMessagesJson(std::string &out, const Messages &messages)
{
    out += '[';
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const Message &m = messages[i];
        if (i)
            out += ',';
        out += "{\"role\":";
        appendJsonString(out, m.role);
        out += ",\"parts\":[";
        bool first = true;
        auto sep = [&] {
            if (!first)
                out += ',';
            first = false;
        };
        if (m.role == u"tool" && !m.toolCallId.isEmpty()) {
            sep();
            out += "{\"type\":\"tool_call_response\",\"id\":";
            appendJsonString(out, m.toolCallId);
            out += ",\"response\":";
            appendJsonString(out, m.content);
            out += '}';
        } else if (!m.content.isEmpty()) {
            sep();
            out += "{\"type\":\"text\",\"content\":";
            appendJsonString(out, m.content);
            out += '}';
        }
        for (const ToolCall &c : m.toolCalls) {
            sep();
            out += "{\"type\":\"tool_call\",\"id\":";
            appendJsonString(out, c.id);
            out += ",\"name\":";
            appendJsonString(out, c.name);
            out += ",\"arguments\":";
            appendJsonString(out, c.arguments);
            out += '}';
        }
        out += ']';
        if (!m.name.isEmpty()) {
            out += ",\"name\":";
            appendJsonString(out, m.name);
        }
        if (!m.finishReason.isEmpty()) {
            out += ",\"finish_reason\":";
            appendJsonString(out, m.finishReason);
        }
        out += '}';
    }
    out += ']';
}

QString mapJson(const QVariantMap &map)
{
    std::string out = "{";
    bool first = true;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, it.key());
        out += ':';
        const QVariant &v = it.value();
        switch (v.typeId()) {
        case QMetaType::Bool: out += v.toBool() ? "true" : "false"; break;
        case QMetaType::LongLong:
        case QMetaType::Int: appendInt(out, v.toLongLong()); break;
        case QMetaType::Double:
            if (std::isfinite(v.toDouble()))
                appendDouble(out, v.toDouble());
            else
                out += "null";
            break;
        case QMetaType::QVariantMap: out += mapJson(v.toMap()).toStdString(); break;
        default:
            if (!v.isValid())
                out += "null";
            else
                appendJsonString(out, attributeValueToString(v));
        }
    }
    out += '}';
    return QString::fromStdString(out);
}

} // namespace

Attributes exportAttributes(const Span &span)
{
    // What a re-import would derive from the attributes alone.
    Span derived;
    derived.attributes = span.attributes;
    derived.events = span.events;
    semconv::normalize(derived);

    Attributes out = span.attributes;
    auto add = [&](const char *key, const QVariant &value) { out.push_back(Attribute{QString::fromLatin1(key), value}); };
    if (span.kind != derived.kind && span.kind != SpanKind::Span)
        add("openinference.span.kind", spanKindName(span.kind).toUpper());
    if (span.operation != derived.operation && !span.operation.isEmpty())
        add("gen_ai.operation.name", span.operation);
    if (span.provider != derived.provider && !span.provider.isEmpty())
        add("gen_ai.provider.name", span.provider);
    if (span.requestModel != derived.requestModel && !span.requestModel.isEmpty())
        add("gen_ai.request.model", span.requestModel);
    if (span.responseModel != derived.responseModel && !span.responseModel.isEmpty())
        add("gen_ai.response.model", span.responseModel);
    for (auto it = span.parameters.cbegin(); it != span.parameters.cend(); ++it) {
        if (it.key() != u"model" && derived.parameters.value(it.key()) != it.value())
            out.push_back(Attribute{QStringLiteral("gen_ai.request.") + it.key(), it.value()});
    }
    if (span.input != derived.input && !span.input.isEmpty()) {
        add("input.value", span.input.value);
        if (!span.input.mimeType.isEmpty())
            add("input.mime_type", span.input.mimeType);
    }
    if (span.output != derived.output && !span.output.isEmpty()) {
        add("output.value", span.output.value);
        if (!span.output.mimeType.isEmpty())
            add("output.mime_type", span.output.mimeType);
    }
    if (span.inputMessages != derived.inputMessages && !span.inputMessages.isEmpty()) {
        std::string json;
        appendMessagesJson(json, span.inputMessages);
        add("gen_ai.input.messages", QString::fromStdString(json));
    }
    if (span.outputMessages != derived.outputMessages && !span.outputMessages.isEmpty()) {
        std::string json;
        appendMessagesJson(json, span.outputMessages);
        add("gen_ai.output.messages", QString::fromStdString(json));
    }
    const TokenUsage &t = span.tokens, &d = derived.tokens;
    if (t.input != d.input && t.input >= 0)
        add("gen_ai.usage.input_tokens", t.input);
    if (t.output != d.output && t.output >= 0)
        add("gen_ai.usage.output_tokens", t.output);
    if (t.total != d.total && t.total >= 0)
        add("gen_ai.usage.total_tokens", t.total);
    if (t.cachedInput != d.cachedInput && t.cachedInput >= 0)
        add("gen_ai.usage.cache_read.input_tokens", t.cachedInput);
    if (t.cacheCreation != d.cacheCreation && t.cacheCreation >= 0)
        add("gen_ai.usage.cache_creation.input_tokens", t.cacheCreation);
    if (t.reasoning != d.reasoning && t.reasoning >= 0)
        add("gen_ai.usage.reasoning.output_tokens", t.reasoning);
    // Computed costs are computed again on import; only a reported cost has to travel.
    if (span.cost.source == CostSource::Reported && span.cost != derived.cost) {
        add("llm.cost.prompt", span.cost.inputUsd);
        add("llm.cost.completion", span.cost.outputUsd);
        add("llm.cost.total", span.cost.totalUsd);
    }
    if (span.toolName != derived.toolName && !span.toolName.isEmpty())
        add("gen_ai.tool.name", span.toolName);
    if (span.agentName != derived.agentName && !span.agentName.isEmpty())
        add("gen_ai.agent.name", span.agentName);
    if (span.sessionId != derived.sessionId && !span.sessionId.isEmpty())
        add("session.id", span.sessionId);
    if (span.userId != derived.userId && !span.userId.isEmpty())
        add("user.id", span.userId);
    if (span.tags != derived.tags && !span.tags.isEmpty() && !attributeValue(span.attributes, u"tag.tags").isValid())
        add("tag.tags", QVariant(span.tags).toList());
    if (span.metadata != derived.metadata && !span.metadata.isEmpty() && !attributeValue(span.attributes, u"metadata").isValid())
        add("metadata", mapJson(span.metadata));
    if (span.documents != derived.documents && !span.documents.isEmpty()) {
        for (qsizetype i = 0; i < span.documents.size(); ++i) {
            const RetrievalDocument &doc = span.documents[i];
            const QString prefix = QStringLiteral("retrieval.documents.%1.document.").arg(i);
            if (!doc.id.isEmpty())
                out.push_back({prefix + QStringLiteral("id"), doc.id});
            out.push_back({prefix + QStringLiteral("content"), doc.content});
            if (doc.score)
                out.push_back({prefix + QStringLiteral("score"), *doc.score});
            if (!doc.metadata.isEmpty())
                out.push_back({prefix + QStringLiteral("metadata"), mapJson(doc.metadata)});
        }
    }
    return out;
}

// ---- writer --------------------------------------------------------------------------------

TraceWriter::~TraceWriter() = default;

bool TraceWriter::write(const QByteArray &bytes)
{
    if (!m_error.isEmpty())
        return false;
    if (m_device->write(bytes) != bytes.size()) {
        m_error = m_device->errorString().isEmpty() ? QStringLiteral("write failed") : m_device->errorString();
        return false;
    }
    return true;
}

std::unique_ptr<TraceWriter> TraceWriter::create(ExportFormat format, QIODevice *device)
{
    switch (format) {
    case ExportFormat::OtlpJson: return std::make_unique<OtlpJsonWriter>(device, false);
    case ExportFormat::OtlpJsonLines: return std::make_unique<OtlpJsonWriter>(device, true);
    case ExportFormat::Csv: return std::make_unique<CsvWriter>(device);
    }
    return nullptr;
}

QByteArray exportSpans(const SpanList &spans, ExportFormat format)
{
    QHash<QString, qsizetype> index;
    QList<SpanList> traces;
    for (const Span &s : spans) {
        auto it = index.find(s.traceId);
        if (it == index.end()) {
            it = index.insert(s.traceId, traces.size());
            traces.push_back({});
        }
        traces[it.value()].push_back(s);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    std::unique_ptr<TraceWriter> writer = TraceWriter::create(format, &buffer);
    for (const SpanList &t : std::as_const(traces))
        writer->writeTrace(t);
    writer->finish();
    return bytes;
}

} // namespace spanscope
