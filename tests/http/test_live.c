/*
 * Live updates (server-sent events) as a reader's browser and a hostile client meet them:
 * a story published from another process reaches every open stream within a second, a
 * reconnect with Last-Event-ID gets what it missed exactly once, unpublishing removes
 * the teaser, a page's own change number closes the gap between rendering and
 * connecting, a client that stops reading is dropped while the others keep receiving,
 * one address cannot hold more than its share, and bad ids are refused.
 */
#include "staff.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PW "correct horse battery"
#define SSE_MAX (1 << 20)

static struct srv srv;

static void live_site(struct srv *s)
{
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    char *err = NULL;
    cr_assert_eq(
        run_newsdesk(NULL, &err, "settings", "set", "--db", s->db, "posts_per_page", "1", NULL), 0,
        "%s", err);
    free(err);
    srv_add_post(s, "old.md",
                 "---\ntitle: Yesterday's council meeting\nslug: council\ntags: [City]\n"
                 "published_at: 2026-01-02T08:00:00Z\n---\nThe council met.\n");
    srv_add_post(s, "summit.md",
                 "---\ntitle: Summit opens abroad\nslug: summit\ntags: [World]\n"
                 "published_at: 2026-01-02T07:00:00Z\n---\nLeaders met.\n");
}

HTTP_SUITE(http_live, srv, 120, .before_start = live_site);

/* ---- a client of the stream ------------------------------------------------------------ */

