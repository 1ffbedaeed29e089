// Hostile span content end to end: a span named with 50 MB of text, attributes holding JSON nested
// 10,000 levels deep (as a string, as an OTLP kvlist and as an array), invalid UTF-8, lone
// surrogates, NULs, markdown and HTML that point at remote and local resources. It goes through
// `spanscope import`, `traces --json`, `show --json` (output checked with a parser that does not
// recurse), `show`, `export` + re-import, `render`, and the whole window: trace list, trace view
// and inspector on every span and tab. Nothing crashes, nothing freezes (every step is timed),
// nothing is loaded from anywhere.
#include "items/tracelistmodel.h"
#include "mainwindow.h"
#include "reliabilityhelpers.h"
#include "settings.h"
#include "widgets/messageview.h"
#include "widgets/safetextbrowser.h"
#include "widgets/spaninspector.h"
#include "widgets/traceview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>

#include <nlohmann/json.hpp>

using namespace spanscope;
using namespace spanscope::test;

namespace {

constexpr int kDepth = 10000;
constexpr qsizetype kHugeName = 50 * 1000 * 1000;
const QByteArray kTraceId = "badc0ffee0ddf00dbadc0ffee0ddf00d";

QByteArray attr(const QByteArray &key, const QByteArray &value)
{
    return "{\"key\":\"" + key + "\",\"value\":" + value + "}";
}

QByteArray str(const QByteArray &escaped)
{
    return "{\"stringValue\":\"" + escaped + "\"}";
}

QByteArray span(const QByteArray &id, const QByteArray &parent, const QByteArray &name, const QByteArray &attributes, int i)
{
    const QByteArray start = QByteArray::number(1795600000000000000LL + i * 1000000LL);
    const QByteArray end = QByteArray::number(1795600000000000000LL + i * 1000000LL + 500000000LL);
    return "{\"traceId\":\"" + kTraceId + "\",\"spanId\":\"" + id + "\",\"parentSpanId\":\"" + parent + "\",\"name\":\"" + name
        + "\",\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + end + "\",\"attributes\":[" + attributes + "]}";
}

// The hostile OTLP/JSON file, written byte by byte (invalid UTF-8 cannot go through QString).
QByteArray hostileFile()
{
    QByteArray hugeName;
    hugeName.reserve(kHugeName);
    const QByteArray word = "hostile name ";
    while (hugeName.size() + word.size() <= kHugeName)
        hugeName += word;
    // JSON nested kDepth levels, as escaped JSON text inside a string value.
    QByteArray deepArrays = QByteArray(kDepth, '[') + QByteArray(kDepth, ']');
    QByteArray deepObjects;
    for (int i = 0; i < kDepth; ++i)
        deepObjects += "{\\\"a\\\":";
    deepObjects += "1" + QByteArray(kDepth, '}');
    QByteArray kvlist = str("leaf");
    QByteArray array = str("leaf");
    for (int i = 0; i < kDepth; ++i) {
        kvlist = "{\"kvlistValue\":{\"values\":[" + attr("k", kvlist) + "]}}";
        array = "{\"arrayValue\":{\"values\":[" + array + "]}}";
    }
    const QByteArray invalidUtf8 = "bad \xff\xfe \xc3\x28 \xed\xa0\x80 \xf0\x28\x8c\x28 \xc0\xaf end";
    const QByteArray markdown = "# Title\\n![remote](http://example.com/a.png) ![local](file:///etc/passwd)\\n"
                                "<img src=\\\"http://example.com/b.png\\\"><script>alert(1)</script>"
                                "<iframe src=\\\"file:///etc/shadow\\\"></iframe>[link](javascript:alert(1))";
    QByteArray spans;
    spans += span("1000000000000001", "", hugeName, attr("service.note", str("root with a 50 MB name")), 0);
    spans += ',' + span("1000000000000002", "1000000000000001", "deep json",
                        attr("deep.string", str(deepArrays)) + ',' + attr("deep.kvlist", kvlist) + ',' + attr("deep.array", array)
                            + ',' + attr("input.value", str(deepObjects)) + ',' + attr("input.mime_type", str("application/json"))
                            + ',' + attr("output.value", str(deepArrays)),
                        1);
    spans += ',' + span("1000000000000003", "1000000000000001", "chat " + invalidUtf8,
                        attr("gen_ai.operation.name", str("chat")) + ',' + attr("gen_ai.request.model", str("gpt-4o"))
                            + ',' + attr("gen_ai.input.messages", str("[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"" + invalidUtf8
                                                                      + " \\\\ud800 \\\\u0000 \\u202e RTL\\\"}]"))
                            + ',' + attr("gen_ai.output.messages", str("[{\\\"role\\\":\\\"assistant\\\",\\\"content\\\":\\\"" + markdown + "\\\"}]"))
                            + ',' + attr(invalidUtf8, str(invalidUtf8)) + ',' + attr("lone.surrogate", str("a\\ud800b\\udc00\\u0000c"))
                            + ',' + attr("output.value", str(markdown)) + ',' + attr("output.mime_type", str("text/markdown")),
                        2);
    spans += ',' + span("1000000000000004", "1000000000000002", "deep messages",
                        attr("gen_ai.operation.name", str("chat"))
                            + ',' + attr("gen_ai.input.messages", str("[{\\\"role\\\":\\\"user\\\",\\\"content\\\":" + deepObjects + "}]"))
                            + ',' + attr("gen_ai.output.messages", str(deepArrays)),
                        3);
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + attr("service.name", str("hostile")) + "]},"
           "\"scopeSpans\":[{\"scope\":{\"name\":\"hostile\"},\"spans\":[" + spans + "]}]}]}";
}

// Valid JSON, checked without recursion (the documents are 10,000 levels deep).
bool isValidJson(const QByteArray &text)
{
    return nlohmann::json::accept(text.constData(), text.constData() + text.size());
}

} // namespace

