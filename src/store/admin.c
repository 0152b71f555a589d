/*
 * The Admin API's reads and writes that the Content API's do not cover: finding a key by
 * its public id (a JWT's kid), rows by the Ghost ids an import kept, deleting a tag.
 * Statements in sql_sqlite_admin.h.
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

enum err_code store_admin_ghost_id_find(struct store *st, enum store_admin_kind kind,
                                        struct str ghost_id, int64_t *id, struct err *err)
{
    static const enum store_stmt stmts[] = {[STORE_ADMIN_POST] = STMT_ADMIN_POST_BY_GHOST_ID,
                                            [STORE_ADMIN_TAG] = STMT_ADMIN_TAG_BY_GHOST_ID,
                                            [STORE_ADMIN_USER] = STMT_ADMIN_USER_BY_GHOST_ID};
    struct store_q q;
    store_q_open(st, stmts[kind], &q, err);
    store_bind_str(&q, 1, ghost_id);
    return store_q_i64(&q, id, "cannot look up a Ghost id", err);
}

enum err_code store_admin_tag_delete(struct store *st, int64_t id, struct err *err)
{
    /* its posts' index rows lose its name while the links still say which they are */
    enum err_code rc = store_search_put_tag(st, id, true, err);
    if (rc)
        return rc;
    struct store_q q;
    store_q_open(st, STMT_ADMIN_TAG_UNLINK, &q, err);
    store_bind_i64(&q, 1, id);
    rc = store_q_exec(&q, NULL, "cannot remove the tag from its posts", err);
    if (rc)
        return rc;
    store_q_open(st, STMT_ADMIN_TAG_DELETE, &q, err);
    store_bind_i64(&q, 1, id);
    int64_t changed = 0;
    rc = store_q_exec(&q, &changed, "cannot delete the tag", err);
    if (!rc && !changed)
        return err_set(err, ERR_NOTFOUND, "no tag %lld", (long long)id);
    /* its label showed on teasers of every list, and its page is gone */
    return rc ? rc : store_change_log(st, "*", err);
}
