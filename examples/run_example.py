#!/usr/bin/env python3
"""Runs one example application against the peer it needs, started here on the loopback
interface only, and checks what the example prints. CTest's example_<name> tests and
scripts/demo.sh both run the examples through this script.

    run_example.py <name> <example-binary> [--verbose]
    run_example.py --list            (one "<name><TAB><what it shows>" line per example)

Ports are chosen free on 127.0.0.1; the example gets them through the environment variables
that override its mbed_app.json values (MBED_CONF_APP_*, common/example_config.h). Every process
started here is stopped, and the temporary folder removed, before the script exits. Exit status
0 when the example behaved as expected, 1 when not, 77 when a peer program is not installed.
"""
import argparse
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")
LOOPBACK = "127.0.0.1"
TIMEOUT = 60


class Failure(Exception):
    pass


class Missing(Exception):
    """A peer program is not installed: the test is skipped (exit 77)."""


class Proc:
    """A child process whose output lines are collected by a thread."""

    def __init__(self, name, argv, env=None, cwd=None, verbose=False):
        self.name = name
        self.verbose = verbose
        self.lines = queue.Queue()
        self.output = []
        self.popen = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=env, cwd=cwd, text=True,
                                      errors="replace")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            line = line.rstrip("\n")
            self.output.append(line)
            self.lines.put(line)
            if self.verbose:
                print(f"    [{self.name}] {line}", flush=True)
        self.lines.put(None)

    def wait_for(self, text, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"{self.name}: no line containing {text!r} within {timeout} s")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise Failure(f"{self.name} exited before printing {text!r}")
            if text in line:
                return line

    def wait(self, timeout=TIMEOUT):
        try:
            rc = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure(f"{self.name} did not finish within {timeout} s")
        self.reader.join(timeout=5)
        return rc

    def text(self):
        return "\n".join(self.output)

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.reader.join(timeout=5)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_tcp(port, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise Failure(f"nothing listening on {LOOPBACK}:{port}")


def expect(proc, rc, *texts, want_rc=0):
    out = proc.text()
    if rc != want_rc:
        raise Failure(f"{proc.name} exited with {rc}, expected {want_rc}\n{out}")
    for t in texts:
        if t not in out:
            raise Failure(f"{proc.name}: output lacks {t!r}\n{out}")


def make_certs(workdir):
    """A CA, a server certificate for localhost and an unrelated CA, with openssl."""
    script = """set -e
key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1"; }
key ca.key; key other.key; key server.key
openssl req -x509 -new -key ca.key -sha256 -days 2 -subj '/CN=meshwork demo CA' -out ca.crt
openssl req -x509 -new -key other.key -sha256 -days 2 -subj '/CN=unrelated CA' -out other.crt
openssl req -new -key server.key -subj '/CN=localhost' -out server.csr
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -sha256 \
  -extfile server.ext -out server.crt
"""
    r = subprocess.run(["sh", "-c", script], cwd=workdir, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure("openssl could not make certificates:\n" + r.stdout + r.stderr)


class Runner:
    def __init__(self, binary, verbose):
        self.binary = os.path.abspath(binary)
        self.verbose = verbose
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix="meshwork-example-")

    def start(self, name, argv, env=None, cwd=None):
        p = Proc(name, argv, env=env, cwd=cwd, verbose=self.verbose)
        self.procs.append(p)
        return p

    def example(self, **config):
        env = dict(os.environ)
        env.update({k: str(v) for k, v in config.items()})
        # Line-buffered stdout (as on a board's serial port) so outputs interleave in order.
        argv = [self.binary]
        if shutil.which("stdbuf"):
            argv = ["stdbuf", "-oL"] + argv
            # stdbuf works by LD_PRELOAD, which a sanitizer build must be told to accept.
            env["ASAN_OPTIONS"] = ":".join(
                filter(None, [env.get("ASAN_OPTIONS", ""), "verify_asan_link_order=0"]))
        return self.start(os.path.basename(self.binary), argv, env=env)

    def say(self, text):
        if self.verbose:
            print(f"  -> {text}", flush=True)

    def close(self):
        for p in reversed(self.procs):
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- the examples ---------------------------------------------------------------------

    def http_client(self):
        site = os.path.join(self.tmp, "site")
        os.makedirs(site)
        with open(os.path.join(site, "index.html"), "w") as f:
            f.write("<html><body>meshwork example page</body></html>\n")
        port = free_port()
        self.say(f"starting an HTTP server (python3 -m http.server) on {LOOPBACK}:{port}")
        self.start("http.server", [sys.executable, "-m", "http.server", str(port), "--bind",
                                   LOOPBACK, "--directory", site])
        wait_tcp(port)
        self.say("running the example")
        ex = self.example(MBED_CONF_APP_HOST=LOOPBACK, MBED_CONF_APP_PORT=port,
                          MBED_CONF_APP_PATH="/index.html")
        expect(ex, ex.wait(), "Response status: HTTP/1.0 200", "Done")

    def https_client(self):
        make_certs(self.tmp)
        port = free_port()
        self.say(f"starting an HTTPS server (openssl s_server -www) on {LOOPBACK}:{port} with a "
                 "certificate for localhost made just now")
        srv = self.start("s_server", ["openssl", "s_server", "-accept", f"{LOOPBACK}:{port}",
                                      "-cert", "server.crt", "-key", "server.key", "-www"],
                         cwd=self.tmp)
        srv.wait_for("ACCEPT")
        self.say("running the example with MESHWORK_CA_FILE=ca.crt (the server's CA)")
        ex = self.example(MBED_CONF_APP_HOST=LOOPBACK, MBED_CONF_APP_PORT=port,
                          MBED_CONF_APP_HOSTNAME="localhost",
                          MESHWORK_CA_FILE=os.path.join(self.tmp, "ca.crt"))
        expect(ex, ex.wait(), "TLS handshake done", "Response status: HTTP/1.0 200 ok", "Done")
        self.say("running it again trusting an unrelated CA: the handshake must be refused")
        bad = self.example(MBED_CONF_APP_HOST=LOOPBACK, MBED_CONF_APP_PORT=port,
                           MBED_CONF_APP_HOSTNAME="localhost",
                           MESHWORK_CA_FILE=os.path.join(self.tmp, "other.crt"))
        expect(bad, bad.wait(), "certificate not accepted", want_rc=1)

    def tcp_echo_server(self):
        port = free_port()
        self.say(f"starting the example as an echo server on port {port} (one connection)")
        ex = self.example(MBED_CONF_APP_PORT=port, MBED_CONF_APP_CONNECTIONS=1)
        ex.wait_for("listening on port")
        self.say("connecting the peer echo client (examples/peers/tcp_echo_client.py)")
        client = self.start("echo-client", [sys.executable, os.path.join(PEERS,
                                            "tcp_echo_client.py"), "--port", str(port)])
        expect(client, client.wait(), "echo OK")
        expect(ex, ex.wait(), "Accepted connection from 127.0.0.1", "Done")

    def tcp_ping_pong(self):
        port = free_port()
        self.say(f"starting the peer (examples/peers/tcp_ping_pong_peer.py) on port {port}")
        peer = self.start("peer", [sys.executable, os.path.join(PEERS, "tcp_ping_pong_peer.py"),
                                   "--port", str(port), "--once"])
        peer.wait_for("ready")
        self.say("running the example")
        ex = self.example(MBED_CONF_APP_HOST=LOOPBACK, MBED_CONF_APP_PORT=port,
                          MBED_CONF_APP_ROUNDS=10)
        expect(ex, ex.wait(), "10/10 pongs", "Done")
        expect(peer, peer.wait(), "after 10 pings")

    def udp_ping_pong(self):
        port = free_port(socket.SOCK_DGRAM)
        self.say(f"starting the peer (examples/peers/udp_ping_pong_peer.py) on port {port}")
        peer = self.start("peer", [sys.executable, os.path.join(PEERS, "udp_ping_pong_peer.py"),
                                   "--port", str(port)])
        peer.wait_for("ready")
        self.say("running the example")
        ex = self.example(MBED_CONF_APP_HOST=LOOPBACK, MBED_CONF_APP_PORT=port,
                          MBED_CONF_APP_ROUNDS=10)
        expect(ex, ex.wait(), "10/10 pongs", "Done")


    def mqtt_client(self):
        mosquitto = find_program("mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
        if not mosquitto:
            raise Missing("mosquitto not installed (Debian mosquitto)")
        mosquitto_pub = find_program("mosquitto_pub")
        port = free_port()
        conf = os.path.join(self.tmp, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {port} {LOOPBACK}\nallow_anonymous true\npersistence false\n")
        self.say(f"starting an MQTT broker (mosquitto) on {LOOPBACK}:{port}")
        self.start("mosquitto", [mosquitto, "-c", conf])
        wait_tcp(port)
        config = dict(MBED_CONF_APP_BROKER_HOST=LOOPBACK, MBED_CONF_APP_BROKER_PORT=port)
        if mosquitto_pub:
            config["MBED_CONF_APP_COMMAND_WAIT_S"] = 20
        self.say("running the example")
        ex = self.example(**config)
        if mosquitto_pub:
            ex.wait_for("waiting for a command")
            self.say("sending it a command with mosquitto_pub")
            pub = self.start("mosquitto_pub", [mosquitto_pub, "-h", LOOPBACK, "-p", str(port),
                                               "-q", "1", "-t", "meshwork/example/command",
                                               "-m", "blink"])
            expect(pub, pub.wait())
        texts = ['received meshwork/example/status "online" qos=1 retained']
        texts += [f'received meshwork/example/counter "hello at qos {q}" qos={q}' for q in range(3)]
        if mosquitto_pub:
            texts.append('received meshwork/example/command "blink" qos=1')
        expect(ex, ex.wait(), *texts, "MQTT example done: 4 messages")

    def websocket_client(self):
        # The server needs a Python with the websockets module (Debian python3-websockets
        # installs it for /usr/bin/python3, which may differ from the python3 running this).
        python = None
        for candidate in ("/usr/bin/python3", sys.executable):
            if os.access(candidate, os.X_OK) and subprocess.run(
                    [candidate, "-c", "import websockets"], capture_output=True).returncode == 0:
                python = candidate
                break
        if not python:
            raise Missing("no Python with the websockets module (Debian python3-websockets)")
        port = free_port()
        self.say(f"starting a WebSocket echo server (examples/peers/websocket_echo_server.py) on "
                 f"{LOOPBACK}:{port}")
        self.start("echo-server", [python, os.path.join(PEERS, "websocket_echo_server.py"),
                                   str(port)])
        wait_tcp(port)
        self.say("running the example")
        ex = self.example(MBED_CONF_APP_SERVER_HOST=LOOPBACK, MBED_CONF_APP_SERVER_PORT=port)
        expect(ex, ex.wait(), 'echo text: "hello, websocket"', "echo binary: 65536 bytes, intact",
               "closed with status 1000")

    def coap_client(self):
        server = find_program("coap-server", "coap-server-notls", "coap-server-openssl",
                              "coap-server-gnutls")
        if not server:
            raise Missing("libcoap's coap-server not installed (Debian libcoap3-bin)")
        port = free_port(socket.SOCK_DGRAM)
        self.say(f"starting libcoap's coap-server on {LOOPBACK}:{port} (UDP)")
        self.start("coap-server", [server, "-A", LOOPBACK, "-p", str(port), "-v", "0"])
        self.say("running the example (its confirmable requests are retried until the server "
                 "is up)")
        ex = self.example(MBED_CONF_APP_HOST=LOOPBACK, MBED_CONF_APP_PORT=port)
        expect(ex, ex.wait(timeout=90), "GET / -> 2.05", "PUT /example_data -> 2.0",
               "GET /example_data -> 2.05: hello from meshwork", "Notification 3 (seq",
               "Observation of /time cancelled after 3 notifications", "Done")


def find_program(*candidates):
    """The first of `candidates` (names on PATH or absolute paths) that exists, or None."""
    for c in candidates:
        path = shutil.which(c)
        if path:
            return path
    return None


# name: (what it shows, how to run it). scripts/demo.sh runs them in this order.
EXAMPLES = {
    "http-client": ("HTTP GET over a TCPSocket (Mbed OS 6 API) from a local python3 http.server",
                    Runner.http_client),
    "https-client": ("the same GET over a TLSSocket that verifies the server's certificate "
                     "(openssl s_server), then a refusal when the CA does not match",
                     Runner.https_client),
    "tcp-echo-server-5x": ("an echo server written with TCPServer::accept(TCPSocket*, "
                           "SocketAddress*) (Mbed OS 5 API), exercised by a Python client",
                           Runner.tcp_echo_server),
    "tcp-echo-server": ("an echo server written with TCPSocket::listen/accept (Mbed OS 6 API), "
                        "exercised by a Python client", Runner.tcp_echo_server),
    "tcp-ping-pong": ("TCP ping-pong between the application and a peer program on the computer",
                      Runner.tcp_ping_pong),
    "udp-ping-pong": ("UDP ping-pong with retries between the application and a peer program",
                      Runner.udp_ping_pong),
    "mqtt-client": ("MQTT 3.1.1 client: publish and subscribe at QoS 0/1/2 through a local "
                    "mosquitto broker, and a command sent by mosquitto_pub", Runner.mqtt_client),
    "websocket-client": ("WebSocket (RFC 6455) client: text, fragmented binary, ping and close "
                         "with a local echo server", Runner.websocket_client),
    "coap-client": ("CoAP (RFC 7252) client: GET, PUT and an observation against libcoap's "
                    "coap-server", Runner.coap_client),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list the examples and exit")
    ap.add_argument("name", nargs="?", choices=list(EXAMPLES))
    ap.add_argument("binary", nargs="?")
    ap.add_argument("--verbose", action="store_true", help="show every process's output")
    args = ap.parse_args()
    if args.list:
        for name, (what, _) in EXAMPLES.items():
            print(f"{name}\t{what}")
        return 0
    if not args.name or not args.binary:
        ap.error("an example name and its binary are required")
    if not os.access(args.binary, os.X_OK):
        print(f"FAIL {args.name}: {args.binary} is not an executable")
        return 1
    runner = Runner(args.binary, args.verbose)
    try:
        EXAMPLES[args.name][1](runner)
    except Missing as e:
        print(f"SKIP {args.name}: {e}", flush=True)
        return 77
    except Failure as e:
        print(f"FAIL {args.name}: {e}", flush=True)
        return 1
    finally:
        runner.close()
    print(f"PASS {args.name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
