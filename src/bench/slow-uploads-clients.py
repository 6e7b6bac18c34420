#!/usr/bin/env python3
"""slow-uploads-clients.py: one phase of slow-uploads-bench.sh, as clients of a running pomf-ee.

Holds N slow uploads (each on its own connection, sending its body at RATE bytes/s in small bursts), and while
they are all in flight measures what other clients get:
  - the probe: a GET of a small file on a fresh connection every 0.25 s (time to the last byte of the answer);
  - a few 1 MiB uploads one after the other (time to the answer; each a fresh connection, no Expect);
  - the server JVM (PID): its thread count (the highest seen), its HTTP worker threads and how many of them are
    busy (three thread dumps in the window), and at the end of the window its heap after a full GC (jcmd GC.run,
    then GC.heap_info).
Then it closes the slow connections (the server drops those uploads) and prints one JSON line of results.

Usage: slow-uploads-clients.py --port P --pid PID --probe-path /f/x --slow N [--rate 65536] [--ramp 5] [--settle 5]
       [--measure 20] [--uploads 5] [--timeout 10]
"""
import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import time

BURSTS_PER_SECOND = 8


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--probe-path", required=True)
    p.add_argument("--slow", type=int, default=0)
    p.add_argument("--rate", type=int, default=65536, help="bytes per second per slow upload")
    p.add_argument("--ramp", type=float, default=5.0, help="seconds over which the slow uploads start")
    p.add_argument("--settle", type=float, default=5.0, help="seconds between the ramp and the measurement")
    p.add_argument("--measure", type=float, default=20.0)
    p.add_argument("--uploads", type=int, default=5, help="1 MiB uploads during the measurement")
    p.add_argument("--timeout", type=float, default=10.0, help="a probe or upload slower than this is a timeout")
    return p.parse_args()


def multipart(name, content):
    boundary = "----pomfbench" + os.urandom(8).hex()
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return boundary, head, tail


def request_head(port, boundary, length):
    return (f"POST /upload.php?output=text HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n").encode()


async def read_answer(reader):
    data = await reader.read()
    status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "none"
    return status, data


class SlowUpload:
    """An upload that lasts longer than the phase: it sends RATE bytes/s until told to stop, then hangs up."""

    def __init__(self, args, size):
        self.args = args
        self.size = size
        self.sent = 0
        self.state = "starting"
        self.stop = asyncio.Event()

    async def run(self):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.args.port)
        except OSError as e:
            self.state = f"connect failed: {e}"
            return
        boundary, head, tail = multipart("slow.bin", b"")
        writer.write(request_head(self.args.port, boundary, len(head) + self.size + len(tail)) + head)
        self.state = "sending"
        burst = bytes(os.urandom(self.args.rate // BURSTS_PER_SECOND))
        answer = asyncio.ensure_future(reader.read(1))
        try:
            while not self.stop.is_set() and self.sent + len(burst) < self.size:
                writer.write(burst)
                await writer.drain()
                self.sent += len(burst)
                # Jitter: real clients are not in step with each other (the average rate stays RATE).
                await asyncio.sleep(random.uniform(0.5, 1.5) / BURSTS_PER_SECOND)
                if answer.done():
                    self.state = "answered early"
                    break
        except OSError as e:
            self.state = f"error: {e}"
        finally:
            answer.cancel()
            writer.close()


async def probe(args):
    start = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), args.timeout)
        writer.write(f"GET {args.probe_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        status, _ = await asyncio.wait_for(read_answer(reader), args.timeout - (time.monotonic() - start))
        writer.close()
        return (time.monotonic() - start) * 1000, status == "200"
    except (asyncio.TimeoutError, OSError):
        return args.timeout * 1000, False


async def upload_one(args):
    content = os.urandom(1 << 20)
    boundary, head, tail = multipart("one-mib.bin", content)
    start = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), args.timeout)
        writer.write(request_head(args.port, boundary, len(head) + len(content) + len(tail)) + head + content + tail)
        status, _ = await asyncio.wait_for(read_answer(reader), args.timeout - (time.monotonic() - start))
        writer.close()
        return (time.monotonic() - start) * 1000, status == "200"
    except (asyncio.TimeoutError, OSError):
        return args.timeout * 1000, False


