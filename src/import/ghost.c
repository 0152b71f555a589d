/*
 * Ghost's JSON export ({"db":[{"meta":{...},"data":{"table":[rows]}}]}) read with yajl's
 * streaming parser: a small state machine that keeps one row at a time (its columns and
 * their values as text, at most GHOST_ROW_MAX bytes), hands it to the sink when the row's
 * object closes, and skips every table and column it does not use. Roles arrive in two
 * tables in any order (roles, roles_users), so their few rows are kept until the end and
 * handed on as user_role records.
 */
#include "import/import_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yajl/yajl_parse.h>

#define GHOST_ROW_MAX (64u * 1024 * 1024) /* bytes of one row's text */
#define GHOST_COLS_MAX 256                /* columns of one row */
#define GHOST_DEPTH_MAX 64                /* nesting anywhere in the file */
#define GHOST_CHUNK (64 * 1024)
#define GHOST_ROLES_MAX 100000 /* roles_users rows kept until the end */

enum table {
    T_NONE,
    T_POSTS,
    T_USERS,
    T_TAGS,
    T_POSTS_TAGS,
    T_POSTS_AUTHORS,
    T_POSTS_META,
    T_SETTINGS,
    T_ROLES,
    T_ROLES_USERS
};

static const char *const table_names[] = {[T_POSTS] = "posts",
                                          [T_USERS] = "users",
                                          [T_TAGS] = "tags",
                                          [T_POSTS_TAGS] = "posts_tags",
                                          [T_POSTS_AUTHORS] = "posts_authors",
                                          [T_POSTS_META] = "posts_meta",
                                          [T_SETTINGS] = "settings",
                                          [T_ROLES] = "roles",
                                          [T_ROLES_USERS] = "roles_users"};

/* Where the parser is: each state names the value it expects next. */
enum where {
    W_TOP,   /* the root object's value */
    W_ROOT,  /* keys of the root object */
    W_DB,    /* elements of "db" */
    W_ENTRY, /* keys of a db element */
    W_META,  /* keys of "meta" */
    W_DATA,  /* keys of "data": table names */
    W_TABLE, /* rows of a table */
    W_ROW,   /* columns of a row */
};

struct col {
    size_t key, key_len, val, val_len;
    bool null;
};

struct pair {
    const char *a, *b;
};

struct ghost {
    const struct import_sink *sink;
    struct err *err;
    enum err_code rc;
    enum where where;
    int depth;      /* containers open */
    int skip;       /* > 0: inside a value being skipped, its depth */
    bool skip_next; /* the next value is skipped */
    enum { K_NONE, K_DB, K_META, K_DATA, K_VERSION } key; /* the key just read */
    enum table table;
    int64_t row_no; /* of the current table, from 1 */
    struct buf row; /* keys and values of the current row */
    struct col cols[GHOST_COLS_MAX];
    size_t ncols;
    bool seen_db, seen_data, seen_version;
    struct import_site site;
    struct arena arena; /* the site's strings, roles */
    struct pair *roles; /* id → name */
    size_t nroles, roles_cap;
    struct pair *links; /* user_id → role_id */
    size_t nlinks, links_cap;
};

static int fail(struct ghost *g, enum err_code rc, const char *msg)
{
    if (!g->rc)
        g->rc = err_set(g->err, rc, "%s", msg);
    return 0;
}

/* ---- a row's columns ---------------------------------------------------------------- */

static struct str col_text(const struct ghost *g, const char *name, bool *null)
{
    for (size_t i = 0; i < g->ncols; i++) {
        const struct col *c = &g->cols[i];
        if (c->key_len == strlen(name) && !memcmp(g->row.ptr + c->key, name, c->key_len)) {
            if (null)
                *null = c->null;
            return (struct str){g->row.ptr + c->val, c->val_len};
        }
    }
    if (null)
        *null = true;
    return STR_NULL;
}

static struct str col(const struct ghost *g, const char *name)
{
    return col_text(g, name, NULL);
}

static bool col_true(const struct ghost *g, const char *name)
{
    struct str v = col(g, name);
    return str_eq_cstr(v, "1") || str_eq_cstr(v, "true");
}

