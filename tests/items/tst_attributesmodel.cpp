#include "items/attributesmodel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace spanscope;

namespace {

QStringList dump(const QAbstractItemModel &m, const QModelIndex &parent = {}, int depth = 0)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        out.append(QString(depth * 2, QLatin1Char(' ')) + i.data().toString() + QStringLiteral(" | ")
                   + i.siblingAtColumn(AttributesModel::ValueColumn).data().toString() + QStringLiteral(" | ")
                   + i.siblingAtColumn(AttributesModel::TypeColumn).data().toString());
        out += dump(m, i, depth + 1);
    }
    return out;
}

Attributes sample()
{
    return {
        {"gen_ai.request.model", QStringLiteral("gpt-4o")},
        {"gen_ai.usage.input_tokens", qint64(1234)},
        {"llm.temperature", 0.2},
        {"stream", true},
        {"gen_ai.prompt", QStringLiteral("line one\nline two")},
        {"tags", QVariantList{QStringLiteral("a"), qint64(2)}},
        {"blob", QByteArray("hi")},
    };
}

} // namespace

class TestAttributesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flat()
    {
        AttributesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAttributes(sample());
        const QStringList expected = {
            "gen_ai.request.model | gpt-4o | string",
            "gen_ai.usage.input_tokens | 1234 | int",
            "llm.temperature | 0.2 | double",
            "stream | true | bool",
            QString::fromUtf8("gen_ai.prompt | line one⏎line two | string"),
            "tags | [\"a\",2] | array",
            "blob | aGk= | bytes",
        };
        QCOMPARE(dump(model), expected);
        QCOMPARE(model.attributeCount(), 7);
        QVERIFY(!model.hasSections());
        const QModelIndex prompt = model.index(4, AttributesModel::ValueColumn);
        QCOMPARE(prompt.data(Qt::EditRole).toString(), QStringLiteral("line one\nline two"));
        QCOMPARE(prompt.data(AttributesModel::ValueRole).toString(), QStringLiteral("line one\nline two"));
        QCOMPARE(model.index(1, 1).data(AttributesModel::ValueRole).toLongLong(), 1234);
    }

    void sections()
    {
        AttributesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSections({{"Span", sample()}, {"Empty", {}}, {"Resource", {{"service.name", QStringLiteral("api")}}}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.attributeCount(), 8);
        const QModelIndex resource = model.index(1, 0);
        QCOMPARE(resource.data().toString(), QStringLiteral("Resource"));
        QVERIFY(resource.data(AttributesModel::IsSectionRole).toBool());
        QCOMPARE(model.rowCount(resource), 1);
        const QModelIndex service = model.index(0, AttributesModel::ValueColumn, resource);
        QCOMPARE(service.data().toString(), QStringLiteral("api"));
        QCOMPARE(model.parent(service), resource);
        QVERIFY(!service.data(AttributesModel::IsSectionRole).toBool());

        model.setSections({});
        QCOMPARE(model.rowCount(), 0);
        model.setAttributes(sample());
        QCOMPARE(model.rowCount(), 7);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void longValuesAreShortenedInCells()
    {
        AttributesModel model;
        const QString big(5 * 1024 * 1024, QLatin1Char('y'));
        model.setAttributes({{"big", big}});
        const QModelIndex value = model.index(0, AttributesModel::ValueColumn);
        QVERIFY(value.data().toString().size() < 400);
        QCOMPARE(value.data(Qt::EditRole).toString().size(), big.size());
        QVERIFY(value.data(Qt::ToolTipRole).toString().size() < 3000);
    }

    void filterThroughProxy()
    {
        AttributesModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setRecursiveFilteringEnabled(true);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy.setFilterKeyColumn(-1);
        proxy.setFilterRole(Qt::EditRole);
        model.setSections({{"Span", sample()}, {"Resource", {{"service.name", QStringLiteral("api")}}}});
        proxy.setFilterFixedString(QStringLiteral("GEN_AI"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 3);
        proxy.setFilterFixedString(QStringLiteral("line two"));   // matches the full value
        QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 1);
        proxy.setFilterFixedString(QString());
        QCOMPARE(proxy.rowCount(), 2);
    }

    void fromVariantMap()
    {
        const Attributes a = AttributesModel::fromVariantMap({{"temperature", 0.7}, {"max_tokens", 256}});
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).key, QStringLiteral("max_tokens"));
        QCOMPARE(AttributesModel::typeName(a.at(0).value), QStringLiteral("int"));
    }
};

QTEST_MAIN(TestAttributesModel)
#include "tst_attributesmodel.moc"
