/*
 * One-time links to set a password, through the real doors: an administrator makes a
 * password reset link or an invitation on the staff pages, the person opens it without a
 * session, sets a password and logs in with it. A link works once and for its time only,
 * and nothing else changes when it does not; an invitation for a login someone has is
 * refused; only administrators make links; the token stays out of the server's logs.
 * Time passes by editing expires_at in the database, as the server reads it on each use.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#define PW "correct horse battery"
#define NEW_PW "a brand new passphrase"

static struct srv srv;

static void people(struct srv *s)
{
    cr_assert_eq(staff_add(s, "admin@example.org", "Ada Admin", "administrator", PW), 0);
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
}

/* each test starts the server itself, with an access log in its folder */
HTTP_SUITE(http_accounts, srv, 120, .before_start = people, .prepare_only = true);

static char access_log[SRV_PATH_MAX];

static void start(void)
{
    snprintf(access_log, sizeof(access_log), "%s/access.log", srv.dir);
    const char *const args[] = {"--access-log", access_log, NULL};
    srv_start_args(&srv, args);
}

static long user_id(const char *email)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT id FROM users WHERE email = '%s'", email);
    return db_countf(&srv, "%s", sql);
}

static char *password_hash(const char *email)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT coalesce(password_hash, 'none') FROM users WHERE email = '%s'", email);
    return db_query(&srv, sql);
}

static struct staff login(const char *email, const char *password)
{
    struct staff s;
    cr_assert_eq(staff_login(&srv, email, password, &s), 303, "%s logs in", email);
    return s;
}

/* Every link's time is over. */
static void age_links(void)
{
    free(db_queryf(&srv, "UPDATE account_tokens SET expires_at = %lld", (long long)time(NULL) - 1));
}

/* The path of the link a page shows ("/admin/reset/TOKEN/"), malloc'd; NULL when none. */
static char *link_path(const struct resp *r)
{
    char *url = body_between(r, "id=\"link-url\" type=\"text\" readonly value=\"", "\"");
    if (!url)
        return NULL;
    const char *p = strstr(url, "/admin/reset/");
    char *path = p ? strdup(p) : NULL;
    free(url);
    return path;
}

