/*
 * Login e-mails never reach readers. A site with staff whose public contact e-mails are
 * distinct from, equal to (in any case) or absent beside their logins is crawled from the
 * home page, its sitemaps, feeds, Content API, tips form and 404 page; so is the demo site
 * once its people have logins. (Every request of every suite is also checked by the
 * harness: http_raw fails a test whose public response shows a recorded login.) The
 * profile form refuses a contact e-mail that is the login unless an administrator
 * confirms it, and schema 5 clears the copies older versions made.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"
#define CRAWL_MAX 1500
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static struct srv srv;
static char api_key[27];

/* anna-author's article: its author card has the contact e-mail */
#define ANNA_POST "/trams-return-to-the-river-bank/"

/* Posts and sections by staff with logins, and a Content API key. */
static void staff_site(struct srv *s)
{
    cr_assert_eq(staff_add(s, "ada.admin@desk.example", "Ada Admin", "administrator", PW), 0);
    cr_assert_eq(staff_add(s, "Eda.Editor@desk.example", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "anna@desk.example", "Anna Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "ben@desk.example", "Ben Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "cleo@desk.example", "Cleo Contributor", "contributor", PW), 0);
    srv_add_post(s, "a.md",
                 "---\ntitle: Trams return to the river bank\nauthors: [anna-author]\n"
                 "tags: [City, Transport]\n---\nThe trams are back.\n");
    srv_add_post(s, "b.md",
                 "---\ntitle: Night markets open again\nauthors: [ben-author, eda-editor]\n"
                 "tags: [City]\n---\nStalls open at nine.\n");
    srv_add_post(s, "c.md",
                 "---\ntitle: About us\nauthors: [ada-admin]\ntype: page\n---\nWho we are.\n");
    /* a distinct public address; copies of logins that reached the table by another door */
    free(db_query(s, "UPDATE users SET contact_email = 'anna.tips@news.example'"
                     " WHERE slug = 'anna-author';"
                     "UPDATE users SET contact_email = email WHERE slug = 'ben-author';"
                     "UPDATE users SET contact_email = upper(email) WHERE slug = 'eda-editor';"));
    srv_content_key(s, api_key);
}

HTTP_SUITE(http_privacy, srv, 240, .posts = 6, .before_start = staff_site);

/* ---- the crawl --------------------------------------------------------------------- */

struct crawl {
    char *paths[CRAWL_MAX];
    size_t n, fetched, leaks;
};

static void crawl_free(struct crawl *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->paths[i]);
}

/* Queues a site path (not the newsroom's, not an asset), once. */
static void crawl_push(struct crawl *c, const char *path, size_t len)
{
    if (!len || path[0] != '/' || (len > 1 && path[1] == '/'))
        return;
    size_t hash = strcspn(path, "#");
    len = hash < len ? hash : len;
    if (len >= 7 && (strncmp(path, "/admin/", 7) == 0 || strncmp(path, "/assets/", 8) == 0))
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->paths[i]) == len && strncmp(c->paths[i], path, len) == 0)
            return;
    if (c->n < CRAWL_MAX)
        c->paths[c->n++] = strndup(path, len);
}

/* Queues every href="/..." of a page and every <loc> of a sitemap (its path). */
static void crawl_links(struct crawl *c, const struct resp *r)
{
    for (const char *p = strstr(r->body, "href=\""); p; p = strstr(p + 1, "href=\"")) {
        const char *v = p + 6;
        crawl_push(c, v, strcspn(v, "\""));
    }
    for (const char *p = strstr(r->body, "<loc>"); p; p = strstr(p + 1, "<loc>")) {
        const char *v = strstr(p + 5, "://");
        const char *path = v ? strchr(v + 3, '/') : NULL;
        const char *end = strstr(p, "</loc>");
        if (path && end && path < end)
            crawl_push(c, path, (size_t)(end - path));
    }
}

