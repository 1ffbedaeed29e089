// Live receiver benchmark (run by hand, not a test):
//   bench_live [seconds per phase = 10] [senders = 8] [spans per request = 100] [in flight per sender = 4]
// Starts itself as the server (a child process running LiveService on a fresh workspace), then
// drives it over loopback with concurrent senders, first OTLP/JSON then OTLP/protobuf, and
// reports sustained spans/s, acknowledgement latency (p50/p99) and the server's RSS under load.
#include "live/liveservice.h"
#include "livetesthelpers.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QCoreApplication>
#include <QtEndian>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <csignal>

using namespace spanscope;
using namespace spanscope::test;

namespace {

qint64 rssKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

int serve(const QString &db)
{
    LiveService service(db);
    LiveReceiverOptions o;
    o.port = 0;
    QString error;
    if (!service.startReceiver(o, &error)) {
        QTextStream(stderr) << error << "\n";
        return 1;
    }
    QTextStream(stdout) << "PORT " << service.port() << "\n" << Qt::flush;
    return QCoreApplication::exec();
}

const QByteArray kJsonMarker = "ffffffffffffffffffffffffffffff00";

QByteArray protoTemplate(int spans, const QByteArray &traceId)
{
    using namespace opentelemetry::proto;
    collector::trace::v1::ExportTraceServiceRequest req;
    auto *rs = req.add_resource_spans();
    auto *kv = rs->mutable_resource()->add_attributes();
    kv->set_key("service.name");
    kv->mutable_value()->set_string_value("bench");
    auto *ss = rs->add_scope_spans();
    for (int i = 0; i < spans; ++i) {
        auto *s = ss->add_spans();
        s->set_trace_id(traceId.toStdString());
        QByteArray sid(8, 0);
        qToBigEndian<quint64>(quint64(i + 1), sid.data());
        s->set_span_id(sid.toStdString());
        if (i > 0) {
            QByteArray pid(8, 0);
            qToBigEndian<quint64>(1, pid.data());
            s->set_parent_span_id(pid.toStdString());
        }
        s->set_name(i == 0 ? "agent.run" : "chat gpt-4o-mini");
        s->set_start_time_unix_nano(1795600000000000000ULL + i * 1000ULL);
        s->set_end_time_unix_nano(1795600000000000000ULL + i * 1000ULL + 500000ULL);
        auto add = [&](const char *k, const char *v) {
            auto *a = s->add_attributes();
            a->set_key(k);
            a->mutable_value()->set_string_value(v);
        };
        add("gen_ai.operation.name", "chat");
        add("gen_ai.request.model", "gpt-4o-mini");
        add("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is the weather in Paris?\"}]}]");
        auto *t = s->add_attributes();
        t->set_key("gen_ai.usage.input_tokens");
        t->mutable_value()->set_int_value(120);
    }
    const std::string out = req.SerializeAsString();
    return QByteArray(out.data(), qsizetype(out.size()));
}

struct PhaseResult {
    qint64 requests = 0, spans = 0, overloaded = 0, failed = 0;
    double seconds = 0;
    // Spans not yet in the full-text index when the load stopped, and how long after that the
    // writer (which defers indexing while spans queue up) had indexed them; -1: not within 60 s.
    qint64 pendingFullText = 0;
    double fullTextCaughtUpS = 0;
    QList<double> latenciesMs;
    qint64 peakRssKb = 0;
    double meanRssKb = 0;
};

PhaseResult runPhase(const QUrl &url, const QString &db, bool json, int seconds, int senders, int spansPerRequest, int inFlight,
                     qint64 serverPid)
{
    const QByteArray markerBytes = QByteArray::fromHex("eeeeeeeeeeeeeeeeeeeeeeeeeeeeee00");
    const QByteArray tmpl = json ? otlpJson(QString::fromLatin1(kJsonMarker), spansPerRequest, QStringLiteral("bench"))
                                 : protoTemplate(spansPerRequest, markerBytes);
    const QByteArray marker = json ? kJsonMarker : markerBytes;
    const qsizetype markerAt = tmpl.indexOf(marker);
    Q_ASSERT(markerAt >= 0);
    PhaseResult r;
    QList<QNetworkAccessManager *> nams;
    for (int i = 0; i < senders; ++i)
        nams << new QNetworkAccessManager;
    static quint64 counter = 0;
    bool stop = false;
    QElapsedTimer clock;
    clock.start();
    std::function<void(QNetworkAccessManager *)> send = [&](QNetworkAccessManager *nam) {
        if (stop)
            return;
        QByteArray body = tmpl;
        const quint64 n = ++counter;
        if (json) {
            const QByteArray id = QByteArray::number(n, 16).rightJustified(32, '0');
            for (qsizetype at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at))
                body.replace(at, marker.size(), id);
        } else {
            QByteArray id(16, 0);
            qToBigEndian<quint64>(n, id.data() + 8);
            id[0] = char(0xbe);
            for (qsizetype at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at))
                body.replace(at, marker.size(), id);
        }
        QNetworkRequest req(url);
        req.setHeader(QNetworkRequest::ContentTypeHeader, json ? QByteArrayLiteral("application/json") : QByteArrayLiteral("application/x-protobuf"));
        const qint64 started = clock.nsecsElapsed();
        QNetworkReply *reply = nam->post(req, body);
        QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply, nam, started] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 200) {
                ++r.requests;
                r.spans += spansPerRequest;
                r.latenciesMs << (clock.nsecsElapsed() - started) / 1e6;
            } else if (status == 429 || status == 503) {
                ++r.overloaded;
            } else {
                ++r.failed;
            }
            reply->deleteLater();
            send(nam);
        });
    };
    for (QNetworkAccessManager *nam : std::as_const(nams)) {
        for (int i = 0; i < inFlight; ++i)
            send(nam);
    }
    QTimer sampler;
    qint64 samples = 0;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const qint64 rss = rssKb(serverPid);
        r.peakRssKb = std::max(r.peakRssKb, rss);
        r.meanRssKb += rss;
        ++samples;
    });
    sampler.start(200);
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    r.seconds = clock.nsecsElapsed() / 1e9;
    stop = true;
    sampler.stop();
    r.meanRssKb = samples > 0 ? r.meanRssKb / samples : 0;
    // Drain what is in flight (not counted towards the rate) and wait for the full-text index.
    const qint64 done = r.requests;
    TraceStore reader;
    if (reader.open(db, TraceStore::OpenMode::ReadOnly))
        r.pendingFullText = reader.counts().pendingFullText;
    QElapsedTimer since;
    since.start();
    r.fullTextCaughtUpS = -1;
    while (since.elapsed() < 60000) {
        if (reader.isOpen() && reader.counts().pendingFullText == 0) {
            r.fullTextCaughtUpS = since.nsecsElapsed() / 1e9;
            break;
        }
        QTest::qWait(20);
    }
    if (since.elapsed() < 1500)
        QTest::qWait(int(1500 - since.elapsed()));
    r.requests = done;
    qDeleteAll(nams);
    return r;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.at(std::min<qsizetype>(v.size() - 1, qsizetype(p * v.size())));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 3 && args.at(1) == QLatin1String("--serve"))
        return serve(args.at(2));

    const int seconds = args.value(1, QStringLiteral("10")).toInt();
    const int senders = args.value(2, QStringLiteral("8")).toInt();
    const int spansPerRequest = args.value(3, QStringLiteral("100")).toInt();
    const int inFlight = args.value(4, QStringLiteral("4")).toInt();
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("bench.sqlite"));
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--serve"), db});
    if (!server.waitForReadyRead(20000)) {
        qCritical("server did not start");
        return 1;
    }
    const QByteArray line = server.readLine().trimmed();
    const int port = line.mid(5).toInt();
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(port));
    QTextStream out(stdout);
    out << "bench_live: " << senders << " senders x " << inFlight << " requests in flight, " << spansPerRequest
        << " spans per request, " << seconds << " s per phase; server pid " << server.processId() << ", idle RSS "
        << rssKb(server.processId()) / 1024 << " MiB\n" << Qt::flush;
    for (bool json : {true, false}) {
        const PhaseResult r = runPhase(url, db, json, seconds, senders, spansPerRequest, inFlight, server.processId());
        out << (json ? "OTLP/JSON    " : "OTLP/protobuf") << QStringLiteral(": %1 spans/s sustained (%2 requests acknowledged in %3 s), "
                                                                       "ack latency p50 %4 ms p99 %5 ms, %6 overloaded, %7 failed, "
                                                                       "server RSS mean %8 MiB peak %9 MiB, "
                                                                       "full-text backlog %10 spans indexed %11 s after the load\n")
                                                            .arg(r.spans / r.seconds, 0, 'f', 0)
                                                            .arg(r.requests)
                                                            .arg(r.seconds, 0, 'f', 1)
                                                            .arg(percentile(r.latenciesMs, 0.5), 0, 'f', 1)
                                                            .arg(percentile(r.latenciesMs, 0.99), 0, 'f', 1)
                                                            .arg(r.overloaded)
                                                            .arg(r.failed)
                                                            .arg(r.meanRssKb / 1024, 0, 'f', 0)
                                                            .arg(r.peakRssKb / 1024.0, 0, 'f', 0)
                                                            .arg(r.pendingFullText)
                                                            .arg(r.fullTextCaughtUpS, 0, 'f', 1)
            << Qt::flush;
    }
    ::kill(pid_t(server.processId()), SIGTERM);
    server.waitForFinished(30000);
    TraceStore store;
    if (store.open(db, TraceStore::OpenMode::ReadOnly)) {
        const WorkspaceCounts c = store.counts();
        out << "workspace: " << c.traces << " traces, " << c.spans << " spans, " << QFileInfo(db).size() / (1 << 20) << " MiB\n";
    }
    return 0;
}
