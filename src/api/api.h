/*
 * api: the Ghost-compatible Content API (/ghost/api/content/...), answered so that Ghost's
 * own client (@tryghost/content-api) and what is built on it work unchanged.
 *
 * - Responses have Ghost's shapes: {"posts": [...], "meta": {"pagination": ...}} to
 *   browse, a one-element array without meta to read, Ghost's field names and types
 *   (ids as 24 hex digits, dates as "2026-11-26T05:47:00.000+00:00", null where Ghost
 *   gives null), and errors in Ghost's envelope {"errors": [{message, context, type,
 *   details, property, help, code, id, ghostErrorCode}]}.
 * - Every request carries ?key= (a content key, `newsdesk apikey add`): missing is 403,
 *   unknown or revoked 401. Responses are cacheable like pages: they depend on "list"
 *   (any reader-visible write) and "apikeys" (a revocation), so a revoked key stops at
 *   once even when its answers are cached.
 * - ?filter= is Ghost's NQL (nql.c), parsed into store's condition tree: store/ turns it
 *   into SQL with bound values, never into SQL text.
 *
 * A struct api is built once at start-up and only read while serving (any thread).
 */
#ifndef API_H
#define API_H

#include "base/base.h"

struct app;
struct request;
struct response;
struct store_cond;

/* ---- NQL, Ghost's filter language ------------------------------------------------- */

#define API_NQL_MAX 4096       /* bytes of filter text */
#define API_NQL_DEPTH_MAX 16   /* nested parentheses */
#define API_NQL_VALUES_MAX 500 /* values in a whole filter (a list counts each) */
#define API_NQL_TERMS_MAX 200  /* comparisons in a whole filter */

/**
 * Parses an NQL filter ("tag:news+featured:true", "published_at:>now-7d",
 * "tag:[a,b],author:-desk", "(a:1,b:2)+c:-[x,y]") into a condition tree for store/:
 * ',' is or and binds looser than '+' (and); parentheses group; after ':' come '-' (not),
 * '>', '>=', '<', '<=', '~' (contains), '~^' (starts with), '~$' (ends with), then a
 * value: 'quoted' or "quoted" text (backslash escapes the quote), a bare word, true,
 * false, null, a [list], or a relative date now-7d / now+1h (s m h d w M y), resolved
 * against now. *uses_clock says whether one was (the answer then changes with time).
 * Field names are not checked here (store/ knows each resource's fields).
 *
 * Refuses with ERR_INVALID and a message with the byte offset: bad syntax, unterminated
 * quotes, nesting past API_NQL_DEPTH_MAX, more than API_NQL_VALUES_MAX values or
 * API_NQL_TERMS_MAX comparisons, input past API_NQL_MAX, invalid UTF-8. Never partial
 * output. Results live in a. Thread-safe.
 */
enum err_code api_nql_parse(struct str filter, int64_t now, struct arena *a,
                            struct store_cond **out, bool *uses_clock, struct err *err);

/* ---- ids ------------------------------------------------------------------------- */

enum api_id_kind { API_ID_POST = 1, API_ID_TAG = 2, API_ID_AUTHOR = 3 };

/**
 * Ghost's ids are 24 hex digits. Ours are derived from the row id: "6e64" ("nd"), four
 * digits for the kind, sixteen for the id, so they are stable forever and a tag id is
 * never taken for a post's.
 */
void api_id_format(enum api_id_kind kind, int64_t id, char out[25]);
/** The row id in a Ghost id of that kind; false when it is not one. */
bool api_id_parse(struct str s, enum api_id_kind kind, int64_t *id);

/* ---- the API --------------------------------------------------------------------- */

struct api_config {
    struct str url; /* the site's public address, no trailing slash */
    struct str title;
    struct str description;
    struct str language;
    struct str timezone;
    struct str contact_email;
    struct str logo; /* image URLs (a path is made absolute), may be empty */
    struct str icon;
    struct str accent_color; /* "#RRGGBB" or empty (null) */
    struct str navigation;   /* the setting's JSON array of {"label", "url"} */
};

struct api;

/** Copies cfg. Caller frees with api_free(). */
struct api *api_new(const struct api_config *cfg);
void api_free(struct api *api);

/* Handlers (route_handler_fn). The resource comes from the path. */
enum err_code api_content_root(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code api_browse(struct app *app, const struct request *req, struct response *res,
                         struct err *err);
enum err_code api_read_id(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code api_read_slug(struct app *app, const struct request *req, struct response *res,
                            struct err *err);
enum err_code api_settings(struct app *app, const struct request *req, struct response *res,
                           struct err *err);
/** tiers/ and newsletters/: we have none, so an empty page. */
enum err_code api_empty(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
/** Anything else under /ghost/api/content/: slash redirect, else 404 in Ghost's envelope. */
enum err_code api_not_found(struct app *app, const struct request *req, struct response *res,
                            struct err *err);
/** OPTIONS: the CORS preflight. */
enum err_code api_preflight(struct app *app, const struct request *req, struct response *res,
                            struct err *err);

/**
 * Renders an error in Ghost's envelope (http_send_err's renderer for API routes; ctx is
 * the struct app). msg is Ghost's message, optionally followed by '\n' and the context.
 */
enum err_code api_error_page(void *ctx, const struct request *req, struct response *res,
                             enum err_code code, const char *msg);
/**
 * What every API response carries, cached or not, success or error: CORS
 * (Access-Control-Allow-Origin: *), Content-Version, and no-store on errors.
 */
void api_response_finish(const struct request *req, struct response *res);

#endif
