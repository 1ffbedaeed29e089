#include "importcontext.h"

#include "chunkreader.h"

#include <QCoreApplication>

namespace spanscope {

ImportContext::ImportContext(ChunkReader &reader, const SpanBatchSink &sink, const ImportOptions &options, ImportResult &result)
    : m_reader(reader)
    , m_sink(sink)
    , m_options(options)
    , m_result(result)
    , m_batchSize(std::max(1, options.batchSize))
{
    m_result.stats.totalBytes = reader.rawSize();
    // 0.5 % steps: enough for a smooth bar, few enough calls to cost nothing.
    m_progressStep = std::max<qint64>(1, reader.rawSize() / 200);
    m_reader.setProgressHook([this](qint64 done) { progress(done); });
    m_batch.reserve(reservedBatch());
}

// A Span is ~800 bytes: reserving a whole batch of a caller that wants everything in one batch
// (the receiver asks for 1 << 20) would allocate most of a gigabyte per request.
int ImportContext::reservedBatch() const
{
    return std::min(m_batchSize, 1024);
}

void ImportContext::progress(qint64 done)
{
    m_result.stats.bytes = done;
    if (!m_options.progress || m_result.stats.totalBytes <= 0)
        return;
    if (m_lastProgress >= 0 && done - m_lastProgress < m_progressStep && done != m_result.stats.totalBytes)
        return;
    if (done == m_lastProgress)
        return;
    m_lastProgress = done;
    m_options.progress(done, m_result.stats.totalBytes);
}

void ImportContext::addIssue(ImportIssue::Severity severity, qint64 offset, qint64 line, const QString &reason)
{
    if (severity == ImportIssue::Severity::Error)
        ++m_result.stats.errors;
    else
        ++m_result.stats.warnings;
    if (m_result.issues.size() >= MaxStoredIssues) {
        ++m_suppressedIssues;
        return;
    }
    ImportIssue issue;
    issue.severity = severity;
    issue.file = m_result.file;
    issue.offset = offset;
    issue.line = line;
    issue.reason = reason;
    m_result.issues.push_back(std::move(issue));
}

void ImportContext::warning(qint64 offset, qint64 line, const QString &reason)
{
    addIssue(ImportIssue::Severity::Warning, offset, line, reason);
}

void ImportContext::error(qint64 offset, qint64 line, const QString &reason)
{
    addIssue(ImportIssue::Severity::Error, offset, line, reason);
}

void ImportContext::skipSpan(qint64 offset, qint64 line, const QString &reason)
{
    ++m_result.stats.skippedSpans;
    addIssue(ImportIssue::Severity::Error, offset, line, reason);
}

void ImportContext::emitSpan(Span &&span)
{
    m_batch.push_back(std::move(span));
    if (m_batch.size() >= m_batchSize)
        flush();
}

void ImportContext::flush()
{
    if (m_batch.isEmpty())
        return;
    m_result.stats.spans += m_batch.size();
    SpanList full;
    full.reserve(reservedBatch());
    full.swap(m_batch);
    if (m_sink)
        m_sink(std::move(full));
}

bool ImportContext::isCancelled()
{
    if (!m_cancelled && m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
        m_cancelled = true;
        m_result.cancelled = true;
    }
    return m_cancelled;
}

void ImportContext::finish()
{
    if (!isCancelled())
        flush();
    else
        m_batch.clear();
    progress(m_reader.rawConsumed());
    if (m_suppressedIssues > 0) {
        ImportIssue summary;
        summary.severity = ImportIssue::Severity::Warning;
        summary.file = m_result.file;
        summary.reason = QCoreApplication::translate("ImportContext", "%n more issue(s) not listed", nullptr, m_suppressedIssues);
        m_result.issues.push_back(std::move(summary));
    }
}

} // namespace spanscope
