/*
 * Staff and desks (the list, new accounts and desks, profiles, roles, disabling), tags,
 * and the audit log.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "routes.h"

#include <stdio.h>
#include <string.h>

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

enum err_code admin_staff(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    struct store_user *users;
    size_t n;
    enum err_code rc = store_users_all(app_store(req), req->arena, &users, &n, err);
    if (rc)
        return rc;
    struct str done;
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Staff and desks", "staff");
    h(&b, "<h1>Staff and desks</h1>");
    if (http_request_query(req, "saved", &done) == ERR_OK)
        admin_notice(&b, "ok", "Saved.");
    h(&b, "<table class=\"wide\"><thead><tr><th>Name</th><th>Role</th><th>Login</th>"
          "<th>Posts</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const struct store_user *u = &users[i];
        enum auth_role r;
        bool desk = !role_of(u, &r);
        bool editable = auth_can_edit_profile(s->role, u->id == s->user_id, r, desk);
        h(&b, "<tr><td>");
        if (editable)
            h(&b, "<a href=\"/admin/staff/%d/\">%S</a>", (long long)u->id, u->name);
        else
            h(&b, "%S", u->name);
        h(&b, "<br><small>/author/%S/</small></td><td>%S%R</td><td>%S</td><td>%d</td></tr>",
          u->slug, u->role, str_eq_cstr(u->status, "disabled") ? " (disabled)" : "",
          /* logins are for those who manage staff (and oneself) */
          u->password_hash.len && (editable || auth_can(s->role, AUTH_STAFF_MANAGE, NULL))
              ? u->email
              : STR_LIT("—"),
          (long long)u->posts);
    }
    h(&b, "</tbody></table>");
    if (auth_can(s->role, AUTH_STAFF_MANAGE, NULL)) {
        h(&b, "<h2>Add someone</h2><form method=\"post\" action=\"/admin/staff/\">");
        admin_csrf_field(&b, s);
        h(&b, "<label for=\"name\">Name</label><input id=\"name\" name=\"name\" type=\"text\" "
              "required maxlength=\"191\">"
              "<label for=\"role\">Role</label><select id=\"role\" name=\"role\">"
              "<option value=\"desk\">Desk (a team byline, no login)</option>"
              "<option>contributor</option><option>author</option>");
        if (s->role >= AUTH_ADMINISTRATOR)
            h(&b, "<option>editor</option><option>administrator</option>");
        h(&b,
          "</select><label for=\"email\">Login e-mail <small>(not for desks)</small></label>"
          "<input id=\"email\" name=\"email\" type=\"email\">"
          "<label for=\"password\">Password <small>(at least %d characters; not for "
          "desks)</small></label><input id=\"password\" name=\"password\" type=\"password\" "
          "autocomplete=\"new-password\">"
          "<div class=\"actions\"><button type=\"submit\">Add</button></div></form>",
          (long long)AUTH_PASSWORD_MIN);
    }
    admin_page_end(&b);
    return admin_send(res, 200, &b);
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