/* An administrator makes a link on the person's page; returns its path. */
static char *make_link(const struct staff *admin, long id)
{
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%ld/link/", id);
    struct resp r;
    staff_post(&srv, admin, path, "", &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char *link = link_path(&r);
    cr_assert(link, "the page shows the link: %s", r.body);
    cr_expect(body_has(&r, "a channel you trust"), "the page says how to pass it on");
    resp_free(&r);
    return link;
}

/* The token part of a link's path. */
static const char *token_of(const char *link)
{
    return link + strlen("/admin/reset/");
}

/* Opens the link and sends the form with the two passwords; returns the POST's status. */
static int use_link(const char *link, const char *pw, const char *again, struct resp *out)
{
    struct resp r;
    http_req(&srv, "GET", link, &r);
    int status = r.status;
    char *cookie = resp_header(&r, "set-cookie");
    char *csrf = body_attr(&r, "name=\"csrf\" value");
    resp_free(&r);
    if (status != 200) {
        free(cookie);
        free(csrf);
        return status;
    }
    cr_assert(cookie && csrf, "the form sets its double-submit token");
    cookie[strcspn(cookie, ";")] = '\0';
    char origin[64], extra[256], body[512];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(extra, sizeof(extra), "Cookie: %s\r\n", cookie);
    char *p = form_enc(pw), *a = form_enc(again);
    snprintf(body, sizeof(body), "csrf=%s&password=%s&again=%s", csrf, p, a);
    free(p);
    free(a);
    free(cookie);
    free(csrf);
    form_post(&srv, link, origin, extra, body, out);
    return out->status;
}

static int use_link_status(const char *link, const char *pw)
{
    struct resp r = {0};
    int status = use_link(link, pw, pw, &r);
    if (r.head)
        resp_free(&r);
    return status;
}

Test(http_accounts, a_reset_link_sets_a_new_password_once)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    struct staff old = login("author@example.org", PW);
    char *link = make_link(&admin, user_id("author@example.org"));
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM account_tokens WHERE kind = 'reset'"), 1);

    struct resp r;
    http_req(&srv, "GET", link, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "Set a new password") && body_has(&r, "Aut Author"));
    resp_free(&r);

    cr_assert_eq(use_link(link, NEW_PW, NEW_PW, &r), 303, "%s", r.body);
    char *to = resp_header(&r, "location");
    cr_expect_str_eq(to, "/admin/login/?password_set=1");
    free(to);
    resp_free(&r);
    http_req(&srv, "GET", "/admin/login/?password_set=1", &r);
    cr_expect(body_has(&r, "Your password is set"));
    resp_free(&r);

    staff_get(&srv, &old, "/admin/", &r);
    cr_expect_neq(r.status, 200, "the account's other sessions ended");
    resp_free(&r);
    struct staff s;
    cr_expect_eq(staff_login(&srv, "author@example.org", PW, &s), 401, "the old one is gone");
    cr_expect_eq(staff_login(&srv, "author@example.org", NEW_PW, &s), 303);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM audit WHERE action = 'reset password'"), 1);

    /* the same link again: gone, and nothing changes */
    char *hash = password_hash("author@example.org");
    http_req(&srv, "GET", link, &r);
    cr_expect_eq(r.status, 410);
    cr_expect(body_has(&r, "ask an administrator for a new link"), "%s", r.body);
    cr_expect(body_has(&r, "No longer valid") && body_has(&r, "href=\"/admin/login/\""));
    resp_free(&r);
    cr_expect_eq(use_link_status(link, "yet another passphrase"), 410);
    char *after = password_hash("author@example.org");
    cr_expect_str_eq(after, hash, "the password stays");
    free(after);
    free(hash);
    free(link);
}

Test(http_accounts, a_link_past_its_hour_is_gone_and_changes_nothing)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    char *link = make_link(&admin, user_id("author@example.org"));
    cr_expect_eq(db_countf(&srv, "SELECT expires_at - created_at FROM account_tokens"), 3600);
    char *hash = password_hash("author@example.org");
    age_links();
    struct resp r;
    http_req(&srv, "GET", link, &r);
    cr_expect_eq(r.status, 410);
    cr_expect(body_has(&r, "expired"), "%s", r.body);
    resp_free(&r);
    cr_expect_eq(use_link_status(link, NEW_PW), 410);
    char *after = password_hash("author@example.org");
    cr_expect_str_eq(after, hash);
    free(after);
    free(hash);
    login("author@example.org", PW);
    free(link);
}

Test(http_accounts, a_new_link_replaces_the_older_one)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    long id = user_id("author@example.org");
    char *first = make_link(&admin, id), *second = make_link(&admin, id);
    cr_expect_eq(use_link_status(first, NEW_PW), 410, "the older link ends");
    cr_expect_eq(use_link_status(second, NEW_PW), 303);
    login("author@example.org", NEW_PW);
    free(first);
    free(second);
}

Test(http_accounts, an_unknown_or_forged_link_is_not_found)
{
    start();
    struct resp r;
    http_req(&srv, "GET", "/admin/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/", &r);
    cr_expect_eq(r.status, 404);
    cr_expect(body_has(&r, "ask an administrator for a new link"));
    resp_free(&r);
    http_req(&srv, "GET", "/admin/reset/short/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
}

Test(http_accounts, the_form_needs_its_token_and_this_sites_origin)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    char *link = make_link(&admin, user_id("author@example.org"));
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    struct resp r;
    form_post(&srv, link, origin, NULL, "csrf=x&password=a+long+passphrase&again=a+long+passphrase",
              &r);
    cr_expect_eq(r.status, 403, "no double-submit cookie");
    resp_free(&r);
    form_post(&srv, link, "https://evil.example", "Cookie: nd_login=x\r\n",
              "csrf=x&password=a+long+passphrase&again=a+long+passphrase", &r);
    cr_expect_eq(r.status, 403, "another site's form");
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM account_tokens WHERE used_at IS NOT NULL"),
                 0);
    /* a short password and two that differ are refused, and the link still works */
    cr_expect_eq(use_link_status(link, "short"), 400);
    cr_expect_eq(use_link(link, NEW_PW, "something else here", &r), 400);
    cr_expect(body_has(&r, "differ"));
    resp_free(&r);
    cr_expect_eq(use_link_status(link, NEW_PW), 303);
    free(link);
}

