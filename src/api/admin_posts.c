/*
 * posts/ and pages/ of the Admin API: browse (every status), read by id or slug, add,
 * edit with Ghost's updated_at collision check, delete. Writes go through newsroom/ in
 * one transaction with a revision, as the editor's saves do; a session's role decides
 * what it may do (auth_can), a key acts as an editor.
 */
#include "api/api_admin_int.h"

#include "app.h"
#include "http/http.h"
#include "json/json.h"
#include "newsroom/newsroom.h"

#include <string.h>

#define COLLISION "Saving failed! Someone else is editing this post.\n\nUPDATE_COLLISION"
#define NO_PERMISSION "You do not have permission to perform this action"

static bool is_pages(const struct request *req)
{
    return str_starts_with(req->path, "/ghost/api/admin/pages/");
}

static const char *root_of(const struct request *req)
{
    return is_pages(req) ? "pages" : "posts";
}

/* Ghost's id of a post: the one it was imported with, else ours. */
static struct json *post_id_json(const struct content_post *p)
{
    char s[25];
    if (p->ghost_id.len)
        return json_str_new(p->ghost_id);
    api_id_format(API_ID_POST, p->id, s);
    return json_str_new((struct str){s, 24});
}

static struct json *jor_null(struct str s)
{
    return s.len ? json_str_new(s) : NULL;
}

/* The Content API's object with what the Admin API adds: status, formats, meta fields. */
static struct json *post_json(const struct api_out *out, const struct content_post *p)
{
    static const char *const nulls[] = {
        "mobiledoc",          "lexical",        "newsletter", "email", "codeinjection_head",
        "codeinjection_foot", "custom_template"};
    struct json *o = api_post_json(out, p);
    json_obj_set(o, "id", post_id_json(p));
    json_obj_set_str(o, "status", str_from(content_status_name(p->status)));
    for (size_t i = 0; i < ARRAY_LEN(nulls); i++)
        json_obj_set_null(o, nulls[i]);
    const struct content_meta *m = &p->meta;
    json_obj_set(o, "og_image", api_admin_image(out, m->og_image));
    json_obj_set(o, "og_title", jor_null(m->og_title));
    json_obj_set(o, "og_description", jor_null(m->og_description));
    json_obj_set(o, "twitter_image", api_admin_image(out, m->twitter_image));
    json_obj_set(o, "twitter_title", jor_null(m->twitter_title));
    json_obj_set(o, "twitter_description", jor_null(m->twitter_description));
    json_obj_set(o, "meta_title", jor_null(m->meta_title));
    json_obj_set(o, "meta_description", jor_null(m->meta_description));
    json_obj_set(o, "canonical_url", jor_null(m->canonical_url));
    json_obj_set_bool(o, "email_only", false);
    json_obj_set_str(o, "type", p->page ? STR_LIT("page") : STR_LIT("post"));
    return o;
}

/* The ask every answer uses: include=tags,authors always, as Ghost's Admin API does. */
static void ask_relations(struct api_ask *q)
{
    if (!api_words_has(&q->include, "tags") && q->include.n < API_WORDS_MAX)
        q->include.w[q->include.n++] = STR_LIT("tags");
    if (!api_words_has(&q->include, "authors") && q->include.n < API_WORDS_MAX)
        q->include.w[q->include.n++] = STR_LIT("authors");
}

enum err_code api_admin_posts_browse(struct app *app, const struct request *req,
                                     struct response *res, struct err *err)
{
    struct api_admin_who who;
    struct api_ask q;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = api_admin_ask(req, is_pages(req) ? API_RES_PAGES : API_RES_POSTS, &q, err);
    if (rc)
        return rc;
    ask_relations(&q);
    struct store_api_query sq = {.kind =
                                     is_pages(req) ? STORE_API_ADMIN_PAGES : STORE_API_ADMIN_POSTS,
                                 .filter = q.filter,
                                 .order = q.order,
                                 .norder = q.norder,
                                 .limit = q.limit,
                                 .offset = api_admin_offset(&q)};
    struct content_post *posts;
    size_t n;
    int64_t total;
    rc = store_api_posts(app_store(req), &sq, req->arena, &posts, &n, &total, err);
    if (rc == ERR_INVALID)
        return err_set(err, ERR_INVALID, "Error parsing filter\n%s", err->msg);
    if (rc)
        return rc;
    struct api_out out = {app->api, &q, req->arena};
    struct json *arr = json_arr_new();
    for (size_t i = 0; i < n; i++) {
        struct json *o = post_json(&out, &posts[i]);
        api_fields_keep(o, &q);
        json_arr_push(arr, o);
    }
    struct json *root = json_obj_new();
    json_obj_set(root, root_of(req), arr);
    json_obj_set(root, "meta", api_meta_json(&q, total));
    res->cache_control = "no-cache, private, no-store, must-revalidate";
    return api_send_json(res, root);
}

