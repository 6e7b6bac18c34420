#!/usr/bin/env bash
# hashlist-bench.sh: hash-list imports of a million hashes, and what the lists add to an upload's check (issue 17,
# item 2's goals: an import of 1,000,000 hashes in <= 30 s; <= 0.2 ms more per upload).
#
# What it does, on a service it starts itself with the run command's launcher (HTTP 127.0.0.1:18185, embedded
# PostgreSQL 54343, data and storage in a throwaway folder), as an operator's box would see it:
#   1. STORED small files uploaded first (default 2000), so that the import's quarantine joins a registry; 10 of them
#      are listed (by SHA-256, SHA-1 and MD5) and must come out quarantined;
#   2. a list of HASHES (default 1,000,000) random SHA-256 hashes plus those 10, as CSV, PUT to
#      /api/v1/hash-lists/bench; then a new version that keeps half and adds half (a list's update); ROUNDS times
#      each, alternating, the list removed between rounds. Prints each import's wall time (curl) and the server's;
#   3. the upload check's query (Registry.isBanned) run by pgbench against the service's database for 10 s with
#      the million-hash list in place, against the check as it was before hash lists (banned_hash alone), same run,
#      alternating, ROUNDS times: the difference of their mean latencies is what the lists add per upload;
#   4. end to end: 300 sequential 1 KiB uploads (curl) with the list and without it, alternating, ROUNDS times.
# Prints medians. About 3 minutes on 2 cores. The service runs from this work tree (build first:
# mvn -DskipTests package); on exit it is stopped (its mvn process, then whatever of ours is left, by PID) and the
# throwaway folder removed.
set -euo pipefail

HTTP_PORT=${HTTP_PORT:-18185}
DB_PORT=${DB_PORT:-54343}
HASHES=${HASHES:-1000000}
STORED=${STORED:-2000}
ROUNDS=${ROUNDS:-3}
TOKEN=bench-token
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE="http://127.0.0.1:$HTTP_PORT"

log() { printf '[hashlist-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

for tool in curl mvn java python3 pgbench psql; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
[[ -f $ROOT/target/pomf.war && -f $ROOT/target/test-classes/pomf/run/LocalRun.class ]] \
    || die "build first: mvn -DskipTests package"
for port in "$HTTP_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done

TMP=$(mktemp -d "$(dirname "$ROOT")/pomf-hashlist-bench.XXXXXX")
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
    for pid in $(pgrep -f "$TMP/" || true); do [[ $pid != "$$" ]] && kill -KILL "$pid" 2>/dev/null; done
    [[ -f $TMP/server.log ]] && cp "$TMP/server.log" "$ROOT/target/hashlist-bench-server.log"
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$TMP/data" "$TMP/storage"
log "starting the service on $BASE"
(cd "$ROOT" && exec mvn -B exec:java -Dpomf.port="$HTTP_PORT" -Dpomf.db.port="$DB_PORT" \
    -Dpomf.data.dir="$TMP/data" -Dpomf.storage.dir="$TMP/storage" -Dpomf.heap=512m \
    -Dpomf.api.token="$TOKEN" -Dpomf.public-url="$BASE" >>"$TMP/server.log" 2>&1 </dev/null) &
MVN_PID=$!
for ((i = 0; i < 300; i++)); do
    curl -sf -o /dev/null "$BASE/health/ready" && break
    kill -0 "$MVN_PID" 2>/dev/null || { tail -30 "$TMP/server.log" >&2; die "the service exited while starting"; }
    sleep 0.5
done
curl -sf -o /dev/null "$BASE/health/ready" || die "the service was not ready after 150 s"

export PGPASSWORD=postgres
PSQL=(psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -d pomf -qAt)

log "uploading $STORED small files"
python3 - "$BASE" "$STORED" "$TMP" <<'PY'
import sys, os, json, hashlib, urllib.request, uuid
base, count, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
listed = []
for i in range(count):
    data = os.urandom(1024)
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="files[]"; filename="f{i}.bin"\r\n\r\n'.encode()
            + data + f'\r\n--{boundary}--\r\n'.encode())
    req = urllib.request.Request(base + '/upload.php', body,
                                 {'Content-Type': 'multipart/form-data; boundary=' + boundary})
    name = json.load(urllib.request.urlopen(req))['files'][0]['url'].rsplit('/', 1)[1]
    if i < 10:
        algo = ('sha256', 'sha1', 'md5')[i % 3]
        listed.append((name, hashlib.new(algo, data).hexdigest()))
with open(tmp + '/listed.txt', 'w') as f:
    for name, h in listed:
        f.write(f'{name} {h}\n')
PY

log "writing the lists ($HASHES random SHA-256 hashes + 10 of stored files, as CSV)"
python3 - "$HASHES" "$TMP" <<'PY'
import sys, os
n, tmp = int(sys.argv[1]), sys.argv[2]
listed = [l.split()[1] for l in open(tmp + '/listed.txt')]
rand = [os.urandom(32).hex() for _ in range(n)]
with open(tmp + '/v1.csv', 'w') as f:
    f.write('id,hash,source\n')
    for i, h in enumerate(rand + listed):
        f.write(f'{i},{h},bench\n')
