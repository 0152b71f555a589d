/*
 * Breaking news, labels and pins: the banner's posts, a list's pinned post, the expiry
 * of breaking news, and what a change of those flags makes stale.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <string.h>

/* Columns 20..22 of SQL_TEASER_COLS: what a teaser prints over its headline. */
void store_read_listed(const struct store_q *q, struct arena *a, void *post)
{
    store_read_teaser(q, a, post);
    struct content_post *p = post;
    p->breaking = store_col_i64(q, 20) != 0;
    if (!content_label_parse(store_col_str(q, 21, a), &p->label))
        p->label = CONTENT_LABEL_NONE;
    p->pinned = (unsigned)store_col_i64(q, 22) & (CONTENT_PIN_HOME | CONTENT_PIN_SECTION);
}

static void read_breaking(const struct store_q *q, struct arena *a, void *out)
{
    struct content_post *p = out;
    memset(p, 0, sizeof(*p));
    p->id = store_col_i64(q, 0);
    p->slug = store_col_str(q, 1, a);
    p->title = store_col_str(q, 2, a);
    if (!content_label_parse(store_col_str(q, 3, a), &p->label))
        p->label = CONTENT_LABEL_NONE;
    p->breaking = true;
    p->status = CONTENT_PUBLISHED;
}

enum err_code store_breaking_now(struct store *st, size_t max, struct arena *a,
                                 struct content_post **out, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_BREAKING_NOW, &q, err);
    store_bind_i64(&q, 1, (int64_t)max);
    store_bind_i64(&q, 2, time_now());
    void *v = NULL;
    enum err_code rc = store_q_rows(&q, sizeof(struct content_post), max,
                                    STORE_ROW_FN(read_breaking), a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_pinned_first(struct store *st, unsigned where, int64_t tag_id, struct arena *a,
                                 struct content_post *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_PINNED_FIRST, &q, err);
    store_bind_i64(&q, 1, (int64_t)where);
    store_bind_i64(&q, 2, tag_id);
    return store_q_row(&q, STORE_ROW_FN(store_read_listed), a, out, "pinned post", err);
}

enum err_code store_post_desk_flags(struct store *st, int64_t id, bool *breaking, unsigned *pinned,
                                    struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_ON_DESK, &q, err);
    store_bind_i64(&q, 1, id);
    *breaking = false;
    *pinned = 0;
    if (store_q_next(&q)) {
        *breaking = store_col_i64(&q, 0) != 0;
        *pinned = (unsigned)store_col_i64(&q, 1);
    }
    return store_q_end(&q, "cannot read the post's flags", err);
}

enum err_code store_breaking_next(struct store *st, int64_t *at, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_BREAKING_NEXT, &q, err);
    return store_q_i64(&q, at, "cannot read the next expiry", err);
}

enum err_code store_breaking_expire(struct store *st, int64_t now, struct arena *a, int64_t **ids,
                                    size_t *n, struct err *err)
{
    enum { EXPIRE_MAX = 100 }; /* a handful at most; the next tick takes any rest */
    struct store_q q;
    store_q_open(st, STMT_BREAKING_DUE, &q, err);
    store_bind_i64(&q, 1, now);
    store_bind_i64(&q, 2, EXPIRE_MAX);
    void *v = NULL;
    enum err_code rc = store_q_rows(&q, sizeof(int64_t), EXPIRE_MAX, &store_row_i64, a, &v, n, err);
    *ids = v;
    for (size_t i = 0; !rc && i < *n; i++) {
        store_q_open(st, STMT_BREAKING_CLEAR, &q, err);
        store_bind_i64(&q, 1, (*ids)[i]);
        rc = store_q_exec(&q, NULL, "cannot clear breaking news", err);
    }
    /* the banner is on every page */
    if (!rc && *n)
        rc = store_change_log(st, "*", err);
    if (rc)
        *n = 0;
    return rc;
}
