#pragma once

#include <QStringList>

namespace spanscope::cli {

// `spanscope render [--db PATH] TRACE_ID -o out.png [--width W] [--dark]`: the trace view (header,
// span tree, waterfall) rendered headless to PNG or SVG. Needs a QApplication (offscreen is fine).
int runRender(const QStringList &args);

} // namespace spanscope::cli
