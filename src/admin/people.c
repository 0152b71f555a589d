/*
 * Staff and desks (the list, new accounts, invitations and desks, profiles, roles,
 * disabling), tags, and the audit log. The one-time links invitations and password
 * resets hand out are made in accounts.c.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "newsroom/newsroom.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool role_of(const struct store_user *u, enum auth_role *r)
{
    *r = AUTH_NONE;
    return auth_role_parse(u->role, r);
}

static bool email_ok(struct str e)
{
    const char *at = e.len ? memchr(e.ptr, '@', e.len) : NULL;
    if (!at || at == e.ptr || at == e.ptr + e.len - 1 || e.len > 254)
        return false;
    for (size_t i = 0; i < e.len; i++)
        if ((unsigned char)e.ptr[i] <= ' ' || e.ptr[i] == '<' || e.ptr[i] == '>' || e.ptr[i] == '"')
            return false;
    return memchr(at, '.', (size_t)(e.ptr + e.len - at)) != NULL;
}

static bool url_ok(struct str u)
{
    return !u.len ||
           (u.len <= 2000 && (str_starts_with(u, "https://") || str_starts_with(u, "http://") ||
                              (u.ptr[0] == '/' && (u.len == 1 || u.ptr[1] != '/'))));
}

/* ---- the staff list ---------------------------------------------------------------- */

struct admin_staff_row {
    int64_t id;
    struct str name;
    bool editable;
    struct str slug;
    struct str role;
    bool disabled;
    bool pending; /* a person without a password yet: an invitation not taken */
    struct str login;
    int64_t posts;
};

static const struct render_field row_fields[] = {
    RENDER_INT_FIELD(struct admin_staff_row, id),
    RENDER_STR_FIELD(struct admin_staff_row, name),
    RENDER_BOOL_FIELD(struct admin_staff_row, editable),
    RENDER_STR_FIELD(struct admin_staff_row, slug),
    RENDER_STR_FIELD(struct admin_staff_row, role),
    RENDER_BOOL_FIELD(struct admin_staff_row, disabled),
    RENDER_BOOL_FIELD(struct admin_staff_row, pending),
    RENDER_STR_FIELD(struct admin_staff_row, login),
    RENDER_INT_FIELD(struct admin_staff_row, posts),
};
static const struct render_type row_type = RENDER_TYPE(struct admin_staff_row, row_fields);

struct admin_staff_view {
    const struct admin_staff_row *rows;
    size_t nrows;
    bool can_add;        /* the form to add someone */
    bool can_add_admins; /* ... offering editor and administrator too, and invitations */
    int64_t password_min;
    int64_t invite_days;
};

static const struct render_field staff_fields[] = {
    RENDER_LIST_FIELD(struct admin_staff_view, rows, nrows, &row_type),
    RENDER_BOOL_FIELD(struct admin_staff_view, can_add),
    RENDER_BOOL_FIELD(struct admin_staff_view, can_add_admins),
    RENDER_INT_FIELD(struct admin_staff_view, password_min),
    RENDER_INT_FIELD(struct admin_staff_view, invite_days),
};
const struct render_type admin_staff_type = RENDER_TYPE(struct admin_staff_view, staff_fields);

static void staff_row(const struct store_user *u, const struct admin_session *s,
                      struct admin_staff_row *r)
{
    enum auth_role role;
    bool desk = !role_of(u, &role);
    bool editable = auth_can_edit_profile(s->role, u->id == s->user_id, role, desk);
    /* logins are for those who manage staff (and oneself) */
    bool login = u->password_hash.len && (editable || auth_can(s->role, AUTH_STAFF_MANAGE, NULL));
    *r = (struct admin_staff_row){u->id,
                                  u->name,
                                  editable,
                                  u->slug,
                                  u->role,
                                  str_eq_cstr(u->status, "disabled"),
                                  !desk && !u->password_hash.len,
                                  login ? u->email : STR_LIT("—"),
                                  u->posts};
}

