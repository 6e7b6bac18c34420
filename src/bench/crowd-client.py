#!/usr/bin/env python3
"""crowd-client.py: crowds of slow clients, and the probes beside them (crowd-bench.sh's helper; stdlib only).

    crowd-client.py viewers --url http://127.0.0.1:18301/f/NAME --expect file.bin --clients 1000 --rate 64000 \
        [--rcvbuf 16384] [--ramp 2] [--seconds 20] [--procs 2] [--first-byte-limit 5] [--steady-skip 2] \
        [--probe-url URL --probe-expect small.bin] [--watch edge=PID ...]
    crowd-client.py uploads --url http://127.0.0.1:18300/upload.php?output=text --clients 500 --size 2097152 \
        --rate 64000 [--normal-size 1048576 --normal-interval 1] [--probe-url URL --probe-expect small.bin] \
        [--watch origin=PID] [--ramp 2] [--seconds 20] [--procs 2]
    both: [--hold 5 --heap NAME=PID] [--nice -5]

One run is one phase. Everything is scheduled from one start time t0 shared by several processes (asyncio in each,
forked with multiprocessing): the crowd split over --procs processes, a probe process, a process running normal
uploads, and a watcher of the servers' processes. Prints one JSON object on stdout with the merged results.

viewers: client i opens a fresh connection (SO_RCVBUF set before connect) at t0 + ramp * i / N, sends a GET and
  reads the answer at --rate bytes/s counted from its first body byte (it stops reading while ahead of that
  schedule, so the kernel's small receive buffer fills and TCP holds the server back, as with a slow viewer). Every
  body byte is compared with --expect at its offset; a client that reads the whole file starts over on a new
  connection. At t0 + seconds every client closes, wherever it is.
uploads: client i opens a connection at t0 + ramp * i / N and POSTs a multipart upload (field files[]) of --size
  bytes at --rate bytes/s; at t0 + seconds it closes (most do not finish). An answer that comes early is recorded.
probe (both): a GET of --probe-url on a fresh connection every --probe-interval s from t0 to t0 + seconds, each
  with --probe-timeout; ok = 200 and exactly the bytes of --probe-expect; latency = connect to last byte.
normal uploads (uploads only): one --normal-size upload of fresh random bytes at full speed, then the next one
  --normal-interval s after the previous one started (or at once if it took longer); ok = 200 and a URL.
watch: every 0.25 s, for each NAME=PID, the process and its descendants: threads (entries of /proc/<pid>/task),
  processes, open file descriptors, RSS, and CPU time (utime + stime of /proc/<pid>/stat) and bytes read (rchar of
  /proc/<pid>/io: read()-family calls, sockets included) at the first and last sample.
hold (--hold S): the crowd stays connected S s past --seconds, not measured, while the watcher takes --heap NAME=PID's
  heap after a full GC (jcmd GC.run, GC.heap_info): the server's memory with the crowd still on it.
The client reports its own CPU time per process and the lateness of a 100 ms ticker in each crowd process (event
loop lag): when the lag is small, the client kept its schedule and the server set the pace.
"""
import argparse
import asyncio
import ctypes
import json
import multiprocessing
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

BUCKET = 0.25  # seconds per slot of the bytes-over-time counters
READ_BUFFER = 256 * 1024  # bytes per recv at most (the kernel's receive buffer bounds it much lower)


# --- small helpers ------------------------------------------------------------------------------------------------

