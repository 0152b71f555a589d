/*
 * The WebSub hub (issue 17): a subscriber of our own on 127.0.0.1 (a small HTTP server in
 * a thread of the test) subscribes, is verified, and receives what the CLI publishes,
 * signed; it unsubscribes and receives nothing more. Bad requests get a 4xx naming the
 * field; callbacks that hang, answer 500 forever, answer 410 or echo the wrong challenge
 * are bounded. The server allows loopback callbacks only with --websub-allow-private,
 * and its retries are fast here (--websub-retry-ms) so a 500-forever callback is given up
 * in seconds.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct srv srv;

static const char *const fast[] = {
    "--websub-allow-private", "--websub-retry-ms", "200", "--websub-timeout-ms", "1500", NULL};
HTTP_SUITE(http_websub, srv, 90, .posts = 5, .serve_args = fast);

/* ---- the subscriber ------------------------------------------------------------------ */

enum answer { ANSWER_OK, ANSWER_WRONG, ANSWER_500, ANSWER_410, ANSWER_HANG };

#define HUNG_MAX 16

struct subscriber {
    int fd;
    int port;
    pthread_t thread;
    pthread_mutex_t mu;
    atomic_bool stop;
    enum answer verify, deliver; /* how it answers a GET (verification), a POST (delivery) */
    int verifications;
    char mode[32], challenge[128], topic[512], lease[32];
    int deliveries;
    char *body; /* the last delivery's */
    size_t body_len;
    char signature[160], content_type[128], link[1024];
    int hung[HUNG_MAX];
    int nhung;
};

static struct subscriber sub;

/* The value of header name (lowercase) in head, or "". */
static void header_of(const char *head, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    size_t len = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, len) == 0 && p[2 + len] == ':') {
            const char *v = p + 3 + len;
            while (*v == ' ')
                v++;
            size_t vl = strcspn(v, "\r");
            snprintf(out, n, "%.*s", (int)vl, v);
            return;
        }
    }
}

/* The decoded value of query parameter name in target, or "". */
static void param_of(const char *target, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    const char *q = strchr(target, '?');
    size_t len = strlen(name);
    for (const char *p = q; p; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, name, len) != 0 || p[1 + len] != '=')
            continue;
        const char *v = p + 2 + len;
        size_t o = 0;
        for (; *v && *v != '&' && *v != ' ' && o + 1 < n; v++) {
            if (*v == '%' && v[1] && v[2]) {
                char hex[3] = {v[1], v[2], 0};
                out[o++] = (char)strtol(hex, NULL, 16);
                v += 2;
            } else {
                out[o++] = *v == '+' ? ' ' : *v;
            }
        }
        out[o] = '\0';
        return;
    }
}

static void reply(int fd, int status, const char *body)
{
    char r[512];
    int n = snprintf(r, sizeof(r),
                     "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", status,
                     strlen(body), body);
    ssize_t w = write(fd, r, (size_t)n);
    (void)w;
}

/* Reads one request (head and Content-Length body); returns its total length or -1. */
static ssize_t read_request(int fd, char *buf, size_t cap, size_t *head_len)
{
    size_t n = 0;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            return -1;
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r <= 0)
            return -1;
        n += (size_t)r;
        buf[n] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end)
            continue;
        *head_len = (size_t)(end - buf) + 4;
        char cl[32];
        header_of(buf, "content-length", cl, sizeof(cl));
        if (n >= *head_len + (size_t)atol(cl))
            return (ssize_t)n;
    }
}

