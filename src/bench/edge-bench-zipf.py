#!/usr/bin/env python3
"""edge-bench-zipf.py: replays a Zipf-distributed request trace against one cache (edge-bench.sh's helper).

    edge-bench-zipf.py --base http://127.0.0.1:18103 --names names.txt --size 16384 \
        [--requests 20000] [--exponent 1.0] [--seed 20240601] [--threads 16]

names.txt holds one path per line (/f/NAME), most popular first: request i goes to rank k with probability
proportional to 1/k^exponent, drawn with a fixed seed, so every cache gets the very same sequence. Threads take the
next request of the sequence in order, each on its own keep-alive connection (http.client). Prints one JSON line:
requests, seconds, requests per second, answers per HTTP status and per X-Cache-Status, and the failures (a status
other than 200 or a body of another size than --size).
"""
import argparse
import http.client
import json
import random
import threading
import time
from collections import Counter
from urllib.parse import urlsplit


def trace(names, requests, exponent, seed):
    weights = [1.0 / (k ** exponent) for k in range(1, len(names) + 1)]
    return random.Random(seed).choices(range(len(names)), weights=weights, k=requests)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--names", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--exponent", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--deadline", type=float, default=0, help="seconds after which no request is started (0: none)")
    args = parser.parse_args()
    with open(args.names) as f:
        names = [line.strip() for line in f if line.strip()]
    sequence = trace(names, args.requests, args.exponent, args.seed)
    url = urlsplit(args.base)
    lock = threading.Lock()
    position = [0]
    statuses, cache_statuses, failures = Counter(), Counter(), []
    distinct = len(set(sequence))
    skipped = [0]
    t0 = time.monotonic()

    def worker():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        mine_status, mine_cache = Counter(), Counter()
        while True:
            with lock:
                i = position[0]
                position[0] += 1
            if i >= len(sequence):
                break
            if args.deadline and time.monotonic() - t0 > args.deadline:
                with lock:
                    skipped[0] += 1
                continue
            path = names[sequence[i]]
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                mine_status[response.status] += 1
                mine_cache[response.getheader("X-Cache-Status", "none")] += 1
                if response.status != 200 or len(body) != args.size:
                    with lock:
                        failures.append(f"{path}: HTTP {response.status}, {len(body)} bytes")
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    failures.append(f"{path}: {e!r}")
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        connection.close()
        with lock:
            statuses.update(mine_status)
            cache_statuses.update(mine_cache)

    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t0
    print(json.dumps({
        "requests": len(sequence),
        "distinct": distinct,
        "seconds": round(seconds, 3),
        "rps": round((len(sequence) - skipped[0]) / seconds, 1),
        "statuses": {str(k): v for k, v in statuses.items()},
        "cache": dict(cache_statuses),
        "failures": len(failures) + skipped[0],
        "skipped_after_deadline": skipped[0],
        "failure_examples": failures[:5],
    }))


if __name__ == "__main__":
    main()
