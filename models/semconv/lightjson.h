#pragma once

// Internal to spanscope_semconv: a read-only JSON document parsed straight from UTF-16 text, for
// the chat-message attributes every LLM span carries (JSON text of a few KB, parsed once on import
// and again whenever a span's details are decoded).
//
// nlohmann's DOM needs the text in UTF-8, allocates a std::string per string and per key and a
// vector per object, and every string read from it is converted back to UTF-16: about 12% of an
// import's CPU time. Here the document is one flat array of nodes; strings are views into the
// text itself (or, when they hold escapes, into one buffer of unescaped text).
//
// It takes on only plain, well-formed JSON: parse() returns false for anything else — invalid
// JSON, nesting deeper than 64 levels, \u escapes of surrogates, unpaired surrogates, a byte order
// mark — and the caller then parses with nlohmann (parseJson()), whose verdict and replacement
// rules stay the only ones. Whatever parse() accepts, nlohmann reads as the same values.

#include <QStringView>

#include <vector>

namespace spanscope::semconv::detail {

class LightJson
{
public:
    enum class Type : quint8 { Null, False, True, Number, String, Array, Object };

    // Nodes are stored in document order; a container's children follow it, and `end` is the
    // index just past the node's last descendant (so the next sibling of node i is at
    // node(i).end).
    struct Node {
        Type type = Type::Null;
        qint32 end = 0;
        qint32 sourceBegin = 0;  // the node's text in source(), for values read as JSON text
        qint32 sourceEnd = 0;
        QStringView key;         // a member's name (empty for array elements and the root)
        QStringView string;      // a string's value, escapes resolved
    };

    // The whole of `text` must be one JSON value (whitespace around it allowed). `text` must stay
    // alive while the document is used.
    bool parse(QStringView text);

    const Node &node(qint32 index) const { return m_nodes[size_t(index)]; }
    QStringView sourceOf(const Node &n) const { return m_source.sliced(n.sourceBegin, n.sourceEnd - n.sourceBegin); }

private:
    enum class Next { Item, Closed, Error };
    bool value(int depth);
    Next afterItem(char16_t close);
    bool string(QStringView *out);
    bool number();
    bool literal(const char *word, Type type);
    void skipSpace();

    QStringView m_source;
    const char16_t *m_begin = nullptr;
    const char16_t *m_pos = nullptr;
    const char16_t *m_end = nullptr;
    std::vector<Node> m_nodes;
    std::vector<char16_t> m_unescaped;  // sized to the text on the first escape: views stay valid
    size_t m_unescapedUsed = 0;
};

} // namespace spanscope::semconv::detail
