/* The statements of breaking news, labels and pins (store/desk.c); part of STORE_SQL
 * (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_DESK_H
#define STORE_SQL_SQLITE_DESK_H

/*
 * Both lookups walk a partial index of a handful of rows (posts_breaking, posts_pinned):
 * every page asks for the banner, and the first page of the home feed and of a section
 * for its pinned post. ?2 of BREAKING_NOW is now: a post past its expiry is not shown
 * even in the quarter second before the scheduler clears it.
 */
#define STORE_SQL_DESK(X)                                                                          \
    X(BREAKING_NOW, "SELECT id, slug, title, label FROM posts INDEXED BY posts_breaking"           \
                    " WHERE breaking = 1 AND status = 'published'"                                 \
                    " AND (breaking_until IS NULL OR breaking_until > ?2)"                         \
                    " ORDER BY published_at DESC, id DESC LIMIT ?1")                               \
    X(PINNED_FIRST,                                                                                \
      "SELECT " SQL_TEASER_COLS " FROM posts p INDEXED BY posts_pinned" SQL_PRIMARY_JOINS          \
      " WHERE p.pinned != 0 AND (p.pinned & ?1) != 0 AND p.status = 'published'"                   \
      " AND p.type = 'post' AND (?2 = 0 OR ppt.tag_id = ?2)"                                       \
      " ORDER BY p.published_at DESC, p.id DESC LIMIT 1")                                          \
    X(BREAKING_DUE, "SELECT id FROM posts WHERE breaking = 1 AND breaking_until <= ?1"             \
                    " ORDER BY breaking_until LIMIT ?2")                                           \
    X(BREAKING_CLEAR, "UPDATE posts SET breaking = 0, breaking_until = NULL WHERE id = ?1")        \
    X(BREAKING_NEXT, "SELECT coalesce(min(breaking_until), 0) FROM posts"                          \
                     " WHERE breaking = 1 AND breaking_until IS NOT NULL")                         \
    X(POST_ON_DESK, "SELECT breaking, pinned FROM posts WHERE id = ?1")

#endif
