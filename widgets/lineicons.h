#pragma once

#include <QColor>
#include <QIcon>

namespace spanscope {

// Small line icons for the trace view's buttons, drawn in a palette colour so they follow light
// and dark themes without an icon theme (the offscreen platform and minimal desktops have none).
enum class LineIcon { ZoomIn, ZoomOut, Fit, ExpandAll, CollapseAll, CriticalPath, Find, Up, Down, Close };

QIcon lineIcon(LineIcon which, const QColor &color, int size, qreal devicePixelRatio);

} // namespace spanscope
