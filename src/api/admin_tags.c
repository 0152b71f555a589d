/*
 * tags/ of the Admin API: browse (every tag, internal ones too), read by id or slug, add,
 * edit, delete (posts lose the tag). A name starting with '#' makes Ghost's internal tag,
 * never shown to readers (store/ marks it so, whichever way the tag is made). Adding and editing
 * tags is an editor's right (auth_can).
 */
#include "api/api_admin_int.h"

#include "app.h"
#include "content/content.h"
#include "http/http.h"
#include "json/json.h"

#include <string.h>

enum err_code api_admin_tags_browse(struct app *app, const struct request *req,
                                    struct response *res, struct err *err)
{
    struct api_admin_who who;
    struct api_ask q;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = api_admin_ask(req, API_RES_TAGS, &q, err);
    if (rc)
        return rc;
    struct store_api_query sq = {.kind = STORE_API_ADMIN_TAGS,
                                 .filter = q.filter,
                                 .order = q.order,
                                 .norder = q.norder,
                                 .limit = q.limit,
                                 .offset = api_admin_offset(&q)};
    struct content_tag *tags;
    int64_t *counts, total;
    size_t n;
    rc = store_api_tags(app_store(req), &sq, req->arena, &tags, &counts, &n, &total, err);
    if (rc == ERR_INVALID)
        return err_set(err, ERR_INVALID, "Error parsing filter\n%s", err->msg);
    if (rc)
        return rc;
    struct api_out out = {app->api, &q, req->arena};
    bool with_count = api_words_has(&q.include, "count.posts");
    struct json *arr = json_arr_new();
    for (size_t i = 0; i < n; i++) {
        struct json *o = api_tag_json(&out, &tags[i], with_count ? &counts[i] : NULL);
        api_fields_keep(o, &q);
        json_arr_push(arr, o);
    }
    struct json *root = json_obj_new();
    json_obj_set(root, "tags", arr);
    json_obj_set(root, "meta", api_meta_json(&q, total));
    res->cache_control = "no-cache, private, no-store, must-revalidate";
    return api_send_json(res, root);
}

/* The tag the path names, by id or slug. */
static enum err_code target(const struct request *req, struct content_tag *t, struct err *err)
{
    struct str slug = http_request_param(req, "slug");
    int64_t id = 0;
    enum err_code rc = ERR_OK;
    if (slug.len)
        rc = store_tag_find(app_store(req), slug, &id, err);
    else
        rc = api_admin_id(req, http_request_param(req, "id"), API_ID_TAG, &id, err);
    if (!rc)
        rc = store_tag_by_id(app_store(req), id, req->arena, t, err);
    return rc == ERR_NOTFOUND ? err_set(err, ERR_NOTFOUND, "Tag not found.") : rc;
}

static enum err_code answer_tag(struct app *app, const struct request *req, struct response *res,
                                int64_t id, int status, struct err *err)
{
    struct content_tag t;
    enum err_code rc = store_tag_by_id(app_store(req), id, req->arena, &t, err);
    if (rc)
        return rc;
    struct api_out out = {app->api, NULL, req->arena};
    return api_admin_send_one(res, status, "tags", api_tag_json(&out, &t, NULL));
}

enum err_code api_admin_tags_read(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    struct api_admin_who who;
    struct content_tag t;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = target(req, &t, err);
    return rc ? rc : answer_tag(app, req, res, t.id, 200, err);
}

/* name, slug, description of a tag object over t (absent fields stay). */
static enum err_code tag_in(const struct request *req, const struct json *o, struct content_tag *t,
                            struct err *err)
{
    struct str s;
    if (json_as_str(json_obj_get(o, "name"), &s))
        t->name = str_trim(s);
    if (json_as_str(json_obj_get(o, "description"), &s))
        t->description = s;
    if (json_as_str(json_obj_get(o, "slug"), &s) && s.len)
        t->slug = s;
    if (!t->name.len || t->name.len > 191)
        return err_set(err, ERR_VALIDATION,
                       "Validation error, cannot save tag.\nValue in [tags.name] cannot be blank.");
    if (t->description.len > 500)
        return err_set(err, ERR_VALIDATION,
                       "Validation error, cannot save tag.\nValue in "
                       "[tags.description] exceeds maximum length.");
    if (!t->slug.len)
        t->slug = content_tag_slugify(t->name, req->arena); /* "#breaking": hash-breaking */
    if (!content_slug_valid(t->slug))
        t->slug = content_slugify(t->slug, req->arena);
    return ERR_OK;
}

/* Adds (id 0) or updates tag t in one transaction; *id says which. */
static enum err_code write_tag(struct app *app, const struct content_tag *t, int64_t *id,
                               struct err *err)
{
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    if (!*id) {
        rc = store_tag_ensure(st, t->name, t->slug, id, err);
        if (!rc && !*id)
            rc = err_set(err, ERR_INTERNAL, "the tag was not saved");
    }
    if (!rc)
        rc = store_tag_update(st, *id, t, err);
    rc = store_tx_end(st, rc, err);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_VALIDATION, "Validation error, cannot save tag.\n%s", err->msg);
    return rc;
}

static enum err_code save(struct app *app, const struct request *req, struct response *res,
                          bool edit, struct err *err)
{
    struct api_admin_who who;
    struct content_tag t = {0};
    struct json *doc = NULL;
    const struct json *item;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc && !auth_can(who.role, AUTH_TAGS_MANAGE, NULL))
        rc = err_set(err, ERR_FORBIDDEN, "You do not have permission to perform this action");
    if (!rc && edit)
        rc = target(req, &t, err);
    if (!rc)
        rc = api_admin_body(req, "tags", &doc, &item, err);
    if (!rc)
        rc = tag_in(req, item, &t, err);
    int64_t id = edit ? t.id : 0;
    if (!rc)
        rc = write_tag(app, &t, &id, err);
    json_free(doc);
    return rc ? rc : answer_tag(app, req, res, id, edit ? 200 : 201, err);
}

enum err_code api_admin_tags_add(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    return save(app, req, res, false, err);
}

enum err_code api_admin_tags_edit(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    return save(app, req, res, true, err);
}

enum err_code api_admin_tags_delete(struct app *app, const struct request *req,
                                    struct response *res, struct err *err)
{
    struct api_admin_who who;
    struct content_tag t;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc && !auth_can(who.role, AUTH_TAGS_MANAGE, NULL))
        rc = err_set(err, ERR_FORBIDDEN, "You do not have permission to perform this action");
    if (!rc)
        rc = target(req, &t, err);
    if (rc)
        return rc;
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_tx_end(st, store_admin_tag_delete(st, t.id, err), err);
    if (rc)
        return rc;
    res->status = 204;
    buf_reset(&res->body);
    res->content_type = NULL;
    return ERR_OK;
}
