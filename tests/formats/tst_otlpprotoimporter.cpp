#include "testhelpers.h"

#include "formats/importer.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace spanscope;
using namespace spanscope::test;

namespace otlp {
using namespace opentelemetry::proto::collector::trace::v1;
using namespace opentelemetry::proto::common::v1;
using namespace opentelemetry::proto::trace::v1;
} // namespace otlp

namespace {

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

QByteArray serialize(const google::protobuf::MessageLite &m)
{
    return bytesOf(m.SerializeAsString());
}

QByteArray toJson(const google::protobuf::Message &m)
{
    std::string json;
    const auto status = google::protobuf::util::MessageToJsonString(m, &json);
    if (!status.ok())
        qFatal("MessageToJsonString failed");
    return bytesOf(json);
}

QByteArray delimited(const QList<otlp::ExportTraceServiceRequest> &requests)
{
    std::string out;
    {
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        for (const auto &r : requests) {
            coded.WriteVarint32(uint32_t(r.ByteSizeLong()));
            r.SerializeToCodedStream(&coded);
        }
    }
    return bytesOf(out);
}

// Where each resource_spans field of a serialized request starts.
QList<qint64> resourceSpansOffsets(const otlp::ExportTraceServiceRequest &request)
{
    QList<qint64> offsets;
    qint64 at = 0;
    for (const auto &rs : request.resource_spans()) {
        offsets.push_back(at);
        const size_t size = rs.ByteSizeLong();
        at += 1 + google::protobuf::io::CodedOutputStream::VarintSize64(size) + qint64(size);
    }
    return offsets;
}

// Random but reproducible requests exercising every AnyValue type, events, links and statuses.
class RequestBuilder
{
public:
    explicit RequestBuilder(quint32 seed, int bigValueBytes = 0) : m_random(seed), m_bigValueBytes(bigValueBytes) {}

    otlp::ExportTraceServiceRequest request(int resources, int scopes, int spans)
    {
        otlp::ExportTraceServiceRequest req;
        for (int r = 0; r < resources; ++r) {
            auto *rs = req.add_resource_spans();
            auto *service = rs->mutable_resource()->add_attributes();
            service->set_key("service.name");
            service->mutable_value()->set_string_value("service-" + std::to_string(r));
            fillAttributes(rs->mutable_resource()->mutable_attributes(), 2);
            for (int s = 0; s < scopes; ++s) {
                auto *ss = rs->add_scope_spans();
                ss->mutable_scope()->set_name("scope-" + std::to_string(s));
                if (m_random.bounded(2))
                    ss->mutable_scope()->set_version("1." + std::to_string(s));
                fillAttributes(ss->mutable_scope()->mutable_attributes(), 2);
                const std::string traceId = randomBytes(16);
                std::string parent;
                for (int i = 0; i < spans; ++i) {
                    auto *span = ss->add_spans();
                    span->set_trace_id(traceId);
                    span->set_span_id(randomBytes(8));
                    span->set_parent_span_id(parent);
                    parent = span->span_id();
                    span->set_name(m_random.bounded(2) ? "chat gpt-4o" : "tool \xc3\xa9\xf0\x9f\x98\x80 " + std::to_string(i));
                    span->set_kind(otlp::Span::SpanKind(m_random.bounded(6)));
                    const quint64 start = m_random.generate64() >> 2;
                    span->set_start_time_unix_nano(start);
                    span->set_end_time_unix_nano(start + m_random.bounded(1000000));
                    fillAttributes(span->mutable_attributes(), 6);
                    if (m_bigValueBytes > 0) {
                        auto *big = span->add_attributes();
                        big->set_key("gen_ai.input.messages");
                        big->mutable_value()->set_string_value(randomText(m_bigValueBytes));
                    }
                    for (int e = int(m_random.bounded(3)); e > 0; --e) {
                        auto *event = span->add_events();
                        event->set_time_unix_nano(start + e);
                        event->set_name("event-" + std::to_string(e));
                        fillAttributes(event->mutable_attributes(), 2);
                    }
                    for (int l = int(m_random.bounded(3)); l > 0; --l) {
                        auto *link = span->add_links();
                        link->set_trace_id(randomBytes(16));
                        link->set_span_id(randomBytes(8));
                        fillAttributes(link->mutable_attributes(), 2);
                    }
                    const int code = int(m_random.bounded(3));
                    if (code || m_random.bounded(2)) {
                        span->mutable_status()->set_code(otlp::Status::StatusCode(code));
                        if (code == 2)
                            span->mutable_status()->set_message("failed: " + std::to_string(i));
                    }
                }
            }
        }
        return req;
    }

private:
    std::string randomBytes(int n)
    {
        std::string s(size_t(n), '\0');
        for (char &c : s)
            c = char(m_random.bounded(256));
        return s;
    }

