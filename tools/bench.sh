#!/usr/bin/env bash
# `make bench`: Newsdesk against nginx serving the same bytes from disk, same machine, same run,
# same number of worker threads/processes, measured with wrk. Prints one table to stdout and
# writes it, with a header describing the machine and the parameters, to docs/benchmarks.md
# (regenerated on every run). Progress goes to stderr; the raw wrk outputs of the last run are
# kept under build/bench/ for a closer look.
#
# Environment:
#   BENCH_POSTS=100000      demo posts in the benchmark database
#   BENCH_SECONDS=5         length of each measured wrk run
#   BENCH_ROUNDS=3          A/B rounds per (URL, server) on the comparison rows (at least 2)
#   BENCH_WRK_THREADS=2     wrk threads (see the note at WRK_THREADS below)
#   BENCH_PUBLISH_SAMPLES=30
#   IMPORT_POSTS=100000     posts of the generated Ghost export (tools/bench/import.sh)
#   IMPORT_MEMORY_POSTS     a second, larger export (e.g. 400000) to show memory stays flat
#   LIVE_CLIENTS=10000      open /live/ streams (tools/bench/live.sh; also LIVE_PUBLISHES=20,
#                           LIVE_WRK_SECONDS=5, LIVE_ROUNDS=3)
#   PG_BENCH_POSTS=20000    demo posts in each database of the PostgreSQL section
#                           (tools/bench/pg.sh; also PG_BENCH_IMPORT_POSTS=5000,
#                           PG_BENCH_SECONDS=5, PG_BENCH_ROUNDS=3, PG_BENCH_PUBLISH_SAMPLES=30)
#
# Only 127.0.0.1 is ever contacted; every load run is bounded in time; only processes this
# script started are stopped, by PID; the temporary directory is removed on exit and on Ctrl-C.
# shellcheck disable=SC2016 # backquotes in printf formats are Markdown, not expansions
set -euo pipefail
export LC_ALL=C # '.' as the decimal separator in $EPOCHREALTIME, printf and awk

cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH_DIR=$ROOT/tools/bench
NEWSDESK=$ROOT/build/newsdesk
RAW=$ROOT/build/bench
OUT_MD=$ROOT/docs/benchmarks.md

POSTS=${BENCH_POSTS:-100000}
SECONDS_PER_RUN=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
# wrk runs on the same cores as the server under test, so every thread it uses is taken from
# the server. -t1 and -t2 were tried against both servers, alternating, on the 2-core machine
# (10 KB page, 64 connections): with -t1, wrk's single thread is the bottleneck (nginx
# 18-27k req/s, Newsdesk 31-48k) and the server sits partly idle; with -t2 both servers
# reach higher rates (nginx 17-39k, Newsdesk 42-73k on a machine other jobs were also
# using). wrk then takes about half of the CPU time, which the "CPU µs/req" column leaves
# out (it counts the server's processes only). Both servers always get the same wrk
# settings, so the ratios are fair either way.
WRK_THREADS=${BENCH_WRK_THREADS:-2}
PUBLISH_SAMPLES=${BENCH_PUBLISH_SAMPLES:-30}
CONNS=64
CONNS_MANY=1000
UNTIL=2026-11-20T12:00:00Z # newest demo post: fixed, so runs on one day compare
WARM_SECONDS=1             # unrecorded wrk run per (URL, server) before the measured rounds
PUBLISH_TIMEOUT_US=2000000 # a publish sample gives up after 2 s
START_TIMEOUT_US=10000000  # a server that does not answer 200 within 10 s failed to start
LOAD_WARN=10               # % of the CPUs used by other processes that marks a run as suspect

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
    printf 'bench: error: %s\n' "$*" >&2
    exit 1
}

for v in POSTS SECONDS_PER_RUN ROUNDS WRK_THREADS PUBLISH_SAMPLES; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number (got '${!v}')"
done
((ROUNDS >= 2)) || die "BENCH_ROUNDS must be at least 2"

# ---------------------------------------------------------------------------------------------
# Packages, binary, temporary directory, clean-up

tools/bootstrap.sh bench
for c in wrk nginx curl pgrep getconf setsid "${CC:-cc}"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found after 'tools/bootstrap.sh bench'"
done
NGINX=$(command -v nginx)
[[ -x $NEWSDESK ]] || die "$NEWSDESK is missing: run 'make bench' (it builds it first)"
[[ -r /proc/self/stat ]] || die "/proc is needed for CPU time and memory"

NPROC=$(nproc)
CLK_TCK=$(getconf CLK_TCK)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-bench.XXXXXX")
ND_PID=""
MISS_PID=""
NGX_PID=""
WRK_PID=""
ROUND=""

# running, stop_pid
. tools/bench/lib.sh

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e # clean up as much as possible, whatever fails
    stop_pid "$WRK_PID" INT
    stop_pid "$ND_PID" TERM
    stop_pid "$MISS_PID" TERM
    stop_pid "$NGX_PID" TERM # nginx's master stops its workers on TERM
    [[ -n ${NAP_FD:-} ]] && exec {NAP_FD}>&-
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# A sleep without forking: read with a timeout from a FIFO nobody writes to.
mkfifo "$TMP/nap"
exec {NAP_FD}<>"$TMP/nap"
nap_ms() {
    local t
    printf -v t '0.%03d' "$1"
    read -r -t "$t" -u "$NAP_FD" _ || true
}

# Enough descriptors for 1,000 connections in wrk and in each server (inherited by them).
hard=$(ulimit -Hn)
if [[ $hard == unlimited ]] || ((hard > 65536)); then ulimit -n 65536; else ulimit -n "$hard"; fi
(($(ulimit -n) >= CONNS_MANY + 200)) || die "need at least $((CONNS_MANY + 200)) file descriptors (ulimit -n); the hard limit is $hard"

rm -rf "$RAW"
mkdir -p "$RAW"

# What is measured: a copy of the binary taken now, so that a rebuild of build/newsdesk while
# this runs (a few minutes) cannot mix two versions in one run; and the commit it came from.
cp "$NEWSDESK" "$TMP/newsdesk"
NEWSDESK_SHA=$(sha256sum "$TMP/newsdesk" | cut -c1-12)
NEWSDESK_BUILT=$(date -u -r "$NEWSDESK" '+%Y-%m-%d %H:%M UTC')
NEWSDESK=$TMP/newsdesk
commit="unknown (not a git checkout)"
if git -C "$ROOT" rev-parse --short HEAD >/dev/null 2>&1; then
    # GIT_OPTIONAL_LOCKS=0: status must not even refresh the index; docs/benchmarks.md is
    # left out since this script rewrites it
    dirty=$(GIT_OPTIONAL_LOCKS=0 git -C "$ROOT" status --porcelain -- . ':(exclude)docs/benchmarks.md' | wc -l)
    commit="$(git -C "$ROOT" rev-parse --short HEAD)"
    if ((dirty)); then commit+=" (dirty: $dirty changed or untracked paths)"; else commit+=" (clean)"; fi
fi

# ---------------------------------------------------------------------------------------------
# Small helpers

