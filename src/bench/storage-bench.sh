#!/usr/bin/env bash
# storage-bench.sh: the origin's blob store in a folder against the same origin on an S3 bucket (issue 16, item 8),
# in one run, on the same disk, as ratios s3/folder.
#
# What it starts (every process stopped by PID at the end, on success, error or Ctrl-C):
#   - S3Proxy as a process of its own (pomf.it.servers.S3ServerMain, the test classpath; its filesystem backend in
#     the throwaway folder, so the bucket is on the same disk as the folder store), bucket `bench`, on S3_PORT;
#   - two origins at once, each with the run command's launcher (pomf.run.LocalRun via `mvn exec:java`, the README's
#     JVM options, -Xmx$HEAP), each its own embedded PostgreSQL and storage folder: `folder` (the default store) on
#     FOLDER_PORT, `s3` (pomf.storage.kind=s3 on that bucket, path-style, keys from POMF_S3_ACCESS_KEY/SECRET_KEY)
#     on S3_ORIGIN_PORT. They run side by side so that rounds can alternate; the one not being measured is idle.
# What it measures, ROUNDS times (default 3), the two stores in alternating order, after a warm-up of each origin:
#   a. N (100) sequential 1 MiB uploads of fresh random data on one kept-alive curl process: MB/s, ms each;
#   b. one BIG_MB (1024) MiB upload (distinct content each round): MB/s; the origin's peak heap used (jstat every
#      0.2 s), its peak RSS (VmHWM, reset before with /proc/<pid>/clear_refs), heap after a full GC before and after;
#   c. that object downloaded whole (GET /f/<name>), and as RANGES (8) ranges fetched in parallel (a download
#      manager: 8 × 128 MiB for 1 GiB), in MB/s;
#   for each: the origin JVM's CPU (utime + stime from /proc/<pid>/stat) in ms per MiB moved, and the S3 server's
#   apart. Each round's uploads are deleted afterwards (not timed) so the disk holds one round at a time.
#   d. in the first round (DIRECT=all: each round), the S3 server alone with the same file (curl with SigV4 straight to the bucket): a PUT, a
#      server-side copy, GETs whole and in RANGES ranges, a multipart upload as the origin makes it (parts of the
#      part size, two in flight) and its completion; multipart + completion is the floor of an upload to the s3
#      store on this S3 server (what it costs the server alone; the completed object is the blob, no copy): how much
#      of a miss is the server's; the copy is measured for comparison with the earlier design, which copied;
#   e. once, with BIG4=1 (the default), a BIG4_MB (4096) MiB upload to each store: MB/s, CPU, peak heap and RSS, heap
#      after GC before and after (the goal "heap flat with -Xmx512m").
# Every answer is checked (status, size, the upload's SHA-1 in its reply; in round 1 the big object's bytes, whole
# and one range, compared with the file). Prints medians over the rounds, folder | s3 | s3/folder, each round's
# figures, then the issue's goals: 1 GiB upload through S3 >= 70% of the folder's MB/s; ranged download >= 80%;
# heap flat (the BIG4 upload succeeds under -Xmx512m, heap after GC within HEAP_FLAT_MIB (16) of before, peak heap
# used at most 64 MiB above the BIG_MB upload's). MB = 10^6 bytes, MiB = 2^20 bytes. Downloads come from a warm page
# cache on both sides (the object was just written, on the same machine): they compare the two paths, not the disk.
#
# How to run (build first if target/pomf.war is missing: mvn -DskipTests package):
#   src/bench/storage-bench.sh            # full size, about 10 minutes on 2 cores, ~21 GiB of free disk
#   SMALL=1 src/bench/storage-bench.sh    # quick check: 10 × 1 MiB, 64 MiB, BIG4 of 256 MiB, 1 round by default
# Knobs: SMALL, ROUNDS, N, BIG_MB, BIG4 (0 to skip the 4 GiB part), BIG4_MB, RANGES, DIRECT (0 skips d., all: every round),
#   WARMUP (1 MiB uploads per origin before measuring, default 50), HEAP (512m), PART_SIZE (pomf.storage.s3.part-size
#   in bytes, also the direct multipart's; unset: the
#   default 16 MiB), S3_HEAP (S3Proxy's -Xmx, 1g), BENCH_TMP (parent of the throwaway folder, default target/; it
#   must be on one disk for the comparison to mean anything), BENCH_LOGS (where the servers' logs are kept, default
#   target/storage-bench-logs), FOLDER_PORT/FOLDER_DB_PORT (18187/54347), S3_ORIGIN_PORT/S3_DB_PORT (18188/54348),
#   S3_PORT (18189), TIMEOUT (seconds any one transfer may take, 900), READY_TIMEOUT (seconds the origins may take to
#   start, 600).
set -euo pipefail

SMALL=${SMALL:-0}
if [[ $SMALL == 1 ]]; then
    N=${N:-10}; BIG_MB=${BIG_MB:-64}; BIG4_MB=${BIG4_MB:-256}; ROUNDS=${ROUNDS:-1}; WARMUP=${WARMUP:-10}
else
    N=${N:-100}; BIG_MB=${BIG_MB:-1024}; BIG4_MB=${BIG4_MB:-4096}; ROUNDS=${ROUNDS:-3}; WARMUP=${WARMUP:-50}
