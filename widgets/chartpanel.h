#pragma once

#include "chartstyle.h"
#include "store/tracestore.h"

#include <QFrame>

class QCPAbstractPlottable;
class QCustomPlot;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace spanscope {

// One dashboard chart: a title with its controls and a menu (save as PNG / PDF, data as CSV, reset
// zoom) above a QCustomPlot coloured from the widget's palette. Hovering a bar or point shows its
// exact values; clicking one asks for the traces behind it (drillDownRequested). Horizontal drag
// pans and the wheel zooms the key axis; a double click goes back to the whole range.
class ChartPanel : public QFrame
{
    Q_OBJECT
public:
    explicit ChartPanel(const QString &title, QWidget *parent = nullptr);
    ~ChartPanel() override;

    QString title() const { return m_title; }
    QCustomPlot *plot() const { return m_plot; }
    QHBoxLayout *controls() const { return m_controls; }
    QString note() const;

    // What lies under a point of the plot (widget coordinates): the topmost plottable there and
    // the index of its data point.
    struct Hit {
        QCPAbstractPlottable *plottable = nullptr;
        int index = -1;
        bool isValid() const { return plottable && index >= 0; }
    };
    Hit hitAt(const QPointF &pos) const;
    // Exact values of a hit, as the tooltip shows them (empty: no tooltip).
    virtual QString toolTipFor(const Hit &hit) const;
    // The trace list query behind a hit and a short description of it; false when there is none.
    virtual bool drillDownFor(const Hit &hit, TraceQuery *query, QString *description) const;
    // The chart's data as CSV (RFC 4180, a header row, CRLF line ends).
    virtual QString csv() const = 0;
    // The title an exported image carries: the panel's, with what its choosers show.
    virtual QString exportTitle() const { return m_title; }

    QString toolTipAt(const QPointF &pos) const { return toolTipFor(hitAt(pos)); }
    bool clickAt(const QPointF &pos);   // what a click does; true when it asked for traces
    bool exportImage(const QString &path, QString *error, int width = 0, int height = 0);   // .png or .pdf
    bool exportCsv(const QString &path, QString *error) const;
    void resetZoom();
    ChartStyle chartStyle() const;

    static QString csvField(const QString &value);
    static QString csvRow(const QStringList &fields);
    static QString formatUsd(double usd);
    static QString formatNumber(qint64 n);
    static QString formatNs(double ns);
    // "2026-11-25 10:00–11:00", "2026-11-25 10:05", "2026-11-25", "2026-11-25 – 2026-11-27" (local time).
    static QString formatBucket(qint64 startNs, qint64 bucketNs);
    static QString isoTime(qint64 ns);   // local time with offset, for CSV
    static double seconds(qint64 ns) { return double(ns) / 1e9; }

Q_SIGNALS:
    void drillDownRequested(const spanscope::TraceQuery &query, const QString &description);

protected:
    void changeEvent(QEvent *event) override;
    void setNote(const QString &text, bool warning = false);
    // Recolour the plottables from chartStyle() (axes, grid and legend are done by the panel).
    virtual void restyle(const ChartStyle &style) { Q_UNUSED(style); }
    // The range resetZoom() returns to, and a replot with the current palette.
    void setHomeRange(double lower, double upper);
    void restyleAndReplot();
    // A date-time ticker on the bottom axis, in local time.
    void useTimeAxis();
    // The legend as rows of entries above the plot instead of a box over it.
    void placeLegendAbove(int columns);
    void setLegendShown(bool shown);

private:
    void showMenu();
    void onMouseMove(QMouseEvent *event);

    QString m_title;
    QLabel *m_titleLabel;
    QLabel *m_noteLabel;
    bool m_noteWarning = false;
    QHBoxLayout *m_controls;
    QToolButton *m_menuButton;
    QCustomPlot *m_plot;
    bool m_legendAbove = false;
    double m_homeLower = 0;
    double m_homeUpper = 1;
};

} // namespace spanscope