/* Whether a login e-mail of s (any case) is in r's head or body. */
static bool shows_login(const struct srv *s, const struct resp *r, const char *path)
{
    bool leak = false;
    for (int i = 0; i < s->nlogins; i++)
        if (strcasestr(r->body, s->logins[i]) || strcasestr(r->head, s->logins[i])) {
            cr_expect_fail("%s shows the login e-mail %s", path, s->logins[i]);
            leak = true;
        }
    return leak;
}

/* Fetches every queued path, queueing the links it finds, until none is left. */
static void crawl_run(const struct srv *s, struct crawl *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct resp r;
        http_req(s, "GET", c->paths[i], &r);
        c->fetched++;
        c->leaks += shows_login(s, &r, c->paths[i]);
        if (r.status == 200)
            crawl_links(c, &r);
        resp_free(&r);
    }
}

/* The feeds of every tag and author the crawl met, queued (and fetched by the caller). */
static void crawl_feeds(struct crawl *c)
{
    static const char *const kinds[] = {"rss/", "atom/", "feed.json"};
    size_t n = c->n;
    for (size_t i = 0; i < n; i++) {
        const char *p = c->paths[i];
        bool list = strncmp(p, "/tag/", 5) == 0 || strncmp(p, "/author/", 8) == 0;
        const char *slash = list ? strchr(p + 1, '/') : NULL;
        const char *end = slash ? strchr(slash + 1, '/') : NULL;
        if (!end || end[1])
            continue;
        for (size_t k = 0; k < 3; k++) {
            char feed[512];
            snprintf(feed, sizeof(feed), "%.*s%s", (int)(end + 1 - p), p, kinds[k]);
            crawl_push(c, feed, strlen(feed));
        }
    }
}

/* Everything public: links from the home page, sitemaps, feeds, the API, tips, a 404. */
static void crawl_site(const struct srv *s, const char *key, struct crawl *c)
{
    static const char *const starts[] = {
        "/",      "/sitemap.xml",        "/rss/",      "/atom/", "/feed.json",
        "/tips/", "/no-such-page-here/", "/robots.txt"};
    static const char *const api[] = {"posts/", "authors/", "tags/", "pages/", "settings/"};
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < ARRAY_LEN(starts); i++)
        crawl_push(c, starts[i], strlen(starts[i]));
    for (size_t i = 0; i < ARRAY_LEN(api); i++) {
        char p[256];
        snprintf(p, sizeof(p), "/ghost/api/content/%s?key=%s&include=authors,tags,count.posts",
                 api[i], key);
        crawl_push(c, p, strlen(p));
    }
    crawl_run(s, c);
    crawl_feeds(c);
    crawl_run(s, c);
}

static bool crawled(const struct crawl *c, const char *path)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->paths[i], path) == 0)
            return true;
    return false;
}

static bool public_has(const struct srv *s, const char *path, const char *needle)
{
    struct resp r;
    http_req(s, "GET", path, &r);
    bool has = r.status == 200 && body_has(&r, needle);
    resp_free(&r);
    return has;
}

Test(http_privacy, no_public_page_feed_sitemap_or_api_shows_a_login_e_mail)
{
    cr_assert_eq(srv.nlogins, 5);
    struct crawl c;
    crawl_site(&srv, api_key, &c);
    cr_expect_eq(c.leaks, 0);
    cr_expect_gt(c.fetched, 60, "the crawl reached only %zu paths", c.fetched);
    const char *must[] = {"/author/anna-author/", "/author/ben-author/rss/", "/author/eda-editor/",
                          "/tag/city/feed.json",  "/sitemap-authors.xml",    "/about-us/"};
    for (size_t i = 0; i < ARRAY_LEN(must); i++)
        cr_expect(crawled(&c, must[i]), "the crawl never reached %s", must[i]);
    crawl_free(&c);
    /* a contact e-mail set for readers is still theirs to see */
    cr_expect(public_has(&srv, ANNA_POST, "mailto:anna.tips@news.example"));
}

