/* Tags (names, slugs, descriptions) for Editors, and the audit log for Administrators. */
#include "admin/admin_int.h"

#include "content/content.h"

#define AUDIT_PAGE 100

/* ---- tags ---------------------------------------------------------------------------- */

struct admin_tag_item {
    int64_t id;
    struct str name;
    struct str slug;
    struct str description;
    int64_t posts;
    struct str plural;
};

static const struct render_field item_fields[] = {
    RENDER_INT_FIELD(struct admin_tag_item, id),
    RENDER_STR_FIELD(struct admin_tag_item, name),
    RENDER_STR_FIELD(struct admin_tag_item, slug),
    RENDER_STR_FIELD(struct admin_tag_item, description),
    RENDER_INT_FIELD(struct admin_tag_item, posts),
    RENDER_STR_FIELD(struct admin_tag_item, plural),
};
static const struct render_type item_type = RENDER_TYPE(struct admin_tag_item, item_fields);

struct admin_tags_view {
    const struct admin_tag_item *items;
    size_t nitems;
};

static const struct render_field tags_fields[] = {
    RENDER_LIST_FIELD(struct admin_tags_view, items, nitems, &item_type),
};
const struct render_type admin_tags_type = RENDER_TYPE(struct admin_tags_view, tags_fields);

enum err_code admin_tags(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    struct store_tag_row *tags;
    size_t n;
    enum err_code rc = store_tags_all(app_store(req), req->arena, &tags, &n, err);
    if (rc)
        return rc;
    struct admin_tag_item *items = arena_calloc(req->arena, n + 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        const struct content_tag *t = &tags[i].tag;
        items[i] = (struct admin_tag_item){
            t->id, t->name, t->slug, t->description, tags[i].posts, admin_plural(tags[i].posts)};
    }
    struct admin_tags_view tv = {items, n};
    struct admin_view v = {.title = STR_LIT("Tags"), .tags = &tv};
    admin_view_notices(&v,
                       admin_query_has(req, "error")
                           ? "Not saved: the name must be 1 to 191 bytes and the slug "
                             "free and made of a-z, 0-9 and single hyphens."
                           : NULL,
                       admin_query_has(req, "saved") ? "Tag saved." : NULL);
    return admin_show(app, req, res, 200, ADMIN_TPL_TAGS, "tags", &v);
}

enum err_code admin_tag_save(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    if (!auth_can(admin_session_of(req)->role, AUTH_TAGS_MANAGE, NULL))
        return err_set(err, ERR_FORBIDDEN, "only editors manage tags");
    struct content_tag t = {.id = admin_param_id(req)};
    t.name = admin_field(req, "name");
    t.slug = admin_field(req, "slug");
    t.description = admin_field(req, "description");
    if (!t.name.len || t.name.len > 191 || !content_slug_valid(t.slug) || t.description.len > 500)
        return admin_redirect(res, "/admin/tags/?error=1");
    struct store *st = app->writer;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_tag_update(st, t.id, &t, err);
    if (rc == ERR_NOTFOUND) {
        store_tx_end(st, rc, err);
        return err_set(err, ERR_NOTFOUND, "no such tag");
    }
    if (store_tx_end(st, rc, err))
        return admin_redirect(res, "/admin/tags/?error=1");
    return admin_redirect(res, "/admin/tags/?saved=1");
}

/* ---- the audit log ------------------------------------------------------------------- */

struct admin_audit_row {
    struct str when, who, action, target, detail, address;
};

static const struct render_field row_fields[] = {
    RENDER_STR_FIELD(struct admin_audit_row, when),
    RENDER_STR_FIELD(struct admin_audit_row, who),
    RENDER_STR_FIELD(struct admin_audit_row, action),
    RENDER_STR_FIELD(struct admin_audit_row, target),
    RENDER_STR_FIELD(struct admin_audit_row, detail),
    RENDER_STR_FIELD(struct admin_audit_row, address),
};
static const struct render_type row_type = RENDER_TYPE(struct admin_audit_row, row_fields);

struct admin_audit_view {
    const struct admin_audit_row *rows;
    size_t nrows;
    struct str more_url; /* empty: no older entries */
};

static const struct render_field audit_fields[] = {
    RENDER_LIST_FIELD(struct admin_audit_view, rows, nrows, &row_type),
    RENDER_STR_FIELD(struct admin_audit_view, more_url),
};
const struct render_type admin_audit_type = RENDER_TYPE(struct admin_audit_view, audit_fields);

static struct admin_audit_row *audit_rows(const struct store_audit_entry *e, size_t n,
                                          struct arena *a)
{
    struct admin_audit_row *rows = arena_calloc(a, n + 1, sizeof(*rows));
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct admin_audit_row){admin_when(e[i].at, a),
                                           admin_or(e[i].user_name, "system"),
                                           e[i].action,
                                           e[i].target,
                                           e[i].detail,
                                           e[i].address};
    return rows;
}

enum err_code admin_audit(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    if (!auth_can(admin_session_of(req)->role, AUTH_AUDIT_READ, NULL))
        return err_set(err, ERR_FORBIDDEN, "only administrators read the audit log");
    int64_t page = admin_query_page(req);
    struct store_audit_entry *e;
    size_t n;
    int64_t total;
    enum err_code rc = store_audit_list(app_store(req), (page - 1) * AUDIT_PAGE, AUDIT_PAGE,
                                        req->arena, &e, &n, &total, err);
    if (rc)
        return rc;
    struct admin_audit_view av = {audit_rows(e, n, req->arena), n, STR_LIT("")};
    if (page * AUDIT_PAGE < total)
        av.more_url =
            str_from(arena_printf(req->arena, "/admin/audit/?page=%lld", (long long)page + 1));
    struct admin_view v = {.title = STR_LIT("Audit log"), .audit = &av};
    return admin_show(app, req, res, 200, ADMIN_TPL_AUDIT, "audit", &v);
}
