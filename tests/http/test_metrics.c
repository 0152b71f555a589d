/*
 * /metrics as a monitoring system reads it: the exposition passes a strict parser of
 * Prometheus' text format (promtool's, and our own stricter checks of what this server
 * promises), and its counters move by what was asked: requests by route and status,
 * the cache, publishing, the scheduler, a busy database. The token opens it to other
 * addresses; without it they get the ordinary 404.
 */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "metrics-token-0123456789"
#define PW "correct horse battery staple"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static struct srv srv;
/* a purge endpoint nobody listens on: its families are in the exposition, failures counted */
static const char *const serve_args[] = {"--metrics-token", TOKEN, "--purge-url",
                                         "http://127.0.0.1:9/", NULL};

static void one_editor(struct srv *s)
{
    cr_assert_eq(staff_add(s, "editor@example.org", "Ed Editor", "editor", PW), 0);
}

HTTP_SUITE(http_metrics, srv, 60, .posts = 5, .before_start = one_editor, .serve_args = serve_args);

/* GET path with extra header lines. */
static void get_with(const char *path, const char *headers, struct resp *r)
{
    char req[1024];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n",
                     path, headers);
    http_raw(&srv, req, (size_t)n, r);
}

/* The exposition, from loopback (malloc'd). */
static char *scrape(void)
{
    struct resp r;
    http_req(&srv, "GET", "/metrics", &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char *type = resp_header(&r, "content-type");
    cr_assert(type && strstr(type, "text/plain; version=0.0.4"), "%s", type ? type : "none");
    free(type);
    char *body = strdup(r.body);
    resp_free(&r);
    return body;
}

/* The value of a series ("name" or "name{labels}") in body: 0 when absent. */
static double value_of(const char *body, const char *series)
{
    size_t n = strlen(series);
    const char *p = body;
    while (p && *p) {
        if (strncmp(p, series, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return 0;
}

/* ---- a strict reader of the text format ---------------------------------------------- */

struct family {
    char name[128];
    char type[16];
    bool help, done;
};

struct sample {
    char name[128];
    char labels[256]; /* as written, without braces */
    double value;
};

struct exposition {
    struct family fams[128];
    size_t nfams;
    struct sample samples[1024];
    size_t nsamples;
};

static bool valid_name(const char *p, size_t n)
{
    if (!n || !(isalpha((unsigned char)p[0]) || p[0] == '_' || p[0] == ':'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)p[i]) || p[i] == '_' || p[i] == ':'))
            return false;
    return true;
}

static struct family *family_of(struct exposition *e, const char *name, bool create)
{
    for (size_t i = 0; i < e->nfams; i++)
        if (strcmp(e->fams[i].name, name) == 0)
            return &e->fams[i];
    if (!create)
        return NULL;
    cr_assert_lt(e->nfams, ARRAY_LEN(e->fams));
    struct family *f = &e->fams[e->nfams++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    return f;
}

/* The family a sample belongs to: its own name, or a histogram's without the suffix. */
static struct family *family_of_sample(struct exposition *e, const char *name)
{
    struct family *f = family_of(e, name, false);
    if (f && f->type[0])
        return f;
    static const char *const suffixes[] = {"_bucket", "_sum", "_count"};
    for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
        size_t n = strlen(name), k = strlen(suffixes[i]);
        if (n <= k || strcmp(name + n - k, suffixes[i]) != 0)
            continue;
        char base[128];
        snprintf(base, sizeof(base), "%.*s", (int)(n - k), name);
        f = family_of(e, base, false);
        if (f && strcmp(f->type, "histogram") == 0)
            return f;
    }
    return NULL;
}

/* name="value",... with only \\, \" and \n escaped; cr_assert on anything else. */
static void check_labels(const char *p, size_t n, const char *line)
{
    size_t i = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && p[i] != '=')
            i++;
        cr_assert(valid_name(p + s, i - s), "label name in: %s", line);
        cr_assert(i + 1 < n && p[i + 1] == '"', "label value not quoted: %s", line);
        for (i += 2; i < n && p[i] != '"'; i++)
            if (p[i] == '\\') {
                cr_assert(i + 1 < n && strchr("\\\"n", p[i + 1]), "bad escape: %s", line);
                i++;
            }
        cr_assert(i < n, "unterminated label value: %s", line);
        i++;
        cr_assert(i == n || p[i] == ',', "junk after a label: %s", line);
        i += i < n;
    }
}

