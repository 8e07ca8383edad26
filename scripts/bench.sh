#!/usr/bin/env bash
# scripts/bench.sh — troupe's load benchmarks; `make bench` runs it and it
# writes every row of BENCHMARKS.md at the repository root.
#
# It builds bin/troupe and bin/troupe-load, then for every scenario starts a
# fresh server (fresh data directory, free 127.0.0.1 port, fast password
# hashing, no DNS, no --memory-limit), drives it with troupe-load (each run
# bounded by --duration and a deadline, so every scenario stops by itself),
# samples the server's RSS from /proc/<pid>/status twice a second (the
# maximum is reported), reads the CPU time (utime+stime) of the server and
# of troupe-load from /proc/<pid>/stat at each of troupe-load's once-a-second
# progress lines, stops the server with SIGTERM and reads troupe-load's
# --json report.
#
# Scenarios:
#  (a) 10,000 players at 1 command/s (normal profile), grid world with
#      spread starts; targets p99 <= 15 ms, p99.9 <= 50 ms, every offered
#      command answered, 0 errors, server CPU <= 60 µs per command.
#  (b) saturation: 1,000 players at 5, 10, 20, 40 and 80 commands/s each,
#      stopping once p99 passes 100 ms; target >= 29,000 cmd/s at p99 <=
#      100 ms.
#  crowd: N players in the starter world's start room (no --grid-world, no
#      --start-spread), `look` at 1/s each (profile crowd), N = 500, 1000,
#      1500, ... until p99 passes 100 ms; a probe character logs in during
#      each step's steady state and counts the players its look lists.
#      Target >= 2,500 players at p99 <= 44 ms, every occupant listed.
#  (c) 20,000 logged-in idle players (connect-only); RSS <= 400 MiB.
#  (d) 10,000 idle sockets at the login prompt, RSS.
#  (e), (f) the portal/game split: scripts/portalbench.sh (re-attach time,
#      added latency per command; target <= 0.5 ms p50).
#  Then the in-process Go benchmarks (scripts/gobench.sh, store, telnet)
#  and the login burst (scripts/loginburst.sh).
#
# Knobs:
#   BENCH_QUICK=1   everything at about 1/10 of the players with shorter runs
#                   (about 7 minutes; no login burst; portalbench PB_QUICK=1)
#   BENCH_OUT=FILE  write FILE instead of BENCHMARKS.md
#   BENCH_ONLY="a b crowd c d portal go"
#                   run only these parts (the rest are reported "not run")
#   BENCH_GO=0      skip the Go benchmarks (same as leaving go out of ONLY)
#   BENCH_KEEP=1    keep the work directory (reports, logs, CPU samples)
#   CROWD_MAX=N     the crowd's last step (default 10000, or 1000 quick)
#   BENCH_REPORT_FROM=DIR  run nothing: write the report again from DIR, a
#                   work directory an earlier run kept (BENCH_KEEP=1)
#
# BENCHMARKS.md ends with a hand-kept History section: everything from the
# line "<!-- history: kept by bench.sh -->" to the end of the old file is
# copied into the new one unchanged.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
GO=${GO:-go}
QUICK=${BENCH_QUICK:-0}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
ONLY=" $(echo "${BENCH_ONLY:-a b crowd c d portal go}" | tr ',' ' ') "
[ "${BENCH_GO:-1}" = 1 ] || ONLY=${ONLY// go / }
HIST_MARK='<!-- history: kept by bench.sh -->'

die() {
	echo "bench: $*" >&2
	exit 1
}
wants() { [[ "$ONLY" == *" $1 "* ]]; }
for part in $ONLY; do
	case $part in a | b | crowd | c | d | portal | go) ;; *) die "BENCH_ONLY: unknown part '$part' (a b crowd c d portal go)" ;; esac
done
command -v python3 >/dev/null || die "python3 is needed (free-port probe, CPU sampling, JSON reports, idle sockets, the crowd probe)"
command -v "$GO" >/dev/null || die "the go command ($GO) is needed"
command -v timeout >/dev/null || die "timeout(1) (coreutils) is needed"
if [ ! -r /proc/self/status ] || [ ! -r /proc/self/stat ]; then die "/proc is needed to measure RSS and CPU (Linux only)"; fi
OUT_DIR=$(dirname "$OUT")
if [ ! -d "$OUT_DIR" ] || [ ! -w "$OUT_DIR" ]; then die "cannot write $OUT (no such directory, or not writable)"; fi

# Both processes hold one socket per player: lift the open-file limit to the
# hard limit for this shell and everything it starts.
# Root may raise the hard limit itself (CAP_SYS_RESOURCE); try before using it.
ulimit -Hn 200000 2>/dev/null || true
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)

if [ "$QUICK" = 1 ]; then
	SCALE="quick (about 1/10 scale)"
	A_PLAYERS=1000 A_RAMP=500 A_DUR=25
	B_PLAYERS=100 B_RAMP=500 B_DUR=10
	CR_START=250 CR_STEP=250 CR_MAX=${CROWD_MAX:-1000} CR_RAMP=500 CR_STEADY=10 CR_SLACK=6
	C_PLAYERS=2000 C_RAMP=1000 C_DUR=20
	D_SOCKETS=1000 D_HOLD=8
else
	SCALE="full"
	A_PLAYERS=10000 A_RAMP=500 A_DUR=100
	B_PLAYERS=1000 B_RAMP=500 B_DUR=45
	CR_START=500 CR_STEP=500 CR_MAX=${CROWD_MAX:-10000} CR_RAMP=500 CR_STEADY=30 CR_SLACK=12
	C_PLAYERS=20000 C_RAMP=500 C_DUR=120
	D_SOCKETS=10000 D_HOLD=30
fi
B_RATES="5 10 20 40 80"
# Each process holds one descriptor per player plus its own few: scenario
# (c) and the crowd are cut to what the hard limit allows (and
# BENCHMARKS.md says so).
C_NOTE=""
if [ "$NOFILE" != unlimited ] && [ "$NOFILE" -lt $((C_PLAYERS + 256)) ]; then
	C_NOTE=" (cut from $C_PLAYERS: the open-file hard limit is $NOFILE)"
	C_PLAYERS=$((NOFILE - 256))
	if wants c; then echo "bench: open-file limit $NOFILE: scenario (c) runs $C_PLAYERS players" >&2; fi
fi
if [ "$NOFILE" != unlimited ] && [ "$NOFILE" -lt $((CR_MAX + 256)) ]; then
	CR_MAX=$((NOFILE - 256))
