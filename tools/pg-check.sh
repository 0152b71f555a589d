#!/bin/sh
# Checks the PostgreSQL dialect (src/store/sql_pg.h, schema_pg.c) against a throwaway
# PostgreSQL: builds tools/pg/'s checker, starts a cluster (tools/pg-cluster.sh) in a new
# directory under TMPDIR, runs the checker on it, stops it. Exit status 1 when any
# statement fails to prepare or any end-to-end result is wrong.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/tools/pg-check-sql >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-pg.XXXXXX")
# pg-cluster.sh makes DIR itself
rmdir "$dir"
url=$(tools/pg-cluster.sh start "$dir")
rc=0
build/tools/pg-check-sql "$url" || rc=1
tools/pg-cluster.sh stop "$dir" || rc=1
exit "$rc"
