/*
 * Export, backup and restore, and setting a site up by script (tag, user set), on the
 * real binary: the Ghost export's shape, a backup taken while an editor saves over HTTP,
 * a restore under a running server, and every refusal leaving the database as it was.
 */
#include "harness.h"
#include "photos.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct srv srv;

HTTP_SUITE(http_export, srv, 240, .posts = 50, .prepare_only = true);

/* Runs SQL on another database file than the suite's. */
static char *query_on(const char *db, const char *sql)
{
    struct srv other = srv;
    snprintf(other.db, sizeof(other.db), "%s", db);
    return db_query(&other, sql);
}

static long num_on(const char *db, const char *sql)
{
    char *v = query_on(db, sql);
    long n = atol(v);
    free(v);
    return n;
}

static void path_in(const char *name, char out[SRV_PATH_MAX])
{
    snprintf(out, SRV_PATH_MAX, "%s/%s", srv.dir, name);
}

/* `newsdesk export` of the suite's database, parsed. */
static json_t *export_json(void)
{
    char out[SRV_PATH_MAX];
    path_in("export.json", out);
    unlink(out);
    char *err = NULL;
    cr_assert_eq(run_newsdesk(NULL, &err, "export", "--db", srv.db, out, NULL), 0, "%s", err);
    free(err);
    json_error_t e;
    json_t *root = json_load_file(out, 0, &e);
    cr_assert(root, "the export is not JSON: %s (line %d)", e.text, e.line);
    return root;
}

static json_t *table(json_t *root, const char *name)
{
    json_t *t = json_object_get(
        json_object_get(json_array_get(json_object_get(root, "db"), 0), "data"), name);
    cr_assert(json_is_array(t), "no table %s", name);
    return t;
}

/* ---- the Ghost export ------------------------------------------------------------------ */

