#include "cache/cache.h"
#include "http/http.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    struct arena a;
    struct request req;
    struct response res;
};

static void fx_init(struct fixture *f, const char *path, const struct http_header *h, size_t nh)
{
    arena_init(&f->a);
    memset(&f->req, 0, sizeof(f->req));
    f->req.method = HTTP_GET;
    f->req.raw_path = f->req.path = str_from(path);
    f->req.arena = &f->a;
    f->req.headers = h;
    f->req.nheaders = nh;
    http_response_init(&f->res, &f->a, 1 << 20);
}

static void fx_release(struct fixture *f)
{
    http_response_release(&f->res);
    arena_release(&f->a);
}

/* A request for path: served from c, or rendered as body with deps and stored. */
static bool fetch(struct cache *c, const char *path, const char *body, const char *dep,
                  struct fixture *f)
{
    fx_init(f, path, NULL, 0);
    struct cache_ticket t;
    if (cache_serve(c, f->req.path, &f->req, &f->res, &t))
        return true;
    f->res.content_type = "text/html; charset=utf-8";
    buf_puts(&f->res.body, body);
    if (dep)
        http_response_dep(&f->res, "%s", dep);
    cache_store(c, &t, &f->req, &f->res);
    return false;
}

static struct str body_of(const struct fixture *f)
{
    return f->res.body_ref.ptr ? f->res.body_ref : buf_str(&f->res.body);
}

Test(cache, miss_then_hit_then_invalidated)
{
    struct cache_config cfg = {.budget = 1 << 24};
    struct cache *c = cache_new(&cfg);
    struct fixture f;
    cr_assert(!fetch(c, "/", "v1", "list", &f));
    cr_assert(str_eq_cstr(body_of(&f), "v1"));
    fx_release(&f);
    cr_assert(fetch(c, "/", "v2", "list", &f), "second request is a hit");
    cr_assert(str_eq_cstr(body_of(&f), "v1"));
    fx_release(&f);
    struct str other = STR_LIT("tag:9");
    cache_invalidate(c, &other, 1, 1);
    cr_assert(fetch(c, "/", "v2", "list", &f), "unrelated change keeps it");
    fx_release(&f);
    struct str list = STR_LIT("list");
    cache_invalidate(c, &list, 1, 2);
    cr_assert(!fetch(c, "/", "v3", "list", &f), "a change to what it shows drops it");
    cr_assert(str_eq_cstr(body_of(&f), "v3"));
    fx_release(&f);
    cr_assert(fetch(c, "/", "v4", "list", &f));
    cr_assert(str_eq_cstr(body_of(&f), "v3"));
    fx_release(&f);
    cache_invalidate_all(c, 3);
    cr_assert(!fetch(c, "/", "v5", "list", &f));
    fx_release(&f);
    cache_free(c);
}

Test(cache, errors_and_query_strings)
{
    struct cache_config cfg = {.budget = 1 << 24};
    struct cache *c = cache_new(&cfg);
    struct fixture f;
    fx_init(&f, "/missing/", NULL, 0);
    struct cache_ticket t;
    cr_assert(!cache_serve(c, f.req.path, &f.req, &f.res, &t));
    f.res.status = 404;
    buf_puts(&f.res.body, "nope");
    cache_store(c, &t, &f.req, &f.res);
    fx_release(&f);
    cr_assert(!fetch(c, "/missing/", "now here", NULL, &f), "a 404 is not kept");
    fx_release(&f);
    fx_init(&f, "/more/", NULL, 0);
    f.req.query = STR_LIT("before=1.2");
    cr_assert(!cache_serve(c, STR_LIT("/more/?before=1.2"), &f.req, &f.res, &t));
    buf_puts(&f.res.body, "batch");
    f.res.content_type = "text/html";
    cache_store(c, &t, &f.req, &f.res);
    fx_release(&f);
    cr_assert(!fetch(c, "/more/", "first page", NULL, &f), "the query is part of the key");
    fx_release(&f);
    cache_free(c);
}

Test(cache, conditional_and_negotiated)
{
    struct cache_config cfg = {.budget = 1 << 24, .cache_control = "public, no-cache"};
    struct cache *c = cache_new(&cfg);
    struct fixture f;
    char big[4096];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    fetch(c, "/", big, NULL, &f);
    char etag[64] = "";
    for (size_t i = 0; i < f.res.nheaders; i++)
        if (str_eq_cstr(f.res.headers[i].name, "etag"))
            snprintf(etag, sizeof(etag), "%.*s", (int)f.res.headers[i].value.len,
                     f.res.headers[i].value.ptr);
    cr_assert(etag[0] == '"');
    fx_release(&f);
    struct http_header h[] = {{STR_LIT("if-none-match"), str_from(etag)}};
    fx_init(&f, "/", h, 1);
    struct cache_ticket t;
    cr_assert(cache_serve(c, f.req.path, &f.req, &f.res, &t));
    cr_assert_eq(f.res.status, 304);
    fx_release(&f);
    struct http_header g[] = {{STR_LIT("accept-encoding"), STR_LIT("gzip")}};
    fx_init(&f, "/", g, 1);
    cr_assert(cache_serve(c, f.req.path, &f.req, &f.res, &t));
    cr_assert_eq(f.res.status, 200);
    cr_assert_lt(f.res.body_ref.len, 200, "4 KB of one letter compresses well");
    fx_release(&f);
    cache_free(c);
}

