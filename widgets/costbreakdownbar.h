#pragma once

#include "layout/tracestats.h"

#include <QColor>
#include <QWidget>

namespace spanscope {

// Where the open trace's time and cost went, at a glance: two thin stacked bars in the trace
// header, self time by span kind (kind colours, as in the waterfall) and cost by model. A model
// whose calls have no price gets a hatched "?" segment of its own, never a share of $0. Hover for
// a segment's numbers; click for the whole breakdown.
class CostBreakdownBar : public QWidget
{
    Q_OBJECT
public:
    explicit CostBreakdownBar(QWidget *parent = nullptr);

    void setStats(const TraceStats &stats);
    void clear();

    struct Segment {
        QString label;
        double value = 0;         // ns of self time, or USD
        double fraction = 0;      // of the bar's total
        QColor color;
        bool priceMissing = false;
        QString toolTip;
    };
    const QList<Segment> &timeSegments() const { return m_time; }
    const QList<Segment> &costSegments() const { return m_cost; }
    QString toolTipAt(const QPoint &pos) const;
    QString detailsHtml() const;   // what the popup shows
    void showDetails();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    QRect barRect(int row) const;           // 0: time, 1: cost
    QFont labelFont() const;
    int labelWidth() const;
    int rowHeight() const;
    const Segment *segmentAt(const QPoint &pos) const;

    TraceStats m_stats;
    bool m_hasStats = false;
    QList<Segment> m_time;
    QList<Segment> m_cost;
};

} // namespace spanscope
