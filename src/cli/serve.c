#include "cli/cli_int.h"

#include "admin/admin.h"
#include "api/api.h"
#include "app.h"
#include "auth/auth.h"
#include "cache/cache.h"
#include "newsroom/newsroom.h"
#include "http/http.h"
#include "live/live.h"
#include "media/media.h"
#include "routes.h"
#include "site/site.h"
#include "websub/websub.h"

#include <malloc.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk serve --db FILE [options]\n\n"
    "Serves the site over HTTP until SIGINT or SIGTERM, then finishes the requests in\n"
    "flight and exits.\n\n"
    "  --db FILE            the database (create it with 'newsdesk init')\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --theme DIR          the theme folder (default themes/default)\n"
    "  --admin-theme DIR    the newsroom's theme folder (default themes/admin)\n"
    "  --threads N          worker threads, each with its own event loop (default: cores)\n"
    "  --access-log FILE    combined-format access log: a file, '-' for stdout (default),\n"
    "                       or 'off'\n"
    "  --cache-mb N         memory for cached responses, in MiB (default 128; 0 turns the\n"
    "                       cache off)\n"
    "  --site-url URL       the public address absolute links use (default: the 'url'\n"
    "                       setting), e.g. https://news.example.org behind a proxy\n"
    "  --trust-proxy        behind a reverse proxy: when a request comes from a trusted\n"
    "                       proxy, take the client's address from X-Forwarded-For (the\n"
    "                       right-most entry no trusted proxy added) and the scheme from\n"
    "                       X-Forwarded-Proto (login cookies are then Secure over https)\n"
    "  --trusted-proxy NET  a proxy to trust: an IPv4 or IPv6 address or network\n"
    "                       (10.0.0.0/8, ::1); repeat it or give a comma list. Implies\n"
    "                       --trust-proxy; without it, --trust-proxy trusts 127.0.0.0/8\n"
    "                       and ::1\n"
    "  --media-max-bytes N  the largest photo an upload may send, in bytes (default\n"
    "                       26214400, 25 MiB); a larger one is refused with 413 before\n"
    "                       its body is read\n"
    "  --search-limit N     searches answered without the cache, per client address in\n"
    "                       10 seconds (1 to 64, default 30; 0: no limit); past it 429\n"
    "  --live-per-address N live update streams (/live/) one client address may hold\n"
    "                       open at once (default 16; 0: no limit); past it 429\n"
    "  --live-queue-bytes N bytes a live stream's client may fall behind before it is\n"
    "                       dropped (4096 to 16777216, default 262144)\n"
    "  --websub-allow-private\n"
    "                       let WebSub callbacks be on loopback, private or link-local\n"
    "                       addresses (an intranet, tests); refused by default\n"
    "  --websub-retry-ms N  the WebSub hub's first retry of a failed delivery after N\n"
    "                       ms, doubling for each of 5 tries (default 120000)\n"
    "  --websub-timeout-ms N\n"
    "                       the longest a request to a WebSub callback may take (default\n"
    "                       10000; connecting gets half of it, at most 5000)\n"
    "  --metrics-token TOKEN\n"
    "                       let /metrics answer any address that sends 'Authorization:\n"
    "                       Bearer TOKEN' (16 to 256 visible ASCII characters); without\n"
    "                       it only clients on this machine, directly, see /metrics\n"
    "  -h, --help           show this help\n";

struct serve_opts {
    const char *db;
    const char *listen;
    const char *theme;
    const char *admin_theme;
    const char *access_log;
    unsigned threads;
    int64_t cache_mb;
    const char *site_url;
    bool trust_proxy;
    struct http_proxies proxies; /* --trusted-proxy */
    int64_t media_max_bytes;
    int64_t search_limit;
    int64_t live_per_address;
    int64_t live_queue_bytes;
    struct websub_config websub;
    const char *metrics_token;
};

