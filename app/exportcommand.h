#pragma once

#include <QStringList>

namespace spanscope::cli {

// `spanscope export [--db PATH] [--format otlp-json|otlp-jsonl|csv] -o FILE
//      (TRACE_ID... | --all | [--search TEXT] [--model M] [--status ok|error] [--since ISO-8601])`
// Writes the chosen traces with every detail; FILE "-" is standard output. The format defaults to
// what FILE's extension says (.json, .jsonl, .csv). Exit status 0 when the file was written, 1 when
// a trace id is unknown or the file cannot be written (nothing is left behind), 2 usage error.
int runExport(const QStringList &args);

} // namespace spanscope::cli
