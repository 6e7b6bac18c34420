#!/usr/bin/env python3
"""edge-bench-relay.py: a slow origin for edge-bench.sh: a counting, throttling HTTP relay in front of the real one.

    edge-bench-relay.py --listen 127.0.0.1:18199 --upstream 127.0.0.1:18100 [--rate BYTES_PER_SECOND]
                        [--far-listen 198.19.254.2:18150 --far-netns NS]

Every connection from a cache is relayed byte for byte to the upstream (HTTP/1.0 or 1.1 keep-alive, no pipelining,
requests without bodies: what nginx and the JDK's HttpURLConnection send for GET/HEAD). On the way it counts, per
request path: requests, requests with a Range header, and the response bytes the upstream sent (status line and
headers included). --log-requests prints each request as it passes: time, connection number, method, path, Range.

Throttling (--rate, bytes per second per connection, 0 = none) applies to what the relay hands to the cache, clocked
from the start of each request: every response crawls at that speed, like an origin far away. The upstream itself is
read at full speed, up to --ahead bytes (default 16 MiB) per connection beyond what the cache was handed, held in the
relay's memory; then the relay reads only as fast as it hands on. (It used to hold whole responses, because a Payara
origin read slowly by 100 clients queued them on its heap and ran out of memory; the origin's write queue is bounded
since, and 100 clients of a 64 MiB object would have held 6.4 GB here. --ahead 0 is the old unbounded way.)

--far-listen adds a second listener, the "far" one, made inside the network namespace NS (ip netns) while the relay
itself stays in the host's: caches reach it across the namespace's link (veth with netem, or edge-bench-delay.py),
and the relay reaches the upstream on loopback. So the path cache -> origin crosses the delayed link exactly once each
way (a relay running wholly in the namespace, behind a host-side forwarder, would cross it twice). Both listeners
share the counters, the rate and the control requests.

The relay answers these requests itself (stdlib only, loopback only):
    GET /__relay/stats          JSON {"paths": {path: {"requests", "ranged", "bytes"}}, "rate", "connections", "open",
                                  "max_open", "max_buffered" (bytes held at most), "errors"}
    GET /__relay/reset          zero all counters
    GET /__relay/rate?bps=N     set the rate (bytes/s per connection, 0 = unlimited) for every connection
"""
import argparse
import asyncio
import ctypes
import json
import os
import signal
import socket
import time
from urllib.parse import parse_qs, urlsplit

CHUNK = 64 * 1024
IDLE = 120  # seconds without a byte from the upstream before a relayed connection is dropped
CLONE_NEWNET = 0x40000000


class Relay:
    def __init__(self, upstream_host, upstream_port, rate, ahead, log_requests):
        self.log_requests = log_requests
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
            number = self.connections  # now: other connections may be counted while this one connects upstream
            self.open += 1
            self.max_open = max(self.max_open, self.open)
            try:
                up_reader, up_writer = await asyncio.open_connection(*self.upstream)
                state = {"entry": None, "t0": 0.0, "sent": 0, "held": 0, "drained": asyncio.Event(),
                         "id": number}
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
        method, path = (part.decode("latin-1") for part in lines[0].split(b" ")[:2])
        ranges = [line[6:].strip().decode("latin-1") for line in lines[1:] if line.lower().startswith(b"range:")]
        state["entry"] = self.count(path, bool(ranges))
        if self.log_requests:
            print(f"{time.time():.3f} conn {state['id']} {method} {path} {ranges[0] if ranges else '-'}", flush=True)
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


def setns(fd):
    if ctypes.CDLL(None, use_errno=True).setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"setns: {os.strerror(errno)}")


def listener_in_netns(netns, host, port):
    """A listening socket that belongs to the namespace netns (a socket keeps the namespace it was made in)."""
    here = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    there = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    try:
        setns(there)
        try:
            return socket.create_server((host, port), backlog=1024)
        finally:
            setns(here)
    finally:
        os.close(here)
        os.close(there)


async def main(args, far_socket):
    host, port = args.listen.rsplit(":", 1)
    up_host, up_port = args.upstream.rsplit(":", 1)
    relay = Relay(up_host, int(up_port), args.rate, args.ahead, args.log_requests)

    def on_connection(reader, writer):
        relay.spawn(relay.handle(reader, writer))

    servers = [await asyncio.start_server(on_connection, host, int(port), backlog=1024, limit=1 << 20)]
    if far_socket is not None:
        servers.append(await asyncio.start_server(on_connection, sock=far_socket, limit=1 << 20))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    far = f" and {args.far_listen} (netns {args.far_netns})" if far_socket is not None else ""
    print(f"relay on {host}:{port}{far} -> {up_host}:{up_port}, rate {args.rate} B/s per connection", flush=True)
    await stop.wait()
    for server in servers:
        server.close()


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:18199")
    parser.add_argument("--upstream", default="127.0.0.1:18100")
    parser.add_argument("--rate", type=int, default=0)
    parser.add_argument("--ahead", type=int, default=16 << 20, help="bytes per connection read ahead, 0: no limit")
    parser.add_argument("--log-requests", action="store_true", help="one line per request on stdout")
    parser.add_argument("--far-listen", help="ADDRESS:PORT of a second listener, inside --far-netns")
    parser.add_argument("--far-netns", help="the network namespace (ip netns) of --far-listen")
    args = parser.parse_args()
    if args.listen.rsplit(":", 1)[0] not in ("127.0.0.1", "localhost"):
        raise SystemExit("the relay listens on loopback only (and in its private namespace)")
    if bool(args.far_listen) != bool(args.far_netns):
        raise SystemExit("--far-listen and --far-netns go together")
    return args


if __name__ == "__main__":
    arguments = parse()
    far_listener = None
    if arguments.far_listen:
        # Before the event loop starts: setns changes only the calling thread, and no other thread exists yet.
        far_host, far_port = arguments.far_listen.rsplit(":", 1)
        far_listener = listener_in_netns(arguments.far_netns, far_host, int(far_port))
    asyncio.run(main(arguments, far_listener))