fi
[[ "$CR_MAX" =~ ^[0-9]+$ ]] || die "CROWD_MAX must be a number"

# The commit measured, taken now: others may commit during a long run.
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY=$(git status --porcelain 2>/dev/null | wc -l)
[ "$DIRTY" -gt 0 ] && COMMIT="$COMMIT (with uncommitted changes: $DIRTY paths in \`git status --porcelain\`)"

FROM=${BENCH_REPORT_FROM:-}
if [ -n "$FROM" ]; then
	[ -f "$FROM/state.sh" ] || die "BENCH_REPORT_FROM: $FROM/state.sh is missing (a work directory kept with BENCH_KEEP=1)"
	WORK=$FROM
	BENCH_KEEP=1
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/troupe-bench.XXXXXX")
fi
A_SRV="" B_SRV="" CR_SRV="" C_SRV=""
SERVER_PID="" SAMPLER_PID="" LOAD_PID="" PROBE_PID="" PORTAL_PID=""
cleanup() {
	local p
	for p in "$PROBE_PID" "$LOAD_PID" "$SAMPLER_PID"; do
		if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; fi
	done
	if [ -n "$PORTAL_PID" ]; then # its own trap kills what it started
		kill -TERM "$PORTAL_PID" 2>/dev/null || true
		wait "$PORTAL_PID" 2>/dev/null || true
	fi
	if [ -n "$SERVER_PID" ]; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# rss_kib PID: the process's resident set in KiB (0 when gone).
rss_kib() { awk '/^VmRSS:/ {print $2; f=1} END {if (!f) print 0}' "/proc/$1/status" 2>/dev/null || echo 0; }

# runload.py: runs troupe-load (argv after the options) under a deadline,
# copies its stdout to OUT.out, stderr to OUT.err, and at each progress line
# reads the CPU time (utime+stime, /proc/<pid>/stat) of the server and of
# troupe-load. The steady window is from the first progress line at least
# 2 s after every player was in the game (troupe-load's own steady state
# starts 2 s after the last login) to the last progress line (troupe-load
# prints none after its --duration); the commands answered in it are the
# sum of the lines' cmds/s times their intervals (the report's
# steady_commands_per_sec times the window when the lines have none).
# Writes OUT.cpu.json; exits with troupe-load's status (124 on the deadline).
cat >"$WORK/runload.py" <<'EOF'
import json, os, re, resource, signal, subprocess, sys, threading, time
out, spid, players, limit, report = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
argv = sys.argv[6:]
HZ = float(os.sysconf("SC_CLK_TCK"))
def cpu(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        v = s[s.rindex(")") + 2:].split()  # v[0] is field 3 (state): utime is 14, stime 15
        return (int(v[11]) + int(v[12])) / HZ
    except (OSError, ValueError, IndexError):
        return None
t0, s0 = time.time(), cpu(spid)
p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=open(out + ".err", "w"))
def stop(*_):
    p.kill()
    os._exit(130)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
lines = []
def reader():
    with open(out + ".out", "w") as f:
        for raw in p.stdout:
            t, sc, lc = time.time(), cpu(spid), cpu(p.pid)
            l = raw.decode("utf-8", "replace").rstrip("\n")
            f.write(l + "\n")
            f.flush()
            lines.append((t, l, sc, lc))
th = threading.Thread(target=reader, daemon=True)
th.start()
killed = False
try:
    rc = p.wait(timeout=limit)
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
    rc, killed = 124, True
t1, s1 = time.time(), cpu(spid)
th.join(5)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
res = {"rc": rc, "killed": killed, "whole_s": t1 - t0, "load_whole_cpu_s": ru.ru_utime + ru.ru_stime,
       "server_whole_cpu_s": (s1 - s0) if s0 is not None and s1 is not None else None}
PIN, PCPS = re.compile(r"players (\d+)/(\d+) in game"), re.compile(r"cmds/s\s+([0-9.]+)")
prog = []
for t, l, sc, lc in lines:
    m = PIN.search(l)
    if m and sc is not None and lc is not None:
        c = PCPS.search(l)
        prog.append((t, int(m.group(1)), float(c.group(1)) if c else None, sc, lc))
allin = next((x[0] for x in prog if x[1] >= players), None)
win = [x for x in prog if allin is not None and x[0] >= allin + 2.0]
if len(win) >= 2:
    ws = win[-1][0] - win[0][0]
    res.update(window_s=ws, server_cpu_s=win[-1][3] - win[0][3], load_cpu_s=win[-1][4] - win[0][4])
    if all(x[2] is not None for x in win):
        res["window_cmds"] = sum(b[2] * (b[0] - a[0]) for a, b in zip(win, win[1:]))
        res["cmds_from"] = "progress lines"
    else:
        try:
            res["window_cmds"] = json.load(open(report))["steady_commands_per_sec"] * ws
            res["cmds_from"] = "report"
        except (OSError, ValueError, KeyError):
            pass
    n = res.get("window_cmds")
    if n and n >= 1:
        res["server_us_per_cmd"] = res["server_cpu_s"] * 1e6 / n
        res["load_us_per_cmd"] = res["load_cpu_s"] * 1e6 / n
json.dump(res, open(out + ".cpu.json", "w"), indent=1)
sys.exit(rc)
EOF

# crowdprobe.py ADDR OUT WANT LOADOUT DEADLINE_S: waits until troupe-load's
# progress (LOADOUT) shows WANT players in the game, plus 3 s; logs a
# character of its own in (it starts in the same room), types look and
# counts the lines "Name is here." of troupe-load's characters in the
# answer. Writes OUT (JSON); never fails the run.
cat >"$WORK/crowdprobe.py" <<'EOF'
import json, re, socket, sys, time
addr, out, want, loadout, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
end = time.time() + limit
res = {"want": want, "listed": None, "occupant_lines": None, "look_ms": None, "bytes": None, "error": None}
pat = re.compile(r"players (\d+)/(\d+) in game")
PROMPT = re.compile(rb"\xff[\xf9\xef]")  # IAC GA or IAC EOR ends every prompt
def clean(b):
    """the text of a telnet stream: IAC sequences and ANSI colours removed."""
    o, i, n = bytearray(), 0, len(b)
    while i < n:
        c = b[i]
        if c != 255:
            o.append(c)
            i += 1
            continue
        k = b[i + 1] if i + 1 < n else 0
        if k == 255:
            o.append(255)
            i += 2
        elif k in (251, 252, 253, 254):
            i += 3
        elif k == 250:
            j = b.find(b"\xff\xf0", i)
            i = n if j < 0 else j + 2
        else:
            i += 2
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", o.decode("utf-8", "replace"))
try:
    while True:
        if time.time() > end:
            raise RuntimeError("troupe-load never had %d players in the game" % want)
        try:
            txt = open(loadout, errors="replace").read()
        except FileNotFoundError:
            txt = ""
        if any(int(a) >= want for a, _ in pat.findall(txt)):
            break
        time.sleep(0.25)
    time.sleep(3)
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), 10)
    s.settimeout(0.5)
    buf = bytearray()
    def until(pred, what, t=30):
        stop = min(end, time.time() + t)
        while not pred(bytes(buf)):
            if time.time() > stop:
                raise RuntimeError("no %s within %.0f s (last: %r)" % (what, t, clean(bytes(buf[-200:]))))
            try:
                d = s.recv(1 << 16)
            except socket.timeout:
                continue
            if not d:
                raise RuntimeError("the server closed the connection waiting for %s" % what)
            buf.extend(d)
        got = bytes(buf)
        buf.clear()
        return got
    def send(line):
        s.sendall(line.encode() + b"\r\n")
    def has(text):
        return lambda b: text.encode() in b
    def room(b):  # the exits line, then a prompt
        i = b.find(b"Exits:")
        return i >= 0 and PROMPT.search(b, i) is not None
    until(has("Account name:"), "the account prompt"); send("crowdprobe")
    until(has("Create account:"), "the create prompt"); send("y")
    until(has("Password:"), "the password prompt"); send("probe-pw-1")
    until(has("Character name:"), "the character prompt"); send("Crowdprobe")
    until(lambda b: b"Welcome to the game!" in b and room(b[b.find(b"Welcome to the game!"):]), "the welcome and the room")
    t0 = time.time()
    send("look")
    got = until(room, "the answer to look")
    res["look_ms"] = round((time.time() - t0) * 1000, 1)
    lines = [l.strip() for l in clean(got).replace("\r", "").split("\n")]
    res["occupant_lines"] = sum(1 for l in lines if l.endswith(" is here."))
    res["listed"] = sum(1 for l in lines if re.match(r"^L[a-j]+x[a-j]+[k-z]? is here\.$", l))
    res["bytes"] = len(got)
    send("quit")
    s.close()
