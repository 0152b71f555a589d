/*
 * Ghost's JSON for our rows. Field lists, their order and types follow Ghost's Content
 * API output (core/server/api/endpoints/utils/serializers/output, and the response
 * snapshots of its e2e tests, test/e2e-api/content/__snapshots__): what we have no data
 * for is null, as Ghost gives null for an empty field. tests/spec/ghost/ holds Ghost's
 * own answers, which tests/http/test_content_api.c compares ours with.
 */
#include "api/api_int.h"

#include "http/http.h"
#include "json/json.h"
#include "media/media.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define API_EXCERPT_UNITS 500 /* Ghost: plaintext.substring(0, 500), in UTF-16 units */

/* ---- values ------------------------------------------------------------------------ */

/* Ghost gives null for an empty optional field. */
static struct json *jstr_or_null(struct str s)
{
    return s.len ? json_str_new(s) : NULL;
}

/* Ghost's date form: "2026-11-26T05:47:00.000+00:00" (UTC); null for none. */
static struct json *jdate(int64_t t)
{
    if (t <= 0)
        return NULL;
    time_t tt = (time_t)t;
    struct tm tm;
    char out[40];
    gmtime_r(&tt, &tm);
    strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S.000+00:00", &tm);
    return json_str_new(str_from(out));
}

/* A row's id as Ghost's: the id it had in Ghost when imported from there, else ours. */
static struct json *jid(enum api_id_kind kind, int64_t id, struct str ghost_id)
{
    if (ghost_id.len)
        return json_str_new(ghost_id);
    char s[25];
    api_id_format(kind, id, s);
    return json_str_new((struct str){s, 24});
}

/* The site's URL + pre + slug + post ("/tag/" "news" "/"), built in the request's arena. */
static struct json *jurl(const struct api_out *out, const char *pre, struct str slug,
                         const char *post)
{
    struct str url = out->api->cfg.url;
    return json_str_new(str_from(arena_printf(out->a, "%.*s%s%.*s%s", (int)url.len, url.ptr, pre,
                                              (int)slug.len, slug.ptr ? slug.ptr : "", post)));
}

/* An image: a path under the site becomes an absolute URL; null for none. */
static struct json *jimage(const struct api_out *out, struct str img)
{
    if (!img.len)
        return NULL;
    if (img.ptr[0] == '/' && !(img.len > 1 && img.ptr[1] == '/'))
        return jurl(out, "", img, "");
    return json_str_new(img);
}

static void set_nulls(struct json *obj, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_obj_set_null(obj, keys[i]);
}

/* include=count.posts: {"count": {"posts": N}} */
static void set_count(struct json *obj, const int64_t *count)
{
    if (!count)
        return;
    struct json *c = json_obj_new();
    json_obj_set_int(c, "posts", *count);
    json_obj_set(obj, "count", c);
}

/* ---- tags and authors -------------------------------------------------------------- */

struct json *api_tag_json(const struct api_out *out, const struct content_tag *t,
                          const int64_t *count)
{
    static const char *const seo[] = {
        "og_image",           "og_title",         "og_description",
        "twitter_image",      "twitter_title",    "twitter_description",
        "meta_title",         "meta_description", "codeinjection_head",
        "codeinjection_foot", "canonical_url",    "accent_color"};
    struct json *obj = json_obj_new();
    json_obj_set(obj, "id", jid(API_ID_TAG, t->id, t->ghost_id));
    json_obj_set_str(obj, "name", t->name);
    json_obj_set_str(obj, "slug", t->slug);
    json_obj_set(obj, "description", jstr_or_null(t->description));
    json_obj_set_null(obj, "feature_image");
    json_obj_set_str(obj, "visibility", t->internal ? STR_LIT("internal") : STR_LIT("public"));
    set_nulls(obj, seo, ARRAY_LEN(seo));
    json_obj_set(obj, "url", jurl(out, "/tag/", t->slug, "/"));
    set_count(obj, count);
    return obj;
}

