#pragma once

#include "trace/trace.h"

#include <QList>
#include <QString>

namespace spanscope {

// Find-in-trace: spans whose name, kind name, model (requested or answering), service or status
// message contains the query, ignoring case; plus stepping through matches and error spans with
// wrap-around (the n / N keys). Holds a copy of the Trace, which is cheap: its containers are
// implicitly shared.
class TraceSearch
{
public:
    TraceSearch() = default;
    explicit TraceSearch(const Trace &trace);

    static QList<int> find(const Trace &trace, QStringView query);  // tree order
    static bool spanMatches(const Span &span, QStringView query);

    void setQuery(const QString &query);  // trimmed; empty matches nothing
    const QString &query() const { return m_query; }
    const QList<int> &matches() const { return m_matches; }
    int matchCount() const { return int(m_matches.size()); }
    int matchNumber(int span) const;  // position of `span` among the matches, -1 if it is none

    // The first match after / before `current` in tree order, wrapping around; current may be any
    // span or -1 (nothing selected: next gives the first, previous the last). -1 when none match.
    int next(int current) const { return stepAfter(m_matches, current); }
    int previous(int current) const { return stepBefore(m_matches, current); }

    const QList<int> &errors() const { return m_errors; }  // error spans in tree order
    int nextError(int current) const { return stepAfter(m_errors, current); }
    int previousError(int current) const { return stepBefore(m_errors, current); }

    static int stepAfter(const QList<int> &sorted, int current);
    static int stepBefore(const QList<int> &sorted, int current);

private:
    Trace m_trace;
    QString m_query;
    QList<int> m_matches;
    QList<int> m_errors;
};

} // namespace spanscope
