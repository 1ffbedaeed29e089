#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a bounded time.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS_PER_TARGET] [TARGET...]
#
#   SECONDS_PER_TARGET  default 60 (or $SPANSCOPE_FUZZ_SECONDS)
#   TARGET              e.g. import-jaeger semconv sse (default: all; list with --list)
#   SPANSCOPE_FUZZ_BUILD_DIR  build directory (default: <repo>/build-fuzz)
#   SPANSCOPE_FUZZ_JOBS       parallel compile jobs (default 2)
#   SPANSCOPE_FUZZ_NO_BUILD=1 use the executables already built
#
# Each target starts from its seeds (tests/fuzz/seeds/TARGET) plus, for the importers, every
# trace fixture under tests/data; what it learns stays in BUILD_DIR/fuzz-corpus/TARGET for the next
# run. A crash (or a broken invariant) leaves BUILD_DIR/fuzz-artifacts/TARGET-crash-* and makes the
# script exit 1: copy the input to tests/data/regressions/TARGET/, fix the bug, and tst_regressions
# keeps it fixed. Prints, per target: executions, seconds, executions per second, corpus size, result.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${SPANSCOPE_FUZZ_BUILD_DIR:-$here/build-fuzz}"
jobs="${SPANSCOPE_FUZZ_JOBS:-2}"
all_targets=(import-auto import-otlp-json import-otlp-jsonl import-otlp-proto import-jaeger import-zipkin
             import-langfuse import-langsmith import-portkey-logs import-portkey-sse import-portkey-hooks
             semconv messages-json otlp-json-replay otlp-request sse detailcodec)

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${all_targets[@]}"
    exit 0
fi
seconds="${SPANSCOPE_FUZZ_SECONDS:-60}"
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    seconds="$1"
    shift
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

clangxx="$(command -v clang++-14 || command -v clang++ || true)"
if [ -z "$clangxx" ] || [ ! -e "$(dirname "$(readlink -f "$clangxx")")/../lib/clang" ]; then
    echo "run-fuzzers: clang is needed (Debian 12: apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 2
fi

if [ "${SPANSCOPE_FUZZ_NO_BUILD:-0}" != 1 ]; then
    if [ ! -f "$build/CMakeCache.txt" ]; then
        CXX="$clangxx" cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
            -DSPANSCOPE_FUZZ=ON -DSPANSCOPE_SANITIZE=ON >/dev/null || exit 2
    fi
    cmake --build "$build" --parallel "$jobs" --target fuzzers || exit 2
fi

# UBSan findings are crashes (halt), ASan reports leaks only at exit (libFuzzer checks them per
# input with -detect_leaks), Qt's and protobuf's one-time allocations are suppressed.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1:detect_stack_use_after_return=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/tests/sanitizers/lsan.supp:print_suppressions=0}"
export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8

corpora="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
logs="$build/fuzz-logs"
mkdir -p "$corpora" "$artifacts" "$logs"
data="$here/tests/data"
seeds="$here/tests/fuzz/seeds"

printf '%-22s %12s %8s %10s %8s  %s\n' target executions seconds exec/s corpus result
failed=0
total_execs=0
for t in "${targets[@]}"; do
    exe="$build/tests/fuzz/fuzz_${t//-/_}"
    if [ ! -x "$exe" ]; then
        printf '%-22s %s\n' "$t" "not built ($exe)"
        failed=1
        continue
    fi
    mkdir -p "$corpora/$t"
    dirs=("$corpora/$t" "$seeds/$t")
    dict="$here/tests/fuzz/dicts/formats.dict"
    case "$t" in
        import-*|otlp-json-replay|otlp-request|sse)
            for d in samples vendor formats semconv cli compare; do
                [ -d "$data/$d" ] && dirs+=("$data/$d")
            done ;;
        semconv) dict="$here/tests/fuzz/dicts/semconv.dict" ;;
        detailcodec) dict="" ;;
    esac
    [ -d "$data/regressions/$t" ] && dirs+=("$data/regressions/$t")
    # -entropic=0: with entropic scheduling libFuzzer 14 spends most of its time bookkeeping
    # features of these large targets (measured: 10x fewer executions).
    args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=262144 -print_final_stats=1
          -artifact_prefix="$artifacts/$t-" -close_fd_mask=1 -entropic=0)
    [ -n "$dict" ] && args+=(-dict="$dict")
    log="$logs/$t.log"
    start=$(date +%s.%N)
    "$exe" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    [ -z "$execs" ] && execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    execs=${execs:-0}
    corpus=$(find "$corpora/$t" -type f | wc -l)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    rate=$(awk -v n="$execs" -v s="$wall" 'BEGIN { printf "%d", n / (s + 0.001) }')
    result=ok
    if [ $rc -ne 0 ]; then
        result="CRASH (rc $rc): $(ls -t "$artifacts/$t-"* 2>/dev/null | head -1) — see $log"
        failed=1
    fi
    total_execs=$((total_execs + execs))
    printf '%-22s %12s %8s %10s %8s  %s\n' "$t" "$execs" "$wall" "$rate" "$corpus" "$result"
done
echo "total executions: $total_execs"
exit $failed
