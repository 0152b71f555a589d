/*
 * The Content API's queries: a filter tree (store.h, struct store_cond) compiled to a
 * WHERE clause, and the API keys.
 *
 * Only fixed strings from the tables below become SQL text: a field name selects a row of
 * its resource's table, an operator a fixed fragment, and each value is a "?" bound when
 * the statement runs. So no byte of a request reaches the SQL text, and a field that is
 * not in the table is refused rather than guessed.
 *
 * These statements vary with the filter, so they are prepared per request (a few
 * microseconds, store_q_prepare) instead of kept in the statement cache, which would fill
 * with one-off texts. The fragments are the dialect's (sql_sqlite.h).
 */
#include "store/store.h"
#include "store/store_int.h"

#include <string.h>

enum field_type {
    FIELD_INT, /* ids, counts */
    FIELD_TEXT,
    FIELD_NTEXT, /* text where '' is what Ghost shows as null (feature_image) */
    FIELD_BOOL,
    FIELD_DATE, /* Unix seconds; values are dates in text or resolved times */
    FIELD_REL,  /* a related row's column, tested inside EXISTS (...) */
};

struct field_def {
    const char *name;
    const char *column; /* the SQL expression compared */
    enum field_type type;
    const char *exists; /* FIELD_REL: "EXISTS (SELECT 1 ... AND " closed by ")" */
    const char *ghost;  /* ids: the column a text value (a Ghost id) is compared with */
};

static const struct field_def post_fields[] = {
    {"id", "p.id", FIELD_INT, NULL, "p.ghost_id"},
    {"uuid", "p.uuid", FIELD_TEXT, NULL, NULL},
    {"slug", "p.slug", FIELD_TEXT, NULL, NULL},
    {"title", "p.title", FIELD_TEXT, NULL, NULL},
    {"featured", "p.featured", FIELD_BOOL, NULL, NULL},
    {"published_at", "p.published_at", FIELD_DATE, NULL, NULL},
    {"updated_at", "p.updated_at", FIELD_DATE, NULL, NULL},
    {"created_at", "p.created_at", FIELD_DATE, NULL, NULL},
    {"visibility", "p.visibility", FIELD_TEXT, NULL, NULL},
    {"status", "p.status", FIELD_TEXT, NULL, NULL},
    {"feature_image", "p.feature_image", FIELD_NTEXT, NULL, NULL},
    {"custom_excerpt", "p.custom_excerpt", FIELD_NTEXT, NULL, NULL},
    {"tag", "t.slug", FIELD_REL, SQL_API_TAG_REL, NULL},
    {"tags", "t.slug", FIELD_REL, SQL_API_TAG_REL, NULL},
    {"tags.slug", "t.slug", FIELD_REL, SQL_API_TAG_REL, NULL},
    {"tags.name", "t.name", FIELD_REL, SQL_API_TAG_REL, NULL},
    {"tags.id", "t.id", FIELD_REL, SQL_API_TAG_REL, "t.ghost_id"},
    {"primary_tag", "t.slug", FIELD_REL, SQL_API_PTAG_REL, NULL},
    {"primary_tag.slug", "t.slug", FIELD_REL, SQL_API_PTAG_REL, NULL},
    {"author", "u.slug", FIELD_REL, SQL_API_AUTHOR_REL, NULL},
    {"authors", "u.slug", FIELD_REL, SQL_API_AUTHOR_REL, NULL},
    {"authors.slug", "u.slug", FIELD_REL, SQL_API_AUTHOR_REL, NULL},
    {"authors.name", "u.name", FIELD_REL, SQL_API_AUTHOR_REL, NULL},
    {"authors.id", "u.id", FIELD_REL, SQL_API_AUTHOR_REL, "u.ghost_id"},
    {"primary_author", "u.slug", FIELD_REL, SQL_API_PAUTHOR_REL, NULL},
    {"primary_author.slug", "u.slug", FIELD_REL, SQL_API_PAUTHOR_REL, NULL},
};

static const struct field_def tag_fields[] = {
    {"id", "t.id", FIELD_INT, NULL, "t.ghost_id"},
    {"slug", "t.slug", FIELD_TEXT, NULL, NULL},
    {"name", "t.name", FIELD_TEXT, NULL, NULL},
    {"description", "t.description", FIELD_NTEXT, NULL, NULL},
    {"visibility", "t.visibility", FIELD_TEXT, NULL, NULL},
    {"created_at", "t.created_at", FIELD_DATE, NULL, NULL},
};

