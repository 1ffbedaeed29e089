#include "otlpjsonhandler.h"

#include "chunkreader.h"
#include "importcontext.h"
#include "jsoninputiterator.h"
#include "jsonreplay.h"
#include "jsontext.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

namespace spanscope {

enum class OtlpJsonHandler::Ctx : quint8 {
    Root,
    ResourceSpansList,
    ResourceSpans,
    Resource,
    ScopeSpansList,
    ScopeSpans,
    Scope,
    SpanList,
    Span,
    Status,
    EventList,
    Event,
    LinkList,
    Link,
    KeyValueList,
    KeyValue,
    AnyValue,
    ArrayValue,
    AnyValueList,
    KvlistValue,
};

enum class OtlpJsonHandler::Field : quint8 {
    None,
    ResourceSpans,
    Resource,
    ScopeSpans,
    Scope,
    Spans,
    Name,
    Version,
    Attributes,
    TraceId,
    SpanId,
    ParentSpanId,
    Kind,
    StartTime,
    EndTime,
    Events,
    Links,
    Status,
    Code,
    Message,
    TimeUnixNano,
    Key,
    Value,
    Values,
    StringValue,
    BoolValue,
    IntValue,
    DoubleValue,
    BytesValue,
    ArrayValue,
    KvlistValue,
    Count
};

struct OtlpJsonHandler::Scalar {
    enum Type : quint8 { Null, Bool, Int, UInt, Double, String };
    Type type = Null;
    bool b = false;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;
    std::string *s = nullptr;          // String
    const std::string *text = nullptr; // Double: the number as written
};

namespace {

using Ctx = OtlpJsonHandler::Ctx;
using Field = OtlpJsonHandler::Field;

struct FieldName {
    std::string_view name;
    Field field;
};

// Both the lowerCamelCase names of the OTLP/JSON encoding and the snake_case proto names (which
// the protobuf JSON mapping also accepts), plus the pre-1.0 "instrumentationLibrary" spellings.
constexpr FieldName kFieldNames[] = {
    {"resourceSpans", Field::ResourceSpans}, {"resource_spans", Field::ResourceSpans},
    {"resource", Field::Resource},
    {"scopeSpans", Field::ScopeSpans}, {"scope_spans", Field::ScopeSpans},
    {"instrumentationLibrarySpans", Field::ScopeSpans}, {"instrumentation_library_spans", Field::ScopeSpans},
    {"scope", Field::Scope}, {"instrumentationLibrary", Field::Scope}, {"instrumentation_library", Field::Scope},
    {"spans", Field::Spans},
    {"name", Field::Name},
    {"version", Field::Version},
    {"attributes", Field::Attributes},
    {"traceId", Field::TraceId}, {"trace_id", Field::TraceId},
    {"spanId", Field::SpanId}, {"span_id", Field::SpanId},
    {"parentSpanId", Field::ParentSpanId}, {"parent_span_id", Field::ParentSpanId},
    {"kind", Field::Kind},
    {"startTimeUnixNano", Field::StartTime}, {"start_time_unix_nano", Field::StartTime},
    {"endTimeUnixNano", Field::EndTime}, {"end_time_unix_nano", Field::EndTime},
    {"events", Field::Events},
    {"links", Field::Links},
    {"status", Field::Status},
    {"code", Field::Code},
    {"message", Field::Message},
    {"timeUnixNano", Field::TimeUnixNano}, {"time_unix_nano", Field::TimeUnixNano},
    {"key", Field::Key},
    {"value", Field::Value},
    {"values", Field::Values},
    {"stringValue", Field::StringValue}, {"string_value", Field::StringValue},
    {"boolValue", Field::BoolValue}, {"bool_value", Field::BoolValue},
    {"intValue", Field::IntValue}, {"int_value", Field::IntValue},
    {"doubleValue", Field::DoubleValue}, {"double_value", Field::DoubleValue},
    {"bytesValue", Field::BytesValue}, {"bytes_value", Field::BytesValue},
    {"arrayValue", Field::ArrayValue}, {"array_value", Field::ArrayValue},
    {"kvlistValue", Field::KvlistValue}, {"kvlist_value", Field::KvlistValue},
};

constexpr size_t kMaxFieldLength = 32;

Field lookupField(const std::string &key)
{
    // Bucketed by length: most lookups compare against one or two candidates.
    static const auto buckets = [] {
        std::array<std::vector<FieldName>, kMaxFieldLength> b;
        for (const FieldName &f : kFieldNames)
            b[f.name.size()].push_back(f);
        return b;
    }();
    if (key.size() >= kMaxFieldLength)
        return Field::None;
    for (const FieldName &f : buckets[key.size()]) {
        if (std::memcmp(f.name.data(), key.data(), key.size()) == 0)
            return f.field;
    }
    return Field::None;
}

const char *fieldName(Field field)
{
    for (const FieldName &f : kFieldNames) {
        if (f.field == field)
            return f.name.data();
    }
    return "";
}

bool isList(Ctx ctx)
{
    switch (ctx) {
    case Ctx::ResourceSpansList:
    case Ctx::ScopeSpansList:
    case Ctx::SpanList:
    case Ctx::EventList:
    case Ctx::LinkList:
    case Ctx::KeyValueList:
    case Ctx::AnyValueList:
        return true;
    default:
        return false;
    }
}

// What a known field holds, for the warning when a producer sends something else; nullptr for a
// field this object does not have (skipped silently, as the spec asks for unknown fields).
const char *expectedFor(Ctx ctx, Field field)
{
    switch (ctx) {
    case Ctx::Root:
        return field == Field::ResourceSpans ? "an array" : nullptr;
    case Ctx::ResourceSpans:
        if (field == Field::Resource)
            return "an object";
        return field == Field::ScopeSpans ? "an array" : nullptr;
    case Ctx::Resource:
        return field == Field::Attributes ? "an array" : nullptr;
    case Ctx::ScopeSpans:
        if (field == Field::Scope)
            return "an object";
        return field == Field::Spans ? "an array" : nullptr;
    case Ctx::Scope:
        if (field == Field::Name || field == Field::Version)
            return "a string";
        return field == Field::Attributes ? "an array" : nullptr;
    case Ctx::Span:
        switch (field) {
        case Field::TraceId:
        case Field::SpanId:
        case Field::ParentSpanId:
        case Field::Name:
            return "a string";
        case Field::Kind:
            return "a number or an enum name";
        case Field::StartTime:
        case Field::EndTime:
            return "a decimal string or a number";
        case Field::Attributes:
        case Field::Events:
        case Field::Links:
            return "an array";
        case Field::Status:
            return "an object";
        default:
            return nullptr;
        }
    case Ctx::Status:
        if (field == Field::Code)
            return "a number or an enum name";
        return field == Field::Message ? "a string" : nullptr;
    case Ctx::Event:
        if (field == Field::TimeUnixNano)
            return "a decimal string or a number";
        if (field == Field::Name)
            return "a string";
        return field == Field::Attributes ? "an array" : nullptr;
    case Ctx::Link:
        if (field == Field::TraceId || field == Field::SpanId)
            return "a string";
        return field == Field::Attributes ? "an array" : nullptr;
    case Ctx::KeyValue:
        if (field == Field::Key)
            return "a string";
        return field == Field::Value ? "an AnyValue object" : nullptr;
    case Ctx::AnyValue:
        switch (field) {
        case Field::StringValue: return "a string";
        case Field::BoolValue: return "a boolean";
        case Field::IntValue: return "an integer";
        case Field::DoubleValue: return "a number";
        case Field::BytesValue: return "a base64 string";
        case Field::ArrayValue:
        case Field::KvlistValue: return "an object";
        default: return nullptr;
        }
    case Ctx::ArrayValue:
    case Ctx::KvlistValue:
        return field == Field::Values ? "an array" : nullptr;
    case Ctx::AnyValueList:
        return "an AnyValue object";
    case Ctx::ResourceSpansList:
    case Ctx::ScopeSpansList:
    case Ctx::SpanList:
    case Ctx::EventList:
    case Ctx::LinkList:
    case Ctx::KeyValueList:
        return "an object";
    }
    return nullptr;
}

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Ids are hex in OTLP/JSON. Producers also send upper case, UUIDs or other text (kept as given)
// and, through generic protobuf JSON mappers, base64 of the id bytes.
QString normalizeId(const std::string &raw, int bytes)
{
    if (raw.empty())
        return {};
    bool hex = true;
    for (char c : raw) {
        if (!isHex(c)) {
            hex = false;
            break;
        }
    }
    if (hex) {
        QString out(qsizetype(raw.size()), Qt::Uninitialized);
        QChar *d = out.data();
        for (size_t i = 0; i < raw.size(); ++i) {
            const char c = raw[i];
            d[i] = QLatin1Char(c >= 'A' && c <= 'F' ? char(c + ('a' - 'A')) : c);
        }
        return out;
    }
    const size_t base64Length = size_t((bytes + 2) / 3 * 4);
    if (raw.size() == base64Length) {
        const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromRawData(raw.data(), qsizetype(raw.size())),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() == bytes)
            return QString::fromLatin1(decoded.decoded.toHex());
    }
    return QString::fromUtf8(raw.data(), qsizetype(raw.size()));
}

template<typename T>
bool parseWhole(const std::string &s, T &out)
{
    const char *b = s.data();
    const char *e = b + s.size();
    if (b != e && *b == '+')
        ++b;
    const auto [p, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && p == e && b != e;
}

// Strips nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: " (the
// issue carries the position) and shortens the "last read" token, which can be megabytes long.
QString cleanParseError(const char *what)
{
    std::string_view msg(what);
    if (const size_t bracket = msg.find("] "); bracket != std::string_view::npos)
        msg.remove_prefix(bracket + 2);
    if (msg.substr(0, 11) == "parse error") {
        if (const size_t colon = msg.find(": "); colon != std::string_view::npos)
            msg.remove_prefix(colon + 2);
    }
    std::string text(msg);
    constexpr size_t maxToken = 80;
    if (const size_t lr = text.find("; last read: '"); lr != std::string::npos) {
        const size_t start = lr + 14;
        if (text.size() > start + maxToken + 1) {
            const size_t tokenEnd = text.rfind('\'');
            const std::string tail = tokenEnd > start ? text.substr(tokenEnd) : std::string("'");
            // Keep the end of the token: that is where the parser gave up.
            std::string token = text.substr(start, (tokenEnd > start ? tokenEnd : text.size()) - start);
            token = "…" + token.substr(token.size() - maxToken);
            text = text.substr(0, start) + token + tail;
        }
    }
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString typeName(const OtlpJsonHandler::Scalar *v, bool isObject)
{
    if (!v)
        return isObject ? QStringLiteral("an object") : QStringLiteral("an array");
    switch (v->type) {
    case OtlpJsonHandler::Scalar::Null: return QStringLiteral("null");
    case OtlpJsonHandler::Scalar::Bool: return QStringLiteral("a boolean");
    case OtlpJsonHandler::Scalar::Int:
    case OtlpJsonHandler::Scalar::UInt:
    case OtlpJsonHandler::Scalar::Double: return QStringLiteral("a number");
    case OtlpJsonHandler::Scalar::String: return QStringLiteral("a string");
    }
    return {};
}

QVariant naturalVariant(const OtlpJsonHandler::Scalar &v)
{
    switch (v.type) {
    case OtlpJsonHandler::Scalar::Null: return {};
    case OtlpJsonHandler::Scalar::Bool: return v.b;
    case OtlpJsonHandler::Scalar::Int: return qint64(v.i);
    case OtlpJsonHandler::Scalar::UInt:
        if (v.u <= quint64(std::numeric_limits<qint64>::max()))
            return qint64(v.u);
        return QString::number(v.u);
    case OtlpJsonHandler::Scalar::Double: return v.d;
    case OtlpJsonHandler::Scalar::String: return QString::fromUtf8(v.s->data(), qsizetype(v.s->size()));
    }
    return {};
}

void appendEscaped(std::string &out, const std::string &s)
{
    jsontext::appendString(out, s);
}

QString translated(const char *text)
{
    return QCoreApplication::translate("OtlpJsonImporter", text);
}

} // namespace

OtlpJsonHandler::OtlpJsonHandler(ImportContext &ctx)
    : m_ctx(ctx)
{
    m_frames.reserve(64);
}

void OtlpJsonHandler::beginDocument(qint64 offset, qint64 line)
{
    m_docOffset = offset;
    m_line = line;
    m_depth = 0;
    m_valueDepth = 0;
    m_skipDepth = 0;
    m_captureDepth = 0;
    m_capture.clear();
    m_captureFirst.clear();
    m_stop = false;
    m_sawResourceSpans = false;
    m_spansInDocument = 0;
    m_resourceKnown = m_scopeKnown = false;
    m_inSpan = false;
}

void OtlpJsonHandler::endDocument()
{
    if (m_inSpan) {
        // Cut off by an error in the middle of the span: nothing trustworthy to keep.
        ++m_ctx.result().stats.skippedSpans;
        m_inSpan = false;
    }
    if (!m_stop) {
        // Complete spans still waiting for a scope or resource that never came (truncated input).
        if (!m_scopePending.isEmpty())
            scopeKnown();
        if (!m_resourcePending.isEmpty())
            resourceKnown();
    }
    m_scopePending.clear();
    m_resourcePending.clear();
    m_depth = 0;
}

OtlpJsonHandler::Frame &OtlpJsonHandler::push(Ctx ctx)
{
    if (size_t(m_depth) == m_frames.size())
        m_frames.emplace_back();
    Frame &f = m_frames[size_t(m_depth++)];
    f.ctx = ctx;
    f.field = Field::None;
    f.index = -1;
    f.attributes = nullptr;
    f.hasKey = false;
    f.hasValue = false;
    return f;
}

void OtlpJsonHandler::pop()
{
    --m_depth;
}

bool OtlpJsonHandler::parseDocument(JsonReplay *replay, const char *wholeUntil, bool strict)
{
    ChunkReader &r = m_ctx.reader();
    if (replay && wholeUntil && size_t(wholeUntil - r.pos) <= JsonReplay::MaxBytes) {
        m_replay = replay;
        m_replayStrict = strict;
        m_replayBase = r.offset();
        const JsonReplay::Outcome outcome = replay->replay(r.pos, wholeUntil, this);
        m_replay = nullptr;
        if (outcome != JsonReplay::Outcome::Unparsed) {
            r.pos = wholeUntil;
            return outcome == JsonReplay::Outcome::Done;
        }
    } else if (replay) {
        if (const std::optional<bool> ok = streamElements(*replay, strict))
            return *ok;
    }
    try {
        return fastSaxParse(chunkJsonInput(r), this, strict);
    } catch (const std::exception &e) {
        m_ctx.error(r.offset(), m_line, QString::fromUtf8(e.what()));
    }
    return false;
}

qint64 OtlpJsonHandler::offsetNow() const
{
    if (m_replay)
        return replayedOffset(m_replay->eventIndex());
    return m_ctx.reader().offset();
}

qint64 OtlpJsonHandler::replayedOffset(qint64 event) const
{
    return m_replayBase + std::max<qint64>(0, m_replay->offsetOf(event, m_replayStrict));
}

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The end of the object starting at `first` ('{'): one past its closing brace, or nullptr when
// `last` comes first. Brackets inside strings do not count; whether the text is valid JSON is
// left to the parser.
const char *objectEnd(const char *first, const char *last)
{
    int depth = 0;
    for (const char *p = first; p != last; ++p) {
        switch (*p) {
        case '{': case '[': ++depth; break;
        case '}': case ']':
            if (--depth == 0)
                return p + 1;
            break;
        case '"':
            for (++p;; ++p) {
                const void *q = std::memchr(p, '"', size_t(last - p));
                if (!q)
                    return nullptr;
                p = static_cast<const char *>(q);
                // An escaped quote is preceded by an odd number of backslashes.
                const char *b = p;
                while (b != first && b[-1] == '\\')
                    --b;
                if ((p - b) % 2 == 0)
                    break;
            }
            break;
        default: break;
        }
    }
    return nullptr;
}

// Hands the events of a resumed parse to the handler, but for those of the prefix that put
// nlohmann's parser where the streamed document was; parse error positions are moved by `shift`
// to the document's.
struct ResumedEvents {
    OtlpJsonHandler *h;
    int drop;
    qint64 shift;
    bool pass() { return drop == 0 || (--drop, false); }
    bool null() { return !pass() || h->null(); }
    bool boolean(bool v) { return !pass() || h->boolean(v); }
    bool number_integer(std::int64_t v) { return !pass() || h->number_integer(v); }
    bool number_unsigned(std::uint64_t v) { return !pass() || h->number_unsigned(v); }
    bool number_float(double v, const std::string &t) { return !pass() || h->number_float(v, t); }
    bool string(std::string &v) { return !pass() || h->string(v); }
    bool binary(nlohmann::json::binary_t &v) { return !pass() || h->binary(v); }
    bool start_object(std::size_t n) { return !pass() || h->start_object(n); }
    bool key(std::string &v) { return !pass() || h->key(v); }
    bool end_object() { return !pass() || h->end_object(); }
    bool start_array(std::size_t n) { return !pass() || h->start_array(n); }
    bool end_array() { return !pass() || h->end_array(); }
    bool parse_error(std::size_t position, const std::string &token, const nlohmann::detail::exception &ex)
    {
        return h->parse_error(std::size_t(qint64(position) + shift), token, ex);
    }
};

constexpr std::string_view StreamedKey = "resourceSpans";

} // namespace

// A document too large to be whole in memory, {"resourceSpans":[ E, E, ... ]}, is the usual
// OTLP/JSON file: each element E is made contiguous in the reader's window (fillKeeping()) and
// replayed by simdjson, and the structure around them is fed to the handler here. What does not
// fit that shape — another key, an element simdjson leaves to nlohmann, one larger than
// JsonReplay::MaxBytes, the end of the array, an error — goes to nlohmann from where it starts,
// behind a short prefix that puts nlohmann's parser in the same state (resumeParse()): the rest of
// the document is then read exactly as the nlohmann path reads it, messages included.
// In line mode (JSON lines) all of it is within the line: the reader's `stop` is the limit.
// nullopt: the document does not start that way, and nothing was read.
std::optional<bool> OtlpJsonHandler::streamElements(JsonReplay &replay, bool strict)
{
    ChunkReader &r = m_ctx.reader();
    // The opening, whole in this window: {"resourceSpans":[
    const char *p = r.pos;
    auto skip = [&] {
        while (p != r.stop && isJsonSpace(*p))
            ++p;
        return p != r.stop;
    };
    auto take = [&](std::string_view text) {
        if (size_t(r.stop - p) < text.size() || std::string_view(p, text.size()) != text)
            return false;
        p += text.size();
        return true;
    };
    if (!take("{") || !skip() || !take("\"") || !take(StreamedKey) || !take("\"") || !skip() || !take(":") || !skip()
        || !take("["))
        return std::nullopt;
    std::string name(StreamedKey);
    r.pos = p;
    if (!start_object(std::size_t(-1)) || !key(name) || !start_array(std::size_t(-1)))
        return false;
    // nlohmann's parser in the state of: no element yet, after an element, after its comma.
    static constexpr std::string_view First = "{\"resourceSpans\":[";
    static constexpr std::string_view After = "{\"resourceSpans\":[0";
    static constexpr std::string_view Next = "{\"resourceSpans\":[0,";
    std::string_view state = First;
    for (;;) {
        if (!r.skipJsonSpace() || *r.pos != '{')
            break;
        // The element, contiguous in the window.
        const char *end = nullptr;
        for (;;) {
            end = objectEnd(r.pos, r.stop);
            if (end || r.stop != r.end || r.end - r.pos > qint64(JsonReplay::MaxBytes) || !r.fillKeeping(r.pos))
                break;
        }
        if (!end)
            break;
        m_replay = &replay;
        m_replayStrict = false;
        m_replayBase = r.offset();
        const JsonReplay::Outcome outcome = replay.replay(r.pos, end, this);
        m_replay = nullptr;
        if (outcome == JsonReplay::Outcome::Unparsed)
            break;
        r.pos = end;
        if (outcome == JsonReplay::Outcome::Stopped)
            return false;
        // Its comma.
        if (!r.skipJsonSpace() || *r.pos != ',') {
            state = After;
            break;
        }
        ++r.pos;
        state = Next;
    }
    return resumeParse(state, state == First ? 3 : 4, strict);
}

bool OtlpJsonHandler::resumeParse(std::string_view prefix, int prefixEvents, bool strict)
{
    ChunkReader &r = m_ctx.reader();
    // The prefix, then the reader from its cursor: the reader's own pointers walk the prefix first
    // and are put back when it is used up.
    struct Resume {
        ChunkReader *reader;
        const char *pos;
        const char *stop;
        bool inPrefix = true;
    } resume{&r, r.pos, r.stop};
    const qint64 shift = r.offset() - qint64(prefix.size()) - m_docOffset;
    r.pos = prefix.data();
    r.stop = prefix.data() + prefix.size();
    FastJsonInput input{&r.pos, &r.stop,
                        [](void *context) {
                            auto *resume = static_cast<Resume *>(context);
                            if (resume->inPrefix) {
                                resume->inPrefix = false;
                                resume->reader->pos = resume->pos;
                                resume->reader->stop = resume->stop;
                                if (resume->reader->pos != resume->reader->stop)
                                    return true;
                            }
                            return resume->reader->refillStop();
                        },
                        &resume, &r.replacedText};
    ResumedEvents events{this, prefixEvents, shift};
    bool ok = false;
    try {
        ok = fastSaxParse(input, &events, strict);
    } catch (const std::exception &e) {
        if (resume.inPrefix) {
            r.pos = resume.pos;
            r.stop = resume.stop;
        }
        m_ctx.error(r.offset(), m_line, QString::fromUtf8(e.what()));
        return false;
    }
    if (resume.inPrefix) {  // (only if the parser stopped inside the prefix, which it cannot)
        r.pos = resume.pos;
        r.stop = resume.stop;
    }
    return ok;
}

QString OtlpJsonHandler::where() const
{
    QString path;
    for (int i = 0; i < m_depth; ++i) {
        const Frame &f = m_frames[size_t(i)];
        if (isList(f.ctx)) {
            if (f.index >= 0)
                path += QLatin1Char('/') + QString::number(f.index);
        } else if (f.field != Field::None) {
            path += QLatin1Char('/') + QLatin1String(fieldName(f.field));
        }
    }
    return path.isEmpty() ? QStringLiteral("/") : path;
}

void OtlpJsonHandler::wrongType(const Frame &f, const char *expected, const Scalar *v, bool isObject)
{
    m_ctx.warning(offsetNow(), m_line,
                  translated("%1: expected %2, found %3; ignored")
                      .arg(where(), QLatin1String(expected), typeName(v, isObject)));
}

// ---- SAX events ----------------------------------------------------------------------------

bool OtlpJsonHandler::null()
{
    Scalar v;
    return onScalar(v);
}

bool OtlpJsonHandler::boolean(bool value)
{
    Scalar v;
    v.type = Scalar::Bool;
    v.b = value;
    return onScalar(v);
}

bool OtlpJsonHandler::number_integer(std::int64_t value)
{
    Scalar v;
    v.type = Scalar::Int;
    v.i = value;
    return onScalar(v);
}

bool OtlpJsonHandler::number_unsigned(std::uint64_t value)
{
    Scalar v;
    v.type = Scalar::UInt;
    v.u = value;
    return onScalar(v);
}

bool OtlpJsonHandler::number_float(double value, const std::string &text)
{
    Scalar v;
    v.type = Scalar::Double;
    v.d = value;
    v.text = &text;
    return onScalar(v);
}

bool OtlpJsonHandler::string(std::string &value)
{
    Scalar v;
    v.type = Scalar::String;
    v.s = &value;
    return onScalar(v);
}

bool OtlpJsonHandler::binary(nlohmann::json::binary_t &)
{
    return true;  // never produced by the JSON parser
}

bool OtlpJsonHandler::start_object(std::size_t)
{
    return startContainer(true);
}

bool OtlpJsonHandler::start_array(std::size_t)
{
    return startContainer(false);
}

bool OtlpJsonHandler::key(std::string &key)
{
    if (m_skipDepth > 0)
        return true;
    if (m_captureDepth > 0) {
        if (!m_captureFirst.back())
            m_capture += ',';
        m_captureFirst.back() = false;
        appendEscaped(m_capture, key);
        m_capture += ':';
        m_captureAfterKey = true;
        return true;
    }
    if (m_depth > 0) {
        Frame &f = top();
        f.field = lookupField(key);
        if (f.ctx == Ctx::Root && f.field == Field::ResourceSpans)
            m_sawResourceSpans = true;
    }
    return true;
}

bool OtlpJsonHandler::parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex)
{
    const qint64 offset = m_docOffset + std::max<qint64>(0, qint64(position) - 1);
    QString reason = cleanParseError(ex.what());
    const QString context = m_depth > 0 ? where() : QStringLiteral("the document");
    QString text = translated("reading %1: %2").arg(context, reason);
    if (m_inSpan)
        text += translated(" (the incomplete span was dropped)");
    if (m_spansInDocument > 0)
        text += QCoreApplication::translate("OtlpJsonImporter", "; the %n complete span(s) before it were kept", nullptr,
                                            int(std::min<qint64>(m_spansInDocument, std::numeric_limits<int>::max())));
    m_ctx.error(offset, m_line, text);
    return false;
}

