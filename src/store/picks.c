/*
 * What the editor's pickers look up as staff type (a tag, a byline) and the key that
 * signs preview links. Matching is LIKE with its wildcards escaped: "50%" finds "50%",
 * not everything.
 */
#include "store/store_int.h"

#include <string.h>

/* "%q%" (contains) or "q%" (starts with), LIKE's own characters escaped (ESCAPE '\'). In a. */
static const char *like_pattern(struct str q, bool contains, struct arena *a)
{
    char *like = arena_alloc(a, q.len * 2 + 3);
    size_t k = 0;
    if (contains)
        like[k++] = '%';
    for (size_t i = 0; i < q.len; i++) {
        char c = q.ptr[i];
        if (c == '%' || c == '_' || c == '\\')
            like[k++] = '\\';
        like[k++] = c;
    }
    like[k++] = '%';
    like[k] = '\0';
    return like;
}

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
    store_bind_text(&sq, 1, like_pattern(q, true, a));
    store_bind_text(&sq, 2, like_pattern(q, false, a));
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
