#!/usr/bin/env bash
# crowd-bench.sh: a crowd of slow viewers on our edge and on nginx side by side, then slow uploads on the origin
# (issue 20: "a thousand slow viewers per edge: serving that does not hold a thread per download"), in one run.
#
# What it starts (every server on 127.0.0.1 only; all in a throwaway folder):
#   - the local topology (server-config/topology.sh with ORIGIN_PORT=18300 EDGE1_PORT=18301 EDGE2_PORT=18302
#     DB_PORT=54600), run from a snapshot of the build (see below); the edges get -Xmx$EDGE_HEAP
#     (default 1g, README "Sizing") through EDGE_ARGS, the origin -Xmx$ORIGIN_HEAP (default 1g, the unit's);
#   - nginx 1.22 (Debian's nginx-light) on 18390, a proxy_cache in front of the same origin with the original
#     deployment's settings (edge-bench.sh's block: shared/specs/edge-cache.md), 1 worker, sendfile on,
#     worker_connections 8192 and worker_rlimit_nofile = this shell's hard limit, so 3000+ clients fit, and
#     `listen ... sndbuf=128k` (NGINX_SNDBUF): the same fixed SO_SNDBUF as our edge's Grizzly
#     (pre-boot socket-write-buffer-size=131072). Without it the kernel autotunes each of nginx's send buffers up to
#     tcp_wmem's 4 MiB: at 1000 viewers the machine's TCP memory (tcp_mem, 2.2 GiB here) ran out, the kernel
#     logged "TCP: out of memory" and reset connections (nginx's own probes failed, and anyone else's sockets
#     could have). NGINX_SNDBUF= restores autotuning.
# What it measures (src/bench/crowd-client.py: asyncio, stdlib only, the crowd split over CLIENT_PROCS processes):
#   a. viewers: for each N of NS (default 200 1000 3000), our edge1 (:18301) then nginx (:18390), both serving the
#      same 8 MiB file after warming it to X-Cache-Status: HIT. N clients, started evenly over RAMP_SECONDS (2 s),
#      each on a fresh connection with SO_RCVBUF=RCVBUF (16384) set before connect, read the file at a fixed rate
#      counted from their first body byte (64 KB/s for N < 3000, 16 KB/s from 3000 on; RATE or RATE_<N> override,
#      bytes/s), compare every byte with the file, and close at PHASE_SECONDS (20 s; the ramp included) wherever they
#      are (one that finishes the file starts over). Meanwhile a probe GETs a cached 4 KiB file from the same server
#      on a fresh connection every PROBE_INTERVAL (0.25 s) with a PROBE_TIMEOUT (10 s), and a watcher samples the
#      server's process(es) every 0.25 s. After the measured PHASE_SECONDS the crowd stays connected HOLD_SECONDS
#      (5 s, not measured) while the edge's heap after a full GC is taken (jcmd GC.run, then GC.heap_info); after the
#      crowd left, the heap again, SETTLE_SECONDS (3 s) of rest, the threads left, and one whole read of the file with
#      curl compared with cmp.
#      Columns: "1st byte ≤5s" = clients whose first body byte came within FIRST_BYTE_LIMIT (5 s) of their connect
#      (of N); "started" = clients that got a first body byte at all; "1st byte p50/max" in seconds over those;
#      "MB/s" = body bytes the crowd read per second over the steady window (RAMP_SECONDS + STEADY_SKIP (2 s) to the
#      end of the phase) and, in brackets, that as a share of the demand N x rate; "probe" = p50/p99 latency in ms
#      (connect to last byte) of the probes that succeeded, and ok/failed (failed = timeout, reset, refused, wrong
#      answer); "threads" = the most threads seen during the phase (the edge JVM's /proc/<pid>/task; for nginx its
#      processes: master, worker, cache manager) and, after the slash, those left after the settle time;
#      "heap on/off" = the edge's heap in use after a full GC (MiB) with the crowd connected / after it left;
#      "CPU s/GB" = the server's CPU time (utime+stime of /proc/<pid>/stat; nginx: master + children) during the
#      phase per 10^9 body bytes the crowd read in the phase; "client" = the busiest client process's CPU (% of a
#      core) and the p99 lateness of a 100 ms ticker in the client processes (their event loop lag): small lag = the
#      client kept its schedule and the server set the pace, which nginx's "of demand" near 100% confirms.
#      Ratio = ours/nginx.
#   b. uploads (SKIP_UPLOADS=1 skips them): against the origin (:18300) directly. First IDLE_SECONDS (10 s) idle,
#      then UPLOADS (500) clients, started over RAMP_SECONDS, each POSTing /upload.php a multipart `files[]` upload of
#      UPLOAD_SIZE (2 MiB) at UPLOAD_RATE (64 KB/s), closed (aborted) at UPLOAD_SECONDS (default PHASE_SECONDS), most
#      before they finish. In both: the probe (a cached 4 KiB file GET from the origin, fresh connection every 0.25 s)
#      and a normal NORMAL_SIZE (1 MiB) upload of fresh random bytes at full speed about every second. Printed: their
#      times idle and during, with the ratio during/idle (goal ≤ 2x), the origin's threads, CPU and heap after GC.
#   The client runs at nice CLIENT_NICE (-5; as root): this machine is shared, and with other people's work on both
#   cores the instrument must not be the process left waiting (the table prints the CPU pressure during the viewers).
#   MB means 10^6 bytes, KB 10^3 (64 KB/s = 64000 bytes/s), MiB 2^20. The goals of issue 20 are printed under the
#   table, met or missed; they are what the table is read against, not checks (the exit status ignores them).
#
# How to run (from anywhere, as root: it installs nginx-light with apt-get if it is missing):
#   src/bench/crowd-bench.sh                                   # about 8 minutes on 2 cores
#   PHASE_SECONDS=8 NS="200 1000" SKIP_UPLOADS=1 src/bench/crowd-bench.sh   # quicker smoke run
# Other knobs: RATE=bytes/s (every phase) or RATE_<N>=bytes/s (phase N), CLIENT_PROCS (2), TICK (0.25: a viewer reads
#   at most a quarter second's bytes at a time), EDGE_HEAP, EDGE_EXTRA (more JVM options for the edges), ORIGIN_HEAP,
#   NGINX_SNDBUF (128k; empty = autotuning),
#   HEAP_FLAT_MIB (64: "flat" = every phase's heap after GC within this of the idle one), BENCH_TMP=DIR (parent of the
#   throwaway folder, default /tmp), KEEP_TMP=1 (keep that folder), BENCH_LOGS=DIR (where the servers' logs and
#   each phase's JSON are kept afterwards, default target/crowd-bench-logs), THREAD_DUMPS=1 (a `jcmd Thread.print` of
#   the edge halfway through each of its phases, kept there as threads-<N>-ours.txt; off by default: it pauses the JVM).
#   Also RAMP_SECONDS (2), STEADY_SKIP (2), RCVBUF (16384), FIRST_BYTE_LIMIT (5), PROBE_INTERVAL (0.25),
#   PROBE_TIMEOUT (10), SETTLE_SECONDS (3), HOLD_SECONDS (5), CLIENT_NICE (-5), UPLOADS, UPLOAD_SIZE, UPLOAD_RATE,
#   UPLOAD_SECONDS, IDLE_SECONDS, NORMAL_SIZE.
#
# The topology runs from a snapshot: pom.xml, server-config/ and target/ (WAR, payara-micro.jar, classes) copied into
# the throwaway folder, so a concurrent build in the work tree cannot replace the WAR under it (as edge-bench.sh).
# File descriptors: the script raises its soft limit to the hard one (ulimit -n), which every server it starts
# inherits; the client raises its own (setrlimit).
# On exit (normal, error, Ctrl-C) it stops what it started, by PID: the client (its workers die with it), nginx,
# then `topology.sh stop`; then anything still running from the throwaway folder, and checks with ps that nothing
# is left. Exit status: 0 when every check passed (HIT after warming; every answer to a viewer or probe 200 with the
# file's length and bytes; whole reads after each phase equal to the file; idle probes and uploads all ok; no
# OutOfMemoryError in the logs), 1 otherwise.
set -euo pipefail

