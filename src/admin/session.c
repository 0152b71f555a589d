/*
 * Signing in and out, sessions, and the checks routes.c applies to every state-changing
 * request (CSRF token, Origin).
 *
 * A session is a random 256-bit token in the nd_session cookie (HttpOnly, SameSite=Lax,
 * Path=/admin/, set again for /ghost/api/admin/, Secure over HTTPS); the database keeps
 * only its SHA-256, with the user, a CSRF token, and when it was made and last used. It ends at
 * logout, after ADMIN_SESSION_IDLE without use, ADMIN_SESSION_MAX after login, or when the account
 * is disabled or its password changes.
 *
 * The login form itself is protected by a double-submit token: GET sets a random
 * nd_login cookie and puts the same value in the form; POST needs both to match (and
 * the Origin check), so another site cannot sign a browser into an account it chose.
 */
#include "admin/admin_int.h"

#include "auth/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool https(const struct app *app, const struct request *req)
{
    if (!http_request_via_proxy(req, &app->proxies))
        return false;
    struct str proto = http_request_header(req, "x-forwarded-proto");
    return proto.ptr && str_case_eq(str_trim(proto), "https");
}

struct str admin_client_address(const struct app *app, const struct request *req)
{
    return http_client_address(req, &app->proxies);
}

enum err_code admin_session_load(struct app *app, const struct request *req,
                                 struct admin_session **out)
{
    struct str token = http_request_cookie(req, "nd_session");
    if (!token.ptr || token.len != AUTH_TOKEN_LEN)
        return ERR_NOTFOUND;
    unsigned char hash[32];
    auth_token_hash(token, hash);
    struct store_session ss;
    struct store_user u;
    struct err err = {0};
    enum err_code rc = store_session_get(app_store(req), hash, req->arena, &ss, &u, &err);
    if (rc)
        return rc == ERR_NOTFOUND ? ERR_NOTFOUND : (log_error("session: %s", err.msg), rc);
    int64_t now = time_now();
    enum auth_role role;
    if (ss.expires_at <= now || ss.seen_at + ADMIN_SESSION_IDLE <= now ||
        !auth_role_parse(u.role, &role))
        return ERR_NOTFOUND;
    /* note the use now and then, not on every request: it costs a write */
    if (now - ss.seen_at >= 60) {
        rc = store_tx_begin(app->writer, &err);
        if (!rc)
            rc = store_tx_end(app->writer, store_session_touch(app->writer, hash, now, &err), &err);
        if (rc)
            log_warn("session: %s", err.msg);
    }
    struct admin_session *s = arena_calloc(req->arena, 1, sizeof(*s));
    s->user_id = u.id;
    s->role = role;
    s->name = u.name;
    s->slug = u.slug;
    s->csrf = ss.csrf;
    memcpy(s->token_hash, hash, 32);
    *out = s;
    return ERR_OK;
}

/* The token a request carries: the X-CSRF-Token header (scripts) or the csrf field. */
static struct str sent_token(const struct request *req)
{
    struct str t = http_request_header(req, "x-csrf-token");
    if (t.ptr)
        return t;
    struct str f;
    return http_form_get(req, "csrf", &f) == ERR_OK ? f : STR_LIT("");
}

bool admin_csrf_ok(const struct request *req, const struct admin_session *s)
{
    struct str sent = sent_token(req);
    if (s)
        return auth_secret_eq(sent, s->csrf);
    /* no session yet (the login form): the double-submit cookie */
    return auth_secret_eq(sent, http_request_cookie(req, "nd_login"));
}

/* "https://host:8080/path" → "host:8080". */
static struct str authority_of(struct str url)
{
    const char *p = url.len >= 3 ? memmem(url.ptr, url.len, "://", 3) : NULL;
    if (!p)
        return STR_LIT("");
    const char *start = p + 3;
    const char *end = url.ptr + url.len;
    const char *slash = memchr(start, '/', (size_t)(end - start));
    return (struct str){start, (size_t)((slash ? slash : end) - start)};
}

bool admin_same_origin(const struct app *app, const struct request *req)
{
    struct str origin = http_request_header(req, "origin");
    if (!origin.ptr || str_eq_cstr(origin, "null"))
        origin = http_request_header(req, "referer");
    if (!origin.ptr || !origin.len)
        return false; /* browsers send Origin with every POST; refuse what hides it */
    struct str from = authority_of(origin);
    struct str host = req->host;
    if (from.len && host.len && from.len == host.len &&
        strncasecmp(from.ptr, host.ptr, host.len) == 0)
        return true;
    /* behind a proxy that rewrites Host, the host the browser used */
    struct str forwarded = http_request_header(req, "x-forwarded-host");
    return http_request_via_proxy(req, &app->proxies) && forwarded.ptr &&
           from.len == forwarded.len && strncasecmp(from.ptr, forwarded.ptr, from.len) == 0;
}

