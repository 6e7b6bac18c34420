#!/usr/bin/env bash
# abuse-bench.sh: hostile clients against the local topology, one attack after another, and what a well-behaved
# client sees meanwhile (issue 14, "Hostile clients"). Loopback only.
#
# What it starts: the local topology as operators start it (server-config/topology.sh: origin 127.0.0.1:18100, edges
# 18101 and 18102, embedded PostgreSQL 54400; TOPOLOGY_DIR in a throwaway folder under BENCH_TMP), the origin with
# -Dpomf.trusted-proxies=127.0.0.4 (the login flood's "proxy", see 4.). A whole run holds `flock $TOPOLOGY_LOCK`
# (/tmp/pomf-topology.lock), so no other topology starts on these ports meanwhile; it waits for the lock.
# Addresses: every client is on loopback, where any 127.x.y.z is a source address of its own on Linux, so per-address
# limits (the 404 throttle, upload and login limits, per-address caps) see the attackers apart from the probe:
# the probe comes from 127.0.0.3; attack k from 127.1k.0.1 upward (127.11.* names, 127.12.* ranges, 127.13.* slow
# uploads, 127.15.* boundary uploads), spread over *_SOURCES addresses.
#
# The attacks (src/bench/abuse-clients.py, asyncio, stdlib only), each bounded in count and time (ATTACK_MAX_SECONDS),
# run one after another, each followed by SETTLE seconds of rest (ATTACKS picks and orders them):
#   1. names     NAMES (10,000) GETs of /f/<8 random characters of the stored names' alphabet>.bin at edge1, on
#                NAMES_CONCURRENCY (64) keep-alive connections from NAMES_SOURCES (64) addresses: real misses until
#                an address has used up pomf.not-found-per-minute (120), then 429s.
#   1b. guesser  the same from ONE address (127.16.0.1) on NAMES_CONCURRENCY connections, for MEASURE seconds (at most
#                GUESSES, 100,000): a guessing script in a closed loop. After its 120 misses every answer is a 429,
#                which the service holds pomf.refusal-delay (1 s) before sending, on no thread.
#   2. ranges    RANGES (2,000) connections opened at once to edge1 from RANGES_SOURCES (100) addresses, each a GET with
#                `Range: bytes=<offset>-` into a cold BIG_MB (1024) MiB file (uploaded to the origin first, never asked
#                of an edge before), each closed right after its request (RANGE_HANGUP=request; first-byte: after the
#                answer's first bytes). The offsets are all different, at random places inside every
#                RANGE_CHUNK_STEP-th (8th) chunk of the edge's store (1 MiB - 1 KiB) over the whole file, so what
#                they ask for starts in an eighth of the file. Reported: what edge1 fetched from the origin
#                (pomf_edge_bytes_from_origin) in the window and by the end of the settle time, against those
#                chunks' bytes (an edge that fetched the whole file for hung-up clients shows 8x); and the origin's
#                writes (/proc/<pid>/io wchar: sockets and files, so the probe's uploads too) and its
#                pomf_file_bytes_sent (which counts an answer's whole length, however much of it was taken).
#   3. slow      SLOW (300) uploads to the origin from SLOW_SOURCES (100) addresses, started over SLOW_RAMP (5 s),
#                each sending a SLOW_MB (2) MiB body at SLOW_RATE (64,000 B/s), never finished: held through the
#                measured window, then closed (the origin drops them).
#   4. login     LOGINS (2,000) admin logins with wrong passwords ("admin" and random names), LOGIN_CONCURRENCY (32) at
#                a time, each as a browser does it (GET /admin/login.xhtml for the Faces view state, then the form's
#                POST), from LOGIN_ADDRESSES (200) addresses of one IPv6 /64 (LOGIN_PREFIX 2001:db8:ab:cd, the low 64
#                bits random). The topology listens on IPv4 only, so the addresses are X-Forwarded-For headers sent
#                from 127.0.0.4, which the origin trusts as a proxy (pomf.trusted-proxies): the origin keys its login
#                limits by the forwarded address's /64 as it would behind nginx. An address out of attempts is refused
#                at the login page's door (429 on the GET), which ends that attempt. Reported: answers by what the page said.
#   5. boundary  the quadratic boundary: uploads, BOUNDARY_PARALLEL (8) at a time, none started after MEASURE s (at
#                most BOUNDARY_UPLOADS, 64), each a multipart body whose boundary is 70 (RFC 2046's cap) times 'a' and
#                whose file is BOUNDARY_MB (32) MiB of 'a'. After its settle time, BOUNDARY_ALONE_ROUNDS (3) rounds of
#                one such upload alone and one with a 1-character boundary 'a' (the same bytes), medians: a parser
#                whose cost does not grow with the boundary takes about as long for both.
# The well-behaved client (the probe, from 127.0.0.3), in a baseline of BASELINE_SECONDS (30) without attack and
# during each attack: a GET of a cached 4 KiB file from edge1 on a fresh connection every 0.1 s (a HIT, warmed
# first), a GET of a 4 KiB file from the origin every 0.25 s and a 64 KiB upload to the origin every 1 s, each
# started on its schedule whether or not the previous one answered; a request without a complete right answer
# within PROBE_TIMEOUT (10 s) is a failure and counts as the timeout in the percentiles. The measured window of an
# attack runs from its start for at least MEASURE (20 s), and until its bounded work is done (slow uploads: until
# they are all in flight), at most MAX_WINDOW (120 s).
# Server figures, for edge1 and the origin (the origin's Payara JVM, not its launcher): heap in use after a full GC
# (jcmd GC.run, then GC.heap_info: young + old) and threads (/proc/<pid>/status) before the attack (= after the one
# before), during (heap at the end of the measured window, before the attack is released; threads the most sampled
# every 0.5 s in the window) and after SETTLE seconds of rest; once more FINAL_IDLE (65) s after the last attack,
# when pools have let their idle threads go (Payara's HTTP workers after 60 s).
# Output: progress on stderr (each phase's probe JSON in BENCH_LOGS lists its slowest requests: when in the window
# they started and how long they took, which tells a burst from a spread); on stdout a markdown table, one row per attack and the baseline: heap and threads
# before → during → after, the probe's p50 / p99 per kind with the p99's ratio to the baseline's, failures and the
# attack's own figure; then issue 14's goals, read from the table: heap and threads back within HEAP_SLACK_MIB (32)
# and THREAD_SLACK (10) of before after each attack ("flat"), and each probe p99 within 3x of its baseline. The goals
# do not change the exit status: it is 1 when something did not work (a server died or logged OutOfMemoryError, the
# setup failed, a client crashed), else 0.
#
# How to run (from anywhere; about 8 minutes on 2 cores; builds target/pomf.war first if missing):
#   src/bench/abuse-bench.sh
#   COUNT_FACTOR=0.2 BIG_MB=256 BASELINE_SECONDS=10 MEASURE=8 SETTLE=4 FINAL_IDLE=0 src/bench/abuse-bench.sh  # quick
#   ATTACKS="ranges" RANGE_HANGUP=first-byte src/bench/abuse-bench.sh                          # one attack
# Knobs: COUNT_FACTOR (1: scales NAMES, RANGES, SLOW, LOGINS, BOUNDARY_UPLOADS), ATTACKS ("names guesser ranges slow
#   login boundary"), NAMES, GUESSES, NAMES_CONCURRENCY, NAMES_SOURCES, RANGES, RANGES_SOURCES, RANGE_HANGUP, BIG_MB, SLOW, SLOW_MB,
#   RANGE_CHUNK_STEP, SLOW_RATE, SLOW_RAMP, SLOW_SOURCES, LOGINS, LOGIN_CONCURRENCY, LOGIN_ADDRESSES, LOGIN_PREFIX,
#   BOUNDARY_UPLOADS, BOUNDARY_PARALLEL, BOUNDARY_MB, BOUNDARY_ALONE_ROUNDS, BASELINE_SECONDS, SERVICE_WARMUP (1: first
#   a few requests of each chosen attack's kind from addresses of their own, 127.21-25.*: 3,000 names, 200 ranges
#   hung up on a 64 MiB file of their own, 100 logins from another /64, 2 uploads with a long boundary, as a service
#   in use has run those paths before; 0: none), WARMUP_SECONDS (15, the probe unrecorded first), MEASURE, MAX_WINDOW, SETTLE (10), FINAL_IDLE (65; 0: none), ATTACK_MAX_SECONDS (180),
#   PROBE_TIMEOUT, HEAP_SLACK_MIB, THREAD_SLACK, ORIGIN_PORT,
#   EDGE1_PORT, EDGE2_PORT, DB_PORT, ORIGIN_EXTRA / EDGE_EXTRA (more -D/-X options for the origin / edges, after
#   topology.sh's), EDGE_GC (the edges' collector option, see topology.sh), TOPOLOGY_LOCK (empty: no lock), BENCH_TMP (/tmp: parent of the throwaway folder, which holds the
#   BIG_MB file twice: the client's and the origin's copy), KEEP_TMP=1 (keep it), BENCH_LOGS (where the servers' logs
#   and each phase's JSON are kept; target/abuse-bench-logs).
# On exit (normal, error, Ctrl-C) it stops what it started, by PID: its clients, then `topology.sh stop` for its own
# TOPOLOGY_DIR; then anything still running from the throwaway folder, and checks with ps that nothing is left.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/src/bench
CLIENT=$HERE/abuse-clients.py
TOPOLOGY_LOCK=${TOPOLOGY_LOCK-/tmp/pomf-topology.lock}

