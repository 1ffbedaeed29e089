#pragma once

#include "trace/span.h"

#include <QList>
#include <QWidget>

namespace spanscope {

// One line of swatches explaining the waterfall's colours: the kinds that occur in the trace, then
// the error, running and (while shown) critical-path marks.
class KindLegend : public QWidget
{
    Q_OBJECT
public:
    explicit KindLegend(QWidget *parent = nullptr);

    void setKinds(const QList<SpanKind> &kinds);
    QList<SpanKind> kinds() const { return m_kinds; }
    void setCriticalPathShown(bool shown);
    void setMarksShown(bool errors, bool running);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Paints the legend into `rect` (also used by the image export); returns the width used.
    static int paint(QPainter &p, const QRect &rect, const QList<SpanKind> &kinds, bool errors, bool running,
                     bool critical, const QPalette &palette, const QFont &font);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void updateToolTip();
    static QStringList labels(const QList<SpanKind> &kinds, bool errors, bool running, bool critical);

    QList<SpanKind> m_kinds;
    bool m_errors = false;
    bool m_running = false;
    bool m_critical = false;
};

} // namespace spanscope
