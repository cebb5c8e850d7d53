#!/bin/sh
# Stage 2, PID 1 on the overlaid host root: kernel file systems, the kernel's modules from the
# rig cache, the writable results share, udevd (node-usb hears hotplug only through udev's
# messages), then the script named by rig.run=, then power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
arg() { sed -n "s/.*rig\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mkdir -p /dev/pts /dev/shm
mount -t devpts -o ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs -o mode=755 tmpfs /run
# /tmp stays the overlay's (already writable): a clone under the host's /tmp must stay visible.
mkdir -p /run/lock /run/udev /lib/modules
mount -o bind "$(arg modules)" /lib/modules
OUT=$(arg out)
mkdir -p "$OUT" && mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 hostout "$OUT"
ip link set lo up 2>/dev/null || busybox ip link set lo up
hostname usb-rig
/lib/systemd/systemd-udevd --daemon >/dev/null 2>&1
echo "RIG_READY uptime=$(cut -d' ' -f1 /proc/uptime)"
bash "$(arg run)" "$OUT" >"$OUT/guest.log" 2>&1
echo "RIG_DONE rc=$? uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
# QEMU runs with -no-reboot: a reboot ends it.
busybox reboot -f