/* One request: records it and answers as the test set. */
static void serve_one(int fd)
{
    static char buf[1 << 20];
    size_t head_len = 0;
    ssize_t n = read_request(fd, buf, sizeof(buf), &head_len);
    if (n < 0) {
        close(fd);
        return;
    }
    bool get = strncmp(buf, "GET ", 4) == 0;
    pthread_mutex_lock(&sub.mu);
    enum answer a = get ? sub.verify : sub.deliver;
    if (get) {
        sub.verifications++;
        param_of(buf, "hub.mode", sub.mode, sizeof(sub.mode));
        param_of(buf, "hub.challenge", sub.challenge, sizeof(sub.challenge));
        param_of(buf, "hub.topic", sub.topic, sizeof(sub.topic));
        param_of(buf, "hub.lease_seconds", sub.lease, sizeof(sub.lease));
    } else {
        sub.deliveries++;
        free(sub.body);
        sub.body_len = (size_t)n - head_len;
        sub.body = malloc(sub.body_len + 1);
        memcpy(sub.body, buf + head_len, sub.body_len);
        sub.body[sub.body_len] = '\0';
        buf[head_len] = '\0';
        header_of(buf, "x-hub-signature", sub.signature, sizeof(sub.signature));
        header_of(buf, "content-type", sub.content_type, sizeof(sub.content_type));
        header_of(buf, "link", sub.link, sizeof(sub.link));
    }
    char challenge[128];
    snprintf(challenge, sizeof(challenge), "%s", sub.challenge);
    if (a == ANSWER_HANG && sub.nhung < HUNG_MAX) {
        sub.hung[sub.nhung++] = fd; /* never answered: closed when the test ends */
        pthread_mutex_unlock(&sub.mu);
        return;
    }
    pthread_mutex_unlock(&sub.mu);
    if (a == ANSWER_500)
        reply(fd, 500, "broken");
    else if (a == ANSWER_410)
        reply(fd, 410, "gone");
    else if (get)
        reply(fd, 200, a == ANSWER_WRONG ? "not-the-challenge" : challenge);
    else
        reply(fd, 200, "thanks");
    close(fd);
}

