/*
 * The photo upload, POST /admin/media/: the newsroom's one way in for pictures (the
 * editor's picker, drag and drop and paste, feature images, avatars, the site's logo and
 * icon all send here). The form is parsed in place (http/multipart.c: the photo is a
 * slice of the request body) and handed to media_add, which checks and stores it.
 */
#include "admin/admin_int.h"

#include "api/api.h"
#include "json/json.h"
#include "media/media.h"

#include <string.h>

bool admin_wants_json(const struct request *req)
{
    struct str accept = http_request_header(req, "accept");
    return accept.ptr && memmem(accept.ptr, accept.len, "application/json", 16) &&
           str_starts_with(req->path, "/admin/media/");
}

/* A text field of the form; "" when absent. */
static struct str field(const struct http_multipart *mp, const char *name)
{
    const struct http_part *p = http_multipart_get(mp, name);
    return p && !p->is_file ? p->body : STR_LIT("");
}

/* The form's fields as media_add takes them; the photo's bytes in *file. */
static enum err_code read_form(const struct request *req, struct http_multipart *mp,
                               struct media_meta *meta, struct str *file, struct err *err)
{
    struct str ct = http_request_header(req, "content-type");
    struct str boundary;
    if (!http_multipart_boundary(ct, &boundary))
        return err_set(err, ERR_UNSUPPORTED, "send the photo as multipart/form-data");
    enum err_code rc = http_multipart_parse(ct, req->body, req->arena, mp, err);
    if (rc)
        return rc;
    const struct http_part *f = http_multipart_get(mp, "file");
    if (!f || !f->is_file)
        return err_set(err, ERR_INVALID, "choose a photo to upload (the 'file' field)");
    if (!f->body.len)
        return err_set(err, ERR_INVALID, "the photo '%.*s' is empty (0 bytes)",
                       (int)f->filename.len, f->filename.ptr);
    struct str decorative = field(mp, "decorative");
    *meta = (struct media_meta){
        .alt = field(mp, "alt"),
        .decorative = str_eq_cstr(decorative, "1") || str_eq_cstr(decorative, "on"),
        .caption = field(mp, "caption"),
        .credit = field(mp, "credit"),
        .filename = f->filename,
    };
    *file = f->body;
    return ERR_OK;
}

static enum err_code answer_json(struct response *res, const struct media_item *m, bool existed,
                                 struct arena *a)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "key", str_from(m->key));
    json_obj_set_str(o, "url", media_path(m, 0, MEDIA_NONE, a));
    json_obj_set_int(o, "width", m->width);
    json_obj_set_int(o, "height", m->height);
    json_obj_set_str(o, "alt", m->alt);
    json_obj_set(o, "decorative", json_bool_new(m->decorative));
    json_obj_set_str(o, "caption", m->caption);
    json_obj_set_str(o, "credit", m->credit);
    json_obj_set_str(o, "removed", m->removed);
    json_obj_set(o, "existed", json_bool_new(existed));
    json_obj_set(o, "ready", json_bool_new(m->ready));
    struct json *root = json_obj_new();
    json_obj_set(root, "media", o);
    return admin_json(res, existed ? 200 : 201, root);
}

enum err_code admin_media_upload(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    struct http_multipart mp;
    struct media_meta meta;
    struct str file = STR_NULL;
    enum err_code rc = read_form(req, &mp, &meta, &file, err);
    if (rc)
        return rc;
    if (!app->media)
        return err_set(err, ERR_BUSY, "photos cannot be taken in right now");
    struct media_item m;
    bool existed = false;
    rc = media_add(app->media, app->writer, file.ptr, file.len, &meta,
                   admin_session_of(req)->user_id, req->arena, &m, &existed, err);
    if (rc)
        return rc;
    if (admin_wants_json(req))
        return answer_json(res, &m, existed, req->arena);
    return admin_redirect(res, arena_printf(req->arena, "/admin/media/?added=%s", m.key));
}
