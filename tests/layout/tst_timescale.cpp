#include "layout/timescale.h"

#include <QTest>

#include <cmath>
#include <optional>

using namespace spanscope;

namespace {

constexpr qint64 kUs = 1'000;
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSec = 1'000'000'000;
constexpr qint64 kMin = 60 * kSec;
constexpr qint64 kHour = 60 * kMin;
constexpr qint64 kDay = 24 * kHour;

// Reads a ruler label back into nanoseconds, so the tests can check that a label names its tick's
// time exactly, whatever the unit and number of decimals.
std::optional<qint64> parseLabel(const QString &label)
{
    if (label == "0")
        return 0;
    const QStringList parts = label.split(' ');
    if (parts.size() % 2 != 0)
        return std::nullopt;
    const QHash<QString, double> units{{"ns", 1},   {"µs", 1e3},  {"ms", 1e6},     {"s", 1e9},
                                       {"min", 60e9}, {"h", 3600e9}, {"d", 86400e9}};
    double total = 0;
    for (int i = 0; i < parts.size(); i += 2) {
        bool ok = false;
        const double v = parts[i].toDouble(&ok);
        if (!ok || !units.contains(parts[i + 1]))
            return std::nullopt;
        total += v * units.value(parts[i + 1]);
    }
    return std::llround(total);
}

bool fuzzyEqual(double a, double b, double scale) { return std::abs(a - b) <= 1e-9 * std::max(1.0, scale); }

} // namespace