static const struct field_def author_fields[] = {
    {"id", "u.id", FIELD_INT, NULL, "u.ghost_id"},
    {"slug", "u.slug", FIELD_TEXT, NULL, NULL},
    {"name", "u.name", FIELD_TEXT, NULL, NULL},
    {"website", "u.website", FIELD_NTEXT, NULL, NULL},
    {"created_at", "u.created_at", FIELD_DATE, NULL, NULL},
};

/* What one kind of resource is: its table, fields and default order. */
struct resource {
    const struct field_def *fields;
    size_t nfields;
    const char *from;  /* FROM ... WHERE <base> */
    const char *order; /* the default ORDER BY */
    const char *tie;   /* the last ORDER BY term, so pages never overlap */
};

static const struct resource resources[] = {
    [STORE_API_POSTS] = {post_fields, ARRAY_LEN(post_fields), SQL_API_POSTS_FROM,
                         "p.published_at DESC", "p.id DESC"},
    [STORE_API_PAGES] = {post_fields, ARRAY_LEN(post_fields), SQL_API_PAGES_FROM,
                         "p.published_at DESC", "p.id DESC"},
    [STORE_API_TAGS] = {tag_fields, ARRAY_LEN(tag_fields), SQL_API_TAGS_FROM, "t.name ASC",
                        "t.id ASC"},
    [STORE_API_AUTHORS] = {author_fields, ARRAY_LEN(author_fields), SQL_API_AUTHORS_FROM,
                           "u.name ASC", "u.id ASC"},
    [STORE_API_ADMIN_POSTS] = {post_fields, ARRAY_LEN(post_fields), SQL_ADMIN_POSTS_FROM,
                               SQL_ADMIN_POSTS_ORDER, "p.id DESC"},
    [STORE_API_ADMIN_PAGES] = {post_fields, ARRAY_LEN(post_fields), SQL_ADMIN_PAGES_FROM,
                               SQL_ADMIN_POSTS_ORDER, "p.id DESC"},
    [STORE_API_ADMIN_TAGS] = {tag_fields, ARRAY_LEN(tag_fields), SQL_ADMIN_TAGS_FROM, "t.name ASC",
                              "t.id ASC"},
};

/* ---- compiling a filter ---------------------------------------------------------- */

struct compiled {
    struct buf sql;
    struct store_val *binds;
    size_t nbinds;
    struct arena *a;
    const char *like; /* the dialect's case-insensitive LIKE (Ghost's ~ ignores case) */
};

static const struct field_def *field_of(const struct resource *r, struct str name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (str_eq_cstr(name, r->fields[i].name))
            return &r->fields[i];
    return NULL;
}

/* The filter's values, then as many again for the order of a list (order_by_list), then
 * limit and offset. */
#define BINDS_MAX (STORE_COND_VALUES_MAX * 2 + 2)

static enum err_code bind(struct compiled *c, struct store_val v, struct err *err)
{
    if (c->nbinds >= STORE_COND_VALUES_MAX)
        return err_set(err, ERR_INVALID, "filter has more than %d values", STORE_COND_VALUES_MAX);
    c->binds[c->nbinds++] = v;
    return buf_puts(&c->sql, "?") ? err_set(err, ERR_INVALID, "filter too long") : ERR_OK;
}

/* A value as the field's type wants it: dates parsed, booleans checked. */
static enum err_code typed(const struct field_def *f, const struct store_val *v,
                           struct store_val *out, struct err *err)
{
    *out = *v;
    switch (f->type) {
    case FIELD_DATE:
        if (v->kind == STORE_VAL_TEXT) {
            out->kind = STORE_VAL_INT;
            if (!time_parse_iso(v->text, &out->num))
                return err_set(err, ERR_INVALID, "'%.*s' is not a date", (int)v->text.len,
                               v->text.ptr);
        }
        return v->kind == STORE_VAL_BOOL ? err_set(err, ERR_INVALID, "%s takes a date", f->name)
                                         : ERR_OK;
    case FIELD_BOOL:
        if (v->kind == STORE_VAL_BOOL)
            return ERR_OK;
        return err_set(err, ERR_INVALID, "%s takes true or false", f->name);
    case FIELD_INT:
        if (v->kind == STORE_VAL_INT)
            return ERR_OK;
        if (v->kind == STORE_VAL_TEXT && str_to_i64(v->text, &out->num)) {
            out->kind = STORE_VAL_INT;
            return ERR_OK;
        }
        return err_set(err, ERR_INVALID, "%s takes a number or an id", f->name);
    default:
        if (v->kind == STORE_VAL_BOOL) {
            out->kind = STORE_VAL_TEXT;
            out->text = v->num ? STR_LIT("true") : STR_LIT("false");
        }
        return ERR_OK;
    }
}

