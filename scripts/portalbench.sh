#!/usr/bin/env bash
# scripts/portalbench.sh — two figures of the portal/game split, printed as
# the "## Portal and game (scripts/portalbench.sh)" section of BENCHMARKS.md
# on stdout (progress goes to stderr):
#
#  1. Re-attach time with 1,000 players: game + portal, 1,000 connect-only
#     players (troupe-load), then PB_KILLS times: SIGKILL the game, wait for
#     the portal's "the game is down" line, start the game again (same data
#     directory and flags) and time, with our own clock (a poller reading the
#     logs every 10 ms), game process start → the game's "the game is up" →
#     the portal's "the game is up: attaching every link" → the portal's
#     "every session attached" with sessions=1000; the portal's own "took"
#     (first answer → all attached) is read from that line.
#  2. Added latency per command of the two-process mode: troupe-load
#     --players 200 --rate 1 --profile normal against one process and
#     against portal+game, alternating, PB_RUNS runs each, fresh data
#     directories; then one run each with --players 1 --rate 20 (idle server).
#     Server CPU (utime+stime of the server, or game + portal, over the
#     run) and troupe-load's CPU (getrusage of the child) are reported per
#     command answered.
#
# scripts/bench.sh (`make bench`) runs it with PB_OUT in its work directory
# and PB_QUICK=$BENCH_QUICK, puts the section into BENCHMARKS.md and reads
# rows (e) and (f) of the summary from $PB_OUT/fig1.txt ("median-ms
# took-ms good/kills") and $PB_OUT/fig2.json (added p50/p90/p99 ms, idle,
# runs, players, server and load µs per command by mode).
#
# Usage: bash scripts/portalbench.sh            (about 9 minutes)
#        PB_QUICK=1 bash scripts/portalbench.sh (smoke run, about 2 minutes)
# Knobs: PB_OUT (work directory, default a fresh /tmp/portalbench.XXXXXX,
# kept: logs, JSON reports, events), PB_WORLD (server world flags, default
# "--grid-world 10000 --start-spread" as in scripts/bench.sh), PB_KILLS (3),
# PB_RUNS (3), PB_PLAYERS_RA (1000), PB_PLAYERS_LAT (200), PB_DUR_LAT (30s),
# PB_DUR_RA (120s).
#
# Every process it starts is written to $PB_OUT/pids and killed on exit;
# every wait has a deadline; troupe-load runs under timeout(1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
GO=${GO:-go}
QUICK=${PB_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	: "${PB_PLAYERS_RA:=200}" "${PB_PLAYERS_LAT:=50}" "${PB_DUR_LAT:=10s}" "${PB_DUR_RA:=40s}" "${PB_RUNS:=1}" "${PB_KILLS:=2}"
fi
PLAYERS_RA=${PB_PLAYERS_RA:-1000}
PLAYERS_LAT=${PB_PLAYERS_LAT:-200}
DUR_LAT=${PB_DUR_LAT:-30s}
DUR_RA=${PB_DUR_RA:-120s}
RUNS=${PB_RUNS:-3}
KILLS=${PB_KILLS:-3}
WORLD=${PB_WORLD:---grid-world 10000 --start-spread}
OUT=${PB_OUT:-$(mktemp -d /tmp/portalbench.XXXXXX)}
mkdir -p "$OUT"
BIN=$OUT/bin
PIDFILE=$OUT/pids
: >"$PIDFILE"

say() { echo "portalbench: $*" >&2; }
die() { say "$*"; exit 1; }
command -v python3 >/dev/null || die "python3 is needed (free ports, log poller, JSON reports)"

cleanup() {
	local p
	while read -r p; do
		if [ -n "$p" ]; then kill -9 "$p" 2>/dev/null || true; fi
	done <"$PIDFILE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

say "building into $BIN"
mkdir -p "$BIN"
timeout 300 "$GO" build -o "$BIN/troupe" ./cmd/troupe
timeout 300 "$GO" build -o "$BIN/troupe-load" ./cmd/troupe-load

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
track() { echo "$1" >>"$PIDFILE"; }

# waitport PORT SECONDS: poll until something listens on 127.0.0.1:PORT.
waitport() {
	python3 - "$1" "$2" <<'EOF'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
EOF
}

# waitline FILE TEXT SECONDS [OFFSET]: poll FILE (from byte OFFSET) for TEXT.
waitline() {
	python3 - "$@" <<'EOF'
import os, sys, time
path, text, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
off = int(sys.argv[4]) if len(sys.argv) > 4 else 0
end = time.time() + limit
while time.time() < end:
    try:
        with open(path, "rb") as f:
            f.seek(off)
            if text.encode() in f.read():
                sys.exit(0)
    except FileNotFoundError:
        pass
    time.sleep(0.02)
sys.exit(1)
EOF
}

# stop PID: SIGTERM, SIGKILL after 15 s; reaps the child.
stop() {
	local p=$1
	kill -TERM "$p" 2>/dev/null || return 0
	(sleep 15; kill -9 "$p" 2>/dev/null) &
	local w=$!
	wait "$p" 2>/dev/null || true
	kill "$w" 2>/dev/null || true
	wait "$w" 2>/dev/null || true
}

# cpu PID: user+system CPU seconds of a live process.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The poller of figure 1: records, by this machine's clock (time.time()),
# when each line first appears; polls every 10 ms.
cat >"$OUT/poll.py" <<'EOF'
import json, sys, time
portal, poff, game, out, want, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
ev = {}
bufs = {"portal": b"", "game": b""}
offs = {"portal": poff, "game": 0}
paths = {"portal": portal, "game": game}
end = time.time() + limit
def scan(name):
    try:
        with open(paths[name], "rb") as f:
            f.seek(offs[name]); data = f.read()
    except FileNotFoundError:
        return []
    offs[name] += len(data)
    bufs[name] += data
    *lines, bufs[name] = bufs[name].split(b"\n")
    return lines
while time.time() < end and "all" not in ev:
    for name in ("game", "portal"):
        for raw in scan(name):
            now = time.time()
            try:
                m = json.loads(raw)
            except ValueError:
                continue
            msg = m.get("message", "")
            if name == "game" and msg == "the game is up" and "game_up" not in ev:
                ev["game_up"] = now
            elif name == "portal" and msg.startswith("the game is up: attaching") and "portal_up" not in ev:
                ev["portal_up"] = now; ev["links"] = m.get("links")
            elif name == "portal" and msg == "every session attached":
                ev["sessions"] = m.get("sessions"); ev["took_ms"] = m.get("took")
                if m.get("sessions") == want:
                    ev["all"] = now
            elif name == "portal" and msg.startswith("the game is down"):
                ev.setdefault("downs", []).append(m.get("reason"))
    time.sleep(0.01)
json.dump(ev, open(out, "w"))
sys.exit(0 if "all" in ev else 1)
EOF

# ---------------------------------------------------------------- figure 1
say "figure 1: re-attach with $PLAYERS_RA players, $KILLS kills"
RA=$OUT/reattach
mkdir -p "$RA"
TP=$(freeport) GP=$(freeport) PP=$(freeport)
GAME_CMD="$BIN/troupe game --remote 127.0.0.1:$GP --data $RA/data --insecure-fast-hash --dns=false --log-format json $WORLD"
PORTAL_CMD="$BIN/troupe portal --telnet 127.0.0.1:$TP --remote 127.0.0.1:$PP --game 127.0.0.1:$GP --log-format json"
LOAD_RA_CMD="$BIN/troupe-load --addr 127.0.0.1:$TP --players $PLAYERS_RA --connect-only --duration $DUR_RA --ramp 200 --seed 21 --timeout 30s --json $RA/load.json"
$GAME_CMD >"$RA/game-0.log" 2>&1 &
GAME=$!; track $GAME
waitline "$RA/game-0.log" '"game serving portals"' 30 || die "the game did not start (see $RA/game-0.log)"
$PORTAL_CMD >"$RA/portal.log" 2>&1 &
PORTAL=$!; track $PORTAL
waitport "$TP" 20 || die "the portal did not listen (see $RA/portal.log)"
waitline "$RA/portal.log" 'the game is up: attaching' 20 || die "the portal did not reach the game"
DUR_RA_S=${DUR_RA%s}
# shellcheck disable=SC2086 # a command line, split on purpose
timeout $((DUR_RA_S + 90)) $LOAD_RA_CMD >"$RA/load.log" 2>&1 &
LOAD=$!; track $LOAD
waitline "$RA/load.log" "players $PLAYERS_RA/$PLAYERS_RA in game" 120 || die "not every player got in (see $RA/load.log)"
sleep 3
for k in $(seq 1 "$KILLS"); do
	kill -0 $LOAD 2>/dev/null || die "troupe-load ended before kill $k"
	OFF=$(stat -c %s "$RA/portal.log")
	TK=$(date +%s.%N)
	kill -9 $GAME
	wait $GAME 2>/dev/null || true
	waitline "$RA/portal.log" 'the game is down' 10 "$OFF" || say "kill $k: no 'the game is down' line within 10 s"
	TD=$(date +%s.%N)
	python3 "$OUT/poll.py" "$RA/portal.log" "$OFF" "$RA/game-$k.log" "$RA/kill-$k.json" "$PLAYERS_RA" 120 &
	POLL=$!; track $POLL
	sleep 0.1 # the poller is reading
	T0=$(date +%s.%N)
	$GAME_CMD >"$RA/game-$k.log" 2>&1 &
	GAME=$!; track $GAME
	if wait $POLL; then ok=1; else ok=0; fi
	python3 - "$RA/kill-$k.json" "$TK" "$TD" "$T0" "$ok" <<'EOF'
import json, sys
p = sys.argv[1]; ev = json.load(open(p))
ev["kill"], ev["down_seen"], ev["start"], ev["ok"] = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1"
json.dump(ev, open(p, "w"))
EOF
	say "kill $k: $(cat "$RA/kill-$k.json")"
	sleep 5
	tail -n 1 "$RA/load.log" | sed 's/^/portalbench:   load: /' >&2
done
say "waiting for troupe-load to finish ($DUR_RA)"
if wait $LOAD; then LOAD_RC=0; else LOAD_RC=$?; fi
echo "$LOAD_RC" >"$RA/load.rc"
stop $PORTAL
stop $GAME

# ---------------------------------------------------------------- figure 2
# run NAME MODE PLAYERS RATE: one fresh server (MODE one|two) and one load run.
run() {
	local name=$1 mode=$2 players=$3 rate=$4 d=$OUT/$1
	mkdir -p "$d"
	local tp gp pp srv="" game="" portal=""
	tp=$(freeport)
	if [ "$mode" = one ]; then
		echo "$BIN/troupe --telnet 127.0.0.1:$tp --data $d/data --insecure-fast-hash --dns=false --log-format json $WORLD" >"$d/server.cmd"
		# shellcheck disable=SC2091,SC2046 # the file holds the command line
		$(cat "$d/server.cmd") >"$d/server.log" 2>&1 &
		srv=$!; track $srv
		waitport "$tp" 30 || die "$name: the server did not listen"
	else
		gp=$(freeport) pp=$(freeport)
		echo "$BIN/troupe game --remote 127.0.0.1:$gp --data $d/data --insecure-fast-hash --dns=false --log-format json $WORLD" >"$d/server.cmd"
		echo "$BIN/troupe portal --telnet 127.0.0.1:$tp --remote 127.0.0.1:$pp --game 127.0.0.1:$gp --log-format json" >>"$d/server.cmd"
		# shellcheck disable=SC2091,SC2046 # the file holds the command line
		$(sed -n 1p "$d/server.cmd") >"$d/game.log" 2>&1 &
		game=$!; track $game
		waitline "$d/game.log" '"game serving portals"' 30 || die "$name: the game did not start"
		# shellcheck disable=SC2091,SC2046 # the file holds the command line
		$(sed -n 2p "$d/server.cmd") >"$d/portal.log" 2>&1 &
		portal=$!; track $portal
		waitport "$tp" 30 || die "$name: the portal did not listen"
		waitline "$d/portal.log" 'the game is up: attaching' 20 || die "$name: the portal did not reach the game"
	fi
	sleep 1
	echo "$BIN/troupe-load --addr 127.0.0.1:$tp --players $players --rate $rate --duration $DUR_LAT --ramp 200 --profile normal --seed 31 --json $d/load.json" >"$d/load.cmd"
	local rc=0
	# The python parent reaps timeout(1), which reaps troupe-load: its
	# RUSAGE_CHILDREN is troupe-load's CPU (written to $d/loadcpu).
	# shellcheck disable=SC2046
	python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f" % (r.ru_utime + r.ru_stime))
sys.exit(rc)' "$d/loadcpu" timeout $((${DUR_LAT%s} + 60)) $(cat "$d/load.cmd") >"$d/load.log" 2>&1 || rc=$?
	echo $rc >"$d/load.rc"
	if [ "$mode" = one ]; then
		cpu $srv >"$d/cpu"
		stop $srv
	else
		echo "$(cpu $game) $(cpu $portal)" >"$d/cpu"
		stop $portal
		stop $game
	fi
	say "$name: rc=$rc $(python3 -c "import json,sys; r=json.load(open('$d/load.json')); l=r['latency_ms']; print('p50 %.2f p90 %.2f p99 %.2f ms, errors %d, disconnects %d' % (l['p50'], l['p90'], l['p99'], r['errors'], r['disconnects']))" 2>/dev/null || echo 'no report')"
}

say "figure 2: $PLAYERS_LAT players at 1 cmd/s, $RUNS runs per mode, alternating"
for i in $(seq 1 "$RUNS"); do
	run "lat-one-$i" one "$PLAYERS_LAT" 1
	run "lat-two-$i" two "$PLAYERS_LAT" 1
done
say "figure 2: 1 player at 20 cmd/s"
run "idle-one" one 1 20
run "idle-two" two 1 20

# ---------------------------------------------------------------- summary
python3 - "$OUT" "$RUNS" "$KILLS" "$PLAYERS_RA" "$PLAYERS_LAT" "$DUR_LAT" "$GAME_CMD" "$PORTAL_CMD" "$LOAD_RA_CMD" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ] || echo ' (with uncommitted changes)')" "$($GO version | cut -d' ' -f3)" <<'EOF' | tee "$OUT/section.md"
import glob, json, os, re, statistics, sys, time
out, runs, kills, pra, plat, dlat, gcmd, pcmd, lcmd, commit, gover = sys.argv[1:12]
runs, kills = int(runs), int(kills)
med = statistics.median
def rel(s):  # commands as a reader would type them
    return s.replace(out + "/bin/", "bin/").replace(out + "/", "$OUT/")
