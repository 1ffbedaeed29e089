#include "spandetailviews.h"

#include "inspectorutils.h"
#include "items/kindpalette.h"
#include "layout/timescale.h"

#include <QEvent>
#include <QTextCursor>
#include <QTextFrame>
#include <QTextTable>
#include <QUrlQuery>

namespace spanscope {

namespace {

constexpr qsizetype kValueChars = 2000;
constexpr qsizetype kDocumentPreviewChars = 4096;
constexpr qsizetype kStackTraceChars = 64 * 1024;

bool isStyleChange(const QEvent *event)
{
    return event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange || event->type() == QEvent::FontChange;
}

// Helpers that draw cards the same way for all three views.
class CardWriter
{
public:
    explicit CardWriter(SafeTextBrowser *view)
        : m_palette(view->palette())
        , m_cursor(view->document())
    {
        QTextDocument *doc = view->document();
        doc->clear();
        doc->setDefaultFont(view->font());
        doc->setDocumentMargin(8);
        m_cursor = QTextCursor(doc);
        m_cursor.beginEditBlock();
        collapse(1);
        m_text.setForeground(m_palette.color(QPalette::Text));
        m_muted.setForeground(mutedTextColor(m_palette));
        m_mono.setFont(monospaceFont());
        m_mono.setForeground(m_palette.color(QPalette::Text));
    }
    ~CardWriter() { m_cursor.endEditBlock(); }

    const QPalette &palette() const { return m_palette; }
    QTextCursor &cursor() { return m_cursor; }
    QTextCharFormat text() const { return m_text; }
    QTextCharFormat muted() const { return m_muted; }
    QTextCharFormat mono() const { return m_mono; }
    QTextCharFormat bold(const QColor &color) const
    {
        QTextCharFormat f = m_text;
        f.setFontWeight(QFont::Bold);
        f.setForeground(color);
        return f;
    }

