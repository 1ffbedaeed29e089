#include "detailcodec.h"

#include "semconv/semconv.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QStringEncoder>
#include <QtEndian>

#include <zstd.h>

#include <algorithm>
#include <cstring>

#include <limits>
#include <memory>

namespace spanscope {

namespace {

// QCborValue::toInteger() converts a double to qint64 without a range check (undefined behaviour
// for NaN or a value beyond ±2^63, found by the detailcodec fuzz target); a damaged blob reads 0.
qint64 cborInteger(const QCborValue &v)
{
    if (!v.isDouble())
        return v.toInteger();
    const double d = v.toDouble();
    return d >= -9.2e18 && d <= 9.2e18 ? qint64(d) : 0;
}

enum Key : int {
    KeyScopeName = 1,
    KeyScopeVersion,
    KeyOperation,
    KeyResponseModel,
    KeyParameters,
    KeyInputMessages,
    KeyOutputMessages,
    KeyToolName,
    KeyAgentName,
    KeyDocuments,
    KeyTags,
    KeyMetadata,
    KeyAttributes,
    KeyResourceAttributes,
    KeyScopeAttributes,
    KeyEvents,
    KeyLinks,
    // Instead of KeyInputMessages / KeyOutputMessages: the index of the attribute the messages are
    // read from again on decoding (semconv::messagesFromAttribute()); schema version 4 and later.
    KeyInputMessagesFrom,
    KeyOutputMessagesFrom,
};

// Private tags (unassigned in the IANA CBOR registry) for the QVariant types plain CBOR would
// otherwise fold into another type.
constexpr quint64 TagStringList = 0x53500001;
constexpr quint64 TagVariantHash = 0x53500002;
constexpr quint64 TagUnsigned = 0x53500003;  // quint64 above INT64_MAX, 8 bytes big-endian
constexpr quint64 TagInputRef = 0x53500004;
constexpr quint64 TagOutputRef = 0x53500005;

// Shorter strings are cheaper to repeat than to compare and reference.
constexpr qsizetype MinReferencedSize = 32;

// A minimal CBOR encoder appending to a QByteArray. QCborStreamWriter goes through a QIODevice
// call per item, which made encoding a third of the bulk import time; decoding (on demand, one
// span at a time) uses QCborValue.
class CborOut
{
public:
    explicit CborOut(QByteArray &out) : m_out(out) {}

    // Writes the head of a data item (major type + argument) to `out`; returns its size.
    static int headBytes(char *out, quint8 major, quint64 v)
    {
        const char m = char(major << 5);
        if (v < 24) {
            out[0] = char(m | char(v));
            return 1;
        }
        if (v <= 0xff) {
            out[0] = char(m | 24);
            out[1] = char(v);
            return 2;
        }
        if (v <= 0xffff) {
            out[0] = char(m | 25);
            qToBigEndian(quint16(v), out + 1);
            return 3;
        }
        if (v <= 0xffffffffULL) {
            out[0] = char(m | 26);
            qToBigEndian(quint32(v), out + 1);
            return 5;
        }
        out[0] = char(m | 27);
        qToBigEndian(v, out + 1);
        return 9;
    }
    void head(quint8 major, quint64 v)
    {
        char b[9];
        m_out.append(b, headBytes(b, major, v));
    }
    void integer(qint64 v)
    {
        if (v >= 0)
            head(0, quint64(v));
        else
            head(1, quint64(-1 - v));
    }
    void text(QStringView s)
    {
        if (s.isEmpty()) {
            head(3, 0);
            return;
        }
        // Converted straight into the buffer behind room for the longest head, then moved up to
        // the head actually needed: no temporary QByteArray per string.
        const qsizetype at = m_out.size();
        m_out.resize(at + 9 + s.size() * 3);
        char *base = m_out.data() + at;
        m_encoder.resetState();
        const qsizetype len = m_encoder.appendToBuffer(base + 9, s) - (base + 9);
        char h[9];
        const int hs = headBytes(h, 3, quint64(len));
        std::memmove(base + hs, base + 9, size_t(len));
        std::memcpy(base, h, size_t(hs));
        m_out.resize(at + hs + len);
    }
    void bytes(const char *data, qsizetype size)
    {
        head(2, quint64(size));
        m_out.append(data, size);
    }
    void real(double v)
    {
        char b[9] = {char(0xfb)};
        qToBigEndian(qFromUnaligned<quint64>(&v), b + 1);
        m_out.append(b, 9);
    }
    void boolean(bool v) { m_out.append(char(v ? 0xf5 : 0xf4)); }
    void null() { m_out.append(char(0xf6)); }
    void undefined() { m_out.append(char(0xf7)); }
    void tag(quint64 t) { head(6, t); }
    void array(qsizetype n) { head(4, quint64(n)); }
    void map(qsizetype n) { head(5, quint64(n)); }
    void beginIndefiniteMap() { m_out.append(char(0xbf)); }
    void endIndefinite() { m_out.append(char(0xff)); }
    void raw(const QByteArray &encoded) { m_out.append(encoded); }

private:
    QByteArray &m_out;
    QStringEncoder m_encoder{QStringEncoder::Utf8};
};

class Writer
{
public:
    Writer(QByteArray *out, const Span &span) : m_w(*out), m_span(span) {}

