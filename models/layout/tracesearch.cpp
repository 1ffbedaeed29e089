#include "tracesearch.h"

#include <QStringMatcher>

#include <algorithm>
#include <array>

namespace spanscope {

namespace {

bool matchesAnyField(const Span &s, const QStringMatcher &matcher, qsizetype patternSize,
                 const std::array<bool, SpanKindCount> &kindMatches)
{
    const auto k = static_cast<size_t>(s.kind);
    if (k < kindMatches.size() && kindMatches[k])
        return true;
    for (const QString *field : {&s.name, &s.responseModel, &s.requestModel, &s.serviceName, &s.statusMessage}) {
        if (field->size() >= patternSize && matcher.indexIn(*field) >= 0)
            return true;
    }
    return false;
}

std::array<bool, SpanKindCount> kindsMatching(QStringView query)
{
    std::array<bool, SpanKindCount> kinds{};
    for (int k = 0; k < SpanKindCount; ++k)
        kinds[size_t(k)] = spanKindName(static_cast<SpanKind>(k)).contains(query, Qt::CaseInsensitive);
    return kinds;
}

} // namespace

TraceSearch::TraceSearch(const Trace &trace)
    : m_trace(trace)
{
    for (int i = 0; i < trace.size(); ++i) {
        if (trace.span(i).isError())
            m_errors.push_back(i);
    }
}

QList<int> TraceSearch::find(const Trace &trace, QStringView query)
{
    query = query.trimmed();
    QList<int> found;
    if (query.isEmpty())
        return found;
    // One matcher for the whole scan: its skip table is built once, not per field.
    const QStringMatcher matcher(query, Qt::CaseInsensitive);
    const auto kinds = kindsMatching(query);
    for (int i = 0; i < trace.size(); ++i) {
        if (matchesAnyField(trace.span(i), matcher, query.size(), kinds))
            found.push_back(i);
    }
    return found;
}

bool TraceSearch::spanMatches(const Span &span, QStringView query)
{
    query = query.trimmed();
    return !query.isEmpty()
        && matchesAnyField(span, QStringMatcher(query, Qt::CaseInsensitive), query.size(), kindsMatching(query));
}

void TraceSearch::setQuery(const QString &query)
{
    m_query = query.trimmed();
    m_matches = find(m_trace, m_query);
}

int TraceSearch::matchNumber(int span) const
{
    const auto it = std::lower_bound(m_matches.cbegin(), m_matches.cend(), span);
    return it != m_matches.cend() && *it == span ? int(it - m_matches.cbegin()) : -1;
}

int TraceSearch::stepAfter(const QList<int> &sorted, int current)
{
    if (sorted.isEmpty())
        return -1;
    const auto it = std::upper_bound(sorted.cbegin(), sorted.cend(), current);
    return it != sorted.cend() ? *it : sorted.first();
}

int TraceSearch::stepBefore(const QList<int> &sorted, int current)
{
    if (sorted.isEmpty())
        return -1;
    if (current < 0)
        return sorted.last();
    const auto it = std::lower_bound(sorted.cbegin(), sorted.cend(), current);
    return it != sorted.cbegin() ? *(it - 1) : sorted.last();
}

} // namespace spanscope
