#pragma once

#include <QTextBrowser>

#include <functional>

class QTextCursor;

namespace spanscope {

// A read-only rich-text view that never loads anything. Every resource a document refers to
// (images, style sheets, linked pages; remote, local file or data: URL) is answered by
// loadResource() with an inert placeholder, which also keeps QTextDocument from falling back to
// reading local files itself. Links are never followed: an in-document anchor scrolls, a
// "spanscope:" link is handed to the owner, and any other link asks whether to open it in the
// system browser or copy it.
class SafeTextBrowser : public QTextBrowser
{
    Q_OBJECT
public:
    enum class LinkAction { Ignore, Open, Copy };
    using LinkPrompt = std::function<LinkAction(QWidget *parent, const QUrl &url)>;

    explicit SafeTextBrowser(QWidget *parent = nullptr);

    // Replaces the content with Markdown (GitHub dialect): raw HTML stays visible as text, images
    // become links showing their URL, code gets a tinted background.
    void setSafeMarkdown(const QString &markdown);
    // Inserts Markdown the same way at `cursor`.
    static void insertSafeMarkdown(QTextCursor &cursor, const QString &markdown, const QPalette &palette);

    // How many resources documents shown here asked for (all of them were refused).
    // Qt's word-boundary wrapping gets very slow on long runs without a break opportunity (100 KB
    // of base64 or minified JSON takes seconds), so such runs get a zero-width space every
    // LongRunChars characters. Only the shown text changes: links keep their targets and Copy
    // buttons copy the original value.
    static void addBreakOpportunities(QTextDocument *document);
    static constexpr int LongRunChars = 160;

    int resourceRequestCount() const { return m_resourceRequests; }
    QVariant loadResource(int type, const QUrl &name) override;

    // Replaces the "open or copy?" question (tests; nullptr restores the dialog).
    static void setLinkPrompt(LinkPrompt prompt);

Q_SIGNALS:
    void resourceBlocked(const QUrl &url);
    void internalLinkActivated(const QUrl &url);   // scheme "spanscope"

protected:
    void doSetSource(const QUrl &name, QTextDocument::ResourceType type) override;

private:
    void onAnchorClicked(const QUrl &url);

    int m_resourceRequests = 0;
};

} // namespace spanscope
