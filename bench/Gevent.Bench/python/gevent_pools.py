#!/usr/bin/env python3
"""Python gevent's side of `Gevent.Bench pools`: pool map overhead per item and thread-pool apply
round trip, best of 5, in microseconds. Prints one JSON object."""
import json
import time

import gevent
import gevent.pool


def best(fn, n, trials=5):
    fastest = float("inf")
    for _ in range(trials):
        start = time.perf_counter()
        fn(n)
        fastest = min(fastest, time.perf_counter() - start)
    return fastest / n * 1e6


def pool_map(n):
    gevent.pool.Pool(10).map(lambda x: x, range(n))


def threadpool_apply(n):
    pool = gevent.get_hub().threadpool
    for _ in range(n):
        pool.apply(lambda: 1)


print(json.dumps({"pool_map_us": best(pool_map, 10000), "threadpool_apply_us": best(threadpool_apply, 2000)}))
