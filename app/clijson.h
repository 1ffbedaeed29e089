#pragma once

#include "trace/trace.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace spanscope::cli {

// The documented `--json` contracts (README "CLI"). Keys are stable; new keys may be added.
QJsonObject tracesToJson(const QList<TraceSummary> &traces);
QJsonObject traceToJson(const Trace &trace);

// ISO-8601 date or date-time, with or without offset (UTC when none); invalid when unparseable.
QDateTime parseIsoTime(const QString &text);

} // namespace spanscope::cli