enum err_code admin_staff_add(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_STAFF_MANAGE, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators add people");
    struct store_user u = {0};
    u.name = admin_field(req, "name");
    u.role = admin_field(req, "role");
    u.email = admin_field(req, "email");
    struct str password = admin_field_raw(req, "password");
    bool desk = str_eq_cstr(u.role, "desk");
    enum auth_role role = AUTH_NONE;
    if (!u.name.len || u.name.len > 191)
        return err_set(err, ERR_INVALID, "a name of 1 to 191 bytes is needed");
    if (!desk && !auth_role_parse(u.role, &role))
        return err_set(err, ERR_INVALID, "unknown role");
    if (!desk && !auth_can_grant(s->role, role))
        return err_set(err, ERR_FORBIDDEN,
                       "your role cannot give that role: editors add contributors and authors; "
                       "administrators add anyone");
    char hash[AUTH_HASH_MAX] = "";
    if (!desk) {
        if (!email_ok(u.email))
            return err_set(err, ERR_INVALID, "a login e-mail is needed");
        enum err_code hrc = auth_password_hash(password, hash, err);
        if (hrc)
            return hrc;
        u.contact_email = u.email;
    } else {
        u.email = STR_LIT("");
    }
    u.password_hash = str_from(hash);
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    u.slug = slug_for(st, u.name, req->arena, err);
    int64_t id = 0;
    enum err_code rc = u.slug.len ? store_user_insert(st, &u, &id, err) : ERR_CONFLICT;
    if (!rc)
        rc = store_audit(st, s->user_id, desk ? "add desk" : "add account", u.slug, u.role,
                         admin_client_address(app, req), err);
    rc = admin_write_end(app, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, arena_printf(req->arena, "/admin/staff/%lld/", (long long)id));
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

static enum err_code profile_page(const struct request *req, struct response *res, int status,
                                  const struct store_user *u, const char *error, const char *notice)
{
    const struct admin_session *s = admin_session_of(req);
    bool self = u->id == s->user_id;
    bool desk = str_eq_cstr(u->role, "desk");
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Profile", "staff");
    h(&b, "<h1>%S</h1><p class=\"muted\">%S · <a href=\"/author/%S/\">public page</a></p>", u->name,
      u->role, u->slug);
    admin_notice(&b, "error", error);
    admin_notice(&b, "ok", notice);
    h(&b, "<form method=\"post\" action=\"/admin/staff/%d/\">", (long long)u->id);
    admin_csrf_field(&b, s);
    h(&b,
      "<label for=\"name\">Name</label><input id=\"name\" name=\"name\" type=\"text\" "
      "required maxlength=\"191\" value=\"%S\">"
      "<label for=\"slug\">Slug <small>(/author/slug/)</small></label><input id=\"slug\" "
      "name=\"slug\" type=\"text\" required value=\"%S\">"
      "<label for=\"bio\">Bio</label><textarea id=\"bio\" name=\"bio\" maxlength=\"2000\" "
      "class=\"bio\">%S</textarea>"
      "<label for=\"avatar\">Avatar URL</label><input id=\"avatar\" name=\"avatar\" "
      "type=\"text\" inputmode=\"url\" value=\"%S\">"
      "<label for=\"website\">Website</label><input id=\"website\" name=\"website\" "
      "type=\"url\" value=\"%S\">"
      "<label for=\"contact_email\">Contact e-mail <small>(shown to readers for feedback "
      "and tips)</small></label><input id=\"contact_email\" name=\"contact_email\" "
      "type=\"email\" value=\"%S\">",
      u->name, u->slug, u->bio, u->avatar, u->website, u->contact_email);
    if (!desk)
        h(&b,
          "<label for=\"email\">Login e-mail</label><input id=\"email\" name=\"email\" "
          "type=\"email\" required value=\"%S\">",
          u->email);
    if (self)
        h(&b,
          "<fieldset><legend>Change your password</legend>"
          "<label for=\"current\">Current password</label><input id=\"current\" "
          "name=\"current_password\" type=\"password\" autocomplete=\"current-password\">"
          "<label for=\"new\">New password <small>(at least %d characters)</small></label>"
          "<input id=\"new\" name=\"new_password\" type=\"password\" "
          "autocomplete=\"new-password\"></fieldset>",
          (long long)AUTH_PASSWORD_MIN);
    h(&b, "<div class=\"actions\"><button type=\"submit\">Save profile</button></div></form>");
    if (!desk && !self && auth_can(s->role, AUTH_STAFF_ROLES, NULL)) {
        bool disabled = str_eq_cstr(u->status, "disabled");
        h(&b, "<h2>Access</h2><form method=\"post\" action=\"/admin/staff/%d/access/\">",
          (long long)u->id);
        admin_csrf_field(&b, s);
        h(&b, "<label for=\"role\">Role</label><select id=\"role\" name=\"role\">");
        static const char *const roles[] = {"contributor", "author", "editor", "administrator"};
        for (size_t i = 0; i < ARRAY_LEN(roles); i++)
            h(&b, "<option%R>%R</option>", str_eq_cstr(u->role, roles[i]) ? " selected" : "",
              roles[i]);
        h(&b,
          "</select><label><input type=\"checkbox\" name=\"disabled\" value=\"1\"%R> "
          "Disabled (cannot log in; signed out everywhere)</label>"
          "<div class=\"actions\"><button type=\"submit\">Save access</button></div></form>",
          disabled ? " checked" : "");
    }
    admin_page_end(&b);
    return admin_send(res, status, &b);
}

enum err_code admin_profile(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    (void)app;
    struct store_user u;
    enum err_code rc = profile_target(req, &u, err);
    if (rc)
        return rc;
    return profile_page(req, res, 200, &u, NULL, NULL);
}

enum err_code admin_profile_save(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    struct store_user u;
    enum err_code rc = profile_target(req, &u, err);
    if (rc)
        return rc;
    bool desk = str_eq_cstr(u.role, "desk");
    bool self = u.id == s->user_id;
    struct store_user next = u;
    next.name = admin_field(req, "name");
    next.slug = admin_field(req, "slug");
    next.bio = admin_field(req, "bio");
    next.avatar = admin_field(req, "avatar");
    next.website = admin_field(req, "website");
    next.contact_email = admin_field(req, "contact_email");
    if (!desk)
        next.email = admin_field(req, "email");
    struct str current = admin_field_raw(req, "current_password");
    struct str fresh = admin_field_raw(req, "new_password");
    const char *bad = NULL;
    if (!next.name.len || next.name.len > 191)
        bad = "The name must be 1 to 191 bytes.";
    else if (!content_slug_valid(next.slug))
        bad = "The slug may hold only a-z, 0-9 and single hyphens.";
    else if (next.bio.len > 2000)
        bad = "The bio is longer than 2,000 bytes.";
    else if (!url_ok(next.avatar) || !url_ok(next.website))
        bad = "The avatar and website must be http(s) addresses or site paths.";
    else if (next.contact_email.len && !email_ok(next.contact_email))
        bad = "The contact e-mail is not an e-mail address.";
    else if (!desk && !email_ok(next.email))
        bad = "The login e-mail is not an e-mail address.";
    else if (fresh.len && !self)
        bad = "Only its owner can change a password.";
    if (bad)
        return profile_page(req, res, 400, &next, bad, NULL);
    char hash[AUTH_HASH_MAX] = "";
    if (fresh.len) {
        char *old = arena_strndup(req->arena, u.password_hash.ptr, u.password_hash.len);
        if (!auth_password_verify(old, current))
            return profile_page(req, res, 400, &next, "The current password is wrong.", NULL);
        if (auth_password_hash(fresh, hash, err))
            return profile_page(req, res, 400, &next, err->msg, NULL);
    }
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    rc = store_user_update_profile(st, u.id, &next, err);
    if (!rc && hash[0])
        rc = store_user_set_password(st, u.id, hash, s->token_hash, err);
    if (!rc && hash[0])
        rc = store_audit(st, s->user_id, "change password", u.slug, STR_LIT(""),
                         admin_client_address(app, req), err);
    if (admin_write_end(app, rc, err))
        return profile_page(req, res, rc == ERR_CONFLICT ? 409 : 400, &next, err->msg, NULL);
    return profile_page(req, res, 200, &next, NULL,
                        hash[0] ? "Profile and password saved." : "Profile saved.");
}

enum err_code admin_staff_access(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_STAFF_ROLES, NULL))
        return err_set(err, ERR_FORBIDDEN, "only administrators change roles and disable accounts");
    struct store_user u;
    enum err_code rc = store_user_by_id(app_store(req), admin_param_id(req), req->arena, &u, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "no such account");
    if (rc)
        return rc;
    enum auth_role was, role;
    if (!role_of(&u, &was))
        return err_set(err, ERR_INVALID, "desks have no login or role");
    if (!auth_role_parse(admin_field(req, "role"), &role))
        return err_set(err, ERR_INVALID, "unknown role");
    if (u.id == s->user_id)
        return err_set(err, ERR_INVALID,
                       "you cannot change your own access: ask another administrator");
    const char *status = admin_field(req, "disabled").len ? "disabled" : "active";
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    rc = ERR_OK;
    if (role != was) {
        rc = store_user_set_role(st, u.id, auth_role_name(role), err);
        if (!rc)
            rc = store_audit(st, s->user_id, "change role", u.slug,
                             str_from(arena_printf(req->arena, "%s → %s", auth_role_name(was),
                                                   auth_role_name(role))),
                             admin_client_address(app, req), err);
    }
    if (!rc && !str_eq_cstr(u.status, status)) {
        rc = store_user_set_status(st, u.id, status, err);
        if (!rc)
            rc = store_audit(st, s->user_id, strcmp(status, "active") ? "disable" : "enable",
                             u.slug, STR_LIT(""), admin_client_address(app, req), err);
    }
    int64_t admins = 1;
    if (!rc)
        rc = store_admins_count(st, &admins, err);
    if (!rc && admins == 0)
        rc = err_set(err, ERR_CONFLICT, "that would leave no active administrator");
    rc = admin_write_end(app, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/staff/?saved=1");
}