Test(http_privacy, adding_a_person_sets_no_contact_e_mail)
{
    char *v =
        db_query(&srv, "SELECT count(*) FROM users WHERE password_hash IS NOT NULL"
                       " AND contact_email = '' AND slug IN ('ada-admin', 'cleo-contributor')");
    cr_expect_str_eq(v, "2", "newsdesk user add copies no login into the contact e-mail");
    free(v);
    struct staff admin;
    cr_assert_eq(staff_login(&srv, "ada.admin@desk.example", PW, &admin), 303);
    struct resp r;
    staff_post(&srv, &admin, "/admin/staff/",
               "name=Dee+Newcomer&role=author&email=dee%40desk.example&password=" PW, &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    srv_login_add(&srv, "dee@desk.example");
    v = db_query(&srv, "SELECT contact_email || '|' || contact_confirmed FROM users"
                       " WHERE email = 'dee@desk.example'");
    cr_expect_str_eq(v, "|0", "the Staff page copies no login into the contact e-mail");
    free(v);
    char *id = db_query(&srv, "SELECT id FROM users WHERE slug = 'ben-author'");
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%s/", id);
    free(id);
    staff_get(&srv, &admin, path, &r);
    cr_expect(body_has(&r, "Login e-mail <small>(private"), "the login is labelled private");
    cr_expect(body_has(&r, "Contact e-mail <small>(public, optional"));
    cr_expect(body_has(&r, "Yes, show this login e-mail publicly"));
    resp_free(&r);
}

/* Saves anna-author's profile (id) as st with the contact e-mail and more fields. */
static int save_profile(const struct staff *st, const char *id, const char *login,
                        const char *contact, const char *more)
{
    char path[64], form[1024];
    snprintf(path, sizeof(path), "/admin/staff/%s/", id);
    char *l = form_enc(login), *c = form_enc(contact);
    snprintf(form, sizeof(form), "name=Anna+Author&slug=anna-author&email=%s&contact_email=%s%s", l,
             c, more);
    free(l);
    free(c);
    struct resp r;
    staff_post(&srv, st, path, form, &r);
    int status = r.status;
    if (status == 400)
        cr_expect(body_has(&r, "login e-mail, which readers never see"), "%s", r.body);
    resp_free(&r);
    return status;
}

static char *anna(const char *col)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM users WHERE slug = 'anna-author'", col);
    return db_query(&srv, sql);
}

