#include "otlpprotoimporter.h"

#include "chunkreader.h"
#include "importcontext.h"
#include "jsontext.h"
#include "stringinterner.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <QCoreApplication>

#include <charconv>
#include <cmath>
#include <limits>

namespace spanscope {

namespace otlp {
using namespace opentelemetry::proto::common::v1;
using namespace opentelemetry::proto::trace::v1;
} // namespace otlp

namespace {

constexpr quint32 ResourceSpansTag = (1 << 3) | 2;  // field 1, length-delimited
// libprotobuf's default of 100 nested messages allows only ~45 levels of AnyValue nesting below a
// ResourceSpans; values deeper than MaxValueDepth are turned into text anyway, so allow a bit more
// than that while keeping the parser's recursion far from the stack limit.
constexpr int RecursionLimit = 400;
constexpr int MaxValueDepth = 64;
constexpr qint64 MaxResourceSpansBytes = qint64(1) << 30;

QString tr(const char *text)
{
    return QCoreApplication::translate("OtlpProtoImporter", text);
}

// ---- sniffing ------------------------------------------------------------------------------

struct Bytes {
    const quint8 *p;
    const quint8 *end;

    // False when the varint is cut off by `end` (ranOut) or longer than 10 bytes.
    bool varint(quint64 &value, bool &ranOut)
    {
        value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (p == end) {
                ranOut = true;
                return false;
            }
            const quint8 b = *p++;
            value |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    }
};

enum class WalkEnd { Clean, RanOut, Damaged };
struct Walk {
    int units = 0;              // resource_spans fields fully inside the head
    bool firstParsed = false;   // ... of which the first parsed as a ResourceSpans
    bool firstTooBig = false;   // the first resource_spans goes beyond the head
    WalkEnd end = WalkEnd::Clean;
};

bool parseResourceSpans(const void *data, qint64 size, otlp::ResourceSpans &rs)
{
    google::protobuf::io::CodedInputStream in(static_cast<const quint8 *>(data), int(size));
    in.SetRecursionLimit(RecursionLimit);
    return rs.ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
}

// Walks the fields of an ExportTraceServiceRequest in [b.p, b.end). `endIsExact` says the range
// is the whole message (not cut by the end of the head).
void walkRequest(Bytes b, bool endIsExact, Walk &walk)
{
    const WalkEnd cut = endIsExact ? WalkEnd::Damaged : WalkEnd::RanOut;
    while (b.p != b.end) {
        quint64 tag = 0;
        bool ranOut = false;
        if (!b.varint(tag, ranOut)) {
            walk.end = ranOut ? cut : WalkEnd::Damaged;
            return;
        }
        const quint64 field = tag >> 3;
        const int wireType = int(tag & 7);
        if (field == 0 || (field == 1 && wireType != 2)) {
            walk.end = WalkEnd::Damaged;
            return;
        }
        quint64 skip = 0;
        switch (wireType) {
        case 0: {
            quint64 ignored;
            if (!b.varint(ignored, ranOut)) {
                walk.end = ranOut ? cut : WalkEnd::Damaged;
                return;
            }
            continue;
        }
        case 1: skip = 8; break;
        case 5: skip = 4; break;
        case 2:
            if (!b.varint(skip, ranOut)) {
                walk.end = ranOut ? cut : WalkEnd::Damaged;
                return;
            }
            break;
        default:
            walk.end = WalkEnd::Damaged;  // groups do not occur in OTLP
            return;
        }
        const quint64 left = quint64(b.end - b.p);
        if (field == 1) {
            // A ResourceSpans starts with resource (1), scope_spans (2) or schema_url (3).
            if (skip > 0 && left > 0 && *b.p != 0x0a && *b.p != 0x12 && *b.p != 0x1a) {
                walk.end = WalkEnd::Damaged;
                return;
            }
            if (skip <= left) {
                if (walk.units == 0) {
                    otlp::ResourceSpans rs;
                    walk.firstParsed = parseResourceSpans(b.p, qint64(skip), rs);
                    if (!walk.firstParsed) {
                        walk.end = WalkEnd::Damaged;
                        return;
                    }
                }
                ++walk.units;
            } else if (walk.units == 0) {
                walk.firstTooBig = true;
            }
        }
        if (skip > left) {
            walk.end = cut;
            return;
        }
        b.p += skip;
    }
}

int scoreOf(const Walk &walk)
{
    if (walk.units == 0 && !walk.firstTooBig)
        return 0;
    if (walk.units > 0 && !walk.firstParsed)
        return 0;
    switch (walk.end) {
    case WalkEnd::Clean: return 80;
    case WalkEnd::RanOut: return 70;
    case WalkEnd::Damaged: return 50;  // a damaged tail after good data is still protobuf
    }
    return 0;
}

// Text (JSON, CSV, logs) has no control bytes besides tab and newlines; an OTLP message has them in
// its first few dozen bytes (tags 0x12, short lengths).
bool looksLikeText(QByteArrayView head)
{
    const qsizetype n = std::min<qsizetype>(head.size(), 512);
    for (qsizetype i = 0; i < n; ++i) {
        const quint8 c = quint8(head[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    return true;
}

// ---- reading -------------------------------------------------------------------------------

// The chunk reader as a protobuf stream (zero copy: protobuf reads our chunk buffer directly).
class ReaderStream : public google::protobuf::io::ZeroCopyInputStream
{
public:
    explicit ReaderStream(ChunkReader &reader) : m_reader(reader) {}

    bool Next(const void **data, int *size) override
    {
        if (m_reader.pos == m_reader.end && !m_reader.fill())
            return false;
        const qint64 n = std::min<qint64>(m_reader.end - m_reader.pos, std::numeric_limits<int>::max());
        *data = m_reader.pos;
        *size = int(n);
        m_reader.pos += n;
        return true;
    }
    void BackUp(int count) override { m_reader.pos -= count; }
    bool Skip(int count) override
    {
        while (count > 0) {
            if (m_reader.pos == m_reader.end && !m_reader.fill())
                return false;
            const qint64 n = std::min<qint64>(m_reader.end - m_reader.pos, count);
            m_reader.pos += n;
            count -= int(n);
        }
        return true;
    }
    int64_t ByteCount() const override { return m_reader.offset(); }

private:
    ChunkReader &m_reader;
};

// The OTLP/JSON encoding of a value, for values too deep to keep as QVariants. (libprotobuf's
// MessageToJsonString gives up at 64 nested messages, which is exactly the case here.)
void appendJson(std::string &out, const otlp::AnyValue &v)
{
    char buf[32];
    switch (v.value_case()) {
    case otlp::AnyValue::kStringValue:
        out += "{\"stringValue\":";
        jsontext::appendString(out, v.string_value());
        break;
    case otlp::AnyValue::kBoolValue:
        out += v.bool_value() ? "{\"boolValue\":true" : "{\"boolValue\":false";
        break;
    case otlp::AnyValue::kIntValue:
        out += "{\"intValue\":\"";
        out.append(buf, std::to_chars(buf, buf + sizeof buf, v.int_value()).ptr);
        out += '"';
        break;
    case otlp::AnyValue::kDoubleValue: {
        const double d = v.double_value();
        out += "{\"doubleValue\":";
        if (std::isnan(d))
            out += "\"NaN\"";
        else if (std::isinf(d))
            out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        else
            out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
        break;
    }
    case otlp::AnyValue::kBytesValue:
        out += "{\"bytesValue\":\"";
        out += QByteArray::fromRawData(v.bytes_value().data(), qsizetype(v.bytes_value().size())).toBase64().toStdString();
        out += '"';
        break;
    case otlp::AnyValue::kArrayValue: {
        out += "{\"arrayValue\":{\"values\":[";
        bool first = true;
        for (const otlp::AnyValue &item : v.array_value().values()) {
            if (!first)
                out += ',';
            first = false;
            appendJson(out, item);
        }
        out += "]}";
        break;
    }
    case otlp::AnyValue::kKvlistValue: {
        out += "{\"kvlistValue\":{\"values\":[";
        bool first = true;
        for (const otlp::KeyValue &kv : v.kvlist_value().values()) {
            if (!first)
                out += ',';
            first = false;
            out += "{\"key\":";
            jsontext::appendString(out, kv.key());
            out += ",\"value\":";
            appendJson(out, kv.value());
            out += '}';
        }
        out += "]}";
        break;
    }
    case otlp::AnyValue::VALUE_NOT_SET:
        out += '{';
        break;
    }
    out += '}';
}

class SpanConverter
{
public:
    explicit SpanConverter(ImportContext &ctx) : m_ctx(ctx) {}

    // Parses one ResourceSpans and emits its spans. False when the import was cancelled.
    bool convert(const std::string &bytes, qint64 offset, qint64 index)
    {
        if (!parseResourceSpans(bytes.data(), qint64(bytes.size()), m_rs)) {
            m_ctx.error(offset, -1,
                        tr("resource_spans #%1 (%2 bytes) is not a valid ResourceSpans message (damaged, or a string that is not "
                           "UTF-8); its spans are lost")
                            .arg(index)
                            .arg(bytes.size()));
            return true;
        }
        m_offset = offset;
        const QString where = QStringLiteral("resource_spans #%1").arg(index);
        const Attributes resourceAttributes = attributes(m_rs.resource().attributes(), where);
        const QVariant service = attributeValue(resourceAttributes, u"service.name");
        const QString serviceName = service.isValid() ? attributeValueToString(service) : QString();
        int scopeIndex = 0;
        for (const otlp::ScopeSpans &ss : m_rs.scope_spans()) {
            const QString scopeWhere = where + QStringLiteral(", scope_spans #%1").arg(scopeIndex++);
            const QString scopeName = m_names.get(ss.scope().name());
            const QString scopeVersion = m_names.get(ss.scope().version());
            const Attributes scopeAttributes = attributes(ss.scope().attributes(), scopeWhere);
            int spanIndex = 0;
            for (const otlp::Span &ps : ss.spans()) {
                if (m_ctx.isCancelled())
                    return false;
                const QString spanWhere = scopeWhere + QStringLiteral(", span #%1").arg(spanIndex++);
                if (ps.trace_id().empty() || ps.span_id().empty()) {
                    m_ctx.skipSpan(offset, -1,
                                   tr("%1 \"%2\" has no %3; skipped")
                                       .arg(spanWhere, QString::fromStdString(ps.name()),
                                            ps.trace_id().empty() ? QStringLiteral("trace_id") : QStringLiteral("span_id")));
                    continue;
                }
                Span s;
                s.traceId = traceId(ps.trace_id());
                s.spanId = hex(ps.span_id());
                s.parentSpanId = hex(ps.parent_span_id());
                s.name = m_names.get(ps.name());
                const int kind = int(ps.kind());
                if (kind >= 0 && kind <= 5)
                    s.otelKind = kind;
                else
                    m_ctx.warning(offset, -1, tr("%1: unknown span kind %2; ignored").arg(spanWhere).arg(kind));
                s.serviceName = serviceName;
                s.scopeName = scopeName;
                s.scopeVersion = scopeVersion;
                s.scopeAttributes = scopeAttributes;
                s.resourceAttributes = resourceAttributes;
                s.startNs = nanos(ps.start_time_unix_nano(), spanWhere);
                s.endNs = nanos(ps.end_time_unix_nano(), spanWhere);
                if (ps.has_status()) {
                    const int code = int(ps.status().code());
                    if (code >= 0 && code <= 2)
                        s.status = StatusCode(code);
                    else
                        m_ctx.warning(offset, -1, tr("%1: unknown status code %2; ignored").arg(spanWhere).arg(code));
                    s.statusMessage = QString::fromStdString(ps.status().message());
                }
                s.attributes = attributes(ps.attributes(), spanWhere);
                s.events.reserve(ps.events_size());
                for (const otlp::Span::Event &pe : ps.events()) {
                    SpanEvent e;
                    e.timeNs = nanos(pe.time_unix_nano(), spanWhere);
                    e.name = m_names.get(pe.name());
                    e.attributes = attributes(pe.attributes(), spanWhere);
                    s.events.push_back(std::move(e));
                }
                s.links.reserve(ps.links_size());
                for (const otlp::Span::Link &pl : ps.links()) {
                    SpanLink l;
                    l.traceId = hex(pl.trace_id());
                    l.spanId = hex(pl.span_id());
                    l.attributes = attributes(pl.attributes(), spanWhere);
                    s.links.push_back(std::move(l));
                }
                m_ctx.emitSpan(std::move(s));
            }
        }
        return !m_ctx.isCancelled();
    }

private:
    static QString hex(const std::string &bytes)
    {
        static constexpr char digits[] = "0123456789abcdef";
        QString out(qsizetype(bytes.size() * 2), Qt::Uninitialized);
        QChar *d = out.data();
        for (const char c : bytes) {
            *d++ = QLatin1Char(digits[quint8(c) >> 4]);
            *d++ = QLatin1Char(digits[quint8(c) & 0xf]);
        }
        return out;
    }

    QString traceId(const std::string &bytes)
    {
        if (bytes != m_lastTraceIdBytes) {
            m_lastTraceIdBytes = bytes;
            m_lastTraceId = hex(bytes);
        }
        return m_lastTraceId;
    }

    qint64 nanos(quint64 ns, const QString &where)
    {
        if (ns <= quint64(std::numeric_limits<qint64>::max()))
            return qint64(ns);
        m_ctx.warning(m_offset, -1, tr("%1: time %2 ns is out of range; ignored").arg(where).arg(ns));
        return 0;
    }

    Attributes attributes(const google::protobuf::RepeatedPtrField<otlp::KeyValue> &kvs, const QString &where)
    {
        Attributes out;
        out.reserve(kvs.size());
        for (const otlp::KeyValue &kv : kvs)
            out.push_back(Attribute{m_names.get(kv.key()), value(kv.value(), 0, where)});
        return out;
    }

    QVariant value(const otlp::AnyValue &v, int depth, const QString &where)
    {
        switch (v.value_case()) {
        case otlp::AnyValue::kStringValue: return m_values.get(v.string_value());
        case otlp::AnyValue::kBoolValue: return v.bool_value();
        case otlp::AnyValue::kIntValue: return qint64(v.int_value());
        case otlp::AnyValue::kDoubleValue: return v.double_value();
        case otlp::AnyValue::kBytesValue: return QByteArray(v.bytes_value().data(), qsizetype(v.bytes_value().size()));
        case otlp::AnyValue::kArrayValue:
        case otlp::AnyValue::kKvlistValue:
            break;
        case otlp::AnyValue::VALUE_NOT_SET: return {};
        }
        if (depth >= MaxValueDepth) {
            m_ctx.warning(m_offset, -1,
                          tr("%1: value nested deeper than %2 levels; the rest is kept as JSON text").arg(where).arg(MaxValueDepth));
            std::string json;
            appendJson(json, v);
            return QString::fromStdString(json);
        }
        if (v.value_case() == otlp::AnyValue::kArrayValue) {
            QVariantList list;
            list.reserve(v.array_value().values_size());
            for (const otlp::AnyValue &item : v.array_value().values())
                list.push_back(value(item, depth + 1, where));
            return list;
        }
        QVariantMap map;
        for (const otlp::KeyValue &kv : v.kvlist_value().values())
            map.insert(m_names.get(kv.key()), value(kv.value(), depth + 1, where));
        return map;
    }

    ImportContext &m_ctx;
    otlp::ResourceSpans m_rs;   // reused: Clear() keeps its allocations for the next one
    qint64 m_offset = 0;
    StringInterner m_names{128};
    StringInterner m_values{24};
    std::string m_lastTraceIdBytes;
    QString m_lastTraceId;
};

class RequestReader
{
public:
    RequestReader(ImportContext &ctx) : m_ctx(ctx), m_reader(ctx.reader()), m_stream(m_reader), m_converter(ctx) {}

    // Reads the fields of one ExportTraceServiceRequest of `length` bytes, or up to the end of the
    // input when length < 0. False when the rest of the input cannot be trusted (or on cancel).
    bool readRequest(qint64 length)
    {
        const qint64 start = m_reader.offset();
        // A damaged length prefix can claim up to 2^63 - 1 bytes: the end must not overflow.
        const qint64 limit = length < 0 ? -1
            : length > std::numeric_limits<qint64>::max() - start ? std::numeric_limits<qint64>::max()
                                                                  : start + length;
        for (;;) {
            if (m_ctx.isCancelled())
                return false;
            const qint64 consumed = m_reader.offset() - start;
            if (length >= 0 && consumed > length) {
                m_ctx.error(m_reader.offset(), -1,
                            tr("a field runs past the end of message #%1; the rest of the input is skipped").arg(m_messages));
                return false;
            }
            if (length >= 0 && consumed == length)
                return true;
            if (m_reader.atEnd()) {
                if (length < 0)
                    return true;
                m_ctx.error(m_reader.offset(), -1,
                            tr("the input ends inside a length-delimited message (%1 of %2 bytes present)").arg(consumed).arg(length));
                return false;
            }
            if (!readField(limit))
                return false;
        }
    }

    bool readLengthPrefix(quint64 &length)
    {
        const qint64 at = m_reader.offset();
        google::protobuf::io::CodedInputStream in(&m_stream);
        uint64_t value = 0;
        if (in.ReadVarint64(&value)) {
            length = value;
            return true;
        }
        m_ctx.error(at, -1, tr("damaged length prefix of message #%1").arg(m_messages));
        return false;
    }

    qint64 m_messages = 0;

private:
    bool readField(qint64 limit)
    {
        const qint64 at = m_reader.offset();
        quint32 tag = 0;
        quint32 size = 0;
        bool ok = true;
        {
            // A fresh CodedInputStream per field keeps its int position counter far from overflow in
            // files over 2 GB; its destructor hands unread bytes back to the reader.
            google::protobuf::io::CodedInputStream in(&m_stream);
            tag = in.ReadTagNoLastTag();
            if (tag == 0) {
                m_ctx.error(at, -1, tr("damaged data: no valid protobuf field starts here; the rest of the input is skipped"));
                return false;
            }
            if (tag != ResourceSpansTag) {
                if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) {
                    m_ctx.error(at, -1, tr("damaged or truncated field %1; the rest of the input is skipped").arg(tag >> 3));
                    return false;
                }
            } else if (!in.ReadVarint32(&size)) {
                ok = false;
            } else {
                const qint64 bodyAt = at + in.CurrentPosition();
                const qint64 left = limit >= 0 ? limit - bodyAt
                                               : (m_reader.isGzip() ? MaxResourceSpansBytes : m_reader.rawSize() - bodyAt);
                if (qint64(size) > left || qint64(size) > MaxResourceSpansBytes) {
                    m_ctx.error(at, -1,
                                tr("resource_spans #%1 declares %2 bytes but only %3 are left; the rest of the input is skipped")
                                    .arg(m_index)
                                    .arg(size)
                                    .arg(std::max<qint64>(0, left)));
                    return false;
                }
                ok = in.ReadString(&m_buffer, int(size));
            }
        }
        if (tag != ResourceSpansTag)
            return true;
        if (!ok) {
            m_ctx.error(at, -1,
                        tr("resource_spans #%1 is truncated: the input ends at byte %2").arg(m_index).arg(m_reader.offset()));
            return false;
        }
        const bool go = m_converter.convert(m_buffer, at, m_index++);
        if (m_buffer.capacity() > (size_t(64) << 20))
            std::string().swap(m_buffer);  // do not keep one outlier's memory for the rest of the file
        return go;
    }

    ImportContext &m_ctx;
    ChunkReader &m_reader;
    ReaderStream m_stream;
    SpanConverter m_converter;
    std::string m_buffer;
    qint64 m_index = 0;
};

} // namespace

QString OtlpProtoImporter::name() const
{
    return QStringLiteral("otlp-proto");
}

OtlpProtoImporter::Layout OtlpProtoImporter::detectLayout(QByteArrayView head, bool complete, int *score)
{
    if (score)
        *score = 0;
    if (head.isEmpty() || looksLikeText(head))
        return Layout::Single;
    const auto *begin = reinterpret_cast<const quint8 *>(head.data());
    const auto *end = begin + head.size();

    Walk single;
    walkRequest(Bytes{begin, end}, complete, single);
    const int singleScore = scoreOf(single);

    Walk delimited;
    Bytes b{begin, end};
    while (b.p != b.end && delimited.end == WalkEnd::Clean) {
        quint64 n = 0;
        bool ranOut = false;
        if (!b.varint(n, ranOut)) {
            delimited.end = ranOut && !complete ? WalkEnd::RanOut : WalkEnd::Damaged;
            break;
        }
        const quint64 left = quint64(b.end - b.p);
        const bool whole = n <= left;
        walkRequest(Bytes{b.p, whole ? b.p + n : b.end}, whole || complete, delimited);
        if (!whole)
            break;
        b.p += n;
    }
    const int delimitedScore = scoreOf(delimited);

    if (score)
        *score = std::max(singleScore, delimitedScore);
    // A tie goes to a single request: that is what an exporter or receiver body holds.
    return delimitedScore > singleScore ? Layout::Delimited : Layout::Single;
}

int OtlpProtoImporter::sniff(QByteArrayView head, bool complete) const
{
    int score = 0;
    detectLayout(head, complete, &score);
    return score;
}

void OtlpProtoImporter::import(ImportContext &ctx) const
{
    ChunkReader &r = ctx.reader();
    const Layout layout = m_layout == Layout::Detect ? detectLayout(r.head(), r.headIsComplete()) : m_layout;
    RequestReader reader(ctx);
    if (layout == Layout::Single) {
        reader.readRequest(-1);
        return;
    }
    while (!ctx.isCancelled() && !r.atEnd()) {
        quint64 length = 0;
        if (!reader.readLengthPrefix(length))
            return;
        ++reader.m_messages;
        if (!reader.readRequest(qint64(std::min<quint64>(length, quint64(std::numeric_limits<qint64>::max())))))
            return;
    }
}

} // namespace spanscope