export ORIGIN_PORT=18300 EDGE1_PORT=18301 EDGE2_PORT=18302 DB_PORT=54600
NGINX_PORT=18390
PHASE_SECONDS=${PHASE_SECONDS:-20}
NS=${NS:-200 1000 3000}
RAMP_SECONDS=${RAMP_SECONDS:-2}
STEADY_SKIP=${STEADY_SKIP:-2}
RCVBUF=${RCVBUF:-16384}
TICK=${TICK:-0.25}
FIRST_BYTE_LIMIT=${FIRST_BYTE_LIMIT:-5}
PROBE_INTERVAL=${PROBE_INTERVAL:-0.25}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-10}
CLIENT_PROCS=${CLIENT_PROCS:-2}
SETTLE_SECONDS=${SETTLE_SECONDS:-3}
SKIP_UPLOADS=${SKIP_UPLOADS:-0}
UPLOADS=${UPLOADS:-500}
UPLOAD_SIZE=${UPLOAD_SIZE:-2097152}
UPLOAD_RATE=${UPLOAD_RATE:-64000}
UPLOAD_SECONDS=${UPLOAD_SECONDS:-$PHASE_SECONDS}
IDLE_SECONDS=${IDLE_SECONDS:-10}
NORMAL_SIZE=${NORMAL_SIZE:-1048576}
EDGE_HEAP=${EDGE_HEAP:-1g}
ORIGIN_HEAP=${ORIGIN_HEAP:-1g}
NGINX_SNDBUF=${NGINX_SNDBUF-128k}
HEAP_FLAT_MIB=${HEAP_FLAT_MIB:-64}
THREAD_DUMPS=${THREAD_DUMPS:-0}
HOLD_SECONDS=${HOLD_SECONDS:-5}
CLIENT_NICE=${CLIENT_NICE:--5}
[[ $(id -u) == 0 ]] || CLIENT_NICE=0   # only root may raise a priority
FILE_SIZE=8388608
PROBE_SIZE=4096

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=$ROOT/src/bench
BENCH_TMP=${BENCH_TMP:-/tmp}
BENCH_LOGS=${BENCH_LOGS:-$ROOT/target/crowd-bench-logs}
UPLOAD_URL="http://127.0.0.1:$ORIGIN_PORT/upload.php?output=text"
EDGE_OPTS="-Xmx$EDGE_HEAP ${EDGE_EXTRA:-}"          # after topology.sh's -Xmx512m: the last one wins
ORIGIN_OPTS="-Dpomf.heap=$ORIGIN_HEAP"   # read by the launcher (pomf.run.LocalRun)

log() { printf '[crowd-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ns() { date +%s%N; }
# calc FORMAT EXPR VAR=VALUE...: floating point with awk, e.g. calc '%.1f' 'a/b' a=1 b=3
calc() { local fmt=$1 expr=$2; shift 2; local args=(); for kv in "$@"; do args+=(-v "$kv"); done
         awk "${args[@]}" "BEGIN { printf \"$fmt\", ($expr) }"; }
num() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }
# ratio A B [FORMAT]: A/B, or "-" when either is missing or B is 0
ratio() { if num "$1" && num "$2" && [[ $(calc '%d' 'b != 0' b="$2") == 1 ]]; then calc "${3:-%.2f}" 'a / b' a="$1" b="$2"; else echo -; fi; }

START_NS=$(now_ns)
# The kernel's "TCP: out of memory" lines: the machine's TCP memory ran out (see NGINX_SNDBUF above).
tcp_oom_lines() { { dmesg 2>/dev/null || true; } | grep -c 'TCP: out of memory' || true; }
TCP_OOM_BEFORE=$(tcp_oom_lines)
FAILURES=()
fail() { FAILURES+=("$*"); log "CHECK FAILED: $*"; }

# --- 1. tools, knobs, limits ----------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null; then
    [[ $(id -u) == 0 ]] || die "nginx is missing and only root can install it (apt-get install nginx-light)"
    log "installing nginx-light"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq nginx-light >/dev/null; then
        apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null || die "apt-get install nginx-light failed"
    fi
fi
for tool in curl cmp python3 java jcmd mvn awk ps setsid nginx; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for knob in PHASE_SECONDS RCVBUF CLIENT_PROCS UPLOADS UPLOAD_SIZE UPLOAD_RATE UPLOAD_SECONDS IDLE_SECONDS NORMAL_SIZE \
    SETTLE_SECONDS HEAP_FLAT_MIB HOLD_SECONDS; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number (got '${!knob}')"
done
((PHASE_SECONDS > RAMP_SECONDS + STEADY_SKIP)) || die "PHASE_SECONDS must be longer than RAMP_SECONDS + STEADY_SKIP"
declare -a PHASE_N=() PHASE_RATE=()
for n in $NS; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "NS must list whole numbers of clients (got '$n')"
    var=RATE_$n
    rate=${!var:-${RATE:-$((n >= 3000 ? 16000 : 64000))}}
    [[ $rate =~ ^[1-9][0-9]*$ ]] || die "$var/RATE must be bytes per second (got '$rate')"
    PHASE_N+=("$n"); PHASE_RATE+=("$rate")
