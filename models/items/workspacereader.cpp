#include "workspacereader.h"

namespace spanscope {

class WorkspaceReader::Worker : public QObject
{
public:
    explicit Worker(WorkspaceReader *owner) : m_owner(owner) {}

    // Opens on first use so the connection is created on the reader thread.
    TraceStore *store()
    {
        if (!m_store.isOpen() && !m_failed) {
            const bool ok = m_store.open(m_owner->m_path);
            m_failed = !ok;
            Q_EMIT m_owner->opened(ok, ok ? QString() : m_store.lastError());
        }
        return m_store.isOpen() ? &m_store : nullptr;
    }

    void close() { m_store.close(); }

private:
    WorkspaceReader *m_owner;
    TraceStore m_store;
    bool m_failed = false;
};

WorkspaceReader::WorkspaceReader(const QString &workspacePath, QObject *parent)
    : QObject(parent)
    , m_path(workspacePath)
{
    qRegisterMetaType<spanscope::TraceQuery>();
    qRegisterMetaType<spanscope::TraceSummary>();
    qRegisterMetaType<QList<spanscope::TraceSummary>>();
    qRegisterMetaType<spanscope::WorkspaceCounts>();
    qRegisterMetaType<spanscope::Span>();
    qRegisterMetaType<std::shared_ptr<const spanscope::Trace>>();
    qRegisterMetaType<std::shared_ptr<const spanscope::TraceComparison>>();
    qRegisterMetaType<std::shared_ptr<const spanscope::StatsReport>>();
    m_thread.setObjectName(QStringLiteral("WorkspaceReader"));
    m_worker = new Worker(this);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, [w = m_worker] { w->close(); });
    m_thread.start();
}

WorkspaceReader::~WorkspaceReader()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->close(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

void WorkspaceReader::requestTraceList(quint64 requestId, const TraceQuery &query, bool withCount)
{
    QMetaObject::invokeMethod(m_worker, [this, requestId, query, withCount] {
        TraceStore *s = m_worker->store();
        if (!s)
            return;
        const qint64 total = withCount ? s->countTraces(query) : -1;
        const QList<TraceSummary> page = s->listTraces(query);
        Q_EMIT traceListReady(requestId, total, query.offset, page);
    });
}

void WorkspaceReader::requestTrace(quint64 requestId, const QString &traceId)
{
    QMetaObject::invokeMethod(m_worker, [this, requestId, traceId] {
        TraceStore *s = m_worker->store();
        if (!s)
            return;
        auto trace = makeSharedTrace(s->loadTrace(traceId, false));
        const TraceSummary summary = s->traceSummary(traceId).value_or(TraceSummary{});
        Q_EMIT traceReady(requestId, std::move(trace), summary);
    });
}

void WorkspaceReader::requestSpanDetails(quint64 requestId, const Span &span)
{
    QMetaObject::invokeMethod(m_worker, [this, requestId, span] {
        TraceStore *s = m_worker->store();
        if (!s)
            return;
        Span full = span;
        if (!s->loadSpanDetails(full))
            Q_EMIT failed(s->lastError());
        Q_EMIT spanDetailsReady(requestId, full);
    });
}

void WorkspaceReader::requestCounts()
{
    QMetaObject::invokeMethod(m_worker, [this] {
        if (TraceStore *s = m_worker->store())
            Q_EMIT countsReady(s->counts());
    });
}

void WorkspaceReader::requestChoices()
{
    QMetaObject::invokeMethod(m_worker, [this] {
        TraceStore *s = m_worker->store();
        if (!s)
            return;
        for (const char *field : {"model", "service", "session", "user"}) {
            const QString f = QString::fromLatin1(field);
            Q_EMIT choicesReady(f, s->distinctValues(f));
        }
    });
}

void WorkspaceReader::requestComparison(quint64 requestId, const QString &traceA, const QString &traceB)
{
    QMetaObject::invokeMethod(m_worker, [this, requestId, traceA, traceB] {
        TraceStore *s = m_worker->store();
        if (!s)
            return;
        auto a = makeSharedTrace(s->loadTrace(traceA, true));
        auto b = makeSharedTrace(s->loadTrace(traceB, true));
        auto comparison = std::make_shared<const TraceComparison>(TraceComparison::compare(*a, *b));
        Q_EMIT comparisonReady(requestId, a, s->traceSummary(traceA).value_or(TraceSummary{}), b,
                               s->traceSummary(traceB).value_or(TraceSummary{}), comparison);
    });
}

void WorkspaceReader::requestStats(quint64 requestId, const StatsRequest &request)
{
    QMetaObject::invokeMethod(m_worker, [this, requestId, request] {
        TraceStore *s = m_worker->store();
        if (!s)
            return;
        Q_EMIT statsReady(requestId, std::make_shared<const StatsReport>(WorkspaceStats::compute(*s, request)));
    });
}

} // namespace spanscope
