#!/usr/bin/env bash
# tus-resume-bench.sh: a large resumable upload across a kill -9 of the service (issue 13's resume goal).
#
# What it does, on a service it starts itself with the run command's launcher (HTTP 127.0.0.1:18183, embedded
# PostgreSQL 54341, data and storage in a throwaway folder), as an operator's box would see it:
#   1. a SIZE_MB (default 4096 = 4 GiB) file of random bytes, uploaded by tus (/api/v1/tus/) in CHUNK_MB (50) MiB
#      PATCHes, a curl each, each answer's Upload-Offset recorded as the last acknowledged byte;
#   2. past half the file, while a PATCH is on its way, kill -9 of the Payara Micro JVM (the launcher and its
#      PostgreSQL stop with it), then the same start command again;
#   3. HEAD for the offset the server kept: bytes lost beyond the last acknowledged PATCH (goal: 0; bytes of the
#      interrupted PATCH may be kept on top), then the rest from that offset;
#   4. the final answer's SHA-1 against the file's, and the file downloaded from its link compared byte for byte;
#   5. a second upload left half-way: with pomf.tus.resume-for=RESUME_FOR (60s) and a janitor tick of 1 s, its
#      bytes are gone from <storage>/tus after the window (goal: nothing left on disk).
# Prints the times (start to ready after the kill, the whole upload with the interruption), the offsets, and the
# verdicts. About 4 minutes for 4 GiB; SIZE_MB=512 for a quick run. Needs 3 x SIZE_MB free on the project's disk.
# The service runs from this work tree (build first: mvn -DskipTests package); on exit it is stopped (its mvn
# process, then whatever of ours is left, by PID) and the throwaway folder removed.
set -euo pipefail

HTTP_PORT=${HTTP_PORT:-18183}
DB_PORT=${DB_PORT:-54341}
SIZE_MB=${SIZE_MB:-4096}
CHUNK_MB=${CHUNK_MB:-50}
RESUME_FOR=${RESUME_FOR:-60s}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE="http://127.0.0.1:$HTTP_PORT"
TUS=(-H 'Tus-Resumable: 1.0.0')

log() { printf '[tus-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

for tool in curl openssl mvn java dd cmp base64; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
[[ -f $ROOT/target/pomf.war && -f $ROOT/target/test-classes/pomf/run/LocalRun.class ]] \
    || die "build first: mvn -DskipTests package"
for port in "$HTTP_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done

TMP=$(mktemp -d "$(dirname "$ROOT")/pomf-tus-bench.XXXXXX")
MVN_PID=''
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $MVN_PID ]] && kill -0 "$MVN_PID" 2>/dev/null; then
        log "stopping the service (mvn pid $MVN_PID)"
        kill -TERM "$MVN_PID"
        for _ in $(seq 1 90); do kill -0 "$MVN_PID" 2>/dev/null || break; sleep 1; done
        kill -0 "$MVN_PID" 2>/dev/null && kill -KILL "$MVN_PID"
    fi
    # What the launcher's shutdown hook did not stop: processes whose command line names our folder.
    for pid in $(pgrep -f "$TMP/" || true); do [[ $pid != "$$" ]] && kill -KILL "$pid" 2>/dev/null; done
    [[ -f $TMP/server.log ]] && cp "$TMP/server.log" "$ROOT/target/tus-resume-bench-server.log"
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_service() {
    (cd "$ROOT" && exec mvn -B exec:java -Dpomf.port="$HTTP_PORT" -Dpomf.db.port="$DB_PORT" \
        -Dpomf.data.dir="$TMP/data" -Dpomf.storage.dir="$TMP/storage" -Dpomf.heap=512m \
        -Dpomf.upload.max-size=$((SIZE_MB * 2 * 1048576)) -Dpomf.tus.resume-for="$RESUME_FOR" \
        -Dpomf.storage.janitor-interval=1 -Dpomf.public-url="$BASE" >>"$TMP/server.log" 2>&1 </dev/null) &
    MVN_PID=$!
    local i
    for ((i = 0; i < 300; i++)); do
        curl -sf -o /dev/null "$BASE/health/ready" && return 0
        kill -0 "$MVN_PID" 2>/dev/null || { tail -30 "$TMP/server.log" >&2; die "the service exited while starting"; }
        sleep 0.5
    done
    die "the service was not ready after 150 s"
}

payara_pid() { pgrep -f "pomf.storage.dir=$TMP/storage.*payara-micro" | head -1; }

# patch OFFSET LENGTH: sends bytes [OFFSET, OFFSET+LENGTH) of the file; prints the new offset, or nothing.
patch() {
    dd if="$FILE" of="$TMP/part" bs=1M iflag=skip_bytes,count_bytes skip="$1" count="$2" status=none
    curl -s -D - -o "$TMP/reply" -X PATCH "${TUS[@]}" -H "Upload-Offset: $1" \
        -H 'Content-Type: application/offset+octet-stream' -T "$TMP/part" "$LOCATION" \
        | tr -d '\r' | awk 'tolower($1) == "upload-offset:" { print $2 }'
}

head_offset() {
    curl -s -I "${TUS[@]}" "$1" | tr -d '\r' | awk 'tolower($1) == "upload-offset:" { print $2 }'
}

