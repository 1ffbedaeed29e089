#pragma once

#include <QColor>
#include <QFont>
#include <QString>

class QPalette;

namespace spanscope {

// Shared by the inspector's views: size limits, bounded previews of huge texts, and colours that
// follow the light or dark palette.
namespace InspectorLimits {
inline constexpr qsizetype TextPreviewChars = 64 * 1024;      // shown before "Show all"
inline constexpr qsizetype MessagePreviewChars = 32 * 1024;   // per chat message
inline constexpr qsizetype MarkdownMaxChars = 200 * 1024;     // larger texts stay plain
inline constexpr qsizetype JsonTreeMaxChars = 8 * 1024 * 1024; // larger JSON is shown as text
inline constexpr qsizetype PrettyJsonMaxChars = 256 * 1024;   // tool arguments re-indented up to this
inline constexpr qsizetype LongLineChars = 16 * 1024;         // "Show all" splits longer lines for layout
}

// The first `maxChars` characters of `text` (never splitting a surrogate pair), with NUL
// characters made visible. *truncated tells whether anything was left out.
QString textPreview(const QString &text, qsizetype maxChars, bool *truncated = nullptr);
// `text` ready for a plain-text view: NULs made visible and lines longer than LongLineChars
// broken, so one 50 MB line does not have to be laid out as a single paragraph.
QString displayableText(const QString &text);
qint64 utf8Size(QStringView text);
QString formatDataSize(qint64 bytes);   // "12.3 MB"
QString costText(double usd);           // more precision than the trace list: one span is small

QColor blendColors(const QColor &base, const QColor &over, qreal amount);
QColor mutedTextColor(const QPalette &palette);
bool isDarkPalette(const QPalette &palette);
QColor roleColor(const QString &role, bool dark);   // system, user, assistant, tool, other
QFont monospaceFont();
QFont scaledFont(QFont font, qreal factor);   // works for point- and pixel-sized fonts

} // namespace spanscope
