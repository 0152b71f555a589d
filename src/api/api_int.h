/*
 * What api/'s files share, and nothing else includes:
 *
 * - params.c reads what a request asks for (the resource from the path; Ghost's
 *   include, fields, formats, filter, limit, page and order from the query) into a
 *   struct api_ask, checks the key, and converts ids;
 * - serialize.c turns rows into Ghost's JSON objects and writes responses, Ghost's
 *   error envelope included;
 * - content.c holds the endpoints: each checks, fetches from store/ and answers.
 *
 * A new endpoint goes into content.c; a new parameter into params.c (and into the
 * route's cache key, api_params in routes.c); a new resource's serializer into
 * serialize.c.
 */
#ifndef API_INT_H
#define API_INT_H

#include "api/api.h"
#include "store/store.h"

struct json;

#define API_LIMIT_DEFAULT 15
#define API_LIMIT_MAX 100 /* Ghost 6 caps limit (and limit=all) at 100 */
/*
 * page= is any positive int64, echoed in the pagination as Ghost does. The offset of a
 * page past every row is saturated here instead of overflowing: no SQLite table holds
 * 2^62 rows (its databases stop at 2^48 bytes), so that offset is past the end as well.
 */
#define API_OFFSET_MAX (INT64_C(1) << 62)
#define API_WORDS_MAX 32        /* words kept from a comma-separated parameter */
#define API_GHOST_VERSION "6.0" /* the Ghost whose answers ours follow (settings' "version") */

struct api {
    struct arena arena;
    struct api_config cfg;
};

/* The resources, in the order of store's STORE_API_* kinds. */
enum api_resource { API_RES_POSTS, API_RES_PAGES, API_RES_AUTHORS, API_RES_TAGS, API_RES_NONE };

/* A comma-separated parameter as a set of words, borrowed from the request. */
struct api_words {
    struct str w[API_WORDS_MAX];
    size_t n;
    bool given;
};

/* What a browse or read asks for. Lives in the request (filter in its arena). */
struct api_ask {
    enum api_resource res;
    struct api_words include, fields, formats;
    struct store_cond *filter;
    bool clock; /* the filter names a relative date */
    struct store_order order[STORE_ORDER_MAX];
    size_t norder;
    int64_t limit, page;
};

/* ---- params.c ---------------------------------------------------------------------- */

/** "posts", "pages", "authors", "tags": the key of a resource's array in answers. */
const char *api_resource_name(enum api_resource r);
/** The resource named by the segment after /ghost/api/content/ (API_RES_NONE: none). */
enum api_resource api_resource_of(const struct request *req);
bool api_words_has(const struct api_words *ws, const char *w);
/** Whether s passes Ghost's check of an id (else Ghost answers 422 ValidationError). */
bool api_id_valid(struct str s);
/**
 * The filter value an id stands for: one of ours (api_id_format, of kind, or of any
 * kind when kind is 0) as the row id; any other 24-hex id, lowercased in a, as the
 * Ghost id of an imported row (text); anything else -1, which matches no row.
 */
struct store_val api_id_value(struct str s, int kind, struct arena *a);
/**
 * ?key= against the active content keys: none is ERR_FORBIDDEN, an unknown one ERR_AUTH,
 * with Ghost's messages. Reads the keys on every call (see params.c for why that is enough).
 */
enum err_code api_key_check(const struct request *req, struct err *err);
/**
 * The resource and Ghost's parameters into *q; ERR_INVALID with Ghost's message for a
 * malformed one. A filter's tree lives in the request's arena.
 */
enum err_code api_ask_read(const struct request *req, struct api_ask *q, struct err *err);

/* ---- serialize.c ------------------------------------------------------------------- */

/* What a serializer reads besides its row: the site's address, the ask, an arena. */
struct api_out {
    const struct api *api;
    const struct api_ask *q; /* NULL for answers without parameters */
    struct arena *a;         /* the request's: URLs are built in it */
};

/* Ghost's objects. Each returns a new tree the caller frees or hands on. */
struct json *api_post_json(const struct api_out *o, const struct content_post *p);
/** count: the tag's published posts, or NULL without include=count.posts. */
struct json *api_tag_json(const struct api_out *o, const struct content_tag *t,
                          const int64_t *count);
struct json *api_author_json(const struct api_out *o, const struct content_author *u,
                             const int64_t *count);
struct json *api_settings_json(const struct api_out *o);
/* The accent_color setting as Ghost gives it: "#b3261e", or null when unset. */
struct json *api_accent_color(const struct api_config *cfg);
/**
 * {"pagination": {page, limit, pages, total, next, prev}} for total rows, as Ghost's
 * bookshelf-pagination formats it: page as asked, even past the last; pages at least 1;
 * prev only when there are two pages or more. One deliberate difference: past the last
 * page next is null, where Ghost points on to page + 1, a page that does not exist either.
 */
struct json *api_meta_json(const struct api_ask *q, int64_t total);
/** Applies ?fields= to a resource's object (relations asked for by include= stay). */
void api_fields_keep(struct json *obj, const struct api_ask *q);
/**
 * Writes root as the response body (compact JSON, application/json) and frees root.
 * ERR_TOOBIG past the response's cap.
 */
enum err_code api_send_json(struct response *res, struct json *root);

#endif
