#!/usr/bin/env bash
# slow-uploads-bench.sh: what slow uploads cost the origin, and what other clients see meanwhile.
#
# On a service it starts itself (as upload-bench.sh does: HTTP 127.0.0.1:18820, embedded
# PostgreSQL 54820, data and storage in a throwaway folder, -Xmx512m), for each count N of COUNTS (default
# "0 100 500"), it holds N uploads that each send at RATE bytes/s (default 65536: a 64 KB/s link) and, while they
# are all in flight, measures (src/bench/slow-uploads-clients.py):
#   - the probe: GET of a 4 KiB file on a fresh connection every 0.25 s: p50 and p99 (a timeout counts as TIMEOUT);
#   - five 1 MiB uploads one after the other: median and slowest time;
#   - the Payara Micro JVM: most threads seen, HTTP worker threads (all / busy, from three thread dumps), heap used
#     after a full GC (jcmd), RSS.
# N = 0 is the idle reference. Between counts the slow connections are closed (the server drops those uploads).
#
# How to run (about 1.5 minutes per count plus the service's start; builds target/pomf.war first if missing):
#   src/bench/slow-uploads-bench.sh
#   COUNTS="0 500" MEASURE=30 src/bench/slow-uploads-bench.sh
# Knobs: COUNTS, RATE (bytes/s per slow upload), RAMP (s to start them), SETTLE (s before measuring), MEASURE (s),
#   TIMEOUT (s after which a probe or upload counts as a timeout), HTTP_PORT, DB_PORT, BENCH_TMP (parent of
#   the throwaway folder), BENCH_LOG (where the server output is kept; default target/slow-uploads-bench-server.log).
# It runs the WAR from a snapshot of pom.xml, server-config/ and target/ in the throwaway folder (see upload-bench.sh),
# so a copy of this script inside another checkout's src/bench measures that checkout's build. On exit it stops the
# mvn process it started (whose shutdown hook stops Payara Micro, then PostgreSQL) and deletes the throwaway folder.
set -euo pipefail

HTTP_PORT=${HTTP_PORT:-18820}
DB_PORT=${DB_PORT:-54820}
COUNTS=${COUNTS:-"0 100 500"}
RATE=${RATE:-65536}
RAMP=${RAMP:-5}
SETTLE=${SETTLE:-5}
MEASURE=${MEASURE:-20}
TIMEOUT=${TIMEOUT:-10}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_LOG=${BENCH_LOG:-$ROOT/target/slow-uploads-bench-server.log}

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in curl mvn java jcmd jstack python3 ps; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
(( $(ulimit -n) > 2048 )) || ulimit -n 8192 || die "needs more than 2048 open files (ulimit -n)"

BENCH_TMP=${BENCH_TMP:-/tmp}
TMP=''
MVN_PID=''
declare -A STARTED=()   # pid -> start time, every process of ours seen while running

