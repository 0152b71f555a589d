#!/usr/bin/env bash
# `make bench-million`: the figures at a million posts (issue 16). Builds a database of
# MILLION_POSTS demo posts (`newsdesk demo`, timed) and one of MILLION_SMALL, then
# measures, on this machine: start-up time and resident memory; a cached page's req/s
# against nginx serving the same bytes; a deep page miss at both sizes; what each write
# costs the pages it invalidates (the render time of /sitemap.xml, a posts sitemap file,
# /page/1000/ and a deep tag page right after a publish); and, when the binary has them,
# the search index's build time (`newsdesk search reindex`), the database's size with and
# without it, and uncached one-word, two-word and phrase queries: p50/p99 with one client
# and req/s under 64 connections. Prints a Markdown section, "## A million posts", to
# stdout; progress goes to stderr. Never a timed test: figures, not pass/fail.
#
# Environment:
#   MILLION_POSTS=1000000   posts in the large database
#   MILLION_SMALL=100000    posts in the small one (the deep page miss "next to")
#   MILLION_SAMPLES=200     requests per latency figure
#   MILLION_PUBLISHES=10    publishes for the after-a-publish rows
#   MILLION_SECONDS=5       length of each wrk run
#   MILLION_DB              an existing large database to measure instead of making one
#                           (no demo row; it gets a few posts from the publish rows)
#   MILLION_REINDEX=1       0: no `search reindex` run (its row is left out)
#   MILLION_SEARCH=big      where the search rows are measured: big, small (the database
#                           of MILLION_SMALL posts, whose demo built its index), or 0: none
#   TMPDIR                  where the databases go (about 6.5 GB at a million)
#
# Only 127.0.0.1 is contacted; only processes this script started are stopped, by PID;
# its temporary directory is removed on exit.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
POSTS=${MILLION_POSTS:-1000000}
SMALL=${MILLION_SMALL:-100000}
SAMPLES=${MILLION_SAMPLES:-200}
PUBLISHES=${MILLION_PUBLISHES:-10}
SECS=${MILLION_SECONDS:-5}
for n in "$POSTS" "$SMALL" "$SAMPLES" "$PUBLISHES" "$SECS"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || {
        echo "million.sh: MILLION_* must be positive whole numbers" >&2
        exit 1
    }
done
for c in curl wrk nginx sqlite3; do
    command -v "$c" >/dev/null 2>&1 || {
        echo "million.sh: '$c' not found (tools/bootstrap.sh bench)" >&2
        exit 1
    }
done
[[ -x build/newsdesk ]] || {
    echo "million.sh: build build/newsdesk first" >&2
    exit 1
}

log() { printf 'million: %s\n' "$*" >&2; }
# running, stop_pid, free_port
. tools/bench/lib.sh

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-million.XXXXXX")
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        stop_pid "$p" TERM
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the binary measured: a copy, so a rebuild while this runs cannot mix two versions
cp build/newsdesk "$TMP/newsdesk"
ND=$TMP/newsdesk
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true

now_us() { echo "${EPOCHREALTIME/./}"; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }
# p50 and p99 (nearest rank) of the numbers on stdin, in ms with two decimals
pcts() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- -"; exit }
        i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999)
        printf "%.2f %.2f\n", v[i50] * 1000, v[i99] * 1000 }'
}
# median and max, in ms
medmax() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- -"; exit }
        printf "%.1f %.1f\n", v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }'
}