static void *worker_start(void *ctx, unsigned index, struct http_waker *waker)
{
    struct app *app = ctx;
    struct worker *w = xcalloc(1, sizeof(*w));
    struct err err = {0};
    w->index = index;
    if (app->live)
        w->live = live_worker_new(app->live, index, waker);
    /* checked at start-up: the same file opened a moment ago, so this only fails on OOM */
    if (store_open(app->db_path, STORE_READ, &w->store, &err))
        log_error("worker %u: %s", index, err.msg);
    return w;
}

static void worker_stop(void *ctx, void *worker)
{
    (void)ctx;
    struct worker *w = worker;
    live_worker_free(w->live);
    store_close(w->store);
    free(w);
}

/* A worker woken by the live updates' hub: new changes or a heartbeat for its streams. */
static void worker_wake(void *ctx, void *worker)
{
    (void)ctx;
    struct worker *w = worker;
    if (w->live)
        live_worker_wake(w->live);
}

static void on_listening(void *ctx, const char *addr, unsigned port, unsigned threads)
{
    (void)ctx;
    printf("Newsdesk is serving http://%s:%u/ (%u threads; Ctrl-C stops)\n", addr, port, threads);
    fflush(stdout);
}

static const struct option serve_options[] = {{"db", required_argument, NULL, 'd'},
                                              {"listen", required_argument, NULL, 'l'},
                                              {"theme", required_argument, NULL, 't'},
                                              {"admin-theme", required_argument, NULL, 'A'},
                                              {"threads", required_argument, NULL, 'n'},
                                              {"access-log", required_argument, NULL, 'a'},
                                              {"cache-mb", required_argument, NULL, 'c'},
                                              {"site-url", required_argument, NULL, 'u'},
                                              {"trust-proxy", no_argument, NULL, 'p'},
                                              {"trusted-proxy", required_argument, NULL, 'P'},
                                              {"media-max-bytes", required_argument, NULL, 'M'},
                                              {"search-limit", required_argument, NULL, 'S'},
                                              {"live-per-address", required_argument, NULL, 'L'},
                                              {"live-queue-bytes", required_argument, NULL, 'Q'},
                                              {"websub-allow-private", no_argument, NULL, 'W'},
                                              {"websub-retry-ms", required_argument, NULL, 'R'},
                                              {"websub-timeout-ms", required_argument, NULL, 'T'},
                                              {"metrics-token", required_argument, NULL, 'm'},
                                              {"help", no_argument, NULL, 'h'},
                                              {0}};

/*
 * The proxies whose forwarding headers are believed: the --trusted-proxy list, or with
 * --trust-proxy alone this machine (a proxy on the same host, the common set-up).
 */
static int trusted_proxies(struct serve_opts *o)
{
    struct err err = {0};
    if (o->trust_proxy && o->proxies.n == 0 &&
        http_proxies_add(&o->proxies, "127.0.0.0/8,::1", &err))
        return cli_fail("%s", err.msg);
    return CLI_OK;
}

/*
 * The options that set a limit: --cache-mb, --media-max-bytes, --search-limit, the live
 * streams' and the WebSub hub's.
 */
