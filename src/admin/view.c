/*
 * The root descriptor every newsroom template is compiled against: the page chrome, and
 * one field per page (ADMIN_PAGES) whose view and descriptor live with the page's handler.
 */
#include "admin/admin_int.h"

static const struct render_field nav_fields[] = {
    RENDER_STR_FIELD(struct admin_nav_item, href),
    RENDER_STR_FIELD(struct admin_nav_item, label),
    RENDER_BOOL_FIELD(struct admin_nav_item, current),
    RENDER_INT_FIELD(struct admin_nav_item, count),
    RENDER_STR_FIELD(struct admin_nav_item, count_label),
};
static const struct render_type nav_type = RENDER_TYPE(struct admin_nav_item, nav_fields);

static const struct render_field option_fields[] = {
    RENDER_INT_FIELD(struct admin_option, id),
    RENDER_STR_FIELD(struct admin_option, name),
    RENDER_BOOL_FIELD(struct admin_option, selected),
};
const struct render_type admin_option_type = RENDER_TYPE(struct admin_option, option_fields);

struct admin_option *admin_options(const char *const *names, size_t n, struct str selected,
                                   struct arena *a)
{
    struct admin_option *v = arena_calloc(a, n, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (struct admin_option){0, str_from(names[i]), str_eq_cstr(selected, names[i])};
    return v;
}

static const struct render_field user_fields[] = {
    RENDER_STR_FIELD(struct admin_user_view, name),
    RENDER_STR_FIELD(struct admin_user_view, role),
};
static const struct render_type user_type = RENDER_TYPE(struct admin_user_view, user_fields);

static const struct render_field view_fields[] = {
    RENDER_STR_FIELD(struct admin_view, title),
    RENDER_STR_FIELD(struct admin_view, assets_v),
    RENDER_OBJ_FIELD(struct admin_view, user, &user_type),
    RENDER_LIST_FIELD(struct admin_view, nav, nnav, &nav_type),
    RENDER_STR_FIELD(struct admin_view, csrf),
    RENDER_STR_FIELD(struct admin_view, alert),
    RENDER_STR_FIELD(struct admin_view, notice),
    RENDER_OBJ_FIELD(struct admin_view, tools, &admin_tools_type),
#define ADMIN_PAGE_FIELD(NAME, name)                                                               \
    RENDER_OBJ_FIELD(struct admin_view, name, &admin_##name##_type),
    ADMIN_PAGES(ADMIN_PAGE_FIELD)
#undef ADMIN_PAGE_FIELD
};
const struct render_type admin_view_type = RENDER_TYPE(struct admin_view, view_fields);
