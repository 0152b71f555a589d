/*
 * The Content API's endpoints and serializers. Field lists and types follow Ghost's
 * Content API output (core/server/api/endpoints/utils/serializers/output, and the
 * response snapshots of its e2e tests, test/e2e-api/content/__snapshots__): what we have
 * no data for is null, as Ghost gives null for an empty field.
 */
#include "api/api.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define API_VERSION "v6.0"
#define API_LIMIT_DEFAULT 15
#define API_LIMIT_MAX 100 /* Ghost 6 caps limit (and limit=all) at 100 */
#define API_PAGE_MAX 1000000
#define API_EXCERPT_UNITS 500 /* Ghost: plaintext.substring(0, 500), in UTF-16 units */

struct api {
    struct arena arena;
    struct api_config cfg;
};

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
    return api;
}

void api_free(struct api *api)
{
    if (!api)
        return;
    arena_release(&api->arena);
    free(api);
}

/* ---- ids ------------------------------------------------------------------------- */

void api_id_format(enum api_id_kind kind, int64_t id, char out[25])
{
    snprintf(out, 25, "6e64%04x%016llx", (unsigned)kind, (unsigned long long)id);
}

bool api_id_parse(struct str s, enum api_id_kind kind, int64_t *id)
{
    char want[9];
    snprintf(want, sizeof(want), "6e64%04x", (unsigned)kind);
    if (s.len != 24 || memcmp(s.ptr, want, 8) != 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 8; i < 24; i++) {
        char c = s.ptr[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    if (v == 0 || v > INT64_MAX)
        return false;
    *id = (int64_t)v;
    return true;
}

/* ---- what a request asks for ----------------------------------------------------- */

enum resource { RES_POSTS, RES_PAGES, RES_AUTHORS, RES_TAGS, RES_NONE };

static const char *const resource_names[] = {"posts", "pages", "authors", "tags"};
static const char *const not_found_msgs[] = {"Post not found.", "Page not found.",
                                             "Author not found.", "Tag not found."};

/* The segment after /ghost/api/content/. */
static enum resource resource_of(const struct request *req)
{
    static const char prefix[] = "/ghost/api/content/";
    struct str p = req->path;
    if (!str_starts_with(p, prefix))
        return RES_NONE;
    struct str rest = {p.ptr + sizeof(prefix) - 1, p.len - (sizeof(prefix) - 1)};
    for (size_t i = 0; i < ARRAY_LEN(resource_names); i++) {
        size_t n = strlen(resource_names[i]);
        if (rest.len > n && memcmp(rest.ptr, resource_names[i], n) == 0 && rest.ptr[n] == '/')
            return (enum resource)i;
    }
    return RES_NONE;
}

/* A comma-separated parameter as a set of words. */
struct words {
    struct str w[32];
    size_t n;
    bool given;
};

static bool has_word(const struct words *ws, const char *w)
{
    for (size_t i = 0; i < ws->n; i++)
        if (str_eq_cstr(ws->w[i], w))
            return true;
    return false;
}

static void split_words(struct str s, struct words *out)
{
    out->n = 0;
    out->given = true;
    size_t i = 0;
    while (i <= s.len && out->n < ARRAY_LEN(out->w)) {
        size_t start = i;
        while (i < s.len && s.ptr[i] != ',')
            i++;
        struct str w = str_trim((struct str){s.ptr + start, i - start});
        if (w.len)
            out->w[out->n++] = w;
        i++;
    }
}

struct ask {
    enum resource res;
    struct words include, fields, formats;
    struct store_cond *filter;
    bool clock; /* the filter names a relative date */
    struct store_order order[STORE_ORDER_MAX];
    size_t norder;
    int64_t limit, page;
};

/* A query parameter: absent leaves *v empty; bad encoding is refused. */
static enum err_code param(const struct request *req, const char *name, struct str *v,
                           bool *present, struct err *err)
{
    *v = STR_NULL;
    enum err_code rc = http_request_query(req, name, v);
    *present = rc == ERR_OK;
    if (rc == ERR_INVALID)
        return err_set(err, ERR_INVALID, "Validation error, cannot read the '%s' parameter", name);
    return ERR_OK;
}

static enum err_code read_number(struct str v, const char *name, int64_t max, int64_t *out,
                                 struct err *err)
{
    if (!str_to_i64(v, out) || *out < 1)
        return err_set(err, ERR_INVALID, "Validation error, '%s' must be a positive number", name);
    if (*out > max)
        *out = max;
    return ERR_OK;
}

/* "published_at desc, title asc" */
static enum err_code read_order(struct str v, struct ask *q, struct err *err)
{
    struct words terms;
    split_words(v, &terms);
    for (size_t i = 0; i < terms.n; i++) {
        if (q->norder == STORE_ORDER_MAX)
            return err_set(err, ERR_INVALID, "Validation error, too many order fields");
        struct str t = terms.w[i];
        const char *sp = memchr(t.ptr, ' ', t.len);
        struct store_order *o = &q->order[q->norder++];
        o->field = sp ? (struct str){t.ptr, (size_t)(sp - t.ptr)} : t;
        struct str dir = sp ? str_trim((struct str){sp, t.len - o->field.len}) : STR_NULL;
        o->desc = str_case_eq(dir, "desc");
        if (dir.len && !o->desc && !str_case_eq(dir, "asc"))
            return err_set(err, ERR_INVALID, "Validation error, bad order '%.*s'", (int)t.len,
                           t.ptr);
    }
    return ERR_OK;
}

/* Ghost's ids in filters ("id:6e64...", "tags.id:[...]") become our row ids. */
static void convert_ids(struct store_cond *k, int depth)
{
    if (depth > API_NQL_DEPTH_MAX * 2 + 2)
        return;
    if (k->kind != STORE_COND_CMP) {
        for (size_t i = 0; i < k->nkids; i++)
            convert_ids((struct store_cond *)&k->kids[i], depth + 1);
        return;
    }
    enum api_id_kind kind = str_eq_cstr(k->field, "id")           ? 0
                            : str_eq_cstr(k->field, "tags.id")    ? API_ID_TAG
                            : str_eq_cstr(k->field, "authors.id") ? API_ID_AUTHOR
                                                                  : (enum api_id_kind) - 1;
    if ((int)kind < 0)
        return;
    for (size_t i = 0; i < k->nvals; i++) {
        struct store_val *v = (struct store_val *)&k->vals[i];
        int64_t id = -1;
        bool ok = false;
        if (v->kind != STORE_VAL_TEXT)
            continue;
        if (kind)
            ok = api_id_parse(v->text, kind, &id);
        else /* a bare "id" is the resource's own: whichever kind parses */
            for (int kk = API_ID_POST; kk <= API_ID_AUTHOR && !ok; kk++)
                ok = api_id_parse(v->text, (enum api_id_kind)kk, &id);
        *v = (struct store_val){STORE_VAL_INT, v->text, ok ? id : -1};
    }
}

static enum err_code read_ask(const struct request *req, struct ask *q, struct err *err)
{
    memset(q, 0, sizeof(*q));
    q->res = resource_of(req);
    q->limit = API_LIMIT_DEFAULT;
    q->page = 1;
    struct str v;
    bool has;
    enum err_code rc = param(req, "include", &v, &has, err);
    if (!rc && has)
        split_words(v, &q->include);
    if (!rc)
        rc = param(req, "fields", &v, &has, err);
    if (!rc && has)
        split_words(v, &q->fields);
    if (!rc)
        rc = param(req, "formats", &v, &has, err);
    if (!rc && has)
        split_words(v, &q->formats);
    if (!rc)
        rc = param(req, "limit", &v, &has, err);
    if (!rc && has && str_eq_cstr(v, "all"))
        q->limit = API_LIMIT_MAX;
    else if (!rc && has)
        rc = read_number(v, "limit", API_LIMIT_MAX, &q->limit, err);
    if (!rc)
        rc = param(req, "page", &v, &has, err);
    if (!rc && has)
        rc = read_number(v, "page", API_PAGE_MAX, &q->page, err);
    if (!rc)
        rc = param(req, "order", &v, &has, err);
    if (!rc && has)
        rc = read_order(v, q, err);
    if (rc)
        return rc;
    rc = param(req, "filter", &v, &has, err);
    if (!rc && has && v.len) {
        struct err perr = {0};
        rc = api_nql_parse(v, time_now(), req->arena, &q->filter, &q->clock, &perr);
        if (rc)
            return err_set(err, ERR_INVALID, "Error parsing filter\n%s", perr.msg);
        convert_ids(q->filter, 0);
    }
    return rc;
}

/* ---- keys ------------------------------------------------------------------------ */

/*
 * Ghost's answers: no key is 403 "Authorization failed", an unknown one 401. The active
 * keys are read on every rendered response; cached ones need no check, since a
 * revocation invalidates them (the "apikeys" dependency).
 */
static enum err_code check_key(const struct request *req, struct err *err)
{
    struct str key;
    bool has;
    enum err_code rc = param(req, "key", &key, &has, err);
    if (rc || !has || !key.len)
        return err_set(err, ERR_FORBIDDEN,
                       "Authorization failed\nUnable to determine the authenticated member or "
                       "integration. Check the supplied Content API Key and ensure cookies are "
                       "being passed through if member auth is failing.");
    struct str *secrets;
    size_t n;
    rc = store_api_keys_active(app_store(req), "content", req->arena, &secrets, &n, err);
    if (rc)
        return rc;
    if (!auth_apikey_known(key, secrets, n))
        return err_set(err, ERR_AUTH, "Unknown Content API Key");
    return ERR_OK;
}

/* ---- JSON helpers ---------------------------------------------------------------- */

static json_t *jstr(struct str s)
{
    json_t *v = json_stringn(s.ptr ? s.ptr : "", s.len);
    return v ? v : json_null(); /* stored text is valid UTF-8; never fail on a bad row */
}

/* Ghost gives null for an empty optional field. */
static json_t *jstr_or_null(struct str s)
{
    return s.len ? jstr(s) : json_null();
}

/* Ghost's date form: "2026-11-26T05:47:00.000+00:00" (UTC). */
static json_t *jdate(int64_t t)
{
    if (t <= 0)
        return json_null();
    time_t tt = (time_t)t;
    struct tm tm;
    char out[40];
    gmtime_r(&tt, &tm);
    strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S.000+00:00", &tm);
    return json_string(out);
}

static json_t *jid(enum api_id_kind kind, int64_t id)
{
    char s[25];
    api_id_format(kind, id, s);
    return json_string(s);
}

/* The site URL plus path ("/slug/"), or an absolute URL as it is. */
static json_t *jurl(const struct api *api, const char *pre, struct str slug, const char *post)
{
    size_t n = api->cfg.url.len + strlen(pre) + slug.len + strlen(post);
    char *buf = xmalloc(n + 1);
    snprintf(buf, n + 1, "%.*s%s%.*s%s", (int)api->cfg.url.len, api->cfg.url.ptr, pre,
             (int)slug.len, slug.ptr, post);
    json_t *v = json_stringn(buf, n);
    free(buf);
    return v ? v : json_null();
}

static json_t *jimage(const struct api *api, struct str img)
{
    if (!img.len)
        return json_null();
    if (img.ptr[0] == '/' && !(img.len > 1 && img.ptr[1] == '/'))
        return jurl(api, "", img, "");
    return jstr(img);
}

static void set_nulls(json_t *o, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, keys[i], json_null());
}

/* ---- serializers ----------------------------------------------------------------- */

static json_t *tag_json(const struct api *api, const struct content_tag *t, const int64_t *count)
{
    static const char *const seo[] = {
        "og_image",           "og_title",         "og_description",
        "twitter_image",      "twitter_title",    "twitter_description",
        "meta_title",         "meta_description", "codeinjection_head",
        "codeinjection_foot", "canonical_url",    "accent_color"};
    json_t *o = json_object();
    json_object_set_new(o, "id", jid(API_ID_TAG, t->id));
    json_object_set_new(o, "name", jstr(t->name));
    json_object_set_new(o, "slug", jstr(t->slug));
    json_object_set_new(o, "description", jstr_or_null(t->description));
    json_object_set_new(o, "feature_image", json_null());
    json_object_set_new(o, "visibility", json_string("public"));
    set_nulls(o, seo, ARRAY_LEN(seo));
    json_object_set_new(o, "url", jurl(api, "/tag/", t->slug, "/"));
    if (count) {
        json_t *c = json_object();
        json_object_set_new(c, "posts", json_integer(*count));
        json_object_set_new(o, "count", c);
    }
    return o;
}

static json_t *author_json(const struct api *api, const struct content_author *u,
                           const int64_t *count)
{
    static const char *const social[] = {"location",  "facebook", "twitter",    "threads",
                                         "bluesky",   "mastodon", "tiktok",     "youtube",
                                         "instagram", "linkedin", "meta_title", "meta_description"};
    json_t *o = json_object();
    json_object_set_new(o, "id", jid(API_ID_AUTHOR, u->id));
    json_object_set_new(o, "name", jstr(u->name));
    json_object_set_new(o, "slug", jstr(u->slug));
    json_object_set_new(o, "profile_image", jimage(api, u->avatar));
    json_object_set_new(o, "cover_image", json_null());
    json_object_set_new(o, "bio", jstr_or_null(u->bio));
    json_object_set_new(o, "website", jstr_or_null(u->website));
    set_nulls(o, social, ARRAY_LEN(social));
    json_object_set_new(o, "url", jurl(api, "/author/", u->slug, "/"));
    if (count) {
        json_t *c = json_object();
        json_object_set_new(c, "posts", json_integer(*count));
        json_object_set_new(o, "count", c);
    }
    return o;
}

/*
 * Ghost's automatic excerpt: the first 500 characters of the plain text as JavaScript
 * counts them (UTF-16 code units: a character outside the BMP counts two). Where Ghost
 * would cut a surrogate pair in half we stop before it: JSON cannot carry half of one.
 */
static json_t *auto_excerpt(struct str text)
{
    if (!text.len)
        return json_null();
    size_t i = 0, units = 0;
    while (i < text.len) {
        uint32_t cp;
        size_t len = utf8_decode(text.ptr + i, text.len - i, &cp);
        size_t u = cp > 0xFFFF ? 2 : 1;
        if (!len || units + u > API_EXCERPT_UNITS)
            break;
        units += u;
        i += len;
    }
    return jstr((struct str){text.ptr, i});
}

static void add_relations(const struct api *api, json_t *o, const struct content_post *p,
                          const struct ask *q)
{
    if (has_word(&q->include, "tags")) {
        json_t *tags = json_array();
        for (size_t i = 0; i < p->ntags; i++)
            json_array_append_new(tags, tag_json(api, &p->tags[i], NULL));
        json_object_set_new(o, "tags", tags);
    }
    if (has_word(&q->include, "authors")) {
        json_t *authors = json_array();
        for (size_t i = 0; i < p->nauthors; i++)
            json_array_append_new(authors, author_json(api, &p->authors[i], NULL));
        json_object_set_new(o, "authors", authors);
        json_object_set_new(o, "primary_author",
                            p->nauthors ? author_json(api, &p->authors[0], NULL) : json_null());
    }
    if (has_word(&q->include, "tags"))
        json_object_set_new(o, "primary_tag",
                            p->ntags ? tag_json(api, &p->tags[0], NULL) : json_null());
}

static json_t *post_json(const struct api *api, const struct content_post *p, const struct ask *q)
{
    static const char *const code[] = {"codeinjection_head", "codeinjection_foot",
                                       "custom_template", "canonical_url"};
    static const char *const seo[] = {"og_image",      "og_title",        "og_description",
                                      "twitter_image", "twitter_title",   "twitter_description",
                                      "meta_title",    "meta_description"};
    bool html = !q->formats.given || has_word(&q->formats, "html");
    json_t *o = json_object();
    json_object_set_new(o, "id", jid(API_ID_POST, p->id));
    json_object_set_new(o, "uuid", jstr(p->uuid));
    json_object_set_new(o, "title", jstr(p->title));
    json_object_set_new(o, "slug", jstr(p->slug));
    if (html)
        json_object_set_new(o, "html", jstr(p->html));
    if (has_word(&q->formats, "plaintext") && p->plaintext.len)
        json_object_set_new(o, "plaintext", jstr(p->plaintext));
    json_object_set_new(o, "comment_id", jid(API_ID_POST, p->id));
    json_object_set_new(o, "feature_image", jimage(api, p->feature_image));
    json_object_set_new(o, "featured", json_boolean(p->featured));
    json_object_set_new(o, "visibility",
                        jstr(p->visibility.len ? p->visibility : STR_LIT("public")));
    json_object_set_new(o, "created_at", jdate(p->created_at));
    json_object_set_new(o, "updated_at", jdate(p->updated_at));
    json_object_set_new(o, "published_at", jdate(p->published_at));
    json_object_set_new(o, "custom_excerpt", jstr_or_null(p->custom_excerpt));
    set_nulls(o, code, ARRAY_LEN(code));
    add_relations(api, o, p, q);
    json_object_set_new(o, "url", jurl(api, "/", p->slug, "/"));
    json_object_set_new(
        o, "excerpt", p->custom_excerpt.len ? jstr(p->custom_excerpt) : auto_excerpt(p->plaintext));
    /* Ghost computes it from the html, with the feature image as one more image */
    if (p->html.len)
        json_object_set_new(
            o, "reading_time",
            json_integer(content_reading_minutes(p->html, p->feature_image.len ? 1 : 0)));
    json_object_set_new(o, "access", json_true());
    json_object_set_new(o, "comments", json_false());
    set_nulls(o, seo, ARRAY_LEN(seo));
    if (!p->page)
        json_object_set_new(o, "email_subject", json_null());
    json_object_set_new(o, "frontmatter", json_null());
    json_object_set_new(o, "feature_image_alt", jstr_or_null(p->feature_image_alt));
    json_object_set_new(o, "feature_image_caption", json_null());
    return o;
}

/* ?fields=a,b keeps only those keys (and what include= asked for). */
static void keep_fields(json_t *o, const struct ask *q)
{
    if (!q->fields.given)
        return;
    static const char *const relations[] = {"tags", "authors", "primary_tag", "primary_author",
                                            "count"};
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, key, v)
    {
        bool keep = has_word(&q->fields, key);
        for (size_t i = 0; i < ARRAY_LEN(relations) && !keep; i++)
            keep = strcmp(key, relations[i]) == 0;
        if (!keep)
            json_object_del(o, key);
    }
}

