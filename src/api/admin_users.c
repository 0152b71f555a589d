/*
 * users/ of the Admin API, read only: staff accounts and desks, with roles when
 * include=roles. Never a password hash, and the login e-mail only to staff and
 * integrations (this is the Admin API: Ghost shows it there too).
 */
#include "api/api_admin_int.h"

#include "app.h"
#include "http/http.h"
#include "json/json.h"

#include <string.h>

/* Ghost's role names; a desk (a byline without a login) shows as a Contributor. */
static struct json *roles_json(struct str role)
{
    static const struct {
        const char *ours, *ghost;
    } names[] = {{"administrator", "Administrator"},
                 {"editor", "Editor"},
                 {"author", "Author"},
                 {"contributor", "Contributor"}};
    const char *name = "Contributor";
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (str_eq_cstr(role, names[i].ours))
            name = names[i].ghost;
    struct json *r = json_obj_new();
    json_obj_set_str(r, "name", str_from(name));
    json_obj_set_str(r, "description", str_from(name));
    struct json *arr = json_arr_new();
    json_arr_push(arr, r);
    return arr;
}

static struct json *user_json(const struct api_out *out, const struct store_user *u,
                              const struct api_ask *q)
{
    struct content_author a = {.id = u->id,
                               .slug = u->slug,
                               .name = u->name,
                               .bio = u->bio,
                               .avatar = u->avatar,
                               .website = u->website};
    struct json *o = api_author_json(out, &a, NULL);
    json_obj_set(o, "email", u->email.len ? json_str_new(u->email) : NULL);
    json_obj_set_str(o, "status", u->status);
    if (q && api_words_has(&q->include, "roles"))
        json_obj_set(o, "roles", roles_json(u->role));
    return o;
}

enum err_code api_admin_users_browse(struct app *app, const struct request *req,
                                     struct response *res, struct err *err)
{
    struct api_admin_who who;
    struct api_ask q;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = api_admin_ask(req, API_RES_AUTHORS, &q, err);
    struct store_user *users;
    size_t n;
    if (!rc)
        rc = store_users_all(app_store(req), req->arena, &users, &n, err);
    if (rc)
        return rc;
    struct api_out out = {app->api, &q, req->arena};
    struct json *arr = json_arr_new();
    int64_t from = api_admin_offset(&q);
    for (size_t i = 0; i < n; i++)
        if ((int64_t)i >= from && (int64_t)i - from < q.limit)
            json_arr_push(arr, user_json(&out, &users[i], &q));
    struct json *root = json_obj_new();
    json_obj_set(root, "users", arr);
    json_obj_set(root, "meta", api_meta_json(&q, (int64_t)n));
    res->cache_control = "no-cache, private, no-store, must-revalidate";
    return api_send_json(res, root);
}

/* users/{id}/, users/slug/{slug}/, users/email/{email}/ */
static enum err_code find(const struct request *req, struct store_user *u, struct err *err)
{
    struct str slug = http_request_param(req, "slug"), email = http_request_param(req, "email");
    int64_t id;
    if (email.len)
        return store_user_by_email(app_store(req), email, req->arena, u, err);
    if (slug.len) {
        struct store_user *all;
        size_t n;
        enum err_code rc = store_users_all(app_store(req), req->arena, &all, &n, err);
        for (size_t i = 0; !rc && i < n; i++)
            if (str_eq(all[i].slug, slug)) {
                *u = all[i];
                return ERR_OK;
            }
        return rc ? rc : ERR_NOTFOUND;
    }
    enum err_code rc = api_admin_id(req, http_request_param(req, "id"), API_ID_AUTHOR, &id, err);
    return rc ? rc : store_user_by_id(app_store(req), id, req->arena, u, err);
}

enum err_code api_admin_users_read(struct app *app, const struct request *req, struct response *res,
                                   struct err *err)
{
    struct api_admin_who who;
    struct api_ask q;
    struct store_user u;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = api_admin_ask(req, API_RES_AUTHORS, &q, err);
    if (!rc)
        rc = find(req, &u, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "User not found.");
    if (rc)
        return rc;
    struct api_out out = {app->api, &q, req->arena};
    return api_admin_send_one(res, 200, "users", user_json(&out, &u, &q));
}