static int parse_limit(int c, struct serve_opts *o)
{
    switch (c) {
    case 'c':
        if (!str_to_i64(str_from(optarg), &o->cache_mb) || o->cache_mb < 0 ||
            o->cache_mb > 1024 * 1024)
            return cli_fail("--cache-mb must be a number of MiB from 0 to 1048576");
        return CLI_OK;
    case 'R':
        if (!str_to_i64(str_from(optarg), &o->websub.retry_ms) || o->websub.retry_ms < 1 ||
            o->websub.retry_ms > 3600 * 1000)
            return cli_fail("--websub-retry-ms must be a number of ms from 1 to 3600000");
        return CLI_OK;
    case 'T':
        if (!str_to_i64(str_from(optarg), &o->websub.timeout_ms) || o->websub.timeout_ms < 100 ||
            o->websub.timeout_ms > 60 * 1000)
            return cli_fail("--websub-timeout-ms must be a number of ms from 100 to 60000");
        return CLI_OK;
    case 'M':
        if (!str_to_i64(str_from(optarg), &o->media_max_bytes) || o->media_max_bytes < 1 ||
            o->media_max_bytes > 1024 * 1024 * 1024)
            return cli_fail("--media-max-bytes must be a number of bytes from 1 to 1073741824");
        return CLI_OK;
    case 'L':
        if (!str_to_i64(str_from(optarg), &o->live_per_address) || o->live_per_address < 0 ||
            o->live_per_address > 1000000)
            return cli_fail("--live-per-address must be a number from 0 to 1000000");
        return CLI_OK;
    case 'Q':
        if (!str_to_i64(str_from(optarg), &o->live_queue_bytes) || o->live_queue_bytes < 4096 ||
            o->live_queue_bytes > 16 * 1024 * 1024)
            return cli_fail("--live-queue-bytes must be a number of bytes from 4096 to 16777216");
        return CLI_OK;
    default:
        if (!str_to_i64(str_from(optarg), &o->search_limit) || o->search_limit < 0 ||
            o->search_limit > 64)
            return cli_fail("--search-limit must be a number from 0 to 64");
        return CLI_OK;
    }
}

/*
 * A bearer token as RFC 6750 lets it travel (visible ASCII, no space), long enough not
 * to be guessed: /metrics is no secret's keeper, but it tells who reads what.
 */
static bool token_ok(const char *t)
{
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++)
        if (t[i] < 0x21 || t[i] > 0x7e)
            return false;
    return n >= 16 && n <= 256;
}

/* The options that say whom to trust: proxies, WebSub callbacks, /metrics' readers. */
static int parse_access(int c, struct serve_opts *o)
{
    struct err err = {0};
    switch (c) {
    case 'P':
        if (http_proxies_add(&o->proxies, optarg, &err))
            return cli_fail("--trusted-proxy %s", err.msg);
        o->trust_proxy = true;
        return CLI_OK;
    case 'W':
        o->websub.allow_private = true;
        return CLI_OK;
    case 'm':
        if (!token_ok(optarg))
            return cli_fail("--metrics-token must be 16 to 256 visible ASCII characters "
                            "(no spaces)");
        o->metrics_token = optarg;
        return CLI_OK;
    default:
        o->trust_proxy = true;
        return CLI_OK;
    }
}

static int parse(int argc, char **argv, struct serve_opts *o)
{
    int c;
    int64_t n;
    while ((c = cli_getopt(argc, argv, "h", serve_options)) != -1) {
        switch (c) {
        case 'h':
            cli_usage(usage, false);
            return -1; /* help shown: stop, success */
        case 'd':
            o->db = optarg;
            break;
        case 'l':
            o->listen = optarg;
            break;
        case 't':
            o->theme = optarg;
            break;
        case 'A':
            o->admin_theme = optarg;
            break;
        case 'a':
            o->access_log = strcmp(optarg, "off") == 0 ? NULL : optarg;
            break;
        case 'n':
            if (!str_to_i64(str_from(optarg), &n) || n < 1 || n > 256)
                return cli_fail("--threads must be a number from 1 to 256");
            o->threads = (unsigned)n;
            break;
        case 'u':
            o->site_url = optarg;
            break;
        case 'p':
        case 'P':
        case 'W':
        case 'm':
            if (parse_access(c, o))
                return CLI_FAIL;
            break;
        case 'c':
        case 'M':
        case 'S':
        case 'L':
        case 'Q':
        case 'R':
        case 'T':
            if (parse_limit(c, o))
                return CLI_FAIL;
            break;
        default:
            return cli_usage(usage, true);
        }
    }
    return optind == argc ? trusted_proxies(o) : cli_usage(usage, true);
}

/*
 * The response cache, fresh as of the change log's head now; it watches the store's
 * change stamp for later writes, from this process or any other.
 */
