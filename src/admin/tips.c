/*
 * The tips inbox: what readers sent through /tips/, newest first, for Editors and
 * Administrators. Every field is the reader's text and is shown escaped; a link is made
 * clickable only when it is http(s), and then with rel="noopener noreferrer nofollow".
 */
#include "admin/admin_int.h"

#include <string.h>

#define TIPS_PAGE 50

enum err_code admin_tips(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    (void)app;
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_TIPS_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators read the tips inbox");
    int64_t page = admin_query_page(req);
    struct store_tip *tips;
    size_t count;
    int64_t total, open;
    enum err_code rc = store_tips(app_store(req), (page - 1) * TIPS_PAGE, TIPS_PAGE, req->arena,
                                  &tips, &count, &total, &open, err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, HTTP_RESPONSE_MAX);
    admin_page_begin(&b, s, "Tips", "tips");
    h(&b, "<h1>Tips from readers</h1><p class=\"muted\">%d tip%R, %d not yet handled</p>",
      (long long)total, total == 1 ? "" : "s", (long long)open);
    for (size_t i = 0; i < count; i++) {
        const struct store_tip *t = &tips[i];
        char when[64];
        h(&b, "<article class=\"tip\"><h2>%s%R</h2>", admin_when(t->created_at, when),
          t->handled_at ? " · handled" : "");
        h(&b, "<p>%S</p><small>From: %S", t->message, t->name.len ? t->name : STR_LIT("(no name)"));
        if (t->email.len)
            h(&b, " · %S", t->email);
        if (t->about.len)
            h(&b, " · about <a href=\"/author/%S/\">%S</a>", t->about, t->about);
        h(&b, " · address %S", t->address);
        if (t->handled_at)
            h(&b, " · handled by %S", t->handled_by.len ? t->handled_by : STR_LIT("—"));
        h(&b, "</small>");
        if (t->link.len) {
            if (str_starts_with(t->link, "https://") || str_starts_with(t->link, "http://"))
                h(&b, "<p>Link: <a href=\"%S\" rel=\"noopener noreferrer nofollow\">%S</a></p>",
                  t->link, t->link);
            else
                h(&b, "<p>Link: %S</p>", t->link);
        }
        h(&b, "<form method=\"post\" action=\"/admin/tips/%d/\" class=\"actions\">",
          (long long)t->id);
        admin_csrf_field(&b, s);
        h(&b,
          "<button type=\"submit\" name=\"action\" value=\"%R\" class=\"secondary\">%R"
          "</button><button type=\"submit\" name=\"action\" value=\"delete\" "
          "class=\"danger\" data-confirm=\"Delete this tip for good?\">Delete</button>"
          "</form></article>",
          t->handled_at ? "reopen" : "handled",
          t->handled_at ? "Mark not handled" : "Mark handled");
    }
    if (page * TIPS_PAGE < total)
        h(&b, "<p><a href=\"/admin/tips/?page=%d\">Older tips</a></p>", (long long)page + 1);
    admin_page_end(&b);
    return admin_send(res, 200, &b);
}

enum err_code admin_tip_action(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    const struct admin_session *s = admin_session_of(req);
    if (!auth_can(s->role, AUTH_TIPS_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators handle tips");
    int64_t id = admin_param_id(req);
    struct str action = admin_field(req, "action");
    bool del = str_eq_cstr(action, "delete");
    if (!del && !str_eq_cstr(action, "handled") && !str_eq_cstr(action, "reopen"))
        return err_set(err, ERR_INVALID, "unknown action");
    struct store *st = admin_write_begin(app, err);
    if (!st)
        return ERR_BUSY;
    enum err_code rc =
        del ? store_tip_delete(st, id, err)
            : store_tip_handle(st, id, str_eq_cstr(action, "handled") ? s->user_id : 0, err);
    if (!rc && del)
        rc = store_audit(st, s->user_id, "delete tip",
                         str_from(arena_printf(req->arena, "tip:%lld", (long long)id)), STR_LIT(""),
                         admin_client_address(app, req), err);
    rc = admin_write_end(app, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/tips/");
}
