#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;

namespace spanscope {

class JsonTreeModel;
class JsonTreeView;
class SafeTextBrowser;

// One payload (a span's input or output, or an attribute value): JSON as a collapsible tree or
// re-indented text, anything else as plain text or rendered Markdown. JSON is chosen when the
// MIME type says so or the text parses as an object or array. Large values show a bounded first
// part with a "Show all (12.3 MB)" button; Copy always copies the whole value.
class PayloadView : public QWidget
{
    Q_OBJECT
public:
    enum class Format { Empty, Json, Text };
    enum class Display { None, Tree, PlainText, Markdown };

    explicit PayloadView(QWidget *parent = nullptr);

    void setTitle(const QString &title);   // shown before the format and size
    void setPayload(const QString &value, const QString &mimeType = {});
    void clear();

    Format format() const { return m_format; }
    Display display() const { return m_display; }
    bool isTruncated() const { return m_truncated; }
    const QString &value() const { return m_value; }

public Q_SLOTS:
    void showAll();
    void setTreePreferred(bool tree);
    void setMarkdownPreferred(bool markdown);

private:
    void render();
    void updateBar();

    QLabel *m_title = nullptr;
    QLabel *m_info = nullptr;
    QToolButton *m_showAll = nullptr;
    QToolButton *m_tree = nullptr;
    QToolButton *m_text = nullptr;
    QToolButton *m_markdown = nullptr;
    QToolButton *m_copy = nullptr;
    QStackedWidget *m_stack = nullptr;
    JsonTreeView *m_treeView = nullptr;
    JsonTreeModel *m_model = nullptr;
    QPlainTextEdit *m_plain = nullptr;
    SafeTextBrowser *m_browser = nullptr;

    QString m_value;
    QString m_mimeType;
    qint64 m_bytes = 0;
    Format m_format = Format::Empty;
    Display m_display = Display::None;
    bool m_jsonTooLarge = false;
    bool m_jsonInvalid = false;      // said to be JSON, but does not parse
    bool m_markdownNow = false;      // this payload: preferred, or its MIME type is Markdown
    bool m_showingAll = false;
    bool m_truncated = false;
    bool m_preferTree = true;
    bool m_preferMarkdown = false;
};

} // namespace spanscope
