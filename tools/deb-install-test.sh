#!/bin/sh
# Installs the package make deb built (build/deb/), runs the server the way newsdesk.service
# does, upgrades the package over itself, removes and purges it, and checks each step.
# It changes the machine (a user, /etc, /var, apt-get install): run it as root in a fresh
# Debian 12, where no systemd runs either:
#
#   ../shared/tools/fresh-debian 'make deb && tools/deb-install-test.sh'
#
# The upgrade's package is the same one with a higher version (dpkg-deb repacks it with
# its control file's Version raised): what an upgrade exercises is dpkg's and the
# maintainer scripts' handling of the installed files, conffiles and data, not the build.
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
    echo "deb-install-test: needs root, and changes this machine: run it in a fresh chroot" >&2
    exit 1
fi
version=$(dpkg-parsechangelog -S Version 2>/dev/null ||
    sed -n '1s/^newsdesk (\([^)]*\)).*/\1/p' debian/changelog)
arch=$(dpkg --print-architecture)
deb=$PWD/build/deb/newsdesk_${version}_$arch.deb
[ -f "$deb" ] || {
    echo "deb-install-test: no $deb (make deb builds it)" >&2
    exit 1
}
CONF=/etc/newsdesk/newsdesk.conf
DB=/var/lib/newsdesk/newsdesk.db
export DEBIAN_FRONTEND=noninteractive
tmp=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
t0=$(date +%s)
step_start=$t0
step() {
    now=$(date +%s)
    echo "[PASS] deb install: $1 ($((now - step_start)) s)"
    step_start=$now
}
die() {
    echo "[FAIL] deb install: $*" >&2
    exit 1
}
# owner:group mode of a path
perm() { stat -c '%U:%G %a' "$1"; }

# the test's own client
command -v curl >/dev/null || apt-get install -y -qq --no-install-recommends curl >/dev/null

# serve_start [bare]: starts the server as the unit does: setpriv, like User= and Group=,
# becomes newsdesk and execs it (the PID is the server's), with the configuration file,
# from /. With "bare", only --db and --listen: the themes found where make install put them.
serve_start() {
    if [ "${1:-}" = bare ]; then
        set -- --db "$DB" --listen 127.0.0.1:0 --access-log off
    else
        set -- --config "$CONF"
    fi
    (cd / && exec setpriv --reuid=newsdesk --regid=newsdesk --init-groups \
        /usr/bin/newsdesk serve "$@") >"$tmp/serve.out" 2>&1 &
    server=$!
    url=""
    i=0
    while [ $i -lt 100 ] && [ -z "$url" ]; do
        kill -0 "$server" 2>/dev/null || break
        url=$(sed -n 's|.*serving \(https*://[^ ]*/\).*|\1|p' "$tmp/serve.out")
        [ -n "$url" ] || sleep 0.1
        i=$((i + 1))
    done
    [ -n "$url" ] || {
        cat "$tmp/serve.out"
        die "the server did not start"
    }
}

# fetch_check: /, /healthz and the newsroom's login, each from its theme
fetch_check() {
    home=$(curl -s -o "$tmp/home.html" -w '%{http_code}' "$url")
    [ "$home" = 200 ] || die "GET / answered $home"
    grep -q '<html' "$tmp/home.html" || die "GET / is not the theme's page"
    health=$(curl -s "${url}healthz")
    [ "$health" = ok ] || die "GET /healthz answered '$health'"
    login=$(curl -s -o /dev/null -w '%{http_code}' "${url}admin/login/")
    [ "$login" = 200 ] || die "GET /admin/login/ answered $login (the admin theme)"
}

# serve_stop: SIGTERM to the server's PID; it finishes and exits 0
serve_stop() {
    kill "$server"
    rc=0
    wait "$server" || rc=$?
    server=""
    [ "$rc" -eq 0 ] || die "the server exited $rc after SIGTERM: $(cat "$tmp/serve.out")"
}

# ---- install ----------------------------------------------------------------------------
apt-get install -y -qq "$deb" >"$tmp/apt.log" 2>&1 || {
    cat "$tmp/apt.log"
    die "apt-get install $deb"
}
grep 'newsdesk:' "$tmp/apt.log" | sed 's/^/  /'
[ "$(dpkg-query -W -f='${Status}' newsdesk)" = "install ok installed" ] || die "not installed"
step "apt-get install ./build/deb/$(basename "$deb") (dependencies resolved)"

uid=$(getent passwd newsdesk | cut -d: -f3)
[ -n "$uid" ] || die "no newsdesk user"
[ "$uid" -lt 1000 ] || die "newsdesk is not a system user (uid $uid)"
getent group newsdesk >/dev/null || die "no newsdesk group"
[ "$(getent passwd newsdesk | cut -d: -f6)" = /var/lib/newsdesk ] || die "newsdesk's home"
[ "$(perm /var/lib/newsdesk)" = "newsdesk:newsdesk 750" ] || die "/var/lib/newsdesk: $(perm /var/lib/newsdesk)"
[ "$(perm /var/log/newsdesk)" = "newsdesk:adm 750" ] || die "/var/log/newsdesk: $(perm /var/log/newsdesk)"
[ "$(perm $CONF)" = "root:root 644" ] || die "$CONF: $(perm $CONF)"
dpkg-query -W -f='${Conffiles}\n' newsdesk | grep -q " $CONF " || die "$CONF is not a conffile"
[ -f "$DB" ] || die "no database $DB"
[ "$(perm "$DB")" = "newsdesk:newsdesk 640" ] || die "$DB: $(perm "$DB")"
[ -f /lib/systemd/system/newsdesk.service ] || die "no unit"
step "the newsdesk user and group, /var/lib/newsdesk, /var/log/newsdesk, the conffile, the database"

