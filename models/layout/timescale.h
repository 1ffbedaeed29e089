#pragma once

#include <QList>
#include <QString>

namespace spanscope {

// "812 ns", "3.40 µs", "12.3 ms", "1.25 s", "2 min 5 s", "1 h 5 min", "2 d 3 h": three significant
// digits below a minute, whole units above. The one duration format of the whole app.
QString formatDuration(qint64 ns);

// "1 span", "2,345 spans": a count with the right English noun form, digits grouped by locale.
QString formatCount(qint64 n, const QString &singular, const QString &plural);

struct Tick {
    qint64 timeNs = 0;  // relative to trace start
    double x = 0;       // pixel, inside [0, width]
    bool major = false;
    QString label;      // set on major ticks only
    friend bool operator==(const Tick &, const Tick &) = default;
};

// Maps the visible part [startNs, endNs] of a trace's time axis [0, traceDuration] onto a pixel width.
// The window is kept in double nanoseconds: at the deepest zoom (100 px per ns) an integer window
// would make zooming and panning jump by many pixels.
class TimeScale
{
public:
    // The deepest zoom: one nanosecond spread over 100 px…
    static constexpr double MinNsPerPixel = 0.01;
    // … unless the trace is so long (hours) that doubles cannot place a nanosecond that finely
    // at its end: then the floor keeps positions within ~0.06 px.
    double minNsPerPixel() const;

    TimeScale() = default;
    TimeScale(qint64 traceDurationNs, double widthPx);  // shows the whole trace

    qint64 traceDurationNs() const { return m_traceDurationNs; }
    void setTraceDuration(qint64 ns);  // keeps the window where possible
    double width() const { return m_width; }
    void setWidth(double px);          // keeps the window (the bars stretch)

    double startNs() const { return m_t0; }
    double endNs() const { return m_t1; }
    double windowNs() const { return m_t1 - m_t0; }
    // The smallest integer window that contains the visible one, for searching span arrays.
    qint64 t0() const;
    qint64 t1() const;
    double nsPerPixel() const { return windowNs() / m_width; }

    double x(double tNs) const { return (tNs - m_t0) * m_width / windowNs(); }  // may lie outside [0, width]
    double t(double x) const { return m_t0 + x * windowNs() / m_width; }

    // factor > 1 zooms in. The time under anchorX stays under it unless a clamp stops the zoom.
    void zoom(double factor, double anchorX);
    // Moves the window by dx pixels' worth of time; positive dx shows later times. A drag that moves
    // the content by d pixels calls pan(-d).
    void pan(double dx);
    void fit(double fromNs, double toNs);  // widened to the deepest zoom and clamped to the trace
    void fitAll() { fit(0, double(boundNs())); }

    bool canZoomIn() const;
    bool canZoomOut() const;
    bool isFitAll() const;

    // Major ticks at least minPixelSpacing apart (1/2/5 × 10^k ns up to 10 s, then clock steps:
    // 15 s, 30 s, 1 min, 2 min, 5 min, 10 min, 15 min, 30 min, 1 h, … so long traces do not get
    // ticks at "1 min 40 s"), each labelled; minor ticks between them. Sorted by time.
    QList<Tick> ticks(int minPixelSpacing) const;
    // Label of a tick at timeNs on a ruler whose major step is stepNs: just enough decimals to tell
    // neighbours apart ("0", "250 µs", "1.5 ms", "2 s", "1 min 30 s").
    static QString tickLabel(qint64 timeNs, qint64 stepNs);
    // The major and minor step ticks() uses at this zoom.
    qint64 majorStepNs(int minPixelSpacing) const;

    friend bool operator==(const TimeScale &, const TimeScale &) = default;

private:
    double minWindowNs() const;
    qint64 boundNs() const;  // the right edge the window may reach
    void setWindow(double t0, double t1);

    qint64 m_traceDurationNs = 1;
    double m_width = 1;
    double m_t0 = 0;
    double m_t1 = 1;
};

} // namespace spanscope
