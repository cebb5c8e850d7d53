# The rig's checks, run in the guest by stage2.sh: each `check` writes one PASS/FAIL line.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh" "$1"

# LOADER_SIM (rig.env): the F4 Discovery's V2.1 loader as captured, with BOOT0 high, so that
# after a leave the loader comes back on the bus, as on a board wired for DFU. Images and the
# expected option bytes were made on the host by prepare.mjs.
BOARD=$WORK/board.json
IMG=$OUT/img.bin
IMG2=$OUT/img2.bin
IMG_LEN=40960

modprobe vhci-hcd || fail "vhci-hcd" "modprobe failed"

# ---- a. the kernel's view of the loader
lsusb_matches() {
	lsusb -v -d 0483:df11 >"$WORK/lsusb.txt" 2>"$WORK/lsusb.err"
	cp "$WORK/lsusb.txt" "$OUT/lsusb.txt"
	node "$HERE/compare-lsusb.mjs" "$WORK/lsusb.txt" "$REFERENCE/stm32f4discovery.lsusb"
}

# ---- b. dfu-util against the kernel device
dfu_list() {
	dfu-util -l >"$WORK/dfu-l.txt" 2>&1
	cat "$WORK/dfu-l.txt"
	for alt in 0 1 2 3; do
		grep -q "Found DFU: \[0483:df11\].*alt=$alt, name=\"@" "$WORK/dfu-l.txt" || {
			echo "alt $alt not listed"
			return 1
		}
	done
}

dfu_download_leave() {
	dfu-util -a 0 -s 0x08000000:leave -D "$IMG" || return 1
	gone
}

# reattach: the loader comes back by itself (boot0-high); import it again.
reattach() {
	[ -e /sys/bus/usb/devices/1-1 ] && return 0
	for _ in $(seq 50); do
		usbip list -r 127.0.0.1 2>/dev/null | grep -q " 1-1:" && break
		sleep 0.1
	done
	attach
}

dfu_upload_same() {
	reattach || return 1
	rm -f "$WORK/back.bin"
	dfu-util -a 0 -s 0x08000000:$IMG_LEN -U "$WORK/back.bin" || return 1
	cmp "$IMG" "$WORK/back.bin" && echo "read back $IMG_LEN bytes, identical"
}

dfu_file() {
	cp "$OUT/a.bin" "$WORK/a.bin"
	(cd "$WORK" && bringup convert a.bin@0x08000000 -o x.dfu) || return 1
	dfu-util -a 0 -D "$WORK/x.dfu" || return 1
	rm -f "$WORK/a-back.bin"
	dfu-util -a 0 -s 0x08000000:8192 -U "$WORK/a-back.bin" || return 1
	cmp "$WORK/a.bin" "$WORK/a-back.bin" && echo "the .dfu image is in flash"
}

option_bytes() {
	rm -f "$WORK/ob.bin"
	dfu-util -a 1 -s 0x1FFFC000:16 -U "$WORK/ob.bin" || return 1
	local got want
	got=$(od -An -tx1 -v "$WORK/ob.bin" | tr -d ' \n')
	want=$(cat "$OUT/option-bytes.hex")
	echo "read $got, simulator holds $want"
	[ "$got" = "$want" ]
}

# ---- c. bringup through node-usb and the kernel
bringup_list() {
	bringup list | tee "$WORK/list.txt"
	grep -qi "0483:df11" "$WORK/list.txt"
}

bringup_flash() {
	bringup flash "$IMG2" -s 0x08000000:leave || return 1
	gone
}

bringup_read() {
	reattach || return 1
	rm -f "$WORK/back2.bin"
	bringup read "$WORK/back2.bin" -a 0 -s 0x08000000:$IMG_LEN || return 1
	cmp "$IMG2" "$WORK/back2.bin" && echo "read back $IMG_LEN bytes, identical"
}

# Hotplug through udev: `list -w --json`, started before the attach, waits for the device and
# reports it attaching; a flash with leave --json reports it going (the boot watch after leave).
bringup_hotplug_attach() {
	detach
	bringup list -w --json >"$WORK/hotplug-attach.ndjson" 2>&1 &
	local pid=$!
	sleep 1
	attach || return 1
	for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	kill $pid 2>/dev/null
	cut -c1-200 "$WORK/hotplug-attach.ndjson"
	grep -q '"device.attached"' "$WORK/hotplug-attach.ndjson" || { echo "no device.attached event"; return 1; }
}

bringup_hotplug_detach() {
	reattach || return 1
	bringup flash "$IMG" -s 0x08000000:leave --json >"$WORK/hotplug-leave.ndjson" 2>&1
	tail -n 3 "$WORK/hotplug-leave.ndjson" | cut -c1-200
	grep -q '"device.detached"' "$WORK/hotplug-leave.ndjson" || { echo "no device.detached event after leave"; return 1; }
}

# ---- d. a fault seen through the kernel: the board unplugs during the download
fault_unplug() {
	local rc
	bringup flash "$IMG" -s 0x08000000 >"$WORK/fault.out" 2>"$WORK/fault.err"
	rc=$?
	cat "$WORK/fault.out" "$WORK/fault.err"
	[ $rc -ne 0 ] || { echo "flash succeeded though the board was unplugged"; return 1; }
	if grep -qE '^\s+at .*\(.*:[0-9]+:[0-9]+\)|^\s+at file://' "$WORK/fault.err" "$WORK/fault.out"; then
		echo "a stack trace reached the user"
		return 1
	fi
	grep -qiE 'unplug|disconnect|gone|lost|went away' "$WORK/fault.err" "$WORK/fault.out" || {
		echo "the error does not say the device went away"
		return 1
	}
	echo "exit $rc, clear error"
}