# serve DB PORT: starts newsdesk; sets SERVE_PID and SERVE_MS (exec to the first 200 on /)
serve() {
    local db=$1 port=$2 t0
    t0=$(now_us)
    setsid "$ND" serve --db "$db" --listen "127.0.0.1:$port" --threads "$(nproc)" \
        --access-log off --search-limit 0 >>"$TMP/serve.log" 2>&1 &
    SERVE_PID=$!
    PIDS+=("$SERVE_PID")
    until curl -s -o /dev/null --max-time 60 "http://127.0.0.1:$port/"; do
        kill -0 "$SERVE_PID" 2>/dev/null || {
            tail -n 20 "$TMP/serve.log" >&2
            exit 1
        }
        sleep 0.005
    done
    SERVE_MS=$(ms $(($(now_us) - t0)))
}
stop() { stop_pid "$1" TERM; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# times PORT PATH...: one line per path, curl's time to the first byte in seconds (one
# keep-alive connection: the server's time, not curl's start-up)
times() {
    local port=$1 args=() p
    shift
    for p in "$@"; do
        args+=(-o /dev/null "http://127.0.0.1:$port$p")
    done
    curl -s -w '%{time_starttransfer}\n' "${args[@]}"
}

# wrk_rps PORT PATH [SCRIPT ARGS...]: requests a second over SECS at 64 connections
wrk_rps() {
    local port=$1 path=$2 script=${3:-}
    shift 3 || shift $#
    wrk -t2 -c64 -d"${SECS}s" --timeout 2s ${script:+-s "$script"} \
        "http://127.0.0.1:$port$path" ${1+-- "$@"} >"$TMP/wrk.txt" 2>&1 || true
    awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.txt"
}

# ---------------------------------------------------------------------------------------------
# The databases

UNTIL=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ) # so that a publish now is the newest post
BIG=${MILLION_DB:-$TMP/big.db}
DEMO_ROW=""
if [[ -n ${MILLION_DB:-} ]]; then
    [[ -f $BIG ]] || {
        echo "million.sh: MILLION_DB '$BIG' does not exist" >&2
        exit 1
    }
    POSTS=$(sqlite3 "$BIG" "SELECT count(*) FROM posts WHERE status = 'published' AND type = 'post'")
    log "measuring $BIG ($POSTS published posts)"
else
    log "newsdesk demo --posts $POSTS (a few minutes at a million)"
    t0=$(now_us)
    "$ND" demo --db "$BIG" --posts "$POSTS" --until "$UNTIL" >"$TMP/demo.log" 2>&1 || {
        tail -n 5 "$TMP/demo.log" >&2
        exit 1
    }
    DEMO_US=$(($(now_us) - t0))
    DEMO_S=$(awk -v u="$DEMO_US" 'BEGIN { printf "%.0f", u / 1e6 }')
    DEMO_RATE=$(awk -v n="$POSTS" -v u="$DEMO_US" 'BEGIN { printf "%.0f", n * 1e6 / u }')
    DEMO_ROW="| \`newsdesk demo --posts $POSTS\` | $DEMO_S s, $DEMO_RATE posts/s | database $(mb "$BIG") MB |"$'\n'
    log "demo: $POSTS posts in $DEMO_S s ($DEMO_RATE posts/s)"
fi
SMALLDB=$TMP/small.db
log "newsdesk demo --posts $SMALL"
"$ND" demo --db "$SMALLDB" --posts "$SMALL" --until "$UNTIL" >/dev/null 2>&1

# The search index: built by every write since its migration, so the demo has built it;
# `search reindex` builds it again from the posts (what an existing database needs).
SEARCH_ROWS=""
if [[ ${MILLION_REINDEX:-1} != 0 ]] && "$ND" search reindex --help >/dev/null 2>&1; then
    sqlite3 "$BIG" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    BEFORE_MB=$(mb "$BIG")
    log "newsdesk search reindex"
    t0=$(now_us)
    "$ND" search reindex --db "$BIG" >"$TMP/reindex.log" 2>&1 || {
        tail -n 5 "$TMP/reindex.log" >&2
        exit 1
    }
    REINDEX_S=$(awk -v u=$(($(now_us) - t0)) 'BEGIN { printf "%.0f", u / 1e6 }')
    sqlite3 "$BIG" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    WITH_MB=$(mb "$BIG")
    SEARCH_ROWS+="| search index build, \`newsdesk search reindex\` | $REINDEX_S s | $POSTS posts |"$'\n'
    SEARCH_ROWS+="| database size before / after \`search reindex\` | $BEFORE_MB MB / $WITH_MB MB | file sizes after a WAL checkpoint; \"before\" is the size without the index only when the database had none (MILLION_DB) |"$'\n'
    log "reindex $REINDEX_S s; $BEFORE_MB MB before, $WITH_MB MB after"
fi

# ---------------------------------------------------------------------------------------------
# Start-up and memory (median of three starts)

PORT=$(free_port)
starts=()
for i in 1 2 3; do
    serve "$BIG" "$PORT"
    starts+=("$SERVE_MS")
    if ((i < 3)); then stop "$SERVE_PID"; fi
done
BIG_PID=$SERVE_PID
START_MS=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)
FIRST_NOTE="the first start took ${starts[0]} ms"
[[ -n ${MILLION_DB:-} ]] ||
    FIRST_NOTE+=" (after the demo: a one-time upgrade of its posts' plain text, \`newsroom_plaintext_upgrade\`)"
