#include "payloadview.h"

#include "inspectorutils.h"
#include "items/jsontreemodel.h"
#include "jsontreeview.h"
#include "safetextbrowser.h"

#include <QButtonGroup>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace spanscope {

namespace {

bool mimeSaysJson(const QString &mime)
{
    return mime.contains(QLatin1String("json"), Qt::CaseInsensitive);
}

// Word-boundary wrapping is very slow on long runs without spaces (minified JSON, base64); such
// text wraps anywhere instead.
bool hasLongRuns(const QString &text)
{
    constexpr int kLongRun = 400;
    int run = 0;
    for (const QChar c : text) {
        run = c.isSpace() ? 0 : run + 1;
        if (run > kLongRun)
            return true;
    }
    return false;
}

bool startsLikeJson(const QString &text)
{
    for (const QChar c : text) {
        if (c.isSpace() || c.unicode() == 0xfeff)
            continue;
        return c == u'{' || c == u'[';
    }
    return false;
}

QToolButton *makeToolButton(const QString &text, QWidget *parent, bool checkable = false)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setCheckable(checkable);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setFocusPolicy(Qt::TabFocus);
    return b;
}

} // namespace

PayloadView::PayloadView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(2, 0, 0, 0);
    bar->setSpacing(2);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setVisible(false);
    m_info = new QLabel(this);
    m_info->setTextFormat(Qt::PlainText);
    m_info->setForegroundRole(QPalette::PlaceholderText);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showAll = makeToolButton(QString(), this);
    m_showAll->setObjectName(QStringLiteral("showAllButton"));
    m_tree = makeToolButton(tr("Tree"), this, true);
    m_tree->setToolTip(tr("Show JSON as a collapsible tree"));
    m_text = makeToolButton(tr("Text"), this, true);
    m_text->setToolTip(tr("Show JSON as indented text"));
    auto *group = new QButtonGroup(this);
    group->setExclusive(true);
    group->addButton(m_tree);
    group->addButton(m_text);
    m_markdown = makeToolButton(tr("Markdown"), this, true);
    m_markdown->setToolTip(tr("Render as Markdown (remote and local images are never loaded)"));
    m_copy = makeToolButton(tr("Copy"), this);
    m_copy->setToolTip(tr("Copy the whole value"));
    bar->addWidget(m_title);
    bar->addSpacing(6);
    bar->addWidget(m_info);
    bar->addStretch(1);
    bar->addWidget(m_showAll);
    bar->addWidget(m_tree);
    bar->addWidget(m_text);
    bar->addWidget(m_markdown);
    bar->addWidget(m_copy);
    layout->addLayout(bar);

    m_stack = new QStackedWidget(this);
    m_model = new JsonTreeModel(this);
    m_treeView = new JsonTreeView(m_stack);
    m_treeView->setModel(m_model);
    m_plain = new QPlainTextEdit(m_stack);
    m_plain->setReadOnly(true);
    m_plain->setFont(monospaceFont());
    m_plain->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_plain->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_plain->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_browser = new SafeTextBrowser(m_stack);
    m_stack->addWidget(m_treeView);
    m_stack->addWidget(m_plain);
    m_stack->addWidget(m_browser);
    layout->addWidget(m_stack, 1);
    setFocusProxy(m_stack);

    connect(m_showAll, &QToolButton::clicked, this, &PayloadView::showAll);
    connect(m_tree, &QToolButton::clicked, this, [this] { setTreePreferred(true); });
    connect(m_text, &QToolButton::clicked, this, [this] { setTreePreferred(false); });
    connect(m_markdown, &QToolButton::toggled, this, &PayloadView::setMarkdownPreferred);
    connect(m_copy, &QToolButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_value); });
    updateBar();
}

void PayloadView::setTitle(const QString &title)
{
    constexpr qsizetype kTitleChars = 60;
    m_title->setText(title.size() > kTitleChars ? title.left(kTitleChars - 1) + QChar(0x2026) : title);
    m_title->setToolTip(title.size() > kTitleChars ? title : QString());
    m_title->setVisible(!title.isEmpty());
}

void PayloadView::clear()
{
    setPayload(QString(), QString());
}

void PayloadView::setPayload(const QString &value, const QString &mimeType)
{
    m_value = value;
    m_mimeType = mimeType;
    m_bytes = utf8Size(value);
    m_showingAll = false;
    m_jsonTooLarge = false;
    m_jsonInvalid = false;
    m_model->clear();
    if (value.isEmpty()) {
        m_format = Format::Empty;
    } else if (mimeSaysJson(mimeType) || startsLikeJson(value)) {
        if (value.size() > InspectorLimits::JsonTreeMaxChars) {
            m_jsonTooLarge = true;
            m_format = mimeSaysJson(mimeType) ? Format::Json : Format::Text;
        } else {
            m_format = m_model->setJson(value) ? Format::Json : Format::Text;
            m_jsonInvalid = m_format == Format::Text && mimeSaysJson(mimeType);
        }
    } else {
        m_format = Format::Text;
    }
    m_markdownNow = m_preferMarkdown || mimeType.contains(QLatin1String("markdown"), Qt::CaseInsensitive);
    render();
}

