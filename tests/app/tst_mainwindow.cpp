// The explorer window end to end: import files in the background, list traces, open one, select a
// span, see it in the inspector. With SPANSCOPE_SNAPSHOT_DIR set, saves PNGs of the window in light
// and dark palettes for looking at.
#include "items/spantreemodel.h"
#include "items/tracelistmodel.h"
#include "mainwindow.h"
#include "settings.h"
#include "../store/fulltextbacklog.h"
#include "widgets/compareview.h"
#include "widgets/spaninspector.h"
#include "widgets/tracefilterbar.h"
#include "widgets/traceview.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace spanscope;

namespace {
QString sample(const QString &name)
{
    return QStringLiteral(SPANSCOPE_SOURCE_DIR "/resources/samples/") + name;
}

void snapshot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(250);
    w->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

bool waitForRows(TraceListModel *m, int atLeast)
{
    return QTest::qWaitFor([&] { return m->rowCount() >= atLeast && m->summaryAt(0); }, 20000);
}

QStringList visibleLabelTexts(QWidget *root)
{
    QStringList out;
    for (QLabel *l : root->findChildren<QLabel *>()) {
        if (l->isVisibleTo(root))
            out << l->text();
    }
    return out;
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SpanscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        Settings::instance().setTheme(Settings::Theme::Light);
    }

