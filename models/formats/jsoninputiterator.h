#pragma once

#include "chunkreader.h"
#include "fastjson.h"

#include <cstddef>
#include <iterator>

namespace spanscope {

// Feeds nlohmann's parser straight from a ChunkReader's buffer: the position lives in the reader
// (not in the iterator, which nlohmann copies), so the caller knows where the parser stopped. A
// default-constructed iterator is the end; comparing with it only leaves the inline path at the
// end of a chunk or, in line mode, of a line. nlohmann's std::istream adapter costs a virtual call
// per byte, which this avoids.
class JsonInputIterator
{
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;

    JsonInputIterator() = default;
    explicit JsonInputIterator(ChunkReader *reader) : m_reader(reader) {}

    reference operator*() const { return *m_reader->pos; }
    JsonInputIterator &operator++()
    {
        ++m_reader->pos;
        return *this;
    }
    JsonInputIterator operator++(int)
    {
        JsonInputIterator old = *this;
        ++m_reader->pos;
        return old;
    }

    // Only ever compared with the end sentinel; short-circuits so the common case is one compare.
    friend bool operator==(const JsonInputIterator &a, const JsonInputIterator &b) { return a.atEnd() && b.atEnd(); }

private:
    [[gnu::always_inline]] bool atEnd() const
    {
        if (!m_reader)
            return true;
        if (m_reader->pos != m_reader->stop) [[likely]]
            return false;
        return !m_reader->refillStop();
    }

    ChunkReader *m_reader = nullptr;
};

// The same cursor for nlohmann's parser through fastSaxParse() (see fastjson.h): the window is the
// reader's [pos, stop), refilled by refillStop().
inline FastJsonInput chunkJsonInput(ChunkReader &reader)
{
    return FastJsonInput{&reader.pos, &reader.stop, [](void *r) { return static_cast<ChunkReader *>(r)->refillStop(); }, &reader,
                         &reader.replacedText};
}

} // namespace spanscope
