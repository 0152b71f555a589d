/*
 * Preview links for drafts: "Share a preview" signs a link to the post's current text
 * that works for PREVIEW_TTL without a login (site/preview.c shows it). The token is
 * auth_preview_sign's over the post id and the expiry with the database's 'preview' key;
 * nothing is stored per link. Making one is an audit line: it lets outsiders read an
 * unpublished post.
 */
#include "admin/admin_int.h"

#include <string.h>

#define PREVIEW_TTL (48 * 60 * 60)

static enum err_code preview_key(const struct request *req, struct str *key, struct err *err)
{
    enum err_code rc = store_secret_get(app_store(req), "preview", req->arena, key, err);
    return rc == ERR_NOTFOUND ? err_set(err, ERR_INTERNAL, "no preview key in the database") : rc;
}

enum err_code admin_post_share(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    int64_t id = admin_param_id(req);
    struct content_post p;
    enum err_code rc = admin_post_for(req, id, AUTH_POST_WRITE, &p, err);
    if (rc)
        return rc;
    if (p.status == CONTENT_PUBLISHED)
        return err_set(err, ERR_INVALID, "it is published: share its address on the site instead");
    struct str key;
    rc = preview_key(req, &key, err);
    if (rc)
        return rc;
    char token[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign(key, id, time_now() + PREVIEW_TTL, token);
    struct store *st = app->writer;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_audit(st, admin_session_of(req)->user_id, "share",
                     str_from(arena_printf(req->arena, "post:%lld", (long long)id)), p.title,
                     admin_client_address(app, req), err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, arena_printf(req->arena, "/admin/posts/%lld/?preview_link=%s#share",
                                            (long long)id, token));
}

void admin_share_view(const struct request *req, const struct admin_tools_in *in,
                      struct admin_tools_view *t)
{
    t->can_share = in->id && in->status != CONTENT_PUBLISHED;
    if (!t->can_share)
        return;
    t->share_action =
        str_from(arena_printf(req->arena, "/admin/posts/%lld/share/", (long long)in->id));
    struct str token = admin_query(req, "preview_link"), key;
    int64_t id = 0, expires = 0;
    if (!token.len || preview_key(req, &key, NULL) ||
        auth_preview_verify(key, token, time_now(), &id, &expires) != AUTH_PREVIEW_OK ||
        id != in->id)
        return;
    t->share_url = str_from(arena_printf(req->arena, "/preview/%.*s/", (int)token.len, token.ptr));
    t->share_expires = admin_when(expires, req->arena);
}
