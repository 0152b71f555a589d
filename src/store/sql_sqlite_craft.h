/* The statements of corrections and revisions (store/newsroom.c, store/craft.c); part of STORE_SQL
 * (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_CRAFT_H
#define STORE_SQL_SQLITE_CRAFT_H

#define STORE_SQL_CRAFT(X)

#endif
