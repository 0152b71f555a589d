#!/usr/bin/env bash
# The live-update figures of `make bench` (issue 17; tools/bench.sh calls this; it also runs
# alone, after `make build/newsdesk`): a 1,000-post demo database, `newsdesk serve
# --live-per-address 0`, and LIVE_CLIENTS idle server-sent-event streams on /live/ held open
# by tools/bench/live.c (compiled into the temporary directory, libc only, epoll). Measures
# the server's resident memory per open stream, the time from `newsdesk post add` exiting to
# the last stream having the post's event, and wrk's req/s on `/` with no streams against
# with them, in alternating rounds. Prints a Markdown section, "## Live updates", to stdout;
# progress goes to stderr.
#
#   round r: wrk on / with no streams (odd rounds); open the streams (RSS before and after);
#            wrk on / with them open and idle; round 1: LIVE_PUBLISHES publishes, no wrk
#            running; round 2: LIVE_PUBLISHES more while wrk loads /; close the streams; wrk
#            on / with no streams (even rounds).
#
# About 2 minutes on 2 cores.
#
# Environment: LIVE_CLIENTS=10000, LIVE_PUBLISHES=20, LIVE_WRK_SECONDS=5, LIVE_ROUNDS=3 (at
# least 2), TMPDIR, CC.
#
# Only 127.0.0.1 is contacted; only processes this script started are stopped, by PID; the
# temporary directory is removed on exit.
# shellcheck disable=SC2016 # backquotes in strings are Markdown, not expansions
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/../.."
CLIENTS=${LIVE_CLIENTS:-10000}
PUBLISHES=${LIVE_PUBLISHES:-20}
WRK_S=${LIVE_WRK_SECONDS:-5}
ROUNDS=${LIVE_ROUNDS:-3}
POSTS=1000
CONNS=64
DELIVERY_TIMEOUT_MS=5000 # a stream that has not had a publish's event by then missed it
READY_TIMEOUT_S=150      # live.c gives up on its own after 120 s
BATCH_TIMEOUT_S=$((PUBLISHES * (DELIVERY_TIMEOUT_MS / 1000 + 10) + 30))

log() { printf 'live: %s\n' "$*" >&2; }
# running, stop_pid, free_port
. tools/bench/lib.sh
die() {
    printf 'live.sh: %s\n' "$*" >&2
    exit 1
}
for v in CLIENTS PUBLISHES WRK_S ROUNDS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "LIVE_$v must be a positive whole number (got '${!v}')"
done
((ROUNDS >= 2)) || die "LIVE_ROUNDS must be at least 2"
for c in wrk "${CC:-cc}"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found (tools/bootstrap.sh bench)"
done
[[ -x build/newsdesk ]] || die "build build/newsdesk first (make build/newsdesk)"

# One descriptor a stream in each of the server and live.c (two processes), and some to spare.
hard=$(ulimit -Hn)
if [[ $hard == unlimited ]] || ((hard > 1048576)); then ulimit -n 1048576; else ulimit -n "$hard"; fi
(($(ulimit -n) >= CLIENTS + 1000)) ||
    die "$CLIENTS streams need $((CLIENTS + 1000)) file descriptors; the hard limit (ulimit -Hn) is $hard"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-live.XXXXXX")
SERVE_PID=""
LIVE_PID=""
WRK_PID=""
CTL=""

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_pid "$WRK_PID" INT
    stop_pid "$LIVE_PID" TERM
    stop_pid "$SERVE_PID" TERM
    [[ -n $CTL ]] && exec {CTL}>&-
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# the binary measured: a copy, so a rebuild while this runs cannot mix two versions
cp build/newsdesk "$TMP/newsdesk"
ND=$TMP/newsdesk
LIVE=$TMP/live
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$LIVE" tools/bench/live.c || die "could not compile tools/bench/live.c"

