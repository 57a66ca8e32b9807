#!/usr/bin/env python3
"""Holds N slow connections open against a server until killed: half trickle a request's
headers one byte a second, half connect and send nothing. A connection the server closes is
opened again, so the pressure stays at N. Used by api_bench.sh --slow-sockets.

    python3 bench/slow_sockets.py HOST PORT N
"""
import resource
import selectors
import socket
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\nX-Slow: " + b"s" * 4096


def open_socket(host, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.connect_ex((host, port))
    return sock


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    selector = selectors.DefaultSelector()
    sockets = {}  # socket -> (trickling, bytes sent)
    for index in range(count):
        sock = open_socket(host, port)
        sockets[sock] = (index % 2 == 0, 0)
        selector.register(sock, selectors.EVENT_READ)
    while True:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
                sock = key.fileobj
                try:
                    data = sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:  # closed by the server: replace it
                    trickling, _ = sockets.pop(sock)
                    selector.unregister(sock)
                    sock.close()
                    fresh = open_socket(host, port)
                    sockets[fresh] = (trickling, 0)
                    selector.register(fresh, selectors.EVENT_READ)
        for sock, (trickling, sent) in list(sockets.items()):
            if trickling and sent < len(REQUEST):
                try:
                    sock.send(REQUEST[sent:sent + 1])
                    sockets[sock] = (True, sent + 1)
                except (BlockingIOError, OSError):
                    pass


if __name__ == "__main__":
    main()
