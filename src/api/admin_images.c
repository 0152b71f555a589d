/*
 * images/upload/ of the Admin API: Ghost's multipart form (the photo in "file", an
 * optional "ref" echoed back, "purpose" read and ignored), into the photo library through
 * media_add, as the newsroom's own upload does. Alt text is not part of Ghost's upload: a
 * post names it later in feature_image_alt, so the photo goes in without one.
 */
#include "api/api_admin_int.h"

#include "app.h"
#include "http/http.h"
#include "json/json.h"
#include "media/media.h"

#include <string.h>

static struct str field(const struct http_multipart *mp, const char *name)
{
    const struct http_part *p = http_multipart_get(mp, name);
    return p && !p->is_file ? p->body : STR_LIT("");
}

enum err_code api_admin_images_upload(struct app *app, const struct request *req,
                                      struct response *res, struct err *err)
{
    struct api_admin_who who;
    enum err_code rc = api_admin_auth(app, req, &who, err);
    if (rc)
        return rc;
    struct str ct = http_request_header(req, "content-type");
    struct str boundary;
    if (!http_multipart_boundary(ct, &boundary))
        return err_set(err, ERR_UNSUPPORTED, "Please select an image.");
    struct http_multipart mp;
    rc = http_multipart_parse(ct, req->body, req->arena, &mp, err);
    if (rc)
        return rc;
    const struct http_part *f = http_multipart_get(&mp, "file");
    if (!f || !f->is_file || !f->body.len)
        return err_set(err, ERR_VALIDATION, "Please select an image.");
    if (!app->media)
        return err_set(err, ERR_BUSY, "photos cannot be taken in right now");
    struct media_meta meta = {.filename = f->filename, .alt_later = true};
    struct media_item m;
    bool existed = false;
    rc = media_add(app->media, app->writer, f->body.ptr, f->body.len, &meta, who.user_id,
                   req->arena, &m, &existed, err);
    if (rc == ERR_INVALID || rc == ERR_UNSUPPORTED)
        return err_set(err, ERR_UNSUPPORTED, "Please select a valid image.\n%s", err->msg);
    if (rc)
        return rc;
    struct api_out out = {app->api, NULL, req->arena};
    struct json *img = json_obj_new();
    json_obj_set(img, "url", api_admin_image(&out, media_path(&m, 0, MEDIA_NONE, req->arena)));
    struct str ref = field(&mp, "ref");
    json_obj_set(img, "ref", ref.len ? json_str_new(ref) : NULL);
    return api_admin_send_one(res, 201, "images", img);
}