struct json *api_author_json(const struct api_out *out, const struct content_author *u,
                             const int64_t *count)
{
    static const char *const social[] = {"facebook", "twitter",    "threads",         "bluesky",
                                         "mastodon", "tiktok",     "youtube",         "instagram",
                                         "linkedin", "meta_title", "meta_description"};
    struct json *obj = json_obj_new();
    json_obj_set(obj, "id", jid(API_ID_AUTHOR, u->id, u->ghost_id));
    json_obj_set_str(obj, "name", u->name);
    json_obj_set_str(obj, "slug", u->slug);
    json_obj_set(obj, "profile_image", jimage(out, u->avatar));
    json_obj_set_null(obj, "cover_image");
    json_obj_set(obj, "bio", jstr_or_null(u->bio));
    json_obj_set(obj, "website", jstr_or_null(u->website));
    json_obj_set(obj, "location", jstr_or_null(u->location));
    set_nulls(obj, social, ARRAY_LEN(social));
    json_obj_set(obj, "url", jurl(out, "/author/", u->slug, "/"));
    set_count(obj, count);
    return obj;
}

/* ---- posts and pages --------------------------------------------------------------- */

/*
 * Ghost's automatic excerpt: the first 500 characters of the plain text as JavaScript
 * counts them (UTF-16 code units: a character outside the BMP counts two). Where Ghost
 * would cut a surrogate pair in half we stop before it: JSON cannot carry half of one.
 */
static struct json *auto_excerpt(struct str text)
{
    if (!text.len)
        return NULL;
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
    return json_str_new((struct str){text.ptr, i});
}

/* include=tags,authors: the lists and the primary of each, where Ghost puts them. */
static void add_relations(const struct api_out *out, struct json *obj, const struct content_post *p)
{
    bool tags = api_words_has(&out->q->include, "tags");
    if (tags) {
        struct json *arr = json_arr_new();
        for (size_t i = 0; i < p->ntags; i++)
            json_arr_push(arr, api_tag_json(out, &p->tags[i], NULL));
        json_obj_set(obj, "tags", arr);
    }
    if (api_words_has(&out->q->include, "authors")) {
        struct json *arr = json_arr_new();
        for (size_t i = 0; i < p->nauthors; i++)
            json_arr_push(arr, api_author_json(out, &p->authors[i], NULL));
        json_obj_set(obj, "authors", arr);
        json_obj_set(obj, "primary_author",
                     p->nauthors ? api_author_json(out, &p->authors[0], NULL) : NULL);
    }
    /* Ghost's primary_tag: the first tag if it is public, else null (an internal tag is
     * in the tags, with its visibility, as Ghost lists it, but never the primary) */
    if (tags)
        json_obj_set(obj, "primary_tag",
                     p->ntags && !p->tags[0].internal ? api_tag_json(out, &p->tags[0], NULL)
                                                      : NULL);
}

/*
 * Ghost's feature_image_caption is HTML (its editor writes it so, and themes print it
 * unescaped); ours is plain text, so it goes out escaped. null for none.
 */
static struct json *jcaption(const struct api_out *out, struct str caption)
{
    if (!caption.len)
        return NULL;
    struct buf b;
    buf_init(&b, caption.len * 6 + 1);
    enum err_code rc = buf_append_html(&b, caption.ptr, caption.len);
    struct str html = rc ? STR_LIT("") : arena_str(out->a, buf_str(&b));
    buf_release(&b);
    return json_str_new(html);
}

