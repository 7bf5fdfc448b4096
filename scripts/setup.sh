#!/usr/bin/env bash
# Installs what Virga needs on a Debian/Ubuntu machine: Java 17 and Maven, and
# for real guests QEMU, runc and what the guest-image build uses
# (scripts/guest-image/build.sh: a Debian kernel package, busybox-static, cpio,
# e2fsprogs), and node + npm for the deployment checks. PostgreSQL (binaries from Maven Central) and Kafka (KRaft, from
# Maven Central) come with the build itself; nothing else is downloaded.
# Says what it installs; installs nothing that is already there.
# Safe to run more than once.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -q 'version "\(1[7-9]\|2[0-9]\)' || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# util-linux provides setpriv, used to run PostgreSQL as an unprivileged user when we are root
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
# deploy-checks renders the Helm chart and validates it with npm packages (npm ci, package-lock.json)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# the dashboard's browser test (e2e-tests DashboardIT) drives Debian's chromium with playwright-core
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Real guests (qemu and runc drivers) and the guest-image build. Debian package names, checked with
# dpkg-query where it exists (a package can be present without its command on the PATH of root).
guest_pkgs=(qemu-system-x86 qemu-utils runc busybox-static cpio iproute2 e2fsprogs nftables)
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${guest_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
  done
fi

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${need[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"
fi
command -v qemu-system-x86_64 >/dev/null 2>&1 && echo "setup: $(qemu-system-x86_64 --version | head -1)$([ -w /dev/kvm ] && echo ', /dev/kvm present (the qemu driver probes whether it runs guests, else TCG)' || echo ', no KVM: TCG')"
echo "setup: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