except Exception as e:
    res["error"] = str(e)
json.dump(res, open(out, "w"))
EOF

# idlesockets.py ADDR N HOLD_S: scenario (d): opens N sockets (no telnet
# answers, no login), holds them HOLD_S seconds, reports how many stayed open.
cat >"$WORK/idlesockets.py" <<'EOF'
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
n, hold = int(sys.argv[2]), float(sys.argv[3])
socks, failed = [], 0
end = time.time() + 240  # opening is bounded even if the server stalls
for i in range(n):
    if time.time() > end:
        failed += n - i
        break
    try:
        socks.append(socket.create_connection((host, int(port)), 5))
    except OSError:
        failed += 1
time.sleep(hold)
alive = 0
for s in socks:
    try:
        s.setblocking(False)
        try:
            if s.recv(65536) == b"":
                continue  # the server closed it
        except BlockingIOError:
            pass
        alive += 1
    except OSError:
        pass
    finally:
        s.close()
print("opened %d, failed %d, still open after %.0f s: %d" % (len(socks), failed, hold, alive))
EOF

# start_server NAME WORLD-FLAGS: a fresh server for scenario NAME; sets
# SERVER_PID, ADDR, SERVER_CMD and starts the RSS sampler (max into
# $WORK/NAME.rss).
start_server() {
	local name=$1 world=$2 port tries=0
	port=$(free_port)
	ADDR=127.0.0.1:$port
	mkdir -p "$WORK/$name-data"
	SERVER_CMD="bin/troupe --insecure-fast-hash --dns=false --log-level warn ${world:+$world }--telnet $ADDR --data $WORK/$name-data"
	# shellcheck disable=SC2086
	$SERVER_CMD 2>"$WORK/$name-server.log" &
	SERVER_PID=$!
	until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2).close()" 2>/dev/null; do
		kill -0 "$SERVER_PID" 2>/dev/null || {
			cat "$WORK/$name-server.log" >&2
			die "the server for $name did not start"
		}
		tries=$((tries + 1))
		[ "$tries" -lt 100 ] || die "the server for $name is not listening on $ADDR"
		sleep 0.1
	done
	sleep 0.5 # let the world finish starting before measuring its base RSS
	rss_kib "$SERVER_PID" >"$WORK/$name.rss0"
	(
		max=0
		while kill -0 "$SERVER_PID" 2>/dev/null; do
			r=$(rss_kib "$SERVER_PID")
			[ "$r" -gt "$max" ] && max=$r && echo "$max" >"$WORK/$name.rss"
			sleep 0.5
		done
	) &
	SAMPLER_PID=$!
}

# stop_server NAME: SIGTERM, wait (at most 120 s), then SIGKILL; records the
# shutdown time.
stop_server() {
	local name=$1 t0 t1 i=0
	t0=$(date +%s.%N)
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		echo "bench: the server for $name did not stop in 120 s; killed" >&2
		kill -KILL "$SERVER_PID" 2>/dev/null || true
		echo "killed after 120 s" >"$WORK/$name.shutdown"
	else
		t1=$(date +%s.%N)
		python3 -c "print('%.1f s' % ($t1 - $t0))" >"$WORK/$name.shutdown"
	fi
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
	kill "$SAMPLER_PID" 2>/dev/null || true
	wait "$SAMPLER_PID" 2>/dev/null || true
	SAMPLER_PID=""
}

# load NAME PLAYERS DURATION_S ARGS...: runs troupe-load against $ADDR
# (--players, --duration and --json added) under runload.py, deadline
# DURATION + 120 s; the exit status (1 = errors or disconnects, 124 = the
# deadline) is recorded, not fatal.
load() {
	local name=$1 players=$2 dur=$3
	shift 3
	local cmd="bin/troupe-load --addr $ADDR --players $players --duration ${dur}s $* --json $WORK/$name.json"
	echo "$cmd" >"$WORK/$name.cmd"
	echo "bench: $cmd"
	local rc=0
	# shellcheck disable=SC2086
	python3 "$WORK/runload.py" "$WORK/$name" "$SERVER_PID" "$players" $((dur + 120)) "$WORK/$name.json" $cmd &
	LOAD_PID=$!
	wait "$LOAD_PID" || rc=$?
	LOAD_PID=""
	echo "$rc" >"$WORK/$name.rc"
	[ "$rc" = 124 ] && echo "bench: $name: troupe-load passed its deadline and was killed" >&2
	tail -n 14 "$WORK/$name.out" 2>/dev/null | sed 's/^/    /' || true
}