/* ---- the login page ---------------------------------------------------------------- */

static void cookie_at(struct response *res, const struct app *app, const struct request *req,
                      const char *path, const char *name, const char *value, int64_t max_age,
                      const char *same_site)
{
    char *c =
        arena_printf(res->arena, "%s=%s; Path=%s; Max-Age=%lld; HttpOnly; SameSite=%s%s", name,
                     value, path, (long long)max_age, same_site, https(app, req) ? "; Secure" : "");
    http_response_header(res, "set-cookie", str_from(c));
}

static void cookie(struct response *res, const struct app *app, const struct request *req,
                   const char *name, const char *value, int64_t max_age, const char *same_site)
{
    cookie_at(res, app, req, "/admin/", name, value, max_age, same_site);
}

/*
 * The session cookie goes to the newsroom and to Ghost's Admin API (whose session
 * requests must carry this site's Origin), never to readers' pages: a reader's page for
 * staff is then the cached one everybody gets.
 */
static void session_cookie(struct response *res, const struct app *app, const struct request *req,
                           const char *value, int64_t max_age)
{
    cookie(res, app, req, "nd_session", value, max_age, "Lax");
    cookie_at(res, app, req, "/ghost/api/admin/", "nd_session", value, max_age, "Lax");
}

/* Where to go after login: a path of ours under /admin/, never another site. */
static const char *next_of(const struct request *req, struct str next)
{
    if (next.len && str_starts_with(next, "/admin/") && !memchr(next.ptr, '\\', next.len) &&
        !str_starts_with(next, "//") && !memmem(next.ptr, next.len, "//", 2) &&
        !memchr(next.ptr, '"', next.len) && !memchr(next.ptr, '<', next.len))
        return arena_strndup(req->arena, next.ptr, next.len);
    return "/admin/";
}

/* A field of the editor's form carried through the login form as a hidden input. */
struct admin_carried {
    struct str name;
    struct str value;
};

static const struct render_field carried_fields[] = {
    RENDER_STR_FIELD(struct admin_carried, name),
    RENDER_STR_FIELD(struct admin_carried, value),
};
static const struct render_type carried_type = RENDER_TYPE(struct admin_carried, carried_fields);

struct admin_login_view {
    struct str next;
    struct str email;
    const struct admin_carried *carry;
    size_t ncarry;
    bool carried; /* the form carries an editor's text */
};

static const struct render_field login_fields[] = {
    RENDER_STR_FIELD(struct admin_login_view, next),
    RENDER_STR_FIELD(struct admin_login_view, email),
    RENDER_LIST_FIELD(struct admin_login_view, carry, ncarry, &carried_type),
    RENDER_BOOL_FIELD(struct admin_login_view, carried),
};
const struct render_type admin_login_type = RENDER_TYPE(struct admin_login_view, login_fields);

/*
 * The editor's fields a save sends (editor.c's form), carried through the login form
 * when the session ended: the login stores them before anything else happens.
 */
static const char *const editor_fields[] = {
    "title",
    "slug",
    "markdown",
    "tags",
    "authors",
    "excerpt",
    "feature_image",
    "feature_image_alt",
    "feature_image_caption",
    "publish_at",
    "featured",
    "version",
    "updated_at",
    "correction",
    "minor",
};

/* The editor fields the request carries (none for an ordinary login), in its arena. */
static size_t carried_of(const struct request *req, const struct admin_carried **out)
{
    struct admin_carried *c = arena_calloc(req->arena, ARRAY_LEN(editor_fields), sizeof(*c));
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(editor_fields); i++) {
        struct str v = admin_field_raw(req, editor_fields[i]);
        if (v.len)
            c[n++] = (struct admin_carried){str_from(editor_fields[i]), v};
    }
    *out = c;
    return n;
}

/* The form, with a fresh double-submit token in the form and in the nd_login cookie. */
static enum err_code login_page(struct app *app, const struct request *req, struct response *res,
                                int status, const char *error, struct str email, struct str next)
{
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    struct admin_login_view l = {str_from(next_of(req, next)), email, NULL, 0, false};
    if (req->method == HTTP_POST)
        l.ncarry = carried_of(req, &l.carry);
    l.carried = l.ncarry > 0;
    struct admin_view v = {.title = STR_LIT("Log in"), .login = &l};
    v.csrf = str_from(token);
    admin_view_notices(&v, error, NULL);
    enum err_code rc = admin_show(app, req, res, status, ADMIN_TPL_LOGIN, NULL, &v);
    if (!rc)
        cookie(res, app, req, "nd_login", token, 3600, "Strict");
    return rc;
}

