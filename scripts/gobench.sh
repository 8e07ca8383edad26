#!/usr/bin/env bash
# scripts/gobench.sh — troupe's in-process Go benchmarks for the figures the
# issues ask for, with a one-line summary per figure (for BENCHMARKS.md).
#
# It compiles the test binaries of actors/room and actors/server once, then
# runs each benchmark with a fixed iteration count (-benchtime Nx), so the
# whole run is bounded (about a minute on 2 cores):
#
#   world start-up  BenchmarkWorldStartup (10,000 rooms, 10 starts),
#                   BenchmarkGenerateGrid, BenchmarkLoadGridYAML,
#                   BenchmarkServerStartGrid (whole server, 5 starts)
#   say fan-out     BenchmarkSayFanout (room + 40 listener actors),
#                   BenchmarkSayOverTCP (101 players over TCP)
#   memory          BenchmarkMemoryPerRoom, BenchmarkMemoryPerMobile,
#                   BenchmarkIdleConnMemory (2,000 sockets) — 1x each: later
#                   iterations reuse partly filled spans and read low
#   foundation      BenchmarkAccept (5,000 connections), BenchmarkRoundTrip
#
# GOBENCH_KEEP=1 keeps the work directory with the raw `go test` output;
# otherwise the raw output is printed before the summary. GO overrides the
# go command.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/troupe-gobench.XXXXXX")
if [ "${GOBENCH_KEEP:-0}" != 1 ]; then
	trap 'rm -rf "$WORK"' EXIT
fi
# 2,000 in-process sockets are 4,000 descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

start=$(date +%s)
"$GO" test -c -o "$WORK/room.test" ./actors/room
"$GO" test -c -o "$WORK/server.test" ./actors/server

RAW=$WORK/raw.txt
: >"$RAW"
# run BINARY BENCHMARK BENCHTIME: one benchmark, its output appended to RAW.
run() {
	echo "== $2 ($3)" >&2
	"$WORK/$1.test" -test.run '^$' -test.bench "^Benchmark$2\$" -test.benchtime "$3" \
		-test.count 1 -test.timeout 300s | tee -a "$RAW" | grep '^Benchmark' >&2 || {
		cat "$RAW" >&2
		echo "gobench: $2 failed (its output is above)" >&2
		exit 1
	}
}

run room WorldStartup 10x
run room GenerateGrid 5x
run room LoadGridYAML 3x
run server ServerStartGrid 5x
run room SayFanout 100000x
run room MemoryPerRoom 1x
run room MemoryPerMobile 1x
run server Accept 5000x
run server RoundTrip 50000x
run server IdleConnMemory 1x
run server SayOverTCP 3000x

# m BENCHMARK UNIT: the value reported with UNIT on BENCHMARK's line.
m() {
	awk -v b="Benchmark$1" -v u="$2" '
		$1 == b || index($1, b "-") == 1 {
			for (i = 3; i <= NF; i++) if ($i == u) { print $(i - 1); exit }
		}' "$RAW"
}
# r VALUE: rounded to an integer; r1 to one decimal.
r() { printf '%.0f' "${1:-0}"; }
r1() { printf '%.1f' "${1:-0}"; }

took=$(($(date +%s) - start))
if [ "${GOBENCH_KEEP:-0}" = 1 ]; then
	echo "raw output: $RAW" >&2
else
	echo >&2
	cat "$RAW" >&2
fi
cat <<EOF

## Go benchmarks (scripts/gobench.sh, $($GO env GOVERSION), $(nproc) CPUs, ${took} s)

- World start-up, 10,000 rooms (target ≤ 1000 ms): all started and loaded $(r1 "$(m WorldStartup ready-ms)") ms (worst of 10 $(r1 "$(m WorldStartup max-ready-ms)") ms; all spawned $(r1 "$(m WorldStartup spawned-ms)") ms); GenerateGrid $(r1 "$(m GenerateGrid ms)") ms; LoadDir of the YAML form $(r1 "$(m LoadGridYAML ms)") ms; whole server.Start until the last room answers $(r1 "$(m ServerStartGrid ready-ms)") ms
- Say to 40 occupants, in-process, until the 40th has its Show (target p99 ≤ 5000 µs): p50 $(r1 "$(m SayFanout p50-µs)") µs, p99 $(r1 "$(m SayFanout p99-µs)") µs, max $(r1 "$(m SayFanout max-µs)") µs
- Say to 100 players over TCP, until the 100th has read it (101 clients in the same process): p50 $(r "$(m SayOverTCP heard-p50-µs)") µs, p99 $(r "$(m SayOverTCP heard-p99-µs)") µs, max $(r "$(m SayOverTCP heard-max-µs)") µs (logins $(r1 "$(m SayOverTCP login-s)") s)
- Memory per idle room (10,000): $(r "$(m MemoryPerRoom bytes/room)") B heap in use ($(r "$(m MemoryPerRoom live-bytes/room)") B live)
- Memory per idle mobile (10,000, wander timer on): $(r "$(m MemoryPerMobile bytes/mobile)") B heap in use ($(r "$(m MemoryPerMobile live-bytes/mobile)") B live)
- Accepted connections (8 dialers, read the first prompt, hang up): $(r "$(m Accept conns/s)") conns/s (dial to prompt p50 $(r "$(m Accept conn-p50-µs)") µs, p99 $(r "$(m Accept conn-p99-µs)") µs)
- Line in → prompt out, idle server: p50 $(r1 "$(m RoundTrip rtt-p50-µs)") µs, p99 $(r1 "$(m RoundTrip rtt-p99-µs)") µs, max $(r "$(m RoundTrip rtt-max-µs)") µs
- Memory per idle socket at the first prompt (2,000): server-only estimate $(r "$(m IdleConnMemory server-B/conn)") B (server+client heap $(r "$(m IdleConnMemory heap-B/conn)") B + stack $(r "$(m IdleConnMemory stack-B/conn)") B, minus bare socket pair heap $(r "$(m IdleConnMemory bare-heap-B/conn)") B + stack $(r "$(m IdleConnMemory bare-stack-B/conn)") B)
EOF
