/* The statements of the site's look and navigation; part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_LOOK_H
#define STORE_SQL_SQLITE_LOOK_H

#define STORE_SQL_LOOK(X)

#endif