def threads(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^Threads:\s+(\d+)", f.read(), re.M).group(1))


def http_workers(pid):
    """(all, busy) threads of Payara's HTTP worker pool: busy ones are not waiting in the pool for a task."""
    dump = subprocess.run(["jstack", str(pid)], capture_output=True, text=True, timeout=60).stdout
    workers = [block for block in dump.split("\n\n") if block.startswith('"http-thread-pool')]
    idle = sum(1 for block in workers if "SyncThreadWorker.getTask" in block or "ThreadPoolExecutor.getTask" in block)
    return len(workers), len(workers) - idle


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1)) // 1024


def heap_after_gc_mib(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=True, timeout=120)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return round(int(re.search(r"used (\d+)K", info).group(1)) / 1024, 1)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def main():
    args = parse_args()
    lasting = args.ramp + args.settle + args.measure + 120
    slow = [SlowUpload(args, int(args.rate * lasting)) for _ in range(args.slow)]
    tasks = []
    for i, s in enumerate(slow):
        tasks.append(asyncio.ensure_future(s.run()))
        await asyncio.sleep(args.ramp / max(1, args.slow))
    await asyncio.sleep(args.settle)

    most_threads = threads(args.pid)
    probes, uploads = [], []

    async def probing():
        end = time.monotonic() + args.measure
        while time.monotonic() < end:
            tick = time.monotonic()
            probes.append(await probe(args))
            await asyncio.sleep(max(0.0, 0.25 - (time.monotonic() - tick)))

    async def uploading():
        gap = args.measure / max(1, args.uploads)
        for _ in range(args.uploads):
            tick = time.monotonic()
            uploads.append(await upload_one(args))
            await asyncio.sleep(max(0.0, gap - (time.monotonic() - tick)))

    workers = []

    async def counting():
        nonlocal most_threads
        start = time.monotonic()
        end = start + args.measure
        samples = [start + args.measure * f for f in (0.3, 0.6, 0.9)]
        while time.monotonic() < end:
            most_threads = max(most_threads, threads(args.pid))
            if samples and time.monotonic() >= samples[0]:
                samples.pop(0)
                workers.append(await asyncio.get_running_loop().run_in_executor(None, http_workers, args.pid))
            await asyncio.sleep(0.5)

    await asyncio.gather(probing(), uploading(), counting())
    in_flight = sum(1 for s in slow if s.state == "sending")
    heap = await asyncio.get_running_loop().run_in_executor(None, heap_after_gc_mib, args.pid)
    rss = rss_mib(args.pid)
    for s in slow:
        s.stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)

    probe_ms = [ms for ms, _ in probes]
    upload_ms = [ms for ms, _ in uploads]
    states = {}
    for s in slow:
        states[s.state] = states.get(s.state, 0) + 1
    print(json.dumps({
        "slow": args.slow,
        "slow_in_flight_at_end": in_flight,
        "slow_states": states,
        "slow_bytes_sent_mib": round(sum(s.sent for s in slow) / 2**20, 1),
        "probes": len(probes),
        "probe_failures": sum(1 for _, ok in probes if not ok),
        "probe_p50_ms": round(statistics.median(probe_ms), 1),
        "probe_p99_ms": round(percentile(probe_ms, 0.99), 1),
        "uploads": len(uploads),
        "upload_failures": sum(1 for _, ok in uploads if not ok),
        "upload_median_ms": round(statistics.median(upload_ms), 1),
        "upload_max_ms": round(max(upload_ms), 1),
        "threads_max": most_threads,
        "http_workers_max": max((w[0] for w in workers), default=0),
        "http_workers_busy_max": max((w[1] for w in workers), default=0),
        "heap_after_gc_mib": heap,
        "rss_mib": rss,
    }))


if __name__ == "__main__":
    asyncio.run(main())
