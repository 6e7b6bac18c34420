#!/usr/bin/env bash
# edge-bench.sh: our edge cache and nginx's proxy_cache, side by side in front of the same origin, in one run.
#
# What it starts (every server on 127.0.0.1 only, or inside its own network namespace; all in a throwaway folder):
#   - the local topology (server-config/topology.sh: origin 18100 with an embedded PostgreSQL on 54400, edges 18101
#     and 18102), run from a snapshot of the build (see below), with EDGE_ARGS giving the edges
#     max-size 4 GiB, valid 10m, min-uses 2, heap-chunks 256 and -Xmx1g (see below); the origin gets -Xmx3g;
#   - a third edge on 18103, the same command line as topology.sh's, whose origin is the relay;
#   - for the far herd, a fourth edge on 18152 whose origin is the relay's far listener;
#   - src/bench/edge-bench-relay.py on 18199: a counting HTTP relay to the origin that can throttle every response
#     to a given rate (per connection); with the far herd also a second listener 198.19.254.2:18150 inside a private
#     network namespace (pomf-eb-<pid>), 50 ms of round trip away from the host (see "far" below);
#   - nginx 1.22 (Debian's nginx-light), 1 worker, sendfile, the original deployment's proxy_cache settings
#     (shared/specs/edge-cache.md), max_size 4g like ours, proxy_cache_max_range_offset 32m included (it matters for
#     the seek): 18190 → origin, 18191 → relay, 18151 → the relay's far listener. nginx talks HTTP/1.0 to its upstream
#     without keep-alive (its default, the original's too); our edges keep connections alive.
# What it measures (PARTS="hits herd seek zipf" by default; "herd" is "herd-local herd-far"; any subset, any order
# of words, the parts always run in this order):
#   a. hits: cached hits, `wrk -t2 -c32 -d10s` on a 4 KiB, a 64 KiB, a 1 MiB and a 32 MiB object, ours (edge1, 18101)
#      and nginx (18190), after warming each until X-Cache-Status: HIT (3 requests; min uses 2); ROUNDS rounds
#      (default 3), the order alternating ours/nginx, nginx/ours, ...; the median of each; req/s, MB/s, ratio
#      ours/nginx; and the CPU time of the serving processes during each wrk run, from /proc/<pid>/stat (utime +
#      stime, in ticks of getconf CLK_TCK): edge1's JVM for ours, nginx's master and all its children (the worker,
#      the cache manager, the cache loader while it lives) for nginx, as CPU seconds per 10,000 hits (the median of
#      the rounds). The load generator (wrk) runs on the same 2 cores and is not counted.
#   b. herd: 100 simultaneous clients (xargs -P 100 curl) for an uncached object of 32 MiB and of 64 MiB (HERD_SIZES),
#      the origin slowed to 4 MiB/s per connection by the relay; each herd its own object, so every herd is cold;
#      ours = edge 18103, nginx = 18191 (origin local: the relay on loopback), and again 50 ms away: ours = edge
#      18152, nginx = 18151 (the relay's far listener). Per herd: wall time until the last client has its last
#      byte, the clients' median time to first and last byte, origin requests (whole / with Range) and bytes as the
#      relay counted them, clients with HTTP 200 and the full size, X-Cache-Status, the next request's status.
#   c. seek: a cold 1 GiB object (the same file for both caches, uploaded once): one request below min uses
#      (Range: bytes=0-0, passed through by both), then Range: 1 MiB at 600 MiB, timed (time to first byte and to
#      last byte; this is the request that reaches min uses: ours starts storing the object in chunks, nginx passes it
#      through because it starts beyond proxy_cache_max_range_offset 32m), then the same range again; each cache
#      behind the relay on loopback, not throttled (SEEK_RATE); origin requests and bytes for each step; the bytes
#      are compared with the file.
#   d. Zipf trace: 20,000 requests over 2,000 objects of 16 KiB, exponent 1.0, fixed seed, 16 threads with
#      keep-alive connections (src/bench/edge-bench-zipf.py), against 18103 and 18191, relay unthrottled:
#      hit ratio (HIT / all; other statuses counted apart), origin bytes measured by the relay (and MISS × 16 KiB
#      beside it as a cross-check), requests/s (client-bound: one Python process).
#   MB means 10^6 bytes, MiB means 2^20 bytes. Ratios are ours/nginx: above 1 is better for req/s and MB/s, below 1
#   is better for CPU, origin requests, origin bytes and times. The table marks the goals of issue 12 (ratios 4 KiB
#   ≥ 0.8, 64 KiB ≥ 0.9, 1 MiB and 32 MiB ≥ 1.0, CPU per 4 KiB hit ≤ 1.5, herd last byte ≤ 1.0 local and far, ours'
#   origin bytes ≤ 2× the object) with yes/NO.
#
# Far (the herd 50 ms away; needs root and iproute2, else it is skipped with the reason printed): a network namespace
#   with a link to the host, FAR_RTT_MS (50) of round trip on it: a veth pair with `tc qdisc ... netem delay 25ms` on
#   both ends when the kernel has netem, otherwise (this machine's kernel is built without CONFIG_NET_SCH_NETEM) two
#   TUN devices joined by src/bench/edge-bench-delay.py, a userspace delay line holding every packet 25 ms each way
#   (TCP keeps its 1500-byte MTU, window and slow start; FAR_LINK=netem|tun forces one). The relay's far listener
#   is made inside the namespace while the relay stays in the host's, so a cache's requests cross the link once
#   each way and the relay reaches the origin on loopback: cache → (50 ms RTT) → relay → origin. The round trip is
#   measured (TCP connect) and printed. Never netem on lo. Removed on exit, also on Ctrl-C.
#
# How to run (from anywhere, as root: it installs nginx-light and wrk with apt-get if they are missing):
#   src/bench/edge-bench.sh                  # about 20 minutes on 2 cores
#   ROUNDS=1 DURATION=3s JIT_WARMUP=2s src/bench/edge-bench.sh   # quicker smoke run
#   PARTS="herd-far seek" HERD_SIZES=32 src/bench/edge-bench.sh     # some parts only
# Other knobs: EDGE_GC (the edges' collector option, -XX:+UseParallelGC; passed to topology.sh too), EDGE_HEAP
#   (edge -Xmx, default 1g; EDGE_HEAP= for topology.sh's 512m), EDGE_EXTRA (more JVM options
#   for the edges), ORIGIN_HEAP (default 3g),
#   JIT_WARMUP=5s (unmeasured wrk per object and cache before the rounds, twice that for 4 KiB; 0 = none),
#   HERD_SIZES="32 64" (MiB), FAR_RTT_MS=50, FAR_LINK=auto|netem|tun, SEEK_RATE=0 (bytes/s per origin connection
#   during the seek, 0 = not throttled), RELAY_AHEAD=16777216 (bytes per connection the relay reads ahead of the cache),
#   TOPOLOGY_PORTS="18100 18101 18102 54400" (origin, edge1, edge2, database: see below),
#   BENCH_TMP=DIR (parent of the throwaway folder, default /tmp; the run needs about 5 GB there), KEEP_TMP=1 (keep
#   that folder), BENCH_LOGS=DIR (where the servers' logs are kept afterwards, default target/edge-bench-logs).
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
# On exit (normal, error, Ctrl-C) it stops what it started, by PID: nginx, the relay, the delay line, the third and
# fourth edge, then `topology.sh stop`; then anything still running from the throwaway folder; it removes the
# namespace and its link, and checks with ps and ip that nothing is left.
# Exit status: 0 when every check passed (sizes, bytes, HTTP 200/206, HIT after warming, no wrk errors), 1 otherwise.
# The goals are not checks: a missed goal is printed as NO and does not fail the run.
set -euo pipefail