/* ---- tags -------------------------------------------------------------------------- */

enum err_code admin_tags(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    struct store_tag_row *tags;
    size_t n;
    enum err_code rc = store_tags_all(app_store(req), req->arena, &tags, &n, err);
    if (rc)
        return rc;
    struct str v;
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Tags", "tags");
    h(&b, "<h1>Tags</h1>");
    if (http_request_query(req, "saved", &v) == ERR_OK)
        admin_notice(&b, "ok", "Tag saved.");
    if (http_request_query(req, "error", &v) == ERR_OK)
        admin_notice(&b, "error",
                     "Not saved: the name must be 1 to 191 bytes and the slug "
                     "free and made of a-z, 0-9 and single hyphens.");
    for (size_t i = 0; i < n; i++) {
        const struct content_tag *t = &tags[i].tag;
        h(&b, "<form method=\"post\" action=\"/admin/tags/%d/\" class=\"tip\">", (long long)t->id);
        admin_csrf_field(&b, s);
        h(&b,
          "<div class=\"filters\"><div><label for=\"n%d\">Name</label><input id=\"n%d\" "
          "name=\"name\" type=\"text\" required value=\"%S\"></div><div><label for=\"s%d\">"
          "Slug</label><input id=\"s%d\" name=\"slug\" type=\"text\" required value=\"%S\">"
          "</div></div><label for=\"d%d\">Description</label><input id=\"d%d\" "
          "name=\"description\" type=\"text\" maxlength=\"500\" value=\"%S\">"
          "<div class=\"actions\"><button type=\"submit\">Save</button><span class=\"muted\">"
          "%d post%R · <a href=\"/tag/%S/\">public page</a></span></div></form>",
          (long long)t->id, (long long)t->id, t->name, (long long)t->id, (long long)t->id, t->slug,
          (long long)t->id, (long long)t->id, t->description, (long long)tags[i].posts,
          tags[i].posts == 1 ? "" : "s", t->slug);
    }
    admin_page_end(&b);
    return admin_send(res, 200, &b);
}

