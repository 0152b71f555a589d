/*
 * The readers' tips form at /tips/: feedback and news tips for the desk, linked from
 * every author card (?about=<byline>, and on an article ?post=<its slug>). A tip is
 * stored for editors to read in /admin/tips/. Limits: the message is required and at
 * most TIP_MESSAGE_MAX bytes; a hidden "website" field that people never see catches
 * bots (a filled one is thanked and dropped); one address may send TIPS_PER_WINDOW tips
 * per TIPS_WINDOW.
 *
 * Photos (multipart/form-data): up to SITE_TIP_PHOTOS of SITE_TIP_PHOTO_BYTES each. All
 * are checked by their bytes before any is kept, so a refused tip stores nothing; each
 * goes through media_add as a private photo: its metadata (a reader's location above
 * all) is stripped before anyone sees it, and readers never can (media.h).
 *
 * The reader's name and e-mail are theirs: no log line, audit entry or message of the
 * server ever carries them.
 */
#include "site/site_int.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
#include "media/media.h"
#include "store/store.h"

#include <string.h>

#define TIP_MESSAGE_MAX 10000
#define TIP_NAME_MAX 200
#define TIP_EMAIL_MAX 254
#define TIP_LINK_MAX 2000

/* The byline a tip is about, when ?about= names one; with res, the page depends on it. */
static void about(const struct request *req, struct response *res, struct view_tips *t,
                  struct str slug)
{
    struct content_author au;
    struct err err = {0};
    if (!slug.len || slug.len > CONTENT_SLUG_MAX || !content_slug_valid(slug))
        return;
    if (store_author_by_slug(app_store(req), slug, req->arena, &au, &err) == ERR_OK) {
        t->about = au.slug;
        t->about_name = au.name;
        if (res)
            http_response_dep(res, "author:%lld", (long long)au.id);
    }
}

/* The published article ?post= (or the form's post) names; nothing when it names none. */
static void from_post(const struct request *req, struct response *res, struct view_tips *t,
                      struct str slug, int64_t *id)
{
    struct content_post p;
    if (!slug.len || slug.len > CONTENT_SLUG_MAX || !content_slug_valid(slug))
        return;
    if (store_post_by_slug(app_store(req), slug, req->arena, &p, NULL) != ERR_OK)
        return;
    t->post = p.slug;
    t->post_title = p.title;
    if (id)
        *id = p.id;
    if (res)
        http_response_dep(res, "post:%lld", (long long)p.id);
}

static enum err_code page(struct app *app, const struct request *req, struct response *res,
                          int status, struct view_tips *t)
{
    struct view_page p;
    site_page_init(&p, app->site, req, "/tips/");
    p.tips = t;
    p.title =
        str_from(arena_printf(req->arena, "Send us a tip – %.*s",
                              (int)app->site->settings.title.len, app->site->settings.title.ptr));
    p.description = STR_LIT("Send the newsroom feedback and news tips.");
    enum err_code rc = site_render(app->site, SITE_TPL_TIPS, &p, res);
    res->status = status;
    return rc;
}

enum err_code site_tips(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    (void)err;
    struct view_tips *t = arena_calloc(req->arena, 1, sizeof(*t));
    struct str v;
    if (http_request_query(req, "sent", &v) == ERR_OK)
        t->sent = true;
    if (http_request_query(req, "about", &v) == ERR_OK)
        about(req, res, t, v);
    if (http_request_query(req, "post", &v) == ERR_OK)
        from_post(req, res, t, v, NULL);
    return page(app, req, res, 200, t);
}

/* The form as sent: a plain form, or multipart/form-data with photos (parsed once). */
struct tip_form {
    const struct request *req;
    bool multipart;
    struct http_multipart mp;
};

/* Whether the body is a form we read; fills f. */
static bool form_read(const struct request *req, struct tip_form *f)
{
    f->req = req;
    f->multipart = http_request_is_multipart(req);
    f->mp.n = 0;
    if (f->multipart)
        return http_multipart_parse(http_request_header(req, "content-type"), req->body, req->arena,
                                    &f->mp, NULL) == ERR_OK;
    return http_request_is_form(req);
}

static struct str field(const struct tip_form *f, const char *name)
{
    struct str v;
    enum err_code rc =
        f->multipart ? http_multipart_field(&f->mp, name, &v) : http_form_get(f->req, name, &v);
    return rc == ERR_OK ? v : STR_LIT("");
}

/* The photos sent: file parts named "photo" that are not empty (a file input left empty). */
static size_t photos_of(const struct tip_form *f, const struct http_part **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < f->mp.n; i++) {
        const struct http_part *p = &f->mp.parts[i];
        if (!p->is_file || !str_eq_cstr(p->name, "photo") || !p->body.len)
            continue;
        if (n < max)
            out[n] = p;
        n++;
    }
    return n;
}

/*
 * What is wrong with the photos, or NULL; *status the answer's. Every photo is checked
 * by its bytes (never by its name or type) before any is stored.
 */
static const char *check_photos(const struct app *app, const struct http_part *const *ph, size_t n,
                                struct arena *a, int *status)
{
    *status = 400;
    if (n > SITE_TIP_PHOTOS)
        return "You can send up to 3 photos with a tip. Please choose fewer.";
    if (n && !app->media) {
        *status = 503;
        return "Photos cannot be received right now. Please send your message without them.";
    }
    for (size_t i = 0; i < n; i++) {
        struct str name = ph[i]->filename;
        struct err e = {0};
        if (ph[i]->body.len > SITE_TIP_PHOTO_BYTES) {
            *status = 413;
            return arena_printf(a,
                                "The photo “%.*s” is %.1f MB: photos can be 10 MB at most. "
                                "Please choose a smaller one.",
                                (int)name.len, name.ptr, ph[i]->body.len / (1024.0 * 1024.0));
        }
        enum err_code rc = media_check(app->media, ph[i]->body.ptr, ph[i]->body.len, &e);
        if (rc == ERR_TOOBIG) {
            *status = 413;
            return arena_printf(a, "The photo “%.*s” is too large: %s.", (int)name.len, name.ptr,
                                e.msg);
        }
        if (rc) {
            *status = 422;
            return arena_printf(a,
                                "“%.*s” is not a photo we can take: please send JPEG, PNG, "
                                "WebP, GIF, AVIF or HEIC images.",
                                (int)name.len, name.ptr);
        }
    }
    return NULL;
}