log() { printf '[abuse-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -n $TOPOLOGY_LOCK && -z ${ABUSE_BENCH_LOCKED:-} ]]; then
    command -v flock >/dev/null || die "flock is not installed (or run with TOPOLOGY_LOCK=)"
    log "taking $TOPOLOGY_LOCK (waits while another topology run holds it)"
    ABUSE_BENCH_LOCKED=1 exec flock "$TOPOLOGY_LOCK" "$0" "$@"
fi

export ORIGIN_PORT=${ORIGIN_PORT:-18100} EDGE1_PORT=${EDGE1_PORT:-18101} EDGE2_PORT=${EDGE2_PORT:-18102}
export DB_PORT=${DB_PORT:-54400}
COUNT_FACTOR=${COUNT_FACTOR:-1}
ATTACKS=${ATTACKS:-names guesser ranges slow login boundary}
GUESSES=${GUESSES:-100000}
NAMES=${NAMES:-10000}
NAMES_CONCURRENCY=${NAMES_CONCURRENCY:-64}
NAMES_SOURCES=${NAMES_SOURCES:-$NAMES_CONCURRENCY}
RANGES=${RANGES:-2000}
RANGES_SOURCES=${RANGES_SOURCES:-100}
RANGE_HANGUP=${RANGE_HANGUP:-request}
RANGE_CHUNK_STEP=${RANGE_CHUNK_STEP:-8}
BIG_MB=${BIG_MB:-1024}
SLOW=${SLOW:-300}
SLOW_MB=${SLOW_MB:-2}
SLOW_RATE=${SLOW_RATE:-64000}
SLOW_RAMP=${SLOW_RAMP:-5}
SLOW_SOURCES=${SLOW_SOURCES:-100}
LOGINS=${LOGINS:-2000}
LOGIN_CONCURRENCY=${LOGIN_CONCURRENCY:-32}
LOGIN_ADDRESSES=${LOGIN_ADDRESSES:-200}
LOGIN_PREFIX=${LOGIN_PREFIX:-2001:db8:ab:cd}
BOUNDARY_UPLOADS=${BOUNDARY_UPLOADS:-64}
BOUNDARY_ALONE_ROUNDS=${BOUNDARY_ALONE_ROUNDS:-3}
FINAL_IDLE=${FINAL_IDLE:-65}
BOUNDARY_PARALLEL=${BOUNDARY_PARALLEL:-8}
BOUNDARY_MB=${BOUNDARY_MB:-32}
BASELINE_SECONDS=${BASELINE_SECONDS:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
SERVICE_WARMUP=${SERVICE_WARMUP:-1}
MEASURE=${MEASURE:-20}
MAX_WINDOW=${MAX_WINDOW:-120}
SETTLE=${SETTLE:-10}
ATTACK_MAX_SECONDS=${ATTACK_MAX_SECONDS:-180}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-10}
HEAP_SLACK_MIB=${HEAP_SLACK_MIB:-32}
THREAD_SLACK=${THREAD_SLACK:-10}
BENCH_TMP=${BENCH_TMP:-/tmp}
BENCH_LOGS=${BENCH_LOGS:-$ROOT/target/abuse-bench-logs}
PROBE_SOURCE=127.0.0.3
PROXY_SOURCE=127.0.0.4
SMALL_SIZE=4096

for tool in curl java jcmd mvn python3 awk ps setsid; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for knob in NAMES GUESSES NAMES_CONCURRENCY NAMES_SOURCES RANGES RANGES_SOURCES BIG_MB SLOW SLOW_MB SLOW_RATE SLOW_SOURCES \
    LOGINS LOGIN_CONCURRENCY LOGIN_ADDRESSES BOUNDARY_UPLOADS BOUNDARY_PARALLEL BOUNDARY_MB BASELINE_SECONDS \
    WARMUP_SECONDS SERVICE_WARMUP MEASURE MAX_WINDOW SETTLE ATTACK_MAX_SECONDS PROBE_TIMEOUT HEAP_SLACK_MIB THREAD_SLACK \
    RANGE_CHUNK_STEP BOUNDARY_ALONE_ROUNDS FINAL_IDLE; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number (got '${!knob}')"
done
[[ $COUNT_FACTOR =~ ^[0-9]*\.?[0-9]+$ ]] || die "COUNT_FACTOR must be a number (got '$COUNT_FACTOR')"
[[ $RANGE_HANGUP == request || $RANGE_HANGUP == first-byte ]] || die "RANGE_HANGUP is request or first-byte"
scaled() { awk -v n="$1" -v f="$COUNT_FACTOR" 'BEGIN { v = int(n * f + 0.5); print (v < 1 ? 1 : v) }'; }
NAMES=$(scaled "$NAMES"); RANGES=$(scaled "$RANGES"); SLOW=$(scaled "$SLOW"); LOGINS=$(scaled "$LOGINS")
BOUNDARY_UPLOADS=$(scaled "$BOUNDARY_UPLOADS")
for a in $ATTACKS; do
    [[ " names guesser ranges slow login boundary " == *" $a "* ]] || die "unknown attack '$a' in ATTACKS"
done
NOFILE=$(ulimit -Hn)
[[ $NOFILE == unlimited ]] && NOFILE=1048576
ulimit -n "$NOFILE"
((NOFILE > RANGES + SLOW + 1000)) || log "warning: the file descriptor limit ($NOFILE) is tight"
for port in "$ORIGIN_PORT" "$EDGE1_PORT" "$EDGE2_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use (a topology running?)"; fi
done
# Any 127.x address is local on Linux; check that the probe's and the proxy's can be bound.
for a in "$PROBE_SOURCE" "$PROXY_SOURCE" 127.11.0.1; do
    python3 -c 'import socket, sys; socket.socket().bind((sys.argv[1], 0))' "$a" 2>/dev/null \
        || die "cannot bind a socket to $a: loopback source addresses other than 127.0.0.1 are needed"
done

if [[ ! -f $ROOT/target/pomf.war || ! -f $ROOT/target/payara-micro.jar || ! -d $ROOT/target/test-classes/pomf/run ]]; then
    log "building (mvn -B -q -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

START=$SECONDS
TMP=''
TOPO_PID=''
TOPO_STARTED=0
FAILURES=()
fail() { FAILURES+=("$*"); log "CHECK FAILED: $*"; }

ours_left() { # processes whose command line names the throwaway folder
    [[ -n $TMP ]] || return 0
    local pid args
    while read -r pid args; do
        [[ $args == *"$TMP/"* && $pid != "$$" && $pid != "$BASHPID" ]] && echo "$pid"
    done < <(ps -e -o pid=,args= 2>/dev/null || true)
    return 0
}

cleanup() {
    local rc=$? pid left i
    trap - EXIT INT TERM
    set +e
    # Our background jobs still running (clients, topology.sh start): this shell's own children, by PID.
    for pid in $(jobs -pr); do
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    if ((TOPO_STARTED)); then
        log "stopping the topology"
        TOPOLOGY_DIR=$TMP/topology "$ROOT/server-config/topology.sh" stop >&2
    fi
    left=$(ours_left)
    if [[ -n $left ]]; then
        for ((i = 0; i < 20; i++)); do left=$(ours_left); [[ -z $left ]] && break; sleep 1; done
        for pid in $left; do
            log "pid $pid outlived its stop: killing it ($(ps -o args= -p "$pid" | cut -c1-120))"
            kill -KILL "$pid" 2>/dev/null
        done
    fi
    if [[ -n $TMP && -d $TMP ]]; then
        rm -rf "$BENCH_LOGS"
        mkdir -p "$BENCH_LOGS"
        for f in origin edge1 edge2; do [[ -f $TMP/topology/$f.log ]] && cp "$TMP/topology/$f.log" "$BENCH_LOGS/"; done
        [[ -f $TMP/topology-start.log ]] && cp "$TMP/topology-start.log" "$BENCH_LOGS/"
        [[ -d $TMP/results ]] && cp -r "$TMP/results/." "$BENCH_LOGS/"
        log "servers' logs and the phases' JSON kept in $BENCH_LOGS"
        sleep 1
        left=$(ours_left)
        if [[ -n $left ]]; then log "still running after cleanup: $left"; rc=1; else log "ps: no process of this run is left"; fi
        if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    fi
    log "total runtime $((SECONDS - START)) s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/abuse-bench.XXXXXX")
RES=$TMP/results
mkdir -p "$RES" "$TMP/data"
log "throwaway folder: $TMP"
GIT_INFO="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" \
    && [[ -n $(git status --porcelain -uno 2>/dev/null) ]] && echo ' (work tree has changes)' || true)"

