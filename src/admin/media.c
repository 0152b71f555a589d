/*
 * The media library: every photo uploaded, newest first, with its thumbnail, alt text,
 * size, who added it and where it is used; a search by alt text and file name; a page
 * per photo to change what the uploader said about it (alt, decorative, caption, credit)
 * or to delete it when nothing uses it. The upload itself (POST /admin/media/) belongs
 * to media/; this file shows what it stored.
 *
 * Who may do what: every staff member who may write posts sees the library and uploads;
 * the uploader may change or delete their own photos, Editors and Administrators anyone's.
 * The editor's pickers read GET /admin/api/media/?q= (small JSON, staff only).
 */
#include "admin/admin_int.h"

#include "json/json.h"
#include "media/media.h"
#include "newsroom/newsroom.h"
#include "site/site.h"

#include <ctype.h>
#include <string.h>

#define MEDIA_PAGE 30  /* photos per page of the library */
#define MEDIA_PICKS 24 /* photos per answer of the picker */
#define MEDIA_QUERY_MAX 100

/* ---- the views ------------------------------------------------------------------------ */

struct admin_media_use {
    struct str kind, title, url;
};

static const struct render_field use_fields[] = {
    RENDER_STR_FIELD(struct admin_media_use, kind),
    RENDER_STR_FIELD(struct admin_media_use, title),
    RENDER_STR_FIELD(struct admin_media_use, url),
};
static const struct render_type use_type = RENDER_TYPE(struct admin_media_use, use_fields);

/* One photo as the library and its edit page show it. */
struct admin_media_card {
    struct str key, url, thumb, edit_url;
    int64_t thumb_width, thumb_height;
    struct str alt, caption, credit, filename;
    bool decorative;
    struct str dims, size, when, who;
    const struct admin_media_use *uses;
    size_t nuses;
    bool used;
    bool may_edit;
};

static const struct render_field card_fields[] = {
    RENDER_STR_FIELD(struct admin_media_card, key),
    RENDER_STR_FIELD(struct admin_media_card, url),
    RENDER_STR_FIELD(struct admin_media_card, thumb),
    RENDER_STR_FIELD(struct admin_media_card, edit_url),
    RENDER_INT_FIELD(struct admin_media_card, thumb_width),
    RENDER_INT_FIELD(struct admin_media_card, thumb_height),
    RENDER_STR_FIELD(struct admin_media_card, alt),
    RENDER_STR_FIELD(struct admin_media_card, caption),
    RENDER_STR_FIELD(struct admin_media_card, credit),
    RENDER_STR_FIELD(struct admin_media_card, filename),
    RENDER_BOOL_FIELD(struct admin_media_card, decorative),
    RENDER_STR_FIELD(struct admin_media_card, dims),
    RENDER_STR_FIELD(struct admin_media_card, size),
    RENDER_STR_FIELD(struct admin_media_card, when),
    RENDER_STR_FIELD(struct admin_media_card, who),
    RENDER_LIST_FIELD(struct admin_media_card, uses, nuses, &use_type),
    RENDER_BOOL_FIELD(struct admin_media_card, used),
    RENDER_BOOL_FIELD(struct admin_media_card, may_edit),
};
static const struct render_type card_type = RENDER_TYPE(struct admin_media_card, card_fields);

struct admin_media_view {
    struct str q;
    const struct admin_media_card *items;
    size_t nitems;
    struct str more_url; /* empty: no older photos */
    bool searched;       /* a search that found nothing says so */
    bool empty;          /* no photo to show */
    int64_t bytes_max_mb;
};

static const struct render_field media_fields[] = {
    RENDER_STR_FIELD(struct admin_media_view, q),
    RENDER_LIST_FIELD(struct admin_media_view, items, nitems, &card_type),
    RENDER_STR_FIELD(struct admin_media_view, more_url),
    RENDER_BOOL_FIELD(struct admin_media_view, searched),
    RENDER_BOOL_FIELD(struct admin_media_view, empty),
    RENDER_INT_FIELD(struct admin_media_view, bytes_max_mb),
};
const struct render_type admin_media_type = RENDER_TYPE(struct admin_media_view, media_fields);

