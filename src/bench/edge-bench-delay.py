#!/usr/bin/env python3
"""edge-bench-delay.py: a network delay line for edge-bench.sh, for kernels without netem (sch_netem).

    edge-bench-delay.py --netns NS --host-dev ebNh --ns-dev ebNn --delay-ms 25

Makes two TUN devices, HOST_DEV in this process's network namespace and NS_DEV in the named one (ip netns), and
carries every IP packet from one to the other after DELAY_MS (each way, so a round trip takes twice that). The
caller gives the devices their addresses and brings them up once this prints "ready"; the devices disappear with the
process (they are not persistent), so nothing is left behind if it dies.

The devices take TCP segmentation offload (virtio-net headers, TUNSETOFFLOAD): TCP keeps a 1500-byte MTU, its
real segment size, window and slow start, while this process moves up to 64 KiB per packet, so a Python loop keeps
up with hundreds of MB/s. Packets keep their order; nothing is dropped on purpose. Stats go to stdout on exit.
"""
import argparse
import collections
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA  # _IOW('T', 202, int)
TUNSETOFFLOAD = 0x400454D0  # _IOW('T', 208, unsigned int)
IFF_TUN, IFF_NO_PI, IFF_VNET_HDR = 0x0001, 0x1000, 0x4000
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6 = 0x01, 0x02, 0x04
CLONE_NEWNET = 0x40000000
READ_SIZE = 70000  # a 64 KiB GSO packet and its virtio-net header
BURST = 256  # packets read from one device before the other gets its turn


def setns(fd):
    if ctypes.CDLL(None, use_errno=True).setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"setns: {os.strerror(errno)}")


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI | IFF_VNET_HDR))
    fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)
    return fd


def open_in_netns(netns, name):
    # A TUN device belongs to the network namespace its file was opened in: open it there, come back.
    here = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    there = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    try:
        setns(there)
        try:
            return open_tun(name)
        finally:
            setns(here)
    finally:
        os.close(here)
        os.close(there)


class Direction:
    def __init__(self, name, source, target):
        self.name, self.source, self.target = name, source, target
        self.queue = collections.deque()  # (due, packet)
        self.packets = self.bytes = self.errors = self.max_queued = 0


def run(host_fd, ns_fd, delay):
    ways = [Direction("host->ns", host_fd, ns_fd), Direction("ns->host", ns_fd, host_fd)]
    by_source = {w.source: w for w in ways}
    try:
        while True:
            now = time.monotonic()
            due = None
            for way in ways:
                queue = way.queue
                while queue and queue[0][0] <= now:
                    packet = queue.popleft()[1]
                    try:
                        os.write(way.target, packet)
                        way.packets += 1
                        way.bytes += len(packet)
                    except OSError:  # the device went down: the packet is lost, as on a wire
                        way.errors += 1
                if queue and (due is None or queue[0][0] < due):
                    due = queue[0][0]
            timeout = None if due is None else max(0.0, due - time.monotonic())
            readable, _, _ = select.select([host_fd, ns_fd], [], [], timeout)
            for fd in readable:
                way = by_source[fd]
                arrived = time.monotonic() + delay
                for _ in range(BURST):
                    try:
                        packet = os.read(fd, READ_SIZE)
                    except BlockingIOError:
                        break
                    way.queue.append((arrived, packet))
                way.max_queued = max(way.max_queued, len(way.queue))
    finally:
        for way in ways:
            print(f"{way.name}: {way.packets} packets, {way.bytes} bytes, {way.errors} lost, "
                  f"at most {way.max_queued} queued", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--netns", required=True)
    parser.add_argument("--host-dev", required=True)
    parser.add_argument("--ns-dev", required=True)
    parser.add_argument("--delay-ms", type=float, required=True, help="added to each packet, each way")
    args = parser.parse_args()
    host_fd = open_tun(args.host_dev)
    ns_fd = open_in_netns(args.netns, args.ns_dev)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)  # (SIGINT: Python's own KeyboardInterrupt, or ignored when started with &)
    print(f"ready: {args.host_dev} <-> {args.ns_dev} (netns {args.netns}), {args.delay_ms} ms each way", flush=True)
    run(host_fd, ns_fd, args.delay_ms / 1000)


if __name__ == "__main__":
    sys.exit(main())
