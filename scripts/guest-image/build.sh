#!/usr/bin/env bash
# Builds Virga's own guest images from Debian packages only (a linux-image .deb, busybox-static,
# e2fsprogs, cpio, qemu-utils), cached and reproducible.
#
#   scripts/guest-image/build.sh [--out DIR] [--force]
#
# DIR defaults to ${VIRGA_CACHE:-$HOME/.cache/virga}/guest-images/<version>/. The work is skipped when
# DIR already holds a build of the same inputs (this script, the guest files, the kernel package and
# busybox). The last line on stdout is DIR. Outputs (see docs/guests.md):
#   vmlinuz, initrd.img  a Debian kernel and a busybox initramfs carrying its NIC/disk modules and our init
#   disk.qcow2           a small ext2 disk (64 MiB), the image VMs' boot-disk overlays are made on
#   rootfs.tar           a busybox root filesystem for containers (/sbin/init prints a ready line)
#   manifest.json        names, formats, sizes, sha256
# Environment: VIRGA_GUEST_KERNEL_PKG (default: what linux-image-amd64 depends on), VIRGA_CACHE.
set -euo pipefail
export LC_ALL=C

IMAGE_REV=1
here=$(cd "$(dirname "$0")" && pwd)
cache=${VIRGA_CACHE:-$HOME/.cache/virga}
out=""
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { echo "guest-image: $*" >&2; }
for tool in busybox cpio gzip mke2fs debugfs qemu-img sha256sum dpkg-deb tar; do
  command -v "$tool" >/dev/null || { log "missing $tool (run scripts/setup.sh)"; exit 1; }
done

# --- the kernel package: resolved once, then cached with its .deb --------------------------------
debs="$cache/debs"
mkdir -p "$debs"
pkg=${VIRGA_GUEST_KERNEL_PKG:-}
if [ -z "$pkg" ]; then
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | sed -n 1p || true)
fi
if [ -z "$pkg" ]; then
  # offline: the newest cached kernel package
  pkg=$(ls "$debs" 2>/dev/null | sed -n 's/^\(linux-image-[0-9][^_]*-amd64\)_.*\.deb$/\1/p' | sort -V | tail -1)
