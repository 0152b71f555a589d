#!/usr/bin/env bash
# The PostgreSQL figures of `make bench` (tools/bench.sh calls this; it also runs alone, after
# `make build/newsdesk build/ghost-export-gen`): what a PostgreSQL database costs against an
# SQLite file on the same machine, in the same run. The same demo data goes into an SQLite
# file and into a throwaway PostgreSQL cluster (tools/pg-cluster.sh), and the two backends
# take turns, round by round:
#
#   - cached pages: `/` and an article, warmed, on a server with the default cache; the cache
#     does not care where the data lives, so the two must be equal within noise;
#   - cache misses: deep list pages in a cycle that a 4 MB cache cannot keep (the way
#     tools/bench.sh measures misses, tools/bench/miss.lua), with the CPU the database's own
#     processes spend per request;
#   - publish → visible: `newsdesk post add` until `/` shows the post on an open connection
#     (tools/bench/visible.c), while wrk loads `/`;
#   - import: a generated Ghost export (build/ghost-export-gen) into a fresh SQLite file and
#     a fresh PostgreSQL database, and `newsdesk demo` into each, in posts a second.
#
# After the demo, PostgreSQL's tables are vacuumed and analysed (VACUUM (ANALYZE)), the state
# autovacuum reaches on its own a minute or so after a bulk load; without it, whether a run
# measured a database with statistics and a visibility map would depend on when autovacuum
# woke. Then, outside the timed runs, PostgreSQL is restarted with
# pg_stat_statements and counts the statements one page miss and one publish send it (the
# round trips a database on another machine would add), and the connections one server
# holds. Prints a Markdown section, "## PostgreSQL against SQLite", to stdout; progress goes
# to stderr; the raw wrk outputs and the most frequent statements are kept in
# build/bench/pg/. About 6 minutes on 2 cores with the defaults.
#
# The cluster keeps PostgreSQL's defaults for durability (fsync, synchronous_commit and
# full_page_writes on, which tools/pg-cluster.sh turns off for the tests), as Newsdesk's
# SQLite writer commits with synchronous=FULL: both wait for the disk at every COMMIT.
#
# Environment: PG_BENCH_POSTS=20000 (demo posts in each database), PG_BENCH_IMPORT_POSTS=5000
# (posts of the Ghost export), PG_BENCH_SECONDS=5 (each wrk run), PG_BENCH_ROUNDS=3 (A/B
# rounds, at least 2), PG_BENCH_PUBLISH_SAMPLES=30 (per backend), TMPDIR, CC, PGBIN.
#
# Only 127.0.0.1 and a Unix socket in the temporary directory are used; every load run is
# bounded in time; only processes this script started are stopped, by PID (the cluster by
# tools/pg-cluster.sh stop, which reads its postmaster's PID); the temporary directory is
# removed on exit and on Ctrl-C.
# shellcheck disable=SC2016 # backquotes in strings are Markdown, not expansions
set -euo pipefail
export LC_ALL=C # '.' as the decimal separator in $EPOCHREALTIME, printf and awk

cd "$(dirname "$0")/../.."
ROOT=$PWD
BENCH_DIR=$ROOT/tools/bench
POSTS=${PG_BENCH_POSTS:-20000}
IMPORT_POSTS=${PG_BENCH_IMPORT_POSTS:-5000}
SECS=${PG_BENCH_SECONDS:-5}
ROUNDS=${PG_BENCH_ROUNDS:-3}
SAMPLES=${PG_BENCH_PUBLISH_SAMPLES:-30}
CONNS=64
WRK_THREADS=2                      # as tools/bench.sh (see WRK_THREADS there)
UNTIL=2026-11-20T12:00:00Z         # newest demo post, as tools/bench.sh
SITE_URL=http://bench.invalid      # the same links from both servers, whatever their ports
PUBLISH_TIMEOUT_MS=2000            # a publish sample gives up after 2 s
START_TIMEOUT_S=10                 # a server that does not answer 200 by then failed to start
COUNT_PAGES=50                     # distinct deep pages in the statement count
COUNT_PUBLISHES=5                  # publishes in the statement count
LOAD_WARN=10                       # % of the CPUs used by other processes that marks a run

log() { printf 'pg: %s\n' "$*" >&2; }
die() {
    printf 'pg.sh: %s\n' "$*" >&2
    exit 1
}
# running, stop_pid, free_port
. tools/bench/lib.sh

for v in POSTS IMPORT_POSTS SECS ROUNDS SAMPLES; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive whole number (got '${!v}')"
done
((ROUNDS >= 2)) || die "PG_BENCH_ROUNDS must be at least 2"
for c in wrk curl psql pgrep getconf setsid "${CC:-cc}"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found (tools/bootstrap.sh bench; psql: the PostgreSQL client)"
done
[[ -x build/newsdesk && -x build/ghost-export-gen ]] ||
    die "build build/newsdesk and build/ghost-export-gen first (make build/newsdesk build/ghost-export-gen)"

