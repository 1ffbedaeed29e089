#include "redaction.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace spanscope::redaction {

namespace {

// Anything a rule below can match contains one of these (case-insensitively): sk-, bearer,
// basic, api?key, authorization, client?secret, secret?key, access?token, refresh?token,
// password, aiza, akia, gh[pous]_, github_pat_, hf_, xox[bpas]-, [?&](key|token|sig|signature)=.
// Text without them — nearly all of it — costs one pass over its characters, no regex.
char16_t lower(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
}

// `word` (lower-case ASCII) at p, case-insensitively; advances p past it.
bool take(const char16_t *&p, const char16_t *e, const char *word)
{
    const char16_t *q = p;
    for (; *word; ++word, ++q) {
        if (q == e || lower(*q) != char16_t(*word))
            return false;
    }
    p = q;
    return true;
}

// `a`, any one character or none, then `b`.
bool takeSeparated(const char16_t *p, const char16_t *e, const char *a, const char *b)
{
    if (!take(p, e, a))
        return false;
    const char16_t *q = p;
    if (take(q, e, b))
        return true;
    if (p == e)
        return false;
    ++p;
    return take(p, e, b);
}

// Whether a trigger starts at p: a letter starting a word, or '?' / '&'.
bool triggerAt(const char16_t *p, const char16_t *e)
{
    const char16_t *q = p;
    switch (lower(*p)) {
    case u's':
        if (take(q, e, "sk-") || takeSeparated(p, e, "secret", "key"))
            return true;
        break;
    case u'b':
        if (take(q, e, "bearer") || take(q, e, "basic"))
            return true;
        break;
    case u'a':
        if (takeSeparated(p, e, "api", "key") || take(q, e, "authorization") || takeSeparated(p, e, "access", "token")
            || take(q, e, "aiza") || take(q, e, "akia"))
            return true;
        break;
    case u'c':
        if (takeSeparated(p, e, "client", "secret"))
            return true;
        break;
    case u'r':
        if (takeSeparated(p, e, "refresh", "token"))
            return true;
        break;
    case u'p':
        if (take(q, e, "password"))
            return true;
        break;
    case u'g':
        if (take(q, e, "github_pat_"))
            return true;
        if (take(q, e, "gh") && q + 1 < e && (lower(*q) == u'p' || lower(*q) == u'o' || lower(*q) == u'u' || lower(*q) == u's')
            && q[1] == u'_')
            return true;
        break;
    case u'h':
        if (take(q, e, "hf_"))
            return true;
        break;
    case u'x':
        if (take(q, e, "xox") && q + 1 < e && (lower(*q) == u'b' || lower(*q) == u'p' || lower(*q) == u'a' || lower(*q) == u's')
            && q[1] == u'-')
            return true;
        break;
    case u'?':
    case u'&': {
        ++q;
        const char16_t *r = q;
        if (take(r, e, "key=") || take(r = q, e, "token=") || take(r = q, e, "sig=") || take(r = q, e, "signature="))
            return true;
        break;
    }
    default:
        break;
    }
    return false;
}

// The first two letters (lower case) of every word triggerAt() looks for, as a bit per second
// letter for each first one. A word start whose next character is not among them cannot start a
// trigger: in ordinary text that spares triggerAt() most of the words starting with a, b, c, …
constexpr std::array<quint32, 26> TriggerSecondLetters = [] {
    std::array<quint32, 26> bits{};
    for (const char *pair : {"sk", "se", "be", "ba", "ap", "au", "ac", "ai", "ak", "cl", "re", "pa", "gi", "gh", "hf", "xo"})
        bits[size_t(pair[0] - 'a')] |= 1u << (pair[1] - 'a');
    return bits;
}();

// Whether the candidate at p (a trigger letter starting a word, or '?' / '&') may start a trigger.
bool maybeTriggerAt(const char16_t *p, const char16_t *e)
{
    const char16_t first = char16_t(*p | 0x20);
    if (first < u'a' || first > u'z')
        return true;  // '?' or '&'
    if (p + 1 == e)
        return false;
    const char16_t second = char16_t(p[1] | 0x20);
    return second >= u'a' && second <= u'z' && (TriggerSecondLetters[first - u'a'] >> (second - u'a')) & 1;
}

// The letters a trigger word starts with (see triggerAt()), which the block scans look for.
constexpr char TriggerFirstLetters[] = {'s', 'b', 'a', 'c', 'r', 'p', 'g', 'h', 'x'};

// A block scan's candidates: bit pair 2i set for the unit p[i] (a movemask of 16-bit lanes).
// True when one of them starts a trigger.
bool triggerInMask(unsigned mask, const char16_t *p, const char16_t *e)
{
    while (mask) {
        const int lane = __builtin_ctz(mask) / 2;
        if (maybeTriggerAt(p + lane, e) && triggerAt(p + lane, e))
            return true;
        mask &= ~(3u << (2 * lane));
    }
    return false;
}

bool isAlnumOrNonAscii(char16_t c)
{
    return c >= 128 || (c >= u'0' && c <= u'9') || (char16_t(c | 0x20) >= u'a' && char16_t(c | 0x20) <= u'z');
}

bool startsTrigger(char16_t c, bool afterAlnum)
{
    if (c == u'?' || c == u'&')
        return true;
    if (afterAlnum)
        return false;
    switch (lower(c)) {
    case u's': case u'b': case u'a': case u'c': case u'r': case u'p': case u'g': case u'h': case u'x': return true;
    default: return false;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define SPANSCOPE_AVX2_SCAN 1
// mayHoldSecret()'s scan, sixteen UTF-16 units at a time, on processors with AVX2 (nearly all
// x86-64 ones of the last ten years; the build itself targets plain x86-64). Advances p over the
// blocks it looked at; true when one of them holds a trigger.
__attribute__((target("avx2"))) bool scanAvx2(const char16_t *&p, const char16_t *e, bool &afterAlnum)
{
    // (Macros: a lambda would not inherit this function's target.)
    const __m256i zero = _mm256_setzero_si256();
#define SPANSCOPE_AT_MOST(x, limit) _mm256_cmpeq_epi16(_mm256_subs_epu16((x), _mm256_set1_epi16(limit)), zero)  // unsigned, per lane
#define SPANSCOPE_EQUALS(x, c) _mm256_cmpeq_epi16((x), _mm256_set1_epi16(short(c)))
    const __m256i lane0 = _mm256_set_epi16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1);
    for (; e - p >= 16; p += 16) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
        const __m256i folded = _mm256_or_si256(v, _mm256_set1_epi16(0x20));
        const __m256i letter = SPANSCOPE_AT_MOST(_mm256_sub_epi16(folded, _mm256_set1_epi16('a')), 25);
        const __m256i digit = SPANSCOPE_AT_MOST(_mm256_sub_epi16(v, _mm256_set1_epi16('0')), 9);
        const __m256i nonAscii = _mm256_andnot_si256(SPANSCOPE_AT_MOST(v, 127), _mm256_set1_epi16(-1));
        const __m256i alnum = _mm256_or_si256(_mm256_or_si256(letter, digit), nonAscii);
        __m256i trigger = _mm256_setzero_si256();
        for (const char c : TriggerFirstLetters)
            trigger = _mm256_or_si256(trigger, SPANSCOPE_EQUALS(folded, c));
        trigger = _mm256_and_si256(trigger, letter);
        // Unit i gets alnum[i - 1] (across the two 128-bit halves); unit 0 the previous block's last.
        const __m256i carried = _mm256_permute2x128_si256(alnum, alnum, 0x08);
        const __m256i before = _mm256_or_si256(_mm256_alignr_epi8(alnum, carried, 14), afterAlnum ? lane0 : zero);
        const __m256i candidates =
            _mm256_or_si256(_mm256_andnot_si256(before, trigger), _mm256_or_si256(SPANSCOPE_EQUALS(v, '?'), SPANSCOPE_EQUALS(v, '&')));
        if (triggerInMask(unsigned(_mm256_movemask_epi8(candidates)), p, e))
            return true;
        afterAlnum = (unsigned(_mm256_movemask_epi8(alnum)) >> 30) & 1;
    }
#undef SPANSCOPE_AT_MOST
#undef SPANSCOPE_EQUALS
    return false;
}
#endif

bool mayHoldSecret(QStringView text)
{
    const char16_t *p = text.utf16();
    const char16_t *const e = p + text.size();
    // Every trigger starts a word ("x-api-key", "openai_api_key", "Bearer …", "sk-…"), so only a
    // trigger letter that starts a word (follows no letter, digit or non-ASCII character), or a
    // URL parameter separator, is looked at more closely.
    bool afterAlnum = false;
#ifdef SPANSCOPE_AVX2_SCAN
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2 && e - p >= 16 && scanAvx2(p, e, afterAlnum))
        return true;
#endif
#ifdef __SSE2__
    // Eight UTF-16 units at a time: a few compares find the candidates, and only they get a
    // closer look. This scan over every string of every span was the import's hottest function.
    const __m128i zero = _mm_setzero_si128();
    auto atMost = [&](__m128i x, short limit) {  // unsigned x <= limit, per lane
        return _mm_cmpeq_epi16(_mm_subs_epu16(x, _mm_set1_epi16(limit)), zero);
    };
    auto equals = [](__m128i x, char c) { return _mm_cmpeq_epi16(x, _mm_set1_epi16(short(c))); };
    const __m128i lane0 = _mm_set_epi16(0, 0, 0, 0, 0, 0, 0, -1);
    for (; e - p >= 8; p += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i folded = _mm_or_si128(v, _mm_set1_epi16(0x20));
        const __m128i letter = atMost(_mm_sub_epi16(folded, _mm_set1_epi16('a')), 25);
        const __m128i digit = atMost(_mm_sub_epi16(v, _mm_set1_epi16('0')), 9);
        const __m128i nonAscii = _mm_andnot_si128(atMost(v, 127), _mm_set1_epi16(-1));
        const __m128i alnum = _mm_or_si128(_mm_or_si128(letter, digit), nonAscii);
        __m128i trigger = zero;
        for (const char c : TriggerFirstLetters)
            trigger = _mm_or_si128(trigger, equals(folded, c));
        trigger = _mm_and_si128(trigger, letter);
        const __m128i before = _mm_or_si128(_mm_slli_si128(alnum, 2), afterAlnum ? lane0 : zero);
        const __m128i candidates = _mm_or_si128(_mm_andnot_si128(before, trigger), _mm_or_si128(equals(v, '?'), equals(v, '&')));
        if (triggerInMask(unsigned(_mm_movemask_epi8(candidates)), p, e))
            return true;
        afterAlnum = (_mm_movemask_epi8(alnum) >> 14) & 1;
    }
#endif
    for (; p != e; ++p) {
        if (startsTrigger(*p, afterAlnum) && maybeTriggerAt(p, e) && triggerAt(p, e))
            return true;
        afterAlnum = isAlnumOrNonAscii(*p);
    }
    return false;
}

