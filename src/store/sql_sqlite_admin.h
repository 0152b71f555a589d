/* The statements of the Admin API (store/admin.c): keys, tags, users; part of STORE_SQL
 * (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_ADMIN_H
#define STORE_SQL_SQLITE_ADMIN_H

#define STORE_SQL_ADMIN(X)                                                                         \
    X(ADMIN_KEY_ADD, "INSERT INTO api_keys(type, name, secret, created_at, key_id)"                \
                     " VALUES (?1, ?2, ?3, ?4, ?5)")                                               \
    X(ADMIN_KEYS_LIST, "SELECT id, type, name, secret, created_at, coalesce(revoked_at, 0),"       \
                       " coalesce(key_id, '') FROM api_keys ORDER BY id LIMIT ?1")                 \
    X(ADMIN_KEY_BY_KID, "SELECT id, type, name, secret, created_at, coalesce(revoked_at, 0),"      \
                        " coalesce(key_id, '') FROM api_keys WHERE key_id = ?1")

#endif