# field NAME EXPR: a value from NAME's JSON report (python expression on r),
# n/a when the report is missing.
field() {
	python3 - "$WORK/$1.json" "$2" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    v = eval(sys.argv[2], {}, {"r": r})
except Exception:
    print("n/a"); sys.exit(0)
print(("%.2f" % v) if isinstance(v, float) else v)
EOF
}

# cpuf NAME KEY [FORMAT]: a value of NAME's CPU measurement (n/a if none).
cpuf() {
	python3 - "$WORK/$1.cpu.json" "$2" "${3:-%.1f}" <<'EOF'
import json, sys
try:
    v = json.load(open(sys.argv[1]))[sys.argv[2]]
except Exception:
    v = None
print("n/a" if v is None else sys.argv[3] % v)
EOF
}

# cmp A OP B: 1 if the numbers compare true, else 0 (0 when either is n/a).
cmp() { python3 -c "import sys; a,o,b=sys.argv[1:]; print(1 if a not in ('n/a','') and b not in ('n/a','') and eval(a+o+b) else 0)" "$1" "$2" "$3"; }
mib() { python3 -c "print('%.1f' % ($1 / 1024.0))"; }
rss_of() { cat "$WORK/$1.rss" 2>/dev/null || echo 0; }
verdict() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**short**"; fi; }
NOTRUN="not run (BENCH_ONLY)"

if [ -z "$FROM" ]; then
	echo "bench: building bin/troupe and bin/troupe-load"
	timeout 600 "$GO" build -o bin/troupe ./cmd/troupe || die "building bin/troupe failed"
	timeout 600 "$GO" build -o bin/troupe-load ./cmd/troupe-load || die "building bin/troupe-load failed"
	bin/troupe-load -h 2>&1 | grep -q 'crowd' || die "bin/troupe-load has no crowd profile (actors/sim/profile.go)"

	START=$(date -u +"%Y-%m-%d %H:%M:%S UTC")
	T0=$(date +%s)

	GRID="--grid-world 10000 --start-spread"

	# (a) the normal population.
	if wants a; then
		echo "bench: (a) $A_PLAYERS players at 1 command/s, normal profile"
		start_server a "$GRID"
		load a "$A_PLAYERS" "$A_DUR" --rate 1 --ramp "$A_RAMP" --profile normal --seed 1
		A_SRV=$SERVER_CMD
		stop_server a
	fi

	# (b) saturation steps.
	B_BEST_RATE="" B_BEST_CPS="" B_BEST_NAME="" B_STEPS=""
	if wants b; then
		for rate in $B_RATES; do
			name=b$rate
			echo "bench: (b) $B_PLAYERS players at $rate commands/s each"
			start_server "$name" "$GRID"
			load "$name" "$B_PLAYERS" "$B_DUR" --rate "$rate" --ramp "$B_RAMP" --profile normal --seed 2
			B_SRV=$SERVER_CMD
			stop_server "$name"
			B_STEPS="$B_STEPS $rate"
			p99=$(field "$name" 'r["latency_ms"]["p99"]')
			errs=$(field "$name" 'r["errors"] + r["disconnects"]')
			if [ "$(cmp "$p99" '<=' 100)" = 1 ] && [ "$errs" = 0 ]; then
				cps=$(field "$name" 'r["steady_commands_per_sec"]')
				if [ -z "$B_BEST_CPS" ] || [ "$(cmp "$cps" '>' "$B_BEST_CPS")" = 1 ]; then
					B_BEST_RATE=$rate B_BEST_CPS=$cps B_BEST_NAME=$name
				fi
			else
				break # p99 passed 100 ms (or errors): the next step would only be worse
			fi
		done
	fi

	# The crowd: N players in the start room of the starter world, look at 1/s.
	CR_STEPS="" CR_BEST="" CR_BEST_NAME="" CR_STOP=""
	if wants crowd; then
		n=$CR_START
		while [ "$n" -le "$CR_MAX" ]; do
			name=crowd$n
			# the ramp, logins that lag it (each arrival is shown to the whole
			# room: work grows with N², so does the slack), the 2 s settle,
			# then CR_STEADY s of steady state
			slack=$((CR_SLACK + n * n / 250000))
			dur=$(((n + CR_RAMP - 1) / CR_RAMP + slack + CR_STEADY))
			echo "bench: crowd: $n players in one room, look at 1/s each"
			start_server "$name" ""
			python3 "$WORK/crowdprobe.py" "$ADDR" "$WORK/$name.probe" "$n" "$WORK/$name.out" $((dur + 60)) &
			PROBE_PID=$!
			load "$name" "$n" "$dur" --rate 1 --ramp "$CR_RAMP" --profile crowd --seed 4
			wait "$PROBE_PID" 2>/dev/null || true
			PROBE_PID=""
			CR_SRV=$SERVER_CMD
			stop_server "$name"
			CR_STEPS="$CR_STEPS $n"
			p99=$(field "$name" 'r["latency_ms"]["p99"]')
			errs=$(field "$name" 'r["errors"] + r["disconnects"]')
			listed=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('listed'))" "$WORK/$name.probe" 2>/dev/null || echo None)
			echo "    probe: $(cat "$WORK/$name.probe" 2>/dev/null)"
			if [ "$(cmp "$p99" '<=' 44)" = 1 ] && [ "$errs" = 0 ] && [ "$listed" = "$n" ]; then
				CR_BEST=$n CR_BEST_NAME=$name
			fi
			if [ "$(cmp "$p99" '<=' 100)" != 1 ] || [ "$errs" != 0 ]; then
				CR_STOP="p99 $p99 ms, $errs errors and disconnects at $n players"
				break
			fi
			n=$((n + CR_STEP))
		done
		[ -n "$CR_STOP" ] || CR_STOP="p99 stayed ≤ 100 ms up to the last step, $CR_MAX players"
	fi

	# (c) logged-in idle players.
	if wants c; then
		echo "bench: (c) $C_PLAYERS connected idle players"
		start_server c "$GRID"
		load c "$C_PLAYERS" "$C_DUR" --ramp "$C_RAMP" --connect-only --seed 3 --timeout 30s
		C_SRV=$SERVER_CMD
		stop_server c
	fi

	# (d) idle sockets at the login prompt (no telnet answers, no login).
	D_RESULT="" D_CMD=""
	if wants d; then
		echo "bench: (d) $D_SOCKETS idle sockets"
		start_server d "$GRID"
		D_CMD="python3 idlesockets.py (written by bench.sh) \$ADDR $D_SOCKETS $D_HOLD   # opens $D_SOCKETS sockets, holds them $D_HOLD s"
		timeout $((D_HOLD + 300)) python3 "$WORK/idlesockets.py" "$ADDR" "$D_SOCKETS" "$D_HOLD" >"$WORK/d.out" 2>&1 || true
		D_RESULT=$(cat "$WORK/d.out")
		stop_server d
	fi

	# (e), (f): the portal/game split (scripts/portalbench.sh, bounded by its own
	# deadlines and an outer timeout).
	PB_STATUS="$NOTRUN"
	if wants portal; then
		echo "bench: (e), (f) portal and game: scripts/portalbench.sh (PB_QUICK=$QUICK)"
		mkdir -p "$WORK/portal"
		PB_QUICK=$QUICK PB_OUT=$WORK/portal GO=$GO timeout 2400 bash scripts/portalbench.sh >"$WORK/portal.md" 2>"$WORK/portal.err" &
		PORTAL_PID=$!
		pb_rc=0
		wait "$PORTAL_PID" || pb_rc=$?
		PORTAL_PID=""
		if [ "$pb_rc" = 0 ]; then PB_STATUS=ok; else
			PB_STATUS="failed (exit status $pb_rc; last lines of its progress below)"
			tail -n 20 "$WORK/portal.err" >&2 || true
		fi
	fi

	# The in-process figures of the other issues: Go benchmarks of the world,
	# the foundation (scripts/gobench.sh), the store and the telnet layer, and
	# the login burst.
	: >"$WORK/go.md"
	if wants go; then
		echo "bench: Go benchmarks (scripts/gobench.sh, store, telnet)"
		{
			echo
			GO=$GO timeout 1200 bash scripts/gobench.sh 2>"$WORK/gobench.err" || echo "(scripts/gobench.sh failed: exit status $?)"
			echo
			echo "## Store and telnet benchmarks"
			echo
			echo '```'
			echo "\$ go test ./actors/store -run '^\$' -bench DurableSaves -benchtime 1s"
			timeout 600 "$GO" test ./actors/store -run '^$' -bench DurableSaves -benchtime 1s 2>&1 | grep -E '^Benchmark|^ok|FAIL' || true
			echo "\$ go test ./net/telnet -run '^\$' -bench 'Decode|MCCP2\$|MCCP2Session|ProtocolMCCP2Memory|MCCP2ConnMemory|WriteText' -benchtime 1s -benchmem"
			timeout 600 "$GO" test ./net/telnet -run '^$' -bench 'Decode|MCCP2$|MCCP2Session|ProtocolMCCP2Memory|MCCP2ConnMemory|WriteText' -benchtime 1s -benchmem 2>&1 | grep -E '^Benchmark|^ok|FAIL' || true
			echo '```'
			echo
			echo "## Commands while 100 players log in at once (real bcrypt, scripts/loginburst.sh)"
			echo
			if [ "$QUICK" = 1 ]; then
				echo "(not run in the quick run: it takes about 2 minutes at any scale)"
			else
				GO=$GO timeout 600 bash scripts/loginburst.sh 2>/dev/null || echo "(loginburst failed)"
			fi
		} >"$WORK/go.md"
	fi

	T1=$(date +%s)
	# What the report needs besides the work directory's files, for
	# BENCH_REPORT_FROM.
	declare -p START T0 T1 COMMIT SCALE A_SRV B_SRV B_STEPS B_BEST_RATE B_BEST_CPS B_BEST_NAME \
		CR_SRV CR_STEPS CR_BEST CR_BEST_NAME CR_STOP C_SRV C_PLAYERS C_NOTE D_RESULT D_CMD PB_STATUS ONLY \
		QUICK A_PLAYERS B_PLAYERS CR_START CR_STEP CR_MAX CR_RAMP CR_STEADY CR_SLACK D_SOCKETS >"$WORK/state.sh"
