#!/bin/sh
# Checks the Debian package that tools/deb-build.sh left in build/deb/ (make test-deb builds
# it, then runs this), without installing it:
#   - debian/control's Build-Depends name every build package of tools/bootstrap.sh;
#   - lintian reports no error (warnings and notes are shown; the overrides are in
#     debian/newsdesk.lintian-overrides, each with its reason);
#   - systemd-analyze verify says nothing about newsdesk.service, in a root made of the
#     package's files and this machine's units (the unit's commands and manual page must
#     exist there), and its sandbox's exposure stays at or under 2.5;
#   - the contents: the binary, every file of both themes, every manual page, the unit,
#     the logrotate file, the configuration file (a conffile, with logrotate's);
#   - the packaged `newsdesk config check` finds the configuration file good, also with
#     every commented-out example set, and it has a line for every option of serve.
# tools/deb-install-test.sh installs, upgrades and purges the package on a machine where
# that may happen (a fresh chroot: ../shared/tools/fresh-debian).
set -u
cd "$(dirname "$0")/.." || exit 1
version=$(dpkg-parsechangelog -S Version)
deb=build/deb/newsdesk_${version}_$(dpkg --print-architecture).deb
if [ ! -f "$deb" ]; then
    echo "deb-check: no $deb (make deb builds it)" >&2
    exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
failed=0
pass() { echo "[PASS] deb: $1"; }
fail() {
    echo "[FAIL] deb: $1"
    failed=$((failed + 1))
}

# ---- Build-Depends against bootstrap.sh's build packages -----------------------------
# bootstrap's PACKAGES but the compiler, libc and make (build-essential) and tzdata (a
# run-time need: the package Depends on it)
boot=$(sed -n '/^PACKAGES="/,/"/p' tools/bootstrap.sh | tr -d '"' | sed 's/^PACKAGES=//' |
    tr ' ' '\n' | grep -vxE 'gcc|libc6-dev|make|tzdata|' | sort -u)
bdeps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | sed 's/^Build-Depends://' |
    grep -v '^[A-Z]' | tr ',' '\n' | sed 's/(.*)//; s/[[:space:]]//g' | grep . | sort -u)
missing=$(echo "$boot" | grep -vxF "$bdeps")
if [ -z "$missing" ]; then
    pass "Build-Depends has every build package of tools/bootstrap.sh"
else
    fail "Build-Depends lacks what tools/bootstrap.sh installs to build: $(echo "$missing" | tr '\n' ' ')"
fi
if grep -q '^Depends:.*tzdata' debian/control; then
    pass "the package depends on tzdata (the site's time zone)"
else
    fail "the package does not depend on tzdata"
fi

# ---- lintian ----------------------------------------------------------------------------
changes=${deb%.deb}.changes
out=$(lintian --allow-root --info --fail-on error "$changes" 2>&1)
rc=$?
[ -n "$out" ] && echo "$out" | sed 's/^/  lintian: /'
if [ "$rc" -eq 0 ]; then
    pass "lintian: no errors ($(echo "$out" | grep -c '^W:') warnings, $(echo "$out" | grep -c '^I:') notes)"
else
    fail "lintian: $(echo "$out" | grep -c '^E:') errors (exit $rc)"
fi