NPROC=$(nproc)
CLK_TCK=$(getconf CLK_TCK)
RAW=$ROOT/build/bench/pg
rm -rf "$RAW"
mkdir -p "$RAW"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-pg.XXXXXX")
# the cluster's owner is another user when this runs as root (tools/pg-cluster.sh): it must
# reach $TMP/pg
chmod 0711 "$TMP"
PGDIR=$TMP/pg
PG_STARTED=""
WRK_PID=""
ROUND=0
declare -A PID PORT DB
PID=([sqlite]="" [pg]="")

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e # clean up as much as possible, whatever fails
    stop_pid "$WRK_PID" INT
    stop_pid "${PID[sqlite]}" TERM
    stop_pid "${PID[pg]}" TERM
    [[ -z $PG_STARTED ]] || tools/pg-cluster.sh stop "$PGDIR" >&2
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# What is measured: a copy of the binary, so that a rebuild while this runs cannot mix two
# versions in one run.
cp build/newsdesk "$TMP/newsdesk"
ND=$TMP/newsdesk
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$TMP/visible" "$BENCH_DIR/visible.c" ||
    die "could not compile $BENCH_DIR/visible.c"

until_s=$(date -u -d "$UNTIL" +%s)
if (($(date -u +%s) <= until_s + 60)); then
    UNTIL=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ) # a published post must be the newest
    log "the clock is before the fixed demo date; using --until $UNTIL"
fi

# ---------------------------------------------------------------------------------------------
# Small helpers

# A ÷ B as "1.23×"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }'; }


# CPU ticks PostgreSQL has used so far: the postmaster's own and its finished children's
# (a backend that exits is reaped by the postmaster: its time moves into cutime and cstime),
# plus those of its children now running.
pg_ticks() {
    local s f master kids
    master=$(head -n 1 "$PGDIR/data/postmaster.pid")
    read -r s <"/proc/$master/stat" || {
        echo 0
        return
    }
    s=${s##*) }
    read -r -a f <<<"$s"
    kids=$(pgrep -P "$master" | tr '\n' ' ' || true)
    # shellcheck disable=SC2086
    echo $((f[11] + f[12] + f[13] + f[14] + $(cpu_ticks $kids)))
}
db_ticks() { if [[ $1 == pg ]]; then pg_ticks; else echo 0; fi; }


# The PostgreSQL URL of another database in the same cluster
pg_url_of() {
    local base=${PG_URL%%\?*} query=${PG_URL#*\?}
    echo "${base%/*}/$1?$query"
}
restart_cluster() {
    tools/pg-cluster.sh pause "$PGDIR" || die "could not stop the cluster to restart it with $1"
    tools/pg-cluster.sh resume "$PGDIR" || die "could not restart the cluster with $1"
}
pg_sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# launch BACKEND [SERVE-OPTION...]: starts `newsdesk serve` on BACKEND's database with
# $THREADS worker threads, waits for its first 200 on / (setsid: Ctrl-C reaches this
# script, whose trap stops it by PID)
THREADS=$NPROC
launch() {
    local be=$1 port i
    shift
    port=$(free_port)
    setsid "$ND" serve --db "${DB[$be]}" --listen "127.0.0.1:$port" --threads "$THREADS" \
        --access-log off --site-url "$SITE_URL" "$@" >>"$TMP/serve-$be.log" 2>&1 &
    PID[$be]=$!
    PORT[$be]=$port
    for ((i = 0; ; i++)); do
        curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && break
        check_alive "$be"
        ((i < START_TIMEOUT_S * 50)) || die "newsdesk serve ($be) did not answer within $START_TIMEOUT_S s"
        sleep 0.02
    done
}
check_alive() {
    running "${PID[$1]}" && return 0
    tail -n 20 "$TMP/serve-$1.log" >&2
    die "newsdesk serve ($1, PID ${PID[$1]}) stopped unexpectedly"
}
stop_servers() {
    local be
    for be in sqlite pg; do
        stop_pid "${PID[$be]}" TERM
        PID[$be]=""
    done
}

# run_wrk ID BACKEND PATH [SCRIPT [SCRIPT-ARGS...]]: one measured run; appends to
# $TMP/results.tsv:
#   id backend rps p50_us p99_us server_cpu_us_per_req db_cpu_us_per_req errors
#   other_load_percent hits misses unmarked
# other_load_percent: the share of all CPUs used by anything but the server, the database
# and wrk (other jobs, a neighbour's steal).
run_wrk() {
    local id=$1 be=$2 path=$3 script=${4:-$BENCH_DIR/report.lua}
    shift 3
    shift || true
    local raw=$RAW/wrk-${id//\//_}-$be-r$ROUND.txt s0 s1 d0 d1 m0 m1 c0 c1 w0 w1 out stat
    check_alive "$be"
    w0=${EPOCHREALTIME/./} m0=$(machine_busy_ticks) c0=$(children_ticks)
    s0=$(cpu_ticks "${PID[$be]}") d0=$(db_ticks "$be")
    out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --timeout 2s --latency -s "$script" \
        "http://127.0.0.1:${PORT[$be]}$path" ${1+-- "$@"} 2>&1) || {
        printf '%s\n' "$out" >&2
        die "wrk failed against $be $path"
    }
    s1=$(cpu_ticks "${PID[$be]}") d1=$(db_ticks "$be")
    c1=$(children_ticks) m1=$(machine_busy_ticks) w1=${EPOCHREALTIME/./}
    printf '%s\n' "$out" >"$raw"
    stat=$(grep '^BENCHSTAT ' <<<"$out" | tail -n 1) || die "no BENCHSTAT line from wrk: see $raw"
    stat+=" $(grep '^BENCHCACHE ' <<<"$out" | tail -n 1 | cut -d' ' -f2- || true)"
    awk -v id="$id" -v be="$be" -v st=$((s1 - s0)) -v dt=$((d1 - d0)) -v hz="$CLK_TCK" \
        -v other=$((m1 - m0 - (s1 - s0) - (d1 - d0) - (c1 - c0))) -v us=$((w1 - w0)) \
        -v ncpu="$NPROC" '
        { for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] } }
        END {
            req = s["requests"]; if (req < 1) req = 1
            err = s["connect"] + s["read"] + s["write"] + s["timeout"] + s["status"]
            load = other * 1e6 / hz / (us * ncpu) * 100; if (load < 0) load = 0
            if ("hits" in s) xc = s["hits"] "\t" s["misses"] "\t" s["unmarked"]
            else xc = "-\t-\t-"
            printf "%s\t%s\t%.1f\t%d\t%d\t%.1f\t%.1f\t%d\t%.1f\t%s\n", id, be,
                s["requests"] * 1e6 / s["duration_us"], s["p50_us"], s["p99_us"],
                st * 1e6 / hz / req, dt * 1e6 / hz / req, err, load, xc
        }' <<<"$stat" >>"$TMP/results.tsv"
    tail -n 1 "$TMP/results.tsv" | awk -F'\t' '{ printf "pg:   %-6s %-28s %9.0f req/s  p50 %.2f ms  p99 %.2f ms  CPU %.1f + %.1f us/req  errors %d  other load %.0f%%\n",
        $2, $1, $3, $4 / 1000, $5 / 1000, $6, $7, $8, $9 }' >&2
}

