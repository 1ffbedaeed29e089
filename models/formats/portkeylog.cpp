#include "portkeylog.h"

#include "portkeyimporters.h"
#include "redaction.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QDateTime>

#include <cmath>

namespace spanscope {

using namespace vendor;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PortkeyImporter", text);
}

const QString &serviceName()
{
    static const QString name = QStringLiteral("portkey-gateway");
    return name;
}

// The gateway's name for the call (rubeusURL, requestType) as a GenAI operation.
QString operationOf(const QString &portkeyName)
{
    if (portkeyName == u"chatComplete" || portkeyName == u"stream-chatComplete")
        return QStringLiteral("chat");
    if (portkeyName == u"complete" || portkeyName == u"stream-complete")
        return QStringLiteral("text_completion");
    if (portkeyName == u"embed")
        return QStringLiteral("embeddings");
    if (portkeyName == u"imageGenerate")
        return QStringLiteral("image_generation");
    return portkeyName;
}

QString operationFromUrl(const QString &url)
{
    if (url.contains(QLatin1String("/chat/completions")))
        return QStringLiteral("chat");
    if (url.contains(QLatin1String("/embeddings")))
        return QStringLiteral("embeddings");
    if (url.contains(QLatin1String("/completions")))
        return QStringLiteral("text_completion");
    if (url.contains(QLatin1String("/messages")))
        return QStringLiteral("chat");
    return {};
}

QString spanName(const QString &operation, const QString &model, const QString &fallback)
{
    if (!operation.isEmpty() && !model.isEmpty())
        return operation + QLatin1Char(' ') + model;
    if (!model.isEmpty())
        return model;
    return operation.isEmpty() ? fallback : operation;
}

bool isNonEmpty(const Json *v)
{
    return v && !(v->is_structured() && v->empty()) && !(v->is_string() && v->get_ref<const std::string &>().empty());
}

// A JSON value that CSV (or a careless exporter) delivered as text.
Json parsedIfJsonText(const Json *v)
{
    if (!v)
        return Json();
    if (v->is_string()) {
        if (std::optional<Json> parsed = parseContainer(text(*v)))
            return *parsed;
    }
    return *v;
}

// The LLM side shared by the three Portkey shapes: model, parameters, payloads, messages, usage.
void llmCall(AttributeBuilder &b, const QString &operation, const QString &provider, const Json *request, const Json *response)
{
    b.kind(operation == u"embeddings" ? SpanKind::Embedding : SpanKind::Llm);
    b.operation(operation);
    b.provider(provider);
    if (request && request->is_object()) {
        b.requestModel(memberText(*request, "model"));
        Json params = Json::object();
        for (auto it = request->begin(); it != request->end(); ++it) {
            static const char *notParameters[] = {"model", "messages", "input", "prompt", "tools", "functions", "system"};
            bool skip = it.value().is_null();
            for (const char *k : notParameters)
                skip = skip || it.key() == k;
            if (!skip)
                params[it.key()] = it.value();
        }
        b.parameters(params);
    }
    if (response && response->is_object()) {
        if (const Json *m = member(*response, "model"); m && m->is_string())
            b.responseModel(text(*m));
    }
    b.input(isNonEmpty(request) ? request : nullptr);
    b.output(isNonEmpty(response) ? response : nullptr);
    if (response && response->is_object()) {
        if (const Json *usage = member(*response, "usage"))
            b.tokens(usageFrom(*usage));
    }
}

QString errorMessage(const Json *response)
{
    if (!response)
        return {};
    const Json *error = member(*response, "error");
    if (!error)
        return {};
    if (error->is_object()) {
        const QString m = memberText(*error, "message");
        return m.isEmpty() ? compact(*error) : m;
    }
    return text(*error);
}

// "11/25/2026, 2:38:20 AM": the gateway's local time, second precision (only used when nothing
// better is there).
std::optional<qint64> localTime(const QString &text)
{
    for (const QString &format : {QStringLiteral("M/d/yyyy, h:mm:ss AP"), QStringLiteral("M/d/yyyy, H:mm:ss")}) {
        const QDateTime t = QDateTime::fromString(text, format);
        if (t.isValid())
            return t.toMSecsSinceEpoch() * 1000000;
    }
    return std::nullopt;
}

// W3C traceparent "00-<trace id>-<parent id>-<flags>".
bool parseTraceparent(const QString &header, QString &traceId, QString &parentId)
{
    const QStringList parts = header.trimmed().split(QLatin1Char('-'));
    if (parts.size() < 4 || parts[1].size() != 32 || parts[2].size() != 16)
        return false;
    traceId = normalizeId(parts[1], true);
    parentId = normalizeId(parts[2], false);
    return true;
}

} // namespace