static int open_cache(const struct serve_opts *o, struct store *st, struct app *app)
{
    if (o->cache_mb == 0)
        return CLI_OK;
    /*
     * Large temporary blocks (the compressors' working state, a few MB each) from mmap,
     * returned at free. glibc would otherwise raise its threshold after the first such
     * free and keep later ones in each thread's heap, resident beyond the cache's budget.
     */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    int64_t head;
    struct err err = {0};
    if (store_changes_head(st, &head, &err))
        return cli_fail("%s", err.msg);
    struct cache_config cfg = {
        .budget = (size_t)o->cache_mb * 1024 * 1024,
        .stamp = store_stamp(st),
        .sync = site_cache_sync,
        .sync_ctx = app,
        .seq = (uint64_t)head,
        /*
         * Pages and feeds: browsers and CDNs keep them a short while and may serve them
         * stale for a few minutes while they revalidate (RFC 5861): on the biggest day a
         * CDN in front absorbs the spike, at the price of up to a minute of delay there.
         */
        .cache_control = "public, max-age=60, stale-while-revalidate=300",
    };
    app->cache = cache_new(&cfg);
    /*
     * Searches: an eighth of the budget, a cache of their own. Every distinct query is a
     * new entry, so without a share of their own a flood of them (a crawler, a script)
     * would evict the home page and the articles everyone reads; this way it evicts only
     * other searches. Same change log, same freshness.
     */
    cfg.budget = cfg.budget / 8 ? cfg.budget / 8 : 1;
    app->search_cache = cache_new(&cfg);
    return CLI_OK;
}

/* A site and API settings replaced by a reload: kept until shutdown (app.h). */
struct app_retired {
    struct site *site;
    struct api *api;
    struct app_retired *next;
};

/*
 * A site (theme compiled, settings copied) and the API's settings from the stored
 * settings, and their time zone installed (time_zone_set is safe while other threads
 * format dates, so a new zone applies at once, as every other setting does).
 */
static enum err_code open_site(struct app *app, struct store *st, bool starting, struct site **site,
                               struct api **api, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct site_settings s;
    enum err_code rc = site_settings_load(st, &a, &s, err);
    if (!rc && app->site_url)
        rc = site_setting_check("url", str_from(app->site_url), &a, &s.url, err);
    if (!rc && (starting || !str_eq(site_settings_of(app->site)->timezone, s.timezone))) {
        char tz[80];
        snprintf(tz, sizeof(tz), "%.*s", (int)s.timezone.len, s.timezone.ptr);
        if (!time_zone_set(tz))
            log_warn("unknown time zone '%s'; showing dates in UTC", tz);
        else if (!starting)
            log_info("dates are now shown in %s", tz);
    }
    if (!rc)
        rc = site_open(app->theme_dir, &s, site, err);
    if (!rc) {
        struct api_config ac = {s.url,          s.title,         s.description, s.language,
                                s.timezone,     s.contact_email, s.logo,        s.icon,
                                s.accent_color, s.navigation};
        *api = api_new(&ac);
    }
    arena_release(&a);
    return rc;
}

/* app.reload: new settings were committed; swap in a site and API settings made from them. */
static void reload(struct app *app, struct store *st)
{
    pthread_mutex_lock(&app->reload_mu);
    struct site *site;
    struct api *api;
    struct err err = {0};
    if (open_site(app, st, false, &site, &api, &err)) {
        log_error("the settings changed, but %s; the old ones stay", err.msg);
    } else {
        struct app_retired *r = xcalloc(1, sizeof(*r));
        *r = (struct app_retired){app->site, app->api, app->retired};
        app->retired = r;
        app->site = site;
        app->api = api;
        log_info("settings reloaded");
    }
    pthread_mutex_unlock(&app->reload_mu);
}

static void free_sites(struct app *app)
{
    admin_theme_free(app->admin);
    api_free(app->api);
    site_free(app->site);
    while (app->retired) {
        struct app_retired *r = app->retired;
        app->retired = r->next;
        api_free(r->api);
        site_free(r->site);
        free(r);
    }
}

/*
 * Migrates the database, reads the settings, installs the time zone, compiles the theme
 * and the newsroom's theme.
 */