const QString &credentialNames()
{
    static const QString names = QStringLiteral(
        "(?:[A-Za-z0-9_-]*[-_])?(?:authorization|api[-_]?key|client[-_]?secret|secret[-_]?key|access[-_]?token|refresh[-_]?token|password)");
    return names;
}

// "name": "value" in JSON text, for a credential name.
const QRegularExpression &jsonMember()
{
    static const QRegularExpression re(QStringLiteral("(\"%1\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")").arg(credentialNames()),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

// name: value / name=value in header dumps and config text (not inside quotes).
const QRegularExpression &plainMember()
{
    static const QRegularExpression re(QStringLiteral("(?<![\"\\w-])(%1\\s*[:=]\\s*)(?!\")([^\\s,;&\"'}]+(?: [^\\s,;&\"'}]+)?)")
                                           .arg(credentialNames()),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &authScheme()
{
    static const QRegularExpression re(QStringLiteral("\\b(Bearer|Basic)(\\s+)([A-Za-z0-9._~+/=-]{2,})"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &providerKey()
{
    static const QRegularExpression re(
        QStringLiteral("(?<![A-Za-z0-9])(?:(sk-(?:proj-|ant-(?:api\\d+-|admin\\d+-)?|svcacct-|admin-|or-v1-)?)[A-Za-z0-9_-]{8,}+"
                       "|(AIza)[0-9A-Za-z_-]{30,}+|(AKIA)[0-9A-Z]{16}+|(gh[pous]_|github_pat_)[A-Za-z0-9_]{20,}+"
                       "|(hf_)[A-Za-z0-9]{20,}+|(xox[bpas]-)[A-Za-z0-9-]{10,}+)(?!\\[)"));
    return re;
}

const QRegularExpression &urlParameter()
{
    static const QRegularExpression re(QStringLiteral("([?&](?:api[_-]?key|apikey|access_token|key|token|sig|signature)=)([^&#\\s\"']+)"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

bool alreadyRedacted(QStringView s)
{
    return s.startsWith(QLatin1String("[REDACTED"));
}

// Replaces capture `group` of every match with what `replacement` returns for it.
template<typename F>
bool replaceGroup(QString &text, const QRegularExpression &re, int group, F replacement)
{
    QString out;
    qsizetype last = 0;
    bool changed = false;
    QRegularExpressionMatchIterator it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString value = m.captured(group);
        const QString replaced = replacement(m, value);
        if (replaced == value)
            continue;
        out += QStringView(text).mid(last, m.capturedStart(group) - last);
        out += replaced;
        last = m.capturedEnd(group);
        changed = true;
    }
    if (changed) {
        out += QStringView(text).mid(last);
        text = std::move(out);
    }
    return changed;
}

// A credential value in JSON text is JSON-escaped: redact it unescaped-agnostically.
QString credentialReplacement(const QString &value)
{
    if (value.isEmpty() || value.contains(Marker))
        return value;
    return redactCredential(value);
}

bool isLikelyBasicToken(QStringView token)
{
    if (token.size() < 8)
        return false;
    for (const QChar c : token) {
        if (c.isDigit() || c == u'=' || c == u'+' || c == u'/')
            return true;
    }
    return false;
}

bool isLikelyBearerToken(QStringView token)
{
    for (const QChar c : token) {
        if (c.isDigit() || c == u'-' || c == u'_' || c == u'.' || c == u'=' || c == u'/' || c == u'+' || c == u'~')
            return true;
    }
    return token.size() >= 20;
}

QString redactTextImpl(const QString &input, bool *changed)
{
    if (input.size() < 4 || !mayHoldSecret(input)) {
        if (changed)
            *changed = false;
        return input;
    }
    QString text = input;
    bool any = false;
    any |= replaceGroup(text, jsonMember(), 2, [](const QRegularExpressionMatch &, const QString &v) { return credentialReplacement(v); });
    any |= replaceGroup(text, plainMember(), 2, [](const QRegularExpressionMatch &, const QString &v) {
        if (alreadyRedacted(v) || v.contains(Marker))
            return v;
        return redactCredential(v);
    });
    any |= replaceGroup(text, authScheme(), 3, [](const QRegularExpressionMatch &m, const QString &v) {
        const bool basic = m.captured(1).compare(QLatin1String("basic"), Qt::CaseInsensitive) == 0;
        if (basic ? !isLikelyBasicToken(v) : !isLikelyBearerToken(v))
            return v;
        return QString(Marker);
    });
    // Provider keys: keep the prefix group that matched, replace the rest of the match.
    {
        QString out;
        qsizetype last = 0;
        bool found = false;
        QRegularExpressionMatchIterator it = providerKey().globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            QString prefix;
            for (int g = 1; g <= m.lastCapturedIndex(); ++g) {
                if (m.capturedStart(g) >= 0) {
                    prefix = m.captured(g);
                    break;
                }
            }
            out += QStringView(text).mid(last, m.capturedStart(0) - last);
            out += prefix + Marker;
            last = m.capturedEnd(0);
            found = true;
        }
        if (found) {
            out += QStringView(text).mid(last);
            text = std::move(out);
            any = true;
        }
    }
    any |= replaceGroup(text, urlParameter(), 2, [](const QRegularExpressionMatch &, const QString &v) {
        return alreadyRedacted(v) || v.contains(Marker) ? v : QString(Marker);
    });
    if (changed)
        *changed = any;
    return any ? text : input;
}

int redactValue(QVariant &value, bool credential);

int redactString(QString &s, bool credential)
{
    if (s.isEmpty())
        return 0;
    if (credential) {
        const QString r = redactCredential(s);
        if (r == s)
            return 0;
        s = r;
        return 1;
    }
    bool changed = false;
    QString r = redactTextImpl(s, &changed);
    if (!changed)
        return 0;
    s = std::move(r);
    return 1;
}

// Whether redactString() could change `s`: a credential value that is not redacted yet, or
// text in which mayHoldSecret() finds a trigger. These checks only read, so values without
// secrets (nearly all) are neither copied nor detached: writing through a shared list or map
// deep-copies it, and a span's resource attributes are shared by every span of its resource.
bool stringMayChange(const QString &s, bool credential)
{
    if (s.isEmpty())
        return false;
    if (credential)
        return !s.contains(Marker);
    return s.size() >= 4 && mayHoldSecret(s);
}

bool valueMayChange(const QVariant &value, bool credential)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return stringMayChange(*static_cast<const QString *>(value.constData()), credential);
    case QMetaType::QVariantList: {
        const auto &list = *static_cast<const QVariantList *>(value.constData());
        return std::any_of(list.cbegin(), list.cend(), [&](const QVariant &v) { return valueMayChange(v, credential); });
    }
    case QMetaType::QVariantMap: {
        const auto &map = *static_cast<const QVariantMap *>(value.constData());
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (valueMayChange(it.value(), credential || isCredentialKey(it.key())))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

bool attributeMayChange(const Attribute &a)
{
    const int type = a.value.typeId();
    if (type == QMetaType::Bool)
        return false;
    if (type == QMetaType::LongLong || type == QMetaType::Double)
        return isCredentialKey(a.key);
    return valueMayChange(a.value, isCredentialKey(a.key));
}

int redactValue(QVariant &value, bool credential)
{
    if (!valueMayChange(value, credential))
        return 0;
    switch (value.typeId()) {
    case QMetaType::QString: {
        QString s = value.toString();
        const int n = redactString(s, credential);
        if (n)
            value = s;
        return n;
    }
    case QMetaType::QVariantList: {
        QVariantList list = value.toList();
        int n = 0;
        for (QVariant &v : list)
            n += redactValue(v, credential);
        if (n)
            value = list;
        return n;
    }
    case QMetaType::QVariantMap: {
        QVariantMap map = value.toMap();
        int n = 0;
        for (auto it = map.begin(); it != map.end(); ++it)
            n += redactValue(it.value(), credential || isCredentialKey(it.key()));
        if (n)
            value = map;
        return n;
    }
    default:
        return 0;
    }
}

int redactAttributes(Attributes &attributes)
{
    const Attributes &read = attributes;
    if (std::none_of(read.cbegin(), read.cend(), attributeMayChange))
        return 0;  // not detached: resource attributes are shared by every span of the resource
    int n = 0;
    for (Attribute &a : attributes) {
        const int type = a.value.typeId();
        const bool scalar = type == QMetaType::Bool || type == QMetaType::LongLong || type == QMetaType::Double;
        if (scalar && type != QMetaType::Bool && isCredentialKey(a.key)) {
            a.value = QString(Marker);   // a numeric PIN or key is a secret too
            ++n;
        } else if (!scalar) {
            n += redactValue(a.value, isCredentialKey(a.key));
        }
    }
    return n;
}

int redactMessages(Messages &messages)
{
    const Messages &read = messages;
    const bool any = std::any_of(read.cbegin(), read.cend(), [](const Message &m) {
        return stringMayChange(m.content, false) || std::any_of(m.toolCalls.cbegin(), m.toolCalls.cend(), [](const ToolCall &c) {
                   return stringMayChange(c.arguments, false);
               });
    });
    if (!any)
        return 0;
    int n = 0;
    for (Message &m : messages) {
        n += redactString(m.content, false);
        for (ToolCall &c : m.toolCalls)
            n += redactString(c.arguments, false);
    }
    return n;
}

int redactMap(QVariantMap &map)
{
    if (map.isEmpty())
        return 0;
    bool any = false;
    for (auto it = map.cbegin(); !any && it != map.cend(); ++it)
        any = valueMayChange(it.value(), isCredentialKey(it.key()));
    if (!any)
        return 0;
    QVariant v(map);
    const int n = redactValue(v, false);
    if (n)
        map = v.toMap();
    return n;
}

} // namespace

bool isCredentialKey(QStringView key)
{
    // The key's last dot-separated part, lower-cased with '-' read as '_', against the names
    // below; compared in place (this runs for every attribute of every imported span).
    const QStringView k = key.mid(key.lastIndexOf(QLatin1Char('.')) + 1);
    auto fold = [](QChar c) {
        const char16_t u = c.unicode();
        if (u < 128)
            return u == u'-' ? u'_' : lower(u);
        return char16_t(c.toLower().unicode());
    };
    auto endsWith = [&](QLatin1StringView name) {
        if (k.size() < name.size())
            return false;
        const QStringView tail = k.last(name.size());
        for (qsizetype i = 0; i < name.size(); ++i) {
            if (fold(tail[i]) != char16_t(uchar(name[i].toLatin1())))
                return false;
        }
        return true;
    };
    if (endsWith(QLatin1StringView("api_key")) || endsWith(QLatin1StringView("apikey")))
        return true;
    static constexpr QLatin1StringView names[] = {
        QLatin1StringView("authorization"), QLatin1StringView("proxy_authorization"), QLatin1StringView("client_secret"),
        QLatin1StringView("secret_key"),    QLatin1StringView("access_token"),        QLatin1StringView("refresh_token"),
        QLatin1StringView("password"),      QLatin1StringView("x_amz_security_token")};
    for (const QLatin1StringView name : names) {
        if (k.size() == name.size() && endsWith(name))
            return true;
    }
    return false;
}

QString redactCredential(const QString &value)
{
    if (value.isEmpty() || value.contains(Marker))
        return value;
    bool changed = false;
    const QString r = redactTextImpl(value, &changed);
    if (changed)
        return r;
    static const QRegularExpression scheme(QStringLiteral("^(Bearer|Basic|Token|ApiKey)\\s+"), QRegularExpression::CaseInsensitiveOption);
    if (const QRegularExpressionMatch m = scheme.match(value); m.hasMatch())
        return m.captured(0) + Marker;
    for (const QLatin1StringView prefix : {QLatin1StringView("sk-proj-"), QLatin1StringView("sk-ant-"), QLatin1StringView("sk-")}) {
        if (value.startsWith(prefix))
            return prefix + Marker;
    }
    return QString(Marker);
}

QString redactText(const QString &text, bool *changed)
{
    return redactTextImpl(text, changed);
}

int redactSpan(Span &span)
{
    int n = 0;
    n += redactAttributes(span.attributes);
    n += redactAttributes(span.resourceAttributes);
    n += redactAttributes(span.scopeAttributes);
    // By index, and only what needs it: iterating a shared list by reference would detach it.
    for (qsizetype i = 0; i < span.events.size(); ++i) {
        if (std::any_of(span.events.at(i).attributes.cbegin(), span.events.at(i).attributes.cend(), attributeMayChange))
            n += redactAttributes(span.events[i].attributes);
    }
    for (qsizetype i = 0; i < span.links.size(); ++i) {
        if (std::any_of(span.links.at(i).attributes.cbegin(), span.links.at(i).attributes.cend(), attributeMayChange))
            n += redactAttributes(span.links[i].attributes);
    }
    n += redactString(span.statusMessage, false);
    n += redactString(span.input.value, false);
    n += redactString(span.output.value, false);
    n += redactMessages(span.inputMessages);
    n += redactMessages(span.outputMessages);
    n += redactMap(span.parameters);
    n += redactMap(span.metadata);
    return n;
}

int redactSpans(SpanList &spans)
{
    int n = 0;
    for (Span &s : spans)
        n += redactSpan(s);
    return n;
}

} // namespace spanscope::redaction
