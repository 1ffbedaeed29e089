#include "comparediffpane.h"

#include "items/kindpalette.h"
#include "messageview.h"
#include "safetextbrowser.h"

#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QTabBar>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace spanscope {

namespace {

QTextCharFormat removedFormat()
{
    QTextCharFormat f;
    QColor bg = KindPalette::removedColor();
    bg.setAlpha(KindPalette::isDark() ? 70 : 45);
    // In a dark palette the red itself is too dim on its own tint: the text is lighter.
    f.setForeground(KindPalette::isDark() ? QColor(0xff8a80) : KindPalette::removedColor());
    f.setBackground(bg);
    f.setFontStrikeOut(true);
    return f;
}

QTextCharFormat addedFormat()
{
    QTextCharFormat f;
    QColor bg = KindPalette::addedColor();
    bg.setAlpha(KindPalette::isDark() ? 70 : 45);
    // In a dark palette the green itself is too dim on its own tint: the text stays light.
    f.setForeground(KindPalette::isDark() ? QColor(0xa5d6a7) : KindPalette::addedColor().darker(115));
    f.setBackground(bg);
    return f;
}

Messages withoutIds(Messages messages)
{
    for (Message &m : messages) {
        m.toolCallId.clear();
        for (ToolCall &c : m.toolCalls)
            c.id.clear();
    }
    return messages;
}

} // namespace

CompareDiffPane::CompareDiffPane(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString names[TabCount] = {tr("Input"), tr("Output"), tr("Messages"), tr("Parameters"), tr("Attributes")};
    for (int t = 0; t < TabCount; ++t) {
        m_browsers[t] = new SafeTextBrowser(m_tabs);
        m_browsers[t]->setObjectName(QStringLiteral("compareDiff%1").arg(t));
        m_tabs->addTab(m_browsers[t], names[t]);
    }
    m_tabs->setDocumentMode(true);
    const int m = fontMetrics().averageCharWidth();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(m, m / 2, m, 0);
    layout->setSpacing(m / 2);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
    clear();
}

QString CompareDiffPane::messagesText(const Span &span)
{
    const QString in = MessageView::messagesToPlainText(withoutIds(span.inputMessages));
    const QString out = MessageView::messagesToPlainText(withoutIds(span.outputMessages));
    if (span.outputMessages.isEmpty())
        return in;
    if (span.inputMessages.isEmpty())
        return out;
    return in + QStringLiteral("\n\n--- output ---\n\n") + out;
}

void CompareDiffPane::setSpans(const Span *a, const Span *b, const QString &note)
{
    if (!a && !b)
        return clear();
    m_hasSpans = true;
    m_onlyA = !b;
    m_onlyB = !a;
    m_diff = diffSpanDetails(a, b);
    m_messages = diffWords(a ? messagesText(*a) : QString(), b ? messagesText(*b) : QString());

    auto name = [](const Span *s) {
        return QStringLiteral("<b>%1</b> <span style=\"color:%2\">[%3]</span>")
            .arg(s->name.toHtmlEscaped(), KindPalette::mutedColor().name(), spanKindName(s->kind));
    };
    if (a && b) {
        m_titleHtml = (a->name == b->name && a->kind == b->kind) ? name(b) : name(a) + QStringLiteral(" → ") + name(b);
    } else {
        const QColor c = a ? KindPalette::removedColor() : KindPalette::addedColor();
        m_titleHtml = name(a ? a : b) + QStringLiteral(" &nbsp;<span style=\"color:%1\">%2</span>")
                                            .arg(c.name(), a ? tr("only in A (removed)") : tr("only in B (added)"));
    }
    if (!note.isEmpty())
        m_titleHtml += QStringLiteral(" &nbsp;·&nbsp; <span style=\"color:%1\">%2</span>").arg(KindPalette::mutedColor().name(), note.toHtmlEscaped());
    render();

    // Show a tab that has something to show, unless the current one does.
    if (!m_changed[m_tabs->currentIndex()]) {
        for (int t = 0; t < TabCount; ++t) {
            if (m_changed[t]) {
                m_tabs->setCurrentIndex(t);
                break;
            }
        }
    }
}

void CompareDiffPane::clear()
{
    m_hasSpans = false;
    m_diff = SpanPairDiff();
    m_messages.clear();
    m_titleHtml = QStringLiteral("<span style=\"color:%1\">%2</span>")
                      .arg(KindPalette::mutedColor().name(), tr("Select a row to compare its spans' content").toHtmlEscaped());
    render();
}

QString CompareDiffPane::titleText() const
{
    QTextDocument d;
    d.setHtml(m_titleHtml);
    return d.toPlainText();
}

