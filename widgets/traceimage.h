#pragma once

#include "layout/criticalpath.h"
#include "layout/tracestats.h"
#include "layout/waterfalllayout.h"
#include "trace/trace.h"

#include <QCoreApplication>
#include <QFont>
#include <QImage>
#include <QPalette>

#include <memory>

class QPainter;

namespace spanscope {

// What a picture of a trace shows: header, overview, ruler, then tree column and waterfall row by
// row. Painted with QPainter only, so it renders headless (CLI) and into SVG as well as PNG.
struct TraceImageSpec {
    std::shared_ptr<const Trace> trace;
    TraceStats stats;
    const WaterfallLayout *layout = nullptr;  // the rows to draw; null: all rows expanded
    double windowStartNs = 0;                 // the time window; an empty one means the whole trace
    double windowEndNs = 0;
    const CriticalPath *criticalPath = nullptr;  // set to show the critical path
    QPalette palette;
    QFont font;
    int width = 1200;
    int maxHeight = 4000;  // rows that do not fit are counted in a footer line
    int treeWidth = 0;     // 0: about a third of the width
};

class TraceImage
{
    Q_DECLARE_TR_FUNCTIONS(spanscope::TraceImage)
public:
    explicit TraceImage(TraceImageSpec spec);

    QSize size() const { return QSize(m_spec.width, m_height); }
    int rowsShown() const { return m_rows; }
    void paint(QPainter &p) const;
    QImage toImage(qreal devicePixelRatio = 1.0) const;

private:
    QList<QList<int>> statsRows() const;  // header items packed into lines
    int itemWidth(int item) const;

    TraceImageSpec m_spec;
    WaterfallLayout m_ownLayout;
    const WaterfallLayout *m_layout = nullptr;
    int m_rowHeight = 20;
    int m_headerHeight = 0;
    int m_overviewHeight = 0;
    int m_rulerHeight = 0;
    int m_footerHeight = 0;
    int m_treeWidth = 0;
    int m_rows = 0;
    int m_height = 0;
};

} // namespace spanscope