# Is something listening on this TCP port (any address, IPv4 or IPv6)?
port_in_use() {
    local hex
    printf -v hex '%04X' "$1"
    awk -v p="$hex" 'FNR > 1 { split($2, a, ":"); if (a[2] == p && $4 == "0A") found = 1 }
                     END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Sets variable $1 to a free port below the kernel's ephemeral range, so that no client
# socket (wrk's, curl's) can be holding it.
pick_port() {
    local lo hi p i
    read -r lo _ </proc/sys/net/ipv4/ip_local_port_range
    hi=$((lo - 1))
    ((hi > 20000)) || hi=32767
    for ((i = 0; i < 500; i++)); do
        p=$((20000 + RANDOM % (hi - 20000)))
        [[ " ${PICKED_PORTS:-} " == *" $p "* ]] && continue
        port_in_use "$p" && continue
        PICKED_PORTS="${PICKED_PORTS:-} $p"
        printf -v "$1" '%s' "$p"
        return 0
    done
    die "no free TCP port found between 20000 and $hi"
}

# One HTTP/1.1 request over bash's /dev/tcp (no fork, so start-up polling is fine-grained).
http_ok() {
    local status=""
    { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" 1>&"$fd" 2>/dev/null || true
    IFS= read -r -t 2 -u "$fd" status || true
    exec {fd}>&-
    [[ $status == "HTTP/1."[01]" 200"* ]]
}

# HTTP status of PORT PATH, saving the body to FILE (curl, never following redirects).
fetch() {
    curl -sS --max-time 10 -o "$3" -w '%{http_code}' "http://127.0.0.1:$1$2" || true
}


# The PIDs whose CPU time counts as the server's: newsdesk is one process; nginx is its
# master and the master's children (the workers), found by PID.
server_pids() {
    case $1 in
    newsdesk) echo "$ND_PID" ;;
    newsdesk-miss) echo "$MISS_PID" ;;
    nginx) echo "$NGX_PID" "$(pgrep -P "$NGX_PID" | tr '\n' ' ' || true)" ;;
    esac
}
server_port() {
    case $1 in
    newsdesk) echo "$ND_PORT" ;;
    newsdesk-miss) echo "$MISS_PORT" ;;
    nginx) echo "$NGX_PORT" ;;
    esac
}

# Dies with the server's log when it is no longer running.
check_alive() {
    local name=$1 pid=$2 logf=$3
    if ! running "$pid"; then
        log "$name (PID $pid) is not running; the end of its output:"
        tail -n 20 "$logf" >&2 || true
        die "$name stopped unexpectedly"
    fi
}



# "pid ticks comm" for every process now (the command name may hold spaces and parentheses:
# the fields after it start at the last ")")
proc_snapshot() {
    awk '{ i = length($0); while (i > 0 && substr($0, i, 1) != ")") i--
           comm = substr($0, index($0, "(") + 1, i - index($0, "(") - 1); gsub(/ /, "_", comm)
           n = split(substr($0, i + 2), f, " "); print $1, f[12] + f[13], comm }' \
        /proc/[0-9]*/stat 2>/dev/null || true
}

# Up to three processes, other than the PIDs given, that used at least 1% of a CPU between
# two snapshots: "comm (pid) N% of a CPU, ...". Processes that started and ended in between
# (a build's compiler runs, say) are not seen.
top_others() {
    local before=$1 after=$2 wall_us=$3
    shift 3
    awk -v hz="$CLK_TCK" -v us="$wall_us" -v ours=" $* " '
        NR == FNR { t[$1] = $2; next }
        index(ours, " " $1 " ") == 0 {
            d = ($1 in t) ? $2 - t[$1] : $2
            pct = d * 1e8 / hz / us
            if (pct >= 1) printf "%d %s %s %.0f\n", d, $3, $1, pct
        }' "$before" "$after" | sort -rn | head -n 3 |
        awk '{ printf "%s%s (%s) %s%% of a CPU", (NR > 1 ? ", " : ""), $2, $3, $4 }'
}

# run_wrk ID SERVER PATH CONNS SECONDS [SCRIPT [SCRIPT-ARGS...]]
# Appends one line to $TMP/results.tsv (the rounds of one row share its ID; $ROUND only
# names the raw output file):
#   id server path conns rps p50_us p99_us cpu_us_per_request errors other_load_percent
#   xcache_hits xcache_misses xcache_unmarked ("-" when the script did not count them)
# other_load_percent: the share of all the machine's CPUs used during the run by anything
# but the server under test and wrk (other jobs, a noisy neighbour's steal); a few percent is
# the kernel's own work; more means the machine was not quiet and the run is suspect.
run_wrk() {
    local id=$1 server=$2 path=$3 conns=$4 secs=$5 script=${6:-$BENCH_DIR/report.lua}
    shift 6 || shift $#
    local port pids t0 t1 m0 m1 c0 c1 w0 w1 out stat raw
    port=$(server_port "$server")
    raw="$RAW/$id-$server${ROUND:+-r$ROUND}.txt"
    check_alive "$server" "$(server_pids "$server" | cut -d' ' -f1)" "$TMP/$server.log"
    pids=$(server_pids "$server")
    proc_snapshot >"$TMP/procs.before"
    w0=${EPOCHREALTIME/./}
    m0=$(machine_busy_ticks)
    c0=$(children_ticks)
    # shellcheck disable=SC2086
    t0=$(cpu_ticks $pids)
    out=$(wrk -t"$WRK_THREADS" -c"$conns" -d"${secs}s" --timeout 2s --latency -s "$script" \
        "http://127.0.0.1:$port$path" ${1+-- "$@"} 2>&1) || {
        printf '%s\n' "$out" >&2
        die "wrk failed against $server $path"
    }
    # shellcheck disable=SC2086
    t1=$(cpu_ticks $pids)
    c1=$(children_ticks)
    m1=$(machine_busy_ticks)
    w1=${EPOCHREALTIME/./}
    proc_snapshot >"$TMP/procs.after"
    printf '%s\n' "$out" >"$raw"
    stat=$(grep '^BENCHSTAT ' <<<"$out" | tail -n 1) || die "no BENCHSTAT line from wrk: see $raw"
    stat+=" $(grep '^BENCHCACHE ' <<<"$out" | tail -n 1 | cut -d' ' -f2- || true)"
    awk -v id="$id" -v server="$server" -v path="$path" -v conns="$conns" \
        -v ticks=$((t1 - t0)) -v hz="$CLK_TCK" -v other=$((m1 - m0 - (t1 - t0) - (c1 - c0))) \
        -v wall_us=$((w1 - w0)) -v ncpu="$NPROC" '
        { for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] } }
        END {
            req = s["requests"]; if (req < 1) req = 1
            err = s["connect"] + s["read"] + s["write"] + s["timeout"] + s["status"]
            load = other * 1e6 / hz / (wall_us * ncpu) * 100; if (load < 0) load = 0
            if ("hits" in s) xc = s["hits"] "\t" s["misses"] "\t" s["unmarked"]
            else xc = "-\t-\t-"
            printf "%s\t%s\t%s\t%d\t%.1f\t%d\t%d\t%.2f\t%d\t%.1f\t%s\n", id, server, path, conns,
                s["requests"] * 1e6 / s["duration_us"], s["p50_us"], s["p99_us"],
                ticks * 1e6 / hz / req, err, load, xc
        }' <<<"$stat" >>"$TMP/results.tsv"
    tail -n 1 "$TMP/results.tsv" | awk -F'\t' '{ printf "bench:   %-8s %-28s c=%-4s %9.0f req/s  p50 %.2f ms  p99 %.2f ms  %.1f CPU us/req  errors %d  other load %.0f%%\n",
        $2, $3, $4, $5, $6 / 1000, $7 / 1000, $8, $9, $10 }' >&2
    local load others
    load=$(tail -n 1 "$TMP/results.tsv" | cut -f10)
    if awk -v l="$load" -v w="$LOAD_WARN" 'BEGIN { exit !(l >= w) }'; then
        # shellcheck disable=SC2086
        others=$(top_others "$TMP/procs.before" "$TMP/procs.after" $((w1 - w0)) $pids $$)
        log "  other load during that run: ${others:-short-lived processes (none that outlived the run used 1% of a CPU)}"
        printf 'other load %s%%: %s\n' "$load" "${others:-short-lived processes}" >>"$raw"
        [[ -z $others ]] || printf '%s\n' "$others" >>"$TMP/others.txt"
    fi
}

