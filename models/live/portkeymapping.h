#pragma once

#include "trace/span.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace spanscope {

// Portkey gateway feeds → spans for the live ingest, through the shared mappings in
// models/formats (portkeylog.h, the portkey-hooks importer), so a live trace equals the one
// imported from a capture of the same feed. Secrets are redacted by those mappings.

// One POST of the gateway's default.log plugin ({request:{json,text,isStreamingRequest,headers},
// response:{json,text,statusCode}, provider, requestType, metadata}): one llm span whose ids come
// from the x-portkey-trace-id / -span-id / -parent-span-id headers (or traceparent), named by
// x-portkey-span-name; the post has no timestamps, so the span is stamped `receivedNs`.
// Empty list and *error when the body is not such a post.
SpanList portkeyHookPostToSpans(const QByteArray &json, qint64 receivedNs, QString *error = nullptr);

// What the subscriber does with one `log` event's JSON (one trace: a root span for the request,
// one llm span per target tried). Swappable for tests.
using PortkeyLogMapper = std::function<SpanList(const QByteArray &json, qint64 receivedNs, QString *error)>;
PortkeyLogMapper defaultPortkeyLogMapper();   // formats' portkeyLogToSpans()

} // namespace spanscope