else
	# shellcheck disable=SC1091 # written by an earlier run
	source "$WORK/state.sh"
fi

# ---- BENCHMARKS.md ----

# The hand-kept History section of the old file, from the marker line to
# the end. A file from before the marker existed gets a fresh section; the
# hand-written "What the split costs the one-process mode" subsection of its
# portal section (a before/after table) moves into it.
python3 - "$OUT" "$HIST_MARK" >"$WORK/history.md" <<'EOF'
import sys
path, mark = sys.argv[1], sys.argv[2]
try:
    old = open(path, encoding="utf-8").read().split("\n")
except FileNotFoundError:
    old = []
for i, l in enumerate(old):
    if l.strip() == mark:
        sys.stdout.write("\n".join(old[i:]).rstrip("\n") + "\n")
        sys.exit(0)
print(mark)
print()
print("## History")
print()
print("_Kept by hand: `scripts/bench.sh` copies everything from the marker line above to the end of the file into")
print("every new BENCHMARKS.md unchanged. When a change moves a figure, add a row: the figure, before and after")
print("(each with its commit and scale), the change, and the profile that motivated it._")
print()
print("| date | figure | before | after | change (commit) | profile that motivated it |")
print("|---|---|---|---|---|---|")
legacy, on = [], False
for l in old:
    if l.startswith("### 3. What the split costs the one-process mode"):
        on = True
        legacy.append("### " + l[len("### 3. "):] + " (moved here from the portal section)")
        continue
    if on and (l.startswith("## ") or l.startswith("### ")):
        break
    if on:
        legacy.append(l)
if legacy:
    print()
    sys.stdout.write("\n".join(legacy).rstrip("\n") + "\n")
EOF

