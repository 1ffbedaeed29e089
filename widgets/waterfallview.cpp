#include "waterfallview.h"

#include "timeruler.h"
#include "traceoverview.h"
#include "waterfallpainter.h"

#include "items/spantreemodel.h"
#include "items/tracelistmodel.h"

#include <QApplication>
#include <QItemSelectionModel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace spanscope {

namespace {
constexpr double kKeyZoomFactor = 1.5;
constexpr double kWheelZoomBase = 1.25;  // per 15° wheel notch
// The horizontal scroll bar counts in units of at most 2^30 over the whole trace, so long traces fit
// an int range; panning below that resolution goes through the mouse and the keyboard.
constexpr double kMaxScrollUnits = double(1 << 30);
} // namespace

WaterfallView::WaterfallView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setBackgroundRole(QPalette::Base);
    setFocusPolicy(Qt::ClickFocus);
    m_overview = new TraceOverview(this);
    m_ruler = new TimeRuler(this);
    setTopStripHeights(m_overview->sizeHint().height(), m_ruler->sizeHint().height());
    m_rowHeight = fontMetrics().height() + 8;
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, &WaterfallView::onHorizontalScroll);
    horizontalScrollBar()->setEnabled(false);
    setMinimumWidth(fontMetrics().averageCharWidth() * 30);
}

WaterfallView::~WaterfallView() = default;

void WaterfallView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    m_layout = m_trace ? WaterfallLayout(*m_trace) : WaterfallLayout();
    m_matches.clear();
    m_criticalPath = nullptr;
    m_currentSpan = -1;
    m_hoverSpan = -1;
    m_dragMode = DragNone;
    m_scale = TimeScale(m_layout.durationNs(), std::max(viewport()->width(), 1));
    horizontalScrollBar()->setEnabled(m_trace && !m_trace->isEmpty());
    m_overview->invalidate();
    onRowsChanged();
    onScaleChanged();
    if (!m_externalVerticalRange)
        verticalScrollBar()->setValue(0);
}

void WaterfallView::clear()
{
    setTrace(nullptr);
}

void WaterfallView::setSelectionModel(SpanTreeModel *model, QItemSelectionModel *selection)
{
    if (m_selection)
        disconnect(m_selection, nullptr, this, nullptr);
    m_model = model;
    m_selection = selection;
    m_currentSpan = -1;
    if (m_selection && m_model) {
        connect(m_selection, &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
            m_currentSpan = m_model ? m_model->spanIndex(current) : -1;
            invalidate();
        });
        m_currentSpan = m_model->spanIndex(m_selection->currentIndex());
    }
    invalidate();
}

void WaterfallView::setRowHeight(int px)
{
    px = std::max(px, 4);
    if (px == m_rowHeight)
        return;
    m_rowHeight = px;
    onRowsChanged();
}

int WaterfallView::rowAt(int viewportY) const
{
    if (viewportY < 0)
        return -1;
    const int row = (viewportY + verticalScrollBar()->value()) / m_rowHeight;
    return row < rowCount() ? row : -1;
}

int WaterfallView::spanAt(const QPoint &pos) const
{
    if (!viewport()->rect().contains(pos))
        return -1;
    const int row = rowAt(pos.y());
    return row >= 0 ? m_layout.spanAtVisibleRow(row) : -1;
}

QRect WaterfallView::rowRect(int span) const
{
    const int row = m_layout.visibleRowOf(span);
    if (row < 0)
        return {};
    return QRect(0, row * m_rowHeight - verticalScrollBar()->value(), viewport()->width(), m_rowHeight);
}

QRect WaterfallView::barRect(int span) const
{
    const int row = m_layout.visibleRowOf(span);
    if (row < 0)
        return {};
    const QList<WaterfallBar> bars = m_layout.bars(row, row + 1, m_scale);
    if (bars.isEmpty())
        return {};
    const WaterfallBar &bar = bars.first();
    const int inset = WaterfallPainter::barInset(m_rowHeight);
    const int x0 = int(std::floor(bar.x0));
    const int x1 = std::max(x0 + 1, int(std::ceil(bar.x1)));
    return QRect(x0, row * m_rowHeight - verticalScrollBar()->value() + inset, x1 - x0,
                 std::max(m_rowHeight - 2 * inset, 3));
}

