#!/usr/bin/env python3
"""Python gevent's side of `Gevent.Bench echo`: a StreamServer echoing what each connection sends.

    python3 gevent_echo.py PORT      (listens on 127.0.0.1 only)
"""
import sys

from gevent.server import StreamServer


def echo(connection, _address):
    chunk = connection.recv(4096)
    while chunk:
        connection.sendall(chunk)
        chunk = connection.recv(4096)


if __name__ == "__main__":
    # A deep backlog: the load generator opens thousands of connections at once.
    StreamServer(("127.0.0.1", int(sys.argv[1])), echo, backlog=4096).serve_forever()
