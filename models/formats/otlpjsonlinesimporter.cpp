#include "otlpjsonlinesimporter.h"

#include "chunkreader.h"
#include "importcontext.h"
#include "jsonreplay.h"
#include "jsonshape.h"
#include "otlpjsonhandler.h"

#include <optional>

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
    std::optional<JsonReplay> replay;
    if (ctx.options().replayJson)
        replay.emplace();
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
            // A line whole in the current chunk is parsed by simdjson (see jsonreplay.h).
            const bool whole = r.stop != r.end || r.isLastChunk();
            const bool ok = handler.parseDocument(replay ? &*replay : nullptr, whole ? r.stop : nullptr, /*strict=*/true);
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