    void key(Key k) { m_w.integer(k); }
    void string(QStringView s) { m_w.text(s); }

    void value(const QVariant &v)
    {
        switch (v.typeId()) {
        case QMetaType::UnknownType: m_w.undefined(); return;
        case QMetaType::Nullptr: m_w.null(); return;
        case QMetaType::Bool: m_w.boolean(v.toBool()); return;
        case QMetaType::Int:
        case QMetaType::Short:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::Char:
        case QMetaType::SChar: m_w.integer(v.toLongLong()); return;
        case QMetaType::UInt:
        case QMetaType::UShort:
        case QMetaType::ULong:
        case QMetaType::ULongLong:
        case QMetaType::UChar: {
            const quint64 u = v.toULongLong();
            if (u <= quint64(std::numeric_limits<qint64>::max())) {
                m_w.integer(qint64(u));
            } else {
                char be[8];
                qToBigEndian(u, be);
                m_w.tag(TagUnsigned);
                m_w.bytes(be, 8);
            }
            return;
        }
        case QMetaType::Double:
        case QMetaType::Float: m_w.real(v.toDouble()); return;
        case QMetaType::QString: {
            const QString &s = *static_cast<const QString *>(v.constData());
            if (s.size() >= MinReferencedSize) {
                if (s == m_span.input.value) {
                    m_w.tag(TagInputRef);
                    m_w.null();
                    return;
                }
                if (s == m_span.output.value) {
                    m_w.tag(TagOutputRef);
                    m_w.null();
                    return;
                }
            }
            m_w.text(s);
            return;
        }
        case QMetaType::QByteArray: {
            const QByteArray &b = *static_cast<const QByteArray *>(v.constData());
            m_w.bytes(b.constData(), b.size());
            return;
        }
        case QMetaType::QStringList:
            m_w.tag(TagStringList);
            stringList(*static_cast<const QStringList *>(v.constData()));
            return;
        case QMetaType::QVariantList: {
            const QVariantList &l = *static_cast<const QVariantList *>(v.constData());
            m_w.array(l.size());
            for (const QVariant &e : l)
                value(e);
            return;
        }
        case QMetaType::QVariantMap: map(*static_cast<const QVariantMap *>(v.constData())); return;
        case QMetaType::QVariantHash: {
            const QVariantHash &h = *static_cast<const QVariantHash *>(v.constData());
            m_w.tag(TagVariantHash);
            m_w.map(h.size());
            for (auto it = h.cbegin(); it != h.cend(); ++it) {
                m_w.text(it.key());
                value(it.value());
            }
            return;
        }
        default:
            // Dates, URLs, UUIDs keep their CBOR tags; anything else becomes what CBOR can say.
            m_w.raw(QCborValue::fromVariant(v).toCbor());
            return;
        }
    }

    void map(const QVariantMap &m)
    {
        m_w.map(m.size());
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            m_w.text(it.key());
            value(it.value());
        }
    }

    void stringList(const QStringList &l)
    {
        m_w.array(l.size());
        for (const QString &s : l)
            m_w.text(s);
    }

    // Flat [key, value, key, value, …]: keeps order and duplicate keys.
    void attributes(const Attributes &attrs)
    {
        m_w.array(attrs.size() * 2);
        for (const Attribute &a : attrs) {
            m_w.text(a.key);
            value(a.value);
        }
    }

