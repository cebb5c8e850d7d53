# npm run bench:usb, in the guest: one 256 KiB image flashed by dfu-util and then by bringup,
# through the kernel, with the simulator on the real clock and datasheet timing.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh" "$1"
IMG=$OUT/bench.bin
modprobe vhci-hcd || fail "vhci-hcd" "modprobe failed"

ms() { date +%s%3N; }

bench_run() {
	serve --sim="$BENCH_SIM" --realtime || return 1
	attach || return 1
	local t0 t1 t2 t3
	t0=$(ms)
	dfu-util -a 0 -s 0x08000000 -D "$IMG" >"$WORK/bench-dfu-util.log" 2>&1 || {
		tail -n 3 "$WORK/bench-dfu-util.log"
		return 1
	}
	t1=$(ms)
	note "dfu-util took $((t1 - t0)) ms"
	# A fresh simulated board for each tool, so neither finds the other's work in flash.
	serve --sim="$BENCH_SIM" --realtime || return 1
	attach || return 1
	# The board's supply said once (2.7-3.6 V): the loader programs 32 bits at a time.
	t2=$(ms)
	bringup flash "$IMG" -s 0x08000000 --voltage 3.3 --json >"$WORK/bench-bringup.ndjson" 2>&1 || {
		tail -n 3 "$WORK/bench-bringup.ndjson"
		return 1
	}
	t3=$(ms)
	# Like for like with dfu-util -D: byte-wise programming, on a fresh board again (verify stays on).
	serve --sim="$BENCH_SIM" --realtime || return 1
	attach || return 1
	t4=$(ms)
	bringup flash "$IMG" -s 0x08000000 --json >"$WORK/bench-bytewise.ndjson" 2>&1 || {
		tail -n 3 "$WORK/bench-bytewise.ndjson"
		return 1
	}
	t5=$(ms)
	local a=$((t1 - t0)) b=$((t3 - t2)) c=$((t5 - t4))
	# bringup's own elapsed time, without node's start-up (slow under TCG).
	inner() { sed -n 's/.*"type":"result".*"elapsedMs":\([0-9]*\).*/\1/p' "$1" | tail -n 1; }
	local fast bytewise
	fast=$(inner "$WORK/bench-bringup.ndjson")
	bytewise=$(inner "$WORK/bench-bytewise.ndjson")
	{
		echo "bench: 256 KiB, $BENCH_SIM, real-time datasheet timing, through vhci-hcd under TCG"
		echo "bench: dfu-util -D                          $a ms wall"
		echo "bench: bringup flash --voltage 3.3 (verify) $b ms wall, $fast ms in bringup"
		echo "bench: bringup flash, byte-wise (verify)    $c ms wall, $bytewise ms in bringup"
		echo "bench: wall-time ratios to dfu-util: $(awk "BEGIN { printf \"%.2f\", $b / $a }") with the supply range, $(awk "BEGIN { printf \"%.2f\", $c / $a }") byte-wise"
		echo "summary-usb: bringup/dfu-util $(awk "BEGIN { printf \"%.2f\", ${fast:-0} / $a }")"
	} | tee "$OUT/bench"
}

check "bench: 256 KiB by dfu-util and by bringup" bench_run
stop_server