# --- the topology, as operators start it -----------------------------------------------------------------------------
log "starting the topology (origin $ORIGIN_PORT, edges $EDGE1_PORT/$EDGE2_PORT, database $DB_PORT)"
TOPO_STARTED=1
# Loopback is exempt from the per-client caps by default (monitoring, a local proxy): here only 127.0.0.1 is, so the
# attackers' 127.x addresses meet the caps as remote clients would.
EXEMPT="-Dpomf.in-flight-exempt=${IN_FLIGHT_EXEMPT:-127.0.0.1/32}"
TOPOLOGY_DIR=$TMP/topology ORIGIN_ARGS="-Dpomf.trusted-proxies=$PROXY_SOURCE $EXEMPT ${ORIGIN_EXTRA:-}" \
    EDGE_ARGS="$EXEMPT ${EDGE_EXTRA:-}" "$ROOT/server-config/topology.sh" start >"$TMP/topology-start.log" 2>&1 &
TOPO_PID=$!
# Meanwhile, the files.
head -c "$SMALL_SIZE" /dev/urandom >"$TMP/data/small.bin"
head -c "$((BIG_MB * 1048576))" /dev/urandom >"$TMP/data/big.bin"
if ! wait "$TOPO_PID"; then TOPO_PID=''; cat "$TMP/topology-start.log" >&2; die "topology.sh start failed"; fi
TOPO_PID=''
EDGE_PID=$(cat "$TMP/topology/edge1.pid")
descendants() { local p; for p in $(ps -o pid= --ppid "$1"); do echo "$p"; descendants "$p"; done; }
ORIGIN_JVM=''
for p in $(descendants "$(cat "$TMP/topology/origin.pid")"); do
    [[ $(ps -o args= -p "$p" 2>/dev/null) == *payara-micro.jar* ]] && ORIGIN_JVM=$p
