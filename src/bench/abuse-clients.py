#!/usr/bin/env python3
"""abuse-clients.py: the clients of abuse-bench.sh (issue 14, "Hostile clients"), stdlib only.

One process per role, each printing one JSON line on stdout when it ends:

  probe     the well-behaved client, from its own address (--source, 127.0.0.3): a GET of a cached file from the
            edge on a fresh connection every --edge-interval (0.1 s); on the origin a GET of a small file every
            --get-interval (0.25 s) and an upload of --upload-size (64 KiB) fresh random bytes every
            --upload-interval (1 s). Open loop: each request starts on its schedule whether or not the one before
            has answered, so a stall shows in every request it holds up. A request counts as failed when it has no
            complete 200 answer of the right length within --timeout (then its time counts as the timeout in the
            percentiles). It runs at least --min-seconds and until --done-file exists, at most --max-seconds; it
            also samples the threads of the JVMs in --pids (name=pid,...) every 0.5 s (/proc/<pid>/status).
  names     --count GETs of /f/<8 random characters>.bin (the stored names' alphabet) on --concurrency keep-alive
            connections, spread over --sources source addresses; answers by status.
  ranges    --count connections opened at once, each sending a GET of --path with `Range: bytes=<offset>-` and
            hanging up right after the request (--hangup request) or after the answer's first bytes (--hangup
            first-byte). The offsets lie in every --chunk-step-th chunk of the edge's store over the whole file
            (--size bytes), at random places inside them: the result says how many chunks and bytes they touch.
  slow      --count uploads on their own connections, started over --ramp seconds, each sending a multipart body at
            --rate bytes/s in 8 bursts a second; never finished: held until --release-file exists (or --max-seconds),
            then closed. Writes --done-file once all have started.
  login     --count login form submissions (GET of /admin/login.xhtml for its Faces view state, then the POST, as a
            browser does), --concurrency at a time, from --proxy-source (an address the origin trusts as a proxy)
            with X-Forwarded-For addresses from one IPv6 /64 (--prefix, --addresses of them: the low 64 bits vary),
            wrong passwords, names "admin" and random ones; answers by what the page says.
  boundary  up to --count uploads, --parallel at a time, none started after --window seconds, of a multipart body
            whose boundary is --boundary-length (70, RFC 2046's cap) times --char and whose file is --size bytes of
            that same character (--boundary-length 1: the reference); time per upload and statuses.

Attack roles write --done-file when their bounded work is over (slow: once all are in place) and stop by
themselves after --max-seconds whatever is left.
"""
import argparse
import asyncio
import json
import os
import random
import re
import resource
import string
import sys
import time
import urllib.parse

NAME_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
HOST = "127.0.0.1"


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def source_of(base, i, count):
    """The i-th of count source addresses under base ("127.11"): 127.11.<i // 250>.<i % 250 + 1>."""
    j = i % max(1, count)
    return f"{base}.{j // 250}.{j % 250 + 1}"


def touch(path):
    if path:
        with open(path, "w"):
            pass


def percentile(values, q):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


class Answer:
    __slots__ = ("status", "headers", "length", "body")

    def __init__(self, status, headers, length, body):
        self.status, self.headers, self.length, self.body = status, headers, length, body


