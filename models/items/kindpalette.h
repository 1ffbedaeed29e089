#pragma once

#include "trace/span.h"

#include <QColor>

namespace spanscope {

// Colours that carry meaning (span kinds, errors, the critical path), tuned to read well on both
// light and dark palettes. "Dark" follows the application palette unless told otherwise.
class KindPalette
{
public:
    static QColor color(SpanKind kind);                 // for the current palette
    static QColor color(SpanKind kind, bool dark);
    static QColor icon(SpanKind kind) { return color(kind); }   // DecorationRole: a colour swatch
    static QColor errorColor();
    static QColor errorColor(bool dark);
    static QColor mutedColor();
    static QColor criticalPathColor();
    static QColor criticalPathColor(bool dark);
    static QColor searchMatchColor(bool dark);
    static QColor addedColor();
    static QColor removedColor();
    static QColor changedColor();
    static bool isDark();   // the application palette's window colour is dark
};

} // namespace spanscope