namespace portkey {

bool logEventToSpans(const Json &log, SpanList &out, QString *error)
{
    const Json *options = member(log, "requestOptions");
    if (!log.is_object() || !options || !options->is_array()) {
        if (error)
            *error = tr("not a Portkey gateway log event (no \"requestOptions\")");
        return false;
    }
    const QString traceId = hashId(compact(log).toUtf8(), 32);
    const int httpStatus = int(toInt(member(log, "status")).value_or(0));
    const QString method = memberText(log, "method");
    const QString endpoint = memberText(log, "endpoint");
    const std::optional<double> durationMs = toDouble(member(log, "duration"));

    Span root;
    root.traceId = traceId;
    root.spanId = hashId((traceId + QStringLiteral("/gateway")).toUtf8(), 16);
    root.name = endpoint.isEmpty() ? QStringLiteral("gateway %1").arg(method.isEmpty() ? QStringLiteral("request") : method).trimmed()
                                   : QString(method + QLatin1Char(' ') + endpoint).trimmed();
    root.otelKind = 2;   // server
    setService(root, serviceName());
    {
        AttributeBuilder b(root.attributes);
        b.setText(QStringLiteral("http.request.method"), method);
        b.setText(QStringLiteral("url.path"), endpoint);
        if (httpStatus > 0)
            b.set(QStringLiteral("http.response.status_code"), qint64(httpStatus));
        b.set(QStringLiteral("portkey.targets"), qint64(options->size()));
        b.rest(QStringLiteral("portkey."), log, {"requestOptions", "method", "endpoint", "status"});
    }

    SpanList children;
    qint64 start = 0, end = 0;
    const qsizetype last = qsizetype(options->size()) - 1;
    QString lastError;
    for (qsizetype i = 0; i <= last; ++i) {
        const Json &opt = (*options)[size_t(i)];
        if (!opt.is_object())
            continue;
        Span s;
        s.traceId = traceId;
        s.spanId = hashId((traceId + QStringLiteral("/target/") + QString::number(i)).toUtf8(), 16);
        s.parentSpanId = root.spanId;
        s.otelKind = 3;   // client
        setService(s, serviceName());
        const Json *providerOptions = member(opt, "providerOptions");
        const QString provider = providerOptions ? memberText(*providerOptions, "provider") : QString();
        const QString operation = operationOf(providerOptions ? memberText(*providerOptions, "rubeusURL") : QString());
        const Json *request = path(opt, {"finalUntransformedRequest", "body"});
        if (!request)
            request = member(opt, "requestParams");
        const Json *attemptResponse = path(opt, {"originalResponse", "body"});
        bool usedFinalResponse = false;
        if (!isNonEmpty(attemptResponse) && i == last) {
            attemptResponse = member(opt, "response");
            usedFinalResponse = true;
        }
        const QString model = request ? memberText(*request, "model") : QString();
        s.name = spanName(operation, model, provider.isEmpty() ? QStringLiteral("target %1").arg(i) : provider);

        if (const auto t = toTimeNs(member(opt, "createdAt"))) {
            s.startNs = *t;
            if (const auto ms = toDouble(member(opt, "executionTime")); ms && *ms >= 0)
                s.endNs = s.startNs + qint64(std::llround(*ms * 1e6));
        }
        const QString message = errorMessage(attemptResponse);
        if (!message.isEmpty()) {
            s.status = StatusCode::Error;
            s.statusMessage = message;
        } else if (i < last) {
            s.status = StatusCode::Error;
            s.statusMessage = tr("failed; the gateway fell back to the next target");
        } else if (httpStatus >= 400) {
            s.status = StatusCode::Error;
            s.statusMessage = QStringLiteral("HTTP %1").arg(httpStatus);
        } else {
            s.status = StatusCode::Ok;
        }
        if (s.isError())
            lastError = s.statusMessage;

        AttributeBuilder b(s.attributes);
        llmCall(b, operation, provider, request, attemptResponse);
        b.set(QStringLiteral("portkey.target_index"), qint64(i));
        if (providerOptions) {
            b.setText(QStringLiteral("url.full"), memberText(*providerOptions, "requestURL"));
            if (const auto attempts = toInt(path(*providerOptions, {"retry", "attempts"})))
                b.set(QStringLiteral("portkey.retry.attempts"), *attempts);
            b.set(QStringLiteral("portkey.provider_options"), compact(*providerOptions));
        }
        if (usedFinalResponse)
            b.rest(QStringLiteral("portkey."), opt, {"providerOptions", "finalUntransformedRequest", "originalResponse", "response", "createdAt", "executionTime"});
        else
            b.rest(QStringLiteral("portkey."), opt, {"providerOptions", "finalUntransformedRequest", "originalResponse", "createdAt", "executionTime"});
        if (s.startNs > 0) {
            start = start == 0 ? s.startNs : std::min(start, s.startNs);
            end = std::max({end, s.endNs, s.startNs});
        }
        children.push_back(std::move(s));
    }

    if (start == 0) {
        if (const auto t = localTime(memberText(log, "time")))
            start = *t;
        for (Span &s : children) {
            if (s.startNs == 0)
                s.startNs = start;
        }
    }
    root.startNs = start;
    root.endNs = std::max(end, durationMs ? start + qint64(std::llround(*durationMs * 1e6)) : start);
    if (httpStatus >= 400) {
        root.status = StatusCode::Error;
        root.statusMessage = lastError.isEmpty() ? QStringLiteral("HTTP %1").arg(httpStatus)
                                                 : QStringLiteral("HTTP %1: %2").arg(httpStatus).arg(lastError);
    } else if (httpStatus > 0) {
        root.status = StatusCode::Ok;
    }
    out.push_back(std::move(root));
    out += std::move(children);
    return true;
}

bool hookToSpan(const Json &record, Span &s, QString *error)
{
    const Json *bodyPtr = member(record, "body");
    const Json &body = bodyPtr && bodyPtr->is_object() && member(*bodyPtr, "request") ? *bodyPtr : record;
    const Json *request = member(body, "request");
    const Json *response = member(body, "response");
    if (!request || !request->is_object() || !response || !response->is_object()) {
        if (error)
            *error = tr("not a Portkey log plugin body (no \"request\" and \"response\" objects)");
        return false;
    }
    const Json *headers = member(*request, "headers");
    auto header = [&](const char *name) { return headers ? memberText(*headers, name) : QString(); };
    const QString canonical = compact(record);

    QString tpTrace, tpParent;
    const bool hasTraceparent = parseTraceparent(header("traceparent"), tpTrace, tpParent);
    s.traceId = normalizeId(header("x-portkey-trace-id"), true);
    if (s.traceId.isEmpty() && hasTraceparent)
        s.traceId = tpTrace;
    if (s.traceId.isEmpty())
        s.traceId = hashId(canonical.toUtf8(), 32);
    s.spanId = normalizeId(header("x-portkey-span-id"), false);
    if (s.spanId.isEmpty())
        s.spanId = hashId((canonical + QStringLiteral("/span")).toUtf8(), 16);
    s.parentSpanId = normalizeId(header("x-portkey-parent-span-id"), false);
    if (s.parentSpanId.isEmpty() && hasTraceparent && tpTrace == s.traceId)
        s.parentSpanId = tpParent;
    if (s.parentSpanId == s.spanId)
        s.parentSpanId.clear();
    s.otelKind = 3;
    setService(s, serviceName());

    const QString provider = memberText(body, "provider");
    const QString requestType = memberText(body, "requestType");
    const QString operation = operationOf(requestType);
    const Json *requestJson = member(*request, "json");
    Json responseValue = member(*response, "json") ? *member(*response, "json") : Json();
    if (responseValue.is_null() && !memberText(*response, "text").isEmpty())
        responseValue = memberText(*response, "text").toStdString();
    const QString model = requestJson ? memberText(*requestJson, "model") : QString();
    s.name = header("x-portkey-span-name");
    if (s.name.isEmpty())
        s.name = spanName(operation, model, QStringLiteral("portkey request"));

    if (const auto t = toTimeNs(member(record, "received_at"))) {
        s.startNs = *t;
        s.endNs = *t;
    }
    const qint64 statusCode = toInt(member(*response, "statusCode")).value_or(0);
    if (statusCode >= 400) {
        s.status = StatusCode::Error;
        const QString message = errorMessage(&responseValue);
        s.statusMessage = message.isEmpty() ? QStringLiteral("HTTP %1").arg(statusCode) : message;
    } else if (statusCode > 0) {
        s.status = StatusCode::Ok;
    }

    AttributeBuilder b(s.attributes);
    llmCall(b, operation, provider, requestJson, responseValue.is_null() ? nullptr : &responseValue);
    if (statusCode > 0)
        b.set(QStringLiteral("http.response.status_code"), statusCode);
    Json metadata = parsedIfJsonText(member(body, "metadata"));
    if (!metadata.is_object() || metadata.empty())
        metadata = parsedIfJsonText(headers ? member(*headers, "x-portkey-metadata") : nullptr);
    if (metadata.is_object()) {
        b.metadata(&metadata);
        b.user(memberText(metadata, "_user"));
        for (const char *k : {"session_id", "sessionId", "session", "_session"}) {
            if (const QString v = memberText(metadata, k); !v.isEmpty()) {
                b.session(v);
                break;
            }
        }
    }
    if (headers && headers->is_object()) {
        for (auto it = headers->begin(); it != headers->end(); ++it)
            b.set(QStringLiteral("http.request.header.") + toQString(it.key()).toLower(), text(it.value()));
    }
    b.rest(QStringLiteral("portkey.request."), *request, {"json", "headers"});
    b.rest(QStringLiteral("portkey.response."), *response, {"json", "statusCode"});
    b.rest(QStringLiteral("portkey."), body, {"request", "response", "provider", "metadata"});
    if (&body != &record)
        b.rest(QStringLiteral("portkey.hook."), record, {"body", "received_at"});
    if (s.startNs == 0)
        b.setText(QStringLiteral("portkey.received_at"), memberText(record, "received_at"));
    return true;
}

bool logRowToSpan(const Json &row, Span &s, QString *error)
{
    if (!row.is_object()) {
        if (error)
            *error = tr("a Portkey log row is not an object");
        return false;
    }
    auto field = [&](std::initializer_list<const char *> keys) -> const Json * {
        for (const char *k : keys) {
            if (const Json *v = member(row, k); isNonEmpty(v))
                return v;
        }
        return nullptr;
    };
    Json request = parsedIfJsonText(field({"request", "request.body", "request_body"}));
    Json response = parsedIfJsonText(field({"response", "response.body", "response_body"}));
    // {"request": {"body": …}} as the export nests it.
    if (request.is_object() && member(request, "body") && request.size() <= 3)
        request = parsedIfJsonText(member(request, "body"));
    if (response.is_object() && member(response, "body") && response.size() <= 3)
        response = parsedIfJsonText(member(response, "body"));

    // Trimmed as normalizeId() trims: a blank id must fall back to the content hash, not to "".
    const QString rowId = text(field({"id", "log_id"})).trimmed();
    const QString canonical = compact(row);
    s.traceId = normalizeId(text(field({"trace_id", "traceId"})), true);
    if (s.traceId.isEmpty())
        s.traceId = rowId.isEmpty() ? hashId(canonical.toUtf8(), 32) : normalizeId(rowId, true);
    s.spanId = normalizeId(text(field({"span_id", "spanId"})), false);
    if (s.spanId.isEmpty())
        s.spanId = rowId.isEmpty() ? hashId((canonical + QStringLiteral("/span")).toUtf8(), 16) : normalizeId(rowId, false);
    s.parentSpanId = normalizeId(text(field({"parent_span_id", "parentSpanId"})), false);
    if (s.parentSpanId == s.spanId)
        s.parentSpanId.clear();
    if (!field({"id", "log_id", "trace_id", "created_at", "ai_model", "request", "request.body", "response", "response.body"})) {
        if (error)
            *error = tr("not a Portkey log row (none of id, trace_id, created_at, ai_model, request, response)");
        return false;
    }
    s.otelKind = 3;
    setService(s, serviceName());

    const QString url = text(field({"request_url"}));
    QString operation = operationFromUrl(url);
    const QString model = text(field({"ai_model"}));
    s.name = text(field({"span_name"}));
    if (s.name.isEmpty())
        s.name = spanName(operation, model.isEmpty() && request.is_object() ? memberText(request, "model") : model, QStringLiteral("portkey request"));

    if (const auto t = toTimeNs(field({"created_at"}))) {
        s.startNs = *t;
        if (const auto ms = toDouble(field({"response_time"})); ms && *ms >= 0)
            s.endNs = s.startNs + qint64(std::llround(*ms * 1e6));
    }
    const qint64 statusCode = toInt(field({"response_status_code"})).value_or(0);
    const std::optional<bool> success = toBool(field({"is_success"}));
    if ((success && !*success) || statusCode >= 400) {
        s.status = StatusCode::Error;
        const QString message = errorMessage(&response);
        s.statusMessage = !message.isEmpty() ? message : (statusCode > 0 ? QStringLiteral("HTTP %1").arg(statusCode) : QString());
    } else if (success || statusCode > 0) {
        s.status = StatusCode::Ok;
    }

    AttributeBuilder b(s.attributes);
    if (operation.isEmpty())
        operation = QStringLiteral("chat");
    b.kind(operation == u"embeddings" ? SpanKind::Embedding : SpanKind::Llm);
    b.operation(operation);
    b.provider(text(field({"ai_org", "ai_provider"})));
    b.requestModel(!model.isEmpty() ? model : (request.is_object() ? memberText(request, "model") : QString()));
    if (request.is_object()) {
        Json params = Json::object();
        for (auto it = request.begin(); it != request.end(); ++it) {
            if (it.key() != "model" && it.key() != "messages" && it.key() != "input" && it.key() != "prompt" && it.key() != "tools"
                && !it.value().is_null())
                params[it.key()] = it.value();
        }
        b.parameters(params);
    }
    if (response.is_object()) {
        if (const Json *m = member(response, "model"); m && m->is_string())
            b.responseModel(text(*m));
    }
    b.input(isNonEmpty(&request) ? &request : nullptr);
    b.output(isNonEmpty(&response) ? &response : nullptr);

    TokenUsage usage;
    usage.input = toInt(field({"req_units"})).value_or(-1);
    usage.output = toInt(field({"res_units"})).value_or(-1);
    usage.total = toInt(field({"total_units"})).value_or(-1);
    if (usage.isEmpty() && response.is_object()) {
        if (const Json *u = member(response, "usage"))
            usage = usageFrom(*u);
    }
    b.tokens(usage);
    // The export states cost in US cents.
    const QString currency = text(field({"cost_currency"})).toUpper();
    if (const auto cents = toDouble(field({"cost"})); cents && (currency.isEmpty() || currency == u"USD"))
        b.cost(std::nullopt, std::nullopt, *cents / 100.0);
    if (statusCode > 0)
        b.set(QStringLiteral("http.response.status_code"), statusCode);
    b.setText(QStringLiteral("url.full"), url);
    const Json metadata = parsedIfJsonText(field({"metadata"}));
    if (metadata.is_object()) {
        b.metadata(&metadata);
        b.user(memberText(metadata, "_user"));
        for (const char *k : {"session_id", "sessionId", "session", "_session"}) {
            if (const QString v = memberText(metadata, k); !v.isEmpty()) {
                b.session(v);
                break;
            }
        }
    } else if (!metadata.is_null()) {
        b.metadata(&metadata);
    }
    Json rest = Json::object();
    for (auto it = row.begin(); it != row.end(); ++it) {
        if (isNonEmpty(&it.value()))
            rest[it.key()] = parsedIfJsonText(&it.value());
    }
    b.rest(QStringLiteral("portkey."), rest,
           {"request", "request.body", "request_body", "response", "response.body", "response_body", "trace_id", "traceId", "span_id",
            "spanId", "parent_span_id", "parentSpanId", "span_name", "created_at", "response_time", "is_success", "ai_org",
            "ai_provider", "ai_model", "req_units", "res_units", "total_units", "response_status_code", "request_url", "metadata"});
    return true;
}

} // namespace portkey

bool portkeyLogToSpans(QByteArrayView eventData, SpanList &out, QString *error, bool keepSecrets)
{
    try {
        // Serialising recurses: refuse what nests deeper than any real event.
        int depth = 0;
        bool inString = false, escaped = false;
        for (const char c : eventData) {
            if (inString) {
                if (escaped)
                    escaped = false;
                else if (c == '\\')
                    escaped = true;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if ((c == '[' || c == '{') && ++depth > 128) {
                if (error)
                    *error = tr("the event data nests too deeply");
                return false;
            } else if (c == ']' || c == '}') {
                --depth;
            }
        }
        const Json log = Json::parse(eventData.begin(), eventData.end(), nullptr, /*allow_exceptions=*/false);
        if (log.is_discarded()) {
            if (error)
                *error = tr("the event data is not JSON");
            return false;
        }
        SpanList spans;
        if (!portkey::logEventToSpans(log, spans, error))
            return false;
        if (!keepSecrets)
            redaction::redactSpans(spans);
        out += std::move(spans);
        return true;
    } catch (const std::exception &e) {
        if (error)
            *error = tr("internal error: %1").arg(QString::fromUtf8(e.what()));
        return false;
    }
}

} // namespace spanscope