static struct str ghost_id_of(struct str id)
{
    if (id.len != 24)
        return STR_NULL;
    for (size_t i = 0; i < 24; i++)
        if (!strchr("0123456789abcdef", id.ptr[i]))
            return STR_NULL;
    return id;
}

static enum err_code row_error(struct ghost *g, const char *what)
{
    struct str id = col(g, "id");
    return err_set(g->err, ERR_INVALID, "%s row %lld%s%.*s%s: %s", table_names[g->table],
                   (long long)g->row_no, id.len ? " (id " : "", (int)id.len, id.ptr,
                   id.len ? ")" : "", what);
}

static enum err_code need(struct ghost *g, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!col(g, names[i]).len)
            return row_error(g, arena_printf(&g->arena, "has no %s", names[i]));
    return ERR_OK;
}

static enum err_code date_of(struct ghost *g, const char *name, int64_t *out)
{
    bool null = false;
    struct str v = col_text(g, name, &null);
    *out = 0;
    if (null || !v.len)
        return ERR_OK;
    if (!time_parse_iso(v, out))
        return row_error(g, arena_printf(&g->arena, "%s '%.*s' is not a date", name,
                                         (int)(v.len > 40 ? 40 : v.len), v.ptr));
    return ERR_OK;
}

static bool uuid_like(struct str s)
{
    if (s.len != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s.ptr[i] != '-' : !strchr("0123456789abcdefABCDEF", s.ptr[i]))
            return false;
    }
    return true;
}

/* ---- rows handed on ---------------------------------------------------------------- */

static enum err_code post_status(struct ghost *g, struct import_post *p)
{
    struct str s = col(g, "status");
    if (str_eq_cstr(s, "published") || str_eq_cstr(s, "sent"))
        p->status = CONTENT_PUBLISHED;
    else if (str_eq_cstr(s, "draft"))
        p->status = CONTENT_DRAFT;
    else if (str_eq_cstr(s, "scheduled"))
        p->status = CONTENT_SCHEDULED;
    else
        return row_error(g, arena_printf(&g->arena, "status '%.*s' is not one Ghost writes",
                                         (int)(s.len > 40 ? 40 : s.len), s.ptr));
    struct str type = col(g, "type");
    if (type.len && !str_eq_cstr(type, "post") && !str_eq_cstr(type, "page"))
        return row_error(g, "type is neither post nor page");
    p->page = str_eq_cstr(type, "page");
    return ERR_OK;
}

static void post_body(struct ghost *g, struct import_post *p)
{
    bool null = true;
    p->body = col_text(g, "html", &null);
    p->body_kind = IMPORT_BODY_HTML;
    if (!null)
        return;
    p->body = col_text(g, "lexical", &null);
    p->body_kind = IMPORT_BODY_LEXICAL;
    if (!null)
        return;
    p->body = col_text(g, "mobiledoc", &null);
    p->body_kind = IMPORT_BODY_MOBILEDOC;
    if (null)
        p->body_kind = IMPORT_BODY_HTML;
}

static enum err_code post_row(struct ghost *g)
{
    static const char *const required[] = {"id", "slug", "status"};
    enum err_code rc = need(g, required, ARRAY_LEN(required));
    struct import_post p = {
        .id = col(g, "id"),
        .slug = col(g, "slug"),
        .title = col(g, "title"),
        .custom_excerpt = col(g, "custom_excerpt"),
        .feature_image = col(g, "feature_image"),
        .featured = col_true(g, "featured"),
    };
    p.ghost_id = ghost_id_of(p.id);
    p.uuid = uuid_like(col(g, "uuid")) ? col(g, "uuid") : STR_NULL;
    post_body(g, &p);
    if (!rc)
        rc = post_status(g, &p);
    if (!rc)
        rc = date_of(g, "created_at", &p.created_at);
    if (!rc)
        rc = date_of(g, "updated_at", &p.updated_at);
    if (!rc)
        rc = date_of(g, "published_at", &p.published_at);
    if (!rc)
        rc = g->sink->post(g->sink->ctx, &p, g->err);
    struct import_post_meta m = {.post_id = p.id, .meta.canonical_url = col(g, "canonical_url")};
    if (!rc && m.meta.canonical_url.len && g->sink->post_meta)
        rc = g->sink->post_meta(g->sink->ctx, &m, g->err);
    return rc;
}