# Medians over the rounds of one (id, backend), the lowest and highest req/s, and totals of
# errors and X-Cache counts:
#   "rps p50 p99 server_cpu db_cpu errors runs load rps_min rps_max hits misses unmarked"
summarise() {
    local rps=() p50=() p99=() sc=() dc=() load=() err=0 n=0 xh=0 xm=0 xu=0
    local i b r a p s d e l h m u
    while IFS=$'\t' read -r i b r a p s d e l h m u; do
        [[ $i == "$1" && $b == "$2" ]] || continue
        rps+=("$r") p50+=("$a") p99+=("$p") sc+=("$s") dc+=("$d") load+=("$l")
        err=$((err + e)) n=$((n + 1))
        if [[ $h != - ]]; then xh=$((xh + h)) xm=$((xm + m)) xu=$((xu + u)); fi
    done <"$TMP/results.tsv"
    ((n > 0)) || die "no runs of $1 on $2"
    echo "$(median "${rps[@]}") $(median "${p50[@]}") $(median "${p99[@]}") $(median "${sc[@]}")" \
        "$(median "${dc[@]}") $err $n $(median "${load[@]}") $(pct 0 "${rps[@]}") $(pct 100 "${rps[@]}")" \
        "$xh $xm $xu"
}

# The last page of a list on BACKEND's server: binary search on the status of PREFIX N/
last_page() {
    local be=$1 prefix=$2 lo=2 hi=$((POSTS / 2 + 2)) mid
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$be]}${prefix}2/") == 200 ]] || {
        echo 1
        return
    }
    while ((lo < hi)); do
        mid=$(((lo + hi + 1) / 2))
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$be]}$prefix$mid/") == 200 ]]; then
            lo=$mid
        else
            hi=$((mid - 1))
        fi
    done
    echo "$lo"
}

# ---------------------------------------------------------------------------------------------
# 1. The cluster, with PostgreSQL's durability defaults back on

log "starting a PostgreSQL cluster (tools/pg-cluster.sh) in $PGDIR"
PG_STARTED=1
PG_URL=$(tools/pg-cluster.sh start "$PGDIR") || die "tools/pg-cluster.sh start failed"
[[ ${PG_URL%%\?*} == */newsdesk ]] || die "unexpected URL from tools/pg-cluster.sh: $PG_URL"
# later lines win over tools/pg-cluster.sh's fsync = off and the rest
printf '%s\n' "fsync = on" "synchronous_commit = on" "full_page_writes = on" >>"$PGDIR/data/postgresql.conf"
restart_cluster "fsync on"
[[ $(pg_sql "$PG_URL" 'SHOW fsync') == on && $(pg_sql "$PG_URL" 'SHOW synchronous_commit') == on ]] ||
    die "fsync or synchronous_commit is not on after the restart"
PG_VERSION=$(pg_sql "$PG_URL" 'SHOW server_version' | cut -d' ' -f1)
PG_BUFFERS=$(pg_sql "$PG_URL" 'SHOW shared_buffers')
log "PostgreSQL $PG_VERSION: $PG_URL"
DB[sqlite]=$TMP/site.db
DB[pg]=$PG_URL

# ---------------------------------------------------------------------------------------------
# 2. Import: the Ghost export into fresh databases (A/B rounds), then the demo data