    void emptyWorkspaceShowsDropHint()
    {
        MainWindow w(m_dir.filePath("empty.sqlite"));
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitFor([&] {
            auto *label = w.findChild<QLabel *>(QStringLiteral("workspaceEmptyLabel"));
            return label && label->isVisible() && label->text().contains(QStringLiteral("Drop trace files here"));
        }, 10000));
        snapshot(&w, QStringLiteral("window-empty"));
    }

    void importOpenAndInspect()
    {
        MainWindow w(m_dir.filePath("w.sqlite"));
        w.resize(1440, 900);
        w.show();
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({sample("genai-agent-runs.jsonl"), sample("openinference-agent-trace.json"),
                       sample("otlp-genai-sdk-generated.json"), sample("otlp-trace.json")});
        QVERIFY(finished.wait(30000));
        QVERIFY(waitForRows(w.traceListModel(), 43));
        QCOMPARE(w.traceListModel()->rowCount(), 43);
        QCOMPARE(w.problemsTable()->rowCount(), 0);

        // Search narrows the list to the OpenInference trace.
        auto *search = w.filterBar()->findChild<QLineEdit *>(QStringLiteral("traceSearch"));
        QVERIFY(search);
        QTest::keyClicks(search, QStringLiteral("umbrella"));
        QVERIFY(QTest::qWaitFor([&] { return w.traceListModel()->rowCount() == 1; }, 10000));
        w.traceTable()->selectRow(0);
        QVERIFY(QTest::qWaitFor([&] { return w.currentTraceId() == QStringLiteral("7b3e1f0c9a2d4e6f8a1b2c3d4e5f6a7b"); }, 5000));

        // Select the first LLM call in the tree: the inspector shows its messages.
        QTreeView *tree = w.traceView()->treeView();
        QVERIFY(QTest::qWaitFor([&] { return tree->model() && tree->model()->rowCount() == 1; }, 10000));
        const QModelIndex root = tree->model()->index(0, 0);
        const QModelIndex llm = tree->model()->index(0, 0, root);
        QCOMPARE(llm.data().toString(), QStringLiteral("ChatCompletion"));
        tree->setCurrentIndex(llm);
        QVERIFY(QTest::qWaitFor([&] { return w.inspector()->hasSpan() && !w.inspector()->isLoading(); }, 10000));
        QVERIFY(QTest::qWaitFor([&] {
            return visibleLabelTexts(w.inspector()).join(QLatin1Char('\n')).contains(QStringLiteral("ChatCompletion"));
        }, 5000));
        snapshot(&w, QStringLiteral("window-light"));

        MainWindow::applyTheme(Settings::Theme::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        snapshot(&w, QStringLiteral("window-dark"));
        MainWindow::applyTheme(Settings::Theme::Light);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 128);

        // Clearing the search brings every trace back.
        w.filterBar()->clear();
        QVERIFY(QTest::qWaitFor([&] { return w.traceListModel()->rowCount() == 43; }, 10000));

        // Sorting by errors puts a failing agent run first; its error span is one `n` away.
        w.traceTable()->sortByColumn(TraceListModel::ErrorsColumn, Qt::DescendingOrder);
        QVERIFY(QTest::qWaitFor([&] {
            const TraceSummary *t = w.traceListModel()->summaryAt(0);
            return t && t->errorCount > 0;
        }, 10000));
        const QString failing = w.traceListModel()->summaryAt(0)->traceId;
        w.traceTable()->selectRow(0);
        QVERIFY(QTest::qWaitFor([&] { return w.currentTraceId() == failing && tree->model()->rowCount() == 1; }, 10000));
        QTest::qWait(100);
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_N);
        QVERIFY(QTest::qWaitFor([&] {
            const int i = w.traceView()->currentSpan();
            return i >= 0 && tree->currentIndex().data(SpanTreeModel::IsErrorRole).toBool();
        }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return w.inspector()->hasSpan() && !w.inspector()->isLoading(); }, 10000));
        snapshot(&w, QStringLiteral("explorer-light"));
        MainWindow::applyTheme(Settings::Theme::Dark);
        snapshot(&w, QStringLiteral("explorer-dark"));
        MainWindow::applyTheme(Settings::Theme::Light);
    }

    // Spans left waiting for the full-text index (an import cancelled while indexing, or the app
    // quit) are indexed in the background once the workspace is opened.
    void indexesWhatWasLeftPendingOnOpen()
    {
        const QString path = m_dir.filePath("pending.sqlite");
        QCOMPARE(test::writeUnindexedSpans(path, 30, QStringLiteral("pelicans")), 30);
        {
            TraceStore store;
            QVERIFY(store.open(path, TraceStore::OpenMode::ReadOnly));
            QVERIFY(store.search(QStringLiteral("pelicans")).isEmpty());
        }
        MainWindow w(path);
        w.resize(1280, 800);
        w.show();
        QSignalSpy finished(&w, &MainWindow::importFinished);
        QVERIFY(finished.wait(20000));
        TraceStore store;
        QVERIFY(store.open(path, TraceStore::OpenMode::ReadOnly));
        QCOMPARE(store.counts().pendingFullText, 0);
        QCOMPARE(store.search(QStringLiteral("pelicans")).size(), 30);
        // Once: finishing the run does not start another.
        QVERIFY(!finished.wait(1000));
    }

    void compareTwoSelectedTraces()
    {
        MainWindow w(m_dir.filePath("cmp.sqlite"));
        w.resize(1280, 800);
        w.show();
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({sample("genai-agent-runs.jsonl")});
        QVERIFY(finished.wait(30000));
        QVERIFY(waitForRows(w.traceListModel(), 40));
        QVERIFY(!w.compareAction()->isEnabled());
        w.traceTable()->selectRow(0);
        QVERIFY(!w.compareAction()->isEnabled());
        w.traceTable()->selectionModel()->select(w.traceListModel()->index(1, 0),
                                                 QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(w.compareAction()->isEnabled());
        // A refresh (new traces arriving, F5) resets the list model; the selection follows the ids.
        QSignalSpy reset(w.traceListModel(), &QAbstractItemModel::modelReset);
        w.traceListModel()->refresh();
        QVERIFY(reset.wait(10000));
        QCOMPARE(w.traceTable()->selectionModel()->selectedRows().size(), 2);
        QVERIFY(w.compareAction()->isEnabled());
        // The same two traces export as OTLP JSON lines: one document per trace.
        QVERIFY(w.exportTracesAction()->isEnabled());
        QSignalSpy exported(&w, &MainWindow::exportFinished);
        const QString out = m_dir.filePath("two.jsonl");
        w.exportTraces({w.traceListModel()->summaryAt(0)->traceId, w.traceListModel()->summaryAt(1)->traceId}, out);
        QVERIFY(exported.wait(20000));
        QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].contains(w.traceListModel()->summaryAt(0)->traceId.toLatin1()) != lines[1].contains(w.traceListModel()->summaryAt(0)->traceId.toLatin1()));

        QSignalSpy shown(&w, &MainWindow::comparisonShown);
        w.compareAction()->trigger();
        QVERIFY(shown.wait(20000));
        auto *window = shown.first().first().value<QWidget *>();
        QVERIFY(window && window->isVisible());
        auto *view = window->findChild<CompareView *>();
        QVERIFY(view);
        QVERIFY(window->windowTitle().contains(QStringLiteral("invoke_agent ops-copilot")));
        QTest::qWait(100);
        snapshot(window, QStringLiteral("compare-window"));
        window->close();
    }

    void badFileShowsProblemsAndKeepsValidSpans()
    {
        const QString bad = m_dir.filePath("bad.jsonl");
        {
            QFile in(sample("genai-agent-runs.jsonl"));
            QVERIFY(in.open(QIODevice::ReadOnly));
            QList<QByteArray> lines = in.readAll().split('\n');
            lines[2] = "{\"resourceSpans\": [ broken";
            QFile out(bad);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(lines.mid(0, 5).join('\n'));
        }
        MainWindow w(m_dir.filePath("bad.sqlite"));
        w.resize(1280, 800);
        w.show();
        QSignalSpy finished(&w, &MainWindow::importFinished);
        w.importFiles({bad});
        QVERIFY(finished.wait(30000));
        QVERIFY(waitForRows(w.traceListModel(), 4));
        QCOMPARE(w.traceListModel()->rowCount(), 4);
        QVERIFY(w.problemsTable()->rowCount() >= 1);
        QVERIFY(w.problemsTable()->isVisible());
        QCOMPARE(w.problemsTable()->item(0, 1)->text(), QStringLiteral("bad.jsonl"));
        QCOMPARE(w.problemsTable()->item(0, 2)->text(), QStringLiteral("line 3"));
        snapshot(&w, QStringLiteral("window-problems"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