void WaterfallView::setSpanCollapsed(int span, bool collapsed)
{
    const quint64 before = m_layout.rowsRevision();
    m_layout.setCollapsed(span, collapsed);
    if (m_layout.rowsRevision() != before)
        onRowsChanged();
}

void WaterfallView::expandAll()
{
    m_layout.expandAll();
    onRowsChanged();
}

void WaterfallView::collapseAll()
{
    m_layout.collapseAll();
    onRowsChanged();
}

void WaterfallView::collapseFromDepth(int depth)
{
    m_layout.collapseFromDepth(depth);
    onRowsChanged();
}

void WaterfallView::expandTo(int span)
{
    const quint64 before = m_layout.rowsRevision();
    m_layout.expandTo(span);
    if (m_layout.rowsRevision() != before)
        onRowsChanged();
}

void WaterfallView::setExternalVerticalRange(bool external)
{
    m_externalVerticalRange = external;
    updateVerticalRange();
}

void WaterfallView::zoom(double factor, double anchorX)
{
    m_scale.zoom(factor, anchorX);
    onScaleChanged();
}

void WaterfallView::zoomIn()
{
    zoom(kKeyZoomFactor, m_scale.width() / 2);
}

void WaterfallView::zoomOut()
{
    zoom(1 / kKeyZoomFactor, m_scale.width() / 2);
}

void WaterfallView::fitAll()
{
    m_scale.fitAll();
    onScaleChanged();
}

void WaterfallView::zoomToRange(double fromNs, double toNs)
{
    m_scale.fit(fromNs, toNs);
    onScaleChanged();
}

void WaterfallView::zoomToSpan(int span)
{
    if (span < 0 || span >= m_layout.spanCount())
        return;
    const double s = double(m_layout.startNs(span));
    const double e = double(m_layout.endNs(span));
    const double margin = std::max((e - s) * 0.04, 1.0);
    zoomToRange(s - margin, e + margin);
}

void WaterfallView::ensureSpanVisible(int span)
{
    if (span < 0 || span >= m_layout.spanCount())
        return;
    const double s = double(m_layout.startNs(span));
    const double e = double(m_layout.endNs(span));
    if (e >= m_scale.startNs() && s <= m_scale.endNs())
        return;
    const double w = m_scale.windowNs();
    const double start = (e - s) <= w * 0.8 ? (s + e) / 2 - w / 2 : s - w * 0.1;
    m_scale.fit(start, start + w);
    onScaleChanged();
}

void WaterfallView::setCriticalPath(const CriticalPath *path)
{
    m_criticalPath = path;
    m_overview->invalidate();
    invalidate();
}

void WaterfallView::setSearchMatches(const QList<int> &spans)
{
    m_matches.assign(spans.isEmpty() ? 0 : size_t(m_layout.spanCount()), false);
    for (int s : spans) {
        if (s >= 0 && size_t(s) < m_matches.size())
            m_matches[size_t(s)] = true;
    }
    invalidate();
}

void WaterfallView::setTopStripHeights(int overviewHeight, int rulerHeight)
{
    if (overviewHeight == m_overviewHeight && rulerHeight == m_rulerHeight)
        return;
    m_overviewHeight = std::max(overviewHeight, 0);
    m_rulerHeight = std::max(rulerHeight, 0);
    m_overview->setVisible(m_overviewHeight > 0);
    setViewportMargins(0, m_overviewHeight + m_rulerHeight, 0, 0);
    updateGeometries();
}

QList<Tick> WaterfallView::ticks() const
{
    return m_scale.ticks(WaterfallPainter::tickSpacing(fontMetrics()));
}

