#include "jsonelements.h"

#include "chunkreader.h"
#include "importcontext.h"
#include "jsoninputiterator.h"
#include "jsonshape.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <cstring>
#include <limits>

namespace spanscope::vendor {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("VendorImporter", text);
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
// while parsing value - invalid literal; last read: '…'" without the prefix (the issue carries the
// position) and with the last-read token cut short.
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
    if (const size_t lr = text.find("; last read: '"); lr != std::string::npos && text.size() > lr + 14 + 60)
        text = text.substr(0, lr + 14) + "…" + text.substr(text.size() - 60);
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Builds one element's DOM from SAX events.
class DomBuilder
{
public:
    void reset()
    {
        m_root = Json();
        m_stack.clear();
        m_key.clear();
    }
    Json &root() { return m_root; }
    int depth() const { return int(m_stack.size()); }

    void value(Json &&v)
    {
        if (m_stack.empty())
            m_root = std::move(v);
        else if (m_stack.back()->is_array())
            m_stack.back()->push_back(std::move(v));
        else
            (*m_stack.back())[m_key] = std::move(v);
    }
    void open(bool object)
    {
        Json fresh = object ? Json::object() : Json::array();
        if (m_stack.empty()) {
            m_root = std::move(fresh);
            m_stack.push_back(&m_root);
        } else if (m_stack.back()->is_array()) {
            m_stack.back()->push_back(std::move(fresh));
            m_stack.push_back(&m_stack.back()->back());
        } else {
            // Pointers into a parent stay valid: nothing is added to it while a child is open.
            Json &slot = (*m_stack.back())[m_key];
            slot = std::move(fresh);
            m_stack.push_back(&slot);
        }
    }
    void close() { m_stack.pop_back(); }
    void key(std::string &k) { m_key = std::move(k); }

private:
    Json m_root;
    std::vector<Json *> m_stack;
    std::string m_key;
};

class ElementHandler
{
public:
    ElementHandler(ImportContext &ctx, ElementSink &sink, const ElementReaderOptions &options)
        : m_ctx(ctx), m_sink(sink), m_options(options) {}

    // `wholeRoot`: the root value is one element (JSON lines).
    void begin(qint64 offset, qint64 line, bool wholeRoot)
    {
        m_docOffset = offset;
        m_line = line;
        m_wholeRoot = wholeRoot;
        m_level = 0;
        m_rootIsObject = false;
        m_streamLevel = -1;
        m_capturing = false;
        m_discarding = false;
        m_elements = 0;
        m_stop = false;
    }
    qint64 elements() const { return m_elements; }

    bool null() { return scalar(Json()); }
    bool boolean(bool v) { return scalar(Json(v)); }
    bool number_integer(std::int64_t v) { return scalar(Json(v)); }
    bool number_unsigned(std::uint64_t v) { return scalar(Json(v)); }
    bool number_float(double v, const std::string &) { return scalar(Json(v)); }
    bool string(std::string &v) { return scalar(Json(std::move(v))); }
    bool binary(nlohmann::json::binary_t &) { return true; }

    bool key(std::string &k)
    {
        if (m_capturing) {
            if (!m_discarding)
                m_dom.key(k);
        } else if (m_level == 1 && m_rootIsObject) {
            m_rootKey = std::move(k);
        }
        return true;
    }

    bool start_object(std::size_t) { return open(true); }
    bool start_array(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex)
    {
        const qint64 offset = m_docOffset + std::max<qint64>(0, qint64(position) - 1);
        QString text = cleanParseError(ex.what());
        if (m_capturing)
            text += tr(" (the element it was in was dropped)");
        if (m_elements > 0)
            text += QCoreApplication::translate("VendorImporter", "; the %n complete element(s) before it were kept", nullptr,
                                                int(std::min<qint64>(m_elements, std::numeric_limits<int>::max())));
        m_ctx.error(m_line >= 0 ? -1 : offset, m_line, text);
        return false;
    }

private:
    ElementPosition here() const
    {
        ElementPosition p;
        if (m_line >= 0)
            p.line = m_line;
        else
            p.offset = std::max<qint64>(0, m_ctx.reader().offset() - 1);
        return p;
    }

    bool isStreamKey(const std::string &key) const
    {
        return std::find(m_options.streamKeys.begin(), m_options.streamKeys.end(), key) != m_options.streamKeys.end();
    }

    void startCapture(bool member)
    {
        m_capturing = true;
        m_discarding = false;
        m_captureMember = member;
        m_capturePosition = here();
        m_captureLevel = m_level;
        m_dom.reset();
    }