/* The post the path names (by id, or by slug), of the path's kind. */
static enum err_code target(const struct request *req, struct content_post *p, struct err *err)
{
    int64_t id = 0;
    struct str slug = http_request_param(req, "slug");
    enum err_code rc = ERR_OK;
    if (slug.len) {
        int64_t at;
        rc = store_post_find(app_store(req), slug, &id, &at, err);
    } else {
        rc = api_admin_id(req, http_request_param(req, "id"), API_ID_POST, &id, err);
    }
    if (!rc)
        rc = store_post_by_id(app_store(req), id, req->arena, p, err);
    if (rc == ERR_OK && p->page != is_pages(req))
        rc = ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "%s",
                       is_pages(req) ? "Page not found." : "Post not found.");
    return rc;
}

/* The post as stored now, answered with status. */
static enum err_code answer_post(struct app *app, const struct request *req, struct response *res,
                                 int64_t id, int status, struct err *err)
{
    struct api_ask q;
    enum err_code rc = api_admin_ask(req, is_pages(req) ? API_RES_PAGES : API_RES_POSTS, &q, err);
    struct content_post p;
    if (!rc)
        rc = store_post_by_id(app_store(req), id, req->arena, &p, err);
    if (rc)
        return rc;
    ask_relations(&q);
    struct api_out out = {app->api, &q, req->arena};
    struct json *o = post_json(&out, &p);
    api_fields_keep(o, &q);
    return api_admin_send_one(res, status, root_of(req), o);
}

enum err_code api_admin_posts_read(struct app *app, const struct request *req, struct response *res,
                                   struct err *err)
{
    struct api_admin_who who;
    struct content_post p;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = target(req, &p, err);
    return rc ? rc : answer_post(app, req, res, p.id, 200, err);
}

/* Whether who may make the draft d of post old (NULL: a new post), as the editor decides. */
static enum err_code may_save(const struct api_admin_who *who, const struct content_post *old,
                              const struct content_draft *d, struct err *err)
{
    struct auth_post rights = {.own = true, .published = false};
    if (old) {
        rights.published = old->status != CONTENT_DRAFT;
        rights.own = false;
        for (size_t i = 0; i < old->nauthors; i++)
            rights.own |= old->authors[i].id == who->user_id;
    }
    bool public_change = d->status != CONTENT_DRAFT || rights.published;
    if (!auth_can(who->role, AUTH_POST_WRITE, &rights) ||
        (public_change && !auth_can(who->role, AUTH_POST_PUBLISH, &rights)))
        return err_set(err, ERR_FORBIDDEN, NO_PERMISSION);
    return ERR_OK;
}

/* The audit log's word for a change readers see (the editor's), or NULL for none. */
static const char *audit_of(const struct content_post *old, enum content_status now)
{
    enum content_status was = old ? old->status : CONTENT_DRAFT;
    if (now == CONTENT_PUBLISHED)
        return was == CONTENT_PUBLISHED ? "correct" : "publish";
    if (now == CONTENT_SCHEDULED && was != CONTENT_SCHEDULED)
        return "schedule";
    if (was == CONTENT_PUBLISHED)
        return "unpublish";
    if (was == CONTENT_SCHEDULED && now == CONTENT_DRAFT)
        return "unschedule";
    return old ? NULL : "create";
}

static enum err_code audit_post(struct app *app, const struct request *req,
                                const struct api_admin_who *who, const char *what, int64_t id,
                                struct str slug, struct str title, struct err *err)
{
    if (!what)
        return ERR_OK;
    struct str target = str_from(
        arena_printf(req->arena, "post:%lld /%.*s/", (long long)id, (int)slug.len, slug.ptr));
    return api_admin_audit(app, req, who, what, target, title, err);
}