static void *sub_run(void *arg)
{
    (void)arg;
    while (!atomic_load(&sub.stop)) {
        struct pollfd p = {sub.fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(sub.fd, NULL, NULL);
        if (c >= 0)
            serve_one(c);
    }
    return NULL;
}

static void sub_start(enum answer verify, enum answer deliver)
{
    memset(&sub, 0, sizeof(sub));
    pthread_mutex_init(&sub.mu, NULL);
    sub.verify = verify;
    sub.deliver = deliver;
    sub.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert(bind(sub.fd, (struct sockaddr *)&a, sizeof(a)) == 0);
    cr_assert(listen(sub.fd, 16) == 0);
    socklen_t len = sizeof(a);
    getsockname(sub.fd, (struct sockaddr *)&a, &len);
    sub.port = ntohs(a.sin_port);
    cr_assert(pthread_create(&sub.thread, NULL, sub_run, NULL) == 0);
}

static void sub_stop(void)
{
    atomic_store(&sub.stop, true);
    pthread_join(sub.thread, NULL);
    for (int i = 0; i < sub.nhung; i++)
        close(sub.hung[i]);
    close(sub.fd);
    free(sub.body);
}

static int sub_count(const int *field)
{
    pthread_mutex_lock(&sub.mu);
    int n = *field;
    pthread_mutex_unlock(&sub.mu);
    return n;
}

/* ---- talking to the hub ------------------------------------------------------------- */

static void msleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Polls until *field reaches n or ms pass; returns the last value. */
static int wait_count(const int *field, int n, int ms)
{
    int v = 0;
    for (int t = 0; t <= ms; t += 50) {
        v = sub_count(field);
        if (v >= n)
            break;
        msleep(50);
    }
    return v;
}

/* A counter of /metrics (the full line's name and labels). */
static long metric(const char *name)
{
    struct resp r;
    http_req(&srv, "GET", "/metrics", &r);
    cr_assert_eq(r.status, 200);
    char line[256];
    snprintf(line, sizeof(line), "\n%s ", name); /* the sample, not its # TYPE line */
    const char *p = strstr(r.body, line);
    cr_assert(p, "no %s in /metrics", name);
    long v = atol(p + strlen(line));
    resp_free(&r);
    return v;
}

static long wait_metric(const char *name, long n, int ms)
{
    long v = 0;
    for (int t = 0; t <= ms; t += 100) {
        v = metric(name);
        if (v >= n)
            break;
        msleep(100);
    }
    return v;
}

#define CONFIRMED "newsdesk_websub_verifications_total{result=\"confirmed\"}"
#define FAILED "newsdesk_websub_verifications_total{result=\"failed\"}"
#define DELIVERED "newsdesk_websub_deliveries_total{result=\"delivered\"}"
#define DROPPED "newsdesk_websub_deliveries_total{result=\"dropped\"}"
#define GONE "newsdesk_websub_deliveries_total{result=\"gone\"}"
#define BLOCKED "newsdesk_websub_blocked_connections_total"

/* POST /websub/ with a form body. */
static void hub_post(const char *form, struct resp *r)
{
    char req[8192];
    int n = snprintf(req, sizeof(req),
                     "POST /websub/ HTTP/1.1\r\nHost: feeds.example\r\nConnection: close\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(form), form);
    cr_assert(n > 0 && (size_t)n < sizeof(req));
    http_raw(&srv, req, (size_t)n, r);
}

/* The site's RSS feed's address, as its rel=self gives it. */
static char *rss_topic(void)
{
    struct resp r;
    http_req(&srv, "GET", "/rss/", &r);
    char *self =
        body_between(&r, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"", "\"");
    cr_assert(self);
    resp_free(&r);
    return self;
}

/* hub.mode=MODE for the RSS feed to our subscriber, with more (may be ""). */
static int subscribe(const char *mode, const char *more)
{
    char *topic = rss_topic();
    char form[2048];
    snprintf(
        form, sizeof(form),
        "hub.mode=%s&hub.topic=%s&hub.callback=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fcb%%3Fid%%3D7%s",
        mode, topic, sub.port, more);
    free(topic);
    struct resp r;
    hub_post(form, &r);
    int status = r.status;
    cr_expect(status != 202 || body_has(&r, "verify"), "%s", r.body);
    resp_free(&r);
    return status;
}

static void publish(const char *name, const char *title)
{
    char text[512];
    snprintf(text, sizeof(text),
             "---\ntitle: %s\ntags: [News Feed]\nauthors: [news-desk]\n---\nA new report.\n",
             title);
    srv_add_post(&srv, name, text);
}

/* ---- tests --------------------------------------------------------------------------- */

Test(http_websub, subscriber_is_verified_and_receives_a_signed_publication)
{
    sub_start(ANSWER_OK, ANSWER_OK);
    /* a lease of one second is raised to the hub's least, an hour */
    cr_assert_eq(subscribe("subscribe", "&hub.lease_seconds=1&hub.secret=s3cret%2Bkey"), 202);
    cr_assert_eq(wait_count(&sub.verifications, 1, 5000), 1, "no verification GET");
    cr_expect_str_eq(sub.mode, "subscribe");
    cr_expect_str_eq(sub.lease, "3600");
    char *topic = rss_topic();
    cr_expect_str_eq(sub.topic, topic);
    cr_assert_eq(wait_metric(CONFIRMED, 1, 5000), 1);

    publish("ws1.md", "Hub delivers this breaking item");
    cr_assert_geq(wait_count(&sub.deliveries, 1, 8000), 1, "nothing delivered");
    pthread_mutex_lock(&sub.mu);
    cr_expect(strstr(sub.body, "Hub delivers this breaking item"), "the new item is in the body");
    cr_expect(strstr(sub.body, "<rss version=\"2.0\""));
    cr_expect_str_eq(sub.content_type, "application/rss+xml; charset=utf-8");
    cr_expect(strstr(sub.link, "/websub/>; rel=\"hub\""), "%s", sub.link);
    char self[600];
    snprintf(self, sizeof(self), "<%s>; rel=\"self\"", topic);
    cr_expect(strstr(sub.link, self), "%s", sub.link);
    /* the test's own HMAC of what arrived, under the secret it chose */
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)"s3cret+key", 10);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)sub.body, sub.body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[65], want[80];
    sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
    snprintf(want, sizeof(want), "sha256=%s", hex);
    cr_expect_str_eq(sub.signature, want);
    pthread_mutex_unlock(&sub.mu);
    free(topic);
    sub_stop();
}

Test(http_websub, unsubscribed_callbacks_receive_nothing_more)
{
    sub_start(ANSWER_OK, ANSWER_OK);
    cr_assert_eq(subscribe("subscribe", ""), 202);
    cr_assert_eq(wait_metric(CONFIRMED, 1, 5000), 1);
    publish("ws2.md", "Before leaving");
    cr_assert_eq(wait_count(&sub.deliveries, 1, 8000), 1);
    cr_expect_str_eq(sub.signature, "", "no secret, no signature");

    cr_assert_eq(subscribe("unsubscribe", ""), 202);
    cr_assert_eq(wait_count(&sub.verifications, 2, 5000), 2);
    cr_expect_str_eq(sub.mode, "unsubscribe");
    cr_expect_str_eq(sub.lease, "", "an unsubscription has no lease");
    cr_assert_eq(wait_metric(CONFIRMED, 2, 5000), 2);
    publish("ws3.md", "After leaving");
    msleep(3000);
    cr_expect_eq(sub_count(&sub.deliveries), 1, "delivered after unsubscribing");
    sub_stop();
}

