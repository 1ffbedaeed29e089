#pragma once

#include "formatimporter.h"

namespace spanscope {

// Jaeger JSON: the UI's "Download JSON" / query API envelope {data:[traces], total, limit, offset,
// errors}, a bare trace {traceID, spans, processes}, or an array of traces. Each trace is read as
// one element. Ids are hex, possibly without leading zeros (padded here to 16 / 32 digits);
// times are microseconds. The parent is the first CHILD_OF reference within the trace (else the
// first FOLLOWS_FROM one); every other reference becomes a link with opentracing.ref_type. Tags
// keep their type; logs become events (their "event" field names them); processes become the
// resource (service.name + process tags).
class JaegerImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

} // namespace spanscope
