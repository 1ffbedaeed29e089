#pragma once

#include <QStyledItemDelegate>
#include <QTreeView>

#include <vector>

namespace spanscope {

// Paints the span tree's rows: a rounded kind swatch before the name (in the view's own light or
// dark variant), italic names for orphans, a tint on search matches; every row the same height so
// the waterfall can line up with it.
class SpanItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit SpanItemDelegate(QObject *parent = nullptr);

    static int rowHeight(const QFontMetrics &fm);
    void setMatches(const std::vector<bool> *matches) { m_matches = matches; }
    bool isMatch(const QModelIndex &index) const;
    static QColor matchTint(const QPalette &palette);

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    const std::vector<bool> *m_matches = nullptr;
};

// The span tree of the trace view: uniform rows, per-pixel scrolling (the waterfall follows the
// scroll bar's value in pixels), no type-ahead (letters are the view's shortcuts), Enter asks for
// the inspector.
class SpanTreeView : public QTreeView
{
    Q_OBJECT
public:
    explicit SpanTreeView(QWidget *parent = nullptr);

    SpanItemDelegate *spanDelegate() const { return m_delegate; }
    // The height every row has (uniformRowHeights), as the delegate sizes it.
    int uniformRowHeight() const;
    void keyboardSearch(const QString &) override {}
    // Expands many nodes at once: the layout is postponed first, so each expand() only records the
    // state and one linear relayout follows (expanding one by one re-lays out every time).
    void expandMany(const QModelIndexList &indexes);

Q_SIGNALS:
    void activateRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void drawBranches(QPainter *painter, const QRect &rect, const QModelIndex &index) const override;

private:
    SpanItemDelegate *m_delegate;
};

} // namespace spanscope
