#include "traceoverview.h"

#include "waterfallpainter.h"
#include "waterfallview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace spanscope {

TraceOverview::TraceOverview(WaterfallView *view)
    : QWidget(view)
    , m_view(view)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview of the whole trace: drag the frame to pan, scroll to zoom"));
}

void TraceOverview::invalidate()
{
    m_cacheValid = false;
    update();
}

QSize TraceOverview::sizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * 20, fontMetrics().height() * 2);
}

void TraceOverview::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        invalidate();
    QWidget::changeEvent(event);
}

QRectF TraceOverview::windowRect() const
{
    const TimeScale &scale = m_view->timeScale();
    const double bound = std::max(double(scale.traceDurationNs()), scale.windowNs());
    const double x0 = scale.startNs() / bound * width();
    const double x1 = scale.endNs() / bound * width();
    return QRectF(x0, 0, std::max(x1 - x0, 2.0), height());
}

double TraceOverview::timeAt(double x) const
{
    const TimeScale &scale = m_view->timeScale();
    const double bound = std::max(double(scale.traceDurationNs()), scale.windowNs());
    return x / std::max(width(), 1) * bound;
}

void TraceOverview::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const WaterfallColors colors = WaterfallColors::fromPalette(palette());
    const qreal dpr = devicePixelRatioF();
    if (!m_cacheValid || m_cache.size() != size() * dpr || m_cache.devicePixelRatio() != dpr) {
        m_cache = QPixmap(size() * dpr);
        m_cache.setDevicePixelRatio(dpr);
        QPainter cp(&m_cache);
        WaterfallPainter::paintOverview(cp, rect(), m_view->layout(), colors, m_view->criticalPath());
        m_cacheValid = true;
    }
    p.drawPixmap(0, 0, m_cache);
    if (m_view->layout().spanCount() > 0) {
        // Dim what is outside the zoom window and frame the window itself.
        const QRectF w = windowRect();
        QColor shade = colors.window;
        shade.setAlpha(colors.dark ? 150 : 165);
        p.fillRect(QRectF(0, 0, w.left(), height()), shade);
        p.fillRect(QRectF(w.right(), 0, width() - w.right(), height()), shade);
        if (!m_view->timeScale().isFitAll()) {
            p.setPen(QPen(colors.highlight, 1));
            p.setBrush(Qt::NoBrush);
            p.drawRect(w.adjusted(0.5, 0.5, -0.5, -0.5));
        }
    }
    QColor rule = colors.text;
    rule.setAlpha(60);
    p.setPen(QPen(rule, 0));
    p.drawLine(0, height() - 1, width(), height() - 1);
}

void TraceOverview::moveWindowTo(double startNs)
{
    const double w = m_view->m_scale.windowNs();
    m_view->m_scale.fit(startNs, startNs + w);
    m_view->onScaleChanged();
}

void TraceOverview::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_view->layout().spanCount() == 0)
        return;
    const double x = event->position().x();
    const double t = timeAt(x);
    const TimeScale &scale = m_view->timeScale();
    if (windowRect().contains(QPointF(x, 1))) {
        m_grabOffsetNs = t - scale.startNs();
    } else {
        m_grabOffsetNs = scale.windowNs() / 2;
        moveWindowTo(t - m_grabOffsetNs);
    }
    m_dragging = true;
}

void TraceOverview::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging)
        moveWindowTo(timeAt(event->position().x()) - m_grabOffsetNs);
}

void TraceOverview::mouseReleaseEvent(QMouseEvent *)
{
    m_dragging = false;
}

void TraceOverview::wheelEvent(QWheelEvent *event)
{
    const QPoint d = event->angleDelta();
    const int steps = d.y() != 0 ? d.y() : d.x();
    if (steps != 0 && m_view->layout().spanCount() > 0)
        m_view->zoom(std::pow(1.25, steps / 120.0), m_view->timeScale().x(timeAt(event->position().x())));
    event->accept();
}

} // namespace spanscope
