/*
 * The readers' tips form at /tips/: feedback and news tips for the desk, linked from
 * every author card (?about=<byline>). A tip is stored for editors to read in
 * /admin/tips/. Limits: the message is required and at most TIP_MESSAGE_MAX bytes; a
 * hidden "website" field that people never see catches bots (a filled one is thanked
 * and dropped); one address may send TIPS_PER_WINDOW tips per TIPS_WINDOW.
 */
#include "site/site_int.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
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
    return page(app, req, res, 200, t);
}

static struct str field(const struct request *req, const char *name)
{
    struct str v;
    return http_form_get(req, name, &v) == ERR_OK ? v : STR_LIT("");
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

enum err_code site_tips_post(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    struct view_tips *t = arena_calloc(req->arena, 1, sizeof(*t));
    t->message = field(req, "message");
    t->name = str_trim(field(req, "name"));
    t->email = str_trim(field(req, "email"));
    t->link = str_trim(field(req, "link"));
    about(req, NULL, t, str_trim(field(req, "about")));
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
    const char *bad = http_request_is_form(req)
                          ? check(t)
                          : "The form did not arrive as a form; please send it again.";
    if (bad) { /* a tip to correct, not one sent: it does not count */
        auth_limiter_give_back(app->tips_address, address);
        t->error = str_from(bad);
        return page(app, req, res, t->message.len > TIP_MESSAGE_MAX ? 413 : 400, t);
    }
    if (field(req, "website").len) /* the honeypot: people never see it */
        return http_response_redirect(res, 303, STR_LIT("/tips/?sent=1")), ERR_OK;
    struct store_tip tip = {.name = t->name,
                            .email = t->email,
                            .link = t->link,
                            .message = t->message,
                            .about = t->about,
                            .address = address};
    int64_t id;
    enum err_code rc = store_tx_begin(app->writer, err);
    if (!rc)
        rc = store_tx_end(app->writer, store_tip_insert(app->writer, &tip, &id, err), err);
    if (rc) {
        log_error("tips: %s", err->msg);
        return rc;
    }
    http_response_redirect(res, 303, STR_LIT("/tips/?sent=1"));
    return ERR_OK;
}
