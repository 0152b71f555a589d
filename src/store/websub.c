/*
 * The WebSub hub's subscriptions (websub/ decides who may subscribe and when; this file
 * keeps what was verified).
 */
#include "store/store.h"
#include "store/store_int.h"

enum err_code store_websub_put(struct store *st, const struct store_websub_sub *s, int64_t now,
                               struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_WEBSUB_PUT, &q, err);
    store_bind_str(&q, 1, s->topic);
    store_bind_str(&q, 2, s->callback);
    store_bind_str(&q, 3, s->host);
    store_bind_str(&q, 4, s->dep);
    store_bind_str(&q, 5, s->secret);
    store_bind_i64(&q, 6, s->lease_seconds);
    store_bind_i64(&q, 7, now);
    store_bind_i64(&q, 8, s->expires_at);
    return store_q_exec(&q, NULL, "cannot save the subscription", err);
}

enum err_code store_websub_drop(struct store *st, struct str topic, struct str callback,
                                bool *dropped, struct err *err)
{
    struct store_q q;
    int64_t changed = 0;
    store_q_open(st, STMT_WEBSUB_DROP, &q, err);
    store_bind_str(&q, 1, topic);
    store_bind_str(&q, 2, callback);
    enum err_code rc = store_q_exec(&q, &changed, "cannot end the subscription", err);
    if (dropped)
        *dropped = !rc && changed > 0;
    return rc;
}

enum err_code store_websub_purge(struct store *st, int64_t now, int64_t *n, struct err *err)
{
    struct store_q q;
    int64_t changed = 0;
    store_q_open(st, STMT_WEBSUB_PURGE, &q, err);
    store_bind_i64(&q, 1, now);
    enum err_code rc = store_q_exec(&q, &changed, "cannot purge expired subscriptions", err);
    if (n)
        *n = changed;
    return rc;
}

/* The count stmt answers for key (?1) at now (?2); 0 without a key. */
static enum err_code count_of(struct store *st, enum store_stmt stmt, struct str key, int64_t now,
                              int64_t *out, struct err *err)
{
    *out = 0;
    if (!key.ptr)
        return ERR_OK;
    struct store_q q;
    store_q_open(st, stmt, &q, err);
    store_bind_str(&q, 1, key);
    store_bind_i64(&q, 2, now);
    return store_q_i64(&q, out, "cannot count subscriptions", err);
}

enum err_code store_websub_counts(struct store *st, struct str host, struct str topic, int64_t now,
                                  int64_t *by_host, int64_t *by_topic, int64_t *total,
                                  struct err *err)
{
    enum err_code rc = count_of(st, STMT_WEBSUB_COUNT_HOST, host, now, by_host, err);
    if (!rc)
        rc = count_of(st, STMT_WEBSUB_COUNT_TOPIC, topic, now, by_topic, err);
    if (rc)
        return rc;
    struct store_q q;
    store_q_open(st, STMT_WEBSUB_COUNT, &q, err);
    store_bind_i64(&q, 1, now);
    return store_q_i64(&q, total, "cannot count subscriptions", err);
}

enum err_code store_websub_topics(struct store *st, struct str dep, int64_t now, size_t max,
                                  struct arena *a, struct str **topics, size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, dep.ptr ? STMT_WEBSUB_TOPICS_DEP : STMT_WEBSUB_TOPICS_ALL, &q, err);
    int i = 1;
    if (dep.ptr)
        store_bind_str(&q, i++, dep);
    store_bind_i64(&q, i++, now);
    store_bind_i64(&q, i, (int64_t)max);
    return store_q_rows(&q, sizeof(**topics), max, &store_row_str, a, (void **)topics, n, err);
}

static const struct store_col sub_cols[] = {
    STORE_COL(struct store_websub_sub, 0, id),
    STORE_COL(struct store_websub_sub, 1, topic),
    STORE_COL(struct store_websub_sub, 2, callback),
    STORE_COL(struct store_websub_sub, 3, host),
    STORE_COL(struct store_websub_sub, 4, dep),
    STORE_COL(struct store_websub_sub, 5, secret),
    STORE_COL(struct store_websub_sub, 6, lease_seconds),
    STORE_COL(struct store_websub_sub, 7, expires_at),
};

enum err_code store_websub_subscribers(struct store *st, struct str topic, int64_t now, size_t max,
                                       struct arena *a, struct store_websub_sub **out, size_t *n,
                                       struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_WEBSUB_SUBSCRIBERS, &q, err);
    store_bind_str(&q, 1, topic);
    store_bind_i64(&q, 2, now);
    store_bind_i64(&q, 3, (int64_t)max);
    return store_q_rows(&q, sizeof(**out), max, STORE_ROW(sub_cols), a, (void **)out, n, err);
}
