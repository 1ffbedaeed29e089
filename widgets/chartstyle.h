#pragma once

#include <QColor>
#include <QFont>
#include <QList>
#include <QPalette>

class QCustomPlot;

namespace spanscope {

// Every colour a dashboard chart uses, resolved from a palette. QCustomPlot does not follow
// QPalette by itself: apply() colours its background, axes, grids, tick labels and legend.
struct ChartStyle {
    bool dark = false;
    QColor background;   // plot area and margins
    QColor text;
    QColor mutedText;    // tick labels, notes
    QColor axis;
    QColor grid;
    QColor subGrid;
    QColor legendBackground;
    QColor error;        // error requests, error rate
    QColor warning;      // "price missing"
    QColor neutral;      // requests, histogram bars
    QColor input;        // uncached input tokens
    QColor cached;       // cached input tokens
    QColor output;       // output tokens
    QColor p50, p90, p99;
    QFont font;

    static ChartStyle fromPalette(const QPalette &palette, const QFont &font = {});
    // Categorical colours for models and groups, distinguishable on both palettes (no red: that
    // means errors). Repeats after a dozen.
    QColor series(int index) const;
    // A translucent version of `c` for fills behind lines.
    static QColor alpha(const QColor &c, int alpha);

    void apply(QCustomPlot *plot) const;
};

} // namespace spanscope
