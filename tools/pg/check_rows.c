/*
 * pg-check-sql's end-to-end part: statements run with values, as the driver will run them
 * (every parameter sent as text with no type, rows read as text), and their results
 * checked: a user, a tag and a post with its body, tag and author; the post published
 * (the feed_at and version triggers); the home page and the tag's page; a search, its
 * count and snippet; the settings upsert and the change log's trim.
 */
#include "tools/pg/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int problems;

/* Runs statement name with n text parameters; NULL (and a problem) when it fails. */
static PGresult *run(PGconn *c, const char *name, int n, const char *const *params)
{
    static char buf[1 << 16];
    const char *sql = check_stmt_text(name, buf, sizeof(buf));
    if (!sql) {
        printf("FAIL %s: no such statement\n", name);
        problems++;
        return NULL;
    }
    PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        printf("FAIL %s (run): %s", name, PQresultErrorMessage(r));
        problems++;
        PQclear(r);
        return NULL;
    }
    return r;
}

/* Whether row, col of r is want; a problem (printed) when not. */
static void expect(PGresult *r, const char *name, int row, int col, const char *want)
{
    const char *got = !r                         ? "(failed)"
                      : row >= PQntuples(r)      ? "(no row)"
                      : col >= PQnfields(r)      ? "(no column)"
                      : PQgetisnull(r, row, col) ? "(null)"
                                                 : PQgetvalue(r, row, col);
    if (strcmp(got, want) != 0) {
        printf("FAIL %s: row %d column %d is '%s', not '%s'\n", name, row, col, got, want);
        problems++;
    }
}

/* Runs name and copies column 0 of its first row (an INSERT's RETURNING id) into out. */
static void run_id(PGconn *c, const char *name, int n, const char *const *params, char *out,
                   size_t cap)
{
    PGresult *r = run(c, name, n, params);
    if (r && PQntuples(r) == 1)
        snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
    else if (r) {
        printf("FAIL %s: no RETURNING row\n", name);
        problems++;
    }
    PQclear(r);
}

static void check(PGconn *c, const char *name, int n, const char *const *params, int row, int col,
                  const char *want)
{
    PGresult *r = run(c, name, n, params);
    expect(r, name, row, col, want);
    PQclear(r);
}

/* A user, a tag, and a draft by the one with the other, its body in Ukrainian. */
static void write_post(PGconn *c, char *user, char *tag, char *post)
{
    const char *u[] = {"ivanka", "Іванка Мельник", "ivanka@example.org", "", "", "", "", "editor",
                       "",       "1700000000"};
    run_id(c, "USER_INSERT", 10, u, user, 32);
    const char *t[] = {"kyiv", "Київ", "1700000000"};
    run_id(c, "TAG_INSERT", 3, t, tag, 32);
    const char *p[] = {"6b7c9a8e-0000-4000-8000-000000000001",
                       "mist",
                       "Міст у Києві",
                       "Новий міст відкрили вчора.",
                       "",
                       "",
                       "draft",
                       "0",
                       "1700000100",
                       "1700000050",
                       "1700000000",
                       "post",
                       "",
                       "",
                       "0",
                       "0",
                       "",
                       "0",
                       "",
                       "0",
                       "0"};
    run_id(c, "POST_INSERT", 21, p, post, 32);
    const char *b[] = {post, "Новий **міст**", "<p>Новий міст</p>",
                       "Новий міст біля Києва відкрили вчора; м'ясо"};
    PQclear(run(c, "POST_BODY_INSERT", 4, b));
    const char *pt[] = {post, tag, "0"};
    PQclear(run(c, "POST_TAG_INSERT", 3, pt));
    const char *pa[] = {post, user, "0"};
    PQclear(run(c, "POST_AUTHOR_INSERT", 3, pa));
    const char *s[] = {post, "0"};
    PQclear(run(c, "SEARCH_PUT", 2, s));
}

