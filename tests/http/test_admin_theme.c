/*
 * The newsroom's theme (themes/admin): found beside the site's, replaceable with
 * --admin-theme or NEWSDESK_ADMIN_THEME, and a broken one stops `serve` naming the file
 * and the line, before it listens.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;
static char theme[400];

/* A copy of the newsroom's theme in the test's folder, to break or change. */
static void setup(void)
{
    srv_prepare(&srv, 0);
    snprintf(theme, sizeof(theme), "%s/admin", srv.dir);
    const char *src = getenv("NEWSDESK_ADMIN_THEME");
    char cmd[1000];
    snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s'", src && *src ? src : "themes/admin", theme);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void teardown(void)
{
    srv_cleanup(&srv);
}

TestSuite(admin_theme, .init = setup, .fini = teardown, .timeout = 60);

static void write_file(const char *rel, const char *text)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", theme, rel);
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write '%s'", path);
    fputs(text, f);
    fclose(f);
}

/* `serve` with the copied theme: its exit status and what it said on stderr (caller frees). */
static int serve_with_theme(char **err)
{
    return run_newsdesk(NULL, err, "serve", "--db", srv.db, "--listen", "127.0.0.1:0",
                        "--admin-theme", theme, NULL);
}

Test(admin_theme, an_unknown_field_stops_serve_with_file_and_line)
{
    write_file("tags.html", "{{> head}}\n{{#tags}}\n<p>{{no_such_field}}</p>\n{{/tags}}\n"
                            "{{> foot}}\n");
    char *err = NULL;
    cr_expect_eq(serve_with_theme(&err), 1);
    cr_expect(strstr(err, "tags.html:3:") && strstr(err, "no_such_field"), "%s", err);
    free(err);
}

Test(admin_theme, a_field_of_another_page_is_not_in_scope)
{
    /* the editor's fields exist only inside {{#editor}}: the audit page cannot see them */
    write_file("audit.html", "{{> head}}\n{{#audit}}\n{{markdown}}\n{{/audit}}\n{{> foot}}\n");
    char *err = NULL;
    cr_expect_eq(serve_with_theme(&err), 1);
    cr_expect(strstr(err, "audit.html:3:") && strstr(err, "markdown"), "%s", err);
    free(err);
}

Test(admin_theme, a_broken_partial_is_named_with_its_line)
{
    write_file("partials/notices.html", "{{#alert}}\n<p>{{alert}}</p>\n{{#notice}}\n");
    char *err = NULL;
    cr_expect_eq(serve_with_theme(&err), 1);
    cr_expect(strstr(err, "notices.html:"), "%s", err);
    free(err);
}

Test(admin_theme, unescaped_output_is_only_for_trusted_html)
{
    write_file("login.html", "{{> head}}\n{{#login}}\n{{{email}}}\n{{/login}}\n{{> foot}}\n");
    char *err = NULL;
    cr_expect_eq(serve_with_theme(&err), 1);
    cr_expect(strstr(err, "login.html:3:"), "%s", err);
    free(err);
}

Test(admin_theme, a_missing_page_or_asset_stops_serve_naming_it)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/assets/admin.js", theme);
    cr_assert_eq(remove(path), 0);
    char *err = NULL;
    cr_expect_eq(serve_with_theme(&err), 1);
    cr_expect(strstr(err, "admin.js"), "%s", err);
    free(err);
    snprintf(path, sizeof(path), "%s/settings.html", theme);
    cr_assert_eq(remove(path), 0);
    cr_expect_eq(serve_with_theme(&err), 1);
    cr_expect(strstr(err, "settings.html"), "%s", err);
    free(err);
}

Test(admin_theme, the_environment_names_the_theme_too)
{
    write_file("error.html", "{{> head}}\n{{#nope}}{{/nope}}\n{{> foot}}\n");
    cr_assert_eq(setenv("NEWSDESK_ADMIN_THEME", theme, 1), 0);
    char *err = NULL;
    cr_expect_eq(run_newsdesk(NULL, &err, "serve", "--db", srv.db, "--listen", "127.0.0.1:0", NULL),
                 1);
    cr_expect(strstr(err, "error.html:2:"), "%s", err);
    free(err);
}

Test(admin_theme, pages_and_assets_come_from_the_theme_given)
{
    write_file("login.html", "{{> head}}\n{{#login}}\n<h1>Sign in, desk</h1>{{> csrf}}\n"
                             "{{/login}}\n{{> foot}}\n");
    write_file("assets/admin.css", "body{color:teal}\n");
    srv_start_with(&srv, "--admin-theme", theme);
    struct resp r;
    http_req(&srv, "GET", "/admin/login/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "<h1>Sign in, desk</h1>") && body_has(&r, "name=\"csrf\""));
    resp_free(&r);
    http_req(&srv, "GET", "/admin/assets/admin.css", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "body{color:teal}"));
    resp_free(&r);
    srv_stop(&srv);
}
