#include "inspectorutils.h"

#include "items/kindpalette.h"

#include <QFontDatabase>
#include <QLocale>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace spanscope {

QString textPreview(const QString &text, qsizetype maxChars, bool *truncated)
{
    qsizetype n = std::min(text.size(), maxChars);
    if (n < text.size() && n > 0 && text.at(n - 1).isHighSurrogate())
        --n;
    if (truncated)
        *truncated = n < text.size();
    QString out = n < text.size() ? text.left(n) : text;
    if (out.contains(QChar(0)))
        out.replace(QChar(0), QChar(0x2400));
    return out;
}

QString displayableText(const QString &text)
{
    QString out = text;
    if (out.contains(QChar(0)))
        out.replace(QChar(0), QChar(0x2400));
    qsizetype lineStart = 0;
    bool longLine = false;
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (out.at(i) == u'\n')
            lineStart = i + 1;
        else if (i - lineStart >= InspectorLimits::LongLineChars) {
            longLine = true;
            break;
        }
    }
    if (!longLine)
        return out;
    QString broken;
    broken.reserve(out.size() + out.size() / InspectorLimits::LongLineChars + 1);
    lineStart = 0;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const QChar c = out.at(i);
        if (c == u'\n') {
            lineStart = broken.size() + 1;
        } else if (broken.size() - lineStart >= InspectorLimits::LongLineChars && !c.isLowSurrogate()) {
            broken += QLatin1Char('\n');
            lineStart = broken.size();
        }
        broken += c;
    }
    return broken;
}

qint64 utf8Size(QStringView text)
{
    qint64 n = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x80)
            n += 1;
        else if (u < 0x800)
            n += 2;
        else if (QChar::isHighSurrogate(u))
            n += 2;   // with its low surrogate: 4 bytes for the pair
        else if (QChar::isLowSurrogate(u))
            n += 2;
        else
            n += 3;
    }
    return n;
}

QString formatDataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString costText(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    const QLocale l;
    if (usd >= 1)
        return QStringLiteral("$") + l.toString(usd, 'f', 2);
    if (usd >= 0.01)
        return QStringLiteral("$") + QString::number(usd, 'f', 4);
    // Two significant digits for fractions of a cent, without trailing zeros.
    QString digits = QString::number(usd, 'f', std::min(10, 1 - int(std::floor(std::log10(usd)))));
    while (digits.endsWith(QLatin1Char('0')))
        digits.chop(1);
    return QStringLiteral("$") + digits;
}

QColor blendColors(const QColor &base, const QColor &over, qreal amount)
{
    const qreal a = std::clamp(amount, 0.0, 1.0);
    return QColor::fromRgbF(float(base.redF() * (1 - a) + over.redF() * a),
                            float(base.greenF() * (1 - a) + over.greenF() * a),
                            float(base.blueF() * (1 - a) + over.blueF() * a));
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor mutedTextColor(const QPalette &palette)
{
    return blendColors(palette.color(QPalette::Base), palette.color(QPalette::Text), isDarkPalette(palette) ? 0.62 : 0.58);
}

QColor roleColor(const QString &role, bool dark)
{
    const QString r = role.toLower();
    if (r == QLatin1String("system") || r == QLatin1String("developer"))
        return dark ? QColor(0xb0b6c0) : QColor(0x5f6b7a);
    if (r == QLatin1String("user") || r == QLatin1String("human"))
        return KindPalette::color(SpanKind::Chain, dark);
    if (r == QLatin1String("assistant") || r == QLatin1String("ai") || r == QLatin1String("model"))
        return KindPalette::color(SpanKind::Llm, dark);
    if (r == QLatin1String("tool") || r == QLatin1String("function") || r == QLatin1String("ipython"))
        return KindPalette::color(SpanKind::Tool, dark);
    return KindPalette::color(SpanKind::Retriever, dark);
}

QFont monospaceFont()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

QFont scaledFont(QFont font, qreal factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else if (font.pixelSize() > 0)
        font.setPixelSize(std::max(1, qRound(font.pixelSize() * factor)));
    return font;
}

} // namespace spanscope
