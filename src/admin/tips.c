/*
 * The tips inbox: what readers sent through /tips/, newest first, for Editors and
 * Administrators. Every field is the reader's text and is shown escaped; a link is made
 * clickable only when it is http(s), and then with rel="noopener noreferrer nofollow".
 */
#include "admin/admin_int.h"

#define TIPS_PAGE 50

struct admin_tip_item {
    int64_t id;
    struct str when;
    bool handled;
    struct str message, from, email, about, address, handled_by, link;
    bool link_http; /* an http(s) link, made clickable */
    struct str action, action_label;
};

static const struct render_field item_fields[] = {
    RENDER_INT_FIELD(struct admin_tip_item, id),
    RENDER_STR_FIELD(struct admin_tip_item, when),
    RENDER_BOOL_FIELD(struct admin_tip_item, handled),
    RENDER_STR_FIELD(struct admin_tip_item, message),
    RENDER_STR_FIELD(struct admin_tip_item, from),
    RENDER_STR_FIELD(struct admin_tip_item, email),
    RENDER_STR_FIELD(struct admin_tip_item, about),
    RENDER_STR_FIELD(struct admin_tip_item, address),
    RENDER_STR_FIELD(struct admin_tip_item, handled_by),
    RENDER_STR_FIELD(struct admin_tip_item, link),
    RENDER_BOOL_FIELD(struct admin_tip_item, link_http),
    RENDER_STR_FIELD(struct admin_tip_item, action),
    RENDER_STR_FIELD(struct admin_tip_item, action_label),
};
static const struct render_type item_type = RENDER_TYPE(struct admin_tip_item, item_fields);

struct admin_tips_view {
    int64_t total;
    struct str plural;
    int64_t open;
    const struct admin_tip_item *items;
    size_t nitems;
    struct str more_url; /* empty: no older tips */
};

static const struct render_field tips_fields[] = {
    RENDER_INT_FIELD(struct admin_tips_view, total),
    RENDER_STR_FIELD(struct admin_tips_view, plural),
    RENDER_INT_FIELD(struct admin_tips_view, open),
    RENDER_LIST_FIELD(struct admin_tips_view, items, nitems, &item_type),
    RENDER_STR_FIELD(struct admin_tips_view, more_url),
};
const struct render_type admin_tips_type = RENDER_TYPE(struct admin_tips_view, tips_fields);

static void item_of(const struct store_tip *t, struct arena *a, struct admin_tip_item *it)
{
    *it = (struct admin_tip_item){
        .id = t->id,
        .when = admin_when(t->created_at, a),
        .handled = t->handled_at != 0,
        .message = t->message,
        .from = admin_or(t->name, "(no name)"),
        .email = t->email,
        .about = t->about,
        .address = t->address,
        .handled_by = admin_or(t->handled_by, "—"),
        .link = t->link,
        .link_http = str_starts_with(t->link, "https://") || str_starts_with(t->link, "http://"),
    };
    it->action = it->handled ? STR_LIT("reopen") : STR_LIT("handled");
    it->action_label = it->handled ? STR_LIT("Mark not handled") : STR_LIT("Mark handled");
}

enum err_code admin_tips(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    if (!auth_can(admin_session_of(req)->role, AUTH_TIPS_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors and administrators read the tips inbox");
    int64_t page = admin_query_page(req);
    struct store_tip *tips;
    struct admin_tips_view tv = {0};
    enum err_code rc = store_tips(app_store(req), (page - 1) * TIPS_PAGE, TIPS_PAGE, req->arena,
                                  &tips, &tv.nitems, &tv.total, &tv.open, err);
    if (rc)
        return rc;
    struct admin_tip_item *items = arena_calloc(req->arena, tv.nitems + 1, sizeof(*items));
    for (size_t i = 0; i < tv.nitems; i++)
        item_of(&tips[i], req->arena, &items[i]);
    tv.items = items;
    tv.plural = admin_plural(tv.total);
    if (page * TIPS_PAGE < tv.total)
        tv.more_url =
            str_from(arena_printf(req->arena, "/admin/tips/?page=%lld", (long long)page + 1));
    struct admin_view v = {.title = STR_LIT("Tips"), .tips = &tv};
    return admin_show(app, req, res, 200, ADMIN_TPL_TIPS, "tips", &v);
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
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = del ? store_tip_delete(st, id, err)
             : store_tip_handle(st, id, str_eq_cstr(action, "handled") ? s->user_id : 0, err);
    if (!rc && del)
        rc = store_audit(st, s->user_id, "delete tip",
                         str_from(arena_printf(req->arena, "tip:%lld", (long long)id)), STR_LIT(""),
                         admin_client_address(app, req), err);
    rc = store_tx_end(st, rc, err);
    if (rc)
        return rc;
    return admin_redirect(res, "/admin/tips/");
}