Test(http_export, export_has_every_table_of_ghost_in_its_order_and_the_posts_fields)
{
    static const char *tables[] = {"newsletters",
                                   "posts",
                                   "posts_meta",
                                   "users",
                                   "posts_authors",
                                   "roles",
                                   "roles_users",
                                   "settings",
                                   "tags",
                                   "posts_tags",
                                   "products",
                                   "offers",
                                   "benefits",
                                   "products_benefits",
                                   "posts_products",
                                   "offer_redemptions",
                                   "stripe_products",
                                   "stripe_prices",
                                   "snippets",
                                   "custom_theme_settings"};
    static const char *post_keys[] = {"id",
                                      "uuid",
                                      "title",
                                      "slug",
                                      "mobiledoc",
                                      "lexical",
                                      "html",
                                      "comment_id",
                                      "plaintext",
                                      "feature_image",
                                      "featured",
                                      "type",
                                      "status",
                                      "locale",
                                      "visibility",
                                      "email_recipient_filter",
                                      "created_at",
                                      "updated_at",
                                      "published_at",
                                      "custom_excerpt",
                                      "codeinjection_head",
                                      "codeinjection_foot",
                                      "custom_template",
                                      "canonical_url",
                                      "newsletter_id",
                                      "show_title_and_feature_image",
                                      "markdown"};
    srv_add_post(&srv, "links.md",
                 "---\ntitle: Links test\ncustom_excerpt: Where the links go\n---\n"
                 "See [the desk](/author/news-desk/), ![a chart](//cdn.example.org/c.png) and "
                 "![b](/content/images/abc/x.jpg).\n");
    json_t *root = export_json();
    json_t *db0 = json_array_get(json_object_get(root, "db"), 0);
    json_t *meta = json_object_get(db0, "meta");
    cr_expect(json_is_integer(json_object_get(meta, "exported_on")));
    cr_expect(json_integer_value(json_object_get(meta, "exported_on")) > 1700000000000LL,
              "milliseconds");
    cr_expect_eq(strncmp(json_string_value(json_object_get(meta, "version")), "5.", 2), 0);
    json_t *data = json_object_get(db0, "data");
    cr_assert_eq(json_object_size(data), 20, "Ghost's 20 tables");
    size_t i = 0;
    const char *key;
    json_t *v;
    json_object_foreach(data, key, v)
    {
        cr_expect_str_eq(key, tables[i], "table %zu", i);
        i++;
    }
    json_t *posts = table(root, "posts");
    cr_expect_eq((long)json_array_size(posts), num_on(srv.db, "SELECT count(*) FROM posts"));
    json_t *p;
    json_array_foreach(posts, i, p)
    {
        cr_assert_eq(json_object_size(p), sizeof(post_keys) / sizeof(post_keys[0]));
        for (size_t k = 0; k < sizeof(post_keys) / sizeof(post_keys[0]); k++)
            cr_assert(json_object_get(p, post_keys[k]), "post %zu has no %s", i, post_keys[k]);
        cr_expect_eq(strlen(json_string_value(json_object_get(p, "id"))), 24);
        cr_expect(json_is_null(json_object_get(p, "mobiledoc")) &&
                      json_is_null(json_object_get(p, "lexical")),
                  "html only: Ghost's importer converts it");
        const char *pub = json_string_value(json_object_get(p, "published_at"));
        cr_expect(!pub || (strlen(pub) == 19 && pub[10] == ' '), "SQLite dates: %s", pub);
        const char *img = json_string_value(json_object_get(p, "feature_image"));
        cr_expect(!img || strncmp(img, "http", 4) == 0, "absolute: %s", img);
    }
    json_array_foreach(posts, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "slug")), "links-test") != 0)
            continue;
        const char *html = json_string_value(json_object_get(p, "html"));
        cr_expect(strstr(html, "href=\"http") && strstr(html, "/author/news-desk/\""),
                  "site paths made absolute: %s", html);
        cr_expect(strstr(html, "src=\"http") && strstr(html, "/content/images/abc/x.jpg\""), "%s",
                  html);
        cr_expect(strstr(html, "src=\"//cdn.example.org/c.png\""), "protocol-relative: %s", html);
        cr_expect_str_eq(json_string_value(json_object_get(p, "custom_excerpt")),
                         "Where the links go");
        cr_expect(strstr(json_string_value(json_object_get(p, "markdown")), "[the desk]"));
    }
    json_t *users = table(root, "users");
    json_array_foreach(users, i, p)
    {
        cr_expect(!json_object_get(p, "password"), "no password hashes");
        cr_expect(strchr(json_string_value(json_object_get(p, "email")), '@'));
    }
    cr_expect_eq(json_array_size(table(root, "roles_users")), json_array_size(users));
    cr_expect_eq(json_array_size(table(root, "newsletters")), 0);
    json_decref(root);
}

/* Each post's rows of a relation are together, sort_order 0, 1, 2..., as in the database. */
static void check_relation(json_t *root, const char *name, const char *fk, const char *sql)
{
    json_t *rows = table(root, name);
    cr_expect_eq((long)json_array_size(rows), num_on(srv.db, sql), "%s: every row", name);
    const char *post = "";
    long want = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *pid = json_string_value(json_object_get(r, "post_id"));
        cr_assert(pid && json_string_value(json_object_get(r, fk)));
        if (strcmp(pid, post) != 0)
            want = 0;
        post = pid;
        cr_expect_eq(json_integer_value(json_object_get(r, "sort_order")), want++, "%s row %zu",
                     name, i);
    }
}