    std::string randomText(int n)
    {
        static const char *pieces[] = {"hello ", "\xc3\xa9", "\xf0\x9f\xa4\x96", "\"q\"", "\\", "\n", "\t", "{\"role\":\"user\"}", "x"};
        std::string s;
        while (int(s.size()) < n)
            s += pieces[m_random.bounded(int(std::size(pieces)))];
        return s;
    }

    void fillValue(otlp::AnyValue *v, int depth)
    {
        switch (m_random.bounded(depth < 3 ? 9 : 7)) {
        case 0: v->set_string_value(randomText(int(m_random.bounded(40)))); break;
        case 1: v->set_bool_value(m_random.bounded(2)); break;
        case 2: v->set_int_value(qint64(m_random.generate64())); break;
        case 3: v->set_int_value(qint64(m_random.bounded(100)) - 50); break;
        case 4: {
            const int special = int(m_random.bounded(8));
            v->set_double_value(special == 0 ? std::numeric_limits<double>::quiet_NaN()
                                : special == 1 ? -std::numeric_limits<double>::infinity()
                                               : (m_random.generateDouble() - 0.5) * std::pow(10.0, int(m_random.bounded(40)) - 20));
            break;
        }
        case 5: v->set_bytes_value(randomBytes(int(m_random.bounded(20)))); break;
        case 6: break;  // no value at all
        case 7:
            for (int i = int(m_random.bounded(4)); i > 0; --i)
                fillValue(v->mutable_array_value()->add_values(), depth + 1);
            v->mutable_array_value();
            break;
        case 8:
            for (int i = int(m_random.bounded(4)); i > 0; --i) {
                auto *kv = v->mutable_kvlist_value()->add_values();
                kv->set_key("k" + std::to_string(i));
                fillValue(kv->mutable_value(), depth + 1);
            }
            v->mutable_kvlist_value();
            break;
        }
    }

    void fillAttributes(google::protobuf::RepeatedPtrField<otlp::KeyValue> *attributes, int max)
    {
        for (int i = int(m_random.bounded(max + 1)); i > 0; --i) {
            auto *kv = attributes->Add();
            kv->set_key(m_random.bounded(2) ? "gen_ai.usage.input_tokens" : "attr." + std::to_string(i));
            fillValue(kv->mutable_value(), 0);
        }
    }

    QRandomGenerator m_random;
    int m_bigValueBytes;
};

int spanCount(const otlp::ExportTraceServiceRequest &request)
{
    int n = 0;
    for (const auto &rs : request.resource_spans())
        for (const auto &ss : rs.scope_spans())
            n += ss.spans_size();
    return n;
}

// The spans of one request on their own, as the receiver path decodes them.
SpanList decodeRequest(const otlp::ExportTraceServiceRequest &request)
{
    Collected out;
    const ImportResult r = importOtlpRequest(serialize(request), OtlpEncoding::Protobuf, QStringLiteral("req"), out.sink());
    if (!r.ok())
        qFatal("reference request did not decode");
    return out.spans;
}

otlp::ExportTraceServiceRequest onlyResourceSpans(const otlp::ExportTraceServiceRequest &request, int index)
{
    otlp::ExportTraceServiceRequest one;
    *one.add_resource_spans() = request.resource_spans(index);
    return one;
}

} // namespace

class TestOtlpProtoImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sampleJsonAndProtobufAgree()
    {
        Collected json, proto;
        const ImportResult rj = importPath(dataPath("samples/otlp-genai-sdk-generated.json"), json);
        const ImportResult rp = importPath(dataPath("samples/otlp-genai-sdk-generated.binpb"), proto);
        QVERIFY(rj.ok());
        QVERIFY(rp.ok());
        QCOMPARE(rp.format, QStringLiteral("otlp-proto"));
        QCOMPARE(proto.spans.size(), 3);
        compareSpanLists(proto.spans, json.spans);
    }

    void randomRequestsJsonAndProtobufAgree_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("resources");
        QTest::addColumn<int>("bigValue");
        for (quint32 seed = 1; seed <= 6; ++seed)
            QTest::addRow("seed %u", seed) << seed << int(seed % 3) + 1 << 0;
        // Values big enough that both files span several 1 MiB read chunks.
        QTest::addRow("multi-chunk") << quint32(99) << 3 << 300 * 1024;
    }
    void randomRequestsJsonAndProtobufAgree()
    {
        // libprotobuf's own JSON printer is an independent OTLP/JSON writer: base64 ids, int64 as
        // strings, enum names, "NaN"/"-Infinity" — the JSON importer must read it as the protobuf.
        QFETCH(quint32, seed);
        QFETCH(int, resources);
        QFETCH(int, bigValue);
        RequestBuilder builder(seed, bigValue);
        const otlp::ExportTraceServiceRequest request = builder.request(resources, 2, 4);
        QTemporaryDir dir;
        const QString protoPath = dir.filePath("request.binpb");
        const QString jsonPath = dir.filePath("request.json");
        QVERIFY(writeFile(protoPath, serialize(request)));
        QVERIFY(writeFile(jsonPath, toJson(request)));
        Collected proto, json;
        const ImportResult rp = importPath(protoPath, proto);
        const ImportResult rj = importPath(jsonPath, json);
        QCOMPARE(rp.format, QStringLiteral("otlp-proto"));
        QCOMPARE(rj.format, QStringLiteral("otlp-json"));
        QVERIFY(rp.ok());
        QVERIFY(rj.ok());
        QCOMPARE(rp.issues.size(), 0);
        QCOMPARE(proto.spans.size(), spanCount(request));

        // Direct checks against the message for what needs no interpretation.
        int i = 0;
        for (const auto &rs : request.resource_spans()) {
            for (const auto &ss : rs.scope_spans()) {
                for (const auto &ps : ss.spans()) {
                    const Span &s = proto.spans[i++];
                    QCOMPARE(s.traceId, QString::fromLatin1(bytesOf(ps.trace_id()).toHex()));
                    QCOMPARE(s.spanId, QString::fromLatin1(bytesOf(ps.span_id()).toHex()));
                    QCOMPARE(s.parentSpanId, QString::fromLatin1(bytesOf(ps.parent_span_id()).toHex()));
                    QCOMPARE(s.name, QString::fromStdString(ps.name()));
                    QCOMPARE(s.startNs, qint64(ps.start_time_unix_nano()));
                    QCOMPARE(s.endNs, qint64(ps.end_time_unix_nano()));
                    QCOMPARE(s.otelKind, int(ps.kind()));
                    QCOMPARE(int(s.status), int(ps.status().code()));
                    QCOMPARE(s.serviceName, QString::fromStdString(rs.resource().attributes(0).value().string_value()));
                    QCOMPARE(s.scopeName, QString::fromStdString(ss.scope().name()));
                    QCOMPARE(s.attributes.size(), ps.attributes_size());
                    QCOMPARE(s.events.size(), ps.events_size());
                    QCOMPARE(s.links.size(), ps.links_size());
                }
            }
        }
        compareSpanLists(json.spans, proto.spans);
    }

    void lengthDelimited_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::addRow("plain") << false;
        QTest::addRow("gzip") << true;
    }
    void lengthDelimited()
    {
        QFETCH(bool, compressed);
        QList<otlp::ExportTraceServiceRequest> requests;
        SpanList expected;
        for (quint32 seed = 10; seed < 13; ++seed) {
            requests.push_back(RequestBuilder(seed).request(2, 1, 3));
            expected += decodeRequest(requests.last());
        }
        QByteArray data = delimited(requests);
        if (compressed)
            data = gzip(data);
        Collected out;
        const ImportResult r = importData(data, out);
        QCOMPARE(r.format, compressed ? QStringLiteral("otlp-proto, gzip") : QStringLiteral("otlp-proto"));
        QVERIFY(r.ok());
        QCOMPARE(out.spans.size(), 18);
        compareSpanLists(out.spans, expected);
    }

    void damagedTail_data()
    {
        QTest::addColumn<int>("cutInto");  // how many bytes of the third resource_spans remain
        QTest::addRow("cut in the tag") << 0;
        QTest::addRow("cut in the length") << 1;
        QTest::addRow("cut in the body") << 40;
    }
    void damagedTail()
    {
        QFETCH(int, cutInto);
        const otlp::ExportTraceServiceRequest request = RequestBuilder(7).request(3, 1, 2);
        const QList<qint64> offsets = resourceSpansOffsets(request);
        const QByteArray full = serialize(request);
        const QByteArray data = full.left(offsets[2] + cutInto);
        Collected out;
        const ImportResult r = importData(data, out);
        QCOMPARE(r.format, QStringLiteral("otlp-proto"));
        compareSpanLists(out.spans, decodeRequest(onlyResourceSpans(request, 0)) + decodeRequest(onlyResourceSpans(request, 1)));
        if (cutInto == 0) {
            QVERIFY(r.ok());  // ends cleanly after the second one
            return;
        }
        const QList<ImportIssue> errs = errors(r);
        QCOMPARE(errs.size(), 1);
        QCOMPARE(errs[0].offset, offsets[2]);
        QCOMPARE(errs[0].file, QStringLiteral("memory.bin"));
        QVERIFY2(errs[0].reason.contains(QStringLiteral("resource_spans #2")), qPrintable(errs[0].reason));
    }

    void damagedResourceSpansInTheMiddle()
    {
        // The length prefix is intact, so the next resource_spans is found again.
        const otlp::ExportTraceServiceRequest request = RequestBuilder(8).request(3, 1, 2);
        const QList<qint64> offsets = resourceSpansOffsets(request);
        QByteArray data = serialize(request);
        const qint64 bodyStart = offsets[1] + 1 + google::protobuf::io::CodedOutputStream::VarintSize64(request.resource_spans(1).ByteSizeLong());
        for (qint64 i = bodyStart; i < offsets[2]; ++i)
            data[i] = char(0xff);
        Collected out;
        const ImportResult r = importData(data, out);
        compareSpanLists(out.spans, decodeRequest(onlyResourceSpans(request, 0)) + decodeRequest(onlyResourceSpans(request, 2)));
        const QList<ImportIssue> errs = errors(r);
        QCOMPARE(errs.size(), 1);
        QCOMPARE(errs[0].offset, offsets[1]);
        QVERIFY2(errs[0].reason.contains(QStringLiteral("not a valid ResourceSpans")), qPrintable(errs[0].reason));
    }

    void delimitedDamagedTail()
    {
        QList<otlp::ExportTraceServiceRequest> requests{RequestBuilder(20).request(1, 1, 2), RequestBuilder(21).request(1, 1, 2),
                                                        RequestBuilder(22).request(1, 1, 2)};
        QByteArray data = delimited(requests);
        data.chop(10);
        Collected out;
        const ImportResult r = importData(data, out);
        QCOMPARE(r.format, QStringLiteral("otlp-proto"));
        compareSpanLists(out.spans, decodeRequest(requests[0]) + decodeRequest(requests[1]));
        QCOMPARE(errors(r).size(), 1);
        QVERIFY(errors(r)[0].offset >= delimited({requests[0], requests[1]}).size());
    }

    void missingIds()
    {
        otlp::ExportTraceServiceRequest request = RequestBuilder(30).request(1, 1, 3);
        auto *spans = request.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
        spans->Mutable(0)->clear_trace_id();
        spans->Mutable(1)->clear_span_id();
        Collected out;
        const ImportResult r = importData(serialize(request), out);
        QCOMPARE(out.spans.size(), 1);
        QCOMPARE(out.spans[0].spanId, QString::fromLatin1(bytesOf(spans->Get(2).span_id()).toHex()));
        QCOMPARE(r.stats.skippedSpans, 2);
        QCOMPARE(errors(r).size(), 2);
        QVERIFY(errors(r)[0].reason.contains(QStringLiteral("span #0")));
        QVERIFY(errors(r)[0].reason.contains(QStringLiteral("no trace_id")));
        QVERIFY(errors(r)[1].reason.contains(QStringLiteral("no span_id")));
    }

    void deepNesting()
    {
        otlp::ExportTraceServiceRequest request;
        auto *span = request.add_resource_spans()->add_scope_spans()->add_spans();
        span->set_trace_id("0123456789abcdef");
        span->set_span_id("01234567");
        auto *kv = span->add_attributes();
        kv->set_key("nested");
        otlp::AnyValue *v = kv->mutable_value();
        for (int i = 0; i < 100; ++i)
            v = v->mutable_array_value()->add_values();
        v->set_string_value("bottom");
        Collected out;
        const ImportResult r = importData(serialize(request), out);
        QCOMPARE(out.spans.size(), 1);
        QVariant value = out.spans[0].attributes[0].value;
        int lists = 0;
        while (value.typeId() == QMetaType::QVariantList) {
            value = value.toList().first();
            ++lists;
        }
        QCOMPARE(lists, 64);
        const QJsonDocument rest = QJsonDocument::fromJson(value.toString().toUtf8());
        QVERIFY(rest.isObject());
        QCOMPARE(value.toString().count(QStringLiteral("arrayValue")), 100 - 64);
        QVERIFY(value.toString().contains(QStringLiteral("\"stringValue\":\"bottom\"")));
        QCOMPARE(r.stats.warnings, 1);
    }

    void requestBodies()
    {
        const otlp::ExportTraceServiceRequest request = RequestBuilder(40).request(2, 1, 2);
        const SpanList expected = decodeRequest(request);
        QCOMPARE(expected.size(), 4);
        struct Body {
            QByteArray data;
            OtlpEncoding encoding;
        };
        for (const Body &body : {Body{serialize(request), OtlpEncoding::Protobuf}, Body{gzip(serialize(request)), OtlpEncoding::Protobuf},
                                 Body{toJson(request), OtlpEncoding::Json}, Body{gzip(toJson(request)), OtlpEncoding::Json}}) {
            Collected out;
            const ImportResult r = importOtlpRequest(body.data, body.encoding, QStringLiteral("POST /v1/traces"), out.sink());
            QVERIFY(r.ok());
            compareSpanLists(out.spans, expected);
        }

        // An empty protobuf body is a valid empty request.
        Collected empty;
        QVERIFY(importOtlpRequest(QByteArray(), OtlpEncoding::Protobuf, QStringLiteral("empty"), empty.sink()).ok());
        QVERIFY(empty.spans.isEmpty());

        // Garbage is an error naming the request, not a crash.
        Collected junk;
        const ImportResult bad = importOtlpRequest("\xff\xff\xff\xff", OtlpEncoding::Protobuf, QStringLiteral("POST /v1/traces"), junk.sink());
        QVERIFY(!bad.ok());
        QCOMPARE(bad.issues.first().file, QStringLiteral("POST /v1/traces"));

        // A small gzip body that inflates beyond the cap.
        ImportOptions capped;
        capped.maxInputBytes = 1024;
        Collected big;
        const QByteArray bomb = gzip(QByteArray(10 * 1024 * 1024, ' '));
        QVERIFY(bomb.size() < 20000);
        const ImportResult tooLarge = importOtlpRequest(bomb, OtlpEncoding::Json, QStringLiteral("bomb"), big.sink(), capped);
        QVERIFY(tooLarge.tooLarge);
        QVERIFY(!tooLarge.ok());
    }

    void garbageIsNotProtobuf()
    {
        QRandomGenerator random(5);
        for (int i = 0; i < 200; ++i) {
            QByteArray data(int(random.bounded(1, 2000)), Qt::Uninitialized);
            for (char &c : data)
                c = char(random.bounded(256));
            Collected out;
            const ImportResult r = importData(data, out);  // must not crash; may rarely look like protobuf
            QVERIFY(r.format.isEmpty() || r.format == QStringLiteral("otlp-proto"));
            if (r.format.isEmpty())
                QVERIFY(r.issues.first().reason.contains(QStringLiteral("not a supported trace format")));
        }
    }
};

QTEST_GUILESS_MAIN(TestOtlpProtoImporter)
#include "tst_otlpprotoimporter.moc"
