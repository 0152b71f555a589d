/*
 * Keeping the response cache in step with the change log (cache.h, "Freshness").
 */
#include "site/site_int.h"

#include "app.h"
#include "cache/cache.h"
#include "store/store.h"

#define SYNC_BATCH 512
#define SYNC_DEPS_MAX 256

/* "post:12 list tag:3" → slices into deps; returns how many. */
static size_t split_deps(struct str s, struct str *deps, size_t max)
{
    size_t n = 0, i = 0;
    while (i < s.len && n < max) {
        while (i < s.len && s.ptr[i] == ' ')
            i++;
        size_t start = i;
        while (i < s.len && s.ptr[i] != ' ')
            i++;
        if (i > start)
            deps[n++] = (struct str){s.ptr + start, i - start};
    }
    return n;
}

void site_cache_sync(void *ctx, void *worker, struct cache *c)
{
    struct app *app = ctx;
    struct site *site = app->site;
    struct store *st = ((struct worker *)worker)->store;
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    for (;;) {
        struct store_change *changes;
        size_t n;
        bool complete;
        uint64_t from = cache_seq(c);
        if (store_changes_since(st, (int64_t)from, SYNC_BATCH, &a, &changes, &n, &complete, &err)) {
            /* cannot tell what changed: nothing cached may be trusted */
            log_error("cache sync: %s; dropping every cached response", err.msg);
            cache_invalidate_all(c, from + 1);
            site_feed_changed_all(site);
            break;
        }
        if (!complete && n) {
            cache_invalidate_all(c, (uint64_t)changes[n - 1].seq);
            site_feed_changed_all(site);
        }
        for (size_t i = 0; i < n; i++) {
            struct str deps[SYNC_DEPS_MAX];
            size_t nd = split_deps(changes[i].deps, deps, SYNC_DEPS_MAX);
            bool all = nd == SYNC_DEPS_MAX, settings = false;
            for (size_t j = 0; j < nd; j++) {
                all = all || str_eq_cstr(deps[j], "*"); /* a change every page may show */
                settings = settings || str_eq_cstr(deps[j], "settings");
            }
            /*
             * New settings: a new site first, so that whatever renders after the
             * invalidation below renders with them (the new site has its own feed index).
             */
            if (settings && app->reload) {
                app->reload(app, st);
                site = app->site;
            }
            if (all) {
                cache_invalidate_all(c, (uint64_t)changes[i].seq);
                site_feed_changed_all(site);
                continue;
            }
            cache_invalidate(c, deps, nd, (uint64_t)changes[i].seq);
            site_feed_changed(site, deps, nd);
        }
        arena_release(&a);
        if (n < SYNC_BATCH)
            break;
    }
    arena_release(&a);
}