/* ---- responses ------------------------------------------------------------------- */

static enum err_code send_json(struct response *res, json_t *root)
{
    char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return ERR_INTERNAL;
    res->content_type = "application/json; charset=utf-8";
    buf_reset(&res->body);
    enum err_code rc = buf_puts(&res->body, text);
    free(text);
    return rc;
}

static json_t *pagination(const struct ask *q, int64_t total)
{
    int64_t pages = total ? (total + q->limit - 1) / q->limit : 1;
    json_t *p = json_object();
    json_object_set_new(p, "page", json_integer(q->page));
    json_object_set_new(p, "limit", json_integer(q->limit));
    json_object_set_new(p, "pages", json_integer(pages));
    json_object_set_new(p, "total", json_integer(total));
    json_object_set_new(p, "next", q->page < pages ? json_integer(q->page + 1) : json_null());
    json_object_set_new(p, "prev", q->page > 1 ? json_integer(q->page - 1) : json_null());
    json_t *meta = json_object();
    json_object_set_new(meta, "pagination", p);
    return meta;
}

/*
 * What every answer depends on: any reader-visible write ("list": a post, its tags or
 * authors changed) and a key's revocation. A filter with a relative date changes with
 * the clock: its answer is marked as too entangled to keep (see http.h deps_overflow).
 */
