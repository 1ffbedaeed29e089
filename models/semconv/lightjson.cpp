#include "lightjson.h"

#include <algorithm>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace spanscope::semconv::detail {

namespace {

// parseJson() refuses containers nested deeper than this; so does LightJson.
constexpr int kMaxDepth = 64;

bool isSpace(char16_t c)
{
    return c == u' ' || c == u'\n' || c == u'\r' || c == u'\t';
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// The length of the run at `p` (up to `end`) of code units a string holds as they are: no quote,
// backslash, control character or surrogate. Eight at a time where SSE2 is there; the caller
// looks at the unit that ends the run.
qsizetype plainRun(const char16_t *p, const char16_t *end)
{
    const char16_t *q = p;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi16(u'"');
    const __m128i backslash = _mm_set1_epi16(u'\\');
    const __m128i space = _mm_set1_epi16(0x20);
    const __m128i surrogateMask = _mm_set1_epi16(short(0xF800));
    const __m128i surrogate = _mm_set1_epi16(short(0xD800));
    const __m128i zero = _mm_setzero_si128();
    const __m128i ones = _mm_set1_epi16(-1);
    while (end - q >= 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(q));
        // v < 0x20 where 0x20 - v (saturating) is not zero
        const __m128i control = _mm_andnot_si128(_mm_cmpeq_epi16(_mm_subs_epu16(space, v), zero), ones);
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)),
                                             _mm_or_si128(control, _mm_cmpeq_epi16(_mm_and_si128(v, surrogateMask), surrogate)));
        if (_mm_movemask_epi8(special) != 0)
            break;
        q += 8;
    }
#endif
    while (q < end && *q != u'"' && *q != u'\\' && *q >= 0x20 && (*q & 0xF800) != 0xD800)
        ++q;
    return q - p;
}

} // namespace

bool LightJson::parse(QStringView text)
{
    m_source = text;
    m_begin = m_pos = text.utf16();
    m_end = m_begin + text.size();
    m_nodes.clear();
    m_unescapedUsed = 0;
    if (text.size() >= std::numeric_limits<qint32>::max() / 2)
        return false;
    skipSpace();
    if (!value(0))
        return false;
    skipSpace();
    return m_pos == m_end;
}

void LightJson::skipSpace()
{
    while (m_pos < m_end && isSpace(*m_pos))
        ++m_pos;
}

bool LightJson::value(int depth)
{
    if (m_pos == m_end)
        return false;
    const qint32 index = qint32(m_nodes.size());
    m_nodes.emplace_back();
    m_nodes.back().sourceBegin = qint32(m_pos - m_begin);
    bool ok = false;
    switch (*m_pos) {
    case u'{':
    case u'[': {
        if (depth + 1 > kMaxDepth)
            return false;
        const bool object = *m_pos == u'{';
        const char16_t close = object ? u'}' : u']';
        m_nodes[size_t(index)].type = object ? Type::Object : Type::Array;
        ++m_pos;
        skipSpace();
        if (m_pos < m_end && *m_pos == close) {
            ++m_pos;
            ok = true;
            break;
        }
        for (;;) {
            QStringView key;
            if (object) {
                if (m_pos == m_end || *m_pos != u'"' || !string(&key))
                    return false;
                skipSpace();
                if (m_pos == m_end || *m_pos != u':')
                    return false;
                ++m_pos;
                skipSpace();
            }
            const size_t child = m_nodes.size();
            if (!value(depth + 1))
                return false;
            m_nodes[child].key = key;
            const Next next = afterItem(close);
            if (next == Next::Error)
                return false;
            if (next == Next::Closed)
                break;
        }
        ok = true;
        break;
    }
    case u'"': {
        QStringView s;
        ok = string(&s);
        m_nodes[size_t(index)].type = Type::String;
        m_nodes[size_t(index)].string = s;
        break;
    }
    case u't': ok = literal("true", Type::True); break;
    case u'f': ok = literal("false", Type::False); break;
    case u'n': ok = literal("null", Type::Null); break;
    default:
        m_nodes[size_t(index)].type = Type::Number;
        ok = number();
        break;
    }
    if (!ok)
        return false;
    Node &n = m_nodes[size_t(index)];
    n.sourceEnd = qint32(m_pos - m_begin);
    n.end = qint32(m_nodes.size());
    return true;
}

