#include "spantreeview.h"

#include "waterfallpainter.h"

#include "items/kindpalette.h"
#include "items/spantreemodel.h"

#include <QHash>
#include <QHeaderView>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>

namespace spanscope {

namespace {

QIcon swatchIcon(const QColor &color, int size, qreal dpr)
{
    static QHash<QString, QIcon> cache;
    const QString key = color.name() + QLatin1Char('/') + QString::number(size) + QLatin1Char('/') + QString::number(dpr);
    auto it = cache.constFind(key);
    if (it != cache.constEnd())
        return *it;
    QPixmap pm(QSize(size, size) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    const qreal r = size / 4.0;
    p.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), r, r);
    p.end();
    QIcon icon(pm);
    cache.insert(key, icon);
    return icon;
}

} // namespace

SpanItemDelegate::SpanItemDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

int SpanItemDelegate::rowHeight(const QFontMetrics &fm)
{
    return fm.height() + std::max(6, fm.height() / 2);
}

QSize SpanItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(rowHeight(option.fontMetrics));
    return s;
}

void SpanItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() != SpanTreeModel::NameColumn)
        return;
    const bool dark = WaterfallColors::isDark(option->palette);
    const auto kind = static_cast<SpanKind>(index.data(SpanTreeModel::KindRole).toInt());
    const int size = std::max(8, option->fontMetrics.height() * 3 / 5);
    const qreal dpr = option->widget ? option->widget->devicePixelRatioF() : 1.0;
    option->icon = swatchIcon(KindPalette::color(kind, dark), size, dpr);
    option->decorationSize = QSize(size, size);
    option->features |= QStyleOptionViewItem::HasDecoration;
    if (index.data(SpanTreeModel::IsOrphanRole).toBool())
        option->font.setItalic(true);
    if (index.data(SpanTreeModel::IsErrorRole).toBool() && !(option->state & QStyle::State_Selected))
        option->palette.setColor(QPalette::Text, WaterfallColors::fromPalette(option->palette).error);
}

bool SpanItemDelegate::isMatch(const QModelIndex &index) const
{
    if (!m_matches)
        return false;
    const int span = index.data(SpanTreeModel::SpanIndexRole).toInt();
    return span >= 0 && size_t(span) < m_matches->size() && (*m_matches)[size_t(span)];
}

QColor SpanItemDelegate::matchTint(const QPalette &palette)
{
    const WaterfallColors c = WaterfallColors::fromPalette(palette);
    QColor tint = c.match;
    tint.setAlpha(c.dark ? 110 : 150);
    return tint;
}

void SpanItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (!(option.state & QStyle::State_Selected) && isMatch(index))
        painter->fillRect(option.rect, matchTint(option.palette));
    QStyledItemDelegate::paint(painter, option, index);
}

SpanTreeView::SpanTreeView(QWidget *parent)
    : QTreeView(parent)
    , m_delegate(new SpanItemDelegate(this))
{
    setItemDelegate(m_delegate);
    setUniformRowHeights(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setAllColumnsShowFocus(true);
    setExpandsOnDoubleClick(true);
    setAnimated(false);
    setFrameShape(QFrame::NoFrame);
    setTextElideMode(Qt::ElideRight);
    setIndentation(std::max(12, fontMetrics().averageCharWidth() * 2 + 2));
    header()->setStretchLastSection(false);
    header()->setSectionsMovable(false);
    header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

int SpanTreeView::uniformRowHeight() const
{
    return SpanItemDelegate::rowHeight(fontMetrics());
}

void SpanTreeView::expandMany(const QModelIndexList &indexes)
{
    scheduleDelayedItemsLayout();
    for (const QModelIndex &i : indexes)
        expand(i);
}

void SpanTreeView::drawBranches(QPainter *painter, const QRect &rect, const QModelIndex &index) const
{
    // The match tint spans the whole row, indentation included, as in the waterfall.
    if (m_delegate->isMatch(index) && !selectionModel()->isSelected(index))
        painter->fillRect(rect, SpanItemDelegate::matchTint(palette()));
    QTreeView::drawBranches(painter, rect, index);
}

void SpanTreeView::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && event->modifiers() == Qt::NoModifier
        && currentIndex().isValid()) {
        Q_EMIT activateRequested();
        event->accept();
        return;
    }
    QTreeView::keyPressEvent(event);
}

} // namespace spanscope
