/*
 * The one error path: every refusal is rendered for its audience (the theme's page for
 * readers, the newsroom's page for staff, Ghost's envelope for the API) and counted once,
 * as /metrics shows.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery staple"

static struct srv srv;

static void one_author(struct srv *s)
{
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
}

HTTP_SUITE(http_errors, srv, 60, .posts = 3, .before_start = one_author);

/* newsdesk_http_errors_total for the code, read from /metrics (loopback). */
static long errors_of(const char *code)
{
    struct resp r;
    http_req(&srv, "GET", "/metrics", &r);
    cr_assert_eq(r.status, 200);
    char key[96];
    snprintf(key, sizeof(key), "newsdesk_http_errors_total{code=\"%s\",", code);
    const char *p = strstr(r.body, key);
    cr_assert(p, "no counter for %s", code);
    p = strchr(p, '}');
    long n = strtol(p + 1, NULL, 10);
    resp_free(&r);
    return n;
}

Test(http_errors, a_staff_refusal_is_the_newsrooms_page_and_counted_once)
{
    struct staff author;
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    long before = errors_of("FORBIDDEN");
    struct resp r;
    staff_get(&srv, &author, "/admin/tips/", &r);
    cr_expect_eq(r.status, 403);
    cr_expect(body_has(&r, "aria-label=\"Admin\""), "the newsroom's navigation");
    cr_expect(body_has(&r, "this needs the editor role or above"));
    char *csp = resp_header(&r, "content-security-policy");
    cr_expect(csp && strstr(csp, "frame-ancestors 'none'"));
    free(csp);
    resp_free(&r);
    cr_expect_eq(errors_of("FORBIDDEN"), before + 1);
}

Test(http_errors, a_page_without_a_session_goes_to_the_login_form_a_post_is_refused)
{
    struct resp r;
    http_req(&srv, "GET", "/admin/tags/", &r);
    cr_expect_eq(r.status, 303);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strcmp(loc, "/admin/login/?next=/admin/tags/") == 0, "%s", loc);
    free(loc);
    resp_free(&r);
    long before = errors_of("AUTH");
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    form_post(&srv, "/admin/posts/new/", origin, NULL, "title=x", &r);
    cr_expect_eq(r.status, 401);
    cr_expect(body_has(&r, "your session has ended"));
    cr_expect(body_has(&r, "href=\"/admin/login/\""));
    resp_free(&r);
    cr_expect_eq(errors_of("AUTH"), before + 1);
}

Test(http_errors, a_reader_gets_the_themes_page_and_the_api_its_envelope)
{
    long before = errors_of("NOTFOUND");
    struct resp r;
    http_req(&srv, "GET", "/tag/no-such-tag/", &r);
    cr_expect_eq(r.status, 404);
    cr_expect(body_has(&r, "Page not found"));
    resp_free(&r);
    http_req(&srv, "GET", "/ghost/api/content/nothing-here/", &r);
    cr_expect_eq(r.status, 404);
    cr_expect(body_has(&r, "\"errors\""));
    cr_expect(body_has(&r, "NotFoundError"));
    resp_free(&r);
    cr_expect_eq(errors_of("NOTFOUND"), before + 2);
}

Test(http_errors, a_wrong_method_names_the_allowed_ones)
{
    long before = errors_of("METHOD");
    struct resp r;
    http_req(&srv, "POST", "/ghost/api/content/posts/", &r);
    cr_expect_eq(r.status, 405);
    char *allow = resp_header(&r, "allow");
    cr_expect(allow && strcmp(allow, "GET, HEAD, OPTIONS") == 0, "%s", allow);
    free(allow);
    cr_expect(body_has(&r, "MethodNotAllowedError"));
    resp_free(&r);
    http_req(&srv, "DELETE", "/", &r);
    cr_expect_eq(r.status, 405);
    allow = resp_header(&r, "allow");
    cr_expect(allow && strcmp(allow, "GET, HEAD") == 0, "%s", allow);
    free(allow);
    resp_free(&r);
    cr_expect_eq(errors_of("METHOD"), before + 2);
}

Test(http_errors, a_form_shown_again_with_its_error_is_counted_too)
{
    struct resp r;
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    /* the login form's own token is missing: refused before the handler */
    long forbidden = errors_of("FORBIDDEN");
    form_post(&srv, "/admin/login/", origin, NULL, "email=a&password=b", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    cr_expect_eq(errors_of("FORBIDDEN"), forbidden + 1);
    /* a wrong password is the login form again, with its message, as a 401 */
    long auth = errors_of("AUTH");
    struct staff st;
    cr_expect_eq(staff_login(&srv, "author@example.org", "wrong password", &st), 401);
    cr_expect_eq(errors_of("AUTH"), auth + 1);
}
