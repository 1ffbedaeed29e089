#include "traceimage.h"

#include "kindlegend.h"
#include "spantreeview.h"
#include "traceheader.h"
#include "waterfallpainter.h"

#include <QFontMetrics>
#include <QLocale>
#include <QPainter>

#include <cmath>

namespace spanscope {

namespace {

QFont boldFont(const QFont &f, double scale = 1.0)
{
    QFont b = f;
    b.setBold(true);
    if (scale != 1.0) {
        if (b.pointSizeF() > 0)
            b.setPointSizeF(b.pointSizeF() * scale);
        else
            b.setPixelSize(int(std::lround(b.pixelSize() * scale)));
    }
    return b;
}

} // namespace

TraceImage::TraceImage(TraceImageSpec spec)
    : m_spec(std::move(spec))
{
    if (m_spec.layout) {
        m_layout = m_spec.layout;
    } else {
        if (m_spec.trace)
            m_ownLayout = WaterfallLayout(*m_spec.trace);
        m_layout = &m_ownLayout;
    }
    m_spec.width = std::max(m_spec.width, 200);
    const QFontMetrics fm(m_spec.font);
    const QFontMetrics titleFm(boldFont(m_spec.font, 1.2));
    const int pad = fm.averageCharWidth();
    m_rowHeight = SpanItemDelegate::rowHeight(fm);
    m_headerHeight = pad + titleFm.height() + 4 + int(statsRows().size()) * (fm.height() + 2) + pad;
    m_overviewHeight = fm.height() * 2;
    m_rulerHeight = fm.height() + 8;
    m_treeWidth = m_spec.treeWidth > 0 ? m_spec.treeWidth
                                       : std::clamp(m_spec.width * 34 / 100, std::min(m_spec.width / 2, 180), 560);
    const int total = m_layout->visibleRowCount();
    const int top = m_headerHeight + m_overviewHeight + m_rulerHeight;
    const int footer = fm.height() + 10;
    m_rows = std::clamp((m_spec.maxHeight - top) / m_rowHeight, 1, std::max(total, 1));
    if (m_rows < total) {
        m_rows = std::max(1, (m_spec.maxHeight - top - footer) / m_rowHeight);
        m_footerHeight = footer;
    }
    m_rows = std::min(m_rows, total);
    m_height = top + m_rows * m_rowHeight + m_footerHeight;
}

int TraceImage::itemWidth(int item) const
{
    const QList<TraceHeader::Item> items = TraceHeader::items(m_spec.stats.totals);
    const TraceHeader::Item &i = items.at(item);
    const QFontMetrics fm(m_spec.font);
    const QFontMetrics bfm(boldFont(m_spec.font));
    int w = bfm.horizontalAdvance(i.value);
    if (!i.isErrors)
        w += fm.horizontalAdvance(i.label) + fm.averageCharWidth();
    if (!i.note.isEmpty())
        w += fm.averageCharWidth() + fm.horizontalAdvance(QLatin1Char('(') + i.note + QLatin1Char(')'));
    return w;
}

QList<QList<int>> TraceImage::statsRows() const
{
    const QFontMetrics fm(m_spec.font);
    const int sep = fm.averageCharWidth() * 5;
    const int avail = m_spec.width - 2 * fm.averageCharWidth();
    QList<QList<int>> rows;
    int x = 0;
    const int n = int(TraceHeader::items(m_spec.stats.totals).size());
    for (int i = 0; i < n; ++i) {
        const int w = itemWidth(i);
        if (rows.isEmpty() || (x > 0 && x + sep + w > avail)) {
            rows.append(QList<int>());
            x = 0;
        }
        x += (x > 0 ? sep : 0) + w;
        rows.last().append(i);
    }
    return rows;
}

void TraceImage::paint(QPainter &p) const
{
    const WaterfallColors c = WaterfallColors::fromPalette(m_spec.palette);
    const QFont font = m_spec.font;
    const QFont bold = boldFont(font);
    const QFont titleFont = boldFont(font, 1.2);
    const QFontMetrics fm(font);
    const QFontMetrics bfm(bold);
    const QFontMetrics titleFm(titleFont);
    const int pad = fm.averageCharWidth();
    const int W = m_spec.width;
    const Trace *trace = m_spec.trace.get();

    p.save();
    p.fillRect(QRect(0, 0, W, m_height), c.window);

    // Header: title, id, legend; then the totals.
    int y = pad;
    const QList<SpanKind> kinds = [&] {
        QList<SpanKind> k;
        for (const KindStats &s : m_spec.stats.byKind)
            k << s.kind;
        return k;
    }();
    const bool anyRunning = [&] {
        for (int i = 0; i < m_layout->spanCount(); ++i) {
            if (m_layout->isUnfinished(i))
                return true;
        }
        return false;
    }();
    const int legendW = [&] {
        QImage scratch(1, 1, QImage::Format_ARGB32_Premultiplied);
        QPainter sp(&scratch);
        return KindLegend::paint(sp, QRect(0, 0, 100000, titleFm.height()), kinds, m_spec.stats.totals.errorCount > 0,
                                 anyRunning, m_spec.criticalPath != nullptr, m_spec.palette, font);
    }();
    const int legendX = std::max(W / 2, W - pad - legendW);
    KindLegend::paint(p, QRect(legendX, y, W - legendX - pad, titleFm.height()), kinds, m_spec.stats.totals.errorCount > 0,
                      anyRunning, m_spec.criticalPath != nullptr, m_spec.palette, font);
    p.setFont(titleFont);
    p.setPen(c.text);
    const QString title = TraceHeader::title(m_spec.stats.totals);
    const int titleRoom = legendX - 2 * pad - pad;
    const QString shownTitle = titleFm.elidedText(title, Qt::ElideRight, titleRoom);
    p.drawText(QRect(pad, y, titleRoom, titleFm.height()), Qt::AlignLeft | Qt::AlignVCenter, shownTitle);
    const int idX = pad + titleFm.horizontalAdvance(shownTitle) + pad * 2;
    if (trace && idX < legendX - pad * 4) {
        p.setFont(font);
        p.setPen(c.mutedText);
        QString id = trace->traceId();
        if (!m_spec.stats.totals.serviceName.isEmpty())
            id = m_spec.stats.totals.serviceName + QStringLiteral("  ·  ") + id;
        p.drawText(QRect(idX, y, legendX - pad - idX, titleFm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(id, Qt::ElideRight, legendX - pad - idX));
    }
    y += titleFm.height() + 4;
    const QList<TraceHeader::Item> items = TraceHeader::items(m_spec.stats.totals);
    const int sep = pad * 5;
    for (const QList<int> &row : statsRows()) {
        int x = pad;
        for (int k = 0; k < row.size(); ++k) {
            const TraceHeader::Item &i = items.at(row[k]);
            if (k > 0) {
                p.setPen(c.dimmed(c.text));
                p.setFont(font);
                p.drawText(QRect(x, y, sep, fm.height()), Qt::AlignCenter, QStringLiteral("│"));
                x += sep;
            }
            if (!i.isErrors) {
                p.setFont(font);
                p.setPen(c.mutedText);
                p.drawText(QPoint(x, y + fm.ascent()), i.label);
                x += fm.horizontalAdvance(i.label) + pad;
            }
            p.setFont(bold);
            p.setPen(i.isErrors ? (i.errorCount > 0 ? c.error : c.mutedText) : c.text);
            p.drawText(QPoint(x, y + fm.ascent()), i.value);
            x += bfm.horizontalAdvance(i.value);
            if (!i.note.isEmpty()) {
                p.setFont(font);
                p.setPen(c.mutedText);
                const QString note = QLatin1Char('(') + i.note + QLatin1Char(')');
                p.drawText(QPoint(x + pad, y + fm.ascent()), note);
                x += pad + fm.horizontalAdvance(note);
            }
        }
        y += fm.height() + 2;
    }
    y = m_headerHeight;
    p.setPen(QPen(c.dimmed(c.text), 0));
    p.drawLine(0, y - 1, W, y - 1);

    const int wfX = m_treeWidth + 1;
    const int wfW = W - wfX;
    TimeScale scale(m_layout->durationNs(), std::max(wfW, 1));
    if (m_spec.windowEndNs > m_spec.windowStartNs)
        scale.fit(m_spec.windowStartNs, m_spec.windowEndNs);

    // Overview above the waterfall, then the ruler; the tree column gets its header there.
    p.fillRect(QRect(0, y, m_treeWidth, m_overviewHeight), c.window);
    WaterfallPainter::paintOverview(p, QRect(wfX, y, wfW, m_overviewHeight), *m_layout, c, m_spec.criticalPath);
    if (!scale.isFitAll()) {
        const double bound = std::max(double(scale.traceDurationNs()), scale.windowNs());
        const double x0 = wfX + scale.startNs() / bound * wfW;
        const double x1 = wfX + scale.endNs() / bound * wfW;
        QColor shade = c.window;
        shade.setAlpha(c.dark ? 150 : 165);
        p.fillRect(QRectF(wfX, y, x0 - wfX, m_overviewHeight), shade);
        p.fillRect(QRectF(x1, y, W - x1, m_overviewHeight), shade);
        p.setPen(QPen(c.highlight, 1));
        p.drawRect(QRectF(x0, y, std::max(x1 - x0, 2.0), m_overviewHeight - 1));
    }
    y += m_overviewHeight;
    const QList<Tick> ticks = scale.ticks(WaterfallPainter::tickSpacing(fm));
    p.save();
    p.translate(wfX, 0);
    WaterfallPainter::paintRuler(p, QRect(0, y, wfW, m_rulerHeight), ticks, c, font);
    p.restore();
    const int durW = fm.horizontalAdvance(QStringLiteral("000.00 ms")) + 2 * pad;
    p.fillRect(QRect(0, y, m_treeWidth, m_rulerHeight), c.window);
    p.setFont(font);
    p.setPen(c.text);
    p.drawText(QRect(pad, y, m_treeWidth - durW - pad, m_rulerHeight), Qt::AlignLeft | Qt::AlignVCenter, tr("Span"));
    p.drawText(QRect(m_treeWidth - durW, y, durW - pad, m_rulerHeight), Qt::AlignRight | Qt::AlignVCenter, tr("Duration"));
    p.setPen(QPen(c.dimmed(c.text), 0));
    p.drawLine(0, y + m_rulerHeight - 1, m_treeWidth, y + m_rulerHeight - 1);
    y += m_rulerHeight;

    // Rows: the tree column, the waterfall.
    const int rowsH = m_rows * m_rowHeight;
    if (trace && m_rows > 0) {
        p.save();
        p.translate(wfX, y);
        p.setClipRect(QRect(0, 0, wfW, rowsH));
        WaterfallRowsPaint w;
        w.trace = trace;
        w.layout = m_layout;
        w.scale = &scale;
        w.colors = &c;
        w.font = font;
        w.width = wfW;
        w.height = rowsH;
        w.rowHeight = m_rowHeight;
        w.criticalPath = m_spec.criticalPath;
        w.ticks = &ticks;
        WaterfallPainter::paintRows(p, w);
        p.restore();

        const int indent = std::max(8, pad * 2);
        const int swatch = std::max(8, fm.height() * 3 / 5);
        const int nameRight = m_treeWidth - durW;
        for (int row = 0; row < m_rows; ++row) {
            const int span = m_layout->spanAtVisibleRow(row);
            const int ry = y + row * m_rowHeight;
            p.fillRect(QRect(0, ry, m_treeWidth, m_rowHeight), (row & 1) ? c.alternateBase : c.base);
            const int depth = m_layout->depth(span);
            const int maxIndent = std::max(0, (nameRight - pad) / 2);
            const int x0 = pad + std::min(depth * indent, maxIndent);
            if (depth > 0) {
                // A faint guide where each ancestor's level is.
                p.setPen(QPen(c.grid, 0));
                for (int d = 1; d <= depth && pad + d * indent <= x0; ++d) {
                    const int gx = pad + d * indent - indent / 2;
                    p.drawLine(gx, ry, gx, ry + m_rowHeight);
                }
            }
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setPen(Qt::NoPen);
            p.setBrush(c.kindColor(m_layout->kind(span)));
            p.drawRoundedRect(QRectF(x0, ry + (m_rowHeight - swatch) / 2.0, swatch, swatch), swatch / 4.0, swatch / 4.0);
            p.setRenderHint(QPainter::Antialiasing, false);
            const int tx = x0 + swatch + pad / 2 + 2;
            QFont nameFont = font;
            if (trace->isOrphan(span))
                nameFont.setItalic(true);
            p.setFont(nameFont);
            p.setPen(m_layout->isError(span) ? c.error : c.text);
            const QString name = WaterfallPainter::spanName(*trace, span);
            p.drawText(QRect(tx, ry, std::max(0, nameRight - tx - pad), m_rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                       QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, std::max(0, nameRight - tx - pad)));
            p.setFont(font);
            p.setPen(m_layout->isUnfinished(span) ? c.mutedText : c.text);
            p.drawText(QRect(nameRight, ry, durW - pad, m_rowHeight), Qt::AlignRight | Qt::AlignVCenter,
                       WaterfallPainter::durationLabel(*m_layout, span));
        }
    }
    p.setPen(QPen(c.dimmed(c.text), 0));
    p.drawLine(m_treeWidth, m_headerHeight, m_treeWidth, y + rowsH);
    y += rowsH;

    if (m_footerHeight > 0) {
        p.setFont(font);
        p.setPen(c.mutedText);
        const int hidden = m_layout->visibleRowCount() - m_rows;
        p.drawText(QRect(pad, y, W - 2 * pad, m_footerHeight), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("… and %1 more spans not shown").arg(QLocale().toString(hidden)));
    }
    p.restore();
}

QImage TraceImage::toImage(qreal devicePixelRatio) const
{
    QImage image(size() * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::transparent);
    QPainter p(&image);
    paint(p);
    p.end();
    return image;
}

} // namespace spanscope
