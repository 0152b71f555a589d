/* The statements of what a write invalidates at a million posts: sitemap slices and page
 * boundaries; part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_SCALE_H
#define STORE_SQL_SQLITE_SCALE_H

#define STORE_SQL_SCALE(X)

#endif
