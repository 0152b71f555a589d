/*
 * What the servers of one database share besides its content: the login and tips limits'
 * events (auth.h's limiter): a sliding window of events per name and key, one row an
 * event; and the leases of the jobs one server runs for all (store_lease_take).
 */
#include "store/store_int.h"

/* Keys count under their first 128 bytes, as the in-memory limiter's do. */
static struct str key_of(struct str key)
{
    return key.len > 128 ? (struct str){key.ptr, 128} : key;
}

static enum err_code expire(struct store *st, const char *name, int64_t before, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_LIMIT_EXPIRE, &q, err);
    store_bind_text(&q, 1, name);
    store_bind_i64(&q, 2, before);
    return store_q_exec(&q, NULL, "cannot expire the limit's events", err);
}

static const struct store_col count_cols[] = {
    STORE_COL(struct store_limit, 0, used),
    STORE_COL(struct store_limit, 1, oldest),
};

enum err_code store_limit_take(struct store *st, const struct store_limit_ask *ask, bool count,
                               struct store_limit *out, struct err *err)
{
    *out = (struct store_limit){0};
    int64_t since = ask->now - ask->window;
    enum err_code rc = expire(st, ask->name, since, err);
    struct store_q q;
    if (!rc) {
        store_q_open(st, STMT_LIMIT_COUNT, &q, err);
        store_bind_text(&q, 1, ask->name);
        store_bind_str(&q, 2, key_of(ask->key));
        store_bind_i64(&q, 3, since);
        rc = store_q_row(&q, STORE_ROW(count_cols), NULL, out, "limit", err);
    }
    if (rc)
        return rc;
    if (out->used >= (int64_t)ask->max) {
        out->retry_after = out->oldest + ask->window - ask->now;
        if (out->retry_after < 1)
            out->retry_after = 1;
        out->refused = true;
        return ERR_OK;
    }
    if (!count)
        return ERR_OK;
    store_q_open(st, STMT_LIMIT_ADD, &q, err);
    store_bind_text(&q, 1, ask->name);
    store_bind_str(&q, 2, key_of(ask->key));
    store_bind_i64(&q, 3, ask->now);
    rc = store_q_exec(&q, NULL, "cannot count the limit's event", err);
    if (!rc)
        out->used++;
    return rc;
}

static enum err_code drop(struct store *st, enum store_stmt id, const char *name, struct str key,
                          struct err *err)
{
    struct store_q q;
    store_q_open(st, id, &q, err);
    store_bind_text(&q, 1, name);
    store_bind_str(&q, 2, key_of(key));
    return store_q_exec(&q, NULL, "cannot change the limit's events", err);
}

enum err_code store_limit_give_back(struct store *st, const char *name, struct str key,
                                    struct err *err)
{
    return drop(st, STMT_LIMIT_GIVE_BACK, name, key, err);
}

enum err_code store_limit_clear(struct store *st, const char *name, struct str key, struct err *err)
{
    return drop(st, STMT_LIMIT_CLEAR, name, key, err);
}

/* ---- leases ---------------------------------------------------------------------- */

enum err_code store_lease_take(struct store *st, const char *name, bool *held, int64_t *at,
                               struct err *err)
{
    *held = false;
    *at = -1;
    int64_t granted = 0;
    struct store_q q;
    store_q_open(st, STMT_LEASE_TAKE, &q, err);
    store_bind_str(&q, 1, str_from(name));
    enum err_code rc = store_q_i64(&q, &granted, "cannot take the lease", err);
    if (rc || !granted)
        return rc;
    store_q_open(st, STMT_LEASE_AT, &q, err);
    store_bind_str(&q, 1, str_from(name));
    rc = store_q_i64(&q, at, "cannot read the lease's position", err);
    *held = !rc;
    return rc;
}

enum err_code store_lease_save(struct store *st, const char *name, int64_t at, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_LEASE_SAVE, &q, err);
    store_bind_str(&q, 1, str_from(name));
    store_bind_i64(&q, 2, at);
    return store_q_exec(&q, NULL, "cannot save the lease's position", err);
}