static bool negated(enum store_cond_op op)
{
    return op == STORE_OP_NE || op == STORE_OP_NIN || op == STORE_OP_NCONTAINS;
}

/* The positive form of an operator, for relations tested as NOT EXISTS (... op ...). */
static enum store_cond_op positive(enum store_cond_op op)
{
    return op == STORE_OP_NE          ? STORE_OP_EQ
           : op == STORE_OP_NIN       ? STORE_OP_IN
           : op == STORE_OP_NCONTAINS ? STORE_OP_CONTAINS
                                      : op;
}

/* "col IS NULL" for null values: Ghost's null is our '' in text columns. */
static enum err_code emit_null(struct compiled *c, const struct field_def *f, bool neg)
{
    if (f->type == FIELD_NTEXT)
        buf_printf(&c->sql, "%s(%s IS NULL OR %s = '')", neg ? "NOT " : "", f->column, f->column);
    else
        buf_printf(&c->sql, "%s IS %sNULL", f->column, neg ? "NOT " : "");
    return ERR_OK;
}

static enum err_code emit_list(struct compiled *c, const struct field_def *f,
                               const struct store_cond *k, bool neg, struct err *err)
{
    if (k->nvals == 0)
        return err_set(err, ERR_INVALID, "empty list for '%s'", f->name);
    buf_printf(&c->sql, "%s %sIN (", f->column, neg ? "NOT " : "");
    for (size_t i = 0; i < k->nvals; i++) {
        struct store_val v;
        enum err_code rc = typed(f, &k->vals[i], &v, err);
        if (!rc && v.kind == STORE_VAL_NULL)
            rc = err_set(err, ERR_INVALID, "null in a list for '%s'", f->name);
        if (!rc && i)
            buf_puts(&c->sql, ", ");
        if (!rc)
            rc = bind(c, v, err);
        if (rc)
            return rc;
    }
    buf_puts(&c->sql, ")");
    return ERR_OK;
}

/* The column an id value is compared with: a text value is the Ghost id of an import. */
static void put_id_column(struct compiled *c, const struct field_def *f, const struct store_val *v,
                          bool neg)
{
    if (v->kind != STORE_VAL_TEXT)
        buf_puts(&c->sql, f->column);
    else if (neg && f->type != FIELD_REL) /* under NOT, no Ghost id must be false, not NULL */
        buf_printf(&c->sql, "coalesce(%s, '')", f->ghost);
    else
        buf_puts(&c->sql, f->ghost);
}

/* An id value: a number is a row id, other text the Ghost id of an import. */
static enum err_code id_typed(const struct field_def *f, const struct store_val *v,
                              struct store_val *out, struct err *err)
{
    *out = *v;
    if (v->kind == STORE_VAL_TEXT && str_to_i64(v->text, &out->num))
        out->kind = STORE_VAL_INT;
    if (out->kind != STORE_VAL_INT && out->kind != STORE_VAL_TEXT)
        return err_set(err, ERR_INVALID, "'%s' takes ids", f->name);
    return ERR_OK;
}

/* Ids in a list, ours and Ghost's: "(p.id IN (?, ?) OR p.ghost_id IN (?))". */
static enum err_code emit_id_list(struct compiled *c, const struct field_def *f,
                                  const struct store_cond *k, bool neg, struct err *err)
{
    if (k->nvals == 0)
        return err_set(err, ERR_INVALID, "empty list for '%s'", f->name);
    buf_puts(&c->sql, neg ? "NOT (" : "(");
    bool any = false;
    for (int text = 0; text < 2; text++) {
        size_t n = 0;
        for (size_t i = 0; i < k->nvals; i++) {
            struct store_val v;
            enum err_code rc = id_typed(f, &k->vals[i], &v, err);
            if (rc)
                return rc;
            if ((v.kind == STORE_VAL_TEXT) != text)
                continue;
            if (n++ == 0) {
                buf_puts(&c->sql, any ? " OR " : "");
                put_id_column(c, f, &v, neg);
                buf_puts(&c->sql, " IN (");
            } else {
                buf_puts(&c->sql, ", ");
            }
            if ((rc = bind(c, v, err)))
                return rc;
        }
        if (n) {
            buf_puts(&c->sql, ")");
            any = true;
        }
    }
    buf_puts(&c->sql, ")");
    return ERR_OK;
}

