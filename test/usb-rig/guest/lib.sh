# Shared by the guest scripts: results, the in-guest USB/IP server, attach and detach.
# shellcheck disable=SC2034
OUT=$1
. "$OUT/rig.env"
export PATH=$NODE_DIR:$PATH
RESULTS=$OUT/results
WORK=/tmp/rig
mkdir -p "$WORK"
SERVER_PID=

up() { cut -d' ' -f1 /proc/uptime; }
note() { echo "[$(up)] $*"; }

pass() { echo "PASS $1" >>"$RESULTS"; note "PASS $1"; }
fail() { echo "FAIL $1: $2" >>"$RESULTS"; note "FAIL $1: $2"; }

# check NAME COMMAND...: runs the command (a shell function, usually); its last output line is
# the reason shown on failure.
check() {
	local name=$1 log
	shift
	log=$WORK/check-${name//[^A-Za-z0-9]/_}.log
	note "check $name"
	if "$@" >"$log" 2>&1; then
		pass "$name"
	else
		fail "$name" "$(tail -n 1 "$log")"
	fi
	sed 's/^/    /' "$log"
}

# serve ARGS...: the simulated board exported over USB/IP on 127.0.0.1:3240 in this guest;
# each start logs to its own server-N.log in the results share.
SERVER_N=0
serve() {
	stop_server
	SERVER_N=$((SERVER_N + 1))
	SERVER_LOG=$OUT/server-$SERVER_N.log
	echo "serve $*" >"$SERVER_LOG"
	node "$ROOT/dist/bin/cli.js" sim --usbip --listen 127.0.0.1:3240 "$@" >>"$SERVER_LOG" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 200); do
		if grep -q "listening on 127.0.0.1:3240" "$SERVER_LOG"; then
			note "server listening"
			return 0
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || {
			echo "server exited: $(tail -n 1 "$SERVER_LOG")"
			return 1
		}
		sleep 0.1
	done
	echo "server did not start"
	return 1
}

stop_server() {
	detach
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
	return 0
}

# attach: import busid 1-1 and wait until the kernel has enumerated it (product string read).
attach() {
	usbip attach -r 127.0.0.1 -b 1-1 || return 1
	for _ in $(seq 100); do
		if [ -e /sys/bus/usb/devices/1-1/product ]; then
			note "1-1 enumerated"
			return 0
		fi
		sleep 0.1
	done
	echo "1-1 did not enumerate"
	return 1
}

# gone: wait until the kernel has seen the device leave (after a leave or a fault).
gone() {
	for _ in $(seq 100); do
		[ -e /sys/bus/usb/devices/1-1 ] || return 0
		sleep 0.1
	done
	echo "1-1 is still there"
	return 1
}

detach() {
	if [ -e /sys/bus/usb/devices/1-1 ]; then
		usbip detach -p 0 >/dev/null 2>&1
		gone >/dev/null
	fi
	return 0
}

bringup() { node "$ROOT/dist/bin/cli.js" "$@"; }
