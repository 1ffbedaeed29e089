#include "timestamps.h"

#include <cmath>
#include <limits>

namespace spanscope::timestamps {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

bool isLeap(qint64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(qint64 y, unsigned m)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

class Cursor
{
public:
    explicit Cursor(std::string_view s) : m_s(s) {}
    bool atEnd() const { return m_i >= m_s.size(); }
    char peek() const { return atEnd() ? '\0' : m_s[m_i]; }
    void skip() { ++m_i; }
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_i;
        return true;
    }
    // Exactly n digits.
    bool digits(int n, int &out)
    {
        out = 0;
        for (int k = 0; k < n; ++k) {
            const char c = peek();
            if (c < '0' || c > '9')
                return false;
            out = out * 10 + (c - '0');
            ++m_i;
        }
        return true;
    }

private:
    std::string_view m_s;
    size_t m_i = 0;
};

std::optional<qint64> compose(int year, int month, int day, int hour, int minute, int second, qint64 fractionNs, qint64 offsetSeconds)
{
    if (month < 1 || month > 12 || day < 1 || unsigned(day) > daysInMonth(year, unsigned(month)) || hour > 24 || minute > 59
        || second > 60)
        return std::nullopt;
    if (hour == 24 && (minute != 0 || second != 0 || fractionNs != 0))
        return std::nullopt;
    // Leap seconds fold into the next second's start, as most libraries do.
    const qint64 days = daysFromCivil(year, unsigned(month), unsigned(day));
    const qint64 seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    // int64 nanoseconds reach from 1677-09-21 to 2262-04-11.
    constexpr qint64 maxSeconds = std::numeric_limits<qint64>::max() / 1000000000 - 1;
    if (seconds < -maxSeconds || seconds > maxSeconds)
        return std::nullopt;
    return seconds * 1000000000 + fractionNs;
}

} // namespace

std::optional<qint64> parseIso8601(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    Cursor c(text);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!c.digits(4, year) || !c.take('-') || !c.digits(2, month) || !c.take('-') || !c.digits(2, day))
        return std::nullopt;
    if (c.atEnd())
        return compose(year, month, day, 0, 0, 0, 0, 0);
    if (!c.take('T') && !c.take('t') && !c.take(' '))
        return std::nullopt;
    if (!c.digits(2, hour) || !c.take(':') || !c.digits(2, minute))
        return std::nullopt;
    if (c.take(':') && !c.digits(2, second))
        return std::nullopt;
    qint64 fraction = 0;
    if (c.take('.') || c.take(',')) {
        int n = 0;
        while (!c.atEnd() && c.peek() >= '0' && c.peek() <= '9') {
            if (n < 9) {
                fraction = fraction * 10 + (c.peek() - '0');
                ++n;
            }
            c.skip();
        }
        if (n == 0)
            return std::nullopt;
        for (; n < 9; ++n)
            fraction *= 10;
    }
    qint64 offset = 0;
    if (c.take('Z') || c.take('z')) {
        // UTC
    } else if (c.peek() == '+' || c.peek() == '-') {
        const bool negative = c.peek() == '-';
        c.skip();
        int oh = 0, om = 0;
        if (!c.digits(2, oh))
            return std::nullopt;
        if (c.take(':')) {
            if (!c.digits(2, om))
                return std::nullopt;
        } else if (!c.atEnd() && !c.digits(2, om)) {
            return std::nullopt;
        }
        if (oh > 23 || om > 59)
            return std::nullopt;
        offset = (oh * 3600 + om * 60) * (negative ? -1 : 1);
    }
    if (!c.atEnd())
        return std::nullopt;
    return compose(year, month, day, hour, minute, second, fraction, offset);
}

std::optional<qint64> parseIso8601(QStringView text)
{
    if (text.size() > 64)
        return std::nullopt;
    const QByteArray latin = text.toLatin1();
    return parseIso8601(std::string_view(latin.constData(), size_t(latin.size())));
}

std::optional<qint64> parseCompactStamp(std::string_view text)
{
    // YYYYMMDDTHHMMSSffffffZ
    Cursor c(text);
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
    if (!c.digits(4, year) || !c.digits(2, month) || !c.digits(2, day) || !c.take('T') || !c.digits(2, hour)
        || !c.digits(2, minute) || !c.digits(2, second) || !c.digits(6, micros) || !c.take('Z') || !c.atEnd())
        return std::nullopt;
    return compose(year, month, day, hour, minute, second, qint64(micros) * 1000, 0);
}

std::optional<qint64> epochToNs(double value)
{
    if (!std::isfinite(value) || value < 0)
        return std::nullopt;
    if (value == std::trunc(value) && value < 9.2e18) {
        // Whole numbers in integer arithmetic: a double cannot hold every nanosecond.
        const qint64 i = qint64(value);
        if (i >= 100000000000000000LL)
            return i;
        if (i >= 100000000000000LL)
            return scaled(i, 1000);
        if (i >= 100000000000LL)
            return scaled(i, 1000000);
        return scaled(i, 1000000000);
    }
    double ns = 0;
    if (value < 1e11)        // seconds (until the year 5138)
        ns = value * 1e9;
    else if (value < 1e14)   // milliseconds
        ns = value * 1e6;
    else if (value < 1e17)   // microseconds
        ns = value * 1e3;
    else
        ns = value;
    if (ns >= 9.2e18)
        return std::nullopt;
    return qint64(std::llround(ns));
}

std::optional<qint64> scaled(qint64 value, qint64 factor)
{
    if (value < 0 || factor <= 0 || value > std::numeric_limits<qint64>::max() / factor)
        return std::nullopt;
    return value * factor;
}

QString toIso8601(qint64 ns)
{
    qint64 seconds = ns / 1000000000;
    qint64 fraction = ns % 1000000000;
    if (fraction < 0) {
        fraction += 1000000000;
        --seconds;
    }
    qint64 days = seconds / 86400;
    qint64 rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // civil_from_days
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const qint64 y = qint64(yoe) + era * 400 + (m <= 2);

    QString out = QStringLiteral("%1-%2-%3T%4:%5:%6")
                      .arg(y, 4, 10, QLatin1Char('0'))
                      .arg(m, 2, 10, QLatin1Char('0'))
                      .arg(d, 2, 10, QLatin1Char('0'))
                      .arg(rem / 3600, 2, 10, QLatin1Char('0'))
                      .arg(rem % 3600 / 60, 2, 10, QLatin1Char('0'))
                      .arg(rem % 60, 2, 10, QLatin1Char('0'));
    if (fraction != 0) {
        QString f = QStringLiteral("%1").arg(fraction, 9, 10, QLatin1Char('0'));
        while (f.endsWith(QLatin1Char('0')))
            f.chop(1);
        // Whole milliseconds or microseconds read better in groups of three.
        while (f.size() % 3 != 0)
            f += QLatin1Char('0');
        out += QLatin1Char('.') + f;
    }
    out += QLatin1Char('Z');
    return out;
}

} // namespace spanscope::timestamps