// ---- containers ----------------------------------------------------------------------------

void OtlpJsonHandler::captureBeforeValue()
{
    if (m_captureAfterKey) {
        m_captureAfterKey = false;
        return;
    }
    if (!m_captureFirst.back())
        m_capture += ',';
    m_captureFirst.back() = false;
}

void OtlpJsonHandler::finishCapture()
{
    QVariant text(QString::fromUtf8(m_capture.data(), qsizetype(m_capture.size())));
    m_capture.clear();
    m_capture.shrink_to_fit();
    deliverValue(std::move(text));
}

bool OtlpJsonHandler::startContainer(bool isObject)
{
    if (m_skipDepth > 0) {
        ++m_skipDepth;
        return true;
    }
    if (m_captureDepth > 0) {
        captureBeforeValue();
        m_capture += isObject ? '{' : '[';
        m_captureFirst.push_back(true);
        ++m_captureDepth;
        return true;
    }
    if (m_depth == 0) {
        if (isObject) {
            push(Ctx::Root);
        } else {
            m_ctx.error(offsetNow(), m_line,
                        translated("expected an OTLP/JSON object ({\"resourceSpans\": [...]}), found an array"));
            m_skipDepth = 1;
        }
        return true;
    }

    Frame &f = top();
    const Ctx ctx = f.ctx;
    const Field field = isList(ctx) ? Field::None : f.field;
    if (isList(ctx))
        ++f.index;
    Attributes *attributes = nullptr;
    Ctx next = Ctx::Root;  // Root = nothing to open
    bool wantObject = true;

    switch (ctx) {
    case Ctx::Root:
        if (field == Field::ResourceSpans)
            next = Ctx::ResourceSpansList, wantObject = false;
        break;
    case Ctx::ResourceSpansList:
        next = Ctx::ResourceSpans;
        break;
    case Ctx::ResourceSpans:
        if (field == Field::Resource)
            next = Ctx::Resource;
        else if (field == Field::ScopeSpans)
            next = Ctx::ScopeSpansList, wantObject = false;
        break;
    case Ctx::Resource:
        if (field == Field::Attributes)
            next = Ctx::KeyValueList, wantObject = false, attributes = &m_resourceAttributes;
        break;
    case Ctx::ScopeSpansList:
        next = Ctx::ScopeSpans;
        break;
    case Ctx::ScopeSpans:
        if (field == Field::Scope)
            next = Ctx::Scope;
        else if (field == Field::Spans)
            next = Ctx::SpanList, wantObject = false;
        break;
    case Ctx::Scope:
        if (field == Field::Attributes)
            next = Ctx::KeyValueList, wantObject = false, attributes = &m_scopeAttributes;
        break;
    case Ctx::SpanList:
        next = Ctx::Span;
        break;
    case Ctx::Span:
        if (field == Field::Attributes)
            next = Ctx::KeyValueList, wantObject = false, attributes = &m_span.attributes;
        else if (field == Field::Events)
            next = Ctx::EventList, wantObject = false;
        else if (field == Field::Links)
            next = Ctx::LinkList, wantObject = false;
        else if (field == Field::Status)
            next = Ctx::Status;
        break;
    case Ctx::EventList:
        next = Ctx::Event;
        break;
    case Ctx::Event:
        if (field == Field::Attributes)
            next = Ctx::KeyValueList, wantObject = false, attributes = &m_event.attributes;
        break;
    case Ctx::LinkList:
        next = Ctx::Link;
        break;
    case Ctx::Link:
        if (field == Field::Attributes)
            next = Ctx::KeyValueList, wantObject = false, attributes = &m_link.attributes;
        break;
    case Ctx::KeyValueList:
        next = Ctx::KeyValue;
        break;
    case Ctx::KeyValue:
        if (field == Field::Value)
            next = Ctx::AnyValue;
        break;
    case Ctx::AnyValue:
        if (field == Field::ArrayValue)
            next = Ctx::ArrayValue;
        else if (field == Field::KvlistValue)
            next = Ctx::KvlistValue;
        break;
    case Ctx::ArrayValue:
        if (field == Field::Values)
            next = Ctx::AnyValueList, wantObject = false;
        break;
    case Ctx::KvlistValue:
        if (field == Field::Values)
            next = Ctx::KeyValueList, wantObject = false;  // attributes == nullptr: into the kvlist's map
        break;
    case Ctx::AnyValueList:
        next = Ctx::AnyValue;
        break;
    case Ctx::Status:
        break;
    }

    if (next == Ctx::Root || wantObject != isObject) {
        if (const char *expected = expectedFor(ctx, field))
            wrongType(f, expected, nullptr, isObject);
        m_skipDepth = 1;
        return true;
    }

    if (next == Ctx::AnyValue && m_valueDepth >= MaxValueDepth) {
        m_ctx.warning(offsetNow(), m_line,
                      translated("%1: value nested deeper than %2 levels; the rest is kept as JSON text")
                          .arg(where())
                          .arg(MaxValueDepth));
        m_captureDepth = 1;
        m_capture.assign(1, '{');
        m_captureFirst.assign(1, true);
        m_captureAfterKey = false;
        return true;
    }

    Frame &n = push(next);  // may reallocate: `f` is not used after this
    n.attributes = attributes;
    switch (next) {
    case Ctx::ResourceSpans:
        m_resourceKnown = false;
        m_serviceName = QString();
        m_resourceAttributes = Attributes();
        break;
    case Ctx::Resource:
        m_resourceAttributes = Attributes();
        break;
    case Ctx::ScopeSpans:
    case Ctx::Scope:
        if (next == Ctx::ScopeSpans)
            m_scopeKnown = false;
        m_scopeName = QString();
        m_scopeVersion = QString();
        m_scopeAttributes = Attributes();
        break;
    case Ctx::Span:
        m_span = Span();
        m_inSpan = true;
        // Only a skipped span names its offset: a replay finds it then.
        m_spanOffset = m_replay ? m_replay->eventIndex() : offsetNow();
        break;
    case Ctx::Event:
        m_event = SpanEvent();
        break;
    case Ctx::Link:
        m_link = SpanLink();
        break;
    case Ctx::KeyValue:
        n.key = QString();
        n.value = QVariant();
        break;
    case Ctx::AnyValue:
        ++m_valueDepth;
        n.value = QVariant();
        break;
    case Ctx::ArrayValue:
    case Ctx::KvlistValue:
        n.value = QVariant();
        break;
    case Ctx::AnyValueList:
        n.list.clear();
        break;
    case Ctx::KeyValueList:
        n.map.clear();
        break;
    default:
        break;
    }
    return true;
}