A_P99=$(field a 'r["latency_ms"]["p99"]')
A_P999=$(field a 'r["latency_ms"]["p999"]')
A_ERR=$(field a 'r["errors"]')
A_DISC=$(field a 'r["disconnects"]')
A_TMO=$(field a 'r["timeouts"]')
A_CPS=$(field a 'r["steady_commands_per_sec"]')
A_OFFER=$(python3 -c "print('%.0f' % ($A_PLAYERS * 1.0))")
A_SHARE=$(python3 -c "import sys; c=sys.argv[1]; print('n/a' if c=='n/a' else '%.1f' % (100*float(c)/$A_OFFER))" "$A_CPS")
A_SRVUS=$(cpuf a server_us_per_cmd)
A_OK99=$(cmp "$A_P99" '<=' 15)
A_OK999=$(cmp "$A_P999" '<=' 50)
A_OKERR=$([ "$A_ERR" = 0 ] && [ "$A_DISC" = 0 ] && echo 1 || echo 0)
A_OKANS=$([ "$A_TMO" = 0 ] && [ "$(cmp "$A_SHARE" '>=' 98)" = 1 ] && echo 1 || echo 0)
A_OKCPU=$(cmp "$A_SRVUS" '<=' 60)
A_OKCONN=$([ "$(field a 'r["peak_connected"]')" = "$A_PLAYERS" ] && echo 1 || echo 0)
C_RSS=$(rss_of c)
C_OK=$(cmp "$C_RSS" '>' 0)
[ "$C_OK" = 1 ] && C_OK=$(cmp "$C_RSS" '<=' $((400 * 1024)))
C_CONN=$(field c 'r["peak_connected"]')
C_OKCONN=$([ "$C_CONN" = "$C_PLAYERS" ] && echo 1 || echo 0)
D_RSS=$(rss_of d)

# cpucell NAME: the summary's CPU cells: server µs/cmd | load s (µs/cmd).
cpucell() {
	echo "$(cpuf "$1" server_us_per_cmd) µs/cmd ($(cpuf "$1" server_cpu_s '%.1f') s) | $(cpuf "$1" load_cpu_s '%.1f') s ($(cpuf "$1" load_us_per_cmd) µs/cmd)"
}
probe() { # NAME KEY: a crowd probe value
	python3 -c "import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print('n/a' if v is None else v)" "$WORK/$1.probe" "$2" 2>/dev/null || echo n/a
}

row() { # name label: one Runs table row
	local n=$1
	echo "| $2 | $(field "$n" 'r["players"]') | $(field "$n" 'r["rate"]') | $(field "$n" 'r["peak_connected"]') | $(field "$n" 'r["commands"]') | $(field "$n" 'r["commands_per_sec"]') | $(field "$n" 'r["steady_commands_per_sec"]') | $(field "$n" 'r["latency_ms"]["p50"]') | $(field "$n" 'r["latency_ms"]["p90"]') | $(field "$n" 'r["latency_ms"]["p99"]') | $(field "$n" 'r["latency_ms"]["p999"]') | $(field "$n" 'r["latency_ms"]["max"]') | $(field "$n" 'r["errors"]') / $(field "$n" 'r["disconnects"]') | $(field "$n" 'r["unknown"]') / $(field "$n" 'r["ambiguous"]') | $(field "$n" 'r["async_output"]') | $(field "$n" 'r["login_ms"]["p50"]') / $(field "$n" 'r["login_ms"]["p99"]') | $(mib "$(rss_of "$n")") | $(cpuf "$n" window_s '%.0f') | $(cpuf "$n" server_cpu_s '%.2f') | **$(cpuf "$n" server_us_per_cmd)** | $(cpuf "$n" load_cpu_s '%.2f') | $(cpuf "$n" load_us_per_cmd) | $(cpuf "$n" server_whole_cpu_s '%.1f') / $(cpuf "$n" load_whole_cpu_s '%.1f') | $(cat "$WORK/$n.shutdown" 2>/dev/null) |"
}
HEAD="| run | players | cmd/s each | peak in game | commands | commands/s (whole run) | steady cmd/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors / disconnects | unknown / ambiguous | unsolicited bursts | login p50 / p99 ms | server max RSS MiB | steady window s | server CPU s (steady) | **server µs/cmd (steady)** | load CPU s (steady) | load µs/cmd (steady) | CPU s whole run: server / load | shutdown |"
SEP="|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

# Portal figures (scripts/portalbench.sh writes fig1.txt and fig2.json).
PB=$WORK/portal
PB_NOFIG=$PB_STATUS
[ "$PB_STATUS" != ok ] || PB_NOFIG="no figure (see the portal section)"
pbv() { # KEY [FORMAT]: a value of fig2.json
	python3 -c "import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print('n/a' if v is None else (sys.argv[3] % v))" "$PB/fig2.json" "$1" "${2:-%+.2f}" 2>/dev/null || echo n/a
}

