/*
 * The process's wiring: what main.c builds at start-up and every handler receives.
 * Not a module: it holds no logic, only the pointers that tie modules together.
 *
 * struct app is created before the server starts and is read-only while it serves, but
 * for site and api: a change of settings (from the editor or `newsdesk settings set` in
 * another process) builds new ones and swaps the pointers (app.reload). Readers load each
 * pointer atomically; replaced ones stay valid until shutdown (app.retired), so a request
 * that began with the old site finishes with it.
 * struct worker is one per server thread: its own read connection to the database.
 */
#ifndef APP_H
#define APP_H

#include "http/http.h"

#include <pthread.h>

struct admin_theme;
struct auth_limiter;
struct api;
struct cache;
struct live;
struct live_worker;
struct media;
struct newsroom_scheduler;
struct site;
struct store;
struct websub;
struct purge;

struct app_retired;

struct app {
    const char *db_path;
    struct site *_Atomic site;
    struct api *_Atomic api; /* the Content API's settings */
    /* rebuilds site and api from the stored settings (serve.c); st: a read connection */
    void (*reload)(struct app *app, struct store *st);
    pthread_mutex_t reload_mu;
    struct app_retired *retired;
    const char *theme_dir;
    /* the newsroom's templates and assets (themes/admin); SIGHUP may replace them */
    struct admin_theme *_Atomic admin;
    const char *site_url; /* serve --site-url: wins over the stored url */
    /* the address served, for links when neither --site-url nor the url setting is set */
    const char *served_url;
    struct cache *cache; /* NULL: every request renders */
    /* readers' searches: their own small budget, so they never evict pages (routes.c) */
    struct cache *search_cache;
    /*
     * The one write connection of the server (the editor, tips, session touches): every
     * use is a store_tx_begin/store_tx_end pair, whose lock gives it to one thread at a
     * time; SQLite serialises it with other processes' writers.
     */
    struct store *writer;
    /*
     * rate limits (auth.h has the numbers): failed logins per account and address pair,
     * per address (distinct accounts), per account (hourly, then slowed by login_slow);
     * tips per address
     */
    struct auth_limiter *login_pair;
    struct auth_limiter *login_address;
    struct auth_limiter *login_account;
    struct auth_limiter *login_slow;
    struct auth_limiter *tips_address;
    /* readers' searches the cache could not answer, per address (NULL: no limit) */
    struct auth_limiter *_Atomic search_address;
    /*
     * serve --trust-proxy, --trusted-proxy: the reverse proxies whose X-Forwarded-For
     * and X-Forwarded-Proto are believed (empty: none, the headers are ignored). Every
     * reader of the client's address goes through http_client_address with it.
     */
    struct http_proxies proxies;
    /* photos: libvips and the thread that makes renditions (serve --media-max-bytes) */
    struct media *media;
    /* the open feed pages' live updates (live.h); NULL: none */
    struct live *live;
    /* the WebSub hub: its thread and the subscriptions it verifies (websub/) */
    struct websub *websub;
    /* the thread that purges shared caches in front (serve --purge-url); NULL: none */
    struct purge *purge;
    /* the thread that publishes scheduled posts (newsroom/), for /metrics; NULL: none */
    struct newsroom_scheduler *scheduler;
    /*
     * serve --metrics-token: with it, /metrics answers a request from any address that
     * sends "Authorization: Bearer <token>" (site/metrics.c); NULL: direct loopback only
     */
    const char *_Atomic metrics_token;
};

struct worker {
    unsigned index;
    struct store *store;
    struct live_worker *live; /* NULL when app.live is */
};

/** The calling worker's read connection. */
static inline struct store *app_store(const struct request *req)
{
    return ((struct worker *)req->worker)->store;
}

#endif