    void messages(const Messages &messages)
    {
        m_w.array(messages.size());
        for (const Message &m : messages) {
            m_w.array(6);
            m_w.text(m.role);
            m_w.text(m.content);
            m_w.array(m.toolCalls.size());
            for (const ToolCall &c : m.toolCalls) {
                m_w.array(3);
                m_w.text(c.id);
                m_w.text(c.name);
                m_w.text(c.arguments);
            }
            m_w.text(m.toolCallId);
            m_w.text(m.name);
            m_w.text(m.finishReason);
        }
    }

    void documents(const QList<RetrievalDocument> &docs)
    {
        m_w.array(docs.size());
        for (const RetrievalDocument &d : docs) {
            m_w.array(4);
            m_w.text(d.id);
            m_w.text(d.content);
            if (d.score)
                m_w.real(*d.score);
            else
                m_w.null();
            map(d.metadata);
        }
    }

    void events(const QList<SpanEvent> &events)
    {
        m_w.array(events.size());
        for (const SpanEvent &e : events) {
            m_w.array(3);
            m_w.integer(e.timeNs);
            m_w.text(e.name);
            attributes(e.attributes);
        }
    }

    void links(const QList<SpanLink> &links)
    {
        m_w.array(links.size());
        for (const SpanLink &l : links) {
            m_w.array(3);
            m_w.text(l.traceId);
            m_w.text(l.spanId);
            attributes(l.attributes);
        }
    }

    CborOut &w() { return m_w; }

private:
    CborOut m_w;
    const Span &m_span;
};

class Reader
{
public:
    explicit Reader(const Span &span) : m_span(span) {}

    QVariant value(const QCborValue &c) const
    {
        switch (c.type()) {
        case QCborValue::Undefined: return {};
        case QCborValue::Null: return QVariant::fromValue(nullptr);
        case QCborValue::False: return QVariant(false);
        case QCborValue::True: return QVariant(true);
        case QCborValue::Integer: return QVariant(qint64(c.toInteger()));
        case QCborValue::Double: return QVariant(c.toDouble());
        case QCborValue::String: return QVariant(c.toString());
        case QCborValue::ByteArray: return QVariant(c.toByteArray());
        case QCborValue::Array: {
            const QCborArray a = c.toArray();
            QVariantList l;
            l.reserve(a.size());
            for (const QCborValue &e : a)
                l << value(e);
            return l;
        }
        case QCborValue::Map: return map(c);
        case QCborValue::Tag: {
            const quint64 tag = quint64(c.tag());
            const QCborValue inner = c.taggedValue();
            switch (tag) {
            case TagStringList: return stringList(inner);
            case TagInputRef: return m_span.input.value;
            case TagOutputRef: return m_span.output.value;
            case TagUnsigned: {
                const QByteArray be = inner.toByteArray();
                if (be.size() != 8)
                    return {};
                return QVariant(qFromBigEndian<quint64>(be.constData()));
            }
            case TagVariantHash: {
                QVariantHash h;
                const QCborMap m = inner.toMap();
                for (auto it = m.cbegin(); it != m.cend(); ++it)
                    h.insert(it.key().toString(), value(it.value()));
                return h;
            }
            default: return c.toVariant();
            }
        }
        default: return c.toVariant();
        }
    }

    QVariantMap map(const QCborValue &c) const
    {
        QVariantMap out;
        const QCborMap m = c.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            out.insert(it.key().toString(), value(it.value()));
        return out;
    }

    static QStringList stringList(const QCborValue &c)
    {
        QStringList out;
        const QCborArray a = c.toArray();
        out.reserve(a.size());
        for (const QCborValue &e : a)
            out << e.toString();
        return out;
    }

    Attributes attributes(const QCborValue &c) const
    {
        Attributes out;
        const QCborArray a = c.toArray();
        out.reserve(a.size() / 2);
        for (qsizetype i = 0; i + 1 < a.size(); i += 2)
            out.push_back({a.at(i).toString(), value(a.at(i + 1))});
        return out;
    }

    static Messages messages(const QCborValue &c)
    {
        Messages out;
        const QCborArray a = c.toArray();
        out.reserve(a.size());
        for (const QCborValue &mv : a) {
            const QCborArray f = mv.toArray();
            Message m;
            m.role = f.at(0).toString();
            m.content = f.at(1).toString();
            for (const QCborValue &cv : f.at(2).toArray()) {
                const QCborArray cf = cv.toArray();
                m.toolCalls.push_back({cf.at(0).toString(), cf.at(1).toString(), cf.at(2).toString()});
            }
            m.toolCallId = f.at(3).toString();
            m.name = f.at(4).toString();
            m.finishReason = f.at(5).toString();
            out.push_back(std::move(m));
        }
        return out;
    }

