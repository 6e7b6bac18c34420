#!/usr/bin/env python3
"""edge-bench-relay.py: a throttling, counting HTTP relay between a cache and the origin (edge-bench.sh's helper).

    edge-bench-relay.py --listen 127.0.0.1:18199 --upstream 127.0.0.1:18100 [--rate BYTES_PER_SECOND]

Every connection from a cache is relayed byte for byte to the upstream (HTTP/1.0 or 1.1 keep-alive, no pipelining,
requests without bodies: what nginx and the JDK's HttpURLConnection send for GET/HEAD). On the way it counts, per
request path: requests, requests with a Range header, and response bytes relayed back (status line, headers and
body). The response direction is throttled to --rate bytes per second per connection, measured from the start of
each request (0 = no limit): a slow origin whose every response crawls at the same speed.

The relay answers these requests itself (stdlib only, loopback only):
    GET /__relay/stats          JSON {"paths": {path: {"requests", "ranged", "bytes"}}, "rate", "connections"}
    GET /__relay/reset          zero all counters
    GET /__relay/rate?bps=N     set the per-connection rate (bytes/s, 0 = unlimited) for every connection
"""
import argparse
import asyncio
import json
import signal
import time
from urllib.parse import parse_qs, urlsplit

CHUNK = 64 * 1024


class Relay:
    def __init__(self, upstream_host, upstream_port, rate):
        self.upstream = (upstream_host, upstream_port)
        self.rate = rate
        self.paths = {}
        self.connections = 0
        self.max_open = 0
        self.open = 0

    def count(self, path, ranged):
        entry = self.paths.setdefault(path, {"requests": 0, "ranged": 0, "bytes": 0})
        entry["requests"] += 1
        if ranged:
            entry["ranged"] += 1
        return entry

    async def control(self, writer, target):
        url = urlsplit(target)
        if url.path == "/__relay/reset":
            self.paths.clear()
            self.connections = 0
            self.max_open = self.open
            body = {"ok": True}
        elif url.path == "/__relay/rate":
            self.rate = int(parse_qs(url.query).get("bps", ["0"])[0])
            body = {"rate": self.rate}
        else:
            body = {"paths": self.paths, "rate": self.rate, "connections": self.connections, "max_open": self.max_open}
        data = json.dumps(body).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     + b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
        await writer.drain()

    async def handle(self, reader, writer):
        state = {"entry": None, "t0": 0.0, "sent": 0}
        upstream_writer = None
        self.open += 1
        self.max_open = max(self.max_open, self.open)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            if target.startswith("/__relay/"):
                await self.control(writer, target)
                return
            self.connections += 1
            up_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
            self.started(state, head)
            upstream_writer.write(head)
            await upstream_writer.drain()
            down = asyncio.ensure_future(self.pump_down(up_reader, writer, state))
            up = asyncio.ensure_future(self.pump_up(reader, upstream_writer, state))
            done, pending = await asyncio.wait({down, up}, return_when=asyncio.FIRST_COMPLETED)
            if up in done and down not in done:
                # The client finished sending (half-close, HTTP/1.0): let the response finish.
                await down
            for task in pending:
                if not task.done():
                    task.cancel()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError):
            pass
        finally:
            self.open -= 1
            for w in (upstream_writer, writer):
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
        # Requests without bodies: each head is one request.
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            self.started(state, head)
            writer.write(head)
            await writer.drain()

    async def pump_down(self, reader, writer, state):
        while True:
            data = await reader.read(CHUNK)
            if not data:
                return
            writer.write(data)
            await writer.drain()
            state["sent"] += len(data)
            if state["entry"] is not None:
                state["entry"]["bytes"] += len(data)
            if self.rate > 0:
                due = state["t0"] + state["sent"] / self.rate
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:18199")
    parser.add_argument("--upstream", default="127.0.0.1:18100")
    parser.add_argument("--rate", type=int, default=0)
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("the relay listens on loopback only")
    up_host, up_port = args.upstream.rsplit(":", 1)
    relay = Relay(up_host, int(up_port), args.rate)
    server = await asyncio.start_server(relay.handle, host, int(port), backlog=1024, limit=1 << 20)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"relay on {host}:{port} -> {up_host}:{up_port}, rate {args.rate} B/s per connection", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
