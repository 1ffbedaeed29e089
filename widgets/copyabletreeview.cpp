#include "copyabletreeview.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>

#include <algorithm>

namespace spanscope {

namespace {

// Rows from the root down: sorting by it gives tree order.
QList<int> treePath(QModelIndex index)
{
    QList<int> path;
    index = index.siblingAtColumn(0);
    while (index.isValid()) {
        path.prepend(index.row());
        index = index.parent();
    }
    return path;
}

} // namespace

CopyableTreeView::CopyableTreeView(QWidget *parent)
    : QTreeView(parent)
{
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setUniformRowHeights(true);
    setAllColumnsShowFocus(false);
    setTextElideMode(Qt::ElideRight);
    header()->setStretchLastSection(false);
}

void CopyableTreeView::setKeyValueColumns(int keyColumn, int valueColumn)
{
    m_keyColumn = keyColumn;
    m_valueColumn = valueColumn;
}

void CopyableTreeView::setColumnResizeModes(const QList<QHeaderView::ResizeMode> &modes)
{
    m_resizeModes = modes;
    applyColumnResizeModes();
}

void CopyableTreeView::setModel(QAbstractItemModel *model)
{
    if (QAbstractItemModel *old = this->model())
        disconnect(old, nullptr, this, nullptr);
    QTreeView::setModel(model);
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &CopyableTreeView::applyColumnResizeModes);
        connect(model, &QAbstractItemModel::columnsInserted, this, &CopyableTreeView::applyColumnResizeModes);
    }
    applyColumnResizeModes();
}

void CopyableTreeView::applyColumnResizeModes()
{
    const int count = header()->count();
    for (int i = 0; i < m_resizeModes.size() && i < count; ++i)
        header()->setSectionResizeMode(i, m_resizeModes.at(i));
}

QString CopyableTreeView::fullText(const QModelIndex &index)
{
    const QVariant edit = index.data(Qt::EditRole);
    return edit.isValid() ? edit.toString() : index.data(Qt::DisplayRole).toString();
}

QString CopyableTreeView::selectedText() const
{
    QModelIndexList indexes = selectionModel() ? selectionModel()->selectedIndexes() : QModelIndexList();
    if (indexes.isEmpty() && currentIndex().isValid())
        indexes.append(currentIndex());
    if (indexes.isEmpty())
        return {};
    struct Cell {
        QList<int> path;
        int column;
        QModelIndex index;
    };
    QList<Cell> cells;
    cells.reserve(indexes.size());
    for (const QModelIndex &i : std::as_const(indexes)) {
        if (!isColumnHidden(i.column()))
            cells.append({treePath(i), header()->visualIndex(i.column()), i});
    }
    std::sort(cells.begin(), cells.end(), [](const Cell &a, const Cell &b) {
        return a.path != b.path ? a.path < b.path : a.column < b.column;
    });
    QString out;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += cells[i].path == cells[i - 1].path ? QLatin1Char('\t') : QLatin1Char('\n');
        out += fullText(cells[i].index);
    }
    return out;
}

void CopyableTreeView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        const QString text = selectedText();
        if (!text.isEmpty())
            QGuiApplication::clipboard()->setText(text);
        event->accept();
        return;
    }
    QTreeView::keyPressEvent(event);
}

void CopyableTreeView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    QMenu menu(this);
    addContextActions(&menu, index);
    if (!menu.isEmpty())
        menu.exec(event->globalPos());
}

void CopyableTreeView::addContextActions(QMenu *menu, const QModelIndex &index)
{
    QAction *copy = menu->addAction(tr("Copy"), this, [this] { QGuiApplication::clipboard()->setText(selectedText()); });
    copy->setShortcut(QKeySequence::Copy);
    const QPersistentModelIndex key = index.siblingAtColumn(m_keyColumn);
    const QPersistentModelIndex value = index.siblingAtColumn(m_valueColumn);
    menu->addAction(tr("Copy Key"), this, [key] { QGuiApplication::clipboard()->setText(fullText(key)); });
    menu->addAction(tr("Copy Value"), this, [value] { QGuiApplication::clipboard()->setText(fullText(value)); });
}

} // namespace spanscope