bool OtlpJsonHandler::end_object()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return true;
    }
    if (m_captureDepth > 0) {
        m_capture += '}';
        m_captureFirst.pop_back();
        if (--m_captureDepth == 0)
            finishCapture();
        return true;
    }
    if (m_depth == 0)
        return true;

    Frame &f = top();
    switch (f.ctx) {
    case Ctx::Root:
        pop();
        if (!m_sawResourceSpans)
            m_ctx.warning(offsetNow(), m_line, translated("the document has no \"resourceSpans\""));
        break;
    case Ctx::ResourceSpans:
        if (!m_resourceKnown)
            resourceKnown();
        pop();
        break;
    case Ctx::Resource:
        pop();
        resourceKnown();
        break;
    case Ctx::ScopeSpans:
        if (!m_scopeKnown)
            scopeKnown();
        pop();
        break;
    case Ctx::Scope:
        pop();
        scopeKnown();
        break;
    case Ctx::Span:
        pop();
        finishSpan();
        if (m_ctx.isCancelled()) {
            m_stop = true;
            return false;
        }
        break;
    case Ctx::Event:
        pop();
        m_span.events.push_back(std::move(m_event));
        break;
    case Ctx::Link:
        pop();
        m_span.links.push_back(std::move(m_link));
        break;
    case Ctx::KeyValue:
        finishKeyValue(f);
        break;
    case Ctx::AnyValue: {
        QVariant v = std::move(f.value);
        pop();
        --m_valueDepth;
        deliverValue(std::move(v));
        break;
    }
    case Ctx::ArrayValue:
    case Ctx::KvlistValue: {
        QVariant v = f.hasValue ? std::move(f.value)
                                : (f.ctx == Ctx::ArrayValue ? QVariant(QVariantList()) : QVariant(QVariantMap()));
        pop();
        Frame &any = top();
        any.value = std::move(v);
        any.hasValue = true;
        break;
    }
    default:
        pop();
        break;
    }
    return true;
}

