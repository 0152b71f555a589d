#!/usr/bin/env bash
# The import figures of `make bench` (tools/bench.sh calls this; it also runs alone, after
# `make build/newsdesk build/ghost-export-gen`): generates a Ghost 5 export of
# IMPORT_POSTS posts with the shape of the real one (tools/bench/ghost_export.c), imports it
# into an empty database with `newsdesk import ghost --stats`, and prints a Markdown
# section, "## Import", to stdout: wall seconds, CPU seconds, posts a second and peak
# resident memory. With IMPORT_MEMORY_POSTS set (e.g. 400000), a second, larger export is
# imported too, to show that memory does not grow with the file. Progress goes to stderr.
#
# Environment: IMPORT_POSTS=100000, IMPORT_MEMORY_POSTS (unset: no second run), TMPDIR.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/../.."
NEWSDESK=build/newsdesk
GEN=build/ghost-export-gen
POSTS=${IMPORT_POSTS:-100000}
BIG=${IMPORT_MEMORY_POSTS:-}
for n in "$POSTS" ${BIG:+"$BIG"}; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || {
        echo "import.sh: IMPORT_POSTS and IMPORT_MEMORY_POSTS must be positive whole numbers" >&2
        exit 1
    }
done
[[ -x $NEWSDESK && -x $GEN ]] || {
    echo "import.sh: build $NEWSDESK and $GEN first (make build/newsdesk build/ghost-export-gen)" >&2
    exit 1
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-import.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# run N: generates and imports N posts; prints "wall cpu rss_mb file_mb"
run() {
    local n=$1 start end
    echo "import: generating a Ghost export of $n posts" >&2
    "$GEN" "$n" >"$TMP/export.json"
    local file_mb=$(($(stat -c %s "$TMP/export.json") / 1048576))
    rm -f "$TMP/site.db"*
    "$NEWSDESK" init --db "$TMP/site.db" >/dev/null
    echo "import: importing $n posts ($file_mb MB)" >&2
    start=$(date +%s.%N)
    "$NEWSDESK" import ghost "$TMP/export.json" --stats --db "$TMP/site.db" >"$TMP/report.txt"
    end=$(date +%s.%N)
    local cpu rss
    cpu=$(sed -n 's/^Peak memory.* CPU: \([0-9.]*\) s user, \([0-9.]*\) s system.*/\1 \2/p' \
        "$TMP/report.txt" | awk '{ printf "%.1f", $1 + $2 }')
    rss=$(sed -n 's/^Peak memory: \([0-9]*\) MB.*/\1/p' "$TMP/report.txt")
    local created
    created=$(awk '$1 == "posts" { print $2 }' "$TMP/report.txt")
    [[ $created == "$n" ]] || {
        echo "import.sh: $created posts created of $n" >&2
        cat "$TMP/report.txt" >&2
        exit 1
    }
    rm -f "$TMP/export.json"
    awk -v s="$start" -v e="$end" -v c="$cpu" -v r="$rss" -v f="$file_mb" \
        'BEGIN { printf "%.1f %.1f %s %s\n", e - s, c, r, f }'
}

read -r wall cpu rss file_mb < <(run "$POSTS")
rate=$(awk -v n="$POSTS" -v w="$wall" 'BEGIN { printf "%d", n / w }')
echo "## Import"
echo
echo "\`newsdesk import ghost\` of a generated Ghost 5 export (\`tools/bench/ghost_export.c\`: the" \
    "real export's tables and columns, rendered HTML bodies of about 1,500 bytes with" \
    "\`__GHOST_URL__\` links, two tags and one author a post, an internal tag, posts_meta on" \
    "one post in a hundred) into an empty database, by \`tools/bench/import.sh\`. Peak memory" \
    "is the process's largest resident set (getrusage), printed by \`--stats\`."
echo
echo "| posts | export | wall | CPU (user + system) | posts/s | peak resident |"
echo "|---|---|---|---|---|---|"
echo "| $POSTS | $file_mb MB | **$wall s** | $cpu s | $rate | $rss MB |"
if [[ -n $BIG ]]; then
    read -r wall cpu rss file_mb < <(run "$BIG")
    rate=$(awk -v n="$BIG" -v w="$wall" 'BEGIN { printf "%d", n / w }')
    echo "| $BIG | $file_mb MB | **$wall s** | $cpu s | $rate | $rss MB |"
fi
