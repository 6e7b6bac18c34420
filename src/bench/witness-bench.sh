#!/usr/bin/env bash
# witness-bench.sh: how long a witness tick takes over 10, 100 and 1000 nodes (half of them silent), and how long a
# dead node's A record stays in DNS at a 1-second tick.
#
# What it starts (all on loopback, all in a throwaway folder, all stopped on exit):
#   - simulated edge nodes (src/bench/witness-bench-nodes.py): one listener per address on 127.20.x.y (part a) and
#     127.21.r.k (part b), never a wildcard address: HTTPS on :18191 (GET /health/ready → 200, a self-signed ECDSA
#     certificate whose SAN lists every simulated address, given to the witness as a PKCS12 trust store) and an SSH
#     banner ("SSH-2.0-...") on :18192. Ping: the kernel answers for every 127/8 address.
#   - a black hole for the dead nodes: a veth pair into a private network namespace (pomf-wbench), 198.19.255.1/30 on
#     our side, a permanent neighbour entry for a gateway 198.19.255.2 that does not exist, and 198.19.0.0/20 routed
#     via it. Packets leave and vanish: pings, TCP connects and TLS all TIME OUT (checked before the run), unlike
#     `ip route add blackhole`, which fails at once with EINVAL, or this sandbox's 10.x (ICMP unreachable).
#   - the witness (`mvn -q exec:java`, i.e. pomf.run.LocalRun: an embedded PostgreSQL on 54345 + Payara Micro on
#     127.0.0.1:18190), -Dpomf.roles=witness, its data in the throwaway folder. Nodes are added
#     through POST /api/v1/nodes; tick durations are read from GET /api/v1/witness/ticks.
#   - part b: BIND (named -g) on 127.0.0.1:18193 with a TSIG key (hmac-sha256) and the zone example.test.
# What it measures:
#   a. one witness tick over N = 10, 100, 1000 nodes, half alive, half black-holed, with the default deadlines
#      (HTTPS 5 s, ping 2 s, SSH 5 s), interval-seconds 10 (TICK_INTERVAL), strikes 1000 (nothing is killed), guard
#      min-failing 1000000 (a half-failing tick is never the witness's fault). Nodes are added incrementally
#      (10, then 90 more, then 900 more); for each N, the first tick over exactly N nodes is skipped (nodes added
#      during it) and the next TICKS (default 5) are measured: checkMs (the probes) and decidedAt − tick (the whole
#      tick: start of the tick's interval → checks stored and the decision committed; includes the timer's delay).
#   b. death → A record gone: interval-seconds 1, strikes 4, HTTPS/ping/SSH timeouts 1000 ms, DNS provider rfc2136
#      against the BIND above. Three records r1, r2, r3.example.test with three simulated nodes each (one simulator
#      process per node). Run k (k = 1..3) stops the simulator of node r<k>-1 (its HTTPS and SSH listeners vanish:
#      connections are refused at once; its loopback address still answers ping) and polls
#      `dig +short @127.0.0.1 -p 18193 r<k>.example.test A` every 100 ms until the address is gone. Each run uses
#      its own record so earlier strikes and kills do not bias it (max-dead is raised to 10).
#
# How to run (as root: namespaces and routes): src/bench/witness-bench.sh   (about 6 minutes on 2 cores)
# Knobs: PING_THREADS (pomf.witness.ping.threads for part a; default: the witness's 256), TICKS=5, TICK_INTERVAL=10 (seconds, part a), SIZES="10 100 1000", SIM_PROCS=2 (simulator processes for
#   part a), BENCH_TMP=/tmp, KEEP_TMP=1 (keep the throwaway folder, logs included), SKIP_A=1, SKIP_B=1.
# Exit status: 0 when every check passed, 1 when one failed, 2 when not root.
set -euo pipefail