class TestUntrustedContent : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_file;
    QString m_db;

    static void timed(const char *what, qint64 ms, qint64 limitMs)
    {
        qInfo("%s: %lld ms", what, ms);
        QVERIFY2(ms < limitMs, qPrintable(QStringLiteral("%1 took %2 ms (limit %3)").arg(QLatin1String(what)).arg(ms).arg(limitMs)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SpanscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_untrustedcontent"));
        Settings::instance().setTheme(Settings::Theme::Light);
        m_file = m_dir.filePath(QStringLiteral("hostile.json"));
        QFile f(m_file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(hostileFile());
        f.close();
        m_db = m_dir.filePath(QStringLiteral("hostile.sqlite"));
        QElapsedTimer t;
        t.start();
        const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), m_db, m_file}, 300000);
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("4 spans imported"), r.out.constData());
        timed("import", t.elapsed(), 120000);
    }

    void cliTracesAndShow()
    {
        QElapsedTimer t;
        t.start();
        CliResult r = runCli({QStringLiteral("traces"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        QVERIFY(isValidJson(r.out));
        QVERIFY(r.out.contains(kTraceId));
        timed("traces --json", t.elapsed(), 60000);

        t.restart();
        r = runCli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("--json"), QString::fromLatin1(kTraceId)});
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        QVERIFY2(isValidJson(r.out), r.out.left(300).constData());
        QVERIFY(r.out.size() > kHugeName);
        QVERIFY(r.out.contains("hostile name hostile name"));
        QVERIFY(r.out.contains("deep.kvlist"));
        timed("show --json", t.elapsed(), 60000);

        t.restart();
        r = runCli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QString::fromLatin1(kTraceId)});
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("deep json"));
        timed("show", t.elapsed(), 60000);
    }

    void exportAndReimport()
    {
        const QString out = m_dir.filePath(QStringLiteral("export.json"));
        QElapsedTimer t;
        t.start();
        CliResult r = runCli({QStringLiteral("export"), QStringLiteral("--db"), m_db, QStringLiteral("-o"), out, QStringLiteral("--all")});
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(isValidJson(f.readAll()));
        timed("export", t.elapsed(), 60000);
        const QString again = m_dir.filePath(QStringLiteral("again.sqlite"));
        r = runCli({QStringLiteral("import"), QStringLiteral("--db"), again, out}, 300000);
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        TraceStore a, b;
        QVERIFY(a.open(m_db, TraceStore::OpenMode::ReadOnly));
        QVERIFY(b.open(again, TraceStore::OpenMode::ReadOnly));
        const SpanList spansA = a.loadSpans(QString::fromLatin1(kTraceId), true);
        const SpanList spansB = b.loadSpans(QString::fromLatin1(kTraceId), true);
        QCOMPARE(spansB.size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(spansB[i].name, spansA[i].name);
            QCOMPARE(spansB[i].attributes.size(), spansA[i].attributes.size());
        }
    }

    void renderHeadless()
    {
        const QString png = m_dir.filePath(QStringLiteral("hostile.png"));
        QElapsedTimer t;
        t.start();
        const CliResult r = runCli({QStringLiteral("render"), QStringLiteral("--db"), m_db, QString::fromLatin1(kTraceId), QStringLiteral("-o"), png});
        QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo(png).size() > 0);
        timed("render", t.elapsed(), 60000);
    }

    // The window: the trace list shows the trace, the trace view opens it, and every span is
    // inspected on every tab without a freeze or a resource load.
    void wholeWindow()
    {
        MainWindow w(m_db);
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QElapsedTimer t;
        t.start();
        QVERIFY(QTest::qWaitFor([&] { return w.traceListModel()->rowCount() == 1 && w.traceListModel()->summaryAt(0); }, 60000));
        w.grab();
        timed("trace list", t.elapsed(), 30000);

        t.restart();
        w.traceTable()->selectRow(0);
        QTreeView *tree = w.traceView()->treeView();
        QVERIFY(QTest::qWaitFor([&] { return tree->model() && tree->model()->rowCount() == 1; }, 60000));
        w.grab();
        timed("open the trace", t.elapsed(), 30000);

        QList<QModelIndex> rows;
        for (QModelIndex i = tree->model()->index(0, 0); i.isValid(); i = tree->indexBelow(i)) {
            tree->expand(i);
            rows << i;
        }
        QCOMPARE(rows.size(), 4);
        for (const QModelIndex &row : std::as_const(rows)) {
            t.restart();
            tree->setCurrentIndex(row);
            QVERIFY(QTest::qWaitFor([&] { return w.inspector()->hasSpan() && !w.inspector()->isLoading(); }, 60000));
            for (const char *tab : {"messages", "io", "parameters", "attributes", "events", "links"}) {
                w.inspector()->setCurrentTabName(QString::fromLatin1(tab));
                QVERIFY(!w.grab().isNull());
            }
            timed(qPrintable(QStringLiteral("inspect span %1 on every tab").arg(rows.indexOf(row))), t.elapsed(), 30000);
        }
        // Markdown images become text; nothing ever asked for a resource.
        for (SafeTextBrowser *b : w.findChildren<SafeTextBrowser *>())
            QCOMPARE(b->resourceRequestCount(), 0);
    }
};

QTEST_MAIN(TestUntrustedContent)
#include "tst_untrustedcontent.moc"
