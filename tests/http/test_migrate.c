/*
 * newsdesk migrate: a whole site from SQLite to PostgreSQL and back, as a newsroom that
 * outgrows one machine moves (and as one that moves back). Each test starts a PostgreSQL
 * cluster of its own and makes a site on SQLite with what a working newsroom has: posts,
 * photos, an editor with a password and a session, revisions, an API key, the audit log.
 *
 * What is checked is what the newsroom would see: after the copy, a server on the new
 * database serves the same pages and the same photo bytes, the editor's session and the
 * API key still work, search finds the posts, and the next post gets an id after the
 * copied ones. The copy's report is checked against the source's own counts, and a round
 * trip must give the same counts and checksums. A refused or failed migrate must leave
 * the destination as it was.
 */
#include "cluster.h"
#include "photos.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PW "correct horse battery"

static char pgdir[64];
static char *pg_url;
static struct srv site;
/* servers on the migrated databases: stopped by the teardown too, should a test fail */
static struct srv on_pg, on_back;

static void setup(void)
{
    unsetenv("NEWSDESK_TEST_PG"); /* the site starts on SQLite whatever the pass */
    pg_url = pg_cluster_start(pgdir);
    srv_prepare(&site, 12);
    cr_assert_eq(staff_add(&site, "editor@example.org", "Eda Editor", "editor", PW), 0);
}

static void teardown(void)
{
    srv_stop(&on_back);
    srv_stop(&on_pg);
    srv_stop(&site);
    srv_cleanup(&site);
    pg_cluster_stop(pgdir);
    free(pg_url);
}

TestSuite(http_migrate, .init = setup, .fini = teardown, .timeout = 240);

/* newsdesk migrate --from from --to to; its exit status, standard output and error. */
static int migrate(const char *from, const char *to, char **out, char **err)
{
    return run_newsdesk(out, err, "migrate", "--from", from, "--to", to, NULL);
}

/* The row count migrate's report gives table (-1: not in it). */
static long reported(const char *report, const char *table)
{
    size_t n = strlen(table);
    for (const char *l = report; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, table, n) && l[n] == ' ')
            return strtol(l + n, NULL, 10);
    return -1;
}

/* The body of GET path on s (200 required), malloc'd, and its length. */
static char *fetch(const struct srv *s, const char *path, size_t *len)
{
    struct resp r;
    http_req(s, "GET", path, &r);
    cr_assert_eq(r.status, 200, "GET %s: %d", path, r.status);
    char *b = malloc(r.body_len + 1);
    memcpy(b, r.body, r.body_len);
    b[r.body_len] = '\0';
    *len = r.body_len;
    resp_free(&r);
    return b;
}