void PayloadView::showAll()
{
    if (m_showingAll)
        return;
    m_showingAll = true;
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    render();
    QGuiApplication::restoreOverrideCursor();
}

void PayloadView::setTreePreferred(bool tree)
{
    if (m_preferTree == tree && m_format == Format::Json)
        return;
    m_preferTree = tree;
    render();
}

void PayloadView::setMarkdownPreferred(bool markdown)
{
    if (m_preferMarkdown == markdown && m_markdownNow == markdown)
        return;
    m_preferMarkdown = markdown;
    m_markdownNow = markdown;
    render();
}

void PayloadView::render()
{
    m_truncated = false;
    const bool canTree = m_format == Format::Json && !m_model->isEmpty();
    const bool canMarkdown = m_format == Format::Text && m_value.size() <= InspectorLimits::MarkdownMaxChars;

    if (m_format == Format::Empty) {
        m_display = Display::None;
        m_plain->clear();
        m_browser->clear();
    } else if (canTree && m_preferTree) {
        m_display = Display::Tree;
        m_plain->clear();
        m_browser->clear();
        m_stack->setCurrentWidget(m_treeView);
        m_treeView->expandFirstLevels();
        m_treeView->fitColumns();
    } else if (canMarkdown && m_markdownNow) {
        m_display = Display::Markdown;
        m_plain->clear();
        m_browser->setSafeMarkdown(m_value);
        m_stack->setCurrentWidget(m_browser);
    } else {
        m_display = Display::PlainText;
        m_browser->clear();
        QString text;
        if (canTree) {
            // Valid JSON shown as text: re-indented, bounded unless "Show all".
            text = JsonTreeModel::indented(m_value, m_showingAll ? -1 : InspectorLimits::TextPreviewChars, &m_truncated);
            text = m_showingAll ? displayableText(text) : textPreview(text, text.size());
        } else if (m_showingAll) {
            text = displayableText(m_value);
        } else {
            text = textPreview(m_value, InspectorLimits::TextPreviewChars, &m_truncated);
        }
        m_plain->setWordWrapMode(hasLongRuns(text) ? QTextOption::WrapAnywhere : QTextOption::WrapAtWordBoundaryOrAnywhere);
        m_plain->setPlainText(text);
        m_stack->setCurrentWidget(m_plain);
    }
    updateBar();
}

void PayloadView::updateBar()
{
    const bool empty = m_format == Format::Empty;
    QString kind;
    if (m_format == Format::Json && !m_model->isEmpty())
        kind = tr("JSON");
    else if (m_jsonTooLarge)
        kind = tr("JSON text");
    else if (m_jsonInvalid)
        kind = tr("Text (invalid JSON)");
    else if (!m_mimeType.isEmpty() && !m_mimeType.startsWith(QLatin1String("text/plain")))
        kind = m_mimeType;
    else
        kind = tr("Text");
    m_info->setText(empty ? QString() : kind + QStringLiteral(" · ") + formatDataSize(m_bytes));
    m_info->setToolTip(m_jsonTooLarge ? tr("Too large to show as a tree; shown as text") : QString());

    m_showAll->setText(tr("Show all (%1)").arg(formatDataSize(m_bytes)));
    m_showAll->setToolTip(tr("Only the first %1 are shown").arg(formatDataSize(InspectorLimits::TextPreviewChars)));
    m_showAll->setVisible(m_truncated);

    const bool canTree = m_format == Format::Json && !m_model->isEmpty();
    m_tree->setVisible(canTree);
    m_text->setVisible(canTree);
    m_tree->setChecked(m_display == Display::Tree);
    m_text->setChecked(canTree && m_display != Display::Tree);

    const bool canMarkdown = m_format == Format::Text && m_value.size() <= InspectorLimits::MarkdownMaxChars;
    m_markdown->setVisible(m_format == Format::Text);
    m_markdown->setEnabled(canMarkdown);
    m_markdown->setToolTip(canMarkdown ? tr("Render as Markdown (images and other resources are never loaded)")
                                       : tr("Too large to render as Markdown"));
    {
        const QSignalBlocker block(m_markdown);
        m_markdown->setChecked(m_display == Display::Markdown);
    }
    m_copy->setEnabled(!empty);
    m_stack->setVisible(!empty);
}

} // namespace spanscope