def percentile(values, p):
    """Nearest-rank percentile of a list (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))  # ceil(p/100 * n)
    return ordered[min(rank, len(ordered)) - 1]


def target(url):
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    return parts.hostname, parts.port or 80, path or "/"


def get_request(host, port, path):
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: crowd-client\r\nConnection: close\r\n\r\n".encode()


def parse_head(head):
    """Status and lower-cased headers of a response head (bytes without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def die_with_parent():
    """A forked worker gets SIGTERM when the parent dies, however it dies (prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides


async def sleep_until(when):
    delay = when - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


class LagMeter:
    """Lateness of a 100 ms ticker: how far behind its schedule this process's event loop runs."""

    def __init__(self, t0):
        self.t0 = t0
        self.lags = []
        self.worst = []  # per second of the phase: the largest lateness in ms

    async def run(self, until):
        step = 0.1
        due = time.monotonic() + step
        while due < until:
            await sleep_until(due)
            lag = max(0.0, time.monotonic() - due)
            self.lags.append(lag)
            second = max(0, int(due - self.t0))
            self.worst.extend([0] * (second + 1 - len(self.worst)))
            self.worst[second] = max(self.worst[second], round(1000 * lag))
            due += step

    def summary(self):
        return {"lag_ms_p50": 1000 * (percentile(self.lags, 50) or 0), "lag_ms_p99": 1000 * (percentile(self.lags, 99) or 0),
                "lag_ms_max": 1000 * max(self.lags, default=0), "lag_ms_per_second": self.worst}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- viewers ------------------------------------------------------------------------------------------------------

class Crowd:
    """What one process's viewers share: the expected bytes, the counters, one receive buffer."""

    def __init__(self, args, t0):
        self.args = args
        self.t0 = t0
        self.end = t0 + args.seconds
        self.close_at = self.end + args.hold
        with open(args.expect, "rb") as f:
            self.expected = f.read()
        self.size = len(self.expected)
        self.host, self.port, path = target(args.url)
        self.request = get_request(self.host, self.port, path)
        self.quantum = max(1024, int(args.rate * args.tick))
        self.buffer = bytearray(READ_BUFFER)
        self.view = memoryview(self.buffer)
        self.buckets = [0] * (int(args.seconds / BUCKET) + 2)
        self.first_byte = {}  # client -> seconds from its connect to its first body byte (first request)
        self.connected = set()
        self.statuses = Counter()
        self.cache_status = Counter()
        self.errors = Counter()
        self.wrong = []  # (client, why): status, length or byte mismatch
        self.complete = 0  # whole files read and found equal to --expect
        self.requests = 0
        self.schedule = []  # per client still reading at the end: (bytes read, bytes its schedule allowed)
        self.active = {}

    def count(self, now, n):
        slot = int((now - self.t0) / BUCKET)
        if 0 <= slot < len(self.buckets) and now < self.end:  # the hold after the end is not measured
            self.buckets[slot] += n


class Viewer(asyncio.BufferedProtocol):
    """One GET read at a fixed rate: pauses reading whenever it is ahead of rate x (time since first body byte)."""

    def __init__(self, crowd, client, started, done):
        self.crowd = crowd
        self.client = client
        self.started = started
        self.done = done
        self.transport = None
        self.head = bytearray()
        self.status = None
        self.first = None
        self.received = 0
        self.resume = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.crowd.request)

    def get_buffer(self, sizehint):
        if self.first is None:
            return self.crowd.view
        # No more than the schedule allows by now plus one quantum: the rest waits in the kernel's buffer.
        allowed = self.crowd.args.rate * (time.monotonic() - self.first) + self.crowd.quantum - self.received
        return self.crowd.view[:min(READ_BUFFER, max(1024, int(allowed)))]

    def buffer_updated(self, nbytes):
        now = time.monotonic()
        crowd = self.crowd
        if self.status is None:
            self.head += crowd.view[:nbytes]
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                if len(self.head) > 65536:
                    self.finish(False, "head too long")
                return
            status, headers = parse_head(bytes(self.head[:end]))
            self.status = status
            crowd.statuses[status] += 1
            crowd.cache_status[headers.get("x-cache-status", "none")] += 1
            length = headers.get("content-length")
            if status != 200 or length != str(crowd.size):
                crowd.wrong.append((self.client, f"HTTP {status}, Content-Length {length}"))
                self.finish(False, None)
                return
            data = bytes(self.head[end + 4:])
        else:
            data = bytes(crowd.view[:nbytes])
        if not data:
            return
        if self.first is None:
            self.first = now
            crowd.first_byte.setdefault(self.client, now - self.started)
        offset = self.received
        if offset + len(data) > crowd.size or data != crowd.expected[offset:offset + len(data)]:
            crowd.wrong.append((self.client, f"bytes at {offset}..{offset + len(data)} differ from the file"))
            self.finish(False, None)
            return
        self.received += len(data)
        crowd.count(now, len(data))
        if self.received == crowd.size:
            crowd.complete += 1
            self.finish(True, None)
            return
        # Ahead of the schedule: sleep until it allows a quantum again.
        ahead = self.received / crowd.args.rate - (now - self.first)
        if ahead > 0:
            self.transport.pause_reading()
            self.resume = asyncio.get_running_loop().call_later(ahead, self.transport.resume_reading)

    def eof_received(self):
        self.finish(False, "closed by the server" if self.status is not None else "closed before an answer")
        return False

    def connection_lost(self, exc):
        self.finish(False, type(exc).__name__ if exc else "closed by the server")

    def finish(self, whole, error):
        if self.done.done():
            return
        if error:
            self.crowd.errors[error] += 1
        if self.resume:
            self.resume.cancel()
        self.done.set_result(whole)
        self.transport.close()


