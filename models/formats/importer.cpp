#include "importer.h"

#include "chunkreader.h"
#include "formatimporter.h"
#include "importcontext.h"
#include "otlpjsonimporter.h"
#include "otlpprotoimporter.h"
#include "redaction.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>

namespace spanscope {

QString ImportIssue::toString() const
{
    QString position;
    if (line >= 0)
        position = QStringLiteral("line %1").arg(line);
    else if (offset >= 0)
        position = QStringLiteral("byte %1").arg(offset);
    if (position.isEmpty())
        return file + QStringLiteral(": ") + reason;
    return file + QLatin1Char(':') + position + QStringLiteral(": ") + reason;
}

QStringList importFormatNames()
{
    QStringList names;
    for (const FormatImporter *importer : formatImporters())
        names.push_back(importer->name());
    return names;
}

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Importer", text);
}

// `forced` overrides both options.forcedFormat and detection (the request decoder knows).
ImportResult run(ChunkReader &reader, bool opened, const QString &name, const SpanBatchSink &sink,
                 const ImportOptions &options, const FormatImporter *forced = nullptr)
{
    ImportResult result;
    result.file = name;
    const SpanBatchSink redacting = [&sink](SpanList &&batch) {
        redaction::redactSpans(batch);
        if (sink)
            sink(std::move(batch));
    };
    ImportContext ctx(reader, options.keepSecrets ? sink : redacting, options, result);
    try {
        const FormatImporter *importer = forced;
        if (!opened) {
            ctx.error(-1, -1, reader.error());
        } else if (!importer && !options.forcedFormat.isEmpty()) {
            importer = findFormatImporter(options.forcedFormat);
            if (!importer)
                ctx.error(-1, -1, tr("unknown format \"%1\"; supported formats: %2")
                                      .arg(options.forcedFormat, importFormatNames().join(QStringLiteral(", "))));
        } else if (!importer) {
            const QList<FormatCandidate> candidates = rankFormats(reader.head(), reader.headIsComplete());
            if (candidates.size() >= 2 && candidates[0].score - candidates[1].score < AmbiguousScoreMargin) {
                QStringList names;
                for (const FormatCandidate &c : candidates) {
                    if (candidates[0].score - c.score < AmbiguousScoreMargin)
                        names << QStringLiteral("%1 (%2)").arg(c.importer->name()).arg(c.score);
                }
                ctx.error(-1, -1, tr("cannot tell the format: the input fits %1 about equally well; choose one with --format")
                                      .arg(names.join(QStringLiteral(", "))));
                result.tooLarge = reader.exceededLimit();
                ctx.finish();
                return result;
            }
            importer = candidates.isEmpty() ? nullptr : candidates[0].importer;
            if (!importer) {
                if (reader.failed() && reader.head().isEmpty()) {
                    ctx.error(reader.errorOffset(), -1, reader.error());
                } else {
                    QString seen = describeContent(reader.head(), reader.headIsComplete());
                    if (reader.isGzip())
                        seen += tr(" (after gzip decompression)");
                    ctx.error(-1, -1, tr("not a supported trace format: found %1; supported formats: %2")
                                         .arg(seen, importFormatNames().join(QStringLiteral(", "))));
                }
            }
        }
        if (importer) {
            result.format = importer->name();
            if (reader.isGzip())
                result.format += QStringLiteral(", gzip");
            importer->import(ctx);
            if (reader.replacedText > 0)
                ctx.warning(-1, -1,
                            QCoreApplication::translate("Importer", "%n invalid UTF-8 sequence(s) or unpaired surrogate(s) in strings "
                                                                    "replaced by U+FFFD", nullptr,
                                                        int(std::min<long long>(reader.replacedText, std::numeric_limits<int>::max()))));
            if (reader.failed())
                ctx.error(reader.errorOffset(), -1, reader.error());
        }
    } catch (const std::exception &e) {
        ctx.error(reader.offset(), -1, tr("internal error: %1").arg(QString::fromUtf8(e.what())));
    } catch (...) {
        ctx.error(reader.offset(), -1, tr("internal error"));
    }
    result.tooLarge = reader.exceededLimit();
    ctx.finish();
    return result;
}

} // namespace

ImportResult importFile(const QString &path, const SpanBatchSink &sink, const ImportOptions &options)
{
    ChunkReader reader;
    reader.setOutputLimit(options.maxInputBytes);
    const bool opened = reader.openFile(path);
    return run(reader, opened, options.displayName.isEmpty() ? path : options.displayName, sink, options);
}

ImportResult importBytes(const QByteArray &data, const QString &name, const SpanBatchSink &sink, const ImportOptions &options)
{
    ChunkReader reader;
    reader.setOutputLimit(options.maxInputBytes);
    const bool opened = reader.openBytes(data);
    return run(reader, opened, options.displayName.isEmpty() ? name : options.displayName, sink, options);
}

ImportResult importOtlpRequest(const QByteArray &body, OtlpEncoding encoding, const QString &name,
                               const SpanBatchSink &sink, const ImportOptions &options)
{
    static const OtlpProtoImporter proto(OtlpProtoImporter::Layout::Single);
    static const OtlpJsonImporter json;
    ChunkReader reader;
    reader.setOutputLimit(options.maxInputBytes);
    const bool opened = reader.openBytes(body);
    const FormatImporter *importer = encoding == OtlpEncoding::Protobuf ? static_cast<const FormatImporter *>(&proto) : &json;
    return run(reader, opened, options.displayName.isEmpty() ? name : options.displayName, sink, options, importer);
}

} // namespace spanscope
