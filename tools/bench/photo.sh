#!/usr/bin/env bash
# The photo figures of `make bench` (tools/bench.sh calls this; it also runs alone, after
# `make build/photo-bench`): makes a 24-megapixel phone-like JPEG (6000 × 4000, textured
# noise over gradients, quality 90, about 5.7 MB) with the vips command, runs
# build/photo-bench on it (tools/bench/photo.c) and prints a Markdown section, "## Photos",
# to stdout. Progress goes to stderr.
#
#   tools/bench/photo.sh               the section, on stdout
#   tools/bench/photo.sh --make FILE   only makes the JPEG, as FILE (tools/bench.sh serves it)
#
# Environment: PHOTO_ROUNDS=3 (medians over the rounds), TMPDIR.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/../.."
BENCH=build/photo-bench
ROUNDS=${PHOTO_ROUNDS:-3}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || {
    echo "photo.sh: PHOTO_ROUNDS must be a positive whole number" >&2
    exit 1
}
command -v vips >/dev/null || {
    echo "photo.sh: the vips command is missing (Debian: libvips-tools)" >&2
    exit 1
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-photo.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# make_photo FILE: the 24 MP JPEG, written to FILE
make_photo() {
    echo "photo: making a 24 MP JPEG" >&2
    (
        cd "$TMP"
        vips gaussnoise n1.v 6000 4000 --mean 128 --sigma 60
        vips gaussblur n1.v b1.v 4
        vips gaussnoise n2.v 6000 4000 --mean 0 --sigma 60
        vips gaussblur n2.v b2.v 12
        vips gaussnoise n3.v 6000 4000 --mean 0 --sigma 8
        vips add b1.v b2.v s1.v
        vips add s1.v n3.v s2.v
        vips bandjoin "s2.v b1.v s1.v" rgb.v
        vips cast rgb.v rgbc.v uchar
        vips copy rgbc.v phone.jpg[Q=90]
        rm -f ./*.v
    ) 2>/dev/null
    [[ $1 == "$TMP/phone.jpg" ]] || mv "$TMP/phone.jpg" "$1"
}

if [[ ${1:-} == --make ]]; then
    [[ -n ${2:-} ]] || {
        echo "usage: tools/bench/photo.sh [--make FILE]" >&2
        exit 2
    }
    make_photo "$2"
    exit 0
fi
make_photo "$TMP/phone.jpg"
photo_mb=$(awk -v b="$(stat -c %s "$TMP/phone.jpg")" 'BEGIN { printf "%.1f", b / 1048576 }')

[[ -x $BENCH ]] || {
    echo "photo.sh: $BENCH is missing: make build/photo-bench" >&2
    exit 1
}
echo "photo: $ROUNDS rounds of build/photo-bench" >&2
"$BENCH" "$TMP/phone.jpg" "$TMP" "$ROUNDS" 2> >(grep -v 'nclx' >&2) >"$TMP/rounds.tsv"

# median of column $1 over the rounds
median() {
    cut -f "$1" "$TMP/rounds.tsv" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# every round's value of column $1, comma-separated
each() { cut -f "$1" "$TMP/rounds.tsv" | paste -sd, - | sed 's/,/, /g'; }

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
load=$(cut -d ' ' -f 1 /proc/loadavg)
renditions=$(median 8)
rendition_kb=$(awk -v b="$(median 9)" 'BEGIN { printf "%.0f", b / 1024 }')

echo "## Photos"
echo
echo "A 24-megapixel JPEG like a phone's (6000 × 4000, quality 90, $photo_mb MB), made by" \
    "\`tools/bench/photo.sh\` and taken through the media engine by \`build/photo-bench\`" \
    "(\`tools/bench/photo.c\`): $ROUNDS rounds, medians (each round in brackets). Machine:" \
    "$(nproc) cores, $cpu_model; load average $load when the rounds ended (other jobs share" \
    "the machine, so CPU figures are upper bounds). libvips $(vips --version | sed 's/^vips-//')," \
    "one libvips thread (vips_concurrency_set(1)), its operation cache off."
echo
echo "| measurement | value | goal |"
echo "|---|--:|---|"
printf '| CPU, the stripped original (decode, sRGB, encode JPEG Q88) | %s s (%s) | — |\n' "$(median 1)" "$(each 1)"
printf '| CPU, every rendition (%s: AVIF, WebP, JPEG at each width, and the 1200 px social JPEG; %s KB in all) | **%s s** (%s) | under 1.5 s |\n' \
    "$renditions" "$rendition_kb" "$(median 2)" "$(each 2)"
printf '| CPU, upload stored → everything made and stored (media_work: original, renditions, SQLite writes) | %s s (%s) | — |\n' "$(median 3)" "$(each 3)"
printf '| wall time of the same | %s s (%s) | — |\n' "$(median 4)" "$(each 4)"
printf '| peak added resident memory (VmHWM less the resident size before the round) | **%s MB** (%s) | under 200 MB |\n' "$(median 6)" "$(each 6)"
printf '| resident memory after the round, less before it (malloc_trim) | %s MB (%s) | back to where it was |\n' "$(median 7)" "$(each 7)"
echo
echo "- The first round's memory after includes what libvips, libaom and glib keep once" \
    "started (thread pools, encoder tables); later rounds show whether memory comes back."
echo "- Encoder settings (src/media/process.c): AVIF Q52 effort 0 (aom's fastest: effort 2" \
    "costs 3.5 times the CPU at 2400 px, effort 4 over 20 times), WebP Q78 effort 0, JPEG Q82" \
    "with optimised Huffman tables; the original JPEG Q88."
