/* The command line: help, errors that name what is wrong, and nothing written on failure. */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct srv srv;

HTTP_SUITE(cli, srv, 60, .prepare_only = true);

static int posts_on_home(void)
{
    srv_start(&srv);
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    int n = (int)body_count(&r, "<li class=\"teaser\" data-id=");
    resp_free(&r);
    srv_stop(&srv);
    return n;
}

Test(cli, help_and_version)
{
    const char *cmds[] = {"init", "serve", "post", "settings", "demo"};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        char *out = NULL;
        int rc = run_newsdesk(&out, NULL, cmds[i], "--help", NULL);
        cr_expect_eq(rc, 0, "%s --help", cmds[i]);
        cr_expect(strstr(out, "usage: newsdesk"), "%s --help: %s", cmds[i], out);
        free(out);
    }
    char *out = NULL;
    cr_expect_eq(run_newsdesk(&out, NULL, "--version", NULL), 0);
    cr_expect(strncmp(out, "newsdesk ", 9) == 0);
    free(out);
    cr_expect_eq(run_newsdesk(&out, NULL, "--help", NULL), 0);
    free(out);
    cr_expect_eq(run_newsdesk(NULL, NULL, "frobnicate", NULL), 2);
    cr_expect_eq(run_newsdesk(NULL, NULL, "serve", "--bogus", NULL), 2);
}

Test(cli, post_add_and_front_matter_errors)
{
    char good[SRV_PATH_MAX], bad[SRV_PATH_MAX];
    srv_write(&srv, "good.md",
              "---\ntitle: Київ відкриває нову лінію\ntags: [News Feed, Transport]\n"
              "---\nThe city said so.\n",
              good);
    srv_write(&srv, "bad.md", "---\ntitle: Fine\nwhen: tomorrow\n---\nBody\n", bad);
    char *out = NULL, *err = NULL;
    cr_assert_eq(run_newsdesk(&out, &err, "post", "add", "--db", srv.db, good, NULL), 0, "%s", err);
    cr_expect(strstr(out, "/kyiv-vidkryvaie-novu-liniiu/"), "slug: %s", out);
    free(out);
    free(err);
    int rc = run_newsdesk(NULL, &err, "post", "add", "--db", srv.db, bad, NULL);
    cr_expect_neq(rc, 0);
    cr_expect(strstr(err, "bad.md") && strstr(err, "line 3"), "error names file and line: %s", err);
    free(err);
    /* the same title again gets -2 */
    cr_assert_eq(run_newsdesk(&out, NULL, "post", "add", "--db", srv.db, good, NULL), 0);
    cr_expect(strstr(out, "/kyiv-vidkryvaie-novu-liniiu-2/"), "dedup: %s", out);
    free(out);
    cr_expect_eq(posts_on_home(), 2, "the broken file wrote nothing");
}

Test(cli, post_add_unknown_author_writes_nothing)
{
    char path[SRV_PATH_MAX];
    srv_write(&srv, "p.md",
              "---\ntitle: Anything\ntags: [Brand New Tag]\nauthors: [ghost-writer]\n---\nBody\n",
              path);
    char *err = NULL;
    cr_expect_neq(run_newsdesk(NULL, &err, "post", "add", "--db", srv.db, path, NULL), 0);
    cr_expect(strstr(err, "ghost-writer"), "%s", err);
    free(err);
    cr_expect_eq(posts_on_home(), 0);
    /* the tag created before the failure was rolled back too */
    srv_start(&srv);
    struct resp r;
    http_req(&srv, "GET", "/tag/brand-new-tag/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    srv_stop(&srv);
}

Test(cli, settings)
{
    char *out = NULL, *err = NULL;
    cr_expect_eq(run_newsdesk(&out, NULL, "settings", "set", "--db", srv.db, "timezone",
                              "Europe/Kyiv", NULL),
                 0);
    free(out);
    cr_expect_eq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "timezone",
                              "Mars/Olympus", NULL),
                 1);
    cr_expect(strstr(err, "time zone"), "%s", err);
    free(err);
    cr_expect_eq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "colour", "red", NULL),
                 1);
    cr_expect(strstr(err, "unknown setting 'colour'"), "%s", err);
    free(err);
    cr_expect_eq(
        run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "posts_per_page", "0", NULL),
        1);
    free(err);
    cr_expect_eq(run_newsdesk(NULL, NULL, "settings", "set", "--db", srv.db, "url",
                              "https://news.example.org/", NULL),
                 0);
    cr_expect_eq(run_newsdesk(&out, NULL, "settings", "list", "--db", srv.db, NULL), 0);
    cr_expect(strstr(out, "Europe/Kyiv"), "%s", out);
    cr_expect(strstr(out, "https://news.example.org "), "trailing slash dropped: %s", out);
    free(out);
}