# Medians over the rounds of one (id, server), and totals of errors and X-Cache counts:
#   "rps p50_us p99_us cpu errors runs other_load_percent hits misses unmarked"
summarise() {
    local id=$1 server=$2 rps=() p50=() p99=() cpu=() load=() err=0 n=0 xh=0 xm=0 xu=0
    local _id _sv _path _c r a b c e l h m u
    while IFS=$'\t' read -r _id _sv _path _c r a b c e l h m u; do
        [[ $_id == "$id" && $_sv == "$server" ]] || continue
        rps+=("$r") p50+=("$a") p99+=("$b") cpu+=("$c") load+=("$l")
        err=$((err + e)) n=$((n + 1))
        if [[ $h != - ]]; then xh=$((xh + h)) xm=$((xm + m)) xu=$((xu + u)); fi
    done <"$TMP/results.tsv"
    ((n > 0)) || return 1
    echo "$(median "${rps[@]}") $(median "${p50[@]}") $(median "${p99[@]}") $(median "${cpu[@]}") $err $n $(median "${load[@]}") $xh $xm $xu"
}

# What the server's X-Cache header said over a run: "hits misses unmarked" -> a note.
xcache_note() {
    local h=$1 m=$2 u=$3
    if ((h + m == 0)); then
        echo "no X-Cache header: no response cache, every request rendered"
    else
        awk -v h="$h" -v m="$m" -v u="$u" 'BEGIN {
            printf "X-Cache: **%.1f%% MISS** (%d misses, %d hits", m * 100 / (h + m + u), m, h
            if (u) printf ", %d unmarked", u; printf ")" }'
    fi
}

# ---------------------------------------------------------------------------------------------
# 0. Is the machine quiet? (the busy share of all CPUs over one second, before we start)

b0=$(machine_busy_ticks)
w0=${EPOCHREALTIME/./}
nap_ms 999
b1=$(machine_busy_ticks)
w1=${EPOCHREALTIME/./}
IDLE_BUSY=$(awk -v t=$((b1 - b0)) -v hz="$CLK_TCK" -v us=$((w1 - w0)) -v n="$NPROC" \
    'BEGIN { printf "%.0f", t * 1e6 / hz / (us * n) * 100 }')
if ((IDLE_BUSY >= 10)); then
    log "warning: before the benchmark, other processes already use ${IDLE_BUSY}% of the CPUs:"
    ps -eo pid,pcpu,comm --sort=-pcpu | head -n 6 | sed 's/^/bench:   /' >&2 || true
fi

# ---------------------------------------------------------------------------------------------
# 1. The database: import rate

DB=$TMP/bench.db
until_s=$(date -u -d "$UNTIL" +%s)
if (($(date -u +%s) <= until_s + 60)); then
    # published_at = now must be the newest post for the publish rows to see it on `/`
    UNTIL=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)
    log "the clock is before the fixed demo date; using --until $UNTIL"
fi
log "importing $POSTS demo posts (newsdesk demo)"
t0=${EPOCHREALTIME/./}
"$NEWSDESK" demo --db "$DB" --posts "$POSTS" --until "$UNTIL" >"$RAW/demo.log" 2>&1 ||
    {
        tail -n 20 "$RAW/demo.log" >&2
        die "newsdesk demo failed (log: $RAW/demo.log)"
    }
t1=${EPOCHREALTIME/./}
IMPORT_S=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.2f", d / 1e6 }')
IMPORT_RATE=$(awk -v n="$POSTS" -v d=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1e6 / d }')
DB_MB=$(awk -v b="$(stat -c %s "$DB")" 'BEGIN { printf "%.0f", b / 1048576 }')
log "imported $POSTS posts in $IMPORT_S s ($IMPORT_RATE posts/s; database $DB_MB MB)"

# 1b. Moving in from WordPress: a generated WXR export of $WXR_POSTS posts in the shape of the
# real one (tools/bench/wxr_gen.c) imported into an empty database by `newsdesk import
# wordpress`: wall-clock and CPU seconds, and the peak resident memory the command reports
# (getrusage's ru_maxrss, --stats). Goal: under 5 s for 10,000 posts.
WXR_POSTS=${BENCH_WXR_POSTS:-10000}
log "generating a $WXR_POSTS-post WordPress export (build/wxr-gen)"
"$ROOT/build/wxr-gen" "$WXR_POSTS" >"$TMP/wxr.xml" || die "build/wxr-gen failed"
WXR_MB=$(awk -v b="$(stat -c %s "$TMP/wxr.xml")" 'BEGIN { printf "%.1f", b / 1048576 }')
"$NEWSDESK" init --db "$TMP/wxr.db" >/dev/null 2>&1 || die "newsdesk init failed"
log "importing it (newsdesk import wordpress)"
cpu0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
t0=${EPOCHREALTIME/./}
"$NEWSDESK" import wordpress "$TMP/wxr.xml" --db "$TMP/wxr.db" --stats >"$RAW/wxr-import.log" 2>&1 ||
    {
        tail -n 20 "$RAW/wxr-import.log" >&2
        die "newsdesk import wordpress failed (log: $RAW/wxr-import.log)"
    }
