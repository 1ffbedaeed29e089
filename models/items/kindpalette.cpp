#include "kindpalette.h"

#include <QGuiApplication>
#include <QPalette>

#include <array>

namespace spanscope {

namespace {
struct Pair {
    QRgb light;
    QRgb dark;
};
// Order follows SpanKind. Light variants are deeper, dark variants brighter, so bars with white or
// black labels keep enough contrast on either background.
constexpr std::array<Pair, SpanKindCount> kColors = {{
    {0x8a8f98, 0x9aa0aa},  // span
    {0x7b4fd6, 0xa488f0},  // llm
    {0x2f7fc1, 0x5ea7e6},  // chain
    {0xd9822b, 0xf0a552},  // tool
    {0x1f9d74, 0x45c79b},  // retriever
    {0x0f9fb0, 0x3cc6d6},  // embedding
    {0xc2407f, 0xe57aab},  // agent
    {0x6f8f1f, 0x9cbf45},  // reranker
    {0xb58a00, 0xe0b422},  // guardrail
    {0x5a6ec9, 0x8797e6},  // evaluator
    {0x9c6b4e, 0xc7967a},  // prompt
}};
} // namespace

bool KindPalette::isDark()
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return false;
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor KindPalette::color(SpanKind kind, bool dark)
{
    const auto i = static_cast<size_t>(kind);
    const Pair &p = kColors[i < kColors.size() ? i : 0];
    return QColor::fromRgb(dark ? p.dark : p.light);
}

QColor KindPalette::color(SpanKind kind)
{
    return color(kind, isDark());
}

QColor KindPalette::errorColor() { return errorColor(isDark()); }
QColor KindPalette::errorColor(bool dark) { return dark ? QColor(0xff6b6b) : QColor(0xd32f2f); }
QColor KindPalette::mutedColor() { return isDark() ? QColor(0x8c8c8c) : QColor(0x8a8a8a); }
QColor KindPalette::criticalPathColor() { return criticalPathColor(isDark()); }
QColor KindPalette::criticalPathColor(bool dark) { return dark ? QColor(0xffd24d) : QColor(0xe6a100); }
QColor KindPalette::searchMatchColor(bool dark) { return dark ? QColor(0x8a7300) : QColor(0xffe27a); }
QColor KindPalette::addedColor() { return isDark() ? QColor(0x4caf50) : QColor(0x2e7d32); }
QColor KindPalette::removedColor() { return isDark() ? QColor(0xef5350) : QColor(0xc62828); }
QColor KindPalette::changedColor() { return isDark() ? QColor(0xffb74d) : QColor(0xef6c00); }

} // namespace spanscope