Test(cli, timezone_shows_local_dates)
{
    srv_add_post(&srv, "p.md",
                 "---\ntitle: Midnight in Kyiv\npublished_at: 2026-11-25T22:30:00Z\n---\nB\n");
    cr_assert_eq(run_newsdesk(NULL, NULL, "settings", "set", "--db", srv.db, "timezone",
                              "Europe/Kyiv", NULL),
                 0);
    srv_start(&srv);
    struct resp r;
    http_req(&srv, "GET", "/midnight-in-kyiv/", &r);
    cr_expect(body_has(&r, "datetime=\"2026-11-26T00:30:00+02:00\""), "local time");
    cr_expect(body_has(&r, "26 November 2026, 00:30"));
    resp_free(&r);
    srv_stop(&srv);
}

Test(cli, serve_refuses_missing_and_corrupt_databases)
{
    char missing[SRV_PATH_MAX], corrupt[SRV_PATH_MAX];
    snprintf(missing, sizeof(missing), "%s/none.db", srv.dir);
    char *err = NULL;
    cr_expect_eq(
        run_newsdesk(NULL, &err, "serve", "--db", missing, "--listen", "127.0.0.1:0", NULL), 1);
    cr_expect(strstr(err, "does not exist"), "%s", err);
    free(err);
    struct stat sb;
    cr_expect(stat(missing, &sb) != 0, "serve must not create the file");
    srv_write(&srv, "corrupt.db",
              "this is not an SQLite database, just some text that is long enough "
              "to look like a header of a file...........................\n",
              corrupt);
    cr_expect_eq(
        run_newsdesk(NULL, &err, "serve", "--db", corrupt, "--listen", "127.0.0.1:0", NULL), 1);
    cr_expect(strstr(err, "corrupt.db"), "%s", err);
    free(err);
}

Test(cli, demo_is_deterministic)
{
    char a[300], b[300];
    snprintf(a, sizeof(a), "%s/a.db", srv.dir);
    snprintf(b, sizeof(b), "%s/b.db", srv.dir);
    char *err = NULL;
    cr_assert_eq(
        run_newsdesk(NULL, &err, "demo", "--db", a, "--posts", "30", "--until", "2026-01-01", NULL),
        0, "%s", err);
    cr_expect(strstr(err, "30/30 posts"), "progress on stderr: %s", err);
    free(err);
    cr_assert_eq(
        run_newsdesk(NULL, NULL, "demo", "--db", b, "--posts", "30", "--until", "2026-01-01", NULL),
        0);
    struct srv sa = srv, sb = srv;
    snprintf(sa.db, sizeof(sa.db), "%s", a);
    snprintf(sb.db, sizeof(sb.db), "%s", b);
    /* its posts' plain text is the current kind: a first serve has none to make again */
    char *fmt = db_query(&sa, "SELECT value FROM settings WHERE key = 'plaintext_format'");
    cr_expect_str_eq(fmt, "ghost-html-to-plaintext");
    free(fmt);
    struct resp ra, rb;
    /* one public address for both: unset, links would name each server's own port */
    srv_start_with(&sa, "--site-url", "https://news.example.org");
    http_req(&sa, "GET", "/page/2/", &ra);
    srv_stop(&sa);
    srv_start_with(&sb, "--site-url", "https://news.example.org");
    http_req(&sb, "GET", "/page/2/", &rb);
    srv_stop(&sb);
    cr_expect_eq(ra.body_len, rb.body_len);
    cr_expect(memcmp(ra.body, rb.body, ra.body_len) == 0, "same seed, same pages");
    resp_free(&ra);
    resp_free(&rb);
}

Test(cli, serve_refuses_a_broken_theme_with_file_and_line)
{
    char theme[400], cmd[1200];
    snprintf(theme, sizeof(theme), "%s/theme", srv.dir);
    const char *src = getenv("NEWSDESK_THEME");
    snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s'", src ? src : "themes/default", theme);
    cr_assert_eq(system(cmd), 0);
    srv_write(&srv, "theme/error.html", "{{> head}}\n<p>{{no_such_field}}</p>\n{{> foot}}\n", NULL);
    char *err = NULL;
    int rc = run_newsdesk(NULL, &err, "serve", "--db", srv.db, "--listen", "127.0.0.1:0", "--theme",
                          theme, NULL);
    cr_expect_eq(rc, 1);
    cr_expect(strstr(err, "error.html:2:") && strstr(err, "no_such_field"), "%s", err);
    free(err);
    srv_write(&srv, "theme/error.html", "{{> head}}\n{{#error}}<p>unclosed\n{{> foot}}\n", NULL);
    rc = run_newsdesk(NULL, &err, "serve", "--db", srv.db, "--listen", "127.0.0.1:0", "--theme",
                      theme, NULL);
    cr_expect_eq(rc, 1);
    cr_expect(strstr(err, "error.html:2:"), "%s", err);
    free(err);
}

/*
 * SIGTERM right after start-up: every thread but the one waiting for it must have the
 * signal blocked, or the signal's default action kills the process. A thread started
 * before the server blocked it (the scheduler's, once) lost that race now and then: when
 * the signal came between "serving" and the main thread's sigwait. The window is narrow,
 * so this guards it by repetition rather than catching it every time.
 */
Test(cli, serve_stops_cleanly_right_after_it_starts)
{
    for (int i = 0; i < 25; i++) {
        srv_start(&srv);
        srv_stop(&srv);
    }
}
