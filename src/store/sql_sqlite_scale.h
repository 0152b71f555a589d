/* The statements of what a write invalidates at a million posts: sitemap slices and page
 * boundaries; part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_SCALE_H
#define STORE_SQL_SQLITE_SCALE_H

/*
 * One post's place in a list (posts.c, store_feed_key): ?1 the tag or author (unused for
 * the whole feed), ?2 the post; no row when the list does not hold it. The columns are
 * those of KEYS_*: published_at (feed_at), id, lastmod. All, tag, author in a row.
 */
#define STORE_SQL_SCALE(X)                                                                         \
    X(FEED_KEY_ALL, "SELECT published_at, id, max(updated_at, published_at) FROM posts"            \
                    " WHERE id = ?2 AND status = 'published' AND type = 'post' AND ?1 = 0")        \
    X(FEED_KEY_TAG, "SELECT feed_at, post_id, feed_at FROM post_tags"                              \
                    " WHERE tag_id = ?1 AND post_id = ?2 AND feed_at IS NOT NULL")                 \
    X(FEED_KEY_AUTHOR, "SELECT feed_at, post_id, feed_at FROM post_authors"                        \
                       " WHERE user_id = ?1 AND post_id = ?2 AND feed_at IS NOT NULL")             \
    /* a posts sitemap file from a cursor (posts.c): ?1, ?2 the cursor, ?3 limit */                \
    X(SITEMAP_POSTS_AFTER, SQL_SITEMAP_COLS " FROM posts WHERE status = 'published'"               \
                                            " AND type = 'post' AND (published_at, id) < (?1, ?2)" \
                                            " ORDER BY published_at DESC, id DESC LIMIT ?3")

#endif
