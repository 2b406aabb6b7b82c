#!/usr/bin/env python3
"""Host-test runner for Greentea suites built with meshwork (docs/greentea.md).

Runs one suite binary, speaks the greentea key-value protocol with it over its stdin/stdout
("{{key;value}}" lines), answers the host test the suite names in GREENTEA_SETUP, and exits 0
only if the suite reported success (and, with --case, that case passed).

Built-in host tests (loopback only):
  default, default_auto     nothing to answer
  tcp_echo, udp_echo        a TCP or UDP echo server on 127.0.0.1; answers the suite's
                            "host_ip" and "host_port" requests with its address (Mbed 5.x
                            netsocket suites send "target_ip", then ask for both)

Usage: meshwork_htrun.py [--case N] [--timeout S] -- <binary> [args...]
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid

KV = re.compile(rb"\{\{([^;{}]*);([^{}]*)\}\}")


class EchoServer:
    """A loopback echo server (TCP or UDP) run on daemon threads until stop()."""

    def __init__(self, kind):
        self.kind = kind
        family_type = socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM
        self.sock = socket.socket(socket.AF_INET, family_type)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        if kind == "tcp":
            self.sock.listen(16)
            target = self._accept_loop
        else:
            target = self._datagram_loop
        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def _accept_loop(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._echo_stream, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo_stream(conn):
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                try:
                    conn.sendall(data)
                except OSError:
                    return

    def _datagram_loop(self):
        while not self.stopping:
            try:
                data, peer = self.sock.recvfrom(65536)
                self.sock.sendto(data, peer)
            except OSError:
                return

    def stop(self):
        self.stopping = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class HostTest:
    """Answers a suite's requests; the base class answers nothing."""

    def __init__(self, runner):
        self.runner = runner

    def on_kv(self, key, value):
        pass

    def stop(self):
        pass


class EchoHostTest(HostTest):
    def __init__(self, runner, kind):
        super().__init__(runner)
        self.server = EchoServer(kind)
        self.target_ip = None

    def on_kv(self, key, value):
        if key == "target_ip":
            self.target_ip = value  # the device's address; the echo peer stays on loopback
        elif key == "host_ip":
            self.runner.send("host_ip", "127.0.0.1")
        elif key == "host_port":
            self.runner.send("host_port", str(self.server.port))

    def stop(self):
        self.server.stop()


def make_host_test(name, runner):
    if name in ("tcp_echo", "udp_echo"):
        return EchoHostTest(runner, name[:3])
    if name not in ("", "default", "default_auto"):
        print(f"[htrun] unknown host test '{name}': running with none", flush=True)
    return HostTest(runner)


class Runner:
    def __init__(self, argv, case, timeout):
        env = dict(os.environ)
        env["MESHWORK_GREENTEA_SYNC"] = "1"
        if case is not None:
            env["MESHWORK_UTEST_CASE"] = str(case)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.timeout = timeout
        self.lock = threading.Lock()
        self.host_test = HostTest(self)
        self.result = None  # "success" / "failure" from {{end;...}}
        self.finished = {}  # case description -> (passed, failed)
        self.started = []

    def send(self, key, value):
        line = f"{{{{{key};{value}}}}}\n".encode()
        with self.lock:
            try:
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass

    def handle(self, key, value):
        if key == "__host_test_name":
            self.host_test.stop()
            self.host_test = make_host_test(value, self)
        elif key == "__timeout":
            try:
                self.timeout = max(self.timeout, int(value) + 5)
            except ValueError:
                pass
        elif key == "__testcase_start":
            self.started.append(value)
        elif key == "__testcase_finish":
            name, _, counts = value.rpartition(";")
            name, _, passed = name.rpartition(";")
            try:
                self.finished[name] = (int(passed), int(counts))
            except ValueError:
                self.finished[value] = (0, 1)
        elif key == "end":
            self.result = value
        else:
            self.host_test.on_kv(key, value)

    def run(self):
        self.send("__sync", str(uuid.uuid4()))
        deadline = [time.monotonic() + self.timeout]
        buf = b""
        out = sys.stdout.buffer

        def watchdog():
            while self.proc.poll() is None:
                if time.monotonic() > deadline[0]:
                    print(f"[htrun] timed out after {self.timeout} s", flush=True)
                    self.proc.kill()
                    return
                time.sleep(0.1)

        threading.Thread(target=watchdog, daemon=True).start()
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                break
            out.write(chunk)
            out.flush()
            buf += chunk
            while True:
                m = KV.search(buf)
                if not m:
                    # Keep only a possible start of a message.
                    start = buf.rfind(b"{{")
                    buf = buf[start:] if start >= 0 else b""
                    break
                buf = buf[m.end():]
                self.handle(m.group(1).decode(errors="replace"), m.group(2).decode(errors="replace"))
                deadline[0] = max(deadline[0], time.monotonic() + 1)
        code = self.proc.wait()
        self.host_test.stop()
        return code


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", type=int, help="run only this case (its index)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds (the suite's own wins if longer)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no suite binary given")
    runner = Runner(command, args.case, args.timeout)
    code = runner.run()
    failed = [name for name, (_, f) in runner.finished.items() if f]
    ok = runner.result == "success" and not failed
    if args.case is not None and not runner.finished:
        ok = False  # the case never reported
    verdict = "PASS" if ok else "FAIL"
    print(f"[htrun] {verdict}: result {runner.result}, exit status {code}, "
          f"cases {len(runner.finished)} finished, {len(failed)} failed", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
