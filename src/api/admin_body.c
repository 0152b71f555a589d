/*
 * A post's JSON, as Ghost's Admin API takes it, into a draft for newsroom/. Ghost's
 * fields keep their meaning; what we cannot keep is refused with a 422 rather than
 * dropped in silence (a visibility other than "public"). The body comes as Markdown (our
 * own field), or as Ghost's html (with ?source=html, as Ghost asks), lexical or
 * mobiledoc, each turned into Markdown by html/'s allowlist: what a client sends never
 * reaches readers as raw HTML.
 */
#include "api/api_admin_int.h"
#include "newsroom/newsroom.h"

#include "app.h"
#include "html/html.h"
#include "http/http.h"
#include "json/json.h"

#include <string.h>

#define TITLE_MAX 255  /* characters, as Ghost's posts.title */
#define FIELD_MAX 2000 /* characters of any other text field (Ghost's longest: 2000) */
#define LIST_MAX 100   /* tags or authors of one post */

/* Characters of valid UTF-8 text: bytes that start one. */
static size_t chars(struct str s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

static enum err_code invalid(struct err *err, const char *key, const char *why)
{
    return err_set(err, ERR_VALIDATION,
                   "Validation error, cannot save post.\nValue in [posts.%s] %s", key, why);
}

/* A text field: absent leaves *out, null empties it; anything but a string is refused. */
static enum err_code text(const struct json *o, const char *key, size_t max, struct str *out,
                          struct err *err)
{
    const struct json *v = json_obj_get(o, key);
    if (!v)
        return ERR_OK;
    if (json_kind_of(v) == JSON_KIND_NULL) {
        *out = STR_LIT("");
        return ERR_OK;
    }
    struct str s;
    if (!json_as_str(v, &s))
        return invalid(err, key, "must be a string.");
    if (chars(s) > max)
        return invalid(err, key, "exceeds maximum length.");
    *out = s;
    return ERR_OK;
}

static enum err_code scalars(const struct json *o, struct api_admin_post_in *in, struct err *err)
{
    struct {
        const char *key;
        struct str *field;
        size_t max;
    } fields[] = {
        {"title", &in->d.title, TITLE_MAX},
        {"slug", &in->d.slug, 191},
        {"custom_excerpt", &in->d.custom_excerpt, 300},
        {"feature_image", &in->d.feature_image, FIELD_MAX},
        {"feature_image_alt", &in->d.feature_image_alt, 191},
        {"feature_image_caption", &in->d.feature_image_caption, 65535},
        {"correction", &in->d.correction, CONTENT_CORRECTION_MAX},
        {"meta_title", &in->meta.meta_title, 300},
        {"meta_description", &in->meta.meta_description, 500},
        {"og_image", &in->meta.og_image, FIELD_MAX},
        {"og_title", &in->meta.og_title, 300},
        {"og_description", &in->meta.og_description, 500},
        {"twitter_image", &in->meta.twitter_image, FIELD_MAX},
        {"twitter_title", &in->meta.twitter_title, 300},
        {"twitter_description", &in->meta.twitter_description, 500},
        {"canonical_url", &in->meta.canonical_url, FIELD_MAX},
    };
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        enum err_code rc = text(o, fields[i].key, fields[i].max, fields[i].field, err);
        if (rc)
            return rc;
    }
    if (!str_trim(in->d.title).len)
        return invalid(err, "title", "cannot be blank.");
    return ERR_OK;
}

/* A date field: an ISO 8601 string or null; *given says whether it was there. */
static enum err_code date(const struct json *o, const char *key, int64_t *out, bool *given,
                          struct err *err)
{
    const struct json *v = json_obj_get(o, key);
    struct str s;
    *given = v != NULL;
    if (!v || json_kind_of(v) == JSON_KIND_NULL) {
        *out = 0;
        return ERR_OK;
    }
    if (!json_as_str(v, &s) || !time_parse_iso(s, out))
        return invalid(err, key, "must be a valid date.");
    return ERR_OK;
}