done
[[ -n $ORIGIN_JVM ]] || die "no Payara process found under the origin's launcher (pid $(cat "$TMP/topology/origin.pid"))"
log "up: origin Payara pid $ORIGIN_JVM, edge1 pid $EDGE_PID"

upload() { # file: prints /f/NAME
    local url
    url=$(curl -s --interface "$PROBE_SOURCE" -F "files[]=@$1" "http://127.0.0.1:$ORIGIN_PORT/upload.php?output=text")
    [[ $url == http* ]] || die "the upload of $1 answered: ${url:0:200}"
    echo "/f/${url##*/f/}"
}
SMALL_PATH=$(upload "$TMP/data/small.bin")
t0=$SECONDS
BIG_PATH=$(upload "$TMP/data/big.bin")
log "uploaded: 4 KiB $SMALL_PATH, $BIG_MB MiB $BIG_PATH (the cold file, in $((SECONDS - t0)) s)"
rm -f "$TMP/data/big.bin"
BIG_BYTES=$((BIG_MB * 1048576))
# The probe's edge file is a HIT before anything is measured (min-uses 2: the third request at the latest).
status=''
for _ in $(seq 1 10); do
    status=$(curl -s --interface "$PROBE_SOURCE" -o /dev/null -w '%{http_code} %header{x-cache-status}' \
        "http://127.0.0.1:$EDGE1_PORT$SMALL_PATH")
    [[ $status == "200 HIT" ]] && break
    sleep 0.3
