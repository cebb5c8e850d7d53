#!/usr/bin/env bash
# The USB rig: the simulated bootloader seen through a real Linux USB stack. Boots Debian's
# kernel under QEMU (TCG), with the host's root read-only over 9p, and in the guest exports the
# simulator over USB/IP on 127.0.0.1, attaches it with vhci-hcd and runs lsusb, dfu-util and
# bringup against it. Prints one PASS/FAIL line per check and "N passed, N failed".
#   bash test/usb-rig/run.sh            the checks (npm run test:usb)
#   bash test/usb-rig/run.sh --bench    dfu-util against bringup, real-time timing (npm run bench:usb)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${BRINGUP_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bringup/usb-rig}
MODE=checks
[ "${1:-}" = "--bench" ] && MODE=bench
started=$(date +%s)
mkdir -p "$CACHE"

kver=$(bash "$HERE/install.sh" "$CACHE" | tail -1)
KDIR=$CACHE/kernel-$kver
initrd=$(bash "$HERE/initramfs.sh" "$KDIR" "$kver" "$CACHE")

# The guest runs the built tool (dist/) straight from the host's tree; tsc emits even when some
# file in a tree under construction fails to type-check, so only missing output stops the rig.
# RIG_NO_BUILD=1 keeps dist/ as it is (a rerun right after a build).
if [ -n "${RIG_NO_BUILD:-}" ]; then
	:
elif ! (cd "$ROOT" && npm run --silent build) >"$CACHE/build.log" 2>&1; then
	echo "rig: the build reported errors (see $CACHE/build.log); using what it emitted" >&2
fi
[ -f "$ROOT/dist/bin/cli.js" ] || {
	echo "rig: dist/bin/cli.js missing after the build" >&2
	exit 1
}

OUT=$CACHE/out-$MODE
rm -rf "$OUT" && mkdir -p "$OUT"
LOADER_SIM=f407-v21/boot0-high
node "$HERE/prepare.mjs" "$ROOT" "$OUT" "$LOADER_SIM"
cat >"$OUT/rig.env" <<ENV
LOADER_SIM=$LOADER_SIM
FAULT_SIM=f407-v21/healthy
FAULT=unplug-at-block=8
BENCH_SIM=f407/healthy
ROOT=$ROOT
HERE=$HERE
OUT=$OUT
REFERENCE=$ROOT/test/fixtures/captures
NODE_DIR=$(dirname "$(command -v node)")
ENV

# Two vCPUs under multi-threaded TCG; no network device: the server runs inside the guest.
set +e
timeout "${RIG_TIMEOUT:-900}" qemu-system-x86_64 \
	-accel tcg,thread=multi -cpu max -M q35 -m 2048 -smp 2 \
	-nodefaults -no-user-config -display none -serial stdio -no-reboot \
	-kernel "$KDIR/vmlinux" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 rig.stage2=$HERE/guest/stage2.sh rig.run=$HERE/guest/$MODE.sh rig.out=$OUT rig.modules=$KDIR/root/lib/modules" \
	-fsdev local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot \
	-fsdev "local,id=fsout,path=$OUT,security_model=none" \
	-device virtio-9p-pci,fsdev=fsout,mount_tag=hostout \
	</dev/null >"$OUT/console.log" 2>&1
qemu_rc=$?
set -e

passed=0 failed=0
if [ -f "$OUT/results" ]; then
	while IFS= read -r line; do
		echo "$line"
		case $line in
		PASS*) passed=$((passed + 1)) ;;
		FAIL*) failed=$((failed + 1)) ;;
		esac
	done <"$OUT/results"
fi
if ! grep -q RIG_DONE "$OUT/console.log"; then
	echo "FAIL guest run: did not finish (qemu exit $qemu_rc); see $OUT/console.log and $OUT/guest.log"
	failed=$((failed + 1))
fi
[ "$MODE" = bench ] && [ -f "$OUT/bench" ] && cat "$OUT/bench"
echo "rig: $(($(date +%s) - started)) s; logs in $OUT" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