Test(http_websub, a_wrong_challenge_activates_nothing)
{
    sub_start(ANSWER_WRONG, ANSWER_OK);
    cr_assert_eq(subscribe("subscribe", ""), 202);
    cr_assert_eq(wait_metric(FAILED, 1, 5000), 1);
    cr_expect_eq(metric(CONFIRMED), 0);
    publish("ws4.md", "Nobody subscribed");
    msleep(2500);
    cr_expect_eq(sub_count(&sub.deliveries), 0);
    sub_stop();
}

Test(http_websub, a_callback_that_hangs_is_cut_by_the_timeout)
{
    sub_start(ANSWER_HANG, ANSWER_OK);
    cr_assert_eq(subscribe("subscribe", ""), 202);
    cr_assert_eq(wait_count(&sub.verifications, 1, 5000), 1);
    /* while it hangs, readers are served as ever */
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    cr_assert_eq(wait_metric(FAILED, 1, 6000), 1, "the hanging verification never ended");
    cr_expect_eq(metric(CONFIRMED), 0);
    sub_stop();
}

Test(http_websub, a_callback_failing_forever_is_given_up_after_its_retries)
{
    sub_start(ANSWER_OK, ANSWER_500);
    cr_assert_eq(subscribe("subscribe", ""), 202);
    cr_assert_eq(wait_metric(CONFIRMED, 1, 5000), 1);
    publish("ws5.md", "Never accepted");
    /* 5 tries: at once, then after 0.2, 0.4, 0.8 and 1.6 s */
    cr_assert_eq(wait_metric(DROPPED, 1, 15000), 1, "the delivery was never given up");
    cr_expect_eq(sub_count(&sub.deliveries), 5);
    msleep(1000);
    cr_expect_eq(sub_count(&sub.deliveries), 5, "tried again after giving up");
    char path[SRV_PATH_MAX];
    snprintf(path, sizeof(path), "%s/server.log", srv.dir);
    size_t len;
    char *log = file_slurp(path, &len);
    cr_expect(strstr(log, "gave up delivering"), "no log line for the dropped delivery");
    free(log);
    sub_stop();
}

Test(http_websub, gone_ends_the_subscription)
{
    sub_start(ANSWER_OK, ANSWER_410);
    cr_assert_eq(subscribe("subscribe", ""), 202);
    cr_assert_eq(wait_metric(CONFIRMED, 1, 5000), 1);
    publish("ws6.md", "First");
    cr_assert_eq(wait_metric(GONE, 1, 8000), 1);
    publish("ws7.md", "Second");
    msleep(2500);
    cr_expect_eq(sub_count(&sub.deliveries), 1, "delivered after 410 Gone");
    sub_stop();
}

Test(http_websub, many_publishes_in_a_second_are_one_delivery)
{
    sub_start(ANSWER_OK, ANSWER_OK);
    cr_assert_eq(subscribe("subscribe", ""), 202);
    cr_assert_eq(wait_metric(CONFIRMED, 1, 5000), 1);
    /* three posts in one CLI call's time each: well within the hub's second */
    srv_write(&srv, "a.md", "---\ntitle: Burst one\ntags: [News Feed]\n---\nx\n", NULL);
    srv_write(&srv, "b.md", "---\ntitle: Burst two\ntags: [News Feed]\n---\nx\n", NULL);
    char pa[SRV_PATH_MAX], pb[SRV_PATH_MAX];
    snprintf(pa, sizeof(pa), "%s/a.md", srv.dir);
    snprintf(pb, sizeof(pb), "%s/b.md", srv.dir);
    cr_assert_eq(run_newsdesk(NULL, NULL, "post", "add", "--db", srv.db, pa, pb, NULL), 0);
    cr_assert_eq(wait_count(&sub.deliveries, 1, 8000), 1);
    msleep(2000);
    cr_expect_eq(sub_count(&sub.deliveries), 1, "one burst, one delivery");
    cr_expect(strstr(sub.body, "Burst one") && strstr(sub.body, "Burst two"));
    sub_stop();
}

