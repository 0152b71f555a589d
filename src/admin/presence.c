/*
 * Presence and the editor's small JSON answers: who else has a post open (a note, never a
 * lock), and the session's CSRF token for a page whose session ended and began again in
 * another tab.
 *
 * The editor's page renews its row in `editing` when it renders and every 20 seconds
 * while open; anyone seen in the last ADMIN_PRESENCE_WINDOW seconds is "also editing".
 * Two tabs of one person share one row: they are never "someone else".
 */
#include "admin/admin_int.h"

#include "json/json.h"

#include <string.h>

/* A minute: three missed renewals of a 20-second beat before someone is gone. */
#define ADMIN_PRESENCE_WINDOW 60

enum err_code admin_json(struct response *res, int status, struct json *o)
{
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    enum err_code rc = json_write(o, JSON_WRITE_COMPACT, &res->body, NULL);
    json_free(o);
    return rc;
}

/* "Ana Reporter is also editing this post", "A, B and C are ...", in a; "" for nobody. */
static struct str note_of(const struct store_editing *e, size_t n, struct arena *a)
{
    if (!n)
        return STR_LIT("");
    struct buf b;
    buf_init(&b, 8 * 1024);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%.*s",
                   i == 0       ? ""
                   : i + 1 == n ? " and "
                                : ", ",
                   (int)e[i].name.len, e[i].name.ptr);
    buf_printf(&b, " %s also editing this post", n == 1 ? "is" : "are");
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

/*
 * Renews the session's row for the post, then reads the others. Both inside the writer's
 * transaction: the connection is shared by every thread, and only store_tx_begin makes a
 * thread its sole user (a read after store_tx_end raced other editors' saves on it).
 */
static enum err_code presence_of(struct app *app, const struct request *req, int64_t id,
                                 struct str *note, struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    int64_t now = time_now();
    struct store *st = app->writer;
    struct store_editing *e;
    size_t n = 0;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_editing_touch(st, id, s->user_id, now, err);
    if (!rc)
        rc = store_editing_others(st, id, s->user_id, now - ADMIN_PRESENCE_WINDOW, req->arena, &e,
                                  &n, err);
    rc = store_tx_end(st, rc, err);
    *note = rc ? STR_LIT("") : note_of(e, n, req->arena);
    return rc;
}

struct str admin_presence_note(struct app *app, const struct request *req, int64_t id)
{
    struct str note;
    struct err err = {0};
    if (presence_of(app, req, id, &note, &err))
        log_warn("presence: %s", err.msg); /* a note, not worth refusing the page for */
    return note;
}

enum err_code admin_post_editing(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    struct content_post p;
    struct str note;
    enum err_code rc = admin_post_for(req, admin_param_id(req), AUTH_POST_WRITE, &p, err);
    if (!rc)
        rc = presence_of(app, req, p.id, &note, err);
    if (rc)
        return rc;
    struct json *o = json_obj_new();
    json_obj_set_str(o, "others", note);
    return admin_json(res, 200, o);
}

enum err_code admin_session_info(struct app *app, const struct request *req, struct response *res,
                                 struct err *err)
{
    (void)err;
    struct admin_session *s = NULL;
    struct json *o = json_obj_new();
    if (admin_session_load(app, req, &s) != ERR_OK) {
        json_obj_set_str(o, "error", STR_LIT("your session has ended: log in again"));
        return admin_json(res, 401, o);
    }
    json_obj_set_str(o, "csrf", s->csrf);
    json_obj_set_str(o, "user", s->name);
    return admin_json(res, 200, o);
}
