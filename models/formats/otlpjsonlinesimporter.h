#pragma once

#include "formatimporter.h"

namespace spanscope {

// OTLP/JSON lines, as the OpenTelemetry Collector's file exporter writes them: one compact
// document per line, blank lines allowed. Each line is parsed on its own, so a damaged line costs
// only the rest of that line.
class OtlpJsonLinesImporter : public FormatImporter
{
public:
    QString name() const override;
    int sniff(QByteArrayView head, bool complete) const override;
    void import(ImportContext &ctx) const override;
};

} // namespace spanscope
