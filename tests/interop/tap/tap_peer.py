#!/usr/bin/env python3
"""The Linux side of the TAP interop tests (tests/interop/tap): plain kernel sockets inside the
test's network namespace, talking only to the meshwork node's address on the test prefix.

  tcp-recv-server PORT OUT        accept one connection, write what arrives to OUT until EOF
  tcp-send-server PORT IN         accept one connection, send IN, close
  tcp-recv-client ADDR PORT OUT   connect (retrying while refused), write what arrives to OUT
  tcp-send-client ADDR PORT IN    connect (retrying while refused), send IN, close
  udp-echo-server PORT COUNT      echo COUNT datagrams back to their sender, then exit
  udp-echo-client ADDR PORT COUNT send COUNT datagrams (resending on timeout), check each echo

Exit status 0 on success; a line on stdout says what was done.
"""
import socket
import sys
import time


def listen(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(1)
    s.settimeout(60)
    print("listening", port, flush=True)
    c, peer = s.accept()
    s.close()
    c.settimeout(60)
    print("accepted", peer[0], peer[1], flush=True)
    return c


def connect(addr, port):
    deadline = time.monotonic() + 30
    while True:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.settimeout(60)
        try:
            s.connect((addr, port))
            print("connected", addr, port, flush=True)
            return s
        except (ConnectionRefusedError, OSError):
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def receive_all(c, out):
    total = 0
    with open(out, "wb") as f:
        while True:
            b = c.recv(65536)
            if not b:
                break
            f.write(b)
            total += len(b)
    c.close()
    print("received", total, flush=True)


def send_all(c, path):
    with open(path, "rb") as f:
        data = f.read()
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    # Wait for the node's close so every byte is acknowledged before the socket goes.
    while c.recv(65536):
        pass
    c.close()
    print("sent", len(data), flush=True)


def datagram(i):
    return bytes((i * 31 + k) & 0xFF for k in range(1 + (i * 97) % 1200))


def udp_echo_server(port, count):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", port))
    s.settimeout(60)
    print("bound", port, flush=True)
    seen = set()
    while len(seen) < count:
        b, peer = s.recvfrom(65536)
        s.sendto(b, peer)
        seen.add(b)
    # The node may resend a datagram whose echo it missed: keep echoing a little longer.
    s.settimeout(1)
    try:
        while True:
            b, peer = s.recvfrom(65536)
            s.sendto(b, peer)
    except socket.timeout:
        pass
    print("echoed", len(seen), flush=True)


def udp_echo_client(addr, port, count):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    deadline = time.monotonic() + 30
    for i in range(count):
        d = datagram(i)
        while True:
            if time.monotonic() > deadline:
                print("timeout at datagram", i, flush=True)
                return 1
            s.sendto(d, (addr, port))
            try:
                b, peer = s.recvfrom(65536)
            except socket.timeout:
                continue
            while b != d:  # a late echo of an earlier resend
                try:
                    b, peer = s.recvfrom(65536)
                except socket.timeout:
                    break
            if b == d:
                break
    print("echoes", count, flush=True)
    return 0


def main(argv):
    mode = argv[1]
    if mode == "tcp-recv-server":
        receive_all(listen(int(argv[2])), argv[3])
    elif mode == "tcp-send-server":
        send_all(listen(int(argv[2])), argv[3])
    elif mode == "tcp-recv-client":
        receive_all(connect(argv[2], int(argv[3])), argv[4])
    elif mode == "tcp-send-client":
        send_all(connect(argv[2], int(argv[3])), argv[4])
    elif mode == "udp-echo-server":
        udp_echo_server(int(argv[2]), int(argv[3]))
    elif mode == "udp-echo-client":
        return udp_echo_client(argv[2], int(argv[3]), int(argv[4]))
    else:
        print("unknown mode", mode, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
