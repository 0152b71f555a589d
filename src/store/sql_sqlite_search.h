/* The statements of the full-text index (store/search.c); part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_SEARCH_H
#define STORE_SQL_SQLITE_SEARCH_H

#define STORE_SQL_SEARCH(X)

#endif
