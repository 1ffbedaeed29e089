// One libFuzzer executable per target: SPANSCOPE_FUZZ_TARGET names it (see fuzztargets.cpp).
// A broken invariant aborts, so libFuzzer saves the input like any crash.
#include "fuzztargets.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
const spanscope::fuzz::Target *g_target = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    spanscope::fuzz::initialize(argc, argv, qEnvironmentVariableIsEmpty("SPANSCOPE_FUZZ_VERBOSE"));
    g_target = spanscope::fuzz::findTarget(QStringLiteral(SPANSCOPE_FUZZ_TARGET));
    if (!g_target) {
        fprintf(stderr, "unknown fuzz target %s\n", SPANSCOPE_FUZZ_TARGET);
        abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString problem = g_target->run(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!problem.isEmpty()) {
        fprintf(stderr, "%s: %s\n", SPANSCOPE_FUZZ_TARGET, qPrintable(problem));
        abort();
    }
    return 0;
}
