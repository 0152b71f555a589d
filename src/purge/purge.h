/*
 * purge: keeps shared caches in front of the site (Varnish, a CDN) as fresh as our own.
 *
 * Every response our cache keeps names the data it shows by dependency keys ("post:12",
 * "list", "tag:3"; cache.h). It is sent with them as Surrogate-Key (space-separated, as
 * Fastly and Varnish's xkey read it) and Cache-Tag (comma-separated, as Cloudflare reads
 * it), plus PURGE_KEY_ALL, which every such response carries. After each committed write
 * the keys of its change are purged at every configured endpoint, so those caches drop
 * exactly the pages the write touched.
 *
 * Who purges: one thread per server follows the store's change log (so a write from any
 * process on the database is purged, and a writer that dies after its COMMIT loses
 * nothing), but of the servers sharing one database only the one holding an exclusive
 * lock on "<db>-purge" sends purges; the others wait for the lock and take over when its
 * holder exits or dies. The same file keeps the change sequence purged so far (every
 * purge of every change up to it answered 2xx), where the next holder resumes.
 *
 * Requests: the xkey form, `PURGE <path of the URL>` with `xkey: k1 k2 ...`. A failed
 * purge (no connection, a timeout, a non-2xx) is tried again after retry_ms, doubling up
 * to PURGE_RETRY_MAX_MS, until it succeeds. When an endpoint has more than
 * PURGE_BEHIND_MAX purges waiting, they become one purge of PURGE_KEY_ALL (logged).
 *
 * Threads: purge_start() starts one thread that does everything (libcurl's multi
 * interface); nothing here blocks a writer or a reader.
 */
#ifndef PURGE_H
#define PURGE_H

#include "base/base.h"

struct purge;

#define PURGE_KEY_ALL "all"         /* carried by every response that carries keys */
#define PURGE_URLS_MAX 16           /* --purge-url endpoints */
#define PURGE_URL_MAX 2048          /* bytes of one */
#define PURGE_BEHIND_MAX 256        /* purges waiting for one endpoint; past it, all */
#define PURGE_KEYS_BYTES 4096       /* an xkey header; more keys in one go: all */
#define PURGE_RETRY_MS_DEFAULT 100  /* the first retry; doubling ... */
#define PURGE_RETRY_MAX_MS 10000    /* ... up to this */
#define PURGE_TIMEOUT_MS 5000       /* one purge request, connecting included */
#define PURGE_ECHO_MS 1000          /* each purge is sent again this much later (purge.c) */
#define PURGE_HEADER_MAX (2 * 1024) /* the keys' header of one response */

/* A list of purge endpoints (serve --purge-url), as a list of proxies is. */
struct purge_urls {
    const char *url[PURGE_URLS_MAX]; /* borrowed: the caller keeps them alive */
    size_t n;
};

/**
 * Adds url after checking it: an absolute http or https URL without userinfo or fragment,
 * of at most PURGE_URL_MAX bytes. ERR_INVALID with what it "must be", ERR_LIMIT past
 * PURGE_URLS_MAX. url is kept, not copied.
 */
enum err_code purge_urls_add(struct purge_urls *l, const char *url, struct err *err);

/**
 * Appends key to out as a header-safe token: bytes outside RFC 9110's tchar and ':' are
 * written as %XX, so a key can neither end a header nor split into two. The change log's
 * keys are encoded the same way when they are purged, so both sides agree.
 */
enum err_code purge_key_write(struct str key, struct buf *out);

struct purge_config {
    const char *db_path;
    struct purge_urls urls;
    int64_t retry_ms; /* the first retry's delay (0: PURGE_RETRY_MS_DEFAULT) */
};

/**
 * Starts the purging thread with its own read connection to db_path. Does nothing and
 * sets *out to NULL when cfg has no URL. ERR_INVALID when the database or "<db>-purge"
 * cannot be opened, ERR_INTERNAL when libcurl or the thread cannot start.
 */
enum err_code purge_start(const struct purge_config *cfg, struct purge **out, struct err *err);
/** Stops the thread (purges not yet sent are left to the next holder) and frees p. */
void purge_stop(struct purge *p);
/**
 * Appends the purge counters in Prometheus' text format: requests by result, purges of
 * everything, the waiting queue and whether this server is the one purging. Nothing for
 * a NULL p. Thread-safe.
 */
enum err_code purge_metrics_write(const struct purge *p, struct buf *out);

#endif
