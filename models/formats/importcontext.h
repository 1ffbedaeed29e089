#pragma once

#include "importer.h"

namespace spanscope {

class ChunkReader;

// What every importer shares while it runs: the input, the batching of spans towards the sink,
// issue bookkeeping (with a cap, so a systematically broken 1 GB file cannot flood memory with
// millions of issues), cancellation and progress.
class ImportContext
{
public:
    static constexpr int MaxStoredIssues = 200;

    ImportContext(ChunkReader &reader, const SpanBatchSink &sink, const ImportOptions &options, ImportResult &result);

    ChunkReader &reader() { return m_reader; }
    const ImportOptions &options() const { return m_options; }
    ImportResult &result() { return m_result; }

    void warning(qint64 offset, qint64 line, const QString &reason);
    void error(qint64 offset, qint64 line, const QString &reason);
    // A span that cannot be kept (counted in stats.skippedSpans; reported as an error because
    // data was lost).
    void skipSpan(qint64 offset, qint64 line, const QString &reason);

    void emitSpan(Span &&span);
    // Hands over the partly filled batch.
    void flush();

    // Polls options.cancel; once true stays true and marks the result cancelled.
    bool isCancelled();

    // Reports the final progress, flushes (unless cancelled) and adds the summary of issues that
    // were counted but not stored.
    void finish();

private:
    void addIssue(ImportIssue::Severity severity, qint64 offset, qint64 line, const QString &reason);
    void progress(qint64 done);
    int reservedBatch() const;

    ChunkReader &m_reader;
    const SpanBatchSink &m_sink;
    const ImportOptions &m_options;
    ImportResult &m_result;
    SpanList m_batch;
    int m_batchSize;
    int m_suppressedIssues = 0;
    bool m_cancelled = false;
    qint64 m_lastProgress = -1;
    qint64 m_progressStep = 1;
};

} // namespace spanscope
