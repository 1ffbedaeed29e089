#pragma once

#include <QPixmap>
#include <QWidget>

namespace spanscope {

class WaterfallView;

// The overview (minimap) strip: the whole trace as a miniature flame chart with the waterfall's
// current time window framed. Press to centre the window there, drag to pan, wheel to zoom.
class TraceOverview : public QWidget
{
    Q_OBJECT
public:
    explicit TraceOverview(WaterfallView *view);

    void invalidate();  // the trace, palette or critical path changed
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }
    // The time window's frame in widget coordinates.
    QRectF windowRect() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    double timeAt(double x) const;
    void moveWindowTo(double startNs);

    WaterfallView *m_view;
    QPixmap m_cache;
    bool m_cacheValid = false;
    bool m_dragging = false;
    double m_grabOffsetNs = 0;  // pointer time minus window start while dragging
};

} // namespace spanscope