static void declare_deps(struct response *res, const struct ask *q)
{
    http_response_dep(res, "list");
    http_response_dep(res, "apikeys");
    res->cache_control = "public, max-age=0";
    if (q && q->clock)
        res->deps_overflow = true;
}

static const struct api *api_of(const struct app *app)
{
    return app->api;
}

/* Runs the resource's query; the rows become JSON objects appended to arr. */
static enum err_code fetch(const struct app *app, const struct request *req, struct response *res,
                           const struct ask *q, json_t *arr, int64_t *total, struct err *err)
{
    const struct api *api = api_of(app);
    static const enum store_api_kind kinds[] = {STORE_API_POSTS, STORE_API_PAGES, STORE_API_AUTHORS,
                                                STORE_API_TAGS};
    struct store_api_query sq = {.kind = kinds[q->res],
                                 .filter = q->filter,
                                 .order = q->order,
                                 .norder = q->norder,
                                 .limit = q->limit,
                                 .offset = (q->page - 1) * q->limit};
    struct store *st = app_store(req);
    size_t n;
    int64_t *counts;
    bool with_count = has_word(&q->include, "count.posts");
    enum err_code rc;
    if (q->res == RES_POSTS || q->res == RES_PAGES) {
        struct content_post *posts;
        rc = store_api_posts(st, &sq, req->arena, &posts, &n, total, err);
        for (size_t i = 0; !rc && i < n; i++) {
            json_t *o = post_json(api, &posts[i], q);
            keep_fields(o, q);
            json_array_append_new(arr, o);
            int64_t t = posts[i].updated_at > posts[i].published_at ? posts[i].updated_at
                                                                    : posts[i].published_at;
            if (t > res->last_modified)
                res->last_modified = t;
        }
    } else if (q->res == RES_TAGS) {
        struct content_tag *tags;
        rc = store_api_tags(st, &sq, req->arena, &tags, &counts, &n, total, err);
        for (size_t i = 0; !rc && i < n; i++) {
            json_t *o = tag_json(api, &tags[i], with_count ? &counts[i] : NULL);
            keep_fields(o, q);
            json_array_append_new(arr, o);
        }
    } else {
        struct content_author *authors;
        rc = store_api_authors(st, &sq, req->arena, &authors, &counts, &n, total, err);
        for (size_t i = 0; !rc && i < n; i++) {
            json_t *o = author_json(api, &authors[i], with_count ? &counts[i] : NULL);
            keep_fields(o, q);
            json_array_append_new(arr, o);
        }
    }
    if (rc == ERR_INVALID) {
        char detail[ERR_MSG_MAX];
        snprintf(detail, sizeof(detail), "%s", err->msg);
        return err_set(err, ERR_INVALID, "Error parsing filter\n%s", detail);
    }
    return rc;
}