fi
[ -n "$pkg" ] || { log "cannot resolve the kernel package (apt-get update?)"; exit 1; }
abi=${pkg#linux-image-}
version="$IMAGE_REV-$abi"
[ -n "$out" ] || out="$cache/guest-images/$version"

exec 9>"$debs/.lock"
flock 9
deb=$(ls "$debs"/"${pkg}"_*_amd64.deb 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$deb" ]; then
  log "downloading $pkg (Debian package)"
  (cd "$debs" && apt-get download "$pkg" >&2 2>/dev/null) || (cd "$debs" && apt-get download "$pkg" >&2)
  deb=$(ls "$debs"/"${pkg}"_*_amd64.deb | sort -V | tail -1)
fi
flock -u 9

busybox_bin=$(command -v busybox)
inputs=$( {
  echo "rev=$IMAGE_REV pkg=$pkg"
  sha256sum "$deb" | cut -d' ' -f1
  sha256sum "$busybox_bin" | cut -d' ' -f1
  (cd "$here" && sha256sum build.sh vm/* container/*)
  mke2fs -V 2>&1 | sed -n 1p
} | sha256sum | cut -d' ' -f1)

mkdir -p "$(dirname "$out")"
exec 8>"$out.lock"
flock 8
if [ $force -eq 0 ] && [ -f "$out/.inputs" ] && [ "$(cat "$out/.inputs")" = "$inputs" ] && [ -f "$out/manifest.json" ]; then
  log "up to date: $out"
  echo "$out"
  exit 0
fi
log "building $version into $out"

work=$(mktemp -d "${TMPDIR:-/tmp}/virga-guest-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
epoch=1700000000        # fixed timestamps: the same inputs give the same bytes
export SOURCE_DATE_EPOCH=$epoch E2FSPROGS_FAKE_TIME=$epoch

# --- kernel and modules ------------------------------------------------------------------------
dpkg-deb -x "$deb" "$work/kpkg"
kver=$(ls "$work/kpkg/lib/modules" | sed -n 1p)
kmods="$work/kpkg/lib/modules/$kver"
cp "$work/kpkg/boot/vmlinuz-$kver" "$work/vmlinuz"

declare -A modpath=()
while IFS= read -r f; do
  n=${f##*/}; n=${n%.ko}; modpath[${n//-/_}]=$f
done < <(find "$kmods/kernel" -name '*.ko')

wanted="virtio_pci virtio_blk virtio_net virtio_console e1000 ahci ata_piix sd_mod crc32c_generic ext4
        qemu_fw_cfg button evdev"
declare -A picked=()
pick() {
  local n=${1//-/_}
  [ -n "${picked[$n]:-}" ] && return 0
  local f=${modpath[$n]:-}
  [ -n "$f" ] || { log "module $n not in $pkg (built in?), skipped"; return 0; }
  picked[$n]=$f
  local deps
  deps=$(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | sed -n 1p | tr ',' ' ')
  for d in $deps; do pick "$d"; done
}
for m in $wanted; do pick "$m"; done

# --- initramfs ---------------------------------------------------------------------------------
ird="$work/initrd"
mkdir -p "$ird"/{bin,sbin,etc/acpi/PWRF,proc,sys,dev,run,tmp,data,root,lib/modules/"$kver"}
cp "$busybox_bin" "$ird/bin/busybox"
for a in $("$busybox_bin" --list); do
  [ "$a" = busybox ] || ln -s busybox "$ird/bin/$a"
done
for a in init poweroff reboot halt modprobe insmod mdev; do ln -sf ../bin/busybox "$ird/sbin/$a"; done
for n in "${!picked[@]}"; do
  rel=${picked[$n]#"$kmods/"}
  mkdir -p "$ird/lib/modules/$kver/$(dirname "$rel")"
  cp "${picked[$n]}" "$ird/lib/modules/$kver/$rel"
done
cp "$kmods/modules.builtin" "$kmods/modules.order" "$ird/lib/modules/$kver/"
"$busybox_bin" depmod -b "$ird" "$kver"
install -m 0755 "$here/vm/init" "$ird/init"
install -m 0755 "$here/vm/rc.boot" "$ird/etc/rc.boot"
install -m 0755 "$here/vm/rc.shutdown" "$ird/etc/rc.shutdown"
install -m 0644 "$here/vm/inittab" "$ird/etc/inittab"
install -m 0644 "$here/vm/mdev.conf" "$ird/etc/mdev.conf"
install -m 0755 "$here/vm/acpi-power" "$ird/etc/acpi/PWRF/00000080"
install -m 0755 "$here/vm/virga-agent" "$ird/sbin/virga-agent"
echo "root:x:0:0:root:/root:/bin/sh" > "$ird/etc/passwd"
echo "root:x:0:" > "$ird/etc/group"
echo "virga-guest $version" > "$ird/etc/virga-release"
find "$ird" -exec touch -h -d "@$epoch" {} +
(cd "$ird" && find . -mindepth 1 | sort | cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n > "$work/initrd.img"

# --- boot disk: a small ext2 filesystem, no loop mounts -----------------------------------------
dd="$work/disk"
mkdir -p "$dd/virga"
echo "$version" > "$dd/virga/image"
echo "Virga guest data disk. The guest mounts it at /data; files named /data/virga/marker* are printed at boot." > "$dd/virga/README"
find "$dd" -exec touch -h -d "@$epoch" {} +
mke2fs -q -t ext2 -F -L virga-disk -U 6a9c1f0e-5b1d-4c2a-9a55-76697267612e -E root_owner=0:0,hash_seed=6a9c1f0e-5b1d-4c2a-9a55-76697267612e \
  -d "$dd" "$work/disk.raw" 64M >&2
# mke2fs -d copies the source files' ctimes (which touch cannot set): pin them too
(cd "$dd" && find . -mindepth 1 | sort | sed "s|^\./\(.*\)|sif /\1 ctime @$epoch|") > "$work/ctimes.debugfs"
debugfs -w -f "$work/ctimes.debugfs" "$work/disk.raw" >/dev/null 2>&1
qemu-img convert -f raw -O qcow2 "$work/disk.raw" "$work/disk.qcow2"

# --- container root filesystem -----------------------------------------------------------------
rf="$work/rootfs"
mkdir -p "$rf"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,var,usr/bin,usr/sbin}
cp "$busybox_bin" "$rf/bin/busybox"
for a in $("$busybox_bin" --list); do
  [ "$a" = busybox ] || ln -s busybox "$rf/bin/$a"
done
install -m 0755 "$here/container/init" "$rf/sbin/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$rf/etc/passwd"
echo "root:x:0:" > "$rf/etc/group"
echo "virga-guest $version" > "$rf/etc/virga-release"
chmod 1777 "$rf/tmp"
find "$rf" -exec touch -h -d "@$epoch" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --format=gnu -C "$rf" -cf "$work/rootfs.tar" .

# --- manifest ----------------------------------------------------------------------------------
entry() { # name format
  local f="$work/$1"
  printf '    {"name": "%s", "format": "%s", "size": %s, "sha256": "%s"}' "$1" "$2" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
}
modules_json=$(printf '%s\n' "${!picked[@]}" | sort | sed 's/.*/"&"/' | paste -sd, -)
{
  echo "{"
  echo "  \"version\": \"$version\","
  echo "  \"kernelPackage\": \"$(basename "$deb")\","
  echo "  \"kernelRelease\": \"$kver\","
  echo "  \"initrdModules\": [$modules_json],"
  echo "  \"cmdline\": \"console=ttyS0 virga.id=<id> virga.nic0=<mac>,<ip>/<prefix>[,<gw>] virga.disks=<n>\","
  echo "  \"files\": ["
  entry vmlinuz kernel; echo ","
  entry initrd.img initrd; echo ","
  entry disk.qcow2 qcow2; echo ","
  entry rootfs.tar tar; echo
  echo "  ]"
  echo "}"
} > "$work/manifest.json"

mkdir -p "$out"
for f in vmlinuz initrd.img disk.qcow2 rootfs.tar manifest.json; do
  mv -f "$work/$f" "$out/$f.new" && mv -f "$out/$f.new" "$out/$f"
done
echo "$inputs" > "$out/.inputs"
log "done: $(cd "$out" && du -ch vmlinuz initrd.img disk.qcow2 rootfs.tar | tail -1 | cut -f1) in $out"
echo "$out"
