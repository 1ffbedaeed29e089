#pragma once
// Shared by the live tests: OTLP bodies, gzip, HTTP by curl and by QNetworkAccessManager, npm
// packages installed into a cache in the build directory, free ports, child processes.

#include "store/tracestore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <zlib.h>

namespace spanscope::test {

inline QString dataPath(const QString &relative)
{
    return QStringLiteral(SPANSCOPE_TEST_DATA "/") + relative;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

inline QByteArray gzip(const QByteArray &data, int level = 6)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");
    QByteArray out;
    out.resize(qsizetype(deflateBound(&z, uLong(data.size()))) + 64);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

// 32 / 16 hex chars derived from a seed, so tests can name traces.
inline QString hexId(const QString &seed, int bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).left(bytes).toHex());
}

// An OTLP/JSON ExportTraceServiceRequest with one trace of `spans` spans (a root and children);
// the second span is an LLM call with GenAI attributes and an Authorization header attribute.
inline QByteArray otlpJson(const QString &traceId, int spans, const QString &service = QStringLiteral("live-test"),
                           qint64 startNs = 1795600000000000000LL)
{
    QJsonArray list;
    const QString root = hexId(traceId + QStringLiteral("/0"), 8);
    for (int i = 0; i < spans; ++i) {
        QJsonObject s{{QStringLiteral("traceId"), traceId},
                      {QStringLiteral("spanId"), i == 0 ? root : hexId(traceId + QLatin1Char('/') + QString::number(i), 8)},
                      {QStringLiteral("name"), i == 0 ? QStringLiteral("agent.run") : QStringLiteral("step %1").arg(i)},
                      {QStringLiteral("kind"), 1},
                      {QStringLiteral("startTimeUnixNano"), QString::number(startNs + i * 1000000LL)},
                      {QStringLiteral("endTimeUnixNano"), QString::number(startNs + i * 1000000LL + 500000)}};
        if (i > 0)
            s.insert(QStringLiteral("parentSpanId"), root);
        if (i == 1) {
            const auto attr = [](const char *k, const QJsonObject &v) { return QJsonObject{{QStringLiteral("key"), QString::fromLatin1(k)}, {QStringLiteral("value"), v}}; };
            s.insert(QStringLiteral("attributes"), QJsonArray{
                attr("gen_ai.operation.name", {{QStringLiteral("stringValue"), QStringLiteral("chat")}}),
                attr("gen_ai.request.model", {{QStringLiteral("stringValue"), QStringLiteral("gpt-4o-mini")}}),
                attr("gen_ai.usage.input_tokens", {{QStringLiteral("intValue"), QStringLiteral("1000")}}),
                attr("gen_ai.usage.output_tokens", {{QStringLiteral("intValue"), QStringLiteral("200")}}),
                attr("http.request.header.authorization", {{QStringLiteral("stringValue"), QStringLiteral("Bearer sk-test-secret-0123456789")}}),
            });
        }
        list.append(s);
    }
    const QJsonObject doc{{QStringLiteral("resourceSpans"), QJsonArray{QJsonObject{
        {QStringLiteral("resource"), QJsonObject{{QStringLiteral("attributes"), QJsonArray{QJsonObject{
            {QStringLiteral("key"), QStringLiteral("service.name")}, {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), service}}}}}}}},
        {QStringLiteral("scopeSpans"), QJsonArray{QJsonObject{{QStringLiteral("scope"), QJsonObject{{QStringLiteral("name"), QStringLiteral("test")}}},
                                                              {QStringLiteral("spans"), list}}}}}}}};
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

struct HttpResult {
    int status = 0;               // 0 = no answer
    QByteArray body;
    QByteArray contentType;
    QByteArray retryAfter;
    QString error;
};

