/*
 * The statement layer (store_int.h): binders, column readers and row tables, the
 * per-connection cache, the write-transaction helper, and the schema version. These test
 * store/'s internal header on purpose: it is the contract every file of store/ is
 * written against.
 */
#include "store/store_int.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TestSuite(store_stmt, .init = setup, .fini = teardown);

/* A one-off statement from literal SQL (tests only: the store names its statements). */
static void prepare(struct store *s, const char *sql, struct store_q *q, struct err *err)
{
    store_q_prepare(s, sql, strlen(sql), q, err);
}

Test(store_stmt, binders_bind_what_their_type_says)
{
    struct store_q q;
    struct err err = {0};
    prepare(
        st,
        "SELECT ?1, typeof(?1), ?2, typeof(?2), length(CAST(?2 AS BLOB)), typeof(?3), typeof(?4),"
        " ?5, typeof(?6), hex(?7)",
        &q, &err);
    store_bind_i64(&q, 1, INT64_MIN);
    store_bind_str(&q, 2, (struct str){"ab\0cd", 5}); /* a slice, NUL and all */
    store_bind_str(&q, 3, STR_NULL);                  /* an empty slice is '', not NULL */
    store_bind_text(&q, 4, NULL);                     /* a NULL C string is NULL */
    store_bind_text(&q, 5, "kyiv");
    store_bind_null(&q, 6);
    store_bind_blob(&q, 7, "\x01\xff", 2);
    cr_assert(store_q_next(&q));
    cr_expect_eq(store_col_i64(&q, 0), INT64_MIN);
    cr_expect(str_eq_cstr(store_col_str(&q, 1, &a), "integer"));
    struct str two = store_col_str(&q, 2, &a);
    cr_expect_eq(two.len, 5);
    cr_expect(memcmp(two.ptr, "ab\0cd", 5) == 0);
    cr_expect(str_eq_cstr(store_col_str(&q, 3, &a), "text"));
    cr_expect_eq(store_col_i64(&q, 4), 5);
    cr_expect(str_eq_cstr(store_col_str(&q, 5, &a), "text"));
    cr_expect(str_eq_cstr(store_col_str(&q, 6, &a), "null"));
    cr_expect(str_eq_cstr(store_col_str(&q, 7, &a), "kyiv"));
    cr_expect(str_eq_cstr(store_col_str(&q, 8, &a), "null"));
    cr_expect(str_eq_cstr(store_col_str(&q, 9, &a), "01FF"));
    cr_expect(!store_q_next(&q));
    cr_assert_eq(store_q_end(&q, "cannot read", &err), ERR_OK, "%s", err.msg);
}

Test(store_stmt, a_bad_bind_is_reported_once_at_the_end)
{
    struct store_q q;
    struct err err = {0};
    prepare(st, "SELECT ?1", &q, &err);
    store_bind_i64(&q, 2, 7); /* the statement has one parameter */
    store_bind_i64(&q, 1, 7); /* later binds do not hide the first failure */
    cr_expect(!store_q_next(&q), "a statement with a failed bind must not run");
    cr_assert_eq(store_q_end(&q, "cannot bind", &err), ERR_INTERNAL);
    cr_expect(strstr(err.msg, "cannot bind"), "%s", err.msg);
}

Test(store_stmt, a_failed_prepare_makes_the_statement_inert)
{
    struct store_q q;
    struct err err = {0};
    prepare(st, "SELEC 1", &q, &err);
    cr_expect(strstr(err.msg, "cannot prepare"), "%s", err.msg);
    store_bind_i64(&q, 1, 1);
    store_bind_text(&q, 2, "x");
    cr_expect(!store_q_next(&q));
    struct err later = {0};
    cr_expect_eq(store_q_end(&q, "unused", &later), ERR_INTERNAL);
    cr_expect_eq(later.msg[0], '\0', "the open's error is not reported twice: %s", later.msg);
}

struct sample {
    int64_t id;
    struct str name;
    bool flag;
    int64_t untouched;
};

static const struct store_col sample_cols[] = {
    STORE_COL(struct sample, 0, id),
    STORE_COL(struct sample, 2, name), /* columns in any order, some skipped */
    STORE_COL(struct sample, 1, flag),
};