enum err_code admin_login_carry(struct app *app, const struct request *req, struct response *res)
{
    return login_page(app, req, res, 401,
                      "Your session has ended. Log in again: the text you were saving is kept "
                      "in this page, and is stored as a revision once you are logged in.",
                      STR_LIT(""), req->raw_path);
}

enum err_code admin_login_form(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    (void)err;
    struct admin_session *s;
    struct str next = STR_LIT("");
    http_request_query(req, "next", &next);
    if (admin_session_load(app, req, &s) == ERR_OK)
        return admin_redirect(res, next_of(req, next));
    return login_page(app, req, res, 200, NULL, STR_LIT(""), next);
}

static enum err_code limited(struct app *app, const struct request *req, struct response *res,
                             struct str email, struct str next, int64_t wait)
{
    char msg[200];
    bool seconds = wait < 60;
    int64_t n = seconds ? (wait < 1 ? 1 : wait) : (wait + 59) / 60;
    snprintf(msg, sizeof(msg),
             "Too many failed attempts. For your security, logging in is "
             "paused: try again in %lld %s%s.",
             (long long)n, seconds ? "second" : "minute", n == 1 ? "" : "s");
    char retry[24];
    snprintf(retry, sizeof(retry), "%lld", (long long)wait);
    enum err_code rc = login_page(app, req, res, 429, msg, email, next);
    http_response_header(res, "retry-after", str_from(retry));
    return rc;
}

/* A login attempt: what was sent, and the names the rate limits count it under. */
struct attempt {
    struct str email, password, next, address;
    struct str account; /* the e-mail, lowercase, at most 254 bytes */
    struct str pair;    /* address, space, account: the tight limit's key */
    int64_t now;
    bool took_address; /* the pair's first try in its window, so one for the address */
    bool took_account; /* one of the account's hourly tries (not a slowed one) */
};