declare -A IMPORT_RATES DEMO_RATE DB_MB
log "generating a Ghost export of $IMPORT_POSTS posts (build/ghost-export-gen)"
build/ghost-export-gen "$IMPORT_POSTS" >"$TMP/export.json" || die "build/ghost-export-gen failed"
EXPORT_MB=$(awk -v b="$(stat -c %s "$TMP/export.json")" 'BEGIN { printf "%.1f", b / 1048576 }')

# import_once BACKEND ROUND: sets RATE (posts a second) and CPU_S (the command's CPU)
import_once() {
    local be=$1 r=$2 db t0 t1 cpu made
    if [[ $be == sqlite ]]; then
        db=$TMP/import-$r.db
    else
        pg_sql "$PG_URL" "CREATE DATABASE bench_import_$r" >/dev/null
        db=$(pg_url_of "bench_import_$r")
    fi
    "$ND" init --db "$db" >/dev/null 2>"$TMP/init.log" || {
        cat "$TMP/init.log" >&2
        die "newsdesk init --db $db failed"
    }
    t0=${EPOCHREALTIME/./}
    "$ND" import ghost "$TMP/export.json" --stats --db "$db" >"$TMP/import.txt" 2>"$TMP/import.err" || {
        tail -n 20 "$TMP/import.err" "$TMP/import.txt" >&2
        die "newsdesk import ghost into $be failed"
    }
    t1=${EPOCHREALTIME/./}
    made=$(awk '$1 == "posts" { print $2 }' "$TMP/import.txt")
    [[ $made == "$IMPORT_POSTS" ]] || die "the import into $be created ${made:-no} posts of $IMPORT_POSTS"
    cpu=$(sed -n 's/^Peak memory.* CPU: \([0-9.]*\) s user, \([0-9.]*\) s system.*/\1 \2/p' \
        "$TMP/import.txt" | awk '{ printf "%.1f", $1 + $2 }')
    if [[ $be == sqlite ]]; then rm -f "$db" "$db"-*; else pg_sql "$PG_URL" "DROP DATABASE bench_import_$r" >/dev/null; fi
    RATE=$(awk -v n="$IMPORT_POSTS" -v d=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1e6 / d }')
    CPU_S=$cpu
}
declare -A IMPORT_CPU
for ((r = 1; r <= ROUNDS; r++)); do
    for be in sqlite pg; do
        import_once "$be" "$r"
        IMPORT_RATES[$be]+="$RATE "
        IMPORT_CPU[$be]+="$CPU_S "
        log "import ghost, round $r, $be: $RATE posts/s (the command's CPU $CPU_S s)"
    done
done

for be in sqlite pg; do
    log "newsdesk demo: $POSTS posts into $be"
    "$ND" init --db "${DB[$be]}" >/dev/null 2>&1 || die "newsdesk init --db ${DB[$be]} failed"
    t0=${EPOCHREALTIME/./}
    "$ND" demo --db "${DB[$be]}" --posts "$POSTS" --until "$UNTIL" >"$TMP/demo-$be.log" 2>&1 || {
        tail -n 20 "$TMP/demo-$be.log" >&2
        die "newsdesk demo into $be failed"
    }
    t1=${EPOCHREALTIME/./}
    DEMO_RATE[$be]=$(awk -v n="$POSTS" -v d=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1e6 / d }')
    log "  ${DEMO_RATE[$be]} posts/s"
