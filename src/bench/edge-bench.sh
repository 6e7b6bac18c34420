#!/usr/bin/env bash
# edge-bench.sh: our edge cache and nginx's proxy_cache, side by side in front of the same origin, in one run.
#
# What it starts (every server on 127.0.0.1 only; all in a throwaway folder):
#   - the local topology (server-config/topology.sh: origin 18100 with an embedded PostgreSQL on 54400, edges 18101
#     and 18102), run from a snapshot of the build (see below), with EDGE_ARGS giving the edges
#     max-size 4 GiB, valid 10m, min-uses 2, heap-chunks 256 and -Xmx1g (see below); the origin gets -Xmx3g;
#   - a third edge on 18103 (Hazelcast 16103), the same command line as topology.sh's, whose origin is the relay;
#   - src/bench/edge-bench-relay.py on 18199: a counting HTTP relay to the origin that can throttle every response
#     to a given rate (per connection);
#   - nginx 1.22 (Debian's nginx-light), 1 worker, sendfile, the original deployment's proxy_cache settings
#     (shared/specs/edge-cache.md), max_size 4g like ours, proxy_cache_max_range_offset 32m included (it only matters
#     for Range requests, which this benchmark does not send): 18190 → origin, 18191 → relay. nginx talks HTTP/1.0
#     to its upstream without keep-alive (its default, the original's too); our edges keep connections alive.
# What it measures:
#   a. cached hits: `wrk -t2 -c32 -d10s` on a 4 KiB, a 1 MiB and a 32 MiB object, ours (edge1, 18101) and nginx
#      (18190), after warming each until X-Cache-Status: HIT (3 requests; min uses 2); ROUNDS rounds (default 3),
#      the order alternating ours/nginx, nginx/ours, ...; the median of each; req/s, MB/s, ratio ours/nginx.
#   b. herd: 100 simultaneous clients (xargs -P 100 curl) for an uncached 32 MiB object, the origin slowed to
#      4 MiB/s per connection (~8 s for the object) by the relay; ours = edge 18103, nginx = 18191, each its own
#      object. The relay counts the origin requests (whole / with Range) and bytes; every client must get 200 and
#      32 MiB. Wall time of the 100 downloads.
#   c. Zipf trace: 20,000 requests over 2,000 objects of 16 KiB, exponent 1.0, fixed seed, 16 threads with
#      keep-alive connections (src/bench/edge-bench-zipf.py), against 18103 and 18191, relay unthrottled:
#      hit ratio (HIT / all; other statuses counted apart), origin bytes measured by the relay (and MISS × 16 KiB
#      beside it as a cross-check), requests/s (client-bound: one Python process).
#   MB means 10^6 bytes, MiB means 2^20 bytes. Ratios are ours/nginx: above 1 is better for req/s and MB/s, below 1
#   is better for origin requests, origin bytes and wall time.
#
# How to run (from anywhere, as root: it installs nginx-light and wrk with apt-get if they are missing):
#   src/bench/edge-bench.sh                  # about 6 minutes on 2 cores
#   ROUNDS=1 DURATION=5s src/bench/edge-bench.sh   # quicker smoke run
# Other knobs: EDGE_HEAP (edge -Xmx, default 1g; EDGE_HEAP= for topology.sh's 512m), ORIGIN_HEAP (default 3g),
#   JIT_WARMUP=5s (unmeasured wrk per object and cache before the rounds, twice that for 4 KiB; 0 = none),
#   BENCH_TMP=DIR (parent of the throwaway folder, default /tmp), KEEP_TMP=1 (keep that folder),
#   BENCH_LOGS=DIR (where the servers' logs are kept afterwards, default target/edge-bench-logs).
#
# The edges get -Xmx1g through EDGE_ARGS (it comes after topology.sh's -Xmx512m, and the last -Xmx wins): with 512m
# and heap-chunks=256, edge1 spent 24-123 full GCs in 3 minutes of rounds, and in one run of 32 MiB hits it ran out
# of direct memory (the JDK's limit defaults to -Xmx; Grizzly keeps a ~1 MiB direct buffer per writing thread) and
# answered 500 from then on. The script fails if any instance logs an OutOfMemoryError.
# The origin gets a 3 GiB heap (ORIGIN_ARGS=-Dpomf.heap=3g): with the launcher's 512m it ran out of memory in 2 of 4
# runs during nginx's herd (100 simultaneous 32 MiB responses, each queued on the heap by Grizzly's async write queue
# while the reader lags), which broke every later step. The script checks the origin's log for OutOfMemoryError.
# The topology runs from a snapshot: pom.xml, server-config/ (topology.sh unchanged) and target/ (WAR,
# payara-micro.jar, classes) copied into the throwaway folder, because the launcher deletes and reuses
# <project>/target/payara-root and a concurrent `mvn verify` in the work tree could replace the WAR under it.
# On exit (normal, error, Ctrl-C) it stops what it started, by PID: nginx, the relay, the third edge, then
# `topology.sh stop`; then anything still running from the throwaway folder, and checks with ps that nothing is left.
# Exit status: 0 when every check passed (sizes, HTTP 200, HIT after warming, no wrk errors), 1 otherwise.
set -euo pipefail

ORIGIN_PORT=18100
EDGE1_PORT=18101
EDGE2_PORT=18102
EDGE3_PORT=18103
EDGE3_HZ=16103
NGINX_PORT=18190
NGINX_RELAY_PORT=18191
RELAY_PORT=18199
DB_PORT=54400   # fixed in topology.sh
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
JIT_WARMUP=${JIT_WARMUP:-5s}   # an unmeasured wrk run per object and cache before the rounds (the JVM's JIT);
                               # twice as long for the 4 KiB object, whose rate climbs the longest
