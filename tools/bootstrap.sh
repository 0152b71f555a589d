#!/bin/sh
# Installs the Debian packages that building (and, with an argument, testing, fuzzing or
# benchmarking) Newsdesk need, and only those that are missing. Safe to run again: when
# everything is there it says nothing.
#
#   bootstrap.sh         build and run (make, make run)
#   bootstrap.sh test    also the test tools, the packaging tools and the npm packages (make test)
#   bootstrap.sh fuzz    also clang and libFuzzer (make fuzz)
#   bootstrap.sh bench   also wrk and nginx (make bench)
#   bootstrap.sh deb     also Debian's packaging tools (make deb, make test-deb)
set -eu

PACKAGES="gcc libc6-dev make pkg-config tzdata
libh2o-evloop-dev libssl-dev libsqlite3-dev libpq-dev
libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev libbrotli-dev libjansson-dev
libsodium-dev libvips-dev libgumbo-dev libyajl-dev libxml2-dev libcurl4-openssl-dev libinih-dev"

# the test tools: the runner, the SQLite shell, validators (xmllint, jing), a real client,
# the browser the browser tests and Lighthouse drive (Debian's chromium: nothing is
# downloaded at test time), Java for the Nu HTML Checker (npm vnu-jar) and clang-format 14
# for `make check-format` (its output differs between major versions), slowhttptest for the
# slow-client trials (tests/http/test_slow.c), and for the photo tests the vips and
# vipsheader commands (libvips-tools: they draw the test photos and read served sizes) and
# exiftool (writes a phone's metadata into them, then looks for it in what is served), and
# sqlmap, run against the reader's search (tests/http/test_sqlmap.c), and prometheus for
# its promtool, the strict reader of /metrics' text format (tests/http/test_metrics.c;
# the tests never run the server it ships, which Debian starts on a machine with systemd:
# `systemctl disable --now prometheus` where it is not wanted); varnish with
# varnish-modules' xkey, the shared cache the purges are tested against (tests/http/
# test_varnish.c starts its own varnishd; Debian's own service may be disabled the same
# way); PostgreSQL 15's server and psql, which the suites run against a second time in
# a cluster of their own (tools/pg-cluster.sh: initdb in a temporary folder; Debian's own
# cluster, which the package makes and starts on a machine with systemd, is never used);
# and nginx-light, the load balancer in front of three servers (tests/http/test_pg.c runs
# it with its own config file, as make bench does)
TEST_PACKAGES="libcriterion-dev sqlite3 libxml2-utils jing curl chromium default-jre-headless
clang-format-14 slowhttptest libimage-exiftool-perl libvips-tools sqlmap man-db bsdextrautils
nghttp2-client openssl wrk prometheus varnish varnish-modules postgresql-15 postgresql-client-15
nginx-light"

# the packaging tools (`bootstrap.sh deb`: make deb, make test-deb): build-essential (which
# dpkg-buildpackage requires by name), debhelper, dpkg-dev and fakeroot build the package
# (debian/), lintian checks it, the systemd package's systemd-analyze verifies its unit
# (nothing is started) and shellcheck its maintainer scripts. The build packages above
# are debian/control's Build-Depends too: tools/deb-check.sh compares the two lists
DEB_PACKAGES="build-essential debhelper dpkg-dev fakeroot lintian systemd shellcheck"

# `bootstrap.sh fuzz` adds clang and its libFuzzer runtime for `make fuzz`;
# `bootstrap.sh bench` adds the load generator, the nginx baseline and the probes of
# `make bench` (nginx-light is Debian 12's smallest nginx; tools/bench.sh runs it with its
# own config file and never touches the system service), and PostgreSQL 15's server and
# psql for its PostgreSQL section (tools/bench/pg.sh starts a cluster of its own with
# tools/pg-cluster.sh)
case "${1:-}" in
test)
    # make test builds the package and checks it too
    PACKAGES="$PACKAGES $TEST_PACKAGES $DEB_PACKAGES"
    # Node.js for the npm test tools: Debian's, unless the machine already has one (a newer
    # Node from elsewhere would conflict with Debian's npm package)
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        PACKAGES="$PACKAGES nodejs npm"
    fi
    ;;
fuzz) PACKAGES="$PACKAGES clang libclang-rt-14-dev" ;;
bench) PACKAGES="$PACKAGES wrk nginx-light curl procps sqlite3 postgresql-15 postgresql-client-15" ;;
deb) PACKAGES="$PACKAGES $DEB_PACKAGES" ;;
"") ;;
*)
    echo "bootstrap: unknown argument '$1' (expected nothing, 'test', 'fuzz', 'bench' or 'deb')" >&2
    exit 2
    ;;
esac

# npm packages the tests run (real feed readers, playwright-core, Lighthouse, axe-core,
# vnu-jar), exactly as the committed lockfile says; none of them downloads anything when
# installed (vnu-jar is pinned before the version that fetches a Java runtime)
npm_ci() {
    cd "$(dirname "$0")/.."
    if [ ! -f node_modules/.package-lock.json ] ||
        [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "bootstrap: installing npm packages from package-lock.json"
        npm ci --no-audit --no-fund --loglevel=error >/dev/null
    fi
}

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done

if [ -n "$missing" ]; then
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
fi

# the npm packages are for the tests only
if [ "${1:-}" = "test" ]; then
    npm_ci
fi
exit 0
