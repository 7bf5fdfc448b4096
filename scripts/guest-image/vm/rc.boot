#!/bin/sh
# Virga guest boot script (busybox sysinit). Kernel command line it understands:
#   virga.id=<instance id>
#   virga.nic<N>=<mac>[,<ip>/<prefix>[,<gateway>]]   N = 0, 1, ... (the NIC with that MAC)
#   virga.disks=<count>   disks to wait for (bounded) before reporting
# user_data: fw_cfg file opt/virga/user_data; run when it starts with "#!".
# Prints on the console: VIRGA-READY instance=<id> ip=<ip|none> nic=<driver|none> disk=<driver|none>
export PATH=/sbin:/bin
mkdir -p /run/virga
con=/dev/console
say() { echo "$*" > $con; }

# Load the drivers of the devices present (PCI, then the virtio devices virtio_pci found), and the
# few that are not found by device: fw_cfg, the ACPI power button, filesystems.
load_aliases() {
  for a in $(cat "$@" 2>/dev/null | sort -u); do
    modprobe -q "$a" 2>/dev/null
  done
}
load_aliases /sys/bus/pci/devices/*/modalias
load_aliases /sys/bus/virtio/devices/*/modalias
[ -n "$(ls /sys/class/scsi_host 2>/dev/null)" ] && modprobe -q sd_mod
for m in qemu_fw_cfg button evdev ext4; do
  modprobe -q "$m" 2>/dev/null
done

id=""
for w in $(cat /proc/cmdline); do
  case "$w" in
    virga.id=*) id="${w#virga.id=}" ;;
  esac
done
[ -n "$id" ] || id=$(hostname)
echo "$id" > /run/virga/id
hostname "$id" 2>/dev/null

# Wait (bounded) for the NICs and disks the kernel is still probing.
wanted_nics=$(tr ' ' '\n' < /proc/cmdline | grep -c '^virga\.nic[0-9]*=')
wanted_disks=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^virga\.disks=\([0-9]*\)$/\1/p')
wanted_disks=${wanted_disks:-0}
i=0
while [ $i -lt 200 ]; do
  nics=$(ls /sys/class/net | grep -vc '^lo$')
  disks=$(ls /sys/block 2>/dev/null | grep -cE '^(vd|sd|hd)[a-z]$')
  [ "$nics" -ge "$wanted_nics" ] && [ "$disks" -ge "$wanted_disks" ] && break
  sleep 0.1
  i=$((i + 1))
done

# The driver bound to a device: walk up from its sysfs node to the first driver that is not a
# generic class driver (sd on top of ahci/ata_piix).
driver_of() {
  d=$(readlink -f "$1")
  while [ -n "$d" ] && [ "$d" != "/sys/devices" ] && [ "$d" != "/" ]; do
    if [ -L "$d/driver" ]; then
      drv=$(basename "$(readlink "$d/driver")")
      case "$drv" in
        sd|virtio_pci) ;;
        *) echo "$drv"; return ;;
      esac
    fi
    d=${d%/*}
  done
  echo unknown
}

ip link set lo up
first_ip=none
first_nic=none
for w in $(cat /proc/cmdline); do
  case "$w" in
    virga.nic[0-9]*=*) ;;
    *) continue ;;
  esac
  val=${w#*=}
  mac=$(echo "$val" | cut -d, -f1 | tr 'A-F' 'a-f')
  addr=$(echo "$val" | cut -s -d, -f2)
  gw=$(echo "$val" | cut -s -d, -f3)
  dev=""
  for n in /sys/class/net/*; do
    [ "$(cat "$n/address" 2>/dev/null)" = "$mac" ] && dev=${n##*/}
  done
  if [ -z "$dev" ]; then
    say "VIRGA-WARN no NIC with MAC $mac"
    continue
  fi
  ip link set "$dev" up
  [ -n "$addr" ] && ip addr add "$addr" dev "$dev"
  [ -n "$gw" ] && ip route add default via "$gw" dev "$dev"
  if [ "$first_nic" = none ]; then
    first_nic=$(driver_of "/sys/class/net/$dev/device")
    [ -n "$addr" ] && first_ip=${addr%/*}
  fi
done
if [ "$first_nic" = none ]; then
  for n in /sys/class/net/*; do
    [ -e "$n/device" ] || continue
    ip link set "${n##*/}" up
    first_nic=$(driver_of "$n/device")
    break
  done
fi

first_disk=none
for b in /sys/block/vda /sys/block/sda /sys/block/hda; do
  [ -e "$b" ] || continue
  first_disk=$(driver_of "$b/device")
  if mount -t ext2 "/dev/${b##*/}" /data 2>/dev/null || mount "/dev/${b##*/}" /data 2>/dev/null; then
    [ -r /data/virga/image ] && say "VIRGA-DISK dev=${b##*/} image=$(cat /data/virga/image)"
    for f in /data/virga/marker*; do
      [ -r "$f" ] && say "VIRGA-DISK-MARKER ${f##*/} $(head -c 200 "$f")"
    done
  fi
  break
done
echo "$first_ip" > /run/virga/ip
echo "nic=$first_nic disk=$first_disk" > /run/virga/devices

# ACPI power button: any event from a "Power Button" input device powers the guest off gracefully.
for ev in /sys/class/input/event*; do
  case "$(cat "$ev/device/name" 2>/dev/null)" in
    *"Power Button"*)
      ( dd if="/dev/input/${ev##*/}" of=/dev/null bs=72 count=1 2>/dev/null && /etc/acpi/PWRF/00000080 ) & ;;
  esac
done
# Devices plugged in later (hot-plugged disks): mdev loads their drivers by modalias.
mdev -d 2>/dev/null

ud=/sys/firmware/qemu_fw_cfg/by_name/opt/virga/user_data/raw
if [ -r "$ud" ]; then
  cp "$ud" /run/virga/user_data
  if [ "$(head -c 2 /run/virga/user_data)" = "#!" ]; then
    chmod +x /run/virga/user_data
    ( /run/virga/user_data > $con 2>&1; say "VIRGA-USERDATA exit=$?" ) &
  fi
fi

say "VIRGA-READY instance=$id ip=$first_ip nic=$first_nic disk=$first_disk"
