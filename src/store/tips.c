/*
 * Readers' tips: what the form at /tips/ stores and the inbox reads. Tips are the
 * newsroom's alone: no reader's page shows one, so their writes log no change; only the
 * reader's photos, media rows with private = 1, log "media:{key}" when they go.
 */
#include "store/store.h"
#include "store/store_int.h"

#include "media/media.h"

#include <stdio.h>

/* Runs the write q; ERR_NOTFOUND "no such tip" when it changed no row. */
static enum err_code change_tip(struct store_q *q, struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = store_q_exec(q, &changed, "cannot update the tip", err);
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no such tip");
    return rc;
}

/* Write stmt of tip id (?1) with one more number (?2) and, when it takes one, now (?3). */
static enum err_code tip_set(struct store *st, enum store_stmt stmt, int64_t id, int64_t v,
                             bool now, struct err *err)
{
    struct store_q q;
    store_q_open(st, stmt, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_i64(&q, 2, v);
    if (now)
        store_bind_i64(&q, 3, time_now());
    return change_tip(&q, err);
}

enum err_code store_tip_insert(struct store *st, const struct store_tip *t, const int64_t *photos,
                               size_t nphotos, int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_TIP_INSERT, &q, err);
    store_bind_i64(&q, 1, time_now());
    const struct str fields[] = {t->name, t->email, t->link, t->message, t->about, t->address};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++)
        store_bind_str(&q, (int)i + 2, fields[i]);
    store_bind_i64(&q, 8, t->post_id);
    store_bind_str(&q, 9, t->page);
    enum err_code rc = store_q_insert(&q, id, "cannot save the tip", err);
    for (size_t i = 0; !rc && i < nphotos; i++) {
        store_q_open(st, STMT_TIP_PHOTO_INSERT, &q, err);
        store_bind_i64(&q, 1, *id);
        store_bind_i64(&q, 2, photos[i]);
        store_bind_i64(&q, 3, (int64_t)i);
        rc = store_q_exec(&q, NULL, "cannot save the tip's photo", err);
    }
    return rc;
}

static const struct store_col tip_cols[] = {
    STORE_COL(struct store_tip, 0, id),           STORE_COL(struct store_tip, 1, created_at),
    STORE_COL(struct store_tip, 2, name),         STORE_COL(struct store_tip, 3, email),
    STORE_COL(struct store_tip, 4, link),         STORE_COL(struct store_tip, 5, message),
    STORE_COL(struct store_tip, 6, about),        STORE_COL(struct store_tip, 7, address),
    STORE_COL(struct store_tip, 8, handled_at),   STORE_COL(struct store_tip, 9, handled_by),
    STORE_COL(struct store_tip, 10, post_id),     STORE_COL(struct store_tip, 11, page),
    STORE_COL(struct store_tip, 12, post_title),  STORE_COL(struct store_tip, 13, read_at),
    STORE_COL(struct store_tip, 14, assigned_to), STORE_COL(struct store_tip, 15, assigned_name),
    STORE_COL(struct store_tip, 16, draft_id),    STORE_COL(struct store_tip, 17, draft_title),
};

/* The filters' parameters (SQL_TIPS_WHERE: ?1 whose, ?2 user, ?3 state). */
static void bind_filters(struct store_q *q, const struct store_tips_query *tq)
{
    store_bind_i64(q, 1, tq->whose);
    store_bind_i64(q, 2, tq->user);
    store_bind_i64(q, 3, tq->state);
}

static enum err_code count(struct store *st, enum store_stmt stmt,
                           const struct store_tips_query *tq, int64_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, stmt, &q, err);
    if (tq)
        bind_filters(&q, tq);
    return store_q_i64(&q, n, "cannot count the tips", err);
}

