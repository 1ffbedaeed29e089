#include "items/comparemodel.h"

#include "comparebuilder.h"

#include <QAbstractItemModelTester>
#include <QRectF>
#include <QSignalSpy>
#include <QTest>

using namespace spanscope;
using namespace comparebuilder;

namespace {

std::shared_ptr<const Trace> runA()
{
    return std::make_shared<const Trace>(SpanList{
        span("root", {}, "agent", SpanKind::Agent, 0, 1000),
        llm("plan", "root", "chat gpt-4o", 0, 400, "gpt-4o", 100, 10, 0.001),
        tool("old", "root", "search", 400, 600),
        span("old2", "old", "fetch", SpanKind::Span, 450, 550),
    });
}

std::shared_ptr<const Trace> runB()
{
    return std::make_shared<const Trace>(SpanList{
        span("root", {}, "agent", SpanKind::Agent, 0, 2000),
        llm("plan", "root", "chat gpt-4o-mini", 0, 400, "gpt-4o-mini", 120, 10, 0.0001),
        tool("new", "root", "lookup", 700, 1900),
    });
}

// Column `column` of every row, depth first, indented by depth ("" for an empty cell).
QStringList column(const QAbstractItemModel &m, int column, const QModelIndex &parent = {}, int depth = 0)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        out << QString(depth * 2, ' ') + m.index(r, column, parent).data().toString();
        out << ::column(m, column, i, depth + 1);
    }
    return out;
}

} // namespace

class TestCompareModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsLineUp()
    {
        CompareModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTraces(runA(), runB());
        QCOMPARE(column(model, CompareModel::NameAColumn), (QStringList{"agent", "  chat gpt-4o", "  search", "    fetch", "  "}));
        QCOMPARE(column(model, CompareModel::NameBColumn), (QStringList{"agent", "  chat gpt-4o-mini", "  ", "    ", "  lookup"}));
        QCOMPARE(column(model, CompareModel::ChangesColumn),
                 (QStringList{"duration", "  gpt-4o → gpt-4o-mini, name, tokens, cost", "  removed", "    removed", "  added"}));
        QCOMPARE(column(model, CompareModel::DurationDeltaColumn), (QStringList{"+1.00 s", "  ±0", "  −200 ms", "    −100 ms", "  +1.20 s"}));
        QCOMPARE(column(model, CompareModel::TokensDeltaColumn), (QStringList{"", "  +20 / ±0", "  ", "    ", "  "}));
        QCOMPARE(column(model, CompareModel::CostDeltaColumn), (QStringList{"", "  −$0.000900", "  ", "    ", "  "}));

        const QModelIndex plan = model.index(0, 0).model()->index(0, 0, model.index(0, 0));
        QCOMPARE(plan.data(CompareModel::StatusRole).toInt(), int(CompareStatus::Changed));
        QVERIFY(SpanChanges::fromInt(plan.data(CompareModel::ChangesRole).toInt()).testFlag(SpanChange::Model));
        const int r = model.compareRow(plan);
        QCOMPARE(model.indexOfRow(r), plan);
        QCOMPARE(model.indexOfRow(r, CompareModel::NameBColumn).data(CompareModel::SpanIndexRole).toInt(), model.comparison().row(r).b);
        // The gap side of an added row has no span and a hatched background.
        const QModelIndex added = model.index(2, CompareModel::NameAColumn, model.index(0, 0));
        QCOMPARE(added.data(CompareModel::SpanIndexRole).toInt(), -1);
        QCOMPARE(added.data(Qt::BackgroundRole).value<QBrush>().style(), Qt::BDiagPattern);
    }

    void timeScale()
    {
        CompareModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTraces(runA(), runB());
        const QModelIndex rootA = model.index(0, CompareModel::TimelineAColumn);
        const QModelIndex rootB = model.index(0, CompareModel::TimelineBColumn);
        QVERIFY(model.isCommonTimeScale());
        QCOMPARE(rootA.data(CompareModel::BarRole).toRectF().width(), 0.5);  // 1 s of 2 s
        QCOMPARE(rootB.data(CompareModel::BarRole).toRectF().width(), 1.0);
        QCOMPARE(model.headerData(CompareModel::TimelineAColumn, Qt::Horizontal).toString(), "A: 0 – 2.00 s");
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setCommonTimeScale(false);
        QVERIFY(changed.count() >= 2);   // the roots and the root's children
        QCOMPARE(rootA.data(CompareModel::BarRole).toRectF().width(), 1.0);
        QCOMPARE(model.headerData(CompareModel::TimelineAColumn, Qt::Horizontal).toString(), "A: 0 – 1.00 s");
        // No bar where the side has no span.
        QVERIFY(!model.index(2, CompareModel::TimelineAColumn, model.index(0, 0)).data(CompareModel::BarRole).isValid());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestCompareModel)
#include "tst_comparemodel.moc"
