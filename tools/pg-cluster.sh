#!/bin/sh
# A throwaway PostgreSQL cluster for checking the PostgreSQL dialect (tools/pg-check.sh).
#
#   tools/pg-cluster.sh start DIR [--port N]   initdb into DIR/data, start it, create the
#                                              database newsdesk, print its URL on stdout
#   tools/pg-cluster.sh stop DIR               stop it (by DIR/data/postmaster.pid) and
#                                              remove DIR
#   tools/pg-cluster.sh pause DIR | resume DIR  stop the server keeping its data; start
#                                              it again
#
# The server listens on a Unix socket in DIR only (listen_addresses = ''), plus 127.0.0.1
# port N when --port is given; without it N is 5432, which then names the socket file
# only. Authentication is trust: the socket is in DIR, mode 0700, and the TCP port (when
# asked for) is for tests on this machine. fsync is off: the data is thrown away.
#
# initdb refuses to run as root, so as root the cluster belongs to the system user
# newsdesk-test (made with useradd --system when missing), and every server command runs
# as that user through runuser; DIR's parent must then be reachable by that user (/tmp
# is). As anyone else the cluster is the caller's own. The URL names the cluster's
# superuser, so a client running as root or as another user connects as it.
#
# PostgreSQL's programs come from `pg_config --bindir`, else /usr/lib/postgresql/15/bin
# (PGBIN overrides both).
set -eu

PG_USER=newsdesk-test

usage() {
    echo "usage: tools/pg-cluster.sh start DIR [--port N] | stop DIR | pause DIR | resume DIR" >&2
    exit 2
}

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}

find_bin() {
    if [ -n "${PGBIN:-}" ]; then
        echo "$PGBIN"
    elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
    else
        echo /usr/lib/postgresql/15/bin
    fi
}

# Runs "$@" as the cluster's owner: the system user as root, else the caller.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

owner_name() {
    if [ "$(id -u)" -eq 0 ]; then
        echo "$PG_USER"
    else
        id -un
    fi
}

# DIR as an absolute path, of characters a URL carries as they are.
absolute() {
    case $1 in
    /*) d=$1 ;;
    *) d=$(pwd)/$1 ;;
    esac
    case $d in
    *[!A-Za-z0-9/._-]*) die "DIR may hold only letters, digits and / . _ - (it goes into a URL): $d" ;;
    esac
    echo "$d"
}

start() {
    dir=$(absolute "$1")
    port=$2
    bin=$(find_bin)
    [ -x "$bin/initdb" ] || die "no initdb in $bin (is PostgreSQL installed? PGBIN names its bin/)"
    [ ! -e "$dir" ] || die "$dir exists already: a cluster is stopped with 'stop DIR', which removes it"
    if [ "$(id -u)" -eq 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER" ||
            die "cannot make the system user $PG_USER"
    fi
    mkdir -m 0700 "$dir"
    # the mark that lets stop remove DIR: it is a directory this script made
    : >"$dir/.pg-cluster"
    [ "$(id -u)" -ne 0 ] || chown "$PG_USER" "$dir" "$dir/.pg-cluster"
    as_owner test -w "$dir" || die "$PG_USER cannot write $dir (is its parent reachable?)"
    user=$(owner_name)
    as_owner "$bin/initdb" --pgdata="$dir/data" --username="$user" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 ||
        die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
    if [ -n "$port" ]; then
        listen=127.0.0.1
    else
        listen=
        port=5432
    fi
    {
        echo "listen_addresses = '$listen'"
        echo "port = $port"
        echo "unix_socket_directories = '$dir'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
    } >>"$dir/data/postgresql.conf"
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait start \
        >/dev/null || die "the server did not start: $(tail -n 5 "$dir/server.log")"
    as_owner "$bin/createdb" --host="$dir" --port="$port" --username="$user" newsdesk ||
        die "cannot create the database newsdesk"
    echo "postgresql://$user@/newsdesk?host=$dir&port=$port"
}

# pause stops the server and keeps its data; resume starts it again (the tests that see
# what the servers do while the database is away)
pause() {
    dir=$(absolute "$1")
    [ -f "$dir/.pg-cluster" ] || die "$dir is not a cluster this script started"
    as_owner "$(find_bin)/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null ||
        die "the server did not stop"
}

resume() {
    dir=$(absolute "$1")
    [ -f "$dir/.pg-cluster" ] || die "$dir is not a cluster this script started"
    as_owner "$(find_bin)/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait start \
        >/dev/null || die "the server did not start: $(tail -n 5 "$dir/server.log")"
}

stop() {
    dir=$(absolute "$1")
    [ -f "$dir/.pg-cluster" ] || die "$dir is not a cluster this script started"
    pidfile=$dir/data/postmaster.pid
    if [ -f "$pidfile" ]; then
        pid=$(head -n 1 "$pidfile")
        case $pid in
        '' | *[!0-9]*) die "no process id in $pidfile" ;;
        esac
        # SIGINT: PostgreSQL's fast shutdown (ends the sessions, then stops)
        if kill -INT "$pid" 2>/dev/null; then
            i=0
            while kill -0 "$pid" 2>/dev/null; do
                i=$((i + 1))
                [ "$i" -le 300 ] || die "the server (process $pid) did not stop in 30 s"
                sleep 0.1
            done
        fi
    fi
    rm -rf "$dir"
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2
port=
while [ $# -gt 0 ]; do
    case $1 in
    --port)
        [ $# -ge 2 ] || usage
        port=$2
        shift 2
        case $port in
        '' | *[!0-9]*) die "--port wants a number" ;;
        esac
        ;;
    *) usage ;;
    esac
done
case $cmd in
start) start "$dir" "$port" ;;
pause) pause "$dir" ;;
resume) resume "$dir" ;;
stop)
    [ -z "$port" ] || usage
    stop "$dir"
    ;;
*) usage ;;
esac
