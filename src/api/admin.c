/*
 * The Admin API: who is asking (a Ghost admin key's JWT, or a newsroom session from our
 * own pages), the site, users and tags. Ghost's checks and messages are followed in
 * Ghost's order (its services/auth/api-key/admin.js and session middleware), so clients
 * see the refusals they were written against.
 */
#include "api/api_admin_int.h"

#include "admin/admin.h"
#include "app.h"
#include "http/http.h"
#include "json/json.h"

#include <ctype.h>
#include <string.h>

#define NO_AUTH                                                                                    \
    "Authorization failed\nUnable to determine the authenticated user or integration. Check "      \
    "that cookies are being passed through if using session authentication."

/* The JWT after "Ghost " (the scheme in any case), or an empty slice. */
static struct str token_of(struct str header)
{
    static const char scheme[] = "ghost ";
    if (header.len <= sizeof(scheme) - 1 || strncasecmp(header.ptr, scheme, sizeof(scheme) - 1))
        return STR_NULL;
    struct str t = {header.ptr + sizeof(scheme) - 1, header.len - (sizeof(scheme) - 1)};
    return memchr(t.ptr, ' ', t.len) ? STR_NULL : t;
}

static enum err_code auth_key(const struct request *req, struct str header, struct str *kid,
                              struct err *err)
{
    struct str token = token_of(header);
    if (!token.len)
        return err_set(err, ERR_AUTH,
                       "Authorization header format is \"Authorization: Ghost [token]\"\n\n"
                       "INVALID_AUTH_HEADER");
    struct auth_jwt j;
    enum err_code rc = auth_jwt_decode(token, req->arena, &j, err);
    if (rc)
        return rc;
    struct store_api_key key = {0};
    struct err lookup = {0};
    rc = store_admin_key_get(app_store(req), j.kid, req->arena, &key, &lookup);
    if (rc && rc != ERR_NOTFOUND)
        return err_set(err, rc, "%s", lookup.msg);
    rc = auth_jwt_key_usable(rc == ERR_OK, key.type, key.revoked_at, err);
    *kid = key.key_id;
    return rc ? rc : auth_jwt_verify(token, key.secret, time_now(), req->arena, err);
}

enum err_code api_admin_auth(struct app *app, const struct request *req, struct api_admin_who *who,
                             struct err *err)
{
    *who = (struct api_admin_who){0};
    struct str header = http_request_header(req, "authorization");
    if (header.ptr) {
        struct str kid = STR_NULL;
        enum err_code rc = auth_key(req, header, &kid, err);
        if (!rc)
            *who = (struct api_admin_who){.integration = true, .role = AUTH_EDITOR, .key_id = kid};
        return rc;
    }
    struct admin_session *s = NULL;
    enum err_code rc = admin_session_load(app, req, &s);
    if (rc && rc != ERR_NOTFOUND)
        return err_set(err, rc, "cannot read the session");
    if (!s)
        return err_set(err, ERR_FORBIDDEN, NO_AUTH);
    /* Ghost ties a session to its origin: a request from elsewhere is refused */
    if (!admin_same_origin(app, req))
        return err_set(err, ERR_INVALID, "Request made from incorrect origin.");
    *who = (struct api_admin_who){.role = s->role, .user_id = s->user_id};
    return ERR_OK;
}

enum err_code api_admin_audit(struct app *app, const struct request *req,
                              const struct api_admin_who *who, const char *action,
                              struct str target, struct str title, struct err *err)
{
    struct str detail = title;
    if (who->integration)
        detail = str_from(arena_printf(req->arena, "%.*s (Admin API key %.*s)", (int)title.len,
                                       title.ptr, (int)who->key_id.len, who->key_id.ptr));
    return store_audit(app->writer, who->user_id, action, target, detail,
                       admin_client_address(app, req), err);
}

enum err_code api_admin_body(const struct request *req, const char *root, struct json **doc,
                             const struct json **item, struct err *err)
{
    const struct json_limits lim = {.max_bytes = API_ADMIN_JSON_MAX, .max_depth = 32};
    *doc = NULL;
    struct err perr = {0};
    enum err_code rc = json_parse(req->body, &lim, doc, &perr);
    if (rc == ERR_TOOBIG)
        return err_set(err, ERR_TOOBIG, "Request is larger than the maximum file size");
    if (rc)
        return err_set(err, ERR_INVALID, "Invalid JSON\n%s", perr.msg);
    const struct json *arr = json_obj_get(*doc, root);
    *item = json_arr_get(arr, 0);
    if (!*item || json_kind_of(*item) != JSON_KIND_OBJ) {
        json_free(*doc);
        *doc = NULL;
        return err_set(err, ERR_VALIDATION, "No root key ('%s') provided.", root);
    }
    return ERR_OK;
}

