#pragma once

#include <QWidget>

namespace spanscope {

class WaterfallView;

// The time axis above the waterfall's bars: adaptive ticks with labels, the hover time line's
// reading, and a drag that selects a range to zoom to. The wheel over it zooms about the pointer.
// Its x coordinates are the waterfall viewport's.
class TimeRuler : public QWidget
{
    Q_OBJECT
public:
    explicit TimeRuler(WaterfallView *view);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    WaterfallView *m_view;
    bool m_dragging = false;
};

} // namespace spanscope
