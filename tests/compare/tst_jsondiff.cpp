#include "compare/jsondiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spanscope;

namespace {

QJsonValue j(const char *text)
{
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray(text));
    return d.isObject() ? QJsonValue(d.object()) : QJsonValue(d.array());
}

} // namespace

class TestJsonDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keys_data()
    {
        QTest::addColumn<QJsonValue>("a");
        QTest::addColumn<QJsonValue>("b");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("equal") << j(R"({"x":1,"y":[1,2]})") << j(R"({"y":[1,2],"x":1})") << QStringList{};
        QTest::addRow("added removed changed keys")
            << j(R"({"temperature":0.2,"max_tokens":512,"stop":null})") << j(R"({"temperature":0.7,"max_tokens":512,"top_p":0.9})")
            << QStringList{"- stop: null", "~ temperature: 0.2 -> 0.7", "+ top_p: 0.9"};
        QTest::addRow("nested") << j(R"({"a":{"b":{"c":1,"d":"x"}}})") << j(R"({"a":{"b":{"c":2,"d":"x"}}})")
                                << QStringList{"~ a.b.c: 1 -> 2"};
        QTest::addRow("type change") << j(R"({"a":{"b":1}})") << j(R"({"a":[1]})")
                                     << QStringList{R"(~ a: {"b":1} -> [1])"};
        QTest::addRow("changed element descends")
            << j(R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Find cheap hotels"}]})")
            << j(R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Find quiet hotels"}]})")
            << QStringList{R"(~ messages[1].content: "Find cheap hotels" -> "Find quiet hotels")"};
        QTest::addRow("inserted element is one addition")
            << j(R"([{"n":1},{"n":2},{"n":3}])") << j(R"([{"n":1},{"n":9},{"n":2},{"n":3}])")
            << QStringList{R"(+ [1]: {"n":9})"};
        QTest::addRow("removed element numbered in A")
            << j(R"(["a","b","c"])") << j(R"(["a","c"])") << QStringList{R"(- [1]: "b")"};
        QTest::addRow("more removed than added")
            << j(R"([1,2,3,4])") << j(R"([1,5,4])") << QStringList{"~ [1]: 2 -> 5", "- [2]: 3"};
        QTest::addRow("JSON inside strings")
            << QJsonValue(QJsonObject{{"arguments", "{\"city\": \"Paris\", \"days\": 2}"}})
            << QJsonValue(QJsonObject{{"arguments", "{\"city\":\"Lyon\",\"days\":2}"}})
            << QStringList{R"(~ arguments.city: "Paris" -> "Lyon")"};
        QTest::addRow("JSON strings spelled differently")
            << QJsonValue(QJsonObject{{"arguments", "{\"a\": 1, \"b\": 2}"}})
            << QJsonValue(QJsonObject{{"arguments", "{\"b\":2,\"a\":1}"}}) << QStringList{};
        QTest::addRow("odd keys are quoted")
            << j(R"({"gen_ai.request.model":"a","x[0]":1,"":2})") << j(R"({"gen_ai.request.model":"b","x[0]":3,"":4})")
            << QStringList{R"(~ [""]: 2 -> 4)", R"(~ gen_ai.request.model: "a" -> "b")", R"(~ ["x[0]"]: 1 -> 3)"};
    }
    void keys()
    {
        QFETCH(QJsonValue, a);
        QFETCH(QJsonValue, b);
        QFETCH(QStringList, expected);
        QCOMPARE(dumpJsonChanges(diffJson(a, b)), expected);
    }

    void rootPathPrefixesEveryChange()
    {
        const QList<JsonChange> c = diffJson(j(R"([{"content":"a"}])"), j(R"([{"content":"b"}])"), "messages");
        QCOMPARE(c.size(), 1);
        QCOMPARE(c[0].path, "messages[0].content");
        QCOMPARE(c[0].kind, JsonChange::Changed);
        QCOMPARE(c[0].before.toString(), "a");
        QCOMPARE(c[0].after.toString(), "b");
    }

    void parseContainer()
    {
        QVERIFY(parseJsonContainer(" {\"a\":1} ").isObject());
        QVERIFY(parseJsonContainer("[1]").isArray());
        QVERIFY(parseJsonContainer("42").isUndefined());
        QVERIFY(parseJsonContainer("{broken").isUndefined());
        QVERIFY(parseJsonContainer("").isUndefined());
    }
};

QTEST_GUILESS_MAIN(TestJsonDiff)
#include "tst_jsondiff.moc"