bool OtlpJsonHandler::end_array()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return true;
    }
    if (m_captureDepth > 0) {
        m_capture += ']';
        m_captureFirst.pop_back();
        if (--m_captureDepth == 0)
            finishCapture();
        return true;
    }
    if (m_depth == 0)
        return true;
    Frame &f = top();
    if (f.ctx == Ctx::AnyValueList) {
        QVariant v(std::move(f.list));
        pop();
        Frame &holder = top();
        holder.value = std::move(v);
        holder.hasValue = true;
    } else if (f.ctx == Ctx::KeyValueList && !f.attributes) {
        QVariant v(std::move(f.map));
        pop();
        Frame &holder = top();
        holder.value = std::move(v);
        holder.hasValue = true;
    } else {
        pop();
    }
    return true;
}

// ---- values --------------------------------------------------------------------------------

void OtlpJsonHandler::deliverValue(QVariant &&value)
{
    Frame &f = top();
    if (f.ctx == Ctx::AnyValueList) {
        f.list.push_back(std::move(value));
    } else {
        f.value = std::move(value);
        f.hasValue = true;
    }
}

void OtlpJsonHandler::finishKeyValue(Frame &f)
{
    if (!f.hasKey) {
        pop();
        m_ctx.warning(offsetNow(), m_line, translated("%1: attribute without a key; ignored").arg(where()));
        return;
    }
    QString key = std::move(f.key);
    QVariant value = std::move(f.value);
    pop();
    Frame &list = top();
    if (list.attributes)
        list.attributes->push_back(Attribute{std::move(key), std::move(value)});
    else
        list.map.insert(key, std::move(value));
}