RSS_START=$(rss_mb "$BIG_PID")
log "start-up ${starts[*]} ms; $RSS_START MB resident"

# ---------------------------------------------------------------------------------------------
# A cached page against nginx: / as newsdesk serves it, and the same bytes from a file

mkdir -p "$TMP/www" "$TMP/nginx"
curl -s -o "$TMP/www/index.html" "http://127.0.0.1:$PORT/"
chmod 0711 "$TMP"
chmod -R a+rX "$TMP/www"
NGX_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $(nproc);
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    types { text/html html; }
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server { listen 127.0.0.1:$NGX_PORT; root $TMP/www; index index.html; }
}
EOF
setsid nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" >/dev/null 2>&1 &
NGX_PID=$!
PIDS+=("$NGX_PID")
until curl -s -o /dev/null "http://127.0.0.1:$NGX_PORT/"; do sleep 0.01; done
nd=() ngx=()
for round in 1 2; do
    log "cached / at 64 connections, round $round"
    nd+=("$(wrk_rps "$PORT" /)")
    ngx+=("$(wrk_rps "$NGX_PORT" /)")
done
stop "$NGX_PID"
ND_RPS=$(printf '%s\n' "${nd[@]}" | sort -n | tail -n 1)
NGX_RPS=$(printf '%s\n' "${ngx[@]}" | sort -n | tail -n 1)
RATIO=$(awk -v a="$ND_RPS" -v b="$NGX_RPS" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
log "cached /: newsdesk $ND_RPS req/s, nginx $NGX_RPS req/s (x$RATIO)"

# ---------------------------------------------------------------------------------------------
# What a write invalidates: each page rendered right after a publish

AFTER=(/sitemap.xml /sitemap-posts-20.xml /page/1000/ /tag/news-feed/page/2000/)
times "$PORT" "${AFTER[@]}" >/dev/null # first use: the boundaries are built here
for i in $(seq 1 "$PUBLISHES"); do
    printf -- '---\ntitle: Million bench %d\ntags: [News Feed]\n---\nA post to invalidate the lists.\n' \
        "$i" >"$TMP/post.md"
    "$ND" post add --db "$BIG" "$TMP/post.md" >/dev/null
    times "$PORT" "${AFTER[@]}" >>"$TMP/after.txt"
done
AFTER_ROWS=""
for j in "${!AFTER[@]}"; do
    read -r med max < <(awk -v n=${#AFTER[@]} -v j="$j" '(NR - 1) % n == j' "$TMP/after.txt" | medmax)
    AFTER_ROWS+="| \`${AFTER[$j]}\` right after a publish | $med ms | max $max ms over $PUBLISHES publishes |"$'\n'
    log "after a publish: ${AFTER[$j]} median $med ms, max $max ms"
done

# ---------------------------------------------------------------------------------------------
# A deep page miss: distinct deep pages, each rendered once, at both sizes

deep_miss() {
    local port=$1 paths=() n
    times "$port" /page/1000/ >/dev/null # the boundaries, built once
    for n in $(seq 1 "$SAMPLES"); do
        paths+=("/page/$((1000 + n * 37 % 5000))/")
    done
    times "$port" "${paths[@]}" | pcts
}
read -r BIG_P50 BIG_P99 < <(deep_miss "$PORT")
SPORT=$(free_port)
serve "$SMALLDB" "$SPORT"
SMALL_PID=$SERVE_PID
read -r SMALL_P50 SMALL_P99 < <(deep_miss "$SPORT")
log "deep page miss: p50 $BIG_P50 / p99 $BIG_P99 ms at $POSTS; p50 $SMALL_P50 / p99 $SMALL_P99 ms at $SMALL"

# ---------------------------------------------------------------------------------------------
# Search: uncached queries, each distinct, words of the demo's own vocabulary

QUERY_ROWS=""
case ${MILLION_SEARCH:-big} in
big) QPORT=$PORT QDB=$BIG QN=$POSTS ;;
small) QPORT=$SPORT QDB=$SMALLDB QN=$SMALL ;;
*) QPORT="" ;;
esac
code=000
[[ -z $QPORT ]] || code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$QPORT/search/?q=news")
if [[ $code == 200 ]]; then
    # words and consecutive pairs from bodies spread over the archive
    sqlite3 "$QDB" "SELECT markdown FROM post_bodies WHERE post_id % 997 = 0 LIMIT 400" |
        tr -cs 'A-Za-z' '\n' | tr '[:upper:]' '[:lower:]' | awk 'length($0) >= 4' >"$TMP/words.txt"
    # (awk, not head, ends each list: head would leave a writer to SIGPIPE under pipefail)
    awk '!seen[$0]++ && ++n <= 4000' "$TMP/words.txt" >"$TMP/one.txt"
    paste -d' ' "$TMP/one.txt" <(tail -n +2 "$TMP/one.txt") | awk 'NR <= 4000' >"$TMP/two.txt"
    paste -d' ' "$TMP/words.txt" <(tail -n +2 "$TMP/words.txt") |
        awk '!seen[$0]++ && ++n <= 4000 { print "\"" $0 "\"" }' >"$TMP/phrase.txt"
    for kind in one two phrase; do
        # each query once: a miss (the cache is keyed by the normalised query)
        head -n "$SAMPLES" "$TMP/$kind.txt" | while read -r q; do
            printf '/search/?q=%s\n' "$(printf '%s' "$q" | sed 's/ /+/g; s/"/%22/g')"
        done >"$TMP/$kind.paths"
        mapfile -t qpaths <"$TMP/$kind.paths"
        read -r p50 p99 < <(times "$QPORT" "${qpaths[@]}" | pcts)
        # 64 connections over the rest of the list: still distinct queries
        tail -n +"$((SAMPLES + 1))" "$TMP/$kind.txt" | while read -r q; do
            printf '/search/?q=%s\n' "$(printf '%s' "$q" | sed 's/ /+/g; s/"/%22/g')"
        done >"$TMP/$kind.load"
        rps=$(wrk_rps "$QPORT" / "$ROOT/tools/bench/million_search.lua" "$TMP/$kind.load" 2)
        misses=$(sed -n 's/^MILLIONCACHE //p' "$TMP/wrk.txt")
        case $kind in
        one) label=one-word ;;
        two) label=two-word ;;
        *) label=phrase ;;
        esac
        QUERY_ROWS+="| search at $QN posts, $label query, uncached | p50 $p50 ms, p99 $p99 ms | one client, $SAMPLES distinct queries; ${rps:-?} req/s at 64 connections over $(wc -l <"$TMP/$kind.load") more ($misses) |"$'\n'
        log "search $label: p50 $p50 ms, p99 $p99 ms; ${rps:-?} req/s at 64 connections ($misses)"
    done
