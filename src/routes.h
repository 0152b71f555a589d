/*
 * The route table: every URL the server answers, with the flags checked centrally
 * before any handler runs (method, body size; later auth role, CSRF, cacheability).
 */
#ifndef ROUTES_H
#define ROUTES_H

#include "base/base.h"

struct app;
struct request;
struct response;

typedef enum err_code (*route_handler_fn)(struct app *app, const struct request *req,
                                          struct response *res);

enum route_flags {
    ROUTE_CACHEABLE = 1 << 0, /* an anonymous GET whose response depends only on the URL */
    ROUTE_API = 1 << 1,       /* Ghost's API: JSON errors, CORS, Content-Version */
};

struct route {
    unsigned methods; /* enum http_method bits */
    const char *pattern;
    route_handler_fn handler;
    unsigned flags;
    size_t body_max;
    /*
     * The query parameters the handler reads (NULL-terminated; NULL: none). A cached
     * response is keyed by the path and these alone, so unknown parameters (tracking
     * tags, a flood of random ones) share the page's entry instead of filling the cache.
     */
    const char *const *params;
};

/** Routes a request (http_dispatch_fn; ctx is the struct app). */
void routes_dispatch(void *ctx, struct request *req, struct response *res);
/** The largest request body any route accepts. */
size_t routes_body_max(void);
/** True when a post slug would be shadowed by a fixed route ("tag", "page", ...). */
bool routes_slug_reserved(struct str slug);

#endif
