#!/usr/bin/env bash
# edge-chaos.sh: "no wrong byte, ever" (issue 12, item 4) -- the full chaos run against one real edge.
#
# What it starts (every server on 127.0.0.1 only):
#   - an embedded PostgreSQL on CHAOS_DB_PORT (54720; edges do not use it, but Payara validates the persistence
#     unit when it deploys);
#   - the test origin (pomf.it.origin.TestOrigin, in the runner's JVM) on 18721: objects of 0 B .. 48 MiB with strong
#     ETags, faults drawn from the seed (5xx, a 404 it does not vouch for, bodies cut or stalled at a random byte,
#     throttling, a black hole, the origin stopped, faults on single objects);
#   - the edge: target/payara-micro.jar with target/pomf.war, -Dpomf.roles=edge and its origin URL and cache folder as
#     operators start it, HTTP 18720; short freshness (valid 2s: revalidations), read timeout 2s,
#     max-size 64 MiB; four phases of MINUTES/4 each: min-uses 1; min-uses 2 (entered by SIGTERM, warm store);
#     chunk-size 65,537 (SIGTERM, warm store of the other chunk size); a fresh store on a 24 MiB tmpfs, a disk tier
#     that fills up (root only; otherwise a fresh folder, said so in the table). Each phase kills the edge with
#     kill -9 half-way and starts it again on the same folders.
# Meanwhile 24 clients read whole, ranged (closed, open, suffix, near chunk boundaries, unsatisfiable), seeking,
# conditional (If-None-Match, If-Range) and abandon reads half-way; objects get new versions, vanish and come back;
# purges (DELETE /api/v1/edge/purge/{name}) hit fills in flight. Every answer is checked byte by byte.
#
# How to run (from anywhere; builds first, incrementally):
#   src/bench/edge-chaos.sh                      # 24 minutes of load (about 30 in all), a new seed
#   SEED=42 MINUTES=40 src/bench/edge-chaos.sh   # replay seed 42's choices (not its timing), longer
#   src/bench/edge-chaos.sh short                # the plan EdgeChaosIT runs (about 2 minutes)
# Knobs: SEED, MINUTES (24), THREADS (24), CHAOS_DB_PORT (54720), CHAOS_JAVA_OPTS (more JVM options).
# Output: the table (answers by kind per edge phase, origin fault, edge state and request kind), and in
# target/edge-chaos/<time>-seed<seed>/: table.txt, events.txt (every fault, change, purge, kill, restart, with times),
# problems.txt (every wrong answer, error page posing as content and 404 for an existing object: seed, time,
# request, headers, first differing offset, up to 300 of each kind per edge state), stalls.txt (answers that
# stopped without the connection closing, ended by the client's 10 s read timeout) and the edge's logs.
# Exit status: 0 when no answer was wrong and at least 200,000 answers came from a ready edge; 1 otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PLAN=${1:-full}
case $PLAN in full|short) ;; *) echo "usage: $0 [full|short]" >&2; exit 2 ;; esac
mvn -q -B package -DskipTests
if [[ ! -f target/chaos.classpath || pom.xml -nt target/chaos.classpath ]]; then
    mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/chaos.classpath
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# shellcheck disable=SC2086
exec "$JAVA" -Xmx2g -Dpomf.basedir="$(pwd)" ${SEED:+-Dchaos.seed=$SEED} -Dchaos.minutes="${MINUTES:-24}" \
    -Dchaos.threads="${THREADS:-24}" -Dchaos.db.port="${CHAOS_DB_PORT:-54720}" ${CHAOS_JAVA_OPTS:-} \
    -cp "target/test-classes:target/classes:$(cat target/chaos.classpath)" pomf.edge.chaos.ChaosCommand "$PLAN"