void CompareDiffPane::render()
{
    m_title->setText(m_titleHtml);
    const FieldDiff *fields[TabCount] = {&m_diff.input, &m_diff.output, nullptr, &m_diff.parameters, &m_diff.attributes};
    for (int t = 0; t < TabCount; ++t) {
        SafeTextBrowser *browser = m_browsers[t];
        if (!m_hasSpans) {
            browser->clear();
            m_changed[t] = false;
        } else if (t == MessagesTab) {
            m_changed[t] = hasChanges(m_messages);
            renderText(browser, m_messages, false);
        } else {
            m_changed[t] = fields[t]->changed();
            renderField(browser, *fields[t]);
        }
        const QString base = m_tabs->tabText(t).remove(QStringLiteral(" ●"));
        m_tabs->setTabText(t, m_changed[t] ? base + QStringLiteral(" ●") : base);
        m_tabs->tabBar()->setTabTextColor(t, m_changed[t] ? KindPalette::changedColor() : palette().color(QPalette::WindowText));
        m_tabs->setTabToolTip(t, m_changed[t] ? tr("Differs between A and B") : tr("Same in A and B"));
    }
}

void CompareDiffPane::insertWordDiff(QTextCursor &cursor, const TextDiff &diff)
{
    const QTextCharFormat plain = cursor.charFormat();
    QTextCharFormat removed = plain;
    removed.merge(removedFormat());
    QTextCharFormat added = plain;
    added.merge(addedFormat());
    for (const TextDiffSegment &s : diff) {
        switch (s.kind) {
        case TextDiffSegment::Equal: cursor.insertText(s.text, plain); break;
        case TextDiffSegment::Removed: cursor.insertText(s.text, removed); break;
        case TextDiffSegment::Added: cursor.insertText(s.text, added); break;
        }
    }
    cursor.setCharFormat(plain);
}

void CompareDiffPane::renderText(SafeTextBrowser *browser, const TextDiff &diff, bool monospace)
{
    browser->clear();
    QTextDocument *doc = browser->document();
    QTextCursor cursor(doc);
    QTextCharFormat base;
    if (monospace)
        base.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    cursor.setCharFormat(base);
    QTextCharFormat muted = base;
    muted.setForeground(KindPalette::mutedColor());
    if (diff.isEmpty()) {
        cursor.insertText(tr("Empty on both sides."), muted);
    } else {
        if (!hasChanges(diff)) {
            cursor.insertText(tr("No difference."), muted);
            cursor.insertBlock();
            cursor.insertBlock();
        }
        cursor.setCharFormat(base);
        insertWordDiff(cursor, diff);
    }
    SafeTextBrowser::addBreakOpportunities(doc);
    browser->moveCursor(QTextCursor::Start);
}

void CompareDiffPane::renderField(SafeTextBrowser *browser, const FieldDiff &field)
{
    if (field.mode == FieldDiff::Mode::Text)
        return renderText(browser, field.words, false);

    browser->clear();
    QTextDocument *doc = browser->document();
    QTextCursor cursor(doc);
    QTextCharFormat base;
    base.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QTextCharFormat muted = base;
    muted.setForeground(KindPalette::mutedColor());
    QTextCharFormat bold = base;
    bold.setFontWeight(QFont::Bold);
    QTextCharFormat removed = base;
    removed.merge(removedFormat());
    QTextCharFormat added = base;
    added.merge(addedFormat());

    if (field.keys.isEmpty()) {
        if (field.before.isEmpty() && field.after.isEmpty()) {
            cursor.insertText(tr("Empty on both sides."), muted);
        } else {
            cursor.insertText(tr("No difference."), muted);
            cursor.insertBlock();
            cursor.insertBlock();
            cursor.insertText(field.after, base);
        }
    } else {
        const QString summary = field.keys.size() == 1 ? tr("1 key differs") : tr("%1 keys differ").arg(field.keys.size());
        cursor.insertText(summary, muted);
        for (const JsonChange &c : field.keys) {
            cursor.insertBlock();
            const QString path = c.path.isEmpty() ? field.field : c.path;
            switch (c.kind) {
            case JsonChange::Added:
                cursor.insertText(QStringLiteral("+ "), added);
                cursor.insertText(path, bold);
                cursor.insertText(QStringLiteral(": "), base);
                cursor.insertText(compactJson(c.after), added);
                break;
            case JsonChange::Removed:
                cursor.insertText(QStringLiteral("− "), removed);
                cursor.insertText(path, bold);
                cursor.insertText(QStringLiteral(": "), base);
                cursor.insertText(compactJson(c.before), removed);
                break;
            case JsonChange::Changed:
                cursor.insertText(QStringLiteral("~ "), base);
                cursor.insertText(path, bold);
                cursor.insertText(QStringLiteral(": "), base);
                cursor.setCharFormat(base);
                if (c.before.isString() && c.after.isString()) {
                    insertWordDiff(cursor, diffWords(c.before.toString(), c.after.toString()));
                } else {
                    cursor.insertText(compactJson(c.before), removed);
                    cursor.insertText(QStringLiteral(" → "), base);
                    cursor.insertText(compactJson(c.after), added);
                }
                break;
            }
        }
    }
    SafeTextBrowser::addBreakOpportunities(doc);
    browser->moveCursor(QTextCursor::Start);
}

void CompareDiffPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The formats carry palette-dependent colours.
    if (event->type() == QEvent::PaletteChange)
        render();
}

} // namespace spanscope