# ---- e. every profile through the kernel, all boards on one server (vhci-hcd with three
# controllers: 24 ports): dfu-util -l must print what each profile's captures show, and dfu-util
# writes and reads back 4 KiB on each board. Last: it reloads vhci-hcd (bus numbers change).
attach_many() {
	local n=$1 i up=0
	# usbip attach reads every vhci port's status; while the previous board is still being
	# enumerated that read can fail ("open vhci_driver"), so each attach is retried.
	for i in $(seq "$n"); do
		for _ in $(seq 20); do
			usbip attach -r 127.0.0.1 -b "1-$i" 2>>"$WORK/attach-errors.log" && continue 2
			sleep 0.5
		done
		echo "usbip attach of 1-$i failed: $(tail -n 1 "$WORK/attach-errors.log")"
		return 1
	done
	for _ in $(seq 300); do
		up=$(grep -l df11 /sys/bus/usb/devices/*/idProduct 2>/dev/null | wc -l)
		[ "$up" -ge "$n" ] && return 0
		sleep 0.1
	done
	echo "only $up of $n boards enumerated"
	return 1
}

flash_one() {
	local path=$1 base=$2
	dfu-util -p "$path" -a 0 -s "$base" -D "$OUT/small.bin" || return 1
	rm -f "$WORK/small-back.bin"
	dfu-util -p "$path" -a 0 -s "$base:4096" -U "$WORK/small-back.bin" || return 1
	cmp "$OUT/small.bin" "$WORK/small-back.bin" && echo "4096 bytes written and read back"
}

every_profile() {
	local specs count verdict rest id path base
	specs=$(cat "$OUT/profile-batches.txt")
	count=$(echo "$specs" | tr ',' '\n' | wc -l)
	stop_server
	# A fresh vhci-hcd: the fault board's unplug can leave a port that later attaches cannot use.
	usbip detach -p 0 >/dev/null 2>&1
	sleep 1
	modprobe -r vhci-hcd || note "vhci-hcd still in use"
	modprobe vhci-hcd nr_hcs=3
	note "serve $count boards"
	if serve --sim="$specs" >"$WORK/serve.log" 2>&1 && attach_many "$count" >"$WORK/attach.log" 2>&1; then
		dfu-util -l >"$WORK/dfu-l.txt" 2>&1
		cp "$WORK/dfu-l.txt" "$OUT/"
		node "$HERE/compare-dfu-list.mjs" "$WORK/dfu-l.txt" "$OUT/profiles.json" 0 >"$WORK/cmp.txt" 2>&1
		while read -r verdict rest; do
			case $verdict in
			PASS) pass "dfu-util -l through the kernel: $rest" ;;
			FAIL) fail "dfu-util -l through the kernel: ${rest%%:*}" "${rest#*: }" ;;
			esac
		done <"$WORK/cmp.txt"
		# (no process substitution: the guest has no /dev/fd)
		grep '^FLASH ' "$WORK/cmp.txt" >"$WORK/flash.txt"
		while read -r _ id path base; do
			check "dfu-util flashes $id ($path)" flash_one "$path" "$base" </dev/null
		done <"$WORK/flash.txt"
	else
		fail "$count boards attached" "$(tail -n 1 "$WORK/serve.log") $(tail -n 1 "$WORK/attach.log" 2>/dev/null)"
		{ usbip port; ls /sys/devices/platform/; dmesg | tail -n 20; } >"$OUT/vhci-state.txt" 2>&1
	fi
	stop_server
}

note "serve $LOADER_SIM"
if serve --sim="$LOADER_SIM" --board-file "$BOARD" >"$WORK/serve.log" 2>&1 && attach; then
	pass "export: usbip attach of 1-1 enumerates"
	check "lsusb -v matches the STM32F4 capture" lsusb_matches
	check "dfu-util -l lists four alt settings" dfu_list
	check "dfu-util -D with leave" dfu_download_leave
	check "dfu-util -U after re-attach returns the same bytes" dfu_upload_same
	check "dfu-util flashes a .dfu written by bringup" dfu_file
	check "dfu-util -a 1 reads the simulated option bytes" option_bytes
	check "bringup list (usb backend)" bringup_list
	check "bringup flash with verify and leave" bringup_flash
	check "bringup read after re-attach" bringup_read
	check "bringup --json sees the attach (list -w)" bringup_hotplug_attach
	check "bringup --json sees the detach after leave (flash)" bringup_hotplug_detach
else
	fail "export: usbip attach of 1-1 enumerates" "$(tail -n 1 "$WORK/serve.log")"
fi

note "serve $FAULT_SIM $FAULT"
if serve --sim="$FAULT_SIM" --fault="$FAULT" >"$WORK/serve.log" 2>&1 && attach; then
	check "unplug during flash gives a clear error" fault_unplug
else
	fail "unplug during flash gives a clear error" "fault board not attached: $(tail -n 1 "$WORK/serve.log")"
fi
stop_server

every_profile
