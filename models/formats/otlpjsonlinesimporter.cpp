#include "otlpjsonlinesimporter.h"

#include "chunkreader.h"
#include "importcontext.h"
#include "jsoninputiterator.h"
#include "jsonshape.h"
#include "otlpjsonhandler.h"

namespace spanscope {

QString OtlpJsonLinesImporter::name() const
{
    return QStringLiteral("otlp-jsonl");
}

int OtlpJsonLinesImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonShape shape = JsonShape::analyze(head, complete);
    if (shape.kind == JsonShape::Kind::Object && shape.hasResourceSpans)
        return shape.looksLikeJsonLines() ? 90 : 0;
    // The first line is damaged but later ones are OTLP documents.
    return shape.linesStartingWithResourceSpans > 0 && shape.kind != JsonShape::Kind::Empty ? 60 : 0;
}

void OtlpJsonLinesImporter::import(ImportContext &ctx) const
{
    ChunkReader &r = ctx.reader();
    r.setLineMode(true);
    OtlpJsonHandler handler(ctx);
    // Detection cannot see the end of a first line longer than its window; if that line turns out
    // to be the only document, the input was a (compact) JSON document.
    struct FormatFixup {
        ImportContext &ctx;
        int documents = 0;
        ~FormatFixup()
        {
            if (documents == 1 && ctx.options().forcedFormat.isEmpty())
                ctx.result().format.replace(QStringLiteral("otlp-jsonl"), QStringLiteral("otlp-json"));
        }
    } fixup{ctx};
    for (qint64 line = 1;; ++line) {
        if (ctx.isCancelled())
            return;
        // Skip the indentation of the line; a line with nothing else is blank.
        r.skipLineIndent();
        if (r.pos == r.end)
            return;
        if (*r.pos != '\n') {
            ++fixup.documents;
            handler.beginDocument(r.offset(), line);
            bool ok = false;
            try {
                ok = fastSaxParse(chunkJsonInput(r), &handler, /*strict=*/true);
            } catch (const std::exception &e) {
                ctx.error(r.offset(), line, QString::fromUtf8(e.what()));
            }
            handler.endDocument();
            if (ctx.isCancelled())
                return;
            if (!ok)
                r.skipRestOfLine();
            if (r.atEnd())
                return;
        }
        ++r.pos;  // the '\n'
        r.updateStop();
    }
}

} // namespace spanscope