/* The edit page: the photo, and the form as submitted after a refusal. */
struct admin_media_item_view {
    const struct admin_media_card *photo;
    struct str form_alt, form_caption, form_credit;
    bool form_decorative;
};

static const struct render_field item_fields[] = {
    RENDER_OBJ_FIELD(struct admin_media_item_view, photo, &card_type),
    RENDER_STR_FIELD(struct admin_media_item_view, form_alt),
    RENDER_STR_FIELD(struct admin_media_item_view, form_caption),
    RENDER_STR_FIELD(struct admin_media_item_view, form_credit),
    RENDER_BOOL_FIELD(struct admin_media_item_view, form_decorative),
};
const struct render_type admin_media_item_type =
    RENDER_TYPE(struct admin_media_item_view, item_fields);

/* ---- helpers ------------------------------------------------------------------------ */

/* "1.2 MB", "310 KB" */
static struct str size_text(int64_t bytes, struct arena *a)
{
    if (bytes >= 1024 * 1024)
        return str_from(arena_printf(a, "%.1f MB", (double)bytes / (1024.0 * 1024.0)));
    return str_from(arena_printf(a, "%lld KB", (long long)((bytes + 1023) / 1024)));
}

/* The smallest rendition, in WebP when there is one: the library's thumbnail. */
static void thumb_of(const struct media_item *m, struct arena *a, struct admin_media_card *c)
{
    int widths[MEDIA_WIDTHS_MAX];
    size_t n = media_widths(m, widths);
    int w = n ? widths[0] : m->width;
    enum media_format f = MEDIA_HAS(m->formats, MEDIA_WEBP) ? MEDIA_WEBP : MEDIA_NONE;
    c->thumb = media_path(m, n ? w : 0, f, a);
    c->thumb_width = w;
    c->thumb_height = m->width > 0 ? ((int64_t)m->height * w + m->width / 2) / m->width : 0;
}

/* The uploader may change their own photos; Editors and Administrators anyone's. */
static bool may_edit(const struct admin_session *s, const struct media_item *m)
{
    return s->role >= AUTH_EDITOR || (m->created_by && m->created_by == s->user_id);
}

static struct str who_of(const struct request *req, int64_t user_id)
{
    struct store_user u;
    if (!user_id)
        return STR_LIT("an import or the command line");
    if (store_user_by_id(app_store(req), user_id, req->arena, &u, NULL) == ERR_OK)
        return u.name;
    return STR_LIT("a former member of staff");
}