/* form with each "{T}" replaced by topic. */
static void fill(char *out, size_t n, const char *form, const char *topic)
{
    size_t o = 0;
    for (const char *p = form; *p && o + 1 < n; p++) {
        if (strncmp(p, "{T}", 3) == 0) {
            o += (size_t)snprintf(out + o, n - o, "%s", topic);
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o < n ? o : n - 1] = '\0';
}

/* Each bad request: its status and a part of its message. */
Test(http_websub, bad_requests_are_refused_with_the_reason)
{
    char *topic = rss_topic();
    char longcb[2200], longsecret[230];
    memset(longcb, 'a', sizeof(longcb) - 1);
    longcb[sizeof(longcb) - 1] = '\0';
    memcpy(longcb, "http://127.0.0.1/", 17);
    memset(longsecret, 'k', 200);
    longsecret[200] = '\0';
    struct {
        const char *form;
        int status;
        const char *says;
    } cases[] = {
        {"hub.topic={T}&hub.callback=http://127.0.0.1:9/", 400, "hub.mode is missing"},
        {"hub.mode=publish&hub.topic={T}&hub.callback=http://127.0.0.1:9/", 400,
         "unknown hub.mode"},
        {"hub.mode=subscribe&hub.callback=http://127.0.0.1:9/", 400, "hub.topic is missing"},
        {"hub.mode=subscribe&hub.topic={T}", 400, "hub.callback is missing"},
        {"hub.mode=subscribe&hub.topic=https://elsewhere.example/rss/&hub.callback=http://"
         "127.0.0.1:9/",
         400, "one of this site"},
        {"hub.mode=subscribe&hub.topic={T}nope/&hub.callback=http://127.0.0.1:9/", 400,
         "not a feed of this site"},
        {"hub.mode=subscribe&hub.topic={T}&hub.callback=ftp://127.0.0.1/", 400, "https://"},
        {"hub.mode=subscribe&hub.topic={T}&hub.callback=javascript:alert(1)", 400, "https://"},
        {"hub.mode=subscribe&hub.topic={T}&hub.callback=http://u:p@127.0.0.1/", 400, "user name"},
        {"hub.mode=subscribe&hub.topic={T}&hub.callback=http://127.0.0.1/#x", 400, "fragment"},
        {"hub.mode=subscribe&hub.topic={T}&hub.lease_seconds=soon&hub.callback=http://127.0.0.1/",
         400, "whole number"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char form[4096];
        fill(form, sizeof(form), cases[i].form, topic);
        struct resp r;
        hub_post(form, &r);
        cr_expect_eq(r.status, cases[i].status, "%s: %d", form, r.status);
        cr_expect(body_has(&r, cases[i].says), "%s: no '%s' in %s", form, cases[i].says, r.body);
        resp_free(&r);
    }
    char form[4096];
    struct resp r;
    snprintf(form, sizeof(form), "hub.mode=subscribe&hub.topic=%s&hub.callback=%s", topic, longcb);
    hub_post(form, &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "longer than"));
    resp_free(&r);
    snprintf(form, sizeof(form),
             "hub.mode=subscribe&hub.topic=%s&hub.callback=http://127.0.0.1:9/&hub.secret=%s",
             topic, longsecret);
    hub_post(form, &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "shorter than 200 bytes"));
    resp_free(&r);
    /* not a form at all */
    const char *json = "POST /websub/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    http_raw(&srv, json, strlen(json), &r);
    cr_expect_eq(r.status, 415);
    resp_free(&r);
    /* a GET of the hub is not a subscription (nor an article) */
    http_req(&srv, "GET", "/websub/", &r);
    cr_expect(r.status == 404 || r.status == 405, "%d", r.status);
    resp_free(&r);
    cr_expect_eq(metric(CONFIRMED) + metric(FAILED), 0, "a refused request was verified");
    free(topic);
}