static enum err_code user_row(struct ghost *g)
{
    static const char *const required[] = {"id", "slug", "name"};
    enum err_code rc = need(g, required, ARRAY_LEN(required));
    struct import_user u = {
        .id = col(g, "id"),
        .slug = col(g, "slug"),
        .name = col(g, "name"),
        .email = col(g, "email"),
        .bio = col(g, "bio"),
        .avatar = col(g, "profile_image"),
        .website = col(g, "website"),
        .location = col(g, "location"),
    };
    u.ghost_id = ghost_id_of(u.id);
    return rc ? rc : g->sink->user(g->sink->ctx, &u, g->err);
}

static enum err_code tag_row(struct ghost *g)
{
    static const char *const required[] = {"id", "slug", "name"};
    enum err_code rc = need(g, required, ARRAY_LEN(required));
    struct import_tag t = {
        .id = col(g, "id"),
        .slug = col(g, "slug"),
        .name = col(g, "name"),
        .description = col(g, "description"),
    };
    t.ghost_id = ghost_id_of(t.id);
    t.internal = str_eq_cstr(col(g, "visibility"), "internal") || str_starts_with(t.name, "#");
    return rc ? rc : g->sink->tag(g->sink->ctx, &t, g->err);
}

static enum err_code relation_row(struct ghost *g, const char *other)
{
    const char *required[] = {"post_id", other};
    enum err_code rc = need(g, required, ARRAY_LEN(required));
    int64_t order = 0;
    struct str so = col(g, "sort_order");
    if (!rc && so.len && (!str_to_i64(so, &order) || order < 0))
        rc = row_error(g, "sort_order is not a number");
    if (rc)
        return rc;
    if (g->table == T_POSTS_TAGS)
        return g->sink->post_tag(g->sink->ctx, col(g, "post_id"), col(g, other), order, g->err);
    return g->sink->post_author(g->sink->ctx, col(g, "post_id"), col(g, other), order, g->err);
}

static enum err_code meta_row(struct ghost *g)
{
    static const char *const required[] = {"post_id"};
    enum err_code rc = need(g, required, ARRAY_LEN(required));
    struct import_post_meta m = {
        .post_id = col(g, "post_id"),
        .feature_image_alt = col(g, "feature_image_alt"),
        .feature_image_caption = col(g, "feature_image_caption"),
        .meta =
            {
                .meta_title = col(g, "meta_title"),
                .meta_description = col(g, "meta_description"),
                .og_image = col(g, "og_image"),
                .og_title = col(g, "og_title"),
                .og_description = col(g, "og_description"),
                .twitter_image = col(g, "twitter_image"),
                .twitter_title = col(g, "twitter_title"),
                .twitter_description = col(g, "twitter_description"),
            },
    };
    if (rc || !g->sink->post_meta)
        return rc;
    return g->sink->post_meta(g->sink->ctx, &m, g->err);
}

/* The settings an import uses, kept until the end (the site record is one call). */
static void setting_row(struct ghost *g)
{
    struct str key = col(g, "key"), value = col(g, "value");
    static const struct {
        const char *key;
        size_t off;
    } keep[] = {
        {"title", offsetof(struct import_site, title)},
        {"description", offsetof(struct import_site, description)},
        {"locale", offsetof(struct import_site, language)},
        {"lang", offsetof(struct import_site, language)},
        {"timezone", offsetof(struct import_site, timezone)},
        {"active_timezone", offsetof(struct import_site, timezone)},
        {"url", offsetof(struct import_site, url)},
    };
    for (size_t i = 0; i < ARRAY_LEN(keep); i++)
        if (str_eq_cstr(key, keep[i].key))
            *(struct str *)((char *)&g->site + keep[i].off) = arena_str(&g->arena, value);
}

static void pair_add(struct ghost *g, struct pair **v, size_t *n, size_t *cap, struct str a,
                     struct str b)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = (struct pair){arena_str(&g->arena, a).ptr, arena_str(&g->arena, b).ptr};
}