async def viewer(crowd, client, start_at):
    """Client `client`: requests the file again and again (each on a new connection) until the phase ends."""
    await sleep_until(start_at)
    loop = asyncio.get_running_loop()
    addr = (crowd.host, crowd.port)
    while time.monotonic() < crowd.end:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, crowd.args.rcvbuf)
        sock.setblocking(False)
        started = time.monotonic()
        transport = None
        proto = None
        try:
            await loop.sock_connect(sock, addr)
            crowd.connected.add(client)
            crowd.requests += 1
            done = loop.create_future()
            proto = Viewer(crowd, client, started, done)
            crowd.active[client] = proto
            transport, _ = await loop.create_connection(lambda: proto, sock=sock)
            if not await done:
                return
        except OSError as e:
            crowd.errors[type(e).__name__] += 1
            return
        finally:
            if transport is not None:
                transport.close()
            else:
                sock.close()


async def viewers_main(args, ids, t0):
    crowd = Crowd(args, t0)
    lag = LagMeter(t0)
    await sleep_until(t0 - 0.2)
    ticker = asyncio.create_task(lag.run(crowd.end))
    tasks = [asyncio.create_task(viewer(crowd, i, t0 + args.ramp * i / args.clients)) for i in ids]
    await asyncio.wait(tasks, timeout=max(0.0, crowd.end - time.monotonic()))
    end = time.monotonic()
    for proto in crowd.active.values():  # where each open read stands against its schedule at the end
        if not proto.done.done() and proto.first is not None:
            crowd.schedule.append((proto.received, min(crowd.size, args.rate * (end - proto.first))))
    # The hold: connections stay open (reading on) while the watcher measures the server with the crowd on it.
    await asyncio.wait(tasks, timeout=max(0.0, crowd.close_at - time.monotonic()))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await ticker
    return {
        "role": "viewers", "clients": len(ids), "first_byte": list(crowd.first_byte.values()),
        "connected": len(crowd.connected), "statuses": dict(crowd.statuses), "cache_status": dict(crowd.cache_status),
        "errors": dict(crowd.errors), "wrong": crowd.wrong[:20], "wrong_count": len(crowd.wrong),
        "complete": crowd.complete, "requests": crowd.requests, "buckets": crowd.buckets, "schedule": crowd.schedule,
        **lag.summary(),
    }


# --- slow uploads and normal uploads ----------------------------------------------------------------------------

BOUNDARY = "crowdbench7d3f0a"


