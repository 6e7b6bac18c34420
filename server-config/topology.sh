#!/usr/bin/env bash
# The local topology: one origin and two edges, each its own Payara Micro on loopback, for tests, benchmarks and
# demos. The origin runs on an embedded PostgreSQL (the run command's launcher). Edges serve without the database,
# but Payara validates the persistence unit when it deploys, so they are given its address too.
#
#   server-config/topology.sh start     # builds if needed, starts all three, waits until they are ready
#   server-config/topology.sh status    # what runs where
#   server-config/topology.sh stop      # stops what start started (by PID)
#   server-config/topology.sh restart edge1 [kill]   # one edge: a drained stop (or kill -9), then its own start
#   server-config/topology.sh restart origin [kill]  # the origin the same way (kill: its Payara gets SIGKILL)
#   server-config/topology.sh upgrade NEW_WAR         # a rolling upgrade of the edges (server-config/rolling-upgrade.sh)
#   server-config/topology.sh stop-edge edge1 | start-edge edge1 [WAR]   # the upgrade's steps, one edge at a time
#
# Ports and folders (environment): ORIGIN_PORT=18100, EDGE1_PORT=18101, EDGE2_PORT=18102, DB_PORT=54400 (the
# embedded PostgreSQL), TOPOLOGY_DIR=<project>/target/topology (logs, PIDs, caches, storage, database). EDGE_ARGS
# adds -D options to the edges (e.g. EDGE_ARGS="-Dpomf.edge.valid=1m"), EDGE_GC replaces their collector option
# (-XX:+UseParallelGC; e.g. EDGE_GC="-XX:+UseG1GC -XX:G1HeapRegionSize=2m"), ORIGIN_ARGS adds options to the origin;
# CLASS_ARCHIVE=off starts edges without the class archive (see below). EDGE1_ADDRESS and EDGE2_ADDRESS (127.0.0.1)
# give each edge a loopback address of its own, as the nodes of one DNS record have; DB_URL, DB_USER and DB_PASSWORD
# point the edges' persistence unit at another database. An edge runs target/pomf.war until an upgrade gives it
# another WAR (the path is kept in <dir>/<edge>.war).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=$(pwd)
ORIGIN_PORT=${ORIGIN_PORT:-18100}
EDGE1_PORT=${EDGE1_PORT:-18101}
EDGE2_PORT=${EDGE2_PORT:-18102}
DB_PORT=${DB_PORT:-54400}
EDGE1_ADDRESS=${EDGE1_ADDRESS:-127.0.0.1}
EDGE2_ADDRESS=${EDGE2_ADDRESS:-127.0.0.1}
DB_URL=${DB_URL:-jdbc:postgresql://127.0.0.1:$DB_PORT/pomf}
DB_USER=${DB_USER:-postgres}
DB_PASSWORD=${DB_PASSWORD:-postgres}
DIR=${TOPOLOGY_DIR:-$BASE/target/topology}
TOKEN_FILE=$DIR/purge-token
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

say() { printf '[topology] %s\n' "$*"; }

wait_ready() { # name port [address]
    local i
    for ((i = 0; i < 180; i++)); do
        if curl -sf -o /dev/null "http://${3:-127.0.0.1}:$2/health/ready"; then say "$1 ready on http://${3:-127.0.0.1}:$2/"; return 0; fi
        sleep 1
    done
    say "$1 did not become ready; see $DIR/$1.log"
    return 1
}

# Class data sharing: an edge maps the classes that an earlier run of the same JDK, Payara jar and WAR parsed and
# verified, instead of doing that again (about 2.5 s of its start here). A run without the archive writes it as it
# exits after SIGTERM (-XX:ArchiveClassesAtExit, into a partial file that becomes the archive only once the JVM has
# ended by itself); every later start maps it. A JVM that cannot use it (another build) ignores it.
CDS_DIR=$DIR/class-archive
cds_archive() { # war
    local key
    key=$({ "$JAVA" -version 2>&1; stat -c '%s %Y' "$BASE/target/payara-micro.jar" "$1"; } | md5sum | cut -c1-12)
    echo "$CDS_DIR/edge-$key.jsa"
}
cds_option() { # name war (CLASS_ARCHIVE=off: neither map nor write one)
    local archive
    [[ ${CLASS_ARCHIVE:-on} != off ]] || { echo "-Xshare:auto"; return 0; }
    archive=$(cds_archive "$2")
    mkdir -p "$CDS_DIR"
    if [[ -s $archive ]]; then echo "-XX:SharedArchiveFile=$archive"; else echo "-XX:ArchiveClassesAtExit=$CDS_DIR/$1.partial"; fi
}
cds_keep() { # name: after its JVM ended by itself
    local partial=$CDS_DIR/$1.partial archive
    archive=$(cds_archive "$(edge_war "$1")")
    [[ -s $partial ]] || return 0
    if [[ -s $archive ]]; then rm -f "$partial"; else rm -f "$CDS_DIR"/edge-*.jsa; mv "$partial" "$archive"; fi
}

edge_war() { # name: the WAR the edge runs (an upgrade's, or the build's)
    if [[ -s $DIR/$1.war ]]; then cat "$DIR/$1.war"; else echo "$BASE/target/pomf.war"; fi
}

edge_port() { # name
    case $1 in edge1) echo "$EDGE1_PORT" ;; edge2) echo "$EDGE2_PORT" ;; *) echo "no edge named '$1' (edge1, edge2)" >&2; exit 2 ;; esac
}

