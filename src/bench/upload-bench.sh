#!/usr/bin/env bash
# upload-bench.sh: upload throughput and latency of pomf-ee, measured against this machine's own limits.
#
# What it measures, in one run, on a service it starts itself (HTTP 127.0.0.1:18181, embedded PostgreSQL 54339,
# data and storage in a throwaway folder):
#   a. 100 sequential 1 MiB uploads with curl (each file distinct random data, so dedup never short-circuits),
#      once as curl sends them by default (Expect: 100-continue) and once with `-H 'Expect:'`;
#      total time and ms per upload, next to Pomf on PHP (15-20 ms per 1 MiB upload with the same curl loop);
#      then the curl floor: the same loop (no Expect) against a server that reads each upload and throws it away
#      (nginx `return 200` on SINK_PORT, HTTP_PORT + 1, or a small Python server without nginx): what a curl process
#      uploading 1 MiB costs on this machine whatever the server does, and ours above it.
#   b. the same 100 uploads (fresh content) with 8 in parallel (xargs -P 8): wall time, ms per upload, uploads/s;
#      then 100 more with 8 in parallel from one curl process (--parallel --parallel-max 8), where the clients do not
#      spend the two cores on a curl process per upload (one costs about 9-10 ms of CPU here).
#   c. one BIG_MB MiB upload of random data (default 1024 = 1 GiB), BIG_ROUNDS (3) times, each round followed by
#      the same file written with dd (see d.), so that the upload and the disk are compared in medians of
#      alternating rounds (the file's first bytes change between rounds: new content each time): time, MB/s, and
#      the Payara Micro JVM's peak RSS (VmHWM) before and after.
#   f. the same file (its first bytes changed: new content) by tus (/api/v1/tus/) in TUS_CHUNK_MB (50) MiB PATCHes, as the upload page sends large files
#      (one curl process on one kept-alive connection, -T streaming each piece from its file): time against the
#      plain upload's (goal: at most 10% more), and the final reply's SHA-1 checked.
#   g. the JVM's CPU per upload, from /proc/<pid>/task/*/stat around the keep-alive run of a (1 MiB) and around
#      TINY_N (400) uploads of 100 bytes in one curl process (after a round of the same as warm-up): split into the
#      request threads' work (parsing, hashing, writing, the transaction), the collector's threads and the JIT's
#      compiler threads (goals: at most 4 ms a 1 MiB upload, 2 ms a 100-byte one); then the 1 MiB figure over CPU_N
#      (300) more keep-alive uploads after a round of the same, a window long enough for the JIT's noise to average.
#   d. this machine's limits on the same file: openssl sha1 and sha256 rates, dd write rate (bs=1M conv=fsync,
#      same folder; the median of c's rounds), and the big upload's median rate as a percentage of the slowest of
#      those (goal: >= 80%, issue 13).
#   h. the steady state of a running service: STEADY_UPLOADS (9000) more uploads of the same CPU_N files of 1 MiB,
#      when the JIT has compiled the request path, then the JVM's CPU per upload over three rounds of CPU_N fresh
#      files (median, split as in g.); the same after TINY_STEADY (6000) uploads of 100 bytes. STEADY_UPLOADS=0
#      skips it.
#   MB means 10^6 bytes, MiB means 2^20 bytes.
#
# How to run (from anywhere; about 3 minutes, plus a build first if target/pomf.war is missing):
#   src/bench/upload-bench.sh                 # full run, 1 GiB big upload
#   BIG_MB=256 STEADY_UPLOADS=0 src/bench/upload-bench.sh      # quicker smoke run
# Other knobs: BENCH_TMP=DIR (parent of the throwaway folder; default /tmp when it is on the same disk as the
#   project and not tmpfs, else the project's parent folder), WARMUP=N (1 MiB uploads before measuring, default 1000, in one
#   curl process), TINY_WARMUP=N (100-byte uploads before measuring, default 3000: the JIT keeps compiling the request
#   path for thousands of requests, and its one-time cost is no part of what an upload costs a running service),
#   BENCH_LOG=FILE (where the server output is kept; default target/upload-bench-server.log),
#   HTTP_PORT, DB_PORT (the service's ports, so two runs on one machine do not collide).
#
# The service is started with the run command's launcher (pomf.run.LocalRun via `mvn exec:java`), not with
# `mvn -DskipTests package exec:java`: the build is done once above, and `package` would recompile whatever is being edited
# in the work tree meanwhile. It runs from a snapshot of pom.xml, server-config/ and target/ (WAR, payara-micro.jar,
# compiled classes) copied into the throwaway folder, so a concurrent `mvn clean`/`verify` in the work tree cannot
# pull the WAR from under it, and LocalRun's target/payara-root is the snapshot's, not the work tree's.
# On exit (normal, error or Ctrl-C) it stops the mvn process it started (whose shutdown hook stops Payara Micro,
# then PostgreSQL), waits for them, and deletes the throwaway folder.
set -euo pipefail