enum err_code store_tips(struct store *st, const struct store_tips_query *tq, struct arena *a,
                         struct store_tip **out, size_t *n, int64_t *total, int64_t *open,
                         struct err *err)
{
    void *v = NULL;
    *n = 0;
    enum err_code rc = count(st, STMT_TIPS_OPEN, NULL, open, err);
    if (!rc)
        rc = count(st, STMT_TIPS_COUNT, tq, total, err);
    if (!rc) {
        struct store_q q;
        store_q_open(st, STMT_TIPS_PAGE, &q, err);
        bind_filters(&q, tq);
        store_bind_i64(&q, 4, tq->limit);
        store_bind_i64(&q, 5, tq->offset);
        rc = store_q_rows(&q, sizeof(struct store_tip), tq->limit > 0 ? (size_t)tq->limit : 0,
                          STORE_ROW(tip_cols), a, &v, n, err);
    }
    *out = v;
    return rc;
}

enum err_code store_tip_get(struct store *st, int64_t id, struct arena *a, struct store_tip *out,
                            struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_TIP_BY_ID, &q, err);
    store_bind_i64(&q, 1, id);
    return store_q_row(&q, STORE_ROW(tip_cols), a, out, "tip", err);
}

enum err_code store_tips_unread(struct store *st, int64_t *n, struct err *err)
{
    return count(st, STMT_TIPS_UNREAD, NULL, n, err);
}

enum err_code store_tip_photos(struct store *st, int64_t id, struct arena *a,
                               struct media_item **out, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_TIP_PHOTOS, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_i64(&q, 2, STORE_TIP_PHOTOS_MAX);
    void *v = NULL;
    enum err_code rc = store_q_rows(&q, sizeof(struct media_item), STORE_TIP_PHOTOS_MAX,
                                    STORE_ROW_FN(store_read_media), a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_tip_handle(struct store *st, int64_t id, int64_t user, struct err *err)
{
    return tip_set(st, STMT_TIP_HANDLE, id, user, true, err);
}

enum err_code store_tip_read(struct store *st, int64_t id, bool read, struct err *err)
{
    return tip_set(st, STMT_TIP_READ, id, read, true, err);
}

enum err_code store_tip_assign(struct store *st, int64_t id, int64_t user, struct err *err)
{
    return tip_set(st, STMT_TIP_ASSIGN, id, user, false, err);
}

enum err_code store_tip_set_draft(struct store *st, int64_t id, int64_t post_id, struct err *err)
{
    return tip_set(st, STMT_TIP_DRAFT, id, post_id, false, err);
}

enum err_code store_tip_of_draft(struct store *st, int64_t post_id, int64_t *tip, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_TIP_OF_DRAFT, &q, err);
    store_bind_i64(&q, 1, post_id);
    return store_q_i64(&q, tip, "cannot find the tip of a draft", err);
}

/* The tip's own photos go first (tip_photos' cascade would leave their media rows). */
static enum err_code drop_photos(struct store *st, int64_t id, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct store_q q;
    store_q_open(st, STMT_TIP_PHOTOS_DROP, &q, err);
    store_bind_i64(&q, 1, id);
    void *v = NULL;
    size_t n = 0;
    enum err_code rc = store_q_rows(&q, sizeof(struct str), 64, &store_row_str, &a, &v, &n, err);
    const struct str *keys = v;
    for (size_t i = 0; !rc && i < n; i++) {
        char deps[16 + MEDIA_KEY_LEN];
        snprintf(deps, sizeof(deps), "media:%.*s", (int)keys[i].len, keys[i].ptr);
        rc = store_change_log(st, deps, err);
    }
    arena_release(&a);
    return rc;
}

enum err_code store_tip_delete(struct store *st, int64_t id, struct err *err)
{
    enum err_code rc = drop_photos(st, id, err);
    if (rc)
        return rc;
    struct store_q q;
    store_q_open(st, STMT_TIP_DELETE, &q, err);
    store_bind_i64(&q, 1, id);
    return change_tip(&q, err);
}