    QList<RetrievalDocument> documents(const QCborValue &c) const
    {
        QList<RetrievalDocument> out;
        const QCborArray a = c.toArray();
        out.reserve(a.size());
        for (const QCborValue &dv : a) {
            const QCborArray f = dv.toArray();
            RetrievalDocument d;
            d.id = f.at(0).toString();
            d.content = f.at(1).toString();
            if (f.at(2).isDouble() || f.at(2).isInteger())
                d.score = f.at(2).toDouble();
            d.metadata = map(f.at(3));
            out.push_back(std::move(d));
        }
        return out;
    }

    QList<SpanEvent> events(const QCborValue &c) const
    {
        QList<SpanEvent> out;
        const QCborArray a = c.toArray();
        out.reserve(a.size());
        for (const QCborValue &ev : a) {
            const QCborArray f = ev.toArray();
            out.push_back({cborInteger(f.at(0)), f.at(1).toString(), attributes(f.at(2))});
        }
        return out;
    }

    QList<SpanLink> links(const QCborValue &c) const
    {
        QList<SpanLink> out;
        const QCborArray a = c.toArray();
        out.reserve(a.size());
        for (const QCborValue &lv : a) {
            const QCborArray f = lv.toArray();
            out.push_back({f.at(0).toString(), f.at(1).toString(), attributes(f.at(2))});
        }
        return out;
    }

private:
    const Span &m_span;
};

// One Zstandard frame at level 1, its content size in the header: on span documents of 4–8 KB
// about 2.5 times as fast as zlib's fastest level and smaller. It runs on the import pipeline's
// enrich thread, so its cost is the import's. The context is kept per thread: setting one up
// costs more than compressing a few KB.
// An empty result means "keep the document uncompressed".
QByteArray compressDocument(const QByteArray &data)
{
    thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx *)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
    if (!context)
        return {};
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
    const size_t written = ZSTD_compressCCtx(context.get(), out.data(), size_t(out.size()), data.constData(),
                                             size_t(data.size()), 1);
    if (ZSTD_isError(written))
        return {};
    out.truncate(qsizetype(written));
    return out;
}

// A Zstandard frame back to its content. Streamed into a buffer that grows with what the frame
// really yields, so a damaged header claiming gigabytes allocates nothing up front; the content
// must end exactly at the size the header states.
QByteArray decompressZstd(const QByteArray &data)
{
    const unsigned long long claimed = ZSTD_getFrameContentSize(data.constData(), size_t(data.size()));
    if (claimed == ZSTD_CONTENTSIZE_ERROR || claimed == ZSTD_CONTENTSIZE_UNKNOWN
        || claimed > quint64(std::numeric_limits<int>::max() / 2))
        return {};
    if (claimed == 0)
        return {};  // we never compress an empty document
    thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!context)
        return {};
    ZSTD_DCtx_reset(context.get(), ZSTD_reset_session_only);  // a damaged frame may have left it mid-way
    QByteArray out;
    out.resize(qsizetype(std::min<unsigned long long>(claimed, quint64(data.size()) * 8 + 4096)));
    ZSTD_inBuffer in{data.constData(), size_t(data.size()), 0};
    size_t produced = 0;
    for (;;) {
        ZSTD_outBuffer o{out.data(), size_t(out.size()), produced};
        const size_t rc = ZSTD_decompressStream(context.get(), &o, &in);
        if (ZSTD_isError(rc) || o.pos > claimed)
            return {};
        produced = o.pos;
        if (rc == 0)
            break;  // the frame is complete
        if (in.pos == in.size && o.pos < o.size)
            return {};  // truncated
        if (o.pos == o.size) {
            if (quint64(out.size()) >= claimed)
                return {};  // more content than the header said
            out.resize(qsizetype(std::min<unsigned long long>(claimed, quint64(out.size()) * 2)));
        }
    }
    if (produced != claimed || in.pos != in.size)
        return {};
    out.truncate(qsizetype(produced));
    return out;
}

