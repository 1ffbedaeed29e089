#pragma once

#include "layout/tracestats.h"
#include "trace/trace.h"

#include <QWidget>

class QLabel;

namespace spanscope {

class CostBreakdownBar;
class KindLegend;

// The trace's totals above the tree and waterfall: name and id, then duration, spans, LLM and tool
// calls, tokens, cost (the part computed from prices marked) and errors, which is a link to the
// first error. The kind breakdown is in the totals' tooltip. The colour legend sits at the right.
class TraceHeader : public QWidget
{
    Q_OBJECT
public:
    struct Item {
        QString label;
        QString value;
        QString note;         // muted, after the value ("incl. $0.02 computed")
        bool isErrors = false;
        int errorCount = 0;
    };

    explicit TraceHeader(QWidget *parent = nullptr);

    void setStats(const TraceStats &stats, const QString &traceId);
    void clear();
    KindLegend *legend() const { return m_legend; }
    CostBreakdownBar *costBreakdown() const { return m_breakdown; }

    // The totals as label/value pairs, shared with the image export.
    static QList<Item> items(const TraceSummary &totals);
    static QString title(const TraceSummary &totals);
    // The totals line as plain text ("Duration 1.20 s · Spans 12 · …").
    QString statsText() const;
    QString titleText() const;

Q_SIGNALS:
    void errorsClicked();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void updateTitleWidth();
    QString breakdownToolTip() const;

    TraceStats m_stats;
    QString m_traceId;
    bool m_hasTrace = false;
    QLabel *m_title;
    QLabel *m_id;
    QLabel *m_statsLabel;
    KindLegend *m_legend;
    CostBreakdownBar *m_breakdown = nullptr;   // where the time and cost went
};

} // namespace spanscope
