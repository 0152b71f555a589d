/*
 * Requests at the edges of the server's limits, and HTTP/2 where there is none: header
 * fields just under their count and size limits are served and one more is refused with a
 * 431; a body over the largest any route takes is refused from its Content-Length before
 * it arrives, and a chunked one of no declared length is cut off at the limit, however
 * slowly it comes; a cleartext HTTP/2 preface (h2c is off, and TLS is not built yet, so
 * HTTP/2 cannot be reached at all: no rapid reset or CONTINUATION flood to make) gets a
 * clean HTTP/1 400 and a closed connection, a flood of them included.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "http/http.h"

static struct srv srv;

/* ---- header fields ------------------------------------------------------------------------ */

HTTP_SUITE(http_header_limits, srv, 60, .posts = 3);

/*
 * A GET with `fields` header fields counted by the server ("Connection: close" and
 * fields-1 of "X-Hnn"; h2o keeps Host apart as the authority) whose names and values
 * total `bytes`. Returns the status.
 */
static int get_with_fields(int fields, size_t bytes)
{
    size_t used = strlen("connection") + strlen("close"), cap = bytes + 8 * (size_t)fields + 256;
    char *req = malloc(cap);
    size_t k = (size_t)snprintf(req, cap, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    int extra = fields - 1;
    size_t names = 5 * (size_t)extra; /* "X-Hnn" */
    cr_assert(bytes >= used + names + (size_t)extra);
    size_t values = bytes - used - names;
    for (int i = 0; i < extra; i++) {
        size_t v = values / (size_t)extra + (i == 0 ? values % (size_t)extra : 0);
        k += (size_t)snprintf(req + k, cap - k, "X-H%02d: ", i);
        memset(req + k, 'v', v);
        k += v;
        k += (size_t)snprintf(req + k, cap - k, "\r\n");
    }
    k += (size_t)snprintf(req + k, cap - k, "\r\n");
    struct resp r;
    http_raw(&srv, req, k, &r);
    free(req);
    int st = r.status;
    resp_free(&r);
    return st;
}

Test(http_header_limits, fields_just_under_the_limits_are_served)
{
    cr_expect_eq(get_with_fields(HTTP_HEADER_COUNT_MAX, HTTP_HEADERS_MAX), 200,
                 "%d fields of %d bytes in all", HTTP_HEADER_COUNT_MAX, HTTP_HEADERS_MAX);
    cr_expect_eq(get_with_fields(HTTP_HEADER_COUNT_MAX, 2000), 200);
    cr_expect_eq(get_with_fields(2, HTTP_HEADERS_MAX), 200, "one field of almost all bytes");
}

Test(http_header_limits, one_field_or_byte_more_is_refused)
{
    cr_expect_eq(get_with_fields(HTTP_HEADER_COUNT_MAX + 1, 2000), 431);
    cr_expect_eq(get_with_fields(HTTP_HEADER_COUNT_MAX, HTTP_HEADERS_MAX + 1), 431);
    cr_expect_eq(get_with_fields(2, HTTP_HEADERS_MAX + 1), 431);
    cr_expect_eq(get_with_fields(3, 2000), 200, "the server stopped serving");
}

/* ---- bodies ------------------------------------------------------------------------------ */

HTTP_SUITE(http_body_limits, srv, 60, .posts = 3);

/* The largest body any route takes: a post's form (src/routes.c). */
#define BODY_MAX (CONTENT_MARKDOWN_MAX + 64 * 1024)

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The status at the start of what fd receives within a few seconds (0: none). */
static int status_on(int fd)
{
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
    int st = 0;
    if (n > 0) {
        buf[n] = '\0';
        sscanf(buf, "HTTP/1.1 %d", &st);
    }
    return st;
}

/* A Content-Length one byte over the limit, and then a trickle: 413 before the body. */
Test(http_body_limits, declared_oversize_is_refused_before_the_body)
{
    int fd = http_open(&srv);
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "POST /admin/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n\r\nemail=",
                     BODY_MAX + 1);
    http_send_all(fd, head, (size_t)n);
    double t0 = now_ms();
    cr_expect_eq(status_on(fd), 413);
    cr_expect(now_ms() - t0 < 2000, "the refusal took %.0f ms", now_ms() - t0);
    close(fd);
}

