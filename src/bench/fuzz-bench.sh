#!/usr/bin/env bash
# fuzz-bench.sh: every Jazzer fuzz target for longer than the suite gives it (issue 14, hostile clients).
#
# What it does: compiles the tests once, then runs each target through the pom's fuzz execution (profile
# fuzz-in-suite: its own JVM, JAZZER_FUZZ=1) for DURATION, one after the other, and prints one line per target:
# executions, seconds, executions per second, coverage (libFuzzer's cov/ft), corpus size, and the finding if there
# was one. A target stops at its first finding; the crashing input is written by Jazzer into the target's inputs
# folder, src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, where it runs as a regression test in
# every build from then on: rename it after what it shows, make it pass (test first), commit both.
# The corpus each run grows is kept in target/fuzz/.cifuzz-corpus/ and seeds the next run (until mvn clean).
#
# How to run (from anywhere): src/bench/fuzz-bench.sh [DURATION]   (default 10m a target: about 45 minutes)
#   src/bench/fuzz-bench.sh 30s                      # a quick pass
#   TARGETS="multipart range" src/bench/fuzz-bench.sh 1h
# Knobs: TARGETS (default: multipart range report-sql edge-store magic, or any *FuzzTest class's simple name), MVN_OPTS
#   (e.g. -o for offline).
# Logs: target/fuzz-bench/<target>.log (libFuzzer's own lines, the finding's stack trace).
set -euo pipefail

DURATION=${1:-10m}
TARGETS=${TARGETS:-multipart range report-sql edge-store magic}
MVN_OPTS=${MVN_OPTS:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOGS="$ROOT/target/fuzz-bench"

log() { printf '[fuzz-bench] %s\n' "$*" >&2; }

cd "$ROOT"
command -v mvn >/dev/null || { log "ERROR: mvn is not installed"; exit 1; }
mkdir -p "$LOGS"
log "compiling the tests"
# shellcheck disable=SC2086
mvn -B -q $MVN_OPTS test-compile

printf '%-12s %12s %8s %10s %8s %8s %10s  %s\n' target executions seconds "exec/s" cov ft corpus finding
for target in $TARGETS; do
    out="$LOGS/$target.log"
    log "fuzzing $target for $DURATION (log: $out)"
    status=0
    case $target in
        multipart) class=MultipartParserFuzzTest ;;
        range) class=RangeHeadersFuzzTest ;;
        report-sql) class=ReportSqlFuzzTest ;;
        edge-store) class=StoredEntriesFuzzTest ;;
        magic) class=MagicRulesFuzzTest ;;
        *) class=$target ;; # a test class's simple name
    esac
    # shellcheck disable=SC2086
    mvn -B $MVN_OPTS surefire:test@fuzz -Dfuzz.targets="$class" -Dfuzz.forks=1 -Dfuzz.duration="$DURATION" \
        >"$out" 2>&1 || status=$?
    # libFuzzer's last status line: "#1234567	DONE   cov: 211 ft: 331 corp: 67/1996b ... exec/s: 4715 ..."
    last=$(grep -aE '^#[0-9]+' "$out" | tail -1 || true)
    runs=$(grep -aoE '^Done [0-9]+ runs in [0-9]+ second' "$out" | tail -1 || true)
    executions=$(sed -E 's/^Done ([0-9]+) runs.*/\1/' <<<"$runs")
    seconds=$(sed -E 's/.* in ([0-9]+) second/\1/' <<<"$runs")
    if [[ -z "$runs" ]]; then
        executions=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
        seconds="?"
    fi
    rate=$(grep -oE 'exec/s: [0-9]+' <<<"$last" | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | awk '{print $2}')
    ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | awk '{print $2}')
    corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$last" | awk '{print $2}')
    finding="none"
    if [[ $status -ne 0 ]]; then
        finding=$(grep -aE 'FuzzTestFindingException|^== Java Exception|Caused by' "$out" | head -1 | cut -c1-160)
        artifact=$(grep -aoE "Test unit written to [^ ]+" "$out" | tail -1 | sed 's/Test unit written to //')
        [[ -n "$finding" ]] || finding="the run failed: see $out"
        [[ -z "$artifact" ]] || finding="$finding (input: ${artifact#"$ROOT"/})"
    fi
    printf '%-12s %12s %8s %10s %8s %8s %10s  %s\n' "$target" "${executions:-?}" "${seconds:-?}" "${rate:-?}" \
        "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$finding"
done
