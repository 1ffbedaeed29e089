#pragma once

#include "compare/tracecomparison.h"
#include "store/tracestore.h"
#include "store/workspacestats.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace spanscope {

// Reads the workspace off the GUI thread. The reader object lives on its own thread with its own
// TraceStore connection; requests are queued calls, answers come back as signals carrying values.
// Every request carries an id chosen by the caller so stale answers can be dropped (Hotspot's way).
class WorkspaceReader : public QObject
{
    Q_OBJECT
public:
    explicit WorkspaceReader(const QString &workspacePath, QObject *parent = nullptr);
    ~WorkspaceReader() override;

    QString workspacePath() const { return m_path; }

    // Thread-safe entry points: they queue the work on the reader thread.
    void requestTraceList(quint64 requestId, const TraceQuery &query, bool withCount);
    void requestTrace(quint64 requestId, const QString &traceId);
    void requestSpanDetails(quint64 requestId, const Span &span);
    void requestCounts();
    void requestChoices();   // distinct models, services, sessions, users for the filter drop-downs
    // Loads both traces with details and aligns them (on the reader thread).
    void requestComparison(quint64 requestId, const QString &traceA, const QString &traceB);
    // Dashboard aggregates (WorkspaceStats, all in SQL on the reader thread).
    void requestStats(quint64 requestId, const spanscope::StatsRequest &request);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    // total < 0 when it was not asked for.
    void traceListReady(quint64 requestId, qint64 total, int offset, const QList<spanscope::TraceSummary> &traces);
    void traceReady(quint64 requestId, std::shared_ptr<const spanscope::Trace> trace,
                    const spanscope::TraceSummary &summary);
    void spanDetailsReady(quint64 requestId, const spanscope::Span &span);
    void countsReady(const spanscope::WorkspaceCounts &counts);
    void choicesReady(const QString &field, const QStringList &values);
    void comparisonReady(quint64 requestId, std::shared_ptr<const spanscope::Trace> a, const spanscope::TraceSummary &sa,
                         std::shared_ptr<const spanscope::Trace> b, const spanscope::TraceSummary &sb,
                         std::shared_ptr<const spanscope::TraceComparison> comparison);
    void statsReady(quint64 requestId, std::shared_ptr<const spanscope::StatsReport> report);
    void failed(const QString &error);

private:
    class Worker;
    QString m_path;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace spanscope

Q_DECLARE_METATYPE(spanscope::TraceQuery)
Q_DECLARE_METATYPE(spanscope::TraceSummary)
Q_DECLARE_METATYPE(spanscope::WorkspaceCounts)
Q_DECLARE_METATYPE(std::shared_ptr<const spanscope::Trace>)
Q_DECLARE_METATYPE(std::shared_ptr<const spanscope::TraceComparison>)
Q_DECLARE_METATYPE(std::shared_ptr<const spanscope::StatsReport>)
