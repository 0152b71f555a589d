#!/bin/sh
# Checks what a compiler does not (../shared/STYLE.md), on src/:
#   - banned functions (STYLE.md 7);
#   - each third-party header included only by its owning module (STYLE.md 1; the table
#     below: a new library gets its line here before its first #include);
#   - "routes.h" included only by the wiring (DESIGN.md): src/routes.c, src/main.c and the
#     serve command (src/cli/serve.c), which hands the route table to the server;
#   - _int.h headers included only inside their own module (STYLE.md 1);
#   - functions of FUNC_MAX lines or more (STYLE.md 7 aims at 40), counted from the line of
#     the opening brace to the line of the closing brace, both in column 0 where the Linux
#     brace style of .clang-format puts a function's braces.
# Every check runs and reports; the exit status is 1 when any of them found something.
# POSIX sh and awk, one pass over the tree per check: well under a second.
set -u
cd "$(dirname "$0")/.."
FUNC_MAX=${FUNC_MAX:-60}
status=0

files=$(find src -name '*.[ch]' | LC_ALL=C sort)

# ---- banned functions -------------------------------------------------------------------
# shellcheck disable=SC2086
banned=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|alloca)[[:space:]]*\(' \
    $files | grep -v 'snprintf\|vsnprintf')
if [ -n "$banned" ]; then
    echo "banned functions (STYLE.md 7; base/ has the replacements):"
    echo "$banned" | sed 's/^/  /'
    status=1
fi

# ---- includes: third-party owners, routes.h, _int.h -----------------------------------
# one line per #include: FILE:LINE:HEADER
# shellcheck disable=SC2086
includes=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' $files |
    sed 's/^\([^:]*:[0-9]*\):[^<"]*[<"]\([^>"]*\)[>"].*/\1:\2/')

# header prefix, then the folder that alone may include it
owners='h2o src/http/
sqlite3.h src/store/
libpq-fe.h src/store/
cmark src/content/
gumbo src/html/
sodium.h src/auth/
brotli/ src/cache/
zlib.h src/cache/,src/import/
jansson.h src/json/
ini.h src/cli/
vips/ src/media/
libxml/ src/import/
curl/ src/websub/,src/purge/'

if ! echo "$includes" | awk -v owners="$owners" '
    # owners may name several folders, separated by commas
    function owned(file, folders,    k, m, dirs) {
        m = split(folders, dirs, ",")
        for (k = 1; k <= m; k++)
            if (substr(file, 1, length(dirs[k])) == dirs[k])
                return 1
        return 0
    }
    BEGIN {
        n = split(owners, rows, "\n")
        for (i = 1; i <= n; i++) {
            split(rows[i], f, " ")
            hdr[i] = f[1]
            own[i] = f[2]
        }
    }
    {
        split($0, f, ":")
        file = f[1]; line = f[2]; h = f[3]
        for (i = 1; i <= n; i++)
            if (substr(h, 1, length(hdr[i])) == hdr[i] && !owned(file, own[i]))
                bad[i] = bad[i] "  " file ":" line " includes <" h ">\n"
        if (h == "routes.h" && file != "src/routes.c" && file != "src/main.c" &&
            file != "src/cli/serve.c")
            routes = routes "  " file ":" line "\n"
        if (h ~ /^[a-z]+\/[a-z]+_int\.h$/) {
            split(file, p, "/")
            split(h, q, "/")
            if (p[2] != q[1])
                ints = ints "  " file ":" line " includes \"" h "\"\n"
        }
    }
    END {
        for (i = 1; i <= n; i++)
            if (bad[i] != "") {
                printf "<%s%s> belongs to %s alone (STYLE.md 1: one owning module per third-party header):\n%s", hdr[i], hdr[i] ~ /\.h$/ ? "" : "...", own[i], bad[i]
                fail = 1
            }
        if (routes != "") {
            printf "routes.h is for the wiring (src/routes.c, src/main.c, src/cli/serve.c; DESIGN.md), but:\n%s", routes
            fail = 1
        }
        if (ints != "") {
            printf "_int.h headers are private to their module (STYLE.md 1):\n%s", ints
            fail = 1
        }
        exit fail
    }'; then
    status=1
fi

# ---- function length ----------------------------------------------------------------------
# The signature is the run of code lines before a "{" in column 0 (comments skipped; a blank
# line, a preprocessor line or a line ending a statement or a block starts it afresh); the
# function's name is its first identifier followed by "(".
# shellcheck disable=SC2086
if ! awk -v max="$FUNC_MAX" '
    FNR == 1 { infn = 0; sig = ""; sigline = 0 }
    infn && /^}/ {
        len = FNR - start + 1
        if (len >= max) {
            long = long sprintf("  %s:%d: %s() is %d lines\n", FILENAME, sigline, name, len)
            nlong++
        }
        infn = 0; sig = ""
        next
    }
    infn { next }
    /^\{/ {
        if (match(sig, /[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(/)) {
            name = substr(sig, RSTART, RLENGTH - 1)
            sub(/[[:space:]]+$/, "", name)
            infn = 1
            start = FNR
        }
        next
    }
    /^[[:space:]]*(\/\*|\*|\/\/)/ { next }
    /^[[:space:]]*$/ || /^[[:space:]]*#/ || /[;}][[:space:]]*$/ { sig = ""; next }
    { if (sig == "") sigline = FNR; sig = sig " " $0 }
    END {
        if (nlong) {
            printf "functions of %d lines or more (STYLE.md 7: aim for 40; split them):\n%s", max, long
            exit 1
        }
    }' $files; then
    status=1
fi

[ $status -eq 0 ] && echo "style: ok"
exit $status