/* The fields before the relations: identity, formats, flags and dates. */
static void post_head(const struct api_out *out, struct json *obj, const struct content_post *p)
{
    static const char *const code[] = {"codeinjection_head", "codeinjection_foot",
                                       "custom_template"};
    const struct api_words *formats = &out->q->formats;
    json_obj_set(obj, "id", jid(API_ID_POST, p->id, p->ghost_id));
    json_obj_set_str(obj, "uuid", p->uuid);
    json_obj_set_str(obj, "title", p->title);
    json_obj_set_str(obj, "slug", p->slug);
    /* as Ghost's: the body's image URLs absolute, for a client showing it elsewhere */
    if (!formats->given || api_words_has(formats, "html"))
        json_obj_set_str(obj, "html", media_html_absolute(p->html, out->api->cfg.url, out->a));
    if (api_words_has(formats, "plaintext") && p->plaintext.len)
        json_obj_set_str(obj, "plaintext", p->plaintext);
    json_obj_set(obj, "comment_id", jid(API_ID_POST, p->id, p->ghost_id));
    json_obj_set(obj, "feature_image", jimage(out, p->feature_image));
    json_obj_set_bool(obj, "featured", p->featured);
    json_obj_set_str(obj, "visibility", p->visibility.len ? p->visibility : STR_LIT("public"));
    json_obj_set(obj, "created_at", jdate(p->created_at));
    json_obj_set(obj, "updated_at", jdate(p->updated_at));
    json_obj_set(obj, "published_at", jdate(p->published_at));
    json_obj_set(obj, "custom_excerpt", jstr_or_null(p->custom_excerpt));
    set_nulls(obj, code, ARRAY_LEN(code));
    json_obj_set(obj, "canonical_url", jstr_or_null(p->meta.canonical_url));
}

/* Ghost's posts_meta fields, in Ghost's order; images made absolute as Ghost makes them. */
static void post_meta(const struct api_out *out, struct json *obj, const struct content_meta *m)
{
    json_obj_set(obj, "og_image", jimage(out, m->og_image));
    json_obj_set(obj, "og_title", jstr_or_null(m->og_title));
    json_obj_set(obj, "og_description", jstr_or_null(m->og_description));
    json_obj_set(obj, "twitter_image", jimage(out, m->twitter_image));
    json_obj_set(obj, "twitter_title", jstr_or_null(m->twitter_title));
    json_obj_set(obj, "twitter_description", jstr_or_null(m->twitter_description));
    json_obj_set(obj, "meta_title", jstr_or_null(m->meta_title));
    json_obj_set(obj, "meta_description", jstr_or_null(m->meta_description));
}

/* The fields after the relations: address, excerpt, reading time, SEO. */
static void post_tail(const struct api_out *out, struct json *obj, const struct content_post *p)
{
    json_obj_set(obj, "url", jurl(out, "/", p->slug, "/"));
    json_obj_set(obj, "excerpt",
                 p->custom_excerpt.len ? json_str_new(p->custom_excerpt)
                                       : auto_excerpt(p->plaintext));
    /* Ghost computes it from the html, with the feature image as one more image */
    if (p->html.len)
        json_obj_set_int(obj, "reading_time",
                         content_reading_minutes(p->html, p->feature_image.len ? 1 : 0));
    json_obj_set_bool(obj, "access", true);
    json_obj_set_bool(obj, "comments", false);
    post_meta(out, obj, &p->meta);
    if (!p->page)
        json_obj_set_null(obj, "email_subject");
    json_obj_set_null(obj, "frontmatter");
    json_obj_set(obj, "feature_image_alt", jstr_or_null(p->feature_image_alt));
    json_obj_set(obj, "feature_image_caption", jcaption(out, p->feature_image_caption));
}

struct json *api_post_json(const struct api_out *out, const struct content_post *p)
{
    struct json *obj = json_obj_new();
    post_head(out, obj, p);
    add_relations(out, obj, p);
    post_tail(out, obj, p);
    return obj;
}

/* ---- the rest of an answer --------------------------------------------------------- */

static bool keep_field(const char *key, const void *ctx)
{
    static const char *const relations[] = {"tags", "authors", "primary_tag", "primary_author",
                                            "count"};
    if (api_words_has(ctx, key))
        return true;
    for (size_t i = 0; i < ARRAY_LEN(relations); i++)
        if (strcmp(key, relations[i]) == 0)
            return true;
    return false;
}

void api_fields_keep(struct json *obj, const struct api_ask *q)
{
    if (q->fields.given)
        json_obj_retain(obj, keep_field, &q->fields);
}