HTTP_PORT=${HTTP_PORT:-18181}
DB_PORT=${DB_PORT:-54339}
BIG_MB=${BIG_MB:-1024}
TUS_CHUNK_MB=${TUS_CHUNK_MB:-50}
WARMUP=${WARMUP:-1000}
TINY_WARMUP=${TINY_WARMUP:-3000}
CPU_N=${CPU_N:-300}
BIG_ROUNDS=${BIG_ROUNDS:-3}
STEADY_UPLOADS=${STEADY_UPLOADS:-9000}
TINY_STEADY=${TINY_STEADY:-6000}
N=100
PARALLEL=8
SMALL_BYTES=1048576
TINY_N=${TINY_N:-400}
TINY_BYTES=100
PHP_MS=17.5   # Pomf on PHP: 15-20 ms per 1 MiB upload with the same curl loop; midpoint.
GOAL_PCT=80

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_LOG=${BENCH_LOG:-$ROOT/target/upload-bench-server.log}
URL="http://127.0.0.1:$HTTP_PORT/upload.php?output=text"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ns() { date +%s%N; }
# calc EXPR VAR=VALUE...: floating point with awk, e.g. calc '%.1f' 'a/b' a=1 b=3
calc() { local fmt=$1 expr=$2; shift 2; local args=(); for kv in "$@"; do args+=(-v "$kv"); done
         awk "${args[@]}" "BEGIN { printf \"$fmt\", ($expr) }"; }

for tool in curl openssl mvn java awk dd ps xargs split base64 stat; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ $BIG_MB =~ ^[1-9][0-9]*$ ]] || die "BIG_MB must be a positive whole number of MiB"

# --- throwaway folder: on the same disk as the project, never on tmpfs -------------------------------------------
fs_of() { df --output=source,fstype "$1" | tail -1; }
if [[ -z ${BENCH_TMP:-} ]]; then
    read -r tmp_src tmp_type <<<"$(fs_of /tmp)"
    read -r root_src _ <<<"$(fs_of "$ROOT")"
    if [[ $tmp_type != tmpfs && $tmp_src == "$root_src" ]]; then
        BENCH_TMP=/tmp
    else
        BENCH_TMP=$(dirname "$ROOT")
    fi
fi
read -r bench_src bench_type <<<"$(fs_of "$BENCH_TMP")"
[[ $bench_type != tmpfs ]] || die "$BENCH_TMP is tmpfs; set BENCH_TMP to a folder on the project's disk"
need_kb=$(( (BIG_MB * 1024 * (BIG_ROUNDS + 3)) + (WARMUP * 2 + 600 + CPU_N * 4) * 1024 ))   # big file, its stored copy, the dd copy, small files, db
avail_kb=$(df --output=avail "$BENCH_TMP" | tail -1 | tr -d ' ')
(( avail_kb > need_kb )) || die "$BENCH_TMP has ${avail_kb} KiB free, needs ${need_kb} KiB"

TMP=''
MVN_PID=''
SINK_PID=''
declare -A STARTED=()   # pid -> start time, every process of ours seen while running

