#!/usr/bin/env python3
"""Runs one application from apps/ against a peer started here on 127.0.0.1 and checks its output.

    run_app_test.py mqtt <app> <mosquitto> [<mosquitto_pub>]
    run_app_test.py websocket <app> <python-with-websockets> <echo-server.py>

The peer listens on a free loopback port handed to the application through MBED_CONF_APP_*
environment variables. Every process started here is stopped before exit. Exit status 0 when
the application printed what it should; 77 when a peer program is missing (skipped).
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listener(port, limit=15):
    end = time.time() + limit
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def run_app(app, env, on_line=None):
    """Runs the app, echoing its output; on_line(line) is called for each line."""
    proc = subprocess.Popen([app], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    timer = threading.Timer(TIMEOUT, proc.kill)
    timer.start()
    lines = []
    for line in proc.stdout:
        line = line.rstrip("\n")
        print("app:", line)
        lines.append(line)
        if on_line:
            on_line(line)
    proc.wait()
    timer.cancel()
    return proc.returncode, lines


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


def mqtt(app, mosquitto, mosquitto_pub=None):
    if not mosquitto or not shutil.which(mosquitto):
        print("SKIP: mosquitto not installed")
        sys.exit(77)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        broker = subprocess.Popen([mosquitto, "-c", conf], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            check(wait_listener(port), "mosquitto did not start")
            env = dict(os.environ, MBED_CONF_APP_BROKER_HOST="127.0.0.1",
                       MBED_CONF_APP_BROKER_PORT=str(port))
            use_pub = bool(mosquitto_pub and shutil.which(mosquitto_pub))
            if use_pub:
                env["MBED_CONF_APP_COMMAND_WAIT_S"] = "20"

            def on_line(line):
                if use_pub and line.startswith("waiting for a command"):
                    subprocess.run([mosquitto_pub, "-h", "127.0.0.1", "-p", str(port), "-q", "1",
                                    "-t", "meshwork/example/command", "-m", "blink"], check=True)

            rc, lines = run_app(app, env, on_line)
        finally:
            broker.terminate()
            broker.wait()
    out = "\n".join(lines)
    check(rc == 0, f"exit status {rc}")
    check('received meshwork/example/status "online" qos=1 retained' in out, "retained status")
    for qos in range(3):
        check(f'received meshwork/example/counter "hello at qos {qos}" qos={qos}' in out,
              f"message at qos {qos}")
    if use_pub:
        check('received meshwork/example/command "blink" qos=1' in out, "mosquitto_pub command")
    check("MQTT example done: 4 messages" in out, "summary line")
    print("PASS")


def websocket(app, python, server):
    probe = subprocess.run([python, "-c", "import websockets"], capture_output=True)
    if probe.returncode != 0:
        print("SKIP: python3-websockets not installed")
        sys.exit(77)
    port = free_port()
    peer = subprocess.Popen([python, server, str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        check(wait_listener(port), "echo server did not start")
        env = dict(os.environ, MBED_CONF_APP_SERVER_HOST="127.0.0.1",
                   MBED_CONF_APP_SERVER_PORT=str(port))
        rc, lines = run_app(app, env)
    finally:
        peer.terminate()
        peer.wait()
    out = "\n".join(lines)
    check(rc == 0, f"exit status {rc}")
    check('echo text: "hello, websocket"' in out, "text echo")
    check("echo binary: 65536 bytes, intact" in out, "binary echo")
    check("closed with status 1000" in out, "close handshake")
    print("PASS")


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "mqtt":
        mqtt(*sys.argv[2:])
    elif kind == "websocket":
        websocket(*sys.argv[2:])
    else:
        sys.exit(f"unknown kind {kind}")
