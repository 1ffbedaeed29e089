#include "portkeyimporters.h"

#include "chunkreader.h"
#include "csvreader.h"
#include "importcontext.h"
#include "jsonelements.h"

#include <QCoreApplication>

#include <cstring>

namespace spanscope {

using namespace vendor;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PortkeyImporter", text);
}

// The first byte that is not whitespace (after a UTF-8 byte order mark), or 0.
char firstSignificant(QByteArrayView head)
{
    qsizetype i = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    return i < head.size() ? head[i] : '\0';
}

bool startsAsJson(QByteArrayView head)
{
    const char c = firstSignificant(head);
    return c == '{' || c == '[';
}

// Logs-export column names: enough of them on the first line (CSV) or in the first row (JSON).
const char *const kLogColumns[] = {"ai_model", "ai_org", "is_success", "req_units", "res_units", "total_units", "response_time",
                                   "response_status_code", "cost_currency", "request_url", "prompt_slug"};

int logColumnsIn(const JsonProbe &p, const std::string &prefix)
{
    int n = 0;
    for (const char *c : kLogColumns)
        n += p.has(prefix + c) ? 1 : 0;
    return n;
}

// Line by line, lines of any length, across chunks. False at the end of the input.
bool readLine(ChunkReader &r, std::string &line)
{
    line.clear();
    bool any = false;
    for (;;) {
        if (r.pos == r.end && !r.fill())
            return any;
        any = true;
        const void *nl = std::memchr(r.pos, '\n', size_t(r.end - r.pos));
        if (nl) {
            const char *p = static_cast<const char *>(nl);
            line.append(r.pos, p);
            r.pos = p + 1;
            return true;
        }
        line.append(r.pos, r.end);
        r.pos = r.end;
    }
}

bool nestingWithin(const std::string &text, int limit)
{
    int depth = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

void emitAll(ImportContext &ctx, SpanList &spans)
{
    for (Span &s : spans)
        ctx.emitSpan(std::move(s));
}

// ---- portkey-sse ---------------------------------------------------------------------------

class LogEventSink : public ElementSink
{
public:
    explicit LogEventSink(ImportContext &ctx) : m_ctx(ctx) {}
    void element(const std::string &, Json &&value, const ElementPosition &position) override { convert(value, position); }
    void rootObject(Json &&object, const ElementPosition &position) override { convert(object, position); }

private:
    void convert(const Json &value, const ElementPosition &position)
    {
        SpanList spans;
        QString error;
        if (portkey::logEventToSpans(value, spans, &error))
            emitAll(m_ctx, spans);
        else
            m_ctx.skipSpan(position.offset, position.line, error);
    }
    ImportContext &m_ctx;
};

void importServerSentEvents(ImportContext &ctx)
{
    ChunkReader &r = ctx.reader();
    r.setLineMode(false);
    if (r.end - r.pos >= 3 && std::memcmp(r.pos, "\xEF\xBB\xBF", 3) == 0)
        r.pos += 3;
    std::string line, eventType, data;
    bool hasData = false;
    qint64 lineNo = 0, dataLine = -1;
    int unknownTypes = 0;

    auto dispatch = [&] {
        if (hasData) {
            const bool isLog = eventType == "log" || (eventType.empty() && !data.empty() && data.front() == '{');
            if (isLog) {
                Json log;
                if (nestingWithin(data, 128))
                    log = Json::parse(data, nullptr, /*allow_exceptions=*/false);
                SpanList spans;
                QString error;
                if (log.is_discarded() || log.is_null())
                    ctx.skipSpan(-1, dataLine, tr("the data of a \"log\" event is not valid JSON; skipped"));
                else if (portkey::logEventToSpans(log, spans, &error))
                    emitAll(ctx, spans);
                else
                    ctx.skipSpan(-1, dataLine, error);
            } else if (eventType != "connected" && eventType != "heartbeat" && unknownTypes++ == 0) {
                ctx.warning(-1, dataLine, tr("event type \"%1\" is not a Portkey log event; ignored")
                                              .arg(QString::fromUtf8(eventType.data(), qsizetype(eventType.size()))));
            }
        }
        eventType.clear();
        data.clear();
        hasData = false;
        dataLine = -1;
    };

    while (readLine(r, line)) {
        ++lineNo;
        if (ctx.isCancelled())
            return;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty()) {
            dispatch();
            continue;
        }
        if (line.front() == ':')
            continue;   // comment
        const size_t colon = line.find(':');
        const std::string field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.erase(0, 1);
        if (field == "event") {
            eventType = value;
        } else if (field == "data") {
            if (hasData)
                data += '\n';
            data += value;
            hasData = true;
            if (dataLine < 0)
                dataLine = lineNo;
        }
        // id, retry and unknown fields carry nothing for us.
    }
    // A capture cut off after the last data line still holds a whole event.
    dispatch();
}

