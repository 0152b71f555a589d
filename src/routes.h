/*
 * The route table: every URL the server answers, with the flags checked centrally
 * before any handler runs: method, body size, cacheability, the staff role a route needs,
 * and the CSRF and Origin checks of state-changing requests.
 */
#ifndef ROUTES_H
#define ROUTES_H

#include "base/base.h"
#include "http/http.h"

struct app;
struct request;
struct response;

/*
 * A handler fills res and returns ERR_OK, or returns an error with its message in err
 * (`return err_set(err, ERR_FORBIDDEN, "only editors manage tags");`) and leaves the
 * answer to the dispatcher, which renders it for the route's audience: the theme's error
 * page for readers, the newsroom's page for staff, Ghost's JSON envelope for the API.
 * A handler never builds an error page itself. err is never NULL and starts empty.
 */
typedef enum err_code (*route_handler_fn)(struct app *app, const struct request *req,
                                          struct response *res, struct err *err);

enum route_flags {
    ROUTE_CACHEABLE = 1 << 0, /* an anonymous GET whose response depends only on the URL */
    /*
     * A state-changing request from a browser: it must come from our own pages (Origin,
     * else Referer, names this site) and carry the CSRF token of its session (or, before
     * login, of the login form). Refused with 403 otherwise, before the handler runs.
     */
    ROUTE_CSRF = 1 << 1,
    /* A state-changing request anyone may send (the tips form): the Origin check alone. */
    ROUTE_ORIGIN = 1 << 2,
    ROUTE_API = 1 << 3,   /* Ghost's API: JSON errors, CORS, Content-Version */
    ROUTE_ADMIN = 1 << 4, /* the newsroom: errors on the newsroom's page */
    ROUTE_PAGE = 1 << 5,  /* a reader's HTML page: sent with the pages' CSP (routes.c) */
    /*
     * With ROUTE_CACHEABLE: the same bytes whoever asks (a theme's files), so a request
     * with credentials shares the cached response too, compressed variants included.
     */
    ROUTE_SHARED = 1 << 6,
    /*
     * With ROUTE_CACHEABLE: a reader's search, cached in the searches' own share of memory
     * (app->search_cache) under site_search_key, so that a flood of distinct queries
     * evicts other searches, never the pages readers keep asking for.
     */
    ROUTE_SEARCH = 1 << 7,
    /*
     * A feed the WebSub hub distributes: its answers (rendered, cached or 304) carry
     * Link headers naming the hub and the feed itself (WebSub 4). Above the role's bits.
     */
    ROUTE_FEED = 1 << 16,
};

/* Routes for staff: a session whose role is at least role (enum auth_role). */
#define ROUTE_STAFF(role) ((unsigned)(role) << 8)
#define ROUTE_ROLE_OF(flags) (((flags) >> 8) & 0xff)

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

/* body_max of the photo upload: the site's photo limit (media_config) and the form around it */
#define ROUTE_BODY_MEDIA SIZE_MAX
/* body_max of the readers' tips form with its photos (SITE_TIPS_BODY_MAX) */
#define ROUTE_BODY_TIPS (SIZE_MAX - 1)
#define ROUTE_MEDIA_FORM_OVERHEAD (64 * 1024)

/** Prefixes of the paths that carry a secret (http_config's secret_paths), NULL-terminated. */
extern const char *const routes_secret_paths[];
/** Query parameters that carry a secret (http_config's secret_params), NULL-terminated. */
extern const char *const routes_secret_params[];
/**
 * The names of the kinds of route /metrics counts requests by (http_config's
 * route_classes), NULL-terminated; routes_dispatch sets response.route_class to one.
 */
extern const char *const routes_classes[];
/** Routes a request (http_dispatch_fn; ctx is the struct app). */
void routes_dispatch(void *ctx, struct request *req, struct response *res);
/** The largest request body any route accepts (the photo upload's, with app->media's limit). */
size_t routes_body_max(const struct app *app);
/**
 * The largest body the route that method and raw_path name accepts (http_config's
 * body_limit; ctx is the struct app): checked before the body is read. A path no route
 * takes gets the largest limit of the routes that take a form.
 */
size_t routes_body_limit(void *ctx, enum http_method method, struct str raw_path);

#endif
