#!/usr/bin/env bash
# Installs what Virga needs on a Debian/Ubuntu machine: Java 17 and Maven.
# PostgreSQL (binaries from Maven Central) and Kafka (KRaft, from Maven
# Central) come with the build itself; nothing else is downloaded.
# Later issues add: qemu-system-x86 qemu-utils runc busybox-static iproute2.
# Safe to run more than once.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -q 'version "\(1[7-9]\|2[0-9]\)' || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# util-linux provides setpriv, used to run PostgreSQL as an unprivileged user when we are root
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${need[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"
fi
echo "setup: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