else
    log "no search rows (MILLION_SEARCH=${MILLION_SEARCH:-big}; HTTP $code on /search/)"
fi
stop "$SMALL_PID"
RSS_END=$(rss_mb "$BIG_PID")
stop "$BIG_PID"

# ---------------------------------------------------------------------------------------------
# The section

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gb=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
cat <<EOF
## A million posts

Generated by \`make bench-million\` (\`tools/bench/million.sh\`) on $(date -u '+%Y-%m-%d %H:%M UTC'),
commit $commit: $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_gb GB RAM, Linux $(uname -r).
The machine is shared: other jobs may have been running, so take the figures as an upper
bound. Render times are curl's time to the first byte on one keep-alive connection to the
server (\`--threads $(nproc)\`), each request a cache miss: what the server spent on it.

| what | figure | notes |
|---|---|---|
${DEMO_ROW}${SEARCH_ROWS}| start-up at $POSTS posts | $START_MS ms | median of 3, from exec to the first 200 on \`/\`; $FIRST_NOTE |
| resident memory | $RSS_START MB after start, $RSS_END MB at the end | VmRSS; the end includes the feed index (three 64-bit numbers a post) and the response cache |
| cached \`/\`, req/s at 64 connections | $ND_RPS (nginx $NGX_RPS): **x$RATIO** | best of 2 runs of $SECS s each, wrk -t2; nginx serves the same bytes from a file |
| deep page miss (\`/page/1000/\` to \`/page/5999/\`) at $POSTS | p50 $BIG_P50 ms, p99 $BIG_P99 ms | $SAMPLES distinct pages, each rendered once |
| the same at $SMALL | p50 $SMALL_P50 ms, p99 $SMALL_P99 ms | |
${AFTER_ROWS}${QUERY_ROWS}
EOF