bool OtlpJsonHandler::onScalar(const Scalar &v)
{
    if (m_skipDepth > 0)
        return true;
    if (m_captureDepth > 0) {
        captureBeforeValue();
        char buf[32];
        switch (v.type) {
        case Scalar::Null: m_capture += "null"; break;
        case Scalar::Bool: m_capture += v.b ? "true" : "false"; break;
        case Scalar::Int: m_capture.append(buf, std::to_chars(buf, buf + sizeof buf, v.i).ptr); break;
        case Scalar::UInt: m_capture.append(buf, std::to_chars(buf, buf + sizeof buf, v.u).ptr); break;
        case Scalar::Double: m_capture += *v.text; break;
        case Scalar::String: appendEscaped(m_capture, *v.s); break;
        }
        return true;
    }
    if (m_depth == 0) {
        m_ctx.error(offsetNow(), m_line,
                    translated("expected an OTLP/JSON object ({\"resourceSpans\": [...]}), found %1").arg(typeName(&v, false)));
        return true;
    }

    Frame &f = top();
    if (isList(f.ctx)) {
        ++f.index;
        if (v.type == Scalar::Null)
            return true;
        if (f.ctx == Ctx::AnyValueList) {
            keepBareScalar(v);
            return true;
        }
        wrongType(f, expectedFor(f.ctx, Field::None), &v, false);
        return true;
    }
    if (v.type == Scalar::Null)
        return true;  // the protobuf JSON mapping's way of saying "default"

    const bool isString = v.type == Scalar::String;
    switch (f.ctx) {
    case Ctx::Scope:
        if (f.field == Field::Name && isString)
            m_scopeName = name(*v.s);
        else if (f.field == Field::Version && isString)
            m_scopeVersion = name(*v.s);
        else if (const char *e = expectedFor(f.ctx, f.field))
            wrongType(f, e, &v, false);
        return true;
    case Ctx::Span:
        switch (f.field) {
        case Field::TraceId:
            if (isString)
                setId(m_span.traceId, *v.s, 16, true);
            else
                wrongType(f, "a string", &v, false);
            return true;
        case Field::SpanId:
            if (isString)
                setId(m_span.spanId, *v.s, 8, false);
            else
                wrongType(f, "a string", &v, false);
            return true;
        case Field::ParentSpanId:
            if (isString)
                setId(m_span.parentSpanId, *v.s, 8, false);
            else
                wrongType(f, "a string", &v, false);
            return true;
        case Field::Name:
            if (isString)
                m_span.name = name(*v.s);
            else
                wrongType(f, "a string", &v, false);
            return true;
        case Field::Kind:
            setSpanKind(v, f);
            return true;
        case Field::StartTime:
            setNanos(m_span.startNs, v, f);
            return true;
        case Field::EndTime:
            setNanos(m_span.endNs, v, f);
            return true;
        default:
            if (const char *e = expectedFor(f.ctx, f.field))
                wrongType(f, e, &v, false);
            return true;
        }
    case Ctx::Status:
        if (f.field == Field::Code)
            setStatusCode(v, f);
        else if (f.field == Field::Message && isString)
            m_span.statusMessage = QString::fromUtf8(v.s->data(), qsizetype(v.s->size()));
        else if (const char *e = expectedFor(f.ctx, f.field))
            wrongType(f, e, &v, false);
        return true;
    case Ctx::Event:
        if (f.field == Field::TimeUnixNano)
            setNanos(m_event.timeNs, v, f);
        else if (f.field == Field::Name && isString)
            m_event.name = name(*v.s);
        else if (const char *e = expectedFor(f.ctx, f.field))
            wrongType(f, e, &v, false);
        return true;
    case Ctx::Link:
        if (f.field == Field::TraceId && isString)
            setId(m_link.traceId, *v.s, 16, false);
        else if (f.field == Field::SpanId && isString)
            setId(m_link.spanId, *v.s, 8, false);
        else if (const char *e = expectedFor(f.ctx, f.field))
            wrongType(f, e, &v, false);
        return true;
    case Ctx::KeyValue:
        if (f.field == Field::Key && isString) {
            f.key = name(*v.s);
            f.hasKey = true;
        } else if (f.field == Field::Value) {
            keepBareScalar(v);
        } else if (const char *e = expectedFor(f.ctx, f.field)) {
            wrongType(f, e, &v, false);
        }
        return true;
    case Ctx::AnyValue:
        setAnyValue(f, v);
        return true;
    default:
        if (const char *e = expectedFor(f.ctx, f.field))
            wrongType(f, e, &v, false);
        return true;
    }
}

