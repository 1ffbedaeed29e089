#include "waterfallpainter.h"
#include "trace/displaytext.h"

#include "items/kindpalette.h"
#include "layout/criticalpath.h"
#include "layout/waterfalllayout.h"

#include <QFontMetrics>
#include <QLinearGradient>
#include <QPainter>

#include <cmath>

namespace spanscope {

namespace {

// Headless rendering and widgets with their own palette pick light/dark explicitly.
QColor errorColorFor(bool dark) { return KindPalette::errorColor(dark); }
QColor criticalColorFor(bool dark) { return KindPalette::criticalPathColor(dark); }
QColor matchColorFor(bool dark) { return KindPalette::searchMatchColor(dark); }

QColor mix(const QColor &a, const QColor &b, double t)
{
    // Rounded to 8 bits per channel: what lands in the pixels, so colours compare equal to them.
    auto ch = [t](int x, int y) { return int(std::lround(x + (y - x) * t)); };
    return QColor(ch(a.red(), b.red()), ch(a.green(), b.green()), ch(a.blue(), b.blue()));
}

double luminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    double la = luminance(a) + 0.05;
    double lb = luminance(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

} // namespace

void fillColumn(QPainter &p, int x, int y, int height, const QColor &color)
{
    // Qt's raster engine hands fills of more than ~96 scanlines to its thread pool; for a 1 px
    // column the hand-off costs far more than the fill (12 full-height grid lines: ~1 ms vs 0.08 ms).
    constexpr int kBand = 64;
    for (int top = y; top < y + height; top += kBand)
        p.fillRect(QRect(x, top, 1, std::min(kBand, y + height - top)), color);
}

bool WaterfallColors::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

WaterfallColors WaterfallColors::fromPalette(const QPalette &pal)
{
    WaterfallColors c;
    c.dark = isDark(pal);
    c.window = pal.color(QPalette::Window);
    c.base = pal.color(QPalette::Base);
    c.alternateBase = pal.color(QPalette::AlternateBase);
    if (c.alternateBase == c.base)
        c.alternateBase = mix(c.base, pal.color(QPalette::Text), 0.03);
    c.text = pal.color(QPalette::Text);
    c.mutedText = mix(c.text, c.base, 0.42);
    c.grid = withAlpha(c.text, c.dark ? 30 : 22);
    c.highlight = pal.color(QPalette::Highlight);
    c.error = errorColorFor(c.dark);
    c.critical = criticalColorFor(c.dark);
    c.match = matchColorFor(c.dark);
    for (int k = 0; k < SpanKindCount; ++k)
        c.kinds[size_t(k)] = KindPalette::color(static_cast<SpanKind>(k), c.dark);
    return c;
}

QColor WaterfallColors::labelOn(const QColor &fill) const
{
    return contrast(fill, text) >= contrast(fill, base) ? text : base;
}

QColor WaterfallColors::dimmed(const QColor &col) const
{
    return mix(col, base, dark ? 0.68 : 0.72);
}

QPalette spanscopePalette(bool dark)
{
    // The explorer's own themes (MainWindow's light = Fusion's standard palette with a bluer
    // highlight; dark), restated here because headless rendering has no style to ask.
    QPalette p;
    auto set = [&p](QPalette::ColorRole role, QRgb active, QRgb disabled) {
        p.setColor(QPalette::Active, role, QColor(active));
        p.setColor(QPalette::Inactive, role, QColor(active));
        p.setColor(QPalette::Disabled, role, QColor(disabled));
    };
    if (dark) {
        set(QPalette::Window, 0x2b2d30, 0x2b2d30);
        set(QPalette::WindowText, 0xdfe1e5, 0x808080);
        set(QPalette::Base, 0x1e1f22, 0x1e1f22);
        set(QPalette::AlternateBase, 0x26282b, 0x26282b);
        set(QPalette::Text, 0xdfe1e5, 0x808080);
        set(QPalette::PlaceholderText, 0x8a8d91, 0x8a8d91);
        set(QPalette::Button, 0x3c3f41, 0x3c3f41);
        set(QPalette::ButtonText, 0xdfe1e5, 0x808080);
        set(QPalette::BrightText, 0xffffff, 0xffffff);
        set(QPalette::Light, 0x4a4d50, 0x4a4d50);
        set(QPalette::Midlight, 0x434649, 0x434649);
        set(QPalette::Mid, 0x323437, 0x323437);
        set(QPalette::Dark, 0x1a1b1d, 0x1a1b1d);
        set(QPalette::Shadow, 0x000000, 0x000000);
        set(QPalette::Highlight, 0x2f65ca, 0x2f65ca);
        set(QPalette::HighlightedText, 0xffffff, 0xffffff);
        set(QPalette::ToolTipBase, 0x3c3f41, 0x3c3f41);
        set(QPalette::ToolTipText, 0xdfe1e5, 0xdfe1e5);
        set(QPalette::Link, 0x6ab0ff, 0x6ab0ff);
        set(QPalette::LinkVisited, 0xb08cff, 0xb08cff);
    } else {
        set(QPalette::Window, 0xefefef, 0xefefef);
        set(QPalette::WindowText, 0x000000, 0xbebebe);
        set(QPalette::Base, 0xffffff, 0xefefef);
        set(QPalette::AlternateBase, 0xf5f6f8, 0xf5f6f8);
        set(QPalette::Text, 0x000000, 0xbebebe);
        set(QPalette::PlaceholderText, 0x7f7f7f, 0x7f7f7f);
        set(QPalette::Button, 0xefefef, 0xefefef);
        set(QPalette::ButtonText, 0x000000, 0xbebebe);
        set(QPalette::BrightText, 0xffffff, 0xffffff);
        set(QPalette::Light, 0xffffff, 0xffffff);
        set(QPalette::Midlight, 0xcacaca, 0xcacaca);
        set(QPalette::Mid, 0xb8b8b8, 0xb8b8b8);
        set(QPalette::Dark, 0x9f9f9f, 0xbebebe);
        set(QPalette::Shadow, 0x767676, 0xb1b1b1);
        set(QPalette::Highlight, 0x2f6fd6, 0x919191);
        set(QPalette::HighlightedText, 0xffffff, 0xffffff);
        set(QPalette::ToolTipBase, 0xffffdc, 0xffffdc);
        set(QPalette::ToolTipText, 0x000000, 0x000000);
        set(QPalette::Link, 0x0000ff, 0x0000ff);
        set(QPalette::LinkVisited, 0xff00ff, 0xff00ff);
    }
    return p;
}

int WaterfallPainter::tickSpacing(const QFontMetrics &fm)
{
    return fm.horizontalAdvance(QStringLiteral("000.00 ms")) + fm.averageCharWidth() * 3;
}

QString WaterfallPainter::durationLabel(const WaterfallLayout &layout, int span)
{
    if (layout.isUnfinished(span))
        return tr("running");
    return formatDuration(layout.endNs(span) - layout.startNs(span));
}

QString WaterfallPainter::spanName(const Trace &trace, int span)
{
    const Span &s = trace.span(span);
    return s.name.isEmpty() ? s.spanId : displayLine(s.name);
}

void WaterfallPainter::paintRows(QPainter &p, const WaterfallRowsPaint &w)
{
    const WaterfallColors &c = *w.colors;
    const WaterfallLayout &layout = *w.layout;
    const int rh = std::max(w.rowHeight, 1);
    const int rowCount = layout.visibleRowCount();
    const int first = std::clamp(w.scrollY / rh, 0, rowCount);
    const int last = std::clamp((w.scrollY + w.height + rh - 1) / rh, first, rowCount);

    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.fillRect(QRect(0, 0, w.width, w.height), c.base);

    // Row backgrounds: alternation (in step with the tree), search matches, the current row.
    const QColor matchTint = withAlpha(c.match, c.dark ? 110 : 150);
    const QColor currentTint = withAlpha(c.highlight, c.dark ? 110 : 70);
    for (int row = first; row < last; ++row) {
        const int y = row * rh - w.scrollY;
        const int span = layout.spanAtVisibleRow(row);
        if (span == w.currentSpan)
            p.fillRect(0, y, w.width, rh, currentTint);
        else if (w.matches && size_t(span) < w.matches->size() && (*w.matches)[size_t(span)])
            p.fillRect(0, y, w.width, rh, matchTint);
        else if (w.alternateRows && (row & 1))
            p.fillRect(0, y, w.width, rh, c.alternateBase);
    }

    if (w.ticks) {
        for (const Tick &t : *w.ticks) {
            if (t.major)
                fillColumn(p, int(std::lround(t.x)), 0, w.height, c.grid);
        }
    }

    // Everything per bar is looked up from these, built once per paint.
    const QFontMetrics fm(w.font);
    p.setFont(w.font);
    const int inset = barInset(rh);
    const int barH = std::max(rh - 2 * inset, 3);
    const int pad = std::max(3, fm.averageCharWidth() / 2 + 1);
    const int minLabel = fm.averageCharWidth() * 6;
    const int gap = fm.averageCharWidth();
    std::array<QColor, SpanKindCount> fills = c.kinds;
    std::array<QColor, SpanKindCount> dimFills;
    for (size_t k = 0; k < fills.size(); ++k)
        dimFills[k] = c.dimmed(fills[k]);
    const QBrush hatch(withAlpha(c.error, 200), Qt::BDiagPattern);
    const QPen errorPen(c.error, 2);
    const QPen currentPen(c.text, 2);
    const QColor criticalFill = c.critical;
    const QColor criticalEdge = withAlpha(c.dark ? c.base : c.text, 170);
    const int badge = std::min(barH, fm.height());
    QFont badgeFont = w.font;
    badgeFont.setBold(true);
    badgeFont.setPixelSize(std::max(7, badge - 3));

    const QList<WaterfallBar> bars = layout.bars(first, last, *w.scale);
    for (const WaterfallBar &bar : bars) {
        const int span = bar.span;
        const int y = bar.row * rh - w.scrollY + inset;
        const int x0 = int(std::floor(bar.x0));
        const int x1 = std::max(x0 + 1, int(std::ceil(bar.x1)));
        const QRect r(x0, y, x1 - x0, barH);
        const size_t kind = std::min(size_t(layout.kind(span)), fills.size() - 1);
        const bool onPath = !w.criticalPath || w.criticalPath->contains(span);
        const QColor fill = onPath ? fills[kind] : dimFills[kind];
        const bool error = layout.isError(span);
        const bool running = layout.isUnfinished(span);

        if (running && !bar.clippedEnd && r.width() > 4) {
            // Still running: the bar fades out towards "now" (the trace end).
            const int fade = std::min(r.width() / 2, fm.averageCharWidth() * 8);
            const QRect solid(r.left(), r.top(), r.width() - fade, r.height());
            p.fillRect(solid, fill);
            QLinearGradient g(solid.right() + 1, 0, r.right() + 1, 0);
            g.setColorAt(0, fill);
            g.setColorAt(1, withAlpha(fill, 0));
            p.fillRect(QRect(solid.right() + 1, r.top(), fade, r.height()), g);
        } else {
            p.fillRect(r, fill);
        }

        if (error) {
            p.fillRect(r, hatch);
            p.setPen(errorPen);
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(r).adjusted(1, 1, -1, -1));
        }

        if (w.criticalPath && onPath) {
            // A strip along the bottom of the bar, clear of the label, with an edge that separates it
            // from fills of a similar hue.
            const int bandH = std::max(3, barH / 4);
            const int by = r.bottom() + 1 - bandH;
            for (const CriticalSegment &seg : w.criticalPath->segmentsOf(span)) {
                const int sx0 = std::max(r.left(), int(std::floor(w.scale->x(double(seg.startNs)))));
                const int sx1 = std::min(r.right() + 1, int(std::ceil(w.scale->x(double(seg.endNs)))));
                if (sx1 <= sx0)
                    continue;
                p.fillRect(QRect(sx0, by, sx1 - sx0, bandH), criticalFill);
                p.fillRect(QRect(sx0, by - 1, sx1 - sx0, 1), criticalEdge);
            }
        }

        if (span == w.currentSpan) {
            p.setPen(currentPen);
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(r).adjusted(-1, -1, 1, 1));
        }

