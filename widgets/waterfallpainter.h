#pragma once

#include "layout/timescale.h"
#include "trace/span.h"

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QPalette>

#include <array>
#include <vector>

class QPainter;

namespace spanscope {

class CriticalPath;
class Trace;
class WaterfallLayout;

// Every colour the waterfall, its ruler and overview paint, resolved once per paint from a palette
// (the widget's, or an explicit light/dark one for headless rendering).
struct WaterfallColors {
    bool dark = false;
    QColor window;
    QColor base;
    QColor alternateBase;
    QColor text;
    QColor mutedText;
    QColor grid;
    QColor highlight;
    QColor error;
    QColor critical;
    QColor match;
    std::array<QColor, SpanKindCount> kinds;

    static WaterfallColors fromPalette(const QPalette &palette);
    static bool isDark(const QPalette &palette);

    QColor kindColor(SpanKind kind) const { return kinds[size_t(kind) < kinds.size() ? size_t(kind) : 0]; }
    // The palette's text or base colour, whichever stands out more on `fill`.
    QColor labelOn(const QColor &fill) const;
    // `c` faded towards the background (critical-path mode dims the bars off the path).
    QColor dimmed(const QColor &c) const;
};

// A one-pixel vertical line, drawn in bands (see the .cpp for why).
void fillColumn(QPainter &p, int x, int y, int height, const QColor &color);

// The palettes used when there is no widget to take one from (headless render, CLI). Fusion-like.
QPalette spanscopePalette(bool dark);

// What one paint of the bar rows needs; the caller owns everything pointed to.
struct WaterfallRowsPaint {
    const Trace *trace = nullptr;
    const WaterfallLayout *layout = nullptr;
    const TimeScale *scale = nullptr;
    const WaterfallColors *colors = nullptr;
    QFont font;
    int width = 0;        // == scale width
    int height = 0;
    int rowHeight = 20;
    int scrollY = 0;      // pixel offset of row 0's top above y = 0
    int currentSpan = -1;
    const CriticalPath *criticalPath = nullptr;     // set while the critical path is shown
    const std::vector<bool> *matches = nullptr;     // search matches by tree index, or null
    const QList<Tick> *ticks = nullptr;             // grid lines at the major ones
    bool alternateRows = true;
    bool labels = true;
};

// Painting shared by WaterfallView, its ruler and overview, and the headless image renderer, so the
// exported picture is what the window shows.
class WaterfallPainter
{
    Q_DECLARE_TR_FUNCTIONS(spanscope::WaterfallPainter)
public:
    // Vertical inset of a bar inside its row.
    static int barInset(int rowHeight) { return std::max(2, rowHeight / 5); }
    // Minimum pixel spacing between labelled ruler ticks for a font.
    static int tickSpacing(const QFontMetrics &fm);

    // Rows intersecting [0, height), backgrounds, grid, bars, labels, error marks, critical path.
    static void paintRows(QPainter &p, const WaterfallRowsPaint &w);

    // The time ruler: ticks (x relative to rect's left), labels and a bottom rule in `rect`.
    static void paintRuler(QPainter &p, const QRect &rect, const QList<Tick> &ticks,
                           const WaterfallColors &c, const QFont &font);

    // The whole trace as a miniature flame chart (one thin row per depth, runs under 2 px folded)
    // into `rect` (not including the zoom window, which the overview widget draws on top).
    static void paintOverview(QPainter &p, const QRect &rect, const WaterfallLayout &layout,
                              const WaterfallColors &c, const CriticalPath *criticalPath = nullptr);

    // Label of a span's duration as the bars show it ("running" for an unfinished span).
    static QString durationLabel(const WaterfallLayout &layout, int span);
    // A span's display name (its id when unnamed).
    static QString spanName(const Trace &trace, int span);
};

} // namespace spanscope