done
[[ $status == "200 HIT" ]] || die "edge1 does not serve the probe's file from its cache: $status"

# --- measurements ----------------------------------------------------------------------------------------------------
heap_after_gc() { # pid: MiB in use after a full collection, or "-"
    jcmd "$1" GC.run >/dev/null 2>&1 || { echo -; return; }
    jcmd "$1" GC.heap_info 2>/dev/null | awk '/total [0-9]+K, used [0-9]+K/ {
        for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); kb += v } }
        END { if (kb == "") print "-"; else printf "%.0f\n", kb / 1024 }'
}
threads_of() { awk '/^Threads:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo -; }
metric() { # port name: the value of a /metrics line (summed over its labels), or "-"
    curl -s -m 10 "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF; f = 1 }
        END { if (f) printf "%.0f\n", s; else print "-" }'
}
alive() {
    kill -0 "$EDGE_PID" 2>/dev/null || fail "edge1 (pid $EDGE_PID) is gone"
    kill -0 "$ORIGIN_JVM" 2>/dev/null || fail "the origin (pid $ORIGIN_JVM) is gone"
}
# "edge_heap origin_heap edge_threads origin_threads"
servers_now() { echo "$(heap_after_gc "$EDGE_PID") $(heap_after_gc "$ORIGIN_JVM") $(threads_of "$EDGE_PID") $(threads_of "$ORIGIN_JVM")"; }
wchar() { awk '/^wchar:/ { print $2 }' "/proc/$1/io" 2>/dev/null || echo -; }
# "origin_bytes_sent_counted edge1_bytes_from_origin origin_wchar"
counters_now() {
    echo "$(metric "$ORIGIN_PORT" pomf_file_bytes_sent_total) $(metric "$EDGE1_PORT" pomf_edge_bytes_from_origin)" \
        "$(wchar "$ORIGIN_JVM")"
}

probe_args=(--source "$PROBE_SOURCE" --edge-port "$EDGE1_PORT" --edge-path "$SMALL_PATH" --origin-port "$ORIGIN_PORT"
    --origin-path "$SMALL_PATH" --size "$SMALL_SIZE" --timeout "$PROBE_TIMEOUT" --max-seconds "$MAX_WINDOW"
    --pids "edge=$EDGE_PID,origin=$ORIGIN_JVM")

probe_summary() { # probe JSON: "edge_get 2.1/35.0 (0 failed), ..."
    python3 - "$1" <<'EOF' 2>/dev/null || echo '(no result)'
import json, sys
r = json.load(open(sys.argv[1]))
print(", ".join("%s %s/%s (%s failed)" % (k, r[k]["p50_ms"], r[k]["p99_ms"], r[k]["failed"])
                for k in ("edge_get", "origin_get", "upload") if k in r))
EOF
}

# bg_start OUT ERR CMD...: runs CMD in the background (its PID in LAST_BG, kept for cleanup)
bg_start() { "${@:3}" >"$1" 2>"$2" & LAST_BG=$!; }

if ((SERVICE_WARMUP > 0)); then
    # A service in use has run each of these paths before: a fresh JVM compiles them during the attack instead (C2
    # took 54% of edge1's CPU in the first seconds of a names attack), which measures its start, not the attack.
    # A few of each attack's requests, from addresses of their own (127.2x.*), so no attacker's limit is used up.
    log "warm-up: a few requests of each attack's kind (SERVICE_WARMUP=0 skips it)"
    head -c $((64 * 1048576)) /dev/urandom >"$TMP/data/warm.bin"
    WARM_PATH=$(upload "$TMP/data/warm.bin")
    rm -f "$TMP/data/warm.bin"
    for attack in $ATTACKS; do
        case $attack in
            names) python3 "$CLIENT" names --port "$EDGE1_PORT" --count 3000 --concurrency 8 --sources 100 \
                --source-base 127.21 ;;
            ranges) python3 "$CLIENT" ranges --port "$EDGE1_PORT" --path "$WARM_PATH" --size $((64 * 1048576)) \
                --count 200 --sources 20 --source-base 127.22 --hangup "$RANGE_HANGUP" --chunk-step 1 ;;
            login) python3 "$CLIENT" login --port "$ORIGIN_PORT" --count 100 --concurrency 4 --addresses 100 \
                --prefix 2001:db8:ab:ce --proxy-source "$PROXY_SOURCE" ;;
            boundary) python3 "$CLIENT" boundary --port "$ORIGIN_PORT" --count 2 --parallel 1 \
                --size $((4 * 1048576)) --sources 1 --source-base 127.25 --window 10 ;;
            *) ;; # slow: the probe's own uploads run that path
        esac >>"$RES/service-warmup.json" 2>>"$RES/service-warmup.err" || fail "the $attack warm-up failed"
    done
    sleep 5 # hung-up ranges' fetches end