static int load_site(const struct serve_opts *o, struct app *app, struct store **keep)
{
    struct store *st;
    /* the writer first: it migrates an older schema before readers check it */
    if (cli_open(o->db, STORE_WRITE, &st))
        return CLI_FAIL;
    store_close(st);
    if (cli_open(o->db, STORE_READ, &st))
        return CLI_FAIL;
    *keep = st; /* its stamp mapping stays with the cache until shutdown */
    struct err err = {0};
    struct site *site;
    struct api *api;
    if (open_site(app, st, true, &site, &api, &err))
        return cli_fail("%s", err.msg);
    app->site = site;
    app->api = api;
    char dirbuf[1100];
    const char *dir = o->admin_theme ? o->admin_theme : cli_admin_theme(dirbuf, sizeof(dirbuf));
    if (admin_theme_load(dir, &app->admin, &err))
        return cli_fail("%s", err.msg);
    return CLI_OK;
}

/* The newsroom: one write connection, the rate limits and the scheduler's thread. */
static int newsroom_open(const struct serve_opts *o, struct app *app,
                         struct newsroom_scheduler **sched)
{
    struct err err = {0};
    if (auth_init(&err) || store_open(o->db, STORE_WRITE, &app->writer, &err))
        return cli_fail("%s", err.msg);
    /* before the writer is shared: the upgrade reads outside its transactions */
    size_t upgraded;
    struct str url = site_settings_of(app->site)->url;
    if (newsroom_plaintext_upgrade(app->writer, url, &upgraded, &err))
        return cli_fail("%s", err.msg);
    if (upgraded)
        log_info("newsroom: the plain text of %zu posts made again as Ghost makes it", upgraded);
    store_share(app->writer);
    *sched = newsroom_scheduler_start(o->db, &err);
    if (!*sched)
        return cli_fail("%s", err.msg);
    app->scheduler = *sched;
    /* pairs outnumber addresses and accounts: one address can try several accounts */
    app->login_pair = auth_limiter_new(AUTH_LOGIN_PAIR_FAILS, AUTH_LOGIN_PAIR_WINDOW, 16384);
    app->login_address =
        auth_limiter_new(AUTH_LOGIN_ADDRESS_ACCOUNTS, AUTH_LOGIN_ADDRESS_WINDOW, 4096);
    app->login_account =
        auth_limiter_new(AUTH_LOGIN_ACCOUNT_FAILS, AUTH_LOGIN_ACCOUNT_WINDOW, 4096);
    app->login_slow = auth_limiter_new(1, AUTH_LOGIN_SLOW_SECONDS, 4096);
    app->tips_address = auth_limiter_new(5, 10 * 60, 4096);
    if (o->search_limit)
        app->search_address =
            auth_limiter_new((unsigned)o->search_limit, SITE_SEARCH_LIMIT_WINDOW, 16384);
    return CLI_OK;
}

/* Photos: libvips, and the thread that makes renditions with its own write connection. */
static int media_open(const struct serve_opts *o, struct app *app)
{
    struct err err = {0};
    struct media_config cfg = {
        .bytes_max = (size_t)o->media_max_bytes, .db_path = o->db, .background = true};
    if (media_new(&cfg, &app->media, &err))
        return cli_fail("%s", err.msg);
    return CLI_OK;
}

/* The WebSub hub's thread, with its own connections (websub.h). */
static int websub_open(struct serve_opts *o, struct app *app)
{
    struct err err = {0};
    o->websub.db_path = o->db;
    if (websub_start(app, &o->websub, &app->websub, &err))
        return cli_fail("%s", err.msg);
    if (o->websub.allow_private)
        log_warn("websub: callbacks on loopback and private addresses are allowed");
    return CLI_OK;
}

static void newsroom_close(struct app *app, struct newsroom_scheduler *sched)
{
    newsroom_scheduler_stop(sched);
    auth_limiter_free(app->login_pair);
    auth_limiter_free(app->login_address);
    auth_limiter_free(app->login_account);
    auth_limiter_free(app->login_slow);
    auth_limiter_free(app->tips_address);
    auth_limiter_free(app->search_address);
    store_close(app->writer);
}