void resetDetailFields(Span &span)
{
    span.messageOrigin = {};
    span.scopeName.clear();
    span.scopeVersion.clear();
    span.operation.clear();
    span.responseModel.clear();
    span.parameters.clear();
    span.inputMessages.clear();
    span.outputMessages.clear();
    span.toolName.clear();
    span.agentName.clear();
    span.documents.clear();
    span.tags.clear();
    span.metadata.clear();
    span.attributes.clear();
    span.resourceAttributes.clear();
    span.scopeAttributes.clear();
    span.events.clear();
    span.links.clear();
}

// The index of the attribute the span's input (or output) messages can be stored as a reference
// to, or -1: they must still be exactly what semconv::normalize() read from it (see MessageOrigin).
qsizetype messagesReference(const Span &span, semconv::MessageDirection direction)
{
    const MessageOrigin *o = span.messageOrigin.origin.get();
    if (!o)
        return -1;
    const bool input = direction == semconv::MessageDirection::Input;
    const MessageSource &source = input ? o->input : o->output;
    return source.stillHolds(span.attributes, input ? span.inputMessages : span.outputMessages) ? source.attribute : -1;
}

// Messages stored as a reference (KeyInputMessagesFrom / KeyOutputMessagesFrom), read from their
// attributes again; the span records where they came from, as normalize() does.
void resolveMessageReferences(Span &span, qsizetype inputFrom, qsizetype outputFrom)
{
    auto read = [&](qsizetype index, semconv::MessageDirection direction, Messages &messages) {
        const QString *text = stringAttribute(span.attributes, index);
        if (!text)
            return MessageSource();
        messages = semconv::messagesFromAttribute(*text, direction);
        return MessageSource::of(span.attributes, index, messages);
    };
    MessageOrigin origin{read(inputFrom, semconv::MessageDirection::Input, span.inputMessages),
                         read(outputFrom, semconv::MessageDirection::Output, span.outputMessages)};
    if (origin.input.isSet() || origin.output.isSet())
        span.messageOrigin.origin = std::make_shared<MessageOrigin>(std::move(origin));
}

} // namespace

QByteArray DetailCodec::encode(const Span &span, Format *format)
{
    QByteArray out;
    {
        out.reserve(512);
        Writer w(&out, span);
        w.w().beginIndefiniteMap();  // only the non-empty fields are written
        auto text = [&](Key key, const QString &s) {
            if (!s.isEmpty()) {
                w.key(key);
                w.string(s);
            }
        };
        text(KeyScopeName, span.scopeName);
        text(KeyScopeVersion, span.scopeVersion);
        text(KeyOperation, span.operation);
        text(KeyResponseModel, span.responseModel);
        if (!span.parameters.isEmpty()) {
            w.key(KeyParameters);
            w.map(span.parameters);
        }
        // Messages read from an attribute are stored as a reference to it: the attribute's text is
        // stored anyway, and a second copy of the same text made LLM spans' documents half again
        // as large (and cost a tenth of the import time to encode, compress and write).
        if (const qsizetype from = messagesReference(span, semconv::MessageDirection::Input); from >= 0) {
            w.key(KeyInputMessagesFrom);
            w.w().integer(from);
        } else if (!span.inputMessages.isEmpty()) {
            w.key(KeyInputMessages);
            w.messages(span.inputMessages);
        }
        if (const qsizetype from = messagesReference(span, semconv::MessageDirection::Output); from >= 0) {
            w.key(KeyOutputMessagesFrom);
            w.w().integer(from);
        } else if (!span.outputMessages.isEmpty()) {
            w.key(KeyOutputMessages);
            w.messages(span.outputMessages);
        }
        text(KeyToolName, span.toolName);
        text(KeyAgentName, span.agentName);
        if (!span.documents.isEmpty()) {
            w.key(KeyDocuments);
            w.documents(span.documents);
        }
        if (!span.tags.isEmpty()) {
            w.key(KeyTags);
            w.stringList(span.tags);
        }
        if (!span.metadata.isEmpty()) {
            w.key(KeyMetadata);
            w.map(span.metadata);
        }
        auto attrs = [&](Key key, const Attributes &a) {
            if (!a.isEmpty()) {
                w.key(key);
                w.attributes(a);
            }
        };
        attrs(KeyAttributes, span.attributes);
        attrs(KeyResourceAttributes, span.resourceAttributes);
        attrs(KeyScopeAttributes, span.scopeAttributes);
        if (!span.events.isEmpty()) {
            w.key(KeyEvents);
            w.events(span.events);
        }
        if (!span.links.isEmpty()) {
            w.key(KeyLinks);
            w.links(span.links);
        }
        w.w().endIndefinite();
    }
    *format = Cbor;
    if (out.size() > CompressThreshold) {
        QByteArray packed = compressDocument(out);
        if (!packed.isEmpty() && packed.size() < out.size()) {
            *format = ZstdCbor;
            return packed;
        }
    }
    return out;
}