with open(tmp + '/v2.csv', 'w') as f:
    f.write('id,hash,source\n')
    half = rand[: n // 2] + [os.urandom(32).hex() for _ in range(n - n // 2)]
    for i, h in enumerate(half + listed):
        f.write(f'{i},{h},bench\n')
PY
log "list files: $(du -h "$TMP/v1.csv" | cut -f1) each"

put() { # file -> "wall_ms server_ms entries quarantined"
    local start end
    start=$(now_ms)
    curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary @"$1" \
        "$BASE/api/v1/hash-lists/bench?reason=bench" -o "$TMP/put.json" || die "import failed: $(cat "$TMP/put.json")"
    end=$(now_ms)
    python3 -c "import json,sys; a=json.load(open('$TMP/put.json')); print($((end - start)), a['millis'], a['entries'], len(a['quarantined']))"
}
remove_list() { curl -sf -X DELETE -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/hash-lists/bench" -o /dev/null; }

cat >"$TMP/with.sql" <<'SQL'
\set r random(1, 1000000000)
select exists (select 1 from banned_hash where hash in (md5(:r::text) || md5(:r::text || 'a') , md5(:r::text || 'b'))) or exists (select 1 from hash_list_entry where hash in (md5(:r::text) || md5(:r::text || 'a'), md5(:r::text || 'b'), md5(:r::text || 'c')));
SQL
cat >"$TMP/without.sql" <<'SQL'
\set r random(1, 1000000000)
select exists (select 1 from banned_hash where hash in (md5(:r::text) || md5(:r::text || 'a') , md5(:r::text || 'b')));
SQL
pg_mean() { # script -> mean latency in ms
    pgbench -h 127.0.0.1 -p "$DB_PORT" -U postgres -n -c 1 -T 10 -f "$1" pomf 2>/dev/null \
        | awk '/latency average/ { print $4 }'
}
uploads_ms() { # -> ms per upload, 300 sequential curl uploads of 1 KiB
    head -c 1024 /dev/urandom >"$TMP/one.bin"
    local start end
    start=$(now_ms)
    for ((k = 0; k < 300; k++)); do
        head -c 16 /dev/urandom >>"$TMP/one.bin"
        curl -sf -o /dev/null -F "files[]=@$TMP/one.bin" "$BASE/upload.php" || die "upload failed"
    done
    end=$(now_ms)
    python3 -c "print(round(($end - $start) / 300, 2))"
}

declare -a IMPORT1 IMPORT1S IMPORT2 IMPORT2S Q_WITH Q_WITHOUT UP_WITH UP_WITHOUT
for ((round = 1; round <= ROUNDS; round++)); do
    read -r wall server entries quarantined < <(put "$TMP/v1.csv")
    IMPORT1+=("$wall"); IMPORT1S+=("$server")
    log "round $round: new list of $entries hashes: ${wall} ms (server ${server} ms), $quarantined link(s) quarantined"
    # Files stored while no list had MD5 entries have no MD5: the sweep the import starts finds those matched by it.
    for ((w = 0; w < 120; w++)); do
        banned=$("${PSQL[@]}" -c "select count(*) from stored_file where banned")
        ((banned >= 10)) && break
        sleep 0.5
    done
    log "round $round: $banned link(s) quarantined after the MD5 sweep ($quarantined by the import itself)"
    [[ $banned -eq 10 ]] || die "expected the 10 listed stored files quarantined, got $banned"
    read -r wall server entries quarantined < <(put "$TMP/v2.csv")
    IMPORT2+=("$wall"); IMPORT2S+=("$server")
    log "round $round: new version (half replaced), $entries hashes: ${wall} ms (server ${server} ms)"
    "${PSQL[@]}" -c "vacuum analyze hash_list_entry" >/dev/null
    if ((round % 2)); then
        Q_WITH+=("$(pg_mean "$TMP/with.sql")"); Q_WITHOUT+=("$(pg_mean "$TMP/without.sql")")
    else
        Q_WITHOUT+=("$(pg_mean "$TMP/without.sql")"); Q_WITH+=("$(pg_mean "$TMP/with.sql")")
    fi
    log "round $round: check query with the list ${Q_WITH[-1]} ms, before hash lists ${Q_WITHOUT[-1]} ms"
    UP_WITH+=("$(uploads_ms)")
    remove_list
    UP_WITHOUT+=("$(uploads_ms)")
    log "round $round: upload (curl, 1 KiB) with the list ${UP_WITH[-1]} ms, without ${UP_WITHOUT[-1]} ms"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
echo
echo "hash lists: $HASHES hashes, $STORED stored files, medians of $ROUNDS rounds"
printf '%-58s %12s\n' "what" "median"
printf '%-58s %9s ms\n' "import of a new list (wall, curl)" "$(median "${IMPORT1[@]}")"
printf '%-58s %9s ms\n' "  (server)" "$(median "${IMPORT1S[@]}")"
printf '%-58s %9s ms\n' "import of a new version, half replaced (wall)" "$(median "${IMPORT2[@]}")"
printf '%-58s %9s ms\n' "  (server)" "$(median "${IMPORT2S[@]}")"
QW=$(median "${Q_WITH[@]}"); QO=$(median "${Q_WITHOUT[@]}")
printf '%-58s %9s ms\n' "upload check query, with a ${HASHES}-hash list (pgbench)" "$QW"
printf '%-58s %9s ms\n' "upload check query as before hash lists (pgbench)" "$QO"
printf '%-58s %9s ms\n' "added per upload (difference)" "$(python3 -c "print(round($QW - $QO, 4))")"
printf '%-58s %9s ms\n' "upload end to end with the list (curl, sequential)" "$(median "${UP_WITH[@]}")"
printf '%-58s %9s ms\n' "upload end to end without it" "$(median "${UP_WITHOUT[@]}")"
