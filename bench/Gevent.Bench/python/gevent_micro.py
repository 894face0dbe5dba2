#!/usr/bin/env python3
"""Python gevent's side of `Gevent.Bench micro`: the same five workloads, microseconds per operation
(fastest of 5 trials), and resident bytes per sleeping greenlet with 100,000 of them asleep.

    python3 gevent_micro.py [--json]

Needs Debian's python3-gevent. The JSON keys are the ones PythonGeventRunner.cs reads.
"""
import json
import resource
import sys
import time

import gevent
from gevent.event import Event
from gevent.queue import Queue

TRIALS = 5


def per_op_us(workload, count):
    fastest = min(_timed(workload, count) for _ in range(TRIALS))
    return fastest / count * 1e6


def _timed(workload, count):
    start = time.perf_counter()
    workload(count)
    return time.perf_counter() - start


def spawn_join(count):
    gevent.joinall([gevent.spawn(lambda: None) for _ in range(count)])


def spawn_sleep_join(count):
    gevent.joinall([gevent.spawn(gevent.sleep, 0.001) for _ in range(count)])


def yield_switch(count):
    # Two greenlets take turns with sleep(0); each turn is one switch.
    def turns():
        for _ in range(count // 2):
            gevent.sleep(0)

    gevent.joinall([gevent.spawn(turns), gevent.spawn(turns)])


def queue_ping_pong(count):
    # One message each way per round; a round is two messages.
    ping, pong = Queue(), Queue()

    def server():
        for _ in range(count // 2):
            pong.put(ping.get())

    def client():
        for n in range(count // 2):
            ping.put(n)
            pong.get()

    gevent.joinall([gevent.spawn(server), gevent.spawn(client)])


def event_wakeup(count):
    for _ in range(count):
        event = Event()
        waiter = gevent.spawn(event.wait)
        gevent.sleep(0)  # let it park on the event first
        event.set()
        waiter.join()


def bytes_per_sleeping_greenlet(count):
    # ru_maxrss is in KiB on Linux; the peak grows by what the sleepers hold.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sleepers = [gevent.spawn(gevent.sleep, 60) for _ in range(count)]
    gevent.sleep(0.2)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    gevent.killall(sleepers)
    return (after - before) * 1024 / count


def main():
    results = {
        "spawn_join_us": per_op_us(spawn_join, 10_000),
        "spawn_sleep1ms_join_us": per_op_us(spawn_sleep_join, 10_000),
        "sleep0_switch_us": per_op_us(yield_switch, 100_000),
        "queue_pingpong_us": per_op_us(queue_ping_pong, 100_000),
        "event_wakeup_us": per_op_us(event_wakeup, 10_000),
        "bytes_per_sleeping_greenlet_100k": bytes_per_sleeping_greenlet(100_000),
    }
    if "--json" in sys.argv[1:]:
        print(json.dumps(results))
    else:
        for name, value in results.items():
            print(f"{name}: {value:.3f}")


if __name__ == "__main__":
    main()
