#include "formatimporter.h"

#include "jsonshape.h"
#include "otlpjsonimporter.h"
#include "otlpjsonlinesimporter.h"
#include "otlpprotoimporter.h"

#include <QCoreApplication>

namespace spanscope {

FormatImporter::~FormatImporter() = default;

const QList<const FormatImporter *> &formatImporters()
{
    // Vendor formats (Jaeger, Zipkin, Langfuse, LangSmith, Portkey) join here.
    static const OtlpJsonImporter json;
    static const OtlpJsonLinesImporter jsonLines;
    static const OtlpProtoImporter proto;
    static const QList<const FormatImporter *> all{&json, &jsonLines, &proto};
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
        return tr("a JSON object with the keys %1%2 and no \"resourceSpans\"")
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