void WaterfallView::paintRows(QPainter &p, const QSize &size) const
{
    const WaterfallColors colors = WaterfallColors::fromPalette(palette());
    if (!m_trace || m_layout.spanCount() == 0) {
        p.fillRect(QRect(QPoint(0, 0), size), colors.base);
        return;
    }
    const QList<Tick> gridTicks = ticks();
    WaterfallRowsPaint w;
    w.trace = m_trace.get();
    w.layout = &m_layout;
    w.scale = &m_scale;
    w.colors = &colors;
    w.font = font();
    w.width = size.width();
    w.height = size.height();
    w.rowHeight = m_rowHeight;
    w.scrollY = verticalScrollBar()->value();
    w.currentSpan = m_currentSpan;
    w.criticalPath = m_criticalPath;
    w.matches = m_matches.empty() ? nullptr : &m_matches;
    w.ticks = &gridTicks;
    WaterfallPainter::paintRows(p, w);
}

void WaterfallView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const qreal dpr = viewport()->devicePixelRatioF();
    const QSize size = viewport()->size();
    if (!m_cacheValid || m_cache.size() != size * dpr || m_cache.devicePixelRatio() != dpr) {
        m_cache = QPixmap(size * dpr);
        m_cache.setDevicePixelRatio(dpr);
        QPainter cp(&m_cache);
        paintRows(cp, size);
        m_cacheValid = true;
    }
    p.drawPixmap(0, 0, m_cache);

    const QColor highlight = palette().color(QPalette::Highlight);
    if (m_hoverSpan >= 0 && m_hoverSpan != m_currentSpan && m_dragMode == DragNone) {
        QColor hover = highlight;
        hover.setAlpha(28);
        p.fillRect(rowRect(m_hoverSpan), hover);
    }
    if (m_dragMode == DragRange) {
        const double a = std::min(m_rangeX0, m_rangeX1);
        const double b = std::max(m_rangeX0, m_rangeX1);
        QColor fill = highlight;
        fill.setAlpha(50);
        p.fillRect(QRectF(a, 0, std::max(b - a, 1.0), size.height()), fill);
        fillColumn(p, int(std::lround(a)), 0, size.height(), highlight);
        fillColumn(p, int(std::lround(b)), 0, size.height(), highlight);
    }
    if (m_cursorX >= 0 && m_trace) {
        QColor line = palette().color(QPalette::Text);
        line.setAlpha(90);
        fillColumn(p, int(std::lround(m_cursorX)), 0, size.height(), line);
    }
}

void WaterfallView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateGeometries();
}

bool WaterfallView::viewportEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::Resize:
        m_scale.setWidth(std::max(viewport()->width(), 1));
        updateGeometries();
        updateVerticalRange();
        m_overview->invalidate();
        onScaleChanged();
        break;
    case QEvent::Leave:
        m_hoverSpan = -1;
        setCursorX(-1);
        break;
    case QEvent::ToolTip: {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int span = spanAt(help->pos());
        if (span >= 0)
            QToolTip::showText(help->globalPos(), toolTipForSpan(span), viewport(), rowRect(span));
        else
            QToolTip::hideText();
        return true;
    }
    default:
        break;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void WaterfallView::scrollContentsBy(int, int)
{
    invalidate();
}

void WaterfallView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_trace) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_lastPos = m_pressPos;
    if (event->modifiers() & Qt::ShiftModifier)
        beginRange(event->position().x());
    else
        m_dragMode = DragPending;
    event->accept();
}

void WaterfallView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    switch (m_dragMode) {
    case DragPending:
        if ((pos - m_pressPos).manhattanLength() < QApplication::startDragDistance())
            break;
        m_dragMode = DragPan;
        viewport()->setCursor(Qt::ClosedHandCursor);
        [[fallthrough]];
    case DragPan: {
        const QPoint d = pos - m_lastPos;
        if (d.x() != 0) {
            m_scale.pan(-d.x());
            onScaleChanged();
        }
        if (d.y() != 0)
            verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        break;
    }
    case DragRange:
        updateRange(event->position().x());
        break;
    case DragNone: {
        const int span = spanAt(pos);
        if (span != m_hoverSpan) {
            m_hoverSpan = span;
            viewport()->update();
        }
        break;
    }
    }
    m_lastPos = pos;
    setCursorX(m_trace ? event->position().x() : -1);
}

