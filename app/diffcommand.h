#pragma once

#include <QStringList>

namespace spanscope::cli {

// `spanscope diff [--db PATH] [--json] TRACE_A TRACE_B`: the two traces aligned span by span, with
// the summary of what changed (latency, tokens, cost, errors, spans added/removed/changed, the
// spans behind most of the difference). Exit status 0 when the diff ran, whether or not the traces
// differ; 1 when a trace is missing or the workspace cannot be opened; 2 usage error.
int runDiff(const QStringList &args);

} // namespace spanscope::cli
