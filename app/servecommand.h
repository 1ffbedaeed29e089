#pragma once

#include <QStringList>

namespace spanscope::cli {

// `spanscope serve [--db PATH] [--port N] [--bind ADDR] [--token T] [--portkey-gateway URL]
// [--portkey-token T] [--interval S] [--max-body-mb N]`: the live receiver without a window.
// Prints where it listens, then a throughput line every few seconds; SIGINT/SIGTERM commit what
// was accepted and exit 0. Exit 1 when it cannot listen or open the workspace, 2 usage error.
// Needs a QCoreApplication.
int runServe(const QStringList &args);

} // namespace spanscope::cli
