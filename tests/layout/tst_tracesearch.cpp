#include "layout/tracesearch.h"
#include "tracebuilder.h"

#include <QTest>

using namespace spanscope;
using tracebuilder::span;

namespace {

Trace searchTrace()
{
    Span plan = span("plan step", "", 0, 100, SpanKind::Agent);
    plan.serviceName = "orchestrator";
    Span call = span("chat", "plan step", 10, 40, SpanKind::Llm);
    call.requestModel = "gpt-4o";
    call.responseModel = "gpt-4o-2024-08-06";
    call.serviceName = "orchestrator";
    Span fetch = span("fetch invoice", "plan step", 40, 60, SpanKind::Tool, true);
    fetch.statusMessage = "Upstream TIMEOUT after 30 s";
    fetch.serviceName = "billing-api";
    Span retry = span("fetch invoice (retry)", "plan step", 60, 70, SpanKind::Tool);
    retry.serviceName = "billing-api";
    Span answer = span("Über-Antwort", "plan step", 70, 90, SpanKind::Llm, true);
    answer.requestModel = "claude-3-5-sonnet";
    return Trace(SpanList{plan, call, fetch, retry, answer});
}

} // namespace

class TestTraceSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void find_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("found");
        QTest::addRow("name, any case") << "INVOICE" << QStringList{"fetch invoice", "fetch invoice (retry)"};
        QTest::addRow("kind name") << "llm" << QStringList{"chat", "Über-Antwort"};
        QTest::addRow("kind name, partial") << "too" << QStringList{"fetch invoice", "fetch invoice (retry)"};
        QTest::addRow("answering model") << "2024-08" << QStringList{"chat"};
        QTest::addRow("requested model") << "Sonnet" << QStringList{"Über-Antwort"};
        QTest::addRow("service") << "billing" << QStringList{"fetch invoice", "fetch invoice (retry)"};
        QTest::addRow("status message") << "timeout" << QStringList{"fetch invoice"};
        QTest::addRow("non-ASCII case folding") << "über" << QStringList{"Über-Antwort"};
        QTest::addRow("surrounding blanks ignored") << "  gpt-4o " << QStringList{"chat"};
        QTest::addRow("in several fields") << "orchestr" << QStringList{"plan step", "chat"};
        QTest::addRow("no match") << "xyzzy" << QStringList{};
        QTest::addRow("empty matches nothing") << "" << QStringList{};
        QTest::addRow("blank matches nothing") << "   " << QStringList{};
        QTest::addRow("longer than every field") << "fetch invoice (retry) and then some more" << QStringList{};
    }

    void find()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, found);
        const Trace trace = searchTrace();
        QCOMPARE(tracebuilder::names(trace, TraceSearch::find(trace, query)), found);
        TraceSearch search(trace);
        search.setQuery(query);
        QCOMPARE(tracebuilder::names(trace, search.matches()), found);
        QCOMPARE(search.matchCount(), found.size());
        QCOMPARE(search.query(), query.trimmed());
        for (int i = 0; i < trace.size(); ++i)
            QCOMPARE(TraceSearch::spanMatches(trace.span(i), query), found.contains(trace.span(i).name));
    }

    void stepping_data()
    {
        QTest::addColumn<QList<int>>("sorted");
        QTest::addColumn<int>("current");
        QTest::addColumn<int>("next");
        QTest::addColumn<int>("previous");
        const QList<int> m{2, 5, 9};
        QTest::addRow("nothing selected") << m << -1 << 2 << 9;
        QTest::addRow("before the first") << m << 0 << 2 << 9;
        QTest::addRow("on the first") << m << 2 << 5 << 9;
        QTest::addRow("between") << m << 6 << 9 << 5;
        QTest::addRow("on a middle match") << m << 5 << 9 << 2;
        QTest::addRow("on the last wraps forward") << m << 9 << 2 << 5;
        QTest::addRow("after the last") << m << 12 << 2 << 9;
        QTest::addRow("single match") << QList<int>{4} << 4 << 4 << 4;
        QTest::addRow("no matches") << QList<int>{} << 3 << -1 << -1;
    }

    void stepping()
    {
        QFETCH(QList<int>, sorted);
        QFETCH(int, current);
        QFETCH(int, next);
        QFETCH(int, previous);
        QCOMPARE(TraceSearch::stepAfter(sorted, current), next);
        QCOMPARE(TraceSearch::stepBefore(sorted, current), previous);
    }

    void nextPreviousMatch()
    {
        const Trace trace = searchTrace();
        TraceSearch search(trace);
        search.setQuery("fetch");
        QCOMPARE(search.matches(), (QList<int>{2, 3}));
        QCOMPARE(search.next(-1), 2);
        QCOMPARE(search.next(2), 3);
        QCOMPARE(search.next(3), 2);
        QCOMPARE(search.previous(2), 3);
        QCOMPARE(search.previous(4), 3);
        QCOMPARE(search.matchNumber(3), 1);
        QCOMPARE(search.matchNumber(1), -1);
        search.setQuery("nothing like it");
        QCOMPARE(search.next(0), -1);
        QCOMPARE(search.previous(0), -1);
    }

    void errors()
    {
        const Trace trace = searchTrace();
        const TraceSearch search(trace);
        QCOMPARE(tracebuilder::names(trace, search.errors()), (QStringList{"fetch invoice", "Über-Antwort"}));
        QCOMPARE(search.nextError(-1), 2);
        QCOMPARE(search.nextError(2), 4);
        QCOMPARE(search.nextError(4), 2);  // wraps
        QCOMPARE(search.previousError(3), 2);
        QCOMPARE(search.previousError(2), 4);  // wraps
        const TraceSearch clean(Trace(SpanList{span("ok", "", 0, 1)}));
        QCOMPARE(clean.nextError(0), -1);
        QCOMPARE(clean.previousError(0), -1);
    }

    void outlivesTheTraceItWasGiven()
    {
        TraceSearch search;
        {
            const Trace trace = searchTrace();
            search = TraceSearch(trace);
        }
        search.setQuery("chat");
        QCOMPARE(search.matches(), QList<int>{1});
    }
};

QTEST_GUILESS_MAIN(TestTraceSearch)
#include "tst_tracesearch.moc"
