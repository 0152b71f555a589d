/*
 * pg-check-sql URL: checks the PostgreSQL dialect against a live server (tools/pg-check.sh
 * starts a throwaway one).
 *
 * It makes the schema of schema_pg.c in the database URL names (which must be empty),
 * then prepares every named statement as the driver will: the override of sql_pg.h when
 * there is one, else the SQLite text through store_pg_rewrite. Each statement the server
 * refuses is listed with the server's message, and so is each parameter the server typed
 * as a 32-bit integer (a time or an id past 2^31 would not fit). The Content API's SQL,
 * assembled at run time from the fragments of sql_sqlite.h (or their SQL_PG_ versions),
 * is prepared in a few representative shapes. Then a few statements run end to end
 * (tools/pg/check_rows.c): a user, a tag, a post with its body, the home page's list, a
 * search. Exit status 1 when anything failed.
 */
#include "store/pg_sql.h"
#include "store/sql_pg.h"
#include "store/sql_sqlite.h"
#include "tools/pg/check.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the OID of PostgreSQL's int4 (pg_type.dat) */
#define INT4_OID 23

enum check_stmt {
#define CHECK_ENUM(name, sql) CHECK_##name,
    STORE_SQL(CHECK_ENUM)
#undef CHECK_ENUM
        CHECK__COUNT
};

static const char *const sqlite_text[CHECK__COUNT] = {
#define CHECK_SQLITE(name, sql) [CHECK_##name] = sql,
    STORE_SQL(CHECK_SQLITE)
#undef CHECK_SQLITE
};

static const char *const names[CHECK__COUNT] = {
#define CHECK_NAME(name, sql) [CHECK_##name] = #name,
    STORE_SQL(CHECK_NAME)
#undef CHECK_NAME
};

/* An override of a name STORE_SQL lacks fails to compile here; a second one for a name
 * too (-Woverride-init, in -Wextra). */
static const char *const pg_text[CHECK__COUNT] = {
#define CHECK_PG(name, sql) [CHECK_##name] = sql,
    STORE_SQL_PG(CHECK_PG)
#undef CHECK_PG
};

const char *check_stmt_text(const char *name, char *buf, size_t cap)
{
    for (size_t i = 0; i < CHECK__COUNT; i++) {
        if (strcmp(names[i], name) != 0)
            continue;
        if (pg_text[i])
            return pg_text[i];
        size_t n = store_pg_rewrite(sqlite_text[i], strlen(sqlite_text[i]), buf, cap);
        return n < cap ? buf : NULL;
    }
    return NULL;
}

/* Prepares sql as name; prints what fails. Returns the number of problems (0, 1 or more). */
static int prepare_one(PGconn *c, const char *name, const char *sql)
{
    PGresult *r = PQprepare(c, "", sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        printf("FAIL %s: %s    %s\n", name, PQresultErrorMessage(r), sql);
        PQclear(r);
        return 1;
    }
    PQclear(r);
    r = PQdescribePrepared(c, "");
    int bad = 0;
    for (int i = 0; PQresultStatus(r) == PGRES_COMMAND_OK && i < PQnparams(r); i++) {
        if (PQparamtype(r, i) == INT4_OID) {
            printf("INT4 %s: $%d is typed integer (32-bit)\n", name, i + 1);
            bad++;
        }
    }
    PQclear(r);
    return bad;
}

static int prepare_statements(PGconn *c)
{
    int bad = 0;
    char *buf = malloc(1 << 20);
    if (!buf)
        return 1;
    for (size_t i = 0; i < CHECK__COUNT; i++) {
        /* an override is PostgreSQL's text as it is: a ? in it is a slip */
        if (pg_text[i] &&
            store_pg_rewrite(pg_text[i], strlen(pg_text[i]), buf, 1 << 20) != strlen(pg_text[i])) {
            printf("FAIL %s: its override has a ? placeholder (sql_pg.h texts use $N)\n", names[i]);
            bad++;
        }
        const char *sql = check_stmt_text(names[i], buf, 1 << 20);
        bad += sql ? prepare_one(c, names[i], sql) : 1;
    }
    free(buf);
    printf("%zu statements prepared, %zu with a PostgreSQL text of their own\n",
           (size_t)CHECK__COUNT, check_override_count());
    return bad;
}