Test(http_privacy, a_login_e_mail_is_public_only_when_an_administrator_confirms_it)
{
    struct staff admin, self, editor;
    cr_assert_eq(staff_login(&srv, "ada.admin@desk.example", PW, &admin), 303);
    cr_assert_eq(staff_login(&srv, "anna@desk.example", PW, &self), 303);
    cr_assert_eq(staff_login(&srv, "eda.editor@desk.example", PW, &editor), 303);
    char *id = anna("id");
    /* the person themself, an editor, and an administrator without the tick: refused */
    cr_expect_eq(save_profile(&self, id, "anna@desk.example", "ANNA@desk.example", ""), 400);
    cr_expect_eq(
        save_profile(&editor, id, "anna@desk.example", "anna@desk.example", "&contact_confirm=1"),
        400, "only an administrator confirms");
    cr_expect_eq(save_profile(&admin, id, "anna@desk.example", "anna@desk.example", ""), 400);
    char *v = anna("contact_email || '|' || contact_confirmed");
    cr_expect_str_eq(v, "anna.tips@news.example|0", "a refusal changes nothing");
    free(v);
    /* an administrator's tick: stored, audited, shown */
    cr_expect_eq(
        save_profile(&admin, id, "anna@desk.example", "Anna@desk.example", "&contact_confirm=1"),
        200);
    v = anna("contact_email || '|' || contact_confirmed");
    cr_expect_str_eq(v, "Anna@desk.example|1");
    free(v);
    v = db_query(&srv, "SELECT count(*) FROM audit WHERE action = 'privacy'"
                       " AND target = 'anna-author'");
    cr_expect_str_eq(v, "1");
    free(v);
    srv_login_public(&srv, "anna@desk.example");
    cr_expect(public_has(&srv, ANNA_POST, "mailto:Anna@desk.example"));
    /* saved again unchanged by its owner: still confirmed */
    cr_expect_eq(save_profile(&self, id, "anna@desk.example", "Anna@desk.example", ""), 200);
    v = anna("contact_confirmed");
    cr_expect_str_eq(v, "1");
    free(v);
    struct resp r;
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%s/", id);
    staff_get(&srv, &admin, path, &r);
    cr_expect(body_has(&r, "name=\"contact_keep\" value=\"1\" checked"), "shown as confirmed");
    resp_free(&r);
    cr_expect_eq(
        save_profile(&admin, id, "anna@desk.example", "Anna@desk.example", "&contact_keep=1"), 200,
        "kept by an administrator while unchanged");
    /* a new login with the contact following it: asked again; the old tick is not enough */
    cr_expect_eq(save_profile(&self, id, "anna.new@desk.example", "anna.new@desk.example", ""),
                 400);
    cr_expect_eq(save_profile(&admin, id, "anna.new@desk.example", "anna.new@desk.example",
                              "&contact_keep=1"),
                 400);
    v = anna("email || '|' || contact_confirmed");
    cr_expect_str_eq(v, "anna@desk.example|1", "refusals change nothing");
    free(v);
    /* a contact changed to another address: the confirmation is gone */
    cr_expect_eq(save_profile(&self, id, "anna@desk.example", "desk@news.example", ""), 200);
    v = anna("contact_email || '|' || contact_confirmed");
    cr_expect_str_eq(v, "desk@news.example|0");
    free(v);
    srv_login_add(&srv, "anna@desk.example");
    cr_expect(public_has(&srv, ANNA_POST, "mailto:desk@news.example"));
    free(id);
}

/* ---- the demo site ------------------------------------------------------------------- */

static struct srv demo;

/*
 * The demo's people with logins: half log in with their public contact e-mail (which
 * readers must then no longer see), half with another address.
 */
static void demo_logins(struct srv *s)
{
    cr_assert_eq(staff_add(s, "demo.admin@desk.example", "Demo Admin", "administrator", PW), 0);
    free(db_query(s, "UPDATE users SET password_hash = (SELECT password_hash FROM users"
                     " WHERE slug = 'demo-admin'), email = CASE WHEN id % 2 THEN contact_email"
                     " ELSE slug || '@staff.example.net' END"
                     " WHERE role = 'author' AND password_hash IS NULL AND contact_email <> ''"));
    char *all = db_query(s, "SELECT group_concat(email, ' ') FROM users"
                            " WHERE password_hash IS NOT NULL AND slug <> 'demo-admin'");
    int n = 0;
    for (char *e = all; *e; n++) {
        size_t len = strcspn(e, " ");
        char one[128];
        snprintf(one, sizeof(one), "%.*s", (int)len, e);
        srv_login_add(s, one);
        e += len + (e[len] == ' ');
    }
    cr_assert_geq(n, 6, "the demo has people to give logins to: %d", n);
    free(all);
    srv_content_key(s, api_key);
}

HTTP_SUITE(http_privacy_demo, demo, 300, .posts = 40, .before_start = demo_logins);

