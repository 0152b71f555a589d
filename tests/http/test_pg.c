/*
 * Several servers on one PostgreSQL database: what one server promises must hold for
 * three, alone, behind nginx as a load balancer, and behind Varnish in front of that. Each test
 * starts a PostgreSQL cluster of its own (tools/pg-cluster.sh: initdb in a temporary folder, a Unix
 * socket there), makes a site in it and starts three servers on that one database, each with its
 * own cache, the way a newsroom that outgrew one machine runs them behind a load balancer.
 *
 * Measured, not assumed: how long a write takes to reach the other servers' pages (they
 * hear of it through LISTEN/NOTIFY), printed with its percentiles.
 */
#include "cluster.h"
#include "staff.h"
#include "varnish.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define PW "correct horse battery"

static char pgdir[64];
static struct srv one, two, three;
/* nginx and Varnish when a test runs them: stopped by three_stop too, should it fail */
static pid_t ngx_pid, cache_pid;

static void cluster_start(void)
{
    char *url = pg_cluster_start(pgdir);
    setenv("NEWSDESK_TEST_PG", url, 1);
    free(url);
}

static void three_start(void)
{
    cluster_start();
    srv_prepare(&one, 5);
    cr_assert_eq(staff_add(&one, "editor@example.org", "Eda Editor", "editor", PW), 0);
    two = one;
    three = one;
    srv_start(&one);
    srv_start(&two);
    srv_start(&three);
}

static void three_stop(void)
{
    varnish_stop(cache_pid);
    if (ngx_pid > 0) {
        kill(ngx_pid, SIGTERM);
        waitpid(ngx_pid, NULL, 0);
    }
    srv_stop(&three);
    srv_stop(&two);
    srv_stop(&one);
    srv_cleanup(&one);
    pg_cluster_stop(pgdir);
}

