#pragma once

#include "formats/importer.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace spanscope {

class PriceTable;
class TraceStore;

// What happened to one file: the importer's result plus what reached the workspace.
struct FileImportReport {
    ImportResult result;
    qint64 storedSpans = 0;
    QString storeError;     // non-empty when the workspace refused a batch (the import stopped there)
    double seconds = 0;
    bool ok() const { return result.ok() && storeError.isEmpty(); }
};

struct ImportPipelineOptions {
    // (file index, bytes done, bytes total) — called on the parsing thread, throttled.
    std::function<void(int fileIndex, qint64 done, qint64 total)> progress;
    const std::atomic_bool *cancel = nullptr;
    // Called on the calling (writing) thread after each committed batch with the file's running total.
    std::function<void(int fileIndex, qint64 storedSpans)> committed;
    QString forcedFormat;
    bool keepSecrets = false;                   // ImportOptions::keepSecrets (credentials are redacted by default)
    std::shared_ptr<const PriceTable> prices;   // nullptr = built-in table
    // Defer the indexes while loading (then rebuild them), when the files are big next to the
    // workspace (bulkWorthIt()); false: never.
    bool bulk = true;
    bool indexFullTextNow = true;               // bring the full-text index up to date before returning
    int batchSize = 2000;
};

// Applies semantic conventions and prices to freshly parsed spans (the step between importer and
// store, shared by file import and the live receiver).
void enrichSpans(SpanList &spans, const PriceTable &prices);

// Imports files into an open workspace. Parsing and enrichment run on a worker thread while the
// calling thread writes batches to `store` (which must have been opened on the calling thread):
// parse and store overlap, memory stays bounded by a few batches.
QList<FileImportReport> importFiles(TraceStore &store, const QStringList &files,
                                    const ImportPipelineOptions &options = {});

} // namespace spanscope
