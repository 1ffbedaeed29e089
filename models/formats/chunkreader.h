#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>

#include <algorithm>
#include <functional>
#include <memory>

namespace spanscope {

// Reads an input (file or bytes in memory) as a sequence of chunks, inflating gzip transparently,
// so importers never hold more than one chunk of the input. Importers consume the current chunk
// through the public cursor pointers, which keeps the per-byte path of the JSON parser free of
// calls: it compares `pos` with `stop` and only leaves the inline path at a chunk end or, in line
// mode, at a newline.
class ChunkReader
{
public:
    static constexpr qint64 ChunkSize = qint64(1) << 20;

    ChunkReader();
    ~ChunkReader();
    ChunkReader(const ChunkReader &) = delete;
    ChunkReader &operator=(const ChunkReader &) = delete;

    // Open and load the first chunk. False (with error()) when the file cannot be read at all.
    bool openFile(const QString &path);
    bool openBytes(const QByteArray &data);

    bool isGzip() const { return m_gzip; }
    qint64 rawSize() const { return m_rawSize; }        // bytes on disk / in memory
    qint64 rawConsumed() const { return m_rawConsumed; } // of those, read so far

    // Stop with an error once more than this many bytes come out of the input (0 = no limit).
    void setOutputLimit(qint64 bytes) { m_outputLimit = bytes; }
    bool exceededLimit() const { return m_exceededLimit; }

    // Called with rawConsumed() whenever more raw input has been read.
    void setProgressHook(std::function<void(qint64)> hook) { m_progress = std::move(hook); }

    // The start of the input as loaded by open*() (at most ChunkSize bytes, even when the input is
    // one block in memory), for format sniffing. Valid until the first fill().
    QByteArrayView head() const { return QByteArrayView(m_begin, std::min<qint64>(end - m_begin, ChunkSize)); }
    // True when head() is the whole (decompressed) input.
    bool headIsComplete() const
    {
        return m_chunkOffset == 0 && end - m_begin <= ChunkSize
            && (m_sourceDone || (!m_gzip && end - m_begin == m_rawSize));
    }

    // Decompressed offset of `pos`.
    qint64 offset() const { return m_chunkOffset + (pos - m_begin); }

    // Loads the next chunk and points pos at it. False at the end of the input or on an error.
    bool fill();
    // Like fill(), but the bytes [keep, end) of the current window stay, in front of the new
    // chunk, and pos points at the same byte as before (keep <= pos <= end). For a parser that
    // needs one value contiguous. False, with the window unchanged, when nothing follows.
    bool fillKeeping(const char *keep);
    // True when the current chunk is the input's last: [pos, end) is all that is left.
    bool isLastChunk() const { return m_sourceDone; }
    // True when no byte is left (loads the next chunk if the current one is used up).
    bool atEnd() { return pos == end && !fill(); }

    // In line mode `stop` is also set at the next '\n', so a parser fed through the cursor sees
    // the end of a line as the end of its input. The newline itself is left for the caller.
    void setLineMode(bool on);
    bool lineMode() const { return m_lineMode; }
    // Called when pos reached stop: true if more bytes of the current line (or input) follow.
    bool refillStop();
    void updateStop();
    // Line mode: skips the rest of the current line, leaving pos at its '\n' (or at the end).
    void skipRestOfLine();
    // Skips JSON whitespace (across chunks), leaving pos at the first other byte. False at the end
    // of the input, or in line mode at the end of the line (pos at its '\n').
    bool skipJsonSpace();
    // Skips spaces, tabs and carriage returns (across chunks), leaving pos at the first other byte
    // (a line's content or its '\n') or at the end of the input.
    void skipLineIndent();

    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    qint64 errorOffset() const { return m_errorOffset; }

    const char *pos = nullptr;
    const char *stop = nullptr;
    const char *end = nullptr;
    // Invalid UTF-8 sequences and unpaired surrogates in JSON strings that the parser replaced by
    // U+FFFD (fastjson.h); the import reports them once, as a warning.
    long long replacedText = 0;

private:
    qint64 readRaw(char *into, qint64 max);
    bool fillPlain(qint64 kept);
    bool fillGzip(qint64 kept);
    void fail(const QString &reason);
    void reportProgress();

    QFile m_file;
    QByteArray m_bytes;          // memory input (kept for its lifetime: chunks may point into it)
    bool m_fromFile = false;
    qint64 m_rawSize = 0;
    qint64 m_rawConsumed = 0;
    bool m_sourceDone = false;   // no more output will come
    bool m_gzip = false;

    std::unique_ptr<char[]> m_buffer;    // decompressed / read chunk (and what fillKeeping() kept)
    qint64 m_bufferSize = 0;
    std::unique_ptr<char[]> m_rawBuffer; // compressed input read from a file
    struct Inflater;
    std::unique_ptr<Inflater> m_inflater;

    const char *m_begin = nullptr;
    qint64 m_chunkOffset = 0;
    qint64 m_outputLimit = 0;
    bool m_exceededLimit = false;
    bool m_lineMode = false;

    QString m_error;
    qint64 m_errorOffset = -1;
    std::function<void(qint64)> m_progress;
};

} // namespace spanscope