Test(http_websub, tag_and_author_feeds_are_topics_and_missing_ones_are_not)
{
    sub_start(ANSWER_OK, ANSWER_OK);
    char *topic = rss_topic(); /* ".../rss/": the site's address is what precedes it */
    topic[strlen(topic) - strlen("/rss/")] = '\0';
    const char *ok[] = {"/tag/news-feed/atom/", "/author/news-desk/feed.json", "/atom/"};
    for (size_t i = 0; i < 3; i++) {
        char form[1024];
        snprintf(form, sizeof(form),
                 "hub.mode=subscribe&hub.topic=%s%s&hub.callback=http://127.0.0.1:%d/t%zu", topic,
                 ok[i], sub.port, i);
        struct resp r;
        hub_post(form, &r);
        cr_expect_eq(r.status, 202, "%s: %s", ok[i], r.body);
        resp_free(&r);
    }
    const char *bad[] = {"/tag/no-such-tag/rss/", "/author/nobody/atom/", "/rss/?x=1", "/ws1/",
                         "/sitemap.xml"};
    for (size_t i = 0; i < 5; i++) {
        char form[1024];
        snprintf(form, sizeof(form),
                 "hub.mode=subscribe&hub.topic=%s%s&hub.callback=http://127.0.0.1:%d/", topic,
                 bad[i], sub.port);
        struct resp r;
        hub_post(form, &r);
        cr_expect_eq(r.status, 400, "%s: %d", bad[i], r.status);
        resp_free(&r);
    }
    cr_expect_eq(wait_metric(CONFIRMED, 3, 5000), 3);
    publish("ws8.md", "To three feeds");
    cr_expect_geq(wait_count(&sub.deliveries, 3, 8000), 3, "each topic delivered");
    free(topic);
    sub_stop();
}

/* ---- without --websub-allow-private --------------------------------------------------- */

static struct srv strict;
HTTP_SUITE(http_websub_strict, strict, 60, .posts = 3);

static void strict_post(const char *callback, struct resp *r)
{
    char form[1024], req[2048];
    snprintf(form, sizeof(form),
             "hub.mode=subscribe&hub.topic=http://127.0.0.1:8080/rss/&hub.callback=%s", callback);
    int n = snprintf(req, sizeof(req),
                     "POST /websub/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(form), form);
    http_raw(&strict, req, (size_t)n, r);
}

Test(http_websub_strict, internal_callbacks_are_refused)
{
    const char *internal[] = {
        "http://127.0.0.1:9/",        "http://localhost/",
        "http://LOCALHOST./",         "http://a.localhost/",
        "http://10.1.2.3/",           "http://172.16.0.1/",
        "http://192.168.1.1/",        "http://169.254.169.254/",
        "http://100.64.0.1/",         "http://0.0.0.0/",
        "http://224.0.0.1/",          "http://[::1]/",
        "http://[::ffff:127.0.0.1]/", "http://[fd00::1]/",
        "http://[fe80::1]/",          "http://2130706433/",
        "http://0x7f.0.0.1/",         "http://[64:ff9b::a00:1]/",
    };
    for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++) {
        struct resp r;
        strict_post(internal[i], &r);
        cr_expect_eq(r.status, 400, "%s: %d", internal[i], r.status);
        cr_expect(body_has(&r, "internal") || body_has(&r, "not a valid"), "%s: %s", internal[i],
                  r.body);
        resp_free(&r);
    }
}

/*
 * A name that resolves to a loopback address passes the request's checks (no DNS there)
 * and is refused when connecting: the guard sees the address curl actually dials.
 */
Test(http_websub_strict, a_name_resolving_inward_is_refused_when_connecting)
{
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    struct addrinfo *ai = NULL, hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    bool inward = host[0] && getaddrinfo(host, NULL, &hints, &ai) == 0 && ai &&
                  (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127;
    if (ai)
        freeaddrinfo(ai);
    if (!inward) {
        cr_log_info("this machine's name does not resolve to loopback; nothing to check");
        return;
    }
    sub_start(ANSWER_OK, ANSWER_OK);
    char cb[512];
    snprintf(cb, sizeof(cb), "http://%s:%d/", host, sub.port);
    struct resp r;
    strict_post(cb, &r);
    cr_assert_eq(r.status, 202, "%s", r.body);
    resp_free(&r);
    struct srv keep = srv;
    srv = strict; /* metric() reads the suite's server */
    cr_expect_geq(wait_metric(BLOCKED, 1, 5000), 1, "the connection was not refused");
    cr_expect_eq(wait_metric(FAILED, 1, 5000), 1);
    srv = keep;
    cr_expect_eq(sub_count(&sub.verifications), 0, "the loopback subscriber was reached");
    sub_stop();
}
