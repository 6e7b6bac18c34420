#!/usr/bin/env bash
# restart-bench.sh: how fast an edge comes back, and what clients see meanwhile (issue 19: "Restarts without a wrong
# answer").
#
# What it starts (every server on 127.0.0.1, all in a throwaway folder): the local topology (server-config/topology.sh
# with ORIGIN_PORT=18400 EDGE1_PORT=18401 EDGE2_PORT=18402 DB_PORT=54700), from the build in target/ (built first
# when missing). Edges get -Dpomf.edge.min-uses=1 so that every object is stored, and -Dpomf.edge.valid=3s so that
# they revalidate with the origin every few seconds (they meet a restarting origin).
# What it measures (src/bench/restart-bench.py, stdlib only):
#   - objects of 1 B to 24 MiB uploaded to the origin and warmed to X-Cache-Status: HIT on both edges;
#   - start times of edge1, each restarted with `topology.sh restart edge1` (a drained SIGTERM stop, then its own
#     command line), counted from the new JVM's start (/proc/<pid>/stat): its port accepting connections, /health/ready
#     answering 200, and a cached 1 MiB object served byte for byte. ROUNDS (3) rounds of each case, medians:
#       idle, no class archive (CLASS_ARCHIVE=off) | idle (the class archive mapped, as topology.sh starts edges) |
#       loaded: CLIENTS (12) threads asking both edges for every object, whole or a range, on fresh connections |
#       kill -9, loaded: the same load, edge1 killed instead of stopped (its store starts cold) |
#       origin, loaded / origin kill -9, loaded: `topology.sh restart origin [kill]` (a drained stop, or its Payara
#       killed; the launcher restarts the embedded PostgreSQL too), timed the same way on the origin's port, while a
#       third of the clients ask the origin itself and two more upload small files to it and read them back.
#     Meanwhile every answer the load gets is checked: ok, refused, reset before an answer (a connection still in
#     the accept queue of a port that closed), cut mid-answer, timeout, 503, 404 for an existing object, other
#     statuses, wrong bodies; for uploads: ok, refused, reset, 404 for the upload endpoint, other statuses. Before edge1 serves, the prober counts any answer for
#     the object other than a refused connection or 503 (an answer that is not the right one).
#   - the drain: a 24 MiB download from edge1 at 2 MB/s, SIGTERM 3 s in: bytes received, whether they are the
#     whole object, and how long the JVM lived after SIGTERM.
# The goals of issue 19 (serving within 12 s idle and 25 s under load) are printed beside the medians; the run fails
# (exit 1) on a wrong body, a 404 for an existing object or for the upload endpoint, an upload that does not read
# back, a wrong answer before serving, or a cut drain.
#
# How to run (from anywhere; about 11 minutes on 2 cores): src/bench/restart-bench.sh
# Knobs: ROUNDS=3, CLIENTS=12, KEEP_TMP=1 (keep the throwaway folder with the servers' logs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export ROOT ORIGIN_PORT=18400 EDGE1_PORT=18401 EDGE2_PORT=18402 DB_PORT=54700
export ROUNDS=${ROUNDS:-3} CLIENTS=${CLIENTS:-12}
log() { printf '[restart-bench] %s\n' "$*"; }

for tool in java mvn python3 curl; do
    command -v "$tool" >/dev/null || { log "$tool is not installed"; exit 1; }
done
for port in "$ORIGIN_PORT" "$EDGE1_PORT" "$EDGE2_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then log "port $port is in use: stop what listens there"; exit 1; fi
done
TOPOLOGY_DIR=$(mktemp -d /tmp/restart-bench.XXXXXX)
export TOPOLOGY_DIR EDGE_ARGS="-Dpomf.edge.min-uses=1 -Dpomf.edge.valid=3s"
cleanup() {
    "$ROOT/server-config/topology.sh" stop >/dev/null 2>&1 || true
    if [[ -n ${KEEP_TMP:-} ]]; then log "kept $TOPOLOGY_DIR"; else rm -rf "$TOPOLOGY_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -f $ROOT/target/pomf.war && -f $ROOT/target/payara-micro.jar ]] || (cd "$ROOT" && mvn -q -B package -DskipTests)
log "starting the topology in $TOPOLOGY_DIR (origin $ORIGIN_PORT, edges $EDGE1_PORT/$EDGE2_PORT, database $DB_PORT)"
"$ROOT/server-config/topology.sh" start | sed 's/^/  /'
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), git $(cd "$ROOT" && git rev-parse --short HEAD)"
python3 "$ROOT/src/bench/restart-bench.py"
