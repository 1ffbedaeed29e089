#pragma once

#include "formatimporter.h"

namespace spanscope {

// Langfuse: traces with their observations as the public API returns them and the UI's JSON
// download saves them (one trace, an array, or {data:[…], meta} pages — of traces or of
// observations), and the ingestion batch {batch:[{id, timestamp, type, body}]}, whose *-update
// events merge into their *-create (in event-time order).
//
// A trace becomes a root span (kind chain, span id = trace id) above its observations; an
// observation becomes a span of the kind its type says (GENERATION → llm, SPAN and EVENT →
// span, AGENT, TOOL, CHAIN, RETRIEVER, EVALUATOR, EMBEDDING, GUARDRAIL). Level ERROR is an error
// status; usage and costs (costDetails, calculated*Cost) are kept as reported; scores become
// "langfuse.score" events. Other fields are kept as langfuse.trace.* / langfuse.observation.*
// attributes.
class LangfuseImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

} // namespace spanscope
