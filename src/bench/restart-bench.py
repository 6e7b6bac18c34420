#!/usr/bin/env python3
"""restart-bench.py: the measuring half of restart-bench.sh (read its header). Stdlib only.

Given a running local topology (server-config/topology.sh, the ports in the environment), it uploads the objects,
warms them on both edges, then restarts edge1 through `topology.sh restart` and times each start from the new JVM's
own start time (/proc/<pid>/stat) to its port opening, /health/ready answering 200 and a cached object served
byte for byte; idle, then under a client load on both edges (every answer checked), then with kill -9; and a
download on a slow link across a SIGTERM (the drain).
"""
import hashlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.environ["ROOT"]
TOPOLOGY = os.path.join(ROOT, "server-config", "topology.sh")
DIR = os.environ["TOPOLOGY_DIR"]
ORIGIN = int(os.environ["ORIGIN_PORT"])
EDGES = [int(os.environ["EDGE1_PORT"]), int(os.environ["EDGE2_PORT"])]
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CLIENTS = int(os.environ.get("CLIENTS", "12"))
SIZES = [1, 700, 4096, 65_537, 1 << 20, 3 << 20, 24 << 20]
TICK = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[restart-bench] {message}", flush=True)


def upload(data, name):
    boundary = "----restartbench" + hashlib.sha1(data[:64] + name.encode()).hexdigest()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{ORIGIN}/upload.php", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        reply = json.load(answer)
    return reply["files"][0]["url"].rsplit("/", 1)[1]


class Cut(OSError):
    """An answer that began and ended before its last byte."""


def get(port, path, headers=None, timeout=10):
    """(status, headers dict, body), or an OSError: refused, reset before an answer, timeout, or Cut."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body
    except http.client.IncompleteRead as e:
        raise Cut(f"cut after {len(e.partial)} bytes") from e
    except http.client.RemoteDisconnected:
        raise  # a ConnectionResetError: closed before a status line
    except http.client.HTTPException as e:
        raise Cut(str(e)) from e
    finally:
        connection.close()


def warm(port, name):
    for _ in range(10):
        status, headers, _ = get(port, f"/f/{name}")
        if status == 200 and headers.get("x-cache-status") == "HIT":
            return
    raise SystemExit(f"{name} never became a HIT on {port}")


def jvm_start(pid):
    """Epoch seconds at which the process started (field 22 of /proc/<pid>/stat, ticks since boot)."""
    with open(f"/proc/{pid}/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return time.time() - uptime + ticks / TICK


def pid_of(name):
    try:
        with open(os.path.join(DIR, f"{name}.pid")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def restart(kill=False, objects=None, archive=True):
    """Restarts edge1 and times its start; returns a dict of seconds (port, ready, serving) from the JVM's start."""
    old = pid_of("edge1")
    command = [TOPOLOGY, "restart", "edge1"] + (["kill"] if kill else [])
    env = dict(os.environ, CLASS_ARCHIVE="on" if archive else "off")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    pid = None
    while pid is None or pid == old:
        pid = pid_of("edge1")
        if proc.poll() is not None and (pid is None or pid == old):
            raise SystemExit("topology.sh restart ended without a new edge:\n" + proc.stdout.read())
        time.sleep(0.02)
    started = jvm_start(pid)
    name, data = objects
    times = {}
    while "serving" not in times:
        now = time.time()
        try:
            socket.create_connection(("127.0.0.1", EDGES[0]), timeout=1).close()
            times.setdefault("port", now - started)
            status, _, _ = get(EDGES[0], "/health/ready", timeout=2)
            if status == 200:
                times.setdefault("ready", time.time() - started)
            status, _, body = get(EDGES[0], f"/f/{name}", timeout=5)
            if status == 200 and body == data:
                times["serving"] = time.time() - started
            elif status != 503:
                times.setdefault("bad", f"{status}")
        except OSError:
            pass
        if now - started > 300:
            raise SystemExit("edge1 did not serve within 300 s of its start")
        time.sleep(0.05)
    proc.wait()
    times["archive"] = "mapped" if "SharedArchiveFile" in open(f"/proc/{pid}/cmdline").read() else "none"
    return times


def origin_payara(launcher):
    """The pid of the origin's Payara, the launcher's child (the run command's shape)."""
    out = subprocess.run(["pgrep", "-P", str(launcher), "-f", "payara-micro.jar"], capture_output=True, text=True)
    return int(out.stdout.split()[0]) if out.stdout.split() else None