Test(cache, budget_evicts_least_recent)
{
    struct cache_config cfg = {.budget = 64 * 8192}; /* 8 KB a shard */
    struct cache *c = cache_new(&cfg);
    char body[2048];
    memset(body, 'x', sizeof(body) - 1);
    body[sizeof(body) - 1] = '\0';
    for (int i = 0; i < 2000; i++) {
        char path[32];
        snprintf(path, sizeof(path), "/p/%d/", i);
        struct fixture f;
        fetch(c, path, body, NULL, &f);
        fx_release(&f);
    }
    struct cache_stats st;
    cache_stats(c, &st);
    cr_assert_gt(st.evictions, 0);
    cr_assert_leq(st.bytes, cfg.budget, "bytes %zu over budget", st.bytes);
    cache_free(c);
}

/* ---- single flight ---------------------------------------------------------------- */

struct racer {
    struct cache *c;
    bool hit;
    char body[16];
};

static void *second_reader(void *arg)
{
    struct racer *r = arg;
    struct fixture f;
    r->hit = fetch(r->c, "/slow/", "second", NULL, &f);
    snprintf(r->body, sizeof(r->body), "%.*s", (int)body_of(&f).len, body_of(&f).ptr);
    fx_release(&f);
    return NULL;
}

Test(cache, one_render_for_simultaneous_misses)
{
    struct cache_config cfg = {.budget = 1 << 24};
    struct cache *c = cache_new(&cfg);
    struct fixture f;
    fx_init(&f, "/slow/", NULL, 0);
    struct cache_ticket t;
    cr_assert(!cache_serve(c, f.req.path, &f.req, &f.res, &t));
    cr_assert(t.owner);
    struct racer r = {.c = c};
    pthread_t th;
    pthread_create(&th, NULL, second_reader, &r);
    /* wait until the second reader is waiting for this rendering (not a guess of time) */
    struct cache_stats st;
    for (int i = 0; i < 10000; i++) {
        cache_stats(c, &st);
        if (st.waits == 1)
            break;
        usleep(1000);
    }
    buf_puts(&f.res.body, "first");
    f.res.content_type = "text/html";
    cache_store(c, &t, &f.req, &f.res);
    pthread_join(th, NULL);
    cr_assert(r.hit, "the waiting request was served the first rendering");
    cr_assert_str_eq(r.body, "first");
    cache_stats(c, &st);
    cr_assert_eq(st.stores, 1);
    cr_assert_eq(st.waits, 1);
    fx_release(&f);
    cache_free(c);
}

/* ---- the change stamp ------------------------------------------------------------- */

static int syncs;

static void count_sync(void *ctx, void *worker, struct cache *c)
{
    (void)ctx;
    (void)worker;
    struct str list = STR_LIT("list");
    cache_invalidate(c, &list, 1, cache_seq(c) + 1);
    syncs++;
}

Test(cache, stamp_moves_trigger_one_sync)
{
    _Atomic uint64_t stamp = 7;
    struct cache_config cfg = {.budget = 1 << 24, .stamp = &stamp, .sync = count_sync};
    struct cache *c = cache_new(&cfg);
    struct fixture f;
    fetch(c, "/", "a", "list", &f);
    fx_release(&f);
    cr_assert(fetch(c, "/", "b", "list", &f));
    fx_release(&f);
    cr_assert_eq(syncs, 0);
    atomic_fetch_add(&stamp, 1);
    cr_assert(!fetch(c, "/", "c", "list", &f), "the write is seen on the next request");
    fx_release(&f);
    cr_assert(fetch(c, "/", "d", "list", &f));
    fx_release(&f);
    cr_assert_eq(syncs, 1);
    cache_free(c);
}

Test(cache, a_flood_of_one_off_urls_does_not_evict_hot_pages)
{
    struct cache_config cfg = {.budget = 64 * 16384}; /* 16 KB a shard */
    struct cache *c = cache_new(&cfg);
    char body[1024];
    memset(body, 'x', sizeof(body) - 1);
    body[sizeof(body) - 1] = '\0';
    struct fixture f;
    fetch(c, "/", body, NULL, &f);
    fx_release(&f);
    cr_assert(fetch(c, "/", body, NULL, &f), "hit: now protected");
    fx_release(&f);
    for (int i = 0; i < 5000; i++) {
        char path[40];
        snprintf(path, sizeof(path), "/more/?before=%d.1", i);
        fetch(c, path, body, NULL, &f);
        fx_release(&f);
    }
    cr_assert(fetch(c, "/", body, NULL, &f), "the hot page survived 5000 one-off entries");
    fx_release(&f);
    struct cache_stats st;
    cache_stats(c, &st);
    cr_assert_gt(st.evictions, 4000);
    cache_free(c);
}
