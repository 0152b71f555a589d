/*
 * Request smuggling (RFC 9112 §6.3): a request whose length two parsers could read two
 * ways gets a 400 and its connection is closed, so bytes that one reading takes for
 * body are never served as a request of their own. Proxies in front pick one length;
 * if we picked the other, what they forward as one request would be two here.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static struct srv srv;

HTTP_SUITE(http_smuggling, srv, 60, .posts = 3);

/* What came back on one connection: every byte, and whether the server closed it. */
struct conv {
    char *raw;
    size_t len;
    bool closed;
};

static bool read_some(int fd, struct conv *c, size_t *cap)
{
    if (*cap - c->len < 4096) {
        *cap *= 2;
        c->raw = realloc(c->raw, *cap);
    }
    ssize_t n = recv(fd, c->raw + c->len, *cap - c->len - 1, 0);
    if (n > 0) {
        c->len += (size_t)n;
        return true;
    }
    c->closed = n == 0 || errno == ECONNRESET;
    return false;
}

/*
 * Sends raw on a new connection without closing our side, then reads until the server
 * closes or stays quiet for a second (a connection kept alive).
 */
static void converse(const char *raw, struct conv *c)
{
    int fd = http_open(&srv);
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    http_send_all(fd, raw, strlen(raw));
    size_t cap = 16384;
    *c = (struct conv){.raw = malloc(cap)};
    while (read_some(fd, c, &cap))
        ;
    c->raw[c->len] = '\0';
    close(fd);
}

/* Status lines: "HTTP/1.1 " at the start of a line (an error page may quote the version). */
static size_t responses(const struct conv *c)
{
    size_t n = 0;
    for (const char *p = strstr(c->raw, "HTTP/1.1 "); p; p = strstr(p + 1, "HTTP/1.1 "))
        n += p == c->raw || p[-1] == '\n';
    return n;
}

static int first_status(const struct conv *c)
{
    int st = 0;
    return sscanf(c->raw, "HTTP/1.1 %d", &st) == 1 ? st : 0;
}

static unsigned long long invalid_count(void)
{
    struct resp r;
    http_req(&srv, "GET", "/metrics", &r);
    cr_assert_eq(r.status, 200);
    const char *key = "newsdesk_http_errors_total{code=\"INVALID\",status=\"400\"} ";
    const char *p = strstr(r.body, key);
    cr_assert(p, "no INVALID counter in /metrics");
    unsigned long long n = strtoull(p + strlen(key), NULL, 10);
    resp_free(&r);
    return n;
}

/* raw gets one 400, the connection is closed after it, and nothing after it is served. */
static void expect_refused(const char *what, const char *raw)
{
    struct conv c;
    converse(raw, &c);
    cr_expect_eq(first_status(&c), 400, "%s: got '%.80s'", what, c.raw);
    cr_expect_eq(responses(&c), 1, "%s: %zu responses: '%s'", what, responses(&c), c.raw);
    cr_expect(c.closed, "%s: connection kept open", what);
    free(c.raw);
}

#define SMUGGLED "GET /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

Test(http_smuggling, content_length_and_chunked)
{
    unsigned long long before = invalid_count();
    /* chunked ends the body at "0\r\n\r\n"; the GET is a request of its own to h2o */
    expect_refused("CL then TE", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Content-Length: 45\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "0\r\n\r\n" SMUGGLED);
    expect_refused("TE then CL", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Transfer-Encoding: chunked\r\nContent-Length: 45\r\n\r\n"
                                 "0\r\n\r\n" SMUGGLED);
    cr_expect_geq(invalid_count(), before + 2, "the INVALID counter did not move");
}

Test(http_smuggling, two_content_lengths)
{
    unsigned long long before = invalid_count();
    /* h2o reads the first length: the GET would be the next request */
    expect_refused("two lines", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Length: 0\r\nContent-Length: 41\r\n\r\n" SMUGGLED);
    expect_refused("same twice", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Content-Length: 0\r\nContent-Length: 0\r\n\r\n" SMUGGLED);
    cr_expect_geq(invalid_count(), before + 2, "the INVALID counter did not move");
    /* a list in one field: h2o itself refuses it (and closes) before our handler runs */
    expect_refused("a list", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Length: 0, 41\r\n\r\n" SMUGGLED);
}

Test(http_smuggling, transfer_coding_not_just_chunked)
{
    unsigned long long before = invalid_count();
    /* h2o reads the last Transfer-Encoding field only, and it says chunked */
    expect_refused("gzip then chunked, two fields",
                   "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" SMUGGLED);
    expect_refused("chunked twice", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
                                    "\r\n0\r\n\r\n" SMUGGLED);
    cr_expect_geq(invalid_count(), before + 2, "the INVALID counter did not move");
    /* one field that is not exactly "chunked": h2o itself refuses it with a 400 and closes */
    expect_refused("gzip, chunked", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" SMUGGLED);
    expect_refused("chunked, identity", "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        "Transfer-Encoding: chunked, identity\r\n\r\n"
                                        "0\r\n\r\n" SMUGGLED);
}

Test(http_smuggling, chunked_in_http10)
{
    /* RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty */
    expect_refused("HTTP/1.0", "POST /tips/ HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                               "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "0\r\n\r\n" SMUGGLED);
}

Test(http_smuggling, host_missing_or_repeated)
{
    unsigned long long before = invalid_count();
    expect_refused("no Host", "GET / HTTP/1.1\r\n\r\n");
    expect_refused("two Hosts", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: example.com\r\n\r\n");
    cr_expect_geq(invalid_count(), before + 2, "the INVALID counter did not move");
}

Test(http_smuggling, folded_header_line)
{
    /* RFC 9112 §5.2: obs-fold is refused rather than guessed at */
    expect_refused("obs-fold", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\r\n b\r\n\r\n");
}

Test(http_smuggling, http10_without_host_still_served)
{
    struct resp r;
    const char raw[] = "GET / HTTP/1.0\r\n\r\n";
    http_raw(&srv, raw, sizeof(raw) - 1, &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
}

Test(http_smuggling, keep_alive_pipeline_still_served)
{
    struct conv c;
    converse("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET /tips/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
             &c);
    cr_expect_eq(first_status(&c), 200, "got '%.80s'", c.raw);
    cr_expect_eq(responses(&c), 2, "%zu responses", responses(&c));
    cr_expect(!c.closed, "a keep-alive connection was closed");
    free(c.raw);
}

static int post_tip(const char *framing, const char *body)
{
    char raw[1024];
    snprintf(raw, sizeof(raw),
             "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: http://127.0.0.1:%d\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
             "%s\r\n\r\n%s",
             srv.port, srv.port, framing, body);
    struct conv c;
    converse(raw, &c);
    int st = first_status(&c);
    free(c.raw);
    return st;
}

Test(http_smuggling, chunked_post_still_accepted)
{
    const char *form = "message=a+tip+about+the+harbour&website=";
    char len[64];
    snprintf(len, sizeof(len), "Content-Length: %zu", strlen(form));
    char chunked[256];
    snprintf(chunked, sizeof(chunked), "%zx\r\n%s\r\n0\r\n\r\n", strlen(form), form);
    int plain = post_tip(len, form);
    int st = post_tip("Transfer-Encoding: chunked", chunked);
    cr_expect_neq(st, 400);
    cr_expect_eq(st, plain, "chunked: %d, with a length: %d", st, plain);
}