// ---- portkey-hooks -------------------------------------------------------------------------

class HookSink : public ElementSink
{
public:
    explicit HookSink(ImportContext &ctx) : m_ctx(ctx) {}
    void element(const std::string &, Json &&value, const ElementPosition &position) override { convert(value, position); }
    void rootObject(Json &&object, const ElementPosition &position) override { convert(object, position); }

private:
    void convert(const Json &value, const ElementPosition &position)
    {
        Span span;
        QString error;
        if (!portkey::hookToSpan(value, span, &error)) {
            m_ctx.skipSpan(position.offset, position.line, error);
            return;
        }
        if (span.startNs == 0)
            m_ctx.warning(position.offset, position.line, tr("no received_at: the span has no time"));
        m_ctx.emitSpan(std::move(span));
    }
    ImportContext &m_ctx;
};

// ---- portkey-logs --------------------------------------------------------------------------

class LogRowSink : public ElementSink
{
public:
    explicit LogRowSink(ImportContext &ctx) : m_ctx(ctx) {}
    void element(const std::string &, Json &&value, const ElementPosition &position) override { convert(value, position); }
    void rootObject(Json &&object, const ElementPosition &position) override
    {
        if (member(object, "data") || member(object, "logs"))
            return;   // the page around streamed rows
        convert(object, position);
    }
    void convert(const Json &value, const ElementPosition &position)
    {
        Span span;
        QString error;
        if (portkey::logRowToSpan(value, span, &error))
            m_ctx.emitSpan(std::move(span));
        else
            m_ctx.skipSpan(position.offset, position.line, error);
    }

private:
    ImportContext &m_ctx;
};

void importCsvRows(ImportContext &ctx)
{
    ChunkReader &r = ctx.reader();
    CsvReader csv(r, CsvReader::guessDelimiter(r.head()));
    QStringList header, fields;
    qint64 line = 0, offset = 0;
    if (!csv.next(header, line, offset)) {
        ctx.error(0, -1, tr("the CSV input is empty"));
        return;
    }
    for (QString &h : header)
        h = h.trimmed();
    LogRowSink sink(ctx);
    while (csv.next(fields, line, offset)) {
        if (ctx.isCancelled())
            return;
        if (fields.size() != header.size())
            ctx.warning(-1, line, tr("the row has %1 fields, the header %2").arg(fields.size()).arg(header.size()));
        Json row = Json::object();
        for (qsizetype i = 0; i < fields.size() && i < header.size(); ++i) {
            if (!fields[i].isEmpty() && !header[i].isEmpty())
                row[header[i].toStdString()] = fields[i].toStdString();
        }
        ElementPosition pos;
        pos.line = line;
        sink.convert(row, pos);
    }
    if (csv.unterminatedQuote())
        ctx.error(-1, line, tr("the input ends inside a quoted field; the last row may be incomplete"));
}

} // namespace

// ---- registry entries ----------------------------------------------------------------------

QString PortkeySseImporter::name() const
{
    return QStringLiteral("portkey-sse");
}