/* The key, the parameters and the resource of a browse or read: what every one checks. */
static enum err_code ask_of(const struct request *req, struct ask *q, struct err *err)
{
    enum err_code rc = check_key(req, err);
    if (!rc)
        rc = read_ask(req, q, err);
    if (!rc && q->res == RES_NONE)
        rc = err_set(err, ERR_NOTFOUND, "Resource not found");
    return rc;
}

enum err_code api_browse(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    struct ask q;
    enum err_code rc = ask_of(req, &q, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    int64_t total = 0;
    rc = fetch(app, req, res, &q, arr, &total, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    json_t *root = json_object();
    json_object_set_new(root, resource_names[q.res], arr);
    json_object_set_new(root, "meta", pagination(&q, total));
    declare_deps(res, &q);
    return send_json(res, root);
}

/* One resource by a condition on one field: {"posts": [ {...} ]}, or 404. */
static enum err_code read_one(struct app *app, const struct request *req, struct response *res,
                              struct store_cond *by, struct err *err)
{
    struct ask q;
    enum err_code rc = ask_of(req, &q, err);
    if (rc)
        return rc;
    q.filter = by; /* Ghost's read takes the id or slug alone */
    q.clock = false;
    q.limit = 1;
    q.page = 1;
    q.norder = 0;
    json_t *arr = json_array();
    int64_t total = 0;
    rc = fetch(app, req, res, &q, arr, &total, err);
    if (!rc && json_array_size(arr) == 0)
        rc = err_set(err, ERR_NOTFOUND, "%s", not_found_msgs[q.res]);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    json_t *root = json_object();
    json_object_set_new(root, resource_names[q.res], arr);
    declare_deps(res, &q);
    return send_json(res, root);
}

enum err_code api_read_id(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    static const enum api_id_kind kinds[] = {API_ID_POST, API_ID_POST, API_ID_AUTHOR, API_ID_TAG};
    enum resource r = resource_of(req);
    int64_t id = -1;
    if (r != RES_NONE && !api_id_parse(http_request_param(req, "id"), kinds[r], &id))
        id = -1; /* no such row: the same 404 as any unknown id */
    struct store_val *v = arena_calloc(req->arena, 1, sizeof(*v));
    *v = (struct store_val){STORE_VAL_INT, STR_NULL, id};
    struct store_cond *by = arena_calloc(req->arena, 1, sizeof(*by));
    *by = (struct store_cond){
        .kind = STORE_COND_CMP, .field = STR_LIT("id"), .op = STORE_OP_EQ, .vals = v, .nvals = 1};
    return read_one(app, req, res, by, err);
}

enum err_code api_read_slug(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    struct store_val *v = arena_calloc(req->arena, 1, sizeof(*v));
    *v = (struct store_val){STORE_VAL_TEXT, http_request_param(req, "slug"), 0};
    struct store_cond *by = arena_calloc(req->arena, 1, sizeof(*by));
    *by = (struct store_cond){
        .kind = STORE_COND_CMP, .field = STR_LIT("slug"), .op = STORE_OP_EQ, .vals = v, .nvals = 1};
    return read_one(app, req, res, by, err);
}

enum err_code api_settings(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    static const char *const nulls[] = {"logo",
                                        "icon",
                                        "accent_color",
                                        "cover_image",
                                        "facebook",
                                        "twitter",
                                        "codeinjection_head",
                                        "codeinjection_foot",
                                        "meta_title",
                                        "meta_description",
                                        "og_image",
                                        "og_title",
                                        "og_description",
                                        "twitter_image",
                                        "twitter_title",
                                        "twitter_description"};
    enum err_code rc = check_key(req, err);
    if (rc)
        return rc;
    const struct api *api = api_of(app);
    json_t *s = json_object();
    json_object_set_new(s, "title", jstr(api->cfg.title));
    json_object_set_new(s, "description", jstr(api->cfg.description));
    set_nulls(s, nulls, ARRAY_LEN(nulls));
    json_object_set_new(s, "lang", jstr(api->cfg.language));
    json_object_set_new(s, "locale", jstr(api->cfg.language));
    json_object_set_new(s, "timezone", jstr(api->cfg.timezone));
    json_object_set_new(s, "navigation", json_array());
    json_object_set_new(s, "secondary_navigation", json_array());
    json_object_set_new(s, "members_support_address", jstr_or_null(api->cfg.contact_email));
    json_object_set_new(s, "url", jurl(api, "/", STR_NULL, ""));
    json_t *root = json_object();
    json_object_set_new(root, "settings", s);
    json_object_set_new(root, "meta", json_object());
    declare_deps(res, NULL);
    return send_json(res, root);
}

enum err_code api_empty(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    (void)app;
    struct ask q;
    enum err_code rc = check_key(req, err);
    if (!rc)
        rc = read_ask(req, &q, err);
    if (rc)
        return rc;
    const char *name = str_ends_with(req->path, "/tiers/") ? "tiers" : "newsletters";
    json_t *root = json_object();
    json_object_set_new(root, name, json_array());
    json_object_set_new(root, "meta", pagination(&q, 0));
    declare_deps(res, NULL);
    return send_json(res, root);
}

enum err_code api_content_root(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    (void)app;
    enum err_code rc = check_key(req, err);
    if (rc)
        return rc;
    static const char *const names[] = {"posts",    "pages", "authors",    "tags",
                                        "settings", "tiers", "newsletters"};
    json_t *arr = json_array();
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        json_array_append_new(arr, json_string(names[i]));
    json_t *root = json_object();
    json_object_set_new(root, "resources", arr);
    declare_deps(res, NULL);
    return send_json(res, root);
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

/* ---- errors ---------------------------------------------------------------------- */

static const char *error_type(enum err_code code)
{
    switch (code) {
    case ERR_INVALID:
        return "BadRequestError";
    case ERR_AUTH:
        return "UnauthorizedError";
    case ERR_FORBIDDEN:
        return "NoPermissionError";
    case ERR_NOTFOUND:
        return "NotFoundError";
    case ERR_METHOD:
        return "MethodNotAllowedError";
    case ERR_TOOBIG:
        return "RequestEntityTooLargeError";
    default:
        return "InternalServerError";
    }
}

/* An id for the error, as Ghost gives each one (a random UUID). */
static json_t *error_id(void)
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        memset(b, 0, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char s[37];
    snprintf(s, sizeof(s), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return json_string(s);
}

enum err_code api_error_page(void *ctx, const struct request *req, struct response *res,
                             enum err_code code, const char *msg)
{
    (void)ctx;
    (void)req;
    const char *nl = msg ? strchr(msg, '\n') : NULL;
    struct str message = nl ? (struct str){msg, (size_t)(nl - msg)} : str_from(msg);
    if (code == ERR_NOTFOUND && !message.len)
        message = STR_LIT("Resource not found");
    json_t *e = json_object();
    json_object_set_new(e, "message",
                        jstr(message.len ? message : str_from(err_default_msg(code))));
    json_object_set_new(e, "context", nl && nl[1] ? jstr(str_from(nl + 1)) : json_null());
    json_object_set_new(e, "type", json_string(error_type(code)));
    json_object_set_new(e, "details", json_null());
    json_object_set_new(e, "property", json_null());
    json_object_set_new(e, "help", json_null());
    json_object_set_new(e, "code", json_null());
    json_object_set_new(e, "id", error_id());
    json_object_set_new(e, "ghostErrorCode", json_null());
    json_t *errors = json_array();
    json_array_append_new(errors, e);
    json_t *root = json_object();
    json_object_set_new(root, "errors", errors);
    return send_json(res, root);
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
