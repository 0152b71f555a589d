/* The statements of the importers (store/import.c): staging, the id map, checkpoints, redirects;
 * part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_IMPORT_H
#define STORE_SQL_SQLITE_IMPORT_H

#define STORE_SQL_IMPORT(X)

#endif
