#pragma once

// nlohmann's parser with a faster string scan. nlohmann's lexer moves every character of a string
// through get() (one input-adapter call, one push_back into the error-message buffer, one
// push_back into the value) — about 80 instructions a byte, which made string scanning most of
// the cost of importing LLM traces (their messages are long strings, often JSON inside JSON).
// FastJsonInput exposes the contiguous bytes it has, and scan_string() is specialised for it to
// copy runs of plain ASCII (no quote, backslash, control or non-ASCII byte) in one go, updating the
// lexer's positions and buffers exactly as character-by-character reading would; every other byte
// takes nlohmann's own code. Results, errors and error positions are nlohmann's, with one deliberate
// difference: ill-formed UTF-8 and unpaired \u surrogates in strings become U+FFFD (counted in
// FastJsonInput::replacements) instead of failing the parse — trace content is untrusted, and one
// bad byte in a prompt must not cost the rest of the file (Go's encoding/json, and so the
// OpenTelemetry Collector, does the same).
//
// Header-only; usable by any layer that already parses with nlohmann (formats, semconv).

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>

static_assert(NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 11,
              "fastjson_scanstring.inc is nlohmann/json 3.11's scan_string(): update it with the library");

namespace spanscope {

// Input over a window [*pos, *stop) that `refill` may move on (a ChunkReader's cursor) or that is
// the whole input (refill = nullptr). The cursor lives outside the adapter (nlohmann moves it).
struct FastJsonInput {
    using char_type = char;

    const char **pos = nullptr;
    const char **stop = nullptr;
    bool (*refill)(void *context) = nullptr;  // true when *pos < *stop again
    void *context = nullptr;
    long long *replacements = nullptr;        // incremented for each U+FFFD written for invalid text

    std::char_traits<char>::int_type get_character()
    {
        if (*pos == *stop) [[unlikely]] {
            if (!refill || !refill(context))
                return std::char_traits<char>::eof();
        }
        return std::char_traits<char>::to_int_type(*(*pos)++);
    }
};

// Bytes a JSON string may hold that need no decoding or validation: printable ASCII except '"'
// and '\\'.
inline constexpr std::array<bool, 256> FastJsonPlainBytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
        t[size_t(c)] = c != '"' && c != '\\';
    return t;
}();

// A memory buffer as a FastJsonInput: keep the cursor alive while parsing.
struct FastJsonMemory {
    const char *pos;
    const char *stop;
    FastJsonInput input() { return FastJsonInput{&pos, &stop, nullptr, nullptr}; }
};

} // namespace spanscope

// Copies a run of plain bytes from the adapter's window into the lexer's buffers (what get() + add()
// would do for each of them), leaving the byte that ends the run to nlohmann's code.
#define SPANSCOPE_FAST_STRING_RUN                                                                        \
    if (!next_unget) {                                                                                   \
        const char *const runBegin = *ia.pos;                                                            \
        const char *const runLimit = *ia.stop;                                                           \
        const char *runEnd = runBegin;                                                                   \
        while (runEnd != runLimit && ::spanscope::FastJsonPlainBytes[static_cast<unsigned char>(*runEnd)]) \
            ++runEnd;                                                                                    \
        if (runEnd != runBegin) {                                                                        \
            const std::size_t runLength = std::size_t(runEnd - runBegin);                                \
            token_buffer.append(runBegin, runLength);                                                    \
            token_string.insert(token_string.end(), runBegin, runEnd);                                   \
            position.chars_read_total += runLength;                                                      \
            position.chars_read_current_line += runLength;                                               \
            current = std::char_traits<char_type>::to_int_type(runEnd[-1]);                             \
            *ia.pos = runEnd;                                                                            \
        }                                                                                                \
    }

// The explicit specialisations must precede any use of the parser with FastJsonInput.
template<>
inline nlohmann::detail::lexer<nlohmann::json, ::spanscope::FastJsonInput>::token_type
nlohmann::detail::lexer<nlohmann::json, ::spanscope::FastJsonInput>::scan_string()
{
#include "fastjson_scanstring.inc"
}

template<>
inline nlohmann::detail::lexer<nlohmann::ordered_json, ::spanscope::FastJsonInput>::token_type
nlohmann::detail::lexer<nlohmann::ordered_json, ::spanscope::FastJsonInput>::scan_string()
{
#include "fastjson_scanstring.inc"
}

#undef SPANSCOPE_FAST_STRING_RUN

namespace spanscope {

// nlohmann::json::sax_parse(…, input_format_t::json, strict) over a FastJsonInput.
template<typename BasicJson = nlohmann::json, typename Sax>
bool fastSaxParse(FastJsonInput input, Sax *sax, bool strict = true)
{
    return nlohmann::detail::parser<BasicJson, FastJsonInput>(std::move(input), nullptr, true, false).sax_parse(sax, strict);
}

// BasicJson::parse(first, last, nullptr, allowExceptions) over a memory buffer.
template<typename BasicJson>
BasicJson fastParse(const char *first, const char *last, bool allowExceptions)
{
    FastJsonMemory memory{first, last};
    BasicJson result;
    nlohmann::detail::parser<BasicJson, FastJsonInput>(memory.input(), nullptr, allowExceptions, false).parse(true, result);
    return result;
}

} // namespace spanscope
