/*
 * The Content API's endpoints. Each checks the key and what is asked (params.c), reads
 * from store/ and answers with Ghost's objects (serialize.c). Errors are returned, never
 * rendered here: the dispatcher renders them through api_error_page (routes.c).
 */
#include "api/api_int.h"

#include "app.h"
#include "http/http.h"
#include "json/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_VERSION "v" API_GHOST_VERSION

struct api *api_new(const struct api_config *cfg)
{
    struct api *api = xcalloc(1, sizeof(*api));
    arena_init(&api->arena);
    api->cfg.url = arena_str(&api->arena, cfg->url);
    api->cfg.title = arena_str(&api->arena, cfg->title);
    api->cfg.description = arena_str(&api->arena, cfg->description);
    api->cfg.language = arena_str(&api->arena, cfg->language);
    api->cfg.timezone = arena_str(&api->arena, cfg->timezone);
    api->cfg.contact_email = arena_str(&api->arena, cfg->contact_email);
    api->cfg.logo = arena_str(&api->arena, cfg->logo);
    api->cfg.icon = arena_str(&api->arena, cfg->icon);
    api->cfg.accent_color = arena_str(&api->arena, cfg->accent_color);
    api->cfg.navigation = arena_str(&api->arena, cfg->navigation);
    return api;
}

void api_free(struct api *api)
{
    if (!api)
        return;
    arena_release(&api->arena);
    free(api);
}

static const struct api *api_of(const struct app *app)
{
    return app->api;
}

/*
 * What every answer depends on: any reader-visible write ("list": a post, its tags or
 * authors changed) and a key's revocation. A filter with a relative date changes with
 * the clock: its answer is marked as too entangled to keep (see http.h deps_overflow).
 */
static void declare_deps(struct response *res, const struct api_ask *q)
{
    http_response_dep(res, "list");
    http_response_dep(res, "apikeys");
    res->cache_control = "public, max-age=0";
    if (q && q->clock)
        res->deps_overflow = true;
}

/* {"<name>": value, "meta": meta} (no meta when it is NULL), declared and sent. */
static enum err_code answer(struct response *res, const struct api_ask *q, const char *name,
                            struct json *value, struct json *meta)
{
    struct json *root = json_obj_new();
    json_obj_set(root, name, value);
    if (meta)
        json_obj_set(root, "meta", meta);
    declare_deps(res, q);
    return api_send_json(res, root);
}

/* ---- fetching ---------------------------------------------------------------------- */

static void push(struct json *arr, struct json *obj, const struct api_ask *q)
{
    api_fields_keep(obj, q);
    json_arr_push(arr, obj);
}

/* Posts or pages; Last-Modified is the newest change among them. */
static enum err_code fetch_posts(const struct api_out *out, const struct store_api_query *sq,
                                 struct store *st, struct response *res, struct json *arr,
                                 int64_t *total, struct err *err)
{
    struct content_post *posts;
    size_t n;
    enum err_code rc = store_api_posts(st, sq, out->a, &posts, &n, total, err);
    for (size_t i = 0; !rc && i < n; i++) {
        push(arr, api_post_json(out, &posts[i]), out->q);
        int64_t t = posts[i].updated_at > posts[i].published_at ? posts[i].updated_at
                                                                : posts[i].published_at;
        if (t > res->last_modified)
            res->last_modified = t;
    }
    return rc;
}

/* Tags or authors, each with its number of posts when include=count.posts asks. */
static enum err_code fetch_counted(const struct api_out *out, const struct store_api_query *sq,
                                   struct store *st, struct json *arr, int64_t *total,
                                   struct err *err)
{
    struct content_tag *tags = NULL;
    struct content_author *authors = NULL;
    int64_t *counts;
    size_t n;
    bool is_tags = out->q->res == API_RES_TAGS;
    enum err_code rc = is_tags
                           ? store_api_tags(st, sq, out->a, &tags, &counts, &n, total, err)
                           : store_api_authors(st, sq, out->a, &authors, &counts, &n, total, err);
    bool with_count = api_words_has(&out->q->include, "count.posts");
    for (size_t i = 0; !rc && i < n; i++) {
        const int64_t *c = with_count ? &counts[i] : NULL;
        push(arr, is_tags ? api_tag_json(out, &tags[i], c) : api_author_json(out, &authors[i], c),
             out->q);
    }
    return rc;
}

/* Where q's page starts; a page past every possible row starts at API_OFFSET_MAX. */
static int64_t offset_of(const struct api_ask *q)
{
    if (q->page - 1 > API_OFFSET_MAX / q->limit)
        return API_OFFSET_MAX;
    return (q->page - 1) * q->limit;
}

