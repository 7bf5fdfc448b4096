#!/usr/bin/env bash
# Installs what building and running Virga's container images needs on a Debian machine without
# a Docker engine: podman, podman-compose, debootstrap (the base image is built from Debian's
# packages, no registry needed) and runc. Writes a containers.conf that works on hosts where the
# default ulimits cannot be set (see docs/deployment.md) and prints the line to export.
# Safe to run more than once; installs nothing that is already there.
set -euo pipefail

conf_dir="${VIRGA_CONTAINERS_CONF_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.virga/podman}"
need=()
# dnsname: containers of one compose project find each other by service name (CNI backend)
for p in podman podman-compose debootstrap runc golang-github-containernetworking-plugin-dnsname; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup-podman: installing ${need[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}" \
    uidmap slirp4netns fuse-overlayfs containernetworking-plugins iptables \
    golang-github-containernetworking-plugin-dnsname
fi

mkdir -p "$conf_dir"
# runc, and no default ulimits: on hosts whose container runtime may not raise RLIMIT_NOFILE /
# RLIMIT_NPROC (this project's CI machines) both crun and runc fail with the defaults.
cat > "$conf_dir/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
echo "setup-podman: $(podman --version), $(podman-compose --version 2>/dev/null | grep -i "podman-composer* version" | head -1)"
echo "setup-podman: export CONTAINERS_CONF=$conf_dir/containers.conf"
