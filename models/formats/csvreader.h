#pragma once

#include <QString>
#include <QStringList>

#include <string>

namespace spanscope {

class ChunkReader;

// RFC 4180 records streamed from a ChunkReader: quoted fields may hold commas, quotes ("") and
// line breaks; records end at LF, CRLF or CR; blank lines are skipped; a UTF-8 byte order mark is
// ignored. Lenient where files bend the rules (text after a closing quote is kept).
class CsvReader
{
public:
    explicit CsvReader(ChunkReader &reader, char delimiter = ',');

    // The next record; false at the end of the input. `line` / `offset` say where it started.
    bool next(QStringList &fields, qint64 &line, qint64 &offset);
    // Set when the input ended inside a quoted field (the partial record is still returned).
    bool unterminatedQuote() const { return m_unterminated; }
    // Guesses the delimiter from a header line: comma, else semicolon or tab when only those occur.
    static char guessDelimiter(QByteArrayView head);

private:
    int get();
    int peek();

    ChunkReader &m_reader;
    char m_delimiter;
    qint64 m_line = 1;
    bool m_started = false;
    bool m_unterminated = false;
};

} // namespace spanscope