done
((${#PHASE_N[@]})) || die "NS is empty"
NOFILE=$(ulimit -Hn)
[[ $NOFILE == unlimited ]] && NOFILE=1048576
ulimit -n "$NOFILE"   # inherited by the topology, nginx and the client
max_n=$(printf '%s\n' "${PHASE_N[@]}" | sort -n | tail -1)
((NOFILE > 2 * max_n + 1000)) || log "warning: the file descriptor limit ($NOFILE) is tight for $max_n clients"

# --- ports: another person may run tests or a topology of their own --------------------------------------------------
busy=()
for port in "$ORIGIN_PORT" "$EDGE1_PORT" "$EDGE2_PORT" "$NGINX_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy+=("$port"); fi
done
((${#busy[@]} == 0)) || die "port(s) ${busy[*]} already in use (another crowd-bench running?)"

# --- build once, then snapshot what the topology needs --------------------------------------------------------------
if [[ ! -f $ROOT/target/pomf.war || ! -f $ROOT/target/payara-micro.jar || ! -d $ROOT/target/test-classes/pomf/run ]]; then
    log "building (mvn -q -B package -DskipTests)"
    (cd "$ROOT" && mvn -q -B package -DskipTests)
fi

TMP=''
CHILD=''       # the long foreground command running now (the client, a curl), see fg
NGINX_PID=''
TOPO_PID=''
DUMP_PID=''
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
# between foreground commands); cleanup stops the command and its children by PID. fg_to OUT ERR CMD...: the
# redirections are the command's, not around the call (the trap would run with the shell's stderr in ERR).
fg_to() { "${@:3}" >"$1" 2>"$2" & CHILD=$!; local rc=0; wait "$CHILD" || rc=$?; CHILD=''; return "$rc"; }

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
    stop_pid "thread dump" "$DUMP_PID" 5
    stop_pid nginx "$NGINX_PID" 20
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
        for f in topology/origin.log topology/edge1.log topology/edge2.log nginx/error.log; do
            [[ -f $TMP/$f ]] && cp "$TMP/$f" "$BENCH_LOGS/$(basename "$f")"
        done
        [[ -d $TMP/results ]] && cp -r "$TMP/results/." "$BENCH_LOGS/"
        log "servers' logs and the phases' JSON kept in $BENCH_LOGS"
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

TMP=$(mktemp -d "$BENCH_TMP/crowd-bench.XXXXXX")
chmod 755 "$TMP"   # nginx's worker runs as nobody and must reach its cache folder
log "throwaway folder: $TMP"
mkdir -p "$TMP/results"
rm -rf "$BENCH_LOGS"   # this run's logs only
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

# --- 2. topology (in the background, while the test data is made and nginx starts) ----------------------------------
log "starting the topology (origin $ORIGIN_PORT, edges $EDGE1_PORT/$EDGE2_PORT, database $DB_PORT;" \
    "EDGE_ARGS=$EDGE_OPTS ORIGIN_ARGS=$ORIGIN_OPTS; nofile $NOFILE)"
TOPO_STARTED=1
TOPOLOGY_DIR=$TMP/topology EDGE_ARGS=$EDGE_OPTS ORIGIN_ARGS=$ORIGIN_OPTS "$APP/server-config/topology.sh" start \
    >"$TMP/topology-start.log" 2>&1 &
TOPO_PID=$!

DATA=$TMP/data
mkdir -p "$DATA"
head -c "$FILE_SIZE" /dev/urandom >"$DATA/big.bin"
head -c "$PROBE_SIZE" /dev/urandom >"$DATA/small.bin"

# --- 3. nginx --------------------------------------------------------------------------------------------------------
NG=$TMP/nginx
mkdir -p "$NG"/cache "$NG"/temp/{client,proxy,fastcgi,uwsgi,scgi}
chown -R nobody:nogroup "$NG/cache" "$NG/temp"
cat >"$NG/nginx.conf" <<EOF
# crowd-bench.sh: the original deployment's proxy_cache settings (shared/specs/edge-cache.md, as edge-bench.sh), with
# room for thousands of clients and a fixed send buffer per connection like our edge's (see crowd-bench.sh's header).
worker_processes 1;
worker_rlimit_nofile $NOFILE;
daemon off;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 8192; }
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
        listen 127.0.0.1:$NGINX_PORT${NGINX_SNDBUF:+ sndbuf=$NGINX_SNDBUF};
        location / {
            proxy_cache pomf;
            proxy_pass http://127.0.0.1:$ORIGIN_PORT;
        }
    }
}
EOF
nginx -t -q -c "$NG/nginx.conf" -p "$NG" 2>"$NG/test.log" || { cat "$NG/test.log" >&2; die "nginx rejected its configuration"; }
nginx -c "$NG/nginx.conf" -p "$NG" 2>>"$NG/error.log" &
NGINX_PID=$!
for ((i = 0; i < 20; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT") 2>/dev/null && break; sleep 0.5; done
kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NG/error.log" >&2; die "nginx exited"; }
log "nginx (pid $NGINX_PID) on $NGINX_PORT"

wait_ready() { # name url pid seconds
    local i
    for ((i = 0; i < $4; i++)); do
        curl -sf -o /dev/null "$2" && return 0
        kill -0 "$3" 2>/dev/null || die "$1 exited before it was ready (see $TMP/topology-start.log)"
        sleep 1
    done
    die "$1 was not ready after $4 s"
}
wait_ready origin "http://127.0.0.1:$ORIGIN_PORT/health/ready" "$TOPO_PID" 300

# --- 4. the files, uploaded to the origin ----------------------------------------------------------------------------
upload_one() { # file: prints the path /f/NAME
    local url
    url=$(curl -s -F "files[]=@$1" "$UPLOAD_URL")
    [[ $url == http* ]] || die "upload of $1 did not return a URL: $url"
    echo "/f/${url##*/f/}"
}
BIG_PATH=$(upload_one "$DATA/big.bin")
SMALL_PATH=$(upload_one "$DATA/small.bin")
log "uploaded: 8 MiB $BIG_PATH, 4 KiB $SMALL_PATH; waiting for the edges"
wait "$TOPO_PID" || { cat "$TMP/topology-start.log" >&2; TOPO_PID=''; die "topology.sh start failed"; }
TOPO_PID=''
EDGE_PID=$(cat "$TMP/topology/edge1.pid")
# The origin's Payara is a child of the launcher (mvn exec:java, whose PID topology.sh keeps).
descendants() { local p; for p in $(ps -o pid= --ppid "$1"); do echo "$p"; descendants "$p"; done; }
ORIGIN_JVM=''
for p in $(descendants "$(cat "$TMP/topology/origin.pid")"); do
    [[ $(ps -o args= -p "$p" 2>/dev/null) == *payara-micro.jar* ]] && ORIGIN_JVM=$p
done
[[ -n $ORIGIN_JVM ]] || die "cannot find the origin's Payara process under PID $(cat "$TMP/topology/origin.pid")"
log "all up: origin (launcher $(cat "$TMP/topology/origin.pid"), Payara $ORIGIN_JVM), edge1 (pid $EDGE_PID), nginx (pid $NGINX_PID)"

declare -A BASE_OF=([ours]="http://127.0.0.1:$EDGE1_PORT" [nginx]="http://127.0.0.1:$NGINX_PORT")
declare -A PID_OF=([ours]=$EDGE_PID [nginx]=$NGINX_PID)

WHOLE_STATUS=''
whole_read() { # server path file what: one whole GET compared with the file (a failed check otherwise); sets
    # WHOLE_STATUS to the answer's X-Cache-Status
    local got code size status
    got=$(curl -s -m 120 -o "$TMP/whole.bin" -w '%{http_code} %{size_download} %header{x-cache-status}' "${BASE_OF[$1]}$2" || true)
    read -r code size status <<<"$got"
    if [[ $code != 200 || $size != "$(stat -c %s "$3")" ]] || ! cmp -s "$TMP/whole.bin" "$3"; then
        fail "$4: $1 $2 answered HTTP $code with $size bytes${status:+ ($status)}, not the file"
    fi
    WHOLE_STATUS=${status:-none}
}
# Warm both caches (min uses 2): the third request must be a HIT with the right bytes, for both files.
declare -A WARM=()
for server in ours nginx; do
    for f in big small; do
        path=$BIG_PATH; [[ $f == small ]] && path=$SMALL_PATH
        seen=()
        for i in 1 2 3; do whole_read "$server" "$path" "$DATA/$f.bin" "warming"; seen+=("$WHOLE_STATUS"); done
        WARM[$server.$f]="${seen[*]}"
        [[ ${seen[2]} == HIT ]] || die "warming $f on $server: X-Cache-Status ${seen[*]}, the third is not HIT"
    done
done
log "warm: $(for k in "${!WARM[@]}"; do printf '%s=[%s] ' "$k" "${WARM[$k]}"; done)"

heap_after_gc() { # pid: MiB of heap in use after a full collection (jcmd GC.run, then GC.heap_info), or "-"
    jcmd "$1" GC.run >/dev/null 2>&1 || { echo -; return; }
    jcmd "$1" GC.heap_info 2>/dev/null | awk '/total [0-9]+K, used [0-9]+K/ {
        for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); kb += v } }
        END { if (kb == "") print "-"; else printf "%.0f\n", kb / 1024 }'
}
threads_of() { ls "/proc/$1/task" 2>/dev/null | wc -l; }
nginx_procs() { echo $((1 + $(descendants "$NGINX_PID" | wc -l))); }
HEAP_IDLE=$(heap_after_gc "$EDGE_PID")
THREADS_IDLE=$(threads_of "$EDGE_PID")
# Who the idle threads are (names from /proc/<pid>/task/*/comm, 15 characters, numbers stripped), for the table.
THREAD_NAMES_IDLE=$(cat /proc/"$EDGE_PID"/task/*/comm 2>/dev/null | sed -E 's/[-#:() 0-9]+$//' | sort | uniq -c | sort -rn \
    | awk '{ c = $1; $1 = "" } NR <= 8 { printf "%s%d×%s", (NR > 1 ? ", " : ""), c, substr($0, 2) } NR > 8 { rest += c }
           END { if (rest) printf ", %d others", rest }')
log "edge1 idle: $THREADS_IDLE threads, heap after GC $HEAP_IDLE MiB; nginx: $(nginx_procs) processes"

# jfields FILE EXPR...: each Python expression over the JSON object r, tab-separated; "-" for None or missing keys
jfields() {
    python3 - "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
out = []
for e in sys.argv[2:]:
    try:
        v = eval(e, {"r": r})
    except (KeyError, TypeError, IndexError, ZeroDivisionError, ValueError):
        v = None
    out.append("-" if v is None or v == "" else (f"{v:.6g}" if isinstance(v, float) else str(v).replace("\t", " ")))
print("\t".join(out))
EOF
}

# --- 5a. viewers -----------------------------------------------------------------------------------------------------
declare -A P=()   # P[server.N.field]
declare -A EDGE_HEAP_ARG=([ours]="--heap ours=$EDGE_PID" [nginx]='')
FIELDS=(started in_limit fb_p50 fb_max mbps share p50 p99 pok pfail pwrong threads cpu bytes client_cpu lag wrong \
    errors cache complete on_sched reading rss fds heap_open heap_s)
run_viewers() { # server n rate
    local server=$1 n=$2 rate=$3 out=$TMP/results/viewers-$2-$1.json values
    log "a. $server: $n viewers at $rate B/s for $PHASE_SECONDS s (probe every $PROBE_INTERVAL s)"
    if [[ $server == ours && $THREAD_DUMPS == 1 ]]; then
        (sleep "$(calc '%.1f' 's / 2' s="$PHASE_SECONDS")"; jcmd "$EDGE_PID" Thread.print >"$TMP/results/threads-$n-ours.txt" 2>&1) &
        DUMP_PID=$!
    fi
    if ! fg_to "$out" "$TMP/results/viewers-$n-$server.err" python3 "$BENCH/crowd-client.py" viewers \
        --url "${BASE_OF[$server]}$BIG_PATH" --expect "$DATA/big.bin" \
        --clients "$n" --rate "$rate" --rcvbuf "$RCVBUF" --ramp "$RAMP_SECONDS" --seconds "$PHASE_SECONDS" \
        --procs "$CLIENT_PROCS" --tick "$TICK" --first-byte-limit "$FIRST_BYTE_LIMIT" --steady-skip "$STEADY_SKIP" \
        --probe-url "${BASE_OF[$server]}$SMALL_PATH" --probe-expect "$DATA/small.bin" \
        --probe-interval "$PROBE_INTERVAL" --probe-timeout "$PROBE_TIMEOUT" --hold "$HOLD_SECONDS" --nice "$CLIENT_NICE" \
        --watch "$server=${PID_OF[$server]}" ${EDGE_HEAP_ARG[$server]}; then
        cat "$TMP/results/viewers-$n-$server.err" >&2
        fail "the client failed on $server with $n viewers"
        return 0
    fi
    [[ -n $DUMP_PID ]] && { wait "$DUMP_PID" || true; DUMP_PID=''; }
    IFS=$'\t' read -r -a values <<<"$(jfields "$out" 'r["started"]' 'r["first_byte_in_limit"]' 'r["first_byte_s"]["p50"]' \
        'r["first_byte_s"]["max"]' 'r["steady_mbps"]' '100 * r["steady_mbps"] / r["demand_mbps"]' 'r["probe"]["p50_ms"]' \
        'r["probe"]["p99_ms"]' 'r["probe"]["ok"]' 'r["probe"]["failed"]' 'r["probe"]["wrong"]' \
        "r['watch']['$server']['threads_max'] if '$server' == 'ours' else r['watch']['$server']['procs_max']" \
        "r['watch']['$server']['cpu_s']" 'r["bytes"]' 'r["client"]["cpu_pct_max"]' 'r["client"]["lag_ms_p99"]' \
        'r["wrong"]' '",".join(f"{v}×{k}" for k, v in sorted(r["errors"].items())) or "none"' \
        '",".join(f"{v}×{k}" for k, v in sorted(r["cache_status"].items())) or "none"' 'r["complete"]' \
        'r["on_schedule"]' 'r["reading_at_end"]' "round(r['watch']['$server']['rss_max'] / 1048576)" \
        "r['watch']['$server']['fds_max']" "r['watch']['$server'].get('heap_mib')" "r['watch']['$server'].get('heap_s')")"
    local i
    for i in "${!FIELDS[@]}"; do P[$server.$n.${FIELDS[$i]}]=${values[$i]:--}; done
    [[ ${P[$server.$n.wrong]} == 0 ]] || fail "$server, $n viewers: ${P[$server.$n.wrong]} answers were not the file: $(jfields "$out" 'r["wrong_examples"][:3]')"
    [[ ${P[$server.$n.pwrong]} == 0 ]] || fail "$server, $n viewers: ${P[$server.$n.pwrong]} probe answers were not the 4 KiB file"
    P[$server.$n.cpugb]=$(num "${P[$server.$n.cpu]}" && (( ${P[$server.$n.bytes]:-0} > 0 )) \
        && calc '%.1f' 'c / (b / 1e9)' c="${P[$server.$n.cpu]}" b="${P[$server.$n.bytes]}" || echo -)
    if [[ $server == ours ]]; then P[$server.$n.heap]=$(heap_after_gc "$EDGE_PID"); else P[$server.$n.heap]=-; fi
    sleep "$SETTLE_SECONDS"
    if [[ $server == ours ]]; then P[$server.$n.after]=$(threads_of "$EDGE_PID"); else P[$server.$n.after]=$(nginx_procs); fi
    whole_read "$server" "$BIG_PATH" "$DATA/big.bin" "after $n viewers"
    [[ $WHOLE_STATUS == HIT ]] || log "note: after $n viewers, $server answered the whole read with X-Cache-Status $WHOLE_STATUS"
    log "a. $server $n: ${P[$server.$n.in_limit]}/$n first byte ≤ ${FIRST_BYTE_LIMIT}s, ${P[$server.$n.started]} started," \
        "${P[$server.$n.mbps]} MB/s (${P[$server.$n.share]}% of demand), probe p50 ${P[$server.$n.p50]} ms" \
        "${P[$server.$n.pok]} ok ${P[$server.$n.pfail]} failed, threads ${P[$server.$n.threads]}/${P[$server.$n.after]}," \
        "heap ${P[$server.$n.heap]} MiB, client lag p99 ${P[$server.$n.lag]} ms; errors ${P[$server.$n.errors]}"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# CPU pressure (PSI "some"): the share of time in which at least one runnable task waited for a CPU. Other people's
# work on this machine shows here; the client runs at nice $CLIENT_NICE so that it is not the one left waiting.
psi_total() { awk -F'total=' '/^some/ { print $2 }' /proc/pressure/cpu 2>/dev/null || true; }
PSI_BEFORE=$(psi_total) PSI_T0=$(now_ns)
declare -A LOG_MARK=()
for f in edge1 origin; do LOG_MARK[$f]=$(wc -l <"$TMP/topology/$f.log"); done
for i in "${!PHASE_N[@]}"; do
    run_viewers ours "${PHASE_N[$i]}" "${PHASE_RATE[$i]}"
    run_viewers nginx "${PHASE_N[$i]}" "${PHASE_RATE[$i]}"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
PSI_AFTER=$(psi_total)
CPU_PRESSURE=$(num "$PSI_BEFORE" && num "$PSI_AFTER" && calc '%.0f%%' '(b - a) / ((t1 - t0) / 1e3) * 100' a="$PSI_BEFORE" b="$PSI_AFTER" \
    t0="$PSI_T0" t1="$(now_ns)" || echo '?')

# --- 5b. slow uploads on the origin ----------------------------------------------------------------------------------
declare -A U=()
UFIELDS=(p50 p99 pok pfail pwrong n50 n90 nmax nok nfail nfailures threads cpu connected fully sent mbps share answers \
    errors statuses on_sched open lag client_cpu heap_open read_mbps)
for label in idle during; do for field in "${UFIELDS[@]}" heap after; do U[$label.$field]=-; done; done
run_uploads() { # label clients seconds
    local label=$1 out=$TMP/results/uploads-$1.json values
    log "b. $label: $2 slow uploads of $UPLOAD_SIZE B at $UPLOAD_RATE B/s for $3 s, probe and a $NORMAL_SIZE B upload each second"
    if ! fg_to "$out" "$TMP/results/uploads-$label.err" python3 "$BENCH/crowd-client.py" uploads \
        --url "$UPLOAD_URL" --clients "$2" --size "$UPLOAD_SIZE" \
        --rate "$UPLOAD_RATE" --ramp "$RAMP_SECONDS" --seconds "$3" --procs "$CLIENT_PROCS" --steady-skip "$STEADY_SKIP" \
        --normal-size "$NORMAL_SIZE" --normal-interval 1 \
        --probe-url "http://127.0.0.1:$ORIGIN_PORT$SMALL_PATH" --probe-expect "$DATA/small.bin" \
        --probe-interval "$PROBE_INTERVAL" --probe-timeout "$PROBE_TIMEOUT" \
        --hold "$HOLD_SECONDS" --nice "$CLIENT_NICE" --watch "origin=$ORIGIN_JVM" --heap "origin=$ORIGIN_JVM"; then
        cat "$TMP/results/uploads-$label.err" >&2
        fail "the client failed in the uploads' $label run"
        return 0
    fi
    IFS=$'\t' read -r -a values <<<"$(jfields "$out" 'r["probe"]["p50_ms"]' 'r["probe"]["p99_ms"]' 'r["probe"]["ok"]' \
        'r["probe"]["failed"]' 'r["probe"]["wrong"]' 'r["normal"]["p50_ms"]' 'r["normal"]["p90_ms"]' 'r["normal"]["max_ms"]' \
        'r["normal"]["ok"]' 'r["normal"]["failed"]' '",".join(f"{v}×{k}" for k, v in sorted(r["normal"]["failures"].items())) or "none"' \
        'r["watch"]["origin"]["threads_max"]' 'r["watch"]["origin"]["cpu_s"]' 'r["connected"]' 'r["fully_sent"]' 'r["sent"]' \
        'r["steady_mbps"]' '100 * r["steady_mbps"] / r["demand_mbps"]' \
        '"; ".join(f"{a[1]} after {a[3]:.1f} s: {a[2][:60]!r}" for a in r["answers"][:2]) or "none"' \
        '",".join(f"{v}×{k}" for k, v in sorted(r["errors"].items())) or "none"' \
        '",".join(f"{v}×HTTP {k}" for k, v in sorted(r["statuses"].items())) or "none"' \
        'r["on_schedule"]' 'r["open_at_end"]' 'r["client"]["lag_ms_p99"]' 'r["client"]["cpu_pct_max"]' \
        'r["watch"]["origin"].get("heap_mib")' 'r["watch"]["origin"]["read_bytes"] / 1e6 / r["seconds"]')"
    local i
    for i in "${!UFIELDS[@]}"; do U[$label.${UFIELDS[$i]}]=${values[$i]:--}; done
    [[ ${U[$label.pwrong]} == 0 ]] || fail "uploads $label: ${U[$label.pwrong]} probe answers from the origin were not the 4 KiB file"
    U[$label.heap]=$(heap_after_gc "$ORIGIN_JVM")
    log "b. $label: probe p50 ${U[$label.p50]} ms (${U[$label.pok]} ok, ${U[$label.pfail]} failed), 1 MiB upload p50" \
        "${U[$label.n50]} ms (${U[$label.nok]} ok, ${U[$label.nfail]} failed: ${U[$label.nfailures]}), origin threads" \
        "${U[$label.threads]}, heap after GC ${U[$label.heap]} MiB"
}
if [[ $SKIP_UPLOADS != 1 ]]; then
    run_uploads idle 0 "$IDLE_SECONDS"
    [[ ${U[idle.pfail]} == 0 && ${U[idle.nfail]} == 0 ]] \
        || fail "uploads idle: ${U[idle.pfail]} probes and ${U[idle.nfail]} uploads failed on an idle origin (${U[idle.nfailures]})"
    run_uploads during "$UPLOADS" "$UPLOAD_SECONDS"
    sleep "$SETTLE_SECONDS"
    U[during.after]=$(threads_of "$ORIGIN_JVM")
    curl -sf -m 10 -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/health/ready" || fail "the origin is not ready after the slow uploads"
fi

# --- what the servers said meanwhile ---------------------------------------------------------------------------------
log_summary() { # name: what an instance logged from the first phase on (its boot is not the question): WARNING and
    # SEVERE lines, and the most frequent exceptions
    local file=$TMP/topology/$1.log w s causes
    [[ -f $file ]] || { echo "no log"; return; }
    tail -n "+$((${LOG_MARK[$1]:-0} + 1))" "$file" >"$TMP/log-tail"
    w=$(grep -c 'WARNING' "$TMP/log-tail" || true)
    s=$(grep -c 'SEVERE' "$TMP/log-tail" || true)
    causes=$(grep -oE '^(Caused by: )?[a-z]+(\.[A-Za-z0-9_$]+)+(Exception|Error)(: [A-Za-z ]{1,40})?' "$TMP/log-tail" \
        | sed 's/^Caused by: //' | sort | uniq -c | sort -rn | head -3 \
        | awk '{ c = $1; $1 = ""; printf "%s%d×%s", (NR > 1 ? ", " : ""), c, substr($0, 2) }')
    echo "$w WARNING, $s SEVERE${causes:+; most frequent: $causes}"
}
for f in edge1 origin; do
    n=$(grep -c 'OutOfMemoryError' "$TMP/topology/$f.log" 2>/dev/null || true)
    ((${n:-0} == 0)) || fail "$f logged $n lines with OutOfMemoryError"
done
NGINX_ERRORS=$(grep -Ec '\[(error|crit|alert|emerg)\]' "$NG/error.log" || true)
NGINX_WARNS=$(grep -c '\[warn\]' "$NG/error.log" || true)
TCP_OOM=$(($(tcp_oom_lines) - TCP_OOM_BEFORE))
OTHER_JAVA=0
while read -r pid comm args; do
    [[ $comm == java && $args != *"$TMP/"* ]] && OTHER_JAVA=$((OTHER_JAVA + 1))
done < <(ps -e -o pid=,comm=,args=)

# --- 6. the table ---------------------------------------------------------------------------------------------------
line() { printf '%.0s-' {1..150}; echo; }
f1() { num "$1" && calc '%.1f' 'v' v="$1" || echo "${1:--}"; }
f2() { num "$1" && calc '%.2f' 'v' v="$1" || echo "${1:--}"; }
f0() { num "$1" && calc '%.0f' 'v' v="$1" || echo "${1:--}"; }
ms() { # milliseconds: whole from 100 on
    if ! num "$1"; then echo "${1:--}"
    elif [[ $(calc '%d' 'v >= 100' v="$1") == 1 ]]; then calc '%.0f' 'v' v="$1"
    else calc '%.1f' 'v' v="$1"; fi
}
kb() { calc '%g' 'r / 1000' r="$1"; }
echo
echo "pomf-ee edge vs nginx $(nginx -v 2>&1 | sed 's#.*nginx/##') under crowds of slow clients (issue 20), $(date '+%F %T %Z'), $(nproc) cores, git $GIT_INFO"
echo "WAR built $WAR_INFO; edge1 :$EDGE1_PORT ParallelGC -Xmx$EDGE_HEAP (pre-boot: http-thread-pool max $(sed -n "s/.*http-thread-pool.max-thread-pool-size=//p" "$ROOT/server-config/pre-boot-commands.txt"), SO_SNDBUF 2 x 128 KiB); origin :$ORIGIN_PORT -Xmx$ORIGIN_HEAP"
echo "nginx :$NGINX_PORT: 1 worker, sendfile, worker_connections 8192, ${NGINX_SNDBUF:+listen sndbuf=$NGINX_SNDBUF, }the original's proxy_cache settings (min_uses 2, lock, valid 10m)"
echo "viewers: an 8 MiB file cached on both (warming: ours ${WARM[ours.big]}, nginx ${WARM[nginx.big]}); SO_RCVBUF $RCVBUF before connect; ramp ${RAMP_SECONDS} s; $PHASE_SECONDS s a phase;"
echo "   steady window $((RAMP_SECONDS + STEADY_SKIP))-$PHASE_SECONDS s; probe: cached 4 KiB, fresh connection every ${PROBE_INTERVAL} s, ${PROBE_TIMEOUT} s timeout; client: $CLIENT_PROCS asyncio processes"
echo "units: MB = 10^6 bytes, KB = 10^3 bytes, MiB = 2^20 bytes; ratio = ours/nginx"
echo "machine: load (1/5/15 min) $LOAD_BEFORE before the viewers → $LOAD_AFTER after; CPU pressure during the viewers $CPU_PRESSURE"
echo "   (time some task waited for a CPU); other java processes (not ours): $OTHER_JAVA; nofile $NOFILE; client at nice $CLIENT_NICE"
line
echo "a. viewers"
hdr='%-16s %-6s %12s %8s %13s %15s %15s %11s %8s %11s %9s %13s\n'
printf "$hdr" phase server "1st byte<=${FIRST_BYTE_LIMIT}s" started "1st byte s" "MB/s (demand)" "probe p50/p99" "ok/failed" threads "heap on/off" "CPU s/GB" "client %/lag"
for i in "${!PHASE_N[@]}"; do
    n=${PHASE_N[$i]}
    label="$n x $(kb "${PHASE_RATE[$i]}") KB/s"
    for server in ours nginx; do
        k=$server.$n
        printf "$hdr" "$label" "$server" "${P[$k.in_limit]:--}/$n" "${P[$k.started]:--}" \
            "$(f2 "${P[$k.fb_p50]:--}")/$(f1 "${P[$k.fb_max]:--}")" "$(f1 "${P[$k.mbps]:--}") ($(f0 "${P[$k.share]:--}")%)" \
            "$(ms "${P[$k.p50]:--}")/$(ms "${P[$k.p99]:--}") ms" "${P[$k.pok]:--}/${P[$k.pfail]:--}" \
            "${P[$k.threads]:--}/${P[$k.after]:--}" "${P[$k.heap_open]:--}/${P[$k.heap]:--}" "${P[$k.cpugb]:--}" \
            "$(f0 "${P[$k.client_cpu]:--}")%/$(f0 "${P[$k.lag]:--}")ms"
        label=''
    done
    printf "$hdr" "" ratio "$(ratio "${P[ours.$n.in_limit]:--}" "${P[nginx.$n.in_limit]:--}")" \
        "$(ratio "${P[ours.$n.started]:--}" "${P[nginx.$n.started]:--}")" "" \
        "$(ratio "${P[ours.$n.mbps]:--}" "${P[nginx.$n.mbps]:--}")" "$(ratio "${P[ours.$n.p50]:--}" "${P[nginx.$n.p50]:--}" '%.1f')x" \
        "" "" "" \
        "$(ratio "${P[ours.$n.cpugb]:--}" "${P[nginx.$n.cpugb]:--}")" ""
done
echo "   edge1 idle before the phases: $THREADS_IDLE threads, heap after GC $HEAP_IDLE MiB. threads = max during the phase / left ${SETTLE_SECONDS} s after it;"
echo "   heap on/off = edge heap after a full GC with the crowd still connected (the ${HOLD_SECONDS} s hold; jcmd took" \
    "$(for n in "${PHASE_N[@]}"; do printf '%s ' "${P[ours.$n.heap_s]:--}"; done)s) / after it left"
echo "   edge1's idle threads by name: $THREAD_NAMES_IDLE"
for i in "${!PHASE_N[@]}"; do
    n=${PHASE_N[$i]}
    echo "   $n: ours: errors ${P[ours.$n.errors]:--}, X-Cache-Status ${P[ours.$n.cache]:--}, on schedule at the end ${P[ours.$n.on_sched]:--}/${P[ours.$n.reading]:--}," \
        "RSS ${P[ours.$n.rss]:--} MiB, fds ${P[ours.$n.fds]:--}; nginx: errors ${P[nginx.$n.errors]:--}, ${P[nginx.$n.cache]:--}," \
        "on schedule ${P[nginx.$n.on_sched]:--}/${P[nginx.$n.reading]:--}, RSS ${P[nginx.$n.rss]:--} MiB, fds ${P[nginx.$n.fds]:--}"
done
# The instrument: nginx should get (nearly) the whole demand with a client that keeps its schedule.
for i in "${!PHASE_N[@]}"; do
    n=${PHASE_N[$i]}
    if num "${P[nginx.$n.share]:--}" && [[ $(calc '%d' 's < 95' s="${P[nginx.$n.share]}") == 1 ]]; then
        echo "   WARNING: nginx got only ${P[nginx.$n.share]}% of the demand at $n viewers: the client or the machine may be the bottleneck"
    fi
    for server in ours nginx; do
        if num "${P[$server.$n.lag]:--}" && [[ $(calc '%d' 'l > 100' l="${P[$server.$n.lag]}") == 1 ]]; then
            echo "   WARNING: the client's event loop ran up to $(f0 "${P[$server.$n.lag]}") ms late (p99; $server, $n viewers): its timings are that coarse"
        fi
    done
done
line
verdict() { [[ ${1:-0} == 1 ]] && echo met || echo MISSED; }
ge() { num "$1" && num "$2" && [[ $(calc '%d' 'a >= b' a="$1" b="$2") == 1 ]] && echo 1 || echo 0; }
echo "goals (issue 20), ours against nginx in the same run:"
for i in "${!PHASE_N[@]}"; do
    n=${PHASE_N[$i]} rate=${PHASE_RATE[$i]}
    b=$(ratio "${P[ours.$n.mbps]:--}" "${P[nginx.$n.mbps]:--}")
    pr=$(ratio "${P[ours.$n.p50]:--}" "${P[nginx.$n.p50]:--}")
    if [[ $n == 1000 && $rate == 64000 ]]; then
        echo "   1000 × 64 KB/s: every first byte ≤ ${FIRST_BYTE_LIMIT}s: ${P[ours.$n.in_limit]:--}/1000 $(verdict "$([[ ${P[ours.$n.in_limit]:--} == 1000 ]] && echo 1)");" \
            "bytes ≥ 0.9x nginx: ${b}x $(verdict "$(ge "$b" 0.9)"); probe p50 ≤ 2x nginx: $(f1 "$pr")x $(verdict "$(num "$pr" && ge 2 "$pr")");" \
            "no probe failures: ${P[ours.$n.pfail]:--} $(verdict "$([[ ${P[ours.$n.pfail]:--} == 0 ]] && echo 1)")"
    elif [[ $n == 3000 && $rate == 16000 ]]; then
        echo "   3000 × 16 KB/s: first byte ≤ ${FIRST_BYTE_LIMIT}s: ${P[ours.$n.in_limit]:--}/3000 (nginx ${P[nginx.$n.in_limit]:--})" \
            "$(verdict "$(ge "${P[ours.$n.in_limit]:--}" "${P[nginx.$n.in_limit]:--}")"); bytes ≥ 0.9x nginx: ${b}x $(verdict "$(ge "$b" 0.9)");" \
            "no probe failures: ${P[ours.$n.pfail]:--} $(verdict "$([[ ${P[ours.$n.pfail]:--} == 0 ]] && echo 1)")"
    fi
done
max_threads=0; heaps=(); flat=1
for n in "${PHASE_N[@]}"; do
    t=${P[ours.$n.threads]:--} h=${P[ours.$n.heap_open]:--}
    if num "$t" && ((t > max_threads)); then max_threads=$t; fi
    heaps+=("$h")
    if ! num "$h" || ! num "$HEAP_IDLE" || ((h - HEAP_IDLE > HEAP_FLAT_MIB)); then flat=0; fi
done
echo "   edge threads < 100 whatever N: at most $max_threads $(verdict "$((max_threads < 100 ? 1 : 0))");" \
    "heap after GC with the crowd on, flat whatever N (within $HEAP_FLAT_MIB MiB of idle $HEAP_IDLE): ${heaps[*]} MiB $(verdict "$flat")"
if [[ $SKIP_UPLOADS != 1 ]]; then
    line
    echo "b. $UPLOADS slow uploads against the origin :$ORIGIN_PORT: POST /upload.php, files[] of $((UPLOAD_SIZE / 1048576)) MiB at $(kb "$UPLOAD_RATE") KB/s each, ramp $RAMP_SECONDS s," \
        "closed at $UPLOAD_SECONDS s"
    uhdr='%-34s %18s %18s %8s\n'
    printf "$uhdr" "" "idle ($IDLE_SECONDS s)" "during ($UPLOAD_SECONDS s)" "ratio"
    printf "$uhdr" "probe p50 / p99 ms" "$(f1 "${U[idle.p50]}") / $(f1 "${U[idle.p99]}")" "$(f1 "${U[during.p50]}") / $(f1 "${U[during.p99]}")" \
        "$(ratio "${U[during.p50]}" "${U[idle.p50]}" '%.1f')x"
    printf "$uhdr" "probe ok / failed" "${U[idle.pok]} / ${U[idle.pfail]}" "${U[during.pok]} / ${U[during.pfail]}" ""
    printf "$uhdr" "$((NORMAL_SIZE / 1048576)) MiB upload p50 / p90 / max ms" "$(f0 "${U[idle.n50]}") / $(f0 "${U[idle.n90]}") / $(f0 "${U[idle.nmax]}")" \
        "$(f0 "${U[during.n50]}") / $(f0 "${U[during.n90]}") / $(f0 "${U[during.nmax]}")" "$(ratio "${U[during.n50]}" "${U[idle.n50]}" '%.1f')x"
    printf "$uhdr" "$((NORMAL_SIZE / 1048576)) MiB uploads ok / failed" "${U[idle.nok]} / ${U[idle.nfail]}" "${U[during.nok]} / ${U[during.nfail]}" ""
    printf "$uhdr" "origin threads (max)" "${U[idle.threads]}" "${U[during.threads]}" ""
    printf "$uhdr" "origin CPU s" "$(f1 "${U[idle.cpu]}")" "$(f1 "${U[during.cpu]}")" ""
    printf "$uhdr" "origin read MB/s (rchar)" "$(f1 "${U[idle.read_mbps]}")" "$(f1 "${U[during.read_mbps]}")" ""
    printf "$uhdr" "origin heap after GC MiB (on/off)" "${U[idle.heap_open]} / ${U[idle.heap]}" "${U[during.heap_open]} / ${U[during.heap]}" ""
    echo "   slow uploads: ${U[during.connected]} connected, ${U[during.fully]} sent their whole body, $(f1 "$(calc '%f' 's / 1e6' s="${U[during.sent]}")") MB sent," \
        "$(f1 "${U[during.mbps]}") MB/s in the steady window ($(f0 "${U[during.share]}")% of $(calc '%g' 'c * r / 1e6' c="$UPLOADS" r="$UPLOAD_RATE") MB/s demand)," \
        "on schedule at the end ${U[during.on_sched]}/${U[during.open]}"
    echo "   (on loopback the kernel's socket buffers take a whole 2 MiB body: \"sent\" is not \"read\"; the origin's reads are" \
        "its rchar, /proc/<pid>/io, all its read() calls: upload bodies, probe and upload files, PostgreSQL answers)"
    echo "   answers before the end: ${U[during.statuses]} (${U[during.answers]}); errors: ${U[during.errors]}; normal upload failures during: ${U[during.nfailures]}"
    echo "   origin threads ${SETTLE_SECONDS} s after: ${U[during.after]}; client: busiest process $(f0 "${U[during.client_cpu]}")% of a core, loop lag p99 $(f0 "${U[during.lag]}") ms"
    echo "   goal: probe and 1 MiB upload ≤ 2x idle: probe $(ratio "${U[during.p50]}" "${U[idle.p50]}" '%.1f')x $(verdict "$(num "$(ratio "${U[during.p50]}" "${U[idle.p50]}")" && [[ $(calc '%d' 'r <= 2' r="$(ratio "${U[during.p50]}" "${U[idle.p50]}")") == 1 ]] && echo 1)")," \
        "upload $(ratio "${U[during.n50]}" "${U[idle.n50]}" '%.1f')x $(verdict "$(num "$(ratio "${U[during.n50]}" "${U[idle.n50]}")" && [[ $(calc '%d' 'r <= 2' r="$(ratio "${U[during.n50]}" "${U[idle.n50]}")") == 1 ]] && echo 1)");" \
        "failures during: probe ${U[during.pfail]}, uploads ${U[during.nfail]}"
fi
line
echo "logs from the first phase on: edge1 $(log_summary edge1)"
echo "      origin $(log_summary origin)"
echo "      nginx error.log: $NGINX_ERRORS error/crit/alert, $NGINX_WARNS warn; kernel 'TCP: out of memory' lines during the run: $TCP_OOM;" \
    "runtime so far $(calc '%.0f' '(e - s) / 1e9' e="$(now_ns)" s="$START_NS") s"
if ((${#FAILURES[@]})); then
    echo "CHECKS FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
else
    echo "all checks passed (HIT after warming; every viewer and probe answer the file, 200 and its length; whole reads after each phase equal; idle uploads ok)"
fi
line
((${#FAILURES[@]} == 0)) || exit 1
