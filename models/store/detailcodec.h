#pragma once

#include "trace/span.h"

#include <QByteArray>

namespace spanscope {

// The compact encoding of the span fields that have no column of their own in the workspace:
// scope, operation, response model, parameters, messages, tool/agent names, documents, tags,
// metadata, raw/resource/scope attributes, events and links. It is a CBOR map keyed by small
// integers (absent key = default value), so new fields can be added without a migration.
// Attribute values keep their type (string vs bytes, integer vs double, nested lists and maps);
// a string attribute that repeats the span's input or output is stored as a reference to it, and
// messages semconv::normalize() read from one attribute as a reference to that attribute (read
// again on decoding).
class DetailCodec
{
public:
    // CompressedCbor (zlib, qCompress's framing) is what older versions wrote; it is still read.
    // New documents are written plain or as one Zstandard frame (ZstdCbor).
    enum Format { Cbor = 0, CompressedCbor = 1, ZstdCbor = 2 };
    // Documents larger than this are compressed (when that makes them smaller). Smaller ones cost
    // more to compress (Zstandard runs at under half its speed on 1–2 KB inputs) than writing the
    // bytes they would save.
    static constexpr qsizetype CompressThreshold = 4096;

    static QByteArray encode(const Span &span, Format *format);
    // Sets every field encode() covers (defaults for those the document lacks). `span.input` and
    // `span.output` must already be filled: references resolve against them. Returns false for a
    // damaged document, leaving those fields at their defaults.
    static bool decode(const QByteArray &data, int format, Span &span);
};

// encode() of one span, done ahead of TraceStore::writeSpans() (on another thread). With
// `withText`, also the span's input and output values as UTF-8: they are most of the bytes a
// workspace stores, and converting them took about 7% of the bulk import's writer thread. (Only
// worth it where the same thread also frees them: the live writer frees its batches on its own
// thread, and freeing blocks of another thread's malloc arena cost more than the conversion.)
struct EncodedDetail {
    QByteArray data;
    DetailCodec::Format format = DetailCodec::Cbor;
    bool hasText = false;  // input and output below are set
    QByteArray input;      // span.input.value as UTF-8
    QByteArray output;     // span.output.value as UTF-8
    static EncodedDetail of(const Span &span, bool withText = false)
    {
        EncodedDetail d;
        d.data = DetailCodec::encode(span, &d.format);
        if (withText) {
            d.hasText = true;
            d.input = span.input.value.toUtf8();
            d.output = span.output.value.toUtf8();
        }
        return d;
    }
};

} // namespace spanscope