static enum err_code role_row(struct ghost *g)
{
    bool roles = g->table == T_ROLES;
    const char *required_roles[] = {"id", "name"};
    const char *required_links[] = {"role_id", "user_id"};
    enum err_code rc = need(g, roles ? required_roles : required_links, 2);
    if (rc)
        return rc;
    if ((roles ? g->nroles : g->nlinks) >= GHOST_ROLES_MAX)
        return row_error(g, "too many rows");
    if (roles)
        pair_add(g, &g->roles, &g->nroles, &g->roles_cap, col(g, "id"), col(g, "name"));
    else
        pair_add(g, &g->links, &g->nlinks, &g->links_cap, col(g, "user_id"), col(g, "role_id"));
    return ERR_OK;
}

static enum err_code row_done(struct ghost *g)
{
    switch (g->table) {
    case T_POSTS:
        return post_row(g);
    case T_USERS:
        return user_row(g);
    case T_TAGS:
        return tag_row(g);
    case T_POSTS_TAGS:
        return relation_row(g, "tag_id");
    case T_POSTS_AUTHORS:
        return relation_row(g, "author_id");
    case T_POSTS_META:
        return meta_row(g);
    case T_SETTINGS:
        setting_row(g);
        return ERR_OK;
    case T_ROLES:
    case T_ROLES_USERS:
        return role_row(g);
    case T_NONE:
        break;
    }
    return ERR_OK;
}

/* ---- yajl's callbacks ------------------------------------------------------------- */

static enum err_code row_put(struct ghost *g, const char *p, size_t n, size_t *off)
{
    if (g->row.len + n + 1 > GHOST_ROW_MAX)
        return err_set(g->err, ERR_TOOBIG, "%s row %lld is larger than %u MB: refused",
                       table_names[g->table], (long long)g->row_no, GHOST_ROW_MAX >> 20);
    *off = g->row.len;
    enum err_code rc = buf_append(&g->row, p, n);
    return rc ? rc : buf_putc(&g->row, '\0');
}

/* A value (scalar: text, or NULL for null) where the state says what it is. */
static int on_scalar(struct ghost *g, const char *p, size_t n, bool null)
{
    if (g->skip_next) {
        g->skip_next = false;
        return 1;
    }
    if (g->where == W_META && g->key == K_VERSION) {
        g->site.version = str_from(arena_strndup(&g->arena, p ? p : "", n));
        g->seen_version = true;
        return 1;
    }
    if (g->where != W_ROW || g->ncols == 0)
        return fail(g, ERR_INVALID,
                    g->where == W_TOP ? "not a Ghost export: a value where an object belongs"
                                      : "not a Ghost export: a value where a row belongs");
    struct col *c = &g->cols[g->ncols - 1];
    c->null = null;
    enum err_code rc = row_put(g, p ? p : "", null ? 0 : n, &c->val);
    c->val_len = null ? 0 : n;
    if (rc && !g->rc)
        g->rc = rc;
    return !rc;
}

static int cb_null(void *ctx)
{
    return on_scalar(ctx, NULL, 0, true);
}

static int cb_bool(void *ctx, int v)
{
    return on_scalar(ctx, v ? "1" : "0", 1, false);
}

static int cb_number(void *ctx, const char *p, size_t n)
{
    return on_scalar(ctx, p, n, false);
}

static int cb_string(void *ctx, const unsigned char *p, size_t n)
{
    return on_scalar(ctx, (const char *)p, n, false);
}

static enum table table_of(struct str name)
{
    for (size_t i = 1; i < ARRAY_LEN(table_names); i++)
        if (str_eq_cstr(name, table_names[i]))
            return (enum table)i;
    return T_NONE;
}

static int key_in_row(struct ghost *g, struct str k)
{
    if (g->ncols == GHOST_COLS_MAX)
        return fail(g, ERR_INVALID, "a row has more than 256 columns: not a Ghost export");
    struct col *c = &g->cols[g->ncols++];
    enum err_code rc = row_put(g, k.ptr, k.len, &c->key);
    c->key_len = k.len;
    c->val = c->key + k.len; /* an empty value until one comes */
    c->val_len = 0;
    c->null = true;
    if (rc && !g->rc)
        g->rc = rc;
    return !rc;
}

