#pragma once

#include "formatimporter.h"
#include "vendorjson.h"

namespace spanscope {

// Portkey log exports (the logs export of the hosted product): rows with the columns id, trace_id,
// created_at, request, response, is_success, ai_org, ai_model, req_units, res_units,
// total_units, request_url, cost (US cents), cost_currency, response_time (ms),
// response_status_code, mode, config, prompt_slug, metadata — as a JSON array, JSON lines,
// {data:[…]} or CSV. One llm span per row; rows sharing trace_id share a trace (span_id /
// parent_span_id / span_name columns, when present, build the tree).
class PortkeyLogsImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

// Captured Portkey gateway /log/stream events: server-sent events (event:/id:/data: lines; only
// `log` events carry data), or their data as JSON lines / a JSON array. See portkeyLogToSpans().
class PortkeySseImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

// Bodies pushed by the gateway's `default.log` plugin ({request:{json,text,headers},
// response:{json,text,statusCode}, provider, requestType, metadata}), one per line, bare or as
// captured by a receiver ({received_at, path, headers, body}). x-portkey-trace-id / -span-id /
// -parent-span-id / -span-name (else W3C traceparent) build the tree; the span is stamped with
// received_at (the plugin sends no times).
class PortkeyHooksImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

namespace portkey {
// The mappings, on a parsed DOM (internal to spanscope_formats). false + *error when the value is
// not of that kind.
bool logEventToSpans(const vendor::Json &log, SpanList &out, QString *error);
bool hookToSpan(const vendor::Json &record, Span &out, QString *error);
bool logRowToSpan(const vendor::Json &row, Span &out, QString *error);
} // namespace portkey

} // namespace spanscope
