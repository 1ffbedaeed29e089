#include "timescale.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace spanscope {

namespace {

constexpr qint64 kUs = 1'000;
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSec = 1'000'000'000;
constexpr qint64 kMin = 60 * kSec;
constexpr qint64 kHour = 60 * kMin;
constexpr qint64 kDay = 24 * kHour;

qint64 pow10(int e)
{
    qint64 p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

// v / d rounded half up, for v >= 0.
qint64 roundDiv(qint64 v, qint64 d) { return v / d + ((v % d) * 2 >= d ? 1 : 0); }

QString microSeconds() { return QStringLiteral(" \u00B5s"); }

// q / 10^decimals as text with exactly `decimals` digits after the point.
QString fixedPoint(qint64 q, int decimals)
{
    if (decimals <= 0)
        return QString::number(q);
    const qint64 p = pow10(decimals);
    return QString::number(q / p) + QLatin1Char('.') + QString::number(q % p).rightJustified(decimals, QLatin1Char('0'));
}

// v / 10^unitExp with at most `decimals` decimals (truncated), trailing zeros dropped.
QString trimmedFixedPoint(qint64 v, int unitExp, int decimals)
{
    decimals = std::clamp(decimals, 0, unitExp);
    const qint64 q = v / pow10(unitExp - decimals);
    QString s = fixedPoint(q, decimals);
    if (decimals > 0) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s;
}

struct Step {
    qint64 major;
    qint64 minor;  // 0: no minor ticks
};

// The ruler's major steps in increasing order. Decimal (1/2/5) up to 10 s, where a decimal ruler
// would start putting ticks at 100 s or 200 s; clock-friendly steps from there on.
const std::vector<Step> &stepLadder()
{
    static const std::vector<Step> ladder = [] {
        std::vector<Step> l;
        for (qint64 p = 1; p < 10 * kSec; p *= 10) {
            l.push_back({p, p >= 10 ? p / 5 : 0});
            l.push_back({2 * p, p >= 10 ? p / 2 : p});
            l.push_back({5 * p, p});
        }
        const Step clock[] = {
            {10 * kSec, 2 * kSec},  {15 * kSec, 5 * kSec},  {30 * kSec, 10 * kSec}, {kMin, 10 * kSec},
            {2 * kMin, 30 * kSec},  {5 * kMin, kMin},       {10 * kMin, 2 * kMin},  {15 * kMin, 5 * kMin},
            {30 * kMin, 10 * kMin}, {kHour, 15 * kMin},     {2 * kHour, 30 * kMin}, {3 * kHour, kHour},
            {6 * kHour, kHour},     {12 * kHour, 3 * kHour},
        };
        l.insert(l.end(), std::begin(clock), std::end(clock));
        for (qint64 d = kDay; d <= std::numeric_limits<qint64>::max() / 50; d *= 10) {
            l.push_back({d, d / 4});
            l.push_back({2 * d, d / 2});
            l.push_back({5 * d, d});
        }
        return l;
    }();
    return ladder;
}

const Step &stepFor(double minStepNs)
{
    const auto &ladder = stepLadder();
    for (const Step &s : ladder) {
        if (double(s.major) >= minStepNs)
            return s;
    }
    return ladder.back();
}

} // namespace

QString formatDuration(qint64 ns)
{
    if (ns < 0)
        return QLatin1Char('-') + formatDuration(ns == std::numeric_limits<qint64>::min() ? std::numeric_limits<qint64>::max() : -ns);
    if (ns < kUs)
        return QString::number(ns) + QStringLiteral(" ns");

    struct Unit {
        int exp;
        QString suffix;
    };
    const Unit units[] = {{3, microSeconds()}, {6, QStringLiteral(" ms")}, {9, QStringLiteral(" s")}};
    for (const Unit &u : units) {
        const qint64 one = pow10(u.exp);
        if (ns >= 1000 * one)
            continue;
        int decimals = ns >= 100 * one ? 0 : ns >= 10 * one ? 1 : 2;
        qint64 q = roundDiv(ns, pow10(u.exp - decimals));
        // Rounding can carry into a fourth digit (9.996 -> 10.00): drop a decimal, or move up a unit.
        if (q >= 1000 && decimals > 0) {
            --decimals;
            q = roundDiv(ns, pow10(u.exp - decimals));
        }
        if (q >= 1000)
            continue;
        if (u.exp == 9 && q >= 60 * pow10(decimals))
            break;  // "60.0 s" reads better as "1 min"
        return fixedPoint(q, decimals) + u.suffix;
    }

    const qint64 seconds = roundDiv(ns, kSec);
    if (seconds < 3600) {
        QString s = QString::number(seconds / 60) + QStringLiteral(" min");
        if (seconds % 60)
            s += QLatin1Char(' ') + QString::number(seconds % 60) + QStringLiteral(" s");
        return s;
    }
    const qint64 minutes = roundDiv(ns, kMin);
    if (minutes < 24 * 60) {
        QString s = QString::number(minutes / 60) + QStringLiteral(" h");
        if (minutes % 60)
            s += QLatin1Char(' ') + QString::number(minutes % 60) + QStringLiteral(" min");
        return s;
    }
    const qint64 hours = roundDiv(ns, kHour);
    QString s = QString::number(hours / 24) + QStringLiteral(" d");
    if (hours % 24)
        s += QLatin1Char(' ') + QString::number(hours % 24) + QStringLiteral(" h");
    return s;
}

TimeScale::TimeScale(qint64 traceDurationNs, double widthPx)
    : m_traceDurationNs(std::max<qint64>(traceDurationNs, 0))
    , m_width(widthPx >= 1 ? widthPx : 1)
{
    fitAll();
}

void TimeScale::setTraceDuration(qint64 ns)
{
    m_traceDurationNs = std::max<qint64>(ns, 0);
    setWindow(m_t0, m_t1);
}

void TimeScale::setWidth(double px)
{
    m_width = px >= 1 ? px : 1;
    setWindow(m_t0, m_t1);
}

qint64 TimeScale::t0() const { return qint64(std::floor(m_t0)); }
qint64 TimeScale::t1() const { return qint64(std::ceil(m_t1)); }

double TimeScale::minNsPerPixel() const
{
    // A double holds 53 bits: at time T its spacing is about T * 2^-52, i.e. T * 2^-48 is 1/16 of it.
    return std::max(MinNsPerPixel, std::ldexp(double(m_traceDurationNs), -48));
}

double TimeScale::minWindowNs() const { return m_width * minNsPerPixel(); }

qint64 TimeScale::boundNs() const
{
    // A trace shorter than the deepest zoom (or a single instant) still needs a window to show.
    return std::max(m_traceDurationNs, qint64(std::ceil(minWindowNs())));
}

void TimeScale::setWindow(double t0, double t1)
{
    const double bound = double(boundNs());
    const double wanted = t1 - t0;
    const double w = std::clamp(wanted, minWindowNs(), bound);
    double start = t0;
    if (wanted < w)
        start = (t0 + t1) / 2 - w / 2;  // widen around the centre
    m_t0 = std::clamp(start, 0.0, bound - w);
    m_t1 = m_t0 + w;
}

void TimeScale::zoom(double factor, double anchorX)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    const double anchorT = t(anchorX);
    const double w = std::clamp(windowNs() / factor, minWindowNs(), double(boundNs()));
    const double start = anchorT - anchorX * w / m_width;
    setWindow(start, start + w);
}