struct sse {
    int fd;
    char *buf;
    size_t len;
    bool eof;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what has come within ms; false once the server has closed. */
static bool sse_pump(struct sse *c, int ms)
{
    struct pollfd p = {c->fd, POLLIN, 0};
    if (c->eof || poll(&p, 1, ms) <= 0)
        return !c->eof;
    cr_assert_lt(c->len, SSE_MAX - 1, "the stream sent more than a test expects");
    ssize_t n = read(c->fd, c->buf + c->len, SSE_MAX - 1 - c->len);
    if (n <= 0) {
        c->eof = true;
        return false;
    }
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    return true;
}

/* Waits up to ms for needle in what the stream has sent; true when it came. */
static bool sse_wait(struct sse *c, const char *needle, int ms)
{
    int64_t end = now_ms() + ms;
    while (!strstr(c->buf, needle)) {
        int64_t left = end - now_ms();
        if (left <= 0 || !sse_pump(c, (int)left))
            return strstr(c->buf, needle) != NULL;
    }
    return true;
}

static size_t sse_count(const struct sse *c, const char *needle)
{
    size_t n = 0;
    for (const char *p = c->buf; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Opens path with more header lines (may be NULL) on a socket of rcvbuf bytes (0: default);
 * returns the status, and the stream's first bytes are read when it is 200. */
static int sse_open_with(struct sse *c, const char *path, const char *headers, int rcvbuf)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(c->fd, 0);
    if (rcvbuf)
        setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(c->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    c->buf = calloc(1, SSE_MAX);
    c->len = 0;
    c->eof = false;
    char req[1024];
    int n = snprintf(req, sizeof(req),
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n%s\r\n",
                     path, headers ? headers : "");
    http_send_all(c->fd, req, (size_t)n);
    if (rcvbuf) /* a client that will not read: its status is all it gets to see */
        return 0;
    cr_assert(sse_wait(c, "\r\n\r\n", 5000), "no response head for %s", path);
    int status = atoi(c->buf + 9);
    if (status == 200)
        cr_assert(sse_wait(c, "retry: ", 5000), "no first event block: %s", c->buf);
    return status;
}

static void sse_open(struct sse *c, const char *path, const char *headers)
{
    cr_assert_eq(sse_open_with(c, path, headers, 0), 200, "%s: %s", path, c->buf);
}

static void sse_close(struct sse *c)
{
    close(c->fd);
    free(c->buf);
}

/* The id of the last event block the stream has sent, or 0. */
static long last_id(const struct sse *c)
{
    long id = 0;
    for (const char *p = c->buf; (p = strstr(p, "\nid: ")); p += 5)
        id = atol(p + 5);
    return id;
}

static void publish(const char *slug, const char *title, const char *tags)
{
    char name[96], text[1024];
    snprintf(name, sizeof(name), "%s.md", slug);
    snprintf(text, sizeof(text), "---\ntitle: %s\nslug: %s\ntags: [%s]\n---\nNews of %s.\n", title,
             slug, tags, title);
    srv_add_post(&srv, name, text);
}

/* ---- the tests ------------------------------------------------------------------------- */

Test(http_live, a_published_story_reaches_every_open_stream_within_a_second)
{
    struct sse home, city, world, desk;
    sse_open(&home, "/live/", NULL);
    cr_expect(strstr(home.buf, "text/event-stream"), "%s", home.buf);
    cr_expect(strstr(home.buf, "cache-control: no-store"), "%s", home.buf);
    cr_expect(strstr(home.buf, "x-accel-buffering: no"), "%s", home.buf);
    sse_open(&city, "/tag/city/live/", NULL);
    sse_open(&world, "/tag/world/live/", NULL);
    sse_open(&desk, "/author/news-desk/live/", NULL);
    publish("tram-strike", "Tram drivers strike at dawn", "City");
    int64_t published = now_ms();
    cr_assert(sse_wait(&home, "/tram-strike/", 1000), "home: %s", home.buf);
    cr_assert(sse_wait(&city, "/tram-strike/", 1000), "city: %s", city.buf);
    cr_assert(sse_wait(&desk, "/tram-strike/", 1000), "author: %s", desk.buf);
    cr_expect_leq(now_ms() - published, 1000);
    cr_expect(strstr(home.buf, "event: publish\ndata: {\"id\":"), "%s", home.buf);
    cr_expect(strstr(home.buf, "\"published_at\":\""), "%s", home.buf);
    cr_expect(strstr(home.buf, "<li class=\\\"teaser\\\" data-id=\\\""),
              "the feed's own teaser: %s", home.buf);
    cr_expect(strstr(home.buf, "Tram drivers strike at dawn"), "%s", home.buf);
    cr_expect_gt(last_id(&home), 0, "the event has an id: %s", home.buf);
    /* a section the story is not in hears nothing of it */
    cr_expect_not(sse_wait(&world, "tram-strike", 300), "world: %s", world.buf);
    sse_close(&home);
    sse_close(&city);
    sse_close(&world);
    sse_close(&desk);
}

Test(http_live, a_reconnect_with_last_event_id_gets_what_it_missed_exactly_once)
{
    struct sse c;
    sse_open(&c, "/live/", NULL);
    publish("first-report", "First report from the scene", "City");
    cr_assert(sse_wait(&c, "/first-report/", 2000), "%s", c.buf);
    long seen = last_id(&c);
    cr_assert_gt(seen, 0);
    sse_close(&c);
    /* gone for a while: two more stories */
    publish("second-report", "Second report", "City");
    publish("third-report", "Third report", "World");
    char header[64];
    snprintf(header, sizeof(header), "Last-Event-ID: %ld\r\n", seen);
    sse_open(&c, "/live/", header);
    cr_assert(sse_wait(&c, "/third-report/", 2000), "%s", c.buf);
    sse_pump(&c, 300);
    cr_expect_eq(sse_count(&c, "/second-report/"), 1, "%s", c.buf);
    cr_expect_eq(sse_count(&c, "/third-report/"), 1, "%s", c.buf);
    cr_expect_eq(sse_count(&c, "/first-report/"), 0, "seen before: %s", c.buf);
    long now = last_id(&c);
    cr_assert_gt(now, seen);
    sse_close(&c);
    /* up to date: nothing is sent again */
    snprintf(header, sizeof(header), "Last-Event-ID: %ld\r\n", now);
    sse_open(&c, "/live/", header);
    cr_expect_not(sse_wait(&c, "event:", 500), "nothing missed, nothing sent: %s", c.buf);
    sse_close(&c);
    /* a section's stream replays only its own */
    snprintf(header, sizeof(header), "Last-Event-ID: %ld\r\n", seen);
    sse_open(&c, "/tag/world/live/", header);
    cr_assert(sse_wait(&c, "/third-report/", 2000), "%s", c.buf);
    sse_pump(&c, 300);
    cr_expect_eq(sse_count(&c, "/second-report/"), 0, "%s", c.buf);
    sse_close(&c);
    /* an id from before what the server keeps: reload, not a partial story */
    sse_open(&c, "/live/", "Last-Event-ID: 0\r\n");
    cr_expect(sse_wait(&c, "event: reload", 1000) || sse_count(&c, "event: publish") >= 3, "%s",
              c.buf);
    sse_close(&c);
}

Test(http_live, the_page_says_where_its_stream_takes_up)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    char *url = body_attr(&r, "data-live");
    char *since = body_attr(&r, "data-live-since");
    cr_assert(url && since, "the home page names its stream");
    cr_expect_str_eq(url, "/live/");
    long head = db_countf(&srv, "SELECT coalesce(max(seq), 0) FROM changes");
    cr_expect_eq(atol(since), head, "the page's change: %s, the log's: %ld", since, head);
    resp_free(&r);
    /* published after the page was read, before its script connected: not lost */
    publish("in-between", "Published in between", "City");
    char path[96];
    snprintf(path, sizeof(path), "/live/?since=%s", since);
    struct sse c;
    sse_open(&c, path, NULL);
    cr_expect(sse_wait(&c, "/in-between/", 2000), "%s", c.buf);
    sse_close(&c);
    free(url);
    free(since);
    http_req(&srv, "GET", "/tag/city/", &r);
    url = body_attr(&r, "data-live");
    cr_expect(url && strcmp(url, "/tag/city/live/") == 0, "%s", url ? url : "(none)");
    free(url);
    resp_free(&r);
    http_req(&srv, "GET", "/council/", &r);
    cr_expect(body_has(&r, "data-live=\"/live/\""), "the article's latest news are live too");
    char own[64];
    snprintf(own, sizeof(own), "data-live-exclude=\"%ld\"",
             db_countf(&srv, "SELECT id FROM posts WHERE slug = 'council'"));
    cr_expect(body_has(&r, own), "but never with the article itself as news");
    resp_free(&r);
    http_req(&srv, "GET", "/page/2/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect_not(body_has(&r, "data-live="), "only first pages are live");
    resp_free(&r);
}

Test(http_live, unpublishing_removes_the_teaser_and_a_section_change_moves_it)
{
    struct staff editor;
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    publish("recall", "Council recalls the mayor", "City");
    long id = db_countf(&srv, "SELECT id FROM posts WHERE slug = 'recall'");
    struct sse home, city, world;
    sse_open(&home, "/live/", NULL);
    sse_open(&city, "/tag/city/live/", NULL);
    sse_open(&world, "/tag/world/live/", NULL);
    /* moved from City to World: City removes it, World gets it */
    struct resp r;
    staff_save(&srv, &editor, id,
               "title=Council+recalls+the+mayor&markdown=News.&tags=World&authors=news-desk"
               "&action=update",
               &r);
    cr_assert_eq(r.status, 303, "%.300s", r.body);
    resp_free(&r);
    char removed[64];
    snprintf(removed, sizeof(removed), "event: remove\ndata: {\"id\":%ld}", id);
    cr_expect(sse_wait(&city, removed, 2000), "city: %s", city.buf);
    cr_expect(sse_wait(&world, "/recall/", 2000), "world: %s", world.buf);
    cr_expect(sse_wait(&home, "event: update", 2000), "home: an update: %s", home.buf);
    /* unpublished: gone from every stream that showed it */
    staff_save(&srv, &editor, id,
               "title=Council+recalls+the+mayor&markdown=News.&tags=World&authors=news-desk"
               "&action=unpublish&confirm=yes",
               &r);
    cr_assert_eq(r.status, 303, "%.300s", r.body);
    resp_free(&r);
    cr_expect(sse_wait(&home, removed, 2000), "home: %s", home.buf);
    cr_expect(sse_wait(&world, removed, 2000), "world: %s", world.buf);
    sse_close(&home);
    sse_close(&city);
    sse_close(&world);
}

Test(http_live, bad_ids_are_refused_with_a_message)
{
    const char *bad[] = {"Last-Event-ID: abc\r\n", "Last-Event-ID: -1\r\n",
                         "Last-Event-ID: 1e5\r\n", "Last-Event-ID: 1234567890123456789\r\n",
                         "Last-Event-ID: 12 13\r\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sse c;
        cr_expect_eq(sse_open_with(&c, "/live/", bad[i], 0), 400, "%s", bad[i]);
        cr_expect(strstr(c.buf, "Last-Event-ID"), "the message says what: %s", c.buf);
        sse_close(&c);
    }
    struct resp r;
    http_req(&srv, "GET", "/live/?since=yesterday", &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    http_req(&srv, "GET", "/tag/no-such-section/live/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    http_req(&srv, "GET", "/author/nobody-here/live/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    /* the server is still there and streams still work */
    struct sse c;
    sse_open(&c, "/live/", NULL);
    sse_close(&c);
}

Test(http_live, a_stop_ends_open_streams_and_the_server_exits_cleanly)
{
    struct sse c;
    sse_open(&c, "/live/", NULL);
    srv_stop(&srv); /* checks the exit status */
    int64_t end = now_ms() + 5000;
    while (sse_pump(&c, 200) && now_ms() < end)
        ;
    cr_expect(c.eof, "the stream was ended");
    sse_close(&c);
}

/* ---- limits ------------------------------------------------------------------------------ */

static struct srv tight;
static const char *const tight_args[] = {"--live-queue-bytes", "4096", "--live-per-address", "3",
                                         NULL};
TestSuite(http_live_limits, .timeout = 120);

static void tight_start(void)
{
    suite_start(&tight, &(const struct suite_opts){.serve_args = tight_args});
    srv = tight; /* the helpers above speak to srv */
}

static void tight_stop(void)
{
    suite_stop(&tight);
}

Test(http_live_limits, a_client_that_does_not_read_is_dropped_and_the_others_keep_up,
     .init = tight_start, .fini = tight_stop)
{
    struct sse slow, fast;
    sse_open_with(&slow, "/live/", NULL, 1024);
    sse_open(&fast, "/live/", NULL);
    /* forty stories with long excerpts: far more than 4 KiB behind for the slow one */
    char excerpt[301];
    memset(excerpt, 'x', 300);
    excerpt[300] = '\0';
    for (int i = 0; i < 40; i++) {
        char name[32], text[1024];
        snprintf(name, sizeof(name), "bulk-%02d.md", i);
        snprintf(text, sizeof(text),
                 "---\ntitle: Bulletin number %d of the night\nslug: bulletin-%d\n"
                 "custom_excerpt: %s\n---\nBody %d.\n",
                 i, i, excerpt, i);
        srv_write(&srv, name, text, NULL);
    }
    char *out = sh_out("\"${NEWSDESK_BIN:-build/test/newsdesk}\" post add --db '%s' '%s'/bulk-*.md "
                       ">/dev/null 2>&1; echo $?",
                       srv.db, srv.dir);
    cr_assert_str_eq(out, "0", "the bulletins were added");
    free(out);
    cr_expect(sse_wait(&fast, "/bulletin-39/", 5000), "the reading client got all forty");
    cr_expect_eq(sse_count(&fast, "event: publish"), 40, "%s",
                 fast.buf + (fast.len > 400 ? fast.len - 400 : 0));
    /* the slow one was cut off: reading now, it reaches the end of what was sent */
    int64_t end = now_ms() + 5000;
    while (sse_pump(&slow, 500) && now_ms() < end)
        ;
    cr_expect(slow.eof, "the client that did not read was dropped");
    cr_expect_lt(sse_count(&slow, "event: publish"), 40, "it did not get everything");
    sse_close(&slow);
    sse_close(&fast);
}

Test(http_live_limits, one_address_holds_a_bounded_number_of_streams, .init = tight_start,
     .fini = tight_stop)
{
    struct sse c[3], extra;
    for (int i = 0; i < 3; i++)
        sse_open(&c[i], "/live/", NULL);
    cr_assert_eq(sse_open_with(&extra, "/live/", NULL, 0), 429, "%s", extra.buf);
    cr_expect(strcasestr(extra.buf, "retry-after: 30"), "%s", extra.buf);
    cr_expect(strstr(extra.buf, "too many live connections"), "%s", extra.buf);
    sse_close(&extra);
    struct resp m;
    http_req(&srv, "GET", "/metrics", &m);
    cr_expect(body_has(&m, "newsdesk_live_clients 3\n"), "%s", m.body);
    cr_expect(body_has(&m, "newsdesk_live_streams_total{result=\"refused\"} 1\n"), "%s", m.body);
    resp_free(&m);
    /* a tab closed gives its place back at once */
    sse_close(&c[0]);
    int status = 0;
    for (int tries = 0; tries < 20 && status != 200; tries++) {
        usleep(50 * 1000);
        struct sse again;
        status = sse_open_with(&again, "/live/", NULL, 0);
        sse_close(&again);
    }
    cr_expect_eq(status, 200, "a closed stream's place is free again");
    /* other pages are not limited */
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    sse_close(&c[1]);
    sse_close(&c[2]);
}