HTTP_PORT=18190
NODE_HTTPS_PORT=18191
NODE_SSH_PORT=18192
DNS_PORT=18193
DB_PORT=54345
TICKS=${TICKS:-5}
TICK_INTERVAL=${TICK_INTERVAL:-10}
SIZES=${SIZES:-10 100 1000}
SIM_PROCS=${SIM_PROCS:-2}
DEATH_RUNS=3
NS=pomf-wbench
LINK=pomfwb0
PEER=pomfwb1
LINK_ADDRESS=198.19.255.1/30
GATEWAY=198.19.255.2
BLACK_HOLE=198.19.0.0/20
ZONE=example.test
KEY_NAME=pomf-witness-bench
TOKEN=bench-$RANDOM$RANDOM$RANDOM

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=$ROOT/src/bench
BENCH_TMP=${BENCH_TMP:-/tmp}
API=http://127.0.0.1:$HTTP_PORT/api/v1

log() { printf '[witness-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ns() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n 1; }
START_NS=$(now_ns)
FAILURES=()
fail() { FAILURES+=("$*"); log "CHECK FAILED: $*"; }

# --- preconditions --------------------------------------------------------------------------------------------------
if [[ $(id -u) != 0 ]]; then
    log "needs root (a network namespace, a veth pair and a route for the black-holed nodes; ICMP pings); run it as root"
    exit 2
fi
for tool in ip named tsig-keygen dig openssl keytool python3 curl mvn java awk setsid timeout; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install iproute2 bind9 bind9-dnsutils openssl default-jdk-headless maven curl)"
done
[[ $TICKS =~ ^[1-9][0-9]*$ ]] || die "TICKS must be a positive whole number"
[[ $TICK_INTERVAL =~ ^[1-9][0-9]*$ ]] || die "TICK_INTERVAL must be a positive whole number of seconds"
busy=()
for port in "$HTTP_PORT" "$NODE_HTTPS_PORT" "$NODE_SSH_PORT" "$DNS_PORT" "$DB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy+=("$port"); fi
done
((${#busy[@]} == 0)) || die "port(s) ${busy[*]} already in use on 127.0.0.1"
if ip netns list | grep -qw "$NS" || ip link show "$LINK" >/dev/null 2>&1; then
    die "network namespace $NS or link $LINK already exists (another run?); not touching it"
fi

if [[ ! -f $ROOT/target/pomf.war || ! -f $ROOT/target/payara-micro.jar || ! -d $ROOT/target/test-classes/pomf/run ]]; then
    log "building (mvn -q package -DskipTests)"
    (cd "$ROOT" && mvn -q -B package -DskipTests)
fi

# --- cleanup: only what this run started ----------------------------------------------------------------------------
TMP=''
NET_MADE=0
WITNESS_PID=''
NAMED_PID=''
SIM_PIDS=()
declare -A NODE_PID=()   # part b: node name -> simulator pid

stop_pid() { # name pid seconds: TERM, wait, then KILL (the process group when the process leads one: setsid)
    local name=$1 pid=$2 secs=$3 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < secs * 5; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop in $secs s: killing it"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true   # its exit status (143 after TERM) is not ours
    return 0
}

stop_witness() {
    [[ -n $WITNESS_PID ]] || return 0
    # mvn exec:java runs LocalRun, whose shutdown hook stops Payara Micro, then PostgreSQL.
    stop_pid witness "$WITNESS_PID" 60
    # Anything of its process group still alive (Payara, postgres) after the launcher is gone.
    if pgrep -g "$WITNESS_PID" >/dev/null 2>&1; then
        sleep 3
        if pgrep -g "$WITNESS_PID" >/dev/null 2>&1; then
            log "left over in the witness's process group $WITNESS_PID: $(pgrep -g "$WITNESS_PID" | tr '\n' ' ')killing them"
            kill -KILL -- "-$WITNESS_PID" 2>/dev/null
        fi
    fi
    WITNESS_PID=''
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_witness
    stop_pid named "$NAMED_PID" 10
    local pid
    for pid in "${SIM_PIDS[@]}" "${NODE_PID[@]}"; do stop_pid simulator "$pid" 5; done
    if ((NET_MADE)); then
        ip link del "$LINK" 2>/dev/null   # takes its peer and the route with it
        ip netns del "$NS" 2>/dev/null
        log "removed link $LINK, namespace $NS and the route to $BLACK_HOLE"
    fi
    if [[ -n $TMP && -d $TMP ]]; then
        if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    fi
    log "total runtime $((($(now_ns) - START_NS) / 1000000000)) s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d "$BENCH_TMP/witness-bench.XXXXXX")
log "throwaway folder: $TMP"

# --- addresses, certificate, trust store ----------------------------------------------------------------------------
MAX_N=0
for n in $SIZES; do ((n > MAX_N)) && MAX_N=$n; done
LIVE_COUNT=$(((MAX_N + 1) / 2))
DEAD_COUNT=$((MAX_N / 2))
((LIVE_COUNT <= 250 * 16 && DEAD_COUNT <= 250 * 16)) || die "at most 8000 nodes"
live_address() { echo "127.20.$(($1 / 250)).$(($1 % 250 + 1))"; }   # i = 0, 1, ...
dead_address() { echo "198.19.$(($1 / 250)).$(($1 % 250 + 1))"; }
b_address() { echo "127.21.$1.$2"; }                                  # record r, node k
: >"$TMP/live.txt"
for ((i = 0; i < LIVE_COUNT; i++)); do live_address "$i" >>"$TMP/live.txt"; done
{
    echo "[req]"; echo "distinguished_name = dn"; echo "x509_extensions = ext"; echo "prompt = no"
    echo "[dn]"; echo "CN = pomf-witness-bench"
    echo "[ext]"; echo "subjectAltName = @san"; echo "basicConstraints = critical, CA:FALSE"
    echo "[san]"
    j=1
    while read -r a; do echo "IP.$j = $a"; j=$((j + 1)); done <"$TMP/live.txt"
    for r in 1 2 3; do for k in 1 2 3; do echo "IP.$j = $(b_address "$r" "$k")"; j=$((j + 1)); done; done
} >"$TMP/cert.cnf"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -config "$TMP/cert.cnf" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null || die "openssl could not make the certificate"
TRUST_PASSWORD=bench-trust
keytool -importcert -noprompt -alias pomf-witness-bench -file "$TMP/cert.pem" -keystore "$TMP/trust.p12" \
    -storetype PKCS12 -storepass "$TRUST_PASSWORD" >/dev/null 2>&1 || die "keytool could not write the trust store"

# --- the black hole -------------------------------------------------------------------------------------------------
NET_MADE=1
ip netns add "$NS"
ip link add "$LINK" type veth peer name "$PEER" netns "$NS"
ip addr add "$LINK_ADDRESS" dev "$LINK"
ip link set "$LINK" up
ip -n "$NS" link set "$PEER" up
ip neigh replace "$GATEWAY" lladdr 02:00:00:00:19:02 dev "$LINK" nud permanent
ip route replace "$BLACK_HOLE" via "$GATEWAY" dev "$LINK"
t0=$(now_ns)
if timeout 2 bash -c "exec 3<>/dev/tcp/$(dead_address 0)/$NODE_HTTPS_PORT" 2>/dev/null; then
    die "a black-holed address accepted a connection"
fi
connect_ms=$((($(now_ns) - t0) / 1000000))
((connect_ms >= 1900)) || die "a connect to a black-holed address ended after $connect_ms ms instead of timing out"
ping_out=$(ping -c 1 -W 1 "$(dead_address 0)" 2>&1 || true)
[[ $ping_out == *"1 received"* ]] && die "a black-holed address answered ping"
log "black hole: a TCP connect to $(dead_address 0) was still pending after $connect_ms ms; ping: no reply"

# --- simulators for part a ------------------------------------------------------------------------------------------
start_sim() { # address-file log -> pid in SIM_LAST; waits for "ready"
    local file=$1 out=$2 i
    setsid python3 "$BENCH/witness-bench-nodes.py" "$file" "$NODE_HTTPS_PORT" "$NODE_SSH_PORT" "$TMP/cert.pem" \
        "$TMP/key.pem" >"$out" 2>&1 &
    SIM_LAST=$!
    for ((i = 0; i < 300; i++)); do
        grep -q '^ready' "$out" 2>/dev/null && return 0
        kill -0 "$SIM_LAST" 2>/dev/null || die "simulator for $file exited: $(tail -n 5 "$out")"
        sleep 0.1
    done
    die "simulator for $file not ready after 30 s"
}
SIM_LAST=''

# --- the witness ----------------------------------------------------------------------------------------------------
start_witness() { # data-dir log -D... : starts and waits for /health/ready
    local data=$1 out=$2 i
    shift 2
    mkdir -p "$data"
    (cd "$ROOT" && exec setsid mvn -q -B exec:java -Dpomf.roles=witness -Dpomf.api.token="$TOKEN" \
        -Dpomf.port="$HTTP_PORT" -Dpomf.data.dir="$data" -Dpomf.storage.dir="$data/files" -Dpomf.db.port="$DB_PORT" \
        -Dpomf.witness.name=bench "$@") >"$out" 2>&1 &
    WITNESS_PID=$!
    for ((i = 0; i < 1800; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/health/ready" 2>/dev/null) == 200 ]]; then
            log "witness ready after $((i / 10)) s (pid $WITNESS_PID, log $out)"
            return 0
        fi
        kill -0 "$WITNESS_PID" 2>/dev/null || die "the witness exited: $(tail -n 20 "$out")"
        sleep 0.1
    done
    die "the witness was not ready after 180 s: $(tail -n 20 "$out")"
}

add_nodes() { # TSV file name<TAB>address<TAB>sshPort<TAB>record: POST /api/v1/nodes each
    python3 - "$1" "$API/nodes" "$TOKEN" "$NODE_HTTPS_PORT" <<'EOF'
import json, sys, urllib.request
path, url, token, https_port = sys.argv[1:5]
for line in open(path):
    name, address, ssh_port, record = line.split()
    body = json.dumps({"name": name, "address": address, "checkUrl": f"https://{address}:{https_port}/health/ready",
                       "sshPort": int(ssh_port), "record": record}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        if answer.status != 201:
            sys.exit(f"POST {name}: HTTP {answer.status}")
EOF
}

# ticks N SKIP COUNT: waits until COUNT ticks over exactly N nodes have been decided after the first SKIP of them;
# prints one line per tick: checkMs wholeMs failed strikes kills
ticks() {
    python3 - "$API/witness/ticks?limit=1000" "$TOKEN" "$@" <<'EOF'
import datetime, json, sys, time, urllib.request
url, token, n, skip, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
deadline = time.time() + 60 + (skip + count + 2) * 60
while True:
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        rows = json.load(answer)["ticks"]
    rows = sorted((r for r in rows if r.get("nodes") == n and r.get("decidedAt")), key=lambda r: r["tick"])
    if len(rows) >= skip + count:
        for r in rows[skip:skip + count]:
            whole = (when(r["decidedAt"]) - when(r["tick"])).total_seconds() * 1000
            print(r["checkMs"], round(whole), r["failed"], r["strikes"], r["kills"], r["tick"])
        break
    if time.time() > deadline:
        sys.exit(f"only {len(rows)} ticks over {n} nodes after waiting")
    time.sleep(1)
EOF
}

api_get() { curl -fsS -H "Authorization: Bearer $TOKEN" "$API/$1"; }

# === part a ==========================================================================================================
declare -A A_CHECK_MED=() A_CHECK_MAX=() A_WHOLE_MED=() A_WHOLE_MAX=() A_FAILED=()
if [[ ${SKIP_A:-0} != 1 ]]; then
    log "part a: starting $SIM_PROCS simulator process(es) for $LIVE_COUNT live addresses"
    split -n "l/$SIM_PROCS" -d "$TMP/live.txt" "$TMP/live-part."
    for part in "$TMP"/live-part.*; do
        [[ -s $part ]] || continue
        start_sim "$part" "$part.log"
        SIM_PIDS+=("$SIM_LAST")
    done
    start_witness "$TMP/a" "$TMP/witness-a.log" \
        -Dpomf.witness.interval-seconds="$TICK_INTERVAL" -Dpomf.witness.strikes=1000 \
        -Dpomf.witness.guard.min-failing=1000000 -Dpomf.witness.dns.provider=none \
        -Dpomf.witness.https.trust-store="$TMP/trust.p12" -Dpomf.witness.https.trust-store-password="$TRUST_PASSWORD" \
        ${PING_THREADS:+-Dpomf.witness.ping.threads=$PING_THREADS}
    added=0
    for n in $SIZES; do
        : >"$TMP/nodes-$n.tsv"
        for ((i = added; i < n; i++)); do
            if ((i % 2 == 0)); then address=$(live_address $((i / 2))); else address=$(dead_address $((i / 2))); fi
            printf 'n%05d\t%s\t%s\tbench.%s\n' "$i" "$address" "$NODE_SSH_PORT" "$ZONE" >>"$TMP/nodes-$n.tsv"
        done
        t0=$(now_ns)
        add_nodes "$TMP/nodes-$n.tsv"
        log "part a: $n nodes ($((n - added)) added in $((($(now_ns) - t0) / 1000000)) ms); waiting for 1 + $TICKS ticks of $TICK_INTERVAL s"
        added=$n
        ticks "$n" 1 "$TICKS" >"$TMP/ticks-$n.txt" || die "no ticks over $n nodes"
        mapfile -t checks < <(awk '{ print $1 }' "$TMP/ticks-$n.txt")
        mapfile -t wholes < <(awk '{ print $2 }' "$TMP/ticks-$n.txt")
        A_CHECK_MED[$n]=$(median "${checks[@]}"); A_CHECK_MAX[$n]=$(maximum "${checks[@]}")
        A_WHOLE_MED[$n]=$(median "${wholes[@]}"); A_WHOLE_MAX[$n]=$(maximum "${wholes[@]}")
        A_FAILED[$n]=$(awk '{ printf "%s ", $3 }' "$TMP/ticks-$n.txt")
        log "part a: N=$n ticks (checkMs wholeMs failed strikes kills tick): $(tr '\n' ';' <"$TMP/ticks-$n.txt")"
        expected=$((n / 2))
        while read -r _ _ failed _ kills _; do
            ((failed == expected)) || { fail "N=$n: a tick had $failed failing nodes, expected $expected (the dead half)"; break; }
            ((kills == 0)) || { fail "N=$n: a tick killed $kills nodes"; break; }
        done <"$TMP/ticks-$n.txt"
    done
    faults=$(api_get "witness/faults?limit=1000" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["faults"]))')
    A_FAULTS=$faults
    ((faults == 0)) || fail "part a: $faults witness fault(s) recorded (GET /api/v1/witness/faults)"
    skipped=$(grep -c 'the previous tick is still running' "$TMP/witness-a.log" || true)
    ((skipped == 0)) || fail "part a: $skipped tick(s) skipped because the previous one was still running"
    A_LOG_WARN=$(grep -c -E 'WARNING|SEVERE' "$TMP/witness-a.log" || true)
    mkdir -p "$ROOT/target/witness-bench-logs" && cp "$TMP/witness-a.log" "$ROOT/target/witness-bench-logs/"
    stop_witness
    for pid in "${SIM_PIDS[@]}"; do stop_pid simulator "$pid" 5; done
    SIM_PIDS=()
fi

# === part b ==========================================================================================================
DEATH_MS=()
if [[ ${SKIP_B:-0} != 1 ]]; then
    log "part b: BIND on 127.0.0.1:$DNS_PORT, nine simulated nodes, a witness at a 1-second tick"
    B=$TMP/bind
    mkdir -p "$B"
    SECRET=$(tsig-keygen -a hmac-sha256 "$KEY_NAME" | sed -n 's/.*secret "\(.*\)";.*/\1/p')
    [[ -n $SECRET ]] || die "tsig-keygen gave no secret"
    cat >"$B/named.conf" <<EOF
// witness-bench.sh: authoritative only, on loopback only, every file inside this folder.
key "$KEY_NAME" { algorithm hmac-sha256; secret "$SECRET"; };
controls { };
options {
    directory "$B";
    pid-file "$B/named.pid";
    session-keyfile "$B/session.key";
    managed-keys-directory "$B";
    listen-on port $DNS_PORT { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
};
zone "$ZONE" {
    type primary;
    file "db.$ZONE";
    update-policy { grant $KEY_NAME zonesub A AAAA TXT; };
};
EOF
    {
        # shellcheck disable=SC2016 # $TTL and $ORIGIN are zone file directives
        printf '$TTL 60\n$ORIGIN %s.\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 127.0.0.1\n' "$ZONE"
        for r in 1 2 3; do for k in 1 2 3; do echo "r$r IN A $(b_address "$r" "$k")"; done; done
    } >"$B/db.$ZONE"
    setsid named -g -4 -c "$B/named.conf" >"$TMP/named.log" 2>&1 &
    NAMED_PID=$!
    for ((i = 0; i < 100; i++)); do
        [[ -n $(dig +short +time=1 +tries=1 @127.0.0.1 -p "$DNS_PORT" "r1.$ZONE" A 2>/dev/null) ]] && break
        kill -0 "$NAMED_PID" 2>/dev/null || die "named exited: $(tail -n 20 "$TMP/named.log")"
        sleep 0.1
    done
    [[ $(dig +short @127.0.0.1 -p "$DNS_PORT" "r1.$ZONE" A | wc -l) == 3 ]] || die "BIND does not serve r1.$ZONE"
    : >"$TMP/nodes-b.tsv"
    for r in 1 2 3; do
        for k in 1 2 3; do
            address=$(b_address "$r" "$k")
            echo "$address" >"$TMP/b-$r-$k.txt"
            start_sim "$TMP/b-$r-$k.txt" "$TMP/b-$r-$k.log"
            NODE_PID[r$r-$k]=$SIM_LAST
            printf 'r%s-%s\t%s\t%s\tr%s.%s\n' "$r" "$k" "$address" "$NODE_SSH_PORT" "$r" "$ZONE" >>"$TMP/nodes-b.tsv"
        done
    done
    POMF_WITNESS_DNS_RFC2136_KEY_SECRET=$SECRET start_witness "$TMP/b" "$TMP/witness-b.log" \
        -Dpomf.witness.interval-seconds=1 -Dpomf.witness.strikes=4 -Dpomf.witness.max-dead=10 \
        -Dpomf.witness.guard.min-failing=1000000 \
        -Dpomf.witness.https.timeout-ms=1000 -Dpomf.witness.ping.timeout-ms=1000 -Dpomf.witness.ssh.timeout-ms=1000 \
        -Dpomf.witness.https.trust-store="$TMP/trust.p12" -Dpomf.witness.https.trust-store-password="$TRUST_PASSWORD" \
        -Dpomf.witness.dns.provider=rfc2136 -Dpomf.witness.dns.rfc2136.server="127.0.0.1:$DNS_PORT" \
        -Dpomf.witness.dns.rfc2136.zone="$ZONE" -Dpomf.witness.dns.rfc2136.key-name="$KEY_NAME" \
        -Dpomf.witness.dns.rfc2136.key-algorithm=hmac-sha256
    add_nodes "$TMP/nodes-b.tsv"
    # Three clean ticks over all nine nodes before the first death.
    ticks 9 0 3 >"$TMP/ticks-b-warm.txt" || die "no ticks over the nine nodes"
    awk '$3 != 0 { bad = 1 } END { exit bad }' "$TMP/ticks-b-warm.txt" \
        || fail "part b: failing nodes before any was stopped: $(tr '\n' ';' <"$TMP/ticks-b-warm.txt")"
    for ((run = 1; run <= DEATH_RUNS; run++)); do
        victim=r$run-1
        address=$(b_address "$run" 1)
        record=r$run.$ZONE
        [[ $(dig +short @127.0.0.1 -p "$DNS_PORT" "$record" A) == *"$address"* ]] || die "$address is not in $record before the run"
        # Start at a random point of the tick, as a real death would.
        sleep "0.$((RANDOM % 10))"
        kill -TERM "${NODE_PID[$victim]}"
        t0=$(now_ns)
        wait "${NODE_PID[$victim]}" 2>/dev/null || true
        gone=0
        polls=0
        while (($(now_ns) - t0 < 60000000000)); do
            polls=$((polls + 1))
            if [[ $(dig +short +time=1 +tries=1 @127.0.0.1 -p "$DNS_PORT" "$record" A) != *"$address"* ]]; then
                gone=1
                break
            fi
            sleep 0.1
        done
        ms=$((($(now_ns) - t0) / 1000000))
        NODE_PID[$victim]=''
        if ((gone)); then
            DEATH_MS+=("$ms")
            left=$(dig +short @127.0.0.1 -p "$DNS_PORT" "$record" A | sort | tr '\n' ' ')
            log "part b run $run: $victim ($address) stopped; gone from $record after $ms ms ($polls polls); left: $left"
            [[ $(wc -w <<<"$left") == 2 ]] || fail "part b run $run: $record holds '$left', expected the two live nodes"
        else
            fail "part b run $run: $address still in $record after 60 s"
            DEATH_MS+=("-")
        fi
    done
    events=$(api_get "witness/events?limit=50" | python3 -c '
import json, sys
for e in reversed(json.load(sys.stdin)["events"]):
    print(e.get("at"), e.get("node"), e.get("kind"), "-", (e.get("reason") or "")[:120])')
    log "part b: node events:"$'\n'"$events"
    mkdir -p "$ROOT/target/witness-bench-logs" && cp "$TMP/witness-b.log" "$TMP/named.log" "$ROOT/target/witness-bench-logs/"
    B_LOG_WARN=$(grep -c -E 'WARNING|SEVERE' "$TMP/witness-b.log" || true)
    stop_witness
fi

# === report ==========================================================================================================
line() { printf '%s\n' '------------------------------------------------------------------------------------------------'; }
line
echo "witness-bench $(date '+%F %T') on $(nproc) cores, $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'); WAR built $(date -r "$ROOT/target/pomf.war" '+%F %T')"
line
if [[ ${SKIP_A:-0} != 1 ]]; then
    echo "a. one witness tick, half the nodes alive (HTTPS 200 + SSH banner + ping on 127.20.x.y), half black-holed (every check"
    echo "   times out); deadlines HTTPS 5000 / ping 2000 / SSH 5000 ms (defaults), interval $TICK_INTERVAL s, strikes 1000;"
    echo "   $TICKS ticks per N after one unmeasured; whole = decidedAt - tick (interval start -> results stored and decided)"
    printf '%6s %14s %12s %14s %12s   %s\n' nodes "checkMs median" "checkMs max" "whole median" "whole max" "failing nodes per tick"
    for n in $SIZES; do
        printf '%6s %14s %12s %14s %12s   %s\n' "$n" "${A_CHECK_MED[$n]:-?}" "${A_CHECK_MAX[$n]:-?}" \
            "${A_WHOLE_MED[$n]:-?}" "${A_WHOLE_MAX[$n]:-?}" "${A_FAILED[$n]:-?}"
    done
    echo "   witness faults in part a: ${A_FAULTS:-?} (a faulted tick records no strikes: its failing count reads 0);" \
        "ping threads ${PING_THREADS:-256 (default)}"
    grep -o 'witness fault in tick [^;]*' "$ROOT/target/witness-bench-logs/witness-a.log" | sed 's/^/     /' | cut -c1-150 || true
    echo "   witness log (part a): ${A_LOG_WARN:-?} WARNING/SEVERE lines"
    line
fi
if [[ ${SKIP_B:-0} != 1 ]]; then
    echo "b. node death -> its A record gone from BIND (rfc2136 + TSIG), interval 1 s, strikes 4, timeouts 1000 ms;"
    echo "   death = the node's simulator stopped (HTTPS and SSH refused at once, ping still answers on loopback);"
    echo "   polled with dig every 100 ms"
    printf '%6s %10s\n' run "ms"
    for ((run = 1; run <= ${#DEATH_MS[@]}; run++)); do printf '%6s %10s\n' "$run" "${DEATH_MS[run - 1]}"; done
    ok=()
    for v in "${DEATH_MS[@]}"; do [[ $v == - ]] || ok+=("$v"); done
    ((${#ok[@]})) && printf '%6s %10s\n' median "$(median "${ok[@]}")"
    echo "   witness log (part b): ${B_LOG_WARN:-?} WARNING/SEVERE lines"
    line
fi
echo "logs kept in $ROOT/target/witness-bench-logs"
if ((${#FAILURES[@]})); then
    echo "CHECKS FAILED (${#FAILURES[@]}):"
    printf '  - %s\n' "${FAILURES[@]}"
    exit 1
fi
echo "all checks passed"