/* An id compared with one value: ours by row id, an import's by its Ghost id. */
static enum err_code emit_id_test(struct compiled *c, const struct field_def *f,
                                  const struct store_cond *k, enum store_cond_op op,
                                  struct err *err)
{
    if (op == STORE_OP_IN || op == STORE_OP_NIN)
        return emit_id_list(c, f, k, op == STORE_OP_NIN, err);
    if (k->nvals != 1 || (op != STORE_OP_EQ && op != STORE_OP_NE))
        return err_set(err, ERR_INVALID, "'%s' takes one id with ':' or ':-'", f->name);
    struct store_val v;
    enum err_code rc = id_typed(f, &k->vals[0], &v, err);
    if (rc)
        return rc;
    put_id_column(c, f, &v, op == STORE_OP_NE);
    buf_puts(&c->sql, op == STORE_OP_NE ? " != " : " = ");
    return bind(c, v, err);
}

/* column OP value; neg only for plain columns (relations negate outside EXISTS). */
static enum err_code emit_test(struct compiled *c, const struct field_def *f,
                               const struct store_cond *k, enum store_cond_op op, struct err *err)
{
    static const char *const ops[] = {
        [STORE_OP_EQ] = " = ",  [STORE_OP_NE] = " != ", [STORE_OP_GT] = " > ",
        [STORE_OP_GE] = " >= ", [STORE_OP_LT] = " < ",  [STORE_OP_LE] = " <= ",
    };
    if (f->ghost)
        return emit_id_test(c, f, k, op, err);
    if (op == STORE_OP_IN || op == STORE_OP_NIN)
        return emit_list(c, f, k, op == STORE_OP_NIN, err);
    if (k->nvals != 1)
        return err_set(err, ERR_INVALID, "'%s' takes one value", f->name);
    struct store_val v;
    enum err_code rc = typed(f, &k->vals[0], &v, err);
    if (rc)
        return rc;
    if (v.kind == STORE_VAL_NULL) {
        if (op != STORE_OP_EQ && op != STORE_OP_NE)
            return err_set(err, ERR_INVALID, "null can only be matched with ':' or ':-'");
        return emit_null(c, f, op == STORE_OP_NE);
    }
    if (op >= STORE_OP_CONTAINS) {
        if (v.kind != STORE_VAL_TEXT ||
            (f->type != FIELD_TEXT && f->type != FIELD_NTEXT && f->type != FIELD_REL))
            return err_set(err, ERR_INVALID, "'%s' cannot be searched for text", f->name);
        v.text = store_like(v.text, op != STORE_OP_STARTS, op != STORE_OP_ENDS, c->a);
        buf_printf(&c->sql, "%s%s%s", f->column, op == STORE_OP_NCONTAINS ? " NOT" : "", c->like);
        rc = bind(c, v, err);
        buf_puts(&c->sql, " ESCAPE '\\'");
        return rc;
    }
    buf_puts(&c->sql, f->column);
    buf_puts(&c->sql, ops[op]);
    return bind(c, v, err);
}

static enum err_code emit_cmp(struct compiled *c, const struct resource *r,
                              const struct store_cond *k, struct err *err)
{
    const struct field_def *f = field_of(r, k->field);
    if (!f)
        return err_set(err, ERR_INVALID, "unknown field '%.*s'", (int)k->field.len, k->field.ptr);
    if ((unsigned)k->op > STORE_OP_ENDS)
        return err_set(err, ERR_INVALID, "unknown operator");
    if (f->type != FIELD_REL)
        return emit_test(c, f, k, k->op, err);
    /* tag:-news is "has no tag news", not "has a tag that is not news" */
    buf_printf(&c->sql, "%s%s", negated(k->op) ? "NOT " : "", f->exists);
    enum err_code rc = emit_test(c, f, k, positive(k->op), err);
    buf_puts(&c->sql, ")");
    return rc;
}