TestSuite(http_pg, .init = three_start, .fini = three_stop, .timeout = 180);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool page_has(const struct srv *s, const char *path, const char *needle)
{
    struct resp r;
    http_req(s, "GET", path, &r);
    bool has = r.status == 200 && body_has(&r, needle);
    resp_free(&r);
    return has;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* How long after the write returned until s's home page shows title (ms; -1: never, 5 s). */
static double seen_after(const struct srv *s, const char *title, double written)
{
    while (now_ms() - written < 5000) {
        if (page_has(s, "/", title))
            return now_ms() - written;
        usleep(2000);
    }
    return -1;
}

Test(http_pg, a_post_published_on_one_server_is_on_the_others_at_once)
{
    struct staff ed;
    cr_assert_eq(staff_login(&one, "editor@example.org", PW, &ed), 303);
    /* every server has the home page cached before each write */
    enum { N = 20 };
    double delay[2 * N];
    for (int i = 0; i < N; i++) {
        char title[64];
        snprintf(title, sizeof(title), "Bridge reopens, report %d", i);
        cr_assert(!page_has(&two, "/", title) && !page_has(&three, "/", title));
        cr_assert_eq(staff_publish(&one, &ed, title), 303);
        double written = now_ms();
        cr_expect(page_has(&one, "/", title), "the writing server shows it at once");
        delay[2 * i] = seen_after(&two, title, written);
        delay[2 * i + 1] = seen_after(&three, title, written);
        cr_assert(delay[2 * i] >= 0 && delay[2 * i + 1] >= 0, "report %d never reached them", i);
    }
    qsort(delay, 2 * N, sizeof(delay[0]), cmp_double);
    double p50 = delay[N], p99 = delay[2 * N - 1];
    fprintf(stderr,
            "http_pg: a write reached the other servers' home pages in %.1f ms (p50), "
            "%.1f ms (p99 of %d)\n",
            p50, p99, 2 * N);
    cr_expect_lt(p99, 1000.0, "p99 %.1f ms", p99);
}

/* The value of a sample line of s's /metrics ("name{labels}"), or -1 when it is missing. */
static double metric(const struct srv *s, const char *sample)
{
    struct resp r;
    http_req(s, "GET", "/metrics", &r);
    double v = -1;
    const char *p = r.body ? strstr(r.body, sample) : NULL;
    if (r.status == 200 && p)
        v = strtod(p + strlen(sample), NULL);
    resp_free(&r);
    return v;
}

Test(http_pg, a_scheduled_post_is_published_once_by_three_servers)
{
    struct staff ed;
    cr_assert_eq(staff_login(&one, "editor@example.org", PW, &ed), 303);
    char when[32], form[512];
    time_t t = time(NULL) + 2;
    struct tm tm;
    gmtime_r(&t, &tm); /* the site's time zone is UTC */
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(form, sizeof(form),
             "title=Polls+close&markdown=At+eight.&tags=News+Feed&action=schedule&publish_at=%s",
             when);
    struct resp r;
    staff_post(&one, &ed, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    bool everywhere = false;
    for (int i = 0; i < 60 && !everywhere; i++) {
        usleep(100 * 1000);
        everywhere = page_has(&one, "/polls-close/", "At eight.") &&
                     page_has(&two, "/polls-close/", "At eight.") &&
                     page_has(&three, "/polls-close/", "At eight.");
    }
    cr_assert(everywhere, "published and on every server within 6 s");
    usleep(1500 * 1000); /* a tick more of every scheduler */
    const char *by = "newsdesk_posts_published_total{by=\"scheduler\"} ";
    double n = metric(&one, by) + metric(&two, by) + metric(&three, by);
    cr_expect_eq(n, 1.0, "the servers' schedulers published it %.0f times in all", n);
    cr_expect_eq(db_countf(&one, "SELECT count(*) FROM audit WHERE action = 'publish'"
                                 " AND detail = 'scheduled'"),
                 1);
}

Test(http_pg, the_database_restarting_under_load)
{
    struct staff ed;
    cr_assert_eq(staff_login(&one, "editor@example.org", PW, &ed), 303);
    cr_assert(page_has(&two, "/", "</html>"));
    char *out = sh_out("tools/pg-cluster.sh pause %s 2>&1; echo rc=$?", pgdir);
    cr_assert(strstr(out, "rc=0"), "cannot stop PostgreSQL: %s", out);
    free(out);
    /* readers keep their cached pages; a write fails at once with 503 and a message */
    cr_expect(page_has(&two, "/", "</html>"), "a cached page while the database is down");
    struct resp r;
    http_req(&two, "GET", "/readyz", &r);
    cr_expect_eq(r.status, 503, "not ready without the database");
    resp_free(&r);
    cr_expect_eq(staff_publish(&one, &ed, "Written while the database was down"), 503);
    out = sh_out("tools/pg-cluster.sh resume %s 2>&1; echo rc=$?", pgdir);
    cr_assert(strstr(out, "rc=0"), "cannot start PostgreSQL again: %s", out);
    free(out);
    /* back by itself: the next write within the reconnect backoff (at most 5 s) */
    int status = 0;
    for (int i = 0; i < 80 && status != 303; i++) {
        usleep(100 * 1000);
        status = staff_publish(&one, &ed, "Written after the database came back");
    }
    cr_expect_eq(status, 303, "writes recover when the database returns");
    cr_expect_gt(seen_after(&three, "Written after the database came back", now_ms()), -1.0,
                 "and the other servers see them");
    /* each connection tries again on its own backoff (at most 5 s) */
    int ready = 0;
    for (int i = 0; i < 60 && ready != 200; i++) {
        http_req(&two, "GET", "/readyz", &r);
        ready = r.status;
        resp_free(&r);
        if (ready != 200)
            usleep(100 * 1000);
    }
    cr_expect_eq(ready, 200, "ready again");
}

Test(http_pg, five_failed_logins_spread_over_three_servers_lock_the_account)
{
    const struct srv *servers[] = {&one, &two, &three, &one, &two};
    struct staff s;
    for (int i = 0; i < 5; i++)
        cr_assert_eq(staff_login(servers[i], "editor@example.org", "a wrong guess", &s), 401,
                     "try %d", i);
    cr_expect_eq(staff_login(&three, "editor@example.org", "a wrong guess", &s), 429,
                 "the sixth, on the server that saw only one, is refused");
    cr_expect_eq(staff_login(&three, "editor@example.org", PW, &s), 429,
                 "and the right password waits too, on every server");
    cr_expect_eq(staff_login(&one, "editor@example.org", PW, &s), 429);
}

/* The status of a Content API request with key on s. */
static int content_status(const struct srv *s, const char *key)
{
    char path[128];
    snprintf(path, sizeof(path), "/ghost/api/content/posts/?key=%s&limit=2", key);
    struct resp r;
    http_req(s, "GET", path, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

Test(http_pg, a_revoked_key_stops_working_on_every_server_at_once)
{
    char key[27];
    srv_content_key(&one, key);
    /* each server has answered it, and may keep the answer */
    cr_assert_eq(content_status(&one, key), 200);
    cr_assert_eq(content_status(&two, key), 200);
    cr_assert_eq(content_status(&three, key), 200);
    char *id = db_query(&one, "SELECT id FROM api_keys WHERE type = 'content'");
    cr_assert_eq(run_newsdesk(NULL, NULL, "apikey", "revoke", "--db", one.db, id, NULL), 0);
    free(id);
    cr_expect_neq(content_status(&two, key), 200, "revoked on server 2");
    cr_expect_neq(content_status(&three, key), 200, "revoked on server 3");
    cr_expect_neq(content_status(&one, key), 200, "revoked on server 1");
}

/* Reads fd into buf (cap bytes) until needle arrives or ms pass; whether it came. */
static bool read_until(int fd, char *buf, size_t cap, size_t *len, const char *needle, int ms)
{
    double end = now_ms() + ms;
    while (!strstr(buf, needle) && now_ms() < end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)(end - now_ms()) + 1) <= 0)
            continue;
        ssize_t n = read(fd, buf + *len, cap - 1 - *len);
        if (n <= 0)
            break;
        *len += (size_t)n;
        buf[*len] = '\0';
    }
    return strstr(buf, needle) != NULL;
}

/* A reader's live stream open on server 2 hears of a post published through server 1. */
Test(http_pg, a_live_stream_on_one_server_hears_of_a_publish_on_another)
{
    struct staff ed;
    cr_assert_eq(staff_login(&one, "editor@example.org", PW, &ed), 303);
    int fd[2] = {http_open(&two), http_open(&three)};
    char *buf[2];
    size_t len[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        static const char req[] = "GET /live/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "Accept: text/event-stream\r\n\r\n";
        http_send_all(fd[i], req, sizeof(req) - 1);
        buf[i] = calloc(1, 1 << 20);
        cr_assert(read_until(fd[i], buf[i], 1 << 20, &len[i], "retry: ", 5000),
                  "the stream opened: %s", buf[i]);
    }
    cr_assert_eq(staff_publish(&one, &ed, "Ferry collides with pier"), 303);
    double written = now_ms();
    for (int i = 0; i < 2; i++) {
        cr_expect(read_until(fd[i], buf[i], 1 << 20, &len[i], "Ferry collides with pier", 2000),
                  "server %d's stream: %s", i + 2, buf[i]);
        cr_expect(strstr(buf[i], "event: publish"), "%s", buf[i]);
        close(fd[i]);
        free(buf[i]);
    }
    fprintf(stderr, "http_pg: the publish reached live streams on servers 2 and 3 in %.1f ms\n",
            now_ms() - written);
}

/* A setting changed from the command line (another process) is applied by every server. */
Test(http_pg, a_changed_setting_reaches_every_server)
{
    for (int i = 0; i < 3; i++)
        cr_assert(page_has(i == 0 ? &one : i == 1 ? &two : &three, "/", "<title>"));
    cr_assert_eq(run_newsdesk(NULL, NULL, "settings", "set", "--db", one.db, "title",
                              "Harbour Evening Post", NULL),
                 0);
    double written = now_ms();
    const struct srv *all[] = {&one, &two, &three};
    for (int i = 0; i < 3; i++) {
        bool seen = false;
        while (!seen && now_ms() - written < 5000) {
            seen = page_has(all[i], "/", "Harbour Evening Post");
            if (!seen)
                usleep(2000);
        }
        cr_expect(seen, "server %d shows the new title", i + 1);
    }
}

/*
 * nginx in front of the three, as a newsroom's load balancer: proxy_next_upstream sends a
 * request that found a server dead (refused, reset) to the next one, which is what keeps
 * a reader from seeing a failure when one server dies.
 */
static pid_t nginx_start(const char *dir, int port)
{
    char conf[512];
    snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
    FILE *f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f,
            "daemon off; master_process off; worker_processes 1; pid %s/nginx.pid;\n"
            "error_log %s/nginx.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "  access_log off;\n"
            "  client_body_temp_path %s/nb; proxy_temp_path %s/np; fastcgi_temp_path %s/nf;\n"
            "  uwsgi_temp_path %s/nu; scgi_temp_path %s/ns;\n"
            "  upstream newsdesk {\n"
            "    server 127.0.0.1:%d max_fails=1 fail_timeout=10s;\n"
            "    server 127.0.0.1:%d max_fails=1 fail_timeout=10s;\n"
            "    server 127.0.0.1:%d max_fails=1 fail_timeout=10s;\n"
            "    keepalive 16;\n"
            "  }\n"
            "  server {\n"
            "    listen 127.0.0.1:%d;\n"
            "    location / {\n"
            "      proxy_pass http://newsdesk; proxy_http_version 1.1;\n"
            "      proxy_set_header Connection \"\"; proxy_set_header Host $host;\n"
            "      proxy_next_upstream error timeout http_502 http_503;\n"
            "      proxy_connect_timeout 1s;\n"
            "    }\n"
            "  }\n"
            "}\n",
            dir, dir, dir, dir, dir, dir, dir, one.port, two.port, three.port, port);
    fclose(f);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("nginx", "nginx", "-p", dir, "-c", conf, "-e", "/dev/null", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && !port_open(port); i++)
        usleep(50 * 1000);
    cr_assert(port_open(port), "nginx did not start (is Debian's nginx installed?)");
    return pid;
}

