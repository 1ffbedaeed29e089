#include "semconv/semconv.h"
#include "store/detailcodec.h"

#include <QCborMap>
#include <QCborValue>
#include <QDateTime>
#include <QTest>

#include <limits>

using namespace spanscope;

namespace {
Span withInputOutput()
{
    Span s;
    s.input = {QString(200, QLatin1Char('i')) + QStringLiteral(" the question"), QStringLiteral("text/plain")};
    s.output = {QStringLiteral("{\"answer\": \"") + QString(100, QLatin1Char('o')) + QStringLiteral("\"}"),
                QStringLiteral("application/json")};
    return s;
}

Span decoded(const Span &original, const QByteArray &data, int format, bool *ok = nullptr)
{
    Span out;
    out.input = original.input;
    out.output = original.output;
    const bool result = DetailCodec::decode(data, format, out);
    if (ok)
        *ok = result;
    return out;
}
} // namespace

class TestDetailCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void attributeValueKeepsType_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addRow("string") << QVariant(QStringLiteral("héllo ✓"));
        QTest::addRow("empty string") << QVariant(QString());
        QTest::addRow("bool true") << QVariant(true);
        QTest::addRow("bool false") << QVariant(false);
        QTest::addRow("int64") << QVariant(qint64(-1234567890123LL));
        QTest::addRow("int64 min") << QVariant(std::numeric_limits<qint64>::min());
        QTest::addRow("int64 max") << QVariant(std::numeric_limits<qint64>::max());
        QTest::addRow("double") << QVariant(0.1);
        QTest::addRow("integral double stays double") << QVariant(3.0);
        QTest::addRow("bytes") << QVariant(QByteArray("\x00\x01\xff payload", 12));
        QTest::addRow("bytes that look like text") << QVariant(QByteArray("plain"));
        QTest::addRow("unsigned above int64") << QVariant(std::numeric_limits<quint64>::max());
        QTest::addRow("string list") << QVariant(QStringList{QStringLiteral("a"), QStringLiteral("b")});
        QTest::addRow("nested list")
            << QVariant(QVariantList{qint64(1), QStringLiteral("two"), QVariantList{true, 2.5},
                                     QVariantMap{{QStringLiteral("k"), QByteArray("v")}}});
        QTest::addRow("nested map")
            << QVariant(QVariantMap{{QStringLiteral("a"), QVariantMap{{QStringLiteral("b"), QVariantList{}}}},
                                    {QStringLiteral("n"), QVariant()}});
        QTest::addRow("hash") << QVariant(QVariantHash{{QStringLiteral("x"), qint64(1)}});
        QTest::addRow("invalid") << QVariant();
        QTest::addRow("null") << QVariant::fromValue(nullptr);
        QTest::addRow("date time")
            << QVariant(QDateTime(QDate(2024, 5, 17), QTime(10, 11, 12, 345), Qt::UTC));
    }

    void attributeValueKeepsType()
    {
        QFETCH(QVariant, value);
        Span s = withInputOutput();
        s.attributes = {{QStringLiteral("key"), value}};
        DetailCodec::Format format;
        const QByteArray data = DetailCodec::encode(s, &format);
        bool ok = false;
        const Span back = decoded(s, data, format, &ok);
        QVERIFY(ok);
        QCOMPARE(back.attributes.size(), 1);
        const QVariant got = back.attributes.first().value;
        QCOMPARE(got.typeId(), value.typeId());
        QCOMPARE(got, value);
    }

    void smallIntegersComeBackAsInt64()
    {
        Span s;
        s.parameters = {{QStringLiteral("max_tokens"), 256}};
        DetailCodec::Format format;
        const QByteArray data = DetailCodec::encode(s, &format);
        const Span back = decoded(s, data, format);
        QCOMPARE(back.parameters.value(QStringLiteral("max_tokens")).typeId(), int(QMetaType::LongLong));
        QCOMPARE(back.parameters, s.parameters);  // numerically equal
    }

    void everyField()
    {
        Span s = withInputOutput();
        s.scopeName = QStringLiteral("openinference.instrumentation.langchain");
        s.scopeVersion = QStringLiteral("0.1.2");
        s.operation = QStringLiteral("chat");
        s.responseModel = QStringLiteral("gpt-4o-2024-08-06");
        s.parameters = {{QStringLiteral("temperature"), 0.2}, {QStringLiteral("stop"), QStringList{QStringLiteral("##")}}};
        s.inputMessages = {{QStringLiteral("system"), QStringLiteral("Be brief."), {}, {}, {}, {}},
                           {QStringLiteral("tool"), QStringLiteral("42"), {}, QStringLiteral("call_1"), QStringLiteral("calc"), {}}};
        s.outputMessages = {{QStringLiteral("assistant"), QString(),
                             {{QStringLiteral("call_1"), QStringLiteral("calc"), QStringLiteral("{\"x\":1}")}},
                             {}, {}, QStringLiteral("tool_calls")}};
        s.toolName = QStringLiteral("calc");
        s.agentName = QStringLiteral("planner");
        s.documents = {{QStringLiteral("d1"), QStringLiteral("doc text"), 0.75, {{QStringLiteral("src"), QStringLiteral("wiki")}}},
                       {QStringLiteral("d2"), QString(), std::nullopt, {}}};
        s.tags = {QStringLiteral("prod"), QStringLiteral("eval")};
        s.metadata = {{QStringLiteral("run"), qint64(7)}};
        s.attributes = {{QStringLiteral("dup"), QStringLiteral("first")}, {QStringLiteral("dup"), QStringLiteral("second")},
                        {QStringLiteral("input.value"), s.input.value}, {QStringLiteral("output.value"), s.output.value}};
        s.resourceAttributes = {{QStringLiteral("service.name"), QStringLiteral("svc")}};
        s.scopeAttributes = {{QStringLiteral("scope.flag"), true}};
        s.events = {{123, QStringLiteral("exception"), {{QStringLiteral("exception.message"), QStringLiteral("boom")}}}};
        s.links = {{QStringLiteral("t2"), QStringLiteral("s2"), {{QStringLiteral("rel"), QStringLiteral("follows")}}}};

        DetailCodec::Format format;
        const QByteArray data = DetailCodec::encode(s, &format);
        bool ok = false;
        const Span back = decoded(s, data, format, &ok);
        QVERIFY(ok);
        QCOMPARE(back, s);
    }

    void repeatedInputIsAReference()
    {
        Span s = withInputOutput();
        s.input.value = QString(3000, QLatin1Char('x'));
        s.attributes = {{QStringLiteral("input.value"), s.input.value}};
        DetailCodec::Format format;
        const QByteArray data = DetailCodec::encode(s, &format);
        QCOMPARE(format, DetailCodec::Cbor);
        QVERIFY2(data.size() < 100, QByteArray::number(data.size()));
        QCOMPARE(decoded(s, data, format).attributes, s.attributes);
    }

    // Messages normalize() read from one attribute are stored as a reference to it and read from
    // it again on decoding; anything else about them keeps them stored in full.
    void messagesReadFromAnAttributeAreAReference()
    {
        const QString in = QStringLiteral(
            "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
            "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"%1\"}]}]").arg(QString(900, QLatin1Char('q')));
        const QString out = QStringLiteral(
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"calc\","
            "\"arguments\":{\"x\":1.50}}],\"finish_reason\":\"tool_calls\"}]");
        Span s;
        s.attributes = {{QStringLiteral("gen_ai.operation.name"), QStringLiteral("chat")},
                        {QStringLiteral("gen_ai.input.messages"), in},
                        {QStringLiteral("gen_ai.output.messages"), out}};
        semconv::normalize(s);
        QCOMPARE(s.inputMessages.size(), 2);
        QCOMPARE(s.outputMessages.size(), 1);
        QVERIFY(s.messageOrigin.origin);

        DetailCodec::Format format;
        const QByteArray data = DetailCodec::encode(s, &format);
        QCOMPARE(format, DetailCodec::Cbor);
        // The 900 characters of the user message are there once (in the attribute), not twice.
        QVERIFY2(data.size() < in.size() + out.size() + 200, QByteArray::number(data.size()));
        const Span back = decoded(s, data, format);  // const: a non-const access would detach the lists
        QCOMPARE(back.attributes, s.attributes);
        QCOMPARE(back.operation, s.operation);
        QCOMPARE(back.inputMessages, s.inputMessages);
        QCOMPARE(back.outputMessages, s.outputMessages);
        QCOMPARE(back.outputMessages[0].toolCalls[0].arguments, QStringLiteral("{\"x\":1.5}"));
        // Decoding records the origin too, so the span stored again stays a reference.
        QVERIFY(back.messageOrigin.origin);
        QCOMPARE(DetailCodec::encode(back, &format).size(), data.size());

        // Messages changed after normalize() are stored as they are now.
        Span edited = s;
        edited.inputMessages[1].content = QStringLiteral("changed");
        const QByteArray editedData = DetailCodec::encode(edited, &format);
        QVERIFY(editedData.size() > data.size());
        QCOMPARE(decoded(edited, editedData, format).inputMessages, edited.inputMessages);
        QCOMPARE(decoded(edited, editedData, format).outputMessages, s.outputMessages);

        // So are messages whose attribute was replaced (the messages no longer follow from it).
        Span replaced = s;
        replaced.attributes[1].value = QStringLiteral("[{\"role\":\"user\",\"content\":\"other\"}]");
        const Span replacedBack = decoded(replaced, DetailCodec::encode(replaced, &format), format);
        QCOMPARE(replacedBack.inputMessages, s.inputMessages);
        QCOMPARE(replacedBack.attributes, replaced.attributes);

        // And a span whose messages did not come from one attribute as they are (system
        // instructions added, finish reasons filled in from another attribute) has no origin.
        Span merged;
        merged.attributes = {{QStringLiteral("gen_ai.input.messages"), in},
                             {QStringLiteral("gen_ai.system_instructions"), QStringLiteral("Answer in French.")},
                             {QStringLiteral("gen_ai.output.messages"), QStringLiteral("[{\"role\":\"assistant\",\"content\":\"ok\"}]")},
                             {QStringLiteral("gen_ai.response.finish_reasons"), QVariantList{QStringLiteral("stop")}}};
        semconv::normalize(merged);
        QCOMPARE(merged.inputMessages.first().content, QStringLiteral("Answer in French."));
        QCOMPARE(merged.outputMessages.first().finishReason, QStringLiteral("stop"));
        QVERIFY(!merged.messageOrigin.origin);
        const Span mergedBack = decoded(merged, DetailCodec::encode(merged, &format), format);
        QCOMPARE(mergedBack.inputMessages, merged.inputMessages);
        QCOMPARE(mergedBack.outputMessages, merged.outputMessages);
    }

    void largeDocumentIsCompressed()
    {
        Span s;
        for (int i = 0; i < 200; ++i)
            s.attributes.push_back({QStringLiteral("attr.%1").arg(i), QStringLiteral("a fairly repetitive value %1").arg(i % 7)});
        DetailCodec::Format format;
        const QByteArray data = DetailCodec::encode(s, &format);
        QCOMPARE(format, DetailCodec::ZstdCbor);
        QVERIFY(data.size() < DetailCodec::CompressThreshold);
        bool ok = false;
        QCOMPARE(decoded(s, data, format, &ok).attributes, s.attributes);
        QVERIFY(ok);
    }

    // Workspaces written by earlier versions hold zlib-compressed documents (qCompress framing).
    void zlibDocumentsOfOlderVersionsStillDecode()
    {
        Span s;
        s.toolName = QStringLiteral("search");
        s.attributes = {{QStringLiteral("query"), QStringLiteral("weather in Paris")}, {QStringLiteral("n"), qint64(3)}};
        DetailCodec::Format format;
        const QByteArray plain = DetailCodec::encode(s, &format);
        QCOMPARE(format, DetailCodec::Cbor);
        bool ok = false;
        const Span back = decoded(s, qCompress(plain, 1), DetailCodec::CompressedCbor, &ok);
        QVERIFY(ok);
        QCOMPARE(back.toolName, s.toolName);
        QCOMPARE(back.attributes, s.attributes);
    }

    // A compressed document that is cut short, has bytes after its end or a damaged body is
    // rejected, never read as something else.
    void damagedZstdDocuments()
    {
        Span s;
        for (int i = 0; i < 300; ++i)
            s.attributes.push_back({QStringLiteral("attr.%1").arg(i), QStringLiteral("value number %1 of many").arg(i)});
        DetailCodec::Format format;
        const QByteArray good = DetailCodec::encode(s, &format);
        QCOMPARE(format, DetailCodec::ZstdCbor);
        Span out;
        QVERIFY(DetailCodec::decode(good, format, out));
        QCOMPARE(out.attributes, s.attributes);

        QVERIFY(!DetailCodec::decode(good.left(good.size() - 5), format, out));
        QVERIFY(out.attributes.isEmpty());
        QVERIFY(!DetailCodec::decode(good + QByteArray("trailing"), format, out));
        QByteArray flipped = good;
        for (qsizetype i = 20; i < flipped.size() - 4; i += 7)
            flipped[i] = char(flipped[i] ^ 0x5a);
        QVERIFY(!DetailCodec::decode(flipped, format, out));
        // The same bytes are no zlib stream, and a plain document is no Zstandard frame.
        QVERIFY(!DetailCodec::decode(good, DetailCodec::CompressedCbor, out));
        QVERIFY(!DetailCodec::decode(DetailCodec::encode(Span(), &format), DetailCodec::ZstdCbor, out));
    }

    // A frame header may claim any size: the decoder must not trust it (a blob claiming 800 MB with
    // no content fails at once, without allocating the 800 MB).
    void zstdHeaderClaimingHugeContent_data()
    {
        QTest::addColumn<QByteArray>("data");
        // Magic, frame header descriptor (8-byte content size, no single segment), window
        // descriptor, then the content size little-endian; no blocks follow.
        auto frame = [](quint64 size) {
            QByteArray f = QByteArray::fromHex("28b52ffd") + QByteArray::fromHex("c0") + QByteArray::fromHex("00");
            for (int i = 0; i < 8; ++i)
                f.append(char((size >> (8 * i)) & 0xff));
            return f;
        };
        QTest::addRow("800 MB") << frame(800ull << 20);
        QTest::addRow("4 GiB") << frame(4ull << 30);
        QTest::addRow("2^63") << frame(1ull << 63);
        QTest::addRow("800 MB, one raw block of 3 bytes")
            << frame(800ull << 20) + QByteArray::fromHex("190000") + QByteArray("abc");
    }

    void zstdHeaderClaimingHugeContent()
    {
        QFETCH(QByteArray, data);
        Span out;
        QVERIFY(!DetailCodec::decode(data, DetailCodec::ZstdCbor, out));
    }

    void emptySpanEncodesToAlmostNothing()
    {
        DetailCodec::Format format;
        QVERIFY(DetailCodec::encode(Span(), &format).size() <= 2);
        bool ok = false;
        QCOMPARE(decoded(Span(), QByteArray(), DetailCodec::Cbor, &ok), Span());
        QVERIFY(ok);
    }

    void damagedDocuments_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("format");
        QTest::addRow("garbage") << QByteArray("\xff\xfe not cbor") << int(DetailCodec::Cbor);
        QTest::addRow("not a map") << QCborValue(42).toCbor() << int(DetailCodec::Cbor);
        QTest::addRow("truncated") << QByteArray("\xbf\x01\x78\x40zz") << int(DetailCodec::Cbor);
        QTest::addRow("bad zlib") << QByteArray("\x00\x00\x10\x00garbage") << int(DetailCodec::CompressedCbor);
        QTest::addRow("bad zstd") << QByteArray("\x28\xb5\x2f\xfdgarbage") << int(DetailCodec::ZstdCbor);
        QTest::addRow("empty zstd") << QByteArray() << int(DetailCodec::ZstdCbor);
        QTest::addRow("unknown format") << QByteArray("\xbf\xff") << 7;
    }

    void damagedDocuments()
    {
        QFETCH(QByteArray, data);
        QFETCH(int, format);
        Span s;
        s.toolName = QStringLiteral("left over");
        s.attributes = {{QStringLiteral("k"), true}};
        QVERIFY(!DetailCodec::decode(data, format, s));
        QVERIFY(s.toolName.isEmpty());
        QVERIFY(s.attributes.isEmpty());
    }

    void unknownKeysAreIgnored()
    {
        // A document written by a newer version with a field this one does not know.
        QCborMap m;
        m.insert(8, QStringLiteral("calc"));  // tool name
        m.insert(999, QStringLiteral("from the future"));
        Span s;
        QVERIFY(DetailCodec::decode(m.toCborValue().toCbor(), DetailCodec::Cbor, s));
        QCOMPARE(s.toolName, QStringLiteral("calc"));
    }
};

QTEST_GUILESS_MAIN(TestDetailCodec)
#include "tst_detailcodec.moc"