/* Depth is capped (STORE_COND_DEPTH_MAX), so this recursion is bounded. */
static enum err_code emit(struct compiled *c, const struct resource *r, const struct store_cond *k,
                          int depth, struct err *err)
{
    if (depth > STORE_COND_DEPTH_MAX)
        return err_set(err, ERR_INVALID, "filter nested more than %d deep", STORE_COND_DEPTH_MAX);
    if (k->kind == STORE_COND_CMP)
        return emit_cmp(c, r, k, err);
    if (k->nkids == 0)
        return err_set(err, ERR_INVALID, "empty filter group");
    buf_puts(&c->sql, "(");
    for (size_t i = 0; i < k->nkids; i++) {
        if (i)
            buf_puts(&c->sql, k->kind == STORE_COND_AND ? " AND " : " OR ");
        enum err_code rc = emit(c, r, &k->kids[i], depth + 1, err);
        if (rc)
            return rc;
    }
    return buf_puts(&c->sql, ")") ? err_set(err, ERR_INVALID, "filter too long") : ERR_OK;
}

/*
 * The list of slugs or ids a filter asks for ("slug:[b,a]"), whose order answers take when
 * none is asked for, as Ghost's slugFilterOrder does (Ghost orders slug lists only; ids
 * are ordered the same way here). Looked for in the filter and its AND groups.
 */
static const struct store_cond *list_of(const struct store_cond *k, int depth)
{
    if (!k || depth > STORE_COND_DEPTH_MAX)
        return NULL;
    if (k->kind == STORE_COND_CMP)
        return k->op == STORE_OP_IN && k->nvals &&
                       (str_eq_cstr(k->field, "slug") || str_eq_cstr(k->field, "id"))
                   ? k
                   : NULL;
    for (size_t i = 0; k->kind == STORE_COND_AND && i < k->nkids; i++) {
        const struct store_cond *found = list_of(&k->kids[i], depth + 1);
        if (found)
            return found;
    }
    return NULL;
}

/* "CASE WHEN p.slug = ? THEN 0 WHEN ... END, ": rows in the order of the list. */
static enum err_code order_by_list(struct compiled *c, const struct resource *r,
                                   const struct store_cond *k, struct err *err)
{
    const struct field_def *f = field_of(r, k->field);
    if (!f)
        return ERR_OK;
    buf_puts(&c->sql, "CASE");
    for (size_t i = 0; i < k->nvals; i++) {
        struct store_val v;
        enum err_code rc =
            f->ghost ? id_typed(f, &k->vals[i], &v, err) : typed(f, &k->vals[i], &v, err);
        if (rc)
            return rc;
        if (c->nbinds >= BINDS_MAX - 2)
            return err_set(err, ERR_INVALID, "filter has too many values");
        buf_printf(&c->sql, " WHEN %s = ? THEN %zu",
                   f->ghost && v.kind == STORE_VAL_TEXT ? f->ghost : f->column, i);
        c->binds[c->nbinds++] = v;
    }
    buf_puts(&c->sql, " END, ");
    return ERR_OK;
}

static enum err_code emit_order(struct compiled *c, const struct resource *r,
                                const struct store_api_query *q, struct err *err)
{
    buf_puts(&c->sql, " ORDER BY ");
    const struct store_cond *list = q->norder ? NULL : list_of(q->filter, 0);
    if (list) {
        enum err_code rc = order_by_list(c, r, list, err);
        buf_puts(&c->sql, r->tie);
        return rc;
    }
    if (q->norder > STORE_ORDER_MAX)
        return err_set(err, ERR_INVALID, "order has more than %d fields", STORE_ORDER_MAX);
    for (size_t i = 0; i < q->norder; i++) {
        const struct field_def *f = field_of(r, q->order[i].field);
        if (!f || f->type == FIELD_REL)
            return err_set(err, ERR_INVALID, "cannot order by '%.*s'", (int)q->order[i].field.len,
                           q->order[i].field.ptr);
        buf_printf(&c->sql, "%s %s, ", f->column, q->order[i].desc ? "DESC" : "ASC");
    }
    if (q->norder == 0)
        buf_printf(&c->sql, "%s, ", r->order);
    buf_puts(&c->sql, r->tie);
    return ERR_OK;
}