edge_address() { # name
    case $1 in edge1) echo "$EDGE1_ADDRESS" ;; *) echo "$EDGE2_ADDRESS" ;; esac
}

start_edge() { # name port
    local name=$1 port=$2 cds war address
    war=$(edge_war "$name")
    address=$(edge_address "$name")
    mkdir -p "$DIR/$name"
    cds=$(cds_option "$name" "$war")
    # A fresh Payara root each start: a kept one redeploys the previous run's application before this one's.
    rm -rf "$DIR/$name/payara"
    # shellcheck disable=SC2086
    setsid "$JAVA" "$cds" -Xlog:cds=off -Xmx512m ${EDGE_GC:--XX:+UseParallelGC} -XX:-UseCodeCacheFlushing -XX:NmethodSweepActivity=0 -XX:MetaspaceSize=256m -Djdk.nio.maxCachedBufferSize=262144 -Djdk.httpclient.bufsize=65536 \
        -Djava.util.concurrent.ForkJoinPool.common.parallelism="$(( $(nproc) > 3 ? $(nproc) - 1 : 2 ))" \
        -Dpomf.http.address="$address" \
        -Djava.util.logging.config.file="$BASE/server-config/logging.properties" \
        -Dpomf.roles=edge -Dpomf.node.name="$name" -Dpomf.edge.origin-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.edge.cache-dir="$DIR/$name/cache" -Dpomf.public-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.db.url="$DB_URL" -Dpomf.db.user="$DB_USER" -Dpomf.db.password="$DB_PASSWORD" \
        ${EDGE_ARGS:-} \
        -jar "$BASE/target/payara-micro.jar" --deploy "$war" --contextroot / --port "$port" \
        --rootdir "$DIR/$name/payara" --prebootcommandfile "$BASE/server-config/pre-boot-commands.txt" \
        --postdeploycommandfile "$BASE/server-config/post-deploy-commands.txt" --nohazelcast \
        >"$DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/$name.pid"
}

start_origin() { # the run command's launcher: the embedded PostgreSQL, then Payara as its child
    edge_tokens
    # shellcheck disable=SC2086
    setsid mvn -q -B exec:java -Dpomf.port="$ORIGIN_PORT" -Dpomf.data.dir="$DIR/origin" \
        -Dpomf.db.port="$DB_PORT" -Dpomf.storage.dir="$DIR/origin/files" -Dpomf.public-url="http://127.0.0.1:$ORIGIN_PORT" \
        -Dpomf.node.name=origin \
        -Dpomf.origin.edges="http://$EDGE1_ADDRESS:$EDGE1_PORT,http://$EDGE2_ADDRESS:$EDGE2_PORT" ${ORIGIN_ARGS:-} \
        >>"$DIR/origin.log" 2>&1 </dev/null &
    echo $! >"$DIR/origin.pid"
}

start() {
    mkdir -p "$DIR"
    : >"$DIR/origin.log"
    if [[ -f $DIR/origin.pid ]] && kill -0 "$(cat "$DIR/origin.pid")" 2>/dev/null; then say "already running"; status; return 0; fi
    [[ -f target/pomf.war && -f target/payara-micro.jar && -d target/test-classes/pomf/run ]] \
        || mvn -q -B package -DskipTests
    [[ -f $TOKEN_FILE ]] || head -c 24 /dev/urandom | base64 | tr '+/' '-_' >"$TOKEN_FILE"
    start_origin
    wait_ready origin "$ORIGIN_PORT"
    rm -f "$DIR/edge1.war" "$DIR/edge2.war" # a whole start runs the build's WAR; an upgrade's lasts until then
    start_edge edge1 "$EDGE1_PORT"
    start_edge edge2 "$EDGE2_PORT"
    wait_ready edge1 "$EDGE1_PORT" "$EDGE1_ADDRESS" && wait_ready edge2 "$EDGE2_PORT" "$EDGE2_ADDRESS"
}

