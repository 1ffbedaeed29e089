#include "messageview.h"

#include "inspectorutils.h"
#include "items/jsontreemodel.h"
#include "safetextbrowser.h"

#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>
#include <QToolButton>
#include <QVBoxLayout>

namespace spanscope {

namespace {

// Content shown over all messages before long ones are cut to a short preview.
constexpr qsizetype kConversationBudget = 1024 * 1024;
constexpr qsizetype kOverBudgetPreviewChars = 2048;

QString prettyArguments(const QString &arguments, qsizetype maxChars, bool *truncated)
{
    if (arguments.size() <= InspectorLimits::PrettyJsonMaxChars && JsonTreeModel::isJsonContainer(arguments))
        return JsonTreeModel::indented(arguments, maxChars, truncated);
    return textPreview(arguments, maxChars, truncated);
}

bool isAssistant(const QString &role)
{
    const QString r = role.toLower();
    return r == QLatin1String("assistant") || r == QLatin1String("ai") || r == QLatin1String("model");
}

bool isTool(const QString &role)
{
    const QString r = role.toLower();
    return r == QLatin1String("tool") || r == QLatin1String("function") || r == QLatin1String("ipython");
}

// Empty blocks that QTextDocument keeps after a frame would add a blank line; make them thin.
void collapseBlock(QTextCursor &cursor, qreal height = 4)
{
    QTextBlockFormat f = cursor.blockFormat();
    f.setLineHeight(height, QTextBlockFormat::FixedHeight);
    f.setTopMargin(0);
    f.setBottomMargin(0);
    cursor.setBlockFormat(f);
    QTextCharFormat cf;
    QFont tiny = cf.font();
    tiny.setPixelSize(2);
    cf.setFont(tiny);
    cursor.setBlockCharFormat(cf);
}

} // namespace

MessageView::MessageView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(8, 2, 2, 0);
    bar->setSpacing(2);
    m_info = new QLabel(this);
    m_info->setForegroundRole(QPalette::PlaceholderText);
    m_markdownButton = new QToolButton(this);
    m_markdownButton->setText(tr("Markdown"));
    m_markdownButton->setCheckable(true);
    m_markdownButton->setChecked(m_markdown);
    m_markdownButton->setAutoRaise(true);
    m_markdownButton->setFocusPolicy(Qt::TabFocus);
    m_markdownButton->setToolTip(tr("Render assistant messages as Markdown (images and other resources are never loaded)"));
    m_copyButton = new QToolButton(this);
    m_copyButton->setText(tr("Copy"));
    m_copyButton->setAutoRaise(true);
    m_copyButton->setFocusPolicy(Qt::TabFocus);
    m_copyButton->setToolTip(tr("Copy the conversation as plain text"));
    bar->addWidget(m_info);
    bar->addStretch(1);
    bar->addWidget(m_markdownButton);
    bar->addWidget(m_copyButton);
    layout->addLayout(bar);

    m_browser = new SafeTextBrowser(this);
    layout->addWidget(m_browser, 1);
    setFocusProxy(m_browser);

    connect(m_markdownButton, &QToolButton::toggled, this, &MessageView::setMarkdownEnabled);
    connect(m_copyButton, &QToolButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(plainText()); });
    connect(m_browser, &SafeTextBrowser::internalLinkActivated, this, &MessageView::onInternalLink);
}

void MessageView::setMessages(const Messages &input, const Messages &output)
{
    m_input = input;
    m_output = output;
    m_expanded.clear();
    render();
    m_browser->verticalScrollBar()->setValue(0);
}

void MessageView::clear()
{
    setMessages({}, {});
}

void MessageView::setMarkdownEnabled(bool enabled)
{
    if (m_markdown == enabled)
        return;
    m_markdown = enabled;
    {
        const QSignalBlocker block(m_markdownButton);
        m_markdownButton->setChecked(enabled);
    }
    const int scroll = m_browser->verticalScrollBar()->value();
    render();
    restoreScroll(scroll);
}

QString MessageView::plainText() const
{
    if (m_output.isEmpty())
        return messagesToPlainText(m_input);
    if (m_input.isEmpty())
        return messagesToPlainText(m_output);
    return messagesToPlainText(m_input) + QStringLiteral("\n\n--- output ---\n\n") + messagesToPlainText(m_output);
}