static int cb_key(void *ctx, const unsigned char *p, size_t n)
{
    struct ghost *g = ctx;
    struct str k = {(const char *)p, n};
    g->key = K_NONE;
    switch (g->where) {
    case W_ROOT:
        g->key = str_eq_cstr(k, "db") ? K_DB : K_NONE;
        break;
    case W_ENTRY:
        g->key = str_eq_cstr(k, "meta") ? K_META : str_eq_cstr(k, "data") ? K_DATA : K_NONE;
        break;
    case W_META:
        g->key = str_eq_cstr(k, "version") ? K_VERSION : K_NONE;
        break;
    case W_DATA:
        g->table = table_of(k);
        g->row_no = 0;
        break;
    case W_ROW:
        return key_in_row(g, k);
    default:
        break;
    }
    g->skip_next = g->key == K_NONE && g->where != W_DATA;
    if (g->where == W_DATA && g->table == T_NONE)
        g->skip_next = true;
    return 1;
}

/* A container opens; returns the state inside it, or W_TOP to skip it. */
static int on_open(struct ghost *g, bool map)
{
    if (++g->depth > GHOST_DEPTH_MAX)
        return fail(g, ERR_INVALID, "nested deeper than 64 levels: not a Ghost export");
    /* a column holding an object or array (none does in 4.x to 6.x) is left out */
    if (g->skip || g->skip_next || g->where == W_ROW) {
        g->skip_next = false;
        g->skip++;
        return 1;
    }
    enum where next;
    switch (g->where) {
    case W_TOP:
        next = map ? W_ROOT : W_TOP;
        break;
    case W_ROOT:
        next = !map ? W_DB : W_TOP;
        g->seen_db = !map;
        break;
    case W_DB:
        next = map ? W_ENTRY : W_TOP;
        break;
    case W_ENTRY:
        next = map && g->key == K_META ? W_META : map && g->key == K_DATA ? W_DATA : W_TOP;
        g->seen_data = g->seen_data || next == W_DATA;
        break;
    case W_DATA:
        next = !map ? W_TABLE : W_TOP;
        break;
    case W_TABLE:
        next = map ? W_ROW : W_TOP;
        g->row_no++;
        buf_reset(&g->row);
        g->ncols = 0;
        break;
    default:
        next = W_TOP;
    }
    if (next == W_TOP)
        return fail(g, ERR_INVALID,
                    map ? "not a Ghost export: an object where an array or a value belongs"
                        : "not a Ghost export: an array where an object or a value belongs");
    g->where = next;
    return 1;
}

static int cb_start_map(void *ctx)
{
    return on_open(ctx, true);
}

static int cb_start_array(void *ctx)
{
    return on_open(ctx, false);
}

static int on_close(struct ghost *g)
{
    g->depth--;
    if (g->skip) {
        g->skip--;
        return 1;
    }
    static const enum where parent[] = {
        [W_ROOT] = W_TOP,   [W_DB] = W_ROOT,    [W_ENTRY] = W_DB, [W_META] = W_ENTRY,
        [W_DATA] = W_ENTRY, [W_TABLE] = W_DATA, [W_ROW] = W_TABLE};
    if (g->where == W_ROW) {
        enum err_code rc = row_done(g);
        if (rc) {
            g->rc = rc;
            return 0;
        }
    }
    g->where = parent[g->where];
    g->key = K_NONE;
    return 1;
}

