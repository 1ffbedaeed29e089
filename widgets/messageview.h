#pragma once

#include "trace/span.h"

#include <QSet>
#include <QWidget>

class QLabel;
class QTextCursor;
class QToolButton;

namespace spanscope {

class SafeTextBrowser;

// A span's chat: input messages, a separator, then output messages, each a role-labelled block
// (system, user, assistant, tool tinted differently). Assistant text is rendered as Markdown
// (never loading a resource); tool calls show their name, id and re-indented arguments, and a tool
// result links back to the call it answers. Long messages show their first part with a
// "Show all" link.
class MessageView : public QWidget
{
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);

    void setMessages(const Messages &input, const Messages &output);
    void clear();
    int messageCount() const { return int(m_input.size() + m_output.size()); }

    bool isMarkdownEnabled() const { return m_markdown; }
    void setMarkdownEnabled(bool enabled);

    SafeTextBrowser *browser() const { return m_browser; }
    QString plainText() const;   // the whole conversation, as Copy puts it on the clipboard

    // Messages as plain text ("[role]" headers, tool calls with their arguments), for copying and
    // for comparing two spans' conversations.
    static QString messagesToPlainText(const Messages &messages);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    void renderMessage(QTextCursor &cursor, const Message &message, int number, qsizetype &budget);
    void onInternalLink(const QUrl &url);
    void restoreScroll(int value);

    QLabel *m_info = nullptr;
    QToolButton *m_markdownButton = nullptr;
    QToolButton *m_copyButton = nullptr;
    SafeTextBrowser *m_browser = nullptr;
    Messages m_input;
    Messages m_output;
    QSet<int> m_expanded;            // message numbers shown in full
    QHash<QString, int> m_callAnchors; // tool call id -> anchor number, while rendering
    int m_nextAnchor = 0;
    bool m_markdown = true;
};

} // namespace spanscope
