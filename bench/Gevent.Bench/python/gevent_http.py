#!/usr/bin/env python3
"""Python gevent's side of `Gevent.Bench http`: pywsgi answering "Hello, World!" with keep-alive.

    python3 gevent_http.py PORT      (listens on 127.0.0.1 only)
"""
import sys

from gevent.pywsgi import WSGIServer

GREETING = b"Hello, World!"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(GREETING)))]


def hello(environ, start_response):
    start_response("200 OK", HEADERS)
    return [GREETING]


if __name__ == "__main__":
    WSGIServer(("127.0.0.1", int(sys.argv[1])), hello, log=None).serve_forever()
