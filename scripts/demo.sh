#!/usr/bin/env bash
# The main job: build the example Mbed applications and show them working on this PC.
#
# Installs the Debian packages (scripts/install-deps.sh), builds the examples (Release, no tests),
# then runs each example against a peer started here on the loopback interface: an HTTP server
# (python3 -m http.server), an HTTPS server (openssl s_server -www with a certificate made on the
# fly), an echo client and the ping-pong peers (examples/peers/), then the MQTT, WebSocket and
# CoAP applications against mosquitto, a WebSocket echo server and libcoap's coap-server. Nothing is contacted beyond
# 127.0.0.1; every peer started is stopped again. Exits non-zero if any example failed.
#
# Environment: MESHWORK_DEMO_BUILD_DIR (default build/demo), MESHWORK_SKIP_APT=1 to skip apt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${MESHWORK_DEMO_BUILD_DIR:-build/demo}"
JOBS="$(nproc 2>/dev/null || echo 2)"

banner() { printf '\n==== %s\n' "$*"; }

banner "Installing dependencies (scripts/install-deps.sh)"
bash scripts/install-deps.sh

banner "Building the examples (Release) in $BUILD"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHWORK_BUILD_TESTS=OFF \
  -DMESHWORK_BUILD_BENCH=OFF -DMESHWORK_BUILD_EXAMPLES=ON >"$BUILD.configure.log" 2>&1 ||
  { cat "$BUILD.configure.log"; exit 1; }
cmake --build "$BUILD" --target meshwork-examples app-mqtt-example app-websocket-example coap_example -j"$JOBS"

# name | what it shows
examples=(
  "http-client|HTTP GET over a TCPSocket (Mbed OS 6 API) from a local python3 http.server"
  "https-client|the same GET over a TLSSocket that verifies the server's certificate (openssl s_server), then a refusal when the CA does not match"
  "tcp-echo-server-5x|an echo server written with TCPServer::accept(TCPSocket*, SocketAddress*) (Mbed OS 5 API), exercised by a Python client"
  "tcp-echo-server|an echo server written with TCPSocket::listen/accept (Mbed OS 6 API), exercised by a Python client"
  "tcp-ping-pong|TCP ping-pong between the application and a peer program on the computer"
  "udp-ping-pong|UDP ping-pong with retries between the application and a peer program"
)

passed=()
failed=()
for entry in "${examples[@]}"; do
  name="${entry%%|*}"
  what="${entry#*|}"
  binary="$BUILD/examples/bin/$name"
  banner "Example $name: $what"
  if [ ! -x "$binary" ]; then
    echo "not built ($binary missing)"
    failed+=("$name")
    continue
  fi
  if python3 examples/run_example_test.py "$name" "$binary" --verbose; then
    passed+=("$name")
  else
    failed+=("$name")
  fi
done

# Protocol clients (MQTT, WebSocket, CoAP) against real peers started on 127.0.0.1.
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
ws_python=/usr/bin/python3
protocol_apps=(
  "mqtt-example|MQTT 3.1.1 client: publish and subscribe at QoS 0/1/2 through a local mosquitto broker|python3 apps/run_app_test.py mqtt $BUILD/apps/bin/mqtt-example $mosquitto_bin $(command -v mosquitto_pub || true)"
  "websocket-example|WebSocket (RFC 6455) client: messages with a local echo server|python3 apps/run_app_test.py websocket $BUILD/apps/bin/websocket-example $ws_python apps/websocket-example/echo_server.py"
  "coap-client|CoAP (RFC 7252) client: GET, PUT and an observation against libcoap's coap-server|python3 coap-apps/run_coap_example.py $BUILD/coap-apps/bin/coap-client-example"
)
for entry in "${protocol_apps[@]}"; do
  IFS='|' read -r name what command <<<"$entry"
  banner "Example $name: $what"
  if $command; then passed+=("$name"); else failed+=("$name"); fi
done

banner "Summary"
for n in "${passed[@]}"; do echo "  PASS  $n"; done
for n in "${failed[@]+"${failed[@]}"}"; do echo "  FAIL  $n"; done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "${#failed[@]} example(s) failed"
  exit 1
fi
echo "All ${#passed[@]} examples ran as expected (loopback only)."
