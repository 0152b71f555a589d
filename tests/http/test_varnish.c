/*
 * A real Varnish in front of two servers on one database: pages carry their dependency
 * keys (Surrogate-Key, which the VCL below hands to vmod_xkey), and a write through the
 * first server's newsroom purges exactly the pages it touched, whichever server Varnish
 * fetched them from. The delay from a write's return until Varnish serves the new page is
 * measured and printed. Needs Debian's varnish and varnish-modules (tools/bootstrap.sh): a
 * machine without varnishd fails here, saying so, rather than passing without testing.
 */
#include "harness.h"
#include "staff.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PW "correct horse battery"
#define VARNISHD "/usr/sbin/varnishd"
#define WRITES 50

static struct srv srv, srv2;
static struct srv cache; /* Varnish: only its port is used, to send requests */
static pid_t varnish_pid;
static struct staff ed;

/*
 * The VCL: a round-robin director over both servers; PURGE with an xkey header from
 * 127.0.0.1 only, a hard purge (a soft one would keep serving the old page in grace);
 * responses without keys (errors, the newsroom) are never kept; requests with a session
 * or credentials pass; X-Varnish-Cache says HIT or MISS.
 */
static void write_vcl(char path[SRV_PATH_MAX])
{
    char vcl[4096];
    snprintf(vcl, sizeof(vcl),
             "vcl 4.1;\nimport directors;\nimport xkey;\n"
             "backend s1 { .host = \"127.0.0.1\"; .port = \"%d\"; }\n"
             "backend s2 { .host = \"127.0.0.1\"; .port = \"%d\"; }\n"
             "acl purgers { \"127.0.0.1\"; }\n"
             "sub vcl_init {\n new rr = directors.round_robin();\n"
             " rr.add_backend(s1);\n rr.add_backend(s2);\n}\n"
             "sub vcl_recv {\n if (req.method == \"PURGE\") {\n"
             "  if (client.ip !~ purgers) { return (synth(403, \"Forbidden\")); }\n"
             "  if (!req.http.xkey) { return (synth(400, \"No xkey\")); }\n"
             "  set req.http.n-gone = xkey.purge(req.http.xkey);\n"
             "  return (synth(200, \"Purged \" + req.http.n-gone));\n }\n"
             " set req.backend_hint = rr.backend();\n"
             " if (req.http.Authorization || req.http.Cookie ~ \"nd_session=\") "
             "{ return (pass); }\n unset req.http.Cookie;\n}\n"
             "sub vcl_backend_response {\n set beresp.http.X-Backend = beresp.backend.name;\n"
             " if (!beresp.http.Surrogate-Key) {\n  set beresp.uncacheable = true;\n"
             "  set beresp.ttl = 0s;\n  return (deliver);\n }\n"
             " set beresp.http.xkey = beresp.http.Surrogate-Key;\n}\n"
             "sub vcl_deliver {\n if (obj.hits > 0) { set resp.http.X-Varnish-Cache = \"HIT\"; }\n"
             " else { set resp.http.X-Varnish-Cache = \"MISS\"; }\n unset resp.http.xkey;\n}\n",
             srv.port, srv2.port);
    srv_write(&srv, "newsdesk.vcl", vcl, path);
}

/*
 * varnishd in the foreground, by its own PID; -j none runs it as whoever runs the test
 * (root or not) without the privilege-separated jail, which needs the varnish users.
 */
