/*
 * Running statements and reading their rows into structs: the loops every query shares,
 * written once against the statement layer (store_int.h), so no file of store/ steps a
 * statement by hand.
 */
#include "store/store_int.h"

#include <string.h>

enum err_code store_q_exec(struct store_q *q, int64_t *changed, const char *what, struct err *err)
{
    store_q_next(q);
    enum err_code rc = store_q_end(q, what, err);
    if (!rc && changed)
        *changed = store_db_changes(q->st);
    return rc;
}

/* A statement whose dialect returns the new id (PostgreSQL's RETURNING id) gives it as its
 * row; otherwise the connection knows it (SQLite's last rowid). */
enum err_code store_q_insert(struct store_q *q, int64_t *id, const char *what, struct err *err)
{
    bool row = store_q_next(q);
    int64_t returned = row ? store_col_i64(q, 0) : 0;
    enum err_code rc = store_q_end(q, what, err);
    if (!rc)
        *id = row ? returned : store_db_last_id(q->st);
    return rc;
}

enum err_code store_q_row(struct store_q *q, const struct store_row *r, struct arena *a, void *out,
                          const char *what, struct err *err)
{
    bool found = store_q_next(q);
    if (found)
        store_read_row(q, r, a, out);
    enum err_code rc = store_q_end(q, "cannot read", err);
    if (!rc && !found)
        return err_set(err, ERR_NOTFOUND, "no such %s", what);
    return rc;
}

enum err_code store_q_rows(struct store_q *q, size_t size, size_t max, const struct store_row *r,
                           struct arena *a, void **out, size_t *n, struct err *err)
{
    /* a page (at most 100 rows) is one allocation; longer lists start at 64 and double */
    size_t cap = max == 0 ? 1 : max <= 128 ? max : 64;
    char *v = arena_calloc(a, cap, size);
    size_t count = 0;
    while (count < max && store_q_next(q)) {
        if (count == cap) {
            char *bigger = arena_calloc(a, cap * 2, size);
            memcpy(bigger, v, cap * size);
            v = bigger;
            cap *= 2;
        }
        store_read_row(q, r, a, v + size * count++);
    }
    *out = v;
    *n = count;
    return store_q_end(q, "cannot read", err);
}

enum err_code store_q_i64(struct store_q *q, int64_t *out, const char *what, struct err *err)
{
    *out = store_q_next(q) ? store_col_i64(q, 0) : 0;
    return store_q_end(q, what, err);
}

void store_read_cols(const struct store_q *q, const struct store_col *cols, size_t n,
                     struct arena *a, void *row)
{
    char *base = row;
    for (size_t i = 0; i < n; i++) {
        void *field = base + cols[i].off;
        switch (cols[i].kind) {
        case STORE_COL_I64:
            *(int64_t *)field = store_col_i64(q, cols[i].col);
            break;
        case STORE_COL_BOOL:
            *(bool *)field = store_col_bool(q, cols[i].col);
            break;
        case STORE_COL_STR:
            *(struct str *)field = store_col_str(q, cols[i].col, a);
            break;
        }
    }
}

static void read_i64(const struct store_q *q, struct arena *a, void *row)
{
    (void)a;
    *(int64_t *)row = store_col_i64(q, 0);
}

static void read_str(const struct store_q *q, struct arena *a, void *row)
{
    *(struct str *)row = store_col_str(q, 0, a);
}

const struct store_row store_row_i64 = {NULL, 0, read_i64};
const struct store_row store_row_str = {NULL, 0, read_str};

void store_read_row(const struct store_q *q, const struct store_row *r, struct arena *a, void *row)
{
    if (r->cols)
        store_read_cols(q, r->cols, r->ncols, a, row);
    if (r->fn)
        r->fn(q, a, row);
}

struct str store_like(struct str v, bool lead, bool trail, struct arena *a)
{
    char *out = arena_alloc(a, v.len * 2 + 3);
    size_t n = 0;
    if (lead)
        out[n++] = '%';
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] == '%' || v.ptr[i] == '_' || v.ptr[i] == '\\')
            out[n++] = '\\';
        out[n++] = v.ptr[i];
    }
    if (trail)
        out[n++] = '%';
    out[n] = '\0';
    return (struct str){out, n};
}
