#!/usr/bin/env bash
# report-bench.sh: how long each SQL report (sql/reports) takes over a month of a busy service.
#
# What it does, on a PostgreSQL of its own (zonky's embedded PostgreSQL 14, 127.0.0.1:18625, data in a throwaway
# folder, stopped and deleted on exit):
#   1. migrates a fresh database with sql/schema (Flyway);
#   2. generates the data with src/bench/report-bench-data.sql (generate_series, deterministic): 1,000,000 stored
#      files, 1,200,000 uploads (200,000 of them dedups), 30 days of per-minute traffic for 4 instances (1 origin,
#      3 edges), 30 days of hourly per-file traffic with Zipf-like popularity, 30 days of checks (4 nodes x 3 checks
#      a minute), strikes, kills, revivals and DNS changes; prints the time it took; ANALYZE;
#   3. runs every report 3 times with from/to widened to the 30 days (other parameters at their defaults), through
#      the application's own classes (pomf.reporting.control.ReportRunner: read-only transaction, bound parameters,
#      rows fetched and converted, row cap 10,000), and prints a table: report, rows, first run ms, median ms.
#   The timed runner is pomf.run.ReportBench (test classes), started with `java` on the test classpath.
#
# How to run (from anywhere; about 3 minutes on 2 cores): src/bench/report-bench.sh
# Knobs: BENCH_TMP=/tmp (parent of the throwaway folder), PORT=18625, EXPLAIN=<report> (print its plan, EXPLAIN ANALYZE,
#   after the table; for reports whose parameters are all from/to).
set -euo pipefail

PORT=${PORT:-18625}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_TMP=${BENCH_TMP:-/tmp}

log() { printf '[report-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in mvn java; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is already in use on 127.0.0.1"; fi

TMP=''
JAVA_PID=''
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [[ -n $JAVA_PID ]] && kill -0 "$JAVA_PID" 2>/dev/null; then
        log "stopping the benchmark (pid $JAVA_PID)"
        kill -TERM "$JAVA_PID" 2>/dev/null
        for _ in $(seq 1 30); do kill -0 "$JAVA_PID" 2>/dev/null || break; sleep 1; done
        kill -0 "$JAVA_PID" 2>/dev/null && kill -KILL "$JAVA_PID" 2>/dev/null
        wait "$JAVA_PID" 2>/dev/null
    fi
    # PostgreSQL detaches from the JVM (pg_ctl): whatever still runs on our data folder is ours; stop it by pid.
    if [[ -n $TMP ]]; then
        while read -r pid args; do
            if [[ $args == *"$TMP/pg"* && $pid != "$$" ]]; then
                log "PostgreSQL (pid $pid) outlived the benchmark: stopping it"
                kill -TERM "$pid" 2>/dev/null
            fi
        done < <(ps -e -o pid=,args= 2>/dev/null)
        sleep 1
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/pomf-report-bench.XXXXXX")
log "throwaway folder: $TMP"
log "compiling (mvn -q -B test-compile) and resolving the test classpath"
(cd "$ROOT" && mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/classpath")
CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$TMP/classpath")"

log "starting PostgreSQL on 127.0.0.1:$PORT, migrating, generating the data (a few minutes)"
java -cp "$CLASSPATH" -Dpomf.basedir="$ROOT" ${EXPLAIN:+-Dpomf.bench.explain="$EXPLAIN"} pomf.run.ReportBench "$TMP/pg" "$PORT" &
JAVA_PID=$!
wait "$JAVA_PID"
JAVA_PID=''
