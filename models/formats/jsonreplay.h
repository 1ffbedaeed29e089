#pragma once

// A JSON document that is whole in memory, parsed by simdjson and handed to an nlohmann SAX handler
// as the events nlohmann's parser would have produced, in the same order and with the same values.
//
// Why: nlohmann's lexer (even with fastjson.h's string runs) was the largest part of the import's
// parser thread; simdjson parses the same document about six times faster (it validates UTF-8 and
// finds the structure with SIMD instructions, then builds a compact tape). The handlers and their
// semantics stay as they are: only the lexing changes.
//
// What stays with nlohmann (replay() returns Unparsed and leaves nothing behind, so the caller
// parses the same bytes the usual way): anything simdjson rejects. That is every syntax error
// (nlohmann's messages and positions are the ones users see), ill-formed UTF-8 and unpaired
// surrogates (fastjson.h turns them into U+FFFD), integers beyond 64 bits (nlohmann keeps them as
// doubles) and nesting deeper than simdjson's limit. Documents larger than MaxBytes stay too: the
// parsed document costs a few times its size in memory, and an import's memory must not grow with
// its input.
//
// Positions: simdjson's tape does not keep source offsets. A replay numbers its events instead,
// and only when a handler asks for the offset of an event (to name it in a message) does
// offsetOf() parse the document once more with nlohmann, recording where its cursor was at each
// event: the very offsets the nlohmann path would have reported.
//
// One number differs in form, never in value: a double's text (number_float's second argument) is
// its shortest round-trip form ("1.5" for "1.50"), as the tape keeps only the value.

#include "fastjson.h"

#include <simdjson.h>

#include <QtGlobal>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spanscope {

class JsonReplay
{
public:
    // A parsed document costs up to about 8 bytes per byte of pathological input (a 15 MB array of
    // small numbers: 110 MB more peak memory than nlohmann's path); 4 MB keeps that bounded.
    static constexpr std::size_t MaxBytes = std::size_t(4) << 20;

    enum class Outcome {
        Done,      // every event delivered
        Stopped,   // the handler returned false (as nlohmann's sax_parse would return false)
        Unparsed,  // not replayed: parse [first, last) with nlohmann instead
    };

    // Parses [first, last) (one JSON value with optional whitespace around it) and replays it into
    // `sax`. While it runs, eventIndex() is the number of the event being delivered.
    template<typename Sax>
    Outcome replay(const char *first, const char *last, Sax *sax);

    // The event being delivered (0 = the first of the document).
    qint64 eventIndex() const { return m_event; }
    // Offset from `first` of nlohmann's cursor when it delivered event `event` of the document
    // replayed last (strict = as the nlohmann path would parse it). -1 if there is no such event.
    qint64 offsetOf(qint64 event, bool strict);

private:
    template<typename Sax>
    bool walk(simdjson::dom::element e, Sax *sax);

    simdjson::dom::parser m_parser;
    qint64 m_event = 0;
    std::string m_text;   // the string or key being delivered (handlers take std::string &)
    std::string m_number; // a double's text
    // The document replayed last, and its events' offsets once offsetOf() has needed them.
    const char *m_first = nullptr;
    const char *m_last = nullptr;
    std::vector<qint64> m_offsets;
    bool m_offsetsKnown = false;
};

template<typename Sax>
JsonReplay::Outcome JsonReplay::replay(const char *first, const char *last, Sax *sax)
{
    const std::size_t size = std::size_t(last - first);
    if (size > MaxBytes)
        return Outcome::Unparsed;
    simdjson::dom::element root;
    if (m_parser.parse(first, size, /*realloc_if_needed=*/true).get(root) != simdjson::SUCCESS)
        return Outcome::Unparsed;
    m_first = first;
    m_last = last;
    m_offsetsKnown = false;
    m_event = -1;
    return walk(root, sax) ? Outcome::Done : Outcome::Stopped;
}

template<typename Sax>
bool JsonReplay::walk(simdjson::dom::element e, Sax *sax)
{
    using simdjson::dom::element_type;
    ++m_event;
    switch (e.type()) {
    case element_type::OBJECT: {
        const simdjson::dom::object object(e);
        if (!sax->start_object(std::size_t(-1)))
            return false;
        for (const simdjson::dom::key_value_pair member : object) {
            ++m_event;
            m_text.assign(member.key);
            if (!sax->key(m_text) || !walk(member.value, sax))
                return false;
        }
        ++m_event;
        return sax->end_object();
    }
    case element_type::ARRAY: {
        if (!sax->start_array(std::size_t(-1)))
            return false;
        for (const simdjson::dom::element item : simdjson::dom::array(e)) {
            if (!walk(item, sax))
                return false;
        }
        ++m_event;
        return sax->end_array();
    }
    case element_type::STRING:
        m_text.assign(std::string_view(e));
        return sax->string(m_text);
    case element_type::INT64: {
        // nlohmann reports a number without a minus sign as unsigned.
        const std::int64_t v = std::int64_t(e);
        return v < 0 ? sax->number_integer(v) : sax->number_unsigned(std::uint64_t(v));
    }
    case element_type::UINT64:
        return sax->number_unsigned(std::uint64_t(e));
    case element_type::DOUBLE: {
        const double v = double(e);
        char buffer[32];
        const auto written = std::to_chars(buffer, buffer + sizeof buffer, v);
        m_number.assign(buffer, written.ptr);
        return sax->number_float(v, m_number);
    }
    case element_type::BOOL:
        return sax->boolean(bool(e));
    case element_type::NULL_VALUE:
        return sax->null();
    }
    return false;
}

} // namespace spanscope
