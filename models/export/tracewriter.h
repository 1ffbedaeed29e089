#pragma once

#include "trace/span.h"

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace spanscope {

enum class ExportFormat {
    OtlpJson,       // one OTLP/JSON document {"resourceSpans":[…]} holding every trace
    OtlpJsonLines,  // one OTLP/JSON document per trace, one per line (Collector file exporter style)
    Csv,            // one row per span, RFC 4180
};

QString exportFormatName(ExportFormat format);                 // "otlp-json", "otlp-jsonl", "csv"
std::optional<ExportFormat> exportFormatFromName(QStringView name);
QStringList exportFormatNames();
// From a file name's extension (.csv, .jsonl/.ndjson, .json), if it says.
std::optional<ExportFormat> exportFormatForPath(const QString &path);

// Streams traces into a device in one format. Spans are written as given (callers pass the
// spans of one trace per writeTrace()). Never throws; false (with error()) when the device
// refuses a write.
class TraceWriter
{
public:
    static std::unique_ptr<TraceWriter> create(ExportFormat format, QIODevice *device);
    virtual ~TraceWriter();

    virtual bool writeTrace(const SpanList &spans) = 0;
    // Completes the output (closing brackets); the device stays open.
    virtual bool finish() = 0;
    QString error() const { return m_error; }

protected:
    explicit TraceWriter(QIODevice *device) : m_device(device) {}
    bool write(const QByteArray &bytes);
    QIODevice *m_device;
    QString m_error;
};

// The CSV columns, in order.
QStringList csvColumns();

// The attributes an OTLP export writes for `span`: its own attributes, plus — for any LLM field
// they would not reproduce through semconv::normalize() (a field a vendor importer or another
// producer set directly) — the standard attribute that does (gen_ai.*, llm.*, input.value, …).
// For spans whose fields all come from their attributes (every span Spanscope imports) this is
// exactly span.attributes, so an export imports back to the same spans.
Attributes exportAttributes(const Span &span);

// All spans grouped into traces (in first-seen order) and written in `format`.
QByteArray exportSpans(const SpanList &spans, ExportFormat format);

} // namespace spanscope
