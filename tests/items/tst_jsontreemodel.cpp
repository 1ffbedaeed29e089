#include "items/jsontreemodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QTest>

using namespace spanscope;

namespace {

// Indented dump "key = value [type]" of everything below `parent`, for comparing whole trees.
QStringList dump(const QAbstractItemModel &m, const QModelIndex &parent = {}, int depth = 0)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        out.append(QString(depth * 2, QLatin1Char(' ')) + i.data().toString() + QStringLiteral(" = ")
                   + i.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString() + QStringLiteral(" [")
                   + i.siblingAtColumn(JsonTreeModel::TypeColumn).data().toString() + QStringLiteral("]"));
        out += dump(m, i, depth + 1);
    }
    return out;
}

} // namespace

class TestJsonTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void objectTree()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(QStringLiteral(R"({"model": "gpt-4o", "b": 1, "a": [true, null, 2.5e3],
            "b": {"nested": "x\ny", "empty": {}, "list": []}})")));
        const QStringList expected = {
            "model = \"gpt-4o\" [string]",
            "b = 1 [number]",
            "a = […] 3 items [array]",
            "  0 = true [boolean]",
            "  1 = null [null]",
            "  2 = 2.5e3 [number]",
            "b = {…} 3 keys [object]",
            "  nested = \"x\\ny\" [string]",
            "  empty = {…} 0 keys [object]",
            "  list = […] 0 items [array]",
        };
        QCOMPARE(dump(model), expected);
    }

    void rolesAndPaths()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(QStringLiteral(R"({"messages": [{"role": "user", "content": "caf\u00e9 \ud83d\ude00"}], "odd key": 1})")));
        const QModelIndex messages = model.index(0, 0);
        const QModelIndex first = model.index(0, 0, messages);
        const QModelIndex content = model.index(1, JsonTreeModel::ValueColumn, first);
        QCOMPARE(content.data(JsonTreeModel::ValueTextRole).toString(), QString::fromUtf8("café 😀"));
        QCOMPARE(content.data(Qt::EditRole).toString(), QString::fromUtf8("café 😀"));
        QCOMPARE(content.data(JsonTreeModel::PathRole).toString(), QStringLiteral(".messages[0].content"));
        QCOMPARE(model.index(1, 0).data(JsonTreeModel::PathRole).toString(), QStringLiteral(R"(.["odd key"])"));
        QCOMPARE(messages.data(JsonTreeModel::TypeRole).toInt(), int(JsonTreeModel::Type::Array));
        QCOMPARE(messages.data(JsonTreeModel::ChildCountRole).toInt(), 1);
        QCOMPARE(first.siblingAtColumn(JsonTreeModel::ValueColumn).data(JsonTreeModel::ValueTextRole).toString(),
                 QStringLiteral(R"({"role": "user", "content": "caf\u00e9 \ud83d\ude00"})"));
        QCOMPARE(model.parent(content), first);
        QCOMPARE(model.parent(first), messages);
        QVERIFY(!model.parent(messages).isValid());
    }

    void rootArray()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(QStringLiteral("\xfeff [1, [2, 3]] ")));
        QCOMPARE(dump(model), QStringList({"0 = 1 [number]", "1 = […] 2 items [array]", "  0 = 2 [number]", "  1 = 3 [number]"}));
        QCOMPARE(model.index(1, 0).data(JsonTreeModel::PathRole).toString(), QStringLiteral(".[1]"));
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << QString();
        QTest::addRow("scalar") << QStringLiteral("42");
        QTest::addRow("string") << QStringLiteral("\"x\"");
        QTest::addRow("unclosed") << QStringLiteral("{\"a\": 1");
        QTest::addRow("trailing comma") << QStringLiteral("[1,]");
        QTest::addRow("missing value") << QStringLiteral("{\"a\":}");
        QTest::addRow("missing colon") << QStringLiteral("{\"a\" 1}");
        QTest::addRow("leading zero") << QStringLiteral("[01]");
        QTest::addRow("bad escape") << QStringLiteral("[\"\\x\"]");
        QTest::addRow("short unicode escape") << QStringLiteral("[\"\\u12\"]");
        QTest::addRow("control character") << QStringLiteral("[\"a\nb\"]");
        QTest::addRow("garbage after") << QStringLiteral("[1] x");
        QTest::addRow("mismatched") << QStringLiteral("[1}");
        QTest::addRow("bare word") << QStringLiteral("[nul]");
        QTest::addRow("unterminated string") << QStringLiteral("[\"abc");
        QTest::addRow("deep unclosed") << QString(5000, QLatin1Char('['));
    }
    void invalid()
    {
        QFETCH(QString, text);
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(QStringLiteral("[1]")));
        QVERIFY(!JsonTreeModel::isJsonContainer(text));
        QVERIFY(!model.setJson(text));
        QVERIFY(model.isEmpty());
        QCOMPARE(model.rowCount(), 0);
    }

    void duplicateKeysKeepOrder()
    {
        JsonTreeModel model;
        QVERIFY(model.setJson(QStringLiteral(R"({"z": 1, "a": 2, "z": 3})")));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("z"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("a"));
        QCOMPARE(model.index(2, JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("3"));
    }

    void deepNesting()
    {
        // QJsonDocument refuses this; the scanner does not recurse, so it is just a deep tree.
        constexpr int depth = 10000;
        const QString text = QString(depth, QLatin1Char('[')) + QStringLiteral("\"bottom\"") + QString(depth, QLatin1Char(']'));
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(text));
        QModelIndex i;
        for (int d = 0; d < depth; ++d) {
            QCOMPARE(model.rowCount(i), 1);
            i = model.index(0, 0, i);
        }
        QCOMPARE(i.siblingAtColumn(JsonTreeModel::ValueColumn).data(JsonTreeModel::ValueTextRole).toString(), QStringLiteral("bottom"));
        QCOMPARE(model.rowCount(i), 0);
        QVERIFY(i.data(JsonTreeModel::PathRole).toString().startsWith(QStringLiteral(".[0][0][0]")));

        bool truncated = false;
        const QString indented = JsonTreeModel::indented(text, 100000, &truncated);
        QVERIFY(!indented.isEmpty());
        QVERIFY(indented.size() < 110000);
        QVERIFY(truncated);
    }

    void largeArrayIsLazy()
    {
        QString text = QStringLiteral("[");
        for (int i = 0; i < 200000; ++i)
            text += QStringLiteral("{\"i\":%1,\"s\":\"value %1\"},").arg(i);
        text.back() = QLatin1Char(']');
        JsonTreeModel model;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(model.setJson(text));
        QCOMPARE(model.rowCount(), 200000);
        const QModelIndex last = model.index(199999, 0);
        QCOMPARE(model.index(1, JsonTreeModel::ValueColumn, last).data(JsonTreeModel::ValueTextRole).toString(), QStringLiteral("value 199999"));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void validationIsQuick()
    {
        // The inspector validates payloads up to 8 MB on the GUI thread before choosing a tree.
        QString text = QStringLiteral("{\"items\": [");
        while (text.size() < 8 * 1024 * 1024)
            text += QStringLiteral("{\"id\": 12345, \"name\": \"some name \\u00e9\", \"ok\": true, \"tags\": [\"a\", \"b\"]},");
        text.back() = QLatin1Char(']');
        text += QLatin1Char('}');
        QElapsedTimer timer;
        timer.start();
        QVERIFY(JsonTreeModel::isJsonContainer(text));
        const qint64 validateMs = timer.elapsed();
        qDebug() << "validating" << text.size() << "chars took" << validateMs << "ms";
        QVERIFY2(validateMs < 500, qPrintable(QString::number(validateMs)));
    }

    void longStringsAreShortenedInCells()
    {
        const QString big(100000, QLatin1Char('x'));
        JsonTreeModel model;
        QVERIFY(model.setJson(QStringLiteral("{\"big\": \"%1\"}").arg(big)));
        const QModelIndex value = model.index(0, JsonTreeModel::ValueColumn);
        QVERIFY(value.data().toString().size() < 300);
        QVERIFY(value.data().toString().contains(QChar(0x2026)));
        QCOMPARE(value.data(Qt::EditRole).toString(), big);
    }

    void invalidUtf8()
    {
        const QString text = QString::fromUtf8("{\"a\": \"\xff\xfe\xc3\", \"\xed\xa0\x80\": 1}");
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(text));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(0, JsonTreeModel::ValueColumn).data().toString().contains(QChar::ReplacementCharacter));
    }

    void indented()
    {
        QCOMPARE(JsonTreeModel::indented(QStringLiteral(R"({"a":[1,2],"b":{},"c":"x, y: {z}"})")),
                 QStringLiteral("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": \"x, y: {z}\"\n}"));
        bool truncated = false;
        const QString cut = JsonTreeModel::indented(QStringLiteral(R"([1,2,3,4,5,6,7,8,9])"), 8, &truncated);
        QVERIFY(truncated);
        QVERIFY(cut.size() < 20);
    }

    void unescaped()
    {
        const QString token = QStringLiteral("\"a\\\"b\\\\c\\/\\n\\t\\u0041\"");
        QCOMPARE(JsonTreeModel::unescaped(token), QStringLiteral("a\"b\\c/\n\tA"));
        QCOMPARE(JsonTreeModel::unescaped(QStringLiteral(R"("abcdef")"), 3), QStringLiteral("abc"));
    }
};

QTEST_MAIN(TestJsonTreeModel)
#include "tst_jsontreemodel.moc"
