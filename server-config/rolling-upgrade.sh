#!/usr/bin/env bash
# A rolling upgrade: a new WAR onto the edges, one edge at a time, without a failed request. For each edge:
#   1. the witness parks it (maintenance) and DNS drops its address; the script waits until the change is confirmed
#      (the witness reads the record back), then for the record's TTL, so that clients stop sending to it;
#   2. a drained stop (SIGTERM: answers in flight finish, up to pomf.delivery.drain-timeout);
#   3. a start with the new WAR, then the wait until the edge serves a canary file byte for byte (whole and ranged);
#   4. the witness revives it, and the script waits until DNS holds its address again before the next edge goes.
# A failure stops the upgrade at once and leaves that edge out of DNS: an address is never put back on an edge that
# does not serve. The edges done before keep the new WAR; run the command again once the cause is fixed.
#
#   server-config/rolling-upgrade.sh NEW_WAR
#
# Environment:
#   UPGRADE_EDGES    "name=url ...": the edges in order, each the witness's node name and the edge's own URL (where
#                    the canary is asked, not through DNS)
#   UPGRADE_CONTROL  the command that stops and starts one edge, run as "$UPGRADE_CONTROL stop-edge NAME" (a drained
#                    stop, returning once the process has ended) and "$UPGRADE_CONTROL start-edge NAME WAR" (returning
#                    once it is ready); server-config/topology.sh is one, for the local topology
#   POMF_ORIGIN_URL  the origin: the canary is uploaded there, and deleted at the end
#   POMF_ADMIN_URL   the admin API of a node with the witness role (default POMF_ORIGIN_URL), and POMF_API_TOKEN. An
#                    edge the witness does not know, or one that is not live, is upgraded without the DNS steps (said
#                    in the output) and keeps its state
#   DNS_TTL          seconds that clients may keep the record after a change (pomf.witness.dns.ttl; default 60)
#   DNS_WAIT         seconds a DNS change may take to be confirmed (default 300)
#   CANARY_WAIT      seconds a started edge has to serve the canary (default 120)
set -euo pipefail
WAR=${1:?usage: $0 NEW_WAR}
[[ -f $WAR ]] || { echo "$WAR: no such WAR" >&2; exit 2; }
WAR=$(cd "$(dirname "$WAR")" && pwd)/$(basename "$WAR")
: "${UPGRADE_EDGES:?UPGRADE_EDGES must list the edges, as name=url ...}"
: "${UPGRADE_CONTROL:?UPGRADE_CONTROL must name the command that stops and starts an edge}"
: "${POMF_ORIGIN_URL:?POMF_ORIGIN_URL must name the origin}"
ADMIN=${POMF_ADMIN_URL:-$POMF_ORIGIN_URL}
DNS_TTL=${DNS_TTL:-60}
DNS_WAIT=${DNS_WAIT:-300}
CANARY_WAIT=${CANARY_WAIT:-120}
TMP=$(mktemp -d)
DELETE_URL=
trap 'if [[ -n $DELETE_URL ]]; then curl -s -o /dev/null -X DELETE "$DELETE_URL" || true; fi; rm -rf "$TMP"' EXIT

say() { printf '[upgrade %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { say "STOPPED: $*"; exit 1; }
# A field of the JSON on stdin, by a Python expression over it (d).
field() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }

# The admin API: api METHOD PATH [BODY]; the answer's body lands in $TMP/api.json and its status in STATUS.
api() {
    STATUS=$(curl -sS -o "$TMP/api.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer ${POMF_API_TOKEN:-}" \
        -H 'Content-Type: text/plain; charset=UTF-8' ${3:+--data-binary "$3"} "$ADMIN/api/v1/$2" 2>"$TMP/api.err") \
        || STATUS=000
}