enum err_code admin_staff(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store_user *users;
    size_t n;
    enum err_code rc = store_users_all(app_store(req), req->arena, &users, &n, err);
    if (rc)
        return rc;
    struct admin_staff_row *rows = arena_calloc(req->arena, n + 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++)
        staff_row(&users[i], s, &rows[i]);
    struct admin_staff_view sv = {rows,
                                  n,
                                  auth_can(s->role, AUTH_STAFF_MANAGE, NULL),
                                  s->role >= AUTH_ADMINISTRATOR,
                                  AUTH_PASSWORD_MIN,
                                  NEWSROOM_INVITE_TTL / 86400};
    struct admin_view v = {.title = STR_LIT("Staff and desks"), .staff = &sv};
    admin_view_notices(&v, NULL, admin_query_has(req, "saved") ? "Saved." : NULL);
    return admin_show(app, req, res, 200, ADMIN_TPL_STAFF, "staff", &v);
}

static struct str slug_for(struct store *st, struct str name, struct arena *a, struct err *err)
{
    struct str base = content_slugify(name, a), out = STR_LIT("");
    if (!base.len)
        base = STR_LIT("author");
    if (store_slug_unique(st, STORE_SLUG_AUTHOR, base, a, &out, err))
        return STR_LIT("");
    return out;
}

/*
 * The new person or desk the form describes, with the password hashed (not for desks,
 * nor for an invitation: the person chooses it through the link).
 */
static enum err_code newcomer_of(const struct request *req, bool invite, struct store_user *u,
                                 char hash[AUTH_HASH_MAX], struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    *u = (struct store_user){.name = admin_field(req, "name"), .role = admin_field(req, "role")};
    bool desk = str_eq_cstr(u->role, "desk");
    enum auth_role role = AUTH_NONE;
    if (invite && desk)
        return err_set(err, ERR_INVALID, "desks have no login: add them without an invitation");
    if (!u->name.len || u->name.len > 191)
        return err_set(err, ERR_INVALID, "a name of 1 to 191 bytes is needed");
    if (!desk && !auth_role_parse(u->role, &role))
        return err_set(err, ERR_INVALID, "unknown role");
    u->avatar = admin_field(req, "avatar");
    if (!url_ok(u->avatar))
        return err_set(err, ERR_INVALID, "the avatar must be an http(s) address or a site path");
    if (!desk && !auth_can_grant(s->role, role))
        return err_set(err, ERR_FORBIDDEN,
                       "your role cannot give that role: editors add contributors and authors; "
                       "administrators add anyone");
    u->password_hash = str_from(hash);
    if (desk)
        return ERR_OK;
    /* the login e-mail only: a public contact e-mail is set on the profile, on purpose */
    u->email = admin_field(req, "email");
    if (!email_ok(u->email))
        return err_set(err, ERR_INVALID, "a login e-mail is needed");
    return invite ? ERR_OK : auth_password_hash(admin_field_raw(req, "password"), hash, err);
}

/*
 * Refuses a login e-mail someone already has (any case), with a password or not: an
 * invitation not yet taken, or an imported account, is still that person's, and a
 * second account would take the login from them when they set their password.
 */
static enum err_code login_free(struct store *st, struct str email, struct arena *a,
                                struct err *err)
{
    int64_t id = 0;
    struct store_user u;
    enum err_code rc = store_user_by_login(st, email, &id, err);
    if (rc == ERR_NOTFOUND)
        return ERR_OK;
    if (!rc)
        rc = store_user_by_id(st, id, a, &u, err);
    if (rc)
        return rc;
    return err_set(err, ERR_CONFLICT,
                   "%.*s already has an account with the login e-mail %.*s: nothing was "
                   "added. To let them in, open their page under Staff and make a link there",
                   (int)u.name.len, u.name.ptr, (int)email.len, email.ptr);
}

