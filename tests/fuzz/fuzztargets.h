#pragma once
// What each fuzz target does with one input, shared by the libFuzzer executables (fuzzmain.cpp,
// clang only) and by tst_regressions, which replays every seed and every crash fixture through the
// same code in the normal test suite. A target returns an empty string when the input ended in a
// valid import or a clean error, else what broke (an invariant, not a crash: crashes are crashes).

#include "trace/span.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace spanscope::fuzz {

struct Target {
    QString name;         // "import-jaeger", "semconv", … (also the seed and regression folder name)
    QString description;
    QString (*run)(QByteArrayView input);
};

// Every target, in the order run-fuzzers.sh runs them.
const QList<Target> &targets();
const Target *findTarget(QStringView name);

// Once per process before the first run: a QCoreApplication (translations, resources, the price
// table) and a quiet message handler. argc/argv may be null.
void initialize(int *argc, char ***argv, bool quiet);

// The "semconv" target's input: a line-oriented description of one span (see fuzztargets.cpp), so
// the fuzzer mutates attribute keys, types and values directly.
Span spanFromText(QByteArrayView text);
QByteArray spanToText(const Span &span);

} // namespace spanscope::fuzz
