/*
 * What the PostgreSQL dialect adds beside the statement texts (sql_pg.h): the placeholder
 * rewrite every text goes through before it is prepared (pg_sql.c), and the PostgreSQL
 * schema (schema_pg.c). Neither needs libpq: they are plain text work, built into every
 * binary, so the checker (tools/pg/check_sql.c) and the driver share one copy.
 */
#ifndef STORE_PG_SQL_H
#define STORE_PG_SQL_H

#include <stddef.h>

/*
 * sql (len bytes, SQLite's placeholders) with PostgreSQL's, written to out (cap bytes,
 * NUL-terminated when cap > 0): ?N becomes $N, and each bare ? becomes $k, k counting the
 * bare ones from 1 in order of appearance. A ? inside a string literal ('...') or a
 * quoted name ("...") is left alone, as is a $N already there (an override's own).
 * Returns the length of the whole rewrite, as snprintf does: out was too small when the
 * result is cap or more (call again with that plus one). Only a bare ? grows, by the
 * digits of its number: 6 * len + 1 bytes are enough for any text under 100,000 bytes.
 */
size_t store_pg_rewrite(const char *sql, size_t len, char *out, size_t cap);

/*
 * The PostgreSQL schema as migrations: migration v (1-based) brings it from v-1 to v, as
 * schema.c's do for SQLite; NULL past the last.
 */
size_t store_pg_migration_count(void);
const char *store_pg_migration_sql(size_t version);

#endif