void OtlpJsonHandler::keepBareScalar(const Scalar &v)
{
    // A bare scalar where an AnyValue object belongs: unambiguous, so keep it rather than lose it.
    m_ctx.warning(offsetNow(), m_line,
                  translated("%1: expected an AnyValue object, found %2; kept as is").arg(where(), typeName(&v, false)));
    deliverValue(naturalVariant(v));
}

void OtlpJsonHandler::setAnyValue(Frame &f, const Scalar &v)
{
    auto keptAs = [&](QVariant value, const char *expected) {
        m_ctx.warning(offsetNow(), m_line,
                      translated("%1: expected %2, found %3; kept as is").arg(where(), QLatin1String(expected), typeName(&v, false)));
        f.value = std::move(value);
        f.hasValue = true;
    };
    auto set = [&](QVariant value) {
        f.value = std::move(value);
        f.hasValue = true;
    };
    switch (f.field) {
    case Field::StringValue:
        if (v.type == Scalar::String) {
            // Short values ("chat", "openai", "stop") repeat on every span: share one QString.
            set(m_values.get(*v.s));
        } else {
            keptAs(naturalVariant(v), "a string");
        }
        return;
    case Field::BoolValue:
        if (v.type == Scalar::Bool)
            set(v.b);
        else if (v.type == Scalar::String && (*v.s == "true" || *v.s == "false"))
            set(*v.s == "true");
        else
            keptAs(naturalVariant(v), "a boolean");
        return;
    case Field::IntValue: {
        // The spec says a decimal string (int64 in the protobuf JSON mapping); the JS SDK sends a
        // number. Both are fine.
        qint64 i = 0;
        if (v.type == Scalar::Int)
            set(qint64(v.i));
        else if (v.type == Scalar::UInt && v.u <= quint64(std::numeric_limits<qint64>::max()))
            set(qint64(v.u));
        else if (v.type == Scalar::String && parseWhole(*v.s, i))
            set(i);
        else if (v.type == Scalar::Double && std::isfinite(v.d) && v.d == std::trunc(v.d) && std::fabs(v.d) < 9.2e18)
            set(qint64(v.d));
        else
            keptAs(naturalVariant(v), "an integer");
        return;
    }
    case Field::DoubleValue: {
        double d = 0;
        if (v.type == Scalar::Double)
            set(v.d);
        else if (v.type == Scalar::Int)
            set(double(v.i));
        else if (v.type == Scalar::UInt)
            set(double(v.u));
        else if (v.type == Scalar::String && (*v.s == "NaN" || *v.s == "Infinity" || *v.s == "-Infinity"))
            set(*v.s == "NaN" ? std::numeric_limits<double>::quiet_NaN()
                              : (v.s->front() == '-' ? -std::numeric_limits<double>::infinity()
                                                     : std::numeric_limits<double>::infinity()));
        else if (v.type == Scalar::String && parseWhole(*v.s, d))
            set(d);
        else
            keptAs(naturalVariant(v), "a number");
        return;
    }
    case Field::BytesValue:
        if (v.type == Scalar::String) {
            auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromRawData(v.s->data(), qsizetype(v.s->size())),
                                                          QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                set(QByteArray(decoded.decoded.constData(), decoded.decoded.size()));  // detach from raw data
            else
                keptAs(naturalVariant(v), "a base64 string");
        } else {
            keptAs(naturalVariant(v), "a base64 string");
        }
        return;
    case Field::ArrayValue:
    case Field::KvlistValue:
        wrongType(f, "an object", &v, false);
        return;
    default:
        return;
    }
}

