#!/usr/bin/env python3
"""Python gevent's side of `Gevent.Bench scale`: many parked greenlets in one process.

    python3 gevent_scale.py COUNT [--json]

Resident bytes per sleeping greenlet at 100,000; COUNT sleepers (time to spawn them and let each reach its
sleep, bytes each, time to kill them all); COUNT waiters on one Event (time to set it and join them all);
and the median pause of a forced gc.collect(0) and gc.collect(2) with none and with 100,000 sleepers.
Needs Debian's python3-gevent. The JSON keys are the ones ScaleRows.cs reads.
"""
import gc
import json
import statistics
import sys
import time

import gevent
from gevent.event import Event

HUNDRED_K = 100_000
LONG_SLEEP = 600  # seconds: longer than any run; the sleepers are killed
GEN0_TRIALS = 31
GEN2_TRIALS = 11


def rss_bytes():
    # The current resident set, as the .NET side reads it (/proc/self/status VmRSS), after a full collection.
    gc.collect()
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmRSS line")


def spawn_parked(count, body, *args):
    """Spawns count greenlets and lets each reach its wait; returns them and the seconds it took."""
    start = time.perf_counter()
    greenlets = [gevent.spawn(body, *args) for _ in range(count)]
    while not all(greenlets):  # a greenlet is true once started and until dead
        gevent.sleep(0)
    return greenlets, time.perf_counter() - start


def sleepers(count, baseline):
    """Bytes each (growth of the resident set over the process's baseline, so that memory freed by an earlier
    run and reused here is still counted), seconds to spawn and park them, seconds to kill them all."""
    parked, spawn_s = spawn_parked(count, gevent.sleep, LONG_SLEEP)
    per_greenlet = (rss_bytes() - baseline) / count
    start = time.perf_counter()
    gevent.killall(parked)
    kill_s = time.perf_counter() - start
    if not all(g.dead for g in parked):
        raise RuntimeError("killall returned with sleepers still alive")
    return per_greenlet, spawn_s, kill_s


def waiters(count):
    event = Event()
    parked, spawn_s = spawn_parked(count, event.wait)
    start = time.perf_counter()
    event.set()
    gevent.joinall(parked)
    return spawn_s, time.perf_counter() - start


def median_pause_us(generation, trials):
    pauses = []
    for _ in range(trials):
        start = time.perf_counter()
        gc.collect(generation)
        pauses.append((time.perf_counter() - start) * 1e6)
    return statistics.median(pauses)


def main(argv):
    numbers = [a for a in argv if a != "--json"]
    if len(numbers) != 1 or not numbers[0].isdigit() or int(numbers[0]) < 1:
        sys.exit(f"usage: {sys.argv[0]} COUNT [--json]  (COUNT: a positive whole number of greenlets)")
    count = int(numbers[0])

    baseline = rss_bytes()
    gen0_idle, gen2_idle = median_pause_us(0, GEN0_TRIALS), median_pause_us(2, GEN2_TRIALS)
    parked, _ = spawn_parked(HUNDRED_K, gevent.sleep, LONG_SLEEP)
    bytes_100k = (rss_bytes() - baseline) / HUNDRED_K
    gen0_100k, gen2_100k = median_pause_us(0, GEN0_TRIALS), median_pause_us(2, GEN2_TRIALS)
    gevent.killall(parked)
    del parked
    bytes_many, spawn_s, kill_s = sleepers(count, baseline)
    waiters_spawn_s, wake_s = waiters(count)
    results = {
        "bytes_per_sleeping_greenlet_100k": bytes_100k,
        "spawn_park_sleepers_s": spawn_s,
        "bytes_per_sleeping_greenlet_many": bytes_many,
        "kill_all_s": kill_s,
        "spawn_park_waiters_s": waiters_spawn_s,
        "wake_all_s": wake_s,
        "gc_gen0_pause_us_idle": gen0_idle,
        "gc_gen0_pause_us_100k": gen0_100k,
        "gc_gen2_pause_us_idle": gen2_idle,
        "gc_gen2_pause_us_100k": gen2_100k,
    }
    if "--json" in argv:
        print(json.dumps(results))
    else:
        for name, value in results.items():
            print(f"{name}: {value:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