static void uses_of(const struct request *req, const struct media_item *m,
                    struct admin_media_card *c)
{
    struct media_use *u = NULL;
    size_t n = 0;
    if (media_uses(app_store(req), str_from(m->key), req->arena, &u, &n, NULL) != ERR_OK)
        n = 0;
    struct admin_media_use *v = arena_calloc(req->arena, n + 1, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (struct admin_media_use){str_from(u[i].kind), u[i].title, u[i].url};
    c->uses = v;
    c->nuses = n;
    c->used = n > 0;
}

static void card_of(const struct request *req, const struct media_item *m,
                    struct admin_media_card *c)
{
    struct arena *a = req->arena;
    *c = (struct admin_media_card){
        .key = str_from(arena_strndup(a, m->key, MEDIA_KEY_LEN)),
        .url = media_path(m, 0, MEDIA_NONE, a),
        .edit_url = str_from(arena_printf(a, "/admin/media/%s/", m->key)),
        .alt = m->alt,
        .caption = m->caption,
        .credit = m->credit,
        .filename = m->filename,
        .decorative = m->decorative,
        .dims = str_from(arena_printf(a, "%d × %d", m->width, m->height)),
        .size = size_text(m->bytes, a),
        .when = admin_when(m->created_at, a),
        .who = who_of(req, m->created_by),
        .may_edit = may_edit(admin_session_of(req), m),
    };
    thumb_of(m, a, c);
    uses_of(req, m, c);
}

static struct str query_q(const struct request *req)
{
    struct str q = str_trim(admin_query(req, "q"));
    if (q.len > MEDIA_QUERY_MAX)
        q.len = MEDIA_QUERY_MAX;
    return q;
}

static int64_t query_before(const struct request *req)
{
    int64_t before;
    return str_to_i64(admin_query(req, "before"), &before) && before > 0 ? before : 0;
}

/* "Photo added. Location, camera serial number removed." after an upload without script */
static const char *added_notice(const struct request *req)
{
    struct str key = admin_query(req, "added");
    struct media_item m;
    if (!key.len || media_get(app_store(req), key, req->arena, &m, NULL) != ERR_OK)
        return NULL;
    if (!m.removed.len)
        return "Photo added. It carried no hidden data to remove.";
    char *r = arena_strndup(req->arena, m.removed.ptr, m.removed.len);
    r[0] = (char)toupper((unsigned char)r[0]);
    return arena_printf(req->arena, "Photo added. %s removed.", r);
}

/* ---- the library ------------------------------------------------------------------- */

enum err_code admin_media(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    struct media_list_query q = {query_q(req), query_before(req), MEDIA_PAGE + 1};
    struct media_item *items;
    size_t n;
    enum err_code rc = media_list(app_store(req), &q, req->arena, &items, &n, err);
    if (rc)
        return rc;
    struct admin_media_view mv = {.q = q.q, .searched = q.q.len > 0};
    size_t max = app->media ? media_config_of(app->media)->bytes_max : 0;
    mv.bytes_max_mb = (int64_t)((max ? max : MEDIA_BYTES_MAX_DEFAULT) / (1024 * 1024));
    if (n > MEDIA_PAGE) {
        n = MEDIA_PAGE;
        mv.more_url = str_from(arena_printf(req->arena, "/admin/media/?q=%s&before=%lld",
                                            arena_url_encode(req->arena, q.q).ptr,
                                            (long long)items[n - 1].id));
    }
    struct admin_media_card *cards = arena_calloc(req->arena, n + 1, sizeof(*cards));
    for (size_t i = 0; i < n; i++)
        card_of(req, &items[i], &cards[i]);
    mv.items = cards;
    mv.nitems = n;
    mv.empty = n == 0;
    struct admin_view v = {.title = STR_LIT("Photos"), .media = &mv};
    const char *notice = added_notice(req);
    if (!notice && admin_query_has(req, "deleted"))
        notice = "Photo deleted.";
    admin_view_notices(&v, NULL, notice);
    return admin_show(app, req, res, 200, ADMIN_TPL_MEDIA, "media", &v);
}

/* ---- one photo ----------------------------------------------------------------------- */

/* The audit log's line for a change the media module made in its own transaction. */
static void audit(struct app *app, const struct request *req, const char *what, const char *key)
{
    struct store *st = app->writer;
    struct err e = {0};
    if (store_tx_begin(st, &e))
        return;
    enum err_code rc = store_audit(st, admin_session_of(req)->user_id, what,
                                   str_from(arena_printf(req->arena, "media:%s", key)), STR_LIT(""),
                                   admin_client_address(app, req), &e);
    store_tx_end(st, rc, &e);
}

static struct str param_key(const struct request *req)
{
    return http_request_param(req, "key");
}

static enum err_code item_page(struct app *app, const struct request *req, struct response *res,
                               int status, const struct media_item *m,
                               const struct media_meta *form, const char *alert, const char *notice)
{
    struct admin_media_card *c = arena_calloc(req->arena, 1, sizeof(*c));
    card_of(req, m, c);
    struct admin_media_item_view iv = {.photo = c};
    iv.form_alt = form ? form->alt : m->alt;
    iv.form_caption = form ? form->caption : m->caption;
    iv.form_credit = form ? form->credit : m->credit;
    iv.form_decorative = form ? form->decorative : m->decorative;
    struct admin_view v = {.title = STR_LIT("Photo"), .media_item = &iv};
    admin_view_notices(&v, alert, notice);
    return admin_show(app, req, res, status, ADMIN_TPL_MEDIA_ITEM, "media", &v);
}

enum err_code admin_media_edit(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct media_item m;
    enum err_code rc = media_get(app_store(req), param_key(req), req->arena, &m, err);
    if (rc)
        return rc;
    const char *notice = admin_query_has(req, "saved") ? "Changes saved." : NULL;
    return item_page(app, req, res, 200, &m, NULL, NULL, notice);
}

/* The photo of the route's {key}, when the session may change it. */
static enum err_code editable(const struct request *req, struct media_item *m, struct err *err)
{
    enum err_code rc = media_get(app_store(req), param_key(req), req->arena, m, err);
    if (rc)
        return rc;
    if (!may_edit(admin_session_of(req), m))
        return err_set(err, ERR_FORBIDDEN,
                       "only the person who added a photo, editors and administrators may "
                       "change or delete it");
    return ERR_OK;
}

enum err_code admin_media_save(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct media_item m;
    enum err_code rc = editable(req, &m, err);
    if (rc)
        return rc;
    struct media_meta meta = {
        .alt = admin_field(req, "alt"),
        .decorative = str_eq_cstr(admin_field(req, "decorative"), "1"),
        .caption = admin_field(req, "caption"),
        .credit = admin_field(req, "credit"),
    };
    struct err e = {0};
    if (media_update(app->writer, str_from(m.key), &meta, &e) != ERR_OK) {
        if (e.code != ERR_INVALID)
            return err_set(err, e.code, "%s", e.msg);
        return item_page(app, req, res, 400, &m, &meta, e.msg, NULL);
    }
    /* posts showing it take the library's new words now (their HTML is made on save) */
    struct str site_url = site_settings_of(app->site)->url;
    if (newsroom_photo_changed(app->writer, str_from(m.key), site_url, req->arena, &e))
        log_warn("photo %s changed, but its posts keep the old words: %s", m.key, e.msg);
    audit(app, req, "change photo", m.key);
    return admin_redirect(res, arena_printf(req->arena, "/admin/media/%s/?saved=1", m.key));
}

enum err_code admin_media_delete(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    struct media_item m;
    enum err_code rc = editable(req, &m, err);
    if (rc)
        return rc;
    struct err e = {0};
    rc = media_delete(app->writer, str_from(m.key), &e);
    if (rc == ERR_CONFLICT)
        return item_page(app, req, res, 409, &m, NULL,
                         arena_printf(req->arena, "Not deleted: %s.", e.msg), NULL);
    if (rc)
        return err_set(err, rc, "%s", e.msg);
    audit(app, req, "delete photo", m.key);
    return admin_redirect(res, "/admin/media/?deleted=1");
}

/* ---- the pickers' look-up ------------------------------------------------------------ */

static struct json *pick_of(const struct media_item *m, struct arena *a)
{
    struct admin_media_card c = {0};
    thumb_of(m, a, &c);
    struct json *o = json_obj_new();
    json_obj_set_str(o, "key", str_from(arena_strndup(a, m->key, MEDIA_KEY_LEN)));
    json_obj_set_str(o, "url", media_path(m, 0, MEDIA_NONE, a));
    json_obj_set_str(o, "thumb", c.thumb);
    json_obj_set_int(o, "width", m->width);
    json_obj_set_int(o, "height", m->height);
    json_obj_set_str(o, "alt", m->alt);
    json_obj_set_bool(o, "decorative", m->decorative);
    json_obj_set_str(o, "caption", m->caption);
    json_obj_set_str(o, "credit", m->credit);
    return o;
}

enum err_code admin_api_media(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)app;
    struct media_list_query q = {query_q(req), query_before(req), MEDIA_PICKS};
    struct media_item *items;
    size_t n;
    enum err_code rc = media_list(app_store(req), &q, req->arena, &items, &n, err);
    if (rc)
        return rc;
    struct json *root = json_obj_new(), *arr = json_arr_new();
    for (size_t i = 0; i < n; i++)
        json_arr_push(arr, pick_of(&items[i], req->arena));
    json_obj_set(root, "items", arr);
    rc = json_write(root, JSON_WRITE_SCRIPT_SAFE, &res->body, err);
    json_free(root);
    res->content_type = "application/json; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    return rc;
}
