#include "chunkreader.h"

#include <QCoreApplication>

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace spanscope {

namespace {
constexpr qint64 RawChunkSize = qint64(256) << 10;
}

struct ChunkReader::Inflater {
    z_stream z{};
    bool initialised = false;
    bool memberEnded = false;
    ~Inflater()
    {
        if (initialised)
            inflateEnd(&z);
    }
};

ChunkReader::ChunkReader() = default;
ChunkReader::~ChunkReader() = default;

bool ChunkReader::openFile(const QString &path)
{
    m_file.setFileName(path);
    // Unbuffered: every chunk is read straight into our own buffer, no second copy.
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        fail(QCoreApplication::translate("ChunkReader", "cannot open: %1").arg(m_file.errorString()));
        return false;
    }
    m_fromFile = true;
    m_rawSize = m_file.size();
    char magic[2] = {0, 0};
    const qint64 n = m_file.read(magic, 2);
    if (n < 0 || !m_file.seek(0)) {
        fail(QCoreApplication::translate("ChunkReader", "cannot read: %1").arg(m_file.errorString()));
        return false;
    }
    m_gzip = n == 2 && quint8(magic[0]) == 0x1f && quint8(magic[1]) == 0x8b;
    if (m_gzip)
        m_rawBuffer.reset(new char[RawChunkSize]);
    m_buffer.reset(new char[ChunkSize]);
    m_bufferSize = ChunkSize;
    fill();
    return !failed() || pos != end;
}

bool ChunkReader::openBytes(const QByteArray &data)
{
    m_bytes = data;
    m_fromFile = false;
    m_rawSize = data.size();
    m_gzip = data.size() >= 2 && quint8(data[0]) == 0x1f && quint8(data[1]) == 0x8b;
    if (m_gzip)
        m_buffer.reset(new char[ChunkSize]);
    m_bufferSize = ChunkSize;
    fill();
    return !failed() || pos != end;
}

void ChunkReader::fail(const QString &reason)
{
    if (m_error.isEmpty()) {
        m_error = reason;
        m_errorOffset = m_begin ? offset() : m_chunkOffset;
    }
    m_sourceDone = true;
}

void ChunkReader::reportProgress()
{
    if (m_progress)
        m_progress(m_rawConsumed);
}

qint64 ChunkReader::readRaw(char *into, qint64 max)
{
    const qint64 n = m_file.read(into, max);
    if (n < 0) {
        fail(QCoreApplication::translate("ChunkReader", "read error: %1").arg(m_file.errorString()));
        return -1;
    }
    m_rawConsumed += n;
    reportProgress();
    return n;
}

bool ChunkReader::fill()
{
    m_chunkOffset += end - m_begin;
    m_begin = pos = stop = end = nullptr;
    if (m_sourceDone)
        return false;
    const bool ok = m_gzip ? fillGzip(0) : fillPlain(0);
    if (ok && m_outputLimit > 0 && m_chunkOffset + (end - m_begin) > m_outputLimit) {
        m_exceededLimit = true;
        end = m_begin;
        fail(QCoreApplication::translate("ChunkReader", "input is larger than the limit of %1 bytes").arg(m_outputLimit));
    }
    if (!m_begin) {
        static const char empty = 0;
        m_begin = end = &empty;
    }
    pos = m_begin;
    updateStop();
    return pos != end;
}

bool ChunkReader::fillKeeping(const char *keep)
{
    Q_ASSERT(keep >= m_begin && keep <= pos && pos <= end);
    if (m_sourceDone || !m_buffer || !(m_fromFile || m_gzip))
        return false;  // nothing follows (a memory input is one window)
    const qint64 kept = end - keep;
    const qint64 at = pos - keep;
    if (m_bufferSize < kept + ChunkSize) {
        const qint64 size = std::max(kept + ChunkSize, m_bufferSize * 2);
        std::unique_ptr<char[]> bigger(new char[size_t(size)]);
        std::memcpy(bigger.get(), keep, size_t(kept));
        m_buffer = std::move(bigger);
        m_bufferSize = size;
    } else if (kept > 0) {
        std::memmove(m_buffer.get(), keep, size_t(kept));
    }
    m_chunkOffset += keep - m_begin;
    m_begin = m_buffer.get();
    pos = m_begin + at;
    stop = end = m_begin + kept;
    const bool ok = m_gzip ? fillGzip(kept) : fillPlain(kept);
    if (ok && m_outputLimit > 0 && m_chunkOffset + (end - m_begin) > m_outputLimit) {
        m_exceededLimit = true;
        end = m_begin + kept;
        fail(QCoreApplication::translate("ChunkReader", "input is larger than the limit of %1 bytes").arg(m_outputLimit));
    }
    updateStop();  // (the fills leave pos where it was; a failed one leaves end at the kept bytes)
    return end - m_begin > kept;
}