{
	echo "# troupe benchmarks"
	echo
	echo "Written by \`scripts/bench.sh\` (\`make bench\`; \`BENCH_QUICK=1 make bench\` for the quick run), every row"
	echo "of it, except the History section at the end, which the script copies from the previous file unchanged."
	echo "Do not edit above that section by hand."
	echo
	echo "- Scale: **$SCALE**"
	echo "- Date: $START (the whole run took $((T1 - T0)) s)"
	echo "- Commit: $COMMIT"
	echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory, Linux $(uname -r)"
	echo "- Go: $($GO version | cut -d' ' -f3-)"
	echo "- Open-file limit (both processes): $NOFILE"
	[ "$ONLY" = " a b crowd c d portal go " ] || echo "- Parts run (BENCH_ONLY):$ONLY"
	echo
	echo "**The load tester and the server share this machine's $(nproc) CPUs**: every latency below"
	echo "includes the cost of simulating the players (telnet decoding, one actor per player) on the"
	echo "same cores, so the server alone would do better. Latency is measured by the client: from"
	echo "writing a command to reading the prompt after the burst that holds the command's answer"
	echo "(a marker per command kind, see actors/sim/answer.go); other players' output arriving first is"
	echo "counted as unsolicited bursts. Latency percentiles and steady cmd/s are the steady state, after every player"
	echo "was in the game plus 2 s (the JSON's latency_all_ms includes the ramp; commands/s (whole run) counts the ramp)."
	echo
	echo "**CPU**: utime+stime of the server process and of troupe-load from /proc/<pid>/stat, read at each of"
	echo "troupe-load's once-a-second progress lines. *Steady* is the window from the first progress line 2 s after"
	echo "every player was in the game to the last progress line (troupe-load prints none after --duration), the"
	echo "same steady state as the latency; per command = CPU seconds in the window ÷ commands answered in it (the"
	echo "progress lines' cmds/s × their intervals). *Whole run* is from troupe-load's start to its exit (logins,"
	echo "playing, quitting). The server's figure is the server alone; the load tester's is troupe-load alone."
	echo
	echo "(a), (b), (c) and (d) use a generated grid of 10,000 rooms (--grid-world) with new characters starting in a"
	echo "random room (--start-spread), as players of a big game spread over its world. The crowd uses the"
	echo "embedded 42-room starter world with neither flag, so every new character starts in its start room"
	echo "(Millbrook Village Square). Chat, shout and who are each capped at 2 per second for the whole run (troupe-load"
	echo "--global-rate): every chat line goes to every player, so each costs ten thousand writes."
	echo
	echo "Every server: \`bin/troupe --insecure-fast-hash --dns=false --log-level warn [--grid-world 10000 --start-spread] --telnet 127.0.0.1:<free port> --data <fresh tmpdir>\`;"
	echo "**no --memory-limit** (nor GOMEMLIMIT) for any scenario. RSS = max of /proc/<pid>/status VmRSS sampled every 0.5 s."
	echo
	echo "## Summary against the targets"
	echo
	echo "| scenario | target | measured | server CPU, steady | load tester CPU, steady | verdict |"
	echo "|---|---|---|---|---|---|"
	if wants a; then
		echo "| (a) $A_PLAYERS players, 1 cmd/s, normal | p99 ≤ 15 ms | $A_P99 ms | $(cpucell a) | $(verdict "$A_OK99") |"
		echo "| (a) | p99.9 ≤ 50 ms | $A_P999 ms | | | $(verdict "$A_OK999") |"
		echo "| (a) | every offered command answered | $A_CPS of $A_OFFER cmd/s offered answered in the steady state ($A_SHARE%), $A_TMO unanswered (timeouts) | | | $(verdict "$A_OKANS") |"
		echo "| (a) | 0 errors, no disconnects | $A_ERR errors, $A_DISC disconnects | | | $(verdict "$A_OKERR") |"
		echo "| (a) | server CPU ≤ 60 µs per command | $A_SRVUS µs per command | | | $(verdict "$A_OKCPU") |"
		echo "| (a) | all $A_PLAYERS in the game | peak $(field a 'r["peak_connected"]') | | | $(verdict "$A_OKCONN") |"
	else
		echo "| (a) normal population | p99 ≤ 15 ms, p99.9 ≤ 50 ms, all answered, 0 errors, ≤ 60 µs CPU per command | $NOTRUN | | | |"
	fi
	if ! wants b; then
		echo "| (b) saturation | ≥ 29,000 cmd/s at p99 ≤ 100 ms | $NOTRUN | | | |"
	elif [ -n "$B_BEST_RATE" ]; then
		echo "| (b) saturation, $B_PLAYERS players | ≥ 29,000 cmd/s at p99 ≤ 100 ms | **$B_BEST_CPS cmd/s** steady (at $B_BEST_RATE cmd/s each, p99 $(field "$B_BEST_NAME" 'r["latency_ms"]["p99"]') ms; steps run:$B_STEPS) | $(cpucell "$B_BEST_NAME") | $(verdict "$(cmp "$B_BEST_CPS" '>=' 29000)") |"
	else
		echo "| (b) saturation, $B_PLAYERS players | ≥ 29,000 cmd/s at p99 ≤ 100 ms | none: the first step already passed 100 ms or had errors | | | **short** |"
	fi
	if ! wants crowd; then
		echo "| crowd | ≥ 2,500 players in one room at p99 ≤ 44 ms, every occupant listed by look | $NOTRUN | | | |"
	elif [ -n "$CR_BEST" ]; then
		echo "| crowd: N players in the start room, look at 1/s each | ≥ 2,500 players at p99 ≤ 44 ms, every occupant listed by look | **$CR_BEST players** (p99 $(field "$CR_BEST_NAME" 'r["latency_ms"]["p99"]') ms, look listed $(probe "$CR_BEST_NAME" listed) of $CR_BEST); steps run:$CR_STEPS; stopped: $CR_STOP | $(cpucell "$CR_BEST_NAME") | $(verdict "$(cmp "$CR_BEST" '>=' 2500)") |"
	else
		echo "| crowd: N players in the start room, look at 1/s each | ≥ 2,500 players at p99 ≤ 44 ms, every occupant listed by look | none: no step had p99 ≤ 44 ms with no errors and every occupant listed (steps run:$CR_STEPS; stopped: $CR_STOP) | | | **short** |"
	fi
	if wants c; then
		echo "| (c) $C_PLAYERS idle players (logged in)$C_NOTE | RSS ≤ 400 MiB without --memory-limit | $(mib "$C_RSS") MiB, peak $C_CONN in the game | idle: $(cpuf c server_cpu_s '%.2f') s in $(cpuf c window_s '%.0f') s | $(cpuf c load_cpu_s '%.2f') s | $(verdict "$C_OK")$([ "$C_OKCONN" = 1 ] || echo ' (not all players got in)') |"
	else
		echo "| (c) idle players (logged in) | RSS ≤ 400 MiB without --memory-limit | $NOTRUN | | | |"
	fi
	if wants d; then
		echo "| (d) $D_SOCKETS idle sockets (login prompt) | RSS (no target) | $(mib "$D_RSS") MiB | | | reported |"
	else
		echo "| (d) idle sockets (login prompt) | RSS (no target) | $NOTRUN | | | |"
	fi
	if [ "$PB_STATUS" = ok ] && [ -s "$PB/fig1.txt" ]; then
		read -r RA_TOT RA_TOOK RA_N <"$PB/fig1.txt" || true # no newline at its end
		echo "| (e) portal/game split: game SIGKILLed and started again under $(grep -o 'Re-attach time, [0-9]* logged-in' "$WORK/portal.md" | grep -o '[0-9]*' || echo '?') logged-in players | re-attach time (no target) | median $RA_TOT ms game start → portal's \"every session attached\" (portal's own took: $RA_TOOK ms; $RA_N kills re-attached) | | | reported |"
	else
		echo "| (e) portal/game split: re-attach time | (no target) | $PB_NOFIG | | | |"
	fi
	if [ "$PB_STATUS" = ok ] && [ -s "$PB/fig2.json" ]; then
		echo "| (f) portal/game split: added latency per command, two-process mode | hop adds ≤ 0.5 ms p50 | **$(pbv p50) ms p50**, $(pbv p90) ms p90, $(pbv p99) ms p99 (medians of $(pbv runs %d) runs, $(pbv players %d) players × 1 cmd/s); idle server $(pbv idle) ms p50 | one process $(pbv one_us '%.1f') µs/cmd, portal + game $(pbv two_us '%.1f') µs/cmd (whole run) | $(pbv load_one_us '%.1f') / $(pbv load_two_us '%.1f') µs/cmd (whole run) | $(verdict "$(cmp "$(pbv p50 '%.3f')" '<=' 0.5)") |"
	else
		echo "| (f) portal/game split: added latency per command | hop adds ≤ 0.5 ms p50 | $PB_NOFIG | | | |"
	fi
	if [ "$QUICK" = 1 ]; then
		echo
		echo "_Quick run: the targets are for the full-scale run; verdicts here are at about 1/10 of the players._"
	fi
	echo
	echo "## Runs"
	echo
	if wants a || wants b || wants crowd || wants c; then
		echo "$HEAD"
		echo "$SEP"
		if wants a; then row a "(a) normal"; fi
		for rate in $B_STEPS; do row "b$rate" "(b) step $rate/s"; done
		for n in $CR_STEPS; do row "crowd$n" "crowd $n"; done
		if wants c; then row c "(c) connect-only"; fi
	else
		echo "(no troupe-load runs: BENCH_ONLY)"
	fi
	echo
	if wants crowd; then
		echo "## Crowd"
		echo
		echo "N players log in to the starter world's start room (ramp $CR_RAMP/s) and type \`look\` at 1/s each (troupe-load"
		echo "profile \`crowd\`, \`look\` alone); each look lists every other occupant. N grows by $CR_STEP from $CR_START, one"
		echo "fresh server per step, until p99 passes 100 ms or a run has errors (at most $CR_MAX). Each step's --duration"
		echo "is the ramp + ${CR_SLACK} s + N²/250,000 s for logins to catch up (every arrival is shown to the whole room) +"
		echo "${CR_STEADY} s; the steady window below is what was left"
		echo "after the last login + 2 s. 3 s into it a probe character logs in to the same room (its arrival is shown to"
		echo "everyone, once), types look and counts the lines \"Name is here.\" of troupe-load's characters in the answer."
		echo
		echo "| players | p50 ms | p99 ms | p99.9 ms | errors / disconnects | login p99 ms | steady window s | steady cmd/s | server µs/cmd | load µs/cmd | look lists (probe) | occupant lines | probe's look ms | look answer bytes | probe error |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		for n in $CR_STEPS; do
			echo "| $n | $(field "crowd$n" 'r["latency_ms"]["p50"]') | $(field "crowd$n" 'r["latency_ms"]["p99"]') | $(field "crowd$n" 'r["latency_ms"]["p999"]') | $(field "crowd$n" 'r["errors"]') / $(field "crowd$n" 'r["disconnects"]') | $(field "crowd$n" 'r["login_ms"]["p99"]') | $(cpuf "crowd$n" window_s '%.0f') | $(field "crowd$n" 'r["steady_commands_per_sec"]') | $(cpuf "crowd$n" server_us_per_cmd) | $(cpuf "crowd$n" load_us_per_cmd) | $(probe "crowd$n" listed) of $n | $(probe "crowd$n" occupant_lines) | $(probe "crowd$n" look_ms) | $(probe "crowd$n" bytes) | $(probe "crowd$n" error) |"
		done
		echo
	fi
	if wants a; then echo "Server base RSS right after start (no connections): $(mib "$(cat "$WORK/a.rss0")") MiB."; fi
	if wants d; then
		echo "(d) $D_RESULT; server max RSS $(mib "$D_RSS") MiB (base $(mib "$(cat "$WORK/d.rss0")") MiB),"
		echo "about $(python3 -c "print('%.1f' % (max($D_RSS - $(cat "$WORK/d.rss0"), 0) / float($D_SOCKETS)))") KiB per socket; shutdown $(cat "$WORK/d.shutdown")."
	fi
	echo
	echo "## Commands"
	echo
	echo '```sh'
	if wants a; then
		echo "# (a)"
		echo "$A_SRV"
		cat "$WORK/a.cmd"
	fi
	if [ -n "$B_STEPS" ]; then
		echo "# (b), one fresh server per step, as (a)'s: $B_SRV"
		for rate in $B_STEPS; do cat "$WORK/b$rate.cmd"; done
	fi
	if [ -n "$CR_STEPS" ]; then
		echo "# crowd, one fresh server per step: $CR_SRV"
		for n in $CR_STEPS; do cat "$WORK/crowd$n.cmd"; done
	fi
	if wants c; then
		echo "# (c)"
		echo "$C_SRV"
		cat "$WORK/c.cmd"
	fi
	if wants d; then
		echo "# (d)"
		echo "$D_CMD"
	fi
	if wants portal; then
		echo "# (e), (f)"
		echo "PB_QUICK=$QUICK bash scripts/portalbench.sh   # its commands are in its section below"
	fi
	echo '```'
	echo
	RUNS=""
	if wants a; then RUNS="a"; fi
	for rate in $B_STEPS; do RUNS="$RUNS b$rate"; done
	for n in $CR_STEPS; do RUNS="$RUNS crowd$n"; done
	if wants c; then RUNS="$RUNS c"; fi
	if [ -n "$RUNS" ]; then
		echo "troupe-load exit status per run (0 = no errors and no unexpected disconnects, 124 = killed at its deadline):"
		echo "$(for n in $RUNS; do printf '%s=%s ' "$n" "$(cat "$WORK/$n.rc" 2>/dev/null || echo '?')"; done | sed 's/ $//; s/ /, /g')."
	fi
	LOGS=$RUNS
	if wants d; then LOGS="$LOGS d"; fi
	for n in $LOGS; do
		if [ -s "$WORK/$n-server.log" ]; then
			logged=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/$n-server.log" | { grep -v 'insecure-fast-hash\|INSECURE fast' || true; })
			if [ -n "$logged" ]; then
				echo
				echo "Server log of $n (warnings and errors, $(echo "$logged" | wc -l) lines, first 10):"
				echo
				echo '```'
				printf '%s\n' "$logged" | sed -n '1,10p' | cut -c1-300 # sed reads all: no SIGPIPE under pipefail
				echo '```'
			fi
		fi
	done
	cat "$WORK/go.md"
	echo
	[ -f scripts/bench-history.md ] && cat scripts/bench-history.md
	echo
	if [ "$PB_STATUS" = ok ] && [ -s "$WORK/portal.md" ]; then
		cat "$WORK/portal.md"
	elif wants portal; then
		echo "## Portal and game (scripts/portalbench.sh)"
		echo
		echo "$PB_STATUS"
		echo
		echo '```'
		tail -n 20 "$WORK/portal.err" 2>/dev/null || true
		echo '```'
	fi
	echo
	cat "$WORK/history.md"
} >"$WORK/BENCHMARKS.md"

cat "$WORK/BENCHMARKS.md" >"$OUT"
echo "bench: wrote $OUT"
