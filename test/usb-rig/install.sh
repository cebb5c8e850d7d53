#!/usr/bin/env bash
# Puts what the rig needs in place: Debian packages on the machine (only if missing) and the
# Debian kernel unpacked under the rig cache (never onto the machine's root), plus an
# uncompressed vmlinux that QEMU boots through its PVH entry (no BIOS, no decompressor).
# Usage: install.sh CACHE_DIR   Prints the kernel version it prepared on the last line.
set -euo pipefail
CACHE=$1
mkdir -p "$CACHE"

PACKAGES=(qemu-system-x86 busybox-static usbip dfu-util kmod cpio usbutils udev xz-utils)
missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "rig: installing ${missing[*]}" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The kernel the metapackage points at today; the rig caches one folder per version.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
if [ -z "$kpkg" ]; then
	apt-get update -qq >&2
	kpkg=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
fi
[ -n "$kpkg" ] || { echo "rig: cannot tell which kernel linux-image-amd64 depends on" >&2; exit 1; }
kver=${kpkg#linux-image-}
kdir="$CACHE/kernel-$kver"
if [ ! -s "$kdir/vmlinux" ]; then
	echo "rig: preparing kernel $kver" >&2
	rm -rf "$kdir.new" && mkdir -p "$kdir.new/debs" "$kdir.new/root"
	(cd "$kdir.new/debs" && apt-get download "$kpkg" >&2)
	dpkg -x "$kdir.new"/debs/*.deb "$kdir.new/root"
	depmod -b "$kdir.new/root" "$kver"
	# vmlinuz = boot stub + xz stream of the ELF kernel: cut at the xz magic and decompress.
	offset=$(node -e 'const b=require("fs").readFileSync(process.argv[1]);const i=b.indexOf(Buffer.from([0xfd,0x37,0x7a,0x58,0x5a,0x00]));if(i<0)process.exit(1);console.log(i)' "$kdir.new/root/boot/vmlinuz-$kver")
	tail -c +$((offset + 1)) "$kdir.new/root/boot/vmlinuz-$kver" | xz -dc >"$kdir.new/vmlinux" 2>/dev/null || true
	[ -s "$kdir.new/vmlinux" ] || { echo "rig: could not extract vmlinux" >&2; exit 1; }
	rm -rf "$kdir.new/debs" "$kdir"
	mv "$kdir.new" "$kdir"
fi
echo "$kver"
