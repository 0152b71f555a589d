/*
 * One-time links to set a password: an administrator makes one on a person's page (a
 * password reset, good for an hour, or for someone without a password yet an
 * invitation, good for a week) and passes it on; its holder opens it without a session,
 * chooses a password, and logs in with it.
 *
 * The link is /admin/reset/TOKEN/, TOKEN 32 random bytes in base64url. The database
 * keeps its SHA-256 only (store.h), and the token never reaches a log: the server masks
 * it in the access log and its pages send no path in Referer (routes.c). The form is
 * guarded as the login form is: Origin, and a double-submit token (session.c). Unknown
 * tokens count against the client's address in the login limits, so that guessing is
 * slowed as password guessing is, although 256 random bits leave nothing to guess.
 *
 * Setting the password marks the link used, ends every session of the account and
 * sends the person to the login page, where the new password proves itself.
 */
#include "admin/admin_int.h"

#include "auth/auth.h"
#include "newsroom/newsroom.h"
#include "site/site.h"

static const struct render_field link_fields[] = {
    RENDER_STR_FIELD(struct admin_link, url),
    RENDER_STR_FIELD(struct admin_link, expires),
    RENDER_BOOL_FIELD(struct admin_link, invite),
};
const struct render_type admin_link_type = RENDER_TYPE(struct admin_link, link_fields);

enum err_code admin_link_make(struct app *app, const struct request *req,
                              const struct store_user *u, struct admin_link *out, struct err *err)
{
    struct newsroom_link l;
    enum err_code rc = newsroom_link_make(app->writer, u, admin_session_of(req)->user_id,
                                          admin_client_address(app, req),
                                          site_settings_of(app->site)->url, req->arena, &l, err);
    if (rc)
        return rc;
    *out = (struct admin_link){l.url, admin_when(l.expires_at, req->arena), l.invite};
    return ERR_OK;
}

/* ---- making a link: the person's page ------------------------------------------------ */