static const char *action_of(const struct content_post *old, enum content_status to)
{
    if (to == CONTENT_SCHEDULED)
        return "schedule";
    if (to == CONTENT_PUBLISHED)
        return old && old->status == CONTENT_PUBLISHED ? "update" : "publish";
    return old && old->status != CONTENT_DRAFT ? "unpublish" : "save";
}

/* Adds or updates (old) the post, its meta fields and a revision: one transaction. */
static enum err_code write_post(struct app *app, const struct request *req,
                                const struct api_admin_who *who, const struct content_post *old,
                                const struct api_admin_post_in *in, int64_t *id, struct err *err)
{
    struct newsroom_opts opts = {.may_create_tags = auth_can(who->role, AUTH_TAG_CREATE, NULL),
                                 .default_author = who->user_id,
                                 .site_url = app->api->cfg.url};
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    if (old) {
        int64_t version, updated_at;
        rc = store_post_version(st, old->id, &version, &updated_at, err);
        if (!rc && (!in->has_updated_at || in->updated_at != updated_at))
            rc = err_set(err, ERR_CONFLICT, COLLISION);
    }
    struct str slug;
    if (!rc)
        rc = old ? newsroom_post_update(st, old->id, &in->d, &opts, req->arena, &slug, err)
                 : newsroom_post_add(st, &in->d, &opts, req->arena, id, &slug, err);
    if (!rc && old)
        *id = old->id;
    if (!rc)
        rc = store_post_meta_set(st, *id, &in->meta, err);
    struct store_revision r;
    newsroom_revision_of(&in->d, action_of(old, in->d.status), req->arena, &r);
    if (!rc)
        rc = store_revision_add(st, *id, who->user_id, &r, err);
    if (!rc)
        rc = audit_post(app, req, who, audit_of(old, in->d.status), *id, slug,
                        str_trim(in->d.title), err);
    rc = store_tx_end(st, rc, err);
    if (rc == ERR_INVALID) /* newsroom/ refused a field: Ghost's validation error */
        return err_set(err, ERR_VALIDATION, "Validation error, cannot save post.\n%s", err->msg);
    return rc;
}

static enum err_code save(struct app *app, const struct request *req, struct response *res,
                          bool edit, struct err *err)
{
    struct api_admin_who who;
    struct content_post old;
    struct json *doc = NULL;
    const struct json *item;
    struct api_admin_post_in in;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc && edit)
        rc = target(req, &old, err);
    if (!rc)
        rc = api_admin_body(req, root_of(req), &doc, &item, err);
    if (!rc)
        rc = api_admin_post_in(req, item, edit ? &old : NULL, is_pages(req), &in, err);
    if (!rc)
        rc = may_save(&who, edit ? &old : NULL, &in.d, err);
    int64_t id = 0;
    if (!rc)
        rc = write_post(app, req, &who, edit ? &old : NULL, &in, &id, err);
    json_free(doc);
    return rc ? rc : answer_post(app, req, res, id, edit ? 200 : 201, err);
}

enum err_code api_admin_posts_add(struct app *app, const struct request *req, struct response *res,
                                  struct err *err)
{
    return save(app, req, res, false, err);
}

enum err_code api_admin_posts_edit(struct app *app, const struct request *req, struct response *res,
                                   struct err *err)
{
    return save(app, req, res, true, err);
}

enum err_code api_admin_posts_delete(struct app *app, const struct request *req,
                                     struct response *res, struct err *err)
{
    struct api_admin_who who;
    struct content_post p;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (!rc)
        rc = target(req, &p, err);
    if (rc)
        return rc;
    struct auth_post rights = {.published = p.status != CONTENT_DRAFT};
    for (size_t i = 0; i < p.nauthors; i++)
        rights.own |= p.authors[i].id == who.user_id;
    if (!auth_can(who.role, AUTH_POST_DELETE, &rights))
        return err_set(err, ERR_FORBIDDEN, NO_PERMISSION);
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_post_delete(st, p.id, err);
    if (!rc)
        rc = audit_post(app, req, &who, "delete", p.id, p.slug, p.title, err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    res->status = 204;
    buf_reset(&res->body);
    res->content_type = NULL;
    return ERR_OK;
}