Test(http_export, relations_keep_their_order_and_point_at_exported_rows)
{
    json_t *root = export_json();
    check_relation(root, "posts_tags", "tag_id", "SELECT count(*) FROM post_tags");
    check_relation(root, "posts_authors", "author_id", "SELECT count(*) FROM post_authors");
    /* the first post's tags in order, by slug */
    char *first = query_on(srv.db, "SELECT group_concat(slug, ',') FROM (SELECT t.slug FROM "
                                   "post_tags x JOIN tags t ON t.id = x.tag_id WHERE x.post_id = "
                                   "(SELECT min(id) FROM posts) ORDER BY x.sort_order)");
    json_t *tags = table(root, "tags"), *pt = table(root, "posts_tags");
    const char *pid = json_string_value(json_object_get(json_array_get(pt, 0), "post_id"));
    char got[1024] = "";
    size_t i, j;
    json_t *r, *t;
    json_array_foreach(pt, i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "post_id")), pid) != 0)
            break;
        const char *tid = json_string_value(json_object_get(r, "tag_id"));
        json_array_foreach(tags, j,
                           t) if (strcmp(json_string_value(json_object_get(t, "id")), tid) == 0)
        {
            if (got[0])
                strcat(got, ",");
            strcat(got, json_string_value(json_object_get(t, "slug")));
        }
    }
    cr_expect_str_eq(got, first);
    free(first);
    json_decref(root);
}

Test(http_export, export_refuses_to_overwrite_and_writes_to_stdout)
{
    char out[SRV_PATH_MAX];
    path_in("exists.json", out);
    srv_write(&srv, "exists.json", "keep me", NULL);
    char *err = NULL, *so = NULL;
    cr_expect_neq(run_newsdesk(NULL, &err, "export", "--db", srv.db, out, NULL), 0);
    cr_expect(strstr(err, "--force"), "%s", err);
    free(err);
    FILE *f = fopen(out, "r");
    char buf[16] = "";
    cr_assert(f && fgets(buf, sizeof(buf), f));
    fclose(f);
    cr_expect_str_eq(buf, "keep me");
    cr_assert_eq(run_newsdesk(&so, NULL, "export", "--db", srv.db, "-", NULL), 0);
    cr_expect_eq(strncmp(so, "{\"db\":[{\"meta\":", 15), 0);
    json_t *root = json_loads(so, 0, NULL);
    cr_expect(root, "stdout holds the whole export");
    json_decref(root);
    free(so);
}

/* Every line sqlite3 prints for sql on db (malloc'd). */
static char *query_all(const char *db, const char *sql)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "sqlite3 -cmd '.timeout 5000' '%s' \"%s\"", db, sql);
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    size_t got;
    while ((got = fread(out + n, 1, cap - 1 - n, f)) > 0)
        n += got;
    out[n] = '\0';
    pclose(f);
    return out;
}

/* What a round trip must keep of each post: slug, title, status, type, dates, excerpt,
 * featured, its tags and its authors in order, one line a post, by slug. */
#define POSTS_AS_TEXT                                                                              \
    "SELECT p.slug, p.title, p.status, p.type, p.published_at, p.custom_excerpt, p.featured,"      \
    " (SELECT group_concat(slug, ',') FROM (SELECT t.slug FROM post_tags x JOIN tags t"            \
    "  ON t.id = x.tag_id WHERE x.post_id = p.id ORDER BY x.sort_order)),"                         \
    " (SELECT group_concat(slug, ',') FROM (SELECT u.slug FROM post_authors x JOIN users u"        \
    "  ON u.id = x.user_id WHERE x.post_id = p.id ORDER BY x.sort_order))"                         \
    " FROM posts p ORDER BY p.slug"