EDGE_HEAP=${EDGE_HEAP-1g}   # the edges' -Xmx, see the note at the top; EDGE_HEAP= keeps topology.sh's 512m
ORIGIN_HEAP=${ORIGIN_HEAP:-3g}   # the origin's -Xmx (the launcher's default is 512m), see the note at the top
HERD_CLIENTS=100
HERD_RATE=$((4 * 1048576))  # bytes/s per origin connection: 32 MiB in 8 s
ZIPF_OBJECTS=2000
ZIPF_SIZE=16384
ZIPF_REQUESTS=20000
ZIPF_EXPONENT=1.0
ZIPF_SEED=20240601
ZIPF_THREADS=16
BIG=33554432

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=$ROOT/src/bench
BENCH_TMP=${BENCH_TMP:-/tmp}
BENCH_LOGS=${BENCH_LOGS:-$ROOT/target/edge-bench-logs}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
UPLOAD_URL="http://127.0.0.1:$ORIGIN_PORT/upload.php?output=text"
EDGE_OPTS="-Dpomf.edge.max-size=4294967296 -Dpomf.edge.valid=10m -Dpomf.edge.min-uses=2 -Dpomf.edge.heap-chunks=256"
[[ -n $EDGE_HEAP ]] && EDGE_OPTS="-Xmx$EDGE_HEAP $EDGE_OPTS"   # after topology.sh's -Xmx512m: the last one wins
ORIGIN_OPTS="-Dpomf.heap=$ORIGIN_HEAP"                           # read by the launcher (pomf.run.LocalRun)