QString MessageView::messagesToPlainText(const Messages &messages)
{
    QStringList parts;
    parts.reserve(messages.size());
    for (const Message &m : messages) {
        QString header = QLatin1Char('[') + (m.role.isEmpty() ? QStringLiteral("message") : m.role);
        if (!m.name.isEmpty())
            header += QLatin1Char(' ') + m.name;
        header += QLatin1Char(']');
        if (!m.toolCallId.isEmpty())
            header += QStringLiteral(" (result of %1)").arg(m.toolCallId);
        if (!m.finishReason.isEmpty())
            header += QStringLiteral(" (finish: %1)").arg(m.finishReason);
        QString text = header;
        if (!m.content.isEmpty())
            text += QLatin1Char('\n') + m.content;
        for (const ToolCall &call : m.toolCalls) {
            text += QStringLiteral("\n-> %1").arg(call.name.isEmpty() ? QStringLiteral("tool") : call.name);
            if (!call.id.isEmpty())
                text += QStringLiteral(" (%1)").arg(call.id);
            if (!call.arguments.isEmpty())
                text += QLatin1Char('\n') + prettyArguments(call.arguments, -1, nullptr);
        }
        parts.append(text);
    }
    return parts.join(QStringLiteral("\n\n"));
}

void MessageView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange || event->type() == QEvent::FontChange) {
        const int scroll = m_browser->verticalScrollBar()->value();
        render();
        restoreScroll(scroll);
    }
}

void MessageView::restoreScroll(int value)
{
    if (value <= 0)
        return;
    // The new document is laid out lazily; finish it so the scroll range is known.
    m_browser->document()->size();
    m_browser->verticalScrollBar()->setValue(value);
}

void MessageView::onInternalLink(const QUrl &url)
{
    // spanscope:message/<number> shows that message in full.
    const QString path = url.path();
    if (!path.startsWith(QLatin1String("message/")))
        return;
    bool ok = false;
    const int number = path.mid(8).toInt(&ok);
    if (!ok)
        return;
    m_expanded.insert(number);
    const int scroll = m_browser->verticalScrollBar()->value();
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    render();
    QGuiApplication::restoreOverrideCursor();
    restoreScroll(scroll);
}

void MessageView::render()
{
    const int total = messageCount();
    if (m_output.isEmpty())
        m_info->setText(total == 1 ? tr("1 message") : tr("%1 messages").arg(total));
    else
        m_info->setText(tr("%1 in · %2 out").arg(m_input.size()).arg(m_output.size()));

    // Built detached so it is laid out once, when set; the previous document (a child of the
    // browser) is deleted by setDocument().
    auto *doc = new QTextDocument(m_browser);
    doc->setUndoRedoEnabled(false);
    doc->setDefaultFont(font());
    doc->setDocumentMargin(8);
    m_callAnchors.clear();
    m_nextAnchor = 0;
    if (total == 0) {
        m_browser->setDocument(doc);
        return;
    }

    const QPalette pal = palette();
    const QColor muted = mutedTextColor(pal);
    QTextCursor cursor(doc);

    QTextCharFormat labelFormat;
    {
        QFont f = font();
        f.setBold(true);
        f = scaledFont(f, 0.85);
        f.setCapitalization(QFont::AllUppercase);
        f.setLetterSpacing(QFont::AbsoluteSpacing, 0.6);
        labelFormat.setFont(f);
        labelFormat.setForeground(muted);
    }
    auto sectionLabel = [&](QTextCursor &c, const QString &text) {
        QTextBlockFormat bf;
        bf.setBottomMargin(4);
        c.setBlockFormat(bf);
        c.insertText(text, labelFormat);
    };

    qsizetype budget = kConversationBudget;
    int number = 0;
    if (!m_input.isEmpty()) {
        if (!m_output.isEmpty())
            sectionLabel(cursor, m_input.size() == 1 ? tr("Input · 1 message") : tr("Input · %1 messages").arg(m_input.size()));
        else
            collapseBlock(cursor, 1);
        for (const Message &m : std::as_const(m_input))
            renderMessage(cursor, m, number++, budget);
    }
    if (!m_output.isEmpty()) {
        const QString label = m_output.size() == 1 ? tr("Output · 1 message") : tr("Output · %1 messages").arg(m_output.size());
        if (m_input.isEmpty()) {
            sectionLabel(cursor, label);
        } else {
            // A one-cell table whose top border is the separator (block rulers take the palette's
            // Dark colour, which some dark palettes make invisible).
            QTextTableFormat tf;
            tf.setBorderCollapse(true);
            tf.setBorder(0);
            tf.setCellPadding(0);
            tf.setCellSpacing(0);
            tf.setTopMargin(6);
            tf.setWidth(QTextLength(QTextLength::PercentageLength, 100));
            QTextTable *table = cursor.insertTable(1, 1, tf);
            QTextTableCell cell = table->cellAt(0, 0);
            QTextTableCellFormat cf = cell.format().toTableCellFormat();
            cf.setTopBorder(1);
            cf.setTopBorderStyle(QTextFrameFormat::BorderStyle_Solid);
            cf.setTopBorderBrush(blendColors(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.3));
            cf.setTopPadding(8);
            cell.setFormat(cf);
            QTextCursor c = cell.firstCursorPosition();
            sectionLabel(c, label);
            cursor = doc->rootFrame()->lastCursorPosition();
            collapseBlock(cursor, 1);
        }
        for (const Message &m : std::as_const(m_output))
            renderMessage(cursor, m, number++, budget);
    }
    collapseBlock(cursor, 1);
    SafeTextBrowser::addBreakOpportunities(doc);
    m_browser->setDocument(doc);
}

