#pragma once

#include <QStyledItemDelegate>

namespace spanscope {

// Paints CompareModel's timeline columns as waterfall bars (kind colour, duration label, a dashed
// line where the trace ends when both share a time scale) and indents B's name column like the
// tree indents A's, so both halves read as trees.
class CompareRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit CompareRowDelegate(QObject *parent = nullptr);

    void setIndentation(int px) { m_indentation = px; }
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintTimeline(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintIndented(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;

    int m_indentation = 20;
};

} // namespace spanscope