fi
log "warm-up: the probe for $WARMUP_SECONDS s (not recorded)"
bg_start "$RES/warmup-probe.json" "$RES/warmup-probe.err" python3 "$CLIENT" probe "${probe_args[@]}" \
    --min-seconds "$WARMUP_SECONDS"
wait "$LAST_BG" || fail "the warm-up probe failed: $(tail -3 "$RES/warmup-probe.err")"
BEFORE=$(servers_now)
log "idle: edge1 heap/threads $(cut -d' ' -f1,3 <<<"$BEFORE" | tr ' ' /), origin $(cut -d' ' -f2,4 <<<"$BEFORE" | tr ' ' /)"

# phase NAME MIN_SECONDS ROLE ARGS...: the probe and the attack together; the servers before, during, after.
PHASES=()
phase() {
    local name=$1 window=$2 role=$3 probe_pid attack_pid during after c0 c1 c2 i
    shift 3
    rm -f "$TMP/done" "$TMP/release"
    c0=$(counters_now)
    bg_start "$RES/$name-probe.json" "$RES/$name-probe.err" python3 "$CLIENT" probe "${probe_args[@]}" \
        --min-seconds "$window" --done-file "$TMP/done"
    probe_pid=$LAST_BG
    bg_start "$RES/$name-attack.json" "$RES/$name-attack.err" python3 "$CLIENT" "$role" --done-file "$TMP/done" \
        --release-file "$TMP/release" --max-seconds "$ATTACK_MAX_SECONDS" "$@"
    attack_pid=$LAST_BG
    while kill -0 "$probe_pid" 2>/dev/null; do
        # An attack that ended without saying so (it failed) ends the window too.
        if [[ ! -e $TMP/done ]] && ! kill -0 "$attack_pid" 2>/dev/null; then touch "$TMP/done"; fi
        sleep 0.2
    done
    wait "$probe_pid" || fail "$name: the probe failed: $(tail -3 "$RES/$name-probe.err")"
    c1=$(counters_now)
    log "$name: window over, probe p50/p99 ms: $(probe_summary "$RES/$name-probe.json")"
    log "$name: heaps after GC (the attack still held, or just over)"
    during=$(servers_now)
    touch "$TMP/release"
    for ((i = 0; i < 2 * (ATTACK_MAX_SECONDS + 30); i++)); do kill -0 "$attack_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$attack_pid" 2>/dev/null && { kill -TERM "$attack_pid"; fail "$name: the attack did not end"; }
    wait "$attack_pid" || fail "$name: the attack client failed: $(tail -3 "$RES/$name-attack.err")"
    log "$name: $(head -c 400 "$RES/$name-attack.json")"
    log "$name: settling $SETTLE s"
    sleep "$SETTLE"
    c2=$(counters_now)
    after=$(servers_now)
    alive
    printf '{"name": "%s", "before": "%s", "during": "%s", "after": "%s", "c0": "%s", "c1": "%s", "c2": "%s"}\n' \
        "$name" "$BEFORE" "$during" "$after" "$c0" "$c1" "$c2" >"$RES/$name-servers.json"
    PHASES+=("$name")
    BEFORE=$after
}

log "baseline: the probe alone for $BASELINE_SECONDS s"
phase baseline "$BASELINE_SECONDS" none
for attack in $ATTACKS; do
    case $attack in
        names)
            log "attack: $NAMES random names at edge1, $NAMES_CONCURRENCY connections, $NAMES_SOURCES addresses"
            phase names "$MEASURE" names --port "$EDGE1_PORT" --count "$NAMES" --concurrency "$NAMES_CONCURRENCY" \
                --sources "$NAMES_SOURCES" --source-base 127.11 ;;
        guesser)
            log "attack: random names at edge1 from one address, $NAMES_CONCURRENCY connections, $MEASURE s"
            phase guesser "$MEASURE" names --port "$EDGE1_PORT" --count "$GUESSES" --concurrency "$NAMES_CONCURRENCY" \
                --sources 1 --source-base 127.16 --max-seconds "$MEASURE" ;;
        ranges)
            log "attack: $RANGES ranged requests hung up ($RANGE_HANGUP) on the cold $BIG_MB MiB file at edge1"
            phase ranges "$MEASURE" ranges --port "$EDGE1_PORT" --path "$BIG_PATH" --size "$BIG_BYTES" \
                --count "$RANGES" --sources "$RANGES_SOURCES" --source-base 127.12 --hangup "$RANGE_HANGUP" \
                --chunk-step "$RANGE_CHUNK_STEP" ;;
        slow)
            log "attack: $SLOW slow uploads ($SLOW_MB MiB at $SLOW_RATE B/s) to the origin"
            phase slow "$MEASURE" slow --port "$ORIGIN_PORT" --count "$SLOW" --size "$((SLOW_MB * 1048576))" \
                --rate "$SLOW_RATE" --ramp "$SLOW_RAMP" --sources "$SLOW_SOURCES" --source-base 127.13 ;;
        login)
            log "attack: $LOGINS logins from $LOGIN_ADDRESSES addresses of $LOGIN_PREFIX::/64"
            phase login "$MEASURE" login --port "$ORIGIN_PORT" --count "$LOGINS" --concurrency "$LOGIN_CONCURRENCY" \
                --addresses "$LOGIN_ADDRESSES" --prefix "$LOGIN_PREFIX" --proxy-source "$PROXY_SOURCE" ;;
        boundary)
            log "attack: uploads of $BOUNDARY_MB MiB with a 70-character boundary, $BOUNDARY_PARALLEL at a time for" \
                "$MEASURE s (at most $BOUNDARY_UPLOADS)"
            phase boundary "$MEASURE" boundary --port "$ORIGIN_PORT" --count "$BOUNDARY_UPLOADS" \
                --parallel "$BOUNDARY_PARALLEL" --size "$((BOUNDARY_MB * 1048576))" --sources "$BOUNDARY_PARALLEL" \
                --source-base 127.15 --window "$MEASURE"
            log "boundary: $BOUNDARY_ALONE_ROUNDS rounds of one upload alone with a 70- and a 1-character boundary"
            for ((round = 1; round <= BOUNDARY_ALONE_ROUNDS; round++)); do
                for length in 70 1; do
                    python3 "$CLIENT" boundary --port "$ORIGIN_PORT" --count 1 --parallel 1 --boundary-length "$length" \
                        --size "$((BOUNDARY_MB * 1048576))" --source-base 127.15 \
                        >>"$RES/boundary-alone-$length.json" 2>>"$RES/boundary-alone-$length.err" \
                        || fail "the single upload with a $length-character boundary failed"
                done
            done ;;
    esac