        // The error badge sits right after the bar (inside its end when there is no room).
        int outsideX = x1 + gap / 2;
        if (error) {
            int bx = x1 + 3;
            if (bx + badge > w.width)
                bx = r.width() > badge + 4 ? x1 - badge - 2 : -1;
            if (bx >= 0) {
                const QRect br(bx, r.top() + (barH - badge) / 2, badge, badge);
                p.setRenderHint(QPainter::Antialiasing, true);
                p.setPen(Qt::NoPen);
                p.setBrush(c.error);
                p.drawEllipse(br);
                p.setRenderHint(QPainter::Antialiasing, false);
                p.setPen(c.labelOn(c.error));
                p.setFont(badgeFont);
                p.drawText(br, Qt::AlignCenter, QStringLiteral("!"));
                p.setFont(w.font);
                if (bx > x1)
                    outsideX = br.right() + 1 + gap / 2;
            }
        }

        if (!w.labels)
            continue;
        const QString name = spanName(*w.trace, span);
        const QString duration = durationLabel(layout, span);
        const int nameW = fm.horizontalAdvance(name);
        const int durW = fm.horizontalAdvance(duration);
        const int inside = r.width() - 2 * pad;
        const int roomRight = w.width - outsideX - pad;
        const QColor onBar = c.labelOn(fill);
        const QColor outsideText = onPath ? c.text : c.mutedText;
        const QColor outsideMuted = c.mutedText;

