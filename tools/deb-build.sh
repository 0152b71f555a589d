#!/bin/sh
# Builds the Debian package (debian/) with dpkg-buildpackage -us -uc -b, from a copy of this
# tree in build/deb/src/, and leaves the .deb (with its .changes, .buildinfo and debug
# symbols package) in build/deb/. The copy keeps the package's `debian/rules clean` away
# from this tree's build/, and builds from the sources alone: no object of a development
# build, compiled with other flags or another PREFIX, can reach the package.
#
#   tools/deb-build.sh        (make deb runs it after tools/bootstrap.sh deb)
#
# DEB_JOBS sets the compile jobs (default: dpkg-buildpackage's "auto", one per core).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
out=build/deb
version=$(dpkg-parsechangelog -S Version)

rm -rf "$out"
mkdir -p "$out/src/newsdesk-$version"
# the tree as it is (uncommitted changes included), without what builds and tests leave
tar -c --exclude=./build --exclude=./.git --exclude=./node_modules \
    --exclude='./*.db' --exclude='./*.db-wal' --exclude='./*.db-shm' \
    --exclude=./debian/newsdesk --exclude=./debian/.debhelper --exclude=./debian/files \
    --exclude='./debian/*.substvars' --exclude=./debian/debhelper-build-stamp \
    --exclude='./debian/*.log' . | tar -x -C "$out/src/newsdesk-$version"

echo "deb: building newsdesk $version in $out/src/newsdesk-$version (log: $out/build.log)"
start=$(date +%s)
if ! (cd "$out/src/newsdesk-$version" &&
    dpkg-buildpackage -us -uc -b "-J${DEB_JOBS:-auto}") >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log"
    echo "deb: dpkg-buildpackage failed (the whole log: $top/$out/build.log)" >&2
    exit 1
fi
# dpkg-buildpackage writes beside the source folder
mv "$out/src/"*.deb "$out/src/"*.changes "$out/src/"*.buildinfo "$out/"
for f in "$out/src/"*.ddeb; do
    [ -e "$f" ] && mv "$f" "$out/"
done
rm -rf "$out/src"
echo "deb: built in $(($(date +%s) - start)) s:"
for f in "$out"/*.deb; do
    echo "  $f ($(stat -c %s "$f") bytes)"
done
