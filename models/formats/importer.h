#pragma once

#include "trace/span.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace spanscope {

// A problem found in an input, precise enough to find it: file, byte offset and/or line, reason.
// Error: something the input held was lost (a span, a line, the rest of the file, the whole input).
// Warning: something was read leniently or a malformed field was ignored; its span was kept.
struct ImportIssue {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    QString file;
    qint64 offset = -1;   // byte offset in the (decompressed) input, -1 if unknown
    qint64 line = -1;     // 1-based line for line-oriented inputs, -1 if unknown
    QString reason;
    // "FILE:POSITION: reason" where POSITION is "line N" or "byte N" (or omitted when unknown).
    QString toString() const;
};

struct ImportStats {
    qint64 spans = 0;         // spans handed to the sink
    qint64 skippedSpans = 0;  // spans seen but not recoverable
    qint64 bytes = 0;         // input bytes consumed (compressed size for gzip)
    qint64 totalBytes = 0;    // input size on disk (for progress)
    int errors = 0;
    int warnings = 0;
};

// Receives spans in batches as they are parsed. Spans are raw: ids, times, status, attributes,
// events, links, resource/scope attributes and service name are set; LLM fields are filled later
// by the semantic-convention mapper (vendor importers may set them directly).
using SpanBatchSink = std::function<void(SpanList &&batch)>;

struct ImportOptions {
    // Called with (bytes consumed, total bytes); throttled by the importer to ≥ 0.5 % steps.
    std::function<void(qint64 done, qint64 total)> progress;
    // Polled between spans/lines; when it turns true the import stops soon and reports cancelled.
    const std::atomic_bool *cancel = nullptr;
    int batchSize = 1000;
    QString forcedFormat;     // empty = detect by content
    QString displayName;      // name used in issues (defaults to the path)
    // Stop with an error once the (decompressed) input exceeds this many bytes; 0 = no limit.
    // For the live receiver's cap on request bodies (a small gzip body can inflate enormously).
    qint64 maxInputBytes = 0;
    // API keys and credentials in attributes, headers and bodies are replaced by "[REDACTED]"
    // before spans reach the sink (see redaction.h); true hands them over untouched.
    bool keepSecrets = false;
    // OTLP/JSON documents whole in memory (a line of a JSON lines file, a request body) and the
    // resourceSpans elements of larger ones are parsed by simdjson and replayed to the handler
    // (jsonreplay.h); false parses everything with nlohmann's parser. The two give the same spans
    // and messages; this is for comparing them.
    bool replayJson = true;
};

struct ImportResult {
    QString file;
    QString format;           // e.g. "otlp-json", "otlp-jsonl", "otlp-proto" (+ ", gzip")
    ImportStats stats;
    QList<ImportIssue> issues;
    bool cancelled = false;
    bool tooLarge = false;    // stopped at options.maxInputBytes
    bool ok() const { return stats.errors == 0 && !cancelled; }
};

// Detects the format by content (gzip magic, JSON shape, protobuf, SSE/CSV text) and streams the
// file into `sink` in bounded memory. When two formats fit about equally well the import stops
// with an error naming both (options.forcedFormat settles it). Never throws.
ImportResult importFile(const QString &path, const SpanBatchSink &sink, const ImportOptions &options = {});

// Same for bytes already in memory (receiver bodies, tests). `name` is used in issues.
ImportResult importBytes(const QByteArray &data, const QString &name, const SpanBatchSink &sink,
                         const ImportOptions &options = {});

// Names of the formats importFile understands (for --format and error messages).
QStringList importFormatNames();

// One OTLP/HTTP POST /v1/traces body: an ExportTraceServiceRequest in protobuf
// (application/x-protobuf; exactly one message, never length-delimited) or JSON
// (application/json). A gzip body (Content-Encoding: gzip) is inflated; set
// options.maxInputBytes to cap it (result.tooLarge → 413). Spans dropped for missing ids are in
// stats.skippedSpans (the partial-success rejected count); a body that does not parse shows as
// errors with nothing or only part delivered (→ 400).
enum class OtlpEncoding { Protobuf, Json };
ImportResult importOtlpRequest(const QByteArray &body, OtlpEncoding encoding, const QString &name,
                               const SpanBatchSink &sink, const ImportOptions &options = {});

} // namespace spanscope
