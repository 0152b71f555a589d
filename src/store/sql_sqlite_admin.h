/* The statements of the Admin API (store/admin.c): keys, tags, users; part of STORE_SQL
 * (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_ADMIN_H
#define STORE_SQL_SQLITE_ADMIN_H

#define STORE_SQL_ADMIN(X)

#endif