CLK_TCK=$(getconf CLK_TCK)
# the server's utime + stime, all threads, in clock ticks
cpu_ticks() {
    local s f
    s=$(<"/proc/$SERVE_PID/stat")
    s=${s##*) }
    read -r -a f <<<"$s"
    echo $((f[11] + f[12]))
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVE_PID/status"; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

# CPU clock ticks the whole machine spent busy (user, nice, system, steal), and those of this
# shell's finished children (wrk, once waited for)
machine_ticks() {
    local u n sy steal
    read -r _ u n sy _ _ _ _ steal _ </proc/stat
    echo $((u + n + sy + steal))
}
# (children_ticks VAR sets VAR: no command substitution, which would be another process)
children_ticks() {
    local st f
    read -r st <"/proc/$BASHPID/stat" # $BASHPID: wrk_rps runs in a command substitution
    st=${st##*) }
    read -r -a f <<<"$st"
    printf -v "$1" '%s' $((f[13] + f[14]))
}

# wrk_rps: req/s on / over WRK_S at CONNS connections (wrk -t2, as tools/bench.sh); appends
# "req/s other-load-%" to $TMP/wrk.tsv, where the load is the share of all CPUs that neither
# the server nor wrk used during the run
wrk_rps() {
    local m0 m1 s0 s1 c0 c1 w0 w1
    m0=$(machine_ticks) s0=$(cpu_ticks) w0=${EPOCHREALTIME/./}
    children_ticks c0
    wrk -t2 -c"$CONNS" -d"${WRK_S}s" --timeout 2s -s tools/bench/report.lua \
        "http://127.0.0.1:$PORT/" >"$TMP/wrk.txt" 2>&1 || {
        cat "$TMP/wrk.txt" >&2
        die "wrk failed"
    }
    children_ticks c1
    m1=$(machine_ticks) s1=$(cpu_ticks) w1=${EPOCHREALTIME/./}
    awk -v other=$((m1 - m0 - (s1 - s0) - (c1 - c0))) -v hz="$CLK_TCK" -v us=$((w1 - w0)) \
        -v ncpu="$(nproc)" '/^BENCHSTAT / {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
        e = s["connect"] + s["read"] + s["write"] + s["timeout"] + s["status"]
        if (e) printf "live: wrk: %d errors\n", e > "/dev/stderr"
        load = other * 1e6 / hz / (us * ncpu) * 100; if (load < 0) load = 0
        printf "%.0f %.0f\n", s["requests"] * 1e6 / s["duration_us"], load }' "$TMP/wrk.txt" |
        tee -a "$TMP/wrk.tsv" | cut -d ' ' -f 1
}

# wait_for PATTERN SECONDS: until live.c's output has a line starting with PATTERN
wait_for() {
    local i
    for ((i = 0; i < $2 * 20; i++)); do
        grep -q "^$1" "$TMP/live.out" && return 0
        running "$LIVE_PID" || {
            grep -q "^$1" "$TMP/live.out" && return 0 # written just before it exited
            tail -n 5 "$TMP/live.err" >&2
            die "tools/bench/live.c stopped before '$1'"
        }
        sleep 0.05
    done
    die "no '$1' from tools/bench/live.c within $2 s"
}

# ---------------------------------------------------------------------------------------------
# The database, the posts to publish, the server

log "a $POSTS-post demo database"
"$ND" demo --db "$TMP/site.db" --posts "$POSTS" >"$TMP/demo.log" 2>&1 || {
    tail -n 20 "$TMP/demo.log" >&2
    die "newsdesk demo failed"
}
for ((i = 1; i <= PUBLISHES * 2; i++)); do
    cat >"$TMP/post-$i.md" <<EOF
---
title: Live bench number $i
slug: live-bench-$i
tags: [News Feed]
authors: [news-desk]
---
A post written by tools/bench/live.sh to time publish to every open stream.
EOF
done

PORT=$(free_port)
setsid "$ND" serve --db "$TMP/site.db" --listen "127.0.0.1:$PORT" --threads "$(nproc)" \
    --access-log off --live-per-address 0 >>"$TMP/serve.log" 2>&1 &
SERVE_PID=$!
for ((i = 0; ; i++)); do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" && break
    running "$SERVE_PID" || {
        tail -n 20 "$TMP/serve.log" >&2
        die "newsdesk serve stopped"
    }
    ((i < 1000)) || die "newsdesk serve did not answer within 10 s"
    sleep 0.01
done
log "newsdesk serves on 127.0.0.1:$PORT (PID $SERVE_PID, $(nproc) threads); wrk warm-up"
wrk -t2 -c"$CONNS" -d1s "http://127.0.0.1:$PORT/" >/dev/null 2>&1 || die "wrk warm-up failed"

# ---------------------------------------------------------------------------------------------
# The rounds

mkfifo "$TMP/ctl"
exec {CTL}<>"$TMP/ctl" # open read-write: never blocks, and live.c never sees an early EOF

# open_streams: starts live.c and waits until every stream is ready; sets SETUP_MS
open_streams() {
    : >"$TMP/live.out"
    "$LIVE" "$PORT" "$CLIENTS" "$DELIVERY_TIMEOUT_MS" '/live-bench-{}/' -- \
        "$ND" post add --db "$TMP/site.db" "$TMP/post-{}.md" \
        <"$TMP/ctl" >"$TMP/live.out" 2>>"$TMP/live.err" {CTL}>&- &
    LIVE_PID=$!
    wait_for ready "$READY_TIMEOUT_S"
    SETUP_MS=$(sed -n 's/^ready .*setup_ms=\([0-9]*\).*/\1/p' "$TMP/live.out")
}
close_streams() {
    printf 'quit\n' >&"$CTL"
    wait_for bye 30
    wait "$LIVE_PID" || die "tools/bench/live.c failed"
    LIVE_PID=""
    grep '^bye ' "$TMP/live.out" | grep -q ' closed=0' || log "note: $(grep '^bye ' "$TMP/live.out")"
}
# publish FIRST: LIVE_PUBLISHES publishes, of post-FIRST.md and on; prints the batch line
# (with the server's CPU time over the batch added, server_cpu_us=N)
publish() {
    local t0 t1
    t0=$(cpu_ticks)
    printf 'publish %d %d\n' "$PUBLISHES" "$1" >&"$CTL"
    wait_for batch "$BATCH_TIMEOUT_S"
    t1=$(cpu_ticks)
    grep '^pub ' "$TMP/live.out" >>"$TMP/pubs.txt"
    printf '%s server_cpu_us=%d\n' "$(grep '^batch ' "$TMP/live.out" | tail -n 1)" \
        $(((t1 - t0) * 1000000 / CLK_TCK))
}

# odd rounds measure / without streams first, even rounds after, so that neither side
# always runs on a server that has just done the other
RPS_OFF=()
RPS_ON=()
RSS_LINES=()
: >"$TMP/wrk.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then
        RPS_OFF+=("$(wrk_rps)")
        log "round $r: / at $CONNS connections, no streams: ${RPS_OFF[-1]} req/s"
    fi
    rss0=$(rss_kb)
    log "round $r: opening $CLIENTS streams"
    open_streams
    rss1=$(rss_kb)
    RSS_LINES+=("$rss0 $rss1 $SETUP_MS")
    log "round $r: $CLIENTS streams ready in $SETUP_MS ms; server resident $((rss0 / 1024)) -> $((rss1 / 1024)) MB"
    RPS_ON+=("$(wrk_rps)")
    log "round $r: / with $CLIENTS idle streams: ${RPS_ON[-1]} req/s"
    if ((r == 1)); then
        log "round $r: $PUBLISHES publishes, nothing else running"
        BATCH_IDLE=$(publish 1)
        log "round $r: $BATCH_IDLE"
    elif ((r == 2)); then
        log "round $r: $PUBLISHES publishes while wrk loads /"
        wrk -t2 -c"$CONNS" -d"${BATCH_TIMEOUT_S}s" --timeout 2s "http://127.0.0.1:$PORT/" \
            >"$TMP/wrk-load.txt" 2>&1 &
        WRK_PID=$!
        sleep 0.5
        BATCH_LOAD=$(publish $((PUBLISHES + 1)))
        stop_pid "$WRK_PID" INT
        WRK_PID=""
        LOAD_RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$TMP/wrk-load.txt")
        log "round $r: $BATCH_LOAD (wrk: ${LOAD_RPS:-?} req/s)"
    fi
    close_streams
    running "$SERVE_PID" || die "newsdesk serve stopped (log: $(tail -n 5 "$TMP/serve.log"))"
    if ((r % 2 == 0)); then
        RPS_OFF+=("$(wrk_rps)")
        log "round $r: / at $CONNS connections, no streams: ${RPS_OFF[-1]} req/s"
    fi
done
RSS_END=$(rss_kb)

# ---------------------------------------------------------------------------------------------
# The section

# field NAME LINE: the value of NAME=... in a live.c result line
field() { sed -n "s/.* $1=\\([-0-9]*\\).*/\\1/p" <<<"$2"; }
median() {
    printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
read -r rss0 rss1 setup1 <<<"${RSS_LINES[0]}"
per_kb=$(awk -v a="$rss0" -v b="$rss1" -v n="$CLIENTS" 'BEGIN { printf "%.1f", (b - a) / n }')
others=""
for ((r = 1; r < ROUNDS; r++)); do
    read -r a b s <<<"${RSS_LINES[$r]}"
    others+=$(awk -v r=$((r + 1)) -v a="$a" -v b="$b" -v n="$CLIENTS" -v s="$s" \
        'BEGIN { printf "; round %d: %.1f KB, +%.0f MB over %.0f MB, ready in %.1f s", r, (b - a) / n, (b - a) / 1024, a / 1024, s / 1000 }')
done
ratios=()
each=()
for ((r = 0; r < ROUNDS; r++)); do
    ratios+=("$(awk -v a="${RPS_OFF[$r]}" -v b="${RPS_ON[$r]}" 'BEGIN { printf "%.3f", b / a }')")
    each+=("${RPS_OFF[$r]} → ${RPS_ON[$r]}")
done
ratio=$(median "${ratios[@]}")
drop=$(awk -v q="$ratio" 'BEGIN { if (q <= 1) printf "a %.1f%% drop", (1 - q) * 100; else printf "no drop: %.1f%% more", (q - 1) * 100 }')
each_s=$(printf '%s; ' "${each[@]}")

# latency_rows LINE LABEL: the two latency rows of one batch
latency_rows() {
    local b=$1 label=$2 missed closed note=""
    missed=$(field missed "$b")
    closed=$(field closed "$b")
    ((missed == 0)) || note="; **$missed deliveries missed** (not within $((DELIVERY_TIMEOUT_MS / 1000)) s)"
    ((closed == 0)) || note+="; **$closed streams closed by the server**"
    printf '| publish → the last of %s streams has it, %s: p99 over %s publishes | **%s ms** (p50 %s, max %s)%s | under 100 ms |\n' \
        "$CLIENTS" "$label" "$PUBLISHES" "$(ms "$(field last_p99_us "$b")")" \
        "$(ms "$(field last_p50_us "$b")")" "$(ms "$(field last_max_us "$b")")" "$note"
    printf '| publish → each stream, %s: p99 over all %s deliveries | %s ms (p50 %s, max %s) | under 100 ms |\n' \
        "$label" "$(field deliveries "$b")" "$(ms "$(field all_p99_us "$b")")" \
        "$(ms "$(field all_p50_us "$b")")" "$(ms "$(field all_max_us "$b")")"
}

early=$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } } END { printf "%.0f", s["early"] * 100 / (s["got"] ? s["got"] : 1) }' "$TMP/pubs.txt")
mapfile -t adds < <(sed -n 's/.* add_us=\([0-9]*\).*/\1/p' "$TMP/pubs.txt")
add_ms=$(ms "$(median "${adds[@]}")")
read -r load_min load_max < <(sort -n -k2 "$TMP/wrk.tsv" | awk 'NR == 1 { a = $2 } { b = $2 } END { print a, b }')
busy=""
((load_max < 10)) || busy=" **Other processes used up to $load_max% of the CPUs during the wrk runs (at least $load_min%), so these figures are noisier and slower than on a quiet machine.**"

echo "## Live updates"
echo
echo "$CLIENTS idle server-sent-event streams on \`/live/\` from 127.0.0.1, held open by" \
    "\`tools/bench/live.c\` (one thread, epoll) against \`newsdesk serve --threads $(nproc)" \
    "--live-per-address 0\` on a $POSTS-post demo database, by \`tools/bench/live.sh\`" \
    "($(nproc) cores, shared by the server, the client and wrk)."
echo
echo "- Memory: the server's VmRSS before the streams are opened and once every one has had" \
    "its head and \`retry:\`; the kernel's socket memory is not in it."
echo "- Publish → delivered: from \`newsdesk post add\` exiting (the post committed; it took" \
    "$add_ms ms, median) until a stream's data holds the new slug. \"Last\" is each publish's" \
    "slowest stream (nearest rank: under 100 publishes, their p99 is the maximum). $early% of" \
    "the deliveries came before \`post add\` had exited and count 0. One client process" \
    "reads all $CLIENTS sockets on the same cores, so its reading time (the CPU row) is in" \
    "the last deliveries; the publishes run one after another, first with nothing else from" \
    "this script running, then while wrk loads \`/\`."
echo "- Throughput: wrk on \`/\` ($CONNS connections, -t2, $WRK_S s, as in the table above) with" \
    "no streams and with the $CLIENTS streams open and idle (no publishes during those runs)," \
    "in $ROUNDS rounds that alternate which comes first; the ratio is the median of the" \
    "rounds' ratios.$busy"
echo
echo "| measurement | value | goal |"
echo "|---|--:|---|"
printf '| resident memory per open stream (VmRSS with them less before, ÷ %s) | **%s KB** (+%s MB over %s MB%s) | — |\n' \
    "$CLIENTS" "$per_kb" "$(((rss1 - rss0) / 1024))" "$((rss0 / 1024))" "$others"
printf '| server resident once the streams are closed | %s MB (%s MB before the first round) | — |\n' \
    "$((RSS_END / 1024))" "$((rss0 / 1024))"
printf '| %s streams opened, each with its head and `retry:` (256 being set up at a time) | %s s | — |\n' \
    "$CLIENTS" "$(awk -v m="$setup1" 'BEGIN { printf "%.1f", m / 1000 }')"
latency_rows "$BATCH_IDLE" "no wrk running"
printf '| CPU time a publish, no wrk running: the server / `live.c` reading the %s streams | %s ms / %s ms | — |\n' \
    "$CLIENTS" "$(ms $(($(field server_cpu_us "$BATCH_IDLE") / PUBLISHES)))" \
    "$(ms $(($(field cpu_us "$BATCH_IDLE") / PUBLISHES)))"
latency_rows "$BATCH_LOAD" "while wrk loads \`/\` (${LOAD_RPS:-?} req/s)"
printf '| `/` req/s at %s connections: %s idle streams open ÷ none | **%s** (%s; req/s none → open, each round: %s; other load %s–%s%%) | drop under 10%% |\n' \
    "$CONNS" "$CLIENTS" "$ratio" "$drop" "${each_s%; }" "$load_min" "$load_max"
