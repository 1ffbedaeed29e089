#pragma once

// Internal to spanscope_formats: streaming of vendor JSON inputs one element at a time, and the
// probe that format detection runs on the head of an input.

#include "vendorjson.h"

#include <QByteArrayView>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace spanscope {

class ImportContext;

namespace vendor {

// Where an element started: a byte offset in a document, or a line of JSON lines.
struct ElementPosition {
    qint64 offset = -1;
    qint64 line = -1;
};

// Receives the elements of a vendor input. The reader builds a DOM per element only, so an array
// of 100,000 runs never exists as one DOM.
class ElementSink
{
public:
    virtual ~ElementSink() = default;
    // An item of a streamed array: an item of the root array (container ""), an item of the root
    // object's member `container` when that is one of the stream keys, or the value of one line of
    // JSON lines (container "").
    virtual void element(const std::string &container, Json &&value, const ElementPosition &position) = 0;
    // A root object's members that are not streamed arrive here, whole; by default they are
    // gathered and handed to rootObject() once the root object ends (a single trace or run that
    // is the whole document).
    virtual void rootMember(const std::string &key, Json &&value, const ElementPosition &position);
    virtual void rootObject(Json &&object, const ElementPosition &position);
    // The end of a top-level value (a document, or a line of JSON lines).
    virtual void endValue(const ElementPosition &position);

private:
    Json m_rest;
    ElementPosition m_restPosition;
};

struct ElementReaderOptions {
    std::vector<std::string> streamKeys;   // root-object members streamed item by item
    int maxDepth = 128;                    // deeper elements are skipped (serialising recurses)
};

// Reads ctx.reader() to the end: JSON lines when the head looks so (one compact value per line;
// a broken line is reported and skipped), else one document or several concatenated ones. Syntax
// errors are reported with their position; the elements before them are kept. Stops early when
// the import is cancelled.
void readJsonElements(ImportContext &ctx, ElementSink &sink, const ElementReaderOptions &options);

// What the start of an input holds, for sniff(): the key paths of the first value (members of
// a root object "a", nested "a.b", array items "[]" — "data[].spans[].spanID") and the first
// string value seen at each path (truncated). Only the first few items of each array count.
struct JsonProbe {
    enum class Kind { NotJson, Empty, Object, Array, Scalar };
    Kind kind = Kind::NotJson;
    bool jsonLines = false;            // a compact first value with more values on later lines
    std::set<std::string> paths;
    std::map<std::string, std::string> values;

    bool has(const std::string &path) const { return paths.count(path) > 0; }
    std::string value(const std::string &path) const;
    // True when any of `paths` is present.
    bool hasAny(std::initializer_list<const char *> paths) const;
    int countOf(std::initializer_list<const char *> paths) const;

    // Cached per thread for the last head probed: every importer's sniff() asks about the same head.
    static const JsonProbe &of(QByteArrayView head, bool complete);
};

} // namespace vendor
} // namespace spanscope
