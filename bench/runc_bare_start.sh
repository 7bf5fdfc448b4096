#!/usr/bin/env bash
# Bare `runc run` start time: the baseline for the runc driver's spawn -> running.
#
#   bench/runc_bare_start.sh [BUNDLE_DIR] [RUNS]
#
# BUNDLE_DIR: an OCI bundle to time, e.g. a runc guest's <state-dir>/guests/<id>/bundle (its config.json is
# copied with the guest's network namespace and cgroup path removed, so the guest itself is not disturbed;
# the rootfs is used in place). Without it, a busybox bundle is made from the host's busybox with the same
# config shape as the driver's (sleeping init). RUNS defaults to 10.
# Times `runc run -d` (returns once the container's process runs), then deletes the container; prints the
# median as the last line: runc_bare_start_s=<seconds>. Needs root and runc; touches nothing outside a
# temporary directory and its own runc --root.
set -euo pipefail
runs="${2:-10}"
work="$(mktemp -d /tmp/runc-bare.XXXXXX)"
trap 'for id in $(ls "$work/root" 2>/dev/null); do runc --root "$work/root" delete --force "$id" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
mkdir -p "$work/root" "$work/bundle"

if [[ -n "${1:-}" ]]; then
  src="$(cd "$1" && pwd)"
  python3 - "$src/config.json" "$work/bundle/config.json" "$src/rootfs" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["path"] = sys.argv[3]
c["linux"].pop("cgroupsPath", None)
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"] + [{"type": "network"}]
c["process"]["args"] = ["/bin/sh", "-c", "sleep 1000"]
json.dump(c, open(sys.argv[2], "w"))
PY
else
  bb="$(command -v busybox)"
  r="$work/bundle/rootfs"
  mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/etc"
  cp "$bb" "$r/bin/busybox"
  for a in sh sleep; do ln -s busybox "$r/bin/$a"; done
  (cd "$work/bundle" && runc spec)
  python3 - "$work/bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", "sleep 1000"]
c["process"].pop("rlimits", None)
c["linux"]["resources"].update({"memory": {"limit": 128 * 1024 * 1024}, "cpu": {"quota": 100000, "period": 100000},
                                "pids": {"limit": 1024}})
json.dump(c, open(sys.argv[1], "w"))
PY
fi

times=()
for i in $(seq 1 "$runs"); do
  id="bare-$$-$i"
  t0=$(date +%s.%N)
  runc --root "$work/root" run -d --bundle "$work/bundle" "$id" </dev/null >/dev/null 2>"$work/err" \
    || { echo "runc run failed: $(cat "$work/err")" >&2; exit 1; }
  t1=$(date +%s.%N)
  runc --root "$work/root" delete --force "$id" >/dev/null 2>&1
  times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "runs=%d min_s=%.3f max_s=%.3f\nrunc_bare_start_s=%.3f\n", NR, a[1], a[NR], m}'
