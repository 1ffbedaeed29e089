#include "csvreader.h"

#include "chunkreader.h"

#include <cstring>

namespace spanscope {

CsvReader::CsvReader(ChunkReader &reader, char delimiter)
    : m_reader(reader), m_delimiter(delimiter)
{
    m_reader.setLineMode(false);
}

char CsvReader::guessDelimiter(QByteArrayView head)
{
    qsizetype end = head.indexOf('\n');
    if (end < 0)
        end = head.size();
    const QByteArrayView first = head.first(end);
    if (first.contains(','))
        return ',';
    if (first.contains(';'))
        return ';';
    if (first.contains('\t'))
        return '\t';
    return ',';
}

int CsvReader::get()
{
    ChunkReader &r = m_reader;
    if (r.pos == r.end && !r.fill())
        return -1;
    return static_cast<unsigned char>(*r.pos++);
}

int CsvReader::peek()
{
    ChunkReader &r = m_reader;
    if (r.pos == r.end && !r.fill())
        return -1;
    return static_cast<unsigned char>(*r.pos);
}

bool CsvReader::next(QStringList &fields, qint64 &line, qint64 &offset)
{
    fields.clear();
    if (!m_started) {
        m_started = true;
        ChunkReader &r = m_reader;
        if (r.end - r.pos >= 3 && std::memcmp(r.pos, "\xEF\xBB\xBF", 3) == 0)
            r.pos += 3;
    }
    // Skip blank lines.
    for (;;) {
        const int c = peek();
        if (c == -1)
            return false;
        if (c == '\n') {
            get();
            ++m_line;
        } else if (c == '\r') {
            get();
            if (peek() == '\n')
                get();
            ++m_line;
        } else {
            break;
        }
    }
    line = m_line;
    offset = m_reader.offset();
    std::string field;
    bool quoted = false;       // inside quotes
    for (;;) {
        const int c = get();
        if (c == -1) {
            m_unterminated = quoted;
            fields << QString::fromUtf8(field.data(), qsizetype(field.size()));
            return true;
        }
        if (quoted) {
            if (c == '"') {
                if (peek() == '"') {
                    get();
                    field += '"';
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n' || (c == '\r' && peek() != '\n'))
                    ++m_line;
                field += char(c);
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
        } else if (c == m_delimiter) {
            fields << QString::fromUtf8(field.data(), qsizetype(field.size()));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && peek() == '\n')
                get();
            ++m_line;
            fields << QString::fromUtf8(field.data(), qsizetype(field.size()));
            return true;
        } else {
            field += char(c);
        }
    }
}

} // namespace spanscope