t1=${EPOCHREALTIME/./}
cpu1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
WXR_S=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.2f", d / 1e6 }')
WXR_CPU_S=$(awk -v c=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", c / hz }')
WXR_PEAK_MB=$(sed -n 's/^Peak memory: \([0-9.]*\) MB.*/\1/p' "$RAW/wxr-import.log")
WXR_DONE=$(awk '$1 == "posts" { print $2 }' "$RAW/wxr-import.log")
[[ $WXR_DONE == "$WXR_POSTS" ]] || die "the import created ${WXR_DONE:-no} posts of $WXR_POSTS (log: $RAW/wxr-import.log)"
log "imported $WXR_POSTS WordPress posts in $WXR_S s (CPU $WXR_CPU_S s; peak memory ${WXR_PEAK_MB:-?} MB)"

# A photo in the library (every rendition made by `media add`): one of its renditions is
# among the URLs both servers serve, a cached binary against nginx's sendfile.
tools/bench/photo.sh --make "$TMP/photo.jpg"
PHOTO_URL=$("$NEWSDESK" media add --db "$DB" "$TMP/photo.jpg" --alt "A benchmark photo" 2>&1 |
    tee "$RAW/media.log" | grep '^/content/images/' | tail -n 1) || true
[[ -n $PHOTO_URL ]] || die "newsdesk media add printed no URL (log: $RAW/media.log)"
RENDITION=/content/images/size/w960/format/webp/${PHOTO_URL#/content/images/}
log "photo added: $PHOTO_URL"

# ---------------------------------------------------------------------------------------------
# 2. Newsdesk: start-up time (median of 3 starts; the last one keeps serving)

pick_port ND_PORT
: >"$TMP/newsdesk.log"

# launch_newsdesk NAME PORT [SERVE-OPTION...]: starts `newsdesk serve` on PORT, waits for
# its first 200 on /; sets LAUNCHED_PID and LAUNCH_US (from exec to that 200).
launch_newsdesk() {
    local name=$1 port=$2 t0 t1
    shift 2
    port_in_use "$port" && die "port $port was taken before $name could use it"
    t0=${EPOCHREALTIME/./}
    # setsid: a session of its own, so a Ctrl-C on the terminal reaches this script (whose
    # trap stops the server by PID) and not the server; a background child of this
    # non-interactive shell is no process group leader, so setsid execs in place and $! is
    # the server's PID
    setsid "$NEWSDESK" serve --db "$DB" --listen "127.0.0.1:$port" --threads "$NPROC" \
        --access-log off "$@" >>"$TMP/$name.log" 2>&1 &
    LAUNCHED_PID=$!
    until http_ok "$port" /; do
        check_alive "$name" "$LAUNCHED_PID" "$TMP/$name.log"
        if ((${EPOCHREALTIME/./} - t0 > START_TIMEOUT_US)); then
            tail -n 20 "$TMP/$name.log" >&2
            die "$name did not answer 200 on http://127.0.0.1:$port/ within $((START_TIMEOUT_US / 1000000)) s"
        fi
        nap_ms 1
    done
    t1=${EPOCHREALTIME/./}
    LAUNCH_US=$((t1 - t0))
}

start_newsdesk() {
    launch_newsdesk newsdesk "$ND_PORT"
    ND_PID=$LAUNCHED_PID
    STARTS+=("$(awk -v d="$LAUNCH_US" 'BEGIN { printf "%.1f", d / 1000 }')")
}

STARTS=()
for i in 1 2 3; do
    start_newsdesk
    if ((i < 3)); then
        stop_pid "$ND_PID" TERM
        ND_PID=""
    fi
done
STARTUP_MS=$(median "${STARTS[@]}")
log "newsdesk serves on 127.0.0.1:$ND_PORT (PID $ND_PID, $NPROC threads); start-up ${STARTS[*]} ms"

# ---------------------------------------------------------------------------------------------
# 3. The URLs, and byte-identical copies of them for nginx

WWW=$TMP/www
mkdir -p "$WWW"
code=$(fetch "$ND_PORT" / "$TMP/home.html")
[[ $code == 200 ]] || die "newsdesk answered $code on /"
ARTICLE=$(sed -n 's/.*class="teaser-title"><a href="\(\/[^"]*\/\)".*/\1/p' "$TMP/home.html" | head -n 1)
[[ -n $ARTICLE ]] || die "no teaser link (class=\"teaser-title\") on /: has the theme changed?"

URLS=(/ "$ARTICLE" /tag/news-feed/ /rss/ "$RENDITION")
LABELS=("\`/\`" "article \`$ARTICLE\`" "\`/tag/news-feed/\`" "\`/rss/\`"
    "photo, 960 px WebP \`$RENDITION\`")
SKIPPED=() # "path|reason"
PATHS=()   # the URLs both servers serve
PATH_LABEL=()
for i in "${!URLS[@]}"; do
    u=${URLS[$i]}
    body=$TMP/body.tmp
    code=$(fetch "$ND_PORT" "$u" "$body")
    if [[ $u == /rss/ && $code == 404 ]]; then
        SKIPPED+=("$u|not implemented yet (newsdesk answers 404)")
        log "skipping /rss/: newsdesk answers 404 (not implemented yet)"
        continue
    fi
    [[ $code == 200 ]] || die "newsdesk answered $code on $u"
    ctype=$(curl -sS --max-time 10 -o /dev/null -w '%{content_type}' "http://127.0.0.1:$ND_PORT$u")
    ext=html
    [[ $ctype == *xml* ]] && ext=xml
    if [[ $u == /content/images/* ]]; then # a file: the same path under nginx's root
        mkdir -p "$(dirname "$WWW$u")"
        mv "$body" "$WWW$u"
    else
        [[ $u == */ ]] || die "URL $u does not end in '/': cannot map it to an index file"
        dir=$WWW${u%/}
        mkdir -p "$dir"
        mv "$body" "$dir/index.$ext"
    fi
    PATHS+=("$u")
    PATH_LABEL+=("${LABELS[$i]}")
done
chmod 0711 "$TMP" # nginx's workers may run as another user (nobody) when started as root
chmod -R a+rX "$WWW"

# ---------------------------------------------------------------------------------------------
# 4. nginx with its own config, on another port

pick_port NGX_PORT
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
# generated by tools/bench.sh; the system's nginx config and service are not used
daemon off;
worker_processes $NPROC;
worker_rlimit_nofile $(ulimit -n);
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx.log warn;
events {
    worker_connections 4096;
}
http {
    types {
        text/html html;
        application/rss+xml xml;
        image/webp webp;
        image/jpeg jpg;
    }
    default_type application/octet-stream;
    charset utf-8; # on text/html and application/rss+xml (nginx's default charset_types)
    sendfile on;
    tcp_nopush on;
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$NGX_PORT;
        root $WWW;
        index index.html index.xml;
        location ~ /format/webp/ { # Ghost's shape: a WebP rendition's name ends in .jpg
            types { }
            default_type image/webp;
        }
    }
}
EOF
port_in_use "$NGX_PORT" && die "port $NGX_PORT was taken before nginx could use it"
: >"$TMP/nginx.log"
# both its error_log and its stderr go to one file, appended
# shellcheck disable=SC2094
setsid "$NGINX" -p "$TMP/nginx/" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx.log" >>"$TMP/nginx.log" 2>&1 &
NGX_PID=$!
t0=${EPOCHREALTIME/./}
until http_ok "$NGX_PORT" /; do
    check_alive nginx "$NGX_PID" "$TMP/nginx.log"
    ((${EPOCHREALTIME/./} - t0 < START_TIMEOUT_US)) || die "nginx did not answer 200 on http://127.0.0.1:$NGX_PORT/ within 10 s (log: $TMP/nginx.log)"
    nap_ms 5
done
for ((i = 0; i < 100; i++)); do # the master forks its workers one by one
    nworkers=$(pgrep -P "$NGX_PID" | wc -l)
    ((nworkers < NPROC)) || break
    nap_ms 10
done
((nworkers == NPROC)) || die "nginx has $nworkers worker processes, expected $NPROC"
log "nginx serves on 127.0.0.1:$NGX_PORT (master PID $NGX_PID, $nworkers workers)"

# Both servers must send the same bytes for every URL before anything is measured.
for u in "${PATHS[@]}"; do
    a=$(fetch "$ND_PORT" "$u" "$TMP/a.body")
    b=$(fetch "$NGX_PORT" "$u" "$TMP/b.body")
    [[ $a == 200 && $b == 200 ]] || die "$u: newsdesk answered $a, nginx $b"
    cmp -s "$TMP/a.body" "$TMP/b.body" || die "$u: the bodies differ between newsdesk and nginx"
    ta=$(curl -sS -o /dev/null -w '%{content_type}' "http://127.0.0.1:$ND_PORT$u")
    tb=$(curl -sS -o /dev/null -w '%{content_type}' "http://127.0.0.1:$NGX_PORT$u")
    [[ ${ta,,} == "${tb,,}" ]] || log "note: $u content types differ: newsdesk '$ta', nginx '$tb'"
    log "same $(stat -c %s "$TMP/a.body") bytes from both servers: $u"
done

# ---------------------------------------------------------------------------------------------
# 5. Warm-up, resident memory, then A/B rounds per URL at 64 connections and / at 1,000

log "warming up: ${WARM_SECONDS} s of wrk per URL and server (not recorded)"
for u in "${PATHS[@]}"; do
    for s in newsdesk nginx; do
        wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARM_SECONDS}s" "http://127.0.0.1:$(server_port "$s")$u" >/dev/null 2>&1 ||
            die "wrk warm-up failed against $s $u"
    done