static void attempt_of(struct app *app, const struct request *req, struct attempt *at)
{
    *at = (struct attempt){.email = admin_field(req, "email"),
                           .password = admin_field_raw(req, "password"),
                           .next = admin_field(req, "next"),
                           .address = admin_client_address(app, req)};
    if (at->email.len > 254)
        at->email.len = 254;
    char *account = arena_printf(req->arena, "%.*s", (int)at->email.len, at->email.ptr);
    for (char *p = account; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    at->account = str_from(account);
    /* the address first: a key past 128 bytes is cut, and the address must survive */
    at->pair = str_from(
        arena_printf(req->arena, "%.*s %s", (int)at->address.len, at->address.ptr, account));
    at->now = time_now();
}

/* The account the attempt names, when its password is right and it may log in. */
static enum err_code check_password(const struct request *req, const struct attempt *at,
                                    struct store_user *u, bool *ok, struct err *err)
{
    enum err_code rc = store_user_by_email(app_store(req), at->email, req->arena, u, err);
    if (rc && rc != ERR_NOTFOUND)
        return rc;
    if (rc)
        u->id = 0;
    const char *hash =
        rc ? NULL : arena_strndup(req->arena, u->password_hash.ptr, u->password_hash.len);
    enum auth_role role = AUTH_NONE;
    *ok = auth_password_verify(hash, at->password) && str_eq_cstr(u->status, "active") &&
          auth_role_parse(u->role, &role);
    return ERR_OK;
}

/* Returns the tries login_reserve took for at: it turned out not to be a failure. */
static void login_give_back(struct app *app, const struct attempt *at)
{
    auth_limiter_give_back(app->login_pair, at->pair);
    if (at->took_address)
        auth_limiter_give_back(app->login_address, at->address);
    if (at->took_account)
        auth_limiter_give_back(app->login_account, at->account);
}

/*
 * Counts at as a failure in every login limit before its password is checked (auth.h has
 * the limits and why), so that concurrent attempts cannot slip past one; false, with
 * *wait, when a limit refuses it, and then nothing stays counted. The address is charged
 * only for a pair's first failure: it counts accounts, not typos.
 */
static bool login_reserve(struct app *app, struct attempt *at, int64_t *wait)
{
    unsigned pair = auth_limiter_take(app->login_pair, at->pair, at->now, wait);
    if (!pair)
        return false;
    at->took_address = pair == 1;
    bool refused = at->took_address
                       ? !auth_limiter_take(app->login_address, at->address, at->now, wait)
                       : auth_limiter_blocked(app->login_address, at->address, at->now, wait);
    if (refused) {
        at->took_address = false;
        login_give_back(app, at);
        return false;
    }
    /* past the hourly failures the account is slowed, not locked */
    at->took_account = auth_limiter_take(app->login_account, at->account, at->now, NULL) > 0;
    if (!at->took_account && !auth_limiter_take(app->login_slow, at->account, at->now, wait)) {
        login_give_back(app, at);
        return false;
    }
    return true;
}

/* A wrong password (already counted by login_reserve): audited. */
static void login_failed(struct app *app, const struct attempt *at, int64_t user, struct err *err)
{
    struct store *st = app->writer;
    if (!store_tx_begin(st, err))
        store_tx_end(
            st, store_audit(st, user, "login failed", at->account, STR_LIT(""), at->address, err),
            err);
}

/* A new session for u: its row (old ones purged), an audit line, and the cookies. */
static enum err_code session_start(struct app *app, const struct request *req, struct response *res,
                                   const struct attempt *at, const struct store_user *u,
                                   struct err *err)
{
    char token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    auth_token_new(csrf);
    unsigned char th[32];
    auth_token_hash(str_from(token), th);
    struct store_session ss = {.user_id = u->id,
                               .csrf = str_from(csrf),
                               .created_at = at->now,
                               .seen_at = at->now,
                               .expires_at = at->now + ADMIN_SESSION_MAX};
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_sessions_purge(st, at->now, at->now - ADMIN_SESSION_IDLE, err);
    if (!rc)
        rc = store_session_insert(st, th, &ss, at->address, http_request_header(req, "user-agent"),
                                  err);
    if (!rc)
        rc = store_audit(st, u->id, "login", u->slug, STR_LIT(""), at->address, err);
    if (store_tx_end(st, rc, err)) {
        log_error("login: %s", err->msg);
        return ERR_BUSY;
    }
    session_cookie(res, app, req, token, ADMIN_SESSION_MAX);
    cookie(res, app, req, "nd_login", "", 0, "Strict");
    return ERR_OK;
}

/*
 * The editor's text the login carried, stored now that the password is verified (as an
 * 'expired' revision, or a new draft); then to the editor, which links to it. When it
 * cannot be stored the form comes back with the text still in it.
 */
static enum err_code keep_carried(struct app *app, const struct request *req, struct response *res,
                                  const struct attempt *at, const struct store_user *u)
{
    struct admin_session s = {.user_id = u->id, .name = u->name, .slug = u->slug};
    auth_role_parse(u->role, &s.role);
    const char *location;
    struct err err = {0};
    enum err_code rc =
        admin_post_keep_expired(app, req, &s, str_from(next_of(req, at->next)), &location, &err);
    if (!rc)
        return admin_redirect(res, location);
    log_warn("login: keeping the carried text: %s", err.msg);
    return login_page(app, req, res, err_http_status(rc) >= 500 ? 503 : 400,
                      "You are logged in, but the text could not be stored. It is still in this "
                      "page: log in again to retry.",
                      at->email, at->next);
}

enum err_code admin_login(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    struct attempt at;
    attempt_of(app, req, &at);
    if (!at.email.len || !at.password.len)
        return login_page(app, req, res, 400, "Enter your e-mail and password.", at.email, at.next);
    int64_t wait = 0;
    if (!login_reserve(app, &at, &wait))
        return limited(app, req, res, at.email, at.next, wait);
    struct store_user u;
    bool ok;
    enum err_code rc = check_password(req, &at, &u, &ok, err);
    if (rc) {
        login_give_back(app, &at);
        return rc;
    }
    if (!ok) {
        login_failed(app, &at, u.id, err);
        return login_page(app, req, res, 401, "Wrong e-mail or password.", at.email, at.next);
    }
    /*
     * Right: this try was no failure, and the address's earlier ones for the account are
     * forgiven. The account's hourly count is not cleared: the failures in it may be an
     * attacker's from elsewhere, and the owner's success must not reset them.
     */
    login_give_back(app, &at);
    auth_limiter_clear(app->login_pair, at.pair);
    rc = session_start(app, req, res, &at, &u, err);
    if (rc)
        return rc;
    if (str_eq_cstr(admin_field(req, "carried"), "1"))
        return keep_carried(app, req, res, &at, &u);
    return admin_redirect(res, next_of(req, at.next));
}

enum err_code admin_logout(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store *st = app->writer;
    if (!store_tx_begin(st, err)) {
        enum err_code rc = store_session_delete(st, s->token_hash, err);
        if (!rc)
            rc = store_audit(st, s->user_id, "logout", s->slug, STR_LIT(""),
                             admin_client_address(app, req), err);
        store_tx_end(st, rc, err);
    }
    session_cookie(res, app, req, "", 0);
    return admin_redirect(res, "/admin/login/");
}
