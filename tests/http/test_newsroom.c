/*
 * The newsroom through its real doors: accounts made with `newsdesk user`, logins through
 * the form, every role's allowed and refused actions, CSRF and Origin refusals, login rate
 * limits, expired sessions, publishing, corrections, unpublishing and scheduling seen on
 * the public pages, revisions, and the readers' tips.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff admin, editor, author, author2, contrib;

/* A newsroom in Kyiv's time zone with one account of each role (two authors). */
static void kyiv_staff(struct srv *s)
{
    char *err = NULL;
    cr_assert_eq(
        run_newsdesk(NULL, &err, "settings", "set", "--db", s->db, "timezone", "Europe/Kyiv", NULL),
        0, "%s", err);
    free(err);
    cr_assert_eq(staff_add(s, "admin@example.org", "Ada Admin", "administrator", PW), 0);
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "author2@example.org", "Bea Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "contrib@example.org", "Cal Contributor", "contributor", PW), 0);
}

HTTP_SUITE(http_newsroom, srv, 120, .posts = 5, .before_start = kyiv_staff);

static void login_all(void)
{
    cr_assert_eq(staff_login(&srv, "admin@example.org", PW, &admin), 303);
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    cr_assert_eq(staff_login(&srv, "author2@example.org", PW, &author2), 303);
    cr_assert_eq(staff_login(&srv, "contrib@example.org", PW, &contrib), 303);
}

static long count(const char *sql)
{
    char *v = db_query(&srv, sql);
    long n = atol(v);
    free(v);
    return n;
}

/* Creates a post as st with the action; returns its id (0 when refused) and the status. */
static long create(const struct staff *st, const char *title, const char *body, const char *tags,
                   const char *action, int *status)
{
    char *t = form_enc(title), *b = form_enc(body), *g = form_enc(tags);
    char form[8192];
    snprintf(form, sizeof(form), "title=%s&markdown=%s&tags=%s&action=%s", t, b, g, action);
    free(t);
    free(b);
    free(g);
    struct resp r;
    staff_post(&srv, st, "/admin/posts/new/", form, &r);
    *status = r.status;
    long id = r.status == 303 ? post_id_of(&r) : 0;
    resp_free(&r);
    return id;
}

