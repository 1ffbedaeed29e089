#pragma once

#include "store/tracestore.h"

#include <QString>

class QCommandLineParser;
class QTextStream;

// What the CLI commands share: one stdout and one stderr stream (so output from several commands'
// code never interleaves out of order) and the trace filters of every command that picks traces
// (traces, export, stats) — the command-line face of TraceQuery.
namespace spanscope::cli {

QTextStream &out();
QTextStream &err();

// "[--search TEXT] [--model M] …", for usage texts.
QString traceFilterUsage();
void addTraceFilterOptions(QCommandLineParser &parser);
bool hasTraceFilter(const QCommandLineParser &parser);
// Fills the filter fields of `query` from the options. False with `error` (no command prefix) when
// a value is not acceptable.
bool readTraceFilter(const QCommandLineParser &parser, TraceQuery *query, QString *error);

} // namespace spanscope::cli
