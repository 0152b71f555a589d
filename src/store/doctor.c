/*
 * The database file's health, for `newsdesk doctor`: its schema version, SQLite's own
 * check of its pages, its free pages and its write-ahead log.
 *
 * This reads the file over a plain read-only connection of its own rather than through
 * store_open, because the files doctor is for are the ones store_open refuses: a schema
 * older than this program (store_open would migrate it for writing, and refuses it for
 * reading), newer, or corrupt. Nothing here changes the file: no migration, no stamp, no
 * checkpoint. So it includes sqlite3.h, as the backup in export.c does for the same kind
 * of connection; both belong to the dialect a second backend replaces.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Rows of the check's answer kept for the message: the first ones say where to look. */
#define DOCTOR_PROBLEMS_SHOWN 3

/* Column 0 of sql's first row as an integer (a PRAGMA); an SQLite result code. */
static int pragma_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(s);
    return rc;
}

/*
 * Appends one finding to out->problems, "; " between them (also between the lines of a
 * row of the check's answer, which can hold several), cut short when full.
 */
static void note(struct store_doctor_facts *out, const char *text)
{
    static const char banner[] = "*** in database main ***\n";
    if (strncmp(text, banner, sizeof(banner) - 1) == 0)
        text += sizeof(banner) - 1;
    size_t len = strlen(out->problems), cap = sizeof(out->problems) - 1;
    for (const char *p = len ? "; " : ""; *p && len < cap; p++)
        out->problems[len++] = *p;
    for (const char *p = text; *p && len + 2 <= cap; p++) {
        if (*p == '\n') {
            out->problems[len++] = ';';
            out->problems[len++] = ' ';
        } else {
            out->problems[len++] = *p;
        }
    }
    out->problems[len] = '\0';
    out->intact = false;
}

/*
 * quick_check (each page and each row's size and format, O(N)) or integrity_check (also
 * every index against its table, O(N log N): minutes on gigabytes), and with the latter
 * foreign_key_check as a backup does. A file too damaged to answer (SQLITE_CORRUPT while
 * preparing or stepping) is a finding too, not an error: the answer is "it is corrupt".
 */
static void check_pages(sqlite3 *db, bool full, struct store_doctor_facts *out)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA %s(%d)", full ? "integrity_check" : "quick_check",
             DOCTOR_PROBLEMS_SHOWN);
    out->intact = true;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    int step = SQLITE_DONE;
    while (rc == SQLITE_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(s, 0);
        if (!row || strcmp(row, "ok") != 0)
            note(out, row ? row : "?");
    }
    if (rc != SQLITE_OK || step != SQLITE_DONE)
        note(out, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    int64_t dangling = 0;
    if (full && out->intact &&
        pragma_int(db, "SELECT count(*) FROM pragma_foreign_key_check", &dangling) == SQLITE_OK &&
        dangling) {
        char text[96];
        snprintf(text, sizeof(text), "%lld rows point at missing rows (foreign_key_check)",
                 (long long)dangling);
        note(out, text);
    }
}

/*
 * The schema's version, owner and size. The header's fields come first: they are read
 * even when the schema table is damaged. page_count and sqlite_schema need the schema
 * parsed; when that fails, the file's size stands in for the pages and the page check
 * says what is wrong.
 */
static int read_header(sqlite3 *db, int64_t file_bytes, struct store_doctor_facts *out)
{
    int64_t app = 0, objects = 0;
    int rc = pragma_int(db, "PRAGMA user_version", &out->schema);
    if (rc == SQLITE_OK)
        rc = pragma_int(db, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(db, "PRAGMA page_size", &out->page_size);
    if (rc == SQLITE_OK)
        rc = pragma_int(db, "PRAGMA freelist_count", &out->free_pages);
    if (rc != SQLITE_OK)
        return rc;
    out->ours = app == STORE_APPLICATION_ID;
    if (pragma_int(db, "PRAGMA page_count", &out->pages) != SQLITE_OK && out->page_size > 0)
        out->pages = file_bytes / out->page_size;
    if (pragma_int(db, "SELECT count(*) FROM sqlite_schema", &objects) == SQLITE_OK)
        out->empty = objects == 0;
    return SQLITE_OK;
}

enum err_code store_doctor_facts(const char *path, bool full, struct store_doctor_facts *out,
                                 struct err *err)
{
    *out = (struct store_doctor_facts){0};
    struct stat sb;
    int64_t file_bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
    char wal[4200];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if (stat(wal, &sb) == 0)
        out->wal_bytes = (int64_t)sb.st_size;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        /* a server's writer holds its lock for milliseconds: wait that out */
        sqlite3_busy_timeout(db, 5000);
        /* nothing in a damaged or foreign file's schema runs on this connection */
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
        rc = read_header(db, file_bytes, out);
    }
    enum err_code code = ERR_OK;
    if ((rc & 0xff) == SQLITE_NOTADB)
        code = err_set(err, ERR_INVALID, "'%s' is not an SQLite database", path);
    else if ((rc & 0xff) == SQLITE_CORRUPT)
        code = err_set(err, ERR_INVALID, "'%s' is corrupt: %s", path, sqlite3_errmsg(db));
    else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        code = err_set(err, ERR_BUSY, "'%s' stayed locked for 5 s", path);
    else if (rc != SQLITE_OK)
        code = err_set(err, ERR_IO, "cannot read '%s': %s", path,
                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (!code)
        check_pages(db, full, out);
    sqlite3_close(db);
    return code;
}