remember_processes() {
    # mvn's descendants (Payara Micro) and PostgreSQL (pg_ctl detaches it: found by our folder in its command line).
    [[ -n $MVN_PID ]] || return 0
    local frontier=("$MVN_PID") next pid
    while ((${#frontier[@]})); do
        next=()
        for pid in "${frontier[@]}"; do
            STARTED[$pid]=$(ps -o lstart= -p "$pid" 2>/dev/null || true)
            while read -r child; do [[ -n $child ]] && next+=("$child"); done < <(ps -o pid= --ppid "$pid" 2>/dev/null || true)
        done
        frontier=("${next[@]+"${next[@]}"}")
    done
    while read -r pid args; do
        [[ -n ${TMP:-} && $args == *"$TMP/"* && $pid != "$$" ]] && STARTED[$pid]=$(ps -o lstart= -p "$pid" 2>/dev/null || true)
    done < <(ps -e -o pid=,args= 2>/dev/null || true)
    return 0
}

still_ours() { [[ -n ${STARTED[$1]:-} && $(ps -o lstart= -p "$1" 2>/dev/null || true) == "${STARTED[$1]}" ]]; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $MVN_PID ]] && kill -0 "$MVN_PID" 2>/dev/null; then
        remember_processes
        log "stopping the service (mvn pid $MVN_PID)"
        kill -TERM "$MVN_PID" 2>/dev/null
        for _ in $(seq 1 90); do kill -0 "$MVN_PID" 2>/dev/null || break; sleep 1; done
        kill -0 "$MVN_PID" 2>/dev/null && kill -KILL "$MVN_PID" 2>/dev/null
        wait "$MVN_PID" 2>/dev/null
    fi
    local pid
    for _ in $(seq 1 20); do
        local alive=0
        for pid in "${!STARTED[@]}"; do still_ours "$pid" && alive=1; done
        ((alive)) || break
        sleep 1
    done
    for pid in "${!STARTED[@]}"; do
        if still_ours "$pid"; then log "pid $pid outlived the service: killing it"; kill -KILL "$pid" 2>/dev/null; fi
    done
    if [[ -n $TMP && -d $TMP ]]; then
        [[ -f $TMP/server.log ]] && mkdir -p "$(dirname "$BENCH_LOG")" && cp "$TMP/server.log" "$BENCH_LOG" \
            && log "server output kept in $BENCH_LOG"
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/pomf-slow-bench.XXXXXX")
if [[ ! -f $ROOT/target/pomf.war || ! -f $ROOT/target/payara-micro.jar \
      || ! -f $ROOT/target/test-classes/pomf/run/LocalRun.class ]]; then
    log "building (mvn -q -B package -DskipTests)"
    (cd "$ROOT" && mvn -q -B package -DskipTests)
fi
for port in "$HTTP_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done
APP=$TMP/app
mkdir -p "$APP/target" "$TMP/data" "$TMP/storage"
cp "$ROOT/pom.xml" "$APP/"
cp -r "$ROOT/server-config" "$APP/"
cp -r "$ROOT/target/pomf.war" "$ROOT/target/payara-micro.jar" "$ROOT/target/classes" "$ROOT/target/test-classes" \
    "$APP/target/"
WAR_INFO="$(date -r "$ROOT/target/pomf.war" '+%F %T'), git $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"

log "starting pomf-ee on 127.0.0.1:$HTTP_PORT (output: $TMP/server.log)"
mvn -B -f "$APP/pom.xml" exec:java \
    -Dpomf.port="$HTTP_PORT" -Dpomf.db.port="$DB_PORT" \
    -Dpomf.data.dir="$TMP/data" -Dpomf.storage.dir="$TMP/storage" -Dpomf.heap=512m \
    -Dpomf.public-url="http://127.0.0.1:$HTTP_PORT" \
    >"$TMP/server.log" 2>&1 </dev/null &
MVN_PID=$!
started=$SECONDS
until curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready"; do
    kill -0 "$MVN_PID" 2>/dev/null || { tail -40 "$TMP/server.log" >&2; die "the service exited before it was ready"; }
    (( SECONDS - started < 300 )) || { tail -40 "$TMP/server.log" >&2; die "the service was not ready after 300 s"; }
    sleep 1
done
remember_processes
PAYARA_PID=$(ps -o pid=,args= --ppid "$MVN_PID" | awk '/payara-micro\.jar/ { print $1; exit }')
[[ -n $PAYARA_PID ]] || die "no Payara Micro java process found under mvn pid $MVN_PID"
log "ready (Payara Micro pid $PAYARA_PID)"

head -c 4096 /dev/urandom >"$TMP/probe.bin"
PROBE_URL=$(curl -s -F "files[]=@$TMP/probe.bin" "http://127.0.0.1:$HTTP_PORT/upload.php?output=text")
[[ $PROBE_URL == http* ]] || die "the probe file could not be uploaded: $PROBE_URL"
PROBE_PATH=/${PROBE_URL#http*://*/}
# Warm-up: a few uploads and probes, so the first count does not pay for class loading and JIT.
for _ in $(seq 1 20); do
    head -c 1048576 /dev/urandom >"$TMP/warm.bin"
    curl -s -o /dev/null -F "files[]=@$TMP/warm.bin" "http://127.0.0.1:$HTTP_PORT/upload.php?output=text"
    curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT$PROBE_PATH"
done

RESULTS=()
for n in $COUNTS; do
    log "N = $n slow uploads at $RATE B/s: ramp ${RAMP} s, settle ${SETTLE} s, measure ${MEASURE} s"
    RESULTS+=("$(python3 "$HERE/slow-uploads-clients.py" --port "$HTTP_PORT" --pid "$PAYARA_PID" \
        --probe-path "$PROBE_PATH" --slow "$n" --rate "$RATE" --ramp "$RAMP" --settle "$SETTLE" \
        --measure "$MEASURE" --timeout "$TIMEOUT")")
    log "${RESULTS[-1]}"
    sleep 5   # the dropped uploads' clean-up
done

echo
echo "pomf-ee slow uploads, $(date '+%F %T'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "WAR: built $WAR_INFO; Payara heap -Xmx512m; slow uploads at $RATE B/s; probe every 0.25 s; timeout ${TIMEOUT} s"
printf '%-6s %-10s %-14s %-18s %-22s %-8s %-15s %-14s %-8s\n' "slow" "in flight" "probe p50 ms" \
    "probe p99 ms" "1 MiB upload ms" "threads" "HTTP busy/all" "heap after GC" "RSS"
for r in "${RESULTS[@]}"; do
    python3 - "$r" <<'EOF'
import json, sys
r = json.loads(sys.argv[1])
def t(v, failures):
    return f"{v:.0f}" + (f" ({failures} TIMEOUT)" if failures else "")
workers = f"{r['http_workers_busy_max']}/{r['http_workers_max']}"
print(f"{r['slow']:<6} {r['slow_in_flight_at_end']:<10} {t(r['probe_p50_ms'], 0):<14} "
      f"{t(r['probe_p99_ms'], r['probe_failures']):<18} "
      f"{t(r['upload_median_ms'], r['upload_failures']) + ' (max ' + format(r['upload_max_ms'], '.0f') + ')':<22} "
      f"{r['threads_max']:<8} {workers:<15} {str(r['heap_after_gc_mib']) + ' MiB':<14} {r['rss_mib']} MiB")
EOF
done