Test(http_pg, a_server_killed_and_the_database_restarted_under_load)
{
    /* every server has the pages cached, as a site under load has */
    static const char *const paths[] = {"/", "/rss/", "/sitemap.xml"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert(page_has(&one, paths[i], ""));
        cr_assert(page_has(&two, paths[i], ""));
        cr_assert(page_has(&three, paths[i], ""));
    }
    int port = free_port();
    pid_t ngx = ngx_pid = nginx_start(one.dir, port);
    char out[400];
    snprintf(out, sizeof(out), "%s/wrk.txt", one.dir);
    free(
        sh_out("(wrk -t2 -c16 -d8s http://127.0.0.1:%d/ > '%s' 2>&1 &) ; echo started", port, out));
    usleep(2000 * 1000);
    kill(two.pid, SIGKILL); /* no goodbye: its connections are reset mid-request */
    waitpid(two.pid, NULL, 0);
    two.pid = 0;
    usleep(1500 * 1000);
    char *v = sh_out("tools/pg-cluster.sh pause %s 2>&1; echo rc=$?", pgdir);
    cr_expect(strstr(v, "rc=0"), "%s", v);
    free(v);
    usleep(2000 * 1000);
    v = sh_out("tools/pg-cluster.sh resume %s 2>&1; echo rc=$?", pgdir);
    cr_expect(strstr(v, "rc=0"), "%s", v);
    free(v);
    sleep(4);
    char *report = sh_out("cat '%s'", out);
    kill(ngx, SIGTERM);
    waitpid(ngx, NULL, 0);
    ngx_pid = 0;
    cr_assert(strstr(report, "Requests/sec"), "wrk ran: %s", report);
    cr_expect(!strstr(report, "Non-2xx"), "every answer through nginx was 200:\n%s", report);
    cr_expect(!strstr(report, "Socket errors"), "no connection failed:\n%s", report);
    fprintf(stderr, "http_pg: through nginx while a server died and PostgreSQL restarted:\n%s\n",
            report);
    free(report);
    /* and the writes came back on the servers still up */
    struct staff ed;
    int status = 0;
    for (int i = 0; i < 80 && status != 303; i++) {
        status = staff_login(&one, "editor@example.org", PW, &ed);
        if (status != 303)
            usleep(100 * 1000);
    }
    cr_assert_eq(status, 303, "a login (a write) works again");
    int published = staff_publish(&one, &ed, "After the storm");
    cr_expect_eq(published, 303, "a publish after the restart: %d", published);
    cr_expect_gt(seen_after(&three, "After the storm", now_ms()), -1.0,
                 "and the other server still up hears of it");
}