async def read_answer(reader, keep_body=False, method="GET"):
    """One HTTP/1.1 answer: status, headers (lower-case names), body length (and the body if keep_body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    body = bytearray() if keep_body else None
    length = 0

    def take(data):
        nonlocal length
        length += len(data)
        if keep_body:
            body.extend(data)

    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        pass
    elif "content-length" in headers:
        left = int(headers["content-length"])
        while left > 0:
            data = await reader.read(min(left, 1 << 16))
            if not data:
                raise ConnectionError("answer cut short")
            take(data)
            left -= len(data)
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            take(await reader.readexactly(size))
            await reader.readexactly(2)
    else:
        while True:
            data = await reader.read(1 << 16)
            if not data:
                break
            take(data)
    return Answer(status, headers, length, bytes(body) if keep_body else None)


async def connect(port, source, timeout):
    return await asyncio.wait_for(
        asyncio.open_connection(HOST, port, local_addr=(source, 0) if source else None), timeout)


def close(writer):
    try:
        writer.close()
    except Exception:  # noqa: BLE001 - closing a broken connection
        pass


def multipart_parts(boundary, filename, content_type="application/octet-stream"):
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head, tail


def upload_head(port, boundary, length):
    return (f"POST /upload.php?output=text HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n").encode()


# --- the well-behaved client -------------------------------------------------------------------------------------

async def timed_exchange(args, port, request, keep_body, judge):
    """One request on a fresh connection: (ms, ok, what) where ok is judge(answer); a failure counts as the timeout."""
    start = time.monotonic()
    writer = None
    try:
        reader, writer = await connect(port, args.source, args.timeout)
        writer.write(request)
        answer = await asyncio.wait_for(read_answer(reader, keep_body=keep_body),
                                        args.timeout - (time.monotonic() - start))
        return (time.monotonic() - start) * 1000, judge(answer), str(answer.status)
    except (asyncio.TimeoutError, TimeoutError):
        return args.timeout * 1000, False, "timeout"
    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
        return args.timeout * 1000, False, type(e).__name__
    finally:
        if writer:
            close(writer)


async def probe_get(args, port, path, expect):
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    return await timed_exchange(args, port, request, False,
                                lambda answer: answer.status == 200 and answer.length == expect)


async def probe_upload(args):
    content = os.urandom(args.upload_size)
    boundary = "----probe" + os.urandom(8).hex()
    head, tail = multipart_parts(boundary, "probe.bin")
    request = upload_head(args.origin_port, boundary, len(head) + len(content) + len(tail)) + head + content + tail
    return await timed_exchange(args, args.origin_port, request, True,
                                lambda answer: answer.status == 200 and b"/f/" in answer.body)


def threads_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int(re.search(r"^Threads:\s+(\d+)", f.read(), re.M).group(1))
    except (OSError, AttributeError):
        return None


async def probe_main(args):
    pids = dict(p.split("=", 1) for p in args.pids.split(",") if p) if args.pids else {}
    most = {name: threads_of(pid) or 0 for name, pid in pids.items()}
    results = {"edge_get": [], "origin_get": [], "upload": []}
    pending = set()
    start = time.monotonic()

    def finished():
        elapsed = time.monotonic() - start
        if elapsed >= args.max_seconds:
            return True
        return elapsed >= args.min_seconds and (not args.done_file or os.path.exists(args.done_file))

    async def record(kind, coro):
        at = time.monotonic() - start
        results[kind].append((*await coro, at))

    async def every(kind, interval, make):
        n = 0
        while not finished():
            task = asyncio.ensure_future(record(kind, make()))
            pending.add(task)
            task.add_done_callback(pending.discard)
            n += 1
            await asyncio.sleep(max(0.0, start + n * interval - time.monotonic()))

    async def watch():
        while not finished():
            for name, pid in pids.items():
                t = threads_of(pid)
                if t is not None:
                    most[name] = max(most[name], t)
            await asyncio.sleep(0.5)

    loops = [watch()]
    if args.edge_port:
        loops.append(every("edge_get", args.edge_interval,
                           lambda: probe_get(args, args.edge_port, args.edge_path, args.size)))
    if args.origin_port:
        loops.append(every("origin_get", args.get_interval,
                           lambda: probe_get(args, args.origin_port, args.origin_path, args.size)))
        if args.upload_interval > 0:
            loops.append(every("upload", args.upload_interval, lambda: probe_upload(args)))
    await asyncio.gather(*loops)
    window = time.monotonic() - start
    if pending:
        await asyncio.wait(pending, timeout=args.timeout + 5)
    out = {"role": "probe", "window_s": round(window, 1), "threads_max": most}
    for kind, samples in results.items():
        if not samples:
            continue
        ms = [s[0] for s in samples]
        failed = [s[2] for s in samples if not s[1]]
        kinds = {}
        for f in failed:
            kinds[f] = kinds.get(f, 0) + 1
        # The longest stretch of the window in which every request failed (by when they started): a stall.
        longest, run = 0.0, None
        for s in sorted(samples, key=lambda s: s[3]):
            if s[1]:
                run = None
                continue
            run = s[3] if run is None else run
            longest = max(longest, s[3] - run + (args.timeout if s[2] == "timeout" else 0))
        out[kind] = {"n": len(samples), "failed": len(failed), "failures": kinds,
                     "first_failure_s": round(min((s[3] for s in samples if not s[1]), default=-1), 1),
                     "longest_failing_s": round(longest, 1),
                     "p50_ms": round(percentile(ms, 0.5), 1), "p99_ms": round(percentile(ms, 0.99), 1),
                     "max_ms": round(max(ms), 1),
                     # when the slowest requests started (s into the window) and took (ms): a burst or spread out
                     "slowest": [[round(s[3], 2), round(s[0], 1)] for s in sorted(samples, key=lambda s: -s[0])[:6]],
                     "ok_bytes": sum(args.size for s in samples if s[1]) if kind != "upload" else 0}
    return out


# --- attacks -----------------------------------------------------------------------------------------------------

def count_status(counts, key):
    counts[key] = counts.get(key, 0) + 1


async def names_main(args):
    counts = {}
    issued = 0
    deadline = time.monotonic() + args.max_seconds
    start = time.monotonic()

    async def worker(w):
        nonlocal issued
        source = source_of(args.source_base, w, args.sources)
        reader = writer = None
        while issued < args.count and time.monotonic() < deadline:
            issued += 1
            name = "".join(random.choice(NAME_ALPHABET) for _ in range(8)) + ".bin"
            try:
                if writer is None:
                    reader, writer = await connect(args.port, source, args.timeout)
                writer.write(f"GET /f/{name} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\n\r\n".encode())
                answer = await asyncio.wait_for(read_answer(reader), args.timeout)
                count_status(counts, str(answer.status))
                if answer.headers.get("connection", "").lower() == "close":
                    close(writer)
                    writer = None
            except (asyncio.TimeoutError, TimeoutError):
                count_status(counts, "timeout")
                if writer:
                    close(writer)
                writer = None
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
                count_status(counts, type(e).__name__)
                if writer:
                    close(writer)
                writer = None
        if writer:
            close(writer)

    # Each worker has its own source address (of --sources): a worker's requests all come from one client.
    await asyncio.gather(*(worker(w) for w in range(args.concurrency)))
    seconds = time.monotonic() - start
    touch(args.done_file)
    return {"role": "names", "requests": sum(counts.values()), "seconds": round(seconds, 1),
            "per_second": round(sum(counts.values()) / max(seconds, 1e-6)), "answers": counts,
            "sources": min(args.sources, args.concurrency)}


async def ranges_main(args):
    counts = {}
    start = time.monotonic()
    # Offsets in every --chunk-step-th chunk of the edge's store (chunks of --chunk bytes), spread over the file and
    # each at a random place inside its chunk: what the requests ask for starts in those chunks only, so an edge
    # that fetches more than their chunks fetched for nobody.
    chunks = max(1, -(-args.size // args.chunk))
    used = list(range(0, chunks, max(1, args.chunk_step)))
    offsets = []
    for i in range(args.count):
        c = used[i % len(used)]
        offsets.append(min(args.size - 1, c * args.chunk + random.randrange(args.chunk)))
    random.shuffle(offsets)
    touched = len({o // args.chunk for o in offsets})

    async def one(i):
        offset = offsets[i]
        source = source_of(args.source_base, i, args.sources)
        writer = None
        try:
            reader, writer = await connect(args.port, source, args.timeout)
            writer.write(f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nRange: bytes={offset}-\r\n"
                         "Connection: close\r\n\r\n".encode())
            await writer.drain()
            if args.hangup == "first-byte":
                data = await asyncio.wait_for(reader.read(1), args.timeout)
                count_status(counts, "first byte" if data else "closed before a byte")
            else:
                count_status(counts, "sent")
        except (asyncio.TimeoutError, TimeoutError):
            count_status(counts, "timeout")
        except (OSError, ConnectionError) as e:
            count_status(counts, type(e).__name__)
        finally:
            if writer:
                close(writer)

    await asyncio.gather(*(one(i) for i in range(args.count)))
    touch(args.done_file)
    return {"role": "ranges", "requests": args.count, "seconds": round(time.monotonic() - start, 2),
            "outcomes": counts, "hangup": args.hangup, "chunks_touched": touched, "chunk": args.chunk,
            "asked_bytes": sum(min(args.chunk, args.size - c * args.chunk) for c in {o // args.chunk for o in offsets})}


class SlowUpload:
    def __init__(self, args, source):
        self.args, self.source = args, source
        self.sent = 0
        self.state = "starting"
        self.stop = asyncio.Event()

    async def run(self):
        args = self.args
        try:
            reader, writer = await connect(args.port, self.source, args.timeout)
        except (OSError, asyncio.TimeoutError, TimeoutError) as e:
            self.state = f"connect failed: {type(e).__name__}"
            return
        boundary = "----slow" + os.urandom(8).hex()
        head, tail = multipart_parts(boundary, "slow.bin")
        writer.write(upload_head(args.port, boundary, len(head) + args.size + len(tail)) + head)
        self.state = "sending"
        burst = os.urandom(max(1, args.rate // 8))
        answer = asyncio.ensure_future(reader.read(64))
        try:
            while not self.stop.is_set():
                if self.sent + len(burst) < args.size:
                    writer.write(burst)
                    await writer.drain()
                    self.sent += len(burst)
                # Never the last bytes: the upload stays in flight until released. Jitter keeps clients apart.
                try:
                    await asyncio.wait_for(self.stop.wait(), random.uniform(0.5, 1.5) / 8)
                except (asyncio.TimeoutError, TimeoutError):
                    pass
                if answer.done():
                    data = answer.result() if not answer.cancelled() and answer.exception() is None else b""
                    self.state = "answered " + (data[9:12].decode("latin-1") if data.startswith(b"HTTP/") else "closed")
                    break
        except (OSError, ConnectionError) as e:
            self.state = f"error: {type(e).__name__}"
        finally:
            answer.cancel()
            close(writer)


async def slow_main(args):
    uploads = [SlowUpload(args, source_of(args.source_base, i, args.sources)) for i in range(args.count)]
    tasks = []
    start = time.monotonic()
    for i, u in enumerate(uploads):
        tasks.append(asyncio.ensure_future(u.run()))
        await asyncio.sleep(max(0.0, start + (i + 1) * args.ramp / max(1, args.count) - time.monotonic()))
    touch(args.done_file)
    deadline = start + args.max_seconds
    while time.monotonic() < deadline and not (args.release_file and os.path.exists(args.release_file)):
        await asyncio.sleep(0.2)
    states = {}
    for u in uploads:
        count_status(states, u.state)
    for u in uploads:
        u.stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"role": "slow", "uploads": args.count, "held_s": round(time.monotonic() - start, 1),
            "states_at_release": states, "sent_mib": round(sum(u.sent for u in uploads) / 2**20, 1)}


VIEW_STATE = re.compile(rb'name="jakarta\.faces\.ViewState"[^>]*value="([^"]+)"')


async def login_main(args):
    counts = {}
    sem = asyncio.Semaphore(args.concurrency)
    start = time.monotonic()
    deadline = start + args.max_seconds
    prefix = args.prefix.rstrip(":")
    low = [f"{random.randrange(1 << 16):x}:{random.randrange(1 << 16):x}:{random.randrange(1 << 16):x}:"
           f"{random.randrange(1 << 16):x}" for _ in range(args.addresses)]
    hash_ms = []

    async def request(method, path, forwarded, body=b"", content_type=None):
        writer = None
        try:
            reader, writer = await connect(args.port, args.proxy_source, args.timeout)
            head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nX-Forwarded-For: {forwarded}\r\n"
                    f"Connection: close\r\n")
            if content_type:
                head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            writer.write(head.encode() + b"\r\n" + body)
            return await asyncio.wait_for(read_answer(reader, keep_body=True), args.timeout)
        finally:
            if writer:
                close(writer)

    async def attempt(i):
        async with sem:
            if time.monotonic() > deadline:
                count_status(counts, "not sent (time)")
                return
            forwarded = f"{prefix}:{low[i % len(low)]}"
            user = "admin" if i % 2 == 0 else "".join(random.choice(string.ascii_lowercase) for _ in range(8))
            try:
                page = await request("GET", "/admin/login.xhtml", forwarded)
                m = VIEW_STATE.search(page.body or b"")
                if page.status == 429:
                    count_status(counts, "refused at the page: rate")
                    return
                if page.status != 200 or not m:
                    count_status(counts, f"login page {page.status}")
                    return
                form = urllib.parse.urlencode({
                    "login": "login", "login:username": user, "login:password": "wrong " + os.urandom(6).hex(),
                    "login:next": "", "login:submit": "Log in",
                    "jakarta.faces.ViewState": m.group(1).decode()}).encode()
                t = time.monotonic()
                answer = await request("POST", "/admin/login.xhtml", forwarded, form,
                                       "application/x-www-form-urlencoded")
                text = (answer.body or b"").decode("utf-8", "replace").replace("&#39;", "'")
                if answer.status in (302, 303):
                    count_status(counts, "LOGGED IN")
                elif "Too many login attempts from your address" in text:
                    count_status(counts, "refused: rate")
                elif "Too many login attempts at the moment" in text:
                    count_status(counts, "refused: hashing busy")
                elif "Wrong user name or password" in text:
                    count_status(counts, "wrong password")
                    hash_ms.append((time.monotonic() - t) * 1000)
                else:
                    count_status(counts, f"other {answer.status}")
            except (asyncio.TimeoutError, TimeoutError):
                count_status(counts, "timeout")
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
                count_status(counts, type(e).__name__)

    await asyncio.gather(*(attempt(i) for i in range(args.count)))
    touch(args.done_file)
    return {"role": "login", "attempts": args.count, "seconds": round(time.monotonic() - start, 1),
            "addresses": args.addresses, "prefix": prefix + "::/64", "outcomes": counts,
            "checked_p50_ms": round(percentile(hash_ms, 0.5), 1) if hash_ms else None}


async def boundary_main(args):
    boundary = args.char * args.boundary_length
    piece = args.char.encode() * (1 << 20)
    head, tail = multipart_parts(boundary, "a.txt", "text/plain")
    length = len(head) + args.size + len(tail)
    sem = asyncio.Semaphore(args.parallel)
    times, counts = [], {}
    start = time.monotonic()
    deadline = start + args.max_seconds

    window_end = start + args.window if args.window > 0 else None

    async def one(i):
        async with sem:
            if time.monotonic() > deadline:
                count_status(counts, "not sent (time)")
                return
            if window_end and i >= args.parallel and time.monotonic() > window_end:
                return  # the window is over: no new upload (the first --parallel always go)
            t = time.monotonic()
            writer = None
            try:
                reader, writer = await connect(args.port, source_of(args.source_base, i, args.sources),
                                               args.timeout)
                writer.write(upload_head(args.port, boundary, length) + head)
                left = args.size
                while left > 0:
                    n = min(left, len(piece))
                    writer.write(piece if n == len(piece) else piece[:n])
                    await writer.drain()
                    left -= n
                writer.write(tail)
                answer = await asyncio.wait_for(read_answer(reader, keep_body=True), args.upload_timeout)
                count_status(counts, str(answer.status))
                times.append(time.monotonic() - t)
            except (asyncio.TimeoutError, TimeoutError):
                count_status(counts, "timeout")
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
                count_status(counts, type(e).__name__)
            finally:
                if writer:
                    close(writer)

    await asyncio.gather(*(one(i) for i in range(args.count)))
    seconds = time.monotonic() - start
    touch(args.done_file)
    sent = len(times) * args.size
    return {"role": "boundary", "boundary": f"{args.boundary_length} x '{args.char}'",
            "uploads": sum(counts.values()), "parallel": args.parallel,
            "size_mib": round(args.size / 2**20, 1), "answers": counts, "seconds": round(seconds, 2),
            "upload_s_p50": round(percentile(times, 0.5), 2) if times else None,
            "upload_s_max": round(max(times), 2) if times else None,
            "mb_per_s": round(sent / 1e6 / max(seconds, 1e-6), 1)}


async def idle_main(args):
    # The baseline's "attack": nothing, for as long as the probe wants.
    touch(args.done_file)
    return {"role": "none"}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("role", choices=["probe", "names", "ranges", "slow", "login", "boundary", "none"])
    p.add_argument("--port", type=int, default=0, help="the attacked server's port")
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--done-file")
    p.add_argument("--release-file")
    p.add_argument("--max-seconds", type=float, default=120.0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--sources", type=int, default=1, help="source addresses the attack is spread over")
    p.add_argument("--source-base", default="127.10", help="the attack's source addresses: <base>.<i/250>.<i%%250+1>")
    # probe
    p.add_argument("--source", default="127.0.0.3", help="the probe's source address")
    p.add_argument("--edge-port", type=int, default=0)
    p.add_argument("--edge-path")
    p.add_argument("--origin-port", type=int, default=0)
    p.add_argument("--origin-path")
    p.add_argument("--size", type=int, default=4096, help="probe: the GET files' length; ranges/slow/boundary: bytes")
    p.add_argument("--edge-interval", type=float, default=0.1)
    p.add_argument("--get-interval", type=float, default=0.25)
    p.add_argument("--upload-interval", type=float, default=1.0)
    p.add_argument("--upload-size", type=int, default=65536)
    p.add_argument("--min-seconds", type=float, default=20.0)
    p.add_argument("--pids", default="", help="name=pid,... whose threads the probe samples")
    # ranges
    p.add_argument("--path")
    p.add_argument("--hangup", choices=["request", "first-byte"], default="request")
    p.add_argument("--chunk", type=int, default=1047552, help="the edge's chunk size (pomf.edge.chunk-size)")
    p.add_argument("--chunk-step", type=int, default=8, help="offsets in every this many-th chunk")
    # slow
    p.add_argument("--rate", type=int, default=64000)
    p.add_argument("--ramp", type=float, default=5.0)
    # login
    p.add_argument("--proxy-source", default="127.0.0.4")
    p.add_argument("--prefix", default="2001:db8:ab:cd")
    p.add_argument("--addresses", type=int, default=200)
    # boundary
    p.add_argument("--parallel", type=int, default=8)
    p.add_argument("--char", default="a")
    p.add_argument("--boundary-length", type=int, default=70, help="the boundary: this many times --char")
    p.add_argument("--window", type=float, default=0, help="boundary: start no new upload after this many seconds")
    p.add_argument("--upload-timeout", type=float, default=120.0)
    return p.parse_args()


def main():
    args = parse_args()
    raise_nofile()
    runner = {"probe": probe_main, "names": names_main, "ranges": ranges_main, "slow": slow_main,
              "login": login_main, "boundary": boundary_main, "none": idle_main}[args.role]
    result = asyncio.run(runner(args))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