static int status_of(const struct srv *s, const char *path)
{
    struct resp r;
    http_req(s, "GET", path, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

/*
 * What the newsroom checks on a server on the migrated database s: the same article and
 * photo bytes, the editor's session from before, the API key, search, and a new post
 * numbered after every copied one.
 */
static void works_like_before(struct srv *s, const struct staff *ed, const char *key,
                              const char *photo, const char *photo_bytes, size_t photo_len,
                              long max_id, const char *title)
{
    srv_start(s);
    size_t n;
    char *article = fetch(s, "/photo-story/", &n);
    cr_expect(strstr(article, "Fire on the harbour pier"), "the article");
    free(article);
    char *bytes = fetch(s, photo, &n);
    cr_expect(n == photo_len && !memcmp(bytes, photo_bytes, n), "the photo's bytes");
    free(bytes);
    struct resp r;
    staff_get(s, ed, "/admin/", &r);
    cr_expect_eq(r.status, 200, "the editor's session from before: %d", r.status);
    resp_free(&r);
    char path[128];
    snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%s&limit=2", key);
    cr_expect_eq(status_of(s, path), 200, "the Content API key");
    char *found = fetch(s, "/search/?q=harbour", &n);
    cr_expect(strstr(found, "Fire on the harbour pier"), "search finds the copied post");
    free(found);
    cr_assert_eq(staff_publish(s, ed, title), 303, "publishing after the move");
    cr_expect_gt(db_countf(s, "SELECT max(id) FROM posts"), max_id, "a new id after the copied");
    char *home = fetch(s, "/", &n);
    cr_expect(strstr(home, title), "the new post on the home page");
    free(home);
    srv_stop(s);
}

Test(http_migrate, a_site_moves_to_postgresql_and_back_whole)
{
    struct photo_story story;
    photo_story_add(&site, &story);
    srv_start(&site);
    struct staff ed;
    cr_assert_eq(staff_login(&site, "editor@example.org", PW, &ed), 303);
    cr_assert_eq(staff_publish(&site, &ed, "Ferry service resumes"), 303);
    struct staff wrong;
    cr_assert_neq(staff_login(&site, "editor@example.org", "not the password", &wrong), 303);
    char key[27];
    srv_content_key(&site, key);
    size_t photo_len;
    char *photo = fetch(&site, story.feature, &photo_len);
    srv_stop(&site);
    long max_id = db_countf(&site, "SELECT max(id) FROM posts");
    static const char *const tables[] = {"settings",  "secrets",     "users",        "tags",
                                         "posts",     "post_bodies", "post_tags",    "post_authors",
                                         "revisions", "media",       "media_files",  "audit",
                                         "api_keys",  "sessions",    "limit_events", "changes"};
    long counts[sizeof(tables) / sizeof(*tables)];
    for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
        counts[i] = db_countf(&site, "SELECT count(*) FROM %s", tables[i]);
        if (strcmp(tables[i], "limit_events") && strcmp(tables[i], "revisions"))
            cr_assert_gt(counts[i], 0, "the site has %s", tables[i]);
    }

    char *out1 = NULL, *err1 = NULL;
    cr_assert_eq(migrate(site.db, pg_url, &out1, &err1), 0, "%s", err1);
    cr_expect(strstr(err1, "every count and checksum read back equals the source's"), "%s", err1);
    for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++)
        cr_expect_eq(reported(out1, tables[i]), counts[i], "%s: %ld in the report, %ld in the site",
                     tables[i], reported(out1, tables[i]), counts[i]);

    /* and back, into a new SQLite file: the same rows, the same checksums */
    char back[sizeof(site.db)];
    snprintf(back, sizeof(back), "%.200s/back.db", site.dir);
    char *out2 = NULL, *err2 = NULL;
    cr_assert_eq(migrate(pg_url, back, &out2, &err2), 0, "%s", err2);
    cr_expect_str_eq(out2, out1, "the round trip's report equals the first");
    struct stat sb;
    cr_assert_eq(stat(back, &sb), 0);
    cr_expect_eq(sb.st_mode & 0777, 0640, "the copy's passwords are not for every user: %o",
                 (unsigned)(sb.st_mode & 0777));

    on_pg = site;
    snprintf(on_pg.db, sizeof(on_pg.db), "%s", pg_url);
    snprintf(on_pg.pg_name, sizeof(on_pg.pg_name), "newsdesk"); /* db_query: psql */
    works_like_before(&on_pg, &ed, key, story.feature, photo, photo_len, max_id,
                      "Harbour reopens on PostgreSQL");
    on_back = site;
    snprintf(on_back.db, sizeof(on_back.db), "%s", back);
    works_like_before(&on_back, &ed, key, story.feature, photo, photo_len, max_id,
                      "Harbour reopens back on SQLite");
    free(photo);
    free(out1), free(err1), free(out2), free(err2);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

Test(http_migrate, a_refused_or_failed_migrate_leaves_the_destination_as_it_was)
{
    char *out = NULL, *err = NULL;
    /* the same database twice */
    cr_expect_eq(migrate(site.db, site.db, &out, &err), 1);
    cr_expect(strstr(err, "same database"), "%s", err);
    free(out), free(err);

    /* a source that does not exist, or is not ours: no destination made */
    char missing[700], garbage[700], made[700];
    snprintf(missing, sizeof(missing), "%s/missing.db", site.dir);
    snprintf(made, sizeof(made), "%s/made.db", site.dir);
    srv_write(&site, "garbage.db", "this is not a database\n", garbage);
    cr_expect_eq(migrate(missing, made, &out, &err), 1);
    cr_expect(strstr(err, "does not exist"), "%s", err);
    free(out), free(err);
    cr_expect_eq(migrate(garbage, made, &out, &err), 1);
    cr_expect(err && *err, "a message");
    free(out), free(err);
    cr_expect(!exists(made), "no destination file was left behind");

    /* a destination that holds a site: refused, untouched */
    cr_assert_eq(migrate(site.db, pg_url, &out, &err), 0, "%s", err);
    free(out), free(err);
    struct srv in_pg = site; /* no server: db_query's view of the database */
    snprintf(in_pg.db, sizeof(in_pg.db), "%s", pg_url);
    snprintf(in_pg.pg_name, sizeof(in_pg.pg_name), "newsdesk");
    long posts = db_countf(&in_pg, "SELECT count(*) FROM posts");
    cr_expect_eq(migrate(site.db, pg_url, &out, &err), 1);
    cr_expect(strstr(err, "already holds a site"), "%s", err);
    free(out), free(err);
    cr_expect_eq(db_countf(&in_pg, "SELECT count(*) FROM posts"), posts);
    cr_expect_eq(migrate(pg_url, site.db, &out, &err), 1, "nor back over the source");
    free(out), free(err);

    /*
     * A row the destination refuses half way (a tag link to a post that is not there,
     * which SQLite kept because the statement ran without foreign keys): the copy stops,
     * nothing of it is kept, in a new SQLite file or in an empty PostgreSQL database.
     */
    free(db_query(&site, "INSERT INTO post_tags(post_id, tag_id, sort_order)"
                         " VALUES (999999, (SELECT min(id) FROM tags), 0)"));
    cr_expect_eq(migrate(site.db, made, &out, &err), 1);
    cr_expect(strstr(err, "post_tags"), "the message names the table: %s", err);
    free(out), free(err);
    cr_expect(!exists(made), "the new file is removed");
    cr_assert_eq(sh_status("psql -X -q '%s' -c 'CREATE DATABASE second'", pg_url), 0);
    char second[640];
    const char *q = strchr(pg_url, '?'), *slash = q; /* .../newsdesk?host=... */
    cr_assert(q);
    while (slash > pg_url && slash[-1] != '/')
        slash--;
    snprintf(second, sizeof(second), "%.*ssecond%s", (int)(slash - pg_url), pg_url, q);
    cr_expect_eq(migrate(site.db, second, &out, &err), 1);
    cr_expect(strstr(err, "post_tags"), "%s", err);
    free(out), free(err);
    struct srv on_second = site;
    snprintf(on_second.db, sizeof(on_second.db), "%s", second);
    snprintf(on_second.pg_name, sizeof(on_second.pg_name), "second");
    cr_expect_eq(db_countf(&on_second, "SELECT count(*) FROM posts"), 0, "no post kept");
    cr_expect_eq(db_countf(&on_second, "SELECT count(*) FROM users"), 0, "no account kept");
}