struct json *api_meta_json(const struct api_ask *q, int64_t total)
{
    int64_t pages = total ? (total + q->limit - 1) / q->limit : 1;
    struct json *p = json_obj_new();
    json_obj_set_int(p, "page", q->page);
    json_obj_set_int(p, "limit", q->limit);
    json_obj_set_int(p, "pages", pages);
    json_obj_set_int(p, "total", total);
    json_obj_set(p, "next", q->page < pages ? json_int_new(q->page + 1) : NULL);
    json_obj_set(p, "prev", pages > 1 && q->page > 1 ? json_int_new(q->page - 1) : NULL);
    struct json *meta = json_obj_new();
    json_obj_set(meta, "pagination", p);
    return meta;
}

/* What Ghost's settings carry that we have no setting for: null, as Ghost gives an unset one. */
static const char *const settings_nulls[] = {
    "cover_image",        "facebook",       "twitter",          "codeinjection_head",
    "codeinjection_foot", "meta_title",     "meta_description", "og_image",
    "og_title",           "og_description", "twitter_image",    "twitter_title",
    "twitter_description"};

/* The navigation setting as stored (checked JSON, site_setting_check); [] if unreadable. */
static struct json *navigation(struct str text)
{
    const struct json_limits lim = {64 * 1024, 4};
    struct json *v = NULL;
    if (json_parse(text, &lim, &v, NULL) || json_kind_of(v) != JSON_KIND_ARR) {
        json_free(v);
        return json_arr_new();
    }
    return v;
}

/* "#b3261e", or null as Ghost gives an unset one */
struct json *api_accent_color(const struct api_config *cfg)
{
    return cfg->accent_color.len ? json_str_new(cfg->accent_color) : NULL;
}

/* Members, Portal, comments and recommendations: what Ghost says of a site that has none. */
static void settings_members(struct json *s)
{
    static const char *const off[] = {
        "members_enabled",        "members_invite_only", "paid_members_enabled",
        "portal_button",          "portal_name",         "portal_signup_checkbox_required",
        "recommendations_enabled"};
    static const char *const none[] = {"firstpromoter_account", "portal_button_icon",
                                       "portal_signup_terms_html"};
    for (size_t i = 0; i < ARRAY_LEN(off); i++)
        json_obj_set_bool(s, off[i], false);
    set_nulls(s, none, ARRAY_LEN(none));
    json_obj_set_str(s, "comments_enabled", STR_LIT("off"));
    json_obj_set_str(s, "portal_button_signup_text", STR_LIT("Subscribe"));
    json_obj_set_str(s, "portal_button_style", STR_LIT("icon-and-text"));
    struct json *plans = json_arr_new();
    json_arr_push(plans, json_str_new(STR_LIT("free")));
    json_obj_set(s, "portal_plans", plans);
}

/*
 * Every key of Ghost's settings (test/e2e-api/content/__snapshots__/settings.test.js.snap):
 * ours where we have the setting, Ghost's null or its "off" value where we do not.
 */
struct json *api_settings_json(const struct api_out *out)
{
    const struct api_config *cfg = &out->api->cfg;
    struct json *s = json_obj_new();
    json_obj_set_str(s, "title", cfg->title);
    json_obj_set_str(s, "description", cfg->description);
    set_nulls(s, settings_nulls, ARRAY_LEN(settings_nulls));
    json_obj_set(s, "accent_color", api_accent_color(cfg));
    json_obj_set(s, "logo", jimage(out, cfg->logo));
    json_obj_set(s, "icon", jimage(out, cfg->icon));
    json_obj_set_str(s, "lang", cfg->language);
    json_obj_set_str(s, "locale", cfg->language);
    json_obj_set_str(s, "timezone", cfg->timezone);
    json_obj_set(s, "navigation", navigation(cfg->navigation));
    json_obj_set(s, "secondary_navigation", json_arr_new());
    /* Ghost's default is "noreply" (of the site's domain), never null */
    json_obj_set_str(s, "members_support_address",
                     cfg->contact_email.len ? cfg->contact_email : STR_LIT("noreply"));
    settings_members(s);
    json_obj_set(s, "url", jurl(out, "/", STR_NULL, ""));
    json_obj_set_str(s, "version", STR_LIT(API_GHOST_VERSION));
    return s;
}

