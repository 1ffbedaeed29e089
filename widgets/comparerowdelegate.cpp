#include "comparerowdelegate.h"

#include "items/comparemodel.h"
#include "layout/timescale.h"
#include "waterfallpainter.h"

#include <QApplication>
#include <QPainter>

namespace spanscope {

CompareRowDelegate::CompareRowDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void CompareRowDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    switch (index.column()) {
    case CompareModel::TimelineAColumn:
    case CompareModel::TimelineBColumn: paintTimeline(painter, option, index); return;
    case CompareModel::NameBColumn: paintIndented(painter, option, index); return;
    default: QStyledItemDelegate::paint(painter, option, index); return;
    }
}

void CompareRowDelegate::paintIndented(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // Background (status tint, selection) over the whole cell, then the content indented.
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
    opt.rect.setLeft(opt.rect.left() + index.data(CompareModel::DepthRole).toInt() * m_indentation + m_indentation / 2);
    opt.backgroundBrush = Qt::NoBrush;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
}

void CompareRowDelegate::paintTimeline(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const auto *model = qobject_cast<const CompareModel *>(index.model());
    if (!model)
        return;
    const QPalette &pal = option.palette;
    const WaterfallColors colors = WaterfallColors::fromPalette(pal);
    const int pad = 4;
    const QRect area = option.rect.adjusted(pad, 0, -pad, 0);
    if (area.width() <= 2)
        return;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    // Where this side's trace ends on a shared scale: the shorter run stops short of the edge.
    const auto side = CompareModel::columnSide(index.column());
    const qint64 total = model->timelineDurationNs(side);
    const auto trace = side == CompareModel::SideA ? model->traceA() : model->traceB();
    if (model->isCommonTimeScale() && trace && total > 0 && trace->durationNs() < total) {
        const int x = area.left() + int(double(trace->durationNs()) / double(total) * area.width());
        QPen pen(colors.mutedText, 1, Qt::DashLine);
        painter->setPen(pen);
        painter->drawLine(x, option.rect.top(), x, option.rect.bottom());
    }

    const QVariant bar = index.data(CompareModel::BarRole);
    if (bar.isValid()) {
        const QRectF f = bar.toRectF();
        const int inset = WaterfallPainter::barInset(option.rect.height());
        const double x0 = area.left() + f.left() * area.width();
        const double w = std::max(2.0, f.width() * area.width());
        const QRectF r(x0, option.rect.top() + inset, w, option.rect.height() - 2 * inset);
        const bool error = index.data(CompareModel::IsErrorRole).toBool();
        const QColor fill = colors.kindColor(SpanKind(index.data(CompareModel::KindRole).toInt()));
        painter->fillRect(r, fill);
        if (error) {
            painter->setPen(QPen(colors.error, 2));
            painter->drawRect(r.adjusted(1, 1, -1, -1));
        }
        // The duration beside the bar (or inside it when there is no room to its right).
        const QString label = formatDuration(index.data(CompareModel::SortRole).toLongLong());
        const QFontMetrics fm(option.font);
        const int tw = fm.horizontalAdvance(label);
        painter->setFont(option.font);
        const bool selected = option.state & QStyle::State_Selected;
        if (r.right() + 4 + tw <= area.right()) {
            painter->setPen(selected ? pal.color(QPalette::HighlightedText) : colors.mutedText);
            painter->drawText(QRectF(r.right() + 4, option.rect.top(), tw + 2, option.rect.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
        } else if (r.width() >= tw + 8) {
            painter->setPen(colors.labelOn(fill));
            painter->drawText(r.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignRight, label);
        }
    }
    painter->restore();
}

} // namespace spanscope