/* "SELECT cols FROM ... WHERE base AND (filter)" into c, values in c->binds. */
static enum err_code compile(const struct store *st, const struct store_api_query *q,
                             const char *cols, bool page, struct arena *a, struct compiled *c,
                             struct err *err)
{
    const struct resource *r = &resources[q->kind];
    c->like = st->drv->like;
    buf_init(&c->sql, 256 * 1024);
    c->binds = arena_calloc(a, BINDS_MAX, sizeof(*c->binds));
    c->nbinds = 0;
    c->a = a;
    buf_puts(&c->sql, "SELECT ");
    buf_puts(&c->sql, cols);
    buf_puts(&c->sql, r->from);
    enum err_code rc = ERR_OK;
    if (q->filter) {
        buf_puts(&c->sql, " AND ");
        rc = emit(c, r, q->filter, 0, err);
    }
    if (!rc && page) {
        rc = emit_order(c, r, q, err);
        buf_puts(&c->sql, " LIMIT ? OFFSET ?");
        c->binds[c->nbinds++] = (struct store_val){STORE_VAL_INT, STR_NULL, q->limit};
        c->binds[c->nbinds++] = (struct store_val){STORE_VAL_INT, STR_NULL, q->offset};
    }
    if (rc)
        buf_release(&c->sql);
    return rc;
}

/* The compiled SQL prepared for this call, its values bound in order. Releases c->sql. */
static void prepare(struct store *st, struct compiled *c, struct store_q *q, struct err *err)
{
    store_q_prepare(st, c->sql.ptr, c->sql.len, q, err);
    buf_release(&c->sql);
    for (size_t i = 0; i < c->nbinds; i++) {
        const struct store_val *v = &c->binds[i];
        int p = (int)i + 1;
        if (v->kind == STORE_VAL_TEXT)
            store_bind_str(q, p, v->text);
        else if (v->kind == STORE_VAL_NULL)
            store_bind_null(q, p);
        else
            store_bind_i64(q, p, v->num);
    }
}

/* How many rows match q (limit and offset aside). */
static enum err_code count(struct store *st, const struct store_api_query *q, struct arena *a,
                           int64_t *total, struct err *err)
{
    struct compiled c;
    enum err_code rc = compile(st, q, "count(*)", false, a, &c, err);
    if (rc)
        return rc;
    struct store_q sq;
    prepare(st, &c, &sq, err);
    return store_q_i64(&sq, total, "cannot count", err);
}

/* One page of rows, each read by fn into an element of size bytes of a new array. */
static enum err_code rows(struct store *st, const struct store_api_query *q, const char *cols,
                          const struct store_row *r, size_t size, struct arena *a, void **out,
                          size_t *n, int64_t *total, struct err *err)
{
    if (q->limit < 1 || q->limit > 1000 || q->offset < 0)
        return err_set(err, ERR_INVALID, "limit out of range");
    enum err_code rc = count(st, q, a, total, err);
    struct compiled c;
    if (!rc)
        rc = compile(st, q, cols, true, a, &c, err);
    if (rc)
        return rc;
    struct store_q sq;
    prepare(st, &c, &sq, err);
    return store_q_rows(&sq, size, (size_t)q->limit, r, a, out, n, err);
}

/* ---- posts, tags, authors -------------------------------------------------------- */

enum err_code store_api_posts(struct store *st, const struct store_api_query *q, struct arena *a,
                              struct content_post **out, size_t *n, int64_t *total, struct err *err)
{
    if (q->kind != STORE_API_POSTS && q->kind != STORE_API_PAGES &&
        q->kind != STORE_API_ADMIN_POSTS && q->kind != STORE_API_ADMIN_PAGES)
        return err_set(err, ERR_INTERNAL, "not a posts query");
    /*
     * The page of ids is picked from posts alone (the filter and order see only p, and
     * the feed indexes answer it), then each post is read whole: at most 100 of them.
     */
    void *v;
    enum err_code rc = rows(st, q, "p.id", &store_row_i64, sizeof(int64_t), a, &v, n, total, err);
    if (rc)
        return rc;
    const int64_t *ids = v;
    struct content_post *posts = arena_calloc(a, *n ? *n : 1, sizeof(*posts));
    for (size_t i = 0; i < *n && !rc; i++)
        rc = store_post_by_id(st, ids[i], a, &posts[i], err);
    if (rc)
        return rc;
    *out = posts;
    return ERR_OK;
}

/* A tag or author with its number of published posts, the last column. */
struct counted {
    union {
        struct content_tag tag;
        struct content_author author;
    } u;
    int64_t posts;
};

static void read_tag_count(const struct store_q *q, struct arena *a, void *elem)
{
    struct counted *c = elem;
    store_read_tag(q, a, &c->u.tag);
    c->posts = store_col_i64(q, 6);
}