enum err_code api_send_json(struct response *res, struct json *root)
{
    res->content_type = "application/json; charset=utf-8";
    buf_reset(&res->body);
    enum err_code rc = json_write(root, JSON_WRITE_COMPACT, &res->body, NULL);
    json_free(root);
    return rc;
}

/* ---- errors ------------------------------------------------------------------------ */

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
    case ERR_UNSUPPORTED:
        return "UnsupportedMediaTypeError";
    case ERR_CONFLICT:
        return "ConflictError";
    case ERR_VALIDATION:
        return "ValidationError";
    default: /* a URI or header fields too large, refused before routing: the client's fault */
        return err_http_status(code) < 500 ? "BadRequestError" : "InternalServerError";
    }
}

/* An id for the error, as Ghost gives each one (a random UUID, version 4). */
static struct json *error_id(void)
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
    return json_str_new((struct str){s, 36});
}

/*
 * Ghost's error codes, by Ghost's message (services/auth/api-key/content.js): the message
 * names the error, so the code follows from it and no handler can give one without the other.
 */
static struct json *error_code(struct str message)
{
    static const char *const codes[][2] = {
        {"Unknown Content API Key", "UNKNOWN_CONTENT_API_KEY"},
        {"Invalid API Key type", "INVALID_API_KEY_TYPE"},
        {"Invalid Request", "INVALID_REQUEST"},
    };
    for (size_t i = 0; i < ARRAY_LEN(codes); i++)
        if (str_eq_cstr(message, codes[i][0]))
            return json_str_new(str_from(codes[i][1]));
    return NULL;
}

/* The line of msg from *at up to '\n' or its end; *at moves past it (NULL at the end). */
static struct str msg_line(const char **at)
{
    if (!*at)
        return STR_NULL;
    const char *nl = strchr(*at, '\n');
    struct str line = nl ? (struct str){*at, (size_t)(nl - *at)} : str_from(*at);
    *at = nl ? nl + 1 : NULL;
    return line;
}

/*
 * msg is Ghost's message, then '\n' and the context when there is one, then '\n' and
 * Ghost's code (INVALID_JWT, UPDATE_COLLISION) when there is one. A 409 whose code is
 * UPDATE_COLLISION is Ghost's UpdateCollisionError.
 */
enum err_code api_error_page(void *ctx, const struct request *req, struct response *res,
                             enum err_code code, const char *msg)
{
    (void)ctx;
    (void)req;
    const char *at = msg;
    struct str message = msg_line(&at), context = msg_line(&at), gcode = msg_line(&at);
    if (code == ERR_NOTFOUND && !message.len)
        message = STR_LIT("Resource not found");
    struct json *e = json_obj_new();
    json_obj_set_str(e, "message", message.len ? message : str_from(err_default_msg(code)));
    json_obj_set(e, "context", context.len ? json_str_new(context) : NULL);
    bool collision = code == ERR_CONFLICT && str_eq_cstr(gcode, "UPDATE_COLLISION");
    json_obj_set_str(e, "type", str_from(collision ? "UpdateCollisionError" : error_type(code)));
    json_obj_set_null(e, "details");
    json_obj_set_null(e, "property");
    json_obj_set_null(e, "help");
    json_obj_set(e, "code", gcode.len ? json_str_new(gcode) : error_code(message));
    json_obj_set(e, "id", error_id());
    json_obj_set_null(e, "ghostErrorCode");
    struct json *errors = json_arr_new();
    json_arr_push(errors, e);
    struct json *root = json_obj_new();
    json_obj_set(root, "errors", errors);
    return api_send_json(res, root);
}
