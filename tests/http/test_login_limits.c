/*
 * The login limits against the ways they were turned into a denial of service: a
 * stranger failing with a staff member's (public) e-mail, colleagues mistyping behind
 * one office address, and concurrent attempts racing past a limit. The server trusts its
 * loopback peer as a proxy, so each request names its client in X-Forwarded-For.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;

static void accounts(struct srv *s)
{
    cr_assert_eq(staff_add(s, "alice@example.org", "Alice Reporter", "author", PW), 0);
    cr_assert_eq(staff_add(s, "carol@example.org", "Carol Editor", "editor", PW), 0);
}

/* eight worker threads, so that concurrent logins really are checked at once */
static const char *const serve_args[] = {"--trust-proxy", "--threads", "8", NULL};
HTTP_SUITE(http_login_limits, srv, 180, .before_start = accounts, .serve_args = serve_args);

/* A login from client address addr; returns the status. */
static int login_from(const char *addr, const char *email, const char *password)
{
    char headers[128];
    snprintf(headers, sizeof(headers), "X-Forwarded-For: %s\r\n", addr);
    struct staff s;
    return staff_login_with(&srv, email, password, headers, &s);
}

Test(http_login_limits, a_strangers_failures_do_not_lock_the_owner_out_from_elsewhere)
{
    for (int i = 0; i < 5; i++)
        cr_assert_eq(login_from("203.0.113.66", "alice@example.org", "guess"), 401, "try %d", i);
    cr_expect_eq(login_from("203.0.113.66", "alice@example.org", "guess"), 429);
    cr_expect_eq(login_from("203.0.113.66", "alice@example.org", PW), 429,
                 "the address that failed waits, even with the right password");
    cr_expect_eq(login_from("198.51.100.10", "alice@example.org", PW), 303,
                 "the owner, elsewhere, logs in");
}

Test(http_login_limits, colleagues_mistyping_do_not_lock_their_office_out)
{
    /* five people behind one address, each failing five times: 25 failures */
    char email[64];
    for (int p = 0; p < 5; p++) {
        snprintf(email, sizeof(email), "colleague%d@example.org", p);
        for (int i = 0; i < 5; i++)
            cr_assert_eq(login_from("192.0.2.50", email, "typo"), 401, "%s try %d", email, i);
    }
    cr_expect_eq(login_from("192.0.2.50", "alice@example.org", PW), 303);
}

Test(http_login_limits, failures_for_twenty_accounts_from_one_address_stop_that_address)
{
    char email[64];
    for (int i = 1; i <= 20; i++) {
        snprintf(email, sizeof(email), "guess%d@example.org", i);
        cr_assert_eq(login_from("203.0.113.77", email, "password1"), 401, "account %d", i);
    }
    cr_expect_eq(login_from("203.0.113.77", "guess21@example.org", "password1"), 429);
    cr_expect_eq(login_from("203.0.113.77", "alice@example.org", PW), 429,
                 "a spraying address waits for every account");
    cr_expect_eq(login_from("203.0.113.78", "alice@example.org", PW), 303);
}

/* One login POST, its form fetched beforehand so that only the POSTs race. */
struct racer {
    char body[512], extra[256], origin[64];
    int status;
};

static void racer_prepare(struct racer *r, const char *addr, const char *email)
{
    struct resp g;
    http_req(&srv, "GET", "/admin/login/", &g);
    char *tok = strstr(g.body, "name=\"csrf\" value=\"");
    cr_assert(tok);
    tok += 19;
    char token[64];
    snprintf(token, sizeof(token), "%.*s", (int)strcspn(tok, "\""), tok);
    resp_free(&g);
    char *e = form_enc(email);
    snprintf(r->body, sizeof(r->body), "csrf=%s&email=%s&password=wrong", token, e);
    free(e);
    snprintf(r->extra, sizeof(r->extra), "Cookie: nd_login=%s\r\nX-Forwarded-For: %s\r\n", token,
             addr);
    snprintf(r->origin, sizeof(r->origin), "http://127.0.0.1:%d", srv.port);
}

static void *racer_run(void *arg)
{
    struct racer *r = arg;
    struct resp res;
    form_post(&srv, "/admin/login/", r->origin, r->extra, r->body, &res);
    r->status = res.status;
    resp_free(&res);
    return NULL;
}

/* Sends n failed logins at once (email NULL: a different account each); counts the 401s. */
static int race(int n, const char *addr, const char *email)
{
    struct racer r[24];
    pthread_t t[24];
    char each[64];
    cr_assert(n <= 24);
    for (int i = 0; i < n; i++) {
        snprintf(each, sizeof(each), "racer%d@example.org", i);
        racer_prepare(&r[i], addr, email ? email : each);
    }
    for (int i = 0; i < n; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, racer_run, &r[i]), 0);
    int tries = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        cr_expect(r[i].status == 401 || r[i].status == 429, "status %d", r[i].status);
        tries += r[i].status == 401;
    }
    return tries;
}

Test(http_login_limits, concurrent_failures_for_one_account_get_five_tries)
{
    int tries = race(12, "203.0.113.90", "alice@example.org");
    cr_expect_eq(tries, 5, "%d of 12 were checked", tries);
    cr_expect_eq(login_from("198.51.100.11", "alice@example.org", PW), 303);
}

Test(http_login_limits, concurrent_failures_across_accounts_get_twenty_tries)
{
    int tries = race(24, "203.0.113.91", NULL);
    cr_expect_eq(tries, 20, "%d of 24 were checked", tries);
}

Test(http_login_limits, many_addresses_guessing_one_account_slow_it_but_never_lock_it)
{
    /* ten addresses, five failures each: the account's 50 an hour */
    char addr[32];
    for (int a = 0; a < 10; a++) {
        snprintf(addr, sizeof(addr), "198.18.0.%d", a + 1);
        for (int i = 0; i < 5; i++)
            cr_assert_eq(login_from(addr, "carol@example.org", "guess"), 401, "%s %d", addr, i);
    }
    /* past them, one attempt per few seconds from anywhere */
    cr_expect_eq(login_from("198.18.1.1", "carol@example.org", "guess"), 401);
    struct resp r;
    struct racer one;
    racer_prepare(&one, "198.18.1.2", "carol@example.org");
    form_post(&srv, "/admin/login/", one.origin, one.extra, one.body, &r);
    cr_expect_eq(r.status, 429);
    cr_expect(body_has(&r, "second"));
    char *retry = resp_header(&r, "retry-after");
    int wait = retry ? atoi(retry) : 0;
    cr_expect(wait > 0 && wait <= 5, "Retry-After: %s", retry);
    free(retry);
    resp_free(&r);
    sleep((unsigned)(wait > 0 && wait <= 5 ? wait : 5));
    cr_expect_eq(login_from("198.18.1.3", "carol@example.org", PW), 303,
                 "the owner waits seconds, not a quarter of an hour");
}
