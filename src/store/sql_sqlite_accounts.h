/* The statements of one-time account links (store/accounts.c); part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_ACCOUNTS_H
#define STORE_SQL_SQLITE_ACCOUNTS_H

#define STORE_SQL_ACCOUNTS(X)

#endif
