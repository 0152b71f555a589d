/*
 * Behind a reverse proxy (serve --trust-proxy, --trusted-proxy): which address the login
 * and tips limits and the audit log see, and when X-Forwarded-Proto is believed.
 *
 * The requests come as a real single proxy in front of the server would send them: it
 * connects from 127.0.0.1 and appends the address of the client it heard from
 * (198.51.100.7 here) to whatever X-Forwarded-For the client wrote itself, so the
 * left-most entries are the client's inventions and the right-most is the truth.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"
#define CLIENT "198.51.100.7" /* the client's real address, as the proxy appends it */

static struct srv srv;

static void one_account(struct srv *s)
{
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
}

HTTP_SUITE(http_proxy, srv, 120, .before_start = one_account, .prepare_only = true);

static void serve(const char *opt, const char *val)
{
    const char *const args[] = {opt, val, NULL};
    srv_start_args(&srv, args);
}

/* A failed login whose X-Forwarded-For is xff; returns the status. */
static int failed_login(const char *email, const char *xff)
{
    char headers[256];
    snprintf(headers, sizeof(headers), "X-Forwarded-For: %s\r\n", xff);
    struct staff s;
    return staff_login_with(&srv, email, "wrong", headers, &s);
}

/* The address the audit log holds for the last failed login. */
static char *audit_address(void)
{
    return db_query(&srv, "SELECT address FROM audit WHERE action = 'login failed' "
                          "ORDER BY id DESC LIMIT 1");
}

static void expect_audit_address(const char *xff, const char *want)
{
    cr_assert_eq(failed_login("editor@example.org", xff), 401);
    char *got = audit_address();
    cr_expect_str_eq(got, want, "X-Forwarded-For: %s", xff);
    free(got);
}

Test(http_proxy, forged_left_most_addresses_share_one_login_limit)
{
    serve("--trust-proxy", NULL);
    char xff[128], email[64];
    /* twenty accounts, so that only the per-address limit can stop the twenty-first */
    for (int i = 1; i <= 20; i++) {
        snprintf(xff, sizeof(xff), "203.0.113.%d, " CLIENT, i);
        snprintf(email, sizeof(email), "guess%d@example.org", i);
        cr_assert_eq(failed_login(email, xff), 401, "attempt %d", i);
    }
    cr_expect_eq(failed_login("guess21@example.org", "203.0.113.21, " CLIENT), 429,
                 "one client, however many addresses it writes, is one address");
    /* another client behind the same proxy is not held up */
    cr_expect_eq(failed_login("guess22@example.org", "203.0.113.21, 198.51.100.8"), 401);
}

static int send_tip(const char *xff)
{
    char origin[64], headers[256];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(headers, sizeof(headers), "X-Forwarded-For: %s\r\n", xff);
    struct resp r;
    form_post(&srv, "/tips/", origin, headers, "message=Fire+at+the+depot", &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

Test(http_proxy, forged_left_most_addresses_share_one_tips_limit)
{
    serve("--trust-proxy", NULL);
    char xff[128];
    for (int i = 1; i <= 5; i++) {
        snprintf(xff, sizeof(xff), "203.0.113.%d, " CLIENT, i);
        cr_assert_eq(send_tip(xff), 303, "tip %d", i);
    }
    cr_expect_eq(send_tip("203.0.113.6, " CLIENT), 429);
}

Test(http_proxy, audit_log_records_the_right_most_untrusted_address)
{
    serve("--trusted-proxy", "127.0.0.1, 10.0.0.0/8,2001:db8::/32");
    expect_audit_address("203.0.113.9, " CLIENT, CLIENT);
    /* a chain of trusted proxies: the hop before the first of them */
    expect_audit_address("203.0.113.9, " CLIENT ", 10.1.2.3, 2001:db8::5", CLIENT);
    /* every hop trusted: the left-most is the best there is */
    expect_audit_address("10.9.9.9, 10.1.2.3", "10.9.9.9");
    /* garbage where an address should be: the peer, never the garbage */
    expect_audit_address("203.0.113.9, not-an-address", "127.0.0.1");
    expect_audit_address(CLIENT ", 10.0.0.1/8", "127.0.0.1");
}

Test(http_proxy, loopback_is_trusted_by_default)
{
    serve("--trust-proxy", NULL);
    expect_audit_address("203.0.113.9, " CLIENT, CLIENT);
    expect_audit_address("203.0.113.9, " CLIENT ", 127.0.0.1", CLIENT);
}

Test(http_proxy, forwarded_for_is_ignored_without_trust)
{
    serve(NULL, NULL);
    expect_audit_address(CLIENT, "127.0.0.1");
}

Test(http_proxy, forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy)
{
    serve("--trusted-proxy", "10.0.0.0/8");
    expect_audit_address("203.0.113.9, " CLIENT, "127.0.0.1");
}

/* Whether the login form's cookie is Secure when X-Forwarded-Proto says https. */
static bool login_cookie_secure(void)
{
    char req[512];
    int n = snprintf(req, sizeof(req),
                     "GET /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                     "X-Forwarded-Proto: https\r\n\r\n",
                     srv.port);
    struct resp r;
    http_raw(&srv, req, (size_t)n, &r);
    cr_assert_eq(r.status, 200);
    char *cookie = resp_header(&r, "set-cookie");
    cr_assert(cookie);
    bool secure = strstr(cookie, "; Secure") != NULL;
    free(cookie);
    resp_free(&r);
    return secure;
}

Test(http_proxy, forwarded_proto_is_believed_only_from_a_trusted_proxy)
{
    serve("--trusted-proxy", "10.0.0.0/8");
    cr_expect(!login_cookie_secure(), "the peer 127.0.0.1 is not one of the proxies");
    srv_stop(&srv);
    serve("--trusted-proxy", "::1,127.0.0.0/8");
    cr_expect(login_cookie_secure());
}

static void expect_refused(const char *value)
{
    char *out = NULL, *err = NULL;
    int rc = run_newsdesk(&out, &err, "serve", "--db", srv.db, "--listen", "127.0.0.1:0",
                          "--trusted-proxy", value, NULL);
    cr_expect_neq(rc, 0, "--trusted-proxy '%s' is refused", value);
    char quoted[128];
    snprintf(quoted, sizeof(quoted), "'%s'", value);
    cr_expect(err && strstr(err, quoted), "the message names '%s': %s", value, err);
    free(out);
    free(err);
}

Test(http_proxy, a_bad_trusted_proxy_stops_serve)
{
    expect_refused("10.0.0.0/33");
    expect_refused("::1/129");
    expect_refused("proxy.example.org");
    expect_refused("10.0.0.0/");
    expect_refused("10.0.0.1/8");
    expect_refused("");
}