def restart_origin(kill, objects):
    """Restarts the origin (drained, or its Payara killed) and times its start like an edge's: port, ready, serving."""
    old = origin_payara(pid_of("origin"))
    proc = subprocess.Popen([TOPOLOGY, "restart", "origin"] + (["kill"] if kill else []), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    pid = None
    while pid is None or pid == old:
        launcher = pid_of("origin")
        pid = origin_payara(launcher) if launcher else None
        if proc.poll() is not None and (pid is None or pid == old):
            raise SystemExit("topology.sh restart origin ended without a new origin:\n" + proc.stdout.read())
        time.sleep(0.02)
    started = jvm_start(pid)
    name, data = objects
    times = {}
    while "serving" not in times:
        now = time.time()
        try:
            socket.create_connection(("127.0.0.1", ORIGIN), timeout=1).close()
            times.setdefault("port", now - started)
            status, _, _ = get(ORIGIN, "/health/ready", timeout=2)
            if status == 200:
                times.setdefault("ready", time.time() - started)
            status, _, body = get(ORIGIN, f"/f/{name}", timeout=5)
            if status == 200 and body == data:
                times["serving"] = time.time() - started
            elif status != 503:
                times.setdefault("bad", f"{status}")
        except OSError:
            pass
        if now - started > 300:
            raise SystemExit("the origin did not serve within 300 s of its start")
        time.sleep(0.05)
    proc.wait()
    times["archive"] = "mapped" if "SharedArchiveFile" in open(f"/proc/{pid}/cmdline").read() else "none"
    return times


class Load:
    """CLIENTS threads asking both edges for every object, whole or a range; every answer checked."""

    def __init__(self, objects, origin=False):
        """origin: a third of the clients ask the origin itself, and two more upload small files to it."""
        self.objects = objects
        self.ports = EDGES + [ORIGIN] if origin else EDGES
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = {}
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(CLIENTS)]
        if origin:
            self.threads += [threading.Thread(target=self.uploads, args=(i,), daemon=True) for i in range(2)]

    def count(self, what):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def run(self, index):
        rnd = random.Random(index)
        while not self.stop.is_set():
            port = rnd.choice(self.ports)
            where = "origin: " if port == ORIGIN else ""
            name, data = rnd.choice(self.objects)
            headers = {}
            start = end = None
            if len(data) > 1 and rnd.random() < 0.4:
                start = rnd.randrange(len(data))
                end = min(len(data) - 1, start + rnd.randrange(1, 2 << 20))
                headers["Range"] = f"bytes={start}-{end}"
            try:
                status, got, body = get(port, f"/f/{name}", headers)
            except ConnectionRefusedError:
                self.count(where + "refused")
                time.sleep(0.05)
                continue
            except Cut:
                self.count(where + "cut mid-answer")
                continue
            except socket.timeout:
                self.count(where + "timeout")
                continue
            except OSError:
                # Reset before any byte of an answer: e.g. waiting in the accept queue of a port that closed.
                self.count(where + "reset before an answer")
                time.sleep(0.05)
                continue
            if status == 200 and start is None:
                self.count(where + ("ok" if body == data else "wrong body"))
            elif status == 206 and start is not None:
                right = got.get("content-range") == f"bytes {start}-{end}/{len(data)}" and body == data[start:end + 1]
                self.count(where + ("ok" if right else "wrong body"))
            elif status == 200:
                self.count(where + ("ok" if body == data else "wrong body"))
            elif status == 404:
                self.count(where + "404 for an existing object")
            elif status == 503:
                self.count(where + "503")
            else:
                self.count(where + f"status {status}")

    def uploads(self, index):
        """Small uploads to the origin: each answered 200 with its link, or refused/503 while it restarts."""
        rnd = random.Random(1000 + index)
        while not self.stop.is_set():
            data = rnd.randbytes(rnd.randrange(1, 65536))
            try:
                name = upload(data, f"restart-load-{index}.bin")
                status, _, body = get(ORIGIN, f"/f/{name}")
                self.count("upload: ok" if status == 200 and body == data else f"upload: then read back {status}")
            except urllib.error.HTTPError as e:
                self.count("upload: 404 for the upload endpoint" if e.code == 404 else f"upload: status {e.code}")
            except ConnectionRefusedError:
                self.count("upload: refused")
            except (OSError, http.client.HTTPException, urllib.error.URLError) as e:
                reason = getattr(e, "reason", e)
                self.count("upload: refused" if isinstance(reason, ConnectionRefusedError)
                           else "upload: reset or cut")
            time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)


