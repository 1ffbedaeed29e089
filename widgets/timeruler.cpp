#include "timeruler.h"

#include "waterfallpainter.h"
#include "waterfallview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace spanscope {

TimeRuler::TimeRuler(WaterfallView *view)
    : QWidget(view)
    , m_view(view)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::IBeamCursor);
    setToolTip(tr("Drag to zoom into a time range; scroll to zoom"));
}

QSize TimeRuler::sizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * 20, fontMetrics().height() + 8);
}

void TimeRuler::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const WaterfallColors colors = WaterfallColors::fromPalette(palette());
    const TimeScale &scale = m_view->timeScale();
    if (!m_view->trace() || m_view->layout().spanCount() == 0) {
        p.fillRect(rect(), colors.window);
        p.setPen(colors.mutedText);
        p.drawLine(0, height() - 1, width(), height() - 1);
        return;
    }
    WaterfallPainter::paintRuler(p, rect(), m_view->ticks(), colors, font());

    const QFontMetrics fm = fontMetrics();
    const int pad = std::max(3, fm.averageCharWidth() / 2);
    auto badge = [&](double x, const QString &text, const QColor &bg, const QColor &fg) {
        const int w = fm.horizontalAdvance(text) + 2 * pad;
        int left = int(std::lround(x)) - w / 2;
        left = std::clamp(left, 0, std::max(0, width() - w));
        const QRect r(left, 1, w, height() - 3);
        p.fillRect(r, bg);
        p.setPen(fg);
        p.drawText(r, Qt::AlignCenter, text);
    };

    if (m_view->hasRangeSelection()) {
        const auto [x0, x1] = m_view->rangeSelection();
        const double a = std::min(x0, x1);
        const double b = std::max(x0, x1);
        QColor fill = colors.highlight;
        fill.setAlpha(70);
        p.fillRect(QRectF(a, 0, std::max(b - a, 1.0), height()), fill);
        if (b - a >= 3)
            badge((a + b) / 2, formatDuration(qint64(std::llround(scale.t(b) - scale.t(a)))), colors.highlight,
                  colors.labelOn(colors.highlight));
    } else if (m_view->cursorX() >= 0) {
        const double x = m_view->cursorX();
        badge(x, formatDuration(qint64(std::llround(std::max(0.0, scale.t(x))))), colors.text, colors.base);
    }
}

void TimeRuler::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_view->trace())
        return;
    m_dragging = true;
    m_view->beginRange(event->position().x());
}

void TimeRuler::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging)
        m_view->updateRange(event->position().x());
    m_view->setCursorX(m_view->trace() ? event->position().x() : -1);
}

void TimeRuler::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragging || event->button() != Qt::LeftButton)
        return;
    m_dragging = false;
    m_view->updateRange(event->position().x());
    m_view->finishRange();
}

void TimeRuler::wheelEvent(QWheelEvent *event)
{
    const QPoint d = event->angleDelta();
    const int steps = d.y() != 0 ? d.y() : d.x();
    if (steps != 0 && m_view->trace())
        m_view->zoom(std::pow(1.25, steps / 120.0), event->position().x());
    event->accept();
}

void TimeRuler::leaveEvent(QEvent *)
{
    if (!m_dragging)
        m_view->setCursorX(-1);
}

} // namespace spanscope