static void read_author_count(const struct store_q *q, struct arena *a, void *elem)
{
    struct counted *c = elem;
    store_read_author(q, a, &c->u.author);
    c->posts = store_col_i64(q, 10);
}

/* Rows of struct counted for q into the caller's two arrays (in a): items and counts. */
static enum err_code counted_rows(struct store *st, const struct store_api_query *q,
                                  const char *cols, const struct store_row *r, size_t item_size,
                                  struct arena *a, void **items, int64_t **counts, size_t *n,
                                  int64_t *total, struct err *err)
{
    void *v;
    enum err_code rc = rows(st, q, cols, r, sizeof(struct counted), a, &v, n, total, err);
    if (rc)
        return rc;
    const struct counted *c = v;
    char *out = arena_calloc(a, *n ? *n : 1, item_size);
    int64_t *k = arena_calloc(a, *n ? *n : 1, sizeof(*k));
    for (size_t i = 0; i < *n; i++) {
        memcpy(out + i * item_size, &c[i].u, item_size);
        k[i] = c[i].posts;
    }
    *items = out;
    if (counts)
        *counts = k;
    return ERR_OK;
}

enum err_code store_api_tags(struct store *st, const struct store_api_query *q, struct arena *a,
                             struct content_tag **out, int64_t **counts, size_t *n, int64_t *total,
                             struct err *err)
{
    if (q->kind != STORE_API_TAGS && q->kind != STORE_API_ADMIN_TAGS)
        return err_set(err, ERR_INTERNAL, "not a tags query");
    void *v;
    enum err_code rc = counted_rows(st, q, SQL_API_TAG_COLS, STORE_ROW_FN(read_tag_count),
                                    sizeof(struct content_tag), a, &v, counts, n, total, err);
    if (!rc)
        *out = v;
    return rc;
}

enum err_code store_api_authors(struct store *st, const struct store_api_query *q, struct arena *a,
                                struct content_author **out, int64_t **counts, size_t *n,
                                int64_t *total, struct err *err)
{
    if (q->kind != STORE_API_AUTHORS)
        return err_set(err, ERR_INTERNAL, "not an authors query");
    void *v;
    enum err_code rc = counted_rows(st, q, SQL_API_AUTHOR_COLS, STORE_ROW_FN(read_author_count),
                                    sizeof(struct content_author), a, &v, counts, n, total, err);
    if (!rc)
        *out = v;
    return rc;
}

/* ---- API keys -------------------------------------------------------------------- */

enum err_code store_api_key_add(struct store *st, const char *type, struct str key_id,
                                struct str name, struct str secret, int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_ADMIN_KEY_ADD, &q, err);
    store_bind_text(&q, 1, type);
    store_bind_str(&q, 2, name);
    store_bind_str(&q, 3, secret);
    store_bind_i64(&q, 4, time_now());
    store_bind_str(&q, 5, key_id);
    return store_q_insert(&q, id, "cannot save the key", err);
}

enum err_code store_api_keys_list(struct store *st, struct arena *a, struct store_api_key **out,
                                  size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_ADMIN_KEYS_LIST, &q, err);
    store_bind_i64(&q, 1, STORE_API_KEYS_MAX);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(struct store_api_key), STORE_API_KEYS_MAX,
                                    &store_api_key_row, a, &v, n, err);
    if (!rc)
        *out = v;
    return rc;
}

enum err_code store_api_key_revoke(struct store *st, int64_t id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_API_KEY_REVOKE, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_i64(&q, 2, time_now());
    int64_t changed = 0;
    enum err_code rc = store_q_exec(&q, &changed, "cannot revoke the key", err);
    if (!rc && changed == 0)
        return err_set(err, ERR_NOTFOUND, "no active key %lld", (long long)id);
    /* inside the caller's transaction: readers see it when that commits */
    return rc ? rc : store_change_log(st, "apikeys", err);
}

enum err_code store_api_keys_active(struct store *st, const char *type, struct arena *a,
                                    struct str **secrets, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_API_KEYS_ACTIVE, &q, err);
    store_bind_text(&q, 1, type);
    store_bind_i64(&q, 2, STORE_API_KEYS_MAX);
    void *v;
    enum err_code rc =
        store_q_rows(&q, sizeof(struct str), STORE_API_KEYS_MAX, &store_row_str, a, &v, n, err);
    if (!rc)
        *secrets = v;
    return rc;
}