size_t check_override_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < CHECK__COUNT; i++)
        n += pg_text[i] != NULL;
    return n;
}

/* The fragments api.c assembles, in the PostgreSQL version where one differs. */
#ifdef SQL_PG_ADMIN_TAGS_FROM
#define API_ADMIN_TAGS_FROM SQL_PG_ADMIN_TAGS_FROM
#else
#define API_ADMIN_TAGS_FROM SQL_ADMIN_TAGS_FROM
#endif

/* Content API queries as api.c's compile() builds them: bare ?s, numbered by the rewrite. */
static const char *const api_shapes[] = {
    "SELECT p.id" SQL_API_POSTS_FROM " AND (" SQL_API_TAG_REL "t.slug = ?)"
    " AND p.featured = ? AND p.published_at >= ?) ORDER BY p.published_at DESC, p.id DESC"
    " LIMIT ? OFFSET ?",
    "SELECT count(*)" SQL_API_PAGES_FROM " AND (NOT " SQL_API_PTAG_REL "t.slug IN (?, ?))"
    " OR " SQL_API_PAUTHOR_REL "u.slug = ?) OR (p.id IN (?, ?) OR p.ghost_id IN (?)))",
    "SELECT " SQL_API_TAG_COLS SQL_API_TAGS_FROM " AND (t.name LIKE ? ESCAPE '\\'"
    " OR (t.description IS NULL OR t.description = '')) ORDER BY CASE WHEN t.slug = ? THEN 0"
    " WHEN t.slug = ? THEN 1 END, t.id ASC LIMIT ? OFFSET ?",
    "SELECT " SQL_API_AUTHOR_COLS SQL_API_AUTHORS_FROM " AND (u.name = ? OR u.website LIKE ?"
    " ESCAPE '\\') ORDER BY u.name ASC, u.id ASC LIMIT ? OFFSET ?",
    "SELECT p.id" SQL_ADMIN_POSTS_FROM " AND p.status != ?"
    " ORDER BY " SQL_ADMIN_POSTS_ORDER ", p.id DESC LIMIT ? OFFSET ?",
    "SELECT count(*)" SQL_ADMIN_PAGES_FROM,
    "SELECT " SQL_API_TAG_COLS API_ADMIN_TAGS_FROM " AND t.visibility = ?"
    " ORDER BY t.name ASC, t.id ASC LIMIT ? OFFSET ?",
};

static int prepare_api(PGconn *c)
{
    int bad = 0;
    char buf[16384];
    for (size_t i = 0; i < sizeof(api_shapes) / sizeof(api_shapes[0]); i++) {
        char name[32];
        snprintf(name, sizeof(name), "content api shape %zu", i + 1);
        size_t n = store_pg_rewrite(api_shapes[i], strlen(api_shapes[i]), buf, sizeof(buf));
        bad += n < sizeof(buf) ? prepare_one(c, name, buf) : 1;
    }
    return bad;
}

/* Runs a script (the schema, the staging tables); prints the server's message on failure. */
int check_exec(PGconn *c, const char *what, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        printf("FAIL %s: %s", what, PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : 1;
}

static int make_schema(PGconn *c)
{
    for (size_t v = 1; v <= store_pg_migration_count(); v++) {
        char what[32];
        snprintf(what, sizeof(what), "migration %zu", v);
        const char *sql = store_pg_migration_sql(v);
        if (*sql && check_exec(c, what, sql))
            return 1;
    }
    printf("schema: %zu migrations\n", store_pg_migration_count());
    /* the importer's staging tables, as store_stage_begin makes them */
    return check_exec(c, "the staging tables", SQL_PG_IMPORT_STAGING_CREATE);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pg-check-sql URL (an empty database)\n");
        return 2;
    }
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "pg-check-sql: cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return 1;
    }
    check_exec(c, "quiet", "SET client_min_messages = warning");
    int bad = make_schema(c);
    if (!bad) {
        bad += prepare_statements(c);
        bad += prepare_api(c);
        bad += check_rows(c);
    }
    PQfinish(c);
    printf(bad ? "pg-check-sql: %d problems\n" : "pg-check-sql: ok\n", bad);
    return bad ? 1 : 0;
}
