#!/usr/bin/env bash
# admin-bench.sh: the report table of report-bench.sh, then the admin pages timed through the real application.
#
# What it does (everything on 127.0.0.1, in a throwaway folder, stopped and deleted on exit):
#   1. builds the WAR (mvn package -DskipTests) and the test classpath;
#   2. starts an embedded PostgreSQL (zonky, port PORT), migrates it and generates report-bench-data.sql's data
#      (1,000,000 stored files, 1,200,000 uploads, 30 days of per-minute traffic for 4 nodes, ...), then prints the
#      reports' table exactly as report-bench.sh does;
#   3. creates an administrator "bench" in admin_account, starts target/pomf.war on Payara Micro (roles
#      origin,admin; port HTTP_PORT) over that database, waits for /health/ready, logs in through the login form;
#   4. times, 5 runs after a warm-up, as a browser sends them: GET /admin/files.xhtml, the Search button's Ajax
#      post for several searches, the paginator's Ajax post to offset 50 and 500,000, the dashboard and the nodes
#      page, and the same searches through GET /api/v1/files (the session's cookie) for the page-over-query ratio;
#      prints: page / request, rows shown (of the total the page shows, first stored name), median ms, max ms, bytes.
#   The runner is pomf.run.AdminPageBench (test classes). A row ending in "!" is an answer that is not what a person
#   would see (an HTTP error, a Faces error, no rows).
#
# How to run (about 5 minutes on 2 cores): src/bench/admin-bench.sh
# Knobs: BENCH_TMP=/tmp (parent of the throwaway folder), PORT=18802 (PostgreSQL), HTTP_PORT=18800,
#   EXPLAIN=<report> as in report-bench.sh, SKIP_REPORTS=1 (only the pages). Payara's log is printed when it fails to start.
set -euo pipefail

PORT=${PORT:-18802}
HTTP_PORT=${HTTP_PORT:-18800}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_TMP=${BENCH_TMP:-/tmp}

log() { printf '[admin-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in mvn java; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for p in "$PORT" "$HTTP_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use on 127.0.0.1"; fi
done

TMP=''
JAVA_PID=''
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $JAVA_PID ]] && kill -0 "$JAVA_PID" 2>/dev/null; then
        log "stopping the benchmark (pid $JAVA_PID)"
        kill -TERM "$JAVA_PID" 2>/dev/null
        for _ in $(seq 1 90); do kill -0 "$JAVA_PID" 2>/dev/null || break; sleep 1; done
        kill -0 "$JAVA_PID" 2>/dev/null && kill -KILL "$JAVA_PID" 2>/dev/null
        wait "$JAVA_PID" 2>/dev/null
    fi
    # PostgreSQL detaches from the JVM (pg_ctl), and Payara is the JVM's child: whatever still runs with our
    # throwaway folder in its command line is ours; stop it by pid.
    if [[ -n $TMP ]]; then
        if [[ $rc -ne 0 && -f $TMP/payara/payara.log ]]; then
            log "last lines of Payara's log:"; tail -n 40 "$TMP/payara/payara.log" >&2
        fi
        while read -r pid args; do
            if [[ $args == *"$TMP/"* && $pid != "$$" ]]; then
                log "pid $pid outlived the benchmark: stopping it"
                kill -TERM "$pid" 2>/dev/null
            fi
        done < <(ps -e -o pid=,args= 2>/dev/null)
        sleep 2
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/pomf-admin-bench.XXXXXX")
mkdir -p "$TMP/payara"
log "throwaway folder: $TMP"
log "building the WAR (mvn -q -B package -DskipTests) and resolving the test classpath"
(cd "$ROOT" && mvn -q -B package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$TMP/classpath")
CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$TMP/classpath")"

log "starting PostgreSQL on 127.0.0.1:$PORT, migrating, generating the data (a few minutes), then Payara"
java -cp "$CLASSPATH" -Dpomf.basedir="$ROOT" -Dpomf.bench.skip-reports="${SKIP_REPORTS:-false}" ${EXPLAIN:+-Dpomf.bench.explain="$EXPLAIN"} \
    pomf.run.AdminPageBench "$TMP/pg" "$PORT" "$HTTP_PORT" "$TMP/payara" &
JAVA_PID=$!
wait "$JAVA_PID"
JAVA_PID=''
