#!/usr/bin/env bash
# scripts/bench.sh — troupe's load benchmarks; `make bench` runs it and it
# writes BENCHMARKS.md at the repository root.
#
# It builds bin/troupe and bin/troupe-load, then for every scenario starts a
# fresh server (fresh data directory, free 127.0.0.1 port, fast password
# hashing, no DNS), drives it with troupe-load (each run bounded by
# --duration, so every scenario stops by itself), samples the server's RSS
# from /proc/<pid>/status twice a second (the maximum is reported), stops the
# server with SIGTERM and reads troupe-load's --json report.
#
# Scenarios: (a) 10,000 players at 1 command/s (normal profile), target
# p99 <= 15 ms and p99.9 <= 50 ms with no errors; (b) saturation: 1,000
# players at 5, 10, 20, 40 and 80 commands/s each, stopping once p99 passes
# 100 ms; (c) 20,000 logged-in idle players (connect-only), RSS target
# <= 400 MiB; (d) 10,000 idle sockets at the login prompt, RSS.
#
# BENCH_QUICK=1 runs everything at 1/10 of the players with shorter runs
# (about 2 minutes). BENCH_OUT overrides the output file; BENCH_KEEP=1 keeps
# the work directory (reports, server logs).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
GO=${GO:-go}
QUICK=${BENCH_QUICK:-0}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}

die() { echo "bench: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 is needed (free-port probe, JSON reports, idle sockets)"
[ -r /proc/self/status ] || die "/proc is needed to measure RSS (Linux only)"

# Both processes hold one socket per player: lift the open-file limit to the
# hard limit for this shell and everything it starts.
# Root may raise the hard limit itself (CAP_SYS_RESOURCE); try before using it.
ulimit -Hn 200000 2>/dev/null || true
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)

if [ "$QUICK" = 1 ]; then
	SCALE="quick (1/10 scale)"
	A_PLAYERS=1000 A_RAMP=500 A_DUR=25s
	B_PLAYERS=100 B_RAMP=500 B_DUR=10s
	C_PLAYERS=2000 C_RAMP=1000 C_DUR=20s
	D_SOCKETS=1000 D_HOLD=8
else
	SCALE="full"
	A_PLAYERS=10000 A_RAMP=500 A_DUR=100s
	B_PLAYERS=1000 B_RAMP=500 B_DUR=45s
	C_PLAYERS=20000 C_RAMP=500 C_DUR=120s
	D_SOCKETS=10000 D_HOLD=30
fi
B_RATES="5 10 20 40 80"
# Each process holds one descriptor per player plus its own few: scenario
# (c) is cut to what the hard limit allows (and BENCHMARKS.md says so).
C_NOTE=""
if [ "$NOFILE" != unlimited ] && [ "$NOFILE" -lt $((C_PLAYERS + 256)) ]; then
	C_NOTE=" (cut from $C_PLAYERS: the open-file hard limit is $NOFILE)"
	C_PLAYERS=$((NOFILE - 256))
	echo "bench: open-file limit $NOFILE: scenario (c) runs $C_PLAYERS players" >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/troupe-bench.XXXXXX")