        // Text boxes span the whole row: the bar is shorter than a line, and drawText clips.
        const int rowTop = bar.row * rh - w.scrollY;
        const QRect insideRect(r.left() + pad, rowTop, std::max(inside, 0), rh);
        auto durationAfterBar = [&] {
            if (roomRight >= durW) {
                p.setPen(outsideMuted);
                p.drawText(QRect(outsideX, rowTop, durW + 1, rh), Qt::AlignLeft | Qt::AlignVCenter, duration);
            }
        };
        if (inside >= nameW + gap * 2 + durW) {
            // Both fit inside: name left, duration right.
            p.setPen(onBar);
            p.drawText(insideRect, Qt::AlignLeft | Qt::AlignVCenter, name);
            QColor d = onBar;
            d.setAlphaF(0.75f);
            p.setPen(d);
            p.drawText(insideRect, Qt::AlignRight | Qt::AlignVCenter, duration);
            continue;
        }
        if (inside >= nameW) {
            p.setPen(onBar);
            p.drawText(insideRect, Qt::AlignLeft | Qt::AlignVCenter, name);
            durationAfterBar();
            continue;
        }
        // The name does not fit inside: whole beside the bar when there is room, rather than
        // a stub of it inside.
        if (inside >= minLabel && roomRight < nameW + gap + durW) {
            p.setPen(onBar);
            p.drawText(insideRect, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(name, Qt::ElideRight, inside));
            durationAfterBar();
            continue;
        }

