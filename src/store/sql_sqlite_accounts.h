/* The statements of one-time account links (store/accounts.c); part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_ACCOUNTS_H
#define STORE_SQL_SQLITE_ACCOUNTS_H

/*
 * ACCOUNT_LINKS_REVOKE ends a user's unused links by moving their expiry to now (?2):
 * a revoked link then reads as expired, which its page says plainly. ACCOUNT_LINK_USE
 * changes a row only while the link is unused and unexpired, so of two uses racing one
 * wins.
 */
#define STORE_SQL_ACCOUNTS(X)                                                                      \
    X(ACCOUNT_LINK_INSERT, "INSERT INTO account_tokens(token_hash, kind, user_id, created_by,"     \
                           " created_at, expires_at) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6)")  \
    X(ACCOUNT_LINKS_REVOKE, "UPDATE account_tokens SET expires_at = ?2 WHERE user_id = ?1"         \
                            " AND used_at IS NULL AND expires_at > ?2")                            \
    X(ACCOUNT_LINK_GET, "SELECT kind, user_id, coalesce(created_by, 0), created_at, expires_at,"   \
                        " coalesce(used_at, 0) FROM account_tokens WHERE token_hash = ?1")         \
    X(ACCOUNT_LINK_USE, "UPDATE account_tokens SET used_at = ?2 WHERE token_hash = ?1"             \
                        " AND used_at IS NULL AND expires_at > ?2")                                \
    X(USER_BY_LOGIN, "SELECT id FROM users WHERE email = ?1 COLLATE NOCASE AND role != 'desk'"     \
                     " AND email != '' ORDER BY id LIMIT 1")

#endif