// One POST through QNetworkAccessManager, waited for with a local event loop (bounded).
inline HttpResult httpPost(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &body, const QByteArray &contentType,
                           const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 20000)
{
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    for (const auto &[k, v] : headers)
        req.setRawHeader(k, v);
    QNetworkReply *reply = nam.post(req, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult r;
    if (!reply->isFinished()) {
        reply->abort();
        r.error = QStringLiteral("timeout");
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.contentType = reply->rawHeader("Content-Type");
    r.retryAfter = reply->rawHeader("Retry-After");
    if (r.error.isEmpty() && reply->error() != QNetworkReply::NoError && r.status == 0)
        r.error = reply->errorString();
    reply->deleteLater();
    return r;
}

// curl as a real client: returns status, body and headers.
struct CurlResult {
    int status = 0;
    QByteArray body;
    QByteArray headers;   // raw response headers (lower-cased)
    QString error;
};

inline bool haveCurl()
{
    return !QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty();
}

inline CurlResult curl(const QStringList &args, const QByteArray &stdinBody = {}, int timeoutMs = 30000, bool noExpect = true)
{
    QTemporaryFile bodyFile, headerFile;
    bodyFile.open();
    headerFile.open();
    QProcess p;
    QStringList a{QStringLiteral("-sS"), QStringLiteral("--max-time"), QString::number(timeoutMs / 1000), QStringLiteral("-o"), bodyFile.fileName(),
                  QStringLiteral("-D"), headerFile.fileName(), QStringLiteral("-w"), QStringLiteral("%{http_code}")};
    if (noExpect)
        a << QStringLiteral("-H") << QStringLiteral("Expect:");
    a += args;
    p.start(QStringLiteral("curl"), a);
    p.waitForStarted();
    if (!stdinBody.isNull()) {
        p.write(stdinBody);
        p.closeWriteChannel();
    }
    CurlResult r;
    if (!p.waitForFinished(timeoutMs + 5000)) {
        p.kill();
        p.waitForFinished();
        r.error = QStringLiteral("curl timed out");
    }
    r.status = p.readAllStandardOutput().trimmed().toInt();
    r.body = bodyFile.readAll();
    r.headers = headerFile.readAll().toLower();
    if (p.exitCode() != 0)
        r.error += QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

inline quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

// Installs the npm packages of `packageDir`/package.json into `cacheDir` (kept between runs; the
// package.json is compared to decide). Returns "" when ready, else why it could not (for QSKIP
// when node/npm are missing or the registry is unreachable; *fatal set for other failures).
inline QString ensureNpmPackages(const QString &packageDir, const QString &cacheDir, bool *fatal)
{
    *fatal = false;
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty() || QStandardPaths::findExecutable(QStringLiteral("npm")).isEmpty())
        return QStringLiteral("node and npm are not installed (Debian: apt-get install nodejs npm)");
    const QByteArray wanted = readFile(packageDir + QStringLiteral("/package.json"));
    QDir().mkpath(cacheDir);
    QFile installed(cacheDir + QStringLiteral("/package.json"));
    if (installed.open(QIODevice::ReadOnly) && installed.readAll() == wanted
        && QFile::exists(cacheDir + QStringLiteral("/node_modules/.package-lock.json")))
        return {};
    installed.close();
    QFile::remove(cacheDir + QStringLiteral("/package.json"));
    QFile::remove(cacheDir + QStringLiteral("/package-lock.json"));
    QFile::copy(packageDir + QStringLiteral("/package.json"), cacheDir + QStringLiteral("/package.json"));
    QFile(cacheDir + QStringLiteral("/package.json")).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    QProcess npm;
    npm.setWorkingDirectory(cacheDir);
    npm.setProcessChannelMode(QProcess::MergedChannels);
    npm.start(QStringLiteral("npm"), {QStringLiteral("install"), QStringLiteral("--no-audit"), QStringLiteral("--no-fund"),
                                      QStringLiteral("--fetch-timeout=30000"), QStringLiteral("--fetch-retries=1"),
                                      QStringLiteral("--prefix"), cacheDir});
    if (!npm.waitForFinished(240000)) {
        npm.kill();
        npm.waitForFinished();
        return QStringLiteral("npm install timed out (registry unreachable?)");
    }
    const QString log = QString::fromLocal8Bit(npm.readAll());
    if (npm.exitCode() != 0) {
        static const char *network[] = {"ENOTFOUND", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET", "network", "ENETUNREACH"};
        for (const char *n : network) {
            if (log.contains(QLatin1String(n), Qt::CaseInsensitive))
                return QStringLiteral("the npm registry is unreachable: ") + log.right(400);
        }
        *fatal = true;
        return QStringLiteral("npm install failed: ") + log.right(1500);
    }
    return {};
}

inline QString npmCacheDir(const QString &name)
{
    return QStringLiteral(SPANSCOPE_NPM_CACHE "/") + name;
}

// Waits until `pred` holds or `ms` pass, spinning the event loop.
template<typename Pred>
bool waitFor(Pred pred, int ms)
{
    return QTest::qWaitFor(pred, ms);
}

inline qint64 countSpans(const QString &workspace, const QString &traceId)
{
    TraceStore s;
    if (!s.open(workspace, TraceStore::OpenMode::ReadOnly))
        return -1;
    return s.loadSpans(traceId, false).size();
}

} // namespace spanscope::test
