#include "dashboardmodel.h"

#include "workspacereader.h"

#include <QDateTime>

#include <algorithm>

namespace spanscope {

namespace {

// TraceQuery has no operator== (sort and paging do not matter here anyway).
bool sameFilters(const TraceQuery &a, const TraceQuery &b)
{
    return a.search == b.search && a.model == b.model && a.service == b.service && a.sessionId == b.sessionId
        && a.userId == b.userId && a.status == b.status && a.sinceNs == b.sinceNs && a.untilNs == b.untilNs
        && a.minDurationNs == b.minDurationNs && a.minCostUsd == b.minCostUsd && a.spanName == b.spanName
        && a.maxDurationNs == b.maxDurationNs && a.maxCostUsd == b.maxCostUsd;
}

} // namespace

DashboardModel::DashboardModel(QObject *parent)
    : QObject(parent)
{
}

void DashboardModel::setReader(WorkspaceReader *reader)
{
    if (m_reader)
        disconnect(m_reader, nullptr, this, nullptr);
    m_reader = reader;
    m_inFlight = 0;
    m_pendingParts = 0;
    m_report.reset();
    Q_EMIT reportChanged();
    if (m_reader)
        connect(m_reader, &WorkspaceReader::statsReady, this, &DashboardModel::onStatsReady);
    send(StatsRequest::All);
}

void DashboardModel::setQuery(const TraceQuery &query)
{
    if (sameFilters(query, m_query) && m_report)
        return;
    m_query = query;
    send(StatsRequest::All);
}

void DashboardModel::setBucketNs(qint64 bucketNs)
{
    if (bucketNs == m_bucketNs)
        return;
    m_bucketNs = bucketNs;
    send(StatsRequest::Timeline | StatsRequest::Totals);
}

void DashboardModel::setLatencyModel(const QString &model)
{
    if (model == m_latencyModel)
        return;
    m_latencyModel = model;
    send(StatsRequest::ModelLatency);
}

void DashboardModel::setTopCount(int n)
{
    if (n == m_topCount)
        return;
    m_topCount = n;
    send(StatsRequest::Top);
}

void DashboardModel::setTopDimension(StatsDimension dimension)
{
    if (dimension == m_topDimension)
        return;
    m_topDimension = dimension;
    send(StatsRequest::Top);
}

void DashboardModel::setClockForTesting(std::function<qint64()> nowNs, qint64 utcOffsetSeconds)
{
    m_now = std::move(nowNs);
    m_utcOffsetSeconds = utcOffsetSeconds;
    m_fixedOffset = true;
}

void DashboardModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (m_active && m_stale)
        send(std::exchange(m_stale, 0u));
}

void DashboardModel::refresh()
{
    send(StatsRequest::All);
}

StatsRequest DashboardModel::makeRequest(unsigned parts) const
{
    StatsRequest r;
    r.filter = m_query;
    r.bucketNs = m_bucketNs;
    r.nowNs = m_now ? m_now() : QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    r.utcOffsetSeconds = m_fixedOffset ? m_utcOffsetSeconds : QDateTime::currentDateTime().offsetFromUtc();
    if (r.bucketNs > 0) {
        // A bar per minute of a month would be 43,200 bars: past MaxBuckets the range decides.
        qint64 start = m_query.sinceNs;
        qint64 end = m_query.untilNs != 0 ? m_query.untilNs : r.nowNs;
        if (start == 0 && m_report && m_report->totals.traces > 0) {
            start = m_report->totals.firstStartNs;
            end = m_query.untilNs != 0 ? m_query.untilNs : m_report->totals.lastStartNs + 1;
        }
        if (start != 0 && end > start && (end - start) / r.bucketNs >= WorkspaceStats::MaxBuckets)
            r.bucketNs = 0;
    }
    r.topCount = m_topCount;
    r.topDimension = m_topDimension;
    r.latencyModel = m_latencyModel;
    r.parts = parts;
    return r;
}

void DashboardModel::send(unsigned parts)
{
    if (!m_reader || !m_active) {
        m_stale |= parts;
        return;
    }
    if (m_inFlight != 0) {
        // Whatever changed meanwhile goes out as one request once this one is answered.
        m_pendingParts |= parts;
        return;
    }
    // A partial request patches the current report; without one everything is needed.
    if (!m_report)
        parts = StatsRequest::All;
    m_inFlight = ++m_nextRequest;
    m_inFlightParts = parts;
    m_reader->requestStats(m_inFlight, makeRequest(parts));
    Q_EMIT loadingChanged(true);
}

void DashboardModel::onStatsReady(quint64 requestId, std::shared_ptr<const StatsReport> report)
{
    if (requestId != m_inFlight || !report)
        return;
    m_inFlight = 0;
    const unsigned parts = m_inFlightParts;
    const unsigned pending = std::exchange(m_pendingParts, 0u);
    // Filters or buckets changed while it ran: this answer is already out of date.
    const bool outdated = (pending & ~unsigned(StatsRequest::ModelLatency) & ~unsigned(StatsRequest::Top)) != 0;
    if (!outdated) {
        if (parts == StatsRequest::All || !m_report) {
            m_report = std::move(report);
        } else {
            auto merged = std::make_shared<StatsReport>(*m_report);
            if (parts & StatsRequest::ModelLatency) {
                merged->latencyModel = report->latencyModel;
                merged->modelLatency = report->modelLatency;
                merged->latencyModels = report->latencyModels;
            }
            if (parts & StatsRequest::Top) {
                merged->topNamesByCost = report->topNamesByCost;
                merged->topNamesByLatency = report->topNamesByLatency;
                merged->topModelsByCost = report->topModelsByCost;
                merged->topModelsByLatency = report->topModelsByLatency;
                merged->topUsersByCost = report->topUsersByCost;
                merged->topUsersByLatency = report->topUsersByLatency;
            }
            if (parts & (StatsRequest::Timeline | StatsRequest::Totals)) {
                merged->totals = report->totals;
                merged->bucketNs = report->bucketNs;
                merged->rangeStartNs = report->rangeStartNs;
                merged->rangeEndNs = report->rangeEndNs;
                merged->buckets = report->buckets;
                merged->modelBuckets = report->modelBuckets;
                merged->models = report->models;
            }
            merged->request = report->request;
            merged->error = report->error;
            m_report = std::move(merged);
        }
        Q_EMIT reportChanged();
    }
    if (pending)
        send(outdated ? (pending | parts) : pending);
    if (m_inFlight == 0)
        Q_EMIT loadingChanged(false);
}

TraceQuery DashboardModel::narrowed(const TraceQuery &base, qint64 startNs, qint64 endNs)
{
    TraceQuery q = base;
    q.sinceNs = base.sinceNs != 0 ? std::max(base.sinceNs, startNs) : startNs;
    q.untilNs = base.untilNs != 0 ? std::min(base.untilNs, endNs) : endNs;
    return q;
}

} // namespace spanscope
