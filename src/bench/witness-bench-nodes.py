#!/usr/bin/env python3
"""witness-bench-nodes.py: simulated edge nodes for src/bench/witness-bench.sh.

For every address given (one per line in ADDRESS_FILE, loopback addresses 127.x.y.z only), it listens on
ADDRESS:HTTPS_PORT (TLS with CERT/KEY; GET /health/ready -> 200, keep-alive) and on ADDRESS:SSH_PORT (writes an
"SSH-2.0-..." banner, then waits for the client to hang up). One listener per address, never a wildcard: nothing is
reachable from outside the machine. Writes "ready <count>" to stdout once every listener is bound; SIGTERM stops it.

usage: witness-bench-nodes.py ADDRESS_FILE HTTPS_PORT SSH_PORT CERT KEY
"""
import asyncio
import ipaddress
import signal
import ssl
import sys

BANNER = b"SSH-2.0-OpenSSH_9.2p1 pomf-witness-bench\r\n"
BODY = b"{\"status\":\"UP\"}"


async def https_client(reader, writer):
    try:
        while True:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            line = head.split(b"\r\n", 1)[0].split()
            ok = len(line) >= 2 and line[0] == b"GET" and line[1].split(b"?")[0] == b"/health/ready"
            status = b"200 OK" if ok else b"404 Not Found"
            body = BODY if ok else b"not found"
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError, ConnectionError,
            ssl.SSLError, OSError):
        pass
    finally:
        writer.close()


async def ssh_client(reader, writer):
    try:
        writer.write(BANNER)
        await writer.drain()
        await asyncio.wait_for(reader.read(4096), 30)  # the checker hangs up after the banner
    except (asyncio.TimeoutError, ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main():
    path, https_port, ssh_port, cert, key = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    with open(path) as f:
        addresses = [line.strip() for line in f if line.strip()]
    for address in addresses:
        if not ipaddress.IPv4Address(address).is_loopback:
            sys.exit(f"refusing to listen on {address}: loopback addresses only")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    servers = []
    for address in addresses:
        servers.append(await asyncio.start_server(https_client, address, https_port, ssl=context, backlog=512,
                                                  ssl_handshake_timeout=30))
        servers.append(await asyncio.start_server(ssh_client, address, ssh_port, backlog=512))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"ready {len(addresses)}", flush=True)
    await stop.wait()
    for server in servers:
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
