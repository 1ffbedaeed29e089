#pragma once

#include <QStringList>

namespace spanscope::cli {

// True when `args` (without the program name) start with a CLI subcommand or a flag that the CLI
// answers (--help, --version); otherwise the GUI opens.
bool isCliInvocation(const QStringList &args);

// Runs a subcommand; returns the process exit status.
//   0 success, 1 the command ran but something failed (import errors, trace not found),
//   2 usage error.
int run(const QStringList &args);

// Workspace path from --db, else $SPANSCOPE_DB, else the default location.
QString workspacePath(const QString &dbOption);

} // namespace spanscope::cli