# what an admin does first: an account, as the newsdesk user
echo 'a long enough password for the test' |
    runuser -u newsdesk -- newsdesk user add --db "$DB" --email admin@example.org \
        --name 'Test Admin' --role administrator >/dev/null
runuser -u newsdesk -- newsdesk user list --db "$DB" | grep -q admin@example.org || die "user add"
# and an edit of the configuration: any free port (the server prints it)
sed -i 's/^listen = .*/listen = 127.0.0.1:0/' "$CONF"
runuser -u newsdesk -- newsdesk config check "$CONF" >/dev/null || die "config check $CONF"
runuser -u newsdesk -- newsdesk doctor --config "$CONF" >"$tmp/doctor.out" 2>&1 || {
    cat "$tmp/doctor.out"
    die "newsdesk doctor --config $CONF, as newsdesk"
}
sed 's/^/  /' "$tmp/doctor.out"
step "newsdesk config check and doctor --config, as newsdesk: $(tail -n 1 "$tmp/doctor.out")"

serve_start
fetch_check
[ -s /var/log/newsdesk/access.log ] || die "no access log in /var/log/newsdesk"
[ "$(stat -c %U /var/log/newsdesk/access.log)" = newsdesk ] || die "access.log's owner"
step "serve --config $CONF as newsdesk from /: / 200 (the installed theme), /healthz ok, /admin/login/ 200"

# the unit's ExecReload: SIGHUP, and the site still serves
kill -HUP "$server"
sleep 0.5
kill -0 "$server" 2>/dev/null || die "the server died of SIGHUP: $(cat "$tmp/serve.out")"
fetch_check
step "SIGHUP (ExecReload): the settings read again, the site still served"

# logrotate, whose postrotate signals the service through systemctl (absent here): the
# same SIGUSR1 by PID, and the server writes to the new file
if command -v logrotate >/dev/null; then
    logrotate -f -s "$tmp/logrotate.state" /etc/logrotate.d/newsdesk ||
        die "logrotate /etc/logrotate.d/newsdesk"
    [ -f /var/log/newsdesk/access.log.1 ] || die "logrotate did not rotate access.log"
    [ "$(perm /var/log/newsdesk/access.log)" = "newsdesk:adm 640" ] ||
        die "the new access.log: $(perm /var/log/newsdesk/access.log)"
    kill -USR1 "$server"
    sleep 0.5
    fetch_check
    [ -s /var/log/newsdesk/access.log ] || die "after SIGUSR1 the server did not write the new access.log"
    step "logrotate -f: access.log.1, a new access.log newsdesk:adm 640 that SIGUSR1 has the server write to"
fi
serve_stop
step "SIGTERM by PID: the server stopped, exit 0"

serve_start bare
fetch_check
serve_stop
step "serve with no theme options, from /: both themes found in /usr/share/newsdesk"

# ---- upgrade ------------------------------------------------------------------------------
up="${version}+upgrade1"
dpkg-deb -R "$deb" "$tmp/pkg"
sed -i "s/^Version: .*/Version: $up/" "$tmp/pkg/DEBIAN/control"
dpkg-deb -b --root-owner-group "$tmp/pkg" "$tmp/newsdesk_${up}_$arch.deb" >/dev/null
rm -rf "$tmp/pkg"
apt-get install -y -qq "$tmp/newsdesk_${up}_$arch.deb" >"$tmp/apt.log" 2>&1 || {
    cat "$tmp/apt.log"
    die "apt-get install (upgrade to $up)"
}
[ "$(dpkg-query -W -f='${Version}' newsdesk)" = "$up" ] || die "the upgrade to $up"
grep -q '^listen = 127.0.0.1:0$' "$CONF" || die "the upgrade lost the edit of $CONF"
ls /etc/newsdesk/*.dpkg-* 2>/dev/null && die "the upgrade left .dpkg-* files"
[ "$(getent passwd newsdesk | cut -d: -f3)" = "$uid" ] || die "newsdesk's uid changed"
runuser -u newsdesk -- newsdesk user list --db "$DB" | grep -q admin@example.org ||
    die "the upgrade lost the database's account"
serve_start
fetch_check
serve_stop
step "upgrade to $up: the edited conffile kept, the account kept, serves again"

# ---- remove, then purge -------------------------------------------------------------------
apt-get remove -y -qq newsdesk >/dev/null 2>&1 || die "apt-get remove"
[ ! -e /usr/bin/newsdesk ] || die "remove left /usr/bin/newsdesk"
[ -f "$DB" ] || die "remove (no purge) took the database"
[ -f "$CONF" ] || die "remove (no purge) took the configuration"
getent passwd newsdesk >/dev/null || die "remove (no purge) took the newsdesk user"
step "apt-get remove: the binary gone; the database, the configuration and the user kept"

apt-get purge -y -qq newsdesk >/dev/null 2>&1 || die "apt-get purge"
getent passwd newsdesk >/dev/null && die "purge left the newsdesk user"
getent group newsdesk >/dev/null && die "purge left the newsdesk group"
for d in /var/lib/newsdesk /var/log/newsdesk /etc/newsdesk /usr/share/newsdesk; do
    [ ! -e "$d" ] || die "purge left $d"
done
st=$(dpkg-query -W -f='${Status}' newsdesk 2>/dev/null || true)
case "$st" in
"" | *not-installed) ;;
*) die "dpkg still has newsdesk: $st" ;;
esac
step "apt-get purge: the user, the group, the data, the logs and the configuration gone"
echo "deb-install-test: ok in $(($(date +%s) - t0)) s"
