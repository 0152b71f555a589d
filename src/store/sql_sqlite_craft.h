/* The statements of corrections and revisions (store/newsroom.c, store/craft.c); part of STORE_SQL
 * (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_CRAFT_H
#define STORE_SQL_SQLITE_CRAFT_H

#define STORE_SQL_CRAFT(X)                                                                         \
    /* what a feed item adds to a list's post: its correction and its last update (craft.c) */     \
    X(POST_CORRECTION, "SELECT correction, coalesce(corrected_at, 0), coalesce(revised_at, 0)"     \
                       " FROM posts WHERE id = ?1")

#endif