static void read_comment(struct exposition *e, const char *line, struct family **current)
{
    char kind[8], name[128];
    int used = 0;
    if (sscanf(line, "# %7s %127s %n", kind, name, &used) < 2 ||
        (strcmp(kind, "HELP") && strcmp(kind, "TYPE")))
        return; /* another comment: allowed */
    cr_assert(valid_name(name, strlen(name)), "family name: %s", line);
    struct family *f = family_of(e, name, true);
    cr_assert(!f->done, "family %s described again after another family", name);
    if (strcmp(kind, "HELP") == 0) {
        cr_assert(!f->help, "two HELP lines for %s", name);
        cr_assert(line[used], "empty HELP for %s", name);
        f->help = true;
    } else {
        cr_assert(!f->type[0], "two TYPE lines for %s", name);
        const char *t = line + used;
        cr_assert(!strcmp(t, "counter") || !strcmp(t, "gauge") || !strcmp(t, "histogram"),
                  "type of %s: %s", name, t);
        snprintf(f->type, sizeof(f->type), "%s", t);
    }
    if (*current && *current != f)
        (*current)->done = true;
    *current = f;
}

static void read_sample(struct exposition *e, const char *line, struct family **current)
{
    cr_assert_lt(e->nsamples, ARRAY_LEN(e->samples));
    struct sample *s = &e->samples[e->nsamples++];
    size_t n = strcspn(line, "{ ");
    cr_assert(valid_name(line, n) && n < sizeof(s->name), "sample name: %s", line);
    snprintf(s->name, sizeof(s->name), "%.*s", (int)n, line);
    const char *p = line + n;
    s->labels[0] = '\0';
    if (*p == '{') {
        const char *close = strstr(p, "} ");
        cr_assert(close, "unclosed labels: %s", line);
        check_labels(p + 1, (size_t)(close - p - 1), line);
        snprintf(s->labels, sizeof(s->labels), "%.*s", (int)(close - p - 1), p + 1);
        p = close + 1;
    }
    cr_assert(*p == ' ' && p[1], "no value: %s", line);
    char *end;
    s->value = strtod(p + 1, &end);
    cr_assert(*end == '\0' && end != p + 1, "bad value: %s", line);
    struct family *f = family_of_sample(e, s->name);
    cr_assert(f && f->help && f->type[0], "no HELP and TYPE before %s", line);
    cr_assert(!f->done, "samples of %s are not together: %s", f->name, line);
    if (*current && *current != f)
        (*current)->done = true;
    *current = f;
    if (strcmp(f->type, "counter") == 0) {
        size_t k = strlen(s->name);
        cr_assert(k > 6 && strcmp(s->name + k - 6, "_total") == 0, "counter without _total: %s",
                  line);
        cr_assert(s->value >= 0, "negative counter: %s", line);
    }
    for (size_t i = 0; i + 1 < e->nsamples; i++)
        cr_assert(strcmp(e->samples[i].name, s->name) || strcmp(e->samples[i].labels, s->labels),
                  "series twice: %s", line);
}

/* The labels without le="..." (a histogram's series key). */
static void without_le(const char *labels, char *out, size_t n)
{
    const char *le = strstr(labels, "le=\"");
    if (!le) {
        snprintf(out, n, "%s", labels);
        return;
    }
    const char *end = strchr(le + 4, '"') + 1;
    size_t head = (size_t)(le - labels);
    if (head && labels[head - 1] == ',')
        head--;
    snprintf(out, n, "%.*s%s", (int)head, labels, *end == ',' && !head ? end + 1 : end);
}

/* Buckets ascend in le and count, end in +Inf, and +Inf is _count; _sum is there. */
static void check_histogram(const struct exposition *e, const char *fam, const char *key)
{
    char bucket[160], sum[160], count[160];
    snprintf(bucket, sizeof(bucket), "%s_bucket", fam);
    snprintf(sum, sizeof(sum), "%s_sum", fam);
    snprintf(count, sizeof(count), "%s_count", fam);
    double last_le = -INFINITY, last = 0, count_v = -1;
    bool has_sum = false, inf = false;
    for (size_t i = 0; i < e->nsamples; i++) {
        const struct sample *s = &e->samples[i];
        char k[256];
        without_le(s->labels, k, sizeof(k));
        if (strcmp(k, key))
            continue;
        if (!strcmp(s->name, bucket)) {
            const char *le = strstr(s->labels, "le=\"");
            cr_assert(le, "bucket without le: %s{%s}", s->name, s->labels);
            double v = strncmp(le + 4, "+Inf\"", 5) == 0 ? INFINITY : strtod(le + 4, NULL);
            cr_assert(v > last_le, "le not ascending: %s{%s}", s->name, s->labels);
            cr_assert(s->value >= last, "buckets not cumulative: %s{%s}", s->name, s->labels);
            last_le = v;
            last = s->value;
            inf = isinf(v);
        }
        has_sum |= !strcmp(s->name, sum);
        if (!strcmp(s->name, count))
            count_v = s->value;
    }
    cr_assert(inf, "%s{%s}: no +Inf bucket last", fam, key);
    cr_assert(has_sum, "%s{%s}: no _sum", fam, key);
    cr_assert_eq(count_v, last, "%s{%s}: _count %g, +Inf %g", fam, key, count_v, last);
}

