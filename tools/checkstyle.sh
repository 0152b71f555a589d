#!/bin/sh
# Checks what a compiler does not: banned functions (STYLE.md 7), third-party headers outside
# their owning module and _int.h headers included across modules (STYLE.md 1).
set -u
cd "$(dirname "$0")/.."
status=0

banned=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|alloca)[[:space:]]*\(' src | grep -v 'snprintf\|vsnprintf')
if [ -n "$banned" ]; then
    echo "banned functions:"; echo "$banned"; status=1
fi

owner_check() { # header owner
    bad=$(grep -rln "#include [<\"]$1" src | grep -v "^src/$2/")
    if [ -n "$bad" ]; then
        echo "$1 included outside src/$2/:"; echo "$bad"; status=1
    fi
}
owner_check 'h2o' http
owner_check 'sqlite3.h' store
owner_check 'cmark' content

for f in $(grep -rl '_int\.h"' src); do
    mod=$(echo "$f" | cut -d/ -f2)
    grep -o '"[a-z]*/[a-z]*_int\.h"' "$f" | tr -d '"' | while read -r inc; do
        [ "$(echo "$inc" | cut -d/ -f1)" = "$mod" ] || { echo "$f includes $inc"; exit 1; }
    done || status=1
done
[ $status -eq 0 ] && echo "style: ok"
exit $status