enum err_code admin_tag_save(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_TAGS_MANAGE, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors manage tags");
    struct content_tag t = {.id = admin_param_id(req)};
    t.name = admin_field(req, "name");
    t.slug = admin_field(req, "slug");
    t.description = admin_field(req, "description");
    if (!t.name.len || t.name.len > 191 || !content_slug_valid(t.slug) || t.description.len > 500)
        return admin_redirect(res, "/admin/tags/?error=1");
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    enum err_code rc = store_tag_update(st, t.id, &t, err);
    if (rc == ERR_NOTFOUND) {
        admin_write_end(app, rc, err);
        return err_set(err, ERR_NOTFOUND, "no such tag");
    }
    if (admin_write_end(app, rc, err))
        return admin_redirect(res, "/admin/tags/?error=1");
    return admin_redirect(res, "/admin/tags/?saved=1");
}

/* ---- the audit log ----------------------------------------------------------------- */

enum err_code admin_audit(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_AUDIT_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only administrators read the audit log");
    int64_t page = admin_query_page(req);
    struct store_audit_entry *e;
    size_t count;
    int64_t total;
    enum err_code rc = store_audit_list(app_store(req), (page - 1) * 100, 100, req->arena, &e,
                                        &count, &total, err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Audit log", "audit");
    h(&b, "<h1>Audit log</h1><table class=\"wide\"><thead><tr><th>When</th><th>Who</th>"
          "<th>Action</th><th>What</th><th>From</th></tr></thead><tbody>");
    for (size_t i = 0; i < count; i++) {
        char when[64];
        h(&b,
          "<tr><td>%s</td><td>%S</td><td>%S</td><td>%S<br><small>%S</small></td>"
          "<td>%S</td></tr>",
          admin_when(e[i].at, when), e[i].user_name.len ? e[i].user_name : STR_LIT("system"),
          e[i].action, e[i].target, e[i].detail, e[i].address);
    }
    h(&b, "</tbody></table>");
    if (page * 100 < total)
        h(&b, "<p><a href=\"/admin/audit/?page=%d\">Older entries</a></p>", (long long)page + 1);
    admin_page_end(&b);
    return admin_send(res, 200, &b);
}
