/*
 * /healthz and /readyz, as a load balancer or systemd's watchdog would ask them: the
 * process is up; the database answers. Never cached, answered through a proxy too.
 */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;

HTTP_SUITE(http_health, srv, 60, .posts = 2);

static void expect_plain(const char *path, int status, const char *body)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_expect_eq(r.status, status, "%s: %d %s", path, r.status, r.body);
    cr_expect(strstr(r.body, body) == r.body, "%s: %s", path, r.body);
    char *cc = resp_header(&r, "cache-control");
    cr_expect(cc && strstr(cc, "no-store"), "%s: never cached (%s)", path, cc ? cc : "none");
    free(cc);
    char *type = resp_header(&r, "content-type");
    cr_expect(type && strncmp(type, "text/plain", 10) == 0, "%s: %s", path, type);
    free(type);
    resp_free(&r);
}

Test(http_health, up_and_ready)
{
    expect_plain("/healthz", 200, "ok\n");
    expect_plain("/readyz", 200, "ready\n");
    struct resp r;
    http_req(&srv, "HEAD", "/readyz", &r);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.body_len, 0);
    resp_free(&r);
    /* a probe through a proxy is answered too: nothing here is private */
    const char req[] = "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n"
                       "Connection: close\r\n\r\n";
    http_raw(&srv, req, sizeof(req) - 1, &r);
    cr_expect_eq(r.status, 200, "%s", r.body);
    resp_free(&r);
}

Test(http_health, not_ready_while_the_database_is_not_this_servers)
{
    /* another program's migration moved the schema on: the server must not say it is ready */
    free(db_query(&srv, srv.pg_name[0] ? "UPDATE newsdesk_schema SET version = 99"
                                       : "PRAGMA user_version = 99"));
    expect_plain("/readyz", 503, "not ready: ");
    struct resp r;
    http_req(&srv, "GET", "/readyz", &r);
    cr_expect(body_has(&r, "schema 99"), "says what is wrong: %s", r.body);
    resp_free(&r);
    expect_plain("/healthz", 200, "ok\n"); /* the process itself is fine */
    char *v = sh_out("\"${NEWSDESK_BIN:-build/test/newsdesk}\" --version | awk '{print $4}' "
                     "| tr -d ')'");
    char sql[96];
    snprintf(
        sql, sizeof(sql),
        srv.pg_name[0] ? "UPDATE newsdesk_schema SET version = %s" : "PRAGMA user_version = %s", v);
    free(v);
    free(db_query(&srv, sql));
    expect_plain("/readyz", 200, "ready\n"); /* and back, by itself */
}