stop_one() { # name [kill]: SIGTERM (a drained stop: up to 30 s for answers in flight) or SIGKILL
    local name=$1 pid
    [[ -f $DIR/$name.pid ]] || return 0
    pid=$(cat "$DIR/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
        if [[ ${2:-} == kill ]]; then
            kill -KILL "$pid"
            rm -f "$CDS_DIR/$name.partial"
        else
            kill -TERM "$pid"
        fi
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid"
            rm -f "$CDS_DIR/$name.partial"
        elif [[ $name != origin ]]; then
            cds_keep "$name"
        fi
        say "$name stopped (pid $pid${2:+, killed})"
    fi
    rm -f "$DIR/$name.pid"
}

stop() {
    local name
    for name in edge1 edge2 origin; do stop_one "$name"; done
}

edge_tokens() { # one shared secret for the local topology: purges (origin → edges) and traffic (edges → origin)
    export POMF_EDGE_PURGE_TOKEN POMF_TRAFFIC_TOKEN
    POMF_EDGE_PURGE_TOKEN=$(cat "$TOKEN_FILE")
    POMF_TRAFFIC_TOKEN=$POMF_EDGE_PURGE_TOKEN
}

start_one() { # name [war]: starts a stopped edge (with WAR from now on, when given) and waits until it is ready
    local port
    port=$(edge_port "$1")
    if [[ -n ${2:-} ]]; then
        [[ -f $2 ]] || { echo "$2: no such WAR" >&2; exit 2; }
        (cd "$(dirname "$2")" && echo "$(pwd)/$(basename "$2")") >"$DIR/$1.war"
    fi
    edge_tokens
    start_edge "$1" "$port"
    say "$1 starting (pid $(cat "$DIR/$1.pid"), $(basename "$(edge_war "$1")")), $(tr '\0' ' ' \
        <"/proc/$(cat "$DIR/$1.pid")/cmdline" 2>/dev/null | grep -q SharedArchiveFile && echo "its classes mapped from the archive" \
        || { [[ ${CLASS_ARCHIVE:-on} == off ]] && echo "without a class archive"; } || echo "writing the class archive as it exits")"
    wait_ready "$1" "$port" "$(edge_address "$1")"
}

restart() { # edge1|edge2|origin [kill]
    local payara
    if [[ ${1:-} == origin ]]; then
        # kill: the origin's Payara dies by SIGKILL (a crash); its launcher then ends and stops the database.
        if [[ ${2:-} == kill && -f $DIR/origin.pid ]]; then
            payara=$(pgrep -P "$(cat "$DIR/origin.pid")" -f payara-micro.jar || true)
            [[ -z $payara ]] || kill -KILL "$payara"
        fi
        stop_one origin
        start_origin
        say "origin starting (launcher pid $(cat "$DIR/origin.pid"))"
        wait_ready origin "$ORIGIN_PORT"
        return
    fi
    edge_port "${1:-}" >/dev/null
    stop_one "$1" "${2:-}"
    start_one "$1"
}

upgrade() { # NEW_WAR: both edges, one at a time, through server-config/rolling-upgrade.sh
    [[ -n ${1:-} ]] || { echo "upgrade NEW_WAR" >&2; exit 2; }
    UPGRADE_EDGES="edge1=http://$EDGE1_ADDRESS:$EDGE1_PORT edge2=http://$EDGE2_ADDRESS:$EDGE2_PORT" \
        UPGRADE_CONTROL="$BASE/server-config/topology.sh" \
        POMF_ORIGIN_URL=${POMF_ORIGIN_URL:-http://127.0.0.1:$ORIGIN_PORT} \
        "$BASE/server-config/rolling-upgrade.sh" "$1"
}

status() {
    local name port
    for name in origin edge1 edge2; do
        case $name in origin) port=$ORIGIN_PORT ;; edge1) port=$EDGE1_PORT ;; edge2) port=$EDGE2_PORT ;; esac
        if [[ -f $DIR/$name.pid ]] && kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
            say "$name: pid $(cat "$DIR/$name.pid"), http://$([[ $name == origin ]] && echo 127.0.0.1 \
                || edge_address "$name"):$port/, log $DIR/$name.log$([[ $name == origin ]] || echo ", $(edge_war "$name")")"
        else
            say "$name: not running"
        fi
    done
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    restart) restart "${2:-}" "${3:-}" ;;
    stop-edge) edge_port "${2:-}" >/dev/null; stop_one "$2" ;;
    start-edge) start_one "${2:-}" "${3:-}" ;;
    upgrade) upgrade "${2:-}" ;;
    *) echo "usage: $0 start|stop|status|restart edge1|edge2|origin [kill]|upgrade NEW_WAR|stop-edge NAME|start-edge NAME [WAR]" >&2
       exit 2 ;;
esac
