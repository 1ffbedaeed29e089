#pragma once

#include "formatimporter.h"

namespace spanscope {

// OTLP/JSON: one ExportTraceServiceRequest document ({"resourceSpans": [...]}), pretty-printed or
// not, streamed through the SAX handler. Documents concatenated after the first are read too.
class OtlpJsonImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

} // namespace spanscope
