#include "sseparser.h"

namespace spanscope {

void SseParser::reset()
{
    m_buffer.clear();
    m_current = SseEvent();
    m_hasData = false;
    m_skipLf = false;
    m_overlong = false;
}

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> out;
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    while (i < n) {
        if (m_skipLf) {
            m_skipLf = false;
            if (bytes.at(i) == '\n') {
                ++i;
                continue;
            }
        }
        qsizetype end = i;
        while (end < n && bytes.at(end) != '\n' && bytes.at(end) != '\r')
            ++end;
        if (!m_overlong) {
            if (m_buffer.size() + (end - i) > m_maxLine) {
                m_overlong = true;
                m_buffer.clear();
                ++m_dropped;
            } else {
                m_buffer.append(bytes.constData() + i, end - i);
            }
        }
        if (end == n)
            break;   // no line end yet
        m_skipLf = bytes.at(end) == '\r';
        i = end + 1;
        if (m_overlong) {
            // The over-long line's event is lost as a whole.
            m_overlong = false;
            m_current = SseEvent();
            m_hasData = false;
            m_buffer.clear();
            continue;
        }
        processLine(m_buffer, out);
        m_buffer.clear();
    }
    return out;
}

void SseParser::processLine(const QByteArray &line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        if (m_hasData)
            out.push_back(m_current);
        const QByteArray lastId = m_current.id;
        const bool hadId = m_current.hasId;
        m_current = SseEvent();
        m_current.id = lastId;      // the last event id persists across events
        m_current.hasId = hadId;
        m_hasData = false;
        return;
    }
    if (line.startsWith(':'))
        return;
    const qsizetype colon = line.indexOf(':');
    QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasData)
            m_current.data += '\n';
        m_current.data += value;
        m_hasData = true;
    } else if (field == "event") {
        m_current.event = value;
    } else if (field == "id") {
        if (!value.contains('\0')) {
            m_current.id = value;
            m_current.hasId = true;
        }
    } else if (field == "retry") {
        bool ok = false;
        const int ms = value.toInt(&ok);
        if (ok && ms >= 0)
            m_retryMs = ms;
    }
}

} // namespace spanscope