/* Runs the resource's query: its rows as a new array in *arr, nothing to free on error. */
static enum err_code fetch(struct app *app, const struct request *req, struct response *res,
                           const struct api_ask *q, struct json **arr, int64_t *total,
                           struct err *err)
{
    static const enum store_api_kind kinds[] = {STORE_API_POSTS, STORE_API_PAGES, STORE_API_AUTHORS,
                                                STORE_API_TAGS};
    struct store_api_query sq = {.kind = kinds[q->res],
                                 .filter = q->filter,
                                 .order = q->order,
                                 .norder = q->norder,
                                 .limit = q->limit,
                                 .offset = offset_of(q)};
    struct api_out out = {api_of(app), q, req->arena};
    struct store *st = app_store(req);
    *arr = json_arr_new();
    *total = 0;
    enum err_code rc = q->res == API_RES_POSTS || q->res == API_RES_PAGES
                           ? fetch_posts(&out, &sq, st, res, *arr, total, err)
                           : fetch_counted(&out, &sq, st, *arr, total, err);
    if (!rc)
        return ERR_OK;
    json_free(*arr);
    *arr = NULL;
    if (rc != ERR_INVALID) /* store/ refused a field or an operator of the filter */
        return rc;
    char detail[ERR_MSG_MAX];
    snprintf(detail, sizeof(detail), "%s", err->msg);
    return err_set(err, ERR_INVALID, "Error parsing filter\n%s", detail);
}

/* ---- endpoints --------------------------------------------------------------------- */

/*
 * Ghost's Content API lists public tags only when no filter is given, and reads them
 * by id or slug only when public (serializers/input/tags.js, enforcePublicVisibility):
 * "visibility:internal" asks for the internal ones, as in Ghost. and_with is the read's
 * condition, or NULL for a browse.
 */
static void tags_public(struct api_ask *q, struct store_cond *and_with, struct arena *a)
{
    if (q->res != API_RES_TAGS || (!and_with && q->filter))
        return;
    struct store_val *v = arena_calloc(a, 1, sizeof(*v));
    *v = (struct store_val){STORE_VAL_TEXT, STR_LIT("public"), 0};
    struct store_cond *kids = arena_calloc(a, 2, sizeof(*kids));
    kids[0] = (struct store_cond){.kind = STORE_COND_CMP,
                                  .field = STR_LIT("visibility"),
                                  .op = STORE_OP_EQ,
                                  .vals = v,
                                  .nvals = 1};
    if (!and_with) {
        q->filter = &kids[0];
        return;
    }
    kids[1] = *and_with;
    struct store_cond *both = arena_calloc(a, 1, sizeof(*both));
    *both = (struct store_cond){.kind = STORE_COND_AND, .kids = kids, .nkids = 2};
    q->filter = both;
}

/* The key, the parameters and the resource of a browse or read: what every one checks. */
static enum err_code ask_of(const struct request *req, struct api_ask *q, struct err *err)
{
    enum err_code rc = api_key_check(req, err);
    if (!rc)
        rc = api_ask_read(req, q, err);
    if (!rc && q->res == API_RES_NONE)
        rc = err_set(err, ERR_NOTFOUND, "Resource not found");
    return rc;
}

enum err_code api_browse(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    struct api_ask q;
    struct json *arr;
    int64_t total;
    enum err_code rc = ask_of(req, &q, err);
    if (rc)
        return rc;
    tags_public(&q, NULL, req->arena);
    rc = fetch(app, req, res, &q, &arr, &total, err);
    if (rc)
        return rc;
    return answer(res, &q, api_resource_name(q.res), arr, api_meta_json(&q, total));
}

/* One resource whose field equals v: {"posts": [ {...} ]} without meta, or 404. */
static enum err_code read_one(struct app *app, const struct request *req, struct response *res,
                              const char *field, struct store_val v, struct err *err)
{
    static const char *const not_found[] = {"Post not found.", "Page not found.",
                                            "Author not found.", "Tag not found."};
    struct api_ask q;
    enum err_code rc = ask_of(req, &q, err);
    if (rc)
        return rc;
    struct store_val *val = arena_calloc(req->arena, 1, sizeof(*val));
    *val = v;
    struct store_cond *by = arena_calloc(req->arena, 1, sizeof(*by));
    *by = (struct store_cond){.kind = STORE_COND_CMP,
                              .field = str_from(field),
                              .op = STORE_OP_EQ,
                              .vals = val,
                              .nvals = 1};
    q.filter = by; /* Ghost's read takes the id or slug alone */
    tags_public(&q, by, req->arena);
    q.clock = false;
    q.limit = 1;
    q.page = 1;
    q.norder = 0;
    struct json *arr;
    int64_t total;
    rc = fetch(app, req, res, &q, &arr, &total, err);
    if (!rc && json_arr_len(arr) == 0) {
        json_free(arr);
        rc = err_set(err, ERR_NOTFOUND, "%s", not_found[q.res]);
    }
    return rc ? rc : answer(res, &q, api_resource_name(q.res), arr, NULL);
}

