/* The statements of the tips inbox (store/tips.c); part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_TIPS_H
#define STORE_SQL_SQLITE_TIPS_H

#define STORE_SQL_TIPS(X)

#endif