static void parse_strict(const char *body, struct exposition *e)
{
    memset(e, 0, sizeof(*e));
    cr_assert(*body && body[strlen(body) - 1] == '\n', "the exposition ends with a newline");
    char *copy = strdup(body), *save = NULL;
    struct family *current = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cr_assert(!strchr(line, '\r'), "CR in: %s", line);
        if (line[0] == '#')
            read_comment(e, line, &current);
        else
            read_sample(e, line, &current);
    }
    free(copy);
    for (size_t i = 0; i < e->nsamples; i++) {
        struct family *f = family_of_sample(e, e->samples[i].name);
        if (strcmp(f->type, "histogram") == 0) {
            char key[256];
            without_le(e->samples[i].labels, key, sizeof(key));
            check_histogram(e, f->name, key);
        }
    }
}

/* promtool's own check (a real parser and Prometheus' lint); skipped when it is missing. */
static void promtool_check(const char *body)
{
    if (system("command -v promtool >/dev/null 2>&1") != 0) {
        cr_log_warn("promtool is not installed (Debian: prometheus); only our checks ran");
        return;
    }
    char path[SRV_PATH_MAX], cmd[SRV_PATH_MAX + 64];
    srv_write(&srv, "metrics.txt", body, path);
    snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' 1>&2", path);
    cr_expect_eq(system(cmd), 0, "promtool check metrics refused the exposition:\n%s", body);
}

/* ---- the tests -------------------------------------------------------------------------- */

Test(http_metrics, the_exposition_passes_a_strict_parser)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r); /* a request or two, so that histograms have samples */
    resp_free(&r);
    http_req(&srv, "GET", "/no/such/page/", &r);
    resp_free(&r);
    char *body = scrape();
    static struct exposition e;
    parse_strict(body, &e);
    promtool_check(body);
    /* every family an operator was promised is there */
    static const char *const promised[] = {"newsdesk_http_requests_total",
                                           "newsdesk_http_request_duration_seconds",
                                           "newsdesk_http_errors_total",
                                           "newsdesk_http_connections_open",
                                           "newsdesk_http_connections_accepted_total",
                                           "newsdesk_cache_hits_total",
                                           "newsdesk_cache_misses_total",
                                           "newsdesk_cache_evictions_total",
                                           "newsdesk_cache_bytes",
                                           "newsdesk_cache_render_seconds",
                                           "newsdesk_store_busy_waits_total",
                                           "newsdesk_store_busy_retries_total",
                                           "newsdesk_posts_published_total",
                                           "newsdesk_scheduler_runs_total",
                                           "newsdesk_live_clients",
                                           "newsdesk_websub_deliveries_total",
                                           "newsdesk_purge_requests_total",
                                           "newsdesk_purge_everything_total",
                                           "newsdesk_purge_waiting",
                                           "newsdesk_purge_leader"};
    for (size_t i = 0; i < ARRAY_LEN(promised); i++)
        cr_expect(family_of(&e, promised[i], false), "no %s", promised[i]);
    cr_expect(strstr(body, "newsdesk_cache_hits_total{cache=\"search\"}"), "the searches' cache");
    free(body);
}

Test(http_metrics, counters_move_by_what_was_asked)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r); /* the home page into the cache */
    resp_free(&r);
    char *before = scrape();
    /* an article twice (a miss, then a hit), a path no route takes, the home page (a hit) */
    char *slug = db_query(&srv, "SELECT slug FROM posts WHERE status = 'published' "
                                "AND type = 'post' ORDER BY id LIMIT 1");
    cr_assert(slug && *slug);
    char path[160];
    snprintf(path, sizeof(path), "/%s/", slug);
    free(slug);
    for (int i = 0; i < 2; i++) {
        http_req(&srv, "GET", path, &r);
        cr_assert_eq(r.status, 200, "%s: %d", path, r.status);
        resp_free(&r);
    }
    http_req(&srv, "GET", "/no/such/page/", &r);
    cr_assert_eq(r.status, 404);
    resp_free(&r);
    http_req(&srv, "GET", "/", &r);
    resp_free(&r);
    static const char *const others[] = {"/rss/", "/sitemap.xml", "/healthz"};
    for (size_t i = 0; i < ARRAY_LEN(others); i++) {
        http_req(&srv, "GET", others[i], &r);
        cr_assert_eq(r.status, 200, "%s: %d", others[i], r.status);
        resp_free(&r);
    }
    char *after = scrape();
