#include "otlpjsonimporter.h"

#include "chunkreader.h"
#include "importcontext.h"
#include "jsonreplay.h"
#include "jsonshape.h"
#include "otlpjsonhandler.h"

#include <QCoreApplication>

#include <optional>

namespace spanscope {

QString OtlpJsonImporter::name() const
{
    return QStringLiteral("otlp-json");
}

int OtlpJsonImporter::sniff(QByteArrayView head, bool complete) const
{
    const JsonShape shape = JsonShape::analyze(head, complete);
    if (shape.kind != JsonShape::Kind::Object || !shape.hasResourceSpans)
        return 0;
    // A single compact document also reads as JSON lines; call it a document unless more follow.
    return shape.looksLikeJsonLines() ? 40 : 90;
}

void OtlpJsonImporter::import(ImportContext &ctx) const
{
    ChunkReader &r = ctx.reader();
    r.setLineMode(false);
    OtlpJsonHandler handler(ctx);
    // When the rest of the input is in memory (a request body, a small file), simdjson parses it
    // (see jsonreplay.h); it takes one document and nothing after it but whitespace.
    std::optional<JsonReplay> replay;
    if (ctx.options().replayJson)
        replay.emplace();
    for (int documents = 0;; ++documents) {
        if (ctx.isCancelled())
            return;
        if (!r.skipJsonSpace()) {
            if (documents == 0 && !r.failed())
                ctx.error(r.offset(), -1, QCoreApplication::translate("OtlpJsonImporter", "no JSON document in the input"));
            return;
        }
        if (documents > 0 && *r.pos != '{') {
            ctx.error(r.offset(), -1,
                      QCoreApplication::translate("OtlpJsonImporter", "unexpected data after the JSON document"));
            return;
        }
        handler.beginDocument(r.offset(), -1);
        // Not strict: the parser stops after the document and what follows is checked above.
        const bool ok = handler.parseDocument(replay ? &*replay : nullptr, r.isLastChunk() ? r.end : nullptr, /*strict=*/false);
        handler.endDocument();
        if (!ok)
            return;
    }
}

} // namespace spanscope
