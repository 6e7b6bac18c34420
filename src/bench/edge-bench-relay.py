#!/usr/bin/env python3
"""edge-bench-relay.py: a slow origin for edge-bench.sh: a counting, throttling HTTP relay in front of the real one.

    edge-bench-relay.py --listen 127.0.0.1:18199 --upstream 127.0.0.1:18100 [--rate BYTES_PER_SECOND]

Every connection from a cache is relayed byte for byte to the upstream (HTTP/1.0 or 1.1 keep-alive, no pipelining,
requests without bodies: what nginx and the JDK's HttpURLConnection send for GET/HEAD). On the way it counts, per
request path: requests, requests with a Range header, and the response bytes the upstream sent (status line and
headers included).

Throttling (--rate, bytes per second per connection, 0 = none) applies to what the relay hands to the cache, clocked
from the start of each request: every response crawls at that speed, like an origin far away. The upstream itself is
read at full speed, up to --ahead bytes (default 16 MiB) per connection beyond what the cache was handed, held in the
relay's memory; then the relay reads only as fast as it hands on. (It used to hold whole responses, because a Payara
origin read slowly by 100 clients queued them on its heap and ran out of memory; the origin's write queue is bounded
since, and 100 clients of a 64 MiB object would have held 6.4 GB here. --ahead 0 is the old unbounded way.)

The relay answers these requests itself (stdlib only, loopback only):
    GET /__relay/stats          JSON {"paths": {path: {"requests", "ranged", "bytes"}}, "rate", "connections", "open",
                                  "max_open", "max_buffered" (bytes held at most), "errors"}
    GET /__relay/reset          zero all counters
    GET /__relay/rate?bps=N     set the rate (bytes/s per connection, 0 = unlimited) for every connection
"""
import argparse
import asyncio
import json
import signal
import time
from urllib.parse import parse_qs, urlsplit

CHUNK = 64 * 1024
IDLE = 120  # seconds without a byte from the upstream before a relayed connection is dropped


class Relay:
    def __init__(self, upstream_host, upstream_port, rate, ahead):
        self.upstream = (upstream_host, upstream_port)
        self.rate = rate
        self.ahead = ahead  # bytes per connection read from the upstream and not yet handed on, at most (0: no limit)
        self.tasks = set()  # strong references: asyncio keeps only weak ones to running tasks
        self.open = 0  # relayed connections open now
        self.buffered = 0  # bytes read from the upstream and not yet handed on
        self.reset()

    def reset(self):
        self.paths = {}
        self.connections = 0
        self.max_open = self.open
        self.max_buffered = self.buffered
        self.errors = 0

    def spawn(self, coro):
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def count(self, path, ranged):
        entry = self.paths.setdefault(path, {"requests": 0, "ranged": 0, "bytes": 0})
        entry["requests"] += 1
        if ranged:
            entry["ranged"] += 1
        return entry

    async def control(self, writer, target):
        url = urlsplit(target)
        if url.path == "/__relay/reset":
            self.reset()
            body = {"ok": True}
        elif url.path == "/__relay/rate":
            self.rate = int(parse_qs(url.query).get("bps", ["0"])[0])
            body = {"rate": self.rate}
        else:
            body = {"paths": self.paths, "rate": self.rate, "connections": self.connections, "open": self.open,
                    "max_open": self.max_open, "max_buffered": self.max_buffered, "errors": self.errors}
        data = json.dumps(body).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     + b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
        await writer.drain()

    async def handle(self, reader, writer):
        up_writer = None
        tasks = []
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            if target.startswith("/__relay/"):
                await self.control(writer, target)
                return
            self.connections += 1
            self.open += 1
            self.max_open = max(self.max_open, self.open)
            try:
                up_reader, up_writer = await asyncio.open_connection(*self.upstream)
                state = {"entry": None, "t0": 0.0, "sent": 0, "held": 0, "drained": asyncio.Event()}
                queue = asyncio.Queue()
                self.started(state, head)
                up_writer.write(head)
                await up_writer.drain()
                tasks = [self.spawn(self.pump_up(reader, up_writer, state)),
                         self.spawn(self.fetch(up_reader, queue, state)),
                         self.spawn(self.deliver(queue, writer, state))]
                # The exchange ends when the response side ends (upstream closed, or the cache went away) or when
                # the cache closes its side between requests.
                await asyncio.wait([tasks[0], tasks[2]], return_when=asyncio.FIRST_COMPLETED)
            finally:
                self.open -= 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError, OSError):
            pass
        finally:
            for task in tasks:
                task.cancel()
            for w in (up_writer, writer):
                if w is not None:
                    try:
                        w.close()
                    except Exception:  # noqa: BLE001 - closing a broken socket
                        pass

    def started(self, state, head):
        lines = head.split(b"\r\n")
        path = lines[0].split(b" ")[1].decode("latin-1")
        ranged = any(line.lower().startswith(b"range:") for line in lines[1:])
        state["entry"] = self.count(path, ranged)
        state["t0"] = time.monotonic()
        state["sent"] = 0

    async def pump_up(self, reader, writer, state):
        # Requests without bodies: each head is one request. Returns when the cache closes its side.
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            self.started(state, head)
            writer.write(head)
            await writer.drain()

    async def fetch(self, reader, queue, state):
        # The upstream at full speed, into memory; None marks its end.
        try:
            while True:
                while self.ahead and state["held"] >= self.ahead:
                    state["drained"].clear()
                    await state["drained"].wait()
                data = await asyncio.wait_for(reader.read(CHUNK), IDLE)
                if not data:
                    break
                if state["entry"] is not None:
                    state["entry"]["bytes"] += len(data)
                self.buffered += len(data)
                self.max_buffered = max(self.max_buffered, self.buffered)
                state["held"] += len(data)
                queue.put_nowait(data)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            self.errors += 1
        finally:
            queue.put_nowait(None)

    async def deliver(self, queue, writer, state):
        try:
            while True:
                data = await queue.get()
                if data is None:
                    return
                self.buffered -= len(data)
                state["held"] -= len(data)
                if state["held"] < self.ahead:
                    state["drained"].set()
                writer.write(data)
                await writer.drain()
                state["sent"] += len(data)
                if self.rate > 0:
                    delay = state["t0"] + state["sent"] / self.rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
        except (ConnectionError, OSError):
            return
        finally:
            while not queue.empty():  # what the cache will never get
                data = queue.get_nowait()
                if data:
                    self.buffered -= len(data)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:18199")
    parser.add_argument("--upstream", default="127.0.0.1:18100")
    parser.add_argument("--rate", type=int, default=0)
    parser.add_argument("--ahead", type=int, default=16 << 20, help="bytes per connection read ahead, 0: no limit")
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("the relay listens on loopback only")
    up_host, up_port = args.upstream.rsplit(":", 1)
    relay = Relay(up_host, int(up_port), args.rate, args.ahead)

    async def on_connection(reader, writer):
        await relay.handle(reader, writer)

    server = await asyncio.start_server(
        lambda r, w: relay.spawn(on_connection(r, w)), host, int(port), backlog=1024, limit=1 << 20)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"relay on {host}:{port} -> {up_host}:{up_port}, rate {args.rate} B/s per connection", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