// After a container's item: a comma (and the next item's leading space) or the closing bracket.
LightJson::Next LightJson::afterItem(char16_t close)
{
    skipSpace();
    if (m_pos == m_end)
        return Next::Error;
    if (*m_pos == u',') {
        ++m_pos;
        skipSpace();
        return Next::Item;
    }
    if (*m_pos != close)
        return Next::Error;
    ++m_pos;
    return Next::Closed;
}

bool LightJson::literal(const char *word, Type type)
{
    const char16_t *p = m_pos;
    for (; *word; ++word, ++p) {
        if (p == m_end || *p != char16_t(*word))
            return false;
    }
    m_pos = p;
    m_nodes.back().type = type;
    return true;
}

// RFC 8259's grammar (nlohmann's): -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
// nlohmann also refuses a number beyond the range of a double ("number overflow"): a long number
// or one with an exponent of three or more digits is left to it.
bool LightJson::number()
{
    constexpr qsizetype MaxTaken = 24;  // no number of at most 24 characters overflows a double
    const char16_t *p = m_pos;
    if (p < m_end && *p == u'-')
        ++p;
    if (p == m_end || !isDigit(*p))
        return false;
    if (*p == u'0') {
        ++p;
    } else {
        while (p < m_end && isDigit(*p))
            ++p;
    }
    if (p < m_end && *p == u'.') {
        ++p;
        if (p == m_end || !isDigit(*p))
            return false;
        while (p < m_end && isDigit(*p))
            ++p;
    }
    if (p < m_end && (*p == u'e' || *p == u'E')) {
        ++p;
        if (p < m_end && (*p == u'+' || *p == u'-'))
            ++p;
        const char16_t *digits = p;
        if (p == m_end || !isDigit(*p))
            return false;
        while (p < m_end && isDigit(*p))
            ++p;
        if (p - digits > 2)
            return false;
    }
    if (p - m_pos > MaxTaken)
        return false;
    m_pos = p;
    return true;
}

// At the opening quote. Plain strings are views into the text; a string with escapes is written
// unescaped to m_unescaped.
bool LightJson::string(QStringView *out)
{
    const char16_t *start = ++m_pos;
    const char16_t *p = start;
    char16_t *wStart = nullptr;  // where the unescaped copy starts, once an escape was seen
    char16_t *w = nullptr;       // and where it goes on
    while (p < m_end) {
        const qsizetype run = plainRun(p, m_end);
        if (w) {
            std::copy(p, p + run, w);
            w += run;
        }
        p += run;
        if (p == m_end)
            break;
        const char16_t c = *p;
        if (c == u'"') {
            if (w) {
                *out = QStringView(wStart, w - wStart);
                m_unescapedUsed = size_t(w - m_unescaped.data());
            } else {
                *out = QStringView(start, p - start);
            }
            m_pos = p + 1;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c >= 0xD800 && c <= 0xDFFF) {
            // A surrogate pair is kept; an unpaired surrogate is left to nlohmann's rules.
            if (c >= 0xDC00 || p + 1 == m_end || p[1] < 0xDC00 || p[1] > 0xDFFF)
                return false;
            if (w) {
                *w++ = c;
                *w++ = p[1];
            }
            p += 2;
            continue;
        }
        if (c != u'\\') {
            if (w)
                *w++ = c;
            ++p;
            continue;
        }
        if (!w) {
            if (m_unescaped.size() < size_t(m_end - m_begin))
                m_unescaped.resize(size_t(m_end - m_begin));
            wStart = m_unescaped.data() + m_unescapedUsed;
            w = std::copy(start, p, wStart);
        }
        if (p + 1 == m_end)
            return false;
        const char16_t e = p[1];
        p += 2;
        switch (e) {
        case u'"': *w++ = u'"'; break;
        case u'\\': *w++ = u'\\'; break;
        case u'/': *w++ = u'/'; break;
        case u'b': *w++ = u'\b'; break;
        case u'f': *w++ = u'\f'; break;
        case u'n': *w++ = u'\n'; break;
        case u'r': *w++ = u'\r'; break;
        case u't': *w++ = u'\t'; break;
        case u'u': {
            if (m_end - p < 4)
                return false;
            int code = 0;
            for (int i = 0; i < 4; ++i) {
                const int h = hexValue(p[i]);
                if (h < 0)
                    return false;
                code = code * 16 + h;
            }
            // Surrogates written as escapes (paired or not) follow nlohmann's rules.
            if (code >= 0xD800 && code <= 0xDFFF)
                return false;
            *w++ = char16_t(code);
            p += 4;
            break;
        }
        default: return false;
        }
    }
    return false;  // no closing quote
}

} // namespace spanscope::semconv::detail