/* The new account or desk, its audit line and, for an invitation, its link: one transaction. */
static enum err_code newcomer_write(struct app *app, const struct request *req,
                                    struct store_user *u, bool invite, struct admin_link *link,
                                    struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    bool desk = str_eq_cstr(u->role, "desk");
    rc = desk ? ERR_OK : login_free(st, u->email, req->arena, err);
    if (!rc) {
        u->slug = slug_for(st, u->name, req->arena, err);
        rc = u->slug.len ? store_user_insert(st, u, &u->id, err) : ERR_CONFLICT;
    }
    const char *what = desk ? "add desk" : invite ? "invite" : "add account";
    if (!rc)
        rc = store_audit(st, s->user_id, what, u->slug, u->role, admin_client_address(app, req),
                         err);
    if (!rc && invite)
        rc = admin_link_make(app, req, u, link, err);
    return store_tx_end(st, rc, err);
}

enum err_code admin_staff_add(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_STAFF_MANAGE, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators add people");
    bool invite = admin_field(req, "invite").len > 0;
    if (invite && !auth_can(s->role, AUTH_STAFF_ROLES, NULL))
        return err_set(err, ERR_FORBIDDEN, "only administrators invite people");
    struct store_user u;
    char hash[AUTH_HASH_MAX] = "";
    enum err_code rc = newcomer_of(req, invite, &u, hash, err);
    if (rc)
        return rc;
    struct admin_link link = {0};
    rc = newcomer_write(app, req, &u, invite, &link, err);
    if (rc)
        return rc;
    if (invite) /* shown once, never stored in clear: a page, not a redirect */
        return admin_profile_show(app, req, res, &u, &link);
    return admin_redirect(res, arena_printf(req->arena, "/admin/staff/%lld/", (long long)u.id));
}

/* ---- profiles ---------------------------------------------------------------------- */