    bool deliver()
    {
        m_capturing = false;
        if (m_discarding) {
            m_discarding = false;
            m_ctx.skipSpan(m_capturePosition.offset, m_capturePosition.line,
                           tr("an element is nested deeper than %1 levels; skipped").arg(m_options.maxDepth));
            return !m_ctx.isCancelled();
        }
        ++m_elements;
        if (m_captureMember)
            m_sink.rootMember(m_rootKey, std::move(m_dom.root()), m_capturePosition);
        else
            m_sink.element(m_container, std::move(m_dom.root()), m_capturePosition);
        m_dom.reset();
        if (m_wholeRoot)
            m_sink.endValue(m_capturePosition);
        if (m_ctx.isCancelled()) {
            m_stop = true;
            return false;
        }
        return true;
    }

    bool scalar(Json &&v)
    {
        if (m_capturing) {
            if (!m_discarding)
                m_dom.value(std::move(v));
            return true;
        }
        if (m_level == 0) {
            if (m_wholeRoot) {
                startCapture(false);
                m_container.clear();
                m_dom.value(std::move(v));
                m_level = 0;
                return deliver();
            }
            m_ctx.error(here().offset, m_line, tr("expected a JSON object or array, found a single value"));
            return true;
        }
        if (m_level == 1 && m_rootIsObject) {
            startCapture(true);
            m_dom.value(std::move(v));
            return deliver();
        }
        if (m_level == m_streamLevel) {
            startCapture(false);
            m_dom.value(std::move(v));
            return deliver();
        }
        return true;
    }

    bool open(bool object)
    {
        if (m_capturing) {
            ++m_level;
            if (m_discarding)
                return true;
            if (m_dom.depth() >= m_options.maxDepth) {
                m_discarding = true;
                return true;
            }
            m_dom.open(object);
            return true;
        }
        if (m_level == 0) {
            if (m_wholeRoot) {
                m_container.clear();
                startCapture(false);
                ++m_level;
                m_dom.open(object);
                return true;
            }
            m_rootIsObject = object;
            ++m_level;
            if (!object) {
                m_streamLevel = 1;
                m_container.clear();
            }
            return true;
        }
        if (m_level == 1 && m_rootIsObject) {
            if (!object && isStreamKey(m_rootKey)) {
                ++m_level;
                m_streamLevel = 2;
                m_container = m_rootKey;
                return true;
            }
            startCapture(true);
            ++m_level;
            m_dom.open(object);
            return true;
        }
        if (m_level == m_streamLevel) {
            startCapture(false);
            ++m_level;
            m_dom.open(object);
            return true;
        }
        ++m_level;
        return true;
    }

    bool close()
    {
        --m_level;
        if (m_capturing) {
            if (!m_discarding)
                m_dom.close();
            if (m_level == m_captureLevel)
                return deliver();
            return true;
        }
        if (m_streamLevel == 2 && m_level == 1)
            m_streamLevel = -1;
        if (m_level == 0) {
            ElementPosition end;
            end.offset = m_line >= 0 ? -1 : m_docOffset;
            end.line = m_line;
            m_sink.endValue(end);
        }
        return true;
    }

