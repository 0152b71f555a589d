/*
 * Corrections as the feeds carry them: lists read a teaser's columns, so a feed item
 * reads its correction note and last update here (store_post_correction).
 */
#include "store/store_int.h"

static const struct store_col correction_cols[] = {
    STORE_COL(struct content_post, 0, correction),
    STORE_COL(struct content_post, 1, corrected_at),
    STORE_COL(struct content_post, 2, revised_at),
};

enum err_code store_post_correction(struct store *st, int64_t id, struct arena *a,
                                    struct content_post *p, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_POST_CORRECTION, &q, err);
    store_bind_i64(&q, 1, id);
    return store_q_row(&q, STORE_ROW(correction_cols), a, p, "post", err);
}