/* A save of the editor's form, read at the post's current version (as a browser's is). */
static int save(const struct staff *st, long id, const char *title, const char *body,
                const char *tags, const char *action)
{
    char *t = form_enc(title), *b = form_enc(body), *g = form_enc(tags);
    char form[8192], path[64], sql[128];
    snprintf(sql, sizeof(sql), "SELECT coalesce(max(version), 0) FROM posts WHERE id = %ld", id);
    char *version = db_query(&srv, sql);
    snprintf(form, sizeof(form), "title=%s&markdown=%s&tags=%s&action=%s&version=%s", t, b, g,
             action, version);
    free(version);
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    free(t);
    free(b);
    free(g);
    struct resp r;
    staff_post(&srv, st, path, form, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

static int public_status(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    int s = r.status;
    resp_free(&r);
    return s;
}

static bool public_has(const char *path, const char *needle)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    bool has = r.status == 200 && body_has(&r, needle);
    resp_free(&r);
    return has;
}

static int get_status(const struct staff *st, const char *path)
{
    struct resp r;
    staff_get(&srv, st, path, &r);
    int s = r.status;
    resp_free(&r);
    return s;
}

/* ---- logging in -------------------------------------------------------------------- */

Test(http_newsroom, wrong_password_and_unknown_user_are_refused_alike)
{
    struct staff s;
    struct resp r;
    cr_expect_eq(staff_login(&srv, "editor@example.org", "not the password", &s), 401);
    cr_expect_eq(staff_login(&srv, "nobody@example.org", PW, &s), 401);
    cr_expect_eq(staff_login(&srv, "editor@example.org", "", &s), 400);
    /* the page says so without telling which part was wrong */
    http_req(&srv, "GET", "/admin/login/", &r);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM sessions"), 0);
    cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'login failed'"), 2);
    cr_expect_eq(staff_login(&srv, "EDITOR@example.org", PW, &s), 303, "e-mail is case-blind");
    cr_expect(s.csrf[0]);
}

Test(http_newsroom, login_is_rate_limited_per_account)
{
    struct staff s;
    for (int i = 0; i < 5; i++)
        cr_assert_eq(staff_login(&srv, "author2@example.org", "guess", &s), 401);
    /* now even the right password waits, with a clear message */
    cr_expect_eq(staff_login(&srv, "author2@example.org", PW, &s), 429);
    struct resp r;
    char *e = form_enc("author2@example.org");
    char body[512], origin[64], extra[128];
    http_req(&srv, "GET", "/admin/login/", &r);
    char *tok = strstr(r.body, "name=\"csrf\" value=\"");
    cr_assert(tok);
    tok += 19;
    char token[64];
    snprintf(token, sizeof(token), "%.*s", (int)strcspn(tok, "\""), tok);
    resp_free(&r);
    snprintf(body, sizeof(body), "csrf=%s&email=%s&password=x", token, e);
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(extra, sizeof(extra), "Cookie: nd_login=%s\r\n", token);
    form_post(&srv, "/admin/login/", origin, extra, body, &r);
    cr_expect_eq(r.status, 429);
    cr_expect(body_has(&r, "try again in"));
    char *retry = resp_header(&r, "retry-after");
    cr_expect(retry && atoi(retry) > 0);
    free(retry);
    resp_free(&r);
    free(e);
    /* other accounts are not locked out by it */
    cr_expect_eq(staff_login(&srv, "editor@example.org", PW, &s), 303);
}

Test(http_newsroom, expired_idle_and_ended_sessions_are_refused)
{
    login_all();
    cr_expect_eq(get_status(&editor, "/admin/"), 200);
    char *v = db_query(&srv, "UPDATE sessions SET expires_at = 1");
    free(v);
    struct resp r;
    staff_get(&srv, &editor, "/admin/", &r);
    cr_expect_eq(r.status, 303, "a page sends the browser to log in");
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strcmp(loc, "/admin/login/?next=/admin/") == 0, "%s", loc);
    free(loc);
    resp_free(&r);
    long before = count("SELECT count(*) FROM posts");
    int st;
    cr_expect_eq(create(&editor, "After expiry", "text", "", "save", &st), 0);
    cr_expect_eq(st, 401);
    cr_expect_eq(count("SELECT count(*) FROM posts"), before);
    /* idle: a session unused for longer than the idle timeout */
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    v = db_query(&srv, "UPDATE sessions SET seen_at = 1");
    free(v);
    cr_expect_eq(get_status(&author, "/admin/"), 303);
    /* logout ends it for good */
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    staff_post(&srv, &author, "/admin/logout/", "x=1", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(get_status(&author, "/admin/"), 303);
}

/* ---- CSRF and Origin --------------------------------------------------------------- */

Test(http_newsroom, csrf_and_origin_refusals_change_nothing)
{
    login_all();
    /* the pages themselves: never cached, never framed, no inline script allowed */
    struct resp page;
    staff_get(&srv, &editor, "/admin/", &page);
    char *csp = resp_header(&page, "content-security-policy");
    char *cc = resp_header(&page, "cache-control");
    char *xfo = resp_header(&page, "x-frame-options");
    cr_expect(csp && strstr(csp, "default-src 'self'") && !strstr(csp, "unsafe-inline"), "%s", csp);
    cr_expect(cc && strcmp(cc, "no-store") == 0, "%s", cc);
    cr_expect(xfo && strcmp(xfo, "DENY") == 0, "%s", xfo);
    cr_expect(!body_has(&page, "<script>") && !body_has(&page, "style=\""));
    free(csp);
    free(cc);
    free(xfo);
    resp_free(&page);
    long before = count("SELECT count(*) FROM posts");
    char origin[64], extra[256];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(extra, sizeof(extra), "Cookie: nd_session=%s\r\n", editor.session);
    const char *form = "title=Forged&markdown=x&action=publish";
    struct resp r;
    form_post(&srv, "/admin/posts/new/", origin, extra, form, &r);
    cr_expect_eq(r.status, 403, "no token");
    cr_expect(body_has(&r, "CSRF"));
    resp_free(&r);
    form_post(&srv, "/admin/posts/new/", origin, extra,
              "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&title=Forged&markdown=x", &r);
    cr_expect_eq(r.status, 403, "a wrong token");
    resp_free(&r);
    char body[256];
    snprintf(body, sizeof(body), "csrf=%s&%s", editor.csrf, form);
    form_post(&srv, "/admin/posts/new/", "https://evil.example", extra, body, &r);
    cr_expect_eq(r.status, 403, "another site's Origin");
    cr_expect(body_has(&r, "cross-site"));
    resp_free(&r);
    form_post(&srv, "/admin/posts/new/", NULL, extra, body, &r);
    cr_expect_eq(r.status, 403, "no Origin and no Referer");
    resp_free(&r);
    /* another session's token does not fit this session */
    snprintf(body, sizeof(body), "csrf=%s&%s", author.csrf, form);
    form_post(&srv, "/admin/posts/new/", origin, extra, body, &r);
    cr_expect_eq(r.status, 403, "a token of another session");
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM posts"), before);
    cr_expect(!public_has("/", "Forged"));
    /* the login form needs its own cookie and token too */
    form_post(&srv, "/admin/login/", origin, NULL,
              "csrf=x&email=editor%40example.org&password=correct+horse+battery", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    /* an address that names no post is not a new post */
    form_post(&srv, "/admin/posts/abc/", origin, extra, body, &r);
    cr_expect_eq(r.status, 403, "still needs the right token");
    resp_free(&r);
    snprintf(body, sizeof(body), "csrf=%s&title=Nowhere&markdown=x", editor.csrf);
    form_post(&srv, "/admin/posts/abc/", origin, extra, body, &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    form_post(&srv, "/admin/posts/99999/", origin, extra, body, &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM posts"), before);
    /* and the right token passes */
    int st;
    cr_expect_neq(create(&editor, "Genuine", "x", "", "save", &st), 0);
}

/* ---- the permission matrix --------------------------------------------------------- */

Test(http_newsroom, contributor_writes_drafts_and_never_publishes)
{
    login_all();
    int st;
    long mine = create(&contrib, "Contributor draft", "First words.", "News Feed", "save", &st);
    cr_assert_neq(mine, 0, "status %d", st);
    cr_expect_eq(save(&contrib, mine, "Contributor draft", "Second words.", "News Feed", "save"),
                 303, "edits own draft");
    /* a crafted POST asking to publish */
    cr_expect_eq(save(&contrib, mine, "Contributor draft", "x", "News Feed", "publish"), 403);
    cr_expect_eq(save(&contrib, mine, "Contributor draft", "x", "News Feed", "schedule"), 403);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT status = 'draft' FROM posts WHERE id = %ld", mine);
    cr_expect_eq(count(sql), 1);
    cr_expect_eq(public_status("/contributor-draft/"), 404);
    long before = count("SELECT count(*) FROM posts");
    cr_expect_eq(create(&contrib, "Straight to print", "x", "", "publish", &st), 0);
    cr_expect_eq(st, 403);
    cr_expect_eq(count("SELECT count(*) FROM posts"), before);
    /* a tag that does not exist yet is an editor's call */
    cr_expect_eq(create(&contrib, "New tag", "x", "Brand New Section", "save", &st), 0);
    cr_expect_eq(st, 403);
    cr_expect_eq(count("SELECT count(*) FROM tags WHERE name = 'Brand New Section'"), 0);
    /* someone else's post, the inbox, tags, staff access, the audit log */
    long theirs = create(&author, "Author story", "x", "", "publish", &st);
    cr_assert_neq(theirs, 0);
    cr_expect_eq(save(&contrib, theirs, "Hijacked", "x", "", "save"), 403);
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", theirs);
    cr_expect_eq(get_status(&contrib, path), 403);
    cr_expect_eq(get_status(&contrib, "/admin/tips/"), 403);
    cr_expect_eq(get_status(&contrib, "/admin/tags/"), 403);
    cr_expect_eq(get_status(&contrib, "/admin/audit/"), 403);
    cr_expect(public_has("/author-story/", "Author story"));
    /* the staff list shows a contributor the bylines, not the others' logins */
    struct resp staff;
    staff_get(&srv, &contrib, "/admin/staff/", &staff);
    cr_expect_eq(staff.status, 200);
    cr_expect(body_has(&staff, "contrib@example.org") && !body_has(&staff, "editor@example.org"));
    resp_free(&staff);
    /* deleting its own draft is allowed */
    snprintf(path, sizeof(path), "/admin/posts/%ld/delete/", mine);
    struct resp r;
    staff_post(&srv, &contrib, path, "x=1", &r);
    cr_expect_eq(r.status, 400, "not without confirming");
    resp_free(&r);
    staff_post(&srv, &contrib, path, "confirm=yes", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM posts WHERE id = %ld", mine);
    cr_expect_eq(count(sql), 0);
}

Test(http_newsroom, author_publishes_and_edits_only_own_posts)
{
    login_all();
    int st;
    long mine = create(&author, "Own report", "Mine.", "News Feed", "publish", &st);
    cr_assert_neq(mine, 0);
    cr_expect(public_has("/own-report/", "Mine."));
    long theirs = create(&author2, "Colleague report", "Theirs.", "News Feed", "publish", &st);
    cr_assert_neq(theirs, 0);
    cr_expect_eq(save(&author, theirs, "Colleague report", "Changed.", "News Feed", "update"), 403);
    cr_expect(public_has("/colleague-report/", "Theirs."));
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/delete/", theirs);
    struct resp r;
    staff_post(&srv, &author, path, "confirm=yes", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    cr_expect_eq(public_status("/colleague-report/"), 200);
    cr_expect_eq(get_status(&author, "/admin/tips/"), 403);
    cr_expect_eq(get_status(&author, "/admin/tags/"), 403);
    /* a new tag is fine for an author, once confirmed (new_tags: a typo is not a tag) */
    cr_expect_eq(create(&author, "Tagged", "x", "Fresh Tag", "save", &st), 0);
    cr_expect_eq(st, 400);
    staff_post(&srv, &author, "/admin/posts/new/",
               "title=Tagged&markdown=x&tags=Fresh+Tag&new_tags=Fresh+Tag&action=save", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    /* unpublishing its own (confirmed: the editor asks first) */
    cr_expect_eq(save(&author, mine, "Own report", "Mine.", "News Feed", "unpublish&confirm=yes"),
                 303);
    cr_expect_eq(public_status("/own-report/"), 404);
}

Test(http_newsroom, editor_runs_the_desk_but_not_the_staff)
{
    login_all();
    int st;
    long theirs = create(&author, "Draft by author", "Rough.", "", "save", &st);
    cr_assert_neq(theirs, 0);
    cr_expect_eq(save(&editor, theirs, "Draft by author", "Polished.", "", "publish"), 303);
    cr_expect(public_has("/draft-by-author/", "Polished."));
    cr_expect_eq(get_status(&editor, "/admin/tips/"), 200);
    cr_expect_eq(get_status(&editor, "/admin/tags/"), 200);
    cr_expect_eq(get_status(&editor, "/admin/audit/"), 403);
    char *tag = db_query(&srv, "SELECT id FROM tags ORDER BY id LIMIT 1");
    char path[64];
    snprintf(path, sizeof(path), "/admin/tags/%s/", tag);
    free(tag);
    struct resp r;
    staff_post(&srv, &editor, path, "name=Breaking&slug=breaking&description=Now", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM tags WHERE slug = 'breaking'"), 1);
    cr_expect_eq(public_status("/tag/breaking/"), 200);
    char *id = db_query(&srv, "SELECT id FROM users WHERE email = 'author@example.org'");
    snprintf(path, sizeof(path), "/admin/staff/%s/access/", id);
    free(id);
    staff_post(&srv, &editor, path, "role=administrator", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM users WHERE role = 'administrator'"), 1);
}

Test(http_newsroom, administrator_changes_roles_disables_and_reads_the_audit_log)
{
    login_all();
    int st;
    cr_assert_neq(create(&author, "Audited", "x", "", "publish", &st), 0);
    struct resp r;
    staff_get(&srv, &admin, "/admin/audit/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "login"));
    cr_expect(body_has(&r, "publish"));
    resp_free(&r);
    char *id = db_query(&srv, "SELECT id FROM users WHERE email = 'author@example.org'");
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%s/access/", id);
    free(id);
    staff_post(&srv, &admin, path, "role=editor", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM users WHERE email = 'author@example.org' "
                       "AND role = 'editor'"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'change role'"), 1);
    /* disabling signs the account out at once */
    id = db_query(&srv, "SELECT id FROM users WHERE email = 'contrib@example.org'");
    snprintf(path, sizeof(path), "/admin/staff/%s/access/", id);
    free(id);
    cr_expect_eq(get_status(&contrib, "/admin/"), 200);
    staff_post(&srv, &admin, path, "role=contributor&disabled=1", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(get_status(&contrib, "/admin/"), 303);
    struct staff again;
    cr_expect_eq(staff_login(&srv, "contrib@example.org", PW, &again), 401);
    /* the last administrator cannot be demoted */
    id = db_query(&srv, "SELECT id FROM users WHERE email = 'admin@example.org'");
    snprintf(path, sizeof(path), "/admin/staff/%s/access/", id);
    free(id);
    staff_post(&srv, &admin, path, "role=editor", &r);
    cr_expect_eq(r.status, 400, "not your own");
    resp_free(&r);
}

/* ---- what readers see -------------------------------------------------------------- */

Test(http_newsroom, publish_correct_and_unpublish_show_on_the_site_at_once)
{
    login_all();
    cr_expect(!public_has("/", "Ferry resumes"));
    public_status("/rss/"); /* cached now */
    int st;
    long id = create(&author, "Ferry resumes service", "Boats sail again at noon.", "News Feed",
                     "publish", &st);
    cr_assert_neq(id, 0, "status %d", st);
    cr_expect(public_has("/", "Ferry resumes service"));
    cr_expect(public_has("/rss/", "Ferry resumes service"));
    cr_expect(public_has("/ferry-resumes-service/", "Boats sail again at noon."));
    cr_expect_eq(save(&author, id, "Ferry resumes service", "Boats sail again at one.", "News Feed",
                      "update"),
                 303);
    cr_expect(public_has("/ferry-resumes-service/", "Boats sail again at one."));
    cr_expect_eq(save(&author, id, "Ferry resumes service", "x", "News Feed", "unpublish"), 200,
                 "asked first");
    cr_expect_eq(public_status("/ferry-resumes-service/"), 200, "nothing changed yet");
    cr_expect_eq(
        save(&author, id, "Ferry resumes service", "x", "News Feed", "unpublish&confirm=yes"), 303);
    cr_expect_eq(public_status("/ferry-resumes-service/"), 404);
    cr_expect(!public_has("/", "Ferry resumes service"));
    cr_expect(!public_has("/rss/", "Ferry resumes service"));
}

/* "2026-11-26T10:15:07" in Kyiv time, t seconds from now. */
static void kyiv_in(int seconds, char out[32])
{
    time_t t = time(NULL) + seconds;
    setenv("TZ", "Europe/Kyiv", 1);
    tzset();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    unsetenv("TZ");
    tzset();
}

Test(http_newsroom, a_post_scheduled_two_seconds_ahead_appears_by_itself)
{
    login_all();
    int st;
    long id = create(&editor, "Curfew lifted", "From midnight.", "News Feed", "save", &st);
    cr_assert_neq(id, 0);
    char when[32], form[512], path[64];
    kyiv_in(2, when);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT version FROM posts WHERE id = %ld", id);
    snprintf(form, sizeof(form),
             "title=Curfew+lifted&markdown=From+midnight.&tags=News+Feed"
             "&action=schedule&publish_at=%s&version=%ld",
             when, count(sql));
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    struct resp r;
    staff_post(&srv, &editor, path, form, &r);
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    snprintf(sql, sizeof(sql), "SELECT status = 'published' FROM posts WHERE id = %ld", id);
    cr_expect_eq(count(sql), 0, "not before its time");
    /* no request to the server meanwhile: only the database is watched */
    bool published = false;
    for (int i = 0; i < 40 && !published; i++) {
        usleep(100 * 1000);
        published = count(sql) == 1;
    }
    cr_expect(published, "published within a second of its time");
    cr_expect(public_has("/", "Curfew lifted"));
    cr_expect(public_has("/curfew-lifted/", "From midnight."));
    cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'publish' AND detail = "
                       "'scheduled'"),
                 1);
}

Test(http_newsroom, bad_schedules_and_oversized_titles_are_refused)
{
    login_all();
    int st;
    long id = create(&editor, "Timing", "x", "", "save", &st);
    cr_assert_neq(id, 0);
    char path[64], when[32], form[512];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    kyiv_in(-3600, when);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT version FROM posts WHERE id = %ld", id);
    long version = count(sql);
    snprintf(form, sizeof(form),
             "title=Timing&markdown=x&action=schedule&publish_at=%s&version=%ld", when, version);
    struct resp r;
    staff_post(&srv, &editor, path, form, &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "that time has passed"));
    resp_free(&r);
    snprintf(form, sizeof(form),
             "title=Timing&markdown=x&action=schedule&publish_at=soon&version=%ld", version);
    staff_post(&srv, &editor, path, form, &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "is not a date and time"));
    resp_free(&r);
    snprintf(sql, sizeof(sql), "SELECT status FROM posts WHERE id = %ld", id);
    char *status = db_query(&srv, sql);
    cr_expect_str_eq(status, "draft");
    free(status);
    /* a 10 MB title */
    size_t big = 10 * 1024 * 1024;
    char *form2 = malloc(big + 64);
    strcpy(form2, "title=");
    memset(form2 + 6, 'A', big);
    strcpy(form2 + 6 + big, "&markdown=x&action=save");
    long before = count("SELECT count(*) FROM posts");
    staff_post(&srv, &editor, "/admin/posts/new/", form2, &r);
    cr_expect_eq(r.status, 413);
    resp_free(&r);
    free(form2);
    /* and a title just past the limit, which fits the request */
    char longtitle[400];
    memset(longtitle, 'B', 301);
    longtitle[301] = '\0';
    cr_expect_eq(create(&editor, longtitle, "x", "", "save", &st), 0);
    cr_expect_eq(st, 400);
    cr_expect_eq(count("SELECT count(*) FROM posts"), before);
}

Test(http_newsroom, revisions_are_kept_and_one_can_be_restored)
{
    login_all();
    int st;
    long id = create(&author, "Storm warning", "Winds of 20 m/s.", "News Feed", "publish", &st);
    cr_assert_neq(id, 0);
    cr_assert_eq(save(&author, id, "Storm warning", "Winds of 30 m/s.\n\nSchools closed.",
                      "News Feed", "update"),
                 303);
    cr_expect(public_has("/storm-warning/", "Schools closed."));
    char sql[160], path[64];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM revisions WHERE post_id = %ld", id);
    cr_expect_eq(count(sql), 2);
    snprintf(path, sizeof(path), "/admin/posts/%ld/revisions/", id);
    struct resp r;
    staff_get(&srv, &author, path, &r);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(body_count(&r, "/admin/revisions/"), 2);
    resp_free(&r);
    snprintf(sql, sizeof(sql), "SELECT min(id) FROM revisions WHERE post_id = %ld", id);
    long first = count(sql);
    snprintf(path, sizeof(path), "/admin/revisions/%ld/", first);
    staff_get(&srv, &author, path, &r);
    cr_expect_eq(r.status, 200);
    /* a word diff: only the changed words are marked */
    cr_expect(body_has(&r, "Winds of <del><span class=\"visually-hidden\">[removed: </span>20<"));
    cr_expect(body_has(&r, "<ins><span class=\"visually-hidden\">[added: </span>30<"));
    resp_free(&r);
    /* another author may not see or restore it */
    cr_expect_eq(get_status(&author2, path), 403);
    snprintf(path, sizeof(path), "/admin/revisions/%ld/restore/", first);
    staff_post(&srv, &author2, path, "x=1", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    staff_post(&srv, &author, path, "x=1", &r);
    cr_expect_eq(r.status, 200, "asked first");
    resp_free(&r);
    cr_expect(public_has("/storm-warning/", "Schools closed."), "nothing changed yet");
    staff_post(&srv, &author, path, "confirm=yes", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect(public_has("/storm-warning/", "Winds of 20 m/s."));
    cr_expect(!public_has("/storm-warning/", "Schools closed."));
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM revisions WHERE post_id = %ld", id);
    cr_expect_eq(count(sql), 3);
}

/* ---- tips -------------------------------------------------------------------------- */

static int send_tip(const char *form, const char *origin)
{
    struct resp r;
    form_post(&srv, "/tips/", origin, NULL, form, &r);
    int s = r.status;
    resp_free(&r);
    return s;
}

Test(http_newsroom, tips_arrive_escaped_in_the_inbox)
{
    login_all();
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    cr_expect(public_has("/tips/", "Send us a tip"));
    cr_expect(public_has("/tips/?about=news-desk", "News Desk"));
    char *msg = form_enc("<script>alert('tip')</script> <b>Fire</b> at the depot & more");
    char form[1024];
    snprintf(form, sizeof(form),
             "message=%s&name=%s&email=reader%%40example.org&link=%s"
             "&about=news-desk",
             msg, "%3Cimg+src%3Dx+onerror%3Dalert(1)%3E", "javascript%3Aalert(1)");
    free(msg);
    cr_expect_eq(send_tip(form, origin), 400, "a javascript: link is refused");
    snprintf(form, sizeof(form), "message=%s&name=%s&about=news-desk",
             "%3Cscript%3Ealert('tip')%3C%2Fscript%3E+%3Cb%3EFire%3C%2Fb%3E",
             "%3Cimg+src%3Dx+onerror%3Dalert(1)%3E");
    cr_expect_eq(send_tip(form, origin), 303);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 1);
    struct resp r;
    staff_get(&srv, &editor, "/admin/tips/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "&lt;script&gt;alert(&#39;tip&#39;)&lt;/script&gt;"));
    cr_expect(!body_has(&r, "<script>alert"));
    cr_expect(!body_has(&r, "<img src=x"));
    cr_expect(body_has(&r, "&lt;b&gt;Fire&lt;/b&gt;"));
    resp_free(&r);
    cr_expect_eq(get_status(&author, "/admin/tips/"), 403);
    /* handled, then deleted */
    char *id = db_query(&srv, "SELECT id FROM tips");
    char path[64];
    snprintf(path, sizeof(path), "/admin/tips/%s/", id);
    free(id);
    staff_post(&srv, &editor, path, "action=handled", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM tips WHERE handled_at IS NOT NULL"), 1);
    staff_post(&srv, &editor, path, "action=delete", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 0);
}

Test(http_newsroom, bad_tips_are_refused_and_floods_slowed)
{
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    cr_expect_eq(send_tip("message=&name=x", origin), 400, "a message is required");
    cr_expect_eq(send_tip("message=Hello", "https://evil.example"), 403);
    cr_expect_eq(send_tip("message=Hello&email=not-an-address", origin), 400);
    size_t big = 12000;
    char *form = malloc(big + 16);
    strcpy(form, "message=");
    memset(form + 8, 'x', big);
    form[8 + big] = '\0';
    cr_expect_eq(send_tip(form, origin), 413);
    free(form);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 0);
    /* a bot fills the field people never see: thanked, not stored */
    cr_expect_eq(send_tip("message=Buy+now&website=http%3A%2F%2Fspam.example", origin), 303);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 0);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(send_tip("message=A+real+tip", origin), 303);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 4);
    cr_expect_eq(send_tip("message=One+too+many", origin), 429);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 4);
}

/* One reader's tip, sent from a thread of its own. */
static void *tip_racer(void *arg)
{
    int *status = arg;
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    *status = send_tip("message=Sent+at+the+same+moment", origin);
    return NULL;
}

Test(http_newsroom, tips_sent_at_once_get_no_more_than_the_limit)
{
    enum { N = 12 };
    pthread_t t[N];
    int status[N] = {0};
    for (int i = 0; i < N; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, tip_racer, &status[i]), 0);
    int sent = 0, slowed = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        sent += status[i] == 303;
        slowed += status[i] == 429;
    }
    cr_expect_eq(sent, 5, "five tips per address in ten minutes, however they arrive");
    cr_expect_eq(slowed, N - 5);
    cr_expect_eq(count("SELECT count(*) FROM tips"), 5);
}

/* ---- the command line -------------------------------------------------------------- */

Test(http_newsroom, user_command_keeps_passwords_out_of_argv_and_checks_input)
{
    cr_expect_eq(staff_add(&srv, "short@example.org", "Short", "author", "tiny"), 1);
    cr_expect_eq(staff_add(&srv, "x@example.org", "X", "overlord", PW), 1);
    cr_expect_eq(staff_add(&srv, "admin@example.org", "Again", "author", PW), 1, "taken login");
    cr_expect_eq(count("SELECT count(*) FROM users WHERE email IN ('short@example.org', "
                       "'x@example.org') OR name = 'Again'"),
                 0);
    char *out = NULL, *err = NULL;
    cr_expect_eq(run_newsdesk(&out, &err, "user", "list", "--db", srv.db, NULL), 0);
    cr_expect(strstr(out, "editor@example.org"));
    cr_expect(!strstr(out, "$argon2id"));
    free(out);
    free(err);
    cr_expect_eq(run_newsdesk(NULL, NULL, "user", "set-role", "--db", srv.db, "author@example.org",
                              "editor", NULL),
                 0);
    cr_expect_eq(count("SELECT count(*) FROM users WHERE email = 'author@example.org' AND "
                       "role = 'editor'"),
                 1);
    cr_expect_eq(
        run_newsdesk(NULL, NULL, "user", "disable", "--db", srv.db, "admin@example.org", NULL), 1,
        "the last administrator");
    cr_expect_eq(
        run_newsdesk(NULL, NULL, "user", "disable", "--db", srv.db, "contrib@example.org", NULL),
        0);
    struct staff s;
    cr_expect_eq(staff_login(&srv, "contrib@example.org", PW, &s), 401);
    cr_expect_eq(count("SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"), 5);
}

/* ---- settings ---------------------------------------------------------------------- */

static void set_title_in_browser(const char *title, int expect)
{
    char *t = form_enc(title);
    char form[1024];
    snprintf(form, sizeof(form),
             "title=%s&description=About&url=http%%3A%%2F%%2F127.0.0.1%%3A8080"
             "&language=en&timezone=Europe%%2FKyiv&posts_per_page=15&contact_email=",
             t);
    free(t);
    struct resp r;
    staff_post(&srv, &admin, "/admin/settings/", form, &r);
    cr_expect_eq(r.status, expect, "%s", r.body);
    resp_free(&r);
}

Test(http_newsroom, settings_change_the_site_at_once_from_the_editor_or_the_command_line)
{
    login_all();
    cr_expect(public_has("/", "<title>The Daily Desk"));
    cr_expect_eq(get_status(&editor, "/admin/settings/"), 403);
    cr_expect_eq(get_status(&admin, "/admin/settings/"), 200);
    set_title_in_browser("Evening Desk", 303);
    cr_expect(public_has("/", "<title>Evening Desk"), "the home page has the new title");
    cr_expect(public_has("/rss/", "<title>Evening Desk</title>"), "and so has the feed");
    /* a bad value changes nothing */
    struct resp r;
    staff_post(&srv, &admin, "/admin/settings/", "title=X&posts_per_page=1000", &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    cr_expect(public_has("/", "<title>Evening Desk"));
    cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'change settings'"), 1);
    /* `newsdesk settings set` in another process reaches the running server too */
    cr_expect_eq(
        run_newsdesk(NULL, NULL, "settings", "set", "--db", srv.db, "title", "Night Desk", NULL),
        0);
    cr_expect(public_has("/", "<title>Night Desk"));
    /* and without a response cache, the editor's change still shows at once */
    srv_stop(&srv);
    srv_start_with(&srv, "--cache-mb", "0");
    cr_assert_eq(staff_login(&srv, "admin@example.org", PW, &admin), 303);
    set_title_in_browser("Morning Desk", 303);
    cr_expect(public_has("/", "<title>Morning Desk"));
}

Test(http_newsroom, login_is_rate_limited_per_address_too)
{
    struct staff s;
    char email[64];
    /*
     * wrong guesses for twenty accounts, none tried often enough to lock it: the address
     * limit counts accounts, so that colleagues' typos behind one address do not add up
     */
    static const char *const real[] = {"editor@example.org", "author@example.org",
                                       "author2@example.org", "contrib@example.org"};
    for (int i = 0; i < 20; i++) {
        snprintf(email, sizeof(email), "guess%d@example.org", i);
        cr_assert_eq(staff_login(&srv, i < 4 ? real[i] : email, "wrong", &s), 401, "attempt %d", i);
    }
    cr_expect_eq(staff_login(&srv, "admin@example.org", PW, &s), 429,
                 "this address waits, whichever account it tries");
}

Test(http_newsroom, overdue_scheduled_posts_are_published_at_start_up)
{
    srv_stop(&srv);
    srv_add_post(&srv, "late.md",
                 "---\ntitle: Published while the server was down\nstatus: scheduled\n"
                 "published_at: 2026-01-01T09:00:00Z\n---\nIt waited.\n");
    cr_expect_eq(count("SELECT count(*) FROM posts WHERE status = 'scheduled'"), 1);
    srv_start(&srv);
    bool published = false;
    for (int i = 0; i < 30 && !published; i++) {
        usleep(100 * 1000);
        published = count("SELECT count(*) FROM posts WHERE status = 'scheduled'") == 0;
    }
    cr_expect(published, "published by the server itself, without a request");
    cr_expect(public_has("/published-while-the-server-was-down/", "It waited."));
    /* at the time it was scheduled for, not at the time the server came back */
    cr_expect_eq(count("SELECT published_at FROM posts WHERE slug = "
                       "'published-while-the-server-was-down'"),
                 1767258000);
}