done

if ((FINAL_IDLE > 0)); then
    # The pools keep idle threads a minute (Payara's HTTP workers: idle-thread-timeout-seconds=60): whether the
    # servers go back to where they started shows after that.
    log "all attacks over: $FINAL_IDLE s idle, then the servers once more"
    sleep "$FINAL_IDLE"
    printf '{"name": "idle end", "after": "%s"}\n' "$(servers_now)" >"$RES/final-servers.json"
    alive
fi

# --- logs, then the table --------------------------------------------------------------------------------------------
for f in origin edge1 edge2; do
    n=$(grep -c 'OutOfMemoryError' "$TMP/topology/$f.log" 2>/dev/null || true)
    ((${n:-0} == 0)) || fail "$f logged $n lines with OutOfMemoryError"
done
echo
echo "pomf-ee abuse bench (issue 14), $(date '+%F %T'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "git $GIT_INFO"
echo "topology.sh on loopback (origin :$ORIGIN_PORT, edge1 :$EDGE1_PORT); probe from $PROBE_SOURCE: edge1 4 KiB HIT" \
    "every 0.1 s, origin 4 KiB GET every 0.25 s and 64 KiB upload every 1 s, timeout ${PROBE_TIMEOUT} s;" \
    "windows ≥ $MEASURE s (baseline $BASELINE_SECONDS s), settle $SETTLE s"
echo
python3 - "$RES" "$SMALL_SIZE" "$BIG_BYTES" "$HEAP_SLACK_MIB" "$THREAD_SLACK" "$FINAL_IDLE" "${PHASES[@]}" <<'EOF'
import json, os, sys
res, small, big, heap_slack, thread_slack = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
final_idle, phases = int(sys.argv[6]), sys.argv[7:]

def load_all(path):
    try:
        with open(os.path.join(res, path)) as f:
            return [json.loads(line) for line in f.read().strip().splitlines()]
    except (OSError, ValueError):
        return []

def load(path):
    runs = load_all(path)
    return runs[-1] if runs else {}

def median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else None

def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None

def fmt(v):
    return "-" if v is None else f"{v:.0f}" if abs(v) >= 10 else f"{v:.1f}"

def mib(b):
    return "-" if b is None else f"{b / 2**20:,.1f} MiB"