/* An administrator's invitation; returns the response's status and the link (or NULL). */
static int invite(const struct staff *admin, const char *name, const char *email, const char *role,
                  char **link, struct resp *r)
{
    char form[512];
    char *n = form_enc(name), *e = form_enc(email);
    snprintf(form, sizeof(form), "invite=1&name=%s&email=%s&role=%s", n, e, role);
    free(n);
    free(e);
    staff_post(&srv, admin, "/admin/staff/", form, r);
    *link = r->status == 200 ? link_path(r) : NULL;
    return r->status;
}

Test(http_accounts, an_invitation_works_once)
{
    start();
    srv_login_add(&srv, "newcomer@example.org");
    struct staff admin = login("admin@example.org", PW);
    struct resp r;
    char *link;
    cr_assert_eq(invite(&admin, "Nia Newcomer", "newcomer@example.org", "author", &link, &r), 200,
                 "%s", r.body);
    cr_assert(link, "the invitation's link is shown: %s", r.body);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv,
                           "SELECT count(*) FROM users WHERE email = 'newcomer@example.org'"
                           " AND password_hash IS NULL AND role = 'author' AND status = 'active'"),
                 1, "an account without a password");
    cr_expect_eq(
        db_countf(&srv, "SELECT expires_at - created_at FROM account_tokens WHERE kind = 'invite'"),
        7 * 24 * 3600);
    struct staff s;
    cr_expect_eq(staff_login(&srv, "newcomer@example.org", "", &s), 400);
    cr_expect_eq(staff_login(&srv, "newcomer@example.org", NEW_PW, &s), 401,
                 "no login until the link is used");
    staff_get(&srv, &admin, "/admin/staff/", &r);
    cr_expect(body_has(&r, "(no password yet)"));
    resp_free(&r);
    char *out = NULL;
    cr_expect_eq(run_newsdesk(&out, NULL, "user", "list", "--db", srv.db, NULL), 0);
    const char *row = out ? strstr(out, "newcomer@example.org") : NULL;
    cr_expect(row, "`user list` shows the invitation's login: %s", out);
    const char *bol = row;
    while (bol && bol > out && bol[-1] != '\n')
        bol--;
    cr_expect(bol && strncmp(bol, "author         invited", 22) == 0, "%s", out);
    free(out);

    http_req(&srv, "GET", link, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "Welcome to the newsroom, Nia Newcomer"));
    resp_free(&r);
    cr_expect_eq(use_link_status(link, NEW_PW), 303);
    login("newcomer@example.org", NEW_PW);
    cr_expect_eq(use_link_status(link, "another passphrase"), 410, "once");
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM audit WHERE action = 'accept invitation'"),
                 1);
    free(link);
}

Test(http_accounts, an_invitation_expires)
{
    start();
    srv_login_add(&srv, "late@example.org");
    struct staff admin = login("admin@example.org", PW);
    struct resp r;
    char *link;
    cr_assert_eq(invite(&admin, "Lee Late", "late@example.org", "contributor", &link, &r), 200);
    resp_free(&r);
    age_links();
    cr_expect_eq(use_link_status(link, NEW_PW), 410);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM users WHERE email = 'late@example.org'"
                                 " AND password_hash IS NULL"),
                 1, "still no password");
    /* the person's page makes a new invitation, which works */
    char *again = make_link(&admin, user_id("late@example.org"));
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM account_tokens WHERE kind = 'invite'"), 2);
    cr_expect_eq(use_link_status(again, NEW_PW), 303);
    login("late@example.org", NEW_PW);
    free(link);
    free(again);
}

