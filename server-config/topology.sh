#!/usr/bin/env bash
# The local topology: one origin and two edges, each its own Payara Micro on loopback, for tests, benchmarks and
# demos. The origin runs on an embedded PostgreSQL (the run command's launcher). Edges serve without the database,
# but Payara validates the persistence unit when it deploys, so they are given its address too.
#
#   server-config/topology.sh start     # builds if needed, starts all three, waits until they are ready
#   server-config/topology.sh status    # what runs where
#   server-config/topology.sh stop      # stops what start started (by PID)
#
# Ports and folders (environment): ORIGIN_PORT=18100, EDGE1_PORT=18101, EDGE2_PORT=18102, DB_PORT=54400 (the
# embedded PostgreSQL), HZ_BASE=16100 (Hazelcast: origin HZ_BASE, edges HZ_BASE+1 and +2),
# TOPOLOGY_DIR=<project>/target/topology (logs, PIDs, caches, storage, database). EDGE_ARGS adds -D options to the
# edges (e.g. EDGE_ARGS="-Dpomf.edge.valid=1m"), ORIGIN_ARGS to the origin.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=$(pwd)
ORIGIN_PORT=${ORIGIN_PORT:-18100}
EDGE1_PORT=${EDGE1_PORT:-18101}
EDGE2_PORT=${EDGE2_PORT:-18102}
DB_PORT=${DB_PORT:-54400}
HZ_BASE=${HZ_BASE:-16100}
DIR=${TOPOLOGY_DIR:-$BASE/target/topology}
TOKEN_FILE=$DIR/purge-token
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

say() { printf '[topology] %s\n' "$*"; }

wait_ready() { # name port
    local i
    for ((i = 0; i < 180; i++)); do
        if curl -sf -o /dev/null "http://127.0.0.1:$2/health/ready"; then say "$1 ready on http://127.0.0.1:$2/"; return 0; fi
        sleep 1
    done
    say "$1 did not become ready; see $DIR/$1.log"
    return 1
}

# Hazelcast carries only the EJB timers here: one thread of each kind instead of up to five (about 20 threads fewer).
HZ_THREADS="-Dhazelcast.io.thread.count=1 -Dhazelcast.event.thread.count=1 -Dhazelcast.operation.thread.count=1 \
-Dhazelcast.operation.generic.thread.count=1 -Dhazelcast.operation.response.thread.count=1 -Dhazelcast.health.monitoring.level=OFF"

start_edge() { # name port hazelcast-port
    local name=$1 port=$2
    mkdir -p "$DIR/$name"
    # A fresh Payara root each start: a kept one redeploys the previous run's application before this one's.
    rm -rf "$DIR/$name/payara"
    # shellcheck disable=SC2086
    # shellcheck disable=SC2086
    setsid "$JAVA" -Xmx512m -XX:+UseParallelGC -Djdk.nio.maxCachedBufferSize=262144 -Dhazelcast.socket.bind.any=false $HZ_THREADS \
        -Dpomf.http.address=127.0.0.1 -Dpomf.hazelcast.port="$3" \
        -Djava.util.logging.config.file="$BASE/server-config/logging.properties" \
        -Dpomf.roles=edge -Dpomf.node.name="$name" -Dpomf.edge.origin-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.edge.cache-dir="$DIR/$name/cache" -Dpomf.public-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.db.url="jdbc:postgresql://127.0.0.1:$DB_PORT/pomf" -Dpomf.db.user=postgres -Dpomf.db.password=postgres \
        ${EDGE_ARGS:-} \
        -jar "$BASE/target/payara-micro.jar" --deploy "$BASE/target/pomf.war" --contextroot / --port "$port" \
        --rootdir "$DIR/$name/payara" --prebootcommandfile "$BASE/server-config/pre-boot-commands.txt" \
        --postdeploycommandfile "$BASE/server-config/post-deploy-commands.txt" --nocluster \
        >"$DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/$name.pid"
}

start() {
    mkdir -p "$DIR"
    if [[ -f $DIR/origin.pid ]] && kill -0 "$(cat "$DIR/origin.pid")" 2>/dev/null; then say "already running"; status; return 0; fi
    [[ -f target/pomf.war && -f target/payara-micro.jar && -d target/test-classes/pomf/run ]] \
        || mvn -q -B package -DskipTests
    [[ -f $TOKEN_FILE ]] || head -c 24 /dev/urandom | base64 | tr '+/' '-_' >"$TOKEN_FILE"
    export POMF_EDGE_PURGE_TOKEN POMF_TRAFFIC_TOKEN
    POMF_EDGE_PURGE_TOKEN=$(cat "$TOKEN_FILE")
    # One shared secret for the local topology: purges (origin → edges) and traffic records (edges → origin).
    POMF_TRAFFIC_TOKEN=$POMF_EDGE_PURGE_TOKEN
    # shellcheck disable=SC2086
    setsid mvn -q -B exec:java -Dpomf.port="$ORIGIN_PORT" -Dpomf.hazelcast.port="$HZ_BASE" -Dpomf.data.dir="$DIR/origin" \
        -Dpomf.db.port="$DB_PORT" -Dpomf.storage.dir="$DIR/origin/files" -Dpomf.public-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.node.name=origin \
        -Dpomf.origin.edges="http://127.0.0.1:$EDGE1_PORT,http://127.0.0.1:$EDGE2_PORT" ${ORIGIN_ARGS:-} \
        >"$DIR/origin.log" 2>&1 </dev/null &
    echo $! >"$DIR/origin.pid"
    wait_ready origin "$ORIGIN_PORT"
    start_edge edge1 "$EDGE1_PORT" $((HZ_BASE + 1))
    start_edge edge2 "$EDGE2_PORT" $((HZ_BASE + 2))
    wait_ready edge1 "$EDGE1_PORT" && wait_ready edge2 "$EDGE2_PORT"
}

stop() {
    local name pid
    for name in edge1 edge2 origin; do
        [[ -f $DIR/$name.pid ]] || continue
        pid=$(cat "$DIR/$name.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done # a drain takes up to 30 s
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
            say "$name stopped (pid $pid)"
        fi
        rm -f "$DIR/$name.pid"
    done
}

status() {
    local name port
    for name in origin edge1 edge2; do
        case $name in origin) port=$ORIGIN_PORT ;; edge1) port=$EDGE1_PORT ;; edge2) port=$EDGE2_PORT ;; esac
        if [[ -f $DIR/$name.pid ]] && kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
            say "$name: pid $(cat "$DIR/$name.pid"), http://127.0.0.1:$port/, log $DIR/$name.log"
        else
            say "$name: not running"
        fi
    done
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