static int cb_end(void *ctx)
{
    return on_close(ctx);
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_bool,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

/* ---- the file --------------------------------------------------------------------- */

static enum err_code version_check(struct ghost *g)
{
    if (!g->seen_db || !g->seen_data || !g->seen_version)
        return err_set(g->err, ERR_INVALID,
                       "not a Ghost export: no %s (a Ghost export is {\"db\":[{\"meta\":{...},"
                       "\"data\":{...}}]})",
                       !g->seen_db     ? "\"db\""
                       : !g->seen_data ? "\"data\""
                                       : "meta.version");
    char *end = NULL;
    long major = strtol(g->site.version.ptr, &end, 10);
    if (end == g->site.version.ptr || major < 4 || major > 6)
        return err_set(g->err, ERR_UNSUPPORTED,
                       "this is an export of Ghost %.*s: only Ghost 4.x to 6.x exports are read "
                       "(upgrade the old site first, or export from a newer Ghost)",
                       (int)(g->site.version.len > 20 ? 20 : g->site.version.len),
                       g->site.version.ptr);
    return ERR_OK;
}

static const char *role_name(const struct ghost *g, const char *id)
{
    for (size_t i = 0; i < g->nroles; i++)
        if (!strcmp(g->roles[i].a, id))
            return g->roles[i].b;
    return NULL;
}

static enum err_code finish(struct ghost *g)
{
    enum err_code rc = version_check(g);
    if (!rc && g->site.url.len == 0)
        g->site.url = STR_LIT("__GHOST_URL__");
    if (!rc && g->sink->site)
        rc = g->sink->site(g->sink->ctx, &g->site, g->err);
    for (size_t i = 0; !rc && i < g->nlinks && g->sink->user_role; i++) {
        const char *name = role_name(g, g->links[i].b);
        if (name)
            rc = g->sink->user_role(g->sink->ctx, str_from(g->links[i].a), str_from(name), g->err);
    }
    return rc;
}

static enum err_code parse_error(struct ghost *g, yajl_handle h, const unsigned char *chunk,
                                 size_t len, uint64_t before, bool at_end)
{
    if (g->rc)
        return g->rc;
    uint64_t at = before + (at_end ? 0 : yajl_get_bytes_consumed(h));
    unsigned char *msg = yajl_get_error(h, 0, chunk, len);
    char text[160];
    snprintf(text, sizeof(text), "%s", (const char *)msg);
    yajl_free_error(h, msg);
    text[strcspn(text, "\n")] = '\0';
    if (at_end)
        return err_set(g->err, ERR_INVALID,
                       "the file ends early at byte %llu (%s): is it cut short? Export again",
                       (unsigned long long)at, text);
    return err_set(g->err, ERR_INVALID, "not valid JSON at byte %llu: %s", (unsigned long long)at,
                   text);
}

static enum err_code stream(struct ghost *g, FILE *f, uint64_t total)
{
    yajl_handle h = yajl_alloc(&callbacks, NULL, g);
    unsigned char *chunk = xmalloc(GHOST_CHUNK);
    uint64_t done = 0;
    enum err_code rc = ERR_OK;
    size_t n;
    while (!rc && (n = fread(chunk, 1, GHOST_CHUNK, f)) > 0) {
        if (yajl_parse(h, chunk, n) != yajl_status_ok)
            rc = parse_error(g, h, chunk, n, done, false);
        done += n;
        if (!rc && g->sink->progress)
            g->sink->progress(g->sink->ctx, done, total);
    }
    if (!rc && ferror(f))
        rc = err_set(g->err, ERR_IO, "cannot read the export: %s", strerror(errno));
    if (!rc && yajl_complete_parse(h) != yajl_status_ok)
        rc = parse_error(g, h, chunk, 0, done, true);
    if (!rc && done == 0)
        rc = err_set(g->err, ERR_INVALID, "the file is empty: not a Ghost export");
    free(chunk);
    yajl_free(h);
    return rc;
}

enum err_code import_read_ghost(const char *path, const struct import_sink *sink, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "cannot open %s: %s", path,
                       strerror(errno));
    struct stat sb;
    uint64_t total = fstat(fileno(f), &sb) == 0 ? (uint64_t)sb.st_size : 0;
    if (total > (uint64_t)IMPORT_FILE_MAX) {
        fclose(f);
        return err_set(err, ERR_TOOBIG, "%s is larger than 8 GB: refused", path);
    }
    struct ghost g = {.sink = sink, .err = err};
    buf_init(&g.row, GHOST_ROW_MAX);
    arena_init(&g.arena);
    enum err_code rc = stream(&g, f, total);
    if (!rc)
        rc = finish(&g);
    fclose(f);
    free(g.roles);
    free(g.links);
    buf_release(&g.row);
    arena_release(&g.arena);
    return rc;
}