/*
 * The whole shape of docs/scaling.md: Varnish in front of nginx in front of the three
 * servers, which purge Varnish by key (one of them: the lease). A post published through
 * server 1's editor is on the home page through Varnish soon after the write returns:
 * the delay is measured over many writes and printed (the goal is 100 ms at p99; the
 * assertion allows for a loaded machine running sanitizer builds).
 */
Test(http_pg, through_varnish_and_nginx_a_publish_shows_at_once)
{
    int cache_port = free_port();
    char purge[64];
    snprintf(purge, sizeof(purge), "http://127.0.0.1:%d/", cache_port);
    const char *const args[] = {"--purge-url", purge, NULL};
    struct srv *all[] = {&one, &two, &three};
    for (size_t i = 0; i < 3; i++) {
        srv_stop(all[i]);
        srv_start_args(all[i], args);
    }
    int lb_port = free_port();
    pid_t ngx = ngx_pid = nginx_start(one.dir, lb_port);
    pid_t varnish = cache_pid = varnish_start(one.dir, cache_port, &lb_port, 1);
    struct srv cache = one;
    cache.port = cache_port;
    struct staff ed;
    cr_assert_eq(staff_login(&one, "editor@example.org", PW, &ed), 303);
    enum { N = 40 };
    double delay[N];
    int missing = 0;
    for (int i = 0; i < N; i++) {
        char title[64];
        snprintf(title, sizeof(title), "Tide tables revised, edition %d", i);
        /* Varnish keeps the home page before each write (a hit, served without asking) */
        for (int k = 0; k < 3; k++)
            page_has(&cache, "/", "");
        cr_assert(!page_has(&cache, "/", title));
        cr_assert_eq(staff_publish(&one, &ed, title), 303);
        delay[i] = seen_after(&cache, title, now_ms());
        missing += delay[i] < 0;
    }
    varnish_stop(varnish);
    cache_pid = 0;
    kill(ngx, SIGTERM);
    waitpid(ngx, NULL, 0);
    ngx_pid = 0;
    cr_assert_eq(missing, 0, "%d posts never showed through Varnish within 5 s", missing);
    qsort(delay, N, sizeof(*delay), cmp_double);
    double p50 = delay[N / 2], p99 = delay[N * 99 / 100];
    fprintf(stderr,
            "http_pg: publish on server 1 until the home page through Varnish, nginx and three"
            " servers shows it, over %d writes: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
            N, p50, p99, delay[N - 1]);
    cr_expect_lt(p99, 500.0, "p99 %.1f ms", p99);
    cr_expect_lt(p50, 100.0, "p50 %.1f ms", p50);
}
