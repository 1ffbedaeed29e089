#include "compare/spandiff.h"

#include "comparebuilder.h"

#include <QTest>

using namespace spanscope;
using namespace comparebuilder;

namespace {

Span chatSpan(const QString &prompt)
{
    Span s = llm("c", {}, "chat", 0, 10, "gpt-4o");
    s.inputMessages = {Message{"system", "You are a travel assistant.", {}, {}, {}, {}}, Message{"user", prompt, {}, {}, {}, {}}};
    s.outputMessages = {Message{"assistant", {}, {ToolCall{"call_a", "get_weather", R"({"city":"Paris"})"}}, {}, {}, "tool_calls"}};
    s.parameters = {{"temperature", 0.2}, {"max_tokens", 512}};
    s.input.value = prompt;
    s.output.value = R"({"forecast":"rain","temp_c":14})";
    s.attributes = {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.response.id", "resp-1"}};
    return s;
}

} // namespace

class TestSpanDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pairOfChangedSpans()
    {
        const Span a = chatSpan("Find cheap hotels in Paris");
        Span b = chatSpan("Find quiet hotels in Paris");
        b.outputMessages[0].toolCalls[0].id = "call_b";
        b.outputMessages[0].toolCalls[0].arguments = R"({"city":"Lyon"})";
        b.parameters["temperature"] = 0.7;
        b.output.value = R"({"forecast":"sun","temp_c":14})";
        b.attributes[1].value = "resp-2";

        const SpanPairDiff d = diffSpanDetails(&a, &b);
        QCOMPARE(d.input.mode, FieldDiff::Mode::Text);
        QCOMPARE(textDiffToString(d.input.words), "Find [-cheap-]{+quiet+} hotels in Paris");
        QCOMPARE(d.output.mode, FieldDiff::Mode::Json);
        QCOMPARE(dumpJsonChanges(d.output.keys), QStringList{R"(~ forecast: "rain" -> "sun")"});
        QCOMPARE(dumpJsonChanges(d.messages.keys), (QStringList{
                                                       R"(~ messages[1].content: "Find cheap hotels in Paris" -> "Find quiet hotels in Paris")",
                                                       R"(~ messages[2].toolCalls[0].arguments.city: "Paris" -> "Lyon")",
                                                   }));
        QCOMPARE(dumpJsonChanges(d.parameters.keys), QStringList{"~ temperature: 0.2 -> 0.7"});
        QCOMPARE(dumpJsonChanges(d.attributes.keys), QStringList{R"(~ gen_ai.response.id: "resp-1" -> "resp-2")"});
        for (const FieldDiff *f : d.fields())
            QVERIFY2(f->changed(), qPrintable(f->field));
        QVERIFY(d.parameters.before.contains("\"temperature\": 0.2"));
    }

    void identicalSpansHaveNoChanges()
    {
        const Span a = chatSpan("Find hotels");
        const SpanPairDiff d = diffSpanDetails(&a, &a);
        for (const FieldDiff *f : d.fields())
            QVERIFY2(!f->changed(), qPrintable(f->field));
        QCOMPARE(d.input.before, "Find hotels");
    }

    void addedSpanHasEveryKeyAdded()
    {
        const Span b = chatSpan("Find hotels");
        const SpanPairDiff d = diffSpanDetails(nullptr, &b);
        QCOMPARE(dumpJsonChanges(d.parameters.keys), (QStringList{"+ max_tokens: 512", "+ temperature: 0.2"}));
        QCOMPARE(d.messages.keys.size(), 3);
        QCOMPARE(d.messages.keys[0].path, "messages[0]");
        QCOMPARE(textDiffToString(d.input.words), "{+Find hotels+}");
        QCOMPARE(d.output.mode, FieldDiff::Mode::Json);
        QCOMPARE(d.output.keys.size(), 2);
        QVERIFY(d.parameters.before.isEmpty());
    }

    void textFieldThatIsJsonOnOneSideOnly()
    {
        const FieldDiff d = diffTextField("output", "plain answer", R"({"answer":"x"})");
        QCOMPARE(d.mode, FieldDiff::Mode::Text);
        QVERIFY(d.changed());
    }
};

QTEST_GUILESS_MAIN(TestSpanDiff)
#include "tst_spandiff.moc"