rows, goals = [], []
base = load("baseline-probe.json")
for name in phases:
    s, p, a = load(f"{name}-servers.json"), load(f"{name}-probe.json"), load(f"{name}-attack.json")
    b, d, af = (s.get(k, "- - - -").split() for k in ("before", "during", "after"))
    tmax = p.get("threads_max", {})
    edge_heap = f"{b[0]} → {d[0]} → {af[0]}"
    origin_heap = f"{b[1]} → {d[1]} → {af[1]}"
    edge_thr = f"{b[2]} → {tmax.get('edge', '-')} → {af[2]}"
    origin_thr = f"{b[3]} → {tmax.get('origin', '-')} → {af[3]}"
    cells, failures, worst = [], 0, None
    for kind in ("edge_get", "origin_get", "upload"):
        k = p.get(kind)
        if not k:
            cells.append("-")
            continue
        failures += k["failed"]
        cell = f"{fmt(k['p50_ms'])} / {fmt(k['p99_ms'])}"
        ref = base.get(kind, {}).get("p99_ms")
        if name != "baseline" and ref:
            r = k["p99_ms"] / ref
            cell += f" ({r:.1f}x)"
            worst = r if worst is None else max(worst, r)
        cells.append(cell)
    fails = str(failures)
    if failures:
        parts = []
        for kind, label in (("edge_get", "edge GET"), ("origin_get", "origin GET"), ("upload", "upload")):
            k = p.get(kind, {})
            if k.get("failed"):
                parts.append(f"{label}: " + ", ".join(f"{n} {w}" for w, n in sorted(k["failures"].items()))
                             + f", from {k.get('first_failure_s')} s into the window, all failing for up to "
                             f"{k.get('longest_failing_s')} s")
        fails += " (" + "; ".join(parts) + ")"
    # the attack's own figure
    fig = "-"
    if name in ("names", "guesser") and a:
        fig = (", ".join(f"{n} × {st}" for st, n in sorted(a["answers"].items(), key=lambda x: -x[1]))
               + f"; {a['per_second']} req/s over {a['seconds']} s")
    elif name == "ranges" and a:
        c0, c1, c2 = ((s.get(k, "") + " - - -").split() for k in ("c0", "c1", "c2"))
        probe_bytes = p.get("origin_get", {}).get("ok_bytes", 0)
        def delta(x, y, less=0):
            return None if num(x) is None or num(y) is None else num(y) - num(x) - less
        counted = delta(c0[0], c2[0], probe_bytes)
        edge_window, edge_after = delta(c0[1], c1[1]), delta(c0[1], c2[1])
        wrote = delta(c0[2], c2[2])
        outcomes = ", ".join(f"{n} {k}" for k, n in sorted(a["outcomes"].items()))
        asked = a.get("asked_bytes")
        share = f" ({edge_after / asked:.2f}x the chunks asked)" if edge_after is not None and asked else ""
        fig = (f"{outcomes} in {a['seconds']} s, starting in {a.get('chunks_touched')} chunks ({mib(asked)}) of the "
               f"{mib(big)} file; edge1 fetched {mib(edge_window)} from the origin in the window, {mib(edge_after)} "
               f"by the end of the settle time{share}; the origin wrote {mib(wrote)} in all (/proc wchar) and "
               f"counted {mib(counted)} as sent (pomf_file_bytes_sent, less the probe's GETs)")
    elif name == "slow" and a:
        fig = (f"{a['uploads']} uploads, at release: "
               + ", ".join(f"{n} {st}" for st, n in sorted(a["states_at_release"].items()))
               + f"; {a['sent_mib']} MiB sent in {a['held_s']} s")
    elif name == "login" and a:
        fig = (f"{a['attempts']} from {a['addresses']} addresses of {a['prefix']} in {a['seconds']} s: "
               + ", ".join(f"{n} {st}" for st, n in sorted(a["outcomes"].items(), key=lambda x: -x[1])))
    elif name == "boundary" and a:
        t70 = median(r.get("upload_s_p50") for r in load_all("boundary-alone-70.json"))
        t1 = median(r.get("upload_s_p50") for r in load_all("boundary-alone-1.json"))
        alone = ""
        if t70 and t1:
            alone = (f"; one alone (median of {len(load_all('boundary-alone-70.json'))}): 70 × 'a' {t70} s, "
                     f"1 × 'a' {t1} s ({t70 / t1:.2f}x)")
        fig = (f"{a['uploads']} × {a['size_mib']} MiB, {a['parallel']} at a time: "
               + ", ".join(f"{n} × {st}" for st, n in sorted(a["answers"].items()))
               + f" in {a['seconds']} s ({a['mb_per_s']} MB/s; each p50 {a['upload_s_p50']} s, max "
               f"{a['upload_s_max']} s){alone}")
    rows.append([name, edge_heap, edge_thr, origin_heap, origin_thr, *cells, fails, fig])
    if name != "baseline":
        flat = []
        for label, bi, ai, slack in (("edge heap", 0, 0, heap_slack), ("origin heap", 1, 1, heap_slack),
                                     ("edge threads", 2, 2, thread_slack), ("origin threads", 3, 3, thread_slack)):
            x, y = num(b[bi]), num(af[ai])
            if x is not None and y is not None and y - x > slack:
                flat.append(f"{label} +{y - x:.0f}")
        goals.append((name, flat, worst, failures))

head = ["phase", "edge1 heap MiB (before → during → after)", "edge1 threads (before → max → after)",
        "origin heap MiB", "origin threads", "edge GET p50 / p99 ms (p99 × baseline)", "origin GET p50 / p99 ms",
        "64 KiB upload p50 / p99 ms", "probe failures", "attack"]
final = load("final-servers.json")
if final:
    f = final["after"].split()
    rows.append([f"{final_idle} s idle after all", f[0], f[2], f[1], f[3], "-", "-", "-", "-", "-"])
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for r in rows:
    print("| " + " | ".join(str(c) for c in r) + " |")
print()
print(f"Issue 14's goals (read from the table; heap within {heap_slack} MiB and threads within {thread_slack} of "
      "before once the attack is over = flat; the probe's p99 within 3x of the baseline's). Bounded by configuration,\n"
      "and kept a while: the edge's heap tier (pomf.edge.heap-chunks, 64 chunks of 1 MiB), HTTP workers (16, kept 60 s\n"
      f"idle) and the edge's fill threads (pomf.edge.fill-threads, 32): the last row, {final_idle} s after the last "
      "attack, shows what stays.")
for name, grew, worst, failures in goals:
    heap = "flat" if not grew else "GREW (" + ", ".join(grew) + ")"
    p99 = "-" if worst is None else (f"worst p99 {worst:.1f}x: " + ("met" if worst <= 3 else "MISSED"))
    print(f"  {name:<9} heap and threads: {heap}; probe {p99}" + (f"; {failures} probe failures" if failures else ""))
EOF

if ((${#FAILURES[@]})); then
    echo
    echo "checks failed:"
    printf '  %s\n' "${FAILURES[@]}"
    exit 1
fi
