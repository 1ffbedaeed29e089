#!/usr/bin/env bash
# Spanscope developer entry point (README quick start). Run from anywhere, as root on Debian 12
# (or as a user with sudo).
#   packaging/dev.sh run    install what is missing, build (Release), open the app on the bundled
#                           samples in a fresh workspace
#   packaging/dev.sh test   install what is missing, build (Release), run the whole test suite; the
#                           store tests also run against PostgreSQL: a throwaway server on 127.0.0.1
#                           (Debian's postgresql, started from a temporary directory, stopped and
#                           removed afterwards, also when the tests fail). SPANSCOPE_TEST_PG_URL set
#                           by the caller uses that server instead.
#   packaging/dev.sh build  install what is missing and build only
#   packaging/dev.sh deb    install what is missing, build, make the .deb, install it with apt,
#                           check the installed app (version, an import), remove it again
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SPANSCOPE_BUILD_DIR:-$here/build}"
mode="${1:-run}"

# Debian 12 packages the build, the tests and the app need.
packages=(
    g++ cmake ninja-build pkg-config ca-certificates
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
    libqt6sql6-sqlite libqt6sql6-psql postgresql qt6-qpa-plugins libgl-dev
    libqcustomplot-dev nlohmann-json3-dev libsimdjson-dev libprotobuf-dev protobuf-compiler zlib1g-dev libzstd-dev
    libdtl-dev qtkeychain-qt6-dev
    sqlite3 curl
    dpkg-dev desktop-file-utils appstream shared-mime-info
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # The live tests drive real Node.js clients (OpenTelemetry exporters, the Portkey gateway);
    # keep a Node.js the machine already has, else take Debian's.
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

build() {
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build "$build" --parallel "$(nproc)"
}

install_missing
build

case "$mode" in
    build) ;;
    run)
        ws="$(mktemp -d "${TMPDIR:-/tmp}/spanscope-XXXXXX")/workspace.sqlite"
        echo "== opening the bundled samples in a fresh workspace: $ws"
        exec "$build/app/spanscope" --db "$ws" "$here"/resources/samples/*.json "$here"/resources/samples/*.jsonl "$here"/resources/samples/*.binpb
        ;;
    test)
        if [ -z "${SPANSCOPE_TEST_PG_URL:-}" ]; then
            pgdir="$(mktemp -d "${TMPDIR:-/tmp}/spanscope-pg-XXXXXX")"
            trap '"$here"/packaging/pgcluster.sh stop "$pgdir"' EXIT
            echo "== starting a throwaway PostgreSQL for the team-store tests in $pgdir"
            # A server that does not start fails the run: CI must test both backends.
            SPANSCOPE_TEST_PG_URL="$("$here"/packaging/pgcluster.sh start "$pgdir")" || {
                echo "== PostgreSQL did not start (see above); set SPANSCOPE_TEST_PG_URL to use another server" >&2
                exit 1
            }
            export SPANSCOPE_TEST_PG_URL
        fi
        cd "$build"
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)" --timeout 900
        ;;
    deb)
        (cd "$build" && cpack -G DEB)
        (cd "$build" && SPANSCOPE_TEST_DEB=1 QT_QPA_PLATFORM=offscreen ctest -L packaging --output-on-failure)
        ls -l "$build"/spanscope_*.deb
        ;;
    *)
        echo "usage: $0 run|test|build|deb" >&2
        exit 2
        ;;
esac
