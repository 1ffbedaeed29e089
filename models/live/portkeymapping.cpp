#include "portkeymapping.h"

#include "formats/importer.h"
#include "formats/portkeylog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace spanscope {

SpanList portkeyHookPostToSpans(const QByteArray &json, qint64 receivedNs, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = QCoreApplication::translate("spanscope::PortkeyMapping", "not a JSON object (%1)").arg(parseError.errorString());
        return {};
    }
    // As a receiver would capture it: the portkey-hooks importer stamps the span with received_at.
    const QJsonObject record{
        {QStringLiteral("received_at"), QDateTime::fromMSecsSinceEpoch(receivedNs / 1000000, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("path"), QStringLiteral("/v1/portkey/log")},
        {QStringLiteral("body"), doc.object()},
    };
    ImportOptions options;
    options.forcedFormat = QStringLiteral("portkey-hooks");
    SpanList spans;
    const ImportResult result = importBytes(QJsonDocument(record).toJson(QJsonDocument::Compact), QStringLiteral("POST /v1/portkey/log"),
                                            [&spans](SpanList &&batch) { spans.append(std::move(batch)); }, options);
    if (spans.isEmpty() || result.stats.errors > 0) {
        if (error) {
            *error = QCoreApplication::translate("spanscope::PortkeyMapping", "not a Portkey log plugin post");
            for (const ImportIssue &issue : result.issues) {
                if (issue.severity == ImportIssue::Severity::Error) {
                    *error = issue.reason;
                    break;
                }
            }
        }
        return {};
    }
    return spans;
}

PortkeyLogMapper defaultPortkeyLogMapper()
{
    return [](const QByteArray &json, qint64, QString *error) {
        SpanList spans;
        if (!portkeyLogToSpans(QByteArrayView(json), spans, error))
            spans.clear();
        return spans;
    };
}

} // namespace spanscope
