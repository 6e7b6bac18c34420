#!/usr/bin/env bash
# Moves the registry's blobs between the storage folder and a bucket (issue 16; README, "Moving the blobs") with the
# WAR's own classes (pomf.storage.boundary.MoveBlobs): every blob of the registry copied and its SHA-256 verified,
# resumable (run it again after an interruption); with --switch (every origin stopped) the bucket or folder is recorded
# as where the blobs are once all are there. It reads the service's settings: give it the service's properties file,
# and its secrets in the environment.
#
#   set -a; . /etc/pomf/secrets.env; set +a     # POMF_DB_PASSWORD, POMF_S3_ACCESS_KEY, POMF_S3_SECRET_KEY
#   WAR=/srv/pomf/pomf.war server-config/move-blobs.sh --to s3 \
#       --properties /srv/pomf/server-config/production/origin.properties
#   server-config/move-blobs.sh --to folder [--switch] [--accept-missing] [--limit BLOBS] [--report-every SECONDS]
#
# WAR: the WAR the service runs (default target/pomf.war), or an exploded one (target/pomf after mvn package); a WAR's
# WEB-INF is extracted to a temporary folder, removed at exit. JAVA (java), HEAP (512m: at most three multipart parts
# of pomf.storage.s3.part-size are held at once), JAVA_OPTS (more -D settings; they win over the properties file).
# Exit status: 0 switched (or all copied, without --switch; or already there), 1 failed, 2 wrong arguments, 3 not switched (missing or corrupt blobs,
# uploads still arriving), 4 stopped (interrupted, or at --limit).
set -euo pipefail
WAR=${WAR:-$(dirname "$0")/../target/pomf.war}
JAVA=${JAVA:-java}
if [ -d "$WAR" ]; then
  ROOT=$WAR
elif [ -f "$WAR" ]; then
  WAR=$(cd "$(dirname "$WAR")" && pwd)/$(basename "$WAR")
  ROOT=$(mktemp -d "${TMPDIR:-/tmp}/pomf-move-blobs.XXXXXX")
  trap 'rm -rf "$ROOT"' EXIT
  if command -v unzip > /dev/null; then
    unzip -q "$WAR" 'WEB-INF/*' -d "$ROOT"
  elif command -v jar > /dev/null; then
    (cd "$ROOT" && jar xf "$WAR" WEB-INF)
  elif command -v python3 > /dev/null; then
    python3 -m zipfile -e "$WAR" "$ROOT"
  else
    echo "move-blobs: unzip, jar or python3 is needed to read $WAR (or give WAR= an exploded WAR folder)" >&2
    exit 1
  fi
else
  echo "move-blobs: no WAR at $WAR (build it with mvn package, or set WAR=/srv/pomf/pomf.war)" >&2
  exit 1
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
"$JAVA" -Xmx"${HEAP:-512m}" \
  '-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$s %5$s%6$s%n' \
  ${JAVA_OPTS:-} -cp "$ROOT/WEB-INF/classes:$ROOT/WEB-INF/lib/*" pomf.storage.boundary.MoveBlobs "$@"
