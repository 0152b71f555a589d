/*
 * The login and tips limits kept in the database (store_limit_take), so that every server
 * of it holds one limit: auth_limiter_share's store, over a write connection shared by
 * the server's threads (store_share: each call is one transaction).
 */
#include "newsroom/newsroom.h"
#include "store/store.h"

static unsigned take(void *ctx, const char *name, struct str key, unsigned max, int64_t window,
                     int64_t now, bool count, int64_t *retry_after)
{
    struct store *st = ctx;
    struct err err = {0};
    struct store_limit got;
    struct store_limit_ask ask = {name, key, max, window, now};
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, store_limit_take(st, &ask, count, &got, &err), &err);
    if (rc) {
        /* a limit that cannot be counted is not lifted: the caller waits and tries again */
        log_error("limits: %s: %s", name, err.msg);
        *retry_after = 1;
        return 0;
    }
    *retry_after = got.retry_after;
    return got.refused ? 0 : got.used > 0 ? (unsigned)got.used : 1;
}

static void drop(struct store *st, const char *name, struct str key, bool all)
{
    struct err err = {0};
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st,
                          all ? store_limit_clear(st, name, key, &err)
                              : store_limit_give_back(st, name, key, &err),
                          &err);
    if (rc)
        log_error("limits: %s: %s", name, err.msg);
}

static void give_back(void *ctx, const char *name, struct str key)
{
    drop(ctx, name, key, false);
}

static void clear(void *ctx, const char *name, struct str key)
{
    drop(ctx, name, key, true);
}

void newsroom_limits_init(struct newsroom_limits *l, struct store *writer)
{
    l->store = (struct auth_limit_store){writer, take, give_back, clear};
}
