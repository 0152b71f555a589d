/*
 * A real Varnish (Debian's varnishd with vmod_xkey from varnish-modules) in front of
 * test servers, started and stopped by the test by its PID.
 */
#ifndef TEST_VARNISH_H
#define TEST_VARNISH_H

#include "harness.h"

#include <sys/types.h>

#define VARNISHD "/usr/sbin/varnishd"

/*
 * varnishd on 127.0.0.1:port with a round-robin director over the n backend ports, its
 * files in dir: PURGE with an xkey header from 127.0.0.1 only (a hard purge: a soft one
 * would keep serving the old page in grace); responses without keys (errors, the
 * newsroom) never kept; requests with a session or credentials passed; X-Varnish-Cache
 * says HIT or MISS. Fails the test, saying why, when varnishd is missing or exits.
 * Returns its PID.
 */
pid_t varnish_start(const char *dir, int port, const int *backends, size_t n);
/** Stops it (nothing when pid is 0). */
void varnish_stop(pid_t pid);

#endif