done
log "VACUUM (ANALYZE) on PostgreSQL"
t0=${EPOCHREALTIME/./}
pg_sql "$PG_URL" 'VACUUM (ANALYZE)' >/dev/null
VACUUM_S=$(awk -v d=$((${EPOCHREALTIME/./} - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')
DB_MB[sqlite]=$(du -cb "${DB[sqlite]}"* | awk 'END { printf "%.0f", $1 / 1048576 }')
DB_MB[pg]=$(pg_sql "$PG_URL" 'SELECT pg_database_size(current_database())' |
    awk '{ printf "%.0f", $1 / 1048576 }')

# ---------------------------------------------------------------------------------------------
# 3. Cached pages: both servers with the default cache, warmed, A/B rounds

launch sqlite
launch pg
log "servers: SQLite on 127.0.0.1:${PORT[sqlite]} (PID ${PID[sqlite]}), PostgreSQL on 127.0.0.1:${PORT[pg]} (PID ${PID[pg]})"
curl -s --max-time 10 -o "$TMP/home.html" "http://127.0.0.1:${PORT[sqlite]}/"
ARTICLE=$(sed -n 's/.*class="teaser-title"><a href="\(\/[^"]*\/\)".*/\1/p' "$TMP/home.html" | head -n 1)
[[ -n $ARTICLE ]] || die "no teaser link (class=\"teaser-title\") on /: has the theme changed?"
# The same bytes from both (the change log's sequence in data-live-since aside: the two
# databases have not seen the same number of changes)
for u in / "$ARTICLE" /page/2/; do
    for be in sqlite pg; do
        code=$(curl -s --max-time 10 -o "$TMP/$be.body" -w '%{http_code}' "http://127.0.0.1:${PORT[$be]}$u")
        [[ $code == 200 ]] || die "$be answered $code on $u"
        sed -i 's/ data-live-since="[0-9]*"//' "$TMP/$be.body"
    done
    cmp -s "$TMP/sqlite.body" "$TMP/pg.body" || die "$u: the pages differ between SQLite and PostgreSQL"
done
log "the same pages from both backends; warming up, then $ROUNDS rounds of $SECS s"
CACHED_ROWS=("/|\`/\`" "$ARTICLE|an article")
for row in "${CACHED_ROWS[@]}"; do
    u=${row%%|*}
    for be in sqlite pg; do
        wrk -t"$WRK_THREADS" -c"$CONNS" -d1s "http://127.0.0.1:${PORT[$be]}$u" >/dev/null 2>&1 ||
            die "wrk warm-up failed against $be $u"
    done
done
for row in "${CACHED_ROWS[@]}"; do
    u=${row%%|*}
    for ((r = 1; r <= ROUNDS; r++)); do
        ROUND=$r
        for be in sqlite pg; do run_wrk "cached$u" "$be" "$u"; done
    done
done

# ---------------------------------------------------------------------------------------------
# 4. Publish → visible on /, while wrk loads / (A/B rounds of SAMPLES / ROUNDS samples)

RUN_ID=$(date -u +%Y%m%d%H%M%S)-$$
declare -A DELAYS ADDS TIMEOUTS PUB_RPS
for be in sqlite pg; do DELAYS[$be]="" ADDS[$be]="" TIMEOUTS[$be]=0 PUB_RPS[$be]=""; done
per_round=$(((SAMPLES + ROUNDS - 1) / ROUNDS))
SAMPLES=$((per_round * ROUNDS))
log "publish → visible: $SAMPLES posts on each backend while wrk loads / at $CONNS connections"
for ((r = 1; r <= ROUNDS; r++)); do
    for be in sqlite pg; do
        wrk -t"$WRK_THREADS" -c"$CONNS" -d"$((per_round * 3 + 10))s" --timeout 2s \
            "http://127.0.0.1:${PORT[$be]}/" >"$TMP/publish-load-$be-$r.txt" 2>&1 &
        WRK_PID=$!
        sleep 0.5
        for ((i = 1; i <= per_round; i++)); do
            check_alive "$be"
            running "$WRK_PID" || die "the background wrk stopped early: $(cat "$TMP/publish-load-$be-$r.txt")"
            slug="bench-pg-$RUN_ID-$be-$r-$i"
            printf '%s\n' "---" "title: Bench publish $RUN_ID $be $r $i" "slug: $slug" \
                "tags: [News Feed]" "authors: [news-desk]" \
                "published_at: $(date -u +%Y-%m-%dT%H:%M:%SZ)" "---" \
                "A post written by tools/bench/pg.sh to time publish to visible." >"$TMP/post.md"
            line=$("$TMP/visible" "${PORT[$be]}" "/$slug/" "$PUBLISH_TIMEOUT_MS" / \
                -- "$ND" post add --db "${DB[$be]}" "$TMP/post.md" 2>>"$TMP/post-add.log") || {
                tail -n 5 "$TMP/post-add.log" >&2
                die "publish sample $i on $be failed (newsdesk post add, or the poller)"
            }
            for kv in $line; do
                k=${kv%%=*} v=${kv#*=}
                case $k in
                add_us) ADDS[$be]+="$(fmt_ms "$v") " ;;
                /)
                    if [[ $v == timeout ]]; then
                        TIMEOUTS[$be]=$((TIMEOUTS[$be] + 1))
                        log "publish on $be: not visible after $PUBLISH_TIMEOUT_MS ms"
                    else
                        DELAYS[$be]+="$(fmt_ms "$v") "
                    fi
                    ;;
                esac
            done
        done
        stop_pid "$WRK_PID" INT
        WRK_PID=""
        PUB_RPS[$be]+="$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMP/publish-load-$be-$r.txt") "
        log "  round $r, $be: done"
    done
done
stop_servers

# ---------------------------------------------------------------------------------------------
# 5. Misses: servers with a 4 MB cache, deep list pages in a cycle it cannot keep

launch sqlite --cache-mb 4
launch pg --cache-mb 4
MISS_ROWS=() # "id|label|pages"
for prefix in /page/ /tag/news-feed/page/; do
    last=$(last_page sqlite "$prefix")
    [[ $(last_page pg "$prefix") == "$last" ]] || die "$prefix: the backends have different last pages"
    if ((last < 4)); then
        log "skipping the miss rows for $prefix: only $last page(s)"
        continue
    fi
    lo=$((last >= 400 ? 200 : (last + 1) / 2)) # deep pages, as tools/bench.sh
    hi=$((last < 2000 ? last : 2000))
    id="miss$prefix"
    MISS_ROWS+=("$id|miss: \`${prefix}N/\`, N = $lo..$hi in turn|$((hi - lo + 1))")
    log "misses: ${prefix}N/ for N in $lo..$hi, $ROUNDS rounds of $SECS s"
    for ((r = 1; r <= ROUNDS; r++)); do
        ROUND=$r
        for be in sqlite pg; do
            run_wrk "$id" "$be" "$prefix$lo/" "$BENCH_DIR/miss.lua" "$prefix" "$lo" "$hi" "$WRK_THREADS"
        done
    done
done
stop_servers

# ---------------------------------------------------------------------------------------------
# 6. Statements a miss and a publish send PostgreSQL (pg_stat_statements; not timed)

# save_statements NAME: the most frequent statements since the last reset, for a closer look
save_statements() {
    pg_sql "$PG_URL" "SELECT calls, round(total_exec_time::numeric, 2),
        left(regexp_replace(query, '\\s+', ' ', 'g'), 160)
        FROM pg_stat_statements ORDER BY calls DESC LIMIT 30" >"$RAW/statements-$1.txt" || true
}
count_calls() {
    pg_sql "$PG_URL" "SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0)
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'newsdesk')
        AND query NOT ILIKE '%pg_stat_statements%'" | tr '|' ' '
}
log "counting statements: PostgreSQL restarted with pg_stat_statements"
printf '%s\n' "shared_preload_libraries = 'pg_stat_statements'" "pg_stat_statements.track = top" \
    >>"$PGDIR/data/postgresql.conf"