static enum err_code flags(const struct json *o, struct api_admin_post_in *in, struct err *err)
{
    const struct json *v = json_obj_get(o, "status");
    struct str s;
    if (v && (!json_as_str(v, &s) || !content_status_parse(s, &in->d.status)))
        return invalid(err, "status", "must be one of draft, published, scheduled.");
    v = json_obj_get(o, "featured");
    if (v && json_kind_of(v) != JSON_KIND_NULL && !json_as_bool(v, &in->d.featured))
        return invalid(err, "featured", "must be a boolean.");
    v = json_obj_get(o, "visibility");
    if (v && (!json_as_str(v, &s) || !str_eq_cstr(s, "public")))
        return invalid(err, "visibility", "must be public: members and tiers are not kept here.");
    bool given;
    int64_t at;
    enum err_code rc = date(o, "published_at", &at, &given, err);
    if (!rc && given) {
        in->d.has_published_at = at > 0;
        in->d.published_at = at;
    }
    if (!rc)
        rc = date(o, "updated_at", &in->updated_at, &in->has_updated_at, err);
    if (!rc && in->d.status == CONTENT_SCHEDULED && !in->d.has_published_at)
        rc = invalid(err, "published_at", "is required to schedule a post.");
    return rc;
}

/* One tag of the list: its name, found by id or slug when the object names no name. */
static enum err_code tag_name(const struct request *req, const struct json *t, struct str *out,
                              struct err *err)
{
    struct str name = STR_NULL, slug = STR_NULL, id = STR_NULL;
    if (!json_as_str(t, &name) && !(json_as_str(json_obj_get(t, "name"), &name) && name.len)) {
        json_as_str(json_obj_get(t, "slug"), &slug);
        json_as_str(json_obj_get(t, "id"), &id);
    }
    *out = str_trim(name);
    if (out->len)
        return out->len > 191 ? invalid(err, "tags", "has a name that is too long.") : ERR_OK;
    struct store *st = app_store(req);
    int64_t row = 0;
    enum err_code rc = ERR_OK;
    if (slug.len)
        rc = store_tag_find(st, slug, &row, err);
    else if (id.len)
        rc = api_admin_id(req, id, API_ID_TAG, &row, err);
    else
        return invalid(err, "tags", "must name each tag by name, slug or id.");
    struct content_tag tag;
    if (!rc)
        rc = store_tag_by_id(st, row, req->arena, &tag, err);
    if (rc == ERR_NOTFOUND && slug.len) {
        *out = slug; /* Ghost makes a missing tag named by its slug */
        return ERR_OK;
    }
    if (rc)
        return rc == ERR_NOTFOUND || rc == ERR_VALIDATION
                   ? invalid(err, "tags", "names a tag that does not exist.")
                   : rc;
    *out = tag.name;
    return ERR_OK;
}

/* One author of the list: the byline's slug, from an id, an e-mail or a slug. */
static enum err_code author_slug(const struct request *req, const struct json *a, struct str *out,
                                 struct err *err)
{
    struct str id = STR_NULL, email = STR_NULL, slug = STR_NULL;
    if (json_as_str(a, &slug) && memchr(slug.ptr, '@', slug.len)) {
        email = slug;
        slug = STR_NULL;
    }
    json_as_str(json_obj_get(a, "id"), &id);
    json_as_str(json_obj_get(a, "email"), &email);
    json_as_str(json_obj_get(a, "slug"), &slug);
    struct store_user u;
    int64_t row;
    enum err_code rc = ERR_NOTFOUND;
    if (id.len) {
        rc = api_admin_id(req, id, API_ID_AUTHOR, &row, err);
        if (!rc)
            rc = store_user_by_id(app_store(req), row, req->arena, &u, err);
    } else if (email.len)
        rc = store_user_by_email(app_store(req), email, req->arena, &u, err);
    else if (slug.len) {
        *out = slug;
        return ERR_OK;
    }
    if (rc)
        return rc == ERR_NOTFOUND || rc == ERR_VALIDATION
                   ? invalid(err, "authors", "names an unknown author.")
                   : rc;
    *out = u.slug;
    return ERR_OK;
}