    void beginCard(const QColor &accent, qreal tintAmount)
    {
        const bool dark = isDarkPalette(m_palette);
        const QColor base = m_palette.color(QPalette::Base);
        m_tint = blendColors(base, accent, tintAmount * (dark ? 2.0 : 1.0));
        QTextFrameFormat ff;
        ff.setBorder(1);
        ff.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        ff.setBorderBrush(blendColors(base, accent, dark ? 0.42 : 0.3));
        ff.setBackground(m_tint);
        ff.setPadding(7);
        ff.setMargin(0);
        m_card = m_cursor.insertFrame(ff);
    }
    void newLine(qreal topMargin = 0)
    {
        QTextBlockFormat bf;
        bf.setTopMargin(topMargin);
        m_cursor.insertBlock(bf, m_text);
    }
    void codeBlock(const QString &code)
    {
        QTextFrameFormat f;
        f.setBackground(blendColors(m_tint, m_palette.color(QPalette::Text), isDarkPalette(m_palette) ? 0.07 : 0.045));
        f.setPadding(6);
        f.setBorder(0);
        f.setTopMargin(4);
        m_cursor.insertFrame(f);
        m_cursor.insertText(code, m_mono);
        m_cursor = m_card->lastCursorPosition();
        collapse(2);
    }
    // Key/value rows in a borderless two-column table.
    void keyValues(const QList<QPair<QString, QString>> &rows)
    {
        if (rows.isEmpty())
            return;
        QTextTableFormat tf;
        tf.setBorder(0);
        tf.setCellPadding(1);
        tf.setCellSpacing(0);
        tf.setTopMargin(4);
        tf.setWidth(QTextLength(QTextLength::PercentageLength, 100));
        tf.setColumnWidthConstraints({QTextLength(QTextLength::VariableLength, 0), QTextLength(QTextLength::PercentageLength, 100)});
        QTextTable *table = m_cursor.insertTable(int(rows.size()), 2, tf);
        for (int r = 0; r < rows.size(); ++r) {
            QTextCursor key = table->cellAt(r, 0).firstCursorPosition();
            QTextBlockFormat keyBlock;
            keyBlock.setRightMargin(12);
            keyBlock.setNonBreakableLines(true);
            key.setBlockFormat(keyBlock);
            key.insertText(rows[r].first, m_muted);
            QTextCursor value = table->cellAt(r, 1).firstCursorPosition();
            value.insertText(rows[r].second, m_text);
        }
        m_cursor = m_card->lastCursorPosition();
        collapse(2);
    }
    void endCard()
    {
        m_cursor = m_cursor.document()->rootFrame()->lastCursorPosition();
        collapse(6);
    }
    void collapse(qreal height)
    {
        QTextBlockFormat f;
        f.setLineHeight(height, QTextBlockFormat::FixedHeight);
        m_cursor.setBlockFormat(f);
        QTextCharFormat cf;
        QFont tiny;
        tiny.setPixelSize(2);
        cf.setFont(tiny);
        m_cursor.setBlockCharFormat(cf);
    }

private:
    QPalette m_palette;
    QTextCursor m_cursor;
    QTextFrame *m_card = nullptr;
    QColor m_tint;
    QTextCharFormat m_text;
    QTextCharFormat m_muted;
    QTextCharFormat m_mono;
};

QString shortValue(const QVariant &value)
{
    bool truncated = false;
    QString text = textPreview(attributeValueToString(value), kValueChars, &truncated);
    if (truncated)
        text += QChar(0x2026);
    return text;
}

QString offsetText(qint64 ns)
{
    return (ns < 0 ? QStringLiteral("−") : QStringLiteral("+")) + formatDuration(std::abs(ns));
}

} // namespace

EventListView::EventListView(QWidget *parent)
    : SafeTextBrowser(parent)
{
}

void EventListView::setEvents(const QList<SpanEvent> &events, qint64 spanStartNs)
{
    m_events = events;
    m_spanStartNs = spanStartNs;
    render();
}

void EventListView::changeEvent(QEvent *event)
{
    SafeTextBrowser::changeEvent(event);
    if (isStyleChange(event))
        render();
}

void EventListView::render()
{
    CardWriter w(this);
    const bool dark = isDarkPalette(w.palette());
    const QColor error = dark ? QColor(0xff6b6b) : QColor(0xd32f2f);
    const QColor accent = KindPalette::color(SpanKind::Chain, dark);
    for (const SpanEvent &e : std::as_const(m_events)) {
        const bool exception = e.isException();
        w.beginCard(exception ? error : accent, exception ? 0.06 : 0.035);
        QTextCursor &c = w.cursor();
        if (e.timeNs > 0 && m_spanStartNs > 0) {
            QTextCharFormat time = w.mono();
            time.setForeground(mutedTextColor(w.palette()));
            c.insertText(offsetText(e.timeNs - m_spanStartNs).leftJustified(10, QLatin1Char(' ')) + QLatin1Char(' '), time);
        }
        c.insertText(e.name.isEmpty() ? tr("(unnamed event)") : e.name, w.bold(exception ? error : w.palette().color(QPalette::Text)));

        QList<QPair<QString, QString>> rows;
        if (exception) {
            const QString type = e.exceptionType();
            const QString message = e.exceptionMessage();
            if (!type.isEmpty() || !message.isEmpty()) {
                w.newLine(4);
                if (!type.isEmpty())
                    c.insertText(type, w.bold(error));
                if (!message.isEmpty()) {
                    if (!type.isEmpty())
                        c.insertText(QStringLiteral(": "), w.text());
                    c.insertText(shortValue(message), w.text());
                }
            }
            const QString stack = e.exceptionStacktrace();
            if (!stack.isEmpty()) {
                bool truncated = false;
                QString shown = textPreview(stack, kStackTraceChars, &truncated);
                if (truncated)
                    shown += QStringLiteral("\n") + QChar(0x2026);
                w.codeBlock(shown);
            }
            for (const Attribute &a : e.attributes) {
                if (a.key != QLatin1String("exception.type") && a.key != QLatin1String("exception.message")
                    && a.key != QLatin1String("exception.stacktrace"))
                    rows.append({a.key, shortValue(a.value)});
            }
        } else {
            for (const Attribute &a : e.attributes)
                rows.append({a.key, shortValue(a.value)});
        }
        w.keyValues(rows);
        w.endCard();
    }
}

DocumentListView::DocumentListView(QWidget *parent)
    : SafeTextBrowser(parent)
{
}

void DocumentListView::setDocuments(const QList<RetrievalDocument> &documents)
{
    m_documents = documents;
    render();
}

void DocumentListView::changeEvent(QEvent *event)
{
    SafeTextBrowser::changeEvent(event);
    if (isStyleChange(event))
        render();
}

void DocumentListView::render()
{
    CardWriter w(this);
    const bool dark = isDarkPalette(w.palette());
    const QColor accent = KindPalette::color(SpanKind::Retriever, dark);
    int number = 0;
    for (const RetrievalDocument &d : std::as_const(m_documents)) {
        w.beginCard(accent, 0.04);
        QTextCursor &c = w.cursor();
        c.insertText(QStringLiteral("#%1").arg(++number), w.bold(accent));
        if (!d.id.isEmpty())
            c.insertText(QStringLiteral("   ") + d.id, w.mono());
        if (d.score)
            c.insertText(QStringLiteral("   ") + tr("score %1").arg(QString::number(*d.score, 'g', 4)), w.muted());
        if (!d.content.isEmpty()) {
            bool truncated = false;
            QString shown = textPreview(d.content, kDocumentPreviewChars, &truncated);
            if (truncated)
                shown += QChar(0x2026);
            w.newLine(4);
            c.insertText(shown, w.text());
            if (truncated) {
                w.newLine();
                c.insertText(tr("%1 in total").arg(formatDataSize(utf8Size(d.content))), w.muted());
            }
        }
        QList<QPair<QString, QString>> rows;
        for (auto it = d.metadata.cbegin(); it != d.metadata.cend(); ++it)
            rows.append({it.key(), shortValue(it.value())});
        w.keyValues(rows);
        w.endCard();
    }
}

LinkListView::LinkListView(QWidget *parent)
    : SafeTextBrowser(parent)
{
    connect(this, &SafeTextBrowser::internalLinkActivated, this, [this](const QUrl &url) {
        if (url.path() != QLatin1String("span"))
            return;
        const QUrlQuery query(url);
        Q_EMIT linkedSpanActivated(query.queryItemValue(QStringLiteral("trace")), query.queryItemValue(QStringLiteral("span")));
    });
}

void LinkListView::setLinks(const QList<SpanLink> &links)
{
    m_links = links;
    render();
}

void LinkListView::changeEvent(QEvent *event)
{
    SafeTextBrowser::changeEvent(event);
    if (isStyleChange(event))
        render();
}

void LinkListView::render()
{
    CardWriter w(this);
    const bool dark = isDarkPalette(w.palette());
    const QColor accent = KindPalette::color(SpanKind::Agent, dark);
    for (const SpanLink &l : std::as_const(m_links)) {
        w.beginCard(accent, 0.035);
        QTextCursor &c = w.cursor();
        QUrl url;
        url.setScheme(QStringLiteral("spanscope"));
        url.setPath(QStringLiteral("span"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("trace"), l.traceId);
        query.addQueryItem(QStringLiteral("span"), l.spanId);
        url.setQuery(query);
        QTextCharFormat link = w.mono();
        link.setAnchor(true);
        link.setAnchorHref(url.toString());
        link.setForeground(w.palette().color(QPalette::Link));
        link.setFontUnderline(true);
        link.setToolTip(tr("Show this span"));
        c.insertText(tr("span "), w.muted());
        c.insertText(l.spanId.isEmpty() ? tr("(unknown)") : l.spanId, link);
        w.newLine(2);
        c.insertText(tr("trace "), w.muted());
        c.insertText(l.traceId, w.mono());
        QList<QPair<QString, QString>> rows;
        for (const Attribute &a : l.attributes)
            rows.append({a.key, shortValue(a.value)});
        w.keyValues(rows);
        w.endCard();
    }
}

} // namespace spanscope
