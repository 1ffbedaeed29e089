#include "jsonshape.h"

#include "fastjson.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <iterator>

namespace spanscope {

namespace {

constexpr int MaxKeys = 6;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class ShapeHandler
{
public:
    explicit ShapeHandler(JsonShape &shape) : m_shape(shape) {}

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(std::int64_t) { return true; }
    bool number_unsigned(std::uint64_t) { return true; }
    bool number_float(double, const std::string &) { return true; }
    bool string(std::string &) { return true; }
    bool binary(nlohmann::json::binary_t &) { return true; }
    bool start_object(std::size_t) { ++m_depth; return true; }
    bool end_object() { --m_depth; return true; }
    bool start_array(std::size_t) { ++m_depth; return true; }
    bool end_array() { --m_depth; return true; }
    bool key(std::string &k)
    {
        if (m_depth != 1)
            return true;
        if (k == "resourceSpans" || k == "resource_spans")
            m_shape.hasResourceSpans = true;
        if (m_shape.keys.size() < MaxKeys)
            m_shape.keys.push_back(QString::fromUtf8(k.data(), qsizetype(k.size())));
        return true;
    }
    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex)
    {
        m_errorPosition = position;
        m_error = ex.what();
        return false;
    }

    std::size_t m_errorPosition = 0;
    std::string m_error;

private:
    JsonShape &m_shape;
    int m_depth = 0;
};

bool startsWithResourceSpans(const char *p, const char *end)
{
    while (p != end && (*p == ' ' || *p == '\t' || *p == '\r'))
        ++p;
    if (p == end || *p != '{')
        return false;
    ++p;
    while (p != end && isSpace(*p))
        ++p;
    static constexpr const char *names[] = {"\"resourceSpans\"", "\"resource_spans\""};
    for (const char *name : names) {
        const size_t n = std::strlen(name);
        if (size_t(end - p) >= n && std::memcmp(p, name, n) == 0)
            return true;
    }
    return false;
}

} // namespace

bool JsonShape::looksLikeJsonLines() const
{
    if (kind != Kind::Object)
        return linesStartingWithResourceSpans > 1;
    if (multiline)
        return false;
    // A first line longer than the head: compact, as a line-oriented exporter writes it.
    return firstValueComplete ? moreValuesFollow : true;
}

JsonShape JsonShape::analyze(QByteArrayView head, bool complete)
{
    JsonShape shape;
    const char *begin = head.data();
    const char *end = begin + head.size();
    const char *p = begin;
    if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p != end && isSpace(*p))
        ++p;

    for (const char *line = p; line && line < end;) {
        if (startsWithResourceSpans(line, end))
            ++shape.linesStartingWithResourceSpans;
        const void *nl = std::memchr(line, '\n', size_t(end - line));
        line = nl ? static_cast<const char *>(nl) + 1 : nullptr;
    }

    if (p == end) {
        shape.kind = Kind::Empty;
        return shape;
    }
    const char first = *p;
    if (first == '{')
        shape.kind = Kind::Object;
    else if (first == '[')
        shape.kind = Kind::Array;
    else if (first == '"' || first == '-' || (first >= '0' && first <= '9') || first == 't' || first == 'f' || first == 'n')
        shape.kind = Kind::Scalar;
    else {
        shape.kind = Kind::NotJson;
        return shape;
    }

    // The importers' parser (fastjson.h): invalid UTF-8 in a string is not the end of the first
    // value here either (it would make a one-line document look like JSON lines).
    FastJsonMemory cursor{p, end};
    ShapeHandler handler(shape);
    bool ok = false;
    try {
        ok = fastSaxParse(cursor.input(), &handler, /*strict=*/false);
    } catch (const std::exception &e) {
        handler.m_error = e.what();
    }
    const char *valueEnd = ok ? cursor.pos : end;
    shape.firstValueComplete = ok;
    shape.multiline = std::memchr(p, '\n', size_t(valueEnd - p)) != nullptr;
    if (ok) {
        const char *q = valueEnd;
        bool newline = false;
        while (q != end && isSpace(*q)) {
            newline = newline || *q == '\n';
            ++q;
        }
        shape.moreValuesFollow = q != end && newline;
    } else if (complete || handler.m_errorPosition < size_t(end - p)) {
        // Running out of head is expected for a big first value; anything else is broken JSON.
        shape.error = QString::fromStdString(handler.m_error);
        if (shape.kind != Kind::Object || shape.keys.isEmpty())
            shape.kind = Kind::NotJson;
    }
    return shape;
}

} // namespace spanscope