restart_cluster pg_stat_statements
pg_sql "$PG_URL" 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null

# post add alone, no server running
pg_sql "$PG_URL" 'SELECT pg_stat_statements_reset()' >/dev/null
for ((i = 1; i <= COUNT_PUBLISHES; i++)); do
    printf '%s\n' "---" "title: Bench count $RUN_ID $i" "slug: bench-count-$RUN_ID-$i" \
        "tags: [News Feed]" "authors: [news-desk]" "---" "Counted." >"$TMP/post.md"
    "$ND" post add --db "$PG_URL" "$TMP/post.md" >/dev/null 2>>"$TMP/post-add.log" || die "newsdesk post add failed"
done
read -r ADD_CALLS _ < <(count_calls)
save_statements post-add

# misses: a server without a cache, so that every page is rendered whatever came before
launch pg --cache-mb 0
for u in / /page/2/; do curl -s -o /dev/null "http://127.0.0.1:${PORT[pg]}$u"; done
last=$(last_page pg /page/)
((last >= COUNT_PAGES + 1)) || die "too few pages ($last) to count $COUNT_PAGES misses"
first=$((last - COUNT_PAGES + 1))
sleep 1 # the scheduler's first checks, the listener's catch-up
# what the background threads send on their own, a second: subtracted below
pg_sql "$PG_URL" 'SELECT pg_stat_statements_reset()' >/dev/null
t0=${EPOCHREALTIME/./}
sleep 3
read -r BG_CALLS _ < <(count_calls)
BG_RATE=$(awk -v c="$BG_CALLS" -v d=$((${EPOCHREALTIME/./} - t0)) 'BEGIN { printf "%.2f", c * 1e6 / d }')
save_statements idle
pg_sql "$PG_URL" 'SELECT pg_stat_statements_reset()' >/dev/null
t0=${EPOCHREALTIME/./}
for ((n = first; n <= last; n++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[pg]}/page/$n/") == 200 ]] ||
        die "/page/$n/ did not answer 200"
done
t1=${EPOCHREALTIME/./}
read -r MISS_CALLS MISS_EXEC_MS < <(count_calls)
save_statements miss
COUNT_S=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')
MISS_NET=$(awk -v c="$MISS_CALLS" -v r="$BG_RATE" -v s="$COUNT_S" -v n="$COUNT_PAGES" \
    'BEGIN { printf "%.1f", (c - r * s) / n }')

# publishes: a server with its cache, as in the publish rows
stop_servers
launch pg
curl -s -o /dev/null "http://127.0.0.1:${PORT[pg]}/"
sleep 1

pg_sql "$PG_URL" 'SELECT pg_stat_statements_reset()' >/dev/null
t0=${EPOCHREALTIME/./}
for ((i = 1; i <= COUNT_PUBLISHES; i++)); do
    slug="bench-count-$RUN_ID-v$i"
    printf '%s\n' "---" "title: Bench count $RUN_ID v$i" "slug: $slug" "tags: [News Feed]" \
        "authors: [news-desk]" "published_at: $(date -u +%Y-%m-%dT%H:%M:%SZ)" "---" "Counted." >"$TMP/post.md"
    line=$("$TMP/visible" "${PORT[pg]}" "/$slug/" "$PUBLISH_TIMEOUT_MS" / \
        -- "$ND" post add --db "$PG_URL" "$TMP/post.md" 2>>"$TMP/post-add.log") || die "publish count $i failed"
    [[ $line != *timeout* ]] || die "publish count $i: not visible within $PUBLISH_TIMEOUT_MS ms"
done
t1=${EPOCHREALTIME/./}
read -r PUB_CALLS _ < <(count_calls)
PUB_S=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }')
PUB_NET=$(awk -v c="$PUB_CALLS" -v r="$BG_RATE" -v s="$PUB_S" -v n="$COUNT_PUBLISHES" \
    'BEGIN { printf "%.1f", (c - r * s) / n }')
save_statements publish