fi
BIG4=${BIG4:-1}
DIRECT=${DIRECT:-1}
READY_TIMEOUT=${READY_TIMEOUT:-600}
RANGES=${RANGES:-8}
HEAP=${HEAP:-512m}
PART_SIZE=${PART_SIZE:-}
S3_HEAP=${S3_HEAP:-1g}
FOLDER_PORT=${FOLDER_PORT:-18187}
FOLDER_DB_PORT=${FOLDER_DB_PORT:-54347}
S3_ORIGIN_PORT=${S3_ORIGIN_PORT:-18188}
S3_DB_PORT=${S3_DB_PORT:-54348}
S3_PORT=${S3_PORT:-18189}
TIMEOUT=${TIMEOUT:-900}
HEAP_FLAT_MIB=${HEAP_FLAT_MIB:-16}
GOAL_UP=0.70
GOAL_RANGED=0.80
BUCKET=bench
S3_ACCESS_KEY=pomf-test-access            # S3Server.ACCESS_KEY
S3_SECRET_KEY=pomf-test-secret-key-0123456789
MIB=1048576
STORES=(folder s3)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_TMP=${BENCH_TMP:-$ROOT/target}
BENCH_LOGS=${BENCH_LOGS:-$ROOT/target/storage-bench-logs}
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[storage-bench %(%T)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ns() { date +%s%N; }
# calc FORMAT EXPR VAR=VALUE...: floating point with awk
calc() { local fmt=$1 expr=$2; shift 2; local args=(); for kv in "$@"; do args+=(-v "$kv"); done
         awk "${args[@]}" "BEGIN { printf \"$fmt\", ($expr) }"; }
median() { printf '%s\n' "$@" | grep -v '^-$' | sort -g \
           | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

for tool in curl mvn java jstat jcmd python3 openssl awk ps df mkfifo cmp; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for v in N BIG_MB BIG4_MB ROUNDS RANGES WARMUP TIMEOUT READY_TIMEOUT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number"
done
[[ $DIRECT =~ ^(0|1|all)$ ]] || die "DIRECT is 0, 1 (the first round) or all"
((N > 0 && BIG_MB > 0 && ROUNDS > 0 && RANGES > 0)) || die "N, BIG_MB, ROUNDS and RANGES must be positive"
[[ -f $ROOT/target/pomf.war && -f $ROOT/target/payara-micro.jar && -f $ROOT/target/test-classes/pomf/run/LocalRun.class \
    && -f $ROOT/target/test-classes/pomf/it/servers/S3ServerMain.class ]] \
    || die "build first: mvn -DskipTests package (target/pomf.war, LocalRun and S3ServerMain are needed)"
for port in "$FOLDER_PORT" "$FOLDER_DB_PORT" "$S3_ORIGIN_PORT" "$S3_DB_PORT" "$S3_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done
mkdir -p "$BENCH_TMP"
[[ $(df --output=fstype "$BENCH_TMP" | tail -1) != tmpfs ]] || die "$BENCH_TMP is tmpfs; set BENCH_TMP to a folder on a disk"
# Source files, the folder's blob and the bucket's (its parts, the completed object, the direct copy) of the
# largest upload at once, plus the snapshots and databases.
largest=$BIG_MB; ((BIG4 == 1 && BIG4_MB > largest)) && largest=$BIG4_MB
need_kb=$(( (BIG_MB + (BIG4 == 1 ? BIG4_MB : 0) + 4 * largest + 3 * N + 2048) * 1024 ))
avail_kb=$(df --output=avail "$BENCH_TMP" | tail -1 | tr -d ' ')
((avail_kb > need_kb)) || die "$BENCH_TMP has $((avail_kb / 1024)) MiB free, needs $((need_kb / 1024)) MiB"

TMP=''
S3_PID=''
S3_FD=''
declare -A MVN_PID=()      # store -> the mvn process of its origin
declare -A PAYARA_PID=()   # store -> its Payara Micro JVM
declare -A LOG_AT_READY=() # store -> lines in its log when it was ready (what the bench reports comes after)
declare -A STARTED=()      # pid -> start time, every process of ours seen while running
SAMPLER_PID=''

remember_processes() {
    # Our mvn processes' descendants (Payara Micro), the S3 server, and PostgreSQL, which pg_ctl detaches from the
    # tree: found by our throwaway folder in its command line. Kept with start times, so a reused pid is never hit.
    local frontier=() next pid
    for pid in "${MVN_PID[@]}" $S3_PID; do frontier+=("$pid"); done
    while ((${#frontier[@]})); do
        next=()
        for pid in "${frontier[@]}"; do
            STARTED[$pid]=$(ps -o lstart= -p "$pid" 2>/dev/null || true)
            [[ -n ${STARTED[$pid]} ]] || unset "STARTED[$pid]"
            while read -r child; do [[ -n $child ]] && next+=("$child"); done < <(ps -o pid= --ppid "$pid" 2>/dev/null || true)
        done
        frontier=("${next[@]+"${next[@]}"}")
    done
    while read -r pid args; do
        [[ -n $TMP && $args == *"$TMP/"* && $pid != "$$" && $pid != "$BASHPID" ]] \
            && STARTED[$pid]=$(ps -o lstart= -p "$pid" 2>/dev/null || true)
    done < <(ps -e -o pid=,args= 2>/dev/null || true)
    return 0
}
still_ours() { [[ -n ${STARTED[$1]:-} && $(ps -o lstart= -p "$1" 2>/dev/null || true) == "${STARTED[$1]}" ]]; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
    remember_processes
    local pid store
    for store in "${!MVN_PID[@]}"; do
        pid=${MVN_PID[$store]}
        if kill -0 "$pid" 2>/dev/null; then log "stopping the $store origin (mvn pid $pid)"; kill -TERM "$pid"; fi
    done
    for store in "${!MVN_PID[@]}"; do
        pid=${MVN_PID[$store]}
        for _ in $(seq 1 90); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        if kill -0 "$pid" 2>/dev/null; then log "mvn pid $pid did not stop in 90 s: killing it"; kill -KILL "$pid"; fi
        wait "$pid" 2>/dev/null
    done
    if [[ -n $S3_PID ]] && kill -0 "$S3_PID" 2>/dev/null; then
        log "stopping the S3 server (pid $S3_PID)"
        [[ -n $S3_FD ]] && exec {S3_FD}>&-
        kill -TERM "$S3_PID"
        for _ in $(seq 1 30); do kill -0 "$S3_PID" 2>/dev/null || break; sleep 1; done
        kill -0 "$S3_PID" 2>/dev/null && kill -KILL "$S3_PID"
        wait "$S3_PID" 2>/dev/null
    fi
    # Whatever the shutdown hooks did not stop (only processes of ours, by pid), given 20 s more.
    local left=() alive
    for pid in "${!STARTED[@]}"; do still_ours "$pid" && left+=("$pid"); done
    if ((${#left[@]})); then
        for _ in $(seq 1 20); do
            alive=0
            for pid in "${left[@]}"; do still_ours "$pid" && alive=1; done
            ((alive)) || break
            sleep 1
        done
        for pid in "${left[@]}"; do
            if still_ours "$pid"; then log "pid $pid outlived its parent: killing it"; kill -KILL "$pid"; fi
        done
    fi
    if [[ -n $TMP && -d $TMP ]]; then
        mkdir -p "$BENCH_LOGS"
        for f in "$TMP"/*.log; do [[ -f $f ]] && cp "$f" "$BENCH_LOGS/"; done
        log "servers' logs kept in $BENCH_LOGS"
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/storage-bench.XXXXXX")
log "throwaway folder: $TMP ($(df --output=source "$TMP" | tail -1))"
WAR_INFO="target/pomf.war built $(date -r "$ROOT/target/pomf.war" '+%F %T'), git $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && [[ -n $(git status --porcelain 2>/dev/null) ]] && echo ' (work tree has changes)' || true)"

# --- snapshots: each origin runs from its own copy (LocalRun's target/payara-root and class archive are per copy),
# so a build in the work tree meanwhile cannot pull a WAR or a class from under a running server ----------------
for store in "${STORES[@]}"; do
    app=$TMP/app-$store
    mkdir -p "$app/target"
    cp "$ROOT/pom.xml" "$app/"
    cp -r "$ROOT/server-config" "$app/"
    cp -r "$ROOT/target/pomf.war" "$ROOT/target/payara-micro.jar" "$ROOT/target/classes" "$ROOT/target/test-classes" \
        "$app/target/"
done

# --- the S3 server, a process of its own --------------------------------------------------------------------------
log "test classpath (mvn dependency:build-classpath)"
if ! (cd "$ROOT" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/classpath.txt" \
        >"$TMP/classpath.log" 2>&1); then
    (cd "$ROOT" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/classpath.txt" \
        >"$TMP/classpath.log" 2>&1) || { cat "$TMP/classpath.log" >&2; die "no test classpath"; }
fi
S3_CP="$TMP/app-s3/target/test-classes:$TMP/app-s3/target/classes:$(cat "$TMP/classpath.txt")"
mkfifo "$TMP/s3.stdin"
log "starting S3Proxy on 127.0.0.1:$S3_PORT (data in $TMP/s3proxy-data)"
java -Xmx"$S3_HEAP" -XX:+UseParallelGC -cp "$S3_CP" pomf.it.servers.S3ServerMain --until-eof "$TMP/s3proxy-data" "$S3_PORT" "$BUCKET" \
    <"$TMP/s3.stdin" >"$TMP/s3proxy.log" 2>&1 &
S3_PID=$!
# Our end of its stdin: if this script dies without its trap, the pipe closes and the server stops by itself.
exec {S3_FD}>"$TMP/s3.stdin"
S3_ENDPOINT="http://127.0.0.1:$S3_PORT"

# --- the two origins ---------------------------------------------------------------------------------------------
start_origin() { # store http-port db-port [extra -D options...]
    local store=$1 port=$2 db=$3; shift 3
    local app=$TMP/app-$store
    mkdir -p "$TMP/$store-data" "$TMP/$store-storage"
    log "starting the $store origin on 127.0.0.1:$port (output: $TMP/origin-$store.log)"
    POMF_S3_ACCESS_KEY=$S3_ACCESS_KEY POMF_S3_SECRET_KEY=$S3_SECRET_KEY \
    mvn -B -f "$app/pom.xml" exec:java \
        -Dpomf.port="$port" -Dpomf.db.port="$db" \
        -Dpomf.data.dir="$TMP/$store-data" -Dpomf.storage.dir="$TMP/$store-storage" \
        -Dpomf.heap="$HEAP" -Dpomf.upload.max-size=$(( (largest + 64) * MIB )) \
        -Dpomf.public-url="http://127.0.0.1:$port" "$@" \
        >"$TMP/origin-$store.log" 2>&1 </dev/null {S3_FD}>&- &
    MVN_PID[$store]=$!
}
declare -A PORT=([folder]=$FOLDER_PORT [s3]=$S3_ORIGIN_PORT)
start_origin folder "$FOLDER_PORT" "$FOLDER_DB_PORT"
s3_opts=(-Dpomf.storage.kind=s3 -Dpomf.storage.s3.endpoint="$S3_ENDPOINT" -Dpomf.storage.s3.bucket="$BUCKET")
[[ -n $PART_SIZE ]] && s3_opts+=(-Dpomf.storage.s3.part-size="$PART_SIZE")
start_origin s3 "$S3_ORIGIN_PORT" "$S3_DB_PORT" "${s3_opts[@]}"

# --- test data while they boot: random bytes, distinct everywhere (dedup never short-circuits) --------------------
random_file() { # path bytes seed
    head -c "$2" < <(openssl enc -aes-128-ctr -pbkdf2 -iter 1 -nosalt -pass "pass:$3-$RANDOM$RANDOM" -in /dev/zero 2>/dev/null) >"$1"
}
log "generating the ${BIG_MB} MiB file$( ((BIG4 == 1)) && echo " and the ${BIG4_MB} MiB one")"
BIG=$TMP/big.bin
random_file "$BIG" $((BIG_MB * MIB)) big
if ((BIG4 == 1)); then
    BIG4_FILE=$TMP/big4.bin
    random_file "$BIG4_FILE" $((BIG4_MB * MIB)) big4
    BIG4_SHA1=$(openssl dgst -sha1 "$BIG4_FILE" | awk '{ print $NF }')
fi
mkdir -p "$TMP/warm"
for ((i = 0; i < WARMUP; i++)); do random_file "$TMP/warm/w$i.bin" "$MIB" "w$i"; done
random_file "$TMP/warm/big.bin" $((64 * MIB)) wbig

until grep -q '^endpoint ' "$TMP/s3proxy.log" 2>/dev/null; do
    kill -0 "$S3_PID" 2>/dev/null || { cat "$TMP/s3proxy.log" >&2; die "the S3 server exited"; }
    sleep 0.5
done
log "S3 server: $(grep '^endpoint ' "$TMP/s3proxy.log") (pid $S3_PID)"
started=$(now_ns)
for store in "${STORES[@]}"; do
    until curl -sf -o /dev/null "http://127.0.0.1:${PORT[$store]}/health/ready"; do
        if ! kill -0 "${MVN_PID[$store]}" 2>/dev/null; then
            tail -40 "$TMP/origin-$store.log" >&2; die "the $store origin exited before it was ready"
        fi
        if (( ($(now_ns) - started) / 1000000000 > READY_TIMEOUT )); then
            tail -40 "$TMP/origin-$store.log" >&2; die "the $store origin was not ready after $READY_TIMEOUT s"
        fi
        sleep 1
    done
    PAYARA_PID[$store]=$(ps -o pid=,args= --ppid "${MVN_PID[$store]}" | awk '/payara-micro\.jar/ { print $1; exit }')
    [[ -n ${PAYARA_PID[$store]} ]] || die "no Payara Micro JVM under mvn pid ${MVN_PID[$store]}"
    log "$store origin ready (mvn pid ${MVN_PID[$store]}, Payara Micro pid ${PAYARA_PID[$store]})"
    LOG_AT_READY[$store]=$(wc -l <"$TMP/origin-$store.log")
done
remember_processes

# --- helpers -------------------------------------------------------------------------------------------------------
ERRORS=0
fail() { ERRORS=$((ERRORS + 1)); log "FAILED: $*"; }
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
cpu_both() { echo "$(ticks "${PAYARA_PID[$1]}") $(ticks "$S3_PID")"; }
# ms of CPU per MiB between two cpu_both outputs: cpu_per_mib BEFORE AFTER MIBS -> "origin s3server"
cpu_per_mib() { awk -v a="$1" -v b="$2" -v m="$3" -v hz="$CLK_TCK" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.2f %.2f", (y[1] - x[1]) * 1000 / hz / m, (y[2] - x[2]) * 1000 / hz / m }'; }
mbps() { calc '%.1f' 'b / (ns / 1e9) / 1e6' b="$1" ns="$2"; }
url_of() { echo "http://127.0.0.1:${PORT[$1]}"; }
# "url token sha1 size" of each Pomf JSON reply given
replies() { python3 - "$@" <<'EOF'
import json, sys
for path in sys.argv[1:]:
    try:
        f = json.load(open(path))["files"][0]
        print(f["url"], f["delete_url"].rsplit("/", 1)[1], f["hash"], f["size"])
    except Exception as e:
        print("- - - -")
EOF
}
# Deletes uploads by their replies (not timed): the bytes go with their last link, so the disk holds one round.
delete_uploads() { # store reply-files...
    local store=$1; shift
    local args=() url token hash size
    while read -r url token hash size; do
        [[ $url == - ]] && continue
        ((${#args[@]})) && args+=(--next)
        args+=(-s -o /dev/null -w '%{http_code}\n' -X DELETE -H "X-Delete-Token: $token" \
            "$(url_of "$store")/api/v1/uploads/${url##*/}")
    done < <(replies "$@")
    ((${#args[@]})) || return 0
    local bad
    bad=$(curl --max-time "$TIMEOUT" "${args[@]}" | grep -cv '^20[04]$' || true)
    ((bad == 0)) || fail "$store: $bad deletion(s) refused"
}
heap_used_mib() { # pid: used heap in MiB now (S0U+S1U+EU+OU)
    jstat -gc "$1" 2>/dev/null | awk 'NR == 2 { printf "%.0f", ($3 + $4 + $6 + $8) / 1024 }'
}
heap_after_gc() { jcmd "$1" GC.run >/dev/null 2>&1 || true; local h; h=$(heap_used_mib "$1"); echo "${h:--}"; }
# jstat every 0.2 s in the background (one JVM, started before the clock), VmHWM reset: peak_start PID, peak_stop
peak_start() {
    PEAK_PID=$1
    echo 5 >"/proc/$1/clear_refs" 2>/dev/null && HWM_RESET=1 || HWM_RESET=0
    echo 5 >"/proc/$S3_PID/clear_refs" 2>/dev/null || true
    jstat -gc "$1" 200 >"$TMP/jstat.out" 2>/dev/null &
    SAMPLER_PID=$!
    for _ in $(seq 1 50); do (($(wc -l <"$TMP/jstat.out") >= 2)) && break; sleep 0.1; done
}
# -> "peak-heap-used-MiB peak-old-gen-MiB peak-RSS-MiB S3-server-peak-RSS-MiB"
peak_stop() {
    sleep 0.3
    kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=''
    local heap old rss
    read -r heap old < <(awk '$1 ~ /^[0-9.]+$/ { u = $3 + $4 + $6 + $8; if (u > m) m = u; if ($8 > o) o = $8 }
        END { if (m == "") print "- -"; else printf "%.0f %.0f\n", m / 1024, o / 1024 }' "$TMP/jstat.out")
    rss=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$PEAK_PID/status")
    ((HWM_RESET)) || rss="$rss(whole life)"
    echo "$heap $old $rss $(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$S3_PID/status")"
}

declare -A V=()   # "store.metric" -> the rounds' values, space-separated
put() { V[$1.$2]="${V[$1.$2]:-} $3"; }

upload_big() { # store file expected-sha1 label -> sets UP_NS UP_CPU UP_PEAK UP_GC, reply in $TMP/<label>.<store>.json
    local store=$1 file=$2 sha1=$3 label=$4
    local base; base=$(url_of "$store")
    local pid=${PAYARA_PID[$store]} bytes; bytes=$(stat -c %s "$file")
    sync   # no write-back of earlier files competing with the upload for the disk
    local gc_before; gc_before=$(heap_after_gc "$pid")
    peak_start "$pid"
    local c0 c1 t0 t1 out code
    c0=$(cpu_both "$store"); t0=$(now_ns)
    out=$(curl -s --max-time "$TIMEOUT" -o "$TMP/$label.$store.json" -w '%{http_code}' -F "files[]=@$file" \
        "$base/upload.php?output=json" || true)
    t1=$(now_ns); c1=$(cpu_both "$store")
    UP_PEAK=$(peak_stop)
    UP_GC="$gc_before $(heap_after_gc "$pid")"
    UP_NS=$((t1 - t0))
    UP_CPU=$(cpu_per_mib "$c0" "$c1" "$((bytes / MIB))")
    code=${out:-000}
    local reply; reply=$(replies "$TMP/$label.$store.json")
    if [[ $code != 200 || $(awk '{ print $3 }' <<<"$reply") != "$sha1" ]]; then
        fail "$store: $label upload: HTTP $code, reply $(head -c 300 "$TMP/$label.$store.json" 2>/dev/null)"
        UP_URL=''
    else
        UP_URL=$(awk '{ print $1 }' <<<"$reply")
    fi
}

measure() { # store round
    local store=$1 round=$2 base pid c0 c1 t0 t1 i
    base=$(url_of "$store"); pid=${PAYARA_PID[$store]}
    log "round $round, $store: $N × 1 MiB uploads"
    local dir=$TMP/small-$store-$round
    mkdir -p "$dir"
    for ((i = 0; i < N; i++)); do random_file "$dir/s$i.bin" "$MIB" "s$store$round$i"; done
    local args=()
    for ((i = 0; i < N; i++)); do
        ((i > 0)) && args+=(--next)
        args+=(-s -o "$dir/r$i.json" -w '%{http_code} %{time_total}\n' -F "files[]=@$dir/s$i.bin" "$base/upload.php?output=json")
    done
    sync
    c0=$(cpu_both "$store"); t0=$(now_ns)
    curl --max-time "$TIMEOUT" "${args[@]}" >"$dir/codes" || true
    t1=$(now_ns); c1=$(cpu_both "$store")
    local bad; bad=$(awk '$1 != 200' "$dir/codes" | wc -l)
    (($(wc -l <"$dir/codes") == N && bad == 0)) || fail "$store: $bad of $N small uploads not 200 ($(sort "$dir/codes" | awk '{ print $1 }' | uniq -c | tr '\n' ' '))"
    put "$store" small_mbps "$(mbps $((N * MIB)) $((t1 - t0)))"
    put "$store" small_ms "$(calc '%.1f' 'ns / n / 1e6' ns=$((t1 - t0)) n="$N")"
    put "$store" small_p50 "$(awk '{ print $2 * 1000 }' "$dir/codes" | sort -g | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }')"
    read -r o s <<<"$(cpu_per_mib "$c0" "$c1" "$N")"
    put "$store" small_cpu "$o"; put "$store" small_cpu_s3 "$s"

    log "round $round, $store: one ${BIG_MB} MiB upload"
    upload_big "$store" "$BIG" "$BIG_SHA1" "big$round"
    put "$store" big_mbps "$(mbps $((BIG_MB * MIB)) "$UP_NS")"
    read -r o s <<<"$UP_CPU"; put "$store" big_cpu "$o"; put "$store" big_cpu_s3 "$s"
    read -r h old rss s3rss <<<"$UP_PEAK"; put "$store" big_heap "$h"; put "$store" big_old "$old"; put "$store" big_rss "${rss%%(*}"
    put "$store" big_s3rss "$s3rss"
    read -r g0 g1 <<<"$UP_GC"; put "$store" big_gc "$g0→$g1"
    local url=$UP_URL
    if [[ -n $url ]]; then
        if ((round == 1)); then   # the bytes, whole and one range, not timed
            curl -s --max-time "$TIMEOUT" "$url" | cmp -s - "$BIG" || fail "$store: GET $url did not return the uploaded bytes"
            local from=$((BIG_MB * MIB / 3 + 12345)) len=$((3 * MIB + 7))
            cmp -s <(curl -s -r "$from-$((from + len - 1))" "$url") <(tail -c +$((from + 1)) "$BIG" | head -c "$len") \
                || fail "$store: a range of $url did not match the file"
        fi
        log "round $round, $store: the ${BIG_MB} MiB object downloaded whole"
        local out
        c0=$(cpu_both "$store"); t0=$(now_ns)
        out=$(curl -s --max-time "$TIMEOUT" -o /dev/null -w '%{http_code} %{size_download}' "$url" || true)
        t1=$(now_ns); c1=$(cpu_both "$store")
        [[ $out == "200 $((BIG_MB * MIB))" ]] || fail "$store: whole download: $out"
        put "$store" get_mbps "$(mbps $((BIG_MB * MIB)) $((t1 - t0)))"
        read -r o s <<<"$(cpu_per_mib "$c0" "$c1" "$BIG_MB")"; put "$store" get_cpu "$o"; put "$store" get_cpu_s3 "$s"

        log "round $round, $store: the same in $RANGES ranges at once"
        local size=$((BIG_MB * MIB)) step start end
        step=$(( (size + RANGES - 1) / RANGES ))
        args=()
        for ((start = 0; start < size; start += step)); do
            end=$((start + step - 1)); ((end < size)) || end=$((size - 1))
            ((${#args[@]})) && args+=(--next)
            args+=(-s -o /dev/null -r "$start-$end" -w '%{http_code} %{size_download}\n' "$url")
        done
        c0=$(cpu_both "$store"); t0=$(now_ns)
        curl --no-progress-meter --max-time "$TIMEOUT" --parallel --parallel-immediate --parallel-max "$RANGES" "${args[@]}" >"$dir/ranges" || true
        t1=$(now_ns); c1=$(cpu_both "$store")
        local got; got=$(awk '$1 == 206 { s += $2 } END { print s + 0 }' "$dir/ranges")
        ((got == size)) || fail "$store: ranged download: $got of $size bytes ($(awk '{ print $1 }' "$dir/ranges" | sort | uniq -c | tr '\n' ' '))"
        put "$store" rng_mbps "$(mbps "$size" $((t1 - t0)))"
        read -r o s <<<"$(cpu_per_mib "$c0" "$c1" "$BIG_MB")"; put "$store" rng_cpu "$o"; put "$store" rng_cpu_s3 "$s"
    else
        for m in get_mbps get_cpu get_cpu_s3 rng_mbps rng_cpu rng_cpu_s3; do put "$store" "$m" -; done
    fi
    delete_uploads "$store" "$dir"/r*.json "$TMP/big$round.$store.json"
    rm -rf "$dir"
}

# The S3 server alone, as this machine's limit for the s3 store (what upload-bench's dd and openssl are for the
# folder): curl with SigV4 straight to the bucket, the same file: a PUT, a server-side copy (what publication does
# after the multipart upload), the copy downloaded whole and in RANGES ranges at once; S3 server CPU per MiB.
SIGV4=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
direct_s3() { # round
    local round=$1 key=$BUCKET/bench-direct/r$1 size=$((BIG_MB * MIB)) t0 t1 c0 c1 out
    local obj=$S3_ENDPOINT/$key
    log "round $round, the S3 server alone: PUT, copy, GET of the ${BIG_MB} MiB file"
    sync
    c0=$(ticks "$S3_PID"); t0=$(now_ns)
    out=$(curl -s --max-time "$TIMEOUT" "${SIGV4[@]}" -T "$BIG" -o "$TMP/direct.xml" -w '%{http_code}' "$obj" || true)
    t1=$(now_ns); c1=$(ticks "$S3_PID")
    [[ $out == 200 ]] || fail "S3 server: PUT $out $(head -c 300 "$TMP/direct.xml")"
    put direct put_ns $((t1 - t0))
    put direct put_mbps "$(mbps "$size" $((t1 - t0)))"
    put direct put_cpu "$(calc '%.2f' '(b - a) * 1000 / hz / m' a="$c0" b="$c1" hz="$CLK_TCK" m="$BIG_MB")"
    sync
    c0=$(ticks "$S3_PID"); t0=$(now_ns)
    out=$(curl -s --max-time "$TIMEOUT" "${SIGV4[@]}" -X PUT -H "x-amz-copy-source: /$key" -o "$TMP/direct.xml" \
        -w '%{http_code}' "$obj.copy" || true)
    t1=$(now_ns); c1=$(ticks "$S3_PID")
    [[ $out == 200 ]] && grep -q CopyObjectResult "$TMP/direct.xml" || fail "S3 server: copy $out $(head -c 300 "$TMP/direct.xml")"
    put direct copy_ns $((t1 - t0))
    put direct copy_mbps "$(mbps "$size" $((t1 - t0)))"
    put direct copy_cpu "$(calc '%.2f' '(b - a) * 1000 / hz / m' a="$c0" b="$c1" hz="$CLK_TCK" m="$BIG_MB")"
    c0=$(ticks "$S3_PID"); t0=$(now_ns)
    out=$(curl -s --max-time "$TIMEOUT" "${SIGV4[@]}" -o /dev/null -w '%{http_code} %{size_download}' "$obj.copy" || true)
    t1=$(now_ns); c1=$(ticks "$S3_PID")
    [[ $out == "200 $size" ]] || fail "S3 server: GET $out"
    put direct get_mbps "$(mbps "$size" $((t1 - t0)))"
    put direct get_cpu "$(calc '%.2f' '(b - a) * 1000 / hz / m' a="$c0" b="$c1" hz="$CLK_TCK" m="$BIG_MB")"
    local args=() step start end
    step=$(( (size + RANGES - 1) / RANGES ))
    for ((start = 0; start < size; start += step)); do
        end=$((start + step - 1)); ((end < size)) || end=$((size - 1))
        ((${#args[@]})) && args+=(--next)
        args+=("${SIGV4[@]}" -o /dev/null -r "$start-$end" -w '%{http_code} %{size_download}\n' "$obj.copy")
    done
    c0=$(ticks "$S3_PID"); t0=$(now_ns)
    curl --no-progress-meter --max-time "$TIMEOUT" --parallel --parallel-immediate --parallel-max "$RANGES" "${args[@]}" \
        >"$TMP/direct.ranges" || true
    t1=$(now_ns); c1=$(ticks "$S3_PID")
    local got; got=$(awk '$1 == 206 { s += $2 } END { print s + 0 }' "$TMP/direct.ranges")
    ((got == size)) || fail "S3 server: ranged GETs: $got of $size bytes"
    put direct rng_mbps "$(mbps "$size" $((t1 - t0)))"
    put direct rng_cpu "$(calc '%.2f' '(b - a) * 1000 / hz / m' a="$c0" b="$c1" hz="$CLK_TCK" m="$BIG_MB")"
    # What an upload to the s3 store asks of the server: a multipart upload in parts of the part size, two in flight
    # (S3PartSink's) and its completion; the completed object is the blob.
    local mp=$obj.mp parts=$TMP/direct-parts uid i n
    mkdir -p "$parts"
    split -b "${PART_SIZE:-16777216}" -d -a 5 "$BIG" "$parts/p."   # cut before the clock starts
    sync
    c0=$(ticks "$S3_PID"); t0=$(now_ns)
    uid=$(curl -s --max-time 60 "${SIGV4[@]}" -X POST "$mp?uploads=" | grep -o '<UploadId>[^<]*' | cut -d'>' -f2 || true)
    args=(); n=0
    for part in "$parts"/p.*; do
        n=$((n + 1))
        ((n > 1)) && args+=(--next)
        args+=("${SIGV4[@]}" -T "$part" -D "$parts/h$n" -o /dev/null -w '%{http_code}\n' "$mp?partNumber=$n&uploadId=$uid")
    done
    curl --no-progress-meter --max-time "$TIMEOUT" --parallel --parallel-max 2 "${args[@]}" >"$parts/codes" || true
    t1=$(now_ns)
    {
        echo '<CompleteMultipartUpload>'
        for ((i = 1; i <= n; i++)); do
            echo "<Part><PartNumber>$i</PartNumber><ETag>$(tr -d '\r' <"$parts/h$i" | awk 'tolower($1) == "etag:" { print $2 }')</ETag></Part>"
        done
        echo '</CompleteMultipartUpload>'
    } >"$parts/complete.xml"
    local t2
    out=$(curl -s --max-time "$TIMEOUT" "${SIGV4[@]}" -X POST -H 'Content-Type: application/xml' \
        --data-binary @"$parts/complete.xml" -o "$TMP/direct.xml" -w '%{http_code}' "$mp?uploadId=$uid" || true)
    t2=$(now_ns); c1=$(ticks "$S3_PID")
    if [[ -z $uid || $(grep -c '^200$' "$parts/codes") != "$n" || $out != 200 ]] || ! grep -q CompleteMultipartUploadResult "$TMP/direct.xml"; then
        fail "S3 server: multipart upload (id '${uid:-none}', $(sort "$parts/codes" | uniq -c | tr '\n' ' '), completion $out)"
    fi
    put direct mp_parts_mbps "$(mbps "$size" $((t1 - t0)))"
    put direct mp_complete_s "$(calc '%.2f' 'ns / 1e9' ns=$((t2 - t1)))"
    put direct mp_ns $((t2 - t0))
    put direct mp_cpu "$(calc '%.2f' '(b - a) * 1000 / hz / m' a="$c0" b="$c1" hz="$CLK_TCK" m="$BIG_MB")"
    rm -rf "$parts"
    curl -s --max-time 60 "${SIGV4[@]}" -X DELETE -o /dev/null "$obj" --next -s --max-time 60 "${SIGV4[@]}" -X DELETE \
        -o /dev/null "$obj.copy" --next -s --max-time 60 "${SIGV4[@]}" -X DELETE -o /dev/null "$mp" || true
}

# --- warm-up: the JIT sees each path before the clock runs (uploads small and large, downloads whole and ranged) --
for store in "${STORES[@]}"; do
    log "warm-up of the $store origin: $WARMUP × 1 MiB, 64 MiB up and down"
    base=$(url_of "$store")
    args=()
    for f in "$TMP"/warm/w*.bin; do
        ((${#args[@]})) && args+=(--next)
        args+=(-s -o "${f%.bin}.$store.json" -F "files[]=@$f" "$base/upload.php?output=json")
    done
    args+=(--next -s -o "$TMP/warm/big.$store.json" -F "files[]=@$TMP/warm/big.bin" "$base/upload.php?output=json")
    curl --max-time "$TIMEOUT" "${args[@]}" || true
    wurl=$(replies "$TMP/warm/big.$store.json" | awk '{ print $1 }')
    [[ $wurl == http* ]] || { tail -30 "$TMP/origin-$store.log" >&2; die "$store: warm-up upload failed: $(head -c 300 "$TMP/warm/big.$store.json")"; }
    for _ in 1 2 3; do
        curl -s --max-time "$TIMEOUT" -o /dev/null "$wurl"
        curl --no-progress-meter --max-time "$TIMEOUT" --parallel --parallel-max 4 -o /dev/null -r 0-16777215 "$wurl" --next -o /dev/null \
            -r 16777216-33554431 "$wurl" --next -o /dev/null -r 33554432- "$wurl"
    done
    delete_uploads "$store" "$TMP"/warm/*."$store".json
done
rm -rf "$TMP/warm"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RUN_T0=$(now_ns)
for ((round = 1; round <= ROUNDS; round++)); do
    # This round's big file: the same random bytes with a new first block, so its content is new to both stores.
    printf 'storage-bench round %08d %s' "$round" "$RANDOM$RANDOM" | dd of="$BIG" bs=64 count=1 conv=notrunc status=none
    BIG_SHA1=$(openssl dgst -sha1 "$BIG" | awk '{ print $NF }')
    if ((round % 2)); then order=(folder s3); else order=(s3 folder); fi
    for store in "${order[@]}"; do measure "$store" "$round"; done
    if [[ $DIRECT == all || $DIRECT == 1 && $round == 1 ]]; then direct_s3 "$round"; fi
done

if ((BIG4 == 1)); then
    for store in "${STORES[@]}"; do
        log "$store: one ${BIG4_MB} MiB upload (heap -Xmx$HEAP)"
        upload_big "$store" "$BIG4_FILE" "$BIG4_SHA1" big4
        put "$store" big4_mbps "$(mbps $((BIG4_MB * MIB)) "$UP_NS")"
        read -r o s <<<"$UP_CPU"; put "$store" big4_cpu "$o"; put "$store" big4_cpu_s3 "$s"
        read -r h old rss s3rss <<<"$UP_PEAK"; put "$store" big4_heap "$h"; put "$store" big4_old "$old"; put "$store" big4_rss "${rss%%(*}"
        put "$store" big4_s3rss "$s3rss"
        read -r g0 g1 <<<"$UP_GC"; put "$store" big4_gc "$g0→$g1"; put "$store" big4_gc_delta "$( [[ $g0 == - || $g1 == - ]] && echo - || echo $((g1 - g0)))"
        [[ -n $UP_URL ]] && put "$store" big4_ok 1 || put "$store" big4_ok 0
        delete_uploads "$store" "$TMP/big4.$store.json"
    done
fi
RUN_NS=$(($(now_ns) - RUN_T0))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
OTHER_JAVA=0
while read -r pid comm; do
    [[ $comm == java && -z ${STARTED[$pid]:-} ]] && OTHER_JAVA=$((OTHER_JAVA + 1))
done < <(ps -e -o pid=,comm=)

# --- the table -----------------------------------------------------------------------------------------------------
med() { local v; read -ra v <<<"${V[$1.$2]:-}"; ((${#v[@]})) && median "${v[@]}" || echo -; }
ratio() { [[ $1 == - || $2 == - ]] && { echo -; return; }; calc '%.2f' 'f == 0 ? 0 : s / f' f="$1" s="$2"; }
rounds() { local v; read -ra v <<<"${V[$1.$2]:-}"; local IFS=,; echo "${v[*]:-}"; }
row() { # label metric unit
    local f s; f=$(med folder "$2"); s=$(med s3 "$2")
    printf '%-46s %12s %12s %9s   %s | %s\n' "$1" "$f" "$s" "$(ratio "$f" "$s")" "$(rounds folder "$2")" "$(rounds s3 "$2")"
}
row_s3() { printf '%-46s %12s %12s %9s   %s\n' "$1" - "$(med s3 "$2")" '' "$(rounds s3 "$2")"; }
text_row() { printf '%-46s %12s %12s %9s\n' "$1" "$(rounds folder "$2")" "$(rounds s3 "$2")" ''; }
label() { (($1 % 1024 == 0)) && echo "$(($1 / 1024)) GiB" || echo "$1 MiB"; }

echo
echo "pomf-ee storage benchmark (issue 16), $(date '+%F %T'), $(nproc) cores, MB = 10^6 bytes, MiB = 2^20 bytes"
echo "$WAR_INFO; origins -Xmx$HEAP, S3Proxy $(grep -o 's3proxy-[0-9][^/:]*\.jar' "$TMP/classpath.txt" | head -1 | sed 's/^s3proxy-//; s/\.jar$//') (filesystem backend, own JVM -Xmx$S3_HEAP), part size ${PART_SIZE:-16777216 (default)}"
echo "medians of $ROUNDS round(s), stores alternating; load (1/5/15) $LOAD_BEFORE → $LOAD_AFTER; other java processes: $OTHER_JAVA; measured in $(calc '%.0f' 'ns / 1e9' ns="$RUN_NS") s"
printf '%.0s-' {1..110}; echo
printf '%-46s %12s %12s %9s   %s\n' "" folder s3 s3/folder "rounds (folder | s3)"
row "$N × 1 MiB upload, sequential, MB/s" small_mbps
row "  ms per upload (wall / N)" small_ms
row "  ms per upload, p50 (curl time_total)" small_p50
row "  origin CPU ms per MiB" small_cpu
row_s3 "  S3 server CPU ms per MiB" small_cpu_s3
row "$(label "$BIG_MB") upload, MB/s" big_mbps
row "  origin CPU ms per MiB" big_cpu
row_s3 "  S3 server CPU ms per MiB" big_cpu_s3
row "  origin peak heap used, MiB (jstat, 0.2 s)" big_heap
row "  origin peak old gen, MiB" big_old
row "  origin peak RSS, MiB (VmHWM)" big_rss
row_s3 "  S3 server peak RSS, MiB" big_s3rss
text_row "  heap after full GC before→after, MiB" big_gc
row "$(label "$BIG_MB") download whole, MB/s" get_mbps
row "  origin CPU ms per MiB" get_cpu
row_s3 "  S3 server CPU ms per MiB" get_cpu_s3
row "$(label "$BIG_MB") download, $RANGES ranges at once, MB/s" rng_mbps
row "  origin CPU ms per MiB" rng_cpu
row_s3 "  S3 server CPU ms per MiB" rng_cpu_s3
if ((BIG4 == 1)); then
    row "$(label "$BIG4_MB") upload (once), MB/s" big4_mbps
    row "  origin CPU ms per MiB" big4_cpu
    row_s3 "  S3 server CPU ms per MiB" big4_cpu_s3
    row "  origin peak heap used, MiB" big4_heap
    row "  origin peak old gen, MiB" big4_old
    row "  origin peak RSS, MiB" big4_rss
    row_s3 "  S3 server peak RSS, MiB" big4_s3rss
    text_row "  heap after full GC before→after, MiB" big4_gc
fi
if [[ $DIRECT != 0 ]]; then
    drow() { printf '%-46s %12s %12s %9s   %s\n' "$1" - "$(med direct "$2")" '' "$(rounds direct "$2")"; }
    echo "the S3 server alone (curl SigV4 to the bucket, same file):"
    drow "  PUT of the $(label "$BIG_MB") file, MB/s" put_mbps
    drow "    S3 server CPU ms per MiB" put_cpu
    drow "  server-side copy of it, MB/s" copy_mbps
    drow "    S3 server CPU ms per MiB" copy_cpu
    drow "  GET whole, MB/s" get_mbps
    drow "  GET in $RANGES ranges at once, MB/s" rng_mbps
    drow "  multipart upload, parts (2 in flight), MB/s" mp_parts_mbps
    drow "    its completion, s" mp_complete_s
    drow "    S3 server CPU ms/MiB, parts + completion" mp_cpu
    # An upload to the s3 store is a multipart upload and its completion (the completed object is the blob): what
    # the server alone needs for that bounds the origin's rate on this server.
    read -ra pn <<<"${V[direct.mp_ns]:-}"
    bounds=()
    for i in "${!pn[@]}"; do bounds+=("$(mbps $((BIG_MB * MIB)) $((pn[i])))"); done
    V[direct.bound]=" ${bounds[*]:-}"
    drow "  floor: multipart + completion, MB/s" bound
    B=$(med direct bound); S=$(med s3 big_mbps)
    printf '%-46s %12s %12s %9s\n' "  s3 origin's upload / that floor" - "$(ratio "$B" "$S")" ''
    printf '%.0s-' {1..110}; echo
fi
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { if (r == "-") print "n/a"; else print (r >= g ? "met" : "MISSED") }'; }
UPR=$(ratio "$(med folder big_mbps)" "$(med s3 big_mbps)")
RGR=$(ratio "$(med folder rng_mbps)" "$(med s3 rng_mbps)")
echo "goals (issue 16):"
printf '  %-70s %s\n' "S3 $(label "$BIG_MB") upload ≥ 70% of the folder's MB/s: $UPR" "$(verdict "$UPR" "$GOAL_UP")"
printf '  %-70s %s\n' "S3 ranged download of $(label "$BIG_MB") ≥ 80% of the folder's: $RGR" "$(verdict "$RGR" "$GOAL_RANGED")"
if ((BIG4 == 1)); then
    for store in "${STORES[@]}"; do
        ok=$(med "$store" big4_ok); d=$(med "$store" big4_gc_delta); p4=$(med "$store" big4_heap); p1=$(med "$store" big_heap)
        flat=$(awk -v ok="$ok" -v d="$d" -v p4="$p4" -v p1="$p1" -v lim="$HEAP_FLAT_MIB" \
            'BEGIN { print (ok == 1 && d != "-" && d <= lim && p4 != "-" && p1 != "-" && p4 <= p1 + 64) ? "met" : "MISSED" }')
        printf '  %-70s %s\n' "heap flat, $store: $(label "$BIG4_MB") upload under -Xmx$HEAP $( [[ $ok == 1 ]] && echo ok || echo FAILED), after GC +$d MiB, peak $p4 MiB ($(label "$BIG_MB"): $p1)" "$flat"
    done
else
    echo "  heap flat: not measured (BIG4=0)"
fi
for store in "${STORES[@]}"; do
    tail -n +$((LOG_AT_READY[$store] + 1)) "$TMP/origin-$store.log" | grep -E 'WARNING|SEVERE' >"$TMP/warnings" || true
    n=$(wc -l <"$TMP/warnings")
    echo "$store origin log since it was ready: $n WARNING/SEVERE line(s)$( ((n)) && echo ", last:" )"
    if ((n)); then tail -5 "$TMP/warnings" | cut -c1-200 | sed 's/^/    /'; fi
done
n=$(grep -ciE 'exception|error' "$TMP/s3proxy.log" || true)
echo "S3 server log: $n line(s) with an exception or error"
printf '%.0s-' {1..110}; echo
if ((ERRORS > 0)); then
    log "$ERRORS check(s) failed (above)"
    exit 1
fi