# The topology's own ports: origin, edge1, edge2, its embedded PostgreSQL.
# Another topology on the defaults (server-config/topology.sh start in a work tree) blocks them: then e.g.
# TOPOLOGY_PORTS="18160 18161 18162 18164" (topology.sh takes its ports from the environment).
TOPOLOGY_PORTS=${TOPOLOGY_PORTS:-18100 18101 18102 54400}
read -r ORIGIN_PORT EDGE1_PORT EDGE2_PORT DB_PORT _ <<<"$TOPOLOGY_PORTS"
EDGE3_PORT=18103
FAR_RELAY_PORT=18150   # the relay's far listener, on FAR_NS_ADDR inside the namespace
NGINX_FAR_PORT=18151
EDGE4_PORT=18152
NGINX_PORT=18190
NGINX_RELAY_PORT=18191
RELAY_PORT=18199
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
JIT_WARMUP=${JIT_WARMUP:-5s}   # an unmeasured wrk run per object and cache before the rounds (the JVM's JIT);
                               # twice as long for the 4 KiB object, whose rate climbs the longest
EDGE_HEAP=${EDGE_HEAP-1g}   # the edges' -Xmx, see the note at the top; EDGE_HEAP= keeps topology.sh's 512m
ORIGIN_HEAP=${ORIGIN_HEAP:-3g}   # the origin's -Xmx (the launcher's default is 512m), see the note at the top
PARTS=${PARTS:-hits herd seek zipf}
HERD_SIZES=${HERD_SIZES:-32 64}   # MiB
HERD_CLIENTS=100
HERD_RATE=$((4 * 1048576))  # bytes/s per origin connection: 32 MiB in 8 s
FAR_RTT_MS=${FAR_RTT_MS:-50}
FAR_LINK=${FAR_LINK:-auto}
FAR_NS=pomf-eb-$$
FAR_HOST_DEV=eb$$h   # interface names: at most 15 characters
FAR_NS_DEV=eb$$n
FAR_HOST_ADDR=198.19.254.1   # RFC 2544's benchmarking range; witness-bench.sh uses 198.19.255.0/30
FAR_NS_ADDR=198.19.254.2
SEEK_SIZE=1073741824   # the upload limit's default (pomf.upload.max-size), inclusive
SEEK_AT=$((600 * 1048576))
SEEK_LEN=1048576
SEEK_RATE=${SEEK_RATE:-0}
RELAY_AHEAD=${RELAY_AHEAD:-16777216}
ZIPF_OBJECTS=2000
ZIPF_SIZE=16384
ZIPF_REQUESTS=20000
ZIPF_EXPONENT=1.0
ZIPF_SEED=20240601
ZIPF_THREADS=16
HITS_LABELS=(o4k o64k o1m o32m)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=$ROOT/src/bench
BENCH_TMP=${BENCH_TMP:-/tmp}
BENCH_LOGS=${BENCH_LOGS:-$ROOT/target/edge-bench-logs}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
UPLOAD_URL="http://127.0.0.1:$ORIGIN_PORT/upload.php?output=text"
EDGE_OPTS="-Dpomf.edge.max-size=4294967296 -Dpomf.edge.valid=10m -Dpomf.edge.min-uses=2 -Dpomf.edge.heap-chunks=256"
[[ -n $EDGE_HEAP ]] && EDGE_OPTS="-Xmx$EDGE_HEAP $EDGE_OPTS"   # after topology.sh's -Xmx512m: the last one wins
EDGE_OPTS="$EDGE_OPTS ${EDGE_EXTRA:-}"
ORIGIN_OPTS="-Dpomf.heap=$ORIGIN_HEAP"                           # read by the launcher (pomf.run.LocalRun)

log() { printf '[edge-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ns() { date +%s%N; }
# calc FORMAT EXPR VAR=VALUE...: floating point with awk, e.g. calc '%.1f' 'a/b' a=1 b=3
calc() { local fmt=$1 expr=$2; shift 2; local args=(); for kv in "$@"; do args+=(-v "$kv"); done
         awk "${args[@]}" "BEGIN { printf \"$fmt\", ($expr) }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { calc '%.2f' 'b > 0 ? a / b : 0' a="$1" b="$2"; }
# goal VALUE OP BOUND: ">=0.8 yes" / ">=0.8 NO" (ASCII, so that printf's widths line up)
goal() { local ok; ok=$(calc '%d' "($1 $2 $3) ? 1 : 0"); printf '%s%s %s' "$2" "$3" "$( ((ok)) && echo yes || echo NO)"; }

START_NS=$(now_ns)
FAILURES=()
fail() { FAILURES+=("$*"); log "CHECK FAILED: $*"; }

# --- parts ----------------------------------------------------------------------------------------------------------
declare -A WANT=()
for word in $PARTS; do
    case $word in
        hits | herd-local | herd-far | seek | zipf) WANT[$word]=1 ;;
        herd) WANT[herd-local]=1; WANT[herd-far]=1 ;;
        *) die "PARTS: unknown part '$word' (hits herd herd-local herd-far seek zipf)" ;;
    esac
