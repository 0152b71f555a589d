/*
 * Shared by the http module's own files only (STYLE 1): the checks server.c runs on what
 * libh2o parsed, kept apart from the socket code so that they can be unit-tested and
 * fuzzed without a server.
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include "base/base.h"

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

#endif
