#include "jsontreeview.h"

#include "items/jsontreemodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>

namespace spanscope {

namespace {
constexpr int kExpandAllDepth = 16;
}

JsonTreeView::JsonTreeView(QWidget *parent)
    : CopyableTreeView(parent)
{
    setKeyValueColumns(JsonTreeModel::KeyColumn, JsonTreeModel::ValueColumn);
    setAlternatingRowColors(false);
    header()->setStretchLastSection(false);
    setColumnResizeModes({QHeaderView::Interactive, QHeaderView::Stretch, QHeaderView::ResizeToContents});
    connect(header(), &QHeaderView::sectionResized, this, [this](int section) {
        if (section == JsonTreeModel::KeyColumn && !m_fitting)
            m_keyWidthChosen = true;
    });
}

void JsonTreeView::setModel(QAbstractItemModel *model)
{
    CopyableTreeView::setModel(model);
    if (model)
        connect(model, &QAbstractItemModel::modelReset, this, [this] { m_keyWidthChosen = false; });
}

void JsonTreeView::expandFirstLevels(int depth, int maxChildren, int maxRows)
{
    QAbstractItemModel *m = model();
    if (!m)
        return;
    QList<QModelIndex> level{QModelIndex()};
    int revealed = m->rowCount();
    for (int d = 0; d < depth && !level.isEmpty(); ++d) {
        QList<QModelIndex> next;
        for (const QModelIndex &parent : std::as_const(level)) {
            const int rows = m->rowCount(parent);
            for (int r = 0; r < rows; ++r) {
                const QModelIndex child = m->index(r, 0, parent);
                if (!m->hasChildren(child))
                    continue;
                const int n = m->rowCount(child);
                if (n > maxChildren || revealed + n > maxRows)
                    continue;
                revealed += n;
                expand(child);
                next.append(child);
            }
        }
        level = next;
    }
}

void JsonTreeView::fitColumns()
{
    if (!model() || m_keyWidthChosen)
        return;
    m_fitting = true;
    const int limit = std::max(120, viewport()->width() * 45 / 100);
    header()->resizeSection(JsonTreeModel::KeyColumn, std::clamp(sizeHintForColumn(JsonTreeModel::KeyColumn) + 12, 60, limit));
    m_fitting = false;
}

void JsonTreeView::resizeEvent(QResizeEvent *event)
{
    CopyableTreeView::resizeEvent(event);
    fitColumns();
}

void JsonTreeView::addContextActions(QMenu *menu, const QModelIndex &index)
{
    CopyableTreeView::addContextActions(menu, index);
    const QString path = index.data(JsonTreeModel::PathRole).toString();
    if (!path.isEmpty())
        menu->addAction(tr("Copy Path"), this, [path] { QGuiApplication::clipboard()->setText(path); });
    menu->addSeparator();
    const QPersistentModelIndex first = index.siblingAtColumn(0);
    if (model()->hasChildren(first))
        menu->addAction(tr("Expand All Children"), this, [this, first] { expandRecursively(first, kExpandAllDepth); });
    menu->addAction(tr("Collapse All"), this, &QTreeView::collapseAll);
}

} // namespace spanscope
