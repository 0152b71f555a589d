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
                        " coalesce(key_id, '') FROM api_keys WHERE key_id = ?1")                   \
    X(ADMIN_POST_BY_GHOST_ID, "SELECT id FROM posts WHERE ghost_id = ?1")                          \
    X(ADMIN_TAG_BY_GHOST_ID, "SELECT id FROM tags WHERE ghost_id = ?1")                            \
    X(ADMIN_USER_BY_GHOST_ID, "SELECT id FROM users WHERE ghost_id = ?1")                          \
    X(ADMIN_TAG_UNLINK, "DELETE FROM post_tags WHERE tag_id = ?1")                                 \
    X(ADMIN_TAG_DELETE, "DELETE FROM tags WHERE id = ?1")

/* The Admin API's browse: every status, Ghost's default order (scheduled, drafts, then the rest) */
#define SQL_ADMIN_POSTS_FROM " FROM posts p WHERE p.type = 'post'"
#define SQL_ADMIN_PAGES_FROM " FROM posts p WHERE p.type = 'page'"
#define SQL_ADMIN_TAGS_FROM " FROM tags t WHERE 1 = 1" /* a truth value in both dialects */
#define SQL_ADMIN_POSTS_ORDER                                                                      \
    "CASE p.status WHEN 'scheduled' THEN 1 WHEN 'draft' THEN 2 ELSE 3 END ASC,"                    \
    " p.published_at DESC, p.updated_at DESC"

#endif
