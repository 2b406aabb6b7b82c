#!/usr/bin/env python3
"""Computer side of the TCP echo server examples: sends messages (and one 64 kB block) and
checks that every byte comes back unchanged. Exit status 0 when the echo was exact."""
import argparse
import socket
import sys
import time


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        data = sock.recv(n - len(out))
        if not data:
            raise ConnectionError("server closed the connection early")
        out += data
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7007)
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args()
    deadline = time.monotonic() + args.timeout
    while True:  # the server may still be starting
        try:
            sock = socket.create_connection((args.host, args.port), timeout=args.timeout)
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                print("client: server not reachable", flush=True)
                return 1
            time.sleep(0.1)
    with sock:
        messages = [b"hello, echo server\n", b"second line\n"]
        messages.append(bytes((i * 31 + (i >> 8)) & 0xFF for i in range(64 * 1024)))
        for msg in messages:
            sock.sendall(msg)
            back = recv_exact(sock, len(msg))
            if back != msg:
                print(f"client: echo mismatch on a {len(msg)}-byte message", flush=True)
                return 1
            print(f"client: {len(msg)} bytes echoed exactly", flush=True)
        sock.shutdown(socket.SHUT_WR)
        rest = sock.recv(1)
        if rest:
            print("client: unexpected extra data", flush=True)
            return 1
    print("client: echo OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