Test(store_stmt, a_column_table_reads_a_row_into_a_struct)
{
    cr_expect_eq(sample_cols[1].kind, STORE_COL_STR);
    cr_expect_eq(sample_cols[2].kind, STORE_COL_BOOL);
    cr_expect_eq(sample_cols[2].off, offsetof(struct sample, flag));
    struct store_q q;
    struct err err = {0};
    prepare(st, "SELECT 42, 2, 'Київ' UNION ALL SELECT 43, 0, NULL", &q, &err);
    struct sample s[2] = {{.untouched = 9}, {.untouched = 9}};
    cr_assert(store_q_next(&q));
    store_read_row(&q, STORE_ROW(sample_cols), &a, &s[0]);
    cr_assert(store_q_next(&q));
    store_read_row(&q, STORE_ROW(sample_cols), &a, &s[1]);
    cr_assert_eq(store_q_end(&q, "cannot read", &err), ERR_OK);
    /* the text was copied: it outlives the statement */
    cr_expect_eq(s[0].id, 42);
    cr_expect(s[0].flag);
    cr_expect(str_eq_cstr(s[0].name, "Київ"));
    cr_expect_eq(s[0].name.ptr[s[0].name.len], '\0');
    cr_expect_eq(s[1].id, 43);
    cr_expect(!s[1].flag);
    cr_expect(s[1].name.ptr && s[1].name.len == 0, "NULL text reads as \"\"");
    cr_expect_eq(s[0].untouched, 9);
}

static const char *const count_to =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300)"
    " SELECT x FROM c";

Test(store_stmt, rows_grow_past_their_first_allocation_and_stop_at_max)
{
    struct store_q q;
    struct err err = {0};
    prepare(st, count_to, &q, &err);
    void *v;
    size_t n;
    cr_assert_eq(store_q_rows(&q, sizeof(int64_t), 100000, &store_row_i64, &a, &v, &n, &err),
                 ERR_OK, "%s", err.msg);
    cr_assert_eq(n, 300);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(((int64_t *)v)[i], (int64_t)i + 1);
    prepare(st, count_to, &q, &err);
    cr_assert_eq(store_q_rows(&q, sizeof(int64_t), 5, &store_row_i64, &a, &v, &n, &err), ERR_OK);
    cr_expect_eq(n, 5);
    prepare(st, "SELECT 1 WHERE 0", &q, &err);
    cr_assert_eq(store_q_row(&q, &store_row_i64, &a, &(int64_t){0}, "thing", &err), ERR_NOTFOUND);
    cr_expect(strstr(err.msg, "no such thing"), "%s", err.msg);
}

Test(store_stmt, a_named_statement_is_prepared_once_per_connection)
{
    cr_assert_null(st->stmts[STMT_SETTING_GET], "nothing is prepared before it is used");
    struct str v;
    cr_assert_eq(store_setting_get(st, "title", &a, &v, NULL), ERR_NOTFOUND);
    struct sqlite3_stmt *first = st->stmts[STMT_SETTING_GET];
    cr_assert_not_null(first);
    struct store_q q;
    store_q_open(st, STMT_SETTING_GET, &q, NULL);
    cr_expect_eq(q.s, first, "the cache hands out the statement it prepared");
    cr_expect(!q.owned);
    store_q_end(&q, "unused", NULL);
    cr_assert_eq(store_setting_get(st, "title", &a, &v, NULL), ERR_NOTFOUND);
    cr_expect_eq(st->stmts[STMT_SETTING_GET], first, "and prepares it no second time");
    cr_expect_null(st->stmts[STMT_SETTINGS_ALL], "other statements stay unprepared");
}

