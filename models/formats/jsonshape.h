#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace spanscope {

// What the beginning of an input looks like as JSON: enough to pick between a JSON document,
// JSON lines, and something else, and to tell the user what was found when nothing fits.
struct JsonShape {
    enum class Kind { Empty, Object, Array, Scalar, NotJson };
    Kind kind = Kind::NotJson;
    QStringList keys;                  // first keys of the first object, in order (at most a few)
    bool hasResourceSpans = false;     // "resourceSpans" (or resource_spans) among its keys
    bool firstValueComplete = false;   // the first value ends inside the head
    bool multiline = false;            // a newline inside the first value: pretty-printed
    bool moreValuesFollow = false;     // another value starts on a later line
    int linesStartingWithResourceSpans = 0;  // lines of the head that begin {"resourceSpans"
    QString error;                     // why the head is not JSON, when it is not

    // One compact document per line, as the Collector's file exporter writes.
    bool looksLikeJsonLines() const;

    static JsonShape analyze(QByteArrayView head, bool complete);
};

} // namespace spanscope
