#pragma once

#include "safetextbrowser.h"
#include "trace/span.h"

namespace spanscope {

// Read-only card lists for the inspector's smaller tabs. Each keeps its data and re-renders when
// the palette changes, so colours stay right in light and dark themes.

// Span events with their offset from the span's start; exceptions show type, message and the
// stack trace in a monospace block.
class EventListView : public SafeTextBrowser
{
    Q_OBJECT
public:
    explicit EventListView(QWidget *parent = nullptr);
    void setEvents(const QList<SpanEvent> &events, qint64 spanStartNs);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QList<SpanEvent> m_events;
    qint64 m_spanStartNs = 0;
};

// Retrieval documents: id, score, content (first part) and metadata.
class DocumentListView : public SafeTextBrowser
{
    Q_OBJECT
public:
    explicit DocumentListView(QWidget *parent = nullptr);
    void setDocuments(const QList<RetrievalDocument> &documents);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QList<RetrievalDocument> m_documents;
};

// Links to other spans; clicking one asks the owner to show it.
class LinkListView : public SafeTextBrowser
{
    Q_OBJECT
public:
    explicit LinkListView(QWidget *parent = nullptr);
    void setLinks(const QList<SpanLink> &links);

Q_SIGNALS:
    void linkedSpanActivated(const QString &traceId, const QString &spanId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QList<SpanLink> m_links;
};

} // namespace spanscope
