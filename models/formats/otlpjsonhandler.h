#pragma once

#include "stringinterner.h"
#include "trace/span.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

namespace spanscope {

class ImportContext;
class JsonReplay;

// nlohmann SAX handler that turns OTLP/JSON (ExportTraceServiceRequest / TracesData) into Spans
// as the events arrive: no DOM, memory bounded by one span plus the spans of one resourceSpans
// whose resource comes after its scopeSpans.
//
// The parser's state is a stack of frames, one per open object or array, each knowing what it is
// (a span, an attribute list, an AnyValue…) and which key it is reading. Unknown keys are skipped
// with their whole subtree; known keys with a value of the wrong JSON type are ignored with a
// warning. Attribute values deeper than MaxValueDepth are kept as OTLP JSON text.
class OtlpJsonHandler
{
public:
    static constexpr int MaxValueDepth = 64;

    explicit OtlpJsonHandler(ImportContext &ctx);

    // Prepares for one document that starts at byte `offset` (and on `line` for JSON lines, else
    // -1). The nlohmann positions it receives are relative to that offset.
    void beginDocument(qint64 offset, qint64 line);
    // Ends the document: spans still waiting for a resource or scope are handed over with what is
    // known. After a parse error this keeps the spans that were complete.
    void endDocument();
    // Parses the document at the reader's cursor into this handler (between beginDocument() and
    // endDocument()). When it is whole in [cursor, wholeUntil), `replay` parses it (jsonreplay.h)
    // and the cursor moves to wholeUntil. A larger document (not whole in memory, or larger than
    // JsonReplay::MaxBytes) that starts {"resourceSpans":[ has `replay` parse each element of that
    // array (see streamElements()). Anything else, and whatever simdjson leaves to nlohmann, nlohmann reads
    // from the reader. `strict`: nothing but whitespace may follow the document. False when the
    // document broke off.
    bool parseDocument(JsonReplay *replay, const char *wholeUntil, bool strict);

    // nlohmann SAX interface.
    bool null();
    bool boolean(bool value);
    bool number_integer(std::int64_t value);
    bool number_unsigned(std::uint64_t value);
    bool number_float(double value, const std::string &text);
    bool string(std::string &value);
    bool binary(nlohmann::json::binary_t &value);
    bool start_object(std::size_t);
    bool key(std::string &key);
    bool end_object();
    bool start_array(std::size_t);
    bool end_array();
    bool parse_error(std::size_t position, const std::string &lastToken, const nlohmann::detail::exception &ex);

    // Defined in the .cpp; public only so that its helper functions can name them.
    enum class Ctx : quint8;
    enum class Field : quint8;
    struct Scalar;

private:
    struct Frame {
        Ctx ctx;
        Field field;
        int index = -1;               // arrays: index of the current element
        Attributes *attributes = nullptr;  // attribute lists: where finished KeyValues go
        bool hasKey = false;
        bool hasValue = false;
        QString key;                  // KeyValue
        QVariant value;               // KeyValue, AnyValue, ArrayValue, KvlistValue
        QVariantList list;            // array of AnyValue
        QVariantMap map;              // array of KeyValue inside a kvlist
    };

    Frame &push(Ctx ctx);
    Frame &top() { return m_frames[size_t(m_depth - 1)]; }
    void pop();
    bool onScalar(const Scalar &v);
    bool startContainer(bool isObject);
    void elementStarted();
    void wrongType(const Frame &f, const char *expected, const Scalar *v, bool isObject);
    QString where() const;
    QString fieldPath(const Frame &f) const;
    qint64 offsetNow() const;
    qint64 replayedOffset(qint64 event) const;
    std::optional<bool> streamElements(JsonReplay &replay, bool strict);
    bool resumeParse(std::string_view prefix, int prefixEvents, bool strict);

    // Values of the span being built.
    void setId(QString &target, const std::string &raw, int bytes, bool isTraceId);
    bool setNanos(qint64 &target, const Scalar &v, const Frame &f);
    // An OTLP enum given as a number, a name ("ERROR") or a prefixed name ("STATUS_CODE_ERROR"):
    // its index in `names`, -1 when out of range or unknown, nullopt (reported) when not a scalar.
    std::optional<qint64> enumValue(const Scalar &v, const Frame &f, std::string_view prefix,
                                    std::span<const char *const> names);
    void setSpanKind(const Scalar &v, const Frame &f);
    void setStatusCode(const Scalar &v, const Frame &f);
    void setAnyValue(Frame &f, const Scalar &v);
    void keepBareScalar(const Scalar &v);
    void deliverValue(QVariant &&value);   // an AnyValue finished: give it to its parent frame
    void finishKeyValue(Frame &f);
    void finishSpan();
    void resourceKnown();
    void scopeKnown();
    void releaseScopePending();
    void releaseResourcePending();

    QString name(const std::string &s) { return m_names.get(s); }

    // Raw capture of a too-deep value as JSON text.
    void captureBeforeValue();
    void captureString(const std::string &s);
    void finishCapture();

    ImportContext &m_ctx;
    std::vector<Frame> m_frames;
    int m_depth = 0;
    int m_valueDepth = 0;     // AnyValues open
    int m_skipDepth = 0;      // > 0 while skipping an unknown or mistyped subtree
    int m_captureDepth = 0;   // > 0 while capturing a too-deep value as text
    std::string m_capture;
    std::vector<bool> m_captureFirst;
    bool m_captureAfterKey = false;
    bool m_stop = false;
    bool m_sawResourceSpans = false;
    qint64 m_docOffset = 0;
    qint64 m_line = -1;
    qint64 m_spansInDocument = 0;  // kept so far, for the error message when the document breaks

    // Current resourceSpans / scopeSpans and the spans waiting for them.
    bool m_resourceKnown = false;
    bool m_scopeKnown = false;
    QString m_serviceName;
    Attributes m_resourceAttributes;
    QString m_scopeName;
    QString m_scopeVersion;
    Attributes m_scopeAttributes;
    SpanList m_scopePending;
    SpanList m_resourcePending;

    Span m_span;
    bool m_inSpan = false;
    qint64 m_spanOffset = 0;  // replayed: the span's first event
    JsonReplay *m_replay = nullptr;
    qint64 m_replayBase = 0;  // offset of the replayed text's first byte
    bool m_replayStrict = true;
    SpanEvent m_event;
    SpanLink m_link;

    StringInterner m_names{128};   // keys, span and scope names
    StringInterner m_values{24};   // short attribute values ("chat", "openai", "stop")
    std::string m_lastTraceIdRaw;
    QString m_lastTraceId;
};

} // namespace spanscope