        // A narrow bar: "name  duration" beside it, right if there is room, else left.
        const int want = nameW + gap + durW;
        const int roomLeft = x0 - gap / 2 - pad;
        int lx = -1;
        int avail = 0;
        bool left = false;
        if (roomRight >= std::min(want, minLabel + gap + durW) || roomRight >= roomLeft) {
            lx = outsideX;
            avail = roomRight;
        } else {
            left = true;
            avail = roomLeft;
            lx = std::max(pad, x0 - gap / 2 - std::min(want, avail));
        }
        if (avail < minLabel)
            continue;
        const int nameRoom = avail - gap - durW;
        if (nameRoom >= minLabel || nameRoom >= nameW) {
            const QString shown = fm.elidedText(name, Qt::ElideRight, nameRoom);
            const int shownW = fm.horizontalAdvance(shown);
            if (left)
                lx = std::max(pad, x0 - gap / 2 - (shownW + gap + durW));
            p.setPen(outsideText);
            p.drawText(QRect(lx, rowTop, shownW + 1, rh), Qt::AlignLeft | Qt::AlignVCenter, shown);
            p.setPen(outsideMuted);
            p.drawText(QRect(lx + shownW + gap, rowTop, durW + 1, rh), Qt::AlignLeft | Qt::AlignVCenter, duration);
        } else if (avail >= durW) {
            if (left)
                lx = std::max(pad, x0 - gap / 2 - durW);
            p.setPen(outsideMuted);
            p.drawText(QRect(lx, rowTop, durW + 1, rh), Qt::AlignLeft | Qt::AlignVCenter, duration);
        }
    }
    p.restore();
}