Test(http_privacy_demo, the_demo_site_with_logins_shows_none_of_them)
{
    char *same = db_query(&demo, "SELECT email FROM users WHERE password_hash IS NOT NULL"
                                 " AND email = contact_email LIMIT 1");
    char *other = db_query(&demo, "SELECT p.slug || ' ' || u.contact_email FROM users u"
                                  " JOIN post_authors pa ON pa.user_id = u.id"
                                  " AND pa.sort_order = 0 JOIN posts p ON p.id = pa.post_id"
                                  " WHERE u.password_hash IS NOT NULL AND p.status = 'published'"
                                  " AND u.email <> u.contact_email LIMIT 1");
    cr_assert(same[0] && other[0], "both kinds of login: '%s' '%s'", same, other);
    struct crawl c;
    crawl_site(&demo, api_key, &c);
    cr_expect_eq(c.leaks, 0);
    cr_expect_gt(c.fetched, 150, "the crawl reached only %zu paths", c.fetched);
    crawl_free(&c);
    /* the other half keep the public address the demo gave them */
    char path[256], mail[256];
    char *sp = strchr(other, ' ');
    *sp = '\0';
    snprintf(path, sizeof(path), "/%s/", other);
    snprintf(mail, sizeof(mail), "mailto:%s", sp + 1);
    cr_expect(public_has(&demo, path, mail), "%s shows %s", path, mail);
    free(same);
    free(other);
}

/* ---- schema 5 on an older database ---------------------------------------------------- */

static struct srv old;

/* Takes a fresh database back to schema 4: what every later schema added gone. */
static void to_schema_4(struct srv *s)
{
    free(db_query(s, "DROP INDEX posts_feed; CREATE INDEX posts_feed ON posts(published_at DESC,"
                     " id DESC) WHERE status = 'published' AND type = 'post';"));
    free(db_query(s, "DROP TABLE leases; DROP TABLE limit_events;"
                     " DROP TABLE websub_subscriptions;"));
    free(db_query(s, "DROP TABLE post_search;"));
    free(db_query(s, "DROP TABLE account_tokens; DROP TABLE tip_photos; DROP INDEX tips_unread;"
                     " ALTER TABLE media DROP COLUMN private;"
                     " ALTER TABLE tips DROP COLUMN post_id; ALTER TABLE tips DROP COLUMN page;"
                     " ALTER TABLE tips DROP COLUMN read_at;"
                     " ALTER TABLE tips DROP COLUMN assigned_to;"
                     " ALTER TABLE tips DROP COLUMN draft_id;"
                     " ALTER TABLE revisions DROP COLUMN excerpt;"
                     " ALTER TABLE revisions DROP COLUMN tags;"
                     " ALTER TABLE revisions DROP COLUMN authors;"
                     " ALTER TABLE revisions DROP COLUMN feature_image;"
                     " ALTER TABLE revisions DROP COLUMN feature_image_alt;"
                     " ALTER TABLE revisions DROP COLUMN feature_image_caption;"
                     " ALTER TABLE revisions DROP COLUMN correction;"
                     " ALTER TABLE revisions DROP COLUMN minor;"
                     " DROP INDEX posts_breaking; DROP INDEX posts_pinned;"
                     " ALTER TABLE posts DROP COLUMN breaking;"
                     " ALTER TABLE posts DROP COLUMN breaking_until;"
                     " ALTER TABLE posts DROP COLUMN label; ALTER TABLE posts DROP COLUMN pinned;"
                     " ALTER TABLE posts DROP COLUMN correction;"
                     " ALTER TABLE posts DROP COLUMN corrected_at;"
                     " ALTER TABLE posts DROP COLUMN revised_at;"));
    free(db_query(s, "DROP TABLE redirects; DROP TABLE import_runs; DROP TABLE import_map;"
                     " DROP INDEX api_keys_key_id; ALTER TABLE api_keys DROP COLUMN key_id;"
                     " DROP TABLE post_meta; ALTER TABLE users DROP COLUMN location;"
                     " ALTER TABLE tags DROP COLUMN visibility;"
                     " DROP INDEX users_ghost_id; ALTER TABLE users DROP COLUMN ghost_id;"
                     " DROP INDEX tags_ghost_id; ALTER TABLE tags DROP COLUMN ghost_id;"
                     " DROP INDEX posts_ghost_id; ALTER TABLE posts DROP COLUMN ghost_id;"));
    free(db_query(s, "DROP TABLE media_files; DROP TABLE media;"
                     " ALTER TABLE posts DROP COLUMN feature_image_caption;"
                     " DROP TRIGGER posts_version; DROP TABLE editing; DROP TABLE secrets;"
                     " ALTER TABLE posts DROP COLUMN version;"
                     " ALTER TABLE users DROP COLUMN contact_confirmed; PRAGMA user_version = 4;"));
    char *v = db_query(s, "PRAGMA user_version");
    cr_assert_str_eq(v, "4");
    free(v);
}