Test(http_export, export_then_import_ghost_into_an_empty_database_gives_the_same_posts)
{
    if (run_newsdesk(NULL, NULL, "import", "--help", NULL) != 0)
        cr_skip_test("no 'newsdesk import' in this build");
    char out[SRV_PATH_MAX], empty[SRV_PATH_MAX];
    path_in("roundtrip.json", out);
    path_in("empty.db", empty);
    char *err = NULL;
    cr_assert_eq(run_newsdesk(NULL, &err, "export", "--db", srv.db, out, NULL), 0, "%s", err);
    free(err);
    cr_assert_eq(run_newsdesk(NULL, NULL, "init", "--db", empty, NULL), 0);
    cr_assert_eq(run_newsdesk(NULL, &err, "import", "ghost", out, "--db", empty, NULL), 0, "%s",
                 err);
    free(err);
    char *want = query_all(srv.db, POSTS_AS_TEXT), *got = query_all(empty, POSTS_AS_TEXT);
    cr_expect_gt(strlen(want), 1000);
    cr_expect_str_eq(got, want);
    free(want);
    free(got);
    want = query_all(srv.db, "SELECT slug, name, description FROM tags ORDER BY slug");
    got = query_all(empty, "SELECT slug, name, description FROM tags ORDER BY slug");
    cr_expect_str_eq(got, want, "the tags");
    free(want);
    free(got);
    want = query_all(srv.db, "SELECT slug, name, bio, location FROM users ORDER BY slug");
    got = query_all(empty, "SELECT slug, name, bio, location FROM users ORDER BY slug");
    cr_expect_str_eq(got, want, "the bylines");
    free(want);
    free(got);
}

/* ---- backup ---------------------------------------------------------------------------- */

#define EDITOR_EMAIL "ed@example.org"
#define EDITOR_PASS "correct horse battery"

/*
 * The editor: publishes posts over HTTP until told to stop, writing the id of each
 * acknowledged (303) post to fd, one a line.
 */
static void editor_loop(int fd, const char *stop)
{
    struct staff ed;
    if (staff_login(&srv, EDITOR_EMAIL, EDITOR_PASS, &ed) != 303)
        _exit(2);
    for (int k = 0; access(stop, F_OK) != 0 && k < 2000; k++) {
        char form[256];
        snprintf(form, sizeof(form),
                 "title=Saved+during+backup+%d&markdown=Words+%d.&action=publish", k, k);
        struct resp r;
        staff_post(&srv, &ed, "/admin/posts/new/", form, &r);
        long id = r.status == 303 ? post_id_of(&r) : 0;
        if (!id) {
            fprintf(stderr, "editor: save answered %d: %.2000s\n", r.status,
                    r.body && strstr(r.body, "<main") ? strstr(r.body, "<main") : "");
            _exit(3);
        }
        resp_free(&r);
        dprintf(fd, "%ld\n", id);
    }
    _exit(0);
}

static size_t lines_in(const char *path)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    int c;
    while (f && (c = fgetc(f)) != EOF)
        n += c == '\n';
    if (f)
        fclose(f);
    return n;
}

