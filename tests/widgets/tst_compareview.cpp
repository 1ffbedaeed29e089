#include "comparefixture.h"

#include "items/comparemodel.h"
#include "items/kindpalette.h"
#include "widgets/comparediffpane.h"
#include "widgets/comparesummarybar.h"
#include "widgets/compareview.h"
#include "widgets/safetextbrowser.h"
#include "widgets/waterfallpainter.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QHeaderView>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeView>

using namespace spanscope;
using namespace comparefixture;

namespace {

TraceSummary summaryOf(const std::shared_ptr<const Trace> &t)
{
    return summarize(t->spans());
}

// Text fragments of a document with their formatting, as "text|flags" where flags are "strike"
// for struck-through fragments and "tint" for fragments with a background.
struct Fragment {
    QString text;
    bool strike = false;
    bool tinted = false;
};
QList<Fragment> fragments(const QTextDocument *doc)
{
    QList<Fragment> out;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            out.append({f.text(), f.charFormat().fontStrikeOut(), f.charFormat().background().style() != Qt::NoBrush});
        }
    }
    return out;
}

bool hasFragment(const QTextDocument *doc, const QString &text, bool strike, bool tinted)
{
    for (const Fragment &f : fragments(doc)) {
        if (f.text.contains(text) && f.strike == strike && f.tinted == tinted)
            return true;
    }
    return false;
}

QString snapshotDir()
{
    const QString dir = qEnvironmentVariable("SPANSCOPE_SNAPSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

// The row whose A or B span has this name.
QModelIndex findRow(const QAbstractItemModel *m, const QString &name, int column, const QModelIndex &parent = {})
{
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, column, parent);
        if (i.data().toString() == name)
            return i;
        const QModelIndex inner = findRow(m, name, column, m->index(r, 0, parent));
        if (inner.isValid())
            return inner;
    }
    return {};
}

} // namespace

