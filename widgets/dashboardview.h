#pragma once

#include "store/tracestore.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace spanscope {

class CostOverTimeChart;
class DashboardChart;
class DashboardModel;
class DistributionChart;
class RequestsChart;
class TokensOverTimeChart;
class TopChart;
class WorkspaceReader;

// The dashboard page: totals, then cost, tokens, requests and errors over time, the latency
// distribution, the top span names / models / users and the cost per trace, for the traces the
// trace list's filters select. Computed on the reader thread only while the page is shown.
// Clicking a bar asks for the traces behind it (tracesRequested).
class DashboardView : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);

    DashboardModel *model() const { return m_model; }
    void setReader(WorkspaceReader *reader);
    void setQuery(const TraceQuery &query);
    void refresh();

    QList<DashboardChart *> charts() const;
    CostOverTimeChart *costChart() const { return m_cost; }
    TokensOverTimeChart *tokensChart() const { return m_tokens; }
    RequestsChart *requestsChart() const { return m_requests; }
    DistributionChart *latencyChart() const { return m_latency; }
    DistributionChart *traceCostChart() const { return m_traceCost; }
    TopChart *topChart() const { return m_top; }
    QString totalsText() const;   // the totals line as plain text

Q_SIGNALS:
    void tracesRequested(const spanscope::TraceQuery &query, const QString &description);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onReport();
    void updateTotals();

    DashboardModel *m_model;
    QLabel *m_totals;
    QLabel *m_busy;
    QComboBox *m_bucket;
    CostOverTimeChart *m_cost;
    TokensOverTimeChart *m_tokens;
    RequestsChart *m_requests;
    DistributionChart *m_latency;
    TopChart *m_top;
    DistributionChart *m_traceCost;
};

} // namespace spanscope