    ImportContext &m_ctx;
    ElementSink &m_sink;
    const ElementReaderOptions &m_options;
    DomBuilder m_dom;
    qint64 m_docOffset = 0;
    qint64 m_line = -1;
    bool m_wholeRoot = false;
    int m_level = 0;
    bool m_rootIsObject = false;
    int m_streamLevel = -1;
    std::string m_rootKey;
    std::string m_container;
    bool m_capturing = false;
    bool m_discarding = false;
    bool m_captureMember = false;
    int m_captureLevel = 0;
    ElementPosition m_capturePosition;
    qint64 m_elements = 0;
    bool m_stop = false;
};

void readDocuments(ImportContext &ctx, ElementHandler &handler)
{
    ChunkReader &r = ctx.reader();
    r.setLineMode(false);
    // A UTF-8 byte order mark is not JSON, but editors on Windows write one.
    if (r.offset() == 0 && r.end - r.pos >= 3 && std::memcmp(r.pos, "\xEF\xBB\xBF", 3) == 0)
        r.pos += 3;
    for (int documents = 0;; ++documents) {
        if (ctx.isCancelled())
            return;
        if (!r.skipJsonSpace()) {
            if (documents == 0 && !r.failed())
                ctx.error(r.offset(), -1, tr("no JSON value in the input"));
            return;
        }
        if (documents > 0 && *r.pos != '{' && *r.pos != '[') {
            ctx.error(r.offset(), -1, tr("unexpected data after the JSON document"));
            return;
        }
        handler.begin(r.offset(), -1, false);
        bool ok = false;
        try {
            ok = fastSaxParse(chunkJsonInput(r), &handler, /*strict=*/false);
        } catch (const std::exception &e) {
            ctx.error(r.offset(), -1, QString::fromUtf8(e.what()));
        }
        if (!ok)
            return;
    }
}

void readLines(ImportContext &ctx, ElementHandler &handler)
{
    ChunkReader &r = ctx.reader();
    r.setLineMode(true);
    if (r.offset() == 0 && r.end - r.pos >= 3 && std::memcmp(r.pos, "\xEF\xBB\xBF", 3) == 0) {
        r.pos += 3;
        r.updateStop();
    }
    for (qint64 line = 1;; ++line) {
        if (ctx.isCancelled())
            return;
        r.skipLineIndent();
        if (r.pos == r.end)
            return;
        if (*r.pos != '\n') {
            handler.begin(r.offset(), line, true);
            bool ok = false;
            try {
                ok = fastSaxParse(chunkJsonInput(r), &handler, /*strict=*/true);
            } catch (const std::exception &e) {
                ctx.error(-1, line, QString::fromUtf8(e.what()));
            }
            if (ctx.isCancelled())
                return;
            if (!ok)
                r.skipRestOfLine();
            if (r.atEnd())
                return;
        }
        ++r.pos;  // the '\n'
        r.updateStop();
    }
}

} // namespace

void ElementSink::rootMember(const std::string &key, Json &&value, const ElementPosition &position)
{
    if (!m_rest.is_object()) {
        m_rest = Json::object();
        m_restPosition = position;
    }
    m_rest[key] = std::move(value);
}

void ElementSink::rootObject(Json &&, const ElementPosition &)
{
}

void ElementSink::endValue(const ElementPosition &)
{
    if (m_rest.is_object()) {
        Json rest = std::move(m_rest);
        m_rest = Json();
        rootObject(std::move(rest), m_restPosition);
    }
}

void readJsonElements(ImportContext &ctx, ElementSink &sink, const ElementReaderOptions &options)
{
    ChunkReader &r = ctx.reader();
    const JsonShape shape = JsonShape::analyze(r.head(), r.headIsComplete());
    ElementHandler handler(ctx, sink, options);
    if (shape.kind == JsonShape::Kind::Object && shape.looksLikeJsonLines())
        readLines(ctx, handler);
    else
        readDocuments(ctx, handler);
}

// ---- probe ---------------------------------------------------------------------------------

namespace {

constexpr int kProbeMaxDepth = 6;
constexpr int kProbeItemsPerArray = 3;
constexpr size_t kProbeMaxPaths = 4000;

class ProbeHandler
{
public:
    explicit ProbeHandler(JsonProbe &probe) : m_probe(probe) {}

    bool null() { return scalar(nullptr); }
    bool boolean(bool) { return scalar(nullptr); }
    bool number_integer(std::int64_t) { return scalar(nullptr); }
    bool number_unsigned(std::uint64_t) { return scalar(nullptr); }
    bool number_float(double, const std::string &) { return scalar(nullptr); }
    bool string(std::string &s) { return scalar(&s); }
    bool binary(nlohmann::json::binary_t &) { return true; }
    bool key(std::string &k)
    {
        if (!m_frames.empty())
            m_frames.back().key = k;
        if (visible())
            add(pathOf(k));
        return true;
    }
    bool start_object(std::size_t) { return open(false); }
    bool start_array(std::size_t) { return open(true); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return false; }

private:
    struct Frame {
        bool isArray = false;
        int items = 0;
        std::string path;   // path of this container
        std::string key;    // objects: current key
        bool visible = true;
    };

    bool visible() const { return m_frames.empty() || m_frames.back().visible; }

    std::string pathOf(const std::string &key) const
    {
        const std::string &base = m_frames.back().path;
        return base.empty() ? key : base + "." + key;
    }

    // The path of the value about to start in the current container.
    std::string childPath()
    {
        if (m_frames.empty())
            return {};
        Frame &f = m_frames.back();
        if (f.isArray)
            return f.path + "[]";
        return pathOf(f.key);
    }

