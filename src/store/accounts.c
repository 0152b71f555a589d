/*
 * One-time account links: password resets and invitations (store.h has the contract).
 * Links are found by the SHA-256 of their token, the primary key, so a lookup compares
 * hashes inside SQLite's index and never the token itself.
 */
#include "store/store.h"
#include "store/store_int.h"

enum err_code store_account_link_add(struct store *st, const unsigned char hash[32],
                                     const struct store_account_link *l, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_ACCOUNT_LINKS_REVOKE, &q, err);
    store_bind_i64(&q, 1, l->user_id);
    store_bind_i64(&q, 2, l->created_at);
    enum err_code rc = store_q_exec(&q, NULL, "cannot end the older links", err);
    if (rc)
        return rc;
    store_q_open(st, STMT_ACCOUNT_LINK_INSERT, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    store_bind_str(&q, 2, l->kind);
    store_bind_i64(&q, 3, l->user_id);
    store_bind_i64(&q, 4, l->created_by);
    store_bind_i64(&q, 5, l->created_at);
    store_bind_i64(&q, 6, l->expires_at);
    return store_q_exec(&q, NULL, "cannot save the link", err);
}

static const struct store_col link_cols[] = {
    STORE_COL(struct store_account_link, 0, kind),
    STORE_COL(struct store_account_link, 1, user_id),
    STORE_COL(struct store_account_link, 2, created_by),
    STORE_COL(struct store_account_link, 3, created_at),
    STORE_COL(struct store_account_link, 4, expires_at),
    STORE_COL(struct store_account_link, 5, used_at),
};

enum err_code store_account_link_get(struct store *st, const unsigned char hash[32],
                                     struct arena *a, struct store_account_link *out,
                                     struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_ACCOUNT_LINK_GET, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    return store_q_row(&q, STORE_ROW(link_cols), a, out, "link", err);
}

enum err_code store_account_link_use(struct store *st, const unsigned char hash[32], int64_t now,
                                     struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_ACCOUNT_LINK_USE, &q, err);
    store_bind_blob(&q, 1, hash, 32);
    store_bind_i64(&q, 2, now);
    int64_t changed = 0;
    enum err_code rc = store_q_exec(&q, &changed, "cannot use the link", err);
    if (!rc && !changed)
        return err_set(err, ERR_GONE, "this link was used or has expired");
    return rc;
}

enum err_code store_user_by_login(struct store *st, struct str email, int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_USER_BY_LOGIN, &q, err);
    store_bind_str(&q, 1, email);
    *id = 0;
    enum err_code rc = store_q_i64(&q, id, "cannot look up the login", err);
    if (!rc && !*id)
        return err_set(err, ERR_NOTFOUND, "no account with that login");
    return rc;
}