def multipart(name, size_after_prefix, prefix):
    """Head, middle and tail of a multipart body whose file part is prefix + size_after_prefix bytes."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + prefix
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head, tail, len(head) + size_after_prefix + len(tail)


def post_head(host, port, path, length):
    return (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: crowd-client\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n"
            f"Connection: close\r\n\r\n").encode()


async def read_answer(reader):
    """Status and body of an HTTP answer on a Connection: close stream."""
    head = await reader.readuntil(b"\r\n\r\n")
    status, headers = parse_head(head[:-4])
    length = headers.get("content-length")
    body = await (reader.readexactly(int(length)) if length and length.isdigit() else reader.read())
    return status, body


class Uploads:
    def __init__(self, args, t0):
        self.args = args
        self.t0 = t0
        self.end = t0 + args.seconds
        self.host, self.port, self.path = target(args.url)
        self.payload = memoryview(random.Random(os.getpid()).randbytes(args.size))
        self.buckets = [0] * (int(args.seconds / BUCKET) + 2)
        self.connected = 0
        self.fully_sent = 0
        self.sent = 0
        self.statuses = Counter()
        self.answers = []  # early or final answers: (client, status, first bytes of the body, seconds from t0)
        self.errors = Counter()
        self.behind = []  # per client: (bytes sent, bytes its schedule allowed) at the end


async def slow_upload(up, client, start_at):
    await sleep_until(start_at)
    loop = asyncio.get_running_loop()
    args = up.args
    prefix = f"{client:08d}-{os.getpid()}-{random.random()}-".encode()[:32].ljust(32, b"-")
    head, tail, length = multipart(f"slow{client:05d}.bin", args.size - 32, prefix)
    segments = [post_head(up.host, up.port, up.path, length) + head, up.payload[32:], tail]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    writer = None
    answer = None
    sent = 0
    started = None
    try:
        await loop.sock_connect(sock, (up.host, up.port))
        reader, writer = await asyncio.open_connection(sock=sock)
        up.connected += 1
        answer = asyncio.create_task(read_answer(reader))
        started = time.monotonic()
        chunk = max(1024, min(16384, args.rate // 4))
        for segment in segments:
            position = 0
            while position < len(segment) and not answer.done():
                await sleep_until(started + sent / args.rate)
                piece = segment[position:position + chunk]
                writer.write(piece)
                await writer.drain()
                position += len(piece)
                sent += len(piece)
                up_now = time.monotonic()
                slot = int((up_now - up.t0) / BUCKET)
                if 0 <= slot < len(up.buckets) and up_now < up.end:  # the hold is not measured
                    up.buckets[slot] += len(piece)
                    up.sent += len(piece)
        if sent == sum(len(s) for s in segments):
            up.fully_sent += 1
        status, body = await answer
        up.statuses[status] += 1
        up.answers.append((client, status, body[:120].decode("latin-1"), time.monotonic() - up.t0))
    except asyncio.CancelledError:
        if started is not None:
            up.behind.append((sent, args.rate * (time.monotonic() - started)))
        raise
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
        up.errors[type(e).__name__] += 1
    finally:
        if answer is not None and not answer.done():
            answer.cancel()
        if writer is not None:
            writer.transport.abort()
        else:
            sock.close()


async def uploads_main(args, ids, t0):
    up = Uploads(args, t0)
    lag = LagMeter(t0)
    await sleep_until(t0 - 0.2)
    ticker = asyncio.create_task(lag.run(up.end))
    tasks = [asyncio.create_task(slow_upload(up, i, t0 + args.ramp * i / args.clients)) for i in ids]
    await asyncio.wait(tasks, timeout=max(0.0, up.end + args.hold - time.monotonic()))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await ticker
    return {
        "role": "uploads", "clients": len(ids), "connected": up.connected, "fully_sent": up.fully_sent,
        "sent": up.sent, "statuses": dict(up.statuses), "answers": up.answers[:20], "errors": dict(up.errors),
        "buckets": up.buckets, "behind": up.behind, **lag.summary(),
    }


async def normal_uploads_main(args, t0):
    """Full-speed uploads of fresh bytes, one after the other, about every --normal-interval s."""
    end = t0 + args.seconds
    host, port, path = target(args.url)
    results = []
    await sleep_until(t0)
    due = t0
    while due < end:
        await sleep_until(due)
        data = os.urandom(args.normal_size)
        head, tail, length = multipart("normal.bin", len(data), b"")
        started = time.monotonic()
        writer = None
        try:
            async with asyncio.timeout(args.normal_timeout):
                reader, writer = await asyncio.open_connection(host, port)
                writer.write(post_head(host, port, path, length) + head)
                writer.write(data)
                writer.write(tail)
                await writer.drain()
                status, body = await read_answer(reader)
            ok = status == 200 and body.startswith(b"http")
            results.append((started - t0, time.monotonic() - started, "ok" if ok else f"HTTP {status}: {body[:80]!r}"))
        except TimeoutError:
            results.append((started - t0, time.monotonic() - started, "timeout"))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
            results.append((started - t0, time.monotonic() - started, type(e).__name__))
        finally:
            if writer is not None:
                writer.transport.abort()
        due = max(started + args.normal_interval, time.monotonic())
    return {"role": "normal", "results": results}


# --- probe ----------------------------------------------------------------------------------------------------------

async def probe_once(host, port, request, expected, timeout, t0):
    started = time.monotonic()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status, body = await read_answer(reader)
        outcome = "ok" if status == 200 and body == expected else ("wrong: HTTP %d, %d bytes" % (status, len(body)))
    except TimeoutError:
        outcome = "timeout"
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
        outcome = type(e).__name__
    finally:
        if writer is not None:
            writer.transport.abort()
    return started - t0, time.monotonic() - started, outcome


async def probe_main(args, t0):
    host, port, path = target(args.probe_url)
    request = get_request(host, port, path)
    with open(args.probe_expect, "rb") as f:
        expected = f.read()
    tasks = []
    i = 0
    while t0 + i * args.probe_interval < t0 + args.seconds:
        await sleep_until(t0 + i * args.probe_interval)
        tasks.append(asyncio.create_task(probe_once(host, port, request, expected, args.probe_timeout, t0)))
        i += 1
    return {"role": "probe", "results": list(await asyncio.gather(*tasks))}


# --- watch ----------------------------------------------------------------------------------------------------------

def proc_tree(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def sample(root):
    threads = procs = fds = rss = ticks = rchar = 0
    for pid in proc_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
            threads += len(os.listdir(f"/proc/{pid}/task"))
            fds += len(os.listdir(f"/proc/{pid}/fd"))
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1]) * 1024
            with open(f"/proc/{pid}/io") as f:  # rchar: bytes read by read()-family calls, sockets included
                for line in f:
                    if line.startswith("rchar:"):
                        rchar += int(line.split()[1])
            procs += 1
        except (OSError, IndexError, ValueError):
            continue
    return {"threads": threads, "procs": procs, "fds": fds, "rss": rss, "cpu": ticks / os.sysconf("SC_CLK_TCK"),
            "rchar": rchar}


def watch_main(args, t0):
    end = t0 + args.seconds
    roots = [(name, int(pid)) for name, _, pid in (w.partition("=") for w in args.watch)]
    out = {name: {"samples": 0} for name, _ in roots}
    while time.monotonic() < t0:
        time.sleep(0.01)
    due = t0
    while True:
        for name, pid in roots:
            s = sample(pid)
            o = out[name]
            if s["procs"] == 0:
                o["gone"] = True
                continue
            if o["samples"] == 0:
                o.update(threads_first=s["threads"], cpu_first=s["cpu"], rchar_first=s["rchar"])
            o["samples"] += 1
            for key in ("threads", "procs", "fds", "rss"):
                o[key + "_max"] = max(o.get(key + "_max", 0), s[key])
            o.update(threads_last=s["threads"], cpu_last=s["cpu"], rchar_last=s["rchar"])
        if due >= end:
            break
        due = min(due + 0.25, end)
        time.sleep(max(0.0, due - time.monotonic()))
    for o in out.values():
        o["cpu_s"] = o.get("cpu_last", 0) - o.get("cpu_first", 0)
        o["read_bytes"] = o.get("rchar_last", 0) - o.get("rchar_first", 0)
    if args.heap:  # during the hold, the crowd still connected
        name, _, pid = args.heap.partition("=")
        out.setdefault(name, {}).update(heap_after_gc(int(pid)))
        out[name]["threads_hold"] = sample(int(pid))["threads"]
    return {"role": "watch", "servers": out}


def heap_after_gc(pid):
    """Heap in use after a full collection (jcmd GC.run, then GC.heap_info: young + old, or G1's heap), in MiB."""
    started = time.monotonic()
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60, check=True)
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60,
                              check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return {"heap_error": type(e).__name__}
    used = [int(kb) for kb in re.findall(r"total \d+K, used (\d+)K", info)]
    return {"heap_mib": round(sum(used) / 1024) if used else None, "heap_s": round(time.monotonic() - started, 2)}


