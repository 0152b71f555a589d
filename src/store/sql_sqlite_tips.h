/* The statements of the tips inbox (store/tips.c); part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_TIPS_H
#define STORE_SQL_SQLITE_TIPS_H

/* A tip with what the inbox shows of it (tips.c tip_cols): columns 0..17 */
#define SQL_TIP_SELECT                                                                             \
    "SELECT t.id, t.created_at, t.name, t.email, t.link, t.message, t.about, t.address,"           \
    " coalesce(t.handled_at, 0), coalesce(h.name, ''), coalesce(t.post_id, 0), t.page,"            \
    " coalesce(p.title, ''), coalesce(t.read_at, 0), coalesce(t.assigned_to, 0),"                  \
    " coalesce(a.name, ''), coalesce(t.draft_id, 0), coalesce(d.title, '') FROM tips t"            \
    " LEFT JOIN users h ON h.id = t.handled_by LEFT JOIN posts p ON p.id = t.post_id"              \
    " LEFT JOIN users a ON a.id = t.assigned_to LEFT JOIN posts d ON d.id = t.draft_id"
/*
 * The inbox's filters: ?1 whose (0 all, 1 assigned to ?2, 2 unassigned), ?3 state (0 all,
 * 1 unread, 2 not handled, 3 handled)
 */
#define SQL_TIPS_WHERE                                                                             \
    " WHERE (?1 = 0 OR (?1 = 1 AND t.assigned_to = ?2) OR (?1 = 2 AND t.assigned_to IS NULL))"     \
    " AND (?3 = 0 OR (?3 = 1 AND t.read_at IS NULL) OR (?3 = 2 AND t.handled_at IS NULL)"          \
    " OR (?3 = 3 AND t.handled_at IS NOT NULL))"

#define STORE_SQL_TIPS(X)                                                                          \
    X(TIP_INSERT, "INSERT INTO tips(created_at, name, email, link, message, about, address,"       \
                  " post_id, page) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9)")        \
    X(TIP_PHOTO_INSERT, "INSERT OR IGNORE INTO tip_photos(tip_id, media_id, sort_order)"           \
                        " VALUES (?1, ?2, ?3)")                                                    \
    X(TIPS_COUNT, "SELECT count(*) FROM tips t" SQL_TIPS_WHERE)                                    \
    X(TIPS_OPEN, "SELECT count(*) FROM tips WHERE handled_at IS NULL")                             \
    /* the header's count on every newsroom page: the partial index tips_unread */                 \
    X(TIPS_UNREAD, "SELECT count(*) FROM tips WHERE read_at IS NULL")                              \
    X(TIPS_PAGE,                                                                                   \
      SQL_TIP_SELECT SQL_TIPS_WHERE " ORDER BY t.created_at DESC, t.id DESC LIMIT ?4 OFFSET ?5")   \
    X(TIP_BY_ID, SQL_TIP_SELECT " WHERE t.id = ?1")                                                \
    X(TIP_HANDLE, "UPDATE tips SET handled_at = CASE WHEN ?2 THEN ?3 END,"                         \
                  " handled_by = nullif(?2, 0), read_at = coalesce(read_at, ?3) WHERE id = ?1")    \
    X(TIP_READ, "UPDATE tips SET read_at = CASE WHEN ?2 THEN coalesce(read_at, ?3) END"            \
                " WHERE id = ?1")                                                                  \
    X(TIP_ASSIGN, "UPDATE tips SET assigned_to = nullif(?2, 0) WHERE id = ?1")                     \
    X(TIP_DRAFT, "UPDATE tips SET draft_id = ?2 WHERE id = ?1")                                    \
    X(TIP_OF_DRAFT, "SELECT id FROM tips WHERE draft_id = ?1 ORDER BY id LIMIT 1")                 \
    X(TIP_PHOTOS, "SELECT " SQL_MEDIA_COLS " FROM media WHERE id IN (SELECT media_id"              \
                  " FROM tip_photos WHERE tip_id = ?1) ORDER BY (SELECT sort_order"                \
                  " FROM tip_photos WHERE tip_id = ?1 AND media_id = media.id) LIMIT ?2")          \
    /* a tip's own photos go with it; one another tip or the library also has stays */             \
    X(TIP_PHOTOS_DROP, "DELETE FROM media WHERE private = 1 AND id IN (SELECT media_id"            \
                       " FROM tip_photos WHERE tip_id = ?1) AND NOT EXISTS (SELECT 1"              \
                       " FROM tip_photos o WHERE o.media_id = media.id AND o.tip_id != ?1)"        \
                       " RETURNING key")                                                           \
    X(TIP_DELETE, "DELETE FROM tips WHERE id = ?1")                                                \
    X(MEDIA_PUBLISH, "UPDATE media SET private = 0, updated_at = ?2 WHERE key = ?1")

#endif