Test(http_accounts, an_invitation_for_a_login_someone_has_is_refused)
{
    start();
    srv_login_add(&srv, "pending@example.org");
    struct staff admin = login("admin@example.org", PW);
    long users = db_countf(&srv, "SELECT count(*) FROM users");
    struct resp r;
    char *link;
    cr_expect_eq(invite(&admin, "Second Author", "AUTHOR@example.org", "author", &link, &r), 409);
    cr_expect(body_has(&r, "already has an account"), "%s", r.body);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM users"), users, "nothing created");

    cr_assert_eq(invite(&admin, "Pat Pending", "pending@example.org", "author", &link, &r), 200);
    resp_free(&r);
    free(link);
    cr_expect_eq(invite(&admin, "Pat Again", "Pending@Example.org", "editor", &link, &r), 409,
                 "a pending invitation holds the login");
    resp_free(&r);
    /* nor can the login be taken with a password meanwhile */
    staff_post(&srv, &admin, "/admin/staff/",
               "name=Pat+Other&email=pending%40example.org&role=author&password=a+long+passphrase",
               &r);
    cr_expect_eq(r.status, 409);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM users"), users + 1);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM account_tokens"), 1);
}

Test(http_accounts, only_administrators_make_links)
{
    start();
    struct staff editor = login("editor@example.org", PW);
    struct staff author = login("author@example.org", PW);
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%ld/link/", user_id("author@example.org"));
    struct resp r;
    staff_post(&srv, &editor, path, "", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    staff_post(&srv, &author, path, "", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    char *link;
    cr_expect_eq(invite(&editor, "Ed Invitee", "ed@example.org", "author", &link, &r), 403);
    resp_free(&r);
    staff_get(&srv, &editor, "/admin/staff/", &r);
    cr_expect(!body_has(&r, "Invite someone"));
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM account_tokens"), 0);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM users WHERE email = 'ed@example.org'"), 0);
}

Test(http_accounts, no_link_for_a_disabled_account_a_desk_or_oneself)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    long id = user_id("author@example.org");
    char path[64];
    snprintf(path, sizeof(path), "/admin/staff/%ld/access/", id);
    struct resp r;
    staff_post(&srv, &admin, path, "role=author&disabled=1", &r);
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/staff/%ld/link/", id);
    staff_post(&srv, &admin, path, "", &r);
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, "disabled"));
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/staff/%ld/link/",
             db_countf(&srv, "SELECT id FROM users WHERE role = 'desk'"));
    staff_post(&srv, &admin, path, "", &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/staff/%ld/link/", user_id("admin@example.org"));
    staff_post(&srv, &admin, path, "", &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM account_tokens"), 0);
}

/* Whether the file at path holds needle. */
static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    return strstr(text, needle) != NULL;
}

Test(http_accounts, the_token_stays_out_of_the_logs)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    char *link = make_link(&admin, user_id("author@example.org"));
    struct resp r;
    http_req(&srv, "GET", link, &r);
    char *policy = NULL;
    /* the last referrer-policy counts: the page's requests carry no path */
    for (const char *p = r.head; (p = strcasestr(p, "referrer-policy: ")); p++) {
        free(policy);
        policy = strndup(p + 17, strcspn(p + 17, "\r\n"));
    }
    cr_expect_str_eq(policy, "strict-origin");
    free(policy);
    resp_free(&r);
    cr_expect_eq(use_link_status(link, NEW_PW), 303);
    cr_expect_eq(use_link_status(link, NEW_PW), 410);
    char escaped[128]; /* an escaped spelling of the path is masked too */
    snprintf(escaped, sizeof(escaped), "/admin/r%%65set/%s", token_of(link));
    http_req(&srv, "GET", escaped, &r);
    resp_free(&r);
    srv_stop(&srv);
    char server_log[SRV_PATH_MAX];
    snprintf(server_log, sizeof(server_log), "%s/server.log", srv.dir);
    cr_expect(file_has(access_log, "/admin/reset/SECRET/"), "the access log has the requests");
    cr_expect(!file_has(access_log, token_of(link)), "no token in the access log");
    cr_expect(!file_has(server_log, token_of(link)), "no token in the server's log");
    free(link);
}