def lines(path):
    try:
        return open(path, errors="replace").read().splitlines()
    except FileNotFoundError:
        return []
def msgs(path):
    res = []
    for l in lines(path):
        try:
            res.append(json.loads(l))
        except ValueError:
            pass
    return res
EXPECTED_ON_KILL = ("EndpointWriter lost connection", "the game is down: holding every link")
def problems(paths, skip=()):
    """warn/error lines by message (the fast-hash notices and the skipped messages left out)."""
    cnt = {}
    for p in paths:
        for m in msgs(p):
            if m.get("level") not in ("warn", "error"):
                continue
            t = m.get("message", "")
            if "insecure-fast-hash" in t or "INSECURE" in t or t in skip:
                continue
            e = str(m.get("error", ""))
            k = "%s %s%s" % (m.get("level"), t, (" (" + e[:60] + ")") if e else "")
            cnt[k] = cnt.get(k, 0) + 1
    return sum(cnt.values()), cnt
def show(cnt):
    return "; ".join("`%s` ×%d" % kv for kv in sorted(cnt.items(), key=lambda kv: -kv[1])[:6]) or "none"

cpu = open("/proc/cpuinfo").read()
model = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
print("## Portal and game (scripts/portalbench.sh)")
print()
print("- Date: %s; commit %s; %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), commit, gover))
print("- Machine: %d CPUs (`nproc`), %s; the load tester, the portal and the game share them." % (os.cpu_count(), model))
print("- Raw output (logs, JSON reports, poller events): `%s`" % out)
print()

# figure 1
ks = []
for k in range(1, kills + 1):
    try:
        ks.append(json.load(open("%s/reattach/kill-%d.json" % (out, k))))
    except (FileNotFoundError, ValueError):
        ks.append({"ok": False})
good = [e for e in ks if e.get("ok")]
ra = json.load(open(out + "/reattach/load.json")) if os.path.exists(out + "/reattach/load.json") else {}
rc = open(out + "/reattach/load.rc").read().strip() if os.path.exists(out + "/reattach/load.rc") else "?"
plog = msgs(out + "/reattach/portal.log")
downs = [m for m in plog if m.get("message", "").startswith("the game is down")]
print("### 1. Re-attach time, %s logged-in players, game SIGKILLed and started again (%d times in one load run)" % (pra, kills))
print()
print("Clock: this script's (`date +%s.%N` at the game's start, a poller reading the logs every 10 ms, so ±10 ms).")
print("The next start waits for the portal's \"the game is down\" line; \"took\" is the portal's own figure")
print("(first answer of the new game → every session answered).")
print()
print("| kill | kill → portal logs down ms (≤: includes the poller's start) | game start → game \"the game is up\" ms | game start → portal attaching ms | **game start → every session attached ms** | portal's took ms | sessions |")
print("|---|---|---|---|---|---|---|")
def ms(a, b):
    return "%.0f" % ((b - a) * 1000) if a and b else "n/a"
for i, e in enumerate(ks, 1):
    print("| %d | %s | %s | %s | **%s** | %s | %s |" % (i, ms(e.get("kill"), e.get("down_seen")), ms(e.get("start"), e.get("game_up")),
          ms(e.get("start"), e.get("portal_up")), ms(e.get("start"), e.get("all")),
          "%.1f" % e["took_ms"] if isinstance(e.get("took_ms"), (int, float)) else "n/a", e.get("sessions", "n/a")))
if good:
    tot = med([(e["all"] - e["start"]) * 1000 for e in good])
    took = med([e["took_ms"] for e in good])
    print("| **median** | | %.0f | %.0f | **%.0f** | **%.1f** | |" % (med([(e["game_up"] - e["start"]) * 1000 for e in good if "game_up" in e] or [0]),
          med([(e["portal_up"] - e["start"]) * 1000 for e in good if "portal_up" in e] or [0]), tot, took))
    open(out + "/fig1.txt", "w").write("%.0f %.1f %d/%d" % (tot, took, len(good), len(ks)))
print()
print("troupe-load over the whole run (exit status %s): %s in game at the end (peak %s) of %s, errors %s (timeouts %s, login %s), unexpected disconnects %s, unsolicited bursts %s." % (
    rc, ra.get("connected"), ra.get("peak_connected"), ra.get("players"), ra.get("errors"), ra.get("timeouts"), ra.get("login_errors"), ra.get("disconnects"), ra.get("async_output")))
reasons = {}
for m in downs:
    reasons[m.get("reason")] = reasons.get(m.get("reason"), 0) + 1
print("Portal \"the game is down\" lines: %d for %d kills (reasons: %s)." % (len(downs), kills, ", ".join("%s ×%d" % kv for kv in reasons.items()) or "none"))
n, cnt = problems([out + "/reattach/portal.log"], EXPECTED_ON_KILL)
print()
print("- Other warnings/errors in the portal log (its EndpointWriter and \"the game is down\" lines left out): %d (%s)." % (n, show(cnt)))
for g in sorted(glob.glob(out + "/reattach/game-*.log")):
    n, cnt = problems([g])
    print("- Warnings/errors in %s (%s): %d (%s)." % (os.path.basename(g), "first start" if g.endswith("-0.log") else "after a SIGKILL", n, show(cnt)))
print()
print("```sh")
print(rel(gcmd) + "   # started again, same command, after each SIGKILL")
print(rel(pcmd))
print(rel(lcmd))
print("```")
print()

# figure 2
def rep(name):
    try:
        return json.load(open("%s/%s/load.json" % (out, name)))
    except (FileNotFoundError, ValueError):
        return None
print("### 2. Latency per command, one process vs portal + game")
print()
print("Client-measured command → answer latency (steady state, troupe-load's latency_ms); each run a fresh")
print("data directory and fresh processes, one and two alternating. Server CPU = user+system seconds of the")
print("server process (one) or game + portal (two) over the run, from /proc/<pid>/stat; load CPU = troupe-load's")
print("(getrusage); per command = CPU over the whole run ÷ commands answered (logins included).")
print()
print("| run | players × cmd/s | commands | p50 ms | p90 ms | p99 ms | max ms | errors | disconnects | server CPU s | server µs/cmd | load CPU s | load µs/cmd | portal \"game is down\" lines |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
agg = {"one": [], "two": []}
us = {"one": [], "two": [], "load_one": [], "load_two": []}
totdown = 0
for mode in ("one", "two"):
    pass
names = [("lat-%s-%d" % (m, i), m) for i in range(1, runs + 1) for m in ("one", "two")] + [("idle-one", "one"), ("idle-two", "two")]
for name, mode in names:
    r = rep(name)
    c = open("%s/%s/cpu" % (out, name)).read().split() if os.path.exists("%s/%s/cpu" % (out, name)) else []
    cs = "%.1f" % sum(float(x) for x in c) + (" (game %s + portal %s)" % tuple(c) if len(c) == 2 else "") if c else "n/a"
    try:
        lc = float(open("%s/%s/loadcpu" % (out, name)).read())
    except (OSError, ValueError):
        lc = None
    nd = "—"
    if mode == "two":
        nd = len([m for m in msgs("%s/%s/portal.log" % (out, name)) if m.get("message", "").startswith("the game is down")])
        if name.startswith("lat"):
            totdown += nd
    if r is None:
        print("| %s | | no report | | | | | | | %s | | %s | | %s |" % (name, cs, "n/a" if lc is None else "%.1f" % lc, nd)); continue
    l = r["latency_ms"]
    n = r["commands"]
    su = sum(float(x) for x in c) * 1e6 / n if c and n else None
    lu = lc * 1e6 / n if lc is not None and n else None
    f1 = lambda v: "n/a" if v is None else "%.1f" % v
    print("| %s | %d × %g | %d | %.2f | %.2f | %.2f | %.2f | %d | %d | %s | %s | %s | %s | %s |" % (name, r["players"], r["rate"], n, l["p50"], l["p90"], l["p99"], l["max"], r["errors"], r["disconnects"], cs, f1(su), f1(lc), f1(lu), nd))
    if name.startswith("lat"):
        if su is not None:
            us[mode].append(su)
        if lu is not None:
            us["load_" + mode].append(lu)
    if name.startswith("lat"):
        agg[mode].append(l)
print()
summ = {}
if agg["one"] and agg["two"]:
    print("Medians of the %d runs each (%s players × 1 cmd/s, normal profile, %s):" % (runs, plat, dlat))
    print()
    print("| | p50 ms | p90 ms | p99 ms |")
    print("|---|---|---|---|")
    mo = {q: med([l[q] for l in agg["one"]]) for q in ("p50", "p90", "p99")}
    mt = {q: med([l[q] for l in agg["two"]]) for q in ("p50", "p90", "p99")}
    print("| one process | %.2f | %.2f | %.2f |" % (mo["p50"], mo["p90"], mo["p99"]))
    print("| portal + game | %.2f | %.2f | %.2f |" % (mt["p50"], mt["p90"], mt["p99"]))
    print("| **added by the hop** | **%+.2f** | **%+.2f** | **%+.2f** |" % (mt["p50"] - mo["p50"], mt["p90"] - mo["p90"], mt["p99"] - mo["p99"]))
    summ = {q: mt[q] - mo[q] for q in mo}
    summ.update(runs=runs, players=int(plat))
    for k in ("one", "two"):
        if us[k]:
            summ[k + "_us"] = med(us[k])
        if us["load_" + k]:
            summ["load_" + k + "_us"] = med(us["load_" + k])
io, it = rep("idle-one"), rep("idle-two")
if io and it:
    d = it["latency_ms"]["p50"] - io["latency_ms"]["p50"]
    print()
    print("Idle server, 1 player × 20 cmd/s: p50 %.2f ms one process, %.2f ms portal + game: **%+.2f ms per command** (p99 %.2f vs %.2f)." % (
        io["latency_ms"]["p50"], it["latency_ms"]["p50"], d, io["latency_ms"]["p99"], it["latency_ms"]["p99"]))
    summ["idle"] = d
print()
print("Portal \"the game is down\" lines during the steady %s-player runs: %d (any is spurious: the game never stopped)." % (plat, totdown))
print()
print("Warnings/errors in the server logs of these runs (fast-hash notices left out; the portal is stopped first, so a game logs EndpointWriter errors at the end):")
print()
for name, mode in names:
    n, cnt = problems(sorted(glob.glob("%s/%s/*.log" % (out, name))))
    print("- %s: %d (%s)" % (name, n, show(cnt)))
print()
print("```sh")
for name in ("lat-one-1", "lat-two-1", "idle-one", "idle-two"):
    for f in ("server.cmd", "load.cmd"):
        p = "%s/%s/%s" % (out, name, f)
        if os.path.exists(p):
            for l in open(p).read().splitlines():
                print(rel(l))
print("```")
json.dump(summ, open(out + "/fig2.json", "w"))
EOF
say "done: $OUT (section.md, fig1.txt, fig2.json)"
