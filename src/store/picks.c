/*
 * What the editor's pickers look up as staff type (a tag, a byline) and the key that
 * signs preview links. Matching is LIKE with its wildcards escaped: "50%" finds "50%",
 * not everything.
 */
#include "store/store_int.h"

#include <string.h>

static const struct store_col pick_cols[] = {
    STORE_COL(struct store_pick, 0, id),
    STORE_COL(struct store_pick, 1, slug),
    STORE_COL(struct store_pick, 2, name),
    STORE_COL(struct store_pick, 3, role),
};

static void read_pick(const struct store_q *q, struct arena *a, void *out)
{
    memset(out, 0, sizeof(struct store_pick));
    size_t n = store_col_count(q) > 3 ? 4 : 3;
    store_read_cols(q, pick_cols, n, a, out);
}

static enum err_code match(struct store *st, enum store_stmt id, struct str q, int64_t limit,
                           struct arena *a, struct store_pick **out, size_t *n, struct err *err)
{
    struct store_q sq;
    store_q_open(st, id, &sq, err);
    store_bind_text(&sq, 1, store_like(q, true, true, a).ptr);
    store_bind_text(&sq, 2, store_like(q, false, true, a).ptr);
    store_bind_i64(&sq, 3, limit);
    void *v;
    enum err_code rc = store_q_rows(&sq, sizeof(struct store_pick), (size_t)limit,
                                    STORE_ROW_FN(read_pick), a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_tags_match(struct store *st, struct str q, int64_t limit, struct arena *a,
                               struct store_pick **out, size_t *n, struct err *err)
{
    return match(st, STMT_TAGS_MATCH, q, limit, a, out, n, err);
}

enum err_code store_staff_match(struct store *st, struct str q, int64_t limit, struct arena *a,
                                struct store_pick **out, size_t *n, struct err *err)
{
    return match(st, STMT_STAFF_MATCH, q, limit, a, out, n, err);
}

enum err_code store_secret_get(struct store *st, const char *name, struct arena *a,
                               struct str *value, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SECRET_GET, &q, err);
    store_bind_text(&q, 1, name);
    return store_q_row(&q, &store_row_str, a, value, "key", err);
}