void WaterfallPainter::paintRuler(QPainter &p, const QRect &rect, const QList<Tick> &ticks,
                                  const WaterfallColors &c, const QFont &font)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setClipRect(rect);
    p.fillRect(rect, c.window);
    p.setFont(font);
    const QFontMetrics fm(font);
    const int majorLen = std::max(5, rect.height() / 3);
    const int minorLen = std::max(2, majorLen / 2);
    const int bottom = rect.bottom();
    const QColor tickColor = mix(c.text, c.window, 0.55);
    const QColor labelColor = mix(c.text, c.window, 0.25);
    const int textPad = std::max(3, fm.averageCharWidth() / 2);
    for (const Tick &t : ticks) {
        const int x = rect.left() + int(std::lround(t.x));
        p.setPen(QPen(tickColor, 0));
        p.drawLine(x, bottom - (t.major ? majorLen : minorLen) + 1, x, bottom);
        if (t.major && !t.label.isEmpty()) {
            p.setPen(labelColor);
            p.drawText(QRect(x + textPad, rect.top(), fm.horizontalAdvance(t.label) + 2, rect.height() - minorLen),
                       Qt::AlignLeft | Qt::AlignVCenter, t.label);
        }
    }
    p.setPen(QPen(mix(c.text, c.window, 0.7), 0));
    p.drawLine(rect.left(), bottom, rect.right(), bottom);
    p.restore();
}

void WaterfallPainter::paintOverview(QPainter &p, const QRect &rect, const WaterfallLayout &layout,
                                     const WaterfallColors &c, const CriticalPath *criticalPath)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setClipRect(rect);
    p.fillRect(rect, c.base);
    if (layout.spanCount() == 0 || rect.width() < 2 || rect.height() < 4) {
        p.restore();
        return;
    }
    const TimeScale scale(layout.durationNs(), rect.width());
    const int depths = layout.maxDepth() + 1;
    // A lane along the bottom marks where errors are; the rows above are a miniature flame chart.
    const int laneH = 2;
    const int usable = rect.height() - 4 - laneH - 1;
    const int rowH = std::clamp(usable / std::max(depths, 1), 1, 7);
    const int shown = std::min(depths, usable / rowH);
    const int top = rect.top() + 2;
    std::array<QColor, SpanKindCount> fills;
    for (size_t k = 0; k < fills.size(); ++k)
        fills[k] = criticalPath ? c.dimmed(c.kinds[k]) : c.kinds[k];
    for (int d = 0; d < shown; ++d) {
        const int y = top + d * rowH;
        const int h = rowH > 2 ? rowH - 1 : rowH;
        for (const FoldedBar &b : layout.foldedBars(d, scale, 2.0)) {
            const int x0 = rect.left() + int(std::floor(b.x0));
            const int x1 = rect.left() + std::max(int(std::floor(b.x0)) + 1, int(std::ceil(b.x1)));
            const SpanKind kind = layout.kind(b.firstSpan);
            QColor fill = fills[std::min(size_t(kind), fills.size() - 1)];
            if (criticalPath && b.count == 1 && criticalPath->contains(b.firstSpan))
                fill = c.kindColor(kind);
            p.fillRect(QRect(x0, y, x1 - x0, h), fill);
        }
    }
    const QList<OverviewColumn> &columns = layout.overview(rect.width());
    const int laneY = rect.bottom() - laneH;
    for (int x = 0; x < columns.size();) {
        if (!columns[x].hasError) {
            ++x;
            continue;
        }
        int end = x + 1;
        while (end < columns.size() && columns[end].hasError)
            ++end;
        p.fillRect(QRect(rect.left() + x, laneY, end - x, laneH), c.error);
        x = end;
    }
    p.restore();
}

} // namespace spanscope