create() { # length -> Location
    curl -s -D - -o /dev/null -X POST "${TUS[@]}" -H "Upload-Length: $1" \
        -H "Upload-Metadata: filename $(printf 'big.bin' | base64)" "$BASE/api/v1/tus/" \
        | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }'
}

SIZE=$((SIZE_MB * 1048576))
CHUNK=$((CHUNK_MB * 1048576))
FILE=$TMP/big.bin
mkdir -p "$TMP/data" "$TMP/storage"
log "writing ${SIZE_MB} MiB of random bytes"
head -c "$SIZE" /dev/urandom >"$FILE"
FILE_SHA1=$(openssl dgst -sha1 "$FILE" | awk '{ print $NF }')

log "starting the service on $BASE"
start_service
LOCATION=$(create "$SIZE")
[[ -n $LOCATION ]] || die "tus creation failed"
log "upload: $LOCATION"

t0=$(now_ms)
acked=0
while ((acked < SIZE / 2)); do
    next=$(patch "$acked" "$(( SIZE - acked < CHUNK ? SIZE - acked : CHUNK ))")
    [[ -n $next ]] || die "PATCH at $acked was not acknowledged: $(head -c 300 "$TMP/reply")"
    acked=$next
done
# The next PATCH goes out, and the service dies under it.
victim=$(payara_pid)
[[ -n $victim ]] || die "no Payara Micro JVM found"
patch "$acked" "$CHUNK" >"$TMP/interrupted" &
patch_pid=$!
for _ in $(seq 1 500); do   # until some of its bytes have reached the server's file
    [[ $(find "$TMP/storage/tus" -name '*.bin' -size +$((acked / 1024 + 1024))k | wc -l) -gt 0 ]] && break
    sleep 0.01
done
log "kill -9 of Payara Micro (pid $victim) during the PATCH at $acked (last acknowledged offset)"
kill -KILL "$victim"
wait "$patch_pid" || true
for _ in $(seq 1 60); do kill -0 "$MVN_PID" 2>/dev/null || break; sleep 0.5; done
kill -0 "$MVN_PID" 2>/dev/null && die "the launcher did not end after its JVM was killed"
killed_at=$(now_ms)
start_service
ready_at=$(now_ms)
kept=$(head_offset "$LOCATION")
[[ -n $kept ]] || die "HEAD after the restart gave no offset"
log "after the restart the server has $kept bytes (acknowledged before the kill: $acked)"
offset=$kept
while ((offset < SIZE)); do
    next=$(patch "$offset" "$(( SIZE - offset < CHUNK ? SIZE - offset : CHUNK ))")
    [[ -n $next ]] || die "PATCH at $offset was not acknowledged: $(head -c 300 "$TMP/reply")"
    offset=$next
done
t1=$(now_ms)
HASH=$(grep -o '"hash":"[0-9a-f]*"' "$TMP/reply" | cut -d'"' -f4 || true)
URL=$(grep -o '"url":"[^"]*"' "$TMP/reply" | cut -d'"' -f4 | sed 's|\\/|/|g' || true)
[[ -n $URL ]] || die "the last PATCH's answer has no link: $(head -c 300 "$TMP/reply")"
log "downloading $URL to compare"
SAME=no
curl -sf "$URL" | cmp -s - "$FILE" && SAME=yes

log "a second upload, left half-way, to see its bytes swept after $RESUME_FOR"
LOCATION=$(create "$SIZE")
patch 0 $((CHUNK < SIZE / 2 ? CHUNK : SIZE / 2)) >/dev/null
left_before=$(find "$TMP/storage/tus" -type f | wc -l)
window=$(sed -E 's/s$//' <<<"$RESUME_FOR")
sleep $((window + 5))
left_after=$(find "$TMP/storage/tus" -type f | wc -l)
gone=$(curl -s -o /dev/null -w '%{http_code}' -I "${TUS[@]}" "$LOCATION")

LOST=$((acked > kept ? acked - kept : 0))
echo
echo "tus resume benchmark, $(date '+%F %T'), $(nproc) cores, git $(cd "$ROOT" && git rev-parse --short HEAD)"
printf '%-62s %s\n' "file" "$SIZE_MB MiB in $CHUNK_MB MiB PATCHes"
printf '%-62s %s\n' "acknowledged before kill -9 (mid-PATCH)" "$acked bytes"
printf '%-62s %s\n' "offset after the restart" "$kept bytes ($((kept - acked)) of the interrupted PATCH kept)"
printf '%-62s %s\n' "bytes lost beyond the last acknowledged PATCH (goal 0)" "$LOST"
printf '%-62s %s\n' "kill to ready again" "$(( (ready_at - killed_at) )) ms"
printf '%-62s %s\n' "whole upload, interruption and restart included" "$(( (t1 - t0) )) ms"
printf '%-62s %s\n' "final SHA-1 right" "$([[ $HASH == "$FILE_SHA1" ]] && echo yes || echo "NO ($HASH, file $FILE_SHA1)")"
printf '%-62s %s\n' "downloaded file identical" "$SAME"
printf '%-62s %s\n' "half-way upload after $RESUME_FOR: files in storage/tus" "$left_before before, $left_after after (goal 0); HEAD $gone"
[[ $LOST == 0 && $HASH == "$FILE_SHA1" && $SAME == yes && $left_after == 0 ]]
