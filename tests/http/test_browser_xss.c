/*
 * The stored-XSS corpus in a real browser (tests/browser/xss.mjs): every payload of
 * tests/browser/fixtures/xss.mjs entered through every input that reaches a page (post
 * files and `newsdesk settings set` from the CLI; the editor, Staff, profile, Tags and
 * Settings forms; readers' tips; paths and query strings), then every page that shows them
 * opened in Chromium: no dialog, no marker global, no CSP violation, no element that could
 * run script, no 5xx, and the server still exits cleanly.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EMAIL "xss-admin@example.org"
#define PASSWORD "a long and private passphrase"

static struct srv srv;

static void administrator(struct srv *s)
{
    cr_assert_eq(staff_add(s, EMAIL, "Desk Administrator", "administrator", PASSWORD), 0);
}

/* --trust-proxy: each tip comes from its own X-Forwarded-For, past the per-address limit */
static const char *const serve_args[] = {"--trust-proxy", NULL};

HTTP_SUITE(http_browser_xss, srv, 240, .posts = 5, .before_start = administrator,
           .serve_args = serve_args);

Test(http_browser_xss, no_stored_payload_runs_script_on_any_page)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    const char *bin = getenv("NEWSDESK_BIN");
    cr_assert(bin, "NEWSDESK_BIN is not set");
    int rc = node_run("tests/browser/xss.mjs 'http://127.0.0.1:%d/' '%s/build/artifacts/browser' "
                      "'" EMAIL "' '" PASSWORD "' '%s' '%s'",
                      srv.port, cwd, srv.db, bin);
    cr_expect_eq(rc, 0, "xss.mjs found a payload that runs or a page that failed (above)");
}