/*
 * A chunked upload of up to 8 MiB in 32 KiB chunks, one every 5 ms: the server stops
 * reading it at the limit (413, or the connection closed): the whole never goes through.
 */
Test(http_body_limits, chunked_oversize_is_cut_off)
{
    int fd = http_open(&srv);
    const char head[] = "POST /admin/login/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        "Content-Type: application/x-www-form-urlencoded\r\n\r\n";
    http_send_all(fd, head, sizeof(head) - 1);
    size_t chunk = 32 * 1024, sent = 0;
    char *buf = malloc(chunk + 16);
    int k = snprintf(buf, 16, "%zx\r\n", chunk);
    memset(buf + k, 'a', chunk);
    memcpy(buf + k + chunk, "\r\n", 2);
    struct timeval tv = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    bool refused = false;
    while (!refused && sent < 8u * 1024 * 1024) {
        ssize_t w = send(fd, buf, (size_t)k + chunk + 2, MSG_NOSIGNAL);
        refused = w < (ssize_t)((size_t)k + chunk + 2);
        sent += chunk;
        usleep(5000);
    }
    free(buf);
    int st = status_on(fd);
    fprintf(stderr, "chunked oversize: %zu KiB sent, then %s (status %d)\n", sent / 1024,
            refused ? "refused" : "all sent", st);
    cr_expect(refused || st == 413, "an 8 MiB chunked body went through (status %d)", st);
    cr_expect(st == 413 || st == 0, "status %d", st);
    close(fd);
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect_eq(r.status, 200, "the server stopped serving");
    resp_free(&r);
}

/* ---- HTTP/2 ---------------------------------------------------------------------------- */

HTTP_SUITE(http_h2, srv, 60, .posts = 3);

/* The client preface, an empty SETTINGS frame, then HEADERS and RST_STREAM, stream 1. */
static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                                 "\x00\x00\x00\x04\x00\x00\x00\x00\x00"
                                 "\x00\x00\x01\x01\x05\x00\x00\x00\x01\x82"
                                 "\x00\x00\x04\x03\x00\x00\x00\x00\x01\x00\x00\x00\x08";

/* Sends the preface on a new connection: its first status, and whether the server closed. */
static int h2_try(bool *closed)
{
    int fd = http_open(&srv);
    struct timeval tv = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    http_send_all(fd, h2_preface, sizeof(h2_preface) - 1);
    char buf[4096];
    size_t got = 0;
    ssize_t n;
    while (got < sizeof(buf) - 1 && (n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0)) > 0)
        got += (size_t)n;
    *closed = n == 0 || (n < 0 && errno == ECONNRESET) || got == sizeof(buf) - 1;
    buf[got] = '\0';
    close(fd);
    int st = 0;
    sscanf(buf, "HTTP/1.1 %d", &st);
    return st;
}

Test(http_h2, prior_knowledge_preface_is_refused_cleanly)
{
    bool closed = false;
    cr_expect_eq(h2_try(&closed), 400, "an HTTP/2 preface was not refused with a 400");
    cr_expect(closed, "the connection stayed open after an HTTP/2 preface");
    for (int i = 0; i < 200; i++) { /* a flood of them, one after another */
        int st = h2_try(&closed);
        if (st != 400 || !closed)
            cr_expect_fail("preface %d: status %d, closed %d", i, st, closed);
        if (st != 400 || !closed)
            break;
    }
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect_eq(r.status, 200, "the server stopped serving");
    resp_free(&r);
}

Test(http_h2, upgrade_to_h2c_is_ignored)
{
    struct resp r;
    const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                       "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";
    http_raw(&srv, req, sizeof(req) - 1, &r);
    cr_expect_eq(r.status, 200, "h2c upgrade answered %d", r.status);
    char *up = resp_header(&r, "upgrade");
    cr_expect_null(up, "the answer offers an upgrade: %s", up);
    free(up);
    resp_free(&r);
}
