#include "live/sseparser.h"

#include <QFile>
#include <QTest>

using namespace spanscope;

class TestSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gatewayRecordingSplitAnywhere_data()
    {
        QTest::addColumn<int>("chunk");
        for (int c : {1, 2, 7, 64, 4096, 1 << 20})
            QTest::addRow("chunks of %d", c) << c;
    }
    void gatewayRecordingSplitAnywhere()
    {
        QFETCH(int, chunk);
        QFile f(QStringLiteral(SPANSCOPE_TEST_DATA "/samples/portkey-gateway/run2-log-stream-raw.sse"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray all = f.readAll();
        SseParser p;
        QList<SseEvent> events;
        for (qsizetype i = 0; i < all.size(); i += chunk)
            events += p.feed(all.mid(i, chunk));
        events += p.feed("\n\n");   // a recording may end without the final blank line
        QVERIFY(events.size() >= 5);
        QCOMPARE(events.first().event, QByteArray("connected"));
        int logs = 0;
        for (const SseEvent &e : events) {
            if (e.event == "log") {
                ++logs;
                QVERIFY(e.data.startsWith("{\"time\""));
                QVERIFY(e.hasId);
            }
        }
        QCOMPARE(logs, 4);
    }

    void lineEndingsCommentsAndMultilineData()
    {
        SseParser p;
        QList<SseEvent> e = p.feed(": comment\r\nevent: a\r\ndata: one\r\ndata:two\r\rdata: x\n\nid: 7\nevent: b\ndata\n\n");
        QCOMPARE(e.size(), 3);
        QCOMPARE(e[0].event, QByteArray("a"));
        QCOMPARE(e[0].data, QByteArray("one\ntwo"));
        QCOMPARE(e[1].event, QByteArray("message"));
        QCOMPARE(e[1].data, QByteArray("x"));
        QCOMPARE(e[2].event, QByteArray("b"));
        QCOMPARE(e[2].data, QByteArray(""));
        QCOMPARE(e[2].id, QByteArray("7"));
        // CR at the end of one chunk and LF at the start of the next is one line end.
        e = p.feed("data: y\r");
        e += p.feed("\n\r\n");
        QCOMPARE(e.size(), 1);
        QCOMPARE(e[0].data, QByteArray("y"));
        QCOMPARE(p.feed("retry: 2500\n\n").size(), 0);
        QCOMPARE(p.retryMs(), 2500);
    }

    void overlongLinesAreDropped()
    {
        SseParser p(16);
        QList<SseEvent> e = p.feed("data: " + QByteArray(40, 'x') + "\n\ndata: ok\n\n");
        QCOMPARE(e.size(), 1);
        QCOMPARE(e[0].data, QByteArray("ok"));
        QCOMPARE(p.droppedLines(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
