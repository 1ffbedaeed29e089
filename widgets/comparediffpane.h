#pragma once

#include "compare/spandiff.h"
#include "trace/span.h"

#include <QWidget>

class QLabel;
class QTabWidget;
class QTextCursor;

namespace spanscope {

class SafeTextBrowser;

// The content diff of the selected pair: tabs for input, output, messages, parameters and
// attributes. Text is diffed word by word (added words on green, removed ones red and struck
// through); JSON objects key by key, one line per added, removed or changed path (a changed
// string shows its word diff). A tab whose content differs is marked. An added or removed span
// shows its whole content as added or removed.
class CompareDiffPane : public QWidget
{
    Q_OBJECT
public:
    enum Tab { InputTab, OutputTab, MessagesTab, ParametersTab, AttributesTab, TabCount };

    explicit CompareDiffPane(QWidget *parent = nullptr);

    // Either may be null (a span only in B, resp. only in A); both null clears. `note` follows
    // the title, muted (the view puts what changed there: model, deltas).
    void setSpans(const Span *a, const Span *b, const QString &note = {});
    void clear();

    QTabWidget *tabs() const { return m_tabs; }
    SafeTextBrowser *browser(Tab tab) const { return m_browsers[tab]; }
    bool isChanged(Tab tab) const { return m_changed[tab]; }
    QString titleText() const;

    // Messages as the Messages tab compares them: MessageView::messagesToPlainText() of the input
    // and output messages, with tool-call ids left out (they differ on every run).
    static QString messagesText(const Span &span);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    void renderText(SafeTextBrowser *browser, const TextDiff &diff, bool monospace);
    void renderField(SafeTextBrowser *browser, const FieldDiff &field);
    void insertWordDiff(QTextCursor &cursor, const TextDiff &diff);

    QLabel *m_title;
    QTabWidget *m_tabs;
    SafeTextBrowser *m_browsers[TabCount] = {};
    bool m_changed[TabCount] = {};
    bool m_hasSpans = false;
    bool m_onlyA = false;
    bool m_onlyB = false;
    SpanPairDiff m_diff;
    TextDiff m_messages;
    QString m_titleHtml;
};

} // namespace spanscope