Test(http_export, backup_while_an_editor_saves_holds_every_acknowledged_post_and_the_photos)
{
    char photo[SRV_PATH_MAX], url[PHOTO_URL_MAX], key[17];
    photo_make(&srv, "big.jpg", 3000, 2000, photo);
    photo_add(&srv, photo, "A street at dusk", NULL, NULL, url);
    photo_key(url, key);
    cr_assert_eq(staff_add(&srv, EDITOR_EMAIL, "Ed Itor", "editor", EDITOR_PASS), 0);
    srv_start(&srv);
    char acks[SRV_PATH_MAX], stop[SRV_PATH_MAX], copy[SRV_PATH_MAX];
    path_in("acks.txt", acks);
    path_in("stop", stop);
    path_in("copy.db", copy);
    int fd = open(acks, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0)
        editor_loop(fd, stop);
    int status = 0;
    for (int t = 0; lines_in(acks) < 5; t++) {
        cr_assert(waitpid(pid, &status, WNOHANG) == 0, "the editor stopped: %d",
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        cr_assert_lt(t, 1500, "no save acknowledged in 30 s");
        usleep(20000);
    }
    size_t before = lines_in(acks); /* acknowledged before the backup began */
    char *err = NULL;
    int rc = run_newsdesk(NULL, &err, "backup", "--db", srv.db, copy, NULL);
    size_t during = lines_in(acks) - before;
    srv_write(&srv, "stop", "", NULL);
    waitpid(pid, &status, 0);
    close(fd);
    cr_assert_eq(rc, 0, "backup: %s", err);
    cr_expect(strstr(err, "pages"), "progress on stderr: %s", err);
    free(err);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "every save was acknowledged");
    cr_log_info("saves acknowledged while the backup ran: %zu", during);
    char *ic = query_on(copy, "PRAGMA integrity_check");
    cr_expect_str_eq(ic, "ok");
    free(ic);
    FILE *f = fopen(acks, "r");
    long id;
    for (size_t i = 0; i < before && fscanf(f, "%ld", &id) == 1; i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM posts WHERE id = %ld", id);
        cr_expect_eq(num_on(copy, sql), 1, "acknowledged post %ld is in the copy", id);
    }
    fclose(f);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM media m JOIN media_files f ON f.media_id = m.id"
             " WHERE m.key = '%s' AND f.variant = 'orig' AND length(f.data) > 100000",
             key);
    cr_expect_eq(num_on(copy, sql), 1, "the photo's original is in the copy");
    struct stat sb;
    char stamp[SRV_PATH_MAX + 8];
    snprintf(stamp, sizeof(stamp), "%s-stamp", copy);
    cr_expect_neq(stat(stamp, &sb), 0, "the stamp file is not part of a backup");
    /* a second backup to the same name is refused, and --force replaces it */
    cr_expect_neq(run_newsdesk(NULL, NULL, "backup", "--db", srv.db, copy, NULL), 0);
    cr_expect_eq(run_newsdesk(NULL, NULL, "backup", "--db", srv.db, "--force", copy, NULL), 0);
    cr_expect_neq(run_newsdesk(NULL, NULL, "backup", "--db", srv.db, "--force", srv.db, NULL), 0,
                  "never over the database itself");
    cr_expect_neq(run_newsdesk(NULL, NULL, "restore", "--db", srv.db, "--force", srv.db, NULL), 0);
    srv_stop(&srv);
}

/* ---- restore --------------------------------------------------------------------------- */

