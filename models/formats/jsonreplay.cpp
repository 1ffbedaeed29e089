#include "jsonreplay.h"

namespace spanscope {

namespace {

// Records where nlohmann's cursor is at each event.
struct OffsetRecorder {
    const char *const *cursor;
    const char *first;
    std::vector<qint64> *offsets;

    bool mark()
    {
        offsets->push_back(*cursor - first);
        return true;
    }
    bool null() { return mark(); }
    bool boolean(bool) { return mark(); }
    bool number_integer(std::int64_t) { return mark(); }
    bool number_unsigned(std::uint64_t) { return mark(); }
    bool number_float(double, const std::string &) { return mark(); }
    bool string(std::string &) { return mark(); }
    bool binary(nlohmann::json::binary_t &) { return mark(); }
    bool start_object(std::size_t) { return mark(); }
    bool key(std::string &) { return mark(); }
    bool end_object() { return mark(); }
    bool start_array(std::size_t) { return mark(); }
    bool end_array() { return mark(); }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return false; }
};

} // namespace

qint64 JsonReplay::offsetOf(qint64 event, bool strict)
{
    if (!m_first || event < 0)
        return -1;
    if (!m_offsetsKnown) {
        m_offsets.clear();
        FastJsonMemory memory{m_first, m_last};
        OffsetRecorder recorder{&memory.pos, m_first, &m_offsets};
        try {
            fastSaxParse(memory.input(), &recorder, strict);
        } catch (const std::exception &) {
            // What simdjson accepted nlohmann parses too; the offsets found so far stand.
        }
        m_offsetsKnown = true;
    }
    return event < qint64(m_offsets.size()) ? m_offsets[size_t(event)] : -1;
}

} // namespace spanscope