class TestTimeScale : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatDuration_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << qint64(0) << "0 ns";
        QTest::addRow("ns") << qint64(812) << "812 ns";
        QTest::addRow("largest ns") << qint64(999) << "999 ns";
        QTest::addRow("one µs keeps three digits") << qint64(1000) << "1.00 µs";
        QTest::addRow("µs trailing zero kept") << qint64(3400) << "3.40 µs";
        QTest::addRow("µs rounds half up") << qint64(3405) << "3.41 µs";
        QTest::addRow("carry into a fourth digit drops a decimal") << qint64(9996) << "10.0 µs";
        QTest::addRow("two-digit µs") << qint64(12'345) << "12.3 µs";
        QTest::addRow("three-digit µs") << qint64(999'499) << "999 µs";
        QTest::addRow("carry into the next unit") << qint64(999'500) << "1.00 ms";
        QTest::addRow("ms") << qint64(12'300'000) << "12.3 ms";
        QTest::addRow("ms rounding") << qint64(12'349'999) << "12.3 ms";
        QTest::addRow("s") << qint64(1'250'000'000) << "1.25 s";
        QTest::addRow("tens of seconds") << qint64(59'940'000'000) << "59.9 s";
        QTest::addRow("almost a minute reads as one") << qint64(59'996'000'000) << "1 min";
        QTest::addRow("minutes and seconds") << qint64(125 * kSec) << "2 min 5 s";
        QTest::addRow("whole minutes") << qint64(2 * kMin) << "2 min";
        QTest::addRow("seconds rounded") << qint64(125 * kSec + 600 * kMs) << "2 min 6 s";
        QTest::addRow("almost an hour") << qint64(3599 * kSec + 600 * kMs) << "1 h";
        QTest::addRow("hours and minutes") << qint64(kHour + 5 * kMin + 20 * kSec) << "1 h 5 min";
        QTest::addRow("days and hours") << qint64(2 * kDay + 3 * kHour) << "2 d 3 h";
        QTest::addRow("negative") << qint64(-1500) << "-1.50 µs";
    }

    void formatDuration()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(spanscope::formatDuration(ns), text);
    }

    void tickLabel_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<QString>("label");
        QTest::addRow("origin") << qint64(0) << qint64(50 * kUs) << "0";
        QTest::addRow("ns") << qint64(5) << qint64(1) << "5 ns";
        QTest::addRow("whole µs") << qint64(250 * kUs) << qint64(50 * kUs) << "250 µs";
        QTest::addRow("half ms") << qint64(1500 * kUs) << qint64(500 * kUs) << "1.5 ms";
        QTest::addRow("whole ms drops the point") << qint64(kMs) << qint64(500 * kUs) << "1 ms";
        QTest::addRow("fine step, two decimals") << qint64(1050 * kUs) << qint64(50 * kUs) << "1.05 ms";
        QTest::addRow("fine step, trailing zero dropped") << qint64(1100 * kUs) << qint64(50 * kUs) << "1.1 ms";
        QTest::addRow("µs with a decimal") << qint64(1500) << qint64(100) << "1.5 µs";
        QTest::addRow("s") << qint64(2 * kSec) << qint64(kSec) << "2 s";
        QTest::addRow("minutes and seconds") << qint64(90 * kSec) << qint64(10 * kSec) << "1 min 30 s";
        QTest::addRow("minutes and fractional seconds") << qint64(90 * kSec + 500 * kMs) << qint64(100 * kMs)
                                                        << "1 min 30.5 s";
        QTest::addRow("whole minutes") << qint64(2 * kMin) << qint64(30 * kSec) << "2 min";
        QTest::addRow("hours and minutes") << qint64(kHour + 15 * kMin) << qint64(15 * kMin) << "1 h 15 min";
        QTest::addRow("days") << qint64(3 * kDay) << qint64(kDay) << "3 d";
    }

    void tickLabel()
    {
        QFETCH(qint64, time);
        QFETCH(qint64, step);
        QFETCH(QString, label);
        QCOMPARE(TimeScale::tickLabel(time, step), label);
        QCOMPARE(parseLabel(label), std::optional<qint64>(time));
    }

    void ticks_data()
    {
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("zoomIn");
        QTest::addColumn<double>("anchorFraction");
        QTest::addColumn<int>("spacing");

        const qint64 durations[] = {1, 50, 3 * kUs + 7, 3700 * kUs, 1200 * kMs, 95 * kSec, 2 * kHour + 3 * kMin,
                                    3 * kDay + 5 * kHour, 400 * kDay};
        const double widths[] = {200, 1000, 1917};
        const double zooms[] = {1, 3.3, 1000, 1e15};
        const double anchors[] = {0, 0.37, 1};
        const int spacings[] = {40, 90};
        for (qint64 d : durations) {
            for (double w : widths) {
                for (double z : zooms) {
                    for (double a : anchors) {
                        for (int sp : spacings) {
                            QTest::addRow("%lld ns, %g px, zoom %g at %g, spacing %d", d, w, z, a, sp)
                                << d << w << z << a << sp;
                        }
                    }
                }
            }
        }
    }

    void ticks()
    {
        QFETCH(qint64, duration);
        QFETCH(double, width);
        QFETCH(double, zoomIn);
        QFETCH(double, anchorFraction);
        QFETCH(int, spacing);

        TimeScale scale(duration, width);
        scale.zoom(zoomIn, anchorFraction * width);
        const qint64 step = scale.majorStepNs(spacing);
        const QList<Tick> ticks = scale.ticks(spacing);
        QVERIFY(!ticks.isEmpty() || scale.windowNs() < double(step));

        // Enough major ticks: any window of length L holds at least floor(L / step) multiples of step.
        const qint64 majorCount = std::count_if(ticks.cbegin(), ticks.cend(), [](const Tick &t) { return t.major; });
        QVERIFY2(majorCount >= qint64(std::floor(scale.windowNs() / double(step))),
                 qPrintable(QString("%1 majors, step %2").arg(majorCount).arg(step)));
        // The step is the finest that keeps the spacing: the ladder never grows by more than 2.5×.
        const double stepPx = double(step) / scale.nsPerPixel();
        QVERIFY2(stepPx >= spacing - 1e-6, qPrintable(QString::number(stepPx)));
        if (spacing * scale.nsPerPixel() >= 1)
            QVERIFY2(stepPx < 2.5 * spacing + 1e-6, qPrintable(QString::number(stepPx)));

        const Tick *previous = nullptr;
        const Tick *previousMajor = nullptr;
        QSet<QString> labels;
        for (const Tick &t : ticks) {
            QVERIFY(double(t.timeNs) >= scale.startNs() && double(t.timeNs) <= scale.endNs());
            QVERIFY(t.x >= 0 && t.x <= width);
            QVERIFY(fuzzyEqual(t.x, scale.x(double(t.timeNs)), width));
            if (previous) {
                QVERIFY(t.timeNs > previous->timeNs);
                QVERIFY2(t.x - previous->x >= spacing / 6.0 - 1e-6, qPrintable(QString::number(t.x - previous->x)));
            }
            if (t.major) {
                QCOMPARE(t.timeNs % step, 0);
                QVERIFY(!labels.contains(t.label));
                labels.insert(t.label);
                QCOMPARE(parseLabel(t.label), std::optional<qint64>(t.timeNs));
                if (previousMajor) {
                    QCOMPARE(t.timeNs - previousMajor->timeNs, step);
                    QVERIFY(t.x - previousMajor->x >= spacing - 1e-6);
                }
                previousMajor = &t;
            } else {
                QVERIFY(t.label.isEmpty());
            }
            previous = &t;
        }
    }

    void zoomKeepsAnchor_data()
    {
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("anchorX");
        QTest::addRow("in at the left edge") << 2.0 << 0.0;
        QTest::addRow("in in the middle") << 1.25 << 500.0;
        QTest::addRow("in at an odd pixel") << 7.0 << 333.3;
        QTest::addRow("in at the right edge") << 3.0 << 1000.0;
        QTest::addRow("out in the middle") << 0.5 << 420.0;
        QTest::addRow("deep in") << 1e6 << 611.0;
    }

    void zoomKeepsAnchor()
    {
        QFETCH(double, factor);
        QFETCH(double, anchorX);
        TimeScale scale(10 * kSec, 1000);
        scale.fit(3 * kSec, 4 * kSec);  // room on both sides, so no clamp interferes
        const double before = scale.t(anchorX);
        const double window = scale.windowNs();
        scale.zoom(factor, anchorX);
        QVERIFY(fuzzyEqual(scale.windowNs(), window / factor, window));
        QVERIFY2(std::abs(scale.t(anchorX) - before) < 1e-3, qPrintable(QString::number(scale.t(anchorX) - before)));
    }

    void zoomSequence()
    {
        // A long mixed sequence: wherever no clamp applies the anchor time must stay exactly put;
        // wherever one does, the window must still lie inside the trace with a legal width.
        const qint64 duration = 7 * kSec + 123;
        const double width = 1280;
        TimeScale scale(duration, width);
        quint32 seed = 12345;
        auto next = [&seed] {
            seed = seed * 1664525u + 1013904223u;
            return double(seed >> 8) / double(1 << 24);
        };
        int unclamped = 0;
        for (int i = 0; i < 2000; ++i) {
            const double factor = std::pow(2.0, next() * 8 - 3.5);
            const double anchorX = next() * width;
            const double anchorT = scale.t(anchorX);
            const double wanted = scale.windowNs() / factor;
            const double wantedStart = anchorT - anchorX * wanted / width;
            scale.zoom(factor, anchorX);
            const bool clampFree = wanted >= width * scale.minNsPerPixel() && wanted <= double(duration)
                && wantedStart >= 0 && wantedStart + wanted <= double(duration);
            if (clampFree) {
                ++unclamped;
                QVERIFY(std::abs(scale.t(anchorX) - anchorT) <= 1e-6 * std::max(1.0, anchorT));
                QVERIFY(fuzzyEqual(scale.windowNs(), wanted, double(duration)));
            }
            QVERIFY(scale.startNs() >= 0);
            QVERIFY(scale.endNs() <= double(duration) + 1e-6);
            QVERIFY(scale.windowNs() >= width * scale.minNsPerPixel() * (1 - 1e-12));
            if (i % 7 == 0) {
                scale.pan((next() - 0.5) * 4000);
                QVERIFY(scale.startNs() >= 0 && scale.endNs() <= double(duration) + 1e-6);
            }
        }
        QVERIFY(unclamped > 500);
    }

    void clamping()
    {
        const qint64 duration = 5 * kMs;
        TimeScale scale(duration, 1000);
        QVERIFY(scale.isFitAll());
        QVERIFY(!scale.canZoomOut());
        QVERIFY(scale.canZoomIn());
        QCOMPARE(scale.startNs(), 0.0);
        QCOMPARE(scale.endNs(), double(duration));

        scale.zoom(0.1, 500);  // cannot zoom out past the trace
        QCOMPARE(scale.startNs(), 0.0);
        QCOMPARE(scale.endNs(), double(duration));

        scale.zoom(1e12, 250);  // stops at 1 ns per 100 px
        QVERIFY(!scale.canZoomIn());
        QVERIFY(fuzzyEqual(scale.nsPerPixel(), TimeScale::MinNsPerPixel, 1));
        QVERIFY(fuzzyEqual(scale.windowNs(), 10, 10));
        const double window = scale.windowNs();

        scale.pan(-1e12);  // cannot pan before the trace start
        QCOMPARE(scale.startNs(), 0.0);
        QCOMPARE(scale.windowNs(), window);
        scale.pan(1e12);  // nor past its end
        QCOMPARE(scale.endNs(), double(duration));
        QCOMPARE(scale.windowNs(), window);

        scale.pan(-100);  // 100 px at 0.01 ns/px
        QVERIFY(fuzzyEqual(scale.endNs(), double(duration) - 1, double(duration)));

        scale.fitAll();
        QVERIFY(scale.isFitAll());
        scale.pan(10);
        QVERIFY(scale.isFitAll());  // nothing to pan at full view
    }

    void precisionFloor()
    {
        QCOMPARE(TimeScale(5 * kMs, 1000).minNsPerPixel(), TimeScale::MinNsPerPixel);
        // 400 days: doubles are 8 ns apart at the end of the trace; zoom stops where they still
        // place a pixel exactly enough.
        TimeScale longTrace(400 * kDay, 1000);
        QVERIFY(longTrace.minNsPerPixel() > 100);
        longTrace.zoom(1e15, 999);
        QVERIFY(std::abs(longTrace.nsPerPixel() / longTrace.minNsPerPixel() - 1) < 1e-3);
        const double t = longTrace.t(500);
        QVERIFY(std::abs(longTrace.x(t) - 500) < 0.1);
        QVERIFY(std::abs(longTrace.x(t + longTrace.nsPerPixel()) - 501) < 0.1);
    }

    void fit_data()
    {
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<double>("start");
        QTest::addColumn<double>("end");
        // trace of 1000 ns on 500 px: the narrowest window is 5 ns
        QTest::addRow("inside") << 100.0 << 300.0 << 100.0 << 300.0;
        QTest::addRow("reversed") << 300.0 << 100.0 << 100.0 << 300.0;
        QTest::addRow("too narrow widens around the centre") << 200.0 << 201.0 << 198.0 << 203.0;
        QTest::addRow("a point") << 600.0 << 600.0 << 597.5 << 602.5;
        QTest::addRow("narrow at the start stays inside") << 0.0 << 1.0 << 0.0 << 5.0;
        QTest::addRow("past the end is shifted back") << 900.0 << 1100.0 << 800.0 << 1000.0;
        QTest::addRow("wider than the trace") << -50.0 << 5000.0 << 0.0 << 1000.0;
    }

    void fit()
    {
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(double, start);
        QFETCH(double, end);
        TimeScale scale(1000, 500);
        scale.fit(from, to);
        QCOMPARE(scale.startNs(), start);
        QCOMPARE(scale.endNs(), end);
        QCOMPARE(scale.t0(), qint64(std::floor(start)));
        QCOMPARE(scale.t1(), qint64(std::ceil(end)));
    }

    void mapping()
    {
        TimeScale scale(1000, 500);
        scale.fit(100, 300);
        QCOMPARE(scale.x(100), 0.0);
        QCOMPARE(scale.x(300), 500.0);
        QCOMPARE(scale.x(200), 250.0);
        QCOMPARE(scale.x(50), -125.0);
        QCOMPARE(scale.t(250), 200.0);
        QCOMPARE(scale.nsPerPixel(), 0.4);
        scale.pan(50);  // 50 px = 20 ns later
        QCOMPARE(scale.startNs(), 120.0);
        QCOMPARE(scale.endNs(), 320.0);
    }

    void resizeKeepsWindow()
    {
        TimeScale scale(1000, 500);
        scale.fit(100, 300);
        scale.setWidth(1000);
        QCOMPARE(scale.startNs(), 100.0);
        QCOMPARE(scale.endNs(), 300.0);
        QCOMPARE(scale.x(300), 1000.0);
        scale.setTraceDuration(250);  // a shorter trace pulls the window back inside
        QCOMPARE(scale.startNs(), 50.0);
        QCOMPARE(scale.endNs(), 250.0);
    }

    void degenerateTraces()
    {
        TimeScale empty(0, 1000);  // a single instant still gets a 10 ns (deepest zoom) window
        QCOMPARE(empty.startNs(), 0.0);
        QCOMPARE(empty.endNs(), 10.0);
        QVERIFY(!empty.ticks(50).isEmpty());

        TimeScale zeroWidth(1000, 0);  // before the widget is laid out
        QCOMPARE(zeroWidth.width(), 1.0);
        QCOMPARE(zeroWidth.endNs(), 1000.0);
        zeroWidth.zoom(2, 0);
        QVERIFY(std::isfinite(zeroWidth.startNs()) && std::isfinite(zeroWidth.endNs()));

        TimeScale scale(1000, 500);
        const TimeScale before = scale;
        scale.zoom(0, 10);
        scale.zoom(std::nan(""), 10);
        scale.pan(std::nan(""));
        QCOMPARE(scale, before);
    }
};

QTEST_GUILESS_MAIN(TestTimeScale)
#include "tst_timescale.moc"