enum err_code api_read_id(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    static const enum api_id_kind kinds[] = {API_ID_POST, API_ID_POST, API_ID_AUTHOR, API_ID_TAG};
    enum api_resource r = api_resource_of(req);
    struct str id = http_request_param(req, "id");
    /* the key first, then the id: Ghost authenticates before it validates */
    enum err_code rc = api_key_check(req, err);
    if (rc)
        return rc;
    if (!api_id_valid(id))
        return err_set(err, ERR_VALIDATION, "Validation (matches) failed for id");
    struct store_val v = {STORE_VAL_INT, STR_NULL, -1}; /* no such row: a 404 */
    if (r != API_RES_NONE)
        v = api_id_value(id, (int)kinds[r], req->arena);
    return read_one(app, req, res, "id", v, err);
}

enum err_code api_read_slug(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    struct str slug = http_request_param(req, "slug");
    return read_one(app, req, res, "slug", (struct store_val){STORE_VAL_TEXT, slug, 0}, err);
}

enum err_code api_settings(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    enum err_code rc = api_key_check(req, err);
    if (rc)
        return rc;
    struct api_out out = {api_of(app), NULL, req->arena};
    return answer(res, NULL, "settings", api_settings_json(&out), json_obj_new());
}

enum err_code api_empty(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    (void)app;
    struct api_ask q;
    enum err_code rc = api_key_check(req, err);
    if (!rc)
        rc = api_ask_read(req, &q, err);
    if (rc)
        return rc;
    const char *name = str_ends_with(req->path, "/tiers/") ? "tiers" : "newsletters";
    return answer(res, NULL, name, json_arr_new(), api_meta_json(&q, 0));
}

enum err_code api_content_root(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    (void)app;
    static const char *const names[] = {"posts",    "pages", "authors",    "tags",
                                        "settings", "tiers", "newsletters"};
    enum err_code rc = api_key_check(req, err);
    if (rc)
        return rc;
    struct json *arr = json_arr_new();
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        json_arr_push(arr, json_str_new(str_from(names[i])));
    return answer(res, NULL, "resources", arr, NULL);
}

enum err_code api_not_found(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    (void)app;
    struct str raw = req->raw_path;
    /* Ghost's paths end in '/': send there first (as the site does), with the query */
    if (raw.len && raw.ptr[raw.len - 1] != '/' && !memchr(raw.ptr, '\\', raw.len)) {
        char *loc = req->query.len ? arena_printf(req->arena, "%.*s/?%.*s", (int)raw.len, raw.ptr,
                                                  (int)req->query.len, req->query.ptr)
                                   : arena_printf(req->arena, "%.*s/", (int)raw.len, raw.ptr);
        http_response_redirect(res, 301, str_from(loc));
        return ERR_OK;
    }
    return err_set(err, ERR_NOTFOUND, "Resource not found");
}

enum err_code api_preflight(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    (void)err;
    (void)app;
    struct str want = http_request_header(req, "access-control-request-headers");
    res->status = 204;
    buf_reset(&res->body);
    http_response_header(res, "access-control-allow-methods", STR_LIT("GET, HEAD, OPTIONS"));
    /* the client sends Accept-Version (and a User-Agent); allow what is asked for */
    http_response_header(res, "access-control-allow-headers",
                         want.ptr && want.len < 1024 ? want : STR_LIT("Accept-Version"));
    http_response_header(res, "access-control-max-age", STR_LIT("86400"));
    http_response_header(res, "vary", STR_LIT("Access-Control-Request-Headers"));
    return ERR_OK;
}

void api_response_finish(const struct request *req, struct response *res)
{
    (void)req;
    http_response_header_ref(res, STR_LIT("access-control-allow-origin"), STR_LIT("*"));
    http_response_header_ref(res, STR_LIT("content-version"), STR_LIT(API_VERSION));
    if (res->status >= 400)
        http_response_header_ref(res, STR_LIT("cache-control"),
                                 STR_LIT("no-cache, private, no-store, must-revalidate, "
                                         "max-stale=0, post-check=0, pre-check=0"));
}
