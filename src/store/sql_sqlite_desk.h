/* The statements of breaking news, labels and pins (store/desk.c); part of STORE_SQL
 * (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_DESK_H
#define STORE_SQL_SQLITE_DESK_H

#define STORE_SQL_DESK(X)

#endif
