#pragma once

#include "store/workspacestats.h"
#include "workspacereader.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace spanscope {

// What the dashboard shows: the WorkspaceStats report for the trace list's filters, asked for on
// the reader thread. Holds the latest report; answers to older requests are dropped. While the
// dashboard is not shown (inactive) changes only mark it stale: nothing is computed for nobody.
// At most one request is in flight; changes made meanwhile are sent as one request after it.
class DashboardModel : public QObject
{
    Q_OBJECT
public:
    explicit DashboardModel(QObject *parent = nullptr);

    void setReader(WorkspaceReader *reader);
    WorkspaceReader *reader() const { return m_reader; }

    TraceQuery query() const { return m_query; }
    void setQuery(const TraceQuery &query);
    qint64 bucketNs() const { return m_bucketNs; }
    void setBucketNs(qint64 bucketNs);             // 0 = by the range
    QString latencyModel() const { return m_latencyModel; }
    void setLatencyModel(const QString &model);   // empty = traces end to end (only the latency part is asked again)
    void setTopCount(int n);
    StatsDimension topDimension() const { return m_topDimension; }
    void setTopDimension(StatsDimension dimension);   // the one the top chart shows; None = all
    // "now" (for open time ranges) and the zone offset of the buckets; the app leaves both to the
    // clock and the local time zone.
    void setClockForTesting(std::function<qint64()> nowNs, qint64 utcOffsetSeconds);

    void setActive(bool active);
    bool isActive() const { return m_active; }
    void refresh();                                // the workspace changed: ask again (when active)

    std::shared_ptr<const StatsReport> report() const { return m_report; }
    bool isLoading() const { return m_inFlight != 0; }

    // The trace list query behind part of a chart: the current filters narrowed to [startNs, endNs)
    // of trace start times (intersected with the filters' own range).
    static TraceQuery narrowed(const TraceQuery &base, qint64 startNs, qint64 endNs);

Q_SIGNALS:
    void reportChanged();
    void loadingChanged(bool loading);

private:
    void send(unsigned parts);
    void onStatsReady(quint64 requestId, std::shared_ptr<const StatsReport> report);
    StatsRequest makeRequest(unsigned parts) const;

    QPointer<WorkspaceReader> m_reader;
    TraceQuery m_query;
    qint64 m_bucketNs = 0;
    QString m_latencyModel;
    int m_topCount = 10;
    StatsDimension m_topDimension = StatsDimension::None;
    std::function<qint64()> m_now;
    qint64 m_utcOffsetSeconds = 0;
    bool m_fixedOffset = false;
    bool m_active = false;
    unsigned m_stale = StatsRequest::All;         // parts to ask for when active
    quint64 m_nextRequest = 0;
    quint64 m_inFlight = 0;                       // request id, 0 = none
    unsigned m_inFlightParts = 0;
    unsigned m_pendingParts = 0;                  // asked for while a request was in flight
    std::shared_ptr<const StatsReport> m_report;
};

} // namespace spanscope