/* Each photo through the pipeline as a private one; their media ids in ids. */
static enum err_code store_photos(struct app *app, const struct request *req,
                                  const struct http_part *const *ph, size_t n, int64_t *ids,
                                  struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct media_meta meta = {.filename = ph[i]->filename, .alt_later = true, .private = true};
        struct media_item m;
        bool existed;
        enum err_code rc = media_add(app->media, app->writer, ph[i]->body.ptr, ph[i]->body.len,
                                     &meta, 0, req->arena, &m, &existed, err);
        if (rc)
            return rc;
        ids[i] = m.id;
    }
    return ERR_OK;
}

static bool email_shape(struct str e)
{
    const char *at = memchr(e.ptr, '@', e.len);
    if (!at || at == e.ptr || at == e.ptr + e.len - 1)
        return false;
    for (size_t i = 0; i < e.len; i++)
        if ((unsigned char)e.ptr[i] <= ' ' || e.ptr[i] == '<' || e.ptr[i] == '>')
            return false;
    return true;
}

/* What is wrong with the tip, or NULL. */
static const char *check(const struct view_tips *t)
{
    if (!str_trim(t->message).len)
        return "Please write a message: what happened, where, and how we can check it.";
    if (t->message.len > TIP_MESSAGE_MAX)
        return "The message is too long: please keep it under 10,000 characters.";
    if (t->name.len > TIP_NAME_MAX)
        return "The name is too long (200 characters at most).";
    if (t->email.len && (t->email.len > TIP_EMAIL_MAX || !email_shape(t->email)))
        return "That e-mail address does not look right; leave it empty to stay anonymous.";
    if (t->link.len && (t->link.len > TIP_LINK_MAX || !(str_starts_with(t->link, "https://") ||
                                                        str_starts_with(t->link, "http://"))))
        return "The link must start with http:// or https://.";
    return NULL;
}

/* The form again with what was wrong, and what the reader wrote (photos to choose again). */
static enum err_code refuse(struct app *app, const struct request *req, struct response *res,
                            struct str address, int status, struct view_tips *t, const char *why)
{
    auth_limiter_give_back(app->tips_address, address); /* a tip to correct: not one sent */
    t->error = str_from(why);
    return page(app, req, res, status, t);
}

enum err_code site_tips_post(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    struct view_tips *t = arena_calloc(req->arena, 1, sizeof(*t));
    struct tip_form *f = arena_calloc(req->arena, 1, sizeof(*f));
    bool is_form = form_read(req, f);
    t->message = field(f, "message");
    t->name = str_trim(field(f, "name"));
    t->email = str_trim(field(f, "email"));
    t->link = str_trim(field(f, "link"));
    about(req, NULL, t, str_trim(field(f, "about")));
    int64_t post_id = 0;
    from_post(req, NULL, t, str_trim(field(f, "post")), &post_id);
    struct str address = http_client_address(req, &app->proxies);
    int64_t now = time_now(), wait = 0;
    /* counted up front, under the limiter's lock, so concurrent posts cannot pass it */
    if (!auth_limiter_take(app->tips_address, address, now, &wait)) {
        t->error = STR_LIT("You have sent several tips in a short time. Thank you! Please wait "
                           "a few minutes before sending another.");
        enum err_code rc = page(app, req, res, 429, t);
        http_response_header(res, "retry-after",
                             str_from(arena_printf(req->arena, "%lld", (long long)wait)));
        return rc;
    }
    if (!is_form)
        return refuse(app, req, res, address, 400, t,
                      "The form did not arrive as a form; please send it again.");
    const char *bad = check(t);
    if (bad)
        return refuse(app, req, res, address, t->message.len > TIP_MESSAGE_MAX ? 413 : 400, t, bad);
    const struct http_part *photos[SITE_TIP_PHOTOS];
    size_t nphotos = photos_of(f, photos, SITE_TIP_PHOTOS);
    int status;
    bad = check_photos(app, photos, nphotos, req->arena, &status);
    if (bad)
        return refuse(app, req, res, address, status, t, bad);
    if (field(f, "website").len) /* the honeypot: people never see it */
        return http_response_redirect(res, 303, STR_LIT("/tips/?sent=1")), ERR_OK;
    struct store_tip tip = {.name = t->name,
                            .email = t->email,
                            .link = t->link,
                            .message = t->message,
                            .about = t->about,
                            .address = address,
                            .post_id = post_id,
                            .page = t->post.len ? arena_cat3(req->arena, "/", t->post, "/")
                                                : STR_LIT("")};
    int64_t ids[SITE_TIP_PHOTOS], id;
    enum err_code rc = store_photos(app, req, photos, nphotos, ids, err);
    if (!rc)
        rc = store_tx_begin(app->writer, err);
    if (!rc)
        rc = store_tx_end(app->writer, store_tip_insert(app->writer, &tip, ids, nphotos, &id, err),
                          err);
    if (rc) {
        log_error("tips: %s", err->msg);
        return rc;
    }
    http_response_redirect(res, 303, STR_LIT("/tips/?sent=1"));
    return ERR_OK;
}
