#pragma once

#include "formatimporter.h"

namespace spanscope {

// OTLP protobuf: one ExportTraceServiceRequest, or several, each preceded by its length as a
// varint (as written by length-delimited protobuf writers). The request is never parsed as a
// whole: its resource_spans fields are walked one by one and each ResourceSpans is parsed on its
// own, so memory stays bounded by the largest ResourceSpans, and a damaged ResourceSpans costs only
// itself when its length prefix is intact.
class OtlpProtoImporter : public FormatImporter
{
public:
    enum class Layout { Detect, Single, Delimited };

    explicit OtlpProtoImporter(Layout layout = Layout::Detect) : m_layout(layout) {}

    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;

    // The layout `head` looks like, and how sure that is (0 = not OTLP protobuf at all).
    static Layout detectLayout(QByteArrayView head, bool complete, int *score = nullptr);

private:
    Layout m_layout;
};

} // namespace spanscope