# --- processes and the merged report ----------------------------------------------------------------------------

def worker(kind, args, ids, t0, queue):
    die_with_parent()
    raise_nofile()
    if args.nice:
        os.setpriority(os.PRIO_PROCESS, 0, args.nice)
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    if kind == "viewers":
        result = asyncio.run(viewers_main(args, ids, t0))
    elif kind == "uploads":
        result = asyncio.run(uploads_main(args, ids, t0))
    elif kind == "normal":
        result = asyncio.run(normal_uploads_main(args, t0))
    elif kind == "probe":
        result = asyncio.run(probe_main(args, t0))
    else:
        result = watch_main(args, t0)
    result["cpu_s"] = cpu_seconds() - cpu0
    result["wall_s"] = time.monotonic() - max(wall0, t0)
    queue.put(result)


def probe_summary(results):
    ok = [latency * 1000 for _, latency, outcome in results if outcome == "ok"]
    failed = [outcome for _, _, outcome in results if outcome != "ok"]
    return {"sent": len(results), "ok": len(ok), "failed": len(failed),
            "wrong": sum(1 for f in failed if f.startswith("wrong")), "failures": dict(Counter(failed)),
            "p50_ms": percentile(ok, 50), "p99_ms": percentile(ok, 99), "max_ms": max(ok, default=None),
            "samples": [(round(start, 2), round(latency * 1000, 1), outcome) for start, latency, outcome in results]}