# connections: the server above (NPROC threads, every background thread has had its turn by
# now), then one with 4 times as many threads; the difference is a connection per thread
connections() {
    pg_sql "$PG_URL" "SELECT count(*) FROM pg_stat_activity
        WHERE datname = 'newsdesk' AND pid <> pg_backend_pid()"
}
CONN_N=$(connections)
stop_servers
THREADS=$((NPROC * 4))
launch pg
curl -s -o /dev/null "http://127.0.0.1:${PORT[pg]}/page/2/"
sleep 1
CONN_4N=$(connections)
THREADS=$NPROC
stop_servers
CONN_PER_THREAD=$(awk -v a="$CONN_N" -v b="$CONN_4N" -v n="$NPROC" 'BEGIN { printf "%.1f", (b - a) / (3 * n) }')
CONN_FIXED=$(awk -v a="$CONN_N" -v p="$CONN_PER_THREAD" -v n="$NPROC" 'BEGIN { printf "%.0f", a - p * n }')
log "connections: $CONN_N with $NPROC threads, $CONN_4N with $((NPROC * 4))"
log "statements: $ADD_CALLS for $COUNT_PUBLISHES post adds; $MISS_CALLS for $COUNT_PAGES misses; $PUB_CALLS for $COUNT_PUBLISHES publishes seen by a server; $BG_RATE a second from an idle server"

# ---------------------------------------------------------------------------------------------
# 7. The section

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MAX_LOAD=$(cut -f9 "$TMP/results.tsv" | sort -g | tail -n 1)
# the median of a space-separated list, rounded
median_of() {
    local xs
    read -r -a xs <<<"$1"
    printf '%.0f' "$(median "${xs[@]}")"
}
per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "## PostgreSQL against SQLite"
echo
echo "The same $POSTS-post demo database (\`newsdesk demo --until $UNTIL\`) in an SQLite file" \
    "and in PostgreSQL $PG_VERSION on the same machine, reached over a Unix socket" \
    "(tools/pg-cluster.sh; its defaults for durability: fsync, synchronous_commit and" \
    "full_page_writes on, shared_buffers $PG_BUFFERS), measured by \`tools/bench/pg.sh\`." \
    "The two take turns: $ROUNDS rounds of $SECS s per row and backend, \`wrk -t$WRK_THREADS\`," \
    "$CONNS connections, \`newsdesk serve --threads $NPROC\` for each. After the demo," \
    "PostgreSQL's database was vacuumed and analysed (\`VACUUM (ANALYZE)\`, $VACUUM_S s), as" \
    "autovacuum leaves it a minute or so after a bulk load. Machine: $NPROC cores," \
    "${cpu_model:-unknown CPU}; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
    "(other jobs may share it: rows marked **other load** are suspect)."
echo
echo "- req/s, p50, p99 and CPU are medians over the rounds, with the lowest and highest req/s" \
    "in the notes; **÷ SQLite** is PostgreSQL's median over SQLite's. CPU µs/req is the" \
    "server's utime + stime plus, for PostgreSQL, that of its postmaster and backends, over" \
    "the run, divided by the requests (wrk's own CPU is left out)."
echo "- Cached pages come from each server's response cache (128 MB): the database is not" \
    "asked. Misses cycle deep list pages on servers started with \`--cache-mb 4\`, too small" \
    "to keep the cycle, so every request reads the database and renders (the notes give the" \
    "share X-Cache marked MISS)."
echo "- Publish → visible: from \`newsdesk post add\` exiting until a response on an open" \
    "keep-alive connection to \`/\` shows the post (tools/bench/visible.c) while wrk loads" \
    "\`/\`. On SQLite the server learns of the change from the file; on PostgreSQL from" \
    "NOTIFY, then reads the change log."
echo
echo "| measurement | backend | req/s | p50 ms | p99 ms | CPU µs/req (server + database) | ÷ SQLite | errors | notes |"
echo "|---|---|--:|--:|--:|--:|--:|--:|---|"
emit_wrk_row() {
    local id=$1 label=$2 extra=$3 be base
    read -r base _ <<<"$(summarise "$id" sqlite)"
    for be in sqlite pg; do
        read -r rps p50 p99 sc dc err n load lo hi xh xm xu <<<"$(summarise "$id" "$be")"
        local note
        note="median of $n runs ($(printf '%.0f' "$lo")–$(printf '%.0f' "$hi") req/s)$extra"
        if ((xh + xm + xu > 0)); then
            note+="; X-Cache $(awk -v m="$xm" -v t=$((xh + xm + xu)) 'BEGIN { printf "%.1f%%", m * 100 / t }') MISS"
        fi
        printf '| %s | %s | %.0f | %s | %s | %s | %s | %d | %s%s |\n' "$label" \
            "$([[ $be == pg ]] && echo PostgreSQL || echo SQLite)" "$rps" "$(fmt_ms "$p50")" \
            "$(fmt_ms "$p99")" "$(awk -v s="$sc" -v d="$dc" 'BEGIN { if (d > 0) printf "%.1f + %.1f", s, d; else printf "%.1f", s }')" \
            "$(ratio "$rps" "$base")" "$err" "$note" "$(load_note "$load")"
    done
}
for row in "${CACHED_ROWS[@]}"; do
    emit_wrk_row "cached${row%%|*}" "cached: ${row#*|}, $CONNS conns" ""
done
for row in "${MISS_ROWS[@]}"; do
    IFS='|' read -r id label pages <<<"$row"
    emit_wrk_row "$id" "$label, $CONNS conns" "; $pages pages in a cycle"