void WaterfallView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    switch (m_dragMode) {
    case DragPending: {
        m_dragMode = DragNone;
        const int span = spanAt(event->position().toPoint());
        if (span >= 0)
            selectSpan(span);
        break;
    }
    case DragPan:
        viewport()->unsetCursor();
        m_dragMode = DragNone;
        break;
    case DragRange:
        updateRange(event->position().x());
        finishRange();
        break;
    case DragNone:
        break;
    }
    viewport()->update();
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int span = event->button() == Qt::LeftButton ? spanAt(event->position().toPoint()) : -1;
    if (span < 0) {
        QAbstractScrollArea::mouseDoubleClickEvent(event);
        return;
    }
    selectSpan(span);
    zoomToSpan(span);
    Q_EMIT spanDoubleClicked(span);
}

void WaterfallView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const int d = delta.y() != 0 ? delta.y() : delta.x();
        zoom(std::pow(kWheelZoomBase, d / 120.0), event->position().x());
        event->accept();
        return;
    }
    if ((event->modifiers() & Qt::ShiftModifier) || (delta.x() != 0 && delta.y() == 0)) {
        const int d = (event->modifiers() & Qt::ShiftModifier) && delta.y() != 0 ? delta.y() : delta.x();
        m_scale.pan(-d / 120.0 * m_scale.width() / 8);
        onScaleChanged();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void WaterfallView::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
    case QEvent::FontChange:
        m_overview->invalidate();
        invalidate();
        m_ruler->update();
        break;
    default:
        break;
    }
    QAbstractScrollArea::changeEvent(event);
}

void WaterfallView::onScaleChanged()
{
    updateHorizontalScrollBar();
    invalidate();
    m_ruler->update();
    m_overview->update();
    Q_EMIT timeWindowChanged();
}

void WaterfallView::onRowsChanged()
{
    if (m_hoverSpan >= m_layout.spanCount())
        m_hoverSpan = -1;
    updateVerticalRange();
    invalidate();
    Q_EMIT rowsChanged();
}

void WaterfallView::invalidate()
{
    m_cacheValid = false;
    viewport()->update();
}

void WaterfallView::updateGeometries()
{
    const QRect vg = viewport()->geometry();
    const int top = vg.top() - m_overviewHeight - m_rulerHeight;
    m_overview->setGeometry(vg.left(), top, vg.width(), m_overviewHeight);
    m_ruler->setGeometry(vg.left(), top + m_overviewHeight, vg.width(), m_rulerHeight);
}

double WaterfallView::scrollUnitsPerNs() const
{
    const double bound = std::max(double(m_scale.traceDurationNs()), m_scale.windowNs());
    return bound > kMaxScrollUnits ? kMaxScrollUnits / bound : 1.0;
}

void WaterfallView::updateHorizontalScrollBar()
{
    QScrollBar *bar = horizontalScrollBar();
    const double k = scrollUnitsPerNs();
    const double bound = std::max(double(m_scale.traceDurationNs()), m_scale.windowNs());
    m_updatingScrollBar = true;
    bar->setRange(0, int(std::llround((bound - m_scale.windowNs()) * k)));
    bar->setPageStep(std::max(1, int(std::llround(m_scale.windowNs() * k))));
    bar->setSingleStep(std::max(1, int(std::llround(m_scale.windowNs() * k / 20))));
    bar->setValue(int(std::llround(m_scale.startNs() * k)));
    m_updatingScrollBar = false;
}

void WaterfallView::onHorizontalScroll(int value)
{
    if (m_updatingScrollBar)
        return;
    const double start = value / scrollUnitsPerNs();
    m_scale.fit(start, start + m_scale.windowNs());
    onScaleChanged();
}

