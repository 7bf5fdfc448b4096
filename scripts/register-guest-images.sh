#!/usr/bin/env bash
# Registers the project's own guest images (built by scripts/guest-image/build.sh) as public images of
# a running cloud, through the public API, once: an image whose name is already there is left alone.
#
#   scripts/register-guest-images.sh API_URL ADMIN_TOKEN IMAGE_DIR
#
# Registers, from IMAGE_DIR (vmlinuz, initrd.img, disk.qcow2, rootfs.tar):
#   virga-kernel       raw   the guest kernel (Debian's linux-image, unpacked)
#   virga-initrd       raw   our busybox initramfs with the kernel's virtio/e1000/AHCI modules
#   virga-busybox      qcow2 the VM boot disk; properties kernel_id, ramdisk_id, kind=vm, hypervisor_type=qemu
#   virga-busybox-ct   oci   the same userland as a container root filesystem; kind=container, hypervisor_type=runc
# (hypervisor_type, as Glance's property, keeps these real images off simulated hosts in a mixed cloud)
# Prints one line per image: "<name> <id> (registered|present)".
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 API_URL ADMIN_TOKEN IMAGE_DIR" >&2; exit 2; }
api="$1"; token="$2"; dir="$3"
auth=(-H "Authorization: Bearer $token")

for f in vmlinuz initrd.img disk.qcow2 rootfs.tar; do
  [ -s "$dir/$f" ] || { echo "register-guest-images: $dir/$f is missing (run scripts/guest-image/build.sh)" >&2; exit 1; }
done

# the id of the ACTIVE public image called $1, or nothing
existing() {
  curl -fsS "${auth[@]}" "$api/v1/images?limit=500" | python3 -c '
import json, sys
name = sys.argv[1]
for i in json.load(sys.stdin).get("items", []):
    if i["name"] == name and i["status"] == "ACTIVE" and i["visibility"] == "public":
        print(i["id"]); break' "$1"
}

# register NAME FORMAT FILE PROPERTIES_JSON -> prints the id
register() {
  local name="$1" format="$2" file="$3" props="$4" id
  id="$(existing "$name")"
  if [ -n "$id" ]; then echo "$name $id (present)" >&2; echo "$id"; return; fi
  id="$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$name\",\"disk_format\":\"$format\",\"visibility\":\"public\",\"properties\":$props}" \
        "$api/v1/images" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  curl -fsS "${auth[@]}" -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" \
    "$api/v1/images/$id/data" >/dev/null
  echo "$name $id (registered)" >&2
  echo "$id"
}

kernel="$(register virga-kernel raw "$dir/vmlinuz" '{"os":"linux"}')"
initrd="$(register virga-initrd raw "$dir/initrd.img" '{"os":"linux"}')"
register virga-busybox qcow2 "$dir/disk.qcow2" \
  "{\"kind\":\"vm\",\"hypervisor_type\":\"qemu\",\"os\":\"virga-busybox\",\"kernel_id\":\"$kernel\",\"ramdisk_id\":\"$initrd\"}" >/dev/null
register virga-busybox-ct oci "$dir/rootfs.tar" \
  '{"kind":"container","hypervisor_type":"runc","container_mode":"system","os":"virga-busybox"}' >/dev/null