void OtlpJsonHandler::setId(QString &target, const std::string &raw, int bytes, bool isTraceId)
{
    if (isTraceId) {
        // Consecutive spans nearly always share the trace: reuse (and share) the last id.
        if (!raw.empty() && raw == m_lastTraceIdRaw) {
            target = m_lastTraceId;
            return;
        }
        m_lastTraceIdRaw = raw;
        m_lastTraceId = normalizeId(raw, bytes);
        target = m_lastTraceId;
        return;
    }
    target = normalizeId(raw, bytes);
}

bool OtlpJsonHandler::setNanos(qint64 &target, const Scalar &v, const Frame &f)
{
    constexpr quint64 maxNs = quint64(std::numeric_limits<qint64>::max());
    quint64 u = 0;
    switch (v.type) {
    case Scalar::UInt:
        if (v.u <= maxNs) {
            target = qint64(v.u);
            return true;
        }
        break;
    case Scalar::String:
        if (parseWhole(*v.s, u) && u <= maxNs) {
            target = qint64(u);
            return true;
        }
        break;
    case Scalar::Double:
        if (std::isfinite(v.d) && v.d >= 0 && v.d < 9.2e18) {
            target = qint64(v.d);
            return true;
        }
        break;
    default:
        break;
    }
    if (v.type == Scalar::Bool) {
        wrongType(f, "a decimal string or a number", &v, false);
        return false;
    }
    const QString shown = v.type == Scalar::String ? QString::fromUtf8(v.s->data(), qsizetype(std::min<size_t>(v.s->size(), 40)))
                                                   : naturalVariant(v).toString();
    m_ctx.warning(offsetNow(), m_line,
                  translated("%1: \"%2\" is not a time in nanoseconds since the epoch; ignored").arg(where(), shown));
    return false;
}