#define DELTA(series) (value_of(after, series) - value_of(before, series))
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"feed\",status=\"200\"}"), 1);
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"sitemap\",status=\"200\"}"), 1);
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"article\",status=\"200\"}"), 2);
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"other\",status=\"404\"}"), 1);
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"home\",status=\"200\"}"), 1);
    /* /healthz, and the first scrape itself, counted once it was sent */
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"ops\",status=\"200\"}"), 2);
    cr_expect_eq(DELTA("newsdesk_http_request_duration_seconds_count{route=\"article\"}"), 2);
    cr_expect_gt(DELTA("newsdesk_http_request_duration_seconds_sum{route=\"article\"}"), 0);
    cr_expect_eq(DELTA("newsdesk_http_errors_total{code=\"NOTFOUND\",status=\"404\"}"), 1);
    /*
     * the misses of the article, the feed and the sitemap; the article's second asking
     * and the home page hit (the 404 and /healthz never reach the cache)
     */
    cr_expect_eq(DELTA("newsdesk_cache_misses_total{cache=\"pages\"}"), 3);
    cr_expect_eq(DELTA("newsdesk_cache_hits_total{cache=\"pages\"}"), 2);
    cr_expect_eq(DELTA("newsdesk_cache_stores_total{cache=\"pages\"}"), 3);
    cr_expect_eq(DELTA("newsdesk_cache_render_seconds_count{cache=\"pages\"}"), 3);
    cr_expect_gt(DELTA("newsdesk_cache_bytes{cache=\"pages\"}"), 0);
    /* a connection per request (Connection: close), the scrape's own still open */
    cr_expect_eq(DELTA("newsdesk_http_connections_accepted_total"), 8);
    cr_expect_eq(value_of(after, "newsdesk_http_connections_open"), 1);
#undef DELTA
    free(before);
    free(after);
}

/* UTC, n seconds from now, as a post file's published_at. */
static void utc_in(int n, char out[32])
{
    time_t t = time(NULL) + n;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

Test(http_metrics, publishing_and_the_scheduler_are_counted)
{
    char *before = scrape();
    /* staff publish in the newsroom */
    struct staff ed;
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &ed), 303);
    struct resp r;
    staff_post(&srv, &ed, "/admin/posts/new/",
               "title=Bridge+reopens&markdown=Traffic+flows.&tags=&action=publish", &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    /* a draft saved is no publication */
    staff_post(&srv, &ed, "/admin/posts/new/",
               "title=Still+a+draft&markdown=Not+yet.&tags=&action=save", &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    /* a post scheduled a second ahead, by another process: the scheduler publishes it */
    char when[32], text[256];
    utc_in(1, when);
    snprintf(text, sizeof(text),
             "---\ntitle: Polls close\nstatus: scheduled\npublished_at: %s\n---\nCounting.\n",
             when);
    srv_add_post(&srv, "polls.md", text);
    char *after = NULL;
    for (int i = 0; i < 40; i++) {
        free(after);
        usleep(100 * 1000);
        after = scrape();
        if (value_of(after, "newsdesk_posts_published_total{by=\"scheduler\"}") >
            value_of(before, "newsdesk_posts_published_total{by=\"scheduler\"}"))
            break;
    }
#define DELTA(series) (value_of(after, series) - value_of(before, series))
    cr_expect_eq(DELTA("newsdesk_posts_published_total{by=\"staff\"}"), 1);
    cr_expect_eq(DELTA("newsdesk_posts_published_total{by=\"scheduler\"}"), 1);
    cr_expect_gt(DELTA("newsdesk_scheduler_runs_total"), 0);
    cr_expect_eq(DELTA("newsdesk_scheduler_failures_total"), 0);
    cr_expect_geq(value_of(after, "newsdesk_scheduler_last_run_timestamp_seconds"),
                  (double)time(NULL) - 2);
    cr_expect_eq(DELTA("newsdesk_http_requests_total{route=\"admin\",status=\"303\"}"), 3,
                 "the login and the two saves");
#undef DELTA
    free(before);
    free(after);
}

Test(http_metrics, a_write_that_waits_on_a_busy_database_is_counted)
{
    char *before = scrape();
    /* another process holds the write lock for a second and a half */
    char cmd[sizeof(srv.db) + 128];
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' 'BEGIN IMMEDIATE' '.shell sleep 1.5' 'COMMIT' >/dev/null 2>&1 &",
             srv.db);
    cr_assert_eq(system(cmd), 0);
    usleep(400 * 1000);
    struct staff ed; /* a login writes its session: it waits, then succeeds */
    cr_expect_eq(staff_login(&srv, "editor@example.org", PW, &ed), 303);
    char *after = scrape();
    cr_expect_geq(value_of(after, "newsdesk_store_busy_waits_total") -
                      value_of(before, "newsdesk_store_busy_waits_total"),
                  1, "%s", after);
    cr_expect_gt(value_of(after, "newsdesk_store_busy_retries_total"),
                 value_of(before, "newsdesk_store_busy_retries_total"));
    cr_expect_eq(value_of(after, "newsdesk_store_busy_timeouts_total"),
                 value_of(before, "newsdesk_store_busy_timeouts_total"));
    free(before);
    free(after);
}

