#include "lineicons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace spanscope {

QIcon lineIcon(LineIcon which, const QColor &color, int size, qreal dpr)
{
    QPixmap pm(QSize(size, size) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    const qreal lw = std::max(1.4, s / 10.0);
    p.setPen(QPen(color, lw, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    auto chevron = [&](qreal cy, bool down) {
        const qreal d = s * 0.16 * (down ? 1 : -1);
        p.drawPolyline(QPolygonF({QPointF(s * 0.28, cy - d), QPointF(s * 0.5, cy + d), QPointF(s * 0.72, cy - d)}));
    };
    auto magnifier = [&] {
        const qreal r = s * 0.27;
        const QPointF c(s * 0.42, s * 0.42);
        p.drawEllipse(c, r, r);
        p.drawLine(QPointF(c.x() + r * 0.72, c.y() + r * 0.72), QPointF(s * 0.84, s * 0.84));
        return c;
    };
    switch (which) {
    case LineIcon::ZoomIn: {
        const QPointF c = magnifier();
        const qreal a = s * 0.12;
        p.drawLine(QPointF(c.x() - a, c.y()), QPointF(c.x() + a, c.y()));
        p.drawLine(QPointF(c.x(), c.y() - a), QPointF(c.x(), c.y() + a));
        break;
    }
    case LineIcon::ZoomOut: {
        const QPointF c = magnifier();
        const qreal a = s * 0.12;
        p.drawLine(QPointF(c.x() - a, c.y()), QPointF(c.x() + a, c.y()));
        break;
    }
    case LineIcon::Find:
        magnifier();
        break;
    case LineIcon::Fit: {
        // |<->|
        p.drawLine(QPointF(s * 0.14, s * 0.25), QPointF(s * 0.14, s * 0.75));
        p.drawLine(QPointF(s * 0.86, s * 0.25), QPointF(s * 0.86, s * 0.75));
        p.drawLine(QPointF(s * 0.26, s * 0.5), QPointF(s * 0.74, s * 0.5));
        p.drawPolyline(QPolygonF({QPointF(s * 0.38, s * 0.37), QPointF(s * 0.26, s * 0.5), QPointF(s * 0.38, s * 0.63)}));
        p.drawPolyline(QPolygonF({QPointF(s * 0.62, s * 0.37), QPointF(s * 0.74, s * 0.5), QPointF(s * 0.62, s * 0.63)}));
        break;
    }
    case LineIcon::ExpandAll:
        chevron(s * 0.36, true);
        chevron(s * 0.62, true);
        break;
    case LineIcon::CollapseAll:
        chevron(s * 0.38, false);
        chevron(s * 0.64, false);
        break;
    case LineIcon::CriticalPath: {
        // A route through three stops.
        QPainterPath path;
        path.moveTo(s * 0.16, s * 0.28);
        path.lineTo(s * 0.5, s * 0.28);
        path.lineTo(s * 0.5, s * 0.72);
        path.lineTo(s * 0.84, s * 0.72);
        p.drawPath(path);
        p.setBrush(color);
        const qreal r = s * 0.09;
        p.drawEllipse(QPointF(s * 0.16, s * 0.28), r, r);
        p.drawEllipse(QPointF(s * 0.84, s * 0.72), r, r);
        break;
    }
    case LineIcon::Up:
        chevron(s * 0.5, false);
        break;
    case LineIcon::Down:
        chevron(s * 0.5, true);
        break;
    case LineIcon::Close:
        p.drawLine(QPointF(s * 0.3, s * 0.3), QPointF(s * 0.7, s * 0.7));
        p.drawLine(QPointF(s * 0.7, s * 0.3), QPointF(s * 0.3, s * 0.7));
        break;
    }
    p.end();
    return QIcon(pm);
}

} // namespace spanscope
