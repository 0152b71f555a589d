/* Shared by the two files of pg-check-sql (tools/pg/check_sql.c, check_rows.c). */
#ifndef TOOLS_PG_CHECK_H
#define TOOLS_PG_CHECK_H

#include <libpq-fe.h>
#include <stddef.h>

/* Statement name's PostgreSQL text: its override, else its SQLite text rewritten into buf
 * (cap bytes). NULL for an unknown name or a text too long for buf. */
const char *check_stmt_text(const char *name, char *buf, size_t cap);
/* How many statements have an override in sql_pg.h. */
size_t check_override_count(void);
/* Runs a script; 0, or 1 after printing the server's message. */
int check_exec(PGconn *c, const char *what, const char *sql);
/* Runs a few statements end to end and checks what they give; the number of problems. */
int check_rows(PGconn *c);

#endif