enum err_code api_admin_send_one(struct response *res, int status, const char *name,
                                 struct json *obj)
{
    struct json *arr = json_arr_new();
    json_arr_push(arr, obj);
    struct json *root = json_obj_new();
    json_obj_set(root, name, arr);
    res->status = status;
    res->cache_control = "no-cache, private, no-store, must-revalidate";
    return api_send_json(res, root);
}

enum err_code api_admin_ask(const struct request *req, enum api_resource r, struct api_ask *q,
                            struct err *err)
{
    enum err_code rc = api_ask_read(req, q, err);
    q->res = r;
    /* Ghost's Admin API answers without html unless formats= asks for it */
    q->formats.given = true;
    return rc;
}

enum err_code api_admin_id(const struct request *req, struct str s, enum api_id_kind kind,
                           int64_t *id, struct err *err)
{
    static const enum store_admin_kind kinds[] = {[API_ID_POST] = STORE_ADMIN_POST,
                                                  [API_ID_TAG] = STORE_ADMIN_TAG,
                                                  [API_ID_AUTHOR] = STORE_ADMIN_USER};
    if (api_id_parse(s, kind, id))
        return ERR_OK;
    if (s.len != 24)
        return err_set(err, ERR_VALIDATION, "Validation (matches) failed for id");
    char *low = arena_strndup(req->arena, s.ptr, s.len);
    for (size_t i = 0; i < s.len; i++) {
        if (!isxdigit((unsigned char)low[i]))
            return err_set(err, ERR_VALIDATION, "Validation (matches) failed for id");
        low[i] = (char)tolower((unsigned char)low[i]);
    }
    *id = 0;
    enum err_code rc =
        store_admin_ghost_id_find(app_store(req), kinds[kind], (struct str){low, s.len}, id, err);
    return rc ? rc : *id ? ERR_OK : ERR_NOTFOUND;
}

int64_t api_admin_offset(const struct api_ask *q)
{
    if (q->page - 1 > API_OFFSET_MAX / q->limit)
        return API_OFFSET_MAX;
    return (q->page - 1) * q->limit;
}

struct json *api_admin_image(const struct api_out *out, struct str img)
{
    if (!img.len)
        return NULL;
    if (img.ptr[0] != '/' || (img.len > 1 && img.ptr[1] == '/'))
        return json_str_new(img);
    struct str url = out->api->cfg.url;
    return json_str_new(
        str_from(arena_printf(out->a, "%.*s%.*s", (int)url.len, url.ptr, (int)img.len, img.ptr)));
}

/* ---- site/ ------------------------------------------------------------------------- */

enum err_code api_admin_site(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)req;
    (void)err;
    const struct api *api = app->api;
    const struct api_out out = {api, NULL, req->arena};
    struct json *s = json_obj_new();
    json_obj_set_str(s, "title", api->cfg.title);
    json_obj_set(s, "description",
                 api->cfg.description.len ? json_str_new(api->cfg.description) : NULL);
    json_obj_set(s, "logo", api_admin_image(&out, api->cfg.logo));
    json_obj_set(s, "icon", api_admin_image(&out, api->cfg.icon));
    json_obj_set(s, "accent_color", api_accent_color(&api->cfg));
    json_obj_set_str(s, "locale", api->cfg.language.len ? api->cfg.language : STR_LIT("en"));
    json_obj_set_str(
        s, "url",
        str_from(arena_printf(req->arena, "%.*s/", (int)api->cfg.url.len, api->cfg.url.ptr)));
    json_obj_set_str(s, "version", STR_LIT("6.0"));
    struct json *root = json_obj_new();
    json_obj_set(root, "site", s);
    res->cache_control = "no-cache, private, no-store, must-revalidate";
    return api_send_json(res, root);
}

enum err_code api_admin_not_found(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    (void)app;
    (void)req;
    (void)res;
    return err_set(err, ERR_NOTFOUND, "Resource not found");
}
