#pragma once
// Untrusted text on its way to a one-line display (a table cell, a tree row, a waterfall label, a
// title): Qt shapes the whole string to measure or elide it, so a 50 MB span name would stall the
// window for minutes. Views show at most the first kMaxDisplayChars characters (elided anyway);
// the full text stays in the span, the store, the inspector and every export.

#include <QString>

namespace spanscope {

inline constexpr qsizetype kMaxDisplayChars = 1000;

inline QString displayLine(const QString &text, qsizetype maxChars = kMaxDisplayChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype cut = maxChars;
    if (text.at(cut - 1).isHighSurrogate())
        --cut;   // never split a surrogate pair
    return text.left(cut) + QChar(0x2026);
}

} // namespace spanscope