Test(http_metrics, the_token_opens_it_to_other_addresses_and_nothing_else_does)
{
    struct resp r;
    /* through a proxy (a forwarding header): the token, and only the right one */
    get_with("/metrics", "X-Forwarded-For: 203.0.113.7\r\nAuthorization: Bearer " TOKEN "\r\n", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "# TYPE newsdesk_http_requests_total counter"));
    resp_free(&r);
    get_with("/metrics", "X-Forwarded-For: 203.0.113.7\r\nAuthorization: bearer " TOKEN "\r\n", &r);
    cr_expect_eq(r.status, 200, "the scheme's name in any case");
    resp_free(&r);
    static const char *const wrong[] = {
        "X-Forwarded-For: 203.0.113.7\r\n",
        "X-Forwarded-For: 203.0.113.7\r\nAuthorization: Bearer metrics-token-0123456788\r\n",
        "X-Forwarded-For: 203.0.113.7\r\nAuthorization: Bearer " TOKEN "x\r\n",
        "X-Forwarded-For: 203.0.113.7\r\nAuthorization: Bearer \r\n",
        "X-Forwarded-For: 203.0.113.7\r\nAuthorization: Basic " TOKEN "\r\n",
        "Forwarded: for=203.0.113.7\r\nAuthorization: Bearer metrics\r\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(wrong); i++) {
        get_with("/metrics", wrong[i], &r);
        cr_expect_eq(r.status, 404, "%s", wrong[i]);
        cr_expect(!body_has(&r, "newsdesk_"), "%s", wrong[i]);
        resp_free(&r);
    }
    /* on the machine itself, directly: no token needed, as before */
    http_req(&srv, "GET", "/metrics", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
}

/* The status of /metrics asked through a proxy with this bearer token. */
static int proxied_with(const char *token)
{
    char headers[256];
    snprintf(headers, sizeof(headers),
             "X-Forwarded-For: 203.0.113.7\r\nAuthorization: Bearer %s\r\n", token);
    struct resp r;
    get_with("/metrics", headers, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

Test(http_metrics, the_token_from_the_configuration_file_and_a_new_one_on_sighup)
{
    srv_stop(&srv);
    char path[SRV_PATH_MAX];
    srv_write(&srv, "site.conf", "metrics-token = first-token-0123456789\n", path);
    srv_start_args(&srv, (const char *const[]){"--config", path, NULL});
    cr_expect_eq(proxied_with("first-token-0123456789"), 200);
    cr_expect_eq(proxied_with(TOKEN), 404, "the flag's token is not in force");
    srv_write(&srv, "site.conf", "metrics-token = second-token-0123456789\n", NULL);
    kill(srv.pid, SIGHUP);
    int status = 0;
    for (int i = 0; i < 50 && status != 200; i++) {
        usleep(100 * 1000);
        status = proxied_with("second-token-0123456789");
    }
    cr_expect_eq(status, 200, "SIGHUP applies the new token");
    cr_expect_eq(proxied_with("first-token-0123456789"), 404, "and the old one no longer opens it");
}

Test(http_metrics, serve_refuses_a_short_token)
{
    char *out = NULL, *err = NULL;
    int rc = run_newsdesk(&out, &err, "serve", "--db", srv.db, "--metrics-token", "short", NULL);
    cr_expect_neq(rc, 0);
    cr_expect(err && strstr(err, "--metrics-token must be 16 to 256"), "%s", err ? err : "");
    free(out);
    free(err);
}
