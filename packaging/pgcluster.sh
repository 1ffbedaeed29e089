#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the team-store tests (Debian 12's postgresql package).
#   packaging/pgcluster.sh start DIR   initdb + start in DIR (created; owned by the postgres user when
#                                      run as root), on 127.0.0.1 and a free port; prints the URL
#                                      postgresql://spanscope@127.0.0.1:PORT/spanscope (trust auth,
#                                      loopback only) and writes it to DIR/url
#   packaging/pgcluster.sh stop DIR    stops it and removes DIR
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pgcluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
fi

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    local p
    for p in $(shuf -i 20000-45000 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

case "$cmd" in
    start)
        mkdir -p "$dir"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
        chmod 700 "$dir"
        as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
        started=0
        for attempt in 1 2 3 4 5; do
            port="$(free_port)"
            # Loopback only; the socket in DIR (not /var/run/postgresql, which may not exist).
            if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
                start >/dev/null; then
                started=1
                break
            fi
        done
        if [ "$started" -ne 1 ]; then
            cat "$dir/server.log" >&2 || true
            exit 1
        fi
        as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
            -c "CREATE ROLE spanscope LOGIN" -c "CREATE DATABASE spanscope OWNER spanscope" >/dev/null
        echo "postgresql://spanscope@127.0.0.1:$port/spanscope" | tee "$dir/url"
        ;;
    stop)
        if [ -d "$dir/data" ]; then
            as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$dir"
        ;;
    *)
        echo "usage: $0 start|stop DIR" >&2
        exit 2
        ;;
esac
