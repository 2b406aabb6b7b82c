#!/usr/bin/env python3
"""Computer side of examples/tcp-ping-pong: answers each "ping <n>" line with "pong <n>".

Listens on 127.0.0.1 by default; prints "ready" once listening. With --once it exits after the
first connection closes (exit status 0 if at least one ping was answered).
"""
import argparse
import socket
import sys


def serve(conn, addr):
    print(f"peer: connection from {addr[0]}:{addr[1]}", flush=True)
    answered = 0
    buf = b""
    with conn:
        while True:
            data = conn.recv(4096)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace").strip()
                if text.startswith("ping "):
                    reply = "pong " + text[5:]
                    conn.sendall(reply.encode() + b"\n")
                    answered += 1
                    print(f"peer: {text} -> {reply}", flush=True)
    print(f"peer: connection closed after {answered} pings", flush=True)
    return answered


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7100)
    ap.add_argument("--once", action="store_true", help="exit after one connection")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a client")
    args = ap.parse_args()
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((args.host, args.port))
        srv.listen(5)
        srv.settimeout(args.timeout)
        print(f"ready: tcp ping-pong peer on {args.host}:{args.port}", flush=True)
        while True:
            try:
                conn, addr = srv.accept()
            except socket.timeout:
                print("peer: no client", flush=True)
                return 1
            conn.settimeout(args.timeout)
            answered = serve(conn, addr)
            if args.once:
                return 0 if answered else 1


if __name__ == "__main__":
    sys.exit(main())