void MessageView::renderMessage(QTextCursor &cursor, const Message &m, int number, qsizetype &budget)
{
    const QPalette pal = palette();
    const bool dark = isDarkPalette(pal);
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor accent = roleColor(m.role, dark);
    const QColor tint = blendColors(base, accent, dark ? 0.11 : 0.06);
    const QColor border = blendColors(base, accent, dark ? 0.42 : 0.32);
    const QColor codeBackground = blendColors(tint, text, dark ? 0.07 : 0.045);
    const QColor muted = mutedTextColor(pal);
    const QColor toolAccent = roleColor(QStringLiteral("tool"), dark);

    QTextFrameFormat ff;
    ff.setBorder(1);
    ff.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
    ff.setBorderBrush(border);
    ff.setBackground(tint);
    ff.setPadding(7);
    ff.setMargin(0);
    QTextFrame *frame = cursor.insertFrame(ff);

    QTextCharFormat plain;
    plain.setForeground(text);
    QTextCharFormat mutedFormat;
    mutedFormat.setForeground(muted);
    QTextCharFormat mono;
    mono.setFont(monospaceFont());
    mono.setForeground(text);

    // Header: ROLE · name · result of <call> · finish reason
    QTextCharFormat roleFormat;
    QFont roleFont = font();
    roleFont.setBold(true);
    roleFont = scaledFont(roleFont, 0.85);
    roleFont.setCapitalization(QFont::AllUppercase);
    roleFont.setLetterSpacing(QFont::AbsoluteSpacing, 0.6);
    roleFormat.setFont(roleFont);
    roleFormat.setForeground(accent);
    QTextBlockFormat headerBlock;
    headerBlock.setBottomMargin(3);
    cursor.setBlockFormat(headerBlock);
    cursor.insertText(m.role.isEmpty() ? tr("message") : m.role, roleFormat);
    const QString separator = QStringLiteral("  ·  ");
    if (!m.name.isEmpty())
        cursor.insertText(separator + m.name, mutedFormat);
    if (!m.toolCallId.isEmpty()) {
        cursor.insertText(separator + tr("result of "), mutedFormat);
        const auto it = m_callAnchors.constFind(m.toolCallId);
        if (it != m_callAnchors.constEnd()) {
            QTextCharFormat link = mutedFormat;
            link.setAnchor(true);
            link.setAnchorHref(QStringLiteral("#call-%1").arg(*it));
            link.setForeground(pal.color(QPalette::Link));
            link.setFontUnderline(true);
            link.setToolTip(tr("Go to the tool call"));
            cursor.insertText(m.toolCallId, link);
        } else {
            cursor.insertText(m.toolCallId, mutedFormat);
        }
    }
    if (!m.finishReason.isEmpty())
        cursor.insertText(separator + tr("finish: %1").arg(m.finishReason), mutedFormat);

    // Content
    const bool expanded = m_expanded.contains(number);
    const qsizetype limit = expanded ? m.content.size()
                                     : (budget > 0 ? InspectorLimits::MessagePreviewChars : kOverBudgetPreviewChars);
    bool truncated = false;
    const QString shown = textPreview(m.content, limit, &truncated);
    budget -= shown.size();
    if (!m.content.isEmpty()) {
        const bool json = isTool(m.role) && !truncated && shown.size() <= InspectorLimits::PrettyJsonMaxChars
            && JsonTreeModel::isJsonContainer(shown);
        if (json) {
            QTextFrameFormat code;
            code.setBackground(codeBackground);
            code.setPadding(6);
            code.setBorder(0);
            code.setTopMargin(2);
            code.setBottomMargin(0);
            cursor.insertFrame(code);
            cursor.insertText(JsonTreeModel::indented(shown), mono);
            cursor = frame->lastCursorPosition();
            collapseBlock(cursor, 2);
        } else if (m_markdown && isAssistant(m.role) && shown.size() <= InspectorLimits::MarkdownMaxChars) {
            cursor.insertBlock(QTextBlockFormat(), plain);
            SafeTextBrowser::insertSafeMarkdown(cursor, shown, pal);
        } else {
            cursor.insertBlock(QTextBlockFormat(), plain);
            cursor.insertText(shown, plain);
        }
        if (truncated) {
            cursor.insertBlock(QTextBlockFormat(), plain);
            QTextCharFormat link;
            link.setAnchor(true);
            link.setAnchorHref(QStringLiteral("spanscope:message/%1").arg(number));
            link.setForeground(pal.color(QPalette::Link));
            link.setFontUnderline(true);
            cursor.insertText(tr("Show all (%1)").arg(formatDataSize(utf8Size(m.content))), link);
        }
    } else if (m.toolCalls.isEmpty()) {
        cursor.insertBlock(QTextBlockFormat(), plain);
        QTextCharFormat italic = mutedFormat;
        italic.setFontItalic(true);
        cursor.insertText(tr("(empty)"), italic);
    }

    // Tool calls
    for (const ToolCall &call : m.toolCalls) {
        QTextBlockFormat callBlock;
        callBlock.setTopMargin(6);
        cursor.insertBlock(callBlock, plain);
        QTextCharFormat nameFormat;
        QFont nameFont = monospaceFont();
        nameFont.setBold(true);
        nameFormat.setFont(nameFont);
        nameFormat.setForeground(toolAccent);
        if (!call.id.isEmpty()) {
            const int anchor = m_nextAnchor++;
            m_callAnchors.insert(call.id, anchor);
            nameFormat.setAnchor(true);
            nameFormat.setAnchorNames({QStringLiteral("call-%1").arg(anchor)});
        }
        cursor.insertText(QStringLiteral("→ "), mutedFormat);
        cursor.insertText(call.name.isEmpty() ? tr("(unnamed tool)") : call.name, nameFormat);
        if (!call.id.isEmpty())
            cursor.insertText(QStringLiteral("  ") + call.id, mutedFormat);
        if (!call.arguments.isEmpty()) {
            bool argsTruncated = false;
            const QString args = prettyArguments(call.arguments, expanded ? -1 : InspectorLimits::MessagePreviewChars, &argsTruncated);
            QTextFrameFormat code;
            code.setBackground(codeBackground);
            code.setPadding(6);
            code.setBorder(0);
            code.setTopMargin(3);
            code.setBottomMargin(0);
            cursor.insertFrame(code);
            cursor.insertText(args, mono);
            if (argsTruncated) {
                QTextCharFormat link;
                link.setAnchor(true);
                link.setAnchorHref(QStringLiteral("spanscope:message/%1").arg(number));
                link.setForeground(pal.color(QPalette::Link));
                link.setFontUnderline(true);
                cursor.insertBlock();
                cursor.insertText(tr("Show all (%1)").arg(formatDataSize(utf8Size(call.arguments))), link);
            }
            cursor = frame->lastCursorPosition();
            collapseBlock(cursor, 2);
        }
    }

    cursor = cursor.document()->rootFrame()->lastCursorPosition();
    collapseBlock(cursor, 6);
}

} // namespace spanscope
