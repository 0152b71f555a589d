/*
 * Shared by the http module's own files only (STYLE 1): the checks server.c runs on what
 * libh2o parsed, kept apart from the socket code so that they can be unit-tested and
 * fuzzed without a server.
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include "base/base.h"
#include "http/http.h"

/**
 * Checks what an HTTP/1 request head says about where its message ends and which host it
 * is for (RFC 9112 §6.3 and §3.2), so that no two readers of it can disagree on its
 * length. head is the request as received, starting at the request line (empty lines
 * before it are skipped) and running at least to the empty line after the fields; bytes
 * after that are ignored. method is the request's method, which the request line must
 * start with; http11 says whether the request line said HTTP/1.1.
 *
 * Refused with ERR_INVALID and the reason in err: Content-Length together with
 * Transfer-Encoding; more than one Content-Length field (even with equal values); a
 * Transfer-Encoding other than exactly "chunked", across all its fields; Transfer-Encoding
 * in HTTP/1.0; more than one Host field, or none in HTTP/1.1; a folded field line (obs-fold).
 * ERR_INTERNAL when head does not hold a whole head of a request with that method. Keeps
 * nothing; thread-safe.
 */
enum err_code http_head_check(struct str head, struct str method, bool http11, struct err *err);

struct http_tls;
/** The OpenSSL context (SSL_CTX *) of an https set-up, for server.c's listeners. */
void *http_tls_ctx(struct http_tls *t);

/* ---- the server's counters (stats.c) ------------------------------------------------ */

/* the statuses we send, each counted on its own; any other is counted as "other" */
#define HTTP_STATUS_SLOTS 28

/*
 * One worker thread's counters: written by that thread only (no locked instruction on the
 * request path, no cache line shared with another writer), read by whichever worker
 * answers /metrics. Padded so that two workers' counters never share a cache line.
 */
struct http_worker_stats {
    _Atomic uint64_t requests[HTTP_ROUTE_CLASSES_MAX][HTTP_STATUS_SLOTS];
    struct hist duration[HTTP_ROUTE_CLASSES_MAX];
    _Atomic uint64_t accepted; /* connections */
    _Atomic uint64_t closed;
    char pad[64];
};

/* A server's counters: one struct http_worker_stats per worker, and the class names. */
struct http_stats {
    const char *const *classes; /* http_config.route_classes, or NULL */
    size_t nclasses;
    struct http_worker_stats *workers;
    unsigned nworkers;
};

/** Allocates the counters of n workers (zeroed); http_stats_release frees them. */
void http_stats_init(struct http_stats *s, const char *const *classes, unsigned n);
void http_stats_release(struct http_stats *s);
/** Counts a response sent after ns nanoseconds; on the worker's own thread. */
void http_stats_request(struct http_worker_stats *w, int status, unsigned route_class, uint64_t ns);
/** A connection accepted (open) or closed; on the worker's own thread. */
void http_stats_connection(struct http_worker_stats *w, bool open);

#endif
