#pragma once

#include <QHeaderView>
#include <QTreeView>

class QMenu;

namespace spanscope {

// A tree/table view for key-value data: Ctrl+C copies the selected cells as tab-separated text
// (rows in tree order), using each cell's EditRole (the full value) before its shortened
// DisplayRole. The context menu offers Copy, Copy Key and Copy Value; subclasses add their own
// actions through addContextActions().
class CopyableTreeView : public QTreeView
{
    Q_OBJECT
public:
    explicit CopyableTreeView(QWidget *parent = nullptr);

    QString selectedText() const;
    void setKeyValueColumns(int keyColumn, int valueColumn);
    // Per-column resize modes, applied again whenever the model resets (QHeaderView forgets them).
    void setColumnResizeModes(const QList<QHeaderView::ResizeMode> &modes);
    void setModel(QAbstractItemModel *model) override;

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    virtual void addContextActions(QMenu *menu, const QModelIndex &index);
    static QString fullText(const QModelIndex &index);

private:
    void applyColumnResizeModes();

    QList<QHeaderView::ResizeMode> m_resizeModes;
    int m_keyColumn = 0;
    int m_valueColumn = 1;
};

} // namespace spanscope