/* The person or desk of the route's {id}, after checking the session may edit them. */
static enum err_code profile_target(const struct request *req, struct store_user *u,
                                    struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    enum err_code rc = store_user_by_id(app_store(req), admin_param_id(req), req->arena, u, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such person or desk");
    if (rc)
        return rc;
    enum auth_role r;
    bool desk = !role_of(u, &r);
    if (!auth_can_edit_profile(s->role, u->id == s->user_id, r, desk))
        return err_set(err, ERR_FORBIDDEN,
                       "editors look after desks, authors and "
                       "contributors; administrators after everyone");
    return ERR_OK;
}

struct admin_profile_view {
    int64_t id;
    struct str name, role, slug, bio, avatar, website, contact_email, email;
    bool has_login;         /* a person, not a desk */
    bool can_confirm;       /* an administrator: may make the login e-mail public */
    bool contact_confirmed; /* ... and did */
    bool self;              /* their own profile: the password form */
    int64_t password_min;
    bool access; /* the role and disabled form, for administrators */
    const struct admin_option *roles;
    size_t nroles;
    bool disabled;
    bool can_link;                 /* an administrator, on another person's page */
    bool pending;                  /* no password yet: the link is an invitation */
    int64_t reset_hours;           /* how long the links last */
    int64_t invite_days;           /* ... */
    const struct admin_link *link; /* a link just made, shown once */
};

static const struct render_field profile_fields[] = {
    RENDER_INT_FIELD(struct admin_profile_view, id),
    RENDER_STR_FIELD(struct admin_profile_view, name),
    RENDER_STR_FIELD(struct admin_profile_view, role),
    RENDER_STR_FIELD(struct admin_profile_view, slug),
    RENDER_STR_FIELD(struct admin_profile_view, bio),
    RENDER_STR_FIELD(struct admin_profile_view, avatar),
    RENDER_STR_FIELD(struct admin_profile_view, website),
    RENDER_STR_FIELD(struct admin_profile_view, contact_email),
    RENDER_STR_FIELD(struct admin_profile_view, email),
    RENDER_BOOL_FIELD(struct admin_profile_view, has_login),
    RENDER_BOOL_FIELD(struct admin_profile_view, can_confirm),
    RENDER_BOOL_FIELD(struct admin_profile_view, contact_confirmed),
    RENDER_BOOL_FIELD(struct admin_profile_view, self),
    RENDER_INT_FIELD(struct admin_profile_view, password_min),
    RENDER_BOOL_FIELD(struct admin_profile_view, access),
    RENDER_LIST_FIELD(struct admin_profile_view, roles, nroles, &admin_option_type),
    RENDER_BOOL_FIELD(struct admin_profile_view, disabled),
    RENDER_BOOL_FIELD(struct admin_profile_view, can_link),
    RENDER_BOOL_FIELD(struct admin_profile_view, pending),
    RENDER_INT_FIELD(struct admin_profile_view, reset_hours),
    RENDER_INT_FIELD(struct admin_profile_view, invite_days),
    RENDER_OBJ_FIELD(struct admin_profile_view, link, &admin_link_type),
};
const struct render_type admin_profile_type =
    RENDER_TYPE(struct admin_profile_view, profile_fields);

static void profile_view(const struct request *req, const struct store_user *u,
                         struct admin_profile_view *p)
{
    static const char *const roles[] = {"contributor", "author", "editor", "administrator"};
    const struct admin_session *s = admin_session_of(req);
    bool self = u->id == s->user_id, desk = str_eq_cstr(u->role, "desk");
    *p = (struct admin_profile_view){
        .id = u->id,
        .name = u->name,
        .role = u->role,
        .slug = u->slug,
        .bio = u->bio,
        .avatar = u->avatar,
        .website = u->website,
        .contact_email = u->contact_email,
        .email = u->email,
        .has_login = !desk,
        .can_confirm = !desk && s->role >= AUTH_ADMINISTRATOR,
        .contact_confirmed = u->contact_confirmed,
        .self = self,
        .password_min = AUTH_PASSWORD_MIN,
        .access = !desk && !self && auth_can(s->role, AUTH_STAFF_ROLES, NULL),
        .disabled = str_eq_cstr(u->status, "disabled"),
        .can_link = !desk && !self && s->role >= AUTH_ADMINISTRATOR,
        .pending = !desk && !u->password_hash.len,
        .reset_hours = NEWSROOM_RESET_TTL / 3600,
        .invite_days = NEWSROOM_INVITE_TTL / 86400,
    };
    p->roles = admin_options(roles, ARRAY_LEN(roles), u->role, req->arena);
    p->nroles = ARRAY_LEN(roles);
}

static enum err_code profile_page(struct app *app, const struct request *req, struct response *res,
                                  int status, const struct store_user *u, const char *error,
                                  const char *notice, const struct admin_link *link)
{
    struct admin_profile_view p;
    profile_view(req, u, &p);
    p.link = link;
    struct admin_view v = {.title = STR_LIT("Profile"), .profile = &p};
    admin_view_notices(&v, error, notice);
    return admin_show(app, req, res, status, ADMIN_TPL_PROFILE, "staff", &v);
}

enum err_code admin_profile_show(struct app *app, const struct request *req, struct response *res,
                                 const struct store_user *u, const struct admin_link *link)
{
    const char *notice = link->invite ? "Invited: pass the link below on to them."
                                      : "Password reset link made: pass it on to them.";
    return profile_page(app, req, res, 200, u, NULL, notice, link);
}

enum err_code admin_profile(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    struct store_user u;
    enum err_code rc = profile_target(req, &u, err);
    if (rc)
        return rc;
    return profile_page(app, req, res, 200, &u, NULL, NULL, NULL);
}

/* The profile the form describes, over u (the login e-mail only for people). */
static struct store_user profile_of(const struct request *req, const struct store_user *u)
{
    struct store_user next = *u;
    next.name = admin_field(req, "name");
    next.slug = admin_field(req, "slug");
    next.bio = admin_field(req, "bio");
    next.avatar = admin_field(req, "avatar");
    next.website = admin_field(req, "website");
    next.contact_email = admin_field(req, "contact_email");
    if (!str_eq_cstr(u->role, "desk"))
        next.email = admin_field(req, "email");
    return next;
}

/* What is wrong with the profile, for the form, or NULL. */
static const char *profile_problem(const struct store_user *next, bool new_password, bool self)
{
    if (!next->name.len || next->name.len > 191)
        return "The name must be 1 to 191 bytes.";
    if (!content_slug_valid(next->slug))
        return "The slug may hold only a-z, 0-9 and single hyphens.";
    if (next->bio.len > 2000)
        return "The bio is longer than 2,000 bytes.";
    if (!url_ok(next->avatar) || !url_ok(next->website))
        return "The avatar and website must be http(s) addresses or site paths.";
    if (next->contact_email.len && !email_ok(next->contact_email))
        return "The contact e-mail is not an e-mail address.";
    if (!str_eq_cstr(next->role, "desk") && !email_ok(next->email))
        return "The login e-mail is not an e-mail address.";
    if (new_password && !self)
        return "Only its owner can change a password.";
    return NULL;
}

/* Whether the contact e-mail is the account's login e-mail (ASCII case-insensitive). */
static bool contact_is_login(const struct store_user *u)
{
    return u->contact_email.len && u->contact_email.len == u->email.len &&
           strncasecmp(u->contact_email.ptr, u->email.ptr, u->email.len) == 0;
}

/*
 * Sets next->contact_confirmed, or says why the contact e-mail is refused. A login
 * e-mail reaches readers only when an administrator ticks that it may. A confirmation
 * holds while both addresses stay as they were (the form shows it as a ticked
 * contact_keep); a change of either asks again, with a fresh tick (contact_confirm), so
 * that a box ticked before the change confirms nothing new.
 */
static const char *contact_check(const struct request *req, const struct store_user *u,
                                 struct store_user *next)
{
    next->contact_confirmed = false;
    if (!contact_is_login(next))
        return NULL;
    bool admin = admin_session_of(req)->role >= AUTH_ADMINISTRATOR;
    bool unchanged = u->contact_confirmed && str_eq(u->contact_email, next->contact_email) &&
                     str_eq(u->email, next->email);
    bool keep = unchanged && (!admin || admin_field(req, "contact_keep").len > 0);
    next->contact_confirmed = keep || (admin && admin_field(req, "contact_confirm").len > 0);
    if (next->contact_confirmed)
        return NULL;
    return admin ? "The contact e-mail is the login e-mail, which readers never see: leave "
                   "the contact e-mail empty, give another address, or tick “Yes, show this "
                   "login e-mail publicly”."
                 : "The contact e-mail is the login e-mail, which readers never see: leave it "
                   "empty or give another address (only an administrator can make a login "
                   "e-mail public).";
}

/* A new password's hash, after the current one was given right; a reason otherwise. */
static const char *new_password(const struct request *req, const struct store_user *u,
                                struct str fresh, char hash[AUTH_HASH_MAX], struct err *err)
{
    char *old = arena_strndup(req->arena, u->password_hash.ptr, u->password_hash.len);
    if (!auth_password_verify(old, admin_field_raw(req, "current_password")))
        return "The current password is wrong.";
    return auth_password_hash(fresh, hash, err) ? err->msg : NULL;
}

/* The profile, and the password with its audit line when it changes: one transaction. */
static enum err_code profile_write(struct app *app, const struct request *req,
                                   const struct store_user *u, const struct store_user *next,
                                   const char *hash, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_user_update_profile(st, u->id, next, err);
    if (!rc && hash[0])
        rc = store_user_set_password(st, u->id, hash, s->token_hash, err);
    if (!rc && hash[0])
        rc = store_audit(st, s->user_id, "change password", u->slug, STR_LIT(""),
                         admin_client_address(app, req), err);
    if (!rc && next->contact_confirmed && !u->contact_confirmed)
        rc = store_audit(st, s->user_id, "privacy", u->slug,
                         STR_LIT("login e-mail made the public contact e-mail"),
                         admin_client_address(app, req), err);
    return store_tx_end(st, rc, err);
}

enum err_code admin_profile_save(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    struct store_user u;
    enum err_code rc = profile_target(req, &u, err);
    if (rc)
        return rc;
    struct store_user next = profile_of(req, &u);
    struct str fresh = admin_field_raw(req, "new_password");
    const char *bad = profile_problem(&next, fresh.len > 0, u.id == admin_session_of(req)->user_id);
    if (!bad)
        bad = contact_check(req, &u, &next);
    char hash[AUTH_HASH_MAX] = "";
    if (!bad && fresh.len)
        bad = new_password(req, &u, fresh, hash, err);
    if (bad)
        return profile_page(app, req, res, 400, &next, bad, NULL, NULL);
    rc = profile_write(app, req, &u, &next, hash, err);
    if (rc) /* shown with what they typed, as any refusal of this form */
        return profile_page(app, req, res,
                            rc == ERR_CONFLICT ? 409
                            : rc == ERR_BUSY   ? 503
                                               : 400,
                            &next, err->msg, NULL, NULL);
    return profile_page(app, req, res, 200, &next, NULL,
                        hash[0] ? "Profile and password saved." : "Profile saved.", NULL);
}

/* The account of the route's {id}, its role now and the role the form asks for. */
static enum err_code access_target(const struct request *req, struct store_user *u,
                                   enum auth_role *was, enum auth_role *role, struct err *err)
{
    enum err_code rc = store_user_by_id(app_store(req), admin_param_id(req), req->arena, u, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such account");
    if (rc)
        return rc;
    if (!role_of(u, was))
        return err_set(err, ERR_INVALID, "desks have no login or role");
    if (!auth_role_parse(admin_field(req, "role"), role))
        return err_set(err, ERR_INVALID, "unknown role");
    if (u->id == admin_session_of(req)->user_id)
        return err_set(err, ERR_INVALID,
                       "you cannot change your own access: ask another administrator");
    return ERR_OK;
}

/* The role change and its audit line, when the role changes. */
static enum err_code set_role(struct app *app, const struct request *req, struct store *st,
                              const struct store_user *u, enum auth_role was, enum auth_role role,
                              struct err *err)
{
    if (role == was)
        return ERR_OK;
    enum err_code rc = store_user_set_role(st, u->id, auth_role_name(role), err);
    if (rc)
        return rc;
    struct str detail =
        str_from(arena_printf(req->arena, "%s → %s", auth_role_name(was), auth_role_name(role)));
    return store_audit(st, admin_session_of(req)->user_id, "change role", u->slug, detail,
                       admin_client_address(app, req), err);
}

/* Disabling or enabling the account and its audit line, when that changes. */
static enum err_code set_status(struct app *app, const struct request *req, struct store *st,
                                const struct store_user *u, const char *status, struct err *err)
{
    if (str_eq_cstr(u->status, status))
        return ERR_OK;
    enum err_code rc = store_user_set_status(st, u->id, status, err);
    if (rc)
        return rc;
    return store_audit(st, admin_session_of(req)->user_id,
                       strcmp(status, "active") ? "disable" : "enable", u->slug, STR_LIT(""),
                       admin_client_address(app, req), err);
}

enum err_code admin_staff_access(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    if (!auth_can(admin_session_of(req)->role, AUTH_STAFF_ROLES, NULL))
        return err_set(err, ERR_FORBIDDEN, "only administrators change roles and disable accounts");
    struct store_user u;
    enum auth_role was, role;
    enum err_code rc = access_target(req, &u, &was, &role, err);
    if (rc)
        return rc;
    const char *status = admin_field(req, "disabled").len ? "disabled" : "active";
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = set_role(app, req, st, &u, was, role, err);
    if (!rc)
        rc = set_status(app, req, st, &u, status, err);
    int64_t admins = 1;
    if (!rc)
        rc = store_admins_count(st, &admins, err);
    if (!rc && admins == 0)
        rc = err_set(err, ERR_CONFLICT, "that would leave no active administrator");
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/staff/?saved=1");
}