/*
 * A schema-4 database with a login copied into a public contact e-mail (in another case)
 * and a distinct one, as versions before 5 left them; the server is not started yet.
 */
static void old_database(struct srv *s)
{
    cr_assert_eq(staff_add(s, "mig.admin@desk.example", "Mig Admin", "administrator", PW), 0);
    cr_assert_eq(staff_add(s, "mig.author@desk.example", "Mig Author", "author", PW), 0);
    srv_add_post(s, "m.md",
                 "---\ntitle: Bridges reopen\nauthors: [mig-author]\n---\nAll of them.\n");
    free(db_query(s, "UPDATE users SET contact_email = upper(email) WHERE slug = 'mig-author';"
                     "UPDATE users SET contact_email = 'desk@news.example'"
                     " WHERE slug = 'mig-admin';"));
    to_schema_4(s);
}

HTTP_SUITE(http_privacy_migration, old, 120, .prepare_only = true, .before_start = old_database);

Test(http_privacy_migration, schema_5_clears_login_copies_and_an_administrator_can_restore_one)
{
    srv_start(&old);
    char *v = db_query(&old, "PRAGMA user_version");
    cr_expect_str_eq(v, "13", "migrated to this program's schema (STORE_SCHEMA_VERSION)");
    free(v);
    /* the search index is complete after the migration that made it */
    v = db_query(&old,
                 "SELECT (SELECT count(*) FROM post_search) || ' '"
                 " || (SELECT count(*) FROM posts)"
                 " || ' ' || (SELECT count(*) FROM post_search WHERE post_search MATCH 'bridges')");
    cr_expect_str_eq(v, "1 1 1", "%s", v);
    free(v);
    v = db_query(&old, "SELECT group_concat(x, ' ') FROM (SELECT slug || '=' || contact_email"
                       " AS x FROM users WHERE password_hash IS NOT NULL ORDER BY slug)");
    cr_expect_str_eq(v, "mig-admin=desk@news.example mig-author=",
                     "the copy is cleared, a distinct address kept");
    free(v);
    v = db_query(&old, "SELECT count(*) FROM audit a JOIN users u ON 'user:' || u.id = a.target"
                       " WHERE a.action = 'privacy' AND u.slug = 'mig-author'"
                       " AND a.detail LIKE '%login e-mail%'");
    cr_expect_str_eq(v, "1", "an audit line says so");
    free(v);
    struct resp r;
    http_req(&old, "GET", "/bridges-reopen/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(!body_has(&r, "mailto:MIG.AUTHOR"));
    resp_free(&r);
    /* an administrator's explicit choice puts it back */
    struct staff admin;
    cr_assert_eq(staff_login(&old, "mig.admin@desk.example", PW, &admin), 303);
    char *id = db_query(&old, "SELECT id FROM users WHERE slug = 'mig-author'");
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%s/", id);
    staff_post(&old, &admin, path,
               "name=Mig+Author&slug=mig-author&email=mig.author%40desk.example"
               "&contact_email=MIG.AUTHOR%40desk.example&contact_confirm=1",
               &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
    srv_login_public(&old, "mig.author@desk.example");
    http_req(&old, "GET", "/bridges-reopen/", &r);
    cr_expect(body_has(&r, "mailto:MIG.AUTHOR@desk.example"));
    resp_free(&r);
    free(id);
}