static void varnish_start(void)
{
    char vcl[SRV_PATH_MAX], dir[SRV_PATH_MAX], listen[64], log[SRV_PATH_MAX];
    write_vcl(vcl);
    snprintf(dir, sizeof(dir), "%s/varnish", srv.dir);
    snprintf(log, sizeof(log), "%s/varnish.log", srv.dir);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", cache.port);
    varnish_pid = fork();
    if (varnish_pid == 0) {
        FILE *f = freopen(log, "a", stderr);
        (void)f;
        dup2(2, 1);
        execl(VARNISHD, "varnishd", "-F", "-j", "none", "-n", dir, "-a", listen, "-f", vcl, "-s",
              "malloc,64m", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 300 && !port_open(cache.port); i++) {
        int st;
        if (waitpid(varnish_pid, &st, WNOHANG) == varnish_pid) {
            varnish_pid = 0;
            char *out = sh_out("cat '%s'", log);
            cr_assert_fail("varnishd exited at start:\n%s", out);
        }
        usleep(50 * 1000);
    }
    cr_assert(port_open(cache.port), "varnishd does not listen on %d", cache.port);
}

static void varnish_stop(void)
{
    if (varnish_pid <= 0)
        return;
    kill(varnish_pid, SIGTERM);
    waitpid(varnish_pid, NULL, 0);
    varnish_pid = 0;
}

static void start_all(void)
{
    srv_prepare(&srv, 12);
    cr_assert_eq(staff_add(&srv, "ed@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert(access(VARNISHD, X_OK) == 0,
              "varnishd is missing (%s): install varnish and varnish-modules "
              "(tools/bootstrap.sh) to test purging",
              VARNISHD);
    cache.port = free_port();
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", cache.port);
    const char *const args[] = {"--purge-url", url, NULL};
    srv_start_args(&srv, args);
    srv2 = srv;
    srv_start_args(&srv2, args);
    varnish_start();
    cr_assert_eq(staff_login(&srv, "ed@example.org", PW, &ed), 303);
}

static void stop_all(void)
{
    varnish_stop();
    srv_stop(&srv2);
    suite_stop(&srv);
}

TestSuite(http_varnish, .init = start_all, .fini = stop_all, .timeout = 240);

/* ---- helpers ------------------------------------------------------------------------ */

/* GET path through Varnish: true when it was a hit there. */
static bool via_cache(const char *path, struct resp *r)
{
    http_req(&cache, "GET", path, r);
    char *v = resp_header(r, "x-varnish-cache");
    bool hit = v && strcmp(v, "HIT") == 0;
    free(v);
    return hit;
}

static bool cache_hit(const char *path)
{
    struct resp r;
    bool hit = via_cache(path, &r);
    resp_free(&r);
    return hit;
}

/* A post made and published through s's newsroom; its id. */
static long publish_on(const struct srv *s, const char *title, const char *body, const char *tags)
{
    char *t = form_enc(title), *b = form_enc(body), *g = form_enc(tags);
    char form[4096];
    snprintf(form, sizeof(form), "title=%s&markdown=%s&tags=%s&new_tags=%s&action=publish", t, b, g,
             g);
    free(t);
    free(b);
    free(g);
    struct resp r;
    staff_post(s, &ed, "/admin/posts/new/", form, &r);
    int status = r.status;
    long id = post_id_of(&r);
    resp_free(&r);
    cr_assert_eq(status, 303, "publish '%s': %d", title, status);
    return id;
}

/* A post made and published through server 1's newsroom; its id. */
static long publish(const char *title, const char *body, const char *tags)
{
    return publish_on(&srv, title, body, tags);
}

/* An edit of post id's text through server 1's editor, at its current version. */
static void edit(long id, const char *title, const char *body, const char *tags)
{
    char *t = form_enc(title), *b = form_enc(body), *g = form_enc(tags);
    char form[4096], path[64];
    snprintf(form, sizeof(form), "title=%s&markdown=%s&tags=%s&action=update", t, b, g);
    free(t);
    free(b);
    free(g);
    struct resp r;
    staff_save(&srv, &ed, id, form, &r);
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    int status = r.status;
    resp_free(&r);
    cr_assert_eq(status, 303, "edit %s: %d", path, status);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Polls path through Varnish until its body has needle; the ns it took (fails after 5 s). */
static uint64_t until_shown(const char *path, const char *needle)
{
    uint64_t start = now_ns();
    for (;;) {
        struct resp r;
        via_cache(path, &r);
        bool has = r.status == 200 && body_has(&r, needle);
        resp_free(&r);
        uint64_t took = now_ns() - start;
        if (has)
            return took;
        cr_assert(took < 5000000000u, "'%s' not shown at %s through Varnish after 5 s", needle,
                  path);
        usleep(500);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One sample of s's /metrics (0 when it has none, or s is stopped). */
static long metric_of(const struct srv *s, const char *sample)
{
    if (s->pid <= 0)
        return 0;
    struct resp r;
    http_req(s, "GET", "/metrics", &r);
    char line[128];
    snprintf(line, sizeof(line), "\n%s", sample);
    const char *p = r.body ? strstr(r.body, line) : NULL;
    long v = p ? atol(p + strlen(line)) : 0;
    resp_free(&r);
    return v;
}

/* The sum of one family's samples in both servers' /metrics. */
static long metric(const char *sample)
{
    return metric_of(&srv, sample) + metric_of(&srv2, sample);
}

/* ---- tests -------------------------------------------------------------------------- */

Test(http_varnish, a_page_is_a_miss_then_a_hit_and_names_its_keys)
{
    struct resp r;
    cr_expect(!via_cache("/", &r), "first: a miss");
    cr_assert_eq(r.status, 200);
    char *sk = resp_header(&r, "surrogate-key"), *ct = resp_header(&r, "cache-tag");
    char *cc = resp_header(&r, "cache-control");
    cr_expect(sk && strstr(sk, "list") && strstr(sk, "all"), "surrogate-key: %s", sk);
    cr_expect(ct && strstr(ct, "list") && strchr(ct, ','), "cache-tag: %s", ct);
    cr_expect(cc && strstr(cc, "public") && strstr(cc, "s-maxage="), "cache-control: %s", cc);
    free(sk);
    free(ct);
    free(cc);
    resp_free(&r);
    cr_expect(cache_hit("/"), "second: a hit");
}

Test(http_varnish, an_edit_purges_exactly_the_pages_it_touched)
{
    long id = publish("Harbour reopens", "Ships dock again.", "Harbour");
    publish("Storm warning", "Winds at dawn.", "Weather");
    static const char *const pages[] = {"/", "/harbour-reopens/", "/tag/harbour/", "/tag/weather/"};
    for (size_t i = 0; i < 4; i++) {
        /* the publishes' purges are on their way: wait until each page is kept again */
        until_shown(pages[i], i == 3 ? "Storm warning" : "Harbour reopens");
        for (int k = 0; k < 20 && !cache_hit(pages[i]); k++)
            usleep(100 * 1000);
        cr_assert(cache_hit(pages[i]), "%s kept by Varnish", pages[i]);
    }
    usleep(1500 * 1000); /* past the publishes' echoes, which drop them once more */
    for (size_t i = 0; i < 4; i++) {
        cache_hit(pages[i]);
        cr_assert(cache_hit(pages[i]), "%s kept again", pages[i]);
    }
    edit(id, "Harbour reopens at last", "Cranes are back.", "Harbour");
    /* on one SQLite file at once (the shared change stamp); on PostgreSQL when the
     * notification arrives, a few milliseconds later (http_pg measures it) */
    bool shown = false;
    for (int i = 0; i < 200 && !shown; i++) {
        struct resp r;
        http_req(&srv2, "GET", "/harbour-reopens/", &r);
        shown = body_has(&r, "Cranes are back.");
        resp_free(&r);
        if (!shown && !srv.pg_name[0])
            break;
        if (!shown)
            usleep(5000);
    }
    cr_expect(shown, "server 2 shows the edit");
    until_shown("/harbour-reopens/", "Cranes are back.");
    until_shown("/", "Harbour reopens at last");
    until_shown("/tag/harbour/", "Harbour reopens at last");
    cr_expect(cache_hit("/tag/weather/"), "an unrelated tag page stays a hit");
}

Test(http_varnish, the_delay_from_a_write_to_varnish_is_small)
{
    uint64_t took[WRITES];
    until_shown("/", "<");
    for (int i = 0; i < WRITES; i++) {
        char title[64];
        snprintf(title, sizeof(title), "Bulletin number %d", i);
        cache_hit("/"); /* kept before the write */
        publish(title, "Brief.", "Bulletins");
        took[i] = until_shown("/", title);
    }
    qsort(took, WRITES, sizeof(took[0]), cmp_u64);
    double p50 = (double)took[WRITES / 2] / 1e6, p99 = (double)took[WRITES * 99 / 100] / 1e6;
    double max = (double)took[WRITES - 1] / 1e6;
    fprintf(stderr,
            "varnish: write to new page through Varnish over %d writes: p50 %.1f ms, "
            "p99 %.1f ms, max %.1f ms\n",
            WRITES, p50, p99, max);
    cr_expect(p99 < 1000.0, "p99 %.1f ms", p99);
}

Test(http_varnish, a_cache_that_was_down_gets_its_purges_on_retry)
{
    until_shown("/", "<");
    long ok_before = metric("newsdesk_purge_requests_total{result=\"ok\"} ");
    varnish_stop();
    publish("Late edition", "While the cache was away.", "Harbour");
    long failed = 0;
    for (int i = 0; i < 50 && !failed; i++) {
        usleep(100 * 1000);
        failed = metric("newsdesk_purge_requests_total{result=\"failed\"} ");
    }
    cr_expect_gt(failed, 0, "the purge failed while Varnish was down");
    cr_expect_gt(metric("newsdesk_purge_waiting "), 0, "and waits to be tried again");
    varnish_start();
    long ok = 0;
    for (int i = 0; i < 150 && ok <= ok_before; i++) {
        usleep(100 * 1000);
        ok = metric("newsdesk_purge_requests_total{result=\"ok\"} ");
    }
    cr_expect_gt(ok, ok_before, "the purge went through once Varnish was back");
    cr_expect_eq(metric("newsdesk_purge_leader "), 1, "one server purges");
    until_shown("/", "Late edition");
}

/*
 * One server purges for both (a lock on a file beside one SQLite database, an advisory
 * lock on PostgreSQL). When it stops, the other takes over from the position it saved,
 * so a write made after that is still purged.
 */
Test(http_varnish, when_the_purging_server_stops_the_other_takes_over)
{
    long leaders = 0;
    for (int i = 0; i < 50 && leaders != 1; i++) {
        usleep(100 * 1000);
        leaders = metric("newsdesk_purge_leader ");
    }
    cr_assert_eq(leaders, 1, "one server purges");
    until_shown("/", "<");
    struct srv *gone = metric_of(&srv, "newsdesk_purge_leader ") ? &srv : &srv2;
    struct srv *left = gone == &srv ? &srv2 : &srv;
    srv_stop(gone);
    publish_on(left, "Night ferry cancelled", "Gales in the strait.", "Harbour");
    until_shown("/", "Night ferry cancelled");
    cr_expect_eq(metric_of(left, "newsdesk_purge_leader "), 1, "the server left purges now");
}

Test(http_varnish, a_logged_in_page_is_never_kept)
{
    for (int i = 0; i < 2; i++) {
        char h[256];
        snprintf(h, sizeof(h),
                 "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: nd_session=%s\r\n"
                 "Connection: close\r\n\r\n",
                 ed.session);
        struct resp r;
        http_raw(&cache, h, strlen(h), &r);
        char *v = resp_header(&r, "x-varnish-cache"), *cc = resp_header(&r, "cache-control");
        char *sk = resp_header(&r, "surrogate-key");
        cr_expect(v && strcmp(v, "MISS") == 0, "a session's page passes Varnish: %s", v);
        cr_expect(cc && strstr(cc, "private") && strstr(cc, "no-store"), "cache-control: %s", cc);
        cr_expect_null(sk, "no keys on a personal page: %s", sk);
        free(v);
        free(cc);
        free(sk);
        resp_free(&r);
        struct resp a;
        snprintf(h, sizeof(h),
                 "GET /admin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: nd_session=%s\r\n"
                 "Connection: close\r\n\r\n",
                 ed.session);
        http_raw(&cache, h, strlen(h), &a);
        v = resp_header(&a, "x-varnish-cache");
        cr_expect(v && strcmp(v, "MISS") == 0, "the newsroom is never kept: %s", v);
        free(v);
        resp_free(&a);
    }
    cr_expect(!cache_hit("/admin/"), "not even without the cookie");
}