bool ChunkReader::fillPlain(qint64 kept)
{
    if (!m_fromFile) {
        m_begin = m_bytes.constData();
        end = m_begin + m_bytes.size();
        m_rawConsumed = m_bytes.size();
        m_sourceDone = true;
        reportProgress();
        return true;
    }
    qint64 got = 0;
    while (got < ChunkSize) {
        const qint64 n = readRaw(m_buffer.get() + kept + got, ChunkSize - got);
        if (n <= 0) {
            m_sourceDone = true;
            break;
        }
        got += n;
    }
    m_begin = m_buffer.get();
    end = m_begin + kept + got;
    return got > 0;
}

bool ChunkReader::fillGzip(qint64 kept)
{
    if (!m_inflater) {
        m_inflater = std::make_unique<Inflater>();
        // 16 + MAX_WBITS: gzip wrapper only (not raw deflate or zlib), as the magic promised.
        if (inflateInit2(&m_inflater->z, 16 + MAX_WBITS) != Z_OK) {
            fail(QCoreApplication::translate("ChunkReader", "cannot initialise gzip decompression"));
            return false;
        }
        m_inflater->initialised = true;
    }
    z_stream &z = m_inflater->z;
    char *out = m_buffer.get() + kept;
    z.next_out = reinterpret_cast<Bytef *>(out);
    z.avail_out = uInt(ChunkSize);
    while (z.avail_out > 0) {
        if (z.avail_in == 0) {
            qint64 n = 0;
            if (m_fromFile) {
                n = readRaw(m_rawBuffer.get(), RawChunkSize);
                if (n < 0)
                    break;
                z.next_in = reinterpret_cast<Bytef *>(m_rawBuffer.get());
            } else {
                n = std::min<qint64>(m_bytes.size() - m_rawConsumed, INT_MAX / 2);
                z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(m_bytes.constData() + m_rawConsumed));
                m_rawConsumed += n;
                if (n > 0)
                    reportProgress();
            }
            z.avail_in = uInt(n);
            if (n == 0) {
                if (!m_inflater->memberEnded) {
                    const qint64 produced = m_chunkOffset + kept + (ChunkSize - z.avail_out);
                    fail(QCoreApplication::translate("ChunkReader", "gzip data is truncated (the input ends after %1 decompressed bytes)")
                             .arg(produced));
                    m_errorOffset = produced;
                }
                m_sourceDone = true;
                break;
            }
        }
        if (m_inflater->memberEnded) {
            // More input after a complete member: gzip allows concatenated members.
            inflateReset(&z);
            m_inflater->memberEnded = false;
        }
        const int ret = inflate(&z, Z_NO_FLUSH);
        if (ret == Z_STREAM_END) {
            m_inflater->memberEnded = true;
            continue;
        }
        if (ret == Z_OK || ret == Z_BUF_ERROR)
            continue;
        const qint64 produced = m_chunkOffset + kept + (ChunkSize - z.avail_out);
        const qint64 compressedAt = m_rawConsumed - z.avail_in;
        fail(QCoreApplication::translate("ChunkReader", "corrupt gzip data at compressed byte %1: %2")
                 .arg(compressedAt)
                 .arg(QString::fromLatin1(z.msg ? z.msg : "unknown zlib error")));
        m_errorOffset = produced;
        break;
    }
    m_begin = m_buffer.get();
    end = out + (ChunkSize - z.avail_out);
    return end != out;
}

void ChunkReader::setLineMode(bool on)
{
    m_lineMode = on;
    updateStop();
}

void ChunkReader::updateStop()
{
    if (m_lineMode && pos != end) {
        const void *nl = std::memchr(pos, '\n', size_t(end - pos));
        stop = nl ? static_cast<const char *>(nl) : end;
    } else {
        stop = end;
    }
}

bool ChunkReader::refillStop()
{
    if (pos != end)
        return false;  // at a newline in line mode
    if (!fill())
        return false;
    return pos != stop;
}

void ChunkReader::skipRestOfLine()
{
    for (;;) {
        pos = stop;
        if (pos != end || !fill())
            return;
    }
}

bool ChunkReader::skipJsonSpace()
{
    for (;;) {
        while (pos != stop && (*pos == ' ' || *pos == '\t' || *pos == '\r' || *pos == '\n'))
            ++pos;
        if (pos != stop)
            return true;
        if (pos != end || !fill())
            return false;
    }
}

void ChunkReader::skipLineIndent()
{
    for (;;) {
        while (pos != end && (*pos == ' ' || *pos == '\t' || *pos == '\r'))
            ++pos;
        if (pos != end || !fill())
            return;
    }
}

} // namespace spanscope