log() { printf '[edge-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ns() { date +%s%N; }
# calc FORMAT EXPR VAR=VALUE...: floating point with awk, e.g. calc '%.1f' 'a/b' a=1 b=3
calc() { local fmt=$1 expr=$2; shift 2; local args=(); for kv in "$@"; do args+=(-v "$kv"); done
         awk "${args[@]}" "BEGIN { printf \"$fmt\", ($expr) }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { calc '%.2f' 'b > 0 ? a / b : 0' a="$1" b="$2"; }

START_NS=$(now_ns)
FAILURES=()
fail() { FAILURES+=("$*"); log "CHECK FAILED: $*"; }

# --- 1. tools ------------------------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    [[ $(id -u) == 0 ]] || die "nginx and wrk are missing and only root can install them (apt-get install nginx-light wrk)"
    log "installing nginx-light and wrk"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq nginx-light wrk >/dev/null; then
        apt-get update -qq && apt-get install -y -qq nginx-light wrk >/dev/null || die "apt-get install nginx-light wrk failed"
    fi
fi
for tool in curl python3 java mvn awk ps xargs setsid nginx wrk; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number"
[[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION must be a wrk duration such as 10s"

# --- ports: another person may run tests (18080/16900) or the topology ---------------------------------------------
busy=()
for port in "$ORIGIN_PORT" "$EDGE1_PORT" "$EDGE2_PORT" "$EDGE3_PORT" "$NGINX_PORT" "$NGINX_RELAY_PORT" "$RELAY_PORT" \
    16100 16101 16102 "$EDGE3_HZ" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy+=("$port"); fi
done
((${#busy[@]} == 0)) || die "port(s) ${busy[*]} already in use (is a topology running? server-config/topology.sh status)"

# --- build once, then snapshot what the topology needs --------------------------------------------------------------
if [[ ! -f $ROOT/target/pomf.war || ! -f $ROOT/target/payara-micro.jar || ! -d $ROOT/target/test-classes/pomf/run ]]; then
    log "building (mvn -q -B package -DskipTests)"
    (cd "$ROOT" && mvn -q -B package -DskipTests)
fi

TMP=''
CHILD=''       # the long foreground command running now (wrk, the herd's xargs, the Zipf client), see fg
NGINX_PID=''
RELAY_PID=''
EDGE3_PID=''
TOPO_PID=''
TOPO_STARTED=0
APP=''

stop_pid() { # name pid seconds: TERM, wait, then KILL
    local name=$1 pid=$2 secs=$3 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < secs * 2; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop in $secs s: killing it"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    log "$name stopped (pid $pid)"
}

ours_left() { # pids of processes whose command line names the throwaway folder
    [[ -n $TMP ]] || return 0
    local pid args
    while read -r pid args; do
        [[ $args == *"$TMP/"* && $pid != "$$" && $pid != "$BASHPID" ]] && echo "$pid"
    done < <(ps -e -o pid=,args= 2>/dev/null || true)
    return 0
}

# Long commands run in the background and are waited for, so a TERM reaches the trap at once (bash runs traps only
# between foreground commands); cleanup stops the command and its children (the herd's curls) by PID.
fg() { "$@" & CHILD=$!; local rc=0; wait "$CHILD" || rc=$?; CHILD=''; return "$rc"; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
        local kids
        kids=$(ps -o pid= --ppid "$CHILD" 2>/dev/null)
        kill -TERM "$CHILD" $kids 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    stop_pid nginx "$NGINX_PID" 20
    stop_pid relay "$RELAY_PID" 5
    stop_pid edge3 "$EDGE3_PID" 60
    stop_pid "topology.sh start" "$TOPO_PID" 5
    if ((TOPO_STARTED)); then
        TOPOLOGY_DIR=$TMP/topology "$APP/server-config/topology.sh" stop >&2
    fi
    local left i
    left=$(ours_left)
    if [[ -n $left ]]; then
        for ((i = 0; i < 20; i++)); do left=$(ours_left); [[ -z $left ]] && break; sleep 1; done
        for pid in $left; do
            log "pid $pid outlived its stop: killing it ($(ps -o args= -p "$pid" | cut -c1-120))"
            kill -KILL "$pid" 2>/dev/null
        done
    fi
    if [[ -n $TMP && -d $TMP ]]; then
        mkdir -p "$BENCH_LOGS"
        for f in topology/origin.log topology/edge1.log topology/edge2.log edge3.log relay.log nginx/error.log; do
            [[ -f $TMP/$f ]] && cp "$TMP/$f" "$BENCH_LOGS/$(basename "$f")"
        done
        log "servers' logs kept in $BENCH_LOGS"
        sleep 1
        left=$(ours_left)
        if [[ -n $left ]]; then
            log "still running after cleanup: $left"
            rc=1
        else
            log "ps: no process of this run is left"
        fi
        if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    fi
    log "total runtime $(calc '%.0f' '(e - s) / 1e9' e="$(now_ns)" s="$START_NS") s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/edge-bench.XXXXXX")
chmod 755 "$TMP"   # nginx's worker runs as nobody and must reach its cache folder
log "throwaway folder: $TMP"
APP=$TMP/app
mkdir -p "$APP/target"
cp "$ROOT/pom.xml" "$APP/"
cp -r "$ROOT/server-config" "$APP/"
cp -r "$ROOT/target/pomf.war" "$ROOT/target/payara-micro.jar" "$ROOT/target/classes" "$ROOT/target/test-classes" \
    "$APP/target/"
# A WAR being rewritten by a concurrent build would fail to deploy much later: check the copy now.
python3 -c 'import sys, zipfile; bad = zipfile.ZipFile(sys.argv[1]).testzip(); sys.exit(bad is not None)' "$APP/target/pomf.war" \
    || die "target/pomf.war is not a complete archive (a build running?); try again when it is done"
WAR_INFO="$(date -r "$ROOT/target/pomf.war" '+%F %T')"
GIT_INFO="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" \
    && [[ -n $(git status --porcelain 2>/dev/null) ]] && echo ' (work tree has changes)' || true)"

# --- 2. topology (in the background, while the test data is made) ---------------------------------------------------
log "starting the topology (origin $ORIGIN_PORT, edges $EDGE1_PORT/$EDGE2_PORT; EDGE_ARGS=$EDGE_OPTS ORIGIN_ARGS=$ORIGIN_OPTS)"
TOPO_STARTED=1
TOPOLOGY_DIR=$TMP/topology EDGE_ARGS=$EDGE_OPTS ORIGIN_ARGS=$ORIGIN_OPTS "$APP/server-config/topology.sh" start >"$TMP/topology-start.log" 2>&1 &
TOPO_PID=$!

# --- test data ------------------------------------------------------------------------------------------------------
DATA=$TMP/data
mkdir -p "$DATA/zipf"
head -c 4096 /dev/urandom >"$DATA/o4k.bin"
head -c 1048576 /dev/urandom >"$DATA/o1m.bin"
head -c "$BIG" /dev/urandom >"$DATA/o32m.bin"
head -c "$BIG" /dev/urandom >"$DATA/herd-ours.bin"
head -c "$BIG" /dev/urandom >"$DATA/herd-nginx.bin"
python3 - "$DATA/zipf" "$ZIPF_OBJECTS" "$ZIPF_SIZE" <<'EOF'
import os, sys
folder, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    with open(os.path.join(folder, f"z{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(size))
EOF

# --- 3. nginx and the relay -----------------------------------------------------------------------------------------
NG=$TMP/nginx
mkdir -p "$NG"/cache "$NG"/cache-relay "$NG"/temp/{client,proxy,fastcgi,uwsgi,scgi}
chown -R nobody:nogroup "$NG/cache" "$NG/cache-relay" "$NG/temp"
cat >"$NG/nginx.conf" <<EOF
# edge-bench.sh: the original deployment's proxy_cache settings (shared/specs/edge-cache.md), max_size as ours.
worker_processes 1;
daemon off;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    log_format cache '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent \$upstream_cache_status \$request_time';
    access_log $NG/access.log cache buffer=64k flush=1s;
    client_body_temp_path $NG/temp/client;
    proxy_temp_path $NG/temp/proxy;
    fastcgi_temp_path $NG/temp/fastcgi;
    uwsgi_temp_path $NG/temp/uwsgi;
    scgi_temp_path $NG/temp/scgi;
    sendfile on;

    proxy_cache_path $NG/cache levels=1:2 keys_zone=pomf:50m max_size=4g inactive=1d use_temp_path=off;
    proxy_cache_path $NG/cache-relay levels=1:2 keys_zone=pomf_relay:50m max_size=4g inactive=1d use_temp_path=off;
    proxy_cache_valid 200 206 302 10m;
    proxy_cache_min_uses 2;
    proxy_cache_lock on;
    proxy_cache_lock_timeout 5s;
    proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
    proxy_cache_revalidate on;
    proxy_ignore_headers Set-Cookie Cache-Control Expires;
    proxy_hide_header Set-Cookie;
    proxy_buffering on;
    proxy_force_ranges on;
    proxy_read_timeout 90s;
    proxy_cache_max_range_offset 32m;
    add_header X-Cache-Status \$upstream_cache_status;

    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_cache pomf;
            proxy_pass http://127.0.0.1:$ORIGIN_PORT;
        }
    }
    server {
        listen 127.0.0.1:$NGINX_RELAY_PORT;
        location / {
            proxy_cache pomf_relay;
            proxy_pass http://127.0.0.1:$RELAY_PORT;
        }
    }
}
EOF
nginx -t -q -c "$NG/nginx.conf" -p "$NG" 2>"$NG/test.log" || { cat "$NG/test.log" >&2; die "nginx rejected its configuration"; }
nginx -c "$NG/nginx.conf" -p "$NG" 2>>"$NG/error.log" &
NGINX_PID=$!
python3 "$BENCH/edge-bench-relay.py" --listen "127.0.0.1:$RELAY_PORT" --upstream "127.0.0.1:$ORIGIN_PORT" \
    >"$TMP/relay.log" 2>&1 &
RELAY_PID=$!
relay() { curl -sf "http://127.0.0.1:$RELAY_PORT/__relay/$1"; }

wait_ready() { # name url pid seconds
    local i
    for ((i = 0; i < $4; i++)); do
        curl -sf -o /dev/null "$2" && return 0
        kill -0 "$3" 2>/dev/null || die "$1 exited before it was ready"
        sleep 1
    done
    die "$1 was not ready after $4 s"
}
wait_ready relay "http://127.0.0.1:$RELAY_PORT/__relay/stats" "$RELAY_PID" 20
for ((i = 0; i < 20; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null && break; sleep 0.5; done
kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NG/error.log" >&2; die "nginx exited"; }
log "nginx (pid $NGINX_PID) on $NGINX_PORT/$NGINX_RELAY_PORT, relay (pid $RELAY_PID) on $RELAY_PORT"

# The third edge needs the database (Payara validates the persistence unit): start it once the origin is up.
wait_ready origin "http://127.0.0.1:$ORIGIN_PORT/health/ready" "$TOPO_PID" 300
mkdir -p "$TMP/edge3"
# shellcheck disable=SC2086
setsid "$JAVA" -Xmx512m -XX:+UseParallelGC -Djdk.nio.maxCachedBufferSize=262144 -Dhazelcast.socket.bind.any=false \
    -Dpomf.http.address=127.0.0.1 -Dpomf.hazelcast.port="$EDGE3_HZ" \
    -Djava.util.logging.config.file="$APP/server-config/logging.properties" \
    -Dpomf.roles=edge -Dpomf.edge.origin-url="http://127.0.0.1:$RELAY_PORT" \
    -Dpomf.edge.cache-dir="$TMP/edge3/cache" -Dpomf.public-url="http://127.0.0.1:$ORIGIN_PORT" \
    -Dpomf.db.url="jdbc:postgresql://127.0.0.1:$DB_PORT/pomf" -Dpomf.db.user=postgres -Dpomf.db.password=postgres \
    $EDGE_OPTS \
    -jar "$APP/target/payara-micro.jar" --deploy "$APP/target/pomf.war" --contextroot / --port "$EDGE3_PORT" \
    --rootdir "$TMP/edge3/payara" --prebootcommandfile "$APP/server-config/pre-boot-commands.txt" --nocluster \
    >"$TMP/edge3.log" 2>&1 </dev/null &
EDGE3_PID=$!
log "origin ready; third edge (pid $EDGE3_PID) starting on $EDGE3_PORT, origin = relay"

# --- 4. test objects, uploaded to the origin -------------------------------------------------------------------------
declare -A PATH_OF=() SIZE_OF=()
upload_one() { # label file
    local url
    url=$(curl -s -F "files[]=@$2" "$UPLOAD_URL")
    [[ $url == http* ]] || die "upload of $2 did not return a URL: $url"
    PATH_OF[$1]=/f/${url##*/f/}
    SIZE_OF[$1]=$(stat -c %s "$2")
}
upload_one o4k "$DATA/o4k.bin"
upload_one o1m "$DATA/o1m.bin"
upload_one o32m "$DATA/o32m.bin"
upload_one herd-ours "$DATA/herd-ours.bin"
upload_one herd-nginx "$DATA/herd-nginx.bin"
: >"$TMP/zipf-names.txt"
batch=()
flush_batch() {
    ((${#batch[@]})) || return 0
    local args=() f out n
    for f in "${batch[@]}"; do args+=(-F "files[]=@$f"); done
    out=$(curl -s "${args[@]}" "$UPLOAD_URL")
    n=$(grep -c '^http' <<<"$out" || true)
    ((n == ${#batch[@]})) || die "a batch of ${#batch[@]} uploads returned $n URLs: $(head -c 300 <<<"$out")"
    sed -n 's#^https\?://[^/]*##p' <<<"$out" >>"$TMP/zipf-names.txt"
    batch=()
}
for f in "$DATA"/zipf/z*.bin; do
    batch+=("$f")
    ((${#batch[@]} < 100)) || flush_batch
done
flush_batch
distinct=$(sort -u "$TMP/zipf-names.txt" | wc -l)
((distinct == ZIPF_OBJECTS)) || die "the $ZIPF_OBJECTS small uploads gave $distinct distinct paths"
for label in o4k o1m o32m herd-ours herd-nginx; do
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$ORIGIN_PORT${PATH_OF[$label]}")
    [[ $got == "200 ${SIZE_OF[$label]}" ]] || die "origin GET ${PATH_OF[$label]}: $got, expected 200 ${SIZE_OF[$label]}"
done
log "uploaded 5 objects and $ZIPF_OBJECTS small ones; waiting for the edges"

wait "$TOPO_PID" || { cat "$TMP/topology-start.log" >&2; TOPO_PID=''; die "topology.sh start failed"; }
TOPO_PID=''
wait_ready edge3 "http://127.0.0.1:$EDGE3_PORT/health/ready" "$EDGE3_PID" 300
EDGE1_PID=$(cat "$TMP/topology/edge1.pid")
log "all up: origin, edge1 (pid $EDGE1_PID), edge2, edge3 (pid $EDGE3_PID), nginx, relay"

# --- 5a. cached hits ------------------------------------------------------------------------------------------------
declare -A BASE_OF=([ours]="http://127.0.0.1:$EDGE1_PORT" [nginx]="http://127.0.0.1:$NGINX_PORT")
declare -A WARM=()
for label in o4k o1m o32m; do
    for cache in ours nginx; do
        seen=()
        for i in 1 2 3; do
            got=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %header{x-cache-status}' \
                "${BASE_OF[$cache]}${PATH_OF[$label]}")
            read -r code size status <<<"$got"
            [[ $code == 200 && $size == "${SIZE_OF[$label]}" ]] \
                || die "warming $label on $cache: request $i got HTTP $code, $size bytes (expected ${SIZE_OF[$label]})"
            seen+=("${status:-none}")
        done
        WARM[$cache.$label]="${seen[*]}"
        [[ ${seen[2]} == HIT ]] || die "warming $label on $cache: X-Cache-Status ${seen[*]}, the third is not HIT"
    done
done
log "warm: $(for k in "${!WARM[@]}"; do printf '%s=[%s] ' "$k" "${WARM[$k]}"; done)"

declare -A RPS=() WRK_NOTES=()
run_wrk() { # cache label round
    local out=$TMP/wrk.$1.$2.$3 rps non2xx sockerr
    fg wrk -t2 -c32 -d"$DURATION" --timeout 30s "${BASE_OF[$1]}${PATH_OF[$2]}" >"$out" 2>&1 || fail "wrk $1 $2 exited non-zero"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    [[ -n $rps ]] || { cat "$out" >&2; fail "wrk $1 $2 printed no Requests/sec"; rps=0; }
    RPS[$1.$2]="${RPS[$1.$2]:-} $rps"
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    [[ -z $non2xx ]] || fail "wrk $1 $2 round $3: $non2xx non-2xx/3xx responses"
    sockerr=$(grep 'Socket errors' "$out" || true)
    if [[ -n $sockerr ]]; then
        WRK_NOTES[$1.$2]+="r$3: ${sockerr#*Socket errors: }; "
        grep -Eq 'read [1-9]|write [1-9]|timeout [1-9]' <<<"$sockerr" && fail "wrk $1 $2 round $3: $sockerr"
    fi
    log "a. round $3 $1 $2: $rps req/s${non2xx:+, $non2xx non-2xx}${sockerr:+, $sockerr}"
}
if [[ $JIT_WARMUP != 0 ]]; then
    log "a. JIT warm-up: wrk -d$JIT_WARMUP on each object and cache, not measured"
    for label in o4k o1m o32m; do
        warm=$JIT_WARMUP
        [[ $label == o4k && $JIT_WARMUP =~ ^([0-9]+)s$ ]] && warm=$((BASH_REMATCH[1] * 2))s
        for cache in ours nginx; do
            fg wrk -t2 -c32 -d"$warm" --timeout 30s "${BASE_OF[$cache]}${PATH_OF[$label]}" >/dev/null 2>&1 \
                || fail "warm-up wrk $cache $label exited non-zero"
        done
    done
fi
# The edge's garbage collection during the rounds (does the heap matter?): jstat before and after.
gc_sample() { command -v jstat >/dev/null && jstat -gcutil "$EDGE1_PID" 2>/dev/null | awk 'NR == 2 { print $7, $8, $9, $10, $4 }' || true; }
GC_BEFORE=$(gc_sample)
ROUNDS_T0=$(now_ns)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= ROUNDS; round++)); do
    for label in o4k o1m o32m; do
        if ((round % 2)); then run_wrk ours "$label" "$round"; run_wrk nginx "$label" "$round"
        else run_wrk nginx "$label" "$round"; run_wrk ours "$label" "$round"; fi
    done
done
GC_AFTER=$(gc_sample)
ROUNDS_NS=$(($(now_ns) - ROUNDS_T0))
for label in o4k o1m o32m; do   # still hits after the load?
    for cache in ours nginx; do
        got=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %header{x-cache-status}' "${BASE_OF[$cache]}${PATH_OF[$label]}")
        [[ $got == "200 ${SIZE_OF[$label]} HIT" ]] || fail "after wrk, $cache $label: $got"
    done
done

# --- 5b. herd on a slow origin --------------------------------------------------------------------------------------
relay "rate?bps=$HERD_RATE" >/dev/null
relay reset >/dev/null
declare -A HERD_NS=() HERD_CODES=() HERD_CACHE=() HERD_OK=()
herd() { # cache base label
    local out=$TMP/herd.$1 t0 t1 ok
    log "b. herd: $HERD_CLIENTS clients at once for ${PATH_OF[$3]} on $1 ($2), origin at $((HERD_RATE / 1048576)) MiB/s per connection"
    t0=$(now_ns)
    seq "$HERD_CLIENTS" >"$TMP/herd.seq"
    fg xargs -a "$TMP/herd.seq" -P "$HERD_CLIENTS" -I{} curl -s -o /dev/null --max-time 120 \
        -w '%{http_code} %{size_download} %header{x-cache-status}\n' "$2${PATH_OF[$3]}" >"$out" || true
    t1=$(now_ns)
    HERD_NS[$1]=$((t1 - t0))
    ok=$(awk -v s="$BIG" '$1 == 200 && $2 == s' "$out" | wc -l)
    HERD_OK[$1]=$ok
    HERD_CODES[$1]=$(awk '{ print $1 }' "$out" | sort | uniq -c | awk '{ printf "%s%d×%s", (NR > 1 ? "," : ""), $1, $2 }')
    HERD_CACHE[$1]=$(awk '{ print ($3 == "" ? "none" : $3) }' "$out" | sort | uniq -c \
        | awk '{ printf "%s%d×%s", (NR > 1 ? "," : ""), $1, $2 }')
    ((ok == HERD_CLIENTS)) || fail "herd on $1: only $ok of $HERD_CLIENTS clients got HTTP 200 with $BIG bytes (${HERD_CODES[$1]})"
}
herd ours "http://127.0.0.1:$EDGE3_PORT" herd-ours
herd nginx "http://127.0.0.1:$NGINX_RELAY_PORT" herd-nginx
sleep 2   # fills still running in the background (ours) finish and are counted
relay stats >"$TMP/herd-stats.json"
declare -A HERD_AFTER=()
HERD_AFTER[ours]=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %header{x-cache-status}' "http://127.0.0.1:$EDGE3_PORT${PATH_OF[herd-ours]}")
HERD_AFTER[nginx]=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %header{x-cache-status}' "http://127.0.0.1:$NGINX_RELAY_PORT${PATH_OF[herd-nginx]}")
for cache in ours nginx; do
    [[ ${HERD_AFTER[$cache]} == "200 $BIG HIT" ]] || fail "after the herd, $cache: ${HERD_AFTER[$cache]} (expected 200 $BIG HIT)"
done
relay_field() { # stats-file path field
    python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["paths"].get(sys.argv[2], {}); print(p.get(sys.argv[3], 0))' "$@"
}
declare -A HERD_REQ=() HERD_RANGED=() HERD_BYTES=()
HERD_REQ[ours]=$(relay_field "$TMP/herd-stats.json" "${PATH_OF[herd-ours]}" requests)
HERD_RANGED[ours]=$(relay_field "$TMP/herd-stats.json" "${PATH_OF[herd-ours]}" ranged)
HERD_BYTES[ours]=$(relay_field "$TMP/herd-stats.json" "${PATH_OF[herd-ours]}" bytes)
HERD_REQ[nginx]=$(relay_field "$TMP/herd-stats.json" "${PATH_OF[herd-nginx]}" requests)
HERD_RANGED[nginx]=$(relay_field "$TMP/herd-stats.json" "${PATH_OF[herd-nginx]}" ranged)
HERD_BYTES[nginx]=$(relay_field "$TMP/herd-stats.json" "${PATH_OF[herd-nginx]}" bytes)
log "b. relay: ours ${HERD_REQ[ours]} requests (${HERD_RANGED[ours]} with Range), ${HERD_BYTES[ours]} bytes;" \
    "nginx ${HERD_REQ[nginx]} requests (${HERD_RANGED[nginx]} with Range), ${HERD_BYTES[nginx]} bytes"

origin_sick() { # why the origin cannot go on, or nothing
    if grep -q 'OutOfMemoryError' "$TMP/topology/origin.log"; then echo "the origin ran out of memory (see origin.log)"
    elif ! curl -sf -m 10 -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/health/ready"; then echo "the origin is not ready"
    fi
}
ORIGIN_SICK=$(origin_sick)
[[ -z $ORIGIN_SICK ]] || fail "after the herd: $ORIGIN_SICK; the Zipf trace is skipped"

# --- 5c. Zipf trace -------------------------------------------------------------------------------------------------
relay "rate?bps=0" >/dev/null
declare -A ZIPF=() ZIPF_ORIGIN=() ZIPF_ORIGIN_REQ=()
zipf() { # cache base
    relay reset >/dev/null
    log "c. Zipf trace on $1 ($2): $ZIPF_REQUESTS requests, $ZIPF_OBJECTS objects, s=$ZIPF_EXPONENT, $ZIPF_THREADS threads"
    fg python3 "$BENCH/edge-bench-zipf.py" --base "$2" --names "$TMP/zipf-names.txt" --size "$ZIPF_SIZE" \
        --requests "$ZIPF_REQUESTS" --exponent "$ZIPF_EXPONENT" --seed "$ZIPF_SEED" --threads "$ZIPF_THREADS" \
        --deadline 240 >"$TMP/zipf.$1.json" || fail "the Zipf client failed on $1"
    relay stats >"$TMP/zipf-relay.$1.json"
    ZIPF_ORIGIN[$1]=$(python3 -c 'import json, sys; print(sum(p["bytes"] for p in json.load(open(sys.argv[1]))["paths"].values()))' "$TMP/zipf-relay.$1.json")
    ZIPF_ORIGIN_REQ[$1]=$(python3 -c 'import json, sys; print(sum(p["requests"] for p in json.load(open(sys.argv[1]))["paths"].values()))' "$TMP/zipf-relay.$1.json")
    local failures
    if ! failures=$(zipf_field "$1" failures 2>/dev/null); then
        fail "Zipf on $1: the client printed no result"
        rm -f "$TMP/zipf.$1.json"
        return 0
    fi
    ((failures == 0)) || fail "Zipf on $1: $failures failed requests: $(zipf_field "$1" failure_examples)"
}
zipf_field() { # cache key: a field of the Zipf client's JSON
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$TMP/zipf.$1.json" "$2"
}
zipf_expr() { # cache expression over that JSON, named r
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/zipf.$1.json" "$2"
}
if [[ -z $ORIGIN_SICK ]]; then
    zipf ours "http://127.0.0.1:$EDGE3_PORT"
    zipf nginx "http://127.0.0.1:$NGINX_RELAY_PORT"
    ORIGIN_SICK=$(origin_sick)
    [[ -z $ORIGIN_SICK ]] || fail "after the Zipf trace: $ORIGIN_SICK"
fi

# --- what the servers said meanwhile ---------------------------------------------------------------------------------
log_summary() { # file: warnings past the boot noise every instance logs (expired CA certificates in Payara's
    # trust store, the JDBC driver unregistered), the responses that failed with an exception, their causes
    [[ -f $1 ]] || { echo "no log"; return; }
    local w s f causes
    w=$(grep -E 'WARNING' "$1" | grep -Evc 'SSL certificate with alias|registered the JDBC driver' || true)
    s=$(grep -c 'SEVERE' "$1" || true)
    f=$(grep -c 'Servlet.service() for servlet pomf.storage.boundary.FileServlet threw exception' "$1" || true)
    causes=$(grep -oE '^(Caused by: )?java\.[A-Za-z.]+(Exception|Error)(: [A-Za-z ]{1,40})?' "$1" | sed 's/^Caused by: //' \
        | sort | uniq -c | sort -rn | head -3 | awk '{ c = $1; $1 = ""; printf "%s%d×%s", (NR > 1 ? ", " : ""), c, substr($0, 2) }')
    echo "$w WARNING, $s SEVERE; $f responses failed with an exception${causes:+ ($causes)}"
}
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
for f in topology/edge1.log edge3.log; do   # (the origin's log is checked after the herd and the trace)
    n=$(grep -c 'OutOfMemoryError' "$TMP/$f" 2>/dev/null || true)
    ((${n:-0} == 0)) || fail "$(basename "$f" .log) logged $n lines with OutOfMemoryError"
done
OTHER_JAVA=0
while read -r pid comm args; do
    [[ $comm == java && $args != *"$TMP/"* ]] && OTHER_JAVA=$((OTHER_JAVA + 1))
done < <(ps -e -o pid=,comm=,args=)
NGINX_ERRORS=$(grep -Ec '\[(error|crit|alert|emerg)\]' "$NG/error.log" || true)
NGINX_WARNS=$(grep -c '\[warn\]' "$NG/error.log" || true)

# --- 6. the table ---------------------------------------------------------------------------------------------------
mb() { calc '%.1f' 'b / 1e6' b="$1"; }
mib() { calc '%.1f' 'b / 1048576' b="$1"; }
secs() { calc '%.2f' 'ns / 1e9' ns="$1"; }
line() { printf '%.0s-' {1..118}; echo; }
name_of() { case $1 in o4k) echo "4 KiB" ;; o1m) echo "1 MiB" ;; o32m) echo "32 MiB" ;; esac; }
echo
echo "pomf-ee edge cache vs nginx $(nginx -v 2>&1 | sed 's#.*nginx/##'), $(date '+%F %T %Z'), $(nproc) cores, git $GIT_INFO"
echo "WAR built $WAR_INFO; edges: ParallelGC -Xmx${EDGE_HEAP:-512m}, EDGE_ARGS=$EDGE_OPTS; origin -Xmx$ORIGIN_HEAP"
echo "nginx: 1 worker, sendfile, the original's proxy_cache settings (min_uses 2, lock on, lock_timeout 5s, valid 10m, max_size 4g)"
echo "units: req/s; MB = 10^6 bytes (MB/s = body bytes only), MiB = 2^20 bytes; ratio = ours/nginx"
echo "machine: load (1/5/15 min) $LOAD_BEFORE before the rounds → $LOAD_AFTER at the end; other java processes (not ours): $OTHER_JAVA"
line
echo "a. cached hits, wrk -t2 -c32 -d$DURATION, median of $ROUNDS round(s) (order alternating); ours = edge1 :$EDGE1_PORT, nginx :$NGINX_PORT"
printf '%-8s %12s %12s %7s %10s %10s %7s   %s\n' object "ours req/s" "nginx req/s" ratio "ours MB/s" "nginx MB/s" ratio "rounds ours | nginx (req/s)"
for label in o4k o1m o32m; do
    # shellcheck disable=SC2086
    o=$(median ${RPS[ours.$label]}); n=$(median ${RPS[nginx.$label]})
    omb=$(calc '%.1f' 'r * s / 1e6' r="$o" s="${SIZE_OF[$label]}"); nmb=$(calc '%.1f' 'r * s / 1e6' r="$n" s="${SIZE_OF[$label]}")
    printf '%-8s %12.0f %12.0f %7s %10s %10s %7s   %s |%s\n' "$(name_of "$label")" "$o" "$n" "$(ratio "$o" "$n")" \
        "$omb" "$nmb" "$(ratio "$omb" "$nmb")" "$(printf '%.0f ' ${RPS[ours.$label]})" "$(printf ' %.0f' ${RPS[nginx.$label]})"
done
echo "   warming (3 requests): $(for l in o4k o1m o32m; do printf '%s ours %s, nginx %s; ' "$(name_of "$l")" "${WARM[ours.$l]}" "${WARM[nginx.$l]}"; done)"
notes=$(for k in "${!WRK_NOTES[@]}"; do printf '%s: %s' "$k" "${WRK_NOTES[$k]}"; done)
echo "   wrk socket errors: ${notes:-none}"
if [[ -n $GC_BEFORE && -n $GC_AFTER ]]; then
    read -r ygc0 ygct0 fgc0 fgct0 _ <<<"$GC_BEFORE"; read -r ygc1 ygct1 fgc1 fgct1 old1 <<<"$GC_AFTER"
    echo "   edge1 GC during the rounds (jstat): $((ygc1 - ygc0)) young collections $(calc '%.2f' 'b - a' a="$ygct0" b="$ygct1") s," \
        "$((fgc1 - fgc0)) full $(calc '%.2f' 'b - a' a="$fgct0" b="$fgct1") s, in $(secs "$ROUNDS_NS") s of rounds; old gen ${old1}% full after"
fi
line
echo "b. herd: $HERD_CLIENTS clients at once, uncached 32 MiB object, origin slowed to $((HERD_RATE / 1048576)) MiB/s per connection by the relay;"
echo "   ours = edge :$EDGE3_PORT, nginx :$NGINX_RELAY_PORT (each its own object)"
printf '%-6s %16s %14s %12s %9s %10s   %s\n' cache "origin requests" "(with Range)" "origin MiB" "wall s" "clients ok" "X-Cache-Status of the $HERD_CLIENTS answers; next request"
for cache in ours nginx; do
    printf '%-6s %16s %14s %12s %9s %10s   %s; %s\n' "$cache" "${HERD_REQ[$cache]}" "${HERD_RANGED[$cache]}" "$(mib "${HERD_BYTES[$cache]}")" \
        "$(secs "${HERD_NS[$cache]}")" "${HERD_OK[$cache]}/$HERD_CLIENTS" "${HERD_CACHE[$cache]}" "${HERD_AFTER[$cache]##* }"
done
printf '%-6s %16s %14s %12s %9s\n' ratio "$(ratio "${HERD_REQ[ours]}" "${HERD_REQ[nginx]}")" "" \
    "$(ratio "${HERD_BYTES[ours]}" "${HERD_BYTES[nginx]}")" "$(ratio "${HERD_NS[ours]}" "${HERD_NS[nginx]}")"
echo "   origin MiB = bytes the origin sent through the relay (status lines and headers included); HTTP codes: ours ${HERD_CODES[ours]}, nginx ${HERD_CODES[nginx]}"
echo "   relay peak: $(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("%d connections open, %.0f MiB held" % (d["max_open"], d["max_buffered"] / 1048576))' "$TMP/herd-stats.json")" \
    "(one Python process: with 100 streams at once it is CPU-bound on this machine and hands each less than 4 MiB/s)"
line
echo "c. Zipf trace: $ZIPF_REQUESTS requests over $ZIPF_OBJECTS objects of 16 KiB, s=$ZIPF_EXPONENT, seed $ZIPF_SEED, $ZIPF_THREADS threads (keep-alive),"
echo "   $( [[ -s $TMP/zipf.ours.json ]] && zipf_field ours distinct || echo '?') distinct objects requested; min uses 2 on both; caches behind the unthrottled relay: ours :$EDGE3_PORT, nginx :$NGINX_RELAY_PORT"
[[ -f $TMP/zipf.ours.json && -f $TMP/zipf.nginx.json ]] || echo "   (skipped: ${ORIGIN_SICK:-no result})"
[[ -f $TMP/zipf.ours.json && -f $TMP/zipf.nginx.json ]] && printf '%-6s %9s %7s %7s %22s %18s %16s %9s\n' cache "hit ratio" HIT MISS "other statuses" "origin MiB (relay)" "MISS × 16 KiB" "req/s"
[[ -f $TMP/zipf.ours.json && -f $TMP/zipf.nginx.json ]] && for cache in ours nginx; do
    hits=$(zipf_expr "$cache" 'r["cache"].get("HIT", 0)')
    misses=$(zipf_expr "$cache" 'r["cache"].get("MISS", 0)')
    other=$(zipf_expr "$cache" '",".join(f"{v}×{k}" for k, v in sorted(r["cache"].items()) if k not in ("HIT", "MISS")) or "none"')
    ZIPF[$cache.hr]=$(calc '%.4f' 'h / n' h="$hits" n="$ZIPF_REQUESTS")
    ZIPF[$cache.rps]=$(zipf_field "$cache" rps)
    printf '%-6s %9s %7s %7s %22s %18s %16s %9s\n' "$cache" "${ZIPF[$cache.hr]}" "$hits" "$misses" "$other" \
        "$(mib "${ZIPF_ORIGIN[$cache]}") (${ZIPF_ORIGIN_REQ[$cache]} req)" "$(mib $((misses * ZIPF_SIZE)))" "${ZIPF[$cache.rps]}"
done
[[ -n ${ZIPF[nginx.rps]:-} ]] && printf '%-6s %9s %7s %7s %22s %18s %16s %9s\n' ratio "$(ratio "${ZIPF[ours.hr]}" "${ZIPF[nginx.hr]}")" "" "" "" \
    "$(ratio "${ZIPF_ORIGIN[ours]}" "${ZIPF_ORIGIN[nginx]}")" "" "$(ratio "${ZIPF[ours.rps]}" "${ZIPF[nginx.rps]}")"
echo "   origin MiB (relay) = bytes the origin sent through the relay, headers included; req/s is bound by the Python client (one process)"
line
echo "logs: edge1 $(log_summary "$TMP/topology/edge1.log"); edge3 $(log_summary "$TMP/edge3.log"); origin $(log_summary "$TMP/topology/origin.log")"
echo "      nginx error.log: $NGINX_ERRORS error/crit/alert, $NGINX_WARNS warn; runtime so far $(calc '%.0f' '(e - s) / 1e9' e="$(now_ns)" s="$START_NS") s"
if ((${#FAILURES[@]})); then
    echo "CHECKS FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
else
    echo "all checks passed (sizes, HTTP 200, HIT after warming and after the load, no wrk errors)"
fi
line
((${#FAILURES[@]} == 0)) || exit 1
