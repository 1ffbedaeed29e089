#pragma once

#include <QByteArray>
#include <QList>

namespace spanscope {

// One server-sent event (WHATWG "text/event-stream").
struct SseEvent {
    QByteArray event = QByteArrayLiteral("message");
    QByteArray data;        // data lines joined by "\n"
    QByteArray id;
    bool hasId = false;
};

// Incremental text/event-stream parser: feed bytes as they arrive, get whole events back. Lines
// end in LF, CR or CRLF (split across feeds too); comments (":…") are ignored; `retry` is kept.
// A line longer than maxLineBytes is dropped with its event (a stream that misbehaves cannot grow
// memory without bound).
class SseParser
{
public:
    explicit SseParser(qsizetype maxLineBytes = 16 << 20) : m_maxLine(maxLineBytes) {}
    QList<SseEvent> feed(const QByteArray &bytes);
    void reset();
    int retryMs() const { return m_retryMs; }   // -1 when the server never said
    qint64 droppedLines() const { return m_dropped; }

private:
    void processLine(const QByteArray &line, QList<SseEvent> &out);

    QByteArray m_buffer;
    SseEvent m_current;
    bool m_hasData = false;
    bool m_skipLf = false;       // the previous chunk ended in CR
    bool m_overlong = false;     // discarding the rest of an over-long line
    qsizetype m_maxLine;
    int m_retryMs = -1;
    qint64 m_dropped = 0;
};

} // namespace spanscope
