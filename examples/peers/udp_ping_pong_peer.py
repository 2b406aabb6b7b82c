#!/usr/bin/env python3
"""Computer side of examples/udp-ping-pong: answers each "ping <n>" datagram with "pong <n>".

Binds 127.0.0.1 by default; prints "ready" once bound. Exits after --count answers (0: never)
or after --timeout seconds without a datagram.
"""
import argparse
import socket
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7101)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    answered = 0
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.bind((args.host, args.port))
        sock.settimeout(args.timeout)
        print(f"ready: udp ping-pong peer on {args.host}:{args.port}", flush=True)
        while args.count == 0 or answered < args.count:
            try:
                data, addr = sock.recvfrom(2048)
            except socket.timeout:
                print("peer: idle, exiting", flush=True)
                break
            text = data.decode(errors="replace").strip()
            if text.startswith("ping "):
                reply = "pong " + text[5:]
                sock.sendto(reply.encode(), addr)
                answered += 1
                print(f"peer: {text} from {addr[0]}:{addr[1]} -> {reply}", flush=True)
    print(f"peer: answered {answered} pings", flush=True)
    return 0 if answered else 1


if __name__ == "__main__":
    sys.exit(main())
