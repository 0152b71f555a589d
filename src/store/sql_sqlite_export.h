/* The statements of export, backup and restore (store/export.c); part of STORE_SQL (sql_sqlite.h).
 */
#ifndef STORE_SQL_SQLITE_EXPORT_H
#define STORE_SQL_SQLITE_EXPORT_H

#define STORE_SQL_EXPORT(X)

#endif