done
want() { [[ -n ${WANT[$1]:-} ]]; }
((${#WANT[@]})) || die "PARTS is empty"
for size in $HERD_SIZES; do [[ $size =~ ^[1-9][0-9]*$ ]] || die "HERD_SIZES must be whole MiB, e.g. \"32 64\""; done

# --- 1. tools ------------------------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    [[ $(id -u) == 0 ]] || die "nginx and wrk are missing and only root can install them (apt-get install nginx-light wrk)"
    log "installing nginx-light and wrk"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq nginx-light wrk >/dev/null; then
        apt-get update -qq && apt-get install -y -qq nginx-light wrk >/dev/null || die "apt-get install nginx-light wrk failed"
    fi
fi
for tool in curl python3 java mvn awk ps xargs setsid nginx wrk cmp getconf; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for port in "$ORIGIN_PORT" "$EDGE1_PORT" "$EDGE2_PORT" "$DB_PORT"; do
    [[ $port =~ ^[1-9][0-9]{3,4}$ ]] || die "TOPOLOGY_PORTS must be four ports: origin edge1 edge2 database"
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number"
[[ $DURATION =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION must be a wrk duration such as 10s"
[[ $FAR_LINK =~ ^(auto|netem|tun)$ ]] || die "FAR_LINK must be auto, netem or tun"
[[ $FAR_RTT_MS =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "FAR_RTT_MS must be a number of milliseconds"
HZ=$(getconf CLK_TCK)

# Why the far herd cannot run here, if it cannot (checked before anything starts).
FAR_SKIP=''
if want herd-far; then
    if [[ $(id -u) != 0 ]]; then FAR_SKIP="not root (a network namespace needs root)"
    elif ! command -v ip >/dev/null || ! command -v tc >/dev/null; then FAR_SKIP="iproute2 (ip, tc) is not installed"
    elif ip -o addr show 2>/dev/null | grep -q " ${FAR_HOST_ADDR%.*}\.[0-3]/"; then
        FAR_SKIP="${FAR_HOST_ADDR%.*}.0/30 is already in use on this host (another edge-bench run?)"
    elif ip -o addr show 2>/dev/null | grep -qE " ${FAR_HOST_ADDR//./\\.} peer | ${FAR_NS_ADDR//./\\.}/"; then
        FAR_SKIP="${FAR_HOST_ADDR%.*}.0/30 is already in use on this host (another edge-bench run?)"
    fi
    [[ -z $FAR_SKIP ]] || log "the herd 50 ms away is skipped: $FAR_SKIP"
fi

# --- ports: another person may run tests (18080) or the topology ----------------------------------------------------
ports=("$ORIGIN_PORT" "$EDGE1_PORT" "$EDGE2_PORT" "$EDGE3_PORT" "$NGINX_PORT" "$NGINX_RELAY_PORT" "$RELAY_PORT"
    "$DB_PORT" "$NGINX_FAR_PORT" "$EDGE4_PORT")
busy=()
for port in "${ports[@]}"; do
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
NGINX_KIDS=''
RELAY_PID=''
DELAY_PID=''
EDGE3_PID=''
EDGE4_PID=''
TOPO_PID=''
TOPO_STARTED=0
FAR_MADE=0
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

ours_left() { # pids of processes whose command line names the throwaway folder or this run's namespace, or that
    # this run started by name (nginx's workers say only "nginx: worker process")
    [[ -n $TMP ]] || return 0
    local pid args
    while read -r pid args; do
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        if [[ $args == *"$TMP/"* || $args == *"$FAR_NS "* ]]; then echo "$pid"; fi
    done < <(ps -e -o pid=,args= 2>/dev/null || true)
    for pid in $NGINX_PID $NGINX_KIDS $RELAY_PID $DELAY_PID $EDGE3_PID $EDGE4_PID; do
        kill -0 "$pid" 2>/dev/null && echo "$pid"
    done
    return 0
}

far_down() { # the namespace and its link, if this run made them
    ((FAR_MADE)) || return 0
    ip link del "$FAR_HOST_DEV" 2>/dev/null   # a veth takes its peer with it; a TUN device left with its process
    ip netns del "$FAR_NS" 2>/dev/null
    FAR_MADE=0
    if ip netns list 2>/dev/null | grep -qw "$FAR_NS" || ip link show "$FAR_HOST_DEV" >/dev/null 2>&1; then
        log "namespace $FAR_NS or link $FAR_HOST_DEV is still there"
        return 1
    fi
    log "removed namespace $FAR_NS and link $FAR_HOST_DEV"
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
    stop_pid "delay line" "$DELAY_PID" 5
    far_down || rc=1
    stop_pid edge3 "$EDGE3_PID" 60
    stop_pid edge4 "$EDGE4_PID" 60
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
        for f in topology/origin.log topology/edge1.log topology/edge2.log edge3.log edge4.log relay.log delay.log \
            nginx/error.log; do
            rm -f "$BENCH_LOGS/$(basename "$f")"   # not an earlier run's
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
ORIGIN_PORT=$ORIGIN_PORT EDGE1_PORT=$EDGE1_PORT EDGE2_PORT=$EDGE2_PORT DB_PORT=$DB_PORT \
    TOPOLOGY_DIR=$TMP/topology EDGE_ARGS=$EDGE_OPTS ORIGIN_ARGS=$ORIGIN_OPTS "$APP/server-config/topology.sh" start >"$TMP/topology-start.log" 2>&1 &
TOPO_PID=$!

# --- the far link: a namespace FAR_RTT_MS away ------------------------------------------------------------------------
FAR_HALF_MS=$(calc '%g' 'r / 2' r="$FAR_RTT_MS")
FAR_KIND=''
far_netem() { # veth + netem on both ends; 1 when that fails (the kernel has no netem): the veth is removed again
    ip link add "$FAR_HOST_DEV" type veth peer name "$FAR_NS_DEV" netns "$FAR_NS" 2>"$TMP/netem.err" || return 1
    # A large queue limit: 100 herd streams at 4 MiB/s keep ~20 MB in flight, far more than netem's default 1000 packets.
    if ! { ip addr add "$FAR_HOST_ADDR/30" dev "$FAR_HOST_DEV" && ip link set "$FAR_HOST_DEV" up \
        && ip -n "$FAR_NS" addr add "$FAR_NS_ADDR/30" dev "$FAR_NS_DEV" && ip -n "$FAR_NS" link set "$FAR_NS_DEV" up \
        && tc qdisc add dev "$FAR_HOST_DEV" root netem delay "${FAR_HALF_MS}ms" limit 1000000 \
        && ip netns exec "$FAR_NS" tc qdisc add dev "$FAR_NS_DEV" root netem delay "${FAR_HALF_MS}ms" limit 1000000
    } 2>>"$TMP/netem.err"; then
        ip link del "$FAR_HOST_DEV" 2>/dev/null
        return 1
    fi
    FAR_KIND="veth pair, netem delay ${FAR_HALF_MS}ms on both ends"
}
far_tun() { # two TUN devices and the userspace delay line between them
    [[ -c /dev/net/tun ]] || return 1
    # Real-time priority (SCHED_FIFO): on a loaded machine a normal process wakes late and the 50 ms became 55-72 ms
    # (measured); netem would run in the kernel's softirq, ahead of every process, too.
    local rt=()
    command -v chrt >/dev/null && rt=(chrt -f 10)
    "${rt[@]}" python3 "$BENCH/edge-bench-delay.py" --netns "$FAR_NS" --host-dev "$FAR_HOST_DEV" --ns-dev "$FAR_NS_DEV" \
        --delay-ms "$FAR_HALF_MS" >"$TMP/delay.log" 2>&1 </dev/null &
    DELAY_PID=$!
    local i
    for ((i = 0; i < 50; i++)); do
        grep -qs '^ready' "$TMP/delay.log" && break
        kill -0 "$DELAY_PID" 2>/dev/null || { cat "$TMP/delay.log" >&2; return 1; }
        sleep 0.2
    done
    grep -q '^ready' "$TMP/delay.log" || return 1
    ip addr add "$FAR_HOST_ADDR" peer "$FAR_NS_ADDR" dev "$FAR_HOST_DEV" \
        && ip link set "$FAR_HOST_DEV" txqueuelen 10000 up \
        && ip -n "$FAR_NS" addr add "$FAR_NS_ADDR" peer "$FAR_HOST_ADDR" dev "$FAR_NS_DEV" \
        && ip -n "$FAR_NS" link set "$FAR_NS_DEV" txqueuelen 10000 up || return 1
    FAR_KIND="TUN pair joined by edge-bench-delay.py${rt:+ (SCHED_FIFO)}, ${FAR_HALF_MS} ms each way"
}
FAR_OK=0
if want herd-far && [[ -z $FAR_SKIP ]]; then
    ip netns add "$FAR_NS" || die "ip netns add $FAR_NS failed"
    FAR_MADE=1
    ip -n "$FAR_NS" link set lo up
    if [[ $FAR_LINK != tun ]] && far_netem; then FAR_OK=1
    elif [[ $FAR_LINK == netem ]]; then FAR_SKIP="netem is not available: $(head -c 200 "$TMP/netem.err" 2>/dev/null)"
    elif far_tun; then
        FAR_OK=1
        [[ $FAR_LINK == auto ]] && FAR_KIND+=" (this kernel has no netem: $(head -1 "$TMP/netem.err" 2>/dev/null))"
    else FAR_SKIP="neither netem ($(head -1 "$TMP/netem.err" 2>/dev/null)) nor a TUN delay line could be set up"
    fi
    if ((FAR_OK)); then
        log "far link: namespace $FAR_NS, $FAR_HOST_ADDR ↔ $FAR_NS_ADDR, $FAR_KIND"
    else
        log "the herd 50 ms away is skipped: $FAR_SKIP"
        stop_pid "delay line" "$DELAY_PID" 5; DELAY_PID=''
        far_down
    fi
fi
want herd-far && ((FAR_OK)) && FAR=1 || FAR=0

# --- test data ------------------------------------------------------------------------------------------------------
DATA=$TMP/data
mkdir -p "$DATA/zipf"
random_file() { head -c "$2" /dev/urandom >"$1"; }
if want hits; then
    random_file "$DATA/o4k.bin" 4096
    random_file "$DATA/o64k.bin" 65536
    random_file "$DATA/o1m.bin" 1048576
    random_file "$DATA/o32m.bin" 33554432
fi
HERDS=()   # keys: <distance>-<MiB>, in the order they run
want herd-local && for size in $HERD_SIZES; do HERDS+=("local-$size"); done
((FAR)) && for size in $HERD_SIZES; do HERDS+=("far-$size"); done
for key in "${HERDS[@]}"; do
    for cache in ours nginx; do random_file "$DATA/herd-$key-$cache.bin" $((${key#*-} * 1048576)); done
done
if want seek; then
    log "generating the 1 GiB object"
    random_file "$DATA/seek.bin" "$SEEK_SIZE"
    dd if="$DATA/seek.bin" of="$DATA/seek-slice.bin" bs=1M skip=$((SEEK_AT / 1048576)) count=$((SEEK_LEN / 1048576)) \
        status=none
fi
if want zipf; then
    python3 - "$DATA/zipf" "$ZIPF_OBJECTS" "$ZIPF_SIZE" <<'EOF'
import os, sys
folder, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    with open(os.path.join(folder, f"z{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(size))
EOF
fi

# --- 3. nginx and the relay -----------------------------------------------------------------------------------------
NG=$TMP/nginx
mkdir -p "$NG"/cache "$NG"/cache-relay "$NG"/cache-far "$NG"/temp/{client,proxy,fastcgi,uwsgi,scgi}
chown -R nobody:nogroup "$NG/cache" "$NG/cache-relay" "$NG/cache-far" "$NG/temp"
NGINX_FAR_SERVER=''
((FAR)) && NGINX_FAR_SERVER="
    server {
        listen 127.0.0.1:$NGINX_FAR_PORT;
        location / {
            proxy_cache pomf_far;
            proxy_pass http://$FAR_NS_ADDR:$FAR_RELAY_PORT;
        }
    }"
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
    proxy_cache_path $NG/cache-far levels=1:2 keys_zone=pomf_far:50m max_size=4g inactive=1d use_temp_path=off;
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
    }$NGINX_FAR_SERVER
}
EOF
nginx -t -q -c "$NG/nginx.conf" -p "$NG" 2>"$NG/test.log" || { cat "$NG/test.log" >&2; die "nginx rejected its configuration"; }
nginx -c "$NG/nginx.conf" -p "$NG" 2>>"$NG/error.log" &
NGINX_PID=$!
RELAY_ARGS=(--listen "127.0.0.1:$RELAY_PORT" --upstream "127.0.0.1:$ORIGIN_PORT" --ahead "$RELAY_AHEAD" --log-requests)
((FAR)) && RELAY_ARGS+=(--far-listen "$FAR_NS_ADDR:$FAR_RELAY_PORT" --far-netns "$FAR_NS")
python3 "$BENCH/edge-bench-relay.py" "${RELAY_ARGS[@]}" >"$TMP/relay.log" 2>&1 &
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
NGINX_KIDS=$(ps -o pid= --ppid "$NGINX_PID" | tr -d ' ' | tr '\n' ' ')
log "nginx (pid $NGINX_PID, children $NGINX_KIDS) on $NGINX_PORT/$NGINX_RELAY_PORT${NGINX_FAR_SERVER:+/$NGINX_FAR_PORT}, relay (pid $RELAY_PID) on $RELAY_PORT"
FAR_CONNECT_MS=''
far_rtt() { # the link's round trip as TCP sees it: the connect time (SYN → SYN-ACK) to the relay's far listener, ms
    local samples=() t i
    for i in 1 2 3 4 5; do
        t=$(curl -sf -o /dev/null -w '%{time_connect}' "http://$FAR_NS_ADDR:$FAR_RELAY_PORT/__relay/stats") \
            || die "the relay's far listener $FAR_NS_ADDR:$FAR_RELAY_PORT does not answer"
        samples+=("$t")
    done
    calc '%.1f' 's * 1000' s="$(median "${samples[@]}")"
}
((FAR)) && log "far link: TCP connect to the relay's far listener takes $(far_rtt) ms (median of 5, while the servers boot)"

# The third and fourth edges need the database (Payara validates the persistence unit): start them once the origin
# is up.
wait_ready origin "http://127.0.0.1:$ORIGIN_PORT/health/ready" "$TOPO_PID" 300
start_edge() { # name port origin-url: topology.sh's command line, in the throwaway folder
    mkdir -p "$TMP/$1"
    # shellcheck disable=SC2086
    setsid "$JAVA" -Xmx512m ${EDGE_GC:--XX:+UseParallelGC} -XX:-UseCodeCacheFlushing -XX:NmethodSweepActivity=0 -XX:MetaspaceSize=256m -Djdk.nio.maxCachedBufferSize=262144 -Djdk.httpclient.bufsize=65536 \
        -Djava.util.concurrent.ForkJoinPool.common.parallelism="$(( $(nproc) > 3 ? $(nproc) - 1 : 2 ))" \
        -Dpomf.http.address=127.0.0.1 \
        -Djava.util.logging.config.file="$APP/server-config/logging.properties" \
        -Dpomf.roles=edge -Dpomf.node.name="$1" -Dpomf.edge.origin-url="$3" \
        -Dpomf.edge.cache-dir="$TMP/$1/cache" -Dpomf.public-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.db.url="jdbc:postgresql://127.0.0.1:$DB_PORT/pomf" -Dpomf.db.user=postgres -Dpomf.db.password=postgres \
        $EDGE_OPTS \
        -jar "$APP/target/payara-micro.jar" --deploy "$APP/target/pomf.war" --contextroot / --port "$2" \
        --rootdir "$TMP/$1/payara" --prebootcommandfile "$APP/server-config/pre-boot-commands.txt" \
        --postdeploycommandfile "$APP/server-config/post-deploy-commands.txt" --nohazelcast \
        >"$TMP/$1.log" 2>&1 </dev/null &
}
if want herd-local || want seek || want zipf; then
    start_edge edge3 "$EDGE3_PORT" "http://127.0.0.1:$RELAY_PORT"
    EDGE3_PID=$!
    log "origin ready; third edge (pid $EDGE3_PID) starting on $EDGE3_PORT, origin = relay"
fi
if ((FAR)); then
    start_edge edge4 "$EDGE4_PORT" "http://$FAR_NS_ADDR:$FAR_RELAY_PORT"
    EDGE4_PID=$!
    log "fourth edge (pid $EDGE4_PID) starting on $EDGE4_PORT, origin = the relay's far listener"
fi

# --- 4. test objects, uploaded to the origin -------------------------------------------------------------------------
declare -A PATH_OF=() SIZE_OF=()
upload_one() { # label file
    local url
    url=$(curl -s -F "files[]=@$2" "$UPLOAD_URL")
    [[ $url == http* ]] || die "upload of $2 did not return a URL: $url"
    PATH_OF[$1]=/f/${url##*/f/}
    SIZE_OF[$1]=$(stat -c %s "$2")
}
LABELS=()
want hits && LABELS+=("${HITS_LABELS[@]}")
for key in "${HERDS[@]}"; do LABELS+=("herd-$key-ours" "herd-$key-nginx"); done
want seek && LABELS+=(seek)
for label in "${LABELS[@]}"; do upload_one "$label" "$DATA/$label.bin"; done
if want zipf; then
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
fi
for label in "${LABELS[@]}"; do   # one byte each: the origin has the object, whole, under that name
    got=$(curl -s -o /dev/null -r 0-0 -w '%{http_code} %header{content-range}' "http://127.0.0.1:$ORIGIN_PORT${PATH_OF[$label]}")
    [[ $got == "206 bytes 0-0/${SIZE_OF[$label]}" ]] || die "origin GET ${PATH_OF[$label]}, byte 0: $got, expected 206 bytes 0-0/${SIZE_OF[$label]}"
done
log "uploaded ${#LABELS[@]} objects$(want zipf && echo " and $ZIPF_OBJECTS small ones"); waiting for the edges"

wait "$TOPO_PID" || { cat "$TMP/topology-start.log" >&2; TOPO_PID=''; die "topology.sh start failed"; }
TOPO_PID=''
[[ -n $EDGE3_PID ]] && wait_ready edge3 "http://127.0.0.1:$EDGE3_PORT/health/ready" "$EDGE3_PID" 300
[[ -n $EDGE4_PID ]] && wait_ready edge4 "http://127.0.0.1:$EDGE4_PORT/health/ready" "$EDGE4_PID" 300
EDGE1_PID=$(cat "$TMP/topology/edge1.pid")
[[ $(cat "/proc/$EDGE1_PID/comm" 2>/dev/null) == java ]] || die "edge1's pid $EDGE1_PID is not its JVM"
log "all up: origin, edge1 (pid $EDGE1_PID), edge2${EDGE3_PID:+, edge3 (pid $EDGE3_PID)}${EDGE4_PID:+, edge4 (pid $EDGE4_PID)}, nginx, relay"

origin_sick() { # why the origin cannot go on, or nothing
    if grep -q 'OutOfMemoryError' "$TMP/topology/origin.log"; then echo "the origin ran out of memory (see origin.log)"
    elif ! curl -sf -m 10 -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/health/ready"; then echo "the origin is not ready"
    fi
}
ORIGIN_SICK=''
relay_field() { # stats-file path field
    python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["paths"].get(sys.argv[2], {}); print(p.get(sys.argv[3], 0))' "$@"
}
relay_settle() { # path: wait until the relay's byte count for it stops moving (background fills finish), ≤ 30 s
    local prev=-1 cur i
    for ((i = 0; i < 30; i++)); do
        relay stats >"$TMP/settle.json"
        cur=$(relay_field "$TMP/settle.json" "$1" bytes)
        [[ $cur == "$prev" ]] && return 0
        prev=$cur
        sleep 1
    done
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 5a. cached hits ------------------------------------------------------------------------------------------------
declare -A BASE_OF=([ours]="http://127.0.0.1:$EDGE1_PORT" [nginx]="http://127.0.0.1:$NGINX_PORT")
declare -A WARM=() RPS=() CPU=() WRK_NOTES=()
# ticks PID...: "pid utime+stime" for each (fields 14 and 15 of /proc/<pid>/stat, counted after the command name)
ticks() {
    local pid stat f
    for pid; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -ra f <<<"$stat"
        echo "$pid $((f[11] + f[12]))"
    done
}
serving_pids() { # cache: the processes that serve its hits
    if [[ $1 == ours ]]; then echo "$EDGE1_PID"; else echo "$NGINX_PID" $(ps -o pid= --ppid "$NGINX_PID"); fi
}
cpu_seconds() { # before after: CPU seconds of the processes in both samples (one that ended or began is left out)
    awk -v hz="$HZ" 'NR == FNR { b[$1] = $2; next } ($1 in b) { d += $2 - b[$1] } END { printf "%.3f", d / hz }' \
        <(echo "$1") <(echo "$2")
}
run_wrk() { # cache label round
    local out=$TMP/wrk.$1.$2.$3 rps non2xx sockerr requests before after cpu
    before=$(ticks $(serving_pids "$1"))
    fg wrk -t2 -c32 -d"$DURATION" --timeout 30s "${BASE_OF[$1]}${PATH_OF[$2]}" >"$out" 2>&1 || fail "wrk $1 $2 exited non-zero"
    after=$(ticks $(serving_pids "$1"))
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    [[ -n $rps ]] || { cat "$out" >&2; fail "wrk $1 $2 printed no Requests/sec"; rps=0; }
    RPS[$1.$2]="${RPS[$1.$2]:-} $rps"
    requests=$(awk '/ requests in / { print $1 }' "$out")
    cpu=$(cpu_seconds "$before" "$after")
    if [[ -n $requests && $requests -gt 0 ]]; then
        CPU[$1.$2]="${CPU[$1.$2]:-} $(calc '%.4f' 'c * 10000 / n' c="$cpu" n="$requests")"
    fi
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    [[ -z $non2xx ]] || fail "wrk $1 $2 round $3: $non2xx non-2xx/3xx responses"
    sockerr=$(grep 'Socket errors' "$out" || true)
    if [[ -n $sockerr ]]; then
        WRK_NOTES[$1.$2]+="r$3: ${sockerr#*Socket errors: }; "
        grep -Eq 'read [1-9]|write [1-9]|timeout [1-9]' <<<"$sockerr" && fail "wrk $1 $2 round $3: $sockerr"
    fi
    log "a. round $3 $1 $2: $rps req/s, $cpu CPU s for ${requests:-?} requests${non2xx:+, $non2xx non-2xx}${sockerr:+, $sockerr}"
}
gc_sample() { command -v jstat >/dev/null && jstat -gcutil "$EDGE1_PID" 2>/dev/null | awk 'NR == 2 { print $7, $8, $9, $10, $4 }' || true; }
GC_BEFORE=''
GC_AFTER=''
if want hits; then
    for label in "${HITS_LABELS[@]}"; do
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
    if [[ $JIT_WARMUP != 0 ]]; then
        log "a. JIT warm-up: wrk -d$JIT_WARMUP on each object and cache, not measured"
        for label in "${HITS_LABELS[@]}"; do
            warm=$JIT_WARMUP
            [[ $label == o4k && $JIT_WARMUP =~ ^([0-9]+)s$ ]] && warm=$((BASH_REMATCH[1] * 2))s
            for cache in ours nginx; do
                fg wrk -t2 -c32 -d"$warm" --timeout 30s "${BASE_OF[$cache]}${PATH_OF[$label]}" >/dev/null 2>&1 \
                    || fail "warm-up wrk $cache $label exited non-zero"
            done
        done
    fi
    # The edge's garbage collection during the rounds (does the heap matter?): jstat before and after.
    GC_BEFORE=$(gc_sample)
    ROUNDS_T0=$(now_ns)
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    for ((round = 1; round <= ROUNDS; round++)); do
        for label in "${HITS_LABELS[@]}"; do
            if ((round % 2)); then run_wrk ours "$label" "$round"; run_wrk nginx "$label" "$round"
            else run_wrk nginx "$label" "$round"; run_wrk ours "$label" "$round"; fi
        done
    done
    GC_AFTER=$(gc_sample)
    ROUNDS_NS=$(($(now_ns) - ROUNDS_T0))
    for label in "${HITS_LABELS[@]}"; do   # still hits after the load?
        for cache in ours nginx; do
            got=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %header{x-cache-status}' "${BASE_OF[$cache]}${PATH_OF[$label]}")
            [[ $got == "200 ${SIZE_OF[$label]} HIT" ]] || fail "after wrk, $cache $label: $got"
        done
    done
fi

# --- 5b. herds on a slow origin, local and far ------------------------------------------------------------------------
declare -A HERD=()   # <key>.<cache>.<field>
herd_base() { # key cache
    case ${1%%-*}.$2 in
        local.ours) echo "http://127.0.0.1:$EDGE3_PORT" ;;
        local.nginx) echo "http://127.0.0.1:$NGINX_RELAY_PORT" ;;
        far.ours) echo "http://127.0.0.1:$EDGE4_PORT" ;;
        far.nginx) echo "http://127.0.0.1:$NGINX_FAR_PORT" ;;
    esac
}
herd() { # key cache
    local key=$1 cache=$2 label=herd-$1-$2 base out=$TMP/herd.$1.$2 t0 t1 ok size path cpu0='' cpu1=''
    base=$(herd_base "$key" "$cache")
    size=${SIZE_OF[$label]}
    path=${PATH_OF[$label]}
    relay reset >/dev/null
    log "b. herd $key MiB on $cache ($base): $HERD_CLIENTS clients at once for $path, origin at $((HERD_RATE / 1048576)) MiB/s per connection"
    seq "$HERD_CLIENTS" >"$TMP/herd.seq"
    [[ -n $DELAY_PID && $key == far-* ]] && cpu0=$(ticks "$DELAY_PID")
    t0=$(now_ns)
    fg xargs -a "$TMP/herd.seq" -P "$HERD_CLIENTS" -I{} curl -s -o /dev/null --max-time 300 \
        -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total} %header{x-cache-status}\n' "$base$path" >"$out" || true
    t1=$(now_ns)
    [[ -n $cpu0 ]] && cpu1=$(ticks "$DELAY_PID") && HERD[$key.$cache.delay_cpu]=$(cpu_seconds "$cpu0" "$cpu1")
    HERD[$key.$cache.ns]=$((t1 - t0))
    ok=$(awk -v s="$size" '$1 == 200 && $2 == s' "$out" | wc -l)
    HERD[$key.$cache.ok]=$ok
    HERD[$key.$cache.ttfb]=$(median $(awk '{ print $3 }' "$out"))
    HERD[$key.$cache.ttlb]=$(median $(awk '{ print $4 }' "$out"))
    HERD[$key.$cache.codes]=$(awk '{ print $1 }' "$out" | sort | uniq -c | awk '{ printf "%s%d×%s", (NR > 1 ? "," : ""), $1, $2 }')
    HERD[$key.$cache.status]=$(awk '{ print ($5 == "" ? "none" : $5) }' "$out" | sort | uniq -c \
        | awk '{ printf "%s%d×%s", (NR > 1 ? "," : ""), $1, $2 }')
    ((ok == HERD_CLIENTS)) || fail "herd $key on $cache: only $ok of $HERD_CLIENTS clients got HTTP 200 with $size bytes (${HERD[$key.$cache.codes]})"
    relay_settle "$path"   # fills still running in the background (ours) finish and are counted
    relay stats >"$TMP/herd.$key.$cache.json"
    HERD[$key.$cache.req]=$(relay_field "$TMP/herd.$key.$cache.json" "$path" requests)
    HERD[$key.$cache.ranged]=$(relay_field "$TMP/herd.$key.$cache.json" "$path" ranged)
    HERD[$key.$cache.bytes]=$(relay_field "$TMP/herd.$key.$cache.json" "$path" bytes)
    HERD[$key.$cache.peak]=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("%d/%.0f" % (d["max_open"], d["max_buffered"] / 1048576))' "$TMP/herd.$key.$cache.json")
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %header{x-cache-status}' "$base$path")
    HERD[$key.$cache.after]=${got##* }
    [[ $got == "200 $size HIT" ]] || fail "after the herd $key, $cache: $got (expected 200 $size HIT)"
    log "b. herd $key on $cache: $(calc '%.2f' 'n / 1e9' n="${HERD[$key.$cache.ns]}") s, $ok ok, origin ${HERD[$key.$cache.req]} requests (${HERD[$key.$cache.ranged]} with Range), ${HERD[$key.$cache.bytes]} bytes"
}
HERD_SKIPPED=''
if ((${#HERDS[@]})); then
    relay "rate?bps=$HERD_RATE" >/dev/null
    for key in "${HERDS[@]}"; do
        if [[ $key == far-* && -z $FAR_CONNECT_MS ]]; then
            FAR_CONNECT_MS=$(far_rtt)
            log "far link: TCP connect to the relay's far listener takes $FAR_CONNECT_MS ms (median of 5)"
        fi
        ORIGIN_SICK=$(origin_sick)
        if [[ -n $ORIGIN_SICK ]]; then
            fail "before the herd $key: $ORIGIN_SICK; the herds left are skipped"
            HERD_SKIPPED="the origin: $ORIGIN_SICK"
            break
        fi
        herd "$key" ours
        herd "$key" nginx
    done
    ORIGIN_SICK=$(origin_sick)
    [[ -z $ORIGIN_SICK ]] || fail "after the herds: $ORIGIN_SICK; the seek and the Zipf trace are skipped"
    relay "rate?bps=0" >/dev/null
fi

# --- 5c. a seek into a cold 1 GiB object ------------------------------------------------------------------------------
declare -A SEEK=()   # <cache>.<field>
SEEK_RANGE="$SEEK_AT-$((SEEK_AT + SEEK_LEN - 1))"
seek() { # cache base
    local cache=$1 base=$2 path=${PATH_OF[seek]} got code size status step ttfb ttlb
    relay reset >/dev/null
    log "c. seek on $cache ($base): bytes=0-0, then bytes=$SEEK_RANGE twice"
    # Below min uses: passed through by both (a small range, so that nothing big is fetched).
    got=$(curl -s -o /dev/null -r 0-0 -w '%{http_code} %{size_download} %header{x-cache-status}' "$base$path")
    read -r code size status <<<"$got"
    SEEK[$cache.prime]="$code ${status:-none}"
    [[ $code == 206 && $size == 1 ]] || fail "seek on $cache: bytes=0-0 got HTTP $code, $size bytes"
    relay_settle "$path"
    relay stats >"$TMP/seek.$cache.0.json"
    for step in 1 2; do
        got=$(curl -s -o "$TMP/seek.$cache.$step.bin" -r "$SEEK_RANGE" \
            -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total} %header{x-cache-status}' "$base$path")
        read -r code size ttfb ttlb status <<<"$got"
        SEEK[$cache.$step.code]=$code
        SEEK[$cache.$step.ttfb]=$ttfb
        SEEK[$cache.$step.ttlb]=$ttlb
        SEEK[$cache.$step.status]=${status:-none}
        if [[ $code == 206 ]] && cmp -s "$TMP/seek.$cache.$step.bin" "$DATA/seek-slice.bin"; then
            SEEK[$cache.$step.bytes_ok]=yes
        else
            SEEK[$cache.$step.bytes_ok]=NO
            fail "seek on $cache, request $((step + 1)): HTTP $code, $size bytes, not the file's bytes $SEEK_RANGE"
        fi
        rm -f "$TMP/seek.$cache.$step.bin"
        relay_settle "$path"   # ours keeps filling the chunk it fetched to learn the object
        relay stats >"$TMP/seek.$cache.$step.json"
    done
    for step in 0 1 2; do
        SEEK[$cache.$step.req]=$(relay_field "$TMP/seek.$cache.$step.json" "$path" requests)
        SEEK[$cache.$step.ranged]=$(relay_field "$TMP/seek.$cache.$step.json" "$path" ranged)
        SEEK[$cache.$step.total]=$(relay_field "$TMP/seek.$cache.$step.json" "$path" bytes)
    done
    log "c. seek on $cache: first byte ${SEEK[$cache.1.ttfb]} s, last ${SEEK[$cache.1.ttlb]} s (${SEEK[$cache.1.status]}); again ${SEEK[$cache.2.ttfb]} s (${SEEK[$cache.2.status]})"
}
if want seek && [[ -z $ORIGIN_SICK ]]; then
    relay "rate?bps=$SEEK_RATE" >/dev/null
    seek ours "http://127.0.0.1:$EDGE3_PORT"
    seek nginx "http://127.0.0.1:$NGINX_RELAY_PORT"
    relay "rate?bps=0" >/dev/null
    ORIGIN_SICK=$(origin_sick)
    [[ -z $ORIGIN_SICK ]] || fail "after the seek: $ORIGIN_SICK; the Zipf trace is skipped"
fi

# --- 5d. Zipf trace -------------------------------------------------------------------------------------------------
declare -A ZIPF=() ZIPF_ORIGIN=() ZIPF_ORIGIN_REQ=()
zipf() { # cache base
    relay reset >/dev/null
    log "d. Zipf trace on $1 ($2): $ZIPF_REQUESTS requests, $ZIPF_OBJECTS objects, s=$ZIPF_EXPONENT, $ZIPF_THREADS threads"
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
if want zipf && [[ -z $ORIGIN_SICK ]]; then
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
    f=$(grep -c 'Servlet.service() for servlet pomf.registry.boundary.FileServlet threw exception' "$1" || true)
    causes=$(grep -oE '^(Caused by: )?java\.[A-Za-z.]+(Exception|Error)(: [A-Za-z ]{1,40})?' "$1" | sed 's/^Caused by: //' \
        | sort | uniq -c | sort -rn | head -3 | awk '{ c = $1; $1 = ""; printf "%s%d×%s", (NR > 1 ? ", " : ""), c, substr($0, 2) }')
    echo "$w WARNING, $s SEVERE; $f responses failed with an exception${causes:+ ($causes)}"
}
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
for f in topology/edge1.log edge3.log edge4.log; do   # (the origin's log is checked after each part)
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
name_of() { case $1 in o4k) echo "4 KiB" ;; o64k) echo "64 KiB" ;; o1m) echo "1 MiB" ;; o32m) echo "32 MiB" ;; esac; }
declare -A HIT_GOAL=([o4k]=0.8 [o64k]=0.9 [o1m]=1.0 [o32m]=1.0)
echo
echo "pomf-ee edge cache vs nginx $(nginx -v 2>&1 | sed 's#.*nginx/##'), $(date '+%F %T %Z'), $(nproc) cores, git $GIT_INFO"
echo "WAR built $WAR_INFO; edges: ${EDGE_GC:--XX:+UseParallelGC} -Xmx${EDGE_HEAP:-512m}, EDGE_ARGS=$EDGE_OPTS; origin -Xmx$ORIGIN_HEAP"
echo "nginx: 1 worker, sendfile, the original's proxy_cache settings (min_uses 2, lock on, lock_timeout 5s, valid 10m, max_size 4g, max_range_offset 32m)"
echo "units: req/s; MB = 10^6 bytes (MB/s = body bytes only), MiB = 2^20 bytes; s = seconds; ratio = ours/nginx; goal = issue 12's"
echo "machine: load (1/5/15 min) $LOAD_BEFORE before → $LOAD_AFTER at the end; other java processes (not ours): $OTHER_JAVA; parts: $PARTS"
line
if want hits; then
    echo "a. cached hits, wrk -t2 -c32 -d$DURATION, median of $ROUNDS round(s) (order alternating); ours = edge1 :$EDGE1_PORT, nginx :$NGINX_PORT"
    printf '%-8s %11s %11s %6s %-9s %9s %10s %6s   %s\n' object "ours req/s" "nginx req/s" ratio goal "ours MB/s" "nginx MB/s" ratio \
        "rounds ours | nginx (req/s)"
    for label in "${HITS_LABELS[@]}"; do
        # shellcheck disable=SC2086
        o=$(median ${RPS[ours.$label]}); n=$(median ${RPS[nginx.$label]})
        omb=$(calc '%.1f' 'r * s / 1e6' r="$o" s="${SIZE_OF[$label]}"); nmb=$(calc '%.1f' 'r * s / 1e6' r="$n" s="${SIZE_OF[$label]}")
        r=$(ratio "$o" "$n")
        printf '%-8s %11.0f %11.0f %6s %-9s %9s %10s %6s   %s |%s\n' "$(name_of "$label")" "$o" "$n" "$r" "$(goal "$r" '>=' "${HIT_GOAL[$label]}")" \
            "$omb" "$nmb" "$(ratio "$omb" "$nmb")" "$(printf '%.0f ' ${RPS[ours.$label]})" "$(printf ' %.0f' ${RPS[nginx.$label]})"
    done
    echo "   CPU seconds per 10,000 hits (/proc utime+stime across each wrk run; ours = edge1's JVM, nginx = master + worker + cache manager/loader)"
    printf '%-8s %11s %11s %6s %-9s   %s\n' object "ours CPU s" "nginx CPU s" ratio goal "rounds ours | nginx (CPU s per 10,000 hits)"
    for label in "${HITS_LABELS[@]}"; do
        # shellcheck disable=SC2086
        o=$(median ${CPU[ours.$label]:-0}); n=$(median ${CPU[nginx.$label]:-0})
        r=$(ratio "$o" "$n")
        g='-'; [[ $label == o4k ]] && g=$(goal "$r" '<=' 1.5)
        printf '%-8s %11.3f %11.3f %6s %-9s   %s |%s\n' "$(name_of "$label")" "$o" "$n" "$r" "$g" \
            "$(printf '%.3f ' ${CPU[ours.$label]:-})" "$(printf ' %.3f' ${CPU[nginx.$label]:-})"
    done
    echo "   warming (3 requests): $(for l in "${HITS_LABELS[@]}"; do printf '%s ours %s, nginx %s; ' "$(name_of "$l")" "${WARM[ours.$l]}" "${WARM[nginx.$l]}"; done)"
    notes=$(for k in "${!WRK_NOTES[@]}"; do printf '%s: %s' "$k" "${WRK_NOTES[$k]}"; done)
    echo "   wrk socket errors: ${notes:-none}"
    if [[ -n $GC_BEFORE && -n $GC_AFTER ]]; then
        read -r ygc0 ygct0 fgc0 fgct0 _ <<<"$GC_BEFORE"; read -r ygc1 ygct1 fgc1 fgct1 old1 <<<"$GC_AFTER"
        echo "   edge1 GC during the rounds (jstat): $((ygc1 - ygc0)) young collections $(calc '%.2f' 'b - a' a="$ygct0" b="$ygct1") s," \
            "$((fgc1 - fgc0)) full $(calc '%.2f' 'b - a' a="$fgct0" b="$fgct1") s, in $(secs "$ROUNDS_NS") s of rounds; old gen ${old1}% full after"
    fi
    line
fi
if want herd-local || want herd-far; then
    echo "b. herd: $HERD_CLIENTS clients at once for an uncached object (each herd its own), origin slowed to $((HERD_RATE / 1048576)) MiB/s per connection by the relay"
    want herd-local && echo "   local: ours = edge :$EDGE3_PORT, nginx :$NGINX_RELAY_PORT → relay 127.0.0.1:$RELAY_PORT → origin"
    if ((FAR)); then
        echo "   50 ms: ours = edge :$EDGE4_PORT, nginx :$NGINX_FAR_PORT → relay's listener $FAR_NS_ADDR:$FAR_RELAY_PORT in netns $FAR_NS → origin;"
        echo "          link: $FAR_KIND; TCP connect measured ${FAR_CONNECT_MS:-?} ms just before"
    elif want herd-far; then
        echo "   50 ms away: skipped: $FAR_SKIP"
    fi
    [[ -z $HERD_SKIPPED ]] || echo "   herds skipped from the first missing row on: $HERD_SKIPPED"
    printf '%-12s %-6s %11s %9s %9s %13s %10s %8s %-9s %10s   %s\n' herd cache "last byte s" "1st byte" "last byte" "origin req" "origin MiB" \
        "× object" goal "clients ok" "X-Cache-Status; next request"
    printf '%-12s %-6s %11s %9s %9s %13s\n' "" "" "(all)" "(median)" "(median)" "(with Range)"
    for key in "${HERDS[@]}"; do
        [[ -n ${HERD[$key.nginx.ns]:-} ]] || continue
        size=$((${key#*-} * 1048576))
        where=$([[ $key == far-* ]] && echo "50 ms" || echo "local")
        for cache in ours nginx; do
            x=$(calc '%.2f' 'b / s' b="${HERD[$key.$cache.bytes]}" s="$size")
            g='-'; [[ $cache == ours ]] && g=$(goal "$x" '<=' 2)
            printf '%-12s %-6s %11s %9s %9s %13s %10s %8s %-9s %10s   %s; %s\n' "${key#*-} MiB $where" "$cache" "$(secs "${HERD[$key.$cache.ns]}")" \
                "$(calc '%.2f' t t="${HERD[$key.$cache.ttfb]}")" "$(calc '%.2f' t t="${HERD[$key.$cache.ttlb]}")" \
                "${HERD[$key.$cache.req]} (${HERD[$key.$cache.ranged]})" "$(mib "${HERD[$key.$cache.bytes]}")" "$x" "$g" \
                "${HERD[$key.$cache.ok]}/$HERD_CLIENTS" "${HERD[$key.$cache.status]}" "${HERD[$key.$cache.after]}"
        done
        r=$(ratio "${HERD[$key.ours.ns]}" "${HERD[$key.nginx.ns]}")
        printf '%-12s %-6s %11s %9s %9s %13s %10s   last byte: goal %s\n' "" ratio "$r" \
            "$(ratio "${HERD[$key.ours.ttfb]}" "${HERD[$key.nginx.ttfb]}")" "$(ratio "${HERD[$key.ours.ttlb]}" "${HERD[$key.nginx.ttlb]}")" \
            "$(ratio "${HERD[$key.ours.req]}" "${HERD[$key.nginx.req]}")" "$(ratio "${HERD[$key.ours.bytes]}" "${HERD[$key.nginx.bytes]}")" \
            "$(goal "$r" '<=' 1.0)"
    done
    echo "   last byte (all) = wall time until the last of the $HERD_CLIENTS clients had every byte; origin MiB = what the origin sent through the relay"
    echo "   (headers included); × object = origin bytes / object size. HTTP codes: $(for key in "${HERDS[@]}"; do for c in ours nginx; do
        [[ -n ${HERD[$key.$c.codes]:-} ]] && printf '%s %s %s; ' "$key" "$c" "${HERD[$key.$c.codes]}"; done; done)"
    echo "   relay peak (connections open / MiB held): $(for key in "${HERDS[@]}"; do for c in ours nginx; do
        [[ -n ${HERD[$key.$c.peak]:-} ]] && printf '%s %s %s; ' "$key" "$c" "${HERD[$key.$c.peak]}"; done; done)"
    echo "   (the relay is one Python process: with 100 streams at once it is CPU-bound on this machine and hands each less than 4 MiB/s)"
    if [[ -n $DELAY_PID ]]; then
        echo "   delay line CPU s during the far herds: $(for key in "${HERDS[@]}"; do for c in ours nginx; do
            [[ -n ${HERD[$key.$c.delay_cpu]:-} ]] && printf '%s %s %s; ' "$key" "$c" "${HERD[$key.$c.delay_cpu]}"; done; done)"
    fi
    line
fi
if want seek; then
    echo "c. seek into a cold 1 GiB object: bytes=0-0 (below min uses, passed through), then bytes=$SEEK_RANGE (1 MiB at 600 MiB;"
    echo "   the request that reaches min uses) timed, then the same again; ours = edge :$EDGE3_PORT, nginx :$NGINX_RELAY_PORT; origin local, through"
    echo "   the relay, $([[ $SEEK_RATE == 0 ]] && echo "not throttled" || echo "throttled to $SEEK_RATE bytes/s per connection"); the origin's copy was written moments before (in the page cache)"
    if [[ -n ${SEEK[nginx.2.ttfb]:-} ]]; then
        printf '%-6s %-13s %11s %11s %-8s %12s %10s %9s %11s %-8s %12s %8s\n' cache "bytes=0-0" "1st byte s" "last byte s" status \
            "origin req" "origin MiB" "again:" "1st byte s" status "origin MiB" "bytes ok"
        for cache in ours nginx; do
            printf '%-6s %-13s %11s %11s %-8s %12s %10s %9s %11s %-8s %12s %8s\n' "$cache" "${SEEK[$cache.prime]} $(calc '%.0f' b b="${SEEK[$cache.0.total]}")B" \
                "$(calc '%.3f' t t="${SEEK[$cache.1.ttfb]}")" "$(calc '%.3f' t t="${SEEK[$cache.1.ttlb]}")" "${SEEK[$cache.1.status]}" \
                "$((SEEK[$cache.1.req] - SEEK[$cache.0.req])) ($((SEEK[$cache.1.ranged] - SEEK[$cache.0.ranged])))" \
                "$(mib $((SEEK[$cache.1.total] - SEEK[$cache.0.total])))" "" \
                "$(calc '%.3f' t t="${SEEK[$cache.2.ttfb]}")" "${SEEK[$cache.2.status]}" "$(mib $((SEEK[$cache.2.total] - SEEK[$cache.1.total])))" \
                "${SEEK[$cache.1.bytes_ok]}/${SEEK[$cache.2.bytes_ok]}"
        done
        printf '%-6s %-13s %11s %11s %-8s %12s %10s %9s %11s\n' ratio "" "$(ratio "${SEEK[ours.1.ttfb]}" "${SEEK[nginx.1.ttfb]}")" \
            "$(ratio "${SEEK[ours.1.ttlb]}" "${SEEK[nginx.1.ttlb]}")" "" "" \
            "$(ratio $((SEEK[ours.1.total] - SEEK[ours.0.total])) $((SEEK[nginx.1.total] - SEEK[nginx.0.total])))" "" \
            "$(ratio "${SEEK[ours.2.ttfb]}" "${SEEK[nginx.2.ttfb]}")"
        echo "   bytes=0-0: HTTP code, X-Cache-Status, origin bytes; origin req (with Range) and MiB: what that request cost the origin,"
        echo "   counted until the relay's count stopped moving (ours fetches the object's first chunk to learn it); bytes ok: both seeks' bytes = the file's"
    else
        echo "   (skipped: ${ORIGIN_SICK:-no result})"
    fi
    line
fi
if want zipf; then
    echo "d. Zipf trace: $ZIPF_REQUESTS requests over $ZIPF_OBJECTS objects of 16 KiB, s=$ZIPF_EXPONENT, seed $ZIPF_SEED, $ZIPF_THREADS threads (keep-alive),"
    echo "   $( [[ -s $TMP/zipf.ours.json ]] && zipf_field ours distinct || echo '?') distinct objects requested; min uses 2 on both; caches behind the unthrottled relay: ours :$EDGE3_PORT, nginx :$NGINX_RELAY_PORT"
    if [[ -f $TMP/zipf.ours.json && -f $TMP/zipf.nginx.json ]]; then
        printf '%-6s %9s %7s %7s %22s %18s %16s %9s\n' cache "hit ratio" HIT MISS "other statuses" "origin MiB (relay)" "MISS × 16 KiB" "req/s"
        for cache in ours nginx; do
            hits=$(zipf_expr "$cache" 'r["cache"].get("HIT", 0)')
            misses=$(zipf_expr "$cache" 'r["cache"].get("MISS", 0)')
            other=$(zipf_expr "$cache" '",".join(f"{v}×{k}" for k, v in sorted(r["cache"].items()) if k not in ("HIT", "MISS")) or "none"')
            ZIPF[$cache.hr]=$(calc '%.4f' 'h / n' h="$hits" n="$ZIPF_REQUESTS")
            ZIPF[$cache.rps]=$(zipf_field "$cache" rps)
            printf '%-6s %9s %7s %7s %22s %18s %16s %9s\n' "$cache" "${ZIPF[$cache.hr]}" "$hits" "$misses" "$other" \
                "$(mib "${ZIPF_ORIGIN[$cache]}") (${ZIPF_ORIGIN_REQ[$cache]} req)" "$(mib $((misses * ZIPF_SIZE)))" "${ZIPF[$cache.rps]}"
        done
        printf '%-6s %9s %7s %7s %22s %18s %16s %9s\n' ratio "$(ratio "${ZIPF[ours.hr]}" "${ZIPF[nginx.hr]}")" "" "" "" \
            "$(ratio "${ZIPF_ORIGIN[ours]}" "${ZIPF_ORIGIN[nginx]}")" "" "$(ratio "${ZIPF[ours.rps]}" "${ZIPF[nginx.rps]}")"
        echo "   origin MiB (relay) = bytes the origin sent through the relay, headers included; req/s is bound by the Python client (one process)"
    else
        echo "   (skipped: ${ORIGIN_SICK:-no result})"
    fi
    line
fi
echo "logs: edge1 $(log_summary "$TMP/topology/edge1.log")${EDGE3_PID:+; edge3 $(log_summary "$TMP/edge3.log")}${EDGE4_PID:+; edge4 $(log_summary "$TMP/edge4.log")}"
echo "      origin $(log_summary "$TMP/topology/origin.log")"
echo "      nginx error.log: $NGINX_ERRORS error/crit/alert, $NGINX_WARNS warn; runtime so far $(calc '%.0f' '(e - s) / 1e9' e="$(now_ns)" s="$START_NS") s"
if ((${#FAILURES[@]})); then
    echo "CHECKS FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
else
    echo "all checks passed (sizes, bytes, HTTP codes, HIT after warming, after the load and after each herd, no wrk errors)"
fi
line
((${#FAILURES[@]} == 0)) || exit 1