def merge(args, results):
    by_role = {}
    for r in results:
        by_role.setdefault(r["role"], []).append(r)
    out = {"mode": args.mode, "clients": args.clients, "rate": args.rate, "seconds": args.seconds, "ramp": args.ramp}
    crowd = by_role.get(args.mode, [])
    if crowd:
        slots = len(crowd[0]["buckets"])
        buckets = [sum(r["buckets"][i] for r in crowd) for i in range(slots)]
        first = int(-(-(args.ramp + args.steady_skip) // BUCKET))
        last = int(args.seconds / BUCKET)
        window = max(0, last - first) * BUCKET
        steady = sum(buckets[first:last])
        out["steady_window_s"] = [first * BUCKET, last * BUCKET]
        out["steady_mbps"] = steady / window / 1e6 if window else 0
        out["demand_mbps"] = args.clients * args.rate / 1e6
        out["bytes"] = sum(buckets)
        out["timeline_mbps"] = [round(sum(buckets[i:i + int(1 / BUCKET)]) / 1e6, 2) for i in range(0, slots, int(1 / BUCKET))]
        cpu = [r["cpu_s"] for r in crowd]
        out["client"] = {"procs": len(crowd), "cpu_s": [round(c, 2) for c in cpu],
                         "cpu_pct_max": max(100 * r["cpu_s"] / r["wall_s"] for r in crowd if r["wall_s"] > 0),
                         "lag_ms_p99": max(r["lag_ms_p99"] for r in crowd), "lag_ms_max": max(r["lag_ms_max"] for r in crowd),
                         "lag_ms_per_second": [max(w) for w in zip(*(r["lag_ms_per_second"] for r in crowd))]}
        for key in ("statuses", "errors") + (("cache_status",) if args.mode == "viewers" else ()):
            total = Counter()
            for r in crowd:
                total.update({str(k): v for k, v in r[key].items()})
            out[key] = dict(total)
    if args.mode == "viewers" and crowd:
        first_bytes = [fb for r in crowd for fb in r["first_byte"]]
        out["connected"] = sum(r["connected"] for r in crowd)
        out["started"] = len(first_bytes)
        out["first_byte_in_limit"] = sum(1 for fb in first_bytes if fb <= args.first_byte_limit)
        out["first_byte_s"] = {"p50": percentile(first_bytes, 50), "p90": percentile(first_bytes, 90),
                               "max": max(first_bytes, default=None)}
        out["wrong"] = sum(r["wrong_count"] for r in crowd)
        out["wrong_examples"] = [w for r in crowd for w in r["wrong"]][:10]
        out["complete"] = sum(r["complete"] for r in crowd)
        out["requests"] = sum(r["requests"] for r in crowd)
        schedule = [s for r in crowd for s in r["schedule"]]
        # On schedule: within 10 % (and two receive buffers) of what the rate allowed since the first body byte.
        out["reading_at_end"] = len(schedule)
        out["on_schedule"] = sum(1 for got, allowed in schedule if got + 2 * args.rcvbuf >= 0.9 * allowed)
    if args.mode == "uploads" and crowd:
        for key in ("connected", "fully_sent", "sent"):
            out[key] = sum(r[key] for r in crowd)
        out["answers"] = [a for r in crowd for a in r["answers"]][:10]
        behind = [b for r in crowd for b in r["behind"]]
        out["on_schedule"] = sum(1 for got, allowed in behind if got + 65536 >= 0.9 * allowed)
        out["open_at_end"] = len(behind)
    if "probe" in by_role:
        out["probe"] = probe_summary(by_role["probe"][0]["results"])
    if "normal" in by_role:
        results = by_role["normal"][0]["results"]
        ok = [latency * 1000 for _, latency, outcome in results if outcome == "ok"]
        failed = [outcome for _, _, outcome in results if outcome != "ok"]
        out["normal"] = {"sent": len(results), "ok": len(ok), "failed": len(failed), "failures": dict(Counter(failed)),
                         "p50_ms": percentile(ok, 50), "p90_ms": percentile(ok, 90), "max_ms": max(ok, default=None),
                         "samples": [(round(start, 2), round(latency * 1000), outcome) for start, latency, outcome in results]}
    if "watch" in by_role:
        out["watch"] = by_role["watch"][0]["servers"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["viewers", "uploads"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--expect", help="viewers: the file the URL serves, compared byte for byte")
    parser.add_argument("--clients", type=int, default=0)
    parser.add_argument("--rate", type=int, default=64000, help="bytes/s per client")
    parser.add_argument("--size", type=int, default=2 * 1048576, help="uploads: bytes of each slow upload's file")
    parser.add_argument("--rcvbuf", type=int, default=16384, help="viewers: SO_RCVBUF, set before connect")
    parser.add_argument("--tick", type=float, default=0.25,
                        help="viewers: a read takes at most the schedule's bytes plus rate x tick (so ~1/tick reads/s)")
    parser.add_argument("--ramp", type=float, default=2.0, help="seconds over which the clients start")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the phase from t0; clients close then")
    parser.add_argument("--procs", type=int, default=2, help="processes the crowd is split over")
    parser.add_argument("--first-byte-limit", type=float, default=5.0)
    parser.add_argument("--steady-skip", type=float, default=2.0, help="seconds after the ramp left out of the steady window")
    parser.add_argument("--probe-url")
    parser.add_argument("--probe-expect")
    parser.add_argument("--probe-interval", type=float, default=0.25)
    parser.add_argument("--probe-timeout", type=float, default=10.0)
    parser.add_argument("--normal-size", type=int, default=0, help="uploads: bytes of the normal uploads (0: none)")
    parser.add_argument("--normal-interval", type=float, default=1.0)
    parser.add_argument("--normal-timeout", type=float, default=30.0)
    parser.add_argument("--watch", action="append", default=[], help="NAME=PID, repeatable")
    parser.add_argument("--hold", type=float, default=0.0,
                        help="seconds the crowd stays connected after --seconds, unmeasured, while --heap is taken")
    parser.add_argument("--heap", help="NAME=PID of a watched JVM: its heap after a full GC, taken during the hold")
    parser.add_argument("--nice", type=int, default=0, help="the workers' nice value (negative needs root)")
    args = parser.parse_args()
    if args.mode == "viewers" and args.clients and not args.expect:
        parser.error("viewers need --expect")
    raise_nofile()

    # SIGTERM ends the parent through SystemExit, so multiprocessing stops the (daemonic) workers on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    t0 = time.monotonic() + 1.0 + args.clients / 2000  # time for the forks to start and lay out their clients
    jobs = []
    if args.clients > 0:
        procs = max(1, min(args.procs, args.clients))
        jobs += [(args.mode, list(range(k, args.clients, procs))) for k in range(procs)]
    if args.probe_url:
        jobs.append(("probe", None))
    if args.mode == "uploads" and args.normal_size > 0:
        jobs.append(("normal", None))
    if args.watch or args.heap:
        jobs.append(("watch", None))
    workers = [context.Process(target=worker, args=(kind, args, ids, t0, queue), daemon=True) for kind, ids in jobs]
    for w in workers:
        w.start()
    deadline = t0 + args.seconds + args.hold + max(args.probe_timeout, args.normal_timeout) + 150
    results = []
    done = False
    try:
        while len(results) < len(workers):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("workers did not report in time")
            try:
                results.append(queue.get(timeout=min(remaining, 1.0)))
            except Exception:  # queue.Empty: check that nobody died without reporting
                dead = [w for w in workers if w.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(f"a worker exited with {dead[0].exitcode}")
        done = True
    finally:
        for w in workers:  # interrupted (Ctrl-C, TERM, an error): stop the workers now, not at the phase's end
            if not done:
                w.terminate()
        for w in workers:
            w.join(timeout=5)
            if w.is_alive():
                w.kill()
                w.join()
    print(json.dumps(merge(args, results)))


if __name__ == "__main__":
    main()
