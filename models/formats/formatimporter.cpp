#include "formatimporter.h"

#include "jaegerimporter.h"
#include "jsonshape.h"
#include "langfuseimporter.h"
#include "langsmithimporter.h"
#include "otlpjsonimporter.h"
#include "otlpjsonlinesimporter.h"
#include "otlpprotoimporter.h"
#include "portkeyimporters.h"
#include "zipkinimporter.h"

#include <QCoreApplication>

#include <algorithm>

namespace spanscope {

FormatImporter::~FormatImporter() = default;

const QList<const FormatImporter *> &formatImporters()
{
    static const OtlpJsonImporter json;
    static const OtlpJsonLinesImporter jsonLines;
    static const OtlpProtoImporter proto;
    static const JaegerImporter jaeger;
    static const ZipkinImporter zipkin;
    static const LangfuseImporter langfuse;
    static const LangSmithImporter langsmith;
    static const PortkeyLogsImporter portkeyLogs;
    static const PortkeySseImporter portkeySse;
    static const PortkeyHooksImporter portkeyHooks;
    static const QList<const FormatImporter *> all{&json,     &jsonLines, &proto,       &jaeger,     &zipkin,
                                                   &langfuse, &langsmith, &portkeyLogs, &portkeySse, &portkeyHooks};
    return all;
}

const FormatImporter *findFormatImporter(QStringView name)
{
    for (const FormatImporter *importer : formatImporters()) {
        if (importer->name().compare(name, Qt::CaseInsensitive) == 0)
            return importer;
    }
    return nullptr;
}

const FormatImporter *detectFormat(QByteArrayView head, bool complete)
{
    const FormatImporter *best = nullptr;
    int bestScore = 0;
    for (const FormatImporter *importer : formatImporters()) {
        const int score = importer->sniff(head, complete);
        if (score > bestScore) {
            best = importer;
            bestScore = score;
        }
    }
    return best;
}

QList<FormatCandidate> rankFormats(QByteArrayView head, bool complete)
{
    QList<FormatCandidate> out;
    for (const FormatImporter *importer : formatImporters()) {
        const int score = importer->sniff(head, complete);
        if (score > 0)
            out.push_back({importer, score});
    }
    std::stable_sort(out.begin(), out.end(), [](const FormatCandidate &a, const FormatCandidate &b) { return a.score > b.score; });
    return out;
}

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("FormatImporter", text);
}

QString quotedList(const QStringList &keys)
{
    QStringList quoted;
    for (const QString &k : keys)
        quoted.push_back(QLatin1Char('"') + k.left(60) + QLatin1Char('"'));
    return quoted.join(QStringLiteral(", "));
}
} // namespace

QString describeContent(QByteArrayView head, bool complete)
{
    const JsonShape shape = JsonShape::analyze(head, complete);
    switch (shape.kind) {
    case JsonShape::Kind::Empty:
        return tr("no data (the input is empty or only whitespace)");
    case JsonShape::Kind::Object:
        if (shape.keys.isEmpty())
            return tr("an empty JSON object");
        return tr("a JSON object with the keys %1%2 (not a trace format this version reads)")
            .arg(quotedList(shape.keys), shape.keys.size() >= 6 ? QStringLiteral(", …") : QString());
    case JsonShape::Kind::Array:
        return tr("a JSON array");
    case JsonShape::Kind::Scalar:
        return tr("a JSON value that is not an object");
    case JsonShape::Kind::NotJson:
        break;
    }
    const qsizetype n = std::min<qsizetype>(head.size(), 512);
    bool text = true;
    for (qsizetype i = 0; i < n && text; ++i) {
        const quint8 c = quint8(head[i]);
        text = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    }
    if (text) {
        QString start = QString::fromUtf8(head.first(std::min<qsizetype>(head.size(), 40)));
        start.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
        QString what = tr("text starting with \"%1\"").arg(start.trimmed());
        if (!shape.error.isEmpty() && (head.startsWith('{') || head.startsWith('[')))
            what += tr(" that is not valid JSON");
        return what;
    }
    return tr("binary data that is not OTLP protobuf (it starts with %1)")
        .arg(QString::fromLatin1(head.first(std::min<qsizetype>(head.size(), 8)).toByteArray().toHex(' ')));
}

} // namespace spanscope
