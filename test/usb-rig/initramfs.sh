#!/usr/bin/env bash
# Builds the rig's initramfs: static busybox, the virtio/9p/overlay modules of the cached kernel
# in dependency order, and guest/init-stage1.sh as /init. Cached by kernel version and by the
# content of the init script and of this file. Usage: initramfs.sh KERNEL_DIR KVER CACHE_DIR
# Prints the path of the archive.
set -euo pipefail
KDIR=$1 KVER=$2 CACHE=$3
HERE=$(cd "$(dirname "$0")" && pwd)
STAGE1=$HERE/guest/init-stage1.sh
MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p overlay)
key=$(cat "$STAGE1" "$0" | sha256sum | cut -c1-12)
target=$CACHE/initramfs-$KVER-$key.cpio.gz
if [ ! -s "$target" ]; then
	work=$(mktemp -d "$CACHE/initramfs.XXXX")
	mkdir -p "$work"/{bin,mods,proc,sys,dev,newroot,lower,rw}
	cp /bin/busybox "$work/bin/"
	for m in "${MODULES[@]}"; do
		modprobe -d "$KDIR/root" -S "$KVER" --show-depends "$m"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r path; do
		cp "$path" "$work/mods/"
		basename "$path" .ko
	done >"$work/mods/order"
	cp "$STAGE1" "$work/init"
	chmod +x "$work/init"
	(cd "$work" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$target.new"
	mv "$target.new" "$target"
	rm -rf "$work"
fi
echo "$target"