remember_processes() {
    # The mvn JVM's descendants (Payara Micro) and PostgreSQL, which pg_ctl detaches from the tree: it is found
    # by our unique data folder in its command line. Kept with their start times so a reused pid is never hit.
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
    if [[ -n ${SINK_PID:-} ]]; then kill "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null; fi
    if [[ -n $MVN_PID ]] && kill -0 "$MVN_PID" 2>/dev/null; then
        remember_processes
        log "stopping the service (mvn pid $MVN_PID)"
        kill -TERM "$MVN_PID" 2>/dev/null
        for _ in $(seq 1 90); do kill -0 "$MVN_PID" 2>/dev/null || break; sleep 1; done
        if kill -0 "$MVN_PID" 2>/dev/null; then
            log "mvn did not stop in 90 s: killing pid $MVN_PID"
            kill -KILL "$MVN_PID" 2>/dev/null
        fi
        wait "$MVN_PID" 2>/dev/null
    fi
    # Whatever the shutdown hook did not stop (only processes of ours, by pid), given 20 s more.
    local left=()
    for pid in "${!STARTED[@]}"; do still_ours "$pid" && left+=("$pid"); done
    if ((${#left[@]})); then
        for _ in $(seq 1 20); do
            local alive=()
            for pid in "${left[@]}"; do still_ours "$pid" && alive+=("$pid"); done
            ((${#alive[@]})) || break
            sleep 1
        done
        for pid in "${left[@]}"; do
            if still_ours "$pid"; then log "pid $pid outlived the service: killing it"; kill -KILL "$pid" 2>/dev/null; fi
        done
    fi
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

TMP=$(mktemp -d "$BENCH_TMP/pomf-bench.XXXXXX")
log "throwaway folder: $TMP ($bench_src, $bench_type)"

# --- build once, then snapshot what the launcher needs -----------------------------------------------------------
if [[ ! -f $ROOT/target/pomf.war || ! -f $ROOT/target/payara-micro.jar \
      || ! -f $ROOT/target/test-classes/pomf/run/LocalRun.class ]]; then
    log "building (mvn -q -B package -DskipTests)"
    (cd "$ROOT" && mvn -q -B package -DskipTests)
fi
for port in "$HTTP_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done
APP=$TMP/app
mkdir -p "$APP/target" "$TMP/data" "$TMP/storage" "$TMP/small" "$TMP/noexpect" "$TMP/parallel" "$TMP/warm"
cp "$ROOT/pom.xml" "$APP/"
cp -r "$ROOT/server-config" "$APP/"
cp -r "$ROOT/target/pomf.war" "$ROOT/target/payara-micro.jar" "$ROOT/target/classes" "$ROOT/target/test-classes" \
    "$APP/target/"
WAR_INFO="$(date -r "$ROOT/target/pomf.war" '+%F %T'), git $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && [[ -n $(git status --porcelain 2>/dev/null) ]] && echo ' (work tree has changes)' || true)"

# --- start the service -------------------------------------------------------------------------------------------
log "starting pomf-ee on 127.0.0.1:$HTTP_PORT (output: $TMP/server.log)"
mvn -B -f "$APP/pom.xml" exec:java \
    -Dpomf.port="$HTTP_PORT" -Dpomf.db.port="$DB_PORT" \
    -Dpomf.data.dir="$TMP/data" -Dpomf.storage.dir="$TMP/storage" \
    -Dpomf.heap=512m -Dpomf.upload.max-size=2147483648 \
    -Dpomf.public-url="http://127.0.0.1:$HTTP_PORT" \
    >"$TMP/server.log" 2>&1 </dev/null &
MVN_PID=$!

# Test data while the service boots: distinct random content everywhere, so dedup never short-circuits.
random_file() { # path bytes
    head -c "$2" /dev/urandom >"$1"
}
for i in $(seq -w 1 "$N"); do
    random_file "$TMP/small/s$i.bin" "$SMALL_BYTES"
    random_file "$TMP/noexpect/n$i.bin" "$SMALL_BYTES"
    random_file "$TMP/parallel/p$i.bin" "$SMALL_BYTES"
done
for i in $(seq 1 "$WARMUP"); do random_file "$TMP/warm/w$i.bin" "$SMALL_BYTES"; done
BIG=$TMP/big.bin
BIG_BYTES=$((BIG_MB * 1048576))
log "generating the ${BIG_MB} MiB file"
random_file "$BIG" "$BIG_BYTES"

started=$(now_ns)
until curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready"; do
    if ! kill -0 "$MVN_PID" 2>/dev/null; then
        tail -40 "$TMP/server.log" >&2
        die "the service exited before it was ready"
    fi
    if (( ($(now_ns) - started) / 1000000000 > 300 )); then
        tail -40 "$TMP/server.log" >&2
        die "the service was not ready after 300 s"
    fi
    sleep 1
done
remember_processes
PAYARA_PID=$(ps -o pid=,args= --ppid "$MVN_PID" | awk '/payara-micro\.jar/ { print $1; exit }')
[[ -n $PAYARA_PID ]] || die "no Payara Micro java process found under mvn pid $MVN_PID"
log "ready (mvn pid $MVN_PID, Payara Micro pid $PAYARA_PID)"
hwm_mib() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$PAYARA_PID/status"; }
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$PAYARA_PID/status"; }
# CPU the Payara JVM's threads have used so far, user + system, in clock ticks, as "work gc jit": the JIT's
# compiler threads (a one-time cost that lasts thousands of requests in a server this size), the collector's
# threads, and every other thread (requests, hashing, timers).
cpu_split() {
    local work=0 gc=0 jit=0 task name ticks
    for task in /proc/"$PAYARA_PID"/task/*; do
        name=$(cat "$task/comm" 2>/dev/null) || continue
        ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$task/stat" 2>/dev/null) || continue
        case $name in
            C1\ Comp* | C2\ Comp*) jit=$((jit + ticks)) ;;
            GC\ Thread* | G1\ * | VM\ Thread) gc=$((gc + ticks)) ;;
            *) work=$((work + ticks)) ;;
        esac
    done
    echo "$work $gc $jit"
}
# "work gc jit" per upload in ms between two cpu_split outputs: per_upload "$before" "$after" N
per_upload() {
    awk -v a="$1" -v b="$2" -v n="$3" -v hz="$CLK_TCK" 'BEGIN { split(a, x, " "); split(b, y, " ");
        w = (y[1] - x[1]) * 1000 / hz / n; g = (y[2] - x[2]) * 1000 / hz / n; j = (y[3] - x[3]) * 1000 / hz / n;
        printf "%.2f ms (requests and hashing %.2f, GC %.2f, JIT %.2f)", w + g + j, w, g, j }'
}
CLK_TCK=$(getconf CLK_TCK)
ms_per() { calc '%.1f' 'ns / n / 1e6' ns="$1" n="$2"; }
secs() { calc '%.2f' 'ns / 1e9' ns="$1"; }
mbps() { calc '%.1f' 'b / (ns / 1e9) / 1e6' b="$1" ns="$2"; }

# --- warm-up and a round trip -----------------------------------------------------------------------------------
first=$(curl -s -F "files[]=@$TMP/warm/w1.bin" "$URL")
[[ $first == http* ]] || die "upload did not return a URL: $first"
curl -sf -o "$TMP/roundtrip" "$first" || die "GET $first failed"
cmp -s "$TMP/roundtrip" "$TMP/warm/w1.bin" || die "GET $first did not return the uploaded bytes"
rm -f "$TMP/roundtrip"
warm_args=()
for f in "$TMP"/warm/w*.bin; do
    [[ $f == "$TMP/warm/w1.bin" ]] && continue
    ((${#warm_args[@]} > 0)) && warm_args+=(--next)
    warm_args+=(-s -o /dev/null -F "files[]=@$f" "$URL")
done
((${#warm_args[@]} == 0)) || curl "${warm_args[@]}"
log "warm-up: $TINY_WARMUP uploads of $TINY_BYTES bytes"
mkdir -p "$TMP/tiny-warm"
warm_args=()
for ((i = 0; i < TINY_WARMUP; i++)); do
    head -c "$TINY_BYTES" /dev/urandom >"$TMP/tiny-warm/u$i.bin"
    ((i > 0)) && warm_args+=(--next)
    warm_args+=(-s -o /dev/null -F "files[]=@$TMP/tiny-warm/u$i.bin" "$URL")
done
((TINY_WARMUP == 0)) || curl "${warm_args[@]}"
rm -rf "$TMP/tiny-warm"
# The tus path gets its warm-up too (the JIT): 10 uploads of 1 MiB in two PATCHes each.
for ((i = 0; i < 10; i++)); do
    wl=$(curl -s -D - -o /dev/null -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $SMALL_BYTES" \
        "http://127.0.0.1:$HTTP_PORT/api/v1/tus/" | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
    [[ -n $wl ]] || die "tus creation failed during warm-up"
    for half in 0 1; do
        head -c $((SMALL_BYTES / 2)) "$TMP/warm/w1.bin" | curl -s -o /dev/null -X PATCH -H 'Tus-Resumable: 1.0.0' \
            -H "Upload-Offset: $((half * SMALL_BYTES / 2))" -H 'Content-Type: application/offset+octet-stream' \
            --data-binary @- "$wl"
    done
done
# Does curl send Expect: 100-continue for 1 MiB, and does the server answer 100 Continue?
random_file "$TMP/probe.bin" "$SMALL_BYTES"
trace=$(curl -sv -o /dev/null -F "files[]=@$TMP/probe.bin" "$URL" 2>&1 || true)
EXPECT_SENT=no; CONTINUE_SEEN=no
grep -qi '^> Expect: 100-continue' <<<"$trace" && EXPECT_SENT=yes
grep -qi '^< HTTP/1.1 100' <<<"$trace" && CONTINUE_SEEN=yes

# --- measurements ------------------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

summarize_codes() { # file -> "100×200" or "98×200, 2×500"
    sort "$1" | uniq -c | awk '{ printf "%s%d×%s", (NR > 1 ? ", " : ""), $1, $2 }'
}
ERRORS=0
check_codes() { # file label
    local bad
    bad=$(grep -vc '^200$' "$1" || true)
    if ((bad > 0)); then ERRORS=$((ERRORS + bad)); log "$2: $bad of $(wc -l <"$1") uploads were not 200: $(summarize_codes "$1")"; fi
}

# fresh_uploads DIR PREFIX COUNT BYTES: COUNT new files of random bytes in DIR, and in curl_args the arguments that
# upload them all from one curl process (--next between them, one kept-alive connection unless --parallel is given).
fresh_uploads() {
    mkdir -p "$1"
    local i f
    for ((i = 0; i < $3; i++)); do head -c "$4" /dev/urandom >"$1/$2$i.bin"; done
    curl_args=()
    for f in "$1"/"$2"*.bin; do
        ((${#curl_args[@]} > 0)) && curl_args+=(--next)
        curl_args+=(-s -o /dev/null -w '%{http_code}\n' -F "files[]=@$f" "$URL")
    done
}

# measured_round CODES-FILE COUNT: curl_args sent by one curl process; the wall time in ROUND_NS and the JVM's CPU
# per upload in ROUND_CPU.
measured_round() {
    local cpu0 t0 t1
    cpu0=$(cpu_split)
    t0=$(now_ns)
    curl "${curl_args[@]}" >"$1"
    t1=$(now_ns)
    ROUND_NS=$((t1 - t0))
    ROUND_CPU=$(per_upload "$cpu0" "$(cpu_split)" "$2")
}

seq_loop() { # dir codes-file [extra curl args...]
    local dir=$1 codes=$2; shift 2
    : >"$codes"
    local t0 t1 f
    t0=$(now_ns)
    for f in "$dir"/*.bin; do
        curl -s -o /dev/null -w '%{http_code}\n' "$@" -F "files[]=@$f" "$URL" >>"$codes"
    done
    t1=$(now_ns)
    echo $((t1 - t0))
}

log "a. $N sequential 1 MiB uploads"
SEQ_NS=$(seq_loop "$TMP/small" "$TMP/codes.seq")
check_codes "$TMP/codes.seq" "sequential"
log "a. $N sequential 1 MiB uploads without Expect"
NOEXP_NS=$(seq_loop "$TMP/noexpect" "$TMP/codes.noexpect" -H 'Expect:')
check_codes "$TMP/codes.noexpect" "sequential, no Expect"

# What the same curl loop costs against a server that reads each upload and throws it away (nginx answering
# `return 200`, or a small Python server when nginx is not installed), on the same files: the floor under every
# figure of the curl loop (the curl process, its connection, sending 1 MiB), which no upload server goes below.
SINK_PORT=${SINK_PORT:-$((HTTP_PORT + 1))}
SINK_DIR=$TMP/sink
mkdir -p "$SINK_DIR"
if command -v nginx >/dev/null; then
    SINK_KIND=nginx
    cat >"$SINK_DIR/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $SINK_DIR/nginx.pid;
error_log $SINK_DIR/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $SINK_DIR/body;
    client_max_body_size 16m;
    client_body_buffer_size 2m;
    server { listen 127.0.0.1:$SINK_PORT; location / { return 200 "ok\\n"; } }
}
NGINX
    nginx -c "$SINK_DIR/nginx.conf" -p "$SINK_DIR" >"$SINK_DIR/out.log" 2>&1 &
else
    SINK_KIND=python3
    python3 - "$SINK_PORT" >"$SINK_DIR/out.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        left = int(self.headers.get("Content-Length", "0"))
        while left > 0:
            left -= len(self.rfile.read(min(left, 1 << 20)) or b"x" * left)
        self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers(); self.wfile.write(b"ok\n")
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
fi
SINK_PID=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$SINK_PORT/" && break; sleep 0.1; done
log "a. curl floor: the same $N uploads (no Expect) to $SINK_KIND on :$SINK_PORT, which throws them away"
FLOOR_URL="http://127.0.0.1:$SINK_PORT/upload.php?output=text"
: >"$TMP/codes.floor"
t0=$(now_ns)
for f in "$TMP"/noexpect/*.bin; do
    curl -s -o /dev/null -w '%{http_code}\n' -H 'Expect:' -F "files[]=@$f" "$FLOOR_URL" >>"$TMP/codes.floor"
done
t1=$(now_ns)
FLOOR_NS=$((t1 - t0))
kill "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null || true
SINK_PID=''
check_codes "$TMP/codes.floor" "curl floor"
# The server's own cost per upload: the same kind of uploads through one curl process on one keep-alive connection.
log "a. $N sequential 1 MiB uploads in one curl process (keep-alive)"
fresh_uploads "$TMP/keepalive" k "$N" "$SMALL_BYTES"
measured_round "$TMP/codes.ka" "$N"
KA_NS=$ROUND_NS
KA_CPU=$ROUND_CPU
check_codes "$TMP/codes.ka" "keep-alive"
# The same for tiny files: what a request costs the JVM when there is next to nothing to hash or write.
log "g. $TINY_N sequential ${TINY_BYTES}-byte uploads in one curl process (keep-alive)"
fresh_uploads "$TMP/tiny-warm" t "$TINY_N" "$TINY_BYTES"
curl "${curl_args[@]}" >/dev/null   # a round as warm-up for this size's path
fresh_uploads "$TMP/tiny" t "$TINY_N" "$TINY_BYTES"
measured_round "$TMP/codes.tiny" "$TINY_N"
TINY_NS=$ROUND_NS
TINY_CPU=$ROUND_CPU
check_codes "$TMP/codes.tiny" "tiny keep-alive"
rm -rf "$TMP/tiny-warm" "$TMP/tiny"
# The 1 MiB figure again over a longer window, after a round of the same: a's 100 uploads last about a second and a
# half, and one large C2 compilation more or less in that window moves its CPU figure by several ms.
log "g. $CPU_N sequential 1 MiB uploads in one curl process (keep-alive), after a round of the same"
fresh_uploads "$TMP/cpu-warm" c "$CPU_N" "$SMALL_BYTES"
curl "${curl_args[@]}" >/dev/null
rm -rf "$TMP/cpu-warm"
fresh_uploads "$TMP/cpu" c "$CPU_N" "$SMALL_BYTES"
measured_round "$TMP/codes.cpu" "$CPU_N"
CPU_NS=$ROUND_NS
LONG_CPU=$ROUND_CPU
check_codes "$TMP/codes.cpu" "1 MiB keep-alive (CPU)"
rm -rf "$TMP/cpu"

log "b. $N uploads, $PARALLEL in parallel"
t0=$(now_ns)
printf '%s\n' "$TMP"/parallel/*.bin \
    | xargs -P "$PARALLEL" -I{} curl -s -o /dev/null -w '%{http_code}\n' -F 'files[]=@{}' "$URL" >"$TMP/codes.par"
t1=$(now_ns)
PAR_NS=$((t1 - t0))
check_codes "$TMP/codes.par" "parallel"
# The same number of clients from one curl process (--parallel: 8 connections, each kept alive): what the server
# does when its clients are not spending the machine's two cores on starting a curl process per upload.
log "b. $N uploads, $PARALLEL in parallel from one curl process"
fresh_uploads "$TMP/parallel1" q "$N" "$SMALL_BYTES"
t0=$(now_ns)
curl --parallel --parallel-max "$PARALLEL" "${curl_args[@]}" >"$TMP/codes.par1"
t1=$(now_ns)
PAR1_NS=$((t1 - t0))
check_codes "$TMP/codes.par1" "parallel, one curl"

log "c. one ${BIG_MB} MiB upload, $BIG_ROUNDS rounds alternating with dd"
# The disk's speed moves by a factor of two or more within minutes on a shared virtual machine: each round uploads
# the file, then writes it with dd (bs=1M conv=fsync, same folder), and the medians are compared. Before each round
# after the first, the file's first 16 bytes change, so every upload is new content (no dedup) from a warm page cache.
HWM_BEFORE=$(hwm_mib); RSS_BEFORE=$(rss_mib)
BIG_ALL=(); DD_ALL=(); BIG_CODE=200
for ((r = 1; r <= BIG_ROUNDS; r++)); do
    ((r == 1)) || head -c 16 /dev/urandom | dd of="$BIG" bs=16 count=1 conv=notrunc status=none
    sync   # no write-back of earlier files competing with the upload for the disk (the same before the tus run)
    t0=$(now_ns)
    big_out=$(curl -s -o "$TMP/big.reply" -w '%{http_code} %{speed_upload}' -F "files[]=@$BIG" "$URL" || true)
    t1=$(now_ns)
    BIG_ALL+=($((t1 - t0)))
    read -r code BIG_CURL_BPS <<<"$big_out"
    if [[ $code != 200 ]]; then
        BIG_CODE=$code; ERRORS=$((ERRORS + 1))
        log "big upload: HTTP $code: $(head -c 200 "$TMP/big.reply" 2>/dev/null | tr -d '\r\n' || true)"
    fi
    sync
    t0=$(now_ns)
    dd if="$BIG" of="$TMP/dd.out" bs=1M conv=fsync status=none
    t1=$(now_ns)
    DD_ALL+=($((t1 - t0)))
    rm -f "$TMP/dd.out"
done
HWM_AFTER=$(hwm_mib); RSS_AFTER=$(rss_mib)
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
BIG_NS=$(median "${BIG_ALL[@]}")
DD_NS=$(median "${DD_ALL[@]}")

log "f. the same ${BIG_MB} MiB by tus in ${TUS_CHUNK_MB} MiB PATCHes"
TUS_BASE="http://127.0.0.1:$HTTP_PORT/api/v1/tus/"
mkdir -p "$TMP/tus"
# New content, as each plain upload of c was: the same bytes again would be answered by dedup, which removes the
# 1 GiB temporary file before answering (0.1-0.25 s here), a cost the plain uploads did not pay.
head -c 16 /dev/urandom | dd of="$BIG" bs=16 count=1 conv=notrunc status=none
split -b "${TUS_CHUNK_MB}M" -d -a 4 "$BIG" "$TMP/tus/part."   # cut before the clock starts
sync   # and written out: the kernel's write-back of the pieces must not compete with the upload for the disk
TUS_CODE=none
t0=$(now_ns)
location=$(curl -s -D - -o /dev/null -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $BIG_BYTES" \
    -H "Upload-Metadata: filename $(printf 'big.bin' | base64)" "$TUS_BASE" | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
if [[ -n $location ]]; then
    # One curl process and one kept-alive connection for every piece, as tus clients (and the upload page) do.
    offset=0
    tus_args=()
    for part in "$TMP"/tus/part.*; do
        ((${#tus_args[@]} > 0)) && tus_args+=(--next)
        tus_args+=(-s -o "$TMP/tus.reply" -w '%{http_code}\n' -X PATCH -H 'Tus-Resumable: 1.0.0' \
            -H "Upload-Offset: $offset" -H 'Content-Type: application/offset+octet-stream' -T "$part" "$location")
        offset=$((offset + $(stat -c %s "$part")))
    done
    TUS_CODE=$(curl "${tus_args[@]}" | tail -1)
fi
t1=$(now_ns)
TUS_NS=$((t1 - t0))
rm -rf "$TMP/tus"
TUS_HASH=$(grep -o '"hash":"[0-9a-f]*"' "$TMP/tus.reply" 2>/dev/null | cut -d'"' -f4 || true)
BIG_SHA1=$(openssl dgst -sha1 "$BIG" | awk '{ print $NF }')
if [[ $TUS_CODE != 200 || $TUS_HASH != "$BIG_SHA1" ]]; then
    ERRORS=$((ERRORS + 1)); log "tus upload: HTTP $TUS_CODE, hash ${TUS_HASH:-none} (file $BIG_SHA1)"
fi

log "d. machine limits on the same file"
time_cmd() { local t0 t1; t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns); echo $((t1 - t0)); }
SHA1_NS=$(time_cmd openssl dgst -sha1 "$BIG")
SHA256_NS=$(time_cmd openssl dgst -sha256 "$BIG")

# A running service has long finished compiling its request path; the windows of g still carry the JIT's work on
# the paths the other parts just used. STEADY_UPLOADS uploads of the same CPU_N files of 1 MiB (dedup answers them
# after the same parsing, hashing and writing), then three measured rounds of CPU_N fresh files, the median; the
# same with TINY_STEADY uploads of 100 bytes.
steady_cpu() { # size prefix warm-count -> STEADY_LINE (median round) and STEADY_ROUNDS_NS
    local bytes=$1 prefix=$2 warm=$3 r rounds=() lines=()
    fresh_uploads "$TMP/steady" "$prefix" "$CPU_N" "$bytes"
    for ((r = 0; r < warm; r += CPU_N)); do curl "${curl_args[@]}" >/dev/null; done
    rm -rf "$TMP/steady"
    for r in 1 2 3; do
        fresh_uploads "$TMP/steady" "$prefix$r" "$CPU_N" "$bytes"
        measured_round "$TMP/codes.steady" "$CPU_N"
        check_codes "$TMP/codes.steady" "steady state, $bytes bytes"
        lines+=("$ROUND_CPU"); rounds+=("$(ms_per "$ROUND_NS" "$CPU_N")")
        rm -rf "$TMP/steady"
    done
    STEADY_LINE=$(printf '%s\n' "${lines[@]}" | sort -n | sed -n 2p)
    STEADY_ROUNDS_NS="${rounds[*]}"
}
if ((STEADY_UPLOADS > 0)); then
    log "h. steady state: $STEADY_UPLOADS uploads of 1 MiB, then 3 measured rounds of $CPU_N"
    steady_cpu "$SMALL_BYTES" h "$STEADY_UPLOADS"
    STEADY_BIG=$STEADY_LINE; STEADY_BIG_MS=$STEADY_ROUNDS_NS
    log "h. steady state: $TINY_STEADY uploads of $TINY_BYTES bytes, then 3 measured rounds of $CPU_N"
    steady_cpu "$TINY_BYTES" i "$TINY_STEADY"
    STEADY_TINY=$STEADY_LINE; STEADY_TINY_MS=$STEADY_ROUNDS_NS
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# Other people's JVMs (not ours) running during the measurement, e.g. integration tests.
OTHER_JAVA=0
while read -r pid comm; do
    [[ $comm == java && -z ${STARTED[$pid]:-} ]] && OTHER_JAVA=$((OTHER_JAVA + 1))
done < <(ps -e -o pid=,comm=)

# --- the table ---------------------------------------------------------------------------------------------------

SEQ_MS=$(ms_per "$SEQ_NS" "$N")
NOEXP_MS=$(ms_per "$NOEXP_NS" "$N")
FLOOR_MS=$(ms_per "$FLOOR_NS" "$N")
KA_MS=$(ms_per "$KA_NS" "$N")
PAR_MS=$(ms_per "$PAR_NS" "$N")
PAR_RATE=$(calc '%.1f' 'n / (ns / 1e9)' n="$N" ns="$PAR_NS")
BIG_MBPS=$(mbps "$BIG_BYTES" "$BIG_NS")
BIG_CURL_MBPS=$(calc '%.1f' 'b / 1e6' b="${BIG_CURL_BPS:-0}")
SHA1_MBPS=$(mbps "$BIG_BYTES" "$SHA1_NS")
SHA256_MBPS=$(mbps "$BIG_BYTES" "$SHA256_NS")
DD_MBPS=$(mbps "$BIG_BYTES" "$DD_NS")
LIMIT_MBPS=$(calc '%.1f' '(s1 < s2 ? s1 : s2) < d ? (s1 < s2 ? s1 : s2) : d' s1="$SHA1_MBPS" s2="$SHA256_MBPS" d="$DD_MBPS")
LIMIT_NAME=$(calc '%s' '(s1 < s2 ? s1 : s2) < d ? (s1 < s2 ? "sha1" : "sha256") : "dd write"' \
    s1="$SHA1_MBPS" s2="$SHA256_MBPS" d="$DD_MBPS")
PCT=$(calc '%.0f' 'u / l * 100' u="$BIG_MBPS" l="$LIMIT_MBPS")
VERDICT=$(calc '%s' 'p >= g ? "meets" : "BELOW"' p="$PCT" g="$GOAL_PCT")
PHP_RATIO=$(calc '%.2f' 'php / ours' php="$PHP_MS" ours="$SEQ_MS")
PHP_RATIO_NOEXP=$(calc '%.2f' 'php / ours' php="$PHP_MS" ours="$NOEXP_MS")
BIG_LABEL=$( ((BIG_MB % 1024 == 0)) && echo "$((BIG_MB / 1024)) GiB" || echo "$BIG_MB MiB")

row() { printf '%-58s %s\n' "$1" "$2"; }
echo
echo "pomf-ee upload benchmark, $(date '+%F %T'), $(nproc) cores, MB = 10^6 bytes, MiB = 2^20 bytes"
echo "WAR: target/pomf.war built $WAR_INFO; Payara heap -Xmx512m; after $WARMUP + $TINY_WARMUP warm-up uploads (1 MiB + ${TINY_BYTES} B)"
printf '%.0s-' {1..100}; echo
row "a. $N × 1 MiB sequential (curl, Expect: 100-continue $EXPECT_SENT, 100 Continue $CONTINUE_SEEN)" \
    "total $(secs "$SEQ_NS") s, $SEQ_MS ms/upload  [$(summarize_codes "$TMP/codes.seq")]"
row "a. $N × 1 MiB sequential, -H 'Expect:' (no Expect)" \
    "total $(secs "$NOEXP_NS") s, $NOEXP_MS ms/upload  [$(summarize_codes "$TMP/codes.noexpect")]"
row "a. curl floor: the same uploads to $SINK_KIND throwing them away" \
    "$FLOOR_MS ms/upload: ours (no Expect) $(calc '%.1f' 'a - b' a="$NOEXP_MS" b="$FLOOR_MS") ms above it  [$(summarize_codes "$TMP/codes.floor")]"
row "a. $N × 1 MiB in one curl process (keep-alive, --next)" "$KA_MS ms/upload (the server's own cost, durable)"
row "g. JVM CPU per 1 MiB upload (the keep-alive run; goal ≤ 4 ms)" "$KA_CPU"
row "g. the same over $CPU_N more, after a round of $CPU_N ($(ms_per "$CPU_NS" "$CPU_N") ms each)" "$LONG_CPU"
row "g. $TINY_N × ${TINY_BYTES} B in one curl process (keep-alive)" \
    "$(ms_per "$TINY_NS" "$TINY_N") ms/upload  [$(summarize_codes "$TMP/codes.tiny")]"
row "g. JVM CPU per ${TINY_BYTES}-byte upload (goal ≤ 2 ms)" "$TINY_CPU"
row "e. vs Pomf on PHP (15–20 ms/upload, same curl loop)" \
    "ours $SEQ_MS ms → 17.5/ours = ${PHP_RATIO}× (no Expect: $NOEXP_MS ms → ${PHP_RATIO_NOEXP}×)"
row "b. $N × 1 MiB, $PARALLEL parallel (xargs -P $PARALLEL)" \
    "wall $(secs "$PAR_NS") s, $PAR_MS ms/upload, $PAR_RATE uploads/s  [$(summarize_codes "$TMP/codes.par")]"
row "b. $N × 1 MiB, $PARALLEL parallel from one curl (--parallel)" \
    "wall $(secs "$PAR1_NS") s, $(calc '%.1f' 'n / (ns / 1e9)' n="$N" ns="$PAR1_NS") uploads/s (goal ≥ 150)  [$(summarize_codes "$TMP/codes.par1")]"
row "c. 1 × $BIG_LABEL upload ($BIG_BYTES bytes), median of $BIG_ROUNDS" \
    "$(secs "$BIG_NS") s, $BIG_MBPS MB/s (rounds: $(for ns in "${BIG_ALL[@]}"; do printf '%s ' "$(mbps "$BIG_BYTES" "$ns")"; done)MB/s)  [HTTP $BIG_CODE]"
row "c. Payara JVM (pid $PAYARA_PID) peak RSS VmHWM before → after" \
    "$HWM_BEFORE MiB → $HWM_AFTER MiB (VmRSS $RSS_BEFORE MiB → $RSS_AFTER MiB)"
row "f. the same file by tus, $TUS_CHUNK_MB MiB a PATCH (one curl, kept-alive)" \
    "$(secs "$TUS_NS") s, $(mbps "$BIG_BYTES" "$TUS_NS") MB/s: $(calc '%.2f' 't / b' t="$TUS_NS" b="$BIG_NS")× the plain upload's time (goal ≤ 1.10×)  [last HTTP $TUS_CODE, hash $( [[ $TUS_HASH == "$BIG_SHA1" ]] && echo right || echo WRONG)]"
row "d. openssl dgst -sha1 on the same file" "$(secs "$SHA1_NS") s, $SHA1_MBPS MB/s"
row "d. openssl dgst -sha256 on the same file" "$(secs "$SHA256_NS") s, $SHA256_MBPS MB/s"
row "d. dd bs=1M conv=fsync, same folder (write), median" \
    "$(secs "$DD_NS") s, $DD_MBPS MB/s (rounds, each after an upload: $(for ns in "${DD_ALL[@]}"; do printf '%s ' "$(mbps "$BIG_BYTES" "$ns")"; done)MB/s)"
row "d. upload / slowest limit ($LIMIT_NAME, $LIMIT_MBPS MB/s)" \
    "$BIG_MBPS / $LIMIT_MBPS = $PCT% ($VERDICT the ${GOAL_PCT}% goal)"
if ((STEADY_UPLOADS > 0)); then
    row "h. JVM CPU per 1 MiB upload after $STEADY_UPLOADS more (goal ≤ 4 ms)" "$STEADY_BIG; rounds $STEADY_BIG_MS ms/upload"
    row "h. JVM CPU per ${TINY_BYTES}-byte upload after $TINY_STEADY more (goal ≤ 2 ms)" \
        "$STEADY_TINY; rounds $STEADY_TINY_MS ms/upload"
fi
row "machine load (1/5/15 min) before → after measuring" "$LOAD_BEFORE → $LOAD_AFTER; other java processes: $OTHER_JAVA"
printf '%.0s-' {1..100}; echo
if ((ERRORS > 0)); then
    log "$ERRORS upload(s) failed; server warnings and errors:"
    grep -E 'WARNING|SEVERE|Exception' "$TMP/server.log" | tail -40 >&2 || true
    exit 1
fi