bool DetailCodec::decode(const QByteArray &data, int format, Span &span)
{
    resetDetailFields(span);
    if (data.isEmpty())
        return format == Cbor;
    QByteArray plain;
    if (format == CompressedCbor) {
        // qUncompress allocates the size the 4-byte header claims before inflating anything: a
        // damaged blob claiming 4 GiB would exhaust memory (found by the detailcodec fuzz target).
        // Deflate never expands more than 1032:1, so a claim beyond that is damage.
        if (data.size() < 5)
            return false;
        const quint64 claimed = quint64(uchar(data[0])) << 24 | quint64(uchar(data[1])) << 16 | quint64(uchar(data[2])) << 8
                                | quint64(uchar(data[3]));
        if (claimed > quint64(data.size() - 4) * 1032 + 64)
            return false;
        plain = qUncompress(data);
        if (plain.isEmpty())
            return false;
    } else if (format == ZstdCbor) {
        plain = decompressZstd(data);
        if (plain.isEmpty())
            return false;
    } else if (format == Cbor) {
        plain = data;
    } else {
        return false;
    }
    QCborParserError error;
    const QCborValue doc = QCborValue::fromCbor(plain, &error);
    if (error.error != QCborError::NoError || !doc.isMap())
        return false;
    const QCborMap m = doc.toMap();
    const Reader r(span);
    Span decoded;
    qsizetype inputFrom = -1, outputFrom = -1;
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        const QCborValue &v = it.value();
        switch (cborInteger(it.key())) {
        case KeyScopeName: decoded.scopeName = v.toString(); break;
        case KeyScopeVersion: decoded.scopeVersion = v.toString(); break;
        case KeyOperation: decoded.operation = v.toString(); break;
        case KeyResponseModel: decoded.responseModel = v.toString(); break;
        case KeyParameters: decoded.parameters = r.map(v); break;
        case KeyInputMessages: decoded.inputMessages = Reader::messages(v); break;
        case KeyOutputMessages: decoded.outputMessages = Reader::messages(v); break;
        case KeyToolName: decoded.toolName = v.toString(); break;
        case KeyAgentName: decoded.agentName = v.toString(); break;
        case KeyDocuments: decoded.documents = r.documents(v); break;
        case KeyTags: decoded.tags = Reader::stringList(v); break;
        case KeyMetadata: decoded.metadata = r.map(v); break;
        case KeyAttributes: decoded.attributes = r.attributes(v); break;
        case KeyResourceAttributes: decoded.resourceAttributes = r.attributes(v); break;
        case KeyScopeAttributes: decoded.scopeAttributes = r.attributes(v); break;
        case KeyEvents: decoded.events = r.events(v); break;
        case KeyLinks: decoded.links = r.links(v); break;
        case KeyInputMessagesFrom: inputFrom = qsizetype(cborInteger(v)); break;
        case KeyOutputMessagesFrom: outputFrom = qsizetype(cborInteger(v)); break;
        default: break;  // a field from a newer version: ignored, not an error
        }
    }
    span.scopeName = std::move(decoded.scopeName);
    span.scopeVersion = std::move(decoded.scopeVersion);
    span.operation = std::move(decoded.operation);
    span.responseModel = std::move(decoded.responseModel);
    span.parameters = std::move(decoded.parameters);
    span.inputMessages = std::move(decoded.inputMessages);
    span.outputMessages = std::move(decoded.outputMessages);
    span.toolName = std::move(decoded.toolName);
    span.agentName = std::move(decoded.agentName);
    span.documents = std::move(decoded.documents);
    span.tags = std::move(decoded.tags);
    span.metadata = std::move(decoded.metadata);
    span.attributes = std::move(decoded.attributes);
    span.resourceAttributes = std::move(decoded.resourceAttributes);
    span.scopeAttributes = std::move(decoded.scopeAttributes);
    span.events = std::move(decoded.events);
    span.links = std::move(decoded.links);
    resolveMessageReferences(span, inputFrom, outputFrom);
    return true;
}

} // namespace spanscope