done
check_alive newsdesk "$ND_PID" "$TMP/newsdesk.log"
RSS_WARM_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ND_PID/status")
NGX_RSS_KB=0
for p in $(server_pids nginx); do
    NGX_RSS_KB=$((NGX_RSS_KB + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status")))
done
log "newsdesk resident after warm-up: $((RSS_WARM_KB / 1024)) MB (nginx, master + workers: $((NGX_RSS_KB / 1024)) MB)"

ROWS=() # "id|label|conns"
for i in "${!PATHS[@]}"; do
    u=${PATHS[$i]}
    id="u$i-c$CONNS"
    ROWS+=("$id|${PATH_LABEL[$i]}|$CONNS")
    log "$u at $CONNS connections: $ROUNDS rounds of ${SECONDS_PER_RUN} s, newsdesk then nginx"
    for ((r = 1; r <= ROUNDS; r++)); do
        ROUND=$r
        run_wrk "$id" newsdesk "$u" "$CONNS" "$SECONDS_PER_RUN"
        run_wrk "$id" nginx "$u" "$CONNS" "$SECONDS_PER_RUN"
    done
done
id="u0-c$CONNS_MANY"
ROWS+=("$id|\`/\`|$CONNS_MANY")
log "/ at $CONNS_MANY connections: $ROUNDS rounds of ${SECONDS_PER_RUN} s, newsdesk then nginx"
for ((r = 1; r <= ROUNDS; r++)); do
    ROUND=$r
    run_wrk "$id" newsdesk / "$CONNS_MANY" "$SECONDS_PER_RUN"
    run_wrk "$id" nginx / "$CONNS_MANY" "$SECONDS_PER_RUN"
done
ROUND=""

# ---------------------------------------------------------------------------------------------
# 6. The miss path: deep list pages, many distinct ones

# The last page of a list: binary search on the status of PREFIX N / (page 1 is a redirect
# to the list itself, so the search starts at 2).
last_page() {
    local prefix=$1 lo=2 hi=$((POSTS / 2 + 2)) mid
    [[ $(fetch "$ND_PORT" "${prefix}2/" /dev/null) == 200 ]] || {
        echo 1
        return
    }
    while ((lo < hi)); do
        mid=$(((lo + hi + 1) / 2))
        if [[ $(fetch "$ND_PORT" "$prefix$mid/" /dev/null) == 200 ]]; then lo=$mid; else hi=$((mid - 1)); fi
    done
    echo "$lo"
}

# The misses: a second Newsdesk on the same database whose response cache is far smaller
# than the cycle of deep pages miss.lua asks for (4 MB: a few hundred pages at most, against
# up to 1,801), so every request renders its page and pays what a miss costs in the cache
# too (storing the entry, evicting another). The main server's 128 MB would hold the whole
# cycle: after one pass everything would be a hit. Without a cache option (a Newsdesk before
# the response cache), the main server misses anyway.
MISS_SERVER=newsdesk
MISS_NOTE="no response cache in this build"
if "$NEWSDESK" serve --help 2>&1 | grep -q -- '--cache-mb'; then
    pick_port MISS_PORT
    launch_newsdesk newsdesk-miss "$MISS_PORT" --cache-mb 4
    MISS_PID=$LAUNCHED_PID
    MISS_SERVER=newsdesk-miss
    MISS_NOTE="a second server with \`--cache-mb 4\`, too small to keep the cycle"
    log "newsdesk with a 4 MB cache for the misses on 127.0.0.1:$MISS_PORT (PID $MISS_PID)"
fi

MISS_ROWS=() # "id|server|label|note"
for prefix in /page/ /tag/news-feed/page/; do
    last=$(last_page "$prefix")
    if ((last < 2)); then
        log "skipping the miss rows for $prefix: only $last page(s)"
        continue
    fi
    # deep pages: 200 to 2000, or the second half of a shorter list
    lo=$((last >= 400 ? 200 : (last + 1) / 2))
    hi=$((last < 2000 ? last : 2000))
    if [[ $prefix == /page/ ]]; then fixed=500; else fixed=300; fi
    ((fixed <= last)) || fixed=$(((lo + hi) / 2))
    id="miss-${prefix//\//_}"
    log "miss path: ${prefix}N/ for N cycling over $lo..$hi, ${SECONDS_PER_RUN} s"
    run_wrk "$id" "$MISS_SERVER" "${prefix}$lo/" "$CONNS" "$SECONDS_PER_RUN" "$BENCH_DIR/miss.lua" "$prefix" "$lo" "$hi" "$WRK_THREADS"
    MISS_ROWS+=("$id|$MISS_SERVER|miss: \`${prefix}N/\`, N = $lo..$hi in turn|$((hi - lo + 1)) pages in a cycle; $MISS_NOTE")
    id="fixed-${prefix//\//_}"
    log "one deep page: ${prefix}$fixed/, ${SECONDS_PER_RUN} s"
    run_wrk "$id" newsdesk "${prefix}$fixed/" "$CONNS" "$SECONDS_PER_RUN" "$BENCH_DIR/miss.lua" "$prefix" "$fixed" "$fixed" "$WRK_THREADS"
    MISS_ROWS+=("$id|newsdesk|one deep page: \`${prefix}$fixed/\`|the same URL every time: a hit once cached")
done
stop_pid "$MISS_PID" TERM
MISS_PID=""

RSS_END_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ND_PID/status")
HWM_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ND_PID/status")

# ---------------------------------------------------------------------------------------------
# 7. Publish to visible, while wrk loads /

VISIBLE_PATHS=(/)
[[ " ${PATHS[*]} " == *" /rss/ "* ]] && VISIBLE_PATHS+=(/rss/)
RUN_ID=$(date -u +%Y%m%d%H%M%S)-$$
declare -A DELAYS TIMEOUTS
for p in "${VISIBLE_PATHS[@]}"; do DELAYS[$p]="" TIMEOUTS[$p]=0; done
ADD_MS=()
POLLS=()
CURL_MS=()
VISIBLE=$TMP/visible
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$VISIBLE" "$BENCH_DIR/visible.c" || die "could not compile $BENCH_DIR/visible.c"

max_load_s=$((PUBLISH_SAMPLES * 3 + 10)) # a bound even if every sample timed out
log "publish to visible: $PUBLISH_SAMPLES posts while wrk loads / at $CONNS connections"
wrk -t"$WRK_THREADS" -c"$CONNS" -d"${max_load_s}s" --timeout 2s -s "$BENCH_DIR/report.lua" \
    "http://127.0.0.1:$ND_PORT/" >"$RAW/publish-load-newsdesk.txt" 2>&1 &
WRK_PID=$!
nap_ms 500
for ((i = 1; i <= PUBLISH_SAMPLES; i++)); do
    check_alive newsdesk "$ND_PID" "$TMP/newsdesk.log"
    running "$WRK_PID" || die "the background wrk stopped early: see $RAW/publish-load-newsdesk.txt"
    slug="bench-visible-$RUN_ID-$i"
    cat >"$TMP/post.md" <<EOF
---
title: Bench visible $RUN_ID number $i
slug: $slug
tags: [News Feed]
authors: [news-desk]
published_at: $(date -u +%Y-%m-%dT%H:%M:%SZ)
---
A post written by tools/bench.sh to time publish to visible.
EOF
    # visible.c: post add, then poll each page over an open keep-alive connection
    line=$("$VISIBLE" "$ND_PORT" "/$slug/" $((PUBLISH_TIMEOUT_US / 1000)) "${VISIBLE_PATHS[@]}" \
        -- "$NEWSDESK" post add --db "$DB" "$TMP/post.md" 2>>"$TMP/post-add.log") ||
        {
            tail -n 5 "$TMP/post-add.log" >&2
            die "publish sample $i failed (newsdesk post add, or the poller)"
        }
    printf '%s\n' "$line" >>"$RAW/publish-samples.txt"
    for kv in $line; do
        k=${kv%%=*} v=${kv#*=}
        case $k in
        add_us) ADD_MS+=("$(fmt_ms "$v")") ;;
        polls) polls=$v ;;
        *)
            if [[ $v == timeout ]]; then
                n=${TIMEOUTS[$k]}
                TIMEOUTS[$k]=$((n + 1))
                log "publish sample $i: not visible on $k after $((PUBLISH_TIMEOUT_US / 1000)) ms"
            else
                DELAYS[$k]+="$(fmt_ms "$v") "
            fi
            ;;
        esac
    done
    # for scale: one curl of / under the same load, the least a curl-based poller would add
    c0=${EPOCHREALTIME/./}
    curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$ND_PORT/" || true
    CURL_MS+=("$(fmt_ms $((${EPOCHREALTIME/./} - c0)))")
    POLLS+=("$polls")