int PortkeySseImporter::sniff(QByteArrayView head, bool complete) const
{
    if (startsAsJson(head)) {
        const JsonProbe &p = JsonProbe::of(head, complete);
        if (p.kind == JsonProbe::Kind::Object && p.has("requestOptions"))
            return 90;
        if (p.kind == JsonProbe::Kind::Array && p.has("[].requestOptions"))
            return 90;
        return 0;
    }
    const qsizetype start = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    const QByteArrayView text = head.sliced(start);
    const bool sse = text.startsWith("event:") || text.startsWith("data:") || text.startsWith("id:") || text.startsWith(": ")
        || text.startsWith("retry:");
    if (!sse)
        return 0;
    if (text.contains("\"requestOptions\""))
        return 95;
    return text.contains("event: log") || text.contains("event: connected") || text.contains("event: heartbeat") ? 70 : 30;
}

void PortkeySseImporter::import(ImportContext &ctx) const
{
    if (startsAsJson(ctx.reader().head())) {
        LogEventSink sink(ctx);
        readJsonElements(ctx, sink, ElementReaderOptions{});
    } else {
        importServerSentEvents(ctx);
    }
}

QString PortkeyHooksImporter::name() const
{
    return QStringLiteral("portkey-hooks");
}

int PortkeyHooksImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonProbe &p = JsonProbe::of(head, complete);
    const std::string prefix = p.kind == JsonProbe::Kind::Array ? "[]." : "";
    if (p.kind != JsonProbe::Kind::Object && p.kind != JsonProbe::Kind::Array)
        return 0;
    for (const std::string &body : {prefix + "body.", prefix}) {
        const bool request = p.has(body + "request.json") || p.has(body + "request.headers") || p.has(body + "request.isStreamingRequest");
        const bool response = p.has(body + "response.statusCode") || p.has(body + "response.json");
        if (request && response)
            return p.has(body + "requestType") || p.has(body + "provider") ? 90 : 75;
    }
    return 0;
}

void PortkeyHooksImporter::import(ImportContext &ctx) const
{
    HookSink sink(ctx);
    readJsonElements(ctx, sink, ElementReaderOptions{});
}

QString PortkeyLogsImporter::name() const
{
    return QStringLiteral("portkey-logs");
}

int PortkeyLogsImporter::sniff(QByteArrayView head, bool complete) const
{
    if (startsAsJson(head)) {
        const JsonProbe &p = JsonProbe::of(head, complete);
        const int n = std::max({logColumnsIn(p, ""), logColumnsIn(p, "[]."), logColumnsIn(p, "data[]."), logColumnsIn(p, "logs[].")});
        return n >= 3 ? 90 : (n == 2 ? 60 : 0);
    }
    // CSV: the header line names the columns.
    const qsizetype start = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    qsizetype end = head.indexOf('\n', start);
    if (end < 0)
        end = head.size();
    const QByteArray first = head.sliced(start, end - start).toByteArray();
    const char delimiter = CsvReader::guessDelimiter(first);
    QList<QByteArray> names = first.split(delimiter);
    int n = 0;
    bool hasId = false;
    for (QByteArray &name : names) {
        name = name.trimmed();
        if (name.startsWith('"') && name.endsWith('"') && name.size() >= 2)
            name = name.mid(1, name.size() - 2);
        for (const char *c : kLogColumns)
            n += name == c ? 1 : 0;
        hasId = hasId || name == "id" || name == "trace_id" || name == "created_at";
    }
    return n >= 3 ? 90 : (n >= 2 && hasId ? 70 : 0);
}

void PortkeyLogsImporter::import(ImportContext &ctx) const
{
    if (startsAsJson(ctx.reader().head())) {
        LogRowSink sink(ctx);
        readJsonElements(ctx, sink, ElementReaderOptions{{"data", "logs"}});
    } else {
        importCsvRows(ctx);
    }
}

} // namespace spanscope
