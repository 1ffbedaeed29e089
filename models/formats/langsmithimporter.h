#pragma once

#include "formatimporter.h"

namespace spanscope {

// LangSmith runs: a JSON array, JSON lines, {runs:[…]} (the query API), one run object, or the
// {post:[runs], patch:[runs]} batch the SDKs send to /runs/batch. The tree comes from
// parent_run_id, else from dotted_order (whose segments name every ancestor; the first one is the
// trace). A record for a run that is already pending (no start or no end yet) merges into it —
// later fields win, extra.metadata merges key by key — so patches complete their runs in any
// order. A complete run is handed over as soon as it is read, so a 100,000-run array streams.
//
// run_type gives the kind (llm, chain, tool, retriever, embedding, prompt; parser and others are
// spans); tokens come from outputs.usage_metadata (or the OpenAI usage, or the run's own
// prompt_tokens/completion_tokens for llm runs — on other runs those are roll-ups of the
// children); llm runs' prompt_cost/completion_cost/total_cost are kept as reported; `error` is an
// error status plus an exception event.
class LangSmithImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

} // namespace spanscope
