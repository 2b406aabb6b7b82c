#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the examples need.
# Idempotent; works as root on a fresh Debian 12. Set MESHWORK_SKIP_APT=1 to skip.
set -euo pipefail
[ "${MESHWORK_SKIP_APT:-0}" = 1 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
packages=(
  build-essential cmake ninja-build g++ clang libclang-rt-14-dev clang-format clang-tidy
  libgtest-dev libgmock-dev libbenchmark-dev libboost-context-dev
  nlohmann-json3-dev libcli11-dev libmbedtls-dev
  tshark iproute2 iputils-ping openssl python3
  mosquitto mosquitto-clients python3-websockets libcoap3-bin
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer once, without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