done
echo
echo "| measurement | SQLite | PostgreSQL | PostgreSQL ÷ SQLite | notes |"
echo "|---|--:|--:|--:|---|"
read -r -a ds <<<"${DELAYS[sqlite]}"
read -r -a dp <<<"${DELAYS[pg]}"
for q in 50 99; do
    a=$(pct "$q" "${ds[@]}") b=$(pct "$q" "${dp[@]}")
    printf '| publish → visible on `/`, p%s | %s ms | %s ms | %s | %d samples each under %d-conn load on `/` (%s and %s req/s, medians); timeouts: %d and %d; max %s and %s ms |\n' \
        "$q" "$a" "$b" "$(ratio "$b" "$a")" "$SAMPLES" "$CONNS" \
        "$(median_of "${PUB_RPS[sqlite]}")" "$(median_of "${PUB_RPS[pg]}")" \
        "${TIMEOUTS[sqlite]}" "${TIMEOUTS[pg]}" "$(pct 100 "${ds[@]}")" "$(pct 100 "${dp[@]}")"
done
# shellcheck disable=SC2086 # the lists are numbers split on spaces
{
    a=$(median ${ADDS[sqlite]}) b=$(median ${ADDS[pg]})
    printf '| `newsdesk post add`, the whole command | %.1f ms | %.1f ms | %s | median; a process start, opening the database, one write transaction, exit |\n' \
        "$a" "$b" "$(ratio "$b" "$a")"
    a=$(median ${IMPORT_RATES[sqlite]}) b=$(median ${IMPORT_RATES[pg]})
    printf '| import: `newsdesk import ghost`, %s posts (%s MB) into an empty database | %.0f posts/s | %.0f posts/s | %s | median of %d runs each (SQLite %s, PostgreSQL %s posts/s); the command'"'"'s own CPU %s and %s s (medians) |\n' \
        "$IMPORT_POSTS" "$EXPORT_MB" "$a" "$b" "$(ratio "$b" "$a")" "$ROUNDS" \
        "$(echo ${IMPORT_RATES[sqlite]} | tr ' ' '/')" "$(echo ${IMPORT_RATES[pg]} | tr ' ' '/')" \
        "$(median ${IMPORT_CPU[sqlite]})" "$(median ${IMPORT_CPU[pg]})"
}
printf '| import: `newsdesk demo --posts %s` | %s posts/s | %s posts/s | %s | one run each, the search index included |\n' \
    "$POSTS" "${DEMO_RATE[sqlite]}" "${DEMO_RATE[pg]}" "$(ratio "${DEMO_RATE[pg]}" "${DEMO_RATE[sqlite]}")"
printf '| database size after the demo | %s MB | %s MB | %s | the SQLite file with its WAL; pg_database_size |\n' \
    "${DB_MB[sqlite]}" "${DB_MB[pg]}" "$(ratio "${DB_MB[pg]}" "${DB_MB[sqlite]}")"
echo
echo "Statements the clients sent PostgreSQL, counted afterwards with pg_stat_statements" \
    "(\`track = top\`: what runs inside a statement, a trigger or a foreign-key check, is not" \
    "counted; not timed): each is a round trip, which a database on another machine adds to" \
    "the request or the write."
echo
echo "| what | count | per one |"
echo "|---|--:|--:|"
printf '| `newsdesk post add` of one post, no server running (%d posts) | %s | **%s** |\n' \
    "$COUNT_PUBLISHES" "$ADD_CALLS" "$(per "$ADD_CALLS" "$COUNT_PUBLISHES")"
printf '| an idle server'"'"'s background threads (the scheduler'"'"'s look at the change log'"'"'s head and the like), a second | %s in 3 s | **%s** |\n' \
    "$BG_CALLS" "$BG_RATE"
printf '| a miss: `/page/N/` rendered, %d distinct pages one after another on a server without a cache (%s s; PostgreSQL spent %.1f ms executing them) | %s | **%s** |\n' \
    "$COUNT_PAGES" "$COUNT_S" "$MISS_EXEC_MS" "$MISS_CALLS" "$MISS_NET"
printf '| a publish seen by one server: `post add`, then the server'"'"'s NOTIFY, change log read and `/` rendered again (%d publishes, %s s) | %s | **%s** |\n' \
    "$COUNT_PUBLISHES" "$PUB_S" "$PUB_CALLS" "$PUB_NET"
printf '| PostgreSQL connections one server holds, `--threads %s` / `--threads %s` | %s / %s | %s a worker thread + %s |\n' \
    "$NPROC" "$((NPROC * 4))" "$CONN_N" "$CONN_4N" "$CONN_PER_THREAD" "$CONN_FIXED"
echo
echo "\"Per one\" of a miss and of a publish leaves out what the idle server sends in as many" \
    "seconds (the first row); the statements themselves are in build/bench/pg/statements-*.txt" \
    "after a run."
if awk -v l="$MAX_LOAD" -v w="$LOAD_WARN" 'BEGIN { exit !(l >= w) }'; then
    echo
    echo "**Warning: the machine was not quiet**: other processes used up to $MAX_LOAD% of the" \
        "CPUs during a measured run; run again on a quiet machine."
fi
