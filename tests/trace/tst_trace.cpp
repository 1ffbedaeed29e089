#include "trace/bulklist.h"
#include "trace/trace.h"

#include <algorithm>
#include <numeric>
#include <random>

#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>

using namespace spanscope;

namespace {
Span makeSpan(const QString &id, const QString &parent, qint64 start, qint64 end, const QString &name = {})
{
    Span s;
    s.traceId = QStringLiteral("t1");
    s.spanId = id;
    s.parentSpanId = parent;
    s.name = name.isEmpty() ? id : name;
    s.startNs = start;
    s.endNs = end;
    return s;
}
// Remembers the thread its last copy was destroyed on.
std::atomic<Qt::HANDLE> s_destroyedOn{nullptr};
struct DestructionProbe {
    ~DestructionProbe() { s_destroyedOn = QThread::currentThreadId(); }
};
} // namespace

Q_DECLARE_METATYPE(DestructionProbe)

class TestTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kindNamesRoundTrip()
    {
        for (int k = 0; k < SpanKindCount; ++k) {
            const auto kind = static_cast<SpanKind>(k);
            QCOMPARE(spanKindFromName(spanKindName(kind)), kind);
        }
        QCOMPARE(spanKindFromName(u"LLM"), SpanKind::Llm);
        QCOMPARE(spanKindFromName(u"something-else"), SpanKind::Span);
    }

    void treeOrder_data()
    {
        QTest::addColumn<SpanList>("spans");
        QTest::addColumn<QStringList>("dump");
        QTest::addColumn<QStringList>("roots");

        QTest::addRow("siblings by start")
            << SpanList{makeSpan("c2", "r", 30, 40), makeSpan("r", "", 0, 100), makeSpan("c1", "r", 10, 20),
                        makeSpan("g", "c2", 31, 32)}
            << QStringList{"r [span]", "  c1 [span]", "  c2 [span]", "    g [span]"} << QStringList{"r"};
        QTest::addRow("missing parent stays as extra root")
            << SpanList{makeSpan("r", "", 0, 100), makeSpan("o", "never-arrived", 50, 60), makeSpan("oc", "o", 55, 56)}
            << QStringList{"r [span]", "o [span]", "  oc [span]"} << QStringList{"r", "o"};
        QTest::addRow("child starts before parent")
            << SpanList{makeSpan("r", "", 10, 100), makeSpan("early", "r", 0, 5)}
            << QStringList{"r [span]", "  early [span]"} << QStringList{"r"};
        QTest::addRow("parent cycle is broken, nothing dropped")
            << SpanList{makeSpan("a", "b", 0, 10), makeSpan("b", "a", 5, 10)}
            << QStringList{"a [span]", "  b [span]"} << QStringList{"a"};
        QTest::addRow("self parent")
            << SpanList{makeSpan("a", "a", 0, 10)} << QStringList{"a [span]"} << QStringList{"a"};
        QTest::addRow("duplicate span id: later copy wins")
            << SpanList{makeSpan("a", "", 0, 0, "old"), makeSpan("a", "", 0, 10, "new")}
            << QStringList{"new [span]"} << QStringList{"a"};
    }

    void treeOrder()
    {
        QFETCH(SpanList, spans);
        QFETCH(QStringList, dump);
        QFETCH(QStringList, roots);
        const Trace trace(spans);
        QCOMPARE(dumpTree(trace), dump);
        QStringList rootIds;
        for (int r : trace.roots())
            rootIds << trace.span(r).spanId;
        QCOMPARE(rootIds, roots);
        for (int i = 0; i < trace.size(); ++i) {
            const int p = trace.parentIndex(i);
            QVERIFY(p < i);  // each parent before its children
            if (p >= 0) {
                QVERIFY(std::ranges::find(trace.children(p), i) != trace.children(p).end());
                QCOMPARE(trace.depth(i), trace.depth(p) + 1);
            }
            QCOMPARE(trace.indexOf(trace.span(i).spanId), i);
        }
    }

    // Spans with every kind of member (strings, lists, maps, variants) survive being reordered as
    // bytes: each lands where the permutation says, whole.
    void permuteInPlaceMovesWholeSpans()
    {
        std::mt19937 rng(7);
        SpanList spans;
        for (int i = 0; i < 500; ++i) {
            Span s = makeSpan(QStringLiteral("s%1").arg(i), QString(), i, i + 1);
            s.attributes = {{QStringLiteral("k%1").arg(i), QVariant(QStringLiteral("v").repeated(i % 7))}};
            s.parameters.insert(QStringLiteral("temperature"), i / 10.0);
            s.inputMessages = {{QStringLiteral("user"), QStringLiteral("hello %1").arg(i), {}, {}, {}, {}}};
            s.tags = QStringList{QString::number(i)};
            spans << s;
        }
        std::vector<int> order(size_t(spans.size()));
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        SpanList permuted = spans;  // shared: permuteInPlace must detach, leaving `spans` alone
        permuteInPlace(permuted, order);
        QCOMPARE(permuted.size(), spans.size());
        for (int p = 0; p < int(order.size()); ++p)
            QCOMPARE(permuted.at(p), spans.at(order[size_t(p)]));
        QCOMPARE(spans.first().spanId, QStringLiteral("s0"));
    }

    // The tree does not depend on the order spans arrive in (the store hands them over unsorted),
    // including equal start times, duplicates and orphans.
    void treeIndependentOfInputOrder()
    {
        std::mt19937 rng(42);
        SpanList spans;
        for (int i = 0; i < 3000; ++i) {
            const QString parent = i == 0 ? QString() : (i % 97 == 0 ? QStringLiteral("gone") : QStringLiteral("s%1").arg(rng() % i));
            Span s = makeSpan(QStringLiteral("s%1").arg(i), parent, qint64(rng() % 50), qint64(100 + rng() % 50));
            s.attributes = {{QStringLiteral("i"), QVariant(qint64(i))}};
            spans << s;
        }
        spans << makeSpan(QStringLiteral("s5"), QStringLiteral("s0"), 1, 2, QStringLiteral("second copy of s5"));
        const Trace reference(spans);
        QCOMPARE(reference.size(), 3000);
        QCOMPARE(reference.span(reference.indexOf(QStringLiteral("s5"))).name, QStringLiteral("second copy of s5"));
        for (int round = 0; round < 3; ++round) {
            SpanList shuffled = spans;
            // The duplicate keeps coming after the first copy (a later copy wins).
            std::shuffle(shuffled.begin(), shuffled.end() - 1, rng);
            const Trace t(shuffled);
            QCOMPARE(dumpTree(t), dumpTree(reference));
            for (int i = 0; i < t.size(); ++i) {
                QCOMPARE(t.span(i), reference.span(i));
                QCOMPARE(t.parentIndex(i), reference.parentIndex(i));
                QCOMPARE(t.depth(i), reference.depth(i));
                QCOMPARE(t.indexOf(t.span(i).spanId), i);
            }
        }
    }

    // indexOf() answers -1 for ids that are not there (also on an empty trace and for a prefix of
    // a real id), and the last of three copies of an id is the one kept and found; its children
    // hang under it.
    void indexOfMissingIdsAndCopies()
    {
        QCOMPARE(Trace().indexOf(u"a"), -1);
        SpanList spans;
        for (int i = 0; i < 2000; ++i)
            spans << makeSpan(QStringLiteral("id-%1").arg(i), i ? QStringLiteral("id-%1").arg(i / 2) : QString(), i, i + 10);
        spans << makeSpan(QStringLiteral("id-7"), QStringLiteral("id-3"), 7, 17, QStringLiteral("copy 2"));
        spans << makeSpan(QStringLiteral("id-7"), QStringLiteral("id-3"), 7, 17, QStringLiteral("copy 3"));
        const Trace trace(spans);
        QCOMPARE(trace.size(), 2000);
        for (const QString &absent : {QStringLiteral("id-2000"), QStringLiteral("id-"), QStringLiteral(""),
                                      QStringLiteral("id-12345"), QStringLiteral("ID-1")})
            QCOMPARE(trace.indexOf(absent), -1);
        const int seven = trace.indexOf(u"id-7");
        QCOMPARE(trace.span(seven).name, QStringLiteral("copy 3"));
        QCOMPARE(trace.parentIndex(seven), trace.indexOf(u"id-3"));
        QCOMPARE(trace.parentIndex(trace.indexOf(u"id-14")), seven);
        QCOMPARE(trace.parentIndex(trace.indexOf(u"id-15")), seven);
        for (int i = 0; i < 2000; ++i)
            QCOMPARE(trace.span(trace.indexOf(QStringLiteral("id-%1").arg(i))).spanId, QStringLiteral("id-%1").arg(i));
    }

    // A large shared trace is destroyed off the thread that drops the last reference; a small one
    // right there.
    void sharedTraceIsDestroyedOffThread_data()
    {
        QTest::addColumn<int>("spans");
        QTest::addColumn<bool>("offThread");
        QTest::addRow("small") << 10 << false;
        QTest::addRow("large") << LargeTraceSpans << true;
    }
    void sharedTraceIsDestroyedOffThread()
    {
        QFETCH(int, spans);
        QFETCH(bool, offThread);
        std::shared_ptr<const Trace> trace;
        {
            SpanList list;
            for (int i = 0; i < spans; ++i)
                list << makeSpan(QStringLiteral("s%1").arg(i), i ? QStringLiteral("s0") : QString(), i, i + 1);
            list.last().attributes = {{QStringLiteral("probe"), QVariant::fromValue(DestructionProbe())}};
            trace = makeSharedTrace(Trace(std::move(list)));
        }
        QCOMPARE(trace->size(), spans);
        s_destroyedOn = nullptr;
        trace.reset();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
        QVERIFY(s_destroyedOn.load() != nullptr);
        QCOMPARE(s_destroyedOn.load() != QThread::currentThreadId(), offThread);
    }

    void subtreeAndOrphans()
    {
        const Trace trace({makeSpan("r", "", 0, 100), makeSpan("a", "r", 1, 50), makeSpan("a1", "a", 2, 3),
                           makeSpan("b", "r", 60, 70), makeSpan("o", "gone", 5, 6)});
        const int a = trace.indexOf(QStringLiteral("a"));
        QCOMPARE(trace.subtreeEnd(a), trace.indexOf(QStringLiteral("b")));
        QVERIFY(trace.isOrphan(trace.indexOf(QStringLiteral("o"))));
        QVERIFY(!trace.isOrphan(trace.indexOf(QStringLiteral("r"))));
        QCOMPARE(trace.startNs(), 0);
        QCOMPARE(trace.endNs(), 100);
    }

    void summary()
    {
        Span root = makeSpan("r", "", 100, 1100, "agent run");
        root.serviceName = QStringLiteral("svc");
        root.sessionId = QStringLiteral("s1");
        Span llm = makeSpan("l", "r", 200, 900);
        llm.kind = SpanKind::Llm;
        llm.requestModel = QStringLiteral("gpt-4o");
        llm.tokens.input = 10;
        llm.tokens.output = 5;
        llm.cost = {0.25, 0.1, 0.15, CostSource::Computed};
        Span llm2 = makeSpan("l2", "r", 300, 400);
        llm2.kind = SpanKind::Llm;
        llm2.requestModel = QStringLiteral("mystery-model");
        llm2.tokens.input = 3;
        llm2.status = StatusCode::Error;
        Span tool = makeSpan("t", "r", 950, 1000);
        tool.kind = SpanKind::Tool;
        tool.userId = QStringLiteral("u1");
        tool.cost = {0.5, 0, 0, CostSource::Reported};

        const TraceSummary t = summarize({llm, root, llm2, tool});
        QCOMPARE(t.name, QStringLiteral("agent run"));
        QCOMPARE(t.serviceName, QStringLiteral("svc"));
        QCOMPARE(t.spanCount, 4);
        QCOMPARE(t.errorCount, 1);
        QCOMPARE(t.llmCount, 2);
        QCOMPARE(t.toolCount, 1);
        QCOMPARE(t.inputTokens, 13);
        QCOMPARE(t.outputTokens, 5);
        QCOMPARE(t.totalTokens, 18);
        QCOMPARE(t.costUsd, 0.75);
        QCOMPARE(t.computedCostUsd, 0.25);
        QCOMPARE(t.models, (QStringList{"gpt-4o", "mystery-model"}));
        QCOMPARE(t.unpricedModels, QStringList{"mystery-model"});
        QCOMPARE(t.durationNs(), 1000);
        QCOMPARE(t.sessionId, QStringLiteral("s1"));
        QCOMPARE(t.userId, QStringLiteral("u1"));
    }

    void attributeHelpers()
    {
        const Attributes attrs{{"a", QVariant(QStringLiteral("x"))}, {"n", QVariant(qint64(42))},
                               {"d", QVariant(0.5)}, {"l", QVariantList{1, QStringLiteral("two")}}};
        QCOMPARE(attributeValue(attrs, u"n").toLongLong(), 42);
        QVERIFY(!attributeValue(attrs, u"missing").isValid());
        QCOMPARE(attributeValueToString(attributeValue(attrs, u"d")), QStringLiteral("0.5"));
        QCOMPARE(attributeValueToString(attributeValue(attrs, u"l")), QStringLiteral("[1,\"two\"]"));
        SpanEvent e;
        e.name = QStringLiteral("exception");
        e.attributes = {{"exception.message", QVariant(QStringLiteral("boom"))}};
        QVERIFY(e.isException());
        QCOMPARE(e.exceptionMessage(), QStringLiteral("boom"));
    }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
