/*
 * The Admin API's reads and writes that the Content API's do not cover: finding a key by
 * its public id (a JWT's kid). Statements in sql_sqlite_admin.h.
 */
#include "store/store.h"
#include "store/store_int.h"

static const struct store_col key_cols[] = {
    STORE_COL(struct store_api_key, 0, id),         STORE_COL(struct store_api_key, 1, type),
    STORE_COL(struct store_api_key, 2, name),       STORE_COL(struct store_api_key, 3, secret),
    STORE_COL(struct store_api_key, 4, created_at), STORE_COL(struct store_api_key, 5, revoked_at),
    STORE_COL(struct store_api_key, 6, key_id),
};

const struct store_row store_api_key_row = {key_cols, ARRAY_LEN(key_cols), NULL};

enum err_code store_admin_key_get(struct store *st, struct str kid, struct arena *a,
                                  struct store_api_key *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_ADMIN_KEY_BY_KID, &q, err);
    store_bind_str(&q, 1, kid);
    return store_q_row(&q, &store_api_key_row, a, out, "API key", err);
}