class TestCompareView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(spanscopePalette(false));
    }

    void emptyUntilTracesAreSet()
    {
        CompareView view;
        QVERIFY(!view.emptyText().isEmpty());
        view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
        QVERIFY(view.emptyText().isEmpty());
        view.clear();
        QVERIFY(!view.emptyText().isEmpty());
        QCOMPARE(view.model()->rowCount(), 0);
        // A comparison computed elsewhere (a worker thread) shows the same.
        const auto a = run(false), b = run(true);
        view.setTraces(a, summaryOf(a), b, summaryOf(b), TraceComparison::compare(*a, *b));
        QVERIFY(view.emptyText().isEmpty());
        QCOMPARE(view.model()->comparison().rowCount(), 9);
        QCOMPARE(view.model()->rowCount(), 1);
    }

    void rowsOfAAndBLineUp()
    {
        CompareView view;
        view.resize(1400, 800);
        view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QAbstractItemModel *m = view.treeView()->model();
        const QModelIndex root = m->index(0, 0);
        QStringList rows;
        for (int r = 0; r < m->rowCount(root); ++r) {
            rows << m->index(r, CompareModel::NameAColumn, root).data().toString() + " | "
                        + m->index(r, CompareModel::ChangesColumn, root).data().toString() + " | "
                        + m->index(r, CompareModel::NameBColumn, root).data().toString();
            // Both halves of a row sit at the same height.
            QCOMPARE(view.treeView()->visualRect(m->index(r, CompareModel::NameAColumn, root)).top(),
                     view.treeView()->visualRect(m->index(r, CompareModel::TimelineBColumn, root)).top());
        }
        QCOMPARE(rows, (QStringList{
                           "plan | input, messages, parameters | plan",
                           "search_web | ok → error, output | search_web",
                           " | added | search_web",
                           "vector_search |  | vector_search",
                           "fetch_page | removed | ",
                           "write answer | gpt-4o → gpt-4o-mini, messages, tokens, cost | write answer",
                           " | added | output guardrail",
                       }));
        QVERIFY(view.summaryBar()->totalsText().contains("Latency +1.50 s (+18.8 %)"));
        QVERIFY(view.summaryBar()->totalsText().contains("2 added"));
        QVERIFY(view.summaryBar()->titleText().contains("research-agent"));
    }

    void selectingAChangedPairShowsItsWordDiff()
    {
        CompareView view;
        view.resize(1400, 800);
        view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTreeView *tree = view.treeView();
        const QModelIndex plan = findRow(tree->model(), "plan", CompareModel::NameBColumn);
        QVERIFY(plan.isValid());
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(plan).center());
        QCOMPARE(view.currentRow(), view.model()->compareRow(plan));

        CompareDiffPane *pane = view.diffPane();
        QVERIFY(pane->titleText().contains("plan"));
        QVERIFY(pane->isChanged(CompareDiffPane::InputTab));
        QVERIFY(pane->isChanged(CompareDiffPane::MessagesTab));
        QVERIFY(pane->isChanged(CompareDiffPane::ParametersTab));
        QVERIFY(!pane->isChanged(CompareDiffPane::OutputTab));
        QVERIFY(pane->tabs()->tabText(CompareDiffPane::MessagesTab).endsWith("●"));

        // Messages: "Summarize [-recent-]{+the latest+} reviews … pick the {+two +}best [-one-]{+ones+}."
        QTest::mouseClick(pane->tabs()->tabBar(), Qt::LeftButton, {},
                          pane->tabs()->tabBar()->tabRect(CompareDiffPane::MessagesTab).center());
        QCOMPARE(pane->tabs()->currentIndex(), int(CompareDiffPane::MessagesTab));
        const QTextDocument *messages = pane->browser(CompareDiffPane::MessagesTab)->document();
        QVERIFY(hasFragment(messages, "recent", true, true));
        QVERIFY(hasFragment(messages, "the latest", false, true));
        QVERIFY(hasFragment(messages, "two ", false, true));
        QVERIFY(hasFragment(messages, "reviews of quiet hotels in Paris and pick the", false, false));
        // Tool-call ids differ between the runs but are no difference.
        QVERIFY(!messages->toPlainText().contains("call_"));
        QVERIFY(messages->toPlainText().contains("[system]"));

        // Parameters: key level.
        const QTextDocument *params = pane->browser(CompareDiffPane::ParametersTab)->document();
        QVERIFY2(params->toPlainText().contains("~ temperature: 0.2 → 0.7"), qPrintable(params->toPlainText()));
        QVERIFY(hasFragment(params, "0.2", true, true));
        QVERIFY(!params->toPlainText().contains("max_tokens"));

        // Keyboard: Down moves to the next row, whose status and output changed.
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_Down);
        QVERIFY(pane->isChanged(CompareDiffPane::OutputTab));
        QCOMPARE(pane->tabs()->currentIndex(), int(CompareDiffPane::OutputTab));
        QVERIFY(hasFragment(pane->browser(CompareDiffPane::OutputTab)->document(), "Hôtel Lumière", true, true));
    }

    void addedSpanShowsEverythingAdded()
    {
        CompareView view;
        view.resize(1400, 800);
        view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
        const QModelIndex retry = findRow(view.model(), "search_web", CompareModel::NameBColumn, view.model()->index(0, 0).siblingAtColumn(0));
        QVERIFY(retry.isValid());
        // The first search_web pairs; the retry is the next row.
        const QModelIndex added = retry.sibling(retry.row() + 1, 0);
        QCOMPARE(added.data(CompareModel::StatusRole).toInt(), int(CompareStatus::Added));
        view.selectRow(view.model()->compareRow(added));
        QVERIFY(view.diffPane()->titleText().contains("only in B"));
        QVERIFY(hasFragment(view.diffPane()->browser(CompareDiffPane::InputTab)->document(), "quiet hotels Paris reviews", false, true));
    }

    void timeScaleToggle()
    {
        CompareView view;
        view.resize(1400, 800);
        view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTreeView *tree = view.treeView();
        // A lasts 8 s, B 9.5 s. On the common scale A's root bar stops at 8/9.5 of its column.
        const QRect cell = tree->visualRect(view.model()->index(0, CompareModel::TimelineAColumn));
        const QColor agent = KindPalette::color(SpanKind::Agent, false);
        auto pixelNearRightEnd = [&] {
            const QImage img = tree->viewport()->grab().toImage();
            return img.pixelColor(cell.right() - 8, cell.center().y());
        };
        QVERIFY(view.isCommonTimeScale());
        QVERIFY(pixelNearRightEnd() != agent);
        QVERIFY(tree->model()->headerData(CompareModel::TimelineAColumn, Qt::Horizontal).toString().contains("9.50 s"));

        QTest::mouseClick(view.commonTimeScaleCheckBox(), Qt::LeftButton, {},
                          view.commonTimeScaleCheckBox()->rect().topLeft() + QPoint(6, view.commonTimeScaleCheckBox()->height() / 2));
        QVERIFY(!view.isCommonTimeScale());
        QCOMPARE(pixelNearRightEnd(), agent);
        QVERIFY(tree->model()->headerData(CompareModel::TimelineAColumn, Qt::Horizontal).toString().contains("8.00 s"));
        view.setCommonTimeScale(true);
        QVERIFY(view.commonTimeScaleCheckBox()->isChecked());
    }

    void contributorButtonSelectsItsRow()
    {
        CompareView view;
        view.resize(1400, 800);
        view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QList<QToolButton *> buttons = view.summaryBar()->contributorButtons();
        QVERIFY(buttons.size() >= 2);
        // The answer got cheaper (gpt-4o-mini): it leads the cost contributors.
        QToolButton *cost = buttons.last();
        QVERIFY2(cost->text().startsWith("write answer"), qPrintable(cost->text()));
        view.selectRow(0);
        QTest::mouseClick(cost, Qt::LeftButton);
        const int row = view.currentRow();
        QVERIFY(row >= 0);
        QCOMPARE(view.model()->traceB()->span(view.model()->comparison().row(row).b).name, "write answer");
        QVERIFY(view.diffPane()->titleText().contains("write answer"));
    }

    void snapshots()
    {
        for (const bool dark : {false, true}) {
            QApplication::setPalette(spanscopePalette(dark));
            CompareView view;
            view.resize(1500, 860);
            view.setTraces(run(false), summaryOf(run(false)), run(true), summaryOf(run(true)));
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            view.selectRow(view.model()->compareRow(findRow(view.model(), "plan", CompareModel::NameBColumn)));
            view.diffPane()->tabs()->setCurrentIndex(CompareDiffPane::MessagesTab);
            QApplication::processEvents();
            const QString theme = dark ? "dark" : "light";
            const QString path = snapshotDir() + "/compare-" + theme + ".png";
            QVERIFY(view.grab().save(path));
            qInfo("snapshot: %s", qPrintable(path));
            // The key-level diff of JSON, on the pair whose model changed.
            view.selectRow(view.model()->compareRow(findRow(view.model(), "write answer", CompareModel::NameBColumn)));
            view.diffPane()->tabs()->setCurrentIndex(CompareDiffPane::AttributesTab);
            QApplication::processEvents();
            QVERIFY(view.diffPane()->grab().save(snapshotDir() + "/compare-" + theme + "-attributes.png"));
        }
        QApplication::setPalette(spanscopePalette(false));
    }
};

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
