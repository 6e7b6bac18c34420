#!/usr/bin/env bash
# The whole system under a traffic spike and faults, on this machine, in one command (see README, "Rehearsal"):
# PostgreSQL, BIND, one origin, three edges on 127.0.0.71-73, two witnesses; a library uploaded through the Pomf API;
# Zipf load through the edges found in DNS; kill -9 of an edge, the origin stopped, PostgreSQL restarted, the dead
# edge back cold. Prints the checks as a table and exits 0 only when every check passed.
#
#   server-config/rehearsal.sh          # quick: small files, about two minutes of load (what CI runs)
#   server-config/rehearsal.sh full     # 119 files, 1.05 GiB, the origin down for a minute (~13 min, ~6 GB disk)
#   server-config/rehearsal.sh bucket   # two origins on an S3 bucket (S3Proxy), origin A killed with kill -9 under load
#   server-config/rehearsal.sh bucket-full  # the same with the full library and uploads of up to 160 MiB
#
# Needs root (BIND and sshd run as on a server) and the packages .ci/run installs: bind9, openssh-server.
# REHEARSAL_JAVA_OPTS adds JVM options (e.g. -Dpomf.war=/elsewhere/pomf.war). Uses ports 18750-18757 (bucket: 18765, 18766)
# and 127.0.0.1, 127.0.0.71-73. Logs and data stay in target/rehearsal-* when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PLAN=${1:-quick}
case $PLAN in quick|short|full|bucket|bucket-full) ;; *) echo "usage: $0 [quick|full|bucket|bucket-full]" >&2; exit 2 ;; esac
mvn -q -B package -DskipTests # incremental: seconds when nothing changed
if [[ ! -f target/rehearsal.classpath || pom.xml -nt target/rehearsal.classpath ]]; then
    mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/rehearsal.classpath
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# shellcheck disable=SC2086
exec "$JAVA" -Xmx2g -Dpomf.basedir="$(pwd)" ${REHEARSAL_JAVA_OPTS:-} \
    -cp "target/test-classes:target/classes:$(cat target/rehearsal.classpath)" pomf.rehearsal.Rehearsal "$PLAN"