Test(store_stmt, a_statement_left_early_does_not_keep_the_reader_in_the_past)
{
    cr_assert_eq(store_setting_set(st, "title", STR_LIT("old"), NULL), ERR_OK);
    cr_assert_eq(store_setting_set(st, "url", STR_LIT("x"), NULL), ERR_OK);
    struct store *reader;
    cr_assert_eq(store_open(db.path, STORE_READ, &reader, NULL), ERR_OK);
    /* one row of two: the read stops before the end, and must still end */
    size_t n;
    struct store_q q;
    store_q_open(reader, STMT_SETTINGS_ALL, &q, NULL);
    void *v;
    cr_assert_eq(store_q_rows(&q, sizeof(struct str), 1, &store_row_str, &a, &v, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(store_setting_set(st, "title", STR_LIT("new"), NULL), ERR_OK);
    struct str title;
    cr_assert_eq(store_setting_get(reader, "title", &a, &title, NULL), ERR_OK);
    cr_expect(str_eq_cstr(title, "new"), "the reader saw '%.*s'", (int)title.len, title.ptr);
    store_close(reader);
}

/* ---- store_tx_begin / store_tx_end ------------------------------------------------ */

static struct str setting(struct store *s, const char *key)
{
    struct str v = STR_LIT("(unset)");
    store_setting_get(s, key, &a, &v, NULL);
    return v;
}

Test(store_stmt, tx_end_commits_work_that_succeeded)
{
    uint64_t stamp = atomic_load(store_stamp(st));
    struct err err = {0};
    cr_assert_eq(store_tx_begin(st, &err), ERR_OK, "%s", err.msg);
    enum err_code rc = store_setting_set(st, "title", STR_LIT("Desk"), &err);
    cr_assert_eq(store_tx_end(st, rc, &err), ERR_OK, "%s", err.msg);
    struct store *other;
    cr_assert_eq(store_open(db.path, STORE_READ, &other, NULL), ERR_OK);
    cr_expect(str_eq_cstr(setting(other, "title"), "Desk"), "another connection sees it");
    store_close(other);
    cr_expect_eq(atomic_load(store_stamp(st)), stamp + 1, "and the change stamp moved");
    cr_expect(!store_db_in_tx(st));
}

Test(store_stmt, tx_end_rolls_back_work_that_failed_and_returns_its_error)
{
    uint64_t stamp = atomic_load(store_stamp(st));
    struct err err = {0};
    cr_assert_eq(store_tx_begin(st, &err), ERR_OK);
    cr_assert_eq(store_setting_set(st, "title", STR_LIT("Desk"), &err), ERR_OK);
    err_set(&err, ERR_INVALID, "the caller's reason");
    cr_assert_eq(store_tx_end(st, ERR_INVALID, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "the caller's reason"), "%s", err.msg);
    cr_expect(str_eq_cstr(setting(st, "title"), "(unset)"));
    cr_expect_eq(atomic_load(store_stamp(st)), stamp);
    cr_expect(!store_db_in_tx(st));
    /* the lock was released: the next write proceeds */
    cr_assert_eq(store_tx_begin(st, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(store_tx_end(st, ERR_OK, &err), ERR_OK);
}

Test(store_stmt, a_second_begin_on_one_thread_is_an_error_not_a_deadlock)
{
    struct err err = {0};
    cr_assert_eq(store_tx_begin(st, &err), ERR_OK);
    cr_expect_eq(store_tx_begin(st, &err), ERR_INTERNAL);
    cr_expect(strstr(err.msg, "cannot begin"), "%s", err.msg);
    cr_assert_eq(store_tx_end(st, ERR_OK, &err), ERR_OK, "%s", err.msg);
}

struct counter_job {
    struct store *st;
    int rounds;
    int failures;
};

/* Reads a number setting and writes it back one higher, in one transaction. */
static enum err_code bump(struct store *s, struct arena *ar, struct err *err)
{
    struct str v = STR_LIT("0");
    enum err_code rc = store_setting_get(s, "n", ar, &v, err);
    int64_t n = 0;
    if (rc && rc != ERR_NOTFOUND)
        return rc;
    str_to_i64(v, &n);
    return store_setting_set(s, "n", str_from(arena_printf(ar, "%lld", (long long)n + 1)), err);
}

static void *count_up(void *arg)
{
    struct counter_job *job = arg;
    struct arena ar;
    arena_init(&ar);
    for (int i = 0; i < job->rounds; i++) {
        struct err err = {0};
        enum err_code rc = store_tx_begin(job->st, &err);
        if (!rc)
            rc = store_tx_end(job->st, bump(job->st, &ar, &err), &err);
        job->failures += rc != ERR_OK;
    }
    arena_release(&ar);
    return NULL;
}

Test(store_stmt, threads_sharing_the_writer_take_turns)
{
    /* the connection is opened without SQLite's own mutex: only ours keeps this sane */
    struct counter_job jobs[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct counter_job){st, 50, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, count_up, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_expect_eq(jobs[i].failures, 0);
    }
    cr_expect(str_eq_cstr(setting(st, "n"), "200"), "got %.*s", (int)setting(st, "n").len,
              setting(st, "n").ptr);
}

Test(store_stmt, a_begin_that_fails_releases_the_lock, .timeout = 30)
{
    /* another connection holds the write lock past the busy timeout (5 s) */
    struct store *holder;
    struct err err = {0};
    cr_assert_eq(store_open(db.path, STORE_WRITE, &holder, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(store_tx_begin(holder, &err), ERR_OK);
    cr_assert_eq(store_tx_begin(st, &err), ERR_BUSY, "%s", err.msg);
    store_tx_end(holder, ERR_INVALID, NULL);
    store_close(holder);
    /* had the failed begin kept the mutex, this would be EDEADLK (ERR_INTERNAL) */
    cr_assert_eq(store_tx_begin(st, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(store_tx_end(st, ERR_OK, &err), ERR_OK, "%s", err.msg);
}

/* ---- the schema version ----------------------------------------------------------- */

Test(store_stmt, a_new_database_is_at_the_version_of_the_last_migration)
{
    cr_expect_eq(store_migration_count(), STORE_SCHEMA_VERSION);
    cr_expect_not_null(store_migration_sql(STORE_SCHEMA_VERSION));
    cr_expect_null(store_migration_sql(STORE_SCHEMA_VERSION + 1));
    int64_t version = 0, app = 0, objects = 0;
    cr_assert_eq(store_db_schema(st, &version, &app, &objects, NULL), ERR_OK);
    cr_expect_eq(version, STORE_SCHEMA_VERSION);
    cr_expect_eq(app, STORE_APPLICATION_ID);
}
