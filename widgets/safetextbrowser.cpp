#include "safetextbrowser.h"

#include "inspectorutils.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QImage>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>

namespace spanscope {

namespace {

SafeTextBrowser::LinkPrompt &linkPrompt()
{
    static SafeTextBrowser::LinkPrompt prompt;
    return prompt;
}

bool isWebLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto");
}

SafeTextBrowser::LinkAction askAboutLink(QWidget *parent, const QUrl &url)
{
    QMessageBox box(parent);
    box.setIcon(QMessageBox::Question);
    box.setWindowTitle(SafeTextBrowser::tr("Open Link"));
    box.setText(isWebLink(url) ? SafeTextBrowser::tr("Open this link in your web browser?")
                               : SafeTextBrowser::tr("This link cannot be opened from here. Copy it?"));
    box.setInformativeText(url.toDisplayString().left(2000).toHtmlEscaped());
    QPushButton *open = isWebLink(url) ? box.addButton(SafeTextBrowser::tr("Open in Browser"), QMessageBox::AcceptRole) : nullptr;
    QPushButton *copy = box.addButton(SafeTextBrowser::tr("Copy Link"), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(copy);
    box.exec();
    if (open && box.clickedButton() == open)
        return SafeTextBrowser::LinkAction::Open;
    if (box.clickedButton() == copy)
        return SafeTextBrowser::LinkAction::Copy;
    return SafeTextBrowser::LinkAction::Ignore;
}

QImage blockedImagePlaceholder()
{
    QImage image(16, 16, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setPen(QColor(128, 128, 128, 200));
    p.drawRect(QRectF(0.5, 0.5, 15, 15));
    p.drawLine(QPointF(3, 13), QPointF(13, 3));
    return image;
}

bool isCodeBlock(const QTextBlock &block)
{
    const QTextBlockFormat f = block.blockFormat();
    return f.hasProperty(QTextFormat::BlockCodeFence) || f.hasProperty(QTextFormat::BlockCodeLanguage)
        || f.nonBreakableLines();
}

} // namespace

SafeTextBrowser::SafeTextBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setUndoRedoEnabled(false);
    connect(this, &QTextBrowser::anchorClicked, this, &SafeTextBrowser::onAnchorClicked);
}

void SafeTextBrowser::setLinkPrompt(LinkPrompt prompt)
{
    linkPrompt() = std::move(prompt);
}

QVariant SafeTextBrowser::loadResource(int type, const QUrl &name)
{
    ++m_resourceRequests;
    Q_EMIT resourceBlocked(name);
    // A null QVariant would make QTextDocument try the URL as a local file; answer with something
    // inert instead.
    if (type == QTextDocument::ImageResource) {
        static const QImage placeholder = blockedImagePlaceholder();
        return placeholder;
    }
    return QString();
}

void SafeTextBrowser::doSetSource(const QUrl &name, QTextDocument::ResourceType type)
{
    // Never navigate: the content is always set directly.
    Q_UNUSED(name);
    Q_UNUSED(type);
}

void SafeTextBrowser::onAnchorClicked(const QUrl &url)
{
    if (url.scheme() == QLatin1String("spanscope")) {
        Q_EMIT internalLinkActivated(url);
        return;
    }
    if (url.scheme().isEmpty() && url.path().isEmpty() && url.hasFragment()) {
        scrollToAnchor(url.fragment(QUrl::FullyDecoded));
        return;
    }
    const LinkAction action = linkPrompt() ? linkPrompt()(this, url) : askAboutLink(this, url);
    if (action == LinkAction::Open && isWebLink(url))
        QDesktopServices::openUrl(url);
    else if (action == LinkAction::Copy)
        QGuiApplication::clipboard()->setText(url.toString());
}

void SafeTextBrowser::insertSafeMarkdown(QTextCursor &cursor, const QString &markdown, const QPalette &palette)
{
    // Parsed into a scratch document that is never laid out (so nothing is loaded), cleaned up,
    // then inserted as a fragment.
    QTextDocument scratch;
    scratch.setResourceProvider([](const QUrl &) { return QVariant(QString()); });
    scratch.setMarkdown(markdown, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));