def drain(objects):
    """A 24 MiB download at 2 MB/s from edge1, SIGTERM 3 s into it: what the client got, and when the JVM ended."""
    name, data = objects
    pid = pid_of("edge1")
    sock = socket.create_connection(("127.0.0.1", EDGES[0]), timeout=30)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    sock.sendall(f"GET /f/{name} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            break
        head += chunk
    body = bytearray()
    started = time.time()
    signalled = None
    rate = 2_000_000
    while len(body) < len(data):
        try:
            chunk = sock.recv(16384)
        except OSError:
            break
        if not chunk:
            break
        body += chunk
        if signalled is None and time.time() - started >= 3:
            os.kill(pid, 15)
            signalled = time.time()
        due = started + len(body) / rate
        if due > time.time():
            time.sleep(due - time.time())
    sock.close()
    while os.path.exists(f"/proc/{pid}"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except OSError:
            break
        time.sleep(0.05)
    ended = time.time()
    return {
        "status line": head.split(b"\r\n", 1)[0].decode(errors="replace"),
        "received": len(body),
        "size": len(data),
        "whole and right": bytes(body) == data,
        "after SIGTERM": (signalled and round(ended - signalled, 1)),
    }


def main():
    rnd = random.Random(20261203)
    objects = []
    for size in SIZES:
        data = rnd.randbytes(size)
        objects.append((upload(data, f"restart-{size}.bin"), data))
    log(f"uploaded {len(objects)} objects ({', '.join(str(len(d)) for _, d in objects)} bytes)")
    for port in EDGES:
        for name, _ in objects:
            warm(port, name)
    log("every object is a HIT on both edges")
    probe = next(o for o in objects if len(o[1]) == 1 << 20)
    results = {"idle, no class archive": [], "idle": [], "loaded": [], "kill -9, loaded": []}
    for r in range(ROUNDS):
        for label, archive in (("idle, no class archive", False), ("idle", True)):
            t = restart(objects=probe, archive=archive)
            results[label].append(t)
            log(f"round {r + 1} {label}: {t}")
    loads = {}
    for label, kill in (("loaded", False), ("kill -9, loaded", True)):
        with Load(objects) as load:
            time.sleep(5)
            for r in range(ROUNDS):
                t = restart(kill=kill, objects=probe)
                results[label].append(t)
                log(f"round {r + 1} {label}: {t}")
                time.sleep(3)
        loads[label] = dict(sorted(load.counts.items()))
        log(f"load during '{label}': {loads[label]}")
    # The origin restarted under load: clients on both edges and on the origin itself, and uploads.
    for label, kill in (("origin, loaded", False), ("origin kill -9, loaded", True)):
        results[label] = []
        with Load(objects, origin=True) as load:
            time.sleep(5)
            for r in range(ROUNDS):
                t = restart_origin(kill, probe)
                results[label].append(t)
                log(f"round {r + 1} {label}: {t}")
                time.sleep(3)
        loads[label] = dict(sorted(load.counts.items()))
        log(f"load during '{label}': {loads[label]}")
    # The edge gets a fresh start for the drain: after kill -9 its store is cold, and the download must be a HIT.
    subprocess.run([TOPOLOGY, "restart", "edge1"], check=True, stdout=subprocess.DEVNULL)
    big = objects[-1]
    warm(EDGES[0], big[0])
    drained = drain(big)
    log(f"drain: {drained}")
    subprocess.run([TOPOLOGY, "restart", "edge1"], check=True, stdout=subprocess.DEVNULL)

    print()
    print("-" * 100)
    print(f"restart-bench: edge1 (and then the origin) restarted with topology.sh's command line, {ROUNDS} rounds "
          f"each, medians (seconds from the new JVM's start)")
    print(f"{'case':24s} {'port open':>10s} {'ready':>8s} {'serving':>8s}   rounds (serving)        archive")
    for label, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in ("port", "ready", "serving")}
        rounds = " ".join(f"{r['serving']:.1f}" for r in runs)
        archive = ",".join(sorted({r["archive"] for r in runs}))
        print(f"{label:24s} {med['port']:10.1f} {med['ready']:8.1f} {med['serving']:8.1f}   {rounds:22s}  {archive}")
    bad = [r for runs in results.values() for r in runs if "bad" in r]
    print(f"answers before serving other than refused or 503: {len(bad)} {[r['bad'] for r in bad]}")
    print(f"goals (issue 19): serving <= 12 s idle, <= 25 s under load")
    for label, counts in loads.items():
        print(f"load ({CLIENTS} clients on both edges{' and the origin, 2 uploaders' if 'origin' in label else ''})"
              f" during '{label}': {counts}")
    print(f"drain (24 MiB at 2 MB/s, SIGTERM 3 s in): {drained}")
    failures = sum(n for c in loads.values() for k, n in c.items()
                   if k.endswith(("wrong body", "404 for an existing object", "404 for the upload endpoint"))
                   or k.startswith("upload: then read back"))
    failures += 0 if drained["whole and right"] else 1
    failures += len(bad)
    print("all checks passed" if failures == 0 else f"CHECKS FAILED: {failures}")
    print("-" * 100)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
