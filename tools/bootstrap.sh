#!/bin/sh
# Installs the Debian packages that building and testing Newsdesk need, and only those
# that are missing. Safe to run again: when everything is there it says nothing.
set -eu

PACKAGES="gcc libc6-dev make pkg-config tzdata
libh2o-evloop-dev libssl-dev libsqlite3-dev
libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev libbrotli-dev libjansson-dev
libcriterion-dev sqlite3 libxml2-utils jing"

# `bootstrap.sh fuzz` adds clang and its libFuzzer runtime for `make fuzz`;
# `bootstrap.sh bench` adds the load generator, the nginx baseline and the probes of
# `make bench` (nginx-light is Debian 12's smallest nginx; tools/bench.sh runs it with its
# own config file and never touches the system service)
case "${1:-}" in
fuzz) PACKAGES="$PACKAGES clang libclang-rt-14-dev" ;;
bench) PACKAGES="$PACKAGES wrk nginx-light curl procps" ;;
"") ;;
*)
    echo "bootstrap: unknown argument '$1' (expected nothing, 'fuzz' or 'bench')" >&2
    exit 2
    ;;
esac

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "bootstrap: installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "bootstrap: need root (or sudo) to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "bootstrap: done"