void WaterfallView::updateVerticalRange()
{
    if (m_externalVerticalRange)
        return;
    QScrollBar *bar = verticalScrollBar();
    const int h = viewport()->height();
    bar->setRange(0, std::max(0, rowCount() * m_rowHeight - h));
    bar->setPageStep(std::max(h, 1));
    bar->setSingleStep(m_rowHeight);
}

void WaterfallView::selectSpan(int span)
{
    if (span < 0)
        return;
    if (m_selection && m_model) {
        m_selection->setCurrentIndex(m_model->indexOfSpan(span),
                                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    } else {
        m_currentSpan = span;
        invalidate();
    }
    Q_EMIT spanClicked(span);
}

void WaterfallView::setCursorX(double x)
{
    if (x == m_cursorX)
        return;
    m_cursorX = x;
    viewport()->update();
    m_ruler->update();
}

void WaterfallView::beginRange(double x)
{
    m_dragMode = DragRange;
    m_rangeX0 = m_rangeX1 = x;
    viewport()->update();
    m_ruler->update();
}

void WaterfallView::updateRange(double x)
{
    m_rangeX1 = std::clamp(x, 0.0, m_scale.width());
    viewport()->update();
    m_ruler->update();
}

void WaterfallView::finishRange()
{
    m_dragMode = DragNone;
    const double a = std::min(m_rangeX0, m_rangeX1);
    const double b = std::max(m_rangeX0, m_rangeX1);
    if (b - a >= 3)
        zoomToRange(m_scale.t(a), m_scale.t(b));
    viewport()->update();
    m_ruler->update();
}

QString WaterfallView::toolTipForSpan(int span) const
{
    if (!m_trace || span < 0 || span >= m_trace->size())
        return {};
    const Span &s = m_trace->span(span);
    const WaterfallColors colors = WaterfallColors::fromPalette(palette());
    const QColor muted = colors.mutedText;
    QString rows;
    auto row = [&](const QString &label, const QString &value) {
        if (!value.isEmpty())
            rows += QStringLiteral("<tr><td style='color:%1; padding-right:8px'>%2</td><td>%3</td></tr>")
                        .arg(muted.name(), label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    row(tr("Kind"), spanKindName(s.kind));
    row(tr("Model"), s.model());
    row(tr("Service"), s.serviceName);
    row(tr("Start"), QStringLiteral("+") + formatDuration(m_layout.startNs(span)));
    row(tr("Duration"), m_layout.isUnfinished(span)
                            ? tr("running (%1 so far)").arg(formatDuration(m_layout.endNs(span) - m_layout.startNs(span)))
                            : formatDuration(m_layout.endNs(span) - m_layout.startNs(span)));
    row(tr("Tokens"), SpanTreeModel::formatTokens(s.tokens));
    if (s.cost.isKnown())
        row(tr("Cost"), TraceListModel::formatCost(s.cost.totalUsd)
                            + (s.cost.source == CostSource::Computed ? QLatin1Char(' ') + tr("(computed)") : QString()));
    QString status = statusName(s.status);
    if (!s.statusMessage.isEmpty())
        status += QStringLiteral(": ") + s.statusMessage.left(200);
    row(tr("Status"), status);
    if (m_trace->isOrphan(span))
        row(tr("Parent"), tr("%1 (not in this trace)").arg(s.parentSpanId));
    if (m_criticalPath && m_criticalPath->contains(span)) {
        qint64 own = 0;
        for (const CriticalSegment &seg : m_criticalPath->segmentsOf(span))
            own += seg.endNs - seg.startNs;
        row(tr("Critical path"), tr("%1 of its own time").arg(formatDuration(own)));
    }
    QString title = WaterfallPainter::spanName(*m_trace, span).toHtmlEscaped();
    if (s.isError())
        title = QStringLiteral("<span style='color:%1'>%2</span>").arg(colors.error.name(), title);
    return QStringLiteral("<b>%1</b><table cellspacing='0' cellpadding='1'>%2</table>").arg(title, rows);
}

} // namespace spanscope