typedef enum err_code (*item_fn)(const struct request *, const struct json *, struct str *,
                                 struct err *);

/* A list field (tags, authors) into *items, *n; absent leaves them as they were. */
static enum err_code list(const struct request *req, const struct json *o, const char *key,
                          item_fn fn, struct str **items, size_t *n, struct err *err)
{
    const struct json *arr = json_obj_get(o, key);
    if (!arr)
        return ERR_OK;
    if (json_kind_of(arr) != JSON_KIND_ARR)
        return invalid(err, key, "must be an array.");
    size_t len = json_arr_len(arr);
    if (len > LIST_MAX)
        return invalid(err, key, "has too many items.");
    struct str *out = arena_calloc(req->arena, len ? len : 1, sizeof(*out));
    for (size_t i = 0; i < len; i++) {
        enum err_code rc = fn(req, json_arr_get(arr, i), &out[i], err);
        if (rc)
            return rc;
    }
    *items = out;
    *n = len;
    return ERR_OK;
}

/* The body, from whichever of Ghost's fields carries it (markdown first: it is ours). */
static enum err_code body(const struct request *req, const struct json *o, struct content_draft *d,
                          struct err *err)
{
    struct str src = STR_NULL, source = STR_NULL;
    bool has_source = false;
    enum err_code rc = http_request_query_opt(req, "source", &source, &has_source, err);
    if (rc)
        return rc;
    if (json_as_str(json_obj_get(o, "markdown"), &src)) {
        d->markdown = src;
        return src.len > CONTENT_MARKDOWN_MAX ? invalid(err, "markdown", "is too long.") : ERR_OK;
    }
    struct str md;
    if (has_source && str_eq_cstr(source, "html") && json_as_str(json_obj_get(o, "html"), &src))
        rc = html_to_markdown(src, NULL, req->arena, &md, NULL, err);
    else if (json_as_str(json_obj_get(o, "lexical"), &src))
        rc = html_lexical_to_markdown(src, NULL, req->arena, &md, NULL, err);
    else if (json_as_str(json_obj_get(o, "mobiledoc"), &src))
        rc = html_mobiledoc_to_markdown(src, NULL, req->arena, &md, NULL, err);
    else
        return ERR_OK; /* no body given: it stays as it was */
    if (rc == ERR_TOOBIG)
        return invalid(err, "html", "is too long.");
    if (rc)
        return err_set(err, ERR_VALIDATION, "Validation error, cannot save post.\n%s", err->msg);
    d->markdown = md;
    return md.len > CONTENT_MARKDOWN_MAX ? invalid(err, "html", "is too long.") : ERR_OK;
}

enum err_code api_admin_post_in(const struct request *req, const struct json *o,
                                const struct content_post *old, bool page,
                                struct api_admin_post_in *in, struct err *err)
{
    *in = (struct api_admin_post_in){.d = {.status = CONTENT_DRAFT}};
    if (old) {
        /* what the edit does not name stays as it is */
        newsroom_draft_of(old, req->arena, &in->d);
        in->d.minor = false;
        in->meta = old->meta;
    }
    in->d.page = page;
    enum err_code rc = scalars(o, in, err);
    if (!rc)
        rc = flags(o, in, err);
    if (!rc)
        rc = list(req, o, "tags", tag_name, &in->d.tags, &in->d.ntags, err);
    if (!rc)
        rc = list(req, o, "authors", author_slug, &in->d.authors, &in->d.nauthors, err);
    if (!rc)
        rc = body(req, o, &in->d, err);
    return rc;
}