# Waits until the node's newest DNS change is ACTION (add|remove) and confirmed by reading the record back.
wait_dns() { # name action
    local deadline=$((SECONDS + DNS_WAIT)) seen
    while ((SECONDS < deadline)); do
        api GET "nodes/$1"
        if [[ $STATUS == 200 ]]; then
            seen=$(field 'next((c["action"] + " " + c["state"] + " " + (c["lastError"] or "")
                for c in d["dnsChanges"]), "none")' <"$TMP/api.json")
            [[ $seen == "$2 confirmed"* ]] && return 0
        fi
        sleep 1
    done
    fail "DNS did not confirm '$2' for $1 within ${DNS_WAIT}s (last seen: ${seen:-status $STATUS})"
}

# The canary: random bytes uploaded to the origin; every started edge must serve them whole and in a range.
canary() {
    head -c 262144 /dev/urandom >"$TMP/canary.bin"
    curl -sS -f -F "files[]=@$TMP/canary.bin;filename=rolling-upgrade-canary.bin" "$POMF_ORIGIN_URL/upload.php" \
        >"$TMP/upload.json" || fail "the canary could not be uploaded to $POMF_ORIGIN_URL"
    CANARY=$(field 'd["files"][0]["url"].rsplit("/", 1)[1]' <"$TMP/upload.json")
    DELETE_URL=$(field 'd["files"][0].get("delete_url", "")' <"$TMP/upload.json")
    dd if="$TMP/canary.bin" of="$TMP/canary.part" bs=1 skip=100000 count=50000 status=none
    say "canary /f/$CANARY (256 KiB, sha256 $(sha256sum <"$TMP/canary.bin" | cut -c1-16)...)"
}

serves_canary() { # url
    curl -s -f --max-time 20 -o "$TMP/got.bin" "$1/f/$CANARY" && cmp -s "$TMP/got.bin" "$TMP/canary.bin" \
        && curl -s -f --max-time 20 -r 100000-149999 -o "$TMP/got.part" "$1/f/$CANARY" \
        && cmp -s "$TMP/got.part" "$TMP/canary.part"
}

upgrade_one() { # name url
    local name=$1 url=$2 state dns=yes deadline
    api GET "nodes/$name"
    case $STATUS in
        200) state=$(field 'd["state"]' <"$TMP/api.json") ;;
        404) state=unknown ;;
        *) fail "the witness's API at $ADMIN answered $STATUS for node $name: $(cat "$TMP/api.json" "$TMP/api.err")" ;;
    esac
    if [[ $state != live ]]; then
        dns=no
        say "$name: $([[ $state == unknown ]] && echo "not a node of the witness" || echo "$state"), so no DNS step:" \
            "clients that still reach it see refused connections while it restarts"
    else
        api POST "nodes/$name/maintenance" "rolling upgrade to $(basename "$WAR")"
        [[ $STATUS == 200 ]] || fail "the witness refused to take $name out ($STATUS): $(cat "$TMP/api.json")"
        wait_dns "$name" remove
        say "$name: out of DNS (confirmed); waiting the record's TTL, ${DNS_TTL}s"
        sleep "$DNS_TTL"
    fi
    say "$name: drained stop"
    "$UPGRADE_CONTROL" stop-edge "$name" || fail "$name could not be stopped"
    say "$name: starting with $(basename "$WAR")"
    "$UPGRADE_CONTROL" start-edge "$name" "$WAR" || fail "$name did not start with $WAR"
    deadline=$((SECONDS + CANARY_WAIT))
    until serves_canary "$url"; do
        ((SECONDS < deadline)) || fail "$name does not serve the canary byte for byte at $url; it stays out of DNS"
        sleep 1
    done
    say "$name: serves the canary byte for byte"
    if [[ $dns == yes ]]; then
        api POST "nodes/$name/revive" "rolling upgrade to $(basename "$WAR") done"
        [[ $STATUS == 200 ]] || fail "the witness refused to revive $name ($STATUS): $(cat "$TMP/api.json")"
        wait_dns "$name" add
        say "$name: back in DNS (confirmed)"
    fi
}

say "upgrading to $WAR: ${UPGRADE_EDGES}"
canary
for edge in $UPGRADE_EDGES; do
    upgrade_one "${edge%%=*}" "${edge#*=}"
done
say "done: every edge runs $(basename "$WAR")"