/* The person of the route's {id}, if a link may be made for them now; why not otherwise. */
static enum err_code link_target(const struct request *req, struct store_user *u, struct err *err)
{
    enum err_code rc = store_user_by_id(app_store(req), admin_param_id(req), req->arena, u, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such person");
    if (rc)
        return rc;
    if (str_eq_cstr(u->role, "desk"))
        return err_set(err, ERR_INVALID, "desks have no login, so no password to set");
    if (u->id == admin_session_of(req)->user_id)
        return err_set(err, ERR_INVALID,
                       "change your own password on your profile; if you have lost it, another "
                       "administrator can make you a link");
    if (str_eq_cstr(u->status, "disabled"))
        return err_set(err, ERR_CONFLICT,
                       "%.*s's account is disabled, and a disabled account cannot log in with "
                       "any password: enable it under Access first",
                       (int)u->name.len, u->name.ptr);
    return ERR_OK;
}

enum err_code admin_staff_link(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct store_user u;
    enum err_code rc = link_target(req, &u, err);
    if (rc)
        return rc;
    struct admin_link link;
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_tx_end(st, admin_link_make(app, req, &u, &link, err), err);
    if (rc)
        return rc;
    /* shown once, never stored in clear: a page, not a redirect to one */
    return admin_profile_show(app, req, res, &u, &link);
}

/* ---- using a link: the public page ------------------------------------------------- */

struct admin_reset_view {
    struct str name;
    struct str action;
    bool invite;
    int64_t password_min;
};

static const struct render_field reset_fields[] = {
    RENDER_STR_FIELD(struct admin_reset_view, name),
    RENDER_STR_FIELD(struct admin_reset_view, action),
    RENDER_BOOL_FIELD(struct admin_reset_view, invite),
    RENDER_INT_FIELD(struct admin_reset_view, password_min),
};
const struct render_type admin_reset_type = RENDER_TYPE(struct admin_reset_view, reset_fields);

/* A link being opened: its token's hash, the link, and the person it is for. */
struct opened {
    unsigned char hash[32];
    struct store_account_link link;
    struct store_user user;
    struct str address;
    struct str key; /* the login limits' key for this address's link attempts */
};

#define LINK_ASK "ask an administrator for a new link"

/* What is wrong with the link o names, if anything: unknown, used, expired, disabled. */
static enum err_code link_check(const struct request *req, struct opened *o, struct err *err)
{
    struct str token = http_request_param(req, "token");
    if (token.len != AUTH_TOKEN_LEN)
        return err_set(err, ERR_NOTFOUND,
                       "this link is not known: check that it was copied "
                       "whole, or " LINK_ASK);
    auth_token_hash(token, o->hash);
    enum err_code rc = store_account_link_get(app_store(req), o->hash, req->arena, &o->link, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND,
                       "this link is not known: check that it was copied "
                       "whole, or " LINK_ASK);
    if (rc)
        return rc;
    if (o->link.used_at)
        return err_set(err, ERR_GONE,
                       "this link was used already: each works once. If that was not you, "
                       "tell an administrator; to set your password again, " LINK_ASK);
    if (o->link.expires_at <= time_now())
        return err_set(err, ERR_GONE,
                       "this link has expired or was replaced by a newer one (a password reset "
                       "link lasts an hour, an invitation a week): " LINK_ASK);
    rc = store_user_by_id(app_store(req), o->link.user_id, req->arena, &o->user, err);
    if (rc)
        return rc == ERR_NOTFOUND ? err_set(err, ERR_GONE, "this account no longer exists") : rc;
    if (str_eq_cstr(o->user.status, "disabled"))
        return err_set(err, ERR_GONE, "this account is disabled: ask an administrator");
    return ERR_OK;
}

/*
 * Opens the route's link, under the login limits: an unknown token is a failed attempt
 * of the client's address (AUTH_LOGIN_PAIR_FAILS per AUTH_LOGIN_PAIR_WINDOW, its own
 * key), counted before the lookup so that concurrent guesses cannot slip past; a real
 * link, even a spent one, gives the attempt back.
 */
static enum err_code link_open(struct app *app, const struct request *req, struct opened *o,
                               struct err *err)
{
    o->address = admin_client_address(app, req);
    o->key = str_from(
        arena_printf(req->arena, "%.*s one-time link", (int)o->address.len, o->address.ptr));
    int64_t wait = 0;
    if (!auth_limiter_take(app->login_pair, o->key, time_now(), &wait))
        return err_set(err, ERR_LIMIT,
                       "too many unknown links from your address: try again in %lld minute%s",
                       (long long)(wait + 59) / 60, wait > 60 ? "s" : "");
    enum err_code rc = link_check(req, o, err);
    if (rc != ERR_NOTFOUND)
        auth_limiter_give_back(app->login_pair, o->key);
    return rc;
}

static enum err_code reset_page(struct app *app, const struct request *req, struct response *res,
                                int status, const struct opened *o, const char *error)
{
    bool invite = str_eq_cstr(o->link.kind, "invite");
    struct admin_reset_view r = {o->user.name, req->raw_path, invite, AUTH_PASSWORD_MIN};
    struct admin_view v = {.title = invite ? STR_LIT("Welcome") : STR_LIT("Set a new password"),
                           .reset = &r};
    admin_view_notices(&v, error, NULL);
    return admin_show_public(app, req, res, status, ADMIN_TPL_RESET, &v);
}

enum err_code admin_reset_form(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct opened o;
    enum err_code rc = link_open(app, req, &o, err);
    if (rc)
        return rc;
    return reset_page(app, req, res, 200, &o, NULL);
}

/* The password, the link spent, every session ended, an audit line: one transaction. */
static enum err_code reset_write(struct app *app, const struct opened *o, const char *hash,
                                 struct err *err)
{
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_account_link_use(st, o->hash, time_now(), err);
    if (!rc)
        rc = store_user_set_password(st, o->user.id, hash, NULL, err);
    bool invite = str_eq_cstr(o->link.kind, "invite");
    if (!rc)
        rc = store_audit(st, o->user.id, invite ? "accept invitation" : "reset password",
                         o->user.slug, STR_LIT("one-time link"), o->address, err);
    return store_tx_end(st, rc, err);
}

enum err_code admin_reset(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    struct opened o;
    enum err_code rc = link_open(app, req, &o, err);
    if (rc)
        return rc;
    struct str pw = admin_field_raw(req, "password");
    if (!str_eq(pw, admin_field_raw(req, "again")))
        return reset_page(app, req, res, 400, &o, "The two passwords differ: type it twice.");
    char hash[AUTH_HASH_MAX];
    struct err bad = {0};
    if (auth_password_hash(pw, hash, &bad))
        return reset_page(app, req, res, err_http_status(bad.code) >= 500 ? 503 : 400, &o, bad.msg);
    rc = reset_write(app, &o, hash, err);
    if (rc == ERR_CONFLICT) /* the login e-mail went to another account meanwhile */
        return reset_page(app, req, res, 409, &o, err->msg);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/login/?password_set=1");
}