void TimeScale::pan(double dx)
{
    if (!std::isfinite(dx))
        return;
    const double shift = dx * nsPerPixel();
    setWindow(m_t0 + shift, m_t1 + shift);
}

void TimeScale::fit(double fromNs, double toNs)
{
    if (toNs < fromNs)
        std::swap(fromNs, toNs);
    setWindow(fromNs, toNs);
}

bool TimeScale::canZoomIn() const { return windowNs() > minWindowNs() * (1 + 1e-9); }
bool TimeScale::canZoomOut() const { return windowNs() < double(boundNs()) * (1 - 1e-9); }
bool TimeScale::isFitAll() const { return m_t0 <= 0 && !canZoomOut(); }

qint64 TimeScale::majorStepNs(int minPixelSpacing) const
{
    return stepFor(std::max(minPixelSpacing, 1) * nsPerPixel()).major;
}

QList<Tick> TimeScale::ticks(int minPixelSpacing) const
{
    const Step step = stepFor(std::max(minPixelSpacing, 1) * nsPerPixel());
    const qint64 every = step.minor > 0 ? step.minor : step.major;
    const qint64 first = qint64(std::ceil(m_t0 / double(every)));
    const qint64 last = qint64(std::floor(m_t1 / double(every)));
    QList<Tick> out;
    out.reserve(int(std::max<qint64>(last - first + 1, 0)));
    for (qint64 k = first; k <= last; ++k) {
        const qint64 t = k * every;
        Tick tick;
        tick.timeNs = t;
        tick.x = std::clamp(x(double(t)), 0.0, m_width);
        tick.major = t % step.major == 0;
        if (tick.major)
            tick.label = tickLabel(t, step.major);
        out.push_back(std::move(tick));
    }
    return out;
}

QString TimeScale::tickLabel(qint64 timeNs, qint64 stepNs)
{
    if (timeNs == 0)
        return QStringLiteral("0");
    if (timeNs < 0)
        return QLatin1Char('-') + tickLabel(-timeNs, stepNs);
    // Neighbouring ticks differ in the step's lowest non-zero decimal digit: show down to it.
    int resolutionExp = 0;
    for (qint64 s = std::max<qint64>(stepNs, 1); s % 10 == 0; s /= 10)
        ++resolutionExp;

    if (timeNs < kUs)
        return QString::number(timeNs) + QStringLiteral(" ns");
    if (timeNs < kMs)
        return trimmedFixedPoint(timeNs, 3, 3 - resolutionExp) + microSeconds();
    if (timeNs < kSec)
        return trimmedFixedPoint(timeNs, 6, 6 - resolutionExp) + QStringLiteral(" ms");
    if (timeNs < kMin)
        return trimmedFixedPoint(timeNs, 9, 9 - resolutionExp) + QStringLiteral(" s");

    QStringList parts;
    const qint64 days = timeNs / kDay;
    const qint64 hours = timeNs % kDay / kHour;
    const qint64 minutes = timeNs % kHour / kMin;
    const qint64 rest = timeNs % kMin;
    if (days)
        parts << QString::number(days) + QStringLiteral(" d");
    if (hours)
        parts << QString::number(hours) + QStringLiteral(" h");
    if (minutes)
        parts << QString::number(minutes) + QStringLiteral(" min");
    if (rest)
        parts << trimmedFixedPoint(rest, 9, 9 - resolutionExp) + QStringLiteral(" s");
    return parts.join(QLatin1Char(' '));
}

QString formatCount(qint64 n, const QString &singular, const QString &plural)
{
    return QLocale().toString(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

} // namespace spanscope
