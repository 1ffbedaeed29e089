#pragma once

#include "formatimporter.h"

namespace spanscope {

// Zipkin v2 JSON: an array of spans (as POSTed to /api/v2/spans or returned by /api/v2/trace), or
// an array of such arrays (/api/v2/traces). Times are microseconds; tags become string
// attributes, annotations events, localEndpoint.serviceName the service. A span without parentId
// is a root. Zipkin's shared spans (a client and a server half reported with the same id, the
// server one marked shared) are kept apart: the client half gets an id derived from the shared
// one (zipkin.id keeps the original) and becomes the parent of the server half.
class ZipkinImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

} // namespace spanscope
