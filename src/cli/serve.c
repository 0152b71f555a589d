#include "cli/cli_int.h"
#include "cli/options.h"

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
#include "purge/purge.h"
#include "websub/websub.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
         * With --purge-url the shared caches in front are told of every change (purge.h),
         * so they may keep pages longer (s-maxage, RFC 9111 5.2.2.10, which they read
         * before max-age; browsers ignore it) and serve them when every server is down
         * (stale-if-error). The TTL is a safety net for what no purge says: a theme
         * reloaded, a purge endpoint down for longer than the server ran.
         */
        .cache_control = o->purge_urls.n ? "public, max-age=60, s-maxage=300, "
                                           "stale-while-revalidate=300, stale-if-error=86400"
                                         : "public, max-age=60, stale-while-revalidate=300",
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
    const char *url = app->site_url;
    struct str stored;
    if (!url && app->served_url && store_setting_get(st, "url", &a, &stored, NULL) == ERR_NOTFOUND)
        url = app->served_url;
    if (!rc && url)
        rc = site_setting_check("url", str_from(url), &a, &s.url, err);
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
    struct admin_theme *admin;
    if (admin_theme_load(dir, &admin, &err))
        return cli_fail("%s", err.msg);
    app->admin = admin;
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
    /* other servers on the same PostgreSQL database: their writes reach our caches */
    if (store_listen_start(app->writer, &err))
        return cli_fail("%s", err.msg);
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
    /* kept in the database, so several servers of one database hold one limit each */
    static struct newsroom_limits shared;
    newsroom_limits_init(&shared, app->writer);
    auth_limiter_share(app->login_pair, "login_pair", &shared.store);
    auth_limiter_share(app->login_address, "login_address", &shared.store);
    auth_limiter_share(app->login_account, "login_account", &shared.store);
    auth_limiter_share(app->login_slow, "login_slow", &shared.store);
    auth_limiter_share(app->tips_address, "tips_address", &shared.store);
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

