#!/usr/bin/env python3
"""Runs the CoAP client example against libcoap's coap-server on a free loopback port and checks
its output. Exit 77 (skipped) when coap-server is not installed (Debian libcoap3-bin).

    run_coap_example.py <coap-client-example binary>
"""
import os
import shutil
import socket
import subprocess
import sys


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary = sys.argv[1]
    server = None
    for name in ("coap-server", "coap-server-notls", "coap-server-openssl", "coap-server-gnutls"):
        server = shutil.which(name)
        if server:
            break
    if not server:
        print("SKIP: libcoap coap-server not installed")
        return 77
    port = free_udp_port()
    peer = subprocess.Popen([server, "-A", "127.0.0.1", "-p", str(port), "-v", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = dict(os.environ, MBED_CONF_APP_HOST="127.0.0.1", MBED_CONF_APP_PORT=str(port))
        run = subprocess.run([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=90)
        out = run.stdout.decode(errors="replace")
        print(out)
        expected = [
            "GET / -> 2.05",
            "PUT /example_data -> 2.0",
            "GET /example_data -> 2.05: hello from meshwork",
            "Notification 3 (seq",
            "Observation of /time cancelled after 3 notifications",
            "Done",
        ]
        missing = [e for e in expected if e not in out]
        if run.returncode != 0 or missing:
            print("FAIL: exit %d, missing %s" % (run.returncode, missing))
            return 1
        print("PASS")
        return 0
    finally:
        peer.terminate()
        peer.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