/* "Share a preview" shows the new link on the editor's page: its token is in the query. */
Test(http_accounts, a_shared_preview_token_stays_out_of_the_access_log)
{
    start();
    struct staff admin = login("admin@example.org", PW);
    struct resp r;
    staff_post(&srv, &admin, "/admin/posts/new/",
               "title=Embargoed&markdown=Under+wraps.&action=save", &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    char *loc = resp_header(&r, "location");
    resp_free(&r);
    long id = loc ? strtol(loc + strcspn(loc, "0123456789"), NULL, 10) : 0;
    free(loc);
    char path[96];
    snprintf(path, sizeof(path), "/admin/posts/%ld/share/", id);
    staff_post(&srv, &admin, path, "", &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    loc = resp_header(&r, "location");
    resp_free(&r);
    cr_assert(loc && strstr(loc, "preview_link="), "%s", loc);
    char token[256];
    snprintf(token, sizeof(token), "%.*s", (int)strcspn(strstr(loc, "=") + 1, "#&"),
             strstr(loc, "=") + 1);
    loc[strcspn(loc, "#")] = '\0';
    staff_get(&srv, &admin, loc, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(strstr(r.body, token) != NULL, "the editor's page shows the link");
    resp_free(&r);
    free(loc);
    srv_stop(&srv);
    cr_expect(file_has(access_log, "?preview_link=SECRET"), "the access log has the request");
    cr_expect(!file_has(access_log, token), "no token in the access log");
}

Test(http_accounts, the_login_page_sends_reporters_to_an_administrator)
{
    start();
    struct resp r;
    http_req(&srv, "GET", "/admin/login/", &r);
    cr_expect(body_has(&r, "Forgot your password? Ask an administrator for a reset link."));
    cr_expect(!body_has(&r, "newsdesk user"), "no command line on the login page");
    resp_free(&r);
}

/* `user --help`'s example, run line by line as printed, in a fresh folder. */
Test(http_accounts, the_user_help_example_works_as_printed)
{
    char *out = NULL;
    cr_assert_eq(run_newsdesk(&out, NULL, "user", "--help", NULL), 0);
    const char *ex = strstr(out, "\nExample");
    cr_assert(ex, "the help has an example");
    ex = strchr(ex + 1, '\n') + 1;
    char dir[SRV_PATH_MAX], script[SRV_PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/example", srv.dir);
    snprintf(script, sizeof(script), "%s/example.sh", srv.dir);
    FILE *f = fopen(script, "w");
    cr_assert(f);
    /* the installed command is named newsdesk; here it is the binary under test */
    fprintf(f, "set -e\nmkdir '%s'\ncd '%s'\nnewsdesk() { \"$NEWSDESK_BIN\" \"$@\"; }\n", dir, dir);
    int lines = 0;
    for (const char *p = ex; strncmp(p, "  ", 2) == 0; lines++) {
        const char *e = strchr(p, '\n');
        fprintf(f, "%.*s\n", (int)(e - p - 2), p + 2);
        p = e + 1;
    }
    fclose(f);
    free(out);
    cr_assert_geq(lines, 3);
    char cmd[SRV_PATH_MAX + 32];
    snprintf(cmd, sizeof(cmd), "sh '%s' >/dev/null", script);
    cr_expect_eq(system(cmd), 0, "every line of the example runs");
    char sql[SRV_PATH_MAX + 128];
    snprintf(sql, sizeof(sql),
             "sqlite3 '%s/site.db' \"SELECT count(*) FROM users WHERE role = 'administrator'\""
             " | grep -qx 1",
             dir);
    cr_expect_eq(system(sql), 0, "the example made an administrator");
}