    struct Image {
        int position;
        int length;
        QString url;
        QString alt;
    };
    QList<Image> images;
    QList<QPair<int, int>> inlineCode;
    const QColor codeBackground = blendColors(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.07);
    for (QTextBlock block = scratch.begin(); block.isValid(); block = block.next()) {
        if (const int level = block.blockFormat().headingLevel(); level > 0) {
            // Headings inside a message or payload: emphasised, but not page-sized.
            QTextCursor c(block);
            c.select(QTextCursor::BlockUnderCursor);
            QTextCharFormat f;
            f.setProperty(QTextFormat::FontSizeAdjustment, level <= 2 ? 1 : 0);
            f.setFontWeight(QFont::Bold);
            c.mergeCharFormat(f);
        }
        const bool codeBlock = isCodeBlock(block);
        if (codeBlock) {
            QTextCursor c(block);
            QTextBlockFormat f = block.blockFormat();
            f.setBackground(codeBackground);
            c.setBlockFormat(f);
        }
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid())
                continue;
            const QTextCharFormat cf = fragment.charFormat();
            if (cf.isImageFormat()) {
                const QTextImageFormat img = cf.toImageFormat();
                images.append({fragment.position(), fragment.length(), img.name(), img.property(QTextFormat::ImageAltText).toString()});
            } else if (!codeBlock && cf.fontFixedPitch()) {
                inlineCode.append({fragment.position(), fragment.length()});
            }
        }
    }
    for (const auto &[position, length] : std::as_const(inlineCode)) {
        QTextCursor c(&scratch);
        c.setPosition(position);
        c.setPosition(position + length, QTextCursor::KeepAnchor);
        QTextCharFormat f;
        f.setBackground(codeBackground);
        c.mergeCharFormat(f);
    }
    for (auto it = images.crbegin(); it != images.crend(); ++it) {
        QTextCursor c(&scratch);
        c.setPosition(it->position);
        c.setPosition(it->position + it->length, QTextCursor::KeepAnchor);
        QTextCharFormat link;
        link.setAnchor(true);
        link.setAnchorHref(it->url);
        link.setForeground(palette.color(QPalette::Link));
        link.setFontUnderline(true);
        link.setToolTip(it->url);
        const QString label = it->alt.isEmpty() ? tr("[image: %1]").arg(it->url) : tr("[image “%1”: %2]").arg(it->alt, it->url);
        c.insertText(label, link);
    }
    addBreakOpportunities(&scratch);
    cursor.insertFragment(QTextDocumentFragment(&scratch));
}

void SafeTextBrowser::addBreakOpportunities(QTextDocument *document)
{
    QList<int> positions;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const QString text = block.text();
        if (text.size() <= LongRunChars)
            continue;
        int run = 0;
        for (int i = 0; i < text.size(); ++i) {
            const QChar c = text.at(i);
            if (c.isSpace() || c.unicode() == 0x200b) {
                run = 0;
            } else if (++run > LongRunChars && !c.isLowSurrogate()) {
                positions.append(block.position() + i);
                run = 1;
            }
        }
    }
    if (positions.isEmpty())
        return;
    QTextCursor cursor(document);
    cursor.beginEditBlock();
    for (auto it = positions.crbegin(); it != positions.crend(); ++it) {
        cursor.setPosition(*it);
        cursor.insertText(QString(QChar(0x200b)));
    }
    cursor.endEditBlock();
}

void SafeTextBrowser::setSafeMarkdown(const QString &markdown)
{
    // Built detached and laid out once when set; the previous document, a child of this view, is
    // deleted by setDocument().
    auto *doc = new QTextDocument(this);
    doc->setUndoRedoEnabled(false);
    doc->setDefaultFont(font());
    QTextCursor cursor(doc);
    insertSafeMarkdown(cursor, markdown, palette());
    setDocument(doc);
    moveCursor(QTextCursor::Start);
}

} // namespace spanscope
