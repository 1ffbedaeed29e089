#pragma once

#include <QStringList>

namespace spanscope::cli {

// `spanscope stats [--db PATH] [--json] [--search TEXT] [--model M] [--status ok|error]
//      [--since ISO-8601] [--until ISO-8601] [--by model|name|user|service|kind]
//      [--bucket minute|hour|day] [--top N]`: the dashboard's aggregates for the traces the filters
// select (cost, tokens, requests, errors, latency p50/p90/p99 in total, per time bucket and per
// group). Exit status 0 when it ran (also with no traces), 1 when the workspace cannot be read,
// 2 usage error.
int runStats(const QStringList &args);

// `spanscope reprice [--db PATH] [--prices FILE]`: re-applies the price table (built-in, plus FILE's
// overrides) to every span whose cost was not reported. Exit status 0 done, 1 failure, 2 usage.
int runReprice(const QStringList &args);

} // namespace spanscope::cli
