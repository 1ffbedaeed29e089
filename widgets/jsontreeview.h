#pragma once

#include "copyabletreeview.h"

namespace spanscope {

// A JsonTreeModel (or a proxy of one) as a collapsible tree; adds Copy Path and expand/collapse
// actions to the context menu.
class JsonTreeView : public CopyableTreeView
{
    Q_OBJECT
public:
    explicit JsonTreeView(QWidget *parent = nullptr);
    void setModel(QAbstractItemModel *model) override;

    // Expands the first `depth` levels, skipping containers with more than `maxChildren` rows and
    // stopping after `maxRows` rows have been revealed, so huge documents stay quick.
    void expandFirstLevels(int depth = 2, int maxChildren = 200, int maxRows = 400);
    // Key column as wide as its visible keys (at most 45 % of the width) unless the user resized
    // it; value column takes the rest.
    void fitColumns();

protected:
    void addContextActions(QMenu *menu, const QModelIndex &index) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    bool m_fitting = false;
    bool m_keyWidthChosen = false;
};

} // namespace spanscope