# ---- the systemd unit -------------------------------------------------------------------
dpkg-deb -x "$deb" "$root"
unit=lib/systemd/system/newsdesk.service
mkdir -p "$root/bin"
cp -n /lib/systemd/system/* "$root/lib/systemd/system/" 2>/dev/null
cp /bin/kill "$root/bin/kill"
# verify warns (an unknown key, a bad value) and still exits 0: any output fails
out=$(MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" "/$unit" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
    pass "systemd-analyze verify $unit"
else
    echo "$out" | sed 's/^/  systemd-analyze: /'
    fail "systemd-analyze verify $unit (exit $rc)"
fi
out=$(systemd-analyze security --offline=yes --threshold=25 --root="$root" "/$unit" 2>&1)
rc=$?
level=$(echo "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ "$rc" -eq 0 ] && [ -n "$level" ]; then
    pass "systemd-analyze security: exposure $level (at most 2.5)"
else
    echo "$out" | grep '✗' | sed 's/^/  /'
    fail "systemd-analyze security: exposure ${level:-unknown}, over 2.5 (exit $rc)"
fi

# ---- contents ---------------------------------------------------------------------------
list=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|')
want="/usr/bin/newsdesk /$unit /etc/logrotate.d/newsdesk /etc/newsdesk/newsdesk.conf
/usr/share/doc/newsdesk/copyright"
for f in $(cd themes && find default admin -type f | LC_ALL=C sort); do
    want="$want /usr/share/newsdesk/themes/$f"
done
for m in man/*.1 man/*.5; do
    [ -f "$m" ] && want="$want /usr/share/man/man${m##*.}/${m#man/}.gz"
done
absent=""
n=0
for f in $want; do
    n=$((n + 1))
    echo "$list" | grep -qxF "$f" || absent="$absent $f"
done
if [ -z "$absent" ]; then
    pass "the package holds the binary, the themes, the manual, the unit and the configuration ($n files)"
else
    fail "not in the package:$absent"
fi
conffiles=$(dpkg-deb --info "$deb" conffiles 2>/dev/null)
if echo "$conffiles" | grep -qxF /etc/newsdesk/newsdesk.conf &&
    echo "$conffiles" | grep -qxF /etc/logrotate.d/newsdesk; then
    pass "conffiles: /etc/newsdesk/newsdesk.conf and /etc/logrotate.d/newsdesk"
else
    fail "conffiles: $(echo "$conffiles" | tr '\n' ' ')"
fi

# ---- the configuration file, read by the packaged binary ------------------------------
conf="$root/etc/newsdesk/newsdesk.conf"
bin="$root/usr/bin/newsdesk"
if grep -q '@[A-Z]*@' "$conf"; then
    fail "newsdesk.conf keeps placeholders: $(grep -o '@[A-Z]*@' "$conf" | sort -u | tr '\n' ' ')"
elif out=$("$bin" config check "$conf" 2>&1); then
    pass "newsdesk config check: the packaged newsdesk.conf is good"
else
    echo "$out" | sed 's/^/  /'
    fail "newsdesk config check: the packaged newsdesk.conf (above)"
fi
# the commented-out examples too, every one of them set at once
sed 's/^#[[:space:]]*\([a-z-]*[[:space:]]*=\)/\1/' "$conf" >"$root/all.conf"
n=$(grep -c '^[a-z]' "$root/all.conf")
if out=$("$bin" config check "$root/all.conf" 2>&1); then
    pass "newsdesk config check: newsdesk.conf with its examples set ($n keys) is good"
else
    echo "$out" | sed 's/^/  /'
    fail "newsdesk config check: newsdesk.conf's commented-out examples (above)"
fi
# every option of serve --help has its line, set or commented out
absent=""
for k in $("$bin" serve --help | sed -n 's/^  --\([a-z-]*\).*/\1/p'); do
    case "$k" in config | help) continue ;; esac
    grep -q "^$k =" "$root/all.conf" || absent="$absent $k"
done
if [ -z "$absent" ]; then
    pass "newsdesk.conf has a line for every option of serve --help"
else
    fail "newsdesk.conf has no line for:$absent"
fi

# ---- the maintainer scripts ----------------------------------------------------------
if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck -s sh debian/newsdesk.postinst debian/newsdesk.postrm \
        tools/deb-build.sh tools/deb-check.sh tools/deb-install-test.sh; then
        pass "shellcheck: the maintainer scripts and the package's tools"
    else
        fail "shellcheck (above)"
    fi
fi

[ "$failed" -eq 0 ] && echo "deb-check: ok" || echo "deb-check: $failed failed"
[ "$failed" -eq 0 ]