SERVER_PID=""
SAMPLER_PID=""
cleanup() {
	[ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
	if [ -n "$SERVER_PID" ]; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "bench: building bin/troupe and bin/troupe-load"
$GO build -o bin/troupe ./cmd/troupe
$GO build -o bin/troupe-load ./cmd/troupe-load

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# rss_kib PID: the process's resident set in KiB (0 when gone).
rss_kib() { awk '/^VmRSS:/ {print $2; f=1} END {if (!f) print 0}' "/proc/$1/status" 2>/dev/null || echo 0; }

# start_server NAME: a fresh server for scenario NAME; sets SERVER_PID,
# ADDR, SERVER_CMD and starts the RSS sampler (max into $WORK/NAME.rss).
start_server() {
	local name=$1 port tries=0
	port=$(free_port)
	ADDR=127.0.0.1:$port
	mkdir -p "$WORK/$name-data"
	# A generated 10,000-room world with new characters spread over it: ten
	# thousand players in the 42-room starter world would stand hundreds to a
	# room, and every arrival and every say would go to all of them.
	# --memory-limit: a soft limit for the Go runtime; the GC works harder as
	# the heap nears it (idle players cost little GC work).
	SERVER_CMD="bin/troupe --insecure-fast-hash --dns=false --log-level warn --grid-world 10000 --start-spread --memory-limit 360MiB --telnet $ADDR --data $WORK/$name-data"
	# shellcheck disable=SC2086
	$SERVER_CMD 2>"$WORK/$name-server.log" &
	SERVER_PID=$!
	until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2).close()" 2>/dev/null; do
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/$name-server.log" >&2; die "the server for $name did not start"; }
		tries=$((tries + 1))
		[ "$tries" -lt 100 ] || die "the server for $name is not listening on $ADDR"
		sleep 0.1
	done
	sleep 0.5 # let the world finish starting before measuring its base RSS
	echo "$(rss_kib "$SERVER_PID")" >"$WORK/$name.rss0"
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
	while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
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

# load NAME ARGS...: runs troupe-load against $ADDR with --json; the exit
# status (1 = errors or disconnects) is recorded, not fatal.
load() {
	local name=$1
	shift
	local cmd="bin/troupe-load --addr $ADDR $* --json $WORK/$name.json"
	echo "$cmd" >"$WORK/$name.cmd"
	echo "bench: $cmd"
	local rc=0
	# shellcheck disable=SC2086
	$cmd >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
	echo "$rc" >"$WORK/$name.rc"
	tail -n 12 "$WORK/$name.out" | sed 's/^/    /'
}

# field NAME EXPR: a value from NAME's JSON report (python expression on r).
field() {
	python3 - "$WORK/$1.json" "$2" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("n/a"); sys.exit(0)
v = eval(sys.argv[2], {}, {"r": r})
print(("%.2f" % v) if isinstance(v, float) else v)
EOF
}

mib() { python3 -c "print('%.1f' % ($1 / 1024.0))"; }
rss_of() { cat "$WORK/$1.rss" 2>/dev/null || echo 0; }
verdict() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**short**"; fi; }

START=$(date -u +"%Y-%m-%d %H:%M:%S UTC")
T0=$(date +%s)

# (a) the normal population.
echo "bench: (a) $A_PLAYERS players at 1 command/s, normal profile"
start_server a
load a --players "$A_PLAYERS" --rate 1 --ramp "$A_RAMP" --duration "$A_DUR" --profile normal --seed 1
A_SRV=$SERVER_CMD
stop_server a

# (b) saturation steps.
B_BEST_RATE="" B_BEST_CPS="" B_STEPS=""
for rate in $B_RATES; do
	name=b$rate
	echo "bench: (b) $B_PLAYERS players at $rate commands/s each"
	start_server "$name"
	load "$name" --players "$B_PLAYERS" --rate "$rate" --ramp "$B_RAMP" --duration "$B_DUR" --profile normal --seed 2
	stop_server "$name"
	B_STEPS="$B_STEPS $rate"
	p99=$(field "$name" 'r["latency_ms"]["p99"]')
	errs=$(field "$name" 'r["errors"] + r["disconnects"]')
	ok=$(python3 -c "print(1 if '$p99' != 'n/a' and float('$p99') <= 100 and '$errs' == '0' else 0)")
	if [ "$ok" = 1 ]; then
		B_BEST_RATE=$rate
		B_BEST_CPS=$(field "$name" 'r["commands_per_sec"]')
	else
		break # p99 passed 100 ms (or errors): the next step would only be worse
	fi
done
B_SRV=$SERVER_CMD

# (c) logged-in idle players.
echo "bench: (c) $C_PLAYERS connected idle players"
start_server c
load c --players "$C_PLAYERS" --ramp "$C_RAMP" --duration "$C_DUR" --connect-only --seed 3 --timeout 30s
C_SRV=$SERVER_CMD
stop_server c

# (d) idle sockets at the login prompt (no telnet answers, no login).
echo "bench: (d) $D_SOCKETS idle sockets"
start_server d
D_CMD="python3 (inline) opens $D_SOCKETS sockets to \$ADDR, holds them ${D_HOLD} s"
python3 - "$ADDR" "$D_SOCKETS" "$D_HOLD" >"$WORK/d.out" 2>&1 <<'EOF' || true
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
n, hold = int(sys.argv[2]), float(sys.argv[3])
socks, failed = [], 0
for i in range(n):
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
D_RESULT=$(cat "$WORK/d.out")
D_SRV=$SERVER_CMD
stop_server d

T1=$(date +%s)

# ---- BENCHMARKS.md ----
A_P99=$(field a 'r["latency_ms"]["p99"]')
A_P999=$(field a 'r["latency_ms"]["p999"]')
A_ERR=$(field a 'r["errors"]')
A_DISC=$(field a 'r["disconnects"]')
A_OK99=$(python3 -c "print(1 if '$A_P99' != 'n/a' and float('$A_P99') <= 15 else 0)")
A_OK999=$(python3 -c "print(1 if '$A_P999' != 'n/a' and float('$A_P999') <= 50 else 0)")
A_OKERR=$([ "$A_ERR" = 0 ] && [ "$A_DISC" = 0 ] && echo 1 || echo 0)
A_OKCONN=$([ "$(field a 'r["peak_connected"]')" = "$A_PLAYERS" ] && echo 1 || echo 0)
C_RSS=$(rss_of c)
C_OK=$(python3 -c "print(1 if $C_RSS > 0 and $C_RSS / 1024.0 <= 400 else 0)")
C_CONN=$(field c 'r["peak_connected"]')
C_OKCONN=$([ "$C_CONN" = "$C_PLAYERS" ] && echo 1 || echo 0)
D_RSS=$(rss_of d)

row() { # name: one table row from a report
	local n=$1
	echo "| $2 | $(field "$n" 'r["players"]') | $(field "$n" 'r["rate"]') | $(field "$n" 'r["peak_connected"]') | $(field "$n" 'r["commands"]') | $(field "$n" 'r["commands_per_sec"]') | $(field "$n" 'r["latency_ms"]["p50"]') | $(field "$n" 'r["latency_ms"]["p90"]') | $(field "$n" 'r["latency_ms"]["p99"]') | $(field "$n" 'r["latency_ms"]["p999"]') | $(field "$n" 'r["latency_ms"]["max"]') | $(field "$n" 'r["errors"]') | $(field "$n" 'r["disconnects"]') | $(field "$n" 'r["unknown"]') | $(field "$n" 'r["ambiguous"]') | $(field "$n" 'r["async_output"]') | $(field "$n" 'r["login_ms"]["p50"]') / $(field "$n" 'r["login_ms"]["p99"]') | $(mib "$(rss_of "$n")") | $(cat "$WORK/$n.shutdown" 2>/dev/null) |"
}
HEAD="| run | players | cmd/s each | peak in game | commands | commands/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | disconnects | unknown | ambiguous | unsolicited bursts | login p50 / p99 ms | server max RSS MiB | shutdown |"
SEP="|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

{
	echo "# troupe benchmarks"
	echo
	echo "Written by \`scripts/bench.sh\` (\`make bench\`; \`BENCH_QUICK=1 make bench\` for the 1/10-scale run). Do not edit by hand."
	echo
	echo "- Scale: **$SCALE**"
	echo "- Date: $START (the whole run took $((T1 - T0)) s)"
	echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory, Linux $(uname -r)"
	echo "- Go: $($GO version | cut -d' ' -f3-)"
	echo "- Open-file limit (both processes): $NOFILE"
	echo
	echo "**The load tester and the server share this machine's $(nproc) CPUs**: every figure below"
	echo "includes the cost of simulating the players (telnet decoding, one actor per player) on the"
	echo "same cores, so the server alone would do better. Latency is measured by the client: from"
	echo "writing a command to reading the prompt after the burst that holds the command's answer"
	echo "(a marker per command kind, see actors/sim/answer.go); other players' output arriving first is"
	echo "counted as unsolicited bursts. Latency percentiles are the steady state, after every player"
	echo "was in the game plus 2 s (the JSON's latency_all_ms includes the ramp; commands/s counts the whole run)."
	echo "The world is a generated grid of 10,000 rooms (--grid-world) and new characters start in a"
	echo "random room (--start-spread), as players of a big game spread over its world: in the 42-room"
	echo "starter world ten thousand players would stand hundreds to a room."
	echo "Chat, shout and who are each capped at 2 per second for the whole run (troupe-load"
	echo "--global-rate): every chat line goes to every player, so each costs ten thousand writes."
	echo
	echo "Every server: \`bin/troupe --insecure-fast-hash --dns=false --log-level warn --grid-world 10000 --start-spread --memory-limit 360MiB --telnet 127.0.0.1:<free port> --data <fresh tmpdir>\`,"
	echo "RSS = max of /proc/<pid>/status VmRSS sampled every 0.5 s."
	echo
	echo "## Summary against the targets"
	echo
	echo "| scenario | target | measured | verdict |"
	echo "|---|---|---|---|"
	echo "| (a) $A_PLAYERS players, 1 cmd/s, normal | p99 ≤ 15 ms | $A_P99 ms | $(verdict "$A_OK99") |"
	echo "| (a) | p99.9 ≤ 50 ms | $A_P999 ms | $(verdict "$A_OK999") |"
	echo "| (a) | no errors, no disconnects | $A_ERR errors, $A_DISC disconnects | $(verdict "$A_OKERR") |"
	echo "| (a) | all $A_PLAYERS in the game | peak $(field a 'r["peak_connected"]') | $(verdict "$A_OKCONN") |"
	if [ -n "$B_BEST_RATE" ]; then
		echo "| (b) saturation, $B_PLAYERS players | highest commands/s with p99 ≤ 100 ms | **$B_BEST_CPS cmd/s** (at $B_BEST_RATE cmd/s each; steps run:$B_STEPS) | reported |"
	else
		echo "| (b) saturation, $B_PLAYERS players | highest commands/s with p99 ≤ 100 ms | none: the first step already passed 100 ms or had errors | **short** |"
	fi
	echo "| (c) $C_PLAYERS idle players (logged in)$C_NOTE | RSS ≤ 400 MiB | $(mib "$C_RSS") MiB, peak $C_CONN in the game | $(verdict "$C_OK")$([ "$C_OKCONN" = 1 ] || echo ' (not all players got in)') |"
	echo "| (d) $D_SOCKETS idle sockets (login prompt) | RSS (no target) | $(mib "$D_RSS") MiB | reported |"
	if [ "$QUICK" = 1 ]; then
		echo
		echo "_Quick run: the targets are for the full-scale run; verdicts here are at 1/10 of the players._"
	fi
	echo
	echo "## Runs"
	echo
	echo "$HEAD"
	echo "$SEP"
	row a "(a) normal"
	for rate in $B_STEPS; do row "b$rate" "(b) step $rate/s"; done
	row c "(c) connect-only"
	echo
	echo "Server base RSS right after start (no connections): $(mib "$(cat "$WORK/a.rss0")") MiB."
	echo "(d) $D_RESULT; server max RSS $(mib "$D_RSS") MiB (base $(mib "$(cat "$WORK/d.rss0")") MiB),"
	echo "about $(python3 -c "print('%.1f' % (max($D_RSS - $(cat "$WORK/d.rss0"), 0) / float($D_SOCKETS)))") KiB per socket; shutdown $(cat "$WORK/d.shutdown")."
	echo
	echo "## Commands"
	echo
	echo '```sh'
	echo "# (a)"
	echo "$A_SRV"
	cat "$WORK/a.cmd"
	echo "# (b), one fresh server per step"
	for rate in $B_STEPS; do cat "$WORK/b$rate.cmd"; done
	echo "# (c)"
	cat "$WORK/c.cmd"
	echo "# (d)"
	echo "$D_CMD"
	echo '```'
	echo
	echo "troupe-load exit status per run (0 = no errors and no unexpected disconnects):"
	echo "a=$(cat "$WORK/a.rc")$(for rate in $B_STEPS; do printf ', b%s=%s' "$rate" "$(cat "$WORK/b$rate.rc")"; done), c=$(cat "$WORK/c.rc")."
	for n in a $(for rate in $B_STEPS; do printf 'b%s ' "$rate"; done) c d; do
		if [ -s "$WORK/$n-server.log" ]; then
			echo
			echo "Server log of $n (warnings and errors, first 10 lines):"
			echo
			echo '```'
			sed 's/\x1b\[[0-9;]*m//g' "$WORK/$n-server.log" | { grep -v 'insecure-fast-hash\|INSECURE fast' || true; } | head -n 10 | cut -c1-300 || true
			echo '```'
		fi
	done
} >"$OUT"

# The in-process figures of the other issues: Go benchmarks of the world,
# the foundation (scripts/gobench.sh), the store and the telnet layer.
if [ "${BENCH_GO:-1}" = 1 ]; then
	echo "bench: Go benchmarks (scripts/gobench.sh, store, telnet)"
	{
		echo
		bash scripts/gobench.sh 2>/dev/null
		echo
		echo "## Store and telnet benchmarks"
		echo
		echo '```'
		echo "\$ go test ./actors/store -run '^\$' -bench DurableSaves -benchtime 1s"
		$GO test ./actors/store -run '^$' -bench DurableSaves -benchtime 1s 2>&1 | grep -E '^Benchmark|^ok' || true
		echo "\$ go test ./net/telnet -run '^\$' -bench 'Decode|MCCP2\$|MCCP2Session|ProtocolMCCP2Memory|MCCP2ConnMemory|WriteText' -benchtime 1s -benchmem"
		$GO test ./net/telnet -run '^$' -bench 'Decode|MCCP2$|MCCP2Session|ProtocolMCCP2Memory|MCCP2ConnMemory|WriteText' -benchtime 1s -benchmem 2>&1 | grep -E '^Benchmark|^ok' || true
		echo '```'
		echo
		echo "## Commands while 100 players log in at once (real bcrypt, scripts/loginburst.sh)"
		echo
		bash scripts/loginburst.sh 2>/dev/null || echo "(loginburst failed)"
		echo
		bash scripts/portalbench.sh 2>/dev/null || echo "(portalbench failed)"
		[ -f scripts/bench-history.md ] && cat scripts/bench-history.md
	} >>"$OUT"
fi

echo "bench: wrote $OUT"
