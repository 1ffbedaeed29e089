#pragma once

#include "tracewriter.h"

#include <QStringList>

#include <atomic>
#include <functional>

namespace spanscope {

class TraceStore;

struct ExportOptions {
    // (traces written, traces to write), after each trace.
    std::function<void(int done, int total)> progress;
    // Polled between traces; when it turns true the export stops and writes nothing.
    const std::atomic_bool *cancel = nullptr;
};

struct ExportResult {
    int traces = 0;
    qint64 spans = 0;
    QStringList missing;   // requested ids that are not in the workspace (skipped)
    bool cancelled = false;
    QString error;         // why nothing was written; empty on success
    bool ok() const { return error.isEmpty() && !cancelled; }
};

// Writes the traces `traceIds` of `store` (each loaded with all details) to `path` in `format`.
// The file appears only when everything was written (QSaveFile): a failed or cancelled export
// leaves no partial file behind, and an existing file is replaced only on success. `path` "-"
// writes to standard output. Ids not in the workspace are skipped and listed in the result.
// Must run on the thread that opened `store`. Never throws.
ExportResult exportTraces(TraceStore &store, const QStringList &traceIds, ExportFormat format, const QString &path,
                          const ExportOptions &options = {});

// The same with the signature the GUI's File > Export uses: false with *error on failure.
bool exportTraces(TraceStore &store, const QStringList &traceIds, ExportFormat format, const QString &path, QString *error,
                  const ExportOptions &options = {});

} // namespace spanscope