/*
 * Live updates: the hub, starting at the change log's head, and the thread that follows
 * the log for it (site/live.c).
 */
static int live_open(const struct serve_opts *o, struct app *app, struct store *st,
                     struct site_live **sl)
{
    struct err err = {0};
    int64_t head;
    if (store_changes_head(st, &head, &err))
        return cli_fail("%s", err.msg);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct live_config cfg = {.workers = o->threads  ? o->threads
                                         : cores > 0 ? (unsigned)cores
                                                     : 1,
                              .backlog = LIVE_BACKLOG_DEFAULT,
                              .per_address = (size_t)o->live_per_address,
                              .queue_max = (size_t)o->live_queue_bytes,
                              .head = (uint64_t)head};
    /* the last backlog changes again, so pages open across a restart need not reload */
    cfg.start = cfg.head > cfg.backlog ? cfg.head - cfg.backlog : 0;
    app->live = live_new(&cfg);
    if (site_live_start(app, app->live, (int64_t)cfg.start, sl, &err))
        return cli_fail("%s", err.msg);
    return CLI_OK;
}

/* Serves until a stop signal; the route table answers, the theme renders errors. */
static enum err_code run_server(const struct serve_opts *o, struct app *app, struct err *err)
{
    struct http_config cfg = {
        .listen = o->listen,
        .threads = o->threads,
        .body_max = routes_body_max(app),
        .body_limit = routes_body_limit,
        .access_log = o->access_log,
        .secret_paths = routes_secret_paths,
        .secret_params = routes_secret_params,
        .route_classes = routes_classes,
        .dispatch = routes_dispatch,
        .ctx = app,
        .error_page = site_error_page,
        .worker_start = worker_start,
        .worker_stop = worker_stop,
        .on_wake = worker_wake,
        .on_listening = on_listening,
    };
    return http_server_run(&cfg, err);
}

int cli_serve(int argc, char **argv)
{
    char themebuf[1100];
    struct serve_opts o = {.listen = "127.0.0.1:8080",
                           .access_log = "-",
                           .cache_mb = 128,
                           .search_limit = 30,
                           .live_per_address = LIVE_PER_ADDRESS_DEFAULT,
                           .live_queue_bytes = LIVE_QUEUE_DEFAULT};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!o.theme)
        o.theme = cli_default_theme(themebuf, sizeof(themebuf));
    char host[256];
    unsigned port;
    struct err err = {0};
    if (http_parse_listen(o.listen, host, sizeof(host), &port, &err))
        return cli_fail("%s", err.msg);
    struct app app = {.db_path = o.db,
                      .proxies = o.proxies,
                      .reload = reload,
                      .theme_dir = o.theme,
                      .site_url = o.site_url,
                      .metrics_token = o.metrics_token};
    pthread_mutex_init(&app.reload_mu, NULL);
    struct store *st = NULL;
    struct newsroom_scheduler *sched = NULL;
    struct site_live *sl = NULL;
    enum err_code code = ERR_OK;
    rc = load_site(&o, &app, &st);
    if (!rc)
        rc = open_cache(&o, st, &app);
    if (!rc)
        rc = newsroom_open(&o, &app, &sched);
    if (!rc)
        rc = media_open(&o, &app);
    if (!rc)
        rc = live_open(&o, &app, st, &sl);
    if (!rc)
        rc = websub_open(&o, &app);
    if (!rc)
        code = run_server(&o, &app, &err);
    websub_stop(app.websub);
    site_live_stop(sl);
    live_free(app.live);
    media_free(app.media);
    newsroom_close(&app, sched);
    cache_free(app.cache);
    cache_free(app.search_cache);
    free_sites(&app);
    pthread_mutex_destroy(&app.reload_mu);
    store_close(st);
    if (rc || code)
        return rc ? rc : cli_fail("%s", err.msg);
    log_info("stopped");
    return CLI_OK;
}