/* The thread that purges shared caches in front, when --purge-url names any (purge.h). */
static int purge_open(const struct serve_opts *o, struct app *app)
{
    struct err err = {0};
    struct purge_config cfg = {.db_path = o->db, .urls = o->purge_urls};
    if (purge_start(&cfg, &app->purge, &err))
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

/* The threads that tell others of changes: feed subscribers (WebSub), shared caches. */
static int notifiers_open(struct serve_opts *o, struct app *app)
{
    int rc = websub_open(o, app);
    return rc ? rc : purge_open(o, app);
}

static void notifiers_close(struct app *app)
{
    purge_stop(app->purge);
    websub_stop(app->websub);
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
    store_listen_stop(app->writer);
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

/* ---- running: the settings in force, SIGHUP and SIGUSR1 ----------------------------------- */

/* The settings in force and the ones they replaced (whose strings the app may still use). */
struct serve_run {
    struct serve_opts *opts;
    struct serve_opts *replaced[64];
    size_t nreplaced;
    struct app *app;
    struct store *st;
    struct http_tls *tls;
    struct auth_limiter *limiters[64]; /* search limiters replaced, freed at the end */
    size_t nlimiters;
    struct admin_theme *admin_themes[64];
    size_t nadmin_themes;
    char served_url[300];
};

/*
 * Every listener is bound and nothing is served yet. Without a configured public address
 * (--site-url, the url setting), links name the address actually served, and the log
 * says once that it should be set.
 */
static void on_listening(void *ctx, const char *scheme, const char *addr, unsigned port,
                         unsigned threads)
{
    struct serve_run *run = ctx;
    const char *host = addr;
    if (strcmp(addr, "0.0.0.0") == 0)
        host = "127.0.0.1";
    else if (strcmp(addr, "[::]") == 0)
        host = "[::1]";
    bool default_port = (strcmp(scheme, "https") == 0 && port == 443) ||
                        (strcmp(scheme, "http") == 0 && port == 80);
    if (default_port)
        snprintf(run->served_url, sizeof(run->served_url), "%s://%s", scheme, host);
    else
        snprintf(run->served_url, sizeof(run->served_url), "%s://%s:%u", scheme, host, port);
    struct arena a;
    arena_init(&a);
    struct str stored;
    bool unset =
        !run->app->site_url && store_setting_get(run->st, "url", &a, &stored, NULL) == ERR_NOTFOUND;
    arena_release(&a);
    if (unset) {
        pthread_mutex_lock(&run->app->reload_mu);
        run->app->served_url = run->served_url;
        pthread_mutex_unlock(&run->app->reload_mu);
        run->app->reload(run->app, run->st);
        log_warn("the site's public address is not set, so links name %s; set it with "
                 "--site-url, site-url in the configuration, or 'newsdesk settings set url'",
                 run->served_url);
    }
    printf("Newsdesk is serving %s://%s:%u/ (%u threads; Ctrl-C stops)\n", scheme, addr, port,
           threads);
    fflush(stdout);
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The newsroom's theme from a new folder, the old one kept until shutdown. */
static void swap_admin_theme(struct serve_run *run, const char *dir)
{
    struct admin_theme *t;
    struct err err = {0};
    if (run->nadmin_themes == ARRAY_LEN(run->admin_themes)) {
        log_error("SIGHUP: the newsroom's theme was replaced too often; restart to change it");
        return;
    }
    if (admin_theme_load(dir, &t, &err)) {
        log_error("SIGHUP: %s; the newsroom's theme stays as it was", err.msg);
        return;
    }
    run->admin_themes[run->nadmin_themes++] = run->app->admin;
    run->app->admin = t;
    log_info("the newsroom's theme is now %s", dir);
}

static void swap_search_limit(struct serve_run *run, int64_t n)
{
    if (run->nlimiters == ARRAY_LEN(run->limiters)) {
        log_error("SIGHUP: the search limit was changed too often; restart to change it");
        return;
    }
    run->limiters[run->nlimiters++] = run->app->search_address;
    run->app->search_address =
        n ? auth_limiter_new((unsigned)n, SITE_SEARCH_LIMIT_WINDOW, 16384) : NULL;
    log_info("searches without the cache are now limited to %lld per address", (long long)n);
}

/* SIGHUP: the settings read again; what can change while serving is applied. */
static void on_hangup(void *ctx)
{
    struct serve_run *run = ctx;
    struct app *app = run->app;
    struct serve_opts *now = run->opts, *next = xcalloc(1, sizeof(*next));
    if (run->nreplaced == ARRAY_LEN(run->replaced) || serve_opts_reread(now, next)) {
        log_error("SIGHUP: the settings were not applied (above); the old ones stay");
        free(next);
        return;
    }
    if (trusted_proxies(next) != CLI_OK) {
        serve_opts_release(next);
        free(next);
        return;
    }
    char themebuf[1100];
    if (!next->theme)
        next->theme = arena_strdup(&next->arena, cli_default_theme(themebuf, sizeof(themebuf)));
    const char *fixed[40];
    size_t nfixed = serve_opts_fixed_changes(now, next, fixed, ARRAY_LEN(fixed));
    for (size_t i = 0; i < nfixed; i++)
        log_warn("SIGHUP: '%s' changed; it applies at the next start", fixed[i]);
    log_set_level(next->log_level);
    if (!run->tls && next->tls_cert)
        log_warn("SIGHUP: https starts at the next start, not now");
    if (run->tls && next->tls_cert) {
        struct err err = {0};
        /* read again even when the paths are the same: certbot renews in place */
        if (http_tls_reload(run->tls, next->tls_cert, next->tls_key, &err))
            log_error("SIGHUP: %s; the old certificate stays", err.msg);
        else
            log_info("certificate %s loaded", next->tls_cert);
    }
    if (run->tls)
        http_tls_set_hsts(run->tls, next->hsts);
    if (next->search_limit != now->search_limit)
        swap_search_limit(run, next->search_limit);
    char adminbuf[1100];
    const char *admin_now = now->admin_theme ? now->admin_theme : "";
    if (!same(admin_now, next->admin_theme ? next->admin_theme : ""))
        swap_admin_theme(run, next->admin_theme ? next->admin_theme
                                                : cli_admin_theme(adminbuf, sizeof(adminbuf)));
    /* the site: the theme compiled again (it may have been edited in place), the URL */
    pthread_mutex_lock(&app->reload_mu);
    app->theme_dir = next->theme;
    app->site_url = next->site_url;
    pthread_mutex_unlock(&app->reload_mu);
    /* the old opts stay until exit (run->replaced): a request still comparing keeps its token */
    atomic_store(&app->metrics_token, next->metrics_token);
    app->reload(app, run->st);
    /* pages rendered by the old theme are stale: everything is made again when asked */
    if (app->cache)
        cache_flush(app->cache);
    if (app->search_cache)
        cache_flush(app->search_cache);
    run->replaced[run->nreplaced++] = now;
    run->opts = next;
}

/* SIGUSR1: the access log was reopened by the server; the error log now. */
static void on_reopen(void *ctx)
{
    (void)ctx;
    if (!log_reopen())
        log_error("SIGUSR1: cannot open the error log again: %s; still writing to the old file",
                  strerror(errno));
    log_info("logs reopened");
}

/* Serves until a stop signal; the route table answers, the theme renders errors. */
static enum err_code run_server(struct serve_run *run, struct err *err)
{
    const struct serve_opts *o = run->opts;
    struct http_config cfg = {
        .listen = o->listen,
        .threads = o->threads,
        .body_max = routes_body_max(run->app),
        .body_limit = routes_body_limit,
        .access_log = o->access_log,
        .access_format = o->access_format == ACCESS_JSON ? HTTP_LOG_JSON : HTTP_LOG_COMBINED,
        .tls = run->tls,
        .redirect_listen = o->redirect_listen,
        .acme_dir = o->acme_webroot,
        .secret_paths = routes_secret_paths,
        .secret_params = routes_secret_params,
        .route_classes = routes_classes,
        .dispatch = routes_dispatch,
        .ctx = run->app,
        .error_page = site_error_page,
        .worker_start = worker_start,
        .worker_stop = worker_stop,
        .on_wake = worker_wake,
        .owner_ctx = run,
        .on_listening = on_listening,
        .on_hangup = on_hangup,
        .on_reopen = on_reopen,
    };
    /* who may read /metrics besides direct loopback (site/metrics.c); SIGHUP may change it */
    atomic_store(&run->app->metrics_token, o->metrics_token);
    return http_server_run(&cfg, err);
}

/*
 * Signals the server handles itself are blocked before any thread starts, so that every
 * thread inherits the mask and only the server's sigwait receives them: otherwise a
 * SIGHUP could land on the scheduler's thread and end the process.
 */
static void block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* The logs, the certificate: what must work before anything else starts. */
static int open_outputs(struct serve_run *run)
{
    struct serve_opts *o = run->opts;
    log_set_level(o->log_level);
    if (!log_open(o->error_log))
        return cli_fail("cannot open the error log %s: %s", o->error_log, strerror(errno));
    if (o->tls_cert) {
        struct err err = {0};
        if (http_tls_new(o->tls_cert, o->tls_key, &run->tls, &err))
            return cli_fail("%s", err.msg);
        http_tls_set_hsts(run->tls, o->hsts);
        int64_t left = http_tls_expiry(run->tls) - time_now();
        if (left < 0)
            log_error("the certificate %s has expired: browsers refuse it (renew it, then "
                      "send SIGHUP)",
                      o->tls_cert);
        else if (left < 14 * 86400)
            log_warn("the certificate %s expires in %lld days", o->tls_cert,
                     (long long)(left / 86400));
    }
    return CLI_OK;
}

static void run_release(struct serve_run *run)
{
    for (size_t i = 0; i < run->nlimiters; i++)
        auth_limiter_free(run->limiters[i]);
    for (size_t i = 0; i < run->nadmin_themes; i++)
        admin_theme_free(run->admin_themes[i]);
    /* the first settings are the caller's; the later ones were allocated here */
    for (size_t i = 1; i < run->nreplaced; i++) {
        serve_opts_release(run->replaced[i]);
        free(run->replaced[i]);
    }
    if (run->nreplaced) {
        serve_opts_release(run->opts);
        free(run->opts);
    }
    http_tls_free(run->tls);
}

int cli_serve(int argc, char **argv)
{
    char themebuf[1100];
    struct serve_opts o;
    serve_opts_init(&o);
    int rc = serve_opts_parse(argc, argv, &o);
    if (!rc)
        rc = trusted_proxies(&o);
    if (rc) {
        serve_opts_release(&o);
        return rc < 0 ? CLI_OK : rc;
    }
    if (!o.theme)
        o.theme = cli_default_theme(themebuf, sizeof(themebuf));
    block_signals();
    struct app app = {.db_path = o.db,
                      .proxies = o.proxies,
                      .reload = reload,
                      .theme_dir = o.theme,
                      .site_url = o.site_url};
    struct serve_run run = {.opts = &o, .app = &app};
    pthread_mutex_init(&app.reload_mu, NULL);
    struct store *st = NULL;
    struct newsroom_scheduler *sched = NULL;
    struct site_live *sl = NULL;
    struct err err = {0};
    enum err_code code = ERR_OK;
    rc = open_outputs(&run);
    if (!rc)
        rc = load_site(&o, &app, &st);
    run.st = st;
    if (!rc)
        rc = open_cache(&o, st, &app);
    if (!rc)
        rc = newsroom_open(&o, &app, &sched);
    if (!rc)
        rc = media_open(&o, &app);
    if (!rc)
        rc = live_open(&o, &app, st, &sl);
    if (!rc)
        rc = notifiers_open(&o, &app);
    if (!rc)
        code = run_server(&run, &err);
    notifiers_close(&app);
    site_live_stop(sl);
    live_free(app.live);
    media_free(app.media);
    newsroom_close(&app, sched);
    cache_free(app.cache);
    cache_free(app.search_cache);
    free_sites(&app);
    pthread_mutex_destroy(&app.reload_mu);
    store_close(st);
    run_release(&run);
    serve_opts_release(&o);
    if (rc || code)
        return rc ? rc : cli_fail("%s", err.msg);
    log_info("stopped");
    return CLI_OK;
}
