#!/usr/bin/env bash
# scripts/loginburst.sh — the accounts issue's figure: the p99 command latency
# of playing characters while 100 players log in at once, with real bcrypt
# (cost 12) on the auth actor's bounded workers. Prints one summary line.
#
# A: 100 players play (normal profile, 2 cmd/s each) for 100 s; once all are
# in, B: 100 new players connect at once (each creates an account: a bcrypt
# hash) and idle. A's steady-state latency covers B's whole login burst.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
$GO build -o bin/troupe ./cmd/troupe
$GO build -o bin/troupe-load ./cmd/troupe-load
WORK=$(mktemp -d "${TMPDIR:-/tmp}/troupe-burst.XXXXXX")
trap 'kill $SRV 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
bin/troupe --dns=false --log-level warn --grid-world 10000 --start-spread --telnet 127.0.0.1:$PORT --data "$WORK/data" 2>"$WORK/server.log" &
SRV=$!
sleep 2
bin/troupe-load --addr 127.0.0.1:$PORT --players 100 --rate 2 --ramp 20 --duration 100s --seed 11 --timeout 60s --json "$WORK/a.json" >"$WORK/a.log" 2>&1 &
A=$!
# Wait until A's players are all in (each login hashes a password: ~0.3 s each).
for _ in $(seq 1 120); do
	grep -q "players 100/100 in game" "$WORK/a.log" 2>/dev/null && break
	sleep 1
done
sleep 5
T0=$(date +%s)
bin/troupe-load --addr 127.0.0.1:$PORT --players 100 --connect-only --ramp 1000 --duration 60s --seed 12 --timeout 60s --json "$WORK/b.json" >"$WORK/b.log" 2>&1 || true
wait $A || true
python3 - "$WORK/a.json" "$WORK/b.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
l = a["latency_ms"]; lb = b["login_ms"]
print(f"login burst: 100 players playing at 2 cmd/s: p50 {l['p50']:.2f} ms, p99 {l['p99']:.2f} ms, "
      f"p99.9 {l['p999']:.2f} ms, max {l['max']:.2f} ms over {a['steady_s']:.0f} s of steady state; "
      f"errors {a['errors']}; meanwhile 100 new players logged in at once (bcrypt cost 12), "
      f"login p50 {lb['p50']:.0f} ms, p99 {lb['p99']:.0f} ms, {b['connected']} in")
PY
