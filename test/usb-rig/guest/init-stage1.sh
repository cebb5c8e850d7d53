#!/bin/busybox sh
# Stage 1, PID 1 in the initramfs: load the virtio/9p/overlay modules (their order is in
# /mods/order), put the host's root (read-only, 9p) under a tmpfs overlay so the guest may write
# anywhere without touching the host, and hand over to stage 2 on that root.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sys /sys
$B mount -t devtmpfs dev /dev
for m in $($B cat /mods/order); do
	$B insmod "/mods/$m.ko" || echo "rig-init: insmod $m failed"
done
STAGE2=$($B sed -n 's/.*rig\.stage2=\([^ ]*\).*/\1/p' /proc/cmdline)
if ! $B mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288,cache=loose,ro hostroot /lower; then
	echo "rig-init: cannot mount the host root over 9p"
	$B poweroff -f
fi
$B mount -t tmpfs -o mode=755,size=1g rw /rw
$B mkdir -p /rw/upper /rw/work
$B mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || {
	echo "rig-init: overlay failed"
	$B poweroff -f
}
$B mount --move /dev /newroot/dev
$B umount /proc /sys
exec $B switch_root /newroot /bin/sh "$STAGE2"