static void read_lists(PGconn *c, const char *user, const char *tag, const char *post)
{
    const char *id[] = {post};
    PQclear(run(c, "POST_PUBLISH", 1, id));
    check(c, "POST_VERSION", 1, id, 0, 0, "2");
    const char *all[] = {"0", "0", "10", "0"};
    /* columns: 3 title, 13 tag slug, 17 author name, 19 tag internal */
    check(c, "LIST_ALL", 4, all, 0, 3, "Міст у Києві");
    check(c, "LIST_ALL", 4, all, 0, 13, "kyiv");
    check(c, "LIST_ALL", 4, all, 0, 17, "Іванка Мельник");
    check(c, "LIST_ALL", 4, all, 0, 19, "f");
    const char *by_tag[] = {tag, "0", "10", "0"};
    check(c, "LIST_TAG", 4, by_tag, 0, 0, post);
    const char *by_author[] = {user, "0", "10", "0"};
    check(c, "COUNT_AUTHOR", 2, by_author, 0, 0, "1");
    const char *after[] = {"0", "0", "10", "1900000000", "0"};
    check(c, "AFTER_ALL", 5, after, 0, 0, post);
    const char *slug[] = {"mist"};
    check(c, "POST_BY_SLUG", 1, slug, 0, 3, "Міст у Києві");
}

/*
 * A search as the driver will send it: the tsquery text store_search_match's PostgreSQL
 * form makes of "Київ" (the word, or its stem in the forms, weight D) and of "міст*".
 */
static void search(PGconn *c, const char *post)
{
    const char *q = "('київ' | 'киев':D) & 'міс':*";
    const char *f[] = {q, "", "", "0", "0", "0", "501"};
    check(c, "SEARCH_COUNT", 7, f, 0, 0, "1");
    const char *p[] = {q, "", "", "0", "0", "0", "500", "1700006400", "0", "0", "10"};
    check(c, "SEARCH_PAGE", 11, p, 0, 0, post);
    const char *s[] = {q, post};
    PGresult *r = run(c, "SEARCH_SNIPPET", 2, s);
    if (r && (PQntuples(r) != 1 || !strchr(PQgetvalue(r, 0, 0), '\1'))) {
        printf("FAIL SEARCH_SNIPPET: no marked passage in '%s'\n",
               PQntuples(r) ? PQgetvalue(r, 0, 0) : "(no row)");
        problems++;
    }
    PQclear(r);
    const char *none[] = {"'trolleybus'", "", "", "0", "0", "0", "501"};
    check(c, "SEARCH_COUNT", 7, none, 0, 0, "0");
    PGresult *w = PQexec(c, "SELECT newsdesk_forms('Києві Київ ніччю дорозі м''ясо'),"
                            " newsdesk_fold('м''ясо п’ять it''s ' || chr(1) || 'x')");
    expect(w, "newsdesk_forms", 0, 0, "киев киев неч дорег мяс ");
    expect(w, "newsdesk_fold", 0, 1, "мʼясо пʼять it's  x");
    PQclear(w);
}

static void settings_and_changes(PGconn *c)
{
    const char *a[] = {"title", "Newsdesk"}, *b[] = {"title", "The Desk"}, *k[] = {"title"};
    PQclear(run(c, "SETTING_SET", 2, a));
    PQclear(run(c, "SETTING_SET", 2, b));
    check(c, "SETTING_GET", 1, k, 0, 0, "The Desk");
    const char *ch[] = {"1700000000", "post:1 list"};
    PQclear(run(c, "CHANGE_INSERT", 2, ch));
    PQclear(run(c, "CHANGE_INSERT", 2, ch));
    const char *keep[] = {"1"};
    PQclear(run(c, "CHANGE_TRIM", 1, keep));
    check(c, "CHANGES_OLDEST", 0, NULL, 0, 0, "2");
    const char *after[] = {"5", "1700000000"};
    PQclear(run(c, "EXPORT_CHANGE_AFTER", 2, after));
    PQclear(run(c, "CHANGE_INSERT", 2, ch));
    check(c, "CHANGES_HEAD", 0, NULL, 0, 0, "6");
}

int check_rows(PGconn *c)
{
    char user[32] = "0", tag[32] = "0", post[32] = "0";
    write_post(c, user, tag, post);
    read_lists(c, user, tag, post);
    search(c, post);
    settings_and_changes(c);
    printf("end to end: %s\n", problems ? "failed" : "ok");
    return problems;
}
