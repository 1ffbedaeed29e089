#pragma once

#include "trace/span.h"

#include <QByteArrayView>
#include <QString>

namespace spanscope {

// One Portkey gateway `/log/stream` "log" event — the JSON of its SSE `data:` — as spans: a root
// span for the request the gateway served (method, endpoint, HTTP status, total duration) and one
// llm span per target it tried (requestOptions[], in order), so retries and fallbacks are
// visible: provider, model, the client's request (finalUntransformedRequest.body: messages and
// parameters), the provider's response (originalResponse.body, else the final response), token
// usage, status (a target whose response is an error, or that the gateway fell back from, is an
// error) and timing (createdAt + executionTime). The trace id is the SHA-256 of the event's
// canonical JSON, so importing the same event twice (or from a file and from the live feed) gives
// the same trace. API keys and authorization headers are redacted unless `keepSecrets`.
//
// Returns false (with *error) when `eventData` is not such an event; never throws. Shared by the
// portkey-sse importer and the live gateway subscriber.
bool portkeyLogToSpans(QByteArrayView eventData, SpanList &out, QString *error = nullptr, bool keepSecrets = false);

} // namespace spanscope
