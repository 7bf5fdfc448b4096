#!/usr/bin/env bash
# Bare QEMU boot time: the baseline for API create -> guest ready (bench/hypervisor_overhead.py).
#
#   bench/qemu_bare_boot.sh IMAGE_DIR [RUNS]
#
# Boots the project's guest image (IMAGE_DIR from scripts/guest-image/build.sh: vmlinuz, initrd.img,
# disk.qcow2) with the same machine the qemu driver gives a `para` flavor of 1 vCPU / 192 MiB (pc
# machine, the accelerator of VIRGA_BENCH_ACCEL=tcg|kvm — hypervisor_overhead.py passes the one the
# qemu host reports in its traits, COMPUTE_QEMU_TCG/_KVM; without it KVM only where /dev/kvm is
# writable — with the driver's `-cpu host` under KVM, virtio-blk overlay, virtio-net NIC with no backend, direct
# kernel boot, the driver's kernel command line, and daemonized as the driver's QEMU is: in a session of
# its own, which on a kernel with autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled) is
# also a CPU share of its own; a QEMU left in the benchmark's session got a different share of a busy
# machine than the driver's: 17 s against 29 s for the same boot, side by side), and times process start -> the guest's
# VIRGA-READY line on the serial console, looked for every VIRGA_BENCH_POLL seconds (0.05 by default;
# hypervisor_overhead.py passes its own cadence). Prints one line per run and the median as the last line:
# qemu_bare_boot_s=<seconds>. Touches nothing outside a temporary directory; sends no traffic.
set -euo pipefail
dir="${1:?usage: $0 IMAGE_DIR [RUNS]}"
runs="${2:-3}"
work="$(mktemp -d /tmp/qemu-bare.XXXXXX)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
accel="tcg,tb-size=128"
case "${VIRGA_BENCH_ACCEL:-}" in
  kvm) accel="kvm -cpu host" ;;
  tcg) ;;
  *) [ -w /dev/kvm ] && accel="kvm -cpu host" ;;
esac
times=()
for ((r = 1; r <= runs; r++)); do
  qemu-img create -q -f qcow2 -b "$dir/disk.qcow2" -F qcow2 "$work/disk-$r.qcow2" 1G
  log="$work/serial-$r.log"; : > "$log"
  t0=$(date +%s.%N)
  qemu-system-x86_64 -name guest=bare-$r -daemonize -pidfile "$work/qemu-$r.pid" -machine pc -accel $accel -m 192M -smp 1 \
    -nodefaults -no-user-config -display none -vga std \
    -chardev "file,id=serial0,path=$log" -serial chardev:serial0 \
    -blockdev "driver=qcow2,node-name=d0,file.driver=file,file.filename=$work/disk-$r.qcow2,cache.direct=off" \
    -device virtio-blk-pci,drive=d0 -device virtio-net-pci,mac=52:54:00:00:00:0$r \
    -kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
    -append "console=ttyS0 virga.id=bare-$r virga.nic0=52:54:00:00:00:0$r,10.99.0.$((r + 10))/24 virga.disks=1"
  pid=$(cat "$work/qemu-$r.pid")
  until grep -q "VIRGA-READY" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "qemu exited before the guest was ready; serial log:" >&2; cat "$log" >&2; exit 1; }
    sleep "${VIRGA_BENCH_POLL:-0.05}"
  done
  t1=$(date +%s.%N)
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done; pid=""
  s=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  echo "run $r: $s s to VIRGA-READY"
  times+=("$s")
done
python3 -c "import statistics,sys; print(f'qemu_bare_boot_s={statistics.median(map(float, sys.argv[1:])):.2f}')" "${times[@]}"
