#!/usr/bin/env bash
# The main job: a simulated 6LoWPAN-ND mesh on this PC, no hardware.
#
# Installs the Debian packages (scripts/install-deps.sh), builds (Release) the meshwork-sim
# runner and examples/mesh-minimal as a node module, then runs that unmodified Mbed application
# on every node of a mesh: node 1 is the border router (6LBR, RPL root), the others are
# 6LoWPAN-ND routers placed at random around it (from the seed), so that some are several hops
# out. Each node connects through its LoWPANNDInterface, prints its address, echoes UDP and
# pings the border router's echo port across the mesh. The runner prints every node's output as
# it happens in virtual time with a progress line, then a summary (nodes connected, formation
# time, hops, UDP delivery) and the path of the pcap of the air, which tshark decodes (checked
# here when tshark is installed: RPL and 6LoWPAN-ND messages, no malformed frame).
#
# Environment: MESHWORK_DEMO_NODES (20), MESHWORK_DEMO_SEED (1), MESHWORK_DEMO_UNTIL (3min),
# MESHWORK_DEMO_BUILD_DIR (build/demo), MESHWORK_SKIP_APT=1 to skip apt. The socket examples on
# the host network are scripts/demo-sockets.sh. scripts/test.sh runs both in its `demo` stage.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${MESHWORK_DEMO_BUILD_DIR:-build/demo}"
NODES="${MESHWORK_DEMO_NODES:-20}"
SEED="${MESHWORK_DEMO_SEED:-1}"
UNTIL="${MESHWORK_DEMO_UNTIL:-3min}"
JOBS="$(nproc 2>/dev/null || echo 2)"

banner() { printf '\n==== %s\n' "$*"; }

banner "Installing dependencies (scripts/install-deps.sh)"
bash scripts/install-deps.sh

banner "Building meshwork-sim and the mesh-minimal node module (Release) in $BUILD"
mkdir -p "$BUILD"
log="$BUILD/demo-configure.log"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHWORK_BUILD_TESTS=OFF \
  -DMESHWORK_BUILD_BENCH=OFF -DMESHWORK_BUILD_EXAMPLES=ON >"$log" 2>&1 ||
  { cat "$log"; exit 1; }
cmake --build "$BUILD" --target meshwork-sim mesh-minimal-node -j"$JOBS"

pcap="$ROOT/$BUILD/mesh.pcap"
out="$BUILD/mesh-demo.txt"
banner "A 6LoWPAN-ND mesh of $NODES nodes (seed $SEED, $UNTIL of virtual time)"
"$BUILD/tools/meshwork-sim/meshwork-sim" --app "$BUILD/examples/mesh-minimal-node.so" \
  --mesh --topology random --nodes "$NODES" --seed "$SEED" --until "$UNTIL" --pcap "$pcap" \
  --stats | tee "$out"

status=0
if ! grep -q "nodes connected: *$NODES of $NODES" "$out"; then
  echo "demo: not every node connected"
  status=1
fi
if command -v tshark >/dev/null 2>&1; then
  banner "The capture in tshark ($pcap)"
  # 6LoWPAN-ND registrations (NS/NA with the ARO), RAs with 6CO/ABRO, RPL control messages.
  fields=$(tshark -r "$pcap" -Y "icmpv6" -T fields -e icmpv6.type -e icmpv6.code 2>/dev/null |
    sort | uniq -c | sort -rn)
  echo "ICMPv6 messages (count, type, code):"
  echo "$fields"
  malformed=$(tshark -r "$pcap" -Y "_ws.malformed || _ws.expert.severity == error" 2>/dev/null |
    wc -l)
  echo "malformed or error frames: $malformed"
  echo "$fields" | grep -qw 155 || { echo "demo: no RPL message decoded"; status=1; }
  echo "$fields" | grep -qw 135 || { echo "demo: no neighbour solicitation decoded"; status=1; }
  [ "$malformed" -eq 0 ] || status=1
fi
[ "$status" -eq 0 ] && echo "The mesh formed; the capture is $pcap."
exit "$status"
