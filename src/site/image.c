/* /content/images/...: photos, through media_serve (media/serve.c says how). */
#include "site/site_int.h"

#include "app.h"
#include "media/media.h"

enum err_code site_image(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    struct str canon;
    if (!app->media)
        return err_set(err, ERR_NOTFOUND, "no such image");
    return media_serve(app->media, app_store(req), req->path, req->arena, res, &canon, err);
}