done
stop_pid "$WRK_PID" INT
WRK_PID=""
ROUND=""
PUB_LOAD_RPS=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$RAW/publish-load-newsdesk.txt")
log "publish to visible done (background load: ${PUB_LOAD_RPS:-?} req/s)"

# ---------------------------------------------------------------------------------------------
# 7b. A photo uploaded over HTTP: from the POST to every rendition made (the GET of the social
# rendition, made last, waits for the work), with the server's CPU and resident memory

# the value of the form field csrf in the page $1
csrf_in() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }

upload_photo() {
    local jar=$TMP/cookies.txt origin="http://127.0.0.1:$ND_PORT" token url t0 t1 t2 c0 c1
    printf '%s\n' "bench-photo-password-1" | "$NEWSDESK" user add --db "$DB" \
        --email photo@bench.invalid --name "Photo Desk" --role editor >>"$RAW/media.log" 2>&1 ||
        die "newsdesk user add failed (log: $RAW/media.log)"
    curl -sS --max-time 10 -c "$jar" -o "$TMP/login.html" "$origin/admin/login/"
    token=$(csrf_in "$TMP/login.html")
    curl -sS --max-time 10 -b "$jar" -c "$jar" -o /dev/null -H "Origin: $origin" \
        --data-urlencode "csrf=$token" --data-urlencode "email=photo@bench.invalid" \
        --data-urlencode "password=bench-photo-password-1" "$origin/admin/login/"
    curl -sS --max-time 10 -b "$jar" -o "$TMP/admin.html" "$origin/admin/"
    token=$(csrf_in "$TMP/admin.html")
    [[ -n $token ]] || die "could not sign in to the newsroom for the upload"
    # other bytes than the library's photo (a byte after the image's end): a new upload
    cp "$TMP/photo.jpg" "$TMP/upload.jpg" && printf 'x' >>"$TMP/upload.jpg"
    RSS0_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ND_PID/status")
    echo 5 >"/proc/$ND_PID/clear_refs" # VmHWM from here
    c0=$(cpu_ticks "$ND_PID")
    t0=${EPOCHREALTIME/./}
    curl -sS --max-time 60 -b "$jar" -o "$TMP/upload.json" -H "Origin: $origin" \
        -H "Accept: application/json" -F "csrf=$token" -F "alt=A benchmark upload" \
        -F "file=@$TMP/upload.jpg;type=image/jpeg" "$origin/admin/media/"
    t1=${EPOCHREALTIME/./}
    url=$(sed -n 's/.*"url": *"\(\/content\/images\/[^"]*\)".*/\1/p' "$TMP/upload.json")
    [[ -n $url ]] || die "the upload failed: $(head -c 300 "$TMP/upload.json")"
    [[ $(fetch "$ND_PORT" "/content/images/size/w1200/${url#/content/images/}" /dev/null) == 200 ]] ||
        die "the social rendition of the upload ($url) did not come"
    t2=${EPOCHREALTIME/./}
    c1=$(cpu_ticks "$ND_PID")
    UPLOAD_POST_S=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.2f", d / 1e6 }')
    UPLOAD_ALL_S=$(awk -v d=$((t2 - t0)) 'BEGIN { printf "%.2f", d / 1e6 }')
    UPLOAD_CPU_S=$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
    UPLOAD_PEAK_MB=$(awk -v h="$(awk '/^VmHWM:/ { print $2 }' "/proc/$ND_PID/status")" \
        -v r="$RSS0_KB" 'BEGIN { printf "%.0f", (h - r) / 1024 }')
    nap_ms 999 # the worker trims its heap after the photo; then memory is measured again
    UPLOAD_AFTER_MB=$(awk -v a="$(awk '/^VmRSS:/ { print $2 }' "/proc/$ND_PID/status")" \
        -v r="$RSS0_KB" 'BEGIN { printf "%.0f", (a - r) / 1024 }')
    log "upload over HTTP: answered in $UPLOAD_POST_S s, every rendition in $UPLOAD_ALL_S s;" \
        "server CPU $UPLOAD_CPU_S s, peak +$UPLOAD_PEAK_MB MB, after +$UPLOAD_AFTER_MB MB"
}
upload_photo