std::optional<qint64> OtlpJsonHandler::enumValue(const Scalar &v, const Frame &f, std::string_view prefix,
                                                 std::span<const char *const> names)
{
    qint64 value = -1;
    if (v.type == Scalar::Int)
        value = v.i;
    else if (v.type == Scalar::UInt)
        value = v.u > 1000 ? 1000 : qint64(v.u);
    else if (v.type == Scalar::String) {
        std::string_view s(*v.s);
        const auto n = qsizetype(prefix.size());
        if (s.size() > prefix.size()
            && QLatin1String(s.data(), n).compare(QLatin1String(prefix.data(), n), Qt::CaseInsensitive) == 0)
            s.remove_prefix(prefix.size());
        for (size_t i = 0; i < names.size(); ++i) {
            if (QLatin1String(s.data(), qsizetype(s.size())).compare(QLatin1String(names[i]), Qt::CaseInsensitive) == 0)
                value = qint64(i);
        }
        if (value < 0 && !parseWhole(*v.s, value))
            value = -1;
    } else {
        wrongType(f, "a number or an enum name", &v, false);
        return std::nullopt;
    }
    if (value >= 0 && value < qint64(names.size()))
        return value;
    return qint64(-1);
}

void OtlpJsonHandler::setSpanKind(const Scalar &v, const Frame &f)
{
    static constexpr const char *names[] = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    const std::optional<qint64> kind = enumValue(v, f, "SPAN_KIND_", names);
    if (!kind)
        return;
    if (*kind >= 0) {
        m_span.otelKind = int(*kind);
        return;
    }
    m_ctx.warning(offsetNow(), m_line,
                  translated("%1: unknown span kind \"%2\"; ignored").arg(where(), naturalVariant(v).toString().left(40)));
}

void OtlpJsonHandler::setStatusCode(const Scalar &v, const Frame &f)
{
    static constexpr const char *names[] = {"UNSET", "OK", "ERROR"};
    const std::optional<qint64> code = enumValue(v, f, "STATUS_CODE_", names);
    if (!code)
        return;
    if (*code >= 0) {
        m_span.status = StatusCode(*code);
        return;
    }
    m_ctx.warning(offsetNow(), m_line,
                  translated("%1: unknown status code \"%2\"; ignored").arg(where(), naturalVariant(v).toString().left(40)));
}

// ---- spans ---------------------------------------------------------------------------------

void OtlpJsonHandler::finishSpan()
{
    m_inSpan = false;
    if (m_span.traceId.isEmpty() || m_span.spanId.isEmpty()) {
        const QString missing = m_span.traceId.isEmpty() && m_span.spanId.isEmpty()
            ? QStringLiteral("traceId and spanId")
            : (m_span.traceId.isEmpty() ? QStringLiteral("traceId") : QStringLiteral("spanId"));
        m_ctx.skipSpan(m_replay ? replayedOffset(m_spanOffset) : m_spanOffset, m_line,
                       translated("%1: span \"%2\" has no %3; skipped").arg(where(), m_span.name, missing));
        return;
    }
    ++m_spansInDocument;
    if (!m_scopeKnown) {
        m_scopePending.push_back(std::move(m_span));
        return;
    }
    m_span.scopeName = m_scopeName;
    m_span.scopeVersion = m_scopeVersion;
    m_span.scopeAttributes = m_scopeAttributes;
    if (!m_resourceKnown) {
        m_resourcePending.push_back(std::move(m_span));
        return;
    }
    m_span.serviceName = m_serviceName;
    m_span.resourceAttributes = m_resourceAttributes;
    m_ctx.emitSpan(std::move(m_span));
}

void OtlpJsonHandler::resourceKnown()
{
    m_resourceKnown = true;
    const QVariant service = attributeValue(m_resourceAttributes, u"service.name");
    m_serviceName = service.isValid() ? attributeValueToString(service) : QString();
    for (Span &s : m_resourcePending) {
        s.serviceName = m_serviceName;
        s.resourceAttributes = m_resourceAttributes;
        m_ctx.emitSpan(std::move(s));
    }
    m_resourcePending.clear();
}

void OtlpJsonHandler::scopeKnown()
{
    m_scopeKnown = true;
    for (Span &s : m_scopePending) {
        s.scopeName = m_scopeName;
        s.scopeVersion = m_scopeVersion;
        s.scopeAttributes = m_scopeAttributes;
        if (m_resourceKnown) {
            s.serviceName = m_serviceName;
            s.resourceAttributes = m_resourceAttributes;
            m_ctx.emitSpan(std::move(s));
        } else {
            m_resourcePending.push_back(std::move(s));
        }
    }
    m_scopePending.clear();
}

} // namespace spanscope
