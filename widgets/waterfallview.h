#pragma once

#include "layout/criticalpath.h"
#include "layout/timescale.h"
#include "layout/waterfalllayout.h"
#include "trace/trace.h"

#include <QAbstractScrollArea>
#include <QPixmap>
#include <QPointer>

#include <memory>
#include <vector>

class QItemSelectionModel;

namespace spanscope {

class SpanTreeModel;
class TimeRuler;
class TraceOverview;
struct WaterfallColors;

// The timeline half of the trace view: one bar per visible row on the trace's time axis, a time
// ruler and an overview strip above it. Rows are WaterfallLayout's visible rows; the owner keeps
// them in step with a tree (setSpanCollapsed & co.) and may drive the vertical scroll bar from the
// tree's (setExternalVerticalRange). The horizontal scroll bar pans the time window.
//
// Mouse: click selects the row's span, double-click zooms to it, drag pans (time and rows),
// Shift+drag or a drag on the ruler selects a range to zoom to, Ctrl+wheel zooms about the pointer,
// Shift+wheel pans, the wheel over the ruler zooms. The overview shows the whole trace and the
// zoom window, which can be dragged.
class WaterfallView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit WaterfallView(QWidget *parent = nullptr);
    ~WaterfallView() override;

    void setTrace(std::shared_ptr<const Trace> trace);  // all rows expanded, time fitted
    void clear();
    const std::shared_ptr<const Trace> &trace() const { return m_trace; }
    const WaterfallLayout &layout() const { return m_layout; }
    const TimeScale &timeScale() const { return m_scale; }

    // Shares the tree's model and selection: the current index is the highlighted span, and a click
    // on a row makes its span current. Without them, clicks only emit spanClicked.
    void setSelectionModel(SpanTreeModel *model, QItemSelectionModel *selection);
    int currentSpan() const { return m_currentSpan; }

    // Rows
    int rowHeight() const { return m_rowHeight; }
    void setRowHeight(int px);
    int rowCount() const { return m_layout.visibleRowCount(); }
    int rowAt(int viewportY) const;             // -1 below the last row
    int spanAt(const QPoint &viewportPos) const;  // the span of the row under the point, or -1
    QRect rowRect(int span) const;              // viewport coordinates; empty when hidden
    QRect barRect(int span) const;              // the bar as painted (at least 1 px wide); empty when hidden
    void setSpanCollapsed(int span, bool collapsed);
    void expandAll();
    void collapseAll();
    void collapseFromDepth(int depth);
    void expandTo(int span);
    // When on, the vertical scroll bar's range is set by the owner (mirrored from a tree).
    void setExternalVerticalRange(bool external);

    // Time
    void zoom(double factor, double anchorX);
    void zoomIn();   // about the centre
    void zoomOut();
    void fitAll();
    void zoomToRange(double fromNs, double toNs);
    void zoomToSpan(int span);        // the span with a little margin on both sides
    void ensureSpanVisible(int span); // pans (never zooms) when the bar is entirely out of view

    // Overlays
    void setCriticalPath(const CriticalPath *path);  // nullptr: off. The caller keeps it alive.
    const CriticalPath *criticalPath() const { return m_criticalPath; }
    void setSearchMatches(const QList<int> &spans);

    // The strips above the bars: their heights are chosen by the owner so the first bar row lines up
    // with the first tree row.
    void setTopStripHeights(int overviewHeight, int rulerHeight);
    TimeRuler *ruler() const { return m_ruler; }
    TraceOverview *overview() const { return m_overview; }

    // Paints the visible rows without the cache (what paintEvent shows, minus hover overlays).
    void paintRows(QPainter &p, const QSize &size) const;
    // A range being selected by a drag (ruler or Shift+drag), in viewport x; invalid when none.
    QPair<double, double> rangeSelection() const { return {m_rangeX0, m_rangeX1}; }
    bool hasRangeSelection() const { return m_dragMode == DragRange; }
    double cursorX() const { return m_cursorX; }  // the hover time line, < 0 when none

    QString toolTipForSpan(int span) const;

Q_SIGNALS:
    void timeWindowChanged();
    void rowsChanged();
    void spanClicked(int span);
    void spanDoubleClicked(int span);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    friend class TimeRuler;
    friend class TraceOverview;
    enum DragMode { DragNone, DragPending, DragPan, DragRange };

    void onScaleChanged();
    void onRowsChanged();
    void invalidate();
    void updateGeometries();
    void updateHorizontalScrollBar();
    void updateVerticalRange();
    void onHorizontalScroll(int value);
    void selectSpan(int span);
    void setCursorX(double x);
    void beginRange(double x);
    void updateRange(double x);
    void finishRange();
    QList<Tick> ticks() const;
    double scrollUnitsPerNs() const;

    std::shared_ptr<const Trace> m_trace;
    WaterfallLayout m_layout;
    TimeScale m_scale;
    const CriticalPath *m_criticalPath = nullptr;
    std::vector<bool> m_matches;
    QPointer<SpanTreeModel> m_model;
    QPointer<QItemSelectionModel> m_selection;
    int m_currentSpan = -1;
    int m_rowHeight = 22;
    bool m_externalVerticalRange = false;
    bool m_updatingScrollBar = false;

    TimeRuler *m_ruler = nullptr;
    TraceOverview *m_overview = nullptr;
    int m_overviewHeight = 0;
    int m_rulerHeight = 0;

    // The bars are cached; hover, cursor line and drag overlays are drawn on top.
    QPixmap m_cache;
    bool m_cacheValid = false;

    DragMode m_dragMode = DragNone;
    QPoint m_pressPos;
    QPoint m_lastPos;
    double m_rangeX0 = 0;
    double m_rangeX1 = 0;
    double m_cursorX = -1;
    int m_hoverSpan = -1;
};

} // namespace spanscope