    void add(const std::string &p)
    {
        if (m_probe.paths.size() < kProbeMaxPaths)
            m_probe.paths.insert(p);
    }

    bool itemVisible()
    {
        if (m_frames.empty())
            return true;
        Frame &f = m_frames.back();
        if (!f.visible)
            return false;
        if (f.isArray)
            return f.items++ < kProbeItemsPerArray;
        return true;
    }

    bool scalar(const std::string *s)
    {
        const bool vis = itemVisible();
        if (vis && s && !m_frames.empty()) {
            const std::string p = childPath();
            if (!m_probe.values.count(p) && m_probe.values.size() < kProbeMaxPaths)
                m_probe.values.emplace(p, s->substr(0, 200));
        }
        return true;
    }

    bool open(bool isArray)
    {
        const bool vis = itemVisible() && int(m_frames.size()) < kProbeMaxDepth;
        Frame f;
        f.isArray = isArray;
        // Only visible containers need a path: below kProbeMaxDepth each level would copy and
        // extend its parent's, O(depth²) memory for deeply nested input (2 GB at 10,000 levels).
        if (vis)
            f.path = childPath();
        f.visible = vis;
        if (vis && isArray && !m_frames.empty())
            add(f.path + "[]");
        m_frames.push_back(std::move(f));
        return true;
    }

    bool close()
    {
        if (!m_frames.empty())
            m_frames.pop_back();
        return true;
    }

    JsonProbe &m_probe;
    std::vector<Frame> m_frames;
};

struct CursorIterator {
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;
    const char **pos = nullptr;
    const char *end = nullptr;
    reference operator*() const { return **pos; }
    CursorIterator &operator++() { ++*pos; return *this; }
    CursorIterator operator++(int) { CursorIterator old = *this; ++*pos; return old; }
    bool atEnd() const { return !pos || *pos == end; }
    friend bool operator==(const CursorIterator &a, const CursorIterator &b) { return a.atEnd() == b.atEnd(); }
};

} // namespace

std::string JsonProbe::value(const std::string &p) const
{
    const auto it = values.find(p);
    return it == values.end() ? std::string() : it->second;
}

bool JsonProbe::hasAny(std::initializer_list<const char *> list) const
{
    for (const char *p : list) {
        if (paths.count(p))
            return true;
    }
    return false;
}

int JsonProbe::countOf(std::initializer_list<const char *> list) const
{
    int n = 0;
    for (const char *p : list)
        n += paths.count(p) ? 1 : 0;
    return n;
}

const JsonProbe &JsonProbe::of(QByteArrayView head, bool complete)
{
    struct Cache {
        const char *data = nullptr;
        qsizetype size = -1;
        bool complete = false;
        size_t hash = 0;
        JsonProbe probe;
    };
    thread_local Cache cache;
    const size_t h = qHash(head);
    if (cache.data == head.data() && cache.size == head.size() && cache.complete == complete && cache.hash == h)
        return cache.probe;
    cache.data = head.data();
    cache.size = head.size();
    cache.complete = complete;
    cache.hash = h;
    JsonProbe &probe = cache.probe;
    probe = JsonProbe();

    const JsonShape shape = JsonShape::analyze(head, complete);
    switch (shape.kind) {
    case JsonShape::Kind::Empty: probe.kind = Kind::Empty; return probe;
    case JsonShape::Kind::Scalar: probe.kind = Kind::Scalar; return probe;
    case JsonShape::Kind::Object: probe.kind = Kind::Object; break;
    case JsonShape::Kind::Array: probe.kind = Kind::Array; break;
    case JsonShape::Kind::NotJson: {
        // A damaged document still says what it is before the damage; the importer then reports
        // where it broke.
        qsizetype i = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
        while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
            ++i;
        if (i < head.size() && head[i] == '{')
            probe.kind = Kind::Object;
        else if (i < head.size() && head[i] == '[')
            probe.kind = Kind::Array;
        else
            return probe;
        break;
    }
    }
    probe.jsonLines = shape.kind == JsonShape::Kind::Object && shape.looksLikeJsonLines();

    const char *p = head.data();
    const char *end = p + head.size();
    if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    ProbeHandler handler(probe);
    try {
        nlohmann::json::sax_parse(CursorIterator{&p, end}, CursorIterator{}, &handler, nlohmann::json::input_format_t::json,
                                  /*strict=*/false);
    } catch (const std::exception &) {
        // What was seen before the problem is what counts.
    }
    return probe;
}

} // namespace spanscope::vendor