# ---------------------------------------------------------------------------------------------
# 8. The table



MAX_LOAD=$(cut -f10 "$TMP/results.tsv" | sort -g | tail -n 1)

TABLE=$TMP/table.md
{
    echo "| measurement | server | req/s | p50 ms | p99 ms | CPU µs/req | req/s ÷ nginx | CPU ÷ nginx | errors | notes |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r id label conns <<<"$row"
        read -r n_rps n_p50 n_p99 n_cpu n_err n_runs n_load _ <<<"$(summarise "$id" nginx)"
        read -r d_rps d_p50 d_p99 d_cpu d_err d_runs d_load _ <<<"$(summarise "$id" newsdesk)"
        rr=$(awk -v a="$d_rps" -v b="$n_rps" 'BEGIN { printf "%.2f×", a / b }')
        cr=$(awk -v a="$d_cpu" -v b="$n_cpu" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }')
        printf '| %s, %s conns | newsdesk | %.0f | %s | %s | %.1f | %s | %s | %d | median of %d runs%s |\n' \
            "$label" "$conns" "$d_rps" "$(fmt_ms "$d_p50")" "$(fmt_ms "$d_p99")" "$d_cpu" "$rr" "$cr" "$d_err" "$d_runs" "$(load_note "$d_load")"
        printf '| %s, %s conns | nginx | %.0f | %s | %s | %.1f | 1.00× | 1.00× | %d | median of %d runs%s |\n' \
            "$label" "$conns" "$n_rps" "$(fmt_ms "$n_p50")" "$(fmt_ms "$n_p99")" "$n_cpu" "$n_err" "$n_runs" "$(load_note "$n_load")"
    done
    for s in "${SKIPPED[@]}"; do
        printf '| `%s` | — | — | — | — | — | — | — | — | %s |\n' "${s%%|*}" "${s#*|}"
    done
    for row in "${MISS_ROWS[@]}"; do
        IFS='|' read -r id server label note <<<"$row"
        read -r d_rps d_p50 d_p99 d_cpu d_err _ d_load xh xm xu <<<"$(summarise "$id" "$server")"
        printf '| %s, %s conns | newsdesk | %.0f | %s | %s | %.1f | — | — | %d | %s; %s%s |\n' \
            "$label" "$CONNS" "$d_rps" "$(fmt_ms "$d_p50")" "$(fmt_ms "$d_p99")" "$d_cpu" "$d_err" "$note" \
            "$(xcache_note "$xh" "$xm" "$xu")" "$(load_note "$d_load")"
    done
    for p in "${VISIBLE_PATHS[@]}"; do
        read -r -a ds <<<"${DELAYS[$p]}"
        if ((${#ds[@]})); then
            printf '| publish → visible on `%s` | newsdesk | — | %s | %s | — | — | — | %d timeouts | %d samples under %s-conn load on `/` (%s req/s), from `post add` exiting to the slug in a response on an open keep-alive connection; max %s ms; %s polls per sample (median, all pages); `post add` itself %s ms, one curl of `/` %s ms (medians) |\n' \
                "$p" "$(pct 50 "${ds[@]}")" "$(pct 99 "${ds[@]}")" "${TIMEOUTS[$p]}" "$PUBLISH_SAMPLES" "$CONNS" \
                "$(printf '%.0f' "${PUB_LOAD_RPS:-0}")" "$(pct 100 "${ds[@]}")" "$(median "${POLLS[@]}")" \
                "$(median "${ADD_MS[@]}")" "$(median "${CURL_MS[@]}")"
        else
            printf '| publish → visible on `%s` | newsdesk | — | — | — | — | — | — | %d timeouts | never visible within 2 s |\n' "$p" "${TIMEOUTS[$p]}"
        fi
    done
    printf '| start-up: exec → first 200 on `/` | newsdesk | — | — | — | — | — | — | — | **%s ms** (median of 3 starts: %s ms) |\n' \
        "$STARTUP_MS" "${STARTS[*]}"
    printf '| resident memory (VmRSS) | newsdesk | — | — | — | — | — | — | — | **%.1f MB** after warm-up; %.1f MB after all the runs, peak %.1f MB (nginx master + workers: %.1f MB) |\n' \
        "$(awk -v k="$RSS_WARM_KB" 'BEGIN { print k / 1024 }')" "$(awk -v k="$RSS_END_KB" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$HWM_KB" 'BEGIN { print k / 1024 }')" "$(awk -v k="$NGX_RSS_KB" 'BEGIN { print k / 1024 }')"
    printf '| photo upload over HTTP (24 MP JPEG) → every rendition made | newsdesk | — | — | — | — | — | — | — | **%s s** (the POST answered in %s s); server CPU %s s; peak resident +%s MB over %s MB, +%s MB a second after |\n' \
        "$UPLOAD_ALL_S" "$UPLOAD_POST_S" "$UPLOAD_CPU_S" "$UPLOAD_PEAK_MB" "$((RSS0_KB / 1024))" "$UPLOAD_AFTER_MB"
    printf '| import (`newsdesk demo`) | newsdesk | — | — | — | — | — | — | — | **%s posts/s** (%s posts in %s s; database %s MB) |\n' \
        "$IMPORT_RATE" "$POSTS" "$IMPORT_S" "$DB_MB"
    printf '| import (`newsdesk import wordpress`) | newsdesk | — | — | — | — | — | — | — | **%s s** for a %s-post WXR export (%s MB, tools/bench/wxr_gen.c) into an empty database; CPU %s s; peak memory %s MB |\n' \
        "$WXR_S" "$WXR_POSTS" "$WXR_MB" "$WXR_CPU_S" "${WXR_PEAK_MB:-?}"
} >"$TABLE"

# ---------------------------------------------------------------------------------------------
# 8b. Photos: the media engine on a 24 MP JPEG (tools/bench/photo.sh prints its section)

log "photos: original and renditions of a 24 MP JPEG"
tools/bench/photo.sh >"$TMP/photos.md" || die "tools/bench/photo.sh failed"

# ---------------------------------------------------------------------------------------------
# 8c. Import: a generated 100,000-post Ghost export (tools/bench/import.sh prints its section)

log "import: a generated Ghost export of ${IMPORT_POSTS:-100000} posts"
tools/bench/import.sh >"$TMP/import.md" || die "tools/bench/import.sh failed"

# ---------------------------------------------------------------------------------------------
# 8d. Live updates: 10,000 open /live/ streams (tools/bench/live.sh prints its section)

log "live updates: ${LIVE_CLIENTS:-10000} open streams on /live/, publishes and / under load"
tools/bench/live.sh >"$TMP/live.md" || die "tools/bench/live.sh failed"

# ---------------------------------------------------------------------------------------------
# 8e. PostgreSQL against SQLite, same machine (tools/bench/pg.sh prints its section)

log "PostgreSQL against SQLite: ${PG_BENCH_POSTS:-20000} demo posts in each, cached pages, misses, publishes, imports"
tools/bench/pg.sh >"$TMP/pg.md" || die "tools/bench/pg.sh failed"

# ---------------------------------------------------------------------------------------------
# 9. docs/benchmarks.md

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gb=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
wrk_version=$(wrk -v 2>&1 | head -n 1 | sed 's/ Copyright.*//' || true)
nginx_version=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
busy_note=""
if awk -v l="$MAX_LOAD" -v w="$LOAD_WARN" -v b="$IDLE_BUSY" 'BEGIN { exit !(l >= w || b >= w) }'; then
    busy_note="**Warning: the machine was not quiet.** Other processes used ${IDLE_BUSY}% of the CPUs in the second before the run and up to ${MAX_LOAD}% during a measured run (rows marked \"other load\"), so these numbers are lower and noisier than they should be; run again on a quiet machine."
    if [[ -s $TMP/others.txt ]]; then
        busy_note+=" Processes seen using CPU during those runs: $(tr ',' '\n' <"$TMP/others.txt" | sed -n 's/^ *\([^ ]*\) (.*/\1/p' | sort | uniq -c | sort -rn | head -n 5 | awk '{ printf "%s%s (in %d runs)", (NR > 1 ? ", " : ""), $2, $1 }'); the rest came from short-lived processes."
    else
        busy_note+=" It came from short-lived processes (none that outlived a run used 1% of a CPU), such as a build's compiler runs."
    fi
    log "warning: other processes used up to ${MAX_LOAD}% of the CPUs during the runs; results are suspect"
fi
rss_note=""
((${#SKIPPED[@]})) && rss_note=" \`/rss/\` answered 404 on this commit, so it has no row."

mkdir -p "$(dirname "$OUT_MD")"
# the section `make bench-million` writes (tools/bench/million.sh) stays, last
MILLION_MD=$(awk '/^## A million posts/ { f = 1 } f' "$OUT_MD" 2>/dev/null || true)
{
    echo "# Benchmarks"
    echo
    echo "Generated by \`make bench\` (\`tools/bench.sh\`); every run overwrites this file."
    echo
    echo "- **date**: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- **commit**: $commit at the start of the run; \`build/newsdesk\` built $NEWSDESK_BUILT, sha256 $NEWSDESK_SHA…"
    echo "- **machine**: $NPROC cores, ${cpu_model:-unknown CPU}, $mem_gb GB RAM, Linux $(uname -r)"
    echo "- **tools**: $wrk_version; $nginx_version"
    echo "- **parameters**: $POSTS demo posts (\`--until $UNTIL\`); newsdesk \`--threads $NPROC --access-log off\`," \
        "nginx \`worker_processes $NPROC\` with sendfile, tcp_nopush, no access log;" \
        "\`wrk -t$WRK_THREADS --timeout 2s\`, $CONNS connections (and $CONNS_MANY on \`/\`)," \
        "$ROUNDS rounds of $SECONDS_PER_RUN s per server and URL, alternating newsdesk, nginx;" \
        "a ${WARM_SECONDS} s unrecorded warm-up per URL and server; $PUBLISH_SAMPLES publish samples"
    echo
    if [[ -n $busy_note ]]; then
        echo "$busy_note"
        echo
    fi
    echo "## How to read this"
    echo
    echo "- Both servers send the same bytes for each URL (checked before measuring): nginx serves" \
        "copies of Newsdesk's responses from disk, so its rows are this machine's ceiling for" \
        "static bytes. wrk shares the cores with the server, so compare ratios, not absolutes:" \
        "**req/s ÷ nginx** above 1 means Newsdesk answers more requests; **CPU ÷ nginx** below 1" \
        "means it spends less server CPU per request (utime + stime of the server's processes" \
        "from /proc over the run, divided by the requests; wrk's own CPU is not in it)."
    echo "- req/s, p50, p99 (wrk's latency histogram) and CPU are medians over the rounds; errors" \
        "are their total (socket errors, timeouts, non-2xx answers). **other load** marks runs" \
        "during which other processes used ${LOAD_WARN}% or more of the machine's CPUs."
    echo "- The miss rows cycle through deep list pages (200 to 2000, or the second half of a" \
        "shorter list) on a second Newsdesk, same database, whose response cache (4 MB) is far" \
        "smaller than the cycle, so every request renders its page and stores it, evicting" \
        "another: the whole cost of a miss. (The main server's 128 MB cache would hold the" \
        "cycle and answer from memory after one pass.) Their notes give the share of answers" \
        "Newsdesk's X-Cache header marked MISS: what the row really measured. The fixed deep" \
        "page rows, on the main server, are cache hits once a cache exists."
    echo "- Publish → visible: from \`newsdesk post add\` exiting (the post is committed) until" \
        "a response on an already open keep-alive connection shows the new slug" \
        "(\`tools/bench/visible.c\`, while wrk loads \`/\`), so it includes one request's time" \
        "under that load. A curl poller would add a process start-up to every sample; the row" \
        "notes what one curl takes under the same load."
    echo "- Targets (DESIGN.md, performance): a cached page at least nginx's req/s, p99 under 5 ms" \
        "at 64 connections; a miss in thousands of req/s; publish → visible on the feed under" \
        "10 ms; with 100,000 posts, start in under 0.5 s and under 64 MB resident (the memory" \
        "row's first figure).$rss_note"
    echo "- The photo row: a 960 px WebP rendition of the 24 MP photo of \"Photos\" below," \
        "stored by \`newsdesk media add\` and answered from the response cache, against nginx" \
        "sending the same bytes from a file. The first request of each is not measured (the" \
        "warm-up), so the row is a cached binary's cost, not a rendition's making."
    echo "- The WordPress import row: \`build/wxr-gen\` (tools/bench/wxr_gen.c) writes a WXR export of" \
        "10,000 posts (\`BENCH_WXR_POSTS\`) in the shape of the real WordPress 6.1.9 export in the" \
        "import fixtures (the same header and element order, CDATA, 14 authors, 5 categories, 30 tags" \
        "listed twice, classic and block-editor bodies, [caption] shortcodes, drafts, scheduled and" \
        "sticky posts, comments, a featured-image attachment every 100 posts, no uploads folder), and" \
        "\`newsdesk import wordpress --stats\` imports it into an empty database: wall-clock seconds," \
        "the command's CPU seconds (utime + stime from /proc), and the peak resident memory it reports" \
        "(getrusage's ru_maxrss). Goal: under 5 s."
    echo "- Import: \`newsdesk import ghost\` of a generated Ghost export (\"Import\" below) into" \
        "an empty database, wall time from start to exit and the process's own CPU and peak" \
        "resident memory (\`--stats\`, getrusage). Target (issue 14): 100,000 posts in under" \
        "20 s, and memory that does not grow with the file (IMPORT_MEMORY_POSTS adds a larger run)."
    echo "- Raw wrk output of the last run: \`build/bench/\`."
    echo
    echo "## Results"
    echo
    cat "$TABLE"
    echo
    cat "$TMP/photos.md"
    echo
    cat "$TMP/import.md"
    echo
    cat "$TMP/live.md"
    echo
    cat "$TMP/pg.md"
    if [[ -n $MILLION_MD ]]; then
        echo
        printf '%s\n' "$MILLION_MD"
    fi
} >"$OUT_MD"

echo
cat "$TABLE"
echo
log "written to ${OUT_MD#"$ROOT"/}; raw wrk output in ${RAW#"$ROOT"/}/"