static int get_status(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

/* The posts' slugs, in one line: what must not change when a restore is refused. */
static char *fingerprint(void)
{
    return db_query(&srv, "SELECT count(*) || ':' || group_concat(slug, ',') FROM posts");
}

Test(http_export, restore_into_a_served_database_is_what_the_server_then_serves)
{
    srv_add_post(&srv, "kept.md", "---\ntitle: Kept by the backup\n---\nBefore.\n");
    char bak[SRV_PATH_MAX];
    path_in("site.bak", bak);
    cr_assert_eq(run_newsdesk(NULL, NULL, "backup", "--db", srv.db, bak, NULL), 0);
    srv_add_post(&srv, "late.md", "---\ntitle: Written after the backup\n---\nAfter.\n");
    srv_start(&srv);
    cr_expect_eq(get_status("/kept-by-the-backup/"), 200);
    cr_expect_eq(get_status("/written-after-the-backup/"), 200); /* now in the cache */
    char *err = NULL;
    cr_expect_neq(run_newsdesk(NULL, &err, "restore", "--db", srv.db, bak, NULL), 0);
    cr_expect(strstr(err, "--force"), "a database with posts needs --force: %s", err);
    free(err);
    cr_expect_eq(get_status("/written-after-the-backup/"), 200, "refused: nothing changed");
    cr_assert_eq(run_newsdesk(NULL, &err, "restore", "--db", srv.db, "--force", bak, NULL), 0, "%s",
                 err);
    free(err);
    cr_expect_eq(get_status("/written-after-the-backup/"), 404, "the server serves the backup");
    cr_expect_eq(get_status("/kept-by-the-backup/"), 200);
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect(!body_has(&r, "Written after the backup"), "the home page's cache was emptied");
    resp_free(&r);
    srv_stop(&srv);
}

Test(http_export, restore_refuses_what_is_not_a_whole_newsdesk_database_and_changes_nothing)
{
    char bak[SRV_PATH_MAX], path[SRV_PATH_MAX], cmd[2 * SRV_PATH_MAX + 128];
    path_in("good.bak", bak);
    cr_assert_eq(run_newsdesk(NULL, NULL, "backup", "--db", srv.db, bak, NULL), 0);
    char *before = fingerprint();
    /* each made by a shell command from $B (a good backup) into $P */
    struct {
        const char *name, *make, *says, *or_says;
    } cases[] = {
        {"junk.db", "printf 'not a database at all' > \"$P\"", "not an SQLite database", NULL},
        {"other.db", "sqlite3 \"$P\" 'CREATE TABLE t(x)'", "not a Newsdesk database", NULL},
        {"newer.db", "cp \"$B\" \"$P\" && sqlite3 \"$P\" 'PRAGMA user_version = 99'", "newer",
         NULL},
        {"cut.db", "cp \"$B\" \"$P\" && truncate -s 200000 \"$P\"", "corrupt", "integrity"},
        {"trigger.db",
         "cp \"$B\" \"$P\" && sqlite3 \"$P\" 'CREATE TRIGGER t AFTER INSERT ON posts"
         " BEGIN DELETE FROM users; END'",
         "changed outside Newsdesk", NULL},
        {"export.json", "printf '{\"db\":[]}' > \"$P\"", "not an SQLite database", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        path_in(cases[i].name, path);
        snprintf(cmd, sizeof(cmd), "B='%s' P='%s'; %s", bak, path, cases[i].make);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        char *err = NULL;
        cr_expect_neq(run_newsdesk(NULL, &err, "restore", "--db", srv.db, "--force", path, NULL), 0,
                      "%s restored", cases[i].name);
        cr_expect(strstr(err, cases[i].says) || (cases[i].or_says && strstr(err, cases[i].or_says)),
                  "%s: %s", cases[i].name, err);
        free(err);
        char *now = fingerprint();
        cr_expect_str_eq(now, before, "%s changed the database", cases[i].name);
        free(now);
    }
    free(before);
    char *ic = db_query(&srv, "PRAGMA integrity_check");
    cr_expect_str_eq(ic, "ok");
    free(ic);
}

/* ---- setting a site up by script ------------------------------------------------------- */

Test(http_export, tag_add_set_list_and_refusals)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(run_newsdesk(&out, &err, "tag", "add", "--db", srv.db, "Energy Grid",
                              "--description", "Power, outages and repairs", NULL),
                 0, "%s", err);
    free(out), free(err);
    cr_expect_neq(run_newsdesk(NULL, &err, "tag", "add", "--db", srv.db, "Energy Grid", NULL), 0);
    cr_expect(strstr(err, "taken"), "%s", err);
    free(err);
    cr_assert_eq(run_newsdesk(NULL, NULL, "tag", "add", "--db", srv.db, "#breaking", NULL), 0);
    cr_assert_eq(run_newsdesk(NULL, &err, "tag", "set", "--db", srv.db, "energy-grid", "--name",
                              "Grid", "--slug", "grid", NULL),
                 0, "%s", err);
    free(err);
    cr_expect_neq(run_newsdesk(NULL, &err, "tag", "set", "--db", srv.db, "grid", "--slug",
                               "hash-breaking", NULL),
                  0);
    cr_expect(strstr(err, "taken"), "%s", err);
    free(err);
    cr_expect_neq(run_newsdesk(NULL, NULL, "tag", "set", "--db", srv.db, "grid", "--slug",
                               "Not A Slug", NULL),
                  0);
    cr_expect_neq(
        run_newsdesk(NULL, NULL, "tag", "set", "--db", srv.db, "no-such-tag", "--name", "X", NULL),
        0);
    cr_assert_eq(run_newsdesk(&out, NULL, "tag", "list", "--db", srv.db, NULL), 0);
    cr_expect(strstr(out, "grid\tGrid\t0\tpublic\n"), "%s", out);
    cr_expect(strstr(out, "hash-breaking\t#breaking\t0\tinternal\n"), "%s", out);
    free(out);
    char *d = db_query(&srv, "SELECT description FROM tags WHERE slug = 'grid'");
    cr_expect_str_eq(d, "Power, outages and repairs");
    free(d);
}

Test(http_export, user_set_changes_the_profile_and_the_profile_form_keeps_the_location)
{
    cr_assert_eq(staff_add(&srv, "admin@example.org", "Ada Admin", "administrator", EDITOR_PASS),
                 0);
    char *err = NULL;
    cr_assert_eq(run_newsdesk(NULL, &err, "user", "set", "--db", srv.db, "news-desk", "--location",
                              "Kyiv, Ukraine", "--website", "https://desk.example", "--bio",
                              "The desk.", NULL),
                 0, "%s", err);
    free(err);
    char *v = db_query(&srv, "SELECT location || '|' || website || '|' || bio FROM users"
                             " WHERE slug = 'news-desk'");
    cr_expect_str_eq(v, "Kyiv, Ukraine|https://desk.example|The desk.");
    free(v);
    cr_expect_neq(run_newsdesk(NULL, &err, "user", "set", "--db", srv.db, "news-desk", "--website",
                               "javascript:alert(1)", NULL),
                  0);
    cr_expect(strstr(err, "http"), "%s", err);
    free(err);
    cr_expect_neq(run_newsdesk(NULL, NULL, "user", "set", "--db", srv.db, "ADMIN@example.org",
                               "--slug", "news-desk", NULL),
                  0, "a taken slug");
    cr_expect_neq(run_newsdesk(NULL, NULL, "user", "set", "--db", srv.db, "admin@example.org",
                               "--contact-email", "admin@example.org", NULL),
                  0, "the login e-mail is never made public by the command line");
    cr_assert_eq(run_newsdesk(NULL, NULL, "user", "set", "--db", srv.db, "ADMIN@example.org",
                              "--name", "Ada A.", "--location", "Lviv", NULL),
                 0, "by login e-mail, any case");
    /* the newsroom's profile form, which has no location field, saves the desk */
    srv_start(&srv);
    struct staff ad;
    cr_assert_eq(staff_login(&srv, "admin@example.org", EDITOR_PASS, &ad), 303);
    char *id = db_query(&srv, "SELECT id FROM users WHERE slug = 'news-desk'"), path[64];
    snprintf(path, sizeof(path), "/admin/staff/%s/", id);
    free(id);
    struct resp r;
    staff_post(&srv, &ad, path,
               "name=News+Desk&slug=news-desk&bio=Saved+in+the+form.&avatar=&website=&"
               "contact_email=",
               &r);
    cr_expect(r.status == 303 || r.status == 200, "profile save: %d", r.status);
    resp_free(&r);
    v = db_query(&srv, "SELECT location || '|' || bio FROM users WHERE slug = 'news-desk'");
    cr_expect_str_eq(v, "Kyiv, Ukraine|Saved in the form.");
    free(v);
    srv_stop(&srv);
}

Test(http_export, help_documents_every_front_matter_field_and_the_new_commands)
{
    static const char *fields[] = {
        "title",          "slug",     "tags",          "authors",           "published_at",
        "custom_excerpt", "excerpt",  "feature_image", "feature_image_alt", "feature_image_caption",
        "status",         "featured", "type"};
    char *out = NULL;
    cr_assert_eq(run_newsdesk(&out, NULL, "post", "--help", NULL), 0);
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        char want[64];
        snprintf(want, sizeof(want), "\n  %s ", fields[i]);
        cr_expect(strstr(out, want), "post --help lacks %s", fields[i]);
        snprintf(want, sizeof(want), "\n  %s:", fields[i]);
        cr_expect(strcmp(fields[i], "excerpt") == 0 || strstr(out, want), "the example lacks %s",
                  fields[i]);
    }
    free(out);
    const char *cmds[] = {"export", "backup", "restore", "tag", "user"};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        cr_expect_eq(run_newsdesk(&out, NULL, cmds[i], "--help", NULL), 0, "%s", cmds[i]);
        cr_expect(strstr(out, "usage: newsdesk"), "%s", cmds[i]);
        free(out);
    }
}
